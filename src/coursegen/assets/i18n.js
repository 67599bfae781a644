/* coursegen: the learner-visible strings of every coursegen script, translated.
 * t("You scored %(score)s%", {score: 80}) and tn(singular, plural, n, params) look the English
 * text up in window.coursegenCatalog (written by the build for the site's language) and fall
 * back to the English text. Loaded before every other coursegen script. */
(function () {
  "use strict";

  function catalog() {
    var found = window.coursegenCatalog;
    return found && typeof found === "object" ? found : { messages: {}, plural: null };
  }

  function fill(text, params) {
    if (!params) return text;
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }

  function t(msgid, params) {
    var found = catalog().messages || {};
    var text = Object.prototype.hasOwnProperty.call(found, msgid) ? found[msgid] : msgid;
    return fill(typeof text === "string" ? text : msgid, params);
  }

  function tn(singular, plural, n, params) {
    var data = catalog();
    var forms = (data.messages || {})[singular];
    var index = typeof data.plural === "function" ? Number(data.plural(n)) : (n === 1 ? 0 : 1);
    var text = Array.isArray(forms) && typeof forms[index] === "string" ? forms[index] : (n === 1 ? singular : plural);
    return fill(text, params);
  }

  window.coursegenI18n = { t: t, tn: tn };
})();
