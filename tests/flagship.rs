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

/// The backlinks of the page at `from`, as (title, URL path): those the
/// page holds, or with more than it shows, the whole list in the shared
/// file its "Show all" links to (page weight).
fn backlinks(output: &Path, from: &str) -> Vec<(String, String)> {
    let html = page(output, from);
    let (list, css) = match select(&html, ".backlinks-link a").first() {
        Some(link) => {
            let (shard, id) = resolve_url(from, link.value().attr("href").unwrap());
            (shard, format!("section#{} li > a", id.unwrap()))
        }
        None => (from.to_string(), ".backlinks li > a".to_string()),
    };
    let html = page(output, &list);
    // A shard's links are written from its `<base>`, the site root.
    let base = common::base_dir(&html, &list);
    select(&html, &css)
        .iter()
        .map(|a| (text(a), resolve_url(&base, a.value().attr("href").unwrap()).0))
        .collect()
}

/// Follows the backlink titled `label` on the page at `from` (see [`backlinks`]).
fn follow_back(output: &Path, from: &str, label: &str) -> String {
    let found = backlinks(output, from).into_iter().find(|(title, _)| title == label);
    let (_, path) = found.unwrap_or_else(|| panic!("no backlink \"{label}\" on {from}"));
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
    let back = follow_back(&output, &us, "TRUST");
    assert_eq!(back, trust);
    let back = follow_back(&output, &trust, "Lithium");
    assert_eq!(back, lithium);
}

#[test]
fn every_note_cites_the_source_article_and_has_a_backlink() {
    let (_tmp, output) = build_flagship(None);
    let citing = backlinks(&output, "/sources/trust-article-2025/").len();
    let notes: Vec<_> = walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        // A collection's `_archetype.md` is the template of `lode new`, not a note.
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_archetype.md")
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
        .filter(|e| e.as_ref().unwrap().path().is_dir() && e.as_ref().unwrap().file_name() != "sheet")
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
    // The corrected dates (issue 15): India joins the MSFN on 23 September
    // 2024, the NCMM is approved on 29 January 2025, TRUST is launched on
    // 13 February 2025; the article's "2023-09" is gone.
    for date in ["2024-09-23", "2025-01-29"] {
        assert!(dates.contains(&date.to_string()), "no {date} on the timeline: {dates:?}");
    }
    assert!(!dates.iter().any(|d| d.starts_with("2023")), "{dates:?}");
    assert_eq!(dates.last().map(String::as_str), Some("2025-02-13"), "{dates:?}");

    for path in
        ["/programmes/trust/", "/minerals/lithium/", "/minerals/rare-earth-elements/", "/programmes/kabil/"]
    {
        let html = page(&output, path);
        assert!(!select(&html, ".self-test .question details.answer").is_empty(), "{path} has no self-test");
    }
}

// ---- Issue 15: corrections, sources and a question bank written like the exam's ----

/// The four corrections of the flagship: the note (permalink) each belongs
/// to, a phrase of the article's wrong wording its callout quotes (empty
/// where the article says nothing and the error was the notes' own).
const CORRECTIONS: [(&str, &str); 4] = [
    ("/programmes/msfn/", "September 2023"),
    ("/programmes/national-critical-minerals-mission/", "approved in 2024"),
    ("/programmes/trust/", "17 February 2025"),
    ("/programmes/icet/", ""),
];

