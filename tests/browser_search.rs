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
use common::static_server::{StaticServer, serve_flagship_under_repo};
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
            "document.getElementById('search-results').dataset.query === 'refining'
             || /available/.test(document.querySelector('.search-status').textContent)",
            "the results for refining",
        )
        .await;
    let shown = browser
        .eval(
            "return [location.href, document.querySelector('.search-status').textContent,
               performance.getEntriesByType('resource').filter(e => e.name.includes('_lode/search'))
                 .map(e => [e.name.split('_lode/search/')[1], e.responseStatus, Math.round(e.startTime)])];",
        )
        .await;
    assert!(result_urls(browser).await.contains(&lithium), "the lithium note among the results: {shown}");
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
    while server.get("/_lode/search/meta.json").0 != 200 {
        assert!(std::time::Instant::now() < deadline, "no search index within 15 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    search_and_open_lithium(&browser, &base, "minerals/tin/").await;

    // The dialog on the page holds the index it read (its meta.json).
    press(&browser, &['/']).await;
    browser.wait_until("document.activeElement.id === 'search-input'", "the input").await;
    type_text(&browser, "solder").await;
    browser
        .wait_until(
            "document.getElementById('search-results').dataset.query === 'solder'",
            "solder's results",
        )
        .await;
    let id_of = |body: String| serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"].clone();
    let before = id_of(server.get("/_lode/search/meta.json").1);

    // After an edit the index follows: a new word is found.
    site.write("content/minerals/tin.md", "+++\ntitle = \"Tin\"\n+++\nSolder and smelting.\n");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while id_of(server.get("/_lode/search/meta.json").1) == before {
        assert!(std::time::Instant::now() < deadline, "no new index within 15 s");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The dialog opened again on the same page, not loaded again, reads
    // the new index (it had loaded the only chunk from the old one).
    press(&browser, &[ESCAPE]).await;
    browser.wait_until("!document.querySelector('dialog.search-dialog').open", "the dialog closed").await;
    press(&browser, &['/']).await;
    browser.wait_until("document.activeElement.id === 'search-input'", "the input").await;
    let input = browser.client.find(Locator::Id("search-input")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("smelting").await.unwrap();
    browser
        .wait_until(
            &format!(
                "document.getElementById('search-results').dataset.query === 'smelting'
                 && [...document.querySelectorAll('.search-results a')].some(a => a.href === '{base}minerals/tin/')"
            ),
            "the new word found in the dialog opened before the edit",
        )
        .await;
    press(&browser, &[ESCAPE]).await;

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

/// Opens the search dialog on `url` with '/', types `term` and waits until
/// the list shows its results.
async fn search_for(browser: &Browser, url: &str, term: &str) {
    browser.client.goto(url).await.unwrap();
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    press(browser, &['/']).await;
    browser.wait_until("document.activeElement.id === 'search-input'", "the input").await;
    type_text(browser, term).await;
    browser
        .wait_until(
            &format!(
                "document.getElementById('search-results').dataset.query === {}",
                serde_json::json!(term)
            ),
            "the results",
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_result_is_reachable_with_show_more() {
    // 25 notes with the word: three pages of results.
    let mut files: Vec<(String, String)> = vec![("content/_index.md".into(), "# Home\n".into())];
    for i in 0..25 {
        files.push((format!("content/n{i:02}.md"), format!("# Zircon note {i}\n\nZircon, number {i}.\n")));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let site = TestSite::new(&refs);
    tokio::task::block_in_place(|| site.build()); // The build blocks: off the async runtime.
    let server = StaticServer::start(&site.output());
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(390, 800).await;
    search_for(&browser, &base, "zircon").await;
    assert_eq!(result_urls(&browser).await.len(), 10);
    let status = browser.eval("return document.querySelector('.search-status').textContent;").await;
    assert_eq!(status, "25 notes found; showing 10.");
    // The status line is the live region that announces each step.
    let live = browser.eval("return document.querySelector('.search-status').getAttribute('role');").await;
    assert_eq!(live, "status");

    // From the keyboard: down the results to the button, Enter; the focus
    // lands on the first new result.
    for _ in 0..=10 {
        press(&browser, &[ARROW_DOWN]).await;
    }
    let focused = browser.eval("return document.activeElement.className;").await;
    assert_eq!(focused, "search-more", "the arrows reach the button after the last result");
    press(&browser, &[ENTER]).await;
    browser
        .wait_until("document.getElementById('search-results').dataset.shown === '20'", "20 results")
        .await;
    let at = browser
        .eval("return [...document.querySelectorAll('.search-results a')].indexOf(document.activeElement);")
        .await;
    assert_eq!(at, 10, "the focus is on the first new result");
    let status = browser.eval("return document.querySelector('.search-status').textContent;").await;
    assert_eq!(status, "25 notes found; showing 20.");

    // The last five, then no button.
    browser.client.find(Locator::Css(".search-more")).await.unwrap().click().await.unwrap();
    browser
        .wait_until("document.getElementById('search-results').dataset.shown === '25'", "25 results")
        .await;
    assert_eq!(browser.eval("return document.querySelector('.search-more').hidden;").await, true);
    let status = browser.eval("return document.querySelector('.search-status').textContent;").await;
    assert_eq!(status, "25 notes found.");
    let mut urls = result_urls(&browser).await;
    urls.sort();
    let expected: Vec<String> = (0..25).map(|i| format!("{base}n{i:02}/")).collect();
    assert_eq!(urls, expected, "every note is reachable, once");

    // A new query starts again at ten.
    let input = browser.client.find(Locator::Id("search-input")).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys("number").await.unwrap();
    browser
        .wait_until(
            "document.getElementById('search-results').dataset.query === 'number'
             && document.getElementById('search-results').dataset.shown === '10'",
            "the new query's first ten",
        )
        .await;
    assert_eq!(browser.eval("return document.querySelector('.search-more').hidden;").await, false);
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "{violations:#?}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_opens_the_note_at_the_question_or_card_it_matched() {
    // The card is the contract's markup written as raw HTML (the card syntax
    // is built on another branch); see `unspoilt` in tests/search.rs.
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        (
            "content/lithium.md",
            "+++\ntitle = \"Lithium\"\n\n[[questions]]\nquestion = \"Which country mines most cobalt?\"\noptions = [\"Congo\", \"Chile\"]\nanswer = \"Congo\"\n\n[[questions]]\nquestion = \"Which metal is called white gold in batteries?\"\noptions = [\"Lithium\", \"Tin\"]\nanswer = \"Lithium\"\nexplanation = \"Its price, mostly.\"\n+++\nLithium is light.\n\n## Refining\n\nRefining happens mostly in one country, with spodumene as the ore.\n\n<details class=\"card\" id=\"card-1a2b3c4d\"><summary class=\"card-front\">What is petalite?</summary><div class=\"card-back\" data-pagefind-ignore>An ore.</div></details>\n\n## Uses\n\nBatteries.\n",
        ),
    ]);
    tokio::task::block_in_place(|| site.build()); // The build blocks: off the async runtime.
    let server = StaticServer::start(&site.output());
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(1280, 900).await;

    for (term, href, part) in [
        ("white gold", "lithium/#q2", Some("Question 2")),
        ("cobalt", "lithium/#q1", Some("Question 1")),
        ("petalite", "lithium/#card-1a2b3c4d", Some("Flashcard")),
        ("spodumene", "lithium/", None),
    ] {
        search_for(&browser, &base, term).await;
        let result = browser
            .eval(
                "const a = document.querySelector('.search-results a');
                 return { href: a.href, part: a.querySelector('.search-result-part')?.textContent ?? null,
                          excerpt: a.querySelector('.search-result-excerpt').textContent };",
            )
            .await;
        assert_eq!(result["href"], format!("{base}{href}"), "{term}: {result}");
        assert_eq!(result["part"], serde_json::json!(part), "{term}: {result}");
        // A question's excerpt is its own words, from its start.
        if term == "white gold" {
            assert!(
                result["excerpt"].as_str().unwrap().starts_with("Which metal is called white gold"),
                "{result}"
            );
        }
        press(&browser, &[ESCAPE]).await;
        browser.wait_until("!document.querySelector('dialog.search-dialog').open", "the dialog closed").await;
    }
    // Following the link lands on the question.
    search_for(&browser, &base, "white gold").await;
    press(&browser, &[ENTER]).await;
    browser
        .wait_until(
            &format!(
                "location.href === '{base}lithium/#q2' && document.querySelector(':target')?.id === 'q2'"
            ),
            "the note at its second question",
        )
        .await;
    browser.close().await;
}

/// Searches the first eight words of each question and flashcard front, as
/// a student would, through the search dialog, and returns what the result
/// for the item's note opens: `[items, at the item, at the note's top, at
/// another part, note not among the shown results]`, with the misses.
async fn open_at_items(browser: &Browser, base: &str) -> serde_json::Value {
    browser.client.goto(base).await.unwrap();
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    browser.eval("document.querySelector('.search-button').click(); return true;").await;
    browser.wait_until("document.getElementById('search-input')", "the input").await;
    browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             (async () => {
               const root = new URL(document.body.dataset.root, location.href);
               const data = await (await fetch(new URL('_lode/revise.json', root))).json();
               const plain = (html) => { const d = document.createElement('div'); d.innerHTML = html; return d.textContent; };
               const items = data.questions.map(q => ({ id: q.id, text: q.question }))
                 .concat(data.cards.map(c => ({ id: c.id, text: plain(c.front).replace(/\\[…\\]/g, ' ') })));
               const input = document.getElementById('search-input');
               const results = document.getElementById('search-results');
               const tally = { items: items.length, at_item: 0, at_top: 0, elsewhere: 0, missing: 0, misses: [] };
               for (const item of items) {
                 const term = item.text.split(/\\s+/).filter(Boolean).slice(0, 8).join(' ');
                 input.value = term;
                 input.dispatchEvent(new Event('input'));
                 const t0 = Date.now();
                 while (results.dataset.query !== term && Date.now() - t0 < 10000) await new Promise(r => setTimeout(r, 20));
                 const page = new URL(item.id.split('#')[0], root).pathname;
                 const link = [...results.querySelectorAll('a')].find(a => new URL(a.href).pathname === page);
                 const want = '#' + item.id.split('#')[1];
                 if (!link) { tally.missing++; tally.misses.push([item.id, term, 'missing']); }
                 else if (new URL(link.href).hash === want) tally.at_item++;
                 else if (!new URL(link.href).hash) { tally.at_top++; tally.misses.push([item.id, term, 'top']); }
                 else { tally.elsewhere++; tally.misses.push([item.id, term, new URL(link.href).hash]); }
               }
               return tally;
             })().then(done, e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap()
}

/// The figures for the flagship (not a check): run with
/// `cargo test --test browser_search -- --ignored --nocapture flagship_search_opens`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn flagship_search_opens_at_items_measure() {
    let (_tmp, server) = tokio::task::block_in_place(serve_flagship_under_repo);
    let base = format!("http://{}/REPO/", server.addr);
    let browser = Browser::start(1280, 900).await;
    let tally = open_at_items(&browser, &base).await;
    println!("{tally:#}");
    if let Ok(term) = std::env::var("LODE_DEBUG_TERM") {
        // What the dialog shows for one query: each result's link, part and excerpt.
        search_for(&browser, &base, &term).await;
        let shown = browser
            .eval(
                "return [...document.querySelectorAll('.search-results a')].map(a => [a.href,
                   a.querySelector('.search-result-part')?.textContent ?? null,
                   a.querySelector('.search-result-excerpt').textContent]);",
            )
            .await;
        println!("{shown:#}");
    }
    browser.close().await;
}

/// Several questions on one page, each worded like the others and like
/// the body: searching a question's first eight words opens the note at
/// that question; a flashcard of a declared field opens at its row of the
/// facts box, found by its label.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searching_a_questions_words_opens_that_question() {
    let questions = [
        "Which country does the article say mines the most cobalt today?",
        "What does the article say about the price of lithium in the market?",
        "How does the article describe the role of the refiners in the trade?",
        "According to the article, what share of the world's graphite does the market hold?",
    ];
    let mut note = String::from("+++\ntitle = \"Lithium\"\n\n[extra]\nbudget = \"5 billion\"\n");
    for q in questions {
        note.push_str(&format!(
            "\n[[questions]]\nquestion = \"{q}\"\noptions = [\"One\", \"Two\"]\nanswer = \"One\"\n"
        ));
    }
    note.push_str(
        "+++\nThe article says the market is the largest in the world, and the article notes the trade.\n\n",
    );
    note.push_str("## Market\n\nThe article adds that the price of the metal and the role of the state matter to the article's authors.\n\n");
    note.push_str("## Trade\n\nThe article describes the world's refiners and the trade of the metal in the market of the day.\n");
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        (
            "content/m/_index.md",
            "+++\ntitle = \"Minerals\"\ncards = [{ field = \"budget\", label = \"Budget\" }]\n+++\nMinerals.\n",
        ),
        ("content/m/lithium.md", &note),
    ]);
    tokio::task::block_in_place(|| site.build()); // The build blocks: off the async runtime.
    let server = StaticServer::start(&site.output());
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(1280, 900).await;
    let mut terms: Vec<(String, String)> = questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            (q.split_whitespace().take(8).collect::<Vec<_>>().join(" "), format!("m/lithium/#q{}", i + 1))
        })
        .collect();
    terms.push(("Budget".into(), "m/lithium/#field-budget".into()));
    for (term, href) in terms {
        search_for(&browser, &base, &term).await;
        let opened = browser.eval("return document.querySelector('.search-results a')?.href ?? null;").await;
        assert_eq!(opened, serde_json::json!(format!("{base}{href}")), "{term}");
        press(&browser, &[ESCAPE]).await;
    }
    browser.close().await;
}

