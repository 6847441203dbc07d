//! Search in a real browser (headless Chromium over WebDriver): the flagship
//! site published under `/REPO/` and served by a plain static server, and a
//! site served by `lode serve`. The search dialog opens from the keyboard,
//! finds the lithium note for "refining" with the match highlighted, moves
//! through the results with the arrows, opens one with Enter, narrows by
//! collection, closes with Escape, and passes axe-core while open.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`, and axe-core
//! (`npm ci --prefix tests/a11y`).

mod common;

use common::TestSite;
use common::browser::Browser;
use common::server::Server;
use common::static_server::serve_flagship_under_repo;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};

const CONTROL: char = '\u{E009}';
const ENTER: char = '\u{E007}';
const ESCAPE: char = '\u{E00C}';
const ARROW_DOWN: char = '\u{E015}';

/// Presses `keys` together (a modifier first), then releases them.
async fn press(browser: &Browser, keys: &[char]) {
    let mut actions = KeyActions::new("keyboard".into());
    for &value in keys {
        actions = actions.then(KeyAction::Down { value });
    }
    for &value in keys.iter().rev() {
        actions = actions.then(KeyAction::Up { value });
    }
    browser.client.perform_actions(actions).await.expect("key presses");
}

async fn type_text(browser: &Browser, text: &str) {
    browser.client.active_element().await.unwrap().send_keys(text).await.unwrap();
}

/// The hrefs (resolved) of the results shown.
async fn result_urls(browser: &Browser) -> Vec<String> {
    let urls =
        browser.eval("return [...document.querySelectorAll('.search-results a')].map(a => a.href);").await;
    serde_json::from_value(urls).unwrap()
}

/// The collection shown by each result (none for a note outside collections).
async fn result_collections(browser: &Browser) -> Vec<Option<String>> {
    let shown = browser
        .eval(
            "return [...document.querySelectorAll('.search-results a')]
               .map(a => a.querySelector('.search-result-collection')?.textContent ?? null);",
        )
        .await;
    serde_json::from_value(shown).unwrap()
}

