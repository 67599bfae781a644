"""Branching scenarios (type: scenario), played as a learner plays them: by keyboard only, with a
screen reader's cues (focus on the step's heading, the status region), with JavaScript off through
anchors, at phone and desktop widths. Screenshots for a person to look at go to
tests/artifacts/scenario/."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from coursegen.loader import load_course
from coursegen.model import Question

from .support import ARTIFACTS, DESKTOP, PHONE, Site, SiteServer, coursegen, question_group, replace_once
from .test_a11y import describe, run_axe
from .test_html_valid import describe as html_errors
from .test_html_valid import unexpected, vnu
from .test_keyboard import expect_focus_visible, focused, tab_to

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "scenario"
BLOCKING = ("serious", "critical")

MODULE = """\
id: decisions
title: Decisions at the desk
summary: Practise what to do when something at work does not seem right.
audiences: [everyone]
duration_minutes: 10
objectives:
  - Choose to observe, note and report rather than to confront
lessons:
  - title: Observe, note, report
    body: |
      Staff observe and note what they see, then report it through the channel their workplace names.
    checks:
      - id: check-note
        type: scenario
        prompt: A short scenario in the lobby.
        steps:
          - id: lobby
            text: You notice a guest who seems afraid to speak for themself.
            choices:
              - text: Write down what you saw, with the time.
                next: written
                feedback: A note made at once keeps the details accurate.
              - text: Take the guest aside and question them.
                next: questioned
                feedback: Questioning a guest can put them at risk; staff observe and report.
          - id: written
            text: Your note is ready when you tell your supervisor.
            outcome: good
          - id: questioned
            text: The guest stops talking and looks towards the door.
            outcome: needs_work
        explanation: Staff observe, note and report; they do not question or confront.
quiz:
  pass_mark: 80
  questions:
    - id: desk
      type: scenario
      prompt: A scenario at the front desk.
      steps:
        - id: start
          text: A colleague tells you a guest seemed scared at check-in.
          choices:
            - text: Write down what you saw and tell your supervisor.
              next: noted
              feedback: You kept to what you saw and used your workplace's channel.
            - text: Go to the guest's room and ask what is wrong.
              next: confronted
              feedback: Going to the room and questioning the guest can put them at risk.
            - text: Wait and see whether it happens again.
              next: waiting
              feedback: Waiting loses details you could have noted while you remembered them.
        - id: waiting
          text: The next day you cannot remember the time or what exactly you saw.
          choices:
            - text: Note what you still remember and tell your supervisor.
              next: noted
              feedback: Late is better than never; say that the note was made the next day.
            - text: Think it through again from the beginning.
              next: start
              feedback: You go back over what happened.
        - id: noted
          text: Your supervisor reports it through the hotel's procedure.
          outcome: good
        - id: confronted
          text: The guest becomes frightened and leaves the hotel.
          outcome: needs_work
      explanation: Staff observe, note and report through the named channel; they never confront.
"""

# The same module with its quiz as an exam: feedback waits for the submit.
EXAM_MODULE = MODULE.replace("id: decisions\ntitle: Decisions at the desk", "id: desk-exam\ntitle: Desk exam").replace(
    "  pass_mark: 80\n", "  pass_mark: 80\n  mode: exam\n"
)


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A course made by `coursegen init` plus a module with a scenario in a knowledge check and one
    (the only question) in the quiz, so the quiz's score is the scenario's; and that module again
    with its quiz as an exam."""
    base = tmp_path_factory.mktemp("scenario")
    project = base / "course"
    coursegen("init", str(project), "--title", "Scenario Course", cwd=base)
    (project / "modules" / "decisions.yml").write_text(MODULE, encoding="utf-8")
    (project / "modules" / "desk-exam.yml").write_text(EXAM_MODULE, encoding="utf-8")
    replace_once(project / "modules" / "course.yml", "  - welcome\n", "  - welcome\n  - decisions\n  - desk-exam\n")
    coursegen("build", "--strict", "--site-dir", str(base / "site"), cwd=project)
    server = SiteServer().start(base / "site")
    yield Site("scenarios", base / "site", server, load_course(project / "modules", project), project)
    server.stop()


def desk(site: Site) -> Question:
    return site.course.module("decisions").quiz.questions[0]  # type: ignore[union-attr]


