"""``coursegen export FORMAT``: one Click command per format, each a thin shell around its
exporter (validated model in, bytes out, written atomically)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..commandline import config_option, find_course, load_checked
from ..errors import display_path
from ..model import LoadedCourse
from ..yamlfile import YamlDocument, read_yaml
from .omissions import omissions
from .output import ExportError, write_atomic


def _course(config_file: str) -> LoadedCourse:
    """The course, loaded and checked exactly as ``coursegen check`` does (same errors, exit 1)."""
    return load_checked(find_course(config_file))


def _bank(config_file: str, fmt: str) -> LoadedCourse:
    """The course for a question-bank format, checked as ``_course`` does; every question the
    format leaves out is named on stderr at its place in the module file (the export goes on)."""
    project = find_course(config_file)
    loaded = load_checked(project)

    def document_of(module_id: str) -> YamlDocument | None:
        file = project.modules_dir / f"{module_id}.yml"
        return read_yaml(file, display_path(file, Path.cwd()))[0]

    for omission in omissions(loaded, fmt, document_of):
        click.echo(omission.message(fmt), err=True)
    return loaded


def _options(default_name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``-f/--config-file`` and ``-o/--output`` for an export command."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False),
            help=f"The file to write (default: {default_name} in the current folder).",
        )(func)
        return config_option(func)

    return decorate


def _write(output: str | None, default: str, data: bytes) -> None:
    target = Path(output) if output else Path(default)
    try:
        write_atomic(target, data)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {target}")


@click.command("gift")
@_options("COURSE-ID.gift")
def gift_command(config_file: str, output: str | None) -> None:
    """Write every question as Moodle GIFT, one category per module.

    Import it in Moodle: Question bank > Import > GIFT format.

    \b
    Examples:
      coursegen export gift
      coursegen export gift -o questions.gift
    """
    from .gift import export_gift

    loaded = _bank(config_file, "GIFT")
    _write(output, f"{loaded.course.id}.gift", export_gift(loaded).encode("utf-8"))


@click.command("moodle-xml")
@_options("COURSE-ID.moodle.xml")
def moodle_xml_command(config_file: str, output: str | None) -> None:
    """Write every question as Moodle XML, one category per module.

    Import it in Moodle: Question bank > Import > Moodle XML format.

    \b
    Examples:
      coursegen export moodle-xml
      coursegen export moodle-xml -o questions.xml
    """
    from .moodle_xml import export_moodle_xml

    loaded = _bank(config_file, "Moodle XML")
    _write(output, f"{loaded.course.id}.moodle.xml", export_moodle_xml(loaded))


@click.command("qti")
@_options("COURSE-ID.qtiVERSION.zip")
@click.option(
    "--version",
    "version",
    type=click.Choice(["1.2", "2.1"]),
    default="1.2",
    show_default=True,
    help="1.2 for Canvas (one quiz per module); 2.1 for Blackboard and other QTI 2 systems (one item per question).",
)
def qti_command(config_file: str, output: str | None, version: str) -> None:
    """Write every question as a QTI package (a zip for the LMS to import).

    \b
    Examples:
      coursegen export qti                    # QTI 1.2, for Canvas
      coursegen export qti --version 2.1 -o bank.zip
    """
    from .qti import export_qti

    loaded = _bank(config_file, f"QTI {version}")
    _write(output, f"{loaded.course.id}.qti{version.replace('.', '')}.zip", export_qti(loaded, version))  # type: ignore[arg-type]


@click.command("print")
@config_option
@click.option(
    "-o",
    "--output",
    default="print",
    show_default=True,
    type=click.Path(file_okay=False),
    help="The folder to write the documents into (made if missing).",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Also write a PDF of each document: with WeasyPrint if installed (pip install 'coursegen[pdf]'), "
    "else with Chromium (no page numbers in the contents).",
)
def print_command(config_file: str, output: str, pdf: bool) -> None:
    """Write printable documents for in-person sessions, as HTML with print styles:

    \b
      facilitator-guide.html   contents, objectives, lessons, notes, discussion, timings;
                               the answer key at the end
      handout-NN-MODULE.html   one per module for learners: lessons and key points, no answers
      sign-in-sheet.html, evaluation-form.html

    \b
    Examples:
      coursegen export print
      coursegen export print --pdf -o handouts
    """
    from .print import available_engine, documents, pdf_bytes

    loaded = _course(config_file)
    folder = Path(output)
    engine = available_engine() if pdf else None
    if pdf and engine is None:
        raise click.ClickException("--pdf needs WeasyPrint (pip install 'coursegen[pdf]') or Chromium")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for document in documents(loaded):
            write_atomic(folder / f"{document.name}.html", document.html.encode("utf-8"))
            if engine:
                write_atomic(folder / f"{document.name}.pdf", pdf_bytes(document, engine))
    except (ExportError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    made = "HTML and PDF" + (" (Chromium)" if engine == "chromium" else "") if engine else "HTML"
    click.echo(f"wrote {made} documents to {folder}")
