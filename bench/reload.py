"""Live-reload latency: save one module, time until the served page shows the change.

    python bench/reload.py /tmp/c100 coursegen      # a course written by bench/synthetic.py
    python bench/reload.py /tmp/p100 plain

``measure_reload`` starts the dev server (``coursegen serve`` or ``mkdocs serve``), waits for the
first build, then edits the first module's summary (its first paragraph on a plain page) several
times, each time polling the page until the new text is served. What it measures is what an author
waits for: MkDocs' file watcher, the rebuild and the server, edit to served.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# `coursegen serve` with the module cap lifted, for courses bigger than the cap allows.
COURSEGEN = [
    sys.executable,
    "-c",
    "import coursegen.loader as l; l.MAX_MODULES = 10**6; from coursegen.cli import cli; cli()",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str, timeout: float) -> float:
    """Seconds until ``url`` serves a page containing ``text``."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if text in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{url} did not show {text!r} within {timeout} s")


def _edit(kind: str, project: Path, marker: str) -> None:
    """Put ``marker`` into the first module's summary (the page's first paragraph)."""
    if kind == "coursegen":
        path = project / "modules" / "m00001.yml"
        text = path.read_text(encoding="utf-8")
        start = text.index('"summary": "') + len('"summary": "')
    else:
        path = project / "docs" / "modules" / "m00001.md"
        text = path.read_text(encoding="utf-8")
        start = text.index("\n\n") + 2
    old_end = text.find(" ", start) if text[start:].startswith("Edit") else start
    path.write_text(text[:start] + marker + " " + text[old_end:].lstrip(" "), encoding="utf-8")


def measure_reload(project: Path, kind: str, edits: int = 3, timeout: float = 600) -> list[float]:
    """Edit-to-served seconds for ``edits`` saves of one module of the synthetic course at ``project``."""
    port = _free_port()
    address = f"127.0.0.1:{port}"
    config = str(project / "mkdocs.yml")
    if kind == "coursegen":
        command = [*COURSEGEN, "serve", "-f", config, "-a", address]
    else:
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", config, "-a", address]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{address}/modules/m00001/"
    times: list[float] = []
    try:
        _wait_for(url, "m00001" if kind == "coursegen" else "Module 1", timeout)
        time.sleep(1.0)  # let the watcher settle after the first build
        for edit in range(edits):
            marker = f"Edit{edit}x{time.time_ns()}"
            _edit(kind, project, marker)
            times.append(_wait_for(url, marker, timeout))
            time.sleep(1.0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return times


if __name__ == "__main__":
    found = measure_reload(Path(sys.argv[1]), sys.argv[2])
    print(" ".join(f"{t:.2f}" for t in found), f"median {statistics.median(found):.2f} s")
