"""Module pages rendered ahead, side by side, for the page cache.

A build that finds most module pages missing from the page cache (a fresh clone's first build,
new course settings, a new coursegen) would render each one as MkDocs reads it, one after the
other: rendering the quiz and check forms is pure Python, about 5 ms a page. Instead, the pages
the cache lacks are rendered first in forked worker processes, one per core, each keeping its
pages in the cache; the build then reads every page back, as a rebuild does. The workers are only
a head start: a page they did not store is rendered by the build itself, as before.
"""

from __future__ import annotations

from .render import Renderer
from .workers import chunk_size, forked_pool, worker_count

RENDER_AHEAD_FROM = 20
"""From this many module pages to render, worker processes render them (a fork costs milliseconds)."""

_worker_renderer: Renderer | None = None
"""The build's renderer in a worker process (inherited as the worker starts, never pickled)."""


def _start_worker(renderer: Renderer) -> None:
    global _worker_renderer
    _worker_renderer = renderer


def _render_in_worker(path: str) -> None:
    assert _worker_renderer is not None
    _worker_renderer.render(path)  # rendered and kept in the page cache


def render_ahead(renderer: Renderer) -> int:
    """Render the module pages ``renderer`` would render now in worker processes, into its page
    cache, when there are enough of them and processes may run; returns how many were handed to
    workers (0: the build renders them itself)."""
    paths = renderer.unstored_paths()
    workers = worker_count(len(paths), RENDER_AHEAD_FROM // 2)
    if len(paths) < RENDER_AHEAD_FROM or workers < 2:
        return 0
    rest = paths[1:]
    try:
        # The first page is rendered here: it compiles the templates, which the workers then share
        # instead of each compiling them again.
        renderer.render(paths[0])
        with forked_pool(workers, _start_worker, (renderer,)) as pool:
            for _ in pool.map(_render_in_worker, rest, chunksize=chunk_size(len(rest), workers)):
                pass
    except Exception:  # noqa: BLE001 - only a head start: the build renders any page left out, and reports its errors
        return 0
    return len(rest)
