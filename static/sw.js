// Lode's service worker: offline reading, on request (offline.js is the page's side,
// src/offline.rs writes the list of files). Nothing is cached until the page asks:
// "save" fetches the files of the chosen groups in _lode/offline.json into one cache,
// "sync" fetches again only the files whose hash changed, "clear" drops the cache.
// Requests within the site are answered from that cache first, then the network.
// A server without the list (`lode serve`, whose live reload must never be stale)
// makes the worker drop its cache and unregister itself.
"use strict";
var ROOT = self.registration.scope;
var CACHE = "lode-offline:" + ROOT;
var STATE = ROOT + "_lode/offline-state";
var LIST = ROOT + "_lode/offline.json";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

// The cache key of a URL: no query, no fragment, a folder's index.html as the folder.
function key(url) {
  var u = new URL(url, ROOT);
  return (u.origin + u.pathname).replace(/\/index\.html$/, "/");
}

function readState(cache) {
  return cache.match(STATE).then(function (r) { return r ? r.json() : { groups: [], files: {} }; });
}

function retire() {
  return caches.delete(CACHE).then(function () { return self.registration.unregister(); });
}

// Saves the files of `groups` (null: the groups saved before), reporting to `tell`.
function run(groups, tell) {
  return fetch(LIST, { cache: "no-store" }).then(function (r) {
    if (r.status === 404) return retire().then(function () { throw new Error("this server has no offline list"); });
    if (!r.ok) throw new Error("the offline list answered HTTP " + r.status);
    return r.json();
  }).then(function (list) {
    return caches.open(CACHE).then(function (cache) {
      return readState(cache).then(function (state) {
        var chosen = state.groups.slice();
        (groups || []).forEach(function (g) { if (chosen.indexOf(g) < 0) chosen.push(g); });
        var all = chosen.indexOf("*") >= 0;
        var wanted = list.files.filter(function (f) { return f.group === "" || all || chosen.indexOf(f.group) >= 0; });
        var keep = {};
        var todo = [];
        var total = 0;
        var bytes = 0;
        wanted.forEach(function (f) {
          var k = key(f.url);
          keep[k] = true;
          total += f.bytes;
          if (state.files[k] !== f.hash) { todo.push({ url: k, hash: f.hash, bytes: f.bytes }); }
        });
        var done = 0;
        var next = 0;
        function worker() {
          if (next >= todo.length) return Promise.resolve();
          var f = todo[next++];
          return fetch(f.url, { cache: "no-store" }).then(function (r) {
            if (!r.ok) throw new Error(f.url + ": HTTP " + r.status);
            return cache.put(f.url, r);
          }).then(function () {
            state.files[f.url] = f.hash;
            done += 1;
            bytes += f.bytes;
            tell({ type: "progress", done: done, total: todo.length });
            return worker();
          });
        }
        var pool = [];
        for (var i = 0; i < 6; i++) pool.push(worker());
        return Promise.all(pool).then(function () {
          var gone = Object.keys(state.files).filter(function (k) { return !keep[k]; });
          gone.forEach(function (k) { delete state.files[k]; });
          return Promise.all(gone.map(function (k) { return cache.delete(k); }));
        }).then(function () {
          state.groups = chosen;
          state.saved = new Date().toISOString();
          var body = JSON.stringify(state);
          return cache.put(STATE, new Response(body, { headers: { "Content-Type": "application/json" } }));
        }).then(function () {
          tell({ type: "done", files: wanted.length, fetched: todo.length, bytes: bytes, total: total, groups: chosen });
        });
      });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var source = event.source;
  function tell(message) { if (source) source.postMessage(message); }
  var work;
  if (data.type === "save") work = run(data.groups || ["*"], tell);
  else if (data.type === "sync") work = run(null, tell);
  else if (data.type === "clear") work = retire().then(function () { tell({ type: "cleared" }); });
  else return;
  event.waitUntil(work.catch(function (e) { tell({ type: "error", message: String(e && e.message || e) }); }));
});

function offlinePage() {
  var html = "<!doctype html><meta charset=utf-8><meta name=viewport content=\"width=device-width\">" +
    "<title>Not saved for offline</title><h1>Not saved for offline reading</h1>" +
    "<p>This page was not saved, and the network cannot be reached. <a href=\"" + ROOT + "\">Home</a></p>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || request.url.indexOf(ROOT) !== 0) return;
  var k = key(request.url);
  if (k === LIST || k.indexOf("/__lode/") >= 0) return;
  event.respondWith(caches.open(CACHE).then(function (cache) {
    return cache.match(k);
  }).then(function (hit) {
    return hit || fetch(request).catch(function (e) {
      if (request.mode === "navigate") return offlinePage();
      throw e;
    });
  }));
});
