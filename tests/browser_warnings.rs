//! Under `lode serve`, a build's warnings (a misspelt `sumary`) show in a
//! small panel in headless Chromium: a labelled region with a keyboard
//! reachable close button, inside a 390 px phone's screen and a desktop's,
//! readable in the light and dark themes (axe-core finds nothing serious),
//! while errors keep the overlay.
//!
//! Needs Debian's chromium and chromium-driver, and axe-core
//! (`npm ci --prefix tests/a11y`).

mod common;

use common::TestSite;
use common::browser::Browser;
use common::server::Server;
use fantoccini::Locator;
use fantoccini::key::Key;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warnings_show_in_a_dismissible_panel_at_phone_and_desktop_widths() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Lithium]].\n"),
        (
            "content/lithium.md",
            "+++\ntitle = \"Lithium\"\nsumary = \"The lightest metal.\"\n+++\nSee [[China]].\n",
        ),
        ("content/china.md", "# China\n\nRefines [[Lithium]].\n"),
    ]);
    let server = Server::start(site.root());
    for (width, height) in [(390, 844), (1280, 900)] {
        let browser = Browser::start(width, height).await;
        let client = &browser.client;
        client.goto(&format!("http://{}/lithium/", server.addr)).await.unwrap();
        // The viewport itself (a window is at least 500 px wide): DevTools' device metrics.
        let metrics =
            serde_json::json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
        browser.cdp("Emulation.setDeviceMetricsOverride", metrics).await;
        browser.wait_until(&format!("window.innerWidth === {width}"), "the viewport's width").await;
        browser.wait_until("document.getElementById('lode-warnings')", "the warnings panel").await;
        let panel = client.find(Locator::Id("lode-warnings")).await.unwrap();
        let text = panel.text().await.unwrap();
        assert!(
            text.contains("1 build warning")
                && text.contains("content/lithium.md:3:1")
                && text.contains("sumary"),
            "{text}"
        );
        // A region named by its heading; not the error overlay.
        let named = browser
            .eval(
                "const p = document.getElementById('lode-warnings');
                 return [p.getAttribute('role'), document.getElementById(p.getAttribute('aria-labelledby')).textContent,
                         !!document.getElementById('lode-overlay')];",
            )
            .await;
        assert_eq!(named, serde_json::json!(["region", "1 build warning", false]), "{width}px");
        // Wholly on screen, the page still scrolls beside it.
        let fits = browser
            .eval(
                "const r = document.getElementById('lode-warnings').getBoundingClientRect();
                 return r.left >= 0 && r.right <= document.documentElement.clientWidth && r.bottom <= innerHeight && r.height <= innerHeight / 2
                   && document.documentElement.scrollWidth <= document.documentElement.clientWidth;",
            )
            .await;
        let sizes = browser
            .eval(
                "const r = document.getElementById('lode-warnings').getBoundingClientRect();
                 return [r.left, r.right, r.bottom, r.height, innerWidth, innerHeight, document.documentElement.scrollWidth, document.documentElement.clientWidth];",
            )
            .await;
        assert_eq!(fits, serde_json::json!(true), "{width}px: the panel fits the screen: {sizes}");
        // Readable in both themes: axe-core's contrast and naming rules.
        let mut backgrounds = Vec::new();
        for theme in ["light", "dark"] {
            browser.eval(&format!("document.documentElement.dataset.theme = '{theme}'; return true;")).await;
            backgrounds.push(
                browser
                    .eval(
                        "return getComputedStyle(document.getElementById('lode-warnings')).backgroundColor;",
                    )
                    .await,
            );
            let found: Vec<String> =
                browser.axe().await.into_iter().filter(|v| v.contains("lode-warnings")).collect();
            assert!(found.is_empty(), "{width}px, {theme}: {found:?}");
        }
        assert_ne!(backgrounds[0], backgrounds[1], "the panel follows the theme");
        // The close button is reached with Tab and pressed with Enter.
        let reached = browser
            .eval(
                "const b = document.querySelector('#lode-warnings button');
                 document.body.tabIndex = -1; document.body.focus();
                 return [b.tabIndex >= 0, b.getAttribute('aria-label')];",
            )
            .await;
        assert_eq!(reached, serde_json::json!([true, "Close the build warnings"]));
        let mut tabs = 0;
        while browser
            .eval("return document.activeElement === document.querySelector('#lode-warnings button');")
            .await
            != serde_json::json!(true)
        {
            client.active_element().await.unwrap().send_keys(&Key::Tab.to_string()).await.unwrap();
            tabs += 1;
            assert!(tabs < 60, "{width}px: Tab never reaches the close button");
        }
        client.active_element().await.unwrap().send_keys(&Key::Enter.to_string()).await.unwrap();
        browser.wait_until("!document.getElementById('lode-warnings')", "the panel to close").await;
        // Closed stays closed on a reload while the warnings are the same.
        client.refresh().await.unwrap();
        browser
            .wait_until("document.documentElement.dataset.lodeLive === 'connected'", "the event stream")
            .await;
        assert_eq!(
            browser.eval("return !!document.getElementById('lode-warnings');").await,
            serde_json::json!(false)
        );
        browser.close().await;
    }
    // Other warnings open it again; fixing them all hides it.
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("http://{}/lithium/", server.addr)).await.unwrap();
    browser.wait_until("document.documentElement.dataset.lodeLive === 'connected'", "the event stream").await;
    site.write("content/blank.md", "");
    browser
        .wait_until(
            "document.getElementById('lode-warnings')?.innerText.includes('this note is empty')",
            "new warnings",
        )
        .await;
    std::fs::remove_file(site.root().join("content/blank.md")).unwrap();
    site.write(
        "content/lithium.md",
        "+++\ntitle = \"Lithium\"\nsummary = \"The lightest metal.\"\n+++\nSee [[China]].\n",
    );
    browser
        .wait_until(
            "!document.getElementById('lode-warnings') && document.body.innerText.includes('lightest')",
            "no warnings",
        )
        .await;
    browser.close().await;
}
