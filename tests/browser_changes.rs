//! "What changed since your last visit" in headless Chromium: a reader
//! visits a small site (nothing is marked on a first visit), the author
//! edits one section of a note and adds a note, the site is rebuilt, and on
//! the reader's next visit the edited note, its edited section and the new
//! note are marked and listed, and what did not change is not.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`.

mod common;

use common::TestSite;
use common::browser::Browser;
use common::static_server::StaticServer;

const LEAD: &str = "+++\ntitle = \"Lead\"\n+++\nA soft metal.\n\n## Uses\n\nPipes.\n\n## Risks\n\nToxic.\n";

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Tin]] and [[Lead]].\n"),
        ("content/metals/_index.md", "+++\ntitle = \"Metals\"\n+++\n"),
        ("content/metals/tin.md", "+++\ntitle = \"Tin\"\n+++\n## Uses\n\nSolder.\n"),
        ("content/metals/lead.md", LEAD),
    ])
}

/// Builds `site` off the async runtime (the search indexer runs its own).
fn build(site: &TestSite) {
    std::thread::scope(|s| s.spawn(|| site.build()).join().unwrap());
}

/// `script` as a boolean expression's value in the page.
async fn is(browser: &Browser, script: &str) -> bool {
    browser.eval(&format!("return Boolean({script});")).await.as_bool().unwrap()
}

/// axe-core finds no serious or critical violation on the page, light and dark.
async fn assert_no_violations(browser: &Browser, what: &str) {
    for theme in ["light", "dark"] {
        browser.eval(&format!("document.documentElement.dataset.theme = '{theme}'; return true;")).await;
        let violations = browser.axe().await;
        assert!(violations.is_empty(), "axe on {what} ({theme}):\n{}", violations.join("\n"));
    }
    browser.eval("delete document.documentElement.dataset.theme; return true;").await;
}

