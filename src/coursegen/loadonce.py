"""Load a course once per process, not once per caller.

``coursegen build`` checks the course (to report every problem as ``coursegen check`` does) and
then MkDocs' plugin needs it again; ``coursegen serve`` rebuilds after every save, also after a
save that touched no course file. Loading and validating is the slowest step before rendering,
so the last good course is kept, with a fingerprint of everything the loader reads: the course
folder's entries (and a language's folder) and the files under ``docs_dir`` (lessons may link to
them and to their headings), each by name, size, modification time and inode. Any change there
loads it again.

While serving (``keep_results``), what checking each module file showed is also kept in memory
(a ``CheckCache`` that never touches the disk), so a save re-checks only the file it changed, and
an unchanged module is the same object from one load to the next.
"""

from __future__ import annotations

import os
from pathlib import Path

from .checkcache import CheckCache, ModuleResult
from .loader import load_course
from .model import LoadedCourse

_Fingerprint = tuple[tuple[str, int, int, int], ...]
_Key = tuple[Path, Path, str | None]
_last: tuple[_Key, _Fingerprint, LoadedCourse] | None = None


class MemoryCheckCache(CheckCache):
    """A check cache in memory, for the life of a ``serve``: results (and the modules they have
    made) are kept as they are; those no load used since the last one are dropped."""

    in_files = False  # a worker process's entries would stay in that process

    def __init__(self) -> None:
        super().__init__(Path("."))
        self.entries: dict[str, ModuleResult] = {}

    def get(self, key: str) -> ModuleResult | None:
        result = self.entries.get(key)
        if result is not None:
            self.used.add(key)
        return result

    def put(self, key: str, result: ModuleResult) -> ModuleResult:
        self.entries[key] = result
        self.used.add(key)
        return result

    def prune(self) -> None:
        self.entries = {key: result for key, result in self.entries.items() if key in self.used}
        self.used = set()


_results: MemoryCheckCache | None = None


def keep_results() -> None:
    """From now on, keep what checking each module file showed between loads (``serve``)."""
    global _results
    if _results is None:
        _results = MemoryCheckCache()


def _entries(folder: Path, *, recursive: bool) -> list[tuple[str, int, int, int]]:
    found: list[tuple[str, int, int, int]] = []
    try:
        scanned = list(os.scandir(folder))
    except OSError:
        return found
    for entry in scanned:
        try:
            stat = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        found.append((entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        if recursive and entry.is_dir(follow_symlinks=False):
            found += _entries(Path(entry.path), recursive=True)
    return found


def fingerprint(
    modules_dir: Path | None, docs_dir: Path | None, *files: Path, language: str | None = None
) -> _Fingerprint:
    """The state of every file the loader reads (the course folder's entries, a language's
    folder, everything under ``docs_dir``) and of ``files``, cheap to take: one ``stat`` each."""
    entries = _entries(modules_dir, recursive=False) if modules_dir is not None else []
    if modules_dir is not None and language:
        entries += _entries(modules_dir / language, recursive=False)
    if docs_dir is not None:
        entries += _entries(docs_dir, recursive=True)
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        entries.append((str(file), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(entries))


def load_course_once(
    modules_dir: Path,
    root: Path | None = None,
    docs_dir: Path | None = None,
    language: str | None = None,
    cache_folder: Path | None = None,
) -> LoadedCourse:
    """``load_course``, reusing this process's last result while no file it read has changed.

    ``cache_folder``: where ``coursegen check`` keeps what checking each module file found (used
    unless serving, which keeps results in memory): a build re-checks only the files that changed
    since the last check or build. Raises ``CourseInvalid`` as ``load_course`` does (problems are
    never kept by this process: each call reports them afresh)."""
    global _last
    modules_dir = modules_dir.resolve()
    docs = (docs_dir if docs_dir is not None else modules_dir.parent / "docs").resolve()
    key = (modules_dir, docs, language)
    state = fingerprint(modules_dir, docs, language=language)
    if _last is not None and _last[0] == key and _last[1] == state:
        return _last[2]
    _last = None
    cache: CheckCache | None = _results
    if cache is None and cache_folder is not None and language is None:  # translations: not kept
        cache = CheckCache(cache_folder)
    loaded = load_course(modules_dir, root, docs, cache=cache, language=language)
    _last = (key, state, loaded)
    return loaded


def forget_course() -> None:
    """Let go of the kept course (a one-off build that has what it needs from it)."""
    global _last
    _last = None
