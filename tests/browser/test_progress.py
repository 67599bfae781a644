"""Progress: kept across reloads and (instant) navigation, shown on the progress page, and never
stale after the quiz was edited."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .support import Site, answer_all, choose, norm, progress_summary, quiz_form, status, submit, wrong_texts

pytestmark = pytest.mark.browser

RESTORED = "Your last result was restored."


def progress_row(page: Page, number: int, title: str):
    """The progress table's row of a module, found by the link to the module."""
    link = page.get_by_role("link", name=f"{number}. {norm(title)}", exact=True)
    return page.get_by_role("main").get_by_role("row").filter(has=link)


def expect_progress(page: Page, number: int, title: str, state: str, best: str) -> None:
    cells = progress_row(page, number, title).get_by_role("cell")
    expect(cells).to_have_text([f"{number}. {norm(title)}", state, best])


def primary_nav(page: Page):
    return page.get_by_role("navigation", name="Navigation", exact=True)


def mark_document(page: Page) -> None:
    """Leave a mark in the page's JavaScript world: a full page load wipes it, instant
    navigation (which swaps the content in place) keeps it."""
    page.evaluate("window.__cgSameDocument = true")


def expect_same_document(page: Page) -> None:
    assert page.evaluate("window.__cgSameDocument === true"), "the page was loaded in full, not by instant navigation"


