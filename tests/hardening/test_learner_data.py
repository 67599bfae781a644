"""Learner data is untrusted: whatever localStorage or an imported results file holds, pages
keep working, quizzes grade, nothing from the data runs, and the learner gets a gentle notice.
Storage that is missing or full (private mode, quota) leaves quizzes working without saving."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from coursegen.loader import load_course
from coursegen.render import storage_key

from .support import build, new_course, serve

UNREADABLE_NOTICE = "could not be read"
NOT_SAVING_NOTICE = "not saving results"
NO_STORAGE = (
    "Object.defineProperty(window, 'localStorage', {configurable: true, get() {"
    " throw new DOMException('The operation is insecure.', 'SecurityError'); }});"
)
FULL_STORAGE = (
    "Storage.prototype.setItem = function () {"
    " throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };"
)
WATCH = "window.alert = window.confirm = window.prompt = function () { window.__xss = 'dialog'; return true; };"


@pytest.fixture(scope="module")
def learner_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A new course, built and served; yields (base URL, storage key of its quiz)."""
    root = new_course(tmp_path_factory.mktemp("learner") / "course", "Learner Course")
    loaded = load_course(root / "modules", root)
    site = build(root)
    with serve(site) as base:
        yield base, storage_key(loaded, loaded.modules[0])


@pytest.fixture
def tab(chromium, learner_site):  # noqa: ANN001, ANN201 - Playwright objects
    """A fresh browser profile (empty storage) that records page errors."""
    context = chromium.new_context()
    context.add_init_script(WATCH)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def answer_quiz(page, *, first: bool = True) -> str:  # noqa: ANN001
    form = page.locator("form[data-kind='quiz']")
    retry = form.locator("[data-cg-retry]")
    if retry.is_visible():  # a restored result: start again
        retry.click()
    for fieldset in form.locator("fieldset").all():
        fieldset.locator("input").nth(0 if first else 1).check()
    form.locator("button[type=submit]").click()
    return form.locator(".cg-result").inner_text()


def open_page(page, url: str) -> None:  # noqa: ANN001
    """Open a page and wait until quiz.js has set it up."""
    page.goto(url)
    page.wait_for_function(
        "() => document.querySelector('form[data-cg-quiz][data-cg-ready]')"
        " || (document.querySelector('[data-cg-summary]') || {}).textContent"
    )


CORRUPT = [
    "{not json",
    '{"v":1,"best":',
    "[]",
    "null",
    '{"v":2,"best":100,"passed":true}',
    '{"v":1,"best":"100","passed":true}',
    '{"v":1,"best":1e999,"passed":true}',
    '{"v":1,"best":50,"answers":{"q-parts":"<img src=x onerror=window.__xss=2>","q-feedback":[0,"1",null,{},9e9]}}',
    '{"v":1,"best":500,"passed":"yes","attempts":-3,"answers":{"constructor":[1],"__proto__":{"x":1}}}',
    '{"__proto__":{"polluted":true},"v":1,"best":10}',
    "\u0000\ufffd binary-ish" + "x" * 100_000,
]


def test_corrupted_or_foreign_saved_results_are_ignored(tab, learner_site) -> None:  # noqa: ANN001
    base, key = learner_site
    module = base + "modules/welcome/"
    open_page(tab, module)
    for value in CORRUPT:
        tab.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, value])
        open_page(tab, module)
        status = tab.locator("[data-cg-status]").first.inner_text()
        assert status in ("Not started", "Passed", "Tried, not passed yet"), (value, status)
        result = answer_quiz(tab)
        assert "You scored" in result, (value, result)
        open_page(tab, base + "progress/")
        summary = tab.locator("[data-cg-summary]").inner_text()
        assert "module quizzes" in summary, (value, summary)
        assert tab.evaluate("window.__xss") is None, value
        assert tab.evaluate("({}).polluted") is None, value
        assert tab.errors == [], (value, tab.errors)


