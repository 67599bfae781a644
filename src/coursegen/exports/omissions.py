"""Which question types each export format can carry, and the warnings for the questions a format
leaves out.

A format without a type (GIFT has no ordering question, no format has a branching scenario) does
not fail the export: the rest of the bank is still worth importing. The command names each
question it left out at its place in the module file, and the format's page in the authors' guide
says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..model import LoadedCourse, Module, Question
from ..yamlfile import YamlDocument

CHOICE_TYPES = frozenset({"single", "multiple", "true_false"})

SUPPORTED: dict[str, frozenset[str]] = {
    "GIFT": CHOICE_TYPES | {"matching", "short_answer"},
    "Moodle XML": CHOICE_TYPES | {"matching", "short_answer", "ordering"},
    "QTI 1.2": CHOICE_TYPES | {"matching", "short_answer"},
    "QTI 2.1": CHOICE_TYPES | {"matching", "short_answer", "ordering"},
}
"""Question types per format; the rest are left out with a warning."""

DOCS = {
    "GIFT": "docs/for-authors/export-gift.md",
    "Moodle XML": "docs/for-authors/export-moodle-xml.md",
    "QTI 1.2": "docs/for-authors/export-qti.md",
    "QTI 2.1": "docs/for-authors/export-qti.md",
}

WHO = {"GIFT": "GIFT", "Moodle XML": "Moodle", "QTI 1.2": "Canvas (QTI 1.2)", "QTI 2.1": "QTI 2.1"}
NOT_YET: dict[str, frozenset[str]] = {}
"""Types a format has but coursegen does not write in it yet."""

NAMES = {"ordering": "ordering", "matching": "matching", "short_answer": "short answer", "scenario": "scenario"}


def reason(fmt: str, question: Question) -> str | None:
    """Why the format leaves this question out, or None when it carries it."""
    kind = NAMES.get(question.type, question.type)
    if question.type in NOT_YET.get(fmt, ()):
        return f"coursegen does not write {kind} questions as {fmt} yet"
    if question.type not in SUPPORTED[fmt]:
        return f"{WHO[fmt]} has no {kind} question"
    if fmt == "QTI 1.2" and question.type == "short_answer" and all("*" in a for a in question.accepted or []):
        return "Canvas compares short answers exactly (no '*'), and every accepted answer here has a '*'"
    return None


def exported(module: Module, fmt: str) -> list[Question]:
    """The module's questions the format carries, knowledge checks first, in course order."""
    return [q for q in module.questions() if reason(fmt, q) is None]


def _question_locs(module: Module) -> Iterator[tuple[tuple[int | str, ...], Question]]:
    for lesson_index, lesson in enumerate(module.lessons):
        for check_index, question in enumerate(lesson.checks):
            yield ("lessons", lesson_index, "checks", check_index), question
    if module.quiz:
        for index, question in enumerate(module.quiz.questions):
            yield ("quiz", "questions", index), question


@dataclass(frozen=True)
class Omission:
    """A question a format leaves out, and where it is written."""

    module: Module
    question: Question
    where: str
    """``file:line:col`` of the question's ``type``, or the module file alone."""
    why: str

    def message(self, fmt: str) -> str:
        """The warning line for this question."""
        return f"{self.where}: warning: {self.why}, so question '{self.question.id}' is left out (see {DOCS[fmt]})"


def omissions(
    loaded: LoadedCourse, fmt: str, document_of: Callable[[str], YamlDocument | None] | None = None
) -> list[Omission]:
    """Every question of the course the format leaves out, in course order. ``document_of`` gives
    a module's parsed file (by id) for the positions; it is asked only for modules with omissions."""
    found = []
    for module in loaded.modules:
        document = None
        for loc, question in _question_locs(module):
            why = reason(fmt, question)
            if why is None:
                continue
            if document is None and document_of is not None:
                document = document_of(module.id)
            if document is not None:
                line, column = document.positions.of((*loc, "type"))
                where = f"{document.path}:{line}:{column}"
            else:
                where = f"modules/{module.id}.yml"
            found.append(Omission(module, question, where, why))
    return found
