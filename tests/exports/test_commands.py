"""`coursegen export FORMAT` as an author uses it: help with examples, the same errors as
`coursegen check` for a broken course (and no file written), and a clear error for a bad target."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from coursegen.cli import cli
from coursegen.scaffold import init_project

FORMATS = ["gift", "moodle-xml", "qti", "print"]
FILE_FORMATS = ["gift", "moodle-xml", "qti"]  # print writes a folder, made if missing


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course with one mistake, as the current folder."""
    init_project(tmp_path, "Broken")
    welcome = tmp_path / "modules" / "welcome.yml"
    welcome.write_text(welcome.read_text(encoding="utf-8").replace("duration_minutes:", "duraton_minutes:"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_help_has_examples(fmt: str) -> None:
    result = CliRunner().invoke(cli, ["export", fmt, "-h"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"coursegen export {fmt}" in result.output
    assert "-o, --output" in result.output


@pytest.mark.parametrize("fmt", FORMATS)
def test_broken_course_fails_like_check_and_writes_nothing(broken: Path, fmt: str) -> None:
    runner = CliRunner()
    check = runner.invoke(cli, ["check"])
    result = runner.invoke(cli, ["export", fmt, "-o", "out.file"])
    assert check.exit_code == result.exit_code == 1
    assert "modules/welcome.yml:" in result.output and "unknown key 'duraton_minutes'" in result.output
    assert result.output == check.output
    assert "Traceback" not in result.output
    assert not (broken / "out.file").exists()


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_missing_folder_is_a_clear_error(course: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.chdir(course)
    result = CliRunner().invoke(cli, ["export", fmt, "-o", "no/such/folder/out.file"])
    assert result.exit_code == 1
    assert "does not exist" in result.output and "Traceback" not in result.output
