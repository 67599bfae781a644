"""The LMS packages' launchers record every question of a quiz attempt as an interaction, for
every question type, in an independent SCORM runtime (scorm-again on the harness page).

The launcher page is made from the new-types course (one question of each type) exactly as the
packages make it; the quiz record is handed to the launcher as the site's quiz.js hands it over
(``coursegenLMS.setItem``), so this tests the launcher's side alone: which interaction types,
responses, correct patterns, results and weightings reach the LMS, in SCORM 1.2 and 2004 syntax,
and that a resumed learner gets typed answers back from suspend_data."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Frame, Page, expect

from coursegen.answers import answer_matches, normalise_answer
from coursegen.exports.cmi5 import SCRIPTS as CMI5_SCRIPTS
from coursegen.exports.lms import LAUNCH_PAGE, LAUNCH_STYLE, launch_page, question_details, runtime_file
from coursegen.exports.scorm import INTERACTIONS_SCRIPT, LAUNCH_SCRIPT
from coursegen.exports.scorm import SCRIPTS as SCORM_SCRIPTS
from coursegen.model import LoadedCourse
from coursegen.render import ASSET_DIR, asset
from exports.new_types_course import load_new_types, make_new_types_course

from .conftest import OpenTab
from .support import NODE_MODULES, SiteServer
from .test_question_types import MATCH_CASES, NORMALISATION_CASES

pytestmark = pytest.mark.browser

HARNESS = Path(__file__).parent / "lms_harness"
SCORM_AGAIN = NODE_MODULES / "scorm-again" / "dist"
KEY = "coursegen:new-types:new-types:quiz"

# One attempt: ordering half right, matching two of three (one item left empty), a typed answer
# the accepted "call 911*" covers, the scenario's good ending (by step index), a right single
# choice. The checks question below is answered in a form no version writes: it must be skipped.
ANSWERS: dict[str, Any] = {
    "order-steps": [1, 0, 2],
    "match-roles": [0, 1, -1],
    "short-number": "Call 911. Now!",
    "desk-scenario": [1],
    "plain-single": [0],
    "unreadable": {"not": "an answer"},
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> LoadedCourse:
    return load_new_types(make_new_types_course(tmp_path_factory.mktemp("new-types")))


def settings(course: LoadedCourse, standard: str) -> dict[str, Any]:
    """The course map a package gives its launcher, with every question of the module in its quiz."""
    module = course.module("new-types")
    questions = module.questions()
    return {
        "course": course.course.id,
        "start": "index.html",
        "passMark": 80,
        "pages": ["index.html"],
        "quizzes": [
            {
                "key": KEY,
                "hash": "abc123",
                "module": module.id,
                "title": module.title,
                "passMark": 80,
                "questions": [q.id for q in questions] + ["unreadable"],
                "details": [question_details(q) for q in questions],
            }
        ],
        "standard": standard,
        "failedStatus": "failed",
    }


SITE_ANSWERS = f"{ASSET_DIR}/answers.js"


def write_site_answers(folder: Path) -> None:
    """The site's short-answer rules, where a package's site has them (the launcher loads them)."""
    (folder / SITE_ANSWERS).parent.mkdir(parents=True, exist_ok=True)
    (folder / SITE_ANSWERS).write_bytes(asset("answers.js"))


@pytest.fixture(scope="module")
def server(course: LoadedCourse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SiteServer]:
    if not (SCORM_AGAIN / "scorm12.js").is_file():
        pytest.skip("scorm-again is not installed in tests/tooling (run `npm ci` there)")
    root = tmp_path_factory.mktemp("lms-interactions")
    for name in ("harness.html", "harness.js"):
        shutil.copy(HARNESS / name, root / name)
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, root / name)
    for standard in ("1.2", "2004"):
        folder = root / standard
        folder.mkdir()
        page = launch_page(course, settings(course, standard), SCORM_SCRIPTS)
        (folder / LAUNCH_PAGE).write_bytes(page)
        write_site_answers(folder)
        (folder / INTERACTIONS_SCRIPT).write_bytes(runtime_file("interactions.js"))
        (folder / LAUNCH_SCRIPT).write_bytes(runtime_file("scorm-launch.js"))
        (folder / LAUNCH_STYLE).write_bytes(runtime_file("launch.css"))
        (folder / "index.html").write_text("<!doctype html><title>Site</title><p>The course site.</p>")
    # cmi5: the launcher with a stand-in for @xapi/cmi5 that records each interaction call (the
    # real library and an LRS are exercised end to end in test_lrs.py).
    folder = root / "cmi5"
    folder.mkdir()
    scripts = ["cmi5-stub.js", *[s for s in CMI5_SCRIPTS if s != "coursegen-cmi5.umd.js"]]
    page = launch_page(course, {**settings(course, "cmi5"), "language": "en-US"}, scripts)
    (folder / LAUNCH_PAGE).write_bytes(page)
    (folder / "cmi5-stub.js").write_text(CMI5_STUB, encoding="utf-8")
    write_site_answers(folder)
    (folder / "coursegen-interactions.js").write_bytes(runtime_file("interactions.js"))
    (folder / "coursegen-xapi-queue.js").write_text("window.coursegenXapiQueue = function () {};", encoding="utf-8")
    (folder / "coursegen-cmi5-launch.js").write_bytes(runtime_file("cmi5-launch.js"))
    (folder / LAUNCH_STYLE).write_bytes(runtime_file("launch.css"))
    (folder / "index.html").write_text("<!doctype html><title>Site</title><p>The course site.</p>")
    scripts = "".join(f'<script src="1.2/{name}"></script>' for name in (SITE_ANSWERS, INTERACTIONS_SCRIPT))
    page = f"<!doctype html><title>Interactions</title>{scripts}"
    (root / "interactions.html").write_text(page, encoding="utf-8")
    started = SiteServer().start(root)
    yield started
    started.stop()


CMI5_STUB = """
window.cmi5Calls = [];
window.Cmi5 = function () {};
window.Cmi5.isCmiAvailable = true;
window.Cmi5.prototype = {
  getLaunchParameters: function () { return { registration: "r1", endpoint: "https://lrs.invalid/" }; },
  getLaunchData: function () { return { launchMode: "Normal", masteryScore: 0.8 }; },
  initialize: function () { return Promise.resolve(); },
  pass: function () {}, fail: function () {}, complete: function () {}, terminate: function () {}
};
["interactionTrueFalse", "interactionChoice", "interactionSequencing", "interactionMatching",
 "interactionFillIn", "interactionOther"].forEach(function (name) {
  window.Cmi5.prototype[name] = function () {
    window.cmi5Calls.push([name].concat(JSON.parse(JSON.stringify(Array.prototype.slice.call(arguments)))));
  };
});
"""


def launch(page: Page, server: SiteServer, standard: str, saved: dict[str, Any] | None = None) -> Frame:
    """The harness with the LMS runtime and the launcher; returns the launcher's frame once its
    session is open (the course frame shown)."""
    page.goto(f"{server.url}/harness.html")
    page.evaluate("([v, f, s]) => window.harness.start(v, f, s)", [standard, standard, saved])
    expect(page.frame_locator("iframe[title='Course']").locator("#coursegen-frame")).to_be_visible()
    frame = page.frame_locator("iframe[title='Course']").locator("#coursegen-frame").element_handle().owner_frame()
    assert frame is not None
    return frame


def record(attempts: int) -> str:
    return json.dumps({"v": 1, "best": 55, "last": 55, "passed": False, "attempts": attempts, "answers": ANSWERS})


def interactions(page: Page) -> list[dict[str, str]]:
    """Every interaction the content set that the runtime accepted, by index, read from the
    runtime's own data model."""
    found = page.evaluate(
        """() => {
          const list = window.harness.api.cmi.interactions.childArray;
          return list.map((i) => JSON.parse(JSON.stringify(i)));
        }"""
    )
    return found