def test_progress_survives_reload_and_instant_navigation(page: Page, starter: Site) -> None:
    welcome = starter.course.module("welcome")
    second = starter.course.module("second-steps")
    questions = welcome.quiz.questions
    page.goto(starter.module_url(welcome))
    form = quiz_form(page, welcome)
    answer_all(form, questions, right=False)
    submit(form)
    expect(status(form)).to_contain_text("You scored 0%")
    form.get_by_role("button", name="Try again").click()
    answer_all(form, questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")

    # A full reload restores the answers and the result.
    page.reload()
    form = quiz_form(page, welcome)
    expect(status(form)).to_contain_text(RESTORED)
    expect(status(form)).to_contain_text("You scored 100% (3 of 3 correct).")
    expect(status(form)).to_contain_text("Your best score: 100%.")
    expect(form.get_by_role("radio", name="A quiz", exact=True)).to_be_checked()
    expect(page.get_by_role("main").get_by_text("Passed", exact=True).first).to_be_visible()

    # Instant navigation to the progress page, from the site navigation.
    mark_document(page)
    primary_nav(page).get_by_role("link", name="Your progress", exact=True).click()
    expect(page).to_have_url(starter.at("/progress/"))
    expect(page.get_by_role("heading", name="Your progress", level=1)).to_be_visible()
    expect_same_document(page)
    expect_progress(page, 1, welcome.title, "Passed", "100%")
    expect_progress(page, 2, second.title, "Not started", "–")
    expect(progress_summary(page)).to_have_text("You have passed 1 of 2 module quizzes.")

    # And back to the module from the progress table: the result is still there.
    progress_row(page, 1, welcome.title).get_by_role("link").click()
    expect(page).to_have_url(starter.module_url(welcome))
    expect_same_document(page)
    expect(status(quiz_form(page, welcome))).to_contain_text(RESTORED)

    # The home page's module cards show each module's state.
    primary_nav(page).get_by_role("link", name="Home", exact=True).click()
    expect(page).to_have_url(starter.at("/"))
    expect_same_document(page)
    main = page.get_by_role("main")
    expect(main.get_by_text("Passed", exact=True)).to_have_count(1)
    expect(main.get_by_text("Not started", exact=True)).to_have_count(1)


def test_best_score_and_not_passed_state(page: Page, starter: Site) -> None:
    welcome = starter.course.module("welcome")
    second = starter.course.module("second-steps")
    page.goto(starter.module_url(second))
    form = quiz_form(page, second)
    answer_all(form, second.quiz.questions, right=False)
    submit(form)
    expect(status(form)).to_contain_text("You scored 0%")

    page.goto(starter.module_url(welcome))
    form = quiz_form(page, welcome)
    answer_all(form, welcome.quiz.questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")
    # A worse second attempt does not lower the best score or undo the pass.
    form.get_by_role("button", name="Try again").click()
    single, multiple, true_false = welcome.quiz.questions
    choose(form, 1, single, wrong_texts(single)[:1])
    choose(form, 2, multiple, wrong_texts(multiple))
    choose(form, 3, true_false, ["True"])
    submit(form)
    expect(status(form)).to_contain_text("You scored 33% (1 of 3 correct).")
    expect(status(form)).to_contain_text("Your best score: 100%.")

    page.goto(starter.at("/progress/"))
    expect_progress(page, 1, welcome.title, "Passed", "100%")
    expect_progress(page, 2, second.title, "Tried, not passed yet", "0%")
    expect(progress_summary(page)).to_have_text("You have passed 1 of 2 module quizzes.")


def test_clear_results(page: Page, starter: Site) -> None:
    welcome = starter.course.module("welcome")
    page.goto(starter.module_url(welcome))
    form = quiz_form(page, welcome)
    answer_all(form, welcome.quiz.questions)
    submit(form)
    page.goto(starter.at("/progress/"))
    expect_progress(page, 1, welcome.title, "Passed", "100%")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear my progress").click()
    expect_progress(page, 1, welcome.title, "Not started", "–")
    page.reload()
    expect_progress(page, 1, welcome.title, "Not started", "–")


def test_edited_quiz_does_not_show_a_stale_score(page: Page, starter: Site) -> None:
    welcome = starter.course.module("welcome")
    page.goto(starter.module_url(welcome))
    form = quiz_form(page, welcome)
    answer_all(form, welcome.quiz.questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")

    # The author edits a question and publishes the course again at the same address.
    with starter.serving("edited"):
        page.goto(starter.at("/progress/"))
        expect_progress(page, 1, welcome.title, "Not started", "–")
        expect(progress_summary(page)).to_have_text("You have passed 0 of 2 module quizzes.")
        page.goto(starter.module_url(welcome))
        form = quiz_form(page, welcome)
        expect(form.get_by_role("group", name="1. What comes last in a module?", exact=True)).to_be_visible()
        expect(status(form)).to_have_text("")
        for choice in form.get_by_role("radio").all() + form.get_by_role("checkbox").all():
            expect(choice).not_to_be_checked()
            expect(choice).to_be_enabled()
        expect(page.get_by_role("main").get_by_text("Not started", exact=True)).to_be_visible()

    # The result of the quiz as it was is kept for that version.
    page.goto(starter.at("/progress/"))
    expect_progress(page, 1, welcome.title, "Passed", "100%")


def test_flagship_progress_page_shows_every_module(page: Page, flagship: Site) -> None:
    modules = flagship.quizzed_modules()
    first, rest = modules[0], modules[1:]
    # Fail the first module, pass the others, then visit the progress page.
    page.goto(flagship.module_url(first))
    form = quiz_form(page, first)
    answer_all(form, first.quiz.questions, right=False)
    submit(form)
    for module in rest:
        page.goto(flagship.module_url(module))
        form = quiz_form(page, module)
        answer_all(form, module.quiz.questions)
        submit(form)
        expect(status(form)).to_contain_text("You passed this quiz.")
    page.goto(flagship.at("/"))
    page.get_by_role("navigation", name="Navigation", exact=True).get_by_role("link", name="Your progress").click()
    expect(page).to_have_url(flagship.at("/progress/"))
    numbers = {m.id: n for n, m in enumerate(flagship.course.modules, start=1)}
    expect_progress(page, numbers[first.id], first.title, "Tried, not passed yet", "0%")
    for module in rest:
        expect_progress(page, numbers[module.id], module.title, "Passed", "100%")
    expect(progress_summary(page)).to_have_text(f"You have passed {len(rest)} of {len(modules)} module quizzes.")
