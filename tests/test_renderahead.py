"""A build that finds many module pages missing from the page cache renders them first in worker
processes (``coursegen.renderahead``), then reads them back: the same site as rendering each page
as MkDocs reads it. The core count is fixed at two, and forking allowed, so that the workers run on
any machine and beside the threads earlier tests left running."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

import coursegen.renderahead as renderahead
import coursegen.workers as workers
from conftest import MINIMAL_MODULE, write_module
from coursegen import render
from coursegen.pagecache import PAGE_CACHE_FOLDER
from coursegen.render import ModuleInputs, Renderer
from test_build import tree_digest

MODULES = renderahead.RENDER_AHEAD_FROM + 4


@pytest.fixture
def rendered_here(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The module ids whose pages this process rendered (forked workers add to their own copies)."""
    seen: list[str] = []
    parent = os.getpid()
    original = Renderer._module_page

    def counting(self: Renderer, path: str, inputs: ModuleInputs) -> render.Page:
        if os.getpid() == parent:
            seen.append(inputs.module.id)
        return original(self, path, inputs)

    monkeypatch.setattr(Renderer, "_module_page", counting)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    return seen


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers fork though a test before left a thread running (a browser test's server), as
    tests/test_parallel_check.py does: the fork guard itself is tested below."""
    monkeypatch.setattr(workers, "may_fork", lambda: True)


def _many_modules(course: Path, count: int = MODULES) -> list[str]:
    ids = [f"m{i:02d}" for i in range(count)]
    for module_id in ids:
        write_module(course, module_id, MINIMAL_MODULE.format(mid=module_id))
    return sorted([*ids, "welcome"])


def _build(course: Path, site: Path, *, check_cache: bool = True) -> None:
    config = course / "mkdocs.yml"
    if not check_cache:
        text = config.read_text(encoding="utf-8")
        assert "      modules_dir: modules\n" in text, "the scaffold's plugin options moved"
        config = course / "uncached.yml"
        config.write_text(text.replace("modules_dir: modules\n", "modules_dir: modules\n      check_cache: false\n"))
    build(load_config(str(config), strict=True, site_dir=str(site)))


def test_a_first_build_renders_its_module_pages_in_workers_and_writes_the_same_site(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_here: list[str], forking: None
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ids = _many_modules(course)
    _build(course, tmp_path / "ahead")
    assert len(rendered_here) == 1, "the build rendered the first page (compiling the templates), the workers the rest"
    assert multiprocessing.active_children() == [], "the workers stop with the build"
    assert len(list((course / PAGE_CACHE_FOLDER / "en").glob("*/*.md.z"))) == len(ids)

    rendered_here.clear()
    _build(course, tmp_path / "serial", check_cache=False)  # no page cache: each page as MkDocs reads it
    assert sorted(rendered_here) == ids
    assert tree_digest(tmp_path / "ahead") == tree_digest(tmp_path / "serial")


def test_only_the_pages_the_cache_lacks_are_rendered_ahead(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_here: list[str], forking: None
) -> None:
    ids = _many_modules(course)
    _build(course, tmp_path / "first")
    rendered_here.clear()
    handed: list[list[str]] = []
    original = Renderer.unstored_paths

    def spied(self: Renderer) -> list[str]:
        handed.append(original(self))
        return handed[-1]

    monkeypatch.setattr(Renderer, "unstored_paths", spied)
    _build(course, tmp_path / "again")
    assert handed == [[]] and rendered_here == []

    for module_id in ids[: renderahead.RENDER_AHEAD_FROM]:  # enough changed pages for workers
        path = course / "modules" / f"{module_id}.yml"
        path.write_text(path.read_text(encoding="utf-8").replace("title: ", "title: Changed ", 1), encoding="utf-8")
    rendered_here.clear()
    _build(course, tmp_path / "changed")
    assert sorted(handed[-1]) == [f"modules/{i}.md" for i in ids[: renderahead.RENDER_AHEAD_FROM]]
    assert [f"modules/{i}.md" for i in rendered_here] == handed[-1][:1]


def test_a_worker_that_fails_leaves_its_pages_to_the_build(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_here: list[str], forking: None
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ids = _many_modules(course)

    def failing(path: str) -> None:
        raise RuntimeError("a worker's bug")

    monkeypatch.setattr(renderahead, "_render_in_worker", failing)
    _build(course, tmp_path / "fallback")
    assert sorted(rendered_here) == ids, "the build rendered every page itself"
    _build(course, tmp_path / "serial", check_cache=False)
    assert tree_digest(tmp_path / "fallback") == tree_digest(tmp_path / "serial")


@pytest.mark.parametrize("why", ["few pages", "another thread runs"])
def test_no_worker_starts_for_few_pages_or_beside_another_thread(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_here: list[str], why: str
) -> None:
    ids = _many_modules(course, 3 if why == "few pages" else MODULES)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"no pool with {why}")

    monkeypatch.setattr(renderahead, "forked_pool", refused)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    if why == "another thread runs":
        other.start()
    try:
        _build(course, tmp_path / "site")
    finally:
        release.set()
        if other.is_alive():
            other.join()
    assert sorted(rendered_here) == ids


class _RecordingRenderer:
    """Stands in for a Renderer in the workers: each page it renders is a line in ``record``."""

    def __init__(self, record: Path, seconds: float = 0.0) -> None:
        self.record = record
        self.seconds = seconds

    def render(self, path: str) -> None:
        time.sleep(self.seconds)
        with self.record.open("a", encoding="utf-8") as out:  # one short write per line: whole lines
            out.write(path + "\n")


def _rendered(record: Path) -> list[str]:
    return record.read_text(encoding="utf-8").split() if record.exists() else []


def _wait_until(condition: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the workers did not get there"
        time.sleep(0.02)


def test_workers_stay_a_few_chunks_ahead_of_the_page_the_build_reads(tmp_path: Path, forking: None) -> None:
    record = tmp_path / "rendered.txt"
    paths = [f"modules/m{i:03d}.md" for i in range(100)]
    ahead = renderahead.RenderAhead(_RecordingRenderer(record), paths, workers=2)  # type: ignore[arg-type]
    try:
        window = (1 + 2 * renderahead.CHUNKS_AHEAD) * renderahead.PAGES_PER_CHUNK
        _wait_until(lambda: len(_rendered(record)) >= window)
        time.sleep(0.3)  # time enough to go on, had they been given more
        assert sorted(_rendered(record)) == paths[:window], "ahead of a build that reads nothing yet: the window only"

        ahead.wait_for(paths[50])
        assert paths[50] in _rendered(record), "a page is stored before the build reads it"
        ahead.wait_for(paths[-1])
    finally:
        ahead.close()
    assert sorted(_rendered(record)) == paths, "every page once"
    assert multiprocessing.active_children() == []


def test_a_failed_build_stops_the_workers_without_the_pages_not_started(tmp_path: Path, forking: None) -> None:
    record = tmp_path / "rendered.txt"
    paths = [f"modules/m{i:03d}.md" for i in range(100)]
    ahead = renderahead.RenderAhead(_RecordingRenderer(record, seconds=0.05), paths, workers=2)  # type: ignore[arg-type]
    ahead.close(finished=False)
    # Under way: a chunk in each of the 2 workers and the executor's queue of 3 (workers + 1).
    # Without the cancel, all 9 chunks the workers were given would be rendered.
    under_way = (2 + 3) * renderahead.PAGES_PER_CHUNK
    assert len(_rendered(record)) <= under_way, "only the chunks under way were finished"
    assert multiprocessing.active_children() == []
    ahead.wait_for(paths[-1])  # after the close: nothing to wait for, and no error


def test_a_build_that_fails_while_reading_pages_leaves_no_worker_running(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered_here: list[str], forking: None
) -> None:
    _many_modules(course, 60)

    def failing(self: renderahead.RenderAhead, path: str) -> None:
        raise RuntimeError("another plugin's error")

    monkeypatch.setattr(renderahead.RenderAhead, "wait_for", failing)
    with pytest.raises(RuntimeError, match="another plugin's error"):
        _build(course, tmp_path / "site")
    assert multiprocessing.active_children() == []
    stored = len(list((course / PAGE_CACHE_FOLDER / "en").glob("*/*.md.z")))
    assert stored < 61, "the pages not started were dropped"
