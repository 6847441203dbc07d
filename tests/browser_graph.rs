//! A note's local graph in headless Chromium: the page holds a list of the
//! linked notes (page weight), which `graph.js` paints as the two pictures
//! `graph.rs` lays out. Painted, they are the SVGs the build wrote before
//! (`tests/fixtures/graph/golden/`, written by `lode build` at `ae7469e`,
//! when the page held them), node for node and attribute for attribute; the
//! one `style.css` shows at 390 px is the phone's, at 1280 px the wide one,
//! each holding the list's notes, links and labels. Without `graph.js`, the
//! list shows.
//!
//! Needs `/usr/bin/chromium` and `/usr/bin/chromedriver`.

mod common;

use common::browser::Browser;
use common::static_server::StaticServer;
use common::{copy_tree, select};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/graph");

/// The fixture's pages with a local graph and their golden SVGs: a ring
/// with every shape class, labels on two lines, escaped characters and a
/// character outside the BMP (`c2/quartz`); columns on wide screens too (a
/// ring too wide: `c5/hub`); one link each way (`c0/n0`, `n11`).
const PAGES: [(&str, &str); 4] =
    [("c2/quartz/", "c2-quartz"), ("c5/hub/", "c5-hub"), ("c0/n0/", "c0-n0"), ("n11/", "n11")];

/// Builds the fixture into a temporary folder (with `graph.js`, or without it).
fn built(with_script: bool) -> (tempfile::TempDir, StaticServer) {
    let site = tempfile::tempdir().unwrap();
    copy_tree(std::path::Path::new(FIXTURE), site.path(), |p| !p.starts_with("golden"));
    let out = site.path().join("public");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    if !with_script {
        std::fs::remove_file(out.join("graph.js")).unwrap();
    }
    let server = StaticServer::start(&out);
    (site, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_painted_local_graph_is_the_svg_the_build_wrote_and_holds_the_list() {
    let (_site, server) = built(true);
    for (width, shown) in [(390, "phone"), (1280, "wide")] {
        let browser = Browser::start(width, 900).await;
        for (page, golden) in PAGES {
            let golden = std::fs::read_to_string(format!("{FIXTURE}/golden/{golden}.html")).unwrap();
            browser.client.goto(&format!("http://{}/{page}", server.addr)).await.unwrap();
            browser
                .wait_until(
                    "document.querySelector('.local-graph .graph-frame svg.phone')",
                    "the painted graph",
                )
                .await;
            // Each painted picture equals the golden one (parsed the same way).
            let script = format!(
                "const t = document.createElement('template'); t.innerHTML = {};
                 const want = [...t.content.querySelectorAll('svg.graph')];
                 const got = [...document.querySelectorAll('.local-graph .graph-frame svg.graph')];
                 if (want.length !== 2 || got.length !== 2) return `pictures: ${{got.length}}`;
                 for (let i = 0; i < 2; i++) if (!got[i].isEqualNode(want[i])) return got[i].outerHTML + '\\n≠\\n' + want[i].outerHTML;
                 return 'same';",
                serde_json::to_string(golden.trim()).unwrap()
            );
            assert_eq!(browser.eval(&script).await, "same", "{page} at {width} px");
            // The picture shown is the width's; it holds the list's notes,
            // each linked and labelled, and the note itself; the list is hidden.
            let check = format!(
                "const list = document.querySelector('.local-graph ul.graph-links');
                 const shown = [...document.querySelectorAll('.local-graph svg.graph')].filter(s => s.checkVisibility());
                 if (shown.length !== 1 || !shown[0].classList.contains('{shown}')) return 'shown: ' + shown.map(s => s.getAttribute('class'));
                 const links = [...list.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.textContent]);
                 links.unshift([list.dataset.href, list.dataset.t]);
                 const nodes = [...shown[0].querySelectorAll('a.node')];
                 const drawn = nodes.map(a => [a.getAttribute('href'), a.querySelector('title').textContent.replace(/ \\([^()]*\\)$/, '')]);
                 if (JSON.stringify(drawn) !== JSON.stringify(links)) return JSON.stringify(drawn) + ' ≠ ' + JSON.stringify(links);
                 if (nodes.some(a => !a.querySelector('text') || a.querySelector('text').getBBox().width < 1)) return 'a node without a label';
                 if (shown[0].querySelectorAll('.edges path.c').length !== 1) return 'edges';
                 if (list.checkVisibility()) return 'the list still shows';
                 return 'ok';"
            );
            assert_eq!(browser.eval(&check).await, "ok", "{page} at {width} px");
        }
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_graph_js_the_list_of_linked_notes_shows() {
    let (site, server) = built(false);
    let page = scraper::Html::parse_document(
        &std::fs::read_to_string(site.path().join("public/c2/quartz/index.html")).unwrap(),
    );
    // No picture in the page (the legend's markers aside): the list, one item per collection.
    assert!(select(&page, ".local-graph svg:not(.graph-key)").is_empty());
    let items: Vec<String> =
        select(&page, ".local-graph ul.graph-links > li").iter().map(common::text).collect();
    assert!(
        items.contains(
            &"Alloys: A very long title about critical minerals and their supply chains, Tin".to_string()
        ),
        "{items:?}"
    );
    assert!(items.contains(&"Other: Loose note".to_string()), "{items:?}");
    let browser = Browser::start(390, 900).await;
    browser.client.goto(&format!("http://{}/c2/quartz/", server.addr)).await.unwrap();
    let shows = "const list = document.querySelector('.local-graph ul.graph-links');
                 return list.checkVisibility() && list.querySelectorAll('a').length === 13
                   && document.querySelector('.local-graph svg:not(.graph-key)') === null;";
    assert_eq!(browser.eval(shows).await, true);
    browser.close().await;
}
