"""Validated course → pages (Markdown with small HTML blocks) and static assets.

Knows nothing of MkDocs: any engine that renders Markdown with Material's extensions
(attr_list, md_in_html, admonition, details) can take these pages.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from .errors import CourseError
from .i18n import SOURCE_LANGUAGE, translations
from .mdext import PAGE_MARK, PROCESS_KEY, mark_block
from .mdtext import md_prose, md_text, plain
from .model import LoadedCourse, Module, Question
from .questiontypes import matching_display, ordering_display
from .scenario import display_choices
from .templating import template_environment

if TYPE_CHECKING:
    from .pagecache import PageCache

ASSET_DIR = "assets/coursegen"
ASSETS = ("i18n.js", "quiz.js", "quiz.css", "certificate.js", "certificate.css", "lms.js", "xapi-queue.js", "xapi.js")
ASSETS += ("answers.js",)  # short-answer rules: quiz.js and the LMS launcher judge with them
ASSETS += ("scenario.js",)
ASSETS += ("path.js", "path.css")  # learning paths and lesson progress (choose your role, continue)
ASSETS += ("offline.js",)
MODULE_DIR = "modules"


@dataclass(frozen=True)
class Page:
    """A generated page: where it goes, its Markdown, its title and whether search leaves it out.

    The title is HTML-escaped text, because themes print page titles as HTML (Material does).
    Neither is in front matter (a page without meta keeps Material's navigation quick): an engine
    adapter sets them on the page (the MkDocs plugin does), and ``with_front_matter`` writes them
    for engines that read them only from there."""

    path: str
    content: str
    title: str = ""
    search_exclude: bool = False

    def with_front_matter(self) -> str:
        """The Markdown with front matter: ``title:`` (and ``search: exclude: true``)."""
        front_matter = "---\ntitle: " + json.dumps(self.title, ensure_ascii=False) + "\n"
        if self.search_exclude:
            front_matter += "search:\n  exclude: true\n"
        return front_matter + "---\n\n" + self.content


_HEADING = re.compile(r"^(#{1,6})(?=\s)", re.MULTILINE)
_FENCE = re.compile(r"^\s*(```|~~~)")


def nest_headings(body: str, top: int = 3) -> Markup:
    """Lesson Markdown with its headings shifted so the biggest is level ``top``
    (a lesson's own title is level 2), leaving fenced code alone."""
    lines = body.splitlines()
    in_fence = False
    levels = []
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)):
            levels.append(len(match.group(1)))
    shift = max(0, top - min(levels)) if levels else 0
    if shift:
        in_fence = False
        for i, line in enumerate(lines):
            if _FENCE.match(line):
                in_fence = not in_fence
            elif not in_fence and (match := _HEADING.match(line)):
                lines[i] = "#" * min(6, len(match.group(1)) + shift) + line[len(match.group(1)) :]
    return Markup("\n".join(lines))


def markdown_href(url: str) -> str:
    """A validated link made safe as a Markdown link target (parentheses would end it early)."""
    return url.replace("(", "%28").replace(")", "%29")


def html_text(text: str | None) -> Markup:
    """Plain text for an HTML context (inside raw HTML blocks)."""
    return escape(plain(text or ""))


class ShownChoice(NamedTuple):
    """A choice as its question's form shows it (``shown_choices``)."""

    index: int
    correct: bool
    label: Markup
    feedback: Markup


def shown_choices(question: Question, words: Mapping[str, str]) -> list[ShownChoice]:
    """A choice question's choices in the order learners see them, each once for its input and
    its line of the answer sheet: true/false choices read as ``words["True"]`` and
    ``words["False"]`` (the page's language), the rest as written, escaped."""
    translated = question.type == "true_false"
    return [
        ShownChoice(
            index,
            choice.correct,
            Markup(words[choice.text]) if translated and choice.text in ("True", "False") else html_text(choice.text),
            html_text(choice.feedback),
        )
        for index, choice in question.display_order()
    ]


