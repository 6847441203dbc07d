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

#[test]
fn the_flagship_covers_every_mineral_programme_and_figure_of_the_article() {
    let (_tmp, output) = build_flagship(None);
    let minerals = page(&output, "/minerals/");
    assert_eq!(
        select(&minerals, "table.comparison tbody tr").len(),
        30,
        "one row per mineral on India's list"
    );
    let mineral_pages = std::fs::read_dir(output.join("minerals"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert_eq!(mineral_pages, 30);
    let programmes = page(&output, "/programmes/");
    let rows: Vec<String> = select(&programmes, "table.comparison tbody th a").iter().map(text).collect();
    for name in [
        "TRUST",
        "iCET",
        "Minerals Security Finance Network",
        "Critical Minerals and Materials Program",
        "Battery and Critical Mineral Recycling Program",
        "National Critical Minerals Mission",
        "KABIL",
        "U.S. Inflation Reduction Act",
        "Energy Act of 2020",
    ] {
        assert!(rows.iter().any(|r| r == name), "no programme row for {name}: {rows:?}");
    }
    assert_eq!(rows.len(), 9);
    let budgets = text(&select(&programmes, "table.comparison")[0]);
    for figure in ["USD 675 million", "USD 125 million", "Rs 16,300 crore", "roughly USD 2 billion"] {
        assert!(budgets.contains(figure), "programme table lacks {figure}");
    }

    let china = page(&output, "/countries/china/");
    let body = text(&select(&china, "main")[0]);
    for figure in ["173", "$19.4 billion", "132", "34", "nearly 70%", "87%", "58%", "68%"] {
        assert!(body.contains(figure), "China's page lacks {figure}");
    }
    let chart = select(&china, "figure.chart svg");
    assert_eq!(chart.len(), 1, "the chart of China's shares is drawn");
    assert_eq!(select(&china, "figure.chart svg rect.bar").len(), 4);
    assert!(
        !select(&china, "figure.chart svg title").is_empty()
            && !select(&china, "figure.chart .chart-data li").is_empty()
    );

    let timeline = page(&output, "/timeline/");
    let dates: Vec<String> = select(&timeline, ".timeline time").iter().map(text).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "the timeline is in date order");
    assert_eq!(dates.first().map(String::as_str), Some("2020"));
    assert!(
        dates.contains(&"2023-09".to_string()) && dates.last().map(String::as_str) == Some("2025-02"),
        "{dates:?}"
    );

    for path in
        ["/programmes/trust/", "/minerals/lithium/", "/minerals/rare-earth-elements/", "/programmes/kabil/"]
    {
        let html = page(&output, path);
        assert!(!select(&html, ".self-test .question details.answer").is_empty(), "{path} has no self-test");
    }
}
