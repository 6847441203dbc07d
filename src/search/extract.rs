//! What a page gives the search index: its indexed words, terms, anchors,
//! meta and filters ([`Record`]), read from its HTML by the rules of
//! Pagefind's markup, which Lode's templates use and keep using:
//!
//! - Only text inside an element marked `data-pagefind-body` is indexed; a
//!   page with none is not indexed at all.
//! - An element marked `data-pagefind-ignore` is left out with everything
//!   inside it, as are `<script>`, `<style>` and `<template>`.
//! - `data-pagefind-meta="title"` (or `"title, collection"`) makes the
//!   element's text the page's value of each key named; `key:value` gives
//!   the value inline.
//! - `data-pagefind-filter="collection"` makes the element's text a value
//!   of that filter; `"tag:lithium"` gives the value inline. Meta and
//!   filters are read inside ignored elements too (the breadcrumbs and tag
//!   list are ignored for their words but carry the collection and tags).
//! - An element with an `id` inside the indexed text is an anchor at the
//!   location of the next word: the search opens a result there (questions
//!   `q1`…, flashcards `card-…`, facts `field-…`).
//! - Words in `<h1>`…`<h6>` weigh 7…2, the rest 1 (Pagefind's defaults).
//!
//! - `<svg>` elements are skipped whole: their text is labels (the local
//!   graph's note titles), not the page's words.
//!
//! The HTML is tokenized by `html5gum` (the WHATWG tokenizer, which also
//! decodes character references), with its parse-error checks off; the
//! element nesting is kept by a stack that closes an element at its end
//! tag, and any open inside it with it. Tokenizing starts at the first tag
//! carrying a `data-pagefind-` mark, since nothing before it is read, and
//! the `<svg>` elements are cut out before it.

use std::collections::BTreeMap;

use html5gum::emitters::callback::{Callback, CallbackEmitter, CallbackEvent};
use html5gum::{Emitter, ForwardingEmitter, Span, Tokenizer};
use memchr::memmem;
use unicode_normalization::UnicodeNormalization;

/// One indexed page: what [`super::assemble`] needs of it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Record {
    /// The page's URL from the site's root, `/minerals/lithium/`.
    pub url: String,
    /// The text of its `data-pagefind-meta="title"` element, whitespace
    /// collapsed; empty when it has none.
    pub title: String,
    /// Its other meta values (`collection` → `Minerals`).
    pub meta: BTreeMap<String, String>,
    /// Its filter values by filter name (`tag` → `[lithium, batteries]`),
    /// each value once.
    pub filters: BTreeMap<String, Vec<String>>,
    /// The indexed text: its display words (split on whitespace) joined by
    /// single spaces; display word `i` is location `i`.
    pub text: String,
    /// The number of display words (locations).
    pub locations: u32,
    /// The weight of the words from each location on, where it changes:
    /// `(first location, weight)`, a heading's words weighing more (see
    /// [`Record::terms`]); the first run starts at location 0.
    weights: Vec<(u32, u32)>,
    /// The terms, made from `text` and `weights` when first asked for.
    terms: std::sync::OnceLock<Terms>,
    /// Elements with an `id` in the indexed text, with the location of the
    /// first word after their start, in page order; where one ends, the id
    /// of the anchored element around it, or `""` (none) at the location of
    /// the next word, so that a stretch of words belongs to the element it
    /// is in (a flashcard's stretch stops at its end, not at the next id).
    pub anchors: Vec<(String, u32)>,
}

impl Record {
    /// Each term (see [`terms_of`]) once, sorted by UTF-16 code units, with
    /// the sum of its occurrences' weights and its locations, ascending
    /// (one compact table: at 100,000 notes a record per page is millions
    /// of terms, see [`Terms::iter`]). Made from the text the first time it
    /// is asked for, not as the page is read: a build keeps every page's
    /// record until the index is made, and the terms were two thirds of
    /// them (at 10,000 notes about 70 MB more at the peak, while rendering).
    pub fn terms(&self) -> &Terms {
        self.terms.get_or_init(|| pack(&self.text, &self.weights))
    }
}

