"""Side by side: the same synthetic course built as plain MkDocs + Material pages, as mkdocs-quiz
pages and as coursegen modules (flat, and grouped into sections of 50), at several sizes.

    .venv/bin/pip install mkdocs-quiz==1.7.1     # once, for the mkdocs-quiz column (optional)
    .venv/bin/python bench/compare.py            # 10, 100 and 1000 modules, 3 builds each
    .venv/bin/python bench/compare.py --sizes 10 100 --repeat 3 --no-write

Each build runs ``mkdocs build`` in a child process; kinds are interleaved within each round so
that a busy machine slows all of them alike, and the ratios (not the seconds) are what to compare.
coursegen is built twice per round: without its check cache (``.cache/`` removed, as on a fresh
clone), then with it (as after ``coursegen check`` or an earlier build). Peak memory is the
child's maximum resident set size. ``coursegen check`` is timed from scratch (``--no-cache``) and
with its cache after one module changed. Live reload (``mkdocs serve``, ``coursegen serve``) is
timed from saving one module to its page serving the change (``--reload-edits 0`` skips it).
Results replace the part of bench/RESULTS.md between the ``compare`` markers (unless ``--no-write``).
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from reload import measure_reload  # noqa: E402 - bench scripts run as files
from synthetic import _module, _module_id, write_course  # noqa: E402

RESULTS = Path(__file__).parent / "RESULTS.md"
START, END = "<!-- compare:start -->", "<!-- compare:end -->"
SECTION_SIZE = 50


@dataclass
class Runs:
    """Build times and peak memory of one kind of course at one size."""

    seconds: list[float] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)
    """coursegen: builds without the check cache (a fresh clone); ``seconds`` are with it."""
    peak_mb: list[float] = field(default_factory=list)
    page_bytes: int = 0
    page_gzip: int = 0
    site_bytes: int = 0
    check: tuple[float, float] | None = None
    """``coursegen check`` seconds: from scratch, and cached with one module changed."""
    reload: float | None = None
    """Median seconds from saving one module to the dev server serving the change."""

    def median(self) -> float:
        return statistics.median(self.seconds)

    def memory(self) -> float:
        return max(self.peak_mb)


def _quiz_block(question: dict[str, object]) -> str:
    lines = ["<quiz>", str(question["prompt"])]
    for choice in question["choices"]:  # type: ignore[attr-defined]
        lines.append(f"- [{'x' if choice.get('correct') else ' '}] {choice['text']}")
    lines += ["", str(question["explanation"]), "</quiz>", ""]
    return "\n".join(lines)


def write_mkdocs_quiz(directory: Path, n_modules: int) -> Path:
    """The plain pages' text with each question as an mkdocs-quiz block (its plugin renders them)."""
    config = write_course(directory, n_modules, "plain")
    for number in range(1, n_modules + 1):
        module = _module(number)
        out = [f"# {number}. {module['title']}", "", str(module["summary"]), "", "## What you will learn", ""]
        out += [f"- {o}" for o in module["objectives"]]  # type: ignore[attr-defined]
        out.append("")
        for lesson in module["lessons"]:  # type: ignore[attr-defined]
            out += [f"## {lesson['title']}", "", lesson["body"].replace("## ", "### "), "### Check", ""]
            out += [_quiz_block(q) for q in lesson["checks"]]
        out += ["## Quiz", "", "<!-- mkdocs-quiz intro -->", ""]
        out += [_quiz_block(q) for q in module["quiz"]["questions"]]  # type: ignore[index]
        out += ["<!-- mkdocs-quiz results -->", ""]
        page = directory / "docs" / "modules" / f"{_module_id(number)}.md"
        page.write_text("\n".join(out), encoding="utf-8")
    plugins = "plugins:\n  - search\n"
    text = config.read_text(encoding="utf-8").replace(plugins, plugins + "  - mkdocs_quiz\n")
    config.write_text(text, encoding="utf-8")
    return config


def _write(kind: str, directory: Path, n_modules: int) -> Path:
    if kind == "mkdocs-quiz":
        return write_mkdocs_quiz(directory, n_modules)
    if kind == "coursegen-sections":
        return write_course(directory, n_modules, "coursegen", section_size=SECTION_SIZE)
    return write_course(directory, n_modules, kind)


