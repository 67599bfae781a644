"""Load a course once per process, not once per caller.

``coursegen build`` checks the course (to report every problem as ``coursegen check`` does) and
then MkDocs' plugin needs it again; ``coursegen serve`` rebuilds after every save, also after a
save that touched no course file. Loading and validating is the slowest step before rendering,
so the last good course is kept, with a fingerprint of everything the loader reads: the course
folder's entries and the files under ``docs_dir`` (lessons may link to them and to their
headings), each by name, size, modification time and inode. Any change there loads it again.
"""

from __future__ import annotations

import os
from pathlib import Path

from .loader import load_course
from .model import LoadedCourse

_Fingerprint = tuple[tuple[str, int, int, int], ...]
_last: tuple[tuple[Path, Path | None], _Fingerprint, LoadedCourse] | None = None


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


def fingerprint(modules_dir: Path | None, docs_dir: Path | None, *files: Path) -> _Fingerprint:
    """The state of every file the loader reads (the course folder's entries, everything under
    ``docs_dir``) and of ``files``, cheap to take: one ``stat`` each."""
    entries = _entries(modules_dir, recursive=False) if modules_dir is not None else []
    if docs_dir is not None:
        entries += _entries(docs_dir, recursive=True)
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        entries.append((str(file), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(entries))


def load_course_once(modules_dir: Path, root: Path | None = None, docs_dir: Path | None = None) -> LoadedCourse:
    """``load_course``, reusing this process's last result while no file it read has changed.

    Raises ``CourseInvalid`` as ``load_course`` does (problems are never cached: each call
    reports them afresh)."""
    global _last
    modules_dir = modules_dir.resolve()
    docs = (docs_dir if docs_dir is not None else modules_dir.parent / "docs").resolve()
    key = (modules_dir, docs)
    state = fingerprint(modules_dir, docs)
    if _last is not None and _last[0] == key and _last[1] == state:
        return _last[2]
    _last = None
    loaded = load_course(modules_dir, root, docs)
    _last = (key, state, loaded)
    return loaded


def forget_course() -> None:
    """Let go of the kept course (a one-off build that has what it needs from it)."""
    global _last
    _last = None
