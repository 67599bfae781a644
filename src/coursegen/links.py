"""Links between the pages of a course: every internal link in a lesson body must reach a page,
a file or a heading that the built site will have.

Link targets are read the way the site reads them: each body is parsed by Python-Markdown with
the site's extensions, and the ``<a href>`` and ``<img src>`` of the resulting element tree are
checked (raw HTML, which MkDocs does not rewrite either, is left to the HTML checks). Targets
resolve as MkDocs resolves them, relative to the page's source file: a module page is
``modules/<id>.md``, so another module is ``other-id.md`` and the help page ``../help.md``.

Anchors come from the headings each page will have, with the ids Python-Markdown's ``toc``
gives them (MkDocs' default slugify, numbered ``_1``, ``_2`` when repeated on a page). For the
generated pages this needs their outline, kept here in step with the templates: a test builds
a site and compares every generated page's heading ids with ``page_anchors``.
"""

from __future__ import annotations

import bisect
import functools
import posixpath
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import markdown
from markdown.treeprocessors import Treeprocessor

from .errors import CourseError
from .htmltokens import RAW_TEXT_TAGS, line_offsets
from .mdtext import md_text
from .model import Course, Module
from .yamlfile import Loc, YamlDocument, collector_paused

SITE_EXTENSIONS = (
    "toc",
    "tables",
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    "def_list",
)
"""The Markdown extensions of a coursegen site (the plugin requires them; the starter course and
the flagship list them in mkdocs.yml)."""

MAX_DOC_BYTES = 2_000_000
HOW_TO_LINK = (
    "link another module as [its title](other-module-id.md), a heading as [text](other-module-id.md#heading-id) "
    "or [text](#heading-id) on this page, and the course pages as ../help.md, ../contacts.md, ../glossary.md, "
    "../progress.md"
)


class _KeepTree(Treeprocessor):
    """Keeps the element tree after the other tree processors (toc has set the heading ids)."""

    root: ElementTree.Element | None = None

    def run(self, root: ElementTree.Element) -> None:
        self.root = root


_PARSERS = threading.local()


def _parser() -> tuple[markdown.Markdown, _KeepTree]:
    """This thread's Markdown instance with the site's extensions, reset for a new text (building
    one per lesson took a third of the time of checking a large course)."""
    found = getattr(_PARSERS, "found", None)
    if found is None:
        md = markdown.Markdown(extensions=list(SITE_EXTENSIONS))
        keep = _KeepTree(md)
        md.treeprocessors.register(keep, "coursegen-keep-tree", 0)
        found = _PARSERS.found = (md, keep)
    md, keep = found
    md.reset()
    keep.root = None
    return md, keep


def parse(text: str) -> ElementTree.Element:
    """The element tree Python-Markdown makes of ``text`` with the site's extensions."""
    md, keep = _parser()
    md.convert(text)
    assert keep.root is not None
    return keep.root


StartTags = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
"""Start tags with their attributes, (name, ((attribute, value), ...)), as ``htmltokens.tokens``
reads them from HTML."""


class Conversion(NamedTuple):
    """What Python-Markdown makes of a text with the site's extensions."""

    html: str
    links: tuple[str, ...]
    """Link and image targets in document order (``tree_links``)."""
    tags: StartTags | None
    """The start tags of ``html`` that carry attributes, read from the element tree, or None where
    only reading ``html`` itself can tell them (``tree_start_tags``)."""


@functools.lru_cache(maxsize=256)
def converted(text: str) -> Conversion:
    """The HTML Python-Markdown makes of ``text`` with the site's extensions, its link and image
    targets, and (where the tree can tell) its start tags with attributes.

    Remembered for the last few hundred texts: the link check and validate's check of the
    Markdown-made HTML read the same lesson bodies, and converting each once halves the time of
    checking a course from scratch."""
    md, keep = _parser()
    with collector_paused():
        html = md.convert(text)
    if keep.root is None:  # blank text: no tree, no HTML
        return Conversion(html, (), ())
    return Conversion(html, tuple(tree_links(keep.root)), tree_start_tags(md, keep.root))


