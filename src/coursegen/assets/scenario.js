/* coursegen branching scenarios (type: scenario): one step at a time, choices as buttons.
 * Progressive enhancement: without this script every step is a section with an anchor and every
 * choice a link (templates/_scenario.html.j2). With it:
 * - a choice shows its feedback at the top of the next step, the focus moves to that step's
 *   heading and the status region announces the feedback;
 * - Back returns to the previous step (a history of the path taken), Start again to the first;
 * - reaching an ending sets fieldset.dataset.outcome ("good" | "needs_work") and
 *   fieldset.dataset.ending (the index of the ending among the steps) and dispatches a bubbling
 *   "change" on the fieldset; leaving the ending clears both. quiz.js grades from them.
 * - quiz.js dispatches "cg:restore" (detail.chosen = [ending index]) to show a saved ending and
 *   "cg:reset" to start again; a form reset (Try again) starts again too.
 * - in an exam (form data-mode="exam") no feedback shows until the exam is submitted (cg-done):
 *   endings read "The end of the scenario" until then.
 * Loaded after quiz.js, whose init may run first: listeners sit on the document (capture phase)
 * and set a scenario up on demand. Safe to run many times (Material's instant navigation). */
(function () {
  "use strict";

  var i18n = window.coursegenI18n || { t: function (s) { return s; }, tn: function (s, p, n) { return n === 1 ? s : p; } };
  var t = i18n.t;

  function parts(root) {
    return {
      fieldset: root.closest("fieldset") || root,
      form: root.closest("form"),
      steps: Array.prototype.slice.call(root.querySelectorAll("section.cg-step")),
      status: root.querySelector(".cg-scenario-status"),
      path: root.querySelector(".cg-scenario-path"),
      controls: root.querySelector(".cg-scenario-controls")
    };
  }

  function stepById(root, id) {
    return parts(root).steps.filter(function (s) { return s.dataset.step === id; })[0] || null;
  }

  // The section a choice leads to without JavaScript: it holds the choice's text and feedback.
  function choiceSection(root, from, index) {
    return root.querySelector('section.cg-chose[data-from="' + CSS.escape(from) + '"][data-choice="' + CSS.escape(String(index)) + '"]');
  }

  function choiceText(root, from, index) {
    var section = choiceSection(root, from, index);
    return {
      text: section ? section.querySelector(".cg-chose-text span").textContent : "",
      feedback: section ? section.querySelector(".cg-chose-feedback").textContent : ""
    };
  }

  function firstId(root) {
    var first = root.querySelector("section.cg-step[data-first]");
    return first ? first.dataset.step : "";
  }

  function announce(root, text) {
    var status = parts(root).status;
    // Emptied first, so the same sentence twice in a row is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function focusHeading(step) {
    var heading = step.querySelector(".cg-step-title");
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    var box = step.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight * 0.6) step.scrollIntoView({ block: "start" });
  }

  // An exam shows no feedback until it is submitted (quiz.js marks the form cg-done then).
  function sealed(root) {
    var form = parts(root).form;
    return Boolean(form && form.dataset.mode === "exam" && !form.classList.contains("cg-done"));
  }

  function endingSentence(root, step) {
    if (sealed(root)) return t("You reached the end of the scenario.");
    return step.dataset.outcome === "good"
      ? t("You reached an ending: a good outcome.")
      : t("You reached an ending: this needs work. Choose Back or Start again to try another path.");
  }

  // Show the step at the end of the history, its arrival feedback, the path so far and the
  // buttons that apply; record (or clear) the outcome on the fieldset.
  function render(root, options) {
    var p = parts(root);
    var history = root.cgHistory;
    var here = history[history.length - 1];
    var current = null;
    p.steps.forEach(function (step) {
      var shown = step.dataset.step === here.step;
      step.hidden = !shown;
      if (shown) current = step;
    });
    var came = current.querySelector(".cg-step-came");
    came.textContent = "";
    if (here.from !== null) {
      var chosen = choiceText(root, here.from, here.choice);
      var what = document.createElement("p");
      var label = document.createElement("strong");
      label.textContent = t("You chose:");
      what.appendChild(label);
      what.appendChild(document.createTextNode(" " + chosen.text));
      var feedback = document.createElement("p");
      feedback.className = "cg-came-feedback";
      feedback.textContent = chosen.feedback;
      came.appendChild(what);
      came.appendChild(feedback);
    }
    if (sealed(root) && came.lastChild) came.removeChild(came.lastChild); // the feedback waits for the submit
    came.hidden = here.from === null;
    var hide = sealed(root);
    root.toggleAttribute("data-sealed", hide);
    root.querySelectorAll(".cg-ending-verdict").forEach(function (el) { el.hidden = hide; });
    root.querySelectorAll(".cg-ending-sealed").forEach(function (el) { el.hidden = !hide; });
    var list = p.path.querySelector("ol");
    list.textContent = "";
    history.slice(1).forEach(function (entry) {
      var item = document.createElement("li");
      item.textContent = choiceText(root, entry.from, entry.choice).text;
      list.appendChild(item);
    });
    p.path.hidden = history.length < 2;
    p.controls.hidden = history.length < 2;
    var before = p.fieldset.dataset.outcome || "";
    var beforeEnding = p.fieldset.dataset.ending || "";
    if (current.dataset.outcome) {
      p.fieldset.dataset.outcome = current.dataset.outcome;
      p.fieldset.dataset.ending = current.dataset.index;
    } else {
      delete p.fieldset.dataset.outcome;
      delete p.fieldset.dataset.ending;
    }
    lock(root);
    if (options.announce) announce(root, options.announce + (current.dataset.outcome ? " " + endingSentence(root, current) : ""));
    if (options.focus) focusHeading(current);
    var changed = before !== (p.fieldset.dataset.outcome || "") || beforeEnding !== (p.fieldset.dataset.ending || "");
    if (changed && !options.quiet) p.fieldset.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Once its form is checked, a scenario waits for Try again, like the other questions' inputs.
  function lock(root) {
    var form = parts(root).form;
    var done = Boolean(form && form.classList.contains("cg-done"));
    root.querySelectorAll("button").forEach(function (button) { button.disabled = done; });
  }

  function choose(root, from, index, next) {
    root.cgHistory.push({ step: next, from: from, choice: index });
    var chosen = choiceText(root, from, index);
    var said = sealed(root) ? t("You chose: %(choice)s", { choice: chosen.text }) : chosen.feedback;
    render(root, { focus: true, announce: said });
  }

  function back(root) {
    if (root.cgHistory.length > 1) root.cgHistory.pop();
    render(root, { focus: true, announce: t("Back at the previous step.") });
  }

  function startAgain(root, options) {
    root.cgHistory = [{ step: firstId(root), from: null, choice: null }];
    render(root, options);
  }

  // The shortest path from the first step to a saved ending (breadth-first), so Back works after
  // a restore and the ending shows the feedback of the choice that led to it.
  function pathTo(root, target) {
    var start = firstId(root);
    var cameFrom = {};
    cameFrom[start] = null;
    var queue = [start];
    while (queue.length) {
      var id = queue.shift();
      if (id === target) break;
      var step = stepById(root, id);
      if (!step) continue;
      step.querySelectorAll("[data-choice][data-next]").forEach(function (el) {
        var next = el.dataset.next;
        if (!Object.prototype.hasOwnProperty.call(cameFrom, next)) {
          cameFrom[next] = { step: id, choice: Number(el.dataset.choice) };
          queue.push(next);
        }
      });
    }
    if (!Object.prototype.hasOwnProperty.call(cameFrom, target)) return null;
    var history = [];
    for (var at = target; at !== start; at = cameFrom[at].step) {
      history.unshift({ step: at, from: cameFrom[at].step, choice: cameFrom[at].choice });
    }
    history.unshift({ step: start, from: null, choice: null });
    return history;
  }

  function restore(root, chosen) {
    var index = Array.isArray(chosen) ? chosen[0] : null;
    var ending = parts(root).steps.filter(function (s) {
      return s.dataset.outcome && Number(s.dataset.index) === index;
    })[0];
    var history = ending ? pathTo(root, ending.dataset.step) : null;
    if (!history) { startAgain(root, { quiet: true }); return; }
    root.cgHistory = history;
    render(root, { quiet: true });
  }

  function setup(root) {
    if (root.dataset.cgReady) return;
    root.dataset.cgReady = "1";
    // From here on the script shows one step at a time: the :target rules of the no-JS page stop.
    root.removeAttribute("data-nojs");
    root.querySelectorAll("section.cg-chose").forEach(function (section) { section.hidden = true; });
    root.querySelectorAll("[data-cg-restart]").forEach(function (link) { link.closest("p").hidden = true; });
    root.querySelectorAll("a[data-choice]").forEach(function (link) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cg-step-choice";
      button.dataset.choice = link.dataset.choice;
      button.dataset.next = link.dataset.next;
      button.textContent = link.textContent;
      var from = link.closest("section.cg-step").dataset.step;
      button.addEventListener("click", function () {
        choose(root, from, Number(button.dataset.choice), button.dataset.next);
      });
      link.replaceWith(button);
    });
    root.querySelector("[data-cg-back]").addEventListener("click", function () { back(root); });
    root.querySelector("[data-cg-start-again]").addEventListener("click", function () {
      startAgain(root, { focus: true, announce: t("Started again from the first step.") });
    });
    var form = parts(root).form;
    if (form && window.MutationObserver) {
      // Checked (or started again): lock or unlock the buttons; a submitted exam shows its feedback.
      new MutationObserver(function () { render(root, { quiet: true }); }).observe(form, { attributes: true, attributeFilter: ["class"] });
    }
    startAgain(root, { quiet: true });
  }

  function scenarioIn(target) {
    if (!target || !target.querySelector) return null;
    var root = target.matches("[data-cg-scenario]") ? target : target.querySelector("[data-cg-scenario]");
    if (root) setup(root);
    return root;
  }

  document.addEventListener("cg:restore", function (event) {
    var root = scenarioIn(event.target);
    if (root) restore(root, event.detail && event.detail.chosen);
  }, true);
  document.addEventListener("cg:reset", function (event) {
    var root = scenarioIn(event.target);
    if (root) startAgain(root, { quiet: true });
  }, true);
  // Try again resets the form (form.reset()): every scenario in it starts again.
  document.addEventListener("reset", function (event) {
    if (!event.target || !event.target.querySelectorAll) return;
    event.target.querySelectorAll("[data-cg-scenario]").forEach(function (root) {
      setup(root);
      startAgain(root, { quiet: true });
    });
  }, true);

  function init() {
    document.querySelectorAll("[data-cg-scenario]").forEach(setup);
  }

  window.coursegenScenario = { init: init };
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