def by_id(found: list[dict[str, Any]], suffix: str) -> dict[str, Any]:
    (match,) = [i for i in found if str(i["id"]).endswith(suffix)]
    return match


def pattern(interaction: dict[str, Any]) -> str:
    responses = interaction["correct_responses"]
    assert responses, interaction
    first = responses["0"] if isinstance(responses, dict) else responses[0]
    return first["pattern"]


def test_scorm2004_records_each_question_in_2004_syntax(open_tab: OpenTab, server: SiteServer) -> None:
    page = open_tab().page
    launcher = launch(page, server, "2004")
    launcher.evaluate("([k, r]) => window.coursegenLMS.setItem(k, r)", [KEY, record(1)])
    found = interactions(page)
    assert len(found) == 5, found  # the unreadable answer is skipped, not reported wrongly
    ordering = by_id(found, ":new-types:order-steps")
    assert ordering["id"] == "urn:coursegen:new-types:new-types:order-steps"
    assert (ordering["type"], ordering["learner_response"]) == ("sequencing", "item-1[,]item-0[,]item-2")
    assert pattern(ordering) == "item-0[,]item-1[,]item-2"
    assert (ordering["result"], ordering["weighting"]) == ("incorrect", "2")
    matching = by_id(found, ":match-roles")
    assert (matching["type"], matching["learner_response"]) == ("matching", "item-0[.]match-0[,]item-1[.]match-1")
    assert pattern(matching) == "item-0[.]match-0[,]item-1[.]match-1[,]item-2[.]match-1"
    assert (matching["result"], matching["weighting"]) == ("incorrect", "3")
    short = by_id(found, ":short-number")
    assert (short["type"], short["learner_response"], pattern(short)) == ("fill-in", "Call 911. Now!", "911")
    assert short["result"] == "correct"  # "call 911*" accepts it: case and punctuation ignored
    scenario = by_id(found, ":desk-scenario")
    assert (scenario["type"], scenario["learner_response"], pattern(scenario)) == ("other", "reported", "reported")
    assert (scenario["result"], scenario["weighting"]) == ("correct", "2")
    single = by_id(found, ":plain-single")
    assert (single["type"], single["learner_response"], pattern(single), single["result"]) == (
        "choice",
        "choice-0",
        "choice-0",
        "correct",
    )
    assert single["description"] == "A plain single choice."

    # The same record again (a page reload saves it again): no new attempt, no new interactions.
    launcher.evaluate("([k, r]) => window.coursegenLMS.setItem(k, r)", [KEY, record(1)])
    assert len(interactions(page)) == 5
    launcher.evaluate("([k, r]) => window.coursegenLMS.setItem(k, r)", [KEY, record(2)])
    assert len(interactions(page)) == 10  # a second attempt is journaled after the first


