"""``coursegen render --out DIR``: the course as a plain Markdown project any Material-compatible
engine can build without the coursegen plugin (MkDocs, ProperDocs, Zensical).

DIR gets:

- ``docs/``: the generated pages (a front-matter ``title:`` each, since no plugin sets titles),
  the project's hand-written pages (less ``exclude_docs``) and ``docs/assets/coursegen/*``;
- ``overrides/``: coursegen's theme overrides (the CSP meta tag, the escaped tab title, the
  accessibility fixes), for engines that read Material's ``custom_dir``;
- ``mkdocs.yml``: site name, theme, nav (in parts when course.yml has sections), the project's
  and coursegen's ``extra_css``/``extra_javascript`` in the plugin's order (the language's
  catalog script first), the CSP in ``extra.coursegen_csp`` and every Markdown extension the
  pages need, ``coursegen.mdext`` with the key this render marked its quiz blocks with (new and
  random every time, so no course file can know it). Zensical reads this mkdocs.yml too.

The pages are in ``theme.language`` (coursegen's words from its catalog, the modules from
``modules/<language>/`` where translated, a module page's switch to the other languages of
``extra.alternate``), as the plugin builds them. Not carried: the offline
service worker (the plugin writes it from the built site's files, after the engine's build).

Written like ``coursegen build`` writes a site (``sitebuild``): into a working folder beside DIR,
then swapped in; DIR is replaced only if every file in it came from an earlier render (its
manifest), apart from top-level dotfiles and ``site/`` (what an engine built there), which are
kept.
"""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import Any

import click
import pathspec
import yaml
from markupsafe import escape

from .commandline import CourseProblems, config_option, find_course, load_checked
from .coursemap import course_map_script, map_script_name, page_url
from .errors import CourseInvalid
from .htmlsafety import content_security_policy
from .i18n import SOURCE_LANGUAGE, catalog_script, resolve_language, translations
from .loader import translated_files
from .loadonce import load_course_once
from .model import LoadedCourse
from .plugin import REQUIRED_EXTENSIONS, THEME_OVERRIDES  # the same extensions and overrides as a plugin build
from .project import Project, _TolerantLoader
from .render import ASSET_DIR, ASSETS, asset, render_pages
from .sitebuild import (
    SiteBuildError,
    _lock,
    _remove_work_folder,
    _swap_in,
    _sweep_leftovers,
    _umask,
    _work_name,
    _write_manifest,
    refuse_unsafe_output,
)
from .sitelinks import course_nav, other_languages
from .xapi import XAPI_SCRIPTS, xapi_origin, xapi_settings

KEPT = "site"
"""A top-level folder of DIR kept across renders: where an engine builds the rendered project
(Zensical only builds inside the project folder)."""
# Project settings carried into the snippet as they are.
CARRIED = ("site_name", "site_description", "site_author", "copyright", "use_directory_urls")
# Left out: offline.js registers the service worker that the plugin writes after the build.
LEFT_OUT = ("offline.js",)


def scripts_and_styles(language: str, xapi: bool) -> tuple[list[str], list[str]]:
    """coursegen's scripts and styles, in the order the plugin lists them (``on_config``): the
    language's catalog, then i18n.js (t and tn for every other script), xAPI when the course
    sends statements, answers.js before quiz.js, quiz.js before scenario.js and path.js (which
    call it), the course map before path.js (which reads it)."""
    scripts = [f"i18n-{language}.js", "i18n.js", *(XAPI_SCRIPTS if xapi else ())]
    scripts += ["answers.js", "quiz.js", "scenario.js"]
    scripts += [map_script_name(language), "path.js"]
    scripts.append("certificate.js")
    styles = ["quiz.css", "path.css", "certificate.css"]
    return [f"{ASSET_DIR}/{n}" for n in scripts], [f"{ASSET_DIR}/{n}" for n in styles]


def _own(item: Any) -> bool:
    """A script or style of coursegen's (the project's mkdocs.yml may list them for the plugin)."""
    name = str(item.get("path") if isinstance(item, dict) else item)
    return name.startswith(f"{ASSET_DIR}/")


def _listed(configured: Any) -> list[Any]:
    """The project's own ``extra_css``/``extra_javascript`` entries (paths or mappings)."""
    entries = configured if isinstance(configured, list) else []
    return [e for e in entries if isinstance(e, str | dict) and not _own(e)]


