"""QTI 2.1 items for ordering, matching and short-answer questions (qti.py writes the choice
questions): an ``orderInteraction``, a ``matchInteraction`` and a ``textEntryInteraction``.

Scores run from 0 to the question's points (``MAXSCORE``). Matching gives each item its share (the
site's partial credit); ordering is all or nothing (QTI 2.1's response processing has no "pairs in
the right relative order"); a short answer compares without case (``stringMatch``), and an
accepted answer with ``*`` becomes a ``patternMatch`` (an XML Schema regular expression built here
from escaped text, never from an author's pattern), still ignoring case. QTI does not ignore
punctuation or repeated spaces as the site does.
"""

from __future__ import annotations

from lxml import etree

from ..model import Question
from .gift import weight
from .qti import _html21 as html21
from .qti import _q21 as q21
from .qti import html
from .text import line

REGEX_SPECIALS = frozenset("\\|.-^?*+{}()[]$")


def ci_pattern(answer: str) -> str:
    """An accepted answer with ``*`` as an XML Schema regular expression (implicitly anchored):
    ``*`` any text, letters in either case, every other special character escaped."""
    out = []
    for char in line(answer):
        if char == "*":
            out.append(".*")
        elif char.lower() != char.upper():
            out.append(f"[{char.lower()}{char.upper()}]" if len(char.upper()) == 1 else char)
        elif char in REGEX_SPECIALS:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def declarations(root: etree._Element, points: int, feedback: bool) -> None:
    """SCORE, MAXSCORE (the points), FEEDBACK (when the item has feedback) and EXPLANATION."""
    outcomes = [("SCORE", "float"), ("MAXSCORE", "float")]
    if feedback:
        outcomes.append(("FEEDBACK", "identifier"))
    outcomes.append(("EXPLANATION", "identifier"))
    for identifier, base in outcomes:
        outcome = q21(root, "outcomeDeclaration", identifier=identifier, cardinality="single", baseType=base)
        if identifier in ("SCORE", "MAXSCORE"):
            q21(q21(outcome, "defaultValue"), "value").text = str(points) if identifier == "MAXSCORE" else "0"


def _set(parent: etree._Element, identifier: str, base: str, value: str) -> None:
    q21(q21(parent, "setOutcomeValue", identifier=identifier), "baseValue", baseType=base).text = value


def _full_marks(parent: etree._Element) -> None:
    q21(q21(parent, "setOutcomeValue", identifier="SCORE"), "variable", identifier="MAXSCORE")


