"""Scenario questions: each rule of the step graph reports a located error with a hint."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import html5lib

from conftest import errors_of, write_module
from coursegen.loader import load_course
from coursegen.model import Module, Question
from coursegen.quizlint import lint_module
from coursegen.render import _environment
from coursegen.scenario import reachable
from coursegen.yamlfile import parse_yaml

HEAD = """\
id: extra
title: Extra
summary: S
audiences: [everyone]
duration_minutes: 5
objectives: [Do a thing]
lessons:
  - title: L
    body: Hi.
quiz:
  questions:
    - id: desk
      type: scenario
      prompt: A scenario at the front desk.
      explanation: Because.
"""

# The happy path: a loop (ask again) with a way out, a good and a needs-work ending.
GOOD_STEPS = """\
      steps:
        - id: start
          text: A guest checks in late.
          choices:
            - text: Note what you saw and tell your supervisor.
              next: reported
              feedback: You used your workplace's channel.
            - text: Wait and watch a little longer.
              next: waiting
              feedback: Waiting can be right, but not for ever.
        - id: waiting
          text: An hour later nothing has changed.
          choices:
            - text: Keep waiting.
              next: waiting
              feedback: Still nothing.
            - text: Go back to the start.
              next: start
              feedback: You think again.
            - text: Ask the guest directly.
              next: confronted
              feedback: Questioning a guest can put them at risk.
        - id: reported
          text: Your supervisor reports it.
          outcome: good
        - id: confronted
          text: The guest leaves, frightened.
          outcome: needs_work
"""


def write(course: Path, steps: str, extra: str = "") -> Path:
    return write_module(course, "extra", HEAD + extra + steps)


def line_of(path: Path, needle: str, nth: int = 0) -> int:
    return [i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line][nth]


def test_a_scenario_with_a_loop_that_has_a_way_out_is_valid(course: Path) -> None:
    write(course, GOOD_STEPS)
    loaded = load_course(course / "modules", course)
    [question] = loaded.module("extra").quiz.questions  # type: ignore[union-attr]
    assert [s.id for s in question.steps or []] == ["start", "waiting", "reported", "confronted"]


def test_a_scenario_needs_steps(course: Path) -> None:
    path = write(course, "")
    [error] = errors_of(course)
    assert error.message == "scenario question 'desk' needs 'steps'"
    assert error.line == line_of(path, "- id: desk")
    assert "first is where the scenario starts" in error.hint


def test_fields_of_other_types_are_refused(course: Path) -> None:
    extra = "      choices:\n        - text: A\n          feedback: f\n      answer: true\n"
    path = write(course, GOOD_STEPS, extra)
    found = errors_of(course)
    assert [e.message for e in found] == [
        "'choices' is not used by scenario question 'desk'",
        "'answer' is not used by scenario question 'desk'",
    ]
    assert found[0].line == line_of(path, "      choices:")
    assert "inside 'steps'" in found[0].hint


def test_steps_on_another_type_are_refused(course: Path) -> None:
    text = (
        """\
id: extra
title: Extra
summary: S
audiences: [everyone]
duration_minutes: 5
objectives: [Do a thing]
lessons:
  - title: L
    body: Hi.
quiz:
  questions:
    - id: q1
      type: single
      prompt: Which?
      choices:
        - {text: A, correct: true, feedback: fa}
        - {text: B, feedback: fb}
      explanation: Because.
