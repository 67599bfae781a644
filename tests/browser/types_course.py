"""A small course with one question of each type of issue #14 that tests/browser/test_question_types.py
plays: ordering, matching and short_answer with points, a long single-choice question (mixed per
attempt) and one that keeps its written order (``shuffle: false``); the same questions again in
an exam."""

from __future__ import annotations

from pathlib import Path

from .support import coursegen

MODULE = """\
id: practice
title: Practice types
summary: One question of each type.
audiences: [everyone]
duration_minutes: 10
objectives:
  - Try every question type
lessons:
  - title: Practice
    body: |
      Each question below is of another type.
    checks:
      - id: check-word
        type: short_answer
        prompt: Which word names the page that lists your results?
        accepted: ["progress", "progress page"]
        correct_feedback: Right. The progress page lists your results.
        incorrect_feedback: The page is called Progress.
        explanation: The progress page lists your quiz results.
quiz:
  pass_mark: 80
  questions:
    - id: steps
      type: ordering
      prompt: Put the steps of a response in order.
      items:
        - Notice what you see and hear
        - Write down what you observed
        - Tell your supervisor
        - Report through the named channel
        - Keep your notes safe
      correct_feedback: Right. Observe, note, tell, report, keep.
      incorrect_feedback: Not quite. Noting comes before telling and reporting.
      explanation: "Source: the practice lesson."
      points: 3
      assesses: [1]
    - id: roles
      type: matching
      prompt: Match each sign to the staff member most likely to notice it.
      pairs:
        - item: A sign stays on the door for days
          match: Housekeeping
          feedback: Housekeeping staff see room use day to day.
        - item: A guest pays for several rooms in cash
          match: Front desk
        - item: A car waits in the lot all night
          match: Security
      distractors: [Kitchen]
      incorrect_feedback: Some matches are not right yet; see the answer.
      explanation: "Source: the practice lesson."
      points: 3
      assesses: [1]
    - id: number
      type: short_answer
      prompt: Someone is in immediate danger. What number do you call?
      accepted: ["911", "nine one one"]
      wrong_answers:
        - answer: "*hotline*"
          feedback: The hotline is for reports and advice; in an emergency call 911 first.
      correct_feedback: Right. In an emergency, call 911.
      incorrect_feedback: In an emergency, call 911.
      explanation: "Source: the practice lesson."
      points: 2
      assesses: [1]
    - id: colour
      type: single
      prompt: Which of these is the first colour of the rainbow?
      choices:
        - text: Red
          correct: true
          feedback: Yes, red is first.
        - text: Orange
          feedback: No, orange is second.
        - text: Yellow
          feedback: No, yellow is third.
        - text: Green
          feedback: No, green is fourth.
        - text: Blue
          feedback: No, blue is fifth.
        - text: Indigo
          feedback: No, indigo is sixth.
        - text: Violet
          feedback: No, violet is last.
        - text: Black
          feedback: No, black is not in the rainbow.
      explanation: "Source: the practice lesson."
      points: 1
      assesses: [1]
    - id: fixed
      type: single
      prompt: Which answer is written first?
      shuffle: false
      choices:
        - text: The first one
          correct: true
          feedback: Yes.
        - text: The second one
          feedback: No.
        - text: The third one
          feedback: No.
      explanation: "Source: the practice lesson."
      points: 1
      assesses: [1]
"""


# The same ordering and short-answer questions in an exam (quiz mode: exam): its review sheet.
EXAM = (
    MODULE.replace("id: practice", "id: practice-exam", 1)
    .replace("title: Practice types", "title: Exam types", 1)
    .replace("quiz:\n  pass_mark: 80", "quiz:\n  mode: exam\n  pass_mark: 80", 1)
)


def make_types_course(project: Path, site: Path) -> None:
    """``coursegen init`` at ``project``, the practice module and its exam twin added, built to ``site``."""
    coursegen("init", str(project), "--title", "Types Course", cwd=project.parent)
    (project / "modules" / "practice.yml").write_text(MODULE, encoding="utf-8")
    (project / "modules" / "practice-exam.yml").write_text(EXAM, encoding="utf-8")
    course_yml = project / "modules" / "course.yml"
    text = course_yml.read_text(encoding="utf-8")
    course_yml.write_text(
        text.replace("  - welcome\n", "  - welcome\n  - practice\n  - practice-exam\n"), encoding="utf-8"
    )
    coursegen("build", "--site-dir", str(site), cwd=project)
