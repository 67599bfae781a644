"""The quiz-quality lint: each rule fires on a bad example, stays quiet on a good one, and is located.

Modules are written as YAML text (as an author would) and parsed with the real parser, so the
line:col a warning gives can be checked against the text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_module
from coursegen.cli import cli
from coursegen.errors import CourseError, format_errors
from coursegen.loader import check_course_folder, load_course
from coursegen.model import Module
from coursegen.quizlint import (
    LONGEST_ANSWER_MIN_QUESTIONS,
    TRUE_FALSE_MIN_QUESTIONS,
    coverage,
    length,
    lint_module,
    words,
)
from coursegen.yamlfile import YamlDocument, parse_yaml

# A right answer and two wrong ones of similar length, the right one not the longest.
PLAIN = ["Report what you saw", "Ask what is going on", "Wait to see if it stops"]


def q(x: str) -> str:
    """A YAML scalar for any text (a JSON string is valid YAML)."""
    return json.dumps(x)


def single(qid: str, right: str, *wrong: str, assesses: str = "[1]") -> str:
    lines = [f"- id: {qid}", "  type: single", "  prompt: What do you do?", "  choices:"]
    lines += [f"    - text: {q(right)}", "      correct: true", "      feedback: Yes."]
    for text in wrong:
        lines += [f"    - text: {q(text)}", "      feedback: No."]
    lines += ["  explanation: Source.", f"  assesses: {assesses}"]
    return "\n".join(lines)


def multiple(qid: str, right: list[str], wrong: list[str]) -> str:
    lines = [f"- id: {qid}", "  type: multiple", "  prompt: Which apply?", "  choices:"]
    for text in right:
        lines += [f"    - text: {q(text)}", "      correct: true", "      feedback: Yes."]
    for text in wrong:
        lines += [f"    - text: {q(text)}", "      feedback: No."]
    lines += ["  explanation: Source.", "  assesses: [1]"]
    return "\n".join(lines)


def true_false(qid: str, answer: bool, prompt: str = "A statement.") -> str:
    return "\n".join(
        [
            f"- id: {qid}",
            "  type: true_false",
            f"  prompt: {q(prompt)}",
            f"  answer: {str(answer).lower()}",
            "  true_feedback: T.",
            "  false_feedback: F.",
            "  explanation: Source.",
            "  assesses: [1]",
        ]
    )


def module_text(*questions: str, objectives: list[str] | None = None, mid: str = "extra") -> str:
    indented = "\n".join("    " + line for question in questions for line in question.splitlines())
    return (
        f"id: {mid}\ntitle: Extra\nsummary: S\naudiences: [everyone]\nduration_minutes: 5\n"
        f"objectives: {json.dumps(objectives or ['Do a thing'])}\n"
        "lessons:\n  - title: L\n    body: Hi.\n"
        f"quiz:\n  questions:\n{indented}\n"
    )


def parsed(text: str, path: str = "modules/extra.yml") -> tuple[Module, YamlDocument]:
    doc, errors = parse_yaml(text, path)
    assert doc is not None and not errors, errors
    return Module.model_validate(doc.data), doc


def lint(*questions: str, objectives: list[str] | None = None) -> list[CourseError]:
    return lint_module(*parsed(module_text(*questions, objectives=objectives)))


def about(warnings: list[CourseError], needle: str) -> list[CourseError]:
    found = [w for w in warnings if needle in w.message]
    assert all(w.severity == "warning" for w in found)
    return found


def position_of(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first ``needle`` in ``text``."""
    index = text.index(needle)
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def test_a_good_module_has_no_warnings() -> None:
    questions = [
        single("q1", "Note what you saw and report it", "Ask the guest what is going on", "Wait and watch"),
        single("q2", "Call 911 now", "Tell the guest you are worried", "Follow the car to the lot"),
        single("q3", "Write down the time", "Ask to see an ID card", "Phone the guest's family"),
        multiple(
            "q4",
            ["Call 911 in an emergency", "Report to your supervisor"],
            ["Confront the person yourself", "Follow them to their car"],
        ),
        true_false("q5", True),
        true_false("q6", False),
        true_false("q7", True),
        true_false("q8", False),
    ]
    assert lint(*questions) == []


