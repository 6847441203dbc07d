//! Damaged and hostile input: an error or a correct page, never a panic or a corrupt site.

mod common;

use common::{TestSite, hrefs, list, select, text};
use lode::diagnostics::Severity;

#[test]
fn a_piped_wikilink_in_a_table_cell_keeps_the_columns_and_resolves() {
    let site = TestSite::new(&[
        ("content/lithium.md", "# Lithium\n\n## Uses\n\nBatteries. ^use\n"),
        (
            "content/t.md",
            "# T\n\n| mineral | note |\n|---|---|\n| [[Lithium\\|Li]] | light |\n| [[Lithium#^use\\|use]] | [[Lithium#Uses\\|uses]] |\n",
        ),
    ]);
    let report = site.build();
    assert!(!common::list(&report.warnings).contains("block"), "{}", common::list(&report.warnings));
    let page = site.page("t/index.html");
    let cells: Vec<String> = select(&page, ".note-body tbody td").iter().map(text).collect();
    assert_eq!(cells, vec!["Li", "light", "use", "uses"]);
    // The backslash only escapes the pipe: a block or heading anchor keeps none.
    assert_eq!(
        hrefs(&page, ".note-body td a"),
        vec!["../lithium/", "../lithium/#%5Euse", "../lithium/#uses"]
    );
}

#[test]
fn a_bom_and_crlf_keep_line_numbers_right() {
    let site = TestSite::new(&[(
        "content/a.md",
        "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nline four\r\nsee [[Nowhere]]\r\n",
    )]);
    let problems: Vec<_> = site.build_err().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!((problems[0].line, problems[0].column), (5, 5));
    let site =
        TestSite::new(&[("content/a.md", "\u{feff}+++\r\ntitle = \"Crlf title\"\r\n+++\r\nBody.\r\n")]);
    site.build();
    assert_eq!(text(&select(&site.page("a/index.html"), "h1")[0]), "Crlf title");
}

#[test]
fn headings_with_punctuation_resolve_to_their_ids() {
    let site = TestSite::new(&[
        ("content/china.md", "# China\n\n## China's dominance\n\ntext\n"),
        ("content/lithium.md", "# Lithium\n\n## Uses (2025)\n\ntext\n"),
        ("content/a.md", "# A\n\n[[China#China's dominance]] and [[Lithium#Uses (2025)]].\n"),
    ]);
    site.build();
    let links = hrefs(&site.page("a/index.html"), ".note-body p a");
    assert_eq!(links, vec!["../china/#china-s-dominance", "../lithium/#uses-2025"]);
    let (problems, _) = common::check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn markup_in_titles_and_tags_is_text_everywhere() {
    let evil = "<img src=x onerror=alert(1)>";
    let site = TestSite::new(&[
        (
            "content/evil.md",
            "+++\ntitle = \"<img src=x onerror=alert(1)>\"\nsummary = \"\\\"quoted\\\" {{ config }}\"\ntags = [\"<b>bold</b>\"]\naliases = [\"<script>x</script>\"]\n+++\nBody.\n",
        ),
        ("content/b.md", "# B\n\nSee [[evil]].\n"),
    ]);
    site.build();
    for entry in walkdir::WalkDir::new(site.output()).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let raw = std::fs::read_to_string(entry.path()).unwrap();
            assert!(
                !raw.contains(evil) && !raw.contains("<b>bold</b>") && !raw.contains("<script>x"),
                "{}",
                entry.path().display()
            );
        }
    }
    let page = site.page("evil/index.html");
    assert_eq!(text(&select(&page, "h1")[0]), evil, "shown as text");
    assert!(select(&page, "img").is_empty());
    assert!(
        text(&select(&page, ".summary")[0]).contains("{{ config }}"),
        "template syntax in data is not evaluated"
    );
    assert!(select(&page, "a[href]").iter().all(|a| !a.value().attr("href").unwrap().contains('<')));
}

#[test]
fn an_unclosed_front_matter_fence_is_an_error() {
    let site = TestSite::new(&[("content/a.md", "+++\ntitle = \"A\"\n\nBody without a closing fence.\n")]);
    let problems = site.build_err();
    assert_eq!((problems[0].file.as_str(), problems[0].line), ("content/a.md", 1), "{}", list(&problems));
    assert!(problems[0].message.contains("never closed"), "{}", list(&problems));
}

