"""Each validation rule reports a located, actionable error."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import errors_of, write_module

QUESTION = """\
    - id: {qid}
      type: {qtype}
      prompt: Which?
      choices:
        - text: A
          correct: {a}
          feedback: fa
        - text: B
          correct: {b}
          feedback: fb
      explanation: Because.
"""


def module(
    mid: str = "extra", *, requires: str = "[]", audiences: str = "[everyone]", questions: str = "", body: str = "Hi."
) -> str:
    questions = questions or QUESTION.format(qid="q1", qtype="single", a="true", b="false")
    return f"""\
id: {mid}
title: Extra
summary: S
audiences: {audiences}
duration_minutes: 5
requires: {requires}
objectives: [Do a thing]
lessons:
  - title: L
    body: |
      {body}
quiz:
  pass_mark: 80
  questions:
{questions}"""


def messages(root: Path) -> list[str]:
    return [e.message for e in errors_of(root)]


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_duplicate_module_ids(course: Path) -> None:
    write_module(course, "extra", module())
    write_module(course, "copy", module())
    found = errors_of(course)
    assert any("module id 'extra' differs from the file name 'copy'" in e.message for e in found)
    assert any(e.message == "duplicate module id 'extra'" and e.path == "modules/extra.yml" for e in found), found


def test_duplicate_question_ids(course: Path) -> None:
    two = QUESTION.format(qid="q1", qtype="single", a="true", b="false") * 2
    path = write_module(course, "extra", module(questions=two))
    [error] = errors_of(course)
    assert error.message == "duplicate question id 'q1' in module 'extra'"
    assert error.line == [i for i, line in enumerate(path.read_text().splitlines(), 1) if "id: q1" in line][1]


@pytest.mark.parametrize(("a", "b", "count"), [("false", "false", 0), ("true", "true", 2)])
def test_single_choice_needs_exactly_one_correct(course: Path, a: str, b: str, count: int) -> None:
    path = write_module(course, "extra", module(questions=QUESTION.format(qid="q1", qtype="single", a=a, b=b)))
    [error] = errors_of(course)
    assert error.message == f"single-choice question 'q1' has {count} correct choices; it needs exactly one"
    assert error.line == line_of(path, "- text: A")


def test_multiple_choice_needs_a_correct_answer(course: Path) -> None:
    write_module(course, "extra", module(questions=QUESTION.format(qid="q1", qtype="multiple", a="false", b="false")))
    assert messages(course) == ["multiple-choice question 'q1' has no correct choice"]


def test_multiple_choice_with_two_correct_is_fine(course: Path) -> None:
    from coursegen.loader import load_course

    write_module(course, "extra", module(questions=QUESTION.format(qid="q1", qtype="multiple", a="true", b="true")))
    assert load_course(course / "modules", course).module("extra").quiz is not None


@pytest.mark.parametrize("mark", ["-1", "101"])
def test_pass_mark_outside_0_to_100(course: Path, mark: str) -> None:
    path = write_module(course, "extra", module().replace("pass_mark: 80", f"pass_mark: {mark}"))
    [error] = errors_of(course)
    assert "quiz.pass_mark" in error.message
    assert (error.line, error.column) == (line_of(path, "pass_mark"), 14)


def test_unknown_module_in_requires_suggests(course: Path) -> None:
    path = write_module(course, "extra", module(requires="[welcom]"))
    [error] = errors_of(course)
    assert error.message == "unknown module 'welcom' in requires"
    assert error.hint == "did you mean 'welcome'?"
    assert error.line == line_of(path, "requires")


def test_cycles_in_requires(course: Path) -> None:
    write_module(course, "extra", module(requires="[other]"))
    write_module(course, "other", module("other", requires="[extra]"))
    [error] = errors_of(course)
    assert error.message == "modules require each other in a cycle: extra -> other -> extra"


def test_unknown_audience(course: Path) -> None:
    path = write_module(course, "extra", module(audiences="[everyone, managers]"))
    [error] = errors_of(course)
    assert error.message == "unknown audience 'managers'"
    assert "everyone" in error.hint
    assert (error.line, error.column) == (line_of(path, "audiences"), 23)


@pytest.mark.parametrize("bad", ["../escape", "Upper", "a_b", "a--b", "x/y", ""])
def test_bad_slugs_are_refused(course: Path, bad: str) -> None:
    write_module(course, "extra", module().replace("id: extra", f"id: '{bad}'"))
    found = errors_of(course)
    assert any(e.message == f"id: '{bad}' is not a valid id" for e in found), found
    assert any("lower-case" in e.hint for e in found)


def test_bad_question_id_is_refused(course: Path) -> None:
    write_module(
        course, "extra", module(questions=QUESTION.format(qid="'../../x'", qtype="single", a="true", b="false"))
    )
    [error] = errors_of(course)
    assert error.message.startswith("quiz.questions[0].id:")


def test_module_order_names_missing_files(course: Path) -> None:
    text = (course / "modules" / "course.yml").read_text().replace("  - welcome\n", "  - welcome\n  - ghost\n")
    (course / "modules" / "course.yml").write_text(text)
    [error] = errors_of(course)
    assert error.message == "no module file for 'ghost'"
    assert "coursegen new ghost" in error.hint


def test_module_not_in_order_is_reported(course: Path) -> None:
    (course / "modules" / "extra.yml").write_text(module())
    [error] = errors_of(course)
    assert error.message == "module 'extra' is not listed in course.yml"


def test_true_false_rules(course: Path) -> None:
    questions = """\
    - id: tf
      type: true_false
      prompt: Sky is blue.
      answer: true
      true_feedback: Yes.
      explanation: Look up.
