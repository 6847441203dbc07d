//! The study pages in headless Chromium, on the flagship site served under
//! `/REPO/` by a plain static server: `/graph/` zooms, and a node opens its note;
//! a note's "Show 2 hops" draws its second hop as an outer ring;
//! `/revise/` scores answers, remembers them across a reload, offers the
//! mistakes again, forgets them on reset, and flips flashcards; axe-core
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
    let node =
        client.find(Locator::Css("svg.graph a.node[aria-label^='Lithium ('] > :nth-child(2)")).await.unwrap();
    node.click().await.unwrap();
    browser.wait_until("location.pathname === '/REPO/minerals/lithium/'", "the Lithium note").await;
    browser.wait_until("document.querySelector('h1').textContent === 'Lithium'", "its title").await;

    // Lithium's local graph: "Show 2 hops" draws the listed notes as an outer
    // ring (graph.js), every one a link to the same note as in the list.
    let count = "return document.querySelectorAll('.local-graph > .graph-frame svg a.node').length;";
    let one_hop = browser.eval(count).await.as_u64().unwrap();
    let listed: Vec<String> = serde_json::from_value(
        browser
            .eval("return Array.from(document.querySelectorAll('.local-graph ul.hops a')).map(a => a.href);")
            .await,
    )
    .unwrap();
    assert!(!listed.is_empty(), "Lithium has no second hop");
    let height = "return document.querySelector('.local-graph > .graph-frame svg').viewBox.baseVal.height;";
    let small = browser.eval(height).await.as_f64().unwrap();
    client.find(Locator::Css(".local-graph .graph-more > summary")).await.unwrap().click().await.unwrap();
    browser
        .wait_until(
            &format!(
                "document.querySelectorAll('.local-graph > .graph-frame svg a.node').length === {}",
                one_hop as usize + listed.len()
            ),
            "the second ring",
        )
        .await;
    let drawn: Vec<String> = serde_json::from_value(
        browser
            .eval(&format!(
                "return Array.from(document.querySelectorAll('.local-graph > .graph-frame svg a.node')).slice({one_hop}).map(a => a.href.baseVal ? new URL(a.getAttribute('href'), location.href).href : a.href);"
            ))
            .await,
    )
    .unwrap();
    assert_eq!(drawn, listed);
    assert!(browser.eval(height).await.as_f64().unwrap() > small, "the picture did not grow");
    assert_eq!(browser.eval("return document.querySelector('.local-graph ul.hops').hidden;").await, true);
    assert_no_violations(&browser, "Lithium with two hops").await;
    // Closing it takes the ring away again (the toggle event comes after the click).
    client.find(Locator::Css(".local-graph .graph-more > summary")).await.unwrap().click().await.unwrap();
    browser
        .wait_until(
            &format!(
                "document.querySelectorAll('.local-graph > .graph-frame svg a.node').length === {one_hop}"
            ),
            "the second ring gone",
        )
        .await;
    assert_eq!(browser.eval(height).await.as_f64().unwrap(), small);

    // /revise/: the first question right, the second wrong.
    let (status, json) = server.get("/REPO/_lode/revise.json");
    assert_eq!(status, 200);
    let data: serde_json::Value = serde_json::from_str(&json).unwrap();
    let questions = data["questions"].as_array().unwrap();
    assert!(questions.len() >= 2);
    client.goto(&format!("{base}/revise/")).await.unwrap();
    browser.wait_until("document.querySelector('.revise-question')", "the first question").await;
    assert_no_violations(&browser, "/revise/").await;
    let answer = |right: bool, q: &serde_json::Value| {
        let options = q["options"].as_array().unwrap();
        let chosen = options.iter().position(|o| (*o == q["answer"]) == right).unwrap();
        format!("#rv-opt-{chosen}")
    };
    for (q, right) in [(&questions[0], true), (&questions[1], false)] {
        let legend = q["question"].as_str().unwrap();
        browser
            .wait_until(
                &format!(
                    "document.querySelector('.revise-question legend').textContent === {}",
                    serde_json::json!(legend)
                ),
                "the question",
            )
            .await;
        client.find(Locator::Css(&answer(right, q))).await.unwrap().click().await.unwrap();
        client.find(Locator::Css(".rv-submit")).await.unwrap().click().await.unwrap();
        let verdict = if right { "Right." } else { "Wrong" };
        browser
            .wait_until(
                &format!("document.querySelector('.revise-verdict') && document.querySelector('.revise-verdict').textContent.startsWith('{verdict}')"),
                "the verdict",
            )
            .await;
        // The explanation's links and the note link lead into the site.
        let href =
            browser.eval("return document.querySelector('.revise-feedback p:last-child a').href;").await;
        let expected = format!("{base}/{}", q["id"].as_str().unwrap().split('#').next().unwrap());
        assert_eq!(href, serde_json::json!(expected));
        client.find(Locator::Css(".rv-next")).await.unwrap().click().await.unwrap();
    }
    let score = browser.eval("return document.getElementById('rv-score').textContent;").await;
    assert_eq!(score, serde_json::json!("Score this session: 1/2"));

    // After a reload the progress is still there, and the wrong one is offered again.
    client.refresh().await.unwrap();
    browser.wait_until("document.getElementById('rv-mistakes')", "the revision mode after reload").await;
    let mistakes = browser.eval("return document.getElementById('rv-mistakes').textContent;").await;
    assert_eq!(mistakes, serde_json::json!("Review my mistakes (1)"));
    let meta = browser.eval("return document.querySelector('.revise-meta').textContent;").await;
    assert!(meta.as_str().unwrap().contains("answered 1×, 1 right"), "{meta}");
    client.find(Locator::Id("rv-mistakes")).await.unwrap().click().await.unwrap();
    let legend = browser.eval("return document.querySelector('.revise-question legend').textContent;").await;
    assert_eq!(legend, questions[1]["question"]);
    let meta = browser.eval("return document.querySelector('.revise-meta').textContent;").await;
    assert!(meta.as_str().unwrap().starts_with("Question 1 of 1"), "{meta}");

    // Reset, once confirmed, forgets everything.
    browser.eval("window.confirm = function () { return true; }; return true;").await;
    client.find(Locator::Id("rv-reset")).await.unwrap().click().await.unwrap();
    browser
        .wait_until(
            "document.getElementById('rv-mistakes').textContent === 'Review my mistakes (0)'",
            "the reset",
        )
        .await;
    let disabled = browser.eval("return document.getElementById('rv-mistakes').disabled;").await;
    assert_eq!(disabled, serde_json::json!(true));
    client.refresh().await.unwrap();
    browser.wait_until("document.getElementById('rv-mistakes')", "the revision mode after reset").await;
    let meta = browser.eval("return document.querySelector('.revise-meta').textContent;").await;
    assert!(!meta.as_str().unwrap().contains("answered"), "{meta}");

    // Flashcards: the back shows after the flip button, and again after Space.
    client.find(Locator::Css(".revise-modes button:nth-child(2)")).await.unwrap().click().await.unwrap();
    browser.wait_until("document.querySelector('.revise-card')", "a flashcard").await;
    assert_no_violations(&browser, "a flashcard").await;
    let front = browser.eval("return document.querySelector('.revise-front').textContent;").await;
    assert_eq!(front, data["cards"][0]["front"]);
    let hidden = "document.querySelector('.revise-back').hidden";
    assert_eq!(browser.eval(&format!("return {hidden};")).await, serde_json::json!(true));
    client.find(Locator::Css(".rv-flip")).await.unwrap().click().await.unwrap();
    assert_eq!(browser.eval(&format!("return {hidden};")).await, serde_json::json!(false));
    let back = browser.eval("return document.querySelector('.revise-back').textContent;").await;
    assert_eq!(back, data["cards"][0]["back"]);
    browser.eval("document.activeElement.blur(); return true;").await;
    browser
        .eval("document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })); return true;")
        .await;
    assert_eq!(browser.eval(&format!("return {hidden};")).await, serde_json::json!(true));

    browser.close().await;
}
