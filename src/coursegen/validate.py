"""Rules that span fields or files: ids, references, answers, links and safe Markdown."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from .errors import CourseError
from .model import Course, Module, Question
from .yamlfile import Loc, YamlDocument

SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")

# Raw HTML that could run script or pull in other pages; Markdown bodies may not carry it.
_UNSAFE_HTML = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|link|meta|base|form|svg|math|template)\b"
    r"|<[^>]*\son[a-z]+\s*="
    r"|<[^>]*\b(href|src|action|formaction)\s*=\s*[\"']?\s*(javascript|vbscript|data):",
    re.IGNORECASE,
)
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")


def _at(doc: YamlDocument, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> CourseError:
    line, col = doc.positions.of(loc, key=key)
    return CourseError(doc.path, line, col, message, hint)


def link_problem(url: str) -> str | None:
    """Why a link is refused, or None if it is a web, mail or phone link (or a relative page link)."""
    lowered = re.sub(r"[\s\x00-\x1f]", "", url).lower()
    if lowered.startswith(SAFE_SCHEMES):
        return None
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered):
        return f"links must be https://, http://, mailto: or tel:, not '{lowered.split(':')[0]}:'"
    return None


def _check_url(doc: YamlDocument, loc: Loc, url: str | None, *, relative_ok: bool = False) -> Iterator[CourseError]:
    if url is None:
        return
    problem = link_problem(url)
    if problem is None and not relative_ok and not url.strip().lower().startswith(SAFE_SCHEMES):
        problem = "a resource link must start with https://, http://, mailto: or tel:"
    if problem:
        yield _at(doc, loc, problem)


def _body_line(doc: YamlDocument, loc: Loc, offset: int, text: str) -> tuple[int, int]:
    line, col = doc.positions.of(loc)
    before = text[:offset]
    extra = before.count("\n")
    if loc in doc.positions.block_indent:
        extra += 1  # the content of `|` starts on the line after the indicator
        column = offset - (before.rfind("\n") + 1) + 1
        return line + extra, doc.positions.block_indent[loc] + column
    return line + extra, col


def check_markdown(doc: YamlDocument, loc: Loc, body: str) -> Iterator[CourseError]:
    """Refuse raw HTML that could run script and links with unsafe schemes."""
    for match in _UNSAFE_HTML.finditer(body):
        line, col = _body_line(doc, loc, match.start(), body)
        yield CourseError(
            doc.path,
            line,
            col,
            f"raw HTML '{match.group(0)[:30]}' is not allowed in a lesson body",
            "use Markdown and Material admonitions; script, embeds and event handlers are refused",
        )
    for pattern in (_MD_LINK, _AUTOLINK):
        for match in pattern.finditer(body):
            problem = link_problem(match.group(1))
            if problem:
                line, col = _body_line(doc, loc, match.start(1), body)
                yield CourseError(doc.path, line, col, problem)


def _check_question(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    if question.type == "true_false":
        if question.choices is not None:
            yield _at(
                doc,
                (*loc, "choices"),
                "a true_false question has no 'choices'",
                "give 'answer: true' or 'answer: false' with true_feedback and false_feedback",
                key=True,
            )
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
        yield from _check_question(doc, loc, question)
    for i, resource in enumerate(module.resources):
        yield from _check_url(doc, ("resources", i, "url"), resource.url)


def _find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def check_course(
    course: Course, course_doc: YamlDocument, modules: list[tuple[Module, YamlDocument]], unreadable: set[str]
) -> list[CourseError]:
    """All cross-file problems of a course whose files each validated on their own.

    ``unreadable`` holds the ids (file names) of module files that already have errors, so
    that references to them do not report a second, misleading problem.
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
