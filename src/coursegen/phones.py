"""Phone numbers in lessons and tables become tap-to-call links: a Python-Markdown extension.

It works on the element tree Markdown builds, after inline parsing, so only text a reader sees is
touched: never code, existing links, headings, raw HTML blocks (quiz forms) or attribute values,
and no regular expression ever reads HTML. Knows nothing of MkDocs: any engine that runs
Python-Markdown extensions can load it as ``coursegen.phones``.

Only full North American numbers are linked (``1-888-373-7888``, ``(888) 373-7888``,
``888.373.7888``). Short numbers such as 911, 711 or a text short code are left as text: they
appear in many sentences ("call 911 if…") and are dialled by hand; the "Get help now" page links
its own numbers, 911 included.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

# A number with separators, not part of a longer run of digits, letters or dashes (so dates,
# ids and vanity numbers such as 1-844-7NATIVE stay text). No nested repetition: linear time.
PHONE = re.compile(r"(?<![\w+-])(?:\+?1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")

# Text inside these stays as it is: it is code, already a link or control, or a heading (whose
# text also names its anchor and its table-of-contents entry).
SKIP = frozenset(
    {"a", "button", "code", "kbd", "label", "legend", "option", "pre", "samp", "script", "select", "style"}
    | {"textarea", "h1", "h2", "h3", "h4", "h5", "h6"}
)


def tel_href(number: str) -> str:
    """The tel: link of a number as written: its digits (and a leading +) only."""
    digits = "".join(ch for ch in number if ch.isdigit())
    return "tel:" + ("+" if number.lstrip().startswith("+") else "") + digits


def _split(text: str) -> tuple[str, list[etree.Element]]:
    """Text up to the first number, and one link per number, each carrying the text after it."""
    matches = list(PHONE.finditer(text))
    if not matches:
        return text, []
    links = []
    for i, match in enumerate(matches):
        link = etree.Element("a", {"href": tel_href(match.group())})
        link.text = match.group()
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        link.tail = text[match.end() : end]
        links.append(link)
    return text[: matches[0].start()], links


def link_phone_numbers(element: etree.Element) -> None:
    """Turn the phone numbers in ``element``'s text, and its descendants' text, into tel: links."""
    if element.tag in SKIP:
        return
    if element.text:
        element.text, links = _split(element.text)
        for index, link in enumerate(links):
            element.insert(index, link)
    # Iterate over a snapshot: the links inserted for a tail become siblings of ``child``.
    for child in list(element):
        link_phone_numbers(child)
        if child.tail:
            child.tail, links = _split(child.tail)
            position = list(element).index(child) + 1
            for offset, link in enumerate(links):
                element.insert(position + offset, link)


class PhoneLinks(Treeprocessor):
    """Runs after the inline patterns, so text is final and links are already links."""

    def run(self, root: etree.Element) -> None:
        link_phone_numbers(root)


class PhoneExtension(Extension):
    """``markdown_extensions: [coursegen.phones]``: phone numbers become tap-to-call links."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        # Below "inline" (20), above "prettify" (10) and "toc" (5).
        md.treeprocessors.register(PhoneLinks(md), "coursegen_phones", 15)


def makeExtension(**kwargs: object) -> PhoneExtension:  # noqa: N802 - Python-Markdown's API
    """Entry point for Python-Markdown's ``extensions=["coursegen.phones"]``."""
    return PhoneExtension(**kwargs)
