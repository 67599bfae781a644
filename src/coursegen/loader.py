"""Load a course folder (``modules/course.yml`` + ``modules/*.yml``) into a validated model.

Every problem of every file is collected and raised together as ``CourseInvalid``.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .checkcache import CheckCache, ModuleResult, entry_key
from .errors import CourseError, CourseInvalid, display_path
from .hints import value_hint
from .model import MAX_MODULES, PATTERN_PROBLEMS, Course, LoadedCourse, Module, Question
from .quizlint import lint_across, lint_module
from .validate import (
    check_across,
    check_course_settings,
    check_module_in_course,
    check_question,
    module_facts,
    true_false_choices_error,
)
from .workers import POOL_ERRORS, chunk_size, forked_pool, worker_count
from .yamlfile import MAX_FILE_BYTES, Loc, YamlDocument, read_yaml

COURSE_FILE = "course.yml"
MAX_ERRORS_PER_FILE = 50
"""More than this from one file is noise (and a mangled file can have thousands): the rest are counted."""
PARALLEL_FROM = 50
"""From this many module files to check, they are checked in worker processes, one per core (a
fork costs milliseconds; checking one file, about ten)."""


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """Field names allowed at ``loc`` inside ``model`` (for 'did you mean' hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _describe(loc: Loc) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc]
    return "".join(parts).lstrip(".") or "the file"


def _translate(error: ErrorDetails, doc: YamlDocument, model: type[BaseModel]) -> CourseError:
    """One pydantic error as a located, friendly CourseError."""
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    hint = ""
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        line, col = doc.positions.of(loc, key=True)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "allowed keys: " + ", ".join(allowed)
        return CourseError(doc.path, line, col, f"unknown key '{key}' in {_describe(loc[:-1])}", hint)
    line, col = doc.positions.of(loc)
    if kind == "missing":
        return CourseError(doc.path, line, col, f"missing required key '{loc[-1]}' in {_describe(loc[:-1])}")
    value = error.get("input")
    if kind == "string_pattern_mismatch" and (error.get("ctx") or {}).get("pattern") in PATTERN_PROBLEMS:
        problem, hint = PATTERN_PROBLEMS[error["ctx"]["pattern"]]
        shown = value if isinstance(value, str) and len(value) <= 60 else "this value"
        return CourseError(doc.path, line, col, f"{_describe(loc)}: '{shown}' {problem}", hint)
    hint = value_hint(loc, kind, value)
    if hint:
        pass  # a hint about this value says more than one about its kind of error
    elif kind == "literal_error":
        hint = "choose one of the listed values"
    elif kind in ("list_type", "model_type", "dict_type"):
        hint = "check the indentation and the '-' list markers"
    where = _describe(loc)
    return CourseError(doc.path, line, col, f"{where}: {error['msg']}", hint)


def _question_locs(data: Any) -> list[Loc]:
    """Where the questions of a module's raw data are: knowledge checks, then the quiz."""
    locs: list[Loc] = []
    lessons = data.get("lessons") if isinstance(data, dict) else None
    for li, lesson in enumerate(lessons if isinstance(lessons, list) else []):
        checks = lesson.get("checks") if isinstance(lesson, dict) else None
        locs += [("lessons", li, "checks", qi) for qi in range(len(checks if isinstance(checks, list) else []))]
    quiz = data.get("quiz") if isinstance(data, dict) else None
    questions = quiz.get("questions") if isinstance(quiz, dict) else None
    locs += [("quiz", "questions", qi) for qi in range(len(questions if isinstance(questions, list) else []))]
    return locs


