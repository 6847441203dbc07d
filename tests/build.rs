//! Front matter, collections, tags, self-tests, URLs under a sub-path, and
//! the atomic output folder.

mod common;

use common::{TestSite, check_all_links, hrefs, list, select, text};
use lode::build::{self, BuildOptions};

#[test]
fn toml_yaml_and_no_front_matter_give_titles() {
    let site = TestSite::new(&[
        (
            "content/toml.md",
            "+++\ntitle = \"From TOML\"\nsummary = \"T sum\"\ntags = [\"Alpha\"]\n+++\nBody T.\n",
        ),
        ("content/yaml.md", "---\ntitle: From YAML\nsummary: Y sum\ntags: [Alpha, Beta]\n---\nBody Y.\n"),
        ("content/heading.md", "# From Heading\n\nBody H.\n"),
        ("content/file-name_only.md", "Just text.\n"),
    ]);
    site.build();
    let title = |p: &str| text(&select(&site.page(p), "h1")[0]);
    assert_eq!(title("toml/index.html"), "From TOML");
    assert_eq!(title("yaml/index.html"), "From YAML");
    assert_eq!(title("heading/index.html"), "From Heading");
    assert_eq!(title("file-name-only/index.html"), "file name only");
    let heading = site.page("heading/index.html");
    assert_eq!(select(&heading, "h1").len(), 1, "the heading used as title is not repeated");
    assert_eq!(text(&select(&site.page("yaml/index.html"), ".summary")[0]), "Y sum");
}

#[test]
fn invalid_front_matter_is_located() {
    let site =
        TestSite::new(&[("content/bad.md", "+++\ntitle = \"ok\"\nsummary = unquoted words\n+++\nBody\n")]);
    let problems = site.build_errors();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!((problems[0].file.as_str(), problems[0].line), ("content/bad.md", 3));
    assert!(problems[0].message.contains("TOML"));

    let site = TestSite::new(&[("content/bad.md", "---\ntitle: [unclosed\n---\nBody\n")]);
    let problems = site.build_errors();
    assert!(problems[0].message.contains("YAML"), "{}", list(&problems));
    assert!(problems[0].line >= 2);

    let site = TestSite::new(&[(
        "content/typed.md",
        "+++\ntitle = \"T\"\nweight = \"heavy\"\ndate = 2025-13-45x\n+++\n",
    )]);
    let problems = site.build_err();
    assert!(problems.iter().any(|d| d.line == 4), "{}", list(&problems));
}

#[test]
fn a_near_miss_key_is_a_warning_and_other_keys_are_kept() {
    let site =
        TestSite::new(&[("content/a.md", "+++\ntitel = \"Oops\"\ncssclasses = [\"wide\"]\n+++\n# A\n")]);
    let report = site.build();
    let near: Vec<_> = report.warnings.iter().filter(|d| d.message.contains("misspelling")).collect();
    assert_eq!(near.len(), 1, "{}", list(&report.warnings));
    assert!(near[0].message.contains("`title`"));
    assert_eq!(near[0].line, 2);
    assert!(!report.warnings.iter().any(|d| d.message.contains("cssclasses")), "own properties are fine");
}

#[test]
fn a_question_whose_answer_is_not_an_option_fails_at_its_line() {
    let site = TestSite::new(&[(
        "content/q.md",
        "+++\ntitle = \"Q\"\n\n[[questions]]\nquestion = \"Fine?\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\n\n\
         [[questions]]\nquestion = \"Broken?\"\noptions = [\"a\", \"b\", \"c\", \"d\"]\nanswer = \"e\"\n+++\n",
    )]);
    let problems = site.build_errors();
    assert_eq!(problems.len(), 1, "{}", list(&problems));
    assert_eq!((problems[0].line, problems[0].column), (12, 10), "at the answer's value");
    assert!(problems[0].message.contains("\"e\""));
}

#[test]
fn questions_render_with_hidden_answers_and_linked_explanations() {
    let site = TestSite::new(&[
        ("content/china.md", "# China\n"),
        (
            "content/q.md",
            "+++\ntitle = \"Q\"\n[[questions]]\nquestion = \"Who refines most?\"\noptions = [\"India\", \"China\"]\nanswer = \"China\"\nexplanation = \"See [[China]].\"\n+++\n",
        ),
    ]);
    site.build();
    let page = site.page("q/index.html");
    assert_eq!(select(&page, ".question .options li").len(), 2);
    let answer = &select(&page, ".question details.answer")[0];
    assert!(answer.value().attr("open").is_none(), "answer hidden until asked");
    assert!(text(answer).contains("Answer: China"));
    assert_eq!(hrefs(&page, ".question details a"), vec!["../china/"]);
    let china = site.page("china/index.html");
    assert_eq!(hrefs(&china, ".backlinks li > a"), vec!["../q/"], "explanations count as links");
}

