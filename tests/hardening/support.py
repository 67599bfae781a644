"""Helpers of the hardening suite: courses to break, builds, HTML checks and a local server.

Kept apart from the other suites on purpose: these tests build hostile courses and must not
depend on helpers that change with the product's features.
"""

from __future__ import annotations

import html
import http.server
import os
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import yaml

from coursegen.errors import CourseError, CourseInvalid
from coursegen.htmlsafety import link_problem
from coursegen.loader import load_course
from coursegen.scaffold import init_project
from coursegen.sitebuild import build_site

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
MEMORY_LIMIT = 512 << 20  # 512 MiB of address space for a `coursegen` run on a hostile file

# --- courses -------------------------------------------------------------------------------------


def new_course(root: Path, title: str = "Hardening Course") -> Path:
    """A valid course, as `coursegen init` makes it."""
    init_project(root, title)
    return root


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: object) -> None:
    """YAML as an author might write it; PyYAML escapes what YAML cannot hold raw."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")


def errors_of(root: Path) -> list[CourseError]:
    """The errors loading the course reports; fails if it loads."""
    try:
        load_course(root / "modules", root)
    except CourseInvalid as exc:
        assert exc.errors
        return exc.errors
    raise AssertionError("the course loaded, but errors were expected")


def build(root: Path, site: Path | None = None) -> Path:
    """Build the course the way `coursegen build` does (atomically); return the site folder."""
    site = site or root / "site"
    build_site(root / "mkdocs.yml", site, strict=True)
    return site


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def coursegen(args: list[str], cwd: Path, *, timeout: float = 60) -> Run:
    """Run the CLI in a child process limited to 512 MiB of memory (more is a crash) and in time."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.monotonic()
    proc = subprocess.Popen(
        [PYTHON, "-m", "coursegen", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_limit_memory,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise AssertionError(f"coursegen {' '.join(args)} did not finish in {timeout} s") from None
    return Run(proc.returncode, out.decode(), err.decode(), time.monotonic() - start)


# --- HTML ----------------------------------------------------------------------------------------

VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])
# The theme writes these without end tags, as HTML allows.
OPTIONAL_END = frozenset(["p", "li", "dt", "dd", "option", "tr", "td", "th", "thead", "tbody", "tfoot", "colgroup"])


@dataclass
class Parsed:
    """What a page holds, as a browser would build it (roughly)."""

    problems: list[str] = field(default_factory=list)
    scripts: list[tuple[dict[str, str | None], str]] = field(default_factory=list)
    handlers: list[str] = field(default_factory=list)
    unsafe_links: list[str] = field(default_factory=list)
    links: list[dict[str, str | None]] = field(default_factory=list)
    text: str = ""
    metas: list[dict[str, str | None]] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []
        self.result = Parsed()
        self.chunks: list[str] = []
        self.in_script: dict[str, str | None] | None = None

    def parse_html_declaration(self, i: int) -> int:
        # As HTML5 parsers do (html.parser raises instead): `<![…` outside SVG is a bogus comment.
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.result.handlers.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction") and value is not None and link_problem(value):
                self.result.unsafe_links.append(f"<{tag} {name}={value!r}>")
            if value:
                self.result.attributes.append(value)
        if tag == "a":
            self.result.links.append(a)
        if tag == "meta":
            self.result.metas.append(a)
        if tag == "script":
            self.in_script = a
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack and self.stack[-1][0] != tag and self.stack[-1][0] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1][0] != tag:
            open_tag = self.stack[-1] if self.stack else None
            self.result.problems.append(f"</{tag}> at {self.getpos()} closes {open_tag}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.in_script is not None:
            self.result.scripts.append((self.in_script, data))
            self.in_script = None
            return
        self.chunks.append(data)

    def close(self) -> None:
        super().close()
        remaining = [t for t in self.stack if t[0] not in OPTIONAL_END]
        if remaining:
            self.result.problems.append(f"never closed: {remaining[-5:]}")
        self.result.text = " ".join(" ".join(self.chunks).split())


def parse_page(page_html: str) -> Parsed:
    checker = _Checker()
    checker.feed(page_html)
    checker.close()
    return checker.result


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def unescaped(text: str) -> str:
    return html.unescape(text)


# --- serving -------------------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1; yield the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
