/* coursegen xAPI statement queue: statements are kept (in localStorage when it works) until the
 * LRS has stored them, and sent one at a time, in order. A statement that cannot be sent (the
 * network dropped) stays first in the queue and is sent again when the browser is back online,
 * on the next statement, every little while, and at the next launch. Every statement gets its id
 * here, so sending one twice cannot record it twice (the LRS answers 409 for a known id). */
(function () {
  "use strict";

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // options: storageKey, endpoint (ends with "/"), auth ("Basic ..."), onChange(pendingCount).
  function Queue(options) {
    this.options = options;
    this.memory = [];
    this.sending = false;
    this.delay = 2000;
    this.timer = null;
    var self = this;
    window.addEventListener("online", function () { self.delay = 2000; self.flush(); });
  }

  Queue.prototype.load = function () {
    try {
      var raw = window.localStorage.getItem(this.options.storageKey);
      var list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return this.memory;
    }
  };

  Queue.prototype.save = function (list) {
    this.memory = list;
    try {
      if (list.length) window.localStorage.setItem(this.options.storageKey, JSON.stringify(list));
      else window.localStorage.removeItem(this.options.storageKey);
    } catch (e) { /* no storage: the queue lives as long as the page */ }
    if (this.options.onChange) this.options.onChange(list.length);
  };

  Queue.prototype.pending = function () { return this.load().length; };

  Queue.prototype.add = function (statement) {
    if (!statement.id) statement.id = uuid();
    if (!statement.timestamp) statement.timestamp = new Date().toISOString();
    var list = this.load();
    list.push(statement);
    this.save(list);
    this.flush();
    return statement.id;
  };

  Queue.prototype.request = function (body, keepalive) {
    return window.fetch(this.options.endpoint + "statements", {
      method: "POST",
      keepalive: Boolean(keepalive),
      headers: {
        "Content-Type": "application/json",
        "X-Experience-API-Version": "1.0.3",
        Authorization: this.options.auth
      },
      body: JSON.stringify(body)
    });
  };

  Queue.prototype.retryLater = function () {
    var self = this;
    if (this.timer) return;
    this.timer = window.setTimeout(function () { self.timer = null; self.flush(); }, this.delay);
    this.delay = Math.min(this.delay * 2, 60000);
  };

  Queue.prototype.flush = function () {
    var self = this;
    if (this.sending) return;
    var list = this.load();
    if (!list.length) return;
    this.sending = true;
    var first = list[0];
    this.request(first, false).then(function (response) {
      self.sending = false;
      // Stored, or stored before (409: an id the LRS knows); any other refusal would block the
      // queue for ever, so that statement is dropped and the problem reported in the console.
      if (!response.ok && response.status !== 409) {
        if (response.status >= 500) { self.retryLater(); return; }
        window.console.warn("coursegen: the LRS refused a statement (" + response.status + "); it is dropped.");
      }
      var now = self.load();
      if (now.length && now[0].id === first.id) now.shift();
      self.save(now);
      self.delay = 2000;
      self.flush();
    }, function () {
      self.sending = false; // offline or the LRS is unreachable: keep it, try again later
      self.retryLater();
    });
  };

  // The page is going away: hand what is still queued to the browser in requests that outlive
  // the page (one per statement, so one the LRS already has cannot hold back the others). They
  // stay queued too, in case these do not arrive; a second copy is refused by id, not recorded.
  Queue.prototype.flushOnExit = function () {
    var self = this;
    this.load().forEach(function (statement) {
      try { self.request(statement, true).catch(function () {}); } catch (e) { /* nothing more to do */ }
    });
  };

  window.coursegenXapiQueue = function (options) { return new Queue(options); };
  window.coursegenXapiQueue.uuid = uuid;
})();
