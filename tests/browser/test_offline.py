"""Offline after the first visit: the service worker (coursegen-sw.js) keeps the course.

A learner opens one page over http, the worker keeps every page and asset; with the network gone
they open a module page and the help page they never visited, and answer a quiz. The author then
publishes a changed course at the same address: back online, the page says a newer version is
available, and its Reload button shows the new one. LMS packages carry no worker.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from playwright.sync_api import Error as PlaywrightError

from coursegen.loader import load_course
from coursegen.offline import SW_NAME, precache_files
from coursegen.sitebuild import build_site

from .support import (
    ARTIFACTS,
    DESKTOP,
    LOCAL_HOST,
    PHONE,
    Site,
    SiteServer,
    answer_all,
    copy_project,
    coursegen,
    quiz_form,
    replace_once,
    status,
    submit,
)
from .test_a11y import BLOCKING, describe, run_axe

pytestmark = pytest.mark.browser

NEW_SENTENCE = "This sentence is new in the second edition."
NEWER = "A newer version of this course is available."


@dataclass
class Editions:
    site: Site
    second: Path
    """The second edition's built site, served at the same origin on demand."""
    switched_off: Path
    """The first edition built with ``offline: false``."""
    gone: Path
    """An empty folder: served while "offline", so that no page can come from the network even
    if the browser's offline switch does not reach the worker's own requests."""


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editions]:
    """A course made with `coursegen init` plus a second module, and a second edition of it whose
    second module has one more sentence, both built (with the service worker)."""
    base = tmp_path_factory.mktemp("offline")
    project = base / "course"
    coursegen("init", str(project), "--title", "Offline Course", cwd=base)
    coursegen("new", "second-steps", "--title", "Second steps", cwd=project)
    second = copy_project(project, base / "second")
    replace_once(
        second / "modules" / "second-steps.yml",
        "      Write the lesson in Markdown. Material admonitions work:\n",
        f"      {NEW_SENTENCE}\n\n      Write the lesson in Markdown. Material admonitions work:\n",
    )
    coursegen("build", "--strict", "--site-dir", str(base / "site"), cwd=project)
    coursegen("build", "--strict", "--site-dir", str(base / "site-2"), cwd=second)
    switched_off = copy_project(project, base / "switched-off")
    replace_once(
        switched_off / "mkdocs.yml",
        "      modules_dir: modules\n",
        "      modules_dir: modules\n      offline: false\n",
    )
    coursegen("build", "--strict", "--site-dir", str(base / "site-off"), cwd=switched_off)
    server = SiteServer().start(base / "site")
    site = Site("offline", base / "site", server, load_course(project / "modules", project), project)
    (base / "gone").mkdir()
    yield Editions(site, base / "site-2", base / "site-off", base / "gone")
    server.stop()


@pytest.fixture(autouse=True)
def first_edition_served(editions: Editions) -> Iterator[None]:
    """Every test starts, and leaves the server, with the first edition served."""
    editions.site.server.root = editions.site.root
    yield
    editions.site.server.root = editions.site.root


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile that allows service workers (the shared open_tab blocks them)."""
    context = browser.new_context(viewport=DESKTOP, reduced_motion="reduce", service_workers="allow")
    context.set_default_timeout(15_000)
    yield context
    context.close()


UNLOADED = ["assets/coursegen/lms.js", "assets/coursegen/xapi-queue.js", "assets/coursegen/xapi.js"]


def worker_files(root: Path) -> list[str]:
    """The files the build's service worker keeps, as written into it."""
    worker = (root / SW_NAME).read_text(encoding="utf-8")
    build, _ = json.JSONDecoder().raw_decode(worker, worker.index('{"version":'))
    return build["files"]


