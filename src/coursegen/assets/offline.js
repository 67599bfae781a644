/* coursegen: keep the course offline after the first visit (registers coursegen-sw.js, see sw.js)
 * and say when a newer version of the course is available, with a button to load it.
 * Only on http(s) pages in a secure context (https, or localhost while testing): browsers allow no
 * service worker from file://. The build leaves this script out of LMS packages. */
(function () {
  "use strict";

  var sw = navigator.serviceWorker;
  if (!sw || !window.isSecureContext || !/^https?:$/.test(location.protocol)) return;
  if (window.coursegenOffline) return; // instant navigation may run this script again
  var i18n = window.coursegenI18n || { t: function (s) { return s; } };
  var t = i18n.t;

  // The site's root, from Material's page configuration ("base": "../.." on a module page, "."
  // at the top): the worker lives there, so that its scope is the whole site.
  function siteRoot() {
    var base = ".";
    try {
      base = JSON.parse(document.getElementById("__config").textContent).base || ".";
    } catch (e) { /* no Material configuration: the page is at the top */ }
    return new URL(base.replace(/\/?$/, "/"), location.href);
  }

  var root = siteRoot();
  var note = null;
  var waiting = null;
  var reloading = false;
  var lastCheck = 0;

  // The note is a status region, present (empty) from the start so that screen readers announce
  // it when it fills; it holds a sentence and a button.
  function noteRegion() {
    if (note && document.body.contains(note)) return note;
    note = document.createElement("div");
    note.className = "cg-update";
    note.setAttribute("role", "status");
    document.body.appendChild(note);
    return note;
  }

  function showUpdate(worker) {
    waiting = worker;
    var region = noteRegion();
    if (region.firstChild) return;
    var text = document.createElement("p");
    text.textContent = t("A newer version of this course is available.");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = t("Reload");
    button.addEventListener("click", function () {
      reloading = true;
      button.disabled = true;
      if (waiting) waiting.postMessage("coursegen:activate");
    });
    region.appendChild(text);
    region.appendChild(button);
  }

  function watch(registration) {
    // A build waiting while this page is served by the one before: offer it.
    if (registration.waiting && sw.controller) showUpdate(registration.waiting);
    registration.addEventListener("updatefound", function () {
      var worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", function () {
        // No controller: this was the first install, nothing older to replace.
        if (worker.state === "installed" && sw.controller) showUpdate(worker);
      });
    });
    // Look for a new build now (the browser's own look after a page load is not guaranteed),
    // whenever the connection comes back, and, since instant navigation loads no page in full,
    // on a page change at most every ten minutes. Each look is one small request.
    function look() {
      lastCheck = Date.now();
      registration.update().catch(function () { /* offline or the site is down: later */ });
    }
    lastCheck = Date.now();
    // (Not on the first visit: the worker is being installed from the same file right now.)
    if (sw.controller && navigator.onLine !== false) look();
    window.addEventListener("online", look);
    if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
      window.document$.subscribe(function () {
        noteRegion();
        if (Date.now() - lastCheck >= 600000) look();
      });
    }
  }

  sw.addEventListener("controllerchange", function () {
    if (reloading) location.reload();
  });

  function start() {
    noteRegion();
    sw.register(new URL("coursegen-sw.js", root).href, { scope: root.pathname })
      .then(watch)
      .catch(function () { /* blocked by the browser or its settings: the site works online */ });
  }

  window.coursegenOffline = { root: root.href };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
