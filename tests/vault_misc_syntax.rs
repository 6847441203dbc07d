//! The syntax people paste in from Obsidian vaults and GitHub, beyond
//! CommonMark (tests/fixtures/vault-syntax/): `==highlight==`, GFM's
//! extended autolinks and tag filter, comments at the start of a line,
//! headings made of links, and links to the heading a title came from.

mod common;

use std::path::PathBuf;

use common::{check_all_links, hrefs, list, select, text};
use lode::build::{self, BuildOptions};
use scraper::Html;

/// Builds the fixture into a temporary folder: (the folder, the parsed `pasted` page).
fn build_fixture() -> (tempfile::TempDir, Html) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-syntax");
    let out = tempfile::tempdir().expect("temp dir");
    let options = BuildOptions { output: Some(out.path().join("public")), ..BuildOptions::new(&root) };
    if let Err(problems) = build::build(&options) {
        panic!("build failed:\n{}", list(&problems));
    }
    let page = std::fs::read_to_string(out.path().join("public/pasted/index.html")).expect("pasted page");
    (out, Html::parse_document(&page))
}

fn texts(page: &Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(text).collect()
}

#[test]
fn double_equals_highlight_within_a_paragraph_outside_code() {
    let (_out, page) = build_fixture();
    assert_eq!(texts(&page, ".note-body mark"), ["highlighted words", "One"]);
    assert!(texts(&page, ".note-body code").contains(&"==not in code==".to_string()));
    let paragraphs = texts(&page, ".note-body p");
    assert!(paragraphs.contains(&"One then an unpaired paragraph==".to_string()), "{paragraphs:?}");
    assert!(paragraphs.contains(&"and the next paragraph== stays as written.".to_string()), "{paragraphs:?}");
}

#[test]
fn bare_urls_and_addresses_become_links_outside_code_and_links() {
    let (_out, page) = build_fixture();
    let links = hrefs(&page, ".note-body p a[href^='http'], .note-body p a[href^='mailto']");
    assert_eq!(
        links,
        [
            "http://www.example.org",
            "https://example.com/path?q=1",
            "mailto:someone@example.org",
            "https://example.com"
        ]
    );
    let shown = texts(&page, ".note-body p a");
    assert!(shown.contains(&"www.example.org".to_string()), "{shown:?}");
    assert!(shown.contains(&"a link to www.inside.org".to_string()), "{shown:?}");
}

#[test]
fn an_unclosed_title_tag_is_escaped_and_the_page_stays_whole() {
    let (_out, page) = build_fixture();
    let titles = texts(&page, "head title");
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].starts_with("Pasted syntax"), "{titles:?}");
    let body = texts(&page, ".note-body")[0].clone();
    assert!(body.contains("<title>An unclosed title"), "{body}");
    assert!(texts(&page, ".note-body p").contains(&"Text after the title.".to_string()));
    assert!(!select(&page, "nav.site-nav, nav.breadcrumbs").is_empty());
    assert!(!select(&page, "footer").is_empty());
}

#[test]
fn a_comment_at_the_start_of_a_line_makes_no_code_block() {
    let (out, page) = build_fixture();
    let body = texts(&page, ".note-body")[0].clone();
    assert!(body.contains("Text after an HTML comment"), "{body}");
    let paragraphs = texts(&page, ".note-body p");
    assert!(paragraphs.contains(&"Text after an Obsidian comment".to_string()), "{paragraphs:?}");
    let code = texts(&page, ".note-body pre");
    assert_eq!(code, ["code after the list"], "only the indented line after the list is code");
    let html = std::fs::read_to_string(out.path().join("public/pasted/index.html")).unwrap();
    assert!(
        !html.contains("todo") && !html.contains("private") && !html.contains("<c>"),
        "comments left in the page"
    );
}

#[test]
fn an_html_comment_ends_a_list() {
    let (_out, page) = build_fixture();
    let items = texts(&page, ".note-body li");
    assert_eq!(items, ["first", "second"]);
    assert!(select(&page, ".note-body li pre").is_empty());
}

#[test]
fn a_heading_made_of_a_link_keeps_its_text_as_id_and_contents_entry() {
    let (_out, page) = build_fixture();
    let ids: Vec<String> = select(&page, ".note-body h2")
        .iter()
        .filter_map(|h| h.value().attr("id").map(str::to_string))
        .collect();
    assert_eq!(ids, ["other", "shown-text", "sources"]);
    let toc: Vec<(String, String)> = select(&page, "nav.toc a")
        .iter()
        .map(|a| (a.value().attr("href").unwrap_or("").to_string(), text(a)))
        .collect();
    assert_eq!(
        toc,
        [
            ("#other".to_string(), "Other".to_string()),
            ("#shown-text".to_string(), "Shown text".to_string()),
            ("#sources".to_string(), "Sources".to_string()),
        ]
    );
}

#[test]
fn a_link_to_the_title_heading_lands_on_the_page() {
    let (out, page) = build_fixture();
    let links = hrefs(&page, ".note-body h2 ~ p a");
    assert!(links.contains(&"../other/".to_string()), "{links:?}");
    assert!(links.contains(&"../pasted/".to_string()), "{links:?}");
    assert!(!links.iter().any(|l| l.contains("#other-title") || l.contains("#pasted-syntax")), "{links:?}");
    let (problems, checked) = check_all_links(&out.path().join("public"));
    assert!(checked > 0);
    assert!(problems.is_empty(), "{problems:#?}");
}
