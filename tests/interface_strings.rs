//! Every interface string of a page in a second language comes from that
//! language's translation file (issue 20, item 7): with a Hindi strings
//! file whose every value is marked «…» (`common::marked`), no Hindi page
//! has any English left outside the marks but what the fixture's author
//! wrote (note titles, tags, the languages' names).
//!
//! What is checked: every text node of every HTML page under `hi/` (the
//! header, menu, footer, note meta, graph list and legend, related notes,
//! the revision, sheet, collection, tag, graph and changes pages, and what
//! Lode writes into a body: heading anchors, footnote links, tables'
//! names, query tables and their empty results, flashcards' marks), and
//! every `aria-label`, `title`, `placeholder` and `alt`. The author's
//! content is told apart by script: the Hindi notes are in Devanagari, and
//! the few English words of the fixture a Hindi page shows are listed in
//! `common::marked::AUTHOR` and taken out by value. So a string written
//! anywhere in English, in a template or in Rust, fails this test, whether
//! or not it is a key of `i18n/en.toml`.

mod common;

use common::marked::{marked_site, unmarked_english};
use scraper::{Html, Node};

/// A page's text nodes (not scripts' or styles') one a line, then its
/// `aria-label`, `title`, `placeholder` and `alt` values one a line.
fn page_words(html: &Html) -> String {
    let mut out = String::new();
    for node in html.tree.nodes() {
        match node.value() {
            Node::Text(t) => {
                let in_code = node
                    .ancestors()
                    .any(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "script" | "style")));
                if !in_code {
                    out.push_str(t);
                    out.push('\n');
                }
            }
            Node::Element(e) => {
                for attr in ["aria-label", "title", "placeholder", "alt"] {
                    if let Some(v) = e.attr(attr) {
                        out.push_str(&format!("\n«{attr}=»{v}\n"));
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_interface_string_on_a_hindi_page_comes_from_the_hindi_file() {
    let site = marked_site();
    let hi = site.output().join("hi");
    let mut pages = 0;
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&hi) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        pages += 1;
        let rel = entry.path().strip_prefix(site.output()).unwrap().display().to_string();
        for english in unmarked_english(&page_words(&html)) {
            problems.push(format!("{rel}: {english}"));
        }
    }
    // The Hindi home, collection, its sheet, two notes, the tag pages, graph, revise, changes.
    assert!(pages >= 10, "only {pages} Hindi pages");
    assert!(problems.is_empty(), "English outside the strings file:\n{}", problems.join("\n"));
}

/// A link preview of a Hindi note (`_lode/previews/*.json`, what
/// `preview.js` shows over a link) holds Lode's words in Hindi too: its
/// facts' labels and values ("Date", month names, "Yes") come from the
/// strings file like the note's own facts box.
#[test]
fn a_hindi_notes_link_preview_says_lodes_words_in_hindi() {
    let site = marked_site();
    let mut previews = 0;
    let mut problems = Vec::new();
    for entry in std::fs::read_dir(site.output().join("_lode/previews")).unwrap() {
        let shard: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for (permalink, preview) in shard.iter().filter(|(p, _)| p.starts_with("hi/")) {
            previews += 1;
            let facts = preview["facts"].as_array().map(Vec::as_slice).unwrap_or_default();
            let words: String = facts
                .iter()
                .flat_map(|pair| pair.as_array().into_iter().flatten())
                .filter_map(|v| v.as_str())
                .map(|s| format!("{s}\n"))
                .collect();
            if permalink == "hi/minerals/cobalt/" {
                assert!(words.contains("«"), "कोबाल्ट's preview has Lode's words among its facts: {words}");
            }
            for english in unmarked_english(&words) {
                problems.push(format!("{permalink}: {english}"));
            }
        }
    }
    assert!(previews >= 4, "only {previews} Hindi previews");
    assert!(problems.is_empty(), "English in Hindi previews:\n{}", problems.join("\n"));
}

/// The revision data (`_lode/revise.json`, what `/hi/revise/` shows) holds
/// a Hindi note's explanations with Lode's words in Hindi: a table's name,
/// a footnote's back-link, as on the note's page.
#[test]
fn a_hindi_explanation_on_the_revision_page_says_lodes_words_in_hindi() {
    let site = marked_site();
    site.write(
        "content/minerals/tin.hi.md",
        "+++\ntitle = \"टिन\"\n\n[[questions]]\nquestion = \"टिन कहाँ?\"\noptions = [\"क\", \"ख\"]\nanswer = \"क\"\n\
         explanation = \"\"\"\n| देश | हिस्सा |\n| --- | --- |\n| क | 1 |\n\nदेखें[^1]।\n\n[^1]: स्रोत।\n\"\"\"\n+++\n\
         [[Lithium|लिथियम]] देखें।\n",
    );
    site.build();
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.output().join("_lode/revise.json")).unwrap())
            .unwrap();
    let question = data["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"].as_str().is_some_and(|id| id.starts_with("hi/minerals/tin/")))
        .expect("टिन's question in the revision data");
    let explanation = question["explanation"].as_str().unwrap();
    assert!(explanation.contains("<table"), "the explanation's table: {explanation}");
    let words = page_words(&Html::parse_fragment(explanation));
    assert!(words.contains('«'), "Lode's words (the table's name) in the explanation: {words}");
    let english = unmarked_english(&words);
    assert!(english.is_empty(), "English in a Hindi explanation: {english:?}\n{explanation}");
}

/// The shared files a note page fetches for its second hop and its long
/// backlink list (`_lode/hops/K/`, `_lode/backlinks/K/`: pages a reader
/// without JavaScript opens too) serve every language: the heading says
/// it in each, and a Hindi note's section, marked `lang="hi"`, holds
/// Lode's words in Hindi.
#[test]
fn the_shared_shard_pages_speak_each_notes_language() {
    let site = marked_site();
    let section = scraper::Selector::parse("section[lang=hi]").unwrap();
    let h1 = scraper::Selector::parse("h1").unwrap();
    let (mut pages, mut hindi) = (0, 0);
    let mut problems = Vec::new();
    for kind in ["hops", "backlinks"] {
        let dir = site.output().join("_lode").join(kind);
        for entry in walkdir::WalkDir::new(&dir).into_iter().map(Result::unwrap) {
            if entry.file_name() != "index.html" {
                continue;
            }
            pages += 1;
            let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
            let heading = html.select(&h1).next().expect("a heading").text().collect::<String>();
            assert!(heading.contains('«'), "{}: the heading in Hindi too: {heading}", entry.path().display());
            for part in html.select(&section) {
                hindi += 1;
                let words = page_words(&Html::parse_fragment(&part.html()));
                problems.extend(unmarked_english(&words).into_iter().map(|e| format!("{kind}: {e}")));
            }
        }
    }
    assert!(pages >= 2 && hindi >= 1, "{pages} shard pages, {hindi} Hindi sections");
    assert!(problems.is_empty(), "English in Hindi sections of shard pages:\n{}", problems.join("\n"));
}
