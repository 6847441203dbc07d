// Lode live reload: injected by `lode serve` only, never by `lode build`.
(() => {
  const key = "lode-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => scrollTo(0, Number(saved)));
  }
  const here = () => {
    let path = decodeURIComponent(location.pathname).replace(/^\/+/, "");
    if (path === "" || path.endsWith("/")) path += "index.html";
    return path;
  };
  const reload = () => {
    sessionStorage.setItem(key, String(scrollY));
    location.reload();
  };
  let overlay = null;
  const hide = () => { if (overlay) { overlay.remove(); overlay = null; } };
  const show = (lines) => {
    hide();
    // The overlay lists the warnings too: the panel would say them twice.
    hideWarnings();
    overlay = document.createElement("div");
    overlay.id = "lode-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
      "background:#2b0b0e;color:#ffe3e3;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
      "border-top:4px solid #ff6b6b;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
    const title = document.createElement("strong");
    title.textContent = "The site does not build: the last good version is shown. Fix the note and save.";
    const list = document.createElement("pre");
    // Explicit colours: the site's own `pre` styles must not make it unreadable.
    list.style.cssText = "white-space:pre-wrap;margin:.6rem 0 0;padding:0;border:0;background:transparent;color:#ffe3e3;font:inherit";
    list.textContent = lines.join("\n");
    overlay.append(title, list);
    document.body.append(overlay);
  };
  // Warnings of the last good build: a small panel in a corner, a labelled
  // region with a close button. Closing hides these warnings for this tab;
  // a build with other warnings shows the panel again.
  let panel = null;
  const style = document.createElement("style");
  style.textContent =
    "#lode-warnings{position:fixed;right:.5rem;bottom:.5rem;z-index:2147483646;box-sizing:border-box;" +
    "width:min(34rem,calc(100% - 1rem));max-height:40vh;overflow:auto;padding:.6rem .8rem;" +
    "font:13px/1.45 ui-monospace,monospace;border-radius:6px;border:1px solid;border-left-width:4px;" +
    "background:light-dark(#fffbea,#2a2410);color:light-dark(#3d2f00,#fbeec1);" +
    "border-color:light-dark(#d4a400,#d4a400);box-shadow:0 2px 12px rgba(0,0,0,.25)}" +
    "#lode-warnings h2{font:600 13px/1.4 system-ui,sans-serif;margin:0 2.2rem .3rem 0;color:inherit}" +
    "#lode-warnings ul{margin:0;padding:0;list-style:none}" +
    "#lode-warnings li{margin:.25rem 0;overflow-wrap:anywhere;white-space:pre-wrap}" +
    "#lode-warnings button{position:absolute;top:.35rem;right:.35rem;min-width:2rem;min-height:2rem;" +
    "font:18px/1 system-ui,sans-serif;color:inherit;background:transparent;border:1px solid currentColor;" +
    "border-radius:4px;cursor:pointer}" +
    "#lode-warnings button:focus-visible{outline:3px solid light-dark(#0b57d0,#8ab4f8);outline-offset:2px}";
  const hideWarnings = () => { if (panel) { panel.remove(); panel = null; } };
  const showWarnings = (lines) => {
    hideWarnings();
    const key = "lode-warnings-closed";
    const text = lines.join("\n");
    if (lines.length === 0 || sessionStorage.getItem(key) === text) return;
    if (!style.isConnected) document.head.append(style);
    panel = document.createElement("section");
    panel.id = "lode-warnings";
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-labelledby", "lode-warnings-title");
    const title = document.createElement("h2");
    title.id = "lode-warnings-title";
    title.textContent = lines.length === 1 ? "1 build warning" : lines.length + " build warnings";
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close the build warnings");
    close.addEventListener("click", () => { sessionStorage.setItem(key, text); hideWarnings(); });
    const list = document.createElement("ul");
    for (const line of lines) {
      const item = document.createElement("li");
      item.textContent = line;
      list.append(item);
    }
    panel.append(title, close, list);
    document.body.append(panel);
  };
  let server = null;
  const source = new EventSource("/__lode/events");
  source.addEventListener("hello", (e) => {
    const { id } = JSON.parse(e.data);
    if (server !== null && server !== id) reload();
    server = id;
    // Connected: a reload from now on reaches this page (tests wait on it).
    document.documentElement.dataset.lodeLive = "connected";
  });
  source.addEventListener("reload", (e) => {
    const { pages, all } = JSON.parse(e.data);
    hide();
    if (all || pages.includes(here())) reload();
  });
  source.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("lode", Date.now());
      link.href = url.href;
    }
  });
  source.addEventListener("failed", (e) => show(JSON.parse(e.data).diagnostics));
  source.addEventListener("ok", hide);
  source.addEventListener("warnings", (e) => showWarnings(JSON.parse(e.data).diagnostics));
})();
