"""Hostile text: what copy and paste, phones and mischief put into course files.

``hostile_course`` fills every plain-text field of a course (module and course.yml) with these
payloads, each tagged with a field marker (``F12``) so a test can find where it landed.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from coursegen.render import plain

from .support import write_yaml

XSS_FLAG = "__xss"
PAYLOADS = [
    "<script>window.__xss=1</script>",
    "</script><script>window.__xss=2</script>",
    '"><img src=x onerror="window.__xss=3">',
    "'><svg onload=window.__xss=4>",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {# comment #} ${7*7}",
    "javascript:window.__xss=5",
    "[click](javascript:window.__xss=6) *em* _u_ `code` # h | t | ![i](x.png) <b>b</b>",
    "\u202eevil\u202c right-to-left override, zero\u200bwidth, \u200d joiner, emoji 👩‍👩‍👧 🇺🇸",
    "combining e\u0301 a\u0300\u0301\u0302 Z\u0337\u0322a\u0338l\u0334g\u0335o\u0336 and \u00a0no-break space",
    "&amp; &lt;b&gt; &#60;script&#62; &#x3C;img&#x3E; &copy",
    "]]> <![CDATA[ x ]]> <!-- comment --> <?xml version='1.0'?>",
    "\\ backslash \\\\ `${x}` %s %(x)s \\u0041 \\n",
    '<a href="javascript:window.__xss=7">link</a>',
    "<<script>script>window.__xss=8<</script>/script>",
    '!!! danger "admonition"\n\n    indented code\n\n---\n\n| a | b |\n|---|---|',
    "<style>body{display:none}</style><iframe src=//evil.example></iframe>",
    "مرحبا עברית 日本語 한국어 Ελληνικά",
]


def expected(value: str) -> str:
    """What a learner sees of a plain-text value: controls and bidi overrides gone, spaces collapsed."""
    return " ".join(plain(value).split())


class Payloads:
    """Hands out payloads, each tagged with a marker, and remembers them."""

    def __init__(self) -> None:
        self.cycle = itertools.cycle(PAYLOADS)
        self.given: list[str] = []

    def __call__(self) -> str:
        value = f"{next(self.cycle)} F{len(self.given)}"
        self.given.append(value)
        return value


def hostile_module(text: Payloads, module_id: str = "welcome") -> dict:
    def question(qid: str, kind: str) -> dict:
        q: dict = {"id": qid, "type": kind, "prompt": text(), "explanation": text()}
        if kind == "true_false":
            q.update(answer=True, true_feedback=text(), false_feedback=text())
        else:
            q["choices"] = [
                {"text": text(), "correct": True, "feedback": text()},
                {"text": text(), "correct": kind == "multiple", "feedback": text()},
                {"text": text(), "feedback": text()},
            ]
        return q

    return {
        "id": module_id,
        "title": text(),
        "summary": text(),
        "audiences": ["everyone"],
        "duration_minutes": 10,
        "content_note": text(),
        "objectives": [text(), text()],
        "lessons": [
            {
                "title": text(),
                "body": "A plain **Markdown** body.\n",
                "checks": [question("check-one", "single"), question("check-two", "true_false")],
                "facilitator_notes": text(),
                "discussion": [text(), text()],
            },
            {"title": text(), "body": "Second lesson.\n"},
        ],
        "key_points": [text(), text()],
        "quiz": {"pass_mark": 50, "questions": [question("q-one", "single"), question("q-two", "multiple")]},
        "resources": [
            {
                "title": text(),
                "url": "https://example.org/a_(b)?c=1&d=x",
                "publisher": text(),
                "description": text(),
            },
            {"title": text(), "publisher": text()},
        ],
    }


def hostile_course(root: Path) -> list[str]:
    """Rewrite the course at ``root`` with hostile text everywhere; return the values written."""
    text = Payloads()
    course = {
        "id": "hostile",
        "title": text(),
        "description": text(),
        "content_note": text(),
        "modules": ["welcome"],
        "audiences": [{"id": "everyone", "title": text(), "description": text()}],
        "help": [
            {
                "name": text(),
                "phone": "1-888-373-7888",
                "url": "https://humantraffickinghotline.org/",
                "description": text(),
            }
        ],
        "contacts": [{"role": text(), "name": text(), "notes": text(), "email": "a.b@example.org"}],
        "glossary": [{"term": text(), "definition": text()}, {"term": text(), "definition": text()}],
    }
    write_yaml(root / "modules" / "course.yml", course)
    in_course = len(text.given)
    write_yaml(root / "modules" / "welcome.yml", hostile_module(text))
    (root / "course-values.txt").write_text(SEPARATOR.join(text.given[:in_course]), encoding="utf-8")
    (root / "module-values.txt").write_text(SEPARATOR.join(text.given[in_course:]), encoding="utf-8")
    return text.given


SEPARATOR = "\n\x00\n"


def given_values(root: Path, which: str = "all") -> list[str]:
    """The values ``hostile_course`` wrote: ``course``, ``module`` or ``all``."""
    names = ["course", "module"] if which == "all" else [which]
    return [v for name in names for v in (root / f"{name}-values.txt").read_text(encoding="utf-8").split(SEPARATOR)]