"""
    write_module(course, "extra", module(questions=questions))
    assert messages(course) == ["true_false question 'tf' needs 'false_feedback'"]


def test_unsafe_resource_link(course: Path) -> None:
    text = module() + "resources:\n  - title: R\n    url: javascript:alert(1)\n"
    write_module(course, "extra", text)
    [error] = errors_of(course)
    assert error.message == "links must be https://, http://, mailto: or tel:, not 'javascript:'"


def test_script_in_lesson_body_is_refused_at_its_column(course: Path) -> None:
    path = write_module(course, "extra", module(body="Hello <script>alert(1)</script>"))
    found = errors_of(course)
    assert found[0].line == line_of(path, "Hello <script>")
    assert found[0].column == 13
    assert "raw HTML '<script>'" in found[0].message


def test_a_long_requires_chain_is_checked_without_a_traceback() -> None:
    """Issue #16: the cycle search is iterative, so a chain deeper than Python's stack is fine."""
    from coursegen.validate import _find_cycle

    chain = {f"m{i}": [f"m{i + 1}"] for i in range(5000)}
    assert _find_cycle(chain) is None
    chain["m5000"] = ["m2500"]
    cycle = _find_cycle(chain)
    assert cycle is not None and cycle[0] == cycle[-1] == "m2500" and len(cycle) == 2502


# --- ordering, matching, short_answer (issue #14) ------------------------------------------------

ORDERING = """\
    - id: steps
      type: ordering
      prompt: Put these in order.
      items:
{items}
      explanation: Source.
"""

MATCHING = """\
    - id: signs
      type: matching
      prompt: Match each sign to a role.
      pairs:
{pairs}
      distractors: {distractors}
      explanation: Source.
"""

SHORT = """\
    - id: number
      type: short_answer
      prompt: What number do you call?
      accepted: {accepted}
      wrong_answers:
{wrong}
      explanation: Source.
"""


def _lines(*texts: str) -> str:
    return "".join(f"        - {text}\n" for text in texts)


def _pairs(*pairs: tuple[str, str]) -> str:
    return "".join(f"        - item: {item}\n          match: {match}\n" for item, match in pairs)


