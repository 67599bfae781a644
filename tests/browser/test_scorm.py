"""SCORM packages in an independent LMS runtime: scorm-again (npm) plays the LMS on a harness
page on 127.0.0.1 and shows the unzipped package's launch page in a frame, as an LMS does.

A learner answers quizzes through the page, wrong and then right; the tests read what the LMS
recorded (status, score, suspend_data) from the runtime, relaunch with the saved CMI data and
check the learner resumes where they were."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from coursegen.loader import load_course
from coursegen.model import LoadedCourse, Module

from .conftest import OpenTab
from .support import NODE_MODULES, REPO, SiteServer, answer_all, coursegen, norm, quiz_form, status, submit

pytestmark = pytest.mark.browser

HARNESS = Path(__file__).parent / "lms_harness"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"


@dataclass
class Lms:
    """The harness server: each package unzipped into its own folder beside the harness page."""

    server: SiteServer
    courses: dict[str, LoadedCourse]

    def launch(self, page: Page, version: str, folder: str, saved: dict[str, Any] | None = None) -> Frame:
        """Open the harness, start the LMS runtime and the package; the frame of the course site."""
        page.goto(f"{self.server.url}/harness.html")
        page.evaluate("([v, f, s]) => window.harness.start(v, f, s)", [version, folder, saved])
        launcher = page.frame_locator("iframe[title='Course']")
        site = launcher.locator("#coursegen-frame")
        expect(site).to_be_visible()
        frame = site.element_handle().content_frame()
        assert frame is not None
        frame.wait_for_load_state()
        return frame

    def cmi(self, page: Page) -> dict[str, Any]:
        """What the LMS holds now (its CMI data model as JSON)."""
        return page.evaluate("JSON.parse(JSON.stringify(window.harness.api.cmi))")


@pytest.fixture(scope="module")
def lms(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lms]:
    if not (SCORM_AGAIN / "scorm12.js").is_file():
        pytest.skip("scorm-again is not installed in tests/tooling (run `npm ci` there)")
    base = tmp_path_factory.mktemp("lms")
    project = base / "course"
    coursegen("init", str(project), "--title", "Fixture Course", cwd=base)
    root = base / "root"
    root.mkdir()
    for name in ("harness.html", "harness.js"):
        shutil.copy(HARNESS / name, root / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / name)
    exports = {
        "starter12": (project, ["--version", "1.2"]),
        "starter2004": (project, ["--version", "2004"]),
        "flagship2004": (REPO, ["--version", "2004"]),
        "flagship12": (REPO, ["--version", "1.2"]),
    }
    for folder, (where, args) in exports.items():
        target = base / f"{folder}.zip"
        coursegen("export", "scorm", *args, "-o", str(target), cwd=where)
        with zipfile.ZipFile(target) as archive:
            archive.extractall(root / folder)
    starter = load_course(project / "modules", project)
    flagship = load_course(REPO / "modules", REPO)
    server = SiteServer().start(root)
    courses = {"starter12": starter, "starter2004": starter, "flagship2004": flagship, "flagship12": flagship}
    yield Lms(server, courses)
    server.stop()


def open_module(frame: Frame, course: LoadedCourse, module: Module) -> None:
    """Follow the site's links to a module, as a learner does: the navigation to the progress
    page, then the module's link there."""
    nav = frame.get_by_role("navigation", name="Navigation", exact=True)
    nav.get_by_role("link", name="Your progress", exact=True).click()
    number = course.modules.index(module) + 1
    frame.get_by_role("main").get_by_role("link", name=f"{number}. {norm(module.title)}", exact=True).click()
    expect(quiz_form(frame, module)).to_be_visible()  # type: ignore[arg-type]


def take_quiz(frame: Frame, module: Module, *, wrong: int = 0) -> None:
    """Answer the module's quiz with its first ``wrong`` questions wrong, the rest right."""
    form = quiz_form(frame, module)  # type: ignore[arg-type]
    questions = list(module.quiz.questions)
    answer_all(form, questions[:wrong], right=False)
    answer_all(form, questions[wrong:], start=wrong + 1)
    submit(form)
    expect(status(form)).to_contain_text("You scored")


def retry(frame: Frame, module: Module) -> None:
    quiz_form(frame, module).get_by_role("button", name="Try again").click()  # type: ignore[arg-type]


def suspend_entries(data: str) -> list[Any]:
    """The quiz entries of the package's suspend_data: [format, pages seen, entries]."""
    parsed = json.loads(data)
    assert parsed[0] == 1
    return parsed[2]


