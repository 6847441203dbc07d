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
  // The page's words, else this English (static/strings.js).
  // (Not `say`: this file has one of its own, for the saved state.)
  var word = window.lodeSay;
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
  function isCount(x) { return isNum(x) && x >= 0 && Math.floor(x) === x; }
  // Bounds of a readable schedule: times from 1970 to the year 3000 (ms);
  // stability up to ten times FSRS's longest interval (days); difficulty
  // 1..10 once reviewed (0 while new, as fsrs.js's newCard).
  var MAX_TIME = 32503680000000, MAX_STABILITY = 365000, MAX_DAYS = 1000000;
  function say(v) { return typeof v === "number" || typeof v === "boolean" || v === null ? String(v) : JSON.stringify(v); }
  /** The first field of schedule `c` out of range, as "field is value; it must be …", or "" if none. */
  function cardProblem(c) {
    if (!isObject(c)) return "it is not an object";
    if ([0, 1, 2, 3].indexOf(c.state) < 0) return "state is " + say(c.state) + "; it must be 0, 1, 2 or 3";
    var fresh = c.state === 0;
    var rules = [
      ["due", isNum(c.due) && c.due >= 0 && c.due <= MAX_TIME, "a time in milliseconds between 1970 and 3000"],
      ["last_review", isNum(c.last_review) && c.last_review >= 0 && c.last_review <= MAX_TIME, "a time in milliseconds between 1970 and 3000"],
      ["stability", isNum(c.stability) && (fresh ? c.stability >= 0 : c.stability > 0) && c.stability <= MAX_STABILITY,
        "a number of days above 0 and at most " + MAX_STABILITY],
      ["difficulty", isNum(c.difficulty) && (fresh && c.difficulty === 0 || c.difficulty >= 1 && c.difficulty <= 10), "a number from 1 to 10"],
      ["elapsed_days", isCount(c.elapsed_days) && c.elapsed_days <= MAX_DAYS, "a whole number of days, 0 or more"],
      ["scheduled_days", isCount(c.scheduled_days) && c.scheduled_days <= MAX_DAYS, "a whole number of days, 0 or more"],
      ["reps", isCount(c.reps), "a whole number, 0 or more"],
      ["lapses", isCount(c.lapses), "a whole number, 0 or more"]
    ];
    for (var i = 0; i < rules.length; i++) {
      if (!rules[i][1]) return rules[i][0] + " is " + say(c[rules[i][0]]) + "; it must be " + rules[i][2];
    }
    return "";
  }
  function isCard(c) { return cardProblem(c) === ""; }
  /** The first bad field of a saved answer count (history), or "". */
  function historyProblem(h) {
    if (!isObject(h)) return "it is not an object";
    if (!isCount(h.answered)) return "answered is " + say(h.answered) + "; it must be a whole number, 0 or more";
    var fields = ["right", "wrong"];
    for (var i = 0; i < fields.length; i++) {
      if (h[fields[i]] !== undefined && !isCount(h[fields[i]])) return fields[i] + " is " + say(h[fields[i]]) + "; it must be a whole number, 0 or more";
    }
    return "";
  }

  /**
   * Checks a parsed progress object (version 2, or version 1's history)
   * and returns it as version 2, or throws an Error naming the first field
   * that is missing or out of range. Nothing is repaired or clamped: a
   * value out of range refuses the whole object.
   */
  function normalize(raw) {
    if (!isObject(raw)) throw new Error("it is not a JSON object");
    var id, p;
    if (raw.v === undefined) {
      // Version 1: { id: { answered, right, lastRight, ... } }, at least one. Keep it as history.
      var ids = Object.keys(raw);
      if (!ids.length) throw new Error("it holds no progress (no version and no saved answers)");
      var old = fresh();
      for (var k = 0; k < ids.length; k++) {
        id = ids[k];
        if ((p = historyProblem(raw[id]))) throw new Error("the saved answers of “" + id + "”: " + p);
        old.history[id] = raw[id];
      }
      return old;
    }
    if (raw.v !== 2) throw new Error("its version (" + say(raw.v) + ") is not one this site reads");
    if (typeof raw.seed !== "string" || !raw.seed) throw new Error("it has no option-order seed");
    if (!isObject(raw.items)) throw new Error("it has no items");
    for (id in raw.items) {
      if ((p = cardProblem(raw.items[id]))) throw new Error("the schedule of “" + id + "”: " + p);
    }
    var s = raw.settings === undefined ? {} : raw.settings;
    if (!isObject(s)) throw new Error("settings is not an object");
    if (s.newPerDay !== undefined && !(isCount(s.newPerDay) && s.newPerDay <= 9999)) {
      throw new Error("settings.newPerDay is " + say(s.newPerDay) + "; it must be a whole number from 0 to 9999");
    }
    if (s.retention !== undefined && !(isNum(s.retention) && s.retention >= 0.7 && s.retention <= 0.97)) {
      throw new Error("settings.retention is " + say(s.retention) + "; it must be a number from 0.70 to 0.97");
    }
    var nt = raw.newToday === undefined ? { day: "", n: 0 } : raw.newToday;
    if (!isObject(nt) || typeof nt.day !== "string") throw new Error("newToday.day is not a day");
    if (!isCount(nt.n)) throw new Error("newToday.n is " + say(nt.n) + "; it must be a whole number, 0 or more");
    var history = raw.history === undefined ? {} : raw.history;
    if (!isObject(history)) throw new Error("history is not an object");
    for (id in history) {
      if ((p = historyProblem(history[id]))) throw new Error("the saved answers of “" + id + "”: " + p);
    }
    return {
      v: 2, seed: raw.seed,
      settings: {
        newPerDay: s.newPerDay === undefined ? DEFAULTS.newPerDay : s.newPerDay,
        retention: s.retention === undefined ? DEFAULTS.retention : s.retention
      },
      newToday: { day: nt.day, n: nt.n },
      items: raw.items,
      history: history
    };
  }

  /**
   * The saved progress under `key`: `{ state, problem }`. `state` is the
   * saved one as version 2, or a fresh one when nothing is saved; when
   * the saved text cannot be read, `problem` says why and `state` is a
   * fresh one to work with in memory; the saved text must then be left
   * as it is (see revise.js), never overwritten.
   */
  function read(key) {
    var text = null;
    try { text = localStorage.getItem(key); } catch (e) { /* storage blocked */ }
    if (!text) return { state: fresh(), problem: "" };
    try { return { state: normalize(JSON.parse(text)), problem: "" }; } catch (e) {
      return { state: fresh(), problem: e instanceof SyntaxError ? "it is not JSON" : e.message };
    }
  }
  /** The saved progress under `key`, as version 2 (a fresh one if none or unreadable); read only. */
  function load(key) { return read(key).state; }
  /** Saves `state` under `key`; false when the browser refused (storage full or blocked). */
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
   * The id of the front of a reverse card (`…#card-1a2b3c4d-r` →
   * `…#card-1a2b3c4d`, `…-2-r` → `…-2`); any other id is its own.
   * A card both ways and its reverse are siblings, as in Anki.
   */
  function frontOf(id) { return id.replace(/(#card-[0-9a-z-]+)-r$/, "$1"); }
  function siblings(a, b) { return a !== b && frontOf(a) === frontOf(b); }

  /**
   * Today's queue among `items` (objects with an `id`, note by note): the
   * reviewed items already due (most overdue first), then new items in
   * that order up to today's new limit (all of them with
   * `opts.noNewLimit`), then reviewed items due later today (learning
   * steps), soonest first.
   *
   * Siblings are buried as Anki buries new cards: a new reverse card waits
   * while its front is new or was reviewed today (the reader's local day),
   * so the two sides are never introduced the same day. And no item comes
   * right after its sibling, nor first after `opts.after` (the item just
   * answered) when that is its sibling, if another item can go between.
   */
  function queue(items, state, now, opts) {
    var end = endOfDay(now), today = dayOf(now), dueNow = [], later = [], news = [], present = {};
    items.forEach(function (x) { present[x.id] = 1; });
    function buried(id) {
      var front = frontOf(id);
      if (front === id || !present[front]) return false;
      var c = state.items[front];
      return !c || c.state === 0 || dayOf(c.last_review) === today;
    }
    items.forEach(function (x, i) {
      var c = state.items[x.id];
      if (!c || c.state === 0) { if (!buried(x.id)) news.push(x); }
      else if (c.due <= now) dueNow.push({ x: x, due: c.due, i: i });
      else if (c.due < end) later.push({ x: x, due: c.due, i: i });
    });
    function byDue(a, b) { return a.due - b.due || a.i - b.i; }
    var limit = opts && opts.noNewLimit ? news.length : newLeft(state, now);
    var q = dueNow.sort(byDue).map(function (e) { return e.x; })
      .concat(news.slice(0, limit))
      .concat(later.sort(byDue).map(function (e) { return e.x; }));
    var prev = opts && opts.after;
    for (var i = 0; i < q.length; i++) {
      if (prev && siblings(prev, q[i].id)) {
        for (var j = i + 1; j < q.length; j++) {
          if (!siblings(prev, q[j].id)) { q.splice(i, 0, q.splice(j, 1)[0]); break; }
        }
      }
      prev = q[i].id;
    }
    return q;
  }

  /**
   * Every question and card of revise.json, each with its note's fields,
   * note by note (in the file's note order; a note's questions, then its
   * cards), so that new questions and cards are introduced together, a
   * note at a time.
   */
  function itemsOf(data) {
    return (data.questions || []).map(function (q) { q.kind = "question"; return q; })
      .concat((data.cards || []).map(function (c) { c.kind = "card"; return c; }))
      .map(function (x, i) { return { x: x, i: i }; })
      .sort(function (a, b) { return a.x.n - b.x.n || a.i - b.i; })
      .map(function (e) {
        var x = e.x, n = data.notes[x.n] || {};
        x.note = n.note; x.url = n.url; x.collection = n.collection; x.tags = n.tags || [];
        x.permalink = x.id.split("#")[0];
        return x;
      });
  }

  window.LodeStudy = {
    DAY: DAY, defaults: DEFAULTS, fresh: fresh, normalize: normalize, read: read, load: load, save: save,
    dayOf: dayOf, endOfDay: endOfDay, newLeft: newLeft, seen: seen, queue: queue, itemsOf: itemsOf,
    isCard: isCard, cardProblem: cardProblem, frontOf: frontOf
  };

  // The status widgets: <… data-study="home|note|collection" data-key=… hidden>.
  var box = document.querySelector("[data-study]");
  if (!box || !window.localStorage) return;
  var kind = box.getAttribute("data-study"), body = document.body.dataset;
  // The storage key: the box's (an older template's), else the site's base
  // URL on the <body> (base.html).
  var state = load((box.getAttribute("data-key") || "lode:" + body.site) + ":revise");
  // A note's box is written here (page weight: no use without this script).
  if (kind === "note" && !box.querySelector(".study-text")) {
    var revise = document.createElement("a");
    revise.className = "study-revise";
    revise.href = (body.root || "./") + "revise/?note=" + body.page;
    revise.textContent = word("revise_this_note", "Revise this note");
    box.innerHTML = '<span class="study-text"></span> · ';
    box.appendChild(revise);
  }
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
      out.textContent = word("due_today", "Due today: {n}", { n: n });
      box.hidden = false;
    });
  } else if (kind === "note") {
    // This page's items: their elements carry data-revise-id (one id, or
    // several separated by spaces: a card both ways carries its front's and
    // its reverse's); questions without it are numbered under the page's
    // permalink (q1, q2...).
    var permalink = box.getAttribute("data-permalink") || body.page;
    var ids = [], seenIds = {};
    var add = function (id) { if (id && !seenIds[id]) { seenIds[id] = 1; ids.push(id); } };
    Array.prototype.forEach.call(document.querySelectorAll("[data-revise-id]"), function (e) {
      e.getAttribute("data-revise-id").split(/\s+/).forEach(add);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".self-test li.question[id]"), function (e) {
      if (!e.hasAttribute("data-revise-id")) add(permalink + "#" + e.id);
    });
    if (!ids.length) return;
    var end = endOfDay(now);
    var due = ids.filter(function (id) { var c = state.items[id]; return !c || c.state === 0 || c.due < end; });
    out.textContent = word("due_of", "{due} of {total} due", { due: due.length, total: ids.length });
    box.hidden = false;
  } else if (kind === "collection") {
    var title = box.getAttribute("data-collection");
    getData(function (items) {
      var mine = items.filter(function (x) { return x.collection === title; });
      if (!mine.length) return;
      withFSRS(function (F) {
        var sum = 0;
        mine.forEach(function (x) { sum += F.retrievability(state.items[x.id], now); });
        out.textContent = word("mastery", "Mastery: {percent}%", { percent: Math.round(100 * sum / mine.length) });
        var count = box.querySelector(".study-count");
        if (count) count.textContent = String(mine.length);
        // Those never reviewed, which count 0 in the mean (none: nothing said).
        var unseen = mine.filter(function (x) { return !seen(state, x.id); }).length;
        var note = box.querySelector(".study-unseen");
        if (note) note.textContent = unseen ? word("not_studied_yet", " ({n} not studied yet, each counting 0)", { n: unseen }) : "";
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
