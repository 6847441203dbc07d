//! The body of the `markdown` fuzz target, shared with `tests/fuzz_corpus.rs`
//! (which runs it over `fuzz/corpus/markdown/` on the stable toolchain).
//!
//! The input (after lossy UTF-8 decoding and the normalisation Lode applies
//! to every file it reads, [`lode::diagnostics::source_text`]) is the body
//! of one note, `content/a/fuzz.md`, after a small fixed front matter that
//! marks it as flashcards (`cards = true`). It goes through the product's
//! Markdown layer, in process and with no file written:
//! [`lode::content::parse`] (front matter, then the body scan: headings and
//! ids, wikilinks, embeds, block ids, callouts, comments `%%…%%`, maths,
//! footnotes, citations, cards), [`lode::site::Site::index`] with a second,
//! fixed note (`a/lithium.md`, headings and block ids the input's links and
//! embeds can reach), [`lode::links::resolve`], and the body renderer
//! ([`lode::render::body::BodyRenderer`]: the note's body and its cards), as
//! `lode::build::render_markdown` does for one note.
//!
//! Asserted, besides "no panic":
//! - the fixed front matter always parses, and the site always indexes;
//! - every problem (from the parse and from link resolution) lies in the
//!   fuzzed note, with a span inside its text on character boundaries and
//!   the line and column of the span's start;
//! - when the body holds no `<` (so no raw HTML), the rendered HTML nests
//!   its `<div>`, `<details>`, `<summary>`, `<span>` and `<blockquote>`
//!   elements properly, every one closed, and the same for each card's front
//!   and back.

use std::sync::Arc;

use lode::config::Config;
use lode::content::scan::RenderedCard;
use lode::content::{SourceFile, SourcePath, parse};
use lode::diagnostics::{Diagnostic, line_column, source_text};
use lode::render::body::BodyRenderer;
use lode::site::{NoteId, Site};

/// The fuzzed note's path under `content/`.
pub const PATH: &str = "a/fuzz.md";

/// Its fixed front matter: the body follows.
pub const FRONT: &str = "+++\ntitle = \"Fuzz\"\ncards = true\n+++\n";

/// The other note, which the input's links and embeds can reach by name
/// (`[[Lithium#Uses]]`, `![[lithium#^fact]]`).
const LITHIUM: &str = "+++\ntitle = \"Lithium\"\naliases = [\"Li\"]\n+++\n# Lithium\n\n\
Lithium is a metal. ^fact\n\n## Uses\n\nBatteries, with [[Fuzz]] and $x^2$.\n\n\
> [!note] Supply\n> Mostly from brine. ^brine\n\n## Uses\n\nAgain.[^1]\n\n[^1]: A footnote.\n";

/// Runs the Markdown layer over `data` as a note's body; returns the
/// note's rendered body and cards.
///
/// # Panics
/// When Lode panics or breaks one of the rules in this file's header.
pub fn run(data: &[u8]) -> (String, Vec<RenderedCard>) {
    let body = source_text(data.to_vec());
    let text = format!("{FRONT}{body}");
    let (note, warnings) = parse(SourceFile { path: SourcePath::new(PATH), text: text.clone() })
        .unwrap_or_else(|problems| panic!("the fixed front matter failed: {problems:?}"));
    for warning in &warnings {
        assert_located(warning, &text);
    }
    let (lithium, _) = parse(SourceFile { path: SourcePath::new("a/lithium.md"), text: LITHIUM.into() })
        .expect("the fixed note parses");
    let site = Site::index(Config::default(), vec![Arc::new(note), Arc::new(lithium)], Vec::new())
        .unwrap_or_else(|problems| panic!("two notes with fixed paths index: {problems:?}"));
    let (graph, problems) = lode::links::resolve(&site);
    for problem in &problems {
        assert_located(problem, &text);
    }
    let id = NoteId(0);
    assert_eq!(site.note(id).path.as_str(), PATH, "the fuzzed note is the first");
    let root = site.permalink(id).path_to_root();
    let renderer = BodyRenderer::new(&site, &graph, Some(id), &root);
    let html = renderer.body(id);
    let cards = renderer.cards(id);
    if !body.contains('<') {
        assert_nested(&html);
        for card in &cards {
            assert_nested(&card.front);
            assert_nested(&card.back);
        }
    }
    (html, cards)
}

/// That `problem` lies in the fuzzed note, whose text is `text`, at a span
/// inside it on character boundaries, with the line and column of its start.
fn assert_located(problem: &Diagnostic, text: &str) {
    assert_eq!(problem.file, format!("content/{PATH}"), "a problem in another file: {problem:?}");
    let span = &problem.span;
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} outside the note ({} bytes): {problem:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} splits a character: {problem:?}"
    );
    assert_eq!(
        (problem.line, problem.column),
        line_column(text, span.start),
        "line and column are not those of the span's start: {problem:?}"
    );
}

/// The elements whose nesting [`assert_nested`] checks.
const TRACKED: [&str; 5] = ["div", "details", "summary", "span", "blockquote"];

/// That every tracked element opened in `html` is closed, in order.
fn assert_nested(html: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name_len =
            rest[name_start..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len() - name_start);
        let name = &rest[name_start..name_start + name_len];
        let Some(&tracked) = TRACKED.iter().find(|t| **t == name) else { continue };
        if closing {
            assert_eq!(open.pop(), Some(tracked), "</{tracked}> closes the wrong element in:\n{html}");
        } else {
            let end = rest.find('>').unwrap_or(rest.len());
            if !rest[..end].ends_with('/') {
                open.push(tracked);
            }
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in:\n{html}");
}
