//! Reading aids in the built HTML: related notes and why, reading time, the
//! last-updated date, heading anchors, and the link-preview shards.

mod common;

use std::collections::BTreeMap;

use common::{TestSite, select, text};
use lode::render::reading::{FANOUT_CAP, NOTES_PER_SHARD, PREVIEW_TEXT_MAX, shard_of};
use serde_json::Value;

fn note(title: &str, tags: &[&str], body: &str) -> String {
    let tags: Vec<String> = tags.iter().map(|t| format!("\"{t}\"")).collect();
    format!("+++\ntitle = \"{title}\"\ntags = [{}]\n+++\n{body}\n", tags.join(", "))
}

/// (title, reason) of each related note listed on a page.
fn related(site: &TestSite, page: &str) -> Vec<(String, String)> {
    let html = site.page(page);
    select(&html, ".related li")
        .iter()
        .map(|li| {
            let a = select_in(li, "a");
            let reason = select_in(li, "span");
            (a, reason.trim_matches(['(', ')']).to_string())
        })
        .collect()
}

fn select_in(el: &scraper::ElementRef, css: &str) -> String {
    let sel = scraper::Selector::parse(css).unwrap();
    el.select(&sel).next().map(|e| text(&e)).unwrap_or_default()
}

#[test]
fn related_notes_share_links_or_tags_and_are_not_already_linked() {
    let site = TestSite::new(&[
        ("content/hub.md", &note("Hub", &[], "The hub.")),
        ("content/other-hub.md", &note("Other hub", &[], "Another hub.")),
        ("content/a.md", &note("Alpha", &["metal"], "Links to [[Hub]], [[Other hub]] and [[Delta]].")),
        // Shares both hubs: first.
        ("content/b.md", &note("Bravo", &[], "Also [[Hub]] and [[Other hub]].")),
        // Shares a tag only.
        ("content/c.md", &note("Charlie", &["metal"], "Nothing linked.")),
        // Shares the hub but Alpha links to it: left out.
        ("content/d.md", &note("Delta", &[], "Links [[Hub]].")),
        // Shares the hub but links to Alpha: left out.
        ("content/e.md", &note("Echo", &["metal"], "Links [[Hub]] and [[Alpha]].")),
        // Shares one hub: after Bravo, before Charlie by title.
        ("content/f.md", &note("Foxtrot", &[], "Links [[Other hub]].")),
    ]);
    site.build();
    assert_eq!(
        related(&site, "a/index.html"),
        vec![
            ("Bravo".to_string(), "also links to Hub and Other hub".to_string()),
            ("Charlie".to_string(), "shares #metal".to_string()),
            ("Foxtrot".to_string(), "also links to Other hub".to_string()),
        ]
    );
    // Bravo is related to Alpha the other way round, for the same reason.
    let bravo = related(&site, "b/index.html");
    assert!(bravo.contains(&("Alpha".into(), "also links to Hub and Other hub".into())), "{bravo:?}");
    // Hub links to nothing and carries no tag: no list at all.
    assert!(select(&site.page("hub/index.html"), ".related").is_empty());
}

#[test]
fn at_most_five_related_notes_ranked_by_shared_count_then_title() {
    let mut files: Vec<(String, String)> = vec![
        ("content/x.md".into(), note("X", &[], "")),
        ("content/y.md".into(), note("Y", &[], "")),
        ("content/main.md".into(), note("Main", &[], "[[X]] [[Y]]")),
        // Shares X and Y: ranked first despite its title.
        ("content/zulu.md".into(), note("Zulu", &[], "[[X]] [[Y]]")),
    ];
    for name in ["Golf", "Bravo", "Hotel", "Alpha", "Echo", "Delta"] {
        files.push((format!("content/{}.md", name.to_lowercase()), note(name, &[], "[[X]]")));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = TestSite::new(&refs);
    site.build();
    let titles: Vec<String> = related(&site, "main/index.html").into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles, ["Zulu", "Alpha", "Bravo", "Delta", "Echo"]);
}

