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
