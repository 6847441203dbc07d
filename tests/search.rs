//! Full-text search in the output: Lode's own index under `_lode/search/`
//! (format 1: `meta.json`, term chunks, page fragments, `filters.json`),
//! what it holds (read back from its own files), the markup it is built
//! from, and the search button and script on every page.

mod common;

use std::path::Path;

use common::{TestSite, resolve_url, select};
use serde_json::Value;

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Lithium]] and [[Loose]].\n"),
        (
            "content/minerals/_index.md",
            "+++\ntitle = \"Minerals\"\nsummary = \"Metals we need.\"\n+++\nThe minerals.\n",
        ),
        (
            "content/minerals/lithium.md",
            "+++\ntitle = \"Lithium\"\ntags = [\"battery\", \"Supply chain\"]\n+++\nChina dominates lithium refining.\n\nSee [[Tin]].\n",
        ),
        ("content/minerals/tin.md", "+++\ntitle = \"Tin\"\n+++\nSolder, mostly.\n"),
        ("content/loose.md", "# Loose\n\nA note without a collection about refining.\n"),
    ])
}

/// The files under `dir`, relative to it.
fn files_under(dir: &Path) -> Vec<String> {
    walk(dir).into_iter().map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/")).collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() { out.extend(walk(&path)) } else { out.push(path) }
    }
    out.sort();
    out
}

/// A JSON file of the index, by its path under `_lode/search/`.
fn index_file(output: &Path, path: &str) -> Value {
    let file = output.join("_lode/search").join(path);
    serde_json::from_slice(&std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())))
        .unwrap()
}

fn meta(output: &Path) -> Value {
    index_file(output, "meta.json")
}

/// Every page of the index (url, title, meta, text, anchors), in page
/// order, read from the fragment files, which group `per_fragment` pages
/// each; each with `"filters"`, its values in `filters.json` (name →
/// sorted values), as a page's filters read.
fn fragments(output: &Path) -> Vec<Value> {
    let meta = meta(output);
    let per = meta["per_fragment"].as_u64().unwrap() as usize;
    let count = meta["pages"].as_u64().unwrap() as usize;
    let mut pages = Vec::new();
    for f in 0..count.div_ceil(per) {
        let fragment = index_file(output, &format!("pages/{f}.json"));
        let fragment = fragment.as_array().unwrap();
        assert!(fragment.len() == per || f == count.div_ceil(per) - 1, "fragment {f} holds {per} pages");
        pages.extend(fragment.iter().cloned());
    }
    assert_eq!(pages.len(), count, "meta.json counts the pages of the fragments");
    let filters = index_file(output, "filters.json");
    for (name, values) in filters.as_object().unwrap() {
        for (value, on) in values.as_object().unwrap() {
            let on = on.as_array().unwrap();
            // meta.json counts each value's pages, for the dialog's options.
            assert_eq!(meta["filters"][name][value], on.len(), "{name}: {value}");
            for page in on {
                let page = &mut pages[page.as_u64().unwrap() as usize];
                let list = page["filters"][name].as_array().cloned().unwrap_or_default();
                let mut list: Vec<Value> = list.into_iter().chain([Value::from(value.as_str())]).collect();
                list.sort_by(|a, b| {
                    a.as_str().unwrap().to_lowercase().cmp(&b.as_str().unwrap().to_lowercase())
                });
                page["filters"][name] = Value::from(list);
            }
        }
    }
    pages
}

