"""The question types of #14 in every export: each format carries the types it has (read back by
the format's own parser or schema), leaves out the others with a warning that names the
question at its place in the module file (the command still succeeds), and carries the points
where the format has a weight."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from coursegen.cli import cli
from coursegen.exports.gift import export_gift
from coursegen.exports.lms import question_details
from coursegen.exports.moodle_xml import export_moodle_xml
from coursegen.exports.omissions import exported, reason
from coursegen.exports.qti import NS_QTI21, export_qti
from coursegen.exports.text import line
from coursegen.model import LoadedCourse, Question

from . import test_print as printing_tests
from .new_types_course import NEW_TYPES_MODULE, load_new_types, make_new_types_course
from .test_gift import parse as gift_parse
from .test_qti import QTI12, SCHEMAS, TEXT2QTI, unzip, visible

MOODLE_SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMAS / "moodle-xml-subset.xsd")))
Q21 = f"{{{NS_QTI21}}}"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_new_types_course(tmp_path_factory.mktemp("new-types"))


@pytest.fixture(scope="module")
def course(root: Path) -> LoadedCourse:
    return load_new_types(root)


def question(course: LoadedCourse, question_id: str) -> Question:
    return next(q for q in course.module("new-types").questions() if q.id == question_id)


def type_line(question_id: str) -> tuple[int, int]:
    """Line and column of the ``type:`` value of a question in the module file."""
    lines = NEW_TYPES_MODULE.splitlines()
    start = next(i for i, text in enumerate(lines) if text.strip() == f"- id: {question_id}")
    number = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("type:"))
    return number + 1, lines[number].index("type:") + len("type: ") + 1


# --- GIFT ----------------------------------------------------------------------------------------


def test_gift_matching_and_short_answer_read_back_in_gift_pegjs(course: LoadedCourse) -> None:
    parsed = {item.get("title"): item for item in gift_parse(export_gift(course))}
    assert "order-steps" not in parsed and "desk-scenario" not in parsed  # GIFT has neither type

    matching = parsed["match-roles"]
    pairs = question(course, "match-roles").pairs or []
    assert matching["type"] == "Matching"
    assert (
        [(p["subquestion"]["text"], p["subanswer"]) for p in matching["matchPairs"]]
        == [
            ("A sign stays up \u2192 for days", "Housekeeping"),  # "->" would split the pair in Moodle
            *[(line(p.item), line(p.match)) for p in pairs[1:]],
            ("", "Parking attendant"),  # a distractor: a match with no item
        ]
    )

    short = parsed["short-number"]
    assert short["type"] == "Short"
    assert short["globalFeedback"]["text"] == "Source: a test fixture ]]> end."
    answers = [(c["text"]["text"], c["weight"], c["feedback"]["text"]) for c in short["choices"]]
    assert answers == [
        ("911", None, "Right: 911."),
        ("nine one one", None, "Right: 911."),
        ("call 911*", None, "Right: 911."),  # '*' is Moodle's short-answer wildcard too
        ("*hotline*", 0, "The hotline is for reports; in an emergency call 911 first."),
        ("*", 0, "In an emergency, call 911."),  # any other answer: the incorrect feedback
    ]


# --- Moodle XML ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def moodle(course: LoadedCourse) -> dict[str, etree._Element]:
    root = etree.fromstring(export_moodle_xml(course))
    assert MOODLE_SCHEMA.validate(root), MOODLE_SCHEMA.error_log
    return {q.findtext("name/text"): q for q in root.iter("question") if q.get("type") != "category"}


def test_moodle_xml_has_match_shortanswer_and_ordering_with_points(
    course: LoadedCourse, moodle: dict[str, etree._Element]
) -> None:
    assert "desk-scenario" not in moodle
    grades = {name: element.findtext("defaultgrade") for name, element in moodle.items()}
    assert grades["order-steps"] == "2" and grades["match-roles"] == "3" and grades["plain-single"] == "4"

    match = moodle["match-roles"]
    assert match.get("type") == "match"
    subquestions = [(s.findtext("text") or "", s.findtext("answer/text")) for s in match.iter("subquestion")]
    pairs = question(course, "match-roles").pairs or []
    assert (
        subquestions
        == [
            ("A sign stays up -&gt; for days", "Housekeeping"),  # HTML text, as Moodle stores it
            *[(line(p.item), line(p.match)) for p in pairs[1:]],
            ("", "Parking attendant"),
        ]
    )

    short = moodle["short-number"]
    assert (short.get("type"), short.findtext("usecase")) == ("shortanswer", "0")
    answers = [(a.get("fraction"), a.findtext("text"), a.findtext("feedback/text")) for a in short.iter("answer")]
    assert answers == [
        ("100", "911", "Right: 911."),
        ("100", "nine one one", "Right: 911."),
        ("100", "call 911*", "Right: 911."),
        ("0", "*hotline*", "The hotline is for reports; in an emergency call 911 first."),
        ("0", "*", "In an emergency, call 911."),
    ]

    ordering = moodle["order-steps"]
    assert ordering.get("type") == "ordering"
    assert ordering.findtext("gradingtype") == "RELATIVE_ALL_PREVIOUS_AND_NEXT"  # partial credit by pairs
    items = [(float(a.get("fraction")), a.findtext("text")) for a in ordering.iter("answer")]
    assert items == [
        (1.0, "Notice what you see &amp; hear"),
        (2.0, "Write it down -&gt; with the time"),
        (3.0, "Report it: use the named channel"),
    ]
    assert ordering.findtext("correctfeedback/text") == "Right: observe, note, report."


# --- QTI ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def canvas(course: LoadedCourse) -> dict[str, etree._Element]:
    files = unzip(export_qti(course, "1.2"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "qti12-subset.xsd")))
    aid = f"cg_{course.course.id}_new-types"
    root = etree.fromstring(files[f"{aid}/{aid}.xml"])
    assert schema.validate(root), schema.error_log
    meta = etree.fromstring(files[f"{aid}/assessment_meta.xml"])
    # Canvas's quiz total: the points of the questions it holds (matching 3, short answer 1, single 4).
    assert meta.findtext("{http://canvas.instructure.com/xsd/cccv1p0}points_possible") == "8.0"
    return {item.get("title"): item for item in root.iter(f"{QTI12}item")}


def metadata(item: etree._Element) -> dict[str, str]:
    fields = item.iter(f"{QTI12}qtimetadatafield")
    return {f.findtext(f"{QTI12}fieldlabel"): f.findtext(f"{QTI12}fieldentry") for f in fields}


def test_canvas_matching_scores_each_item(course: LoadedCourse, canvas: dict[str, etree._Element]) -> None:
    assert set(canvas) == {"match-roles", "short-number", "plain-single"}
    item = canvas["match-roles"]
    assert metadata(item)["question_type"] == "matching_question"
    assert metadata(item)["points_possible"] == "3"
    lists = item.findall(f"{QTI12}presentation/{QTI12}response_lid")
    q = question(course, "match-roles")
    assert [visible(r.findtext(f"{QTI12}material/{QTI12}mattext")) for r in lists] == [
        line(p.item) for p in q.pairs or []
    ]
    labels = {lab.get("ident"): lab.findtext(f".//{QTI12}mattext") for lab in lists[0].iter(f"{QTI12}response_label")}
    assert list(labels.values()) == ["Housekeeping", "Front desk", "Parking attendant"]
    scored = [
        (c.find(f".//{QTI12}varequal").get("respident"), labels[c.findtext(f".//{QTI12}varequal")], c)
        for c in item.iter(f"{QTI12}respcondition")
        if c.find(f"{QTI12}setvar") is not None
    ]
    assert [(r, match) for r, match, _ in scored] == [
        (lid.get("ident"), line(p.match)) for lid, p in zip(lists, q.pairs or [], strict=True)
    ]
    shares = [float(c.findtext(f"{QTI12}setvar")) for _, _, c in scored]
    assert {c.find(f"{QTI12}setvar").get("action") for _, _, c in scored} == {"Add"}
    assert sum(shares) == pytest.approx(100, abs=1e-3)  # every item right: full marks


def test_canvas_short_answer_is_shaped_like_text2qti(canvas: dict[str, etree._Element], tmp_path: Path) -> None:
    item = canvas["short-number"]
    assert metadata(item)["question_type"] == "short_answer_question"
    accepted = [v.text for v in item.findall(f".//{QTI12}respcondition[@continue='No']//{QTI12}varequal")]
    assert accepted == ["911", "nine one one"]  # Canvas has no wildcard: "call 911*" cannot be given
    wrong = item.findall(f".//{QTI12}respcondition[@continue='Yes']//{QTI12}varequal")
    assert wrong == []  # the one common wrong answer has a '*' too
    source = tmp_path / "short.md"
    source.write_text("Quiz title: t\n\n1.  What number?\n... General\n*   911\n*   nine one one\n", encoding="utf-8")
    done = subprocess.run([str(TEXT2QTI), source.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    files = unzip((tmp_path / "short.zip").read_bytes())
    (theirs,) = [etree.fromstring(v) for k, v in files.items() if k.endswith(".xml") and "/" in k and "meta" not in k]
    other = theirs.find(f".//{QTI12}item")

    def shape(element: etree._Element) -> list[str]:
        return [etree.QName(e).localname for e in element.find(f"{QTI12}presentation").iter(etree.Element)] + [
            etree.QName(e).localname for e in element.find(f"{QTI12}resprocessing").iter(etree.Element)
        ]

    assert shape(item) == shape(other)
    assert [v.text for v in other.findall(f".//{QTI12}respcondition[@continue='No']//{QTI12}varequal")] == accepted


def test_canvas_leaves_out_a_short_answer_whose_every_answer_has_a_wildcard(course: LoadedCourse) -> None:
    only_patterns = question(course, "short-number").model_copy(update={"accepted": ["call 911*", "*911*"]})
    assert reason("QTI 1.2", only_patterns) == (
        "Canvas compares short answers exactly (no '*'), and every accepted answer here has a '*'"
    )
    assert reason("Moodle XML", only_patterns) is None and reason("GIFT", only_patterns) is None


@pytest.fixture(scope="module")
def qti21(course: LoadedCourse) -> dict[str, etree._Element]:
    files = unzip(export_qti(course, "2.1"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "qti21-subset.xsd")))
    items = {}
    for name in sorted(n for n in files if n.startswith("new-types/")):
        root = etree.fromstring(files[name])
        assert schema.validate(root), (name, schema.error_log)
        items[root.get("title")] = root
    assert sorted(items) == ["match-roles", "order-steps", "plain-single", "short-number"]  # no scenario
    return items


def maxscore(root: etree._Element) -> str:
    return root.find(f"{Q21}outcomeDeclaration[@identifier='MAXSCORE']").findtext(f"{Q21}defaultValue/{Q21}value")


def test_qti21_weights_choice_questions_by_points(qti21: dict[str, etree._Element]) -> None:
    root = qti21["plain-single"]
    assert maxscore(root) == "4"
    assert root.find(f".//{Q21}mapping").get("upperBound") == "4"
    assert max(float(e.get("mappedValue")) for e in root.iter(f"{Q21}mapEntry")) == 4


def test_qti21_ordering_and_matching(course: LoadedCourse, qti21: dict[str, etree._Element]) -> None:
    ordering = qti21["order-steps"]
    assert maxscore(ordering) == "2"
    choices = ordering.findall(f".//{Q21}orderInteraction/{Q21}simpleChoice")
    assert [visible(c.text) for c in choices] == [line(i) for i in question(course, "order-steps").items or []]
    correct = [v.text for v in ordering.iter(f"{Q21}value") if v.getparent().tag == f"{Q21}correctResponse"]
    assert correct == [c.get("identifier") for c in choices]  # written order is the right order
    feedback = {m.get("identifier"): m.text for m in ordering.iter(f"{Q21}modalFeedback")}
    assert feedback["correct"] == "Right: observe, note, report."

    matching = qti21["match-roles"]
    assert maxscore(matching) == "3"
    sources, targets = matching.findall(f".//{Q21}simpleMatchSet")
    names = {c.get("identifier"): visible(c.text) for s in (sources, targets) for c in s}
    entries = [(e.get("mapKey").split(), float(e.get("mappedValue"))) for e in matching.iter(f"{Q21}mapEntry")]
    pairs = question(course, "match-roles").pairs or []
    assert [(names[a], names[b]) for (a, b), _ in entries] == [(line(p.item), line(p.match)) for p in pairs]
    assert sum(v for _, v in entries) == pytest.approx(3)  # each item right: its share of the points
    assert [c.get("matchMax") for c in targets] == ["0", "0", "0"]  # a match may fit several items
    assert names["match_2"] == "Parking attendant"  # the distractor is offered too


def pattern_accepts(pattern: str, text: str) -> bool:
    """Whether an XML Schema regular expression (what QTI's patternMatch uses) matches ``text``
    in full, as libxml2's schema engine decides."""
    schema = etree.XMLSchema(
        etree.fromstring(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="t"><xs:simpleType>'
            '<xs:restriction base="xs:string"><xs:pattern value="PATTERN"/></xs:restriction>'
            "</xs:simpleType></xs:element></xs:schema>".replace("PATTERN", pattern.replace('"', "&quot;"))
        )
    )
    element = etree.Element("t")
    element.text = text
    return schema.validate(element)


def test_qti21_short_answer_accepts_as_written_without_case(qti21: dict[str, etree._Element]) -> None:
    root = qti21["short-number"]
    branches = root.find(f".//{Q21}responseCondition")
    right, wrong, _ = list(branches)
    strings = [m.findtext(f"{Q21}baseValue") for m in right.iter(f"{Q21}stringMatch")]
    assert strings == ["911", "nine one one"]
    assert {m.get("caseSensitive") for m in right.iter(f"{Q21}stringMatch")} == {"false"}
    (accepted,) = [m.get("pattern") for m in right.iter(f"{Q21}patternMatch")]
    assert pattern_accepts(accepted, "Call 911 now") and pattern_accepts(accepted, "CALL 911")
    assert not pattern_accepts(accepted, "I would call 911") and not pattern_accepts(accepted, "call 91")
    (common,) = [m.get("pattern") for m in wrong.iter(f"{Q21}patternMatch")]
    assert pattern_accepts(common, "the Hotline") and not pattern_accepts(common, "911")
    assert root.find(f".//{Q21}textEntryInteraction") is not None
    feedback = {m.get("identifier"): m.text for m in root.iter(f"{Q21}modalFeedback")}
    assert feedback["wrong_0"] == "The hotline is for reports; in an emergency call 911 first."


@pytest.mark.parametrize("text", ["a.b", "(x)", "[y]", "1+1?", "a|b", "c^d$", "{e}", "back\\slash", "-"])
def test_qti21_patterns_escape_every_special_character(text: str) -> None:
    from coursegen.exports.qti21_types import ci_pattern

    pattern = ci_pattern(f"{text}*")
    assert pattern_accepts(pattern, f"{text.upper()} and more")
    assert not pattern_accepts(pattern, f"x{text}")


# --- the commands --------------------------------------------------------------------------------

LEFT_OUT = {
    ("gift",): {"order-steps": "GIFT has no ordering", "desk-scenario": "GIFT has no scenario"},
    ("moodle-xml",): {"desk-scenario": "Moodle has no scenario"},
    ("qti",): {"order-steps": "Canvas (QTI 1.2) has no ordering", "desk-scenario": "Canvas (QTI 1.2) has no scenario"},
    ("qti", "--version", "2.1"): {"desk-scenario": "QTI 2.1 has no scenario"},
}


@pytest.mark.parametrize("command", list(LEFT_OUT), ids=lambda c: " ".join(c))
def test_command_names_each_question_it_leaves_out_and_succeeds(
    command: tuple[str, ...], root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    target = tmp_path / "out"
    result = CliRunner().invoke(cli, ["export", *command, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file() and f"wrote {target}" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == len(LEFT_OUT[command]), result.stderr
    for (question_id, why), warning in zip(LEFT_OUT[command].items(), warnings, strict=True):
        row, column = type_line(question_id)
        assert warning.startswith(f"modules/new-types.yml:{row}:{column}: warning: {why}"), warning
        assert warning.endswith(f"question '{question_id}' is left out (see docs/for-authors/{doc(command)})")
        assert question_id not in _exported_ids(command[0], target)


def doc(command: tuple[str, ...]) -> str:
    return {"gift": "export-gift.md", "moodle-xml": "export-moodle-xml.md", "qti": "export-qti.md"}[command[0]]


def _exported_ids(kind: str, target: Path) -> str:
    """Everything of the written file(s) where a question id could appear."""
    if kind == "qti":
        with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as archive:
            return " ".join(archive.namelist()) + " ".join(archive.read(n).decode() for n in archive.namelist())
    return target.read_text(encoding="utf-8")


def test_a_course_of_supported_types_gives_no_warnings(flagship: LoadedCourse) -> None:
    """The warnings are about the new types only: every question of a course of choice questions
    is exported by every format."""
    for module in flagship.modules:
        plain = [q for q in module.questions() if q.type in ("single", "multiple", "true_false")]
        for fmt in ("GIFT", "Moodle XML", "QTI 1.2", "QTI 2.1"):
            assert [q.id for q in exported(module, fmt) if q in plain] == [q.id for q in plain]


# --- LMS interactions and print -----------------------------------------------------------------


def test_lms_question_details_describe_each_type(course: LoadedCourse) -> None:
    details = {q.id: question_details(q) for q in course.module("new-types").questions()}
    assert details["order-steps"]["correct"] == [0, 1, 2] and details["order-steps"]["points"] == 2
    assert details["match-roles"]["matches"] == ["Housekeeping", "Front desk", "Parking attendant"]
    assert details["match-roles"]["correct"] == [0, 1, 1]
    assert details["short-number"]["accepted"] == ["911", "nine one one", "call 911*"]
    assert details["desk-scenario"]["endings"] == ["reported", "confronted"]
    assert details["desk-scenario"]["good"] == ["reported"]
    assert details["plain-single"]["correct"] == [0]


def test_print_handout_has_activities_without_answers_and_the_key_has_them(
    course: LoadedCourse, tmp_path: Path
) -> None:
    from coursegen.exports import print as printing

    docs = {d.name: d for d in printing.documents(course)}
    handout = printing_tests.visible(docs["handout-02-new-types"].html)
    assert "Activities" in handout
    # ordering: the steps to number, never in the right order
    steps = [line(s) for s in question(course, "order-steps").items or []]
    positions = [handout.index(s) for s in steps]
    assert sorted(positions) != positions
    assert "Number the steps from 1 to 3 in the right order." in handout
    # matching: items numbered, matches lettered; short answer: a line; scenario: steps to discuss
    assert "1. A sign stays up -> for days" in handout and "A. Parking attendant" in handout
    assert "Your answer:" in handout
    assert "Ask the guest directly. (go to step 3)" in handout and "The guest leaves. (an ending)" in handout
    for answer in ("Ending: done well", "Right order", "Questioning a guest can put them at risk", "Right: 911."):
        assert answer not in handout

    guide = printing_tests.visible(docs["facilitator-guide"].html)
    key = guide[guide.index("Answer key Every knowledge check") :]
    assert "Right order: Notice what you see & hear Write it down -> with the time Report it" in key
    assert "B. Housekeeping" in key and "Fits no item: Parking attendant" in key
    assert "*hotline* — The hotline is for reports" in key
    assert (
        "Ask the guest directly. (go to step 3) — Questioning a guest can put them at risk. "
        "Your supervisor reports it. Ending: done well. The guest leaves. Ending: needs work."
    ) in key
    assert "(match, 3 points)" in key

    # The printed handout (Chromium, as `export print --pdf` without WeasyPrint) reads the same.
    if printing.chromium_path() is None:
        printing_tests.missing("Chromium is missing")
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(printing.pdf_bytes(docs["handout-02-new-types"], "chromium"))
    text = re.sub(r"\s+", " ", printing_tests.pdftotext(pdf))
    assert "Number the steps from 1 to 3" in text and "C. Front desk" in text and "(go to step 2)" in text


@pytest.mark.parametrize("kind", ["scorm12", "scorm2004", "cmi5"])
def test_packages_carry_the_interactions_script_and_every_question_s_details(
    kind: str, course: LoadedCourse, tmp_path: Path
) -> None:
    import json

    import lxml.html

    from coursegen.exports import cmi5, scorm

    site = tmp_path / "site"
    (site / "modules").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    for module in course.modules:
        (site / "modules" / f"{module.id}.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    if kind == "cmi5":
        entries = cmi5.package_entries(course, site, cmi5.Cmi5Options())
    else:
        entries = scorm.package_entries(
            course, site, scorm.ScormOptions(version="1.2" if kind == "scorm12" else "2004")
        )
    launcher = lxml.html.document_fromstring(entries["coursegen-launch.html"])
    scripts = [s.get("src") for s in launcher.iter("script") if s.get("src")]
    assert "coursegen-interactions.js" in entries
    assert scripts.index("coursegen-interactions.js") < scripts.index(scripts[-1])  # before the launcher
    # The site's short-answer rules, which the interactions script judges typed answers with.
    assert scripts.index("assets/coursegen/answers.js") < scripts.index("coursegen-interactions.js")
    settings = json.loads(launcher.get_element_by_id("coursegen-lms").text)
    (quiz,) = [q for q in settings["quizzes"] if q["module"] == "new-types"]
    quiz_questions = list(course.module("new-types").quiz.questions)
    assert [d["id"] for d in quiz["details"]] == [q.id for q in quiz_questions]
    assert [d["points"] for d in quiz["details"]] == [q.points for q in quiz_questions]
