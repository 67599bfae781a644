"""Fuzzing with Hypothesis.

1. Structurally valid courses with arbitrary text in every plain-text field (and Markdown-ish
   lesson bodies): the build succeeds, every page is well-formed HTML, no text turns into markup,
   and every value is on the site.
2. Valid files mangled at random (bytes cut, doubled, swapped, re-indented, re-encoded, given
   anchors, tabs and control characters): loading gives located errors or a valid course, never
   another exception.
3. Raw-HTML-ish lesson bodies: validation answers with located errors or accepts; what it accepts
   builds into inert, well-formed pages and never garbles the quiz forms after it; and the
   post-Markdown safety net leaves nothing active in any fragment.

The normal suite runs a bounded number of examples. For a longer local run, see
bench/fuzz_long.md (``COURSEGEN_FUZZ_EXAMPLES=2000``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coursegen.errors import CourseInvalid
from coursegen.loader import load_course
from coursegen.model import LoadedCourse

from .hostile import PAYLOADS, XSS_FLAG, expected
from .support import build, html_pages, new_course, parse_page, write_yaml

BUILD_EXAMPLES = int(os.environ.get("COURSEGEN_FUZZ_EXAMPLES", "25"))
MANGLE_EXAMPLES = BUILD_EXAMPLES * 4
# The normal suite replays the same examples every run, so CI is not a lottery; a longer local run
# (COURSEGEN_FUZZ_EXAMPLES set, see bench/fuzz_long.md) explores new random ones.
EXPLORE = "COURSEGEN_FUZZ_EXAMPLES" in os.environ
COMMON = {
    "deadline": None,
    "derandomize": not EXPLORE,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
}

# --- 1. valid courses, arbitrary text -------------------------------------------------------------

# Every code point but lone surrogates and control characters (those are refused: test_round_two.py).
ANY_CHARACTER = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n")
HOSTILE_PIECES = st.sampled_from([*PAYLOADS, "<", ">", "&", '"', "'", "`", "{{", "}}", "{%", "\\", "|", "#", "*"])


def _valid_text(text: str) -> bool:
    return bool(text.strip()) and len(text) <= 2000


plain_text = st.one_of(
    st.text(ANY_CHARACTER, min_size=1, max_size=40),
    st.lists(st.one_of(HOSTILE_PIECES, st.text(ANY_CHARACTER, max_size=8)), min_size=1, max_size=6).map(" ".join),
).filter(_valid_text)

# Bodies are Markdown: any printable text, without '<' (raw HTML has its own tests) and without
# characters YAML cannot hold in a block scalar.
markdown_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="<\u2028\u2029\ufeff\x85"),
    min_size=1,
    max_size=200,
).filter(lambda t: bool(t.strip()))


@st.composite
def questions(draw: st.DrawFn, prefix: str) -> list[dict]:
    result = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["single", "multiple", "true_false"]))
        q: dict = {"id": f"{prefix}-{i}", "type": kind, "prompt": draw(plain_text), "explanation": draw(plain_text)}
        if kind == "true_false":
            q.update(answer=draw(st.booleans()), true_feedback=draw(plain_text), false_feedback=draw(plain_text))
        else:
            texts = draw(st.lists(plain_text, min_size=2, max_size=4, unique_by=lambda t: t.strip()))
            correct = draw(st.integers(0, len(texts) - 1))
            q["choices"] = [
                {"text": t, "correct": j == correct, "feedback": draw(plain_text)} for j, t in enumerate(texts)
            ]
        result.append(q)
    return result


@st.composite
def courses(draw: st.DrawFn) -> tuple[dict, list[dict]]:
    module_ids = ["alpha", "beta"][: draw(st.integers(1, 2))]
    course = {
        "id": "fuzz",
        "title": draw(plain_text),
        "description": draw(plain_text),
        "modules": module_ids,
        "audiences": [{"id": "everyone", "title": draw(plain_text), "description": draw(plain_text)}],
        "help": [{"name": draw(plain_text), "phone": "911", "description": draw(plain_text)}],
        "contacts": [{"role": draw(plain_text), "name": draw(plain_text), "notes": draw(plain_text)}],
        "glossary": [{"term": draw(plain_text), "definition": draw(plain_text)}],
    }
    if draw(st.booleans()):
        course["content_note"] = draw(plain_text)
    modules = []
    for module_id in module_ids:
        module = {
            "id": module_id,
            "title": draw(plain_text),
            "summary": draw(plain_text),
            "audiences": ["everyone"],
            "duration_minutes": draw(st.integers(1, 600)),
            "objectives": draw(st.lists(plain_text, min_size=1, max_size=3)),
            "lessons": [
                {
                    "title": draw(plain_text),
                    "body": draw(markdown_text),
                    "checks": draw(questions(f"{module_id}-check")),
                    "facilitator_notes": draw(plain_text),
                    "discussion": draw(st.lists(plain_text, max_size=2)),
                }
            ],
            "key_points": draw(st.lists(plain_text, max_size=2)),
            "quiz": {"pass_mark": draw(st.integers(0, 100)), "questions": draw(questions(f"{module_id}-q"))},
            "resources": [{"title": draw(plain_text), "url": "https://example.org/", "publisher": draw(plain_text)}],
        }
        if draw(st.booleans()):
            module["content_note"] = draw(plain_text)
        modules.append(module)
    return course, modules


def plain_values(loaded: LoadedCourse) -> list[str]:
    """Every plain-text value of a loaded course (what learners or facilitators must see)."""
    c = loaded.course
    values = [c.title, c.description, *(a.title for a in c.audiences), *(a.description or "" for a in c.audiences)]
    values += [h.name for h in c.help] + [h.description for h in c.help]
    values += [x.role for x in c.contacts] + [x.name or "" for x in c.contacts] + [x.notes or "" for x in c.contacts]
    values += [g.term for g in c.glossary] + [g.definition for g in c.glossary] + [c.content_note or ""]
    for m in loaded.modules:
        values += [m.title, m.summary, m.content_note or "", *m.objectives, *m.key_points]
        for lesson in m.lessons:
            values += [lesson.title, lesson.facilitator_notes or "", *lesson.discussion]
        for q in m.questions():
            values += [q.prompt, q.explanation]
            values += [o.text for o in q.options()] + [o.feedback for o in q.options()]
        for r in m.resources:
            values += [r.title, r.publisher or ""]
    return [v for v in values if v]


@settings(max_examples=BUILD_EXAMPLES, **COMMON)
@given(courses())
def test_valid_courses_with_any_text_build_into_well_formed_inert_pages(generated: tuple[dict, list[dict]]) -> None:
    course_data, modules = generated
    with tempfile.TemporaryDirectory() as tmp:
        root = new_course(Path(tmp) / "course")
        (root / "modules" / "welcome.yml").unlink()
        write_yaml(root / "modules" / "course.yml", course_data)
        for module in modules:
            write_yaml(root / "modules" / f"{module['id']}.yml", module)
        try:
            loaded = load_course(root / "modules", root)
        except CourseInvalid as exc:
            # Only a random Markdown body may be refused (e.g. "[a]: b:c" is a link to scheme b:).
            assert all("body" in e.message or "link" in e.message or "HTML" in e.message for e in exc.errors), exc
            assume(False)
            raise
        site = build(root)
        texts = []
        for page in html_pages(site):
            parsed = parse_page(page.read_text(encoding="utf-8"))
            assert not parsed.problems, (page.relative_to(site), parsed.problems)
            assert not parsed.handlers, (page.relative_to(site), parsed.handlers)
            assert not parsed.unsafe_links, (page.relative_to(site), parsed.unsafe_links)
            assert all(XSS_FLAG not in body for _, body in parsed.scripts), page
            assert all((attrs.get("src") or ".js").endswith(".js") for attrs, _ in parsed.scripts), page
            texts.append(parsed.text)
        everything = "\n".join(texts)
        missing = [v for v in plain_values(loaded) if expected(v) not in everything]
        assert not missing, missing


# --- 2. mangled files -----------------------------------------------------------------------------

VALID_MODULE = (Path(__file__).resolve().parents[2] / "src/coursegen/scaffold/modules/welcome.yml").read_bytes()
NOISE = st.sampled_from(
    [b"\t", b"\r", b"\x00", b"\x1b", b"\xef\xbb\xbf", b"\xff", b"\xe9", b"\x93", b"&a ", b"*a", b"<<: *a\n",
     b"? ", b": ", b"- ", b"[", b"{", b"'", b'"', b"|", b">", b"!!python/object/apply:os.system [x]", b"!!binary ",
     b"---\n", b"...\n", b"%YAML 1.1\n", b"#", b"\n", b"    ", "é🙂\u202e".encode(), b"\\ud800", b"&b [*a,*a,*a,*a]\n"]
)  # fmt: skip


@st.composite
def mangled(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID_MODULE)
    for _ in range(draw(st.integers(1, 6))):
        size = len(data)
        if size == 0:
            data += draw(NOISE)
            continue
        start = draw(st.integers(0, size - 1))
        end = min(size, start + draw(st.integers(0, 80)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate", "swap-lines", "indent"]))
        if action == "delete":
            del data[start:end]
        elif action == "duplicate":
            data[start:start] = data[start:end]
        elif action == "insert":
            data[start:start] = draw(NOISE)
        elif action == "replace":
            data[start:end] = draw(st.binary(max_size=8))
        elif action == "truncate":
            del data[start:]
        elif action == "swap-lines":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = b" " * draw(st.integers(0, 7)) + lines[i].lstrip(b" ")
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@settings(max_examples=MANGLE_EXAMPLES, **COMMON)
@given(mangled(), st.sampled_from(["welcome.yml", "course.yml"]))
def test_mangled_files_give_located_errors(data: bytes, target: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = new_course(Path(tmp) / "course")
        path = root / "modules" / target
        if target == "course.yml":
            data = data.replace(b"id: welcome", b"id: mangled")
        path.write_bytes(data)
        lines = data.count(b"\n") + 2
        try:
            load_course(root / "modules", root)
        except CourseInvalid as exc:
            assert exc.errors
            for error in exc.errors:
                assert error.path.startswith("modules/"), error
                assert error.message and "Traceback" not in error.message, error
                assert error.line >= 1, error
                if error.path == f"modules/{target}":
                    assert error.line <= lines, (error, lines)
                assert error.column >= 1, error


# --- 3. raw HTML in lesson bodies, and the safety net -------------------------------------------

HTML_PIECES = st.sampled_from(
    ["<", ">", "</", "/>", "<!--", "-->", "<![", "]]>", "<!", "<?", "&", "&#", ";", "=", '"', "'", " ", "\n", "`",
     "div", "a", "img", "script", "svg", "b", "details", "p", "span", "iframe", "style", "href", "src", "onerror",
     "onclick", "javascript:", "jav&#x61;script:", "data:", "https://e.org/", "x", "{", "}", "{:", "[", "](", ")",
     "!", "\t", "markdown", "/", ":", "\u202e", "é"]
)  # fmt: skip
html_ish = st.lists(HTML_PIECES, max_size=40).map("".join)


@settings(max_examples=MANGLE_EXAMPLES, **COMMON)
@given(html_ish)
def test_any_raw_html_in_a_body_gives_located_errors_or_loads(body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = new_course(Path(tmp) / "course")
        path = root / "modules" / "welcome.yml"
        data = path.read_text(encoding="utf-8")
        write_yaml(path, {**yaml.safe_load(data), "lessons": [{"title": "L", "body": body or "x"}]})
        try:
            load_course(root / "modules", root)
        except CourseInvalid as exc:
            assert all(e.path == "modules/welcome.yml" and e.line >= 1 and e.column >= 1 for e in exc.errors)


@settings(max_examples=MANGLE_EXAMPLES * 3, **COMMON)
@given(html_ish)
def test_the_safety_net_leaves_nothing_active(fragment: str) -> None:
    from coursegen.htmlsafety import harden_html

    result, _ = harden_html(fragment, course_page=True)
    parsed = parse_page(f"<div>{result}</div>")
    assert not parsed.handlers, result
    assert not parsed.unsafe_links, result
    assert not [s for s in parsed.scripts if s[1].strip() or s[0]], result


@settings(max_examples=max(5, BUILD_EXAMPLES // 2), **COMMON)
@given(st.lists(html_ish, min_size=1, max_size=8))
def test_raw_html_that_passes_validation_builds_into_inert_pages(bodies: list[str]) -> None:
    from coursegen.validate import check_markdown
    from coursegen.yamlfile import Positions, YamlDocument

    def accepted(body: str) -> bool:
        doc = YamlDocument("f.yml", {}, Positions())
        return bool(body.strip()) and not list(check_markdown(doc, ("body",), body))

    kept = [b for b in bodies if accepted(b)]
    assume(kept)
    with tempfile.TemporaryDirectory() as tmp:
        root = new_course(Path(tmp) / "course")
        path = root / "modules" / "welcome.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["lessons"] = [{"title": f"Lesson {i}", "body": body} for i, body in enumerate(kept)]
        write_yaml(path, data)
        site = build(root)
        page = (site / "modules" / "welcome" / "index.html").read_text(encoding="utf-8")
        parsed = parse_page(page)
        assert not parsed.problems, (kept, parsed.problems)
        assert not parsed.handlers, (kept, parsed.handlers)
        assert not parsed.unsafe_links, (kept, parsed.unsafe_links)
        assert all((attrs.get("src") or ".js").endswith(".js") for attrs, _ in parsed.scripts), kept
        for i in range(len(kept)):
            assert f"Lesson {i}" in parsed.text, (kept, i)  # nothing swallowed the lessons after it


@settings(max_examples=MANGLE_EXAMPLES, **COMMON)
@given(st.lists(html_ish, min_size=1, max_size=3))
def test_accepted_bodies_never_garble_the_quiz_forms(bodies: list[str]) -> None:
    """Python-Markdown copies raw HTML blocks (our quiz forms) through its own HTML parser; some
    text before them ('&#', '<?') made it lose its place and garble them. Whatever validation
    accepts must leave every form intact and every lesson in place. (Render and Markdown only,
    no MkDocs build, so it can run many examples.)"""
    import re

    import markdown

    from coursegen.plugin import REQUIRED_EXTENSIONS
    from coursegen.render import render_pages

    bodies = [b for b in bodies if b.strip()]
    assume(bodies)
    with tempfile.TemporaryDirectory() as tmp:
        root = new_course(Path(tmp) / "course")
        path = root / "modules" / "welcome.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        lesson = data["lessons"][0]
        data["lessons"] = [{**lesson, "title": f"Lesson {i}", "body": b} for i, b in enumerate(bodies)]
        write_yaml(path, data)
        try:
            loaded = load_course(root / "modules", root)
        except CourseInvalid:
            assume(False)
            raise
    page = next(p for p in render_pages(loaded) if p.path == "modules/welcome.md")
    html = markdown.Markdown(extensions=[*REQUIRED_EXTENSIONS, "pymdownx.superfences"]).convert(page.content)
    for form in re.findall(r"<form.*?</form>", page.content, re.DOTALL):
        assert form in html, (bodies, form[:200])
    for i in range(len(bodies)):
        assert f">Lesson {i}<" in html, (bodies, i)
