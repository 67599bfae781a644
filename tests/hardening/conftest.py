"""Fixtures of the hardening suite: fresh courses, one hostile site per session, the shared Chromium."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .hostile import hostile_course
from .support import build, new_course

if TYPE_CHECKING:
    from playwright.sync_api import Browser

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


@pytest.fixture(scope="session")
def chromium(browser: Browser) -> Browser:
    """The session's one headless Chromium (tests/conftest.py), shared with tests/browser."""
    return browser
