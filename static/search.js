// Search: a dialog over the Pagefind index in pagefind/, loaded on first use.
// The header's search button stays hidden without JavaScript; pages read the same.
(() => {
  "use strict";
  const button = document.querySelector(".search-button");
  if (!button || typeof HTMLDialogElement !== "function") return;
  // The site's root, from the page's path to it ("../../", or "/REPO/" on 404.html).
  const root = new URL(button.dataset.searchRoot || "./", location.href);
  const MAX_RESULTS = 10;
  let pagefind = null;
  let loading = null;
  let dialog, input, results, status, selects;
  let opener = null;
  let generation = 0;
  let queue = Promise.resolve();

  button.hidden = false;

  function element(tag, props = {}, children = []) {
    const el = Object.assign(document.createElement(tag), props);
    el.append(...children);
    return el;
  }

  // A labelled <select> of one of Pagefind's filters, filled once the index loads.
  function filterField(name, label, all) {
    const id = `search-filter-${name}`;
    const select = element("select", { id, name }, [element("option", { value: "", textContent: all })]);
    select.addEventListener("change", run);
    return { select, field: element("div", {}, [element("label", { htmlFor: id, textContent: label }), select]) };
  }

  function build() {
    input = element("input", {
      id: "search-input",
      type: "search",
      autocomplete: "off",
      spellcheck: false,
      enterKeyHint: "search",
    });
    input.setAttribute("aria-controls", "search-results");
    input.setAttribute("aria-describedby", "search-status");
    const collection = filterField("collection", "Collection", "All collections");
    const tag = filterField("tag", "Tag", "All tags");
    selects = { collection: collection.select, tag: tag.select };
    status = element("p", { id: "search-status", className: "search-status" });
    status.setAttribute("role", "status");
    results = element("ul", { id: "search-results", className: "search-results" });
    results.setAttribute("aria-label", "Results");
    const close = element("button", { type: "button", className: "search-close", textContent: "Close" });
    close.addEventListener("click", () => dialog.close());
    dialog = element("dialog", { className: "search-dialog" }, [
      element("div", { className: "search-bar" }, [
        element("label", { htmlFor: "search-input", className: "search-label", textContent: "Search notes" }),
        input,
        close,
      ]),
      element("div", { className: "search-filters" }, [collection.field, tag.field]),
      status,
      results,
    ]);
    dialog.setAttribute("aria-label", "Search");
    input.addEventListener("input", run);
    dialog.addEventListener("keydown", onKey);
    // A click on the backdrop (outside the dialog's box) closes it.
    dialog.addEventListener("click", (e) => {
      if (e.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", () => {
      if (opener && document.contains(opener)) opener.focus();
    });
    document.body.append(dialog);
  }

  async function load() {
    if (pagefind) return pagefind;
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
        // Result URLs are root-relative (/minerals/lithium/): prefix the site's path.
        await module.options({ baseUrl: root.pathname, excerptLength: 24 });
        await module.init();
        return module;
      });
    }
    try {
      pagefind = await loading;
    } catch (error) {
      loading = null; // Try again on the next keystroke (lode serve indexes after a build).
      throw error;
    }
    fillFilters();
    return pagefind;
  }

  async function fillFilters() {
    const available = await pagefind.filters();
    for (const [name, select] of Object.entries(selects)) {
      const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b));
      for (const value of values) {
        select.append(element("option", { value, textContent: `${value} (${available[name][value]})` }));
      }
      select.parentElement.hidden = values.length === 0;
    }
  }

  function open() {
    if (!dialog) build();
    if (dialog.open) return;
    opener = document.activeElement;
    dialog.showModal();
    input.focus();
    input.select();
    load().catch(() => {
      status.textContent = "The search index is not available yet.";
    });
  }

  async function run() {
    const term = input.value.trim();
    const mine = ++generation;
    const filters = {};
    for (const [name, select] of Object.entries(selects)) {
      if (select.value) filters[name] = select.value;
    }
    if (!term && Object.keys(filters).length === 0) {
      results.replaceChildren();
      delete results.dataset.query;
      status.textContent = "";
      return;
    }
    // One query at a time: Pagefind's worker mixes up the excerpts of
    // queries that overlap. A query overtaken while it waited is skipped.
    const task = queue.then(async () => {
      if (mine !== generation) return null;
      await load();
      const found = await pagefind.search(term || null, { filters });
      return { found, shown: await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data())) };
    });
    queue = task.catch(() => {});
    let answer;
    try {
      answer = await task;
    } catch {
      if (mine === generation) status.textContent = "The search index is not available yet.";
      return;
    }
    if (!answer || mine !== generation) return; // A newer query has started.
    const { found, shown } = answer;
    results.replaceChildren(...shown.map(item));
    results.dataset.query = term; // What the list shows results for (the tests wait on it).
    const n = found.results.length;
    status.textContent =
      n === 0 ? "No notes found." : n > MAX_RESULTS ? `${n} notes found; showing the first ${MAX_RESULTS}.` : `${n} note${n === 1 ? "" : "s"} found.`;
  }

  // A result: title, collection and the excerpt with the matched words in <mark>.
  function item(data) {
    const link = element("a", { href: data.url, className: "search-result" }, [
      element("span", { className: "search-result-title", textContent: data.meta.title || data.url }),
    ]);
    if (data.meta.collection) {
      link.append(element("span", { className: "search-result-collection", textContent: data.meta.collection }));
    }
    link.append(element("span", { className: "search-result-excerpt" }, excerpt(data.excerpt || "")));
    return element("li", {}, [link]);
  }

  // Pagefind's excerpt is text with `<` and `>` escaped and <mark> around
  // matches: only the marks become elements, everything else stays text.
  function excerpt(html) {
    const text = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    const nodes = [];
    let marked = false;
    for (const part of html.split(/(<\/?mark>)/)) {
      if (part === "<mark>") marked = true;
      else if (part === "</mark>") marked = false;
      else if (part) nodes.push(marked ? element("mark", { textContent: text(part) }) : text(part));
    }
    return nodes;
  }

  // Arrows move between the input and the results; Enter follows the focused
  // link (the browser's own); Escape closes at once (a search field would
  // otherwise take the first one to clear itself).
  function onKey(e) {
    const links = [...results.querySelectorAll("a")];
    const at = links.indexOf(document.activeElement);
    if (e.key === "Escape") {
      e.preventDefault();
      dialog.close();
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (links.length === 0 || (at === -1 && document.activeElement !== input)) return;
      e.preventDefault();
      const next = e.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) input.focus();
      else links[Math.min(next, links.length - 1)].focus();
    } else if (e.key === "Enter" && document.activeElement === input && links.length > 0) {
      e.preventDefault();
      links[0].click();
    } else if (at !== -1 && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
      input.focus(); // Typing on a result goes on typing the query.
    }
  }

  function typing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  button.addEventListener("click", open);
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || (dialog && dialog.open)) return;
    const slash = e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey;
    const k = (e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey;
    if ((slash || k) && !typing(e.target)) {
      e.preventDefault();
      open();
    }
  });
})();
