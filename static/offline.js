// Offline reading, on request: the "Save for offline" controls (the footer's, for the whole
// site; a collection page's, for that collection). Nothing is cached until the reader asks:
// a click shows what the save costs (from _lode/offline.json, the build's list of files with
// sizes and hashes) and the browser's free storage; "Save" registers sw.js and lets it fetch.
// A saved site re-fetches only the files whose hash changed, once per visit.
// Under `lode serve` (its live-reload script is on the page) nothing is registered and any
// worker left from a built copy on the same origin is removed.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.caches || !window.fetch) return;
  // The page's words, else this English (static/strings.js).
  var say = window.lodeSay;
  // The footer's control for the whole site is written here (page weight:
  // it has no use without this script), unless the template holds one.
  var footer = document.querySelector(".site-footer .wrap");
  if (footer && !document.querySelector('[data-offline="site"]')) {
    var box = document.createElement("div");
    box.className = "offline";
    box.setAttribute("data-offline", "site");
    box.hidden = true;
    footer.appendChild(box);
  }
  var controls = document.querySelectorAll("[data-offline]");
  if (document.querySelector('script[src^="/__lode/"]')) {
    navigator.serviceWorker.getRegistrations().then(function (all) {
      all.forEach(function (r) { r.unregister(); });
    });
    return;
  }
  var root = new URL(script.getAttribute("data-root") || document.body.dataset.root || "./", location.href).href;
  var CACHE = "lode-offline:" + root;
  var listeners = [];

  navigator.serviceWorker.addEventListener("message", function (event) {
    listeners.slice().forEach(function (f) { f(event.data || {}); });
  });

  function size(n) {
    if (n < 1024 * 1024) return Math.max(1, Math.round(n / 1024)) + " kB";
    if (n < 1024 * 1024 * 1024) return (n / 1024 / 1024).toFixed(1) + " MB";
    return (n / 1024 / 1024 / 1024).toFixed(1) + " GB";
  }

  // A saved group by the title its collection link shows ("Minerals"), not its folder.
  function title(group) {
    var links = document.querySelectorAll(".site-nav a");
    for (var i = 0; i < links.length; i++) {
      var href = links[i].href;
      if (href.indexOf(root) === 0 && decodeURIComponent(href.slice(root.length).split(/[/?#]/)[0]) === group) {
        return links[i].textContent.trim();
      }
    }
    return group;
  }

  function savedState() {
    return caches.open(CACHE).then(function (c) { return c.match(root + "_lode/offline-state"); })
      .then(function (r) { return r ? r.json() : null; });
  }

  // Sends `message` to the worker (registering it first) and settles on its "done".
  function ask(message, onProgress) {
    // A worker already registered is used as it is: registering again fetches sw.js, which fails offline.
    return navigator.serviceWorker.getRegistration(root).then(function (reg) {
      return reg || navigator.serviceWorker.register(root + "sw.js", { scope: root });
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      return new Promise(function (resolve, reject) {
        function listen(data) {
          if (data.type === "progress" && onProgress) onProgress(data);
          if (data.type === "done" || data.type === "cleared" || data.type === "error") {
            listeners.splice(listeners.indexOf(listen), 1);
            if (data.type === "error") reject(new Error(data.message)); else resolve(data);
          }
        }
        listeners.push(listen);
        reg.active.postMessage(message);
      });
    });
  }

  function setup(control) {
    var collection = control.getAttribute("data-offline") === "collection";
    var group = collection ? decodeURIComponent(location.href.slice(root.length).split(/[/?#]/)[0]) : "*";
    // The footer's control is an empty, hidden <div> in the page (page weight): written here.
    if (!control.querySelector(".offline-start")) {
      control.innerHTML = '<button type="button" class="offline-start">' + (collection ? say("save_collection_offline", "Save this collection for offline") : say("save_offline", "Save for offline")) + '</button> <span class="offline-status" role="status"></span>';
    }
    var start = control.querySelector(".offline-start");
    var status = control.querySelector(".offline-status");
    var panel = document.createElement("div");
    panel.className = "offline-panel";
    panel.hidden = true;
    var estimate = document.createElement("p");
    estimate.className = "offline-estimate";
    var save = document.createElement("button");
    save.type = "button";
    save.className = "offline-save";
    save.textContent = say("save", "Save");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = say("cancel", "Cancel");
    panel.appendChild(estimate);
    panel.appendChild(save);
    panel.appendChild(document.createTextNode(" "));
    panel.appendChild(cancel);
    control.appendChild(panel);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "offline-remove";
    remove.textContent = say("offline_remove", "Remove the offline copy");
    remove.hidden = true;
    control.appendChild(remove);
    control.hidden = false;

    function state(name, text) {
      control.setAttribute("data-offline-state", name);
      if (text !== undefined) status.textContent = text;
    }
    function showSaved(s) {
      var groups = s.groups.indexOf("*") >= 0 ? say("offline_whole_site", "the whole site") : s.groups.map(title).join(", ");
      remove.hidden = false;
      // What is saved already keeps itself up to date: no second "Save" for it.
      start.hidden = s.groups.indexOf("*") >= 0 || s.groups.indexOf(group) >= 0;
      return groups;
    }

    start.addEventListener("click", function () {
      state("estimating", say("offline_estimating", "Working out the size…"));
      Promise.all([
        fetch(root + "_lode/offline.json", { cache: "no-store" }).then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        }),
        savedState(),
        navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : Promise.resolve(null)
      ]).then(function (got) {
        var files = got[0].files.filter(function (f) { return f.group === "" || group === "*" || f.group === group; });
        var saved = (got[1] && got[1].files) || {};
        var bytes = 0;
        var fresh = 0;
        files.forEach(function (f) {
          bytes += f.bytes;
          if (saved[new URL(f.url, root).href] !== f.hash) fresh += f.bytes;
        });
        var what = collection ? say("offline_this_collection", "this collection (with search and revision)") : say("offline_whole_site", "the whole site");
        // The size once; the whole only when part of it is saved already.
        var whole = size(fresh) === size(bytes) ? "" : say("offline_with_saved", "; {size} with what is saved already", { size: size(bytes) });
        var text = say("offline_estimate", "Saving {what} downloads {size} ({files} files{whole}).", { what: what, size: size(fresh), files: files.length, whole: whole });
        if (got[2] && got[2].quota) text += say("offline_free", " This browser has about {size} free for this site.", { size: size(got[2].quota - got[2].usage) });
        estimate.textContent = text;
        control.setAttribute("data-offline-bytes", String(bytes));
        panel.hidden = false;
        start.hidden = true;
        state("confirm", "");
        save.focus();
      }).catch(function (e) {
        state("error", say("offline_cannot", "Cannot save this site for offline reading: {error}", { error: e.message }));
      });
    });
    cancel.addEventListener("click", function () {
      panel.hidden = true;
      start.hidden = false;
      state("idle", "");
      start.focus();
    });
    save.addEventListener("click", function () {
      panel.hidden = true;
      state("saving", say("offline_saving", "Saving…"));
      ask({ type: "save", groups: [group] }, function (p) {
        status.textContent = say("offline_progress", "Saving… {done} of {total} files", { done: p.done, total: p.total });
      }).then(function (done) {
        control.setAttribute("data-offline-fetched", String(done.fetched));
        start.hidden = false;
        state("done", say("offline_done", "Saved {what} for offline reading: {files} files, {size}.", { what: showSaved(done), files: done.files, size: size(done.total) }));
      }).catch(function (e) {
        start.hidden = false;
        state("error", say("offline_failed", "Saving failed: {error}", { error: e.message }));
      });
    });
    remove.addEventListener("click", function () {
      ask({ type: "clear" }).then(function () {
        remove.hidden = true;
        start.hidden = false;
        state("idle", say("offline_removed", "The offline copy was removed."));
      });
    });
    return { state: state, showSaved: showSaved };
  }

  var views = [];
  for (var i = 0; i < controls.length; i++) views.push(setup(controls[i]));
  // One status on a page: a collection page's control (first on the page), else the footer's.
  var shown = views.slice(0, 1);
  // A saved site: say so, and fetch what changed since (once per visit, when online).
  savedState().then(function (s) {
    if (!s) return;
    shown.forEach(function (v) { v.state("saved", say("offline_saved", "Saved {what} for offline reading.", { what: v.showSaved(s) })); });
    if (!navigator.onLine || sessionStorage.getItem(CACHE)) return;
    sessionStorage.setItem(CACHE, "1");
    ask({ type: "sync" }).then(function (done) {
      for (var j = 0; j < controls.length; j++) controls[j].setAttribute("data-offline-fetched", String(done.fetched));
      if (done.fetched) {
        shown.forEach(function (v) { v.state("saved", done.fetched === 1 ? say("offline_synced_one", "Saved {what} for offline reading; 1 changed file updated.", { what: v.showSaved(done) }) : say("offline_synced", "Saved {what} for offline reading; {n} changed files updated.", { what: v.showSaved(done), n: done.fetched })); });
      }
    }).catch(function () {});
  }).catch(function () {});
})();
