"""Synthetic courses of any size, for benchmarks: the same text as coursegen modules or as plain
Material pages, so that a build of one can be compared with a build of the other.

    write_course(Path("/tmp/c100"), 100, "coursegen")   # mkdocs.yml + modules/*.yml + docs/
    write_course(Path("/tmp/p100"), 100, "plain")       # mkdocs.yml + docs/modules/*.md

Each module has three lessons (about 250 words each, a heading, a list, an admonition, a link),
a two-question knowledge check after every lesson and an eight-question quiz with four choices,
each with feedback. The plain page carries the same words: questions as headings, choices and
feedback as lists, the explanation as a paragraph. Nothing is random: the same arguments write
the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

KINDS = ("plain", "coursegen")

_SENTENCES = [
    "Staff notice small things long before anyone else does, and writing them down helps.",
    "A guest who never carries their own identity papers may be under someone else's control.",
    "Report what you saw to your supervisor or security, with the time and the place.",
    "Never confront a person you suspect, and never try to investigate on your own.",
    "In an emergency, call 911; for everything else, follow your workplace procedure.",
    "Write down facts, not guesses: what you saw, what you heard, when and where.",
    "A victim may not see themselves as a victim, and may be afraid of the police.",
    "Trust the team: advocates, security and law enforcement each have their part.",
]
_CHOICES = [
    ("Write down what you saw and report it through your workplace channel", True),
    ("Follow the person to find out where they are going and who they meet", False),
    ("Ask the person directly whether someone is forcing them to work here", False),
    ("Wait a few weeks to see whether the same thing happens again later on", False),
]
_MKDOCS_COMMON = """\
site_url: http://127.0.0.1:8000/
theme:
  name: material
  font: false
  features:
    - navigation.instant
    - navigation.footer
markdown_extensions:
  - toc:
      permalink: true
  - admonition
  - pymdownx.details
  - pymdownx.superfences
  - attr_list
  - md_in_html
  - def_list
  - tables