/// The article's facts and figures (as docs/flagship-facts.md numbers them,
/// F1–F57; F42 is India's list, one row per entry), each with the page it
/// belongs on and a phrase that a question (its text or an option) or a
/// card (front or back) on that page must contain. F41, F44, F56 and F57 are
/// the corrected facts (NCMM approval, MSFN entry, TRUST's launch, TRUST in
/// iCET's place): the phrase is the record's fact, not the article's.
const FACTS: &[(&str, &str, &str)] = &[
    ("F1", "programmes/trust/", "bilateral initiative of India and the United States"),
    ("F2", "programmes/trust/", "Transforming Relationship Utilizing Strategic Technology"),
    ("F3", "programmes/trust/", "recovering and processing critical minerals"),
    ("F4", "programmes/trust/", "Addressing export controls"),
    ("F5", "programmes/trust/", "quantum computing and pharmaceuticals"),
    ("F6", "programmes/trust/", "supply chains for lithium, cobalt and nickel"),
    ("F7", "programmes/trust/", "Recovery and processing of strategic minerals"),
    ("F8", "programmes/trust/", "biotechnology and space exploration"),
    ("F9", "programmes/trust/", "dominance of global supply chains"),
    ("F10", "minerals/rare-earth-elements/", "Nearly 70%"),
    ("F11", "countries/china/", "processing infrastructure"),
    ("F12", "countries/china/", "largest mining nation"),
    ("F13", "countries/china/", "173 types of minerals"),
    ("F14", "minerals/copper/", "Copper, lithium, cobalt and rare earths"),
    ("F15", "countries/china/", "$19.4 billion"),
    ("F16", "countries/china/", "132"),
    ("F17", "countries/china/", "34 large"),
    ("F18", "minerals/rare-earth-elements/", "87%"),
    ("F19", "minerals/lithium/", "58%"),
    ("F20", "minerals/silicon/", "68%"),
    ("F21", "topics/china-dominance/", "technological sovereignty and national security"),
    ("F22", "topics/china-dominance/", "military and high-tech applications"),
    ("F23", "topics/trust-benefits/", "governments, academia and the private sector"),
    ("F24", "topics/trust-benefits/", "(3) Biotechnology (4) Energy"),
    ("F25", "topics/trust-benefits/", "semiconductors, quantum computing and space exploration"),
    ("F26", "topics/trust-benefits/", "strengthen global supply chains"),
    ("F27", "topics/trust-benefits/", "which two critical minerals"),
    ("F28", "sectors/defence/", "missiles, fighter jets and radar systems"),
    ("F29", "sectors/energy-and-batteries/", "Lithium, cobalt and nickel"),
    ("F30", "minerals/gallium/", "Gallium and indium"),
    ("F31", "sectors/space/", "scandium"),
    ("F32", "countries/japan/", "Japan"),
    ("F33", "programmes/inflation-reduction-act/", "critical raw materials and battery components"),
    ("F34", "topics/challenges/", "battery-sector companies"),
    ("F35", "topics/challenges/", "tax benefits and technology transfer"),
    ("F36", "topics/challenges/", "Mineral processing and battery manufacturing"),
    ("F37", "topics/critical-minerals/", "economic development and national security"),
    ("F38", "topics/critical-minerals/", "concentration in a few parts of the world"),
    ("F39", "topics/critical-minerals/", "Lithium, graphite, cobalt, titanium and rare earth elements"),
    (
        "F40",
        "topics/critical-minerals/",
        "high-tech electronics, telecommunications, transportation and defence",
    ),
    ("F41", "programmes/national-critical-minerals-mission/", "29 January 2025"),
    ("F43", "programmes/msfn/", "led by the United States"),
    ("F44", "programmes/msfn/", "September 2024"),
    ("F45", "programmes/msfn/", "global coordination in securing critical mineral resources"),
    ("F46", "programmes/energy-act-2020/", "USD 675 million"),
    ("F47", "programmes/cmm-program/", "diversifying supply chains and promoting circular economies"),
    ("F48", "programmes/battery-recycling-program/", "2024"),
    ("F49", "programmes/battery-recycling-program/", "USD 125 million"),
    ("F50", "programmes/icet/", "framework India and the United States set up"),
    ("F51", "programmes/icet/", "as an area of iCET"),
    ("F52", "programmes/national-critical-minerals-mission/", "Rs 16,300 crore"),
    ("F53", "programmes/national-critical-minerals-mission/", "exploration and recycling"),
    ("F54", "programmes/kabil/", "three State-owned companies"),
    ("F55", "programmes/kabil/", "securing mineral assets"),
    ("F56", "programmes/trust/", "13 February 2025"),
    ("F57", "programmes/icet/", "taking iCET's place"),
    ("F42", "topics/india-critical-minerals-list/", "Antimony"),
    ("F42", "topics/india-critical-minerals-list/", "Beryllium"),
    ("F42", "topics/india-critical-minerals-list/", "Bismuth"),
    ("F42", "topics/india-critical-minerals-list/", "Cobalt"),
    ("F42", "topics/india-critical-minerals-list/", "Copper"),
    ("F42", "topics/india-critical-minerals-list/", "Gallium"),
    ("F42", "topics/india-critical-minerals-list/", "Germanium"),
    ("F42", "topics/india-critical-minerals-list/", "Graphite"),
    ("F42", "topics/india-critical-minerals-list/", "Hafnium"),
    ("F42", "topics/india-critical-minerals-list/", "Indium"),
    ("F42", "topics/india-critical-minerals-list/", "Lithium"),
    ("F42", "topics/india-critical-minerals-list/", "Molybdenum"),
    ("F42", "topics/india-critical-minerals-list/", "Niobium"),
    ("F42", "topics/india-critical-minerals-list/", "Nickel"),
    ("F42", "topics/india-critical-minerals-list/", "PGE"),
    ("F42", "topics/india-critical-minerals-list/", "Phosphorus"),
    ("F42", "topics/india-critical-minerals-list/", "Potash"),
    ("F42", "topics/india-critical-minerals-list/", "REE"),
    ("F42", "topics/india-critical-minerals-list/", "Rhenium"),
    ("F42", "topics/india-critical-minerals-list/", "Silicon"),
    ("F42", "topics/india-critical-minerals-list/", "Strontium"),
    ("F42", "topics/india-critical-minerals-list/", "Tantalum"),
    ("F42", "topics/india-critical-minerals-list/", "Tellurium"),
    ("F42", "topics/india-critical-minerals-list/", "Tin"),
    ("F42", "topics/india-critical-minerals-list/", "Titanium"),
    ("F42", "topics/india-critical-minerals-list/", "Tungsten"),
    ("F42", "topics/india-critical-minerals-list/", "Vanadium"),
    ("F42", "topics/india-critical-minerals-list/", "Zirconium"),
    ("F42", "topics/india-critical-minerals-list/", "Selenium"),
    ("F42", "topics/india-critical-minerals-list/", "Cadmium"),
];