def open_module(
    open_tab, site: Site, *, viewport: dict[str, int] = DESKTOP, javascript: bool = True, module: str = "decisions"
) -> Page:
    tab = open_tab(viewport=viewport, javascript=javascript)
    tab.page.goto(site.module_url(site.course.module(module)))
    if javascript:
        expect(tab.page.locator("[data-cg-scenario][data-cg-ready]")).to_have_count(2)
    tab.page.cg_errors = tab.errors  # type: ignore[attr-defined]
    return tab.page


def quiz(page: Page) -> Locator:
    return page.get_by_role("form", name="Quiz: Decisions at the desk", exact=True)


def scenario_group(page: Page, site: Site) -> Locator:
    return question_group(quiz(page), 1, desk(site))


def step(group: Locator, heading: str) -> Locator:
    """The step (a region named by its heading) that is shown."""
    return group.get_by_role("region", name=heading, exact=True)


def press_choice(page: Page, group: Locator, text: str) -> None:
    """Tab (never click) to the choice's button and press Enter."""
    button = group.get_by_role("button", name=text, exact=True)
    tab_to(page, button, max_presses=40)
    page.keyboard.press("Enter")


def expect_heading_focused(group: Locator, heading: str) -> Locator:
    title = group.get_by_role("heading", name=heading, exact=True)
    expect(title).to_be_visible()
    expect(title).to_be_focused()
    return title


def status_region(group: Locator) -> Locator:
    return group.locator(".cg-scenario-status[role=status]")


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False, animations="disabled")


def test_played_by_keyboard_to_a_good_and_a_needs_work_ending(open_tab, scenarios: Site) -> None:
    page = open_module(open_tab, scenarios)
    group = scenario_group(page, scenarios)
    page.evaluate(
        """() => { window.cgChanges = [];
        document.querySelector('fieldset[data-question="desk"]').parentElement.addEventListener('change',
          (e) => window.cgChanges.push([e.target.dataset.outcome || '', e.target.dataset.ending || ''])); }"""
    )
    # Only the first step shows, its three choices as buttons; no Back before a choice is made.
    expect(step(group, "The situation")).to_be_visible()
    expect(group.get_by_role("heading", name="What happens next")).to_have_count(0)
    expect(group.get_by_role("button", name="Back")).to_have_count(0)
    group.get_by_role("heading", name="The situation").evaluate("el => el.scrollIntoView()")
    page.keyboard.press("Tab")  # focus enters the page; tab_to goes on from wherever it is
    press_choice(page, group, "Wait and see whether it happens again.")

    # The next step: focus on its heading, the choice and its feedback at its top, announced.
    expect_heading_focused(group, "What happens next")
    here = step(group, "What happens next")
    expect(here).to_contain_text("You chose: Wait and see whether it happens again.")
    expect(here).to_contain_text("Waiting loses details you could have noted while you remembered them.")
    expect(here).to_contain_text("The next day you cannot remember the time")
    expect(status_region(group)).to_have_text("Waiting loses details you could have noted while you remembered them.")
    expect(group.get_by_role("list").filter(has_text="Wait and see")).to_be_visible()
    shoot(page, "mid-scenario-1280")

    # Back (by keyboard) returns to the first step, focus on its heading.
    back = group.get_by_role("button", name="Back", exact=True)
    tab_to(page, back, max_presses=20)
    expect_focus_visible(page, back)
    page.keyboard.press("Enter")
    expect_heading_focused(group, "The situation")
    expect(status_region(group)).to_have_text("Back at the previous step.")
    expect(group.get_by_role("button", name="Back")).to_have_count(0)

    # The good path: an ending that says so in words, recorded on the fieldset with a change event.
    press_choice(page, group, "Write down what you saw and tell your supervisor.")
    expect_heading_focused(group, "Ending: a good outcome")
    expect(step(group, "Ending: a good outcome")).to_contain_text("used your workplace's channel")
    expect(status_region(group)).to_contain_text("You reached an ending: a good outcome.")
    fieldset = group.element_handle()
    assert fieldset.evaluate("el => [el.dataset.outcome, el.dataset.ending]") == ["good", "2"]
    assert page.evaluate("window.cgChanges") == [["good", "2"]]
    shoot(page, "good-ending-1280")

    # Checking the quiz scores the good ending 100%; the scenario's buttons wait for Try again.
    check = quiz(page).get_by_role("button", name="Check my answers")
    tab_to(page, check, max_presses=20)
    page.keyboard.press("Enter")
    expect(quiz(page).locator(".cg-result")).to_contain_text("You scored 100%")
    expect(group.get_by_role("button", name="Start again")).to_be_disabled()
    expect(group.locator(".cg-verdict")).to_have_text("Correct.")

    # Try again starts the scenario again; Start again too; then the needs-work path scores 0%.
    quiz(page).get_by_role("button", name="Try again").focus()
    page.keyboard.press("Enter")
    expect(step(group, "The situation")).to_be_visible()
    assert fieldset.evaluate("el => el.dataset.outcome === undefined && el.dataset.ending === undefined")
    press_choice(page, group, "Wait and see whether it happens again.")
    expect_heading_focused(group, "What happens next")
    start_again = group.get_by_role("button", name="Start again", exact=True)
    tab_to(page, start_again, max_presses=20)
    page.keyboard.press("Enter")
    expect_heading_focused(group, "The situation")
    expect(status_region(group)).to_have_text("Started again from the first step.")
    press_choice(page, group, "Wait and see whether it happens again.")
    press_choice(page, group, "Think it through again from the beginning.")  # the loop, with its way out
    expect_heading_focused(group, "The situation")
    expect(step(group, "The situation")).to_contain_text("You chose: Think it through again from the beginning.")
    press_choice(page, group, "Go to the guest's room and ask what is wrong.")
    expect_heading_focused(group, "Ending: this needs work")
    expect(status_region(group)).to_contain_text("You reached an ending: this needs work.")
    assert fieldset.evaluate("el => [el.dataset.outcome, el.dataset.ending]") == ["needs_work", "3"]
    path = group.locator(".cg-scenario-path li")
    expect(path).to_have_text(
        [
            "Wait and see whether it happens again.",
            "Think it through again from the beginning.",
            "Go to the guest's room and ask what is wrong.",
        ]
    )
    tab_to(page, check, max_presses=20)
    page.keyboard.press("Enter")
    expect(quiz(page).locator(".cg-result")).to_contain_text("You scored 0%")
    expect(group.locator(".cg-verdict")).to_contain_text("Not quite.")
    answer = group.locator("details.cg-answer")
    expect(answer).to_contain_text("Good ending: Your supervisor reports it through the hotel's procedure.")
    expect(answer).to_contain_text("Ending that needs work: The guest becomes frightened and leaves the hotel.")
    assert not page.cg_errors  # type: ignore[attr-defined]


