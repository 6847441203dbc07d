//! Ids are unique on every page (issue 18, item 1): headings, footnotes,
//! corrections and the template's own ids never collide, every in-page
//! `href="#x"` reaches an element of the right kind, and links to a heading
//! use the id the heading got.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::{TestSite, select, text};
use scraper::{ElementRef, Html, Selector};

/// A note whose headings collide with its footnotes, a correction and the
/// template's ids, and a note linking to its headings.
fn colliding_site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[A]] and [[B]].\n"),
        (
            "content/a.md",
            "+++\ntitle = \"A\"\n[[questions]]\nquestion = \"Which?\"\nanswer = \"This\"\noptions = [\"This\", \"That\"]\n\
             [[sources]]\nid = \"usgs\"\ntitle = \"USGS\"\nurl = \"https://example.org/usgs\"\n+++\nText with a note[^notes] and one more[^1], again[^notes]. See [[#Main]].\n\n\
             ## Notes\n\nNotes.\n\n## 1\n\nOne.\n\n## Main\n\nMain.\n\n## Theme select\n\n## Backlinks title\n\n\
             ## Local graph title\n\n## Correction 1\n\n> [!correction] Fixed\n> It was wrong ([source](https://example.org)).\n\n\
             ## Fn notes\n\n## Q1\n\n## Source usgs\n\nAs cited [@usgs].\n\n[^notes]: The footnote.\n[^1]: Footnote one.\n",
        ),
        ("content/b.md", "# B\n\nSee [[A#Main]], [main](a.md#main), [[A#Notes]] and [[A#1]].\n"),
    ])
}

/// Every HTML page under `dir`, by its path relative to `dir`.
fn pages(dir: &Path, under: &Path, out: &mut Vec<(String, Html)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            pages(&path, under, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path.strip_prefix(under).unwrap().to_string_lossy().into_owned();
            out.push((rel, Html::parse_document(&std::fs::read_to_string(&path).unwrap())));
        }
    }
}

/// What an element an in-page link points at must be, by the link's role.
fn check_target(page: &str, link: ElementRef, target: ElementRef) {
    let in_sup = |class: &str| {
        link.ancestors().filter_map(ElementRef::wrap).any(|a| {
            a.value().name() == "sup" && a.value().has_class(class, scraper::CaseSensitivity::CaseSensitive)
        })
    };
    let name = target.value().name();
    let class = |c: &str| target.value().has_class(c, scraper::CaseSensitivity::CaseSensitive);
    let href = link.value().attr("href").unwrap();
    if in_sup("footnote-reference") {
        assert!(class("footnote-definition"), "{page}: footnote reference {href} lands on <{name}>");
    } else if link.value().has_class("heading-anchor", scraper::CaseSensitivity::CaseSensitive)
        || link
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().has_class("toc", scraper::CaseSensitivity::CaseSensitive))
    {
        assert!(
            matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"),
            "{page}: heading link {href} lands on <{name}>"
        );
    } else if link.value().has_class("footnote-backref", scraper::CaseSensitivity::CaseSensitive) {
        assert!(
            in_sup_of(target, "footnote-reference"),
            "{page}: footnote back link {href} lands on <{name}>"
        );
    }
}

fn in_sup_of(el: ElementRef, class: &str) -> bool {
    el.ancestors().chain(std::iter::once(*el)).filter_map(ElementRef::wrap).any(|a| {
        a.value().name() == "sup" && a.value().has_class(class, scraper::CaseSensitivity::CaseSensitive)
    })
}

