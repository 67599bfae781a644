"""What checking each module file found, kept between runs: ``coursegen check`` then re-checks
only the files that changed (a course of 1,000 modules takes seconds to check from scratch).

An entry is keyed by a hash of everything its result depends on: the file's bytes and shown
path, the course settings a module check reads (audiences, remote hosts) and coursegen's own
code. A changed file, setting or coursegen version simply misses. Entries are JSON files
written atomically; a damaged or foreign entry is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import CourseError, CourseInvalid
from .model import Module
from .quizlint import longest_answer_rate
from .validate import ModuleFacts

CACHE_FOLDER = Path(".cache") / "coursegen" / "check"
"""Where, under the project's folder (beside mkdocs.yml), entries are kept."""
MODULE_SUFFIX = ".module"
"""Beside an entry of a valid module file: the module, read only when needed."""


@dataclass
class ModuleResult:
    """What checking one module file on its own found."""

    errors: list[CourseError]
    warnings: list[CourseError]
    """Quiz-quality warnings (shown only when the whole course has no errors)."""
    facts: ModuleFacts | None = None
    """None when the file has errors of its own."""
    module_file: Path | None = None
    """Where a stored result's module is (read only when the module is needed)."""
    questions: int = 0
    longest_answers: tuple[int, int] = (0, 0)
    """(single-choice questions whose right answer is the longest choice, single-choice questions)."""
    _module: Module | None = None
    module_json: bytes | None = None
    """A valid module as its entry stores it (what the file set), when it came from a worker process:
    sending JSON is cheaper than pickling the model, and most checks never need the model."""

    @classmethod
    def of(
        cls, errors: list[CourseError], warnings: list[CourseError], module: Module, facts: ModuleFacts
    ) -> ModuleResult:
        """The result of a valid module file."""
        return cls(
            errors,
            warnings,
            facts,
            None,
            len(module.questions()),
            longest_answer_rate(module),
            module,
        )

    def with_module_as_json(self) -> ModuleResult:
        """This result with its module as JSON, as a worker process sends it back."""
        if self._module is None:
            return self
        module_json = self._module.model_dump_json(exclude_unset=True).encode("utf-8")
        return replace(self, _module=None, module_json=module_json)

    def module(self) -> Module:
        """The validated module (a stored one is read from its file the first time it is needed, so
        that a big course's modules are never in memory twice, as text and as models)."""
        if self._module is None and self.module_json is not None:
            self._module = Module.model_validate_json(self.module_json)
            self.module_json = None
        if self._module is None:
            assert self.module_file is not None, "only valid module files have a module"
            try:
                self._module = Module.model_validate_json(self.module_file.read_bytes())
            except (OSError, ValueError):  # changed or removed since it was found: say so, no traceback
                shown = str(self.module_file)
                hint = "delete the .cache/coursegen/ folder beside mkdocs.yml and run again"
                raise CourseInvalid([CourseError(shown, 1, 1, "this check cache entry cannot be read", hint)]) from None
        return self._module


@cache
def code_version() -> str:
    """A hash of coursegen's own code and templates: new rules must not be hidden by old entries."""
    digest = hashlib.sha256()
    package = resources.files("coursegen")
    for folder in (package, package / "templates"):
        for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
            if item.name.endswith((".py", ".j2")):
                digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()


def entry_key(content: bytes, shown_path: str, context: object) -> str:
    """The key of a module file's entry."""
    digest = hashlib.sha256(code_version().encode())
    digest.update(json.dumps([shown_path, context], sort_keys=True).encode())
    digest.update(content)
    return digest.hexdigest()


