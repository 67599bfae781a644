"""coursegen.mdext on its own, as any engine that runs Python-Markdown would use it: generated
blocks come through untouched and unparsed, everything else on a course page is sanitized, and
links that open elsewhere get rel on every page."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from coursegen import htmlsafety
from coursegen.htmlsafety import with_rel
from coursegen.loader import load_course
from coursegen.mdext import PAGE_MARK, PROCESS_KEY, deferred_store, mark_block, placeholder, restore_blocks
from coursegen.render import render_pages

# Markdown would change this if it parsed it: after the form's raw HTML block ends, the span line
# is Markdown again (a paragraph with emphasis). A generated block is never parsed at all.
BLOCK = (
    '<form class="cg-quiz" data-cg-quiz novalidate>\n<p hidden>one</p>\n\n    indented\n\n</form>\n'
    '<span class="cg-result">*kept* as written</span>'
)


def convert(text: str, **config: object) -> str:
    return markdown.Markdown(extensions=["coursegen.mdext"], extension_configs={"coursegen.mdext": config}).convert(
        text
    )


def course_page(*parts: str) -> str:
    return "\n\n".join([PAGE_MARK, "# Title", *parts])


def test_a_marked_block_comes_out_exactly_as_generated() -> None:
    html = convert(course_page("Intro.", mark_block(BLOCK, PROCESS_KEY), "After."))
    assert BLOCK in html
    assert "<pre>" not in html and "coursegen:block" not in html
    assert html.index("Intro.") < html.index(BLOCK) < html.index("After.")


def test_without_the_extension_the_same_block_would_be_changed() -> None:
    """The test above means something: Markdown itself does not keep this block."""
    assert BLOCK not in markdown.markdown(BLOCK)


def test_a_block_marked_with_another_key_is_not_trusted() -> None:
    """Text from a course file cannot know the key: whatever it marks goes through the sanitizer."""
    forged = mark_block('<div>\n<script>alert(1)</script>\n<img src="x" onerror="alert(1)">\n</div>', "guessed-key")
    removed: list[str] = []
    html = convert(course_page(forged), report=removed.extend)
    assert "<script" not in html and "onerror" not in html
    assert any("<script>" in what for what in removed) and any("onerror=" in what for what in removed)


def test_a_configured_key_is_trusted_instead_of_the_process_key() -> None:
    html = convert(course_page(mark_block(BLOCK, "the-build-key")), key="the-build-key")
    assert BLOCK in html
    assert BLOCK not in convert(course_page(mark_block(BLOCK, PROCESS_KEY)), key="the-build-key")


def test_a_link_in_a_generated_block_that_opens_elsewhere_gets_rel() -> None:
    block = '<p class="cg-source"><a href="https://example.org/">source</a> <a href="../help/">help</a></p>'
    html = convert(course_page(mark_block(block, PROCESS_KEY)))
    assert '<a href="https://example.org/" rel="noopener noreferrer">source</a> <a href="../help/">help</a>' in html


@pytest.mark.parametrize(
    "link",
    [
        '<a href="https://example.org/">x</a>',
        '<a href="//example.org/">x</a>',
        '<a href="/\\example.org/">x</a>',
        '<a href="/\t/example.org/">x</a>',
        '<a href="/ /example.org/">x</a>',
        '<a href="&#47;&#47;example.org/">x</a>',
        '<a href="https&colon;//example.org/">x</a>',
        '<A HREF="#top" TARGET="_blank">x</A>',
        '<a href="#top" tar\x00get="_blank">x</a>',
        '<area href="//example.org/">',
        '<AREA href="//example.org/">',
    ],
)
def test_every_way_of_opening_elsewhere_gets_rel(link: str) -> None:
    """``with_rel`` skips reading HTML no link of which can open elsewhere: never one that can."""
    html, changed = with_rel(f'<nav><a href="#a">a</a> {link}</nav>')
    if "\x00" in link:  # the tokenizer reads 'tar\x00get' as another name: nothing opens elsewhere
        assert not changed
        return
    assert changed and 'rel="noopener noreferrer"' in html, link


def test_a_lesson_list_of_page_links_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lesson list on every module page links within the page: no tokenizer needed."""
    monkeypatch.setattr(htmlsafety, "tokens", lambda text: pytest.fail("read with the tokenizer"))
    block = '<ol class="cg-lesson-list">\n<li><a href="#cg-lesson-1">Courts and child welfare</a></li>\n</ol>'
    assert with_rel(block) == (block, False)


