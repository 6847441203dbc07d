//! Save-to-reload latency of `lode serve`: `cargo bench --bench serve_latency`.
//!
//! Starts the release `lode serve` on a free port against a site, opens the
//! live-reload event stream as a browser does, then 30 times (or
//! `LODE_BENCH_EDITS`) edits one note and measures the time from the write
//! to the `reload` event naming that note's page. Two kinds of edit:
//!
//! - `body`: a sentence appended to the body (only the pages showing it change);
//! - `title`: the title of the most linked note changed (the old one kept as
//!   an alias so links still resolve): an identity edit, after which the
//!   pages that can show the note are rendered again (the pages linking to
//!   it, its collection and tag pages, the pager of its neighbours, related
//!   lists, local graphs within two links) and compared byte for byte. The
//!   bench prints how many of the linking pages the reload named (a
//!   `[[Old title]]` link keeps its text, so their bytes may not change).
//!
//! - `search`: a sentence with a new word appended to the body, measured until
//!   the served search index (`_lode/search/`) holds the word: the index is
//!   swapped in by a background thread after the reload, re-reading only the
//!   changed pages. The bench polls `meta.json` and the word's chunk every
//!   10 ms (a bench, not a test: the server sends no event for the index).
//!
//! Prints p50, p95 and max in milliseconds for the flagship site (a copy of
//! this repository's, body edits) and for each generated size in
//! `LODE_BENCH_NOTES` (default `1000,10000`, both edits). The watcher's
//! debounce (15 ms) is included, as a user feels it.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;
// The same `lode serve` driver the integration tests use.
#[path = "../tests/common/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use server::Server;

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// An edit: the note's original text and the edit's number give the new text.
type Edit = fn(&str, usize) -> String;

fn body_edit(original: &str, i: usize) -> String {
    format!("{original}\nEdit number {i} for the latency benchmark.\n")
}

/// Renames the note (`Title` → `Title (edit i)`), keeping `Title` as an alias.
fn title_edit(original: &str, i: usize) -> String {
    let line = original.lines().find(|l| l.starts_with("title = ")).expect("a title line");
    let title = line.trim_start_matches("title = ");
    original.replacen(
        line,
        &format!("title = \"{} (edit {i})\"\naliases = [{title}]", title.trim_matches('"')),
        1,
    )
}

/// Edits `note` (relative to the root) `edits` times; returns latencies in
/// ms until a reload names `page`. Prints how many of `also` the last reload named.
fn measure(root: &Path, note: &str, page: &str, also: &[String], edit: Edit, edits: usize) -> Vec<f64> {
    let server = Server::start(root);
    std::thread::sleep(Duration::from_millis(300));
    let path = root.join(note);
    let original = std::fs::read_to_string(&path).expect("read note");
    let mut out = Vec::new();
    for i in 0..edits {
        // Past the burst window, so each edit is a lone save.
        std::thread::sleep(Duration::from_millis(350));
        server.drain(Duration::ZERO);
        let start = Instant::now();
        std::fs::write(&path, edit(&original, i)).expect("write");
        let data = server.expect("reload", |data| data.contains(page));
        if i + 1 == edits && !also.is_empty() {
            let named = also.iter().filter(|p| data.contains(p.as_str())).count();
            println!("{:>12} (the last reload named {named} of the {} linking pages)", "", also.len());
        }
        out.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&path, original).expect("restore");
    out
}

/// Appends a sentence with the new word `searchprobeI` to a note.
fn probe_edit(original: &str, i: usize) -> String {
    format!("{original}\nSearchprobe{i} is a word no other note has.\n")
}

/// Whether the served index holds `term`: its chunk is the last whose first
/// term is not after it (terms are lowercase ASCII here, so byte order is
/// the index's UTF-16 order).
fn indexed(server: &Server, term: &str) -> bool {
    let (status, meta) = server.get("/_lode/search/meta.json");
    if status != 200 {
        return false;
    }
    let meta: serde_json::Value = serde_json::from_str(&meta).expect("meta.json is JSON");
    let chunks = meta["chunks"].as_array().expect("chunks");
    let Some(k) = chunks.iter().rposition(|first| first.as_str().is_some_and(|f| f <= term)) else {
        return false;
    };
    let (_, chunk) = server.get(&format!("/_lode/search/terms/{k}.json"));
    chunk.contains(&format!("\"{term}\":"))
}

