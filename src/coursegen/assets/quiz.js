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
        if (!data.answers || typeof data.answers !== "object") data.answers = {};
        return data;
      } catch (e) {
        if (e && (e.message === "foreign" || e.name === "SyntaxError")) {
          store.notice = "Some saved quiz results could not be read and were ignored.";
        }
        return null;
      }
    },
    set: function (key, value) {
      try {
        storage().setItem(key, JSON.stringify(value));
        return true;
      } catch (e) {
        store.notice = "Your browser is not saving results, so they will be lost when you leave this page.";
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
        store.notice = "Your browser is not saving results, so they will be lost when you leave this page.";
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

  function inputs(fieldset) {
    return Array.prototype.slice.call(fieldset.querySelectorAll("input"));
  }

  function gradeQuestion(fieldset) {
    // scenario: scenario.js records the ending reached; a good ending is right, a needs-work one not.
    if (fieldset.dataset.type === "scenario") {
      var ending = fieldset.dataset.ending;
      var reached = Boolean(fieldset.dataset.outcome) && ending !== undefined;
      return { answered: reached, correct: reached && fieldset.dataset.outcome === "good", rightChosen: 0,
               rightTotal: 1, wrongChosen: 0, chosen: reached ? [Number(ending)] : [] };
    }
    var all = inputs(fieldset);
    var chosen = all.filter(function (i) { return i.checked; });
    var rightChosen = chosen.filter(function (i) { return i.dataset.correct === "true"; }).length;
    var rightTotal = all.filter(function (i) { return i.dataset.correct === "true"; }).length;
    var wrongChosen = chosen.length - rightChosen;
    return {
      answered: chosen.length > 0,
      correct: chosen.length > 0 && wrongChosen === 0 && rightChosen === rightTotal,
      rightChosen: rightChosen,
      rightTotal: rightTotal,
      wrongChosen: wrongChosen,
      chosen: chosen.map(function (i) { return Number(i.value); })
    };
  }

  function verdictText(fieldset, result) {
    if (!result.answered) return "No answer chosen. The right answer and explanation are below.";
    if (result.correct) return "Correct.";
    if (fieldset.dataset.type === "multiple" && result.rightChosen > 0) {
      var text = "Partly right: you chose " + result.rightChosen + " of " + result.rightTotal + " correct answers";
      return text + (result.wrongChosen ? " and " + result.wrongChosen + " that is not correct." : ".");
    }
    return "Not quite. Read the feedback on your answer and the explanation below.";
  }

  // An answer's feedback says whether it is right, so it describes the answer (aria-describedby)
  // only while it is shown: before the quiz is checked a screen reader would read it out.
  function feedbackOf(input) {
    return document.getElementById(input.id + "-feedback");
  }

  function describe(input, shown) {
    if (shown) input.setAttribute("aria-describedby", input.id + "-feedback");
    else input.removeAttribute("aria-describedby");
  }

  function showFeedback(fieldset, result) {
    inputs(fieldset).forEach(function (input) {
      var feedback = feedbackOf(input);
      var li = input.closest("li");
      if (!feedback || !li) return;
      var right = input.dataset.correct === "true";
      li.classList.remove("cg-right", "cg-wrong");
      if (input.checked) {
        feedback.hidden = false;
        feedback.dataset.label = right ? "Correct:" : "Not correct:";
        li.classList.add(right ? "cg-right" : "cg-wrong");
      } else {
        feedback.hidden = true;
      }
      describe(input, input.checked);
    });
    var verdict = fieldset.querySelector(".cg-verdict");
    verdict.textContent = verdictText(fieldset, result);
    verdict.hidden = false;
    verdict.className = "cg-verdict " + (result.correct ? "cg-verdict-right" : "cg-verdict-wrong");
    var answer = fieldset.querySelector("details.cg-answer");
    answer.hidden = false;
    answer.open = true;
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
    return { right: right, total: total, unanswered: unanswered, results: results,
             score: total ? Math.round((100 * right) / total) : 0 };
  }

  function summary(form, outcome, record) {
    if (form.dataset.kind !== "quiz") {
      return outcome.right === outcome.total
        ? "All correct. Well done."
        : outcome.right + " of " + outcome.total + " correct. Read the feedback and try again if you like.";
    }
    var passMark = Number(form.dataset.passMark);
    var passed = outcome.score >= passMark;
    var text = "You scored " + outcome.score + "% (" + outcome.right + " of " + outcome.total + " correct). ";
    text += "The pass mark is " + passMark + "%. ";
    text += passed ? "You passed this quiz." : "Not passed yet: read the feedback, then choose Try again.";
    if (outcome.unanswered) text += " " + outcome.unanswered + " question" + (outcome.unanswered === 1 ? " was" : "s were") + " not answered.";
    if (record && record.attempts > 1) text += " Your best score: " + record.best + "%.";
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
      answers: answers
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

  // given: answers kept elsewhere (path.js keeps knowledge checks' answers), as in a record.
  function restore(form, given) {
    var record = given || (form.dataset.key ? store.get(form.dataset.key) : null);
    if (!record) return;
    var restoredAny = false;
    questions(form).forEach(function (fieldset) {
      var chosen = record.answers[fieldset.dataset.question];
      if (!Array.isArray(chosen)) return;
      inputs(fieldset).forEach(function (input) {
        input.checked = chosen.indexOf(Number(input.value)) !== -1;
        restoredAny = restoredAny || input.checked;
      });
    });
    if (!restoredAny) return;
    var outcome = grade(form);
    setResult(form, "Your last result was restored. " + summary(form, outcome, record), true,
      toReview(form, outcome), "Questions to review:");
  }

  function initForm(form) {
    if (form.dataset.cgReady) return;
    form.dataset.cgReady = "1";
    form.querySelector(".cg-actions").hidden = false;
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
        setResult(form, "You have not chosen any answers yet. Choose an answer for " +
          (total === 1 ? "the question" : "each of the " + total + " questions") + ", then choose " + button + ".", false);
        showResult(form);
        return;
      }
      if (open.length && !form.dataset.cgAsked) {
        // Ask first: the learner may have missed a question on a long page.
        form.dataset.cgAsked = "1";
        setResult(form, open.length + " of " + total + " questions " + (open.length === 1 ? "is" : "are") +
          " not answered yet. Answer " + (open.length === 1 ? "it" : "them") + ", or choose " + button +
          " again to check anyway: a question without an answer counts as wrong.", false, open, "Not answered yet:");
        showResult(form);
        return;
      }
      delete form.dataset.cgAsked;
      if (isExam(form)) { examSubmit(form); return; }
      var outcome = grade(form);
      var record = save(form, outcome);
      var review = form.dataset.kind === "quiz" ? toReview(form, outcome) : [];
      setResult(form, summary(form, outcome, record), true, review, "Questions to review:");
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
      clearFeedback(form);
      delete form.dataset.cgAsked;
      setResult(form, "", false);
      if (isExam(form)) examReset(form);
      var first = form.querySelector("input");
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
    var text = t("You scored %(score)s% (%(right)s of %(total)s correct). The pass mark is %(mark)s%.",
      { score: outcome.score, right: outcome.right, total: outcome.total, mark: passMark });
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

  function isChoice(input) { return input.type === "radio" || input.type === "checkbox"; }

  // The learner's answer and the right one, as text. Choice questions read their labels; other
  // question types fall back to what was typed or selected and to their answer panel.
  // scenario: the text of the ending reached (the learner's answer) and of the good endings.
  function endingTexts(fieldset, selector) {
    return Array.prototype.map.call(fieldset.querySelectorAll(selector + " .cg-step-text"), function (el) {
      return el.textContent.replace(/\s+/g, " ").trim();
    }).join("; ");
  }

  function givenAnswer(fieldset) {
    if (fieldset.dataset.type === "scenario") {
      var ending = fieldset.dataset.ending;
      return (ending && endingTexts(fieldset, 'section.cg-ending[data-index="' + CSS.escape(ending) + '"]')) || t("No answer");
    }
    var all = inputs(fieldset);
    var given = all.some(isChoice)
      ? all.filter(function (i) { return isChoice(i) && i.checked; }).map(labelOf)
      : all.map(function (i) { return i.value.trim(); }).concat(
        Array.prototype.map.call(fieldset.querySelectorAll("select"), function (s) {
          return s.selectedIndex > 0 ? s.options[s.selectedIndex].textContent.trim() : "";
        })).filter(Boolean);
    return given.length ? given.join("; ") : t("No answer");
  }

  function rightAnswer(fieldset) {
    if (fieldset.dataset.type === "scenario") return endingTexts(fieldset, "section.cg-ending-good");
    var right = inputs(fieldset).filter(function (i) { return isChoice(i) && i.dataset.correct === "true"; }).map(labelOf);
    if (right.length) return right.join("; ");
    var panel = fieldset.querySelector("details.cg-answer");
    if (!panel) return "";
    var copy = panel.cloneNode(true);
    copy.querySelectorAll("summary, .cg-explanation").forEach(function (el) { el.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function sheetVerdict(fieldset, result) {
    if (result.correct) return { kind: "right", text: t("Correct") };
    if (!result.answered) return { kind: "wrong", text: t("Not answered") };
    var partly = typeof result.credit === "number" ? result.credit > 0
      : fieldset.dataset.type === "multiple" && result.rightChosen > 0;
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
    if (!record) return "Not started";
    return record.passed ? "Passed" : "Tried, not passed yet";
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
      var text = "You have passed " + passed + " of " + seen + " module quizzes.";
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
      if (!window.confirm("Clear all your saved quiz results for this course?")) return;
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
        wrap.setAttribute("aria-label", (heading ? heading + ": table" : "Table") + ", scrolls sideways");
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

  function clean(data) {
    if (!data || typeof data !== "object" || data.v !== VERSION) return null;
    if (typeof data.best !== "number" || !isFinite(data.best)) return null;
    var percent = function (n) { return Math.max(0, Math.min(100, Math.round(n))); };
    var answers = {};
    var given = data.answers && typeof data.answers === "object" ? data.answers : {};
    Object.keys(given).slice(0, 500).forEach(function (id) {
      if (!/^[a-z0-9-]{1,64}$/.test(id) || !Array.isArray(given[id])) return;
      answers[id] = given[id].filter(function (n) { return typeof n === "number" && n >= 0 && n < 64 && n % 1 === 0; }).slice(0, 64);
    });
    return {
      v: VERSION, best: percent(data.best), last: typeof data.last === "number" && isFinite(data.last) ? percent(data.last) : percent(data.best),
      passed: false, attempts: Number.isInteger(data.attempts) ? Math.max(0, Math.min(100000, data.attempts)) : 0, answers: answers,
      submittedAt: timestamp(data.submittedAt)
    };
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
      return "This is not a results file of this course, or it is damaged. Nothing was changed.";
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
    var text = "Loaded results for " + loaded + " quiz" + (loaded === 1 ? "" : "zes") + ".";
    if (ignored) text += " " + ignored + " entr" + (ignored === 1 ? "y was" : "ies were") + " ignored: damaged, from another course, or from an older version of a quiz.";
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
      if (file.size > 1000000) { status.textContent = "This file is too big to be a results file. Nothing was changed."; return; }
      var reader = new FileReader();
      reader.onload = function () {
        store.notice = "";
        status.textContent = importResults(String(reader.result)) + (store.notice ? " " + store.notice : "");
        updateStatuses();
      };
      reader.onerror = function () { status.textContent = "The file could not be read. Nothing was changed."; };
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
