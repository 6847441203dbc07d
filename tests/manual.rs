//! Lode's manual, `docs/`, is a Lode site (issue 21). This test keeps it honest:
//!
//! - its two generated references, `docs/content/reference/command-line.md`
//!   (from clap's definitions, `lode::cli`) and `configuration.md` (from the
//!   types of `src/config.rs`: each key's doc comment, its type and its
//!   default), equal what the code says. When they differ the test fails
//!   with the first differing lines and the command that writes them again:
//!   `LODE_BLESS=1 cargo test --test manual`;
//! - the manual builds with `--strict` (no warning, no error) and every
//!   internal link of every page resolves;
//! - built as the Pages workflow builds it, the flagship at `/` and the
//!   manual at `/manual/` of one folder, each keeps to its own folder and
//!   the manual's pages, assets and search index resolve under `/manual/`.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use lode::build::{self, BuildOptions};

/// The repository's root (this crate's manifest folder).
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The command that writes the generated pages again.
const BLESS: &str = "LODE_BLESS=1 cargo test --test manual";

/// The front matter and the "generated" note every generated page starts
/// with: an HTML comment, for whoever edits the file (a reader of the
/// manual has no use for it, and Lode leaves comments out of the page).
fn header(title: &str, description: &str, source: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\ndescription = \"{description}\"\n+++\n\n\
         <!-- This page is generated from {source} and tested to match it: do not edit it by hand \
         (change the source, then run `{BLESS}`). -->\n"
    )
}

/// A sentence of help as a sentence: clap drops the full stop of a
/// one-paragraph help text; the page puts it back.
fn sentence(text: &str) -> String {
    let text = text.trim();
    match text.chars().last() {
        Some('.' | '!' | '?' | ')' | ':') | None => text.to_string(),
        Some(_) => format!("{text}."),
    }
}