/// Decodes the percent-escapes of a URL fragment (`%5E` → `^`).
fn decode(fragment: &str) -> String {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        if bytes[i] == b'%'
            && let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn has_class(el: &scraper::node::Element, class: &str) -> bool {
    el.classes().any(|c| c == class)
}

/// Whether the element with id `id` on `html` is a correction callout, holds
/// one, or sits inside one (a block id may wrap the callout).
fn is_correction_target(html: &Html, id: &str) -> bool {
    let Some(target) = select(html, "[id]").into_iter().find(|e| e.value().attr("id") == Some(id)) else {
        return false;
    };
    has_class(target.value(), "callout-correction")
        || target.select(&scraper::Selector::parse(".callout-correction").unwrap()).next().is_some()
        || target
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|a| has_class(a.value(), "callout-correction"))
}

/// The page's text outside the parts allowed to quote the article's wrong
/// wording: correction callouts, a question's options (a wrong option is
/// offered, not stated) and its answer with the explanation, which must name
/// the article's version (checked on revise.json below).
fn text_outside_quotes(html: &Html) -> String {
    let quoting = |e: &scraper::ElementRef| {
        let e = e.value();
        has_class(e, "callout-correction")
            || (e.name() == "ol" && has_class(e, "options"))
            || (e.name() == "details" && has_class(e, "answer"))
            || (e.name() == "ol" && has_class(e, "sheet-options"))
            || (e.name() == "section" && has_class(e, "sheet-answers"))
            || matches!(e.name(), "script" | "style" | "template")
    };
    let mut out = String::new();
    for node in html.tree.root().descendants() {
        if let scraper::Node::Text(t) = node.value()
            && !node.ancestors().filter_map(scraper::ElementRef::wrap).any(|a| quoting(&a))
        {
            out.push_str(t);
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn revise_json(output: &Path) -> serde_json::Value {
    let file = output.join("_lode/revise.json");
    serde_json::from_str(
        &std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())),
    )
    .unwrap()
}

#[test]
fn the_corrections_page_lists_the_four_corrections_each_with_a_source_url() {
    let (_tmp, output) = build_flagship(None);
    // Each corrected note carries exactly one correction callout, and the
    // site no other.
    let mut on_pages = 0;
    for entry in walkdir::WalkDir::new(&output).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_some_and(|x| x == "html")
            && !entry.path().ends_with("corrections/index.html")
        {
            let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
            on_pages += select(&html, ".note-body .callout-correction").len();
        }
    }
    assert_eq!(on_pages, CORRECTIONS.len(), "correction callouts on note pages");

    let corrections = page(&output, "/corrections/");
    let main = select(&corrections, "main");
    assert_eq!(main.len(), 1);
    let links = main[0].select(&scraper::Selector::parse("a[href]").unwrap()).collect::<Vec<_>>();
    // A link's target: (page path, fragment), resolved from /corrections/.
    let target = |a: &scraper::ElementRef| resolve_url("/corrections/", a.value().attr("href").unwrap());
    let mut found = Vec::new();
    for (note, quoted) in CORRECTIONS {
        let note_page = page(&output, note);
        let callouts = select(&note_page, ".callout-correction");
        assert_eq!(callouts.len(), 1, "{note}: one correction callout");
        let callout_text = text(&callouts[0]);
        assert!(
            callout_text.contains(quoted),
            "{note}: the callout quotes the article's {quoted:?}: {callout_text}"
        );
        assert!(
            callouts[0]
                .select(&scraper::Selector::parse("a[href^='http'], sup.cite a").unwrap())
                .next()
                .is_some(),
            "{note}: the callout cites a source"
        );
        // The corrections page links the callout on its note...
        let to_callout: Vec<_> = links
            .iter()
            .filter(|a| {
                let (path, fragment) = target(a);
                path == note && fragment.is_some_and(|f| is_correction_target(&note_page, &decode(&f)))
            })
            .collect();
        assert!(!to_callout.is_empty(), "/corrections/ has no link to the correction on {note}");
        // ...and, within that correction's entry (the nearest enclosing
        // element that names no other corrected note's callout), a source:
        // an http(s) URL, or a citation whose source on the note has one.
        let other_notes: Vec<&str> = CORRECTIONS.iter().map(|(n, _)| *n).filter(|n| *n != note).collect();
        let sourced = to_callout[0].ancestors().filter_map(scraper::ElementRef::wrap).find_map(|entry| {
            let inner: Vec<_> = entry.select(&scraper::Selector::parse("a[href]").unwrap()).collect();
            if inner.iter().any(|a| {
                let (path, fragment) = target(a);
                other_notes.contains(&path.as_str()) && fragment.is_some()
            }) {
                return Some(false); // reached the list of every correction
            }
            let http = inner.iter().any(|a| a.value().attr("href").unwrap().starts_with("http"));
            let cited = inner.iter().any(|a| {
                let (path, fragment) = target(a);
                path == note
                    && fragment.is_some_and(|f| {
                        let f = decode(&f);
                        f.starts_with("source-")
                            && select(&note_page, "[id]").iter().any(|li| {
                                li.value().attr("id") == Some(f.as_str())
                                    && li
                                        .select(&scraper::Selector::parse("a[href^='http']").unwrap())
                                        .next()
                                        .is_some()
                            })
                    })
            });
            (http || cited).then_some(true)
        });
        assert_eq!(sourced, Some(true), "the correction of {note} on /corrections/ shows no source URL");
        found.push(note);
    }
    assert_eq!(found.len(), 4);
    // The corrected fields show the record's value, marked, with the article's.
    for (note, article) in [
        ("/programmes/msfn/", "the article: 2023"),
        ("/programmes/national-critical-minerals-mission/", "the article: 2024"),
    ] {
        let marks: Vec<String> = select(&page(&output, note), "span.corrected").iter().map(text).collect();
        assert!(
            marks.iter().any(|m| m.contains(article)),
            "{note}: no corrected marker with {article:?}: {marks:?}"
        );
    }
    // Every http(s) source URL on the corrections page is one of the notes' sources.
    let urls: Vec<&str> =
        links.iter().filter_map(|a| a.value().attr("href")).filter(|h| h.starts_with("http")).collect();
    assert!(urls.iter().all(|u| u.starts_with("https://")), "{urls:?}");
}

