// Three enhancements of the link graphs (src/graph.rs):
// - a note's local graph, which the page holds as a list of links by
//   collection (page weight: graph::local_list), laid out here by
//   graph.rs's rules and painted as two pictures (a ring or columns for
//   wide screens, two columns for phones; style.css shows one by width),
//   element for element as graph::write_svg writes; without JavaScript the
//   list shows;
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
  // The page's words, else this English (static/strings.js).
  var say = window.lodeSay;
  var list = document.querySelector(".local-graph ul.graph-links");
  if (!list) return;
  var NS = "http://www.w3.org/2000/svg";
  var name = list.getAttribute("aria-label");
  // The note itself, then each neighbour (in the ring's order): title,
  // link, class, collection.
  var nodes = [{ t: list.dataset.t, href: list.dataset.href, g: list.dataset.g, c: list.dataset.c, centre: true }];
  Array.prototype.forEach.call(list.children, function (li) {
    var c = li.firstChild.data.replace(/: $/, "");
    Array.prototype.forEach.call(li.querySelectorAll("a"), function (a) {
      nodes.push({ t: a.textContent, href: a.getAttribute("href"), g: li.dataset.g, c: c });
    });
  });
  function el(tag, attrs, parent) {
    var e = document.createElementNS(NS, tag);
    for (var i = 0; i < attrs.length; i += 2) e.setAttribute(attrs[i], attrs[i + 1]);
    if (parent) parent.appendChild(e);
    return e;
  }
  // graph::D1: one decimal, less a trailing ".0"; an exact tie (x.25,
  // x.75) to the even tenth, as Rust's formatting rounds it.
  function f(x) {
    var t = x * 10, fr = t - Math.trunc(t), r;
    if (x >= 0 && t < 1e15 && Math.abs(fr - 0.5) > 1e-6) r = Math.round(t);
    else if (x >= 0 && t < 1e15 && x * 4 === Math.floor(x * 4) && (x * 4) % 2 === 1) { r = Math.floor(t); if (r % 2) r += 1; }
    else return x.toFixed(1).replace(/\.0$/, "");
    return r % 10 ? Math.floor(r / 10) + "." + (r % 10) : String(r / 10);
  }
  // graph::push_shape: the marker of a class (colour is never the only cue).
  function shape(g, x, y, r, parent) {
    var k = Number(g), xs = f(x), ys = f(y);
    if (k >= 8) return el("circle", ["cx", xs, "cy", ys, "r", f(r * 0.7)], parent);
    if (k % 4 === 0) return el("circle", ["cx", xs, "cy", ys, "r", f(r)], parent);
    if (k % 4 === 1) return el("rect", ["x", f(x - r), "y", f(y - r), "width", f(2 * r), "height", f(2 * r)], parent);
    if (k % 4 === 2) return el("path", ["d", "M" + xs + " " + f(y - r * 1.3) + "L" + f(x + r * 1.3) + " " + ys + "L" + xs + " " + f(y + r * 1.3) + "L" + f(x - r * 1.3) + " " + ys + "Z"], parent);
    return el("path", ["d", "M" + xs + " " + f(y - r * 1.3) + "L" + f(x + r * 1.2) + " " + f(y + r * 0.9) + "L" + f(x - r * 1.2) + " " + f(y + r * 0.9) + "Z"], parent);
  }

  // The layout of graph.rs's local graph (graph::local_pictures and the
  // label placing it calls), done here rather than at build time (build
  // time and page weight); graph.rs keeps the same rules for /graph/.
  var LINE = 14.3, W = {};
  "ilj.,:;'|!\u2019".split("").forEach(function (ch) { W[ch] = 0.3; });
  "ftr()- IJ".split("").forEach(function (ch) { W[ch] = 0.42; });
  "mwMW\u2014%".split("").forEach(function (ch) { W[ch] = 1; });
  // graph::label_width: width at 13 units from a width per kind of glyph.
  function width(text) {
    var sum = 0;
    Array.from(text).forEach(function (ch) {
      sum += W[ch] !== undefined ? W[ch] : /[0-9a-z]/.test(ch) ? 0.65 : /[A-Z&]/.test(ch) ? 0.8 : 0.75;
    });
    return sum * 13;
  }
  // UTF-8 length (graph.rs measures in bytes).
  function bytes(s) {
    var n = 0;
    Array.from(s).forEach(function (ch) { var c = ch.codePointAt(0); n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; });
    return n;
  }
  // graph::label_lines: over 22 characters, two lines split at the space
  // nearest the middle (the first keeps it).
  function labelLines(title) {
    var chars = Array.from(title);
    if (chars.length <= 22) return [title];
    var middle = bytes(chars.slice(0, Math.floor(chars.length / 2)).join("")), best = -1, dist = Infinity;
    for (var i = title.indexOf(" "); i >= 0; i = title.indexOf(" ", i + 1)) {
      var d = Math.abs(bytes(title.slice(0, i)) - middle);
      if (d < dist) { dist = d; best = i; }
    }
    return best < 0 ? [title] : [title.slice(0, best + 1), title.slice(best + 1)];
  }
  // graph::shortened: the first words within 14 characters, with "…".
  function shortened(title) {
    var chars = Array.from(title);
    if (chars.length <= 14) return [title];
    var cut = chars.slice(0, 13).join(""), space = cut.lastIndexOf(" ");
    if (space >= 0 && bytes(cut.slice(0, space)) >= 6) cut = cut.slice(0, space);
    return [cut.replace(/\s+$/, "") + "\u2026"];
  }
  // graph::fitted: on one line within `room`, else its first whole words and "…".
  function fitted(title, room) {
    if (width(title) <= room) return [title];
    var ellipsis = width("\u2026"), cut = "", words = title.split(" ");
    function trim(s) { return s.replace(/[ :,;\-\u2014\u2013]+$/, ""); }
    for (var i = 0; i < words.length; i++) {
      var next = cut === "" ? words[i] : cut + " " + words[i];
      if (width(trim(next)) + ellipsis > room) break;
      cut = next;
    }
    if (trim(cut) === "") {
      var space = title.indexOf(" ");
      if (space < 0) return [title];
      cut = title.slice(0, space);
    }
    return [trim(cut) + "\u2026"];
  }
  // graph::column_lines: one line, else as many words as fit and the rest.
  function columnLines(title, room) {
    if (width(title) <= room) return [title];
    var split = title.indexOf(" ");
    if (split < 0) return [title];
    for (var i = split; i >= 0; i = title.indexOf(" ", i + 1)) {
      if (width(title.slice(0, i)) > room) break;
      split = i;
    }
    return [title.slice(0, split + 1), fitted(title.slice(split + 1), room)[0]];
  }
  // graph::label_rect: the box of `lines` at (x, y), padded.
  function rect(x, y, anchor, lines, scale) {
    var w = 0;
    lines.forEach(function (l) { w = Math.max(w, width(l.trim())); });
    w *= scale;
    var left = anchor === "start" ? x : anchor === "end" ? x - w : x - w / 2;
    return [left - 2, y - 13.5, left + w + 2, y + 5 + LINE * (lines.length - 1)];
  }
  function hit(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }
  function side(ux) { return ux > 0.12 ? "start" : ux < -0.12 ? "end" : "middle"; }
  // graph::place_ring_labels: outwards by default; else further out, the
  // node's other sides, then shortened; clear of the markers.
  function ringLabels(at, c) {
    var markers = at.map(function (p, i) { var r = i ? 7 : 9; return [p[0] - r, p[1] - r, p[0] + r, p[1] + r]; });
    var placed = [];
    return nodes.map(function (n, i) {
      var x = at[i][0], y = at[i][1], scale = i ? 1 : 1.12, full = labelLines(n.t), short = shortened(n.t);
      var dx = x - c[0], dy = y - c[1], len = Math.sqrt(dx * dx + dy * dy), cands = [];
      [full, short].forEach(function (lines) {
        var lift = LINE * (lines.length - 1);
        if (len < 1) {
          cands.push([x, y + 24, "middle", lines], [x, y - 14 - lift, "middle", lines]);
          return;
        }
        var ux = dx / len, uy = dy / len, anchor = side(ux);
        [12, 26, 40].forEach(function (d) {
          cands.push([x + ux * d, y + uy * d + 4 + (uy > 0.3 ? 6 : 0) - (uy < -0.3 ? lift : 0), anchor, lines]);
        });
        cands.push([x + 11, y + 4 - lift / 2, "start", lines], [x - 11, y + 4 - lift / 2, "end", lines],
          [x, y - 12 - lift, "middle", lines], [x, y + 21, "middle", lines]);
      });
      function box(cand) { return rect(cand[0], cand[1], cand[2], cand[3], scale); }
      function onLabel(r) { return placed.some(function (p) { return hit(r, p); }); }
      function onMarker(r) { return markers.some(function (m, k) { return k !== i && hit(r, m); }); }
      var best = cands.filter(function (cand) { var r = box(cand); return !onLabel(r) && !onMarker(r); })[0] ||
        cands.filter(function (cand) { return !onLabel(box(cand)); })[0];
      var label;
      if (best) label = { x: best[0], y: best[1], anchor: best[2], lines: best[3], rect: box(best) };
      else {
        var ux = len < 1 ? 0 : dx / len, uy = len < 1 ? 1 : dy / len, anchor = side(ux);
        for (var d = 54; ; d += 14) {
          var lx = x + ux * d, ly = y + uy * d + 4, r = rect(lx, ly, anchor, short, scale);
          if (!onLabel(r) || d > 2000) { label = { x: lx, y: ly, anchor: anchor, lines: short, rect: r }; break; }
        }
      }
      placed.push(label.rect);
      return label;
    });
  }
  // graph::place_column_labels: above the note; beside each neighbour,
  // away from the middle, on its row.
  function columnLabels(at, w) {
    var middle = at[0][0], room = w / 2 - 16 - 11 - 4;
    return nodes.map(function (n, i) {
      var x = at[i][0], y = at[i][1], l;
      if (!i) l = { x: x, y: y - 20, anchor: "middle", lines: fitted(n.t, (w - 8) / 1.12), scale: 1.12 };
      else if (x >= middle) l = { x: x + 11, y: y + 4.5, anchor: "start", lines: columnLines(n.t, room), scale: 1 };
      else l = { x: x - 11, y: y + 4.5, anchor: "end", lines: columnLines(n.t, room), scale: 1 };
      l.rect = rect(l.x, l.y, l.anchor, l.lines, l.scale);
      return l;
    });
  }
  // graph::lay_out: the picture cut to its markers and labels.
  function frame(kind, at, labels, centre) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    at.map(function (p) { return [p[0] - 10, p[1] - 10, p[0] + 10, p[1] + 10]; })
      .concat(labels.map(function (l) { return l.rect; })).forEach(function (r) {
        b = [Math.min(b[0], r[0]), Math.min(b[1], r[1]), Math.max(b[2], r[2]), Math.max(b[3], r[3])];
      });
    var x = Math.floor(b[0] - 4), y = Math.floor(b[1] - 4);
    return { kind: kind, at: at, labels: labels, centre: centre, view: [x, y, Math.ceil(b[2] + 4) - x, Math.ceil(b[3] + 4) - y] };
  }
  function columns(w) {
    var x = w / 2, right = Math.ceil((nodes.length - 1) / 2), next = [68, 68], room = w / 2 - 16 - 11 - 4;
    var at = nodes.map(function (n, i) {
      if (!i) return [x, 34];
      var s = i - 1 >= right ? 1 : 0, p = [x + (s ? -16 : 16), next[s]];
      next[s] += 22 + LINE * (columnLines(n.t, room).length - 1);
      return p;
    });
    return frame("columns", at, columnLabels(at, w));
  }
  function ring() {
    var n = nodes.length - 1, r1 = 60 + 5 * n, room = 0;
    nodes.forEach(function (node) { labelLines(node.t).forEach(function (l) { room = Math.max(room, width(l)); }); });
    room += 16;
    var size = [Math.round(2 * (1.25 * r1 + room)), Math.round(2 * (r1 + 48))], c = [size[0] / 2, size[1] / 2];
    var at = nodes.map(function (node, k) {
      if (!k) return c;
      var a = 2 * Math.PI * (k - 1) / n - Math.PI / 2;
      return [c[0] + 1.25 * r1 * Math.cos(a), c[1] + r1 * Math.sin(a)];
    });
    return frame("radial", at, ringLabels(at, c), c);
  }

  // graph::write_svg, element for element.
  function paint(p, cls) {
    var v = p.view.map(String);
    var attrs = ["class", "graph " + p.kind + " " + cls, "viewBox", v.join(" "), "width", v[2], "height", v[3]];
    if (p.centre) attrs.push("data-cx", f(p.centre[0]), "data-cy", f(p.centre[1]));
    var svg = el("svg", attrs.concat(["role", "group", "aria-label", name]));
    var d = "", o = f(p.at[0][0]) + " " + f(p.at[0][1]);
    for (var i = 1; i < nodes.length; i++) d += "M" + o + "L" + f(p.at[i][0]) + " " + f(p.at[i][1]);
    el("path", ["class", "c", "d", d], el("g", ["class", "edges", "aria-hidden", "true"], svg));
    var g = el("g", ["class", "nodes"], svg);
    nodes.forEach(function (n, i) {
      var a = el("a", ["href", n.href, "class", "node g" + n.g + (n.centre ? " centre" : "")], g);
      el("title", [], a).textContent = n.t + " (" + n.c + ")";
      shape(n.g, p.at[i][0], p.at[i][1], n.centre ? 9 : 6, a);
      var l = p.labels[i], lx = f(l.x);
      var text = el("text", ["x", lx, "y", f(l.y)].concat(l.anchor === "start" ? [] : ["text-anchor", l.anchor]).concat(["aria-hidden", "true"]), a);
      if (l.lines.length === 1) text.textContent = l.lines[0];
      else l.lines.forEach(function (line, k) { el("tspan", ["x", lx].concat(k ? ["dy", "1.1em"] : []), text).textContent = line; });
    });
    return svg;
  }
  // The wide picture: the ring, unless wider than 780 units (graph.rs's
  // RING_MAX_WIDTH), then columns 660 wide; the phone's: columns 340 wide.
  var wide = ring();
  if (wide.view[2] > 780) wide = columns(660);
  var box = document.createElement("div");
  box.className = "graph-frame";
  box.appendChild(paint(wide, "wide"));
  box.appendChild(paint(columns(340), "phone"));
  list.parentNode.insertBefore(box, list);
  list.hidden = true;
})();

