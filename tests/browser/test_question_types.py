"""Ordering, matching and short_answer questions (issue #14), played as a learner plays them: by
keyboard only, with JavaScript off, at phone and desktop width; points and partial credit in the
score; choices mixed anew for each attempt and kept across a reload; short answers compared in the
browser exactly as coursegen.answers compares them.

The course is tests/browser/types_course.py; its model is the oracle for right answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page, expect

from coursegen.answers import answer_matches, normalise_answer
from coursegen.loader import load_course
from coursegen.model import Question
from coursegen.questiontypes import matching_display, ordering_display

from .support import ARTIFACTS, DESKTOP, PHONE, Site, SiteServer, norm, quiz_form
from .test_a11y import BLOCKING, describe, run_axe
from .types_course import make_types_course

pytestmark = pytest.mark.browser

SHOTS = ARTIFACTS / "question-types"
MAX_TABS = 300


@pytest.fixture(scope="module")
def types_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("types")
    make_types_course(base / "course", base / "site")
    server = SiteServer().start(base / "site")
    yield Site(
        "types", base / "site", server, load_course(base / "course" / "modules", base / "course"), base / "course"
    )
    server.stop()


def questions(site: Site) -> dict[str, Question]:
    module = site.course.module("practice")
    assert module.quiz is not None
    return {q.id: q for q in module.quiz.questions}


def open_quiz(open_tab, site: Site, **options: object) -> tuple[Page, Locator]:
    tab = open_tab(**options)
    tab.page.goto(site.at("/modules/practice/"))
    form = quiz_form(tab.page, site.course.module("practice"))
    expect(form).to_be_visible()
    return tab.page, form


def group(form: Locator, number: int, question: Question) -> Locator:
    return form.get_by_role("group", name=f"{number}. {norm(question.prompt)}", exact=True)


def result(form: Locator) -> Locator:
    """The quiz's own status region: after every question's (an ordering question has one too)."""
    return form.get_by_role("status").last


def focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, target: Locator) -> None:
    """Tab (or Shift+Tab, if the target comes earlier in the page) until ``target`` has the focus."""
    before = target.evaluate(
        "el => !document.activeElement || document.activeElement === document.body ||"
        " Boolean(document.activeElement.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    for _ in range(MAX_TABS):
        if focused(target):
            return
        page.keyboard.press("Tab" if before else "Shift+Tab")
    raise AssertionError(f"the keyboard never reached {target}")


def shown_order(group_: Locator) -> list[str]:
    """The ordering items as the list shows them, top first."""
    return [norm(text) for text in group_.get_by_role("listitem").locator(".cg-order-text").all_text_contents()]


def put_in_order(page: Page, group_: Locator, items: list[str], upto: int | None = None) -> None:
    """With Move up only (Tab, then Enter), bring the first ``upto`` items to their places. The
    focus stays on the moved item's button, so Enter again moves it further."""
    for target, item in enumerate(items[:upto]):
        start = shown_order(group_).index(norm(item))
        if start == target:
            continue
        button = group_.get_by_role("button", name=f"Move up: {norm(item)}", exact=True)
        tab_to(page, button)
        for _ in range(start - target):
            page.keyboard.press("Enter")
        expect(button).to_be_focused()
        expect(group_.get_by_role("status")).to_have_text(
            f"{norm(item)} moved to position {target + 1} of {len(items)}."
        )
        assert shown_order(group_)[target] == norm(item)


def choose_by_keyboard(page: Page, select: Locator, label: str) -> None:
    """Tab to a list and press the down arrow until it shows ``label``."""
    tab_to(page, select)
    for _ in range(12):
        if norm(select.evaluate("el => el.selectedOptions[0].textContent")) == label:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} is not in the list")


def choose_radio(page: Page, group_: Locator, label: str) -> None:
    """Tab into a radio group (the focus lands on its first answer), Space, then arrows to ``label``."""
    first = group_.get_by_role("radio").first
    tab_to(page, first)
    page.keyboard.press("Space")
    target = group_.get_by_role("radio", name=label, exact=True)
    for _ in range(12):
        if target.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} is not among the answers")


