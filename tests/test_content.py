"""The flagship course: only sourced links and numbers, feedback everywhere, the shape issue #4 asks.

Second edition (issue #11): every explanation names a vetted source, withdrawn sources and
corrected claims stay out, help-line numbers match the source entry they cite, and each module's
stated minutes add up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from coursegen.loader import load_course
from coursegen.model import LoadedCourse, Module, Question

SOURCES_MD = (REPO / "sources" / "SOURCES.md").read_text(encoding="utf-8")
SOURCES = "\n".join(((REPO / "sources" / "collaboration.txt").read_text(encoding="utf-8"), SOURCES_MD))
WITHDRAWN = ("ovc.ojp.gov/faq/list", "police.amtrak.com")
"""Sources withdrawn in the second edition: they did not say what the course cited them for."""
CORRECTED = (
    "sovereign nations with their own governments",
    "their own governments, courts and law enforcement",
    "since 2004",
    "must not be required to cooperate",
    "1-800-422-2253",
)
"""Wording SOURCES.md corrects or forbids (the ECM began in 2010; the e-Guide recommends, it sets no
rule; not every tribe has its own court or police; a known wrong Childhelp listing)."""
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
    assert {q.type for q in module.quiz.questions} >= {"single", "multiple", "true_false"}
    assert module.resources, "every module cites its sources"
    assert any(lesson.facilitator_notes for lesson in module.lessons)
    assert sum(len(lesson.discussion) for lesson in module.lessons) >= 2
    assert module.content_note, "a content note before hard material"


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.id)
def test_every_choice_teaches_and_every_explanation_names_a_source(module: Module) -> None:
    for question in module.questions():
        for choice in question.options():
            assert len(choice.feedback) >= 15, f"{module.id}/{question.id}: feedback too thin: {choice.feedback!r}"
        for step in question.steps or []:
            for move in step.choices or []:
                assert len(move.feedback) >= 15, f"{module.id}/{question.id}/{step.id}: feedback too thin"
        if question.type in ("ordering", "matching"):
            assert question.correct_feedback and question.incorrect_feedback, f"{module.id}/{question.id}"
        assert names_a_source(question.explanation), (
            f"{module.id}/{question.id}: the explanation names no listed source URL and not the source document"
        )


def names_a_source(explanation: str) -> bool:
    """A listed source URL (from sources/) or the course source document, by name."""
    urls = [url.rstrip(".,;:") for url in URL.findall(explanation)]
    if any(url in SOURCES_MD for url in urls):
        return True
    return bool(re.search(r"\bsource document\b", explanation, re.IGNORECASE))


def test_an_explanation_without_a_listed_source_fails() -> None:
    assert not names_a_source("Source: the course's guiding principle of respect for tribal sovereignty.")
    assert not names_a_source("Source: OVC frequently asked questions, https://ovc.ojp.gov/faq/list?page=2.")
    assert names_a_source("Source: the e-Guide, https://www.ovcttac.gov/taskforceguide/eguide.")
    assert names_a_source("Source: the course source document, 'Getting Started'.")


def test_learning_paths_cover_every_audience(loaded: LoadedCourse) -> None:
    ids = {a.id for a in loaded.course.audiences}
    assert ids == {"hospitality", "casino-security", "courts-legal", "advocates-mdt", "tribal-leadership"}
    for audience in ids:
        path = loaded.path_for(audience)
        assert path and path[0].id == "foundations", audience


CONFRONT = re.compile(r"\b(confront|investigate|follow|question|search)\b", re.IGNORECASE)


@pytest.mark.parametrize("module_id", ["hotels-casinos", "multidisciplinary-teams", "courts-child-welfare"])
def test_recognition_never_asks_staff_to_confront_or_investigate(loaded: LoadedCourse, module_id: str) -> None:
    for question in loaded.module(module_id).questions():
        # The right steps of an ordering question, and every choice on a way to a good ending.
        for text in (question.items or []) + good_path_choices(question):
            assert not CONFRONT.search(text), f"{question.id}: {text}"
        if re.search(r"\b(never|not)\b", question.prompt, re.IGNORECASE):
            continue  # "which must staff never do?": confronting is the right answer there
        for choice in question.options():
            if choice.correct and question.type != "true_false":
                assert not re.search(r"\b(confront|investigate|follow)\b", choice.text, re.IGNORECASE), choice.text


def good_path_choices(question: Question) -> list[str]:
    """scenario: the text of every choice that leads to a step from which a good ending can be reached."""
    steps = {step.id: step for step in question.steps or []}
    good = {step.id for step in steps.values() if step.outcome == "good"}
    grown = True
    while grown:  # the steps that can still reach a good ending, found by growing the set to a fixed point
        found = {s.id for s in steps.values() if any(c.next in good for c in s.choices or [])} - good
        grown = bool(found)
        good |= found
    return [c.text for s in steps.values() for c in s.choices or [] if c.next in good]


def test_the_good_path_check_sees_a_confronting_choice() -> None:
    bad = Question.model_validate(
        {
            "id": "s",
            "type": "scenario",
            "prompt": "p",
            "explanation": "e",
            "steps": [
                {"id": "a", "text": "t", "choices": [{"text": "Confront the man", "next": "b", "feedback": "f"}]},
                {"id": "b", "text": "t", "outcome": "good"},
            ],
        }
    )
    assert any(CONFRONT.search(text) for text in good_path_choices(bad))


def test_the_flagship_practises_ordering_matching_and_branching_scenarios(loaded: LoadedCourse) -> None:
    """Issue #14: an ordering question (a safe response), a matching question (signs to roles), and a
    branching scenario in the recognition module and in the MDT module, each with both kinds of ending."""
    hotels = {q.type for q in loaded.module("hotels-casinos").questions()}
    assert {"ordering", "matching", "scenario"} <= hotels
    for module_id in ("hotels-casinos", "multidisciplinary-teams", "courts-child-welfare"):
        scenarios = [q for q in loaded.module(module_id).questions() if q.type == "scenario"]
        assert scenarios, module_id
        for scenario in scenarios:
            steps = scenario.steps or []
            assert 5 <= len(steps) <= 10, scenario.id
            assert {step.outcome for step in steps if step.outcome} == {"good", "needs_work"}, scenario.id


def test_help_numbers_are_exactly_the_vetted_ones(loaded: LoadedCourse) -> None:
    numbers = {line.name: line.phone for line in loaded.course.help}
    assert numbers["National Human Trafficking Hotline"] == "1-888-373-7888"
    assert numbers["Homeland Security Investigations Tip Line"] == "1-866-347-2423"
    assert numbers["Emergency"] == "911"
    assert numbers["National Center for Missing & Exploited Children (NCMEC)"] == "1-800-843-5678"
    assert numbers["Childhelp National Child Abuse Hotline"] == "1-800-422-4453"
    assert numbers["988 Suicide & Crisis Lifeline"] == "988"
    assert numbers["StrongHearts Native Helpline"] == "1-844-762-8483"


def published_files() -> list[Path]:
    """Every file a learner's pages are made from: modules, docs and the page templates."""
    roots = [REPO / "modules", REPO / "docs", REPO / "src" / "coursegen" / "templates"]
    text_files = (".md", ".yml", ".yaml", ".j2", ".html", ".txt")
    return sorted(path for root in roots for path in root.rglob("*") if path.suffix in text_files)


