// The student's state where they read: what is due today on the home page,
// a note's due items with a "Revise this note" link, a collection's
// mastery. Everything comes from this browser's revision progress
// (localStorage, written by revise.js); without JavaScript, or with nothing
// to say, the status elements stay hidden.
//
// It also holds what revise.js shares with these widgets, as
// window.LodeStudy: reading and saving the progress, and which items are due.
//
// Progress (localStorage, key "lode:<base URL>:revise"), version 2:
//   { v: 2, seed: "random", settings: { newPerDay: 20, retention: 0.9 },
//     newToday: { day: "2025-3-14", n: 3 },   // new items begun on that local day
//     items: { "<item id>": <FSRS card, see fsrs.js> },
//     history: { "<item id>": { answered, right, wrong, lastRight, last } } }
// Version 1 (before spaced repetition) was the history object alone; it is
// kept as `history`, and its items start as new.
(function () {
  "use strict";
  if (window.LodeStudy) return;
  var DAY = 86400000;
  var DEFAULTS = { newPerDay: 20, retention: 0.9 };

  function randomSeed() {
    var s = "";
    var bytes = new Uint8Array(12);
    if (window.crypto && crypto.getRandomValues) crypto.getRandomValues(bytes);
    else for (var i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
    for (var j = 0; j < bytes.length; j++) s += (bytes[j] < 16 ? "0" : "") + bytes[j].toString(16);
    return s;
  }
  function fresh() {
    return { v: 2, seed: randomSeed(), settings: { newPerDay: DEFAULTS.newPerDay, retention: DEFAULTS.retention },
      newToday: { day: "", n: 0 }, items: {}, history: {} };
  }
  function isObject(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  function isNum(x) { return typeof x === "number" && isFinite(x); }
  function isCard(c) {
    return isObject(c) && isNum(c.due) && isNum(c.stability) && isNum(c.difficulty) && isNum(c.elapsed_days) &&
      isNum(c.scheduled_days) && isNum(c.reps) && isNum(c.lapses) && isNum(c.last_review) &&
      [0, 1, 2, 3].indexOf(c.state) >= 0;
  }
  function clampRetention(r) { return isNum(r) ? Math.min(0.97, Math.max(0.7, r)) : DEFAULTS.retention; }

  /**
   * Checks a parsed progress object (version 2, or version 1's history)
   * and returns it as version 2, or throws an Error saying what is wrong.
   */
  function normalize(raw) {
    if (!isObject(raw)) throw new Error("it is not a JSON object");
    if (raw.v === undefined) {
      // Version 1: { id: { answered, right, lastRight, ... } }. Keep it as history.
      var old = fresh();
      for (var id in raw) {
        if (!isObject(raw[id]) || !isNum(raw[id].answered)) throw new Error("“" + id + "” is not a saved answer");
        old.history[id] = raw[id];
      }
      return old;
    }
    if (raw.v !== 2) throw new Error("its version (" + raw.v + ") is not one this site reads");
    if (typeof raw.seed !== "string" || !raw.seed) throw new Error("it has no option-order seed");
    if (!isObject(raw.items)) throw new Error("it has no items");
    for (var key in raw.items) {
      if (!isCard(raw.items[key])) throw new Error("the schedule of “" + key + "” is incomplete");
    }
    var s = isObject(raw.settings) ? raw.settings : {};
    var nt = isObject(raw.newToday) ? raw.newToday : {};
    return {
      v: 2, seed: raw.seed,
      settings: {
        newPerDay: isNum(s.newPerDay) && s.newPerDay >= 0 ? Math.floor(s.newPerDay) : DEFAULTS.newPerDay,
        retention: clampRetention(s.retention)
      },
      newToday: { day: typeof nt.day === "string" ? nt.day : "", n: isNum(nt.n) ? nt.n : 0 },
      items: raw.items,
      history: isObject(raw.history) ? raw.history : {}
    };
  }

  /** The saved progress under `key`, as version 2 (a fresh one if none or unreadable). */
  function load(key) {
    var text = null;
    try { text = localStorage.getItem(key); } catch (e) { /* storage blocked */ }
    if (!text) return fresh();
    try { return normalize(JSON.parse(text)); } catch (e) { return fresh(); }
  }
  function save(key, state) {
    try { localStorage.setItem(key, JSON.stringify(state)); return true; } catch (e) { return false; }
  }

  /** The reader's local day of `now` (ms), as "Y-M-D". */
  function dayOf(now) {
    var d = new Date(now);
    return d.getFullYear() + "-" + (d.getMonth() + 1) + "-" + d.getDate();
  }
  /** The end of the reader's local day of `now`: the next local midnight, in ms. */
  function endOfDay(now) {
    var d = new Date(now);
    return new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
  }
  /** How many new items may still begin today. */
  function newLeft(state, now) {
    var done = state.newToday.day === dayOf(now) ? state.newToday.n : 0;
    return Math.max(0, state.settings.newPerDay - done);
  }
  /** Whether an item has been reviewed (it has a schedule). */
  function seen(state, id) {
    var c = state.items[id];
    return !!c && c.state !== 0;
  }

  /**
   * Today's queue among `items` (objects with an `id`, in site order): the
   * reviewed items already due (most overdue first), then new items up to
   * today's new limit (all of them with `opts.noNewLimit`), then reviewed
   * items due later today (learning steps), soonest first.
   */
  function queue(items, state, now, opts) {
    var end = endOfDay(now), dueNow = [], later = [], fresh = [];
    items.forEach(function (x, i) {
      var c = state.items[x.id];
      if (!c || c.state === 0) fresh.push(x);
      else if (c.due <= now) dueNow.push({ x: x, due: c.due, i: i });
      else if (c.due < end) later.push({ x: x, due: c.due, i: i });
    });
    function byDue(a, b) { return a.due - b.due || a.i - b.i; }
    var limit = opts && opts.noNewLimit ? fresh.length : newLeft(state, now);
    return dueNow.sort(byDue).map(function (e) { return e.x; })
      .concat(fresh.slice(0, limit))
      .concat(later.sort(byDue).map(function (e) { return e.x; }));
  }

  /** Every question and card of revise.json, each with its note's fields. */
  function itemsOf(data) {
    return (data.questions || []).map(function (q) { q.kind = "question"; return q; })
      .concat((data.cards || []).map(function (c) { c.kind = "card"; return c; }))
      .map(function (x) {
        var n = data.notes[x.n] || {};
        x.note = n.note; x.url = n.url; x.collection = n.collection; x.tags = n.tags || [];
        x.permalink = x.id.split("#")[0];
        return x;
      });
  }

  window.LodeStudy = {
    DAY: DAY, defaults: DEFAULTS, fresh: fresh, normalize: normalize, load: load, save: save, dayOf: dayOf,
    endOfDay: endOfDay, newLeft: newLeft, seen: seen, queue: queue, itemsOf: itemsOf, isCard: isCard
  };

  // The status widgets: <… data-study="home|note|collection" data-key=… hidden>.
  var box = document.querySelector("[data-study]");
  if (!box || !window.localStorage) return;
  var kind = box.getAttribute("data-study");
  var state = load(box.getAttribute("data-key") + ":revise");
  var now = Date.now();
  var out = box.querySelector(".study-text");

  function getData(then) {
    if (!window.fetch) return;
    fetch(box.getAttribute("data-src"))
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (d) { then(itemsOf(d)); })
      .catch(function () { /* no data: say nothing */ });
  }

  if (kind === "home") {
    getData(function (items) {
      if (!items.length) return;
      var n = queue(items, state, now).length;
      out.textContent = "Due today: " + n;
      box.hidden = false;
    });
  } else if (kind === "note") {
    // This page's items: their elements carry data-revise-id; questions
    // without it are numbered under the page's permalink (q1, q2...).
    var permalink = box.getAttribute("data-permalink");
    var ids = [], seenIds = {};
    var add = function (id) { if (id && !seenIds[id]) { seenIds[id] = 1; ids.push(id); } };
    Array.prototype.forEach.call(document.querySelectorAll("[data-revise-id]"), function (e) {
      add(e.getAttribute("data-revise-id"));
    });
    Array.prototype.forEach.call(document.querySelectorAll(".self-test li.question[id]"), function (e) {
      if (!e.hasAttribute("data-revise-id")) add(permalink + "#" + e.id);
    });
    if (!ids.length) return;
    var end = endOfDay(now);
    var due = ids.filter(function (id) { var c = state.items[id]; return !c || c.state === 0 || c.due < end; });
    out.textContent = due.length + " due of " + ids.length;
    box.hidden = false;
  } else if (kind === "collection") {
    var title = box.getAttribute("data-collection");
    getData(function (items) {
      var mine = items.filter(function (x) { return x.collection === title; });
      if (!mine.length) return;
      withFSRS(function (F) {
        var sum = 0;
        mine.forEach(function (x) { sum += F.retrievability(state.items[x.id], now); });
        out.textContent = "Mastery: " + Math.round(100 * sum / mine.length) + "%";
        var count = box.querySelector(".study-count");
        if (count) count.textContent = String(mine.length);
        box.hidden = false;
      });
    });
  }

  // fsrs.js, loaded on the pages that need it (a collection's mastery).
  function withFSRS(then) {
    if (window.LodeFSRS) { then(window.LodeFSRS); return; }
    var s = document.createElement("script");
    s.src = box.getAttribute("data-fsrs");
    s.onload = function () { if (window.LodeFSRS) then(window.LodeFSRS); };
    document.head.appendChild(s);
  }
})();
