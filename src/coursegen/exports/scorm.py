"""SCORM 1.2 and SCORM 2004 (4th edition) packages: one SCO, the launcher, framing the site.

The package is the course site built for an LMS (see ``sitebuild.build_site(for_package=True)``),
``coursegen-launch.html`` with its script, ``imsmanifest.xml`` listing every file, and the
official XSDs next to the manifest (exact copies under ``exports/vendor``, with their notice).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..model import LoadedCourse
from ..render import plain
from .lms import LAUNCH_PAGE, LAUNCH_STYLE, course_map, course_pass_mark, launch_page, runtime_file, vendor_files
from .packaging import PackageError, built_site, site_files, write_zip

Version = Literal["1.2", "2004"]
FailedStatus = Literal["failed", "incomplete"]

XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_12 = {
    "": "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
}
NS_2004 = {
    "": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
}
SCHEMA_LOCATIONS = {
    "1.2": {
        NS_12[""]: "imscp_rootv1p1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
        NS_12["adlcp"]: "adlcp_rootv1p2.xsd",
    },
    "2004": {
        NS_2004[""]: "imscp_v1p1.xsd",
        NS_2004["adlcp"]: "adlcp_v1p3.xsd",
        NS_2004["adlseq"]: "adlseq_v1p3.xsd",
        NS_2004["adlnav"]: "adlnav_v1p3.xsd",
        NS_2004["imsss"]: "imsss_v1p0.xsd",
    },
}
VENDOR_FOLDER = {"1.2": "scorm12", "2004": "scorm2004"}
LAUNCH_SCRIPT = "coursegen-launch.js"
INTERACTIONS_SCRIPT = "coursegen-interactions.js"
SCRIPTS = [INTERACTIONS_SCRIPT, LAUNCH_SCRIPT]
"""The launcher's own scripts, in the order the page loads them (after the site's: ``launch_page``)."""


@dataclass(frozen=True)
class ScormOptions:
    """How the package reports to the LMS."""

    version: Version = "2004"
    pass_mark: int | None = None
    """Percent of the course score needed to pass; default: the quizzes' pass marks (mean)."""
    failed_status: FailedStatus = "failed"
    """SCORM 1.2: what to report when the learner did not pass ("incomplete" lets LMSs that block
    retries after a failure allow another attempt)."""


def _q(ns: dict[str, str], prefix: str, name: str) -> str:
    return f"{{{ns[prefix]}}}{name}"


def manifest(
    loaded: LoadedCourse, files: list[str], schemas: list[str], options: ScormOptions, pass_mark: int
) -> bytes:
    """``imsmanifest.xml`` for the package: one organization, one item, one SCO resource that
    lists every content file, and one asset resource that lists the schema files."""
    is12 = options.version == "1.2"
    ns = NS_12 if is12 else NS_2004
    for prefix, uri in ns.items():
        ET.register_namespace(prefix, uri)
    ET.register_namespace("xsi", XSI)
    q = lambda prefix, name: _q(ns, prefix, name)  # noqa: E731
    ident = f"coursegen-{loaded.course.id}"
    root = ET.Element(q("", "manifest"), {"identifier": ident, "version": "1.0" if is12 else "1"})
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{k} {v}" for k, v in SCHEMA_LOCATIONS[options.version].items()))
    metadata = ET.SubElement(root, q("", "metadata"))
    ET.SubElement(metadata, q("", "schema")).text = "ADL SCORM"
    ET.SubElement(metadata, q("", "schemaversion")).text = "1.2" if is12 else "2004 4th Edition"
    organizations = ET.SubElement(root, q("", "organizations"), {"default": f"{ident}-org"})
    organization = ET.SubElement(organizations, q("", "organization"), {"identifier": f"{ident}-org"})
    title = plain(loaded.course.title)
    ET.SubElement(organization, q("", "title")).text = title
    item_attrs = {"identifier": f"{ident}-item", "identifierref": f"{ident}-sco"}
    if is12:
        item_attrs["isvisible"] = "true"
    item = ET.SubElement(organization, q("", "item"), item_attrs)
    ET.SubElement(item, q("", "title")).text = title
    has_quiz = any(m.quiz for m in loaded.modules)
    if is12 and has_quiz:
        ET.SubElement(item, q("adlcp", "masteryscore")).text = str(pass_mark)
    if not is12 and has_quiz:
        sequencing = ET.SubElement(item, q("imsss", "sequencing"))
        objectives = ET.SubElement(sequencing, q("imsss", "objectives"))
        primary = ET.SubElement(
            objectives,
            q("imsss", "primaryObjective"),
            {"objectiveID": f"{ident}-quizzes", "satisfiedByMeasure": "true"},
        )
        ET.SubElement(primary, q("imsss", "minNormalizedMeasure")).text = _scaled(pass_mark)
        # The content sets completion and success itself (from the quizzes), not the LMS.
        ET.SubElement(
            sequencing,
            q("imsss", "deliveryControls"),
            {"completionSetByContent": "true", "objectiveSetByContent": "true"},
        )
    resources = ET.SubElement(root, q("", "resources"))
    type_attr = q("adlcp", "scormtype" if is12 else "scormType")
    sco = ET.SubElement(
        resources,
        q("", "resource"),
        {"identifier": f"{ident}-sco", "type": "webcontent", type_attr: "sco", "href": LAUNCH_PAGE},
    )
    for name in files:
        ET.SubElement(sco, q("", "file"), {"href": name})
    asset = ET.SubElement(
        resources, q("", "resource"), {"identifier": f"{ident}-schemas", "type": "webcontent", type_attr: "asset"}
    )
    for name in schemas:
        ET.SubElement(asset, q("", "file"), {"href": name})
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _scaled(percent: float) -> str:
    """A percentage as SCORM 2004's scaled decimal (0..1), without float noise."""
    return f"{percent / 100:.4f}".rstrip("0").rstrip(".") or "0"


def package_entries(loaded: LoadedCourse, site: Path, options: ScormOptions) -> dict[str, bytes | Path]:
    """Every file of the package by its zip name."""
    pass_mark = options.pass_mark if options.pass_mark is not None else course_pass_mark(loaded)
    settings = course_map(
        loaded, site, pass_mark=pass_mark, details=True, standard=options.version, failedStatus=options.failed_status
    )
    entries: dict[str, bytes | Path] = dict(site_files(site))
    entries[LAUNCH_PAGE] = launch_page(loaded, settings, SCRIPTS)
    entries[INTERACTIONS_SCRIPT] = runtime_file("interactions.js")
    entries[LAUNCH_SCRIPT] = runtime_file("scorm-launch.js")
    entries[LAUNCH_STYLE] = runtime_file("launch.css")
    schemas = vendor_files(VENDOR_FOLDER[options.version])
    clash = sorted(set(schemas) & set(entries))
    if clash:
        raise PackageError(
            f"the site has files named like the SCORM schema files: {', '.join(clash)}; rename them in docs/"
        )
    entries.update(schemas)
    content = sorted(name for name in entries if name not in schemas)
    entries["imsmanifest.xml"] = manifest(loaded, content, sorted(schemas), options, pass_mark)
    return entries


def export_scorm(loaded: LoadedCourse, config_file: Path, target: Path, options: ScormOptions) -> int:
    """Build the site for a package and write the SCORM zip to ``target`` atomically; returns
    the number of files in it."""
    with built_site(config_file) as site:
        entries = package_entries(loaded, site, options)
        write_zip(target, entries)
    return len(entries)
