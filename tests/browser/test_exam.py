"""Exam mode (quiz: mode: exam), as a learner takes it by keyboard: no feedback before the one
submit, the unanswered warning, the review sheet and score after it, the attempt limit and the
wait between attempts (the page's clock is moved on, never slept through)."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import zipfile
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from coursegen.loader import load_course

from .conftest import TRUE_FALSE_QUESTION
from .support import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    Site,
    SiteServer,
    answer_all,
    coursegen,
    feedback_of,
    norm,
    option,
    question_group,
    quiz_form,
    replace_once,
    right_texts,
    status,
)
from .test_a11y import BLOCKING, describe, run_axe
from .test_scorm import HARNESS, SCORM_AGAIN, Lms, open_module, suspend_entries

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
ANSWER_PANEL = "Answer and explanation"
START = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def exam_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The starter course with its quiz (single, multiple, true/false) in exam mode: two
    attempts, a one-minute wait."""
    base = tmp_path_factory.mktemp("exam")
    project = base / "course"
    coursegen("init", str(project), "--title", "Exam Course", cwd=base)
    welcome = project / "modules" / "welcome.yml"
    replace_once(
        welcome,
        "quiz:\n  pass_mark: 80\n",
        "quiz:\n  mode: exam\n  max_attempts: 2\n  wait_minutes: 1\n  pass_mark: 80\n",
    )
    replace_once(welcome, "resources:\n", TRUE_FALSE_QUESTION)
    coursegen("build", "--strict", "--site-dir", str(base / "site"), cwd=project)
    server = SiteServer().start(base / "site")
    yield Site("exam", base / "site", server, load_course(project / "modules", project), project)
    server.stop()


def exam(site: Site):
    module = site.course.module("welcome")
    assert module.quiz is not None and module.quiz.mode == "exam"
    return module, list(module.quiz.questions)


# --- by keyboard only ----------------------------------------------------------------------------


