"""xAPI against a real LRS: Ralph stores the statements, read back by registration.

- cmi5 packages: a loopback stub plays the LMS (fetch URL, LMS.LaunchData). A learner takes the
  quiz in Chromium, wrong and then right, with the network dropped mid-quiz.
- The plain site with `xapi:` in course.yml (opt-in): the launch link carries the credential;
  statements queued while offline are sent when the network is back."""

from __future__ import annotations

import base64
import json
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from lxml import etree
from playwright.sync_api import Frame, Page, expect

from coursegen.loader import load_course
from coursegen.model import LoadedCourse

from .conftest import OpenTab
from .support import coursegen, norm, quiz_form, status
from .test_scorm import retry, take_quiz

pytestmark = pytest.mark.browser

VENDOR = Path(__file__).resolve().parents[2] / "src" / "coursegen" / "exports" / "vendor" / "cmi5"
VERB = "http://adlnet.gov/expapi/verbs/"
QUEUE = "cmi5:queue"


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Ralph on a free port of 127.0.0.1, from its own data folder; stopped after this module."""
    pytest.importorskip("ralph", reason="ralph-malph (the test extra) is not installed")
    from .lrs import Ralph

    server = Ralph(tmp_path_factory.mktemp("ralph") / "data").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cmi5_lms(ralph: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, LoadedCourse]]:
    from .lrs import CmiStub

    base = tmp_path_factory.mktemp("cmi5")
    project = base / "course"
    coursegen("init", str(project), "--title", "Fixture Course", cwd=base)
    target = base / "course-cmi5.zip"
    coursegen("export", "cmi5", "--id-base", "https://training.example.org/fixture", "-o", str(target), cwd=project)
    root = base / "root"
    with zipfile.ZipFile(target) as archive:
        archive.extractall(root)
    stub = CmiStub(root, ralph)
    yield ralph, stub, load_course(project / "modules", project)
    stub.stop()


def test_course_structure_is_valid_against_the_cmi5_schema(cmi5_lms: tuple[Any, Any, LoadedCourse]) -> None:
    _, stub, _ = cmi5_lms
    schema = etree.XMLSchema(etree.parse(str(VENDOR / "CourseStructure.xsd")))
    document = etree.parse(str(Path(stub.root) / "cmi5.xml"))
    assert schema.validate(document), schema.error_log
    au = document.getroot().find("{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}au")
    assert au.get("masteryScore") == "0.8" and au.get("moveOn") == "CompletedAndPassed"
    assert au.get("id") == "https://training.example.org/fixture/au"
    assert (Path(stub.root) / "LICENSE-xapi-cmi5.md").is_file()


def launch(page: Page, stub: Any, registration: str) -> Frame:
    """Open the AU as a cmi5 LMS does: its URL with the launch parameters."""
    params = {
        "endpoint": f"{stub.url}/xapi/",
        "fetch": f"{stub.url}/fetch",
        "actor": json.dumps({"objectType": "Agent", "name": "Learner", "mbox": "mailto:learner@example.org"}),
        "registration": registration,
        "activityId": "https://training.example.org/fixture/au",
    }
    page.goto(f"{stub.url}/coursegen-launch.html?{urlencode(params)}")
    site = page.locator("#coursegen-frame")
    expect(site).to_be_visible()
    frame = site.element_handle().content_frame()
    assert frame is not None
    frame.wait_for_load_state()
    return frame


def queued(page: Page, registration: str) -> int:
    key = f"coursegen:cmi5:{registration}:{QUEUE}"
    return page.evaluate("k => JSON.parse(localStorage.getItem(k) || '[]').length", key)


def wait_for_statements(page: Page, ralph: Any, registration: str, count: int) -> list[dict[str, Any]]:
    """The registration's statements once Ralph holds ``count`` of them (or fail after 20 s).

    Between looks it waits in Playwright, not in ``time.sleep``: the suite's request routing runs
    in this thread, so a sleeping test would hold the browser's requests back."""
    deadline = time.monotonic() + 20
    found: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        found = ralph.statements(registration)
        if len(found) >= count:
            return found
        page.wait_for_timeout(100)
    raise AssertionError(f"Ralph holds {len(found)} statements, expected {count}: {[verb(s) for s in found]}")


