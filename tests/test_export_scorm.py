"""`coursegen export scorm`: packages an LMS accepts. Manifests are validated with lxml against the
official XSDs bundled in the package (the vendored copies); the zip lists every file, is the same
bytes on every run, and an invalid course is refused as `check` refuses it, writing nothing."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import html5lib
import pytest
from click.testing import CliRunner
from lxml import etree

from coursegen.cli import cli

VENDOR = Path(__file__).resolve().parent.parent / "src" / "coursegen" / "exports" / "vendor"
CP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
CP2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
SCHEMAS = {
    "1.2": [(CP12, "imscp_rootv1p1p2.xsd"), ("http://www.adlnet.org/xsd/adlcp_rootv1p2", "adlcp_rootv1p2.xsd")],
    "2004": [
        (CP2004, "imscp_v1p1.xsd"),
        ("http://www.adlnet.org/xsd/adlcp_v1p3", "adlcp_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlseq_v1p3", "adlseq_v1p3.xsd"),
        ("http://www.adlnet.org/xsd/adlnav_v1p3", "adlnav_v1p3.xsd"),
        ("http://www.imsglobal.org/xsd/imsss", "imsss_v1p0.xsd"),
    ],
}


class _XmlXsd(etree.Resolver):
    """libxml2 refuses SCORM 1.2's ims_xml.xsd: give it the W3C xml.xsd (same namespace) instead."""

    def resolve(self, system_url: str, public_id: str, context: object):  # noqa: ANN201 - lxml's API
        if system_url.endswith("ims_xml.xsd"):
            return self.resolve_filename(str(VENDOR / "scorm2004" / "xml.xsd"), context)
        return None


def schema_from(folder: Path, version: str) -> etree.XMLSchema:
    """The manifest schema from the XSDs in ``folder`` (the unzipped package). imsmd is left out:
    the manifests carry no inline metadata, and libxml2 cannot read imsmd_rootv1p2p1.xsd."""
    parser = etree.XMLParser(no_network=True, load_dtd=False)
    parser.resolvers.add(_XmlXsd())
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(folder / name).as_uri()}"/>' for ns, name in SCHEMAS[version]
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    return etree.XMLSchema(etree.fromstring(wrapper.encode(), parser, base_url=folder.as_uri() + "/"))


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scorm")
    result = CliRunner().invoke(cli, ["init", str(root / "course"), "--title", "Safety & basics"])
    assert result.exit_code == 0, result.output
    return root / "course"