/// The terms of the display words of `text` (joined by single spaces),
/// weighted by `weights` (see [`Record::terms`]).
fn pack(text: &str, weights: &[(u32, u32)]) -> Terms {
    let mut terms: std::collections::HashMap<Box<str>, (u32, Vec<u32>), crate::hash::FnvBuild> =
        std::collections::HashMap::default();
    let mut runs = weights.iter().peekable();
    let mut weight = 1;
    // Words hold no whitespace and are never empty (`Reader::end_word`).
    for (location, word) in text.split(' ').filter(|w| !w.is_empty()).enumerate() {
        let location = location as u32;
        while let Some(&(_, w)) = runs.next_if(|(at, _)| *at <= location) {
            weight = w;
        }
        terms_of(word, |term| match terms.get_mut(term) {
            Some((w, locations)) => {
                *w += weight;
                if locations.last() != Some(&location) {
                    locations.push(location);
                }
            }
            None => {
                terms.insert(term.into(), (weight, vec![location]));
            }
        });
    }
    let mut terms: Vec<_> = terms.into_iter().collect();
    terms.sort_unstable_by(|a, b| utf16_cmp(&a.0, &b.0));
    let mut packed = Terms::default();
    packed.text.reserve_exact(terms.iter().map(|t| t.0.len()).sum());
    packed.ends.reserve_exact(terms.len());
    packed.locations.reserve_exact(terms.iter().map(|t| t.1.1.len()).sum());
    for (term, (weight, locations)) in terms {
        packed.text.push_str(&term);
        packed.locations.extend_from_slice(&locations);
        packed.ends.push((packed.text.len() as u32, weight, packed.locations.len() as u32));
    }
    packed
}

/// A page's terms, packed: their text end to end, and for each its end in
/// that text, its weight and the end of its locations in `locations`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Terms {
    text: String,
    /// (end in `text`, weight, end in `locations`) of each term, in order.
    ends: Vec<(u32, u32, u32)>,
    locations: Vec<u32>,
}

impl Terms {
    /// Each term with its weight and its locations, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u32, &[u32])> {
        let mut from = (0, 0);
        self.ends.iter().map(move |&(end, weight, locations_end)| {
            let term = &self.text[from.0 as usize..end as usize];
            let locations = &self.locations[from.1 as usize..locations_end as usize];
            from = (end, locations_end);
            (term, weight, locations)
        })
    }

    /// The locations of the `i`th term.
    ///
    /// # Panics
    /// When there are not `i + 1` terms.
    pub fn locations_of(&self, i: usize) -> &[u32] {
        let from = if i == 0 { 0 } else { self.ends[i - 1].2 as usize };
        &self.locations[from..self.ends[i].2 as usize]
    }
}

/// The attribute that marks the text of a page to index.
pub const BODY: &str = "data-pagefind-body";
const IGNORE: &[u8] = b"data-pagefind-ignore";
const META: &[u8] = b"data-pagefind-meta";
const FILTER: &[u8] = b"data-pagefind-filter";

/// Elements with no end tag (HTML's void elements).
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"source",
    b"track", b"wbr",
];

/// Inline elements, whose boundaries do not split a word (`H<sub>2</sub>O`);
/// every other element's start or end does.
const INLINE: &[&[u8]] = &[
    b"a", b"abbr", b"b", b"bdi", b"bdo", b"cite", b"code", b"data", b"del", b"dfn", b"em", b"i", b"ins",
    b"kbd", b"mark", b"q", b"s", b"samp", b"small", b"span", b"strong", b"sub", b"sup", b"time", b"u",
    b"var",
];

/// Elements whose text is never indexed (the tokenizer reads the content of
/// most of them as raw text, markup and all).
const HIDDEN: &[&[u8]] =
    &[b"script", b"style", b"template", b"noscript", b"iframe", b"noembed", b"noframes", b"xmp", b"textarea"];

/// The start of every mark's attribute name.
const MARK: &[u8] = b"data-pagefind-";