#[test]
fn collections_list_their_notes_in_order_with_prev_and_next() {
    let site = TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nWelcome.\n"),
        (
            "content/minerals/_index.md",
            "+++\ntitle = \"Minerals\"\nsort_by = \"title\"\n+++\nAll minerals.\n",
        ),
        (
            "content/minerals/tin.md",
            "+++\ntitle = \"Tin\"\nsummary = \"Soft metal\"\ntags = [\"Metal\"]\n+++\n",
        ),
        (
            "content/minerals/cobalt.md",
            "+++\ntitle = \"Cobalt\"\ntags = [\"Metal\", \"Battery mineral\"]\n+++\n",
        ),
        ("content/minerals/lithium.md", "+++\ntitle = \"Lithium\"\ntags = [\"Battery mineral\"]\n+++\n"),
    ]);
    site.build();
    let minerals = site.page("minerals/index.html");
    let listed: Vec<String> = select(&minerals, ".cards .card > a").iter().map(text).collect();
    assert_eq!(listed, vec!["Cobalt", "Lithium", "Tin"]);
    let lithium = site.page("minerals/lithium/index.html");
    assert_eq!(hrefs(&lithium, ".pager a"), vec!["../../minerals/cobalt/", "../../minerals/tin/"]);
    let home = site.page("index.html");
    assert_eq!(hrefs(&home, ".collections .card > a")[0], "minerals/");
    let tags = site.page("tags/index.html");
    let tag_texts: Vec<String> = select(&tags, ".tag-cloud li").iter().map(text).collect();
    assert_eq!(tag_texts, vec!["#Battery mineral 2", "#Metal 2"]);
    let battery = site.page("tags/battery-mineral/index.html");
    let tagged: Vec<String> = select(&battery, ".cards .card > a").iter().map(text).collect();
    assert_eq!(tagged, vec!["Cobalt", "Lithium"]);
    let (problems, _) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn two_notes_with_one_permalink_fail_naming_both() {
    let site = TestSite::new(&[("content/Tin.md", "# A\n"), ("content/tin.md", "# B\n")]);
    let problems = site.build_errors();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].message.contains("content/Tin.md") || problems[0].file == "content/Tin.md");
    assert!(problems[0].message.contains("content/tin.md") || problems[0].file == "content/tin.md");
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = TestSite::new(&[("content/wip.md", "+++\ntitle = \"WIP\"\ndraft = true\n+++\n")]);
    site.build();
    assert!(!site.output().join("wip/index.html").exists());
    let options = BuildOptions { drafts: true, ..site.options() };
    build::build(&options).unwrap();
    assert!(site.output().join("wip/index.html").exists());
    site.write("content/a.md", "# A\n\nSee [[WIP]].\n");
    let problems = site.build_err();
    let d = problems.iter().find(|d| d.is_error()).unwrap();
    assert!(
        d.message.contains("points to a draft") && d.help.as_deref().unwrap().contains("--drafts"),
        "{d}"
    );
}

#[test]
fn a_sub_path_build_links_only_to_written_files() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[a]].\n"),
        ("content/deep/er/a.md", "+++\ntitle = \"a\"\ntags = [\"x\"]\n+++\n![](map.png)\n\n[[b]]\n"),
        ("content/deep/er/map.png", "png"),
        ("content/b.md", "# b\n\n[[a]]\n"),
        ("static/app.js", "// js"),
    ]);
    let options = BuildOptions { base_url: Some("https://example.org/REPO/".into()), ..site.options() };
    build::build(&options).unwrap();
    let (problems, checked) = check_all_links(&site.output());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked >= 15, "{checked}");
    let a = site.page("deep/er/a/index.html");
    assert_eq!(select(&a, "img")[0].value().attr("src"), Some("../../../deep/er/map.png"));
    // No URL is root-absolute, so nothing escapes /REPO/ when served there;
    // 404.html, served at any depth, uses absolute /REPO/ paths (tests/pages.rs).
    for entry in walkdir::WalkDir::new(site.output()).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_some_and(|e| e == "html") && !entry.path().ends_with("404.html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!html.contains("href=\"/") && !html.contains("src=\"/"), "{}", entry.path().display());
        }
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    site.build();
    let before = std::fs::read_to_string(site.output().join("a/index.html")).unwrap();
    site.write("content/a.md", "# A\n\n[[Missing]]\n");
    site.build_err();
    assert_eq!(std::fs::read_to_string(site.output().join("a/index.html")).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lode-"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary folder left behind");
}

