"""Links between lessons and pages: `coursegen check` finds broken ones at the YAML file:line:col.

A built site confirms the same links (tests/browser/test_links.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import errors_of, write_module
from coursegen.cli import cli
from coursegen.htmlsafety import URL_ATTRS
from coursegen.htmltokens import normalise, tokens
from coursegen.links import converted, makes_only_web_links
from coursegen.loader import load_course

SECOND = """\
id: second
title: "Second steps: reporting"
summary: A second module.
duration_minutes: 5
objectives:
  - Report what you saw
lessons:
  - title: Who to tell
    body: |
      Read [the first module](welcome.md) again, or its
      [lesson on how the course works](welcome.md#how-this-course-works).

      ## Write it down {{#write-it-down}}

      Then [get help now](../help.md), call [your coordinator](../contacts.md#your-course-coordinator),
      see [your progress](../progress.md), [about this course](../about.md)
      and [the home page](../index.md#modules). Back to [the notes](#write-it-down),
      [who to tell](#who-to-tell) and [the top](#top).
{extra}
"""


def _second(course: Path, extra: str = "") -> Path:
    body = "".join(f"      {line}\n" for line in extra.splitlines())
    return write_module(course, "second", SECOND.format(extra=body.rstrip("\n")))


def test_links_in_the_forms_the_guide_shows_pass(course: Path) -> None:
    _second(course)
    loaded = load_course(course / "modules", course)
    assert [m.id for m in loaded.modules] == ["welcome", "second"]


@pytest.mark.parametrize(
    ("link", "problem", "hint"),
    [
        ("[next](third.md)", "broken link 'third.md': it leads to 'modules/third.md'", "other-module-id.md"),
        ("[x](welcome.md#nowhere)", "module 'welcome' has no heading '#nowhere'", "#how-this-course-works"),
        ("[x](welcome.md#how-this-course)", "no heading '#how-this-course'", "did you mean #how-this-course-works?"),
        ("[x](#who-to)", "this page has no heading '#who-to'", "did you mean #who-to-tell?"),
        ("[x](../glossary.md)", "leads to the glossary, but this course has none", "add glossary:"),
        ("[x](../welcome/)", "broken link '../welcome/'", "link to the page's Markdown file: welcome.md"),
        ("[x](help.md)", "broken link 'help.md'", "link to the page's Markdown file: ../help.md"),
        ("[x](/help/)", "starts with '/'", "../help.md"),
        ("[x](../../outside.md)", "it leads to outside the site", ""),
        ("![map](../img/map.png)", "broken link '../img/map.png'", ""),
        ("[x](../about.md#nope)", "docs/about.md has no heading '#nope'", "#about"),
    ],
)
def test_broken_link_is_reported_at_its_place_in_the_yaml(course: Path, link: str, problem: str, hint: str) -> None:
    path = _second(course, f"\nA last line with a link: {link}.")
    errors = errors_of(course)
    assert len(errors) == 1, [e.format() for e in errors]
    [error] = errors
    assert problem in error.message
    assert hint in error.hint
    line_no = next(i for i, line in enumerate(path.read_text().splitlines(), 1) if "A last line with a link" in line)
    target = link[link.index("(") + 1 : -1]
    column = path.read_text().splitlines()[line_no - 1].index(target) + 1
    assert (error.path, error.line, error.column) == ("modules/second.yml", line_no, column)


def test_links_inside_admonitions_and_lists_are_checked(course: Path) -> None:
    _second(course, '\n!!! note "See also"\n    - [a missing module](missing.md)\n')
    [error] = errors_of(course)
    assert "broken link 'missing.md'" in error.message


def test_links_in_code_are_not_links(course: Path) -> None:
    _second(course, "\n`[not a link](missing.md)`\n\n```markdown\n[also not](missing.md)\n```\n")
    load_course(course / "modules", course)


def test_repeated_headings_are_numbered_as_the_site_numbers_them(course: Path) -> None:
    """Two lessons with knowledge checks: the second 'Check your understanding' is ..._1."""
    text = (course / "modules" / "welcome.yml").read_text()
    lesson = text[text.index("  - title: How this course works") : text.index("key_points:")]
    again = lesson.replace("How this course works", "Again").replace("check-where-results", "check-again")
    (course / "modules" / "welcome.yml").write_text(text.replace("key_points:", again + "key_points:", 1))
    _second(course, "\n[second check](welcome.md#check-your-understanding_1)")
    load_course(course / "modules", course)
    _second(course, "\n[third check](welcome.md#check-your-understanding_2)")
    [error] = errors_of(course)
    assert "no heading '#check-your-understanding_2'" in error.message


def test_a_link_to_a_module_with_errors_is_not_reported_twice(course: Path) -> None:
    _second(course, "\n[third](third.md#anything)")
    write_module(course, "third", "id: third\ntitle: [\n")
    errors = errors_of(course)
    assert [e.path for e in errors] == ["modules/third.yml"], [e.format() for e in errors]


def test_check_command_reports_the_broken_link(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    _second(course, "\n[next](secnd.md)")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "modules/second.yml:" in result.output and "broken link 'secnd.md'" in result.output
    assert "Traceback" not in result.output


def test_docs_dir_from_mkdocs_yml(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand-written pages are looked for where mkdocs.yml's docs_dir says."""
    monkeypatch.chdir(course)
    (course / "docs").rename(course / "pages")
    config = course / "mkdocs.yml"
    config.write_text(config.read_text() + "docs_dir: pages\n")
    _second(course)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 0, result.output


def _column_of(path: Path, marker: str, needle: str) -> tuple[int, int]:
    """Line and column (1-based) of ``needle`` on the line of the file that holds ``marker``."""
    lines = path.read_text().splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if marker in line)
    return line_no, lines[line_no - 1].index(needle) + 1


def test_a_body_with_a_broken_link_and_raw_html_gives_both_errors_in_place(course: Path) -> None:
    """The link check and the HTML checks read one conversion of the body: neither hides the other."""
    path = _second(
        course, '\nA frame: <iframe src="page.html"></iframe> here.\n\nA last line with a link: [x](third.md).'
    )
    errors = sorted(errors_of(course), key=lambda e: (e.line, e.column))
    assert [e.message for e in errors] == [
        "raw HTML '<iframe>' is not allowed in a lesson body",
        "broken link 'third.md': it leads to 'modules/third.md', which the site does not have",
    ], [e.format() for e in errors]
    assert (errors[0].line, errors[0].column) == _column_of(path, "A frame:", "<iframe")
    assert (errors[1].line, errors[1].column) == _column_of(path, "A last line", "third.md")


def test_a_markdown_made_event_handler_and_a_broken_link_in_one_body_are_both_found(course: Path) -> None:
    path = _second(course, '\nA last line with a link: [x](third.md){ onclick="alert(1)" }.')
    errors = errors_of(course)
    messages = [e.message for e in errors]
    assert "Markdown (an attribute list?) sets 'onclick' on <a>" in messages, [e.format() for e in errors]
    broken = next(e for e in errors if e.message.startswith("broken link 'third.md'"))
    assert (broken.line, broken.column) == _column_of(path, "A last line", "third.md")


@pytest.mark.parametrize(
    "body",
    [
        '=== "Tab"\n\n    [x](javascript:alert(1))\n',  # a content tab: code to the site's extensions
        "Text[^1].\n\n[^1]:\n    [x](javascript:alert(1))\n",  # a footnote: a link target to them
    ],
    ids=["content tab", "footnote"],
)
def test_links_made_by_tabs_and_footnotes_are_still_checked(course: Path, body: str) -> None:
    """A body these extensions read differently from the site's is converted with them too (a
    project may enable them), not only with the site's shared conversion."""
    _second(course, body)
    errors = errors_of(course)
    assert any("javascript:" in e.message for e in errors), [e.format() for e in errors]


# --- the start tags validate reads from the element tree instead of the HTML ----------------------

# Markdown that makes attributes (links, images, attribute lists, autolinks), that puts strings in
# the HTML stash (raw HTML, entities, code blocks, HTML blocks read as Markdown), and characters
# the tokenizer reads otherwise in an attribute value.
_PIECES = [
    "[x](https://example.org)",
    "[x](javascript:alert(1))",
    "![i](x.png)",
    '![a "q" <b>](//cdn.example.org/i.png)',
    "[x](<a b onclick=c>)",
    '[x](y "t \\" <b> &amp;")',
    "[r]: https://example.org 'T'",
    "[x][r]",
    '{ onclick="a" }',
    "{: #id .cls }",
    "{ onClick=x }",
    "{ title='a&amp;b' }",
    '{ href="javascript:x" }',
    '{ style="background:url(//example.org/x)" }',
    "{ data-x='\"<>' }",
    "{ srcset='a.png 1x, //example.org/b.png 2x' }",
    "<https://example.org>",
    "<a@example.org>",
    "&amp;",
    "&#60;",
    "\\<",
    "\\[",
    "`code <b>`",
    "```\ncode\n```",
    "~~~{.py onclick=x}\nc\n~~~",
    '<span title="x>',
    "'>",
    '">',
    "</span>",
    '<div markdown="1">',
    "</div>",
    "<b>",
    "</b>",
    "<!-- c -->",
    '!!! note "T"',
    "??? tip",
    "    indented",
    "# Heading {#h .c}",
    "Term\n:   Definition",
    "| a | b |\n|---|---|\n| c | d |",
    "*",
    "_",
    "\x00",
    "\r",
    "é",
]
_SEPARATORS = st.sampled_from(["", " ", "\n", "\n\n", "\n    "])


@st.composite
def _markdown_bodies(draw: st.DrawFn, pieces: list[str] = _PIECES) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 10))):
        piece = draw(st.one_of(st.sampled_from(pieces), st.text(max_size=6)))
        parts += [piece, draw(_SEPARATORS)]
    return "".join(parts)


