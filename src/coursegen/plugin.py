"""The MkDocs plugin: the only part of coursegen that knows MkDocs.

It loads the course on ``on_config`` (so a bad course stops the build before anything is
written), adds the generated pages and assets with ``File.generated``, builds the navigation
when mkdocs.yml has none, and makes ``mkdocs serve`` watch the modules folder.
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .checkcache import CACHE_FOLDER
from .coursemap import course_map_script, map_script_name
from .errors import CourseInvalid
from .htmlsafety import content_security_policy
from .i18n import SOURCE_LANGUAGE, catalog_script, resolve_language, translations
from .loader import translated_files
from .loadonce import fingerprint, forget_course, keep_results, load_course_once
from .mdext import deferred_store, restore_blocks
from .model import Course, LoadedCourse
from .navspeed import faster_nav
from .offline import write_worker
from .pagecache import PAGE_CACHE_FOLDER, PageCache
from .render import (
    ASSET_DIR,
    ASSETS,
    Page,
    RenderCache,
    Renderer,
    asset,
    module_path,
    render_problems,
)
from .renderahead import RenderAhead, render_ahead
from .sitelinks import course_nav, other_languages
from .templating import COMPILED, TEMPLATE_CACHE_FOLDER
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


# mkdocs-static-i18n (plugin "i18n") sets theme.language and filters the files in its own on_config
# and on_files (priority -100), and builds each further language by calling build() again on the
# same config. Ours run after its (-110): they see the language being built, and our generated
# pages are not dropped by its filter (it only knows files in docs_dir).
AFTER_STATIC_I18N = -110


def static_i18n_prefix(config: MkDocsConfig) -> str:
    """Where mkdocs-static-i18n puts this build's pages: "" for its default language, "es/" for
    Spanish; "" without it."""
    plugin = config.plugins.get("i18n")
    current = getattr(plugin, "current_language", None)
    default = getattr(plugin, "default_language", None)
    return f"{current}/" if plugin is not None and current and default and current != default else ""


class CourseConfig(base.Config):
    """Options under ``plugins: - coursegen:`` in mkdocs.yml."""

    modules_dir = c.Type(str, default="modules")
    """Folder with course.yml and the module files, relative to mkdocs.yml."""
    nav = c.Type(bool, default=True)
    """Build the navigation when mkdocs.yml has no ``nav:``."""
    offline = c.Type(bool, default=True)
    """Keep the course in the learner's browser after the first visit (a service worker)."""
    check_cache = c.Type(bool, default=True)
    """Keep what checking each module file found in .cache/coursegen/check/ beside mkdocs.yml (as
    ``coursegen check`` does), compiled templates and rendered module pages: a rebuild re-checks
    and re-renders only the module files that changed."""


