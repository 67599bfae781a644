"""Rules that span fields or files: ids, references, answers, links and safe Markdown."""

from __future__ import annotations

import bisect
import difflib
import itertools
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from .errors import CourseError
from .htmlsafety import SAFE_SCHEMES, URL_ATTRS, link_problem
from .links import check_links
from .model import Course, Module, Question
from .yamlfile import Loc, YamlDocument

# Raw HTML that could run script or pull in other pages; Markdown bodies may not carry it. A quick
# pattern first (it also sees tags left unfinished at the end of a body), then an HTML tokenizer
# that decodes entities the way a browser does (``jav&#x61;script:``) and checks every attribute.
# Every '<' up to the next '<' or '>' is one tag-like span (linear time, whatever the body holds).
_TAGLIKE = re.compile(r"<[^<>]*>?")
_UNSAFE_SPAN = (
    re.compile(r"^<\s*/?\s*(script|iframe|object|embed|style|link|meta|base|form|svg|math|template)\b", re.I),
    re.compile(r"[\s/\"']on[a-z]+\s*=", re.I),
    re.compile(r"\b(href|src|action|formaction)\s*=\s*[\"']?\s*(javascript|vbscript|data):", re.I),
)
MAX_ERRORS_PER_BODY = 20
# Python-Markdown slows down with the square of the '[' it cannot pair up, and raw HTML nested a few
# hundred deep exhausts its recursion: far beyond any lesson, these limits keep a build quick.
MAX_BRACKETS = 1000
MAX_HTML_DEPTH = 50
# '&#' that does not start a character reference (even in a code span) makes Python-Markdown's HTML
# parser lose its place: the raw HTML after it, such as the quiz forms, comes out garbled.
_BROKEN_CHARREF = re.compile(r"&#(?![0-9]|[xX][0-9a-fA-F])")
# Processing instructions (`<?xml …>`, `<?php …>`) confuse it the same way; a lesson never needs one.
_PROCESSING_INSTRUCTION = re.compile(r"<\?")
# Elements that run script, embed other pages, restyle the site, or (raw-text elements) swallow
# the rest of the page when left open.
_BLOCKED_TAGS = frozenset(
    "script iframe frame frameset object embed applet style link meta base form svg math template portal"  # noqa: SIM905
    " textarea title xmp plaintext listing noscript noembed noframes".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())  # noqa: SIM905
_TAG_NAME = re.compile(r"^[a-z][a-z0-9]*$")
_LINK_HINT = "write the whole web address, e.g. https://example.org/page; script, data and file links are refused"
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]\(\s*<?([^)>\s]*)")
_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_MD_LINK = re.compile(r"\]\(\s*<?([^)>]*)")
_MD_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*<?(\S+)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>")
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_ATTR_LIST_EVENT = re.compile(r"(?<![\w-])on[a-z]+\s*=", re.IGNORECASE)
_ATTR_LIST_URL = re.compile(r"(?<![\w-])(href|src|action|formaction|srcdoc)\s*=", re.IGNORECASE)
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)


def _at(doc: YamlDocument, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> CourseError:
    line, col = doc.positions.of(loc, key=key)
    return CourseError(doc.path, line, col, message, hint)


def _check_url(doc: YamlDocument, loc: Loc, url: str | None) -> Iterator[CourseError]:
    """Links in course files point outside the site: web, mail or phone only."""
    if url is None:
        return
    problem = link_problem(url)
    if problem is None and not url.strip().lower().startswith(SAFE_SCHEMES):
        problem = "a resource link must start with https://, http://, mailto: or tel:"
    if problem:
        yield _at(doc, loc, problem, _LINK_HINT)


def _body_position(doc: YamlDocument, loc: Loc, line_in_body: int, column_in_line: int) -> tuple[int, int]:
    """File line and column of a place in a body, given as 0-based line and column in the body."""
    line, col = doc.positions.of(loc)
    if loc in doc.positions.block_indent:  # `|` or `>`: the content starts on the next line
        return line + 1 + line_in_body, doc.positions.block_indent[loc] + column_in_line + 1
    return line + line_in_body, col


class _Tags(HTMLParser):
    """Collects the tags of raw HTML in a Markdown body, with their offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]  # html.parser counts only \n
        self.found: list[tuple[str, str, list[tuple[str, str | None]], int]] = []
        self.broken: int | None = None
        try:
            self.feed(text)
            self.unfinished = self.rawdata  # an unfinished tag or comment at the end stays here
        except AssertionError:  # html.parser gives up on `<![word[` (Markdown shows it as text)
            self.broken = self._offset()
            self.unfinished = ""

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.starts[min(line - 1, len(self.starts) - 1)] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(("start", tag, attrs, self._offset()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(("start", tag, attrs, self._offset()))  # `<div/>` opens a div in HTML

    def handle_endtag(self, tag: str) -> None:
        self.found.append(("end", tag, [], self._offset()))


def _mask_code(body: str) -> str:
    """The body with fenced code and code spans blanked out (same length and lines)."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group(0))  # noqa: E731 - a short local formatter
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, body))


