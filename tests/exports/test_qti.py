"""QTI: the 1.2 package has the structure text2qti (PyPI, an independent QTI 1.2 writer that Canvas
users rely on) gives the same questions; both versions are well-formed, match the subset schemas
we wrote for them, keep every text and feedback, and are byte-for-byte deterministic."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from coursegen.exports.omissions import CHOICE_TYPES, exported
from coursegen.exports.qti import NS_QTI21, export_qti
from coursegen.exports.text import line
from coursegen.model import LoadedCourse, Module, Question

SCHEMAS = Path(__file__).with_name("schemas")
QTI12 = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
Q21 = f"{{{NS_QTI21}}}"
TEXT2QTI = Path(sys.executable).with_name("text2qti")
STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def visible(html_text: str | None) -> str:
    """The text a learner sees of an HTML fragment."""
    if not html_text or not html_text.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(html_text, create_parent="div").text_content().split())


def shape(item: etree._Element) -> list[str]:
    """An item's structure: element paths and the attributes that carry meaning, without ids or text."""
    paths = []
    for element in item.iter(etree.Element):
        path = "/".join(etree.QName(e).localname for e in [*reversed(list(element.iterancestors())), element])
        path = path[path.index("item") :]
        keep = {k: v for k, v in element.attrib.items() if k in ("rcardinality", "continue", "varname", "texttype")}
        paths.append(f"{path}{sorted(keep.items()) if keep else ''}")
    return paths


def text2qti_source(module: Module) -> str:
    """The module's questions in text2qti's plain-text format."""
    out = [f"Quiz title: {module.id}", ""]
    for number, question in enumerate(choice_questions(module), start=1):
        out.append(f"{number}.  {line(question.prompt)}")
        out.append(f"... {line(question.explanation)}")
        for index, choice in enumerate(question.options()):
            if question.type == "multiple":
                out.append(f"[{'*' if choice.correct else ' '}] {line(choice.text)}")
            else:
                out.append(f"{'*' if choice.correct else ''}{chr(97 + index)}) {line(choice.text)}")
            out.append(f"... {line(choice.feedback)}")
        out.append("")
    return "\n".join(out)


def choice_questions(module: Module) -> list[Question]:
    """The module's choice questions (the types text2qti writes; the others: test_new_types.py)."""
    return [q for q in module.questions() if q.type in CHOICE_TYPES]


def run_text2qti(module: Module, tmp_path: Path) -> etree._Element:
    source = tmp_path / f"{module.id}.md"
    source.write_text(text2qti_source(module), encoding="utf-8")
    done = subprocess.run([str(TEXT2QTI), source.name], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    files = unzip((tmp_path / f"{module.id}.zip").read_bytes())
    (assessment,) = [v for k, v in files.items() if k.endswith(".xml") and "/" in k and "meta" not in k]
    return etree.fromstring(assessment)


@pytest.fixture(scope="module")
def package12(flagship: LoadedCourse) -> dict[str, bytes]:
    return unzip(export_qti(flagship, "1.2"))


def our_assessment(files: dict[str, bytes], loaded: LoadedCourse, module: Module) -> etree._Element:
    aid = f"cg_{loaded.course.id}_{module.id}"
    return etree.fromstring(files[f"{aid}/{aid}.xml"])


def test_qti12_has_text2qti_structure(flagship: LoadedCourse, package12: dict[str, bytes], tmp_path: Path) -> None:
    for module in flagship.modules:
        assert_like_text2qti(flagship, module, package12, tmp_path)


def assert_like_text2qti(flagship: LoadedCourse, module: Module, package12: dict[str, bytes], tmp_path: Path) -> None:
    questions = choice_questions(module)
    if not questions:
        return
    theirs = run_text2qti(module, tmp_path).findall(f".//{QTI12}item")
    wanted = {q.id for q in questions}
    ours = [
        i for i in our_assessment(package12, flagship, module).findall(f".//{QTI12}item") if i.get("title") in wanted
    ]
    assert len(ours) == len(theirs) == len(questions)
    for question, mine, other in zip(questions, ours, theirs, strict=True):
        # text2qti also writes a Canvas question-bank reference; everything else has the same shape.
        other_shape = [p for p in shape(other) if p != "item/itemmetadata/qtimetadata/qtimetadatafield"]
        other_shape = [p for p in other_shape if "qtimetadatafield/field" not in p]
        mine_shape = [p for p in shape(mine) if "qtimetadatafield" not in p]
        assert mine_shape == other_shape, question.id
        kinds = [f.findtext(f"{QTI12}fieldentry") for f in mine.iter(f"{QTI12}qtimetadatafield")]
        their_kinds = [f.findtext(f"{QTI12}fieldentry") for f in other.iter(f"{QTI12}qtimetadatafield")]
        assert kinds[0] == their_kinds[0]  # question_type
        # text2qti reads Markdown: it curls straight quotes and turns "--" into an en dash (even inside
        # a URL); the words are the same.
        texts = [visible(m.text).replace("--", "\u2013") for m in mine.iter(f"{QTI12}mattext")]
        assert texts == [visible(m.text).translate(STRAIGHT) for m in other.iter(f"{QTI12}mattext")]


def assert_qti12_keeps_the_course(loaded: LoadedCourse, files: dict[str, bytes]) -> None:
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "qti12-subset.xsd")))
    manifest = etree.fromstring(files["imsmanifest.xml"])
    hrefs = [f.get("href") for f in manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}file")]
    assert sorted(hrefs) == sorted(n for n in files if n != "imsmanifest.xml")
    for module in loaded.modules:
        if not exported(module, "QTI 1.2"):
            continue
        root = our_assessment(files, loaded, module)
        assert schema.validate(root), schema.error_log
        for question, item in zip(exported(module, "QTI 1.2"), root.iter(f"{QTI12}item"), strict=True):
            assert item.get("title") == question.id
            if question.type not in CHOICE_TYPES:
                continue  # matching and short answer: tests/exports/test_new_types.py
            feedback = {
                f.get("ident"): visible(f.findtext(f".//{QTI12}mattext")) for f in item.iter(f"{QTI12}itemfeedback")
            }
            assert feedback.pop("general_fb") == line(question.explanation)
            assert list(feedback.values()) == [line(c.feedback) for c in question.options()]
            labels = item.findall(f".//{QTI12}response_label")
            assert [visible(lab.findtext(f".//{QTI12}mattext")) for lab in labels] == [
                line(c.text) for c in question.options()
            ]
            scored = item.findall(f".//{QTI12}respcondition[@continue='No']//{QTI12}varequal")
            negated = {v.text for v in item.findall(f".//{QTI12}not/{QTI12}varequal")}
            right = [lab.get("ident") for lab, c in zip(labels, question.options(), strict=True) if c.correct]
            assert [v.text for v in scored if v.text not in negated] == right
            assert visible(item.findtext(f"{QTI12}presentation/{QTI12}material/{QTI12}mattext")) == line(
                question.prompt
            )