/// Text from the code, made safe for a Lode page: a `[[wikilink]]` or a
/// `#word` written in help text is shown as code, not linked.
fn prose(text: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code && rest.starts_with("[[") {
            if let Some(end) = rest.find("]]") {
                write!(out, "`{}`", &rest[..end + 2]).unwrap();
                rest = &rest[end + 2..];
                continue;
            }
        } else if !in_code && c == '#' && rest[1..].starts_with(|c: char| c.is_alphanumeric()) {
            out.push('\\');
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The page with one blank line at most between blocks, and one line end at its end.
fn tidy(page: &str) -> String {
    let mut page = page.trim_end().to_string();
    while page.contains("\n\n\n") {
        page = page.replace("\n\n\n", "\n\n");
    }
    page + "\n"
}

// ---------------------------------------------------------------------------
// The command-line reference, from clap's definitions.

/// An option's or argument's name as `--help` writes it: `-q, --quiet`,
/// `--format <FORMAT>`, `<COLLECTION>`.
fn arg_name(arg: &clap::Arg) -> String {
    let value = arg
        .get_value_names()
        .map(|names| names.iter().map(|n| format!("<{n}>")).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| format!("<{}>", arg.get_id().as_str().to_uppercase()));
    if arg.is_positional() {
        return value;
    }
    let mut name = String::new();
    if let Some(short) = arg.get_short() {
        write!(name, "-{short}").unwrap();
    }
    if let Some(long) = arg.get_long() {
        if !name.is_empty() {
            name.push_str(", ");
        }
        write!(name, "--{long}").unwrap();
    }
    if arg.get_action().takes_values() {
        write!(name, " {value}").unwrap();
    }
    name
}

/// One option or argument: its name, default, possible values and help.
fn arg_entry(arg: &clap::Arg) -> String {
    let help = arg.get_long_help().or(arg.get_help()).map(|h| h.to_string()).unwrap_or_default();
    let help = sentence(&help.split_whitespace().collect::<Vec<_>>().join(" "));
    let mut entry = format!("- `{}`", arg_name(arg));
    let mut facts = Vec::new();
    if arg.get_action().takes_values() {
        let defaults: Vec<String> =
            arg.get_default_values().iter().map(|v| format!("`{}`", v.to_string_lossy())).collect();
        if !defaults.is_empty() {
            facts.push(format!("default {}", defaults.join(" ")));
        }
    }
    if facts.is_empty() {
        write!(entry, ": {}", prose(&help)).unwrap();
    } else {
        write!(entry, " ({}): {}", facts.join("; "), prose(&help)).unwrap();
    }
    let values: Vec<_> = arg.get_possible_values().into_iter().filter(|v| !v.is_hide_set()).collect();
    if arg.get_action().takes_values() && !values.is_empty() {
        if values.iter().all(|v| v.get_help().is_none()) {
            let names: Vec<String> = values.iter().map(|v| format!("`{}`", v.get_name())).collect();
            write!(entry, " One of {}.", names.join(", ")).unwrap();
        } else {
            for value in values {
                let help = sentence(&value.get_help().map(|h| h.to_string()).unwrap_or_default());
                write!(entry, "\n  - `{}`: {}", value.get_name(), prose(&help)).unwrap();
            }
        }
    }
    entry.push('\n');
    entry
}

/// A command's section: what it does, its usage, arguments, options and examples.
fn command_section(cmd: &clap::Command, page: &mut String) {
    let name = cmd.get_bin_name().unwrap_or_else(|| cmd.get_name()).to_string();
    writeln!(page, "\n## `{name}`\n").unwrap();
    let about = cmd.get_long_about().or(cmd.get_about()).map(|a| a.to_string()).unwrap_or_default();
    // Each paragraph a sentence: the first is the `-h` one-liner, without its stop.
    let paragraphs: Vec<String> = about.split("\n\n").map(sentence).collect();
    writeln!(page, "{}\n", prose(&paragraphs.join("\n\n"))).unwrap();
    let usage = cmd.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    writeln!(page, "```\n{usage}\n```\n").unwrap();
    let args: Vec<&clap::Arg> = cmd.get_arguments().filter(|a| !a.is_hide_set()).collect();
    let (positional, options): (Vec<&clap::Arg>, Vec<&clap::Arg>) =
        args.into_iter().partition(|a| a.is_positional());
    if !positional.is_empty() {
        writeln!(page, "Arguments:\n").unwrap();
        for arg in positional {
            page.push_str(&arg_entry(arg));
        }
        page.push('\n');
    }
    if !options.is_empty() {
        writeln!(page, "Options:\n").unwrap();
        for arg in options {
            page.push_str(&arg_entry(arg));
        }
        page.push('\n');
    }
    let after = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
    let examples: Vec<&str> = after.lines().filter(|l| l.starts_with(' ')).map(str::trim).collect();
    if !examples.is_empty() {
        let title = if examples.len() == 1 { "Example" } else { "Examples" };
        writeln!(page, "{title}:\n\n```sh\n{}\n```\n", examples.join("\n")).unwrap();
    }
}

/// `docs/content/reference/command-line.md`: every command and option of
/// `lode`, as `lode --help` and `lode COMMAND --help` give them.
fn command_line_reference() -> String {
    let mut cmd = lode::cli::Cli::command();
    cmd.build();
    let mut page = header(
        "Command-line reference",
        "Every lode command and option, with its default and what it does.",
        "the command line's definitions (`src/cli.rs`, the same as `lode --help`)",
    );
    let subcommands: Vec<&clap::Command> =
        cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help").collect();
    writeln!(page, "\nCommands:\n").unwrap();
    for sub in &subcommands {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        writeln!(page, "- `lode {}`: {}", sub.get_name(), prose(&sentence(&about))).unwrap();
    }
    command_section(&cmd, &mut page);
    for sub in subcommands {
        command_section(sub, &mut page);
    }
    tidy(&page)
}

// ---------------------------------------------------------------------------
// The configuration reference, from the types of src/config.rs.

/// A doc comment's text (`///` lines, one leading space each dropped).
fn docs(attrs: &[syn::Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && nv.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
        {
            let line = s.value();
            lines.push(line.strip_prefix(' ').unwrap_or(&line).to_string());
        }
    }
    // Rustdoc's links to items (`[`Strictness`]`) read as code.
    let text = lines.join("\n").replace("[`", "`").replace("`]", "`");
    prose(text.trim())
}

/// Whether a serde attribute list holds `word` (`skip`, `rename_all = "lowercase"`).
fn serde_has(attrs: &[syn::Attribute], word: &str) -> bool {
    attrs.iter().filter(|a| a.path().is_ident("serde")).any(|a| {
        let tokens = a.meta.require_list().map(|l| l.tokens.to_string()).unwrap_or_default();
        tokens.split(',').any(|part| part.trim().starts_with(word))
    })
}

/// The items of src/config.rs the reference walks.
struct Source {
    structs: Vec<syn::ItemStruct>,
    enums: Vec<syn::ItemEnum>,
}

impl Source {
    fn read() -> Source {
        let text = std::fs::read_to_string(repo().join("src/config.rs")).unwrap();
        let file = syn::parse_file(&text).expect("src/config.rs parses");
        let mut source = Source { structs: Vec::new(), enums: Vec::new() };
        for item in file.items {
            match item {
                syn::Item::Struct(s) => source.structs.push(s),
                syn::Item::Enum(e) => source.enums.push(e),
                _ => {}
            }
        }
        source
    }

    fn structure(&self, name: &str) -> Option<&syn::ItemStruct> {
        self.structs.iter().find(|s| s.ident == name)
    }

    fn enumeration(&self, name: &str) -> Option<&syn::ItemEnum> {
        self.enums.iter().find(|e| e.ident == name)
    }
}

/// A type's last path segment and its generic arguments (`Option<String>`
/// → `("Option", ["String"])`).
fn type_parts(ty: &syn::Type) -> (String, Vec<syn::Type>) {
    let syn::Type::Path(path) = ty else { panic!("a config type that is not a path") };
    let last = path.path.segments.last().unwrap();
    let args = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    (last.ident.to_string(), args)
}

/// A default value as it would be written in site.toml.
fn toml_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => serde_json::to_string(s).unwrap(),
        serde_json::Value::Object(o) if o.is_empty() => "{} (empty)".into(),
        other => other.to_string(),
    }
}