def test_scorm12_records_each_question_in_12_syntax_and_resumes_typed_answers(
    open_tab: OpenTab, server: SiteServer
) -> None:
    page = open_tab().page
    launcher = launch(page, server, "1.2")
    launcher.evaluate("([k, r]) => window.coursegenLMS.setItem(k, r)", [KEY, record(1)])
    found = interactions(page)
    assert len(found) == 5, found
    ordering = by_id(found, "new-types--order-steps")
    assert (ordering["type"], ordering["student_response"], pattern(ordering)) == ("sequencing", "b,a,c", "a,b,c")
    assert (ordering["result"], ordering["weighting"]) == ("wrong", "2")
    matching = by_id(found, "--match-roles")
    assert (matching["type"], matching["student_response"], pattern(matching)) == ("matching", "a.0,b.1", "a.0,b.1,c.1")
    short = by_id(found, "--short-number")
    assert (short["type"], short["student_response"], pattern(short), short["result"]) == (
        "fill-in",
        "Call 911. Now!",
        "911",
        "correct",
    )
    scenario = by_id(found, "--desk-scenario")  # SCORM 1.2 has no "other": a performance
    assert (scenario["type"], scenario["student_response"]) == ("performance", "reported")
    assert scenario["result"] == "correct"
    single = by_id(found, "--plain-single")
    assert (single["type"], single["student_response"], pattern(single)) == ("choice", "a", "a")

    # The LMS keeps suspend_data; a relaunch gives the site back every answer, the typed one and
    # the unmatched item (-1) included.
    saved = page.evaluate("window.harness.committed()")
    assert saved is not None
    relaunched = launch(open_tab().page, server, "1.2", saved)
    restored = json.loads(relaunched.evaluate("(k) => window.coursegenLMS.getItem(k)", KEY))
    answers = restored["answers"]
    assert answers["short-number"] == "Call 911. Now!"
    assert answers["match-roles"] == [0, 1, -1]
    assert answers["order-steps"] == [1, 0, 2]
    assert answers["desk-scenario"] == [1]


