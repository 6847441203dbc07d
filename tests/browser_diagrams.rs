//! Code and diagrams in a real browser (headless Chromium), on the fixture
//! `tests/fixtures/code/` served under a sub-path (`/sub/`): a Mermaid
//! block becomes an `<svg>` drawn by the site's own copy of Mermaid, a page
//! without a diagram loads none of it, and the highlighted code passes
//! axe-core (contrast included) in light and dark.
//!
//! Needs Debian's chromium and chromium-driver, and axe-core
//! (`npm ci --prefix tests/a11y`).

mod common;

use std::path::Path;

use common::browser::Browser;
use common::static_server::StaticServer;
use lode::build::{self, BuildOptions};

/// The resources the page fetched whose URL names Mermaid.
const MERMAID_FETCHED: &str = "return performance.getEntriesByType('resource').map(e => e.name).filter(n => /mermaid|diagrams\\.js/.test(n));";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mermaid_block_becomes_an_svg_and_other_pages_load_no_mermaid() {
    let out = tempfile::tempdir().unwrap();
    // The fixture, plus a page whose first diagram Mermaid cannot parse (its
    // type is known, so the build accepts it) before one it can.
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/code"),
        site.path(),
        |_| true,
    );
    std::fs::write(
        site.path().join("content/code/broken-diagram.md"),
        "+++\ntitle = \"Broken diagram\"\n+++\n\nBack to [[Code]].\n\n```mermaid\nflowchart LR\n  A -->\n```\n\n```mermaid\ngraph TD\n  C[Cobalt] --> D[Cathode]\n```\n",
    )
    .unwrap();
    let options = BuildOptions { output: Some(out.path().join("sub")), ..BuildOptions::new(site.path()) };
    // Built off the test's async runtime: the search index starts one of its own.
    std::thread::spawn(move || build::build(&options).map(|_| ()).map_err(|e| common::list(&e)))
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let server = StaticServer::start(out.path());
    let browser = Browser::start(1280, 900).await;

    browser.client.goto(&format!("http://{}/sub/code/diagram/", server.addr)).await.unwrap();
    browser.wait_until("document.querySelector('pre.mermaid svg')", "the diagram drawn as SVG").await;
    let labels = browser.eval("return document.querySelector('pre.mermaid svg').textContent;").await;
    let labels = labels.as_str().unwrap_or_default().to_string();
    assert!(labels.contains("Lithium") && labels.contains("Battery"), "{labels}");
    let fetched = browser.eval(MERMAID_FETCHED).await;
    let fetched: Vec<String> = serde_json::from_value(fetched).unwrap();
    assert!(fetched.iter().any(|u| u.ends_with("/sub/_lode/mermaid/mermaid.min.js")), "{fetched:?}");

    // A diagram Mermaid cannot parse keeps its source in view, with the
    // error after it, and the page's next diagram still draws (the broken
    // one was left empty, with no message, before).
    browser.client.goto(&format!("http://{}/sub/code/broken-diagram/", server.addr)).await.unwrap();
    browser.wait_until("document.querySelector('p.mermaid-error')", "the broken diagram's message").await;
    browser
        .wait_until("document.querySelectorAll('pre.mermaid svg').length === 1", "the good diagram drawn")
        .await;
    let broken = browser.eval("return document.querySelector('pre.mermaid-failed').textContent;").await;
    assert!(broken.as_str().unwrap_or_default().contains("A -->"), "{broken}");
    let message = browser.eval("return document.querySelector('p.mermaid-error').textContent;").await;
    assert!(message.as_str().unwrap_or_default().starts_with("This diagram could not be drawn"), "{message}");

    browser.client.goto(&format!("http://{}/sub/code/plain/", server.addr)).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the page without a diagram").await;
    assert_eq!(browser.eval(MERMAID_FETCHED).await, serde_json::json!([]));
    assert_eq!(browser.eval("return typeof window.mermaid;").await, serde_json::json!("undefined"));

    browser.client.goto(&format!("http://{}/sub/code/showcase/", server.addr)).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the code page").await;
    for theme in ["light", "dark"] {
        browser.eval(&format!("document.documentElement.dataset.theme = '{theme}'; return true;")).await;
        let problems = browser.axe().await;
        assert!(problems.is_empty(), "code page, {theme}:\n{}", problems.join("\n"));
    }
    browser.close().await;
}
