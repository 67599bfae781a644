"""Quiz-quality lint: patterns that let a learner pass a quiz without having read the lessons.

The validated model and the positions of the parsed files in, located warnings out. Warnings
never stop a build; ``coursegen check --strict`` fails on them. Every rule applies to knowledge
checks and quiz questions alike, and each is explained for trainers, with a before and after
example, in docs/for-authors/quiz-quality.md.

Rules: (a) the right answer is the longest choice too often, or far longer than the wrong ones;
(b) a multiple-choice question with fewer than two wrong options; (c) absolute words mostly in
wrong answers; (d) "all/none of the above"; (e) true/false answers mostly one way; (f) fewer than
three choices; (g) an objective that no question assesses. Ordering, matching, short_answer and
scenario questions have no choices: only (g) applies to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from .errors import CourseError
from .model import Module, Question
from .yamlfile import Loc, YamlDocument

LONGEST_ANSWER_MAX_SHARE = Fraction(1, 3)  # exact, so 2 of 6 is not 'more than a third'
"""(a) The right answer may be the uniquely longest choice in at most this share of single-choice questions."""
LONGEST_ANSWER_MIN_QUESTIONS = 3
"""(a) Below this many single-choice questions a share means little (one question would be 100%)."""
LONG_ANSWER_RATIO = 1.5
"""(a) A right answer more than this many times as long as the longest wrong one stands out."""
MIN_WRONG_MULTIPLE = 2
"""(b) Wrong options a multiple-choice question needs, so 'tick all but the odd one out' fails."""
ABSOLUTE_WORDS = ("only", "always", "never", "every", "none", "all")
"""(c) Words that test-wise learners take as a sign of a wrong answer."""
ABSOLUTE_MIN_WRONG = 3
"""(c) Wrong answers with absolute words a module needs before they form a pattern."""
ABSOLUTE_RATE_RATIO = 2.0
"""(c) Warn when the share of wrong answers with absolute words is more than this many times the
share of right answers with them (right answers with none at all count as a share of 0)."""
ABOVE_PHRASES = (("all", "of", "the", "above"), ("none", "of", "the", "above"))
"""(d) Choices that point at the others (choices are shuffled, so 'above' points nowhere)."""
TRUE_FALSE_MIN_QUESTIONS = 4
"""(e) True/false questions a module needs before their balance is checked."""
TRUE_FALSE_MAX_SHARE = 0.75
"""(e) At most this share of a module's true/false questions may have the same answer."""
MIN_CHOICES = 3
"""(f) Choices a single- or multiple-choice question needs (with two, a guess is right half the time)."""
CHOICE_TYPES = ("single", "multiple")
"""The types whose choices rules (a), (b), (c), (d) and (f) look at; the others have no choices."""


@dataclass(frozen=True)
class Located:
    """A question with its place in the module file."""

    loc: Loc
    question: Question


@dataclass(frozen=True)
class Coverage:
    """One objective of a module and the ids of the questions that assess it."""

    number: int
    objective: str
    questions: tuple[str, ...]


_WORD = re.compile(r"(?:[^\W\d_]|['’])+")


@lru_cache(maxsize=4096)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


def words(text: str) -> list[str]:
    """The lower-case words of plain text: runs of letters and apostrophes (and the rare numeric
    signs such as ² that count as word characters); all else separates."""
    return list(_words(text))


def length(text: str) -> int:
    """Length of a choice as a learner sees it: characters, with runs of spaces counted once."""
    return len(" ".join(text.split()))


def located_questions(module: Module) -> list[Located]:
    """Every question of the module with its path in the file: knowledge checks first, then the quiz."""
    found = [
        Located(("lessons", li, "checks", qi), question)
        for li, lesson in enumerate(module.lessons)
        for qi, question in enumerate(lesson.checks)
    ]
    if module.quiz:
        found += [Located(("quiz", "questions", qi), q) for qi, q in enumerate(module.quiz.questions)]
    return found


def coverage(module: Module) -> list[Coverage]:
    """Each objective of the module, numbered from 1, with the ids of the questions that assess it."""
    return [
        Coverage(number, objective, tuple(q.id for q in module.questions() if number in q.assesses))
        for number, objective in enumerate(module.objectives, start=1)
    ]


def _warn(doc: YamlDocument, loc: Loc, message: str, hint: str, *, key: bool = False) -> CourseError:
    line, column = doc.positions.of(loc, key=key)
    return CourseError(doc.path, line, column, message, hint, "warning")


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _correct_is_longest(question: Question) -> bool:
    """A single-choice question whose right answer is longer than every wrong one."""
    choices = question.choices or []
    wrong = [length(c.text) for c in choices if not c.correct]
    right = [length(c.text) for c in choices if c.correct]
    return question.type == "single" and len(right) == 1 and bool(wrong) and right[0] > max(wrong)


