//! ` ```query ` blocks (issue 20, item 6): run at build time over a typed
//! collection or a tag, as a table or a list; their mistakes reported at
//! file:line:col; their pages rendered again under `serve` when, and only
//! when, a note they read changes.

mod common;

use common::{TestSite, select, text};
use lode::build::Session;
use scraper::Html;

const INDEX: &str = "+++\ntitle = \"Minerals\"\n\n[schema]\nsymbol = { type = \"string\" }\nshare = { type = \"integer\" }\ngroup = { type = \"string\" }\nuses = { type = \"list\" }\n+++\n\nThe minerals.\n";

fn mineral(title: &str, symbol: &str, share: Option<i64>, group: &str, tags: &str) -> String {
    let share = share.map(|s| format!("share = {s}\n")).unwrap_or_default();
    format!(
        "+++\ntitle = \"{title}\"\ntags = [{tags}]\n\n[extra]\nsymbol = \"{symbol}\"\n{share}group = \"{group}\"\nuses = [\"batteries\", \"{symbol}-things\"]\n+++\n\n{title} is a mineral.\n"
    )
}

/// Four minerals, and a page of queries over them.
fn site(queries: &str) -> TestSite {
    TestSite::new(&[
        ("content/minerals/_index.md", INDEX),
        ("content/minerals/lithium.md", &mineral("Lithium", "Li", Some(58), "battery", "\"china\"")),
        ("content/minerals/silicon.md", &mineral("Silicon", "Si", Some(68), "electronics", "\"china\"")),
        ("content/minerals/cobalt.md", &mineral("Cobalt", "Co", Some(12), "battery", "")),
        ("content/minerals/copper.md", &mineral("Copper", "Cu", None, "base", "")),
        ("content/topics/_index.md", "+++\ntitle = \"Topics\"\n+++\n\nTopics.\n"),
        (
            "content/topics/shares.md",
            &format!("+++\ntitle = \"Shares\"\n+++\n\nIntro.\n\n{queries}\nAfter.\n"),
        ),
    ])
}

fn rows(page: &Html) -> Vec<Vec<String>> {
    select(page, ".query-table tbody tr")
        .iter()
        .map(|tr| {
            let cells = scraper::Selector::parse("th, td").unwrap();
            tr.select(&cells).map(|c| text(&c)).collect()
        })
        .collect()
}

/// Each `list` query's items on `page`, as text.
fn lists(page: &Html) -> Vec<Vec<String>> {
    let item = scraper::Selector::parse("li").unwrap();
    select(page, ".query-list").iter().map(|ul| ul.select(&item).map(|li| text(&li)).collect()).collect()
}

#[test]
fn a_table_shows_the_notes_that_match_in_order_with_links_and_headers() {
    let site = site(
        "```query\ntable symbol, share as \"China's share (%)\", uses\nfrom minerals\nwhere share >= 50 or group = \"base\"\nsort share desc\nlimit 10\n```\n",
    );
    site.build();
    let page = site.page("topics/shares/index.html");
    let headers: Vec<String> = select(&page, ".query-table thead th").iter().map(text).collect();
    assert_eq!(headers, ["Note", "Symbol", "China's share (%)", "Uses"]);
    assert_eq!(
        rows(&page),
        [
            vec!["Silicon", "Si", "68", "batteries, Si-things"],
            vec!["Lithium", "Li", "58", "batteries, Li-things"],
            vec!["Copper", "Cu", "–", "batteries, Cu-things"],
        ]
    );
    // The first column links each note, relative to the page, and the link leads there.
    let hrefs = common::hrefs(&page, ".query-table tbody th a");
    assert_eq!(hrefs, ["../../minerals/silicon/", "../../minerals/lithium/", "../../minerals/copper/"]);
    for href in &hrefs {
        let (path, _) = common::resolve_url("topics/shares/", href);
        assert!(common::file_for(&site.output(), &path).is_file(), "{href} leads nowhere");
    }
    // A scroll box a keyboard can reach, named for screen readers, and left out of search.
    let wrap = &select(&page, ".query-table")[0];
    assert_eq!(wrap.value().attr("role"), Some("region"));
    assert_eq!(wrap.value().attr("tabindex"), Some("0"));
    assert!(wrap.value().attr("aria-label").is_some());
    assert!(wrap.value().attr("data-pagefind-ignore").is_some());
    // The query's source is not shown, the text around it is.
    let body = text(&select(&page, ".note-body")[0]);
    assert!(!body.contains("from minerals") && body.contains("Intro.") && body.contains("After."), "{body}");
    // Numbers line up to the right.
    assert_eq!(select(&page, ".query-table td.num").len(), 2);
}

