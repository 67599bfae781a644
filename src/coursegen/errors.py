"""Course errors: one shape (file, line, column, message, hint) and one formatter for CLI and plugin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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
    """A problem an author can fix, located in a file (line and column are 1-based)."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def format(self, *, github: bool = False) -> str:
        """``path:line:col: message`` plus the hint; a GitHub annotation when ``github``."""
        text = f"{self.path}:{self.line}:{self.column}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        text = terminal_safe(text)
        if github:
            return f"::error file={self.path},line={self.line},col={self.column}::{text}"
        return text


class CourseInvalid(Exception):
    """Raised with every problem found in one run."""

    def __init__(self, errors: Iterable[CourseError]) -> None:
        self.errors = sorted(set(errors))
        super().__init__(format_errors(self.errors))


def format_errors(errors: Iterable[CourseError], *, github: bool = False) -> str:
    """All errors, one per line, followed by a count."""
    errors = list(errors)
    lines = [e.format(github=github) for e in errors]
    noun = "problem" if len(errors) == 1 else "problems"
    lines.append(f"{len(errors)} {noun} found.")
    return "\n".join(lines)


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as authors see it: relative to the project root when possible."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()