class CheckCache:
    """Entries in ``folder``; reads and writes never raise (a cache must not break a check)."""

    in_files = True
    """Entries are files in ``folder``, which worker processes can write too."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> ModuleResult | None:
        """The stored result, or None when there is none (or it cannot be read)."""
        try:
            path = self._path(key)
            data = json.loads(path.read_text(encoding="utf-8"))
            module_file = path.with_suffix(MODULE_SUFFIX) if data["module"] else None
            if module_file is not None and not module_file.is_file():
                return None
            result = ModuleResult(
                errors=[CourseError(*e) for e in data["errors"]],
                warnings=[CourseError(*w) for w in data["warnings"]],
                facts=_facts(data["facts"]) if data["facts"] else None,
                module_file=module_file,
                questions=int(data["questions"]),
                longest_answers=(int(data["longest"][0]), int(data["longest"][1])),
            )
        except (OSError, ValueError, TypeError, KeyError):
            return None
        self.used.add(key)
        return result

    def put(self, key: str, result: ModuleResult) -> ModuleResult:
        """Store a result (atomically, the module first: a reader never sees half an entry), and
        return it; one whose module came as JSON comes back reading its module from the entry
        when needed, rather than holding the JSON in memory."""
        data = {
            "errors": [list(asdict(e).values()) for e in result.errors],
            "warnings": [list(asdict(w).values()) for w in result.warnings],
            "facts": asdict(result.facts) if result.facts else None,
            "module": result.facts is not None,
            "questions": result.questions,
            "longest": list(result.longest_answers),
        }
        path = self._path(key)
        try:
            if result.facts is not None:
                # Only what the file set: a module read back is then equal and no bigger in memory
                # (every default written out would count as set, in a set of names per object).
                module = result.module_json  # a worker process's result has it ready
                if module is None:
                    module = result.module().model_dump_json(exclude_unset=True).encode("utf-8")
                write_atomically(path.with_suffix(MODULE_SUFFIX), module)
            write_atomically(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
        except OSError:
            return result
        self.used.add(key)
        if result.module_json is not None:
            return replace(result, module_json=None, module_file=path.with_suffix(MODULE_SUFFIX))
        return result

    def prune(self) -> None:
        """Remove entries this run did not use, once they outnumber the used ones (old versions of files)."""
        try:
            for entry in unused_entries(self.folder, "*/*.json", self.used, lambda e: e.stem):
                entry.unlink(missing_ok=True)
                entry.with_suffix(MODULE_SUFFIX).unlink(missing_ok=True)
        except OSError:
            return


_TEMPORARY = (".entry-", ".tmp")
STALE_TEMPORARY_SECONDS = 3600
"""A temporary file older than this was left by a run that was killed while writing (a running
one replaces its file within moments)."""


def unused_entries(folder: Path, pattern: str, used: set[str], key: Callable[[Path], str]) -> list[Path]:
    """What a cache removes after a run (raises OSError): the entries in ``folder`` (``pattern``)
    whose ``key`` this run did not use, once they outnumber the used ones, and the temporary files
    of ``write_atomically`` that a killed run left behind."""
    entries = list(folder.glob(pattern))
    unused = [] if len(entries) <= 2 * len(used) + 100 else [e for e in entries if key(e) not in used]
    before = time.time() - STALE_TEMPORARY_SECONDS
    prefix, suffix = _TEMPORARY
    return unused + [t for t in folder.glob(f"*/{prefix}*{suffix}") if _modified_before(t, before)]


def _modified_before(path: Path, moment: float) -> bool:
    try:
        return path.stat().st_mtime < moment
    except OSError:  # replaced by the run that wrote it, meanwhile
        return False


def write_atomically(path: Path, data: bytes) -> None:
    """Write a cache entry so that a reader never sees half of it (raises OSError, and then leaves
    no temporary file behind)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix, suffix = _TEMPORARY
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _facts(data: dict[str, Any]) -> ModuleFacts:
    return ModuleFacts(
        path=data["path"],
        id=data["id"],
        requires=tuple(data["requires"]),
        id_at=tuple(data["id_at"]),  # type: ignore[arg-type]
        requires_at=tuple(data["requires_at"]),  # type: ignore[arg-type]
        each_require_at=tuple(tuple(at) for at in data["each_require_at"]),  # type: ignore[misc]
        links=tuple(tuple(link) for link in data["links"]),  # type: ignore[misc]
    )
