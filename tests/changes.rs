//! "What changed since your last visit", at build time: the record of each
//! note's and section's hash and last change (`_lode/changes.json`), dates
//! from git history (a real repository made with `git`), the fallback to
//! front matter, and `/changes/` with its Atom feed.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestSite, select, text};

fn texts(page: &scraper::Html, css: &str) -> Vec<String> {
    select(page, css).iter().map(text).collect()
}

/// Runs `git args` in `dir` with a fixed identity and both dates set to `date`.
fn git(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn read(site: &TestSite, path: &str) -> String {
    std::fs::read_to_string(site.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn record(site: &TestSite) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&read(site, "_lode/changes.json")).unwrap();
    json["notes"].clone()
}

/// A site of three notes: Tin and Lead committed on 2024-01-10, then Lead
/// edited and Zinc added on 2024-03-05; Copper never committed, with an
/// `updated` date in its front matter.
fn git_site() -> TestSite {
    let site = TestSite::new(&[
        ("site.toml", "title = \"Ores\"\nbase_url = \"https://example.org/ores/\"\n"),
        ("content/_index.md", "# Home\n\nSee [[Tin]], [[Lead]], [[Zinc]] and [[Copper]].\n"),
        ("content/metals/tin.md", "+++\ntitle = \"Tin\"\nsummary = \"Soft.\"\n+++\n## Uses\n\nSolder.\n"),
        (
            "content/metals/lead.md",
            "+++\ntitle = \"Lead\"\nupdated = 2020-01-01\n+++\n## Uses\n\nPipes.\n\n## Risks\n\nToxic.\n",
        ),
        (".gitignore", "public/\n"),
    ]);
    git(site.root(), "2024-01-10T09:00:00Z", &["init", "-q", "-b", "main"]);
    git(site.root(), "2024-01-10T09:00:00Z", &["add", "-A"]);
    git(site.root(), "2024-01-10T09:00:00Z", &["commit", "-q", "-m", "first"]);
    site.write(
        "content/metals/lead.md",
        "+++\ntitle = \"Lead\"\nupdated = 2020-01-01\n+++\n## Uses\n\nPipes, once.\n\n## Risks\n\nToxic.\n",
    );
    site.write("content/metals/zinc.md", "# Zinc\n\nGalvanising.\n");
    git(site.root(), "2024-03-05T16:30:00Z", &["add", "-A"]);
    git(site.root(), "2024-03-05T16:30:00Z", &["commit", "-q", "-m", "second"]);
    site.write("content/metals/copper.md", "+++\ntitle = \"Copper\"\nupdated = 2023-06-01\n+++\nWires.\n");
    site
}

#[test]
fn dates_come_from_git_history_then_front_matter() {
    let site = git_site();
    site.build();
    let notes = record(&site);
    let changed = |p: &str| notes[p]["changed"].as_str().map(str::to_string);
    assert_eq!(changed("metals/tin/").as_deref(), Some("2024-01-10T09:00:00Z"), "only in the first commit");
    assert_eq!(changed("metals/lead/").as_deref(), Some("2024-03-05T16:30:00Z"), "git wins over `updated`");
    assert_eq!(changed("metals/zinc/").as_deref(), Some("2024-03-05T16:30:00Z"), "added by the second");
    assert_eq!(changed("metals/copper/").as_deref(), Some("2023-06-01"), "not committed: its front matter");
    assert_eq!(notes["metals/lead/"]["source"], "git");
    assert_eq!(notes["metals/copper/"]["source"], "front matter");
    // Hashes: one per note, one per section, 16 hex digits.
    let lead = &notes["metals/lead/"];
    assert_eq!(lead["hash"].as_str().unwrap().len(), 16);
    let sections: Vec<&String> = lead["sections"].as_object().unwrap().keys().collect();
    assert_eq!(sections, ["uses", "risks"]);
    assert_eq!(lead["title"], "Lead");
}

#[test]
fn a_section_edit_changes_that_sections_hash_alone() {
    let site = git_site();
    site.build();
    let before = record(&site);
    site.write(
        "content/metals/lead.md",
        "+++\ntitle = \"Lead\"\nupdated = 2020-01-01\n+++\n## Uses\n\nPipes, once.\n\n## Risks\n\nVery toxic.\n",
    );
    site.build();
    let after = record(&site);
    let lead = |r: &serde_json::Value, k: &str| r["metals/lead/"][k].clone();
    assert_ne!(lead(&before, "hash"), lead(&after, "hash"));
    assert_eq!(lead(&before, "sections")["uses"], lead(&after, "sections")["uses"]);
    assert_ne!(lead(&before, "sections")["risks"], lead(&after, "sections")["risks"]);
    assert_eq!(before["metals/tin/"], after["metals/tin/"]);
}

#[test]
fn the_changes_page_and_feed_list_newest_first() {
    let site = git_site();
    site.build();
    let page = site.page("changes/index.html");
    let titles = texts(&page, ".changes-list li a");
    assert_eq!(titles, ["Lead", "Zinc", "Home", "Tin", "Copper"], "newest first, ties by permalink");
    let days = texts(&page, ".changes-list time");
    assert_eq!(days, ["2024-03-05", "2024-03-05", "2024-01-10", "2024-01-10", "2023-06-01"]);
    let xml = read(&site, "changes/atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
    let child = |node: roxmltree::Node, name: &str| {
        node.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).map(str::to_string)
    };
    assert_eq!(child(feed, "updated").as_deref(), Some("2024-03-05T16:30:00Z"));
    assert_eq!(child(feed, "id").as_deref(), Some("https://example.org/ores/changes/"));
    let entries: Vec<roxmltree::Node> = feed.children().filter(|c| c.has_tag_name("entry")).collect();
    let titles: Vec<String> = entries.iter().map(|e| child(*e, "title").unwrap()).collect();
    assert_eq!(titles, ["Lead", "Zinc", "Home", "Tin", "Copper"]);
    for e in &entries {
        for name in ["id", "updated", "title"] {
            assert!(child(*e, name).is_some(), "an Atom entry needs <{name}>");
        }
    }
    assert_eq!(child(entries[3], "updated").as_deref(), Some("2024-01-10T09:00:00Z"));
    assert_eq!(child(entries[4], "updated").as_deref(), Some("2023-06-01T00:00:00Z"));
    assert_eq!(child(entries[0], "id").as_deref(), Some("https://example.org/ores/metals/lead/"));
    assert!(read(&site, "sitemap.xml").contains("https://example.org/ores/changes/"));
}

#[test]
fn a_shallow_clone_and_a_folder_without_git_build() {
    let origin = git_site();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.root().display());
    git(clone.path(), "2024-03-05T16:30:00Z", &["clone", "-q", "--depth", "1", &url, "site"]);
    let shallow = TestSite { dir: clone, cache: tempfile::tempdir().unwrap() };
    let root = shallow.root().join("site");
    assert!(root.join(".git/shallow").is_file(), "the clone is shallow");
    // Copper was never committed: the clone has it as a new file.
    std::fs::write(root.join("content/metals/copper.md"), "# Copper\n\nWires.\n").unwrap();
    lode::build::build(&lode::build::BuildOptions::new(&root)).expect("a shallow clone builds");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("public/_lode/changes.json")).unwrap())
            .unwrap();
    // The one commit there is stands for all history before it.
    assert_eq!(json["notes"]["metals/tin/"]["changed"], "2024-03-05T16:30:00Z");
    assert_eq!(json["notes"]["metals/lead/"]["changed"], "2024-03-05T16:30:00Z");

    let plain = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        ("content/a.md", "+++\ntitle = \"A\"\ndate = 2022-02-02\n+++\nA.\n"),
        ("content/b.md", "# B\n\nNo date.\n"),
    ]);
    plain.build();
    let notes = record(&plain);
    assert_eq!(notes["a/"]["changed"], "2022-02-02");
    assert!(notes["b/"]["changed"].is_null());
    let page = plain.page("changes/index.html");
    assert_eq!(texts(&page, ".changes-list li a"), ["A"]);
}

