"""Rules that span fields or files: ids, references, answers, links and safe Markdown."""

from __future__ import annotations

import difflib
import itertools
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import markdown

from .errors import CourseError
from .htmlsafety import SAFE_SCHEMES, URL_ATTRS, link_problem, remote_host
from .htmltokens import line_and_column, line_offsets, normalise, tokens
from .links import SiteMap, broken_links, converted, makes_only_web_links, module_links
from .model import Course, Module, Question, Quiz
from .questiontypes import TYPE_RULES, foreign_fields
from .scenario import check_scenario
from .yamlfile import Loc, YamlDocument

MAX_ERRORS_PER_BODY = 20
# Python-Markdown slows down with the square of the '[' it cannot pair up, and raw HTML nested a few
# hundred deep exhausts its recursion: far beyond any lesson, these limits keep a build quick.
MAX_BRACKETS = 1000
MAX_HTML_DEPTH = 50
# Each backtick run that no run of the same length closes makes Python-Markdown scan the rest of the
# paragraph (436 of them took it two seconds); a lesson has a handful of code spans, all closed.
MAX_UNPAIRED_BACKTICKS = 50
# Elements that run script, embed other pages, restyle the site, or (raw-text elements) swallow
# the rest of the page when left open.
_BLOCKED_TAGS = frozenset(
    "script iframe frame frameset object embed applet style link meta base form svg math template portal"  # noqa: SIM905
    " textarea title xmp plaintext listing noscript noembed noframes".split()
)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta source track wbr".split())  # noqa: SIM905
_TAG_NAME = re.compile(r"[a-z][a-z0-9]*")
_DIGITS = frozenset("0123456789")
_HEX_DIGITS = frozenset("0123456789abcdefABCDEF")
_SPLIT_HINT = "split the lesson into several lessons"
_LINK_HINT = "write the whole web address, e.g. https://example.org/page; script, data and file links are refused"
_NOT_IN_ATTR_LIST = "; an attribute list may not set a link"
_HTML_HINT = (
    "use Markdown and Material admonitions; script, embeds and event handlers are refused"
    " (to show a tag as text, write &lt;script&gt;)"
)
_REMOTE_HINT = (
    "save the file in docs/ and link it from there; the site loads nothing from other hosts"
    " unless course.yml names the host under remote_hosts"
)
# The Markdown extensions a body is rendered with to find the links and images Markdown makes
# (reference definitions in quotes, lists and admonitions, attribute lists, footnotes …).
_MARKDOWN_EXTENSIONS = (
    "toc admonition pymdownx.details pymdownx.superfences pymdownx.tabbed attr_list md_in_html def_list"  # noqa: SIM905
    " tables footnotes abbr".split()
)


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
    indent = doc.positions.block_indent(loc)
    if indent is not None:  # `|` or `>`: the content starts on the next line
        return line + 1 + line_in_body, indent + column_in_line + 1
    return line + line_in_body, col


