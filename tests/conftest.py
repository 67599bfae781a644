"""Shared fixtures: a fresh valid course made by `coursegen init`, helpers to break it, and the one
headless Chromium every browser test uses (tests/browser and tests/hardening alike)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from coursegen.errors import CourseError, CourseInvalid
from coursegen.loader import load_course
from coursegen.scaffold import init_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parent.parent
ENGINES_TESTS = Path(__file__).resolve().parent / "engines"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of other engines run last: scripts/test installs the engines in the background
    while the rest runs, and tests/engines waits for that install (as little as possible)."""
    items.sort(key=lambda item: ENGINES_TESTS in Path(item.path).resolve().parents)  # stable: order kept


# The smallest valid module with id {mid} (fill in with .format(mid=...)).
MINIMAL_MODULE = """\
id: {mid}
title: Module {mid}
summary: About {mid}.
audiences: [everyone]
duration_minutes: 5
objectives: [Do a thing]
lessons:
  - title: Lesson of {mid}
    body: Some text.
"""


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A new course folder, as `coursegen init` makes it."""
    init_project(tmp_path, "Test Course")
    return tmp_path


def errors_of(root: Path) -> list[CourseError]:
    """The errors loading the course at ``root`` reports (fails if it loads)."""
    with pytest.raises(CourseInvalid) as caught:
        load_course(root / "modules", root)
    return caught.value.errors


def write_module(root: Path, name: str, text: str) -> Path:
    """Write modules/<name>.yml and list its id in course.yml's order."""
    path = root / "modules" / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    course_yml = root / "modules" / "course.yml"
    content = course_yml.read_text(encoding="utf-8")
    if f"  - {name}\n" not in content:
        course_yml.write_text(content.replace("  - welcome\n", f"  - welcome\n  - {name}\n"), encoding="utf-8")
    return path


def missing_tool(what: str) -> None:
    """Skip (or, under CI, fail): a tool the suite needs is not installed."""
    message = f"{what}; `bash scripts/test` installs it"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the browser suite, not skip it)")
    pytest.skip(message)


# One Playwright and one Chromium for the whole session, whichever suites run and in whatever
# order: Playwright's sync API allows one running instance per thread, so two suites that each
# started their own (as tests/hardening and tests/browser once did) failed when run together.
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium (Debian's /usr/bin/chromium) for every browser test of the session."""
    from browser.support import CHROMIUM, LAUNCH_ARGS

    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} is missing (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()