def _unsafe_tags(body: str) -> Iterator[tuple[int, str]]:
    """(offset, what) for every tag, attribute or link that could run script."""
    reported: set[int] = set()
    for match in _TAGLIKE.finditer(body):
        span = match.group(0)
        found = next((m for m in (pattern.search(span) for pattern in _UNSAFE_SPAN) if m), None)
        if found:
            reported.add(match.start())
            yield match.start(), f"raw HTML '{span[: found.end()][:30]}'"
    tags = _Tags(body)
    for kind, tag, attrs, offset in tags.found:
        if kind != "start" or offset in reported:
            continue
        if tag in _BLOCKED_TAGS:
            yield offset, f"raw HTML '<{tag}>'"
            continue
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc":
                yield offset, f"raw HTML attribute '{name}' on <{tag}>"
            elif name in URL_ATTRS and value and link_problem(value):
                yield offset, f"raw HTML link '{name}=\"{value[:30]}\"' on <{tag}>"
            elif name == "src" and value and _REMOTE.match(value):
                yield offset, f"{'an image' if tag == 'img' else 'a file'} from another site ('{value[:40]}')"
    if tags.broken is not None:
        yield tags.broken, "a '<![' section that HTML parsers read differently"
    unfinished = re.match(r"\s*<[a-zA-Z!/?]", tags.unfinished)
    if unfinished and len(body) - len(tags.unfinished) not in reported:
        yield len(body) - len(tags.unfinished) + unfinished.end() - 2, "an unfinished HTML tag or comment"


def _unbalanced_tags(body: str) -> Iterator[tuple[int, str]]:
    """(offset, message) for raw HTML elements left open or closed without being opened."""
    stack: list[tuple[str, int]] = []
    for kind, tag, _attrs, offset in _Tags(_mask_code(body)).found:
        if not _TAG_NAME.match(tag):
            if kind == "start" and not re.search(r"[:@]", tag):  # <https://…> and <a@b> are autolinks
                yield offset, f"'<{tag[:20]}' is not an HTML tag, but a browser would read it as one"
            continue
        if tag in _VOID_TAGS:
            continue
        if kind == "start":
            stack.append((tag, offset))
            if len(stack) > MAX_HTML_DEPTH:
                yield offset, f"raw HTML is nested more than {MAX_HTML_DEPTH} elements deep here"
                return
        elif stack and stack[-1][0] == tag:
            stack.pop()
        elif any(open_tag == tag for open_tag, _ in stack):
            while stack[-1][0] != tag:
                inner, inner_offset = stack.pop()
                yield inner_offset, f"'<{inner}>' is not closed before '</{tag}>'"
            stack.pop()
        else:
            yield offset, f"'</{tag}>' closes an element this body never opened"
    for tag, offset in stack:
        yield offset, f"'<{tag}>' is never closed in this body"


def check_markdown(doc: YamlDocument, loc: Loc, body: str) -> Iterator[CourseError]:
    """Refuse raw HTML that could run script, unbalanced raw HTML, and links with unsafe schemes
    (the first MAX_ERRORS_PER_BODY problems: a body of 10 000 stray tags needs one message)."""
    return itertools.islice(_markdown_problems(doc, loc, body), MAX_ERRORS_PER_BODY)