"""


def _words(seed: int, count: int) -> str:
    """About ``count`` sentences of lesson prose, different for each seed."""
    return " ".join(_SENTENCES[(seed + i) % len(_SENTENCES)] for i in range(count))


def _lesson_body(module: int, lesson: int) -> str:
    seed = module * 7 + lesson
    return (
        f"{_words(seed, 6)}\n\n"
        f"## Part {lesson} of module {module} in practice\n\n"
        f"{_words(seed + 1, 5)}\n\n"
        "- Notice: what you see and hear\n- Note: the facts, with time and place\n"
        "- Report: through the channel your workplace names\n\n"
        f'!!! tip "Remember, module {module}"\n    {_words(seed + 2, 2)}\n\n'
        f"See the [task force guide](https://www.ovcttac.gov/taskforceguide/eguide) for more on module {module}. "
        f"{_words(seed + 3, 5)}\n"
    )


def _question(module: int, key: str, number: int) -> dict[str, object]:
    """A single-choice question; the right answer moves so it is not always first."""
    shift = (module + number) % 4
    choices = _CHOICES[shift:] + _CHOICES[:shift]
    return {
        "id": f"{key}-{number}",
        "type": "single",
        "prompt": f"Module {module}, question {number}: a guest seems afraid and is never alone. What do you do?",
        "choices": [
            {"text": text, **({"correct": True} if right else {}), "feedback": _words(module + number + i, 1)}
            for i, (text, right) in enumerate(choices)
        ],
        "explanation": _words(module + number, 2),
        "assesses": [1 + number % 2],
    }


def _module(number: int) -> dict[str, object]:
    lessons = [
        {
            "title": f"Lesson {lesson} of module {number}",
            "body": _lesson_body(number, lesson),
            "checks": [_question(number, f"c{lesson}", q) for q in (1, 2)],
        }
        for lesson in (1, 2, 3)
    ]
    return {
        "id": _module_id(number),
        "title": f"Module {number}: noticing and reporting",
        "summary": _words(number, 2),
        "audiences": ["everyone"],
        "duration_minutes": 20,
        "objectives": ["Notice the signs", "Report through the right channel"],
        "lessons": lessons,
        "quiz": {"pass_mark": 80, "questions": [_question(number, "q", q) for q in range(1, 9)]},
    }


def _module_id(number: int) -> str:
    return f"m{number:05d}"


def _plain_question(question: dict[str, object], number: int) -> str:
    lines = [f"### Question {number}", "", str(question["prompt"]), ""]
    for choice in question["choices"]:  # type: ignore[attr-defined]
        verdict = "Correct" if choice.get("correct") else "Not correct"
        lines.append(f"- {choice['text']}: {verdict}. {choice['feedback']}")
    lines += ["", str(question["explanation"]), ""]
    return "\n".join(lines)


def _plain_page(module: dict[str, object], number: int) -> str:
    out = [f"# {number}. {module['title']}", "", str(module["summary"]), "", "## What you will learn", ""]
    out += [f"- {o}" for o in module["objectives"]]  # type: ignore[attr-defined]
    out.append("")
    for lesson in module["lessons"]:  # type: ignore[attr-defined]
        out += [f"## {lesson['title']}", "", lesson["body"].replace("## ", "### "), "### Check your understanding", ""]
        out += [_plain_question(q, i) for i, q in enumerate(lesson["checks"], start=1)]
    out += ["## Quiz", ""]
    out += [_plain_question(q, i) for i, q in enumerate(module["quiz"]["questions"], start=1)]  # type: ignore[index]
    return "\n".join(out) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_course(directory: Path, n_modules: int, kind: str, section_size: int = 0) -> Path:
    """Write a synthetic course of ``n_modules`` modules into ``directory``; returns its mkdocs.yml.

    ``kind``: "coursegen" (modules/*.yml built by the coursegen plugin) or "plain" (the same text
    as hand-written Markdown pages, built by MkDocs + Material alone). ``section_size`` > 0 groups
    a coursegen course's modules into sections of that many (course.yml ``sections:``)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    directory = Path(directory)
    modules = [_module(n) for n in range(1, n_modules + 1)]
    title = f"Synthetic course of {n_modules} modules"
    if kind == "coursegen":
        course = {
            "id": "synthetic",
            "title": title,
            "description": "A synthetic course for benchmarks.",
            "modules": [m["id"] for m in modules],
        }
        if section_size > 0:
            ids = [m["id"] for m in modules]
            del course["modules"]
            course["sections"] = [
                {"id": f"part-{n + 1}", "title": f"Part {n + 1}", "modules": ids[start : start + section_size]}
                for n, start in enumerate(range(0, len(ids), section_size))
            ]
        course |= {
            "audiences": [{"id": "everyone", "title": "Everyone", "description": "All staff."}],
            "help": [{"name": "Emergency", "phone": "911", "description": "If someone is in danger, call 911."}],
            "contacts": [{"role": "Your course coordinator"}],
        }
        # JSON is YAML: no YAML writer needed, and the text is exactly what the loader reads.
        _write(directory / "modules" / "course.yml", json.dumps(course, indent=1) + "\n")
        for module in modules:
            _write(directory / "modules" / f"{module['id']}.yml", json.dumps(module, indent=1) + "\n")
        _write(directory / "docs" / "about.md", "# About\n\nA synthetic course for benchmarks.\n")
        plugins = "plugins:\n  - search\n  - coursegen:\n      modules_dir: modules\n"
        config = f"site_name: {title}\n{_MKDOCS_COMMON}{plugins}"
    else:
        index = [f"# {title}", "", "A synthetic course for benchmarks.", "", "## Modules", ""]
        index += [f"- [{n}. {m['title']}](modules/{m['id']}.md)" for n, m in enumerate(modules, start=1)]
        _write(directory / "docs" / "index.md", "\n".join(index) + "\n")
        _write(directory / "docs" / "about.md", "# About\n\nA synthetic course for benchmarks.\n")
        for number, module in enumerate(modules, start=1):
            _write(directory / "docs" / "modules" / f"{module['id']}.md", _plain_page(module, number))
        config = f"site_name: {title}\n{_MKDOCS_COMMON}plugins:\n  - search\n"
    _write(directory / "mkdocs.yml", config)
    return directory / "mkdocs.yml"


if __name__ == "__main__":  # pragma: no cover - a convenience for trying it by hand
    import sys

    print(write_course(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