_TAG_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_NAME_CHARACTERS = _TAG_CHARACTERS | frozenset("-_:.")
# What html5lib's tokenizer reads otherwise in an attribute value than the tree holds: '&' starts a
# character reference, NUL becomes U+FFFD, CR becomes LF (``normalise``); STX and ETX mark Markdown's
# placeholders, which its postprocessors replace after serialising.
_REREAD_IN_VALUES = ("&", "\x00", "\r", "\x02", "\x03")
# Python-Markdown's own postprocessors: with an empty HTML stash neither changes a tag.
_OWN_POSTPROCESSORS = ("raw_html", "amp_substitute")


def tree_start_tags(md: markdown.Markdown, root: ElementTree.Element) -> StartTags | None:
    """The start tags with attributes in the HTML ``md`` has just made of ``root``, in document
    order, each as html5lib's tokenizer reads it back from that HTML; None where the tree cannot tell.

    Reading the tree instead of the HTML saves tokenizing every converted body again. It is only
    exact when the HTML is the serialiser's output and nothing else: no raw HTML, entity, code block
    or HTML block was put in the HTML stash (its strings are pasted into the HTML after serialising,
    and a quote left open in one can turn the serialised text that follows into attributes), and no
    other postprocessor rewrites the HTML. The serialiser then writes each element's start tag with
    its attributes in lexical order as name="value", escaping '&', '<', '>' and '"' in values and
    '&', '<', '>' in text, so the tokenizer finds exactly the tree's tags and attributes. Names that
    the tokenizer would fold to lower case (and then keep only the first of two alike), values it
    would decode or change, and raw-text elements (inside which it reads no tags) also give None:
    the caller then tokenizes the HTML, as it always did."""
    if md.htmlStash.html_counter or md.htmlStash.rawHtmlBlocks or md.output_format != "xhtml":
        return None
    if sum(name in md.postprocessors for name in _OWN_POSTPROCESSORS) != len(md.postprocessors):
        return None  # another extension's postprocessor could rewrite the HTML
    if root.attrib:  # convert() strips the top-level '<div>' only when it has no attributes
        return None
    found: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str) or not tag or not _TAG_CHARACTERS.issuperset(tag) or tag in RAW_TEXT_TAGS:
            return None  # a comment, a processing instruction, a name the tokenizer folds, raw text
        if not element.attrib or element is root:
            continue
        attrs: list[tuple[str, str]] = []
        for name, value in sorted(element.attrib.items()):
            if not isinstance(name, str) or not name or not _NAME_CHARACTERS.issuperset(name):
                return None
            if not isinstance(value, str) or any(c in value for c in _REREAD_IN_VALUES):
                return None  # a valueless attribute is written bare: the tokenizer reads ""
            attrs.append((name, value))
        found.append((tag, tuple(attrs)))
    return tuple(found)


def tree_ids(root: ElementTree.Element) -> set[str]:
    """Every id in an element tree (headings get theirs from toc, others from attribute lists)."""
    return {el.attrib["id"] for el in root.iter() if "id" in el.attrib}


def tree_links(root: ElementTree.Element) -> list[str]:
    """Link and image targets in document order."""
    found = []
    for el in root.iter():
        target = el.attrib.get("href") if el.tag == "a" else el.attrib.get("src") if el.tag == "img" else None
        if target:
            found.append(target)
    return found


# --- the pages a course generates, with their outlines -------------------------------------------


def module_order(course: Course, modules: list[Module]) -> list[Module]:
    """Modules in course order, as the loader orders them (course.yml's list, then by id)."""
    order = {module_id: i for i, module_id in enumerate(course.module_order())}
    return sorted(modules, key=lambda m: (order.get(m.id, len(order)), m.id))


def _h(level: int, text: str) -> str:
    return f"{'#' * level} {md_text(text)}\n\n"


