/* coursegen cmi5 launcher: the package's one assignable unit (AU).
 *
 * The LMS opens this page with the cmi5 launch parameters (endpoint, fetch, actor, registration,
 * activityId). @xapi/cmi5 fetches the session's auth token and reads LMS.LaunchData; this script
 * shows the course site in a frame and keeps the learner's quiz results for the pages in it
 * (assets/coursegen/lms.js) in this browser, per registration. It reports to the LRS:
 * initialized, "answered" for every question of every quiz attempt, passed or failed (score
 * scaled 0..1 against the LMS's masteryScore, else the package's pass mark) once every quiz was
 * tried, completed, and terminated when the learner leaves. Statements go through a queue
 * (xapi-queue.js) that survives a dropped network. With no launch parameters (no LMS), the
 * launcher simply opens the site. */
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("coursegen-lms").textContent);
  var frame = document.getElementById("coursegen-frame");
  var message = document.getElementById("coursegen-message");

  if (!window.Cmi5 || !window.Cmi5.isCmiAvailable) {
    window.location.replace(settings.start); // no LMS: the normal site
    return;
  }

  var cmi5 = new window.Cmi5();
  var params = cmi5.getLaunchParameters();
  var prefix = "coursegen:cmi5:" + params.registration + ":";
  var memory = Object.create(null);
  var quizKeys = Object.create(null);
  settings.quizzes.forEach(function (quiz) { quizKeys[quiz.key] = quiz; });
  var active = false;
  var ended = false;
  var queue = null;

  // --- the learner's results, kept per registration ---------------------------------------------

  function read(key) {
    try { return window.localStorage.getItem(prefix + key); } catch (e) { return key in memory ? memory[key] : null; }
  }
  function write(key, value) {
    memory[key] = value;
    try { window.localStorage.setItem(prefix + key, value); } catch (e) { /* kept in memory */ }
  }
  function remove(key) {
    delete memory[key];
    try { window.localStorage.removeItem(prefix + key); } catch (e) { /* nothing saved */ }
  }
  function keys() {
    var found = Object.keys(memory);
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var k = window.localStorage.key(i);
        if (k && k.indexOf(prefix) === 0 && found.indexOf(k.slice(prefix.length)) === -1) found.push(k.slice(prefix.length));
      }
    } catch (e) { /* memory only */ }
    return found.filter(function (k) { return k.indexOf("cmi5:") !== 0; });
  }
  function record(key) {
    try { var r = JSON.parse(read(key)); return r && typeof r === "object" ? r : null; } catch (e) { return null; }
  }
  function sent() {
    try { return JSON.parse(read("cmi5:sent")) || {}; } catch (e) { return {}; }
  }
  function markSent(verb) { var s = sent(); s[verb] = true; write("cmi5:sent", JSON.stringify(s)); }
  function visited() {
    try { return JSON.parse(read("cmi5:visited")) || []; } catch (e) { return []; }
  }

  // --- statements -------------------------------------------------------------------------------

  // @xapi/cmi5 builds each statement (cmi5 context, registration, session); instead of sending it
  // at once, it goes into the queue, which sends in order and keeps what could not be sent.
  // The queue is made on the first statement ("initialized"): by then the auth token is known.
  // Statements an earlier launch of this registration could not send are still in it, first.
  cmi5.sendXapiStatement = function (statement, options) {
    if (options && typeof options.transform === "function") statement = options.transform(statement);
    if (!queue) {
      queue = window.coursegenXapiQueue({
        storageKey: prefix + "cmi5:queue",
        endpoint: params.endpoint.replace(/\/?$/, "/"),
        auth: "Basic " + cmi5.getAuthToken()
      });
    }
    queue.add(statement);
    return Promise.resolve([statement.id]);
  };

  function normal() { return cmi5.getLaunchData().launchMode === "Normal"; }

  function threshold() {
    var mastery = cmi5.getLaunchData().masteryScore;
    return typeof mastery === "number" && isFinite(mastery) ? mastery : settings.passMark / 100;
  }

  function progress() {
    var tried = 0;
    var total = 0;
    settings.quizzes.forEach(function (quiz) {
      var r = record(quiz.key);
      if (r && r.attempts > 0) { tried += 1; total += Number(r.best) || 0; }
    });
    var count = settings.quizzes.length;
    var seen = visited();
    return {
      all: count > 0 && tried === count,
      scaled: count ? Math.round((100 * total) / count) / 10000 : 0,
      seenAll: settings.pages.every(function (p) { return seen.indexOf(p) !== -1; })
    };
  }

  function answered(quiz, answers) {
    var lang = settings.language;
    var test = "quiz-" + quiz.module; // @xapi/cmi5 makes it <AU id>/test/quiz-<module>/question/<id>
    var describe = window.coursegenInteractions && window.coursegenInteractions.describe;
    var text = function (value) { var d = {}; d[lang] = value; return d; };
    var list = function (prefix, texts) { return texts.map(function (t, i) { return { id: prefix + i, description: text(t) }; }); };
    var ids = function (prefix, indexes) { return indexes.map(function (i) { return prefix + i; }); };
    var pairs = function (found) {
      var out = {};
      found.forEach(function (p) { out["item-" + p[0]] = "match-" + p[1]; });
      return out;
    };
    quiz.details.forEach(function (q) {
      // A question this version cannot read the answer of (or did not answer) is skipped.
      var d = describe ? describe(q, answers[q.id]) : null;
      if (!d) return;
      var name = text(q.prompt);
      if (d.kind === "true-false") {
        cmi5.interactionTrueFalse(test, q.id, d.response[0] === 0, d.correct[0] === 0, name, undefined, d.right);
      } else if (d.kind === "choice") {
        cmi5.interactionChoice(test, q.id, ids("choice-", d.response), ids("choice-", d.correct), list("choice-", q.choices), name, undefined, d.right);
      } else if (d.kind === "sequencing") {
        cmi5.interactionSequencing(test, q.id, ids("item-", d.response), ids("item-", d.correct), list("item-", q.items), name, undefined, d.right);
      } else if (d.kind === "matching") {
        cmi5.interactionMatching(test, q.id, pairs(d.response), pairs(d.correct), list("item-", q.items), list("match-", q.matches), name, undefined, d.right);
      } else if (d.kind === "fill-in") {
        cmi5.interactionFillIn(test, q.id, [d.response], d.correct.length ? d.correct : undefined, name, undefined, d.right);
      } else if (d.kind === "other") {
        cmi5.interactionOther(test, q.id, d.response, d.correct[0], name, undefined, d.right);
      }
    });
  }

  // passed / failed once every quiz was tried (each at most once per registration, never failed
  // after passed), then completed; a course with no quiz is completed when every module was seen.
  function evaluate() {
    if (!active || ended || !normal()) return;
    var p = progress();
    var done = sent();
    var score = { scaled: p.scaled, raw: Math.round(p.scaled * 10000) / 100, min: 0, max: 100 };
    if (settings.quizzes.length && p.all && !done.passed) {
      if (p.scaled >= threshold()) {
        cmi5.pass(score);
        markSent("passed");
      } else if (!done.failed) {
        cmi5.fail(score);
        markSent("failed");
      }
    }
    if (!done.completed && (settings.quizzes.length ? p.all : p.seenAll)) {
      cmi5.complete();
      markSent("completed");
    }
  }

  function end() {
    if (!active || ended) return;
    cmi5.terminate();
    ended = true;
    queue.flushOnExit();
  }

  // --- the pages' store (lms.js) ----------------------------------------------------------------

  function relative(href) {
    var base = window.location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
    var clean = String(href).replace(/[?#].*$/, "");
    if (clean.indexOf(base) !== 0) return null;
    var rest = clean.slice(base.length);
    return rest === "" || rest.charAt(rest.length - 1) === "/" ? rest + "index.html" : rest;
  }

  window.coursegenLMS = {
    active: function () { return active && !ended; },
    getItem: function (key) { return read(key); },
    setItem: function (key, value) {
      var quiz = quizKeys[key];
      var before = quiz ? record(key) : null;
      write(key, value);
      if (!quiz || !normal()) return;
      var now = record(key);
      if (now && now.attempts > (before ? before.attempts : 0)) answered(quiz, now.answers || {});
      evaluate();
    },
    removeItem: function (key) { remove(key); },
    keys: keys,
    commit: function () { if (queue) queue.flush(); },
    pageShown: function (href) {
      var page = relative(href);
      if (!page || settings.pages.indexOf(page) === -1) return;
      var seen = visited();
      if (seen.indexOf(page) === -1) { seen.push(page); write("cmi5:visited", JSON.stringify(seen)); }
      evaluate();
    }
  };

  function fail(text) {
    message.textContent = text;
    message.hidden = false;
  }

  cmi5.initialize().then(function () {
    active = true;
    window.addEventListener("pagehide", end);
    evaluate(); // results of an earlier session of this registration may already pass
    frame.src = settings.start;
    frame.hidden = false;
  }).catch(function () {
    var t = window.coursegenI18n ? window.coursegenI18n.t : function (s) { return s; };
    fail(t("The learning system could not start this course. Close this window and launch the course again from the learning system."));
  });
})();
