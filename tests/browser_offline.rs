//! Offline reading, on request, in headless Chromium: the flagship built
//! for `/REPO/` and served by a plain static server, saved with the footer's
//! "Save for offline" (or a collection page's control), then read with the
//! network cut (DevTools' offline emulation, and the server stopped): saved
//! pages, search (the index under `_lode/search/`) and `/revise/` work; a later visit
//! fetches only the files whose hash changed. Under `lode serve` no service
//! worker is ever registered, and one left on the origin is removed.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`.

mod common;

use common::TestSite;
use common::browser::Browser;
use common::server::Server;
use common::static_server::serve_flagship_under_repo;
use serde_json::{Value, json};

/// Cuts the page's network (DevTools' offline emulation).
async fn cut_network(browser: &Browser) {
    browser.cdp("Network.enable", json!({})).await;
    browser
        .cdp(
            "Network.emulateNetworkConditions",
            json!({ "offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 }),
        )
        .await;
}

/// The list of files the build wrote: (entries, sum of their bytes).
fn offline_list(dir: &std::path::Path) -> (Vec<Value>, u64) {
    let list: Value =
        serde_json::from_slice(&std::fs::read(dir.join("_lode/offline.json")).unwrap()).unwrap();
    let files = list["files"].as_array().unwrap().clone();
    let bytes = files.iter().map(|f| f["bytes"].as_u64().unwrap()).sum();
    (files, bytes)
}

/// Clicks the control `selector`'s "Save…", checks the estimate it shows,
/// confirms, and waits for the worker to report the save done.
async fn save(browser: &Browser, selector: &str) -> Value {
    browser.wait_until(&format!("!document.querySelector('{selector}').hidden"), "the offline control").await;
    browser.click(&format!("{selector} .offline-start")).await;
    browser
        .wait_until(
            &format!("document.querySelector('{selector}').dataset.offlineState === 'confirm'"),
            "the estimate",
        )
        .await;
    let shown = browser
        .eval(&format!(
            "const c = document.querySelector('{selector}');
             return {{ bytes: Number(c.dataset.offlineBytes), text: c.querySelector('.offline-estimate').textContent }};"
        ))
        .await;
    browser
        .client
        .find(fantoccini::Locator::Css(&format!("{selector} .offline-save")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait_until(
            &format!("['done', 'error'].includes(document.querySelector('{selector}').dataset.offlineState)"),
            "the worker to report the save",
        )
        .await;
    let status = browser.eval(&format!("return document.querySelector('{selector}').textContent;")).await;
    assert_eq!(
        browser.eval(&format!("return document.querySelector('{selector}').dataset.offlineState;")).await,
        "done",
        "{status}"
    );
    shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_saved_flagship_reads_searches_and_revises_offline() {
    let (tmp, server) = tokio::task::block_in_place(serve_flagship_under_repo);
    let site = tmp.path().join("REPO");
    let (files, bytes) = offline_list(&site);
    eprintln!("offline download for the whole flagship: {} files, {bytes} bytes", files.len());
    for must in
        ["./", "minerals/lithium/", "revise/", "_lode/revise.json", "_lode/search/meta.json", "style.css"]
    {
        assert!(files.iter().any(|f| f["url"] == must), "{must} is in the list");
    }
    let base = format!("http://{}/REPO/", server.addr);
    let browser = Browser::start(390, 844).await;
    browser.client.goto(&base).await.unwrap();
    let shown = save(&browser, ".site-footer [data-offline]").await;
    assert_eq!(shown["bytes"], json!(bytes), "the estimate is the list's sum: {shown}");
    assert!(shown["text"].as_str().unwrap().contains("MB"), "{shown}");
    let cached = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             caches.open('lode-offline:' + new URL('./', location.href).href)
               .then(c => c.keys()).then(k => done(k.length));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(cached, json!(files.len() + 1), "every listed file and the saved state are cached");

    // The network cut: the server stopped and the page offline.
    drop(server);
    cut_network(&browser).await;
    browser.client.goto(&format!("{base}minerals/lithium/")).await.unwrap();
    browser
        .wait_until("document.querySelector('h1')?.textContent.includes('Lithium')", "Lithium, offline")
        .await;
    browser
        .wait_until(
            "getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)'",
            "the stylesheet",
        )
        .await;
    browser.client.goto(&format!("{base}countries/")).await.unwrap();
    browser.wait_until("document.querySelector('h1')", "a collection page, offline").await;

    // Search: the script and the index's files come from the cache.
    browser.client.goto(&base).await.unwrap();
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    browser.client.find(fantoccini::Locator::Css(".search-button")).await.unwrap().click().await.unwrap();
    browser.wait_until("document.activeElement.id === 'search-input'", "the search input").await;
    browser.client.active_element().await.unwrap().send_keys("refining").await.unwrap();
    browser
        .wait_until(
            &format!(
                "document.getElementById('search-results').dataset.query === 'refining'
                 && [...document.querySelectorAll('.search-results a')].some(a => a.href === '{base}minerals/lithium/')"
            ),
            "search results, offline",
        )
        .await;

    // Revision: the page, its scripts and _lode/revise.json.
    browser.client.goto(&format!("{base}revise/")).await.unwrap();
    browser.wait_until("document.querySelector('#rv-stage [data-id]')", "a revision item, offline").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collection_saves_alone_and_a_later_visit_fetches_only_what_changed() {
    let (tmp, server) = tokio::task::block_in_place(serve_flagship_under_repo);
    let site = tmp.path().join("REPO");
    let (files, _) = offline_list(&site);
    let in_minerals: u64 = files
        .iter()
        .filter(|f| f["group"] == "" || f["group"] == "minerals")
        .map(|f| f["bytes"].as_u64().unwrap())
        .sum();
    let base = format!("http://{}/REPO/", server.addr);
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("{base}minerals/")).await.unwrap();
    let shown = save(&browser, "main [data-offline]").await;
    assert_eq!(shown["bytes"], json!(in_minerals), "the collection and what every page needs: {shown}");

    // A rebuild that changed one file: the next visit fetches that file only.
    let css = std::fs::read_to_string(site.join("style.css")).unwrap() + "\n/* changed */\n";
    std::fs::write(site.join("style.css"), &css).unwrap();
    let mut list: Value =
        serde_json::from_slice(&std::fs::read(site.join("_lode/offline.json")).unwrap()).unwrap();
    for f in list["files"].as_array_mut().unwrap() {
        if f["url"] == "style.css" {
            f["bytes"] = json!(css.len());
            f["hash"] = json!(format!("{:016x}", lode::offline::content_hash(css.as_bytes())));
        }
    }
    std::fs::write(site.join("_lode/offline.json"), list.to_string()).unwrap();
    browser.eval("sessionStorage.clear(); return true;").await;
    browser.client.goto(&format!("{base}minerals/lithium/")).await.unwrap();
    browser
        .wait_until(
            "document.querySelector('.site-footer [data-offline]').dataset.offlineFetched",
            "the update",
        )
        .await;
    let fetched = browser
        .eval("return document.querySelector('.site-footer [data-offline]').dataset.offlineFetched;")
        .await;
    assert_eq!(fetched, "1", "only the changed stylesheet is fetched again");

    drop(server);
    cut_network(&browser).await;
    browser.client.goto(&format!("{base}minerals/cobalt/")).await.unwrap();
    browser
        .wait_until("document.querySelector('h1')?.textContent.includes('Cobalt')", "a saved mineral")
        .await;
    let style = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch('../../style.css').then(r => r.text()).then(done);",
            vec![],
        )
        .await
        .unwrap();
    assert!(style.as_str().unwrap().contains("/* changed */"), "the changed stylesheet is the one saved");
    browser.client.goto(&format!("{base}countries/china/")).await.unwrap();
    browser
        .wait_until(
            "document.querySelector('h1')?.textContent === 'Not saved for offline reading'",
            "the notice",
        )
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lode_serve_registers_no_worker_and_removes_one_left_behind() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Lithium]].\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        ("content/minerals/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nChina leads lithium refining.\n"),
    ]);
    let server = Server::start(site.root());
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    // The page loads offline.js (in lode.js), which writes the footer's control.
    assert!(home.contains("lode.js"), "the page loads the script: {home}");
    assert_eq!(server.get("/_lode/offline.json").0, 404, "serve has no list of files to save");
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(1280, 900).await;
    let registrations = "const done = arguments[arguments.length - 1];
         navigator.serviceWorker.getRegistrations().then(r => done(r.length));";

    // The page registers nothing, and its control stays hidden.
    browser.client.goto(&base).await.unwrap();
    browser.wait_until("document.readyState === 'complete' && window.EventSource", "the page").await;
    assert_eq!(browser.eval("return document.querySelector('[data-offline]').hidden;").await, true);
    assert_eq!(browser.client.execute_async(registrations, vec![]).await.unwrap(), 0);

    // A worker left on this origin (a built copy served here before) is removed by the page…
    browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(() => done(1));",
            vec![],
        )
        .await
        .unwrap();
    browser.client.goto(&format!("{base}minerals/")).await.unwrap();
    let mut left = json!(1);
    for _ in 0..100 {
        left = browser.client.execute_async(registrations, vec![]).await.unwrap();
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(left, 0, "the page unregistered the worker");

    // …and by the worker itself, which finds no list to save from.
    let gone = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             navigator.serviceWorker.register('/sw.js').then(() => navigator.serviceWorker.ready).then(reg => {
               navigator.serviceWorker.addEventListener('message', e => {
                 if (e.data.type === 'error') navigator.serviceWorker.getRegistrations().then(r => done(r.length));
               });
               reg.active.postMessage({ type: 'sync' });
             });",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(gone, 0, "the worker unregistered itself");
    browser.close().await;
}