#[test]
fn a_file_that_is_not_utf8_is_named_with_its_byte_offset() {
    // The bad note is still indexed: the link to it resolves, and the one
    // error is its encoding (not also "matches no note" for every link to it).
    let site = TestSite::new(&[("content/ok.md", "# OK\n\nSee [[Bad]].\n")]);
    std::fs::write(site.root().join("content/bad.md"), b"# Bad\n\xff\xfe rest\n").unwrap();
    let problems: Vec<_> = site.build_err().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!(problems[0].file, "content/bad.md");
    assert_eq!(problems[0].message, "byte 0xFF at offset 6 is not UTF-8");
    // No letter is named for bytes that are no Latin-1 text (0xFF 0xFE)…
    assert!(!problems[0].help.as_deref().unwrap_or_default().contains("Latin-1"));
    // …but an accented letter saved in Latin-1 is named.
    std::fs::write(site.root().join("content/bad.md"), b"# Bad\n\ncaf\xe9 au lait\n").unwrap();
    let problems = site.build_errors();
    let help = problems[0].help.as_deref().unwrap_or_default();
    assert!(help.starts_with("0xE9 is \"\u{e9}\" in Latin-1 (ISO 8859-1) and Windows-1252"), "{help}");
}

#[test]
fn an_orphan_whose_title_is_not_utf8_is_suggested_by_its_file_name() {
    let site = TestSite::new(&[("content/_index.md", "# Home\n\nNothing linked yet.\n")]);
    std::fs::write(site.root().join("content/bad.md"), b"# Bad\xff\xfe\n\nText.\n").unwrap();
    let problems = site.build_err();
    let orphan = problems.iter().find(|d| d.message.contains("orphan")).expect("an orphan warning");
    let help = orphan.help.as_deref().unwrap_or_default();
    // The title read as "Bad\u{fffd}\u{fffd}" cannot be typed: the file name can.
    assert!(help.contains("[[bad]]") && !help.contains('\u{fffd}'), "{help}");
}

#[test]
fn empty_files_and_front_matter_only_build() {
    let site = TestSite::new(&[
        ("content/empty.md", ""),
        ("content/fm.md", "+++\ntitle = \"Only front matter\"\n+++\n"),
        ("content/empty-fm.md", "---\n---\nText.\n"),
    ]);
    let report = site.build();
    assert!(report.warnings.iter().any(|d| d.file == "content/empty.md" && d.message.contains("empty")));
    assert_eq!(text(&select(&site.page("fm/index.html"), "h1")[0]), "Only front matter");
}

#[test]
fn yaml_tabs_and_wrong_types_are_located() {
    let site = TestSite::new(&[("content/a.md", "---\ntitle: A\n\tsummary: tabbed\n---\n")]);
    let problems = site.build_errors();
    assert_eq!(problems[0].file, "content/a.md");
    assert!(problems[0].line >= 2, "{}", list(&problems));
    let site = TestSite::new(&[("content/a.md", "---\ntitle: [a, list]\n---\n")]);
    let problems = site.build_errors();
    assert_eq!(problems[0].line, 2, "{}", list(&problems));
    assert!(problems[0].message.contains("`title` must be a string"));
}

#[test]
fn an_unclosed_yaml_quote_is_reported_at_the_quote_not_at_the_block_end() {
    let site = TestSite::new(&[(
        "content/tin.md",
        "---\ntitle: \"Tin\nsummary: 'It''s a metal'\ntags: [metal]\n---\nBody.\n",
    )]);
    let problems = site.build_errors();
    let d = &problems[0];
    // The parser said "found unexpected end of stream" at the closing `---` (5:1).
    assert_eq!((d.file.as_str(), d.line, d.column), ("content/tin.md", 2, 8), "{}", list(&problems));
    assert!(d.message.contains("quote is never closed"), "{}", d.message);
    assert!(d.help.as_deref().is_some_and(|h| h.contains("same quote")), "{:?}", d.help);
    // Closed quotes, escaped ones and a quoted value over two lines are fine.
    let site = TestSite::new(&[(
        "content/ok.md",
        "---\ntitle: \"Say \\\"hi\\\"\"\nsummary: 'It''s\n  two lines'\n---\nBody.\n",
    )]);
    site.build();
}

