"""A course that holds the authors' guide and the guide's own link examples, for the ``guide``
site: the guide page is checked (axe) wherever the flagship puts it, and every link form the
guide shows must work in a site built with ``--strict``."""

from __future__ import annotations

import shutil
from pathlib import Path

from .support import REPO, coursegen, replace_once

GUIDE = REPO / "docs" / "for-authors"
LINKS_SECTION = "## Links between pages"
GUIDE_URL = "/for-authors/"

GLOSSARY = """\
glossary:
  - term: Indicator
    definition: A sign that something may be wrong; a reason to report, not proof.
"""


def guide_link_example() -> str:
    """The YAML example (a ``lessons:`` list) under the guide's heading on links."""
    text = (GUIDE / "index.md").read_text(encoding="utf-8")
    start = text.index("```yaml\n", text.index(LINKS_SECTION)) + len("```yaml\n")
    return text[start : text.index("```\n", start)]


def make_guide_course(project: Path) -> None:
    """`coursegen init`, the modules the guide's example links to, its example as the lessons of
    module hotel-signs, a glossary, and the guide itself under docs/for-authors/."""
    coursegen("init", str(project), "--title", "Guide Course", cwd=project.parent)
    coursegen("new", "foundations", "--title", "Foundations", cwd=project)
    coursegen("new", "hotel-signs", "--title", "Signs in hotels", cwd=project)
    replace_once(project / "modules" / "foundations.yml", "  - title: First lesson\n", "  - title: Who we are\n")
    module = project / "modules" / "hotel-signs.yml"
    text = module.read_text(encoding="utf-8")
    example = guide_link_example()
    assert example.startswith("lessons:\n"), "the guide's link example is a lessons: list"
    lessons = text[: text.index("lessons:\n")] + example + text[text.index("key_points:\n") :]
    module.write_text(lessons, encoding="utf-8")
    course_yml = project / "modules" / "course.yml"
    course_yml.write_text(course_yml.read_text(encoding="utf-8") + GLOSSARY, encoding="utf-8")
    shutil.copytree(GUIDE, project / "docs" / "for-authors")
