"""Write docs/cli.md from the commands' own --help, so the reference cannot drift.

Run: .venv/bin/python scripts/cli_reference.py   (tests/test_cli.py checks it is current)
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from coursegen.cli import cli

TARGET = Path(__file__).resolve().parent.parent / "docs" / "for-authors" / "cli.md"


def _subcommands(group: click.Group) -> list[tuple[str, click.Command]]:
    """A group's commands in the order they are defined (the order of a course's work), then those
    it imports on first use (``LazyGroup``)."""
    context = click.Context(group)
    names = [*group.commands, *(name for name in group.list_commands(context) if name not in group.commands)]
    return [(name, command) for name in names if (command := group.get_command(context, name)) is not None]


def reference() -> str:
    """The Markdown CLI reference."""
    runner = CliRunner()
    parts = [
        "# Command line reference\n",
        "Generated from `coursegen --help` by `scripts/cli_reference.py`; do not edit by hand.\n",
    ]
    # Subcommands of groups (``export gift``) get their own section after the group's.
    names = [[]] + [
        [name, *sub]
        for name, command in _subcommands(cli)
        for sub in [[], *([s] for s, _ in (_subcommands(command) if isinstance(command, click.Group) else []))]
    ]
    for name in names:
        text = runner.invoke(cli, [*name, "--help"], prog_name="coursegen", terminal_width=88).output
        parts.append(f"## {' '.join(['coursegen', *name])}\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(reference(), encoding="utf-8")
    print(f"wrote {TARGET}")