def wait_until_kept(page: Page) -> int:
    """Wait until the worker controls the page (it activates only once every file is cached);
    return how many files the course's cache holds."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    return page.evaluate(
        """async () => {
        const names = (await caches.keys()).filter((n) => n.startsWith("coursegen:"));
        if (names.length !== 1) return -names.length;
        return (await (await caches.open(names[0])).keys()).length;
      }"""
    )


def test_the_course_works_offline_after_one_visit(
    node_tools: None, context: BrowserContext, editions: Editions
) -> None:
    site = editions.site
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(site.at("/"))
    kept = wait_until_kept(page)
    assert kept == len(worker_files(site.root)), "the cache does not hold every file of the build"
    assert not page.get_by_role("status").filter(has_text=NEWER).count()

    context.set_offline(True)
    site.server.root = editions.gone
    # A module page and the help page, never visited: they come from the cache.
    second = site.course.module("second-steps")
    page.goto(site.module_url(second))
    expect(page.get_by_role("heading", level=1, name=second.title)).to_be_visible()
    page.goto(site.at("/help/"))
    expect(page.get_by_role("heading", level=1, name="Get help now")).to_be_visible()
    # A quiz answered offline gives its feedback and score.
    welcome = site.course.module("welcome")
    page.goto(site.module_url(welcome))
    form = quiz_form(page, welcome)
    questions = list(welcome.quiz.questions)
    answer_all(form, questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")
    # A page the course does not have: the site's own "not found" page, also offline.
    response = page.goto(site.at("/no-such-page/"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("404"))

    # The author publishes a second edition at the same address; the learner comes back online.
    site.server.root = editions.second
    try:
        context.set_offline(False)
        page.goto(site.module_url(second))
        # Still the edition this browser kept (pages and assets from one build)…
        expect(page.get_by_role("heading", level=1, name=second.title)).to_be_visible()
        expect(page.get_by_text(NEW_SENTENCE)).to_have_count(0)
        # …with a note that a newer one is ready, and a button that shows it.
        note = page.get_by_role("status").filter(has_text=NEWER)
        expect(note).to_be_visible(timeout=60_000)  # the new build is fetched first
        blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
        assert not blocking, f"axe with the note shown:\n{describe(blocking)}"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "offline-newer-version-1280.png"))
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(ARTIFACTS / "offline-newer-version-390.png"))
        page.set_viewport_size(DESKTOP)
        note.get_by_role("button", name="Reload").click()
        expect(page.get_by_text(NEW_SENTENCE)).to_be_visible()
        expect(page.get_by_role("status").filter(has_text=NEWER)).to_have_count(0)
        # The first edition's cache is gone: one course, one cache.
        assert wait_until_kept(page) == len(worker_files(editions.second))
    finally:
        site.server.root = site.root

    others = sorted(
        {u for u in requests if urlsplit(u).scheme in ("http", "https") and urlsplit(u).hostname != LOCAL_HOST}
    )
    assert not others, "requests to other hosts:\n" + "\n".join(others)
    assert not errors, errors


def test_the_worker_keeps_a_bounded_set_of_files(editions: Editions) -> None:
    """Pages, assets and the search index are kept; source maps and unused stemmers are not."""
    files = worker_files(editions.site.root)
    assert files == precache_files(editions.site.root, unloaded=UNLOADED)
    assert not set(UNLOADED) & set(files), "no page of this course loads the LMS bridge or xAPI"
    assert {"index.html", "help/index.html", "modules/second-steps/index.html", "search/search_index.json"} <= set(
        files
    )
    assert "assets/coursegen/quiz.js" in files and "sitemap.xml" in files
    assert "assets/coursegen/course-map-en.js" in files  # path.js needs it on every page
    assert not [f for f in files if f.endswith(".map") or f.startswith("assets/javascripts/lunr/")]
    assert SW_NAME not in files


def test_an_lms_package_has_no_worker(tmp_path: Path, editions: Editions) -> None:
    """The LMS serves a package: its pages register no worker and it ships none."""
    site = tmp_path / "package"
    build_site(editions.site.project / "mkdocs.yml", site, strict=True, for_package=True)
    assert not (site / SW_NAME).exists()
    assert "offline.js" not in (site / "index.html").read_text(encoding="utf-8")
    assert "offline.js" in (editions.site.root / "index.html").read_text(encoding="utf-8")
    # MkDocs reuses the plugin object for every build of a process: the next site build still
    # gets its worker.
    build_site(editions.site.project / "mkdocs.yml", tmp_path / "site", strict=True)
    assert (tmp_path / "site" / SW_NAME).is_file()
    assert "offline.js" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")


def test_turning_offline_off_removes_the_copy(context: BrowserContext, editions: Editions) -> None:
    """A site rebuilt with ``offline: false`` (or served by ``coursegen serve``) ships a worker that
    unregisters itself and deletes its copy: nobody keeps reading the old build."""
    site = editions.site
    page = context.new_page()
    page.goto(site.at("/"))
    assert wait_until_kept(page) > 0
    site.server.root = editions.switched_off
    try:
        assert "offline.js" not in (editions.switched_off / "index.html").read_text(encoding="utf-8")
        page.goto(site.at("/help/"))  # the browser looks for a new worker, and gets the one that leaves
        page.wait_for_function(
            """async () => (await navigator.serviceWorker.getRegistrations()).length === 0
              && (await caches.keys()).filter((n) => n.startsWith("coursegen:")).length === 0"""
        )
        # The next visit (the tab that saw the old build closed): no copy is left to answer.
        page.close()
        page = context.new_page()
        context.set_offline(True)
        site.server.root = editions.gone
        second = site.course.module("second-steps")
        with contextlib.suppress(PlaywrightError):  # no connection, no copy: the browser's error page
            page.goto(site.module_url(second))
        expect(page.get_by_role("heading", level=1, name=second.title)).to_have_count(0)
        assert page.evaluate("() => !navigator.serviceWorker || navigator.serviceWorker.controller === null")
    finally:
        context.set_offline(False)
        site.server.root = site.root