def project_language(settings: dict[str, Any]) -> tuple[str, str | None]:
    """The catalog language of mkdocs.yml's ``theme.language`` (as the plugin resolves it), and a
    warning when coursegen has no catalog for it."""
    theme = settings.get("theme")
    requested = theme.get("language") if isinstance(theme, dict) else None
    language, warning = resolve_language(requested if isinstance(requested, str) else None)
    return language.code, warning


def load_translated(project: Project, language: str) -> LoadedCourse:
    """The course in ``language``: each module from ``modules/<language>/`` where it is translated
    (what the plugin builds), with check's messages when a translation is invalid."""
    if language == SOURCE_LANGUAGE:
        return load_checked(project)
    load_checked(project)  # the course itself first: check's messages, in check's order
    try:
        return load_course_once(project.modules_dir, Path.cwd(), project.docs_dir, language=language)
    except CourseInvalid as exc:
        raise CourseProblems(exc) from None


def _project_config(project: Project) -> dict[str, Any]:
    try:
        loaded = yaml.load(project.config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        loaded = None
    return loaded if isinstance(loaded, dict) else {}


def _extensions(configured: Any, key: str) -> list[Any]:
    """The project's Markdown extensions, plus the ones the pages need, ``coursegen.mdext`` last."""
    entries = list(configured) if isinstance(configured, list) else []
    names = {next(iter(e)) if isinstance(e, dict) else e for e in entries}
    entries += [name for name in REQUIRED_EXTENSIONS if name not in names]
    entries = [e for e in entries if (next(iter(e)) if isinstance(e, dict) else e) != "coursegen.mdext"]
    return [*entries, {"coursegen.mdext": {"key": key}}]


def _hand_written(docs_dir: Path | None, exclude: Any) -> list[str]:
    """The project's own docs files to copy: not hidden, not excluded by ``exclude_docs``."""
    if docs_dir is None or not docs_dir.is_dir():
        return []
    spec = pathspec.GitIgnoreSpec.from_lines(exclude.splitlines() if isinstance(exclude, str) else [])
    found = []
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if path.is_file() and not any(p.startswith(".") for p in rel.split("/")) and not spec.match_file(rel):
            found.append(rel)
    return found


# Zensical 0.0.70's search box is a web component that puts one fixed <style> element in its
# shadow root (measured in Chromium: without this hash the policy blocks it and the search box is
# unstyled). A hash allows exactly that style and nothing else, so MkDocs builds lose nothing.
# Another Zensical version may ship another style: tests/engines checks the pinned one.
ZENSICAL_STYLE_HASHES = ("'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='",)


# Our search partial is Material's markup (with the dialog's accessible name added): on Zensical,
# whose search box is another component, it left the header with a bare, unstyled form (seen in
# Chromium). Zensical's own partial (0.0.70) already names the dialog: on Zensical, use that.
ZENSICAL_SEARCH = """{%- if generator is defined and "zensical" in generator -%}
<div class="md-search" data-md-component="search" role="dialog" aria-label="{{ lang.t('search') }}">
  <button type="button" class="md-search__button">
    {{ lang.t('search') }}
  </button>
</div>
{%- else -%}
"""


def _csp(loaded: LoadedCourse) -> str:
    """The policy main.html puts in its meta tag: the hashes of Material's inline scripts (Zensical
    0.0.70's are the same), and the styles of Zensical's search box."""
    from mkdocs.theme import Theme

    env = Theme(name="material", custom_dir=str(THEME_OVERRIDES)).get_env()
    xapi = loaded.course.xapi
    connect = (xapi_origin(xapi.endpoint),) if xapi else ()
    policy = content_security_policy(env, connect=connect, media_hosts=loaded.course.remote_hosts)
    styles = "style-src 'self'"
    if f"; {styles};" not in policy:  # a bug, not bad input: htmlsafety's policy changed shape
        raise RuntimeError("htmlsafety's style-src changed: update renderout's Zensical style hashes")
    return policy.replace(f"; {styles};", f"; {styles} {' '.join(ZENSICAL_STYLE_HASHES)};")


# Our copyright partial says "Made with" through the plugin's catalog (installed in the theme's
# Jinja environment): a rendered project has no plugin, so the words are written in, translated.
MADE_WITH = '{{ _("Made with") }}'


def _overrides(staging: Path, language: str) -> None:
    """The theme overrides, with Zensical's own search box and the copyright line in ``language``."""
    shutil.copytree(THEME_OVERRIDES, staging / "overrides", ignore=shutil.ignore_patterns("__pycache__"))
    search = staging / "overrides" / "partials" / "search.html"
    search.write_text(ZENSICAL_SEARCH + search.read_text(encoding="utf-8") + "{% endif %}\n", encoding="utf-8")
    copyright_html = staging / "overrides" / "partials" / "copyright.html"
    text = copyright_html.read_text(encoding="utf-8")
    if MADE_WITH not in text:  # a bug, not bad input: the partial changed
        raise RuntimeError("theme_overrides/partials/copyright.html changed: update renderout.MADE_WITH")
    words = str(escape(translations(language).gettext("Made with")))
    copyright_html.write_text(text.replace(MADE_WITH, words), encoding="utf-8")


def _write(
    staging: Path, loaded: LoadedCourse, project: Project, settings: dict[str, Any], language: str = SOURCE_LANGUAGE
) -> None:
    docs = staging / "docs"
    key = secrets.token_hex(16)
    # The modules in the course's language: the others say they are shown in English.
    translated_in = language if language != SOURCE_LANGUAGE else None
    translated = frozenset(Path(name).stem for name in translated_files(project.modules_dir, translated_in))
    extra = settings.get("extra")
    alternates = extra.get("alternate") if isinstance(extra, dict) else None
    directory_urls = settings.get("use_directory_urls", True) is not False
    others = other_languages(loaded, project.modules_dir, language, alternates, directory_urls=directory_urls)
    pages = render_pages(loaded, language, others, translated, block_key=key)
    generated = {page.path for page in pages}
    own = _hand_written(project.docs_dir, settings.get("exclude_docs"))
    catalog = f"{ASSET_DIR}/i18n-{language}.js"
    course_map = f"{ASSET_DIR}/{map_script_name(language)}"
    targets = {p.path for p in pages} | {f"{ASSET_DIR}/{n}" for n in ASSETS} | {catalog, course_map}
    for rel in own:
        clash = rel in targets or rel.removesuffix("/index.md") + ".md" in targets
        if clash:
            raise SiteBuildError(
                f"docs/{rel} is a hand-written file at a place the course generates; rename or move it"
            )
        assert project.docs_dir is not None
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(project.docs_dir / rel, docs / rel)
    for page in pages:
        (docs / page.path).parent.mkdir(parents=True, exist_ok=True)
        (docs / page.path).write_text(page.with_front_matter(), encoding="utf-8")
    (docs / ASSET_DIR).mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        if name not in LEFT_OUT:
            (docs / ASSET_DIR / name).write_bytes(asset(name))
    (docs / catalog).write_text(catalog_script(language), encoding="utf-8")
    # The pages' URLs as the engine will write them (MkDocs' rule; Zensical follows it).
    script = course_map_script(loaded, language, url=lambda path: page_url(path, directory_urls))
    (docs / course_map).write_text(script, encoding="utf-8")
    # mkdocs.yml's `site_url: !ENV [SITE_URL, …]` reads as nothing here: SITE_URL is used instead.
    site_url = settings.get("site_url") if isinstance(settings.get("site_url"), str) else os.environ.get("SITE_URL")
    if loaded.course.xapi:
        tag = "en-US" if language == SOURCE_LANGUAGE else language  # the statements' language map
        settings_js = xapi_settings(loaded, site_url, tag)
        (docs / ASSET_DIR / XAPI_SCRIPTS[0]).write_text(settings_js, encoding="utf-8")
    _overrides(staging, language)

    config: dict[str, Any] = {k: settings[k] for k in CARRIED if isinstance(settings.get(k), str | bool)}
    config.setdefault("site_name", loaded.course.title)
    if site_url:
        config["site_url"] = site_url
    theme = dict(settings["theme"]) if isinstance(settings.get("theme"), dict) else {"name": "material"}
    theme["custom_dir"] = "overrides"
    theme.setdefault("font", False)  # no Google Fonts
    if loaded.course.sections:
        # As the plugin does: each page's navigation carries only the open part.
        features = list(theme.get("features") or [])
        theme["features"] = [*features, *(["navigation.prune"] if "navigation.prune" not in features else [])]
    config["theme"] = theme
    config["plugins"] = ["search"]
    config["markdown_extensions"] = _extensions(settings.get("markdown_extensions"), key)
    scripts, styles = scripts_and_styles(language, xapi=loaded.course.xapi is not None)
    config["extra_css"] = [*_listed(settings.get("extra_css")), *styles]
    config["extra_javascript"] = [*_listed(settings.get("extra_javascript")), *scripts]
    extra = dict(settings["extra"]) if isinstance(settings.get("extra"), dict) else {}
    extra.setdefault("coursegen_csp", _csp(loaded))
    config["extra"] = extra
    config["nav"] = course_nav(loaded, generated, [path for path in own if path.endswith(".md")], language)
    header = (
        "# Written by `coursegen render`: the course as plain Markdown for MkDocs, ProperDocs or Zensical,\n"
        "# without the coursegen plugin. Render again after editing the course; edits here are replaced.\n"
        "# coursegen.mdext's key marks this render's quiz blocks: keep it with these pages.\n"
    )
    text = header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=1000)
    (staging / "mkdocs.yml").write_text(text, encoding="utf-8")