/// One key: its heading, type, default, doc comment and, for a choice, each value's meaning.
fn key_entry(source: &Source, key: &str, ty: &syn::Type, doc: &str, default: &serde_json::Value) -> String {
    let (name, args) = type_parts(ty);
    let mut choices = String::new();
    let kind = match name.as_str() {
        "String" => "string".to_string(),
        "bool" => "boolean".to_string(),
        "usize" | "u32" | "u64" | "i64" => "integer".to_string(),
        "Table" => "table of any keys and values".to_string(),
        "Option" => {
            let (inner, _) = type_parts(&args[0]);
            assert_eq!(inner, "String", "an optional {inner}: teach tests/manual.rs its name");
            "string, optional".to_string()
        }
        other => {
            let e = source
                .enumeration(other)
                .unwrap_or_else(|| panic!("`{key}`: type {other} is not in config.rs"));
            assert!(serde_has(&e.attrs, "rename_all"), "{other} is written in lowercase");
            let names: Vec<String> = e.variants.iter().map(|v| v.ident.to_string().to_lowercase()).collect();
            for (variant, value) in e.variants.iter().zip(&names) {
                writeln!(choices, "- `\"{value}\"`: {}", docs(&variant.attrs).replace('\n', " ")).unwrap();
            }
            let names: Vec<String> = names.iter().map(|n| format!("`\"{n}\"`")).collect();
            format!("one of {}", names.join(", "))
        }
    };
    let default = match default {
        serde_json::Value::Null => "none".to_string(),
        value => format!("`{}`", toml_value(value)),
    };
    let mut entry = format!("\n### `{key}`\n\nType: {kind}. Default: {default}.\n\n{doc}\n");
    if !choices.is_empty() {
        write!(entry, "\n{choices}").unwrap();
    }
    entry
}

