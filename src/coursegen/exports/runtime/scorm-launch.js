/* coursegen SCORM launcher: the package's one SCO.
 *
 * It finds the LMS's API (SCORM 1.2 "API" or SCORM 2004 "API_1484_11") the way the standards
 * describe: up the chain of parent windows, then the opener's. It opens the one LMS session,
 * shows the course site in a frame and keeps the learner's quiz results for the pages in that
 * frame (assets/coursegen/lms.js reads and writes them through window.coursegenLMS). Results are
 * saved in cmi.suspend_data, so a learner resumes on any device; the course status and score are
 * worked out from them here. Each quiz attempt is also recorded question by question in
 * cmi.interactions (type, the learner's response, the correct response, result and weighting; see
 * interactions.js). With no LMS, the launcher simply opens the site. */
(function () {
  "use strict";

  var settings = JSON.parse(document.getElementById("coursegen-lms").textContent);
  // The site's catalog (assets/coursegen/i18n-<language>.js and i18n.js) is loaded before this script.
  var t = window.coursegenI18n ? window.coursegenI18n.t : function (s, p) { return s.replace("%(error)s", p.error); };
  var SCORM12 = settings.standard === "1.2";
  var FORMAT = 1; // version of the suspend_data layout below
  var LIMIT = SCORM12 ? 4096 : 64000; // cmi.suspend_data's size in the standard

  var names = SCORM12 ? {
    init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    finish: "LMSFinish", error: "LMSGetLastError",
    suspend: "cmi.suspend_data", location: "cmi.core.lesson_location", exit: "cmi.core.exit",
    sessionTime: "cmi.core.session_time", raw: "cmi.core.score.raw", min: "cmi.core.score.min",
    max: "cmi.core.score.max", mastery: "cmi.student_data.mastery_score"
  } : {
    init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
    finish: "Terminate", error: "GetLastError",
    suspend: "cmi.suspend_data", location: "cmi.location", exit: "cmi.exit",
    sessionTime: "cmi.session_time", raw: "cmi.score.raw", min: "cmi.score.min",
    max: "cmi.score.max", mastery: "cmi.scaled_passing_score"
  };

  function scan(win, name) {
    var tries = 0;
    while (!win[name] && win.parent && win.parent !== win && tries < 500) {
      tries += 1;
      win = win.parent;
    }
    return win[name] || null;
  }

  // The SCORM API discovery algorithm: parents first, then the opener and its parents. A window
  // of another origin throws on access; that branch simply has no API.
  function findAPI(name) {
    var candidates = [function () { return window; }, function () { return window.opener; },
                      function () { return window.top.opener; }];
    for (var i = 0; i < candidates.length; i++) {
      try {
        var start = candidates[i]();
        var api = start ? scan(start, name) : null;
        if (api) return api;
      } catch (e) { /* another origin: look elsewhere */ }
    }
    return null;
  }

  var api = findAPI(SCORM12 ? "API" : "API_1484_11");
  var frame = document.getElementById("coursegen-frame");
  var active = false;
  var finished = false;
  var started = new Date();
  var records = Object.create(null); // storage key -> JSON string, as quiz.js wrote it
  var visited = [];
  var lastStatus = {};

  function call(method) {
    var args = Array.prototype.slice.call(arguments, 1);
    try {
      return String(api[names[method]].apply(api, args));
    } catch (e) {
      return "";
    }
  }
  function get(element) { return call("get", element); }
  function set(element, value) {
    if (lastStatus[element] === String(value)) return;
    if (call("set", element, String(value)) === "true") lastStatus[element] = String(value);
  }

  // --- suspend_data: [FORMAT, visited pages as "0"/"1", one entry per quiz in course order] ----
  // A quiz entry is 0 (not tried) or [quiz hash, best %, last %, passed 0/1, attempts, answers],
  // and an exam's entry adds its last submit time (seconds since 1970), which its wait between
  // attempts counts from; answers list each question's chosen options (base 36 digits), "."
  // between questions.

  // path.js's records (role, lessons read, knowledge-check answers) ride along as a fourth
  // element, when there are any: {key without "coursegen:<course>:": record}.
  var PREFIX = "coursegen:" + settings.course + ":";
  var EXTRA_KEY = /^[a-z0-9-]{1,64}(:[a-z0-9-]{1,64}){0,2}$/;

  function isExtra(key) {
    return key.indexOf(PREFIX) === 0 && !settings.quizKeys[key] && EXTRA_KEY.test(key.slice(PREFIX.length));
  }

  // level 2: every record; 1: without knowledge-check answers; 0: none.
  function extras(level) {
    var out = {};
    var any = false;
    if (level === 0) return null;
    Object.keys(records).sort().forEach(function (key) {
      if (!isExtra(key)) return;
      var r;
      try { r = JSON.parse(records[key]); } catch (e) { return; }
      if (!r || typeof r !== "object") return;
      if (level < 2) delete r.checks;
      out[key.slice(PREFIX.length)] = r;
      any = true;
    });
    return any ? out : null;
  }

  // An answer that is not a list of indexes 0-35 (typed text, "none" in a matching question) is
  // written as "~" and its JSON, URI-encoded with "." escaped too.
  function simple(chosen) {
    return Array.isArray(chosen) && chosen.every(function (n) { return typeof n === "number" && n % 1 === 0 && n >= 0 && n < 36; });
  }

  function encodeAnswers(quiz, answers) {
    return quiz.questions.map(function (id) {
      var chosen = answers[id];
      if (chosen === undefined || chosen === null) return "";
      if (simple(chosen)) return chosen.map(function (n) { return n.toString(36); }).join("");
      return "~" + encodeURIComponent(JSON.stringify(chosen)).replace(/\./g, "%2E");
    }).join(".");
  }

  function cleanAnswer(value) {
    if (typeof value === "string") return value.slice(0, 500);
    if (!Array.isArray(value)) return [];
    return value.slice(0, 64).filter(function (n) { return typeof n === "number" && n % 1 === 0 && n >= -1 && n < 64; });
  }

  function decodeAnswers(quiz, text) {
    var parts = String(text || "").split(".");
    var answers = {};
    quiz.questions.forEach(function (id, i) {
      var part = parts[i] || "";
      if (part.charAt(0) === "~") {
        try { answers[id] = cleanAnswer(JSON.parse(decodeURIComponent(part.slice(1)))); } catch (e) { answers[id] = []; }
        return;
      }
      answers[id] = part.split("").map(function (c) { return parseInt(c, 36); })
        .filter(function (n) { return n >= 0 && n < 64; });
    });
    return answers;
  }

  function pack(withAnswers, extraLevel) {
    var entries = settings.quizzes.map(function (quiz) {
      var raw = records[quiz.key];
      if (!raw) return 0;
      var r;
      try { r = JSON.parse(raw); } catch (e) { return 0; }
      var entry = [quiz.hash, r.best, r.last, r.passed ? 1 : 0, r.attempts, withAnswers ? encodeAnswers(quiz, r.answers || {}) : ""];
      if (typeof r.submittedAt === "number" && r.submittedAt > 0) entry.push(Math.floor(r.submittedAt / 1000));
      return entry;
    });
    var pages = settings.pages.map(function (page) { return visited.indexOf(page) === -1 ? "0" : "1"; }).join("");
    var kept = extras(extraLevel);
    return JSON.stringify(kept ? [FORMAT, pages, entries, kept] : [FORMAT, pages, entries]);
  }

  function suspendData() {
    // Too long for this standard: keep scores and statuses first; drop knowledge-check answers,
    // then the quizzes' chosen answers, then the lessons read and the role.
    var tries = [[true, 2], [true, 1], [false, 1], [false, 0]];
    var text = "";
    for (var i = 0; i < tries.length; i++) {
      text = pack(tries[i][0], tries[i][1]);
      if (text.length <= LIMIT) break;
    }
    return text;
  }

  function unpack(text) {
    var data;
    try { data = JSON.parse(text); } catch (e) { return; }
    if (!Array.isArray(data) || data[0] !== FORMAT || !Array.isArray(data[2])) return;
    String(data[1] || "").split("").forEach(function (bit, i) {
      if (bit === "1" && settings.pages[i]) visited.push(settings.pages[i]);
    });
    var kept = data[3] && typeof data[3] === "object" && !Array.isArray(data[3]) ? data[3] : {};
    Object.keys(kept).forEach(function (rest) {
      var value = kept[rest];
      if (isExtra(PREFIX + rest) && value && typeof value === "object") records[PREFIX + rest] = JSON.stringify(value);
    });
    settings.quizzes.forEach(function (quiz, i) {
      var e = data[2][i];
      // An entry from an older version of this quiz (another hash) no longer counts.
      if (!Array.isArray(e) || e[0] !== quiz.hash) return;
      var percent = function (n) { return Math.max(0, Math.min(100, Math.round(Number(n) || 0))); };
      records[quiz.key] = JSON.stringify({
        v: 1, best: percent(e[1]), last: percent(e[2]), passed: e[3] === 1,
        attempts: Math.max(0, parseInt(e[4], 10) || 0), answers: decodeAnswers(quiz, e[5]),
        submittedAt: typeof e[6] === "number" && isFinite(e[6]) && e[6] > 0 ? e[6] * 1000 : 0
      });
    });
  }

  // --- interactions: each question of each quiz attempt ----------------------------------------
  // SCORM 1.2 identifies options by single characters (a-z, 0-9) and separates with "," and ".";
  // SCORM 2004 uses short identifiers and the reserved "[,]" and "[.]".

  var CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

  function option(n, prefix) { return SCORM12 ? CHARS.charAt(n) : prefix + n; }

  function pattern(kind, value) {
    var comma = SCORM12 ? "," : "[,]";
    var dot = SCORM12 ? "." : "[.]";
    if (kind === "true-false") return SCORM12 ? (value[0] === 0 ? "t" : "f") : (value[0] === 0 ? "true" : "false");
    if (kind === "choice") return value.map(function (n) { return option(n, "choice-"); }).join(comma);
    if (kind === "sequencing") return value.map(function (n) { return option(n, "item-"); }).join(comma);
    if (kind === "matching") {
      // 1.2: items are letters, matches digits then letters (up to 36 of each).
      return value.map(function (p) {
        return SCORM12 ? CHARS.charAt(p[0]) + dot + CHARS.charAt((p[1] + 26) % 36) : "item-" + p[0] + dot + "match-" + p[1];
      }).join(comma);
    }
    return String(value).slice(0, 250); // fill-in text, a scenario's ending id
  }

  function clock(date) {
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    if (SCORM12) return two(date.getHours()) + ":" + two(date.getMinutes()) + ":" + two(date.getSeconds());
    return date.toISOString().slice(0, 22) + "Z"; // hundredths of a second, as the standard has them
  }

  function interactions(quiz, answers) {
    var describe = window.coursegenInteractions && window.coursegenInteractions.describe;
    if (!describe || !Array.isArray(quiz.details)) return;
    var count = parseInt(get("cmi.interactions._count"), 10);
    if (!isFinite(count) || count < 0) return; // this LMS keeps no interactions
    var now = new Date();
    quiz.details.forEach(function (q) {
      var d = describe(q, answers[q.id]);
      if (!d) return; // not answered, or saved in a form this version does not know: skip it
      var base = "cmi.interactions." + count + ".";
      var kind = SCORM12 && d.kind === "other" ? "performance" : d.kind; // 1.2 has no "other"
      var id = SCORM12 ? quiz.module + "--" + q.id : "urn:coursegen:" + settings.course + ":" + quiz.module + ":" + q.id;
      if (call("set", base + "id", id) !== "true") return;
      call("set", base + "type", kind);
      if (!SCORM12 && q.prompt) call("set", base + "description", String(q.prompt).slice(0, 250));
      call("set", base + (SCORM12 ? "student_response" : "learner_response"), pattern(d.kind, d.response));
      if (d.correct.length) call("set", base + "correct_responses.0.pattern", pattern(d.kind, d.kind === "fill-in" || d.kind === "other" ? d.correct[0] : d.correct));
      call("set", base + "result", d.right ? "correct" : SCORM12 ? "wrong" : "incorrect");
      call("set", base + "weighting", String(Number(q.points) > 0 ? Number(q.points) : 1));
      call("set", base + (SCORM12 ? "time" : "timestamp"), clock(now));
      count += 1;
    });
  }

  // --- status and score -------------------------------------------------------------------------

  function threshold() {
    // The LMS's own pass mark, when it sets one, wins over the package's.
    var given = get(names.mastery);
    var n = parseFloat(given);
    if (given !== "" && isFinite(n)) return SCORM12 ? n : n * 100;
    return settings.passMark;
  }

  function progress() {
    var tried = 0;
    var total = 0;
    settings.quizzes.forEach(function (quiz) {
      var raw = records[quiz.key];
      if (!raw) return;
      try {
        var r = JSON.parse(raw);
        if (r.attempts > 0) { tried += 1; total += Number(r.best) || 0; }
      } catch (e) { /* an unreadable record counts as not tried */ }
    });
    var count = settings.quizzes.length;
    return {
      any: tried > 0,
      all: count > 0 && tried === count,
      score: count ? Math.round((100 * total) / count) / 100 : 0,
      seenAll: settings.pages.every(function (page) { return visited.indexOf(page) !== -1; })
    };
  }

  function report() {
    var p = progress();
    var hasQuiz = settings.quizzes.length > 0;
    var passed = p.all && p.score >= threshold();
    if (p.any) {
      set(names.min, 0);
      set(names.max, 100);
      set(names.raw, p.score);
      if (!SCORM12) set("cmi.score.scaled", Math.round(p.score * 100) / 10000);
    }
    if (SCORM12) {
      var status = "incomplete";
      if (!hasQuiz) status = p.seenAll ? "completed" : "incomplete";
      else if (p.all) status = passed ? "passed" : settings.failedStatus;
      set("cmi.core.lesson_status", status);
    } else {
      var done = hasQuiz ? p.all : p.seenAll;
      set("cmi.completion_status", done ? "completed" : "incomplete");
      if (hasQuiz) set("cmi.success_status", p.all ? (passed ? "passed" : "failed") : "unknown");
    }
    set(names.suspend, suspendData());
  }

  function commit() {
    if (!active || finished) return;
    call("commit", "");
  }

  function sessionTime() {
    var seconds = Math.max(0, Math.round((new Date() - started) / 1000));
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    if (!SCORM12) return "PT" + h + "H" + m + "M" + s + "S";
    var two = function (n) { return (n < 10 ? "0" : "") + n; };
    return (h < 1000 ? ("000" + h).slice(-4) : String(h)) + ":" + two(m) + ":" + two(s);
  }

  function finish() {
    if (!active || finished) return;
    report();
    set(names.sessionTime, sessionTime());
    set(names.exit, "suspend"); // keep suspend_data for the next launch
    call("commit", "");
    call("finish", "");
    finished = true;
  }

  // A page path relative to the launcher, if it is one of the package's own pages.
  function relative(href) {
    var base = window.location.href.replace(/[?#].*$/, "").replace(/[^/]*$/, "");
    var clean = String(href).replace(/[?#].*$/, "");
    if (clean.indexOf(base) !== 0) return null;
    var rest = clean.slice(base.length);
    if (!/^[A-Za-z0-9._~\/-]{0,250}$/.test(rest) || rest.indexOf("..") !== -1 || rest.charAt(0) === "/") return null;
    return rest === "" || rest.charAt(rest.length - 1) === "/" ? rest + "index.html" : rest;
  }

  window.coursegenLMS = {
    active: function () { return active && !finished; },
    getItem: function (key) { return key in records ? records[key] : null; },
    setItem: function (key, value) {
      var quiz = settings.quizKeys[key];
      var before = quiz ? attemptsOf(records[key]) : 0;
      records[key] = value;
      if (isExtra(key) && active && !finished) report(); // committed with the next page shown
      if (!quiz) return; // a probe or a record of another course: kept in memory only
      if (active && !finished && attemptsOf(value) > before) {
        var record = JSON.parse(value);
        interactions(quiz, record.answers && typeof record.answers === "object" ? record.answers : {});
      }
      report();
      commit(); // a quiz result is worth keeping at once
    },
    removeItem: function (key) {
      delete records[key];
      if (isExtra(key) && active && !finished) report();
      if (settings.quizKeys[key]) { report(); commit(); }
    },
    keys: function () { return Object.keys(records); },
    commit: function () { if (active && !finished) { report(); commit(); } },
    pageShown: function (href) {
      var page = relative(href);
      if (!page || !active || finished) return;
      if (settings.pages.indexOf(page) !== -1 && visited.indexOf(page) === -1) visited.push(page);
      set(names.location, page);
      report();
      commit(); // a new page is a sensible moment: where the learner is, and what they have seen
    }
  };

  function attemptsOf(raw) {
    try { var r = JSON.parse(raw); return r && typeof r === "object" ? Math.max(0, parseInt(r.attempts, 10) || 0) : 0; } catch (e) { return 0; }
  }

  settings.quizKeys = {};
  settings.quizzes.forEach(function (quiz) { settings.quizKeys[quiz.key] = quiz; });

  function start() {
    var location = settings.start;
    if (api && call("init", "") === "true") {
      active = true;
      unpack(get(names.suspend));
      var saved = relative(new URL(get(names.location) || settings.start, window.location.href).href);
      if (saved) location = saved;
      if (SCORM12) {
        var status = get("cmi.core.lesson_status");
        if (status === "not attempted" || status === "") set("cmi.core.lesson_status", "incomplete");
      } else {
        var completion = get("cmi.completion_status");
        if (completion === "not attempted" || completion === "unknown" || completion === "") {
          set("cmi.completion_status", "incomplete");
        }
      }
      report();
      commit();
      window.addEventListener("pagehide", finish);
      frame.src = location;
      frame.hidden = false;
    } else if (api) {
      // An LMS is there but refused the session: say so, rather than let the learner believe
      // their results are recorded; the course still works, keeping results in this browser.
      var message = document.getElementById("coursegen-message");
      message.textContent = t("The learning system did not start a session (error %(error)s), so it will not record " +
        "your results. Close the course and open it again from the learning system.", { error: call("error") });
      message.hidden = false;
      frame.src = location;
      frame.hidden = false;
    } else {
      // No LMS: the package is the normal site.
      window.location.replace(location);
    }
  }

  start();
})();
