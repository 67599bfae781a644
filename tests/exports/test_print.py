"""Printable documents: the facilitator guide has contents with page numbers, every module and the
answer key; learner handouts have no answers; PDFs read back with pdftotext (poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coursegen.cli import cli
from coursegen.exports import print as printing
from coursegen.exports.text import line
from coursegen.model import LoadedCourse

from .conftest import REPO, missing


def pdftotext(pdf: Path, *pages: int) -> str:
    if shutil.which("pdftotext") is None:
        missing("pdftotext (Debian poppler-utils) is missing")
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    done = subprocess.run(["pdftotext", *span, str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(done.stdout.split())


def answer_texts(loaded: LoadedCourse) -> list[str]:
    """Text that only an answer key shows: explanations and per-choice feedback."""
    return [line(q.explanation) for m in loaded.modules for q in m.questions()] + [
        line(c.feedback) for m in loaded.modules for q in m.questions() for c in q.options()
    ]


@pytest.fixture(scope="module")
def flagship_docs(flagship: LoadedCourse) -> dict[str, printing.Document]:
    return {d.name: d for d in printing.documents(flagship)}


def visible(html: str) -> str:
    import lxml.html

    return " ".join(lxml.html.document_fromstring(html).body.text_content().split())


def test_guide_html_has_everything_a_facilitator_needs(flagship: LoadedCourse, flagship_docs: dict) -> None:
    text = visible(flagship_docs["facilitator-guide"].html)
    for module in flagship.modules:
        assert line(module.title) in text
        assert f"Timing: about {module.duration_minutes} minutes" in text
        for objective in module.objectives:
            assert line(objective) in text
        for lesson in module.lessons:
            assert line(lesson.title) in text
            if lesson.facilitator_notes:
                assert line(lesson.facilitator_notes) in text
            for prompt in lesson.discussion:
                assert line(prompt) in text
    key = text[text.index("Answer key Every knowledge check") :]
    for answer in answer_texts(flagship):
        assert answer in key
    for module in flagship.modules:
        for question in module.questions():
            for choice in question.options():
                label = "Right" if choice.correct else "Wrong"
                assert f"{label}: {line(choice.text)} — {line(choice.feedback)}" in key


def test_handouts_have_lessons_but_no_answers(flagship: LoadedCourse, flagship_docs: dict) -> None:
    for number, module in enumerate(flagship.modules, start=1):
        text = visible(flagship_docs[f"handout-{number:02d}-{module.id}"].html)
        assert line(module.title) in text
        for point in module.key_points:
            assert line(point) in text
        for lesson in module.lessons:
            assert line(lesson.title) in text
            assert line(lesson.facilitator_notes) not in text if lesson.facilitator_notes else True
        leaked = [a for a in answer_texts(flagship) if a in text]
        assert not leaked, f"handout {module.id} shows answers: {leaked[:2]}"
        assert "Answer key" not in text


def test_sign_in_and_evaluation_forms(flagship: LoadedCourse, flagship_docs: dict) -> None:
    sign_in = flagship_docs["sign-in-sheet"].html
    assert sign_in.count("<tr><td>") == printing.SIGN_IN_ROWS
    evaluation = visible(flagship_docs["evaluation-form"].html)
    assert all(line(m.title) in evaluation for m in flagship.modules)
    assert "Do not write about any case or person" in evaluation


@pytest.fixture(scope="module")
def guide_pdf(flagship_docs: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("weasyprint")
    pdf = tmp_path_factory.mktemp("pdf") / "guide.pdf"
    pdf.write_bytes(printing.pdf_bytes(flagship_docs["facilitator-guide"], "weasyprint"))
    return pdf


def test_guide_pdf_contents_point_at_the_right_pages(flagship: LoadedCourse, guide_pdf: Path) -> None:
    first = pdftotext(guide_pdf, 1)
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))
    assert pages > 10
    for module in flagship.modules:
        found = re.search(re.escape(line(module.title)) + r"[ .]*? (\d+)(?= )", first)
        assert found, f"{module.title} is not in the contents"
        page = int(found.group(1))
        text = pdftotext(guide_pdf, page)
        assert f"Page {page} of {pages}" in text
        assert text.count(line(module.title)) >= 2, "the running header and the heading name the module"
    key_page = int(re.search(r"Answer key[ .]*? (\d+)", first).group(1))
    key = pdftotext(guide_pdf, key_page, pages)
    assert "Answer key" in key
    assert line(flagship.modules[0].questions()[0].explanation)[:60] in key


def test_handout_pdf_has_no_answer_key(flagship: LoadedCourse, flagship_docs: dict, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    module = flagship.modules[0]
    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(printing.pdf_bytes(flagship_docs[f"handout-01-{module.id}"], "weasyprint"))
    text = pdftotext(pdf)
    assert line(module.title) in text and "Page 1 of" in text
    assert "Answer key" not in text
    assert not [a for a in answer_texts(flagship) if a in text]


def test_chromium_is_the_fallback_without_weasyprint(
    specials: LoadedCourse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if printing.chromium_path() is None:
        missing("Chromium is missing")
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if coursegen[pdf] were not installed
    assert printing.available_engine() == "chromium"
    guide = printing.documents(specials)[0]
    pdf = tmp_path / "guide.pdf"
    pdf.write_bytes(printing.pdf_bytes(guide, "chromium"))
    text = pdftotext(pdf)
    assert "Answer key" in text and "Page 1 of" in text
    assert all(line(m.title) in text for m in specials.modules)


def test_command_writes_html_only_by_default(tmp_path: Path) -> None:
    out = tmp_path / "print"
    result = CliRunner().invoke(cli, ["export", "print", "-f", str(REPO / "mkdocs.yml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names[0] == "evaluation-form.html" and "facilitator-guide.html" in names and "sign-in-sheet.html" in names
    assert not [n for n in names if n.endswith(".pdf") or n.startswith(".")]
    again = tmp_path / "again"
    CliRunner().invoke(cli, ["export", "print", "-f", str(REPO / "mkdocs.yml"), "-o", str(again)])
    assert all((out / n).read_bytes() == (again / n).read_bytes() for n in names)


def test_command_writes_pdfs_with_pdf(course: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    monkeypatch.chdir(course)
    result = CliRunner().invoke(cli, ["export", "print", "--pdf", "-o", str(tmp_path / "paper")])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote HTML and PDF documents to {tmp_path / 'paper'}\n"
    pdfs = sorted(p.name for p in (tmp_path / "paper").glob("*.pdf"))
    assert pdfs == ["evaluation-form.pdf", "facilitator-guide.pdf", "handout-01-welcome.pdf", "sign-in-sheet.pdf"]
    assert "sign-in sheet" in pdftotext(tmp_path / "paper" / "sign-in-sheet.pdf")
