//! Nested tags (`#a/b/c`) and inline `#tags` in a body, as Obsidian reads
//! them: the tag pages form a tree (`/tags/a/b/` under `/tags/a/`), a parent
//! lists the notes of every tag under it with a count per child tag,
//! breadcrumbs lead up, and `/tags/` shows the tree as nested lists.

mod common;

use common::{TestSite, check_all_links, file_for, resolve_url, select, text};
use scraper::{ElementRef, Html, Selector};

/// Front matter (TOML and YAML) and inline tags, nested, in two scripts,
/// with the places where Obsidian reads no tag or ends one.
fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Lithium]], [[Cobalt]], [[Overview]] and [[Hindi]].\n"),
        ("content/hindi.md", "# Hindi\n\nहिंदी में #अर्थशास्त्र/खनिज पढ़ें। See [[Home]].\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        (
            "content/minerals/cobalt.md",
            "---\ntitle: Cobalt\ntags: [GS3/Economy]\n---\nMined in the DRC, see [[Lithium]]. #gs3/economy/minerals。\n",
        ),
        (
            "content/minerals/lithium.md",
            "+++\ntitle = \"Lithium\"\ntags = [\"gs3/economy/minerals\", \"battery\"]\n+++\n\
             Lithium #tag를 읽다, see [[Cobalt]]. Not tags: #1984, `#code`, http://x.org/#frag, a#b, \\#escaped, &#123;.\n\n\
             ```\n#block\n```\n",
        ),
        ("content/overview.md", "# Overview\n\n#gs3 is the paper. #Battery too. See [[Lithium]].\n"),
    ])
}

/// The text of the first `css` element under `el`.
fn first(el: &ElementRef, css: &str) -> String {
    let sel = Selector::parse(css).unwrap();
    el.select(&sel).next().map(|e| text(&e)).unwrap_or_default()
}

/// The URL path a link on the page at `dir` leads to, checked to be a built file.
fn target(site: &TestSite, dir: &str, a: &ElementRef) -> String {
    let href = a.value().attr("href").expect("href");
    let (path, _) = resolve_url(dir, href);
    assert!(file_for(&site.output(), &path).is_file(), "{href} on {dir} → {path} is not built");
    path
}

/// Each `(text, URL path)` of the links under `css`.
fn links(site: &TestSite, page: &Html, dir: &str, css: &str) -> Vec<(String, String)> {
    select(page, css).iter().map(|a| (text(a), target(site, dir, a))).collect()
}

fn titles(page: &Html) -> Vec<String> {
    select(page, ".cards .card > a").iter().map(text).collect()
}

#[test]
fn a_parent_tag_lists_its_childrens_notes_with_counts_and_breadcrumbs_lead_up() {
    let site = site();
    site.build();

    let gs3 = site.page("tags/gs3/index.html");
    assert_eq!(first(&gs3.root_element(), "h1"), "#GS3", "named as first written");
    assert_eq!(titles(&gs3), ["Cobalt", "Lithium", "Overview"], "its own note and those under it, once each");
    assert_eq!(first(&gs3.root_element(), ".summary"), "3 notes tagged GS3 or a tag under it.");
    assert_eq!(
        links(&site, &gs3, "/tags/gs3/", ".tag-children li a"),
        [("#GS3/Economy".to_string(), "/tags/gs3/economy/".to_string())]
    );
    let counts: Vec<String> = select(&gs3, ".tag-children li .count").iter().map(text).collect();
    assert_eq!(counts, ["2"]);

    let economy = site.page("tags/gs3/economy/index.html");
    assert_eq!(titles(&economy), ["Cobalt", "Lithium"]);
    assert_eq!(
        links(&site, &economy, "/tags/gs3/economy/", ".tag-children li a"),
        [("#gs3/economy/minerals".to_string(), "/tags/gs3/economy/minerals/".to_string())]
    );

    let minerals = site.page("tags/gs3/economy/minerals/index.html");
    assert_eq!(titles(&minerals), ["Cobalt", "Lithium"], "front matter and inline alike");
    assert!(select(&minerals, ".tag-children").is_empty(), "no tag under it");
    assert_eq!(first(&minerals.root_element(), ".summary"), "2 notes tagged gs3/economy/minerals.");
    let crumbs =
        links(&site, &minerals, "/tags/gs3/economy/minerals/", "nav.breadcrumbs[aria-label] ol > li > a");
    let expected = [
        ("Home", "/"),
        ("Tags", "/tags/"),
        ("#GS3", "/tags/gs3/"),
        ("#GS3/Economy", "/tags/gs3/economy/"),
        ("#gs3/economy/minerals", "/tags/gs3/economy/minerals/"),
    ];
    assert_eq!(crumbs, expected.map(|(t, u)| (t.to_string(), u.to_string())));
    let current: Vec<String> =
        select(&minerals, "nav.breadcrumbs [aria-current=page]").iter().map(text).collect();
    assert_eq!(current, ["#gs3/economy/minerals"]);

    let (problems, checked) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 100);
}

