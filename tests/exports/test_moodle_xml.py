"""Moodle XML: valid against the schema of the subset we write (Moodle has none of its own), and the
multiple-choice questions round-trip through moodle-xml-parser (PyPI), an independent reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from moodle_xml_parser.parser import parse_bytes

from coursegen.exports.moodle_xml import export_moodle_xml
from coursegen.exports.omissions import CHOICE_TYPES, exported
from coursegen.exports.text import cdata, line
from coursegen.model import LoadedCourse

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).with_name("schemas") / "moodle-xml-subset.xsd")))


def parser_reading(text: str) -> str:
    """What moodle-xml-parser gives back for a plain-text field: the text as the learner sees it."""
    return line(text)


def assert_valid(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    assert SCHEMA.validate(root), SCHEMA.error_log
    for question in root.iter("question"):
        if question.get("type") == "truefalse":
            assert question.find("single") is None
            assert [a.findtext("text") for a in question.findall("answer")] == ["true", "false"]
    return root


@pytest.mark.parametrize("name", ["flagship", "specials"])
def test_valid_and_multichoice_round_trips(name: str, request: pytest.FixtureRequest) -> None:
    assert_round_trip(request.getfixturevalue(name))


def assert_round_trip(loaded: LoadedCourse) -> None:
    """Schema-valid; every question read back (multichoice by moodle-xml-parser, true/false by lxml)."""
    document = export_moodle_xml(loaded)
    root = assert_valid(document)
    read = iter(parse_bytes(document)["multichoice"])
    truefalse = iter(q for q in root.iter("question") if q.get("type") == "truefalse")
    categories = [q.findtext("category/text") for q in root.iter("question") if q.get("type") == "category"]
    assert len(categories) == sum(1 for m in loaded.modules if exported(m, "Moodle XML"))
    for module in loaded.modules:
        for question in exported(module, "Moodle XML"):
            if question.type not in CHOICE_TYPES:
                continue  # match, shortanswer, ordering: tests/exports/test_new_types.py
            if question.type == "true_false":
                element = next(truefalse)
                assert element.findtext("name/text") == question.id
                assert element.findtext("questiontext/text") == _html(question.prompt)
                answers = element.findall("answer")
                assert [a.get("fraction") == "100" for a in answers] == [question.answer, not question.answer]
                feedback = [a.findtext("feedback/text") for a in answers]
                assert feedback == [_html(question.true_feedback), _html(question.false_feedback)]
                continue
            parsed = next(read)
            assert parsed.name == question.id
            assert parsed.single is (question.type == "single")
            assert parsed.text_pre_parse == parser_reading(question.prompt)
            assert parsed.general_feedback == parser_reading(question.explanation)
            choices = question.options()
            assert [o.answer for o in parsed.options] == [parser_reading(c.text) for c in choices]
            assert [o.feedback for o in parsed.options] == [parser_reading(c.feedback) for c in choices]
            scores = [o.score_fraction for o in parsed.options]
            assert [s > 0 for s in scores] == [c.correct for c in choices]
            assert sum(s for s in scores if s > 0) == pytest.approx(100, abs=1e-3)
            if question.type == "multiple" and not all(c.correct for c in choices):
                assert sum(s for s in scores if s < 0) == pytest.approx(-100, abs=1e-3)
    assert next(read, None) is None and next(truefalse, None) is None


def _html(text: str | None) -> str:
    from html import escape

    return escape(line(text), quote=False)


def test_cdata_end_in_text_comes_back_as_written(specials: LoadedCourse) -> None:
    root = etree.fromstring(export_moodle_xml(specials))
    texts = [t.text or "" for t in root.iter("text")]
    assert any("]]&gt; &amp;amp; 100%" in t for t in texts), "the prompt's ]]> and &amp; come back as written"


@pytest.mark.parametrize("text", ["a ]]> b", "]]>", "]]]]>>", "x]]", "<![CDATA[ ]]> ]]>"])
def test_cdata_sections_hold_any_text(text: str) -> None:
    assert etree.fromstring(f"<t>{cdata(text)}</t>").text == text


def test_schema_rejects_what_moodle_would_not_read() -> None:
    broken = b'<quiz><question type="multichoice"><name><text>x</text></name></question></quiz>'
    assert not SCHEMA.validate(etree.fromstring(broken))
    wrong_fraction = (
        b'<quiz><question type="category"><category><text>$course$/top/x</text></category></question>'
        b'<question type="essay"><category><text>y</text></category></question></quiz>'
    )
    assert not SCHEMA.validate(etree.fromstring(wrong_fraction))
