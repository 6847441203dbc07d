//! The fuzz targets' bodies over their seed corpora, on the stable
//! toolchain, so the seeds (and every crash input saved beside them) stay
//! green without cargo-fuzz: the `site` target's (`fuzz/site_case.rs`: a
//! site cut from the input, built by `Session::rebuild`) over
//! `fuzz/corpus/site/`, and the `markdown` target's (`fuzz/markdown_case.rs`:
//! a note's body through parse, index, link resolution and the body
//! renderer) over `fuzz/corpus/markdown/`.

#[path = "../fuzz/site_case.rs"]
mod site_case;

#[path = "../fuzz/markdown_case.rs"]
mod markdown_case;

/// The inputs in `fuzz/corpus/NAME/`, sorted.
fn corpus(name: &str) -> Vec<std::path::PathBuf> {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(name);
    let mut inputs: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
        .map(|e| e.expect("entry").path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", corpus.display());
    inputs
}

#[test]
fn site_corpus_builds_without_panics_and_with_located_problems() {
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
    for input in &corpus("site") {
        let data = std::fs::read(input).expect("read an input");
        let run = std::panic::catch_unwind(|| site_case::run(dir.path(), &data));
        assert!(run.is_ok(), "{} failed (see the panic above)", input.display());
    }
}

#[test]
fn markdown_corpus_renders_without_panics_with_located_problems_and_nested_html() {
    for input in &corpus("markdown") {
        let data = std::fs::read(input).expect("read an input");
        let run = std::panic::catch_unwind(|| markdown_case::run(&data));
        assert!(run.is_ok(), "{} failed (see the panic above)", input.display());
    }
}

/// Found by the `markdown` target (`fuzz/corpus/markdown/crash_card_escaped_separator`):
/// in a line card whose front holds an escape or an entity, the text's
/// events all carry the range of the whole text, which starts in the front,
/// so the back was written into the front and the card's `<details>` and
/// `<summary>` were never closed, unbalancing the rest of the page.
#[test]
fn a_card_whose_front_holds_an_escape_keeps_its_back_and_closes() {
    let (html, cards) = markdown_case::run(b"Tom \\& Jerry::a ==cat== and a mouse\nNot a card.\n");
    let sides: Vec<(&str, &str)> = cards.iter().map(|c| (c.front.as_str(), c.back.as_str())).collect();
    assert_eq!(sides, [("Tom &amp; Jerry", "a <mark>cat</mark> and a mouse")], "{html}");
    assert!(html.ends_with("</details>\n<p>Not a card.</p>\n"), "{html}");
}

/// Found by the `markdown` target (`fuzz/corpus/markdown/crash_card_after_block_id`):
/// a card right after a callout given a block id (`^quoted`, which wraps
/// the callout in a `<div>`) was opened inside that `<div>`, which then
/// closed inside the card's `<summary>`.
#[test]
fn a_card_after_a_block_with_an_id_opens_after_the_blocks_div() {
    let (html, cards) = markdown_case::run(b"> [!note] Title\n> text ^quoted\n\nQ::A\n");
    assert_eq!(cards.len(), 1, "{html}");
    assert!(html.starts_with("<div class=\"block\" id=\"^quoted\">"), "{html}");
    assert!(html.contains("</div>\n</div>\n<details class=\"card\""), "{html}");
}
