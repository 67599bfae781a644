/* coursegen LMS bridge, loaded (before quiz.js) only in pages built for an LMS package.
 * The package's launcher page holds the one LMS session and shows the site in a frame; this
 * script gives quiz.js the launcher's store (localStorage's interface) as window.coursegenStore,
 * so results go to the LMS. Without a launcher above it (the package opened as a plain site),
 * it does nothing and quiz.js keeps results in this browser. */
(function () {
  "use strict";

  var launcher = null;
  try {
    // Reading a property of a parent from another origin throws: then there is no launcher.
    if (window.parent !== window && window.parent.coursegenLMS) launcher = window.parent.coursegenLMS;
  } catch (e) {
    launcher = null;
  }
  if (!launcher || !launcher.active()) return;

  var store = {
    getItem: function (key) { return launcher.getItem(String(key)); },
    setItem: function (key, value) { launcher.setItem(String(key), String(value)); },
    removeItem: function (key) { launcher.removeItem(String(key)); },
    key: function (index) { var keys = launcher.keys(); return index < keys.length ? keys[index] : null; }
  };
  Object.defineProperty(store, "length", { get: function () { return launcher.keys().length; } });
  window.coursegenStore = store;

  // Leaving a page is a sensible moment to make sure the LMS has everything.
  window.addEventListener("pagehide", function () { launcher.commit(); });
  launcher.pageShown(window.location.href);
})();