@pytest.mark.parametrize("name", ["flagship", "specials"])
def test_qti12_valid_and_complete(name: str, request: pytest.FixtureRequest) -> None:
    loaded: LoadedCourse = request.getfixturevalue(name)
    assert_qti12_keeps_the_course(loaded, unzip(export_qti(loaded, "1.2")))


def assert_item21(question: Question, root: etree._Element) -> None:
    assert root.get("title") == question.id
    choices = question.options()
    simple = root.findall(f".//{Q21}simpleChoice")
    assert [visible(s.text) for s in simple] == [line(c.text) for c in choices]
    assert [visible(s.findtext(f"{Q21}feedbackInline")) for s in simple] == [line(c.feedback) for c in choices]
    assert visible(root.findtext(f".//{Q21}prompt")) == line(question.prompt)
    assert visible(root.findtext(f"{Q21}modalFeedback")) == line(question.explanation)
    correct = [v.text for v in root.iter(f"{Q21}value") if v.getparent().tag == f"{Q21}correctResponse"]
    assert correct == [s.get("identifier") for s, c in zip(simple, choices, strict=True) if c.correct]
    values = [float(e.get("mappedValue")) for e in root.iter(f"{Q21}mapEntry")]
    # every right choice: full marks, the question's points
    assert sum(v for v in values if v > 0) == pytest.approx(question.points, abs=1e-6)


@pytest.mark.parametrize("name", ["flagship", "specials"])
def test_qti21_valid_and_complete(name: str, request: pytest.FixtureRequest) -> None:
    assert_qti21_keeps_the_course(request.getfixturevalue(name))


def assert_qti21_keeps_the_course(loaded: LoadedCourse) -> None:
    files = unzip(export_qti(loaded, "2.1"))
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "qti21-subset.xsd")))
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = list(manifest.iter("{http://www.imsglobal.org/xsd/imscp_v1p1}resource"))
    assert {r.get("type") for r in resources} == {"imsqti_item_xmlv2p1"}
    questions = [(m, q) for m in loaded.modules for q in exported(m, "QTI 2.1")]
    assert len(resources) == len(questions) == len(files) - 1
    for (module, question), resource in zip(questions, resources, strict=True):
        assert resource.get("href") == f"{module.id}/{question.id}.xml"
        root = etree.fromstring(files[resource.get("href")])
        assert schema.validate(root), schema.error_log
        if question.type in CHOICE_TYPES:  # the others: tests/exports/test_new_types.py
            assert_item21(question, root)


@pytest.mark.parametrize("version", ["1.2", "2.1"])
def test_deterministic(flagship: LoadedCourse, version: str) -> None:
    first = export_qti(flagship, version)  # type: ignore[arg-type]
    assert first == export_qti(flagship, version)  # type: ignore[arg-type]
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist()[0] == "imsmanifest.xml"
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_subset_schemas_refuse_what_an_lms_would_not_read(flagship: LoadedCourse) -> None:
    files = unzip(export_qti(flagship, "1.2"))
    root = our_assessment(files, flagship, flagship.modules[0])
    for feedback in root.iter(f"{QTI12}itemfeedback"):
        feedback.getparent().remove(feedback)
        break
    root.find(f".//{QTI12}response_lid").set("rcardinality", "Ordered")
    assert not etree.XMLSchema(etree.parse(str(SCHEMAS / "qti12-subset.xsd"))).validate(root)
    item = etree.fromstring(
        next(v for k, v in unzip(export_qti(flagship, "2.1")).items() if k.endswith(".xml") and "/" in k)
    )
    item.find(f".//{Q21}mapping").clear()
    assert not etree.XMLSchema(etree.parse(str(SCHEMAS / "qti21-subset.xsd"))).validate(item)