/// Every term of the index with its postings, from all the chunks, each
/// checked to be in the chunk `meta.json`'s `chunks` says it is in.
fn terms(output: &Path) -> std::collections::BTreeMap<String, Value> {
    let meta = meta(output);
    let id = meta["id"].as_str().unwrap();
    let firsts: Vec<&str> = meta["chunks"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    let mut all = std::collections::BTreeMap::new();
    for (k, first) in firsts.iter().enumerate() {
        let chunk = index_file(output, &format!("terms/{k}.json"));
        assert_eq!(chunk["id"], id, "chunk {k} is of this build");
        for (term, postings) in chunk["terms"].as_object().unwrap() {
            assert!(utf16(first) <= utf16(term), "{term} in chunk {k} from {first}");
            if let Some(next) = firsts.get(k + 1) {
                assert!(utf16(term) < utf16(next), "{term} in chunk {k}, before {next}");
            }
            all.insert(term.clone(), postings.clone());
        }
    }
    all
}

/// The pages (by number) a term is on.
fn pages_of(terms: &std::collections::BTreeMap<String, Value>, term: &str) -> Vec<u64> {
    terms.get(term).map_or_else(Vec::new, |postings| {
        postings.as_array().unwrap().iter().map(|p| p[0].as_u64().unwrap()).collect()
    })
}

#[test]
fn the_index_holds_notes_and_collections_with_titles_and_filters() {
    let site = site();
    site.build();
    let out = site.output();
    let files = files_under(&out.join("_lode/search"));
    for needed in ["meta.json", "filters.json", "terms/0.json", "pages/0.json"] {
        assert!(files.contains(&needed.to_string()), "{needed} missing from {files:?}");
    }
    // Only JSON: no script, worker or WebAssembly of a search library.
    assert!(files.iter().all(|f| f.ends_with(".json")), "{files:?}");
    assert!(!out.join("pagefind").exists(), "no Pagefind index is written");
    let meta = meta(&out);
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["pages"], 4, "three notes and one collection, not the home page");

    // The words are terms of the pages they are on, folded.
    let terms = terms(&out);
    let mut fragments = fragments(&out); // in page order
    let page_of = |url: &str| fragments.iter().position(|f| f["url"] == url).unwrap() as u64;
    let mut refining = pages_of(&terms, "refining");
    refining.sort_unstable();
    let mut expected = vec![page_of("/loose/"), page_of("/minerals/lithium/")];
    expected.sort_unstable();
    assert_eq!(refining, expected);
    assert_eq!(pages_of(&terms, "china"), [page_of("/minerals/lithium/")], "folded to lower case");
    assert!(!terms.contains_key("China") && !terms.contains_key("refining."), "terms are folded words");

    fragments.sort_by_key(|f| f["url"].as_str().unwrap().to_string());
    let urls: Vec<&str> = fragments.iter().map(|f| f["url"].as_str().unwrap()).collect();
    assert_eq!(urls, ["/loose/", "/minerals/", "/minerals/lithium/", "/minerals/tin/"]);
    let lithium = &fragments[2];
    assert_eq!(lithium["title"], "Lithium");
    assert_eq!(lithium["meta"]["collection"], "Minerals");
    assert_eq!(lithium["filters"]["collection"], serde_json::json!(["Minerals"]));
    assert_eq!(lithium["filters"]["tag"], serde_json::json!(["battery", "Supply chain"]));
    let content = lithium["text"].as_str().unwrap();
    assert!(content.contains("China dominates lithium refining."), "{content}");
    // The page's chrome is not searched: header links, breadcrumbs, "Linked from".
    assert!(!content.contains("Home"), "{content}");
    let minerals = &fragments[1];
    assert_eq!(minerals["title"], "Minerals");
    assert_eq!(
        minerals["meta"]["collection"], "Minerals",
        "a collection page is shown in its own collection"
    );
    assert_eq!(minerals["filters"]["collection"], serde_json::json!(["Minerals"]));
    // A collection page is searched by its own words, not by its list of notes.
    let listing = minerals["text"].as_str().unwrap();
    assert!(listing.contains("The minerals.") && !listing.contains("Lithium"), "{listing}");
    let loose = &fragments[0];
    assert!(loose["filters"].get("collection").is_none(), "{loose}");
}

