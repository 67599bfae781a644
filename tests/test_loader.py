"""YAML problems are reported with the exact file, line and column."""

from __future__ import annotations

from pathlib import Path

from conftest import errors_of, write_module
from coursegen.loader import load_course


def test_valid_course_loads(course: Path) -> None:
    from coursegen.loader import load_course

    loaded = load_course(course / "modules", course)
    assert [m.id for m in loaded.modules] == ["welcome"]
    assert loaded.course.title == "Test Course"


def test_yaml_syntax_error_has_line_and_column(course: Path) -> None:
    write_module(course, "broken", "id: broken\ntitle: [unclosed\nsummary: x\n")
    [error] = errors_of(course)
    assert (error.path, error.line) == ("modules/broken.yml", 3)
    assert "YAML syntax error" in error.message


def test_tab_indentation_names_the_tab(course: Path) -> None:
    write_module(course, "tabs", "id: tabs\nlessons:\n\t- title: x\n")
    [error] = errors_of(course)
    assert (error.line, error.column) == (3, 1)
    assert "tab" in (error.message + error.hint).lower()


def test_unknown_key_points_at_the_key_and_suggests(course: Path) -> None:
    text = (course / "modules" / "welcome.yml").read_text().replace("    checks:", "    chekcs:")
    (course / "modules" / "welcome.yml").write_text(text)
    [error] = errors_of(course)
    line = text.splitlines().index("    chekcs:") + 1
    assert (error.line, error.column) == (line, 5)
    assert "unknown key 'chekcs'" in error.message
    assert error.hint == "did you mean 'checks'?"


def test_wrong_type_points_at_the_value(course: Path) -> None:
    text = (course / "modules" / "welcome.yml").read_text().replace("duration_minutes: 10", "duration_minutes: soon")
    (course / "modules" / "welcome.yml").write_text(text)
    [error] = errors_of(course)
    line = text.splitlines().index("duration_minutes: soon") + 1
    assert (error.line, error.column) == (line, 19)
    assert "duration_minutes" in error.message


def test_missing_field_names_the_key_and_its_parent(course: Path) -> None:
    text = (
        (course / "modules" / "welcome.yml").read_text().replace("summary: A first module", "# summary: A first module")
    )
    (course / "modules" / "welcome.yml").write_text(text)
    [error] = errors_of(course)
    assert error.message == "missing required key 'summary' in the file"
    assert (error.line, error.column) == (2, 1)


def test_yes_no_are_text_and_true_false_in_a_text_field_get_a_quoting_hint(course: Path) -> None:
    original = (course / "modules" / "welcome.yml").read_text()
    (course / "modules" / "welcome.yml").write_text(original.replace("- text: Nothing", "- text: No"))
    questions = load_course(course / "modules").modules[0].questions()
    # YAML 1.1 would have made it false: the trainer meant "No"
    assert "No" in [c.text for q in questions for c in q.choices or []]
    (course / "modules" / "welcome.yml").write_text(original.replace("- text: Nothing", "- text: false"))
    [error] = errors_of(course)
    assert "quotes" in error.hint


def test_all_problems_of_all_files_come_at_once(course: Path) -> None:
    write_module(course, "one", "id: one\ntitle: [\n")
    write_module(course, "two", "- just\n- a list\n")
    text = (course / "modules" / "welcome.yml").read_text().replace("pass_mark: 80", "pass_mark: 150")
    (course / "modules" / "welcome.yml").write_text(text)
    files = sorted({e.path for e in errors_of(course)})
    assert files == ["modules/one.yml", "modules/two.yml", "modules/welcome.yml"]


def test_empty_file_is_an_error(course: Path) -> None:
    write_module(course, "empty", "# only a comment\n")
    [error] = errors_of(course)
    assert error.message == "the file is empty"


def test_duplicate_keys_are_an_error(course: Path) -> None:
    text = (
        (course / "modules" / "welcome.yml")
        .read_text()
        .replace("title: Welcome\n", "title: Welcome\ntitle: Again\n", 1)
    )
    (course / "modules" / "welcome.yml").write_text(text)
    [error] = errors_of(course)
    assert (error.line, error.column) == (4, 1)
    assert "duplicate key 'title'" in error.message


def test_latin1_bytes_are_located(course: Path) -> None:
    path = course / "modules" / "welcome.yml"
    path.write_bytes(path.read_bytes().replace(b"title: Welcome", b"title: Caf\xe9"))
    [error] = errors_of(course)
    assert (error.line, error.column) == (3, 11)
    assert "UTF-8" in error.hint


def test_missing_course_yml(course: Path) -> None:
    (course / "modules" / "course.yml").unlink()
    [error] = errors_of(course)
    assert error.path == "modules/course.yml"
    assert "missing" in error.message


def test_control_characters_are_found_anywhere_in_values_and_keys() -> None:
    """C0 and C1 controls (but not tab and newline), wherever they stand in a long value or a key."""
    from coursegen.yamlfile import parse_yaml

    long_text = "Plain words and tabs\there.\\n" * 200
    for escape, code in (("\\x85", "U+0085"), ("\\x9f", "U+009F"), ("\\x7f", "U+007F"), ("\\x01", "U+0001")):
        doc, errors = parse_yaml(f'id: x\nbody: "{long_text}{escape}end"\n', "m.yml")
        assert doc is None and [(e.line, e.column) for e in errors] == [(2, 7)], errors
        assert f"the control character {code}" in errors[0].message
    doc, errors = parse_yaml('id: x\n"k\\x1bey": 1\n', "m.yml")
    assert doc is None and [(e.line, e.column, e.message) for e in errors] == [
        (2, 1, "the key holds a control character")
    ]
    doc, errors = parse_yaml(f'id: x\nbody: "{long_text}"\nn: 3\n', "m.yml")
    assert errors == [] and doc is not None and doc.data["n"] == 3 and doc.data["body"].count("\t") == 200
