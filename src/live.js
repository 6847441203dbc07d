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
})();
