"""Moodle XML: the same question bank as GIFT, in the format Moodle's question/format/xml reads.

Field names follow Moodle's importer (there is no official schema): a ``category`` pseudo-question
per module, ``multichoice`` (``single`` true or false), ``truefalse``, ``match`` (distractors as
subquestions with no text), ``shortanswer`` (right answers at 100%, common wrong ones at 0% with
their feedback, case ignored) and ``ordering`` (standard in Moodle 4.4 and later; graded by the
pairs in the right relative order, as the site does) questions, feedback on every answer, the
explanation as ``generalfeedback`` and the question's points as ``defaultgrade``. Moodle has no
branching scenario: those are left out (``omissions.py``). Text is HTML (plain text escaped) inside CDATA
sections, split wherever the text itself holds ``]]>``.
"""

from __future__ import annotations

from html import escape as html_escape
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from ..model import LoadedCourse, Module, Question
from .gift import category_name, multiple_weights, weight
from .omissions import exported
from .text import cdata, line, xml_chars

KINDS = {
    "single": "multichoice",
    "multiple": "multichoice",
    "true_false": "truefalse",
    "matching": "match",
    "short_answer": "shortanswer",
    "ordering": "ordering",
}


def html(text: str | None) -> str:
    """Plain text as HTML: one line, escaped, characters XML cannot hold removed."""
    return xml_chars(html_escape(line(text), quote=False))


def _text(tag: str, content: str, fmt: str = "html") -> str:
    return f'<{tag} format="{fmt}"><text>{cdata(content)}</text></{tag}>'


def _answer(fraction: str, text: str, feedback: str, fmt: str = "html") -> str:
    feedback_xml = _text("feedback", feedback)
    return f'<answer fraction="{fraction}" format="{fmt}"><text>{cdata(text)}</text>{feedback_xml}</answer>'


def _category(path: str) -> str:
    return f'<question type="category"><category><text>{xml_escape(xml_chars(path))}</text></category></question>'


def _combined_feedback(question: Question) -> list[str]:
    """Moodle's feedback for a right, partly right and wrong answer (match and ordering)."""
    right = html(question.correct_feedback) if question.correct_feedback else ""
    wrong = html(question.incorrect_feedback) if question.incorrect_feedback else ""
    return [
        _text("correctfeedback", right),
        _text("partiallycorrectfeedback", wrong),
        _text("incorrectfeedback", wrong),
        "<shownumcorrect/>",
    ]


def _plain_answer(fraction: str, text: str, feedback: str) -> str:
    """A short-answer answer: the text as typed (not HTML), its feedback as HTML."""
    plain_text = cdata(xml_chars(line(text)))
    return (
        f'<answer fraction="{fraction}" format="moodle_auto_format"><text>{plain_text}</text>'
        f"{_text('feedback', feedback)}</answer>"
    )


def _new_type_parts(question: Question) -> list[str]:
    """The type-specific elements of a match, shortanswer or ordering question."""
    if question.type == "matching":
        parts = [f"<shuffleanswers>{'true' if question.shuffle else 'false'}</shuffleanswers>"]
        parts += _combined_feedback(question)
        for pair in question.pairs or []:
            parts.append(
                f'<subquestion format="html"><text>{cdata(html(pair.item))}</text>'
                f"<answer><text>{cdata(xml_chars(line(pair.match)))}</text></answer></subquestion>"
            )
        known = {line(pair.match) for pair in question.pairs or []}
        for distractor in question.distractors or []:
            if line(distractor) not in known:
                # A subquestion with no text is an extra match that fits no item.
                parts.append(
                    f'<subquestion format="html"><text></text>'
                    f"<answer><text>{cdata(xml_chars(line(distractor)))}</text></answer></subquestion>"
                )
        return parts
    if question.type == "short_answer":
        # Moodle takes the first answer that matches ("*" is its wildcard too): right ones first.
        right = html(question.correct_feedback) if question.correct_feedback else ""
        parts = ["<usecase>0</usecase>"]
        parts += [_plain_answer("100", answer, right) for answer in question.accepted or []]
        parts += [_plain_answer("0", w.answer, html(w.feedback)) for w in question.wrong_answers or []]
        if question.incorrect_feedback:
            parts.append(_plain_answer("0", "*", html(question.incorrect_feedback)))
        return parts
    parts = [
        "<layouttype>VERTICAL</layouttype>",
        "<selecttype>ALL</selecttype>",
        "<selectcount>0</selectcount>",
        # The site's partial credit: the share of pairs of items in the right relative order.
        "<gradingtype>RELATIVE_ALL_PREVIOUS_AND_NEXT</gradingtype>",
        "<showgrading>SHOW</showgrading>",
        "<numberingstyle>none</numberingstyle>",
        *_combined_feedback(question),
    ]
    for position, item in enumerate(question.items or [], start=1):
        parts.append(_answer(f"{position}.0000000", html(item), ""))
    return parts


def question_xml(module: Module, question: Question) -> str:
    """One ``<question>`` element."""
    kind = KINDS[question.type]
    parts = [
        f'<question type="{kind}">',
        f"<name><text>{xml_escape(question.id)}</text></name>",
        _text("questiontext", html(question.prompt)),
        _text("generalfeedback", html(question.explanation)),
        f"<defaultgrade>{question.points}</defaultgrade>",
        f"<penalty>{'1' if kind == 'truefalse' else '0.3333333'}</penalty>",
        "<hidden>0</hidden>",
        f"<idnumber>{xml_escape(module.id)}/{xml_escape(question.id)}</idnumber>",
    ]
    if kind in ("match", "shortanswer", "ordering"):
        parts += _new_type_parts(question)
    elif kind == "truefalse":
        for value, feedback in (("true", question.true_feedback), ("false", question.false_feedback)):
            fraction = "100" if (value == "true") == question.answer else "0"
            parts.append(_answer(fraction, value, html(feedback), fmt="moodle_auto_format"))
    else:
        single = question.type == "single"
        parts += [
            f"<single>{'true' if single else 'false'}</single>",
            f"<shuffleanswers>{'true' if question.shuffle else 'false'}</shuffleanswers>",
            "<answernumbering>abc</answernumbering>",
            "<showstandardinstruction>1</showstandardinstruction>",
        ]
        choices = question.options()
        shares = [100.0 if c.correct else 0.0 for c in choices] if single else multiple_weights(question)
        for choice, share in zip(choices, shares, strict=True):
            parts.append(_answer(weight(share), html(choice.text), html(choice.feedback)))
    parts.append("</question>")
    return "\n".join(parts)


def export_moodle_xml(loaded: LoadedCourse) -> bytes:
    """The question bank as a Moodle XML document (UTF-8), without the questions Moodle has no type
    for (see ``omissions``)."""
    course = category_name(loaded.course.title)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for number, module in enumerate(loaded.modules, start=1):
        questions = exported(module, "Moodle XML")
        if not questions:
            continue
        out.append(_category(f"$course$/top/{course}/{category_name(f'{number}. {module.title}')}"))
        out.extend(question_xml(module, q) for q in questions)
    out.append("</quiz>\n")
    document = "\n".join(out).encode("utf-8")
    etree.fromstring(document)  # well-formed or a bug: never hand an LMS a broken file
    return document
