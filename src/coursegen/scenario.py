"""Rules of a branching scenario (``type: scenario``): its steps form a graph that must start with a
decision, lead every choice somewhere that exists, reach every step, and let a learner reach an
ending from wherever they are (a loop needs a way out), with at least one good ending.

The graph algorithms are iterative (a queue, a walk), never recursive: a long chain of steps must
not exhaust Python's stack.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable, Iterator

from .errors import CourseError
from .model import Question, ScenarioChoice, ScenarioStep
from .yamlfile import Loc, YamlDocument

# Fields of the other question types: a scenario's feedback lives on its choices and endings, so a
# value here would be silently ignored.
_OTHER_FIELDS = (
    "choices",
    "answer",
    "true_feedback",
    "false_feedback",
    "items",
    "pairs",
    "distractors",
    "accepted",
    "wrong_answers",
    "correct_feedback",
    "incorrect_feedback",
)
_STEP_KINDS_HINT = (
    "a step either asks (give it 'choices') or ends the scenario (give it 'outcome: good' or 'outcome: needs_work')"
)


def _at(doc: YamlDocument, loc: Loc, message: str, hint: str = "", *, key: bool = False) -> CourseError:
    line, col = doc.positions.of(loc, key=key)
    return CourseError(doc.path, line, col, message, hint)


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def edges(steps: list[ScenarioStep]) -> dict[str, list[str]]:
    """Step id → ids of the steps its choices lead to (known steps only; first of duplicate ids)."""
    graph: dict[str, list[str]] = {}
    for step in steps:
        graph.setdefault(step.id, [c.next for c in step.choices or []])
    return {sid: [n for n in nexts if n in graph] for sid, nexts in graph.items()}


def reachable(graph: dict[str, list[str]], starts: Iterable[str]) -> set[str]:
    """Every step reachable from ``starts`` along the graph's edges (breadth-first, with a queue)."""
    seen = set(starts)
    queue = deque(seen)
    while queue:
        for nxt in graph[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _reverse(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    """The graph with every edge turned round: step id → ids of the steps that lead to it."""
    back: dict[str, list[str]] = {sid: [] for sid in graph}
    for sid, nexts in graph.items():
        for nxt in nexts:
            back[nxt].append(sid)
    return back


def _loop_from(graph: dict[str, list[str]], start: str, trapped: set[str]) -> list[str]:
    """A loop among trapped steps, walking from ``start``: every choice of a trapped step leads to
    another trapped step (else it could reach an ending), so the walk must come round."""
    path = [start]
    index = {start: 0}
    while True:
        nxt = next(n for n in graph[path[-1]] if n in trapped)
        if nxt in index:
            return path[index[nxt] :] + [nxt]
        index[nxt] = len(path)
        path.append(nxt)


def check_scenario(doc: YamlDocument, loc: Loc, question: Question) -> Iterator[CourseError]:
    """Every rule of one scenario question at ``loc``, as located errors with hints."""
    qid = question.id
    for name in _OTHER_FIELDS:
        if getattr(question, name) is not None:
            yield _at(
                doc,
                (*loc, name),
                f"'{name}' is not used by scenario question '{qid}'",
                "a scenario gives its choices and their feedback inside 'steps'; remove this field",
                key=True,
            )
    steps = list(question.steps or [])
    if not steps:
        yield _at(
            doc,
            loc,
            f"scenario question '{qid}' needs 'steps'",
            "list the steps under 'steps:'; the first is where the scenario starts (see question-types.md)",
        )
        return
    broken = False
    ids: set[str] = set()
    for i, step in enumerate(steps):
        if step.id in ids:
            broken = True
            yield _at(
                doc,
                (*loc, "steps", i, "id"),
                f"step id '{step.id}' appears twice in scenario '{qid}'",
                "give every step its own id: choices name the step they lead to by its id",
            )
        ids.add(step.id)
    known = list(dict.fromkeys(s.id for s in steps))
    for i, step in enumerate(steps):
        where = (*loc, "steps", i)
        if step.choices is not None and step.outcome is not None:
            broken = True
            yield _at(
                doc,
                (*where, "outcome"),
                f"step '{step.id}' of scenario '{qid}' has both 'choices' and 'outcome'",
                _STEP_KINDS_HINT,
                key=True,
            )
        elif step.choices is None and step.outcome is None:
            broken = True
            yield _at(
                doc,
                where,
                f"step '{step.id}' of scenario '{qid}' has neither 'choices' nor 'outcome'",
                _STEP_KINDS_HINT,
            )
        if step.choices is not None and len(step.choices) < 2:
            broken = True
            yield _at(
                doc,
                (*where, "choices"),
                f"step '{step.id}' of scenario '{qid}' needs at least two choices",
                "a decision needs another option a colleague might take; to end here, give 'outcome:' instead",
                key=True,
            )
        texts: set[str] = set()
        for j, choice in enumerate(step.choices or []):
            if choice.text in texts:
                yield _at(
                    doc,
                    (*where, "choices", j, "text"),
                    f"choice '{choice.text}' appears twice at step '{step.id}' of scenario '{qid}'",
                    "each choice at a step needs its own text, so a learner can tell them apart",
                )
            texts.add(choice.text)
            if choice.next not in ids:
                broken = True
                close = difflib.get_close_matches(choice.next, known, n=1)
                hint = (f"did you mean '{close[0]}'? " if close else "") + f"steps of this scenario: {_quoted(known)}"
                yield _at(
                    doc,
                    (*where, "choices", j, "next"),
                    f"a choice at step '{step.id}' leads to '{choice.next}', which is not a step of scenario '{qid}'",
                    hint,
                )
    first = steps[0]
    if first.choices is None:
        yield _at(
            doc,
            (*loc, "steps", 0),
            f"the first step of scenario '{qid}' ('{first.id}') has no choices",
            "the first step is where the scenario starts, so it asks what to do; put the endings later in 'steps'",
        )
        return
    if not broken:  # with a step already wrong, graph errors would only repeat it in other words
        yield from _graph_rules(doc, loc, question, steps)


def _graph_rules(doc: YamlDocument, loc: Loc, question: Question, steps: list[ScenarioStep]) -> Iterator[CourseError]:
    """Reachability, ways out of loops and a reachable good ending, for steps that are each right."""
    qid = question.id
    graph = edges(steps)
    position: dict[str, int] = {}
    for i, step in enumerate(steps):
        position.setdefault(step.id, i)
    start = steps[0].id
    seen = reachable(graph, [start])
    for sid, i in position.items():
        if sid not in seen:
            yield _at(
                doc,
                (*loc, "steps", i, "id"),
                f"step '{sid}' of scenario '{qid}' cannot be reached from the first step '{start}'",
                f"lead a choice to it with 'next: {sid}', or remove the step",
            )
    by_id = {s.id: s for s in reversed(steps)}
    ends = {sid for sid, step in by_id.items() if step.outcome is not None}
    finishing = reachable(_reverse(graph), ends)
    trapped = [sid for sid in position if sid in seen and sid not in finishing]
    if trapped:
        loop = _loop_from(graph, trapped[0], set(trapped))
        yield _at(
            doc,
            (*loc, "steps", position[trapped[0]]),
            f"scenario '{qid}' has a loop with no way out: {' -> '.join(loop)}; from "
            + ("step" if len(trapped) == 1 else "steps")
            + f" {_quoted(trapped)} no ending can be reached",
            "give one of these steps a choice that leads towards an ending, so a learner is never stuck",
        )
    good = [sid for sid in seen if by_id[sid].outcome == "good"]
    if not good:
        elsewhere = [s.id for s in steps if s.outcome == "good"]
        yield _at(
            doc,
            (*loc, "steps"),
            f"scenario '{qid}' has no good ending a learner can reach",
            f"lead a choice to {_quoted(elsewhere)}"
            if elsewhere
            else "give an ending 'outcome: good' and lead a choice to it",
            key=True,
        )


def display_choices(step: ScenarioStep, question: Question) -> list[tuple[int, ScenarioChoice]]:
    """(written position, choice) of a step in the order learners see them: mixed the same way on
    every build unless the question says ``shuffle: false``, so the best choice is not always first."""
    numbered = list(enumerate(step.choices or []))
    if not question.shuffle:
        return numbered
    return sorted(numbered, key=lambda item: question.mix_key(item[0], f"{step.id}\x00{item[1].text}"))
