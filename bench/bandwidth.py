"""Benchmark: the bytes a learner downloads, first page and each next page, on a gzip host.

Builds the flagship, serves it from 127.0.0.1 the way a static host does (gzip for text,
``Cache-Control: max-age=600`` and ``Last-Modified`` like GitHub Pages), and walks it in Chromium:
the home page in a fresh profile, then each next page by the footer's "Next" link (Material's
instant navigation). Bytes are Chromium's own count of what came over the network for each
request, counted by the server as the compressed body it sends (headers left out; a ``304 Not
Modified`` counts 0), so the worker's own downloads count too; files served from the browser's
cache or by the worker never reach the server. Run twice: without the offline worker, and
with it (its one-time download of the whole course is the gzip size of every file it keeps).

Run: .venv/bin/python bench/bandwidth.py   — then copy the printed tables into bench/RESULTS.md.
"""

from __future__ import annotations

import email.utils
import gzip
import http.server
import json
import os
import sys
import tempfile
import threading
from io import BytesIO
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from playwright.sync_api import sync_playwright  # noqa: E402

from coursegen.offline import precache_files  # noqa: E402
from coursegen.sitebuild import build_site  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.browser.support import LAUNCH_ARGS  # noqa: E402

TEXT = (".html", ".js", ".css", ".json", ".xml", ".svg", ".txt")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """A static host: gzip for text (level 6, as nginx and most hosts), ten minutes of caching,
    ``304 Not Modified`` for an unchanged file. Counts the body bytes it sends per request."""

    def __init__(self, request, client_address, server) -> None:  # noqa: ANN001
        super().__init__(request, client_address, server, directory=str(server.root))

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):  # type: ignore[no-untyped-def]  # noqa: ANN201
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        mtime = int(path.stat().st_mtime)
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if email.utils.parsedate_to_datetime(since).timestamp() >= mtime:
                    self.send_response(304)
                    self.end_headers()
                    self.server.sent.append((self.path, 0))  # type: ignore[attr-defined]
                    return None
            except (TypeError, ValueError):
                pass
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if path.name.endswith(TEXT) and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(mtime))
        self.end_headers()
        self.server.sent.append((self.path, len(body)))  # type: ignore[attr-defined]
        return BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class Host(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sent: list[tuple[str, int]] = []
        super().__init__(("127.0.0.1", 0), GzipHandler)
        self.url = f"http://127.0.0.1:{self.server_port}"

    def take(self) -> list[tuple[str, int]]:
        """What was sent since the last call: (path, body bytes); 0 for 304 Not Modified."""
        taken, self.sent = self.sent, []
        return taken


def walk(browser, host: Host, *, worker: bool) -> list[tuple[str, list[tuple[str, int]]]]:  # noqa: ANN001
    """Home page in a fresh profile, then every next page by the footer link."""
    context = browser.new_context(service_workers="allow" if worker else "block")
    page = context.new_page()
    host.take()
    steps = []
    page.goto(host.url + "/", wait_until="networkidle")
    if worker:
        page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=60_000)
        page.wait_for_load_state("networkidle")
    steps.append((page.url.removeprefix(host.url), host.take()))
    while True:
        following = page.locator("a.md-footer__link--next")
        if not following.count():
            break
        target = following.evaluate("a => a.href")
        following.click()
        page.wait_for_url(target, wait_until="commit")
        # Instant navigation changes the address before it swaps the content: wait for the new
        # page's own "Next" link (or none, on the last page).
        page.wait_for_function("t => (document.querySelector('a.md-footer__link--next') || {}).href !== t", arg=target)
        page.wait_for_load_state("networkidle")
        steps.append((page.url.removeprefix(host.url), host.take()))
    context.close()
    return steps


def kib(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def table(title: str, steps: list[tuple[str, list[tuple[str, int]]]]) -> None:
    print(f"\n{title}\n\n| page | downloaded (gzip bodies) | requests (of them 304) |\n|---|---|---|")
    for url, got in steps:
        not_modified = sum(1 for _, n in got if n == 0)
        print(f"| `{url}` | {kib(sum(n for _, n in got))} | {len(got)} ({not_modified}) |")
    print("\nFirst page, by file:\n")
    for path, n in sorted(steps[0][1], key=lambda item: -item[1]):
        print(f"- `{path}`: {kib(n)}")


def search_index_sizes(site: Path) -> str:
    data = (site / "search" / "search_index.json").read_bytes()
    docs = json.loads(data)["docs"]
    return f"{kib(len(data))} ({kib(len(gzip.compress(data, 6)))} gzip), {len(docs)} entries"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        host = Host(site)
        # Material's instant navigation follows only links of the sitemap, so site_url is the host.
        os.environ["SITE_URL"] = host.url + "/"
        build_site(ROOT / "mkdocs.yml", site)
        threading.Thread(target=host.serve_forever, daemon=True).start()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
            plain = walk(browser, host, worker=False)
            offline = walk(browser, host, worker=True)
            browser.close()
        host.shutdown()
        kept = precache_files(site)
        kept_gzip = sum(
            len(gzip.compress((site / f).read_bytes(), 6)) if f.endswith(TEXT) else (site / f).stat().st_size
            for f in kept
        )
        kept_raw = sum((site / f).stat().st_size for f in kept)
        print(f"search/search_index.json: {search_index_sizes(site)}")
        print(f"offline worker keeps {len(kept)} files: {kib(kept_raw)} on disk, {kib(kept_gzip)} gzip")
        table("Without the offline worker", plain)
        table("With the offline worker (the first page includes the worker keeping the whole course)", offline)


if __name__ == "__main__":
    main()
