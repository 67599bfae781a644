"""Worker processes for work that splits into independent pieces (checking module files, rendering
module pages): pure Python, so only processes run it side by side. They are forked, one per core,
on Linux only, and only from a process that runs a single thread."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any

POOL_ERRORS = (OSError, ImportError, NotImplementedError, BrokenProcessPool)
"""What stops worker processes from running (no semaphores in a sandbox, a worker killed for
memory …): the caller then does the work itself."""


def cores() -> int:
    """How many cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def may_fork() -> bool:
    """Whether worker processes may be forked from this one: on Linux (fork is cheap there, and safe
    for this code), while this process runs a single thread (a forked child has no other thread, so
    a lock another thread held, as under ``serve``'s server, would never be released in it)."""
    return sys.platform == "linux" and threading.active_count() == 1


def worker_count(pieces: int, least_each: int) -> int:
    """How many worker processes ``pieces`` deserve: one per core, each with at least
    ``least_each`` pieces (a fork costs milliseconds); below 2 the caller does the work itself."""
    if not may_fork():
        return 0
    return min(cores(), pieces // least_each)


@contextmanager
def forked_pool(
    workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``workers`` forked processes, shut down on leaving: after the work is done, or at
    once when the block raises (such as Ctrl-C), dropping the work not yet started. Forked children
    share this process's memory, so ``initargs`` reach them as they are, without pickling.

    What this process holds is frozen for the cycle collector while the pool runs (``gc.freeze``):
    a child's collector would otherwise walk all of it, writing to every object and so copying
    every page of memory the child shares with this process (that made rendering a large course's
    pages in workers slower than rendering them here)."""
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(initializer, initargs),
        )
        try:
            yield pool
        except BaseException:
            # Ctrl-C (or an error): drop the work no worker has started, instead of waiting for it all.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        gc.unfreeze()


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    # Ctrl-C is for the process that started the workers: it stops the pool. A worker that got it
    # too would print a traceback of its own, or go on to the next piece.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


MAX_CHUNK = 32
"""At most this many pieces go to a worker at a time (a fraction of a second of work): Ctrl-C waits
for the chunks under way."""


def chunk_size(pieces: int, workers: int) -> int:
    """Pieces sent to a worker at a time: several chunks per worker keep every one busy to the end."""
    return max(1, min(MAX_CHUNK, pieces // (workers * 8)))