/// Screenshots of the current page for the closing note (not a check), at
/// 390 and 1280 px, light and dark, into `$LODE_SHOTS` when it is set.
async fn shots(browser: &Browser, name: &str) {
    let Ok(out) = std::env::var("LODE_SHOTS") else { return };
    std::fs::create_dir_all(&out).unwrap();
    for (size, width, height) in [("phone", 390, 844), ("desktop", 1280, 900)] {
        browser.client.set_window_size(width, height).await.unwrap();
        for theme in ["light", "dark"] {
            browser.eval(&format!("document.documentElement.dataset.theme = '{theme}'; return true;")).await;
            let shot = browser.client.screenshot().await.unwrap();
            std::fs::write(format!("{out}/changes-{name}-{size}-{theme}.png"), shot).unwrap();
        }
    }
    browser.eval("delete document.documentElement.dataset.theme; return true;").await;
    browser.client.set_window_size(390, 844).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revisit_after_an_edit_marks_the_changed_note_and_section() {
    let site = site();
    build(&site);
    let server = StaticServer::start(&site.output());
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(390, 844).await;
    let client = &browser.client;

    // First visit: the record is stored, nothing is marked, no list shows.
    for path in ["/", "/metals/lead/"] {
        client.goto(&format!("{base}{path}")).await.unwrap();
        browser.wait_until("document.documentElement.hasAttribute('data-changes-ready')", "changes.js").await;
        assert!(
            !is(&browser, "document.querySelector('.change-badge')").await,
            "{path}: marked on a first visit"
        );
    }
    assert!(is(&browser, "localStorage.getItem('lode-changes:https://example.org/')").await, "hashes stored");
    client.goto(&format!("{base}/")).await.unwrap();
    browser.wait_until("document.documentElement.hasAttribute('data-changes-ready')", "changes.js").await;
    assert!(is(&browser, "document.querySelector('[data-changes-since]').hidden").await);

    // The author edits Lead's "Risks" and adds Zinc; the site is rebuilt.
    site.write("content/metals/lead.md", &LEAD.replace("Toxic.", "Toxic: keep it from children."));
    site.write("content/metals/zinc.md", "# Zinc\n\nGalvanising.\n");
    site.write("content/_index.md", "# Home\n\nSee [[Tin]], [[Lead]] and [[Zinc]].\n");
    build(&site);

    // A later visit (a new browser session's first page). The rebuild may
    // finish within the second of the first build, and the static server's
    // Last-Modified has whole seconds: the browser would be told its cached
    // home page (no Zinc link) is current. A new session starts with an
    // empty cache, as a later visit's pages would be fetched afresh.
    browser.cdp("Network.clearBrowserCache", serde_json::json!({})).await;
    browser.eval("sessionStorage.clear(); return true;").await;
    client.goto(&format!("{base}/")).await.unwrap();
    browser.wait_until("document.documentElement.hasAttribute('data-changes-ready')", "changes.js").await;
    browser.wait_until("!document.querySelector('[data-changes-since]').hidden", "the list").await;
    let listed: Vec<String> = serde_json::from_value(
        browser
            .eval("return Array.from(document.querySelectorAll('.changes-since-list li')).map(li => li.textContent.replace(/\\s+/g, ' ').trim());")
            .await,
    )
    .unwrap();
    // The home page changed too (it links Zinc now).
    assert!(listed.contains(&"Lead Changed 1 section".to_string()), "{listed:?}");
    assert!(listed.contains(&"Zinc New".to_string()), "{listed:?}");
    assert!(!listed.iter().any(|l| l.starts_with("Tin")), "Tin did not change: {listed:?}");
    let heading = browser.eval("return document.querySelector('#changes-since-title').textContent;").await;
    assert_eq!(heading.as_str().unwrap(), format!("Changed since your last visit ({})", listed.len()));
    // Links in the body: Lead and Zinc marked, Tin not.
    let marked = |name: &str| {
        format!(
            "Array.from(document.querySelectorAll('.note-body a')).some(a => a.textContent === '{name}' && a.nextElementSibling && a.nextElementSibling.classList.contains('change-badge'))"
        )
    };
    assert!(is(&browser, &marked("Lead")).await, "the link to Lead is marked");
    assert!(is(&browser, &marked("Zinc")).await, "the link to Zinc is marked");
    assert!(!is(&browser, &marked("Tin")).await, "the link to Tin is not");
    shots(&browser, "home").await;
    assert_no_violations(&browser, "the home page with its marks").await;
    client.goto(&format!("{base}/changes/")).await.unwrap();
    browser
        .wait_until("!document.querySelector('[data-changes-since]').hidden", "the list on /changes/")
        .await;
    shots(&browser, "changes").await;

    // Lead's own page, in the same visit: its title and its "Risks" heading.
    client.goto(&format!("{base}/metals/lead/")).await.unwrap();
    browser.wait_until("document.querySelector('h1 .change-badge')", "Lead's title marked").await;
    assert!(is(&browser, "document.getElementById('risks').classList.contains('changed-section')").await);
    assert!(!is(&browser, "document.getElementById('uses').classList.contains('changed-section')").await);
    shots(&browser, "note").await;
    assert_no_violations(&browser, "Lead with its marks").await;
    // Tin's page: nothing.
    client.goto(&format!("{base}/metals/tin/")).await.unwrap();
    browser.wait_until("document.documentElement.hasAttribute('data-changes-ready')", "changes.js").await;
    assert!(!is(&browser, "document.querySelector('h1 .change-badge, .changed-section')").await);

    // A visit after that, with nothing new: nothing marked.
    browser.eval("sessionStorage.clear(); return true;").await;
    client.goto(&format!("{base}/")).await.unwrap();
    browser.wait_until("document.documentElement.hasAttribute('data-changes-ready')", "changes.js").await;
    assert!(!is(&browser, "document.querySelector('.change-badge')").await, "marked twice");
    assert!(is(&browser, "document.querySelector('[data-changes-since]').hidden").await);
    browser.close().await;
}