"""
        + GOOD_STEPS
    )
    path = write_module(course, "extra", text)
    [error] = errors_of(course)
    assert error.message == "'steps' is only for scenario questions"
    assert error.line == line_of(path, "steps:")


def test_step_ids_are_unique(course: Path) -> None:
    path = write(course, GOOD_STEPS.replace("- id: confronted", "- id: reported"))
    found = {e.message: e for e in errors_of(course)}
    error = found["step id 'reported' appears twice in scenario 'desk'"]
    assert error.line == line_of(path, "- id: reported", 1)
    assert "its own id" in error.hint
    # The choice that led to the renamed step now names no step: said once, where it is.
    assert "a choice at step 'waiting' leads to 'confronted', which is not a step of scenario 'desk'" in found


def test_the_first_step_must_ask(course: Path) -> None:
    steps = "      steps:\n        - id: done\n          text: Over.\n          outcome: good\n"
    path = write(course, steps)
    [error] = errors_of(course)
    assert error.message == "the first step of scenario 'desk' ('done') has no choices"
    assert error.line == line_of(path, "- id: done")
    assert "put the endings later" in error.hint


def test_a_step_has_choices_or_an_outcome_never_both_or_neither(course: Path) -> None:
    steps = GOOD_STEPS.replace("          outcome: needs_work\n", "")
    steps = steps.replace(
        "          text: Your supervisor reports it.\n",
        "          text: Your supervisor reports it.\n          choices:\n"
        "            - {text: One, next: start, feedback: f}\n            - {text: Two, next: start, feedback: f}\n",
    )
    path = write(course, steps)
    found = errors_of(course)
    assert [e.message for e in found] == [
        "step 'reported' of scenario 'desk' has both 'choices' and 'outcome'",
        "step 'confronted' of scenario 'desk' has neither 'choices' nor 'outcome'",
    ]
    assert found[0].line == line_of(path, "outcome: good")
    assert found[1].line == line_of(path, "- id: confronted")
    assert "outcome: good" in found[0].hint and "'choices'" in found[1].hint


def test_a_decision_needs_two_distinct_choices(course: Path) -> None:
    steps = GOOD_STEPS.replace("Wait and watch a little longer.", "Note what you saw and tell your supervisor.")
    steps = steps.replace(
        "            - text: Keep waiting.\n              next: waiting\n              feedback: Still nothing.\n"
        "            - text: Go back to the start.\n              next: start\n"
        "              feedback: You think again.\n",
        "",
    )
    path = write(course, steps)
    found = errors_of(course)
    assert [e.message for e in found] == [
        "choice 'Note what you saw and tell your supervisor.' appears twice at step 'start' of scenario 'desk'",
        "step 'waiting' of scenario 'desk' needs at least two choices",
    ]
    assert found[0].line == line_of(path, "- text: Note what you saw", 1)
    assert "outcome:" in found[1].hint


def test_next_names_a_step_and_suggests_the_closest(course: Path) -> None:
    path = write(course, GOOD_STEPS.replace("next: reported", "next: reportd"))
    [error] = errors_of(course)
    assert error.message == "a choice at step 'start' leads to 'reportd', which is not a step of scenario 'desk'"
    assert error.line == line_of(path, "next: reportd")
    assert error.hint == "did you mean 'reported'? steps of this scenario: 'start', 'waiting', 'reported', 'confronted'"


def test_every_step_is_reachable(course: Path) -> None:
    steps = GOOD_STEPS + "        - id: lost\n          text: Nobody comes here.\n          outcome: good\n"
    path = write(course, steps)
    [error] = errors_of(course)
    assert error.message == "step 'lost' of scenario 'desk' cannot be reached from the first step 'start'"
    assert error.line == line_of(path, "- id: lost")
    assert error.hint == "lead a choice to it with 'next: lost', or remove the step"


def test_a_loop_without_a_way_out_is_refused(course: Path) -> None:
    # 'waiting' can now only lead to itself or back to the start: from the start, 'reported' is
    # still reachable, so only a loop that never reaches any ending traps a learner.
    trap = GOOD_STEPS.replace("next: confronted", "next: waiting").replace("next: start", "next: stuck")
    trap += (
        "        - id: stuck\n          text: Round again.\n          choices:\n"
        "            - {text: Back, next: waiting, feedback: f}\n            - {text: Stay, next: stuck, feedback: f}\n"
    )
    path = write(course, trap)
    found = errors_of(course)
    messages = [e.message for e in found]
    assert messages[0] == (
        "scenario 'desk' has a loop with no way out: waiting -> waiting; "
        "from steps 'waiting', 'stuck' no ending can be reached"
    )
    assert found[0].line == line_of(path, "- id: waiting")
    assert "never stuck" in found[0].hint
    # The ending the trap cut off is reported too: the author sees what the loop costs.
    assert messages[1:] == ["step 'confronted' of scenario 'desk' cannot be reached from the first step 'start'"]


def test_a_good_ending_must_be_reachable(course: Path) -> None:
    path = write(course, GOOD_STEPS.replace("outcome: good", "outcome: needs_work"))
    [error] = errors_of(course)
    assert error.message == "scenario 'desk' has no good ending a learner can reach"
    assert error.line == line_of(path, "steps:")
    assert "outcome: good" in error.hint


def test_at_most_forty_steps(course: Path) -> None:
    many = "".join(
        f"        - id: s{i}\n          text: T{i}.\n          choices:\n"
        f"            - {{text: On, next: s{i + 1}, feedback: f}}\n"
        f"            - {{text: Off, next: end, feedback: f}}\n"
        for i in range(40)
    )
    steps = "      steps:\n" + many + "        - id: s40\n          text: Done.\n          outcome: good\n"
    path = write(course, steps)
    [error] = errors_of(course)
    assert error.message == "quiz.questions[0].steps: List should have at most 40 items after validation, not 41"
    assert error.line == line_of(path, "- id: s0")
    assert "split it into two scenarios" in error.hint


def test_reachability_is_iterative() -> None:
    """A chain far deeper than Python's stack is walked without a RecursionError."""
    chain = {f"s{i}": [f"s{i + 1}"] for i in range(20000)}
    chain["s20000"] = []
    assert len(reachable(chain, ["s0"])) == 20001