@pytest.fixture(scope="module")
def packages(course: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both versions exported once; each also unzipped beside its zip."""
    out = tmp_path_factory.mktemp("out")
    found = {}
    cwd = Path.cwd()
    try:
        os.chdir(course)
        for version in ("1.2", "2004"):
            target = out / f"{version}.zip"
            result = CliRunner().invoke(cli, ["export", "scorm", "--version", version, "-o", str(target)])
            assert result.exit_code == 0, result.output
            assert (
                result.output == f"wrote {target} (SCORM {version}, {len(zipfile.ZipFile(target).namelist())} files)\n"
            )
            with zipfile.ZipFile(target) as archive:
                archive.extractall(out / version)
            found[version] = target
    finally:
        os.chdir(cwd)
    return found


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_manifest_is_valid_against_the_bundled_official_schemas(packages: dict[str, Path], version: str) -> None:
    folder = packages[version].parent / version
    schema = schema_from(folder, version)
    manifest = etree.parse(str(folder / "imsmanifest.xml"))
    assert schema.validate(manifest), schema.error_log
    # The schema really checks: a manifest without its resources is refused.
    ns = CP12 if version == "1.2" else CP2004
    broken = etree.parse(str(folder / "imsmanifest.xml"))
    broken.getroot().remove(broken.getroot().find(f"{{{ns}}}resources"))
    assert not schema.validate(broken)


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_every_file_is_listed_once_with_relative_hrefs_and_unique_ids(packages: dict[str, Path], version: str) -> None:
    with zipfile.ZipFile(packages[version]) as archive:
        names = archive.namelist()
        root = etree.fromstring(archive.read("imsmanifest.xml"))
    ns = {"cp": CP12 if version == "1.2" else CP2004}
    listed = [f.get("href") for f in root.iterfind(".//cp:file", ns)]
    assert sorted(listed) == sorted(n for n in names if n != "imsmanifest.xml")
    assert len(listed) == len(set(listed))
    hrefs = listed + [r.get("href") for r in root.iterfind(".//cp:resource", ns) if r.get("href")]
    assert all(not h.startswith("/") and "://" not in h and "\\" not in h for h in hrefs)
    ids = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(ids) == len(set(ids)) >= 4
    sco = root.find(".//cp:resource[@href]", ns)
    assert sco.get("href") == "coursegen-launch.html" and "coursegen-launch.html" in names
    # Every script the launcher loads is in the package: its own and the site's (catalog, i18n,
    # the short-answer rules it judges typed answers with).
    with zipfile.ZipFile(packages[version]) as archive:
        launcher = html5lib.parse(archive.read("coursegen-launch.html"), namespaceHTMLElements=False)
    scripts = [s.get("src") for s in launcher.iter("script") if s.get("src")]
    assert "assets/coursegen/answers.js" in scripts and set(scripts) <= set(names)
    # The schemas sit next to the manifest, as the standard asks, with their notice.
    assert "NOTICE.md" in names
    assert ("imscp_rootv1p1p2.xsd" if version == "1.2" else "imscp_v1p1.xsd") in names
    # Pages link to files, not folders: an LMS serves exact paths.
    assert "modules/welcome.html" in names and "modules/welcome/index.html" not in names


def test_pass_mark_in_the_manifests(packages: dict[str, Path]) -> None:
    """1.2: adlcp:masteryscore; 2004: the primary objective's minNormalizedMeasure (0..1)."""
    with zipfile.ZipFile(packages["1.2"]) as archive:
        m12 = etree.fromstring(archive.read("imsmanifest.xml"))
    with zipfile.ZipFile(packages["2004"]) as archive:
        m2004 = etree.fromstring(archive.read("imsmanifest.xml"))
    assert m12.findtext(".//{http://www.adlnet.org/xsd/adlcp_rootv1p2}masteryscore") == "80"
    primary = m2004.find(".//{http://www.imsglobal.org/xsd/imsss}primaryObjective")
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("{http://www.imsglobal.org/xsd/imsss}minNormalizedMeasure") == "0.8"
    assert m2004.findtext(f".//{{{CP2004}}}schemaversion") == "2004 4th Edition"


def test_the_same_course_gives_the_same_bytes(
    course: Path, packages: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(course)
    again = tmp_path / "again.zip"
    assert CliRunner().invoke(cli, ["export", "scorm", "--version", "1.2", "-o", str(again)]).exit_code == 0
    assert again.read_bytes() == packages["1.2"].read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_invalid_course_is_refused_like_check_and_nothing_is_written(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad"
    shutil.copytree(course, bad, ignore=shutil.ignore_patterns("site"))
    module = bad / "modules" / "welcome.yml"
    module.write_text(module.read_text().replace("pass_mark: 80", "pass_mark: 180"))
    monkeypatch.chdir(bad)
    target = tmp_path / "out.zip"
    target.write_bytes(b"the previous package")
    runner = CliRunner()
    check = runner.invoke(cli, ["check"])
    result = runner.invoke(cli, ["export", "scorm", "-o", str(target)])
    assert result.exit_code == check.exit_code == 1
    assert result.output == check.output
    assert result.output.startswith("modules/welcome.yml:")
    assert "Traceback" not in result.output
    assert target.read_bytes() == b"the previous package"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "out.zip"]  # no temporary file left


def test_export_help_has_examples() -> None:
    result = CliRunner().invoke(cli, ["export", "scorm", "-h"])
    assert result.exit_code == 0
    assert "--version [1.2|2004]" in result.output and "Example" in result.output


def test_cmi5_refuses_an_id_base_that_is_not_an_iri(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(course)
    result = CliRunner().invoke(cli, ["export", "cmi5", "--id-base", "not an iri", "-o", "x.zip"])
    assert result.exit_code == 2
    assert "absolute IRI" in result.output
    assert not (course / "x.zip").exists()


def test_xapi_endpoint_must_be_https(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The opt-in xAPI setting is validated like every other: file:line:col and a hint."""
    bad = tmp_path / "bad"
    shutil.copytree(course, bad, ignore=shutil.ignore_patterns("site"))
    course_yml = bad / "modules" / "course.yml"
    lines = course_yml.read_text().splitlines()
    course_yml.write_text("\n".join([*lines, "xapi:", "  endpoint: http://lrs.example.org/xAPI/"]) + "\n")
    monkeypatch.chdir(bad)
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert result.output.startswith(f"modules/course.yml:{len(lines) + 2}:")
    assert "https://" in result.output
