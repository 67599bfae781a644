"""Read HTML the way a browser's tokenizer does, with the source offset of every tag.

html5lib's tokenizer implements the WHATWG HTML tokenizer state by state (it passes the
html5lib-tests suite that browsers' parsers are checked against), so ``<!-->`` ends a comment at
once, ``alt=">"`` does not end a tag and ``t=a'b='`` is one unquoted value, exactly as in Chromium
or Firefox. This module only adds what the checks need on top: where each tag starts and ends,
and the switch into raw-text states after ``<script>``, ``<textarea>``, ``<plaintext>`` … that a
browser's tree builder makes (without it the text inside them would be read as tags).

Knows nothing of courses: it takes a string and yields tokens.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from html5lib._tokenizer import HTMLTokenizer
from html5lib.constants import tokenTypes

_START, _END, _EMPTY = tokenTypes["StartTag"], tokenTypes["EndTag"], tokenTypes["EmptyTag"]
_COMMENT, _ERROR = tokenTypes["Comment"], tokenTypes["ParseError"]
# The tree builder switches the tokenizer into these states after these start tags (scripting on).
_RAW_STATES = {
    "script": "scriptDataState",
    "style": "rawtextState",
    "xmp": "rawtextState",
    "iframe": "rawtextState",
    "noembed": "rawtextState",
    "noframes": "rawtextState",
    "noscript": "rawtextState",
    "textarea": "rcdataState",
    "title": "rcdataState",
    "plaintext": "plaintextState",
}
RAW_TEXT_TAGS = frozenset(_RAW_STATES)
"""Start tags after which a browser reads the text up to the end tag as text, not as tags."""


@dataclass
class Token:
    """One token: a start or end tag, a comment, or an unfinished construct at the end."""

    kind: str  # "start", "end", "comment" or "unfinished"
    name: str = ""
    attrs: list[tuple[str, str]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    """Offsets in the normalised text (``normalise``): ``text[start:end]`` is the tag as written."""


def line_offsets(text: str) -> list[int]:
    """The offset at which each line of ``text`` starts (the first is 0)."""
    starts = [0]
    find = text.find
    found = find("\n")
    while found != -1:
        starts.append(found + 1)
        found = find("\n", found + 1)
    return starts


def normalise(text: str) -> str:
    """Line ends as the HTML input stream sees them (CR LF and CR become LF), so offsets agree."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _Attributes(list):  # type: ignore[type-arg]
    """html5lib compares each new attribute name with all earlier ones (``data[:-1]``): quadratic
    in the number of attributes. That slice is empty here; ``emitCurrentToken`` still keeps the
    first of duplicate attributes, as browsers do."""

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice) and index == slice(None, -1, None):
            return []
        return super().__getitem__(index)


class _Tokenizer(HTMLTokenizer):  # type: ignore[misc] - html5lib has no type hints
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.line_starts = line_offsets(text)
        self.tag_start = 0
        self.tag_end = 0

    def offset(self) -> int:
        line, column = self.stream.position()
        return self.line_starts[min(line - 1, len(self.line_starts) - 1)] + column

    def _opened(self, state: Callable[[], bool]) -> bool:
        """Run a state that may start a tag token; give the token an attribute list that keeps
        html5lib's per-attribute duplicate check linear (duplicates are still dropped, first wins,
        when the token is emitted)."""
        before = self.currentToken
        result = bool(state())
        token = self.currentToken
        if token is not before and isinstance(token, dict) and type(token.get("data")) is list:
            token["data"] = _Attributes(token["data"])
        return result

    def tagOpenState(self) -> bool:  # noqa: N802 - html5lib's name
        self.tag_start = self.offset() - 1  # the '<' was just read
        return self._opened(super().tagOpenState)

    def closeTagOpenState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._opened(super().closeTagOpenState)

    def _raw_less_than(self, state: Callable[[], bool]) -> bool:
        self.tag_start = self.offset() - 1
        return self._opened(state)

    def rcdataLessThanSignState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._raw_less_than(super().rcdataLessThanSignState)

    def rawtextLessThanSignState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._raw_less_than(super().rawtextLessThanSignState)

    def scriptDataLessThanSignState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._raw_less_than(super().scriptDataLessThanSignState)

    def rcdataEndTagOpenState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._opened(super().rcdataEndTagOpenState)

    def rawtextEndTagOpenState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._opened(super().rawtextEndTagOpenState)

    def scriptDataEndTagOpenState(self) -> bool:  # noqa: N802 - html5lib's name
        return self._opened(super().scriptDataEndTagOpenState)

    def emitCurrentToken(self) -> None:  # noqa: N802 - html5lib's name
        token = self.currentToken
        token["start"], token["end"] = self.tag_start, self.offset()
        name = token.get("name", "").lower()
        kind = token["type"]
        super().emitCurrentToken()
        if kind == _START and name in _RAW_STATES:
            self.state = getattr(self, _RAW_STATES[name])


def tokens(text: str) -> Iterator[Token]:
    """The tags and comments of ``text`` (already ``normalise``d) in order, with offsets.

    A tag or comment cut off by the end of the text is reported as ``unfinished`` (a browser
    drops it, but in a page it would swallow what follows it)."""
    if "<" not in text and "&" not in text:
        # Every tag, comment and unfinished construct starts with '<', and only a character
        # reference ('&') raises: the tokenizer would read this text as one run of characters.
        return
    tokenizer = _Tokenizer(text)
    try:
        yield from _read(tokenizer, text)
    except ValueError:  # a character reference of thousands of digits: Python will not make it a number
        yield Token("unfinished", name="&#", start=tokenizer.offset(), end=len(text))


def _read(tokenizer: _Tokenizer, text: str) -> Iterator[Token]:
    for raw in tokenizer:
        kind = raw["type"]
        if kind in (_START, _EMPTY, _END):
            attrs = raw["data"]
            pairs = list(attrs.items()) if isinstance(attrs, dict) else [(k, v) for k, v in attrs]
            yield Token("end" if kind == _END else "start", raw["name"], pairs, raw["start"], raw["end"])
        elif kind == _COMMENT:
            yield Token("comment", start=tokenizer.tag_start, end=tokenizer.offset())
        elif kind == _ERROR and "eof" in str(raw.get("data", "")) and "script" not in raw["data"]:
            yield Token("unfinished", start=tokenizer.tag_start, end=len(text))


def line_and_column(text: str, offset: int, line_starts: list[int] | None = None) -> tuple[int, int]:
    """0-based line and column of ``offset`` in ``text``."""
    starts = line_starts if line_starts is not None else line_offsets(text)
    index = bisect.bisect_right(starts, offset) - 1
    return index, offset - starts[index]