(function () {
  "use strict";
  // The page's words, else this English (static/strings.js).
  var say = window.lodeSay;
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
      // Links made whole from the shard's <base>; data-k keys its
      // collections' table (graph.rs, hop_collections).
      var base = doc.querySelector("base[href]");
      var from = base ? new URL(base.getAttribute("href"), link.href).href : link.href;
      var keys = {};
      Array.prototype.forEach.call(doc.querySelectorAll(".hop-collections li"), function (li) {
        keys[li.dataset.k] = li;
      });
      Array.prototype.forEach.call(list.querySelectorAll("a"), function (a) {
        a.setAttribute("href", new URL(a.getAttribute("href"), from).href);
        var c = keys[a.dataset.k];
        if (c) {
          a.dataset.g = c.dataset.g;
          // A shard serves every language: the notes in no collection have no name there.
          a.dataset.c = c.textContent || say("graph_other", "Other");
        }
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
  var original = { box: [box.x, box.y, box.width, box.height].join(" "), w: svg.getAttribute("width"), h: svg.getAttribute("height"), label: svg.getAttribute("aria-label") };
  var linked = document.querySelector(".local-graph ul.graph-links");
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
    svg.setAttribute("aria-label", say("graph_two_links_of", "Notes within two links of {title}", { title: linked ? linked.dataset.t : "" }));
  }
  function undraw() {
    drawn.forEach(function (e) { e.parentNode.removeChild(e); });
    drawn = [];
    svg.setAttribute("viewBox", original.box);
    svg.setAttribute("width", original.w);
    svg.setAttribute("height", original.h);
    svg.setAttribute("aria-label", original.label);
  }
  var note = document.createElement("p");
  note.className = "muted ring-note";
  note.textContent = say("graph_outer_ring", "The outer ring of the graph above marks these {n} notes two links away; point at a marker for its name.", { n: items.length });
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
  // The page's words, else this English (static/strings.js).
  var say = window.lodeSay;
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
  [[say("zoom_in", "Zoom in"), function () { var c = centre(); zoom(1 / 1.4, c[0], c[1]); }],
   [say("zoom_out", "Zoom out"), function () { var c = centre(); zoom(1.4, c[0], c[1]); }],
   [say("reset_view", "Reset view"), function () { view = { x: start.x, y: start.y, w: start.w, h: start.h }; apply(); }]
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
