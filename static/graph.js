// Three enhancements of the graphs laid out at build time (src/graph.rs):
// - a note's local graph, which the page holds as a list of links by
//   collection (page weight: graph::local_list), painted as the two
//   pictures graph.rs lays out (a ring or columns for wide screens, two
//   columns for phones; style.css shows one by width), element for element
//   as graph::write_svg writes them; without JavaScript the list shows;
// - the second hop of a note's local graph: its list of links lives in a
//   shared file (_lode/hops/K/, which the page links to: page weight);
//   when the reader opens "Show 2 hops" it is fetched and shown in place of
//   the link, and drawn as an outer ring of unlabelled markers (each names
//   its note on hover and to screen readers; the list names them all, so
//   labels never crowd or overlap); if the fetch fails the link stays;
// - pan and zoom for the site graph on /graph/: drag to pan, wheel or the
//   buttons to zoom; on a touch screen one finger pans and two pinch.
//   Without it the graph is a still picture fitted to its frame.
(function () {
  "use strict";
  var list = document.querySelector(".local-graph ul.graph-links");
  if (!list) return;
  var NS = "http://www.w3.org/2000/svg";
  var name = list.getAttribute("aria-label");
  // The note itself, then each neighbour: title, link, class, collection,
  // and its node in each picture ("X Y LX LY A[ LINES]", or in columns
  // "X Y[ LINES]").
  var nodes = [{ t: name.replace(/^Notes linked with /, ""), href: list.dataset.href, g: list.dataset.g, c: list.dataset.c, w: list.dataset.w, p: list.dataset.p, centre: true }];
  Array.prototype.forEach.call(list.children, function (li) {
    var c = li.firstChild.data.replace(/: $/, "");
    Array.prototype.forEach.call(li.querySelectorAll("a"), function (a) {
      nodes.push({ t: a.textContent, href: a.getAttribute("href"), g: li.dataset.g, c: c, w: a.dataset.w, p: a.dataset.p });
    });
  });
  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var i = 0; i < attrs.length; i += 2) e.setAttribute(attrs[i], attrs[i + 1]);
    if (parent) parent.appendChild(e);
    return e;
  }
  // graph::D1: one decimal, less a trailing ".0".
  function f(x) { return x.toFixed(1).replace(/\.0$/, ""); }
  // graph::push_shape: the marker of a class (colour is never the only cue).
  function shape(g, xs, ys, r, parent) {
    var x = Number(xs), y = Number(ys), k = Number(g);
    if (k >= 8) return el("circle", ["cx", xs, "cy", ys, "r", f(r * 0.7)], parent);
    if (k % 4 === 0) return el("circle", ["cx", xs, "cy", ys, "r", f(r)], parent);
    if (k % 4 === 1) return el("rect", ["x", f(x - r), "y", f(y - r), "width", f(2 * r), "height", f(2 * r)], parent);
    if (k % 4 === 2) return el("path", ["d", "M" + xs + " " + f(y - r * 1.3) + "L" + f(x + r * 1.3) + " " + ys + "L" + xs + " " + f(y + r * 1.3) + "L" + f(x - r * 1.3) + " " + ys + "Z"], parent);
    return el("path", ["d", "M" + xs + " " + f(y - r * 1.3) + "L" + f(x + r * 1.2) + " " + f(y + r * 0.9) + "L" + f(x - r * 1.2) + " " + f(y + r * 0.9) + "Z"], parent);
  }
  // graph::lines_code: a label's lines from its title.
  function lines(title, code) {
    if (!code) return [title];
    if (code[0] === "'") return code.slice(1).split("\n");
    var chars = Array.from(title), at = 0;
    return code.split(",").map(function (token) {
      var n = parseInt(token, 10), line = chars.slice(at, at + n).join("");
      at += n;
      return /…$/.test(token) ? line + "…" : line;
    });
  }
  // One picture: kind ("radial", "columns"), "X Y W H[ CX CY]", the nodes' key.
  function paint(kind, head, key, cls) {
    var v = head.split(" ");
    var attrs = ["class", "graph " + kind + " " + cls, "viewBox", v.slice(0, 4).join(" "), "width", v[2], "height", v[3]];
    if (kind === "radial") attrs.push("data-cx", v[4], "data-cy", v[5]);
    var svg = el("svg", attrs.concat(["role", "group", "aria-label", name]));
    var at = nodes.map(function (n) { return n[key].split(" "); });
    var d = "";
    for (var i = 1; i < nodes.length; i++) d += "M" + at[0][0] + " " + at[0][1] + "L" + at[i][0] + " " + at[i][1];
    el("path", ["class", "c", "d", d], el("g", ["class", "edges", "aria-hidden", "true"], svg));
    var g = el("g", ["class", "nodes"], svg);
    nodes.forEach(function (n, i) {
      var a = el("a", ["href", n.href, "class", "node g" + n.g + (n.centre ? " centre" : "")], g);
      el("title", [], a).textContent = n.t + " (" + n.c + ")";
      var p = at[i];
      shape(n.g, p[0], p[1], n.centre ? 9 : 6, a);
      // graph::column_label_place: a columns label's place left out of the
      // list ("X Y[ LINES]"), from the marker's.
      if (!/^[sme]$/.test(p[4] || "")) {
        var x = Number(p[0]), y = Number(p[1]), side = n.centre ? "m" : x >= Number(at[0][0]) ? "s" : "e";
        var lx = n.centre ? x : side === "s" ? x + 11 : x - 11;
        p = [p[0], p[1], f(lx), f(n.centre ? y - 20 : y + 4.5), side].concat(p.slice(2));
      }
      var anchor = { s: "start", m: "middle", e: "end" }[p[4]];
      var text = el("text", ["x", p[2], "y", p[3]].concat(anchor === "start" ? [] : ["text-anchor", anchor]).concat(["aria-hidden", "true"]), a);
      var ls = lines(n.t, p.slice(5).join(" "));
      if (ls.length === 1) text.textContent = ls[0];
      else ls.forEach(function (line, k) { el("tspan", ["x", p[2]].concat(k ? ["dy", "1.1em"] : []), text).textContent = line; });
    });
    return svg;
  }
  var wide = list.dataset.wide.split(" ");
  var frame = document.createElement("div");
  frame.className = "graph-frame";
  frame.appendChild(paint(wide[0], wide.slice(1).join(" "), "w", "wide"));
  frame.appendChild(paint("columns", list.dataset.phone, "p", "phone"));
  list.parentNode.insertBefore(frame, list);
  list.hidden = true;
})();

