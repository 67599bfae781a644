"""Pydantic models of a course: what a trainer may write in modules/*.yml and course.yml.

Text fields are plain text (escaped wherever they land); only fields named ``body`` carry
Markdown. Ids are slugs because they become URLs and file names.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Patterns are checked by pydantic's Rust regex engine (linear time by construction); ``\z`` is the
# end of the text (``$`` would also match before a final newline in Python's re). Python code uses
# the bare forms with ``re.fullmatch``.
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
HOST = r"[a-z0-9]+(?:[.-][a-z0-9]+)*"
SLUG_PATTERN = rf"^{SLUG}\z"
HOST_PATTERN = rf"^{HOST}\z"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=64),
    Field(description="Lower-case letters, digits and single hyphens, e.g. 'hotel-indicators'."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Markdown = Annotated[str, StringConstraints(min_length=1, max_length=100000)]
MAX_MODULES = 10_000
"""A course's module files at most: far more than a real catalogue, few enough that a mistaken
folder (or a hostile one) stops early."""
MAX_SECTIONS = 500
# Patterns are also JSON Schema patterns: each must be valid ECMA-262 in unicode mode too, where
# escaping a character that needs none (such as \" or \`) is a syntax error. They end in \z (end
# of text in pydantic's Rust engine); the schema writes that as ECMAScript's $ (scaffold.py).
URL_PATTERN = r"""^[^\s<>"'`\\]+\z"""
PHONE_PATTERN = r"^\+?[0-9(][0-9 ().-]*\z"
EMAIL_PATTERN = r"""^[^@\s<>()\[\]"'`,;:\\]+@[^@\s<>()\[\]"'`,;:\\]+\z"""
PATTERN_PROBLEMS = {
    SLUG_PATTERN: ("is not a valid id", "use lower-case letters, digits and single hyphens, e.g. 'hotel-indicators'"),
    URL_PATTERN: ("is not a valid link", "a link has no spaces, quotes, backslashes or angle brackets"),
    PHONE_PATTERN: ("is not a phone number", "use digits, spaces, hyphens, dots or parentheses, e.g. 1-888-373-7888"),
    HOST_PATTERN: ("is not a host name", "write the host alone, e.g. media.example.org (no https://, no path)"),
    EMAIL_PATTERN: ("is not an email address", "write it as name@example.org, with no spaces or quotes"),
}
"""What to tell an author whose text does not match a pattern: (problem, hint)."""

Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=URL_PATTERN),
    Field(description="An https://, http://, mailto: or tel: link, without spaces or quotes."),
]
Phone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=40, pattern=PHONE_PATTERN),
    Field(description="A phone number: digits, spaces, hyphens, dots, parentheses, e.g. 1-888-373-7888."),
]
Host = Annotated[
    str,
    StringConstraints(strip_whitespace=True, to_lower=True, max_length=253, pattern=HOST_PATTERN),
    Field(description="A host name, e.g. 'media.example.org'."),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL_PATTERN),
]


class Strict(BaseModel):
    """Base: unknown keys are errors (a misspelt key must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy, without what was worked out from the original (a ``cached_property`` such as a
        content hash): a copy with changes must work it out again."""
        copied = super().model_copy(update=update, deep=deep)
        for name in [name for name in copied.__dict__ if name not in type(self).model_fields]:
            del copied.__dict__[name]
        return copied


class Choice(Strict):
    """One answer option and the feedback a learner sees when choosing it."""

    text: Text
    correct: bool = False
    feedback: Text = Field(description="Why this choice is right or not; shown when it is chosen.")


class MatchPair(Strict):
    """matching: one item and the match it belongs with."""

    item: Text = Field(description="What the learner matches, e.g. a sign.")
    match: Text = Field(description="Its right match, e.g. a staff role; several items may share a match.")
    feedback: Text | None = Field(default=None, description="Why this is the right match; shown after checking.")


class WrongAnswer(Strict):
    """short_answer: a common wrong answer and the feedback a learner gets for it."""

    answer: Text
    feedback: Text


class ScenarioChoice(Strict):
    """scenario: a choice at a step and the step it leads to."""

    text: Text
    next: Slug = Field(description="Id of the step this choice leads to.")
    feedback: Text = Field(description="What happens, or why this choice helps or not; shown on the next step.")


