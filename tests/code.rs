//! Code blocks on a real build of `tests/fixtures/code/` (issue 20, items 1
//! and 2): highlighted tokens as CSS classes, an unknown language and none
//! plain, marked and numbered lines, code in a callout, a list and an embed,
//! line numbers kept out of the search index, the `[markdown]
//! highlight_theme` key, and Mermaid diagrams: their source in the page, the
//! loader only on pages with one, Mermaid's files only in a site with one.

mod common;

use std::path::Path;

use common::{TestSite, select, text};
use scraper::Html;

fn fixture() -> TestSite {
    let site = TestSite::new(&[]);
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/code");
    common::copy_tree(&from, site.root(), |p| !p.starts_with("public"));
    site
}

/// The `<code>` of each `<pre>` in the note's body, in order.
fn blocks(page: &Html) -> Vec<scraper::ElementRef<'_>> {
    select(page, "main pre > code")
}

#[test]
fn known_languages_are_highlighted_with_classes_and_others_stay_plain() {
    let site = fixture();
    site.build();
    let page = site.page("code/showcase/index.html");
    let code = blocks(&page);
    let classes = |i: usize| code[i].value().attr("class").unwrap_or("").to_string();
    assert_eq!(classes(0), "language-rust");
    let rust = code[0].inner_html();
    assert!(rust.contains("<span class=\"hl-k\">fn</span>"), "{rust}");
    assert!(rust.contains("<span class=\"hl-s\">\"hello\"</span>"), "{rust}");
    assert!(rust.contains("<span class=\"hl-c\">// a comment</span>"), "{rust}");
    assert!(!rust.contains("style="), "colours come from classes, not inline styles: {rust}");
    let python = code[1].inner_html();
    assert!(python.contains("<span class=\"hl-k\">def</span>"), "{python}");
    assert!(python.contains("<span class=\"hl-n\">3.14159</span>"), "{python}");
    // Unknown language: its class, the text escaped, no token.
    assert_eq!(classes(2), "language-nosuchlanguage");
    assert_eq!(code[2].inner_html(), "a &lt;b&gt; &amp; c\n");
    // No language: no class, plain.
    assert_eq!(code[3].value().attr("class"), None);
    assert_eq!(code[3].inner_html(), "plain &lt;text&gt;\n");
}

#[test]
fn marked_and_numbered_lines() {
    let site = fixture();
    site.build();
    let page = site.page("code/showcase/index.html");
    let code = blocks(&page);
    let marked: Vec<String> = code[4]
        .select(&scraper::Selector::parse(".line").unwrap())
        .map(|l| format!("{}{}", if l.value().classes().any(|c| c == "mark") { "*" } else { "" }, text(&l)))
        .collect();
    assert_eq!(marked, ["let a = 1;", "*let b = 2;", "let c = 3;", "*let d = 4;", "*let e = 5;"]);
    assert!(
        !page
            .html()
            .contains("class=\"linenos\"><code class=\"language-rust\"><span class=\"line mark\">let a")
    );
    // Numbered (Zola's spelling), from 10: the numbers are a CSS counter, not text.
    let pres = select(&page, "main pre.linenos");
    assert_eq!(pres.len(), 2);
    assert_eq!(pres[0].value().attr("style"), Some("counter-reset: line 9"));
    let lines: Vec<String> =
        pres[0].select(&scraper::Selector::parse(".line").unwrap()).map(|l| text(&l)).collect();
    assert_eq!(lines, ["fn numbered() {}", "fn second() {}"]);
    assert_eq!(pres[1].value().attr("style"), None);
    assert!(pres[1].inner_html().contains("language-python"));
    // The search index has the code, with no number before it.
    let dir = site.output().join("_lode/search/pages");
    let all: String = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(all.contains("fn numbered() {}"), "{all}");
    assert!(!all.contains("10fn numbered") && !all.contains("10 fn numbered"), "{all}");
}

