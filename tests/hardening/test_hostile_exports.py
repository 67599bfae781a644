"""The hardening suite's hostile text through every export: each escapes for its own format (GIFT
specials, XML and CDATA edges, HTML and PDF text), an independent reader gets every value back as
written, and nothing in the printable documents can run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from coursegen.exports import print as printing
from coursegen.exports.gift import export_gift
from coursegen.exports.qti import export_qti
from coursegen.loader import load_course
from coursegen.model import LoadedCourse
from exports.test_gift import assert_bank_matches, parse
from exports.test_moodle_xml import assert_round_trip
from exports.test_qti import assert_qti12_keeps_the_course, assert_qti21_keeps_the_course, unzip

from .hostile import PAYLOADS, XSS_FLAG, expected, given_values
from .support import parse_page


@pytest.fixture(scope="module")
def hostile(hostile_root: Path) -> LoadedCourse:
    return load_course(hostile_root / "modules", hostile_root)


def test_gift_reads_back_every_hostile_value(hostile: LoadedCourse) -> None:
    text = export_gift(hostile)
    assert_bank_matches(hostile, parse(text))
    # One question per block: no payload's blank lines or braces split or end a question early.
    assert text.count("\n\n::") == sum(len(m.questions()) for m in hostile.modules)


def test_moodle_xml_is_valid_and_round_trips(hostile: LoadedCourse) -> None:
    assert_round_trip(hostile)


def test_qti_packages_are_valid_and_keep_every_value(hostile: LoadedCourse) -> None:
    assert_qti12_keeps_the_course(hostile, unzip(export_qti(hostile, "1.2")))
    assert_qti21_keeps_the_course(hostile)


@pytest.fixture(scope="module")
def documents(hostile: LoadedCourse) -> list[printing.Document]:
    return printing.documents(hostile)


def test_print_documents_are_inert(documents: list[printing.Document]) -> None:
    for document in documents:
        parsed = parse_page(document.html)
        assert not parsed.problems, (document.name, parsed.problems)
        assert not parsed.handlers, (document.name, parsed.handlers)
        assert not parsed.unsafe_links, (document.name, parsed.unsafe_links)
        assert not parsed.scripts, (document.name, parsed.scripts)
        for tag in ("<img src=x", '<img src="x"', "<svg onload", "<iframe", "<style>body", "<b>b</b>"):
            assert tag not in document.html, (document.name, tag)


def test_print_documents_show_every_value_as_written(hostile_root: Path, documents: list) -> None:
    text = "\n".join(parse_page(d.html).text for d in documents)
    module_values = given_values(hostile_root, "module")
    missing = [v for v in module_values if expected(v) not in text]
    assert not missing, missing[:3]
    course = hostile_root / "modules" / "course.yml"
    assert course.is_file()
    guide = parse_page(documents[0].html).text
    for value in given_values(hostile_root, "course")[:3]:  # title, description, content note
        assert expected(value) in guide, value


def test_hostile_guide_in_chromium_runs_nothing(chromium: object, documents: list, tmp_path: Path) -> None:
    for document in documents[:2]:
        path = tmp_path / f"{document.name}.html"
        path.write_text(document.html, encoding="utf-8")
        page = chromium.new_page()  # type: ignore[attr-defined]
        try:
            page.goto(path.as_uri())
            assert page.evaluate(f"window.{XSS_FLAG}") is None
            assert page.locator("script, iframe, svg, img").count() == 0
        finally:
            page.close()


def test_hostile_guide_pdf_holds_the_text(documents: list, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is missing; scripts/test installs it")
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(printing.pdf_bytes(documents[0], "weasyprint"))
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    for payload in PAYLOADS[:3]:
        assert expected(payload) in text, payload
    assert "Answer key" in text and "Page 1 of" in text