#[test]
fn an_output_folder_holding_the_site_is_refused() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    for output in [site.root().to_path_buf(), site.root().join("content"), site.root().join("static")] {
        let options = BuildOptions { output: Some(output.clone()), ..site.options() };
        let problems = build::build(&options).unwrap_err();
        assert!(problems[0].message.contains("refusing"), "{}", output.display());
    }
    assert!(site.root().join("content/a.md").exists());
}

#[test]
fn callouts_tables_footnotes_and_task_lists_render() {
    let site = TestSite::new(&[(
        "content/a.md",
        "# A\n\n> [!WARNING]\n> Careful.\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.\n\n- [x] done\n- [ ] todo\n\n~~old~~\n",
    )]);
    site.build();
    let page = site.page("a/index.html");
    assert_eq!(text(&select(&page, ".callout-warning .callout-title")[0]), "Warning");
    assert_eq!(select(&page, ".note-body table td").len(), 2);
    assert_eq!(select(&page, ".note-body .footnote-definition").len(), 1);
    assert_eq!(select(&page, ".note-body input[type=checkbox]").len(), 2);
    assert_eq!(select(&page, ".note-body del").len(), 1);
}

/// A GFM table's column alignments are classes the stylesheet aligns (page
/// weight), on the head's cells and the body's, in a table inside a list
/// and a callout too; left (the default) and unaligned columns carry none.
#[test]
fn table_column_alignments_are_classes() {
    let table = "| a | b | c | d |\n|:--|:-:|--:|---|\n| 1 | 2 | 3 | 4 |\n| 5 | 6 | 7 | 8 |\n";
    let quoted: String = table.lines().map(|l| format!("> {l}\n")).collect();
    let site = TestSite::new(&[(
        "content/a.md",
        &*format!("# A\n\n{table}\n> [!NOTE]\n{quoted}\n- item\n\n  {}\n", table.replace('\n', "\n  ")),
    )]);
    site.build();
    let page = site.page("a/index.html");
    let html = std::fs::read_to_string(site.output().join("a/index.html")).unwrap();
    assert!(!html.contains("text-align"), "{html}");
    let tables = select(&page, ".note-body table");
    assert_eq!(tables.len(), 3, "{html}");
    for table in &tables {
        let classes = |css: &str| -> Vec<Option<String>> {
            let sel = scraper::Selector::parse(css).unwrap();
            table.select(&sel).map(|c| c.value().attr("class").map(str::to_string)).collect()
        };
        let row = [None, Some("c".to_string()), Some("r".to_string()), None];
        assert_eq!(classes("thead th"), row);
        assert_eq!(classes("tbody td"), [row.clone(), row].concat());
        let cells: Vec<String> =
            table.select(&scraper::Selector::parse("th, td").unwrap()).map(|c| text(&c)).collect();
        assert_eq!(cells.join(" "), "a b c d 1 2 3 4 5 6 7 8");
    }
    let css = std::fs::read_to_string(site.output().join("style.css")).unwrap();
    assert!(css.contains(".note-body :is(th, td).r { text-align: right; }"));
}

#[test]
fn a_collection_schema_types_its_notes_fields() {
    let site = TestSite::new(&[
        (
            "content/minerals/_index.md",
            "+++\ntitle = \"Minerals\"\n[schema]\nsymbol = { type = \"string\", required = true }\natomic_number = { type = \"integer\" }\n+++\n",
        ),
        (
            "content/minerals/tin.md",
            "+++\ntitle = \"Tin\"\n[extra]\nsymbol = \"Sn\"\natomic_number = 50\n+++\n",
        ),
        ("content/minerals/lead.md", "+++\ntitle = \"Lead\"\n[extra]\natomic_number = \"82\"\n+++\n"),
    ]);
    let problems: Vec<_> = site.build_err().into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(problems.len(), 2, "{}", list(&problems));
    assert!(problems.iter().all(|d| d.file == "content/minerals/lead.md"));
    let wrong_type = problems.iter().find(|d| d.message.contains("has the wrong type")).expect("type error");
    assert_eq!(
        wrong_type.message,
        "`atomic_number` has the wrong type: it is a string, and the schema of \"Minerals\" says an integer"
    );
    assert_eq!((wrong_type.line, wrong_type.column), (4, 17), "at the offending value");
    assert!(wrong_type.help.as_deref().is_some_and(|h| h.starts_with("write 82 without quotes")));
    assert!(problems.iter().any(|d| d.message.contains("`symbol` is required")));
    assert_eq!(wrong_type.related[0].file, "content/minerals/_index.md");
    assert_eq!((wrong_type.related[0].line, wrong_type.related[0].column), (5, 1), "points at the field");
}

