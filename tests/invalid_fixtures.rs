//! Broken fixture sites (tests/fixtures/invalid/NAME/): `lode check` reports
//! every problem at the file, line and column its `expected.txt` names, adds
//! no unexpected problem, and writes nothing. See the folder's README.md.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use lode::build::{self, BuildOptions};
use lode::diagnostics::{Diagnostic, Kind, Severity};

/// One test per fixture folder, so each broken site passes or fails on its own.
macro_rules! fixtures {
    ($($test:ident => $dir:literal,)*) => {
        $(
            #[test]
            fn $test() {
                run_fixture($dir);
            }
        )*
        /// The folders the tests above cover.
        const FIXTURES: &[&str] = &[$($dir),*];
    };
}

fixtures! {
    toml_syntax => "toml-syntax",
    chart_shares => "chart-shares",
    chart_shares_warnings => "chart-shares-warnings",
    base_url_not_a_url => "base-url-not-a-url",
    yaml_syntax => "yaml-syntax",
    unclosed_fence => "unclosed-fence",
    wrong_type => "wrong-type",
    not_a_date => "not-a-date",
    near_miss_key => "near-miss-key",
    schema_required_missing => "schema-required-missing",
    schema_wrong_type => "schema-wrong-type",
    schema_unknown_key => "schema-unknown-key",
    schema_unknown_type => "schema-unknown-type",
    unresolved_wikilink => "unresolved-wikilink",
    missing_heading => "missing-heading",
    unknown_block_id => "unknown-block-id",
    ambiguous_link => "ambiguous-link",
    broken_relative_link => "broken-relative-link",
    link_outside_content => "link-outside-content",
    ambiguous_file_name_link => "ambiguous-file-name-link",
    missing_embed => "missing-embed",
    embed_cycle => "embed-cycle",
    embed_section_cycle => "embed-section-cycle",
    question_answer_not_an_option => "question-answer-not-an-option",
    duplicate_permalink_case => "duplicate-permalink-case",
    duplicate_permalink_nfc_nfd => "duplicate-permalink-nfc-nfd",
    duplicate_title => "duplicate-title",
    orphan_note => "orphan-note",
    orphan_note_summary => "orphan-note-summary",
    empty_note_summary => "empty-note-summary",
    empty_note_off => "empty-note-off",
    empty_note => "empty-note",
    template_syntax => "template-syntax",
    template_undefined_variable => "template-undefined-variable",
    template_unknown_filter => "template-unknown-filter",
    template_missing => "template-missing",
    not_utf8 => "not-utf8",
    bom_crlf => "bom-crlf",
    bom_first_line => "bom-first-line",
    bom_template_first_line => "bom-template-first-line",
    lone_cr_line_endings => "lone-cr-line-endings",
    impossible_dates => "impossible-dates",
    impossible_date_reasons => "impossible-date-reasons",
    yaml_key_shadowed_by_extra => "yaml-key-shadowed-by-extra",
    every_problem_in_one_run => "every-problem-in-one-run",
    toml_duplicate_key => "toml-duplicate-key",
    template_mismatched_end => "template-mismatched-end",
    yaml_duplicate_key => "yaml-duplicate-key",
    link_to_draft => "link-to-draft",
    symlink_skipped => "symlink-skipped",
    schema_field_shadowed_by_property => "schema-field-shadowed-by-property",
    question_inline_array => "question-inline-array",
    question_yaml_list => "question-yaml-list",
    question_explanation_link => "question-explanation-link",
    unicode_columns => "unicode-columns",
    links_in_code_and_comments => "links-in-code-and-comments",
    missing_image => "missing-image",
    image_without_alt => "image-without-alt",
    bad_tex => "bad-tex",
    bad_diagram => "bad-diagram",
    unclosed_html => "unclosed-html",
    missing_attachment => "missing-attachment",
    ambiguous_attachment => "ambiguous-attachment",
    template_syntax_midline => "template-syntax-midline",
    page_template_missing => "page-template-missing",
    site_toml_invalid => "site-toml-invalid",
    tags_map_strict => "tags-map-strict",
    lenient_map_in_tags => "lenient-map-in-tags",
    lenient_wrong_type => "lenient-wrong-type",
    lenient_yaml_syntax => "lenient-yaml-syntax",
    lenient_not_utf8 => "lenient-not-utf8",
    lenient_missing_template => "lenient-missing-template",
    card_empty_side => "card-empty-side",
    card_separator_alone => "card-separator-alone",
    cloze_unclosed => "cloze-unclosed",
    card_in_list => "card-in-list",
    cards_wrong_type => "cards-wrong-type",
    card_field_missing => "card-field-missing",
    source_missing_title => "source-missing-title",
    source_bad_url => "source-bad-url",
    lenient_source_shapes => "lenient-source-shapes",
    citation_unknown_source => "citation-unknown-source",
    correction_without_source => "correction-without-source",
    corrected_unknown_field => "corrected-unknown-field",
    corrected_without_callout => "corrected-without-callout",
    corrected_empty => "corrected-empty",
    extra_link_broken_anchor => "extra-link-broken-anchor",
    item_unknown_keys => "item-unknown-keys",
    source_every_problem => "source-every-problem",
    extra_names_unlinked_note => "extra-names-unlinked-note",
    query_unknown_field => "query-unknown-field",
    corrections_permalink_reserved => "corrections-permalink-reserved",
    cloze_escaped => "cloze-escaped",
    card_field_repeated => "card-field-repeated",
    card_table_unknown_key => "card-table-unknown-key",
    card_field_empty => "card-field-empty",
    card_list_and_html => "card-list-and-html",
    question_shuffle_not_bool => "question-shuffle-not-bool",
    duplicate_title_nfc_nfd => "duplicate-title-nfc-nfd",
    unclosed_front_matter => "unclosed-front-matter",
    unclosed_front_matter_yaml_dashes => "unclosed-front-matter-yaml-dashes",
    unclosed_front_matter_toml_pluses => "unclosed-front-matter-toml-pluses",
    unclosed_front_matter_yaml_em_dash => "unclosed-front-matter-yaml-em-dash",
    unclosed_front_matter_yaml_trailing => "unclosed-front-matter-yaml-trailing",
    yaml_tab_indent => "yaml-tab-indent",
    yaml_tags_comma_string => "yaml-tags-comma-string",
    tag_spelling => "tag-spelling",
    translation_unknown_key => "translation-unknown-key",
    translation_undeclared_language => "translation-undeclared-language",
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

#[test]
fn every_fixture_folder_has_a_test() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures/invalid")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    let unlisted: Vec<_> = on_disk.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&on_disk).collect();
    assert!(unlisted.is_empty(), "fixture folders not in the `fixtures!` list: {unlisted:?}");
    assert!(missing.is_empty(), "`fixtures!` names folders that do not exist: {missing:?}");
}

