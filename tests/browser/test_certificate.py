"""Certificate of completion: offered only when every module quiz of the chosen path is passed,
filled from the results quiz.js saved, the learner's name shown as text, one page when printed,
and it works from file:// too."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from conftest import missing_tool
from coursegen.render import course_edition, storage_key

from .support import Site, answer_all, norm, quiz_form, status, submit
from .test_a11y import BLOCKING, run_axe

pytestmark = pytest.mark.browser

HOSTILE_NAME = 'Ana <img src=x onerror="window.__xss=1"> O\'Neil'


def cert_status(page: Page):
    return page.get_by_role("main").get_by_role("status")


def module_item(page: Page, title: str):
    return page.get_by_role("list", name="Modules of this path").get_by_role("listitem").filter(has_text=norm(title))


def path_select(page: Page):
    return page.get_by_role("combobox", name="Learning path")


def certificate(page: Page):
    return page.get_by_role("region", name="Certificate")


def pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo") is None:
        missing_tool("pdfinfo (Debian poppler-utils) is missing")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_certificate_after_passing_every_quiz_of_a_path(
    node_tools: None, page: Page, starter: Site, tmp_path: Path
) -> None:
    welcome = starter.course.module("welcome")
    second = starter.course.module("second-steps")
    page.goto(starter.at("/certificate/"))
    expect(page.get_by_role("heading", name="Certificate of completion", level=1)).to_be_visible()
    expect(page.get_by_text("A self-check record, not a verified credential")).to_be_visible()
    expect(cert_status(page)).to_have_text(
        "You have passed 0 of 2 module quizzes of this path. Pass them all to get a certificate."
    )
    expect(page.get_by_role("textbox", name="Your name, as it should appear on the certificate")).to_be_hidden()

    # Pass the welcome quiz in the module page, as a learner does.
    page.goto(starter.module_url(welcome))
    form = quiz_form(page, welcome)
    answer_all(form, welcome.quiz.questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")

    page.goto(starter.at("/certificate/"))
    expect(cert_status(page)).to_contain_text("You have passed 1 of 2 module quizzes of this path.")
    expect(module_item(page, second.title)).to_contain_text("Not passed yet")
    # The "everyone" path holds both modules: one passed quiz is not enough for it either.
    path_select(page).select_option(label="Everyone")
    expect(cert_status(page)).to_contain_text("You have passed 1 of 2 module quizzes of this path.")

    page.goto(starter.module_url(second))
    form = quiz_form(page, second)
    answer_all(form, second.quiz.questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")
    page.goto(starter.at("/certificate/"))
    path_select(page).select_option(label="Everyone")
    expect(cert_status(page)).to_have_text(
        "You have passed every module quiz of this path. Type your name to make your certificate."
    )
    name = page.get_by_role("textbox", name="Your name, as it should appear on the certificate")
    name.fill(HOSTILE_NAME)
    page.get_by_role("button", name="Show my certificate").click()
    card = certificate(page)
    expect(card).to_be_visible()
    expect(card).to_contain_text(HOSTILE_NAME)  # shown as the characters typed, never as markup
    assert card.locator("img").count() == 0 and page.evaluate("window.__xss") is None
    expect(card).to_contain_text(norm(starter.course.course.title))
    expect(card).to_contain_text("Learning path: Everyone")
    expect(card.get_by_role("row")).to_have_count(3)
    expect(card.get_by_role("row").nth(1).get_by_role("cell")).to_have_text([f"1. {norm(welcome.title)}", "100%"])
    expect(card).to_contain_text(f"Course edition: {course_edition(starter.course)}")
    expect(card).to_contain_text("It is not a verified credential")
    expect(card).to_contain_text(f"Date: {date.today():%B} ")

    blocking = [v["id"] for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"axe on the filled-in certificate page: {blocking}"

    # Printed: one clean page with the certificate and nothing of the site around it.
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Navigation", exact=True)).to_be_hidden()
    expect(page.get_by_role("heading", name="Certificate of completion", level=1)).to_be_hidden()
    expect(card.get_by_role("button", name="Print the certificate")).to_be_hidden()
    pdf = tmp_path / "certificate.pdf"
    page.pdf(path=str(pdf), format="Letter")
    assert pdf_pages(pdf) == 1


def test_certificate_from_file_url_and_for_the_whole_course(page: Page, starter: Site) -> None:
    page.goto((starter.root / "certificate" / "index.html").as_uri())
    for number, module in enumerate(starter.course.modules, start=1):
        record = {"v": 1, "best": 80 + number, "last": 80, "passed": True, "attempts": 2, "answers": {}}
        page.evaluate(
            "([k, v]) => localStorage.setItem(k, v)", [storage_key(starter.course, module), json.dumps(record)]
        )
    page.reload()
    expect(cert_status(page)).to_contain_text("You have passed every module quiz of this path.")
    page.get_by_role("textbox", name="Your name, as it should appear on the certificate").fill("Sam")
    page.get_by_role("button", name="Show my certificate").click()
    card = certificate(page)
    expect(card).to_contain_text("Learning path: The whole course")
    expect(card.get_by_role("row")).to_have_count(1 + len(starter.course.modules))
    expect(card.get_by_role("row").nth(2).get_by_role("cell")).to_have_text(
        [f"2. {norm(starter.course.modules[1].title)}", "82%"]
    )


def test_failed_or_foreign_records_do_not_count(page: Page, starter: Site) -> None:
    welcome = starter.course.module("welcome")
    page.goto(starter.at("/certificate/"))
    key = storage_key(starter.course, welcome)
    for value in ('{"v": 1, "best": 40, "passed": false}', '{"v": 2, "best": 100, "passed": true}', "not json"):
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, value])
        page.reload()
        path_select(page).select_option(label="Everyone")
        expect(cert_status(page)).to_contain_text("You have passed 0 of 2 module quizzes of this path.")
        expect(page.get_by_role("button", name="Show my certificate")).to_be_hidden()
