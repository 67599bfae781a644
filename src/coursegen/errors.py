"""Course errors and warnings: one shape (file, line, column, message, hint, severity) and one
formatter for CLI and plugin. Errors stop a build; warnings (quiz quality) only advise."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

# C0 (but tab), DEL and C1 controls, and bidi overrides: shown escaped so no text in a message can
# move the cursor, retitle or recolour a terminal, or reorder what the author reads.
_TERMINAL_UNSAFE = {
    c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"
    for c in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))
    if c not in (0x09, 0x0A)
}


def terminal_safe(text: str) -> str:
    """Text for a terminal: control characters and bidi overrides written as escapes."""
    return text.translate(_TERMINAL_UNSAFE)


@dataclass(frozen=True, order=True)
class CourseError:
    """A problem an author can fix, located in a file (line and column are 1-based).

    ``severity`` is "error" (the course cannot be built) or "warning" (advice, such as quiz quality).
    """

    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    def format(self, *, github: bool = False) -> str:
        """``path:line:col: message`` plus the hint (warnings say so); a GitHub annotation when ``github``."""
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.path}:{self.line}:{self.column}: {label}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        text = terminal_safe(text)
        if github:
            return f"::{self.severity} file={self.path},line={self.line},col={self.column}::{text}"
        return text


class CourseInvalid(Exception):
    """Raised with every problem found in one run."""

    def __init__(self, errors: Iterable[CourseError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(format_errors(self.errors))


def format_errors(errors: Iterable[CourseError], *, github: bool = False) -> str:
    """All errors and warnings, one per line, followed by a count of each kind present."""
    errors = list(errors)
    lines = [e.format(github=github) for e in errors]
    warnings = sum(e.severity == "warning" for e in errors)
    problems = len(errors) - warnings
    if problems or not warnings:
        lines.append(f"{problems} {'problem' if problems == 1 else 'problems'} found.")
    if warnings:
        lines.append(f"{warnings} {'warning' if warnings == 1 else 'warnings'}.")
    return "\n".join(lines)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as authors see it: relative to the project root when possible."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()
