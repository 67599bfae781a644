"""What every coursegen command shares: the ``-f`` option, finding the course, loading it with
``check``'s errors, and how to name coursegen in a suggested command. Kept apart from ``cli.py``
so that the export commands (which ``cli.py`` imports) can use it too."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import CourseInvalid, format_errors
from .project import Project, find_project

if TYPE_CHECKING:
    from .model import LoadedCourse


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


def find_course(config_file: str, *, need_config: bool = False) -> Project:
    """The project at ``config_file``; outside a course, a plain error that says how to make one."""
    project = find_project(config_file)
    if project.config_file.is_file() or (project.modules_dir.is_dir() and not need_config):
        return project
    if project.modules_dir.is_dir() or Path(config_file).name != "mkdocs.yml":
        raise click.ClickException(f"{config_file} not found; run inside a course folder or pass -f")
    for parent in project.root.parents:
        if (parent / "mkdocs.yml").is_file():
            up = shlex.quote(os.path.relpath(parent, Path.cwd()))
            raise click.ClickException(f"no course here, but {up} holds one (its mkdocs.yml): `cd {up}` first")
    program = program_name(Path.cwd().resolve(), Path.cwd().resolve())
    raise click.ClickException(
        f"no course here: mkdocs.yml not found in {project.root}. To make a course, run "
        f"`{program} init my-course`, then `cd my-course`; or pass -f path/to/mkdocs.yml"
    )


def load_checked(project: Project, github: bool = False) -> LoadedCourse:
    """The project's course, validated exactly as ``coursegen check`` does (same errors, exit 1).
    Kept for the rest of the process: the MkDocs plugin of a build that follows does not load it again."""
    from .checkcache import CACHE_FOLDER
    from .loadonce import load_course_once

    try:
        # What `coursegen check` keeps: unchanged files are not checked again.
        cache = project.root / CACHE_FOLDER if project.check_cache else None
        return load_course_once(project.modules_dir, Path.cwd(), project.docs_dir, cache_folder=cache)
    except CourseInvalid as exc:
        raise CourseProblems(exc, github=github) from None


def program_name(target: Path, here: Path) -> str:
    """How to call coursegen from ``target``: by name when PATH finds this one, else by its path.
    Paths are absolute but not resolved: a venv's python is a link, and its target lacks the venv."""
    running = Path(os.path.abspath(sys.argv[0])) if sys.argv and sys.argv[0] else None
    if running is None or running.name not in ("coursegen", "__main__.py") or not running.is_file():
        return "coursegen"  # called some other way (tests, an embedding program): the usual name
    if running.name == "__main__.py":
        call, suffix = Path(os.path.abspath(sys.executable)), " -m coursegen"
    else:
        call, suffix = running, ""
    found = shutil.which(call.name)
    if found and os.path.abspath(found) == str(call):
        return call.name + suffix
    shown = os.path.relpath(call, target) if here in call.parents else str(call)
    return shlex.quote(shown) + suffix