#[test]
fn no_page_repeats_the_articles_wrong_dates_outside_a_correction() {
    let (_tmp, output) = build_flagship(None);
    let wrong = ["september 2023", "approved in 2024", "different initiatives"];
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&output).into_iter().filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "html") {
            continue;
        }
        pages += 1;
        let html = Html::parse_document(&std::fs::read_to_string(path).unwrap());
        let body = text_outside_quotes(&html).to_lowercase();
        for phrase in wrong {
            assert!(!body.contains(phrase), "{} states {phrase:?} outside a correction", path.display());
        }
    }
    assert!(pages > 60, "only {pages} pages read");
    // The article's version is quoted where it belongs: in the correction
    // callout (checked above) and in the explanation of the question on the
    // corrected fact, which tests the record's fact.
    let revise = revise_json(&output);
    let question = |id: &str| {
        revise["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
            .clone()
    };
    for (id, key, article) in [
        ("programmes/msfn/#q1", "September 2024", "September 2023"),
        ("programmes/national-critical-minerals-mission/#q3", "Only two", "approved in 2024"),
        (
            "programmes/trust/#q7",
            "On 13 February 2025, in the India–U.S. joint statement",
            "17 February 2025",
        ),
    ] {
        let q = question(id);
        assert_eq!(q["answer"], key, "{id}");
        let explanation = q["explanation"].as_str().unwrap();
        assert!(
            explanation.contains(article) && explanation.contains("the correction"),
            "{id}: the explanation names the article's version and links the correction: {explanation}"
        );
    }
}

