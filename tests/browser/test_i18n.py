"""A course built in Spanish, in Chromium: no English UI string on any page type (the course's own
English content aside), quiz feedback and plural forms in Spanish, progress kept per language, a
translated module with its language switch; screenshots at both widths."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from functools import cache

import pytest
from playwright.sync_api import Locator, Page, expect

from coursegen.i18n import extract_template, translations
from coursegen.loader import load_course
from coursegen.render import storage_key
from i18n_course import make_spanish_course

from .support import ARTIFACTS, DESKTOP, PHONE, Site, SiteServer, coursegen, norm, settle
from .test_a11y import BLOCKING, run_axe

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "screenshots"
PAGES = ["/", "/modules/welcome/", "/modules/second-steps/", "/progress/", "/certificate/", "/help/"]
PAGES += ["/contacts/", "/glossary/", "/facilitator/"]


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The Spanish course at the site root and its English build under /en/ (each other's
    ``extra.alternate``), served together."""
    base = tmp_path_factory.mktemp("spanish-site")
    server = SiteServer()
    try:
        project = make_spanish_course(base / "course", site_url=f"{server.url}/")
        english = base / "course-en"
        shutil.copytree(project, english)
        config = (english / "mkdocs.yml").read_text(encoding="utf-8").replace("  language: es\n", "  language: en\n")
        config = re.sub(r"(?m)^site_url:.*$", f"site_url: {server.url}/en/", config)
        (english / "mkdocs.yml").write_text(config, encoding="utf-8")  # same alternates: en at /en/, es at /
        root = base / "site"
        coursegen("build", "--strict", "--site-dir", str(root), cwd=project)
        coursegen("build", "--strict", "--site-dir", str(root / "en"), cwd=english)
    except BaseException:
        server.server_close()
        raise
    server.start(root)
    yield Site("spanish", root, server, load_course(project / "modules", project, language="es"), project)
    server.stop()


@cache
def english_msgids() -> tuple[str, ...]:
    """Every UI string's English text as a learner would see it (Markdown marks dropped)."""
    texts = []
    for message in extract_template():
        for text in (message.id,) if isinstance(message.id, str) else message.id:
            if text:
                visible = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("`", "")
                texts.append(visible.replace("%%", "%"))
    return tuple(texts)


def as_pattern(text: str) -> re.Pattern[str]:
    """A msgid as a pattern: its placeholders match anything, whole words only."""
    parts = re.split(r"%\(\w+\)s", text)
    body = r".{1,80}?".join(re.escape(norm(part)) for part in parts)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def course_text(site: Site) -> str:
    """The course's own words (its YAML files, English originals and translations alike)."""
    files = sorted((site.project / "modules").rglob("*.yml"))
    return norm(" ".join(f.read_text(encoding="utf-8") for f in files))


def visible_text(page: Page) -> str:
    """What a learner sees or hears: the body's rendered text plus accessible names."""
    labels = page.evaluate(
        """() => Array.from(document.querySelectorAll("[aria-label], [title], [placeholder]"))
             .filter((el) => el.closest("body"))
             .map((el) => [el.getAttribute("aria-label"), el.getAttribute("title"), el.getAttribute("placeholder")]
               .filter(Boolean).join(" "))"""
    )
    return norm(page.locator("body").inner_text() + " " + " ".join(labels))


def english_in(text: str, content: str) -> list[str]:
    """The English UI strings in ``text`` that are not the course's own content."""
    found = []
    for msgid in english_msgids():
        pattern = as_pattern(msgid)
        if pattern.search(text) and not pattern.search(content):
            found.append(msgid)
    return found


def quiz(page: Page) -> Locator:
    return page.get_by_role("form", name="Cuestionario: Bienvenida", exact=True)


def test_the_catalog_translates_every_string_this_test_looks_for() -> None:
    """The check below can fail: English text on a page is found (a page with one is reported)."""
    assert "Check my answers" in english_in("Unos 10 minutos · Check my answers", "")
    assert english_in("Unos 10 minutos · Revisar mis respuestas", "") == []
    assert english_in("Aprobó 1 de 2. You have passed 1 of 2 module quizzes.", "")
    assert translations("es").gettext("Check my answers") == "Revisar mis respuestas"