def _wrong(*answers: str) -> str:
    return "".join(f"        - answer: '{answer}'\n          feedback: Not that one.\n" for answer in answers)


def _error_at(course: Path, path: Path, needle: str) -> tuple[str, str]:
    """The only error of the course, which must be on the line holding ``needle``."""
    [error] = errors_of(course)
    assert error.line == line_of(path, needle), error
    return error.message, error.hint


def test_valid_questions_of_the_new_types_load(course: Path) -> None:
    from coursegen.loader import load_course

    questions = ORDERING.format(items=_lines("Notice", "Note", "Report"))
    questions += MATCHING.format(
        pairs=_pairs(("Sign one", "Housekeeping"), ("Sign two", "Housekeeping")), distractors="[Parking]"
    )
    questions += SHORT.format(accepted="['911', 'call 911*']", wrong=_wrong("*hotline*"))
    write_module(course, "extra", module(questions=questions))
    quiz = load_course(course / "modules", course).module("extra").quiz
    assert quiz is not None and [q.type for q in quiz.questions] == ["ordering", "matching", "short_answer"]


@pytest.mark.parametrize(
    ("qtype", "field", "value", "owners"),
    [
        ("ordering", "choices", "[{text: A, feedback: f}]", "single and multiple"),
        ("matching", "items", "[A, B]", "ordering"),
        ("short_answer", "pairs", "[{item: A, match: B}]", "matching"),
        ("single", "accepted", "['911']", "short_answer"),
        ("multiple", "items", "[A, B]", "ordering"),
        ("true_false", "distractors", "[X]", "matching"),
        ("single", "correct_feedback", "Right.", "ordering, matching and short_answer"),
        ("ordering", "steps", "[]", "scenario"),
    ],
)
def test_a_field_of_another_type_is_an_error_naming_the_key(
    course: Path, qtype: str, field: str, value: str, owners: str
) -> None:
    base = {
        "ordering": ORDERING.format(items=_lines("A", "B")),
        "matching": MATCHING.format(pairs=_pairs(("A", "X"), ("B", "Y")), distractors="[]"),
        "short_answer": SHORT.format(accepted="['911']", wrong=_wrong("112")),
        "single": QUESTION.format(qid="q1", qtype="single", a="true", b="false"),
        "multiple": QUESTION.format(qid="q1", qtype="multiple", a="true", b="false"),
        "true_false": "    - id: tf\n      type: true_false\n      prompt: P.\n      answer: true\n"
        "      true_feedback: T.\n      false_feedback: F.\n      explanation: E.\n",
    }[qtype]
    question = base.replace("      explanation:", f"      {field}: {value}\n      explanation:", 1)
    path = write_module(course, "extra", module(questions=question))
    message, hint = _error_at(course, path, f"      {field}: ")
    assert message == f"'{field}' is only for {owners} questions"
    assert hint.startswith("remove it; ")


@pytest.mark.parametrize(
    ("items", "message", "needle"),
    [
        (("Only one",), "ordering question 'steps' has 1 item; it needs at least 2", "items:"),
        (("Notice", "Report", "notice "), "item 'Notice' appears twice in ordering question 'steps'", "- notice"),
    ],
)
def test_ordering_needs_two_distinct_items(course: Path, items: tuple[str, ...], message: str, needle: str) -> None:
    path = write_module(course, "extra", module(questions=ORDERING.format(items=_lines(*items))))
    assert _error_at(course, path, needle)[0] == message


def test_ordering_without_items(course: Path) -> None:
    question = "    - id: steps\n      type: ordering\n      prompt: P.\n      explanation: E.\n"
    path = write_module(course, "extra", module(questions=question))
    message, hint = _error_at(course, path, "- id: steps")
    assert message == "ordering question 'steps' needs 'items'"
    assert "'items'" in hint


