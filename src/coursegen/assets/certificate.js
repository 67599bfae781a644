/* coursegen certificate of completion: reads the quiz results quiz.js saves in localStorage
 * (keys "coursegen:<course>[:<language>]:<module>:<quiz hash>", records {v: 1, best, passed, ...}) and, when
 * every module quiz of the chosen learning path is passed, fills in a printable certificate.
 * Read-only: it never writes results. Safe to run many times (Material's instant navigation). */
(function () {
  "use strict";

  var VERSION = 1;
  // Learner-visible text goes through t()/tn() (assets/i18n.js), so each language can translate it.
  var i18n = window.coursegenI18n || { t: function (s) { return s; }, tn: function (s, p, n) { return n === 1 ? s : p; } };
  var t = i18n.t;

  // The same checks quiz.js makes: anything unreadable or foreign counts as "not passed".
  function record(key) {
    try {
      var data = JSON.parse(window.localStorage.getItem(key));
      if (!data || typeof data !== "object" || data.v !== VERSION) return null;
      if (typeof data.best !== "number" || !isFinite(data.best)) return null;
      return { best: Math.max(0, Math.min(100, Math.round(data.best))), passed: data.passed === true };
    } catch (e) {
      return null;
    }
  }

  function modulesOf(setup, path) {
    return Array.prototype.filter.call(setup.querySelectorAll("[data-cg-cert-module]"), function (li) {
      return !path || li.dataset.paths.split(" ").indexOf(path) !== -1;
    });
  }

  function update(setup) {
    var select = setup.querySelector("[data-cg-cert-path]");
    var path = select.value;
    var quizzed = 0;
    var passed = 0;
    setup.querySelectorAll("[data-cg-cert-module]").forEach(function (li) { li.hidden = true; });
    modulesOf(setup, path).forEach(function (li) {
      li.hidden = false;
      if (!li.dataset.key) return;
      quizzed += 1;
      var found = record(li.dataset.key);
      var state = li.querySelector("[data-cg-cert-state]");
      if (found && found.passed) {
        passed += 1;
        state.textContent = t("Passed, best score %(score)s%", { score: found.best });
      } else {
        state.textContent = found ? t("Not passed yet (best score %(score)s%)", { score: found.best }) : t("Not passed yet");
      }
    });
    var ready = quizzed > 0 && passed === quizzed;
    var status = setup.querySelector("[data-cg-cert-status]");
    status.textContent = ready
      ? t("You have passed every module quiz of this path. Type your name to make your certificate.")
      : t("You have passed %(passed)s of %(total)s module quizzes of this path. Pass them all to get a certificate.",
        { passed: passed, total: quizzed });
    setup.querySelector("[data-cg-cert-form]").hidden = !ready;
    if (!ready) document.querySelector("[data-cg-certificate]").hidden = true;
    return ready;
  }

  function fill(setup, name) {
    var select = setup.querySelector("[data-cg-cert-path]");
    var certificate = document.querySelector("[data-cg-certificate]");
    certificate.querySelector("[data-cg-cert-name]").textContent = name;
    certificate.querySelector("[data-cg-cert-path-name]").textContent = select.options[select.selectedIndex].dataset.title;
    var rows = certificate.querySelector("[data-cg-cert-rows]");
    while (rows.firstChild) rows.removeChild(rows.firstChild);
    modulesOf(setup, select.value).forEach(function (li) {
      if (!li.dataset.key) return;
      var row = document.createElement("tr");
      var title = document.createElement("td");
      var score = document.createElement("td");
      title.textContent = li.dataset.title;
      score.textContent = record(li.dataset.key).best + "%";
      row.appendChild(title);
      row.appendChild(score);
      rows.appendChild(row);
    });
    // The date in the page's language (<html lang>, which theme.language sets).
    var locale = document.documentElement.lang || "en-US";
    certificate.querySelector("[data-cg-cert-date]").textContent = new Date().toLocaleDateString(locale, {
      year: "numeric", month: "long", day: "numeric"
    });
    certificate.hidden = false;
    certificate.scrollIntoView({ block: "start" });
  }

  function init() {
    var setup = document.querySelector("[data-cg-cert-setup]");
    if (!setup || setup.dataset.cgReady) return;
    setup.dataset.cgReady = "1";
    setup.querySelector("[data-cg-cert-nojs]").hidden = true;
    setup.querySelector("[data-cg-cert-choose]").hidden = false;
    setup.querySelector("[data-cg-cert-modules]").hidden = false;
    var select = setup.querySelector("[data-cg-cert-path]");
    var form = setup.querySelector("[data-cg-cert-form]");
    var input = form.querySelector("[data-cg-cert-name-input]");
    select.addEventListener("change", function () { update(setup); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = input.value.replace(/\s+/g, " ").trim().slice(0, 100);
      var status = setup.querySelector("[data-cg-cert-status]");
      if (!name) {
        status.textContent = t("Type your name first.");
        input.focus();
        return;
      }
      if (update(setup)) fill(setup, name);
    });
    document.querySelector("[data-cg-cert-print]").addEventListener("click", function () { window.print(); });
    update(setup);
  }

  // Material's document$ announces each page of instant navigation; it may never fire (from
  // file://, or if Material's script fails), so the page initialises on its own load as well.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) window.document$.subscribe(init);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