/// The terms of a display word, with `emit` called on each: the word is
/// folded (canonical decomposition, combining diacritical marks U+0300–U+036F
/// dropped, lowercased, final sigma ς as σ), then each maximal run of letters, numbers and
/// combining marks is a term. `static/search.js` folds a query the same way
/// (`normalize("NFD")`, `/[\p{L}\p{N}\p{M}]+/gu`).
pub fn terms_of(word: &str, mut emit: impl FnMut(&str)) {
    let mut run = String::new();
    let mut flush = |run: &mut String| {
        if !run.is_empty() {
            emit(run);
            run.clear();
        }
    };
    if word.is_ascii() {
        for c in word.chars() {
            if c.is_ascii_alphanumeric() {
                run.push(c.to_ascii_lowercase());
            } else {
                flush(&mut run);
            }
        }
    } else {
        // Greek's final sigma is the same letter as σ (a reader types either).
        let lower = word.nfd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).flat_map(char::to_lowercase);
        for c in lower.map(|c| if c == 'ς' { 'σ' } else { c }) {
            if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
                run.push(c);
            } else {
                flush(&mut run);
            }
        }
    }
    flush(&mut run);
}

/// An open element and what it started.
struct Open {
    name: Vec<u8>,
    body: bool,
    ignore: bool,
    hidden: bool,
    weight: u32,
    /// Meta keys and filter names collecting this element's text.
    collects: Vec<Collect>,
    /// The id it is an anchor of.
    anchor: Option<String>,
    /// The heading weight in force before it opened (for a heading).
    heading_before: u32,
}

enum Collect {
    Meta(String),
    Filter(String),
}

/// The tag being read: its name and the attributes that matter.
#[derive(Default)]
struct Tag {
    name: Vec<u8>,
    attribute: Vec<u8>,
    body: bool,
    ignore: bool,
    id: Option<String>,
    meta: Option<String>,
    filter: Option<String>,
}

#[derive(Default)]
struct Reader {
    record: Record,
    stack: Vec<Open>,
    tag: Tag,
    /// Open body, ignored and hidden elements, and the heading weight.
    body: u32,
    ignore: u32,
    hidden: u32,
    word: String,
    /// Texts being collected for meta and filters, by the stack depth that
    /// opened them.
    collecting: Vec<(usize, Collect, String)>,
    any_body: bool,
    /// Whether the last anchor pushed marks an element's end.
    ended_last: bool,
    /// The weight of the heading the words are in (0: none).
    heading: u32,
}

impl Reader {
    fn indexing(&self) -> bool {
        self.body > 0 && self.ignore == 0 && self.hidden == 0
    }

    fn weight(&self) -> u32 {
        self.heading.max(1)
    }

    /// Puts an anchor (`id`: an element's start, or at an element's `end`
    /// the anchor around it, `""` for none) at the next word's location;
    /// an end there already gives way to it.
    fn mark_anchor(&mut self, id: String, end: bool) {
        let at = self.record.locations + u32::from(!self.word.is_empty());
        if self.ended_last && self.record.anchors.last().is_some_and(|(_, last)| *last == at) {
            self.record.anchors.pop();
        }
        self.record.anchors.push((id, at));
        self.ended_last = end;
    }

    /// Ends the display word being read, if any.
    fn end_word(&mut self) {
        if self.word.is_empty() {
            return;
        }
        let weight = self.weight();
        if self.record.weights.last().map(|run| run.1) != Some(weight) {
            self.record.weights.push((self.record.locations, weight));
        }
        if !self.record.text.is_empty() {
            self.record.text.push(' ');
        }
        self.record.text.push_str(&self.word);
        self.record.locations += 1;
        self.word.clear();
    }

    fn text(&mut self, text: &str) {
        for (_, _, collected) in &mut self.collecting {
            collected.push_str(text);
        }
        if !self.indexing() {
            return;
        }
        for (i, piece) in text.split(char::is_whitespace).enumerate() {
            if i > 0 {
                self.end_word();
            }
            self.word.push_str(piece);
        }
    }

