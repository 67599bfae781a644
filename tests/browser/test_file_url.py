"""A course opened straight from disk (file://), as a trainer does with a copied site folder:
Material's document$ never fires there, so the quiz must still start on its own."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .support import Site, answer_all, quiz_form, score, submit

pytestmark = pytest.mark.browser


def test_quiz_works_when_the_site_is_opened_from_disk(open_tab, starter: Site) -> None:
    module = next(m for m in starter.course.modules if m.quiz)
    assert module.quiz is not None
    page = open_tab().page
    page.goto((starter.root / "modules" / module.id / "index.html").as_uri())
    form = quiz_form(page, module)
    questions = list(module.quiz.questions)
    answer_all(form, questions)
    submit(form)
    expect(score(form)).to_contain_text("100%")
