"""coursegen: self-paced training courses with quizzes, from YAML modules to a Material for MkDocs site."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import CourseError, CourseInvalid
    from .loader import load_course
    from .model import Course, LoadedCourse, Module, Question, Quiz
    from .render import render_pages

__version__ = "0.1.0"

_PUBLIC = {
    "Course": ".model",
    "CourseError": ".errors",
    "CourseInvalid": ".errors",
    "LoadedCourse": ".model",
    "Module": ".model",
    "Question": ".model",
    "Quiz": ".model",
    "load_course": ".loader",
    "render_pages": ".render",
}
__all__ = [  # _PUBLIC's names, spelled out for type checkers and linters
    "Course",
    "CourseError",
    "CourseInvalid",
    "LoadedCourse",
    "Module",
    "Question",
    "Quiz",
    "__version__",
    "load_course",
    "render_pages",
]


def __getattr__(name: str) -> Any:
    """The public API, imported on first use (PEP 562): `coursegen --version` and the commands
    that need no course model start without pydantic, Markdown and Jinja."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'coursegen' has no attribute {name!r}")
    return getattr(importlib.import_module(_PUBLIC[name], __name__), name)