/// A table's keys (the fields of `name`), under `prefix` (`links.`).
fn table_keys(source: &Source, name: &str, prefix: &str, defaults: &serde_json::Value, page: &mut String) {
    let item = source.structure(name).unwrap_or_else(|| panic!("struct {name} is not in config.rs"));
    let syn::Fields::Named(fields) = &item.fields else { panic!("{name} has named fields") };
    for field in &fields.named {
        if serde_has(&field.attrs, "skip") {
            continue;
        }
        let key = field.ident.as_ref().unwrap().to_string();
        let default = &defaults[key.as_str()];
        assert!(defaults.get(key.as_str()).is_some(), "{name}.{key} is not in the serialized defaults");
        page.push_str(&key_entry(source, &format!("{prefix}{key}"), &field.ty, &docs(&field.attrs), default));
    }
}

/// `docs/content/reference/configuration.md`: every key of `site.toml`,
/// with its type, its default (`Config::default()`) and its doc comment.
fn configuration_reference() -> String {
    let source = Source::read();
    let defaults = serde_json::to_value(lode::config::Config::default()).unwrap();
    let config = source.structure("Config").unwrap();
    let mut page = header(
        "Configuration reference",
        "Every key of site.toml, with its type, its default and what it does.",
        "the doc comments of the configuration's types (`src/config.rs`)",
    );
    writeln!(page, "\n{}\n", docs(&config.attrs)).unwrap();
    let syn::Fields::Named(fields) = &config.fields else { unreachable!() };
    let is_table = |f: &&syn::Field| {
        let (name, _) = type_parts(&f.ty);
        name == "Table" || name == "BTreeMap" || source.structure(&name).is_some()
    };
    let (tables, keys): (Vec<&syn::Field>, Vec<&syn::Field>) =
        fields.named.iter().filter(|f| !serde_has(&f.attrs, "skip")).partition(is_table);
    writeln!(page, "## Top-level keys\n\nWritten before any `[table]` of `site.toml`.").unwrap();
    for field in keys {
        let key = field.ident.as_ref().unwrap().to_string();
        page.push_str(&key_entry(&source, &key, &field.ty, &docs(&field.attrs), &defaults[key.as_str()]));
    }
    for field in tables {
        let key = field.ident.as_ref().unwrap().to_string();
        let (name, args) = type_parts(&field.ty);
        match name.as_str() {
            "Table" => {
                writeln!(
                    page,
                    "\n## `[{key}]`\n\n{}\n\nType: table of any keys and values. Default: empty.",
                    docs(&field.attrs)
                )
                .unwrap();
            }
            "BTreeMap" => {
                let (item, _) = type_parts(&args[1]);
                let structure = source.structure(&item).unwrap();
                writeln!(
                    page,
                    "\n## `[{key}.<code>]`\n\n{}\n\n{}",
                    docs(&field.attrs),
                    docs(&structure.attrs)
                )
                .unwrap();
                let entry = serde_json::to_value(lode::config::LanguageConfig::default()).unwrap();
                assert_eq!(item, "LanguageConfig", "teach tests/manual.rs the defaults of {item}");
                table_keys(&source, &item, &format!("{key}.<code>."), &entry, &mut page);
            }
            _ => {
                let structure = source.structure(&name).unwrap();
                writeln!(page, "\n## `[{key}]`\n\n{}", docs(&structure.attrs)).unwrap();
                table_keys(&source, &name, &format!("{key}."), &defaults[key.as_str()], &mut page);
            }
        }
    }
    tidy(&page)
}

// ---------------------------------------------------------------------------