def tab_to(page: Page, target: Locator, limit: int = 200) -> None:
    """Press Tab until ``target`` has the focus."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def key_choose(page: Page, form: Locator, number: int, question, texts: list[str]) -> None:  # noqa: ANN001
    """Choose these answers by keyboard: Tab and Space for checkboxes; for radio buttons Tab into
    the group, the arrow keys to the answer, and Space."""
    group = question_group(form, number, question)
    if question.type == "multiple":
        for text in texts:
            tab_to(page, option(group, question, text))
            page.keyboard.press("Space")
        return
    [text] = texts
    target = option(group, question, text)
    for _ in range(200):
        if group.evaluate("g => g.contains(document.activeElement)"):
            break
        page.keyboard.press("Tab")
    for _ in range(len(question.options())):
        if target.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def key_submit(page: Page, form: Locator) -> None:
    tab_to(page, form.get_by_role("button", name="Submit exam"))
    page.keyboard.press("Enter")


# --- what the page shows -------------------------------------------------------------------------


def gate(form: Locator) -> Locator:
    """The line under the buttons: attempts used and when the next may start."""
    return form.get_by_text(re.compile(r"^You have used \d+ of \d+ attempts\."))


def review_sheet(form: Locator) -> Locator:
    return form.get_by_role("region", name="Review sheet")


def sheet_rows(form: Locator) -> Locator:
    return review_sheet(form).get_by_role("listitem")


def stored(page: Page, form: Locator) -> dict | None:
    raw = page.evaluate("(key) => window.localStorage.getItem(key)", form.get_attribute("data-key"))
    return None if raw is None else json.loads(raw)


def expect_no_feedback(form: Locator, questions) -> None:  # noqa: ANN001
    """Nothing tells right from wrong: no verdict, no feedback, no answer panel, no explanation."""
    for number, question in enumerate(questions, start=1):
        group = question_group(form, number, question)
        for choice in question.options():
            expect(group.get_by_text(feedback_of(question, choice.text), exact=True)).to_be_hidden()
            expect(option(group, question, choice.text)).to_have_accessible_description(re.compile(r"^(Choose .*)?$"))
        expect(group.get_by_text(ANSWER_PANEL, exact=True)).to_be_hidden()
        expect(group.get_by_text(norm(question.explanation), exact=True)).to_be_hidden()
        verdicts = group.get_by_text(re.compile(r"^(Correct\.|Not quite|Partly right)")).filter(visible=True)
        expect(verdicts).to_have_count(0)
    expect(review_sheet(form)).to_have_count(0)


def test_exam_by_keyboard(open_tab, exam_site: Site) -> None:
    module, questions = exam(exam_site)
    single, multiple, true_false = questions
    page = open_tab().page
    page.clock.install(time=START)
    page.goto(exam_site.module_url(module))
    form = quiz_form(page, module)
    main = page.get_by_role("main")
    expect(main).to_contain_text("This quiz is an exam.")
    expect(main).to_contain_text("You have 2 attempts. Between attempts you wait at least 1 minute.")
    expect(main).to_contain_text("a self-check to help you learn, not a proctored test")
    expect(form.get_by_role("button", name="Submit exam")).to_be_visible()
    expect(form.get_by_role("button", name="Check my answers")).to_have_count(0)
    expect(gate(form)).to_have_text("You have used 0 of 2 attempts.")

    # Two of three answered (the true/false one wrongly): nothing says right or wrong.
    key_choose(page, form, 1, single, right_texts(single))
    key_choose(page, form, 3, true_false, ["False"])
    expect_no_feedback(form, questions)

    # Submitting with a question left open only warns, names it, and counts nothing.
    key_submit(page, form)
    expect(status(form)).to_contain_text("1 of 3 questions is not answered yet.")
    expect(status(form).get_by_role("link")).to_have_text([f"2. {norm(multiple.prompt)}"])
    expect(status(form)).to_be_focused()
    expect_no_feedback(form, questions)
    assert stored(page, form) is None

    # One of the two right answers of the multiple-choice question, then the one submit.
    one_right = right_texts(multiple)[0]
    key_choose(page, form, 2, multiple, [one_right])
    expect_no_feedback(form, questions)
    key_submit(page, form)

    heading = form.get_by_role("heading", name="Exam result")
    expect(heading).to_be_focused()
    expect(status(form)).to_have_text(
        "You scored 33% (1 of 3 correct). The pass mark is 80%. You did not pass this attempt."
    )
    rows = sheet_rows(form)
    expect(rows).to_have_count(3)
    expect(rows.nth(0).get_by_role("definition")).to_have_text(
        [norm(right_texts(single)[0]), norm(right_texts(single)[0]), "Correct", norm(single.explanation)]
    )
    expect(rows.nth(1).get_by_role("definition")).to_have_text(
        [norm(one_right), "; ".join(norm(t) for t in right_texts(multiple)), "Partly right", norm(multiple.explanation)]
    )
    expect(rows.nth(2).get_by_role("definition")).to_have_text(
        ["False", "True", "Not correct", norm(true_false.explanation)]
    )
    expect(rows.nth(2).get_by_role("term")).to_have_text(["Your answer", "Right answer", "Result", "Explanation"])
    expect(rows.nth(2)).to_contain_text(f"3. {norm(true_false.prompt)}")

    # One submit per attempt: locked, and "Try again" waits a minute.
    expect(form.get_by_role("radio").first).to_be_disabled()
    expect(form.get_by_role("button", name="Submit exam")).to_be_disabled()
    retry = form.get_by_role("button", name="Try again")
    expect(retry).to_be_visible()
    expect(retry).to_be_disabled()
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again in 1 minute.")
    expect(retry).to_have_accessible_description("You have used 1 of 2 attempts. You can try again in 1 minute.")
    record = stored(page, form)
    assert record["attempts"] == 1 and record["last"] == 33 and record["passed"] is False
    started = int(START.timestamp() * 1000)
    assert started <= record["submittedAt"] < started + 60_000, record
    retry.press("Enter")  # still waiting: nothing happens
    expect(rows).to_have_count(3)

    # The counter and the wait survive a reload; the last review sheet comes back.
    page.reload()
    form = quiz_form(page, module)
    expect(status(form)).to_contain_text("Your last exam result was restored. You scored 33%")
    expect(sheet_rows(form)).to_have_count(3)
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again in 1 minute.")
    retry = form.get_by_role("button", name="Try again")
    expect(retry).to_be_disabled()

    # A minute later the page says so by itself, and "Try again" opens a fresh attempt.
    page.clock.run_for(61_000)
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again now.")
    expect(retry).to_be_enabled()
    tab_to(page, retry)
    page.keyboard.press("Enter")
    expect(form.get_by_role("radio").first).to_be_focused()
    expect(review_sheet(form)).to_have_count(0)
    expect(form.get_by_role("heading", name="Exam result")).to_be_hidden()
    for box in form.get_by_role("radio").all() + form.get_by_role("checkbox").all():
        expect(box).not_to_be_checked()
    expect_no_feedback(form, questions)

    # The second and last attempt: all right.
    key_choose(page, form, 1, single, right_texts(single))
    key_choose(page, form, 2, multiple, right_texts(multiple))
    key_choose(page, form, 3, true_false, ["True"])
    key_submit(page, form)
    expect(form.get_by_role("heading", name="Exam result")).to_be_focused()
    expect(status(form)).to_have_text("You scored 100% (3 of 3 correct). The pass mark is 80%. You passed this exam.")
    expect(gate(form)).to_have_text(
        "You have used 2 of 2 attempts. You have used all your attempts: this exam stays locked. "
        "Your last review sheet is below."
    )
    expect(form.get_by_role("button", name="Try again")).to_be_hidden()
    assert stored(page, form)["attempts"] == 2

    # The limit holds after a reload and after any wait.
    page.clock.run_for(3_600_000)
    page.reload()
    form = quiz_form(page, module)
    expect(gate(form)).to_contain_text("You have used 2 of 2 attempts. You have used all your attempts")
    expect(sheet_rows(form)).to_have_count(3)
    expect(form.get_by_role("radio").first).to_be_disabled()
    expect(form.get_by_role("button", name="Submit exam")).to_be_disabled()
    expect(form.get_by_role("button", name="Try again")).to_be_hidden()
    expect(page.get_by_role("main").get_by_text("Passed", exact=True)).to_be_visible()

    # Clearing the results on the progress page gives the attempts back.
    page.goto(exam_site.at("/progress/"))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my progress").click()
    expect(page.get_by_role("main").get_by_text("Not started", exact=True).first).to_be_visible()
    page.goto(exam_site.module_url(module))
    form = quiz_form(page, module)
    expect(gate(form)).to_have_text("You have used 0 of 2 attempts.")
    expect(form.get_by_role("radio").first).to_be_enabled()
    expect(form.get_by_role("button", name="Submit exam")).to_be_enabled()


def test_a_stored_wait_is_kept_and_a_tampered_one_is_cut_to_the_quiz_wait(open_tab, exam_site: Site) -> None:
    """A submit time in the future (another clock, an edited record) never makes the wait longer
    than the quiz's; a submit time that is not a number is ignored."""
    module, _ = exam(exam_site)
    page = open_tab().page
    page.goto(exam_site.module_url(module))
    form = quiz_form(page, module)
    key = form.get_attribute("data-key")
    future = {
        "v": 1,
        "best": 0,
        "last": 0,
        "passed": False,
        "attempts": 1,
        "answers": {},
        "submittedAt": 4_000_000_000_000,
    }
    page.evaluate("([k, r]) => localStorage.setItem(k, JSON.stringify(r))", [key, future])
    page.reload()
    form = quiz_form(page, module)
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again in 1 minute.")
    expect(form.get_by_role("button", name="Try again")).to_be_disabled()

    page.evaluate("([k, r]) => localStorage.setItem(k, JSON.stringify(r))", [key, {**future, "submittedAt": "soon"}])
    page.reload()
    form = quiz_form(page, module)
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again now.")
    expect(form.get_by_role("button", name="Try again")).to_be_enabled()


