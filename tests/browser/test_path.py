"""Choose your role and continue where you left off (issue #15): the home page's role chooser,
the chosen path first with what is done and what is next, lessons read (scrolled to their end or
marked done), knowledge-check answers kept, "Continue" links, the footer along the path, and
nothing hidden without JavaScript.

The course here is made for it: two roles whose paths differ, lessons longer than a screen (so
that reading one does not mean seeing the next), and an edited copy served at the same origin.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from coursegen.loader import load_course

from .support import (
    ARTIFACTS,
    AXE_JS,
    DESKTOP,
    PHONE,
    Site,
    SiteServer,
    copy_project,
    coursegen,
    replace_once,
    settle,
)

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
BLOCKING = ("serious", "critical")

COURSE = """\
id: path-course
title: Path Course
description: A course with two roles whose learning paths differ.
modules: [opening, security-rounds, closing]
audiences:
  - id: front-desk
    title: Front desk staff
  - id: security
    title: Security staff
help:
  - name: Emergency
    phone: "911"
    description: If someone is in immediate danger, call 911.
"""

# Long enough that the end of one lesson and the end of the next are never on screen together.
LONG = "\n".join(
    f"      Paragraph {n} of this lesson, with enough words to fill a line or two on a phone.\n" for n in range(30)
)


def lesson(title: str, extra: str = "") -> str:
    return f"  - title: {title}\n    body: |\n{LONG}{extra}"


CHECK = """\
    checks:
      - id: check-where
        type: true_false
        prompt: Your progress is kept in this browser.
        answer: true
        true_feedback: Right. It stays in this browser.
        false_feedback: Not quite. It stays in this browser.
        explanation: Progress is kept in the browser's storage.
"""

QUIZ = """\
quiz:
  questions:
    - id: q-one
      type: true_false
      prompt: Lessons come before the quiz.
      answer: true
      true_feedback: Right.
      false_feedback: Not quite.
      explanation: Each module has lessons, then a quiz.
"""


def module(module_id: str, title: str, audiences: str, lessons: list[str], quiz: bool = False) -> str:
    head = (
        f"id: {module_id}\ntitle: {title}\nsummary: The {title.lower()} module.\naudiences: [{audiences}]\n"
        "duration_minutes: 10\nobjectives:\n  - Read the lessons\nlessons:\n"
    )
    return head + "".join(lessons) + (QUIZ if quiz else "")


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Front desk: Opening, Closing. Security: Opening, Security rounds, Closing. Variant "edited":
    the second lesson of Opening has new text."""
    base = tmp_path_factory.mktemp("paths")
    project = base / "course"
    coursegen("init", str(project), "--title", "Path Course", cwd=base)
    modules = project / "modules"
    (modules / "welcome.yml").unlink()
    (modules / "course.yml").write_text(COURSE, encoding="utf-8")
    (modules / "opening.yml").write_text(
        module(
            "opening",
            "Opening",
            "front-desk, security",
            [lesson("First lesson"), lesson("Second lesson"), lesson("Third lesson")],
            quiz=True,
        ),
        encoding="utf-8",
    )
    (modules / "security-rounds.yml").write_text(
        module("security-rounds", "Security rounds", "security", [lesson("Rounds"), lesson("Reports")]),
        encoding="utf-8",
    )
    (modules / "closing.yml").write_text(
        module("closing", "Closing", "front-desk, security", [lesson("Checking in", CHECK), lesson("Last words")]),
        encoding="utf-8",
    )
    server = SiteServer()
    try:
        mkdocs_yml = project / "mkdocs.yml"
        config = re.sub(r"(?m)^site_url:.*$", f"site_url: {server.url}/", mkdocs_yml.read_text(encoding="utf-8"))
        mkdocs_yml.write_text(config, encoding="utf-8")
        edited = copy_project(project, base / "edited")
        replace_once(
            edited / "modules" / "opening.yml",
            "  - title: Second lesson\n    body: |\n",
            "  - title: Second lesson\n    body: |\n      A new first paragraph.\n\n",
        )
        coursegen("build", "--strict", "--site-dir", str(base / "site"), cwd=project)
        coursegen("build", "--strict", "--site-dir", str(base / "site-edited"), cwd=edited)
    except BaseException:
        server.server_close()
        raise
    server.start(base / "site")
    site = Site("paths", base / "site", server, load_course(modules, project), project)
    site.variants["edited"] = base / "site-edited"
    yield site
    server.stop()


# --- by role and accessible name ----------------------------------------------------------------


def chooser(page: Page) -> Locator:
    return page.get_by_role("group", name="Choose your role", exact=True)


def choose_role(page: Page, title: str) -> None:
    chooser(page).get_by_role("radio", name=title, exact=True).check()


def path_box(page: Page) -> Locator:
    return page.get_by_role("region", name="Your learning path", exact=True)


