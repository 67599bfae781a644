"""Real MkDocs builds: the flagship course and a new course, as learners get them."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import REPO
from coursegen.loader import load_course
from coursegen.offline import precache_files
from coursegen.render import storage_key


def build_site(config_file: Path, site_dir: Path) -> Path:
    build(load_config(str(config_file), strict=True, site_dir=str(site_dir)))
    return site_dir


@pytest.fixture(scope="module")
def flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO / "mkdocs.yml", tmp_path_factory.mktemp("flagship") / "site")


class Quiz(HTMLParser):
    """Collects the quiz structure of a page, as assistive technology sees it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.forms: list[dict[str, str | None]] = []
        self.fieldsets = self.legends = self.labels = self.details = self.status = 0
        self.inputs: list[dict[str, str | None]] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "data-cg-quiz" in a:
            self.forms.append(a)
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"
        self.labels += tag == "label" and (a.get("for") or "").startswith("cg-")
        self.details += tag == "details" and "cg-answer" in (a.get("class") or "")
        self.status += a.get("role") == "status"
        if tag == "input" and a.get("type") in ("radio", "checkbox") and (a.get("id") or "").startswith("cg-"):
            self.inputs.append(a)
        for attr in ("src", "href"):
            value = a.get(attr) or ""
            fetched = tag in ("script", "img", "iframe") or (tag == "link" and a.get("rel") != "canonical")
            if fetched and re.match(r"(https?:)?//", value):
                self.external.append(value)


def parse(path: Path) -> Quiz:
    parser = Quiz()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_flagship_has_every_page(flagship: Path) -> None:
    loaded = load_course(REPO / "modules", REPO)
    for module in loaded.modules:
        assert (flagship / "modules" / module.id / "index.html").is_file()
    for page in (
        "index.html",
        "progress/index.html",
        "help/index.html",
        "contacts/index.html",
        "facilitator/index.html",
        "glossary/index.html",
        "about/index.html",
    ):
        assert (flagship / page).is_file(), page


def test_generated_pages_never_land_in_docs() -> None:
    assert not (REPO / "docs" / "index.md").exists()
    assert not (REPO / "docs" / "modules").exists()


def test_quiz_markup_contract(flagship: Path) -> None:
    loaded = load_course(REPO / "modules", REPO)
    module = loaded.modules[0]
    page = parse(flagship / "modules" / module.id / "index.html")
    quiz = next(f for f in page.forms if f.get("data-kind") == "quiz")
    assert quiz["data-key"] == storage_key(loaded, module)
    assert quiz["data-module"] == module.id
    questions = len(module.questions())
    assert page.fieldsets == page.legends == page.details == questions
    assert len(page.inputs) == page.labels
    assert page.status == len(page.forms)
    expected_inputs = sum(len(q.options()) for q in module.questions())
    assert len(page.inputs) == expected_inputs


def test_no_request_to_another_host(flagship: Path) -> None:
    for html in flagship.rglob("*.html"):
        assert parse(html).external == [], html
    css_js = [p for p in flagship.rglob("*") if p.suffix in (".css", ".js")]
    for asset in css_js:
        text = asset.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, asset


def test_nav_order(flagship: Path) -> None:
    home = (flagship / "index.html").read_text()
    nav = re.findall(r'<a href="([^"]+)" class="md-nav__link', home)
    positions = [
        next(i for i, h in enumerate(nav) if h.rstrip("/").endswith(m))
        for m in ("foundations", "collaboration", "hotels-casinos")
    ]
    assert positions == sorted(positions)


def test_content_notes_come_before_lessons(flagship: Path) -> None:
    text = (flagship / "modules" / "hotels-casinos" / "index.html").read_text()
    text = text[text.index('<article class="md-content__inner') :]
    assert text.index("Content note") < text.index("What you will learn")