    fn start_tag(&mut self, self_closing: bool) {
        let tag = std::mem::take(&mut self.tag);
        let inline = INLINE.contains(&tag.name.as_slice());
        if !inline {
            self.end_word();
        }
        let weight = match tag.name.as_slice() {
            [b'h', n @ b'1'..=b'6'] => u32::from(b'8' - n),
            _ => 0,
        };
        let hidden = HIDDEN.contains(&tag.name.as_slice());
        let mut open = Open {
            name: tag.name,
            body: tag.body,
            ignore: tag.ignore,
            hidden,
            weight,
            collects: vec![],
            anchor: None,
            heading_before: 0,
        };
        if tag.body {
            self.any_body = true;
        }
        // An anchor is where the element's first word will be.
        if let Some(id) = tag.id.filter(|_| (self.body > 0 || tag.body) && self.ignore == 0 && !tag.ignore) {
            self.mark_anchor(id.clone(), false);
            open.anchor = Some(id);
        }
        for (key, value) in pairs(tag.meta.as_deref()) {
            match value {
                Some(v) => {
                    self.record.meta.insert(key.to_string(), v.to_string());
                }
                None => open.collects.push(Collect::Meta(key.to_string())),
            }
        }
        for (name, value) in pairs(tag.filter.as_deref()) {
            match value {
                Some(v) => self.add_filter(name, v),
                None => open.collects.push(Collect::Filter(name.to_string())),
            }
        }
        let void = VOID.contains(&open.name.as_slice()) || self_closing;
        if void {
            return;
        }
        self.body += u32::from(open.body);
        self.ignore += u32::from(open.ignore);
        self.hidden += u32::from(open.hidden);
        let depth = self.stack.len();
        for c in open.collects.drain(..) {
            self.collecting.push((depth, c, String::new()));
        }
        if open.weight > 0 {
            open.heading_before = std::mem::replace(&mut self.heading, open.weight);
        }
        self.stack.push(open);
    }

    fn add_filter(&mut self, name: &str, value: &str) {
        let values = self.record.filters.entry(name.to_string()).or_default();
        if !value.is_empty() && !values.iter().any(|v| v == value) {
            values.push(value.to_string());
        }
    }

    fn end_tag(&mut self, name: &[u8]) {
        let Some(at) = self.stack.iter().rposition(|o| o.name == name) else { return };
        if !INLINE.contains(&name) {
            self.end_word();
        }
        while self.stack.len() > at {
            let open = self.stack.pop().expect("non-empty");
            if open.body && self.body == 1 {
                self.end_word();
            }
            if open.anchor.is_some() {
                // The words from here on are the enclosing anchor's, or none's.
                let around = self.stack.iter().rev().find_map(|o| o.anchor.clone()).unwrap_or_default();
                self.mark_anchor(around, true);
            }
            self.body -= u32::from(open.body);
            self.ignore -= u32::from(open.ignore);
            self.hidden -= u32::from(open.hidden);
            if open.weight > 0 {
                self.heading = open.heading_before;
            }
            let depth = self.stack.len();
            while self.collecting.last().is_some_and(|(d, _, _)| *d == depth) {
                let (_, what, text) = self.collecting.pop().expect("non-empty");
                let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
                match what {
                    Collect::Meta(key) if key == "title" => self.record.title = value,
                    Collect::Meta(key) => {
                        self.record.meta.insert(key, value);
                    }
                    Collect::Filter(name) => self.add_filter(&name, &value),
                }
            }
        }
    }
}

/// `"title, collection"` → (title, None), (collection, None);
/// `"tag:lithium"` → (tag, Some(lithium)).
fn pairs(list: Option<&str>) -> impl Iterator<Item = (&str, Option<&str>)> {
    list.into_iter().flat_map(|l| l.split(',')).filter_map(|item| {
        let (key, value) = match item.split_once(':') {
            Some((k, v)) => (k.trim(), Some(v.trim())),
            None => (item.trim(), None),
        };
        (!key.is_empty()).then_some((key, value))
    })
}

