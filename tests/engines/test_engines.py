"""The flagship course built by engines other than MkDocs 1.6 + the coursegen plugin, each followed
by a browser smoke test: a module quiz answered with feedback on every question, and no request to
any host but 127.0.0.1.

- ProperDocs 1.6.7 (MkDocs 1.x continued) builds the project as it is, coursegen plugin included
  (it reads the ``mkdocs.plugins`` entry points and aliases ``mkdocs.*`` imports).
- Zensical 0.0.70 (no plugin API) builds what ``coursegen render --out`` writes.

MkDocs 1.6.1 + Material 9.8 (the default build) has the same smoke test in
tests/browser/test_network.py (``test_no_request_leaves_localhost[flagship]``).

Each engine lives in its own venv under .venv-engines/ (``bash scripts/engines``; reused while
its pins and pyproject.toml are unchanged). ``scripts/test`` starts that install in the background,
and these tests run last (tests/conftest.py) and wait for it. Without the engines the tests skip
locally and fail under CI.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browser.support import (
    LOCAL_HOST,
    REPO,
    Site,
    SiteServer,
    answer_all,
    coursegen,
    question_group,
    quiz_form,
    status,
    submit,
)
from conftest import missing_tool
from coursegen.loader import load_course

pytestmark = pytest.mark.browser

ENGINES = REPO / ".venv-engines"
STAYS_IN_BROWSER = ("data", "blob", "about")


@pytest.fixture(scope="session")
def engines() -> Path:
    """The engines' venvs, (re)installed by scripts/engines when missing or out of date (a
    no-op otherwise; it waits for the install scripts/test started in the background). A failed
    install skips locally and fails under CI, with pip's output."""
    result = subprocess.run(["bash", str(REPO / "scripts" / "engines")], capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        missing_tool(f"the engines could not be installed into {ENGINES}: {(result.stderr + result.stdout)[-2000:]}")
    return ENGINES


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run an engine; fail with its output when it fails."""
    result = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=600
    )
    assert result.returncode == 0, f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr}{result.stdout}"
    return result


def served(name: str, root: Path) -> Iterator[Site]:
    server = SiteServer().start(root)
    yield Site(name, root, server, load_course(REPO / "modules", REPO), REPO)
    server.stop()


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory, engines: Path) -> Iterator[Site]:
    """The flagship built by ProperDocs from this repository's mkdocs.yml, plugin and all."""
    root = tmp_path_factory.mktemp("properdocs") / "site"
    run(
        [str(engines / "properdocs" / "bin" / "properdocs"), "build", "--strict", "-f", "mkdocs.yml", "-d", str(root)],
        REPO,
    )
    yield from served("properdocs", root)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory, engines: Path) -> Iterator[Site]:
    """The flagship rendered by ``coursegen render --out`` and built there by Zensical."""
    out = tmp_path_factory.mktemp("zensical") / "rendered"
    coursegen("render", "--out", str(out), cwd=REPO)
    run([str(engines / "zensical" / "bin" / "zensical"), "build", "--clean"], out)
    yield from served("zensical", out / "site")


def smoke(open_tab, site: Site) -> None:  # noqa: ANN001 - the browser suite's fixture
    """Home page, then a module quiz answered rightly: every question says "Correct." and the quiz
    says it passed; nothing went to another host and no script failed (scenario.js included)."""
    tab = open_tab()
    page = tab.page
    page.goto(site.at("/"), wait_until="networkidle")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The quiz with the most kinds of question (scenario and ordering included): every script runs.
    module = max(site.quizzed_modules(), key=lambda m: len({q.type for q in m.quiz.questions}))  # type: ignore[union-attr]
    page.goto(site.module_url(module), wait_until="networkidle")
    # path.js found the module in the course map (the lesson list says what is read).
    expect(page.locator("[data-cg-lessons-summary]")).to_have_text(f"0 of {len(module.lessons)} lessons read")
    form = quiz_form(page, module)
    assert module.quiz is not None
    answer_all(form, module.quiz.questions)
    submit(form)
    expect(status(form)).to_contain_text("You passed this quiz.")
    for number, question in enumerate(module.quiz.questions, start=1):
        expect(question_group(form, number, question).get_by_text("Correct.", exact=True)).to_be_visible()
    page.wait_for_load_state("networkidle")
    others = sorted(
        {
            url
            for url in tab.requests + tab.blocked
            if urlsplit(url).scheme not in STAYS_IN_BROWSER and urlsplit(url).hostname != LOCAL_HOST
        }
    )
    assert not others, "requests to other hosts:\n" + "\n".join(others)
    for script in ("i18n-en.js", "i18n.js", "quiz.js", "scenario.js", "course-map-en.js", "path.js"):
        assert any(url.endswith(f"/assets/coursegen/{script}") for url in tab.requests), (script, tab.requests)
    assert not tab.errors, "script errors:\n" + "\n".join(tab.errors)


def test_properdocs_builds_the_project_with_the_plugin(open_tab, properdocs_site: Site) -> None:
    home = (properdocs_site.root / "index.html").read_text(encoding="utf-8")
    assert 'content="mkdocs-ProperDocs 1.6.7,' in home, "built by another engine than ProperDocs 1.6.7"
    assert 'http-equiv="Content-Security-Policy"' in home, "the theme overrides (CSP meta) are missing"
    smoke(open_tab, properdocs_site)


def test_zensical_builds_the_rendered_course(open_tab, zensical_site: Site) -> None:
    module = zensical_site.quizzed_modules()[0]
    page_html = (zensical_site.root / "modules" / module.id / "index.html").read_text(encoding="utf-8")
    assert "zensical" in page_html.lower(), "not built by Zensical"
    # The generated blocks came through coursegen.mdext with the render's key: kept as generated.
    assert "data-coursegen-block" not in page_html, "a quiz block was left as a placeholder"
    smoke(open_tab, zensical_site)


def test_zensical_header_has_its_own_search_box(open_tab, zensical_site: Site) -> None:
    """Material's search markup (our override) left Zensical's header with a bare, unstyled form."""
    tab = open_tab()
    tab.page.goto(zensical_site.at("/"), wait_until="networkidle")
    search = tab.page.get_by_role("banner").get_by_role("button", name=re.compile(r"^Search"))
    expect(search).to_be_visible()
    expect(tab.page.get_by_role("banner").get_by_role("textbox")).to_have_count(0)
    assert not tab.errors, "script errors (a blocked style is one):\n" + "\n".join(tab.errors)