def tree_digest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_give_the_same_files(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    one = build_site(course / "mkdocs.yml", tmp_path / "one")
    two = build_site(course / "mkdocs.yml", tmp_path / "two")
    assert tree_digest(one) == tree_digest(two)


def test_init_course_builds_strict_with_plain_mkdocs(course: Path, tmp_path: Path) -> None:
    site = build_site(course / "mkdocs.yml", tmp_path / "site")
    page = parse(site / "modules" / "welcome" / "index.html")
    assert len(page.forms) == 2  # a knowledge check and the quiz


def test_hand_written_page_clash_is_a_clear_error(course: Path, tmp_path: Path) -> None:
    from mkdocs.exceptions import Abort

    (course / "docs" / "progress.md").write_text("# Mine\n")
    with pytest.raises(Abort):
        build_site(course / "mkdocs.yml", tmp_path / "site")
    assert not (tmp_path / "site" / "index.html").exists()


def test_hostile_title_is_inert(course: Path, tmp_path: Path) -> None:
    path = course / "modules" / "welcome.yml"
    hostile = '"<script>alert(1)</script> {{ x }} *bold* [l](javascript:x)"'
    path.write_text(path.read_text().replace("title: Welcome", f"title: {hostile}"))
    site = build_site(course / "mkdocs.yml", tmp_path / "site")
    for html in site.rglob("*.html"):
        text = html.read_text()
        assert "<script>alert(1)" not in text
        assert 'href="javascript:' not in text
        assert "<em>bold</em>" not in text
    module = (site / "modules" / "welcome" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in module or "&#60;script&#62;alert&#40;1&#41;" in module


class Links(HTMLParser):
    """Every link of a page's article: its href, its text and the elements it sits in."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.links: list[tuple[str, str, tuple[str, ...]]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._open.append([dict(attrs).get("href") or "", "", *self.stack])
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            href, text, *where = self._open.pop()
            self.links.append((href, text.strip(), tuple(where)))
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        for link in self._open:
            link[1] += data


def links_of(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    parser = Links()
    text = path.read_text(encoding="utf-8")
    parser.feed(text[text.index('<article class="md-content__inner') :])
    return parser.links


PHONE_LESSON = """\
      Call the hotline at **1-888-373-7888**, or 911 in an emergency.

      | Who | Number |
      | --- | --- |
      | Tip line | (866) 347-2423 |

      In code it stays text: `1-800-843-5678`.

"""


def test_phone_numbers_in_lessons_and_tables_are_tap_to_call(course: Path, tmp_path: Path) -> None:
    path = course / "modules" / "welcome.yml"
    text = path.read_text(encoding="utf-8")
    marker = "      Each module has **lessons**"
    assert text.count(marker) == 1
    path.write_text(text.replace(marker, PHONE_LESSON + marker), encoding="utf-8")
    site = build_site(course / "mkdocs.yml", tmp_path / "site")
    tel = [link for link in links_of(site / "modules" / "welcome" / "index.html") if link[0].startswith("tel:")]
    shown = [(href, text) for href, text, _ in tel]
    assert shown == [("tel:18883737888", "1-888-373-7888"), ("tel:8663472423", "(866) 347-2423")]
    assert "strong" in tel[0][2] and "td" in tel[1][2]


def test_authors_guide_stays_out_of_the_learners_site(flagship: Path) -> None:
    """The flagship's learners never see the guide for course authors; the README's links to it
    (read on GitHub) still point at files that exist."""
    assert not (flagship / "for-authors").exists()
    for html in flagship.rglob("*.html"):
        assert "for-authors" not in html.read_text(encoding="utf-8"), html
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\((docs/for-authors/[^)#]+)", readme)
    assert targets, "the README no longer links to the authors' guide"
    for target in targets:
        assert (REPO / target).is_file(), target


def test_search_index_leaves_out_the_facilitator_guide(flagship: Path) -> None:
    """Every learner downloads the search index with the first page: the trainers' guide (a sixth
    of it) stays out; its page stays in the site."""
    index = json.loads((flagship / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert any(loc.startswith("modules/") for loc in locations)
    assert not [loc for loc in locations if loc.startswith("facilitator/")]
    assert (flagship / "facilitator" / "index.html").is_file()


def test_the_offline_worker_lists_the_built_files(flagship: Path) -> None:
    """coursegen-sw.js sits at the site's root with every page and asset it keeps; each is a file
    of this build (a missing one would make the worker's install fail)."""
    worker = (flagship / "coursegen-sw.js").read_text(encoding="utf-8")
    assert "__COURSEGEN_BUILD__" not in worker
    unloaded = ["assets/coursegen/lms.js", "assets/coursegen/xapi-queue.js", "assets/coursegen/xapi.js"]
    kept = precache_files(flagship, unloaded=unloaded)
    assert {"index.html", "modules/foundations/index.html", "assets/coursegen/quiz.js"} <= set(kept)
    assert all((flagship / rel).is_file() for rel in kept)
    assert json.dumps(kept, separators=(",", ":")) in worker
    assert all((flagship / rel).is_file() and rel not in worker for rel in unloaded), "no page loads these"