def _fences(body: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks: a line of 3+ backticks or tildes opens one, a
    line of at least as many of the same character closes it (or the end of the body)."""
    spans: list[tuple[int, int]] = []
    offset = 0
    opened: tuple[str, int, int] | None = None  # fence character, length, start offset
    for line in body.split("\n"):
        stripped = line.lstrip(" \t")
        run = len(stripped) - len(stripped.lstrip(stripped[:1])) if stripped[:1] in ("`", "~") else 0
        if opened is None and run >= 3:
            opened = (stripped[0], run, offset)
        elif opened is not None and run >= opened[1] and stripped[0] == opened[0] and not stripped[run:].strip():
            spans.append((opened[2], offset + len(line)))
            opened = None
        offset += len(line) + 1
    if opened is not None:
        spans.append((opened[2], len(body)))
    return spans


def _backtick_runs(text: str) -> list[tuple[int, int]]:
    """(offset, length) of every run of backticks, in one pass."""
    runs: list[tuple[int, int]] = []
    i = text.find("`")
    while i != -1:
        j = i
        while j < len(text) and text[j] == "`":
            j += 1
        runs.append((i, j - i))
        i = text.find("`", j)
    return runs


def _code_spans(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Code spans as CommonMark pairs them (a run of n backticks closes at the next run of exactly
    n), and the offsets of runs that nothing closes. Linear in the number of runs."""
    runs = _backtick_runs(text)
    later: dict[int, list[int]] = {}  # run length -> indexes of runs of that length, last first
    for index in range(len(runs) - 1, -1, -1):
        later.setdefault(runs[index][1], []).append(index)
    spans: list[tuple[int, int]] = []
    unpaired: list[int] = []
    index = 0
    while index < len(runs):
        start, length = runs[index]
        candidates = later[length]
        while candidates and candidates[-1] <= index:
            candidates.pop()
        if candidates:
            close = candidates.pop()
            spans.append((start, runs[close][0] + length))
            index = close + 1
        else:
            unpaired.append(start)
            index += 1
    return spans, unpaired


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span's characters (not its newlines) replaced by spaces."""
    parts: list[str] = []
    previous = 0
    for start, end in spans:
        if start < previous:
            continue
        parts.append(text[previous:start])
        parts.append("".join("\n" if c == "\n" else " " for c in text[start:end]))
        previous = end
    parts.append(text[previous:])
    return "".join(parts)


def _mask_code(body: str) -> str:
    """The body with fenced code and code spans blanked out (same length and lines)."""
    fenced = _blank(body, _fences(body))
    return _blank(fenced, _code_spans(fenced)[0])


def _srcset_urls(value: str) -> list[str]:
    """The URLs of a ``srcset`` (candidates are separated by commas; each URL ends at a space)."""
    return [part.split()[0] for part in value.split(",") if part.split()]


def _style_urls(value: str) -> list[str]:
    """What a style attribute loads: the argument of every ``url(`` (an unreadable one counts)."""
    found: list[str] = []
    lowered = value.lower()
    start = lowered.find("url(")
    while start != -1:
        end = lowered.find(")", start)
        inner = value[start + 4 : end if end != -1 else len(value)].strip().strip("\"'").strip()
        found.append(inner or "//")
        start = lowered.find("url(", start + 4)
    if "@import" in lowered or "image-set(" in lowered:
        found.append("//")
    return found


def _attribute_problems(
    tag: str, attrs: Iterable[tuple[str, str]], hosts: frozenset[str]
) -> Iterator[tuple[str, str, str]]:
    """(what is at fault, message, hint) for every attribute that could run script, link unsafely
    or load something from another host."""
    loads = tag not in ("a", "area")  # links open on a click; everything else loads with the page
    for name, value in attrs:
        name = name.lower()
        if name.startswith("on") or name == "srcdoc":
            yield name, f"raw HTML attribute '{name}' on <{tag}>", _HTML_HINT
            continue
        urls: list[str] = []
        if name in ("srcset", "imagesrcset"):
            urls = _srcset_urls(value)
        elif name == "style":
            urls = _style_urls(value)
        elif name in URL_ATTRS:
            urls = [value]
        for url in urls:
            host = remote_host(url)
            if link_problem(url):
                yield url, f"raw HTML link '{name}=\"{url[:30]}\"' on <{tag}>", _LINK_HINT
            elif (loads or name != "href") and host is not None and host not in hosts:
                what = "an image" if tag == "img" else "a file"
                yield url, f"{what} from another site ('{url[:40]}') is not allowed in a lesson body", _REMOTE_HINT


def _raw_html_problems(body: str, hosts: frozenset[str]) -> Iterator[tuple[int, str, str]]:
    """(offset, message, hint) for raw HTML that could run script, load from elsewhere or break the
    page, read as a browser reads it (the raw text, code included: no tag gets through a difference
    between our idea of code and Markdown's)."""
    for token in tokens(body):
        if token.kind == "unfinished":
            if token.name == "&#":
                yield token.start, "a character reference that is far too long", "write &amp;# to show '&#' as text"
            else:
                yield (
                    token.start,
                    f"an unfinished HTML tag or comment ('{body[token.start : token.start + 40]}') is not allowed"
                    " in a lesson body",
                    "end it with '>' (a comment with '-->'), or write &lt; for a '<' that is just text",
                )
            return
        if token.kind != "start":
            continue
        if token.name in _BLOCKED_TAGS:
            yield token.start, f"raw HTML '<{token.name}>' is not allowed in a lesson body", _HTML_HINT
            continue
        for _what, message, hint in _attribute_problems(token.name, token.attrs, hosts):
            if hint is not _REMOTE_HINT:
                message += " is not allowed in a lesson body"
            yield token.start, message, hint


def _unbalanced_tags(masked: str) -> Iterator[tuple[int, str]]:
    """(offset, message) for raw HTML elements left open or closed without being opened."""
    stack: list[tuple[str, int]] = []
    for token in tokens(masked):
        if token.kind not in ("start", "end"):
            continue
        tag, kind, offset = token.name, token.kind, token.start
        if not _TAG_NAME.fullmatch(tag):
            if kind == "start" and ":" not in tag and "@" not in tag:  # <https://…> and <a@b> are autolinks
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


_RENDERERS = threading.local()


def _renderer() -> markdown.Markdown:
    """This thread's Markdown instance, reset for a new body (building one per body took a third
    of the time of checking a large course)."""
    md = getattr(_RENDERERS, "md", None)
    if md is None:
        md = _RENDERERS.md = markdown.Markdown(extensions=list(_MARKDOWN_EXTENSIONS))
    md.reset()
    return md


def _needs_own_rendering(body: str) -> bool:
    """Whether the extensions this check adds to the site's (footnotes, abbreviations, content
    tabs) could make other HTML of ``body`` than the site's extensions alone.

    Each of them acts only on its own syntax ('[^', '*[', '==='), or on an element whose class
    names it ('footnote', 'tabbed-set'), which an HTML block can spell with character references;
    and an HTML block read as Markdown ('markdown' attribute) is tried in another order relative
    to admonitions and details ('!!!', '???'). A body with none of these renders alike."""
    if any(mark in body for mark in ("[^", "*[", "===")):
        return True
    folded = body.casefold()
    if "footnote" in folded or "tabbed" in folded or ("&" in body and ("<" in body or "{" in body)):
        return True
    return "markdown" in folded and ("!!!" in body or "???" in body)


def _html_start_tags(html: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """The start tags of Markdown-made HTML with their attributes, read as a browser reads them."""
    for token in tokens(normalise(html)):
        if token.kind == "start":
            yield token.name, token.attrs


def _rendered_problems(body: str, hosts: frozenset[str]) -> Iterator[tuple[int, str, str]]:
    """Problems in the HTML that Markdown makes of the body: links and images written in Markdown,
    wherever they are (reference definitions in a quote or list, attribute lists …). Each is placed
    where its address (or attribute) first appears in the body, else at the body's start."""
    # The link check converts the same body with the site's extensions: share that conversion
    # when this check's wider set of extensions cannot make a difference, and its start tags when
    # its element tree can tell them (tokenizing every body's HTML again took a fifth of a check).
    try:
        if _needs_own_rendering(body):
            start_tags = _html_start_tags(_renderer().convert(body))
        else:
            conversion = converted(body)
            start_tags = conversion.tags if conversion.tags is not None else _html_start_tags(conversion.html)
    except Exception as exc:  # noqa: BLE001 - an extension's bug on odd input must not be a traceback
        # The build converts the same body with the same extensions: it would fail there too.
        message = f"Markdown could not convert this body ({type(exc).__name__}: {str(exc)[:80]})"
        yield 0, message, "simplify the HTML blocks and footnotes in this body, or write them as plain Markdown"
        return
    lowered = body.lower()
    for tag, attrs in start_tags:
        for what, message, hint in _attribute_problems(tag, attrs, hosts):
            scheme = what.split(":")[0].lower()
            needles = (what, scheme + ":", scheme, scheme[1:], scheme[-6:], what.lstrip("/\\").split("/")[0])
            offset = next((found for n in needles if n and (found := lowered.find(n.lower()[:40])) != -1), 0)
            if hint is _LINK_HINT:
                message, hint = f"{link_problem(what)} (on <{tag}>)", hint + _NOT_IN_ATTR_LIST
            elif hint is _HTML_HINT:
                message = f"Markdown (an attribute list?) sets '{what}' on <{tag}>"
                hint = "attribute lists may set classes, ids and plain attributes; never event handlers or links"
            yield offset, message, hint


def _limit_problems(body: str, masked: str) -> Iterator[tuple[int, str, str]]:
    """Constructs that make Python-Markdown slow or lose its place (found by fuzzing)."""
    for needle, what in (("<?", "a '<?' processing instruction (as in XML or PHP)"), ("<![", "a '<![' section")):
        found = body.find(needle)
        if found != -1:
            yield found, f"{what} is not allowed in a lesson body", f"write &lt;{needle[1:]} to show it as text"
    found = body.find("&#")
    while found != -1:
        after = body[found + 2 : found + 4]
        first, second = after[:1], after[1:2]
        if not (first and first in _DIGITS) and not (first and first in "xX" and second and second in _HEX_DIGITS):
            yield (
                found,
                f"'{body[found : found + 4].strip()}' is an unfinished character reference",
                "write &amp;# to show '&#' as text, or finish it, as in &#8212;",
            )
            break
        found = body.find("&#", found + 2)
    bracket = -1
    for _ in range(MAX_BRACKETS + 1):
        bracket = masked.find("[", bracket + 1)
        if bracket == -1:
            break
    if bracket != -1:
        yield bracket, f"this body has more than {MAX_BRACKETS} '[' (links and images)", _SPLIT_HINT
    unpaired = _code_spans(_blank(body, _fences(body)))[1]
    if len(unpaired) > MAX_UNPAIRED_BACKTICKS:
        yield (
            unpaired[MAX_UNPAIRED_BACKTICKS],
            f"this body has more than {MAX_UNPAIRED_BACKTICKS} runs of backticks that no code span closes",
            "close each code span with as many backticks as opened it, or write &#96; for a lone backtick",
        )


def check_markdown(
    doc: YamlDocument, loc: Loc, body: str, hosts: frozenset[str] = frozenset()
) -> Iterator[CourseError]:
    """Refuse raw HTML that could run script, load from other hosts (other than ``hosts``) or break
    the page, and links with unsafe schemes (the first MAX_ERRORS_PER_BODY problems: a body of
    10 000 stray tags needs one message)."""
    return itertools.islice(_markdown_problems(doc, loc, body, hosts), MAX_ERRORS_PER_BODY)


def _markdown_problems(doc: YamlDocument, loc: Loc, body: str, hosts: frozenset[str]) -> Iterator[CourseError]:
    body = normalise(body)
    line_starts = line_offsets(body)

    def error(offset: int, message: str, hint: str = "") -> CourseError:
        index, column = line_and_column(body, offset, line_starts)
        line, col = _body_position(doc, loc, index, column)
        return CourseError(doc.path, line, col, message, hint)

    masked = _mask_code(body)
    found = 0
    for offset, message, hint in itertools.chain(_limit_problems(body, masked), _raw_html_problems(body, hosts)):
        found += 1
        yield error(offset, message, hint)
    for offset, message in _unbalanced_tags(masked):
        found += 1
        hint = "close every HTML element you open, or write &lt; for a '<' that is just text"
        yield error(offset, f"raw HTML: {message}", hint)
    # Markdown is only asked once the body is known to be safe to render, and only if it could make a
    # link, image or attribute: each needs one of these ('[x][r]' needs its definition, '[r]: …'),
    # and one that the check could refuse (web links are never refused).
    could_refuse = not makes_only_web_links(body) or _needs_own_rendering(body)
    if not found and could_refuse and any(mark in body for mark in ("](", "]:", "{", "<")):
        for offset, message, hint in _rendered_problems(body, hosts):
            yield error(offset, message, hint)


def true_false_choices_error(doc: YamlDocument, loc: Loc, hint: str = "") -> CourseError:
    """A true_false question at ``loc`` written with ``choices:``."""
    hint = hint or "give 'answer: true' or 'answer: false' with true_feedback and false_feedback"
    return _at(doc, (*loc, "choices"), "a true_false question has no 'choices'", hint, key=True)


def check_question(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """Rules of one question that pydantic's field checks cannot express."""
    if question.type == "scenario":
        yield from check_scenario(doc, loc, question)  # other types' fields included
        return
    yield from foreign_fields(doc, loc, question)
    if question.type in TYPE_RULES:
        yield from TYPE_RULES[question.type](doc, loc, question)
        return
    if question.type == "true_false":
        if question.choices is not None:
            yield true_false_choices_error(doc, loc)
        for name in ("answer", "true_feedback", "false_feedback"):
            if getattr(question, name) is None:
                yield _at(doc, loc, f"true_false question '{question.id}' needs '{name}'")
        return
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


def _check_exam_settings(doc: YamlDocument, quiz: Quiz) -> Iterator[CourseError]:
    """Attempt limits and waits belong to exam mode; a setting that would do nothing is an error,
    so an author never believes a limit is in force when it is not."""
    if quiz.mode != "exam":
        for name in ("max_attempts", "wait_minutes"):
            if getattr(quiz, name) is not None:
                yield _at(
                    doc,
                    ("quiz", name),
                    f"'{name}' works only in exam mode",
                    f"add 'mode: exam' to the quiz, or remove '{name}'",
                    key=True,
                )
    elif quiz.max_attempts == 1 and quiz.wait_minutes is not None:
        yield _at(
            doc,
            ("quiz", "wait_minutes"),
            "'wait_minutes' has no effect with 'max_attempts: 1' (there is no next attempt to wait for)",
            "remove 'wait_minutes', or allow more than one attempt",
            key=True,
        )


def _check_module(
    module: Module, doc: YamlDocument, audiences: set[str], hosts: frozenset[str] = frozenset()
) -> Iterator[CourseError]:
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
        yield from check_markdown(doc, ("lessons", li, "body"), lesson.body, hosts)
        question_locs += [(("lessons", li, "checks", qi), q) for qi, q in enumerate(lesson.checks)]
    if module.quiz:
        question_locs += [(("quiz", "questions", qi), q) for qi, q in enumerate(module.quiz.questions)]
        yield from _check_exam_settings(doc, module.quiz)
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


def _listed_modules(course: Course) -> Iterator[tuple[Loc, str]]:
    """Every module id course.yml lists, with where: under 'modules:' or under a section."""
    for i, module_id in enumerate(course.modules):
        yield ("modules", i), module_id
    for si, section in enumerate(course.sections):
        for i, module_id in enumerate(section.modules):
            yield ("sections", si, "modules", i), module_id


def _check_listing(
    course: Course, course_doc: YamlDocument, by_id: dict[str, ModuleFacts], unreadable: set[str]
) -> Iterator[CourseError]:
    """course.yml's 'modules' or 'sections' name each module file once and only existing ones."""
    if course.modules and course.sections:
        yield _at(
            course_doc,
            ("modules",),
            "course.yml has both 'modules' and 'sections'",
            "list each module under its section and remove 'modules:'",
            key=True,
        )
    section_ids: set[str] = set()
    for si, section in enumerate(course.sections):
        if section.id in section_ids:
            yield _at(course_doc, ("sections", si, "id"), f"duplicate section id '{section.id}'")
        section_ids.add(section.id)
    listed: dict[str, Loc] = {}
    for loc, module_id in _listed_modules(course):
        if module_id in listed:
            where = "twice" if loc[0] == "modules" else "in two sections"
            yield _at(course_doc, loc, f"module '{module_id}' is listed {where}", "list each module once")
            continue
        listed[module_id] = loc
        if module_id not in by_id and module_id not in unreadable:
            close = difflib.get_close_matches(module_id, sorted(by_id), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            yield _at(
                course_doc,
                loc,
                f"no module file for '{module_id}'",
                hint + f"create modules/{module_id}.yml with `coursegen new {module_id}`",
            )
    if course.modules or course.sections:
        where = "under a section in course.yml ('sections:')" if course.sections else "under 'modules:' in course.yml"
        for module_id, facts in by_id.items():
            if module_id not in listed:
                yield facts.error(facts.id_at, f"module '{module_id}' is not listed in course.yml", f"add it {where}")


@dataclass(frozen=True)
class ModuleFacts:
    """What the checks across files need to know of one valid module file: its id, what it
    requires, its links, and where each of those stands (``coursegen check`` keeps these per file)."""

    path: str
    id: str
    requires: tuple[str, ...]
    id_at: tuple[int, int]
    requires_at: tuple[int, int]
    each_require_at: tuple[tuple[int, int], ...]
    links: tuple[tuple[str, int, int], ...]

    def error(self, at: tuple[int, int], message: str, hint: str = "") -> CourseError:
        """An error at a place in this module's file."""
        return CourseError(self.path, at[0], at[1], message, hint)


def module_facts(module: Module, doc: YamlDocument) -> ModuleFacts:
    """The facts of a module file that the checks across files use."""
    return ModuleFacts(
        path=doc.path,
        id=module.id,
        requires=tuple(module.requires),
        id_at=doc.positions.of(("id",)),
        requires_at=doc.positions.of(("requires",)),
        each_require_at=tuple(doc.positions.of(("requires", i)) for i in range(len(module.requires))),
        links=tuple(module_links(module, doc)),
    )


def check_course_settings(course: Course, course_doc: YamlDocument) -> list[CourseError]:
    """Problems of course.yml on its own that its model cannot express."""
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
    return errors


def check_module_in_course(module: Module, doc: YamlDocument, course: Course) -> list[CourseError]:
    """Problems of one module file that need course.yml (its audiences, remote hosts) but no other module."""
    audiences = {audience.id for audience in course.audiences}
    return list(_check_module(module, doc, audiences, frozenset(course.remote_hosts)))


def check_across(
    course: Course,
    course_doc: YamlDocument,
    facts: list[ModuleFacts],
    modules: list[Module],
    unreadable: set[str],
    docs_dir: Path | None = None,
) -> list[CourseError]:
    """Problems between files: duplicate ids, the module listing, requires, and links between pages.

    ``facts`` and ``modules`` describe the same valid module files, in the same order."""
    errors: list[CourseError] = []
    by_id: dict[str, ModuleFacts] = {}
    for item in facts:
        first = by_id.get(item.id)
        if first is not None:
            errors.append(item.error(item.id_at, f"duplicate module id '{item.id}'", f"also used in {first.path}"))
            continue
        by_id[item.id] = item
    site = SiteMap(course, [m for m, f in zip(modules, facts, strict=True) if by_id[m.id] is f], unreadable, docs_dir)
    for item in by_id.values():
        errors += broken_links(site, item.id, item.path, list(item.links))

    errors += _check_listing(course, course_doc, by_id, unreadable)

    graph: dict[str, list[str]] = {}
    for item in facts:
        graph[item.id] = [r for r in item.requires if r in by_id]
        for i, required in enumerate(item.requires):
            if required in unreadable:
                continue
            if required not in by_id:
                close = difflib.get_close_matches(required, list(by_id), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "requires lists other module ids"
                errors.append(item.error(item.each_require_at[i], f"unknown module '{required}' in requires", hint))
            elif required == item.id:
                errors.append(item.error(item.each_require_at[i], f"module '{item.id}' requires itself"))
    cycle = _find_cycle({k: [r for r in v if r != k] for k, v in graph.items()})
    if cycle:
        first = by_id[cycle[0]]
        errors.append(
            first.error(
                first.requires_at,
                "modules require each other in a cycle: " + " -> ".join(cycle),
                "remove one of these requires",
            )
        )
    return errors


def check_course(
    course: Course,
    course_doc: YamlDocument,
    modules: list[tuple[Module, YamlDocument]],
    unreadable: set[str],
    docs_dir: Path | None = None,
) -> list[CourseError]:
    """All problems of a course whose files each validated on their own that need course.yml
    or other files.

    ``unreadable`` holds the ids (file names) of module files that already have errors, so
    that references to them do not report a second, misleading problem. Links in lessons
    may lead to hand-written pages in ``docs_dir``.
    """
    errors = check_course_settings(course, course_doc)
    for module, doc in modules:
        errors += check_module_in_course(module, doc, course)
    facts = [module_facts(module, doc) for module, doc in modules]
    return errors + check_across(course, course_doc, facts, [m for m, _ in modules], unreadable, docs_dir)
