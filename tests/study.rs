//! The study pages on real builds: each note's local graph, the whole-site
//! graph at `/graph/` (and its collection-level fallback for big sites), the
//! revision data behind `/revise/` (questions and flashcards), and the
//! permalinks these pages keep for themselves.

mod common;

use std::collections::BTreeSet;

use common::{TestSite, check_all_links, list, resolve_url, select, text};
use serde_json::Value;

/// Five notes in two collections: Tin links to Lead and Zinc, Copper links
/// to Tin, Lead links to Zinc, Gold stands alone; the home page links to all.
fn metals() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Tin]] [[Lead]] [[Zinc]] [[Copper]] [[Gold]]\n"),
        (
            "content/soft/_index.md",
            "+++\ntitle = \"Soft metals\"\ncards = [\"symbol\", { field = \"melting_point\", unit = \"°C\" }]\n+++\n",
        ),
        ("content/hard/_index.md", "+++\ntitle = \"Hard metals\"\n+++\n"),
        (
            "content/soft/tin.md",
            "+++\ntitle = \"Tin\"\ntags = [\"alloy\"]\n\n[extra]\nsymbol = \"Sn\"\nmelting_point = 232\nuses = [\"solder\", \"bronze\"]\n\n[[extra.table]]\nyear = 2020\n\n[[questions]]\nquestion = \"Which metal does tin alloy with to make bronze?\"\noptions = [\"Copper\", \"Gold\"]\nanswer = \"Copper\"\nexplanation = \"Bronze is [[Copper]] and tin.\"\n+++\nTin goes with [[Lead]] and [[Zinc]].\n\n> [!key] Bronze\n> Copper and about 12% tin.\n\n> [!KEY]\n> Tin pest below 13 °C.\n",
        ),
        ("content/soft/lead.md", "+++\ntitle = \"Lead\"\ntags = [\"toxic\"]\n+++\nLead and [[Zinc]].\n"),
        ("content/soft/zinc.md", "+++\ntitle = \"Zinc\"\n+++\nZinc.\n"),
        (
            "content/hard/copper.md",
            "+++\ntitle = \"Copper\"\n\n[[questions]]\nquestion = \"Is copper a conductor?\"\noptions = [\"Yes\", \"No\"]\nanswer = \"Yes\"\n+++\nCopper and [[Tin]].\n",
        ),
        ("content/hard/gold.md", "+++\ntitle = \"Gold\"\n+++\nGold.\n"),
    ])
}

/// The notes an SVG's nodes link to, as absolute URL paths from the page at `page_dir`.
fn node_targets(html: &scraper::Html, css: &str, page_dir: &str) -> BTreeSet<String> {
    select(html, css).iter().map(|a| resolve_url(page_dir, a.value().attr("href").unwrap()).0).collect()
}

