"""Property tests: whatever bytes or mangled YAML a module file holds, the result is a clean
located error (or a valid course), never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coursegen.errors import CourseInvalid
from coursegen.loader import load_course
from coursegen.scaffold import init_project

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def fresh_course(tmp: Path) -> Path:
    if not (tmp / "mkdocs.yml").exists():
        init_project(tmp, "Prop")
    return tmp


def assert_clean(root: Path) -> None:
    try:
        load_course(root / "modules", root)
    except CourseInvalid as exc:
        assert exc.errors, "an invalid course must say why"
        for error in exc.errors:
            assert error.path.startswith("modules/")
            assert error.line >= 1 and error.column >= 1
            assert error.message


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_clean_error(tmp_path: Path, data: bytes) -> None:
    root = fresh_course(tmp_path)
    (root / "modules" / "welcome.yml").write_bytes(data)
    assert_clean(root)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_gives_a_clean_error(tmp_path: Path, text: str) -> None:
    root = fresh_course(tmp_path)
    (root / "modules" / "welcome.yml").write_text(text, encoding="utf-8")
    assert_clean(root)


VALID = (
    Path(__file__).resolve().parent.parent / "src" / "coursegen" / "scaffold" / "modules" / "welcome.yml"
).read_text()


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """The valid welcome module with a few lines deleted, duplicated, re-indented or cut."""
    lines = VALID.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "indent", "dedent", "truncate", "insert"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " * draw(st.integers(1, 3)) + lines[i]
        elif action == "dedent":
            lines[i] = lines[i].lstrip()
        elif action == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            lines.insert(
                i, draw(st.sampled_from(["- x", "key: [", "&a b", "*a", ": :", "\t", "'", "? x", "!!binary x"]))
            )
    return "\n".join(lines) + "\n"


@SETTINGS
@given(mangled())
def test_mangled_module_gives_a_clean_error(tmp_path: Path, text: str) -> None:
    root = fresh_course(tmp_path)
    (root / "modules" / "welcome.yml").write_text(text, encoding="utf-8")
    assert_clean(root)
