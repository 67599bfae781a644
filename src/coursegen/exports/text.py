"""Course text prepared for export formats: plain text cleaned, lesson Markdown as safe HTML,
and CDATA sections that survive any text."""

from __future__ import annotations

import markdown
import nh3

from ..render import nest_headings, plain

# What lesson HTML may keep in an LMS or on paper: structure and emphasis, no script, style or
# embedded documents (lesson bodies are already validated; this is the allowlist's second line).
_TAGS = (
    "a abbr b blockquote br caption code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p "
    "pre q s small span strong sub summary sup table tbody td tfoot th thead tr u ul"
)
ALLOWED_TAGS = frozenset(_TAGS.split())
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"class"},
}
EXTENSIONS = ["admonition", "attr_list", "def_list", "tables", "md_in_html", "pymdownx.details", "sane_lists"]


def line(text: str | None) -> str:
    """Plain text on one line: controls and bidi overrides removed, runs of whitespace one space."""
    return " ".join(plain(text or "").split())


def lesson_html(body: str, *, top: int = 3) -> str:
    """A lesson's Markdown as sanitised HTML (allowlist: no script, style, forms or event handlers),
    its biggest heading at level ``top`` and every ``<details>`` open (paper cannot be clicked)."""
    html = markdown.markdown(str(nest_headings(plain(body), top)), extensions=EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"https", "http", "mailto", "tel"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values={"details": {"open": ""}},
    )


def cdata(text: str) -> str:
    """``text`` as one or more CDATA sections: ``]]>`` inside it is split across two sections,
    which is the only way XML allows that sequence in CDATA."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def xml_chars(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold at all (U+FFFE, U+FFFF, lone surrogates;
    control characters are already gone)."""
    return "".join(char for char in text if not (0xD800 <= ord(char) <= 0xDFFF or ord(char) in (0xFFFE, 0xFFFF)))
