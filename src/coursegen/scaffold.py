"""Create new courses and module skeletons, and write the JSON Schemas for editors."""

from __future__ import annotations

import json
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .model import SLUG, Course, Module

SCHEMA_DIR = "schema"
_SCAFFOLD_FILES = ("mkdocs.yml", "modules/course.yml", "modules/welcome.yml", "docs/about.md")


class ScaffoldError(Exception):
    """A scaffold could not be written; the message says why."""


def slugify(text: str) -> str:
    """A slug from free text ('My Course' → 'my-course')."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64].strip("-") or "course"


def _ecmascript(schema: Any) -> Any:
    """The schema with its patterns in JSON Schema's (ECMAScript's) dialect: there ``$`` without
    the m flag is the end of the text, which pydantic's patterns write as ``\\z``."""
    if isinstance(schema, dict):
        return {
            k: v[:-2] + "$" if k == "pattern" and isinstance(v, str) and v.endswith("\\z") else _ecmascript(v)
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_ecmascript(v) for v in schema]
    return schema


def schemas() -> dict[str, dict[str, object]]:
    """JSON Schemas of module files and course.yml, by file name."""
    result: dict[str, dict[str, object]] = {}
    for name, model in (("module.schema.json", Module), ("course.schema.json", Course)):
        schema = _ecmascript(model.model_json_schema())
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        result[name] = schema
    return result


def write_schemas(root: Path) -> list[Path]:
    """Write the schemas into ``root/schema/``; return the files written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = folder / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _scaffold_file(name: str) -> Traversable:
    return resources.files("coursegen").joinpath("scaffold", *name.split("/"))


def init_project(target: Path, title: str) -> list[Path]:
    """Create a course in ``target`` that builds at once; refuse to overwrite files."""
    clashes = [name for name in _SCAFFOLD_FILES if (target / name).exists()]
    if clashes:
        raise ScaffoldError(f"{target} already has {', '.join(clashes)}; choose an empty folder")
    env = Environment(autoescape=False, keep_trailing_newline=True)  # noqa: S701 - YAML, not HTML
    values = {"title": json.dumps(title, ensure_ascii=False), "course_id": slugify(title)}
    written = []
    for name in _SCAFFOLD_FILES:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(env.from_string(_scaffold_file(name).read_text("utf-8")).render(values), encoding="utf-8")
        written.append(path)
    written += write_schemas(target)
    gitignore = target / ".gitignore"
    if not gitignore.exists():
        # The site, the build's lock and working folders, and what `coursegen check` keeps.
        gitignore.write_text("site/\n.site.coursegen-*\n.cache/\n", encoding="utf-8")
        written.append(gitignore)
    return written


MODULE_SKELETON = """\
# yaml-language-server: $schema=../schema/module.schema.json
id: {module_id}
title: {title}
summary: One or two sentences for the course home page.
audiences: []          # audience ids from course.yml
duration_minutes: 15
requires: []           # module ids to take first
objectives:
  - Name one thing a learner can do after this module
lessons:
  - title: First lesson
    body: |
      Write the lesson in Markdown. Material admonitions work:

      !!! note "Remember"
          Keep paragraphs short; many learners read on a phone.
    facilitator_notes: Notes for a trainer running this module with a group.
    discussion:
      - A question for the group
key_points:
  - The one thing to remember
quiz:
  pass_mark: 80
  questions:
    - id: q-first
      type: single
      prompt: Replace this question.
      choices:
        - text: The right answer
          correct: true
          feedback: Why this is right.
        - text: A wrong answer a learner might really choose
          feedback: Why this is not right.
        - text: Another plausible wrong answer, as long as the right one
          feedback: Why this is not right.
      explanation: Shown after answering. Name the source.
      assesses: [1]        # the objectives this question tests (1 = the first)
resources: []
"""


def new_module(modules_dir: Path, module_id: str, title: str | None = None) -> tuple[Path, bool]:
    """Write a module skeleton; return its path and whether course.yml's order was updated."""
    if not re.fullmatch(SLUG, module_id) or len(module_id) > 64:
        shown = module_id.encode("unicode_escape").decode("ascii")  # a newline or escape shows as \n, \x1b
        raise ScaffoldError(f"'{shown}' is not a valid module id: use lower-case letters, digits and hyphens")
    path = modules_dir / f"{module_id}.yml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists")
    if not modules_dir.is_dir():
        raise ScaffoldError(f"{modules_dir} does not exist; run `coursegen init` first")
    shown_title = json.dumps(title or module_id.replace("-", " ").capitalize(), ensure_ascii=False)
    path.write_text(MODULE_SKELETON.format(module_id=module_id, title=shown_title), encoding="utf-8")
    return path, _append_to_order(modules_dir / "course.yml", module_id)


def _append_to_order(course_file: Path, module_id: str) -> bool:
    """Add the module to the block list under ``modules:`` in course.yml, keeping comments."""
    if not course_file.exists():
        return False
    lines = course_file.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"modules:[ \t]*(?:#[^\r\n]*)?\r?\n?", line)), None)
    if start is None:
        return False
    end = start + 1
    indent = "  "
    while end < len(lines) and (re.match(r"^\s+-\s", lines[end]) or not lines[end].strip()):
        if lines[end].strip():
            indent = lines[end][: len(lines[end]) - len(lines[end].lstrip())]
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    if lines[end - 1] and not lines[end - 1].endswith("\n"):
        lines[end - 1] += "\n"
    lines.insert(end, f"{indent}- {module_id}\n")
    course_file.write_text("".join(lines), encoding="utf-8")
    return True
