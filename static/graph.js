// Pan and zoom for the site graph on /graph/: drag to pan, wheel or the
// buttons to zoom. Without it the graph is a plain scrollable picture.
(function () {
  "use strict";
  var frame = document.querySelector(".graph-site");
  var svg = frame && frame.querySelector("svg.graph");
  // Phones keep the plain picture: there, a finger scrolls the page and the frame.
  if (!svg || !svg.viewBox || !svg.viewBox.baseVal || window.matchMedia("(max-width: 48rem)").matches) return;
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
  function toGraph(e) {
    var r = svg.getBoundingClientRect();
    var scale = Math.max(view.w / r.width, view.h / r.height);
    return [view.x + (e.clientX - r.left) * scale, view.y + (e.clientY - r.top) * scale, scale];
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
    var p = toGraph(e);
    zoom(e.deltaY > 0 ? 1.15 : 1 / 1.15, p[0], p[1]);
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (e) {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false, id: e.pointerId };
  });
  svg.addEventListener("pointermove", function (e) {
    if (!drag) return;
    var scale = toGraph(e)[2];
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    if (!drag.moved) svg.setPointerCapture(drag.id);
    drag.moved = true;
    view.x = drag.vx - dx * scale;
    view.y = drag.vy - dy * scale;
    apply();
  });
  function end() { setTimeout(function () { drag = null; }, 0); }
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  // A drag that ends on a node must not open it.
  svg.addEventListener("click", function (e) { if (drag && drag.moved) e.preventDefault(); }, true);
})();