@pytest.mark.parametrize(
    ("pairs", "distractors", "message", "needle"),
    [
        (
            (("A sign", "Housekeeping"),),
            "[Parking]",
            "matching question 'signs' has 1 pair; it needs at least 2",
            "pairs:",
        ),
        (
            (("A sign", "Housekeeping"), ("a  sign", "Front desk")),
            "[]",
            "item 'A sign' appears twice in matching question 'signs'",
            "- item: a  sign",
        ),
        (
            (("One", "Housekeeping"), ("Two", "Housekeeping")),
            "[]",
            "matching question 'signs' has only one match to choose from ('Housekeeping')",
            "pairs:",
        ),
        (
            (("One", "Housekeeping"), ("Two", "housekeeping")),
            "[Parking]",
            "match 'housekeeping' is written differently from 'Housekeeping' in question 'signs'",
            "match: housekeeping",
        ),
        (
            (("One", "Housekeeping"), ("Two", "Front desk")),
            "[Parking, parking]",
            "distractor 'Parking' appears twice in question 'signs'",
            "distractors:",
        ),
        (
            (("One", "Housekeeping"), ("Two", "Front desk")),
            "[Front Desk]",
            "distractor 'Front Desk' is also the match of an item in question 'signs'",
            "distractors:",
        ),
    ],
)
def test_matching_rules(
    course: Path, pairs: tuple[tuple[str, str], ...], distractors: str, message: str, needle: str
) -> None:
    path = write_module(
        course, "extra", module(questions=MATCHING.format(pairs=_pairs(*pairs), distractors=distractors))
    )
    assert _error_at(course, path, needle)[0] == message


@pytest.mark.parametrize(
    ("accepted", "wrong", "message", "needle"),
    [
        ("[]", ("112",), "short_answer question 'number' has no accepted answer", "accepted:"),
        (
            "['911', '?!']",
            ("112",),
            "accepted answer '?!' is empty once case, punctuation and spaces are ignored",
            "accepted:",
        ),
        ("['* *']", ("112",), "accepted answer '* *' accepts any answer", "accepted:"),
        ("['911']", ("*",), "wrong answer '*' accepts any answer", "answer: '*'"),
        (
            "['call 911*']",
            ("Call 911, then the hotline",),
            "wrong answer 'Call 911, then the hotline' is also accepted (by 'call 911*')",
            "answer: 'Call",
        ),
        ("['*911*']", ("*911*now",), "wrong answer '*911*now' is also accepted (by '*911*')", "answer: '*911"),
        (
            "['Nine-one-one']",
            ("NINE-ONE-ONE!",),
            "wrong answer 'NINE-ONE-ONE!' is also accepted (by 'Nine-one-one')",
            "answer: 'NINE",
        ),
    ],
)
def test_short_answer_rules(course: Path, accepted: str, wrong: tuple[str, ...], message: str, needle: str) -> None:
    path = write_module(course, "extra", module(questions=SHORT.format(accepted=accepted, wrong=_wrong(*wrong))))
    assert _error_at(course, path, needle)[0] == message


def test_short_answer_wrong_answers_that_differ_are_fine(course: Path) -> None:
    from coursegen.loader import load_course

    question = SHORT.format(accepted="['911', 'call 911*']", wrong=_wrong("*hotline*", "112", "call 91"))
    write_module(course, "extra", module(questions=question))
    assert load_course(course / "modules", course).module("extra").quiz is not None


def test_a_pattern_of_many_stars_is_checked_in_linear_time() -> None:
    """No regular expressions and no backtracking: a pathological pattern against a long answer
    is decided well under a second."""
    import time

    from coursegen.answers import answer_matches

    pattern = "*a" * 1000 + "*b"
    answer = "a" * 5000
    started = time.perf_counter()
    assert not answer_matches(pattern, answer)
    assert answer_matches(pattern, answer + "b")
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    ("pattern", "answer", "expected"),
    [
        ("911", " 911. ", True),
        ("Nine one one", "NINE  one\tone!", True),
        ("call 911*", "Call 911 right away", True),
        ("call 911*", "I would call 911", False),
        ("*hotline*", "The Hotline, first", True),
        ("*hotline*", "hot line", False),
        ("a*b*c", "abc", True),
        ("a*b*c", "acb", False),
        ("ﬁre", "FIRE", True),  # NFKC: the ligature is two letters
        ("９１１", "911", True),  # NFKC: full-width digits
        ("don't", "dont", True),
        ("*", "", True),
    ],
)
def test_answer_matching(pattern: str, answer: str, expected: bool) -> None:
    from coursegen.answers import answer_matches

    assert answer_matches(pattern, answer) is expected


