"""Interrupted, concurrent and impossible builds never leave a half-written site/ and never lose
files: SIGKILL at random moments, builds started together, unwritable or full disks, and site
folders that would overwrite the course."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from coursegen.sitebuild import MANIFEST, SiteBuildError, _sweep_leftovers, _work_name, build_site

from .support import PYTHON, build, coursegen

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def assert_complete(site: Path, reference: set[str]) -> str:
    """The site is one whole build: the old one (with its marker) or a new one. Returns which."""
    assert site.is_dir(), "site/ is missing"
    found = files_of(site)
    if "old-marker.txt" in found:
        assert found - {"old-marker.txt"} == reference, "the old site was changed"
        return "old"
    assert found == reference, f"half-written site: missing {sorted(reference - found)[:5]}"
    for page in site.rglob("*.html"):
        assert page.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"truncated {page}"
    return "new"


def mark_old(site: Path) -> None:
    """Mark the site as the previous build's: a file that build wrote (in its manifest), so the
    next build may replace it (a file no build wrote would make it refuse: test_round_two.py)."""
    (site / "old-marker.txt").write_text("the previous build")
    manifest = json.loads((site / MANIFEST).read_text())
    manifest["files"].append("old-marker.txt")
    (site / MANIFEST).write_text(json.dumps(manifest))


def work_folders(parent: Path, name: str) -> list[Path]:
    """Working folders of builds of ``name`` left in ``parent``."""
    return [p for p in parent.glob(f".{name}.coursegen-*") if p.is_dir()]


def start_build(course: Path, *extra: str, preexec=None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PYTHON, "-m", "coursegen", "build", *extra],
        cwd=course,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
        preexec_fn=preexec,
    )


def test_sigkill_at_random_moments_never_leaves_a_half_written_site(course: Path) -> None:
    site = build(course)
    reference = files_of(site)
    mark_old(site)
    started = time.monotonic()
    assert coursegen(["build"], course).returncode == 0
    duration = time.monotonic() - started
    mark_old(site)  # the build above replaced the site

    rng = random.Random(20240613)
    outcomes = []
    for trial in range(8):
        proc = start_build(course)
        time.sleep(rng.uniform(0.05, duration) if trial else duration * 0.9)
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        outcomes.append(assert_complete(site, reference))
        if outcomes[-1] == "new":
            mark_old(site)
    # Leftovers of killed builds are swept by the next build, which completes.
    assert coursegen(["build"], course).returncode == 0
    assert assert_complete(site, reference) == "new"
    assert not work_folders(course, "site"), work_folders(course, "site")


def test_a_build_killed_between_the_two_renames_is_repaired(course: Path) -> None:
    """Where the swap is two renames (not Linux), a kill between them leaves the old site in
    .site.coursegen-old-*: the next build puts it back before anything else."""
    site = build(course)
    reference = files_of(site)
    kept = course / _work_name(site, "old")
    kept.mkdir()
    site.rename(kept / "site")
    _sweep_leftovers(site)
    assert files_of(site) == reference and not kept.exists()


def test_builds_started_together_do_not_corrupt_each_other(course: Path, tmp_path: Path) -> None:
    """Three builds of two projects start at once into one folder, twice: every build succeeds
    and the site is always exactly one of them."""
    other = tmp_path / "other"
    shutil.copytree(course, other)
    course_yml = other / "modules" / "course.yml"
    course_yml.write_text(course_yml.read_text().replace("title: ", "title: Other ", 1))
    site = tmp_path / "shared-site"
    for _ in range(2):
        procs = [start_build(root, "-d", str(site)) for root in (course, other, course)]
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
        home = (site / "index.html").read_text()
        is_other = "Other Hardening Course" in home
        for page in site.rglob("*.html"):
            assert ("Other Hardening Course" in page.read_text()) == is_other, page
    assert not work_folders(tmp_path, "shared-site")


def test_an_unwritable_site_folder_gives_a_clear_error(course: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/sys/kernel/coursegen-site")  # not writable, even for root
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        target = locked / "site"
    run = coursegen(["build", "-d", str(target)], course)
    assert run.returncode == 1
    assert "Traceback" not in run.output
    assert f"cannot write the site to {target}" in run.stderr, run.stderr


def test_a_full_disk_keeps_the_previous_site(course: Path) -> None:
    """Writes fail part-way (a file-size limit stands in for a full disk): clear error, old site."""
    site = build(course)
    reference = files_of(site)
    mark_old(site)

    def small_files() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = start_build(course, preexec=small_files)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 1, (out, err)
    assert b"Traceback" not in err and b"cannot write the site" in err, err.decode()
    assert assert_complete(site, reference) == "old"
    assert not work_folders(course, "site")


@pytest.mark.parametrize("target", [".", "docs", "modules", "..", "docs/site", "modules/site"])
def test_a_site_folder_that_would_replace_the_course_is_refused(course: Path, target: str) -> None:
    """`coursegen build -d .` used to swap the whole project out and delete it."""
    before = {p.relative_to(course.parent) for p in course.parent.rglob("*")}
    with pytest.raises(SiteBuildError):
        build_site(course / "mkdocs.yml", course / target)
    assert (course / "modules" / "welcome.yml").is_file() and (course / "mkdocs.yml").is_file()
    after = {p.relative_to(course.parent) for p in course.parent.rglob("*")}
    assert after == before, sorted(after ^ before)[:5]


def test_the_cli_refuses_to_build_over_the_project(course: Path) -> None:
    run = coursegen(["build", "-d", "."], course)
    assert run.returncode == 1 and "Traceback" not in run.output, run.output
    assert (course / "modules" / "welcome.yml").is_file()


def test_a_folder_that_is_not_a_site_is_not_replaced(course: Path, tmp_path: Path) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.docx").write_text("years of work")
    run = coursegen(["build", "-d", str(documents)], course)
    assert run.returncode == 1 and "no coursegen build wrote (thesis.docx)" in run.stderr, run.output
    assert (documents / "thesis.docx").read_text() == "years of work"
    with pytest.raises(SiteBuildError):
        build_site(course / "mkdocs.yml", documents)


def test_an_empty_folder_and_an_old_site_are_fine_targets(course: Path, tmp_path: Path) -> None:
    empty = tmp_path / "public"
    empty.mkdir()
    assert coursegen(["build", "-d", str(empty)], course).returncode == 0
    assert coursegen(["build", "-d", str(empty)], course).returncode == 0
    assert (empty / "index.html").is_file()


def test_the_site_folder_is_readable_by_a_web_server(course: Path) -> None:
    """The build folder comes from mkdtemp (mode 0700); the swapped-in site must not stay private."""
    old = os.umask(0o022)
    try:
        site = build(course)
    finally:
        os.umask(old)
    assert site.stat().st_mode & 0o777 == 0o755
    assert all(p.stat().st_mode & 0o005 == 0o005 for p in site.rglob("*") if p.is_dir())