def _tokenized_start_tags(html: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    return tuple((t.name, tuple(t.attrs)) for t in tokens(normalise(html)) if t.kind == "start" and t.attrs)


@settings(max_examples=400, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markdown_bodies())
def test_start_tags_read_from_the_tree_are_what_the_tokenizer_reads_from_the_html(body: str) -> None:
    """validate checks the attributes of Markdown-made HTML from the element tree when it can tell
    them: they must be exactly what re-tokenizing the HTML finds, in the same order."""
    conversion = converted(normalise(body))
    if conversion.tags is not None:
        assert conversion.tags == _tokenized_start_tags(conversion.html)


@pytest.mark.parametrize(
    ("body", "from_tree"),
    [
        ('See [x](https://example.org){ onclick="a" } and ![i](x.png).\n\n## Heading {#h}\n', True),
        ("!!! tip\n    A [link](other.md#part).\n\n| a | b |\n|---|---|\n| [c](d.md) | e |\n", True),
        ("Plain text makes no tags.", True),
        ('<span title="x>[a](<y onclick=alert(1)>)">b</span>\n', False),  # raw HTML in the stash
        ('<div markdown="1">\n[x](y.md)\n</div>\n', False),  # an HTML block read as Markdown
        ("Fish &amp; chips, [x](y.md)\n", False),  # an entity
        ("```\n[x](y.md)\n```\n", False),  # a fenced code block
        ("Mail <a@example.org>.\n", False),  # the address is written with character references
        ("[x](y.md){ onClick=a }\n", False),  # a name the tokenizer folds to lower case
        ("[x](y.md?a=1&b=2)\n", False),  # a value with '&'
        ('[x](y.md){ title="a\x00b" }\n', False),  # NUL, which the tokenizer replaces
    ],
)
def test_start_tags_come_from_the_tree_only_where_it_can_tell_them(body: str, from_tree: bool) -> None:
    conversion = converted(body)
    assert (conversion.tags is not None) is from_tree
    if from_tree:
        assert conversion.tags == _tokenized_start_tags(conversion.html)


@pytest.mark.parametrize(
    ("body", "marker", "tag"),
    [
        # A quote left open in raw HTML turns the link's address into attributes of the <span>.
        ('Odd: <span title="x>[a](<y onclick=alert(1)>)">b</span>', "Odd:", "span"),
        ('<div markdown="1">\nIn a block: [x](welcome.md){ onclick="alert(1)" }\n</div>', "In a block:", "a"),
        ('Fish &amp; chips: [x](welcome.md){ onclick="alert(1)" }', "Fish", "a"),
        ('Noted[^1].\n\n[^1]: In a footnote: [x](welcome.md){ onclick="alert(1)" }', "In a footnote:", "a"),
        ('=== "Tab"\n\n    In a tab: [x](welcome.md){ onclick="alert(1)" }', "In a tab:", "a"),
    ],
    ids=["open quote in raw HTML", "HTML block read as Markdown", "entity", "footnote", "content tab"],
)
def test_event_handlers_markdown_makes_beside_stashed_html_are_found_in_place(
    course: Path, body: str, marker: str, tag: str
) -> None:
    """Bodies whose HTML is not the element tree alone are still read as a browser reads them."""
    path = _second(course, "\n" + body)
    errors = errors_of(course)
    assert [e.message for e in errors] == [f"Markdown (an attribute list?) sets 'onclick' on <{tag}>"], [
        e.format() for e in errors
    ]
    assert (errors[0].line, errors[0].column) == _column_of(path, marker, "onclick")


# --- bodies whose links are all web links are not converted ---------------------------------------

_WEB_PIECES = [
    "[x](https://example.org/a_(b)c)",
    "[x]( https://example.org 'T')",
    '[x](http://example.org "a (b")',
    "[r]:\n  http://example.org/r",
    "[r]: https://example.org/r 'T'",
    "`[x](https://example.org`",
    "[x](https://example.org/`c`)",
    "[x](https://ex ample.org)",
    "[x](https://)",
    "[x]\n(y.md)",
    "[x] (y.md)",
    "[x]:y.md",
    "[x][r]",
    "[r]",
    "](",
    "]:",
    "[",
    "]",
    "(",
    ")",
    "'",
    '"',
    "> ",
    "- ",
    "1. ",
    "    ",
    "\t",
]


@settings(max_examples=600, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_markdown_bodies(_PIECES + _WEB_PIECES))
def test_a_body_said_to_make_only_web_links_makes_nothing_the_checks_could_refuse(body: str) -> None:
    """``makes_only_web_links`` lets both link checks skip converting a body: Markdown must then
    make no link but web links, no image and no attribute that could load or run anything."""
    body = normalise(body)
    if not makes_only_web_links(body):
        return
    conversion = converted(body)
    assert all(target.startswith(("https://", "http://")) for target in conversion.links), conversion.links
    tags = conversion.tags if conversion.tags is not None else _tokenized_start_tags(conversion.html)
    for tag, attrs in tags:
        assert tag != "img", conversion.html
        for name, value in attrs:
            assert not name.startswith("on") and name not in ("style", "srcset", "srcdoc"), conversion.html
            assert name not in URL_ATTRS or (tag, name) == ("a", "href") and value.startswith(("https:", "http:"))


@pytest.mark.parametrize(
    ("body", "only_web"),
    [
        ("See the [task force guide](https://www.ovcttac.gov/taskforceguide/eguide).", True),
        ("[Guide][g] and more.\n\n[g]: https://www.ovcttac.gov/taskforceguide/eguide\n", True),
        ("No links at all.", True),
        ("See [the next module](second.md).", False),
        ("See [the heading](#part).", False),
        ("![A picture](https://example.org/p.png)", False),
        ("<https://example.org>", False),
        ("[x](https://example.org){ onclick=a }", False),
        ("[x](HTTPS://example.org)", False),
        ("[x](java\\script:alert(1))", False),
    ],
)
def test_web_links_only_is_told_apart_from_every_other_link(body: str, only_web: bool) -> None:
    assert makes_only_web_links(body) is only_web