def test_the_course_frame_stays_hidden_until_the_launcher_opened_the_session(open_tab: OpenTab, lms: Lms) -> None:
    """Until the launcher's script has told the LMS the learner started, nothing can be done in the
    course (the launcher's stylesheet once showed the frame at once, whatever its `hidden`)."""
    page = open_tab().page
    page.route("**/coursegen-launch.js", lambda route: route.abort())
    page.goto(f"{lms.server.url}/starter12/coursegen-launch.html")
    expect(page.locator("#coursegen-frame")).to_be_hidden()


def test_scorm12_records_failed_then_passed_and_resumes(open_tab: OpenTab, lms: Lms) -> None:
    course = lms.courses["starter12"]
    welcome = course.module("welcome")
    tab = open_tab()
    page = tab.page
    frame = lms.launch(page, "1.2", "starter12")
    # On first launch the LMS is told the learner started: incomplete, and the site's home page.
    # (The launcher shows the frame only after it told the LMS, so there is nothing to wait for.)
    assert lms.cmi(page)["core"]["lesson_status"] == "incomplete"
    assert page.evaluate("window.harness.commits.length") >= 1
    expect(frame.get_by_role("heading", level=1)).to_contain_text(course.course.title)
    # Every page loads in full inside the frame: Material's instant navigation is off in packages.
    features = frame.evaluate("JSON.parse(document.getElementById('__config').textContent).features")
    assert "navigation.instant" not in features and "navigation.footer" in features

    open_module(frame, lms.courses["starter12"], welcome)
    take_quiz(frame, welcome, wrong=len(welcome.quiz.questions))
    committed = page.evaluate("window.harness.committed()")
    assert committed["core"]["lesson_status"] == "failed"
    assert committed["core"]["score"] == {"raw": "0", "min": "0", "max": "100"}

    retry(frame, welcome)
    take_quiz(frame, welcome)
    committed = page.evaluate("window.harness.committed()")
    assert committed["core"]["lesson_status"] == "passed"
    assert committed["core"]["score"] == {"raw": "100", "min": "0", "max": "100"}
    assert committed["core"]["lesson_location"] == "modules/welcome.html"
    saved = committed["suspend_data"]
    assert len(saved) <= 4096
    entry = suspend_entries(saved)[0]
    assert entry[1:5] == [100, 100, 1, 2]  # best, last, passed, attempts

    # Leaving the course (the LMS closes its frame) suspends and finishes the session.
    page.evaluate("document.querySelector('iframe').src = 'about:blank'")
    page.wait_for_function("() => window.harness.finished === true")
    final = page.evaluate("window.harness.committed()")
    assert final["core"]["exit"] == "suspend"
    assert final["core"]["lesson_status"] == "passed"
    assert page.evaluate("window.harness.lastSet('cmi.core.session_time')").count(":") == 2
    assert tab.errors == []

    # A relaunch on "another device": a fresh browser with only what the LMS stored.
    tab2 = open_tab()
    saved_cmi = {
        "suspend_data": saved,
        "core": {"lesson_location": committed["core"]["lesson_location"], "lesson_status": "passed", "entry": "resume"},
    }
    frame = lms.launch(tab2.page, "1.2", "starter12", saved_cmi)
    form = quiz_form(frame, welcome)  # type: ignore[arg-type]
    expect(status(form)).to_contain_text("Your last result was restored.")
    expect(status(form)).to_contain_text("You scored 100%")
    expect(status(form)).to_contain_text("Your best score: 100%.")
    assert tab2.errors == []


def test_scorm12_option_reports_incomplete_instead_of_failed(tmp_path: Path, open_tab: OpenTab, lms: Lms) -> None:
    """--failed-as incomplete: a learner below the pass mark stays "incomplete" in the LMS."""
    project = Path(lms.server.root).parent / "course"
    target = tmp_path / "p.zip"
    coursegen("export", "scorm", "--version", "1.2", "--failed-as", "incomplete", "-o", str(target), cwd=project)
    with zipfile.ZipFile(target) as archive:
        archive.extractall(Path(lms.server.root) / "starter12-incomplete")
    welcome = lms.courses["starter12"].module("welcome")
    page = open_tab().page
    frame = lms.launch(page, "1.2", "starter12-incomplete")
    open_module(frame, lms.courses["starter12"], welcome)
    take_quiz(frame, welcome, wrong=1)
    committed = page.evaluate("window.harness.committed()")
    assert committed["core"]["lesson_status"] == "incomplete"
    assert committed["core"]["score"]["raw"] == "50"


