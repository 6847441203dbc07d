//! A vault as Obsidian users write them (tests/fixtures/vault-links/) builds
//! with every link pointing where Obsidian would point it
//! (<https://help.obsidian.md/links>, /embeds, /file-formats): file names
//! before titles and aliases, names with dots, embeds of other sections of
//! the same note.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{hrefs, select, text};
use lode::build::{self, BuildOptions, BuildReport};
use scraper::{Html, Selector};

/// The fixture, copied into a temp dir and built there.
struct Vault {
    dir: tempfile::TempDir,
    report: BuildReport,
}

impl Vault {
    fn build() -> Vault {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-links");
        let dir = tempfile::tempdir().expect("temp dir");
        for entry in walkdir::WalkDir::new(&fixture).into_iter().filter_map(Result::ok) {
            let rel = entry.path().strip_prefix(&fixture).unwrap();
            let to = dir.path().join(rel);
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(entry.path(), &to).unwrap();
            }
        }
        let report = match build::build(&BuildOptions::new(dir.path())) {
            Ok(report) => report,
            Err(problems) => panic!("build failed:\n{}", common::list(&problems)),
        };
        Vault { dir, report }
    }

    fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn page(&self, path: &str) -> Html {
        let text =
            std::fs::read_to_string(self.output().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        Html::parse_document(&text)
    }
}

/// Every `href` and `src` of every page, percent-decoded and followed from
/// the page's folder, names a file that was written, and every fragment an
/// element id on that page. Returns the problems and how many URLs were checked.
fn check_every_url(output: &Path) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut checked = 0;
    let attrs = Selector::parse("[href], [src]").unwrap();
    for entry in walkdir::WalkDir::new(output).into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "html") {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "404.html" {
            continue;
        }
        let page_dir = format!("/{}", rel.trim_end_matches("index.html"));
        let html = Html::parse_document(&std::fs::read_to_string(entry.path()).unwrap());
        for el in html.select(&attrs) {
            for url in ["href", "src"].iter().filter_map(|a| el.value().attr(a)) {
                if url.contains("://") || url.starts_with("mailto:") || url.starts_with("data:") {
                    continue;
                }
                checked += 1;
                if url.contains(' ') || !url.is_ascii() {
                    problems.push(format!("{rel}: {url} is not percent-encoded"));
                }
                let decoded = percent_encoding::percent_decode_str(url).decode_utf8().unwrap().into_owned();
                let (path, fragment) = common::resolve_url(&page_dir, &decoded);
                let file = common::file_for(output, &path);
                if !file.is_file() {
                    problems.push(format!("{rel}: {url} → {} is missing", file.display()));
                    continue;
                }
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && file.extension().is_some_and(|e| e == "html")
                {
                    let target = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
                    let ids: BTreeSet<String> = select(&target, "[id]")
                        .iter()
                        .filter_map(|e| e.value().attr("id").map(str::to_string))
                        .collect();
                    if !ids.contains(&f) {
                        problems.push(format!("{rel}: {url} → no element with id \"{f}\""));
                    }
                }
            }
        }
    }
    (problems, checked)
}

#[test]
fn every_url_of_the_vault_names_a_written_file() {
    let vault = Vault::build();
    let (problems, checked) = check_every_url(&vault.output());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(checked > 50, "only {checked} URLs checked");
}

#[test]
fn a_file_name_outranks_titles_and_aliases() {
    let vault = Vault::build();
    let linker = vault.page("notes/linker/index.html");
    let links = hrefs(&linker, ".note-body > p > a");
    assert_eq!(
        links,
        vec![
            // An alias in the same folder loses to the file lithium.md (matched ignoring case).
            "../../minerals/lithium/",
            // A heading title in the same folder loses to the file Cobalt.md.
            "../../minerals/cobalt/",
            // A front-matter title beats a heading title, though farther away.
            "../../minerals/nickel-front/",
            "../../v1-2/",
            "../../diagram-excalidraw/",
        ]
    );
    // Two heading titles "Overview" in other folders do not make it ambiguous.
    assert_eq!(hrefs(&vault.page("index.html"), ".note-body > p > a"), vec!["notes/linker/", "overview/"]);
    assert!(
        vault.report.warnings.iter().all(|d| !d.message.starts_with("link ")),
        "{}",
        common::list(&vault.report.warnings)
    );
    // An orphan's help suggests a link that reaches it: not the heading
    // title "Cobalt", which names the file Cobalt.md.
    let orphan = vault.report.warnings.iter().find(|d| d.file == "content/notes/cobalt-notes.md").unwrap();
    assert!(orphan.help.as_deref().unwrap().contains("[[cobalt-notes]]"), "{orphan}");
}

#[test]
fn names_with_dots_embed_the_note_when_no_file_has_the_name() {
    let vault = Vault::build();
    let linker = vault.page("notes/linker/index.html");
    let embeds: Vec<String> = select(&linker, ".embed").iter().map(text).collect();
    assert_eq!(embeds.len(), 2, "{embeds:?}");
    assert!(embeds[0].contains("Release notes of v1.2."), "{}", embeds[0]);
    assert!(embeds[1].contains("Excalidraw drawing text."), "{}", embeds[1]);
}

#[test]
fn another_section_of_the_same_note_embeds() {
    let vault = Vault::build();
    let page = vault.page("notes/sections/index.html");
    let embeds: Vec<String> = select(&page, ".embed").iter().map(text).collect();
    assert_eq!(embeds.len(), 2, "{embeds:?}");
    assert!(embeds[0].contains("Second text.") && !embeds[0].contains("Third text."), "{}", embeds[0]);
    assert!(embeds[1].contains("Third text.") && !embeds[1].contains("Second text."), "{}", embeds[1]);
    assert!(select(&page, ".embed-link").is_empty(), "no embed became a link");
    assert!(
        vault.report.warnings.iter().all(|d| !d.message.starts_with("embedding")),
        "{}",
        common::list(&vault.report.warnings)
    );
}