def test_without_javascript_the_answers_are_in_the_page(open_tab, exam_site: Site) -> None:
    """Exam mode needs JavaScript to hold answers back: without it the page is a plain
    self-check, as documented (no submit button that could do nothing)."""
    module, questions = exam(exam_site)
    page = open_tab(javascript=False).page
    page.goto(exam_site.module_url(module))
    form = quiz_form(page, module)
    expect(form.get_by_role("button", name="Submit exam")).to_be_hidden()
    expect(form.get_by_text(ANSWER_PANEL, exact=True)).to_have_count(len(questions))
    expect(form.get_by_text(ANSWER_PANEL, exact=True).first).to_be_visible()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_review_sheet_axe_and_screenshots(node_tools: None, open_tab, exam_site: Site, viewport: str) -> None:
    """The exam before submitting and its review sheet: no serious or critical axe violation;
    screenshots for a person to look at in tests/artifacts/screenshots/."""
    module, questions = exam(exam_site)
    single, multiple, true_false = questions
    page = open_tab(viewport=PHONE if viewport == "phone" else DESKTOP).page
    page.goto(exam_site.module_url(module))
    form = quiz_form(page, module)
    SHOTS.mkdir(parents=True, exist_ok=True)
    key_choose(page, form, 1, single, right_texts(single))
    key_choose(page, form, 3, true_false, ["False"])
    # The exam's introduction and its first questions, as the learner sees them.
    page.get_by_text("This quiz is an exam.").evaluate("el => { el.scrollIntoView(); window.scrollBy(0, -110); }")
    page.screenshot(path=SHOTS / f"{viewport}-exam-before-submit.png", animations="disabled")
    key_choose(page, form, 2, multiple, right_texts(multiple)[:1])
    key_submit(page, form)
    expect(sheet_rows(form)).to_have_count(3)
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the review sheet makes the page scroll sideways by {overflow}px"
    form.screenshot(path=SHOTS / f"{viewport}-exam-review-sheet.png", animations="disabled")


