"""The MkDocs plugin: the only part of coursegen that knows MkDocs.

It loads the course on ``on_config`` (so a bad course stops the build before anything is
written), adds the generated pages and assets with ``File.generated``, builds the navigation
when mkdocs.yml has none, and makes ``mkdocs serve`` watch the modules folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage

from .errors import CourseInvalid
from .htmlsafety import content_security_policy, harden_html
from .loader import load_course
from .model import LoadedCourse
from .offline import write_worker
from .render import ASSET_DIR, ASSETS, Page, asset, render_pages, render_problems
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

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether this is ``serve`` (having this hook also keeps one plugin for all rebuilds)."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        self.modules_dir = (root / self.config.modules_dir).resolve()
        try:
            self.loaded = load_course(self.modules_dir, root, Path(config.docs_dir))
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
            self.pages = render_pages(self.loaded)
        for name in REQUIRED_EXTENSIONS:
            if name not in config.markdown_extensions:
                config.markdown_extensions.append(name)
        # Our partials fix accessibility gaps of stock Material; a user's custom_dir still wins.
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        config.extra_css.append(f"{ASSET_DIR}/quiz.css")
        config.extra_javascript.append(f"{ASSET_DIR}/i18n.js")  # t() and tn() for every script below
        if self.loaded.course.xapi:  # opt-in: learners' results also go to the organisation's LRS
            config.extra_javascript += [f"{ASSET_DIR}/{name}" for name in XAPI_SCRIPTS]
        config.extra_javascript.append(f"{ASSET_DIR}/quiz.js")
        config.extra_javascript.append(f"{ASSET_DIR}/scenario.js")  # after quiz.js: see scenario.js
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

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        pages = self.pages
        if self.problems is not None:  # serve after a broken save: every page shows the problems
            content = render_problems(self.problems.errors)
            paths = [page.path for page in self.pages] or ["index.md"]
            pages = [Page(path, content) for path in paths]
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
        return files

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

    def _nav(self, files: Files) -> list[Any]:
        assert self.loaded is not None
        generated = {page.path for page in self.pages}
        own = sorted(f.src_uri for f in files.documentation_pages() if f.src_uri not in generated)
        modules: list[Any] = [f"modules/{m.id}.md" for m in self.loaded.modules]
        if self.loaded.course.sections:
            modules = [
                {section.title: [f"modules/{m.id}.md" for m in members]}
                for section, members in self.loaded.sections()
                if members
            ]
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