/// The first lines where `committed` and `generated` differ, for the failure message.
fn first_difference(committed: &str, generated: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (committed.lines().collect(), generated.lines().collect());
    let at = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let show = |lines: &[&str]| {
        lines.iter().skip(at).take(4).map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n")
    };
    format!("line {}:\n  committed:\n{}\n  from the code:\n{}", at + 1, show(&a), show(&b))
}

/// Compares `path` (under docs/) with `generated`, or writes it with `LODE_BLESS=1`.
fn matches_the_code(path: &str, generated: &str) -> Result<(), String> {
    let file = repo().join("docs").join(path);
    if std::env::var_os("LODE_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, generated).unwrap();
        return Ok(());
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed == generated {
        Ok(())
    } else {
        Err(format!(
            "docs/{path} differs from the code at {}\nWrite it again with: {BLESS}",
            first_difference(&committed, generated)
        ))
    }
}

#[test]
fn the_generated_references_match_the_code() {
    let problems: Vec<String> = [
        ("content/reference/command-line.md", command_line_reference()),
        ("content/reference/configuration.md", configuration_reference()),
    ]
    .iter()
    .filter_map(|(path, text)| matches_the_code(path, text).err())
    .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Every command and option `lode --help` lists is on the page (a check of
/// the generator itself, which reads the same definitions).
#[test]
fn the_command_line_reference_names_every_command_and_option() {
    let page = command_line_reference();
    let mut cmd = lode::cli::Cli::command();
    cmd.build();
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        assert!(page.contains(&format!("## `lode {}`", sub.get_name())), "{}", sub.get_name());
        for long in sub.get_arguments().filter_map(clap::Arg::get_long) {
            assert!(page.contains(&format!("--{long}")), "lode {} --{long}", sub.get_name());
        }
    }
    assert!(page.contains("- `--strict`: Fail on warnings too"), "{page}");
    assert!(page.contains("- `--port <PORT>` (default `1111`)"), "{page}");
}

/// Every key `site.toml` accepts is on the page: each key of the defaults,
/// serialized, has its heading (the serde names are the ones read).
#[test]
fn the_configuration_reference_names_every_key() {
    let page = configuration_reference();
    let defaults = serde_json::to_value(lode::config::Config::default()).unwrap();
    for (key, value) in defaults.as_object().unwrap() {
        match value.as_object() {
            Some(table) if key != "extra" && key != "languages" => {
                assert!(page.contains(&format!("## `[{key}]`")), "[{key}]");
                for inner in table.keys() {
                    assert!(page.contains(&format!("### `{key}.{inner}`")), "{key}.{inner}");
                }
            }
            _ if key == "languages" => assert!(page.contains("### `languages.<code>.name`")),
            _ if key == "extra" => assert!(page.contains("## `[extra]`")),
            _ => assert!(page.contains(&format!("### `{key}`")), "{key}"),
        }
    }
    assert!(
        page.contains("Type: one of `\"each\"`, `\"summary\"`, `\"off\"`. Default: `\"summary\"`."),
        "{page}"
    );
    assert!(page.contains("### `graph.max_notes`\n\nType: integer. Default: `2000`."), "{page}");
}

/// Builds `root` into `output` with `base_url`, with `--strict` or not.
fn build_site(root: &Path, output: &Path, base_url: &str, cache: &Path, strict: bool) -> build::BuildReport {
    let options = BuildOptions {
        output: Some(output.to_path_buf()),
        base_url: Some(base_url.into()),
        cache: Some(cache.to_path_buf()),
        strict,
        ..BuildOptions::new(root)
    };
    build::build(&options)
        .unwrap_or_else(|problems| panic!("{}:\n{}", root.display(), common::list(&problems)))
}

/// A copy of `docs/` in a temporary folder, to build. Until the manual's
/// prose pages (which the home page is one of) are in `docs/content/`, the
/// copy gets a stub home page linking to the generated references.
fn manual_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&repo().join("docs"), dir.path(), |_| true);
    let home = dir.path().join("content/_index.md");
    if !home.exists() {
        std::fs::write(home, "+++\ntitle = \"Lode manual\"\n+++\n\n[[Command-line reference]] and [[Configuration reference]].\n").unwrap();
    }
    dir
}