def module_path(module: Module) -> str:
    """Where a module's page goes, relative to the docs root."""
    return f"{MODULE_DIR}/{module.id}.md"


def storage_key(loaded: LoadedCourse, module: Module, language: str = SOURCE_LANGUAGE) -> str:
    """The localStorage key of a module's quiz results: changes when the quiz changes, and differs
    per language (``coursegen:<course>:es:<module>:<hash>``; English keeps the original form, so
    results saved before languages existed still count)."""
    digest = module.quiz.content_hash() if module.quiz else "none"
    where = loaded.course.id if language == SOURCE_LANGUAGE else f"{loaded.course.id}:{language}"
    return f"coursegen:{where}:{module.id}:{digest}"


def progress_key(loaded: LoadedCourse, module: Module, language: str = SOURCE_LANGUAGE) -> str:
    """The storage key of a module's lesson progress (lessons read, knowledge-check answers).

    One compact record per module; inside it each lesson is known by its content hash, so an
    edited lesson starts unread (see assets/path.js). Per language, like ``storage_key``."""
    where = loaded.course.id if language == SOURCE_LANGUAGE else f"{loaded.course.id}:{language}"
    return f"coursegen:{where}:{module.id}:lessons"


def course_edition(loaded: LoadedCourse, language: str = SOURCE_LANGUAGE) -> str:
    """A short code naming this version of the course's quizzes (printed on certificates)."""
    keys = "\n".join(storage_key(loaded, m, language) for m in loaded.modules)
    return hashlib.sha256(keys.encode("utf-8")).hexdigest()[:8]


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "translate later"
    """Marks a string for the catalogs; it is translated where it is shown."""
    return message


# Pages for trainers, not learners: left out of the search index, which every learner downloads
# with the first page (Material fetches it at start-up; bench/RESULTS.md). They stay in the nav.
_NOT_SEARCHED = frozenset({"facilitator.md.j2"})


@pass_context
def _trusted(context: Context, block: str) -> Markup:
    """A block of generated HTML, marked for ``coursegen.mdext`` with the render's key."""
    return Markup(mark_block(str(block), context.get("block_key")))


@cache
def _environment(language: str = SOURCE_LANGUAGE) -> Environment:
    """The environment of a language (one per language and process: catalogs never change)."""
    return template_environment(
        {
            "md": md_text,
            "prose": md_prose,
            "text": html_text,
            "lesson": nest_headings,
            "href": markdown_href,
            "tel": lambda phone: "tel:" + re.sub(r"[^0-9+]", "", phone),
            "ordering_display": ordering_display,
            "shown_choices": shown_choices,
            "matching_display": matching_display,
            "scenario_choices": display_choices,
            "trusted": _trusted,
        },
        translations(language),
    )


def _render(path: str, template: str, title: str, language: str = SOURCE_LANGUAGE, **context: object) -> Page:
    """A page: the mark that it is generated (``coursegen.mdext`` sanitizes such pages), then
    the template's Markdown; its title (already HTML-escaped) beside it."""
    content = PAGE_MARK + "\n" + _environment(language).get_template(template).render(**context)
    return Page(path, content, title, search_exclude=template in _NOT_SEARCHED)


# The fixed pages: file name and title (translated when shown).
FIXED_PAGES = {
    "progress": N_("Your progress"),
    "certificate": N_("Certificate of completion"),
    "help": N_("Get help now"),
    "contacts": N_("Local contacts"),
    "glossary": N_("Glossary"),
    "facilitator": N_("Facilitator guide"),
}


@dataclass(frozen=True)
class OtherLanguage:
    """A version of a module in another language, for the module page's language switch."""

    code: str
    name: str
    href: str


class ModuleInputs(NamedTuple):
    """What a module's page is made of beyond the course and the language (the template's names)."""

    module: Module
    number: int
    required: list[Module]
    other_languages: list[OtherLanguage]
    untranslated: bool