#[test]
fn every_fact_of_the_article_is_tested_by_a_question_or_card_on_its_page() {
    let (_tmp, output) = build_flagship(None);
    let revise = revise_json(&output);
    let mut on_page: std::collections::HashMap<String, Vec<String>> = Default::default();
    for q in revise["questions"].as_array().unwrap() {
        let page = q["id"].as_str().unwrap().split('#').next().unwrap().to_string();
        let mut s = q["question"].as_str().unwrap().to_string();
        for o in q["options"].as_array().unwrap() {
            s.push_str(" | ");
            s.push_str(o.as_str().unwrap());
        }
        on_page.entry(page).or_default().push(s);
    }
    for c in revise["cards"].as_array().unwrap() {
        let page = c["id"].as_str().unwrap().split('#').next().unwrap().to_string();
        on_page.entry(page).or_default().push(format!(
            "{} | {}",
            c["front"].as_str().unwrap(),
            c["back"].as_str().unwrap()
        ));
    }
    let untested: Vec<_> = FACTS
        .iter()
        .filter(|(_, page, phrase)| {
            !on_page.get(*page).is_some_and(|items| items.iter().any(|i| i.contains(phrase)))
        })
        .collect();
    assert!(untested.is_empty(), "facts no question or card on their page tests: {untested:#?}");
    let ids: std::collections::BTreeSet<&str> = FACTS.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(ids.len(), 57, "F1–F57, F42 (India's list) counted once: {ids:?}");
    assert_eq!(FACTS.iter().filter(|(id, _, _)| *id == "F42").count(), 30, "India's list: every entry");
}

/// The format a question is written in, from its phrasing (issue 15: the
/// prelims' formats since 2023).
fn format_of(q: &serde_json::Value) -> Option<&'static str> {
    const SI: [&str; 4] = [
        "Both Statement-I and Statement-II are correct and Statement-II explains Statement-I",
        "Both Statement-I and Statement-II are correct, but Statement-II does not explain Statement-I",
        "Statement-I is correct, but Statement-II is incorrect",
        "Statement-I is incorrect, but Statement-II is correct",
    ];
    let text = q["question"].as_str().unwrap();
    let options: Vec<&str> = q["options"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    if text.contains("Statement-I:") && text.contains("Statement-II:") {
        assert_eq!(options, SI, "{}: Statement-I/II with non-standard options", q["id"]);
        Some("statements I/II")
    } else if text.contains("How many of the above pairs are correctly matched?") {
        Some("pairs")
    } else if text.contains("How many of the above") {
        Some("how many")
    } else {
        None
    }
}