/// One line of `expected.txt`: `file:line:column: severity: text`.
#[derive(Debug)]
struct Expected {
    file: String,
    line: usize,
    column: usize,
    severity: Severity,
    text: String,
    source: String,
}

impl Expected {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.file == self.file
            && d.line == self.line
            && d.column == self.column
            && d.severity == self.severity
            && d.message.contains(&self.text)
    }
}

/// What `expected.txt` says.
#[derive(Debug, Default)]
struct Spec {
    expected: Vec<Expected>,
    allow_extra_warnings: bool,
    /// `# lode-bug: …` lines: Lode is known to get this fixture wrong.
    bugs: Vec<String>,
}

fn parse_expected(name: &str, text: &str) -> Spec {
    let mut spec = Spec::default();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        let bad = |why: &str| -> ! { panic!("{name}/expected.txt:{}: {why}: {raw:?}", i + 1) };
        if line.is_empty() {
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if comment == "allow-extra-warnings" {
                spec.allow_extra_warnings = true;
            } else if let Some(bug) = comment.strip_prefix("lode-bug:") {
                spec.bugs.push(bug.trim().to_string());
            }
            continue;
        }
        let Some((location, rest)) = line.split_once(": ") else { bad("expected `file:line:column: …`") };
        let mut parts = location.rsplitn(3, ':');
        let (Some(column), Some(line_no), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
            bad("expected `file:line:column`")
        };
        let (severity, text) = rest.split_once(':').unwrap_or((rest, ""));
        let severity = match severity {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => bad("severity must be `error` or `warning`"),
        };
        spec.expected.push(Expected {
            file: file.to_string(),
            line: line_no.parse().unwrap_or_else(|_| bad("line is not a number")),
            column: column.parse().unwrap_or_else(|_| bad("column is not a number")),
            severity,
            text: text.trim().to_string(),
            source: line.to_string(),
        });
    }
    assert!(!spec.expected.is_empty(), "{name}/expected.txt expects no diagnostic");
    spec
}