# (a) The right answer is the longest choice too often, or far longer than the wrong ones.


def test_longest_answer_share_fires_above_a_third_and_points_at_the_first() -> None:
    questions = [
        single("q1", "Note what you saw and report it at once", "Ask the guest", "Wait and watch"),
        single("q2", "Call 911 if someone is in danger now", "Tell the guest", "Follow the car"),
        single("q3", *PLAIN),
    ]
    text = module_text(*questions)
    found = about(lint_module(*parsed(text)), "the right answer is the longest choice")
    assert len(found) == 1
    assert "2 of 3 single-choice questions (67%)" in found[0].message
    assert "q1, q2" in found[0].message
    assert (found[0].line, found[0].column) == position_of(text, '"Note what you saw')
    assert found[0].hint


def test_longest_answer_share_of_a_third_is_quiet() -> None:
    questions = [
        single("q1", "Note what you saw and report it at once", "Ask the guest", "Wait and watch"),
        single("q2", "Call 911", "Tell the guest you are worried", "Follow the car to the lot"),
        single("q3", *PLAIN),
    ]
    assert about(lint(*questions), "the right answer is the longest choice") == []


def test_longest_answer_share_needs_enough_questions_in_a_module() -> None:
    questions = [single(f"q{i}", "Report it to the hotline", "Ask them", "Wait") for i in range(1, 3)]
    assert len(questions) < LONGEST_ANSWER_MIN_QUESTIONS
    assert about(lint(*questions), "the right answer is the longest choice") == []


def test_a_tie_for_longest_does_not_count() -> None:
    questions = [single(f"q{i}", "Report what you saw", "Ask what is going on", "Wait a day or two") for i in range(3)]
    assert about(lint(*questions), "the right answer is the longest choice") == []


def test_right_answer_far_longer_than_the_wrong_ones_fires_per_question() -> None:
    right = "Note the time and what you saw, then report"  # 43 characters
    text = module_text(single("q1", right, "Ask them about it", "Wait and see what happens"))  # longest 25
    found = about(lint_module(*parsed(text)), "more than 1.5 times")
    assert len(found) == 1 and "question 'q1' has 43 characters" in found[0].message
    assert (found[0].line, found[0].column) == position_of(text, q(right))


def test_right_answer_up_to_one_and_a_half_times_is_quiet() -> None:
    # 30 characters against 20: exactly 1.5 times. Extra spaces are not counted.
    assert length("Report  it   now") == len("Report it now")
    found = lint(single("q1", "a" * 30, "b" * 20, "c" * 12))
    assert about(found, "more than 1.5 times") == []


def test_course_wide_share_counts_small_modules_together(course: Path) -> None:
    for mid in ("one", "two"):
        questions = [single(f"q{i}", "Report what you saw to the hotline", "Ask them", "Wait") for i in range(2)]
        write_module(course, mid, module_text(*questions, mid=mid))
    warnings = check_course_folder(course / "modules", course).warnings
    course_wide = about(warnings, "of the whole course")
    assert len(course_wide) == 1
    assert course_wide[0].path == "modules/course.yml"
    course_text = (course / "modules" / "course.yml").read_text()
    assert (course_wide[0].line, course_wide[0].column) == position_of(course_text, "modules:")
    assert "4 of 5 single-choice questions" in course_wide[0].message  # the welcome module has one
    assert "one 2/2" in course_wide[0].message and "two 2/2" in course_wide[0].message
    assert not about(warnings, "of module 'one'")


# (b) A multiple-choice question with fewer than two wrong options.


def test_multiple_choice_with_one_wrong_option_fires() -> None:
    text = module_text(multiple("q1", ["Call 911", "Tell your supervisor"], ["Confront them"]))
    found = about(lint_module(*parsed(text)), "wrong option")
    assert len(found) == 1 and "'q1' has 1 wrong option; it needs at least 2" in found[0].message
    assert (found[0].line, found[0].column) == position_of(text, "choices:")


