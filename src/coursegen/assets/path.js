/* coursegen learning paths and lesson progress: "Choose your role" on the home page, the chosen
 * path first with what is done and what is next, lessons read (scrolled to their end or marked
 * done), knowledge-check answers kept, "Continue" links, and the footer's previous/next along
 * the chosen path.
 * Progressive enhancement: without this script the whole course shows and nothing is hidden.
 * Safe to run many times (Material's instant navigation re-runs init on every page).
 *
 * What it keeps, next to quiz.js's records and under the same course prefix (so "Clear my
 * progress" clears it too):
 *   coursegen:<course>:path               {"v":1,"role":"<audience id>"}
 *   coursegen:<course>:<module>:lessons   {"v":1,"read":["<lesson hash>",...],"checks":{"<lesson hash>":{"<question id>":[0]}}}
 * A lesson is known by a hash of its content (model.Lesson.content_hash): an edited lesson starts
 * unread, and entries of lessons that no longer exist are dropped on the next save. */
(function () {
  "use strict";

  var VERSION = 1;
  var i18n = window.coursegenI18n || { t: function (s) { return s; }, tn: function (s, p, n) { return n === 1 ? s : p; } };
  var t = i18n.t;
  var tn = i18n.tn;

  // The same indirection as quiz.js: in an LMS package lms.js sets window.coursegenStore.
  function storage() { return window.coursegenStore || window.localStorage; }

  // Storage may be missing (private mode), full or hold anything: never let that break a page.
  function read(key) {
    try {
      var raw = storage().getItem(key);
      if (raw === null) return null;
      var data = JSON.parse(raw);
      return data && typeof data === "object" && data.v === VERSION ? data : null;
    } catch (e) {
      return null;
    }
  }
  function write(key, value) {
    try { storage().setItem(key, JSON.stringify(value)); } catch (e) { /* not saved: the page still works */ }
  }
  function remove(key) {
    try { storage().removeItem(key); } catch (e) { /* nothing to remove */ }
  }

  // --- the course map (coursemap.py: assets/coursegen/course-map-<language>.js, loaded before this) --

  // Its URLs are from the site's root, which the map script took from its own address: right on
  // every page, at any depth, after Material's instant navigation, on file:// and in LMS packages.
  var builtFrom = null;
  var built = null;

  function courseMap() {
    var data = window.coursegenCourseMap;
    if (data === builtFrom) return built;
    builtFrom = data;
    built = null;
    if (!data || typeof data !== "object" || !Array.isArray(data.modules) || !data.modules.length) return null;
    var root = String(data.root || document.baseURI);
    function url(path, anchor) { return new URL(String(path || "") + (anchor || ""), root).href; }
    function page(entry) { return entry && typeof entry === "object" ? { title: String(entry.title), href: url(entry.url) } : null; }
    var modules = data.modules.map(function (m) {
      var quiz = m.quiz && typeof m.quiz === "object" ? m.quiz : null;
      return {
        id: String(m.id),
        title: String(m.title),
        href: url(m.url),
        audiences: Array.isArray(m.audiences) ? m.audiences.map(String) : [],
        key: String(m.progress),
        quiz: quiz ? String(quiz.key) : "",
        quizHref: quiz ? url(m.url, quiz.anchor) : "",
        lessons: (Array.isArray(m.lessons) ? m.lessons : []).map(function (l) {
          return { hash: String(l.hash), title: String(l.title), href: url(m.url, l.anchor) };
        })
      };
    });
    built = {
      modules: modules,
      roleKey: modules[0].key.split(":").slice(0, 2).join(":") + ":path",
      home: page(data.home),
      progress: page(data.progress)
    };
    return built;
  }

  function progressOf(module) {
    var record = read(module.key) || {};
    return {
      read: Array.isArray(record.read) ? record.read.filter(function (h) { return typeof h === "string"; }) : [],
      checks: record.checks && typeof record.checks === "object" ? record.checks : {}
    };
  }

  // Only lessons the module has now are kept: a record never grows with old versions.
  function saveProgress(module, progress) {
    var current = module.lessons.map(function (l) { return l.hash; });
    var out = { v: VERSION, read: current.filter(function (h) { return progress.read.indexOf(h) !== -1; }) };
    var checks = {};
    current.forEach(function (h) { if (progress.checks[h] && typeof progress.checks[h] === "object") checks[h] = progress.checks[h]; });
    if (Object.keys(checks).length) out.checks = checks;
    write(module.key, out);
  }

  function quizPassed(module) {
    if (!module.quiz) return true;
    var record = read(module.quiz);
    return Boolean(record && record.passed === true);
  }

  function stateOf(module) {
    var progress = progressOf(module);
    var lessons = module.lessons.map(function (l) { return { lesson: l, read: progress.read.indexOf(l.hash) !== -1 }; });
    var readCount = lessons.filter(function (l) { return l.read; }).length;
    var passed = quizPassed(module);
    var next = null;
    lessons.some(function (l) { if (!l.read) { next = { title: l.lesson.title, href: l.lesson.href }; } return !l.read; });
    if (!next && !passed) next = { title: t("Quiz: %(module)s", { module: module.title }), href: module.quizHref || module.href };
    return { lessons: lessons, read: readCount, total: lessons.length, done: !next, next: next,
             started: readCount > 0 || Object.keys(progress.checks).length > 0 };
  }

  function role(map) {
    var record = read(map.roleKey);
    var id = record && typeof record.role === "string" ? record.role : "";
    return pathFor(map, id).length ? id : "";
  }

  function pathFor(map, id) {
    return id ? map.modules.filter(function (m) { return m.audiences.indexOf(id) !== -1; }) : [];
  }

  function lessonsText(state) {
    return tn("%(read)s of %(total)s lesson read", "%(read)s of %(total)s lessons read", state.total,
      { read: state.read, total: state.total });
  }

  // --- small DOM helpers: course text only ever becomes text nodes, never markup ------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function link(href, text, className) {
    var a = el("a", className, text);
    a.href = href;
    return a;
  }

  // A translated sentence whose placeholders are filled with nodes (a link inside a sentence),
  // so translators see the whole sentence.
  function sentence(tag, msgid, nodes, className) {
    var out = el(tag, className);
    var template = t(msgid);
    var pattern = /%\((\w+)\)s/g;
    var end = 0;
    var match;
    while ((match = pattern.exec(template)) !== null) {
      out.appendChild(document.createTextNode(template.slice(end, match.index)));
      var value = nodes[match[1]];
      out.appendChild(value && value.nodeType ? value : document.createTextNode(value === undefined ? match[0] : String(value)));
      end = pattern.lastIndex;
    }
    out.appendChild(document.createTextNode(template.slice(end)));
    return out;
  }

  // "✓ Read": the mark is decoration, the word says it (never colour or a glyph alone).
  function mark(done, doneText, openText) {
    var span = el("span", "cg-mark " + (done ? "cg-mark-done" : "cg-mark-open"));
    if (done) {
      var tick = el("span", "cg-tick", "✓ ");
      tick.setAttribute("aria-hidden", "true");
      span.appendChild(tick);
    }
    span.appendChild(document.createTextNode(done ? doneText : openText));
    return span;
  }

  // --- home page: choose your role, the path first, progress on the cards ---------------------------

  function firstUnfinished(modules) {
    for (var i = 0; i < modules.length; i++) {
      var state = stateOf(modules[i]);
      if (state.next) return state.next;
    }
    return null;
  }

  function renderPath(map, box) {
    var status = box.querySelector("[data-cg-path-status]");
    var chosen = role(map);
    box.querySelectorAll("input[name=cg-role]").forEach(function (input) { input.checked = input.value === chosen; });
    status.textContent = "";
    if (!chosen) {
      status.appendChild(el("p", "", t("Choose your role to see the modules for you, in order. Every module stays open to you.")));
      var anywhere = map.modules.some(function (m) { return stateOf(m).started; }) ? firstUnfinished(map.modules) : null;
      if (anywhere) status.appendChild(continueLink(anywhere));
      return;
    }
    var path = pathFor(map, chosen);
    var states = path.map(stateOf);
    var done = states.filter(function (s) { return s.done; }).length;
    var nextIndex = -1;
    states.some(function (s, i) { if (!s.done) nextIndex = i; return !s.done; });
    if (nextIndex === -1) {
      status.appendChild(el("p", "cg-path-summary", tn("You have done the %(total)s module of your path.",
        "You have done all %(total)s modules of your path.", path.length, { total: path.length })));
    } else {
      status.appendChild(sentence("p", "%(done)s of %(total)s done — next: %(module)s",
        { done: done, total: path.length, module: link(path[nextIndex].href, path[nextIndex].title) }, "cg-path-summary"));
    }
    var list = el("ul", "cg-path-list"); // module titles carry their own numbers
    list.setAttribute("aria-label", t("Modules of your path"));
    path.forEach(function (module, i) {
      var item = el("li", states[i].done ? "cg-path-done" : "");
      item.appendChild(link(module.href, module.title));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(mark(states[i].done, t("Done"), lessonsText(states[i])));
      list.appendChild(item);
    });
    status.appendChild(list);
    if (nextIndex !== -1) status.appendChild(continueLink(states[nextIndex].next));
  }

  function continueLink(next) {
    var p = el("p", "cg-continue");
    p.appendChild(link(next.href, t("Continue: %(lesson)s", { lesson: next.title }), "md-button md-button--primary"));
    return p;
  }

  function initHome(map) {
    var box = document.querySelector("[data-cg-path]");
    if (box) {
      if (!box.dataset.cgReady) {
        box.dataset.cgReady = "1";
        // One click (or one arrow key) changes the role; the status below says what changed.
        box.addEventListener("change", function (event) {
          var input = event.target;
          if (!input || input.name !== "cg-role") return;
          if (input.value) write(map.roleKey, { v: VERSION, role: input.value });
          else remove(map.roleKey);
          renderPath(map, box);
        });
      }
      box.hidden = false;
      renderPath(map, box);
    }
    document.querySelectorAll("[data-cg-card-lessons]").forEach(function (span) {
      var module = map.modules.filter(function (m) { return m.id === span.dataset.cgCardLessons; })[0];
      if (!module) return;
      span.textContent = lessonsText(stateOf(module));
      span.hidden = false;
    });
  }

  // --- module page: lessons read, checks kept, the lesson list and the table of contents ----------

  var observer = null;

  function currentModule(map) {
    var nav = document.querySelector("[data-cg-module-progress]");
    if (!nav) return null;
    return map.modules.filter(function (m) { return m.id === nav.dataset.module; })[0] || null;
  }

  function markRead(module, hash) {
    var progress = progressOf(module);
    if (progress.read.indexOf(hash) !== -1) return;
    progress.read.push(hash);
    saveProgress(module, progress);
    renderModule(module);
  }

  function renderModule(module) {
    var nav = document.querySelector("[data-cg-module-progress]");
    if (!nav || nav.dataset.module !== module.id) return; // the learner has moved on
    var state = stateOf(module);
    nav.querySelector("[data-cg-lessons-summary]").textContent = lessonsText(state);
    var readHashes = {};
    state.lessons.forEach(function (l) { if (l.read) readHashes[l.lesson.hash] = true; });
    nav.querySelectorAll("[data-cg-lesson-item]").forEach(function (item) {
      var slot = item.querySelector("[data-cg-lesson-state]");
      slot.textContent = "";
      slot.appendChild(mark(readHashes[item.dataset.cgLessonItem] === true, t("Read"), t("Not read yet")));
    });
    var cont = nav.querySelector("[data-cg-continue]");
    cont.textContent = "";
    if (state.next) {
      cont.appendChild(link(state.next.href, t("Continue: %(lesson)s", { lesson: state.next.title })));
    } else {
      cont.appendChild(document.createTextNode(t("You have finished this module.")));
    }
    cont.hidden = false;
    document.querySelectorAll("[data-cg-lesson-end]").forEach(function (end, index) {
      var done = readHashes[end.dataset.cgLessonEnd] === true;
      // The button stays as it is (pressing it again does nothing): reaching it already counts
      // as reading, so hiding or renaming it would pull it from under the learner's finger.
      end.classList.toggle("cg-lesson-read", done);
      var said = end.querySelector("[data-cg-lesson-done]");
      said.textContent = "";
      if (done) said.appendChild(mark(true, t("You have read this lesson."), ""));
      tocMark(index + 1, done);
    });
    nav.hidden = false;
  }

  // The lesson's entry in Material's table of contents gets "✓ read" too.
  function tocMark(number, done) {
    var start = document.getElementById("cg-lesson-" + number);
    var heading = start && start.nextElementSibling;
    if (!heading || !heading.id) return;
    // Material writes these links in full (with site_url, for instant navigation): match the fragment.
    document.querySelectorAll(".md-nav--secondary a[href*='#']").forEach(function (a) {
      if (a.hash !== "#" + heading.id) return;
      var old = a.querySelector(".cg-toc-read");
      if (old) old.remove();
      if (!done) return;
      var span = el("span", "cg-toc-read");
      var tick = el("span", "", " ✓");
      tick.setAttribute("aria-hidden", "true");
      span.appendChild(tick);
      span.appendChild(el("span", "cg-sr-only", " " + t("Read")));
      a.appendChild(span);
    });
  }

  // The lesson a knowledge check belongs to: the first lesson end after it.
  function lessonOfForm(form, ends) {
    for (var i = 0; i < ends.length; i++) {
      if (form.compareDocumentPosition(ends[i]) & Node.DOCUMENT_POSITION_FOLLOWING) return ends[i].dataset.cgLessonEnd;
    }
    return "";
  }

  function initModule(map) {
    var module = currentModule(map);
    if (!module) return;
    var ends = Array.prototype.slice.call(document.querySelectorAll("[data-cg-lesson-end]"));
    ends.forEach(function (end) {
      end.hidden = false;
      var button = end.querySelector("[data-cg-done]");
      if (!button.dataset.cgReady) {
        button.dataset.cgReady = "1";
        button.addEventListener("click", function () { markRead(module, end.dataset.cgLessonEnd); });
      }
    });
    // Scrolling to a lesson's end counts as reading it (the area under Material's fixed header
    // does not count as seen).
    if ("IntersectionObserver" in window) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting && entry.target.isConnected) markRead(module, entry.target.dataset.cgLessonEnd);
        });
      }, { rootMargin: "-64px 0px 0px 0px", threshold: 1 });
      ends.forEach(function (end) { observer.observe(end); });
    }
    // Knowledge checks answered before: shown as checked, with their feedback.
    var progress = progressOf(module);
    document.querySelectorAll("form[data-cg-quiz][data-kind=check]").forEach(function (form) {
      form.dataset.cgLesson = lessonOfForm(form, ends);
      var kept = progress.checks[form.dataset.cgLesson];
      if (kept && window.coursegenQuiz && window.coursegenQuiz.restore) window.coursegenQuiz.restore(form, kept);
    });
    renderModule(module);
  }

  // quiz.js announces every checked form; a knowledge check's answers are kept here.
  function onGraded(event) {
    var form = event.target;
    var map = courseMap();
    if (!map || !form.dataset || form.dataset.kind !== "check" || !form.dataset.cgLesson) return;
    var module = currentModule(map);
    if (!module || !event.detail || typeof event.detail.answers !== "object") return;
    var progress = progressOf(module);
    progress.checks[form.dataset.cgLesson] = event.detail.answers;
    saveProgress(module, progress);
    renderModule(module);
  }

  // --- the footer's previous and next along the chosen path -------------------------------------

  function pointFooter(a, target) {
    if (!a || !target) return;
    a.href = target.href;
    var title = a.querySelector(".md-ellipsis");
    if (title) title.textContent = target.title;
    var direction = a.querySelector(".md-footer__direction");
    // Material's own label: "<direction>: <title>", the direction in the site's language.
    if (direction) a.setAttribute("aria-label", direction.textContent.trim() + ": " + target.title);
    a.dataset.cgFollowsPath = "1";
  }

  function followPath(map) {
    var module = currentModule(map);
    var chosen = role(map);
    if (!module || !chosen) return;
    var path = pathFor(map, chosen);
    var at = path.map(function (m) { return m.id; }).indexOf(module.id);
    if (at === -1) return; // a module outside the path keeps the course order
    var prev = at > 0 ? path[at - 1] : map.home;
    var next = at < path.length - 1 ? path[at + 1] : map.progress;
    pointFooter(document.querySelector("a.md-footer__link--prev"), prev);
    pointFooter(document.querySelector("a.md-footer__link--next"), next);
    // Material's keyboard shortcuts (p, n) follow these.
    var headPrev = document.querySelector("link[rel=prev]");
    var headNext = document.querySelector("link[rel=next]");
    if (headPrev && prev) headPrev.href = prev.href;
    if (headNext && next) headNext.href = next.href;
  }

  // --- progress page: lessons read per module ----------------------------------------------------

  function renderProgressPage(map) {
    var box = document.querySelector("[data-cg-lessons-read]");
    if (!box) return;
    var list = box.querySelector("[data-cg-lessons-read-list]");
    list.textContent = "";
    map.modules.forEach(function (module) {
      var state = stateOf(module);
      var item = el("li");
      item.appendChild(link(module.href, module.title));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "cg-lessons-count", lessonsText(state)));
      var lessons = el("ul");
      state.lessons.forEach(function (l) {
        var li = el("li");
        li.appendChild(link(l.lesson.href, l.lesson.title));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(mark(l.read, t("Read"), t("Not read yet")));
        lessons.appendChild(li);
      });
      item.appendChild(lessons);
      list.appendChild(item);
    });
    box.hidden = false;
    // quiz.js clears every record of the course (ours too) on "Clear my progress"; its handler
    // runs first, so this one shows the result.
    var clear = document.querySelector("[data-cg-clear]");
    if (clear && !clear.dataset.cgPathReady) {
      clear.dataset.cgPathReady = "1";
      clear.addEventListener("click", function () { renderProgressPage(map); });
    }
  }

  function init() {
    if (observer) observer.disconnect(); // the last page's lessons
    observer = null;
    var map = courseMap();
    if (!map) return;
    initHome(map);
    initModule(map);
    followPath(map);
    renderProgressPage(map);
  }

  if (!window.coursegenPathListening) {
    window.coursegenPathListening = true;
    document.addEventListener("cg:graded", onGraded);
  }
  // Material's document$ fires after each instant navigation, but never from file://, so the page
  // also initialises on its own load; init is idempotent.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
