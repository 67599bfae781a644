"""The course map: one script per build (assets/coursegen/course-map-<language>.js) that path.js
reads for learning paths, lesson progress, Continue links and the footer along a path, instead of
a hidden list of every lesson on every page, which made builds quadratic in the course (#16)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import html5lib
import pytest
import yaml
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.structure.files import File

from coursegen.cli import cli
from coursegen.coursemap import course_map_script, map_script_name, page_url
from coursegen.loader import load_course
from coursegen.model import LoadedCourse
from coursegen.offline import precache_files
from coursegen.render import progress_key, storage_key

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Route

REPO = Path(__file__).resolve().parents[1]
MAP = "assets/coursegen/course-map-en.js"


def synthetic() -> ModuleType:
    """bench/synthetic.py: courses of any size (bench is not a package)."""
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_course(folder: Path, modules: int, *, directory_urls: bool = True) -> tuple[Path, LoadedCourse]:
    """A synthetic course of ``modules`` modules, built by MkDocs with the plugin: its site folder
    and the course as loaded."""
    config_file = synthetic().write_course(folder, modules, "coursegen")
    if not directory_urls:
        with config_file.open("a", encoding="utf-8") as mkdocs_yml:
            mkdocs_yml.write("use_directory_urls: false\n")
    site = folder / "site"
    build(load_config(str(config_file), site_dir=str(site)))
    return site, load_course(folder / "modules", folder)


def map_data(script: str) -> dict:
    """The map's data: the JSON the generated script assigns (one line, ``var map = …;``)."""
    line = next(line for line in script.splitlines() if line.strip().startswith("var map = "))
    return json.loads(line.strip().removeprefix("var map = ").removesuffix(";"))


def page_file(site: Path, url: str) -> Path:
    """The built file a site-root-relative URL serves."""
    return site / (url + "index.html" if url.endswith("/") else url)


def ids_in(path: Path) -> set[str]:
    tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return {node.get("id") for node in tree.iter() if node.get("id")}


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_the_map_lists_every_module_and_lesson_at_its_page(tmp_path: Path, directory_urls: bool) -> None:
    site, loaded = build_course(tmp_path / "course", 3, directory_urls=directory_urls)
    data = map_data((site / MAP).read_text(encoding="utf-8"))
    assert [m["id"] for m in data["modules"]] == [m.id for m in loaded.modules]
    for number, (entry, module) in enumerate(zip(data["modules"], loaded.modules, strict=True), start=1):
        expected = f"modules/{module.id}/" if directory_urls else f"modules/{module.id}.html"
        assert entry["url"] == expected
        assert entry["title"] == f"{number}. {module.title}"
        assert entry["audiences"] == list(module.audiences)
        assert entry["progress"] == progress_key(loaded, module)
        assert entry["quiz"]["key"] == storage_key(loaded, module)
        assert [lesson["hash"] for lesson in entry["lessons"]] == [lesson.content_hash() for lesson in module.lessons]
        assert [lesson["title"] for lesson in entry["lessons"]] == [lesson.title for lesson in module.lessons]
        # Every anchor is on the module's built page.
        ids = ids_in(page_file(site, entry["url"]))
        assert {lesson["anchor"].removeprefix("#") for lesson in entry["lessons"]} <= ids
        assert entry["quiz"]["anchor"].removeprefix("#") in ids
    assert data["home"] == {"title": "Home", "url": "./" if directory_urls else "index.html"}
    assert data["progress"]["title"] == "Your progress"
    assert page_file(site, data["progress"]["url"]).is_file() and page_file(site, data["home"]["url"]).is_file()
    # Listed once, before path.js, which reads it; and kept by the offline worker.
    html = page_file(site, data["modules"][0]["url"]).read_text(encoding="utf-8")
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    scripts = [node.get("src") for node in tree.iter("script") if node.get("src")]
    names = [src.rsplit("/", 1)[-1] for src in scripts]
    assert names.count("course-map-en.js") == 1 and names.index("course-map-en.js") < names.index("path.js")
    assert MAP in precache_files(site)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_page_url_is_mkdocs_rule(directory_urls: bool) -> None:
    """What `render --out` lists for other engines: the URL MkDocs gives each page."""
    for path in ("index.md", "progress.md", "modules/intro.md", "guide/index.md"):
        expected = File(path, src_dir=None, dest_dir="", use_directory_urls=directory_urls).url
        assert page_url(path, directory_urls) == expected, path


