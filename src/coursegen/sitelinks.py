"""How the pages of a course's site lead to one another: its navigation, and each module page's
versions in the site's other languages. The plugin and ``coursegen render`` (for other engines)
both use these, so that the two sites agree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .i18n import SOURCE_LANGUAGE, resolve_language, translations
from .loader import translated_files
from .model import LoadedCourse
from .render import FIXED_PAGES, MODULE_DIR, OtherLanguage


def course_nav(loaded: LoadedCourse, generated: set[str], own: list[str], language: str, prefix: str = "") -> list[Any]:
    """The site's navigation: home, the modules (in parts when the course has sections), the
    fixed pages, then ``own`` (the hand-written pages: top-level ones, then a section per folder),
    then the facilitator guide. ``generated``: the generated pages' paths; ``prefix``: the
    language's folder under mkdocs-static-i18n, before every generated page."""
    modules: list[Any] = [f"{prefix}{MODULE_DIR}/{m.id}.md" for m in loaded.modules]
    if loaded.course.sections:
        modules = [
            {section.title: [f"{prefix}{MODULE_DIR}/{m.id}.md" for m in members]}
            for section, members in loaded.sections()
            if members
        ]
    # The labels are msgids of the templates and render.py (the catalogs hold them).
    tr = translations(language).gettext
    nav: list[Any] = [{tr("Home"): prefix + "index.md"}, {tr("Modules"): modules}]
    nav += [{tr(FIXED_PAGES["progress"]): prefix + "progress.md"}, {tr("Certificate"): prefix + "certificate.md"}]
    if "glossary.md" in generated:
        nav.append({tr(FIXED_PAGES["glossary"]): prefix + "glossary.md"})
    nav += [{tr(FIXED_PAGES["help"]): prefix + "help.md"}, {tr(FIXED_PAGES["contacts"]): prefix + "contacts.md"}]
    nav += _by_folder(own)
    nav.append({tr(FIXED_PAGES["facilitator"]): prefix + "facilitator.md"})
    return nav


def _by_folder(paths: list[str]) -> list[Any]:
    """Hand-written pages for the nav: top-level pages first, then one section per folder, its
    index page first."""
    grouped: list[Any] = [path for path in paths if "/" not in path]
    sections: dict[str, list[str]] = {}
    for path in paths:
        if "/" in path:
            sections.setdefault(path.split("/", 1)[0], []).append(path)
    for folder, pages in sections.items():
        index = [p for p in pages if p.endswith("/index.md")]
        grouped.append({folder.replace("-", " ").capitalize(): index + [p for p in pages if p not in index]})
    return grouped


def other_languages(
    loaded: LoadedCourse, modules_dir: Path, language: str, alternates: object, *, directory_urls: bool
) -> dict[str, list[OtherLanguage]]:
    """By module id, the module's versions in the other languages of Material's
    ``extra.alternate`` (which mkdocs-static-i18n fills in): English always, another language
    when ``modules/<lang>/<id>.yml`` exists."""
    found: dict[str, list[OtherLanguage]] = {}
    for alternate in alternates if isinstance(alternates, list) else []:
        if not isinstance(alternate, dict) or not alternate.get("lang") or not alternate.get("link"):
            continue
        code = resolve_language(str(alternate["lang"]))[0].code
        if code == language or str(alternate["lang"]).split("-")[0].lower() != code:
            continue
        names = translated_files(modules_dir, code) if code != SOURCE_LANGUAGE else {}
        base = str(alternate["link"]).rstrip("/") + "/"
        for module in loaded.modules:
            if code == SOURCE_LANGUAGE or f"{module.id}.yml" in names or f"{module.id}.yaml" in names:
                page = f"{MODULE_DIR}/{module.id}/" if directory_urls else f"{MODULE_DIR}/{module.id}.html"
                name = str(alternate.get("name") or code)
                found.setdefault(module.id, []).append(OtherLanguage(code, name, base + page))
    return found
