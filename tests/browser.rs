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