/// The record of the page at `url` (`/minerals/lithium/`) from its `html`,
/// or `None` when nothing in it is marked [`BODY`]. Never fails: HTML is
/// read as a browser tokenizes it, invalid UTF-8 as U+FFFD.
pub fn record(url: &str, html: &[u8]) -> Option<Record> {
    memmem::find(html, BODY.as_bytes())?;
    let first_mark = memmem::find(html, MARK).unwrap_or(0);
    let from = memchr::memrchr(b'<', &html[..first_mark]).unwrap_or(0);
    let html = without_svg(&html[from..]);
    let mut reader = Reader::default();
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                reader.tag = Tag { name: name.to_ascii_lowercase(), ..Tag::default() };
            }
            CallbackEvent::AttributeName { name } => {
                reader.tag.attribute = name.to_ascii_lowercase();
                match reader.tag.attribute.as_slice() {
                    a if a == BODY.as_bytes() => reader.tag.body = true,
                    a if a == IGNORE => reader.tag.ignore = true,
                    _ => {}
                }
            }
            CallbackEvent::AttributeValue { value } => {
                let value = String::from_utf8_lossy(value).into_owned();
                match reader.tag.attribute.as_slice() {
                    b"id" => reader.tag.id = Some(value),
                    a if a == META => reader.tag.meta = Some(value),
                    a if a == FILTER => reader.tag.filter = Some(value),
                    _ => {}
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => reader.start_tag(self_closing),
            CallbackEvent::EndTag { name } => reader.end_tag(&name.to_ascii_lowercase()),
            CallbackEvent::String { value } => reader.text(&String::from_utf8_lossy(value)),
            CallbackEvent::Comment { .. } | CallbackEvent::Doctype { .. } | CallbackEvent::Error(_) => {}
        }
        None
    });
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(&*html, Quiet(emitter)) {}
    reader.end_word();
    if !reader.any_body {
        return None;
    }
    let mut record = reader.record;
    record.url = url.to_string();
    // Kept until the whole index is made: no room to grow.
    record.text.shrink_to_fit();
    record.anchors.shrink_to_fit();
    record.weights.shrink_to_fit();
    Some(record)
}

/// Orders strings by UTF-16 code units, as JavaScript's `<` does (UTF-8's
/// byte order differs for characters above U+FFFF).
pub fn utf16_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() { a.cmp(b) } else { a.encode_utf16().cmp(b.encode_utf16()) }
}

/// `html` with each `<svg …>…</svg>` element cut out (nested ones with it);
/// an `<svg>` never closed runs to the end.
fn without_svg(html: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let open = memmem::Finder::new(b"<svg");
    let close = memmem::Finder::new(b"</svg>");
    let is_open_at = |at: usize| matches!(html.get(at + 4), Some(b' ' | b'>' | b'/' | b'\t' | b'\n' | b'\r'));
    let mut kept = Vec::new();
    let mut from = 0;
    let mut search = 0;
    while let Some(found) = open.find(&html[search..]).map(|i| i + search) {
        if !is_open_at(found) {
            search = found + 4;
            continue;
        }
        // The matching end: count the `<svg` opened before each `</svg>`.
        let mut depth = 1;
        let mut at = found + 4;
        let end = loop {
            let Some(next_close) = close.find(&html[at..]).map(|i| i + at) else { break html.len() };
            let inner = open.find_iter(&html[at..next_close]).filter(|i| is_open_at(at + i)).count();
            depth += inner;
            depth -= 1;
            at = next_close + 6;
            if depth == 0 {
                break at;
            }
        };
        kept.extend_from_slice(&html[from..found]);
        from = end;
        search = end;
    }
    if from == 0 {
        return std::borrow::Cow::Borrowed(html);
    }
    kept.extend_from_slice(&html[from..]);
    std::borrow::Cow::Owned(kept)
}

/// The callback emitter with html5gum's parse-error checks off: Lode reads
/// text, not errors, and the checks cost a tenth of the tokenizing.
struct Quiet<E>(E);

impl<F: Callback<(), ()>> ForwardingEmitter for Quiet<CallbackEmitter<F, (), ()>> {
    type Token = ();

    fn inner(&mut self) -> &mut impl Emitter<Token = ()> {
        &mut self.0
    }