#[test]
fn a_list_from_a_tag_and_a_query_that_matches_nothing() {
    let site = site(
        "```query\nlist symbol\nfrom #china\nsort title\n```\n\n```query\nLIST\nFROM minerals\nWHERE share > 90\n```\n\n```query\nlist\nfrom minerals\nwhere uses contains \"Co-things\" and symbol != \"Li\"\n```\n",
    );
    site.build();
    let page = site.page("topics/shares/index.html");
    let lists = lists(&page);
    assert_eq!(lists, [vec!["Lithium: Li", "Silicon: Si"], vec!["Cobalt"]]);
    let empty: Vec<String> = select(&page, ".query-empty").iter().map(text).collect();
    assert_eq!(empty, ["No notes match this query."]);
    assert!(select(&page, ".query-table").is_empty());
}

/// A nested tag (`#metal/battery`) is queried by its whole name, and a
/// parent (`#metal`) holds the notes of every tag under it, as its tag page
/// lists them (a newcomer found `from #p/q` refused with "did you mean
/// `#p/q`?" and `from #p` empty).
#[test]
fn a_query_from_a_nested_tag_or_its_parent() {
    let site = TestSite::new(&[
        ("content/minerals/_index.md", INDEX),
        ("content/minerals/lithium.md", &mineral("Lithium", "Li", Some(58), "battery", "\"metal/battery\"")),
        (
            "content/minerals/cobalt.md",
            &mineral("Cobalt", "Co", Some(12), "battery", "\"metal/battery/blue\""),
        ),
        ("content/minerals/copper.md", &mineral("Copper", "Cu", None, "base", "\"metal\"")),
        ("content/minerals/silicon.md", &mineral("Silicon", "Si", Some(68), "electronics", "\"other\"")),
        (
            "content/topics/shares.md",
            "+++\ntitle = \"Shares\"\n+++\n\n```query\nlist\nfrom #metal/battery\nsort title\n```\n\n```query\nlist\nfrom #metal\nsort title\n```\n",
        ),
    ]);
    site.build();
    let page = site.page("topics/shares/index.html");
    let lists = lists(&page);
    assert_eq!(lists, [vec!["Cobalt", "Lithium"], vec!["Cobalt", "Copper", "Lithium"]]);
}

/// `tags` in a query is the note's tags as its tag pages count them: the
/// front matter's and the body's inline `#tags` (the field read only the
/// front matter's).
#[test]
fn the_tags_field_holds_inline_tags_too() {
    let site = TestSite::new(&[
        ("content/minerals/_index.md", INDEX),
        ("content/minerals/lithium.md", &mineral("Lithium", "Li", Some(58), "battery", "")),
        (
            "content/minerals/cobalt.md",
            &format!("{}\nMined in the Congo. #drc\n", mineral("Cobalt", "Co", Some(12), "battery", "")),
        ),
        (
            "content/topics/shares.md",
            "+++\ntitle = \"Shares\"\n+++\n\n```query\nlist\nfrom minerals\nwhere tags contains \"drc\"\n```\n",
        ),
    ]);
    site.build();
    assert_eq!(lists(&site.page("topics/shares/index.html")), [vec!["Cobalt"]]);
}

#[test]
fn dates_sort_and_compare_as_days() {
    let site = TestSite::new(&[
        ("content/log/_index.md", "+++\ntitle = \"Log\"\n+++\n\nLog.\n"),
        ("content/log/a.md", "+++\ntitle = \"A\"\ndate = 2024-09-01\n+++\n\nA.\n"),
        ("content/log/b.md", "+++\ntitle = \"B\"\ndate = 2025-02-13\n+++\n\nB.\n"),
        ("content/log/c.md", "+++\ntitle = \"C\"\ndate = 2020-01-01\n+++\n\nC.\n"),
        (
            "content/q.md",
            "+++\ntitle = \"Q\"\n+++\n\n```query\ntable date\nfrom log\nwhere date >= 2021-01-01\nsort date desc\n```\n",
        ),
    ]);
    site.build();
    assert_eq!(rows(&site.page("q/index.html")), [vec!["B", "2025-02-13"], vec!["A", "2024-09-01"]]);
}

