"""Plain-language hints for the YAML mistakes authors make most, in one place.

The parser's own words ("mapping values are not allowed here", "expected <block end>") name a
symptom; these hints name the usual cause and the fix. ``syntax_hint`` reads a YAML syntax error
together with the lines around it; ``value_hint`` reads a value that YAML parsed into the wrong
type (an unquoted 911 becomes a number, ``Step 1: call`` inside a list becomes a mapping).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

QUOTE = "put the whole text in quotes"
INDENT = "indent with spaces, never tabs"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(lines: list[str], index: int) -> tuple[int, str] | None:
    """The nearest non-blank, non-comment line above ``index`` (0-based), with its index."""
    for i in range(index - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i, lines[i]
    return None


def _content(line: str) -> str:
    """A line without its indentation and list markers."""
    text = line.lstrip(" ")
    while text.startswith("- "):
        text = text[2:].lstrip(" ")
    return text


def _mapping_values_hint(lines: list[str], index: int, col: int) -> str:
    """'mapping values are not allowed here': a second ': ' in text, a key indented too far,
    or a key one line up with no space after its colon."""
    line = lines[index] if index < len(lines) else ""
    before = _content(line[:col])
    if ": " in before or before.rstrip().endswith(":"):
        head, _, rest = before.partition(":")
        whole = (before + line[col:]).strip()
        if re.fullmatch(r"[a-z_]+", head.strip()):  # keys are lower-case words: quote what follows
            example = f'{head.strip()}: "{rest.strip()}{line[col:].rstrip()}"'
        else:
            example = f'- "{whole}"' if line.lstrip().startswith("- ") else f'"{whole}"'
        return f"a colon followed by a space inside unquoted text starts a new key: {QUOTE}, e.g. {example}"
    previous = _previous(lines, index)
    if previous is not None:
        number, above = previous
        if _indent(line) > _indent(above) and ": " in above and not above.rstrip().endswith(":"):
            return (
                f"this key is indented further than the key on line {number + 1}, which already has a value: "
                f"line the keys of one item up in one column ({INDENT})"
            )
        text = _content(above)
        if ":" in text and ": " not in text and not text.rstrip().endswith(":"):
            return f"put a space after the ':' on line {number + 1} (write 'key: value', not 'key:value')"
    return f"if this line holds text with ': ' in it, {QUOTE}; if it is a key, check its indentation ({INDENT})"


def _block_end_hint(exc: yaml.MarkedYAMLError, lines: list[str], index: int, col: int) -> str:
    """'expected <block end>': almost always indentation, or text after a closing quote."""
    problem = exc.problem or ""
    line = lines[index] if index < len(lines) else ""
    if "<scalar>" in problem and line[:col].rstrip().endswith(("'", '"')):
        return (
            f"the text goes on after a closing quote: {QUOTE} (inside '...' write an apostrophe as '', "
            "or use double quotes)"
        )
    previous = _previous(lines, index)
    where = f" (line {previous[0] + 1})" if previous else ""
    return (
        f"line {index + 1} does not line up with the lines above{where}: the keys of one item start in the same "
        f"column, and every list item's '- ' lines up under the first ({INDENT})"
    )


_STARTERS = {
    "@": "text cannot start with @",
    "`": "text cannot start with `",
    "%": "text cannot start with %",
    "*": "YAML reads a * at the start as a reference to an anchor",
    "&": "YAML reads a & at the start as an anchor",
    "!": "YAML reads a ! at the start as a type tag",
    "|": "YAML reads a | at the start as a block of text",
    ">": "YAML reads a > at the start as a folded block of text",
}


def syntax_hint(exc: yaml.YAMLError, lines: list[str], line: int, col: int) -> str:
    """A hint for a YAML syntax error at 1-based ``line``/``col`` of a file with ``lines``."""
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ""
    problem = exc.problem or ""
    context = exc.context or ""
    index, column = line - 1, col - 1
    source = lines[index] if 0 <= index < len(lines) else ""
    if "\t" in problem or "tab" in problem or "\t" in source[: col + 1]:
        return "YAML indents with spaces, never tabs"
    if "mapping values are not allowed" in problem:
        return _mapping_values_hint(lines, index, column)
    if "expected <block end>" in problem:
        return _block_end_hint(exc, lines, index, column)
    if "quoted scalar" in context and exc.context_mark is not None:
        return f"the quote opened on line {exc.context_mark.line + 1} is never closed; close it on the same value"
    if context in ("while scanning an alias", "while scanning an anchor") or "cannot start any token" in problem:
        start = exc.context_mark if exc.context_mark is not None and "alias" in context else exc.problem_mark
        text = lines[start.line] if start is not None and start.line < len(lines) else ""
        char = text[start.column : start.column + 1] if start is not None else ""
        why = _STARTERS.get(char, "text that starts with a special character must be quoted")
        return f"{why}: {QUOTE}"
    if "could not find expected ':'" in problem:
        return f"a key needs ': ' after it; if this is text that runs over several lines, {QUOTE} or use '|'"
    return ""


def value_hint(loc: tuple[int | str, ...], kind: str, value: Any) -> str:
    """A hint for a value YAML read as another type than the field needs ('' if none fits)."""
    field = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    if kind == "string_type":
        if isinstance(value, bool):
            return "YAML reads yes/no/true/false/on/off as true or false; put the text in quotes"
        if isinstance(value, int | float):
            if field == "phone" or (field == "text" and "help" in loc):  # a help line's number to text
                return f'YAML reads {value} as a number; put phone numbers in quotes: {field}: "{value}"'
            return f'YAML reads {value} as a number; put it in quotes: "{value}"'
        if isinstance(value, dict):
            example = "Step 1: call for help"
            if len(value) == 1 and all(isinstance(part, str | None) for part in next(iter(value.items()))):
                key, rest = next(iter(value.items()))
                example = f"{key}: {rest}" if rest is not None else str(key)
            because = "YAML read this as a key and a value because of a ': ' (or '{') in the text"
            return f'{because}: {QUOTE}, e.g. "{example}"'
        if isinstance(value, list):
            return f"YAML read this as a list because it starts with '[': {QUOTE}"
    if field == "pass_mark":
        if isinstance(value, float) and 0 < value <= 1:
            return f"pass_mark is a percentage from 0 to 100: write {round(value * 100)}, not {value}"
        if isinstance(value, str) and value.strip().endswith("%"):
            return f"write the number without '%': pass_mark: {value.strip().rstrip('%').strip()}"
        return "pass_mark is a whole-number percentage from 0 to 100, e.g. pass_mark: 80"
    if kind == "too_long" and field == "steps":
        return "a scenario has at most 40 steps: split it into two scenarios, or join steps that only lead on"
    if kind in ("int_parsing", "int_from_float") and isinstance(value, str):
        return "write a whole number, without units or quotes"
    return ""
