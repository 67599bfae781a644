"""Phone (390×844) and desktop (1280×800): nothing scrolls sideways; screenshots for a person to
look at are saved under tests/artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .support import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    Site,
    answer_all,
    check_with_one_wrong,
    norm,
    progress_summary,
    quiz_form,
    status,
    submit,
)

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
SHOTS = ARTIFACTS / "screenshots"


def overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def wide_elements(page: Page) -> list[str]:
    """What sticks out to the right, to say why a page scrolls sideways."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll("body *")]
          .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
          .slice(0, 5)
          .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join("."));
        }"""
    )


def nested_glossary(page: Page) -> bool:
    """Is a glossary term inside another term's definition?"""
    return page.get_by_role("definition").filter(has=page.get_by_role("term")).count() > 0


def test_glossary_entries_are_not_nested(page: Page, any_site: Site) -> None:
    if "/glossary/" not in any_site.pages():
        pytest.skip("this course has no glossary")
    page.goto(any_site.at("/glossary/"))
    assert not nested_glossary(page), "glossary terms are nested in each other's definitions"
    expect(page.get_by_role("main").get_by_role("term")).to_have_count(len(any_site.course.course.glossary))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_horizontal_scroll(open_tab, any_site: Site, viewport: str) -> None:
    page = open_tab(viewport=VIEWPORTS[viewport]).page
    problems = []
    for path in any_site.pages():
        page.goto(any_site.at(path))
        if overflow(page) > 0:
            problems.append(f"{path}: {overflow(page)}px too wide ({', '.join(wide_elements(page))})")
    # A quiz after checking shows feedback, verdicts and the result: still no sideways scroll.
    module = any_site.quizzed_modules()[0]
    page.goto(any_site.module_url(module))
    form = quiz_form(page, module)
    answer_all(form, module.quiz.questions, right=False)
    submit(form)
    expect(status(form)).not_to_have_text("")
    if overflow(page) > 0:
        problems.append(
            f"{module.id} quiz after checking: {overflow(page)}px too wide ({', '.join(wide_elements(page))})"
        )
    assert not problems, f"pages scroll sideways at {viewport} width:\n" + "\n".join(problems)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_screenshots(open_tab, flagship: Site, viewport: str) -> None:
    """Home, a module, a quiz after checking (one wrong answer) and the progress page."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = open_tab(viewport=VIEWPORTS[viewport]).page
    saved = []

    def shot(name: str, target=None, *, full_page: bool = False) -> None:
        path = SHOTS / f"{viewport}-{name}.png"
        if target is None:
            page.screenshot(path=path, full_page=full_page, animations="disabled")
        else:
            target.screenshot(path=path, animations="disabled")
        saved.append(path)

    page.goto(flagship.at("/"))
    shot("home", full_page=True)

    module = flagship.quizzed_modules()[0]
    page.goto(flagship.module_url(module))
    shot("module")

    form = quiz_form(page, module)
    check_with_one_wrong(form, module)
    shot("quiz-after-submit", form)

    page.goto(flagship.at("/progress/"))
    expect(progress_summary(page)).to_contain_text("You have passed")
    shot("progress", full_page=True)

    for path in saved:
        assert path.stat().st_size > 5_000, f"{path} looks empty"


def test_question_prompts_sit_inside_their_card_on_a_phone(open_tab, any_site: Site) -> None:
    """A question's prompt (its fieldset's legend) is laid out inside the card, below its top
    border, however long it is: never drawn across the border line."""
    page = open_tab(viewport=PHONE).page
    problems = []
    for module in any_site.quizzed_modules():
        page.goto(any_site.module_url(module))
        placed = (
            page.get_by_role("main")
            .get_by_role("group")
            .evaluate_all(
                """groups => groups.filter(g => g.tagName === "FIELDSET").map(g => {
              const box = g.getBoundingClientRect();
              const legend = g.querySelector(":scope > legend").getBoundingClientRect();
              const border = parseFloat(getComputedStyle(g).borderTopWidth);
              return [g.querySelector(":scope > legend").textContent.trim().slice(0, 60),
                      legend.top - (box.top + border), legend.left - box.left, box.right - legend.right];
            })"""
            )
        )
        assert placed, f"{module.id}: no questions found"
        for prompt, below_border, left, right in placed:
            if below_border < 0 or left < 0 or right < 0:
                problems.append(f"{module.id}: {prompt!r} is drawn across the card's border, not inside it")
    assert not problems, "\n".join(problems)


def font_px(locator) -> float:  # noqa: ANN001 - a Locator
    return float(locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_explanations_and_notes_are_as_large_as_the_lesson_text(open_tab, flagship: Site, viewport: str) -> None:
    """Quiz explanations and notes (admonitions) are read as closely as the lessons: same size."""
    page = open_tab(viewport=VIEWPORTS[viewport]).page
    module = next(m for m in flagship.quizzed_modules() if m.content_note)
    page.goto(flagship.module_url(module))
    main = page.get_by_role("main")
    body = font_px(main.get_by_text(norm(module.objectives[0]), exact=True).first)
    assert body >= 16, f"lesson text is {body}px"
    note = main.get_by_text(norm(module.content_note or ""))
    assert font_px(note) >= body, "the content note is smaller than the lesson text"
    form = quiz_form(page, module)
    check_with_one_wrong(form, module)
    question = module.quiz.questions[0]
    explanation = form.get_by_text(norm(question.explanation), exact=True)
    expect(explanation).to_be_visible()
    assert font_px(explanation) >= body, "the explanation is smaller than the lesson text"
    feedback = form.get_by_text(norm(question.options()[0].feedback), exact=True).first
    assert font_px(feedback) >= body * 0.95, "the feedback is smaller than the lesson text"