class ScenarioStep(Strict):
    """scenario: one step. A step with ``choices`` asks the learner; a step with ``outcome`` ends."""

    id: Slug
    text: Text = Field(description="What the learner sees or hears at this step.")
    choices: list[ScenarioChoice] | None = Field(default=None, max_length=6)
    outcome: Literal["good", "needs_work"] | None = Field(
        default=None, description="Ending steps only: whether this ending counts as done well."
    )


QuestionType = Literal["single", "multiple", "true_false", "ordering", "matching", "short_answer", "scenario"]


class Question(Strict):
    """A question in a quiz or a knowledge check.

    ``single`` and ``multiple`` list their ``choices``; ``true_false`` gives ``answer`` and the
    feedback for each of the two options instead. ``ordering`` lists ``items`` in the right
    order; ``matching`` lists ``pairs``; ``short_answer`` lists ``accepted`` answers;
    ``scenario`` lists ``steps`` (see docs/for-authors/question-types.md).
    """

    id: Slug = Field(description="Stable id; progress and LMS records key on it.")
    type: QuestionType
    prompt: Text
    choices: list[Choice] | None = Field(default=None, max_length=12)
    answer: bool | None = Field(default=None, description="true_false only: the right answer.")
    true_feedback: Text | None = Field(default=None, description="true_false only.")
    false_feedback: Text | None = Field(default=None, description="true_false only.")
    items: list[Text] | None = Field(
        default=None, max_length=12, description="ordering only: the steps, written in the right order."
    )
    pairs: list[MatchPair] | None = Field(default=None, max_length=12, description="matching only.")
    distractors: list[Text] | None = Field(
        default=None, max_length=6, description="matching only: extra matches that fit no item."
    )
    accepted: list[Text] | None = Field(
        default=None,
        max_length=20,
        description="short_answer only: right answers. Case, spaces and punctuation are ignored when "
        "comparing; '*' stands for any text, e.g. 'call 911*'.",
    )
    wrong_answers: list[WrongAnswer] | None = Field(
        default=None, max_length=20, description="short_answer only: common wrong answers with their feedback."
    )
    correct_feedback: Text | None = Field(
        default=None, description="ordering, matching, short_answer: shown when the answer is right."
    )
    incorrect_feedback: Text | None = Field(
        default=None, description="ordering, matching, short_answer: shown when the answer is not right."
    )
    steps: list[ScenarioStep] | None = Field(
        default=None, max_length=40, description="scenario only: the first step is where it starts."
    )
    explanation: Text = Field(description="Shown after answering; name the source.")
    points: int = Field(default=1, ge=1, le=100, description="Weight in the score; partial credit is a share of it.")
    shuffle: bool = Field(
        default=True,
        description="Show choices (or matches) in a mixed order, new for each attempt, so the right "
        "answer is not always first; false keeps the written order, e.g. for 'All of the above'. "
        "ordering items are always mixed.",
    )
    assesses: list[Annotated[int, Field(ge=1, le=12)]] = Field(
        default_factory=list,
        description="Numbers (1 = first) of the module objectives this question assesses.",
    )

    def display_order(self) -> list[tuple[int, Choice]]:
        """(written position, choice) in the order learners see them without JavaScript: the same
        on every build (the browser mixes them anew for each attempt)."""
        numbered = list(enumerate(self.options()))
        if not self.shuffle or self.type == "true_false":
            return numbered
        return sorted(numbered, key=lambda item: self.mix_key(item[0], item[1].text))

    def mix_key(self, index: int, text: str) -> bytes:
        """A stable sort key that mixes written order the same way on every build."""
        return hashlib.sha256(f"{self.id}\x00{index}\x00{text}".encode()).digest()

    def options(self) -> list[Choice]:
        """The choices a learner sees, true/false questions included (empty for the other types)."""
        if self.type == "true_false":
            return [
                Choice(text="True", correct=self.answer is True, feedback=self.true_feedback or "-"),
                Choice(text="False", correct=self.answer is False, feedback=self.false_feedback or "-"),
            ]
        return list(self.choices or [])

    def matches(self) -> list[str]:
        """matching: every distinct match a learner can pick from, right ones and distractors, in
        written order."""
        found = [pair.match for pair in self.pairs or []] + list(self.distractors or [])
        return list(dict.fromkeys(found))


