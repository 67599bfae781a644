"""A whole quiz with the keyboard only: Tab to move, Space and the arrow keys to answer, Enter to
check; every control shows where the focus is; the result is announced in the status region."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from .support import Site, norm, option, question_group, quiz_form, right_texts, status

pytestmark = pytest.mark.browser

MAX_TABS = 600


def focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator, *, max_presses: int = MAX_TABS) -> None:
    """Press Tab until ``target`` has the focus (fails if it never gets it)."""
    for _ in range(max_presses):
        if focused(target):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target} in {max_presses} presses")


def expect_focus_visible(page: Page, target: Locator) -> None:
    """The focused control looks different from the same control without focus."""
    assert focused(target), f"{target} should have the focus"
    box = target.bounding_box()
    assert box is not None, f"{target} is not on screen"
    margin = 6
    clip = {
        "x": max(box["x"] - margin, 0),
        "y": max(box["y"] - margin, 0),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    with_focus = page.screenshot(clip=clip, animations="disabled")
    target.evaluate("el => el.blur()")
    without_focus = page.screenshot(clip=clip, animations="disabled")
    target.focus()  # give it back, so that the next Tab goes on from here
    assert with_focus != without_focus, f"no visible focus indicator on {target}"


def answer_with_keyboard(page: Page, form: Locator, questions) -> None:
    """Tab into each question and answer it rightly: Space on checkboxes; arrows (or Space on the
    first) in a radio group, where Tab lands on the first answer."""
    seen_kinds: set[str] = set()
    for number, question in enumerate(questions, start=1):
        group = question_group(form, number, question)
        targets = set(map(norm, right_texts(question)))
        if question.type == "multiple":
            boxes = group.get_by_role("checkbox")
            for box in boxes.all():
                name = norm(box.evaluate("el => el.labels[0].textContent"))
                if name in targets:
                    tab_to(page, box)
                    if "checkbox" not in seen_kinds:
                        expect_focus_visible(page, box)
                        seen_kinds.add("checkbox")
                    page.keyboard.press("Space")
                    expect(box).to_be_checked()
            continue
        radios = group.get_by_role("radio")
        tab_to(page, radios.first)
        if "radio" not in seen_kinds:
            expect_focus_visible(page, radios.first)
            seen_kinds.add("radio")
        [target_text] = targets
        target = option(group, question, target_text)
        if focused(target):
            page.keyboard.press("Space")
        else:
            for _ in range(radios.count()):
                page.keyboard.press("ArrowDown")
                if focused(target):
                    break
        expect(target).to_be_focused()
        expect(target).to_be_checked()


def test_whole_quiz_by_keyboard(page: Page, any_site: Site) -> None:
    module = any_site.quizzed_modules()[0]
    questions = module.quiz.questions
    page.goto(any_site.module_url(module))
    form = quiz_form(page, module)

    answer_with_keyboard(page, form, questions)

    # Before checking, the answer panels are not there to open: from the last answer, Tab
    # goes straight to the button.
    summary = question_group(form, len(questions), questions[-1]).get_by_text("Answer and explanation", exact=True)
    expect(summary).to_be_hidden()
    check = form.get_by_role("button", name="Check my answers")
    tab_to(page, check, max_presses=3)
    expect_focus_visible(page, check)
    page.keyboard.press("Enter")

    result = status(form)
    n = len(questions)
    expect(result).to_contain_text(f"You scored 100% ({n} of {n} correct).")
    expect(result).to_contain_text("You passed this quiz.")
    expect(result).to_have_attribute("aria-live", "polite")
    expect(result).to_be_focused()  # and so read out at once
    expect_focus_visible(page, result)

    # After checking, the panel opens with the answer; Check is disabled, and Try again sits
    # just before the result: one Shift+Tab away.
    expect(summary).to_be_visible()
    expect(check).to_be_disabled()
    page.keyboard.press("Shift+Tab")
    retry = form.get_by_role("button", name="Try again")
    expect(retry).to_be_focused()
    expect_focus_visible(page, retry)
    page.keyboard.press("Enter")
    expect(result).to_have_text("")
    first = form.get_by_role("radio").or_(form.get_by_role("checkbox")).first
    expect(first).to_be_focused()
    expect(first).not_to_be_checked()