def _check_out(out: Path, project: Project) -> None:
    protected = {
        "the project folder": project.root,
        "docs_dir": project.docs_dir,
        "the course folder": project.modules_dir,
    }
    advice = f"; so is {KEPT}/, where an engine builds the rendered course"
    refuse_unsafe_output(
        out, protected, command="render", option="--out", example="rendered/", kept=KEPT, advice=advice
    )


def render_out(loaded: LoadedCourse, project: Project, out: Path, language: str = SOURCE_LANGUAGE) -> None:
    """Write the rendered project into ``out`` atomically (see the module's docstring), its pages
    in ``language`` (a catalog code; ``loaded`` holds the course in that language)."""
    out = out.resolve()
    settings = _project_config(project)
    try:
        _check_out(out, project)
        out.parent.mkdir(parents=True, exist_ok=True)
        with _lock(out):
            _sweep_leftovers(out)
            staging = out.parent / _work_name(out, "new")
            staging.mkdir(0o777 & ~_umask())
            try:
                _write(staging, loaded, project, settings, language)
                _write_manifest(staging)
                if (out / KEPT).is_dir() and not (out / KEPT).is_symlink():
                    os.rename(out / KEPT, staging / KEPT)  # the engine's last build stays
                _swap_in(staging, out)
            finally:
                if staging.exists():
                    if (staging / KEPT).is_dir() and not (out / KEPT).exists():
                        os.rename(staging / KEPT, out / KEPT)  # the swap failed: put it back
                    _remove_work_folder(staging, out)
    except OSError as exc:
        raise SiteBuildError(f"cannot write {out}: {exc.strerror or exc}; nothing was changed") from None