def child_environment() -> dict[str, str]:
    """The environment of a timed build: as on an author's machine, Python keeps the bytecode of
    what it imports (a sandbox that sets PYTHONDONTWRITEBYTECODE would have coursegen, installed
    editable, compiled from source on every build, while pip compiled every other package)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of a child process; fails loudly if it fails."""
    env = child_environment()
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{error[-3000:]}")
    return seconds, usage.ru_maxrss / 1024


def _sizes(site: Path) -> tuple[int, int, int]:
    page = site / "modules" / "m00001" / "index.html"
    data = page.read_bytes()
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return len(data), len(gzip.compress(data, 6)), total


def _check_times(project: Path) -> tuple[float, float]:
    """``coursegen check`` from scratch, then with its cache after one module changed."""
    coursegen = [sys.executable, "-m", "coursegen", "check"]
    cold, _ = _run([*coursegen, "--no-cache"], project)
    _run(coursegen, project)  # fills the cache
    first = project / "modules" / "m00001.yml"
    first.write_text(first.read_text(encoding="utf-8").replace('"summary": "', '"summary": "Edited. ', 1))
    warm, _ = _run(coursegen, project)
    return cold, warm


def measure(
    sizes: list[int], repeat: int, kinds: list[str], work: Path, reload_edits: int = 3
) -> dict[int, dict[str, Runs]]:
    """Build every kind at every size ``repeat`` times, interleaved; then time ``check`` and the
    dev server's reload after ``reload_edits`` saves (plain and flat coursegen; 0: no reloads)."""
    results: dict[int, dict[str, Runs]] = {}
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"]
    for size in sizes:
        projects = {kind: _write(kind, work / f"{kind}-{size}", size).parent for kind in kinds}
        runs = {kind: Runs() for kind in kinds}
        for round_number in range(repeat):
            order = kinds[round_number % len(kinds) :] + kinds[: round_number % len(kinds)]
            for kind in order:
                if kind.startswith("coursegen"):  # first without the check cache, as on a fresh clone
                    shutil.rmtree(projects[kind] / ".cache", ignore_errors=True)
                    shutil.rmtree(projects[kind] / "site", ignore_errors=True)
                    seconds, peak = _run(mkdocs, projects[kind])
                    runs[kind].cold.append(seconds)
                    runs[kind].peak_mb.append(peak)
                    print(f"{size:>5} {kind:<19} {seconds:7.2f} s {peak:7.0f} MB (no check cache)", flush=True)
                shutil.rmtree(projects[kind] / "site", ignore_errors=True)
                seconds, peak = _run(mkdocs, projects[kind])
                runs[kind].seconds.append(seconds)
                runs[kind].peak_mb.append(peak)
                print(f"{size:>5} {kind:<19} {seconds:7.2f} s {peak:7.0f} MB", flush=True)
        for kind in kinds:
            runs[kind].page_bytes, runs[kind].page_gzip, runs[kind].site_bytes = _sizes(projects[kind] / "site")
        results[size] = runs
        if "coursegen" in kinds:
            cold, warm = _check_times(projects["coursegen"])
            runs["coursegen"].check = (cold, warm)
            print(f"{size:>5} coursegen check      {cold:7.2f} s from scratch, {warm:.2f} s cached", flush=True)
        for kind in ("plain", "coursegen") if reload_edits else ():
            if kind in kinds:
                seconds = measure_reload(projects[kind], kind, edits=reload_edits)
                runs[kind].reload = statistics.median(seconds)
                shown = " ".join(f"{s:.2f}" for s in seconds)
                print(f"{size:>5} {kind:<19} reload {shown} s", flush=True)
    return results


def _paired(times: list[float], plain: list[float]) -> str:
    """Plain's time over this kind's, round by round (each round builds every kind back to back,
    so a machine that slows down during the run slows both): median and range."""
    ratios = sorted(p / t for p, t in zip(plain, times, strict=False) if t)
    if not ratios:
        return "–"
    return f"{statistics.median(ratios):.2f}× ({ratios[0]:.2f}–{ratios[-1]:.2f})"


