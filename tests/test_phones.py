"""Tap-to-call phone numbers: which text becomes a tel: link, and which stays text."""

from __future__ import annotations

import markdown
import pytest

from coursegen.phones import tel_href


def html(source: str) -> str:
    return markdown.markdown(source, extensions=["coursegen.phones", "tables", "admonition", "toc"])


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("1-888-373-7888", "tel:18883737888"),
        ("(866) 347-2423", "tel:8663472423"),
        ("800.843.5678", "tel:8008435678"),
        ("+1 844 762 8483", "tel:+18447628483"),
    ],
)
def test_numbers_in_text_become_links(written: str, href: str) -> None:
    assert html(f"Call {written} today.") == f'<p>Call <a href="{href}">{written}</a> today.</p>'
    assert tel_href(written) == href


def test_numbers_in_emphasis_tables_and_notes_become_links() -> None:
    out = html("Call **1-888-373-7888**.\n\n| Line | Number |\n| --- | --- |\n| Tip | 1-866-347-2423 |\n")
    assert '<strong><a href="tel:18883737888">1-888-373-7888</a></strong>' in out
    assert '<td><a href="tel:18663472423">1-866-347-2423</a></td>' in out
    note = html('!!! note "Help"\n    Text or call 1-844-762-8483 or 1-888-373-7888, 24/7.\n')
    assert note.count('href="tel:') == 2 and "</a>, 24/7." in note


@pytest.mark.parametrize(
    "text",
    [
        "Call 911 now.",  # short numbers are dialled by hand
        "Text 233733.",
        "Call 1-844-7NATIVE.",
        "On 2024-01-15 at 10.30.",
        "Case 12-345-6789-0.",  # part of a longer run
        "`1-888-373-7888`",
        "[1-888-373-7888](https://example.org/)",
    ],
)
def test_other_text_stays_as_written(text: str) -> None:
    assert 'href="tel:' not in html(text)


def test_headings_keep_their_text() -> None:
    assert html("## Call 1-888-373-7888") == '<h2 id="call-1-888-373-7888">Call 1-888-373-7888</h2>'


def test_markup_in_the_text_stays_text() -> None:
    out = html("1-888-373-7888 &lt;b&gt; <em>x</em> 1-866-347-2423")
    assert out.count('href="tel:') == 2 and "&lt;b&gt;" in out


def test_course_text_gets_links_for_numbers_and_stays_inert() -> None:
    """Descriptions and notes from YAML: numbers become links, nothing else becomes markup."""
    from coursegen.render import md_prose

    text = "Call 1-888-373-7888 *now* [x](javascript:y) <b>\u202e or (866) 347-2423."
    out = html(str(md_prose(text)))
    assert out.count("<a ") == 2, out
    assert '<a href="tel:18883737888">1&#45;888&#45;373&#45;7888</a>' in out
    assert '<a href="tel:8663472423">&#40;866&#41; 347&#45;2423</a>' in out
    assert "<em>" not in out and "<b>" not in out and 'href="javascript' not in out and "\u202e" not in out