def test_restore_and_reset_events_from_the_quiz(open_tab, scenarios: Site) -> None:
    """quiz.js's side of the contract: cg:restore shows a saved ending (with the path to it, so Back
    works), cg:reset starts again."""
    page = open_module(open_tab, scenarios)
    group = scenario_group(page, scenarios)
    group.evaluate("el => el.dispatchEvent(new CustomEvent('cg:restore', { detail: { chosen: [3] } }))")
    expect(step(group, "Ending: this needs work")).to_be_visible()
    expect(step(group, "Ending: this needs work")).to_contain_text("You chose: Go to the guest's room")
    assert group.evaluate("el => [el.dataset.outcome, el.dataset.ending]") == ["needs_work", "3"]
    group.get_by_role("button", name="Back", exact=True).focus()
    page.keyboard.press("Enter")
    expect_heading_focused(group, "The situation")
    group.evaluate("el => el.dispatchEvent(new CustomEvent('cg:restore', { detail: { chosen: [2] } }))")
    assert group.evaluate("el => el.dataset.outcome") == "good"
    group.evaluate("el => el.dispatchEvent(new CustomEvent('cg:reset'))")
    expect(step(group, "The situation")).to_be_visible()
    assert group.evaluate("el => el.dataset.outcome === undefined")
    # A damaged record (no such ending) starts again rather than breaking the page.
    group.evaluate("el => el.dispatchEvent(new CustomEvent('cg:restore', { detail: { chosen: [0] } }))")
    expect(step(group, "The situation")).to_be_visible()
    assert not page.cg_errors  # type: ignore[attr-defined]


