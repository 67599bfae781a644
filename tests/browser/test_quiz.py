"""Quizzes as a learner takes them: choose answers by their labels, check, read the feedback."""

from __future__ import annotations

import json
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
    full_marks_text,
    listed_questions,
    norm,
    option,
    pass_text,
    question_group,
    quiz_form,
    right_texts,
    score,
    status,
    submit,
    submit_anyway,
    wrong_texts,
)

pytestmark = pytest.mark.browser

PASSED = "You passed this quiz."
NOT_PASSED = "Not passed yet: read the feedback, then choose Try again."
WRONG = "Not quite. Read the feedback on your answer and the explanation below."
ANSWER_PANEL = "Answer and explanation"


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
    expect(listed_questions(form), "all correct: nothing to review").to_have_count(0)
    for number, question in enumerate(questions, start=1):
        group = question_group(form, number, question)
        expect(group.get_by_text("Correct.", exact=True)).to_be_visible()
        for text in right_texts(question):
            expect_feedback(page, group, question, text, right=True)
            expect(option(group, question, text)).to_be_checked()
        expect(group.get_by_text(norm(question.explanation), exact=True)).to_be_visible()
    # Checked: the answers and the button are locked until the learner chooses Try again.
    expect(form.get_by_role("radio").first).to_be_disabled()
    expect(form.get_by_role("button", name="Check my answers")).to_be_disabled()
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

    expect(score(form)).to_have_text(f"{pass_text(33, 1, 3, module.quiz.pass_mark)} {NOT_PASSED}")
    expect(listed_questions(form)).to_have_text([f"1. {norm(single.prompt)}", f"3. {norm(true_false.prompt)}"])
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
    submit_anyway(form, 2, 3)
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
    submit_anyway(form, 2, 3)
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
    submit_anyway(form, 2, 3)
    expect(group.get_by_text(WRONG, exact=True)).to_be_visible()
    expect_feedback(page, group, true_false, "False", right=False)

    form.get_by_role("button", name="Try again").click()
    choose(form, 3, true_false, ["True"])
    submit_anyway(form, 2, 3)
    expect(group.get_by_text("Correct.", exact=True)).to_be_visible()
    expect_feedback(page, group, true_false, "True", right=True)


def stored_attempts(page: Page, form) -> int:  # noqa: ANN001 - a Locator
    """How many attempts the browser has recorded for this quiz (0: none)."""
    key = form.get_attribute("data-key")
    raw = page.evaluate("(key) => window.localStorage.getItem(key)", key)
    return 0 if raw is None else json.loads(raw)["attempts"]


def test_nothing_answered_is_not_checked_or_counted(page: Page, starter: Site) -> None:
    module, questions = welcome(starter)
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    check = form.get_by_role("button", name="Check my answers")
    for _ in range(2):
        submit(form)
        expect(score(form)).to_have_text(
            "You have not chosen any answers yet. Choose an answer for each of the 3 questions, "
            "then choose Check my answers."
        )
        expect(status(form)).to_be_focused()
    # Nothing was checked, revealed or recorded; the quiz is still open.
    expect(status(form)).not_to_contain_text("You scored")
    expect(form.get_by_text(ANSWER_PANEL, exact=True)).to_have_count(len(questions))
    for panel in form.get_by_text(ANSWER_PANEL, exact=True).all():
        expect(panel).to_be_hidden()
    expect(check).to_be_enabled()
    expect(form.get_by_role("button", name="Try again")).to_be_hidden()
    assert stored_attempts(page, form) == 0
    expect(page.get_by_role("main").get_by_text("Not started", exact=True)).to_be_visible()


def test_unanswered_questions_are_asked_about_first(page: Page, starter: Site) -> None:
    """A quiz with questions left open: the first press says how many and links to them; the
    second press checks; changing an answer in between asks again."""
    module, questions = welcome(starter)
    single, multiple, true_false = questions
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    choose(form, 2, multiple, right_texts(multiple))
    submit(form)
    expect(score(form)).to_have_text(
        "2 of 3 questions are not answered yet. Answer them, or choose Check my answers again to check "
        "anyway: a question without an answer counts as wrong."
    )
    expect(listed_questions(form)).to_have_text([f"1. {norm(single.prompt)}", f"3. {norm(true_false.prompt)}"])
    expect(status(form)).to_be_focused()
    assert stored_attempts(page, form) == 0
    expect(form.get_by_role("radio").first).to_be_enabled()
    # The link takes the learner to the question, in the same page: the answer given stays.
    listed_questions(form).first.click()
    first = question_group(form, 1, single)
    expect(first).to_be_in_viewport()
    expect(first).to_be_focused()
    expect(option(question_group(form, 2, multiple), multiple, right_texts(multiple)[0])).to_be_checked()

    # Answering one more and pressing again asks again, about the one left.
    choose(form, 1, single, right_texts(single))
    submit(form)
    expect(score(form)).to_contain_text("1 of 3 questions is not answered yet. Answer it, or choose")
    expect(listed_questions(form)).to_have_text([f"3. {norm(true_false.prompt)}"])
    assert stored_attempts(page, form) == 0

    # Pressing again checks: the open question counts as wrong, and it is one attempt.
    submit(form)
    expect(score(form)).to_have_text(
        f"{pass_text(67, 2, 3, module.quiz.pass_mark)} {NOT_PASSED} 1 question was not answered."
    )
    group = question_group(form, 3, true_false)
    expect(group.get_by_text("No answer chosen. The right answer and explanation are below.")).to_be_visible()
    assert stored_attempts(page, form) == 1


