"""Build the site atomically: into a fresh folder beside the target, then swap it in.

A failed or killed build leaves the previous site in place; concurrent builds of one project
wait for each other on a lock file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


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


def _swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` with ``new`` so that one or the other is always complete."""
    if not target.exists():
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.rename(target, old / target.name)
    os.rename(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _sweep_leftovers(site_dir: Path) -> None:
    """Remove temp folders of builds that were killed earlier (call while holding the lock)."""
    for pattern in (f".{site_dir.name}-new-*", f".{site_dir.name}-old-*"):
        for leftover in site_dir.parent.glob(pattern):
            shutil.rmtree(leftover, ignore_errors=True)


def build_site(config_file: Path, site_dir: Path, *, strict: bool = False) -> None:
    """Build the MkDocs project at ``config_file`` into ``site_dir``, atomically."""
    site_dir = site_dir.resolve()
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _lock(site_dir):
            _sweep_leftovers(site_dir)
            staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
            try:
                config = load_config(str(config_file), strict=strict, site_dir=str(staging))
                build(config)
                _swap_in(staging, site_dir)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except MkDocsException as exc:
        raise SiteBuildError(str(exc) or exc.__class__.__name__) from None
    except OSError as exc:
        where = exc.filename or site_dir
        raise SiteBuildError(f"cannot write the site at {where}: {exc.strerror}") from None