/// An orphan or empty note's warning, or their one-line summary
/// (`[check]` in site.toml): what `# allow-extra-warnings` lets through.
fn is_orphan_or_empty(d: &Diagnostic) -> bool {
    d.severity == Severity::Warning && matches!(d.kind, Some(Kind::OrphanNote | Kind::EmptyNote))
}

/// Every file under `dir` with its size and modification time.
fn snapshot(dir: &Path) -> BTreeSet<(PathBuf, u64, Option<SystemTime>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk fixture"))
        .map(|e| {
            let meta = e.metadata().expect("metadata");
            (e.path().to_path_buf(), meta.len(), meta.modified().ok())
        })
        .collect()
}

fn run_fixture(name: &str) {
    let dir = fixtures_dir().join(name);
    let expected_text = std::fs::read_to_string(dir.join("expected.txt"))
        .unwrap_or_else(|e| panic!("{name}: cannot read expected.txt: {e}"));
    let spec = parse_expected(name, &expected_text);

    assert!(!dir.join("public").exists(), "{name}: remove the stray public/ folder from the fixture");
    let before = snapshot(&dir);
    let reported = match build::check(&BuildOptions::new(&dir)) {
        Ok(update) => update.warnings,
        Err(problems) => problems,
    };
    let after = snapshot(&dir);
    assert!(!dir.join("public").exists(), "{name}: `lode check` wrote public/");
    assert_eq!(before, after, "{name}: `lode check` changed files in the fixture folder");

    let mut used = vec![false; reported.len()];
    let mut missing = Vec::new();
    for want in &spec.expected {
        match (0..reported.len()).find(|&i| !used[i] && want.matches(&reported[i])) {
            Some(i) => used[i] = true,
            None => missing.push(want),
        }
    }
    let unexpected: Vec<&Diagnostic> = reported
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(d, _)| d)
        .filter(|d| !(spec.allow_extra_warnings && is_orphan_or_empty(d)))
        .collect();

    let ok = missing.is_empty() && unexpected.is_empty();
    if ok && spec.bugs.is_empty() {
        return;
    }
    let mut report = String::new();
    if ok {
        let _ = writeln!(
            report,
            "fixture `{name}` passes now: remove its `# lode-bug` line(s) from expected.txt:"
        );
        for bug in &spec.bugs {
            let _ = writeln!(report, "    {bug}");
        }
        panic!("{report}");
    }
    let _ = writeln!(report, "fixture `{name}` (tests/fixtures/invalid/{name}/):");
    for bug in &spec.bugs {
        let _ = writeln!(report, "  KNOWN LODE BUG: {bug}");
    }
    for want in &missing {
        let _ = writeln!(report, "  missing:    {}", want.source);
    }
    for d in &unexpected {
        let _ = writeln!(report, "  unexpected: {}", line_of(d));
    }
    let _ = writeln!(report, "  reported:");
    if reported.is_empty() {
        let _ = writeln!(report, "    (nothing)");
    }
    for d in &reported {
        let _ = writeln!(report, "    {}", line_of(d));
    }
    panic!("{report}");
}

/// A diagnostic in `expected.txt` form.
fn line_of(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    format!("{}:{}:{}: {severity}: {}", d.file, d.line, d.column, d.message)
}