#[test]
fn code_in_callouts_lists_and_embeds_is_highlighted() {
    let site = fixture();
    site.build();
    let page = site.page("code/showcase/index.html");
    let in_callout = select(&page, "main .callout pre > code.language-rust");
    assert_eq!(in_callout.len(), 1);
    assert!(
        in_callout[0].inner_html().contains("<span class=\"hl-n\">true</span>"),
        "{}",
        in_callout[0].inner_html()
    );
    let in_list = select(&page, "main li pre > code.language-python");
    assert_eq!(in_list.len(), 1);
    assert!(
        in_list[0].inner_html().contains("<span class=\"hl-k\">import</span>"),
        "{}",
        in_list[0].inner_html()
    );
    let embedder = site.page("code/embedder/index.html");
    let embedded = select(&embedder, "main pre > code.language-rust");
    assert_eq!(embedded.len(), 1);
    assert!(embedded[0].inner_html().contains("<span class=\"hl-k\">fn</span>"));
}

#[test]
fn the_theme_is_set_in_site_toml_and_none_turns_highlighting_off() {
    let site = fixture();
    site.build();
    let attr = |site: &TestSite| {
        let page = site.page("code/showcase/index.html");
        select(&page, "html")[0].value().attr("data-code-theme").map(str::to_string)
    };
    assert_eq!(attr(&site).as_deref(), Some("lode"));
    site.write("site.toml", "title = \"C\"\nbase_url = \"/\"\n[markdown]\nhighlight_theme = \"github\"\n");
    site.build();
    assert_eq!(attr(&site).as_deref(), Some("github"));
    site.write("site.toml", "title = \"C\"\nbase_url = \"/\"\n[markdown]\nhighlight_theme = \"none\"\n");
    site.build();
    assert_eq!(attr(&site).as_deref(), Some("none"));
    let page = site.page("code/showcase/index.html");
    assert!(!page.html().contains("hl-k"));
    // An unknown theme or key is an error at its place, naming the themes.
    site.write("site.toml", "title = \"C\"\n[markdown]\nhighlight_theme = \"monokai\"\n");
    let errors = site.build_errors();
    assert_eq!((errors[0].line, errors[0].column), (3, 19), "{}", common::list(&errors));
    assert!(
        errors[0].message.contains("lode") && errors[0].message.contains("github"),
        "{}",
        errors[0].message
    );
    site.write("site.toml", "title = \"C\"\n[markdown]\nhighlight = \"lode\"\n");
    assert_eq!(site.build_errors()[0].line, 3);
}

#[test]
fn a_diagram_shows_its_source_and_loads_mermaid_only_where_it_is() {
    let site = fixture();
    site.build();
    let page = site.page("code/diagram/index.html");
    let diagram = select(&page, "main pre.mermaid");
    assert_eq!(diagram.len(), 1);
    let source = diagram[0].inner_html();
    assert!(source.starts_with("graph TD\n  A[Lithium] --&gt; B[Battery]"), "{source}");
    // The loader, page-relative (the site is served under /sub/).
    let scripts: Vec<&str> =
        select(&page, "script[src]").iter().filter_map(|s| s.value().attr("src")).collect();
    assert!(scripts.contains(&"../../diagrams.js"), "{scripts:?}");
    let plain = site.page("code/plain/index.html");
    assert!(!plain.html().contains("diagrams.js") && !plain.html().contains("mermaid"));
    // Mermaid and its licence are written because a note has a diagram.
    let js = std::fs::read_to_string(site.output().join("_lode/mermaid/mermaid.min.js")).unwrap();
    assert!(js.len() > 1_000_000);
    assert!(std::fs::read_to_string(site.output().join("_lode/mermaid/LICENSE")).unwrap().contains("MIT"));
    // Without a diagram, no Mermaid in the output.
    std::fs::remove_file(site.root().join("content/code/diagram.md")).unwrap();
    site.write(
        "content/code/_index.md",
        "+++\ntitle = \"Code\"\n+++\n\n[[Showcase]], [[Plain]], [[Embedder]].\n",
    );
    site.build();
    assert!(!site.output().join("_lode/mermaid").exists());
}