#[test]
fn every_id_on_every_page_is_unique_and_every_in_page_link_lands_on_its_kind() {
    let site = colliding_site();
    site.build();
    let mut all = Vec::new();
    pages(&site.output(), &site.output(), &mut all);
    assert!(all.len() > 3);
    let with_id = Selector::parse("[id]").unwrap();
    let local = Selector::parse("a[href^='#']").unwrap();
    for (page, html) in &all {
        let mut ids: HashMap<&str, ElementRef> = HashMap::new();
        for el in html.select(&with_id) {
            let id = el.value().id().unwrap();
            if let Some(first) = ids.insert(id, el) {
                panic!("{page}: id {id:?} twice: <{}> and <{}>", first.value().name(), el.value().name());
            }
        }
        for link in html.select(&local) {
            let href = link.value().attr("href").unwrap();
            let id = percent_decode(&href[1..]);
            if id.is_empty() {
                continue;
            }
            let target = ids.get(id.as_str()).unwrap_or_else(|| panic!("{page}: {href} reaches nothing"));
            check_target(page, link, *target);
        }
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// The id of the `<h2>` of `html` whose text (without its `#` anchor) is `wanted`.
fn heading_id(html: &Html, wanted: &str) -> String {
    select(html, "h2")
        .into_iter()
        .find(|h| text(h).trim_end_matches('#').trim() == wanted)
        .unwrap_or_else(|| panic!("no heading {wanted:?}"))
        .value()
        .id()
        .unwrap_or_else(|| panic!("heading {wanted:?} has no id"))
        .to_string()
}

#[test]
fn a_heading_named_like_a_template_id_or_a_footnote_gets_its_own_id_and_links_use_it() {
    let site = colliding_site();
    site.build();
    let a = site.page("a/index.html");
    assert_eq!(heading_id(&a, "Main"), "main-1");
    assert_eq!(heading_id(&a, "Notes"), "notes");
    assert_eq!(heading_id(&a, "1"), "1");
    assert_eq!(heading_id(&a, "Theme select"), "theme-select-1");
    assert_eq!(heading_id(&a, "Backlinks title"), "backlinks-title-1");
    assert_eq!(heading_id(&a, "Local graph title"), "local-graph-title-1");
    assert_eq!(heading_id(&a, "Correction 1"), "correction-1-1");
    assert_eq!(heading_id(&a, "Fn notes"), "fn-notes-1");
    assert_eq!(heading_id(&a, "Q1"), "q1-1");
    assert_eq!(heading_id(&a, "Source usgs"), "source-usgs-1");
    let refs: Vec<String> = select(&a, "sup.footnote-reference a")
        .iter()
        .map(|l| l.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(refs, ["#fn-notes", "#fn-1", "#fn-notes"]);
    // The back link ends the definition's paragraph (GitHub's place), not a line of its own.
    assert_eq!(select(&a, ".footnote-definition > p > a.footnote-backref").len(), 2);
    let backs: Vec<&str> = select(&a, ".footnote-definition a.footnote-backref")
        .iter()
        .map(|l| l.value().attr("href").unwrap())
        .collect();
    assert_eq!(backs, ["#fnref-notes", "#fnref-1"]);
    let self_link: Vec<String> = select(&a, ".note-body p a")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert!(self_link.contains(&"#main-1".to_string()), "{self_link:?}");
    let b = site.page("b/index.html");
    let hrefs: Vec<String> = select(&b, ".note-body a")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .map(str::to_string)
        .collect();
    assert_eq!(hrefs, ["../a/#main-1", "../a/#main-1", "../a/#notes", "../a/#1"]);
}

#[test]
fn the_reserved_ids_are_every_literal_id_of_the_templates_and_scripts() {
    let mut found = std::collections::BTreeSet::new();
    // The templates', and those the scripts write into a page (reading.js's theme switch).
    let mut stack = vec![std::path::PathBuf::from("templates"), std::path::PathBuf::from("static")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices(" id=\"") {
                let value = &text[at + 5..];
                let value = &value[..value.find('"').unwrap()];
                if !value.contains("{{") {
                    found.insert(value.to_string());
                }
            }
        }
    }
    let listed: std::collections::BTreeSet<String> =
        lode::content::scan::TEMPLATE_IDS.iter().map(|s| s.to_string()).collect();
    assert_eq!(found, listed);
}