/// `lode serve`'s session: a rebuild after an edit rewrites the record with
/// the edited section's new hash, and `/changes/` stays.
#[test]
fn a_serve_rebuild_updates_the_record() {
    let site = git_site();
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).expect("first build");
    let json = |session: &lode::build::Session| -> serde_json::Value {
        match session.files().get("_lode/changes.json") {
            Some(lode::output::OutputFile::Bytes(bytes)) => serde_json::from_slice(bytes).unwrap(),
            other => panic!("no record in memory: {other:?}"),
        }
    };
    let before = json(&session);
    let path = "content/metals/tin.md";
    site.write(path, "+++\ntitle = \"Tin\"\nsummary = \"Soft.\"\n+++\n## Uses\n\nSolder, and tin cans.\n");
    let update = session.rebuild(&[site.root().join(path)]).expect("rebuild");
    assert!(update.changed.iter().any(|p| p == "_lode/changes.json"), "{:?}", update.changed);
    let after = json(&session);
    let tin = |r: &serde_json::Value| r["notes"]["metals/tin/"]["sections"]["uses"].clone();
    assert_ne!(tin(&before), tin(&after));
    assert_eq!(before["notes"]["metals/lead/"], after["notes"]["metals/lead/"]);
    assert!(session.files().contains_key("changes/index.html"));
}