#[test]
fn orphans_empty_notes_and_shared_names_are_warnings() {
    let site = TestSite::new(&[
        ("site.toml", "title = \"T\"\n\n[check]\norphans = \"each\"\n"),
        ("content/_index.md", "# Home\n\n[[a]] [[x/tin]] [[y/tin]]\n"),
        ("content/a.md", "# A\n\nText.\n"),
        ("content/lonely.md", "# Lonely\n\nNobody links here.\n"),
        ("content/blank.md", ""),
        ("content/x/tin.md", "+++\ntitle = \"Tin\"\n+++\nx\n"),
        ("content/y/tin.md", "+++\ntitle = \"Tin\"\n+++\ny\n"),
    ]);
    let report = site.build();
    let about = |file: &str, needle: &str| {
        report.warnings.iter().any(|d| d.file == file && d.message.contains(needle))
    };
    assert!(about("content/lonely.md", "orphan"));
    assert!(about("content/blank.md", "empty"));
    assert!(about("content/x/tin.md", "\"Tin\" is also claimed by content/y/tin.md"));
    assert!(!about("content/a.md", "orphan"));
    assert!(
        !report.warnings.iter().any(|d| d.file == "content/_index.md"),
        "the home page is never an orphan"
    );
}

#[test]
fn lode_check_writes_nothing_and_reports_json() {
    let site = TestSite::new(&[("content/a.md", "# A\n\n[[Nowhere]]\n")]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["check", "--format", "json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let broken = lines.iter().find(|d| d["message"].as_str().unwrap().contains("[[Nowhere]]")).unwrap();
    assert_eq!(
        (broken["file"].as_str(), broken["line"].as_u64(), broken["column"].as_u64()),
        (Some("content/a.md"), Some(3), Some(1))
    );
    assert_eq!(broken["severity"], "error");
    assert!(!site.output().exists(), "check writes nothing");

    site.write("content/a.md", "# A\n\nFine.\n");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["check", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Checked 1 notes: no errors"));
}

#[test]
fn an_output_folder_of_someone_elses_files_or_behind_a_symlink_is_refused() {
    let site = TestSite::new(&[("content/a.md", "# A\n")]);
    let victim = tempfile::tempdir().unwrap();
    std::fs::write(victim.path().join("thesis.txt"), "years of work").unwrap();
    let options = BuildOptions { output: Some(victim.path().to_path_buf()), ..site.options() };
    let problems = build::build(&options).unwrap_err();
    assert!(problems[0].message.contains("did not write"), "{}", list(&problems));
    assert!(victim.path().join("thesis.txt").exists());
    // A `.nojekyll` alone (a Pages repository, another tool's `docs/`) does
    // not make a folder Lode's: it keeps its files, `.git` included.
    std::fs::write(victim.path().join(".nojekyll"), "").unwrap();
    let problems = build::build(&options).unwrap_err();
    assert!(problems[0].message.contains("did not write"), "{}", list(&problems));
    std::fs::create_dir_all(victim.path().join(".git")).unwrap();
    std::fs::write(victim.path().join(".git/HEAD"), "ref").unwrap();
    let problems = build::build(&options).unwrap_err();
    assert!(problems[0].message.contains("Git repository"), "{}", list(&problems));
    assert!(victim.path().join("thesis.txt").exists() && victim.path().join(".git/HEAD").exists());
    // Lode's own output is replaced, build after build; with a `.git` added
    // (someone committed it in place) it is refused.
    let own = tempfile::tempdir().unwrap();
    let options = BuildOptions { output: Some(own.path().join("public")), ..site.options() };
    build::build(&options).unwrap();
    build::build(&options).unwrap();
    // What `rm -r public/*` leaves (a lone `.nojekyll`) is built over.
    std::fs::remove_dir_all(own.path().join("public")).unwrap();
    std::fs::create_dir_all(own.path().join("public")).unwrap();
    std::fs::write(own.path().join("public/.nojekyll"), "").unwrap();
    build::build(&options).unwrap();
    std::fs::create_dir_all(own.path().join("public/.git")).unwrap();
    assert!(build::build(&options).is_err(), "a folder with .git was replaced");
    assert!(own.path().join("public/.git").is_dir());

    for inside in ["content/sub", ".git", "site.toml"] {
        std::fs::create_dir_all(site.root().join(".git")).unwrap();
        std::fs::write(site.root().join(".git/HEAD"), "ref").unwrap();
        let options = BuildOptions { output: Some(site.root().join(inside)), ..site.options() };
        let problems = build::build(&options).expect_err(inside);
        // Each refusal says how to proceed: which option picks another folder.
        let help = problems[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("--output"), "{inside}: {}", list(&problems));
        if inside == "content/sub" {
            // It names the folder concerned, not "content, templates or static files".
            assert!(
                problems[0].message.ends_with("it lies inside the site's `content/` folder"),
                "{}",
                list(&problems)
            );
        }
    }
    assert!(site.root().join(".git/HEAD").is_file() && site.root().join("site.toml").is_file());

    #[cfg(unix)]
    {
        let link = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(site.root(), link.path().join("alias")).unwrap();
        let options = BuildOptions { output: Some(link.path().join("alias/content")), ..site.options() };
        assert!(build::build(&options).is_err(), "a symlink smuggled content/ past the check");
        assert!(site.root().join("content/a.md").is_file());
    }

    // A previous Lode output is replaced, as it should be.
    site.build();
    site.build();
    assert!(site.output().join("a/index.html").is_file());
}

#[test]
fn a_note_of_links_alone_is_not_empty_and_a_nul_never_reaches_a_page() {
    let site = TestSite::new(&[
        ("content/index.md", "+++\ntitle = \"Index\"\n+++\n[[A]] [[B]]\n"),
        ("content/a.md", "# A\n\nSee [[B]] and\u{0}this.\n"),
        ("content/b.md", "# B\n\nSee [[A]].\n"),
    ]);
    let report = build::build(&site.options()).unwrap();
    let empty: Vec<_> = report.warnings.iter().filter(|w| w.message.contains("empty")).collect();
    assert!(empty.is_empty(), "{empty:?}");
    let html = std::fs::read_to_string(site.output().join("a/index.html")).unwrap();
    assert!(!html.contains('\0') && html.contains("and\u{FFFD}this"), "{html}");
}

#[test]
fn a_misspelt_link_suggests_the_nearest_title_and_a_far_one_does_not() {
    let site =
        TestSite::new(&[("content/lithium.md", "# Lithium\n\nSee [[Lithum]] and [[Nowhere at all]].\n")]);
    let problems = build::build(&site.options()).unwrap_err();
    let help = |target: &str| {
        problems.iter().find(|d| d.message.contains(target)).and_then(|d| d.help.clone()).unwrap_or_default()
    };
    assert!(help("[[Lithum]]").starts_with("did you mean [[Lithium]]?"), "{}", list(&problems));
    assert!(!help("[[Nowhere at all]]").contains("did you mean"), "{}", list(&problems));
}

/// A collection's `_index.md` with no title and no `# heading` is named
/// after its folder (as Zola's and Hugo's section files are), not " index".
#[test]
fn an_untitled_collection_index_takes_its_folders_name() {
    let site = common::TestSite::new(&[
        ("content/rare-earths/_index.md", "The lanthanides and friends.\n"),
        ("content/rare-earths/neodymium.md", "+++\ntitle = \"Neodymium\"\n+++\nMagnets.\n"),
        ("content/_index.md", "Start at [[rare earths]].\n"),
    ]);
    site.build();
    let page = site.page("rare-earths/index.html");
    assert_eq!(common::text(&common::select(&page, "h1")[0]), "rare earths");
    let home = site.page("index.html");
    assert!(common::text(&common::select(&home, "main")[0]).contains("rare earths"));
}

/// A note whose alias differs from its title only in case claims one name,
/// not a name "also claimed by" itself (found on Obsidian's help vault).
#[test]
fn a_title_and_an_alias_differing_in_case_are_no_clash() {
    let site = common::TestSite::new(&[
        (
            "content/aliases.md",
            "+++\ntitle = \"Aliases\"\naliases = [\"aliases\", \"Other names\"]\n+++\nSee [[Home]].\n",
        ),
        ("content/home.md", "# Home\n\n[[Aliases]]\n"),
    ]);
    let report = site.build();
    let claimed: Vec<String> =
        report.warnings.iter().map(|d| d.to_string()).filter(|d| d.contains("claimed")).collect();
    assert!(claimed.is_empty(), "{claimed:#?}");
}

/// Inline code up to 24 characters is a plain `<code>`, which style.css
/// keeps on one line; longer code is `<code class="long">`, which may wrap
/// (a phone's line holds about 40 characters of code). Code blocks are
/// untouched.
#[test]
fn long_inline_code_is_marked_so_that_it_may_wrap() {
    let site = TestSite::new(&[(
        "content/a.md",
        "# A\n\nRun `lode eject --force` or `LODE_BLESS=1 cargo test --test manual <x>`.\n\n```\nlode build --base-url https://example.org/a/long/path/\n```\n\n[[A]]\n",
    )]);
    site.build();
    let page = site.page("a/index.html");
    let codes: Vec<(String, Option<String>)> = select(&page, ".note-body p code")
        .iter()
        .map(|c| (text(c), c.value().attr("class").map(str::to_string)))
        .collect();
    assert_eq!(
        codes,
        [
            ("lode eject --force".to_string(), None),
            ("LODE_BLESS=1 cargo test --test manual <x>".to_string(), Some("long".to_string()))
        ]
    );
    assert!(select(&page, ".note-body pre code.long").is_empty());
}

/// `[nav]` leaves the header's Graph or Revise link out (a manual has no
/// use for them) and the pages stay built; by default both are linked.
#[test]
fn nav_switches_the_graph_and_revise_links_off() {
    let files = [("content/a.md", "# A\n\n[[B]]\n"), ("content/b.md", "# B\n\n[[A]]\n")];
    let menu = |toml: &str| -> Vec<String> {
        let site = TestSite::new(&files);
        site.write("site.toml", &format!("title = \"T\"\n{toml}"));
        site.build();
        assert!(
            site.output().join("graph/index.html").is_file()
                && site.output().join("revise/index.html").is_file()
        );
        hrefs(&site.page("a/index.html"), ".site-nav a")
    };
    let all = menu("");
    assert!(
        all.iter().any(|h| h.ends_with("graph/")) && all.iter().any(|h| h.ends_with("revise/")),
        "{all:?}"
    );
    let no_graph = menu("[nav]\ngraph = false\n");
    assert!(!no_graph.iter().any(|h| h.ends_with("graph/")), "{no_graph:?}");
    assert!(no_graph.iter().any(|h| h.ends_with("revise/")), "{no_graph:?}");
    let neither = menu("[nav]\ngraph = false\nrevise = false\n");
    assert!(!neither.iter().any(|h| h.ends_with("graph/") || h.ends_with("revise/")), "{neither:?}");
    assert!(neither.iter().any(|h| h.ends_with("tags/")), "{neither:?}");
}

/// The collections in the site's menu follow their index notes' `weight`
/// (as Zola's sections and Hugo's menus do), then their folders: the
/// manual's "Getting started" (weight 1) came after "Deploying" (7).
#[test]
fn the_menu_lists_collections_by_weight_then_folder() {
    let site = TestSite::new(&[
        ("content/deploying/_index.md", "+++\ntitle = \"Deploying\"\nweight = 7\n+++\n"),
        ("content/deploying/pages.md", "+++\ntitle = \"Pages\"\n+++\nText.\n"),
        ("content/getting-started/_index.md", "+++\ntitle = \"Getting started\"\nweight = 1\n+++\n"),
        ("content/getting-started/install.md", "+++\ntitle = \"Install\"\n+++\nText.\n"),
        ("content/appendix/_index.md", "+++\ntitle = \"Appendix\"\n+++\n"),
        ("content/appendix/a.md", "+++\ntitle = \"A\"\n+++\nText.\n"),
        ("content/zeta/_index.md", "+++\ntitle = \"Zeta\"\n+++\n"),
        ("content/zeta/z.md", "+++\ntitle = \"Z\"\n+++\nText.\n"),
    ]);
    site.build();
    let page = site.page("deploying/pages/index.html");
    let menu: Vec<String> = select(&page, ".site-nav a").iter().map(text).collect();
    let collections: Vec<&str> = menu
        .iter()
        .map(String::as_str)
        .filter(|t| ["Deploying", "Getting started", "Appendix", "Zeta"].contains(t))
        .collect();
    assert_eq!(collections, ["Getting started", "Deploying", "Appendix", "Zeta"], "menu: {menu:?}");
}
