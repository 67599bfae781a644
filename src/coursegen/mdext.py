"""``coursegen.mdext``: the Python-Markdown extension that makes coursegen's pages safe and quick
to build on any engine that runs Python-Markdown (MkDocs, ProperDocs, Zensical …).

    markdown_extensions:
      - coursegen.mdext:
          key: <the key render_pages marked the generated blocks with>

It does two jobs:

1. **Generated blocks skip Markdown.** ``render`` wraps each block of HTML it generates (the quiz
   and knowledge-check forms, a few hundred tags each) in two marker comments that carry a key
   (``mark_block``). A preprocessor takes every marked block out of the Markdown source before
   anything parses it and leaves a tiny placeholder (``<div data-coursegen-block="…"></div>``) in
   ``md.htmlStash``; after sanitizing, the block is put back in place of its placeholder. So
   Markdown's HTML parser, the sanitizer and (with ``deferred``) the search indexer never read
   the forms. The key is what makes a block trusted: by default it is ``PROCESS_KEY``, random for
   each run, so text in a course file, which is written before the key exists, cannot pass its own
   HTML off as a generated block. Markdown written to files for another engine to build in another
   process needs the key in that engine's configuration (``key:``); blocks with an unknown key are
   not trusted: they go through Markdown and the sanitizer like everything else (safe, only slower).
   The blocks themselves hold no author markup: templates build them with autoescaping, and every
   value from a course file is HTML-escaped text (see SECURITY.md).

2. **The safety net after Markdown** (``htmlsafety``): on a generated course page (``render``
   puts ``PAGE_MARK`` at its top) the HTML Markdown made goes through the allowlist sanitizer
   (nh3), and what validation should have refused (script, embeds, event handlers, unsafe links)
   is reported through ``report``. On every page, course page or hand-written, each link that
   opens elsewhere gets ``rel="noopener noreferrer"``: links Markdown made are set in its element
   tree, links in raw HTML are read with the HTML5 tokenizer (only those fragments, not the page).

Knows nothing of MkDocs: the plugin passes ``report`` (warnings that name the page) and
``deferred`` (blocks are put back after its search plugin has read the page, ``restore_blocks``).
"""

from __future__ import annotations

import logging
import secrets
import zlib
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any
from xml.etree import ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from .htmlsafety import rel_for, sanitize, unsafe_in_tag, unsafe_parts, with_rel

log = logging.getLogger("coursegen.mdext")

PROCESS_KEY = secrets.token_hex(16)
"""The key of this process: ``render_pages`` marks blocks with it, and the extension trusts it
when no other key is configured. Random at start-up, so no course file can know it."""
PAGE_MARK = "<!-- coursegen:page -->"
"""The first line of every page ``render`` generates: this page's HTML goes through the sanitizer."""
_PLACEHOLDER = '<div data-coursegen-block="'


def block_start(key: str) -> str:
    """The line before a generated block."""
    return f"<!-- coursegen:block {key} -->"


def block_end(key: str) -> str:
    """The line after a generated block."""
    return f"<!-- coursegen:end {key} -->"


def mark_block(html: str, key: str | None) -> str:
    """A generated HTML block between its marker lines (as it was, when there is no key).

    The blank lines keep the block a block of its own when no extension reads the markers."""
    if not key:
        return html
    return f"{block_start(key)}\n\n{html.strip(chr(10))}\n\n{block_end(key)}"


def placeholder(token: str) -> str:
    """Where a generated block goes back in the page's HTML."""
    return f'{_PLACEHOLDER}{token}"></div>'


def restore_blocks(page_html: str, blocks: MutableMapping[str, str]) -> str:
    """``page_html`` with each placeholder of a block in ``blocks`` replaced by the block (which
    is taken out of ``blocks``). Placeholders of other blocks are left as they are (empty divs)."""
    start = page_html.find(_PLACEHOLDER)
    if start == -1:
        return page_html
    parts: list[str] = []
    previous = 0
    while start != -1:
        quote = page_html.find('"', start + len(_PLACEHOLDER))
        token = page_html[start + len(_PLACEHOLDER) : quote] if quote != -1 else ""
        whole = placeholder(token)
        if token in blocks and page_html.startswith(whole, start):
            parts += [page_html[previous:start], blocks.pop(token)]
            previous = start + len(whole)
            start = page_html.find(_PLACEHOLDER, previous)
        else:
            start = page_html.find(_PLACEHOLDER, start + 1)
    parts.append(page_html[previous:])
    return "".join(parts)


def _log_removed(removed: list[str]) -> None:
    for what in removed:
        log.warning(f"removed unsafe HTML: {what}")