@pytest.mark.parametrize("path", PAGES)
def test_no_english_ui_string_on_a_spanish_page(spanish_site: Site, page: Page, path: str) -> None:
    page.goto(spanish_site.at(path))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    if path == "/certificate/":
        expect(page.get_by_role("combobox", name="Ruta de aprendizaje")).to_be_visible()
    if path.startswith("/modules/"):
        expect(page.get_by_role("button", name="Revisar mis respuestas")).to_be_visible()
    settle(page)
    english = english_in(visible_text(page), course_text(spanish_site))
    assert not english, f"{path} shows English UI strings: {english}"


def test_quiz_feedback_and_scores_in_spanish(spanish_site: Site, page: Page) -> None:
    page.goto(spanish_site.at("/modules/welcome/"))
    form = quiz(page)
    form.get_by_role("group", name="1. ¿Qué hay al final de un módulo?").get_by_role(
        "radio", name="Un cuestionario"
    ).check()
    second = form.get_by_role("group", name="2. ¿Qué ve después de revisar sus respuestas?")
    second.get_by_role("checkbox", name="Su puntuación").check()
    second.get_by_role("checkbox", name="Las respuestas de otras personas").check()
    form.get_by_role("button", name="Revisar mis respuestas").click()
    result = form.get_by_role("status")
    expect(result).to_contain_text("Obtuvo 50% (1 de 2 correctas). La nota para aprobar es 80%.")
    expect(result).to_contain_text("Aún no aprueba: lea los comentarios y luego elija Intentar de nuevo.")
    expect(result).to_contain_text("Preguntas para repasar:")
    expect(
        second.get_by_text("En parte correcto: eligió 1 de 2 respuestas correctas y 1 que no es correcta.")
    ).to_be_visible()
    expect(form.get_by_role("button", name="Intentar de nuevo")).to_be_visible()
    label = second.locator(".cg-feedback:not([hidden])").first.get_attribute("data-label")
    assert label in ("Correcto:", "No es correcto:")
    expect(second.get_by_text("Respuesta y explicación")).to_be_visible()
    settle(page)
    english = english_in(visible_text(page), course_text(spanish_site))
    assert not english, f"after checking, English UI strings: {english}"
    # Results are kept under a key of their own language.
    blocking = [v["id"] for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, f"axe on the checked Spanish quiz page: {blocking}"
    keys = page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('coursegen:'))")
    assert keys and all(":es:" in key for key in keys), keys
    expect(page.locator(".cg-meta [data-cg-status]")).to_have_text("Intentado, aún no aprobado")
    for width, viewport in (("1280", DESKTOP), ("390", PHONE)):
        page.set_viewport_size(viewport)
        result.scroll_into_view_if_needed()
        # Two frames after the resize, so the new layout is painted before it is measured and shot.
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        settle(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"spanish-module-checked-{width}.png"))


def test_plural_forms_in_spanish(spanish_site: Site, page: Page) -> None:
    page.goto(spanish_site.at("/modules/welcome/"))
    form = quiz(page)
    button = form.get_by_role("button", name="Revisar mis respuestas")
    button.click()
    expect(form.get_by_role("status")).to_contain_text(
        "Todavía no ha elegido ninguna respuesta. Elija una respuesta para cada una de las 2 preguntas y luego "
        "elija Revisar mis respuestas."
    )
    form.get_by_role("group", name="1. ¿Qué hay al final de un módulo?").get_by_role("radio", name="Nada más").check()
    button.click()
    expect(form.get_by_role("status")).to_contain_text(
        "1 de 2 preguntas todavía no tiene respuesta. Respóndala o elija Revisar mis respuestas otra vez"
    )
    button.click()
    expect(form.get_by_role("status")).to_contain_text("1 pregunta quedó sin responder.")
    many = page.evaluate(
        "coursegenI18n.tn('%(n)s question was not answered.', '%(n)s questions were not answered.', 3, {n: 3})"
    )
    assert many == "3 preguntas quedaron sin responder."