/// Words the Rust indexer and the JavaScript query must fold and split
/// alike: accents precomposed and not, a sharp s, Greek, Cyrillic, CJK,
/// Devanagari with its vowel signs (combining marks), a ligature, a dotted
/// capital I, digits and an apostrophe, a circled letter (alphabetic, but
/// not a letter to Unicode's general category).
const TRICKY: [&str; 12] = [
    "Crème",
    "cre\u{300}me-bru\u{302}lée",
    "Straße",
    "ΟΔΥΣΣΕΥΣ",
    "Москва",
    "東京都",
    "खनिज",
    "ﬁnance",
    "İzmir",
    "CO2-neutral",
    "world's",
    "Ⓐlpha",
];

/// The index's own matching, through the dialog: a word finds its plural
/// and its singular, and a word typed in part; accents and case fold both
/// ways; several words must all be on a note; a filter alone lists its
/// collection; an answer's words find nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_matches_plurals_prefixes_accents_and_all_words() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\nMetals we need.\n"),
        (
            "content/minerals/lithium.md",
            "+++\ntitle = \"Lithium\"\n\n[[questions]]\nquestion = \"Where is it refined?\"\noptions = [\"Here\", \"There\"]\nanswer = \"Here\"\nexplanation = \"Mostly zqxexplainword.\"\n+++\nLithium is found in pegmatites and used in every battery. Its refining is traded in Zürich.\n\n<details class=\"card\" id=\"card-1a2b3c4d\"><summary class=\"card-front\">What is petalite?</summary><div class=\"card-back\" data-pagefind-ignore>An ore of zqxbackword.</div></details>\n",
        ),
        ("content/minerals/tin.md", "+++\ntitle = \"Tin\"\n+++\nSolder needs refining too.\n"),
        ("content/loose.md", "# Loose\n\nLoose minerals and a lithium mine, in ZURICH.\n"),
        // Words whose folding and splitting the indexer (Rust) and the
        // dialog (JavaScript) must agree on.
        ("content/words.md", &format!("# Words\n\n{}\n", TRICKY.join(" "))),
    ]);
    tokio::task::block_in_place(|| site.build()); // The build blocks: off the async runtime.
    let server = StaticServer::start(&site.output());
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(1280, 900).await;
    let paths = |urls: Vec<String>| {
        let mut paths: Vec<String> = urls.iter().map(|u| u.trim_start_matches(&base).to_string()).collect();
        paths.sort();
        paths
    };
    for (term, expected) in [
        // A word finds its plural, as a prefix: "mineral" finds "minerals".
        ("mineral", &["loose/", "minerals/"][..]),
        // A plural finds the singular: "batteries" finds "battery", "pegmatite" "pegmatites".
        ("batteries", &["minerals/lithium/"][..]),
        ("pegmatite", &["minerals/lithium/"][..]),
        // A word typed in part.
        ("pegma", &["minerals/lithium/"][..]),
        // Accents and case fold, whichever side has them.
        ("zurich", &["loose/", "minerals/lithium/"][..]),
        ("Zürich", &["loose/", "minerals/lithium/"][..]),
        // Every word must be on the note: each alone finds more.
        ("refining", &["minerals/lithium/", "minerals/tin/"][..]),
        ("lithium", &["loose/", "minerals/lithium/"][..]),
        ("lithium refining", &["minerals/lithium/"][..]),
        ("refining lithium", &["minerals/lithium/"][..]),
        ("lithium solder", &[][..]),
        // An explanation's or a card back's words are not indexed; the question's are.
        ("zqxexplainword", &[][..]),
        ("zqxbackword", &[][..]),
        ("petalite", &["minerals/lithium/#card-1a2b3c4d"][..]),
    ] {
        search_for(&browser, &base, term).await;
        assert_eq!(paths(result_urls(&browser).await), expected, "{term}");
        if expected.is_empty() {
            let status = browser.eval("return document.querySelector('.search-status').textContent;").await;
            assert_eq!(status, "No notes found.", "{term}");
        } else {
            // The matched words are marked, whatever their accents or case.
            let marks = browser
                .eval(
                    "return [...document.querySelectorAll('.search-results mark')].map(m => m.textContent);",
                )
                .await;
            assert!(!marks.as_array().unwrap().is_empty(), "{term}: {marks}");
        }
        press(&browser, &[ESCAPE]).await;
    }
    // Each tricky word, searched as written, finds its note; so does Greek
    // typed in lower case with its final sigma (ς, the same letter as σ).
    for word in TRICKY.into_iter().chain(["οδυσσευς"]) {
        search_for(&browser, &base, word).await;
        let urls = paths(result_urls(&browser).await);
        assert!(urls.contains(&"words/".to_string()), "{word}: {urls:?}");
        press(&browser, &[ESCAPE]).await;
    }
    // The excerpt marks the accented word a folded query found.
    search_for(&browser, &base, "zurich").await;
    let marks = browser
        .eval("return [...document.querySelectorAll('.search-results mark')].map(m => m.textContent).sort();")
        .await;
    assert_eq!(marks, serde_json::json!(["ZURICH", "Zürich"]));
    press(&browser, &[ESCAPE]).await;

    // A filter alone, no words: the collection's notes and its own page.
    browser.client.goto(&base).await.unwrap();
    browser.wait_until("!document.querySelector('.search-button').hidden", "the search button").await;
    press(&browser, &['/']).await;
    browser
        .wait_until(
            "document.querySelectorAll('#search-filter-collection option').length === 2",
            "the filter",
        )
        .await;
    let option = browser
        .eval("return document.querySelectorAll('#search-filter-collection option')[1].textContent;")
        .await;
    assert_eq!(option, "Minerals (3)", "the value with its count of pages");
    browser
        .eval(
            "const s = document.getElementById('search-filter-collection');
             s.value = 'Minerals'; s.dispatchEvent(new Event('change')); return true;",
        )
        .await;
    browser
        .wait_until("document.getElementById('search-results').dataset.query === ''", "the filter's notes")
        .await;
    assert_eq!(paths(result_urls(&browser).await), ["minerals/", "minerals/lithium/", "minerals/tin/"]);
    let status = browser.eval("return document.querySelector('.search-status').textContent;").await;
    assert_eq!(status, "3 notes found.");
    // With words too, the filter narrows them.
    type_text(&browser, "lithium").await;
    browser
        .wait_until("document.getElementById('search-results').dataset.query === 'lithium'", "the results")
        .await;
    assert_eq!(paths(result_urls(&browser).await), ["minerals/lithium/"]);
    browser.close().await;
}

/// Words after an anchored element are not its: a note's intro after a
/// facts row (`field-…`) opens the note at its top, not at the row, while
/// the row's own words open at it (a newcomer found "centre" in the
/// flagship's intro opening Lithium at its China-share row, "Flashcard").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn words_after_a_card_or_facts_row_open_the_note_not_the_row() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n"),
        (
            "content/minerals/lithium.md",
            "+++\ntitle = \"Lithium\"\n+++\n<dl><dt id=\"field-budget\">Zqxbudget</dt><dd>5</dd></dl>\n\nAn intro about zqxintro and more.\n",
        ),
    ]);
    tokio::task::block_in_place(|| site.build());
    let server = StaticServer::start(&site.output());
    let base = format!("http://{}/", server.addr);
    let browser = Browser::start(1280, 900).await;
    for (term, href) in [("zqxintro", "minerals/lithium/"), ("zqxbudget", "minerals/lithium/#field-budget")] {
        search_for(&browser, &base, term).await;
        let opened = browser.eval("return document.querySelector('.search-results a')?.href ?? null;").await;
        assert_eq!(opened, serde_json::json!(format!("{base}{href}")), "{term}");
        press(&browser, &[ESCAPE]).await;
    }
    browser.close().await;
}
