"""With JavaScript off every question, answer, feedback and explanation can still be read."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .support import Site, check_forms, norm, option, question_group, quiz_form

pytestmark = pytest.mark.browser


def test_every_question_answer_and_explanation_readable_without_javascript(open_tab, any_site: Site) -> None:
    page = open_tab(javascript=False).page
    for module in any_site.course.modules:
        page.goto(any_site.module_url(module))
        forms = check_forms(page, module)
        if module.quiz:
            forms.append((quiz_form(page, module), list(module.quiz.questions)))
        for form, questions in forms:
            # Nothing that needs the script is offered: no button that could not check anything.
            expect(form.get_by_role("button")).to_have_count(0)
            for number, question in enumerate(questions, start=1):
                where = f"{module.id}, question {question.id}"
                group = question_group(form, number, question)
                expect(group, where).to_be_visible()
                for choice in question.options():
                    expect(option(group, question, choice.text), where).to_be_visible()
                group.get_by_text("Answer and explanation", exact=True).click()
                shown = norm(group.inner_text())
                for choice in question.options():
                    verdict = "Correct:" if choice.correct else "Not correct:"
                    expected = f"{verdict} {norm(choice.text)} — {norm(choice.feedback)}"
                    assert expected in shown, f"{where}: {expected!r} is not shown"
                assert norm(question.explanation) in shown, f"{where}: the explanation is not shown"
