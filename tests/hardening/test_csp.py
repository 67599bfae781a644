"""The Content-Security-Policy meta tag: present on every page, strict (no inline script but
the theme's own, by hash), and one the site lives with: no violation in Chromium on the home
page, a module with its quizzes, search, the progress page and after instant navigation."""

from __future__ import annotations

import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment

from coursegen.htmlsafety import content_security_policy, script_hash
from coursegen.sitebuild import build_site

from .support import PYTHON, REPO, html_pages, new_course, parse_page, serve

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
LISTEN = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation', e => window.__csp.push("
    "e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));"
)


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagship course (palette, instant navigation, tooltips), built as it ships."""
    site = tmp_path_factory.mktemp("flagship") / "site"
    build_site(REPO / "mkdocs.yml", site, strict=True)
    return site


def policy_of(page_html: str) -> dict[str, list[str]]:
    found = CSP_META.findall(page_html)
    assert len(found) == 1, "exactly one CSP meta tag"
    directives = {}
    for part in found[0].replace("&#39;", "'").split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_every_page_has_the_policy_in_its_head(flagship: Path) -> None:
    pages = html_pages(flagship)
    assert len(pages) > 8
    for page in pages:
        source = page.read_text(encoding="utf-8")
        head = source.split("</head>", 1)[0]
        assert CSP_META.search(head), page
        policy = policy_of(source)
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
        assert "'unsafe-inline'" not in policy["style-src"]
        assert all(source.startswith(("'self'", "'sha256-")) for source in policy["script-src"])


def test_every_inline_script_after_the_policy_is_hashed(flagship: Path) -> None:
    """Scripts parsed before the meta tag are not governed by it (Material's first script, which
    holds the page's base URL); every one after it must be allowed by hash."""
    for page in html_pages(flagship):
        source = page.read_text(encoding="utf-8")
        allowed = set(policy_of(source)["script-src"])
        after = source.split(CSP_META.search(source).group(0), 1)[1]
        for attrs, body in parse_page(after).scripts:
            if attrs.get("src") or attrs.get("type") == "application/json":
                continue
            assert script_hash(body) in allowed, (page, body[:80])


def test_hashes_follow_the_installed_theme() -> None:
    env = Environment(
        loader=DictLoader(
            {
                "partials/a.html": "<script>one()</script>{% if x %}<script>two()</script>{% endif %}",
                "partials/b.html": '<script>var u="{{ base_url }}"</script>',
                ".icons/x.html": "<script>ignored()</script>",
            }
        )
    )
    policy = content_security_policy(env)
    assert script_hash("one()") in policy and script_hash("two()") in policy
    assert script_hash("ignored()") not in policy
    assert "base_url" not in policy
    assert script_hash("one()") not in content_security_policy(env, live_reload=True)
    assert "'unsafe-inline'" in content_security_policy(env, live_reload=True)


def test_a_site_may_replace_or_drop_the_policy(tmp_path: Path) -> None:
    root = new_course(tmp_path / "course")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text() + "extra:\n  coursegen_csp: \"default-src 'none'\"\n")
    build_site(config, root / "site")
    assert policy_of((root / "site" / "index.html").read_text()) == {"default-src": ["'none'"]}
    config.write_text(config.read_text().replace("coursegen_csp: \"default-src 'none'\"", 'coursegen_csp: ""'))
    build_site(config, root / "site")
    assert not CSP_META.search((root / "site" / "index.html").read_text())


def violations(page) -> list[str]:  # noqa: ANN001
    return page.evaluate("window.__csp")


def test_material_lives_with_the_policy(flagship: Path, chromium) -> None:  # noqa: ANN001
    context = chromium.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    with serve(flagship) as base:
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert violations(page) == []
        # A module, by instant navigation, and its quiz.
        page.locator("article a[href*='modules/']").first.click()
        page.wait_for_function("() => document.querySelector('form[data-cg-quiz][data-cg-ready]')")
        assert "/modules/" in page.url
        form = page.locator("form[data-kind='quiz']").first
        for fieldset in form.locator("fieldset").all():
            fieldset.locator("input").first.check()
        form.locator("button[type=submit]").click()
        form.locator("details.cg-answer summary").first.click()  # answers show once checked
        assert violations(page) == []
        # Search (a web worker and a fetch of the index).
        page.keyboard.press("/")
        page.keyboard.type("hotel")
        page.wait_for_selector(".md-search-result__item")
        assert violations(page) == []
        # Progress page, scrolling, the palette toggle if there is one.
        page.goto(base + "progress/")
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 3000)
        toggle = page.locator("form[data-md-component='palette'] label:visible")
        if toggle.count():
            toggle.first.click()
        page.goto(base + "no-such-page/")
        assert violations(page) == []
    assert console == []
    context.close()


def test_the_policy_is_enforced(flagship: Path, chromium) -> None:  # noqa: ANN001
    """A script injected into the page (as an XSS would be) is blocked and reported."""
    context = chromium.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    with serve(flagship) as base:
        page.goto(base)
        page.wait_for_load_state("networkidle")
        page.evaluate(
            "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
            " document.body.appendChild(s);"
            " const d = document.createElement('div'); d.innerHTML = '<img src=x onerror=\"window.__ran=2\">';"
            " document.body.appendChild(d); }"
        )
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in violations(page)), violations(page)
    context.close()


def test_the_site_works_from_file_urls(flagship: Path, chromium) -> None:  # noqa: ANN001
    context = chromium.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    for path in ("index.html", "progress/index.html", "help/index.html"):
        page.goto((flagship / path).as_uri())
        page.wait_for_load_state("load")
        page.wait_for_function("() => window.coursegenQuiz !== undefined")
        assert violations(page) == [], path
    context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_live_reload_still_works_under_coursegen_serve(tmp_path: Path, chromium) -> None:  # noqa: ANN001
    root = new_course(tmp_path / "course")
    port = free_port()
    proc = subprocess.Popen(
        [PYTHON, "-m", "coursegen", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                source = urllib.request.urlopen(url, timeout=1).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("coursegen serve did not start")
        assert "'unsafe-inline'" in policy_of(source)["script-src"]
        context = chromium.new_context()
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_function("() => typeof window.livereload === 'function'")
        assert violations(page) == []
        context.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