/// One `/tags/` tree level: each item's label, count and the level under it.
#[derive(Debug, PartialEq)]
struct Node(String, String, Vec<Node>);

fn tree(site: &TestSite, list: ElementRef) -> Vec<Node> {
    list.children()
        .filter_map(ElementRef::wrap)
        .filter(|li| li.value().name() == "li")
        .map(|li| {
            let a =
                li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "a").expect("a link");
            target(site, "/tags/", &a);
            let count = li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "span");
            let under = li.children().filter_map(ElementRef::wrap).find(|e| e.value().name() == "ul");
            Node(
                text(&a),
                count.map(|c| text(&c)).unwrap_or_default(),
                under.map_or(Vec::new(), |u| tree(site, u)),
            )
        })
        .collect()
}

#[test]
fn the_tag_index_is_the_tree_as_nested_lists_with_counts() {
    let site = site();
    site.build();
    let index = site.page("tags/index.html");
    let root = select(&index, "ul.tag-tree")[0];
    let got = tree(&site, root);
    let n = |label: &str, count: &str, under: Vec<Node>| Node(label.into(), count.into(), under);
    let names: Vec<&str> = got.iter().map(|n| n.0.as_str()).collect();
    // Hindi's slugs are transliterated, so they sort among the Latin ones.
    assert!(names.contains(&"#अर्थशास्त्र") && names.contains(&"#tag를"), "{names:?}");
    let find = |label: &str| got.iter().find(|n| n.0 == label).unwrap_or_else(|| panic!("{label}: {got:?}"));
    assert_eq!(find("#GS3"), &n("#GS3", "3", vec![n("#Economy", "2", vec![n("#minerals", "2", vec![])])]));
    assert_eq!(find("#battery"), &n("#battery", "2", vec![]), "`#Battery` is `battery`, as first written");
    assert_eq!(find("#अर्थशास्त्र"), &n("#अर्थशास्त्र", "1", vec![n("#खनिज", "1", vec![])]));
    assert_eq!(find("#tag를"), &n("#tag를", "1", vec![]), "Hangul continues the tag");
    assert_eq!(
        got.len(),
        4,
        "no tag from digits, code, URLs, `a#b`, escapes, entities or code blocks: {got:?}"
    );
}

#[test]
fn nested_tag_pages_are_in_the_sitemap_and_on_the_notes_cards() {
    let site = site();
    site.build();
    let xml = std::fs::read_to_string(site.output().join("sitemap.xml")).unwrap();
    for url in ["tags/gs3/", "tags/gs3/economy/", "tags/gs3/economy/minerals/"] {
        assert!(xml.contains(&format!("<loc>https://example.org/{url}</loc>")), "{url} missing:\n{xml}");
    }
    let cobalt = site.page("minerals/cobalt/index.html");
    let tags = links(&site, &cobalt, "/minerals/cobalt/", "ul.tags a");
    assert_eq!(
        tags,
        [
            ("#GS3/Economy".to_string(), "/tags/gs3/economy/".to_string()),
            ("#gs3/economy/minerals".to_string(), "/tags/gs3/economy/minerals/".to_string()),
        ]
    );
}

/// The files of a fresh build of `site`, as `common::snapshot` reads them.
fn fresh(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    common::snapshot(&session)
}

#[test]
fn a_parent_tags_page_is_made_again_when_a_tag_under_it_changes() {
    let site = site();
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    let page = |session: &lode::build::Session, path: &str| {
        let files = common::snapshot(session);
        let (_, bytes) = files.into_iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path}"));
        String::from_utf8(bytes).unwrap()
    };
    let mut edit = |rel: &str, text: &str| {
        site.write(rel, text);
        session.rebuild(&[site.root().join(rel)]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
        let (got, want) = (common::snapshot(&session), fresh(&site));
        let differing: Vec<&String> =
            got.iter().zip(&want).filter(|((_, a), (_, b))| a != b).map(|((p, _), _)| p).collect();
        assert_eq!(got.len(), want.len(), "after editing {rel}");
        assert!(differing.is_empty(), "after editing {rel}: {differing:?} differ from a fresh build");
    };
    // A note gains the deepest tag: its parent `gs3/economy` lists it too
    // (no tag came or went, no tag's own notes but the deepest one's changed).
    edit(
        "content/overview.md",
        "# Overview\n\n#gs3 is the paper. #Battery too. #gs3/economy/minerals See [[Lithium]].\n",
    );
    // A parent's spelling changes (a note earlier in path order writes it
    // first): the breadcrumbs of the tags under it follow.
    edit("content/hindi.md", "# Hindi\n\nहिंदी में #अर्थशास्त्र/खनिज पढ़ें। #Gs3 See [[Home]].\n");
    let economy = page(&session, "tags/gs3/economy/index.html");
    assert!(economy.contains(">Overview</a>"), "{economy}");
    assert!(page(&session, "tags/gs3/economy/minerals/index.html").contains(">#Gs3</a>"));
}