def ordering(root: etree._Element, question: Question) -> list[tuple[str, str]]:
    """The ordering item's declaration, body and processing; returns its feedback (id, HTML)."""
    items = list(question.items or [])
    ids = [f"item_{index}" for index in range(len(items))]
    declaration = q21(root, "responseDeclaration", identifier="RESPONSE", cardinality="ordered", baseType="identifier")
    correct = q21(declaration, "correctResponse")
    for item_id in ids:
        q21(correct, "value").text = item_id
    feedback = _feedback(question)
    declarations(root, question.points, bool(feedback))
    interaction = q21(q21(root, "itemBody"), "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    html21(interaction, "prompt", html(question.prompt))
    for item_id, item in zip(ids, items, strict=True):
        html21(interaction, "simpleChoice", html(item), identifier=item_id)
    processing = q21(root, "responseProcessing")
    condition = q21(processing, "responseCondition")
    right = q21(condition, "responseIf")
    match = q21(right, "match")
    q21(match, "variable", identifier="RESPONSE")
    q21(match, "correct", identifier="RESPONSE")
    _full_marks(right)
    otherwise = q21(condition, "responseElse")
    _set(otherwise, "SCORE", "float", "0")
    _branch_feedback(right, otherwise, feedback)
    return feedback


def matching(root: etree._Element, question: Question) -> list[tuple[str, str]]:
    """The matching item: each right pair adds its share of the points."""
    pairs = list(question.pairs or [])
    matches = question.matches()
    item_ids = [f"item_{index}" for index in range(len(pairs))]
    match_ids = [f"match_{index}" for index in range(len(matches))]
    keys = [f"{item_id} {match_ids[matches.index(pair.match)]}" for item_id, pair in zip(item_ids, pairs, strict=True)]
    declaration = q21(
        root, "responseDeclaration", identifier="RESPONSE", cardinality="multiple", baseType="directedPair"
    )
    correct = q21(declaration, "correctResponse")
    for key in keys:
        q21(correct, "value").text = key
    share = weight(question.points / len(pairs), digits=7) if pairs else "0"
    mapping = q21(declaration, "mapping", lowerBound="0", upperBound=str(question.points), defaultValue="0")
    for key in keys:
        q21(mapping, "mapEntry", mapKey=key, mappedValue=share)
    declarations(root, question.points, False)
    interaction = q21(
        q21(root, "itemBody"),
        "matchInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true" if question.shuffle else "false",
        maxAssociations=str(len(pairs)),
    )
    html21(interaction, "prompt", html(question.prompt))
    sources = q21(interaction, "simpleMatchSet")
    for item_id, pair in zip(item_ids, pairs, strict=True):
        html21(sources, "simpleAssociableChoice", html(pair.item), identifier=item_id, matchMax="1")
    targets = q21(interaction, "simpleMatchSet")
    for match_id, match in zip(match_ids, matches, strict=True):
        # matchMax 0: a match may go with any number of items (several items may share one).
        html21(targets, "simpleAssociableChoice", html(match), identifier=match_id, matchMax="0")
    processing = q21(root, "responseProcessing")
    condition = q21(processing, "responseCondition")
    empty = q21(condition, "responseIf")
    q21(q21(empty, "isNull"), "variable", identifier="RESPONSE")
    _set(empty, "SCORE", "float", "0")
    otherwise = q21(condition, "responseElse")
    q21(q21(otherwise, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    return []


def _answer_test(parent: etree._Element, answer: str) -> None:
    """A test of the typed text against one answer: without case, ``*`` as any text."""
    if "*" in answer:
        q21(q21(parent, "patternMatch", pattern=ci_pattern(answer)), "variable", identifier="RESPONSE")
        return
    test = q21(parent, "stringMatch", caseSensitive="false")
    q21(test, "variable", identifier="RESPONSE")
    q21(test, "baseValue", baseType="string").text = line(answer)


def short_answer(root: etree._Element, question: Question) -> list[tuple[str, str]]:
    """The short-answer item: a text entry, full marks for any accepted answer, the feedback of a
    listed wrong answer when it matches."""
    accepted = [a for a in question.accepted or [] if line(a)]
    declaration = q21(root, "responseDeclaration", identifier="RESPONSE", cardinality="single", baseType="string")
    plain = [a for a in accepted if "*" not in a]
    if plain:
        q21(q21(declaration, "correctResponse"), "value").text = line(plain[0])
    feedback = _feedback(question)
    wrong = [(f"wrong_{index}", w) for index, w in enumerate(question.wrong_answers or [])]
    feedback += [(wrong_id, html(w.feedback)) for wrong_id, w in wrong]
    declarations(root, question.points, bool(feedback))
    body = q21(root, "itemBody")
    html21(body, "p", html(question.prompt))
    q21(q21(body, "p"), "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="40")
    processing = q21(root, "responseProcessing")
    condition = q21(processing, "responseCondition")
    right = q21(condition, "responseIf")
    tests = q21(right, "or")
    for answer in accepted:
        _answer_test(tests, answer)
    _full_marks(right)
    if question.correct_feedback:
        _set(right, "FEEDBACK", "identifier", "correct")
    for wrong_id, answer in wrong:
        branch = q21(condition, "responseElseIf")
        _answer_test(branch, answer.answer)
        _set(branch, "SCORE", "float", "0")
        _set(branch, "FEEDBACK", "identifier", wrong_id)
    otherwise = q21(condition, "responseElse")
    _set(otherwise, "SCORE", "float", "0")
    if question.incorrect_feedback:
        _set(otherwise, "FEEDBACK", "identifier", "incorrect")
    return feedback


def _feedback(question: Question) -> list[tuple[str, str]]:
    found = []
    if question.correct_feedback:
        found.append(("correct", html(question.correct_feedback)))
    if question.incorrect_feedback:
        found.append(("incorrect", html(question.incorrect_feedback)))
    return found


def _branch_feedback(right: etree._Element, otherwise: etree._Element, feedback: list[tuple[str, str]]) -> None:
    ids = {feedback_id for feedback_id, _ in feedback}
    if "correct" in ids:
        _set(right, "FEEDBACK", "identifier", "correct")
    if "incorrect" in ids:
        _set(otherwise, "FEEDBACK", "identifier", "incorrect")


WRITERS = {"ordering": ordering, "matching": matching, "short_answer": short_answer}