(function () {
  "use strict";
  var more = document.querySelector(".local-graph .graph-more");
  var link = more && more.querySelector(".hops-link a");
  if (!link) return;
  var loading = false;
  function load() {
    if (!more.open || loading) return;
    loading = true;
    fetch(link.href).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var section = doc.getElementById(link.hash.slice(1));
      var list = section && section.querySelector("ul.hops");
      if (!list) throw new Error("no list");
      // The shard's links are relative to the shard: made whole.
      Array.prototype.forEach.call(list.querySelectorAll("a"), function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), link.href).href);
      });
      list = document.importNode(list, true);
      link.parentNode.replaceWith(list);
      more.removeEventListener("toggle", load);
      enhance(list);
    }).catch(function () { loading = false; });
  }
  more.addEventListener("toggle", load);
  load();
  function enhance(list) {
  // The wide picture's ring (graph.rs draws columns instead when it would be too wide).
  var svg = document.querySelector(".local-graph .graph-frame svg.graph.radial");
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
  var NS = "http://www.w3.org/2000/svg";
  // The geometry of graph::local_svg: the note at the centre,
  // ring k of n notes on an ellipse 1.25 times wider than high.
  var box = svg.viewBox.baseVal;
  var original = { box: [box.x, box.y, box.width, box.height].join(" "), w: svg.getAttribute("width"), h: svg.getAttribute("height") };
  // graph.rs cuts the picture to its labels: the centre is data-cx, data-cy.
  var cx = Number(svg.dataset.cx || box.x + box.width / 2), cy = Number(svg.dataset.cy || box.y + box.height / 2);
  var first = Number(list.dataset.ring);
  var r1 = 60 + 5 * first;
  var items = [];
  Array.prototype.forEach.call(list.querySelectorAll("li"), function (li) {
    Array.prototype.forEach.call(li.querySelectorAll("a"), function (a) {
      items.push({ href: a.getAttribute("href"), title: a.textContent, g: a.dataset.g, c: a.dataset.c, p: Number(li.dataset.p) });
    });
  });
  // Markers 12 units across, about 16 apart on the ring's circumference.
  var r2 = Math.max(r1 + 36, 16 * items.length / (2 * Math.PI * 1.1));
  function ring(k, of, r, turn) {
    var a = 2 * Math.PI * (k + turn) / of - Math.PI / 2;
    return [cx + 1.25 * r * Math.cos(a), cy + r * Math.sin(a)];
  }
  // The picture grows to hold the ring and keeps what it held (the labels).
  var x0 = Math.min(box.x, cx - 1.25 * r2 - 12), x1 = Math.max(box.x + box.width, cx + 1.25 * r2 + 12);
  var y0 = Math.min(box.y, cy - r2 - 12), y1 = Math.max(box.y + box.height, cy + r2 + 12);
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(e);
    return e;
  }
  function f(x) { return x.toFixed(1); }
  // graph::shape: the marker of a class (colour is never the only cue).
  function shape(g, x, y, parent) {
    var r = 6, k = Number(g);
    if (k >= 8) return el("circle", { cx: f(x), cy: f(y), r: f(r * 0.7) }, parent);
    if (k % 4 === 0) return el("circle", { cx: f(x), cy: f(y), r: f(r) }, parent);
    if (k % 4 === 1) return el("rect", { x: f(x - r), y: f(y - r), width: f(2 * r), height: f(2 * r) }, parent);
    if (k % 4 === 2) return el("path", { d: "M" + f(x) + " " + f(y - r * 1.3) + "L" + f(x + r * 1.3) + " " + f(y) + "L" + f(x) + " " + f(y + r * 1.3) + "L" + f(x - r * 1.3) + " " + f(y) + "Z" }, parent);
    return el("path", { d: "M" + f(x) + " " + f(y - r * 1.3) + "L" + f(x + r * 1.2) + " " + f(y + r * 0.9) + "L" + f(x - r * 1.2) + " " + f(y + r * 0.9) + "Z" }, parent);
  }
  // A marker never sits on a label of the first ring: one that would is
  // moved outwards, along its ray from the centre, until it clears them all.
  function clear(at, boxes) {
    var dx = at[0] - cx, dy = at[1] - cy, len = Math.sqrt(dx * dx + dy * dy) || 1;
    function hit(p) {
      return boxes.some(function (b) { return p[0] > b.x - 9 && p[0] < b.x + b.width + 9 && p[1] > b.y - 9 && p[1] < b.y + b.height + 9; });
    }
    for (var i = 0; i < 200 && hit(at); i++) at = [at[0] + 3 * dx / len, at[1] + 3 * dy / len];
    return at;
  }
  var drawn = [];
  function draw() {
    // The first ring's labels, measured once: the markers added below have none.
    var boxes = Array.prototype.map.call(svg.querySelectorAll(".nodes text"), function (t) { return t.getBBox(); });
    var edges = svg.querySelector(".edges"), nodes = svg.querySelector(".nodes");
    items.forEach(function (it, k) {
      var at = clear(ring(k, items.length, r2, 0.5), boxes), from = ring(it.p, first, r1, 0);
      x0 = Math.min(x0, at[0] - 12); x1 = Math.max(x1, at[0] + 12);
      y0 = Math.min(y0, at[1] - 12); y1 = Math.max(y1, at[1] + 12);
      drawn.push(el("line", { x1: f(from[0]), y1: f(from[1]), x2: f(at[0]), y2: f(at[1]) }, edges));
      var name = it.title + " (" + it.c + ")";
      var a = el("a", { href: it.href, "class": "node g" + it.g, "aria-label": name }, nodes);
      el("title", {}, a).textContent = name;
      shape(it.g, at[0], at[1], a);
      drawn.push(a);
    });
    svg.setAttribute("viewBox", [f(x0), f(y0), f(x1 - x0), f(y1 - y0)].join(" "));
    svg.setAttribute("width", f(x1 - x0));
    svg.setAttribute("height", f(y1 - y0));
    svg.setAttribute("aria-label", svg.getAttribute("aria-label").replace(/^Notes linked with/, "Notes within two links of"));
  }
  function undraw() {
    drawn.forEach(function (e) { e.parentNode.removeChild(e); });
    drawn = [];
    svg.setAttribute("viewBox", original.box);
    svg.setAttribute("width", original.w);
    svg.setAttribute("height", original.h);
    svg.setAttribute("aria-label", svg.getAttribute("aria-label").replace(/^Notes within two links of/, "Notes linked with"));
  }
  var note = document.createElement("p");
  note.className = "muted ring-note";
  note.textContent = "The outer ring of the graph above marks these " + items.length + " notes two links away; point at a marker for its name.";
  more.appendChild(note);
  more.addEventListener("toggle", function () {
    if (more.open && !drawn.length) draw();
    else if (!more.open && drawn.length) undraw();
  });
  if (more.open) draw();
  }
})();