def _markdown_problems(doc: YamlDocument, loc: Loc, body: str) -> Iterator[CourseError]:
    line_starts = [0] + [m.end() for m in re.finditer("\n", body)]

    def error(offset: int, message: str, hint: str = "") -> CourseError:
        index = bisect.bisect_right(line_starts, offset) - 1
        line, col = _body_position(doc, loc, index, offset - line_starts[index])
        return CourseError(doc.path, line, col, message, hint)

    for offset, what in _unsafe_tags(body):
        hint = "use Markdown and Material admonitions; script, embeds and event handlers are refused"
        hint += " (to show a tag as text, write &lt;script&gt;)"
        if what.startswith("an unfinished"):
            hint = "end it with '>' (a comment with '-->'), or write &lt; for a '<' that is just text"
        elif "'<!['" in what:
            hint = "write &lt;![ if it is meant as text"
        elif "from another site" in what:
            hint = "save the image in docs/ and link it from there; the site loads nothing from other hosts"
        yield error(offset, f"{what} is not allowed in a lesson body", hint)
    for offset, message in _unbalanced_tags(body):
        yield error(
            offset,
            f"raw HTML: {message}",
            "close every HTML element you open, or write &lt; for a '<' that is just text",
        )
    for match in itertools.islice(_PROCESSING_INSTRUCTION.finditer(body), 1):
        yield error(
            match.start(),
            "a '<?' processing instruction (as in XML or PHP) is not allowed in a lesson body",
            "write &lt;? to show it as text",
        )
    for match in itertools.islice(_BROKEN_CHARREF.finditer(body), 1):
        yield error(
            match.start(),
            f"'{body[match.start() : match.start() + 4].strip()}' is an unfinished character reference",
            "write &amp;# to show '&#' as text, or finish it, as in &#8212;",
        )
    brackets = [m.start() for m in itertools.islice(re.finditer(r"\[", _mask_code(body)), MAX_BRACKETS + 1)]
    if len(brackets) > MAX_BRACKETS:
        yield error(
            brackets[-1],
            f"this body has more than {MAX_BRACKETS} '[' (links and images)",
            "split the lesson into several lessons",
        )
    for match in _ATTR_LIST.finditer(body):
        if _ATTR_LIST_EVENT.search(match.group(0)) or _ATTR_LIST_URL.search(match.group(0)):
            yield error(
                match.start(),
                f"attribute list '{match.group(0)[:30]}' sets an event handler or a link",
                "attribute lists may set classes, ids and plain attributes; write links as [text](https://…)",
            )
    for match in _MD_IMAGE.finditer(body):
        if _REMOTE.match(match.group(1)):
            yield error(
                match.start(1),
                f"an image from another site ('{match.group(1)[:40]}') is not allowed in a lesson body",
                "save the image in docs/ and link it from there; the site loads nothing from other hosts",
            )
    for pattern in (_MD_LINK, _MD_REFERENCE, _AUTOLINK):
        for match in pattern.finditer(body):
            problem = link_problem(match.group(1))
            if problem:
                yield error(match.start(1), problem, _LINK_HINT)


def true_false_choices_error(doc: YamlDocument, loc: Loc, hint: str = "") -> CourseError:
    """A true_false question at ``loc`` written with ``choices:``."""
    hint = hint or "give 'answer: true' or 'answer: false' with true_feedback and false_feedback"
    return _at(doc, (*loc, "choices"), "a true_false question has no 'choices'", hint, key=True)


