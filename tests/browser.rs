//! A real browser (Debian's headless Chromium, driven over WebDriver by
//! chromium-driver) reloads a served page by itself after a save, and shows
//! the diagnostics overlay after a bad save.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`
//! (`apt-get install chromium chromium-driver`); without them the test fails
//! and says so.

mod common;

use common::TestSite;
use common::browser::Browser;
use common::server::Server;
use fantoccini::Locator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_reloads_after_a_save_and_shows_the_overlay_after_a_bad_one() {
    let site = TestSite::new(&[
        ("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nFirst version, see [[China]].\n"),
        ("content/china.md", "# China\n"),
        ("static/style.css", "pre { background: #f1efe8; }\n"),
    ]);
    let server = Server::start(site.root());
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;

    client.goto(&format!("http://{}/lithium/", server.addr)).await.unwrap();
    browser.wait_until("document.body.innerText.includes('First version')", "the page").await;
    // Wait until the page's event stream is connected, then mark this page load.
    browser.wait_until("document.documentElement.dataset.lodeLive === 'connected'", "the event stream").await;
    client.execute("window.__before_save = true; return true;", vec![]).await.unwrap();

    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nSecond version, see [[China]].\n");
    browser
        .wait_until(
            "!window.__before_save && document.body.innerText.includes('Second version')",
            "the reload",
        )
        .await;

    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nBroken [[Nowhere]].\n");
    browser.wait_until("document.getElementById('lode-overlay')", "the overlay").await;
    let overlay = client.find(Locator::Id("lode-overlay")).await.unwrap().text().await.unwrap();
    assert!(overlay.contains("content/lithium.md:4:8"), "{overlay}");
    // The site's own `pre` style (a light background) must not hide the light text.
    let background = client
        .execute(
            "return getComputedStyle(document.querySelector('#lode-overlay pre')).backgroundColor;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(background, serde_json::json!("rgba(0, 0, 0, 0)"));
    assert!(client.source().await.unwrap().contains("Second version"), "the last good page stays");

    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nThird version, see [[China]].\n");
    browser
        .wait_until(
            "!document.getElementById('lode-overlay') && document.body.innerText.includes('Third version')",
            "the fix",
        )
        .await;
    browser.close().await;
}

/// A browser dropped without `close` (a test that panicked) ends Chromium
/// too, not only chromedriver: no process is left holding its profile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_browser_leaves_no_chromium_running() {
    let browser = Browser::start(390, 800).await;
    browser.client.goto("about:blank").await.unwrap();
    let profile = format!("--user-data-dir={}", browser.profile().display());
    let holding = || -> usize {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(Result::ok)
            .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
            .filter(|cmd| String::from_utf8_lossy(cmd).split('\0').any(|arg| arg == profile))
            .count()
    };
    assert!(holding() > 0, "Chromium runs with {profile}");
    drop(browser);
    // Killed processes go at once; wait on /proc for them to be reaped.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while holding() > 0 {
        assert!(std::time::Instant::now() < deadline, "{} processes still hold {profile}", holding());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
