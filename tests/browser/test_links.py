"""Links between pages in built sites: the link forms the authors' guide shows reach their page
and heading, and `coursegen check` knows exactly the headings each generated page has."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from coursegen.links import SiteMap, parse

from .support import Site

pytestmark = pytest.mark.browser

# Headings of the page, not those inside a quiz form (a scenario's steps): those belong to the
# question and are no target for an author's link.
HEADINGS = "article :is(h1, h2, h3, h4, h5, h6)[id]:not(form.cg-quiz *)"


def _example_links(site: Site) -> list[tuple[str, str]]:
    """(text, target) of every link in the lessons of the guide's example module."""
    module = site.course.module("hotel-signs")
    found = []
    for lesson in module.lessons:
        for el in parse(lesson.body).iter("a"):
            found.append(("".join(el.itertext()), el.attrib["href"]))
    return found


def test_the_link_forms_of_the_guide_work_in_a_strict_build(open_tab, guide: Site) -> None:
    links = _example_links(guide)
    targets = {target for _, target in links}
    # Every kind the guide promises: another module, a heading there and here, the course's pages.
    assert {"foundations.md", "foundations.md#who-we-are", "#what-to-note", "../help.md"} <= targets
    assert {"../contacts.md#your-course-coordinator", "../glossary.md", "../progress.md", "../about.md"} <= targets
    page = open_tab().page
    module_url = guide.at("/modules/hotel-signs/")
    for text, target in links:
        page.goto(module_url)
        # The lessons come before the module's own links (such as "your progress" above its quiz).
        # (Not the module's list of its lessons, which links each lesson title to the lesson's start.)
        written = page.get_by_role("article").get_by_role("link", name=text, exact=True)
        href = written.and_(page.locator(":not(nav.cg-lessons *)")).first.evaluate("a => a.href")
        same_page = urlsplit(href)._replace(fragment="") == urlsplit(page.url)._replace(fragment="")
        response = page.goto(href)
        if not same_page:  # a link within the page loads nothing new
            assert response is not None and response.status == 200, f"{target} -> {href}"
        fragment = urlsplit(href).fragment
        if fragment:
            heading = page.locator(f"[id='{fragment}']")
            expect(heading).to_have_count(1)
            assert heading.evaluate("el => /^H[1-6]$/.test(el.tagName)"), f"{target}: #{fragment} is not a heading"


@pytest.mark.parametrize("site_name", ["flagship", "starter", "guide"])
def test_check_knows_the_headings_of_every_generated_page(
    request: pytest.FixtureRequest, open_tab, site_name: str
) -> None:
    """links.py keeps an outline of each generated page; the built pages are the judge."""
    site: Site = request.getfixturevalue(site_name)
    known = SiteMap(site.course.course, site.course.modules, set(), site.project / "docs")
    page = open_tab().page
    for path in sorted(known.outlines):
        url = "/" if path == "index.md" else "/" + path.removesuffix(".md") + "/"
        page.goto(site.at(url))
        headings = set(page.eval_on_selector_all(HEADINGS, "els => els.map(e => e.id)"))
        ids = set(page.eval_on_selector_all("article [id]", "els => els.map(e => e.id)"))
        computed = known.anchors(path)
        assert computed is not None
        assert headings - computed == set(), f"{url}: headings check does not know"
        assert computed - ids == set(), f"{url}: anchors check accepts that the page lacks"
