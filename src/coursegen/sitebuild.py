"""Build the site atomically: into a fresh folder beside the target, then swap it in.

A failed or killed build leaves the previous site in place; concurrent builds of one project
wait for each other on a lock file. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``
call, so ``site/`` is never missing, not even for an instant; elsewhere it is two renames, and a
build killed between them leaves the old site beside the target, where the next build puts it
back before it starts.

The target is checked first: a site folder that would replace the project, its docs or its
modules, or a folder that holds something other than a site, is refused (``build -d .`` must
never delete a course).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import json
import os
import re
import secrets
import shutil
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .project import find_project
from .render import ASSET_DIR

MANIFEST = ".coursegen-manifest.json"
"""In the site folder: every file the last coursegen build wrote there. Nothing else is replaced."""
_WORK = ".coursegen-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class SiteBuildError(Exception):
    """The site could not be built; the message says why."""


def _work_name(site_dir: Path, kind: str) -> str:
    """A working folder's name: ``.site.coursegen-new-<16 hex digits>``. The sweep of ``site``
    matches exactly this form (``re.fullmatch``), so it never takes the folder of a build into
    ``site-new`` or any other target beside it."""
    return f".{site_dir.name}{_WORK}{kind}-{secrets.token_hex(8)}"


def _is_work_folder(entry: Path, site_dir: Path) -> bool:
    pattern = re.escape(f".{site_dir.name}{_WORK}") + r"(?:new|old)-[0-9a-f]{16}"
    return re.fullmatch(pattern, entry.name) is not None and entry.is_dir() and not entry.is_symlink()


def _dot_entries(folder: Path) -> list[Path]:
    """Top-level entries whose name starts with a dot (``.git``, ``.nojekyll``), ours excepted."""
    return [e for e in folder.iterdir() if e.name.startswith(".") and e.name != MANIFEST]


def _carry_dotfiles(old_site: Path, new_site: Path) -> None:
    """Move what a build did not write and must keep (``.git``, ``.nojekyll`` …, as MkDocs keeps
    them) from the old site into the new one."""
    if not old_site.is_dir():
        return
    for entry in _dot_entries(old_site):
        if not (new_site / entry.name).exists() and not (new_site / entry.name).is_symlink():
            os.rename(entry, new_site / entry.name)


def _remove_work_folder(folder: Path, site_dir: Path) -> None:
    """Remove a working folder, after rescuing any dotfiles of the old site it may hold."""
    # An -old- folder holds the old site as a subfolder; a -new- folder, after the exchange, is it.
    old_site = folder / site_dir.name if "-old-" in folder.name else folder
    if site_dir.is_dir():
        _carry_dotfiles(old_site, site_dir)
    if old_site.is_dir() and any(_dot_entries(old_site)):
        return  # something could not be moved: leave it rather than delete it
    shutil.rmtree(folder, ignore_errors=True)


def _write_manifest(site: Path) -> None:
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() or p.is_symlink())
    (site / MANIFEST).write_text(json.dumps({"coursegen": 1, "files": files}, indent=0), encoding="utf-8")


def _foreign_files(folder: Path, kept: str | None) -> list[str]:
    """Up to 5 files in ``folder`` that no earlier run wrote (its manifest says what it wrote; the
    top-level entries whose name starts with a dot, and the subfolder ``kept``, are left alone)."""
    try:
        written = set(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        written = set()
    foreign: list[str] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name == kept:
            continue
        paths = [entry] if not entry.is_dir() or entry.is_symlink() else [entry, *sorted(entry.rglob("*"))]
        for path in paths:
            if (path.is_file() or path.is_symlink()) and path.relative_to(folder).as_posix() not in written:
                foreign.append(path.relative_to(folder).as_posix())
                if len(foreign) >= 5:
                    return foreign
    return foreign


def refuse_unsafe_output(
    out: Path,
    protected: Mapping[str, Path | None],
    *,
    command: str,
    option: str,
    example: str,
    kept: str | None = None,
    advice: str = "",
) -> None:
    """Refuse (SiteBuildError) an output folder that ``coursegen COMMAND`` could not replace
    without losing anything but its own earlier output: one that overlaps a ``protected`` folder
    (the project folder may hold it), is not a folder, or holds files no earlier run wrote (but
    for top-level dot entries and the subfolder ``kept``, which are left alone). ``advice`` ends
    the message about such files."""
    for name, folder in protected.items():
        if folder is None:
            continue
        folder = folder.resolve()
        inside = _within(out, folder) and name != "the project folder"  # site/ in the project is usual
        if _within(folder, out) or inside:
            raise SiteBuildError(
                f"the output folder {out} overlaps {name} {folder}; writing there would replace your files. "
                f"Choose a folder of its own, such as {example}"
            )
    if out.exists() and not out.is_dir():
        raise SiteBuildError(f"{out} exists and is not a folder; choose another {option}")
    foreign = _foreign_files(out, kept) if out.is_dir() else []
    if foreign:
        shown = ", ".join(foreign[:4]) + (" …" if len(foreign) > 4 else "")
        raise SiteBuildError(
            f"{out} holds files that no coursegen {command} wrote ({shown}); writing there would delete them, so "
            f"nothing was changed. Choose another {option}, or move those files away (files and folders whose "
            f"name starts with a dot, such as .git, are kept{advice})"
        )


@contextmanager
def _lock(site_dir: Path) -> Iterator[None]:
    lock_path = site_dir.parent / f".{site_dir.name}{_WORK}lock"
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the file system cannot; use renames
        return False
    raise OSError(errno, os.strerror(errno), str(b))


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` so that one or the other is always complete."""
    if not target.exists():
        os.rename(new, target)
        return
    if _exchange(new, target):
        _remove_work_folder(new, target)  # ``new`` now holds the old site: keep its dotfiles
        return
    old = target.parent / _work_name(target, "old")
    old.mkdir()
    os.rename(target, old / target.name)
    os.rename(new, target)
    _remove_work_folder(old, target)