def test_scorm12_course_without_quiz_is_completed_when_every_module_was_opened(
    tmp_path: Path, open_tab: OpenTab, lms: Lms
) -> None:
    project = tmp_path / "noquiz"
    coursegen("init", str(project), "--title", "Reading only", cwd=tmp_path)
    module_file = project / "modules" / "welcome.yml"
    text = module_file.read_text(encoding="utf-8")
    module_file.write_text(text[: text.index("quiz:\n")] + text[text.index("resources:\n") :], encoding="utf-8")
    target = tmp_path / "noquiz.zip"
    coursegen("export", "scorm", "--version", "1.2", "-o", str(target), cwd=project)
    with zipfile.ZipFile(target) as archive:
        assert b"masteryscore" not in archive.read("imsmanifest.xml")
        archive.extractall(Path(lms.server.root) / "noquiz12")
    course = load_course(project / "modules", project)
    page = open_tab().page
    frame = lms.launch(page, "1.2", "noquiz12")
    assert lms.cmi(page)["core"]["lesson_status"] == "incomplete"
    frame.get_by_role("navigation", name="Navigation", exact=True).get_by_role(
        "link", name="Your progress", exact=True
    ).click()
    welcome = course.module("welcome")
    frame.get_by_role("main").get_by_role("link", name=f"1. {norm(welcome.title)}", exact=True).click()
    expect(frame.get_by_role("heading", level=1)).to_contain_text(welcome.title)
    page.wait_for_function("() => (window.harness.committed() || {core: {}}).core.lesson_status === 'completed'")
    committed = page.evaluate("window.harness.committed()")
    assert committed["core"]["lesson_location"] == "modules/welcome.html"
    assert committed["core"]["score"]["raw"] == ""


@pytest.mark.parametrize("version", ["2004", "1.2"])
def test_flagship_passed_with_the_right_score(open_tab: OpenTab, lms: Lms, version: str) -> None:
    """The flagship, every module quiz taken: one question wrong in the first, the rest right."""
    folder = "flagship" + version.replace(".", "")
    course = lms.courses[folder]
    tab = open_tab()
    page = tab.page
    frame = lms.launch(page, version, folder)
    quizzed = [m for m in course.modules if m.quiz]
    for number, module in enumerate(quizzed):
        open_module(frame, course, module)
        take_quiz(frame, module, wrong=1 if number == 0 else 0)
        cmi = lms.cmi(page)
        if module is not quizzed[-1] and version == "2004":
            assert (cmi["completion_status"], cmi["success_status"]) == ("incomplete", "unknown")
        elif module is not quizzed[-1]:
            assert cmi["core"]["lesson_status"] == "incomplete"
    first = quizzed[0].quiz.questions
    scores = [round(100 * (len(first) - 1) / len(first))] + [100] * (len(quizzed) - 1)
    expected = round(sum(scores) / len(scores), 2)
    committed = page.evaluate("window.harness.committed()")
    if version == "2004":
        assert committed["completion_status"] == "completed"
        assert committed["success_status"] == "passed"
        assert float(committed["score"]["scaled"]) == pytest.approx(expected / 100)
        assert 0 < float(committed["score"]["scaled"]) <= 1
        score = committed["score"]
    else:
        assert committed["core"]["lesson_status"] == "passed"
        score = committed["core"]["score"]
    assert float(score["raw"]) == pytest.approx(expected)
    assert (score["min"], score["max"]) == ("0", "100")
    # Every answer of the flagship's quizzes fits even SCORM 1.2's 4,096 characters.
    entries = suspend_entries(committed["suspend_data"])
    assert len(committed["suspend_data"]) <= 4096
    assert [e[4] for e in entries] == [1] * len(quizzed)  # one attempt each, answers kept
    assert all(e[5] for e in entries)
    assert tab.errors == []


def test_scorm2004_respects_the_lms_passing_score(open_tab: OpenTab, lms: Lms) -> None:
    """The LMS sets cmi.scaled_passing_score 0.5: half right passes, though the package says 80%."""
    welcome = lms.courses["starter2004"].module("welcome")
    page = open_tab().page
    frame = lms.launch(page, "2004", "starter2004", {"scaled_passing_score": "0.5"})
    open_module(frame, lms.courses["starter12"], welcome)
    take_quiz(frame, welcome, wrong=len(welcome.quiz.questions))
    # The content's own report (the runtime may also judge by scaled_passing_score itself).
    assert page.evaluate("window.harness.lastSet('cmi.success_status')") == "failed"
    retry(frame, welcome)
    take_quiz(frame, welcome, wrong=1)
    assert page.evaluate("window.harness.lastSet('cmi.success_status')") == "passed"
    assert page.evaluate("window.harness.lastSet('cmi.score.scaled')") == "0.5"
    committed = page.evaluate("window.harness.committed()")
    assert (committed["completion_status"], committed["success_status"]) == ("completed", "passed")


