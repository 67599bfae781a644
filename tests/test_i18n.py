"""coursegen's own words in other languages: complete catalogs, the language a build takes from
theme.language, translated modules in modules/<lang>/, progress kept per language, and builds
with mkdocs-static-i18n."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import html5lib
import pytest
from babel.messages.catalog import Catalog
from mkdocs.commands.build import build
from mkdocs.config import load_config

from coursegen.errors import CourseInvalid
from coursegen.i18n import (
    CatalogTranslations,
    available_languages,
    catalog_script,
    extract_template,
    plural_function_js,
    read_catalog,
    resolve_language,
    translations,
)
from coursegen.loader import load_course
from coursegen.render import render_pages, storage_key
from i18n_course import make_spanish_course
from test_coursemap import map_data

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def missing_messages(template: Catalog, catalog: Catalog) -> list[str]:
    """The msgids of ``template`` that ``catalog`` lacks or leaves untranslated (or fuzzy)."""
    missing = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        strings = found.string if found is not None else ""
        complete = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if found is None or found.fuzzy or not complete:
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def msgid_text(message_id: str | tuple[str, ...]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract_template()


def test_the_catalogs_are_english_and_spanish() -> None:
    assert available_languages() == ["en", "es"]


@pytest.mark.parametrize("code", ["en", "es"])
def test_every_msgid_is_translated_in_every_catalog(template: Catalog, code: str) -> None:
    """Fails when a string marked with _() or t() has no translation: run scripts/update_catalogs
    and translate the new entries."""
    assert len([m for m in template if m.id]) > 60, "extraction found too few strings: is it still finding them?"
    missing = missing_messages(template, read_catalog(code))
    assert not missing, f"{code}: untranslated or missing msgids (run scripts/update_catalogs):\n" + "\n".join(missing)


def test_the_check_fails_on_a_missing_msgid(template: Catalog) -> None:
    """The check above can fail: a catalog without one message, or with it empty, is reported."""
    spanish = read_catalog("es")
    partial = Catalog(locale="es")
    for message in spanish:
        if message.id and message.id not in ("Show my certificate", "Print the certificate"):
            partial.add(message.id, message.string)
    partial.add("Print the certificate", "")
    assert set(missing_messages(template, partial)) == {"Show my certificate", "Print the certificate"}


def test_the_extraction_sees_templates_scripts_and_python(template: Catalog) -> None:
    files = {location[0] for message in template for location in message.locations}
    assert any(f.endswith(".md.j2") for f in files)
    assert "src/coursegen/assets/certificate.js" in files
    assert "src/coursegen/render.py" in files


@pytest.mark.parametrize("code", ["en", "es"])
def test_translations_keep_the_placeholders(code: str) -> None:
    """A translation names the same %(name)s placeholders as its msgid, and keeps Markdown links."""
    for message in read_catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted, (message.id, text)
            assert len(PLACEHOLDER.findall(text)) >= len(set(PLACEHOLDER.findall(ids[0]))) - ("num" in wanted), (
                message.id,
                text,
            )
            assert text.count("](") == ids[0].count("]("), (message.id, text)


def test_spanish_plural_forms() -> None:
    spanish = translations("es")
    one = spanish.ngettext(
        "coursegen could not build the course from its YAML files. Fix this problem and save the file: "
        "this page reloads by itself and shows the course again.",
        "coursegen could not build the course from its YAML files. Fix these %(num)s problems and save the file: "
        "this page reloads by itself and shows the course again.",
        1,
    )
    many = spanish.ngettext(
        "coursegen could not build the course from its YAML files. Fix this problem and save the file: "
        "this page reloads by itself and shows the course again.",
        "coursegen could not build the course from its YAML files. Fix these %(num)s problems and save the file: "
        "this page reloads by itself and shows the course again.",
        3,
    )
    assert one.startswith("coursegen no pudo") and "este problema" in one
    assert "%(num)s problemas" in many


def test_the_browser_catalog_is_data_and_a_written_out_plural_rule() -> None:
    script = catalog_script("es")
    assert script.startswith('/* coursegen: the catalog of language "es"')
    assert "eval(" not in script and "Function(" not in script
    assert '"Type your name first.": "Primero escriba su nombre."' in script
    assert '"%(n)s question was not answered.": ["%(n)s pregunta quedó sin responder."' in script
    # Only the scripts' strings: the templates' are in the pages already.
    assert "Mostrar mi certificado" not in script
    assert "plural: function (n) { return Number((n != 1)); }" in script


@pytest.mark.parametrize("expression", ["alert(1)", "n; fetch('x')", "(n != 1) || window", "n.constructor"])
def test_a_plural_rule_that_is_not_arithmetic_is_refused(expression: str) -> None:
    with pytest.raises(ValueError):
        plural_function_js(expression)


@pytest.mark.parametrize(
    ("requested", "code", "warns"),
    [("es", "es", False), ("es-MX", "es", False), ("es_US", "es", False), ("en", "en", False), (None, "en", False)],
)
def test_the_language_follows_theme_language(requested: str | None, code: str, warns: bool) -> None:
    language, warning = resolve_language(requested)
    assert language.code == code
    assert (warning is not None) == warns


def test_an_unknown_language_is_english_with_a_warning() -> None:
    language, warning = resolve_language("fr")
    assert language.code == "en"
    assert warning is not None and "'fr'" in warning and "English" in warning


def test_fuzzy_and_empty_messages_fall_back_to_english() -> None:
    catalog = Catalog(locale="es")
    catalog.add("Home", "Inicio")
    catalog.add("Modules", "Módulos", flags=["fuzzy"])
    catalog.add("Glossary", "")
    spanish = CatalogTranslations(catalog)
    assert [spanish.gettext(s) for s in ("Home", "Modules", "Glossary")] == ["Inicio", "Modules", "Glossary"]


# --- a Spanish course --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spanish(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_spanish_course(tmp_path_factory.mktemp("spanish") / "course")
    build(load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site")))
    return project


def article_text(page: Path) -> str:
    doc = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return " ".join(" ".join(doc.find(".//article").itertext()).split())


def test_stored_progress_is_keyed_per_language(tmp_path: Path) -> None:
    project = make_spanish_course(tmp_path / "course")
    english = load_course(project / "modules", project)
    module = english.modules[0]
    assert storage_key(english, module) == f"coursegen:curso-de-prueba:welcome:{module.quiz.content_hash()}"
    assert storage_key(english, module, "es").startswith("coursegen:curso-de-prueba:es:welcome:")
    assert storage_key(english, module, "es") != storage_key(english, module)


def test_a_translated_module_takes_the_place_of_the_original(tmp_path: Path) -> None:
    project = make_spanish_course(tmp_path / "course")
    loaded = load_course(project / "modules", project, language="es")
    assert [m.title for m in loaded.modules] == ["Bienvenida", "Second steps"]
    english = load_course(project / "modules", project)
    assert [m.title for m in english.modules] == ["Welcome", "Second steps"]


def test_a_translation_without_an_original_is_an_error(tmp_path: Path) -> None:
    project = make_spanish_course(tmp_path / "course")
    shutil.copy(project / "modules" / "es" / "welcome.yml", project / "modules" / "es" / "bienvenida.yml")
    with pytest.raises(CourseInvalid) as caught:
        load_course(project / "modules", project, language="es")
    messages = [(e.path, e.message) for e in caught.value.errors]
    assert ("modules/es/bienvenida.yml", "this translation has no original module") in messages


def test_the_spanish_build_speaks_spanish(spanish: Path) -> None:
    site = spanish / "site"
    home = article_text(site / "index.html")
    assert "Si alguien está en peligro inmediato, llame al 911." in home
    assert "Rutas de aprendizaje" in home and "Learning paths" not in home
    assert "Contactos locales" in article_text(site / "contacts" / "index.html")
    page = (site / "modules" / "welcome" / "index.html").read_text(encoding="utf-8")
    doc = html5lib.parse(page, namespaceHTMLElements=False)
    assert doc.get("lang") == "es"
    scripts = [s.get("src") for s in doc.iter("script") if s.get("src")]
    catalog = next(i for i, s in enumerate(scripts) if s.endswith("assets/coursegen/i18n-es.js"))
    assert catalog < scripts.index("../../assets/coursegen/i18n.js") < scripts.index("../../assets/coursegen/quiz.js")
    quiz = doc.find(".//form[@data-kind='quiz']")
    assert quiz.get("data-key").startswith("coursegen:curso-de-prueba:es:welcome:")


def test_a_translated_module_appears_with_its_language_switch(spanish: Path) -> None:
    site = spanish / "site"
    welcome = html5lib.parse((site / "modules" / "welcome" / "index.html").read_bytes(), namespaceHTMLElements=False)
    assert "Bienvenida" in " ".join(welcome.find(".//h1").itertext())
    switch = welcome.find(".//p[@class='cg-languages']")
    assert switch is not None
    link = switch.find("a")
    assert (link.get("href"), link.get("hreflang"), link.text) == ("/en/modules/welcome/", "en", "English")
    # The module nobody translated says so, and still links to its English version.
    second = article_text(site / "modules" / "second-steps" / "index.html")
    assert "Este módulo aún no está traducido" in second
    assert "Where results go" in second


def test_the_english_build_links_only_to_modules_that_exist_in_spanish(tmp_path: Path) -> None:
    project = make_spanish_course(tmp_path / "course")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  language: es\n", "  language: en\n")
    config = config.replace("link: /en/", "link: /").replace(
        "      link: /\n      lang: es", "      link: /es/\n      lang: es"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    build(load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site")))
    welcome = html5lib.parse((project / "site/modules/welcome/index.html").read_bytes(), namespaceHTMLElements=False)
    link = welcome.find(".//p[@class='cg-languages']/a")
    assert (link.get("href"), link.get("lang"), link.text) == ("/es/modules/welcome/", "es", "Español")
    second = html5lib.parse(
        (project / "site/modules/second-steps/index.html").read_bytes(), namespaceHTMLElements=False
    )
    assert second.find(".//p[@class='cg-languages']") is None
    assert "not translated" not in article_text(project / "site/modules/second-steps/index.html")


def test_an_unknown_theme_language_builds_in_english_with_a_warning(tmp_path: Path) -> None:
    project = make_spanish_course(tmp_path / "course")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("  language: es\n", "  language: fr\n")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "theme.language 'fr': coursegen has no catalog for it" in result.stderr
    assert "Learning paths" in article_text(tmp_path / "site" / "index.html")


# --- mkdocs-static-i18n ------------------------------------------------------------------------


STATIC_I18N = """\
  - i18n:
      docs_structure: suffix
      languages:
        - locale: en
          default: true
          name: English
          build: true
        - locale: es
          name: Español
          build: true