def labelled_feedback(group_: Locator) -> list[str]:
    """The shown feedback lines of a question's items with their label ("Correct:"), which the
    style sheet puts before the text (and screen readers read)."""
    return group_.locator("li .cg-feedback:not([hidden])").evaluate_all(
        r"""els => els.map(el => {
          const label = getComputedStyle(el, "::before").content.replace(/^"|"$/g, "");
          return (label + el.textContent).replace(/\s+/g, " ").trim();
        })"""
    )


def pairs_in_order(order: list[str], items: list[str]) -> int:
    position = [items.index(text) for text in order]
    return sum(position[i] < position[j] for i in range(len(order)) for j in range(i + 1, len(order)))


def answer_the_quiz(page: Page, form: Locator, qs: dict[str, Question]) -> None:
    """By keyboard: the ordering right, one of three matches right, the number as 'NINE one  one.'
    (right once normalised), both choices right; Enter in the answer field checks the quiz."""
    steps = qs["steps"]
    put_in_order(page, group(form, 1, steps), list(steps.items or []))
    roles = qs["roles"]
    lists = group(form, 2, roles)
    pairs = list(roles.pairs or [])
    choose_by_keyboard(page, lists.get_by_role("combobox", name=norm(pairs[0].item)), pairs[0].match)
    choose_by_keyboard(page, lists.get_by_role("combobox", name=norm(pairs[1].item)), "Kitchen")
    choose_by_keyboard(page, lists.get_by_role("combobox", name=norm(pairs[2].item)), pairs[0].match)
    choose_radio(page, group(form, 4, qs["colour"]), "Red")
    choose_radio(page, group(form, 5, qs["fixed"]), "The first one")
    field = group(form, 3, qs["number"]).get_by_role("textbox", name="Your answer")
    tab_to(page, field)
    page.keyboard.type("NINE one  one.")
    page.keyboard.press("Enter")


def test_each_type_by_keyboard_scores_points_and_partial_credit(open_tab, types_site: Site) -> None:
    page, form = open_quiz(open_tab, types_site)
    qs = questions(types_site)
    answer_the_quiz(page, form, qs)
    # 3 (ordering) + 1 of 3 (matching: 1 pair of 3) + 2 (short answer) + 1 + 1 = 8 of 10 points.
    expect(result(form).get_by_role("paragraph").first).to_have_text(
        "You scored 80% (8 of 10 points). The pass mark is 80%. You passed this quiz."
    )
    ordering = group(form, 1, qs["steps"])
    expect(ordering.get_by_text("Correct.", exact=True)).to_be_visible()
    expect(ordering.get_by_text(qs["steps"].correct_feedback or "", exact=True)).to_be_visible()
    assert labelled_feedback(ordering) == ["Correct: In the right place."] * 5
    matching = group(form, 2, qs["roles"])
    expect(matching.get_by_text("Partly correct: 1 of 3 pairs matched.", exact=True)).to_be_visible()
    pairs = list(qs["roles"].pairs or [])
    # Each list is described by its feedback, labelled for a screen reader as on screen.
    lists = [matching.get_by_role("combobox", name=norm(pair.item)) for pair in pairs]
    expect(lists[0]).to_have_accessible_description(f"Correct: {pairs[0].feedback}")
    expect(lists[1]).to_have_accessible_description(f"Not correct: The right match is {pairs[1].match}.")
    expect(lists[2]).to_have_accessible_description(f"Not correct: The right match is {pairs[2].match}.")
    expect(matching.get_by_text(qs["roles"].incorrect_feedback or "", exact=True)).to_be_visible()
    short = group(form, 3, qs["number"])
    expect(short.get_by_text("Correct.", exact=True)).to_be_visible()
    expect(short.get_by_text(qs["number"].correct_feedback or "", exact=True)).to_be_visible()
    # The answer and explanation of each question are open now.
    expect(ordering.locator("details").get_by_role("listitem")).to_have_text([norm(i) for i in qs["steps"].items or []])