(function () {
  "use strict";
  var frame = document.querySelector(".graph-site");
  var svg = frame && frame.querySelector("svg.graph");
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal) return;
  // The whole graph, fitted to the frame (style.css does it without this
  // script too); the frame then takes every drag, pinch and wheel.
  var full = svg.viewBox.baseVal;
  var view = { x: full.x, y: full.y, w: full.width, h: full.height };
  var start = { x: view.x, y: view.y, w: view.w, h: view.h };
  svg.setAttribute("width", "100%");
  svg.removeAttribute("height");
  svg.style.height = Math.min(window.innerHeight * 0.75, frame.clientWidth * start.h / start.w) + "px";
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  frame.classList.add("pannable");

  function apply() {
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
  }
  function zoom(factor, cx, cy) {
    var w = Math.min(start.w * 1.5, Math.max(start.w / 12, view.w * factor));
    var h = w * start.h / start.w;
    view.x = cx - (cx - view.x) * (w / view.w);
    view.y = cy - (cy - view.y) * (h / view.h);
    view.w = w;
    view.h = h;
    apply();
  }
  function centre() { return [view.x + view.w / 2, view.y + view.h / 2]; }
  // A point of the screen in graph units (preserveAspectRatio meet: the
  // picture is centred in the box at one scale).
  function toGraph(x, y) {
    var r = svg.getBoundingClientRect();
    var scale = Math.max(view.w / r.width, view.h / r.height);
    var ox = (r.width * scale - view.w) / 2, oy = (r.height * scale - view.h) / 2;
    return [view.x - ox + (x - r.left) * scale, view.y - oy + (y - r.top) * scale, scale];
  }

  var bar = document.createElement("div");
  bar.className = "graph-controls";
  [["Zoom in", function () { var c = centre(); zoom(1 / 1.4, c[0], c[1]); }],
   ["Zoom out", function () { var c = centre(); zoom(1.4, c[0], c[1]); }],
   ["Reset view", function () { view = { x: start.x, y: start.y, w: start.w, h: start.h }; apply(); }]
  ].forEach(function (b) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = b[0];
    button.onclick = b[1];
    bar.appendChild(button);
  });
  frame.parentNode.insertBefore(bar, frame);

  svg.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = toGraph(e.clientX, e.clientY);
    zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
  }, { passive: false });
  // Pointers down (mouse, pen or fingers): one drags, two pinch.
  var pointers = {}, drag = null, moved = false;
  function down() { return Object.keys(pointers).map(function (k) { return pointers[k]; }); }
  function begin() {
    var ps = down();
    if (ps.length === 1) drag = { x: ps[0].x, y: ps[0].y, vx: view.x, vy: view.y };
    else if (ps.length === 2) {
      var mx = (ps[0].x + ps[1].x) / 2, my = (ps[0].y + ps[1].y) / 2;
      drag = { pinch: Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y) || 1, at: toGraph(mx, my), w: view.w };
    } else drag = null;
  }
  svg.addEventListener("pointerdown", function (e) {
    if (e.pointerType === "mouse" && e.button !== 0) return;
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    if (down().length === 1) moved = false;
    begin();
  });
  svg.addEventListener("pointermove", function (e) {
    if (!pointers[e.pointerId] || !drag) return;
    pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    var ps = down();
    if (drag.pinch && ps.length === 2) {
      var d = Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y);
      var factor = drag.w * drag.pinch / Math.max(d, 1) / view.w;
      zoom(factor, drag.at[0], drag.at[1]);
      moved = true;
      return;
    }
    var scale = toGraph(e.clientX, e.clientY)[2];
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!moved && svg.setPointerCapture) { try { svg.setPointerCapture(e.pointerId); } catch (err) { /* a synthetic pointer */ } }
    moved = true;
    view.x = drag.vx - dx * scale;
    view.y = drag.vy - dy * scale;
    apply();
  });
  function end(e) {
    delete pointers[e.pointerId];
    begin();
  }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  // A drag or pinch that ends on a node must not open it.
  svg.addEventListener("click", function (e) { if (moved) { e.preventDefault(); moved = false; } }, true);
})();