LONGEST_ANSWER_HINT = (
    "a learner who always picks the longest answer gets these right without reading; make the wrong "
    "answers as long and specific as the right one, so that in at most a third of the questions "
    "the right answer is the longest"
)


def _longest_answer_share(doc: YamlDocument, singles: list[Located], where: str) -> Iterator[CourseError]:
    """(a) The right answer is the uniquely longest choice in too many single-choice questions of a
    module (``where`` names it). The warning points at the right answer of the first such
    question and lists them all; ``lint_across`` gives the course-wide one."""
    longest = [item for item in singles if _correct_is_longest(item.question)]
    if len(singles) < LONGEST_ANSWER_MIN_QUESTIONS or len(longest) <= LONGEST_ANSWER_MAX_SHARE * len(singles):
        return
    first = longest[0]
    index = next(i for i, c in enumerate(first.question.choices or []) if c.correct)
    yield _warn(
        doc,
        (*first.loc, "choices", index, "text"),
        f"the right answer is the longest choice in {len(longest)} of {len(singles)} single-choice questions "
        f"({_percent(len(longest), len(singles))}) {where}: " + ", ".join(item.question.id for item in longest),
        LONGEST_ANSWER_HINT,
    )


def _question_rules(doc: YamlDocument, item: Located) -> Iterator[CourseError]:
    """(a) per question, (b), (d) and (f)."""
    question, loc = item.question, item.loc
    if question.type not in CHOICE_TYPES:
        return
    choices = question.choices or []
    wrong = [c for c in choices if not c.correct]
    if len(choices) < MIN_CHOICES:
        yield _warn(
            doc,
            (*loc, "choices"),
            f"question '{question.id}' has {len(choices)} choices; a {question.type}-choice question "
            f"needs at least {MIN_CHOICES}",
            "with two choices a guess is right half the time; add a wrong answer a colleague might "
            "really choose, or ask it as a true_false question",
            key=True,
        )
    if question.type == "multiple" and len(wrong) < MIN_WRONG_MULTIPLE:
        yield _warn(
            doc,
            (*loc, "choices"),
            f"multiple-choice question '{question.id}' has {len(wrong)} wrong "
            f"{'option' if len(wrong) == 1 else 'options'}; it needs at least {MIN_WRONG_MULTIPLE}",
            "with one wrong option, ticking everything but the odd one out passes; add plausible wrong "
            "options, such as a common mistake on the job",
            key=True,
        )
    longest_wrong = max((length(c.text) for c in wrong), default=0)
    for index, choice in enumerate(choices):
        if choice.correct and longest_wrong and length(choice.text) > LONG_ANSWER_RATIO * longest_wrong:
            yield _warn(
                doc,
                (*loc, "choices", index, "text"),
                f"a right answer of question '{question.id}' has {length(choice.text)} characters, more than "
                f"{LONG_ANSWER_RATIO} times the longest wrong answer ({longest_wrong})",
                "learners spot the carefully worded answer; give the wrong answers the same detail, "
                "or shorten this one",
            )
        tokens = words(choice.text)
        for phrase in ABOVE_PHRASES:
            # The membership test (in C) spares almost every choice the scan of its word windows.
            windows = range(len(tokens) - len(phrase) + 1)
            if phrase[-1] in tokens and any(tuple(tokens[i : i + len(phrase)]) == phrase for i in windows):
                yield _warn(
                    doc,
                    (*loc, "choices", index, "text"),
                    f"'{' '.join(phrase)}' in question '{question.id}'",
                    "choices are shown mixed, so 'above' points nowhere, and spotting two right answers "
                    "gives this one away; ask a multiple-choice question ('select all that apply') instead",
                )


