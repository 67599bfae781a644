"""The worker processes that check module files and render module pages (``coursegen.workers``)."""

from __future__ import annotations

import gc
import os
import signal
import time
from pathlib import Path

import pytest

from coursegen.workers import forked_pool

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")

_done_in: Path | None = None


def _slow_piece(number: int) -> int:
    assert _done_in is not None
    time.sleep(0.02)
    (_done_in / str(number)).touch()
    return number


def test_an_interrupt_drops_the_work_no_worker_has_started(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during a large check or build stops it within a few pieces, not after all of them."""
    monkeypatch.setitem(globals(), "_done_in", tmp_path)
    with pytest.raises(KeyboardInterrupt), forked_pool(2) as pool:  # noqa: PT012 - the interrupt comes mid-work
        results = pool.map(_slow_piece, range(300))
        next(results)
        raise KeyboardInterrupt
    pool.shutdown(wait=True)  # let the pieces under way finish before counting
    assert 1 <= len(list(tmp_path.iterdir())) < 100, "without the cancel all 300 run"


def _interrupted_piece(_: int) -> str:
    os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C in a terminal sends every process of the command
    return "went on"


def test_a_worker_leaves_ctrl_c_to_the_process_that_started_it() -> None:
    with forked_pool(2) as pool:
        assert list(pool.map(_interrupted_piece, range(4))) == ["went on"] * 4


def _frozen_objects(_: int) -> int:
    return gc.get_freeze_count()


def test_workers_collector_leaves_the_memory_they_share_alone() -> None:
    """Objects the parent held are frozen in the workers, so their cycle collector never writes to
    (and so copies) the memory they share with it; the parent's are collected again afterwards."""
    with forked_pool(2) as pool:
        assert min(pool.map(_frozen_objects, range(2))) > 1000
    assert gc.get_freeze_count() == 0
