//! A real browser (Debian's headless Chromium, driven over WebDriver by
//! chromium-driver) reloads a served page by itself after a save, and shows
//! the diagnostics overlay after a bad save.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`
//! (`apt-get install chromium chromium-driver`); without them the test fails
//! and says so.

mod common;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::TestSite;
use common::server::Server;
use fantoccini::{ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_driver() -> (Driver, u16) {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        assert!(
            std::path::Path::new(tool).exists(),
            "{tool} is missing: install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)"
        );
    }
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (Driver(child), port)
}

/// Polls `script` (a JavaScript expression) in the page until it is true.
async fn wait_until(client: &fantoccini::Client, script: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let value = client.execute(&format!("return Boolean({script});"), vec![]).await;
        if matches!(value, Ok(serde_json::Value::Bool(true))) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_open_page_reloads_after_a_save_and_shows_the_overlay_after_a_bad_one() {
    let site = TestSite::new(&[
        ("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nFirst version, see [[China]].\n"),
        ("content/china.md", "# China\n"),
        ("static/style.css", "pre { background: #f1efe8; }\n"),
    ]);
    let server = Server::start(site.root());
    let (_driver, port) = start_driver();
    let user_data = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                format!("--user-data-dir={}", user_data.path().display()),
            ],
        }),
    );
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session with headless Chromium");

    client.goto(&format!("http://{}/lithium/", server.addr)).await.unwrap();
    wait_until(&client, "document.body.innerText.includes('First version')", "the page").await;
    // Give the page's event stream a moment to connect, then mark this page load.
    tokio::time::sleep(Duration::from_millis(500)).await;
    client.execute("window.__before_save = true; return true;", vec![]).await.unwrap();

    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nSecond version, see [[China]].\n");
    wait_until(
        &client,
        "!window.__before_save && document.body.innerText.includes('Second version')",
        "the reload",
    )
    .await;

    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nBroken [[Nowhere]].\n");
    wait_until(&client, "document.getElementById('lode-overlay')", "the overlay").await;
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
    wait_until(
        &client,
        "!document.getElementById('lode-overlay') && document.body.innerText.includes('Third version')",
        "the fix",
    )
    .await;
    client.close().await.unwrap();
}