/// `file:line:col: message`, and the help, of each query problem.
fn problems(site: &TestSite) -> Vec<(String, String)> {
    site.build_errors()
        .iter()
        .filter(|d| d.kind == Some(lode::diagnostics::Kind::Query))
        .map(|d| {
            (format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message), d.help.clone().unwrap_or_default())
        })
        .collect()
}

#[test]
fn unknown_names_and_wrong_types_are_errors_where_they_are_written() {
    // The block starts on line 7 of the file (front matter 3 lines, a blank,
    // "Intro.", a blank): its first line is line 8.
    let site = site(
        "```query\ntable symbl, share\nfrom minerals\nwhere share >= \"50\" and group = 3\nsort shar desc\n```\n\n```query\nlist\nfrom mineral\n```\n\n```query\nlist\nfrom #chna\n```\n\n```query\nlist\nfrom minerals\nwhere share ~ 3\n```\n",
    );
    let got = problems(&site);
    let want = [
        (
            "content/topics/shares.md:8:7: `symbl` is no field of the notes of `minerals`",
            "did you mean `symbol`?",
        ),
        (
            "content/topics/shares.md:11:6: `shar` is no field of the notes of `minerals`",
            "did you mean `share`?",
        ),
        (
            "content/topics/shares.md:10:13: `share` is a number, and this compares it with text",
            "write the number unquoted: >= 50",
        ),
        (
            "content/topics/shares.md:10:31: `group` is text, and this compares it with a number",
            "write the text in double quotes: = \"3\"",
        ),
        ("content/topics/shares.md:16:6: no collection is called `mineral`", "did you mean `minerals`?"),
        ("content/topics/shares.md:21:6: no note is tagged `#chna`", "did you mean `#china`?"),
        (
            "content/topics/shares.md:27:13: `~` is not a query operator",
            "the operators are = != < <= > >= contains",
        ),
    ];
    for (message, help) in want {
        assert!(
            got.iter().any(|(m, h)| m == message && h == help),
            "missing {message} / {help} in:\n{got:#?}"
        );
    }
    assert_eq!(got.len(), want.len(), "{got:#?}");
}

#[test]
fn an_unknown_clause_is_an_error_with_the_clause_it_resembles() {
    let site = site("- in a list:\n\n  ```query\n  tabel symbol\n  from minerals\n  ```\n");
    let got = problems(&site);
    assert_eq!(got.len(), 1, "{got:#?}");
    // Inside a list item the block is indented: the column counts the indent.
    assert_eq!(got[0].0, "content/topics/shares.md:10:3: `tabel` is not a query clause");
    assert!(got[0].1.starts_with("did you mean `table`?"), "{}", got[0].1);
}

#[test]
fn editing_a_queried_field_renders_the_query_page_again_and_an_unread_edit_does_not() {
    let site = site("```query\ntable share\nfrom minerals\nwhere share > 50\nsort share desc\n```\n");
    let mut session = Session::new(site.options());
    session.rebuild(&[]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    let page = |session: &Session| {
        let file = &session.files()["topics/shares/index.html"];
        Html::parse_document(std::str::from_utf8(&file.contents().unwrap()).unwrap())
    };
    assert_eq!(rows(&page(&session)), [vec!["Silicon", "68"], vec!["Lithium", "58"]]);

    // Cobalt's share rises past 50: the page shows it.
    let cobalt = site.root().join("content/minerals/cobalt.md");
    site.write("content/minerals/cobalt.md", &mineral("Cobalt", "Co", Some(75), "battery", ""));
    let update =
        session.rebuild(std::slice::from_ref(&cobalt)).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert!(update.changed.iter().any(|p| p == "topics/shares/index.html"), "{:?}", update.changed);
    assert_eq!(rows(&page(&session)), [vec!["Cobalt", "75"], vec!["Silicon", "68"], vec!["Lithium", "58"]]);

    // Only Cobalt's text changes, which the query does not read: its own
    // page is made again, the query's page is not.
    let text =
        mineral("Cobalt", "Co", Some(75), "battery", "").replace("is a mineral.", "is a mineral, blue.");
    site.write("content/minerals/cobalt.md", &text);
    let update =
        session.rebuild(std::slice::from_ref(&cobalt)).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert!(!update.full);
    assert_eq!(update.rendered_paths, ["minerals/cobalt/index.html"], "changed: {:?}", update.changed);
    assert!(update.changed.iter().any(|p| p == "minerals/cobalt/index.html"), "{:?}", update.changed);
}
