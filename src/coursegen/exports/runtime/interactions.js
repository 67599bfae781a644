/* coursegen LMS interactions: what a learner's saved answer to one question says, in the terms
 * the LMS standards record (SCORM 1.2 and 2004 cmi.interactions, cmi5/xAPI interactions).
 *
 * The launchers read each question's details from the package's course map (exports/lms.py
 * question_details) and the learner's answers from the quiz record quiz.js saved: option indexes
 * (single, multiple, true/false), the written indexes in the learner's order (ordering), the index
 * of the chosen match per item, -1 for none (matching), the typed text (short answer) and the
 * index or id of the ending reached (scenario). An answer this script does not understand, or a
 * question without details, gives null: the launcher skips that question rather than report
 * something wrong. */
(function () {
  "use strict";

  function isIndex(n, size, allowNone) {
    return typeof n === "number" && n % 1 === 0 && n < size && (n >= 0 || (allowNone && n === -1));
  }

  function indexes(answer, size, allowNone) {
    if (!Array.isArray(answer) || answer.length > 64) return null;
    for (var i = 0; i < answer.length; i++) if (!isIndex(answer[i], size, allowNone)) return null;
    return answer.slice();
  }

  function sameSet(a, b) {
    return a.length === b.length && a.every(function (n) { return b.indexOf(n) !== -1; });
  }

  // The share of pairs of items in the right relative order (the site's partial credit).
  function orderShare(order) {
    var pairs = 0;
    var right = 0;
    for (var i = 0; i < order.length; i++) {
      for (var j = i + 1; j < order.length; j++) {
        pairs += 1;
        if (order[i] < order[j]) right += 1;
      }
    }
    return pairs ? right / pairs : 1;
  }

  /* One question's answer as {kind, response, correct, right, fraction}, or null. ``kind`` is the
   * interaction type; ``response`` and ``correct`` are in the question's own terms (indexes,
   * [item, match] pairs, text, ending id), for each launcher to write in its standard's syntax. */
  function describe(q, answer) {
    if (!q || typeof q !== "object" || typeof q.type !== "string") return null;
    var chosen;
    if (q.type === "single" || q.type === "multiple" || q.type === "true_false") {
      if (!Array.isArray(q.choices) || !Array.isArray(q.correct)) return null;
      chosen = indexes(answer, q.choices.length, false);
      if (!chosen || !chosen.length) return null;
      var right = sameSet(chosen, q.correct);
      return { kind: q.type === "true_false" ? "true-false" : "choice", response: chosen, correct: q.correct.slice(),
               right: right, fraction: right ? 1 : 0 };
    }
    if (q.type === "ordering") {
      if (!Array.isArray(q.items)) return null;
      chosen = indexes(answer, q.items.length, false);
      var permutation = chosen && chosen.slice().sort(function (a, b) { return a - b; }).every(function (n, i) { return n === i; });
      if (!permutation || chosen.length !== q.items.length) return null; // each item once
      var share = orderShare(chosen);
      return { kind: "sequencing", response: chosen, correct: q.items.map(function (_, i) { return i; }),
               right: share === 1, fraction: share };
    }
    if (q.type === "matching") {
      if (!Array.isArray(q.items) || !Array.isArray(q.matches) || !Array.isArray(q.correct)) return null;
      chosen = indexes(answer, q.matches.length, true);
      if (!chosen || chosen.length !== q.items.length || chosen.every(function (n) { return n === -1; })) return null;
      var hits = chosen.filter(function (n, i) { return n === q.correct[i]; }).length;
      return {
        kind: "matching",
        response: chosen.map(function (n, i) { return [i, n]; }).filter(function (p) { return p[1] !== -1; }),
        correct: q.correct.map(function (n, i) { return [i, n]; }),
        right: hits === q.items.length,
        fraction: q.items.length ? hits / q.items.length : 0
      };
    }
    if (q.type === "short_answer") {
      if (!Array.isArray(q.accepted)) return null;
      var typed = typeof answer === "string" ? answer : Array.isArray(answer) && typeof answer[0] === "string" ? answer[0] : null;
      // The site's own rules (its assets/coursegen/answers.js, which the launcher page loads before
      // this script), so the LMS records what the page showed; an answer empty once normalised
      // was not answered. Without those rules the question is skipped, never judged otherwise.
      var answers = window.coursegenAnswers;
      if (!answers || typed === null || answers.normalise(typed) === "") return null;
      var ok = answers.right(q.accepted, typed);
      // A pattern cannot say "any text", so the correct response is the first answer without '*'.
      var plain = q.accepted.filter(function (p) { return String(p).indexOf("*") === -1; });
      return { kind: "fill-in", response: typed.slice(0, 250), correct: plain.slice(0, 1), right: ok, fraction: ok ? 1 : 0 };
    }
    if (q.type === "scenario") {
      if (!Array.isArray(q.steps) || !Array.isArray(q.good)) return null;
      var reached = Array.isArray(answer) ? answer[0] : answer;
      var id = typeof reached === "number" && isIndex(reached, q.steps.length, false) ? q.steps[reached]
        : typeof reached === "string" && q.steps.indexOf(reached) !== -1 ? reached : null;
      if (id === null || !Array.isArray(q.endings) || q.endings.indexOf(id) === -1) return null;
      var good = q.good.indexOf(id) !== -1;
      return { kind: "other", response: id, correct: q.good.slice(0, 1), right: good, fraction: good ? 1 : 0 };
    }
    return null;
  }

  window.coursegenInteractions = { describe: describe };
})();
