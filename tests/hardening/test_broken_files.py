"""Broken course files give a clear ``path:line:col: message (hint: …)`` and exit code 1 — or
are accepted, where documented — in bounded time and memory. Never a traceback, never a hang.

Each case runs the real CLI (`python -m coursegen check`) in a child process limited to
512 MiB of address space and a timeout, so a blow-up fails the test instead of the machine.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from coursegen.errors import CourseInvalid, format_errors
from coursegen.loader import load_course

from .support import coursegen, read_yaml, write_yaml

ERROR_LINE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$", re.MULTILINE)
SECONDS = 20


def check(course: Path, *, timeout: float = 60) -> tuple[int, str, list[re.Match[str]], float]:
    """`coursegen check` in a child process with limited memory and time."""
    run = coursegen(["check"], course, timeout=timeout)
    assert "Traceback" not in run.output, run.output[-2000:]
    return run.returncode, run.output, list(ERROR_LINE.finditer(run.stderr)), run.seconds


def check_here(course: Path) -> tuple[int, str, list[re.Match[str]], float]:
    """The same, in this process (faster) for files that are small: only CourseInvalid may come out."""
    start = time.monotonic()
    try:
        load_course(course / "modules", course)
    except CourseInvalid as exc:
        text = format_errors(exc.errors)
        return 1, text, list(ERROR_LINE.finditer(text)), time.monotonic() - start
    return 0, "ok", [], time.monotonic() - start


# Cases that could exhaust memory or time run in a child process; the rest in this one.
HEAVY = {"a 10 MB file", "flow nesting 5000 deep", "block nesting 600 deep", "billion laughs", "quadratic blow-up",
         "a 5000-digit number"}  # fmt: skip


def module(course: Path) -> Path:
    return course / "modules" / "welcome.yml"


def valid_bytes(course: Path) -> bytes:
    return module(course).read_bytes()


# (name, how to break the file, expected message fragment, expected (line, column) or None)
Breaker = Callable[[Path], None]


def put(data: bytes | Callable[[bytes], bytes]) -> Breaker:
    def apply(course: Path) -> None:
        new = data(valid_bytes(course)) if callable(data) else data
        module(course).write_bytes(new)

    return apply


BILLION_LAUGHS = b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + b"".join(
    b"%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n" % ((c, c) + (p,) * 9)
    for p, c in zip([bytes([x]) for x in b"abcdefgh"], [bytes([x]) for x in b"bcdefghi"], strict=True)
)
QUADRATIC_BLOWUP = b"a: &a [" + b'"' + b"x" * 1000 + b'"]\n' + b"b: [" + b"*a, " * 20000 + b"*a]\n"

CASES: list[tuple[str, Breaker, str, tuple[int, int] | None]] = [
    ("empty file", put(b""), "the file is empty", (1, 1)),
    ("only a comment", put(b"# nothing here yet\n"), "the file is empty", (1, 1)),
    ("only whitespace", put(b"\n\n   \n"), "the file is empty", (1, 1)),
    ("a list at top level", put(b"- id: welcome\n- title: x\n"), "holds a list", (1, 1)),
    ("plain text at top level", put(b"Welcome to the course\n"), "holds plain text", (1, 1)),
    (
        "a tab in the indentation",
        put(lambda b: b.replace(b"\n  - Describe", b"\n\t- Describe", 1)),
        "YAML indents with spaces",
        (8, 1),
    ),
    ("UTF-16 (Notepad's 'Unicode')", put(lambda b: b"\xff\xfe" + b.decode().encode("utf-16-le")), "UTF-16", (1, 1)),
    ("Latin-1 bytes", put(lambda b: b.replace(b"title: Welcome", b"title: Caf\xe9", 1)), "not UTF-8", (3, 11)),
    (
        "Windows-1252 smart quotes",
        put(lambda b: b.replace(b"title: Welcome", b"title: \x93Welcome\x94", 1)),
        "not UTF-8",
        (3, 8),
    ),
    ("a 10 MB file", put(b"id: welcome\n# " + b"x" * (10 * 1024 * 1024) + b"\n"), "the limit is 2 MB", (1, 1)),
    ("flow nesting 5000 deep", put(b"id: welcome\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n"), "nested", None),
    (
        "block nesting 600 deep",
        put(b"id: welcome\n" + b"".join(b" " * i + b"k:\n" for i in range(600)) + b" " * 600 + b"v\n"),
        "nested",
        None,
    ),
    ("mappings 60 deep", put(b"id: welcome\nx: " + b"{a: " * 60 + b"1" + b"}" * 60 + b"\n"), "levels deep", None),
    ("billion laughs", put(BILLION_LAUGHS), "expands to more than", None),
    ("quadratic blow-up", put(QUADRATIC_BLOWUP), "", None),
    (
        "a duplicate key",
        put(lambda b: b.replace(b"title: Welcome\n", b"title: Welcome\ntitle: Again\n", 1)),
        "duplicate key 'title'",
        (4, 1),
    ),
    (
        "a duplicate key inside a list item",
        put(lambda b: b.replace(b"    - id: q-parts\n", b"    - id: q-parts\n      id: q-other\n", 1)),
        "duplicate key 'id'",
        (33, 7),
    ),
    ("a merge key", put(b"base: &b {title: x}\nid: welcome\nother:\n  <<: *b\n"), "merge keys", (4, 3)),
    ("a NUL byte", put(lambda b: b.replace(b"title: Welcome", b"title: Wel\x00come", 1)), "U+0000", (3, 11)),
    ("a bell character", put(lambda b: b.replace(b"title: Welcome", b"title: Wel\x07come", 1)), "U+0007", (3, 11)),
    ("an escape sequence", put(lambda b: b.replace(b"title: Welcome", b"title: \x1b[31mRed", 1)), "U+001B", (3, 8)),
    ("a 5000-digit number", put(lambda b: b.replace(b"minutes: 10", b"minutes: " + b"9" * 5000)), "too long", (6, 19)),
    ("two documents", put(lambda b: b + b"---\nid: other\n"), "YAML syntax error", None),
    ("a truncated file", put(lambda b: b[: len(b) // 2] + b'\n    - id: "unterminated\n'), "", None),
    ("an unknown tag", put(lambda b: b.replace(b"title: Welcome", b"title: !shout Welcome", 1)), "tag", (3, 8)),
    ("a mapping as a key", put(lambda b: b + b"? [a, b]\n: c\n"), "a key must be plain text", None),
    ("a lone surrogate escape", put(lambda b: b.replace(b"title: Welcome", b'title: "\\ud800"', 1)), "", (3, None)),
]


@pytest.mark.parametrize(("name", "breaker", "fragment", "position"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_gives_a_located_error(
    course: Path, name: str, breaker: Breaker, fragment: str, position: tuple[int, int | None] | None
) -> None:
    breaker(course)
    code, output, errors, seconds = check(course) if name in HEAVY else check_here(course)
    assert code == 1, output[-2000:]
    assert errors, output[-2000:]
    assert seconds < SECONDS, f"{name} took {seconds:.1f} s"
    assert all(e["path"] == "modules/welcome.yml" for e in errors), output[-2000:]
    found = [e for e in errors if fragment in e.group(0)]
    assert found, output[-2000:]
    if position is not None:
        line, col = position
        assert int(found[0]["line"]) == line, found[0].group(0)
        if col is not None:
            assert int(found[0]["col"]) == col, found[0].group(0)
    assert len(errors) <= 60, "errors of one file are capped"


def test_errors_of_a_mangled_2_mb_file_are_capped_and_quick(course: Path) -> None:
    """150 000 unknown keys: one error each would flood the terminal; the first 50 and a count."""
    module(course).write_bytes(b"".join(b"k%d: 1\n" % i for i in range(150_000)))
    code, output, errors, seconds = check(course)
    assert code == 1
    assert seconds < SECONDS
    assert len(errors) == 51 and "more problems in this file" in output


def test_python_tags_never_run_code(course: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    module(course).write_text(
        f"id: !!python/object/apply:os.system ['touch {marker}']\n"
        f"title: !!python/object/new:os.system ['touch {marker}']\n"
        "summary: !!python/name:os.system\n",
        encoding="utf-8",
    )
    code, output, errors, _ = check(course)
    assert code == 1 and errors, output
    assert not marker.exists()


@pytest.mark.parametrize("what", ["CRLF line ends", "a UTF-8 byte order mark", "both"])
def test_windows_files_are_accepted_and_positions_stay_right(course: Path, what: str) -> None:
    data = valid_bytes(course)
    if what != "a UTF-8 byte order mark":
        data = data.replace(b"\n", b"\r\n")
    if what != "CRLF line ends":
        data = b"\xef\xbb\xbf" + data
    module(course).write_bytes(data)
    code, output, _, _ = check(course)
    assert code == 0, output
    # An error on line 6 is still reported on line 6.
    module(course).write_bytes(data.replace(b"duration_minutes: 10", b"duration_minutes: ten"))
    code, output, errors, _ = check(course)
    assert code == 1
    assert [(int(e["line"]), int(e["col"])) for e in errors] == [(6, 19)], output


def test_crlf_leaves_no_carriage_returns_in_the_site(course: Path) -> None:
    from .support import build

    for path in (course / "modules").glob("*.yml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    site = build(course)
    page = (site / "modules" / "welcome" / "index.html").read_bytes()
    assert b"\r" not in page


def test_a_symlink_to_outside_the_course_is_refused(course: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.yml"
    outside.write_bytes(valid_bytes(course).replace(b"id: welcome", b"id: leak"))
    (course / "modules" / "leak.yml").symlink_to(outside)
    code, output, errors, _ = check(course)
    assert code == 1
    assert any(e["path"] == "modules/leak.yml" and "a link" in e["message"] for e in errors), output


def test_a_symlinked_course_yml_is_refused(course: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.yml"
    (course / "modules" / "course.yml").rename(target)
    (course / "modules" / "course.yml").symlink_to(target)
    code, output, errors, _ = check(course)
    assert code == 1 and any(e["path"] == "modules/course.yml" for e in errors), output


def test_a_directory_named_like_a_module_is_refused(course: Path) -> None:
    (course / "modules" / "folder.yml").mkdir()
    code, output, errors, _ = check(course)
    assert code == 1
    assert any(e["path"] == "modules/folder.yml" and "not a regular file" in e["message"] for e in errors), output


def test_a_fifo_named_like_a_module_does_not_hang(course: Path) -> None:
    os.mkfifo(course / "modules" / "pipe.yml")
    code, output, errors, seconds = check(course, timeout=30)
    assert code == 1 and seconds < SECONDS
    assert any(e["path"] == "modules/pipe.yml" for e in errors), output


def test_editor_and_macos_litter_is_ignored(course: Path, tmp_path: Path) -> None:
    """Emacs locks (``.#x.yml`` links to nowhere) and macOS ``._x.yml`` files are not modules."""
    (course / "modules" / ".#welcome.yml").symlink_to(tmp_path / "user@host.1234")
    (course / "modules" / "._welcome.yml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    code, output, _, _ = check(course)
    assert code == 0, output


def test_an_upper_case_suffix_is_not_silently_skipped(course: Path) -> None:
    data = valid_bytes(course).replace(b"id: welcome", b"id: second")
    (course / "modules" / "Second.YML").write_bytes(data)
    code, output, errors, _ = check(course)
    assert code == 1 and any(e["path"] == "modules/Second.YML" for e in errors), output


def test_missing_course_yml_and_modules_folder(course: Path) -> None:
    (course / "modules" / "course.yml").unlink()
    code, output, errors, _ = check(course)
    assert code == 1 and any("course.yml is missing" in e["message"] for e in errors), output
    for path in (course / "modules").iterdir():
        path.unlink()
    (course / "modules").rmdir()
    code, output, _, _ = check(course)
    assert code == 1 and "Traceback" not in output


def test_course_yml_with_a_duplicate_key(course: Path) -> None:
    path = course / "modules" / "course.yml"
    path.write_text(path.read_text() + "title: Second title\n", encoding="utf-8")
    code, output, errors, _ = check(course)
    assert code == 1 and any("duplicate key 'title'" in e["message"] for e in errors), output


def test_build_reports_the_same_errors_and_keeps_the_old_site(course: Path) -> None:
    from .support import build

    site = build(course)
    (site / "old-marker").write_text("previous build")
    module(course).write_bytes(b"- a list\n")
    run = coursegen(["build"], course)
    assert run.returncode == 1 and "Traceback" not in run.output
    assert ERROR_LINE.search(run.stderr), run.output
    assert (site / "old-marker").exists() and (site / "index.html").exists()


def test_every_field_of_every_kind_wrong_at_once(course: Path) -> None:
    """All problems of a run in one report, each located."""
    data = read_yaml(module(course))
    data["title"] = ["a", "list"]
    data["duration_minutes"] = "ten"
    data["objectives"] = "not a list"
    data["lessons"][0]["checks"][0]["type"] = "essay"
    data["unknown_key"] = 1
    write_yaml(module(course), data)
    code, output, errors, _ = check(course)
    assert code == 1
    assert len(errors) == 5, output
    assert all(int(e["line"]) > 1 for e in errors if "unknown key" not in e["message"]), output