/// Under `lode serve`, a diagram written into a note brings Mermaid's files,
/// and taking the last one out takes them away, as a fresh build would.
#[test]
fn a_rebuild_adds_and_removes_mermaid_with_the_last_diagram() {
    let site = fixture();
    let diagram = site.root().join("content/code/diagram.md");
    let text = std::fs::read_to_string(&diagram).unwrap();
    site.write("content/code/diagram.md", "+++\ntitle = \"Diagram\"\n+++\n\nBack to [[Code]].\n");
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    let has_mermaid = |s: &lode::build::Session| s.files().contains_key("_lode/mermaid/mermaid.min.js");
    assert!(!has_mermaid(&session));
    site.write("content/code/diagram.md", &text);
    let update =
        session.rebuild(std::slice::from_ref(&diagram)).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert!(update.changed.iter().any(|p| p == "_lode/mermaid/mermaid.min.js"), "{:?}", update.changed);
    assert!(has_mermaid(&session));
    site.write("content/code/diagram.md", "+++\ntitle = \"Diagram\"\n+++\n\nBack to [[Code]].\n");
    let update =
        session.rebuild(std::slice::from_ref(&diagram)).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    assert!(update.removed.iter().any(|p| p == "_lode/mermaid/LICENSE"), "{:?}", update.removed);
    assert!(!has_mermaid(&session));
}

/// A page loads `diagrams.js` once, however many diagrams it shows (two in
/// its body, one in an embed, one in a question's explanation); and a
/// diagram only in a question's explanation still brings Mermaid's files.
#[test]
fn a_page_loads_the_diagram_script_once_and_an_explanation_brings_mermaid() {
    let diagram = |label: &str| format!("```mermaid\ngraph TD\n  A[{label}] --> B[Cell]\n```\n");
    let note = format!(
        "+++\ntitle = \"Diagrams\"\n\n[[questions]]\nquestion = \"Which?\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\nexplanation = '''\nAs drawn:\n\n{}'''\n+++\n\n{}\nAnd again:\n\n{}\n![[Other]]\n",
        diagram("Explained"),
        diagram("First"),
        diagram("Second")
    );
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Diagrams]], [[Other]], [[Quiz]].\n"),
        ("content/diagrams.md", &note),
        ("content/other.md", &format!("# Other\n\n{}", diagram("Embedded"))),
        (
            "content/quiz.md",
            &format!(
                "+++\ntitle = \"Quiz\"\n\n[[questions]]\nquestion = \"Which?\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\nexplanation = '''\n{}'''\n+++\n\nSee [[Home]].\n",
                diagram("Only here")
            ),
        ),
    ]);
    site.build();
    let page = site.page("diagrams/index.html");
    assert_eq!(select(&page, "pre.mermaid").len(), 4, "body, embed and explanation");
    let loaders: Vec<&str> = select(&page, "script[src]")
        .iter()
        .filter_map(|s| s.value().attr("src"))
        .filter(|s| s.ends_with("diagrams.js"))
        .collect();
    assert_eq!(loaders, ["../diagrams.js"], "once per page");

    // Without the body's diagrams, the explanation's alone.
    std::fs::remove_file(site.root().join("content/diagrams.md")).unwrap();
    std::fs::remove_file(site.root().join("content/other.md")).unwrap();
    site.write("content/_index.md", "# Home\n\n[[Quiz]].\n");
    site.build();
    let quiz = site.page("quiz/index.html");
    assert_eq!(select(&quiz, "pre.mermaid").len(), 1);
    assert_eq!(select(&quiz, "script[src$='diagrams.js']").len(), 1);
    let js = site.output().join("_lode/mermaid/mermaid.min.js");
    assert!(js.is_file(), "the explanation's diagram has no Mermaid to load");
}