def test_a_listed_wrong_answer_and_a_partly_right_order(open_tab, types_site: Site) -> None:
    page, form = open_quiz(open_tab, types_site)
    qs = questions(types_site)
    steps = list(qs["steps"].items or [])
    ordering = group(form, 1, qs["steps"])
    last = shown_order(ordering)[-1]
    button = ordering.get_by_role("button", name=f"Move up: {last}", exact=True)
    tab_to(page, button)
    page.keyboard.press("Enter")  # the bottom item up one place, the rest as they came
    expect(ordering.get_by_role("status")).to_have_text(f"{last} moved to position 4 of 5.")
    order = shown_order(ordering)
    right = pairs_in_order(order, [norm(s) for s in steps])
    field = group(form, 3, qs["number"]).get_by_role("textbox", name="Your answer")
    tab_to(page, field)
    page.keyboard.type("The HOTLINE, of course")
    page.keyboard.press("Enter")  # asks first: three questions are not answered
    expect(result(form)).to_contain_text("3 of 5 questions are not answered yet.")
    tab_to(page, form.get_by_role("button", name="Check my answers"))
    page.keyboard.press("Enter")
    short = group(form, 3, qs["number"])
    expect(short.get_by_text("Not quite. Read the feedback and the explanation below.", exact=True)).to_be_visible()
    wrong = (qs["number"].wrong_answers or [])[0]
    expect(short.get_by_text(wrong.feedback, exact=True)).to_be_visible()
    expect(short.get_by_text(qs["number"].incorrect_feedback or "", exact=True)).to_be_hidden()
    verdict = (
        "Correct."
        if right == 10
        else f"Partly correct: {right} of 10 pairs of steps {'is' if right == 1 else 'are'} in the right order."
    )
    expect(ordering.get_by_text(verdict, exact=True)).to_be_visible()
    earned = round(3 * right / 10, 1)
    shown = f"{earned:g}"
    expect(result(form).get_by_role("paragraph").first).to_contain_text(
        f"You scored {round(100 * earned / 10)}% ({shown} of 10 points)."
    )
    # Try again (Tab to it, Enter): the answers are cleared and the focus is back in the quiz.
    tab_to(page, form.get_by_role("button", name="Try again"))
    page.keyboard.press("Enter")
    expect(field).to_have_value("")
    expect(short.get_by_text(wrong.feedback, exact=True)).to_be_hidden()


def test_without_javascript_the_answers_are_in_the_details(open_tab, types_site: Site) -> None:
    page, form = open_quiz(open_tab, types_site, javascript=False)
    qs = questions(types_site)
    ordering = group(form, 1, qs["steps"])
    built = [norm(text) for _, text in ordering_display(qs["steps"])]
    assert shown_order(ordering) == built and built != [norm(s) for s in qs["steps"].items or []]
    expect(ordering.get_by_role("button")).to_have_count(0)  # Move buttons need the script
    details = ordering.locator("details")
    tab_to(page, details.locator("summary"))  # open it as a learner does: Tab, Enter
    page.keyboard.press("Enter")
    expect(details.get_by_role("listitem")).to_have_text([norm(s) for s in qs["steps"].items or []])
    matching = group(form, 2, qs["roles"])
    first = matching.get_by_role("combobox").first
    options = [norm(t) for t in first.locator("option").all_text_contents()]
    assert options == ["Choose a match"] + [norm(m) for _, m in matching_display(qs["roles"])]
    expect(matching.locator("details")).to_contain_text(f"{norm(qs['roles'].pairs[0].item)}: Housekeeping")
    short = group(form, 3, qs["number"])
    expect(short.locator("details")).to_contain_text("911")
    expect(short.locator("details")).to_contain_text((qs["number"].wrong_answers or [])[0].feedback)
    expect(form.get_by_role("button", name="Check my answers")).to_be_hidden()
    # Enter in the field does not send the form away (the check button is disabled without script).
    url = page.url
    field = short.get_by_role("textbox", name="Your answer")
    field.focus()
    page.keyboard.type("911")
    page.keyboard.press("Enter")
    expect(field).to_have_value("911")
    assert page.url == url