# --- in an LMS package ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exam_lms(exam_site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lms]:
    """The exam course as a SCORM 1.2 package in the stand-in LMS of test_scorm.py."""
    if not (SCORM_AGAIN / "scorm12.js").is_file():
        pytest.skip("scorm-again is not installed in tests/tooling (run `npm ci` there)")
    root = tmp_path_factory.mktemp("exam-lms")
    for source in (
        HARNESS / "harness.html",
        HARNESS / "harness.js",
        SCORM_AGAIN / "scorm12.js",
        SCORM_AGAIN / "scorm2004.js",
    ):
        shutil.copy(source, root / source.name)
    target = root / "exam12.zip"
    coursegen("export", "scorm", "--version", "1.2", "-o", str(target), cwd=exam_site.project)
    with zipfile.ZipFile(target) as archive:
        archive.extractall(root / "exam12")
    server = SiteServer().start(root)
    yield Lms(server, {"exam12": exam_site.course})
    server.stop()


def test_exam_attempts_and_wait_are_kept_by_the_lms(open_tab, exam_lms: Lms) -> None:
    """In a SCORM package the exam's record goes to the LMS like any result: a relaunch on
    another device still knows the attempts used, the wait and the last review sheet."""
    course = exam_lms.courses["exam12"]
    module = course.module("welcome")
    questions = list(module.quiz.questions)
    tab = open_tab()
    frame = exam_lms.launch(tab.page, "1.2", "exam12")
    open_module(frame, course, module)
    form = quiz_form(frame, module)  # type: ignore[arg-type]
    answer_all(form, questions[:1], right=False)
    answer_all(form, questions[1:], start=2)
    form.get_by_role("button", name="Submit exam").click()
    expect(status(form)).to_contain_text("You scored 67% (2 of 3 correct).")
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again in 1 minute.")
    committed = tab.page.evaluate("window.harness.committed()")
    assert committed["core"]["lesson_status"] == "failed"
    [entry] = suspend_entries(committed["suspend_data"])
    assert entry[1:5] == [67, 67, 0, 1]  # best, last, passed, attempts
    assert isinstance(entry[6], int) and entry[6] > 1_700_000_000  # the submit time, in seconds
    assert tab.errors == []

    fresh = open_tab()
    saved = {"suspend_data": committed["suspend_data"], "core": {"lesson_status": "failed", "entry": "resume"}}
    frame = exam_lms.launch(fresh.page, "1.2", "exam12", saved)
    open_module(frame, course, module)
    form = quiz_form(frame, module)  # type: ignore[arg-type]
    expect(status(form)).to_contain_text("Your last exam result was restored. You scored 67%")
    expect(gate(form)).to_have_text("You have used 1 of 2 attempts. You can try again in 1 minute.")
    expect(form.get_by_role("button", name="Try again")).to_be_disabled()
    expect(sheet_rows(form)).to_have_count(3)
    assert fresh.errors == []


def import_results(page: Page, records: dict) -> str:
    """Load a results file with the progress page's button; the announced status."""
    content = json.dumps({"format": "coursegen-results", "version": 1, "results": records}).encode()
    status_line = page.locator("[data-cg-transfer-status]")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Load results from a file").click()
    chooser.value.set_files({"name": "results.json", "mimeType": "application/json", "buffer": content})
    expect(status_line).not_to_have_text("")
    return status_line.inner_text()


@pytest.mark.parametrize(
    ("record", "attempts", "gate_text"),
    [
        # A submit time in the future counts as now; a pass is worked out from the score.
        (
            {"attempts": 1, "submittedAt": 4_000_000_000_000, "passed": True},
            1,
            "You have used 1 of 2 attempts. You can try again in 1 minute.",
        ),
        # An attempt count that is not a whole number, or a submit time that is not a number, is
        # not taken.
        ({"attempts": "2", "submittedAt": "<b>now</b>"}, 0, "You have used 0 of 2 attempts."),
        ({"attempts": 1.5, "submittedAt": None}, 0, "You have used 0 of 2 attempts."),
    ],
)
def test_an_imported_exam_record_is_checked(
    open_tab, exam_site: Site, record: dict, attempts: int, gate_text: str
) -> None:
    module, _ = exam(exam_site)
    page = open_tab().page
    page.goto(exam_site.module_url(module))
    key = quiz_form(page, module).get_attribute("data-key")
    page.goto(exam_site.at("/progress/"))
    message = import_results(page, {key: {"v": 1, "best": 67, "last": 67, "answers": {}, **record}})
    assert message.startswith("Loaded results for 1 quiz."), message
    saved = json.loads(page.evaluate("(k) => localStorage.getItem(k)", key))
    now = page.evaluate("Date.now()")
    assert saved["passed"] is False and saved["attempts"] == attempts
    assert isinstance(saved["submittedAt"], int) and 0 <= saved["submittedAt"] <= now
    page.goto(exam_site.module_url(module))
    expect(gate(quiz_form(page, module))).to_have_text(gate_text)
