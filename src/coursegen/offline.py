"""The course offline after the first visit: the service worker written to the site's root.

A service worker controls only the pages under its own folder (a static host cannot send the
``Service-Worker-Allowed`` header that would widen that), so it is written at the root of the
built site as ``coursegen-sw.js``, with the list of files to keep and a version computed from them
(``assets/sw.js`` explains the caching strategy). ``assets/offline.js`` registers it.

Knows nothing of MkDocs: it reads a built site folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .render import asset

SW_NAME = "coursegen-sw.js"
"""The worker's file, at the root of the site (its scope is the whole site)."""

MAX_FILE = 2 * 1024 * 1024
"""Larger files (a long video, say) are not kept offline: they would crowd out the course."""

_LUNR = "assets/javascripts/lunr/"
# Files nobody loads while reading the course: source maps, the compressed sitemap, the build
# manifest, and Material's search for file:// (search_index.js is not written for http anyway).
_SKIP_SUFFIXES = (".map", ".gz")
_SKIP_NAMES = frozenset({".coursegen-manifest.json", SW_NAME, "search/search_index.js"})
# Kept, but left out of the version: MkDocs writes the build date into the sitemap, and a new
# date alone must not tell every learner that a newer version is out.
_UNVERSIONED = frozenset({"sitemap.xml"})


def _lunr_files(search_langs: Iterable[str]) -> set[str]:
    """The search languages' stemmers Material's search worker loads (English needs none)."""
    langs = [lang for lang in search_langs if lang != "en"]
    if not langs:
        return set()
    wanted = {f"{_LUNR}min/lunr.stemmer.support.min.js", f"{_LUNR}min/lunr.multi.min.js"}
    wanted |= {f"{_LUNR}min/lunr.{lang}.min.js" for lang in langs}
    if "ja" in langs:
        wanted.add(f"{_LUNR}tinyseg.js")
    if "th" in langs:
        wanted.add(f"{_LUNR}wordcut.js")
    return wanted


def precache_files(site_dir: Path, *, search_langs: Iterable[str] = ("en",), unloaded: Iterable[str] = ()) -> list[str]:
    """The site's files a learner may need offline, as paths relative to the site root, sorted:
    every page, stylesheet, script, image and the search index; no source maps, no stemmers of
    languages the search does not use, none of the ``unloaded`` files (scripts of the site that no
    page loads, such as the LMS bridge of a site that is not an LMS package), nothing over
    ``MAX_FILE``."""
    lunr = _lunr_files(search_langs)
    skipped = _SKIP_NAMES | set(unloaded)
    found = []
    for path in site_dir.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(site_dir).as_posix()
        if rel in skipped or rel.endswith(_SKIP_SUFFIXES) or any(p.startswith(".") for p in rel.split("/")):
            continue
        if rel.startswith(_LUNR) and rel not in lunr:
            continue
        if path.stat().st_size > MAX_FILE:
            continue
        found.append(rel)
    return sorted(found)


def build_version(site_dir: Path, files: Iterable[str]) -> str:
    """A short hash of the kept files' names and contents: it changes when any of them does."""
    digest = hashlib.sha256()
    for rel in files:
        if rel in _UNVERSIONED:
            continue
        data = (site_dir / rel).read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def worker_script(build: dict[str, object] | None) -> str:
    """The worker's JavaScript; ``build`` is ``{"version": …, "files": […]}``, or None for a
    worker that removes itself and its caches."""
    template = asset("sw.js").decode("utf-8")
    # JSON is valid JavaScript; ensure_ascii keeps the file plain ASCII whatever the file names.
    return template.replace("__COURSEGEN_BUILD__", json.dumps(build, ensure_ascii=True, separators=(",", ":")), 1)


def write_worker(
    site_dir: Path, *, enabled: bool, search_langs: Iterable[str] = ("en",), unloaded: Iterable[str] = ()
) -> dict[str, int]:
    """Write ``coursegen-sw.js`` into a built site; return what it keeps (files, bytes; see
    ``precache_files``).

    ``enabled`` False (offline turned off, or ``coursegen serve``) writes the worker that removes
    itself, so browsers that kept an earlier build of this site stop serving it."""
    build: dict[str, object] | None = None
    total = 0
    files: list[str] = []
    if enabled:
        files = precache_files(site_dir, search_langs=search_langs, unloaded=unloaded)
        total = sum((site_dir / rel).stat().st_size for rel in files)
        build = {"version": build_version(site_dir, files), "files": files}
    (site_dir / SW_NAME).write_text(worker_script(build), encoding="utf-8")
    return {"files": len(files), "bytes": total}