/// The control's words, on a phone: the estimate gives the size once (not
/// "1.2 MB (… files, 1.2 MB in all)"), the status names a collection by its
/// title ("Minerals", not its folder), and a saved collection page shows
/// one status, not the same one in its control and in the footer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn save_for_offline_gives_the_size_once_names_the_collection_and_shows_one_status() {
    let (_tmp, server) = tokio::task::block_in_place(serve_flagship_under_repo);
    let base = format!("http://{}/REPO/", server.addr);
    let browser = Browser::start(390, 844).await;
    browser.client.goto(&format!("{base}minerals/")).await.unwrap();
    let shown = save(&browser, "main [data-offline]").await;
    let text = shown["text"].as_str().unwrap().to_string();
    // The cost, before the browser's free storage.
    let cost = text.split(" This browser").next().unwrap();
    let sizes = [" kB", " MB", " GB"].iter().map(|unit| cost.matches(unit).count()).sum::<usize>();
    assert_eq!(sizes, 1, "the estimate gives one size: {text}");
    let status = browser.eval("return document.querySelector('main .offline-status').textContent;").await;
    let status = status.as_str().unwrap();
    assert!(
        status.starts_with("Saved Minerals for offline reading"),
        "the collection by its title: {status}"
    );

    browser.client.refresh().await.unwrap();
    browser
        .wait_until(
            "document.querySelector('main [data-offline]').dataset.offlineState === 'saved'",
            "the saved state",
        )
        .await;
    let statuses = browser
        .eval(
            "return [...document.querySelectorAll('.offline-status')].filter(s => s.offsetParent && s.textContent.trim())
                 .map(s => s.textContent);",
        )
        .await;
    assert_eq!(statuses.as_array().unwrap().len(), 1, "one status on the page: {statuses}");
    // A saved collection offers no second "Save" (it keeps itself up to date), only
    // "Remove"; the footer still offers the whole site. Removing brings "Save" back.
    let shown = "return ['main .offline-start', 'main .offline-remove', '.site-footer .offline-start']
                     .map(s => document.querySelector(s).checkVisibility());";
    assert_eq!(browser.eval(shown).await, json!([false, true, true]));
    browser.click("main .offline-remove").await;
    browser
        .wait_until(
            "document.querySelector('main [data-offline]').dataset.offlineState === 'idle'",
            "the removal",
        )
        .await;
    assert_eq!(browser.eval(shown).await, json!([true, false, true]));
    browser.close().await;
}