def test_multiple_choice_with_two_wrong_options_is_quiet() -> None:
    found = lint(multiple("q1", ["Call 911", "Tell your supervisor"], ["Confront them", "Follow them"]))
    assert about(found, "wrong option") == []


# (c) Absolute words concentrated in wrong answers.

ABSOLUTE_WRONG = [
    single("q1", "Report what you saw", "Always ask the guest first", "Wait to be sure"),
    single("q2", "Call 911 right away", "Never call before you know", "Ask a colleague"),
    single("q3", "Tell your supervisor", "Tell only the front desk", "Ask the guest"),
]


def test_absolute_words_only_in_wrong_answers_fire() -> None:
    text = module_text(*ABSOLUTE_WRONG)
    found = about(lint_module(*parsed(text)), "absolute words")
    assert len(found) == 1
    assert "(always, never, only)" in found[0].message
    assert "3 of 6 wrong answers (50%) but in 0 of 3 right answers" in found[0].message
    assert (found[0].line, found[0].column) == position_of(text, q("Always ask the guest first"))


def test_absolute_words_in_right_answers_too_are_quiet() -> None:
    balanced = [*ABSOLUTE_WRONG, single("q4", "Always call 911 in an emergency", "Ask the guest", "Wait a day")]
    assert about(lint(*balanced), "absolute words") == []


def test_absolute_words_are_whole_words() -> None:
    assert words("Allow it; totally NEVER-ending, don't") == ["allow", "it", "totally", "never", "ending", "don't"]
    lookalikes = [
        single("q1", "Report what you saw", "Allow the guest to go", "Wait to be sure"),
        single("q2", "Call 911 right away", "Call totally later", "Ask a colleague"),
        single("q3", "Tell your supervisor", "Tell everyone at once", "Ask the guest"),
    ]
    assert about(lint(*lookalikes), "absolute words") == []


def test_a_false_statement_counts_as_a_wrong_answer() -> None:
    statements = [
        true_false("t1", False, "You must always confront them."),
        true_false("t2", False, "Staff never report."),
        true_false("t3", False, "Only managers may call 911."),
        true_false("t4", True, "Report what you see."),
        true_false("t5", True, "Call 911 in an emergency."),
    ]
    found = about(lint(*statements), "absolute words")
    assert len(found) == 1 and "3 of 3 wrong answers (100%) but in 0 of 2 right answers" in found[0].message


# (d) "All of the above" and "none of the above".


@pytest.mark.parametrize("text", ["All of the above", "None of the above.", "(all of the ABOVE)"])
def test_of_the_above_fires(text: str) -> None:
    source = module_text(single("q1", "Report it", "Ask them", text))
    found = about(lint_module(*parsed(source)), "of the above")
    assert len(found) == 1
    assert (found[0].line, found[0].column) == position_of(source, q(text))


def test_above_all_is_quiet() -> None:
    assert about(lint(single("q1", "Above all, stay safe", "All of them", "None above 18")), "of the above") == []


# (e) True/false answers mostly one way.


def test_true_false_mostly_false_fires() -> None:
    text = module_text(*(true_false(f"t{i}", False) for i in range(TRUE_FALSE_MIN_QUESTIONS)))
    found = about(lint_module(*parsed(text)), "true/false questions")
    assert len(found) == 1 and "4 of 4 true/false questions of module 'extra' are false (100%)" in found[0].message
    line, column = position_of(text, "answer: false")
    assert (found[0].line, found[0].column) == (line, column + len("answer: "))


def test_true_false_three_in_four_is_quiet() -> None:
    found = lint(*(true_false(f"t{i}", i != 0) for i in range(4)))
    assert about(found, "true/false questions") == []


def test_true_false_balance_needs_enough_questions() -> None:
    found = lint(*(true_false(f"t{i}", True) for i in range(TRUE_FALSE_MIN_QUESTIONS - 1)))
    assert about(found, "true/false questions") == []


