"""Rules of each question type that pydantic's field checks cannot express: which fields belong
to which type, and what ordering, matching and short_answer questions need (scenario steps are
checked elsewhere). Called by validate.check_question; every error is located, with a hint."""

from __future__ import annotations

from collections.abc import Iterator

from .answers import MAX_ANSWER_LENGTH, WILDCARD, example_of, pattern_pieces, pieces_match
from .errors import CourseError
from .model import Question
from .yamlfile import Loc, YamlDocument

OWNERS: dict[str, tuple[str, ...]] = {
    "choices": ("single", "multiple"),
    "answer": ("true_false",),
    "true_feedback": ("true_false",),
    "false_feedback": ("true_false",),
    "items": ("ordering",),
    "pairs": ("matching",),
    "distractors": ("matching",),
    "accepted": ("short_answer",),
    "wrong_answers": ("short_answer",),
    "correct_feedback": ("ordering", "matching", "short_answer"),
    "incorrect_feedback": ("ordering", "matching", "short_answer"),
    "steps": ("scenario",),
}
"""The fields only some types have, and the types that have them."""

USES: dict[str, str] = {
    "single": "a single question lists 'choices', one of them 'correct: true'",
    "multiple": "a multiple question lists 'choices', at least one of them 'correct: true'",
    "true_false": "a true_false question gives 'answer', 'true_feedback' and 'false_feedback'",
    "ordering": "an ordering question lists its steps under 'items', in the right order",
    "matching": "a matching question lists 'pairs' (each an 'item' and its 'match') and may add 'distractors'",
    "short_answer": "a short_answer question lists 'accepted' answers and may add 'wrong_answers'",
}
"""What each type is written with: the hint when a question has another type's field."""

MIN_ITEMS = 2
MIN_PAIRS = 2