#[test]
fn toml_dates_with_and_without_time_are_dates() {
    let site = TestSite::new(&[
        ("content/a.md", "+++\ntitle = \"A\"\ndate = 2025-02-17\n+++\n[[b]]\n"),
        ("content/b.md", "+++\ntitle = \"b\"\ndate = 2025-02-17T10:30:00Z\n+++\n[[A]]\n"),
    ]);
    site.build();
}

#[test]
fn deep_duplicate_headings_get_unique_ids() {
    let site = TestSite::new(&[(
        "content/a.md",
        "# A\n\n## Notes\n\n### Notes\n\n#### Notes\n\n##### Notes\n\n###### Notes\n\n## Notes\n",
    )]);
    site.build();
    let page = site.page("a/index.html");
    let ids: Vec<String> =
        select(&page, ".note-body [id]").iter().map(|e| e.value().attr("id").unwrap().to_string()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), 6);
    assert_eq!(unique.len(), 6, "{ids:?}");
}

#[test]
fn ten_thousand_links_in_one_note_and_a_huge_note_build() {
    let mut body = String::from("# Big\n\n");
    for i in 0..10_000 {
        body.push_str(&format!("Link {i} to [[Target]] here. "));
        if i % 50 == 0 {
            body.push_str("\n\n");
        }
    }
    body.push_str(&"Filler text with `code` and %% comment %% words. ".repeat(100_000));
    let site = TestSite::new(&[("content/big.md", &body), ("content/target.md", "# Target\n\n[[Big]]\n")]);
    site.build();
    let target = site.page("target/index.html");
    assert_eq!(select(&target, ".backlinks li").len(), 1);
}

#[test]
fn symlink_loops_and_links_out_of_the_site_are_not_followed() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.root().join("content"), site.root().join("content/loop")).unwrap();
        std::os::unix::fs::symlink("/etc", site.root().join("content/etc")).unwrap();
        std::os::unix::fs::symlink(site.root().join("content/a.md"), site.root().join("content/b.md"))
            .unwrap();
    }
    let report = site.build();
    assert!(!site.output().join("loop").exists() && !site.output().join("etc").exists());
    assert!(!site.output().join("b").exists());
    // Each skipped link is a warning naming it and saying why (issue 18, item 6).
    #[cfg(unix)]
    for name in ["b.md", "etc", "loop"] {
        let file = format!("content/{name}");
        let warning = report.warnings.iter().find(|d| d.file == file).unwrap_or_else(|| {
            panic!(
                "no warning for {file}: {:?}",
                report.warnings.iter().map(|d| d.to_string()).collect::<Vec<_>>()
            )
        });
        assert_eq!(warning.severity, Severity::Warning);
        assert!(warning.message.contains("symbolic link"), "{warning}");
        assert!(warning.help.as_deref().is_some_and(|h| h.contains("copy")), "{warning}");
    }
}