#[test]
fn the_manual_builds_strictly_and_every_link_resolves() {
    let site = manual_site();
    let out = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let report = build_site(site.path(), &output, "https://example.org/manual/", cache.path(), true);
    assert!(report.warnings.is_empty(), "{}", common::list(&report.warnings));
    for page in ["reference/command-line/index.html", "reference/configuration/index.html", "index.html"] {
        assert!(output.join(page).is_file(), "{page}");
    }
    let (problems, checked) = common::check_all_links(&output);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 20, "{checked} links checked");
    // Only content/ and static/ are read: the screenshots and the other
    // files beside content/ are not published.
    let published: Vec<String> = walkdir::WalkDir::new(&output)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(&output).unwrap().to_string_lossy().into_owned())
        .filter(|p| p.starts_with("screenshots") || p.ends_with("diagnostics.md") || p.starts_with("phone-"))
        .collect();
    assert!(published.is_empty(), "{published:?}");
}

/// What a reader of the manual sees first: no note for contributors at the
/// top of a generated page (it is an HTML comment in the source), the
/// diagnostics page opening with what a reader needs rather than its
/// fixtures, and no Graph or Revise link in the header (`[nav]` in
/// docs/site.toml: a manual is read, not revised).
#[test]
fn the_manual_speaks_to_its_readers() {
    let site = manual_site();
    let out = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    build_site(site.path(), &output, "https://example.org/manual/", cache.path(), true);
    let page =
        |path: &str| scraper::Html::parse_document(&std::fs::read_to_string(output.join(path)).unwrap());
    for path in ["reference/command-line/index.html", "reference/configuration/index.html"] {
        let html = page(path);
        let body = common::text(&common::select(&html, ".note-body")[0]);
        assert!(!body.contains("do not edit it by hand"), "{path}: {}", &body[..200.min(body.len())]);
    }
    let diagnostics = page("troubleshooting/diagnostics/index.html");
    let first: Vec<String> =
        common::select(&diagnostics, ".note-body > p").iter().take(2).map(common::text).collect();
    assert!(first.iter().all(|p| !p.contains("fixture")), "{first:?}");
    assert!(first[0].contains("help:"), "the first paragraph says what a problem report holds: {first:?}");
    for path in ["index.html", "troubleshooting/diagnostics/index.html"] {
        let nav = common::hrefs(&page(path), ".site-nav a");
        assert!(nav.iter().all(|h| !h.ends_with("graph/") && !h.ends_with("revise/")), "{path}: {nav:?}");
        assert!(nav.iter().any(|h| h.ends_with("tags/")), "{path}: {nav:?}");
    }
}

