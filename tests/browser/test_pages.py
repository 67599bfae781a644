"""Every generated page type, as a learner sees it: one card, row, section or entry per module,
help line, contact or term, each with its own title, minutes and status.

Read from what the browser shows (roles, names, visible text), with the course model loaded from
the YAML files as the oracle. A page whose Markdown runs items together (all the cards in one
list item, the learning paths in one paragraph) fails here."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from .support import Site, norm, question_group, quiz_form

pytestmark = pytest.mark.browser

NOT_STARTED = "Not started"


def sections(page: Page, level: int) -> list[tuple[str, str]]:
    """The main content cut at its headings of ``level``: (heading, visible text up to the next
    heading of that level or higher), in page order. Permalink marks are left out."""
    return page.evaluate(
        """(level) => {
        const main = document.querySelector("main article") || document.querySelector("main");
        const isHeading = (el, upTo) => /^H[1-6]$/.test(el.tagName) && Number(el.tagName[1]) <= upTo;
        const text = (el) => {
          const copy = el.cloneNode(true);
          copy.querySelectorAll(".headerlink").forEach((a) => a.remove());
          return el.checkVisibility() ? copy.innerText : "";
        };
        const found = [];
        main.querySelectorAll("h" + level).forEach((h) => {
          const body = [];
          for (let el = h.nextElementSibling; el && !isHeading(el, level); el = el.nextElementSibling) {
            body.push(text(el));
          }
          found.push([text(h), body.join("\\n")]);
        });
        return found;
      }""",
        level,
    )


def titled(text: str) -> re.Pattern[str]:
    """A heading's text: ``text`` and, when the theme adds one, its permalink mark."""
    return re.compile("^" + re.escape(text) + "¶?$")


def clean(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(norm(title), norm(body)) for title, body in pairs]


def module_cards(page: Page) -> Locator:
    """The home page's module cards: the items of the card grid's list."""
    return page.locator(".cg-cards > ul > li")


def next_list(heading: Locator) -> Locator:
    """The first list after a heading, or the next heading when none comes first."""
    return heading.locator("xpath=following-sibling::*[self::ol or self::ul or self::h2 or self::h3][1]")


# --- home ----------------------------------------------------------------------------------------


def test_home_has_one_card_per_module_with_its_own_title_minutes_and_status(page: Page, any_site: Site) -> None:
    page.goto(any_site.at("/"))
    modules = any_site.course.modules
    cards = module_cards(page)
    expect(cards, "one card per module").to_have_count(len(modules))
    for number, (card, module) in enumerate(zip(cards.all(), modules, strict=True), start=1):
        where = f"card {number} ({module.id})"
        expect(card, where).to_be_visible()
        # Exactly one link, to its own module, with its own title.
        expect(card.get_by_role("link"), where).to_have_count(1)
        link = card.get_by_role("link", name=f"{number}. {norm(module.title)}", exact=True)
        expect(link, where).to_have_attribute("href", re.compile(rf"(^|/)modules/{module.id}/$"))
        text = norm(card.inner_text())
        assert norm(module.summary) in text, f"{where}: its summary is missing: {text!r}"
        assert text.count(" minutes") == 1, f"{where} should give its time once: {text!r}"
        assert f"About {module.duration_minutes} minutes" in text, f"{where}: {text!r}"
        if module.quiz:
            expect(card.get_by_text(NOT_STARTED, exact=True), where).to_have_count(1)
        else:
            assert NOT_STARTED not in text, f"{where} has no quiz, so no status: {text!r}"
    # Cards sit side by side on a desktop, one under the other on a phone: never on top of each other.
    boxes = [card.bounding_box() for card in cards.all()]
    for above, below in zip(boxes, boxes[1:], strict=False):
        assert above and below
        assert below["y"] >= above["y"] + above["height"] - 1 or below["x"] >= above["x"] + above["width"] - 1


def test_home_learning_paths_list_their_modules_in_order(page: Page, any_site: Site) -> None:
    loaded = any_site.course
    if not loaded.course.audiences:
        pytest.skip(f"{any_site.name} has no audiences")
    page.goto(any_site.at("/"))
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="Learning paths", level=2)).to_be_visible()
    for audience in loaded.course.audiences:
        heading = main.get_by_role("heading", name=re.compile("^" + re.escape(norm(audience.title))), level=3)
        expect(heading, f"no heading for the path of {audience.id}").to_have_count(1)
        path = loaded.path_for(audience.id)
        items = next_list(heading).get_by_role("listitem")
        if path:
            expect(items, f"path of {audience.id}").to_have_text([norm(m.title) for m in path])
            for item, module in zip(items.all(), path, strict=True):
                expect(item.get_by_role("link")).to_have_attribute("href", re.compile(rf"modules/{module.id}/$"))
        else:
            expect(items).to_have_count(0)
    # Each path's description is its own paragraph, not run together with the list before it.
    described = [a for a in loaded.course.audiences if a.description]
    for audience in described:
        paragraph = main.get_by_role("paragraph").filter(has_text=norm(audience.description or ""))
        expect(paragraph).to_have_count(1)
        expect(paragraph).to_have_text(norm(audience.description or ""))


def test_home_page_title_does_not_repeat_the_course_name(page: Page, any_site: Site) -> None:
    page.goto(any_site.at("/"))
    title = page.title()
    course = norm(any_site.course.course.title)
    assert title.count(course) == 1, f"the home page's title repeats the course name: {title!r}"
    expect(page.get_by_role("heading", level=1)).to_have_text(titled(course))


# --- module pages --------------------------------------------------------------------------------


