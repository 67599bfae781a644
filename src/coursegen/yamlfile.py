"""Read one YAML file into plain data plus the source position of every key and value.

Safe against hostile files: size cap, encoding checks, duplicate keys, depth limit and a node
budget that stops alias bombs ("billion laughs") before they expand. Parsing uses libyaml (the C
parser, fast and non-recursive) when PyYAML has it, and PyYAML's Python parser otherwise; for a
file that does not parse, the Python parser's messages are used because they say more.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import CourseError
from .hints import syntax_hint

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
MAX_NODES = 200_000
_REPARSE_BYTES = 256_000
"""Below this size a file that libyaml refuses is parsed again in Python for a clearer message."""
# Control characters that a YAML escape ("\e", "\a", "\x1b" …) puts in a value: invisible, they
# reach terminals (`coursegen list`) and pages. Tab and newline are text.
_CONTROLS = frozenset(chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\n")
_NO_CONTROLS = re.compile("[^" + "".join(sorted(_CONTROLS)) + "]*")
"""Text without those characters (``fullmatch``: one pass in C)."""


def _has_control(text: str) -> bool:
    return not text.isprintable() and _NO_CONTROLS.fullmatch(text) is None


# YAML 1.1 reads `1:59` as the base-60 integer 119 (and `1:59:59:…` as a number of thousands of
# digits, built in quadratic time), `010` as octal, and yes/no/on/off as booleans. A trainer who
# writes those means the text (or the plain number): only these scalars become anything but
# strings. Each pattern is anchored at both ends (``\Z``) and linear.
_IMPLICIT = (
    ("tag:yaml.org,2002:bool", r"(?:true|True|TRUE|false|False|FALSE)\Z", "tTfF"),
    ("tag:yaml.org,2002:int", r"[-+]?(?:0|[1-9][0-9]*)\Z", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"(?:~|null|Null|NULL|)\Z", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"<<\Z", "<"),
)


def _course_loader(base: type[Any]) -> type[Any]:
    """``base`` (libyaml's or PyYAML's safe loader) with only the implicit types above."""
    loader = type(f"Course{base.__name__}", (base,), {"yaml_implicit_resolvers": {}})
    for tag, pattern, first in _IMPLICIT:
        loader.add_implicit_resolver(tag, re.compile(pattern), list(first))
    return loader


_SafeLoader = _course_loader(yaml.SafeLoader)
_FastLoader = _course_loader(yaml.CSafeLoader) if hasattr(yaml, "CSafeLoader") else _SafeLoader

Loc = tuple[int | str, ...]
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass
class Positions:
    """1-based (line, column) of values and of mapping keys, by path inside the document.

    Found on demand in the parsed node tree: a valid file is asked for a handful (its id, its
    requires), and recording every node's position up front took a tenth of a check's time."""

    root: Node | None = None
    text: str = ""
    _lines: list[str] | None = field(default=None, repr=False)

    def of(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Best position for ``loc``: the key itself if asked, else the value, else the nearest parent."""
        node, key_node = self._find(loc)
        if key and key_node is not None:
            return _mark(key_node)
        return _mark(node) if node is not None else (1, 1)

    def block_indent(self, loc: Loc) -> int | None:
        """For a block scalar (``|``, ``>``) at ``loc``: the indentation of its content lines."""
        node, _ = self._find(loc, exact=True)
        if not isinstance(node, ScalarNode) or node.style not in ("|", ">"):
            return None
        if self._lines is None:
            self._lines = self.text.splitlines()
        # The content of `|` and `>` starts on the line after the indicator.
        for line in self._lines[node.start_mark.line + 1 : node.end_mark.line + 1]:
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return 0

    def _find(self, loc: Loc, *, exact: bool = False) -> tuple[Node | None, Node | None]:
        """The node at ``loc`` (or, unless ``exact``, the deepest one on its way) and, when ``loc``
        ends at a mapping key, that key's node. Keys are matched as the builder read them: the
        first of equal keys (a repeated key is an error of its own)."""
        node, key_node = self.root, None
        for part in loc:
            child: Node | None = None
            key_node = None
            if isinstance(node, MappingNode) and isinstance(part, str):
                for candidate, value in node.value:
                    if isinstance(candidate, ScalarNode) and candidate.value == part:
                        key_node, child = candidate, value
                        break
            elif isinstance(node, SequenceNode) and type(part) is int and 0 <= part < len(node.value):
                child = node.value[part]
            if child is None:
                return (None if exact else node), None
            node = child
        return node, key_node


@dataclass
class YamlDocument:
    """A parsed YAML file."""

    path: str
    data: Any
    positions: Positions


