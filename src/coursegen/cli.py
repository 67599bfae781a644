"""The ``coursegen`` command line."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import CourseInvalid, format_errors, terminal_safe
from .loader import load_course
from .model import LoadedCourse
from .project import Project, find_project
from .scaffold import ScaffoldError, init_project, new_module, schemas, write_schemas
from .sitebuild import SiteBuildError, build_site

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner is noise here

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class CourseProblems(click.ClickException):
    """Prints every course error as ``path:line:col: message`` and exits 1."""

    def __init__(self, invalid: CourseInvalid, *, github: bool = False) -> None:
        super().__init__(format_errors(invalid.errors, github=github))

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """The shared ``-f/--config-file`` option."""
    return click.option(
        "-f",
        "--config-file",
        default="mkdocs.yml",
        show_default=True,
        type=click.Path(dir_okay=False),
        help="The project's mkdocs.yml; the course folder is read from its coursegen plugin options.",
    )(func)


def _load(project: Project, github: bool = False) -> LoadedCourse:
    try:
        return load_course(project.modules_dir, Path.cwd())
    except CourseInvalid as exc:
        raise CourseProblems(exc, github=github) from None


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="coursegen")
def cli() -> None:
    """Build self-paced training courses with quizzes from YAML modules.

    A course is a folder with mkdocs.yml, modules/course.yml and one YAML file per module.
    Start with `coursegen init my-course`, then `coursegen serve` inside it.
    """


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False))
@click.option("--title", default="My Course", show_default=True, help="The course title.")
def init(directory: str, title: str) -> None:
    """Create a new course in DIRECTORY that builds at once.

    \b
    Examples:
      coursegen init my-course --title "Safety basics"
      cd my-course && coursegen serve
    """
    target = Path(directory)
    try:
        written = init_project(target, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"\nNext: cd {directory} && coursegen serve")


@cli.command()
@click.argument("module_id")
@click.option("--title", help="The module title (default: from the id).")
@config_option
def new(module_id: str, title: str | None, config_file: str) -> None:
    """Create a module skeleton modules/MODULE_ID.yml and add it to course.yml.

    \b
    Example:
      coursegen new hotel-indicators --title "Indicators in hotels"
    """
    project = find_project(config_file)
    try:
        path, ordered = new_module(project.modules_dir, module_id, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {path}")
    if ordered:
        click.echo(f"added '{module_id}' to modules: in course.yml")
    else:
        click.echo(f"add '- {module_id}' under modules: in course.yml to place it in the course")


@cli.command()
@config_option
@click.option("--github", is_flag=True, help="Print errors as GitHub Actions annotations.")
def check(config_file: str, github: bool) -> None:
    """Validate the course and report every problem as file:line:col.

    Exits 1 when there are problems, 0 when the course is valid.

    \b
    Examples:
      coursegen check
      coursegen check --github      # in a GitHub Actions workflow
    """
    loaded = _load(find_project(config_file), github)
    questions = sum(len(m.questions()) for m in loaded.modules)
    click.echo(f"ok: {len(loaded.modules)} modules, {questions} questions")


@cli.command()
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Where to write the site (default: site/).")
@click.option("-s", "--strict", is_flag=True, help="Fail on any MkDocs warning, such as a broken link.")
def build(config_file: str, site_dir: str | None, strict: bool) -> None:
    """Build the course site. A failed build leaves the previous site untouched.

    \b
    Examples:
      coursegen build
      coursegen build --strict --site-dir public
    """
    project = find_project(config_file)
    if not project.config_file.is_file():
        raise click.ClickException(f"{config_file} not found; run inside a course folder or pass -f")
    _load(project)
    target = Path(site_dir) if site_dir else project.root / "site"
    try:
        build_site(project.config_file, target, strict=strict)
    except SiteBuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"built {target}")


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
def serve(config_file: str, dev_addr: str, open_browser: bool) -> None:
    """Serve the course with live reload; edits to modules/ and docs/ rebuild it.

    \b
    Example:
      coursegen serve -a 127.0.0.1:8001
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    project = find_project(config_file)
    if not project.config_file.is_file():
        raise click.ClickException(f"{config_file} not found; run inside a course folder or pass -f")
    _load(project)
    _mkdocs_logging()
    try:
        mkdocs_serve(str(project.config_file), dev_addr=dev_addr, open_in_browser=open_browser)
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None


def _mkdocs_logging() -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@cli.command()
@click.option("--course", "which", flag_value="course.schema.json", help="The schema of course.yml.")
@click.option("--module", "which", flag_value="module.schema.json", default=True, help="The schema of module files.")
@click.option("--write", "write_dir", type=click.Path(file_okay=False), help="Write both schemas into DIR/schema/.")
def schema(which: str, write_dir: str | None) -> None:
    """Print the JSON Schema of module files (or course.yml), for editor autocompletion.

    With the YAML language server (VS Code's YAML extension and others), put this line
    at the top of a module file:

    \b
      # yaml-language-server: $schema=../schema/module.schema.json

    \b
    Examples:
      coursegen schema > module.schema.json
      coursegen schema --write .      # writes schema/module.schema.json and schema/course.schema.json
    """
    if write_dir:
        for path in write_schemas(Path(write_dir)):
            click.echo(f"wrote {path}")
        return
    click.echo(json.dumps(schemas()[which], indent=2, sort_keys=True))


@cli.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_modules(config_file: str, as_json: bool) -> None:
    """List modules in course order with minutes, question counts and learning paths.

    \b
    Example:
      coursegen list
    """
    loaded = _load(find_project(config_file))
    rows = [
        {
            "id": m.id,
            "title": m.title,
            "minutes": m.duration_minutes,
            "checks": sum(len(lesson.checks) for lesson in m.lessons),
            "quiz": len(m.quiz.questions) if m.quiz else 0,
            "audiences": m.audiences,
        }
        for m in loaded.modules
    ]
    paths = {a.id: [m.id for m in loaded.path_for(a.id)] for a in loaded.course.audiences}
    if as_json:
        click.echo(json.dumps({"modules": rows, "paths": paths}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'#':>2}  {'id':<28} {'min':>4} {'checks':>6} {'quiz':>4}  title")
    for number, row in enumerate(rows, start=1):
        click.echo(
            f"{number:>2}  {row['id']:<28} {row['minutes']:>4} {row['checks']:>6} {row['quiz']:>4}  "
            + terminal_safe(row["title"])
        )
    total = sum(r["minutes"] for r in rows)
    click.echo(f"\n{len(rows)} modules, about {total} minutes.")
    if paths:
        click.echo("\nLearning paths:")
        for audience in loaded.course.audiences:
            click.echo(f"  {audience.id}: {' -> '.join(paths[audience.id]) or '(no modules yet)'}")


@cli.group()
def export() -> None:
    """Export the course for an LMS, a question bank or print.

    Each format is a subcommand; see `coursegen export FORMAT -h`.
    """


# Export subcommands register here, one line per format (keep each on its own line for easy merges).


def main() -> None:
    """Entry point for ``python -m coursegen``."""
    cli()
