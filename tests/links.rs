//! Every link form resolves to the right page and heading; broken links are
//! located precisely; backlinks carry their sentence.

mod common;

use common::{TestSite, check_all_links, hrefs, list, select, text};
use lode::diagnostics::Severity;

const CHINA: &str = "+++\ntitle = \"China\"\n+++\nChina leads.\n\n## Processing\n\nIt processes 87% of rare earths.\n\n## Reserves\n\nLarge.\n";
const LITHIUM: &str =
    "+++\ntitle = \"Lithium\"\naliases = [\"Li\"]\n+++\nA light metal.\n\n## Uses\n\nBatteries.\n";

fn link_site() -> TestSite {
    TestSite::new(&[
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        ("content/minerals/lithium.md", LITHIUM),
        ("content/countries/china.md", CHINA),
        (
            "content/topics/links.md",
            "+++\ntitle = \"All link forms\"\n+++\n\
             Plain [[Lithium]] here. Piped [[Lithium|the light metal]]. Alias [[Li]].\n\n\
             Heading [[China#Processing]]. Local [[#Local heading]].\n\n\
             Relative [file link](../minerals/lithium.md) and [with anchor](../countries/china.md#reserves).\n\n\
             Path [[minerals/lithium]]. Folded [[LITHIUM]].\n\n\
             ## Local heading\n\ntext\n",
        ),
    ])
}

#[test]
fn every_link_form_resolves_to_the_right_page_and_heading() {
    let site = link_site();
    site.build();
    let page = site.page("topics/links/index.html");
    let links = hrefs(&page, ".note-body a:not(.heading-anchor)");
    assert_eq!(
        links,
        vec![
            "../../minerals/lithium/",
            "../../minerals/lithium/",
            "../../minerals/lithium/",
            "../../countries/china/#processing",
            "#local-heading",
            "../../minerals/lithium/",
            "../../countries/china/#reserves",
            "../../minerals/lithium/",
            "../../minerals/lithium/",
        ]
    );
    let texts: Vec<String> = select(&page, ".note-body a:not(.heading-anchor)").iter().map(text).collect();
    assert_eq!(texts[0], "Lithium");
    assert_eq!(texts[1], "the light metal");
    assert_eq!(texts[3], "China › Processing");
    assert_eq!(texts[4], "Local heading");
    let (problems, checked) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 20);
}

#[test]
fn backlinks_list_the_linking_notes_with_their_sentence() {
    let site = link_site();
    site.build();
    let china = site.page("countries/china/index.html");
    let items = select(&china, ".backlinks li");
    assert_eq!(items.len(), 1, "one linking note, listed once");
    assert_eq!(text(&select(&china, ".backlinks li a")[0]), "All link forms");
    assert_eq!(text(&select(&china, ".backlinks blockquote")[0]), "Heading China › Processing.");
    assert_eq!(hrefs(&china, ".backlinks li a"), vec!["../../topics/links/"]);
    let lithium = site.page("minerals/lithium/index.html");
    let context = text(&select(&lithium, ".backlinks blockquote")[0]);
    assert_eq!(context, "Plain Lithium here.");
}

fn located(site: &TestSite, needle: &str) -> (usize, usize, Severity, String) {
    let problems = site.build_err();
    let d = problems
        .iter()
        .find(|d| d.message.contains(needle))
        .unwrap_or_else(|| panic!("no diagnostic about {needle}:\n{}", list(&problems)));
    (d.line, d.column, d.severity, d.file.clone())
}

#[test]
fn an_unresolved_link_fails_with_file_line_and_column() {
    let site =
        TestSite::new(&[("content/a.md", "+++\ntitle = \"A\"\n+++\nFirst line.\nSee é [[Nowhere]] now.\n")]);
    assert_eq!(located(&site, "[[Nowhere]]"), (5, 7, Severity::Error, "content/a.md".into()));
    assert!(!site.output().exists(), "nothing written on a failed build");
}