# (f) Fewer than three choices.


def test_two_choices_fire() -> None:
    text = module_text(single("q1", "Report it", "Ask them"))
    found = about(lint_module(*parsed(text)), "choices; a single-choice question needs at least 3")
    assert len(found) == 1
    assert (found[0].line, found[0].column) == position_of(text, "choices:")


def test_three_choices_are_quiet() -> None:
    assert about(lint(single("q1", "Report it", "Ask them", "Wait")), "needs at least 3") == []


# (g) Objectives no question assesses.


def test_an_objective_no_question_assesses_fires_at_the_objective() -> None:
    objectives = ["Spot the signs", "Report through the right channel", "Name the hotline"]
    text = module_text(single("q1", *PLAIN, assesses="[1, 3]"), objectives=objectives)
    found = about(lint_module(*parsed(text)), "is assessed by no question")
    assert [w.message for w in found] == [
        "objective 2 of module 'extra' is assessed by no question: 'Report through the right channel'"
    ]
    assert (found[0].line, found[0].column) == position_of(text, '"Report through')
    assert "assesses: [2]" in found[0].hint


def test_every_objective_assessed_is_quiet() -> None:
    objectives = ["Spot the signs", "Report through the right channel"]
    found = lint(single("q1", *PLAIN, assesses="[1]"), single("q2", *PLAIN, assesses="[2, 1]"), objectives=objectives)
    assert about(found, "assessed by no question") == []


def test_coverage_lists_question_ids_per_objective() -> None:
    objectives = ["Spot the signs", "Report through the right channel"]
    module, _ = parsed(
        module_text(single("q1", *PLAIN, assesses="[1]"), single("q2", *PLAIN, assesses="[1]"), objectives=objectives)
    )
    assert [(c.number, c.objective, c.questions) for c in coverage(module)] == [
        (1, "Spot the signs", ("q1", "q2")),
        (2, "Report through the right channel", ()),
    ]


def test_assesses_beyond_the_objectives_is_a_located_error(course: Path) -> None:
    from conftest import errors_of

    text = module_text(single("q1", *PLAIN, assesses="[1, 3]"), objectives=["One", "Two"])
    write_module(course, "extra", text)
    errors = [e for e in errors_of(course) if "assesses objective" in e.message]
    assert len(errors) == 1 and errors[0].severity == "error"
    assert errors[0].message == "question 'q1' assesses objective 3, but module 'extra' has 2 objectives"
    assert (errors[0].line, errors[0].column) == position_of(text, "3]")
    assert "use 1 to 2" in errors[0].hint


# One shape, one formatter: warnings say so, and GitHub gets ::warning.


def test_format_errors_counts_problems_and_warnings_apart() -> None:
    warning = CourseError("m.yml", 3, 5, "too long", "shorten it", "warning")
    error = CourseError("m.yml", 1, 1, "bad key")
    assert warning.format() == "m.yml:3:5: warning: too long (hint: shorten it)"
    assert warning.format(github=True).startswith("::warning file=m.yml,line=3,col=5::m.yml:3:5: warning:")
    assert error.format(github=True).startswith("::error file=m.yml,line=1,col=1::m.yml:1:1: bad key")
    assert format_errors([warning]).splitlines()[-1] == "1 warning."
    assert format_errors([error, warning, warning]).splitlines()[-2:] == ["1 problem found.", "2 warnings."]


# The command line.