/// A diagnostic as `docs/content/troubleshooting/diagnostics.md` quotes it: `file:line:column:
/// severity[code]: message`, then `help: …` when it has help.
fn catalogue_text(d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut text =
        format!("{}:{}:{}: {severity}[{}]: {}", d.file, d.line, d.column, d.kind().code(), d.message);
    if let Some(help) = &d.help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

/// One entry of the catalogue: `## L0201 `unresolved-link``, then one or
/// more examples: a fixture named on a `Fixture: `name`` line, and a
/// ```text block quoting one of the fixture's diagnostics exactly.
#[derive(Debug)]
struct Entry {
    code: String,
    kind: String,
    /// Each example: its fixture and the diagnostic quoted. Most entries
    /// have one; a kind that covers distinct mistakes may show more, each
    /// under its own `Fixture:` line.
    examples: Vec<(String, String)>,
}

fn catalogue() -> Vec<Entry> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/content/troubleshooting/diagnostics.md");
    let text = std::fs::read_to_string(&path).expect("docs/content/troubleshooting/diagnostics.md");
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let (code, kind) = heading.split_once(' ').unwrap_or_else(|| panic!("entry heading {line:?}"));
            let kind = kind.trim_matches('`');
            entries.push(Entry { code: code.into(), kind: kind.into(), examples: Vec::new() });
            continue;
        }
        let Some(entry) = entries.last_mut() else { continue };
        if let Some(name) = line.strip_prefix("Fixture: `").and_then(|l| l.strip_suffix('`')) {
            entry.examples.push((name.to_string(), String::new()));
        } else if line == "```text" {
            in_block = true;
        } else if line == "```" {
            in_block = false;
        } else if in_block {
            let code = entry.code.clone();
            let (_, quoted) = entry
                .examples
                .last_mut()
                .unwrap_or_else(|| panic!("{code}: a quote before its `Fixture:` line"));
            if !quoted.is_empty() {
                quoted.push('\n');
            }
            quoted.push_str(line);
        }
    }
    entries
}

/// The catalogue of every diagnostic (docs/content/troubleshooting/diagnostics.md) has an entry for
/// each kind Lode can emit, in code order, and each example's quoted text is
/// exactly what its fixture reports: message, position, code and help. Only
/// `other` (the operating system's errors writing files) has no fixture.
#[test]
fn the_catalogue_quotes_every_kind_exactly() {
    let entries = catalogue();
    let codes: Vec<&str> = entries.iter().map(|e| e.code.as_str()).collect();
    let want: Vec<&str> = lode::diagnostics::Kind::ALL.iter().map(|k| k.code()).collect();
    assert_eq!(
        codes, want,
        "docs/content/troubleshooting/diagnostics.md must have one entry per kind, in code order"
    );
    let mut failures = Vec::new();
    for (entry, kind) in entries.iter().zip(lode::diagnostics::Kind::ALL) {
        let name = serde_json::to_value(kind).expect("kind").as_str().expect("a name").to_string();
        assert_eq!(entry.kind, name, "{}: the kind's name", entry.code);
        if entry.examples.is_empty() {
            assert_eq!(kind, lode::diagnostics::Kind::Other, "{}: no `Fixture:` line", entry.code);
            continue;
        }
        for (fixture, quoted) in &entry.examples {
            assert!(FIXTURES.contains(&fixture.as_str()), "{}: no fixture `{fixture}`", entry.code);
            assert!(!quoted.is_empty(), "{} ({fixture}): no quoted diagnostic", entry.code);
            let reported = match build::check(&BuildOptions::new(fixtures_dir().join(fixture))) {
                Ok(update) => update.warnings,
                Err(problems) => problems,
            };
            let texts: Vec<String> =
                reported.iter().filter(|d| d.kind() == kind).map(catalogue_text).collect();
            if !texts.contains(quoted) {
                failures.push(format!(
                    "{} ({fixture}): the catalogue quotes\n{quoted}\nbut the fixture reports, of this kind:\n{}",
                    entry.code,
                    texts.join("\n")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// No fixture reports a problem of kind `other`: each message Lode can
/// give about the input has a kind of its own, and so an entry above.
#[test]
fn no_fixture_reports_a_problem_without_a_kind() {
    for name in FIXTURES {
        let reported = match build::check(&BuildOptions::new(fixtures_dir().join(name))) {
            Ok(update) => update.warnings,
            Err(problems) => problems,
        };
        for d in reported {
            assert_ne!(d.kind(), lode::diagnostics::Kind::Other, "{name}: {}", line_of(&d));
        }
    }
}
