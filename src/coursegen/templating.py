"""The Jinja2 environment every coursegen template renders in (site pages and print documents).

Learner-visible strings in templates are written ``{{ _("Text") }}`` (jinja2.ext.i18n, newstyle
gettext with ``%(name)s`` placeholders), so a language's catalog can translate them.
"""

from __future__ import annotations

import gettext
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import jinja2.bccache
from jinja2 import BytecodeCache, Environment, PackageLoader, StrictUndefined


class CompiledTemplates(BytecodeCache):
    """Compiled templates, kept in memory for the process and, once ``folder`` is set, on disk:
    compiling the theme's and coursegen's templates is most of a small build's fixed cost, and
    they rarely change. Jinja stores each template's source checksum with its code and compiles
    again when the source changed; a damaged or foreign file is compiled over."""

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}
        self.folder: Path | None = None

    def _file(self, key: str) -> Path | None:
        return self.folder / f"{key}.jinja" if self.folder is not None else None

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` from memory or from the folder."""
        code = self.codes.get(bucket.key)
        file = self._file(bucket.key)
        if code is None and file is not None:
            try:
                code = file.read_bytes() if file.is_file() and not file.is_symlink() else None
            except OSError:
                code = None
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep a newly compiled template (on disk atomically; a folder that cannot be written to
        only means compiling again next time)."""
        code = bucket.bytecode_to_string()
        self.codes[bucket.key] = code
        file = self._file(bucket.key)
        if file is None:
            return
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(code)
            os.replace(temporary, file)
        except OSError:
            pass


TEMPLATE_CACHE_FOLDER = Path(".cache") / "coursegen" / "templates"
"""Where, under the project's folder, builds keep compiled templates (beside the check cache)."""

COMPILED = CompiledTemplates()
"""Shared by coursegen's environments and (set by the plugin) the theme's."""


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
        bytecode_cache=COMPILED,
    )
    env.install_gettext_translations(translations or gettext.NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(filters)
    return env
