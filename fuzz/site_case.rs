//! The body of the `site` fuzz target, shared with `tests/fuzz_corpus.rs`
//! (which runs it over `fuzz/corpus/site/` on the stable toolchain).
//!
//! The input is cut into up to four notes (at NUL bytes, after lossy UTF-8
//! decoding) in two folders. They are written into `root/content/` (no
//! `templates/`: the built-in templates) and built by
//! `lode::build::Session::rebuild`, the entry point `lode build`, `check` and
//! `serve` run, so the fuzzer exercises the product's own pipeline: parse,
//! index, links, checks, render, study data. Twice: first with no
//! `site.toml` (the defaults: strict front matter, broken links are errors,
//! so a build often stops before rendering), then, in the same session, after
//! writing a lenient `site.toml` (broken links and unreadable front matter
//! are warnings, so the pages are rendered): a rebuild after a config edit.
//!
//! Asserted, besides "no panic":
//! - a failed build reports at least one error, a successful one none;
//! - every problem, and every place it relates to, has a valid location: in
//!   a note, a span inside the text as Lode reads it
//!   ([`lode::diagnostics::source_text`]) on character boundaries, with the
//!   line and column of the span's start; anywhere else, line and column 1
//!   (a problem with a whole file);
//! - a successful build has a home page.

use std::path::Path;

use lode::build::{BuildOptions, Session, Update};
use lode::diagnostics::{Diagnostic, Severity, line_column, source_text};

/// The notes' paths under `content/`, in the order the input's parts fill them.
pub const PATHS: [&str; 4] = ["_index.md", "a/lithium.md", "a/china.md", "b/lithium.md"];

/// Writes the site cut from `data` into `root` (replacing what an earlier
/// call wrote there) and builds it in memory with a new [`Session`].
///
/// # Panics
/// When the build panics or breaks one of the rules in this file's header.
pub fn run(root: &Path, data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let content = root.join("content");
    if content.exists() {
        std::fs::remove_dir_all(&content).expect("remove the last input's notes");
    }
    let mut notes = Vec::new();
    for (part, path) in text.split('\0').zip(PATHS) {
        let file = content.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("create a note's folder");
        std::fs::write(&file, part).expect("write a note");
        notes.push((format!("content/{path}"), source_text(part.as_bytes().to_vec())));
    }
    let config = root.join("site.toml");
    if config.exists() {
        std::fs::remove_file(&config).expect("remove the last input's site.toml");
    }
    let mut session = Session::new(BuildOptions::new(root));
    let first = session.rebuild(&[]);
    assert_built(&session, first, &notes);
    std::fs::write(&config, LENIENT).expect("write site.toml");
    let second = session.rebuild(&[config]);
    assert_built(&session, second, &notes);
}

/// The second build's `site.toml`: broken links and front matter Lode
/// cannot read are warnings, so every page is rendered whatever the input.
const LENIENT: &str = "[links]\nlevel = \"warning\"\n\n[front_matter]\nstrict = false\n";

/// That a build's outcome follows the rules in this file's header.
fn assert_built(session: &Session, built: Result<Update, Vec<Diagnostic>>, notes: &[(String, String)]) {
    match built {
        Ok(update) => {
            for warning in &update.warnings {
                assert_eq!(
                    warning.severity,
                    Severity::Warning,
                    "an error in a successful build: {warning:?}"
                );
                assert_located(warning, notes);
            }
            assert!(session.files().contains_key("index.html"), "a successful build has a home page");
        }
        Err(problems) => {
            assert!(problems.iter().any(Diagnostic::is_error), "a failed build names an error: {problems:?}");
            for problem in &problems {
                assert_located(problem, notes);
            }
        }
    }
}

/// That `problem` and its related places point where they say, in `notes`
/// (path under the root, text as read) or at a whole file.
fn assert_located(problem: &Diagnostic, notes: &[(String, String)]) {
    let text_of = |file: &str| notes.iter().find(|(path, _)| path == file).map(|(_, text)| text.as_str());
    match text_of(&problem.file) {
        Some(text) => {
            let span = &problem.span;
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "span {span:?} outside {} ({} bytes): {problem:?}",
                problem.file,
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "span {span:?} splits a character: {problem:?}"
            );
            assert_eq!(
                (problem.line, problem.column),
                line_column(text, span.start),
                "line and column are not those of the span's start: {problem:?}"
            );
        }
        None => assert_eq!(
            (problem.line, problem.column, problem.span.clone()),
            (1, 1, 0..0),
            "a position in a file that is no note: {problem:?}"
        ),
    }
    for place in &problem.related {
        match text_of(&place.file) {
            Some(text) => {
                let lines: Vec<&str> = text.split('\n').collect();
                let line = lines.get(place.line.wrapping_sub(1));
                assert!(
                    line.is_some(),
                    "related line {} past the end of {}: {problem:?}",
                    place.line,
                    place.file
                );
                let width = line.map_or(0, |l| l.strip_prefix('\u{feff}').unwrap_or(l).chars().count());
                assert!(
                    (1..=width + 1).contains(&place.column),
                    "related column {} outside line {} of {}: {problem:?}",
                    place.column,
                    place.line,
                    place.file
                );
            }
            None => {
                assert_eq!((place.line, place.column), (1, 1), "a related position in no note: {problem:?}")
            }
        }
    }
}
