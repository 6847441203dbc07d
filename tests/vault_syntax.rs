//! An Obsidian vault's callouts and maths, built from
//! tests/fixtures/vault-callouts-math/ and checked on the HTML: every type
//! and alias of <https://help.obsidian.md/callouts>, custom titles, folding,
//! nesting, GitHub's alerts and Lode's `[!key]` key facts; `$…$` and
//! `$$…$$` as MathML, and TeX that cannot be rendered as a warning and code.

mod common;

use std::path::Path;

use common::{TestSite, list, select, text};
use lode::build::{self, BuildOptions, BuildReport};
use scraper::{ElementRef, Html};

/// The fixture vault, built into a temporary folder (the fixture stays clean).
struct Built {
    out: tempfile::TempDir,
    report: BuildReport,
}

impl Built {
    fn page(&self, path: &str) -> Html {
        let file = self.out.path().join(path);
        Html::parse_document(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{path}: {e}")))
    }
}

fn build_vault() -> Built {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-callouts-math");
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions { output: Some(out.path().to_path_buf()), ..BuildOptions::new(&root) };
    let report =
        build::build(&options).unwrap_or_else(|problems| panic!("build failed:\n{}", list(&problems)));
    Built { out, report }
}

/// The callout whose title is `title` (the whole text of its title element).
fn callout<'a>(page: &'a Html, title: &str) -> ElementRef<'a> {
    let titles = select(page, ".callout-title");
    let found = titles.iter().find(|t| text(t) == title).unwrap_or_else(|| {
        panic!("no callout titled {title:?} in {:?}", titles.iter().map(text).collect::<Vec<_>>())
    });
    ElementRef::wrap(found.parent().unwrap()).unwrap()
}

fn classes(el: &ElementRef) -> Vec<String> {
    el.value().classes().map(str::to_string).collect()
}

#[test]
fn every_obsidian_type_and_alias_gets_its_style() {
    let built = build_vault();
    let page = built.page("callouts/index.html");
    let expected = [
        ("note", "note"),
        ("abstract", "abstract"),
        ("summary", "abstract"),
        ("tldr", "abstract"),
        ("info", "info"),
        ("todo", "todo"),
        ("tip", "tip"),
        ("hint", "tip"),
        ("important", "tip"),
        ("success", "success"),
        ("check", "success"),
        ("done", "success"),
        ("question", "question"),
        ("help", "question"),
        ("faq", "question"),
        ("warning", "warning"),
        ("caution", "warning"),
        ("attention", "warning"),
        ("failure", "failure"),
        ("fail", "failure"),
        ("missing", "failure"),
        ("danger", "danger"),
        ("error", "danger"),
        ("bug", "bug"),
        ("example", "example"),
        ("quote", "quote"),
        ("cite", "quote"),
    ];
    for (written, style) in expected {
        let title = format!("{}{}", written[..1].to_uppercase(), &written[1..]);
        let c = callout(&page, &title);
        assert_eq!(c.value().name(), "div", "{written}");
        assert_eq!(classes(&c), ["callout".to_string(), format!("callout-{style}")], "{written}");
        assert_eq!(c.value().attr("data-callout"), Some(written));
        assert_eq!(c.value().attr("role"), Some("note"));
        let body = ElementRef::wrap(c.children().filter(|n| n.value().is_element()).nth(1).unwrap()).unwrap();
        assert_eq!(text(&body), format!("Body of {written}."));
        assert!(!text(&c).contains("[!"), "{written}: the marker is not shown");
    }
    // Types ignore case; an unknown type looks like a note.
    assert_eq!(classes(&callout(&page, "Warning: Shouting works")), ["callout", "callout-warning"]);
    let unknown = callout(&page, "Recipe: An unknown type");
    assert_eq!(classes(&unknown), ["callout", "callout-note"]);
    assert_eq!(unknown.value().attr("data-callout"), Some("recipe"));
}

#[test]
fn every_icon_is_hidden_and_named_by_text() {
    let built = build_vault();
    let page = built.page("callouts/index.html");
    let titles = select(&page, ".callout-title");
    // 27 types and aliases, 2 cases, 3 titles, 2 folds, 3 nested, 2 alerts; the key fact has no icon.
    assert_eq!(titles.len(), 27 + 2 + 3 + 2 + 3 + 2 + 1);
    let key_fact = |t: &&ElementRef| {
        t.parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|p| p.value().has_class("callout-key", scraper::CaseSensitivity::CaseSensitive))
    };
    for title in titles.iter().filter(|t| !key_fact(t)) {
        let icons = title.select(&scraper::Selector::parse("svg.callout-icon").unwrap()).collect::<Vec<_>>();
        assert_eq!(icons.len(), 1, "{}", text(title));
        assert_eq!(icons[0].value().attr("aria-hidden"), Some("true"));
        // The title names the type: as the default title, or in a
        // visually hidden prefix before a custom one.
        let hidden = title.select(&scraper::Selector::parse(".callout-type").unwrap()).next();
        let callout = ElementRef::wrap(title.parent().unwrap()).unwrap();
        let kind = callout.value().attr("data-callout").unwrap();
        let name = hidden.map_or_else(|| text(title), |h| text(&h).trim_end_matches(':').to_string());
        assert_eq!(name.to_lowercase(), kind, "{}", text(title));
    }
}