"""


def test_with_mkdocs_static_i18n_each_language_gets_its_own_pages(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs_static_i18n")
    project = make_spanish_course(tmp_path / "course")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  language: es\n", "").replace("    - navigation.instant\n", "")
    config = config.split("extra:\n", 1)[0].replace("  - search\n", "  - search\n" + STATIC_I18N, 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "docs" / "about.es.md").write_text("# Acerca de\n", encoding="utf-8")
    site = tmp_path / "site"
    build(load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(site)))

    assert "Learning paths" in article_text(site / "index.html")
    assert "Rutas de aprendizaje" in article_text(site / "es" / "index.html")
    english = html5lib.parse((site / "modules/welcome/index.html").read_bytes(), namespaceHTMLElements=False)
    spanish = html5lib.parse((site / "es/modules/welcome/index.html").read_bytes(), namespaceHTMLElements=False)
    assert "Welcome" in " ".join(english.find(".//h1").itertext())
    assert "Bienvenida" in " ".join(spanish.find(".//h1").itertext())
    # Each build has its own catalog and keys: nothing of the English build leaked into Spanish.
    assert "Primero escriba su nombre." in (site / "assets/coursegen/i18n-es.js").read_text("utf-8")
    assert spanish.find(".//form[@data-kind='quiz']").get("data-key").startswith("coursegen:curso-de-prueba:es:")
    assert ":es:" not in english.find(".//form[@data-kind='quiz']").get("data-key")
    scripts = [s.get("src") for s in spanish.iter("script") if s.get("src") and "coursegen" in s.get("src")]
    assert scripts.count("../../../assets/coursegen/i18n-es.js") == 1 and not any("i18n-en" in s for s in scripts)
    # The Spanish course map: its pages under es/, its keys Spanish (the English build has its own).
    assert scripts.count("../../../assets/coursegen/course-map-es.js") == 1 and not any("map-en" in s for s in scripts)
    spanish_map = map_data((site / "assets/coursegen/course-map-es.js").read_text("utf-8"))
    welcome = next(m for m in spanish_map["modules"] if m["id"] == "welcome")
    assert welcome["url"] == "es/modules/welcome/" and ":es:" in welcome["progress"]
    assert spanish_map["home"]["url"] == "es/" and spanish_map["progress"]["title"] == "Su progreso"
    english_map = map_data((site / "assets/coursegen/course-map-en.js").read_text("utf-8"))
    assert next(m for m in english_map["modules"] if m["id"] == "welcome")["url"] == "modules/welcome/"
    # Material's language menu and the module's own switch lead to the same module in the other language.
    menu = {a.get("hreflang"): a.get("href") for a in spanish.iter("a") if a.get("class") == "md-select__link"}
    assert menu == {"en": "/modules/welcome/", "es": "/es/modules/welcome/"}
    switch = english.find(".//p[@class='cg-languages']/a")
    assert switch.get("href") == "/es/modules/welcome/"
    nav = " ".join(" ".join(spanish.find(".//nav[@class='md-nav md-nav--primary']").itertext()).split())
    assert "Su progreso" in nav and "Your progress" not in nav


def test_rendering_keeps_no_state_between_languages(tmp_path: Path) -> None:
    project = make_spanish_course(tmp_path / "course")
    loaded = load_course(project / "modules", project)
    first = render_pages(loaded)
    render_pages(loaded, "es")
    assert render_pages(loaded) == first


def test_coursegen_check_checks_the_translations_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from coursegen.cli import cli

    project = make_spanish_course(tmp_path / "course")
    monkeypatch.chdir(project)
    assert CliRunner().invoke(cli, ["check"]).exit_code == 0
    translation = project / "modules" / "es" / "welcome.yml"
    translation.write_text(translation.read_text(encoding="utf-8").replace("pass_mark: 80", "pass_mark: 180"))
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "modules/es/welcome.yml:" in result.output


def test_the_problems_page_in_spanish() -> None:
    from coursegen.errors import CourseError
    from coursegen.render import render_problems

    one = render_problems([CourseError("modules/a.yml", 3, 1, "bad", "fix it")], "es")
    two = render_problems([CourseError("modules/a.yml", 3, 1, "bad", None)] * 2, "es")
    assert one.title == "El curso tiene problemas"  # set on the page, not in front matter (issue 16)
    assert "Corrija este problema y guarde el archivo" in one.content and "Sugerencia:" in one.content
    assert "Corrija estos 2 problemas y guarde el archivo" in two.content


def test_a_spanish_scorm_package_speaks_spanish_and_keys_spanish_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zipfile

    from click.testing import CliRunner

    from coursegen.cli import cli

    project = make_spanish_course(tmp_path / "course")
    monkeypatch.chdir(project)
    target = tmp_path / "course.zip"
    result = CliRunner().invoke(cli, ["export", "scorm", "--version", "1.2", "-o", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as package:
        launcher = package.read("coursegen-launch.html").decode("utf-8")
        page = package.read("modules/welcome.html").decode("utf-8")
    doc = html5lib.parse(launcher, namespaceHTMLElements=False)
    assert doc.get("lang") == "es"
    assert [s.get("src") for s in doc.iter("script") if s.get("src")][:3] == [
        "assets/coursegen/i18n-es.js",
        "assets/coursegen/i18n.js",
        "assets/coursegen/answers.js",
    ]
    settings = json.loads(doc.find(".//script[@id='coursegen-lms']").text)
    quiz = html5lib.parse(page, namespaceHTMLElements=False).find(".//form[@data-kind='quiz']")
    assert settings["quizzes"][0]["key"] == quiz.get("data-key")
    assert ":es:" in quiz.get("data-key")
    # The LMS bridge stays before the catalog and the quiz script (the plugin only reorders its own).
    page_scripts = [s.get("src") for s in html5lib.parse(page, namespaceHTMLElements=False).iter("script")]
    names = [src.rsplit("/", 1)[1] for src in page_scripts if src and "assets/coursegen/" in src]
    assert names[:5] == ["lms.js", "i18n-es.js", "i18n.js", "answers.js", "quiz.js"] and "certificate.js" in names
    assert "Este curso necesita JavaScript" in launcher
    assert '<a href="index.html">leer el curso</a>' in launcher


def test_the_browser_catalog_holds_every_string_the_scripts_use(template: Catalog) -> None:
    from coursegen.i18n import script_msgids

    used = {msgid_text(m.id) for m in template if m.id and any(p.endswith(".js") for p, _ in m.locations)}
    assert len(used) > 40
    assert used == set(script_msgids("es")) == set(script_msgids("en"))