def verb(statement: dict[str, Any]) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def test_quiz_statements_reach_the_lrs_in_order_even_when_the_network_drops(
    cmi5_lms: tuple[Any, Any, LoadedCourse], open_tab: OpenTab
) -> None:
    ralph, stub, course = cmi5_lms
    stub.launch_data = {
        "contextTemplate": {
            "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": str(uuid.uuid4())}
        },
        "launchMode": "Normal",
        "moveOn": "CompletedAndPassed",
        "masteryScore": 0.8,
    }
    registration = str(uuid.uuid4())
    tab = open_tab()
    page = tab.page
    frame = launch(page, stub, registration)
    welcome = course.module("welcome")
    questions = welcome.quiz.questions
    frame.get_by_role("navigation", name="Navigation", exact=True).get_by_role(
        "link", name="Your progress", exact=True
    ).click()
    frame.get_by_role("main").get_by_role("link", name=f"1. {norm(welcome.title)}", exact=True).click()
    expect(quiz_form(frame, welcome)).to_be_visible()  # type: ignore[arg-type]

    take_quiz(frame, welcome, wrong=len(questions))  # all wrong: failed, and the course is completed
    wait_for_statements(page, ralph, registration, 1 + len(questions) + 2)

    # The network drops mid-quiz: the second attempt's statements wait in the queue...
    page.context.set_offline(True)
    retry(frame, welcome)
    take_quiz(frame, welcome)
    expect(status(quiz_form(frame, welcome))).to_contain_text("You passed this quiz.")  # type: ignore[arg-type]
    assert queued(page, registration) == len(questions) + 1  # answered ×n, passed
    # ...and are sent, in order, when it is back.
    page.context.set_offline(False)
    page.wait_for_function(
        "k => !localStorage.getItem(k)", arg=f"coursegen:cmi5:{registration}:{QUEUE}", timeout=15_000
    )
    page.goto("about:blank")  # the learner leaves: terminated
    statements = wait_for_statements(page, ralph, registration, 1 + 2 * len(questions) + 4)

    n = len(questions)
    expected = ["initialized", *["answered"] * n, "failed", "completed", *["answered"] * n, "passed", "terminated"]
    assert [verb(s) for s in statements] == expected
    failed = statements[1 + n]
    passed = statements[3 + 2 * n]
    assert failed["result"]["score"]["scaled"] == 0
    assert failed["result"]["success"] is False
    assert passed["result"]["score"]["scaled"] == 1
    assert passed["result"]["success"] is True
    first_answers = statements[1 : 1 + n]
    second_answers = statements[3 + n : 3 + 2 * n]
    assert [s["result"]["success"] for s in first_answers] == [False] * n
    assert [s["result"]["success"] for s in second_answers] == [True] * n
    assert {s["object"]["id"].rsplit("/", 1)[-1] for s in second_answers} == {q.id for q in questions}
    assert all(s["context"]["registration"] == registration for s in statements)
    assert all(s["actor"]["mbox"] == "mailto:learner@example.org" for s in statements)
    assert len({s["id"] for s in statements}) == len(statements)  # nothing recorded twice
    assert [e for e in tab.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []


# --- xAPI from the plain site (opt-in) -------------------------------------------------------------


def test_xapi_is_off_by_default(tmp_path: Path) -> None:
    """Without `xapi:` the site loads no xAPI script and may send to no other host."""
    project = tmp_path / "course"
    coursegen("init", str(project), "--title", "Plain", cwd=tmp_path)
    coursegen("build", "--site-dir", str(tmp_path / "site"), cwd=project)
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "xapi" not in page
    assert "connect-src 'self';" in page


def test_site_with_xapi_sends_quiz_results_queued_offline(ralph: Any, tmp_path: Path, open_tab: OpenTab) -> None:
    from .lrs import PASSWORD, USER, CmiStub

    stub = CmiStub(tmp_path, ralph)  # the LRS endpoint and the site on one loopback server
    try:
        project = tmp_path / "course"
        coursegen("init", str(project), "--title", "Opted in", cwd=tmp_path)
        course_yml = project / "modules" / "course.yml"
        course_yml.write_text(
            course_yml.read_text(encoding="utf-8")
            + f"xapi:\n  endpoint: {stub.url}/xapi/\n  activity_base: https://training.example.org/opted-in\n",
            encoding="utf-8",
        )
        coursegen("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=project)
        stub.root = tmp_path / "site"
        course = load_course(project / "modules", project)
        welcome = course.module("welcome")
        n = len(welcome.quiz.questions)
        registration = str(uuid.uuid4())
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        actor = json.dumps({"objectType": "Agent", "name": "Learner", "mbox": "mailto:learner@example.org"})
        query = urlencode({"xapi-auth": token, "xapi-actor": actor, "xapi-registration": registration})
        tab = open_tab()
        page = tab.page
        page.goto(f"{stub.url}/modules/welcome/?{query}")
        expect(page).to_have_url(f"{stub.url}/modules/welcome/")  # the credential left the address bar
        form = quiz_form(page, welcome)

        page.context.set_offline(True)  # offline: the first attempt waits in the queue
        take_quiz(page.main_frame, welcome, wrong=n)
        assert page.evaluate("JSON.parse(localStorage.getItem('coursegen:xapi:queue')).length") == n + 1
        page.context.set_offline(False)
        page.wait_for_function("() => !localStorage.getItem('coursegen:xapi:queue')", timeout=15_000)
        retry(page.main_frame, welcome)
        take_quiz(page.main_frame, welcome)
        expect(status(form)).to_contain_text("You passed this quiz.")
        statements = wait_for_statements(page, ralph, registration, 2 * n + 2)
    finally:
        stub.stop()
    assert [verb(s) for s in statements] == [*["answered"] * n, "failed", *["answered"] * n, "passed"]
    quiz_id = "https://training.example.org/opted-in/modules/welcome/quiz"
    assert statements[n]["object"]["id"] == quiz_id
    assert statements[n]["result"]["score"] == {"scaled": 0, "raw": 0, "min": 0, "max": 100}
    assert statements[-1]["result"]["score"]["scaled"] == 1 and statements[-1]["result"]["success"] is True
    assert {s["object"]["id"] for s in statements[:n]} == {f"{quiz_id}/{q.id}" for q in welcome.quiz.questions}
    assert [e for e in tab.errors if "ERR_INTERNET_DISCONNECTED" not in e] == []
