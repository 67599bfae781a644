"""Page titles show the text an author wrote, in the browser tab and in the navigation.

Generated pages get their titles from the plugin, already HTML-escaped, not from front matter;
Material's fallback for the tab title (``page.title | striptags``) would decode that escaping and
put live markup into <title>. theme_overrides/main.html escapes it again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import OpenTab
from .support import SiteServer, coursegen, replace_once

pytestmark = pytest.mark.browser

TITLE = "<script>alert(1)</script> & co"
# In <title> a tag is text anyway, but an end tag of <title> is not: this one would end the
# title early and run the handler if the theme decoded the escaping.
BREAKOUT = '</title><img src="x" onerror="alert(2)"> & co'


@pytest.fixture(scope="module")
def titled_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A starter course whose first module is titled TITLE, built with --strict and served."""
    base = tmp_path_factory.mktemp("titles")
    project = base / "course"
    coursegen("init", str(project), "--title", "Title Course", cwd=base)
    replace_once(project / "modules" / "welcome.yml", "title: Welcome\n", f'title: "{TITLE}"\n')
    coursegen("new", "second", "--title", BREAKOUT, cwd=project)
    coursegen("build", "--strict", "--site-dir", str(base / "site"), cwd=project)
    server = SiteServer().start(Path(base / "site"))
    yield server.url
    server.stop()


def test_a_module_title_shows_as_written_in_the_tab_and_the_nav(titled_site: str, open_tab: OpenTab) -> None:
    tab = open_tab()
    page = tab.page
    page.add_init_script("window.alert = () => { window.__alerted = true; };")
    response = page.goto(titled_site + "/modules/welcome/")
    assert response is not None
    source_title = response.text().split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in source_title, source_title  # escaped in the source, not only harmless here
    assert page.title() == f"1. {TITLE} - Title Course"
    primary = page.locator("nav.md-nav--primary")
    link = primary.get_by_role("link", name=f"1. {TITLE}", exact=True)
    expect(link.first).to_be_attached()
    assert link.first.inner_text().strip() == f"1. {TITLE}"
    # The header shows the page title too (once scrolled); it is text there as well.
    assert page.locator(".md-header__topic").last.inner_text().strip() == f"1. {TITLE}"
    # On another page the module is an entry of the (collapsed) Modules section, as text.
    page.goto(titled_site + "/progress/")
    assert page.title() == "Your progress - Title Course"
    nav = page.locator("nav.md-nav--primary")
    entry = nav.get_by_role("link", name=f"1. {TITLE}", exact=True, include_hidden=True)
    expect(entry).to_have_count(1)
    assert (entry.text_content() or "").strip() == f"1. {TITLE}"
    # A title that would close <title> stays inside it, as text.
    page.goto(titled_site + "/modules/second/")
    assert page.title() == f"2. {BREAKOUT} - Title Course"
    assert page.locator("head img, body > img").count() == 0
    assert page.evaluate("window.__alerted") is None
    assert tab.errors == []