#[test]
fn few_fragment_files_at_many_notes() {
    let mut files: Vec<(String, String)> = vec![("content/_index.md".into(), "# Home\n".into())];
    for i in 0..100 {
        files.push((format!("content/n{i}.md"), format!("# Note {i}\n\nWord{i} and refining.\n")));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = TestSite::new(&refs);
    site.build();
    let out = site.output();
    let fragment_files = walk(&out.join("_lode/search/pages")).len();
    let per = lode::search::PER_FRAGMENT;
    assert!(per > 1, "pages are grouped");
    assert_eq!(meta(&out)["per_fragment"], per);
    assert!(fragment_files <= 100usize.div_ceil(per), "{fragment_files} fragment files for 100 notes");
    assert_eq!(fragments(&out).len(), 100);
}

#[test]
fn pages_carry_the_search_button_and_script() {
    let site = site();
    site.build();
    // 404.html is served at any depth: its URLs are absolute.
    for (page, dir) in [
        ("index.html", "/"),
        ("minerals/lithium/index.html", "/minerals/lithium/"),
        ("tags/index.html", "/tags/"),
        ("404.html", "/"),
    ] {
        let html = site.page(page);
        // search.js writes the button (tests/browser_search.rs): without
        // JavaScript there is no dead button, and no bytes for one.
        assert!(select(&html, ".search-button").is_empty(), "{page}");
        let body = select(&html, "body");
        let root = body[0].value().attr("data-root").unwrap();
        assert_eq!(resolve_url(dir, root).0, "/", "{page}: the root the script loads the index from");
        let script = select(&html, "script[src$='search.js']");
        assert_eq!(script.len(), 1, "{page}");
        assert!(script[0].value().attr("defer").is_some());
        let src = script[0].value().attr("src").unwrap();
        assert_eq!(resolve_url(dir, src).0, "/search.js", "{page}");
    }
    let lithium = site.page("minerals/lithium/index.html");
    assert_eq!(select(&lithium, "body")[0].value().attr("data-root"), Some("../../"));
    assert!(site.output().join("search.js").is_file());
    // Pages that list other notes are not indexed.
    for page in ["index.html", "tags/index.html", "tags/battery/index.html"] {
        assert!(select(&site.page(page), "[data-pagefind-body]").is_empty(), "{page}");
    }
}

#[test]
fn a_site_without_notes_gets_an_empty_index() {
    let site = TestSite::new(&[("content/_index.md", "# Home\n\nNothing yet.\n")]);
    site.build();
    let out = site.output();
    let meta = meta(&out);
    assert_eq!(meta["pages"], 0, "{meta}");
    assert_eq!(meta["chunks"], serde_json::json!([]), "{meta}");
}

#[test]
fn search_can_be_turned_off() {
    let site = TestSite::new(&[
        ("site.toml", "[search]\nenabled = false\n"),
        ("content/_index.md", "# Home\n"),
        ("content/lithium.md", "# Lithium\n\nRefining.\n"),
    ]);
    site.build();
    let out = site.output();
    assert!(!out.join("_lode/search").exists() && !out.join("pagefind").exists());
    let html = site.page("lithium/index.html");
    assert!(select(&html, ".search-button").is_empty());
    assert!(select(&html, "script[src$='search.js']").is_empty());
}

#[test]
fn a_misspelt_search_key_is_an_error_at_its_line() {
    let site = TestSite::new(&[
        ("site.toml", "title = \"x\"\n[search]\nenable = false\n"),
        ("content/_index.md", "# Home\n"),
    ]);
    let problems = common::list(&site.build_err());
    assert!(problems.contains("site.toml:3:1"), "{problems}");
    assert!(problems.contains("enable"), "{problems}");
}

/// A note with everything a search must not spoil: answers, explanations
/// and card backs hold tokens found nowhere else (`zqx…`).
///
/// The flashcard and the cloze are written as raw HTML in the contract's
/// markup (`<details class="card">` with a `card-front` summary and a
/// `card-back` marked `data-pagefind-ignore`; `<mark class="cloze"
/// data-pagefind-ignore>`) rather than in the Obsidian card syntax, since the
/// syntax is built on another branch (issue 14, cards): this checks that
/// the indexer honours the attribute inside the page's `data-pagefind-body`
/// whoever writes the markup.
fn unspoilt() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Lithium]]\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\nThe minerals.\n"),
        (
            "content/minerals/lithium.md",
            r#"+++
title = "Lithium"
aliases = ["White gold"]
tags = ["battery"]
date = 2025-02-17

[extra]
china_share = "zqxfactvalue"

[[extra.shares]]
label = "China"
value = 58

[[questions]]
question = "Which country zqxquestion refines most lithium?"
options = ["zqxanswer China", "zqxoption Chile", "zqxoption Peru"]
answer = "zqxanswer China"
explanation = "It refines zqxexplain 58%."
+++
Lithium is a battery metal.

## Refining

China refines most of it.

<details class="card" id="card-1a2b3c4d" data-revise-id="minerals/lithium/#card-1a2b3c4d"><summary class="card-front">Who zqxfront leads refining?</summary><div class="card-back" data-pagefind-ignore>zqxback China</div></details>

<p class="cloze-paragraph">Lithium is refined in <mark class="cloze" data-pagefind-ignore>zqxcloze China</mark> mostly.</p>

> [!key] zqxkeytitle
> A key fact.

> [!note] zqxcustomtitle
> A note with a title of its own.
"#,
        ),
    ])
}

