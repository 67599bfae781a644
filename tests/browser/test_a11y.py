"""axe-core (tests/tooling, from npm) injected into every kind of page the course has: no serious
or critical violation. The course is ours, so Material's own gaps are fixed (theme overrides and
quiz.css/quiz.js), not filtered out here. Every violation found, of any impact, is written to
tests/artifacts/axe/ for a person to read."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .guide_course import GUIDE_URL
from .support import (
    ARTIFACTS,
    AXE_JS,
    DESKTOP,
    PHONE,
    Site,
    answer_all,
    progress_summary,
    quiz_form,
    settle,
    status,
    submit,
)

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
REPORTS = ARTIFACTS / "axe"


def _module(page: Page, site: Site) -> None:
    page.goto(site.module_url(site.quizzed_modules()[0]))


def _quiz_checked(page: Page, site: Site) -> None:
    """A quiz after checking: right and wrong answers marked, feedback, verdicts, the result."""
    module = site.quizzed_modules()[0]
    page.goto(site.module_url(module))
    form = quiz_form(page, module)
    questions = list(module.quiz.questions)
    half = len(questions) // 2
    answer_all(form, questions[:half], right=False)
    answer_all(form, questions[half:], start=half + 1)
    submit(form)
    expect(status(form)).to_contain_text("You scored")


def _progress(page: Page, site: Site) -> None:
    _quiz_checked(page, site)
    page.goto(site.at("/progress/"))
    expect(progress_summary(page)).to_contain_text("You have passed")


def _search_open(page: Page, site: Site) -> None:
    page.goto(site.at("/"))
    search = page.get_by_role("textbox", name="Search")
    if page.viewport_size["width"] < 700:
        page.keyboard.press("/")  # Material's shortcut; on a phone the header's magnifier opens it
        expect(search).to_be_focused()
    else:
        search.click()
    search.press_sequentially("hotline")
    # Results change with every key: wait for those of the whole word, highlighted.
    results = page.get_by_role("dialog", name="Search")
    expect(results.get_by_text(re.compile(r"^\d+ matching documents?$"))).to_be_visible()
    expect(results.locator("mark").filter(has_text=re.compile("^hotline$", re.IGNORECASE)).first).to_be_visible()


def _goto(path: str) -> Callable[[Page, Site], None]:
    def go(page: Page, site: Site) -> None:
        if path not in site.pages() and path != "/no-such-page/":
            pytest.skip(f"{site.name} has no {path}")
        page.goto(site.at(path))

    return go


PAGES: dict[str, Callable[[Page, Site], None]] = {
    "home": _goto("/"),
    "module": _module,
    "quiz-checked": _quiz_checked,
    "progress": _progress,
    "help": _goto("/help/"),
    "contacts": _goto("/contacts/"),
    "glossary": _goto("/glossary/"),
    "facilitator": _goto("/facilitator/"),
    "hand-written": _goto("/about/"),
    "404": _goto("/no-such-page/"),
    "search-open": _search_open,
    "authors-guide": _goto(GUIDE_URL),
}


def run_axe(page: Page) -> list[dict]:
    # Colours are measured in their final state: a search highlight half-way through its
    # transition once measured 3.9:1 and failed a run that passed on the rerun.
    settle(page)
    # Evaluated by the test driver, so the page's Content-Security-Policy (which rightly refuses
    # inline scripts) stays on while axe looks at it.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations")


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} {v['helpUrl']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {' '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


# Every kind of page at both widths on the flagship course; the starter course adds its own
# content (its glossary, a course with two modules) at desktop width.
STARTER_KINDS = ("home", "module", "quiz-checked", "progress", "glossary", "hand-written", "404")
CASES = [("flagship", kind, viewport) for kind in PAGES if kind != "authors-guide" for viewport in ("desktop", "phone")]
CASES += [("starter", kind, "desktop") for kind in STARTER_KINDS]
# The authors' guide (code blocks, tables) in a site that surely has it, whether or not the
# flagship's learner site does.
CASES += [("guide", "authors-guide", viewport) for viewport in ("desktop", "phone")]


@pytest.mark.parametrize(("site_name", "kind", "viewport"), CASES, ids=["-".join(case) for case in CASES])
def test_no_serious_violations(
    request: pytest.FixtureRequest, node_tools: None, open_tab, site_name: str, kind: str, viewport: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    page = open_tab(viewport=PHONE if viewport == "phone" else DESKTOP).page
    PAGES[kind](page, site)
    violations = run_axe(page)
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{site_name}-{kind}-{viewport}.json"
    report.write_text(json.dumps({"url": page.url, "violations": violations}, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {kind} ({page.url}, {viewport}):\n{describe(blocking)}"


def test_wide_table_scrolls_by_keyboard_on_a_phone(node_tools: None, open_tab, starter: Site) -> None:
    """A lesson table wider than the phone scrolls in its own box: that box takes the focus, has a
    name, and the arrow keys scroll it (axe: scrollable-region-focusable)."""
    page = open_tab(viewport=PHONE).page
    page.goto(starter.module_url(starter.course.module("second-steps")))
    region = page.get_by_role("region", name="Who to tell: table, scrolls sideways", exact=True)
    expect(region).to_be_visible()
    expect(region.get_by_role("table")).to_be_visible()
    for _ in range(80):
        if region.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
