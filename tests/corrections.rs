//! Sources and corrections on a real build of `tests/fixtures/corrections/`:
//! the "Sources" section and its ids, Pandoc citations `[@id]` linking to
//! them, correction callouts (`> [!correction]`) with their ids, the
//! `/corrections/` page listing each with a working link, the facts box's
//! marker on a corrected field and its card's back, and the warnings:
//! a correction without a source, an `[extra]` value naming a note the
//! text never links.

mod common;

use std::path::Path;

use common::{TestSite, check_all_links, hrefs, select, text};
use lode::build::{self, BuildOptions};
use lode::diagnostics::{Diagnostic, Kind, Severity};

fn fixture() -> TestSite {
    let site = TestSite::new(&[]);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corrections");
    common::copy_tree(&from, site.root(), |p| !p.starts_with("public"));
    site
}

fn built() -> (TestSite, Vec<Diagnostic>) {
    let site = fixture();
    let report = site.build();
    let warnings = report.warnings.clone();
    (site, warnings)
}

#[test]
fn sources_are_listed_with_ids_and_citations_link_to_them() {
    let (site, _) = built();
    let page = site.page("programmes/msfn/index.html");
    let items = select(&page, "section.sources li[id^=source-]");
    let ids: Vec<&str> = items.iter().filter_map(|li| li.value().attr("id")).collect();
    assert_eq!(ids, ["source-state-2024", "source-pib", "source-s3"]);
    let first = text(&items[0]);
    assert!(first.contains("India joins the finance network"), "{first}");
    assert!(first.contains("Example State Department") && first.contains("2024-09-23"), "{first}");
    assert!(first.contains("India joined in September 2024"), "{first}");
    assert_eq!(hrefs(&page, "section.sources li#source-state-2024 > a"), ["https://example.org/state/msfn"]);
    // The source without a URL is named, not linked.
    assert!(hrefs(&page, "section.sources li#source-s3 a").is_empty());

    let cites: Vec<(String, String)> = select(&page, ".note-body sup.cite a")
        .iter()
        .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
        .collect();
    let expected = [
        ("#source-state-2024", "[1]"),
        ("#source-pib", "[2]"),
        ("#source-s3", "[3]"),
        ("#source-state-2024", "[1]"),
    ];
    assert_eq!(
        cites.iter().map(|(h, t)| (h.as_str(), t.as_str())).collect::<Vec<_>>(),
        expected,
        "body citations, the callout's included"
    );
    // Two sources in one citation share one <sup>.
    assert_eq!(select(&page, ".note-body sup.cite").len(), 3);
    // Code keeps the citation as written.
    let code: Vec<String> = select(&page, ".note-body code").iter().map(text).collect();
    assert!(code.contains(&"[@pib]".to_string()), "{code:?}");
    // In a question's explanation too.
    assert_eq!(hrefs(&page, ".question sup.cite a"), ["#source-state-2024"]);

    let (problems, checked) = check_all_links(&site.output());
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
    assert!(checked > 20, "checked only {checked} links");
}

#[test]
fn a_yaml_note_gets_its_sources_too() {
    let (site, _) = built();
    let page = site.page("programmes/trust/index.html");
    assert_eq!(hrefs(&page, "section.sources li#source-joint > a"), ["https://example.org/joint"]);
    assert_eq!(hrefs(&page, ".note-body sup.cite a"), ["#source-joint"]);
    // A note without sources has no section.
    assert!(select(&site.page("sectors/index.html"), "section.sources").is_empty());
}

#[test]
fn correction_callouts_have_their_class_id_and_label() {
    let (site, _) = built();
    let page = site.page("programmes/msfn/index.html");
    let callouts = select(&page, ".note-body .callout-correction");
    let ids: Vec<&str> = callouts.iter().filter_map(|c| c.value().attr("id")).collect();
    assert_eq!(ids, ["correction-1", "correction-2"]);
    assert_eq!(callouts[0].value().name(), "div");
    assert_eq!(callouts[1].value().name(), "details", "a folding correction is a <details>");
    let title = text(&select(&page, "#correction-1 .callout-title")[0]);
    assert_eq!(title, "Correction: India joined in 2024, not 2023");
    assert_eq!(select(&page, "#correction-1 svg.callout-icon").len(), 1);
    // Another type is no correction and takes no number.
    let trust = site.page("programmes/trust/index.html");
    assert_eq!(
        select(&trust, ".note-body .callout").iter().filter_map(|c| c.value().attr("id")).collect::<Vec<_>>(),
        ["correction-1"]
    );
}

