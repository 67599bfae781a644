"""The command line, through Click's CliRunner, as an author uses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursegen.cli import cli

COMMANDS = ["init", "new", "check", "build", "serve", "schema", "list", "render"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "-h"])
    assert result.exit_code == 0
    assert "Usage: cli " + command in result.output or f"Usage: coursegen {command}" in result.output
    assert "Example" in result.output


def test_commands_load_only_what_they_use() -> None:
    """`coursegen --version` starts without the course model, and `coursegen check` without MkDocs,
    Jinja or the exporters: each would add tenths of a second to every call."""
    probe = (
        "import sys\n"
        "from coursegen.cli import cli\n"
        "try:\n"
        "    cli(sys.argv[1:], standalone_mode=False)\n"
        "finally:\n"
        "    print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
        "    print(' '.join(sorted(m for m in sys.modules if m.startswith('coursegen.'))))\n"
    )
    flagship = Path(__file__).resolve().parent.parent

    def loaded(*args: str) -> tuple[set[str], set[str]]:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args], cwd=flagship, capture_output=True, text=True, check=False
        )
        packages, ours = done.stdout.strip().splitlines()[-2:]
        return set(packages.split()), set(ours.split())

    packages, _ = loaded("--version")
    assert not packages & {"pydantic", "markdown", "jinja2", "mkdocs"}
    packages, ours = loaded("check")
    assert "pydantic" in packages and "coursegen.loader" in ours  # it did check the course
    assert not packages & {"mkdocs", "jinja2", "material"}
    assert not ours & {"coursegen.sitebuild", "coursegen.render", "coursegen.exports", "coursegen.plugin"}


def test_cli_reference_is_generated_and_current() -> None:
    import runpy

    module = runpy.run_path(str(Path(__file__).parent.parent / "scripts" / "cli_reference.py"))
    current = (Path(__file__).parent.parent / "docs" / "for-authors" / "cli.md").read_text()
    assert current == module["reference"](), "run: .venv/bin/python scripts/cli_reference.py"
    for command in COMMANDS:
        assert f"## coursegen {command}\n" in current


def test_init_then_check_build_and_list(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["init", "course", "--title", "Safety basics"])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(tmp_path / "course")
    assert runner.invoke(cli, ["check"]).output == "ok: 1 modules, 3 questions\n"
    built = runner.invoke(cli, ["build", "--strict"])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "course" / "site" / "modules" / "welcome" / "index.html").is_file()
    listing = runner.invoke(cli, ["list"])
    assert "welcome" in listing.output and "everyone: welcome" in listing.output
    data = json.loads(runner.invoke(cli, ["list", "--json"]).output)
    assert data["modules"][0] == {
        "id": "welcome",
        "title": "Welcome",
        "minutes": 10,
        "checks": 1,
        "quiz": 2,
        "types": {"true_false": 1, "single": 1, "multiple": 1},
        "audiences": ["everyone"],
    }


def test_init_refuses_to_overwrite(runner: CliRunner, course: Path) -> None:
    result = runner.invoke(cli, ["init", str(course)])
    assert result.exit_code == 1
    assert "already has mkdocs.yml" in result.output


def test_new_module_builds_and_is_ordered(runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    result = runner.invoke(cli, ["new", "hotel-signs", "--title", "Signs in hotels"])
    assert result.exit_code == 0, result.output
    assert "added 'hotel-signs'" in result.output
    assert "  - welcome\n  - hotel-signs\n" in (course / "modules" / "course.yml").read_text()
    assert runner.invoke(cli, ["check"]).exit_code == 0
    listing = runner.invoke(cli, ["list", "--json"]).output
    assert [m["id"] for m in json.loads(listing)["modules"]] == ["welcome", "hotel-signs"]


@pytest.mark.parametrize("bad", ["Bad_Id", "../x", "welcome"])
def test_new_refuses_bad_or_existing_ids(
    runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    monkeypatch.chdir(course)
    result = runner.invoke(cli, ["new", bad])
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert not (course / "x.yml").exists()


def test_check_reports_file_line_col_and_exits_1(
    runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course)
    path = course / "modules" / "welcome.yml"
    path.write_text(path.read_text().replace("pass_mark: 80", "pass_mark: 180").replace("summary:", "sumary:"))
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == "3 problems found."
    assert any(
        line.startswith("modules/welcome.yml:4:1: unknown key 'sumary'") and "did you mean 'summary'" in line
        for line in lines
    )
    assert "Traceback" not in result.output


def test_check_github_annotations(runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    (course / "modules" / "welcome.yml").write_text("id: [\n")
    result = runner.invoke(cli, ["check", "--github"])
    assert result.exit_code == 1
    assert result.output.startswith("::error file=modules/welcome.yml,line=2,col=1::")


def test_build_with_errors_keeps_the_old_site(runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    assert runner.invoke(cli, ["build"]).exit_code == 0
    before = sorted(p.relative_to(course) for p in (course / "site").rglob("*"))
    (course / "modules" / "welcome.yml").write_text("id: welcome\ntitle: [\n")
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "modules/welcome.yml:3:1" in result.output
    assert sorted(p.relative_to(course) for p in (course / "site").rglob("*")) == before


def test_build_strict_fails_on_broken_link(runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    (course / "docs" / "about.md").write_text("# About\n\n[missing](nowhere.md)\n")
    result = runner.invoke(cli, ["build", "--strict", "--site-dir", "out"])
    assert result.exit_code == 1
    assert "Aborted" in result.output
    assert not (course / "out").exists()
    # The warning itself, not only how many there were: it names the page and the link.
    assert "WARNING: Doc file 'about.md' contains a link 'nowhere.md'" in result.output
    assert "listed above" in result.output


def test_build_outside_a_project(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["build"])
    assert result.exit_code == 1
    assert "mkdocs.yml not found" in result.output


@pytest.mark.parametrize("command", ["check", "list", "new"])
def test_outside_a_course_says_how_to_make_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, [command] + (["some-module"] if command == "new" else []))
    assert result.exit_code == 1
    assert "no course here" in result.output and "init my-course" in result.output
    assert "modules:1:1" not in result.output and "does not exist" not in result.output
    assert not (tmp_path / "modules").exists()


def test_inside_a_course_subfolder_points_to_the_course(
    runner: CliRunner, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course / "modules")
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "`cd ..` first" in result.output


@pytest.mark.parametrize("folder", ["my-course", "my course", "."])
def test_init_suggests_a_command_that_works_from_here(tmp_path: Path, folder: str) -> None:
    """Run as a trainer does, with the venv's coursegen by path and not on PATH: the suggested
    next command (with `check` for `serve`, which would not return) works from the same folder."""
    import subprocess
    import sys

    program = Path(sys.executable).parent / "coursegen"
    if not program.is_file():
        pytest.skip("coursegen is not installed next to this python")
    env = {**os.environ, "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    where = tmp_path / "work"
    where.mkdir()
    made = subprocess.run([str(program), "init", folder], cwd=where, env=env, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    suggested = made.stdout.strip().splitlines()[-1].removeprefix("Next: ")
    assert suggested.endswith(" serve")
    if folder == ".":
        assert not suggested.startswith("cd ")
    ran = subprocess.run(
        ["bash", "-c", suggested.removesuffix("serve") + "check"], cwd=where, env=env, capture_output=True, text=True
    )
    assert ran.returncode == 0, (suggested, ran.stderr)
    assert ran.stdout.startswith("ok: 1 modules")


def test_schema_describes_module_keys(runner: CliRunner, tmp_path: Path) -> None:
    schema = json.loads(runner.invoke(cli, ["schema"]).output)
    assert schema["additionalProperties"] is False
    assert {"id", "title", "lessons", "quiz"} <= set(schema["properties"])
    course_schema = json.loads(runner.invoke(cli, ["schema", "--course"]).output)
    assert "audiences" in course_schema["properties"]
    result = runner.invoke(cli, ["schema", "--write", str(tmp_path)])
    assert result.exit_code == 0
    assert json.loads((tmp_path / "schema" / "module.schema.json").read_text()) == schema


def test_flagship_schema_files_are_current() -> None:
    from coursegen.scaffold import schemas

    folder = Path(__file__).parent.parent / "schema"
    for name, schema in schemas().items():
        assert json.loads((folder / name).read_text()) == schema, f"run `coursegen schema --write .` ({name} is stale)"


def _patterns(node: object) -> list[str]:
    """Every regular expression in a JSON Schema: ``pattern`` values and ``patternProperties`` keys."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                found.append(value)
            elif key == "patternProperties" and isinstance(value, dict):
                found += list(value)
            found += _patterns(value)
    elif isinstance(node, list):
        for item in node:
            found += _patterns(item)
    return found


def test_schema_patterns_compile_as_ecma_262_unicode() -> None:
    """Strict JSON Schema validators (ajv and editors) compile patterns as ECMA-262 with the u flag,
    where an escape such as \\" that Python accepts is a syntax error."""
    import shutil
    import subprocess

    from coursegen.scaffold import schemas

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    patterns = sorted({p for schema in schemas().values() for p in _patterns(schema)})
    assert len(patterns) >= 4  # slug, url, phone, email
    script = (
        "const bad = [];"
        "for (const p of JSON.parse(process.argv[1])) {"
        "  try { new RegExp(p, 'u'); } catch (e) { bad.push(p + ': ' + e.message); }"
        "}"
        "process.stdout.write(JSON.stringify(bad));"
    )
    result = subprocess.run([node, "-e", script, json.dumps(patterns)], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_version(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["--version"]).output.startswith("coursegen, version ")