def _at_loc(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


def _true_false_hint(choices: Any) -> str:
    """How to rewrite a true_false question's choices as answer/true_feedback/false_feedback."""
    feedback: dict[bool, Any] = {}
    answer = None
    for choice in choices if isinstance(choices, list) else []:
        if isinstance(choice, dict) and str(choice.get("text")).strip().lower() in ("true", "false"):
            value = str(choice.get("text")).strip().lower() == "true"
            feedback[value] = choice.get("feedback")
            if choice.get("correct") is True:
                answer = value
    if answer is None or len(feedback) != 2:
        return ""
    return (
        f"replace 'choices:' with 'answer: {str(answer).lower()}', 'true_feedback:' (the feedback of the True "
        "choice) and 'false_feedback:' (that of the False one)"
    )


def _split_true_false_choices(doc: YamlDocument) -> tuple[Any, list[CourseError]]:
    """The module's data without the ``choices`` of true_false questions, and an error for each.

    Those choices are wrong as a whole, so the problems inside them (such as an unquoted True)
    would only send the author round again: they are left out and the question is checked
    without them, so that every other problem shows in the same run."""
    data = doc.data
    errors: list[CourseError] = []
    for loc in _question_locs(doc.data):
        question = _at_loc(doc.data, loc)
        if isinstance(question, dict) and question.get("type") == "true_false" and "choices" in question:
            if data is doc.data:
                data = copy.deepcopy(doc.data)
            del _at_loc(data, loc)["choices"]
            errors.append(true_false_choices_error(doc, loc, _true_false_hint(question["choices"])))
    return data, errors


def _validate(doc: YamlDocument, model: type[BaseModel]) -> tuple[Any, list[CourseError]]:
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else "plain text"
        return None, [
            CourseError(doc.path, 1, 1, f"the file holds {kind}; expected a mapping of keys such as 'id:' and 'title:'")
        ]
    data, errors = _split_true_false_choices(doc) if model is Module else (doc.data, [])
    try:
        return model.model_validate(data), errors
    except ValidationError as exc:
        details = exc.errors(include_url=False)
        errors += [_translate(e, doc, model) for e in details[:MAX_ERRORS_PER_FILE]]
        if model is Module:
            errors += _question_problems(doc, data)
        return None, _capped(errors, doc.path, len(details))


def _question_problems(doc: YamlDocument, data: Any) -> list[CourseError]:
    """The rules of every question that is valid on its own, in a module that is not: so that
    they show in this run, not in the next one."""
    errors: list[CourseError] = []
    for loc in _question_locs(data):
        try:
            question = Question.model_validate(_at_loc(data, loc))
        except ValidationError:
            continue  # its field problems are among the module's
        errors += check_question(doc, loc, question)
    return errors


def _capped(errors: list[CourseError], path: str, total: int | None = None) -> list[CourseError]:
    """The first MAX_ERRORS_PER_FILE errors of a file and, if there were more, a count of the rest."""
    total = len(errors) if total is None else total
    if total <= MAX_ERRORS_PER_FILE:
        return errors
    more = total - MAX_ERRORS_PER_FILE
    return errors[:MAX_ERRORS_PER_FILE] + [
        CourseError(path, 1, 1, f"and {more} more problems in this file", "fix the ones listed first")
    ]


def _is_module_file(path: Path) -> bool:
    """A module file by its name. Hidden files are skipped: editors' lock files (Emacs' ``.#x.yml``
    links) and macOS' ``._x.yml`` copies are not modules. ``.YML`` counts, so it cannot go unseen."""
    return path.suffix.lower() in (".yml", ".yaml") and path.name != COURSE_FILE and not path.name.startswith(".")


@dataclass(frozen=True)
class CheckedCourse:
    """A valid course: its settings, its module files' results in course order, and its
    quiz-quality warnings. Modules are read from the check cache only when asked for."""

    course: Course
    results: list[ModuleResult]
    warnings: list[CourseError] = field(default_factory=list)

    @property
    def loaded(self) -> LoadedCourse:
        """The validated course."""
        return LoadedCourse(course=self.course, modules=[r.module() for r in self.results])

    @property
    def question_count(self) -> int:
        """How many questions the course has, knowledge checks included."""
        return sum(r.questions for r in self.results)


def load_course(
    modules_dir: Path,
    root: Path | None = None,
    docs_dir: Path | None = None,
    cache: CheckCache | None = None,
    language: str | None = None,
) -> LoadedCourse:
    """Load and validate a course folder; raise ``CourseInvalid`` listing every problem.

    Lessons may link to hand-written pages in ``docs_dir`` (default: ``docs/`` beside the course folder).
    ``language``: files in ``modules/<language>/`` (same names) take the place of the originals.
    """
    return check_course_folder(modules_dir, root, docs_dir, cache, language).loaded


def translated_files(modules_dir: Path, language: str | None) -> dict[str, Path]:
    """The translations in ``modules/<language>/``, by file name (``welcome.yml`` → its translation)."""
    folder = modules_dir / language if language else None
    if folder is None or not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if _is_module_file(p) or p.name == COURSE_FILE}