#[test]
fn the_corrections_page_lists_each_correction_with_a_working_link() {
    let (site, _) = built();
    let page = site.page("corrections/index.html");
    let groups: Vec<String> = select(&page, ".corrections-note h2 a").iter().map(text).collect();
    assert_eq!(groups, ["MSFN", "TRUST"]);
    assert_eq!(hrefs(&page, ".corrections-note h2 a"), ["../programmes/msfn/", "../programmes/trust/"]);
    let links = hrefs(&page, ".correction-link a");
    assert_eq!(
        links,
        [
            "../programmes/msfn/#correction-1",
            "../programmes/msfn/#correction-2",
            "../programmes/trust/#correction-1"
        ]
    );
    // Each link lands on a correction callout of that page.
    for link in &links {
        let (path, fragment) = common::resolve_url("/corrections/", link);
        let target = std::fs::read_to_string(common::file_for(&site.output(), &path)).unwrap();
        let target = scraper::Html::parse_document(&target);
        let fragment = fragment.unwrap();
        assert_eq!(select(&target, &format!(".callout-correction[id='{fragment}']")).len(), 1, "{link}");
    }
    let items = select(&page, ".corrections-note .callout-correction");
    assert_eq!(items.len(), 3);
    assert!(text(&items[0]).contains("India joined in 2024, not 2023"));
    assert!(text(&items[0]).contains("The record shows 23 September 2024"));
    // The body's links are relative to /corrections/: the citation goes to the note's source.
    let cite = hrefs(&page, ".corrections-note .callout-body sup.cite a");
    assert_eq!(cite, ["../programmes/msfn/#source-state-2024"]);
    let external = hrefs(&page, ".corrections-note .callout-body a[href^=https]");
    assert_eq!(external, ["https://example.org/state/msp"]);
    // Under each note's corrections, its sources, numbered as its citations,
    // with their URLs: where to check a correction without leaving the page.
    let sources: Vec<(String, String)> = select(&page, ".corrections-sources li")
        .iter()
        .map(|li| (li.value().attr("value").unwrap_or("").to_string(), text(li)))
        .collect();
    assert_eq!(sources[0].0, "1");
    assert!(
        sources[0].1.starts_with("India joins the finance network, Example State Department"),
        "{sources:?}"
    );
    assert_eq!(
        hrefs(&page, ".corrections-note:first-of-type .corrections-sources li > a"),
        ["https://example.org/state/msfn", "https://example.org/pib/msfn"]
    );

    // Every page's footer links it; the sitemap lists it.
    let home = site.page("index.html");
    assert_eq!(hrefs(&home, ".site-footer a[href$='corrections/']"), ["corrections/"]);
    let sitemap = std::fs::read_to_string(site.output().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/corrections/</loc>"), "{sitemap}");
}

#[test]
fn a_site_without_corrections_does_not_link_the_page() {
    let site = TestSite::new(&[("content/_index.md", "# Home\n\nNothing to correct.\n")]);
    site.build();
    assert!(hrefs(&site.page("index.html"), ".site-footer a[href$='corrections/']").is_empty());
    let sitemap = std::fs::read_to_string(site.output().join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("corrections/"));
    assert!(!site.output().join("corrections/index.html").exists(), "no empty page is written");
}

#[test]
fn a_corrected_field_is_marked_in_the_facts_box_and_on_its_card() {
    let (site, _) = built();
    let page = site.page("programmes/msfn/index.html");
    let fact = select(&page, ".facts #field-joined dd")[0];
    assert_eq!(text(&fact), "September 2024 (corrected; the article: September 2023)");
    assert_eq!(hrefs(&page, ".facts #field-joined .corrected a"), ["#correction-1"]);
    // An uncorrected field has no marker.
    assert!(select(&page, ".facts .fact:not(#field-joined) .corrected").is_empty());

    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.output().join("_lode/revise.json")).unwrap())
            .unwrap();
    let card = |id: &str| {
        data["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    assert_eq!(
        card("programmes/msfn/#field-joined")["back"],
        "September 2024 (corrected; the article: September 2023)"
    );
    assert_eq!(card("programmes/trust/#field-launched")["back"], "13 February 2025");
}

#[test]
fn check_warns_about_a_correction_without_source_and_an_unlinked_field() {
    let (_, warnings) = built();
    let at = |d: &Diagnostic| format!("{}:{}:{}", d.file, d.line, d.column);
    let sources: Vec<String> = warnings
        .iter()
        .filter(|d| d.kind == Some(Kind::Sources))
        .map(|d| format!("{} {}", at(d), d.message))
        .collect();
    assert_eq!(
        sources,
        ["content/programmes/trust.md:13:1 a correction needs its source: add a link or [@id]"],
        "the sourced corrections (a citation, a link) are not reported"
    );
    let consistency: Vec<&Diagnostic> =
        warnings.iter().filter(|d| d.kind == Some(Kind::Consistency)).collect();
    assert_eq!(consistency.len(), 1, "{consistency:?}");
    let d = consistency[0];
    assert_eq!(at(d), "content/sectors.md:5:16");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(
        d.message,
        "`[extra] programmes` names TRUST, but the text never links it: link it or fix the field"
    );
    assert!(d.help.as_deref().unwrap_or("").contains("[[TRUST]]"));
    // `lode check` reports the same.
    let checked = build::check(&BuildOptions::new(fixture().root())).expect("check");
    assert!(checked.warnings.iter().any(|d| d.kind == Some(Kind::Consistency)));
}

/// A citation group with one unknown id links the ids it knows and keeps
/// the unknown one as written (with its warning), rather than hiding the
/// whole group.
#[test]
fn an_unknown_id_in_a_citation_group_hides_no_other_source() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[A]]\n"),
        (
            "content/a.md",
            "+++\ntitle = \"A\"\n\n[[sources]]\nid = \"alpha\"\ntitle = \"Alpha report\"\nurl = \"https://example.org/alpha\"\n+++\nOne [@alpha; @nope] and two [@nope].\n",
        ),
    ]);
    let report = site.build();
    let page = site.page("a/index.html");
    assert_eq!(hrefs(&page, ".note-body sup.cite a"), ["#source-alpha"]);
    let body = text(&select(&page, ".note-body p")[0]);
    assert_eq!(body, "One [1][@nope] and two [@nope].");
    let unknown: Vec<_> = report.warnings.iter().filter(|w| w.message.contains("`@nope`")).collect();
    assert_eq!(unknown.len(), 2, "{}", common::list(&report.warnings));
}
