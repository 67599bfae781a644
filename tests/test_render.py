"""Rendering decisions a learner notices: mixed answer order, inert text."""

from __future__ import annotations

from coursegen.model import Question
from coursegen.render import md_text


def question(shuffle: bool = True) -> Question:
    choices = [{"text": f"Choice {i}", "correct": i == 0, "feedback": "Because."} for i in range(4)]
    return Question(id="q", type="single", prompt="P", choices=choices, explanation="E", shuffle=shuffle)


def test_choices_are_mixed_the_same_way_every_time() -> None:
    order = [i for i, _ in question().display_order()]
    assert sorted(order) == [0, 1, 2, 3]
    assert order != [0, 1, 2, 3]
    assert order == [i for i, _ in question().display_order()]


def test_shuffle_false_keeps_the_written_order() -> None:
    assert [i for i, _ in question(shuffle=False).display_order()] == [0, 1, 2, 3]


def test_right_answer_is_not_always_first_in_the_flagship() -> None:
    from pathlib import Path

    from coursegen.loader import load_course

    root = Path(__file__).resolve().parent.parent
    positions = [
        shown
        for module in load_course(root / "modules", root).modules
        for q in module.questions()
        if q.type == "single"
        for shown, (_, choice) in enumerate(q.display_order())
        if choice.correct
    ]
    assert positions.count(0) < len(positions) / 2


def test_markdown_text_is_inert() -> None:
    assert (
        str(md_text("*a* <b> {{ x }} [l](u)"))
        == "&#42;a&#42; &#60;b&#62; &#123;&#123; x &#125;&#125; &#91;l&#93;&#40;u&#41;"
    )
    assert str(md_text("right\u202eleft")) == "rightleft"
    assert str(md_text("two\n\nparagraphs")) == "two paragraphs"


def test_lesson_headings_nest_under_the_lesson_title() -> None:
    from coursegen.render import nest_headings

    body = "# Big\n\ntext\n\n## Smaller\n\n```\n# not a heading\n```\n"
    assert str(nest_headings(body)) == "### Big\n\ntext\n\n#### Smaller\n\n```\n# not a heading\n```"
    assert str(nest_headings("### Already\n")) == "### Already"


def test_saved_results_stay_valid_when_coursegen_adds_question_fields() -> None:
    """Progress keys on the quiz hash; upgrading coursegen (new optional fields such as points,
    mode or items) must not make learners' saved results look stale. a79454fb0d9a is this quiz's
    hash as computed by coursegen before issue #14."""
    from coursegen.model import Quiz

    quiz = Quiz.model_validate(
        {
            "pass_mark": 70,
            "questions": [
                {
                    "id": "a",
                    "type": "single",
                    "prompt": "P?",
                    "explanation": "E.",
                    "choices": [{"text": "x", "correct": True, "feedback": "f"}, {"text": "y", "feedback": "g"}],
                },
                {
                    "id": "b",
                    "type": "true_false",
                    "prompt": "Q?",
                    "explanation": "E.",
                    "answer": False,
                    "true_feedback": "t",
                    "false_feedback": "f",
                },
            ],
        }
    )
    assert quiz.content_hash() == "a79454fb0d9a"
    weighted = quiz.model_copy(update={"mode": "exam"})
    assert weighted.content_hash() != "a79454fb0d9a"


def test_ordering_steps_never_start_in_the_right_order() -> None:
    """Without JavaScript the build's order is what learners see: mixed, and never already right
    (with two steps that means always swapped)."""
    from coursegen.questiontypes import ordering_display

    for n in (2, 3, 5):
        for qid in (f"q{i}" for i in range(40)):
            items = [f"Step {i}" for i in range(n)]
            q = Question(id=qid, type="ordering", prompt="P", items=items, explanation="E")
            shown = ordering_display(q)
            assert sorted(shown) == list(enumerate(items))
            assert [i for i, _ in shown] != list(range(n)), (qid, n)
            assert shown == ordering_display(q)


def test_matching_lists_are_mixed_unless_shuffle_is_false() -> None:
    from coursegen.questiontypes import matching_display

    pairs = [{"item": f"Sign {i}", "match": f"Role {i % 3}"} for i in range(6)]
    q = Question(id="m", type="matching", prompt="P", pairs=pairs, distractors=["Nobody"], explanation="E")
    written = list(enumerate(["Role 0", "Role 1", "Role 2", "Nobody"]))
    assert sorted(matching_display(q)) == written and matching_display(q) != written
    assert matching_display(q.model_copy(update={"shuffle": False})) == written


def test_new_question_types_keep_author_text_inert() -> None:
    """Steps, items, matches and accepted answers are text wherever they land, in element content
    and in attributes (the Move buttons' names, data-accepted, data-answer)."""
    import json

    import html5lib

    from coursegen.model import Course, LoadedCourse, Module
    from coursegen.render import render_pages

    evil = "<img src=x onerror=alert(1)> \"quoted\" 'single' & {{ x }}"
    questions = [
        {"id": "o", "type": "ordering", "prompt": "P", "items": [evil, "Second"], "explanation": "E"},
        {
            "id": "m",
            "type": "matching",
            "prompt": "P",
            "pairs": [{"item": evil, "match": evil, "feedback": evil}, {"item": "B", "match": "Other"}],
            "explanation": "E",
        },
        {
            "id": "s",
            "type": "short_answer",
            "prompt": "P",
            "accepted": [evil],
            "wrong_answers": [{"answer": evil + "*", "feedback": evil}],
            "explanation": "E",
        },
    ]
    module = Module.model_validate(
        {
            "id": "m1",
            "title": "T",
            "summary": "S",
            "duration_minutes": 5,
            "objectives": ["O"],
            "lessons": [{"title": "L", "body": "B"}],
            "quiz": {"questions": questions},
        }
    )
    course = Course(id="c", title="C", description="D")
    page = next(p for p in render_pages(LoadedCourse(course=course, modules=[module])) if p.path == "modules/m1.md")
    tree = html5lib.parse(page.content, namespaceHTMLElements=False)
    assert not list(tree.iter("img"))
    buttons = [b.get("aria-label") for b in tree.iter("button") if b.get("data-move")]
    assert f"Move up: {evil}" in buttons
    options = [o.text for o in tree.iter("option")]
    assert evil in options
    field = next(i for i in tree.iter("input") if i.get("type") == "text")
    assert json.loads(field.get("data-accepted")) == [evil]
    assert [p.get("data-answer") for p in tree.iter("p") if p.get("data-when") == "wrong"] == [evil + "*"]
