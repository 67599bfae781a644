"""Moodle XML: the same question bank as GIFT, in the format Moodle's question/format/xml reads.

Field names follow Moodle's importer (there is no official schema): a ``category`` pseudo-question
per module, ``multichoice`` (``single`` true or false) and ``truefalse`` questions, feedback on every
answer, the explanation as ``generalfeedback``. Text is HTML (plain text escaped) inside CDATA
sections, split wherever the text itself holds ``]]>``.
"""

from __future__ import annotations

from html import escape as html_escape
from xml.sax.saxutils import escape as xml_escape

from lxml import etree

from ..model import LoadedCourse, Module, Question
from .gift import category_name, multiple_weights, weight
from .text import cdata, line, xml_chars


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


def question_xml(module: Module, question: Question) -> str:
    """One ``<question>`` element."""
    kind = "truefalse" if question.type == "true_false" else "multichoice"
    parts = [
        f'<question type="{kind}">',
        f"<name><text>{xml_escape(question.id)}</text></name>",
        _text("questiontext", html(question.prompt)),
        _text("generalfeedback", html(question.explanation)),
        "<defaultgrade>1</defaultgrade>",
        f"<penalty>{'1' if kind == 'truefalse' else '0.3333333'}</penalty>",
        "<hidden>0</hidden>",
        f"<idnumber>{xml_escape(module.id)}/{xml_escape(question.id)}</idnumber>",
    ]
    if kind == "truefalse":
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
    """The question bank as a Moodle XML document (UTF-8)."""
    course = category_name(loaded.course.title)
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for number, module in enumerate(loaded.modules, start=1):
        questions = module.questions()
        if not questions:
            continue
        out.append(_category(f"$course$/top/{course}/{category_name(f'{number}. {module.title}')}"))
        out.extend(question_xml(module, q) for q in questions)
    out.append("</quiz>\n")
    document = "\n".join(out).encode("utf-8")
    etree.fromstring(document)  # well-formed or a bug: never hand an LMS a broken file
    return document
