"""Material's navigation written faster (coursegen.navspeed): the same navigation a learner gets
from Material alone, on every page, with every nav feature a course may turn on."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import html5lib
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.theme import Theme

import coursegen.plugin
from conftest import MINIMAL_MODULE, write_module
from coursegen.navspeed import FAST_LOOP, NAV_ITEM, faster_nav
from test_sections import SECTIONS, sectioned

# Hand-written pages beside the course: a folder with an index page, and pages whose front
# matter Material's nav shows (an icon, a status, a subtitle): these keep Material's own path.
PAGES = {
    "guide/index.md": "# Guide\n\nThe guide's index.\n",
    "guide/plain.md": "# A plain page\n\nText.\n",
    "guide/marked.md": "---\nicon: material/star\nstatus: new\nsubtitle: With a subtitle\n---\n# Marked\n\nText.\n",
    "guide/deeper/more.md": "# Deeper still\n\nText.\n",
}


def test_material_loop_is_patched() -> None:
    env = Theme(name="material").get_env()
    assert faster_nav(env), "Material's partials/nav-item.html no longer has the loop navspeed knows"
    source = env.loader.get_source(env, NAV_ITEM)[0]
    assert FAST_LOOP in source
    assert not faster_nav(env), "patched twice"


def test_a_custom_dir_partial_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "nav-item.html").write_text("{% macro render(nav_item, path, level) %}{% endmacro %}")
    env = Theme(name="material", custom_dir=str(tmp_path)).get_env()
    assert not faster_nav(env)
    assert env.loader.get_source(env, NAV_ITEM)[0].startswith("{% macro render")


def _shape(element: ElementTree.Element) -> tuple[object, ...]:
    """An element as a browser shows it: tag, attributes, text with whitespace collapsed."""
    text = " ".join((element.text or "").split())
    tail = " ".join((element.tail or "").split())
    return (element.tag, sorted(element.attrib.items()), text, [_shape(c) for c in element], tail)


def _navs(site: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every page's primary navigation (and the raw HTML, to tell the two builds apart)."""
    found: dict[str, list[tuple[object, ...]]] = {}
    for page in sorted(site.rglob("*.html")):
        tree = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        navs = [n for n in tree.iter("nav") if "md-nav--primary" in n.get("class", "").split()]
        found[page.relative_to(site).as_posix()] = [_shape(n) for n in navs]
    return found


def _build(course: Path, site: Path) -> dict[str, list[tuple[object, ...]]]:
    build(load_config(str(course / "mkdocs.yml"), strict=True, site_dir=str(site)))
    return _navs(site)


@pytest.mark.parametrize(
    ("features", "in_parts"),
    [
        ([], False),
        (["navigation.sections", "navigation.indexes"], False),
        (["navigation.tabs", "navigation.prune", "navigation.expand"], False),
        (["navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.prune"], False),
        # A course in sections (parts): coursegen turns on navigation.prune.
        ([], True),
        (["navigation.tabs", "navigation.indexes"], True),
        (["navigation.sections"], True),
    ],
    ids=[
        "none",
        "sections-indexes",
        "tabs-prune-expand",
        "tabs-sections-indexes-prune",
        "parts",
        "parts-tabs",
        "parts-sections",
    ],
)
def test_the_nav_is_the_one_material_writes(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, features: list[str], in_parts: bool
) -> None:
    if in_parts:
        sectioned(course, SECTIONS)
    else:
        for mid in ("alpha", "beta", "gamma"):
            write_module(course, mid, MINIMAL_MODULE.format(mid=mid))
    for name, text in PAGES.items():
        (course / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (course / "docs" / name).write_text(text, encoding="utf-8")
    mkdocs_yml = course / "mkdocs.yml"
    listed = "".join(f"    - {f}\n" for f in features)
    footer = "    - navigation.footer\n"
    text = mkdocs_yml.read_text(encoding="utf-8").replace(footer, footer + listed)
    mkdocs_yml.write_text(text, encoding="utf-8")

    fast = _build(course, tmp_path / "fast")
    monkeypatch.setattr(coursegen.plugin, "faster_nav", lambda env: False)
    material = _build(course, tmp_path / "material")

    assert fast.keys() == material.keys()
    assert len(fast) > 12  # the home page, the modules, the fixed pages, the guide
    for page in fast:
        assert fast[page] == material[page], page
        assert fast[page], f"{page} has no navigation"
    written = (tmp_path / "fast" / "modules" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert written != (tmp_path / "material" / "modules" / "alpha" / "index.html").read_text(encoding="utf-8")