def check_question(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """Rules of one question that pydantic's field checks cannot express."""
    if question.type == "true_false":
        if question.choices is not None:
            yield true_false_choices_error(doc, loc)
        for name in ("answer", "true_feedback", "false_feedback"):
            if getattr(question, name) is None:
                yield _at(doc, loc, f"true_false question '{question.id}' needs '{name}'")
        return
    for name in ("answer", "true_feedback", "false_feedback"):
        if getattr(question, name) is not None:
            yield _at(doc, (*loc, name), f"'{name}' is only for true_false questions", key=True)
    choices = question.choices or []
    if len(choices) < 2:
        yield _at(doc, (*loc, "choices"), f"question '{question.id}' needs at least two choices")
        return
    correct = sum(c.correct for c in choices)
    if question.type == "single" and correct != 1:
        yield _at(
            doc,
            (*loc, "choices"),
            f"single-choice question '{question.id}' has {correct} correct choices; it needs exactly one",
            "mark one choice 'correct: true', or use 'type: multiple'",
        )
    if question.type == "multiple" and correct == 0:
        yield _at(
            doc,
            (*loc, "choices"),
            f"multiple-choice question '{question.id}' has no correct choice",
            "mark at least one choice 'correct: true'",
        )
    seen: set[str] = set()
    for i, choice in enumerate(choices):
        if choice.text in seen:
            yield _at(
                doc, (*loc, "choices", i, "text"), f"choice '{choice.text}' appears twice in question '{question.id}'"
            )
        seen.add(choice.text)


def _check_module(module: Module, doc: YamlDocument, audiences: set[str]) -> Iterator[CourseError]:
    stem = PurePosixPath(doc.path).stem
    if stem != module.id:
        yield _at(
            doc,
            ("id",),
            f"module id '{module.id}' differs from the file name '{stem}'",
            f"rename the file to {module.id}.yml or change the id",
        )
    for i, audience in enumerate(module.audiences):
        if audience not in audiences:
            known = ", ".join(sorted(audiences)) or "none defined in course.yml"
            yield _at(doc, ("audiences", i), f"unknown audience '{audience}'", f"known audiences: {known}")
    question_locs: list[tuple[Loc, Question]] = []
    for li, lesson in enumerate(module.lessons):
        yield from check_markdown(doc, ("lessons", li, "body"), lesson.body)
        question_locs += [(("lessons", li, "checks", qi), q) for qi, q in enumerate(lesson.checks)]
    if module.quiz:
        question_locs += [(("quiz", "questions", qi), q) for qi, q in enumerate(module.quiz.questions)]
    seen: set[str] = set()
    for loc, question in question_locs:
        if question.id in seen:
            yield _at(
                doc,
                (*loc, "id"),
                f"duplicate question id '{question.id}' in module '{module.id}'",
                "question ids must be unique within a module",
            )
        seen.add(question.id)
        yield from check_question(doc, loc, question)
        for i, number in enumerate(question.assesses):
            if number > len(module.objectives):
                count = len(module.objectives)
                yield _at(
                    doc,
                    (*loc, "assesses", i),
                    f"question '{question.id}' assesses objective {number}, "
                    f"but module '{module.id}' has {count} {'objective' if count == 1 else 'objectives'}",
                    "objectives are numbered from 1 in the order of 'objectives:'; "
                    + ("use 1" if count == 1 else f"use 1 to {count}"),
                )
    for i, resource in enumerate(module.resources):
        yield from _check_url(doc, ("resources", i, "url"), resource.url)


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """The first cycle of ``requires`` found, as ids ending where they start, or None.

    Iterative depth-first search: a chain of thousands of modules must not exhaust Python's stack."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path: list[str] = [root]
        state[root] = 1
        pending: list[Iterator[str]] = [iter(graph.get(root, []))]
        while pending:
            nxt = next(pending[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                pending.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append(iter(graph.get(nxt, [])))
    return None


def check_course(
    course: Course,
    course_doc: YamlDocument,
    modules: list[tuple[Module, YamlDocument]],
    unreadable: set[str],
    docs_dir: Path | None = None,
) -> list[CourseError]:
    """All cross-file problems of a course whose files each validated on their own.

    ``unreadable`` holds the ids (file names) of module files that already have errors, so
    that references to them do not report a second, misleading problem. Links in lessons
    may lead to hand-written pages in ``docs_dir``.
    """
    errors: list[CourseError] = []
    audience_ids: set[str] = set()
    for i, audience in enumerate(course.audiences):
        if audience.id in audience_ids:
            errors.append(_at(course_doc, ("audiences", i, "id"), f"duplicate audience id '{audience.id}'"))
        audience_ids.add(audience.id)
    for i, line in enumerate(course.help):
        errors += _check_url(course_doc, ("help", i, "url"), line.url)
        errors += _check_url(course_doc, ("help", i, "source"), line.source)
    for i, term in enumerate(course.glossary):
        errors += _check_url(course_doc, ("glossary", i, "source"), term.source)

    by_id: dict[str, YamlDocument] = {}
    for module, doc in modules:
        if module.id in by_id:
            errors.append(
                _at(doc, ("id",), f"duplicate module id '{module.id}'", f"also used in {by_id[module.id].path}")
            )
            continue
        by_id[module.id] = doc
        errors += _check_module(module, doc, audience_ids)
    errors += check_links(course, [(m, doc) for m, doc in modules if by_id.get(m.id) is doc], unreadable, docs_dir)

    listed: set[str] = set()
    for i, module_id in enumerate(course.modules):
        if module_id in listed:
            errors.append(_at(course_doc, ("modules", i), f"module '{module_id}' is listed twice"))
        listed.add(module_id)
        if module_id not in by_id and module_id not in unreadable:
            errors.append(
                _at(
                    course_doc,
                    ("modules", i),
                    f"no module file for '{module_id}'",
                    f"create modules/{module_id}.yml with `coursegen new {module_id}`",
                )
            )
    if course.modules:
        for module_id, doc in by_id.items():
            if module_id not in listed:
                errors.append(
                    _at(
                        doc,
                        ("id",),
                        f"module '{module_id}' is not listed in course.yml",
                        "add it under 'modules:' in course.yml",
                    )
                )

    graph: dict[str, list[str]] = {}
    for module, doc in modules:
        graph[module.id] = [r for r in module.requires if r in by_id]
        for i, required in enumerate(module.requires):
            if required in unreadable:
                continue
            if required not in by_id:
                close = difflib.get_close_matches(required, list(by_id), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "requires lists other module ids"
                errors.append(_at(doc, ("requires", i), f"unknown module '{required}' in requires", hint))
            elif required == module.id:
                errors.append(_at(doc, ("requires", i), f"module '{module.id}' requires itself"))
    cycle = _find_cycle({k: [r for r in v if r != k] for k, v in graph.items()})
    if cycle:
        doc = by_id[cycle[0]]
        errors.append(
            _at(
                doc,
                ("requires",),
                "modules require each other in a cycle: " + " -> ".join(cycle),
                "remove one of these requires",
            )
        )
    return errors
