//! Printing: revision sheets (`COLLECTION/sheet/`) printed to PDF by
//! headless Chromium (CDP `Page.printToPDF` through chromedriver) fill the
//! expected number of A4 and Letter pages, and a note prints without its
//! chrome, its facts box kept.
//!
//! Needs Debian's chromium and chromium-driver.

mod common;

use common::TestSite;
use common::browser::Browser;
use common::static_server::StaticServer;
use serde_json::json;

/// Paper sizes in inches, as `Page.printToPDF` takes them.
const A4: (f64, f64) = (8.27, 11.69);
const LETTER: (f64, f64) = (8.5, 11.0);

/// Standard base64, as CDP returns the PDF.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()).map(value).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (18 - 6 * i)));
        out.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// The number of pages of a PDF: its `/Type /Page` objects (not `/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let squeezed = text.replace("/Type /Page", "/Type/Page");
    squeezed.match_indices("/Type/Page").filter(|(i, _)| !squeezed[i + 10..].starts_with('s')).count()
}

/// The page at `url` printed on `paper` with the page's own margins (CSS `@page`).
async fn printed_pages(browser: &Browser, url: &str, paper: (f64, f64)) -> usize {
    browser.client.goto(url).await.unwrap();
    let printed = browser.cdp(
        "Page.printToPDF",
        json!({ "paperWidth": paper.0, "paperHeight": paper.1, "preferCSSPageSize": false, "printBackground": false }),
    )
    .await;
    let pdf = base64_decode(printed["data"].as_str().expect("PDF data"));
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    page_count(&pdf)
}

/// The flagship built in this process (the shared `lode` binary may be
/// another branch's), served under `/REPO/`.
fn flagship() -> (tempfile::TempDir, StaticServer) {
    let dir = tempfile::tempdir().unwrap();
    let mut options = lode::build::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = Some(dir.path().join("REPO"));
    tokio::task::block_in_place(|| lode::build::build(&options)).expect("the flagship builds");
    let server = StaticServer::start(dir.path());
    (dir, server)
}

/// A collection of three notes with a table, facts, questions and cards.
fn alloys() -> TestSite {
    let note = |name: &str, symbol: &str| {
        format!(
            "+++\ntitle = \"{name}\"\ncards = true\n\n[extra]\nsymbol = \"{symbol}\"\nmelting = \"{} °C\"\nuses = [\"Alloys\"]\nempty = []\n\n\
             [[questions]]\nquestion = \"Which symbol has {name}?\"\noptions = [\"{symbol}\", \"X\", \"Y\"]\nanswer = \"{symbol}\"\n\
             explanation = \"{name} is {symbol}.\"\n+++\n{name} is a metal.\n\n{name} symbol::{symbol}\n",
            name.len() * 100
        )
    };
    TestSite::new(&[
        ("content/_index.md", "# Metals\n\n[[Metals]]\n"),
        (
            "content/metals/_index.md",
            "+++\ntitle = \"Metals\"\n[extra]\ntable = [{ key = \"symbol\", label = \"Symbol\" }, { key = \"uses\", label = \"Uses\" }]\n+++\nThree metals.\n",
        ),
        ("content/metals/tin.md", &note("Tin", "Sn")),
        ("content/metals/copper.md", &note("Copper", "Cu")),
        ("content/metals/zinc.md", &note("Zinc", "Zn")),
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revision_sheets_print_to_the_expected_page_count_on_a4_and_letter() {
    let site = alloys();
    tokio::task::block_in_place(|| site.build());
    // The sheet: the table, the facts not in the table, the questions and cards, then the answers.
    let sheet = site.page("metals/sheet/index.html");
    let text = |css: &str| common::select(&sheet, css).iter().map(common::text).collect::<Vec<_>>();
    assert_eq!(text(".sheet-table tbody th"), ["Copper", "Tin", "Zinc"]);
    assert_eq!(text(".sheet-figures li")[1], "Tin: Melting: 300 °C");
    assert_eq!(text(".sheet-questions > li").len(), 6, "3 questions and 3 cards");
    assert_eq!(text(".sheet-answers li").len(), 6);
    assert!(
        text(".sheet-answers li")[0].starts_with("Cu — Copper is Cu."),
        "{:?}",
        text(".sheet-answers li")
    );
    // The collection page links it.
    assert_eq!(common::hrefs(&site.page("metals/index.html"), ".sheet-link a"), ["../metals/sheet/"]);

    let server = StaticServer::start(&site.output());
    let (_flagship, flagship) = flagship();
    let browser = Browser::start(1280, 900).await;
    let fixture = format!("http://{}/metals/sheet/", server.addr);
    let minerals = format!("http://{}/REPO/minerals/sheet/", flagship.addr);
    let mut counts = Vec::new();
    for (url, name) in [(&fixture, "fixture"), (&minerals, "Minerals")] {
        for (paper, size) in [(A4, "A4"), (LETTER, "Letter")] {
            counts.push((name, size, printed_pages(&browser, url, paper).await));
        }
    }
    // The fixture: questions on one page, the answers on the next. The
    // flagship's 30 minerals: the table and the key facts, their
    // questions and cards, then the answers.
    let expected =
        [("fixture", "A4", 2), ("fixture", "Letter", 2), ("Minerals", "A4", 4), ("Minerals", "Letter", 4)];
    assert_eq!(counts, expected);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_note_prints_without_chrome_and_keeps_its_facts() {
    let (_tmp, server) = flagship();
    let browser = Browser::start(1280, 900).await;
    browser.client.goto(&format!("http://{}/REPO/minerals/lithium/", server.addr)).await.unwrap();
    browser.cdp("Emulation.setEmulatedMedia", json!({ "media": "print" })).await;
    let shown = browser
        .eval(
            "const seen = s => { const e = document.querySelector(s); return !!e && e.getClientRects().length > 0; };
             return ['.site-header', '.site-nav', '.search-button', '.site-footer', '.backlinks', '.local-graph', '.facts', '.note-body']
               .map(s => s + '=' + seen(s));",
        )
        .await;
    assert_eq!(
        shown,
        json!([
            ".site-header=false",
            ".site-nav=false",
            ".search-button=false",
            ".site-footer=false",
            ".backlinks=false",
            ".local-graph=false",
            ".facts=true",
            ".note-body=true"
        ])
    );
    browser.close().await;
}