def _module_outline(module: Module, number: int) -> str:
    """Headings of a module page in template order, lesson bodies included (their headings and
    attribute-list ids count, and make later repeated headings ``_1``, ``_2``)."""
    parts = [f"# {number}. {md_text(module.title)}\n\n", _h(2, "What you will learn")]
    for lesson in module.lessons:
        parts += [_h(2, lesson.title), lesson.body.rstrip() + "\n\n"]
        if lesson.checks:
            parts.append(_h(3, "Check your understanding"))
    if module.key_points:
        parts.append(_h(2, "Key points"))
    if module.quiz:
        parts.append(_h(2, "Quiz"))
    if module.resources:
        parts.append(_h(2, "Sources and resources"))
    return "".join(parts)


def generated_outlines(course: Course, modules: list[Module]) -> dict[str, Callable[[], str]]:
    """Each generated page's path and (lazily) the Markdown of its headings."""
    ordered = module_order(course, modules)

    def home() -> str:
        learning = (
            _h(2, "Learning paths") + "".join(_h(3, a.title) for a in course.audiences) if course.audiences else ""
        )
        present = {m.id for m in modules}
        parts = "".join(_h(3, s.title) for s in course.sections if any(i in present for i in s.modules))
        # The role chooser's heading (raw HTML with its own id) when some audience has modules.
        chooser = "## Your learning path {#cg-path-heading}\n\n" if any(m.audiences for m in modules) else ""
        return _h(1, course.title) + chooser + _h(2, "Modules") + parts + learning + _h(2, "How this course works")

    def facilitator() -> str:
        parts = [_h(1, "Facilitator guide")]
        for number, module in enumerate(ordered, start=1):
            parts.append(f"## {number}. {md_text(module.title)}\n\n")
            parts += [_h(3, lesson.title) for lesson in module.lessons if lesson.facilitator_notes or lesson.discussion]
        return "".join(parts)

    pages: dict[str, Callable[[], str]] = {
        "index.md": home,
        # The progress page's "Lessons read" heading is raw HTML with its own id.
        "progress.md": lambda: _h(1, "Your progress") + "## Lessons read {#cg-lessons-read-heading}\n\n",
        "help.md": lambda: _h(1, "Get help now") + "".join(_h(2, line.name) for line in course.help),
        "contacts.md": lambda: _h(1, "Local contacts") + "".join(_h(2, c.role) for c in course.contacts),
        "facilitator.md": facilitator,
    }
    if course.glossary:
        pages["glossary.md"] = lambda: _h(1, "Glossary")
    for number, module in enumerate(ordered, start=1):
        pages[f"modules/{module.id}.md"] = lambda m=module, n=number: _module_outline(m, n)
    return pages


class SiteMap:
    """The pages and files a course's site will have, and (computed on demand) their anchors."""

    def __init__(self, course: Course, modules: list[Module], unreadable: set[str], docs_dir: Path | None) -> None:
        self.outlines = generated_outlines(course, modules)
        self.unreadable = {f"modules/{module_id}.md" for module_id in unreadable}
        self.docs_dir = docs_dir
        self.docs = self._docs_files(docs_dir)
        self.glossary = bool(course.glossary)
        self._anchors: dict[str, set[str] | None] = {}

    @staticmethod
    def _docs_files(docs_dir: Path | None) -> set[str]:
        if docs_dir is None or not docs_dir.is_dir():
            return set()
        found = set()
        for path in docs_dir.rglob("*"):
            rel = path.relative_to(docs_dir)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                found.add(rel.as_posix())
        return found

    def pages(self) -> set[str]:
        """Every page the site will have."""
        return set(self.outlines) | self.unreadable | {p for p in self.docs if p.endswith(".md")}

    def exists(self, target: str) -> bool:
        """Whether the site will have this page or file (a docs-relative path)."""
        return target in self.outlines or target in self.unreadable or target in self.docs

    def anchors(self, target: str) -> set[str] | None:
        """The ids on a page, or None where they cannot be known (a module file with errors,
        a file that is not a page)."""
        if target not in self._anchors:
            self._anchors[target] = self._read_anchors(target)
        return self._anchors[target]

    def _read_anchors(self, target: str) -> set[str] | None:
        if target in self.outlines:
            return tree_ids(parse(self.outlines[target]()))
        if target in self.docs and target.endswith(".md") and self.docs_dir is not None:
            path = self.docs_dir / target
            if path.stat().st_size > MAX_DOC_BYTES:
                return None
            text = path.read_text(encoding="utf-8", errors="replace")
            if text.startswith("---\n"):  # front matter is not part of the page
                end = text.find("\n---\n", 4)
                text = text[end + 5 :] if end >= 0 else text
            return tree_ids(parse(text))
        return None

    def describe(self, target: str) -> str:
        """A page as an author knows it."""
        if target.startswith("modules/") and (target in self.outlines or target in self.unreadable):
            return f"module '{target[len('modules/') : -len('.md')]}'"
        if target in self.outlines:
            return f"the generated page {target}"
        return f"docs/{target}"


