"""Module pages rendered ahead, in worker processes, while the build goes on.

A build that finds most module pages missing from the page cache (a fresh clone's first build,
new course settings, a new coursegen) would render each one as MkDocs reads it, one after the
other: rendering the quiz and check forms is pure Python, about 5 ms a page. Instead, worker
processes, one per core, render the pages the cache lacks and keep them there, a few chunks ahead
of the page MkDocs reads; the build reads each page back when it gets to it, as a rebuild does,
waiting only for a page still under way. The workers are only a head start: a page they did not
store is rendered by the build itself, as before.
"""

from __future__ import annotations

from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack

from .render import Renderer
from .workers import forked_pool, worker_count

RENDER_AHEAD_FROM = 20
"""From this many module pages to render, worker processes render them (a fork costs milliseconds)."""
PAGES_PER_CHUNK = 4
"""Pages a worker renders at a time (about 20 ms): the build waits for at most one chunk."""
CHUNKS_AHEAD = 4
"""Chunks each worker may be given beyond the page the build reads. Workers that are that far
ahead wait, leaving the cores to the build; Ctrl-C waits only for the chunks under way."""

_worker_renderer: Renderer | None = None
"""The build's renderer in a worker process (inherited as the worker starts, never pickled)."""


def _start_worker(renderer: Renderer) -> None:
    global _worker_renderer
    _worker_renderer = renderer


def _render_in_worker(paths: list[str]) -> None:
    assert _worker_renderer is not None
    for path in paths:
        _worker_renderer.render(path)  # rendered and kept in the page cache


class RenderAhead:
    """Pages under way in worker processes: ``wait_for`` a page before reading it, ``close`` at
    the end of the build (or on its failure)."""

    def __init__(self, renderer: Renderer, paths: list[str], workers: int) -> None:
        self._chunks = [paths[i : i + PAGES_PER_CHUNK] for i in range(0, len(paths), PAGES_PER_CHUNK)]
        self._chunk_of = {path: index for index, chunk in enumerate(self._chunks) for path in chunk}
        self._ahead = CHUNKS_AHEAD * workers
        self._futures: list[Future[None]] = []
        self._stack = ExitStack()
        self._pool: ProcessPoolExecutor | None = self._stack.enter_context(
            forked_pool(workers, _start_worker, (renderer,))
        )
        self._hand_out(0)

    def _hand_out(self, reading: int) -> None:
        """Give the workers every chunk up to ``CHUNKS_AHEAD`` per worker past chunk ``reading``."""
        assert self._pool is not None
        last = min(len(self._chunks), reading + 1 + self._ahead)
        while len(self._futures) < last:
            self._futures.append(self._pool.submit(_render_in_worker, self._chunks[len(self._futures)]))

    def wait_for(self, path: str) -> None:
        """Return once the workers are done with ``path`` (stored, or failed: the build then
        renders it itself); at once for a page they were not given."""
        index = self._chunk_of.get(path)
        if index is None or self._pool is None:
            return
        try:
            self._hand_out(index)
            self._futures[index].result()
        except Exception:  # noqa: BLE001 - only a head start: the build renders any page left out, and reports its errors
            return

    def close(self, *, finished: bool = True) -> None:
        """Stop the workers: after their chunks, or (not ``finished``: the build failed) dropping
        the chunks not started."""
        if self._pool is None:
            return
        if not finished:
            self._pool.shutdown(wait=True, cancel_futures=True)  # waits for the chunks under way only
        self._pool = None
        self._stack.close()  # the pool shut down, and the parent's objects unfrozen


def render_ahead(renderer: Renderer) -> RenderAhead | None:
    """Start rendering the module pages ``renderer`` would render now in worker processes, into its
    page cache, when there are enough of them and processes may run; None when the build renders
    them itself."""
    paths = renderer.unstored_paths()
    workers = worker_count(len(paths), RENDER_AHEAD_FROM // 2)
    if len(paths) < RENDER_AHEAD_FROM or workers < 2:
        return None
    try:
        # The first page is rendered here: it compiles the templates, which the workers then share
        # instead of each compiling them again.
        renderer.render(paths[0])
        return RenderAhead(renderer, paths[1:], workers)
    except Exception:  # noqa: BLE001 - only a head start: the build renders any page left out, and reports its errors
        return None
