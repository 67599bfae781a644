/* A stand-in LMS for the browser tests: scorm-again (an independent SCORM runtime) as the API
 * the package finds on its parent window, and the package's launch page in a frame, as an LMS
 * shows it. Every value the content sets and every commit is recorded for the test to read. */
window.harness = {
  sets: [],
  commits: [],
  start: function (version, folder, saved) {
    var settings = { logLevel: 5, autocommit: false };
    var api = version === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
    if (saved) api.loadFromJSON(saved, "");
    var prefix = version === "1.2" ? "LMS" : "";
    var self = this;
    api.on(prefix + "SetValue.cmi.*", function (element, value) { self.sets.push([element, String(value)]); });
    api.on(prefix + "Commit", function () { self.commits.push(JSON.parse(JSON.stringify(api.cmi))); });
    api.on(version === "1.2" ? "LMSFinish" : "Terminate", function () { self.finished = true; });
    if (version === "1.2") window.API = api; else window.API_1484_11 = api;
    this.api = api;
    var frame = document.createElement("iframe");
    frame.title = "Course";
    frame.src = folder + "/coursegen-launch.html";
    document.body.appendChild(frame);
  },
  // What the LMS has stored, as committed last.
  committed: function () { return this.commits.length ? this.commits[this.commits.length - 1] : null; },
  // The last value the content itself set for an element (the runtime may override some).
  lastSet: function (element) {
    for (var i = this.sets.length - 1; i >= 0; i--) if (this.sets[i][0] === element) return this.sets[i][1];
    return null;
  }
};
