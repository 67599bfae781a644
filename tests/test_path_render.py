"""Lesson content hashes, the course map and the role chooser: what a learner's "read" marks and knowledge-check
answers are keyed on (assets/path.js), so an edited lesson starts unread."""

from __future__ import annotations

from pathlib import Path

import html5lib

from coursegen.coursemap import course_map
from coursegen.loader import load_course
from coursegen.model import Audience, Lesson, LoadedCourse
from coursegen.render import progress_key, render_pages

REPO = Path(__file__).resolve().parents[1]

CHECK = {
    "id": "check-one",
    "type": "true_false",
    "prompt": "Progress stays in this browser.",
    "answer": True,
    "true_feedback": "Right.",
    "false_feedback": "Not quite.",
    "explanation": "It is kept in the browser's storage.",
}


def lesson(**changes: object) -> Lesson:
    data: dict[str, object] = {"title": "Why it matters", "body": "Some text.\n", "checks": [CHECK]}
    data.update(changes)
    return Lesson.model_validate(data)


def test_the_hash_is_short_hex_and_the_same_on_every_build() -> None:
    first = lesson().content_hash()
    assert first == lesson().content_hash()
    assert len(first) == 8 and int(first, 16) >= 0


def test_what_a_learner_reads_or_answers_changes_the_hash() -> None:
    base = lesson().content_hash()
    assert lesson(title="Why it matters now").content_hash() != base
    assert lesson(body="Some other text.\n").content_hash() != base
    assert lesson(checks=[{**CHECK, "answer": False}]).content_hash() != base
    assert lesson(checks=[]).content_hash() != base


def test_what_learners_never_see_leaves_the_hash_alone() -> None:
    base = lesson().content_hash()
    assert lesson(facilitator_notes="Pause here for questions.").content_hash() == base
    assert lesson(discussion=["What would you do?"]).content_hash() == base
    # A question field at its default, written out, is the same question.
    assert lesson(checks=[{**CHECK, "points": 1}]).content_hash() == base


def flagship() -> LoadedCourse:
    return load_course(REPO / "modules", REPO)


def test_progress_keys_share_the_quiz_keys_course_prefix() -> None:
    """Clearing progress (quiz.js) removes every key under coursegen:<course>:, ours included."""
    loaded = flagship()
    for module in loaded.modules:
        assert progress_key(loaded, module) == f"coursegen:{loaded.course.id}:{module.id}:lessons"


def attribute_values(tree, name: str) -> list[str]:  # noqa: ANN001 - an ElementTree element
    """The values of an attribute, in document order (read with an HTML5 parser)."""
    return [node.get(name) for node in tree.iter() if node.get(name) is not None]


def test_pages_carry_each_lessons_hash_where_path_js_reads_it() -> None:
    loaded = flagship()
    pages = {page.path: page.content for page in render_pages(loaded)}
    module = loaded.modules[0]
    content = pages[f"modules/{module.id}.md"]
    hashes = [lesson.content_hash() for lesson in module.lessons]
    assert len(set(hashes)) == len(hashes)
    # The lesson ends on the module page, in lesson order, and the lesson list at its top.
    tree = html5lib.parse(content, namespaceHTMLElements=False)
    assert attribute_values(tree, "data-cg-lesson-end") == hashes
    assert attribute_values(tree, "data-cg-lesson-item") == hashes
    # The course map (one script for the whole site) names every lesson of every module, in order.
    data = course_map(loaded, "en", url=lambda path: path)
    assert [[lesson["hash"] for lesson in m["lessons"]] for m in data["modules"]] == [
        [lesson.content_hash() for lesson in m.lessons] for m in loaded.modules
    ]
    assert 'data-lesson="' not in pages["index.md"], "the map is no longer in the pages"


def test_the_role_chooser_offers_only_audiences_with_modules() -> None:
    loaded = flagship()
    audiences = [*loaded.course.audiences, Audience(id="nobody-yet", title="Nobody yet")]
    course = loaded.course.model_copy(update={"audiences": audiences})
    home = render_pages(LoadedCourse(course=course, modules=loaded.modules))[0].content
    tree = html5lib.parse(home, namespaceHTMLElements=False)
    offered = [node.get("value") for node in tree.iter("input") if node.get("name") == "cg-role"]
    assert offered == [a.id for a in loaded.course.audiences] + [""]  # "" is "No role"
    # No audiences at all: no chooser (its section stays out of the page).
    bare = loaded.course.model_copy(update={"audiences": []})
    modules = [m.model_copy(update={"audiences": []}) for m in loaded.modules]
    home = render_pages(LoadedCourse(course=bare, modules=modules))[0].content
    assert "data-cg-path " not in home and 'name="cg-role"' not in home
