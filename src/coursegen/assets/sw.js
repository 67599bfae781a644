/* coursegen: the course offline after the first visit (a service worker).
 *
 * The build writes this file to the site's root as coursegen-sw.js, with BUILD filled in: the
 * build's version (a hash of every file below) and the files to keep, relative to this file.
 *
 * Strategy: one snapshot per build. On install every listed file (pages, Material's and
 * coursegen's assets, the search index) is fetched into a cache named after the build; every
 * request for a listed file is then answered from that cache (cache first), so pages and assets
 * always come from the same build, on a slow link as fast as offline. Anything not listed goes to
 * the network; an unlisted page while offline gets the cached 404 page. A new build means a new
 * coursegen-sw.js (its version changed): the browser installs it beside the running one, which
 * keeps serving until the learner presses "Reload" on the note offline.js shows (or closes every
 * tab of the course); then the old build's cache is deleted.
 *
 * BUILD is null when the site was built with offline off or is being served by `coursegen serve`:
 * this worker then removes itself and its caches, so a browser that kept an earlier build
 * never shows stale pages. It sends nothing anywhere: only this site's own files are fetched. */
"use strict";

var BUILD = __COURSEGEN_BUILD__;
var ROOT = new URL("./", self.location.href);
// One course per folder of an origin: caches are named after the folder, so two courses on one
// host never delete each other's.
var PREFIX = "coursegen:" + ROOT.pathname + ":";
var CACHE = BUILD ? PREFIX + BUILD.version : null;

function ownCaches() {
  return caches.keys().then(function (names) {
    return names.filter(function (name) { return name.indexOf(PREFIX) === 0; });
  });
}

// The cache key of a URL: no query or fragment; a folder URL ("modules/x/") is its index.html.
function keyOf(href) {
  var url = new URL(href);
  url.search = "";
  url.hash = "";
  if (url.pathname.slice(-1) === "/") url.pathname += "index.html";
  return url.href;
}

// A host may answer /x/index.html with a redirect to /x/; a redirected response cannot answer a
// page request, so it is stored as a plain copy.
function storable(response) {
  if (!response.ok) throw new Error("coursegen offline: " + response.url + " answered " + response.status);
  if (!response.redirected) return Promise.resolve(response);
  return response.blob().then(function (body) {
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  });
}

self.addEventListener("install", function (event) {
  if (!BUILD) {
    self.skipWaiting();
    return;
  }
  // All or nothing: if one file cannot be fetched the install fails, and the running build (if
  // any) keeps serving; the browser tries again on a later visit.
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(BUILD.files.map(function (path) {
        var url = new URL(path, ROOT).href;
        return fetch(new Request(url, { cache: "no-cache", credentials: "same-origin" }))
          .then(storable)
          .then(function (response) { return cache.put(keyOf(url), response); });
      }));
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    ownCaches()
      .then(function (names) {
        return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
      })
      .then(function () {
        if (!BUILD) return self.registration.unregister();
        // The page that installed the first build is served by it from now on (its instant
        // navigation too), not only the pages opened after it.
        return self.clients.claim();
      })
  );
});

// The note's "Reload" button: the waiting build takes over, then the page reloads (offline.js).
self.addEventListener("message", function (event) {
  if (event.data === "coursegen:activate" && BUILD) self.skipWaiting();
});

function notFoundPage(cache) {
  return cache.match(new URL("404.html", ROOT).href).then(function (page) {
    if (!page) return Response.error();
    return page.blob().then(function (body) {
      return new Response(body, { status: 404, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function answer(event) {
  var request = event.request;
  // Video and audio ask for byte ranges; those and anything but reading go to the network.
  if (request.method !== "GET" || request.headers.has("range")) return;
  var url = new URL(request.url);
  if (url.origin !== ROOT.origin || url.pathname.indexOf(ROOT.pathname) !== 0) return;
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(keyOf(request.url)).then(function (hit) {
        if (hit) return hit;
        return fetch(request).catch(function (error) {
          if (request.mode === "navigate") return notFoundPage(cache);
          throw error;
        });
      });
    })
  );
}

// A worker that is leaving has no fetch handler at all: the browser then sends every request
// straight to the network, as if there were no worker.
if (BUILD) self.addEventListener("fetch", answer);
