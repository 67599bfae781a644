"""The flagship course: only sourced links and numbers, feedback everywhere, the shape issue #4 asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from coursegen.loader import load_course
from coursegen.model import LoadedCourse, Module

SOURCES = "\n".join(
    (REPO / "sources" / name).read_text(encoding="utf-8") for name in ("collaboration.txt", "SOURCES.md")
)
URL = re.compile(r"(?:https?://|mailto:|tel:)[^\s)\]>\"'|*]+")
# Phone-like: 7+ digits in groups (1-888-373-7888, 233733) and the short codes 911 / 711.
PHONE = re.compile(r"(?<![\w/.-])(?:1-)?(?:\d{3}-)?\d{3}-\d{4}(?![\w-])|(?<![\w/.-])\d{6}(?![\w/.-])|\b[79]11\b")


@pytest.fixture(scope="module")
def loaded() -> LoadedCourse:
    return load_course(REPO / "modules", REPO)


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def course_files() -> list[Path]:
    return sorted((REPO / "modules").glob("*.yml"))


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_every_url_is_in_the_sources(path: Path) -> None:
    for text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        for url in URL.findall(text):
            assert url.rstrip(".,;:") in SOURCES, f"{path.name}: {url} is not in sources/"


@pytest.mark.parametrize("path", course_files(), ids=lambda p: p.name)
def test_every_phone_number_is_in_the_sources(path: Path) -> None:
    for text in strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
        for number in PHONE.findall(text):
            assert number in SOURCES, f"{path.name}: {number} is not in sources/"


def test_the_checks_would_catch_an_invented_number_and_link() -> None:
    invented = "Call 1-800-555-0199 or see https://example.org/help"
    assert any(n not in SOURCES for n in PHONE.findall(invented))
    assert any(u not in SOURCES for u in URL.findall(invented))


def modules() -> list[Module]:
    return load_course(REPO / "modules", REPO).modules


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.id)
def test_module_shape(module: Module) -> None:
    assert 3 <= len(module.objectives) <= 6
    assert len(module.lessons) >= 3
    assert sum(len(lesson.checks) for lesson in module.lessons) >= 1
    assert module.quiz is not None and len(module.quiz.questions) >= 8
    assert {q.type for q in module.quiz.questions} == {"single", "multiple", "true_false"}
    assert module.resources, "every module cites its sources"
    assert any(lesson.facilitator_notes for lesson in module.lessons)
    assert sum(len(lesson.discussion) for lesson in module.lessons) >= 2
    assert module.content_note, "a content note before hard material"


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.id)
def test_every_choice_teaches_and_every_explanation_names_a_source(module: Module) -> None:
    for question in module.questions():
        for choice in question.options():
            assert len(choice.feedback) >= 15, f"{module.id}/{question.id}: feedback too thin: {choice.feedback!r}"
        assert re.search(r"\bsource", question.explanation, re.IGNORECASE), (
            f"{module.id}/{question.id}: name the source"
        )


def test_learning_paths_cover_every_audience(loaded: LoadedCourse) -> None:
    ids = {a.id for a in loaded.course.audiences}
    assert ids == {"hospitality", "casino-security", "courts-legal", "advocates-mdt", "tribal-leadership"}
    for audience in ids:
        path = loaded.path_for(audience)
        assert path and path[0].id == "foundations", audience


def test_recognition_never_asks_staff_to_confront_or_investigate(loaded: LoadedCourse) -> None:
    hotels = loaded.module("hotels-casinos")
    for question in hotels.questions():
        if re.search(r"\b(never|not)\b", question.prompt, re.IGNORECASE):
            continue  # "which must staff never do?": confronting is the right answer there
        for choice in question.options():
            if choice.correct and question.type != "true_false":
                assert not re.search(r"\b(confront|investigate|follow)\b", choice.text, re.IGNORECASE), choice.text


def test_help_numbers_are_exactly_the_vetted_ones(loaded: LoadedCourse) -> None:
    numbers = {line.name: line.phone for line in loaded.course.help}
    assert numbers["National Human Trafficking Hotline"] == "1-888-373-7888"
    assert numbers["Homeland Security Investigations Tip Line"] == "1-866-347-2423"
    assert numbers["Emergency"] == "911"