def test_cmi5_sends_an_interaction_of_the_right_type_for_each_question(open_tab: OpenTab, server: SiteServer) -> None:
    """The arguments follow @xapi/cmi5's signatures: (test id, question id, response, correct
    response, [choices | source, target], name, description, success)."""
    page = open_tab().page
    page.goto(f"{server.url}/cmi5/{LAUNCH_PAGE}")
    expect(page.locator("#coursegen-frame")).to_be_visible()
    page.evaluate("([k, r]) => window.coursegenLMS.setItem(k, r)", [KEY, record(1)])
    calls = {call[2]: call for call in page.evaluate("window.cmi5Calls")}
    assert sorted(calls) == ["desk-scenario", "match-roles", "order-steps", "plain-single", "short-number"]
    name = {"en-US": "Put these steps in order: {first} to last"}
    order = calls["order-steps"]
    assert order[0] == "interactionSequencing" and order[1] == "quiz-new-types"
    assert order[3:6] == [
        ["item-1", "item-0", "item-2"],
        ["item-0", "item-1", "item-2"],
        [
            {"id": "item-0", "description": {"en-US": "Notice what you see & hear"}},
            {"id": "item-1", "description": {"en-US": "Write it down -> with the time"}},
            {"id": "item-2", "description": {"en-US": "Report it: use the named channel"}},
        ],
    ]
    assert order[6] == name and order[8] is False
    match = calls["match-roles"]
    assert match[0] == "interactionMatching"
    assert match[3] == {"item-0": "match-0", "item-1": "match-1"}
    assert match[4] == {"item-0": "match-0", "item-1": "match-1", "item-2": "match-1"}
    assert [t["description"]["en-US"] for t in match[6]] == ["Housekeeping", "Front desk", "Parking attendant"]
    assert match[9] is False
    short = calls["short-number"]
    assert short[0] == "interactionFillIn" and short[3:5] == [["Call 911. Now!"], ["911"]] and short[7] is True
    scenario = calls["desk-scenario"]
    assert scenario[0] == "interactionOther" and scenario[3:5] == ["reported", "reported"] and scenario[7] is True
    single = calls["plain-single"]
    assert single[0] == "interactionChoice" and single[3:5] == [["choice-0"], ["choice-0"]] and single[8] is True


def test_typed_answers_are_judged_for_the_lms_as_on_the_page(open_tab: OpenTab, server: SiteServer) -> None:
    """What the launcher reports for a typed answer is what answers.py (and the page) judge, on the
    same tricky texts (white space of other scripts, compatibility characters, patterns): an
    answer empty once normalised is not reported, as the page counts it unanswered."""
    page = open_tab().page
    page.goto(f"{server.url}/interactions.html")
    reported = page.evaluate(
        """cases => cases.map(([pattern, typed]) => {
             const said = window.coursegenInteractions.describe({type: "short_answer", accepted: [pattern]}, typed);
             return said && said.right;
           })""",
        MATCH_CASES,
    )
    assert reported == [answer_matches(p, a) if normalise_answer(a) else None for p, a in MATCH_CASES]
    assert True in reported and False in reported and None in reported
    # Each text against the answer answers.py makes of it: right, or not reported when blank.
    own = page.evaluate(
        """cases => cases.map(([pattern, typed]) => {
             const said = window.coursegenInteractions.describe({type: "short_answer", accepted: [pattern]}, typed);
             return said && said.right;
           })""",
        [[normalise_answer(case), case] for case in NORMALISATION_CASES],
    )
    assert own == [True if normalise_answer(case) else None for case in NORMALISATION_CASES]