def _quiz_with(settings: str) -> str:
    """The test module with these lines added at the top of its quiz."""
    return module().replace("quiz:\n  pass_mark: 80\n", "quiz:\n" + settings + "  pass_mark: 80\n")


@pytest.mark.parametrize("name", ["max_attempts", "wait_minutes"])
def test_attempt_settings_only_in_exam_mode(course: Path, name: str) -> None:
    path = write_module(course, "extra", _quiz_with(f"  {name}: 3\n"))
    [error] = errors_of(course)
    assert error.message == f"'{name}' works only in exam mode"
    assert error.hint == f"add 'mode: exam' to the quiz, or remove '{name}'"
    assert (error.path, error.line, error.column) == ("modules/extra.yml", line_of(path, f"{name}: 3"), 3)


def test_exam_settings_are_accepted(course: Path) -> None:
    write_module(course, "extra", _quiz_with("  mode: exam\n  max_attempts: 2\n  wait_minutes: 60\n"))
    from coursegen.loader import load_course

    quiz = load_course(course / "modules", course).module("extra").quiz
    assert quiz is not None and (quiz.mode, quiz.max_attempts, quiz.wait_minutes) == ("exam", 2, 60)


def test_a_wait_after_the_only_attempt_is_refused(course: Path) -> None:
    path = write_module(course, "extra", _quiz_with("  mode: exam\n  max_attempts: 1\n  wait_minutes: 60\n"))
    [error] = errors_of(course)
    assert "'wait_minutes' has no effect with 'max_attempts: 1'" in error.message
    assert error.hint == "remove 'wait_minutes', or allow more than one attempt"
    assert error.line == line_of(path, "wait_minutes: 60")


@pytest.mark.parametrize(("line", "field"), [("mode: final", "quiz.mode"), ("max_attempts: 0", "quiz.max_attempts")])
def test_bad_exam_values_are_located(course: Path, line: str, field: str) -> None:
    path = write_module(
        course, "extra", _quiz_with(f"  mode: exam\n  {line}\n" if "mode" not in line else f"  {line}\n")
    )
    [error] = errors_of(course)
    assert error.message.startswith(f"{field}:"), error.message
    assert error.line == line_of(path, line)


def test_exam_mode_is_only_for_the_quiz(course: Path) -> None:
    path = write_module(course, "extra", module().replace("      Hi.\n", "      Hi.\n    mode: exam\n"))
    [error] = errors_of(course)
    assert error.message == "unknown key 'mode' in lessons[0]" and error.line == line_of(path, "mode: exam")


def test_a_body_markdown_cannot_convert_is_an_error_in_place_not_a_traceback(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An extension that raises on odd input (seen with footnotes in an HTML block) gives a located
    error, as the build would fail on the same body."""
    import markdown

    import coursegen.links

    real = markdown.Markdown.convert

    def fragile(self: markdown.Markdown, source: str) -> str:
        if "Fragile" in source:
            raise ValueError("list.remove(x): x not in list")
        return real(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", fragile)
    coursegen.links.converted.cache_clear()
    module = course / "modules" / "welcome.yml"
    module.write_text(module.read_text().replace("Each module has", "Fragile [link](#x). Each module has"))
    errors = errors_of(course)
    assert [(e.message.split(" (")[0], e.path.endswith("welcome.yml")) for e in errors] == [
        ("Markdown could not convert this body", True)
    ]
    assert "ValueError" in errors[0].message and errors[0].line > 1
