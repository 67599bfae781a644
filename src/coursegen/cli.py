"""The ``coursegen`` command line."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shlex
import socket
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__
from .commandline import CourseProblems, config_option, find_course, load_checked, program_name
from .errors import CourseInvalid, format_errors, terminal_safe

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner is noise here

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A command group whose subcommands in ``lazy`` ("name": "module:attribute") are imported
    only when called or listed: `coursegen check` does not pay for MkDocs, the exporters or the
    renderer at start (Click's documented pattern for large command lines)."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = self.lazy[cmd_name].split(":")
        command = getattr(importlib.import_module(module_name, __package__), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings=CONTEXT, lazy={"render": ".renderout:render_command"})
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
    from .scaffold import ScaffoldError, init_project

    target = Path(directory)
    try:
        written = init_project(target, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"\nNext: {next_command(target, 'serve')}")


def next_command(target: Path, command: str) -> str:
    """A shell command that runs ``coursegen COMMAND`` in ``target`` from the current folder,
    calling coursegen the way it was called now (a venv's coursegen need not be on PATH)."""
    here = Path.cwd().resolve()
    target = target.resolve()
    program = program_name(target, here)
    if target == here:
        return f"{program} {command}"
    where = os.path.relpath(target, here) if here in target.parents else str(target)
    return f"cd {shlex.quote(where)} && {program} {command}"


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
    from .scaffold import ScaffoldError, new_module

    project = find_course(config_file)
    try:
        path, ordered = new_module(project.modules_dir, module_id, title)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {path}")
    if ordered:
        click.echo(f"added '{module_id}' to modules: in course.yml")
    else:
        click.echo(
            f"add '- {module_id}' to course.yml to place it in the course: under modules:, or under the "
            "modules: of its section if the course has sections"
        )


@cli.command()
@config_option
@click.option("--github", is_flag=True, help="Print errors and warnings as GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Exit 1 on quiz-quality warnings too.")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file afresh. By default what each module file showed is kept in .cache/coursegen/ "
    "beside mkdocs.yml, so unchanged files are not read again.",
)
def check(config_file: str, github: bool, strict: bool, no_cache: bool) -> None:
    """Validate the course and report every problem as file:line:col.

    Also reports quiz-quality warnings (the right answer is often the longest, too few
    choices, objectives no question assesses, ...; see the authors' guide). Exits 1 when
    there are problems, or with --strict when there are warnings; 0 otherwise.

    \b
    Examples:
      coursegen check
      coursegen check --strict --github      # in a GitHub Actions workflow
    """
    from .checkcache import CACHE_FOLDER, CheckCache
    from .loader import check_course_folder, translation_languages

    project = find_course(config_file)
    cache = None if no_cache else CheckCache(project.root / CACHE_FOLDER)
    try:
        checked = check_course_folder(project.modules_dir, Path.cwd(), project.docs_dir, cache)
        for language in translation_languages(project.modules_dir):  # modules/es/ and the like
            check_course_folder(project.modules_dir, Path.cwd(), project.docs_dir, language=language)
    except CourseInvalid as exc:
        raise CourseProblems(exc, github=github) from None
    warnings = checked.warnings
    if warnings:
        click.echo(format_errors(warnings, github=github))
        if strict:
            raise click.ClickException("quiz-quality warnings fail the check with --strict")
    click.echo(f"ok: {len(checked.results)} modules, {checked.question_count} questions")


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
    from .sitebuild import SiteBuildError, build_site

    project = find_course(config_file, need_config=True)
    load_checked(project)
    target = Path(site_dir) if site_dir else project.root / "site"
    try:
        with _mkdocs_warnings():
            build_site(project.config_file, target, strict=strict)
    except SiteBuildError as exc:
        message = str(exc)
        if "in strict mode" in message:  # MkDocs' "Aborted with N warnings in strict mode!"
            message = f"{message.rstrip('!')}: the warnings are listed above; the previous site is unchanged"
        raise click.ClickException(message) from None
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

    from .loadonce import keep_results

    project = find_course(config_file, need_config=True)
    keep_results()  # the rebuild after a save checks only the files it changed
    load_checked(project)
    _check_address(dev_addr)
    _mkdocs_logging()
    try:
        # Dirty rebuilds: only the pages a save changed (the plugin knows which; it rebuilds them
        # all when the navigation or a hand-written page changes).
        mkdocs_serve(str(project.config_file), dev_addr=dev_addr, open_in_browser=open_browser, build_type="dirty")
    except MkDocsException as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the address was taken while the first build ran
        raise click.ClickException(_address_problem(dev_addr, exc)) from None