def translation_languages(modules_dir: Path) -> list[str]:
    """The languages the course has translations for (``modules/es/`` → ``es``)."""
    from .i18n import available_languages  # the catalogs name the languages a build can be in

    if not modules_dir.is_dir():
        return []
    return sorted(p.name for p in modules_dir.iterdir() if p.is_dir() and p.name in available_languages())


def _check_module_file(file: Path, shown: str, course: Course | None) -> ModuleResult:
    """Everything one module file shows on its own (and with course.yml's settings, when valid)."""
    doc, problems = read_yaml(file, shown)
    errors = _capped(problems, shown)
    if doc is None:
        return ModuleResult(errors, [])
    module, problems = _validate(doc, Module)
    errors += problems
    if module is None:
        return ModuleResult(errors, [])
    if course is not None:
        errors += check_module_in_course(module, doc, course)
    return ModuleResult.of(errors, lint_module(module, doc), module, module_facts(module, doc))


Job = tuple[Path, str, str]
"""A module file to check: the file, its path as shown, and its check cache key ("": not cached)."""

_worker_course: Course | None = None
"""course.yml's settings in a worker process (set once as it starts, not sent with every file)."""
_worker_cache: CheckCache | None = None


def _start_worker(course: Course | None, cache: CheckCache | None) -> None:
    global _worker_course, _worker_cache
    _worker_course, _worker_cache = course, cache


def _check_in_worker(job: Job) -> ModuleResult:
    """A file's result, stored in the check cache by the worker (side by side, not one after the
    other in the parent)."""
    file, shown, key = job
    # The module goes back as JSON: a third of the cost of pickling the model, and made a model
    # again only if something asks for it (a check seldom does). Once stored, not even that: it
    # is read from its entry when needed.
    result = _check_module_file(file, shown, _worker_course).with_module_as_json()
    return _worker_cache.put(key, result) if _worker_cache is not None and key else result