def test_unreadable_results_bring_a_gentle_notice(tab, learner_site) -> None:  # noqa: ANN001
    base, key = learner_site
    open_page(tab, base + "progress/")
    tab.evaluate("([k]) => localStorage.setItem(k, '{broken')", [key])
    open_page(tab, base + "progress/")
    assert UNREADABLE_NOTICE in tab.locator("[data-cg-summary]").inner_text()
    open_page(tab, base + "modules/welcome/")
    assert UNREADABLE_NOTICE in answer_quiz(tab)
    # The new result replaced the broken one.
    stored = json.loads(tab.evaluate("([k]) => localStorage.getItem(k)", [key]))
    assert stored["v"] == 1 and stored["attempts"] == 1


@pytest.mark.parametrize("storage", [NO_STORAGE, FULL_STORAGE], ids=["storage blocked", "storage full"])
def test_quizzes_work_without_storage(chromium, learner_site, storage: str) -> None:  # noqa: ANN001
    base, _ = learner_site
    context = chromium.new_context()
    context.add_init_script(WATCH + storage)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{error.name}: {error}"))
    open_page(page, base + "modules/welcome/")
    result = answer_quiz(page)
    assert "You scored" in result and NOT_SAVING_NOTICE in result, result
    feedback = page.locator("form[data-kind='quiz'] .cg-feedback:visible")
    assert feedback.count() >= 1
    check = page.locator("form[data-kind='check']")
    check.locator("input").first.check()
    check.locator("button[type=submit]").click()
    assert check.locator(".cg-result").inner_text()
    open_page(page, base + "progress/")
    summary = page.locator("[data-cg-summary]").inner_text()
    assert "module quizzes" in summary and NOT_SAVING_NOTICE in summary, summary
    # coursegen's own script raises nothing; Material's bundle, which also reads localStorage,
    # reports "The operation is insecure" when storage is blocked: that is Material's, not ours.
    assert all("insecure" in e for e in errors), errors
    context.close()


# --- importing and exporting results ------------------------------------------------------------


def load_file(page, name: str, content: bytes) -> str:  # noqa: ANN001
    """Load a file with the progress page's import button; return the announced status."""
    status = page.locator("[data-cg-transfer-status]")
    before = status.inner_text()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Load results from a file").click()
    chooser.value.set_files({"name": name, "mimeType": "application/json", "buffer": content})
    page.wait_for_function(
        "(before) => document.querySelector('[data-cg-transfer-status]').textContent !== before", arg=before
    )
    return status.inner_text()


def test_results_move_to_another_browser(chromium, learner_site) -> None:  # noqa: ANN001
    base, key = learner_site
    first = chromium.new_context(accept_downloads=True)
    page = first.new_page()
    open_page(page, base + "modules/welcome/")
    page.locator("form[data-kind='quiz'] input[data-correct='true']").evaluate_all("els => els.forEach(e => e.click())")
    page.locator("form[data-kind='quiz'] button[type=submit]").click()
    open_page(page, base + "progress/")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my results").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert exported["format"] == "coursegen-results" and exported["results"][key]["passed"] is True
    first.close()

    second = chromium.new_context()
    page = second.new_page()
    open_page(page, base + "progress/")
    assert page.locator("[data-cg-state]").first.inner_text() == "Not started"
    message = load_file(page, "results.json", json.dumps(exported).encode())
    assert message.startswith("Loaded results for 1 quiz."), message
    assert page.locator("[data-cg-state]").first.inner_text() == "Passed"
    open_page(page, base + "modules/welcome/")
    assert page.locator("[data-cg-status]").first.inner_text() == "Passed"
    second.close()


def results_file(key: str, record: object, **extra: object) -> bytes:
    return json.dumps({"format": "coursegen-results", "version": 1, "results": {key: record}, **extra}).encode()


