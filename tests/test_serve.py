"""`coursegen serve` for real: a subprocess on a free port, edits on disk, pages over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MINIMAL_MODULE, write_module
from coursegen.cli import cli
from coursegen.pagecache import PAGE_CACHE_FOLDER
from coursegen.render import Renderer

PROGRAM = Path(sys.executable).parent / "coursegen"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> str:
    """The page at ``url``. A generous timeout: a page that does not come is the bug tested here."""
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - a local test server
        return response.read().decode("utf-8")


def _wait_for(url: str, wanted: Callable[[str], bool], what: str, deadline: float = 60) -> str:
    """Fetch ``url`` until its page is what is wanted (the server rebuilds in the background)."""
    end = time.monotonic() + deadline
    last = ""
    while time.monotonic() < end:
        try:
            last = _get(url)
        except urllib.error.HTTPError as exc:
            last = exc.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError):
            last = ""  # not listening yet
        if wanted(last):
            return last
        time.sleep(0.2)  # a rebuild takes a second or two; ask again shortly
    raise AssertionError(f"{url} never showed {what}; last page: {last[:300]!r}")


def _nav_label(page: str, target: str) -> str:
    """The text of the main navigation's link to ``target`` (a URL ending)."""
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    for nav in tree.iter("nav"):
        if "md-nav--primary" in (nav.get("class") or "").split():
            for link in nav.iter("a"):
                if (link.get("href") or "").endswith(target):
                    return " ".join("".join(link.itertext()).split())
    return ""


@pytest.fixture
def served(course: Path) -> Iterator[str]:
    """`coursegen serve` on a free port in the `course` folder; yields the site's URL."""
    with _serving(course) as url:
        yield url


@contextmanager
def _serving(course: Path) -> Iterator[str]:
    if not PROGRAM.is_file():
        pytest.skip("coursegen is not installed next to this python")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    process = subprocess.Popen(
        [str(PROGRAM), "serve", "-a", f"127.0.0.1:{port}"],
        cwd=course,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
        assert "Traceback" not in stderr, stderr


def test_a_broken_edit_shows_its_problems_in_the_page_and_a_fix_recovers(course: Path, served: str) -> None:
    page = f"{served}/modules/welcome/"
    _wait_for(page, lambda html: "<title>1. Welcome" in html, "the module")
    module = course / "modules" / "welcome.yml"
    good = module.read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(good.splitlines(), 1) if "pass_mark: 80" in text)
    module.write_text(good.replace("pass_mark: 80", "pass_mark: 0.8"), encoding="utf-8")
    broken = _wait_for(page, lambda html: "The course has problems" in html, "the problems")
    assert f"modules/welcome.yml:{line}:14" in broken
    assert "write 80, not 0.8" in broken
    home = _get(f"{served}/")  # every page of the course shows them, the home page too
    assert "The course has problems" in home
    module.write_text(good, encoding="utf-8")
    _wait_for(page, lambda html: "<title>1. Welcome" in html, "the module again")


def test_each_save_shows_in_every_page_it_changes(course: Path, served: str) -> None:
    """Rebuilds redo only the pages a save changed, yet nothing a learner sees goes stale: a lesson
    edit shows on its page (whose navigation still names every page), a new title in every page's
    navigation, an edited hand-written page as it now reads."""
    page, about = f"{served}/modules/welcome/", f"{served}/about/"
    _wait_for(page, lambda html: "<title>1. Welcome" in html, "the module")
    module = course / "modules" / "welcome.yml"
    module.write_text(module.read_text().replace("Each module has", "Each module now has"), encoding="utf-8")
    rebuilt = _wait_for(page, lambda html: "Each module now has" in html, "the edited lesson")
    assert _nav_label(rebuilt, "about/") == "About"  # a page this rebuild did not redo, by its title
    module.write_text(module.read_text().replace("title: Welcome\n", "title: Welcome aboard\n"), encoding="utf-8")
    _wait_for(about, lambda html: "1. Welcome aboard" in html, "the new title in another page's navigation")
    (course / "docs" / "about.md").write_text("# About us\n\nNew words.\n", encoding="utf-8")
    _wait_for(about, lambda html: "New words." in html, "the edited hand-written page")
    _wait_for(page, lambda html: _nav_label(html, "about/") == "About us", "its new title in the nav")


def test_serving_keeps_the_pages_a_later_build_reads_back(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` takes most pages from memory: it must not drop the stored pages it did not read,
    or the next build would render every module again."""
    write_module(course, "second", MINIMAL_MODULE.format(mid="second"))
    build(load_config(str(course / "mkdocs.yml"), site_dir=str(tmp_path / "before")))
    stale = course / PAGE_CACHE_FOLDER / "en" / "zz"  # not a hex prefix: never a real entry's folder
    with _serving(course) as served:
        page = f"{served}/modules/welcome/"
        _wait_for(page, lambda html: "<title>1. Welcome" in html, "the module")
        stale.mkdir(parents=True)
        for n in range(120):  # pages of modules since edited: enough that a build would prune
            (stale / f"zz{n:062x}.md.z").write_bytes(b"old")
        module = course / "modules" / "welcome.yml"
        module.write_text(module.read_text().replace("Each module has", "Each module now has"), encoding="utf-8")
        _wait_for(page, lambda html: "Each module now has" in html, "the edited lesson")
    rendered: list[str] = []
    original = Renderer._module_page
    monkeypatch.setattr(
        Renderer,
        "_module_page",
        lambda self, path, inputs: rendered.append(inputs.module.id) or original(self, path, inputs),
    )
    build(load_config(str(course / "mkdocs.yml"), site_dir=str(tmp_path / "after")))
    assert rendered == [], "every module page (the edited one too) is read back from what serve kept"
    assert len(list(stale.glob("*.md.z"))) == 0, "the build prunes the pages nothing uses"


def test_a_busy_port_gets_one_line_and_a_free_address(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "-a", f"127.0.0.1:{port}"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Error: 127.0.0.1:{port} is already in use")
    assert f"serve -a 127.0.0.1:{port + 1}" in line
