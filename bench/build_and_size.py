"""Benchmark: flagship build time, validation time, and what a learner downloads.

Run: .venv/bin/python bench/build_and_size.py   — then copy the printed table into bench/RESULTS.md.
"""

from __future__ import annotations

import gzip
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from coursegen.loader import load_course  # noqa: E402
from coursegen.sitebuild import build_site  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def timed(func, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    check = timed(lambda: load_course(ROOT / "modules", ROOT), repeat=5)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build = timed(lambda: build_site(ROOT / "mkdocs.yml", site))
        page = site / "modules" / "hotels-casinos" / "index.html"
        assets = [site / "assets" / "coursegen" / name for name in ("quiz.js", "quiz.css")]
        rows = [
            ("validate the flagship course (median of 5)", f"{check * 1000:.0f} ms"),
            ("coursegen build of the flagship (median of 3)", f"{build:.2f} s"),
            (
                "largest module page, HTML",
                f"{page.stat().st_size / 1024:.0f} KiB ({len(gzip.compress(page.read_bytes())) / 1024:.0f} KiB gzip)",
            ),
        ]
        for asset in assets:
            data = asset.read_bytes()
            rows.append(
                (f"{asset.name}", f"{len(data) / 1024:.1f} KiB ({len(gzip.compress(data)) / 1024:.1f} KiB gzip)")
            )
        total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
        rows.append(("whole site on disk", f"{total / 1024 / 1024:.1f} MiB"))
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
