"""``coursegen render --out DIR``: the course as a plain Markdown project for other engines."""

from __future__ import annotations

import os
from pathlib import Path

import html5lib
import pytest
import yaml
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import write_module
from coursegen.cli import cli
from i18n_course import make_spanish_course
from test_sections import SECTIONS, sectioned


def render(course: Path, out: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(course)
    return CliRunner().invoke(cli, ["render", "--out", str(out)])


def test_render_writes_pages_assets_overrides_and_a_config_plain_mkdocs_builds(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rendered"
    result = render(course, out, monkeypatch)
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "plugins" not in config or "coursegen" not in str(config["plugins"]), "the rendered project needs no plugin"
    key = next(
        e["coursegen.mdext"]["key"]
        for e in config["markdown_extensions"]
        if isinstance(e, dict) and "coursegen.mdext" in e
    )
    page = (out / "docs" / "modules" / "welcome.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: ") and f"<!-- coursegen:block {key} -->" in page
    assert (out / "docs" / "assets" / "coursegen" / "quiz.js").is_file()
    assert (out / "overrides" / "main.html").is_file()
    assert config["nav"][0] == {"Home": "index.md"} and "modules/welcome.md" in config["nav"][1]["Modules"]
    assert "assets/coursegen/quiz.js" in config["extra_javascript"]
    assert config["extra"]["coursegen_csp"].startswith("default-src 'self'")
    # No plugin writes the service worker after the engine's build: nothing registers one.
    assert not any("offline" in str(item) for item in config["extra_javascript"])
    assert not (out / "docs" / "assets" / "coursegen" / "offline.js").exists()

    # Plain MkDocs, without the coursegen plugin, builds it in strict mode: quiz forms kept whole
    # (not read by Markdown), the CSP meta from the overrides, the title from front matter.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(out / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site")))
    html = (tmp_path / "site" / "modules" / "welcome" / "index.html").read_text(encoding="utf-8")
    assert "data-cg-quiz" in html and "data-coursegen-block" not in html
    assert 'http-equiv="Content-Security-Policy"' in html
    assert "<title>1. Welcome" in html


def test_an_invalid_course_is_refused_with_checks_messages_and_nothing_written(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_module(course, "broken", "id: broken\ntitle: [unclosed\n")
    out = tmp_path / "rendered"
    result = render(course, out, monkeypatch)
    assert result.exit_code == 1
    assert "broken.yml:" in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".rendered")], "a working folder was left"


def test_a_folder_no_render_wrote_is_refused_a_previous_render_is_replaced_and_its_site_kept(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rendered"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = render(course, out, monkeypatch)
    assert result.exit_code == 1
    assert "notes.txt" in result.output and "no coursegen render wrote" in result.output
    assert [p.name for p in out.iterdir()] == ["notes.txt"]

    (out / "notes.txt").unlink()
    assert render(course, out, monkeypatch).exit_code == 0
    key = (out / "mkdocs.yml").read_text(encoding="utf-8")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built by an engine", encoding="utf-8")
    (out / ".git").mkdir()
    (out / "docs" / "stale.md").unlink(missing_ok=True)
    result = render(course, out, monkeypatch)
    assert result.exit_code == 0, result.output
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "built by an engine"
    assert (out / ".git").is_dir()
    assert (out / "mkdocs.yml").read_text(encoding="utf-8") != key, "each render marks its blocks with a new key"


def test_render_refuses_to_write_over_the_course(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for target in (course, course / "docs", course / "modules" / "out"):
        result = render(course, target, monkeypatch)
        assert result.exit_code == 1 and "overlaps" in result.output
    assert (course / "modules" / "welcome.yml").is_file()


def test_a_spanish_course_renders_spanish_pages_with_its_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_spanish_course(tmp_path / "course")
    out = tmp_path / "rendered"
    result = render(project, out, monkeypatch)
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "es"
    assert [next(iter(entry)) for entry in config["nav"][:3]] == ["Inicio", "Módulos", "Su progreso"]
    catalog = (out / "docs" / "assets" / "coursegen" / "i18n-es.js").read_text(encoding="utf-8")
    assert 'language: "es"' in catalog and "Aún no aprobado" in catalog

    build(load_config(str(out / "mkdocs.yml"), strict=True, site_dir=str(tmp_path / "site")))
    site = tmp_path / "site"
    welcome = html5lib.parse((site / "modules" / "welcome" / "index.html").read_bytes(), namespaceHTMLElements=False)
    assert welcome.get("lang") == "es"
    assert "Bienvenida" in " ".join(welcome.find(".//h1").itertext())
    assert "Revisar mis respuestas" in " ".join(welcome.find(".//form[@data-kind='quiz']").itertext())
    switch = welcome.find(".//p[@class='cg-languages']").find("a")
    assert (switch.get("href"), switch.text) == ("/en/modules/welcome/", "English")
    assert "Hecho con" in " ".join(welcome.find(".//div[@class='md-copyright']").itertext())
    second = " ".join(html5lib.parse((site / "modules" / "second-steps" / "index.html").read_bytes()).itertext())
    assert "Este módulo aún no está traducido" in second


def test_a_sectioned_course_renders_a_nested_nav(course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sectioned(course, SECTIONS)
    out = tmp_path / "rendered"
    result = render(course, out, monkeypatch)
    assert result.exit_code == 0, result.output
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["nav"][1] == {
        "Modules": [
            {"Getting started": ["modules/welcome.md", "modules/beta.md"]},
            {"Going further": ["modules/gamma.md", "modules/alpha.md"]},
        ]
    }
    assert "navigation.prune" in config["theme"]["features"]


def test_scripts_and_styles_are_listed_in_the_plugins_order(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's own first, then the catalog, i18n.js, quiz.js before the scripts that call it:
    exactly what the plugin lists (less the offline worker's script)."""
    (course / "docs" / "js").mkdir(parents=True)
    (course / "docs" / "js" / "extra.js").write_text("", encoding="utf-8")
    (course / "docs" / "extra.css").write_text("", encoding="utf-8")
    with (course / "mkdocs.yml").open("a", encoding="utf-8") as mkdocs_yml:
        mkdocs_yml.write("extra_javascript:\n  - js/extra.js\nextra_css:\n  - extra.css\n")
    out = tmp_path / "rendered"
    result = render(course, out, monkeypatch)
    assert result.exit_code == 0, result.output
    rendered = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))

    plugin_config = load_config(str(course / "mkdocs.yml"))
    plugin_config = plugin_config.plugins.on_config(plugin_config)
    scripts = [str(s) for s in plugin_config.extra_javascript if not str(s).endswith("/offline.js")]
    assert rendered["extra_javascript"] == scripts
    assert rendered["extra_css"] == [str(s) for s in plugin_config.extra_css]
    assert scripts[:3] == ["js/extra.js", "assets/coursegen/i18n-en.js", "assets/coursegen/i18n.js"]
    for name in rendered["extra_javascript"][1:] + rendered["extra_css"]:
        assert (out / "docs" / name).is_file(), f"{name} is listed but not written"
