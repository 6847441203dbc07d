//! The words the scripts write, in the page's language, in headless
//! Chromium: on a Hindi page of the languages fixture the theme switch,
//! the footer's "Save for offline" and the search dialog's status speak
//! Hindi (from `i18n/hi.toml`, through `<body data-strings>`), and so do
//! the revision page's heading, button and settings; on the English pages
//! they speak English.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`.

mod common;

use std::path::Path;

use common::TestSite;
use common::browser::Browser;
use common::static_server::StaticServer;
use fantoccini::Locator;
use serde_json::Value;

/// The theme switch's label and options, and the offline button, once the scripts wrote them.
async fn script_words(browser: &Browser, url: &str) -> Value {
    browser.client.goto(url).await.unwrap();
    browser.wait_until("!document.querySelector('.theme-switch').hidden", "the theme switch").await;
    browser.wait_until("document.querySelector('.offline-start') !== null", "the offline button").await;
    browser
        .eval(
            "return [document.querySelector('.theme-switch label').textContent,
                     ...Array.from(document.querySelectorAll('#theme-select option'), (o) => o.textContent),
                     document.querySelector('.offline-start').textContent];",
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scripts_write_their_words_in_the_pages_language() {
    let site = TestSite::new(&[]);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    common::copy_tree(&fixture, site.root(), |_| true);
    site.build();
    let server = StaticServer::start(&site.output());
    let browser = Browser::start(390, 844).await;
    let base = format!("http://{}/", server.addr);

    let hindi = script_words(&browser, &format!("{base}hi/minerals/lithium/")).await;
    assert_eq!(hindi, serde_json::json!(["थीम", "सिस्टम", "हल्का", "गहरा", "ऑफ़लाइन पढ़ने को सहेजें"]));
    // The note's revision status (study.js), its numbers filled in.
    browser.wait_until("!document.querySelector('.study-status').hidden", "the revision status").await;
    assert_eq!(
        browser.eval("return document.querySelector('.study-text').textContent;").await,
        "1 में से 1 बाकी"
    );
    // The search dialog's status line: a word no note has, then one Hindi note has.
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    browser.click(".search-button").await;
    browser.wait_until("document.querySelector('dialog.search-dialog[open]') !== null", "the dialog").await;
    let input = browser.client.find(Locator::Css("#search-input")).await.unwrap();
    input.send_keys("qqqzzz").await.unwrap();
    browser
        .wait_until("document.getElementById('search-results').dataset.query === 'qqqzzz'", "no result")
        .await;
    assert_eq!(
        browser.eval("return document.getElementById('search-status').textContent;").await,
        "कोई नोट नहीं मिला।"
    );
    input.clear().await.unwrap();
    input.send_keys("लिथियम").await.unwrap();
    browser
        .wait_until("document.getElementById('search-results').dataset.query === 'लिथियम'", "results")
        .await;
    let status = browser.eval("return document.getElementById('search-status').textContent;").await;
    assert!(status.as_str().is_some_and(|s| s.ends_with("नोट मिले।")), "{status}");

    // The revision page (revise.js): its heading, the question's button and
    // the settings; on the English page the same question (the revision data
    // is the site's), in English words.
    for (page, words) in [
        ("hi/revise/", ["आज बाकी (1)", "जाँचें", "सेटिंग और प्रगति"]),
        ("revise/", ["Due today (1)", "Check", "Settings and progress"]),
    ] {
        browser.client.goto(&format!("{base}{page}")).await.unwrap();
        browser.wait_until("document.querySelector('#rv-stage .rv-submit') !== null", "the question").await;
        let shown = browser
            .eval(
                "return [document.getElementById('rv-due').textContent,
                         document.querySelector('#rv-stage .rv-submit').textContent,
                         document.querySelector('#rv-settings summary').textContent];",
            )
            .await;
        assert_eq!(shown, serde_json::json!(words), "/{page}");
    }

    let english = script_words(&browser, &format!("{base}minerals/lithium/")).await;
    assert_eq!(english, serde_json::json!(["Theme", "System", "Light", "Dark", "Save for offline"]));
    browser.close().await;
}

/// What the page shows after its scripts ran: every text node of the body
/// (not scripts' or styles'), then every `aria-label`, `title`,
/// `placeholder` and `alt`, one a line (the same as
/// `tests/interface_strings.rs` reads from the built HTML).
const SHOWN_WORDS: &str = "const out = [];
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.closest('script, style')) out.push(n.data);
    }
    for (const e of document.querySelectorAll('*')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
        if (e.hasAttribute(a)) out.push('\\n«' + a + '=»' + e.getAttribute(a));
      }
    }
    return out.join('\\n');";

