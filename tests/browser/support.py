"""Helpers of the browser suite: where the tools are, serving built sites, driving quizzes.

Quizzes are driven the way a person uses them: by role and accessible name (the form's label,
the question's legend, the answer's label), never by CSS class. The course model loaded from the
YAML files is the oracle for which answers are right and what feedback each one shows.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from coursegen.model import LoadedCourse, Module, Question, Quiz

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
NODE_MODULES = REPO / "tests" / "tooling" / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
ARTIFACTS = REPO / "tests" / "artifacts"

# As the toolchain notes say: Debian's Chromium, headless, with no background traffic of its own.
LAUNCH_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LOCAL_HOST = "127.0.0.1"


def norm(text: str) -> str:
    """Text as a browser shows it: runs of white space collapsed."""
    return " ".join(text.split())


def settle(page: Page) -> None:
    """Wait until every running animation and transition of the page has finished (infinite ones,
    such as a spinner, are left alone): measure the final state, not a frame on the way."""
    page.evaluate(
        """async () => {
        for (let round = 0; round < 10; round++) {
          const running = document.getAnimations().filter((a) => {
            const timing = a.effect && a.effect.getComputedTiming();
            return a.playState === "running" && timing && timing.endTime !== Infinity;
          });
          if (!running.length) return;
          await Promise.all(running.map((a) => a.finished.catch(() => null)));
          await new Promise((done) => requestAnimationFrame(() => done()));
        }
      }"""
    )


# --- serving -------------------------------------------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves ``server.root``; unknown paths get the site's 404.html with status 404, as static
    hosts do. Nothing is cached, so a test can swap in a rebuilt site and reload."""

    def __init__(self, request, client_address, server) -> None:
        super().__init__(request, client_address, server, directory=str(server.root))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    """A static server on 127.0.0.1 and a free port. The port is known before anything is served,
    so a site can be built with ``site_url`` pointing at it (Material's instant navigation needs
    that); ``root`` can be changed to serve another build at the same origin."""

    daemon_threads = True

    def __init__(self) -> None:
        self.root = Path(".")
        super().__init__((LOCAL_HOST, 0), _Handler)
        self.url = f"http://{LOCAL_HOST}:{self.server_port}"
        self._thread: threading.Thread | None = None

    def start(self, root: Path) -> SiteServer:
        self.root = root
        self._thread = threading.Thread(target=self.serve_forever, name=f"site-{self.server_port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@dataclass
class Site:
    """A built course site being served."""

    name: str
    root: Path
    server: SiteServer
    course: LoadedCourse
    project: Path
    variants: dict[str, Path] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.server.url

    def at(self, path: str = "/") -> str:
        return self.server.url + path

    def pages(self) -> list[str]:
        """The URL path of every HTML page of the build, 404.html included."""
        found = []
        for html in sorted(self.root.rglob("*.html")):
            rel = html.relative_to(self.root).as_posix()
            found.append("/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel))
        return found

    def module_url(self, module: Module) -> str:
        return self.at(f"/modules/{module.id}/")

    def quizzed_modules(self) -> list[Module]:
        return [m for m in self.course.modules if m.quiz]

    def serving(self, variant: str) -> _Serving:
        """``with site.serving("edited"):`` serves another build at the same origin."""
        return _Serving(self, self.variants[variant])


class _Serving:
    def __init__(self, site: Site, root: Path) -> None:
        self.site, self.root = site, root

    def __enter__(self) -> None:
        self.site.server.root = self.root

    def __exit__(self, *exc: object) -> None:
        self.site.server.root = self.site.root


def coursegen(*args: str, cwd: Path) -> None:
    """Run the ``coursegen`` command; fail with its output when it fails."""
    result = subprocess.run(
        [sys.executable, "-m", "coursegen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"coursegen {' '.join(args)} failed ({result.returncode}):\n{result.stderr}{result.stdout}"
        )


def copy_project(source: Path, target: Path) -> Path:
    """A copy of a course project without its built site."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".site*"))
    return target


def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a fixture file; fail loudly when the scaffold no longer has the text."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected {old!r} exactly once (did the scaffold change?)"
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- quizzes by role and label -------------------------------------------------------------------


def quiz_form(page: Page, module: Module) -> Locator:
    """A module's end quiz: the form named "Quiz: <module title>"."""
    return page.get_by_role("form", name=f"Quiz: {norm(module.title)}", exact=True)


def check_forms(page: Page, module: Module) -> list[tuple[Locator, list[Question]]]:
    """The module's knowledge checks, in lesson order, each with its questions."""
    return [
        (page.get_by_role("form", name=f"Knowledge check: {norm(lesson.title)}", exact=True), lesson.checks)
        for lesson in module.lessons
        if lesson.checks
    ]


def question_group(form: Locator, number: int, question: Question) -> Locator:
    """A question: the group named by its legend, "<number>. <prompt>"."""
    return form.get_by_role("group", name=f"{number}. {norm(question.prompt)}", exact=True)


def option(group: Locator, question: Question, text: str) -> Locator:
    """An answer of a question: the radio button or checkbox labelled with its text."""
    role = "checkbox" if question.type == "multiple" else "radio"
    return group.get_by_role(role, name=norm(text), exact=True)


def choice_item(group: Locator, question: Question, text: str) -> Locator:
    """The list item of one answer (the answer, its label and its feedback)."""
    role = "checkbox" if question.type == "multiple" else "radio"
    return group.get_by_role("listitem").filter(has=group.page.get_by_role(role, name=norm(text), exact=True))


def right_texts(question: Question) -> list[str]:
    return [c.text for c in question.options() if c.correct]


def wrong_texts(question: Question) -> list[str]:
    return [c.text for c in question.options() if not c.correct]


def feedback_of(question: Question, text: str) -> str:
    return next(norm(c.feedback) for c in question.options() if c.text == text)


def choose(form: Locator, number: int, question: Question, texts: list[str]) -> None:
    """Tick exactly these answers of a question (clicking, as a person does)."""
    group = question_group(form, number, question)
    for text in texts:
        option(group, question, text).check()


def answer_other(group: Locator, question: Question, *, right: bool = True) -> None:
    """Answer an ordering, matching or short_answer question wholly right or wholly wrong: steps in
    their order (or reversed, which has no pair right), each item's match (or another one), an
    accepted answer (or a made-up word)."""
    if question.type == "ordering":
        wanted = [norm(item) for item in question.items or []]
        wanted = wanted if right else wanted[::-1]
        for target, item in enumerate(wanted):
            texts = [norm(t) for t in group.get_by_role("listitem").locator(".cg-order-text").all_text_contents()]
            for _ in range(texts.index(item) - target):
                group.get_by_role("button", name=f"Move up: {item}", exact=True).click()
    elif question.type == "matching":
        matches = question.matches()
        for pair in question.pairs or []:
            match = pair.match if right else next(m for m in matches if m != pair.match)
            group.get_by_role("combobox", name=norm(pair.item), exact=True).select_option(label=match)
    elif question.type == "short_answer":
        text = (question.accepted or [""])[0].replace("*", "") if right else "xqzvw"
        group.get_by_role("textbox", name="Your answer").fill(text)


def scenario_path(question: Question, outcome: str) -> list[str]:
    """The texts of the choices that lead, shortest way, from a scenario's first step to an ending
    with this outcome ("good" or "needs_work")."""
    steps = {step.id: step for step in question.steps or []}
    first = (question.steps or [])[0].id
    came_from: dict[str, tuple[str, str] | None] = {first: None}
    queue = [first]
    while queue:
        here = queue.pop(0)
        if steps[here].outcome == outcome:
            path: list[str] = []
            while came_from[here] is not None:
                here, text = came_from[here]  # type: ignore[misc]
                path.append(text)
            return path[::-1]
        for choice in steps[here].choices or []:
            if choice.next not in came_from:
                came_from[choice.next] = (here, choice.text)
                queue.append(choice.next)
    raise AssertionError(f"scenario '{question.id}' has no reachable {outcome} ending")


def play_scenario(group: Locator, question: Question, *, right: bool = True) -> None:
    """Play a scenario by its choice buttons to a good ending (or one that needs work)."""
    for text in scenario_path(question, "good" if right else "needs_work"):
        group.get_by_role("button", name=norm(text), exact=True).click()


def answer_all(form: Locator, questions: list[Question], *, right: bool = True, start: int = 1) -> None:
    """Answer every question rightly (or with its first wrong answer); ``start``: the number of
    the first of them in the form."""
    for number, question in enumerate(questions, start=start):
        if question.type in ("ordering", "matching", "short_answer"):
            answer_other(question_group(form, number, question), question, right=right)
            continue
        if question.type == "scenario":
            play_scenario(question_group(form, number, question), question, right=right)
            continue
        texts = right_texts(question) if right else wrong_texts(question)[:1]
        choose(form, number, question, texts)


def submit(form: Locator) -> None:
    form.get_by_role("button", name=re.compile(r"^Check( my answers)?$")).click()


def status(form: Locator) -> Locator:
    """The quiz's live status region (where results are announced): the form's last, after those
    of its ordering questions (which announce each move)."""
    return form.get_by_role("status").last


def score(form: Locator) -> Locator:
    """The status region's first sentence: the score, or what to do before checking."""
    return status(form).get_by_role("paragraph").first


def listed_questions(form: Locator) -> Locator:
    """The links to questions in the status region (to review, or not answered yet)."""
    return status(form).get_by_role("link")


def submit_anyway(form: Locator, unanswered: int, total: int) -> None:
    """Check a quiz with questions left unanswered: the first press asks, the second checks."""
    submit(form)
    expect(score(form)).to_contain_text(f"{unanswered} of {total} questions")
    submit(form)


def progress_summary(page: Page) -> Locator:
    """The progress page's summary: the status region that counts the passed module quizzes
    (the page has other status regions, e.g. for moving results to another browser)."""
    return page.get_by_role("main").get_by_role("status").filter(has_text="module quizzes")


def pass_text(score: int, right: int, total: int, pass_mark: int) -> str:
    return f"You scored {score}% ({right} of {total} correct). The pass mark is {pass_mark}%."


def full_marks_text(quiz: Quiz) -> str:
    """The result of a quiz answered wholly right: in points when its questions are weighted."""
    points = sum(q.points for q in quiz.questions)
    n = len(quiz.questions)
    if points == n:
        return pass_text(100, n, n, quiz.pass_mark)
    return f"You scored 100% ({points} of {points} points). The pass mark is {quiz.pass_mark}%."


def iter_questions(module: Module) -> Iterator[tuple[str, int, Question]]:
    """Every question of a module page: (form kind, number in its form, question)."""
    for lesson in module.lessons:
        for number, question in enumerate(lesson.checks, start=1):
            yield "check", number, question
    if module.quiz:
        for number, question in enumerate(module.quiz.questions, start=1):
            yield "quiz", number, question


def check_with_one_wrong(form: Locator, module: Module) -> None:
    """Answer the module's quiz with the first question wrong and the rest right, then check it."""
    questions = list(module.quiz.questions)
    answer_all(form, questions[:1], right=False)
    answer_all(form, questions[1:], start=2)
    submit(form)
    expect(status(form)).to_contain_text("You scored")
