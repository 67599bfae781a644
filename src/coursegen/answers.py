"""short_answer: how a typed answer is compared with the accepted ones.

assets/answers.js does the same in the browser, for the site's quiz.js and for the LMS launcher
(``normalise`` and ``matches``); browser tests run one table of cases through it, on a page and in
the launcher. Change them together.

An answer is normalised before comparing: Unicode NFKC (full-width letters, ligatures), lower
case, punctuation (Unicode category P) removed, runs of white space made one space, none at the
ends. In an author's accepted or wrong answer, ``*`` stands for any text (also none). There are no
regular expressions: :func:`answer_matches` finds the pieces between the stars in order, each at
its first place, which takes time proportional to the length of the texts.
"""

from __future__ import annotations

import unicodedata

WILDCARD = "*"
# A stand-in for an author's '*' while the rest of the pattern is normalised: a private-use
# character, which NFKC, lower-casing and punctuation removal all leave alone.
_STAND_IN = "\ue000"
MAX_ANSWER_LENGTH = 200
"""The longest answer a learner can type (the input's maxlength; stored answers are cut there)."""


def normalise_answer(text: str) -> str:
    """``text`` as answers are compared: NFKC, lower case, no punctuation, single spaces."""
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = "".join(char for char in folded if not unicodedata.category(char).startswith("P"))
    return " ".join(kept.split())


def pattern_pieces(pattern: str) -> list[str]:
    """An author's answer normalised and cut at its wildcards: ``"Call 911*"`` gives
    ``["call 911", ""]``; a pattern without ``*`` gives one piece."""
    marked = normalise_answer(pattern.replace(WILDCARD, _STAND_IN))
    pieces = marked.split(_STAND_IN)
    # Two stars in a row mean what one means.
    return [piece for i, piece in enumerate(pieces) if piece or i in (0, len(pieces) - 1)] if pieces else [""]


def pieces_match(pieces: list[str], answer: str) -> bool:
    """Whether a normalised ``answer`` matches a pattern given as :func:`pattern_pieces`."""
    if len(pieces) == 1:
        return answer == pieces[0]
    first, *middle, last = pieces
    if len(answer) < len(first) + len(last) or not answer.startswith(first) or not answer.endswith(last):
        return False
    position, end = len(first), len(answer) - len(last)
    for piece in middle:
        found = answer.find(piece, position, end)
        if found == -1:
            return False
        position = found + len(piece)
    return True


def answer_matches(pattern: str, answer: str) -> bool:
    """Whether a learner's ``answer`` (as typed) matches an author's ``pattern`` (``*`` = any text)."""
    return pieces_match(pattern_pieces(pattern), normalise_answer(answer))


def example_of(pattern: str) -> str:
    """A plain answer the pattern accepts: its pieces, with a space for each wildcard."""
    return " ".join(piece for piece in pattern_pieces(pattern) if piece)