    fn should_emit_errors(&mut self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(word: &str) -> Vec<String> {
        let mut out = vec![];
        terms_of(word, |t| out.push(t.to_string()));
        out
    }

    #[test]
    fn words_fold_accents_and_case_and_split_on_punctuation() {
        assert_eq!(terms("Zürich"), ["zurich"]);
        assert_eq!(terms("India–U.S."), ["india", "u", "s"]);
        assert_eq!(terms("H2O"), ["h2o"]);
        assert_eq!(terms("ΟΔΥΣΣΕΥΣ"), terms("οδυσσευς"));
        assert_eq!(terms("οδυσσευς"), ["οδυσσευσ"]);
        assert_eq!(terms("—"), Vec::<String>::new());
        // Devanagari vowel signs are combining marks (Mc/Mn), kept in the word.
        assert_eq!(terms("खनिज।"), ["खनिज"]);
    }

    #[test]
    fn only_the_body_minus_ignored_parts_is_indexed_with_meta_filters_and_anchors() {
        let html = br#"<!doctype html><html><head><title>X</title><script>var a = "<p>nope</p>";</script></head>
<body><nav>Site menu</nav>
<article data-pagefind-body>
  <nav data-pagefind-ignore><a href="/" >Home</a> <a data-pagefind-filter="collection" data-pagefind-meta="collection">Minerals</a></nav>
  <h1 data-pagefind-meta="title">Lithium &amp; co</h1>
  <p>Used in <strong>batt</strong>eries.<br>Mined in Chile</p>
  <ul data-pagefind-ignore><li data-pagefind-filter="tag:energy">#energy</li></ul>
  <ol><li id="q1">Which metal? <details data-pagefind-ignore><summary>Show answer</summary>Spodumene</details></li>
  <li id="q2">Where?</li></ol>
  <img src=x alt="a picture"><hr/>
  <svg><circle r="1"/><text>Graph</text></svg>
</article>
<footer>Footer words</footer></body></html>"#;
        let r = record("/minerals/lithium/", html).expect("marked");
        assert_eq!(r.title, "Lithium & co");
        assert_eq!(r.meta.get("collection").map(String::as_str), Some("Minerals"));
        assert_eq!(r.filters["collection"], ["Minerals"]);
        assert_eq!(r.filters["tag"], ["energy"]);
        assert_eq!(r.text, "Lithium & co Used in batteries. Mined in Chile Which metal? Where?");
        assert_eq!(r.locations, 12);
        let anchors: Vec<(&str, u32)> = r.anchors.iter().map(|(id, at)| (id.as_str(), *at)).collect();
        // q1's end gives way to q2's start; q2's end leaves the words after it to no anchor.
        assert_eq!(anchors, [("q1", 9), ("q2", 11), ("", 12)]);
        let get = |t: &str| r.terms().iter().find(|x| x.0 == t).map(|x| (x.1, x.2.to_vec()));
        assert_eq!(get("batteries"), Some((1, vec![5])));
        assert_eq!(get("lithium"), Some((7, vec![0])));
        assert_eq!(get("co"), Some((7, vec![2])));
        for absent in ["graph", "home", "spodumene", "show", "answer", "footer", "menu", "nope", "energy"] {
            assert_eq!(get(absent), None, "{absent} must not be indexed");
        }
        let sorted: Vec<_> = r.terms().iter().map(|t| t.0.to_string()).collect();
        let mut again = sorted.clone();
        again.sort_by(|a, b| utf16_cmp(a, b));
        assert_eq!(sorted, again);
    }

    #[test]
    fn an_anchor_ends_with_its_element_and_the_one_around_it_resumes() {
        let r = record(
            "/a/",
            br#"<main data-pagefind-body><ol><li id="q1">A <span id="x">B</span> C</li></ol><p>D</p></main>"#,
        )
        .expect("marked");
        let anchors: Vec<(&str, u32)> = r.anchors.iter().map(|(id, at)| (id.as_str(), *at)).collect();
        assert_eq!(anchors, [("q1", 0), ("x", 1), ("q1", 2), ("", 3)]);
    }

    #[test]
    fn svg_elements_are_cut_out_whole_and_nested() {
        let cut = |s: &str| String::from_utf8(without_svg(s.as_bytes()).into_owned()).expect("utf-8");
        assert_eq!(cut("a<svg x><text>t</text></svg>b"), "ab");
        assert_eq!(cut("a<svg><svg></svg>c</svg>b<svg>d</svg>e"), "abe");
        assert_eq!(cut("a<svgx>b</svgx>"), "a<svgx>b</svgx>");
        assert_eq!(cut("a<svg>never closed"), "a");
    }

    #[test]
    fn a_page_without_a_body_mark_is_not_indexed() {
        assert_eq!(record("/a/", b"<body><p>Hello</p></body>"), None);
        // The mark's name in text is not a mark.
        assert_eq!(record("/a/", b"<body><p>data-pagefind-body</p></body>"), None);
    }
}
