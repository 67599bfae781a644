"""Hostile text in every plain-text field ends up escaped and inert: in every page, in the search
index, in JSON output, and in a real browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .hostile import PAYLOADS, XSS_FLAG, expected, given_values
from .support import coursegen, errors_of, html_pages, parse_page, read_yaml, serve, write_yaml


def page_texts(site: Path) -> dict[Path, str]:
    return {page: parse_page(page.read_text(encoding="utf-8")).text for page in html_pages(site)}


def test_every_page_is_well_formed_and_inert(hostile_site: Path) -> None:
    pages = html_pages(hostile_site)
    assert len(pages) >= 8
    for page in pages:
        parsed = parse_page(page.read_text(encoding="utf-8"))
        assert not parsed.problems, (page, parsed.problems)
        assert not parsed.handlers, (page, parsed.handlers)
        assert not parsed.unsafe_links, (page, parsed.unsafe_links)
        for attrs, body in parsed.scripts:
            assert XSS_FLAG not in body, (page, attrs, body[:200])


def test_only_the_theme_and_coursegen_run_script(hostile_site: Path) -> None:
    """No <script>, <img>, <svg>, <iframe> or <style> element comes from course text."""
    for page in html_pages(hostile_site):
        source = page.read_text(encoding="utf-8")
        parsed = parse_page(source)
        for attrs, _body in parsed.scripts:
            src = attrs.get("src") or ""
            assert not src or src.endswith((".js",)), (page, attrs)
        for tag in ("<img src=x", '<img src="x"', "<svg onload", "<iframe", "<style>body"):
            assert tag not in source, (page, tag)


def test_every_value_is_shown_as_written(hostile_root: Path, hostile_site: Path) -> None:
    """Nothing is lost: each value appears, as text, on some page (controls and bidi overrides
    removed, white space collapsed)."""
    texts = page_texts(hostile_site)
    everything = "\n".join(texts.values())
    missing = [value for value in given_values(hostile_root) if expected(value) not in everything]
    assert not missing, missing[:5]


def test_module_text_lands_on_the_module_page(hostile_root: Path, hostile_site: Path) -> None:
    module_page = parse_page((hostile_site / "modules" / "welcome" / "index.html").read_text()).text
    facilitator = parse_page((hostile_site / "facilitator" / "index.html").read_text()).text
    module_values = given_values(hostile_root, "module")
    assert len(module_values) > 30
    for value in module_values:
        assert expected(value) in module_page or expected(value) in facilitator, value


def test_bidi_overrides_are_removed_and_other_unicode_kept(hostile_site: Path) -> None:
    everything = "\n".join(page_texts(hostile_site).values())
    assert "\u202e" not in everything and "\u202c" not in everything
    for kept in ("zero\u200bwidth", "👩‍👩‍👧", "e\u0301", "Z\u0337\u0322a", "日本語", "עברית"):
        assert kept in everything, kept
    assert "\x1b" not in everything and "\x07" not in everything


def test_template_syntax_is_not_evaluated(hostile_site: Path) -> None:
    everything = "\n".join(page_texts(hostile_site).values())
    assert "{{ 7*7 }}" in everything
    assert "{% if true %}jinja{% endif %}" in everything


def test_page_titles_are_escaped_once(hostile_site: Path) -> None:
    """<title> and the navigation show the text itself: not markup, not double-escaped."""
    source = (hostile_site / "modules" / "welcome" / "index.html").read_text()
    title = source.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "&amp;lt;" not in title, title


def test_search_index_holds_only_escaped_text(hostile_site: Path) -> None:
    """Material shows search results as HTML: the index must carry no live markup."""
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"]
    for doc in index["docs"]:
        for key in ("title", "text"):
            parsed = parse_page(f"<div>{doc[key]}</div>")
            assert not parsed.handlers, (doc["location"], parsed.handlers)
            assert not parsed.scripts, (doc["location"], parsed.scripts)
            assert "<img" not in doc[key] and "<svg" not in doc[key] and "<script" not in doc[key].lower()


def test_inline_json_config_holds_no_course_text(hostile_site: Path) -> None:
    """The only inline JSON is Material's __config: site settings, never course text."""
    for page in html_pages(hostile_site):
        for attrs, body in parse_page(page.read_text()).scripts:
            if attrs.get("type") == "application/json":
                json.loads(body)
                assert XSS_FLAG not in body and "F1" not in body


def test_list_json_round_trips_hostile_titles(hostile_root: Path) -> None:
    run = coursegen(["list", "--json"], hostile_root)
    assert run.returncode == 0, run.output
    data = json.loads(run.stdout)
    titles = [m["title"] for m in data["modules"]]
    assert any(PAYLOADS[0] in t or "F" in t for t in titles)


def test_no_page_is_harmed_in_a_browser(hostile_site: Path, chromium) -> None:
    """Every page, the quizzes and search: no script of the text runs, no error, no CSP report."""
    context = chromium.new_context()
    context.add_init_script(
        "window.__csp=[];document.addEventListener('securitypolicyviolation',"
        "e=>window.__csp.push(e.violatedDirective+' '+e.blockedURI));"
        "window.alert=window.confirm=window.prompt=()=>{window.__xss='dialog'};"
    )
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve(hostile_site) as base:
        for path in ["", "modules/welcome/", "progress/", "facilitator/", "help/", "contacts/", "glossary/"]:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert page.evaluate(f"window.{XSS_FLAG}") is None, path
            assert page.evaluate("window.__csp") == [], path
        page.goto(base + "modules/welcome/")
        for form in page.locator("form[data-cg-quiz]").all():
            for fieldset in form.locator("fieldset").all():
                fieldset.locator("input").first.check()
            form.locator("button[type=submit]").click()
        page.keyboard.press("/")
        page.keyboard.type("script")
        page.wait_for_timeout(800)
        assert page.evaluate(f"window.{XSS_FLAG}") is None
        assert page.evaluate("window.__csp") == []
    assert errors == []
    context.close()


UNSAFE_URLS = ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "file:///etc/passwd"]
URL_FIELDS = [
    ("welcome.yml", lambda data, url: data["resources"].append({"title": "R", "url": url}), "resources"),
    ("course.yml", lambda data, url: data["help"][0].update(url=url), "help"),
    ("course.yml", lambda data, url: data["help"][0].update(source=url), "help"),
    ("course.yml", lambda data, url: data.update(glossary=[{"term": "T", "definition": "D", "source": url}]), "gl"),
]


@pytest.mark.parametrize("url", UNSAFE_URLS)
@pytest.mark.parametrize(("file", "put", "where"), URL_FIELDS, ids=["resource", "help url", "help source", "glossary"])
def test_unsafe_urls_in_url_fields_are_rejected(course: Path, url: str, file: str, put, where: str) -> None:  # noqa: ANN001
    path = course / "modules" / file
    data = read_yaml(path)
    put(data, url)
    write_yaml(path, data)
    errors = errors_of(course)
    assert len(errors) == 1, errors
    error = errors[0]
    assert error.path == f"modules/{file}" and error.line > 1, error.format()
    assert "links must be https://" in error.message and error.hint, error.format()