def _check_module_files(jobs: list[Job], course: Course | None, cache: CheckCache | None) -> list[ModuleResult]:
    """``_check_module_file`` of each job, in order, each result kept in ``cache`` under the job's key.

    Many files are checked in worker processes, one per core (``coursegen.workers``): two cores
    halve the time of checking a large course afresh. Anything in the way of processes checks the
    files here, as does a small course, which the start of the processes would only slow down."""
    workers = worker_count(len(jobs), PARALLEL_FROM // 2)  # at least half PARALLEL_FROM files each
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        stored_by_workers = cache if cache is not None and cache.in_files else None
        try:
            checked = _check_in_processes(jobs, course, stored_by_workers, workers)
        except POOL_ERRORS:
            pass  # the serial path gives the same
        else:
            if stored_by_workers is None:
                return _kept(jobs, checked, cache)
            stored_by_workers.used.update(key for _, _, key in jobs if key)  # this run's entries: pruning keeps them
            return checked
    return _kept(jobs, [_check_module_file(file, shown, course) for file, shown, _ in jobs], cache)


def _kept(jobs: list[Job], results: list[ModuleResult], cache: CheckCache | None) -> list[ModuleResult]:
    """The ``results`` of ``jobs``, each kept in ``cache`` under its job's key."""
    if cache is None:
        return results
    return [cache.put(key, result) if key else result for (_, _, key), result in zip(jobs, results, strict=True)]


def _check_in_processes(
    jobs: list[Job], course: Course | None, cache: CheckCache | None, workers: int
) -> list[ModuleResult]:
    with forked_pool(workers, _start_worker, (course, cache)) as pool:
        # Results come back in the jobs' order.
        return list(pool.map(_check_in_worker, jobs, chunksize=chunk_size(len(jobs), workers)))


def _plain_file(file: Path) -> bool:
    """A regular file (not a link, folder or FIFO) within the size limit."""
    return not file.is_symlink() and file.is_file() and file.stat().st_size <= MAX_FILE_BYTES


def _module_context(course: Course | None) -> object:
    """What of course.yml a module's own checks read: part of its cache key."""
    if course is None:
        return None
    return [sorted(a.id for a in course.audiences), sorted(course.remote_hosts)]


def check_course_folder(
    modules_dir: Path,
    root: Path | None = None,
    docs_dir: Path | None = None,
    cache: CheckCache | None = None,
    language: str | None = None,
) -> CheckedCourse:
    """Like ``load_course``, also returning the quiz-quality warnings; with a ``cache``, module
    files unchanged since an earlier check are not read again. ``language``: files in
    ``modules/<language>/`` (same names) take the place of the originals."""
    shown = lambda p: display_path(p, root)  # noqa: E731 - a short local formatter
    errors: list[CourseError] = []
    if not modules_dir.is_dir():
        raise CourseInvalid(
            [CourseError(shown(modules_dir), 1, 1, "the course folder does not exist", "run `coursegen init`")]
        )
    translated = translated_files(modules_dir, language)
    course_path = translated.get(COURSE_FILE, modules_dir / COURSE_FILE)
    course: Course | None = None
    course_doc: YamlDocument | None = None
    if not course_path.exists():
        errors.append(
            CourseError(shown(course_path), 1, 1, "course.yml is missing", "run `coursegen init` to create one")
        )
    else:
        course_doc, problems = read_yaml(course_path, shown(course_path))
        errors += _capped(problems, shown(course_path))
        if course_doc:
            course, problems = _validate(course_doc, Course)
            errors += problems
            if course is not None:
                errors += check_course_settings(course, course_doc)

    module_files = sorted(p for p in modules_dir.iterdir() if _is_module_file(p))
    originals = {p.name for p in module_files}
    for name, path in translated.items():
        if name != COURSE_FILE and name not in originals:
            hint = f"name it like the module it translates (modules/{name} does not exist)"
            errors.append(CourseError(shown(path), 1, 1, "this translation has no original module", hint))
    module_files = [translated.get(p.name, p) for p in module_files]
    if len(module_files) > MAX_MODULES:
        raise CourseInvalid([CourseError(shown(modules_dir), 1, 1, f"more than {MAX_MODULES} module files")])
    context = _module_context(course)
    found: list[ModuleResult | None] = []
    keys: list[str] = []
    for file in module_files:
        # Only plain files of a sane size are cached; read_yaml explains what is wrong with the rest
        # (and a FIFO must not be read at all).
        cacheable = cache is not None and _plain_file(file)
        key = entry_key(file.read_bytes(), shown(file), context) if cacheable else ""
        found.append(cache.get(key) if cache is not None and cacheable else None)
        keys.append(key)
    missed = [i for i, result in enumerate(found) if result is None]
    checked = _check_module_files([(module_files[i], shown(module_files[i]), keys[i]) for i in missed], course, cache)
    for i, result in zip(missed, checked, strict=True):
        found[i] = result
    results = cast("list[ModuleResult]", found)
    for result in results:
        errors += result.errors
    if cache is not None:
        cache.prune()

    valid = [r for r in results if r.facts is not None]
    if course is not None and course_doc is not None:
        ids = {r.facts.id for r in valid if r.facts is not None}
        unreadable = {file.stem for file in module_files} - ids
        docs = docs_dir if docs_dir is not None else modules_dir.parent / "docs"
        facts = [r.facts for r in valid if r.facts is not None]
        lazy = cast("list[Module]", [LazyModule(r) for r in valid])
        errors += check_across(course, course_doc, facts, lazy, unreadable, docs)
    if errors:
        raise CourseInvalid(errors)
    assert course is not None and course_doc is not None
    order = {module_id: i for i, module_id in enumerate(course.module_order())}
    ordered = sorted(valid, key=lambda r: (order.get(_id(r), len(order)), _id(r)))
    rates = [(_id(r), *r.longest_answers) for r in ordered]
    warnings = [w for r in ordered for w in r.warnings] + lint_across(course_doc, rates)
    return CheckedCourse(course, ordered, sorted(set(warnings)))


def _id(result: ModuleResult) -> str:
    assert result.facts is not None
    return result.facts.id


class LazyModule:
    """Stands for a valid module in the checks across files: its id is known at once, the rest
    is read from the check cache only if a check looks at it (a link to one of its headings)."""

    def __init__(self, result: ModuleResult) -> None:
        self.id = _id(result)
        self._result = result

    def __getattr__(self, name: str) -> Any:
        return getattr(self._result.module(), name)
