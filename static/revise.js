// Lode's revision mode (/revise/): self-test questions and flashcards from
// _lode/revise.json, loaded once. Progress per question stays in this
// browser's localStorage, under a key of the site's own.
(function () {
  "use strict";
  var page = document.getElementById("revise");
  if (!page || !window.fetch || !window.localStorage) return;
  var KEY = page.getAttribute("data-key") + ":revise";
  var data = null;
  var progress = load();
  var mode = "questions";
  var queue = [];
  var pos = 0;
  var score = { right: 0, answered: 0 };
  var ui = {};

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(progress)); } catch (e) { /* full or private: keep going */ }
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function noteLink(item) {
    return el("a", { href: item.url }, item.note);
  }
  function uniq(list) {
    var seen = {}, out = [];
    list.forEach(function (x) { if (x && !seen[x]) { seen[x] = 1; out.push(x); } });
    return out.sort();
  }
  function select(label, id, values) {
    var wrap = el("label", { "for": id }, label + " ");
    var s = el("select", { id: id });
    s.appendChild(el("option", { value: "" }, "All"));
    values.forEach(function (v) { s.appendChild(el("option", { value: v }, v)); });
    wrap.appendChild(s);
    return [wrap, s];
  }
  function items() { return mode === "questions" ? data.questions : data.cards; }
  function mistakes() {
    return data.questions.filter(function (q) { return progress[q.id] && progress[q.id].lastRight === false; });
  }

  function build() {
    page.querySelector(".revise-nojs").hidden = true;
    var app = el("div", { "class": "revise-app" });
    var modes = el("div", { "class": "revise-modes", role: "group", "aria-label": "Mode" });
    ui.modeQ = el("button", { type: "button", "aria-pressed": "true" }, "Questions (" + data.questions.length + ")");
    ui.modeC = el("button", { type: "button", "aria-pressed": "false" }, "Flashcards (" + data.cards.length + ")");
    ui.modeQ.onclick = function () { setMode("questions"); };
    ui.modeC.onclick = function () { setMode("cards"); };
    modes.append(ui.modeQ, ui.modeC);
    var all = data.questions.concat(data.cards);
    var filters = el("div", { "class": "revise-filters" });
    var c = select("Collection", "rv-collection", uniq(all.map(function (x) { return x.collection; })));
    var t = select("Tag", "rv-tag", uniq([].concat.apply([], all.map(function (x) { return x.tags; }))));
    ui.collection = c[1];
    ui.tag = t[1];
    var shuffle = el("label", { "for": "rv-shuffle" });
    ui.shuffle = el("input", { type: "checkbox", id: "rv-shuffle" });
    shuffle.append(ui.shuffle, " Shuffle");
    [ui.collection, ui.tag, ui.shuffle].forEach(function (x) { x.onchange = function () { start(); }; });
    filters.append(c[0], t[0], shuffle);
    var actions = el("div", { "class": "revise-actions" });
    ui.mistakes = el("button", { type: "button", id: "rv-mistakes" });
    ui.mistakes.onclick = function () { setMode("questions", true); };
    var reset = el("button", { type: "button", id: "rv-reset" }, "Reset progress");
    reset.onclick = function () {
      if (!window.confirm("Forget every answer you gave on this site?")) return;
      progress = {};
      save();
      start();
    };
    actions.append(ui.mistakes, reset);
    ui.score = el("p", { "class": "revise-score", id: "rv-score", "aria-live": "polite" });
    ui.stage = el("div", { "class": "revise-stage", id: "rv-stage" });
    app.append(modes, filters, actions, ui.score, ui.stage);
    page.appendChild(app);
    document.addEventListener("keydown", function (e) {
      var tag = (e.target.tagName || "").toLowerCase();
      if (mode === "cards" && e.key === " " && tag !== "button" && tag !== "input" && tag !== "select" && tag !== "a") {
        e.preventDefault();
        flip();
      }
    });
    start();
  }

  function setMode(m, onlyMistakes) {
    mode = m;
    ui.modeQ.setAttribute("aria-pressed", String(m === "questions"));
    ui.modeC.setAttribute("aria-pressed", String(m === "cards"));
    start(onlyMistakes);
  }

  function start(onlyMistakes) {
    var col = ui.collection.value, tag = ui.tag.value;
    var pool = onlyMistakes ? mistakes() : items();
    queue = pool.filter(function (x) {
      return (!col || x.collection === col) && (!tag || x.tags.indexOf(tag) >= 0);
    });
    if (ui.shuffle.checked) {
      for (var i = queue.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var tmp = queue[i]; queue[i] = queue[j]; queue[j] = tmp;
      }
    }
    pos = 0;
    score = { right: 0, answered: 0 };
    refresh();
    show();
  }

  function refresh() {
    var n = mistakes().length;
    ui.mistakes.textContent = "Review my mistakes (" + n + ")";
    ui.mistakes.disabled = n === 0;
    ui.score.hidden = mode !== "questions";
    ui.score.textContent = "Score this session: " + score.right + "/" + score.answered;
  }

  function show() {
    ui.stage.textContent = "";
    if (!queue.length) {
      ui.stage.appendChild(el("p", null, "Nothing to show for this choice."));
      return;
    }
    if (pos >= queue.length) {
      var done = el("p", null, mode === "questions"
        ? "Done: " + score.right + " right out of " + score.answered + "."
        : "You went through every card.");
      var again = el("button", { type: "button" }, "Start again");
      again.onclick = function () { start(); };
      ui.stage.append(done, again);
      again.focus();
      return;
    }
    if (mode === "questions") question(queue[pos]); else card(queue[pos]);
  }

  function meta(kind, item) {
    var p = el("p", { "class": "revise-meta" }, kind + " " + (pos + 1) + " of " + queue.length + " · from ");
    p.appendChild(noteLink(item));
    var seen = progress[item.id];
    if (seen && seen.answered) {
      p.append(" · answered " + seen.answered + "×, " + seen.right + " right, last " + seen.last.slice(0, 10));
    }
    return p;
  }

  function question(q) {
    var form = el("form", { "class": "revise-question" });
    var fs = el("fieldset");
    fs.appendChild(el("legend", null, q.question));
    q.options.forEach(function (o, i) {
      var id = "rv-opt-" + i;
      var label = el("label", { "for": id, "class": "revise-option" });
      label.append(el("input", { type: "radio", name: "rv-option", id: id, value: o }), " " + o);
      fs.appendChild(label);
    });
    var submit = el("button", { type: "submit", "class": "rv-submit" }, "Submit");
    var feedback = el("div", { "class": "revise-feedback", "aria-live": "polite" });
    var next = el("button", { type: "button", "class": "rv-next", hidden: "" }, "Next");
    next.onclick = function () { pos++; show(); };
    form.append(meta("Question", q), fs, submit, feedback, next);
    form.onsubmit = function (e) {
      e.preventDefault();
      var chosen = form.querySelector("input:checked");
      if (!chosen) { feedback.textContent = "Choose an answer first."; return; }
      var right = chosen.value === q.answer;
      var p = progress[q.id] || { answered: 0, right: 0, wrong: 0 };
      p.answered++;
      if (right) p.right++; else p.wrong++;
      p.lastRight = right;
      p.last = new Date().toISOString();
      progress[q.id] = p;
      save();
      score.answered++;
      if (right) score.right++;
      refresh();
      fs.disabled = true;
      submit.hidden = true;
      feedback.textContent = "";
      feedback.className = "revise-feedback " + (right ? "is-right" : "is-wrong");
      feedback.appendChild(el("p", { "class": "revise-verdict" },
        right ? "Right." : "Wrong: the answer is “" + q.answer + "”."));
      if (q.explanation) {
        var why = el("p");
        why.innerHTML = q.explanation; // built by Lode from the note's Markdown
        feedback.appendChild(why);
      }
      var more = el("p", null, "Read the note: ");
      more.appendChild(noteLink(q));
      feedback.appendChild(more);
      next.hidden = false;
      next.focus();
    };
    ui.stage.appendChild(form);
  }

  function card(c) {
    var box = el("div", { "class": "revise-card" });
    var face = el("div", { "class": "revise-face", "aria-live": "polite" });
    face.append(el("p", { "class": "revise-front" }, c.front), el("p", { "class": "revise-back", hidden: "" }, c.back));
    var flipBtn = el("button", { type: "button", "class": "rv-flip", "aria-pressed": "false" }, "Show answer");
    flipBtn.onclick = flip;
    var next = el("button", { type: "button", "class": "rv-next" }, "Next card");
    next.onclick = function () { pos++; show(); };
    box.append(meta("Card", c), face, flipBtn, " ", next, el("p", { "class": "muted" }, "Space flips the card."));
    ui.stage.appendChild(box);
  }

  function flip() {
    var back = ui.stage.querySelector(".revise-back");
    var btn = ui.stage.querySelector(".rv-flip");
    if (!back || !btn) return;
    back.hidden = !back.hidden;
    btn.setAttribute("aria-pressed", String(!back.hidden));
    btn.textContent = back.hidden ? "Show answer" : "Hide answer";
  }

  fetch(page.getAttribute("data-src"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (d) {
      // Each question and card names its note by index: give it the note's fields.
      d.questions.concat(d.cards).forEach(function (x) {
        var n = d.notes[x.n];
        x.note = n.note; x.url = n.url; x.collection = n.collection; x.tags = n.tags;
      });
      data = d;
      build();
    })
    .catch(function () {
      var note = page.querySelector(".revise-nojs .notice");
      if (note) note.textContent = "The questions could not be loaded. Every note below has them at its end.";
    });
})();
