"""Moodle GIFT: the course's questions as a text file Moodle's question bank imports.

One ``$CATEGORY`` per module; single and multiple choice with feedback on every choice (a
multiple-answer question gives right choices equal shares of +100% and wrong ones equal shares of
-100%, so ticking everything scores nothing); true/false with feedback for each answer; matching
(``=item -> match``, distractors as pairs with no item); short answer (``=answer``, common wrong
answers at ``%0%`` with their feedback, then a catch-all ``*`` for any other answer); the
explanation as general feedback. GIFT has no ordering or scenario question and no per-question
weight: those questions are left out (``omissions.py``), and Moodle gives every question a mark
of 1. Question fields are plain text in coursegen, so they are marked
``[plain]``: Moodle shows them exactly as written, and no HTML or Markdown in them takes effect.
"""

from __future__ import annotations

from ..model import LoadedCourse, Module, Question
from .omissions import exported
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


def arrowless(text: str | None) -> str:
    """Escaped text with ``->`` written as an arrow: GIFT cannot escape ``->``, and Moodle reads a
    question whose answers hold it as matching (and splits a pair at its first one)."""
    return escape(text).replace("->", "\u2192")


def _answers(question: Question) -> list[str]:
    """The answer lines of a matching or short-answer question."""
    if question.type == "matching":
        lines = [f"={arrowless(p.item)} -> {escape(p.match)}" for p in question.pairs or []]
        known = {line(p.match) for p in question.pairs or []}
        # A pair with no item is a distractor: Moodle offers its match to every item.
        lines += [f"= -> {escape(d)}" for d in question.distractors or [] if line(d) not in known]
        return lines
    right = f"#{arrowless(question.correct_feedback)}" if question.correct_feedback else ""
    lines = [f"={arrowless(answer)}{right}" for answer in question.accepted or []]
    # Moodle takes the first answer that matches, so the wrong answers come after the right ones.
    lines += [f"=%0%{arrowless(w.answer)}#{arrowless(w.feedback)}" for w in question.wrong_answers or []]
    if question.incorrect_feedback:
        lines.append(f"=%0%*#{arrowless(question.incorrect_feedback)}")
    return lines


def question_text(question: Question) -> str:
    """One question in GIFT, without the blank line that separates questions."""
    head = f"::{escape(question.id)}::[plain]{escape(question.prompt)} {{"
    general = f"\n####{escape(question.explanation)}\n}}"
    if question.type in ("matching", "short_answer"):
        return "\n".join([head, *_answers(question)]) + general
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
    """The whole question bank (knowledge checks and quizzes of every module) as GIFT text,
    without the questions GIFT has no type for (see ``omissions``)."""
    blocks = [f"// {line(loaded.course.title)}: question bank exported by coursegen".replace("\n", " ")]
    for number, module in enumerate(loaded.modules, start=1):
        questions = exported(module, "GIFT")
        if not questions:
            continue
        blocks.append(module_category(loaded, module, number))
        blocks.extend(question_text(q) for q in questions)
    return "\n\n".join(blocks) + "\n"