#[test]
fn targets_and_tags_shared_by_more_notes_than_the_cap_relate_nothing() {
    // FANOUT_CAP + 1 notes all link to Common and carry #common: neither counts.
    // Two of them also share Rare, which does.
    let mut files: Vec<(String, String)> = vec![("content/common.md".into(), note("Common", &[], ""))];
    files.push(("content/rare.md".into(), note("Rare", &[], "")));
    for i in 0..=FANOUT_CAP {
        let extra = if i < 2 { " [[Rare]]" } else { "" };
        files.push((
            format!("content/n/n{i}.md"),
            note(&format!("N{i}"), &["common"], &format!("[[Common]]{extra}")),
        ));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = TestSite::new(&refs);
    site.build();
    assert_eq!(related(&site, "n/n0/index.html"), vec![("N1".to_string(), "also links to Rare".to_string())]);
    assert!(select(&site.page("n/n5/index.html"), ".related").is_empty());

    // At the cap exactly, the shared target and tag count again.
    let below = TestSite::new(&[
        ("content/common.md", &note("Common", &[], "")),
        ("content/p.md", &note("P", &["common"], "[[Common]]")),
        ("content/q.md", &note("Q", &["common"], "[[Common]]")),
    ]);
    below.build();
    assert_eq!(
        related(&below, "p/index.html"),
        vec![("Q".into(), "also links to Common; shares #common".into())]
    );
}

#[test]
fn notes_show_reading_time_and_last_update() {
    let words = "word ".repeat(700); // 3.5 minutes at 200 words a minute: 4
    let site = TestSite::new(&[
        (
            "content/long.md",
            &format!("+++\ntitle = \"Long\"\ndate = 2025-01-05\nupdated = 2025-03-01\n+++\n{words}\n"),
        ),
        ("content/short.md", "+++\ntitle = \"Short\"\ndate = 2025-01-05\n+++\nA few words.\n"),
        ("content/undated.md", "+++\ntitle = \"Undated\"\n+++\nA few words, see [[Long]] and [[Short]].\n"),
    ]);
    site.build();
    let meta = |page: &str| text(&select(&site.page(page), ".note-meta")[0]);
    let time = |page: &str| {
        select(&site.page(page), ".note-meta time")
            .first()
            .and_then(|t| t.value().attr("datetime").map(str::to_string))
    };
    assert_eq!(meta("long/index.html"), "4 min read · Last updated 2025-03-01");
    assert_eq!(time("long/index.html").as_deref(), Some("2025-03-01"));
    assert_eq!(meta("short/index.html"), "1 min read · Last updated 2025-01-05");
    assert_eq!(meta("undated/index.html"), "1 min read");
    assert_eq!(time("undated/index.html"), None);
}

#[test]
fn every_heading_has_a_named_anchor_link_to_itself() {
    let site = TestSite::new(&[(
        "content/n.md",
        "+++\ntitle = \"N\"\n+++\nIntro.\n\n## Supply & demand\n\nText.\n\n### Refining\n\nMore.\n\n## Supply & demand\n\nAgain.\n",
    )]);
    site.build();
    let page = site.page("n/index.html");
    let headings = select(&page, ".note-body :is(h2, h3)");
    assert_eq!(headings.len(), 3);
    let mut ids = Vec::new();
    for h in headings {
        let id = h.value().attr("id").expect("heading id").to_string();
        let anchors = h.select(&scraper::Selector::parse("a.heading-anchor").unwrap()).collect::<Vec<_>>();
        assert_eq!(anchors.len(), 1, "one anchor in {id}");
        assert_eq!(anchors[0].value().attr("href"), Some(format!("#{id}").as_str()));
        let label = anchors[0].value().attr("aria-label").unwrap();
        let heading_text = text(&h);
        assert!(
            heading_text.starts_with(label.trim_start_matches("Link to section: ")),
            "{label} / {heading_text}"
        );
        ids.push(id);
    }
    assert_eq!(ids, ["supply-demand", "refining", "supply-demand-1"]);
}

/// Every preview shard of a built site, by file name, parsed.
fn shards(site: &TestSite) -> BTreeMap<String, Value> {
    let dir = site.output().join("_lode/previews");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            let path = e.unwrap().path();
            let json = std::fs::read_to_string(&path).unwrap();
            let value: Value =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect()
}

#[test]
fn previews_hold_title_collection_summary_facts_and_sections() {
    let lithium = format!(
        "+++\ntitle = \"Lithium\"\nsummary = \"A battery mineral.\"\n\n[extra]\nsymbol = \"Li\"\n\
         atomic_number = 3\nindia_list = true\nsectors = [\"Energy\", \"Defence\"]\n\
         shares = [{{ label = \"China\", value = 58 }}]\n+++\n\
         Intro.\n\n## Processing\n\nChina refines 58% of it, see [[China]].\n\nSecond paragraph.\n\n\
         ## Long one\n\n{}\n",
        "Refining ".repeat(100)
    );
    let site = TestSite::new(&[
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        ("content/minerals/lithium.md", &lithium),
        ("content/china.md", "# China\n\nThe largest miner, see [[Lithium#Processing]].\n"),
        // Only a linked section's excerpt is kept (see below).
        ("content/refiners.md", "# Refiners\n\nSee [[Lithium#Long one]].\n"),
    ]);
    site.build();
    let all = shards(&site);
    assert_eq!(all.keys().collect::<Vec<_>>(), ["0.json"], "4 notes fit one shard");
    let shard = &all["0.json"];
    let lithium = &shard["minerals/lithium/"];
    assert_eq!(lithium["title"], "Lithium");
    assert_eq!(lithium["collection"], "Minerals");
    assert_eq!(lithium["summary"], "A battery mineral.");
    assert_eq!(
        lithium["facts"],
        serde_json::json!([
            ["Symbol", "Li"],
            ["Atomic number", "3"],
            ["India list", "Yes"],
            ["Sectors", "Energy, Defence"]
        ])
    );
    assert_eq!(
        lithium["sections"]["processing"],
        serde_json::json!(["Processing", "China refines 58% of it, see China."])
    );
    let cut = lithium["sections"]["long-one"][1].as_str().unwrap();
    assert!(cut.ends_with('…') && cut.chars().count() <= PREVIEW_TEXT_MAX, "{cut}");
    // Without a summary, the first paragraph (the title heading left out).
    assert_eq!(shard["china/"]["summary"], "The largest miner, see Lithium › Processing.");
    // A note without a collection, facts or linked sections: the parts left out.
    assert_eq!(shard["china/"].get("collection"), None);
    assert_eq!(shard["china/"].get("facts"), None);
    assert_eq!(shard["china/"].get("sections"), None);

    // The page tells preview.js, bundled in lode.js, how many shards there are.
    let page = site.page("china/index.html");
    let script = select(&page, "script[src$='lode.js']");
    assert_eq!(script[0].value().attr("data-shards"), Some("1"));
}

#[test]
fn a_preview_keeps_the_excerpts_of_linked_sections_only() {
    // A preview opens only from a link: a section's excerpt is kept when a
    // link points to its heading, by wikilink, Markdown link, from a
    // question's explanation or from the note itself; the others are not
    // written (bytes: they were most of the shards).
    let target = "+++\ntitle = \"Target\"\n+++\nLead words, see [[#Epsilon]].\n\n\
                  ## Alpha\n\nAlpha words.\n\n## Beta\n\nBeta words.\n\n## Gamma\n\nGamma words.\n\n\
                  ### Delta\n\nDelta words.\n\n## Epsilon\n\nEpsilon words.\n";
    let quiz = "+++\ntitle = \"Quiz\"\n\n[[questions]]\nquestion = \"Which?\"\n\
                options = [\"One\", \"Two\"]\nanswer = \"One\"\n\
                explanation = \"See [[Target#Delta]].\"\n+++\nA quiz.\n";
    let site = TestSite::new(&[
        ("content/target.md", target),
        ("content/x.md", "# X\n\nSee [[Target#Alpha]] and [[Target]].\n"),
        ("content/y.md", "# Y\n\nSee [the third](target.md#gamma).\n"),
        ("content/quiz.md", quiz),
    ]);
    site.build();
    let all = shards(&site);
    let preview = &all["0.json"]["target/"];
    assert_eq!(preview["summary"], "Lead words, see Epsilon.");
    let sections = preview["sections"].as_object().expect("linked sections");
    assert_eq!(sections.keys().collect::<Vec<_>>(), ["alpha", "delta", "epsilon", "gamma"]);
    assert_eq!(sections["alpha"], serde_json::json!(["Alpha", "Alpha words."]));
    assert_eq!(sections["gamma"], serde_json::json!(["Gamma", "Gamma words."]));
    assert_eq!(sections["delta"], serde_json::json!(["Delta", "Delta words."]));
    assert_eq!(sections["epsilon"], serde_json::json!(["Epsilon", "Epsilon words."]));
    // Beta: no link points to it, so no excerpt of it is written anywhere.
    let shard = std::fs::read_to_string(site.output().join("_lode/previews/0.json")).unwrap();
    assert!(!shard.contains("Beta words"), "{shard}");
    // The linking notes' own previews have no sections.
    assert_eq!(all["0.json"]["x/"].get("sections"), None);
}

#[test]
fn a_heading_link_added_under_serve_adds_that_sections_preview() {
    use lode::build::{OutputFile, Session};

    let site = TestSite::new(&[
        ("content/a.md", &note("Alpha", &[], "Intro.\n\n## Part\n\nPart words.\n\n## Other\n\nOther words.")),
        ("content/b.md", &note("Bravo", &[], "Links [[Alpha]].")),
        ("content/c.md", &note("Charlie", &[], "Nothing linked.")),
    ]);
    let mut session = Session::new(site.options());
    session.rebuild(&[]).unwrap();
    let sections = |session: &Session| -> Vec<String> {
        let OutputFile::Bytes(bytes) = &session.files()["_lode/previews/0.json"] else {
            panic!("the shard is not held in memory")
        };
        let shard: Value = serde_json::from_slice(bytes).unwrap();
        shard["a/"]
            .get("sections")
            .and_then(Value::as_object)
            .map(|s| s.iter().map(|(id, v)| format!("{id}: {}", v[1].as_str().unwrap())).collect())
            .unwrap_or_default()
    };
    // What a fresh build of the same files writes.
    let fresh = |site: &TestSite| {
        let mut fresh = Session::new(site.options());
        fresh.rebuild(&[]).unwrap();
        sections(&fresh)
    };
    assert_eq!(sections(&session), Vec::<String>::new());
    let steps: [(&str, &str, &[&str]); 4] = [
        // A note already linking Alpha links one of its headings too.
        ("content/b.md", "Links [[Alpha]] and [[Alpha#Part]].", &["part: Part words."]),
        // A note that did not link Alpha at all starts linking a heading.
        ("content/c.md", "See [the other part](a.md#other).", &["other: Other words.", "part: Part words."]),
        // A heading link removed, the note still linking Alpha.
        ("content/b.md", "Links [[Alpha]].", &["other: Other words."]),
        // The section's own text changes.
        (
            "content/a.md",
            "Intro.\n\n## Part\n\nPart words.\n\n## Other\n\nNew words.",
            &["other: New words."],
        ),
    ];
    for (path, body, want) in steps {
        let title = if path == "content/a.md" {
            "Alpha"
        } else if path == "content/b.md" {
            "Bravo"
        } else {
            "Charlie"
        };
        site.write(path, &note(title, &[], body));
        let update = session.rebuild(&[site.root().join(path)]).unwrap();
        assert!(!update.full, "{path}: a body edit is not a full rebuild");
        assert_eq!(sections(&session), want, "after {path}: {body}");
        assert_eq!(sections(&session), fresh(&site), "after {path}: as a fresh build");
    }
}

#[test]
fn preview_shards_grow_with_the_notes_about_one_per_32() {
    for n in [10usize, 100, 400] {
        let files: Vec<(String, String)> =
            (0..n).map(|i| (format!("content/n{i}.md"), format!("# Note {i}\n\nText {i}.\n"))).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let site = TestSite::new(&refs);
        site.build();
        let all = shards(&site);
        let expected = (n / NOTES_PER_SHARD).max(1);
        assert_eq!(all.len(), expected, "{n} notes");
        // Every note is in exactly one shard, the one its permalink hashes to.
        let mut seen = 0;
        for (file, shard) in &all {
            let k: usize = file.trim_end_matches(".json").parse().unwrap();
            for (permalink, preview) in shard.as_object().unwrap() {
                assert_eq!(shard_of(permalink, expected), k, "{permalink}");
                let i = permalink.trim_start_matches('n').trim_end_matches('/');
                assert_eq!(preview["title"], format!("Note {i}"));
                seen += 1;
            }
            // No shard is empty or holds far more than its share.
            let size = shard.as_object().unwrap().len();
            assert!(size > 0 && size <= 3 * n.div_ceil(expected), "{file}: {size} of {n}");
        }
        assert_eq!(seen, n);
        let page = site.page("n0/index.html");
        assert_eq!(
            select(&page, "script[data-shards]")[0].value().attr("data-shards"),
            Some(expected.to_string().as_str())
        );
    }
}

#[test]
fn a_rebuild_after_an_edit_refreshes_previews_and_other_notes_related_lists() {
    use lode::build::{OutputFile, Session};

    let site = TestSite::new(&[
        // Hub links Alpha's section, so that its preview holds the section.
        ("content/hub.md", &note("Hub", &[], "The hub, see [[Alpha#Part]].")),
        ("content/a.md", &note("Alpha", &[], "Intro.\n\n## Part\n\nFirst words.")),
        ("content/b.md", &note("Bravo", &[], "Links [[Hub]].")),
    ]);
    let mut session = Session::new(site.options());
    session.rebuild(&[]).unwrap();
    let file = |session: &Session, path: &str| match &session.files()[path] {
        OutputFile::Bytes(bytes) => String::from_utf8(bytes.to_vec()).unwrap(),
        other => panic!("{path} is not held in memory: {other:?}"),
    };
    assert!(!file(&session, "b/index.html").contains("class=\"related\""));

    // A body edit: Alpha now links to Hub too, and its section says something else.
    site.write("content/a.md", &note("Alpha", &[], "Intro, see [[Hub]].\n\n## Part\n\nSecond words."));
    let update = session.rebuild(&[site.root().join("content/a.md")]).unwrap();
    assert!(!update.full, "a body edit is not a full rebuild");
    let previews: Value = serde_json::from_str(&file(&session, "_lode/previews/0.json")).unwrap();
    assert_eq!(previews["a/"]["sections"]["part"][1], "Second words.");
    // Bravo's page was rendered again: Alpha is now related to it.
    let bravo = scraper::Html::parse_document(&file(&session, "b/index.html"));
    let reasons: Vec<String> = select(&bravo, ".related li").iter().map(text).collect();
    assert_eq!(reasons, ["Alpha (also links to Hub)"]);
}

/// A note with more backlinks than its page shows (three) links, under
/// "Show all N", to the whole list in a shared file (page weight), which
/// reads without JavaScript: a section per note, each backlink with its
/// sentence; one with three or fewer holds them all and has no link.
#[test]
fn many_backlinks_are_listed_whole_in_a_shared_file_the_page_links_to() {
    let mut files = vec![("content/hub.md".to_string(), note("Hub", &[], "The hub."))];
    for k in 1..=5 {
        files.push((
            format!("content/n{k}.md"),
            note(&format!("Note {k}"), &[], &format!("Number {k} cites [[Hub]] here.")),
        ));
    }
    files.push(("content/small.md".to_string(), note("Small", &[], "Small.")));
    files.push(("content/s1.md".to_string(), note("S1", &[], "See [[Small]].")));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = TestSite::new(&files);
    site.build();
    let hub = site.page("hub/index.html");
    assert_eq!(select(&hub, ".backlinks > ul > li").len(), 3);
    assert_eq!(text(&select(&hub, ".backlinks summary")[0]), "Show all 5");
    // The link says what the shard holds: all five, not "the other two" (a newcomer's finding).
    assert_eq!(text(&select(&hub, ".backlinks-more .backlinks-link a")[0]), "All 5 notes linking here");
    let link = select(&hub, ".backlinks-more .backlinks-link a")[0].value().attr("href").unwrap().to_string();
    let (shard, id) = common::resolve_url("/hub/", &link);
    assert!(shard.starts_with("/_lode/backlinks/"), "{shard}");
    let page = site.page(&format!("{}index.html", shard.trim_start_matches('/')));
    let section = format!("section#{}", id.unwrap());
    let items: Vec<String> = select(&page, &format!("{section} li")).iter().map(text).collect();
    assert_eq!(items.len(), 5, "{items:?}");
    for k in 1..=5 {
        assert!(items.contains(&format!("Note {k} Number {k} cites Hub here.")), "{items:?}");
    }
    // Its links are written from the site root, the shard's `<base>`.
    let root = common::base_dir(&page, &shard);
    assert_eq!(root, "/");
    let hrefs: Vec<String> = select(&page, &format!("{section} li > a"))
        .iter()
        .map(|a| common::resolve_url(&root, a.value().attr("href").unwrap()).0)
        .collect();
    assert!(hrefs.contains(&"/n1/".to_string()), "{hrefs:?}");
    let small = site.page("small/index.html");
    assert_eq!(select(&small, ".backlinks li").len(), 1);
    assert!(select(&small, ".backlinks-more").is_empty());
}

/// A note linked with more notes than its local graph shows (30) says how
/// many it shows of how many (a newcomer found eleven of 41 dropped without a
/// word); one within the cap says nothing of the kind.
#[test]
fn a_local_graph_over_its_cap_says_how_many_it_shows() {
    let links: String = (1..=35).map(|k| format!("See [[Note {k}]].\n\n")).collect();
    let mut files = vec![("content/hub.md".to_string(), note("Hub", &[], &links))];
    for k in 1..=35 {
        files.push((format!("content/n{k}.md"), note(&format!("Note {k}"), &[], "Text.")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let site = TestSite::new(&files);
    site.build();
    let hub = site.page("hub/index.html");
    assert_eq!(select(&hub, ".local-graph .graph-links a").len(), 30, "the cap");
    let said: Vec<String> = select(&hub, ".local-graph .graph-count").iter().map(text).collect();
    assert_eq!(
        said,
        [
            "The graph shows the 30 most linked of the 35 notes this one links with; the note and “Linked from” name them all."
        ]
    );
    assert!(select(&site.page("n1/index.html"), ".local-graph .graph-count").is_empty());
}

/// A page loads Lode's five small scripts as one, `lode.js`, after the
/// page's words (`strings.js`, which defines `window.lodeSay`): each of
/// them in order, the site's own `static/` copy where it has one (a site
/// that replaces `reading.js` gets its copy in the bundle too), and each is
/// also written alone for templates that load it by name. The scripts
/// written alone that speak (search, graph, revision), the site's own copies
/// too, carry `strings.js` in front, so they find `lodeSay` whatever else a
/// page loads.
#[test]
fn the_pages_load_one_bundle_of_the_sites_own_or_default_scripts() {
    let site = TestSite::new(&[
        ("content/a.md", "# A\n\nSee [[B]].\n"),
        ("content/b.md", "# B\n\nSee [[A]].\n"),
        ("static/reading.js", "/* the site's own reading.js */\n"),
        ("static/revise.js", "/* the site's own revise.js */\n"),
    ]);
    site.build();
    let out = site.output();
    let page = site.page("a/index.html");
    let scripts: Vec<String> =
        select(&page, "script[src]").iter().map(|s| s.value().attr("src").unwrap().to_string()).collect();
    assert_eq!(scripts, ["../search.js", "../lode.js", "../graph.js"], "{scripts:?}");
    let bundle = std::fs::read_to_string(out.join("lode.js")).unwrap();
    let parts: Vec<String> =
        ["strings.js", "reading.js", "preview.js", "study.js", "offline.js", "changes.js"]
            .iter()
            .map(|part| std::fs::read_to_string(out.join(part)).unwrap() + "\n")
            .collect();
    assert!(bundle == parts.concat(), "lode.js is not strings.js and the five scripts in order");
    assert!(
        parts[0].starts_with("// The page's words") && parts[0].contains("window.lodeSay ="),
        "{}",
        parts[0]
    );
    assert!(parts[1].starts_with("/* the site's own reading.js */"), "{}", &parts[1]);
    assert!(parts[2].contains("Link previews"), "Lode's preview.js");
    for alone in ["search.js", "graph.js", "revise.js"] {
        let text = std::fs::read_to_string(out.join(alone)).unwrap();
        assert!(text.starts_with(&parts[0]), "{alone} does not start with strings.js");
    }
    // A site's own copy too (base.html loads search.js before lode.js).
    let revise = std::fs::read_to_string(out.join("revise.js")).unwrap();
    assert!(revise.ends_with("\n/* the site's own revise.js */\n"), "{revise}");
}
