// Reader comforts: the backlinks past the first few, fetched when "Show
// all" opens; the theme switch (light, dark or the system's, kept in
// localStorage; base.html applies it before the first paint), the table of
// contents (closed on phones, the current section marked while scrolling),
// heading links that copy their URL when clicked, and wide formulas made
// focusable so a keyboard can scroll them. Pages read the same
// without this script.
(function () {
  "use strict";
  var html = document.documentElement;
  // The page's words, else this English (static/strings.js).
  var say = window.lodeSay;

  // The theme switch is written here, at the end of the site header
  // (page weight: it has no use without this script), unless the template
  // holds one.
  var switcher = document.querySelector(".theme-switch"), header = document.querySelector(".site-header .wrap");
  if (!switcher && header) {
    switcher = document.createElement("div");
    switcher.className = "theme-switch";
    switcher.hidden = true;
    header.appendChild(switcher);
  }
  if (switcher && !switcher.querySelector("select")) {
    switcher.innerHTML = '<label for="theme-select"></label><select id="theme-select"><option value="system"></option><option value="light"></option><option value="dark"></option></select>';
    switcher.querySelector("label").textContent = say("theme", "Theme");
    var options = switcher.querySelectorAll("option");
    options[0].textContent = say("theme_system", "System");
    options[1].textContent = say("theme_light", "Light");
    options[2].textContent = say("theme_dark", "Dark");
  }
  var select = switcher && switcher.querySelector("select");
  if (select) {
    var stored = null;
    try { stored = localStorage.getItem("lode-theme"); } catch (e) { /* storage blocked */ }
    select.value = stored === "light" || stored === "dark" ? stored : "system";
    switcher.hidden = false;
    select.addEventListener("change", function () {
      var theme = select.value;
      if (theme === "system") delete html.dataset.theme;
      else html.dataset.theme = theme;
      try {
        if (theme === "system") localStorage.removeItem("lode-theme");
        else localStorage.setItem("lode-theme", theme);
      } catch (e) { /* the choice lasts for this page only */ }
    });
  }

  // "Show all N" backlinks: past the first few, the list lives in a shared
  // file the page links to (page weight); opened, it is fetched and shown
  // in place of the link, less the ones the page shows. If the fetch fails
  // the link stays.
  var more = document.querySelector(".backlinks-more");
  var moreLink = more && more.querySelector(".backlinks-link a");
  if (moreLink) {
    var fetching = false;
    var fetchMore = function () {
      if (!more.open || fetching) return;
      fetching = true;
      fetch(moreLink.href).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (text) {
        var doc = new DOMParser().parseFromString(text, "text/html");
        var section = doc.getElementById(moreLink.hash.slice(1));
        var list = section && section.querySelector("ul");
        if (!list) throw new Error("no list");
        var shown = document.querySelectorAll(".backlinks > ul > li").length;
        for (var i = 0; i < shown && list.firstElementChild; i++) list.removeChild(list.firstElementChild);
        // The shard's links are relative to its <base>: made whole.
        var base = doc.querySelector("base[href]");
        var from = base ? new URL(base.getAttribute("href"), moreLink.href).href : moreLink.href;
        list.querySelectorAll("a").forEach(function (a) {
          a.setAttribute("href", new URL(a.getAttribute("href"), from).href);
        });
        moreLink.parentNode.replaceWith(document.importNode(list, true));
        more.removeEventListener("toggle", fetchMore);
      }).catch(function () { fetching = false; });
    };
    more.addEventListener("toggle", fetchMore);
    fetchMore();
  }

  var toc = document.querySelector(".toc");
  if (toc) {
    var details = toc.querySelector("details");
    if (details && window.matchMedia("(max-width: 63.99rem)").matches) details.open = false;
    var links = {};
    toc.querySelectorAll("a[href^='#']").forEach(function (a) {
      links[decodeURIComponent(a.hash.slice(1))] = a;
    });
    var headings = Array.prototype.filter.call(document.querySelectorAll("main [id]"), function (h) {
      return /^H[1-6]$/.test(h.tagName) && links[h.id];
    });
    var marked = null;
    // The current section: the last heading above the top third of the window.
    var update = function () {
      var line = window.innerHeight / 3, current = null;
      for (var i = 0; i < headings.length && headings[i].getBoundingClientRect().top <= line; i++) {
        current = headings[i];
      }
      var a = current && links[current.id];
      if (a === marked) return;
      if (marked) marked.removeAttribute("aria-current");
      if (a) a.setAttribute("aria-current", "location");
      marked = a;
    };
    if ("IntersectionObserver" in window && headings.length) {
      // Called whenever a heading crosses the top third of the window.
      var observer = new IntersectionObserver(update, { rootMargin: "0px 0px -66% 0px" });
      headings.forEach(function (h) { observer.observe(h); });
    }
  }

  // A formula wider than its column scrolls in its own box (style.css);
  // one that does is made focusable, so a keyboard can scroll it too.
  var scrollers = [];
  try { scrollers = document.querySelectorAll('math[display="block"], p:has(> math)'); } catch (e) { /* no :has() */ }
  var markScrollers = function () {
    scrollers.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
      else if (box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    });
  };
  if (scrollers.length) {
    markScrollers();
    var resizeTimer = 0;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(markScrollers, 150);
    });
  }

  var status = document.createElement("p");
  status.className = "copy-status";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  var statusTimer = 0;
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a.heading-anchor") : null;
    if (!a || !navigator.clipboard || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    // The link still navigates to the heading; the copy happens beside it.
    navigator.clipboard.writeText(a.href).then(function () {
      status.textContent = say("link_copied", "Link copied");
      status.classList.add("shown");
      clearTimeout(statusTimer);
      statusTimer = setTimeout(function () {
        status.classList.remove("shown");
        status.textContent = "";
      }, 2000);
    }, function () { /* no permission: the link still works */ });
  });
})();
