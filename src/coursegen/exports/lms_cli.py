"""The ``coursegen export scorm`` and ``coursegen export cmi5`` subcommands."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..commandline import config_option, find_course, load_checked
from ..model import LoadedCourse
from ..project import Project
from ..sitebuild import SiteBuildError
from .packaging import PackageError


def _project(config_file: str) -> tuple[Project, LoadedCourse]:
    """The project and its validated course, found and checked exactly as ``coursegen check`` does."""
    project = find_course(config_file, need_config=True)
    return project, load_checked(project)


@click.command("scorm", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    "version",
    type=click.Choice(["1.2", "2004"]),
    default="2004",
    show_default=True,
    help="The SCORM version your LMS takes (2004 means 4th edition).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="The zip to write (default: <course id>-scorm<version>.zip).",
)
@click.option(
    "--pass-mark",
    type=click.IntRange(0, 100),
    help="Course score in percent needed to pass (default: the mean of the quizzes' pass marks).",
)
@click.option(
    "--failed-as",
    type=click.Choice(["failed", "incomplete"]),
    default="failed",
    show_default=True,
    help="SCORM 1.2: the status for a learner who did not pass; 'incomplete' suits LMSs that block retries "
    "after a failure.",
)
@config_option
def scorm_command(version: str, output: str | None, pass_mark: int | None, failed_as: str, config_file: str) -> None:
    """Export the course as a SCORM 1.2 or 2004 package (one zip to upload to your LMS).

    The LMS records the status (passed/failed, completed), the course score and the learner's
    progress, so a learner can resume on any device.

    \b
    Examples:
      coursegen export scorm                      # SCORM 2004 4th edition
      coursegen export scorm --version 1.2 -o course.zip
    """
    from .scorm import ScormOptions, export_scorm

    project, loaded = _project(config_file)
    suffix = "12" if version == "1.2" else "2004"
    target = Path(output) if output else Path(f"{loaded.course.id}-scorm{suffix}.zip")
    options = ScormOptions(version=version, pass_mark=pass_mark, failed_status=failed_as)  # type: ignore[arg-type]
    try:
        count = export_scorm(loaded, project.config_file, target, options)
    except (SiteBuildError, PackageError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {target} (SCORM {version}, {count} files)")


# An absolute IRI: a scheme, a colon, then no spaces, quotes or angle brackets.
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"'`\\]+")


def _iri(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not _IRI.fullmatch(value):
        raise click.BadParameter("give an absolute IRI, e.g. https://training.example.org/courses/safety")
    return value.rstrip("/") if value else value


@click.command("cmi5", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="The zip to write (default: <course id>-cmi5.zip)."
)
@click.option(
    "--id-base",
    callback=_iri,
    help="The IRI the course and AU ids start with (default: urn:coursegen:<course id>). Use an address your "
    "organisation controls, and keep it when you upload a new version.",
)
@click.option(
    "--pass-mark",
    type=click.IntRange(0, 100),
    help="Course score in percent needed to pass, the AU's masteryScore (default: the quizzes' pass marks' mean).",
)
@config_option
def cmi5_command(output: str | None, id_base: str | None, pass_mark: int | None, config_file: str) -> None:
    """Export the course as a cmi5 package (one zip to import into a cmi5 LMS).

    The LMS's learning record store receives xAPI statements: initialized, answered for every
    quiz question, passed or failed with the course score, completed and terminated.

    \b
    Examples:
      coursegen export cmi5
      coursegen export cmi5 --id-base https://training.example.org/courses/safety -o safety-cmi5.zip
    """
    from .cmi5 import Cmi5Options, export_cmi5

    project, loaded = _project(config_file)
    target = Path(output) if output else Path(f"{loaded.course.id}-cmi5.zip")
    try:
        count = export_cmi5(loaded, project.config_file, target, Cmi5Options(id_base=id_base, pass_mark=pass_mark))
    except (SiteBuildError, PackageError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {target} (cmi5, {count} files)")
