// Lode's revision mode (/revise/): spaced repetition of every self-test
// question and flashcard of the site (_lode/revise.json, loaded once),
// scheduled by FSRS (fsrs.js) in this browser. Progress stays in
// localStorage under a key of the site's own (its shape: study.js);
// it can be exported to a JSON file, imported back, and reset.
//
// Cards: Show answer (Space), then Again / Hard / Good / Easy (keys 1-4).
// Questions: a wrong answer counts as Again, a right one as Good, which
// "It was easy" upgrades to Easy. `/revise/?note=PERMALINK` revises one note.
(function () {
  "use strict";
  var page = document.getElementById("revise");
  var F = window.LodeFSRS, S = window.LodeStudy;
  if (!page || !window.fetch || !window.localStorage || !F || !S) return;
  var KEY = page.getAttribute("data-key") + ":revise";
  var EXPORT_FORMAT = "lode-revise-progress";
  // The page's words, else this English (static/strings.js).
  var word = window.lodeSay;
  var RATINGS = [word("revise_again", "Again"), word("revise_hard", "Hard"), word("revise_good", "Good"), word("revise_easy", "Easy")];
  var loaded = S.read(KEY);
  var state = loaded.state;
  // Saved progress that cannot be read is kept as it is, under its key:
  // the session works in memory and saves nothing until the student
  // resets or imports (see `unlock`).
  var unreadable = loaded.problem;
  var saveFailed = false;  // the browser refused the last save (storage full or blocked)
  if (!unreadable) save(); // keeps a new reader's option-order seed (and a migrated old format)
  var items = [];          // every question and card, in site order
  var byNote = {};         // permalink -> note title
  var current = null;      // the item on the stage
  var ui = {};

  /**
   * Saves the progress; false when it is not saved: the saved progress
   * was unreadable (kept untouched), or the browser refused (then the
   * notice says so).
   */
  function save() {
    if (unreadable) return false;
    var ok = S.save(KEY, state);
    if (ok !== !saveFailed) { saveFailed = !ok; showNotice(); }
    return ok;
  }
  /** After a reset or an import: the state in memory is the student's choice and may replace the saved one. */
  function unlock() { unreadable = ""; showNotice(); }
  /** The notice above the session: unreadable saved progress, or progress the browser did not save. */
  function showNotice() {
    if (!ui.notice) return;
    ui.notice.textContent = unreadable
      ? word("revise_unreadable", "Your saved progress could not be read ({problem}); it is kept as it was. Export it or reset. Until then, nothing you do here is saved.", { problem: unreadable })
      : saveFailed ? word("revise_unsaved", "Your progress could not be saved in this browser (its storage is full or blocked). Export it to keep it.") : "";
    ui.notice.hidden = !ui.notice.textContent;
  }
  /** The local day of `ms` as YYYY-MM-DD, for file names. */
  function isoDay(ms) {
    var d = new Date(ms), pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function uniq(list) {
    var seen = {}, out = [];
    list.forEach(function (x) { if (x && !seen[x]) { seen[x] = 1; out.push(x); } });
    return out.sort();
  }
  function select(label, id, values) {
    var wrap = el("label", { "for": id }, label + " ");
    var s = el("select", { id: id });
    s.appendChild(el("option", { value: "" }, word("revise_all", "All")));
    values.forEach(function (v) { s.appendChild(el("option", { value: v }, v)); });
    wrap.appendChild(s);
    return [wrap, s];
  }
  function opts() { return { retention: state.settings.retention }; }

  // FNV-1a 64 over UTF-8 bytes, on four 16-bit limbs (no BigInt), as
  // 16 hex digits: the same hash as Lode's build-time option order.
  function utf8(s) {
    if (window.TextEncoder) return new TextEncoder().encode(s);
    var b = unescape(encodeURIComponent(s)), out = [];
    for (var i = 0; i < b.length; i++) out.push(b.charCodeAt(i));
    return out;
  }
  function fnv1a64(s) {
    var h = [0x2325, 0x8422, 0x9ce4, 0xcbf2]; // 0xcbf29ce484222325, lowest limb first
    var bytes = utf8(s);
    for (var i = 0; i < bytes.length; i++) {
      h[0] ^= bytes[i];
      // h * 0x100000001b3 = h * 0x1b3 + (h << 40), modulo 2^64.
      var a0 = h[0] * 0x1b3, a1 = h[1] * 0x1b3, a2 = h[2] * 0x1b3 + ((h[0] & 0xff) << 8), a3 = h[3] * 0x1b3 + ((h[0] >>> 8) | (h[1] << 8));
      a1 += a0 >>> 16; a2 += a1 >>> 16; a3 += a2 >>> 16;
      h = [a0 & 0xffff, a1 & 0xffff, a2 & 0xffff, a3 & 0xffff];
    }
    var hex = "";
    for (var j = 3; j >= 0; j--) hex += ("000" + h[j].toString(16)).slice(-4);
    return hex;
  }
  /** The question's options in this reader's order (written order if `shuffle` is false). */
  function optionOrder(q) {
    if (q.shuffle === false) return q.options.slice();
    return q.options.map(function (o, i) { return { o: o, i: i, h: fnv1a64(state.seed + q.id + "\u0000" + o) }; })
      .sort(function (a, b) { return a.h < b.h ? -1 : a.h > b.h ? 1 : a.i - b.i; })
      .map(function (x) { return x.o; });
  }

  // "10 min", "5 h", "3 d", "2.5 mo", "1.2 y": the span until a due time.
  function short(ms) {
    var min = Math.max(1, Math.round(ms / 60000));
    if (min < 60) return word("revise_span_min", "{n} min", { n: min });
    if (min < 1440) return word("revise_span_h", "{n} h", { n: Math.round(min / 60) });
    var d = Math.round(ms / S.DAY);
    if (d < 30) return word("revise_span_d", "{n} d", { n: d });
    if (d < 365) return word("revise_span_mo", "{n} mo", { n: (d / 30).toFixed(1).replace(/\.0$/, "") });
    return word("revise_span_y", "{n} y", { n: (d / 365).toFixed(1).replace(/\.0$/, "") });
  }
  /** "1 item", "3 items". */
  function itemCount(n) { return n === 1 ? word("revise_one_item", "1 item") : word("revise_n_items", "{n} items", { n: n }); }
  // "Back in 3 days.": each unit, one and many, is a sentence of its own for the translations.
  function backIn(ms) {
    var min = Math.max(1, Math.round(ms / 60000)), n;
    if (min < 60) {
      return min === 1 ? word("revise_back_minute", "Back in 1 minute.") : word("revise_back_minutes", "Back in {n} minutes.", { n: min });
    }
    if (min < 1440) {
      n = Math.round(min / 60);
      return n === 1 ? word("revise_back_hour", "Back in 1 hour.") : word("revise_back_hours", "Back in {n} hours.", { n: n });
    }
    var d = Math.round(ms / S.DAY);
    if (d < 60) return d === 1 ? word("revise_back_day", "Back in 1 day.") : word("revise_back_days", "Back in {n} days.", { n: d });
    if (d < 730) {
      n = Math.round(d / 30);
      return n === 1 ? word("revise_back_month", "Back in 1 month.") : word("revise_back_months", "Back in {n} months.", { n: n });
    }
    n = Math.round(d / 365);
    return n === 1 ? word("revise_back_year", "Back in 1 year.") : word("revise_back_years", "Back in {n} years.", { n: n });
  }

  // The note filter from the URL: /revise/?note=minerals/lithium/
  function noteFilter() {
    var m = /[?&]note=([^&#]*)/.exec(location.search);
    return m ? decodeURIComponent(m[1].replace(/\+/g, " ")) : "";
  }
  function pool() {
    var col = ui.collection.value, tag = ui.tag.value, note = ui.note;
    return items.filter(function (x) {
      return (!col || x.collection === col) && (!tag || x.tags.indexOf(tag) >= 0) && (!note || x.permalink === note);
    });
  }
  function todayQueue(after) { return S.queue(pool(), state, Date.now(), { noNewLimit: !!ui.note, after: after }); }

  function build() {
    page.querySelector(".revise-nojs").hidden = true;
    var app = el("div", { "class": "revise-app" });
    ui.due = el("h2", { "class": "revise-due", id: "rv-due" });
    var filters = el("div", { "class": "revise-filters" });
    var c = select(word("filter_collection", "Collection"), "rv-collection", uniq(items.map(function (x) { return x.collection; })));
    var t = select(word("filter_tag", "Tag"), "rv-tag", uniq([].concat.apply([], items.map(function (x) { return x.tags; }))));
    ui.collection = c[1];
    ui.tag = t[1];
    [ui.collection, ui.tag].forEach(function (x) { x.onchange = function () { next(); }; });
    filters.append(c[0], t[0]);
    ui.note = noteFilter();
    if (ui.note) {
      var only = el("p", { "class": "revise-only", id: "rv-only" }, word("revise_only", "Only “{note}”", { note: byNote[ui.note] || ui.note }) + " · ");
      var all = el("a", { href: location.pathname }, word("revise_whole_site", "Revise the whole site"));
      only.appendChild(all);
      filters.appendChild(only);
    }
    ui.status = el("p", { "class": "revise-status", id: "rv-status", role: "status" });
    ui.notice = el("p", { "class": "notice revise-notice", id: "rv-notice", role: "alert" });
    showNotice();
    ui.stage = el("div", { "class": "revise-stage", id: "rv-stage" });
    app.append(ui.notice, ui.due, filters, ui.status, ui.stage, settings());
    page.appendChild(app);
    document.addEventListener("keydown", keys);
    next();
  }

  function settings() {
    var box = el("details", { "class": "revise-settings", id: "rv-settings" });
    box.appendChild(el("summary", null, word("revise_settings", "Settings and progress")));
    var newLabel = el("label", { "for": "rv-new" }, word("revise_new_per_day", "New items a day") + " ");
    ui.newPerDay = el("input", { type: "number", id: "rv-new", min: "0", max: "9999", step: "1", inputmode: "numeric" });
    newLabel.appendChild(ui.newPerDay);
    var retLabel = el("label", { "for": "rv-retention" }, word("revise_retention", "Desired retention") + " ");
    ui.retention = el("input", { type: "number", id: "rv-retention", min: "0.7", max: "0.97", step: "0.01", inputmode: "decimal", "aria-describedby": "rv-retention-help" });
    retLabel.appendChild(ui.retention);
    var help = el("p", { "class": "muted", id: "rv-retention-help" },
      word("revise_retention_help", "The chance of remembering an item when it comes back, from 0.70 to 0.97. Higher means more reviews."));
    // A value out of range is refused with a message; the field keeps what
    // was typed (marked invalid) so it can be corrected.
    function refuse(input, text) { input.setAttribute("aria-invalid", "true"); message(text); }
    function saved(text) { message(save() || unreadable ? text : text + word("revise_not_saved", " It could not be saved in this browser.")); }
    ui.newPerDay.onchange = function () {
      var v = ui.newPerDay.value.trim();
      if (!/^[0-9]{1,4}$/.test(v)) {
        refuse(ui.newPerDay, v
          ? word("revise_new_invalid_value", "New items a day must be a whole number from 0 to 9999 (not “{value}”).", { value: v })
          : word("revise_new_invalid", "New items a day must be a whole number from 0 to 9999."));
        return;
      }
      ui.newPerDay.removeAttribute("aria-invalid");
      state.settings.newPerDay = Number(v); showSettings(); next();
      saved(word("revise_new_set", "New items a day: {n}.", { n: state.settings.newPerDay }));
    };
    ui.retention.onchange = function () {
      var v = ui.retention.value.trim(), r = Number(v);
      if (!v || !(r >= 0.7 && r <= 0.97)) {
        refuse(ui.retention, v
          ? word("revise_retention_invalid_value", "Desired retention goes from 0.70 to 0.97 (not “{value}”).", { value: v })
          : word("revise_retention_invalid", "Desired retention goes from 0.70 to 0.97."));
        return;
      }
      ui.retention.removeAttribute("aria-invalid");
      state.settings.retention = r; showSettings(); next();
      saved(word("revise_retention_set", "Desired retention: {r}.", { r: r.toFixed(2) }));
    };
    var actions = el("div", { "class": "revise-actions" });
    var exp = el("button", { type: "button", id: "rv-export" }, word("revise_export", "Export progress"));
    exp.onclick = exportProgress;
    var impLabel = el("label", { "for": "rv-import", "class": "revise-file" }, word("revise_import", "Import progress") + " ");
    ui.importFile = el("input", { type: "file", id: "rv-import", accept: "application/json,.json" });
    ui.importFile.onchange = importProgress;
    impLabel.appendChild(ui.importFile);
    var reset = el("button", { type: "button", id: "rv-reset" }, word("revise_reset", "Reset progress"));
    reset.onclick = function () {
      if (!window.confirm(word("revise_reset_confirm", "Forget every review you made on this site?"))) return;
      state = S.fresh();
      unlock();
      var ok = save();
      showSettings();
      message(ok ? word("revise_reset_done", "Progress reset.") : word("revise_reset_unsaved", "Progress reset here, but it could not be saved in this browser."));
      next();
    };
    actions.append(exp, impLabel, reset);
    ui.message = el("p", { "class": "revise-message", id: "rv-message", role: "status" });
    box.append(newLabel, retLabel, help, actions, ui.message);
    showSettings();
    return box;
  }
  function showSettings() {
    ui.newPerDay.value = String(state.settings.newPerDay);
    ui.retention.value = state.settings.retention.toFixed(2);
  }
  function message(text) { ui.message.textContent = text; }

  function exportProgress() {
    var file = { format: EXPORT_FORMAT, site: page.getAttribute("data-key"), exported: new Date().toISOString(), progress: state };
    var blob = new Blob([JSON.stringify(file, null, 1)], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: "revision-progress-" + isoDay(Date.now()) + ".json" });
    document.body.appendChild(a);
    a.click();
    a.remove();
    message(word("revise_exported", "Progress exported: {items}.", { items: itemCount(Object.keys(state.items).length) }));
  }
  function importProgress() {
    var file = ui.importFile.files && ui.importFile.files[0];
    if (!file) return;
    var reader = new FileReader();
    reader.onload = function () {
      var parsed, raw;
      try {
        raw = JSON.parse(reader.result);
        if (!raw || raw.format !== EXPORT_FORMAT) throw new Error(word("revise_not_an_export", "it is not a progress export of a Lode site"));
        parsed = S.normalize(raw.progress);
      } catch (e) {
        message(word("revise_import_failed", "Could not import “{file}”: {reason}. Choose a file made by Export progress. Your progress is unchanged.",
          { file: file.name, reason: e instanceof SyntaxError ? word("revise_not_json", "it is not JSON") : e.message }));
        ui.importFile.value = "";
        return;
      }
      // Another site's progress (its key differs) is imported only when asked to.
      var site = page.getAttribute("data-key");
      if (raw.site !== site && !window.confirm(word("revise_other_site", "“{file}” is the progress of another site ({site}), not of this one. Import it here anyway?", {
        file: file.name, site: typeof raw.site === "string" ? raw.site.replace(/^lode:/, "") : word("revise_unnamed", "unnamed") }))) {
        message(word("revise_not_imported", "Not imported: “{file}” is another site's progress. Your progress is unchanged.", { file: file.name }));
        ui.importFile.value = "";
        return;
      }
      if ((Object.keys(state.items).length || unreadable) && !window.confirm(word("revise_replace_confirm", "Replace your progress in this browser with the file's?"))) {
        ui.importFile.value = "";
        return;
      }
      state = parsed;
      unlock();
      var ok = save();
      ui.importFile.value = "";
      showSettings();
      var count = { items: itemCount(Object.keys(state.items).length) };
      message(ok ? word("revise_imported", "Imported progress: {items}.", count)
        : word("revise_imported_unsaved", "Imported progress, but it could not be saved in this browser: {items}.", count));
      next();
    };
    reader.onerror = function () { message(word("revise_read_failed", "Could not read “{file}”.", { file: file.name })); };
    reader.readAsText(file);
  }

  /** Shows the first item of today's queue (or says there is none). */
  function next() {
    var q = todayQueue(current && current.id);
    ui.due.textContent = word("revise_due", "Due today ({n})", { n: q.length });
    ui.stage.textContent = "";
    current = q[0] || null;
    if (!current) {
      var done = el("p", { "class": "revise-done" }, pool().length
        ? word("revise_done", "Nothing more is due today. Come back tomorrow.")
        : word("revise_nothing", "Nothing to revise for this choice."));
      ui.stage.appendChild(done);
      return;
    }
    if (current.kind === "question") question(current); else card(current);
  }

  function meta(item) {
    var c = state.items[item.id], now = Date.now();
    var p = el("p", { "class": "revise-meta" }, (item.kind === "question" ? word("revise_question", "Question") : word("revise_card", "Card")) + " · ");
    if (!c || c.state === 0) p.append(word("revise_new", "new"));
    else if (c.due <= now) p.append(c.due < now - S.DAY ? word("revise_due_ago", "due {span} ago", { span: short(now - c.due) }) : word("revise_due_now", "due now"));
    else p.append(word("revise_due_in", "due in {span}", { span: short(c.due - now) }));
    p.append(" · " + word("revise_from", "from") + " ");
    p.appendChild(el("a", { href: item.url }, item.note));
    var h = state.history[item.id];
    if (h && h.answered) p.append(" · " + word("revise_answered", "answered {n}× before scheduling, {right} right", { n: h.answered, right: h.right }));
    return p;
  }

  /** Records `rating` for `item` at `at`, from its schedule `before`; returns the new schedule. */
  function rate(item, before, rating, at, wasNew) {
    var c = F.next(before, rating, at, opts());
    // A schedule with a number out of range (NaN, Infinity) is never kept
    // or saved: the item keeps its schedule, and the student is told.
    var problem = S.cardProblem(c);
    if (problem) {
      ui.status.textContent = word("revise_unschedulable", "This item could not be scheduled ({problem}); its schedule is unchanged.", { problem: problem });
      return before || F.newCard(at);
    }
    state.items[item.id] = c;
    if (wasNew) {
      var day = S.dayOf(at);
      if (state.newToday.day !== day) state.newToday = { day: day, n: 0 };
      state.newToday.n++;
    }
    save();
    return c;
  }

  function question(q) {
    var form = el("form", { "class": "revise-question", "data-id": q.id });
    var fs = el("fieldset");
    fs.appendChild(el("legend", null, q.question));
    optionOrder(q).forEach(function (o, i) {
      var id = "rv-opt-" + i;
      var label = el("label", { "for": id, "class": "revise-option" });
      label.append(el("input", { type: "radio", name: "rv-option", id: id, value: o }), " " + o);
      fs.appendChild(label);
    });
    var submit = el("button", { type: "submit", "class": "rv-submit" }, word("revise_check", "Check"));
    var feedback = el("div", { "class": "revise-feedback", "aria-live": "polite" });
    var actions = el("div", { "class": "revise-actions" });
    var easy = el("button", { type: "button", "class": "rv-easy", hidden: "" }, word("revise_it_was_easy", "It was easy"));
    var nextBtn = el("button", { type: "button", "class": "rv-next", hidden: "" }, word("revise_next", "Next"));
    nextBtn.onclick = next;
    actions.append(easy, nextBtn);
    form.append(meta(q), fs, submit, feedback, actions);
    form.onsubmit = function (e) {
      e.preventDefault();
      if (!submit.hidden) answer();
    };
    function answer() {
      var chosen = form.querySelector("input:checked");
      if (!chosen) { feedback.textContent = word("revise_choose_first", "Choose an answer first."); return; }
      var right = chosen.value === q.answer;
      var before = state.items[q.id] || null, wasNew = !before || before.state === 0, at = Date.now();
      var c = rate(q, before, right ? 3 : 1, at, wasNew);
      fs.disabled = true;
      submit.hidden = true;
      feedback.textContent = "";
      feedback.className = "revise-feedback " + (right ? "is-right" : "is-wrong");
      feedback.appendChild(el("p", { "class": "revise-verdict" },
        right ? word("revise_right", "Right.") : word("revise_wrong", "Wrong: the answer is “{answer}”.", { answer: q.answer })));
      if (q.explanation) {
        var why = el("p", { "class": "revise-explanation" });
        why.innerHTML = q.explanation; // built by Lode from the note's Markdown
        feedback.appendChild(why);
        diagrams(why);
      }
      var more = el("p", null, word("revise_read_the_note", "Read the note:") + " ");
      more.appendChild(el("a", { href: q.url }, q.note));
      feedback.appendChild(more);
      var back = el("p", { "class": "revise-back-in" }, backIn(c.due - at));
      feedback.appendChild(back);
      if (right) {
        easy.hidden = false;
        easy.onclick = function () {
          var e2 = rate(q, before, 4, at, false);
          back.textContent = backIn(e2.due - at) + word("revise_marked_easy", " (marked easy)");
          easy.hidden = true;
          nextBtn.focus();
        };
      }
      nextBtn.hidden = false;
      nextBtn.focus();
      ui.due.textContent = word("revise_due", "Due today ({n})", { n: todayQueue().length });
    }
    ui.stage.appendChild(form);
  }

  // Draws the Mermaid diagrams of HTML just put into `box` (and now in view):
  // a script inserted with innerHTML never runs, so the diagrams' loader the
  // HTML names (diagrams.js) is added to the page here, once; when it is
  // there already, it is asked to draw the new diagrams.
  function diagrams(box) {
    var loader = box.querySelector("script[src]");
    if (loader) loader.remove();
    if (!box.querySelector("pre.mermaid")) return;
    if (window.lodeDiagrams) { window.lodeDiagrams.refresh(); return; }
    // The loader sits beside this script (the site's root), whichever
    // explanation or card of the revision data named it.
    var me = document.querySelector("script[src$='revise.js']");
    var src = loader ? loader.src : me && new URL("diagrams.js", me.src).href;
    if (!src || document.querySelector("script[data-lode-diagrams]")) return;
    var s = document.createElement("script");
    s.src = src;
    s.setAttribute("data-lode-diagrams", "");
    document.head.appendChild(s);
  }

  function card(c) {
    var box = el("div", { "class": "revise-card", "data-id": c.id });
    var front = el("div", { "class": "revise-front" });
    front.innerHTML = c.front; // built by Lode from the note's Markdown
    var back = el("div", { "class": "revise-back", hidden: "" });
    back.innerHTML = c.back;
    var flipBtn = el("button", { type: "button", "class": "rv-flip" }, word("show_answer", "Show answer"));
    flipBtn.onclick = flip;
    var rates = el("div", { "class": "revise-rates", role: "group", "aria-label": word("revise_how_well", "How well did you remember?"), hidden: "" });
    var before = state.items[c.id] || null, now = Date.now();
    F.preview(before, now, opts()).forEach(function (n, i) {
      var b = el("button", { type: "button", "class": "rv-rate", "data-rating": String(i + 1), "aria-keyshortcuts": String(i + 1) });
      b.append(el("span", { "class": "rv-rate-name" }, RATINGS[i]), " ", el("span", { "class": "rv-rate-when" }, short(n.due - now)));
      b.onclick = function () { rateCard(c, i + 1); };
      rates.appendChild(b);
    });
    box.append(meta(c), front, back, flipBtn, rates,
      el("p", { "class": "muted revise-keys" }, word("revise_keys", "Space shows the answer; 1–4 rate it.")));
    ui.stage.appendChild(box);
    diagrams(front);
  }
  function flip() {
    var back = ui.stage.querySelector(".revise-back"), btn = ui.stage.querySelector(".rv-flip");
    if (!back || !back.hidden) return;
    back.hidden = false;
    diagrams(back);
    btn.hidden = true;
    var rates = ui.stage.querySelector(".revise-rates");
    rates.hidden = false;
    rates.querySelector("[data-rating='3']").focus();
  }
  function rateCard(c, rating) {
    if (current !== c) return;
    var before = state.items[c.id] || null, at = Date.now();
    var n = rate(c, before, rating, at, !before || before.state === 0);
    ui.status.textContent = RATINGS[rating - 1] + " · " + backIn(n.due - at);
    next();
    var first = ui.stage.querySelector(".rv-flip, input");
    if (first) first.focus();
  }

  function keys(e) {
    if (!current || current.kind !== "card" || e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") return;
    var back = ui.stage.querySelector(".revise-back");
    if (e.key === " " && back && back.hidden) {
      if (tag === "a" || tag === "summary" || (tag === "button" && !e.target.classList.contains("rv-flip"))) return;
      e.preventDefault();
      flip();
    } else if (/^[1-4]$/.test(e.key) && back && !back.hidden) {
      e.preventDefault();
      rateCard(current, Number(e.key));
    }
  }

  fetch(page.getAttribute("data-src"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (d) {
      items = S.itemsOf(d);
      items.forEach(function (x) { byNote[x.permalink] = x.note; });
      build();
    })
    .catch(function () {
      var note = page.querySelector(".revise-nojs .notice");
      if (note) note.textContent = word("revise_load_failed", "The questions and flashcards could not be loaded. Every note below has them.");
    });
})();