#[test]
fn odd_file_names_get_clean_slugs() {
    let site = TestSite::new(&[
        ("content/Über Note.md", "# Über\n\n[[What]]\n"),
        ("content/What? #1 100%.md", "# What\n\n[[Über Note]]\n"),
        ("content/.hidden.md", "# Hidden\n"),
        ("content/a.md~", "backup"),
    ]);
    let report = site.build();
    assert!(site.output().join("uber-note/index.html").is_file());
    assert!(site.output().join("what-1-100/index.html").is_file());
    assert!(!site.output().join("hidden").exists());
    assert!(report.warnings.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn embeds_fanning_out_stay_bounded() {
    let mut files: Vec<(String, String)> = Vec::new();
    for i in 0..12 {
        let next = format!("![[n{}]]\n\n", i + 1);
        files.push((format!("content/n{i}.md"), format!("# n{i}\n\nText {i}.\n\n{}", next.repeat(4))));
    }
    files.push(("content/n12.md".into(), "# n12\n\nEnd.\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = TestSite::new(&refs);
    site.build();
    let size = std::fs::metadata(site.output().join("n0/index.html")).unwrap().len();
    assert!(size < 300_000, "n0 is {size} bytes");
    let page = site.page("n0/index.html");
    assert!(select(&page, ".embed").len() <= lode::render::body::EMBED_BUDGET);
    assert!(!select(&page, "a.embed-link").is_empty(), "past the budget, embeds are links");
}

#[test]
fn a_static_file_may_not_overwrite_a_page() {
    let site =
        TestSite::new(&[("content/tin.md", "# Tin\n"), ("static/tin/index.html", "<p>STATIC WINS</p>")]);
    let problems = site.build_err();
    assert!(
        problems.iter().any(|d| d.file == "static/tin/index.html" && d.message.contains("overwrite")),
        "{}",
        list(&problems)
    );
}

#[test]
fn backlink_sentences_do_not_break_at_abbreviations() {
    let site = TestSite::new(&[
        ("content/trust.md", "# TRUST\n"),
        (
            "content/a.md",
            "# A\n\nFirst sentence. The India–U.S. [[TRUST]] initiative, e.g. for lithium, matters. Last one.\n",
        ),
    ]);
    site.build();
    let context = text(&select(&site.page("trust/index.html"), ".backlinks blockquote")[0]);
    assert_eq!(context, "The India–U.S. TRUST initiative, e.g. for lithium, matters.");
}

#[test]
fn empty_link_parts_are_handled() {
    let site = TestSite::new(&[
        ("content/lithium.md", "# Lithium\n\n[[a]]\n"),
        ("content/a.md", "# A\n\nPiped empty [[Lithium|]] and [[Lithium#]].\n"),
    ]);
    site.build();
    let texts: Vec<String> = select(&site.page("a/index.html"), ".note-body p a").iter().map(text).collect();
    assert_eq!(texts, vec!["Lithium", "Lithium"]);
    let site = TestSite::new(&[("content/a.md", "# A\n\nEmpty [[ ]] link.\n")]);
    assert!(site.build_err().iter().any(|d| d.is_error() && d.line == 3));
}

#[test]
fn a_template_error_is_reported_once_at_its_place() {
    let site = TestSite::new(&[
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\npage_template = \"mineral.html\"\n+++\n"),
        ("content/minerals/a.md", "# A\n"),
        ("content/minerals/b.md", "# B\n"),
    ]);
    let problems: Vec<_> = site.build_err().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!((problems[0].file.as_str(), problems[0].line), ("content/minerals/_index.md", 3));
    assert!(problems[0].message.ends_with("does not exist (in 2 pages)"), "{}", problems[0].message);

    let site = TestSite::new(&[("content/a.md", "# A\n"), ("content/b.md", "# B\n")]);
    site.write(
        "templates/note.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.titel }}\n{% endblock %}\n",
    );
    let problems: Vec<_> = site.build_err().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!((problems[0].file.as_str(), problems[0].line), ("templates/note.html", 3));
}

/// A YAML error names where the construct it broke began, in the file's own
/// line numbers (the parser counts from the front matter's first line; the
/// newcomer check found the start of the unclosed list mentioned only as
/// "line 1 column 8" inside the message).
#[test]
fn a_yaml_error_points_at_where_the_broken_construct_began() {
    let site = TestSite::new(&[("content/y.md", "---\ntitle: [unclosed\n---\nBody\n")]);
    let problems = site.build_err();
    let d = problems.iter().find(|d| d.message.starts_with("invalid YAML")).expect("a YAML error");
    assert!(!d.message.contains(" at line "), "no front-matter-relative lines: {}", d.message);
    let related: Vec<(usize, usize)> = d.related.iter().map(|r| (r.line, r.column)).collect();
    assert_eq!(related, vec![(2, 8)], "the `[` on line 2: {d:?}");
}

/// Raw HTML that opens an element and never closes it does not take the
/// rest of the page: each is a warning at its start tag (line and column),
/// a `<div>` or `<details>` is closed at the end of the note's body (as a
/// browser closes it at the end of its parent; before, the page's footer,
/// backlinks and graph ended up inside it). An unclosed `<script>` is no
/// element at all (GFM's tag filter shows it as text): the text after it
/// is not hidden in a script.
#[test]
fn unclosed_raw_html_is_warned_about_and_closed_at_the_end_of_the_note() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Box]] and [[Script]].\n"),
        (
            "content/box.md",
            "# Box\n\n<div class=\"box\">\n\nLithium. Back [[Home]].\n\n## Supply\n\nSee <details class=\"open-one\"> this.\n\nThe end.\n",
        ),
        (
            "content/script.md",
            "# Script\n\n<script>\nvar x = 1;\n\nCobalt is mined in the DRC. Back [[Home]].\n",
        ),
    ]);
    let report = site.build();
    let warned: Vec<String> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("is never closed"))
        .map(|w| format!("{}:{}:{} {}", w.file, w.line, w.column, w.message.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        warned,
        ["content/box.md:3:1 `<div>` is never closed", "content/box.md:9:5 `<details>` is never closed",],
        "{}",
        list(&report.warnings)
    );
    let page = site.page("box/index.html");
    assert_eq!(select(&page, ".note-body div.box").len(), 1);
    assert!(
        select(&page, "div.box h2").iter().any(|h| text(h).starts_with("Supply")),
        "the rest of the note is rendered"
    );
    for outside in ["footer", ".note-footer", ".backlinks", ".local-graph", "aside"] {
        assert!(
            select(&page, &format!("div.box {outside}, details.open-one {outside}")).is_empty(),
            "{outside} is inside the author's element"
        );
    }
    let page = site.page("script/index.html");
    let body = select(&page, ".note-body");
    assert!(text(&body[0]).contains("Cobalt is mined"), "{}", text(&body[0]));
    assert!(text(&body[0]).contains("<script>"), "the tag is shown as text");
    assert!(select(&page, "script").iter().all(|s| !s.inner_html().contains("Cobalt")));
}

