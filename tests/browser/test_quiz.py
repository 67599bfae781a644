"""Quizzes as a learner takes them: choose answers by their labels, check, read the feedback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .support import (
    Site,
    answer_all,
    check_forms,
    choice_item,
    choose,
    feedback_of,
    norm,
    option,
    pass_text,
    question_group,
    quiz_form,
    right_texts,
    status,
    submit,
    wrong_texts,
)

pytestmark = pytest.mark.browser

PASSED = "You passed this quiz."
NOT_PASSED = "Not passed yet: read the feedback, then choose Try again."
WRONG = "Not quite. Read the feedback on your answer and the explanation below."


def welcome(site: Site):
    module = site.course.module("welcome")
    assert module.quiz is not None
    return module, module.quiz.questions


def expect_feedback(page: Page, group, question, text: str, *, right: bool) -> None:
    """The chosen answer shows its own feedback, labelled, and it describes the answer."""
    choice = option(group, question, text)
    item = choice_item(group, question, text)
    feedback = feedback_of(question, text)
    expect(item.get_by_text(feedback, exact=True)).to_be_visible()
    label = "Correct:" if right else "Not correct:"
    expect(choice).to_have_accessible_description(re.compile(r"^\s*" + re.escape(label) + r"\s*" + re.escape(feedback)))


def test_all_correct_passes(page: Page, starter: Site) -> None:
    module, questions = welcome(starter)
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    # The live region is rendered (empty) before there is anything to announce, or screen
    # readers may miss the result; "Try again" only appears once there is something to retry.
    expect(status(form), "the quiz's status region is missing or not rendered").to_have_text("")
    expect(form.get_by_role("button", name="Try again")).to_be_hidden()
    answer_all(form, questions)
    submit(form)

    n = len(questions)
    expect(status(form)).to_have_text(f"{pass_text(100, n, n, module.quiz.pass_mark)} {PASSED}")
    for number, question in enumerate(questions, start=1):
        group = question_group(form, number, question)
        expect(group.get_by_text("Correct.", exact=True)).to_be_visible()
        for text in right_texts(question):
            expect_feedback(page, group, question, text, right=True)
            expect(option(group, question, text)).to_be_checked()
        expect(group.get_by_text(norm(question.explanation), exact=True)).to_be_visible()
    # Checked: the answers are locked until the learner chooses Try again.
    expect(form.get_by_role("radio").first).to_be_disabled()
    expect(form.get_by_role("button", name="Try again")).to_be_visible()


def test_some_wrong_gives_feedback_on_each_choice_score_fail_and_try_again(page: Page, starter: Site) -> None:
    module, questions = welcome(starter)
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    single, multiple, true_false = questions
    chosen = {
        1: wrong_texts(single)[:1],
        2: right_texts(multiple),
        3: wrong_texts(true_false),
    }
    for number, question in enumerate(questions, start=1):
        choose(form, number, question, chosen[number])
    submit(form)

    expect(status(form)).to_have_text(f"{pass_text(33, 1, 3, module.quiz.pass_mark)} {NOT_PASSED}")
    for number, question in enumerate(questions, start=1):
        group = question_group(form, number, question)
        verdict = "Correct." if number == 2 else WRONG
        expect(group.get_by_text(verdict, exact=True)).to_be_visible()
        for text in chosen[number]:
            expect_feedback(page, group, question, text, right=number == 2)
        for text in (c.text for c in question.options() if c.text not in chosen[number]):
            item = choice_item(group, question, text)
            expect(item.get_by_text(feedback_of(question, text), exact=True)).to_be_hidden()
            expect(option(group, question, text)).to_have_accessible_description("")

    retry = form.get_by_role("button", name="Try again")
    retry.click()
    expect(status(form)).to_have_text("")
    expect(retry).to_be_hidden()
    first_group = question_group(form, 1, single)
    expect(first_group.get_by_role("radio").first).to_be_focused()
    for number, question in enumerate(questions, start=1):
        group = question_group(form, number, question)
        for choice in group.get_by_role("checkbox").all() + group.get_by_role("radio").all():
            expect(choice).not_to_be_checked()
            expect(choice).to_be_enabled()
        expect(group.get_by_text(WRONG, exact=True)).to_be_hidden()

    answer_all(form, questions)
    submit(form)
    expect(status(form)).to_contain_text(PASSED)
    expect(status(form)).to_contain_text("Your best score: 100%.")


def test_multiple_choice_partly_right(page: Page, starter: Site) -> None:
    module, questions = welcome(starter)
    multiple = questions[1]
    assert multiple.type == "multiple" and len(right_texts(multiple)) == 2
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    group = question_group(form, 2, multiple)
    expect(group.get_by_text("Choose all that apply.")).to_be_visible()

    # One right answer and one wrong one.
    one_right, wrong = right_texts(multiple)[0], wrong_texts(multiple)[0]
    choose(form, 2, multiple, [one_right, wrong])
    submit(form)
    expect(
        group.get_by_text("Partly right: you chose 1 of 2 correct answers and 1 that is not correct.")
    ).to_be_visible()
    expect_feedback(page, group, multiple, one_right, right=True)
    expect_feedback(page, group, multiple, wrong, right=False)
    expect(status(form)).to_contain_text("You scored 0% (0 of 3 correct).")
    expect(status(form)).to_contain_text("2 questions were not answered.")

    # Only one of the two right answers: still not counted as correct.
    form.get_by_role("button", name="Try again").click()
    choose(form, 2, multiple, [one_right])
    submit(form)
    expect(group.get_by_text("Partly right: you chose 1 of 2 correct answers.", exact=True)).to_be_visible()
    expect(status(form)).to_contain_text("You scored 0% (0 of 3 correct).")


def test_true_false(page: Page, starter: Site) -> None:
    module, questions = welcome(starter)
    true_false = questions[2]
    assert true_false.type == "true_false" and true_false.answer is True
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    group = question_group(form, 3, true_false)
    expect(group.get_by_text("Choose true or false.")).to_be_visible()
    expect(group.get_by_role("radio")).to_have_count(2)

    choose(form, 3, true_false, ["False"])
    submit(form)
    expect(group.get_by_text(WRONG, exact=True)).to_be_visible()
    expect_feedback(page, group, true_false, "False", right=False)

    form.get_by_role("button", name="Try again").click()
    choose(form, 3, true_false, ["True"])
    submit(form)
    expect(group.get_by_text("Correct.", exact=True)).to_be_visible()
    expect_feedback(page, group, true_false, "True", right=True)


def test_nothing_answered(page: Page, starter: Site) -> None:
    module, questions = welcome(starter)
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    submit(form)
    expect(status(form)).to_contain_text("You scored 0% (0 of 3 correct).")
    expect(status(form)).to_contain_text("3 questions were not answered.")
    group = question_group(form, 1, questions[0])
    expect(group.get_by_text("No answer chosen. The right answer and explanation are below.")).to_be_visible()


def test_feedback_is_not_read_out_before_checking(page: Page, any_site: Site) -> None:
    """Feedback says "Right." or "No." — a screen reader must not hear it while the learner
    is still choosing (it was the accessible description of every answer from the start)."""
    module = any_site.quizzed_modules()[0]
    page.goto(any_site.module_url(module))
    form = quiz_form(page, module)
    for number, question in enumerate(module.quiz.questions, start=1):
        group = question_group(form, number, question)
        for choice in question.options():
            expect(option(group, question, choice.text)).to_have_accessible_description("")


def test_knowledge_check(page: Page, starter: Site) -> None:
    module = starter.course.module("welcome")
    page.goto(starter.module_url(module))
    [(form, checks)] = check_forms(page, module)
    answer_all(form, checks, right=False)
    submit(form)
    expect(status(form)).to_have_text(f"0 of {len(checks)} correct. Read the feedback and try again if you like.")
    form.get_by_role("button", name="Try again").click()
    answer_all(form, checks)
    submit(form)
    expect(status(form)).to_have_text("All correct. Well done.")


def test_flagship_every_quiz_and_check_all_correct(page: Page, flagship: Site) -> None:
    """Every knowledge check and quiz of the flagship course passes with its right answers."""
    for module in flagship.course.modules:
        page.goto(flagship.module_url(module))
        for form, checks in check_forms(page, module):
            answer_all(form, checks)
            submit(form)
            expect(status(form), f"{module.id}: knowledge check").to_have_text("All correct. Well done.")
        if module.quiz:
            form = quiz_form(page, module)
            answer_all(form, module.quiz.questions)
            submit(form)
            n = len(module.quiz.questions)
            expect(status(form), f"{module.id}: quiz").to_have_text(
                f"{pass_text(100, n, n, module.quiz.pass_mark)} {PASSED}"
            )


def test_flagship_wrong_answers_fail_with_feedback(page: Page, flagship: Site) -> None:
    module = flagship.quizzed_modules()[0]
    page.goto(flagship.module_url(module))
    form = quiz_form(page, module)
    answer_all(form, module.quiz.questions, right=False)
    submit(form)
    n = len(module.quiz.questions)
    expect(status(form)).to_have_text(f"{pass_text(0, 0, n, module.quiz.pass_mark)} {NOT_PASSED}")
    for number, question in enumerate(module.quiz.questions, start=1):
        group = question_group(form, number, question)
        expect_feedback(page, group, question, wrong_texts(question)[0], right=False)
