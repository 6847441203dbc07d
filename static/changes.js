/* What changed since your last visit.
 *
 * The build records a hash per note and per section (_lode/changes.json).
 * This script keeps, in localStorage (one key per site), the hashes the
 * reader saw. A visit lasts as long as the browser tab's session
 * (sessionStorage): its first page moves the hashes seen last time aside as
 * the visit's baseline and stores the current ones; every page of the visit
 * then marks what differs from that baseline: links to new or changed notes,
 * the note's own title, and changed sections' headings; and fills the
 * "Changed since your last visit (N)" list where the page has one.
 * On a first visit there is no baseline and nothing is marked. */
(function () {
  "use strict";
  // The page's words, else this English (static/strings.js).
  var say = window.lodeSay;
  // The page's <body> says where the site's root is, the page's permalink
  // and the site's base URL (base.html); a template of an older Lode may
  // say it on this script's tag instead.
  var script = document.currentScript, body = document.body.dataset;
  if (!script || !window.fetch || !window.localStorage) return;
  function given(name) { return script.getAttribute("data-" + name) || body[name]; }
  var key = script.getAttribute("data-key") || (body.site !== undefined ? "lode-changes:" + body.site : "lode-changes");
  var root = given("root") || "./";
  var page = given("page") || "";
  var rootUrl = new URL(root, location.href);

  function read(storage, k) {
    try {
      var v = storage.getItem(k);
      return v ? JSON.parse(v) : null;
    } catch (e) {
      return null;
    }
  }
  function write(storage, k, v) {
    try {
      storage.setItem(k, JSON.stringify(v));
    } catch (e) {
      /* private mode or full: marks are a comfort */
    }
  }

  /* The hashes of a record, in the stored form: {permalink: {h, s: {id: h}}}. */
  function seen(notes) {
    var out = {};
    for (var p in notes) {
      if (Object.prototype.hasOwnProperty.call(notes, p)) {
        out[p] = { h: notes[p].hash, s: notes[p].sections || {} };
      }
    }
    return out;
  }

  /* Permalink of a link to a page of this site (`minerals/lithium/`), or null. */
  function permalinkOf(href) {
    var url;
    try {
      url = new URL(href, location.href);
    } catch (e) {
      return null;
    }
    if (url.origin !== rootUrl.origin || url.pathname.indexOf(rootUrl.pathname) !== 0) return null;
    return decodeURIComponent(url.pathname.slice(rootUrl.pathname.length)).replace(/index\.html$/, "");
  }

  function badge(kind) {
    var b = document.createElement("span");
    b.className = "change-badge change-" + kind;
    b.textContent = kind === "new" ? say("badge_new", "New") : say("badge_changed", "Changed");
    return b;
  }

  function mark(baseline, notes) {
    var changed = {};
    var list = [];
    for (var p in notes) {
      if (!Object.prototype.hasOwnProperty.call(notes, p)) continue;
      var before = baseline[p];
      if (!before) changed[p] = { kind: "new", sections: [] };
      else if (before.h !== notes[p].hash) {
        var sections = [];
        var now = notes[p].sections || {};
        for (var id in now) {
          if (Object.prototype.hasOwnProperty.call(now, id) && before.s[id] !== now[id]) sections.push(id);
        }
        changed[p] = { kind: "changed", sections: sections };
      } else continue;
      list.push(p);
    }
    if (!list.length) return;
    /* Links to changed notes in the page's lists and cards (not the header's navigation). */
    var links = document.querySelectorAll("main a[href]");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      if (a.closest(".breadcrumbs, .note-body h1, .note-body h2, .note-body h3, .changes-since, .heading-anchor")) continue;
      if (a.getAttribute("href").indexOf("#") !== -1) continue;
      var target = permalinkOf(a.getAttribute("href"));
      if (target === null || !changed[target] || target === page) continue;
      if (a.nextSibling && a.nextSibling.className && String(a.nextSibling.className).indexOf("change-badge") !== -1) continue;
      a.classList.add("changed-link");
      a.parentNode.insertBefore(badge(changed[target].kind), a.nextSibling);
    }
    /* This note itself: its title, and its changed sections' headings. */
    var own = changed[page];
    if (own) {
      var h1 = document.querySelector("main h1");
      if (h1) {
        h1.classList.add("changed-note");
        h1.appendChild(document.createTextNode(" "));
        h1.appendChild(badge(own.kind));
      }
      for (var j = 0; j < own.sections.length; j++) {
        var h = document.getElementById(own.sections[j]);
        if (!h || !/^H[1-6]$/.test(h.tagName)) continue;
        h.classList.add("changed-section");
        /* Before the heading's own anchor link, if it has one. */
        var anchor = h.querySelector(".heading-anchor");
        h.insertBefore(document.createTextNode(" "), anchor);
        h.insertBefore(badge("changed"), anchor);
      }
    }
    /* The list, where the page has one. */
    var box = document.querySelector("[data-changes-since]");
    if (box) {
      var ul = box.querySelector(".changes-since-list");
      list.sort(function (x, y) {
        return (notes[y].changed || "").localeCompare(notes[x].changed || "") || x.localeCompare(y);
      });
      for (var k = 0; k < list.length; k++) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = new URL(list[k], rootUrl).href;
        link.textContent = notes[list[k]].title;
        li.appendChild(link);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge(changed[list[k]].kind));
        var secs = changed[list[k]].sections;
        if (secs.length) {
          var small = document.createElement("span");
          small.className = "changes-since-sections";
          small.textContent = secs.length === 1 ? say("one_section", "1 section") : say("n_sections", "{n} sections", { n: secs.length });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(small);
        }
        ul.appendChild(li);
      }
      box.querySelector(".changes-since-count").textContent = String(list.length);
      box.hidden = false;
    }
    document.documentElement.setAttribute("data-changes", String(list.length));
  }

  /* Revalidated on every page: a cached record would hide the latest build. */
  fetch(script.getAttribute("data-src") || rootUrl.href + "_lode/changes.json", { cache: "no-cache" })
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(function (data) {
      var notes = (data && data.notes) || {};
      var visit = read(window.sessionStorage, key);
      if (!visit) {
        /* The first page of a visit: what was seen last time is its baseline. */
        var last = read(window.localStorage, key);
        visit = { baseline: last ? last.notes : null };
        write(window.sessionStorage, key, visit);
      }
      write(window.localStorage, key, { version: 1, notes: seen(notes) });
      if (visit.baseline) mark(visit.baseline, notes);
      document.documentElement.setAttribute("data-changes-ready", "");
    })
    .catch(function () {
      /* No record (an old build, a file: URL): nothing to mark. */
    });
})();
