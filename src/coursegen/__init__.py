"""coursegen: self-paced training courses with quizzes, from YAML modules to a Material for MkDocs site."""

from .errors import CourseError, CourseInvalid
from .loader import load_course
from .model import Course, LoadedCourse, Module, Question, Quiz
from .render import render_pages

__version__ = "0.1.0"

__all__ = [
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