def test_knowledge_check_on_a_phone(open_tab, scenarios: Site) -> None:
    page = open_module(open_tab, scenarios, viewport=PHONE)
    form = page.get_by_role("form", name="Knowledge check: Observe, note, report", exact=True)
    check = scenarios.course.module("decisions").lessons[0].checks[0]
    group = question_group(form, 1, check)
    # In a knowledge check (under an h3) the steps' headings are h4.
    expect(group.get_by_role("heading", name="The situation", level=4)).to_be_visible()
    group.get_by_role("heading", name="The situation").evaluate("el => el.scrollIntoView()")
    page.keyboard.press("Tab")
    press_choice(page, group, "Take the guest aside and question them.")
    expect_heading_focused(group, "Ending: this needs work")
    shoot(page, "check-needs-work-ending-390")
    press_choice(page, group, "Back")
    press_choice(page, group, "Write down what you saw, with the time.")
    expect_heading_focused(group, "Ending: a good outcome")
    shoot(page, "check-good-ending-390")
    button = form.get_by_role("button", name="Check", exact=True)
    tab_to(page, button, max_presses=20)
    page.keyboard.press("Enter")
    expect(form.locator(".cg-result")).to_have_text("All correct. Well done.")
    assert not page.cg_errors  # type: ignore[attr-defined]


