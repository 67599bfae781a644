/* coursegen quizzes: feedback, scores and progress kept in localStorage.
 * Progressive enhancement: without this script every answer and explanation is still in <details>.
 * Safe to run many times (Material's instant navigation re-runs it on every page). */
(function () {
  "use strict";

  var VERSION = 1;
  // Learner-visible text goes through t()/tn() (assets/i18n.js), so each language can translate it.
  var i18n = window.coursegenI18n || { t: function (s) { return s; }, tn: function (s, p, n) { return n === 1 ? s : p; } };
  var t = i18n.t;
  var tn = i18n.tn;

  // In an LMS package lms.js sets window.coursegenStore (localStorage's interface), which keeps
  // results in the LMS; everywhere else they stay in this browser.
  function storage() { return window.coursegenStore || window.localStorage; }

  // Storage may be missing (private mode), full or hold anything: never let that break a page.
  var store = {
    get: function (key) {
      try {
        var raw = storage().getItem(key);
        if (raw === null) return null;
        var data = JSON.parse(raw);
        if (!data || typeof data !== "object" || data.v !== VERSION) throw new Error("foreign");
        if (typeof data.best !== "number" || !isFinite(data.best)) throw new Error("foreign");
        data.best = Math.max(0, Math.min(100, Math.round(data.best)));
        data.passed = data.passed === true;
        data.attempts = Math.max(0, parseInt(data.attempts, 10) || 0);
        data.submittedAt = timestamp(data.submittedAt);
        data.answers = cleanAnswers(data.answers);
        data.seed = cleanSeed(data.seed);
        return data;
      } catch (e) {
        if (e && (e.message === "foreign" || e.name === "SyntaxError")) {
          store.notice = t("Some saved quiz results could not be read and were ignored.");
        }
        return null;
      }
    },
    set: function (key, value) {
      try {
        storage().setItem(key, JSON.stringify(value));
        return true;
      } catch (e) {
        store.notice = t("Your browser is not saving results, so they will be lost when you leave this page.");
        return false;
      }
    },
    remove: function (key) {
      try { storage().removeItem(key); } catch (e) { /* nothing to clear */ }
    },
    keys: function (prefix) {
      var found = [];
      try {
        for (var i = 0; i < storage().length; i++) {
          var key = storage().key(i);
          if (key && key.indexOf(prefix) === 0) found.push(key);
        }
      } catch (e) { /* no storage: nothing saved */ }
      return found;
    },
    // Private mode and full storage fail only on writing: find out early, so every page can say.
    // (Hardening, see SECURITY.md: keep when editing.)
    probe: function () {
      try {
        storage().setItem("coursegen:probe", "1");
        storage().removeItem("coursegen:probe");
      } catch (e) {
        store.notice = t("Your browser is not saving results, so they will be lost when you leave this page.");
      }
    },
    notice: ""
  };

  // An exam's last-submit time (ms since 1970), or 0: a whole positive number, never later than
  // now, so a wrong clock or an edited record cannot make a wait longer than the quiz sets.
  function timestamp(value) {
    if (typeof value !== "number" || !isFinite(value) || value <= 0) return 0;
    return Math.min(Math.round(value), Date.now());
  }

  // Every control a learner answers with (and the ordering buttons): disabled once checked.
  function inputs(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input, select, button.cg-move"));
  }

  function all(root, selector) {
    return Array.prototype.slice.call(root.querySelectorAll(selector));
  }

  function choiceInputs(fieldset) { return all(fieldset, "input[type=radio], input[type=checkbox]"); }
  function orderItems(fieldset) { return all(fieldset, "li.cg-order-item"); }
  function pairSelects(fieldset) { return all(fieldset, "select.cg-match"); }

  function pointsOf(fieldset) {
    var n = Number(fieldset.dataset.points);
    return isFinite(n) && n > 0 ? n : 1;
  }

  // short_answer: the rules are in answers.js (window.coursegenAnswers, loaded before this script),
  // shared with the LMS launcher and held to coursegen/answers.py by a browser test.
  var ANSWERS = window.coursegenAnswers;
  var MAX_ANSWER = 200;

  function accepted(input) {
    try {
      var list = JSON.parse(input.dataset.accepted || "[]");
      return Array.isArray(list) ? list.filter(function (p) { return typeof p === "string"; }) : [];
    } catch (e) { return []; }
  }

  // What each type's grading returns: answered, correct, fraction (0 to 1, partial credit) and
  // chosen (what is saved: indexes, or the typed text).
  function gradeChoices(fieldset) {
    var every = choiceInputs(fieldset);
    var chosen = every.filter(function (i) { return i.checked; });
    var rightChosen = chosen.filter(function (i) { return i.dataset.correct === "true"; }).length;
    var rightTotal = every.filter(function (i) { return i.dataset.correct === "true"; }).length;
    var wrongChosen = chosen.length - rightChosen;
    var correct = chosen.length > 0 && wrongChosen === 0 && rightChosen === rightTotal;
    return {
      answered: chosen.length > 0,
      correct: correct,
      fraction: correct ? 1 : 0,
      rightChosen: rightChosen,
      rightTotal: rightTotal,
      wrongChosen: wrongChosen,
      chosen: chosen.map(function (i) { return Number(i.value); })
    };
  }

  // ordering: the share of pairs of items in the right order relative to each other. A list the
  // learner never touched is not answered (it starts mixed, so it would score by chance).
  function gradeOrdering(fieldset) {
    var order = orderItems(fieldset).map(function (li) { return Number(li.dataset.index); });
    var pairs = 0;
    var right = 0;
    for (var i = 0; i < order.length; i++) {
      for (var j = i + 1; j < order.length; j++) {
        pairs += 1;
        if (order[i] < order[j]) right += 1;
      }
    }
    var answered = fieldset.dataset.cgMoved === "1";
    return { answered: answered, correct: answered && right === pairs, fraction: answered && pairs ? right / pairs : 0,
             right: right, total: pairs, chosen: order };
  }

  function gradeMatching(fieldset) {
    var selects = pairSelects(fieldset);
    var chosen = selects.map(function (s) { return s.value === "" ? -1 : Number(s.value); });
    var right = selects.filter(function (s) { return s.value !== "" && s.value === s.dataset.correct; }).length;
    return { answered: chosen.some(function (n) { return n !== -1; }), correct: right === selects.length,
             fraction: selects.length ? right / selects.length : 0, right: right, total: selects.length, chosen: chosen };
  }

  function gradeShortAnswer(fieldset) {
    var input = fieldset.querySelector("input.cg-text");
    var typed = input.value.slice(0, MAX_ANSWER);
    var answer = ANSWERS.normalise(typed);
    var correct = answer !== "" && accepted(input).some(function (p) { return ANSWERS.matchesNormalised(p, answer); });
    var wrong = correct || !answer ? null : all(fieldset, ".cg-says[data-when=wrong]").filter(function (p) {
      return ANSWERS.matchesNormalised(p.dataset.answer || "", answer);
    })[0] || null;
    return { answered: answer !== "", correct: correct, fraction: correct ? 1 : 0, wrong: wrong, chosen: typed };
  }

  // scenario (assets/scenario.js plays it): its outcome is on the fieldset once an ending is reached.
  function gradeScenario(fieldset) {
    var outcome = fieldset.dataset.outcome;
    var answered = outcome === "good" || outcome === "needs_work";
    var ending = Number(fieldset.dataset.ending);
    return { answered: answered, correct: outcome === "good", fraction: outcome === "good" ? 1 : 0,
             chosen: answered && isFinite(ending) ? [ending] : [] };
  }

  function gradeQuestion(fieldset) {
    var type = fieldset.dataset.type;
    var result = type === "ordering" ? gradeOrdering(fieldset)
      : type === "matching" ? gradeMatching(fieldset)
      : type === "short_answer" ? gradeShortAnswer(fieldset)
      : type === "scenario" ? gradeScenario(fieldset)
      : gradeChoices(fieldset);
    result.points = pointsOf(fieldset);
    return result;
  }

  function verdictText(fieldset, result) {
    var type = fieldset.dataset.type;
    if (!result.answered) {
      if (type === "ordering") return t("Not answered: no step was moved. The right order and explanation are below.");
      return t("No answer chosen. The right answer and explanation are below.");
    }
    if (result.correct) return t("Correct.");
    if (type === "ordering" && result.fraction > 0) {
      return tn("Partly correct: %(n)s of %(total)s pairs of steps is in the right order.",
        "Partly correct: %(n)s of %(total)s pairs of steps are in the right order.", result.right,
        { n: result.right, total: result.total });
    }
    if (type === "matching" && result.right > 0) {
      return t("Partly correct: %(n)s of %(total)s pairs matched.", { n: result.right, total: result.total });
    }
    if (type === "multiple" && result.rightChosen > 0) {
      var counts = { right: result.rightChosen, total: result.rightTotal, wrong: result.wrongChosen };
      if (!result.wrongChosen) return t("Partly right: you chose %(right)s of %(total)s correct answers.", counts);
      return tn("Partly right: you chose %(right)s of %(total)s correct answers and %(wrong)s that is not correct.",
        "Partly right: you chose %(right)s of %(total)s correct answers and %(wrong)s that are not correct.",
        result.wrongChosen, counts);
    }
    if (type === "short_answer") return t("Not quite. Read the feedback and the explanation below.");
    return t("Not quite. Read the feedback on your answer and the explanation below.");
  }

  // An answer's feedback says whether it is right, so it describes the answer (aria-describedby)
  // only while it is shown: before the quiz is checked a screen reader would read it out.
  function feedbackOf(input) {
    return document.getElementById(input.id + "-feedback");
  }

  function describe(input, shown, id) {
    if (shown) input.setAttribute("aria-describedby", id || input.id + "-feedback");
    else input.removeAttribute("aria-describedby");
  }

  function mark(li, right) {
    li.classList.remove("cg-right", "cg-wrong");
    li.classList.add(right ? "cg-right" : "cg-wrong");
  }

  function say(feedback, right, text) {
    feedback.hidden = false;
    feedback.dataset.label = right ? t("Correct:") : t("Not correct:");
    if (text !== undefined) feedback.textContent = text;
  }

  function showChoices(fieldset) {
    choiceInputs(fieldset).forEach(function (input) {
      var feedback = feedbackOf(input);
      var li = input.closest("li");
      if (!feedback || !li) return;
      var right = input.dataset.correct === "true";
      li.classList.remove("cg-right", "cg-wrong");
      if (input.checked) {
        say(feedback, right);
        li.classList.add(right ? "cg-right" : "cg-wrong");
      } else {
        feedback.hidden = true;
      }
      describe(input, input.checked);
    });
  }

  function showOrdering(fieldset, result) {
    if (!result.answered) return;
    var total = orderItems(fieldset).length;
    orderItems(fieldset).forEach(function (li, position) {
      var right = Number(li.dataset.index) === position;
      var feedback = li.querySelector(".cg-feedback");
      mark(li, right);
      say(feedback, right, right ? t("In the right place.")
        : t("It belongs in position %(n)s of %(total)s.", { n: Number(li.dataset.index) + 1, total: total }));
    });
  }

  function showMatching(fieldset) {
    pairSelects(fieldset).forEach(function (select) {
      var li = select.closest("li");
      var feedback = feedbackOf(select);
      var right = select.value === select.dataset.correct;
      var option = select.querySelector("option[value='" + select.dataset.correct + "']");
      var match = option ? option.textContent : "";
      var why = feedback.dataset.feedback || "";
      var text = right ? why || t("Right match.")
        : (select.value === "" ? t("No match chosen. The right match is %(match)s.", { match: match })
          : t("The right match is %(match)s.", { match: match })) + (why ? " " + why : "");
      mark(li, right);
      say(feedback, right, text);
      describe(select, true);
    });
  }

  // The question's own feedback: for a listed wrong answer its feedback, else the feedback for a
  // right or a not-right answer (if the author wrote one).
  function showOverall(fieldset, result) {
    if (!result.answered) return;
    var shown = result.wrong || fieldset.querySelector(".cg-says[data-when=" + (result.correct ? "correct" : "incorrect") + "]");
    if (!shown) return;
    shown.hidden = false; // no "Correct:" label: the verdict above says it
    var input = fieldset.querySelector("input.cg-text");
    if (input) describe(input, true, shown.id);
  }

  function showFeedback(fieldset, result) {
    var type = fieldset.dataset.type;
    if (type === "ordering") showOrdering(fieldset, result);
    else if (type === "matching" && result.answered) showMatching(fieldset);
    else if (type !== "scenario" && type !== "short_answer") showChoices(fieldset);
    if (type === "ordering" || type === "matching" || type === "short_answer") showOverall(fieldset, result);
    var live = fieldset.querySelector(".cg-live");
    if (live) live.textContent = "";
    var verdict = fieldset.querySelector(".cg-verdict");
    if (verdict) {
      verdict.textContent = verdictText(fieldset, result);
      verdict.hidden = false;
      verdict.className = "cg-verdict " + (result.correct ? "cg-verdict-right" : "cg-verdict-wrong");
    }
    var answer = fieldset.querySelector("details.cg-answer");
    if (answer) {
      answer.hidden = false;
      answer.open = true;
    }
  }

  function clearFeedback(form) {
    form.querySelectorAll(".cg-feedback, .cg-verdict").forEach(function (el) { el.hidden = true; });
    inputs(form).forEach(function (input) { describe(input, false); });
    form.querySelectorAll(".cg-right, .cg-wrong").forEach(function (el) { el.classList.remove("cg-right", "cg-wrong"); });
    hideAnswers(form);
  }

  // Without this script the answers stay readable in <details> (the no-JavaScript fallback). With
  // it, a question's answer appears only once the learner has checked it: no peeking first.
  function hideAnswers(form) {
    form.querySelectorAll("details.cg-answer").forEach(function (el) {
      el.open = false;
      el.hidden = true;
    });
  }

  function questions(form) {
    return Array.prototype.slice.call(form.querySelectorAll("fieldset.cg-question"));
  }

  function grade(form) {
    var results = questions(form).map(function (fieldset) {
      var result = gradeQuestion(fieldset);
      showFeedback(fieldset, result);
      return { id: fieldset.dataset.question, result: result };
    });
    var right = results.filter(function (r) { return r.result.correct; }).length;
    var total = results.length;
    var unanswered = results.filter(function (r) { return !r.result.answered; }).length;
    // Weighted: each question counts its points, partly for partial credit.
    var earned = 0;
    var possible = 0;
    var plain = true; // every question worth 1 point and wholly right or wrong: "n of m correct"
    results.forEach(function (r) {
      earned += r.result.fraction * r.result.points;
      possible += r.result.points;
      if (r.result.points !== 1 || (r.result.fraction > 0 && r.result.fraction < 1)) plain = false;
    });
    return { right: right, total: total, unanswered: unanswered, results: results, plain: plain,
             earned: Math.round(earned * 10) / 10, possible: possible,
             score: possible ? Math.round((100 * earned) / possible) : 0 };
  }

  function summary(form, outcome, record) {
    if (form.dataset.kind !== "quiz") {
      return outcome.right === outcome.total
        ? t("All correct. Well done.")
        : t("%(right)s of %(total)s correct. Read the feedback and try again if you like.", { right: outcome.right, total: outcome.total });
    }
    var passMark = Number(form.dataset.passMark);
    var passed = outcome.score >= passMark;
    var text = outcome.plain
      ? t("You scored %(score)s% (%(n)s of %(total)s correct).", { score: outcome.score, n: outcome.right, total: outcome.total }) + " "
      : t("You scored %(score)s% (%(n)s of %(total)s points).", { score: outcome.score, n: outcome.earned, total: outcome.possible }) + " ";
    text += t("The pass mark is %(mark)s%.", { mark: passMark }) + " ";
    text += passed ? t("You passed this quiz.") : t("Not passed yet: read the feedback, then choose Try again.");
    if (outcome.unanswered) {
      text += " " + tn("%(n)s question was not answered.", "%(n)s questions were not answered.", outcome.unanswered, { n: outcome.unanswered });
    }
    if (record && record.attempts > 1) text += " " + t("Your best score: %(best)s%.", { best: record.best });
    if (store.notice) text += " " + store.notice;
    return text;
  }

  function save(form, outcome) {
    var key = form.dataset.key;
    if (!key) return null;
    var previous = store.get(key);
    var passMark = Number(form.dataset.passMark);
    var answers = {};
    outcome.results.forEach(function (r) { answers[r.id] = r.result.chosen; });
    var record = {
      v: VERSION,
      best: Math.max(outcome.score, previous ? previous.best : 0),
      last: outcome.score,
      passed: (previous && previous.passed) || outcome.score >= passMark,
      attempts: (previous ? previous.attempts : 0) + 1,
      answers: answers,
      seed: Number(form.dataset.cgSeed)
    };
    store.set(key, record);
    return record;
  }

  // A question's name as the learner sees it: its legend, "3. Prompt".
  function promptOf(fieldset) {
    return fieldset.querySelector("legend").textContent.replace(/\s+/g, " ").trim();
  }

  // The status region: a sentence and, if any, a list of links to the questions it is about.
  // Built from text nodes only: prompts are course text and never become markup.
  function setResult(form, text, finished, listed, intro) {
    var region = form.querySelector(".cg-result");
    region.textContent = "";
    if (text) {
      var sentence = document.createElement("p");
      sentence.className = "cg-score";
      sentence.textContent = text;
      region.appendChild(sentence);
    }
    if (listed && listed.length) {
      var heading = document.createElement("p");
      heading.textContent = intro;
      var list = document.createElement("ul");
      list.className = "cg-review";
      listed.forEach(function (fieldset) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = "#" + fieldset.id;
        link.textContent = promptOf(fieldset);
        link.addEventListener("click", function (event) { goToQuestion(event, fieldset); });
        item.appendChild(link);
        list.appendChild(item);
      });
      region.appendChild(heading);
      region.appendChild(list);
    }
    var retry = form.querySelector("[data-cg-retry]");
    if (retry) retry.hidden = !finished;
    var check = form.querySelector("button[type=submit]");
    if (check) check.disabled = finished;
    inputs(form).forEach(function (input) { input.disabled = finished; });
    form.classList.toggle("cg-done", finished);
  }

  // Material's instant navigation would load the page afresh for this link, and the answers
  // would be lost: move to the question here instead, and give it the focus (a screen reader
  // then reads its prompt).
  function goToQuestion(event, fieldset) {
    event.preventDefault();
    event.stopPropagation();
    fieldset.setAttribute("tabindex", "-1");
    fieldset.focus({ preventScroll: true });
    fieldset.scrollIntoView({ block: "start" });
  }

  // Where the learner lands after pressing the button: the result, in view and focused (a
  // screen reader reads it out at once).
  function showResult(form) {
    var region = form.querySelector(".cg-result");
    region.focus({ preventScroll: true });
    region.scrollIntoView({ block: "nearest" });
  }

  function unansweredQuestions(form) {
    return questions(form).filter(function (fieldset) { return !gradeQuestion(fieldset).answered; });
  }

  function toReview(form, outcome) {
    var wrong = {};
    outcome.results.forEach(function (r) { if (!r.result.correct) wrong[r.id] = true; });
    return questions(form).filter(function (fieldset) { return wrong[fieldset.dataset.question]; });
  }

  // Saved answers are untrusted (cleanAnswers checked their shape): each is used only if it fits
  // this question, as indexes into its own options, never as markup.
  function restoreQuestion(fieldset, chosen) {
    var type = fieldset.dataset.type;
    if (type === "short_answer") {
      var input = fieldset.querySelector("input.cg-text");
      if (typeof chosen !== "string" || !input) return false;
      input.value = chosen.slice(0, MAX_ANSWER);
      return ANSWERS.normalise(input.value) !== "";
    }
    if (!Array.isArray(chosen)) return false;
    if (type === "ordering") {
      var items = orderItems(fieldset);
      var byIndex = {};
      items.forEach(function (li) { byIndex[li.dataset.index] = li; });
      var distinct = chosen.filter(function (n, i) { return chosen.indexOf(n) === i && byIndex[n]; });
      if (distinct.length !== items.length || chosen.length !== items.length) return false;
      chosen.forEach(function (n) { items[0].parentElement.appendChild(byIndex[n]); });
      fieldset.dataset.cgMoved = "1";
      return true;
    }
    if (type === "matching") {
      var selects = pairSelects(fieldset);
      if (chosen.length !== selects.length) return false;
      var any = false;
      selects.forEach(function (select, i) {
        var fits = chosen[i] >= 0 && select.querySelector("option[value='" + chosen[i] + "']");
        select.value = fits ? String(chosen[i]) : "";
        any = any || Boolean(fits);
      });
      return any;
    }
    if (type === "scenario") {
      if (!chosen.length) return false;
      fieldset.dispatchEvent(new CustomEvent("cg:restore", { detail: { chosen: chosen.slice() } }));
      return gradeScenario(fieldset).answered;
    }
    var restored = false;
    choiceInputs(fieldset).forEach(function (input) {
      input.checked = chosen.indexOf(Number(input.value)) !== -1;
      restored = restored || input.checked;
    });
    return restored;
  }

  // given: answers kept elsewhere (path.js keeps knowledge checks' answers), as in a record.
  function restore(form, given) {
    var record = given || (form.dataset.key ? store.get(form.dataset.key) : null);
    if (!record) return;
    var restoredAny = false;
    questions(form).forEach(function (fieldset) {
      var chosen = record.answers[fieldset.dataset.question];
      if (chosen === undefined) return;
      restoredAny = restoreQuestion(fieldset, chosen) || restoredAny;
    });
    if (!restoredAny) return;
    var outcome = grade(form);
    setResult(form, t("Your last result was restored.") + " " + summary(form, outcome, record), true,
      toReview(form, outcome), t("Questions to review:"));
  }

  // --- mixing per attempt ---------------------------------------------------------------------
  // Choices, matches and ordering steps are mixed anew for each attempt, from a seed kept with it:
  // in the quiz's record once there is one (a reload shows the same order), before that in this
  // tab's sessionStorage. "Try again" draws a new seed. Without this script the build's order stays.

  function newSeed() {
    try { return window.crypto.getRandomValues(new Uint32Array(1))[0]; } catch (e) { return Math.floor(Math.random() * 4294967296); }
  }

  function cleanSeed(seed) {
    return typeof seed === "number" && seed % 1 === 0 && seed >= 0 && seed < 4294967296 ? seed : undefined;
  }

  function pendingKey(form) {
    return "coursegen-seed:" + (form.dataset.key || window.location.pathname + "#" + form.id);
  }

  function pendingSeed(form, seed) {
    try {
      if (seed === undefined) return cleanSeed(Number(window.sessionStorage.getItem(pendingKey(form))));
      window.sessionStorage.setItem(pendingKey(form), String(seed));
    } catch (e) { /* no session storage: the order is new on each load */ }
    return seed;
  }

  function seedOf(form) {
    var record = form.dataset.key ? store.get(form.dataset.key) : null;
    if (record && record.seed !== undefined) return record.seed;
    var pending = pendingSeed(form);
    return pending !== undefined ? pending : pendingSeed(form, newSeed());
  }

  function keepSeed(form, seed) {
    var record = form.dataset.key ? store.get(form.dataset.key) : null;
    if (record) {
      record.seed = seed;
      store.set(form.dataset.key, record);
    } else {
      pendingSeed(form, seed);
    }
  }

  // mulberry32: a small seeded generator; each question mixes with the seed and its own id.
  function generator(seed, text) {
    var state = seed >>> 0;
    for (var i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 2654435761) >>> 0;
    return function () {
      state = (state + 0x6d2b79f5) >>> 0;
      var z = state;
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
    };
  }

  function mixed(list, random) {
    var copy = list.slice();
    for (var i = copy.length - 1; i > 0; i--) {
      var j = Math.floor(random() * (i + 1));
      var swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  // Puts ``nodes`` (in written order) into their parent in a mixed order; ``never`` the written one.
  function arrange(nodes, random, never) {
    if (!nodes.length) return;
    var order = mixed(nodes, random);
    if (never && order.length > 1 && order.every(function (node, i) { return node === nodes[i]; })) {
      order = order.slice(1).concat(order.slice(0, 1)); // ordering never starts in the right order
    }
    var parent = nodes[0].parentElement;
    order.forEach(function (node) { parent.appendChild(node); });
  }

  function byNumber(attribute) {
    return function (a, b) { return Number(a.getAttribute(attribute)) - Number(b.getAttribute(attribute)); };
  }

  function mixQuestions(form, seed) {
    questions(form).forEach(function (fieldset) {
      var random = generator(seed, fieldset.dataset.question || "");
      var shuffle = fieldset.dataset.shuffle !== "false";
      var type = fieldset.dataset.type;
      if (type === "ordering") {
        arrange(orderItems(fieldset).sort(byNumber("data-index")), random, true);
        delete fieldset.dataset.cgMoved;
      } else if (type === "matching") {
        var written = null;
        pairSelects(fieldset).forEach(function (select) {
          var options = all(select, "option[value]:not([value=''])").sort(byNumber("value"));
          // Every list of a question shows the matches in the same order, so they are easy to compare.
          written = written || mixed(options.map(function (o) { return o.value; }), random);
          var order = shuffle ? written : options.map(function (o) { return o.value; });
          var value = select.value;
          order.forEach(function (v) { select.appendChild(options.filter(function (o) { return o.value === v; })[0]); });
          select.value = value;
        });
      } else if (type === "single" || type === "multiple") {
        var items = choiceInputs(fieldset).map(function (input) { return input.closest("li"); });
        items.sort(function (a, b) { return Number(a.querySelector("input").value) - Number(b.querySelector("input").value); });
        if (shuffle) arrange(items, random, false);
      }
    });
  }

  // ordering: Move up / Move down. The focus stays on the pressed button (its item moved), and the
  // question's status line says where the item is now.
  function moveItem(form, button) {
    var li = button.closest("li.cg-order-item");
    var fieldset = button.closest("fieldset.cg-question");
    if (!li || !fieldset || form.classList.contains("cg-done")) return;
    var items = orderItems(fieldset);
    var from = items.indexOf(li);
    var to = from + Number(button.dataset.move);
    var live = fieldset.querySelector(".cg-live");
    var text = li.querySelector(".cg-order-text").textContent.trim();
    if (to < 0 || to >= items.length) {
      live.textContent = to < 0 ? t("%(item)s is already first.", { item: text }) : t("%(item)s is already last.", { item: text });
      return;
    }
    li.parentElement.insertBefore(li, to < from ? items[to] : items[to].nextSibling);
    button.focus();
    fieldset.dataset.cgMoved = "1";
    delete form.dataset.cgAsked;
    live.textContent = t("%(item)s moved to position %(n)s of %(total)s.", { item: text, n: to + 1, total: items.length });
  }

  function initForm(form) {
    if (form.dataset.cgReady) return;
    form.dataset.cgReady = "1";
    form.querySelector(".cg-actions").hidden = false;
    // Disabled in the page, so that without this script Enter in a text field cannot send the form.
    form.querySelector("button[type=submit]").disabled = false;
    form.querySelectorAll(".cg-moves, .cg-if-script").forEach(function (el) { el.hidden = false; });
    form.dataset.cgSeed = String(seedOf(form));
    mixQuestions(form, Number(form.dataset.cgSeed));
    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.cg-move");
      if (button) moveItem(form, button);
    });
    hideAnswers(form);
    // Any change of answer withdraws the "check anyway?" question asked below.
    form.addEventListener("change", function () { delete form.dataset.cgAsked; });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.classList.contains("cg-done")) return; // checked: only Try again starts over
      var open = unansweredQuestions(form);
      var total = questions(form).length;
      var button = form.querySelector("button[type=submit]").textContent.trim();
      if (open.length === total) {
        // Nothing chosen: nothing to check, and no attempt is counted.
        delete form.dataset.cgAsked;
        setResult(form, tn("You have not chosen any answers yet. Choose an answer for the question, then choose %(button)s.",
          "You have not chosen any answers yet. Choose an answer for each of the %(n)s questions, then choose %(button)s.",
          total, { n: total, button: button }), false);
        showResult(form);
        return;
      }
      if (open.length && !form.dataset.cgAsked) {
        // Ask first: the learner may have missed a question on a long page.
        form.dataset.cgAsked = "1";
        setResult(form, tn("%(n)s of %(total)s questions is not answered yet. Answer it, or choose %(button)s again to check anyway: a question without an answer counts as wrong.",
          "%(n)s of %(total)s questions are not answered yet. Answer them, or choose %(button)s again to check anyway: a question without an answer counts as wrong.",
          open.length, { n: open.length, total: total, button: button }), false, open, t("Not answered yet:"));
        showResult(form);
        return;
      }
      delete form.dataset.cgAsked;
      if (isExam(form)) { examSubmit(form); return; }
      var outcome = grade(form);
      var record = save(form, outcome);
      var review = form.dataset.kind === "quiz" ? toReview(form, outcome) : [];
      setResult(form, summary(form, outcome, record), true, review, t("Questions to review:"));
      updateStatuses();
      showResult(form);
      // path.js keeps knowledge-check answers: it hears of every checked form through this event.
      var chosen = {};
      outcome.results.forEach(function (r) { chosen[r.id] = r.result.chosen; });
      form.dispatchEvent(new CustomEvent("cg:graded", { bubbles: true, detail: { answers: chosen, right: outcome.right, total: outcome.total } }));
    });
    form.querySelector("[data-cg-retry]").addEventListener("click", function () {
      if (isExam(form) && !examMayRetry(form)) return;
      form.reset();
      var seed = newSeed();
      form.dataset.cgSeed = String(seed);
      keepSeed(form, seed);
      mixQuestions(form, seed);
      form.querySelectorAll(".cg-live").forEach(function (el) { el.textContent = ""; });
      questions(form).forEach(function (fieldset) {
        if (fieldset.dataset.type === "scenario") fieldset.dispatchEvent(new CustomEvent("cg:reset"));
      });
      clearFeedback(form);
      delete form.dataset.cgAsked;
      setResult(form, "", false);
      if (isExam(form)) examReset(form);
      var first = form.querySelector("input, select, button.cg-move");
      if (first) first.focus();
    });
    form.querySelector(".cg-result").setAttribute("tabindex", "-1");
    if (isExam(form)) examRestore(form);
    else restore(form);
  }

  // --- exam mode (quiz: mode: exam) -------------------------------------------------------------
  // One submit per attempt, no feedback before it, then a review sheet; an optional attempt limit
  // and wait between attempts, kept in the quiz's progress record (attempts, submittedAt) like
  // every other result. A self-check in this browser, not proctoring (SECURITY.md): clearing the
  // browser's storage, or reading the page without JavaScript, gets round it.

  function isExam(form) { return form.dataset.mode === "exam"; }

  function examLimits(form) {
    var max = parseInt(form.dataset.maxAttempts, 10);
    var wait = parseInt(form.dataset.waitMinutes, 10);
    return { max: max > 0 ? max : 0, waitMs: wait > 0 ? wait * 60000 : 0 };
  }

  // Whether another attempt may start now: spent (the limit is reached), or the time left to wait.
  function attemptGate(form, record) {
    var limits = examLimits(form);
    var attempts = record ? record.attempts : 0;
    if (limits.max && attempts >= limits.max) return { open: false, spent: true, left: 0 };
    var left = record && record.submittedAt && limits.waitMs ? record.submittedAt + limits.waitMs - Date.now() : 0;
    return { open: left <= 0, spent: false, left: Math.max(0, left) };
  }

  function waitText(ms) {
    var minutes = Math.max(1, Math.ceil(ms / 60000));
    if (minutes < 120) {
      return tn("You can try again in %(n)s minute.", "You can try again in %(n)s minutes.", minutes, { n: minutes });
    }
    var hours = Math.ceil(minutes / 60);
    return tn("You can try again in %(n)s hour.", "You can try again in %(n)s hours.", hours, { n: hours });
  }

  function attemptsText(form, record) {
    var max = examLimits(form).max;
    var n = record ? record.attempts : 0;
    if (max) return tn("You have used %(n)s of %(max)s attempt.", "You have used %(n)s of %(max)s attempts.", max, { n: Math.min(n, max), max: max });
    return n ? tn("You have made %(n)s attempt.", "You have made %(n)s attempts.", n, { n: n }) : "";
  }

  // The line under the buttons: attempts used and, once submitted, when the next attempt may
  // start. "Try again" stays focusable while it waits (aria-disabled), so this line describes it.
  function showGate(form, record) {
    var line = form.querySelector(".cg-gate");
    if (!line) {
      line = document.createElement("p");
      line.className = "cg-gate";
      line.id = form.id + "-gate";
      form.querySelector(".cg-actions").insertAdjacentElement("afterend", line);
    }
    var retry = form.querySelector("[data-cg-retry]");
    var finished = form.classList.contains("cg-done");
    var gate = attemptGate(form, record);
    var text = attemptsText(form, record);
    if (finished && gate.spent) text += " " + t("You have used all your attempts: this exam stays locked. Your last review sheet is below.");
    else if (finished && !gate.open) text += " " + waitText(gate.left);
    else if (finished) text += " " + t("You can try again now.");
    line.textContent = text.trim();
    line.hidden = !line.textContent;
    retry.hidden = !finished || gate.spent;
    if (finished && !gate.open) retry.setAttribute("aria-disabled", "true");
    else retry.removeAttribute("aria-disabled");
    retry.setAttribute("aria-describedby", line.id);
    // While waiting, look again when the next minute (or the wait) is over.
    window.clearTimeout(form.cgGateTimer);
    if (finished && !gate.open && !gate.spent) {
      form.cgGateTimer = window.setTimeout(function () {
        if (document.contains(form)) showGate(form, store.get(form.dataset.key) || record);
      }, Math.min(gate.left, 60000) + 50);
    }
  }

  function examMayRetry(form) {
    var record = store.get(form.dataset.key) || form.cgExamRecord || null;
    var gate = attemptGate(form, record);
    if (!gate.open) showGate(form, record);
    return gate.open;
  }

  function examReset(form) {
    var sheet = form.querySelector(".cg-sheet");
    if (sheet) sheet.remove();
    var heading = form.querySelector(".cg-exam-heading");
    if (heading) heading.hidden = true;
    showGate(form, store.get(form.dataset.key) || form.cgExamRecord || null);
  }

  function examSubmit(form) {
    var key = form.dataset.key;
    var before = (key && store.get(key)) || form.cgExamRecord || null;
    if (!attemptGate(form, before).open) {
      // Another tab of this course used the attempt (or the wait began) meanwhile.
      examRestore(form);
      return;
    }
    var outcome = grade(form); // submitted: each question's feedback may show now
    var record = save(form, outcome);
    if (record) {
      record.submittedAt = Date.now();
      // Passing follows from the best score and this page's pass mark, never from what was stored.
      record.passed = record.best >= Number(form.dataset.passMark);
      store.set(key, record);
    }
    form.cgExamRecord = record; // enforces the limit on this page even when storage fails
    examFinish(form, outcome, record, false);
    updateStatuses();
  }

  function examSummary(form, outcome) {
    var passMark = Number(form.dataset.passMark);
    var text = outcome.plain
      ? t("You scored %(score)s% (%(right)s of %(total)s correct). The pass mark is %(mark)s%.",
        { score: outcome.score, right: outcome.right, total: outcome.total, mark: passMark })
      : t("You scored %(score)s% (%(right)s of %(total)s points). The pass mark is %(mark)s%.",
        { score: outcome.score, right: outcome.earned, total: outcome.possible, mark: passMark });
    text += " " + (outcome.score >= passMark ? t("You passed this exam.") : t("You did not pass this attempt."));
    if (outcome.unanswered) {
      text += " " + tn("%(n)s question was not answered.", "%(n)s questions were not answered.", outcome.unanswered, { n: outcome.unanswered });
    }
    return text;
  }

  // After a submit (or on coming back to a submitted exam): the result, the review sheet, the
  // attempts line. Only a fresh submit moves the focus, to the result's heading.
  function examFinish(form, outcome, record, restored) {
    var text = examSummary(form, outcome);
    if (restored) text = t("Your last exam result was restored.") + " " + text;
    if (store.notice) text += " " + store.notice;
    setResult(form, text, true);
    var heading = form.querySelector(".cg-exam-heading");
    if (!heading) {
      heading = document.createElement("h3");
      heading.className = "cg-exam-heading";
      heading.id = form.id + "-result-heading";
      heading.setAttribute("tabindex", "-1");
      heading.textContent = t("Exam result");
      form.querySelector(".cg-result").insertAdjacentElement("beforebegin", heading);
    }
    heading.hidden = false;
    // The review sheet holds every right answer and explanation: the questions' own answer
    // panels stay closed (still there to open), so the page is not twice as long.
    form.querySelectorAll("details.cg-answer").forEach(function (panel) { panel.open = false; });
    reviewSheet(form, outcome);
    showGate(form, record);
    if (!restored) {
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
    }
  }

  function examRestore(form) {
    restore(form); // the last attempt's answers, as in practice mode
    var record = form.dataset.key ? store.get(form.dataset.key) : null;
    if (!record || !record.attempts) { showGate(form, record); return; }
    if (form.classList.contains("cg-done")) {
      examFinish(form, grade(form), record, true);
      return;
    }
    // Attempts were used but their answers are gone (e.g. dropped by an LMS's size limit): lock
    // the exam all the same.
    setResult(form, t("Your last exam score was %(score)s%.", { score: record.last }), true);
    showGate(form, record);
  }

  function labelOf(input) {
    var label = input.labels && input.labels[0];
    return label ? label.textContent.replace(/\s+/g, " ").trim() : input.value;
  }

  // Choices as the author wrote them (the page shows them mixed for each attempt).
  function writtenOrder(choices) {
    return choices.slice().sort(function (a, b) { return Number(a.value) - Number(b.value); });
  }

  // The learner's answer and the right one, as text. Choice questions read their labels, an
  // ordering its steps as placed, a matching each item with the match chosen, a short answer what
  // was typed; the right answer of the other types comes from their answer panel.
  // scenario: the text of the ending reached (the learner's answer) and of the good endings.
  function endingTexts(fieldset, selector) {
    return Array.prototype.map.call(fieldset.querySelectorAll(selector + " .cg-step-text"), function (el) {
      return el.textContent.replace(/\s+/g, " ").trim();
    }).join("; ");
  }

  function givenAnswer(fieldset) {
    var type = fieldset.dataset.type;
    var given;
    if (type === "scenario") {
      var ending = fieldset.dataset.ending;
      return (ending && endingTexts(fieldset, 'section.cg-ending[data-index="' + CSS.escape(ending) + '"]')) || t("No answer");
    }
    if (type === "ordering") {
      given = gradeOrdering(fieldset).answered ? orderItems(fieldset).map(function (li) {
        return li.querySelector(".cg-order-text").textContent.replace(/\s+/g, " ").trim();
      }) : [];
    } else if (type === "matching") {
      given = pairSelects(fieldset).filter(function (s) { return s.value !== ""; }).map(function (s) {
        return t("%(item)s: %(match)s", { item: labelOf(s), match: s.options[s.selectedIndex].textContent.trim() });
      });
    } else if (type === "short_answer") {
      var input = fieldset.querySelector("input.cg-text");
      given = input && input.value.trim() ? [input.value.trim()] : [];
    } else {
      given = writtenOrder(choiceInputs(fieldset)).filter(function (i) { return i.checked; }).map(labelOf);
    }
    return given.length ? given.join("; ") : t("No answer");
  }

  function rightAnswer(fieldset) {
    if (fieldset.dataset.type === "scenario") return endingTexts(fieldset, "section.cg-ending-good");
    var right = writtenOrder(choiceInputs(fieldset)).filter(function (i) { return i.dataset.correct === "true"; }).map(labelOf);
    if (right.length) return right.join("; ");
    var panel = fieldset.querySelector("details.cg-answer");
    if (!panel) return "";
    // ordering, matching, short_answer: the panel's first list (the right order, the right
    // matches, the accepted answers), one entry after another.
    var list = ["ordering", "matching", "short_answer"].indexOf(fieldset.dataset.type) !== -1 && panel.querySelector("ol, ul");
    if (list) {
      return Array.prototype.map.call(list.children, function (li) { return li.textContent.replace(/\s+/g, " ").trim(); }).join("; ");
    }
    var copy = panel.cloneNode(true);
    copy.querySelectorAll("summary, .cg-explanation").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function sheetVerdict(fieldset, result) {
    if (result.correct) return { kind: "right", text: t("Correct") };
    if (!result.answered) return { kind: "wrong", text: t("Not answered") };
    var partly = result.fraction > 0 || (fieldset.dataset.type === "multiple" && result.rightChosen > 0);
    return partly ? { kind: "partly", text: t("Partly right") } : { kind: "wrong", text: t("Not correct") };
  }

  // The review sheet: each question with the learner's answer, the right answer, the verdict and
  // the explanation, as a list of term/definition groups (readable at any width). Text nodes only:
  // course text never becomes markup.
  function reviewSheet(form, outcome) {
    var old = form.querySelector(".cg-sheet");
    if (old) old.remove();
    var byId = {};
    outcome.results.forEach(function (r) { byId[r.id] = r.result; });
    var section = document.createElement("section");
    section.className = "cg-sheet";
    var heading = document.createElement("h4");
    heading.id = form.id + "-sheet";
    heading.textContent = t("Review sheet");
    section.setAttribute("aria-labelledby", heading.id);
    section.appendChild(heading);
    var list = document.createElement("ul");
    list.className = "cg-sheet-list";
    questions(form).forEach(function (fieldset) {
      var result = byId[fieldset.dataset.question];
      if (!result) return;
      var verdict = sheetVerdict(fieldset, result);
      var explanation = fieldset.querySelector(".cg-explanation");
      var item = document.createElement("li");
      item.className = "cg-sheet-" + verdict.kind;
      var prompt = document.createElement("p");
      prompt.className = "cg-sheet-prompt";
      prompt.textContent = promptOf(fieldset);
      item.appendChild(prompt);
      var facts = document.createElement("dl");
      [[t("Your answer"), givenAnswer(fieldset)], [t("Right answer"), rightAnswer(fieldset)],
       [t("Result"), verdict.text], [t("Explanation"), explanation ? explanation.textContent.trim() : ""]]
        .forEach(function (pair) {
          if (!pair[1]) return;
          var term = document.createElement("dt");
          term.textContent = pair[0];
          var value = document.createElement("dd");
          value.textContent = pair[1];
          facts.appendChild(term);
          facts.appendChild(value);
        });
      item.appendChild(facts);
      list.appendChild(item);
    });
    section.appendChild(list);
    form.querySelector(".cg-result").insertAdjacentElement("afterend", section);
  }

  function stateOf(record) {
    if (!record) return t("Not started");
    return record.passed ? t("Passed") : t("Tried, not passed yet");
  }

  function updateStatuses() {
    var seen = 0;
    var passed = 0;
    document.querySelectorAll("[data-cg-status], [data-cg-state]").forEach(function (el) {
      var record = store.get(el.dataset.key);
      el.textContent = stateOf(record);
      el.dataset.state = record ? (record.passed ? "passed" : "tried") : "none";
      if (el.hasAttribute("data-cg-state")) {
        seen += 1;
        if (record && record.passed) passed += 1;
      }
    });
    document.querySelectorAll("[data-cg-best]").forEach(function (el) {
      var record = store.get(el.dataset.key);
      el.textContent = record ? record.best + "%" : "–";
    });
    var summaryEl = document.querySelector("[data-cg-summary]");
    if (summaryEl) {
      var text = t("You have passed %(passed)s of %(total)s module quizzes.", { passed: passed, total: seen });
      if (store.notice) text += " " + store.notice;
      summaryEl.textContent = text;
      var actions = document.querySelector("[data-cg-progress-actions]");
      if (actions) actions.hidden = false;
    }
  }

  function initProgressActions() {
    var clear = document.querySelector("[data-cg-clear]");
    if (!clear || clear.dataset.cgReady) return;
    clear.dataset.cgReady = "1";
    clear.addEventListener("click", function () {
      if (!window.confirm(t("Clear all your saved quiz results for this course?"))) return;
      var keys = Array.prototype.map.call(document.querySelectorAll("[data-cg-state]"), function (el) {
        return el.dataset.key.split(":").slice(0, 2).join(":") + ":";
      });
      keys.filter(function (k, i) { return keys.indexOf(k) === i; }).forEach(function (prefix) {
        store.keys(prefix).forEach(store.remove);
      });
      updateStatuses();
    });
  }

  // A table wider than the screen scrolls sideways inside Material's wrapper: make that wrapper
  // reachable by keyboard, with a name, so keyboard users can scroll it too (WCAG 2.1.1).
  function headingBefore(el) {
    for (var node = el; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) {
          var copy = prev.cloneNode(true);
          copy.querySelectorAll(".headerlink").forEach(function (a) { a.remove(); });
          return copy.textContent.trim();
        }
      }
    }
    return "";
  }

  function markScrollableTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var heading = headingBefore(wrap);
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", heading ? t("%(heading)s: table, scrolls sideways", { heading: heading }) : t("Table, scrolls sideways"));
        wrap.dataset.cgScroll = "1";
      } else if (!scrolls && wrap.dataset.cgScroll) {
        ["tabindex", "role", "aria-label", "data-cg-scroll"].forEach(function (a) { wrap.removeAttribute(a); });
      }
    });
  }

  var resizeQueued = false;
  window.addEventListener("resize", function () {
    if (resizeQueued) return;
    resizeQueued = true;
    window.requestAnimationFrame(function () { resizeQueued = false; markScrollableTables(); });
  });

  // Moving results to another browser: a JSON file out, and the same file back in. An imported
  // file is untrusted: only records for this course's current quizzes, cleaned, are kept.
  // (Hardening, see SECURITY.md and tests/hardening/test_learner_data.py: keep when editing.)
  var FORMAT = "coursegen-results";

  // Saved answers by question id, each kept only in a shape some question type uses: small integer
  // indexes (choices, an ordering's steps, a scenario's ending; -1 for a matching item left
  // unmatched) or, for short_answer, the typed text of at most 200 characters. restore() then
  // checks each against its question.
  function cleanAnswers(given) {
    var answers = {};
    if (!given || typeof given !== "object" || Array.isArray(given)) return answers;
    Object.keys(given).slice(0, 500).forEach(function (id) {
      if (!/^[a-z0-9-]{1,64}$/.test(id)) return;
      var value = given[id];
      if (typeof value === "string") {
        if (value.length <= MAX_ANSWER) answers[id] = value;
        return;
      }
      if (!Array.isArray(value)) return;
      answers[id] = value.filter(function (n) { return typeof n === "number" && n >= -1 && n < 64 && n % 1 === 0; }).slice(0, 64);
    });
    return answers;
  }

  function clean(data) {
    if (!data || typeof data !== "object" || data.v !== VERSION) return null;
    if (typeof data.best !== "number" || !isFinite(data.best)) return null;
    var percent = function (n) { return Math.max(0, Math.min(100, Math.round(n))); };
    var record = {
      v: VERSION, best: percent(data.best), last: typeof data.last === "number" && isFinite(data.last) ? percent(data.last) : percent(data.best),
      passed: false, attempts: Number.isInteger(data.attempts) ? Math.max(0, Math.min(100000, data.attempts)) : 0, answers: cleanAnswers(data.answers),
      submittedAt: timestamp(data.submittedAt)
    };
    if (cleanSeed(data.seed) !== undefined) record.seed = data.seed;
    return record;
  }

  function quizKeys() {
    return Array.prototype.map.call(document.querySelectorAll("[data-cg-state]"), function (el) { return el.dataset.key; });
  }

  function exportResults() {
    var keys = quizKeys();
    var results = {};
    keys.forEach(function (key) { var record = store.get(key); if (record) results[key] = record; });
    var course = keys.length ? keys[0].split(":")[1] : "course";
    var file = { format: FORMAT, version: 1, course: course, exported: new Date().toISOString(), results: results };
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: "application/json" }));
    link.download = course + "-results.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  }

  function importResults(text) {
    var data = null;
    try { data = JSON.parse(text); } catch (e) { /* reported below */ }
    if (!data || typeof data !== "object" || data.format !== FORMAT || !data.results || typeof data.results !== "object") {
      return t("This is not a results file of this course, or it is damaged. Nothing was changed.");
    }
    var known = Object.create(null);
    quizKeys().forEach(function (key) { known[key] = true; });
    var loaded = 0;
    var ignored = 0;
    Object.keys(data.results).slice(0, 1000).forEach(function (key) {
      var record = known[key] === true ? clean(data.results[key]) : null;
      if (!record) { ignored += 1; return; }
      var current = store.get(key);
      if (current && current.best > record.best) { record.best = current.best; record.answers = current.answers; }
      // "passed" is never taken from the file: it follows from the score and this page's pass mark.
      var mark = Number(document.querySelector('[data-cg-state][data-key="' + CSS.escape(key) + '"]').dataset.passMark);
      record.passed = (isFinite(mark) && record.best >= mark) || Boolean(current && current.passed);
      record.attempts = Math.max(record.attempts, current ? current.attempts : 0);
      record.submittedAt = Math.max(record.submittedAt, current ? current.submittedAt : 0);
      if (store.set(key, record)) loaded += 1;
    });
    var text = tn("Loaded results for %(n)s quiz.", "Loaded results for %(n)s quizzes.", loaded, { n: loaded });
    if (ignored) {
      text += " " + tn("%(n)s entry was ignored: damaged, from another course, or from an older version of a quiz.",
        "%(n)s entries were ignored: damaged, from another course, or from an older version of a quiz.", ignored, { n: ignored });
    }
    return text;
  }

  function initTransfer() {
    var box = document.querySelector("[data-cg-transfer]");
    if (!box || box.dataset.cgReady) return;
    box.dataset.cgReady = "1";
    var status = box.querySelector("[data-cg-transfer-status]");
    var input = box.querySelector("[data-cg-import]");
    box.querySelector("[data-cg-export]").addEventListener("click", exportResults);
    box.querySelector("[data-cg-import-button]").addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      input.value = "";
      if (!file) return;
      if (file.size > 1000000) { status.textContent = t("This file is too big to be a results file. Nothing was changed."); return; }
      var reader = new FileReader();
      reader.onload = function () {
        store.notice = "";
        status.textContent = importResults(String(reader.result)) + (store.notice ? " " + store.notice : "");
        updateStatuses();
      };
      reader.onerror = function () { status.textContent = t("The file could not be read. Nothing was changed."); };
      reader.readAsText(file);
    });
    box.hidden = false;
  }

  function init() {
    store.notice = "";
    store.probe();
    document.querySelectorAll("form[data-cg-quiz]").forEach(initForm);
    initProgressActions();
    initTransfer();
    updateStatuses();
    markScrollableTables();
  }

  window.coursegenQuiz = {
    init: init,
    // Shows answers kept by another script (path.js) as if just checked; a checked form is left alone.
    restore: function (form, answers) {
      if (form.dataset.cgReady && !form.classList.contains("cg-done")) restore(form, { answers: answers, attempts: 0 });
    }
  };
  // Material's document$ fires after each instant navigation, but never from file:// (or when its
  // bundle fails), so the page also initialises on its own load; init is idempotent.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
