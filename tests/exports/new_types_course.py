"""A course with one question of each type #14 added (ordering, matching, short answer, scenario)
beside a single-choice one, valid by the model, for the export tests."""

from __future__ import annotations

from pathlib import Path

from coursegen.loader import load_course
from coursegen.model import LoadedCourse
from coursegen.scaffold import init_project

NEW_TYPES = ("ordering", "matching", "short_answer", "scenario")

NEW_TYPES_MODULE = """\
id: new-types
title: New question types
summary: One question of each new type, for the export tests.
duration_minutes: 5
objectives:
  - Put steps in order, match, answer briefly and walk a scenario
lessons:
  - title: A lesson
    body: |
      Some text.
    checks:
      - id: order-steps
        type: ordering
        prompt: "Put these steps in order: {first} to last"
        items:
          - "Notice what you see & hear"
          - "Write it down -> with the time"
          - "Report it: use the named channel"
        correct_feedback: "Right: observe, note, report."
        incorrect_feedback: "Not quite: noting comes before reporting."
        explanation: "Source: a test fixture ~ with = signs."
        points: 2
quiz:
  questions:
    - id: match-roles
      type: matching
      prompt: "Match each sign to a role #1"
      pairs:
        - item: "A sign stays up -> for days"
          match: Housekeeping
          feedback: "Housekeeping sees rooms daily."
        - item: "Several rooms paid in cash"
          match: "Front desk"
        - item: "Cash for many rooms, again"
          match: "Front desk"
      distractors: ["Parking attendant"]
      correct_feedback: "All matched."
      incorrect_feedback: "Some matches are not right yet."
      explanation: "Source: a test fixture."
      points: 3
    - id: short-number
      type: short_answer
      prompt: "In an emergency, what number do you call?"
      accepted: ["911", "nine one one", "call 911*"]
      wrong_answers:
        - answer: "*hotline*"
          feedback: "The hotline is for reports; in an emergency call 911 first."
      correct_feedback: "Right: 911."
      incorrect_feedback: "In an emergency, call 911."
      explanation: "Source: a test fixture ]]> end."
    - id: desk-scenario
      type: scenario
      prompt: A scenario at the front desk.
      steps:
        - id: start
          text: "It is late. A guest checks in."
          choices:
            - text: Note what you saw and tell your supervisor.
              next: reported
              feedback: You used your workplace's channel.
            - text: Ask the guest directly.
              next: confronted
              feedback: Questioning a guest can put them at risk.
        - id: reported
          text: Your supervisor reports it.
          outcome: good
        - id: confronted
          text: The guest leaves.
          outcome: needs_work
      explanation: "Source: a test fixture."
      points: 2
    - id: plain-single
      type: single
      prompt: A plain single choice.
      choices:
        - text: Right
          correct: true
          feedback: Yes.
        - text: Wrong
          feedback: No.
      explanation: "Source: a test fixture."
      points: 4
"""


def make_new_types_course(root: Path) -> Path:
    """``coursegen init`` at ``root`` plus the new-types module on the learning path; returns root."""
    init_project(root, "New types")
    (root / "modules" / "new-types.yml").write_text(NEW_TYPES_MODULE, encoding="utf-8")
    course_yml = root / "modules" / "course.yml"
    course_yml.write_text(
        course_yml.read_text(encoding="utf-8").replace("  - welcome\n", "  - welcome\n  - new-types\n"),
        encoding="utf-8",
    )
    return root


def load_new_types(root: Path) -> LoadedCourse:
    """The new-types course at ``root``, loaded as ``coursegen check`` does."""
    return load_course(root / "modules", root)
