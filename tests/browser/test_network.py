"""Browsing every page (searching and taking a quiz on the way) asks nothing of any host but
127.0.0.1: no fonts, CDNs or analytics. Every request is recorded; others are blocked and fail
the test. Script errors on any page fail it too."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .support import LOCAL_HOST, Site, answer_all, quiz_form, status, submit

pytestmark = pytest.mark.browser

STAYS_IN_BROWSER = ("data", "blob", "about")


def test_no_request_leaves_localhost(open_tab, any_site: Site) -> None:
    tab = open_tab()
    page = tab.page
    for path in [*any_site.pages(), "/no-such-page/"]:
        page.goto(any_site.at(path), wait_until="networkidle")

    page.goto(any_site.at("/"), wait_until="networkidle")
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("quiz")
    expect(page.get_by_role("dialog", name="Search").get_by_role("link").first).to_be_visible()

    module = any_site.quizzed_modules()[0]
    page.goto(any_site.module_url(module), wait_until="networkidle")
    form = quiz_form(page, module)
    answer_all(form, module.quiz.questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")
    page.wait_for_load_state("networkidle")

    others = sorted(
        {
            url
            for url in tab.requests + tab.blocked
            if urlsplit(url).scheme not in STAYS_IN_BROWSER and urlsplit(url).hostname != LOCAL_HOST
        }
    )
    assert not others, "requests to other hosts:\n" + "\n".join(others)
    # The recording saw what it should: pages, styles, scripts, and the search index that
    # Material's search worker fetches.
    assert any(url.endswith("/search/search_index.json") for url in tab.requests), tab.requests
    assert any(url.endswith("/assets/coursegen/quiz.js") for url in tab.requests)
    errors = [e for e in tab.errors if "Failed to load resource" not in e]  # the deliberate 404 page
    assert not errors, "script errors:\n" + "\n".join(errors)