/// Inline tags are links to their tag pages, as Obsidian's reading view and
/// Quartz show them; code, maths, a link's text and a heading's id are left alone.
#[test]
fn inline_tags_link_to_their_tag_pages_and_code_is_untouched() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Rare earths]].\n"),
        (
            "content/minerals/rare-earths.md",
            "+++\ntitle = \"Rare earths\"\ntags = [\"mining\"]\n+++\n\n## Prices #Markets\n\n\
             Exports fell. #gs3/economy and #tag。 Then `#incode` and $#x$ and [#linked](https://x.org).\n\n\
             ```\n#block\n```\n\n> #quoted at the start\n\nSee [[Home]].\n",
        ),
    ]);
    site.build();
    let page = site.page("minerals/rare-earths/index.html");
    let dir = "/minerals/rare-earths/";
    let tags = links(&site, &page, dir, ".note-body a.tag-link");
    let want = [
        ("#Markets", "/tags/markets/"),
        ("#gs3/economy", "/tags/gs3/economy/"),
        ("#tag", "/tags/tag/"),
        ("#quoted", "/tags/quoted/"),
    ];
    assert_eq!(tags, want.map(|(t, u)| (t.to_string(), u.to_string())));
    let hrefs: Vec<&str> =
        select(&page, ".note-body a.tag-link").iter().filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(hrefs[1], "../../tags/gs3/economy/", "relative to the page");
    // The `。` stays outside the link, as text.
    let paragraph = select(&page, ".note-body p")
        .into_iter()
        .find(|p| text(p).starts_with("Exports"))
        .expect("the paragraph");
    assert!(paragraph.html().contains("tags/tag/\">#tag</a>。 Then"), "{}", paragraph.html());
    // Code spans and blocks, maths and a link's text are untouched.
    let code: Vec<String> = select(&page, ".note-body code").iter().map(text).collect();
    assert!(code.iter().any(|c| c == "#incode"), "{code:?}");
    assert!(code.iter().any(|c| c.contains("#block")), "{code:?}");
    assert!(select(&page, ".note-body code a, .note-body pre a, .note-body math a").is_empty());
    let linked: Vec<String> = select(&page, ".note-body a[href='https://x.org']").iter().map(text).collect();
    assert_eq!(linked, ["#linked"]);
    // The heading keeps its id (from its text) and links its tag.
    let heading = select(&page, ".note-body h2")[0];
    assert_eq!(heading.value().attr("id"), Some("prices-markets"), "{}", heading.html());
    // Every link of the site resolves, the tag pages included.
    let (problems, _) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:#?}");
    // The tag page lists the note.
    assert_eq!(titles(&site.page("tags/gs3/economy/index.html")), ["Rare earths"]);
}

/// A callout whose title starts with a `#tag` (`> [!note] #acids Strong
/// acids`): Obsidian reads the title as inline Markdown, so the tag is a tag
/// there (shown as one, and counted: the note is on its page). Lode shows it
/// as the body's tags, a link to the tag's page, and the rest of the title
/// as written.
#[test]
fn a_tag_in_a_callout_title_is_a_link_to_its_page() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Acids]].\n"),
        (
            "content/acids.md",
            "# Acids\n\n> [!note] #chem/acids Strong acids\n> They ionise fully. Back to [[Home]].\n",
        ),
    ]);
    site.build();
    let page = site.page("acids/index.html");
    let title = select(&page, ".callout .callout-title");
    assert_eq!(title.len(), 1);
    let shown = text(&title[0]);
    assert!(shown.ends_with("#chem/acids Strong acids"), "{shown}");
    let tags = links(&site, &page, "/acids/", ".callout-title a.tag-link");
    assert_eq!(tags, [("#chem/acids".to_string(), "/tags/chem/acids/".to_string())]);
    let tag_page = site.page("tags/chem/acids/index.html");
    assert!(select(&tag_page, "a").iter().any(|a| text(a) == "Acids"), "the note is on its tag's page");
}
