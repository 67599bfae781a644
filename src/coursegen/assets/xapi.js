/* coursegen opt-in xAPI (course.yml `xapi:`): quiz results also go to the organisation's LRS.
 *
 * Loaded only when a course opts in. The credential is not in the site: the learner's launch
 * link carries it, e.g. .../?xapi-auth=<Basic token>&xapi-actor=<JSON agent>&xapi-registration=<uuid>.
 * It is kept in this browser (so statements queued offline can be sent later) and removed from
 * the address bar. Without a credential nothing is sent. For every quiz attempt the LRS gets
 * "answered" for each question and "passed" or "failed" for the module quiz, with the score.
 * Results stay in localStorage as on any coursegen site: this wraps it (window.coursegenStore). */
(function () {
  "use strict";

  var settings = window.coursegenXapiSettings;
  if (!settings || window.coursegenStore || !window.coursegenXapiQueue) return; // an LMS package has its own
  var LAUNCH = "coursegen:xapi:launch";
  var VERBS = "http://adlnet.gov/expapi/verbs/";

  function readLaunch() {
    var query = new URLSearchParams(window.location.search);
    var auth = query.get("xapi-auth");
    var actor = query.get("xapi-actor");
    try {
      if (auth && actor) {
        var agent = JSON.parse(actor);
        if (!agent || typeof agent !== "object") throw new Error("not an agent");
        var launch = { auth: auth, actor: agent, registration: query.get("xapi-registration") || null };
        window.localStorage.setItem(LAUNCH, JSON.stringify(launch));
        ["xapi-auth", "xapi-actor", "xapi-registration"].forEach(function (k) { query.delete(k); });
        var rest = query.toString();
        window.history.replaceState(window.history.state, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
      }
      return JSON.parse(window.localStorage.getItem(LAUNCH) || "null");
    } catch (e) {
      return null;
    }
  }

  var launch = readLaunch();
  if (!launch || typeof launch.auth !== "string" || !launch.actor) return;

  var queue = window.coursegenXapiQueue({
    storageKey: "coursegen:xapi:queue",
    endpoint: settings.endpoint,
    auth: /^Basic /.test(launch.auth) ? launch.auth : "Basic " + launch.auth
  });
  queue.flush(); // anything an earlier visit could not send

  function lang(text) { var m = {}; m[settings.language] = text; return m; }

  function statement(verb, object, result) {
    var s = { actor: launch.actor, verb: { id: VERBS + verb, display: lang(verb) }, object: object };
    if (result) s.result = result;
    s.context = { contextActivities: { grouping: [{ id: settings.activityBase, objectType: "Activity" }] } };
    if (launch.registration) s.context.registration = launch.registration;
    return s;
  }

  // The question as the page shows it: prompt, options by their number, the right ones.
  function describe(fieldset) {
    var inputs = Array.prototype.slice.call(fieldset.querySelectorAll("input"));
    var legend = fieldset.querySelector("legend");
    var prompt = legend ? legend.textContent.replace(/^\s*\d+\.\s*/, "").trim() : fieldset.dataset.question;
    return {
      prompt: prompt,
      choices: inputs.map(function (input) {
        var label = fieldset.querySelector("label[for='" + input.id + "']");
        return { id: "choice-" + input.value, description: lang(label ? label.textContent.trim() : input.value) };
      }),
      correct: inputs.filter(function (i) { return i.dataset.correct === "true"; }).map(function (i) { return "choice-" + i.value; })
    };
  }

  function report(key, record) {
    var form = document.querySelector("form[data-key='" + key.replace(/[^A-Za-z0-9:_-]/g, "") + "']");
    if (!form) return;
    var module = key.split(":")[2];
    var quizId = settings.activityBase + "/modules/" + module + "/quiz";
    form.querySelectorAll("fieldset.cg-question").forEach(function (fieldset) {
      var q = describe(fieldset);
      var given = record.answers[fieldset.dataset.question];
      var picked = Array.isArray(given) ? given : []; // a short answer is text, not choice indexes
      var chosen = picked.map(function (n) { return "choice-" + n; });
      var right = chosen.length === q.correct.length && chosen.every(function (c) { return q.correct.indexOf(c) !== -1; });
      var definition = { type: "http://adlnet.gov/expapi/activities/cmi.interaction", name: lang(q.prompt) };
      var response;
      if (fieldset.dataset.type === "true_false") { // option 0 is "True"
        definition.interactionType = "true-false";
        definition.correctResponsesPattern = [q.correct[0] === "choice-0" ? "true" : "false"];
        response = picked.length ? String(picked[0] === 0) : "";
      } else {
        definition.interactionType = "choice";
        definition.correctResponsesPattern = [q.correct.join("[,]")];
        definition.choices = q.choices;
        response = chosen.join("[,]");
      }
      queue.add(statement("answered", { objectType: "Activity", id: quizId + "/" + fieldset.dataset.question, definition: definition },
        { response: response, success: right }));
    });
    var passMark = Number(form.dataset.passMark);
    var passed = record.last >= passMark;
    queue.add(statement(passed ? "passed" : "failed", {
      objectType: "Activity", id: quizId,
      definition: { type: "http://adlnet.gov/expapi/activities/assessment", name: lang("Quiz: " + module) }
    }, { score: { scaled: record.last / 100, raw: record.last, min: 0, max: 100 }, success: passed, completion: true }));
  }

  function previousAttempts(key) {
    try { var r = JSON.parse(window.localStorage.getItem(key)); return r && r.attempts ? r.attempts : 0; } catch (e) { return 0; }
  }

  // localStorage, with a report of every new quiz attempt on its way in.
  var store = {
    getItem: function (key) { return window.localStorage.getItem(key); },
    setItem: function (key, value) {
      var before = previousAttempts(key);
      window.localStorage.setItem(key, value);
      try {
        var record = JSON.parse(value);
        if (record && record.attempts > before && record.answers) report(key, record);
      } catch (e) { /* not a quiz record */ }
    },
    removeItem: function (key) { window.localStorage.removeItem(key); },
    key: function (i) { return window.localStorage.key(i); }
  };
  Object.defineProperty(store, "length", { get: function () { return window.localStorage.length; } });
  window.coursegenStore = store;
  window.addEventListener("pagehide", function () { queue.flushOnExit(); });
})();
