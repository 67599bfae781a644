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
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .project import find_project
from .render import ASSET_DIR

# Files every MkDocs site has; a non-empty folder with none of them is not a site to replace.
_SITE_MARKERS = ("index.html", "404.html", "sitemap.xml")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class SiteBuildError(Exception):
    """The site could not be built; the message says why."""


@contextmanager
def _lock(site_dir: Path) -> Iterator[None]:
    lock_path = site_dir.parent / f".{site_dir.name}.lock"
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
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.rename(target, old / target.name)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _sweep_leftovers(site_dir: Path) -> None:
    """Clean up after builds that were killed earlier (call while holding the lock).

    A build killed between the two renames of ``_swap_in`` left the old site in a ``-old-``
    folder and no site: put it back. Everything else left over is removed.
    """
    if not site_dir.exists():
        for kept in sorted(site_dir.parent.glob(f".{site_dir.name}-old-*/{site_dir.name}")):
            os.rename(kept, site_dir)
            break
    for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-old-*"):
        for leftover in site_dir.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


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
    for name, folder in protected.items():
        folder = folder.resolve()
        inside = _within(site_dir, folder) and name != "the project folder"  # site/ in the project is usual
        if _within(folder, site_dir) or inside:
            raise SiteBuildError(
                f"the site folder {site_dir} overlaps {name} {folder}; building there would replace "
                "your files. Choose a folder of its own, such as site/"
            )
    if site_dir.exists() and not site_dir.is_dir():
        raise SiteBuildError(f"{site_dir} exists and is not a folder; choose another --site-dir")
    if site_dir.is_dir() and any(site_dir.iterdir()) and not any((site_dir / m).exists() for m in _SITE_MARKERS):
        raise SiteBuildError(
            f"{site_dir} is not empty and does not hold a built site; a build would delete what is in it. "
            "Choose another --site-dir, or empty the folder"
        )


def _for_package(config: MkDocsConfig) -> None:
    # An LMS serves a package's files by exact path; "modules/x/" would not find its index.html.
    config.use_directory_urls = False
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if f != "navigation.instant"]
    config.extra_javascript.insert(0, f"{ASSET_DIR}/lms.js")


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
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
            try:
                staging.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a site is for a web server
                config.site_dir = str(staging)
                build(config)
                _swap_in(staging, site_dir)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
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
