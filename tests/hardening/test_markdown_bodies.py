"""Lesson bodies are Markdown with Material's extensions. Raw HTML that could run script, unsafe
links and HTML left open are *rejected* with file:line:col (the choice documented in
SECURITY.md); what validation could miss is neutralised after rendering (htmlsafety)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from coursegen.htmlsafety import harden_html

from .support import build, errors_of, parse_page

HEADER = """\
id: welcome
title: Welcome
summary: S.
audiences: [everyone]
duration_minutes: 5
objectives: [Learn]
lessons:
  - title: First
    body: |
      Intro line.
"""
BODY_FIRST_LINE = 10  # the line of "Intro line." in the file: the body's first line


def write_body(course: Path, body: str) -> None:
    lines = "".join(f"      {line}\n" for line in body.split("\n"))
    (course / "modules" / "welcome.yml").write_text(HEADER + lines, encoding="utf-8")


REJECTED = [
    ("<script>alert(1)</script>", "<script"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "SCRIPT"),
    ("< script>alert(1)</script>", "script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ("<img/onerror=alert(1) src=x>", "onerror"),
    ('<svg onload="alert(1)"></svg>', "svg"),
    ('<a href="javascript:alert(1)">x</a>', "javascript"),
    ('<a href="jav&#x61;script:alert(1)">x</a>', "javascript"),
    ('<a href="java\tscript:alert(1)">x</a>', "href"),
    ('<a href=" &#14;javascript:alert(1)">x</a>', "javascript"),
    ("<iframe src=https://example.org></iframe>", "iframe"),
    ('<object data="x.swf"></object>', "object"),
    ("<style>body{display:none}</style>", "style"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "meta"),
    ('<base href="https://evil.example/">', "base"),
    ('<form action="https://evil.example"><input name=p></form>', "form"),
    ('<details open ontoggle="alert(1)">x</details>', "ontoggle"),
    ("[x](javascript:alert(1))", "javascript"),
    ("[x](JaVaScRiPt:alert(1))", "javascript"),
    ("[x](&#106;avascript:alert(1))", "javascript"),
    ("[x](javascript&colon;alert(1))", "javascript"),
    ("[x](java\nscript:alert(1))", "javascript"),
    ("[x](<javascript:alert(1)>)", "javascript"),
    ("[x][ref]\n\n[ref]: javascript:alert(1)", "javascript"),
    ("![i](javascript:alert(1))", "javascript"),
    ("![i](data:image/png;base64,AAAA)", "data"),
    ("[x](vbscript:msgbox)", "vbscript"),
    ("[x](file:///etc/passwd)", "file"),
    ('[x](https://example.org){ onclick="alert(1)" }', "attribute list"),
    ('[x](https://example.org){ href="javascript:alert(1)" }', "attribute list"),
    ('A paragraph.\n{: onmouseover="alert(1)" }', "attribute list"),
    ("<img src=x onerror=alert(1)//", "onerror"),
    ('<a href="jav&#x61;script:alert(1)', "unfinished"),
    ("<!-- a comment that never ends", "unfinished"),
    ("<div>\nan open div swallows the rest of the page", "never closed"),
    ("<b>bold to the end of the page", "never closed"),
    ("</div></article>", "never opened"),
    ("<textarea>", "textarea"),
    ("![x](https://example.org/tracker.gif)", "another site"),
    ('<img src="//example.org/tracker.gif">', "another site"),
    ('<video src="https://example.org/v.mp4"></video>', "another site"),
    ("<![foo[ bar ]]>", "<!["),  # html.parser raised AssertionError here: a traceback once
    # These made Python-Markdown's HTML parser lose its place and garble the quiz forms after them:
    ("&#", "character reference"),
    ("x &#; y", "character reference"),
    ("`&#x` in code", "character reference"),
    ("&#\u0663;", "character reference"),
    ("<?>", "processing instruction"),
    ("<?xml version='1.0'?>", "processing instruction"),
]


@pytest.mark.parametrize(("body", "fragment"), REJECTED, ids=[b[:40] for b, _ in REJECTED])
def test_unsafe_body_is_rejected_with_its_position(course: Path, body: str, fragment: str) -> None:
    write_body(course, body)
    errors = errors_of(course)
    matching = [e for e in errors if fragment.lower() in (e.message + e.hint).lower()]
    assert matching, [e.format() for e in errors]
    error = matching[0]
    assert error.path == "modules/welcome.yml"
    first_line = BODY_FIRST_LINE + 1  # the payload starts on the body's second line
    assert first_line <= error.line <= first_line + body.count("\n"), error.format()
    assert error.column >= 7, error.format()  # inside the indented block, not 1:1
    assert error.hint


ALLOWED = [
    "**bold**, _italic_, `code`, [a link](https://example.org/) and [mail](mailto:a@example.org).",
    '!!! note "Remember"\n    Material admonitions work.',
    '??? tip "Open me"\n    A collapsible block.',
    "<div markdown>\n**Markdown inside HTML**\n</div>",
    "<details><summary>More</summary>Hidden text.</details>",
    "Text with a line<br>break and <kbd>Ctrl</kbd>.",
    "`<div>` in a code span is text.",
    "```html\n<p class=x>shown as code</p>\n<div>\n```",
    "x < y and y > z, 3<4.",
    "<https://example.org/autolink>",
    "[Relative page](../help.md) and [anchor](#top).",
    '![Local image](../assets/x.png){ width="300" }',
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Term\n:   Definition",
]


@pytest.mark.parametrize("body", ALLOWED, ids=[b[:30] for b in ALLOWED])
def test_material_markdown_is_accepted(course: Path, body: str) -> None:
    write_body(course, "\n" + body)
    image = course / "docs" / "assets" / "x.png"  # `check` follows links and images: this one exists
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"")
    from coursegen.loader import load_course

    load_course(course / "modules", course)


def test_allowed_markdown_builds_into_well_formed_inert_pages(course: Path) -> None:
    write_body(course, "\n" + "\n\n".join(b for b in ALLOWED if "x.png" not in b))
    site = build(course)
    source = (site / "modules" / "welcome" / "index.html").read_text()
    parsed = parse_page(source)
    assert not parsed.problems and not parsed.handlers and not parsed.unsafe_links
    assert "shown as code" in parsed.text and "&lt;div&gt;" in source
    assert "Markdown inside HTML" in parsed.text and "Definition" in parsed.text


def test_script_tags_are_refused_even_in_code(course: Path) -> None:
    """Conservative on purpose: the check reads raw text, not Markdown's idea of code, so no
    parser difference can let a tag through. The hint says how to show a tag as text."""
    write_body(course, "`<script>` in a code span")
    errors = errors_of(course)
    assert any("&lt;script&gt;" in e.hint for e in errors), errors


PATHOLOGICAL_REFUSED = [
    "[" * 100_000,
    "[a](" * 25_000,
    "![" * 50_000,
    "<div markdown>\n" * 400 + "x\n" + "</div>\n" * 400,
    "<" * 99_999,
    "<a " * 33_000,
    "<!--" * 25_000,
    "<b>" * 33_000,
    "<a:" * 33_000,
]


@pytest.mark.parametrize("body", PATHOLOGICAL_REFUSED, ids=[b[:12] for b in PATHOLOGICAL_REFUSED])
def test_pathological_bodies_are_refused_quickly(course: Path, body: str) -> None:
    """Python-Markdown takes minutes over 100 000 '[' and recurses to death in 400 nested
    <div markdown>: validation refuses such bodies first, in linear time, with few messages."""
    write_body(course, body)
    started = time.monotonic()
    errors = errors_of(course)
    assert time.monotonic() - started < 5
    assert 1 <= len(errors) <= 51, len(errors)


def test_pathological_but_valid_bodies_build_in_bounded_time(course: Path) -> None:
    bodies = [
        "> " * 45_000,
        "*_" * 45_000,
        "".join("  " * i + "- x\n" for i in range(290)),
        "`" * 90_000,
        "&" * 90_000,
        "".join(">" * i + " x\n" for i in range(400)),
        "[a] " * 900,
        "<div markdown>\n" * 40 + "x\n" + "</div>\n" * 40,
    ]
    module = HEADER.replace("    body: |\n      Intro line.\n", "    body: Intro.\n")
    module += "".join(f"  - title: L{i}\n    body: {json.dumps(b)}\n" for i, b in enumerate(bodies))
    (course / "modules" / "welcome.yml").write_text(module, encoding="utf-8")
    started = time.monotonic()
    site = build(course)
    assert time.monotonic() - started < 60
    parsed = parse_page((site / "modules" / "welcome" / "index.html").read_text())
    assert not parsed.problems and not parsed.handlers


# --- the last line of defence: harden_html on generated pages -----------------------------------

SLIPPED = [
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<p><a href="jav&#x61;script:alert(1)">x</a></p>',
    '<img src="x" onerror="alert(1)">',
    "<IMG SRC=x OnError=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
    "<script>alert(1)</script>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">go</button></form>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    "<p style=\"color:red\" onmouseover='alert(1)'>x</p>",
]


@pytest.mark.parametrize("fragment", SLIPPED)
def test_harden_html_neutralises_what_validation_missed(fragment: str) -> None:
    result, removed = harden_html(fragment, course_page=True)
    assert removed, result
    parsed = parse_page(f"<div>{result}</div>")
    assert not parsed.handlers, result
    assert not parsed.unsafe_links, result
    assert not parsed.scripts, result
    assert "<iframe" not in result.lower() and "<object" not in result.lower()


def test_harden_html_leaves_hand_written_pages_alone_except_rel() -> None:
    page = '<p><a href="https://example.org/">x</a> <iframe src="/video.html"></iframe></p>'
    result, removed = harden_html(page, course_page=False)
    assert removed == []
    assert '<iframe src="/video.html"></iframe>' in result
    assert 'rel="noopener noreferrer"' in result


@pytest.mark.parametrize(
    ("link", "external"),
    [
        ('<a href="https://example.org/">x</a>', True),
        ('<a href="HTTP://example.org/">x</a>', True),
        ('<a href="//example.org/">x</a>', True),
        ('<a href="https://example.org/" rel="nofollow">x</a>', True),
        ('<a href="https://example.org/" rel="noopener">x</a>', True),
        ('<a href="../help/">x</a>', False),
        ('<a href="#top">x</a>', False),
        ('<a href="mailto:a@example.org">x</a>', False),
        ('<a href="tel:911">x</a>', False),
    ],
)
def test_external_links_get_noopener_noreferrer(link: str, external: bool) -> None:
    result, _ = harden_html(link, course_page=True)
    rel = (parse_page(result).links[0].get("rel") or "").split()
    if external:
        assert "noopener" in rel and "noreferrer" in rel, result
        if "nofollow" in link:
            assert "nofollow" in rel
    else:
        assert result == link


def test_unchanged_html_is_left_byte_for_byte() -> None:
    page = '<p class="x">A <a href="../a/">b</a> <img alt="c" src="d.png" /></p>\n'
    page += "<pre><code>&lt;a href=x&gt;</code></pre>"
    assert harden_html(page, course_page=False) == (page, [])
    # Course pages go through the sanitizer, which writes the same markup out again as HTML5.
    assert harden_html(page, course_page=True) == (page.replace(" />", ">"), [])


def test_every_external_link_in_a_built_site_has_rel(hostile_site: Path) -> None:
    count = 0
    for page in hostile_site.rglob("*.html"):
        # The whole page: the theme's own external link (the footer's "Made with") included.
        for link in parse_page(page.read_text()).links:
            href = link.get("href") or ""
            if href.startswith(("http://", "https://", "//")):
                count += 1
                assert {"noopener", "noreferrer"} <= set((link.get("rel") or "").split()), (page, link)
    assert count >= 2