/// As `.github/workflows/pages.yml` builds them: the flagship into
/// `public/`, then the manual into `public/manual/` with the Pages URL
/// plus `manual/`. The second build must not touch the first's files, and
/// every link, asset and search file of both resolves in the one folder.
#[test]
fn the_flagship_and_the_manual_share_one_pages_folder() {
    let out = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let pages_url = "https://lode-notes.github.io/lode/";
    // The flagship as the workflow builds it (not strict); the manual strictly.
    build_site(&repo(), &public, pages_url, cache.path(), false);
    let flagship_home = std::fs::read(public.join("index.html")).unwrap();
    let site = manual_site();
    build_site(site.path(), &public.join("manual"), &format!("{pages_url}manual/"), cache.path(), true);
    assert_eq!(std::fs::read(public.join("index.html")).unwrap(), flagship_home);
    let leftovers: Vec<_> = std::fs::read_dir(&public)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".lode-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // The 404 pages link by absolute paths under the Pages URL's path
    // (`/lode/…`), as a server at any depth needs: each resolves in the
    // one folder once that path is taken off. (check_all_links leaves out
    // only the top-level 404.html.)
    for page in ["404.html", "manual/404.html"] {
        let html = scraper::Html::parse_document(&std::fs::read_to_string(public.join(page)).unwrap());
        let urls = common::select(&html, "[href], [src]");
        assert!(!urls.is_empty());
        for el in urls {
            let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if url.contains("://") || url.starts_with('#') {
                continue;
            }
            let path =
                url.strip_prefix("/lode/").unwrap_or_else(|| panic!("{page}: {url} is not under /lode/"));
            let file = common::file_for(&public, &format!("/{}", path.split('#').next().unwrap()));
            assert!(file.is_file(), "{page}: {url} → {} is missing", file.display());
        }
        assert_eq!(page == "manual/404.html", html.html().contains("/lode/manual/style.css"), "{page}");
    }
    std::fs::remove_file(public.join("manual/404.html")).unwrap();
    let (problems, checked) = common::check_all_links(&public);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(checked > 1000, "{checked}");
    // The manual's pages reach their own stylesheet and scripts, and its
    // search index, under /manual/ (relative URLs), not the flagship's.
    let page = std::fs::read_to_string(public.join("manual/reference/configuration/index.html")).unwrap();
    let html = scraper::Html::parse_document(&page);
    let stylesheets = common::hrefs(&html, "link[rel=stylesheet]");
    assert!(!stylesheets.is_empty());
    for href in stylesheets {
        let (path, _) = common::resolve_url("/manual/reference/configuration/", &href);
        assert!(path.starts_with("/manual/"), "{href} → {path}");
    }
    assert!(public.join("manual/_lode/search/meta.json").is_file(), "the manual's own search index");
    let canonical = common::hrefs(&html, "link[rel=canonical]");
    assert_eq!(canonical, [format!("{pages_url}manual/reference/configuration/")]);
    let body = common::select(&html, "body");
    assert_eq!(body[0].value().attr("data-site"), Some("https://lode-notes.github.io/lode/manual/"));
}

/// A `site.toml` key that is unknown and near no known key gets the list
/// of its table's keys as help. Those lists are written by hand
/// (`config::CONFIG_KEYS`), so this checks them against the keys of
/// `Config` and of each of its tables.
#[test]
fn an_unknown_key_lists_every_key_of_its_table() {
    let defaults = serde_json::to_value(lode::config::Config::default()).unwrap();
    let help_for = |toml: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.toml"), toml).unwrap();
        let problems = lode::config::Config::load(dir.path()).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        problems[0].help.clone().unwrap_or_default()
    };
    let top = help_for("qqqqqqqqqq = 1\n");
    for (key, value) in defaults.as_object().unwrap() {
        assert!(top.contains(&format!("`{key}`")), "{key} is missing from: {top}");
        let Some(table) = value.as_object().filter(|t| !t.is_empty() && key != "languages") else {
            continue;
        };
        let help = help_for(&format!("[{key}]\nqqqqqqqqqq = 1\n"));
        for inner in table.keys() {
            assert!(help.contains(&format!("`{inner}`")), "[{key}] {inner} is missing from: {help}");
        }
    }
}

/// The deploying page's whole workflow, for a repository `lode init` did
/// not make, is the one `lode init` writes (it follows the repository's
/// own `pages.yml`, so a change there must reach the page).
#[test]
fn the_manuals_pages_workflow_is_the_one_lode_init_writes() {
    let page = std::fs::read_to_string(repo().join("docs/content/deploying/github-pages.md")).unwrap();
    let section = page.split("## A repository without the workflow").nth(1).expect("the section");
    let block =
        section.split("```yaml\n").nth(1).and_then(|b| b.split("```\n").next()).expect("its yaml block");
    let written = lode::scaffold::site_workflow();
    assert!(
        block == written,
        "docs/content/deploying/github-pages.md's workflow differs from lode init's:\n{}",
        first_difference(block, &written)
    );
}
