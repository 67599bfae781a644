"""The course map for assets/path.js: every module and lesson in course order, with the keys its
progress is stored under (learning paths, lesson progress, Continue links, the footer's previous
and next along a path).

Written once per build as a script, ``assets/coursegen/course-map-<language>.js``, that sets
``window.coursegenCourseMap``. (It used to be a hidden list on every page: a page per module, each
listing every lesson, made a build's work grow with the square of the course; issue #16.)
URLs in it are relative to the site's root, which the script takes from its own address: the
same file serves every page, at any depth, over http, from file:// and inside an LMS package.

Knows nothing of MkDocs: the engine adapter says where each page is (``page_url`` is MkDocs'
rule, for engines that build from a rendered project).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .i18n import SOURCE_LANGUAGE, translations
from .model import LoadedCourse
from .render import ASSET_DIR, module_path, plain, progress_key, storage_key


def map_script_name(language: str) -> str:
    """The map's file under ``ASSET_DIR`` for a build in ``language``."""
    return f"course-map-{language}.js"


def page_url(path: str, directory_urls: bool) -> str:
    """Where MkDocs puts the page ``path`` (``modules/x.md``), relative to the site's root:
    ``modules/x/`` with ``use_directory_urls``, ``modules/x.html`` without."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return "./"
    if stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def _text(text: str) -> str:
    """A title as the learner reads it on the page (the templates' ``md`` filter, as text)."""
    return " ".join(plain(text).split())


def course_map(loaded: LoadedCourse | None, language: str, url: Callable[[str], str]) -> dict[str, Any]:
    """The map's data: ``url`` gives a generated page's URL (from the site's root) by its path
    (``index.md``, ``modules/<id>.md``). The keys are the ones the pages' quizzes and
    path.js store results under; no course (a first load failed while serving): no modules."""
    gettext = translations(language).gettext
    modules = []
    for number, module in enumerate(loaded.modules if loaded else [], start=1):
        assert loaded is not None
        entry: dict[str, Any] = {
            "id": module.id,
            "title": f"{number}. {_text(module.title)}",
            "url": url(module_path(module)),
            "audiences": list(module.audiences),
            "progress": progress_key(loaded, module, language),
            "lessons": [
                {"hash": lesson.content_hash(), "title": _text(lesson.title), "anchor": f"#cg-lesson-{index}"}
                for index, lesson in enumerate(module.lessons, start=1)
            ],
        }
        if module.quiz:
            key = storage_key(loaded, module, language)
            entry["quiz"] = {"key": key, "title": gettext("Quiz"), "anchor": f"#cg-{module.id}-quiz"}
        modules.append(entry)
    return {
        "v": 1,
        "modules": modules,
        "home": {"title": gettext("Home"), "url": url("index.md")},
        "progress": {"title": gettext("Your progress"), "url": url("progress.md")},
    }


def script_json(data: object) -> str:
    """JSON that is safe anywhere in a script: ASCII only (U+2028 and U+2029 escaped, no charset
    to get wrong on file://), and ``<``, ``>``, ``&`` escaped so nothing in it reads as markup."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# The site's root from the script's own address (ASSET_DIR is that many folders down). The
# script element is looked up by name when currentScript is not set (never for a plain <script src>).
_SCRIPT = """/* coursegen's course map for path.js: written by the build, do not edit. */
(function () {{
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="/{name}"]');
  var map = {data};
  map.root = new URL("{up}", script ? script.src : document.baseURI).href;
  window.coursegenCourseMap = map;
}})();
"""


def course_map_script(
    loaded: LoadedCourse | None, language: str = SOURCE_LANGUAGE, *, url: Callable[[str], str]
) -> str:
    """The map script's text (see the module's docstring)."""
    data = script_json(course_map(loaded, language, url))
    up = "../" * (ASSET_DIR.count("/") + 1)
    return _SCRIPT.format(name=map_script_name(language), data=data, up=up)