class CoursePlugin(BasePlugin[CourseConfig]):
    """Adds a course built from YAML modules to an MkDocs site."""

    def __init__(self) -> None:
        self.loaded: LoadedCourse | None = None
        self.pages: list[Page] = []
        self.modules_dir = Path("modules")
        self.serving = False
        self.problems: CourseInvalid | None = None
        """While serving: the problems of the course since the last save (None when it loads)."""
        self.language = SOURCE_LANGUAGE
        """This build's language (theme.language); mkdocs-static-i18n runs one build per language."""
        self.own_nav: list[Any] | None = None
        """The nav this plugin made (replaced on each language's build, never a user's nav)."""
        self.deferred = deferred_store()
        """Generated blocks of pages being built, put back after the search plugin read the page."""
        self.titles: dict[str, str] = {}
        """Titles of the generated pages, by path (prefixed under mkdocs-static-i18n)."""
        self.unsearched: set[str] = set()
        self.dirty = False
        self.render_cache = RenderCache()
        self.last_build: tuple[object, dict[str, str]] | None = None
        """For dirty builds: what the last build depended on beyond page content, and each page's Markdown."""
        self.partial = False
        self.renderer: Renderer | None = None
        """A build's pages, rendered as MkDocs reads them."""
        self.ahead: RenderAhead | None = None
        """Module pages being rendered in worker processes, ahead of MkDocs reading them."""
        self.course: Course | None = None
        self.module_paths: list[str] = []
        self.stored: PageCache | None = None
        """Module pages kept on disk between builds (pruned after each build)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is ``serve`` (having this hook also keeps one plugin for all rebuilds),
        and whether rebuilds are dirty: only the pages that changed (``coursegen serve``)."""
        self.serving = command == "serve"
        self.dirty = dirty
        if self.serving:
            keep_results()  # each save re-checks only the files it changed

    @event_priority(AFTER_STATIC_I18N)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.modules_dir = (root / self.config.modules_dir).resolve()
        language, warning = resolve_language(config.theme.get("language"))
        if warning:
            log.warning(warning)
        self.language = language.code
        translated_in = self.language if self.language != SOURCE_LANGUAGE else None
        self.stored = None  # set again below for a course without problems
        self._stop_rendering_ahead(finished=False)  # mkdocs-static-i18n: the last language's build is over
        try:
            # Once per process: `coursegen build` has just loaded it to check it.
            cache = root / CACHE_FOLDER if self.config.check_cache else None
            COMPILED.folder = root / TEMPLATE_CACHE_FOLDER if self.config.check_cache else None
            self.loaded = load_course_once(
                self.modules_dir, root, Path(config.docs_dir), language=translated_in, cache_folder=cache
            )
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
            translated = {Path(name).stem for name in translated_files(self.modules_dir, translated_in)}
            alternates = config.extra.get("alternate")
            others = other_languages(
                self.loaded, self.modules_dir, self.language, alternates, directory_urls=config.use_directory_urls
            )
            cache = self.render_cache if self.serving else None
            # Module pages an earlier build rendered from the same inputs are read back, not rendered again.
            self.stored = (
                PageCache(root / PAGE_CACHE_FOLDER, self.course, self.language) if self.config.check_cache else None
            )
            renderer = Renderer(
                self.loaded, self.language, others, frozenset(translated), cache=cache, stored=self.stored
            )
            if self.serving:  # every page now: a rebuild compares them with the last build's
                self.pages = [renderer.render(path) for path in renderer.paths()]
                renderer.finish()
                self.renderer = None
            else:  # each page when MkDocs reads it: a big course's pages are never all in memory
                self.pages = [renderer.outline(path) for path in renderer.paths()]
                self.renderer = renderer
                self.ahead = render_ahead(renderer)  # the module pages the page cache lacks, on every core
                forget_course()  # the renderer has it; nothing else in this build needs it
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # The blocks the renderer marked with this process's key (the extension's default).
        config.mdx_configs["coursegen.mdext"] = {
            "report": lambda removed: self._report(config, removed),
            "deferred": self.deferred,
        }
        # Our partials fix accessibility gaps of stock Material; a user's custom_dir still wins.
        if str(THEME_OVERRIDES) not in config.theme.dirs:  # once, though mkdocs-static-i18n reruns this
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        # The language's catalog, then t() and tn() for every script below. (mkdocs-static-i18n
        # runs on_config again for each language on the same lists: no duplicates, no other catalog.)
        # (Only what this method adds: sitebuild puts lms.js first for LMS packages.)
        scripts = ("i18n.js", "answers.js", "quiz.js", "scenario.js", "certificate.js", *XAPI_SCRIPTS)
        own = {f"{ASSET_DIR}/{name}" for name in scripts}
        own |= {f"{ASSET_DIR}/quiz.css", f"{ASSET_DIR}/certificate.css"}
        generated = (f"{ASSET_DIR}/i18n-", f"{ASSET_DIR}/course-map-")
        mine = lambda item: str(item) in own or str(item).startswith(generated)  # noqa: E731
        config.extra_javascript[:] = [item for item in config.extra_javascript if not mine(item)]
        config.extra_css[:] = [item for item in config.extra_css if not mine(item)]
        config.extra_css.append(f"{ASSET_DIR}/quiz.css")
        config.extra_javascript.append(f"{ASSET_DIR}/i18n-{self.language}.js")
        config.extra_javascript.append(f"{ASSET_DIR}/i18n.js")
        if self.loaded and self.loaded.course.xapi:  # opt-in: learners' results also go to the organisation's LRS
            config.extra_javascript += [f"{ASSET_DIR}/{name}" for name in XAPI_SCRIPTS]
        config.extra_javascript.append(f"{ASSET_DIR}/answers.js")  # the short-answer rules quiz.js judges with
        config.extra_javascript.append(f"{ASSET_DIR}/quiz.js")
        config.extra_javascript.append(f"{ASSET_DIR}/scenario.js")  # after quiz.js: see scenario.js
        config.extra_css.append(f"{ASSET_DIR}/path.css")
        config.extra_javascript.append(f"{ASSET_DIR}/{map_script_name(self.language)}")  # what path.js reads
        config.extra_javascript.append(f"{ASSET_DIR}/path.js")  # after quiz.js: it restores checks through it
        config.extra_css.append(f"{ASSET_DIR}/certificate.css")
        config.extra_javascript.append(f"{ASSET_DIR}/certificate.js")
        if self._offline(config):
            config.extra_javascript.append(f"{ASSET_DIR}/offline.js")
        if self.loaded and self.loaded.course.sections and self.config.nav and config.nav is None:
            # With parts, each page's navigation carries only the open part: pages of a large
            # catalogue stay small and build faster.
            features = list(config.theme.get("features") or [])
            if "navigation.prune" not in features:
                config.theme["features"] = [*features, "navigation.prune"]
        if config.theme.get("font") is not False:
            log.warning("theme.font is not false: Material would load fonts from Google's servers. Set 'font: false'.")
        return config

    @event_priority(AFTER_STATIC_I18N)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        prefix = static_i18n_prefix(config)
        pages = [Page(prefix + page.path, page.content, page.title, page.search_exclude) for page in self.pages]
        if self.problems is not None:  # serve after a broken save: every page shows the problems
            paths = [page.path for page in pages] or [prefix + "index.md"]
            pages = [render_problems(self.problems.errors, self.language, path) for path in paths]
        self.titles = {page.path: page.title for page in pages}
        self.unsearched = {page.path for page in pages if page.search_exclude}
        if self.renderer is not None and self.problems is None:
            renderer = self.renderer
            generated = [
                _RenderedOnRead.of(config, prefix + path, renderer, path, self.ahead) for path in renderer.paths()
            ]
        else:
            generated = [File.generated(config, page.path, content=page.content) for page in pages]
        generated += [File.generated(config, f"{ASSET_DIR}/{n}", content=asset(n)) for n in ASSETS]
        catalog = catalog_script(self.language)
        generated.append(File.generated(config, f"{ASSET_DIR}/i18n-{self.language}.js", content=catalog))
        # The course map, once for the whole site: each page's URL as MkDocs writes it. (While the
        # course has problems, an empty map: the pages show the problems.)
        urls = {file.src_uri: file.url for file in generated}
        course = self.loaded if self.problems is None else None
        script = course_map_script(course, self.language, url=lambda path: urls.get(prefix + path, ""))
        generated.append(File.generated(config, f"{ASSET_DIR}/{map_script_name(self.language)}", content=script))
        if self.loaded and self.loaded.course.xapi:
            tag = "en-US" if self.language == SOURCE_LANGUAGE else self.language  # the statements' language map
            settings = xapi_settings(self.loaded, config.site_url, tag)
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
        if self.config.nav and (config.nav is None or config.nav is self.own_nav):
            config.nav = self._nav(files, prefix) if self.loaded is not None else [{"Problems": prefix + "index.md"}]
            self.own_nav = config.nav
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
            self.language,
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

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Pages for trainers stay out of the search index (which every learner downloads)."""
        if page.file.src_uri in self.unsearched and page.file.generated_by is not None:
            page.meta["search"] = {"exclude": True}
        return markdown

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Our theme partials' own words (``{{ _("Made with") }}``) in this build's language.
        The theme's templates are compiled once, not again at every rebuild (MkDocs makes a new
        Jinja environment each time) nor, with ``check_cache``, at every build (Jinja checks each
        template's source). Every page has been read by now: a build lets go of the course."""
        if "jinja2.ext.InternationalizationExtension" not in env.extensions:
            env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(translations(self.language), newstyle=True)
        env.bytecode_cache = COMPILED
        faster_nav(env)
        if not self.serving:
            self._stop_rendering_ahead(finished=True)
            self.renderer = None
            self.loaded = None
        return env

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build stops the workers rendering ahead, dropping the pages not started."""
        self._stop_rendering_ahead(finished=False)

    def _stop_rendering_ahead(self, *, finished: bool) -> None:
        if self.ahead is not None:
            self.ahead.close(finished=finished)
            self.ahead = None

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

    @event_priority(AFTER_STATIC_I18N)
    def on_page_context(self, context: Any, *, page: MkDocsPage, config: MkDocsConfig, nav: Any) -> Any:
        """Under mkdocs-static-i18n, Material's language menu on a generated page links to the same
        page in each language (the plugin only knows the pages in docs_dir, and would leave the
        links of the last page it handled)."""
        base = getattr(config.plugins.get("i18n"), "extra_alternate", None)
        if page.file.generated_by is None or not isinstance(base, list) or not base:
            return context
        prefix = static_i18n_prefix(config)
        path = page.url[len(prefix) :] if prefix and page.url.startswith(prefix) else page.url
        alternates = copy.deepcopy(base)
        for alternate in alternates:
            if isinstance(alternate, dict) and isinstance(alternate.get("link"), str):
                alternate["link"] = alternate["link"].rstrip("/") + "/" + path
        config.extra["alternate"] = alternates
        # mkdocs-static-i18n sets it as an attribute, which Material's template reads first.
        if "alternate" in vars(config.extra):
            config.extra.alternate = alternates
        return context

    @staticmethod
    def _in_package(config: MkDocsConfig) -> bool:
        """A build for an LMS package (``sitebuild``'s ``for_package``), which loads the LMS bridge.
        Read from this build's config: MkDocs reuses one plugin object for every build of a process."""
        return any(str(script).endswith(f"{ASSET_DIR}/lms.js") for script in config.extra_javascript)

    def _offline(self, config: MkDocsConfig) -> bool:
        """Whether pages register the service worker: not under ``serve`` (an author must see each
        save at once), not in an LMS package (the LMS serves it), not when turned off."""
        return self.config.offline and not self.serving and not self._in_package(config)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the service worker at the site's root (a worker that removes itself when offline
        is off or under ``serve``, so that no browser keeps serving an earlier build)."""
        if self.stored is not None and not self.serving:  # serve takes most pages from memory, unseen by it
            self.stored.prune()
        self.stored = None
        if self._in_package(config):
            return
        search = config.plugins.get("material/search") or config.plugins.get("search")
        langs = (search.config.get("lang") if search is not None else None) or [config.theme.get("language") or "en"]
        # coursegen's scripts this build's pages do not load (the LMS bridge; xAPI when it is off).
        loaded = {str(script) for script in config.extra_javascript}
        unloaded = {f"{ASSET_DIR}/{n}" for n in ASSETS if n.endswith(".js")} - loaded
        kept = write_worker(Path(config.site_dir), enabled=self._offline(config), search_langs=langs, unloaded=unloaded)
        if kept["files"]:
            log.info(f"offline: the service worker keeps {kept['files']} files ({kept['bytes']:,} bytes)")

    def _nav(self, files: Files, prefix: str = "") -> list[Any]:
        assert self.loaded is not None
        generated = {page.path for page in self.pages}
        placed = {prefix + path for path in generated}
        own = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in placed)
        return course_nav(self.loaded, generated, own, self.language, prefix)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.modules_dir))
        return server


class _RenderedOnRead(File):
    """A generated page whose Markdown is rendered when MkDocs reads it, and not kept."""

    renderer: Renderer | None = None
    ahead: RenderAhead | None = None
    page_path = ""

    @classmethod
    def of(
        cls, config: MkDocsConfig, src_uri: str, renderer: Renderer, path: str, ahead: RenderAhead | None
    ) -> _RenderedOnRead:
        """The page at ``src_uri`` of the site: the renderer's page ``path`` (which workers may be
        rendering ``ahead``)."""
        file = cls.generated(config, src_uri, content="")
        file.renderer, file.page_path, file.ahead = renderer, path, ahead
        return file

    @property
    def content_string(self) -> str:  # type: ignore[override]
        if self.renderer is not None:
            if self.ahead is not None:
                self.ahead.wait_for(self.page_path)
            return self.renderer.render(self.page_path).content
        return File.content_string.fget(self)  # type: ignore[attr-defined,no-any-return]

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.renderer = None
        File.content_string.fset(self, value)  # type: ignore[attr-defined]