class _TooBig(Exception):
    def __init__(self, message: str, node: Node, hint: str) -> None:
        self.message = message
        self.node = node
        self.hint = hint


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns a composed node tree into Python data, refusing what a course file must not hold."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[CourseError] = []
        self.count = 0
        self.scalars = SafeConstructor()

    def error(self, node: Node, message: str, hint: str = "") -> None:
        line, col = _mark(node)
        self.errors.append(CourseError(self.path, line, col, message, hint))

    def build(self, node: Node, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(
                f"the file expands to more than {MAX_NODES} values", node, "anchors and aliases cannot expand this far"
            )
        if depth > MAX_DEPTH:
            raise _TooBig(f"the file is nested more than {MAX_DEPTH} levels deep", node, "flatten the structure")
        # Scalars first: they are most of the nodes of a file.
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        assert isinstance(node, SequenceNode)
        return [self.build(item, depth + 1) for item in node.value]

    def _scalar(self, node: ScalarNode) -> Any:
        value = node.value
        tag = node.tag
        if tag == _TIMESTAMP:
            return value  # a date stays text: no field of ours wants a datetime
        if _has_control(value):
            control = next(c for c in value if c in _CONTROLS)
            self.error(
                node,
                f"the text holds the control character U+{ord(control):04X}",
                "delete the escape that makes it (such as \\e, \\a or \\x1b): it is invisible",
            )
            return None
        if tag == _STR:
            return value  # what SafeConstructor makes of a string, without its bookkeeping
        try:
            return self.scalars.construct_object(node)
        except ConstructorError as exc:
            self.error(node, f"cannot read this value: {exc.problem}")
        except ValueError:  # e.g. an integer of thousands of digits
            self.error(node, "cannot read this value: the number is too long", "put text in quotes")
        return None

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "merge keys ('<<') are not supported", "write the keys out")
                continue
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, "a key must be plain text, not a list or mapping")
                continue
            key = key_node.value
            if _has_control(key):
                self.error(key_node, "the key holds a control character", "retype the key")
                continue
            if key in result:
                self.error(key_node, f"duplicate key '{key}'", "each key may appear once here")
                continue
            result[key] = self.build(value_node, depth + 1)
        return result


def _decode(raw: bytes, path: str) -> tuple[str | None, CourseError | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark, as Windows editors write it: harmless
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = "save the file as UTF-8 (Notepad: Save as, Encoding: UTF-8)"
        return None, CourseError(path, 1, 1, "the file is UTF-16, not UTF-8", hint)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        hint = "save the file as UTF-8 (it looks like Latin-1 or Windows-1252)"
        return None, CourseError(path, line, column, f"byte 0x{raw[exc.start]:02x} is not UTF-8", hint)


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _compose(text: str, loader_class: type[Any]) -> Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_error(exc: yaml.YAMLError, text: str, path: str) -> CourseError:
    """A PyYAML or libyaml error as a located CourseError."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, col = _position(text, exc.position)
        message = f"the character U+{exc.character:04X} is not allowed in YAML"
        return CourseError(path, line, col, message, "delete it; invisible control characters come from copy and paste")
    if not isinstance(exc, yaml.MarkedYAMLError):
        return CourseError(path, 1, 1, f"YAML error: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = exc.problem or exc.context or "invalid YAML"
    if "nesting depth" in message:
        return CourseError(path, line, col, "the file is nested too deeply to read", "flatten the structure")
    return CourseError(path, line, col, f"YAML syntax error: {message}", syntax_hint(exc, text.splitlines(), line, col))


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off for a burst of short-lived objects (a node tree, a Markdown
    element tree): each of its passes also walks everything a check keeps, which made a third of
    the time of checking a large course. Cycles made meanwhile are collected at its next pass."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_yaml(text: str, path: str) -> tuple[YamlDocument | None, list[CourseError]]:
    """Parse YAML text; on failure return the errors with positions."""
    with collector_paused():
        return _parse_yaml(text, path)


def _parse_yaml(text: str, path: str) -> tuple[YamlDocument | None, list[CourseError]]:
    builder = _Builder(path)
    try:
        node = _compose(text, _FastLoader)
    except yaml.YAMLError as fast_error:
        error = _syntax_error(fast_error, text, path)
        if _FastLoader is not _SafeLoader and len(text) < _REPARSE_BYTES and "deeply" not in error.message:
            try:
                _compose(text, _SafeLoader)
            except yaml.YAMLError as exc:
                error = _syntax_error(exc, text, path)
            except RecursionError:
                pass
        return None, [error]
    except RecursionError:
        return None, [CourseError(path, 1, 1, "the file is nested too deeply to read", "flatten the structure")]
    if node is None:
        return None, [CourseError(path, 1, 1, "the file is empty", "see `coursegen new` for a start")]
    try:
        data = builder.build(node, 0)
    except _TooBig as exc:
        builder.error(exc.node, exc.message, exc.hint)
        return None, builder.errors
    if builder.errors:
        return None, builder.errors
    return YamlDocument(path, data, Positions(node, text)), []


def read_yaml(file: Path, shown_as: str) -> tuple[YamlDocument | None, list[CourseError]]:
    """Read and parse a YAML file, refusing what is not a plain, reasonably sized UTF-8 file."""
    if file.is_symlink() or not file.is_file():
        what = "a link" if file.is_symlink() else "not a regular file"
        return None, [CourseError(shown_as, 1, 1, f"{what}; module files must be plain files in the course folder")]
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 1_000_000
        return None, [
            CourseError(shown_as, 1, 1, f"the file is {size:,} bytes; the limit is {limit} MB", "split it into modules")
        ]
    text, error = _decode(file.read_bytes(), shown_as)
    if error:
        return None, [error]
    assert text is not None
    return parse_yaml(text, shown_as)
