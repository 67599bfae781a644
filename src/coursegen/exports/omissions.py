"""Which question types each export format can carry, and the warnings for the questions a format
leaves out.

A format without a type (GIFT has no ordering question, no format has a branching scenario) does
not fail the export: the rest of the bank is still worth importing. The command names each
question it left out at its place in the module file, and the format's page in the authors' guide
says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..loader import CourseDocuments
from ..model import LoadedCourse, Module, Question

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

NAMES = {"ordering": "ordering", "matching": "matching", "short_answer": "short answer", "scenario": "scenario"}


def exported(module: Module, fmt: str) -> list[Question]:
    """The module's questions the format carries, knowledge checks first, in course order."""
    return [q for q in module.questions() if q.type in SUPPORTED[fmt]]


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

    def message(self, fmt: str) -> str:
        """The warning line for this question."""
        kind = NAMES.get(self.question.type, self.question.type)
        return (
            f"{self.where}: warning: {fmt} has no {kind} question, so '{self.question.id}' is left out "
            f"(see {DOCS[fmt]})"
        )


def omissions(loaded: LoadedCourse, fmt: str, documents: CourseDocuments | None = None) -> list[Omission]:
    """Every question of the course the format leaves out, in course order."""
    found = []
    for module in loaded.modules:
        document = documents.modules.get(module.id) if documents else None
        for loc, question in _question_locs(module):
            if question.type in SUPPORTED[fmt]:
                continue
            if document is not None:
                line, column = document.positions.of((*loc, "type"))
                where = f"{document.path}:{line}:{column}"
            else:
                where = f"modules/{module.id}.yml"
            found.append(Omission(module, question, where))
    return found