#[test]
fn custom_titles_hold_markdown_and_may_stand_alone() {
    let built = build_vault();
    let page = built.page("callouts/index.html");
    let with_markup = callout(&page, "Tip: With bold and Linked note");
    let title = select(&page, ".callout-tip .callout-title strong");
    assert_eq!(text(&title[0]), "bold");
    let link = select(&page, ".callout-tip .callout-title a");
    assert_eq!(link[0].value().attr("href"), Some("../linked-note/"));
    assert_eq!(text(&select(&page, ".callout-tip .callout-body")[0]), "Body of tip.");
    assert!(text(&with_markup).ends_with("The title holds Markdown."));

    // A title and no body: nothing but the title inside.
    let only_title = callout(&page, "Info: Only a title");
    assert_eq!(only_title.children().filter(|n| n.value().is_element()).count(), 1);
    let folded = select(&page, "details.callout-danger[data-callout=error]");
    assert_eq!(folded.len(), 1);
    assert_eq!(folded[0].children().filter(|n| n.value().is_element()).count(), 1);
    assert_eq!(text(&folded[0]), "Error");
}

#[test]
fn fold_signs_give_details_closed_or_open() {
    let built = build_vault();
    let page = built.page("callouts/index.html");
    let closed = callout(&page, "Faq: Closed until opened");
    assert_eq!(closed.value().name(), "details");
    assert_eq!(closed.value().attr("open"), None);
    assert_eq!(classes(&closed), ["callout", "callout-question"]);
    let summary = closed.first_child().and_then(ElementRef::wrap).unwrap();
    assert_eq!(summary.value().name(), "summary");
    assert!(text(&closed).ends_with("Hidden at first."));

    let open = callout(&page, "Example: Open but foldable");
    assert_eq!(open.value().name(), "details");
    assert_eq!(open.value().attr("open"), Some(""));
}

#[test]
fn callouts_nest() {
    let built = build_vault();
    let page = built.page("callouts/index.html");
    let inner = select(
        &page,
        ".callout-question > .callout-body > .callout-warning > .callout-body > details.callout-success",
    );
    assert_eq!(inner.len(), 1);
    assert_eq!(text(&inner[0]), "Success: Innermost Three deep.");
    let outer = callout(&page, "Question: Can callouts nest?");
    assert!(text(&outer).starts_with("Question: Can callouts nest? Yes. Warning: Inner"));
}

#[test]
fn github_alerts_key_facts_and_plain_quotes_still_work() {
    let built = build_vault();
    let page = built.page("callouts/index.html");
    let note = callout(&page, "Note");
    let alerts: Vec<_> = select(&page, ".callout-note[data-callout=note]");
    assert_eq!(alerts.len(), 2, "the [!note] of every type, and GitHub's [!NOTE]");
    assert_eq!(text(&alerts[1]), "Note GitHub's syntax still works.");
    assert_eq!(classes(&note), ["callout", "callout-note"]);
    let caution = select(&page, ".callout-warning[data-callout=caution]");
    assert_eq!(caution.len(), 2);
    assert_eq!(text(&caution[1]), "Caution An alias of warning.");

    // Lode's key fact keeps its box, unchanged.
    let key = select(&page, ".note-body .callout-key");
    assert_eq!(key.len(), 1);
    assert_eq!(key[0].value().attr("role"), Some("note"));
    assert_eq!(text(&key[0]), "Key fact Lithium's symbol Li");
    assert_eq!(text(&select(&page, ".callout-key > .callout-title")[0]), "Key fact");

    assert_eq!(text(&select(&page, ".note-body > blockquote")[0]), "A plain quote stays a quote.");
    assert!(built.report.notes >= 2);
}

/// Every element named `name` inside the `<math>` elements of `page`.
fn in_math<'a>(page: &'a Html, name: &str) -> Vec<ElementRef<'a>> {
    select(page, &format!(".note-body math {name}"))
}

