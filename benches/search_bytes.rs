//! What search costs a reader and a build: `cargo bench --bench search_bytes`.
//!
//! For the flagship site and each generated size in `LODE_BENCH_NOTES`
//! (default `10000`; `corpus.rs` writes the notes, under `TMPDIR`), builds
//! the site with `lode build --verbose` for `https://example.org/REPO/`,
//! then prints: the time of the build's "search index" stage, the bytes of
//! the index on disk (`pagefind/`), and the bytes a first query for
//! "refining" downloads. That last figure is measured in headless Chromium
//! (needs chromium and chromium-driver) on a plain static server: the page
//! loads `pagefind/pagefind.js` the way the search dialog does, runs the
//! query on the main thread (so that every fetch shows in the page's
//! resource timing; the dialog runs it in Pagefind's worker, which fetches
//! the same files) and loads the ten results the dialog shows. The worker
//! script the dialog also loads is printed apart.

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

/// (bytes over the wire, files) of the first query for `term`, and the
/// worker script's bytes.
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
                   const root = new URL(document.querySelector('.search-button').dataset.searchRoot, location.href);
                   const pagefind = await import(new URL('pagefind/pagefind.js', root).href);
                   const search = pagefind.createInstance({{ noWorker: true, basePath: new URL('pagefind/', root).pathname, baseUrl: root.pathname }});
                   const found = await search.search({term:?});
                   await Promise.all(found.results.slice(0, 10).map(r => r.data()));
                   const fetched = performance.getEntriesByType('resource').filter(e => e.name.includes('/pagefind/'));
                   const worker = await fetch(new URL('pagefind/pagefind-worker.js', root)).then(r => r.arrayBuffer());
                   done({{ results: found.results.length,
                           files: fetched.map(e => [e.name.split('/pagefind/')[1], e.transferSize]),
                           bytes: fetched.reduce((n, e) => n + e.transferSize, 0),
                           worker: worker.byteLength }});
                 }})().catch(e => done({{ error: String(e) }}));"
            ),
            vec![],
        )
        .await
        .expect("measure the first query");
    browser.close().await;
    result
}

fn report(name: &str, root: &Path, page: &str, runtime: &tokio::runtime::Runtime) {
    let out = tempfile::tempdir().unwrap();
    let millis = build(root, out.path());
    let (bytes, files) = bytes_under(&out.path().join("REPO/pagefind"));
    let query = runtime.block_on(first_query(out.path(), page, "refining"));
    println!("{name}: search index stage {millis:.0} ms; index {bytes} bytes in {files} files");
    println!("{name}: first query for \"refining\": {query}");
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