def test_the_quiz_quality_advice_about_choices_leaves_scenarios_alone(course: Path) -> None:
    """`coursegen check` gave every scenario "has 0 choices; needs at least 3" (a rule for
    single/multiple choice questions)."""
    path = write(course, GOOD_STEPS)
    doc, errors = parse_yaml(path.read_text(encoding="utf-8"), "modules/extra.yml")
    assert doc is not None and not errors
    warnings = lint_module(Module.model_validate(doc.data), doc)
    assert not [w for w in warnings if "choices" in w.message], warnings


def _fieldset(question: Question) -> ElementTree.Element:
    """The question as the page has it, parsed as a browser would."""
    macro = _environment().get_template("_quiz.html.j2").module.question_fieldset  # type: ignore[attr-defined]
    return html5lib.parse(str(macro("cg-m-quiz", question, 1)), namespaceHTMLElements=False)


def test_every_step_and_choice_has_its_own_anchor_even_with_look_alike_ids() -> None:
    """Without JavaScript the links lead by id: ids must be unique, also for steps named like the
    suffixes the template adds ('-title', '-ask')."""
    choices = [
        {"text": "To the title", "next": "start-title", "feedback": "f1"},
        {"text": "To the question", "next": "start-ask", "feedback": "f2"},
    ]
    question = Question.model_validate(
        {
            "id": "q",
            "type": "scenario",
            "prompt": "P",
            "explanation": "E",
            "steps": [
                {"id": "start", "text": "S", "choices": choices},
                {"id": "start-title", "text": "T", "outcome": "good"},
                {"id": "start-ask", "text": "A", "outcome": "needs_work"},
            ],
        }
    )
    tree = _fieldset(question)
    ids = [el.get("id") for el in tree.iter() if el.get("id")]
    assert len(ids) == len(set(ids)), ids
    links = {el.text: el.get("href") for el in tree.iter("a")}
    assert links["To the title"] == "#cg-m-quiz-q-choice-start-0"
    assert links["Start again"] == "#cg-m-quiz-q-step-start"
    landing = next(el for el in tree.iter("section") if el.get("id") == "cg-m-quiz-q-choice-start-0")
    assert [a.get("href") for a in landing.iter("a")] == ["#cg-m-quiz-q-step-start-title", "#cg-m-quiz-q-step-start"]
    assert "f1" in "".join(landing.itertext())
