"""Fixtures of the export tests: the flagship course and a course of special characters,
loaded once with the same loader `coursegen check` uses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coursegen.loader import load_course
from coursegen.model import LoadedCourse
from coursegen.scaffold import init_project

REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "tests" / "tooling" / "node_modules"

SPECIAL_PROMPT = 'Tricky ~ = # { } : \\ // "quotes" <b>not bold</b> ]]> &amp; 100% [x](y) *not em* -> ok?'


def missing(what: str) -> None:
    """Skip (or, under CI, fail): a tool these tests need is not installed."""
    message = f"{what}; `bash scripts/test` installs it"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI must run the export tests, not skip them)")
    pytest.skip(message)


@pytest.fixture(scope="session")
def flagship() -> LoadedCourse:
    return load_course(REPO / "modules", REPO)


SPECIAL_MODULE = """\
id: specials
title: "Specials: {braces} / slashes ~ and = signs"
summary: A module whose text is full of characters that GIFT, XML and Markdown treat as syntax.
duration_minutes: 5
objectives:
  - "Read text with # and : and { } in it"
lessons:
  - title: "Lesson <one> & ]]>"
    body: |
      Some **bold** text and a ]]> sequence, & an ampersand.
quiz:
  questions:
    - id: q-single
      type: single
      prompt: 'PROMPT'
      choices:
        - text: "=equals first, then ~tilde"
          correct: true
          feedback: "Right #1: {braces} and colons: stay."
        - text: "#hash first"
          feedback: 'Wrong \\ backslash ]]> end'
      explanation: "Source: a made-up source: with ~ and = signs."
    - id: q-multiple
      type: multiple
      prompt: "Pick the two right ones: {a}, {b}"
      choices:
        - text: "a: right"
          correct: true
          feedback: "a #ok"
        - text: "b = right"
          correct: true
          feedback: "b ~ok"
        - text: "c wrong"
          feedback: "c } no"
        - text: "d wrong"
          feedback: "d { no"
        - text: "e wrong"
          feedback: "e : no"
      explanation: "Two right, three wrong."
    - id: q-true-false
      type: true_false
      prompt: "False is right here: ~ = # { } :"
      answer: false
      true_feedback: "Not quite: it is false {x}."
      false_feedback: "Right: it is false #yes."
      explanation: "General: feedback ]]> with specials."
""".replace("PROMPT", SPECIAL_PROMPT.replace("'", "''"))


@pytest.fixture(scope="session")
def specials(tmp_path_factory: pytest.TempPathFactory) -> LoadedCourse:
    """A course whose one module is full of special characters."""
    root = tmp_path_factory.mktemp("specials")
    init_project(root, "Specials: {course} / title ~ #")
    (root / "modules" / "specials.yml").write_text(SPECIAL_MODULE, encoding="utf-8")
    course_yml = root / "modules" / "course.yml"
    course_yml.write_text(
        course_yml.read_text(encoding="utf-8").replace("  - welcome\n", "  - welcome\n  - specials\n"),
        encoding="utf-8",
    )
    return load_course(root / "modules", root)