def path_steps(page: Page) -> Locator:
    """The chosen path's modules, each with what is done."""
    return path_box(page).get_by_role("list", name="Modules of your path").get_by_role("listitem")


def continue_link(scope: Locator) -> Locator:
    return scope.get_by_role("link", name=re.compile(r"^Continue: "))


def lessons_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Lessons and your progress", exact=True)


def lesson_end(page: Page, number: int) -> Locator:
    """The end of the n-th lesson: its "Mark as done" button and what it says once read."""
    return page.locator("[data-cg-lesson-end]").nth(number - 1)


def read_sentence(page: Page, number: int) -> Locator:
    """What the end of the n-th lesson says once the lesson counts as read."""
    return lesson_end(page, number).get_by_text("You have read this lesson.")


def footer_link(page: Page, direction: str) -> Locator:
    return page.get_by_role("navigation", name="Footer").get_by_role("link", name=re.compile(rf"^{direction}: "))


def reload_fresh(page: Page) -> None:
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


# --- the "done when" ----------------------------------------------------------------------


def test_pick_a_role_finish_a_lesson_reload_and_continue(open_tab, paths: Site) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(paths.at("/"))
    expect(chooser(page)).to_be_visible()
    choose_role(page, "Front desk staff")
    box = path_box(page)
    expect(box.get_by_text("0 of 2 done — next: 1. Opening")).to_be_visible()
    expect(path_steps(page)).to_have_text(
        ["1. Opening 0 of 3 lessons read", "3. Closing 0 of 2 lessons read"], use_inner_text=True
    )
    continue_link(box).click()
    expect(page).to_have_url(paths.at("/modules/opening/#cg-lesson-1"))
    expect(lessons_nav(page)).to_contain_text("0 of 3 lessons read")

    end = lesson_end(page, 1)
    end.get_by_role("button", name="Mark as done").click()
    expect(end.get_by_text("You have read this lesson.")).to_have_text("✓ You have read this lesson.")
    expect(lessons_nav(page).get_by_role("listitem").first).to_have_text("First lesson ✓ Read", use_inner_text=True)
    expect(lessons_nav(page)).to_contain_text("1 of 3 lessons read")

    page.goto(paths.at("/"))
    reload_fresh(page)
    box = path_box(page)
    expect(chooser(page).get_by_role("radio", name="Front desk staff", exact=True)).to_be_checked()
    link = continue_link(box)
    expect(link).to_have_text("Continue: Second lesson")
    expect(link).to_have_attribute("href", paths.at("/modules/opening/#cg-lesson-2"))
    # The module's card counts its lessons too (text, not colour).
    card = page.get_by_role("listitem").filter(has=page.get_by_role("link", name="1. Opening", exact=True)).first
    expect(card).to_contain_text("1 of 3 lessons read")
    link.click()
    expect(page).to_have_url(paths.at("/modules/opening/#cg-lesson-2"))
    expect(page.get_by_role("heading", name="Second lesson", level=2)).to_be_in_viewport()
    assert tab.errors == []


def test_scrolling_to_a_lessons_end_reads_it_and_the_contents_say_so(page: Page, paths: Site) -> None:
    page.goto(paths.at("/modules/opening/"))
    nav = lessons_nav(page)
    expect(nav).to_contain_text("0 of 3 lessons read")
    lesson_end(page, 2).scroll_into_view_if_needed()
    expect(read_sentence(page, 2)).to_have_text("✓ You have read this lesson.")
    # Only what was on screen counts: the first lesson's end was scrolled past, the third not reached.
    expect(nav.get_by_role("listitem")).to_have_text(
        ["First lesson Not read yet", "Second lesson ✓ Read", "Third lesson Not read yet"], use_inner_text=True
    )
    expect(continue_link(nav)).to_have_text("Continue: First lesson")
    # Material's table of contents (right-hand, at desktop width) marks the lesson read.
    toc = page.get_by_role("navigation", name="Table of contents")
    read_entry = toc.get_by_role("link", name="Second lesson Read", exact=True)
    expect(read_entry).to_be_visible()
    expect(read_entry).to_contain_text("✓")
    expect(toc.get_by_role("link", name="First lesson", exact=True)).to_be_visible()


# --- paths: the footer, one click to change -------------------------------------------------------