def colours(form: Locator, qs: dict[str, Question]) -> list[str]:
    return [
        norm(t)
        for t in group(form, 4, qs["colour"])
        .get_by_role("radio")
        .evaluate_all("els => els.map(e => e.labels[0].textContent)")
    ]


def test_choices_are_mixed_per_attempt_and_kept_across_a_reload(open_tab, types_site: Site) -> None:
    page, form = open_quiz(open_tab, types_site)
    qs = questions(types_site)
    written = [norm(c.text) for c in qs["colour"].choices or []]
    fixed = [norm(c.text) for c in qs["fixed"].choices or []]
    steps = [norm(s) for s in qs["steps"].items or []]
    first = colours(form, qs)
    assert sorted(first) == sorted(written)
    page.reload()
    assert colours(form, qs) == first, "a reload within an attempt keeps the order"
    seen = [first]
    for _ in range(3):  # eight choices: the same order again has a chance of 1 in 40 320
        expect(form.get_by_role("radio", name="The first one")).to_be_visible()
        group(form, 5, qs["fixed"]).get_by_role("radio", name="The first one").check()
        form.get_by_role("button", name="Check my answers").click()
        form.get_by_role("button", name="Check my answers").click()  # "check anyway?" is asked first
        form.get_by_role("button", name="Try again").click()
        seen.append(colours(form, qs))
        assert shown_order(group(form, 1, qs["steps"])) != steps, "an ordering never starts in the right order"
        assert [
            norm(t)
            for t in group(form, 5, qs["fixed"])
            .get_by_role("radio")
            .evaluate_all("els => els.map(e => e.labels[0].textContent)")
        ] == fixed, "shuffle: false keeps the written order"
        if seen[-1] != seen[-2]:
            break
    assert seen[-1] != seen[-2], f"Try again did not mix the choices anew: {seen}"
    page.reload()
    assert colours(form, qs) == seen[-1], "the new attempt's order is kept across a reload"
    record = json.loads(page.evaluate("() => JSON.stringify(Object.entries(localStorage))"))
    saved = [json.loads(value) for key, value in record if key.startswith("coursegen:") and key.count(":") == 3]
    assert saved and isinstance(saved[0]["seed"], int)


NORMALISATION_CASES = [
    "911",
    "  Nine   one\tone.  ",
    "CALL 911!!!",
    "don't",
    "ﬁre exit",  # a ligature: NFKC makes it two letters
    "９１１",  # full-width digits
    "Ça va — très « bien »",
    "¿Dónde está?",
    "İstanbul",
    "ΟΔΟΣ",
    "e\u0301",  # e and a combining accent: NFKC composes them
    "a_b-c/d",
    "$5 + 3",
    "",
    "   ",
    "*",
    "x" * 250,
    "a\ufeffb",  # not white space to Python (JavaScript's \s would split here)
    "a\x1fb\x85c\u2028d",  # white space to Python (not to JavaScript's \s)
    "a\u1680b\u3000c\u00a0d",  # spaces of other scripts
    "Ⅻ ㎏ ½",  # compatibility characters
]

MATCH_CASES = [
    ("911", " 911. "),
    ("call 911*", "Call 911 right away"),
    ("call 911*", "I would call 911"),
    ("*hotline*", "The Hotline, first"),
    ("*hotline*", "hot line"),
    ("a*b*c", "abc"),
    ("a*b*c", "acb"),
    ("call * now", "call now"),
    ("call * now", "call them now"),
    ("*", ""),
    ("Nine-one-one", "nine one one"),
    ("ﬁre", "FIRE"),
]


def test_short_answers_are_normalised_in_the_browser_as_in_python(open_tab, types_site: Site) -> None:
    page, _ = open_quiz(open_tab, types_site)
    # The rules the page's quiz.js judges with (answers.js, shared with the LMS launcher).
    browser = page.evaluate("cases => cases.map(c => window.coursegenAnswers.normalise(c))", NORMALISATION_CASES)
    assert browser == [normalise_answer(case) for case in NORMALISATION_CASES]
    matched = page.evaluate("cases => cases.map(([p, a]) => window.coursegenAnswers.matches(p, a))", MATCH_CASES)
    assert matched == [answer_matches(p, a) for p, a in MATCH_CASES]
    assert True in matched and False in matched


