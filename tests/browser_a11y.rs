//! Accessibility: axe-core's WCAG 2.1 A/AA rules in headless Chromium find
//! no serious or critical violation on the flagship's pages, in the light
//! and the dark theme, at phone and desktop widths, served under
//! `/REPO/` by a plain static server as GitHub Pages would.
//!
//! Needs Debian's chromium and chromium-driver, and axe-core
//! (`npm ci --prefix tests/a11y`).

mod common;

use common::browser::Browser;
use common::static_server::serve_flagship_under_repo;

/// The pages a student meets: home, a collection, a mineral, a programme,
/// a country, tags and a parent tag's page, the timeline, the graph, revision and the 404 page.
const PAGES: &[&str] = &[
    "/REPO/",
    "/REPO/minerals/",
    "/REPO/minerals/lithium/",
    "/REPO/programmes/trust/",
    "/REPO/countries/india/",
    "/REPO/tags/",
    "/REPO/tags/sector/",
    "/REPO/timeline/",
    "/REPO/graph/",
    "/REPO/revise/",
    "/REPO/404.html",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flagship_pages_have_no_serious_accessibility_violations() {
    let (_tmp, server) = serve_flagship_under_repo();
    let mut found = Vec::new();
    for (width, height) in [(1280, 900), (390, 844)] {
        let browser = Browser::start(width, height).await;
        // Light, then dark: the theme switch's choice, kept in localStorage.
        for theme in ["light", "dark"] {
            for page in PAGES {
                browser.client.goto(&format!("http://{}{page}", server.addr)).await.unwrap();
                browser.eval(&format!("localStorage.setItem('lode-theme', '{theme}'); return true;")).await;
                browser.client.refresh().await.unwrap();
                browser.wait_until("document.readyState === 'complete'", page).await;
                let applied = browser.eval("return document.documentElement.dataset.theme || '';").await;
                assert_eq!(applied, theme, "{page}: the {theme} theme is applied");
                for violation in browser.axe().await {
                    found.push(format!("{page} at {width}px, {theme}: {violation}"));
                }
            }
        }
        browser.close().await;
    }
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}