BAD_QUIZ = module_text(single("q1", "Report it", "Ask them"), single("q2", *PLAIN))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_check_warns_with_place_and_exits_0_but_1_with_strict(
    runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course)
    assert runner.invoke(cli, ["check", "--strict"]).output == "ok: 1 modules, 3 questions\n"  # init is clean
    write_module(course, "extra", BAD_QUIZ)
    line, col = position_of(BAD_QUIZ, "choices:")
    expected = (
        f"modules/extra.yml:{line}:{col}: warning: question 'q1' has 2 choices; "
        "a single-choice question needs at least 3 (hint: "
    )
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(expected)
    assert result.output.endswith("1 warning.\nok: 2 modules, 5 questions\n")
    strict = runner.invoke(cli, ["check", "--strict"])
    assert strict.exit_code == 1
    assert strict.output.startswith(expected)
    assert "ok:" not in strict.output and "--strict" in strict.output
    github = runner.invoke(cli, ["check", "--github"])
    assert github.exit_code == 0
    assert github.output.startswith(f"::warning file=modules/extra.yml,line={line},col={col}::")


def test_check_errors_still_come_first_and_exit_1(
    runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course)
    write_module(course, "extra", BAD_QUIZ.replace("summary: S", "sumary: S"))
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "unknown key 'sumary'" in result.output and "warning" not in result.output


def test_list_shows_coverage_per_objective(runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    objectives = ["Spot the signs", "Report through the right channel"]
    write_module(course, "extra", module_text(single("q1", *PLAIN), single("q2", *PLAIN), objectives=objectives))
    data = json.loads(runner.invoke(cli, ["list", "--json"]).output)
    assert data["coverage"]["extra"] == [
        {"objective": 1, "text": "Spot the signs", "questions": ["q1", "q2"]},
        {"objective": 2, "text": "Report through the right channel", "questions": []},
    ]
    assert [entry["questions"] for entry in data["coverage"]["welcome"]] == [["q-parts", "q-feedback"]]
    table = runner.invoke(cli, ["list"]).output
    section = table[table.index("Objectives and the questions that assess them:") :]
    assert "  extra\n     1. Spot the signs\n        q1, q2\n" in section
    assert "     2. Report through the right channel\n        (no question yet)\n" in section


def test_build_strict_is_not_affected_by_warnings(
    runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course)
    write_module(course, "extra", BAD_QUIZ)
    assert runner.invoke(cli, ["check", "--strict"]).exit_code == 1
    result = runner.invoke(cli, ["build", "--strict", "--site-dir", "out"])
    assert result.exit_code == 0, result.output
    assert (course / "out" / "modules" / "extra" / "index.html").is_file()


def test_lint_on_a_loaded_course_matches_the_module_lint(course: Path) -> None:
    write_module(course, "extra", BAD_QUIZ)
    checked = check_course_folder(course / "modules", course)
    assert load_course(course / "modules", course) == checked.loaded
    module, doc = parsed(BAD_QUIZ)
    assert checked.warnings == sorted(lint_module(module, doc))


def test_questions_without_choices_get_no_choice_warnings(runner: CliRunner, course: Path) -> None:
    """Issue #14: ordering, matching and short_answer questions have no choices, so the choice rules
    (too few choices, longest answer, absolute words) do not apply to them, and `list` counts them."""
    questions = [
        "- id: order\n  type: ordering\n  prompt: Order them.\n  items: [Notice, Note, Report]\n"
        "  explanation: Source.\n  assesses: [1]",
        "- id: match\n  type: matching\n  prompt: Match them.\n  pairs:\n    - {item: A sign, match: Housekeeping}\n"
        "    - {item: Another sign, match: Front desk}\n  explanation: Source.\n  assesses: [1]",
        "- id: short\n  type: short_answer\n  prompt: Which number?\n  accepted: ['911']\n"
        "  wrong_answers: [{answer: always the hotline, feedback: Not in an emergency.}]\n"
        "  explanation: Source.\n  assesses: [1]",
    ]
    assert lint(*questions) == []
    write_module(course, "extra", module_text(*questions))
    data = json.loads(runner.invoke(cli, ["list", "--json", "-f", str(course / "mkdocs.yml")]).output)
    row = next(row for row in data["modules"] if row["id"] == "extra")
    assert row["types"] == {"ordering": 1, "matching": 1, "short_answer": 1}
    table = runner.invoke(cli, ["list", "-f", str(course / "mkdocs.yml")]).output
    assert "  extra: matching 1, ordering 1, short_answer 1\n" in table
