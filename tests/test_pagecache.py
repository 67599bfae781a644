"""A rebuild reads unchanged module pages back from .cache/coursegen/pages/ instead of rendering
them again: the same site, with only the pages whose inputs changed rendered anew."""

from __future__ import annotations

import secrets
import zlib
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MINIMAL_MODULE, write_module
from coursegen import render
from coursegen.loader import load_course
from coursegen.mdext import block_start
from coursegen.model import LoadedCourse
from coursegen.pagecache import PAGE_CACHE_FOLDER, PageCache
from coursegen.render import ModuleInputs, Renderer
from test_build import tree_digest

REQUIRES_WELCOME = MINIMAL_MODULE + "requires: [welcome]\n"


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The module ids whose pages were rendered (not read back) since the test began."""
    seen: list[str] = []
    original = Renderer._module_page

    def counting(self: Renderer, path: str, inputs: ModuleInputs) -> render.Page:
        seen.append(inputs.module.id)
        return original(self, path, inputs)

    monkeypatch.setattr(Renderer, "_module_page", counting)
    return seen


def loaded_course(root: Path) -> LoadedCourse:
    return load_course(root / "modules", root)


def module_page(loaded: LoadedCourse, module_id: str, key: str, stored: PageCache | None, language: str = "en") -> str:
    """A module page's Markdown, rendered with the block key ``key``."""
    renderer = Renderer(loaded, language, block_key=key, stored=stored)
    return renderer.render(f"modules/{module_id}.md").content


def cache_of(root: Path, loaded: LoadedCourse, language: str = "en") -> PageCache:
    return PageCache(root / PAGE_CACHE_FOLDER, loaded.course, language)


def test_a_rebuild_renders_no_unchanged_page_and_writes_the_same_site(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_module(course, "second", REQUIRES_WELCOME.format(mid="second"))
    config = course / "mkdocs.yml"
    build(load_config(str(config), strict=True, site_dir=str(tmp_path / "first")))
    assert sorted(rendered) == ["second", "welcome"]
    assert len(list((course / PAGE_CACHE_FOLDER / "en").glob("*/*.md.z"))) == 2

    rendered.clear()
    build(load_config(str(config), strict=True, site_dir=str(tmp_path / "again")))
    assert rendered == [], "nothing changed: every module page is read back"

    uncached = course / "uncached.yml"
    text = config.read_text(encoding="utf-8")
    assert "      modules_dir: modules\n" in text, "the scaffold's plugin options moved"
    uncached.write_text(text.replace("modules_dir: modules\n", "modules_dir: modules\n      check_cache: false\n"))
    build(load_config(str(uncached), strict=True, site_dir=str(tmp_path / "uncached")))
    assert sorted(rendered) == ["second", "welcome"], "check_cache: false renders every page"
    assert tree_digest(tmp_path / "again") == tree_digest(tmp_path / "first") == tree_digest(tmp_path / "uncached")


def test_a_page_read_back_carries_this_builds_key_only(course: Path, rendered: list[str]) -> None:
    loaded = loaded_course(course)
    first_key, later_key = secrets.token_hex(16), secrets.token_hex(16)
    module_page(loaded, "welcome", first_key, cache_of(course, loaded))
    back = module_page(loaded, "welcome", later_key, cache_of(course, loaded))
    assert rendered == ["welcome"], "the second render read the page back"
    assert back == module_page(loaded, "welcome", later_key, None)
    assert block_start(later_key) in back and first_key not in back


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("welcome.yml", "title: Welcome", "title: Welcome back"),  # the module itself
        ("second.yml", "title: Module second", "title: The second one"),  # a module it requires
        ("course.yml", 'title: "Test Course"', 'title: "Another Course"'),  # the course's settings
        ("course.yml", "  - welcome\n  - second\n", "  - second\n  - welcome\n"),  # its number
    ],
)
def test_a_page_whose_inputs_changed_is_rendered_again(
    course: Path, rendered: list[str], file: str, old: str, new: str
) -> None:
    write_module(course, "second", MINIMAL_MODULE.format(mid="second"))
    welcome = course / "modules" / "welcome.yml"
    welcome.write_text(welcome.read_text(encoding="utf-8").replace("audiences:", "requires: [second]\naudiences:", 1))
    key = secrets.token_hex(16)
    module_page(loaded_course(course), "welcome", key, cache_of(course, loaded_course(course)))
    changed = course / "modules" / file
    text = changed.read_text(encoding="utf-8")
    assert old in text, f"{file} no longer has {old!r}"
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    loaded = loaded_course(course)
    rendered.clear()
    page = module_page(loaded, "welcome", key, cache_of(course, loaded))
    assert rendered == ["welcome"]
    assert page == module_page(loaded, "welcome", key, None)


def test_each_language_has_its_own_pages(course: Path, rendered: list[str]) -> None:
    loaded = loaded_course(course)
    key = secrets.token_hex(16)
    english = module_page(loaded, "welcome", key, cache_of(course, loaded, "en"), "en")
    spanish = module_page(loaded, "welcome", key, cache_of(course, loaded, "es"), "es")
    assert rendered == ["welcome", "welcome"]
    assert spanish != english and spanish == module_page(loaded, "welcome", key, None, "es")
    assert (course / PAGE_CACHE_FOLDER / "es").is_dir() and (course / PAGE_CACHE_FOLDER / "en").is_dir()


@pytest.mark.parametrize(
    "entry",
    [b"not compressed at all", zlib.compress(b"<script>alert(1)</script>\n# Welcome")],
    ids=["damaged", "foreign"],
)
def test_a_damaged_or_foreign_entry_is_rendered_over(course: Path, rendered: list[str], entry: bytes) -> None:
    loaded = loaded_course(course)
    key = secrets.token_hex(16)
    expected = module_page(loaded, "welcome", key, cache_of(course, loaded))
    (stored,) = (course / PAGE_CACHE_FOLDER / "en").glob("*/*.md.z")
    stored.write_bytes(entry)
    rendered.clear()
    assert module_page(loaded, "welcome", key, cache_of(course, loaded)) == expected
    assert rendered == ["welcome"]


def test_a_build_removes_pages_it_no_longer_uses(course: Path, tmp_path: Path) -> None:
    folder = course / PAGE_CACHE_FOLDER / "en" / "zz"  # not a hex prefix: never a real entry's folder
    folder.mkdir(parents=True)
    for n in range(150):  # pages of modules since edited or removed
        (folder / f"zz{n:062x}.md.z").write_bytes(b"old")
    build(load_config(str(course / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site")))
    left = list((course / PAGE_CACHE_FOLDER / "en").glob("*/*.md.z"))
    assert len(left) == 1 and left[0].parent.name != "zz"
