"""The languages of coursegen's own words: gettext catalogs read straight from their .po files.

Every learner-visible string of coursegen (template text, page titles, script messages) is an
English msgid in ``locale/<lang>/LC_MESSAGES/coursegen.po``. Babel reads the .po at build time
(no .mo compile step) and gives the plural rule; the same catalog becomes a small script for the
browser (``catalog_script``), so templates and scripts translate from one file. Nothing here keeps
state between builds: a catalog is read once per process and never changed.
"""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "coursegen"
SOURCE_LANGUAGE = "en"
"""The language the msgids are written in, and the fallback for a language without a catalog."""

# A gettext plural expression is C; the subset catalogs use (n, integers, comparisons, arithmetic,
# && || ! and ?:) is also JavaScript. Anything else is refused before it reaches a script.
_PLURAL_TOKENS = re.compile(r"(?:\s|n|\d+|[()?:%+\-*/]|[=!<>]=|[<>!]|&&|\|\|)*")


@dataclass(frozen=True)
class Language:
    """A build's language: its catalog code and the BCP 47 tag pages and dates use."""

    code: str
    tag: str


def available_languages() -> list[str]:
    """Codes of the languages with a catalog, source language first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda code: code != SOURCE_LANGUAGE)


def resolve_language(requested: str | None) -> tuple[Language, str | None]:
    """The catalog language for a theme's ``language`` (``es``, ``es-MX``, ``es_US``), and a warning
    when coursegen has no catalog for it (the pages are then in English)."""
    wanted = (requested or SOURCE_LANGUAGE).strip().replace("_", "-")
    base = wanted.split("-", 1)[0].lower()
    if base in available_languages():
        return Language(base, wanted if base != wanted.lower() else base), None
    warning = (
        f"theme.language {requested!r}: coursegen has no catalog for it, so its own words stay in English "
        f"(catalogs: {', '.join(available_languages())})."
    )
    return Language(SOURCE_LANGUAGE, SOURCE_LANGUAGE), warning


@cache
def read_catalog(code: str) -> Catalog:
    """The catalog of a language, read from its .po file."""
    path = LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=code, domain=DOMAIN)


class CatalogTranslations(gettext.NullTranslations):
    """gettext's interface over a Babel catalog: untranslated or fuzzy messages fall back to the
    English msgid, plural forms follow the catalog's rule."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__()
        self.catalog = catalog
        self._plural = gettext.c2py(catalog.plural_expr)
        self._messages: dict[str, str | tuple[str, ...]] = {}
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            key = message.id[0] if isinstance(message.id, tuple | list) else message.id
            if isinstance(message.string, tuple | list):
                if all(message.string):
                    self._messages[key] = tuple(message.string)
            elif message.string:
                self._messages[key] = message.string

    def gettext(self, message: str) -> str:
        found = self._messages.get(message)
        return found if isinstance(found, str) else message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        found = self._messages.get(msgid1)
        if isinstance(found, tuple):
            index = self._plural(n)
            if 0 <= index < len(found):
                return found[index]
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.ngettext(msgid1, msgid2, n)

    def messages(self) -> dict[str, str | tuple[str, ...]]:
        """Every translated message: msgid → text, or the tuple of plural forms."""
        return dict(self._messages)


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The translations of a language (the English text itself for the source language)."""
    if code == SOURCE_LANGUAGE or code not in available_languages():
        return gettext.NullTranslations()
    return CatalogTranslations(read_catalog(code))


@cache
def script_msgids(code: str) -> frozenset[str]:
    """The msgids of a catalog that scripts use (a location in a .js file)."""
    return frozenset(
        message.id if isinstance(message.id, str) else message.id[0]
        for message in read_catalog(code)
        if message.id and any(path.endswith(".js") for path, _ in message.locations)
    )


def plural_function_js(expression: str) -> str:
    """A catalog's plural expression as JavaScript source (the CSP forbids eval, so the build
    writes the function out)."""
    if not _PLURAL_TOKENS.fullmatch(expression):
        raise ValueError(f"unexpected plural expression in a catalog: {expression!r}")
    return f"function (n) {{ return Number({expression}); }}"


def catalog_script(code: str) -> str:
    """The browser's catalog for a language: sets ``window.coursegenCatalog`` for assets/i18n.js."""
    found = translations(code)
    messages = found.messages() if isinstance(found, CatalogTranslations) else {}
    plural = read_catalog(code).plural_expr if isinstance(found, CatalogTranslations) else "(n != 1)"
    # Only what the scripts can ask for (a third of the catalog; every learner downloads it): the
    # messages whose catalog locations (written by scripts/update_catalogs) include a script.
    wanted = script_msgids(code) if messages else frozenset()  # the source language has none to read
    messages = {k: v for k, v in messages.items() if k in wanted}
    data = json.dumps({k: list(v) if isinstance(v, tuple) else v for k, v in messages.items()}, ensure_ascii=False)
    # "</" never appears in a script file's meaning, but escaping it keeps the file safe to inline.
    data = data.replace("</", "<\\/")
    return (
        f"/* coursegen: the catalog of language {json.dumps(code)}, written by the build from its .po file. */\n"
        f"window.coursegenCatalog = {{ language: {json.dumps(code)}, messages: {data}, "
        f"plural: {plural_function_js(plural)} }};\n"
    )


def language_name(code: str) -> str:
    """A language's name in that language ("español"), for a language switch."""
    try:
        return Locale.parse(code).get_display_name(code) or code
    except (UnknownLocaleError, ValueError):
        return code


# --- extraction (scripts/update_catalogs and the catalog tests) -----------------------------------

PACKAGE_DIR = Path(__file__).parent
# Where learner-visible strings are marked: _() in templates and Python, t()/tn() in scripts.
EXTRACT_METHODS = [
    ("templates/**.j2", "jinja2"),
    ("assets/**.js", "javascript"),
    ("render.py", "python"),
    ("theme_overrides/**.html", "jinja2"),
    ("exports/runtime/**.j2", "jinja2"),
    ("exports/runtime/**.js", "javascript"),
]
EXTRACT_OPTIONS = {
    "templates/**.j2": {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"},
    "theme_overrides/**.html": {"newstyle_gettext": "true"},
    "exports/runtime/**.j2": {"newstyle_gettext": "true"},
}
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "t": None,
    "tn": (1, 2),
}


def extract_template() -> Catalog:
    """Every marked string of the package, as a catalog template (the POT)."""
    from babel.messages.extract import extract_from_dir

    template = Catalog(domain=DOMAIN, project="coursegen", msgid_bugs_address="", fuzzy=False)
    found = extract_from_dir(
        str(PACKAGE_DIR),
        EXTRACT_METHODS,
        EXTRACT_OPTIONS,
        KEYWORDS,
        comment_tags=("Translators:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(f"src/coursegen/{filename}", lineno)], auto_comments=comments, context=context)
    return template