def _at(doc: YamlDocument, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> CourseError:
    line, col = doc.positions.of(loc, key=key)
    return CourseError(doc.path, line, col, message, hint)


def _names(types: tuple[str, ...]) -> str:
    return types[0] if len(types) == 1 else ", ".join(types[:-1]) + " and " + types[-1]


def _same(text: str) -> str:
    """Texts a learner could not tell apart: the same but for case and spacing."""
    return " ".join(text.split()).casefold()


def foreign_fields(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """A field of another type (``items`` on a matching question): an error naming the key."""
    for name, owners in OWNERS.items():
        if question.type in owners or getattr(question, name) is None:
            continue
        if name == "choices" and question.type == "true_false":
            continue  # its own message, with the answer it stands for (validate.true_false_choices_error)
        hint = "remove it; " + USES.get(question.type, "see docs/for-authors/question-types.md")
        yield _at(doc, (*loc, name), f"'{name}' is only for {_names(owners)} questions", hint, key=True)


def _needs(doc: YamlDocument, loc: Loc, question: Question, name: str) -> CourseError:
    return _at(doc, loc, f"{question.type} question '{question.id}' needs '{name}'", USES[question.type])


def _duplicates(texts: list[str]) -> Iterator[tuple[int, str]]:
    """(index, first spelling) of each text that repeats an earlier one."""
    seen: dict[str, str] = {}
    for index, text in enumerate(texts):
        if _same(text) in seen:
            yield index, seen[_same(text)]
        seen.setdefault(_same(text), text)


def check_ordering(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """2–12 distinct items (pydantic caps them at 12)."""
    if question.items is None:
        yield _needs(doc, loc, question, "items")
        return
    if len(question.items) < MIN_ITEMS:
        yield _at(
            doc,
            (*loc, "items"),
            f"ordering question '{question.id}' has {len(question.items)} "
            f"{'item' if len(question.items) == 1 else 'items'}; it needs at least {MIN_ITEMS}",
            "list the steps to put in order, in the right order",
            key=True,
        )
    for index, first in _duplicates(question.items):
        yield _at(
            doc,
            (*loc, "items", index),
            f"item '{first}' appears twice in ordering question '{question.id}'",
            "each step must read differently, or learners cannot tell which goes where",
        )


def check_matching(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """At least two pairs with distinct items, two distinct matches, distinct distractors that
    are no item's match."""
    if question.pairs is None:
        yield _needs(doc, loc, question, "pairs")
        return
    pairs = question.pairs
    if len(pairs) < MIN_PAIRS:
        yield _at(
            doc,
            (*loc, "pairs"),
            f"matching question '{question.id}' has {len(pairs)} {'pair' if len(pairs) == 1 else 'pairs'}; "
            f"it needs at least {MIN_PAIRS}",
            "add another item and its match",
            key=True,
        )
    for index, first in _duplicates([pair.item for pair in pairs]):
        yield _at(
            doc,
            (*loc, "pairs", index, "item"),
            f"item '{first}' appears twice in matching question '{question.id}'",
            "each item must read differently; to give two items the same match, write two different items",
        )
    spelling: dict[str, str] = {}
    for index, pair in enumerate(pairs):
        written = spelling.setdefault(_same(pair.match), pair.match)
        if written != pair.match:
            yield _at(
                doc,
                (*loc, "pairs", index, "match"),
                f"match '{pair.match}' is written differently from '{written}' in question '{question.id}'",
                "items that share a match must spell it the same way; learners would see both in the list",
            )
    if pairs and len(question.matches()) < 2:
        yield _at(
            doc,
            (*loc, "pairs"),
            f"matching question '{question.id}' has only one match to choose from ('{pairs[0].match}')",
            "give items different matches, or add 'distractors' (matches that fit no item)",
            key=True,
        )
    distractors = question.distractors or []
    for index, first in _duplicates(distractors):
        yield _at(
            doc,
            (*loc, "distractors", index),
            f"distractor '{first}' appears twice in question '{question.id}'",
            "each distractor must read differently",
        )
    for index, distractor in enumerate(distractors):
        if _same(distractor) in spelling:
            yield _at(
                doc,
                (*loc, "distractors", index),
                f"distractor '{distractor}' is also the match of an item in question '{question.id}'",
                "a distractor fits no item: remove it, or write a match that is wrong for every item",
            )


def _pattern_problem(pattern: str) -> tuple[str, str] | None:
    """(problem, hint) of an author's answer that cannot work, or None."""
    pieces = pattern_pieces(pattern)
    if not any(piece.strip() for piece in pieces):
        if WILDCARD in pattern:
            return "accepts any answer", f"write words around '{WILDCARD}', e.g. 'call 911{WILDCARD}'"
        return (
            "is empty once case, punctuation and spaces are ignored",
            "answers are compared without punctuation; write the letters or digits a learner types",
        )
    if sum(len(piece) for piece in pieces) > MAX_ANSWER_LENGTH:
        return f"is longer than a learner can type ({MAX_ANSWER_LENGTH} characters)", "shorten it"
    return None


def check_short_answer(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """At least one accepted answer, each meaningful once normalised; no wrong answer that an
    accepted one also matches (its feedback could never show)."""
    if question.accepted is None:
        yield _needs(doc, loc, question, "accepted")
        return
    if not question.accepted:
        yield _at(
            doc,
            (*loc, "accepted"),
            f"short_answer question '{question.id}' has no accepted answer",
            "list at least one right answer under 'accepted'",
            key=True,
        )
    usable: list[tuple[str, list[str]]] = []
    for index, pattern in enumerate(question.accepted):
        problem = _pattern_problem(pattern)
        if problem:
            yield _at(doc, (*loc, "accepted", index), f"accepted answer '{pattern}' {problem[0]}", problem[1])
        else:
            usable.append((pattern, pattern_pieces(pattern)))
    for index, wrong in enumerate(question.wrong_answers or []):
        problem = _pattern_problem(wrong.answer)
        if problem:
            hint = problem[1]
            if problem[0] == "accepts any answer":
                hint = "for every other answer write 'incorrect_feedback' instead"
            yield _at(
                doc, (*loc, "wrong_answers", index, "answer"), f"wrong answer '{wrong.answer}' {problem[0]}", hint
            )
            continue
        example = example_of(wrong.answer)
        accepting = next((pattern for pattern, pieces in usable if pieces_match(pieces, example)), None)
        if accepting is not None:
            yield _at(
                doc,
                (*loc, "wrong_answers", index, "answer"),
                f"wrong answer '{wrong.answer}' is also accepted (by '{accepting}')",
                "accepted answers are checked first, so this feedback would never show; "
                "remove one of the two or make the accepted answer narrower",
            )


TYPE_RULES = {"ordering": check_ordering, "matching": check_matching, "short_answer": check_short_answer}
"""The rules of the types this module checks, by type."""


def ordering_display(question: Question) -> list[tuple[int, str]]:
    """ordering: (right position, item) in the order learners see them without JavaScript: mixed
    the same way on every build, and never the right order (the browser mixes them anew for each
    attempt)."""
    numbered = sorted(enumerate(question.items or []), key=lambda item: question.mix_key(*item))
    if [index for index, _ in numbered] == sorted(index for index, _ in numbered):
        numbered = numbered[1:] + numbered[:1]
    return numbered


def matching_display(question: Question) -> list[tuple[int, str]]:
    """matching: (index in ``question.matches()``, match) in the order the lists show them without
    JavaScript: mixed the same way on every build, or as written with ``shuffle: false``."""
    numbered = list(enumerate(question.matches()))
    if not question.shuffle:
        return numbered
    return sorted(numbered, key=lambda item: question.mix_key(*item))