#[test]
fn a_third_of_the_questions_use_the_current_prelims_formats_and_none_repeats() {
    let (_tmp, output) = build_flagship(None);
    let revise = revise_json(&output);
    let questions = revise["questions"].as_array().unwrap();
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    for q in questions {
        if let Some(kind) = format_of(q) {
            *counts.entry(kind).or_default() += 1;
            assert_eq!(q["shuffle"], false, "{}: a {kind} question keeps its written order", q["id"]);
            let options: Vec<&str> =
                q["options"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
            if kind != "statements I/II" {
                assert!(
                    options.iter().all(|o| o.starts_with("Only ") || o.starts_with("All ") || *o == "None"),
                    "{}: {options:?}",
                    q["id"]
                );
            }
        }
    }
    let current: usize = counts.values().sum();
    assert!(
        3 * current >= questions.len(),
        "{current} of {} questions in the current formats: {counts:?}",
        questions.len()
    );
    for kind in ["how many", "pairs", "statements I/II"] {
        assert!(counts.get(kind).copied().unwrap_or(0) >= 3, "fewer than three {kind} questions: {counts:?}");
    }
    // No duplicates: no two questions share their text.
    let mut seen = std::collections::HashSet::new();
    for q in questions {
        assert!(seen.insert(q["question"].as_str().unwrap()), "duplicate question {}", q["id"]);
    }
    // Every explanation links a note.
    for q in questions {
        assert!(
            q["explanation"].as_str().unwrap().contains("<a href="),
            "{}: the explanation links no note",
            q["id"]
        );
    }
}

/// The number written just before the first `word` in `text`
/// ("63 notes" → 63 for " notes"; "note (63)" → 63 for ")").
fn number_before(text: &str, word: &str) -> usize {
    let at = text.find(word).unwrap_or_else(|| panic!("no {word:?} in {text}"));
    let digits: String = text[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().unwrap_or_else(|_| panic!("no number before {word:?} in {text}"))
}

#[test]
fn the_footer_the_graph_and_the_command_line_give_one_count_of_notes() {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        output: Some(out.path().join("public")),
        ..BuildOptions::new(env!("CARGO_MANIFEST_DIR"))
    };
    let report = build::build(&options).unwrap_or_else(|p| panic!("{}", common::list(&p)));
    let output = out.path().join("public");
    // Every page of content/ but the home page and the collection pages (_index.md).
    let notes = walkdir::WalkDir::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| e.file_name() != "_index.md" && e.file_name() != "_archetype.md")
        .count();
    assert_eq!(report.notes, notes, "the command line's count");
    for url in ["/", "/minerals/lithium/", "/graph/"] {
        let footer = text(&select(&page(&output, url), ".site-footer")[0]);
        assert_eq!(number_before(&footer, " notes"), notes, "footer of {url}: {footer}");
    }
    let graph = page(&output, "/graph/");
    let label = select(&graph, ".graph-site svg.graph")[0].value().attr("aria-label").unwrap().to_string();
    assert_eq!(number_before(&label, " notes"), notes, "{label}");
    let summary = text(&select(&graph, ".note-header .summary")[0]);
    assert_eq!(number_before(&summary, ")"), notes, "{summary}");
    // Drawn nodes: the notes and the collection pages, never the home page.
    let collections = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("_index.md").is_file())
        .count();
    assert_eq!(select(&graph, ".graph-site .nodes a").len(), notes + collections);
    // A collection table counts its rows, with the right plural.
    let minerals = page(&output, "/minerals/");
    let rows = select(&minerals, ".comparison tbody tr").len();
    let caption = text(&select(&minerals, ".comparison caption")[0]);
    assert!(caption.ends_with(&format!("({rows} notes)")), "{caption}");
}

/// The flagship's queries (issue 20) show the notes' own figures, exactly
/// as the hand-kept lists they replace gave them, each row linking its note.
#[test]
fn the_flagship_queries_list_budgets_by_year_and_china_shares_by_mineral() {
    let (_dir, output) = build_flagship(None);
    let rows = |url: &str| -> Vec<Vec<String>> {
        let html = page(&output, url);
        let cell = scraper::Selector::parse("th, td").unwrap();
        select(&html, ".query-table tbody tr")
            .iter()
            .map(|tr| tr.select(&cell).map(|c| text(&c)).collect())
            .collect()
    };
    assert_eq!(
        rows("/programmes/"),
        [
            vec!["Battery and Critical Mineral Recycling Program", "2024", "USD 125 million", "–"],
            vec!["National Critical Minerals Mission", "2025", "Rs 16,300 crore", "roughly USD 2 billion"],
            vec!["Critical Minerals and Materials Program", "–", "USD 675 million", "–"],
        ]
    );
    assert_eq!(
        rows("/topics/china-dominance/"),
        [
            vec!["Lithium", "58% of global lithium refining"],
            vec!["Rare earth elements", "nearly 70% of global REE production; 87% of rare earth processing"],
            vec!["Silicon", "68% of global silicon processing"],
        ]
    );
    let html = page(&output, "/topics/china-dominance/");
    for href in hrefs(&html, ".query-table tbody th a") {
        let (path, _) = resolve_url("/topics/china-dominance/", &href);
        assert!(common::file_for(&output, &path).is_file(), "{href} leads nowhere");
    }
}
