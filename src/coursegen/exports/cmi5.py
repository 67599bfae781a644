"""cmi5 packages: ``cmi5.xml`` (one assignable unit for the course) beside the course site built
for an LMS, the launcher page and its runtime (@xapi/cmi5, vendored with its licence).

The launcher reports to the LMS's LRS through cmi5: initialized, answered (every question of
every quiz attempt), passed or failed, completed, terminated. See ``runtime/cmi5-launch.js``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from ..model import LoadedCourse
from ..render import asset, plain
from .lms import LAUNCH_PAGE, LAUNCH_STYLE, course_map, course_pass_mark, launch_page, runtime_file, vendor_files
from .packaging import PackageError, built_site, site_files, write_zip

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
# The launcher's scripts, in the order the page loads them.
SCRIPTS = [
    "coursegen-cmi5.umd.js",
    "coursegen-xapi-queue.js",
    "coursegen-interactions.js",
    "coursegen-cmi5-launch.js",
]
# The launcher posts statements to the LRS the LMS names at launch time, on any host: https only
# (and this page's own origin).
CMI5_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; frame-src 'self'; img-src 'self' data:; "
    "connect-src 'self' https:; object-src 'none'; base-uri 'self'; form-action 'self'"
)
LANGUAGE = "en-US"


@dataclass(frozen=True)
class Cmi5Options:
    """How the package describes itself to the LMS."""

    id_base: str | None = None
    """The IRI the course and AU ids start with; default ``urn:coursegen:<course id>``."""
    pass_mark: int | None = None
    """Course score in percent needed to pass (the AU's masteryScore); default from the quizzes."""


def course_structure(loaded: LoadedCourse, options: Cmi5Options, pass_mark: int) -> bytes:
    """``cmi5.xml``: the course and its one AU, launched at the launcher page."""
    ET.register_namespace("", NS)
    base = options.id_base or f"urn:coursegen:{loaded.course.id}"
    root = ET.Element(f"{{{NS}}}courseStructure")
    course = ET.SubElement(root, f"{{{NS}}}course", {"id": base})
    _text(course, "title", plain(loaded.course.title))
    _text(course, "description", plain(loaded.course.description))
    has_quiz = any(m.quiz for m in loaded.modules)
    attrs = {
        "id": f"{base}/au",
        "moveOn": "CompletedAndPassed" if has_quiz else "Completed",
        "launchMethod": "AnyWindow",
    }
    if has_quiz:
        attrs["masteryScore"] = f"{pass_mark / 100:.4f}".rstrip("0").rstrip(".")
    au = ET.SubElement(root, f"{{{NS}}}au", attrs)
    _text(au, "title", plain(loaded.course.title))
    _text(au, "description", plain(loaded.course.description))
    ET.SubElement(au, f"{{{NS}}}url").text = LAUNCH_PAGE
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(parent: ET.Element, name: str, text: str) -> None:
    element = ET.SubElement(parent, f"{{{NS}}}{name}")
    ET.SubElement(element, f"{{{NS}}}langstring", {"lang": LANGUAGE}).text = text


def package_entries(loaded: LoadedCourse, site: Path, options: Cmi5Options) -> dict[str, bytes | Path]:
    """Every file of the cmi5 package by its zip name."""
    pass_mark = options.pass_mark if options.pass_mark is not None else course_pass_mark(loaded)
    settings = course_map(loaded, site, pass_mark=pass_mark, details=True, language=LANGUAGE)
    entries: dict[str, bytes | Path] = dict(site_files(site))
    vendored = vendor_files("cmi5")
    added: dict[str, bytes] = {
        "cmi5.xml": course_structure(loaded, options, pass_mark),
        LAUNCH_PAGE: launch_page(loaded, settings, SCRIPTS, csp=CMI5_CSP),
        LAUNCH_STYLE: runtime_file("launch.css"),
        "coursegen-cmi5.umd.js": vendored["cmi5.umd.js"],
        "LICENSE-xapi-cmi5.md": vendored["LICENSE-xapi-cmi5.md"],
        "coursegen-xapi-queue.js": asset("xapi-queue.js"),
        "coursegen-interactions.js": runtime_file("interactions.js"),
        "coursegen-cmi5-launch.js": runtime_file("cmi5-launch.js"),
    }
    clash = sorted(set(added) & set(entries))
    if clash:
        raise PackageError(f"the site has files named like the package's own: {', '.join(clash)}; rename them")
    entries.update(added)
    return entries


def export_cmi5(loaded: LoadedCourse, config_file: Path, target: Path, options: Cmi5Options) -> int:
    """Build the site for a package and write the cmi5 zip to ``target`` atomically; returns the
    number of files in it."""
    with built_site(config_file) as site:
        entries = package_entries(loaded, site, options)
        write_zip(target, entries)
    return len(entries)
