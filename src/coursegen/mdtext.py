"""Author text made inert for Markdown: what a title or sentence from a module file may contain
never takes effect as Markdown, HTML or template syntax. Apart from ``render`` so that the check
(``links``) uses the same escaping without loading the page templates."""

from __future__ import annotations

import string

from markupsafe import Markup

from .phones import PHONE, tel_href

# Markdown treats these as syntax; as numeric entities they are just characters.
_PUNCTUATION = frozenset(string.punctuation)
# Bidirectional overrides can make text read differently from what it is; isolates are harmless.
# Control characters (which YAML escapes such as "\x1b" can produce) are invisible and make HTML
# invalid; tab, newline and carriage return are whitespace and stay.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_BIDI_CONTROLS.update(dict.fromkeys(c for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n\r"))


def plain(text: str) -> str:
    """Author text made safe to show: bidi override and control characters removed."""
    return text.translate(_BIDI_CONTROLS)


def _inert(text: str) -> str:
    return "".join(f"&#{ord(char)};" if char in _PUNCTUATION else char for char in text)


def md_text(text: str | None) -> Markup:
    """Plain text for a Markdown context: every ASCII punctuation mark becomes an entity,
    so no Markdown, HTML or template syntax in it can take effect."""
    if text is None:
        return Markup("")
    return Markup(_inert(" ".join(plain(text).split())))


def md_prose(text: str | None) -> Markup:
    """Like ``md_text``, with phone numbers as tap-to-call links: for sentences a learner reads
    (descriptions, notes, key points), never for titles or text that is already a link."""
    if text is None:
        return Markup("")
    flat = " ".join(plain(text).split())
    out, end = [], 0
    for match in PHONE.finditer(flat):
        out += [_inert(flat[end : match.start()]), f"[{_inert(match.group())}]({tel_href(match.group())})"]
        end = match.end()
    return Markup("".join([*out, _inert(flat[end:])]))
