// Draws the page's Mermaid diagrams (<pre class="mermaid">, their source, which
// is what a reader without JavaScript sees). The body adds this script only to
// pages that have a diagram; it loads the site's own copy of Mermaid
// (_lode/mermaid/, next to this file's URL, so it works offline and under a
// sub-path) once a diagram comes near the screen, and draws again in the other
// colours when the reader switches between light and dark. A script that adds
// diagrams to the page later (the revise page's explanations and flashcards)
// calls window.lodeDiagrams.refresh() once they are in view.
(function () {
  "use strict";
  if (window.lodeDiagrams) return;
  window.lodeDiagrams = { refresh: refresh };
  var script = document.currentScript;
  var src = new URL("_lode/mermaid/mermaid.min.js", script ? script.src : location.href).href;
  var sources = new Map();

  function dark() {
    var t = document.documentElement.dataset.theme;
    if (t === "dark" || t === "light") return t === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  // Draws the page's diagrams; with `fresh`, only those not drawn yet.
  function draw(fresh) {
    var nodes = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
    if (fresh === true) nodes = nodes.filter(function (n) { return !sources.has(n); });
    nodes.forEach(function (n) {
      if (!sources.has(n)) sources.set(n, n.textContent);
      n.removeAttribute("data-processed");
      n.textContent = sources.get(n);
    });
    window.mermaid.initialize({ startOnLoad: false, theme: dark() ? "dark" : "default", securityLevel: "strict" });
    // One diagram at a time: one that fails to parse keeps its source in
    // view, with Mermaid's message after it, and the others still draw.
    nodes.forEach(function (n) {
      var shown = n.nextElementSibling;
      if (shown && shown.classList.contains("mermaid-error")) shown.remove();
      n.classList.remove("mermaid-failed");
      window.mermaid.run({ nodes: [n] }).catch(function (e) {
        n.removeAttribute("data-processed");
        n.textContent = sources.get(n);
        n.classList.add("mermaid-failed");
        var note = document.createElement("p");
        note.className = "mermaid-error";
        note.setAttribute("role", "note");
        var message = String((e && (e.message || e.str)) || e || "").split("\n")[0];
        note.textContent = "This diagram could not be drawn" + (message ? ": " + message : ".");
        n.after(note);
      });
    });
  }

  var loading = false, loaded = false;
  function load() {
    if (loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = src;
    s.onload = function () {
      loaded = true;
      draw();
      var media = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)");
      if (media && media.addEventListener) media.addEventListener("change", draw);
      new MutationObserver(draw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    };
    document.head.appendChild(s);
  }

  function start() {
    var first = document.querySelector("pre.mermaid");
    if (!first) return;
    if (!("IntersectionObserver" in window)) return load();
    var seen = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        seen.disconnect();
        load();
      }
    }, { rootMargin: "400px" });
    document.querySelectorAll("pre.mermaid").forEach(function (n) { seen.observe(n); });
  }

  function refresh() {
    if (loaded) draw(true);
    else start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
