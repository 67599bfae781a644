"""Fixtures of the browser suite: built sites served on 127.0.0.1, one Chromium for the suite,
a fresh browser context (its own storage, like a fresh profile) for every page a test opens.

Sites, each built once per session:

- ``flagship``: this repository's course, built with ``coursegen build --strict`` as it ships.
- ``starter``: a course made by ``coursegen init`` in a temporary folder, plus a second module
  (``coursegen new``; "&" in its title, a wide table in its lesson, on the same learning path),
  a true/false quiz question,
  a glossary, and ``site_url`` pointing at its server so that Material's instant navigation is
  really on. Its variant ``edited`` is a copy whose quiz was edited, served at the same origin
  on demand to test that old scores do not show.

Browser tests skip, with the reason, when /usr/bin/chromium or tests/tooling/node_modules is
missing; under CI (``CI`` set) they fail instead, because scripts/test installs both.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page

from conftest import missing_tool
from coursegen.loader import load_course

from .guide_course import make_guide_course
from .support import (
    AXE_JS,
    DESKTOP,
    LOCAL_HOST,
    NODE_MODULES,
    REPO,
    VNU_JAR,
    Site,
    SiteServer,
    copy_project,
    coursegen,
    replace_once,
)

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture(scope="session")
def node_tools() -> None:
    """axe-core and vnu-jar from tests/tooling (npm ci)."""
    if not AXE_JS.is_file() or not VNU_JAR.is_file():
        missing_tool(f"{NODE_MODULES} has no axe-core or vnu-jar (run `npm ci` in tests/tooling)")


@pytest.fixture(scope="session")
def java() -> str:
    found = shutil.which("java")
    if not found:
        missing_tool("java is not installed (the Nu HTML checker runs on it)")
    return str(found)


# --- sites ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The flagship course, built from this repository exactly as the README says."""
    root = tmp_path_factory.mktemp("flagship") / "site"
    coursegen("build", "--strict", "--site-dir", str(root), cwd=REPO)
    server = SiteServer().start(root)
    yield Site("flagship", root, server, load_course(REPO / "modules", REPO), REPO)
    server.stop()


TRUE_FALSE_QUESTION = """\
    - id: q-where
      type: true_false
      prompt: Your quiz results stay in this browser.
      answer: true
      true_feedback: Right. Nothing is sent to a server.
      false_feedback: Not quite. Results are kept only in this browser.
      explanation: coursegen keeps quiz results in the browser's local storage.
resources:
"""

# A lesson table wider than a phone: it must scroll inside its own box, by keyboard too.
WIDE_TABLE = """\
      ## Who to tell

      | Shift | Reception | Housekeeping | Surveillance | Maintenance | Reservations | Entertainment |
      | --- | --- | --- | --- | --- | --- | --- |
      | Morning | Supervisor | Supervisor | Duty officer | Engineer | Manager | Host |

      Write the lesson in Markdown. Material admonitions work:
"""

GLOSSARY = """\
glossary:
  - term: Knowledge check
    definition: A short question inside a lesson, with feedback on every answer.
  - term: Pass mark
    definition: The score in percent a learner needs to pass a module quiz.
"""


@pytest.fixture(scope="session")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A small course made with `coursegen init`, and an edited copy (variant "edited")."""
    base = tmp_path_factory.mktemp("starter")
    project = base / "course"
    coursegen("init", str(project), "--title", "Fixture Course", cwd=base)
    coursegen("new", "second-steps", "--title", "Second steps & next", cwd=project)
    replace_once(
        project / "modules" / "second-steps.yml",
        "      Write the lesson in Markdown. Material admonitions work:\n",
        WIDE_TABLE,
    )
    # Two modules on one learning path: the home page must list them as two cards and two steps.
    replace_once(project / "modules" / "second-steps.yml", "audiences: []", "audiences: [everyone]")
    replace_once(project / "modules" / "welcome.yml", "resources:\n", TRUE_FALSE_QUESTION)
    course_yml = project / "modules" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + GLOSSARY, encoding="utf-8")
    server = SiteServer()
    try:
        # With site_url Material writes a sitemap, and its instant navigation follows only the
        # links listed there: without it (or on another port) "instant" pages load in full.
        mkdocs_yml = project / "mkdocs.yml"
        config = re.sub(r"(?m)^site_url:.*$", f"site_url: {server.url}/", mkdocs_yml.read_text(encoding="utf-8"))
        assert f"site_url: {server.url}/" in config, "the scaffold's mkdocs.yml has no site_url line to point"
        mkdocs_yml.write_text(config, encoding="utf-8")
        edited = copy_project(project, base / "edited")
        replace_once(
            edited / "modules" / "welcome.yml",
            "prompt: What comes at the end of a module?",
            "prompt: What comes last in a module?",
        )
        root = base / "site"
        coursegen("build", "--strict", "--site-dir", str(root), cwd=project)
        coursegen("build", "--strict", "--site-dir", str(base / "site-edited"), cwd=edited)
    except BaseException:
        server.server_close()
        raise
    server.start(root)
    site = Site("starter", root, server, load_course(project / "modules", project), project)
    site.variants["edited"] = base / "site-edited"
    yield site
    server.stop()


@pytest.fixture(scope="session")
def guide(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A starter course with the authors' guide in its docs and the guide's link examples as a
    module (tests/browser/guide_course.py), built with --strict."""
    base = tmp_path_factory.mktemp("guide")
    project = base / "course"
    make_guide_course(project)
    coursegen("build", "--strict", "--site-dir", str(base / "site"), cwd=project)
    server = SiteServer().start(base / "site")
    yield Site("guide", base / "site", server, load_course(project / "modules", project), project)
    server.stop()


@pytest.fixture(scope="session", params=["flagship", "starter"])
def any_site(request: pytest.FixtureRequest) -> Site:
    """Each of the two sites in turn."""
    return request.getfixturevalue(request.param)


# --- pages ---------------------------------------------------------------------------------------


class Tab:
    """A page in its own fresh browser context, with what it requested and any script errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []


OpenTab = Callable[..., Tab]


@pytest.fixture
def open_tab(browser: Browser) -> Iterator[OpenTab]:
    """``open_tab(viewport=..., javascript=...)``: a page in a new, empty browser context that
    prefers reduced motion.

    Every request is recorded; any for a host other than 127.0.0.1 is aborted (and recorded as
    blocked), so no test can reach the internet whatever the page asks for."""
    contexts = []

    def open_one(viewport: dict[str, int] | None = None, javascript: bool = True) -> Tab:
        # Reduced motion: Material then drops its transitions, so what a test measures (colour
        # contrast, positions) is the final state, never a frame in between.
        # No service worker: the offline worker would answer from the build it kept, so a test that
        # serves another build at the same origin would see the old one (and Playwright's routing
        # does not see what a worker answers). test_offline.py tests the worker in its own contexts.
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            java_script_enabled=javascript,
            reduced_motion="reduce",
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page)

        def route(route) -> None:  # noqa: ANN001 - Playwright's Route
            url = route.request.url
            if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).hostname != LOCAL_HOST:
                tab.blocked.append(url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", route)
        context.on("request", lambda request: tab.requests.append(request.url))
        page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
        page.on(
            "console", lambda msg: tab.errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None
        )
        return tab

    yield open_one
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_tab: OpenTab) -> Page:
    """A desktop-sized page with JavaScript on, in a fresh context."""
    return open_tab().page
