"""Many module files are checked in worker processes: exactly what checking them one by one gives.

The threshold is lowered here (``PARALLEL_FROM``) so that a small course takes the process path,
and the core count and the fork guard are fixed, so that the path is taken on any machine."""

from __future__ import annotations

import threading
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

import coursegen.loader as loader
import coursegen.workers as workers
from conftest import write_module
from coursegen.checkcache import CACHE_FOLDER, CheckCache
from coursegen.errors import CourseInvalid
from coursegen.loadonce import MemoryCheckCache

COUNT = 12


def _modules(course: Path, *, broken: bool) -> Path:
    """COUNT copies of the starter module; with ``broken``, several have problems of different kinds:
    YAML, types, Markdown, links, audiences, a duplicate id."""
    welcome = (course / "modules" / "welcome.yml").read_text(encoding="utf-8")
    for i in range(COUNT):
        text = welcome.replace("id: welcome", f"id: m{i:02d}").replace("Replace it", f"Module {i}. Replace it")
        if broken and i == 3:
            text += "oops: [\n"
        if broken and i == 5:
            text = text.replace("duration_minutes: 10", "duration_minutes: ten")
        if broken and i == 7:
            bad = 'See [x](m99.md#nowhere) and [y](https://example.org){ onclick="a" }. Each module has'
            text = text.replace("Each module has", bad)
        if broken and i == 9:
            text = text.replace("audiences: [everyone]", "audiences: [nobody]")
        if broken and i == 10:
            text = text.replace("id: m10", "id: m01")
        if i == 11:  # a link to another module's heading: the check across files reads that module
            text = text.replace("Each module has", "See [m00](m00.md#how-this-course-works). Each module has")
        write_module(course, f"m{i:02d}", text)
    return course


def _check(course: Path, monkeypatch: pytest.MonkeyPatch, *, parallel: bool, cache: CheckCache | None = None) -> Any:
    """What checking the course gives (its errors, or its results), and whether processes ran."""
    monkeypatch.setattr(loader, "PARALLEL_FROM", 4)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers, "may_fork", lambda: parallel)
    ran: list[int] = []
    real = loader._check_in_processes

    def spied(*args: Any) -> Any:
        ran.append(len(args[0]))
        return real(*args)

    monkeypatch.setattr(loader, "_check_in_processes", spied)
    try:
        checked = loader.check_course_folder(course / "modules", course, None, cache)
    except CourseInvalid as exc:
        outcome: Any = ("invalid", [e.format() for e in exc.errors])
    else:
        modules = checked.loaded.modules
        facts = [r.facts for r in checked.results]
        fields_set = [(m.model_fields_set, [q.model_fields_set for q in m.questions()]) for m in modules]
        outcome = ("valid", checked.warnings, facts, modules, checked.question_count, fields_set)
    assert bool(ran) == parallel
    return outcome


def test_errors_of_many_files_checked_in_processes_are_those_of_the_serial_check(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _modules(course, broken=True)
    serial = _check(course, monkeypatch, parallel=False)
    parallel = _check(course, monkeypatch, parallel=True)
    assert serial[0] == "invalid" and len(serial[1]) >= 6, serial
    assert parallel == serial


def test_a_valid_course_checked_in_processes_is_the_course_of_the_serial_check(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _modules(course, broken=False)
    serial = _check(course, monkeypatch, parallel=False)
    parallel = _check(course, monkeypatch, parallel=True)
    assert serial[0] == "valid" and len(serial[3]) == COUNT + 1
    assert parallel == serial


def test_results_from_processes_go_into_the_cache_and_come_back_the_same(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _modules(course, broken=False)
    serial = _check(course, monkeypatch, parallel=False)
    first = _check(course, monkeypatch, parallel=True, cache=CheckCache(course / CACHE_FOLDER))
    assert len(list((course / CACHE_FOLDER).glob("*/*.module"))) == COUNT + 1
    cached = _check(course, monkeypatch, parallel=False, cache=CheckCache(course / CACHE_FOLDER))
    assert first == cached == serial


def test_entries_stored_by_the_processes_are_kept_when_the_cache_is_pruned(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _modules(course, broken=False)
    folder = course / CACHE_FOLDER
    stale = [folder / "00" / f"00{i:062d}.json" for i in range(150)]  # entries of files long changed
    for entry in stale:
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text("{}", encoding="utf-8")
    _check(course, monkeypatch, parallel=True, cache=CheckCache(folder))
    assert not any(entry.exists() for entry in stale), "pruned"
    assert len(list(folder.glob("*/*.module"))) == COUNT + 1, "this check's entries stay"

    def refused(*args: Any) -> Any:
        raise AssertionError("every file should come from the cache")

    monkeypatch.setattr(loader, "_check_module_file", refused)
    again = CheckCache(folder)
    loader.check_course_folder(course / "modules", course, None, again)
    assert len(again.used) == COUNT + 1


def test_serves_memory_cache_keeps_what_the_processes_found(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``serve`` keeps results in its own memory: the workers' copies of it would be lost."""
    _modules(course, broken=False)
    serial = _check(course, monkeypatch, parallel=False)
    memory = MemoryCheckCache()
    assert _check(course, monkeypatch, parallel=True, cache=memory) == serial
    assert len(memory.entries) == COUNT + 1

    def refused(*args: Any) -> Any:
        raise AssertionError("every file should come from memory")

    monkeypatch.setattr(loader, "_check_module_file", refused)
    assert _check(course, monkeypatch, parallel=False, cache=memory) == serial


def test_a_broken_process_pool_falls_back_to_the_serial_check(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _modules(course, broken=True)
    serial = _check(course, monkeypatch, parallel=False)

    def broken(*args: Any) -> Any:
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(workers, "may_fork", lambda: True)
    monkeypatch.setattr(loader, "_check_in_processes", broken)
    with pytest.raises(CourseInvalid) as caught:
        loader.check_course_folder(course / "modules", course)
    assert ("invalid", [e.format() for e in caught.value.errors]) == serial


def test_a_small_course_is_checked_without_processes(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _modules(course, broken=False)
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers, "may_fork", lambda: True)

    def refused(*args: Any) -> Any:
        raise AssertionError(f"{COUNT + 1} files are below PARALLEL_FROM ({loader.PARALLEL_FROM})")

    monkeypatch.setattr(loader, "_check_in_processes", refused)
    assert len(loader.load_course(course / "modules", course).modules) == COUNT + 1


def test_no_process_is_forked_while_another_thread_runs() -> None:
    """A forked child gets no other thread: a lock one held (as under serve's server) would stay held."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not workers.may_fork()
    finally:
        release.set()
        other.join()
