// Search: a dialog over Lode's own index in _lode/search/, loaded on first use.
// Without JavaScript there is no search button; pages read the same.
(() => {
  "use strict";
  if (typeof HTMLDialogElement !== "function") return;
  // The header's search button is written here (page weight: it has no use
  // without this script), unless the template holds one. Its magnifier
  // icon is style.css's.
  // Interface strings in the page's language, else the English here, with
  // their {placeholders} filled (static/strings.js).
  const say = window.lodeSay;
  let button = document.querySelector(".search-button");
  const header = document.querySelector(".site-header .wrap");
  if (!button && header) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "search-button";
    button.setAttribute("aria-keyshortcuts", "/ Control+K Meta+K");
    button.hidden = true;
    button.innerHTML = '<span></span><kbd aria-hidden="true">/</kbd>';
    button.firstChild.textContent = say("search", "Search");
    header.appendChild(button);
  }
  if (!button) return;
  // The site's root, from the page's path to it ("../../", or "/REPO/" on
  // 404.html): the <body>'s (base.html), or an older template's button's.
  const root = new URL(button.dataset.searchRoot || document.body.dataset.root || "./", location.href);
  const PAGE = 10; // Results shown at first, and added by each "Show more".
  const EXCERPT_WORDS = 24; // Display words in an excerpt.
  // The parts of a note a result can open at: a self-test question (`q3`)
  // or a flashcard (`card-1a2b3c4d`, `card-…-r`, `card-…-c2`, or a declared
  // field's row of the facts box, `field-china_share`).
  const PART = /^(q[0-9]+|card-[0-9a-z][0-9a-z-]*|field-\S+)$/;
  // The search engine: Lode's own static index under _lode/search/,
  // written by src/search.rs (which documents the format). meta.json
  // is read on first use; the term chunks a query needs, the page fragments
  // of the results shown and filters.json (on the first filter) are fetched
  // as needed and kept for the page's life.
  // A site in several languages has one index per language (the <body>'s
  // data-search: "hi/_lode/search/" on a Hindi page).
  const INDEX = document.body.dataset.search || "_lode/search/";
  // Prefix matches count half an exact match: "mineral" finds "minerals"
  // and "mineralogy", ranked below notes with "mineral" itself.
  const PREFIX_FACTOR = 0.5;
  // The most term chunks one query word may load (its exact and plural
  // chunks first, then the chunks its prefixes run on into): a short prefix
  // ("co") spans many chunks at 100,000 notes, and a keystroke should not
  // fetch them all. Prefix matches beyond the cap are not found; exact and
  // plural matches always are.
  const CHUNK_CAP = 4;
  let index = null; // { meta, chunks: Map, pages: Map, filters }, of one build
  let loading = null;
  let dialog, input, results, status, selects, more;
  // The query on show: all its results, and how many are drawn.
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

  // A labelled <select> of one of the index's filters, filled once it loads.
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
    const collection = filterField("collection", say("filter_collection", "Collection"), say("all_collections", "All collections"));
    const tag = filterField("tag", say("filter_tag", "Tag"), say("all_tags", "All tags"));
    selects = { collection: collection.select, tag: tag.select };
    status = element("p", { id: "search-status", className: "search-status" });
    status.setAttribute("role", "status");
    results = element("ul", { id: "search-results", className: "search-results" });
    results.setAttribute("aria-label", say("results", "Results"));
    // Every result is reachable: the next ones, a page at a time. The status
    // line (a live region) says how many are shown.
    more = element("button", { type: "button", className: "search-more", textContent: say("show_more", "Show more"), hidden: true });
    more.setAttribute("aria-controls", "search-results");
    more.addEventListener("click", showMore);
    const close = element("button", { type: "button", className: "search-close", textContent: say("close", "Close") });
    close.addEventListener("click", () => dialog.close());
    dialog = element("dialog", { className: "search-dialog" }, [
      element("div", { className: "search-bar" }, [
        element("label", { htmlFor: "search-input", className: "search-label", textContent: say("search_notes", "Search notes") }),
        input,
        close,
      ]),
      element("div", { className: "search-filters" }, [collection.field, tag.field]),
      status,
      results,
      more,
    ]);
    dialog.setAttribute("aria-label", say("search", "Search"));
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

  // The index's JSON file at `path`. Chunks and fragments carry the build's
  // id in their query string, so a browser cache never mixes two builds;
  // meta.json is asked again of the server each time it is read.
  async function json(path, id) {
    const url = new URL(INDEX + path, root);
    if (id) url.searchParams.set("v", id);
    const response = await fetch(url, id ? {} : { cache: "no-cache" });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    return response.json();
  }

  // The index (its meta.json), loaded once; `stale` forgets the one loaded.
  async function load(stale) {
    if (stale && index === stale) {
      index = null;
      loading = null;
    }
    if (index) return index;
    if (!loading) {
      // A failed fetch is tried once more at once: the opening of the dialog
      // and the first query share this load, and a lone dropped request
      // would otherwise fail both.
      loading = json("meta.json")
        .catch(() => json("meta.json"))
        .then((meta) => ({ meta, chunks: new Map(), pages: new Map(), filters: null }));
    }
    try {
      index = await loading;
    } catch (error) {
      loading = null; // Try again on the next keystroke (lode serve indexes after a build).
      throw error;
    }
    fillFilters(index.meta.filters || {});
    return index;
  }

  // Each opening of the dialog after the first reads meta.json again (a
  // conditional request, "not modified" unless the site was rebuilt), so a
  // dialog opened after `lode serve` rebuilt the index searches the new one
  // even when the chunks its words need were loaded from the old one.
  async function refresh() {
    if (!index) return load();
    const meta = await json("meta.json");
    if (index && meta.id !== index.meta.id) {
      index = { meta, chunks: new Map(), pages: new Map(), filters: null };
      loading = Promise.resolve(index);
      fillFilters(meta.filters || {});
    }
    return index;
  }

  // The filters' options with their counts; a value already chosen stays
  // chosen when a rebuilt index fills them again.
  function fillFilters(available) {
    for (const [name, select] of Object.entries(selects)) {
      const chosen = select.value;
      const counts = available[name] || {};
      const values = Object.keys(counts).sort((a, b) => a.localeCompare(b));
      select.replaceChildren(
        select.options[0],
        ...values.map((value) => element("option", { value, textContent: `${value} (${counts[value]})` })),
      );
      select.value = values.includes(chosen) ? chosen : "";
      select.parentElement.hidden = values.length === 0;
    }
  }

  // A chunk or a fragment loaded once per index (a failed fetch is tried
  // again next time).
  function cached(map, key, path, id) {
    if (!map.has(key)) {
      const loaded = json(path, id);
      loaded.catch(() => map.delete(key));
      map.set(key, loaded);
    }
    return map.get(key);
  }

  /** The index was rebuilt since meta.json was read (`lode serve`). */
  class Stale extends Error {}

  async function chunk(ix, k) {
    const data = await cached(ix.chunks, k, `terms/${k}.json`, ix.meta.id);
    if (data.id !== ix.meta.id) throw new Stale();
    return data.terms;
  }

  // Words as the indexer reads them (the format's rules, equal to
  // src/search/extract.rs): fold accents and case, then runs of
  // alphabetic characters, numbers and combining marks (Rust's
  // is_alphanumeric, which counts "Ⓐ" as alphabetic where \p{L} does
  // not). "Zürich" is "zurich"; "world's" is "world", "s". Case is folded one character at a time, as Rust's
  // char::to_lowercase does: a whole string's toLowerCase() writes a
  // capital sigma at a word's end as "ς" where the indexer has "σ"; and
  // a typed final sigma "ς" is read as "σ", as the indexer reads it.
  const fold = (s) =>
    Array.from(s.normalize("NFD").replace(/[\u0300-\u036f]/g, ""), (c) => c.toLowerCase())
      .join("")
      .replace(/ς/g, "σ");
  const termsOf = (s) => fold(s).match(/[\p{Alphabetic}\p{N}\p{M}]+/gu) || [];

  // What one query word stands for: itself, and light plural folding
  // ("minerals" → "mineral", "batteries" → "battery", "boxes" → "box";
  // "es" is dropped only after s, x, z, ch or sh, so "notes" is not also
  // "not"), each leaving at least three characters. All are matched
  // exactly (factor 1: a plural is the same word) and as prefixes (factor
  // PREFIX_FACTOR, for words of two or more characters), so "mineral"
  // finds "minerals" and a word half typed finds the whole one.
  function forms(q) {
    const out = [q];
    if (/ies$/.test(q) && q.length - 3 >= 3) out.push(`${q.slice(0, -3)}y`);
    else if (/(s|x|z|ch|sh)es$/.test(q) && q.length - 2 >= 3) out.push(q.slice(0, -2));
    if (/[^s]s$/.test(q) && q.length - 1 >= 3) out.push(q.slice(0, -1));
    return out;
  }

  // The chunk a term would be in: the last whose first term is not after
  // it (-1: before the first chunk, so in none).
  function chunkOf(chunks, term) {
    let lo = 0;
    let hi = chunks.length; // chunks[lo - 1] <= term < chunks[hi]
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (chunks[mid] <= term) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  // The chunks one query word needs, at most CHUNK_CAP: each form's own
  // chunk, then, in order, the following chunks that begin with one of the
  // forms (terms sharing a prefix are contiguous in the sorted order).
  function chunksFor(chunks, words) {
    const need = [];
    const add = (k) => {
      if (k >= 0 && !need.includes(k) && need.length < CHUNK_CAP) need.push(k);
    };
    for (const w of words) add(chunkOf(chunks, w));
    for (const w of words) {
      if (w.length < 2) continue;
      for (let k = chunkOf(chunks, w) + 1; k < chunks.length && chunks[k].startsWith(w); k += 1) add(k);
    }
    return need;
  }

  // One query word's matches: page → { score, locations }. A page's score
  // for the word is its best-matching term's factor · idf · score / 100
  // (the best, not the sum, so a short prefix matching many terms on a
  // page does not outweigh the exact word). Each matched location keeps
  // the weight (factor · idf) of its term, for destination().
  async function match(ix, q) {
    const words = forms(q);
    const loaded = await Promise.all(chunksFor(ix.meta.chunks, words).map((k) => chunk(ix, k)));
    const n = ix.meta.pages;
    const pages = new Map();
    for (const terms of loaded) {
      for (const [term, postings] of Object.entries(terms)) {
        const factor = words.includes(term)
          ? 1
          : words.some((w) => w.length >= 2 && term.startsWith(w))
            ? PREFIX_FACTOR
            : 0;
        if (!factor) continue;
        const df = postings.length;
        const weight = factor * Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (const [page, score, ...deltas] of postings) {
          const hit = pages.get(page) || { score: 0, locations: new Map() };
          hit.score = Math.max(hit.score, (weight * score) / 100);
          let at = 0;
          for (const d of deltas) {
            at += d;
            hit.locations.set(at, Math.max(hit.locations.get(at) || 0, weight));
          }
          pages.set(page, hit);
        }
      }
    }
    return pages;
  }

  // The pages in every chosen filter value (null: no filter chosen).
  async function filtered(ix, filters) {
    const chosen = Object.entries(filters);
    if (chosen.length === 0) return null;
    if (!ix.filters) {
      ix.filters = json("filters.json", ix.meta.id);
      ix.filters.catch(() => (ix.filters = null));
    }
    const all = await ix.filters;
    let pages = null;
    for (const [name, value] of chosen) {
      const these = new Set(all[name]?.[value] || []);
      pages = pages ? new Set([...pages].filter((p) => these.has(p))) : these;
    }
    return pages;
  }

  // A query's results, best first: the pages on which every query word
  // matches (AND: each word narrows the list, as typing more should) and
  // which are in every chosen filter, by the sum over the words of their
  // scores (BM25), ties by page order. Without words, a filter's pages in
  // page order. Each result: { page, score, locations: Map location → weight }.
  async function searchIn(ix, term, filters) {
    const words = [...new Set(termsOf(term))];
    const [allowed, ...matched] = await Promise.all([filtered(ix, filters), ...words.map((q) => match(ix, q))]);
    let found;
    if (words.length === 0) {
      found = allowed ? [...allowed].map((page) => ({ page, score: 0, locations: new Map() })) : [];
    } else {
      found = [];
      for (const page of matched[0].keys()) {
        if (allowed && !allowed.has(page)) continue;
        const hits = matched.map((m) => m.get(page));
        if (hits.some((h) => !h)) continue;
        const locations = new Map();
        for (const h of hits) for (const [at, w] of h.locations) locations.set(at, Math.max(locations.get(at) || 0, w));
        found.push({ page, score: hits.reduce((sum, h) => sum + h.score, 0), locations });
      }
    }
    found.sort((a, b) => b.score - a.score || a.page - b.page);
    return { ix, results: found };
  }

  // Searches the index. When a chunk is of another build (Stale) or cannot
  // be fetched, the index may have been rebuilt since meta.json was read
  // (`lode serve` swaps it whole after an edit): meta.json is read again
  // and, if it changed, the query runs once more on the new index.
  async function search(term, filters) {
    const ix = await load();
    try {
      return await searchIn(ix, term, filters);
    } catch (error) {
      const again = await load(ix);
      if (again.meta.id === ix.meta.id) throw error;
      return searchIn(again, term, filters);
    }
  }

  // A result's page from its fragment: url (with the site's path), title,
  // collection, text, anchors and the matched locations.
  async function pageData(ix, result) {
    const per = ix.meta.per_fragment;
    const f = Math.floor(result.page / per);
    const entry = (await cached(ix.pages, f, `pages/${f}.json`, ix.meta.id))[result.page % per];
    return {
      url: root.pathname.replace(/\/$/, "") + entry.url,
      title: entry.title || entry.meta?.title || entry.url,
      collection: entry.meta?.collection || null,
      words: entry.text ? entry.text.split(" ") : [],
      anchors: (entry.anchors || []).map(([id, location]) => ({ id, location })),
      locations: [...result.locations].map(([location, score]) => ({ location, score })),
    };
  }

  function open() {
    if (!dialog) build();
    if (dialog.open) return;
    opener = document.activeElement;
    dialog.showModal();
    input.focus();
    input.select();
    refresh().catch(() => {
      status.textContent = say("search_unavailable", "The search index is not available yet.");
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
    // One query at a time, so that a rebuilt index is loaded again once,
    // and a query overtaken while it waited is skipped.
    const task = queue.then(async () => {
      if (mine !== generation) return null;
      const found = await search(term, filters);
      return { found, shown: await Promise.all(found.results.slice(0, PAGE).map((r) => pageData(found.ix, r))) };
    });
    queue = task.catch(() => {});
    let answer;
    try {
      answer = await task;
    } catch {
      if (mine === generation) status.textContent = say("search_unavailable", "The search index is not available yet.");
      return;
    }
    if (!answer || mine !== generation) return; // A newer query has started.
    const { found, shown } = answer;
    const termWords = term.split(/\s+/).filter(Boolean).length;
    current = { ix: found.ix, results: found.results, shown: shown.length, termWords };
    results.replaceChildren(...shown.map((d) => item(d, termWords)));
    results.dataset.query = term; // What the list shows results for (the tests wait on it).
    showCount();
  }

  // The status line and the "Show more" button for what is on show.
  function showCount() {
    const n = current.results.length;
    const notes = n === 1 ? say("one_note", "1 note") : say("n_notes", "{n} notes", { n });
    status.textContent =
      n === 0
        ? say("no_notes_found", "No notes found.")
        : current.shown < n
          ? say("found_showing", "{notes} found; showing {shown}.", { notes, shown: current.shown })
          : say("found", "{notes} found.", { notes });
    results.dataset.shown = current.shown;
    more.hidden = current.shown >= n;
    more.textContent = say("show_n_more", "Show {n} more", { n: Math.min(PAGE, n - current.shown) });
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
      mine === generation
        ? Promise.all(list.results.slice(list.shown, list.shown + PAGE).map((r) => pageData(list.ix, r)))
        : null,
    );
    queue = task.catch(() => {});
    let page;
    try {
      page = await task;
    } catch {
      if (mine === generation) status.textContent = say("search_unavailable", "The search index is not available yet.");
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
  // in, else at the top of the note. The index numbers the words of a
  // page's indexed text from 0 (text the markup marks as ignored is not
  // counted) and gives each element with an id as an anchor whose
  // `location` is the number of its first word; each matched word comes
  // with its location and weight (its term's factor · idf). A stretch runs
  // from an anchor to the next one. Answers and card backs are not indexed,
  // so a question's or card's stretch holds its front (and the question's
  // options); a stretch ends where its element does (the index gives an
  // anchor with no id there, or the id of the anchored element around it),
  // so the words after a flashcard or a facts row are not theirs.
  //
  // The matches that count are the densest run of the query's length
  // inside one stretch (never across an anchor), by the number of matched
  // words in it: searching a question's words finds them together there,
  // while common words ("the", "article") scattered over the note count
  // once each. Ties go to the run's weight, then to the stretch with the
  // most weight in all, then to the first.
  function destination(data, termWords) {
    // An anchor without an id marks where an anchored element ends (the
    // words after a flashcard are not the flashcard's); it opens nowhere.
    const anchors = data.anchors.slice().sort((a, b) => a.location - b.location);
    const words = data.locations
      .map((w) => ({ location: w.location, score: w.score || 1 }))
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
    if (!anchor || !PART.test(anchor.id)) return { url: data.url, part: null, excerpt: noteExcerpt(data, words) };
    const part = anchor.id.startsWith("q") ? say("question_n", "Question {n}", { n: anchor.id.slice(1) }) : say("flashcard", "Flashcard");
    const end = anchors[best + 1]?.location;
    const marked = words.filter((w) => w.at === best).map((w) => w.location);
    return { url: `${data.url.split("#")[0]}#${anchor.id}`, part, excerpt: partExcerpt(data, anchor.location, end, marked) };
  }

  // A note's excerpt: the window of EXCERPT_WORDS display words holding
  // the most weight of matches (the densest), with its matches centred in
  // it; the note's first words when nothing matched (a filter alone).
  function noteExcerpt(data, matches) {
    const total = data.words.length;
    let from = 0;
    let best = -1;
    for (let i = 0; i < matches.length; i += 1) {
      let weight = 0;
      let last = i;
      for (let j = i; j < matches.length && matches[j].location < matches[i].location + EXCERPT_WORDS; j += 1) {
        weight += matches[j].score;
        last = j;
      }
      if (weight > best) {
        best = weight;
        const slack = EXCERPT_WORDS - (matches[last].location - matches[i].location + 1);
        from = Math.max(0, Math.min(matches[i].location - Math.floor(slack / 2), total - EXCERPT_WORDS));
      }
    }
    const marked = new Set(matches.map((w) => w.location));
    return excerpt(data.words, from, Math.min(total, from + EXCERPT_WORDS), marked, 0, total);
  }

  // The excerpt of a question or card: its own words from its start (or
  // from just before the first match, when that is further on), never the
  // words before it.
  function partExcerpt(data, start, end, marked) {
    const stop = Math.min(end ?? data.words.length, data.words.length);
    const first = Math.min(...marked);
    const from = first - start < EXCERPT_WORDS ? start : Math.max(start, Math.min(first - 4, stop - EXCERPT_WORDS));
    const to = Math.min(stop, from + EXCERPT_WORDS);
    return excerpt(data.words, from, to, new Set(marked), start, stop);
  }

  // Display words `from`…`to` as nodes: text, and each matched word's
  // letters and digits in a <mark> (its punctuation outside), with "…"
  // where the words run on beyond `start`…`stop`. Text nodes only: the
  // page's words are never parsed as HTML.
  function excerpt(words, from, to, marked, start, stop) {
    const nodes = [];
    let text = from > start ? "… " : "";
    for (let i = from; i < to; i += 1) {
      const word = words[i];
      const inner = marked.has(i) ? word.match(/^([^\p{Alphabetic}\p{N}\p{M}]*)(.*?)([^\p{Alphabetic}\p{N}\p{M}]*)$/u) : null;
      if (inner && inner[2]) {
        nodes.push(text + inner[1], element("mark", { textContent: inner[2] }));
        text = inner[3];
      } else {
        text += word;
      }
      if (i + 1 < to) text += " ";
    }
    nodes.push(text + (to < stop ? " …" : ""));
    return nodes.filter((n) => n !== "");
  }

  // A result: title, collection and the excerpt with the matched words in
  // <mark>; "Question 3" or "Flashcard" when it opens at one.
  function item(data, termWords) {
    const { url, part, excerpt: nodes } = destination(data, termWords);
    const link = element("a", { href: url, className: "search-result" }, [
      element("span", { className: "search-result-title", textContent: data.title }),
    ]);
    if (data.collection) {
      link.append(element("span", { className: "search-result-collection", textContent: data.collection }));
    }
    if (part) link.append(element("span", { className: "search-result-part", textContent: part }));
    link.append(element("span", { className: "search-result-excerpt" }, nodes));
    return element("li", {}, [link]);
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
