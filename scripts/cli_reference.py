"""Write docs/cli.md from the commands' own --help, so the reference cannot drift.

Run: .venv/bin/python scripts/cli_reference.py   (tests/test_cli.py checks it is current)
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from coursegen.cli import cli

TARGET = Path(__file__).resolve().parent.parent / "docs" / "for-authors" / "cli.md"


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
        for name, command in cli.commands.items()
        for sub in [[], *([s] for s in getattr(command, "commands", {}))]
    ]
    for name in names:
        text = runner.invoke(cli, [*name, "--help"], prog_name="coursegen", terminal_width=88).output
        parts.append(f"## {' '.join(['coursegen', *name])}\n\n```text\n{text.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    TARGET.write_text(reference(), encoding="utf-8")
    print(f"wrote {TARGET}")