def test_true_false_choices_and_checks_in_spanish(spanish_site: Site, page: Page) -> None:
    page.goto(spanish_site.at("/modules/welcome/"))
    check = page.get_by_role("form", name="Preguntas de repaso: Cómo funciona este curso", exact=True)
    expect(check.get_by_text("Elija verdadero o falso.")).to_be_visible()
    check.get_by_role("radio", name="Falso").check()
    check.get_by_role("button", name="Revisar", exact=True).click()
    expect(check.get_by_role("status")).to_have_text("Todo correcto. ¡Bien hecho!")


def test_the_language_switch_leads_to_the_other_version(spanish_site: Site, page: Page) -> None:
    page.goto(spanish_site.at("/modules/welcome/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bienvenida")
    switch = page.locator(".cg-languages")
    expect(switch).to_contain_text("Este módulo en otro idioma:")
    switch.get_by_role("link", name="English").click()
    expect(page).to_have_url(spanish_site.at("/en/modules/welcome/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("button", name="Check my answers")).to_be_visible()
    page.locator(".cg-languages").get_by_role("link", name="Español").click()
    expect(page).to_have_url(spanish_site.at("/modules/welcome/"))
    # A module nobody translated says so, in Spanish, and still has its English version.
    page.goto(spanish_site.at("/modules/second-steps/"))
    expect(
        page.get_by_text("Este módulo aún no está traducido: sus lecciones y preguntas están en inglés.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Where results go")).to_be_visible()


def test_english_and_spanish_progress_are_kept_apart(spanish_site: Site, page: Page) -> None:
    page.goto(spanish_site.at("/en/modules/second-steps/"))
    form = page.get_by_role("form", name="Quiz: Second steps", exact=True)
    form.get_by_role("radio", name="True").check()
    form.get_by_role("button", name="Check my answers").click()
    expect(form.get_by_role("status")).to_contain_text("You passed this quiz.")
    page.goto(spanish_site.at("/progress/"))
    expect(page.get_by_role("main").get_by_role("status").first).to_contain_text(
        "Aprobó 0 de 2 cuestionarios de módulo."
    )
    page.goto(spanish_site.at("/en/progress/"))
    expect(page.get_by_role("main").get_by_role("status").first).to_contain_text(
        "You have passed 1 of 2 module quizzes."
    )


def test_the_certificate_in_spanish(spanish_site: Site, page: Page) -> None:
    page.goto(spanish_site.at("/certificate/"))
    for module in spanish_site.course.modules:
        record = {"v": 1, "best": 90, "last": 90, "passed": True, "attempts": 1, "answers": {}}
        key = storage_key(spanish_site.course, module, "es")
        page.evaluate("([k, v]) => localStorage.setItem(k, JSON.stringify(v))", [key, record])
    page.reload()
    expect(page.get_by_role("status").filter(has_text="Aprobó")).to_have_text(
        "Aprobó el cuestionario de todos los módulos de esta ruta. Escriba su nombre para crear su certificado."
    )
    page.get_by_role("textbox", name="Su nombre, tal como debe aparecer en el certificado").fill("Ana")
    page.get_by_role("button", name="Mostrar mi certificado").click()
    card = page.get_by_role("region", name="Certificado", exact=True)
    expect(card).to_contain_text("Se deja constancia de que")
    expect(card).to_contain_text("Ruta de aprendizaje: Todo el curso")
    expect(card.get_by_role("columnheader")).to_have_text(["Módulo", "Mejor puntuación"])
    # The date in Spanish, as the page's language says: "26 de noviembre de 2026" (Playwright runs
    # the pattern as JavaScript, where $ ends the text).
    date = re.compile(r"^\d{1,2} de [a-záéíóú]+ de \d{4}$")
    expect(card.locator("[data-cg-cert-date]")).to_have_text(date)
    english = english_in(visible_text(page), course_text(spanish_site))
    assert not english, f"the certificate shows English UI strings: {english}"
