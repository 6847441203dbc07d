//! Callouts and maths of a vault in a real browser (headless Chromium), at
//! a phone's and a desktop's width, light and dark: nothing makes the page
//! scroll sideways, a folded callout opens from the keyboard without
//! JavaScript's help, and axe-core finds no serious or critical problem.
//!
//! Needs Debian's chromium and chromium-driver, and axe-core
//! (`npm ci --prefix tests/a11y`).

mod common;

use std::path::Path;

use common::browser::Browser;
use common::static_server::StaticServer;
use fantoccini::Locator;
use fantoccini::key::Key;
use lode::build::{self, BuildOptions};

/// Elements sticking out past the right edge of the viewport, outside any
/// scrolling box: what would make the page scroll sideways.
const STICKING_OUT: &str = "const w = document.documentElement.clientWidth;
    const scrolls = e => { for (let x = e.parentElement; x && x !== document.body; x = x.parentElement)
      if (getComputedStyle(x).overflowX !== 'visible') return true; return false; };
    return [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > w + 1 && !scrolls(e))
      .slice(0, 5).map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 40));";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callouts_and_maths_fit_a_phone_and_pass_axe_light_and_dark() {
    let out = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-callouts-math");
    let options = BuildOptions { output: Some(out.path().join("site")), ..BuildOptions::new(&fixture) };
    // Built off the test's async runtime: the search index starts one of its own.
    std::thread::spawn(move || build::build(&options).map(|_| ()).map_err(|e| common::list(&e)))
        .join()
        .unwrap()
        .unwrap_or_else(|e| panic!("{e}"));
    let server = StaticServer::start(&out.path().join("site"));

    for (width, height) in [(390, 844), (1280, 900)] {
        let browser = Browser::start(width, height).await;
        for page in ["callouts", "maths"] {
            browser.client.goto(&format!("http://{}/{page}/", server.addr)).await.unwrap();
            browser.wait_until("document.readyState === 'complete'", page).await;
            for theme in ["light", "dark"] {
                browser
                    .eval(&format!("document.documentElement.dataset.theme = '{theme}'; return true;"))
                    .await;
                let out = browser.eval(STICKING_OUT).await;
                assert_eq!(out, serde_json::json!([]), "/{page}/ at {width} px, {theme}: sticks out");
                let problems = browser.axe().await;
                assert!(problems.is_empty(), "/{page}/ at {width} px, {theme}:\n{}", problems.join("\n"));
            }
        }
        browser.close().await;
    }

    // A folded callout is a <details>: it opens from the keyboard.
    let browser = Browser::start(390, 844).await;
    browser.client.goto(&format!("http://{}/callouts/", server.addr)).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the callouts page").await;
    let closed = "document.querySelector('details.callout:not([open])')";
    browser.wait_until(closed, "a folded callout").await;
    browser.eval(&format!("{closed}.setAttribute('data-probe', ''); return true;")).await;
    let summary = browser.client.find(Locator::Css("details[data-probe] > summary")).await.unwrap();
    summary.send_keys(Key::Enter.to_string().as_str()).await.unwrap();
    browser.wait_until("document.querySelector('details[data-probe]').open", "the callout opened").await;
    browser.close().await;
}
