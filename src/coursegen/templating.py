"""The Jinja2 environment every coursegen template renders in (site pages and print documents).

Learner-visible strings in templates are written ``{{ _("Text") }}`` (jinja2.ext.i18n, newstyle
gettext with ``%(name)s`` placeholders), so a language's catalog can translate them.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable

from jinja2 import Environment, PackageLoader, StrictUndefined


def template_environment(
    filters: dict[str, Callable[..., object]], translations: gettext.NullTranslations | None = None
) -> Environment:
    """A fresh environment for the package's templates, with these filters and translations
    (English, the written text, when none are given)."""
    env = Environment(
        loader=PackageLoader("coursegen", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(filters)
    return env
