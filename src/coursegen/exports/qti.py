"""QTI packages: 1.2 for Canvas (one assessment per module, as Canvas and text2qti lay it out) and
2.1 for Blackboard and other QTI 2 systems (one item per question, listed in the manifest).

Both are IMS content packages: a zip with ``imsmanifest.xml`` at the top. Text is HTML (plain text
escaped) in CDATA. Identifiers come from the course, module and question ids, so the same course
gives the same bytes. (Moodle core imports GIFT and Moodle XML, not QTI.)
"""

from __future__ import annotations

from html import escape as html_escape
from typing import Literal

from lxml import etree

from ..model import LoadedCourse, Module, Question
from .gift import multiple_weights, weight
from .omissions import exported
from .output import zip_bytes
from .text import line, xml_chars

QtiVersion = Literal["1.2", "2.1"]

NS_CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
NS_QTI12 = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NS_QTI21 = "http://www.imsglobal.org/xsd/imsqti_v2p1"
NS_CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def html(text: str | None) -> str:
    """Plain text as escaped HTML."""
    return xml_chars(html_escape(line(text), quote=False))


def _cdata(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attrs)
    element.text = etree.CDATA(text)  # escaped HTML never holds "]]>"
    return element


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def ident(*parts: str) -> str:
    """An identifier from slugs: letters, digits, hyphens and underscores, starting with a letter."""
    return "cg_" + "_".join(parts)


# --- QTI 1.2 (Canvas) ----------------------------------------------------------------------------

CANVAS_TYPES = {
    "single": "multiple_choice_question",
    "multiple": "multiple_answers_question",
    "true_false": "true_false_question",
    "matching": "matching_question",
    "short_answer": "short_answer_question",
}


def _material(parent: etree._Element, text: str, texttype: str = "text/html") -> None:
    material = etree.SubElement(parent, "material")
    _cdata(material, "mattext", text, texttype=texttype)


def _feedback(item: etree._Element, feedback_id: str, text: str) -> None:
    feedback = etree.SubElement(item, "itemfeedback", ident=feedback_id)
    _material(etree.SubElement(feedback, "flow_mat"), text)


def _condition(resprocessing: etree._Element, cont: str) -> tuple[etree._Element, etree._Element]:
    condition = etree.SubElement(resprocessing, "respcondition", {"continue": cont})
    return condition, etree.SubElement(condition, "conditionvar")


def _item_head(qid: str, question: Question, answer_ids: list[str]) -> tuple[etree._Element, etree._Element]:
    """An item with its Canvas metadata (type, points, answer ids) and the prompt; returns the item
    and its ``presentation``."""
    item = etree.Element("item", ident=qid, title=question.id)
    meta = etree.SubElement(etree.SubElement(item, "itemmetadata"), "qtimetadata")
    for label, entry in (
        ("question_type", CANVAS_TYPES[question.type]),
        ("points_possible", str(question.points)),
        ("original_answer_ids", ",".join(answer_ids)),
    ):
        field = etree.SubElement(meta, "qtimetadatafield")
        etree.SubElement(field, "fieldlabel").text = label
        etree.SubElement(field, "fieldentry").text = entry
    presentation = etree.SubElement(item, "presentation")
    _material(presentation, html(question.prompt))
    return item, presentation