#[test]
fn search_never_spoils_answers_explanations_card_backs_or_chrome() {
    let site = unspoilt();
    site.build();
    let out = site.output();
    // The page shows what the index must not hold, so the checks below are
    // about the index and not about a page that lost its answers.
    let page = std::fs::read_to_string(out.join("minerals/lithium/index.html")).unwrap();
    for shown in ["zqxanswer", "zqxexplain", "zqxback", "zqxcloze", "min read", "Show answer", "Key facts"] {
        assert!(page.contains(shown), "{shown} is on the page");
    }
    let fragments = fragments(&out);
    let lithium = fragments.iter().find(|f| f["url"] == "/minerals/lithium/").unwrap();
    let content = lithium["text"].as_str().unwrap();
    let everything = serde_json::to_string(&fragments).unwrap();
    let terms = terms(&out);
    let meta = serde_json::to_string(&meta(&out)).unwrap();
    // The answer is one of the options, which are searchable: it is in the
    // index once, as an option, never again as the answer.
    assert_eq!(everything.matches("zqxanswer").count(), 1, "{content}");
    let lithium_page = fragments.iter().position(|f| f["url"] == "/minerals/lithium/").unwrap() as u64;
    let answer = &terms["zqxanswer"][0];
    assert_eq!(answer[0], lithium_page);
    assert_eq!(answer.as_array().unwrap().len(), 3, "one location, the option's: {answer}");
    // Explanations, card backs and cloze deletions: in no fragment, not in
    // the text, the anchors nor the metadata, and no word of theirs is a term.
    for spoiler in ["zqxexplain", "zqxback", "zqxcloze"] {
        assert!(!everything.contains(spoiler), "{spoiler} is in the index: {content}");
        assert!(!meta.contains(spoiler), "{spoiler} is in meta.json");
        assert!(!terms.keys().any(|t| t.contains(spoiler)), "{spoiler} is a term of the index");
    }
    // Page chrome: reading time, last update, tag line, box labels, heading
    // anchors, the self-test's boilerplate, the callouts' type labels.
    for chrome in [
        "min read",
        "Last updated",
        "#battery",
        "Key facts",
        "China share",
        "General reference data",
        "Shares, in per cent",
        "Test yourself",
        "Show answer",
        "Answer:",
        "Also called",
        "Key fact",
        "Note:",
        "Refining #",
        "Refining. #",
    ] {
        assert!(!content.contains(chrome), "{chrome:?} is in the index: {content}");
    }
    // What a reader searches for stays: the body, the question and its
    // options, the card's front, facts' values, aliases, callout titles.
    for kept in [
        "Lithium is a battery metal.",
        "Which country zqxquestion refines most lithium?",
        "zqxoption Chile",
        "Who zqxfront leads refining?",
        "Lithium is refined in",
        "zqxfactvalue",
        "White gold",
        "zqxkeytitle",
        "zqxcustomtitle",
        "Refining",
    ] {
        assert!(content.contains(kept), "{kept:?} is not in the index: {content}");
    }
    // The tag line is not searched, but it still feeds the tag filter.
    assert_eq!(lithium["filters"]["tag"], serde_json::json!(["battery"]));
    // The question and the card are anchors a result can open at; the
    // self-test's heading is not (its words are not indexed).
    let anchors: Vec<&str> =
        lithium["anchors"].as_array().unwrap().iter().map(|a| a[0].as_str().unwrap()).collect();
    assert!(anchors.contains(&"q1") && anchors.contains(&"card-1a2b3c4d"), "{anchors:?}");
    assert!(!anchors.contains(&"self-test-title") && !anchors.contains(&"facts-title"), "{anchors:?}");
}