#[test]
fn a_missing_heading_fails_with_its_position() {
    let site =
        TestSite::new(&[("content/china.md", CHINA), ("content/a.md", "# A\n\nSee [[China#Exports]].\n")]);
    let (line, column, _, file) = located(&site, "no heading \"Exports\"");
    assert_eq!((file.as_str(), line, column), ("content/a.md", 3, 5));
}

#[test]
fn an_ambiguous_link_names_both_candidates() {
    let site = TestSite::new(&[
        ("content/x/tin.md", "# Tin\n"),
        ("content/y/tin.md", "# Tin\n"),
        ("content/a.md", "# A\n\n[[Tin]]\n"),
    ]);
    let problems = site.build_err();
    let d = problems.iter().find(|d| d.message.contains("more than one")).expect("ambiguous");
    let help = d.help.as_deref().unwrap();
    assert!(help.contains("x/tin") && help.contains("y/tin"), "{help}");
    assert_eq!((d.line, d.column), (3, 1));
}

#[test]
fn warning_level_builds_and_marks_the_broken_link() {
    let site = TestSite::new(&[("content/a.md", "# A\n\nSee [[Nowhere]].\n")]);
    site.write("site.toml", "title = \"T\"\n[links]\nlevel = \"warning\"\n");
    let report = site.build();
    let broken: Vec<_> = report.warnings.iter().filter(|d| d.message.contains("matches no note")).collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].severity, Severity::Warning);
    assert_eq!((broken[0].line, broken[0].column), (3, 5));
    let page = site.page("a/index.html");
    assert_eq!(text(&select(&page, ".note-body .broken-link")[0]), "Nowhere");
    assert!(
        select(&page, ".note-body a[href]").iter().all(|a| a.value().attr("class") == Some("heading-anchor"))
    );
}

#[test]
fn the_same_folder_wins_when_two_folders_share_a_name() {
    let site = TestSite::new(&[
        ("content/minerals/tin.md", "# Tin (mineral)\n"),
        ("content/sectors/tin.md", "# Tin (sector)\n"),
        ("content/sectors/cans.md", "# Cans\n\nMade of [[tin]].\n"),
        ("content/minerals/ore.md", "# Ore\n\nMostly [[tin]].\n"),
    ]);
    site.build();
    assert_eq!(hrefs(&site.page("sectors/cans/index.html"), ".note-body p a"), vec!["../../sectors/tin/"]);
    assert_eq!(hrefs(&site.page("minerals/ore/index.html"), ".note-body p a"), vec!["../../minerals/tin/"]);
}

#[test]
fn the_nearest_common_folder_wins_over_a_distant_one() {
    let site = TestSite::new(&[
        ("content/asia/china/notes.md", "# Notes\n\nSee [[Trade]].\n"),
        ("content/asia/trade.md", "# Trade\n"),
        ("content/europe/trade.md", "# Trade\n"),
    ]);
    site.build();
    assert_eq!(
        hrefs(&site.page("asia/china/notes/index.html"), ".note-body p a"),
        vec!["../../../asia/trade/"]
    );
}

#[test]
fn brackets_in_code_math_and_comments_are_not_links() {
    let site = TestSite::new(&[(
        "content/a.md",
        "# A\n\nInline `[[Nowhere1]]` code.\n\n```\n[[Nowhere2]]\n```\n\nMath $[[x]]$ and\n\n$$\n[[y]]\n$$\n\n\
         Hidden %% [[Nowhere3]] secret-obsidian %% text.\n\n<!-- [[Nowhere4]] secret-html -->\n\n%%\nblock [[Nowhere5]]\n%%\n\nEnd.\n",
    )]);
    site.build();
    let raw = std::fs::read_to_string(site.output().join("a/index.html")).unwrap();
    assert!(raw.contains("[[Nowhere1]]") && raw.contains("[[Nowhere2]]"), "code is kept as written");
    assert!(
        !raw.contains("secret-obsidian") && !raw.contains("secret-html") && !raw.contains("Nowhere5"),
        "comments are not rendered"
    );
    assert!(select(&site.page("a/index.html"), ".note-body a:not(.heading-anchor)").is_empty());
}