#[test]
fn a_local_graph_shows_the_note_its_links_and_its_backlinks() {
    let site = metals();
    site.build();
    let tin = site.page("soft/tin/index.html");
    // The page holds the graph as a list of the linked notes by collection
    // (graph.js paints it: tests/browser_graph.rs), with the note's own node
    // on the list itself; no picture (page weight), only the legend's markers.
    assert!(select(&tin, ".local-graph svg:not(.graph-key)").is_empty());
    let list = &select(&tin, ".local-graph > ul.graph-links")[0];
    assert_eq!(list.value().attr("aria-label"), Some("Notes linked with Tin"));
    assert_eq!(resolve_url("/soft/tin/", list.value().attr("data-href").unwrap()).0, "/soft/tin/");
    let one_hop = node_targets(&tin, ".local-graph > ul.graph-links a", "/soft/tin/");
    // The notes Tin links to, and Copper, which links to it; never the home page.
    let expected: BTreeSet<String> =
        ["/soft/lead/", "/soft/zinc/", "/hard/copper/"].iter().map(|s| s.to_string()).collect();
    assert_eq!(one_hop, expected);
    // One item per collection, named; the list carries no layout (graph.js
    // lays it out: page weight and build time), only each node's class.
    let items: Vec<String> = select(&tin, ".local-graph > ul.graph-links > li").iter().map(text).collect();
    assert_eq!(items, ["Hard metals: Copper", "Soft metals: Lead, Zinc"]);
    assert_eq!(list.value().attr("data-c"), Some("Soft metals"));
    for li in select(&tin, ".local-graph > ul.graph-links > li") {
        assert!(li.value().attr("data-g").unwrap().parse::<usize>().is_ok(), "{:?}", li.value());
    }
    for a in select(&tin, ".local-graph > ul.graph-links a").iter().chain([list]) {
        assert!(a.value().attrs().all(|(k, _)| k != "data-w" && k != "data-p"), "{:?}", a.value());
    }
    // A legend, in the page (so without JavaScript too): each collection
    // drawn, the note's own first, with the marker of its nodes' class.
    let legend = select(&tin, ".local-graph > ul.graph-legend > li");
    let named: Vec<String> = legend.iter().map(text).collect();
    assert_eq!(named, ["Soft metals", "Hard metals"]);
    let class_of = |collection: &str| {
        let li = select(&tin, ".local-graph > ul.graph-links > li")
            .into_iter()
            .find(|li| text(li).starts_with(collection));
        li.map_or_else(
            || list.value().attr("data-g").unwrap().to_string(),
            |li| li.value().attr("data-g").unwrap().to_string(),
        )
    };
    for (li, collection) in legend.iter().zip(["Soft metals", "Hard metals"]) {
        let marker = li.select(&scraper::Selector::parse("span.graph-key[aria-hidden=true]").unwrap()).next();
        let marker = marker.unwrap_or_else(|| panic!("{collection}: no marker"));
        let class = format!("k{}", class_of(collection));
        assert!(
            marker.value().classes().any(|c| c == class),
            "{collection}: {:?} is not {class}",
            marker.value()
        );
    }

    // Gold links nowhere and nothing links to it: no graph.
    assert!(select(&site.page("hard/gold/index.html"), ".local-graph").is_empty());
    // Zinc's second hop reaches Copper through Tin; its first hop does not.
    let zinc = site.page("soft/zinc/index.html");
    let first = node_targets(&zinc, ".local-graph > ul.graph-links a", "/soft/zinc/");
    assert!(!first.contains("/hard/copper/"), "{first:?}");
    // The second hop is a list (drawn as a ring by graph.js), grouped by the
    // neighbour it goes through: `data-p` is that neighbour's place on the ring.
    // It is not in the page (page weight) but in a shared file the page
    // links to, which graph.js fetches when the reader opens "Show 2 hops".
    assert!(select(&zinc, ".local-graph ul.hops").is_empty());
    let link = &select(&zinc, ".local-graph details.graph-more .hops-link a")[0];
    let (shard, id) = resolve_url("/soft/zinc/", link.value().attr("href").unwrap());
    assert!(shard.starts_with("/_lode/hops/") && shard.ends_with('/'), "{shard}");
    let shard_page = site.page(&format!("{}index.html", shard.trim_start_matches('/')));
    let section = format!("section#{}", id.unwrap());
    // Its URLs are written from the site root, its `<base>`.
    let root = common::base_dir(&shard_page, &shard);
    assert_eq!(root, "/");
    let heading =
        select(&shard_page, &format!("{section} h2 a"))[0].value().attr("href").unwrap().to_string();
    assert_eq!(resolve_url(&root, &heading).0, "/soft/zinc/");
    let zinc = shard_page;
    let second = node_targets(&zinc, &format!("{section} ul.hops a"), &root);
    assert_eq!(second, BTreeSet::from(["/hard/copper/".to_string()]));
    let ring: Vec<String> = select(&site.page("soft/zinc/index.html"), ".local-graph > ul.graph-links a")
        .iter()
        .map(|a| resolve_url("/soft/zinc/", a.value().attr("href").unwrap()).0)
        .collect();
    let through = &select(&zinc, &format!("{section} ul.hops li"))[0];
    let p: usize = through.value().attr("data-p").unwrap().parse().unwrap();
    assert_eq!(ring[p], "/soft/tin/", "{ring:?}");
    assert!(text(through).starts_with("Through Tin:"), "{}", text(through));
    let hops = &select(&zinc, &format!("{section} ul.hops"))[0];
    assert_eq!(hops.value().attr("data-ring"), Some(ring.len().to_string().as_str()));
    let copper = &select(&zinc, &format!("{section} ul.hops a"))[0];
    // Its collection is a key into the file's one table of collections
    // (graph.js copies the title and class onto the link it draws).
    let key = copper.value().attr("data-k").unwrap();
    let collection = &select(&zinc, &format!(".hop-collections[hidden] li[data-k=\"{key}\"]"))[0];
    assert_eq!(text(collection), "Hard metals");
    // Its class is the collection's, as Tin's list gives it (Tin links Copper).
    let tin = site.page("soft/tin/index.html");
    let hard = select(&tin, ".local-graph > ul.graph-links li")
        .into_iter()
        .find(|li| text(li).starts_with("Hard metals:"))
        .expect("Tin's graph lists Copper");
    assert_eq!(collection.value().attr("data-g"), hard.value().attr("data-g"));
    let zinc = site.page("soft/zinc/index.html");
    // Graph pages load the script that draws the ring; Gold has nothing to draw.
    let scripts = |html: &scraper::Html| -> Vec<String> {
        select(html, "script[src]").iter().map(|s| s.value().attr("src").unwrap().to_string()).collect()
    };
    assert!(scripts(&zinc).iter().any(|s| s.ends_with("graph.js")), "{:?}", scripts(&zinc));
    let gold = site.page("hard/gold/index.html");
    assert!(!scripts(&gold).iter().any(|s| s.ends_with("graph.js")), "{:?}", scripts(&gold));
    let (problems, _) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn the_site_graph_has_one_linked_node_per_note_and_is_the_same_every_build() {
    let site = metals();
    site.build();
    let graph = site.page("graph/index.html");
    let targets: Vec<String> = select(&graph, "svg.graph a.node")
        .iter()
        .map(|a| resolve_url("/graph/", a.value().attr("href").unwrap()).0)
        .collect();
    // Every note but the home page, collection pages included, once each.
    let expected: BTreeSet<String> =
        ["/soft/", "/hard/", "/soft/tin/", "/soft/lead/", "/soft/zinc/", "/hard/copper/", "/hard/gold/"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    assert_eq!(targets.len(), expected.len(), "{targets:?}");
    assert_eq!(targets.iter().cloned().collect::<BTreeSet<_>>(), expected);
    for a in select(&graph, "svg.graph a.node") {
        assert!(!text(&a.select(&scraper::Selector::parse("title").unwrap()).next().unwrap()).is_empty());
        assert!(!text(&a).is_empty(), "an unlabelled node at the flagship size");
    }
    // Links of the graph: Tin–Lead, Tin–Zinc, Lead–Zinc, Copper–Tin.
    let moves: usize = select(&graph, "svg.graph .edges path")
        .iter()
        .map(|p| p.value().attr("d").unwrap().matches('M').count())
        .sum();
    assert_eq!(moves, 4);
    let legend: Vec<String> = select(&graph, ".graph-legend li").iter().map(text).collect();
    assert_eq!(legend, ["Hard metals", "Soft metals"]);
    // The nav links to it from every page.
    let home = site.page("index.html");
    assert!(common::hrefs(&home, ".site-nav a").contains(&"graph/".to_string()));

    let first = std::fs::read(site.output().join("graph/index.html")).unwrap();
    let tin_first = std::fs::read(site.output().join("soft/tin/index.html")).unwrap();
    site.build();
    assert_eq!(first, std::fs::read(site.output().join("graph/index.html")).unwrap());
    assert_eq!(tin_first, std::fs::read(site.output().join("soft/tin/index.html")).unwrap());
}

#[test]
fn a_site_above_the_limit_gets_the_graph_of_its_collections() {
    let site = metals();
    site.write("site.toml", "title = \"T\"\nbase_url = \"https://example.org/\"\n[graph]\nmax_notes = 3\n");
    site.build();
    let graph = site.page("graph/index.html");
    let fallback = select(&graph, ".graph-fallback");
    assert_eq!(fallback.len(), 1);
    assert!(text(&fallback[0]).contains("more than 3 notes"), "{}", text(&fallback[0]));
    let targets: BTreeSet<String> = node_targets(&graph, "svg.graph a.node", "/graph/");
    let expected: BTreeSet<String> = ["/soft/", "/hard/"].iter().map(|s| s.to_string()).collect();
    assert_eq!(targets, expected);
    // Soft and hard metals are linked (Copper → Tin): one edge.
    let moves: usize = select(&graph, "svg.graph .edges path")
        .iter()
        .map(|p| p.value().attr("d").unwrap().matches('M').count())
        .sum();
    assert_eq!(moves, 1);
}

/// `_lode/revise.json`, with each question's and card's note fields
/// (`note`, `url`, `collection`, `tags`) copied in from `notes[n]`, as revise.js does.
fn revision_data(site: &TestSite) -> Value {
    let text = std::fs::read_to_string(site.output().join("_lode/revise.json")).unwrap();
    let mut data: Value = serde_json::from_str(&text).unwrap();
    let notes = data["notes"].as_array().unwrap().clone();
    for list in ["questions", "cards"] {
        for item in data[list].as_array_mut().unwrap() {
            let note = notes[item["n"].as_u64().unwrap() as usize].as_object().unwrap().clone();
            item.as_object_mut().unwrap().extend(note);
        }
    }
    data
}

#[test]
fn the_revision_data_holds_every_question_with_its_note() {
    let site = metals();
    site.build();
    let data = revision_data(&site);
    let questions = data["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2);
    // Each note is described once: Tin (questions, cards) and Copper (a question).
    let described: Vec<&str> =
        data["notes"].as_array().unwrap().iter().map(|n| n["note"].as_str().unwrap()).collect();
    assert_eq!(described, ["Copper", "Tin"]);
    let tin = questions.iter().find(|q| q["note"] == "Tin").unwrap();
    assert_eq!(tin["url"], "../soft/tin/");
    assert_eq!(tin["collection"], "Soft metals");
    assert_eq!(tin["tags"], serde_json::json!(["alloy"]));
    assert_eq!(tin["answer"], "Copper");
    assert_eq!(tin["options"], serde_json::json!(["Copper", "Gold"]));
    assert_eq!(tin["id"], "soft/tin/#q1");
    // The explanation's link is relative to /revise/ and reaches Copper.
    let explanation = tin["explanation"].as_str().unwrap();
    let html = scraper::Html::parse_fragment(explanation);
    let href = common::hrefs(&html, "a");
    assert_eq!(href.len(), 1, "{explanation}");
    assert_eq!(resolve_url("/revise/", &href[0]).0, "/hard/copper/");
    let copper = questions.iter().find(|q| q["note"] == "Copper").unwrap();
    assert_eq!(copper["collection"], "Hard metals");
    assert_eq!(resolve_url("/revise/", copper["url"].as_str().unwrap()).0, "/hard/copper/");

    // Without JavaScript, /revise/ lists the notes with questions.
    let page = site.page("revise/index.html");
    let listed: BTreeSet<String> = select(&page, ".revise-nojs a")
        .iter()
        .map(|a| resolve_url("/revise/", a.value().attr("href").unwrap()).0)
        .collect();
    assert_eq!(listed, ["/hard/copper/", "/soft/tin/"].iter().map(|s| s.to_string()).collect());
    assert_eq!(select(&page, "noscript").len(), 1);
    // The page loads the data file, not an inlined copy.
    let src = select(&page, "#revise")[0].value().attr("data-src").unwrap().to_string();
    assert_eq!(resolve_url("/revise/", &src).0, "/_lode/revise.json");
    assert!(
        !std::fs::read_to_string(site.output().join("revise/index.html")).unwrap().contains("alloy with")
    );
}

#[test]
fn flashcards_come_from_declared_fields_not_every_extra_value_or_key_fact() {
    let site = metals();
    site.build();
    let data = revision_data(&site);
    let cards: Vec<(String, String, String)> = data["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["note"] == "Tin")
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap().to_string();
            (s("id"), s("front"), s("back"))
        })
        .collect();
    // Only the fields "Soft metals" declares: `uses` and the chart's
    // [[extra.table]] are no cards, and neither are the key-fact callouts.
    let expected = [
        ("soft/tin/#field-symbol", "Tin: Symbol", "Sn"),
        ("soft/tin/#field-melting_point", "Tin: Melting point", "232 °C"),
    ]
    .map(|(i, f, b)| (i.to_string(), f.to_string(), b.to_string()));
    assert_eq!(cards, expected.to_vec());

    // The callouts still render as key-fact boxes without their marker.
    let tin = site.page("soft/tin/index.html");
    let boxes = select(&tin, ".note-body .callout-key");
    assert_eq!(boxes.len(), 2);
    assert!(text(&boxes[0]).starts_with("Key fact Bronze"), "{}", text(&boxes[0]));
    assert!(!text(&boxes[0]).contains("[!key]") && !text(&boxes[1]).contains("[!KEY]"));
}

#[test]
fn a_note_at_a_permalink_lode_keeps_is_an_error() {
    for (file, url) in [
        ("content/graph.md", "/graph/"),
        ("content/revise/_index.md", "/revise/"),
        ("content/tags.md", "/tags/"),
    ] {
        let site = TestSite::new(&[(file, "# Mine\n\nText.\n")]);
        let problems = site.build_err();
        let d = problems
            .iter()
            .find(|d| d.message.contains(url))
            .unwrap_or_else(|| panic!("{}", list(&problems)));
        assert!(d.file.ends_with(file.trim_start_matches("content/")), "{}", list(&problems));
        assert!(d.message.contains("keeps for"), "{}", d.message);
        assert!(d.help.as_deref().unwrap_or("").contains("rename"), "{:?}", d.help);
    }
    // The search index lives under `_lode/`, which no slug reaches: the
    // name of its old folder (Pagefind's `pagefind/`) is a note's again.
    let site = TestSite::new(&[("content/pagefind.md", "# Pagefind\n\nText.\n")]);
    site.build();
    assert!(site.output().join("pagefind/index.html").is_file());
}

/// A collection's revision sheet never overwrites a note of the author's
/// at its URL: the note keeps `minerals/sheet/`, the sheet moves to
/// `minerals/sheet-2/`, and the collection page links it there.
#[test]
fn a_note_called_sheet_keeps_its_url_and_the_revision_sheet_moves_aside() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Minerals]] [[Sheet]]\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\nList.\n"),
        ("content/minerals/sheet.md", "+++\ntitle = \"Sheet\"\n+++\nA note named sheet, [[Minerals]].\n"),
    ]);
    site.build();
    let note = site.page("minerals/sheet/index.html");
    assert_eq!(text(&select(&note, "h1")[0]), "Sheet");
    let sheet = site.page("minerals/sheet-2/index.html");
    assert!(text(&select(&sheet, "h1")[0]).contains("Minerals"), "{}", text(&select(&sheet, "h1")[0]));
    let links: Vec<String> = select(&site.page("minerals/index.html"), ".sheet-link a")
        .iter()
        .map(|a| resolve_url("/minerals/", a.value().attr("href").unwrap()).0)
        .collect();
    assert_eq!(links, ["/minerals/sheet-2/"]);
    let (problems, _) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A collection with no notes yet offers nothing to print or save: no
/// revision sheet is written or linked, and no "Save for offline" control
/// is on its page (it said "0 notes · 0 questions and cards").
#[test]
fn an_empty_collection_has_no_sheet_and_no_offline_control() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Minerals]] [[Empty]]\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\nList.\n"),
        ("content/minerals/tin.md", "+++\ntitle = \"Tin\"\n+++\nSolder, [[Minerals]].\n"),
        ("content/empty/_index.md", "+++\ntitle = \"Empty\"\n+++\nNothing yet.\n"),
    ]);
    site.build();
    assert!(site.output().join("minerals/sheet/index.html").is_file());
    assert!(!site.output().join("empty/sheet").exists(), "an empty collection's sheet was written");
    let empty = site.page("empty/index.html");
    assert!(select(&empty, ".sheet-link").is_empty(), "the empty collection links a sheet");
    assert!(select(&empty, "main [data-offline]").is_empty(), "the empty collection offers saving");
    assert_eq!(select(&site.page("minerals/index.html"), "main [data-offline]").len(), 1);
    let sitemap = std::fs::read_to_string(site.output().join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("empty/sheet/"), "{sitemap}");
    let (problems, _) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
