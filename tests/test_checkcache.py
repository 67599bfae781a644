"""`coursegen check` keeps what each module file showed and re-checks only what changed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_module
from coursegen.checkcache import STALE_TEMPORARY_SECONDS, write_atomically
from coursegen.cli import cli

BROKEN = """\
id: broken
title: Broken
summary: S
audiences: [everyone, nobody]
duration_minutes: 5
requires: [welcom]
objectives: [Do a thing]
lessons:
  - title: L
    body: See [the other page](welcome.md#no-such-heading) and [this](#nowhere).
"""


def check(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["check", *args])
    return result.exit_code, result.output


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def project(course: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(course)
    return course


def test_a_second_check_reports_the_same_problems_from_the_cache(runner: CliRunner, project: Path) -> None:
    write_module(project, "broken", BROKEN)
    fresh = check(runner, "--no-cache")
    assert not (project / ".cache").exists(), "--no-cache writes nothing"
    first = check(runner)
    entries = list((project / ".cache" / "coursegen" / "check").glob("*/*.json"))
    assert len(entries) == 2  # welcome and broken
    second = check(runner)
    assert fresh == first == second
    assert fresh[0] == 1
    for expected in ("unknown audience 'nobody'", "unknown module 'welcom'", "no-such-heading", "nowhere"):
        assert expected in fresh[1]


def test_a_cached_module_still_sees_changes_in_other_files(runner: CliRunner, project: Path) -> None:
    write_module(project, "broken", BROKEN.replace("[welcom]", "[welcome]").replace(", nobody", ""))
    code, output = check(runner)
    assert code == 1 and "no-such-heading" in output
    # broken.yml is unchanged (cached); the heading it links to appears in welcome.yml.
    welcome = project / "modules" / "welcome.yml"
    welcome.write_text(welcome.read_text().replace("  - title: How this course works", "  - title: No such heading", 1))
    code, output = check(runner)
    assert "no-such-heading" not in output, output
    # and an audience removed from course.yml is noticed by the cached module that names it
    course_yml = project / "modules" / "course.yml"
    course_yml.write_text(course_yml.read_text().replace("id: everyone", "id: all-staff"))
    code, output = check(runner)
    assert "unknown audience 'everyone'" in output


def test_an_edited_module_is_checked_again(runner: CliRunner, project: Path) -> None:
    assert check(runner)[0] == 0
    write_module(project, "broken", BROKEN)
    code, output = check(runner)
    assert code == 1 and "unknown audience 'nobody'" in output
    write_module(
        project, "broken", BROKEN.replace(", nobody", "").replace("[welcom]", "[]").replace("#no-such-heading", "")
    )
    (project / "modules" / "broken.yml").write_text(
        (project / "modules" / "broken.yml").read_text().replace(" and [this](#nowhere)", "")
    )
    code, output = check(runner)
    assert code == 0, output


def test_a_damaged_cache_entry_is_ignored(runner: CliRunner, project: Path) -> None:
    write_module(project, "broken", BROKEN)
    expected = check(runner)
    for entry in (project / ".cache" / "coursegen" / "check").glob("*/*.json"):
        entry.write_text('{"errors": [["x"]], "module": 3')
    assert check(runner) == expected
    for entry in (project / ".cache" / "coursegen" / "check").glob("*/*.json"):
        entry.write_text('{"errors": [], "warnings": [], "facts": null, "module": null, "questions": 0}')
    assert check(runner) == expected, "an entry without every field is not trusted"


def test_warnings_come_back_from_the_cache(runner: CliRunner, project: Path) -> None:
    from test_quizlint import BAD_QUIZ

    write_module(project, "extra", BAD_QUIZ)
    first = check(runner, "--strict")
    assert first[0] == 1 and "warning:" in first[1]
    assert check(runner, "--strict") == first


def test_a_damaged_module_in_the_cache_is_a_clear_error_not_a_traceback(
    runner: CliRunner, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build reads each module from the cache when it needs it; if that file was changed from
    outside since, the build stops with what to do."""
    import coursegen.loadonce

    monkeypatch.setattr(coursegen.loadonce, "_results", None)  # not serving (a serve test may have run)
    monkeypatch.setattr(coursegen.loadonce, "_last", None)
    assert check(runner)[0] == 0
    modules = list((project / ".cache" / "coursegen" / "check").glob("*/*.module"))
    assert modules, "valid modules are kept beside their entries"
    modules[0].write_text('{"id": "half')
    result = runner.invoke(cli, ["build", "-d", str(project / "out")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert "this check cache entry cannot be read" in result.output
    assert "delete the .cache/coursegen/ folder" in result.output
    assert not (project / "out").exists()


def test_a_module_read_back_from_the_cache_is_the_module_the_file_makes(project: Path) -> None:
    """Equal, with the same fields set: only what the file wrote is stored (so a hash or an export
    that looks at what was written sees the same, and memory is not spent on defaults)."""
    from coursegen.checkcache import CACHE_FOLDER, CheckCache
    from coursegen.loader import check_course_folder, load_course

    cache = CheckCache(project / CACHE_FOLDER)
    check_course_folder(project / "modules", project, None, cache)
    cached = check_course_folder(project / "modules", project, None, CheckCache(project / CACHE_FOLDER))
    assert all(r.module_file is not None and r._module is None for r in cached.results), "read from the cache"
    fresh = load_course(project / "modules", project)
    for read_back, made in zip(cached.loaded.modules, fresh.modules, strict=True):
        assert read_back == made
        assert read_back.model_fields_set == made.model_fields_set
        assert [q.model_fields_set for q in read_back.questions()] == [q.model_fields_set for q in made.questions()]


def test_temporary_files_a_killed_run_left_are_removed_and_fresh_ones_kept(
    runner: CliRunner, project: Path, tmp_path: Path
) -> None:
    """A run killed while writing an entry leaves its temporary file; the next runs' pruning
    removes it once it is old, in the check cache and in the page cache alike."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    check(runner)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    cache = project / ".cache" / "coursegen"
    folders = [next((cache / "check").glob("*/")), next((cache / "pages" / "en").glob("*/"))]
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    left, fresh = [], []
    for folder in folders:
        left.append(folder / ".entry-killed.tmp")
        fresh.append(folder / ".entry-writing.tmp")
        for temporary in (left[-1], fresh[-1]):
            temporary.write_bytes(b"half an entr")
        os.utime(left[-1], (old, old))
    check(runner)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert [path.exists() for path in left] == [False, False]
    assert [path.exists() for path in fresh] == [True, True], "another run may still be writing these"


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(source: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(OSError):
        write_atomically(tmp_path / "ab" / "entry.json", b"{}")
    assert list((tmp_path / "ab").iterdir()) == []