@pytest.mark.parametrize("path", published_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_withdrawn_source_or_corrected_claim(path: Path) -> None:
    text = path.read_text(encoding="utf-8").lower()
    for gone in WITHDRAWN + CORRECTED:
        assert gone.lower() not in text, f"{path.relative_to(REPO)}: {gone!r} was withdrawn or corrected"


def test_the_sources_no_longer_list_the_withdrawn_urls() -> None:
    for gone in WITHDRAWN:
        assert gone not in SOURCES_MD


def source_entries() -> list[str]:
    """SOURCES.md split into entries: a table row, or a bullet with its continuation lines."""
    entries: list[str] = []
    for line in SOURCES_MD.splitlines():
        if line.startswith(("|", "- ")) or not entries or not line.strip():
            entries.append(line)
        else:
            entries[-1] += " " + line.strip()
    return [entry for entry in entries if entry.strip()]


def test_every_help_number_is_in_the_entry_of_the_source_it_cites(loaded: LoadedCourse) -> None:
    entries = source_entries()
    for line in loaded.course.help:
        assert line.source, f"{line.name}: cite where the number was checked"
        cited = [entry for entry in entries if line.source in entry]
        assert cited, f"{line.name}: {line.source} is not a source in sources/SOURCES.md"
        for number in filter(None, (line.phone, line.text)):
            pattern = rf"(?<![\w-]){re.escape(number)}(?![\w-])"
            assert any(re.search(pattern, entry) for entry in cited), (
                f"{line.name}: {number} is not in the sources/ entry for {line.source}"
            )


def test_the_help_page_offers_support_lines_besides_reporting(loaded: LoadedCourse) -> None:
    lines = {line.name: line for line in loaded.course.help}
    childhelp = lines["Childhelp National Child Abuse Hotline"]
    assert childhelp.phone == childhelp.text == "1-800-422-4453"
    assert "not a line for reporting" in childhelp.description
    crisis = lines["988 Suicide & Crisis Lifeline"]
    assert crisis.phone == "988"
    assert "according to" in crisis.description.lower(), "988 is a secondary source: say whose words these are"
    hotline = lines["National Human Trafficking Hotline"].description
    assert "confidential" in hotline and "mandated reporters" in hotline
    assert "not Native" in lines["StrongHearts Native Helpline"].description, "point non-Native learners on"


MINUTES = re.compile(r"About (\d+) minutes")
QUIZ_MINUTES = re.compile(r"(\d+) minutes for the quiz", re.IGNORECASE)


@pytest.mark.parametrize("module", modules(), ids=lambda m: m.id)
def test_lesson_and_quiz_minutes_add_up_to_the_module_duration(module: Module) -> None:
    notes = [lesson.facilitator_notes or "" for lesson in module.lessons]
    lesson_minutes = [MINUTES.match(note) for note in notes]
    assert all(lesson_minutes), f"{module.id}: every facilitator note starts 'About N minutes'"
    quiz = [int(m.group(1)) for note in notes for m in QUIZ_MINUTES.finditer(note)]
    assert len(quiz) == 1, f"{module.id}: one facilitator note says 'N minutes for the quiz'"
    total = sum(int(m.group(1)) for m in lesson_minutes if m) + quiz[0]
    assert total == module.duration_minutes, f"{module.id}: lessons and quiz take {total} minutes"


def test_flagship_passes_the_quiz_lint_strictly() -> None:
    """Issue #11: quizzes that test understanding — `coursegen check --strict` finds no warning."""
    from click.testing import CliRunner

    from coursegen.cli import cli

    result = CliRunner().invoke(cli, ["check", "--strict", "-f", str(REPO / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output