SCENARIO = """
<fieldset class="cg-question" data-question="scene" data-type="scenario" data-points="2" id="scene">
<legend class="cg-prompt"><span class="cg-number">6.</span> A scenario.</legend>
<p class="cg-verdict" hidden></p>
</fieldset>
"""


def test_a_scenario_counts_by_its_outcome_and_is_restored(open_tab, types_site: Site) -> None:
    """The contract with assets/scenario.js: a fieldset's data-outcome is graded ("good" is all its
    points), its data-ending saved; on a reload it gets cg:restore with what was saved, on Try again
    cg:reset."""
    tab = open_tab()
    page = tab.page

    def with_scenario(route) -> None:  # noqa: ANN001 - Playwright's Route
        # Into the quiz, the page's last form.
        before, actions, after = route.fetch().text().rpartition('<div class="cg-actions"')
        route.fulfill(body=before + SCENARIO + actions + after, headers={"content-type": "text/html; charset=utf-8"})

    page.route(re.compile(r".*/modules/practice/$"), with_scenario)
    page.add_init_script(
        "window.__events = []; ['cg:restore', 'cg:reset'].forEach(name => document.addEventListener(name,"
        " e => window.__events.push([name, e.target.id, e.detail ? e.detail.chosen : null]), true));"
    )
    page.goto(types_site.at("/modules/practice/"))
    form = quiz_form(page, types_site.course.module("practice"))
    qs = questions(types_site)
    group(form, 5, qs["fixed"]).get_by_role("radio", name="The first one").check()
    page.evaluate(
        "() => { const f = document.getElementById('scene'); f.dataset.outcome = 'good'; f.dataset.ending = '3'; }"
    )
    form.get_by_role("button", name="Check my answers").click()
    form.get_by_role("button", name="Check my answers").click()  # check anyway
    # 1 (fixed) + 2 (scenario) of 12 points.
    expect(result(form).get_by_role("paragraph").first).to_contain_text("You scored 25% (3 of 12 points).")
    page.reload()
    expect(result(form)).to_contain_text("Your last result was restored.")
    assert page.evaluate("window.__events") == [["cg:restore", "scene", [3]]]
    form.get_by_role("button", name="Try again").click()
    assert page.evaluate("window.__events")[-1] == ["cg:reset", "scene", None]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_axe_and_screenshots(open_tab, node_tools: None, types_site: Site, viewport: str) -> None:
    """Zero serious or critical axe violations before and after checking, at 1280 and 390 px; a
    screenshot of each question after checking goes to tests/artifacts/question-types/."""
    size = PHONE if viewport == "phone" else DESKTOP
    page, form = open_quiz(open_tab, types_site, viewport=size)
    qs = questions(types_site)
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    steps = qs["steps"]
    put_in_order(page, group(form, 1, steps), list(steps.items or []), upto=2)
    answer = group(form, 3, qs["number"]).get_by_role("textbox", name="Your answer")
    answer.fill("the hotline")
    roles = group(form, 2, qs["roles"])
    roles.get_by_role("combobox").first.select_option(label="Housekeeping")
    answer.press("Enter")
    answer.press("Enter")
    expect(result(form)).to_contain_text("You scored")
    blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for number, qid in enumerate(["steps", "roles", "number"], start=1):
        # The whole page's picture, cut to the question: Material's fixed header stays at the top.
        box = group(form, number, qs[qid]).bounding_box()
        assert box is not None
        top = page.evaluate("window.scrollY")
        clip = {"x": box["x"], "y": box["y"] + top, "width": box["width"], "height": box["height"]}
        page.screenshot(
            path=str(SHOTS / f"{qid}-{size['width']}.png"), full_page=True, clip=clip, animations="disabled"
        )
    assert (SHOTS / f"steps-{size['width']}.png").stat().st_size > 0