def test_without_javascript_links_lead_through_anchors_to_an_ending(open_tab, scenarios: Site) -> None:
    page = open_module(open_tab, scenarios, javascript=False)
    group = scenario_group(page, scenarios)
    expect(group.get_by_role("button")).to_have_count(0)
    # Only the first step shows (CSS :target); the others are in the page for the links to reach.
    expect(step(group, "The situation")).to_be_visible()
    expect(group.get_by_role("heading", name="What happens next")).to_have_count(0)
    first_url = page.url

    def follow(name: str) -> None:
        link = group.get_by_role("link", name=name, exact=True)
        link.focus()
        page.keyboard.press("Enter")

    follow("Wait and see whether it happens again.")
    assert page.url.endswith("#cg-decisions-quiz-desk-choice-start-2")
    chose = step(group, "Your choice")
    expect(chose).to_contain_text("You chose: Wait and see whether it happens again.")
    expect(chose).to_contain_text("Waiting loses details")
    expect(step(group, "The situation")).to_have_count(0)
    shoot(page, "nojs-feedback-1280")
    # The link followed is hidden now; keyboard users go on from the section they landed in.
    page.keyboard.press("Tab")
    expect(chose.get_by_role("link", name="Continue", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#cg-decisions-quiz-desk-step-waiting")
    expect(step(group, "What happens next")).to_contain_text("The next day you cannot remember")
    follow("Note what you still remember and tell your supervisor.")
    follow("Continue")
    ending = step(group, "Ending: a good outcome")
    expect(ending).to_contain_text("Your supervisor reports it through the hotel's procedure.")
    shoot(page, "nojs-good-ending-1280")
    follow("Start again")
    assert page.url == first_url.split("#")[0] + "#cg-decisions-quiz-desk-step-start"
    expect(step(group, "The situation")).to_be_visible()
    expect(ending).to_have_count(0)
    # The endings and the explanation can be read in the answer, as for every question.
    group.get_by_text("Answer and explanation", exact=True).click()
    expect(group.locator("details.cg-answer")).to_contain_text("Good ending: Your supervisor reports it")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_no_serious_axe_violations(node_tools: None, open_tab, scenarios: Site, viewport: dict[str, int]) -> None:
    page = open_module(open_tab, scenarios, viewport=viewport)
    group = scenario_group(page, scenarios)
    group.get_by_role("button", name="Wait and see whether it happens again.").click()
    expect(step(group, "What happens next")).to_be_visible()
    found = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not found, f"axe mid-scenario at {viewport['width']} px:\n{describe(found)}"
    shoot(page, f"mid-scenario-{viewport['width']}")
    group.get_by_role("button", name="Think it through again from the beginning.").click()
    group.get_by_role("button", name="Go to the guest's room and ask what is wrong.").click()
    expect(step(group, "Ending: this needs work")).to_be_visible()
    quiz(page).get_by_role("button", name="Check my answers").click()
    expect(quiz(page).locator(".cg-result")).to_contain_text("You scored 0%")
    found = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not found, f"axe at a checked needs-work ending at {viewport['width']} px:\n{describe(found)}"
    step(group, "Ending: this needs work").evaluate("el => el.scrollIntoView({ block: 'center' })")
    shoot(page, f"needs-work-ending-{viewport['width']}")


def test_no_serious_axe_violations_without_the_scenario_script(node_tools: None, open_tab, scenarios: Site) -> None:
    """The no-JavaScript markup and its :target styles, checked by axe (which needs scripts to run:
    only scenario.js is kept from loading)."""
    tab = open_tab(viewport=PHONE)
    tab.page.route("**/scenario.js", lambda route: route.abort())
    tab.page.goto(scenarios.module_url(scenarios.course.module("decisions")) + "#cg-decisions-quiz-desk-choice-start-0")
    group = scenario_group(tab.page, scenarios)
    expect(step(group, "Your choice")).to_be_visible()
    expect(step(group, "The situation")).to_have_count(0)
    found = [v for v in run_axe(tab.page) if v["impact"] in BLOCKING]
    assert not found, f"axe on the no-JavaScript scenario at 390 px:\n{describe(found)}"


def test_focus_is_never_lost_in_a_hidden_step(open_tab, scenarios: Site) -> None:
    """After every press the focused element is visible: a hidden step never keeps the focus."""
    page = open_module(open_tab, scenarios)
    group = scenario_group(page, scenarios)
    for name in ("Wait and see whether it happens again.", "Note what you still remember and tell your supervisor."):
        press_choice(page, group, name)
        active = page.evaluate_handle("document.activeElement")
        assert active.evaluate("el => el.checkVisibility() && el.classList.contains('cg-step-title')")
    assert focused(group.get_by_role("heading", name="Ending: a good outcome"))


def test_scenario_markup_is_valid_html(java: str, node_tools: None, open_tab, scenarios: Site, tmp_path) -> None:
    """The Nu HTML checker finds no errors in the built page, nor after scenario.js turned the
    links into buttons and a learner reached an ending."""
    page = open_module(open_tab, scenarios)
    group = scenario_group(page, scenarios)
    group.get_by_role("button", name="Go to the guest's room and ask what is wrong.").click()
    expect(step(group, "Ending: this needs work")).to_be_visible()
    (tmp_path / "played.html").write_text(page.content(), encoding="utf-8")
    built = scenarios.root / "modules" / "decisions" / "index.html"
    bad = unexpected(vnu(java, built, tmp_path / "played.html"))
    assert not bad, f"HTML errors in the scenario page:\n{html_errors(bad, tmp_path)}"


def test_an_exam_keeps_the_feedback_until_it_is_submitted(open_tab, scenarios: Site) -> None:
    page = open_module(open_tab, scenarios, module="desk-exam")
    form = page.get_by_role("form", name="Quiz: Desk exam", exact=True)
    group = form.get_by_role("group", name="1. A scenario at the front desk.", exact=True)
    group.get_by_role("heading", name="The situation").evaluate("el => el.scrollIntoView()")
    page.keyboard.press("Tab")
    press_choice(page, group, "Go to the guest's room and ask what is wrong.")
    # Before the submit the ending does not say how it went, and the choice's feedback waits.
    expect_heading_focused(group, "The end of the scenario")
    here = step(group, "The end of the scenario")
    expect(here).to_contain_text("You chose: Go to the guest's room and ask what is wrong.")
    expect(here).to_contain_text("The guest becomes frightened and leaves the hotel.")
    expect(here).not_to_contain_text("put them at risk")
    expect(group.get_by_text("Ending: this needs work")).to_be_hidden()
    expect(status_region(group)).to_have_text(
        "You chose: Go to the guest's room and ask what is wrong. You reached the end of the scenario."
    )
    shoot(page, "exam-before-submit-1280")
    submit = form.get_by_role("button", name="Submit exam", exact=True)
    tab_to(page, submit, max_presses=20)
    page.keyboard.press("Enter")
    # Submitted: the ending says it needs work, the feedback shows, the review sheet has both endings.
    expect(form.locator(".cg-result")).to_contain_text("0%")
    ending = step(group, "Ending: this needs work")
    expect(ending).to_contain_text("Going to the room and questioning the guest can put them at risk.")
    sheet = form.locator(".cg-sheet")
    expect(sheet.locator("dt")).to_have_text(["Your answer", "Right answer", "Result", "Explanation"])
    expect(sheet.locator("dd").nth(0)).to_have_text("The guest becomes frightened and leaves the hotel.")
    expect(sheet.locator("dd").nth(1)).to_have_text("Your supervisor reports it through the hotel's procedure.")
    expect(group.get_by_role("button", name="Back")).to_be_disabled()
    assert not page.cg_errors  # type: ignore[attr-defined]