def test_course_pages_are_sanitized_and_what_is_removed_is_reported() -> None:
    removed: list[str] = []
    body = '[x](javascript:alert(1)) <span onclick="alert(1)">y</span>\n\n<iframe src="/x"></iframe>\n\n[ok](https://example.org/)'
    html = convert(course_page(body), report=removed.extend)
    assert "javascript:" not in html and "onclick" not in html and "<iframe" not in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">ok</a>' in html
    assert any("<iframe>" in what for what in removed) and any("onclick=" in what for what in removed)
    assert any("href=" in what for what in removed)


def test_hand_written_pages_are_left_as_written_but_for_rel() -> None:
    removed: list[str] = []
    body = '# Mine\n\n<iframe src="/video.html"></iframe>\n\n[a](https://example.org/) <a href="//example.org/x">b</a>'
    html = convert(body, report=removed.extend)
    assert '<iframe src="/video.html"></iframe>' in html
    assert '<a href="https://example.org/" rel="noopener noreferrer">a</a>' in html
    assert '<a href="//example.org/x" rel="noopener noreferrer">b</a>' in html
    assert removed == []


def test_deferred_blocks_wait_as_placeholders_until_restored() -> None:
    """What the MkDocs plugin does: its search plugin reads the page without the forms."""
    store = deferred_store()
    html = convert(course_page(mark_block(BLOCK, PROCESS_KEY)), deferred=store)
    assert BLOCK not in html and len(store) == 1
    token = next(iter(store))
    assert placeholder(token) in html
    assert BLOCK in restore_blocks(html, store) and not store


def test_restore_leaves_placeholders_it_does_not_know() -> None:
    html = '<p>a</p><div data-coursegen-block="other"></div><div data-coursegen-block="t"></div>'
    assert (
        restore_blocks(html, {"t": "<form></form>"}) == '<p>a</p><div data-coursegen-block="other"></div><form></form>'
    )


def test_a_generated_page_keeps_every_form_through_markdown(tmp_path: Path) -> None:
    from conftest import REPO

    loaded = load_course(REPO / "modules", REPO)
    page = next(p for p in render_pages(loaded) if p.path == "modules/hotels-casinos.md")
    unmarked = next(p for p in render_pages(loaded, block_key=None) if p.path == "modules/hotels-casinos.md")
    assert "coursegen:block" in page.content and "coursegen:block" not in unmarked.content
    html = markdown.Markdown(extensions=["coursegen.mdext", "attr_list", "md_in_html", "admonition"]).convert(
        page.content
    )
    forms = unmarked.content.count("<form ")
    assert forms >= 2 and html.count("<form ") == forms
    start = unmarked.content.index('<form class="cg-quiz cg-quiz"')
    quiz = unmarked.content[start : unmarked.content.index("</form>", start) + len("</form>")]
    assert quiz in html


def test_a_build_names_the_page_it_removed_unsafe_html_from(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """What validation should have refused (here validation is switched off) is removed from the
    built page and reported as a warning that names the page; --strict fails on it."""
    import coursegen.loader
    from coursegen.sitebuild import SiteBuildError, build_site

    monkeypatch.setattr(coursegen.loader, "check_module_in_course", lambda *args: [])
    module = course / "modules" / "welcome.yml"
    module.write_text(module.read_text().replace("Each module has", '<img src="x" onerror="alert(1)"> Each module has'))
    with caplog.at_level("WARNING"):
        build_site(course / "mkdocs.yml", tmp_path / "site")
    page = (tmp_path / "site" / "modules" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "onerror" not in page and "Each module has" in page
    assert "removed unsafe HTML from modules/welcome.md: onerror= on <img>" in caplog.text
    with pytest.raises(SiteBuildError, match="strict"):
        build_site(course / "mkdocs.yml", tmp_path / "strict", strict=True)