def _sweep_leftovers(site_dir: Path) -> None:
    """Clean up after builds that were killed earlier (call while holding the lock).

    A build killed between the two renames of ``_swap_in`` left the old site in a ``-old-``
    folder and no site: put it back. Everything else left over is removed.
    """
    leftovers = sorted(e for e in site_dir.parent.iterdir() if _is_work_folder(e, site_dir))
    if not site_dir.exists():
        for folder in leftovers:
            if "-old-" in folder.name and (folder / site_dir.name).is_dir():
                os.rename(folder / site_dir.name, site_dir)
                break
    for folder in leftovers:
        _remove_work_folder(folder, site_dir)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_target(site_dir: Path, config_file: Path, docs_dir: Path) -> None:
    """Refuse a site folder whose replacement would lose anything but an old site."""
    modules_dir = find_project(config_file).modules_dir
    protected = {"the project folder": config_file.parent, "docs_dir": docs_dir, "the course folder": modules_dir}
    advice = "; put CNAME and other site files in docs/"
    refuse_unsafe_output(site_dir, protected, command="build", option="--site-dir", example="site/", advice=advice)


def _for_package(config: MkDocsConfig) -> None:
    # An LMS serves a package's files by exact path; "modules/x/" would not find its index.html.
    config.use_directory_urls = False
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if f != "navigation.instant"]
    config.extra_javascript.insert(0, f"{ASSET_DIR}/lms.js")
    # (The plugin sees lms.js and leaves out the offline worker: the LMS serves the package.)


def build_site(config_file: Path, site_dir: Path, *, strict: bool = False, for_package: bool = False) -> None:
    """Build the MkDocs project at ``config_file`` into ``site_dir``, atomically.

    ``for_package``: a build to go inside an LMS package (SCORM, cmi5): links to files, not
    folders; Material's instant navigation off (every page loads in full inside the launcher's
    frame); and the LMS bridge (``lms.js``) loaded before the quiz script."""
    site_dir = site_dir.resolve()
    try:
        # MkDocs checks the real target against docs_dir; the build then goes to a staging folder.
        config = load_config(str(config_file), strict=strict, site_dir=str(site_dir))
        if for_package:
            _for_package(config)
        _check_target(site_dir, Path(config_file).resolve(), Path(config.docs_dir))
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _lock(site_dir):
            _sweep_leftovers(site_dir)
            staging = site_dir.parent / _work_name(site_dir, "new")
            staging.mkdir(0o777 & ~_umask())
            try:
                config.site_dir = str(staging)
                build(config)
                _write_manifest(staging)
                _swap_in(staging, site_dir)
            finally:
                if staging.exists():
                    _remove_work_folder(staging, site_dir)
    except SiteBuildError:
        raise
    except MkDocsException as exc:
        raise SiteBuildError(str(exc) or exc.__class__.__name__) from None
    except OSError as exc:
        where = f" (at {exc.filename})" if exc.filename and Path(exc.filename) != site_dir else ""
        raise SiteBuildError(
            f"cannot write the site to {site_dir}: {exc.strerror or exc}{where}. The previous site, if any, is "
            "unchanged. Check that the folder can be written (and the disk is not full), or choose another --site-dir"
        ) from None
    except Exception as exc:  # a limit or a bug of MkDocs or an extension: a message, not a traceback
        raise SiteBuildError(
            f"the build failed ({type(exc).__name__}: {exc}). The previous site, if any, is unchanged"
        ) from exc