def test_saved_answers_are_untrusted(open_tab, types_site: Site) -> None:
    """A saved record is used only where it fits the question: an ordering that is not a
    permutation of its steps and matches that are not options are ignored, a typed answer is only
    ever the field's text, and one longer than the field allows is dropped."""
    from coursegen.render import storage_key

    module = types_site.course.module("practice")
    key = storage_key(types_site.course, module)
    hostile = '<img src=x onerror="window.__pwned=1">'
    record = {
        "v": 1,
        "best": 10,
        "last": 10,
        "passed": False,
        "attempts": 1,
        "seed": 12345,
        "answers": {"steps": [0, 0, 0, 0, 0], "roles": [-1, 99, "x"], "number": hostile, "fixed": [0]},
    }
    tab = open_tab()
    page = tab.page
    page.add_init_script(  # once: the reload below must find what the page itself stored
        f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
        f" localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(record))}); }}"
    )
    page.goto(types_site.at("/modules/practice/"))
    form = quiz_form(page, module)
    qs = questions(types_site)
    expect(result(form)).to_contain_text("Your last result was restored.")
    expect(group(form, 3, qs["number"]).get_by_role("textbox", name="Your answer")).to_have_value(hostile)
    assert page.evaluate("window.__pwned") is None and not tab.errors
    expect(group(form, 1, qs["steps"]).get_by_text("Not answered: no step was moved.", exact=False)).to_be_visible()
    for select in group(form, 2, qs["roles"]).get_by_role("combobox").all():
        expect(select).to_have_value("")
    record["answers"] = {"number": "9" * 201}
    page.evaluate(f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(record))})")
    page.reload()
    expect(group(form, 3, qs["number"]).get_by_role("textbox", name="Your answer")).to_have_value("")
    expect(form.get_by_role("button", name="Check my answers")).to_be_enabled()
    expect(result(form)).to_have_text("")


def test_an_exam_review_sheet_shows_each_type(open_tab, types_site: Site) -> None:
    """In exam mode nothing is graded before the one submit; then the review sheet gives each new
    type's answer and right answer as readable lists, partial credit as "Partly right", and the
    score in points."""
    tab = open_tab()
    page = tab.page
    page.goto(types_site.at("/modules/practice-exam/"))
    module = types_site.course.module("practice-exam")
    form = quiz_form(page, module)
    assert module.quiz is not None
    qs = {q.id: q for q in module.quiz.questions}
    steps = list(qs["steps"].items or [])
    ordering = group(form, 1, qs["steps"])
    put_in_order(page, ordering, steps)
    expect(ordering.get_by_text("Correct.", exact=True)).to_be_hidden()  # no feedback before the submit
    lists = group(form, 2, qs["roles"])
    pairs = list(qs["roles"].pairs or [])
    choose_by_keyboard(page, lists.get_by_role("combobox", name=norm(pairs[0].item)), pairs[0].match)
    field = group(form, 3, qs["number"]).get_by_role("textbox", name="Your answer")
    tab_to(page, field)
    page.keyboard.type("the hotline")
    page.keyboard.press("Enter")  # asks first: two questions are not answered
    tab_to(page, form.get_by_role("button", name="Submit exam"))
    page.keyboard.press("Enter")
    # 3 (ordering) + 1 of 3 (matching) + 0 + 0 + 0 = 4 of 10 points.
    expect(result(form)).to_contain_text("You scored 40% (4 of 10 points). The pass mark is 80%.")
    rows = form.get_by_role("region", name="Review sheet").get_by_role("listitem")
    expect(rows.nth(0).get_by_role("definition")).to_have_text(
        ["; ".join(map(norm, steps)), "; ".join(map(norm, steps)), "Correct", norm(qs["steps"].explanation)]
    )
    expect(rows.nth(1).get_by_role("definition").nth(0)).to_have_text(f"{norm(pairs[0].item)}: {pairs[0].match}")
    expect(rows.nth(1).get_by_role("definition").nth(2)).to_have_text("Partly right")
    expect(rows.nth(2).get_by_role("definition").nth(0)).to_have_text("the hotline")
    expect(rows.nth(2).get_by_role("definition").nth(1)).to_have_text("911; nine one one")
    expect(rows.nth(2).get_by_role("definition").nth(2)).to_have_text("Not correct")