/// Edits `note` `edits` times with [`probe_edit`]; returns the latencies in
/// ms from each write until the served search index holds its new word.
fn measure_search(root: &Path, note: &str, edits: usize) -> Vec<f64> {
    let server = Server::start(root);
    // The first index is built after the first build: wait for it.
    while server.get("/_lode/search/meta.json").0 != 200 {
        std::thread::sleep(Duration::from_millis(50));
    }
    let path = root.join(note);
    let original = std::fs::read_to_string(&path).expect("read note");
    let mut out = Vec::new();
    for i in 0..edits {
        std::thread::sleep(Duration::from_millis(350));
        let start = Instant::now();
        std::fs::write(&path, probe_edit(&original, i)).expect("write");
        let term = format!("searchprobe{i}");
        while !indexed(&server, &term) {
            assert!(start.elapsed() < Duration::from_secs(120), "{term} never reached the index");
            std::thread::sleep(Duration::from_millis(10));
        }
        out.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&path, original).expect("restore");
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{name:>12} {:>6} {:>8.1} {:>8.1} {:>8.1}",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(0.0)
    );
}

fn main() {
    let edits: usize = std::env::var("LODE_BENCH_EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let sizes: Vec<usize> = std::env::var("LODE_BENCH_NOTES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("{:>12} {:>6} {:>8} {:>8} {:>8}", "site", "edits", "p50 ms", "p95 ms", "max ms");

    let flagship = tempfile::tempdir().expect("temp dir");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "templates", "static"] {
        copy_dir(&repo.join(part), &flagship.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), flagship.path().join("site.toml")).expect("site.toml");
    report(
        "flagship",
        measure(
            flagship.path(),
            "content/minerals/lithium.md",
            "minerals/lithium/index.html",
            &[],
            body_edit,
            edits,
        ),
    );

    for notes in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        corpus::generate(dir.path(), notes).expect("corpus");
        // The first note of the first collection: any note will do.
        let note = walkdir::WalkDir::new(dir.path().join("content"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
            .expect("a note")
            .into_path();
        let rel = note.strip_prefix(dir.path()).expect("inside").to_string_lossy().to_string();
        let page = format!("{}/index.html", rel.trim_start_matches("content/").trim_end_matches(".md"));
        report(&format!("{notes} body"), measure(dir.path(), &rel, &page, &[], body_edit, edits));
        report(&format!("{notes} search"), measure_search(dir.path(), &rel, edits));
        // The most linked note: every page linking to it (by title) shows its title.
        let content = dir.path().join("content");
        let notes_text: Vec<(String, String)> = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.file_name() != "_index.md")
            .map(|e| {
                let rel = e.path().strip_prefix(dir.path()).expect("inside").to_string_lossy().to_string();
                (rel, std::fs::read_to_string(e.path()).expect("read note"))
            })
            .collect();
        let mut linkers: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
        for (rel, text) in &notes_text {
            for link in text.split("[[").skip(1) {
                let title = link.split([']', '|', '#']).next().unwrap_or("");
                let from = linkers.entry(title).or_default();
                if from.last() != Some(&rel.as_str()) {
                    from.push(rel);
                }
            }
        }
        let (rel, text) = notes_text
            .iter()
            .max_by_key(|(_, text)| {
                let title = text.lines().find(|l| l.starts_with("title = ")).unwrap_or("");
                linkers.get(title.trim_start_matches("title = ").trim_matches('"')).map_or(0, Vec::len)
            })
            .expect("a note");
        let title = text.lines().find(|l| l.starts_with("title = ")).expect("title");
        let page_of =
            |rel: &str| format!("{}/index.html", rel.trim_start_matches("content/").trim_end_matches(".md"));
        let linking: Vec<String> = linkers[title.trim_start_matches("title = ").trim_matches('"')]
            .iter()
            .map(|r| page_of(r))
            .collect();
        println!("{:>12} (title edits of {rel}, linked from {} pages)", "", linking.len());
        let (rel, page) = (rel.clone(), page_of(rel));
        report(&format!("{notes} title"), measure(dir.path(), &rel, &page, &linking, title_edit, edits));
    }
}
