"""The MkDocs plugin: the only part of coursegen that knows MkDocs.

It loads the course on ``on_config`` (so a bad course stops the build before anything is
written), adds the generated pages and assets with ``File.generated``, builds the navigation
when mkdocs.yml has none, and makes ``mkdocs serve`` watch the modules folder.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .errors import CourseInvalid
from .htmlsafety import content_security_policy
from .loader import remember_files
from .loadonce import fingerprint, forget_course, load_course_once
from .mdext import deferred_store, restore_blocks
from .model import Course, LoadedCourse
from .render import ASSET_DIR, ASSETS, Page, RenderCache, Renderer, asset, module_path, render_problems
from .xapi import XAPI_SCRIPTS, xapi_origin, xapi_settings

log = get_plugin_logger(__name__)

THEME_OVERRIDES = Path(__file__).parent / "theme_overrides"

# Extensions the generated pages rely on (cards, admonitions, details, glossary, tables), and
# tap-to-call phone numbers in lessons and tables.
REQUIRED_EXTENSIONS = (
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.details",
    "def_list",
    "tables",
    "toc",
    "coursegen.phones",
    "coursegen.mdext",
)


class CourseConfig(base.Config):
    """Options under ``plugins: - coursegen:`` in mkdocs.yml."""

    modules_dir = c.Type(str, default="modules")
    """Folder with course.yml and the module files, relative to mkdocs.yml."""
    nav = c.Type(bool, default=True)
    """Build the navigation when mkdocs.yml has no ``nav:``."""


class CoursePlugin(BasePlugin[CourseConfig]):
    """Adds a course built from YAML modules to an MkDocs site."""

    def __init__(self) -> None:
        self.loaded: LoadedCourse | None = None
        self.pages: list[Page] = []
        self.modules_dir = Path("modules")
        self.serving = False
        self.problems: CourseInvalid | None = None
        """While serving: the problems of the course since the last save (None when it loads)."""
        self.deferred = deferred_store()
        """Generated blocks of pages being built, put back after the search plugin read the page."""
        self.titles: dict[str, str] = {}
        self.dirty = False
        self.render_cache = RenderCache()
        self.last_build: tuple[object, dict[str, str]] | None = None
        """For dirty builds: what the last build depended on beyond page content, and each page's Markdown."""
        self.partial = False
        self.compiled = _CompiledTemplates()
        self.renderer: Renderer | None = None
        """A build's pages, rendered as MkDocs reads them."""
        self.course: Course | None = None
        self.module_paths: list[str] = []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is ``serve`` (having this hook also keeps one plugin for all rebuilds),
        and whether rebuilds are dirty: only the pages that changed (``coursegen serve``)."""
        self.serving = command == "serve"
        self.dirty = dirty
        if self.serving:
            remember_files()  # each save reads only the files it changed

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.modules_dir = (root / self.config.modules_dir).resolve()
        try:
            # Once per process: `coursegen build` has just loaded it to check it.
            self.loaded = load_course_once(self.modules_dir, root, Path(config.docs_dir))
            self.problems = None
        except CourseInvalid as exc:
            if not self.serving:
                raise PluginError("coursegen: the course has problems:\n" + str(exc)) from None
            # A failed rebuild would leave every open tab waiting for MkDocs' server: instead every
            # page of the last good build shows the problems, until a save fixes them.
            self.problems = exc
            log.error("the course has problems (shown in the browser too):\n" + str(exc))
        if self.problems is None:
            assert self.loaded is not None
            self.course = self.loaded.course
            self.module_paths = [module_path(m) for m in self.loaded.modules]
            renderer = Renderer(self.loaded, cache=self.render_cache if self.serving else None)
            if self.serving:  # every page now: a rebuild compares them with the last build's
                self.pages = [renderer.render(path) for path in renderer.paths()]
                renderer.finish()
                self.renderer = None
            else:  # each page when MkDocs reads it: a big course's pages are never all in memory
                self.pages = [Page(path, "", renderer.titles[path]) for path in renderer.paths()]
                self.renderer = renderer
                forget_course()  # the renderer has it; nothing else in this build needs it
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # The blocks render_pages marked with this process's key (the extension's default).
        config.mdx_configs["coursegen.mdext"] = {
            "report": lambda removed: self._report(config, removed),
            "deferred": self.deferred,
        }
        # Our partials fix accessibility gaps of stock Material; a user's custom_dir still wins.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        config.extra_css.append(f"{ASSET_DIR}/quiz.css")
        if self.course is not None and self.course.xapi:  # opt-in: results also go to the organisation's LRS
            config.extra_javascript += [f"{ASSET_DIR}/{name}" for name in XAPI_SCRIPTS]
        config.extra_javascript.append(f"{ASSET_DIR}/quiz.js")
        config.extra_css.append(f"{ASSET_DIR}/certificate.css")
        config.extra_javascript.append(f"{ASSET_DIR}/certificate.js")
        if config.theme.get("font") is not False:
            log.warning("theme.font is not false: Material would load fonts from Google's servers. Set 'font: false'.")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        pages = self.pages
        if self.problems is not None:  # serve after a broken save: every page shows the problems
            paths = [page.path for page in self.pages] or ["index.md"]
            pages = [render_problems(self.problems.errors, path) for path in paths]
        self.titles = {page.path: page.title for page in pages}
        if self.renderer is not None and self.problems is None:
            generated: list[File] = [_RenderedOnRead.of(config, page.path, self.renderer) for page in pages]
        else:
            generated = [File.generated(config, page.path, content=page.content) for page in pages]
        generated += [File.generated(config, f"{ASSET_DIR}/{n}", content=asset(n)) for n in ASSETS]
        if self.loaded and self.loaded.course.xapi:
            settings = xapi_settings(self.loaded, config.site_url)
            generated.append(File.generated(config, f"{ASSET_DIR}/{XAPI_SCRIPTS[0]}", content=settings))
        # A hand-written file that would land where a generated one goes (docs/progress.md, but also
        # docs/progress/index.md, which becomes the same progress/index.html) is an error, never
        # silently replaced.
        taken = {f.dest_uri: f for f in files if not f.generated_by}
        taken.update({f.src_uri: f for f in files if not f.generated_by})
        for file in generated:
            clash = taken.get(file.src_uri) or taken.get(file.dest_uri)
            if clash is not None:
                raise PluginError(
                    f"coursegen: docs/{clash.src_uri} is a hand-written file at a place the course generates "
                    f"({file.dest_uri}); rename or move it."
                )
            files.append(file)
        if self.config.nav and config.nav is None:
            config.nav = self._nav(files) if self.loaded is not None else [{"Problems": "index.md"}]
        if self.dirty:
            self._mark_changes(files, pages, config)
        return files

    def _mark_changes(self, files: Files, pages: list[Page], config: MkDocsConfig) -> None:
        """A dirty rebuild (``coursegen serve``) rebuilds the generated pages whose Markdown
        changed. Every page is rebuilt when anything else that shows on every page may have
        changed: a title or the order of pages (the navigation), mkdocs.yml, a hand-written page,
        the course's problems. MkDocs' own test (file times) could not see generated pages change."""
        config_file = Path(config.config_file_path) if config.config_file_path else None
        state = (
            fingerprint(None, Path(config.docs_dir), *([config_file] if config_file else [])),
            repr(config.nav),
            [(page.path, page.title) for page in pages],
            self.problems is None,
        )
        contents = {page.path: page.content for page in pages}
        full = self.last_build is None or self.last_build[0] != state
        previous = {} if full else self.last_build[1]  # type: ignore[index]
        self.last_build = (state, contents)
        self.partial = not full
        for file in files.documentation_pages():
            if file.generated_by is not None:
                changed = full or previous.get(file.src_uri) != contents.get(file.src_uri)
                file.is_modified = functools.partial(bool, changed)  # type: ignore[method-assign]
            elif full:
                file.is_modified = functools.partial(bool, True)  # type: ignore[method-assign]

    def on_nav(self, nav: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Titles of the generated pages, set on the pages (not in front matter: a page without
        meta keeps Material's navigation templates quick)."""
        for page in nav.pages:
            title = self.titles.get(page.file.src_uri) if page.file.generated_by else None
            if title is not None:
                page.title = title
            elif self.partial and page.markdown is None and not page.file.is_modified():
                # Not rebuilt in this dirty build, but the pages that are show its title in their
                # navigation: MkDocs reads a title from the page's own Markdown.
                page.read_source(config)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """While serving, the theme's templates are compiled once, not again at every rebuild
        (MkDocs makes a new Jinja environment each time; Jinja checks each template's source).
        Every page has been read by now: a build lets go of the course."""
        if self.serving:
            env.bytecode_cache = self.compiled
        else:
            self.renderer = None
            self.loaded = None
        return env

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """The CSP for main.html (``extra.coursegen_csp`` in mkdocs.yml replaces it; an empty
        one leaves it out). Safe links and the sanitizer run inside Markdown: coursegen.mdext."""
        if page.file.generated_by is not None and page.file.src_uri in self.titles:
            page.markdown = ""  # converted: a big course's Markdown need not stay in memory
        if "coursegen_csp" not in config.extra:
            xapi = self.course.xapi if self.course else None
            connect = (xapi_origin(xapi.endpoint),) if xapi else ()
            hosts = self.course.remote_hosts if self.course else []
            config.extra["coursegen_csp"] = content_security_policy(
                config.theme.get_env(), live_reload=self.serving, connect=connect, media_hosts=hosts
            )
        return html

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        """The generated blocks back in the page, now that the search plugin has read it."""
        return restore_blocks(output, self.deferred) if self.deferred else output

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.deferred.clear()  # what a failed build left

    def _report(self, config: MkDocsConfig, removed: list[str]) -> None:
        """Warnings for what the sanitizer removed (``--strict`` fails on them), naming the page."""
        page = getattr(config, "_current_page", None)
        where = f" from {page.file.src_uri}" if page is not None else ""
        for what in removed:
            log.warning(f"removed unsafe HTML{where}: {what}")

    def _nav(self, files: Files) -> list[Any]:
        generated = {page.path for page in self.pages}
        own = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in generated)
        modules = list(self.module_paths)
        nav: list[Any] = [{"Home": "index.md"}, {"Modules": modules}, {"Your progress": "progress.md"}]
        nav.append({"Certificate": "certificate.md"})
        if "glossary.md" in generated:
            nav.append({"Glossary": "glossary.md"})
        nav += [{"Get help now": "help.md"}, {"Local contacts": "contacts.md"}]
        nav += _group_by_folder(own)
        nav.append({"Facilitator guide": "facilitator.md"})
        return nav

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.modules_dir))
        return server