def content_links(page: Path) -> list[str]:
    """The links in a page's article (not Material's navigation around it)."""
    tree = html5lib.parse(page.read_bytes(), namespaceHTMLElements=False)
    article = next(node for node in tree.iter("article"))
    return [a.get("href") for a in article.iter("a") if a.get("href")]


def test_a_module_page_does_not_grow_with_the_course(tmp_path: Path) -> None:
    """A module page of a 50-module course carries no other module's lessons: its content is the
    same as in a 2-module course; only Material's navigation grows."""
    small, _ = build_course(tmp_path / "small", 2)
    large, loaded = build_course(tmp_path / "large", 50)
    first = f"modules/{loaded.modules[0].id}/index.html"
    links = content_links(large / first)
    others = [m.id for m in loaded.modules[1:]]
    assert not [href for href in links if "#cg-lesson-" in href and any(f"/{m}/" in href for m in others)]
    assert len(links) == len(content_links(small / first))
    # The whole page grows by Material's navigation only (about 0.3 kB per module; the map in the
    # page added about 0.9 kB per module).
    growth = (large / first).stat().st_size - (small / first).stat().st_size
    assert growth < 48 * 500, f"the page grew by {growth} bytes for 48 more modules"


HOSTILE = 'Bad </script><script>window.pwned=1</script> "quoted" \\ back\u2028line\u2029para & <b>'


def test_a_hostile_title_stays_text(tmp_path: Path, browser: Browser) -> None:
    """Titles that could end a script or inject code are data in the map: the browser reads them
    back exactly, runs nothing, and the site root comes from the script's own address."""
    loaded = load_course(REPO / "modules", REPO)
    module = loaded.modules[0].model_copy(update={"title": HOSTILE})
    lessons = [module.lessons[0].model_copy(update={"title": HOSTILE + " lesson"}), *module.lessons[1:]]
    module = module.model_copy(update={"lessons": lessons})
    hostile = LoadedCourse(course=loaded.course, modules=[module, *loaded.modules[1:]])
    script = course_map_script(hostile, url=lambda path: page_url(path, True))
    assert script.isascii() and "<" not in script and "\u2028" not in script
    shown = " ".join(HOSTILE.split())  # as on the page: white space collapsed (U+2028 is white space)

    page = browser.new_page()
    try:
        files = {
            "/course/modules/deep/": b'<!doctype html><title>t</title><script src="../../assets/coursegen/'
            + map_script_name("en").encode()
            + b'"></script>',
            "/course/assets/coursegen/" + map_script_name("en"): script.encode(),
        }

        def serve(route: Route) -> None:
            path = route.request.url.removeprefix("http://coursemap.test")
            body = files.get(path)
            kind = "text/html" if path.endswith("/") else "text/javascript"
            route.fulfill(status=200 if body else 404, body=body or b"", content_type=kind)

        page.route("http://coursemap.test/**", serve)
        page.goto("http://coursemap.test/course/modules/deep/")
        data = page.evaluate("window.coursegenCourseMap")
        assert page.evaluate("window.pwned") is None
        assert data["root"] == "http://coursemap.test/course/"
        assert data["modules"][0]["title"] == f"1. {shown}"
        assert data["modules"][0]["lessons"][0]["title"] == f"{shown} lesson"
    finally:
        page.close()


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_render_out_writes_the_map_with_the_engines_urls(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool
) -> None:
    """`coursegen render --out` writes the map and lists it before path.js; its URLs are the pages
    a plain MkDocs build of the rendered project writes, with either URL style."""
    if not directory_urls:
        with (course / "mkdocs.yml").open("a", encoding="utf-8") as mkdocs_yml:
            mkdocs_yml.write("use_directory_urls: false\n")
    monkeypatch.chdir(course)
    out = tmp_path / "rendered"
    result = CliRunner().invoke(cli, ["render", "--out", str(out)])
    assert result.exit_code == 0, result.output
    scripts = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))["extra_javascript"]
    assert scripts.index(MAP) == scripts.index("assets/coursegen/path.js") - 1
    build(load_config(str(out / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    site = tmp_path / "site"
    data = map_data((site / MAP).read_text(encoding="utf-8"))
    loaded = load_course(course / "modules", course)
    assert [m["id"] for m in data["modules"]] == [m.id for m in loaded.modules]
    for entry in data["modules"]:
        assert entry["url"] == (f"modules/{entry['id']}/" if directory_urls else f"modules/{entry['id']}.html")
        ids = ids_in(page_file(site, entry["url"]))
        assert {lesson["anchor"].removeprefix("#") for lesson in entry["lessons"]} <= ids
    assert page_file(site, data["home"]["url"]).is_file() and page_file(site, data["progress"]["url"]).is_file()