/// Searches "refining" on the page at `base` + `start` and follows the
/// lithium result with the keyboard; `base` is the site's root URL.
async fn search_and_open_lithium(browser: &Browser, base: &str, start: &str) {
    browser.client.goto(&format!("{base}{start}")).await.unwrap();
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    press(browser, &['/']).await;
    browser
        .wait_until(
            "document.querySelector('dialog.search-dialog')?.open && document.activeElement.id === 'search-input'",
            "the dialog open with the input focused",
        )
        .await;
    type_text(browser, "refining").await;
    let lithium = format!("{base}minerals/lithium/");
    browser
        .wait_until(
            &format!(
                "document.getElementById('search-results').dataset.query === 'refining'
                 && [...document.querySelectorAll('.search-results a')].some(a => a.href === '{lithium}')"
            ),
            "the lithium note among the results",
        )
        .await;
    let result = browser
        .eval(&format!(
            "const a = [...document.querySelectorAll('.search-results a')].find(a => a.href === '{lithium}');
             return {{ title: a.querySelector('.search-result-title').textContent,
                       collection: a.querySelector('.search-result-collection')?.textContent,
                       marks: [...a.querySelectorAll('.search-result-excerpt mark')].map(m => m.textContent),
                       excerpt: a.querySelector('.search-result-excerpt').textContent }};"
        ))
        .await;
    assert_eq!(result["title"], "Lithium", "{result}");
    assert_eq!(result["collection"], "Minerals", "{result}");
    let marks: Vec<String> = serde_json::from_value(result["marks"].clone()).unwrap();
    assert!(!marks.is_empty() && marks.iter().all(|m| m.to_lowercase().starts_with("refin")), "{result}");

    // Down from the input to the lithium result, then Enter.
    let position = result_urls(browser).await.iter().position(|u| *u == lithium).unwrap();
    for _ in 0..=position {
        press(browser, &[ARROW_DOWN]).await;
    }
    let focused = browser.eval("return document.activeElement.href || null;").await;
    assert_eq!(focused, serde_json::json!(lithium), "the arrows move the focus through the results");
    press(browser, &[ENTER]).await;
    browser.wait_until(&format!("location.href === '{lithium}'"), "the lithium page").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_works_on_the_flagship_under_a_sub_path() {
    let (_tmp, server) = serve_flagship_under_repo();
    let base = format!("http://{}/REPO/", server.addr);
    let browser = Browser::start(1280, 900).await;

    // From a nested page: the index is found from the page's path to the root.
    search_and_open_lithium(&browser, &base, "countries/china/").await;

    // Ctrl-K opens it too; the collection filter narrows the results.
    press(&browser, &[CONTROL, 'k']).await;
    browser
        .wait_until("document.querySelector('dialog.search-dialog')?.open", "the dialog after Ctrl-K")
        .await;
    type_text(&browser, "refining").await;
    browser
        .wait_until("document.getElementById('search-results').dataset.query === 'refining'", "results")
        .await;
    browser
        .wait_until(
            "document.querySelectorAll('#search-filter-collection option').length > 2",
            "the collection filter",
        )
        .await;
    let all = browser.eval("return document.querySelector('.search-status').textContent;").await;
    let before = result_collections(&browser).await;
    assert!(
        before.iter().any(|c| c.as_deref() != Some("Minerals")),
        "refining is found beyond the minerals: {before:?}"
    );
    browser
        .eval(
            "const s = document.getElementById('search-filter-collection');
             s.value = 'Minerals'; s.dispatchEvent(new Event('change')); return true;",
        )
        .await;
    browser
        .wait_until(
            &format!("document.querySelector('.search-status').textContent !== {all}"),
            "the filtered results",
        )
        .await;
    let after = result_collections(&browser).await;
    assert!(!after.is_empty() && after.iter().all(|c| c.as_deref() == Some("Minerals")), "{after:?}");
    let urls = result_urls(&browser).await;
    assert!(urls.contains(&format!("{base}minerals/lithium/")), "{urls:?}");

    // With the dialog open and results shown: no serious or critical axe
    // violation, in the light theme and in the dark one.
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "{violations:#?}");
    browser.eval("document.documentElement.dataset.theme = 'dark'; return true;").await;
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "dark: {violations:#?}");

    // Escape closes it and gives the focus back to what opened it.
    press(&browser, &[ESCAPE]).await;
    browser.wait_until("!document.querySelector('dialog.search-dialog').open", "the dialog closed").await;
    browser.client.find(Locator::Css(".search-button")).await.unwrap().click().await.unwrap();
    browser
        .wait_until("document.querySelector('dialog.search-dialog').open", "the dialog from the button")
        .await;
    press(&browser, &[ESCAPE]).await;
    browser
        .wait_until(
            "!document.querySelector('dialog.search-dialog').open && document.activeElement === document.querySelector('.search-button')",
            "the focus back on the search button",
        )
        .await;

    // A slash typed into a field is text, not a shortcut. The dialog's
    // `close` event (which gives the focus back to the search button) can
    // come after the check above on a loaded machine and take the focus
    // from a field focused at once: focus the field until it still holds the
    // focus at the next look.
    browser
        .eval("const i = document.createElement('input'); i.id = 'other-field'; document.body.prepend(i); return true;")
        .await;
    browser
        .wait_until(
            "(() => { const i = document.getElementById('other-field'); \
             if (document.activeElement === i) return true; i.focus(); return false; })()",
            "the focus in the field",
        )
        .await;
    type_text(&browser, "a/b").await;
    browser.wait_until("document.getElementById('other-field').value.length === 3", "the text typed").await;
    let typed = browser.eval("return [document.getElementById('other-field').value, document.querySelector('dialog.search-dialog').open];").await;
    assert_eq!(typed, serde_json::json!(["a/b", false]));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_works_under_lode_serve_and_follows_edits() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Lithium]].\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        ("content/minerals/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nChina leads lithium refining.\n"),
        ("content/minerals/tin.md", "+++\ntitle = \"Tin\"\n+++\nSolder.\n"),
    ]);
    let server = Server::start(site.root());
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(1280, 900).await;
    // The first index is built in the background after the first build: wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while server.get("/pagefind/pagefind-entry.json").0 != 200 {
        assert!(std::time::Instant::now() < deadline, "no search index within 15 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    search_and_open_lithium(&browser, &base, "minerals/tin/").await;

    // After an edit the index follows: a new word is found.
    site.write("content/minerals/tin.md", "+++\ntitle = \"Tin\"\n+++\nSolder and smelting.\n");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while !server.get("/minerals/tin/").1.contains("smelting") {
        assert!(std::time::Instant::now() < deadline, "no rebuild within 15 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let mut found = false;
    for _ in 0..50 {
        // Each try is a fresh page, so a fresh index: the refresh runs in the background.
        browser.client.goto(&format!("{base}minerals/tin/")).await.unwrap();
        browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
        press(&browser, &['/']).await;
        browser.wait_until("document.activeElement.id === 'search-input'", "the input").await;
        type_text(&browser, "smelting").await;
        browser
            .wait_until(
                "document.getElementById('search-results').dataset.query === 'smelting'
                 || /available/.test(document.querySelector('.search-status').textContent)",
                "an answer",
            )
            .await;
        if result_urls(&browser).await.contains(&format!("{base}minerals/tin/")) {
            found = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(found, "the index was refreshed after the edit");
    browser.close().await;
}
