"""The course is loaded once per build, and again as soon as a file it reads changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import coursegen.loader
import coursegen.loadonce
from coursegen.cli import cli
from coursegen.errors import CourseInvalid
from coursegen.loadonce import load_course_once


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every real load of a course in this test, by course folder."""
    calls: list[Path] = []
    real = coursegen.loader.check_course_folder

    def counting(modules_dir: Path, *args: object) -> object:
        calls.append(modules_dir)
        return real(modules_dir, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(coursegen.loader, "check_course_folder", counting)
    monkeypatch.setattr(coursegen.loadonce, "_last", None)
    return calls


def test_build_loads_the_course_once(course: Path, loads: list[Path]) -> None:
    """`coursegen build` checks the course, then MkDocs' plugin uses the same load."""
    run = CliRunner().invoke(cli, ["build", "-f", str(course / "mkdocs.yml"), "-d", str(course / "out")])
    assert run.exit_code == 0, run.output
    assert (course / "out" / "modules" / "welcome" / "index.html").is_file()
    assert len(loads) == 1


def test_a_changed_module_file_is_loaded_again(course: Path, loads: list[Path]) -> None:
    first = load_course_once(course / "modules", course)
    assert load_course_once(course / "modules", course) is first
    module = course / "modules" / "welcome.yml"
    module.write_text(module.read_text().replace("title: Welcome", "title: Welcome back"))
    second = load_course_once(course / "modules", course)
    assert second.modules[0].title == "Welcome back"
    assert len(loads) == 2


def test_a_new_page_in_docs_is_seen_by_the_link_check(course: Path, loads: list[Path]) -> None:
    """Lessons may link to hand-written pages: their files are part of what is checked."""
    module = course / "modules" / "welcome.yml"
    module.write_text(module.read_text().replace("Each module has", "See [notes](../notes.md). Each module has"))
    with pytest.raises(CourseInvalid):
        load_course_once(course / "modules", course)
    (course / "docs" / "notes.md").write_text("# Notes\n")
    assert load_course_once(course / "modules", course).modules[0].id == "welcome"


def test_a_file_rewritten_with_the_same_size_is_loaded_again(course: Path, loads: list[Path]) -> None:
    load_course_once(course / "modules", course)
    module = course / "modules" / "welcome.yml"
    stat = module.stat()
    module.write_text(module.read_text().replace("title: Welcome", "title: Welkome"))
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_course_once(course / "modules", course).modules[0].title == "Welkome"


def _count_module_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(coursegen.loadonce, "_results", None)  # not serving (a serve test may have run)
    checked: list[str] = []
    real = coursegen.loader._check_module_file

    def counting(file: Path, *args: object) -> object:
        checked.append(file.name)
        return real(file, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(coursegen.loader, "_check_module_file", counting)
    return checked


def test_a_rebuild_checks_again_only_the_module_file_that_changed(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds keep what `coursegen check` keeps: a new process re-checks only what changed."""
    checked = _count_module_checks(monkeypatch)
    config = str(course / "mkdocs.yml")
    (course / "modules" / "second.yml").write_text(
        (course / "modules" / "welcome.yml").read_text().replace("id: welcome", "id: second")
    )
    (course / "modules" / "course.yml").write_text(
        (course / "modules" / "course.yml").read_text().replace("  - welcome", "  - welcome\n  - second")
    )
    assert CliRunner().invoke(cli, ["build", "-f", config, "-d", str(course / "out")]).exit_code == 0
    assert sorted(checked) == ["second.yml", "welcome.yml"]
    assert (course / ".cache" / "coursegen" / "check").is_dir()

    module = course / "modules" / "second.yml"
    module.write_text(module.read_text().replace("title: Welcome", "title: Second module"))
    monkeypatch.setattr(coursegen.loadonce, "_last", None)  # as a new process starts
    run = CliRunner().invoke(cli, ["build", "-f", config, "-d", str(course / "out")])
    assert run.exit_code == 0, run.output
    assert sorted(checked) == ["second.yml", "second.yml", "welcome.yml"]
    assert "Second module" in (course / "out" / "modules" / "second" / "index.html").read_text()


def test_check_cache_false_keeps_nothing(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = _count_module_checks(monkeypatch)
    config = course / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("      modules_dir: modules", "      modules_dir: modules\n      check_cache: false")
    )
    for _ in range(2):
        monkeypatch.setattr(coursegen.loadonce, "_last", None)
        run = CliRunner().invoke(cli, ["build", "-f", str(config), "-d", str(course / "out")])
        assert run.exit_code == 0, run.output
    assert checked == ["welcome.yml", "welcome.yml"]
    assert not (course / ".cache").exists()