@click.command("render")
@config_option
@click.option(
    "-o", "--out", "out", required=True, type=click.Path(file_okay=False), help="The folder to write (created if new)."
)
def render_command(config_file: str, out: str) -> None:
    """Write the course as a plain Markdown project that any Material-compatible engine builds
    without the coursegen plugin: OUT/docs/ (pages and assets), OUT/overrides/ (theme
    overrides) and OUT/mkdocs.yml (nav, scripts, styles and Markdown extensions, including
    coursegen.mdext, which keeps the pages safe on every engine).

    An invalid course is refused with check's messages and nothing is written. OUT is replaced
    only if an earlier render wrote it (its site/ folder and dotfiles are kept).

    \b
    Examples:
      coursegen render --out rendered
      cd rendered && zensical build             # Zensical reads mkdocs.yml
      cd rendered && mkdocs build -d site       # or properdocs build -f mkdocs.yml
    """
    project = find_course(config_file)
    language, warning = project_language(_project_config(project))
    if warning:
        click.echo(f"warning: {warning}", err=True)
    loaded = load_translated(project, language)
    target = Path(out)
    try:
        render_out(loaded, project, target, language)
    except SiteBuildError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"rendered {target} (build it there with: mkdocs build, properdocs build -f mkdocs.yml or zensical build)"
    )
