"""What the LMS packages share: the course map the launcher works from, the launcher page, and
the vendored files (schemas, runtimes) that go into a package."""

from __future__ import annotations

import json
import math
from importlib import resources
from pathlib import Path
from typing import Any

import html5lib
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..i18n import SOURCE_LANGUAGE, available_languages, translations
from ..model import LoadedCourse, Question
from ..render import ASSET_DIR, plain, storage_key

LAUNCH_PAGE = "coursegen-launch.html"
LAUNCH_STYLE = "coursegen-launch.css"


def vendor_files(folder: str) -> dict[str, bytes]:
    """The files of ``exports/vendor/<folder>`` by name (exact copies; see their NOTICE)."""
    root = resources.files("coursegen").joinpath("exports", "vendor", folder)
    return {item.name: item.read_bytes() for item in sorted(root.iterdir(), key=lambda i: i.name) if item.is_file()}


def runtime_file(name: str) -> bytes:
    """A file of ``exports/runtime`` (the launchers)."""
    return resources.files("coursegen").joinpath("exports", "runtime", name).read_bytes()


def course_pass_mark(loaded: LoadedCourse) -> int:
    """The course's pass mark in percent: the mean of its quizzes' pass marks, rounded down, so a
    learner who passes every quiz passes the course (80 when there is no quiz)."""
    marks = [m.quiz.pass_mark for m in loaded.modules if m.quiz]
    return math.floor(sum(marks) / len(marks)) if marks else 80


def module_page(site: Path, module_id: str) -> str:
    """A module page's file in the built site (directory URLs or not)."""
    for candidate in (f"modules/{module_id}.html", f"modules/{module_id}/index.html"):
        if (site / candidate).is_file():
            return candidate
    raise FileNotFoundError(f"the built site has no page for module '{module_id}'")


def site_language(site: Path) -> str:
    """The language the site was built in: the one catalog script its build wrote (English when
    there is none, or several, as mkdocs-static-i18n builds write)."""
    codes = [p.name[len("i18n-") : -len(".js")] for p in (site / ASSET_DIR).glob("i18n-*.js")]
    return codes[0] if len(codes) == 1 and codes[0] in available_languages() else SOURCE_LANGUAGE


def page_quiz_key(site: Path, module_id: str) -> str | None:
    """The storage key the built module page's quiz uses: a site built in another language keys
    results per language (and a translated quiz has its own hash), so the page is the truth."""
    try:
        page = site / module_page(site, module_id)
    except FileNotFoundError:
        return None
    document = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    form = next((f for f in document.iter("form") if f.get("data-kind") == "quiz" and f.get("data-key")), None)
    return form.get("data-key") if form is not None else None


def question_details(question: Question) -> dict[str, Any]:
    """A question as the LMS interactions describe it (runtime/interactions.js): prompt, type,
    points and, by type, the options (by written position, as the quiz's inputs number them) and
    the right ones; the items in the right order (ordering); the items, every match and each item's
    right match (matching); the accepted answers (short answer); the step ids, the endings and the
    good ones (scenario)."""
    details: dict[str, Any] = {
        "id": question.id,
        "type": question.type,
        "prompt": plain(question.prompt),
        "points": question.points,
    }
    if question.type == "ordering":
        items = [plain(i) for i in question.items or []]
        return {**details, "items": items, "correct": list(range(len(items)))}
    if question.type == "matching":
        matches = question.matches()
        pairs = question.pairs or []
        return {
            **details,
            "items": [plain(p.item) for p in pairs],
            "matches": [plain(m) for m in matches],
            "correct": [matches.index(p.match) for p in pairs],
        }
    if question.type == "short_answer":
        return {**details, "accepted": list(question.accepted or [])}
    if question.type == "scenario":
        steps = question.steps or []
        return {
            **details,
            "steps": [s.id for s in steps],
            "endings": [s.id for s in steps if s.outcome],
            "good": [s.id for s in steps if s.outcome == "good"],
        }
    options = question.options()
    return {
        **details,
        "choices": [plain(c.text) for c in options],
        "correct": [i for i, c in enumerate(options) if c.correct],
    }


def course_map(
    loaded: LoadedCourse, site: Path, *, pass_mark: int, details: bool = False, **extra: Any
) -> dict[str, Any]:
    """What the launcher needs to know of the course: its quizzes (storage key, a short hash that
    changes with the quiz, question ids in order), module pages and the pass mark. ``details``
    adds each question's prompt, options and right answers (for xAPI interactions)."""
    quizzes = []
    for module in loaded.modules:
        if module.quiz:
            key = page_quiz_key(site, module.id) or storage_key(loaded, module)
            quiz: dict[str, Any] = {
                "key": key,
                "hash": key.rsplit(":", 1)[1][:6],
                "module": module.id,
                "title": plain(module.title),
                "passMark": module.quiz.pass_mark,
                "questions": [q.id for q in module.quiz.questions],
            }
            if details:
                quiz["details"] = [question_details(q) for q in module.quiz.questions]
            quizzes.append(quiz)
    return {
        "course": loaded.course.id,
        "uiLanguage": site_language(site),
        "start": "index.html",
        "passMark": pass_mark,
        "pages": [module_page(site, m.id) for m in loaded.modules],
        "quizzes": quizzes,
        **extra,
    }


def script_json(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element (no ``</script>``, no ``<!--``)."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")


LAUNCH_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


def launch_page(loaded: LoadedCourse, settings: dict[str, Any], scripts: list[str], csp: str = LAUNCH_CSP) -> bytes:
    """The launcher page: the course settings as JSON, a frame for the site, the launcher scripts."""
    env = Environment(
        loader=PackageLoader("coursegen", "exports/runtime"),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    # The launcher speaks the site's language, with the site's catalog for its script's messages,
    # and judges typed answers with the site's own rules (answers.js), as the pages did.
    language = str(settings.get("uiLanguage") or SOURCE_LANGUAGE)
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    site_scripts = (f"i18n-{language}.js", "i18n.js", "answers.js")
    scripts = [*(f"{ASSET_DIR}/{name}" for name in site_scripts), *scripts]
    html = env.get_template("launch.html.j2").render(
        language=language,
        title=plain(loaded.course.title),
        csp=csp,
        settings=Markup(script_json(settings)),
        start=settings["start"],
        scripts=scripts,
    )
    return html.encode("utf-8")