def test_footer_next_and_previous_follow_the_chosen_path(open_tab, paths: Site) -> None:
    tab = open_tab()
    page = tab.page
    page.goto(paths.at("/modules/opening/"))
    # No role: course order.
    expect(footer_link(page, "Next")).to_have_accessible_name("Next: 2. Security rounds")
    page.goto(paths.at("/"))
    choose_role(page, "Front desk staff")
    page.get_by_role("link", name="1. Opening", exact=True).first.click()
    expect(page).to_have_url(paths.at("/modules/opening/"))
    next_link = footer_link(page, "Next")
    expect(next_link).to_have_accessible_name("Next: 3. Closing")
    expect(next_link).to_contain_text("3. Closing")
    expect(footer_link(page, "Previous")).to_have_accessible_name("Previous: Home")
    # Following it (Material's instant navigation swaps the page in place) keeps to the path.
    next_link.click()
    expect(page).to_have_url(paths.at("/modules/closing/"))
    expect(footer_link(page, "Previous")).to_have_accessible_name("Previous: 1. Opening")
    expect(footer_link(page, "Next")).to_have_accessible_name("Next: Your progress")
    # A module outside the path keeps the course order.
    page.goto(paths.at("/modules/security-rounds/"))
    expect(footer_link(page, "Previous")).to_have_accessible_name("Previous: 1. Opening")
    expect(footer_link(page, "Next")).to_have_accessible_name("Next: 3. Closing")
    assert tab.errors == []


def test_changing_role_is_one_click_and_is_remembered(page: Page, paths: Site) -> None:
    page.goto(paths.at("/"))
    choose_role(page, "Front desk staff")
    expect(path_box(page)).to_contain_text("0 of 2 done")
    chooser(page).get_by_text("Security staff", exact=True).click()
    expect(path_box(page)).to_contain_text("0 of 3 done — next: 1. Opening")
    reload_fresh(page)
    expect(chooser(page).get_by_role("radio", name="Security staff", exact=True)).to_be_checked()
    expect(path_steps(page)).to_have_count(3)
    page.goto(paths.at("/modules/opening/"))
    expect(footer_link(page, "Next")).to_have_accessible_name("Next: 2. Security rounds")
    page.goto(paths.at("/"))
    chooser(page).get_by_text("No role: show the whole course", exact=True).click()
    expect(path_steps(page)).to_have_count(0)
    expect(path_box(page)).to_contain_text("Choose your role")


