"""Fixtures of the hardening suite: fresh courses, one hostile site per session, one Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser.support import CHROMIUM, LAUNCH_ARGS  # one launch recipe for every browser test

from .hostile import hostile_course
from .support import build, new_course

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A new, valid course folder (what `coursegen init` makes)."""
    return new_course(tmp_path / "course")


@pytest.fixture(scope="session")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid course whose every text field holds hostile text."""
    root = new_course(tmp_path_factory.mktemp("hostile") / "course")
    hostile_course(root)
    return root


@pytest.fixture(scope="session")
def hostile_site(hostile_root: Path) -> Path:
    """The hostile course, built as `coursegen build --strict` builds it."""
    return build(hostile_root)


@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    """One headless Chromium for this package (tests/browser has its own, also package-scoped: two
    Playwright sessions may not be open at once); skips (fails under CI) when it is not installed."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing; scripts/test installs it")
        pytest.skip("/usr/bin/chromium is missing; scripts/test installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()
