// Link previews. Hovering an internal link (after a short delay) or
// focusing it shows the target note's title, collection, summary and key
// facts; a link to a heading shows that section's first paragraph instead.
// The data comes from _lode/previews/<k>.json, where k is FNV-1a (32-bit)
// of the target's permalink modulo this script's data-shards (the same
// rule as src/render/reading.rs). The popover never takes focus, never covers the
// link, stays inside the viewport, and Esc dismisses it. Without this
// script, links are just links.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.TextEncoder) return;
  var root = new URL(".", script.src);
  var shards = parseInt(script.getAttribute("data-shards"), 10) || 1;
  var DELAY = 300, GAP = 8;
  var cache = {};
  var box = null, current = null, pending = null, timer = 0, touchedAt = 0;

  function shardOf(key) {
    var bytes = new TextEncoder().encode(key), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    }
    return h % shards;
  }

  function load(k) {
    if (!cache[k]) {
      cache[k] = fetch(new URL("_lode/previews/" + k + ".json", root)).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      });
      cache[k].catch(function () { delete cache[k]; });
    }
    return cache[k];
  }

  // The note (permalink relative to the site root) and heading a link points to, or null.
  function targetOf(a) {
    if (a.closest("nav, .heading-anchor, .skip-link, #lode-preview")) return null;
    var url = new URL(a.href, location.href);
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    var key = decodeURIComponent(url.pathname.slice(root.pathname.length)).replace(/index\.html$/, "");
    if (key && key.slice(-1) !== "/") return null; // a file, not a page
    var hash = decodeURIComponent(url.hash.slice(1));
    var self = url.pathname === location.pathname;
    if (self && !hash) return null;
    return { key: key, hash: hash, self: self };
  }

  function add(parent, tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function fill(note, section) {
    if (!box) {
      box = document.createElement("div");
      box.id = "lode-preview";
      box.className = "preview";
      box.setAttribute("role", "tooltip");
      box.hidden = true;
      document.body.appendChild(box);
    }
    box.textContent = "";
    if (note.collection) add(box, "p", "preview-collection", note.collection);
    add(box, "p", "preview-title", section ? note.title + " › " + section[0] : note.title);
    var text = section ? section[1] : note.summary;
    if (text) add(box, "p", "preview-text", text);
    if (!section && note.facts && note.facts.length) {
      var dl = add(box, "dl", "preview-facts");
      note.facts.forEach(function (f) {
        add(dl, "dt", "", f[0]);
        add(dl, "dd", "", f[1]);
      });
    }
  }

  // Below the link, or above it when there is more room there; clamped
  // horizontally; never over the link (its height is capped instead).
  function place(a) {
    var r = a.getBoundingClientRect();
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    box.style.maxWidth = Math.min(384, vw - 2 * GAP) + "px";
    box.style.maxHeight = "";
    box.classList.remove("clipped");
    box.style.left = "0px";
    box.style.top = "0px";
    box.hidden = false;
    var below = vh - r.bottom - 2 * GAP, above = r.top - 2 * GAP;
    var h = box.offsetHeight;
    var down = h <= below || below >= above;
    if (h > (down ? below : above)) {
      box.style.maxHeight = Math.max(down ? below : above, 0) + "px";
      box.classList.add("clipped");
      h = box.offsetHeight;
    }
    var top = down ? r.bottom + GAP : r.top - GAP - h;
    var left = Math.max(GAP, Math.min(r.left, vw - box.offsetWidth - GAP));
    box.style.left = left + "px";
    box.style.top = top + "px";
  }

  function show(a) {
    var t = targetOf(a);
    if (!t) return;
    current = a;
    load(shardOf(t.key)).then(function (data) {
      var note = data[t.key];
      if (current !== a || !note) return;
      var section = (t.hash && note.sections && note.sections[t.hash]) || null;
      if (t.self && !section) return; // a footnote or other anchor of this page
      fill(note, section);
      place(a);
      a.setAttribute("aria-describedby", "lode-preview");
    }, function () {});
  }

  function hide() {
    clearTimeout(timer);
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    if (box) box.hidden = true;
  }

  function linkOf(e) {
    return e.target.closest ? e.target.closest("a[href]") : null;
  }

  function later(a) {
    clearTimeout(timer);
    pending = a;
    timer = setTimeout(function () { show(a); }, DELAY);
  }

  // Scrolling hides the popover, except that focusing a link scrolls it
  // into view: the focused link's popover is then shown after the delay.
  function scrolled() {
    var keep = pending && pending === document.activeElement ? pending : null;
    hide();
    if (keep) later(keep);
  }

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType === "touch") return; // a tap just follows the link
    var a = linkOf(e);
    if (a && a !== current) later(a);
  });
  document.addEventListener("pointerout", function (e) {
    var a = linkOf(e);
    if (!a || (e.relatedTarget && a.contains(e.relatedTarget))) return;
    clearTimeout(timer);
    if (a === current && document.activeElement !== a) hide();
  });
  document.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "touch") touchedAt = Date.now();
    hide();
  });
  document.addEventListener("focusin", function (e) {
    var a = linkOf(e);
    if (a && Date.now() - touchedAt > 1000) later(a);
  });
  document.addEventListener("focusout", function (e) {
    if (e.target === current || linkOf(e)) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
  window.addEventListener("scroll", scrolled, { passive: true });
  window.addEventListener("resize", hide);
})();
