"""GIFT: gift-pegjs (an independent parser, npm) reads back every question, choice, weight and
feedback of the flagship course and of a module full of GIFT's special characters."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursegen.cli import cli
from coursegen.exports.gift import export_gift
from coursegen.exports.omissions import CHOICE_TYPES, exported
from coursegen.exports.text import line
from coursegen.model import LoadedCourse

from .conftest import NODE_MODULES, REPO, missing

PARSER = NODE_MODULES / "gift-pegjs"


def parse(text: str) -> list[dict]:
    """gift-pegjs's reading of ``text``."""
    if shutil.which("node") is None or not PARSER.is_dir():
        missing("node or tests/tooling/node_modules/gift-pegjs is missing")
    done = subprocess.run(
        ["node", str(Path(__file__).with_name("gift_parse.js")), str(PARSER)],
        input=text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_bank_matches(loaded: LoadedCourse, parsed: list[dict]) -> None:
    """Every module is a category, followed by its questions exactly as the model has them."""
    items = iter(parsed)
    for number, module in enumerate(loaded.modules, start=1):
        questions = exported(module, "GIFT")
        if not questions:
            continue
        category = next(items)
        assert category["type"] == "Category"
        assert category["title"].endswith("/" + line(f"{number}. {module.title}").replace("/", "//"))
        for question in questions:
            item = next(items)
            assert item["title"] == question.id
            assert item["stem"] == {"format": "plain", "text": line(question.prompt)}
            assert item["globalFeedback"] == {"format": "plain", "text": line(question.explanation)}
            if question.type not in CHOICE_TYPES:
                continue  # matching and short answer: tests/exports/test_new_types.py
            if question.type == "true_false":
                assert item["type"] == "TF"
                assert item["isTrue"] is question.answer
                right = question.true_feedback if question.answer else question.false_feedback
                wrong = question.false_feedback if question.answer else question.true_feedback
                # gift-pegjs names Moodle's (wrong-answer, right-answer) feedback pair true/false.
                assert item["trueFeedback"]["text"] == line(wrong)
                assert item["falseFeedback"]["text"] == line(right)
                continue
            assert item["type"] == "MC"
            choices = question.options()
            assert [c["text"]["text"] for c in item["choices"]] == [line(c.text) for c in choices]
            assert [c["feedback"]["text"] for c in item["choices"]] == [line(c.feedback) for c in choices]
            if question.type == "single":
                assert [c["isCorrect"] for c in item["choices"]] == [c.correct for c in choices]
                assert all(c["weight"] is None for c in item["choices"])
            else:
                weights = [c["weight"] for c in item["choices"]]
                right = [w for w, c in zip(weights, choices, strict=True) if c.correct]
                wrong = [w for w, c in zip(weights, choices, strict=True) if not c.correct]
                assert all(w > 0 for w in right) and all(w < 0 for w in wrong)
                assert sum(right) == pytest.approx(100, abs=1e-3)
                assert sum(wrong) == pytest.approx(-100, abs=1e-3) or not wrong
                assert len(set(right)) == 1 and len(set(wrong)) <= 1  # equal shares
    assert next(items, None) is None, "the file has more items than the course has questions"


def test_flagship_reads_back_in_gift_pegjs(flagship: LoadedCourse) -> None:
    parsed = parse(export_gift(flagship))
    assert_bank_matches(flagship, parsed)
    assert sum(1 for item in parsed if item["type"] != "Category") == sum(
        len(exported(m, "GIFT")) for m in flagship.modules
    )


def test_special_characters_survive(specials: LoadedCourse) -> None:
    text = export_gift(specials)
    assert_bank_matches(specials, parse(text))
    # Every special is escaped in question text, and questions are separated by a blank line.
    assert "Tricky \\~ \\= \\# \\{ \\} \\: \\\\ //" in text
    assert "\n\n::q-multiple::" in text and "\n\n::q-true-false::" in text


def test_multiple_answer_weights_punish_guessing(specials: LoadedCourse) -> None:
    text = export_gift(specials)
    assert "~%50%a\\: right#a \\#ok" in text
    assert "~%-33.33333%c wrong#c \\} no" in text


def test_command_writes_the_file_and_is_deterministic(tmp_path: Path) -> None:
    runner = CliRunner()
    first, second = tmp_path / "a.gift", tmp_path / "b.gift"
    for target in (first, second):
        result = runner.invoke(cli, ["export", "gift", "-f", str(REPO / "mkdocs.yml"), "-o", str(target)])
        assert result.exit_code == 0, result.output
        assert f"wrote {target}" in result.output
    assert first.read_bytes() == second.read_bytes()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "a temporary file was left behind"