/// `/changes/` is Lode's: a note there is an error (it would overwrite the
/// page, or be overwritten); a note under the folder is not.
#[test]
fn a_note_at_changes_is_an_error() {
    let site = TestSite::new(&[("content/changes.md", "# Mine\n\nText.\n")]);
    let problems = site.build_err();
    let d = problems
        .iter()
        .find(|d| d.message.contains("/changes/"))
        .unwrap_or_else(|| panic!("{}", common::list(&problems)));
    assert!(d.message.contains("keeps for the list of recent changes"), "{}", d.message);
    let below =
        TestSite::new(&[("content/_index.md", "# Home\n"), ("content/changes/log.md", "# Log\n\nText.\n")]);
    below.build();
    assert!(below.output().join("changes/log/index.html").is_file());
    assert!(below.output().join("changes/index.html").is_file());
}

/// `/changes/` lists the newest `PAGE_ENTRIES` (500) notes and says how many
/// it leaves out; at 100,000 dated notes the whole list was a 21 MB page and a
/// third of the build's memory. Both feeds carry the newest 50.
#[test]
fn the_changes_page_lists_the_newest_500_and_the_feeds_50() {
    let notes: Vec<(String, String)> = (0..503)
        .map(|i| {
            // Days 2020-01-01 + i: note 502 is the newest.
            let day = time::Date::from_ordinal_date(2020, 1).unwrap() + time::Duration::days(i);
            (
                format!("content/n{i:03}.md"),
                format!("+++\ntitle = \"N{i:03}\"\nupdated = {day}\n+++\nText.\n"),
            )
        })
        .collect();
    let mut files: Vec<(&str, &str)> = notes.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    files.push(("content/_index.md", "# Home\n"));
    let site = TestSite::new(&files);
    site.build();
    let page = site.page("changes/index.html");
    let titles = texts(&page, ".changes-list li a");
    assert_eq!(titles.len(), lode::changes::PAGE_ENTRIES);
    assert_eq!(titles.first().map(String::as_str), Some("N502"), "newest first");
    assert_eq!(titles.last().map(String::as_str), Some("N003"), "the three oldest left out");
    let said = texts(&page, ".changes-page p.muted");
    assert!(said.iter().any(|p| p.contains("500 most recently changed of 503")), "{said:?}");
    let xml = read(&site, "changes/atom.xml");
    assert_eq!(xml.matches("<entry>").count(), lode::changes::FEED_ENTRIES);
    // The site's feed carries the newest 50 too (it held all 503: at 100,000
    // notes a 52 MB feed).
    let xml = read(&site, "atom.xml");
    assert_eq!(xml.matches("<entry>").count(), lode::changes::FEED_ENTRIES);
    assert!(xml.find("<title>N502</title>") < xml.find("<title>N453</title>"), "newest first");
    assert!(!xml.contains("<title>N452</title>"));

    // Under the limit the page says nothing of the kind.
    let small = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        ("content/a.md", "+++\ntitle = \"A\"\ndate = 2022-02-02\n+++\nA.\n"),
    ]);
    small.build();
    assert!(texts(&small.page("changes/index.html"), ".changes-page p.muted").is_empty());
}