def test_checking_again_needs_try_again(page: Page, starter: Site) -> None:
    """After checking, the button is disabled: pressing Enter or submitting the form again does
    not count another attempt."""
    module, questions = welcome(starter)
    page.goto(starter.module_url(module))
    form = quiz_form(page, module)
    answer_all(form, questions)
    submit(form)
    expect(status(form)).to_contain_text(PASSED)
    check = form.get_by_role("button", name="Check my answers")
    expect(check).to_be_disabled()
    form.evaluate("form => form.requestSubmit()")
    form.evaluate("form => form.dispatchEvent(new Event('submit', {cancelable: true}))")
    assert stored_attempts(page, form) == 1
    expect(status(form)).not_to_contain_text("Your best score")
    form.get_by_role("button", name="Try again").click()
    expect(check).to_be_enabled()
    answer_all(form, questions)
    submit(form)
    expect(status(form)).to_contain_text("Your best score: 100%.")
    assert stored_attempts(page, form) == 2


def test_answers_appear_only_after_checking(page: Page, any_site: Site) -> None:
    """With JavaScript on, no question's answer can be opened before it is checked; checking one
    form reveals the answers of that form only."""
    module = any_site.quizzed_modules()[0]
    page.goto(any_site.module_url(module))
    form = quiz_form(page, module)
    main = page.get_by_role("main")
    panels = main.get_by_text(ANSWER_PANEL, exact=True)
    expect(panels).to_have_count(len(module.questions()))
    for panel in panels.all():
        expect(panel).to_be_hidden()
    expect(main.get_by_text("Correct:", exact=True).filter(visible=True)).to_have_count(0)
    answer_all(form, module.quiz.questions, right=False)
    submit(form)
    expect(status(form)).to_contain_text("You scored")
    for number, question in enumerate(module.quiz.questions, start=1):
        group = question_group(form, number, question)
        expect(group.get_by_text(ANSWER_PANEL, exact=True)).to_be_visible()
        expect(group.get_by_text(norm(question.explanation), exact=True)).to_be_visible()
    for check_form, _ in check_forms(page, module):
        for panel in check_form.get_by_text(ANSWER_PANEL, exact=True).all():
            expect(panel).to_be_hidden()
    # Try again hides them again.
    form.get_by_role("button", name="Try again").click()
    for panel in form.get_by_text(ANSWER_PANEL, exact=True).all():
        expect(panel).to_be_hidden()


def test_result_lists_the_questions_to_review_where_the_learner_lands(page: Page, flagship: Site) -> None:
    """On a long quiz the result (score and links to the questions to review) is focused and in
    view after checking, and each link leads to its question."""
    module = max(flagship.quizzed_modules(), key=lambda m: len(m.quiz.questions))
    questions = list(module.quiz.questions)
    page.goto(flagship.module_url(module))
    form = quiz_form(page, module)
    wrong = {1, len(questions)}
    for number, question in enumerate(questions, start=1):
        answer_all(form, [question], right=number not in wrong, start=number)
    submit(form)
    result = status(form)
    expect(score(form)).to_contain_text("You scored")
    expect(result).to_be_focused()
    expect(result).to_be_in_viewport(ratio=1)
    expect(listed_questions(form)).to_have_text([f"{n}. {norm(questions[n - 1].prompt)}" for n in sorted(wrong)])
    listed_questions(form).first.click()
    first = question_group(form, 1, questions[0])
    expect(first).to_be_focused()
    expect(first.get_by_text(WRONG, exact=True)).to_be_in_viewport()
    expect(status(form), "the checked quiz is still there").to_contain_text("You scored")


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
            expect(status(form), f"{module.id}: quiz").to_have_text(f"{full_marks_text(module.quiz)} {PASSED}")


def test_flagship_wrong_answers_fail_with_feedback(page: Page, flagship: Site) -> None:
    module = flagship.quizzed_modules()[0]
    page.goto(flagship.module_url(module))
    form = quiz_form(page, module)
    answer_all(form, module.quiz.questions, right=False)
    submit(form)
    n = len(module.quiz.questions)
    expect(score(form)).to_have_text(f"{pass_text(0, 0, n, module.quiz.pass_mark)} {NOT_PASSED}")
    expect(listed_questions(form)).to_have_count(n)
    for number, question in enumerate(module.quiz.questions, start=1):
        group = question_group(form, number, question)
        expect_feedback(page, group, question, wrong_texts(question)[0], right=False)
