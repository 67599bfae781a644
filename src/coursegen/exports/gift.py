"""Moodle GIFT: the course's questions as a text file Moodle's question bank imports.

One ``$CATEGORY`` per module; single and multiple choice with feedback on every choice (a
multiple-answer question gives right choices equal shares of +100% and wrong ones equal shares of
-100%, so ticking everything scores nothing); true/false with feedback for each answer; the
explanation as general feedback. Question fields are plain text in coursegen, so they are marked
``[plain]``: Moodle shows them exactly as written, and no HTML or Markdown in them takes effect.
"""

from __future__ import annotations

from ..model import LoadedCourse, Module, Question
from .text import line

GIFT_SPECIALS = "~=#{}:"


def escape(text: str | None) -> str:
    """Plain text for a GIFT question: one line, the backslash and ``~ = # { } :`` escaped."""
    out = []
    for char in line(text):
        if char == "\\" or char in GIFT_SPECIALS:
            out.append("\\")
        out.append(char)
    return "".join(out)


def category_name(text: str) -> str:
    """A category name: Moodle reads the line raw and splits it at ``/`` (``//`` is a slash)."""
    return line(text).replace("/", "//")


def weight(share: float, digits: int = 5) -> str:
    """A percentage with Moodle's precision (``33.33333``), without trailing zeros."""
    return f"{share:.{digits}f}".rstrip("0").rstrip(".")


def multiple_weights(question: Question) -> list[float]:
    """Percent per choice: the right ones share +100, the wrong ones share -100."""
    choices = question.options()
    right = sum(1 for c in choices if c.correct)
    wrong = len(choices) - right
    return [100 / right if c.correct else (-100 / wrong) for c in choices]


def question_text(question: Question) -> str:
    """One question in GIFT, without the blank line that separates questions."""
    head = f"::{escape(question.id)}::[plain]{escape(question.prompt)} {{"
    general = f"\n####{escape(question.explanation)}\n}}"
    if question.type == "true_false":
        right = question.true_feedback if question.answer else question.false_feedback
        wrong = question.false_feedback if question.answer else question.true_feedback
        # Moodle's importer: the first feedback is for a wrong answer, the second for the right one.
        answer = "TRUE" if question.answer else "FALSE"
        return f"{head}{answer}#{escape(wrong)}#{escape(right)}{general}"
    lines = [head]
    if question.type == "single":
        for choice in question.options():
            mark = "=" if choice.correct else "~"
            lines.append(f"{mark}{escape(choice.text)}#{escape(choice.feedback)}")
    else:
        for choice, share in zip(question.options(), multiple_weights(question), strict=True):
            lines.append(f"~%{weight(share)}%{escape(choice.text)}#{escape(choice.feedback)}")
    return "\n".join(lines) + general


def module_category(loaded: LoadedCourse, module: Module, number: int) -> str:
    """The category line of a module: course, then numbered module title."""
    course = category_name(loaded.course.title)
    return f"$CATEGORY: $course$/top/{course}/{category_name(f'{number}. {module.title}')}"


def export_gift(loaded: LoadedCourse) -> str:
    """The whole question bank (knowledge checks and quizzes of every module) as GIFT text."""
    blocks = [f"// {line(loaded.course.title)}: question bank exported by coursegen".replace("\n", " ")]
    for number, module in enumerate(loaded.modules, start=1):
        questions = module.questions()
        if not questions:
            continue
        blocks.append(module_category(loaded, module, number))
        blocks.extend(question_text(q) for q in questions)
    return "\n\n".join(blocks) + "\n"