def _round_ratios(results: dict[int, dict[str, Runs]], kinds: list[str]) -> list[str]:
    """How many times faster than plain each coursegen build was, measured round by round."""
    lines = [
        "",
        "| modules | kind | plain / build, round by round | plain / build without the check cache |",
        "|---|---|---|---|",
    ]
    for size, runs in results.items():
        if "plain" not in runs:
            continue
        for kind in kinds:
            if kind.startswith("coursegen"):
                run, plain = runs[kind], runs["plain"].seconds
                lines.append(f"| {size} | {kind} | {_paired(run.seconds, plain)} | {_paired(run.cold, plain)} |")
    return lines


def table(results: dict[int, dict[str, Runs]], kinds: list[str], repeat: int) -> str:
    """The results as Markdown."""
    plain = "plain"
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} with `bench/compare.py` ({repeat} builds per cell, medians; "
        f"Python {platform.python_version()}, {os.cpu_count()} cores). Ratios are to plain MkDocs + Material "
        "building the same text as hand-written pages.",
        "",
        "| modules | kind | build (median) | / plain | build, no check cache | / plain | peak memory | / plain "
        "| module page (gzip) | site |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for size, runs in results.items():
        base = runs.get(plain)
        for kind in kinds:
            run = runs[kind]
            ratio = f"{run.median() / base.median():.2f}×" if base else "–"
            memory = f"{run.memory() / base.memory():.2f}×" if base else "–"
            cold = statistics.median(run.cold) if run.cold else None
            cold_text = f"{cold:.2f} s" if cold is not None else "–"
            cold_ratio = f"{cold / base.median():.2f}×" if base and cold is not None else "–"
            lines.append(
                f"| {size} | {kind} | {run.median():.2f} s | {ratio} | {cold_text} | {cold_ratio} | "
                f"{run.memory():.0f} MB | {memory} | "
                f"{run.page_bytes / 1024:.0f} KiB ({run.page_gzip / 1024:.1f} KiB) | {run.site_bytes / 2**20:.1f} MiB |"
            )
    lines += _round_ratios(results, kinds)
    checks = [(size, runs["coursegen"].check) for size, runs in results.items() if "coursegen" in runs]
    if checks:
        lines += ["", "| modules | `coursegen check` from scratch | with its cache, one module changed |"]
        lines.append("|---|---|---|")
        lines += [f"| {size} | {times[0]:.2f} s | {times[1]:.2f} s |" for size, times in checks if times]
    reloads = [(size, runs) for size, runs in results.items() if runs.get("coursegen", Runs()).reload is not None]
    if reloads:
        lines += ["", "| modules | live reload, plain MkDocs | coursegen serve | / plain |", "|---|---|---|---|"]
        for size, runs in reloads:
            mine, theirs = runs["coursegen"].reload, runs["plain"].reload if "plain" in runs else None
            ratio = f"{mine / theirs:.2f}×" if mine is not None and theirs else "–"
            plain_text = f"{theirs:.2f} s" if theirs is not None else "–"
            lines.append(f"| {size} | {plain_text} | {mine:.2f} s | {ratio} |")
        lines += [
            "",
            "Live reload is edit to served: save the first module's first lesson, poll its page until the "
            "new text is served (`bench/reload.py`; median of the saves).",
        ]
    return "\n".join(lines) + "\n"


def write_results(text: str) -> None:
    """Replace the part of RESULTS.md between the markers (added at the end the first time)."""
    current = RESULTS.read_text(encoding="utf-8")
    block = f"{START}\n{text}{END}\n"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        current = before + block + after
    else:
        current = current.rstrip("\n") + "\n\n## Side by side with plain MkDocs and mkdocs-quiz\n\n" + block
    RESULTS.write_text(current, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print the table; leave RESULTS.md alone")
    parser.add_argument("--reload-edits", type=int, default=3, help="saves timed per dev server (0: no reload timing)")
    args = parser.parse_args()
    kinds = ["plain", "coursegen", "coursegen-sections"]
    if importlib.util.find_spec("mkdocs_quiz") is not None:
        kinds.insert(1, "mkdocs-quiz")
    else:
        print("mkdocs-quiz is not installed: its column is left out (pip install mkdocs-quiz==1.7.1)")
    with tempfile.TemporaryDirectory(prefix="coursegen-bench-") as work:
        results = measure(args.sizes, args.repeat, kinds, Path(work), args.reload_edits)
    text = table(results, kinds, args.repeat)
    print(text)
    if not args.no_write:
        write_results(text)
        print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
