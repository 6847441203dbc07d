//! The study pages in headless Chromium, on the flagship site served under
//! `/REPO/` by a plain static server: `/graph/` zooms, and a node opens its note;
//! a note's "Show 2 hops" draws its second hop as an outer ring (a hub's,
//! drawn in columns, stays a list);
//! `/revise/` shows today's queue, answers a question and rates a flashcard
//! (the schedule itself: `browser_revise.rs`); axe-core
//! finds no serious or critical violation on either page.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`.

mod common;

use common::browser::Browser;
use common::static_server::serve_flagship_under_repo;
use fantoccini::Locator;

/// axe-core finds no serious or critical violation on the page, in the light
/// theme and in the dark one (as the theme switch sets it); the page is left light.
async fn assert_no_violations(browser: &Browser, what: &str) {
    for theme in ["light", "dark"] {
        browser.eval(&format!("document.documentElement.dataset.theme = '{theme}'; return true;")).await;
        let violations = browser.axe().await;
        assert!(violations.is_empty(), "axe on {what} ({theme}):\n{}", violations.join("\n"));
    }
    browser.eval("delete document.documentElement.dataset.theme; return true;").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graph_nodes_navigate_and_a_revision_session_is_scored_and_remembered() {
    let (_tmp, server) = serve_flagship_under_repo();
    let base = format!("http://{}/REPO", server.addr);
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;

    // /graph/: clicking Lithium's node opens the Lithium note.
    client.goto(&format!("{base}/graph/")).await.unwrap();
    browser.wait_until("document.querySelector('svg.graph a.node')", "the site graph").await;
    browser.wait_until("document.querySelector('.graph-controls button')", "the zoom buttons").await;
    assert_no_violations(&browser, "/graph/").await;
    // Pan and zoom (graph.js): "Zoom in" narrows the view, "Reset view" restores it.
    let view_width = "document.querySelector('.graph-site svg').viewBox.baseVal.width";
    let before = browser.eval(&format!("return {view_width};")).await.as_f64().unwrap();
    let button = |name: &'static str| format!("//div[@class='graph-controls']/button[text()='{name}']");
    client.find(Locator::XPath(&button("Zoom in"))).await.unwrap().click().await.unwrap();
    let zoomed = browser.eval(&format!("return {view_width};")).await.as_f64().unwrap();
    assert!(zoomed < before, "{zoomed} < {before}");
    client.find(Locator::XPath(&button("Reset view"))).await.unwrap().click().await.unwrap();
    assert_eq!(browser.eval(&format!("return {view_width};")).await.as_f64().unwrap(), before);
    // A node is named by its `<title>`; its marker is the second child.
    let lithium = "//*[local-name()='svg']//*[local-name()='a'][*[local-name()='title'][starts-with(., 'Lithium (')]]/*[2]";
    let node = client.find(Locator::XPath(lithium)).await.unwrap();
    node.click().await.unwrap();
    browser.wait_until("location.pathname === '/REPO/minerals/lithium/'", "the Lithium note").await;
    browser.wait_until("document.querySelector('h1').textContent === 'Lithium'", "its title").await;

    // "Show all 28" backlinks: the page holds three; opened, the rest are
    // fetched from their shared file (reading.js) and shown in place.
    client.find(Locator::Css(".backlinks-more > summary")).await.unwrap().click().await.unwrap();
    browser
        .wait_until(
            "document.querySelectorAll('.backlinks li > a').length === 28 && [...document.querySelectorAll('.backlinks li > a')].every(a => a.checkVisibility()) && !document.querySelector('.backlinks-link')",
            "Lithium's backlinks fetched in place",
        )
        .await;
    // graph.js paints the local graph from the page's list once the page has loaded.
    browser
        .wait_until("document.querySelector('.local-graph svg.graph.wide')", "Lithium's painted graph")
        .await;
    // Lithium's local graph is too wide for a ring (graph.rs lays out columns):
    // its second hop stays a list of links, fetched from its shared file
    // (page weight) when the reader opens "Show 2 hops".
    assert_eq!(browser.eval("return document.querySelector('.local-graph svg.graph.wide.columns') !== null && document.querySelector('.local-graph ul.hops') === null;").await, true);
    client.find(Locator::Css(".local-graph .graph-more > summary")).await.unwrap().click().await.unwrap();
    browser
        .wait_until("document.querySelector('.local-graph .graph-more ul.hops a')", "Lithium's second hop")
        .await;
    assert_eq!(browser.eval("return document.querySelector('.local-graph .hops-link') === null && document.querySelector('.local-graph ul.hops').checkVisibility();").await, true);

    // Antimony's local graph is a ring: "Show 2 hops" fetches the list and
    // draws its notes as an outer ring (graph.js), every one a link to the
    // same note as in the list.
    client.goto(&format!("{base}/minerals/antimony/")).await.unwrap();
    browser
        .wait_until("document.querySelector('.local-graph .hops-link a')", "Antimony's second-hop link")
        .await;
    let count = "return document.querySelectorAll('.local-graph svg.graph.radial a.node').length;";
    let one_hop = browser.eval(count).await.as_u64().unwrap();
    let height = "return document.querySelector('.local-graph svg.graph.radial').viewBox.baseVal.height;";
    let small = browser.eval(height).await.as_f64().unwrap();
    client.find(Locator::Css(".local-graph .graph-more > summary")).await.unwrap().click().await.unwrap();
    browser
        .wait_until("document.querySelector('.local-graph .ring-note')", "graph.js's ring on Antimony")
        .await;
    let listed: Vec<String> = serde_json::from_value(
        browser
            .eval("return Array.from(document.querySelectorAll('.local-graph ul.hops a')).map(a => a.href);")
            .await,
    )
    .unwrap();
    assert!(!listed.is_empty(), "Antimony has no second hop");
    browser
        .wait_until(
            &format!(
                "document.querySelectorAll('.local-graph svg.graph.radial a.node').length === {}",
                one_hop as usize + listed.len()
            ),
            "the second ring",
        )
        .await;
    let drawn: Vec<String> = serde_json::from_value(
        browser
            .eval(&format!(
                "return Array.from(document.querySelectorAll('.local-graph svg.graph.radial a.node')).slice({one_hop}).map(a => a.href.baseVal ? new URL(a.getAttribute('href'), location.href).href : a.href);"
            ))
            .await,
    )
    .unwrap();
    assert_eq!(drawn, listed);
    assert!(browser.eval(height).await.as_f64().unwrap() > small, "the picture did not grow");
    // The ring's markers are unlabelled: the list still names every note.
    assert_eq!(
        browser.eval("return document.querySelector('.local-graph ul.hops').checkVisibility();").await,
        true
    );
    assert_no_violations(&browser, "Antimony with two hops").await;
    // Closing it takes the ring away again (the toggle event comes after the click).
    client.find(Locator::Css(".local-graph .graph-more > summary")).await.unwrap().click().await.unwrap();
    browser
        .wait_until(
            &format!(
                "document.querySelectorAll('.local-graph svg.graph.radial a.node').length === {one_hop}"
            ),
            "the second ring gone",
        )
        .await;
    assert_eq!(browser.eval(height).await.as_f64().unwrap(), small);

    // /revise/ on the flagship: today's queue (new items up to the daily
    // limit of 20), a question answered, then a flashcard flipped with Space
    // and rated; axe-core finds nothing serious in either state.
    // (tests/browser_revise.rs checks the schedule itself.)
    let (status, json) = server.get("/REPO/_lode/revise.json");
    assert_eq!(status, 200);
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    let total = data["questions"].as_array().unwrap().len() + data["cards"].as_array().unwrap().len();
    client.goto(&format!("{base}/revise/")).await.unwrap();
    browser.wait_until("document.querySelector('.revise-question')", "the first question").await;
    let due = browser.eval("return document.getElementById('rv-due').textContent;").await;
    assert_eq!(due, serde_json::json!(format!("Due today ({})", total.min(20))));
    assert_no_violations(&browser, "/revise/").await;
    client.find(Locator::Css("#rv-opt-0")).await.unwrap().click().await.unwrap();
    client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
    browser.wait_until("document.querySelector('.revise-back-in')", "when it comes back").await;
    let back = browser.eval("return document.querySelector('.revise-back-in').textContent;").await;
    assert!(back.as_str().unwrap().starts_with("Back in "), "{back}");
    assert_no_violations(&browser, "/revise/ after an answer").await;
    // A note with flashcards, revised on its own (`?note=`).
    let card_note = data["cards"][0]["id"].as_str().unwrap().split('#').next().unwrap().to_string();
    client.goto(&format!("{base}/revise/?note={card_note}")).await.unwrap();
    browser.wait_until("document.getElementById('rv-due')", "the note's queue").await;
    // Answer the note's questions (if any) until its first card shows.
    for _ in 0..50 {
        if browser.eval("return !!document.querySelector('.revise-card');").await == true {
            break;
        }
        client.find(Locator::Css("#rv-opt-0")).await.unwrap().click().await.unwrap();
        client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
        client.find(Locator::Css(".rv-next")).await.unwrap().click().await.unwrap();
    }
    browser.wait_until("document.querySelector('.revise-card')", "a flashcard").await;
    assert_no_violations(&browser, "a flashcard").await;
    let hidden = "document.querySelector('.revise-back').hidden";
    assert_eq!(browser.eval(&format!("return {hidden};")).await, serde_json::json!(true));
    browser.eval("document.activeElement.blur(); return true;").await;
    browser
        .eval("document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })); return true;")
        .await;
    assert_eq!(browser.eval(&format!("return {hidden};")).await, serde_json::json!(false));
    assert_no_violations(&browser, "a flashcard's answer").await;
    client.find(Locator::Css(".rv-rate[data-rating='3']")).await.unwrap().click().await.unwrap();
    browser
        .wait_until(
            "document.getElementById('rv-status').textContent.startsWith('Good · Back in')",
            "the rating",
        )
        .await;

    browser.close().await;
}
