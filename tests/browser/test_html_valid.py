"""The Nu HTML checker (vnu-jar from npm, run on the machine's Java) finds no errors in the pages
coursegen builds, nor in the pages as the scripts leave them after a quiz is checked."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .support import REPO, VNU_JAR, Site, check_with_one_wrong, progress_summary, quiz_form

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Allowed:
    """An error that stock Material emits and coursegen does not control."""

    name: str
    why: str
    message: re.Pattern[str]
    extract: str

    def covers(self, error: dict) -> bool:
        return bool(self.message.search(error.get("message", ""))) and self.extract in error.get("extract", "")


ALLOWED = [
    Allowed(
        name="autocomplete on Material's toggles",
        why=(
            'Material\'s base.html puts autocomplete="off" on its hidden drawer and search checkboxes '
            '(<input class="md-toggle" type="checkbox">) so browsers do not restore them open; HTML '
            "allows autocomplete only on text-like inputs. It is in base.html, not in a partial, and "
            "overriding the whole base template to drop one attribute would cost more than it fixes."
        ),
        message=re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
        extract='class="md-toggle"',
    ),
]


def vnu(java: str, *targets: Path, css: bool = False) -> list[dict]:
    """Every error and checker failure vnu reports for ``targets``."""
    args = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
    args += ["--css"] if css else ["--skip-non-html"]
    result = subprocess.run([*args, *map(str, targets)], capture_output=True, text=True, timeout=300, check=False)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(
            f"vnu gave no report (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
        ) from None
    return [m for m in messages if m.get("type") in ("error", "non-document-error", "fatal")]


def describe(errors: list[dict], root: Path) -> str:
    lines = []
    for e in errors[:40]:
        where = e.get("url", "").replace(f"file:{root}", "")
        extract = " ".join(e.get("extract", "").split())
        lines.append(f"- {where}:{e.get('lastLine', '?')}: {e.get('message')}\n    {extract[:200]}")
    return "\n".join(lines) + (f"\n… and {len(errors) - 40} more" if len(errors) > 40 else "")


def unexpected(errors: list[dict]) -> list[dict]:
    return [e for e in errors if not any(allowed.covers(e) for allowed in ALLOWED)]


CANARY = '<!DOCTYPE html><html lang="en"><head><title>canary</title></head><body><p id="a" id="b">x</p></body></html>'


def test_built_pages_are_valid_html(java: str, node_tools: None, any_site: Site, tmp_path: Path) -> None:
    # A page with a known error goes along, to show that the checker really reads the files.
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    errors = vnu(java, any_site.root, canary)
    assert any(e.get("url", "").endswith("/canary.html") for e in errors), f"vnu missed the canary's error: {errors}"
    bad = unexpected([e for e in errors if not e.get("url", "").endswith("/canary.html")])
    assert not bad, f"{len(bad)} HTML errors in the {any_site.name} site:\n{describe(bad, any_site.root)}"


def test_pages_after_scripts_are_valid_html(java: str, node_tools: None, page, any_site: Site, tmp_path: Path) -> None:
    """The markup quiz.js changes (feedback, verdicts, results, progress) is valid too."""
    module = any_site.quizzed_modules()[0]
    page.goto(any_site.module_url(module))
    form = quiz_form(page, module)
    check_with_one_wrong(form, module)
    snapshots = {"module-checked.html": page.content()}
    page.goto(any_site.at("/progress/"))
    expect(progress_summary(page)).to_contain_text("You have passed")
    snapshots["progress.html"] = page.content()
    for name, html in snapshots.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    bad = unexpected(vnu(java, tmp_path))
    assert not bad, f"HTML errors after the scripts ran:\n{describe(bad, tmp_path)}"


def test_quiz_css_is_valid(java: str, node_tools: None) -> None:
    css = REPO / "src" / "coursegen" / "assets" / "quiz.css"
    errors = vnu(java, css, css=True)
    assert not errors, f"CSS errors in quiz.css:\n{describe(errors, css.parent)}"
