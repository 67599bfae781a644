"""Find a project's mkdocs.yml and the course folder its coursegen plugin points at."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml files that use MkDocs' own tags (!ENV, !!python/name:…) without running them."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    """A course project: its mkdocs.yml and course folder."""

    config_file: Path
    modules_dir: Path
    docs_dir: Path | None = None
    """The hand-written pages (mkdocs.yml's docs_dir; None: docs/ beside the course folder)."""
    check_cache: bool = True
    """The plugin's ``check_cache`` option: builds keep what checking each file found."""

    @property
    def root(self) -> Path:
        """The folder that holds mkdocs.yml."""
        return self.config_file.parent


def _plugin_options(config: Any) -> dict[str, Any] | None:
    plugins = config.get("plugins") if isinstance(config, dict) else None
    if isinstance(plugins, dict):
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins or []:
        if entry == "coursegen":
            return {}
        if isinstance(entry, dict) and "coursegen" in entry:
            return entry["coursegen"] or {}
    return None


def find_project(config_file: str | Path) -> Project:
    """The project described by ``config_file``; the course folder defaults to ``modules/``."""
    path = Path(config_file).resolve()
    options: dict[str, Any] = {}
    docs_dir: Any = "docs"
    if path.is_file():
        try:
            loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506
        except (yaml.YAMLError, UnicodeDecodeError):
            loaded = None  # MkDocs reports a broken mkdocs.yml itself, with its own position
        options = _plugin_options(loaded) or {}
        if isinstance(loaded, dict) and isinstance(loaded.get("docs_dir"), str):
            docs_dir = loaded["docs_dir"]
    modules_dir = options.get("modules_dir", "modules") if isinstance(options, dict) else "modules"
    return Project(
        config_file=path,
        modules_dir=(path.parent / str(modules_dir)).resolve(),
        docs_dir=(path.parent / docs_dir).resolve(),
        check_cache=options.get("check_cache") is not False if isinstance(options, dict) else True,
    )
