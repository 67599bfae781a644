"""Large courses grouped into sections (parts): validation, navigation and the home page."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MINIMAL_MODULE, errors_of
from coursegen.loader import load_course


def sectioned(root: Path, sections: str, modules: tuple[str, ...] = ("welcome", "alpha", "beta", "gamma")) -> Path:
    """The `coursegen init` course with more modules, and course.yml's 'modules:' replaced by ``sections``."""
    for mid in modules:
        if mid != "welcome":
            (root / "modules" / f"{mid}.yml").write_text(MINIMAL_MODULE.format(mid=mid), encoding="utf-8")
    course_yml = root / "modules" / "course.yml"
    text = course_yml.read_text(encoding="utf-8").replace("modules:\n  - welcome\n", sections)
    course_yml.write_text(text, encoding="utf-8")
    return course_yml


SECTIONS = """\
sections:
  - id: start
    title: Getting started
    description: The first steps.
    modules: [welcome, beta]
  - id: more
    title: Going further
    modules: [gamma, alpha]
"""


def test_sections_give_the_module_order(course: Path) -> None:
    sectioned(course, SECTIONS)
    loaded = load_course(course / "modules", course)
    assert [m.id for m in loaded.modules] == ["welcome", "beta", "gamma", "alpha"]
    assert [(s.id, [m.id for m in members]) for s, members in loaded.sections()] == [
        ("start", ["welcome", "beta"]),
        ("more", ["gamma", "alpha"]),
    ]


@pytest.mark.parametrize(
    ("sections", "message", "needle"),
    [
        (
            SECTIONS.replace("[gamma, alpha]", "[gamma, alpha, beta]"),
            "module 'beta' is listed in two sections",
            "alpha, beta]",
        ),
        (SECTIONS.replace("[gamma, alpha]", "[gamma, alpha, gamam]"), "no module file for 'gamam'", "gamam]"),
        (SECTIONS.replace("id: more", "id: start"), "duplicate section id 'start'", "title: Going further"),
        ("modules:\n  - welcome\n" + SECTIONS, "course.yml has both 'modules' and 'sections'", "modules:"),
    ],
)
def test_section_problems_are_located(course: Path, sections: str, message: str, needle: str) -> None:
    course_yml = sectioned(course, sections)
    found = [e for e in errors_of(course) if e.message == message]
    assert found, [e.message for e in errors_of(course)]
    assert found[0].path.endswith("course.yml")
    lines = course_yml.read_text().splitlines()
    # the line the problem is on (the 'id:' of the second section sits just above its title)
    expected = next(i for i, text in enumerate(lines, 1) if needle in text) - needle.startswith("title")
    assert found[0].line == expected, lines[found[0].line - 1]
    if message.startswith("no module file"):
        assert "did you mean 'gamma'?" in found[0].hint


def test_a_module_in_no_section_is_reported(course: Path) -> None:
    sectioned(course, SECTIONS.replace("[gamma, alpha]", "[gamma]"))
    [error] = errors_of(course)
    assert error.message == "module 'alpha' is not listed in course.yml"
    assert error.path.endswith("alpha.yml")
    assert "section" in error.hint


def _texts(root: object, tag: str) -> list[str]:
    return ["".join(el.itertext()).replace("¶", "").strip() for el in root.iter(tag)]  # type: ignore[attr-defined]


def test_nav_and_home_page_follow_the_sections(course: Path, tmp_path: Path) -> None:
    sectioned(course, SECTIONS)
    site = tmp_path / "site"
    config = load_config(str(course / "mkdocs.yml"), strict=True, site_dir=str(site))
    build(config)
    assert "navigation.prune" in config.theme["features"]

    home = html5lib.parse((site / "index.html").read_text(encoding="utf-8"), namespaceHTMLElements=False)
    article = home.find(".//article")
    assert _texts(article, "h3")[:2] == ["Getting started", "Going further"]
    grids = [div for div in article.iter("div") if "cg-cards" in div.get("class", "")]
    cards = [[_texts(li, "a")[0] for li in grid.findall("./ul/li")] for grid in grids]
    assert cards == [["1. Welcome", "2. Module beta"], ["3. Module gamma", "4. Module alpha"]]

    # On a page of the second part, the navigation lists that part's pages and only names the first.
    page = html5lib.parse((site / "modules" / "alpha" / "index.html").read_text(), namespaceHTMLElements=False)
    nav = next(n for n in page.iter("nav") if "md-nav--primary" in n.get("class", ""))
    links = [a.get("href", "") for a in nav.iter("a")]
    assert "../gamma/" in links and "./" in links, links  # this part: its pages, this one included
    assert "../beta/" not in links, "a closed part's pages are pruned from the navigation"
    assert "../welcome/" in links, "a closed part still leads to its first page"
