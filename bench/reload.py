"""Live-reload latency: save one module, time until the served page shows the change.

    python bench/reload.py /tmp/c100 coursegen      # a course written by bench/synthetic.py
    python bench/reload.py /tmp/p100 plain

``measure_reload`` starts the dev server (``coursegen serve`` or ``mkdocs serve``), waits for the
first build, then edits the first module's first lesson (or its summary) several times, each time
polling the page until the new text is served. What it measures is what an author
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


def _edited(kind: str, original: str, marker: str, where: str) -> str:
    """The first module's file with ``marker`` at the start of its first lesson (``where`` =
    "lesson") or of its summary, which the home page shows too ("summary")."""
    if kind == "coursegen":
        anchor = '"body": "' if where == "lesson" else '"summary": "'
    else:
        anchor = "## Lesson 1 of module 1\n\n" if where == "lesson" else "\n\n"
    start = original.index(anchor) + len(anchor)
    return original[:start] + marker + " " + original[start:]


def measure_reload(
    project: Path, kind: str, edits: int = 3, timeout: float = 600, where: str = "lesson"
) -> list[float]:
    """Edit-to-served seconds for ``edits`` saves of one module of the synthetic course at ``project``."""
    path = project / ("modules/m00001.yml" if kind == "coursegen" else "docs/modules/m00001.md")
    original = path.read_text(encoding="utf-8")
    port = _free_port()
    address = f"127.0.0.1:{port}"
    config = str(project / "mkdocs.yml")
    if kind == "coursegen":
        command = [*COURSEGEN, "serve", "-f", config, "-a", address]
    else:
        command = [sys.executable, "-m", "mkdocs", "serve", "-f", config, "-a", address]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    # From the project's folder, as an author runs it.
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://{address}/modules/m00001/"
    times: list[float] = []
    try:
        _wait_for(url, "m00001" if kind == "coursegen" else "Module 1", timeout)
        time.sleep(1.0)  # let the watcher settle after the first build
        for edit in range(edits):
            marker = f"Edit{edit}x{time.time_ns()}"
            path.write_text(_edited(kind, original, marker, where), encoding="utf-8")
            times.append(_wait_for(url, marker, timeout))
            time.sleep(1.0)
    finally:
        server.terminate()
        server.wait(timeout=30)
        path.write_text(original, encoding="utf-8")
    return times


if __name__ == "__main__":
    found = measure_reload(Path(sys.argv[1]), sys.argv[2], where=sys.argv[3] if len(sys.argv) > 3 else "lesson")
    print(" ".join(f"{t:.2f}" for t in found), f"median {statistics.median(found):.2f} s")