class RenderCache:
    """The module pages of the last render, each with what it was made from: ``coursegen serve``
    renders again after every save, and a page whose module, number, required modules, language
    and course settings are equal is taken from here instead."""

    def __init__(self) -> None:
        self.common: object = None
        self.modules: dict[str, tuple[tuple[object, ...], Page]] = {}


class Renderer:
    """The generated pages of a course, each rendered when asked for (``render``): an engine can
    take them one at a time, so that a big course's pages are never all in memory at once.
    ``paths`` and ``titles`` (HTML-escaped, as ``Page.title``) are known at once (for the navigation).

    Coursegen's own words are in ``language``. ``other_languages``: by module id, its versions in
    other languages (a switch on its page); ``translated``: ids of the modules whose content is in
    ``language`` (the others say they are shown in English).
    ``block_key``: mark the generated HTML blocks (quiz and check forms) with this key, so that
    ``coursegen.mdext`` with the same key keeps them out of Markdown (by default this process's
    key, which the extension trusts unless configured otherwise). Another key must be just as
    unpredictable to the course's authors (random for each build); None: no marks.
    ``cache``: reuse the module pages of the last render that nothing has changed (``finish``
    keeps this render's pages there for the next). ``stored``: module pages kept on disk by
    earlier builds (read back with this render's block key), and where this render keeps its own."""

    def __init__(
        self,
        loaded: LoadedCourse,
        language: str = SOURCE_LANGUAGE,
        other_languages: Mapping[str, Sequence[OtherLanguage]] | None = None,
        translated: frozenset[str] = frozenset(),
        *,
        block_key: str | None = PROCESS_KEY,
        cache: RenderCache | None = None,
        stored: PageCache | None = None,
    ) -> None:
        self.loaded, self.language, self.cache = loaded, language, cache
        self.stored, self.block_key = (stored, block_key) if block_key else (None, None)
        self.other_languages = other_languages or {}
        self.translated = translated
        setting = (loaded.course, language, block_key, self.other_languages, translated)
        if cache is not None and cache.common != setting:
            cache.common, cache.modules = setting, {}
        gettext = translations(language).gettext
        keys = {m.id: storage_key(loaded, m, language) for m in loaded.modules}  # each hashes its quiz: once
        audiences = {a.id: a for a in loaded.course.audiences}
        self.common: dict[str, object] = {"loaded": loaded, "course": loaded.course, "audiences": audiences}
        self.common["storage_key"] = lambda _loaded, module: keys[module.id]
        self.common["progress_key"] = lambda loaded, module: progress_key(loaded, module, language)
        self.common["edition"] = hashlib.sha256("\n".join(keys.values()).encode("utf-8")).hexdigest()[:8]
        self.common["ui_language"] = language
        self.common["block_key"] = block_key
        # "Home", not the course title: themes add the site name to every page title, and on the
        # home page that name is the course title (a tab would read "Course - Course").
        self.titles: dict[str, str] = {"index.md": str(html_text(gettext("Home")))}
        self._templates: dict[str, str] = {"index.md": "home.md.j2"}
        self._modules: dict[str, tuple[int, Module]] = {}
        for number, module in enumerate(loaded.modules, start=1):
            self.titles[module_path(module)] = str(html_text(f"{number}. {module.title}"))
            self._modules[module_path(module)] = (number, module)
        names = ["progress", "certificate", "help", "contacts", *(["glossary"] if loaded.course.glossary else [])]
        for name in [*names, "facilitator"]:
            self.titles[f"{name}.md"] = str(html_text(gettext(FIXED_PAGES[name])))
            self._templates[f"{name}.md"] = f"{name}.md.j2"
        self._kept: dict[str, tuple[tuple[object, ...], Page]] = {}
        self._stored_keys: dict[str, str] = {}

    def paths(self) -> list[str]:
        """Every generated page's path, in navigation order."""
        return list(self.titles)

    def outline(self, path: str) -> Page:
        """The page at ``path`` without its Markdown: what a navigation needs before rendering."""
        return Page(path, "", self.titles[path], search_exclude=self._templates.get(path) in _NOT_SEARCHED)

    def render(self, path: str) -> Page:
        """The page at ``path`` (one of ``paths``)."""
        if path not in self._modules:
            return _render(path, self._templates[path], self.titles[path], self.language, **self.common)
        inputs = self._inputs(path)
        module = inputs.module
        remembered = (module, inputs.number, [(r.id, r.title) for r in inputs.required])
        hit = self.cache.modules.get(module.id) if self.cache is not None else None
        page = hit[1] if hit is not None and hit[0] == remembered else self._stored_page(path, inputs)
        if self.cache is not None:
            self._kept[module.id] = (remembered, page)  # with the new module: the old one can go
        return page

    def _inputs(self, path: str) -> ModuleInputs:
        number, module = self._modules[path]
        others = list(self.other_languages.get(module.id, ()))
        untranslated = self.language != SOURCE_LANGUAGE and module.id not in self.translated
        return ModuleInputs(module, number, [self.loaded.module(r) for r in module.requires], others, untranslated)

    def _stored_key(self, path: str, inputs: ModuleInputs) -> str:
        """The page's key in the disk cache (worked out once per render: hashing a module takes time)."""
        assert self.stored is not None
        key = self._stored_keys.get(path)
        if key is None:
            key = self._stored_keys[path] = self.stored.key(inputs)
        return key

    def unstored_paths(self) -> list[str]:
        """The module pages that ``render`` would render now: those the disk cache lacks (none when
        there is no disk cache, or the pages of the last render are at hand)."""
        if self.stored is None or self.cache is not None:
            return []
        stored = self.stored
        return [path for path in self._modules if not stored.has(self._stored_key(path, self._inputs(path)))]

    def _stored_page(self, path: str, inputs: ModuleInputs) -> Page:
        """The module's page from the disk cache, or rendered now (and kept there)."""
        stored, block_key = self.stored, self.block_key
        if stored is None or not block_key:
            return self._module_page(path, inputs)
        key = self._stored_key(path, inputs)
        content = stored.get(key, block_key)
        if content is not None:
            return Page(path, content, self.titles[path], search_exclude="module.md.j2" in _NOT_SEARCHED)
        page = self._module_page(path, inputs)
        stored.put(key, page.content, block_key)
        return page

    def _module_page(self, path: str, inputs: ModuleInputs) -> Page:
        context = {**self.common, **inputs._asdict()}
        return _render(path, "module.md.j2", self.titles[path], self.language, **context)

    def finish(self) -> None:
        """Keep the module pages rendered since the start in the cache, for the next render."""
        if self.cache is not None:
            self.cache.modules = self._kept


def render_pages(
    loaded: LoadedCourse,
    language: str = SOURCE_LANGUAGE,
    other_languages: Mapping[str, Sequence[OtherLanguage]] | None = None,
    translated: frozenset[str] = frozenset(),
    *,
    block_key: str | None = PROCESS_KEY,
    cache: RenderCache | None = None,
) -> list[Page]:
    """Every generated page of the course, in navigation order (see ``Renderer`` for the options)."""
    renderer = Renderer(loaded, language, other_languages, translated, block_key=block_key, cache=cache)
    pages = [renderer.render(path) for path in renderer.paths()]
    renderer.finish()
    return pages


def render_problems(errors: Sequence[CourseError], language: str = SOURCE_LANGUAGE, path: str = "index.md") -> Page:
    """The page shown while the course has problems (``serve`` shows it instead of a stuck tab)."""
    title = str(html_text(translations(language).gettext("The course has problems")))
    return _render(path, "problems.md.j2", title, language, errors=list(errors))


def asset(name: str) -> bytes:
    """The bytes of a shipped asset (quiz.js, quiz.css)."""
    return resources.files("coursegen").joinpath("assets", name).read_bytes()
