//! Reading aids in a real browser (headless Chromium), on the flagship
//! served under `/REPO/` by a plain static server as GitHub Pages would:
//! link previews on hover and on keyboard focus, section previews, the
//! theme switch, the table of contents, and axe-core on all of them.
//!
//! Needs Debian's chromium and chromium-driver, and axe-core
//! (`npm ci --prefix tests/a11y`).

mod common;

use common::browser::Browser;
use common::static_server::serve_flagship_under_repo;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};
use fantoccini::key::Key;
use serde_json::Value;

/// JavaScript: the popover's title when it is shown, else null.
const SHOWN_TITLE: &str = "(() => { const b = document.getElementById('lode-preview'); \
     return b && !b.hidden ? b.querySelector('.preview-title').textContent : null; })()";

/// Records when the pointer first enters a link and when the popover first shows.
const RECORD_TIMES: &str = "window.__times = {};
    document.addEventListener('pointerover', e => {
      if (e.target.closest('a') && !window.__times.over) window.__times.over = performance.now();
    }, true);
    new MutationObserver(() => {
      const b = document.getElementById('lode-preview');
      if (b && !b.hidden && !window.__times.shown) window.__times.shown = performance.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
    return true;";

/// The popover's and the link's boxes and the viewport, as numbers.
const GEOMETRY: &str = "const b = document.getElementById('lode-preview').getBoundingClientRect();
    const l = document.querySelector(arguments[0]).getBoundingClientRect();
    return { b: [b.left, b.top, b.right, b.bottom], l: [l.left, l.top, l.right, l.bottom],
             vw: document.documentElement.clientWidth, vh: window.innerHeight };";

async fn hover(browser: &Browser, css: &str) {
    // The scroll's own event hides any popover (and cancels a pending one):
    // wait until it has fired before the pointer arrives, or a loaded
    // machine can deliver it after the hover and the popover never shows.
    // (No scroll, no event: then there is nothing to wait for.)
    browser
        .eval(&format!(
            "window.__scrolled = false;
             addEventListener('scroll', () => {{ window.__scrolled = true; }}, {{ once: true }});
             const before = scrollY;
             document.querySelector(\"{css}\").scrollIntoView({{ block: 'center' }});
             if (scrollY === before) window.__scrolled = true;
             return true;"
        ))
        .await;
    browser.wait_until("document.readyState === 'complete' && window.__scrolled", "the scroll event").await;
    let link = browser.client.find(Locator::Css(css)).await.unwrap();
    let mouse = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: link,
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    browser.client.perform_actions(mouse).await.unwrap();
}

/// The popover lies inside the viewport and does not overlap the link.
async fn assert_placed_beside(browser: &Browser, css: &str) {
    let g = browser.client.execute(GEOMETRY, vec![Value::from(css)]).await.unwrap();
    let n = |v: &Value, i: usize| v[i].as_f64().unwrap();
    let (b, l) = (&g["b"], &g["l"]);
    let (vw, vh) = (g["vw"].as_f64().unwrap(), g["vh"].as_f64().unwrap());
    assert!(n(b, 0) >= 0.0 && n(b, 1) >= 0.0 && n(b, 2) <= vw && n(b, 3) <= vh, "outside the viewport: {g}");
    let overlaps = n(b, 0) < n(l, 2) && n(l, 0) < n(b, 2) && n(b, 1) < n(l, 3) && n(l, 1) < n(b, 3);
    assert!(!overlaps, "the popover covers the link: {g}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_previews_show_on_hover_and_focus_and_hide_with_escape() {
    let (_tmp, server) = serve_flagship_under_repo();
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;
    let lithium = format!("http://{}/REPO/minerals/lithium/", server.addr);
    client.goto(&lithium).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the lithium page").await;
    browser.eval(RECORD_TIMES).await;

    // Hover: after the delay, the target's title, summary and facts, beside the link.
    let trust = ".note-body a[href$='programmes/trust/']";
    hover(&browser, trust).await;
    browser.wait_until(&format!("{SHOWN_TITLE} === 'TRUST'"), "the popover of TRUST on hover").await;
    let waited = browser.eval("return window.__times.shown - window.__times.over;").await;
    assert!(waited.as_f64().unwrap() >= 295.0, "shown after {waited} ms, before the delay");
    let text = browser.eval("return document.getElementById('lode-preview').innerText;").await;
    // Collection, summary and key facts (the collection's name is shown in capitals).
    let text = text.as_str().unwrap().to_lowercase();
    for part in
        ["programmes and laws", "a bilateral india–u.s. initiative", "countries\nindia, united states"]
    {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert_placed_beside(&browser, trust).await;
    assert_eq!(
        browser
            .eval(&format!("return document.querySelector(\"{trust}\").getAttribute('aria-describedby');"))
            .await,
        "lode-preview"
    );

    // axe-core with the popover open.
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "with a popover open:\n{}", violations.join("\n"));

    // Keyboard: Tab onto the link shows it; Escape hides it and focus stays on the link.
    client.goto(&lithium).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the lithium page again").await;
    browser
        .eval(&format!(
            "const links = [...document.querySelectorAll('a[href]')];
             links[links.indexOf(document.querySelector(\"{trust}\")) - 1].focus(); return true;"
        ))
        .await;
    client.active_element().await.unwrap().send_keys(&char::from(Key::Tab).to_string()).await.unwrap();
    browser
        .wait_until(
            &format!("document.activeElement === document.querySelector(\"{trust}\")"),
            "Tab onto the link",
        )
        .await;
    browser.wait_until(&format!("{SHOWN_TITLE} === 'TRUST'"), "the popover of TRUST on focus").await;
    assert_placed_beside(&browser, trust).await;
    client.active_element().await.unwrap().send_keys(&char::from(Key::Escape).to_string()).await.unwrap();
    browser.wait_until(&format!("{SHOWN_TITLE} === null"), "Escape hides the popover").await;
    let focused = browser
        .eval(&format!("return document.activeElement === document.querySelector(\"{trust}\");"))
        .await;
    assert_eq!(focused, true, "the popover never takes focus");

    // A link to a heading previews that section.
    client.goto(&format!("http://{}/REPO/programmes/trust/", server.addr)).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the TRUST page").await;
    let figures = ".note-body a[href$='countries/china/#figures']";
    hover(&browser, figures).await;
    browser.wait_until(&format!("{SHOWN_TITLE} === 'China › Figures'"), "the section preview").await;
    let text = browser.eval("return document.getElementById('lode-preview').innerText;").await;
    assert!(text.as_str().unwrap().contains("types of minerals discovered: 173"), "{text}");
    assert_placed_beside(&browser, figures).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_theme_switch_sets_dark_and_keeps_it_after_a_reload() {
    let (_tmp, server) = serve_flagship_under_repo();
    let browser = Browser::start(1280, 900).await;
    let client = &browser.client;
    client.goto(&format!("http://{}/REPO/minerals/lithium/", server.addr)).await.unwrap();
    browser.wait_until("!document.querySelector('.theme-switch').hidden", "the theme switch").await;
    let background = "getComputedStyle(document.body).backgroundColor";
    assert_eq!(browser.eval(&format!("return {background};")).await, "rgb(253, 252, 248)");
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "light:\n{}", violations.join("\n"));

    client.find(Locator::Css("#theme-select")).await.unwrap().select_by_value("dark").await.unwrap();
    browser.wait_until("document.documentElement.dataset.theme === 'dark'", "the dark theme").await;
    assert_eq!(browser.eval(&format!("return {background};")).await, "rgb(21, 23, 26)");
    client.refresh().await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the reload").await;
    assert_eq!(browser.eval("return document.documentElement.dataset.theme;").await, "dark");
    assert_eq!(browser.eval(&format!("return {background};")).await, "rgb(21, 23, 26)");
    assert_eq!(browser.eval("return document.getElementById('theme-select').value;").await, "dark");
    let violations = browser.axe().await;
    assert!(violations.is_empty(), "dark:\n{}", violations.join("\n"));

    // Back to the system's choice (light in headless Chromium): nothing is remembered.
    client.find(Locator::Css("#theme-select")).await.unwrap().select_by_value("system").await.unwrap();
    browser.wait_until("!document.documentElement.dataset.theme", "the system theme").await;
    assert_eq!(browser.eval("return localStorage.getItem('lode-theme');").await, Value::Null);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_of_contents_marks_the_section_being_read() {
    let (_tmp, server) = serve_flagship_under_repo();
    let lithium = format!("http://{}/REPO/minerals/lithium/", server.addr);
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&lithium).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the lithium page").await;
    let marked = "[...document.querySelectorAll('.toc a[aria-current]')].map(a => a.hash).join()";
    browser.eval("document.getElementById('reference-data').scrollIntoView(); return true;").await;
    browser.wait_until(&format!("{marked} === '#reference-data'"), "the last section marked").await;
    // The table of contents stays in view beside the text.
    let top =
        browser.eval("return document.querySelector('.toc details').getBoundingClientRect().top;").await;
    assert!((0.0..900.0).contains(&top.as_f64().unwrap()), "the TOC scrolled away: {top}");
    browser.eval("document.getElementById('why-it-matters').scrollIntoView(); return true;").await;
    browser.wait_until(&format!("{marked} === '#why-it-matters'"), "an earlier section marked").await;
    browser.close().await;

    // On a phone the table of contents starts closed.
    let phone = Browser::start(390, 844).await;
    phone.client.goto(&lithium).await.unwrap();
    phone.wait_until("document.readyState === 'complete'", "the lithium page on a phone").await;
    assert_eq!(phone.eval("return document.querySelector('.toc details').open;").await, false);
    phone.close().await;
}

/// Tabbing onto a link below the fold scrolls the page to it, and the
/// scroll must not cancel the popover the focus asked for (it did: the
/// scroll event, dispatched after `focusin`, cleared the pending popover).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tabbing_to_a_link_below_the_fold_still_shows_its_preview() {
    let (_tmp, server) = serve_flagship_under_repo();
    let browser = Browser::start(1280, 700).await;
    let client = &browser.client;
    client.goto(&format!("http://{}/REPO/minerals/lithium/", server.addr)).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the lithium page").await;
    // The last link of the note's body that leads to a note, far below the fold.
    let target = browser
        .eval(
            "const links = [...document.querySelectorAll('.note-body a[href^=\"../\"]')];
             const a = links[links.length - 1];
             a.id = 'below-the-fold';
             return a.getBoundingClientRect().top > window.innerHeight;",
        )
        .await;
    assert_eq!(target, true, "the link starts below the fold");
    browser
        .eval(
            "const links = [...document.querySelectorAll('a[href]')];
             const prev = links[links.indexOf(document.getElementById('below-the-fold')) - 1];
             prev.focus({ preventScroll: true }); return true;",
        )
        .await;
    client.active_element().await.unwrap().send_keys(&char::from(Key::Tab).to_string()).await.unwrap();
    browser.wait_until("document.activeElement.id === 'below-the-fold'", "Tab onto the link").await;
    browser.wait_until("window.scrollY > 0", "the page scrolled to the link").await;
    browser.wait_until(&format!("{SHOWN_TITLE} !== null"), "the popover after the focus scroll").await;
    browser.close().await;
}

/// JavaScript: each bar of China's chart as drawn: its value's text and the
/// screen boxes of the value, its bar and its track, and the text's colour
/// against the colour behind it.
const BARS: &str = "const svg = document.querySelector('.bar-chart');
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const tracks = [...svg.querySelectorAll('.bar-track')], bars = [...svg.querySelectorAll('rect.bar')];
    return [...svg.querySelectorAll('.bar-value')].map((t, i) => ({
      text: t.textContent, value: box(t), bar: box(bars[i]), track: box(tracks[i]),
      inside: t.classList.contains('inside'),
      fill: getComputedStyle(t).fill, behind: getComputedStyle(t.classList.contains('inside') ? bars[i] : tracks[i]).fill }));";

/// WCAG 2 relative luminance of a CSS `rgb(r, g, b)` colour.
fn luminance(css: &str) -> f64 {
    let parts: Vec<f64> = css
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .trim_end_matches(')')
        .split(',')
        .map(|p| p.trim().parse().unwrap())
        .collect();
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(parts[0]) + 0.7152 * lin(parts[1]) + 0.0722 * lin(parts[2])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chinas_chart_gives_the_articles_words_inside_each_track_in_both_themes() {
    let (_tmp, server) = serve_flagship_under_repo();
    let browser = Browser::start(390, 844).await;
    let mut problems = Vec::new();
    for (width, theme) in [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")] {
        browser.client.set_window_size(width, 900).await.unwrap();
        browser.client.goto(&format!("http://{}/REPO/countries/china/", server.addr)).await.unwrap();
        browser.wait_until("document.readyState === 'complete'", "China").await;
        browser.eval(&format!("localStorage.setItem('lode-theme', '{theme}'); return true;")).await;
        browser.client.refresh().await.unwrap();
        browser.wait_until(&format!("document.documentElement.dataset.theme === '{theme}'"), theme).await;
        let bars = browser.eval(BARS).await;
        let bars = bars.as_array().unwrap();
        let texts: Vec<&str> = bars.iter().map(|b| b["text"].as_str().unwrap()).collect();
        // The article: "nearly 70% of global REE production"; 87%, 58% and 68% as they are.
        assert_eq!(texts, ["nearly 70%", "87%", "58%", "68%"], "{width} px {theme}");
        let n = |v: &Value, i: usize| v[i].as_f64().unwrap();
        for b in bars {
            let (v, t) = (&b["value"], &b["track"]);
            if n(v, 0) < n(t, 0) - 0.5
                || n(v, 2) > n(t, 2) + 0.5
                || n(v, 1) < n(t, 1) - 0.5
                || n(v, 3) > n(t, 3) + 0.5
            {
                problems.push(format!("{width} px {theme}: {} at {v} leaves its track {t}", b["text"]));
            }
            if b["inside"] == true && n(v, 0) < n(&b["bar"], 0) {
                problems.push(format!("{width} px {theme}: {} starts before its bar", b["text"]));
            }
            let (a, c) = (luminance(b["fill"].as_str().unwrap()), luminance(b["behind"].as_str().unwrap()));
            let contrast = (a.max(c) + 0.05) / (a.min(c) + 0.05);
            if contrast < 4.5 {
                problems.push(format!(
                    "{width} px {theme}: {} has contrast {contrast:.2} (WCAG AA: 4.5)",
                    b["text"]
                ));
            }
        }
    }
    browser.eval("localStorage.removeItem('lode-theme'); return true;").await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    browser.close().await;
}

/// A table of contents numbers its sections only: a `###` entry is a
/// circle under its section and does not take a number, so the sections
/// read 1, 2, 3 (they read 1, 4, 6 on the manual's configuration page).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_table_of_contents_numbers_sections_not_subsections() {
    let site = common::TestSite::new(&[
        ("site.toml", "title = \"T\"\nbase_url = \"/\"\n"),
        (
            "content/note.md",
            "+++\ntitle = \"Note\"\n+++\n## One\n\nA.\n\n### One a\n\nB.\n\n### One b\n\nC.\n\n## Two\n\nD.\n\n### Two a\n\nE.\n\n## Three\n\nF.\n",
        ),
    ]);
    site.build();
    let server = common::static_server::StaticServer::start(&site.output());
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("http://{}/note/", server.addr)).await.unwrap();
    browser.wait_until("document.readyState === 'complete'", "the note").await;
    // Each entry's place in the list's numbering: the `list-item` counter
    // after it, which the browser keeps for the marker it draws.
    let numbers = browser
        .eval(
            "let n = 0; return [...document.querySelectorAll('.toc li')].map(li => { \
             const inc = getComputedStyle(li).counterIncrement; \
             const m = /list-item (-?\\d+)/.exec(inc); n += m ? Number(m[1]) : 1; \
             return li.textContent + ':' + (m && m[1] === '0' ? '-' : n); }).join(', ');",
        )
        .await;
    assert_eq!(numbers, "One:1, One a:-, One b:-, Two:2, Two a:-, Three:3");
    browser.close().await;
}