def _processing(item: etree._Element) -> etree._Element:
    """``resprocessing`` with Canvas's SCORE (0–100) and the explanation shown for any answer."""
    processing = etree.SubElement(item, "resprocessing")
    outcomes = etree.SubElement(processing, "outcomes")
    etree.SubElement(outcomes, "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    condition, var = _condition(processing, "Yes")
    etree.SubElement(var, "other")
    etree.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    return processing


def literal_answers(answers: list[str]) -> list[str]:
    """Short answers Canvas can compare: Canvas has no wildcard, so answers with ``*`` are left out."""
    return [line(a) for a in answers if "*" not in a]


def short_answer12(qid: str, question: Question) -> etree._Element:
    """A Canvas ``short_answer_question``: the typed text against each accepted answer (Canvas
    ignores case and surrounding spaces), as text2qti writes it; common wrong answers show their
    feedback."""
    accepted = literal_answers(list(question.accepted or []))
    answer_ids = [f"{qid}_{index}" for index in range(len(accepted))]
    item, presentation = _item_head(qid, question, answer_ids)
    response = etree.SubElement(presentation, "response_str", ident="response1", rcardinality="Single")
    etree.SubElement(etree.SubElement(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    processing = _processing(item)
    wrong = [(w, f"{qid}_wrong{index}") for index, w in enumerate(question.wrong_answers or []) if "*" not in w.answer]
    for answer, feedback_id in wrong:
        condition, var = _condition(processing, "Yes")
        etree.SubElement(var, "varequal", respident="response1").text = line(answer.answer)
        etree.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{feedback_id}_fb")
    condition, var = _condition(processing, "No")
    for text in accepted:
        etree.SubElement(var, "varequal", respident="response1").text = text
    etree.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"
    _feedback(item, "general_fb", html(question.explanation))
    for answer, feedback_id in wrong:
        _feedback(item, f"{feedback_id}_fb", html(answer.feedback))
    return item


def matching12(qid: str, question: Question) -> etree._Element:
    """A Canvas ``matching_question``: one list of every match per item, each right match adding
    its share of 100 (partial credit per item, as on the site); an item's feedback shows when it is
    matched right."""
    pairs = list(question.pairs or [])
    matches = question.matches()
    pair_ids = [f"{qid}_{index}" for index in range(len(pairs))]
    match_ids = [f"{qid}_m{index}" for index in range(len(matches))]
    item, presentation = _item_head(qid, question, pair_ids)
    for pair_id, pair in zip(pair_ids, pairs, strict=True):
        response = etree.SubElement(presentation, "response_lid", ident=f"response_{pair_id}")
        _material(response, xml_chars(line(pair.item)), texttype="text/plain")
        render = etree.SubElement(response, "render_choice")
        for match_id, match in zip(match_ids, matches, strict=True):
            _material(etree.SubElement(render, "response_label", ident=match_id), xml_chars(line(match)), "text/plain")
    processing = _processing(item)
    share = weight(100 / len(pairs)) if pairs else "0"
    for pair_id, pair in zip(pair_ids, pairs, strict=True):
        condition, var = _condition(processing, "Yes")
        etree.SubElement(var, "varequal", respident=f"response_{pair_id}").text = match_ids[matches.index(pair.match)]
        etree.SubElement(condition, "setvar", action="Add", varname="SCORE").text = share
        if pair.feedback:
            etree.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{pair_id}_fb")
    _feedback(item, "general_fb", html(question.explanation))
    for pair_id, pair in zip(pair_ids, pairs, strict=True):
        if pair.feedback:
            _feedback(item, f"{pair_id}_fb", html(pair.feedback))
    return item


def item12(course_id: str, module: Module, question: Question) -> etree._Element:
    """One QTI 1.2 ``<item>`` in Canvas's dialect (question type, points, feedback, SCORE 0–100)."""
    qid = ident(course_id, module.id, question.id)
    if question.type == "short_answer":
        return short_answer12(qid, question)
    if question.type == "matching":
        return matching12(qid, question)
    choices = question.options()
    choice_ids = [f"{qid}_{index}" for index in range(len(choices))]
    item, presentation = _item_head(qid, question, choice_ids)
    cardinality = "Multiple" if question.type == "multiple" else "Single"
    response = etree.SubElement(presentation, "response_lid", ident="response1", rcardinality=cardinality)
    render = etree.SubElement(response, "render_choice")
    for choice_id, choice in zip(choice_ids, choices, strict=True):
        _material(etree.SubElement(render, "response_label", ident=choice_id), html(choice.text))
    processing = _processing(item)
    for choice_id in choice_ids:
        condition, var = _condition(processing, "Yes")
        etree.SubElement(var, "varequal", respident="response1").text = choice_id
        etree.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{choice_id}_fb")
    # Full marks for exactly the right choices (text2qti and Canvas's own export do the same).
    condition, var = _condition(processing, "No")
    target = etree.SubElement(var, "and") if question.type == "multiple" else var
    for choice_id, choice in zip(choice_ids, choices, strict=True):
        if choice.correct:
            etree.SubElement(target, "varequal", respident="response1").text = choice_id
        elif question.type == "multiple":
            etree.SubElement(etree.SubElement(target, "not"), "varequal", respident="response1").text = choice_id
    etree.SubElement(condition, "setvar", action="Set", varname="SCORE").text = "100"
    _feedback(item, "general_fb", html(question.explanation))
    for choice_id, choice in zip(choice_ids, choices, strict=True):
        _feedback(item, f"{choice_id}_fb", html(choice.feedback))
    return item


def assessment12(loaded: LoadedCourse, module: Module, number: int) -> bytes:
    """A module's questions as a QTI 1.2 assessment."""
    root = etree.Element(
        "questestinterop",
        nsmap={None: NS_QTI12, "xsi": NS_XSI},
        attrib={f"{{{NS_XSI}}}schemaLocation": f"{NS_QTI12} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"},
    )
    title = line(f"{number}. {module.title}")
    assessment = etree.SubElement(root, "assessment", ident=ident(loaded.course.id, module.id), title=title)
    meta = etree.SubElement(etree.SubElement(assessment, "qtimetadata"), "qtimetadatafield")
    etree.SubElement(meta, "fieldlabel").text = "cc_maxattempts"
    etree.SubElement(meta, "fieldentry").text = "unlimited"
    section = etree.SubElement(assessment, "section", ident="root_section")
    for question in exported(module, "QTI 1.2"):
        section.append(item12(loaded.course.id, module, question))
    return _bytes(root)


def canvas_meta(loaded: LoadedCourse, module: Module, number: int) -> bytes:
    """Canvas's ``assessment_meta.xml``: the quiz's title, description and settings."""
    root = etree.Element("quiz", nsmap={None: NS_CANVAS}, identifier=ident(loaded.course.id, module.id))
    etree.SubElement(root, "title").text = line(f"{number}. {module.title}")
    etree.SubElement(root, "description").text = f"<p>{html(module.summary)}</p>"
    pass_mark = module.quiz.pass_mark if module.quiz else 0
    for tag, value in (
        ("shuffle_answers", "true"),
        ("scoring_policy", "keep_highest"),
        ("quiz_type", "assignment"),
        ("points_possible", f"{sum(q.points for q in exported(module, 'QTI 1.2'))}.0"),
        ("show_correct_answers", "true"),
        ("allowed_attempts", "-1"),
        ("one_question_at_a_time", "false"),
        ("available", "false"),
    ):
        etree.SubElement(root, tag).text = value
    root.append(etree.Comment(f" coursegen pass mark: {pass_mark}% (Canvas quizzes have no pass mark) "))
    return _bytes(root)


def manifest(identifier: str, title: str, resources: list[tuple[str, str, list[str]]]) -> bytes:
    """``imsmanifest.xml``: (identifier, type, files) per resource; the first file is the href."""
    root = etree.Element("manifest", nsmap={None: NS_CP}, identifier=identifier)
    metadata = etree.SubElement(root, "metadata")
    etree.SubElement(metadata, "schema").text = "IMS Content"
    etree.SubElement(metadata, "schemaversion").text = "1.1.3"
    etree.SubElement(root, "organizations")
    listing = etree.SubElement(root, "resources")
    for resource_id, kind, files in resources:
        resource = etree.SubElement(listing, "resource", identifier=resource_id, type=kind, href=files[0])
        for name in files:
            etree.SubElement(resource, "file", href=name)
    root.insert(0, etree.Comment(f" {xml_chars(line(title)).replace('--', '- -')} "))
    return _bytes(root)


def package12(loaded: LoadedCourse) -> bytes:
    """The QTI 1.2 package for Canvas: one assessment (and its Canvas settings) per module."""
    entries: dict[str, bytes] = {}
    resources: list[tuple[str, str, list[str]]] = []
    for number, module in enumerate(loaded.modules, start=1):
        if not exported(module, "QTI 1.2"):
            continue
        aid = ident(loaded.course.id, module.id)
        entries[f"{aid}/{aid}.xml"] = assessment12(loaded, module, number)
        entries[f"{aid}/assessment_meta.xml"] = canvas_meta(loaded, module, number)
        resources.append((aid, "imsqti_xmlv1p2", [f"{aid}/{aid}.xml"]))
        resources.append(
            (
                f"{aid}_meta",
                "associatedcontent/imscc_xmlv1p1/learning-application-resource",
                [f"{aid}/assessment_meta.xml"],
            )
        )
    listing = manifest(ident(loaded.course.id, "manifest"), loaded.course.title, resources)
    return zip_bytes({"imsmanifest.xml": listing, **entries})


# --- QTI 2.1 ---------------------------------------------------------------------------------------


def _q21(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    name = f"{{{NS_QTI21}}}{tag}"
    return etree.Element(name, **attrs) if parent is None else etree.SubElement(parent, name, **attrs)


def _html21(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    element = _q21(parent, tag, **attrs)
    element.text = etree.CDATA(text)
    return element


def _item_root21(qid: str, question: Question) -> etree._Element:
    return etree.Element(
        f"{{{NS_QTI21}}}assessmentItem",
        nsmap={None: NS_QTI21, "xsi": NS_XSI},
        attrib={
            f"{{{NS_XSI}}}schemaLocation": f"{NS_QTI21} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
            "identifier": qid,
            "title": question.id,
            "adaptive": "false",
            "timeDependent": "false",
        },
    )


def item21(course_id: str, module: Module, question: Question) -> bytes:
    """One QTI 2.1 ``assessmentItem``: ordering, matching and short answer as ``qti21_types``
    writes them, the explanation as modal feedback; choice questions as ``choice_item21``."""
    if question.type not in ("ordering", "matching", "short_answer"):
        return choice_item21(course_id, module, question)
    from .qti21_types import WRITERS  # it builds on this module's helpers

    root = _item_root21(ident(course_id, module.id, question.id), question)
    feedback = WRITERS[question.type](root, question)
    processing = root.find(f"{{{NS_QTI21}}}responseProcessing")
    explanation = _q21(processing, "setOutcomeValue", identifier="EXPLANATION")
    _q21(explanation, "baseValue", baseType="identifier").text = "explanation"
    for feedback_id, text in feedback:
        modal = _q21(root, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier=feedback_id, showHide="show")
        modal.text = etree.CDATA(text)
    modal = _q21(root, "modalFeedback", outcomeIdentifier="EXPLANATION", identifier="explanation", showHide="show")
    modal.text = etree.CDATA(html(question.explanation))
    return _bytes(root)


def choice_item21(course_id: str, module: Module, question: Question) -> bytes:
    """One QTI 2.1 ``assessmentItem``: a choice interaction, scored by a mapping up to the question's
    points (multiple answers: right choices share +points, wrong ones -points, floor 0), feedback
    inline on every choice and the explanation as modal feedback."""
    qid = ident(course_id, module.id, question.id)
    choices = question.options()
    choice_ids = [f"choice_{index}" for index in range(len(choices))]
    multiple = question.type == "multiple"
    root = _item_root21(qid, question)
    cardinality = "multiple" if multiple else "single"
    declaration = _q21(
        root, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType="identifier"
    )
    correct = _q21(declaration, "correctResponse")
    for choice_id, choice in zip(choice_ids, choices, strict=True):
        if choice.correct:
            _q21(correct, "value").text = choice_id
    shares = multiple_weights(question) if multiple else [100.0 if c.correct else 0.0 for c in choices]
    points = question.points
    mapping = _q21(declaration, "mapping", lowerBound="0", upperBound=str(points), defaultValue="0")
    for choice_id, share in zip(choice_ids, shares, strict=True):
        _q21(mapping, "mapEntry", mapKey=choice_id, mappedValue=weight(share * points / 100, digits=7))
    for identifier, card, base in (
        ("SCORE", "single", "float"),
        ("MAXSCORE", "single", "float"),
        ("FEEDBACK", "multiple", "identifier"),
        ("EXPLANATION", "single", "identifier"),
    ):
        outcome = _q21(root, "outcomeDeclaration", identifier=identifier, cardinality=card, baseType=base)
        if identifier in ("SCORE", "MAXSCORE"):
            _q21(_q21(outcome, "defaultValue"), "value").text = str(points) if identifier == "MAXSCORE" else "0"
    body = _q21(root, "itemBody")
    interaction = _q21(
        body,
        "choiceInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true" if question.shuffle and question.type != "true_false" else "false",
        maxChoices="0" if multiple else "1",
    )
    _html21(interaction, "prompt", html(question.prompt))
    for choice_id, choice in zip(choice_ids, choices, strict=True):
        simple = _q21(interaction, "simpleChoice", identifier=choice_id)
        simple.text = etree.CDATA(html(choice.text) + " ")
        _html21(
            simple,
            "feedbackInline",
            html(choice.feedback),
            outcomeIdentifier="FEEDBACK",
            identifier=choice_id,
            showHide="show",
        )
    processing = _q21(root, "responseProcessing")
    condition = _q21(processing, "responseCondition")
    answered = _q21(condition, "responseIf")
    _q21(_q21(answered, "isNull"), "variable", identifier="RESPONSE")
    _q21(_q21(answered, "setOutcomeValue", identifier="SCORE"), "baseValue", baseType="float").text = "0"
    otherwise = _q21(condition, "responseElse")
    _q21(_q21(otherwise, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    feedback = _q21(processing, "setOutcomeValue", identifier="FEEDBACK")
    if multiple:
        _q21(feedback, "variable", identifier="RESPONSE")
    else:
        _q21(_q21(feedback, "multiple"), "variable", identifier="RESPONSE")
    explanation = _q21(processing, "setOutcomeValue", identifier="EXPLANATION")
    _q21(explanation, "baseValue", baseType="identifier").text = "explanation"
    modal = _q21(root, "modalFeedback", outcomeIdentifier="EXPLANATION", identifier="explanation", showHide="show")
    modal.text = etree.CDATA(html(question.explanation))
    return _bytes(root)


def package21(loaded: LoadedCourse) -> bytes:
    """The QTI 2.1 package: every question as an item, in folders per module, listed in the manifest."""
    entries: dict[str, bytes] = {}
    resources: list[tuple[str, str, list[str]]] = []
    for module in loaded.modules:
        for question in exported(module, "QTI 2.1"):
            qid = ident(loaded.course.id, module.id, question.id)
            name = f"{module.id}/{question.id}.xml"
            entries[name] = item21(loaded.course.id, module, question)
            resources.append((qid, "imsqti_item_xmlv2p1", [name]))
    listing = manifest(ident(loaded.course.id, "manifest"), loaded.course.title, resources)
    return zip_bytes({"imsmanifest.xml": listing, **entries})


def export_qti(loaded: LoadedCourse, version: QtiVersion = "1.2") -> bytes:
    """The QTI package (a zip) of the given version."""
    return package12(loaded) if version == "1.2" else package21(loaded)
