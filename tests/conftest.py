"""Shared fixtures: a fresh valid course made by `coursegen init`, and helpers to break it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursegen.errors import CourseError, CourseInvalid
from coursegen.loader import load_course
from coursegen.scaffold import init_project

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parent.parent


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
