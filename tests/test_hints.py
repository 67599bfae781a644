"""Plain-language hints for the YAML mistakes authors make most, as `coursegen check` shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import errors_of
from coursegen.loader import load_course


def _edit(course: Path, old: str, new: str, name: str = "welcome.yml") -> None:
    path = course / "modules" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _only(course: Path) -> str:
    errors = errors_of(course)
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0].format()


def test_colon_in_unquoted_text_says_quote_it(course: Path) -> None:
    _edit(course, "title: Welcome", "title: Step one: call for help")
    shown = _only(course)
    assert "mapping values are not allowed here" in shown
    assert "a colon followed by a space inside unquoted text" in shown
    assert 'e.g. title: "Step one: call for help"' in shown


def test_colon_in_a_list_item_says_quote_it(course: Path) -> None:
    """`- Step 1: call` in a list of text parses, as a mapping: the hint names the cause."""
    _edit(course, "objectives:\n", "objectives:\n  - Step 1: call for help\n")
    shown = _only(course)
    assert "objectives[0]" in shown
    assert "because of a ': '" in shown and '"Step 1: call for help"' in shown


def test_key_indented_too_far(course: Path) -> None:
    _edit(course, "\nsummary:", "\n  summary:")
    shown = _only(course)
    assert "mapping values are not allowed here" in shown
    assert "indented further than the key on line" in shown


def test_expected_block_end_explains_indentation(course: Path) -> None:
    _edit(course, "      explanation: Modules end", "     explanation: Modules end")
    shown = _only(course)
    assert "expected <block end>" in shown
    assert "does not line up with the lines above" in shown


def test_text_after_a_closing_quote(course: Path) -> None:
    _edit(course, "title: Welcome", "title: 'Welcome, it's short'")
    assert "the text goes on after a closing quote" in _only(course)


def test_unquoted_911_says_quote_it(course: Path) -> None:
    _edit(course, 'phone: "911"', "phone: 911", name="course.yml")
    shown = _only(course)
    assert shown.startswith("modules/course.yml:")
    assert 'YAML reads 911 as a number; put phone numbers in quotes: phone: "911"' in shown


def test_pass_mark_is_a_percentage(course: Path) -> None:
    _edit(course, "pass_mark: 80", "pass_mark: 0.8")
    assert "pass_mark is a percentage from 0 to 100: write 80, not 0.8" in _only(course)


TRUE_FALSE_WITH_CHOICES = """\
    - id: q-where
      type: true_false
      prompt: Your quiz results are sent to your employer.
      choices:
        - text: True
          feedback: Not so. Results stay in this browser.
        - text: False
          correct: true
          feedback: Right. Results stay in this browser.
      explanation: Results are kept only in the browser.
resources:
"""

TRUE_FALSE_FIXED = """\
    - id: q-where
      type: true_false
      prompt: Your quiz results are sent to your employer.
      answer: false
      true_feedback: Not so. Results stay in this browser.
      false_feedback: Right. Results stay in this browser.
      explanation: Results are kept only in the browser.
resources:
"""


@pytest.mark.parametrize("also_broken", [False, True])
def test_true_false_with_choices_gets_every_problem_in_one_run(course: Path, also_broken: bool) -> None:
    """Not 'quote True' first and 'a true_false question has no choices' after that: one run
    says what to write instead, even when the module has another problem too."""
    _edit(course, "resources:\n", TRUE_FALSE_WITH_CHOICES)
    if also_broken:
        _edit(course, "pass_mark: 80", "pass_mark: 0.8")
    shown = [e.format() for e in errors_of(course)]
    assert any("a true_false question has no 'choices'" in e and "'answer: false'" in e for e in shown), shown
    assert any("needs 'answer'" in e for e in shown), shown
    assert not any("yes/no/true/false" in e or "choices[" in e for e in shown), shown
    assert any("pass_mark" in e for e in shown) == also_broken
    _edit(course, TRUE_FALSE_WITH_CHOICES, TRUE_FALSE_FIXED)
    if also_broken:
        _edit(course, "pass_mark: 0.8", "pass_mark: 80")
    loaded = load_course(course / "modules", course)
    assert loaded.modules[0].quiz.questions[-1].answer is False
