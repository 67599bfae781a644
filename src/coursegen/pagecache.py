"""Module pages rendered by an earlier build, kept between builds: a rebuild renders again only
the module pages whose inputs changed (rendering a module page's quiz and check forms costs about
as much as MkDocs' own work on it, and most rebuilds change one module or none).

An entry is keyed by a hash of everything the page is made from, as ``Renderer`` knows it: the
module, its number, the modules it requires (id and title), its versions in other languages,
the course settings, the language and its catalog, coursegen's own code and the template
libraries' versions. Any change simply misses. Entries are written atomically and compressed; a
damaged or foreign entry is ignored and rendered again.

A page's quiz and check forms are marked with the rendering process's block key
(``coursegen.mdext``). An entry keeps the key it was rendered with, and a page read back gets this
process's key in its place: the key stays random per build, so no course file can know it.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import asdict
from functools import cache
from importlib import metadata
from pathlib import Path

from .checkcache import code_version, unused_entries, write_atomically
from .i18n import DOMAIN, LOCALE_DIR
from .model import Course
from .render import ModuleInputs

PAGE_CACHE_FOLDER = Path(".cache") / "coursegen" / "pages"
"""Where, under the project's folder (beside mkdocs.yml), builds keep rendered module pages."""

_KEY_LENGTH = 32  # PROCESS_KEY: 16 random bytes in hex


@cache
def _libraries() -> str:
    """The versions of the libraries a page's Markdown comes out of (a new Jinja could write it differently)."""
    return ",".join(f"{name}={metadata.version(name)}" for name in ("Jinja2", "MarkupSafe"))


def _catalog(language: str) -> bytes:
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        return path.read_bytes()
    except OSError:
        return b""  # English, or a language without a catalog: the written words


class PageCache:
    """Rendered module pages of one language in ``folder``/<language>; reads and writes never
    raise (a cache must not break a build)."""

    def __init__(self, folder: Path, course: Course, language: str) -> None:
        self.folder = folder / language
        self.used: set[str] = set()
        common = hashlib.sha256()
        for part in (code_version(), _libraries(), language, course.model_dump_json()):
            common.update(part.encode("utf-8") + b"\0")
        common.update(_catalog(language))
        self._common = common

    def key(self, inputs: ModuleInputs) -> str:
        """The key of a module page made from ``inputs``."""
        digest = self._common.copy()
        digest.update(inputs.module.model_dump_json().encode("utf-8") + b"\0")
        required = [[r.id, r.title] for r in inputs.required]
        others = [asdict(o) for o in inputs.other_languages]
        digest.update(json.dumps([inputs.number, required, others, inputs.untranslated], ensure_ascii=False).encode())
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.md.z"

    def has(self, key: str) -> bool:
        """Whether there is an entry for ``key`` (``get`` may still find it unusable)."""
        try:
            return self._path(key).is_file()
        except OSError:
            return False

    def get(self, key: str, block_key: str) -> str | None:
        """The page's Markdown with its blocks marked with ``block_key``, or None when there is
        no usable entry."""
        try:
            data = zlib.decompress(self._path(key).read_bytes()).decode("utf-8")
        except (OSError, zlib.error, UnicodeDecodeError):
            return None
        stored, newline, content = data.partition("\n")
        if not newline or len(stored) != _KEY_LENGTH or not stored.isalnum():
            return None
        self.used.add(key)
        return content if stored == block_key else content.replace(stored, block_key)

    def put(self, key: str, content: str, block_key: str) -> None:
        """Keep a page rendered with ``block_key`` (atomically: a reader never sees half an entry)."""
        if len(block_key) != _KEY_LENGTH or not block_key.isalnum():
            return  # only this process's kind of key can be put back
        try:
            write_atomically(self._path(key), zlib.compress(f"{block_key}\n{content}".encode(), 1))
        except OSError:
            return
        self.used.add(key)

    def prune(self) -> None:
        """Remove entries this build did not use, once they outnumber the used ones (pages of
        modules since edited or removed)."""
        try:
            for entry in unused_entries(self.folder, "*/*.md.z", self.used, lambda e: e.name.removesuffix(".md.z")):
                entry.unlink(missing_ok=True)
        except OSError:
            return