def test_scorm2004_without_an_lms_is_the_plain_site(open_tab: OpenTab, lms: Lms) -> None:
    """Opened with no LMS API anywhere, the launch page becomes the normal site (localStorage)."""
    welcome = lms.courses["starter2004"].module("welcome")
    page = open_tab().page
    page.goto(f"{lms.server.url}/starter2004/coursegen-launch.html")
    expect(page).to_have_url(f"{lms.server.url}/starter2004/index.html")
    open_module(page.main_frame, lms.courses["starter12"], welcome)
    take_quiz(page.main_frame, welcome)
    assert page.evaluate("Object.keys(localStorage).some(k => k.startsWith('coursegen:'))")


def test_scorm12_lms_that_refuses_the_session_is_said_so(open_tab: OpenTab, lms: Lms) -> None:
    """An LMS API that will not initialize: the learner is told, and can still read the course."""
    tab = open_tab()
    page = tab.page
    page.goto(f"{lms.server.url}/harness.html")
    page.evaluate(
        """() => {
        window.API = { LMSInitialize: () => "false", LMSGetLastError: () => "101",
                       LMSGetValue: () => "", LMSSetValue: () => "false", LMSCommit: () => "false",
                       LMSFinish: () => "false" };
        const frame = document.createElement("iframe");
        frame.title = "Course";
        frame.src = "starter12/coursegen-launch.html";
        document.body.appendChild(frame);
    }"""
    )
    launcher = page.frame_locator("iframe[title='Course']")
    expect(launcher.get_by_role("status")).to_contain_text("did not start a session (error 101)")
    site = launcher.frame_locator("#coursegen-frame")
    expect(site.get_by_role("heading", level=1)).to_contain_text("Fixture Course")


def test_scorm12_keeps_the_role_lessons_read_and_check_answers(open_tab: OpenTab, lms: Lms) -> None:
    """path.js's records (the role chosen, lessons read, knowledge-check answers) go into
    suspend_data beside the quiz results, and come back on another device."""
    course = lms.courses["starter12"]
    welcome = course.module("welcome")
    audience = course.course.audiences[0]
    tab = open_tab()
    page = tab.page
    frame = lms.launch(page, "1.2", "starter12")
    frame.get_by_role("group", name="Choose your role").get_by_role("radio", name=audience.title).check()
    frame.get_by_role("main").get_by_role("link", name=f"1. {norm(welcome.title)}", exact=True).first.click()
    frame.get_by_role("button", name="Mark as done").click()
    check = frame.get_by_role("form", name=f"Knowledge check: {norm(welcome.lessons[0].title)}", exact=True)
    check.get_by_role("radio", name="False", exact=True).check()
    check.get_by_role("button", name="Check", exact=True).click()
    expect(status(check)).to_contain_text("All correct.")
    # The next page shown commits.
    frame.get_by_role("navigation", name="Navigation", exact=True).get_by_role("link", name="Your progress").click()
    expect(frame.get_by_role("heading", name="Your progress", level=1)).to_be_visible()
    saved = page.evaluate("window.harness.committed()")["suspend_data"]
    assert len(saved) <= 4096
    kept = json.loads(saved)[3]
    assert kept["path"] == {"v": 1, "role": audience.id}
    assert kept["welcome:lessons"]["read"] == [welcome.lessons[0].content_hash()]
    assert kept["welcome:lessons"]["checks"] == {welcome.lessons[0].content_hash(): {"check-where-results": [1]}}

    tab2 = open_tab()
    frame = lms.launch(tab2.page, "1.2", "starter12", {"suspend_data": saved, "core": {"entry": "resume"}})
    expect(frame.get_by_role("radio", name=audience.title)).to_be_checked()
    expect(frame.get_by_role("link", name=re.compile("^Continue: Quiz"))).to_be_visible()
    frame.get_by_role("main").get_by_role("link", name=f"1. {norm(welcome.title)}", exact=True).first.click()
    expect(frame.get_by_role("navigation", name="Lessons and your progress")).to_contain_text("1 of 1 lesson read")
    check = frame.get_by_role("form", name=f"Knowledge check: {norm(welcome.lessons[0].title)}", exact=True)
    expect(status(check)).to_contain_text("Your last result was restored.")
    assert tab.errors == [] and tab2.errors == []
