//! Markdown links by path and tags with stray spaces (issue 18, item 5):
//! a path that climbs out of `content/` says so, a bare file name resolves
//! when one note has it and is ambiguous (with the candidates) when several
//! do, a path that matches nothing explains how paths are read, and a tag or
//! alias written with stray spaces is trimmed everywhere.

mod common;

use common::{TestSite, select, text};
use lode::diagnostics::Diagnostic;

fn only(problems: &[Diagnostic]) -> &Diagnostic {
    let errors: Vec<&Diagnostic> =
        problems.iter().filter(|d| d.severity == lode::diagnostics::Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{problems:?}");
    errors[0]
}

#[test]
fn a_link_climbing_out_of_content_says_so() {
    let site =
        TestSite::new(&[("content/notes/a.md", "# A\n\n[The private note](../../private.md) stays out.\n")]);
    site.write("private.md", "# Private\n");
    let problems = site.build_err();
    let d = only(&problems);
    assert_eq!(
        d.message,
        "link (../../private.md) points outside the site's content: it climbs above `content/`"
    );
    assert_eq!(
        d.help.as_deref(),
        Some(
            "only files under `content/` are part of the site: move the file into `content/` and link to it there, or link to its web address"
        )
    );
    assert_eq!((d.file.as_str(), d.line, d.column), ("content/notes/a.md", 3, 1));
}

#[test]
fn a_bare_file_name_resolves_when_one_note_has_it() {
    let site = TestSite::new(&[
        ("content/a/b.md", "# B\n\nSee [lithium](lithium.md).\n"),
        ("content/minerals/lithium.md", "+++\ntitle = \"Li\"\n+++\nA metal. See [[B]].\n"),
    ]);
    site.build();
    let page = site.page("a/b/index.html");
    let href: Vec<&str> =
        select(&page, ".note-body p a").iter().filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(href, ["../../minerals/lithium/"]);
}

#[test]
fn a_bare_file_name_several_notes_have_is_ambiguous_with_the_paths_to_each() {
    let site = TestSite::new(&[
        ("content/a/b.md", "# B\n\nSee [lithium](lithium.md).\n"),
        ("content/a/deep/lithium.md", "# Lithium\n\nA metal. See [[B]].\n"),
        ("content/topics/lithium.md", "# Lithium as a topic\n\nSee [[B]].\n"),
    ]);
    let problems = site.build_err();
    let d = only(&problems);
    assert_eq!(d.message, "link (lithium.md) matches more than one note equally well");
    assert_eq!(
        d.help.as_deref(),
        Some("write the path from this note to pick one: (deep/lithium.md) or (../topics/lithium.md)")
    );
    assert_eq!((d.line, d.column), (3, 5));
}

#[test]
fn a_path_that_matches_nothing_explains_how_paths_are_read() {
    let site = TestSite::new(&[("content/a/b.md", "# B\n\nSee [cobalt](cobalt.md).\n")]);
    let problems = site.build_err();
    let d = only(&problems);
    assert_eq!(d.message, "link (cobalt.md) matches no note");
    assert_eq!(
        d.help.as_deref(),
        Some(
            "a Markdown link is a path: it is read from this note's folder (`content/a/`), then from the top of the notes, then as a file name only one note has; write the path from this note (`../folder/name.md`), or link by title with [[…]]"
        )
    );
}

#[test]
fn tags_and_aliases_with_stray_spaces_are_trimmed_everywhere() {
    let site = TestSite::new(&[
        (
            "content/a.md",
            "+++\ntitle = \"A\"\naliases = [\" Alpha \"]\n[taxonomies]\ntags = [\"supply chain \", \" #ores\"]\n+++\nText.\n",
        ),
        ("content/b.md", "+++\ntitle = \"B\"\ntags = [\"supply chain\"]\n+++\nSee [[Alpha]].\n"),
    ]);
    site.build();
    let a = site.page("a/index.html");
    let tags: Vec<String> = select(&a, "ul.tags li").iter().map(text).collect();
    assert_eq!(tags, ["#supply chain", "#ores"]);
    let filters: Vec<&str> =
        select(&a, "ul.tags li").iter().filter_map(|li| li.value().attr("data-pagefind-filter")).collect();
    assert_eq!(filters, ["tag:supply chain", "tag:ores"]);
    let tag = site.page("tags/supply-chain/index.html");
    assert_eq!(text(&select(&tag, "h1")[0]), "#supply chain");
    assert_eq!(select(&tag, "main .cards li").len(), 2, "both notes under one tag");
}
