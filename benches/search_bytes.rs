//! What search costs a reader and a build: `cargo bench --bench search_bytes`.
//!
//! For the flagship site and each generated size in `LODE_BENCH_NOTES`
//! (default `10000`; `corpus.rs` writes the notes, under `TMPDIR`), builds
//! the site with `lode build --verbose` for `https://example.org/REPO/`,
//! then prints: the time of the build's "search index" stage, the bytes of
//! the index on disk (`_lode/search/`), and the bytes a first query for
//! "refining" downloads. That last figure is measured in headless Chromium
//! (needs chromium and chromium-driver) on a plain static server, through
//! the search dialog itself: the page's search button is clicked, the query
//! typed, and once the first ten results are drawn every fetch under
//! `_lode/search/` is read from the page's resource timing. The static
//! server sends the files as they are; each is also given gzipped (level
//! 6, about what GitHub Pages sends for JSON), read from the disk.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;
// The same browser and static server the integration tests use.
#[path = "../tests/common/browser.rs"]
#[allow(dead_code)]
mod browser;
#[path = "../tests/common/static_server.rs"]
#[allow(dead_code)]
mod static_server;
// static_server.rs reaches its HTTP GET through `super::server`.
#[path = "../tests/common/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::Path;
use std::process::Command;

use browser::Browser;
use static_server::StaticServer;

/// Builds `root` into `out/REPO`; returns the "search index" stage's time in ms.
fn build(root: &Path, out: &Path) -> f64 {
    let run = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["build", "--verbose", "--base-url", "https://example.org/REPO/", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.join("REPO"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run lode build");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let stdout = String::from_utf8_lossy(&run.stdout);
    print!("{stdout}");
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("search index")?.trim().strip_suffix("ms")?.trim().parse().ok())
        .unwrap_or(0.0)
}

fn bytes_under(dir: &Path) -> (u64, usize) {
    let mut total = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            let (b, n) = bytes_under(&entry.path());
            total = (total.0 + b, total.1 + n);
        } else {
            total = (total.0 + entry.metadata().unwrap().len(), total.1 + 1);
        }
    }
    total
}

/// The files the first query for `term` fetched through the dialog (path
/// under `_lode/search/`, bytes over the wire), the results found, and
/// their sum.
async fn first_query(out: &Path, page: &str, term: &str) -> serde_json::Value {
    let server = StaticServer::start(out);
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("http://{}/REPO/{page}", server.addr)).await.unwrap();
    let result = browser
        .client
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 (async () => {{
                   const button = document.querySelector('.search-button');
                   while (button.hidden) await new Promise(r => setTimeout(r, 10));
                   button.click();
                   const input = document.getElementById('search-input');
                   input.value = {term:?};
                   input.dispatchEvent(new Event('input'));
                   const results = document.getElementById('search-results');
                   while (results.dataset.query !== {term:?}) await new Promise(r => setTimeout(r, 10));
                   const fetched = performance.getEntriesByType('resource').filter(e => e.name.includes('/_lode/search/'));
                   done({{ results: document.querySelector('.search-status').textContent,
                           files: fetched.map(e => [e.name.split('/_lode/search/')[1].split('?')[0], e.transferSize]),
                           bytes: fetched.reduce((n, e) => n + e.transferSize, 0) }});
                 }})().catch(e => done({{ error: String(e) }}));"
            ),
            vec![],
        )
        .await
        .expect("measure the first query");
    browser.close().await;
    result
}

/// The bytes of `file` gzipped at level 6.
fn gzipped(file: &Path) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    encoder.write_all(&std::fs::read(file).unwrap()).unwrap();
    encoder.finish().unwrap().len()
}

fn report(name: &str, root: &Path, page: &str, runtime: &tokio::runtime::Runtime) {
    let out = tempfile::tempdir().unwrap();
    let millis = build(root, out.path());
    let index = out.path().join("REPO/_lode/search");
    let (bytes, files) = bytes_under(&index);
    let query = runtime.block_on(first_query(out.path(), page, "refining"));
    let fetched = query["files"].as_array().cloned().unwrap_or_default();
    let zipped: usize = fetched.iter().map(|f| gzipped(&index.join(f[0].as_str().unwrap()))).sum();
    println!("{name}: search index stage {millis:.0} ms; index {bytes} bytes in {files} files");
    println!("{name}: first query for \"refining\": {query}");
    println!("{name}: first query gzipped: {zipped} bytes in {} files", fetched.len());
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    report("flagship", Path::new(env!("CARGO_MANIFEST_DIR")), "minerals/cobalt/", &runtime);
    let sizes = std::env::var("LODE_BENCH_NOTES").unwrap_or_else(|_| "10000".into());
    for n in sizes.split(',').filter_map(|s| s.trim().parse::<usize>().ok()) {
        let dir = tempfile::tempdir().unwrap();
        corpus::generate(dir.path(), n).expect("generate the corpus");
        // Any note page: the index is found from the page's path to the root.
        report(&format!("{n} notes"), dir.path(), "", &runtime);
    }
}
