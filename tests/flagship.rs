//! The flagship site, built from the repository's own `content/`.

mod common;

use std::path::{Path, PathBuf};

use common::{check_all_links, hrefs, resolve_url, select, text};
use lode::build::{self, BuildOptions};
use scraper::Html;

fn build_flagship(base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let options = BuildOptions {
        output: Some(output.clone()),
        base_url: base_url.map(str::to_string),
        ..BuildOptions::new(env!("CARGO_MANIFEST_DIR"))
    };
    if let Err(problems) = build::build(&options) {
        panic!("flagship build failed:\n{}", common::list(&problems));
    }
    (out, output)
}

fn page(output: &Path, url_path: &str) -> Html {
    let file = common::file_for(output, url_path);
    Html::parse_document(
        &std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
}

/// Follows the link whose text is `label` on the page at `from`; returns the new page's URL path.
fn follow(output: &Path, from: &str, css: &str, label: &str) -> String {
    let html = page(output, from);
    let link = select(&html, css)
        .into_iter()
        .find(|a| text(a) == label)
        .unwrap_or_else(|| panic!("no link \"{label}\" ({css}) on {from}"));
    let (path, _) = resolve_url(from, link.value().attr("href").unwrap());
    assert!(common::file_for(output, &path).is_file(), "{label} on {from} → {path} is not written");
    path
}

#[test]
fn every_internal_link_and_anchor_of_the_flagship_resolves() {
    let (_tmp, output) = build_flagship(None);
    let (problems, checked) = check_all_links(&output);
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 1000, "only {checked} links checked");
}

#[test]
fn a_reader_goes_home_minerals_lithium_trust_united_states_and_back() {
    let (_tmp, output) = build_flagship(Some("https://example.org/REPO/"));
    let minerals = follow(&output, "/", ".site-nav a", "Minerals");
    assert_eq!(minerals, "/minerals/");
    let lithium = follow(&output, &minerals, ".cards a, .comparison a", "Lithium");
    assert_eq!(lithium, "/minerals/lithium/");
    let trust = follow(&output, &lithium, ".note-body a", "TRUST");
    assert_eq!(trust, "/programmes/trust/");
    let us = follow(&output, &trust, ".note-body a", "United States");
    assert_eq!(us, "/countries/united-states/");
    let back = follow(&output, &us, ".backlinks a", "TRUST");
    assert_eq!(back, trust);
    let back = follow(&output, &trust, ".backlinks a", "Lithium");
    assert_eq!(back, lithium);
}

#[test]
fn every_note_cites_the_source_article_and_has_a_backlink() {
    let (_tmp, output) = build_flagship(None);
    let source = page(&output, "/sources/trust-article-2025/");
    let citing = select(&source, ".backlinks li").len();
    let notes: Vec<_> = walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .collect();
    // Every note but the source note itself cites it.
    assert_eq!(citing, notes.len() - 1);
    for entry in &notes {
        let rel = entry.path().strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("content")).unwrap();
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == "_index.md" {
            continue;
        }
        let url =
            format!("/{}/", rel.trim_end_matches(".md").trim_end_matches("_index").trim_end_matches('/'));
        let html = page(&output, &url);
        assert!(!hrefs(&html, ".backlinks li > a").is_empty(), "{rel} is an orphan: nothing links to it");
    }
}