class _RenderedOnRead(File):
    """A generated page whose Markdown is rendered when MkDocs reads it, and not kept."""

    renderer: Renderer | None = None

    @classmethod
    def of(cls, config: MkDocsConfig, path: str, renderer: Renderer) -> _RenderedOnRead:
        """The page at ``path`` of ``renderer``'s course."""
        file = cls.generated(config, path, content="")
        file.renderer = renderer
        return file

    @property
    def content_string(self) -> str:  # type: ignore[override]
        if self.renderer is not None:
            return self.renderer.render(self.src_uri).content
        return File.content_string.fget(self)  # type: ignore[attr-defined,no-any-return]

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.renderer = None
        File.content_string.fset(self, value)  # type: ignore[attr-defined]


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory between rebuilds (by template and source checksum)."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


def _group_by_folder(paths: list[str]) -> list[Any]:
    """Hand-written pages for the nav: top-level pages first, then one section per folder."""
    top = [p for p in paths if "/" not in p]
    sections: dict[str, list[str]] = {}
    for path in paths:
        if "/" in path:
            sections.setdefault(path.split("/", 1)[0], []).append(path)
    grouped: list[Any] = list(top)
    for folder, pages in sections.items():
        index = [p for p in pages if p.endswith("/index.md")]
        grouped.append({folder.replace("-", " ").capitalize(): index + [p for p in pages if p not in index]})
    return grouped
