// Search: a dialog over the Pagefind index in pagefind/, loaded on first use.
// The header's search button stays hidden without JavaScript; pages read the same.
(() => {
  "use strict";
  const button = document.querySelector(".search-button");
  if (!button || typeof HTMLDialogElement !== "function") return;
  // The site's root, from the page's path to it ("../../", or "/REPO/" on 404.html).
  const root = new URL(button.dataset.searchRoot || "./", location.href);
  const PAGE = 10; // Results shown at first, and added by each "Show more".
  const EXCERPT_WORDS = 24; // Words in an excerpt (Pagefind's `excerptLength`).
  // The parts of a note a result can open at: a self-test question (`q3`)
  // or a flashcard (`card-1a2b3c4d`, `card-…-r`, `card-…-c2`, or a declared
  // field's row of the facts box, `field-china_share`).
  const PART = /^(q[0-9]+|card-[0-9a-z][0-9a-z-]*|field-\S+)$/;
  let pagefind = null;
  let loading = null;
  let dialog, input, results, status, selects, more;
  // The query on show: all of Pagefind's results, and how many are drawn.
  let current = null;
  let loadingMore = false;
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
    // Every result is reachable: the next ones, a page at a time. The status
    // line (a live region) says how many are shown.
    more = element("button", { type: "button", className: "search-more", textContent: "Show more", hidden: true });
    more.setAttribute("aria-controls", "search-results");
    more.addEventListener("click", showMore);
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
      more,
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
        await module.options({ baseUrl: root.pathname, excerptLength: EXCERPT_WORDS });
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
      current = null;
      more.hidden = true;
      return;
    }
    // One query at a time: Pagefind's worker mixes up the excerpts of
    // queries that overlap. A query overtaken while it waited is skipped.
    const task = queue.then(async () => {
      if (mine !== generation) return null;
      await load();
      const found = await pagefind.search(term || null, { filters });
      return { found, shown: await Promise.all(found.results.slice(0, PAGE).map((r) => r.data())) };
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
    const termWords = term.split(/\s+/).filter(Boolean).length;
    current = { results: found.results, shown: shown.length, termWords };
    results.replaceChildren(...shown.map((d) => item(d, termWords)));
    results.dataset.query = term; // What the list shows results for (the tests wait on it).
    showCount();
  }

  // The status line and the "Show more" button for what is on show.
  function showCount() {
    const n = current.results.length;
    const notes = `${n} note${n === 1 ? "" : "s"}`;
    status.textContent =
      n === 0 ? "No notes found." : current.shown < n ? `${notes} found; showing ${current.shown}.` : `${notes} found.`;
    results.dataset.shown = current.shown;
    more.hidden = current.shown >= n;
    more.textContent = `Show ${Math.min(PAGE, n - current.shown)} more`;
  }

  // The next page of results, after the ones shown; the focus moves to the
  // first of them, so a keyboard user goes on reading where the list grew.
  async function showMore() {
    if (!current || loadingMore) return;
    const mine = generation;
    const list = current;
    loadingMore = true;
    more.setAttribute("aria-busy", "true");
    const task = queue.then(() =>
      mine === generation ? Promise.all(list.results.slice(list.shown, list.shown + PAGE).map((r) => r.data())) : null,
    );
    queue = task.catch(() => {});
    let page;
    try {
      page = await task;
    } catch {
      if (mine === generation) status.textContent = "The search index is not available yet.";
      return;
    } finally {
      loadingMore = false;
      more.removeAttribute("aria-busy");
    }
    if (!page || mine !== generation || current !== list) return;
    const items = page.map((d) => item(d, list.termWords));
    results.append(...items);
    list.shown += page.length;
    showCount();
    items[0]?.querySelector("a").focus();
  }

  // Where a result opens: at the question or flashcard the matched words are
  // in, else at the top of the note. Pagefind numbers the words of a page's
  // indexed text from 0 (text under data-pagefind-ignore is not counted)
  // and gives each element with an id as an anchor whose `location` is the
  // number of its first word; each matched word comes with its number and
  // score. A stretch runs from an anchor to the next one. Answers and card
  // backs are not indexed, so a question's or card's stretch holds its
  // front (and the question's options); a card's runs on to the next
  // element with an id.
  //
  // The matches that count are the densest run of the query's length
  // inside one stretch (as Pagefind picks its excerpt, but never across an
  // anchor), by the number of matched words in it: searching a question's
  // words finds them together there, while common words ("the",
  // "article") scattered over the note, however high Pagefind scores them,
  // count once each. Ties go to the run's score, then to the stretch with
  // the most score in all, then to the first.
  function destination(data, termWords) {
    const anchors = (data.anchors || []).filter((a) => a.id).sort((a, b) => a.location - b.location);
    const words = (
      data.weighted_locations?.length
        ? data.weighted_locations
        : (data.locations || []).map((location) => ({ location, balanced_score: 1 }))
    )
      .map((w) => ({ location: w.location, score: w.balanced_score || w.weight || 1 }))
      .sort((a, b) => a.location - b.location);
    const stretchOf = (location) => {
      let at = -1;
      while (at + 1 < anchors.length && anchors[at + 1].location <= location) at += 1;
      return at;
    };
    const totals = new Map(); // stretch (-1: before the first anchor) → score of all its matches
    for (const word of words) {
      word.at = stretchOf(word.location);
      totals.set(word.at, (totals.get(word.at) || 0) + word.score);
    }
    const span = Math.max(1, termWords || 1);
    let best = -1;
    let top = [];
    for (let i = 0; i < words.length; i += 1) {
      let count = 0;
      let score = 0;
      for (let j = i; j < words.length && words[j].location < words[i].location + span && words[j].at === words[i].at; j += 1) {
        count += 1;
        score += words[j].score;
      }
      const key = [count, score, totals.get(words[i].at)];
      const differs = key.findIndex((k, n) => k !== top[n]); // the first of the keys that differs
      if (top.length === 0 || (differs >= 0 && key[differs] > top[differs])) [best, top] = [words[i].at, key];
    }
    const anchor = anchors[best];
    if (!anchor || !PART.test(anchor.id)) return { url: data.url, part: null, excerpt: data.excerpt };
    const part = anchor.id.startsWith("q") ? `Question ${anchor.id.slice(1)}` : "Flashcard";
    const end = anchors[best + 1]?.location;
    const marked = words.filter((w) => w.at === best).map((w) => w.location);
    return { url: `${data.url.split("#")[0]}#${anchor.id}`, part, excerpt: partExcerpt(data, anchor.location, end, marked) };
  }

  // The excerpt of a question or card: its own words from its start (or
  // from just before the first match, when that is further on), never the
  // words before it, with the matches in <mark>, as Pagefind marks them.
  function partExcerpt(data, start, end, marked) {
    const words = (data.raw_content ?? data.content ?? "").split(/[^\S\uFEFF]+/);
    const stop = Math.min(end ?? words.length, words.length);
    const first = Math.min(...marked);
    const from = first - start < EXCERPT_WORDS ? start : Math.max(start, Math.min(first - 4, stop - EXCERPT_WORDS));
    const to = Math.min(stop, from + EXCERPT_WORDS);
    const shown = [];
    for (let i = from; i < to; i += 1) shown.push(marked.includes(i) ? `<mark>${words[i]}</mark>` : words[i]);
    return (from > start ? "… " : "") + shown.join(" ") + (to < stop ? " …" : "");
  }

  // A result: title, collection and the excerpt with the matched words in
  // <mark>; "Question 3" or "Flashcard" when it opens at one.
  function item(data, termWords) {
    const { url, part, excerpt: shownExcerpt } = destination(data, termWords);
    const link = element("a", { href: url, className: "search-result" }, [
      element("span", { className: "search-result-title", textContent: data.meta.title || data.url }),
    ]);
    if (data.meta.collection) {
      link.append(element("span", { className: "search-result-collection", textContent: data.meta.collection }));
    }
    if (part) link.append(element("span", { className: "search-result-part", textContent: part }));
    link.append(element("span", { className: "search-result-excerpt" }, excerpt(shownExcerpt || "")));
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

  // Arrows move between the input, the results and "Show more"; Enter
  // follows the focused link or presses the button (the browser's own);
  // Escape closes at once (a search field would otherwise take the first one
  // to clear itself).
  function onKey(e) {
    const links = [...results.querySelectorAll("a")];
    if (!more.hidden) links.push(more);
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
    } else if (at !== -1 && e.target !== more && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
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
