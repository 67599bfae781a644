"""Dark mode: Material's light/dark toggle, following the device's setting, and every coursegen
colour (feedback on right and wrong answers, verdicts, results, progress, certificate) checked by
axe in the dark scheme at phone and desktop width. The light scheme of the same pages is checked
by test_a11y.py; the certificate, which test_a11y has not, is checked here in both."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .support import DESKTOP, PHONE, Site, answer_all, quiz_form, status, submit
from .test_a11y import BLOCKING, PAGES, REPORTS, describe, run_axe

pytestmark = pytest.mark.browser

SCHEMES = {"light": "default", "dark": "slate"}


def _certificate_shown(page: Page, site: Site) -> None:
    """The certificate itself: every module quiz passed, a name typed, the card shown."""
    for module in site.quizzed_modules():
        page.goto(site.module_url(module))
        form = quiz_form(page, module)
        answer_all(form, module.quiz.questions)
        submit(form)
        expect(status(form)).to_contain_text("You passed this quiz.")
    page.goto(site.at("/certificate/"))
    page.get_by_role("combobox", name="Learning path").select_option(label="Everyone")
    page.get_by_role("textbox", name="Your name, as it should appear on the certificate").fill("Sam Rivera")
    page.get_by_role("button", name="Show my certificate").click()
    expect(page.get_by_role("region", name="Certificate")).to_be_visible()


KINDS: dict[str, Callable[[Page, Site], None]] = {
    "home": PAGES["home"],
    "quiz-checked": PAGES["quiz-checked"],
    "progress": PAGES["progress"],
    "help": PAGES["help"],
    "certificate": lambda page, site: page.goto(site.at("/certificate/")),
    "search-open": PAGES["search-open"],
}
CASES = [("flagship", kind, "dark", width) for kind in KINDS for width in ("desktop", "phone")]
CASES += [("flagship", "certificate", "light", width) for width in ("desktop", "phone")]
CASES += [("starter", "certificate-shown", scheme, "desktop") for scheme in SCHEMES]
CASES += [("starter", "certificate-shown", "dark", "phone")]


def open_in(open_tab, scheme: str, width: str) -> Page:
    """A fresh page whose device prefers the given colour scheme."""
    page = open_tab(viewport=PHONE if width == "phone" else DESKTOP).page
    page.emulate_media(color_scheme=scheme)
    return page


@pytest.mark.parametrize(("site_name", "kind", "scheme", "width"), CASES, ids=["-".join(c) for c in CASES])
def test_no_serious_violations_in_either_scheme(
    request: pytest.FixtureRequest, node_tools: None, open_tab, site_name: str, kind: str, scheme: str, width: str
) -> None:
    site: Site = request.getfixturevalue(site_name)
    page = open_in(open_tab, scheme, width)
    (KINDS.get(kind) or _certificate_shown)(page, site)
    # The site follows the device: the scheme really is the one being checked.
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    violations = run_axe(page)
    REPORTS.mkdir(parents=True, exist_ok=True)
    report = REPORTS / f"{site_name}-{kind}-{scheme}-{width}.json"
    report.write_text(json.dumps({"url": page.url, "violations": violations}, indent=1), encoding="utf-8")
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {kind} ({page.url}, {scheme}, {width}):\n{describe(blocking)}"


def test_the_toggle_switches_and_the_choice_is_kept(open_tab, flagship: Site) -> None:
    """A learner on a light device picks dark in the header; other pages stay dark, and the
    toggle then offers light."""
    page = open_in(open_tab, "light", "desktop")
    page.goto(flagship.at("/"))
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.goto(flagship.at("/help/"))
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(page.get_by_title("Switch to light mode")).to_be_visible()
    page.get_by_title("Switch to light mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