def _address_problem(dev_addr: str, exc: OSError) -> str:
    host, _, port = dev_addr.rpartition(":")
    if exc.errno == errno.EADDRINUSE and port.isdigit():
        other = f"{host}:{int(port) + 1}" if int(port) < 65535 else f"{host}:8001"
        program = program_name(Path.cwd(), Path.cwd())
        return f"{dev_addr} is already in use (is another `coursegen serve` running?); try: {program} serve -a {other}"
    return f"cannot serve on {dev_addr}: {exc.strerror or exc}; choose another address with -a, e.g. -a 127.0.0.1:8001"


def _check_address(dev_addr: str) -> None:
    """Fail at once, in one line, when the address is taken (MkDocs would build first, then
    fail with a traceback). Binds as MkDocs' server does, with SO_REUSEADDR."""
    host, _, port = dev_addr.rpartition(":")
    if not port.isdigit():
        return  # MkDocs reports a malformed address itself
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, int(port)))
    except OSError as exc:
        raise click.ClickException(_address_problem(dev_addr, exc)) from None


@contextmanager
def _mkdocs_warnings() -> Iterator[None]:
    """Show MkDocs' warnings while it builds: in strict mode they are why the build stops."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def _mkdocs_logging() -> None:
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    # MkDocs warns that a dirty build may leave navigation stale; coursegen's rebuilds do not.
    handler.addFilter(lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
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
    from .scaffold import schemas, write_schemas

    if write_dir:
        for path in write_schemas(Path(write_dir)):
            click.echo(f"wrote {path}")
        return
    click.echo(json.dumps(schemas()[which], indent=2, sort_keys=True))


@cli.command("list")
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_modules(config_file: str, as_json: bool) -> None:
    """List modules in course order with minutes, question counts, learning paths and coverage.

    Coverage shows, for each objective of each module, the ids of the questions that assess
    it (questions name them with `assesses: [1, 2]`).

    \b
    Examples:
      coursegen list
      coursegen list --json
    """
    from .quizlint import coverage

    loaded = load_checked(find_course(config_file))
    rows = [
        {
            "id": m.id,
            "title": m.title,
            "minutes": m.duration_minutes,
            "checks": sum(len(lesson.checks) for lesson in m.lessons),
            "quiz": len(m.quiz.questions) if m.quiz else 0,
            "types": dict(Counter(q.type for q in m.questions())),
            "audiences": m.audiences,
        }
        for m in loaded.modules
    ]
    paths = {a.id: [m.id for m in loaded.path_for(a.id)] for a in loaded.course.audiences}
    covered = {
        m.id: [{"objective": c.number, "text": c.objective, "questions": list(c.questions)} for c in coverage(m)]
        for m in loaded.modules
    }
    if as_json:
        click.echo(json.dumps({"modules": rows, "paths": paths, "coverage": covered}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{'#':>2}  {'id':<28} {'min':>4} {'checks':>6} {'quiz':>4}  title")
    for number, row in enumerate(rows, start=1):
        click.echo(
            f"{number:>2}  {row['id']:<28} {row['minutes']:>4} {row['checks']:>6} {row['quiz']:>4}  "
            + terminal_safe(row["title"])
        )
    total = sum(r["minutes"] for r in rows)
    click.echo(f"\n{len(rows)} modules, about {total} minutes.")
    click.echo("\nQuestions by type (checks and quiz):")
    for row in rows:
        counts = ", ".join(f"{kind} {n}" for kind, n in sorted(row["types"].items())) or "(no questions)"
        click.echo(f"  {row['id']}: {counts}")
    if paths:
        click.echo("\nLearning paths:")
        for audience in loaded.course.audiences:
            click.echo(f"  {audience.id}: {' -> '.join(paths[audience.id]) or '(no modules yet)'}")
    click.echo("\nObjectives and the questions that assess them:")
    for module_id, objectives in covered.items():
        click.echo(f"  {module_id}")
        for entry in objectives:
            click.echo(f"    {entry['objective']:>2}. {entry['text']}")
            click.echo(f"        {', '.join(entry['questions']) or '(no question yet)'}")


@cli.group(
    cls=LazyGroup,
    lazy={
        "gift": ".exports.commands:gift_command",
        "moodle-xml": ".exports.commands:moodle_xml_command",
        "qti": ".exports.commands:qti_command",
        "print": ".exports.commands:print_command",
        "scorm": ".exports.lms_cli:scorm_command",
        "cmi5": ".exports.lms_cli:cmi5_command",
    },
)
def export() -> None:
    """Export the course for an LMS, a question bank or print.

    Each format is a subcommand; see `coursegen export FORMAT -h`.
    """


def main() -> None:
    """Entry point for ``python -m coursegen``."""
    cli()