#[test]
fn embeds_inline_the_note_or_section_and_cycles_become_links() {
    let site = TestSite::new(&[
        ("content/china.md", CHINA),
        ("content/host.md", "# Host\n\n![[China#Processing]]\n\n![[China#Processing]]\n"),
        ("content/self.md", "# Self\n\nBody of self.\n\n![[Self]]\n"),
        ("content/ping.md", "# Ping\n\nPing text.\n\n![[Pong]]\n"),
        ("content/pong.md", "# Pong\n\nPong text.\n\n![[Ping]]\n"),
    ]);
    let report = site.build();
    let host = site.page("host/index.html");
    let embeds = select(&host, ".embed");
    assert_eq!(embeds.len(), 2, "the same note embedded twice is not a cycle");
    assert!(text(&embeds[0]).contains("87% of rare earths"));
    assert!(!text(&embeds[0]).contains("Large."), "only the section is embedded");
    assert_eq!(hrefs(&host, ".embed-source a")[0], "../china/#processing");

    let warnings: Vec<String> = report
        .warnings
        .iter()
        .filter(|d| d.message.contains("embed"))
        .map(|d| format!("{}:{}:{}", d.file, d.line, d.column))
        .collect();
    assert_eq!(warnings, vec!["content/ping.md:5:1", "content/pong.md:5:1", "content/self.md:5:1"]);
    let ping = site.page("ping/index.html");
    assert_eq!(select(&ping, ".embed").len(), 1, "pong is embedded once");
    assert!(text(&select(&ping, ".embed")[0]).contains("Pong text."));
    assert_eq!(
        hrefs(&ping, ".embed a.embed-link"),
        vec!["../ping/"],
        "ping inside pong is a plain link back"
    );
    assert!(select(&site.page("self/index.html"), ".embed").is_empty());
}

/// Zola's internal links (`@/path/from/content.md#anchor`) resolve from
/// `content/`, so a Zola site's notes link as they did.
#[test]
fn zola_internal_links_resolve_from_the_content_folder() {
    let site = TestSite::new(&[
        ("content/docs/templates/_index.md", "+++\ntitle = \"Templates\"\n+++\n## Filters\n"),
        (
            "content/blog/deep/post.md",
            "See [the filters](@/docs/templates/_index.md#filters) and [[Templates]].\n",
        ),
    ]);
    site.build();
    let page = site.page("blog/deep/post/index.html");
    assert_eq!(hrefs(&page, ".note-body a")[0], "../../../docs/templates/#filters");
}

/// A heading made of links is linked, as Obsidian's link suggestions write
/// it, by its source without the brackets (`|` read as a space).
#[test]
fn a_heading_made_of_links_is_found_by_its_source() {
    let site = TestSite::new(&[
        (
            "content/induced.md",
            "# Induced topology\n\n## [[Continuity (topology)|Continuity]] and [[Convergence (topology)|convergence]]\n\nText.\n",
        ),
        (
            "content/continuity.md",
            "+++\ntitle = \"Continuity (topology)\"\n+++\nSee [[Induced topology#Continuity (topology) Continuity and Convergence (topology) convergence]].\n",
        ),
        (
            "content/convergence.md",
            "+++\ntitle = \"Convergence (topology)\"\n+++\nBack to [[Continuity (topology)]].\n",
        ),
    ]);
    site.build();
    let page = site.page("continuity/index.html");
    let href = hrefs(&page, ".note-body a")[0].clone();
    let target = site.page("induced/index.html");
    let id = href.split_once('#').unwrap().1.to_string();
    assert_eq!(select(&target, &format!("h2[id=\"{id}\"]")).len(), 1, "{href}");
}