#[test]
fn formulas_become_mathml_at_build_time() {
    let built = build_vault();
    let page = built.page("maths/index.html");
    let inline = select(&page, ".note-body math:not([display])");
    let block = select(&page, ".note-body math[display=block]");
    // Eight inline formulas, plus one in a callout's title; nine display ones (one in the callout).
    assert_eq!((inline.len(), block.len()), (9, 9));

    // Fractions, roots, big operators with limits, integrals, lim.
    assert!(!in_math(&page, "mfrac").is_empty());
    assert_eq!(text(&in_math(&page, "msqrt")[0]), "x2+1");
    assert_eq!(text(&in_math(&page, "mroot")[0]), "y3");
    let sum = in_math(&page, "munderover");
    assert_eq!(text(&sum[0].first_child().and_then(ElementRef::wrap).unwrap()), "∑");
    let integral = in_math(&page, "msubsup");
    assert_eq!(text(&integral[0]), "∫0∞");
    assert!(in_math(&page, "munder").iter().any(|m| text(m).starts_with("lim")));
    // \mathbb, \operatorname, \text.
    assert!(in_math(&page, "mi").iter().any(|mi| text(mi) == "ℝ"));
    assert!(in_math(&page, "mo").iter().any(|mo| text(mo) == "rank"));
    assert!(in_math(&page, "mtext").iter().any(|t| text(t) == "if"));
    // \widetilde, common in maths vaults (MathJax has it): a stretched tilde over its base.
    assert!(in_math(&page, "mover mo[stretchy=true]").iter().any(|mo| text(mo) == "~"));
    // \left( … \right): a row opened and closed by the delimiters.
    let fenced = in_math(&page, "mrow").into_iter().find(|row| {
        let kids: Vec<_> = row.children().filter_map(ElementRef::wrap).collect();
        kids.len() == 3 && text(&kids[0]) == "(" && kids[1].value().name() == "mfrac" && text(&kids[2]) == ")"
    });
    assert!(fenced.is_some(), "\\left( \\frac… \\right) is a fenced row");
    // pmatrix, bmatrix, aligned, the wide bmatrix, cases, the callout's pmatrix.
    let tables = in_math(&page, "mtable");
    assert_eq!(tables.len(), 6);
    assert_eq!(select(&page, ".note-body math mtable mtr").len(), 2 * 6);
    let aligned = tables.iter().find(|t| text(t).starts_with("(a+b)2=")).expect("aligned");
    assert_eq!(aligned.select(&scraper::Selector::parse("mtd").unwrap()).count(), 4);
    assert!(tables.iter().any(|t| text(t).contains("otherwise")), "cases");
    // Maths in a callout's title and body.
    assert_eq!(select(&page, ".callout-tip .callout-title math").len(), 1);
    assert_eq!(select(&page, ".callout-tip .callout-body math[display=block]").len(), 1);

    // No TeX is left in the text, but in code.
    let body = &select(&page, ".note-body")[0];
    let outside_code: String = body
        .descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| !n.ancestors().any(|a| a.value().as_element().is_some_and(|e| e.name() == "code")))
        .map(|(_, t)| t.to_string())
        .collect();
    let (tex, prices) = outside_code.split_once("A pen costs").unwrap();
    assert!(!tex.contains('$') && !tex.contains('\\'), "{tex}");
    assert_eq!(prices.matches('$').count(), 3, "only the prices' dollar signs: {prices}");
    assert_eq!(text(&select(&page, ".note-body p > code:not(.math-error)")[0]), "$code$");
    // A `$` followed by a digit closes no formula (Pandoc's rule): prices stay text.
    let prices =
        select(&page, ".note-body p").into_iter().find(|p| text(p).starts_with("A pen costs")).unwrap();
    assert_eq!(text(&prices), "A pen costs $2, a book$10 and a lamp $15: no formula closes before a digit.");
    assert!(select(&page, ".note-body p math").iter().all(|m| !text(m).contains("book")));
}

#[test]
fn tex_that_cannot_be_rendered_warns_and_stays_visible() {
    let built = build_vault();
    let warnings: Vec<String> = built.report.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/maths.md:40:29: warning: cannot render this formula: Unknown command \"\\nosuchcommand\". \
             (help: the page shows this formula as code; fix the TeX, or, if it is valid TeX that Lode's renderer (math-core) lacks or a macro of your own, write it with the commands math-core knows)"
        ]
    );
    // Counted as a formula in a vault's summary, not as front matter.
    assert_eq!(built.report.warnings[0].kind(), lode::diagnostics::Kind::Math);
    let page = built.page("maths/index.html");
    let shown = select(&page, ".note-body code.math-error");
    assert_eq!(shown.len(), 1);
    assert_eq!(text(&shown[0]), r"$x + \nosuchcommand{y}$");
    assert!(shown[0].value().attr("title").unwrap().contains("nosuchcommand"));
}

#[test]
fn deeply_nested_tex_renders_or_warns_without_overflowing_the_stack() {
    let braces = format!("${}x{}$", "{".repeat(100), "}".repeat(100));
    let roots = format!("$${}x{}$$", r"\sqrt{".repeat(2_000), "}".repeat(2_000));
    let hats = format!("${}x$", r"\hat".repeat(30_000));
    let site = TestSite::new(&[("content/deep.md", &format!("# Deep\n\n{braces}\n\n{roots}\n\n{hats}\n"))]);
    let report = site.build();
    let page = site.page("deep/index.html");
    assert_eq!(select(&page, ".note-body math").len(), 2);
    assert_eq!(select(&page, ".note-body msqrt").len(), 2_000);
    assert_eq!(select(&page, ".note-body code.math-error").len(), 1);
    let too_long: Vec<_> = report.warnings.iter().filter(|d| d.message.contains("too long")).collect();
    assert_eq!((too_long.len(), too_long[0].line, too_long[0].column), (1, 7, 2));
}
