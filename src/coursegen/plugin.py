"""The MkDocs plugin: the only part of coursegen that knows MkDocs.

It loads the course on ``on_config`` (so a bad course stops the build before anything is
written), adds the generated pages and assets with ``File.generated``, builds the navigation
when mkdocs.yml has none, and makes ``mkdocs serve`` watch the modules folder.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .errors import CourseInvalid
from .htmlsafety import content_security_policy, harden_html
from .i18n import SOURCE_LANGUAGE, catalog_script, resolve_language, translations
from .loader import load_course, translated_files
from .model import LoadedCourse
from .offline import write_worker
from .render import ASSET_DIR, ASSETS, FIXED_PAGES, OtherLanguage, Page, asset, render_pages, render_problems
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

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is ``serve`` (having this hook also keeps one plugin for all rebuilds)."""
        self.serving = command == "serve"

    @event_priority(AFTER_STATIC_I18N)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.modules_dir = (root / self.config.modules_dir).resolve()
        language, warning = resolve_language(config.theme.get("language"))
        if warning:
            log.warning(warning)
        self.language = language.code
        translated_in = self.language if self.language != SOURCE_LANGUAGE else None
        try:
            self.loaded = load_course(self.modules_dir, root, Path(config.docs_dir), language=translated_in)
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
            translated = {Path(name).stem for name in translated_files(self.modules_dir, translated_in)}
            others = self._other_languages(config)
            self.pages = render_pages(self.loaded, self.language, others, frozenset(translated))
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # Our partials fix accessibility gaps of stock Material; a user's custom_dir still wins.
        if str(THEME_OVERRIDES) not in config.theme.dirs:  # once, though mkdocs-static-i18n reruns this
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        # The language's catalog, then t() and tn() for every script below. (mkdocs-static-i18n
        # runs on_config again for each language on the same lists: no duplicates, no other catalog.)
        # (Only what this method adds: sitebuild puts lms.js first for LMS packages.)
        own = {f"{ASSET_DIR}/{name}" for name in ("i18n.js", "quiz.js", "scenario.js", "certificate.js", *XAPI_SCRIPTS)}
        own |= {f"{ASSET_DIR}/quiz.css", f"{ASSET_DIR}/certificate.css"}
        mine = lambda item: str(item) in own or str(item).startswith(f"{ASSET_DIR}/i18n-")  # noqa: E731
        config.extra_javascript[:] = [item for item in config.extra_javascript if not mine(item)]
        config.extra_css[:] = [item for item in config.extra_css if not mine(item)]
        config.extra_css.append(f"{ASSET_DIR}/quiz.css")
        config.extra_javascript.append(f"{ASSET_DIR}/i18n-{self.language}.js")
        config.extra_javascript.append(f"{ASSET_DIR}/i18n.js")
        if self.loaded and self.loaded.course.xapi:  # opt-in: learners' results also go to the organisation's LRS
            config.extra_javascript += [f"{ASSET_DIR}/{name}" for name in XAPI_SCRIPTS]
        config.extra_javascript.append(f"{ASSET_DIR}/quiz.js")
        config.extra_javascript.append(f"{ASSET_DIR}/scenario.js")  # after quiz.js: see scenario.js
        config.extra_css.append(f"{ASSET_DIR}/path.css")
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
        pages = [Page(prefix + page.path, page.content) for page in self.pages]
        if self.problems is not None:  # serve after a broken save: every page shows the problems
            content = render_problems(self.problems.errors, self.language)
            paths = [page.path for page in pages] or [prefix + "index.md"]
            pages = [Page(path, content) for path in paths]
        generated = [File.generated(config, page.path, content=page.content) for page in pages]
        generated += [File.generated(config, f"{ASSET_DIR}/{n}", content=asset(n)) for n in ASSETS]
        catalog = catalog_script(self.language)
        generated.append(File.generated(config, f"{ASSET_DIR}/i18n-{self.language}.js", content=catalog))
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
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """Our theme partials' own words (``{{ _("Made with") }}``) in this build's language."""
        if "jinja2.ext.InternationalizationExtension" not in env.extensions:
            env.add_extension("jinja2.ext.i18n")
        env.install_gettext_translations(translations(self.language), newstyle=True)
        return env

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Safe links on every page, a last check on course pages, and the CSP for main.html
        (``extra.coursegen_csp`` in mkdocs.yml replaces it; an empty one leaves it out)."""
        if "coursegen_csp" not in config.extra:
            xapi = self.loaded.course.xapi if self.loaded else None
            connect = (xapi_origin(xapi.endpoint),) if xapi else ()
            hosts = self.loaded.course.remote_hosts if self.loaded else []
            config.extra["coursegen_csp"] = content_security_policy(
                config.theme.get_env(), live_reload=self.serving, connect=connect, media_hosts=hosts
            )
        html, removed = harden_html(html, course_page=page.file.generated_by is not None)
        for what in removed:
            log.warning(f"removed unsafe HTML from {page.file.src_uri}: {what}")
        return html

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
        if self._in_package(config):
            return
        search = config.plugins.get("material/search") or config.plugins.get("search")
        langs = (search.config.get("lang") if search is not None else None) or [config.theme.get("language") or "en"]
        kept = write_worker(Path(config.site_dir), enabled=self._offline(config), search_langs=langs)
        if kept["files"]:
            log.info(f"offline: the service worker keeps {kept['files']} files ({kept['bytes']:,} bytes)")

    def _nav(self, files: Files, prefix: str = "") -> list[Any]:
        assert self.loaded is not None
        generated = {prefix + page.path for page in self.pages}
        own = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in generated)
        modules: list[Any] = [f"{prefix}modules/{m.id}.md" for m in self.loaded.modules]
        if self.loaded.course.sections:
            modules = [
                {section.title: [f"{prefix}modules/{m.id}.md" for m in members]}
                for section, members in self.loaded.sections()
                if members
            ]
        # The labels are msgids of the templates and render.py (the catalogs hold them).
        tr = translations(self.language).gettext
        nav: list[Any] = [{tr("Home"): prefix + "index.md"}, {tr("Modules"): modules}]
        nav += [{tr(FIXED_PAGES["progress"]): prefix + "progress.md"}]
        nav.append({tr("Certificate"): prefix + "certificate.md"})
        if prefix + "glossary.md" in generated:
            nav.append({tr(FIXED_PAGES["glossary"]): prefix + "glossary.md"})
        nav += [{tr(FIXED_PAGES["help"]): prefix + "help.md"}, {tr(FIXED_PAGES["contacts"]): prefix + "contacts.md"}]
        nav += _group_by_folder(own)
        nav.append({tr(FIXED_PAGES["facilitator"]): prefix + "facilitator.md"})
        return nav

    def _other_languages(self, config: MkDocsConfig) -> dict[str, list[OtherLanguage]]:
        """By module id, the module's versions in the other languages of Material's
        ``extra.alternate`` (which mkdocs-static-i18n fills in): English always, another language
        when ``modules/<lang>/<id>.yml`` exists."""
        assert self.loaded is not None
        found: dict[str, list[OtherLanguage]] = {}
        alternates = config.extra.get("alternate") or []
        for alternate in alternates if isinstance(alternates, list) else []:
            if not isinstance(alternate, dict) or not alternate.get("lang") or not alternate.get("link"):
                continue
            code = resolve_language(str(alternate["lang"]))[0].code
            if code == self.language or str(alternate["lang"]).split("-")[0].lower() != code:
                continue
            names = translated_files(self.modules_dir, code) if code != SOURCE_LANGUAGE else {}
            base = str(alternate["link"]).rstrip("/") + "/"
            for module in self.loaded.modules:
                if code == SOURCE_LANGUAGE or f"{module.id}.yml" in names or f"{module.id}.yaml" in names:
                    page = f"modules/{module.id}/" if config.use_directory_urls else f"modules/{module.id}.html"
                    name = str(alternate.get("name") or code)
                    found.setdefault(module.id, []).append(OtherLanguage(code, name, base + page))
        return found

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.modules_dir))
        return server


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
