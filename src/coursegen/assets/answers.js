/* coursegen short answers: whether a typed answer matches an accepted one. One copy of the rules
 * for the site (quiz.js) and the LMS launcher (exports/runtime/interactions.js), the same as
 * coursegen/answers.py (browser tests run one table of cases through all three): NFKC, lower
 * case, punctuation (Unicode P) removed, single spaces. '*' in an author's answer stands for any
 * text; the pieces between stars are found in order, each at its first place (no regular
 * expression from authors, time proportional to the texts). */
(function () {
  "use strict";
  if (window.coursegenAnswers) return; // instant navigation may run this script again

  var STAND_IN = "\ue000";
  // White space as Python's str.split() sees it (JavaScript's \s differs: it has U+FEFF, and lacks
  // U+001C to U+001F and U+0085).
  var SPACES = /[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029\p{Zs}]+/u;

  function normalise(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(/\p{P}/gu, "").split(SPACES).filter(Boolean).join(" ");
  }

  function patternPieces(pattern) {
    var pieces = normalise(String(pattern).split("*").join(STAND_IN)).split(STAND_IN);
    return pieces.filter(function (piece, i) { return piece || i === 0 || i === pieces.length - 1; });
  }

  function piecesMatch(pieces, answer) {
    if (pieces.length === 1) return answer === pieces[0];
    var first = pieces[0];
    var last = pieces[pieces.length - 1];
    if (answer.length < first.length + last.length || answer.indexOf(first) !== 0) return false;
    var end = answer.length - last.length;
    if (answer.slice(end) !== last) return false;
    var position = first.length;
    var body = answer.slice(0, end);
    for (var i = 1; i < pieces.length - 1; i++) {
      var found = body.indexOf(pieces[i], position);
      if (found === -1) return false;
      position = found + pieces[i].length;
    }
    return true;
  }

  // An answer already normalised against one pattern (an accepted answer, or a wrong answer with
  // its own feedback).
  function matchesNormalised(pattern, answer) {
    return piecesMatch(patternPieces(pattern), answer);
  }

  window.coursegenAnswers = {
    normalise: normalise,
    matchesNormalised: matchesNormalised,
    // Raw texts, as answers.py's answer_matches takes them.
    matches: function (pattern, answer) { return matchesNormalised(pattern, normalise(answer)); },
    // Right when some accepted answer matches and the answer is not empty once normalised.
    right: function (accepted, typed) {
      var answer = normalise(typed);
      return answer !== "" && accepted.some(function (p) { return matchesNormalised(p, answer); });
    }
  };
})();