# --- checking -------------------------------------------------------------------------------------


def _suggest(site: SiteMap, src: str, path: str) -> str:
    """A link to an existing page that an unresolved ``path`` probably meant."""
    here = posixpath.dirname(src)
    url_dir = posixpath.splitext(src)[0]  # the page's URL with directory URLs: modules/<id>/
    stem = path.rstrip("/")
    candidates = []
    for base in (here, url_dir):
        joined = posixpath.normpath(posixpath.join(base, stem)) if stem else posixpath.normpath(base)
        candidates += [joined, joined + ".md", posixpath.join(joined, "index.md")]
        if joined.endswith(".html"):
            candidates.append(joined[: -len(".html")] + ".md")
    name = posixpath.basename(stem)
    name = name if name.endswith(".md") else posixpath.splitext(name)[0] + ".md"
    same_name = sorted(p for p in site.pages() if posixpath.basename(p) == name)
    for candidate in candidates + same_name[:1]:
        if site.exists(candidate) and candidate.endswith(".md"):
            return posixpath.relpath(candidate, here or ".")
    return ""


def link_problem(site: SiteMap, src: str, url: str) -> tuple[str, str] | None:
    """(problem, hint) for a link on page ``src`` that the site cannot follow, else None."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None  # another site, mail or phone: validate checks the scheme
    if url.startswith(("/", "\\")):
        return (
            f"the link '{url}' starts with '/': it would leave the course when the site is not at the root of its "
            "host, and no build checks it",
            "link relative to this page: ../help.md, other-module-id.md",
        )
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path)) if path else src
    if path and not site.exists(target):
        if target == "glossary.md" and not site.glossary:
            return f"the link '{url}' leads to the glossary, but this course has none", "add glossary: to course.yml"
        guess = _suggest(site, src, path)
        if guess:
            hint = f"link to the page's Markdown file: {guess}{'#' + parts.fragment if parts.fragment else ''}"
        else:
            hint = HOW_TO_LINK
        where = "outside the site" if target.startswith("..") else f"'{target}', which the site does not have"
        return f"broken link '{url}': it leads to {where}", hint
    if parts.fragment and parts.fragment.lower() != "top":  # HTML: '#top' is the top of any page
        anchors = site.anchors(target)
        if anchors is not None and parts.fragment not in anchors:
            page = "this page" if target == src else site.describe(target)
            close = sorted(a for a in anchors if parts.fragment in a or a in parts.fragment)
            shown = close or sorted(anchors)
            listed = ", ".join(f"#{a}" for a in shown[:8]) + (", ..." if len(shown) > 8 else "")
            hint = f"did you mean #{close[0]}?" if len(close) == 1 else f"headings there: {listed}"
            return f"broken link '{url}': {page} has no heading '#{parts.fragment}'", hint
    return None


def _body_position(doc: YamlDocument, loc: Loc, offset: int, body: str) -> tuple[int, int]:
    """File line and column of an offset in a body (a ``|`` block starts on the next line)."""
    starts = line_offsets(body)
    index = bisect.bisect_right(starts, offset) - 1
    line, col = doc.positions.of(loc)
    indent = doc.positions.block_indent(loc)
    if indent is not None:
        return line + 1 + index, indent + offset - starts[index] + 1
    return line + index, col + (offset - starts[index] if index == 0 else 0)


def _is_target_at(body: str, offset: int, length: int) -> bool:
    """Whether ``body[offset:offset+length]`` stands as a whole link target, as in ``](x)``,
    ``<x>`` or ``[id]: x``, not as the start of a longer one."""
    before = body[:offset].rstrip(" \t")
    after = body[offset + length : offset + length + 1]
    return (before.endswith(("(", "<", "]:")) or before.endswith("(\n")) and (after == "" or after in ")> \t\n\"'")


def _located(body: str, targets: list[str]) -> Iterator[tuple[str, int]]:
    """Each target with its offset in the body: the next place it stands as a link target (the
    start of the body when Markdown changed its text, e.g. by decoding an entity)."""
    after: dict[str, int] = {}
    for target in targets:
        offset = body.find(target, after.get(target, 0))
        while offset >= 0 and not _is_target_at(body, offset, len(target)):
            offset = body.find(target, offset + 1)
        if offset < 0:
            yield target, 0
            continue
        after[target] = offset + len(target)
        yield target, offset


WEB_LINK_STARTS = ("https://", "http://")
# Raw HTML and autolinks ('<'), attribute lists ('{'), character references ('&') and backslash
# escapes ('\\') can each make an address or attribute that is not written out after '](' or ']:'.
_NOT_WRITTEN_OUT = ("<", "{", "&", "\\")


def makes_only_web_links(body: str) -> bool:
    """Whether every link Python-Markdown can make of ``body`` (with the site's extensions) is a web
    link, and it makes no image, raw HTML or attribute list: then neither the link check nor the
    check of Markdown-made HTML has anything to find in it, and it need not be converted.

    Markdown takes a link's address from right after '](' (an inline link) or ']:' (a reference
    definition) and blanks: when each of those, wherever it stands (code included), is followed by
    an address that starts https:// or http://, so is every address it makes. Anything else, such as
    a link to another page of the course, is left to the conversion. Converting every lesson body
    was two thirds of the time of checking a large course from scratch."""
    if "![" in body or any(mark in body for mark in _NOT_WRITTEN_OUT):
        return False
    for marker in ("](", "]:"):
        found = body.find(marker)
        while found != -1:
            if not body[found + 2 : found + 2 + 64].lstrip().startswith(WEB_LINK_STARTS):
                return False
            found = body.find(marker, found + 2)
    return True


def module_links(module: Module, doc: YamlDocument) -> list[tuple[str, int, int]]:
    """The link and image targets that the link check reads in the lesson bodies of ``module``
    (all but web links, which lead to other sites), with their line and column."""
    found: list[tuple[str, int, int]] = []
    for li, lesson in enumerate(module.lessons):
        if "[" not in lesson.body or makes_only_web_links(lesson.body):
            continue  # no Markdown link or image without a '[', or web links only
        loc: Loc = ("lessons", li, "body")
        try:
            targets = [t for t in converted(lesson.body)[1] if not t.startswith(WEB_LINK_STARTS)]
        except Exception:  # noqa: BLE001 - validate reports a body Markdown cannot convert, in place
            continue
        for target, offset in _located(lesson.body, targets):
            found.append((target, *_body_position(doc, loc, offset, lesson.body)))
    return found


def broken_links(site: SiteMap, module_id: str, path: str, links: list[tuple[str, int, int]]) -> list[CourseError]:
    """The links of module ``module_id`` (from ``module_links``, in file ``path``) that lead nowhere."""
    src = f"modules/{module_id}.md"
    errors: list[CourseError] = []
    for target, line, col in links:
        problem = link_problem(site, src, target)
        if problem:
            errors.append(CourseError(path, line, col, *problem))
    return errors


def check_links(
    course: Course, modules: list[tuple[Module, YamlDocument]], unreadable: set[str], docs_dir: Path | None
) -> list[CourseError]:
    """Every broken internal link in the lesson bodies of ``modules``, at its file:line:col."""
    site = SiteMap(course, [module for module, _ in modules], unreadable, docs_dir)
    errors: list[CourseError] = []
    for module, doc in modules:
        errors += broken_links(site, module.id, doc.path, module_links(module, doc))
    return errors