HOSTILE_FILES = [
    ("not JSON", lambda key: b"<html><script>window.__xss=1</script></html>", "Nothing was changed"),
    ("truncated", lambda key: results_file(key, {"v": 1, "best": 100})[:-10], "Nothing was changed"),
    ("empty", lambda key: b"", "Nothing was changed"),
    ("a list", lambda key: b"[1, 2, 3]", "Nothing was changed"),
    ("another format", lambda key: json.dumps({"format": "moodle", "results": {}}).encode(), "Nothing was changed"),
    ("UTF-16 with a BOM (read as text)", lambda key: results_file(key, {"v": 1, "best": 40}).decode().encode("utf-16"),
     "Loaded results for 1 quiz"),
    ("deeply nested, over 1 MB", lambda key: b"[" * 600_000 + b"]" * 600_000, "too big"),
    ("deeply nested, under 1 MB", lambda key: b"[" * 200_000 + b"]" * 200_000, "Nothing was changed"),
    ("another course", lambda key: results_file("coursegen:other:welcome:abc", {"v": 1, "best": 100}), "1 entry"),
    ("an old quiz version", lambda key: results_file(key[:-3] + "000", {"v": 1, "best": 100}), "1 entry"),
    ("a damaged record", lambda key: results_file(key, {"v": 1, "best": "100", "passed": True}), "1 entry"),
    ("a future version", lambda key: results_file(key, {"v": 9, "best": 100, "passed": True}), "1 entry"),
    (
        "markup in every field",
        lambda key: results_file(
            key,
            {"v": 1, "best": 40, "passed": False, "attempts": "<img src=x onerror=window.__xss=2>",
             "answers": {"q-parts": ["<svg onload=window.__xss=3>"], "<b>": [0]}},
            course="<img src=x onerror=window.__xss=4>",
        ),
        "Loaded results for 1 quiz",
    ),
    ("prototype pollution", lambda key: b'{"format":"coursegen-results","results":{"__proto__":{"polluted":1}}}', ""),
    ("a 2 MB file", lambda key: b" " * 2_000_000 + b"{}", "too big"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "expected"), HOSTILE_FILES, ids=[h[0] for h in HOSTILE_FILES])
def test_imported_files_are_untrusted(tab, learner_site, name: str, make, expected: str) -> None:  # noqa: ANN001
    base, key = learner_site
    open_page(tab, base + "progress/")
    message = load_file(tab, "results.json", make(key))
    assert expected in message, message
    assert tab.evaluate("window.__xss") is None
    assert tab.evaluate("({}).polluted") is None
    assert tab.errors == [], tab.errors
    stored = tab.evaluate("([k]) => localStorage.getItem(k)", [key])
    if "Loaded results for 1" in message:
        record = json.loads(stored)
        assert record["best"] == 40 and record["attempts"] == 0 and record["passed"] is False
        assert record["answers"] in ({}, {"q-parts": []}), record
    else:
        assert stored is None, stored
    state = tab.locator("[data-cg-state]").first.inner_text()
    assert state in ("Not started", "Tried, not passed yet"), state
    open_page(tab, base + "modules/welcome/")
    assert "You scored" in answer_quiz(tab)
    assert tab.errors == [], tab.errors


def test_an_import_never_lowers_a_better_result(tab, learner_site) -> None:  # noqa: ANN001
    base, key = learner_site
    open_page(tab, base + "progress/")
    tab.evaluate(
        "([k]) => localStorage.setItem(k, JSON.stringify({v: 1, best: 100, passed: true, attempts: 3, answers: {}}))",
        [key],
    )
    message = load_file(tab, "old.json", results_file(key, {"v": 1, "best": 20, "passed": False, "attempts": 1}))
    assert "Loaded results for 1 quiz" in message
    record = json.loads(tab.evaluate("([k]) => localStorage.getItem(k)", [key]))
    assert record["best"] == 100 and record["passed"] is True and record["attempts"] == 3


@pytest.mark.parametrize(
    ("record", "passed", "state"),
    [
        ({"v": 1, "best": 0, "passed": True}, False, "Tried, not passed yet"),
        ({"v": 1, "best": 95, "passed": False}, True, "Passed"),
    ],
    ids=["0% claiming passed", "95% claiming not passed"],
)
def test_an_imported_pass_follows_from_the_score(tab, learner_site, record: dict, passed: bool, state: str) -> None:  # noqa: ANN001
    """Issue 9, finding 11: '{"best":0,"passed":true}' showed "Passed" with 0%. Whether a result
    passed is worked out from its score and the quiz's pass mark; the file's word is never taken."""
    base, key = learner_site
    open_page(tab, base + "progress/")
    message = load_file(tab, "results.json", results_file(key, {**record, "attempts": 1}))
    assert "Loaded results for 1 quiz" in message, message
    stored = json.loads(tab.evaluate("([k]) => localStorage.getItem(k)", [key]))
    assert stored["passed"] is passed and stored["best"] == record["best"], stored
    assert tab.locator("[data-cg-state]").first.inner_text() == state
    assert tab.errors == [], tab.errors