/// The words the scripts write on a Hindi page come from the Hindi file
/// too: with every value of it marked «…» (`common::marked`), no English
/// but the author's is left on a note page once its graph is painted, its
/// second hop drawn and a link's preview shown, nor on the revision page
/// once it shows an item and its answer, nor in the search dialog, nor on
/// a collection page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scripts_write_no_english_on_a_hindi_page() {
    let site = common::marked::marked_site();
    let server = StaticServer::start(&site.output());
    let browser = Browser::start(1280, 900).await;
    let base = format!("http://{}/", server.addr);
    let mut problems = Vec::new();
    let mut check = |page: &str, shown: Value| {
        for english in common::marked::unmarked_english(shown.as_str().unwrap()) {
            problems.push(format!("{page}: {english}"));
        }
    };

    // A note: its graph painted (graph.js), the second hop drawn, the theme
    // switch and offline button (lode.js), a link's preview (preview.js).
    browser.client.goto(&format!("{base}hi/minerals/lithium/")).await.unwrap();
    browser.wait_until("document.querySelector('.local-graph .graph-frame svg')", "the local graph").await;
    browser.wait_until("document.querySelector('.offline-start')", "the offline button").await;
    let label = "document.querySelector('.local-graph svg.graph.radial').getAttribute('aria-label')";
    let hops = browser.eval("return document.querySelector('.local-graph .graph-more') !== null;").await;
    assert_eq!(hops, true, "lithium has a second hop");
    browser.click(".local-graph .graph-more summary").await;
    browser.wait_until("document.querySelector('.ring-note')", "the second hop").await;
    assert_eq!(browser.eval(&format!("return {label};")).await, "«Notes within two links of लिथियम»");
    check("hi/minerals/lithium/ (two hops)", browser.eval(SHOWN_WORDS).await);
    browser.click(".local-graph .graph-more summary").await;
    browser.wait_until(&format!("{label} === '«Notes linked with लिथियम»'"), "the first ring's name").await;

    browser.client.goto(&format!("{base}hi/minerals/cobalt/")).await.unwrap();
    browser.wait_until("document.querySelector('.offline-start')", "the offline button").await;
    browser.eval("document.querySelector('.note-body a[href*=\"lithium\"]').focus(); return true;").await;
    browser
        .wait_until(
            "document.getElementById('lode-preview') && !document.getElementById('lode-preview').hidden",
            "the preview",
        )
        .await;
    check("hi/minerals/cobalt/ (preview)", browser.eval(SHOWN_WORDS).await);
    // The search dialog, its filters and a result count.
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    browser.click(".search-button").await;
    browser.wait_until("document.querySelector('dialog.search-dialog[open]') !== null", "the dialog").await;
    let input = browser.client.find(Locator::Css("#search-input")).await.unwrap();
    input.send_keys("लिथियम").await.unwrap();
    browser
        .wait_until("document.getElementById('search-results').dataset.query === 'लिथियम'", "results")
        .await;
    check("hi/minerals/cobalt/ (search)", browser.eval(SHOWN_WORDS).await);

    // The revision page with a question shown, and its settings open.
    browser.client.goto(&format!("{base}hi/revise/")).await.unwrap();
    browser.wait_until("document.querySelector('#rv-stage .rv-submit, #rv-stage .rv-flip')", "an item").await;
    browser.click("#rv-settings summary").await;
    check("hi/revise/", browser.eval(SHOWN_WORDS).await);
    // A card's answer and its ratings, or a question's check and result.
    let flip = browser.eval("return document.querySelector('#rv-stage .rv-flip') !== null;").await;
    if flip == true {
        browser.click("#rv-stage .rv-flip").await;
    } else {
        browser.click("#rv-stage .rv-option").await;
        browser.click("#rv-stage .rv-submit").await;
    }
    browser.wait_until("document.querySelector('#rv-stage .rv-rate')", "the ratings").await;
    check("hi/revise/ (answered)", browser.eval(SHOWN_WORDS).await);

    // The collection page: its mastery line and offline button (study.js, offline.js).
    browser.client.goto(&format!("{base}hi/minerals/")).await.unwrap();
    browser.wait_until("document.querySelector('.offline-start')", "the offline button").await;
    check("hi/minerals/", browser.eval(SHOWN_WORDS).await);
    browser.close().await;
    assert!(problems.is_empty(), "English the scripts wrote:\n{}", problems.join("\n"));
}