def test_module_pages_show_their_parts_in_order(page: Page, any_site: Site) -> None:
    for number, module in enumerate(any_site.course.modules, start=1):
        page.goto(any_site.module_url(module))
        where = module.id
        main = page.get_by_role("main")
        expect(main.get_by_role("heading", level=1), where).to_have_text(titled(f"{number}. {norm(module.title)}"))
        meta = main.get_by_text(re.compile(r"^About \d+ minutes"))
        expect(meta, where).to_have_count(1)
        expect(meta, where).to_contain_text(f"About {module.duration_minutes} minutes")
        if module.quiz:
            expect(meta.get_by_text(NOT_STARTED, exact=True), where).to_have_count(1)

        expected = ["What you will learn", *(norm(lesson.title) for lesson in module.lessons)]
        expected += ["Key points"] if module.key_points else []
        expected += ["Quiz"] if module.quiz else []
        expected += ["Sources and resources"] if module.resources else []
        found = clean(sections(page, 2))
        assert [title for title, _ in found] == expected, where
        body = dict(found)

        objectives = next_list(main.get_by_role("heading", name="What you will learn", level=2))
        expect(objectives.get_by_role("listitem"), where).to_have_text([norm(o) for o in module.objectives])
        if module.key_points:
            points = next_list(main.get_by_role("heading", name="Key points", level=2))
            expect(points.get_by_role("listitem"), where).to_have_text([norm(p) for p in module.key_points])
        if module.resources:
            resources = next_list(main.get_by_role("heading", name="Sources and resources", level=2))
            items = resources.get_by_role("listitem")
            expect(items, where).to_have_count(len(module.resources))
            for item, resource in zip(items.all(), module.resources, strict=True):
                expect(item, where).to_contain_text(norm(resource.title))
        for lesson in module.lessons:
            checks = body[norm(lesson.title)].count("Check your understanding")
            assert checks == (1 if lesson.checks else 0), f"{where}: {lesson.title}"
        if module.quiz:
            form = quiz_form(page, module)
            numbered = form.get_by_role("group", name=re.compile(r"^[0-9]+\. "))  # "<n>. <prompt>"
            expect(numbered, where).to_have_count(len(module.quiz.questions))
            for n, question in enumerate(module.quiz.questions, start=1):
                expect(question_group(form, n, question), where).to_be_visible()


# --- progress, help, contacts, glossary, facilitator ---------------------------------------------


def test_progress_page_has_one_row_per_module(page: Page, any_site: Site) -> None:
    page.goto(any_site.at("/progress/"))
    table = page.get_by_role("main").get_by_role("table")
    expect(table.get_by_role("columnheader")).to_have_text(["Module", "State", "Best score"])
    rows = table.get_by_role("row").filter(has=page.get_by_role("cell"))
    modules = any_site.course.modules
    expect(rows).to_have_count(len(modules))
    for number, (row, module) in enumerate(zip(rows.all(), modules, strict=True), start=1):
        state = NOT_STARTED if module.quiz else "No quiz"
        expect(row.get_by_role("cell")).to_have_text([f"{number}. {norm(module.title)}", state, "–"])


def test_help_page_has_one_section_per_help_line(page: Page, any_site: Site) -> None:
    page.goto(any_site.at("/help/"))
    lines = any_site.course.course.help
    found = clean(sections(page, 2))
    assert [title for title, _ in found] == [norm(line.name) for line in lines]
    main = page.get_by_role("main")
    for (_, body), line in zip(found, lines, strict=True):
        assert norm(line.description) in body, line.name
        if line.phone:
            assert f"Call: {line.phone}" in body, line.name
            digits = re.sub(r"\D", "", line.phone)
            heading = main.get_by_role("heading", name=re.compile("^" + re.escape(norm(line.name))), level=2)
            call = next_list(heading).get_by_role("link", name=line.phone, exact=True)
            expect(call).to_have_attribute("href", f"tel:{digits}")


def test_contacts_page_has_one_section_per_contact(page: Page, any_site: Site) -> None:
    page.goto(any_site.at("/contacts/"))
    contacts = any_site.course.course.contacts
    found = clean(sections(page, 2))
    assert [title for title, _ in found] == [norm(c.role) for c in contacts]
    for (_, body), contact in zip(found, contacts, strict=True):
        assert f"Name: {norm(contact.name) if contact.name else 'Not filled in yet'}" in body, contact.role
        assert f"Phone: {contact.phone or 'Not filled in yet'}" in body, contact.role
        assert body.count("Name:") == 1 and body.count("Phone:") == 1, contact.role


def test_glossary_has_one_entry_per_term(page: Page, any_site: Site) -> None:
    terms = sorted(any_site.course.course.glossary, key=lambda t: t.term)
    if not terms:
        pytest.skip(f"{any_site.name} has no glossary")
    page.goto(any_site.at("/glossary/"))
    main = page.get_by_role("main")
    expect(main.get_by_role("term")).to_have_text([norm(t.term) for t in terms])
    expect(main.get_by_role("definition")).to_have_text(
        [re.compile("^" + re.escape(norm(t.definition))) for t in terms]
    )


def test_facilitator_guide_has_one_section_per_module(page: Page, any_site: Site) -> None:
    page.goto(any_site.at("/facilitator/"))
    modules = any_site.course.modules
    found = clean(sections(page, 2))
    assert [title for title, _ in found] == [f"{n}. {norm(m.title)}" for n, m in enumerate(modules, 1)]
    for (_, body), module in zip(found, modules, strict=True):
        assert body.startswith(f"About {module.duration_minutes} minutes. Open the module"), module.id
        assert len(re.findall(r"About \d+ minutes\. Open the module", body)) == 1, module.id
        for objective in module.objectives:
            assert norm(objective) in body, (module.id, objective)