def test_without_javascript_the_whole_course_shows(open_tab, paths: Site) -> None:
    page = open_tab(javascript=False).page
    page.goto(paths.at("/"))
    expect(page.get_by_role("heading", name="Modules", level=2)).to_be_visible()
    for title in ("1. Opening", "2. Security rounds", "3. Closing"):
        expect(page.get_by_role("link", name=title, exact=True).first).to_be_visible()
    expect(page.get_by_role("heading", name="Learning paths", level=2)).to_be_visible()
    expect(page.get_by_role("heading", name="Front desk staff", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Security staff", level=3)).to_be_visible()
    expect(chooser(page)).to_be_hidden()  # it could do nothing without a script
    page.goto(paths.at("/modules/opening/"))
    for title in ("First lesson", "Second lesson", "Third lesson"):
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)
    expect(lessons_nav(page)).to_have_count(0)
    expect(page.get_by_text("Paragraph 29 of this lesson").first).to_be_visible()


# --- kept under the content-hash rules ------------------------------------------------------------


def test_an_edited_lesson_starts_unread(page: Page, paths: Site) -> None:
    page.goto(paths.at("/modules/opening/"))
    for number in (1, 2):
        lesson_end(page, number).get_by_role("button", name="Mark as done").click()
        expect(read_sentence(page, number)).to_have_text("✓ You have read this lesson.")
    expect(lessons_nav(page)).to_contain_text("2 of 3 lessons read")
    with paths.serving("edited"):
        # Back later (from the top of the page: a reload would scroll back to where the learner
        # was, and reaching a lesson's end reads it).
        page.goto(paths.at("/"))
        page.goto(paths.at("/modules/opening/"))
        nav = lessons_nav(page)
        expect(nav.get_by_role("listitem")).to_have_text(
            ["First lesson ✓ Read", "Second lesson Not read yet", "Third lesson Not read yet"], use_inner_text=True
        )
        expect(continue_link(nav)).to_have_text("Continue: Second lesson")
        # The record keeps the lessons the module has now, not old versions.
        lesson_end(page, 3).get_by_role("button", name="Mark as done").click()
        expect(nav).to_contain_text("2 of 3 lessons read")
        record = page.evaluate("localStorage.getItem('coursegen:path-course:opening:lessons')")
        assert len(json.loads(record)["read"]) == 2


def test_knowledge_check_answers_are_kept(page: Page, paths: Site) -> None:
    page.goto(paths.at("/modules/closing/"))
    form = page.get_by_role("form", name="Knowledge check: Checking in", exact=True)
    form.get_by_role("radio", name="True", exact=True).check()
    form.get_by_role("button", name="Check", exact=True).click()
    expect(form.get_by_role("status")).to_contain_text("All correct.")
    page.goto(paths.at("/"))
    page.goto(paths.at("/modules/closing/"))
    form = page.get_by_role("form", name="Knowledge check: Checking in", exact=True)
    expect(form.get_by_role("status")).to_contain_text("Your last result was restored.")
    expect(form.get_by_role("radio", name="True", exact=True)).to_be_checked()
    # The page did not jump to the restored check.
    assert page.evaluate("window.scrollY") == 0


def test_progress_page_lists_lessons_read_and_clears_them(page: Page, paths: Site) -> None:
    page.goto(paths.at("/"))
    choose_role(page, "Security staff")
    page.goto(paths.at("/modules/security-rounds/"))
    lesson_end(page, 1).get_by_role("button", name="Mark as done").click()
    expect(lessons_nav(page)).to_contain_text("1 of 2 lessons read")
    page.goto(paths.at("/progress/"))
    section = page.get_by_role("region", name="Lessons read", exact=True)
    item = section.get_by_role("listitem").filter(has=page.get_by_role("link", name="2. Security rounds", exact=True))
    expect(item.first).to_contain_text("1 of 2 lessons read")
    expect(item.get_by_role("listitem")).to_have_text(["Rounds ✓ Read", "Reports Not read yet"], use_inner_text=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my progress").click()
    expect(item.first).to_contain_text("0 of 2 lessons read")
    page.goto(paths.at("/"))
    expect(chooser(page).get_by_role("radio", name="Security staff", exact=True)).not_to_be_checked()


# --- accessibility: axe and the keyboard ----------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_home_with_a_role_chosen_has_no_serious_axe_violations(
    node_tools: None, open_tab, paths: Site, viewport: str
) -> None:
    page = open_tab(viewport=PHONE if viewport == "phone" else DESKTOP).page
    page.goto(paths.at("/modules/opening/"))
    lesson_end(page, 1).get_by_role("button", name="Mark as done").click()
    page.goto(paths.at("/"))
    choose_role(page, "Security staff")
    expect(continue_link(path_box(page))).to_be_visible()
    violations = axe(page)
    page.goto(paths.at("/modules/opening/"))
    expect(lessons_nav(page)).to_contain_text("1 of 3 lessons read")
    violations += axe(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, json.dumps(blocking, indent=1)[:4000]


def axe(page: Page) -> list[dict]:
    settle(page)
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations")


def focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator, limit: int = 200) -> None:
    for _ in range(limit):
        if focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def test_keyboard_only(page: Page, paths: Site) -> None:
    page.goto(paths.at("/"))
    group = chooser(page)
    # Tab enters the group at its checked radio: no role yet; the arrow keys choose.
    tab_to(page, group.get_by_role("radio", name="No role: show the whole course", exact=True))
    page.keyboard.press("ArrowDown")
    first = group.get_by_role("radio", name="Front desk staff", exact=True)
    expect(first).to_be_checked()
    expect(path_box(page)).to_contain_text("0 of 2 done")
    page.keyboard.press("ArrowDown")  # one key changes the role
    expect(group.get_by_role("radio", name="Security staff", exact=True)).to_be_checked()
    expect(path_box(page)).to_contain_text("0 of 3 done")
    tab_to(page, path_box(page).get_by_role("link", name="1. Opening", exact=True).first)
    page.keyboard.press("Enter")
    expect(page).to_have_url(paths.at("/modules/opening/"))
    button = lesson_end(page, 1).get_by_role("button", name="Mark as done")
    tab_to(page, button)
    page.keyboard.press("Enter")
    expect(read_sentence(page, 1)).to_have_text("✓ You have read this lesson.")
    expect(button).to_be_focused()  # still where the learner left it


# --- screenshots to look at -----------------------------------------------------------------------


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_screenshots(open_tab, flagship: Site, viewport: str) -> None:
    """The flagship's home page with a role chosen and a module page with lesson progress."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_tab(viewport=PHONE if viewport == "phone" else DESKTOP).page
    module = flagship.course.path_for("hospitality")[0]
    page.goto(flagship.module_url(module))
    lesson_end(page, 1).get_by_role("button", name="Mark as done").click()
    lesson_end(page, 2).get_by_role("button", name="Mark as done").click()
    page.goto(flagship.at("/"))
    choose_role(page, "Hotel and casino staff")
    expect(continue_link(path_box(page))).to_be_visible()
    settle(page)
    home = SHOTS / f"{viewport}-path-home.png"
    page.screenshot(path=home, full_page=False, animations="disabled")
    path_box(page).screenshot(path=SHOTS / f"{viewport}-path-chooser.png", animations="disabled")
    page.goto(flagship.module_url(module))
    expect(lessons_nav(page)).to_contain_text("2 of")
    settle(page)
    lessons = SHOTS / f"{viewport}-path-module.png"
    page.screenshot(path=lessons, animations="disabled")
    for path in (home, lessons):
        assert path.stat().st_size > 5_000, f"{path} looks empty"
