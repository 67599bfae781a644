"""How close `coursegen check` from scratch can get to its bound: the YAML parser's share.

Writes the synthetic coursegen course (bench/synthetic.py) and times, as medians of --repeat runs:
the imports a check needs, libyaml parsing every module file (compose only, as the check's first
step, in as many forked workers as the check uses) and the whole `coursegen check --no-cache`.
The parse alone is a floor for the check that no other change can lower.

    .venv/bin/python bench/check_floor.py --modules 1000 --repeat 5
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import child_environment  # noqa: E402 - the benchmark folder is not a package
from synthetic import write_course  # noqa: E402

from coursegen.workers import chunk_size, worker_count  # noqa: E402
from coursegen.yamlfile import _compose, _FastLoader  # noqa: E402


def _parse(path: Path) -> None:
    _compose(path.read_text(encoding="utf-8"), _FastLoader)


def _wall(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=child_environment(), check=True, capture_output=True)
    return time.perf_counter() - start


def _parse_all(files: list[Path], workers: int) -> float:
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_parse, files, chunksize=chunk_size(len(files), workers)))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coursegen-floor-") as work:
        project = write_course(Path(work) / "course", args.modules, "coursegen").parent
        files = sorted((project / "modules").glob("m*.yml"))
        workers = worker_count(len(files), 1)
        imports, parse, check = [], [], []
        for _ in range(args.repeat):
            imports.append(_wall([sys.executable, "-c", "import coursegen.cli, coursegen.loader"], project))
            parse.append(_parse_all(files, workers))
            check.append(_wall([sys.executable, "-m", "coursegen", "check", "--no-cache"], project))
        size = sum(f.stat().st_size for f in files) / len(files) / 1024
    median = statistics.median
    print(f"{args.modules} modules ({size:.0f} KiB each), {workers} workers, medians of {args.repeat}:\n")
    print("| step | seconds |\n|---|---|")
    print(f"| start Python and import what a check needs | {median(imports):.2f} |")
    print(f"| libyaml parses every module file (compose only) | {median(parse):.2f} |")
    print(f"| the two together: the floor | {median(imports) + median(parse):.2f} |")
    print(f"| `coursegen check --no-cache` | {median(check):.2f} |")


if __name__ == "__main__":
    main()