class Lesson(Strict):
    """A lesson: Markdown body, optional knowledge checks and notes for a facilitator."""

    title: Text
    body: Markdown
    checks: list[Question] = Field(default_factory=list, description="Knowledge checks.")
    facilitator_notes: LongText | None = None
    discussion: list[Text] = Field(default_factory=list, description="Prompts for a group.")

    def content_hash(self) -> str:
        """A short hash of what a learner reads and answers in this lesson (title, body, knowledge
        checks), so a saved "read" mark and check answers stop applying once the lesson is edited.
        Facilitator notes and discussion prompts are left out: learners never see them."""
        return self._digest

    # Worked out once: the lesson's page, the course map and the exports each ask for it, and a
    # frozen model cannot change after.
    @cached_property
    def _digest(self) -> str:
        data = self.model_dump(mode="json", include={"title", "body", "checks"})
        for question in data["checks"]:
            _drop_defaults(question, _LATER_QUESTION_FIELDS)
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]


_LATER_QUIZ_FIELDS = {"mode": "practice", "max_attempts": None, "wait_minutes": None}
_LATER_QUESTION_FIELDS = {
    "items": None,
    "pairs": None,
    "distractors": None,
    "accepted": None,
    "wrong_answers": None,
    "correct_feedback": None,
    "incorrect_feedback": None,
    "steps": None,
    "points": 1,
}


def _drop_defaults(data: dict[str, object], defaults: dict[str, object]) -> None:
    for name, default in defaults.items():
        if data.get(name, default) == default:
            data.pop(name, None)


class Quiz(Strict):
    """The module's end quiz."""

    pass_mark: int = Field(default=80, ge=0, le=100, description="Percent needed to pass.")
    mode: Literal["practice", "exam"] = Field(
        default="practice",
        description="practice: feedback on each question when checked. exam: one submit, no feedback "
        "until then, then a review sheet (a self-check, not proctoring).",
    )
    max_attempts: int | None = Field(
        default=None, ge=1, le=100, description="exam only: attempts allowed in this browser (none: no limit)."
    )
    wait_minutes: int | None = Field(
        default=None, ge=1, le=10080, description="exam only: minimum minutes between attempts."
    )
    questions: list[Question] = Field(min_length=1, max_length=200)

    def content_hash(self) -> str:
        """A short hash of everything that affects scoring, so edited quizzes get new records."""
        return self._digest

    @cached_property  # once per quiz, as Lesson's
    def _digest(self) -> str:
        data = self.model_dump(mode="json")
        # Fields added after the first release are left out while unused, so upgrading coursegen
        # does not make every learner's saved results look stale.
        _drop_defaults(data, _LATER_QUIZ_FIELDS)
        for question in data["questions"]:
            _drop_defaults(question, _LATER_QUESTION_FIELDS)
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:12]


ResourceKind = Literal["guide", "report", "toolkit", "directory", "webinar", "podcast", "website", "hotline", "law"]


class Resource(Strict):
    """A cited resource; every module lists the sources it draws on."""

    title: Text
    url: Url | None = None
    publisher: Text | None = None
    kind: ResourceKind = "website"
    description: Text | None = None
    year: Annotated[int, Field(ge=1900, le=2100)] | None = None


class Module(Strict):
    """One module file: ``modules/<id>.yml``."""

    id: Slug
    title: Text
    summary: Text
    audiences: list[Slug] = Field(default_factory=list, description="Audience ids from course.yml.")
    duration_minutes: int = Field(ge=1, le=600)
    requires: list[Slug] = Field(default_factory=list, description="Module ids to take first.")
    content_note: Text | None = Field(
        default=None, description="Shown before the lessons when the material may be distressing."
    )
    objectives: list[Text] = Field(min_length=1, max_length=12)
    lessons: list[Lesson] = Field(min_length=1, max_length=40)
    key_points: list[Text] = Field(default_factory=list)
    quiz: Quiz | None = None
    resources: list[Resource] = Field(default_factory=list)

    def questions(self) -> list[Question]:
        """Every question of the module: knowledge checks first, then the quiz."""
        found = [q for lesson in self.lessons for q in lesson.checks]
        return found + (list(self.quiz.questions) if self.quiz else [])