/// An unclosed `<pre>` opens an HTML block that CommonMark ends only at
/// `</pre>`: the rest of the note showed as raw text (`## After` and all).
/// It is closed at its block's first blank line instead, with the warning
/// (L0405) at the `<pre>`, so the rest renders; a closed `<pre>` keeps its
/// blank lines, and a second runaway `<pre>` after the first is closed too.
#[test]
fn an_unclosed_pre_is_closed_at_its_first_blank_line_and_the_rest_renders() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Pre]].\n"),
        (
            "content/pre.md",
            "# Pre\n\n<pre>\nkept\n\nblank\n</pre>\n\nBefore.\n\n<pre class=\"out\">\nline 1\n  line 2\n\n## After\n\nLithium is **light**. Back [[Home]].\n\n  <PRE class=\"two\">\nagain\n\nThe *end*.\n",
        ),
    ]);
    let report = site.build();
    let page = site.page("pre/index.html");
    let pres: Vec<String> = select(&page, ".note-body pre").iter().map(|p| p.text().collect()).collect();
    assert_eq!(pres, ["kept\n\nblank\n", "line 1\n  line 2\n", "again\n"], "each pre holds its own lines");
    assert!(
        select(&page, ".note-body h2").iter().any(|h| text(h).starts_with("After")),
        "the heading renders"
    );
    assert_eq!(select(&page, ".note-body strong").iter().map(text).collect::<Vec<_>>(), ["light"]);
    assert_eq!(select(&page, ".note-body em").iter().map(text).collect::<Vec<_>>(), ["end"]);
    assert!(select(&page, ".note-body pre a, .note-body pre h2").is_empty());
    assert!(!page.html().contains("[[Home]]"), "the link is a link");
    let warned: Vec<String> = report
        .warnings
        .iter()
        .filter(|w| w.message.contains("is never closed"))
        .map(|w| format!("{}:{}:{} {}", w.file, w.line, w.column, w.message))
        .collect();
    assert_eq!(
        warned,
        [
            "content/pre.md:11:1 `<pre>` is never closed: Lode closes it at the first blank line, so that the rest of the note shows as Markdown",
            "content/pre.md:19:3 `<pre>` is never closed: Lode closes it at the first blank line, so that the rest of the note shows as Markdown",
        ],
        "{}",
        list(&report.warnings)
    );
}
