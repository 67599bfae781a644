"""Paper for in-person sessions, from Jinja templates outside MkDocs: a facilitator guide for the
whole course (answer key at the end), a learner handout per module (no answers), a sign-in sheet
and an evaluation form. Always HTML with print CSS; PDF through WeasyPrint (``coursegen[pdf]``),
or Chromium's print-to-PDF when WeasyPrint is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from jinja2 import Environment
from markupsafe import Markup

from ..model import LoadedCourse, Module, Question
from ..templating import template_environment
from .output import ExportError
from .text import lesson_html, line

PdfEngine = Literal["weasyprint", "chromium"]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SIGN_IN_ROWS = 20
EVALUATION_STATEMENTS = (
    "The training was clear and easy to follow.",
    "I can do what the objectives of the modules I took describe.",
    "I know what to do, and whom to tell, when I meet this in my work.",
    "The session felt safe and respectful.",
    "I will use what I learned in my work.",
)
OPEN_QUESTIONS = (
    "What was most useful to you?",
    "What was unclear, or what would you change?",
    "What else would help you in your role?",
)
KINDS = {
    "single": "one answer",
    "multiple": "all that apply",
    "true_false": "true or false",
    "ordering": "put in order",
    "matching": "match",
    "short_answer": "short answer",
    "scenario": "scenario",
}
ACTIVITY_TYPES = ("ordering", "matching", "short_answer", "scenario")
"""Question types paper holds as activities (without answers in handouts, with them in the key)."""
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Document:
    """One printable document: its file name (without suffix), title and HTML."""

    name: str
    title: str
    html: str


def mixed(question: Question, texts: list[str]) -> list[str]:
    """Items or matches in the stable mixed order the site shows without JavaScript (ordering
    items always; matches unless ``shuffle: false``)."""
    if question.type != "ordering" and not question.shuffle:
        return list(texts)
    order = [text for _, text in sorted(enumerate(texts), key=lambda pair: question.mix_key(*pair))]
    if question.type == "ordering" and order == list(texts) and len(texts) > 1:
        order = order[1:] + order[:1]  # a printed list in the right order would give the answer away
    return order


def step_number(question: Question, step_id: str) -> int:
    """A scenario step's number on paper (1 = where it starts)."""
    return next(i for i, step in enumerate(question.steps or [], start=1) if step.id == step_id)


def activities(module: Module) -> list[Question]:
    """The module's questions paper holds as activities, knowledge checks first."""
    return [q for q in module.questions() if q.type in ACTIVITY_TYPES]


@cache
def _environment() -> Environment:
    # line: autoescaped, so plain text stays text; lesson: sanitised by nh3.
    env = template_environment({"line": line, "lesson": lambda body: Markup(lesson_html(body, top=4))})
    env.globals.update(mixed=mixed, step_number=step_number, letters=LETTERS, activities=activities)
    return env


def stylesheet() -> str:
    """The print stylesheet (inlined in every document, so each is one self-contained file)."""
    return resources.files("coursegen").joinpath("assets", "print.css").read_text(encoding="utf-8")


def _render(template: str, title: str, **context: object) -> str:
    return _environment().get_template(template).render(title=line(title), css=Markup(stylesheet()), **context)


def documents(loaded: LoadedCourse) -> list[Document]:
    """Every printable document of the course, facilitator guide first."""
    course = loaded.course
    common = {"loaded": loaded, "course": course, "audiences": {a.id: a for a in course.audiences}}
    minutes = sum(m.duration_minutes for m in loaded.modules)
    title = f"{course.title}: facilitator guide"
    guide = _render("print-guide.html.j2", title, total_minutes=minutes, kinds=KINDS, **common)
    docs = [Document("facilitator-guide", title, guide)]
    for number, module in enumerate(loaded.modules, start=1):
        title = f"{number}. {module.title}: learner handout"
        html = _render("print-handout.html.j2", title, module=module, number=number, **common)
        docs.append(Document(f"handout-{number:02d}-{module.id}", title, html))
    title = f"{course.title}: sign-in sheet"
    docs.append(Document("sign-in-sheet", title, _render("print-sign-in.html.j2", title, rows=SIGN_IN_ROWS, **common)))
    title = f"{course.title}: evaluation form"
    evaluation = _render(
        "print-evaluation.html.j2", title, statements=EVALUATION_STATEMENTS, open_questions=OPEN_QUESTIONS, **common
    )
    docs.append(Document("evaluation-form", title, evaluation))
    return docs


def available_engine() -> PdfEngine | None:
    """WeasyPrint if installed (it numbers the contents), else Chromium if found, else None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: WeasyPrint installed without its Pango library
        return "chromium" if chromium_path() else None
    return "weasyprint"


def chromium_path() -> str | None:
    """A Chromium or Chrome executable on PATH, if any."""
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def pdf_bytes(document: Document, engine: PdfEngine) -> bytes:
    """The document as PDF."""
    if engine == "weasyprint":
        from weasyprint import HTML

        # No base URL: the documents are self-contained and must load nothing.
        return HTML(string=document.html, url_fetcher=_refuse_fetch).write_pdf()
    return _chromium_pdf(document)


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"print documents load nothing from outside ({url[:60]})")


def _chromium_pdf(document: Document) -> bytes:
    executable = chromium_path()
    if executable is None:
        raise ExportError("no PDF engine: install coursegen[pdf] (WeasyPrint) or Chromium")
    with tempfile.TemporaryDirectory(prefix="coursegen-print-") as folder:
        source, target = Path(folder) / "document.html", Path(folder) / "document.pdf"
        source.write_text(document.html, encoding="utf-8")
        command = [
            executable,
            "--headless",
            "--no-sandbox" if os.geteuid() == 0 else "--no-first-run",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ExportError(f"Chromium could not print {document.name}: {exc}") from None
        if not target.is_file() or target.stat().st_size == 0:
            raise ExportError(f"Chromium could not print {document.name}")
        return target.read_bytes()