class Audience(Strict):
    """An audience and, through the modules that name it, its learning path."""

    id: Slug
    title: Text
    description: Text | None = None


class Contact(Strict):
    """A local contact a community fills in; empty fields are shown as 'not filled in yet'."""

    role: Text
    name: Text | None = None
    phone: Phone | None = None
    email: Email | None = None
    notes: Text | None = None


class HelpLine(Strict):
    """A help line shown on the 'Get help now' page."""

    name: Text
    phone: Phone | None = None
    text: Phone | None = Field(default=None, description="Number to text, if any.")
    url: Url | None = None
    description: Text
    source: Url | None = Field(default=None, description="Where the number was checked.")


class GlossaryTerm(Strict):
    """A term of the course glossary."""

    term: Text
    definition: Text
    source: Url | None = None


XAPI_ENDPOINT_PATTERN = r"""^(https://[^\s<>"'`\\/]+|http://(127\.0\.0\.1|localhost)(:[0-9]{1,5})?)/[^\s<>"'`\\]*/\z"""
PATTERN_PROBLEMS[XAPI_ENDPOINT_PATTERN] = (
    "is not an xAPI endpoint",
    "use the LRS's https:// address ending in /, e.g. https://lrs.example.org/xAPI/",
)


class XapiSettings(Strict):
    """Opt-in xAPI: the site sends learners' quiz results to an organisation's LRS (see
    docs/for-authors/lms.md). The credential is not written here: each learner's launch link
    carries it."""

    endpoint: Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=2000, pattern=XAPI_ENDPOINT_PATTERN),
        Field(description="The LRS's xAPI endpoint: https://, ending in /, e.g. https://lrs.example.org/xAPI/."),
    ]
    activity_base: Url | None = Field(
        default=None, description="The IRI activity ids start with (default: the site's address, site_url)."
    )


class Section(Strict):
    """A part of a large course (a track): its modules are grouped under its title in the
    navigation and on the home page."""

    id: Slug
    title: Text
    description: Text | None = None
    modules: list[Slug] = Field(min_length=1, max_length=MAX_MODULES, description="Module ids, in order.")


class Course(Strict):
    """``modules/course.yml``: course-wide settings."""

    id: Slug
    title: Text
    description: Text
    modules: list[Slug] = Field(
        default_factory=list,
        max_length=MAX_MODULES,
        description="Module order; empty means alphabetical by id (or the order of 'sections').",
    )
    sections: list[Section] = Field(
        default_factory=list,
        max_length=MAX_SECTIONS,
        description="Parts of a large course, each listing its modules in order; use instead of 'modules'. "
        "The navigation then shows one part at a time.",
    )
    audiences: list[Audience] = Field(default_factory=list)
    help: list[HelpLine] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    glossary: list[GlossaryTerm] = Field(default_factory=list)
    content_note: Text | None = None
    xapi: XapiSettings | None = Field(
        default=None, description="Send quiz results to a learning record store (off when absent)."
    )
    remote_hosts: list[Host] = Field(
        default_factory=list,
        max_length=20,
        description="Hosts that lesson bodies may load images and media from, e.g. 'media.example.org'. "
        "By default the site loads nothing from other hosts; each host named here is also allowed by "
        "the Content-Security-Policy.",
    )

    def module_order(self) -> list[str]:
        """The module ids in the order the author gave (from 'sections' when there are sections)."""
        if self.sections:
            return [module_id for section in self.sections for module_id in section.modules]
        return list(self.modules)


class LoadedCourse(BaseModel):
    """A validated course: settings plus modules in course order."""

    model_config = ConfigDict(frozen=True)

    course: Course
    modules: list[Module]

    def module(self, module_id: str) -> Module:
        """The module with this id."""
        return next(m for m in self.modules if m.id == module_id)

    def sections(self) -> list[tuple[Section, list[Module]]]:
        """Each section with its modules in course order (empty when the course has no sections)."""
        by_id = {m.id: m for m in self.modules}
        return [(s, [by_id[i] for i in s.modules if i in by_id]) for s in self.course.sections]

    def path_for(self, audience_id: str) -> list[Module]:
        """The learning path of an audience: its modules, in course order."""
        return [m for m in self.modules if audience_id in m.audiences]