def _check_element(element: etree.Element, removed: list[str] | None) -> None:
    """``rel`` on links in the tree under ``element`` that open elsewhere; on a course page
    (``removed`` is a list), what the sanitizer will remove is added to ``removed``."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue  # a comment or processing instruction: the sanitizer drops it
        if removed is not None:
            removed += unsafe_in_tag(node.tag, node.attrib.items())
        if node.tag in ("a", "area"):
            rel = rel_for(dict(node.attrib))
            if rel is not None:
                node.set("rel", rel)


class CoursegenExtension(Extension):
    """``markdown_extensions: [coursegen.mdext]``: see the module's docstring."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "key": ["", "The key render_pages marked generated blocks with (default: this process's key)."],
            "report": [_log_removed, "Called with the list of what the sanitizer removed from a page."],
            "deferred": [
                {},
                "A deferred_store(): generated blocks stay placeholders in the HTML and wait there, by "
                "token, for restore_blocks once other tools have read the page. Not given: put back at once.",
            ],
        }
        super().__init__(**kwargs)
        self.reset()

    def reset(self) -> None:
        """State of one conversion (Python-Markdown calls it from ``Markdown.reset``)."""
        self.course_page = False
        self.nonce = secrets.token_hex(8)  # placeholders nobody can write into a page beforehand
        self.blocks: dict[str, str] = {}
        self.removed: list[str] = []
        self.read: set[int] = set()
        """Indexes in ``md.htmlStash`` already read (or our own placeholders)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.registerExtension(self)
        # After normalize_whitespace (30), before fenced code (25), MkDocs' raw HTML scan (21) and
        # the HTML block parser (20): nothing reads a block before it is a placeholder.
        md.preprocessors.register(_TakeBlocks(md, self), "coursegen_blocks", 27)
        # After inline (20), attr_list (8) and toc (5): links are final.
        md.treeprocessors.register(_TreeLinks(md, self), "coursegen_links", 1.5)
        # Before raw_html (30) puts the stash back: raw HTML is read one fragment at a time.
        md.postprocessors.register(_StashedHtml(md, self), "coursegen_raw_html", 35)
        # After everything: sanitize, then put the generated blocks back.
        md.postprocessors.register(_Sanitize(md, self), "coursegen_sanitize", 5)


class _TakeBlocks(Preprocessor):
    def __init__(self, md: Markdown, ext: CoursegenExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        ext = self.ext
        key = str(ext.getConfig("key") or PROCESS_KEY)
        start, end = block_start(key), block_end(key)
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if line == PAGE_MARK:
                ext.course_page = True
            elif line == start and end in lines[i + 1 :]:
                close = lines.index(end, i + 1)
                token = f"{ext.nonce}-{len(ext.blocks)}"
                # Generated, but a link in it that opens elsewhere still gets rel (none does yet:
                # without "<a" the block is not read at all).
                ext.blocks[token] = with_rel("\n".join(lines[i + 1 : close]).strip("\n"))[0]
                index = self.md.htmlStash.html_counter
                out += ["", self.md.htmlStash.store(placeholder(token)), ""]
                ext.read.add(index)
                i = close
            else:
                out.append(line)
            i += 1
        return out


class _TreeLinks(Treeprocessor):
    def __init__(self, md: Markdown, ext: CoursegenExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, root: etree.Element) -> None:
        _check_element(root, self.ext.removed if self.ext.course_page else None)


class _StashedHtml(Postprocessor):
    """Raw HTML (and what other extensions stashed) before it goes back into the page."""

    def __init__(self, md: Markdown, ext: CoursegenExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        ext, stash = self.ext, self.md.htmlStash.rawHtmlBlocks
        for index, raw in enumerate(stash):
            if index in ext.read:
                continue
            ext.read.add(index)
            if isinstance(raw, str):
                if "<" not in raw:
                    continue  # no tag at all: most entries are character references (&#46;)
                if ext.course_page:
                    ext.removed += unsafe_parts(raw)
                stash[index] = with_rel(raw)[0]
            elif isinstance(raw, etree.Element):  # md_in_html keeps some elements in the stash
                _check_element(raw, ext.removed if ext.course_page else None)
        return text


class _Sanitize(Postprocessor):
    def __init__(self, md: Markdown, ext: CoursegenExtension) -> None:
        super().__init__(md)
        self.ext = ext

    def run(self, text: str) -> str:
        ext = self.ext
        # Also runs on a heading alone (MkDocs reads the page title that way): report what has
        # been found so far, and the rest on the next run.
        if ext.removed:
            report: Callable[[list[str]], None] = ext.getConfig("report")
            report(ext.removed)
            ext.removed = []
        if ext.course_page:
            text = sanitize(text)
        if not ext.blocks or _PLACEHOLDER not in text:
            return text
        deferred = ext.getConfig("deferred")
        if isinstance(deferred, _Deferred):
            deferred.update(ext.blocks)
            return text
        return restore_blocks(text, dict(ext.blocks))


class _Deferred(MutableMapping[str, str]):
    """Blocks waiting to be put back, compressed: MkDocs converts every page before it writes
    any, and a big course's quiz forms would otherwise all be in memory at once."""

    def __init__(self) -> None:
        self._blocks: dict[str, bytes] = {}

    def __getitem__(self, token: str) -> str:
        return zlib.decompress(self._blocks[token]).decode("utf-8")

    def __setitem__(self, token: str, block: str) -> None:
        self._blocks[token] = zlib.compress(block.encode("utf-8"), 1)

    def __delitem__(self, token: str) -> None:
        del self._blocks[token]

    def __iter__(self) -> Iterator[str]:
        return iter(self._blocks)

    def __len__(self) -> int:
        return len(self._blocks)

    def __contains__(self, token: object) -> bool:
        return token in self._blocks

    def clear(self) -> None:
        self._blocks.clear()


def deferred_store() -> MutableMapping[str, str]:
    """A store for the ``deferred`` option: blocks wait there until ``restore_blocks``."""
    return _Deferred()


def makeExtension(**kwargs: Any) -> CoursegenExtension:  # noqa: N802 - Python-Markdown's API
    """Entry point for Python-Markdown's ``extensions=["coursegen.mdext"]``."""
    return CoursegenExtension(**kwargs)
