"""Retake the README's screenshot (media/quiz-feedback.png) from a fresh build of the flagship:
the foundations quiz checked with question 2 answered wrongly, as a learner sees it at 1280 px.

Run: .venv/bin/python scripts/readme_screenshot.py   (needs /usr/bin/chromium; not part of the tests)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser.support import (  # noqa: E402
    LAUNCH_ARGS,
    SiteServer,
    answer_all,
    choose,
    question_group,
    quiz_form,
    wrong_texts,
)
from coursegen.loader import load_course  # noqa: E402

TARGET = REPO / "media" / "quiz-feedback.png"


def main() -> None:
    """Build, serve on 127.0.0.1, answer, check and take the picture."""
    course = load_course(REPO / "modules", REPO)
    module = course.module("foundations")
    assert module.quiz is not None
    questions = list(module.quiz.questions)
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        coursegen = REPO / ".venv" / "bin" / "coursegen"
        subprocess.run([str(coursegen), "build", "--strict", "--site-dir", str(site)], cwd=REPO, check=True)
        server = SiteServer().start(site)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 1030}, reduced_motion="reduce")
                page.goto(f"{server.url}/modules/{module.id}/")
                form = quiz_form(page, module)
                answer_all(form, questions[:1])
                choose(form, 2, questions[1], wrong_texts(questions[1])[:1])
                answer_all(form, questions[2:], start=3)
                form.get_by_role("button", name="Check my answers").click()
                group = question_group(form, 2, questions[1])
                group.evaluate("element => element.scrollIntoView({block: 'start'})")
                page.evaluate("window.scrollBy(0, -70)")
                page.wait_for_timeout(300)
                page.screenshot(path=str(TARGET))
                browser.close()
        finally:
            server.stop()
    print(f"wrote {TARGET.relative_to(REPO)}")


if __name__ == "__main__":
    main()