def _absolute_words(doc: YamlDocument, module: Module, items: list[Located]) -> Iterator[CourseError]:
    """(c) Absolute words sit mostly in wrong answers (a true/false statement counts as an answer)."""
    right_total = wrong_total = right_absolute = 0
    wrong_absolute: list[tuple[Located, Loc, set[str]]] = []
    for item in items:
        question = item.question
        if question.type == "true_false":
            answers = [(question.answer is True, (*item.loc, "prompt"), question.prompt)]
        elif question.type not in CHOICE_TYPES:
            continue  # ordering, matching, short_answer, scenario: no right and wrong answers to compare
        else:
            answers = [
                (c.correct, (*item.loc, "choices", i, "text"), c.text) for i, c in enumerate(question.choices or [])
            ]
        for correct, loc, text in answers:
            found = set(words(text)) & set(ABSOLUTE_WORDS)
            if correct:
                right_total += 1
                right_absolute += bool(found)
            else:
                wrong_total += 1
                if found:
                    wrong_absolute.append((item, loc, found))
    if len(wrong_absolute) < ABSOLUTE_MIN_WRONG or not wrong_total:
        return
    wrong_share = len(wrong_absolute) / wrong_total
    right_share = right_absolute / right_total if right_total else 0.0
    if wrong_share <= ABSOLUTE_RATE_RATIO * right_share:
        return
    used = sorted(set().union(*(found for _, _, found in wrong_absolute)))
    questions = list(dict.fromkeys(item.question.id for item, _, _ in wrong_absolute))
    yield _warn(
        doc,
        wrong_absolute[0][1],
        f"absolute words ({', '.join(used)}) are in {len(wrong_absolute)} of {wrong_total} wrong answers "
        f"({_percent(len(wrong_absolute), wrong_total)}) but in {right_absolute} of {right_total} right answers "
        f"of module '{module.id}': {', '.join(questions)}",
        "test-wise learners rule out answers that say 'always', 'never' or 'only'; drop the word where it "
        "is not needed, or use such words in right answers too",
    )


def _true_false_balance(doc: YamlDocument, module: Module, items: list[Located]) -> Iterator[CourseError]:
    """(e) Most true/false questions of the module have the same answer."""
    statements = [item for item in items if item.question.type == "true_false"]
    if len(statements) < TRUE_FALSE_MIN_QUESTIONS:
        return
    true = [item for item in statements if item.question.answer is True]
    false = [item for item in statements if item.question.answer is not True]
    majority, word = (true, "true") if len(true) >= len(false) else (false, "false")
    if len(majority) <= TRUE_FALSE_MAX_SHARE * len(statements):
        return
    yield _warn(
        doc,
        (*majority[0].loc, "answer"),
        f"{len(majority)} of {len(statements)} true/false questions of module '{module.id}' are {word} "
        f"({_percent(len(majority), len(statements))})",
        f"a learner who always answers '{word}' passes; turn some statements around so that at most "
        f"{round(100 * TRUE_FALSE_MAX_SHARE)}% have the same answer",
    )


def _unassessed(doc: YamlDocument, module: Module) -> Iterator[CourseError]:
    """(g) Objectives that no question names in its ``assesses``."""
    for entry in coverage(module):
        if not entry.questions:
            shown = entry.objective if len(entry.objective) <= 60 else entry.objective[:57] + "..."
            yield _warn(
                doc,
                ("objectives", entry.number - 1),
                f"objective {entry.number} of module '{module.id}' is assessed by no question: '{shown}'",
                f"add 'assesses: [{entry.number}]' to a question that tests it, or write one that does",
            )


def lint_module(module: Module, doc: YamlDocument) -> list[CourseError]:
    """Every quiz-quality warning of one module, located in its file."""
    items = located_questions(module)
    warnings: list[CourseError] = []
    for item in items:
        warnings += _question_rules(doc, item)
    singles = [item for item in items if item.question.type == "single"]
    warnings += _longest_answer_share(doc, singles, f"of module '{module.id}'")
    warnings += _absolute_words(doc, module, items)
    warnings += _true_false_balance(doc, module, items)
    warnings += _unassessed(doc, module)
    return warnings


def lint_across(course_doc: YamlDocument, rates: list[tuple[str, int, int]]) -> list[CourseError]:
    """Quiz-quality warnings of the whole course (each module's own come from ``lint_module``).

    ``rates``: for each module in course order, its id and its ``longest_answer_rate``."""
    longest = sum(rate[1] for rate in rates)
    singles = sum(rate[2] for rate in rates)
    if singles < LONGEST_ANSWER_MIN_QUESTIONS or longest <= LONGEST_ANSWER_MAX_SHARE * singles:
        return []
    listed = ", ".join(f"{module_id} {n}/{total}" for module_id, n, total in rates if n)
    return [
        _warn(
            course_doc,
            ("modules",),
            f"the right answer is the longest choice in {longest} of {singles} single-choice questions "
            f"({_percent(longest, singles)}) of the whole course ({listed})",
            LONGEST_ANSWER_HINT,
            key=True,
        )
    ]


def longest_answer_rate(module: Module) -> tuple[int, int]:
    """(single-choice questions whose right answer is the uniquely longest choice, all single-choice questions)."""
    singles = [q for q in module.questions() if q.type == "single"]
    return sum(_correct_is_longest(q) for q in singles), len(singles)
