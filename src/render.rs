//! Tera templates: loading them, the views they see, and rendering pages.
//!
//! Tera 2 is used on purpose: its errors carry the template's line and
//! column, and its functions can read the render context, so one function,
//! `get_url(path=…)`, turns a root-relative path into a URL relative to the
//! page being rendered. Templates never paste URLs together.
//!
//! Views are serialized once per build: each note's *card* (title,
//! permalink, summary, tags, `extra`) and the site-wide navigation are
//! [`tera::Value`]s, which share their contents (`Arc`) when cloned, so a
//! page's context costs only the page's own data.

pub mod body;
pub mod query;
pub mod reading;
pub mod revise;
pub mod sheet;
pub mod social;
pub mod uses;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Kwargs, State, Tera, Value};

use crate::config::Config;
use crate::content::scan::{Context as LinkContext, Heading};
use crate::content::tag_slug;
use crate::deps::{self, Facet, Read};
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::graph::Neighbours;
use crate::links::{LinkGraph, scan_of};
use crate::site::{NoteId, Permalink, Site, fold};
use body::BodyRenderer;
pub use uses::Uses;

/// The folder of the site's templates, at the site root.
pub const TEMPLATES_DIR: &str = "templates";

/// Templates built into the binary; a site's `templates/` file of the same name overrides one.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("partials/facts.html", include_str!("../templates/partials/facts.html")),
    ("partials/chart.html", include_str!("../templates/partials/chart.html")),
    ("partials/questions.html", include_str!("../templates/partials/questions.html")),
    ("partials/backlinks.html", include_str!("../templates/partials/backlinks.html")),
    ("partials/graph.html", include_str!("../templates/partials/graph.html")),
    ("graph.html", include_str!("../templates/graph.html")),
    ("revise.html", include_str!("../templates/revise.html")),
    ("corrections.html", include_str!("../templates/corrections.html")),
    ("partials/changes_since.html", include_str!("../templates/partials/changes_since.html")),
    ("changes.html", include_str!("../templates/changes.html")),
    ("changes.xml", include_str!("../templates/changes.xml")),
    ("partials/sources.html", include_str!("../templates/partials/sources.html")),
    ("partials/related.html", include_str!("../templates/partials/related.html")),
    ("partials/og_image.html", include_str!("../templates/partials/og_image.html")),
    ("note.html", include_str!("../templates/note.html")),
    ("collection.html", include_str!("../templates/collection.html")),
    ("sheet.html", include_str!("../templates/sheet.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("tags.html", include_str!("../templates/tags.html")),
    ("tag.html", include_str!("../templates/tag.html")),
    ("timeline.html", include_str!("../templates/timeline.html")),
    ("404.html", include_str!("../templates/404.html")),
    ("sitemap.xml", include_str!("../templates/sitemap.xml")),
    ("atom.xml", include_str!("../templates/atom.xml")),
    ("card.svg", include_str!("../templates/card.svg")),
    // Hooks, empty in the built-in theme, for a site to fill with a file
    // of the same name (the flagship's are in this repository's templates/).
    (
        "partials/nav_extra.html",
        "{#- Empty in the built-in theme: a site's own links (<li>) after the collections in the menu. -#}\n",
    ),
    (
        "partials/fact_mark.html",
        "{#- Empty in the built-in theme: a mark after the label of a row of the facts box (`fact`, `key`). -#}\n",
    ),
    (
        "partials/facts_note.html",
        "{#- Empty in the built-in theme: a note under the facts box's list (`page`). -#}\n",
    ),
];

/// Files every full build renders beside the pages, each from the template
/// of the same name: GitHub Pages' not-found page, the sitemap and the Atom
/// feed. A file of the same name in `static/` replaces the rendered one.
pub const SITE_FILES: &[&str] = &["404.html", "sitemap.xml", "atom.xml"];

/// A rendered page: where it goes and its HTML.
#[derive(Debug)]
pub struct Page {
    /// Path relative to the output folder (`minerals/lithium/index.html`).
    pub path: String,
    /// The HTML.
    pub html: String,
    /// A note page's social card, to rasterize ([`social`]): none on other pages.
    pub social: Option<social::Card>,
}

/// The loaded templates, with their sources kept for error reports.
pub struct Templates {
    /// Template name → (file relative to the site root, text).
    sources: HashMap<String, (String, String)>,
    /// The costly views they use ([`uses::Uses::of`]).
    uses: Uses,
    /// The interface strings `t(key=…)` gives ([`Strings`]).
    strings: Arc<Strings>,
}

/// The folder of a site's translation files, at the site root: `i18n/hi.toml`
/// holds the interface strings in Hindi, one `key = "text"` each.
pub const I18N_DIR: &str = "i18n";

/// One language's interface strings, for the words Rust writes into a
/// page's HTML (a graph's accessible names, a heading anchor's label, a
/// related note's reason), as `t(key=…)` gives them to templates.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    strings: &'a Strings,
    language: &'a str,
    default: &'a str,
}

impl<'a> Words<'a> {
    /// The string `key` in this language (else the default's, else Lode's
    /// English); the key itself for one Lode's `i18n/en.toml` lacks, which
    /// debug builds (every test) refuse.
    pub fn get(&self, key: &'a str) -> &'a str {
        let text = self.strings.get(self.language, self.default, key);
        debug_assert!(text.is_some(), "`{key}` is not in Lode's i18n/en.toml");
        text.unwrap_or(key)
    }

    /// The string `key` in this language, else the default's, else
    /// Lode's English; `None` when no file has it.
    pub fn lookup(&self, key: &str) -> Option<&'a str> {
        self.strings.get(self.language, self.default, key)
    }

    /// [`Words::get`] with each `{name}` filled in from `values`.
    pub fn fill(&self, key: &'a str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// `strings` in note `id`'s language (its site's default after it).
pub(crate) fn note_words<'a>(strings: &'a Strings, site: &'a Site, id: NoteId) -> Words<'a> {
    strings.words(&site.languages, site.language(id))
}

/// Lode's built-in English, made once: the words of bodies rendered
/// outside a page (the revision data, `render_markdown`).
pub fn builtin_strings() -> &'static Strings {
    static BUILTIN: std::sync::LazyLock<Strings> = std::sync::LazyLock::new(Strings::builtin);
    &BUILTIN
}

/// Lode's own interface strings, in English: what `t(key=…)` gives when no
/// translation file of the site has the key (Lode's `i18n/en.toml`).
const BUILTIN_STRINGS: &str = include_str!("../i18n/en.toml");

/// The keys of the interface strings the scripts write themselves
/// (`static/*.js`: `say("key", "English")`), given to them by
/// [`Strings::script_json`] through `<body data-strings>`.
pub const SCRIPT_STRINGS: &[&str] = &[
    "all_collections",
    "all_tags",
    "badge_changed",
    "badge_new",
    "cancel",
    "close",
    "due_of",
    "due_today",
    "filter_collection",
    "filter_tag",
    "flashcard",
    "found",
    "found_showing",
    "graph_other",
    "graph_outer_ring",
    "graph_two_links_of",
    "link_copied",
    "mastery",
    "n_notes",
    "n_sections",
    "no_notes_found",
    "not_studied_yet",
    "offline_cannot",
    "offline_done",
    "offline_estimate",
    "offline_estimating",
    "offline_failed",
    "offline_free",
    "offline_progress",
    "offline_remove",
    "offline_removed",
    "offline_saved",
    "offline_saving",
    "offline_synced",
    "offline_synced_one",
    "offline_this_collection",
    "offline_whole_site",
    "offline_with_saved",
    "one_note",
    "one_section",
    "question_n",
    "reset_view",
    "results",
    "revise_again",
    "revise_all",
    "revise_answered",
    "revise_back_day",
    "revise_back_days",
    "revise_back_hour",
    "revise_back_hours",
    "revise_back_minute",
    "revise_back_minutes",
    "revise_back_month",
    "revise_back_months",
    "revise_back_year",
    "revise_back_years",
    "revise_card",
    "revise_check",
    "revise_choose_first",
    "revise_done",
    "revise_due",
    "revise_due_ago",
    "revise_due_in",
    "revise_due_now",
    "revise_easy",
    "revise_export",
    "revise_exported",
    "revise_from",
    "revise_good",
    "revise_hard",
    "revise_how_well",
    "revise_import",
    "revise_import_failed",
    "revise_imported",
    "revise_imported_unsaved",
    "revise_it_was_easy",
    "revise_keys",
    "revise_load_failed",
    "revise_marked_easy",
    "revise_n_items",
    "revise_new",
    "revise_new_invalid",
    "revise_new_invalid_value",
    "revise_new_per_day",
    "revise_new_set",
    "revise_next",
    "revise_not_an_export",
    "revise_not_imported",
    "revise_not_json",
    "revise_not_saved",
    "revise_nothing",
    "revise_one_item",
    "revise_only",
    "revise_other_site",
    "revise_question",
    "revise_read_failed",
    "revise_read_the_note",
    "revise_replace_confirm",
    "revise_reset",
    "revise_reset_confirm",
    "revise_reset_done",
    "revise_reset_unsaved",
    "revise_retention",
    "revise_retention_help",
    "revise_retention_invalid",
    "revise_retention_invalid_value",
    "revise_retention_set",
    "revise_right",
    "revise_settings",
    "revise_span_d",
    "revise_span_h",
    "revise_span_min",
    "revise_span_mo",
    "revise_span_y",
    "revise_this_note",
    "revise_unnamed",
    "revise_unreadable",
    "revise_unsaved",
    "revise_unschedulable",
    "revise_whole_site",
    "revise_wrong",
    "save",
    "save_collection_offline",
    "save_offline",
    "search",
    "search_notes",
    "search_unavailable",
    "show_answer",
    "show_more",
    "show_n_more",
    "theme",
    "theme_dark",
    "theme_light",
    "theme_system",
    "zoom_in",
    "zoom_out",
];

/// The interface strings templates show through `t(key=…)`: the site's
/// translation files ([`I18N_DIR`]) by language code, then Lode's built-in
/// English ([`BUILTIN_STRINGS`]). A key missing in the page's language is
/// taken from the site's default language, then from the built-in strings
/// (as Zola's `trans` falls back to the default language).
#[derive(Debug, Default)]
pub struct Strings {
    by_language: HashMap<String, HashMap<String, String>>,
    builtin: HashMap<String, String>,
    /// The site's translation files as read (code, text), by file name,
    /// for the warnings of [`Strings::warnings`].
    files: Vec<(String, String)>,
}

impl Strings {
    /// The string `key` in `language`, else in `default`, else built in.
    pub fn get(&self, language: &str, default: &str, key: &str) -> Option<&str> {
        [language, default]
            .iter()
            .find_map(|l| self.by_language.get(*l).and_then(|m| m.get(key)))
            .or_else(|| self.builtin.get(key))
            .map(String::as_str)
    }

    /// Reads a translation file's text: a TOML table of strings.
    ///
    /// # Errors
    /// A diagnostic at the line and column of the problem (a syntax error,
    /// a value that is not a string).
    fn parse(file: &str, text: &str) -> Result<HashMap<String, String>, Diagnostic> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            Diagnostic::at(
                Severity::Error,
                file,
                text,
                e.span().unwrap_or(0..0),
                e.message().trim().to_string(),
            )
            .with_help("a translation file holds one `key = \"text\"` per line (see the manual's \"Languages\" page)")
        })?;
        let mut strings = HashMap::with_capacity(table.len());
        for (key, value) in table {
            match value {
                toml::Value::String(text) => {
                    strings.insert(key, text);
                }
                _ => {
                    let at = text.find(&key).map_or(0..0, |i| i..i + key.len());
                    return Err(Diagnostic::at(
                        Severity::Error,
                        file,
                        text,
                        at,
                        format!("`{key}` must be a string in a translation file"),
                    )
                    .with_help("write the text in quotes: key = \"text\""));
                }
            }
        }
        Ok(strings)
    }

    /// The message for `t(key="…")` with a `key` no file has: the files
    /// looked in (each once, those the site has), the nearest known key,
    /// and where to add it.
    fn missing(&self, language: &str, default: &str, key: &str) -> String {
        let mut files: Vec<String> = Vec::new();
        for l in [language, default] {
            let file = format!("{I18N_DIR}/{l}.toml");
            if self.by_language.contains_key(l) && !files.contains(&file) {
                files.push(file);
            }
        }
        files.push("Lode's built-in i18n/en.toml".to_string());
        let known = self.by_language.values().flat_map(|m| m.keys()).chain(self.builtin.keys());
        let hint = match crate::query::nearest(key, known.map(String::as_str)) {
            Some(k) => format!("did you mean t(key=\"{k}\")? "),
            None => String::new(),
        };
        format!(
            "t(key=\"{key}\"): no interface string has this key (looked in {}); {hint}add `{key} = \"…\"` to {I18N_DIR}/{language}.toml",
            files.join(", ")
        )
    }

    /// Lode's built-in English alone (a vault's strings, and the words of
    /// what is rendered outside a page: the revision data, `render_markdown`).
    pub fn builtin() -> Strings {
        let builtin =
            Strings::parse("(built-in) i18n/en.toml", BUILTIN_STRINGS).expect("Lode's strings parse");
        Strings { by_language: HashMap::new(), builtin, files: Vec::new() }
    }

    /// The strings of language `l` of a site's `languages` (its codes, the
    /// default first: [`Site::languages`]), falling back on the default's,
    /// then on Lode's English, for what Rust writes into a page ([`Words`]).
    pub fn words<'a>(&'a self, languages: &'a [String], l: u8) -> Words<'a> {
        let default = languages.first().map_or("en", String::as_str);
        let language = languages.get(l as usize).map_or(default, String::as_str);
        Words { strings: self, language, default }
    }

    /// The strings of [`SCRIPT_STRINGS`] that differ in `language` from
    /// Lode's English, as a JSON object for `<body data-strings>`; empty
    /// when none does (an English page: the scripts' own English stands),
    /// so a site in English carries nothing.
    pub fn script_json(&self, language: &str, default: &str) -> String {
        let mut map = serde_json::Map::new();
        for key in SCRIPT_STRINGS {
            if let Some(value) = self.get(language, default, key)
                && self.builtin.get(*key).is_none_or(|b| b != value)
            {
                map.insert((*key).to_string(), value.into());
            }
        }
        if map.is_empty() { String::new() } else { serde_json::Value::Object(map).to_string() }
    }

    /// Warnings about the site's translation files (none without one): a
    /// file of a language `site.toml` does not declare (at `file:1:1`,
    /// naming those it does), and a key that no `t(key=…)` call of the
    /// `templates` (every loaded one: a site's own keys count) and no
    /// built-in string has (at the key, with the nearest known key).
    fn warnings(&self, templates: &HashMap<String, (String, String)>, config: &Config) -> Vec<Diagnostic> {
        if self.files.is_empty() {
            return Vec::new();
        }
        let declared: Vec<&str> = std::iter::once(config.language.as_str())
            .chain(config.languages.keys().map(String::as_str).filter(|c| *c != config.language))
            .collect();
        let mut called: std::collections::HashSet<&str> = self.builtin.keys().map(String::as_str).collect();
        for (_, text) in templates.values() {
            called.extend(called_keys(text));
        }
        let mut out = Vec::new();
        for (code, text) in &self.files {
            let file = format!("{I18N_DIR}/{code}.toml");
            if !declared.contains(&code.as_str()) {
                out.push(
                    Diagnostic::whole_file(
                        Severity::Warning,
                        file,
                        format!("a translation file for `{code}`, a language site.toml does not declare: no page uses it"),
                    )
                    .with_help(format!(
                        "declare it in site.toml as [languages.{code}] with its name, or rename the file after a declared language ({})",
                        declared.join(", ")
                    ))
                    .with_kind(Kind::Translation),
                );
                continue;
            }
            let Some(table) = self.by_language.get(code) else { continue };
            let mut unknown: Vec<&String> = table.keys().filter(|k| !called.contains(k.as_str())).collect();
            unknown.sort();
            for key in unknown {
                let help = match crate::query::nearest(key, called.iter().copied()) {
                    Some(k) => format!("did you mean `{k}`? "),
                    None => String::new(),
                };
                out.push(
                    Diagnostic::at(
                        Severity::Warning,
                        file.clone(),
                        text,
                        key_span(text, key),
                        format!("`{key}` is an interface string no template shows"),
                    )
                    .with_help(format!(
                        "{help}the keys are those of Lode's i18n/en.toml and of the templates' t(key=\"…\") calls"
                    ))
                    .with_kind(Kind::Translation),
                );
            }
        }
        out
    }
}

/// The keys the `t(key=…)` calls in a template's text may name: every
/// quoted string in the call (`t(key="a" if x else "b")` names both).
fn called_keys(text: &str) -> impl Iterator<Item = &str> {
    const CALL: &str = "t(key=";
    text.match_indices(CALL).flat_map(move |(at, _)| {
        let starts_name = !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = &text[at + CALL.len()..];
        let call = if starts_name { &after[..after.find(')').unwrap_or(0)] } else { "" };
        call.split(['"', '\'']).skip(1).step_by(2)
    })
}

/// Where `key` is written as a key in a translation file's `text` (bare or
/// quoted, at the start of a line before `=`), else the start of the file.
fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let start = offset + line.len() - trimmed.len();
        for written in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
            if let Some(rest) = trimmed.strip_prefix(written.as_str())
                && rest.trim_start().starts_with('=')
            {
                return start..start + written.len();
            }
        }
        offset += line.len();
    }
    0..0
}

/// Templates compiled for one build.
struct Compiled<'a> {
    tera: Tera,
    sources: &'a HashMap<String, (String, String)>,
    uses: Uses,
    strings: &'a Strings,
    /// The site's language codes, the default first ([`Site::languages`]).
    languages: &'a [String],
}

impl Compiled<'_> {
    /// The interface strings of language `l` ([`Site::languages`]).
    fn words(&self, l: u8) -> Words<'_> {
        self.strings.words(self.languages, l)
    }
}

/// The built-in templates alone: those of a folder of notes that is not a
/// Lode site (a vault, see [`crate::config::Layout::Vault`]), whose
/// `templates/` folder, if any, holds notes.
pub fn builtin_templates() -> Templates {
    let sources = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| (name.to_string(), (format!("(built-in) {name}"), text.to_string())))
        .collect();
    Templates::new(sources, Arc::new(Strings::builtin()))
}

/// The prefix under which a built-in template stays reachable when the
/// site's `templates/` has one of the same name: a site's `note.html` may
/// `{% extends "lode/note.html" %}` and override only the blocks it changes
/// (as Zola's site templates extend a theme's, `THEME/templates/page.html`).
pub const BUILTIN_PREFIX: &str = "lode/";

/// Loads the built-in templates, then every `*.html`, `*.xml` and `*.svg` under
/// `root/templates/` (by its path relative to that folder, e.g. `partials/nav.html`).
/// A built-in template the site replaces stays loaded as
/// [`BUILTIN_PREFIX`]`NAME` when a site template names it (only then: a
/// site that does not extend a built-in template compiles nothing more).
///
/// # Errors
/// A diagnostic at the template's line and column for a syntax error.
pub fn load_templates(root: &Path) -> Result<Templates, Vec<Diagnostic>> {
    let Templates { mut sources, .. } = builtin_templates();
    let mut strings = Strings::builtin();
    let dir = root.join(TEMPLATES_DIR);
    let mut problems = Vec::new();
    let mut replaced = Vec::new();
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if !entry.file_type().is_file()
                || path.extension().is_none_or(|e| e != "html" && e != "xml" && e != "svg")
            {
                continue;
            }
            let name = path.strip_prefix(&dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
            let file = format!("{TEMPLATES_DIR}/{name}");
            match std::fs::read_to_string(path) {
                Ok(text) => {
                    if let Some(builtin) = sources.insert(name.clone(), (file, text))
                        && builtin.0.starts_with("(built-in)")
                    {
                        replaced.push((name, builtin));
                    }
                }
                Err(e) => problems.push(Diagnostic::whole_file(
                    Severity::Error,
                    file,
                    format!("cannot read template: {e}"),
                )),
            }
        }
    }
    // Only those a site's template names: an unused one could fail to
    // compile against the site's `base.html` (a block it lacks).
    for (name, builtin) in replaced {
        let alias = format!("{BUILTIN_PREFIX}{name}");
        let named =
            sources.values().any(|(file, text)| !file.starts_with("(built-in)") && text.contains(&alias));
        if named {
            sources.entry(alias).or_insert(builtin);
        }
    }
    let i18n = root.join(I18N_DIR);
    if i18n.is_dir() {
        for entry in
            walkdir::WalkDir::new(&i18n).max_depth(1).sort_by_file_name().into_iter().filter_map(Result::ok)
        {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "toml") {
                continue;
            }
            let code = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            let file = format!("{I18N_DIR}/{code}.toml");
            match std::fs::read_to_string(path).map_err(|e| {
                Diagnostic::whole_file(
                    Severity::Error,
                    file.clone(),
                    format!("cannot read translation file: {e}"),
                )
            }) {
                Ok(text) => match Strings::parse(&file, &text) {
                    Ok(table) => {
                        strings.by_language.insert(code.clone(), table);
                        strings.files.push((code, text));
                    }
                    Err(d) => problems.push(d),
                },
                Err(d) => problems.push(d),
            }
        }
    }
    if problems.is_empty() { Ok(Templates::new(sources, Arc::new(strings))) } else { Err(problems) }
}

impl Templates {
    fn new(sources: HashMap<String, (String, String)>, strings: Arc<Strings>) -> Templates {
        let uses = Uses::of(&sources);
        Templates { sources, uses, strings }
    }

    /// Warnings about the site's translation files (`i18n/<code>.toml`): a
    /// file of an undeclared language, a key no template shows. Nothing to
    /// do for a site without one.
    pub fn string_warnings(&self, config: &Config) -> Vec<Diagnostic> {
        self.strings.warnings(&self.sources, config)
    }

    /// The interface strings loaded with these templates (the site's
    /// `i18n/` files over Lode's English).
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// The costly views these templates use: the build skips the others.
    pub fn uses(&self) -> Uses {
        self.uses
    }

    /// Whether a template of this name (`note.html`, `partials/facts.html`)
    /// is loaded, the site's own or built in.
    pub fn contains(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Compiles every template, with Lode's functions registered first (Tera
    /// checks that every function a template calls exists).
    fn compile(&self, views: &Arc<Views>) -> Result<Tera, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".svg"]);
        register_functions(&mut tera, views, &self.strings);
        let mut names: Vec<&String> = self.sources.keys().collect();
        names.sort();
        // A site in one language: each `t(key="…")` the strings can answer
        // becomes its text, once, instead of a call on every page.
        let one = (views.languages.len() <= 1).then(|| views.languages.first().map_or("", String::as_str));
        let texts: Vec<std::borrow::Cow<str>> = names
            .iter()
            .map(|n| match one {
                Some(language) => {
                    let text = inline_strings(&self.sources[*n].1, &self.strings, language);
                    inline_script_strings(text, &self.strings, language)
                }
                None => std::borrow::Cow::Borrowed(self.sources[*n].1.as_str()),
            })
            .collect();
        tera.add_raw_templates(names.iter().zip(&texts).map(|(n, text)| (n.as_str(), text.as_ref())))
            .map_err(|e| {
                let name = match e.kind() {
                    tera::ErrorKind::SyntaxError(report) => report.filename().to_string(),
                    _ => String::new(),
                };
                match self.sources.get(&name) {
                    Some((file, text)) => vec![template_diagnostic(&e, file, text)],
                    None => self.validation_diagnostics(&e),
                }
            })?;
        Ok(tera)
    }

    /// Tera's checks across templates (an unknown filter, test or function)
    /// come as one message holding a report per problem, each opening with
    /// `error: MESSAGE` and then ` --> NAME:LINE:COLUMN` (1-based; Tera's
    /// report format). Each becomes a diagnostic at its template's line and
    /// column; a message in any other shape is reported as it is.
    fn validation_diagnostics(&self, error: &tera::Error) -> Vec<Diagnostic> {
        let whole = error.to_string();
        let mut found = Vec::new();
        let mut lines = whole.lines().peekable();
        while let Some(line) = lines.next() {
            let Some(message) = line.strip_prefix("error: ") else { continue };
            let Some(at) = lines.peek().and_then(|l| l.trim_start().strip_prefix("--> ")) else { continue };
            let mut parts = at.rsplitn(3, ':');
            let (Some(column), Some(line_no), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let (Ok(line_no), Ok(column), Some((file, text))) =
                (line_no.parse::<usize>(), column.parse::<usize>(), self.sources.get(name))
            else {
                continue;
            };
            let offset = offset_of(text, line_no, column.saturating_sub(1));
            let d =
                Diagnostic::at(Severity::Error, file.clone(), text, offset..offset + 1, message.to_string());
            found.push(if message.starts_with("Unknown filter") {
                d.with_help(
                    "check the filter's name against Tera's built-in filters (https://keats.github.io/tera/)",
                )
            } else {
                d
            });
        }
        if found.is_empty() {
            found.push(Diagnostic::whole_file(Severity::Error, TEMPLATES_DIR, whole));
        }
        found
    }
}

/// Turns a Tera error into a diagnostic at the template's line and column.
fn template_diagnostic(error: &tera::Error, file: &str, text: &str) -> Diagnostic {
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let span = report.span();
            let offset = offset_of(text, span.start_line, span.start_col);
            let file = if report.filename().is_empty()
                || report.filename() == file.rsplit('/').next().unwrap_or(file)
            {
                file.to_string()
            } else {
                format!("{TEMPLATES_DIR}/{}", report.filename())
            };
            // Tera notices a block left open at the end of the file, or at
            // the end tag that does not match it ("Unknown tag"); the cause
            // is shown where it is, in the template's own terms.
            if (report.message().contains("end of input") || report.message() == "Unknown tag")
                && let Some(problem) = block_problem(text)
            {
                return Diagnostic::at(Severity::Error, file, text, problem.span, problem.message)
                    .with_help(problem.help);
            }
            let d =
                Diagnostic::at(Severity::Error, file, text, offset..offset + 1, report.message().to_string());
            if report.message().contains("end of input") {
                d.with_help("a `{% if %}`, `{% for %}`, `{% block %}` or `{% raw %}` above is not closed")
            } else {
                d
            }
        }
        _ => Diagnostic::whole_file(Severity::Error, file, error.to_string()),
    }
}

/// What is wrong with the blocks of a Tera template, where, and how to fix it.
struct BlockProblem {
    span: std::ops::Range<usize>,
    message: String,
    help: String,
}

/// The block kinds of Tera: each `{% KIND … %}` closes with `{% endKIND %}`
/// (`set` only in its block form, `{% set x %}…{% endset %}`).
const BLOCK_KINDS: [&str; 7] = ["if", "for", "block", "macro", "filter", "raw", "set"];

/// The first problem with `text`'s blocks (a Tera template), scanning its
/// tags in order: an end tag Tera does not know (`{% endfi %}`: did you
/// mean `endif`), an end tag closing another block than the innermost one
/// open (`{% endblock %}` while an `{% if %}` is open), or, at the end, the
/// innermost block left open. `None` when the blocks are sound. Comments
/// (`{# … #}`) and what `{% raw %}` holds are skipped, as Tera skips them.
fn block_problem(text: &str) -> Option<BlockProblem> {
    let mut open: Vec<(std::ops::Range<usize>, &'static str)> = Vec::new();
    let line = |at: usize| text[..at].matches('\n').count() + 1;
    let mut at = 0;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        let rest = &text[start..];
        let close = if rest.starts_with("{#") {
            "#}"
        } else if rest.starts_with("{%") {
            "%}"
        } else {
            at = start + 1;
            continue;
        };
        let Some(len) = rest.find(close) else { break };
        let end = start + len + 2;
        at = end;
        if close == "#}" {
            continue;
        }
        let inner = rest[2..len].trim_matches(|c: char| c == '-' || c.is_whitespace());
        let word = inner.split_whitespace().next().unwrap_or("");
        let inside_raw = open.last().is_some_and(|(_, k)| *k == "raw");
        if let Some(kind) = word.strip_prefix("end") {
            if inside_raw && kind != "raw" {
                continue;
            }
            let Some(known) = BLOCK_KINDS.iter().find(|k| **k == kind) else {
                // The nearest kind by edits (a swap counts one: `fi` is `if`),
                // the innermost open block's on a tie.
                let top = open.last().map(|(_, k)| *k);
                let nearest = BLOCK_KINDS
                    .iter()
                    .min_by_key(|k| (strsim::damerau_levenshtein(kind, k), Some(**k) != top))
                    .expect("kinds");
                return Some(BlockProblem {
                    span: start..end,
                    message: format!("unknown tag `{{% {word} %}}`"),
                    help: format!("did you mean `{{% end{nearest} %}}`?"),
                });
            };
            match open.pop() {
                Some((_, top)) if top == *known => {}
                Some((opened, top)) => {
                    return Some(BlockProblem {
                        span: start..end,
                        message: format!(
                            "`{{% {word} %}}` closes a `{{% {known} %}}`, but the `{{% {top} %}}` opened on line {} is still open",
                            line(opened.start)
                        ),
                        help: format!("add `{{% end{top} %}}` before it, where the `{top}` block ends"),
                    });
                }
                None => {
                    return Some(BlockProblem {
                        span: start..end,
                        message: format!("`{{% {word} %}}` closes no open `{{% {known} %}}`"),
                        help: format!("remove it, or open the block with `{{% {known} … %}}` above"),
                    });
                }
            }
        } else if !inside_raw
            && let Some(kind) = BLOCK_KINDS.iter().find(|k| **k == word)
            // `{% set x = 1 %}` is a statement; `{% set x %}` opens a block.
            && (*kind != "set" || !inner.contains('='))
        {
            open.push((start..end, kind));
        }
    }
    open.pop().map(|(span, kind)| BlockProblem {
        span,
        message: format!("this `{{% {kind} %}}` is never closed (the template ends inside it)"),
        help: format!("add `{{% end{kind} %}}` where the block ends"),
    })
}

/// Byte offset of a 1-based line and 0-based character column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &text[line_start.min(text.len())..];
    line_start + rest.char_indices().nth(column).map_or(rest.len(), |(i, _)| i)
}

/// A tag as a card lists it: the name as the note wrote it, and its page.
#[derive(Serialize)]
struct TagRef {
    name: String,
    permalink: String,
}

/// Everything about the site that templates see on every page, serialized
/// once per build: each note's card, the site-wide navigation, the names
/// `note(name=…)` looks up and the timeline. `lode serve` keeps the cards
/// of the notes whose card did not change ([`Views::update`]).
pub struct Views {
    cards: Vec<Value>,
    /// `site` in templates, per language (the default first).
    site: Vec<Value>,
    /// The languages' codes, the default first ([`Site::languages`]).
    languages: Vec<String>,
    /// Their names (`[languages.<code>] name`, else the code), in the same order.
    language_names: Vec<String>,
    /// Where their pages are ([`Site::language_path`]: ``, `hi/`).
    language_paths: Vec<String>,
    by_name: Arc<HashMap<String, Option<NoteId>>>,
    timeline: Value,
    /// Whether the site has a correction callout: every page's footer
    /// links `/corrections/` then.
    has_corrections: bool,
}

impl Views {
    /// Whether the site has corrections (and every page's footer links `/corrections/`).
    pub fn has_corrections(&self) -> bool {
        self.has_corrections
    }

    /// FNV-1a 64 of what every page sees of the site (`site` in templates).
    pub fn site_fingerprint(&self) -> u64 {
        match &self.site[..] {
            [one] => fingerprint(one),
            all => fingerprint(&Value::from(all.to_vec())),
        }
    }

    /// FNV-1a 64 of what `timeline()` gives.
    pub fn timeline_fingerprint(&self) -> u64 {
        fingerprint(&self.timeline)
    }

    /// The card of note `id`, recorded as read ([`deps::Facet::Card`]).
    fn card(&self, id: NoteId) -> &Value {
        deps::note(deps::Facet::Card, id.index());
        &self.cards[id.index()]
    }
}

/// A self-test question as templates see it: `options` in the order shown
/// ([`revise::option_order`]), `id` the element's id (`q1`),
/// `revise_id` the question's id in the revision data (`minerals/lithium/#q1`).
#[derive(Serialize)]
struct QuestionView<'a> {
    question: &'a str,
    options: Vec<&'a str>,
    answer: &'a str,
    explanation: String,
    id: String,
    revise_id: String,
}

/// A note's local graph, as `page.graph`, with URLs relative to the page:
/// `list` the linked notes as a list that `static/graph.js` paints as the
/// graph ([`crate::graph::local_graph`]), `two_hops` the URL of the list of
/// notes two links away
/// (in its shared file, [`hops_path`]; `None` when there are none),
/// `linked` how many notes it links to or from, `shown` how many the graph
/// shows (the best-ranked [`crate::graph::LOCAL_CAP`]).
#[derive(Serialize)]
struct LocalGraph {
    list: String,
    two_hops: Option<String>,
    linked: usize,
    shown: usize,
}

/// The folder of the shared files holding the local graphs' second hops.
pub const HOPS_DIR: &str = "_lode/hops/";

/// The output path of second-hop shard `k` (`_lode/hops/3/index.html`,
/// a page at a folder URL like every other): the
/// lists of the notes whose permalinks [`reading::shard_of`] puts in shard
/// `k` (the link previews' sharding), each in a `<section>` with the id of
/// [`hops_id`].
pub fn hops_path(k: usize) -> String {
    format!("{HOPS_DIR}{k}/index.html")
}

/// The id of a note's second hop in its shard: `h` and the FNV-1a 64 of
/// its permalink in hex (ids that need no escaping in a URL).
pub fn hops_id(permalink: &str) -> String {
    format!("h{:016x}", crate::hash::fnv1a64(permalink.as_bytes()))
}

/// The folder of the shared files holding the backlinks of notes with many.
pub const BACKLINKS_DIR: &str = "_lode/backlinks/";

/// Backlinks a note page holds itself, with their sentences (the flagship's
/// `partials/backlinks.html` shows as many); a note with more has them all
/// in a shared file too ([`backlinks_path`]), which `page.backlinks_more`
/// links to and `reading.js` fetches when the reader opens "Show all"
/// (page weight).
pub const BACKLINKS_SHOWN: usize = 3;

/// The output path of backlinks shard `k` (`_lode/backlinks/3/index.html`):
/// the backlinks of the notes with more than [`BACKLINKS_SHOWN`] whose
/// permalinks [`reading::shard_of`] puts in shard `k`, each note's in a
/// `<section>` with the id of [`hops_id`].
pub fn backlinks_path(k: usize) -> String {
    format!("{BACKLINKS_DIR}{k}/index.html")
}

/// A backlink as templates see it.
#[derive(Serialize)]
struct BacklinkView<'a> {
    title: &'a str,
    permalink: &'a Permalink,
    context: &'a LinkContext,
}

/// A related note as templates see it: its card and why it is related.
struct RelatedView<'a> {
    card: &'a Value,
    reason: String,
}

/// The page being rendered, as `page` in templates: see [`PageView::value`].
#[derive(Serialize)]
struct PageView<'a> {
    #[serde(skip)]
    card: &'a Value,
    content: String,
    toc: Vec<&'a Heading>,
    backlinks: Vec<BacklinkView<'a>>,
    /// With more than [`BACKLINKS_SHOWN`] backlinks, the URL of their list
    /// in its shared file ([`backlinks_path`]), as `page.backlinks_more`.
    backlinks_more: Option<String>,
    questions: Vec<QuestionView<'a>>,
    /// How many flashcards the note has (its body's and its declared
    /// `[extra]` fields'): the revision data's count, as `page.cards`.
    cards: usize,
    /// The `[extra]` fields of this note that its collection declares
    /// card-worthy and that make a card, each with its declared label
    /// (`page.card_fields`, a map in declaration order): the facts box marks
    /// their rows as revision items (`data-revise-id`) and labels them as the
    /// card's front does.
    card_fields: serde_json::Map<String, serde_json::Value>,
    /// A collection's revision sheet (`page.sheet`, its permalink), `None`
    /// on a note that is not a collection's index.
    sheet: Option<String>,
    /// The key facts (`page.facts`): see [`sheet::facts`].
    facts: Vec<sheet::Fact>,
    /// `[[sources]]`, in order (`page.sources`): the "Sources" section.
    sources: &'a [crate::content::Source],
    /// `corrected` (`page.corrected`): `[extra]` field → what the article
    /// said; the facts box marks those fields.
    corrected: &'a std::collections::BTreeMap<String, String>,
    /// The HTML id of the note's first correction callout
    /// (`page.first_correction`, `correction-1`), if it has one, as an
    /// `href` fragment (`^id` is `%5Eid`): where a corrected field's marker
    /// links.
    first_correction: Option<String>,
    events: &'a [crate::content::Event],
    aliases: &'a [String],
    properties: &'a serde_json::Map<String, serde_json::Value>,
    #[serde(skip)]
    prev: Option<&'a Value>,
    #[serde(skip)]
    next: Option<&'a Value>,
    /// The note's local graph: an SVG of 1 hop, and the 2nd hop as a list.
    graph: Option<LocalGraph>,
    source: String,
    words: usize,
    reading_time: usize,
    #[serde(skip)]
    related: Vec<RelatedView<'a>>,
    /// The note's social card (`page.og_image`), when the site makes cards;
    /// absent (not `none`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    og_image: Option<social::OgImage>,
}

impl PageView<'_> {
    /// `page` as templates see it: the note's card, then the page's own
    /// fields, then `prev`, `next` and `related` (cards with a `reason`).
    /// Cards are shared [`Value`]s (reference-counted), so they are cloned
    /// here instead of serialized again for every page that shows them.
    fn value(&self) -> Value {
        let mut map = card_fields(self.card);
        if let Some(own) = Value::from_serializable(self).into_map() {
            map.extend(own);
        }
        let or_none = |card: Option<&Value>| card.cloned().unwrap_or_else(Value::none);
        map.insert("prev".into(), or_none(self.prev));
        map.insert("next".into(), or_none(self.next));
        let related: Vec<Value> = self
            .related
            .iter()
            .map(|r| {
                let mut fields = card_fields(r.card);
                fields.insert("reason".into(), r.reason.as_str().into());
                Value::from(fields)
            })
            .collect();
        map.insert("related".into(), Value::from(related));
        Value::from(map)
    }
}

/// A card's fields, as a map to add to.
fn card_fields(card: &Value) -> tera::Map {
    card.as_map().cloned().unwrap_or_default()
}

/// The cards of `ids`, in order, as one template value.
fn cards_value(views: &Views, ids: impl IntoIterator<Item = NoteId>) -> Value {
    Value::from(ids.into_iter().map(|id| views.card(id).clone()).collect::<Vec<Value>>())
}

/// One output file of the site, by what it shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Output {
    /// A note's page (a collection's and the home page included).
    Note(NoteId),
    /// A collection's revision sheet, by index in [`Site::collections`].
    Sheet(usize),
    /// A tag's page, by index in [`Site::tags`].
    Tag(usize),
    /// The tag index of a language ([`Site::languages`]), `/tags/`, `/hi/tags/`.
    Tags(u8),
    /// The home page of a language without `content/_index.md` (`_index.hi.md`).
    DefaultHome(u8),
    /// `404.html`.
    NotFound,
    /// `sitemap.xml`.
    Sitemap,
    /// A language's `atom.xml` (`hi/atom.xml`).
    Feed(u8),
    /// `/graph/`, in language `l` ([`Site::languages`]; `/hi/graph/`).
    Graph(u8),
    /// `/revise/`, in language `l` (`/hi/revise/`).
    Revise(u8),
    /// `/corrections/` (only when the site has correction callouts), in language `l`.
    Corrections(u8),
    /// `/changes/`, in language `l` (`/hi/changes/`).
    Changes(u8),
    /// `changes/atom.xml`, in language `l` (`hi/changes/atom.xml`: its notes only).
    ChangesFeed(u8),
    /// Shard `k` of the local graphs' second hops ([`hops_path`]).
    Hops(usize),
    /// Shard `k` of the backlinks of notes with many ([`backlinks_path`]).
    Backlinks(usize),
}

/// Every output the site has, with the path of its file in the output
/// folder (`minerals/lithium/index.html`), in a fixed order.
/// The second hop's shared files are left out when the templates show no
/// local graph (`uses.graph`, see [`uses`]).
pub fn outputs(site: &Site, views: &Views, uses: Uses) -> Vec<(Output, String)> {
    let mut out: Vec<(Output, String)> =
        site.ids().map(|id| (Output::Note(id), site.permalink(id).output_file())).collect();
    for (c, col) in site.collections.iter().enumerate() {
        if !col.notes.is_empty() {
            out.push((Output::Sheet(c), format!("{}index.html", sheet::permalink(site, col.index))));
        }
    }
    for (t, tag) in site.tags.iter().enumerate() {
        out.push((Output::Tag(t), format!("{}index.html", tag.permalink)));
    }
    for l in 0..site.languages.len() as u8 {
        out.push((Output::Tags(l), format!("{}tags/index.html", site.language_path(l))));
    }
    for l in 0..site.languages.len() as u8 {
        if site.homes[l as usize].is_none() {
            out.push((Output::DefaultHome(l), format!("{}index.html", site.language_path(l))));
        }
    }
    out.push((Output::NotFound, "404.html".into()));
    out.push((Output::Sitemap, "sitemap.xml".into()));
    for l in 0..site.languages.len() as u8 {
        out.push((Output::Feed(l), format!("{}atom.xml", site.language_path(l))));
    }
    // The site's own pages, in each language: the same whole-site views,
    // in the language's words and `lang`, under its path.
    for l in 0..site.languages.len() as u8 {
        let under = site.language_path(l);
        out.push((Output::Graph(l), format!("{under}graph/index.html")));
        out.push((Output::Revise(l), format!("{under}revise/index.html")));
        if views.has_corrections() {
            out.push((Output::Corrections(l), format!("{under}{CORRECTIONS}index.html")));
        }
        out.push((Output::Changes(l), format!("{under}{}index.html", crate::changes::PAGE)));
        out.push((Output::ChangesFeed(l), format!("{under}{}atom.xml", crate::changes::PAGE)));
    }
    if uses.graph {
        for k in 0..reading::shard_count(site.notes.len()) {
            out.push((Output::Hops(k), hops_path(k)));
        }
    }
    if uses.backlinks {
        for k in 0..reading::shard_count(site.notes.len()) {
            out.push((Output::Backlinks(k), backlinks_path(k)));
        }
    }
    out
}

/// What rendering needs beside the site and the templates.
pub struct Inputs<'a> {
    /// The notes' undirected link graph.
    pub neighbours: &'a Neighbours,
    /// The views of this build ([`views`], [`Views::update`]).
    pub views: &'a Arc<Views>,
    /// The URL path the site is served at (`/REPO/`): `404.html` is served
    /// at any depth, so its URLs are absolute paths under it.
    pub base_path: &'a str,
    /// The notes' last changes, for `/changes/` and its feed (see [`crate::changes`]).
    pub changes: &'a crate::changes::Record,
    /// The notes of each second-hop shard ([`hops_path`]), by shard: found
    /// once, by the first shard rendered, so that the shards cost time in
    /// proportion to the notes, not to notes × shards. `Default` to start.
    pub hop_shards: std::sync::OnceLock<Vec<Vec<NoteId>>>,
}

/// Renders the `selected` outputs of the site with `templates`, each
/// inside [`deps::capture`] when `record`: returns, for each, what `emit`
/// made of its page and what it read (the record an incremental rebuild
/// compares; empty when not `record`).
///
/// Each page is handed to `emit` as soon as it is rendered (on the rayon
/// thread that rendered it), so a caller that writes pages out need not hold
/// the whole site in memory.
///
/// # Errors
/// Template errors (a missing template, an undefined variable) as
/// diagnostics naming the template or the note, and the errors of `emit`.
pub fn render_site<T: Send>(
    site: &Site,
    graph: &LinkGraph,
    templates: &Templates,
    inputs: &Inputs,
    selected: &[Output],
    record: bool,
    emit: &(dyn Fn(Page) -> Result<T, Diagnostic> + Sync),
) -> Result<Vec<(T, Vec<Read>)>, Vec<Diagnostic>> {
    use rayon::prelude::*;

    let views = inputs.views;
    let compiled = templates.compile(views)?;
    let tera = &Compiled {
        tera: compiled,
        sources: &templates.sources,
        uses: templates.uses,
        strings: &templates.strings,
        languages: &views.languages,
    };
    let render = |output: &Output| -> Result<Page, Diagnostic> {
        match *output {
            Output::Note(id) => render_note(site, graph, inputs.neighbours, tera, views, id),
            Output::Sheet(c) => render_sheet(site, graph, tera, views, c),
            Output::Tag(t) => render_tag(site, tera, views, t),
            Output::Tags(l) => render_tags(site, tera, views, l),
            Output::DefaultHome(l) => render_default_home(site, tera, views, l),
            Output::NotFound => render_not_found(tera, views, inputs.base_path),
            Output::Sitemap => render_sitemap(site, tera, views),
            Output::Feed(l) => render_feed(site, tera, views, l),
            Output::Graph(l) => render_graph(site, inputs.neighbours, tera, views, l),
            Output::Revise(l) => render_revise(site, tera, views, l),
            Output::Corrections(l) => render_corrections(site, graph, tera, views, l),
            Output::Changes(l) => render_changes(site, tera, views, inputs.changes, false, l),
            Output::ChangesFeed(l) => render_changes(site, tera, views, inputs.changes, true, l),
            Output::Hops(k) => Ok(render_hops(site, inputs.neighbours, tera, &inputs.hop_shards, k)),
            Output::Backlinks(k) => Ok(render_backlinks(site, graph, tera, &inputs.hop_shards, k)),
        }
    };
    // One job each, on all cores: a sitemap or a collection's tag page
    // lists thousands of notes, and the site graph's layout is one long task.
    let pages: Vec<Result<(T, Vec<Read>), Diagnostic>> = selected
        .par_iter()
        .with_max_len(1)
        .map(|output| {
            let (page, reads) = deps::capture_if(record, || render(output));
            page.and_then(emit).map(|t| (t, reads))
        })
        .collect();
    let (ok, errors): (Vec<_>, Vec<_>) = pages.into_iter().partition(Result::is_ok);
    if errors.is_empty() {
        Ok(ok.into_iter().filter_map(Result::ok).collect())
    } else {
        Err(dedupe(errors.into_iter().filter_map(Result::err).collect()))
    }
}

/// Serializes the site-wide views of `site`.
pub fn views(site: &Site) -> Arc<Views> {
    use rayon::prelude::*;

    let tags = TagRefs::of(site);
    let cards =
        site.ids().collect::<Vec<_>>().into_par_iter().map(|id| card_of(site, id, &tags)).collect::<Vec<_>>();
    Arc::new(views_with(site, cards, None))
}

impl Views {
    /// These views for `site`, whose notes are those of the site these
    /// views were made for (same notes, same order, same names), after the
    /// notes `changed` changed: their cards are serialized again, the
    /// others and the names shared; the navigation and the timeline are
    /// made again.
    pub fn update(&self, site: &Site, changed: &[NoteId]) -> Arc<Views> {
        let mut cards = self.cards.clone();
        let tags = TagRefs::default();
        for id in changed {
            cards[id.index()] = card_of(site, *id, &tags);
        }
        Arc::new(views_with(site, cards, Some(Arc::clone(&self.by_name))))
    }
}

/// FNV-1a 64 of a template value's JSON.
fn fingerprint(value: &Value) -> u64 {
    crate::hash::fnv1a64(serde_json::to_string(value).unwrap_or_default().as_bytes())
}

/// Each tag a note names, as written, and its [`TagRef`] as one template
/// value that every card naming it shares (a value's clone shares its map:
/// at 100,000 notes of four tags each, 1.2 KB less a card).
#[derive(Default)]
struct TagRefs(Vec<HashMap<String, Value>>);

impl TagRefs {
    fn of(site: &Site) -> TagRefs {
        let mut refs: Vec<HashMap<String, Value>> = vec![HashMap::new(); site.languages.len()];
        for id in site.ids() {
            let l = site.language(id);
            for tag in site.note(id).tags() {
                if !refs[l as usize].contains_key(tag) {
                    refs[l as usize].insert(tag.clone(), tag_ref(tag, &site.language_path(l)));
                }
            }
        }
        TagRefs(refs)
    }

    /// The shared value of `tag` in language `l`, else a new one.
    fn get(&self, site: &Site, l: u8, tag: &str) -> Value {
        let found = self.0.get(l as usize).and_then(|refs| refs.get(tag));
        found.cloned().unwrap_or_else(|| tag_ref(tag, &site.language_path(l)))
    }
}

/// A tag's [`TagRef`]; its page is under the language's path `under` (`hi/`).
fn tag_ref(tag: &str, under: &str) -> Value {
    let permalink = format!("{under}{}", tag_permalink(&tag_slug(tag)));
    Value::from_serializable(&TagRef { name: tag.to_string(), permalink })
}

/// The card of note `id`: what templates see of a note wherever it is
/// listed, a map of `title`, `permalink`, `summary` (or none), `tags` (each a
/// [`TagRef`], its value shared through `tags`), `date`, `updated` (each as
/// written, or none), `extra` (the `[extra]` table) and `collection` (its
/// title, or none), in that order.
fn card_of(site: &Site, id: NoteId, tags: &TagRefs) -> Value {
    let note = site.note(id);
    let mut card = tera::Map::with_capacity(8);
    card.insert("title".into(), Value::from(note.title.as_str()));
    card.insert("permalink".into(), Value::from(site.permalink(id).as_str()));
    card.insert("summary".into(), Value::from(note.front.summary.as_deref()));
    let l = site.language(id);
    card.insert(
        "tags".into(),
        Value::from(note.tags().iter().map(|t| tags.get(site, l, t)).collect::<Vec<Value>>()),
    );
    card.insert("date".into(), Value::from(note.front.date.as_deref()));
    card.insert("updated".into(), Value::from(note.front.updated.as_deref()));
    card.insert("extra".into(), Value::from_serializable(&note.front.extra));
    let collection =
        site.collection_of[id.index()].map(|c| site.note(site.collections[c].index).title.as_str());
    card.insert("collection".into(), Value::from(collection));
    Value::from(card)
}

/// The views of `site` with these `cards`, and these names (else made).
fn views_with(site: &Site, cards: Vec<Value>, names: Option<Arc<HashMap<String, Option<NoteId>>>>) -> Views {
    #[derive(Serialize)]
    struct CollectionView<'a> {
        title: &'a str,
        permalink: &'a Permalink,
        summary: Option<&'a str>,
        count: usize,
    }
    #[derive(Serialize)]
    struct LanguageView<'a> {
        code: &'a str,
        name: &'a str,
        /// Its home page, relative to the site root (`hi/`).
        permalink: String,
    }
    #[derive(Serialize)]
    struct SiteView<'a> {
        title: &'a str,
        description: &'a str,
        base_url: &'a str,
        language: &'a str,
        footer: &'a str,
        extra: &'a toml::Table,
        collections: Vec<CollectionView<'a>>,
        tag_count: usize,
        note_count: usize,
        /// `[search] enabled`: pages show the search button.
        search: bool,
        /// `[nav]`: which study pages the header links to.
        nav: &'a crate::config::NavConfig,
        /// Link previews: the number of `_lode/previews/<k>.json` shards.
        preview_shards: usize,
        /// How many correction callouts the site has: the footer links
        /// `/corrections/` when there are any.
        corrections: usize,
        /// `[markdown] highlight_theme`: `<html data-code-theme>` picks the
        /// stylesheet's colours for code.
        code_theme: crate::config::HighlightTheme,
        /// The site's languages (`[languages]`), the default first; empty
        /// for a site in one language.
        languages: &'a [LanguageView<'a>],
        /// The site has a `static/extra.css`: pages link it after `style.css`.
        extra_css: bool,
    }
    let c = &site.config;
    let languages: Vec<LanguageView> = match site.is_multilingual() {
        false => Vec::new(),
        true => site
            .languages
            .iter()
            .enumerate()
            .map(|(l, code)| LanguageView {
                code,
                name: c
                    .languages
                    .get(code)
                    .map(|l| l.name.as_str())
                    .filter(|n| !n.is_empty())
                    .unwrap_or(code),
                permalink: site.language_path(l as u8),
            })
            .collect(),
    };
    let counts = |l: u8| -> (usize, usize) {
        if !site.is_multilingual() {
            return (site.tags.len(), site.counted_notes().count());
        }
        let tags = site.tags.iter().filter(|t| t.language == l).count();
        (tags, site.counted_notes().filter(|id| site.language(*id) == l).count())
    };
    let site_views = (0..site.languages.len() as u8).map(|l| {
        let own = c.languages.get(&site.languages[l as usize]).filter(|_| l > 0);
        let (tag_count, note_count) = counts(l);
        Value::from_serializable(&SiteView {
            title: own.and_then(|o| o.title.as_deref()).unwrap_or(&c.title),
            description: own.and_then(|o| o.description.as_deref()).unwrap_or(&c.description),
            base_url: &c.base_url,
            language: &site.languages[l as usize],
            footer: &c.footer,
            extra: &c.extra,
            collections: site
                .collections
                .iter()
                .filter(|col| !col.folder.contains('/'))
                // The language's own collections, and those of the default
                // language it has none for (their notes fall back to them).
                .filter(|col| {
                    col.language == l || (col.language == 0 && site.collection_in(&col.folder, l).is_none())
                })
                .map(|col| {
                    let index = site.note(col.index);
                    CollectionView {
                        title: &index.title,
                        permalink: site.permalink(col.index),
                        summary: index.front.summary.as_deref(),
                        count: col.notes.len(),
                    }
                })
                .collect(),
            tag_count,
            note_count,
            search: c.search.enabled,
            nav: &c.nav,
            preview_shards: reading::shard_count(site.notes.len()),
            corrections: correction_count(site),
            code_theme: c.markdown.highlight_theme,
            languages: &languages,
            extra_css: c.extra_css,
        })
    });
    let site_view: Vec<Value> = site_views.collect();
    let by_name = names.unwrap_or_else(|| {
        let mut by_name: HashMap<String, Option<NoteId>> = HashMap::new();
        for id in site.ids() {
            let note = site.note(id);
            for name in crate::site::names_of(note).map(|(_, name)| fold(name)) {
                by_name
                    .entry(name)
                    .and_modify(|e| {
                        if *e != Some(id) {
                            *e = None
                        }
                    })
                    .or_insert(Some(id));
            }
        }
        Arc::new(by_name)
    });
    #[derive(Serialize)]
    struct TimelineEvent<'a> {
        date: &'a str,
        title: &'a str,
        note: &'a Value,
    }
    let mut events: Vec<TimelineEvent> = site
        .ids()
        .flat_map(|id| site.note(id).front.events.iter().map(move |e| (id, e)))
        .map(|(id, e)| TimelineEvent { date: &e.date, title: &e.title, note: &cards[id.index()] })
        .collect();
    events.sort_by(|a, b| a.date.cmp(b.date).then(a.title.cmp(b.title)));
    let timeline = Value::from_serializable(&events);
    Views {
        cards,
        site: site_view,
        languages: site.languages.clone(),
        language_names: site
            .languages
            .iter()
            .map(|code| {
                let name = site.config.languages.get(code).map(|l| l.name.as_str()).unwrap_or_default();
                if name.is_empty() { code.clone() } else { name.to_string() }
            })
            .collect(),
        language_paths: (0..site.languages.len() as u8).map(|l| site.language_path(l)).collect(),
        by_name,
        timeline,
        has_corrections: correction_count(site) > 0,
    }
}

/// How many correction callouts the bodies of the site's notes hold.
pub fn correction_count(site: &Site) -> usize {
    site.ids().map(|id| site.note(id).scan.corrections.len()).sum()
}

fn tag_permalink(slug: &str) -> String {
    format!("tags/{slug}/")
}

/// `text` (a template) with each `t(key="KEY")` whose string `strings`
/// has in `language` replaced by that string as a Tera literal, padded
/// with spaces to the call's length so that every later column of the line
/// stays where it was (a template error's column). A call it cannot
/// replace so (no such key: the call reports it when rendered; a string
/// longer than the call) stays a call. A string holding a backslash, or
/// every quote Tera knows, is escaped ([`tera_literal`]).
fn inline_strings<'a>(text: &'a str, strings: &Strings, language: &str) -> std::borrow::Cow<'a, str> {
    const CALL: &str = "t(key=\"";
    if !text.contains(CALL) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(CALL) {
        // `t(` must begin a name: not the end of `get_url(`'s `…t(`.
        let starts_name = !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = &rest[at + CALL.len()..];
        let found = after.find("\")").map(|end| &after[..end]).filter(|key| !key.contains(['"', '\n']));
        let literal = found.filter(|_| starts_name).and_then(|key| {
            let value = strings.get(language, language, key)?;
            let call_len = CALL.len() + key.len() + 2;
            // Tera unescapes backslashes in a literal: such a value is escaped.
            let literal = match ['"', '\'', '`'].into_iter().find(|q| !value.contains(*q)) {
                Some(quote) if !value.contains('\\') => format!("{quote}{value}{quote}"),
                _ => tera_literal(value),
            };
            (literal.len() <= call_len && !value.contains('\n'))
                .then(|| format!("{literal}{}", " ".repeat(call_len - literal.len())))
        });
        match (found, literal) {
            (Some(key), Some(literal)) => {
                out.push_str(&rest[..at]);
                out.push_str(&literal);
                rest = &after[key.len() + 2..];
            }
            _ => {
                out.push_str(&rest[..at + CALL.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// `value` as a Tera string literal that reads back as `value`: Tera
/// unescapes `\\`, `\'`, `\"`, `\n`… in every literal (its lexer), so a
/// backslash is doubled and the quote escaped. A JSON value is full of
/// backslashes (`\"`, `\u0001`): written bare, Tera would turn them into
/// other text or reject the template.
fn tera_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for c in value.chars() {
        if c == '\\' || c == '\'' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// Whether byte `at` of the template `text` is inside a `{{ … }}` or
/// `{% … %}` tag (not in a comment, not in the text around the tags):
/// the last tag opening before it is one of those and not yet closed.
fn in_code_tag(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let opened = ["{{", "{%"].iter().filter_map(|o| before.rfind(o)).max();
    let closed = ["}}", "%}", "#}", "{#"].iter().filter_map(|c| before.rfind(c)).max();
    opened.is_some_and(|o| closed.is_none_or(|c| c < o))
}

/// `text` with each `script_strings()` call replaced by its value in
/// `language` (a site of one language), as a Tera literal ([`tera_literal`]:
/// `''` in Lode's English) padded with spaces to the call's length, so
/// that every later column of the line stays where it was (a template
/// error's column), as [`inline_strings`] does. A call stays a call when
/// its literal is longer and more of the tag follows on its line (the
/// columns would move); inside a comment or in the text between tags, or
/// ending a longer name (`my_script_strings()`), it is not a call at all
/// and stays as written.
fn inline_script_strings<'a>(
    text: std::borrow::Cow<'a, str>,
    strings: &Strings,
    language: &str,
) -> std::borrow::Cow<'a, str> {
    const CALL: &str = "script_strings()";
    if !text.contains(CALL) {
        return text;
    }
    let literal = tera_literal(&strings.script_json(language, language));
    let mut out = String::with_capacity(text.len() + literal.len());
    let mut last = 0;
    for (at, _) in text.match_indices(CALL) {
        let end = at + CALL.len();
        let starts_name = !text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let rest_of_line = text[end..].split('\n').next().unwrap_or_default().trim();
        let ends_tag = ["%}", "}}", "-%}", "-}}"].contains(&rest_of_line);
        if !starts_name || !in_code_tag(&text, at) || (literal.len() > CALL.len() && !ends_tag) {
            continue;
        }
        out.push_str(&text[last..at]);
        out.push_str(&literal);
        out.push_str(&" ".repeat(CALL.len().saturating_sub(literal.len())));
        last = end;
    }
    if last == 0 {
        return text;
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// `get_url(path=…)`: `path` (relative to the site root) as a URL relative to
/// the page being rendered; `note(name=…)`: the card of the note with that
/// title, alias or file name (`strict=false`: none instead of an error when
/// no single note has it); `timeline()`: every dated event, oldest first.
///
/// `get_url(path=…, lang=…)` (Zola's): the path in that language's pages
/// (`hi/tags/` for `path="tags/"`, `lang="hi"`; as it is for the default
/// language). `t(key=…)`: the interface string `key` in the page's
/// language (`lang` in the context; see [`Strings`]); a key no translation
/// file has is an error naming it.
fn register_functions(tera: &mut Tera, views: &Arc<Views>, strings: &Arc<Strings>) {
    let languages = Arc::clone(views);
    tera.register_function("get_url", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let root: Option<Value> = state.get("root")?;
        let root = root.as_ref().and_then(Value::as_str).unwrap_or_default();
        // A site in one language has no `lang=` to honour: no lookup (a
        // page calls get_url dozens of times).
        let lang: Option<&str> = if languages.languages.len() > 1 { kwargs.get("lang")? } else { None };
        let code = lang.filter(|l| languages.languages.first().is_some_and(|d| d != l));
        if let Some(code) = code
            && !languages.languages.iter().any(|l| l == code)
        {
            return Err(tera::Error::message(format!(
                "get_url(lang=\"{code}\"): the site has no such language"
            )));
        }
        let url = match code {
            Some(code) => [root, code, "/", path.trim_start_matches('/')].concat(),
            None => [root, path.trim_start_matches('/')].concat(),
        };
        Ok(if url.is_empty() { "./".into() } else { url })
    });
    // `script_strings()`: the words the scripts write, in the page's
    // language ([`Strings::script_json`], made once per language here).
    let default = views.languages.first().cloned().unwrap_or_default();
    let words: HashMap<String, String> =
        views.languages.iter().map(|l| (l.clone(), strings.script_json(l, &default))).collect();
    let (strings, languages) = (Arc::clone(strings), Arc::clone(views));
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let key: &str = kwargs.must_get("key")?;
        let default = languages.languages.first().map_or("", String::as_str);
        // In a site of one language every page is in the default one.
        let lang: Option<Value> = if languages.languages.len() > 1 { state.get("lang")? } else { None };
        let lang = lang.as_ref().and_then(Value::as_str).unwrap_or(default);
        match strings.get(lang, default, key) {
            Some(text) => Ok(text.to_string()),
            None => Err(tera::Error::message(strings.missing(lang, default, key))),
        }
    });
    tera.register_function("script_strings", move |_: Kwargs, state: &State| -> tera::TeraResult<String> {
        let lang: Option<Value> = if words.len() > 1 { state.get("lang")? } else { None };
        let lang = lang.as_ref().and_then(Value::as_str).unwrap_or(&default);
        Ok(words.get(lang).cloned().unwrap_or_default())
    });
    let lookup = Arc::clone(views);
    tera.register_function("note", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<Value> {
        let name: &str = kwargs.must_get("name")?;
        let strict: bool = kwargs.get("strict")?.unwrap_or(true);
        let folded = fold(name);
        let found = lookup.by_name.get(&folded);
        deps::read(deps::Read::Name(folded));
        match found {
            Some(Some(id)) => Ok(lookup.card(*id).clone()),
            _ if !strict => Ok(Value::none()),
            Some(None) => {
                Err(tera::Error::message(format!("note(name=\"{name}\"): more than one note has that name")))
            }
            None => Err(tera::Error::message(format!(
                "note(name=\"{name}\"): no note has that title, alias or file name"
            ))),
        }
    });
    let timeline = Arc::clone(views);
    tera.register_function("timeline", move |_: Kwargs, _: &State| {
        deps::read(deps::Read::Timeline);
        timeline.timeline.clone()
    });
}

/// `translations` in templates: the page in each language it is written in
/// (`pages`: language and permalink, in language order), each as
/// `{ code, name, permalink, current }` (`current` for language `l`, the
/// page's own); empty when it is in one language only. The language
/// switcher and the `hreflang` alternates show it.
fn translations_value(views: &Views, pages: &[(u8, &str)], l: u8) -> Value {
    #[derive(Serialize)]
    struct Translation<'a> {
        code: &'a str,
        name: &'a str,
        permalink: &'a str,
        current: bool,
    }
    if pages.len() < 2 {
        return Value::from(Vec::<Value>::new());
    }
    let list: Vec<Translation> = pages
        .iter()
        .map(|(lang, permalink)| Translation {
            code: &views.languages[*lang as usize],
            name: &views.language_names[*lang as usize],
            permalink,
            current: *lang == l,
        })
        .collect();
    Value::from_serializable(&list)
}

/// The same generated page (`tags/`, the default home) in every language,
/// for [`translations_value`].
fn in_every_language(site: &Site, path: &str) -> Vec<(u8, String)> {
    match site.is_multilingual() {
        false => Vec::new(),
        true => {
            (0..site.languages.len() as u8).map(|l| (l, format!("{}{path}", site.language_path(l)))).collect()
        }
    }
}

/// What every page's template sees: `site` (in language `l`, 0 the
/// default: [`Site::languages`]), `lang` (its code), `lang_path` (where its
/// pages are: ``, `hi/`), `root`, `current_path`.
fn base_context(views: &Views, permalink: &str, l: u8) -> Context {
    deps::read(Read::Site);
    let mut context = Context::new();
    context.insert_value("site", views.site[l as usize].clone());
    context.insert("lang", &views.languages[l as usize]);
    context.insert("lang_path", if l == 0 { "" } else { &views.language_paths[l as usize] });
    context.insert("root", &Permalink::new(permalink).path_to_root());
    context.insert("current_path", permalink);
    context
}

fn render_note(
    site: &Site,
    graph: &LinkGraph,
    neighbours: &Neighbours,
    tera: &Compiled,
    views: &Views,
    id: NoteId,
) -> Result<Page, Diagnostic> {
    let note = site.note(id);
    let permalink = site.permalink(id);
    let root = permalink.path_to_root();
    let bodies = BodyRenderer::new(site, graph, Some(id), &root).with_strings(tera.strings);
    let words = tera.words(site.language(id));
    deps::note(Facet::Text, id.index());
    let collection = site.collection_of[id.index()].map(|c| &site.collections[c]);
    let (prev, next) = match collection {
        Some(c) => {
            deps::note(Facet::Pager, id.index());
            // None for a translation standing in the default language's
            // collection (it has no place among its notes).
            match c.notes.iter().position(|n| *n == id) {
                Some(pos) => {
                    let prev = pos.checked_sub(1).map(|p| views.card(c.notes[p]));
                    let next = c.notes.get(pos + 1).map(|n| views.card(*n));
                    (prev, next)
                }
                None => (None, None),
            }
        }
        None => (None, None),
    };
    let card_fields: serde_json::Map<String, serde_json::Value> = revise::declared_cards(site, id)
        .into_iter()
        .map(|(d, _)| (d.field.clone(), serde_json::Value::from(d.label.as_str())))
        .collect();
    let uses = tera.uses;
    let mut page = PageView {
        card: views.card(id),
        content: bodies.body(id),
        toc: note.scan.headings.iter().filter(|h| (2..=3).contains(&h.level)).collect(),
        backlinks: (if uses.backlinks { graph.backlinks_of(id) } else { &[] })
            .iter()
            .map(|b| BacklinkView {
                // Its title and permalink, and the sentence that links.
                title: {
                    deps::note(Facet::Card, b.from.index());
                    deps::note(Facet::Contexts, b.from.index());
                    &site.note(b.from).title
                },
                permalink: site.permalink(b.from),
                context: &scan_of(site.note(b.from), b.part).links[b.link].context,
            })
            .collect(),
        backlinks_more: (uses.backlinks && graph.backlinks_of(id).len() > BACKLINKS_SHOWN).then(|| {
            let k = reading::shard_of(permalink.as_str(), reading::shard_count(site.notes.len()));
            format!("{root}{BACKLINKS_DIR}{k}/#{}", hops_id(permalink.as_str()))
        }),
        questions: (if uses.questions { &note.front.questions[..] } else { &[] })
            .iter()
            .enumerate()
            .map(|(q, question)| {
                let revise_id = revise::question_id(permalink.as_str(), q);
                QuestionView {
                    question: &question.question,
                    options: revise::option_order(&revise_id, &question.options, question.shuffle)
                        .into_iter()
                        .map(|i| question.options[i].as_str())
                        .collect(),
                    answer: &question.answer,
                    explanation: bodies.explanation(id, q),
                    id: format!("q{}", q + 1),
                    revise_id,
                }
            })
            .collect(),
        cards: note.cards.iter().map(|c| c.ids().len()).sum::<usize>() + card_fields.len(),
        card_fields,
        facts: if uses.facts { sheet::facts(site, id, &words) } else { Vec::new() },
        sources: &note.front.sources,
        corrected: &note.front.corrected,
        first_correction: note.scan.corrections.first().map(|c| body::fragment(&c.anchor())),
        sheet: site
            .collections
            .iter()
            .enumerate()
            .find(|(_, c)| c.index == id)
            .filter(|(c, _)| {
                deps::read(Read::Members(*c as u32));
                !site.collections[*c].notes.is_empty()
            })
            .map(|_| sheet::permalink(site, id)),
        events: &note.front.events,
        aliases: &note.front.aliases,
        properties: &note.front.properties,
        prev,
        next,
        graph: uses
            .graph
            .then(|| crate::graph::local_graph(site, neighbours, id, &root, &graph_words(&words)))
            .flatten()
            .map(|(list, two_hops)| LocalGraph {
                list,
                two_hops: two_hops.then(|| {
                    let k = reading::shard_of(permalink.as_str(), reading::shard_count(site.notes.len()));
                    format!("{root}{HOPS_DIR}{k}/#{}", hops_id(permalink.as_str()))
                }),
                linked: neighbours.of(id).len(),
                shown: neighbours.of(id).len().min(crate::graph::LOCAL_CAP),
            }),
        source: note.path.display(),
        words: note.scan.words,
        reading_time: reading::reading_time(note.scan.words),
        related: (if uses.related { reading::related(site, graph, id) } else { Vec::new() })
            .into_iter()
            .map(|r| RelatedView { card: views.card(r.id), reason: r.reason(site, &words) })
            .collect(),
        og_image: None,
    };
    let l = site.language(id);
    let mut context = base_context(views, permalink.as_str(), l);
    deps::read(Read::Notes);
    let pages: Vec<(u8, &str)> =
        site.translations(id).iter().map(|t| (site.language(*t), site.permalink(*t).as_str())).collect();
    context.insert_value("translations", translations_value(views, &pages, l));
    let is_home = site.is_home(id);
    let own_collection =
        if note.path.is_collection_index() { site.collection_in(note.path.folder(), l) } else { None };
    // A note's social card (not the home page's or a collection's).
    let social = (uses.social && !is_home && own_collection.is_none() && social::enabled(&site.config))
        .then(|| social_card(site, tera, views, id, &context))
        .transpose()?
        .map(|(card, og_image)| {
            debug_assert!(card.path.starts_with(social::OUTPUT_DIR));
            page.og_image = Some(og_image);
            card
        });
    context.insert_value("page", page.value());
    // Its notes: read as `Read::Members` with `page.sheet` above.
    if let Some(c) = own_collection {
        context.insert_value("notes", cards_value(views, c.notes.iter().copied()));
    }
    // The template, and the note and key that chose it (for a precise error).
    let (template, chosen_by, key) = match (&note.front.template, collection) {
        (Some(t), _) => (t.clone(), note, "template"),
        (None, _) if is_home => ("home.html".to_string(), note, "template"),
        (None, _) if own_collection.is_some() => ("collection.html".to_string(), note, "template"),
        (None, Some(c))
            if {
                deps::note(Facet::Card, c.index.index());
                site.note(c.index).front.page_template.is_some()
            } =>
        {
            let index = site.note(c.index);
            (index.front.page_template.clone().unwrap_or_default(), index, "page_template")
        }
        (None, _) => ("note.html".to_string(), note, "template"),
    };
    if !tera.tera.contains_template(&template) {
        let offset = crate::content::key_offset(chosen_by, key);
        return Err(Diagnostic::at(
            Severity::Error,
            chosen_by.path.display(),
            &chosen_by.text,
            offset..offset + key.len(),
            format!("template \"{template}\" does not exist"),
        )
        .with_help(format!("create {TEMPLATES_DIR}/{template}, or name an existing template")));
    }
    let html = render_template(tera, &template, &context, || note.path.display())?;
    Ok(Page { path: permalink.output_file(), html, social })
}

/// The social card of note `id` ([`social`]): `card.svg` rendered with
/// `site` (from `base`, the page's context), the note's card as `page` and
/// the fitted text as `card`; and what the page's `og:image` tags say of it.
fn social_card(
    site: &Site,
    tera: &Compiled,
    views: &Views,
    id: NoteId,
    base: &Context,
) -> Result<(social::Card, social::OgImage), Diagnostic> {
    let note = site.note(id);
    let view = social::view(site, id, &tera.words(site.language(id)));
    let mut context = base.clone();
    context.insert_value("page", views.card(id).clone());
    context.insert("card", &view);
    let svg = render_template(tera, social::TEMPLATE, &context, || note.path.display())?;
    let file =
        tera.sources.get(social::TEMPLATE).map_or_else(|| social::TEMPLATE.to_string(), |(f, _)| f.clone());
    let card = social::card(svg, &file, note.path.display());
    let og_image = social::OgImage {
        url: format!("{}{}", site.config.base_url, card.path),
        width: social::WIDTH,
        height: social::HEIGHT,
        alt: social::alt(site, id, &view),
    };
    Ok((card, og_image))
}

/// A collection's revision sheet (`COLLECTION/sheet/`, [`crate::render::sheet`]):
/// `page` is the collection's index (title, summary, `extra.table`,
/// `permalink`), `notes` its notes' cards, `figures` their key facts and
/// `items` their questions and flashcards.
fn render_sheet(
    site: &Site,
    graph: &LinkGraph,
    tera: &Compiled,
    views: &Views,
    c: usize,
) -> Result<Page, Diagnostic> {
    let collection = &site.collections[c];
    deps::read(Read::Members(c as u32));
    let permalink = sheet::permalink(site, collection.index);
    let mut context = base_context(views, &permalink, collection.language);
    context.insert_value("translations", translations_value(views, &[], 0));
    let root = Permalink::new(&permalink).path_to_root();
    let index = site.note(collection.index);
    let columns = index.front.extra.get("table").and_then(serde_json::Value::as_array);
    let shown: Vec<&str> = columns
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("key").and_then(serde_json::Value::as_str))
        .collect();
    // Templates that list no facts or items get none (see [`uses`]).
    let (figures, items) = if tera.uses.sheet {
        sheet::gather(site, graph, tera.strings, &collection.notes, &shown, &root)
    } else {
        (Vec::new(), Vec::new())
    };
    context.insert_value("page", views.card(collection.index).clone());
    context.insert_value("notes", cards_value(views, collection.notes.iter().copied()));
    context.insert("figures", &figures);
    context.insert("items", &items);
    let html = render_template(tera, sheet::TEMPLATE, &context, || index.path.display())?;
    Ok(Page { path: format!("{permalink}index.html"), html, social: None })
}

/// The home page of a site without `content/_index.md`: the collections, and every top-level note.
/// In a site of several languages, each language without its own
/// `_index.<code>.md` gets one (`l`: [`Site::languages`]), listing its notes.
fn render_default_home(site: &Site, tera: &Compiled, views: &Views, l: u8) -> Result<Page, Diagnostic> {
    deps::read(Read::Notes);
    let path = site.language_path(l);
    let mut context = base_context(views, &path, l);
    // The language's notes outside its own collections: top-level notes,
    // and notes whose folder has no collection in this language (they fall
    // back to the default language's, which does not list them).
    let top: Vec<&Value> = site
        .ids()
        .filter(|id| {
            let own_collection = site.collection_of[id.index()]
                .is_some_and(|c| site.language(site.collections[c].index) == site.language(*id));
            !own_collection && !site.note(*id).path.is_collection_index() && site.language(*id) == l
        })
        .map(|id| views.card(id))
        .collect();
    let own = site.config.languages.get(&site.languages[l as usize]).filter(|_| l > 0);
    let title = own.and_then(|o| o.title.as_deref()).unwrap_or(&site.config.title);
    context.insert("page", &serde_json::json!({ "title": title, "content": "", "extra": {} }));
    context.insert("notes", &top);
    let homes: Vec<(u8, String)> = in_every_language(site, "")
        .into_iter()
        .map(|(k, p)| match site.homes[k as usize] {
            Some(id) => (k, site.permalink(id).as_str().to_string()),
            None => (k, p),
        })
        .collect();
    let pages: Vec<(u8, &str)> = homes.iter().map(|(k, p)| (*k, p.as_str())).collect();
    context.insert_value("translations", translations_value(views, &pages, l));
    let html = render_template(tera, "home.html", &context, || format!("{TEMPLATES_DIR}/home.html"))?;
    Ok(Page { path: format!("{path}index.html"), html, social: None })
}

/// A tag as the tag pages show it: `name` as written (`gs3/Economy`),
/// `label` its last segment (`Economy`: the tree on `/tags/` shows it under
/// its parent), its page, and `count`, the notes its page lists.
#[derive(Serialize)]
struct TagView<'a> {
    name: &'a str,
    label: &'a str,
    permalink: String,
    count: usize,
}

impl<'a> TagView<'a> {
    fn of(tag: &'a crate::site::Tag) -> TagView<'a> {
        let label = tag.name.trim_end_matches('/').rsplit('/').next().map(str::trim).unwrap_or(&tag.name);
        TagView { name: &tag.name, label, permalink: tag.permalink.clone(), count: tag.members().len() }
    }
}

/// `/tags/`: every tag as a tree, in slug order. `tags` is the tree walked
/// depth first, one [`TagView`] each with `depth` (0 at a root),
/// `nested` (tags under it follow) and `closes` (after a tag with none
/// under it, how many lists end: the template writes nested `<ul>`s with
/// no recursion).
fn render_tags(site: &Site, tera: &Compiled, views: &Views, l: u8) -> Result<Page, Diagnostic> {
    #[derive(Serialize)]
    struct TreeItem<'a> {
        #[serde(flatten)]
        tag: TagView<'a>,
        depth: usize,
        nested: bool,
        closes: usize,
    }
    deps::read(Read::Tags);
    let mut tree: Vec<TreeItem> = Vec::with_capacity(site.tags.len());
    let mut stack: Vec<(usize, usize)> = site
        .tags
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, t)| t.parent.is_none() && t.language == l)
        .map(|(i, _)| (i, 0))
        .collect();
    while let Some((t, depth)) = stack.pop() {
        let tag = &site.tags[t];
        stack.extend(tag.children.iter().rev().map(|c| (*c, depth + 1)));
        let next_depth = stack.last().map_or(0, |(_, d)| *d);
        let nested = !tag.children.is_empty();
        let closes = if nested { 0 } else { depth - next_depth.min(depth) };
        tree.push(TreeItem { tag: TagView::of(tag), depth, nested, closes });
    }
    let permalink = format!("{}tags/", site.language_path(l));
    let mut context = base_context(views, &permalink, l);
    context.insert("tags", &tree);
    let all = in_every_language(site, "tags/");
    let pages: Vec<(u8, &str)> = all.iter().map(|(k, p)| (*k, p.as_str())).collect();
    context.insert_value("translations", translations_value(views, &pages, l));
    let html = render_template(tera, "tags.html", &context, || format!("{TEMPLATES_DIR}/tags.html"))?;
    Ok(Page { path: format!("{permalink}index.html"), html, social: None })
}

/// A tag's page: the notes carrying it or a tag under it ([`Tag::members`],
/// as Obsidian counts a parent), the tags right under it with their counts,
/// and its parents for the breadcrumbs (`ancestors`, the root first).
///
/// [`Tag::members`]: crate::site::Tag::members
fn render_tag(site: &Site, tera: &Compiled, views: &Views, t: usize) -> Result<Page, Diagnostic> {
    // The tag's fingerprint covers its parents' names and its children's
    // names and counts (`build::plan`).
    deps::read(Read::Tag(t as u32));
    let tag = &site.tags[t];
    let permalink = tag.permalink.clone();
    let mut ancestors = Vec::new();
    let mut up = tag.parent;
    while let Some(p) = up {
        ancestors.push(TagView::of(&site.tags[p]));
        up = site.tags[p].parent;
    }
    ancestors.reverse();
    let children: Vec<TagView> = tag.children.iter().map(|c| TagView::of(&site.tags[*c])).collect();
    let mut context = base_context(views, &permalink, tag.language);
    context.insert_value("translations", translations_value(views, &[], 0));
    context.insert(
        "tag",
        &serde_json::json!({ "name": tag.name, "slug": tag.slug, "permalink": permalink, "own": tag.notes.len() }),
    );
    context.insert("ancestors", &ancestors);
    context.insert("children", &children);
    context.insert_value("notes", cards_value(views, tag.members().iter().copied()));
    let html = render_template(tera, "tag.html", &context, || format!("{TEMPLATES_DIR}/tag.html"))?;
    Ok(Page { path: format!("{permalink}index.html"), html, social: None })
}

/// `/graph/`: the whole site's graph, with its legend.
fn render_graph(
    site: &Site,
    neighbours: &Neighbours,
    tera: &Compiled,
    views: &Views,
    l: u8,
) -> Result<Page, Diagnostic> {
    let under = site.language_path(l);
    let permalink = format!("{under}graph/");
    let mut context = base_context(views, &permalink, l);
    // Templates that show no graph get none (see [`uses`]).
    if !tera.uses.graph {
        let html = render_template(tera, "graph.html", &context, || format!("{TEMPLATES_DIR}/graph.html"))?;
        return Ok(Page { path: format!("{permalink}index.html"), html, social: None });
    }
    // Every note's place, title and links (the layout may run on other threads).
    deps::read(Read::Notes);
    for id in site.ids() {
        deps::note(Facet::Card, id.index());
        deps::note(Facet::Neighbours, id.index());
    }
    let words = tera.words(l);
    let count = |n: usize, one: &'static str, many: &'static str| match n {
        1 => words.get(one).to_string(),
        n => words.fill(many, &[("n", &n.to_string())]),
    };
    let title = |notes: usize, pages: usize, by_collection: bool| match (by_collection, pages) {
        (true, _) => words.fill("graph_links_collections", &[("n", &notes.to_string())]),
        (false, 0) => words.fill("graph_links_notes", &[("notes", &count(notes, "one_note", "n_notes"))]),
        (false, _) => words.fill(
            "graph_links_notes_pages",
            &[
                ("notes", &count(notes, "one_note", "n_notes")),
                ("pages", &count(pages, "one_collection_page", "n_collection_pages")),
            ],
        ),
    };
    let mut drawn =
        crate::graph::site_svg(site, neighbours, site.config.graph.max_notes, &graph_words(&words), &title);
    // Its links lead from `graph/`; a language's page is a folder deeper.
    if l > 0 {
        drawn.svg = drawn.svg.replace("href=\"../", "href=\"../../");
    }
    let legend: Vec<serde_json::Value> = crate::graph::legend(site, neighbours, &graph_words(&words))
        .into_iter()
        .map(|(class, title)| serde_json::json!({ "marker": crate::graph::legend_marker(class), "title": title }))
        .collect();
    context.insert(
        "graph",
        &serde_json::json!({
            "svg": drawn.svg,
            "by_collection": drawn.by_collection,
            "nodes": drawn.nodes,
            "notes": drawn.nodes - drawn.collection_pages,
            "collection_pages": drawn.collection_pages,
            "edges": drawn.edges,
            "max_notes": site.config.graph.max_notes,
            "legend": legend,
        }),
    );
    let html = render_template(tera, "graph.html", &context, || format!("{TEMPLATES_DIR}/graph.html"))?;
    Ok(Page { path: format!("{permalink}index.html"), html, social: None })
}

/// The graphs' words ([`crate::graph::GraphWords`]) in `words`' language.
fn graph_words<'a>(words: &Words<'a>) -> crate::graph::GraphWords<'a> {
    crate::graph::GraphWords {
        linked_with: words.get("graph_linked_with"),
        legend: words.get("legend"),
        other: words.get("graph_other"),
        other_notes: words.get("graph_other_notes"),
        through: words.get("hops_through"),
    }
}

/// The site root as seen from a shared shard page (`_lode/hops/3/`): the
/// page's `<base>`, so that its links are written from the root (bytes
/// written: nine fewer on each of a 10,000-note site's 300,000 second-hop
/// links).
const SHARD_ROOT: &str = "../../../";

/// The start of a shared shard page (second hops, backlinks): its head
/// (no index: `robots` `noindex`; `<base href>` the site root, so every
/// URL in it is written from the root), then `<main class="wrap {class}">`
/// with the heading and a link home; the caller adds its sections and
/// closes it. The file serves every language, so the heading is the
/// string `key` in each of the site's languages that words it differently,
/// joined by " · ", each in its own `lang`.
fn shard_page_start(site: &Site, tera: &Compiled, key: &'static str, class: &str) -> String {
    use crate::html::escape_html as escape;
    let (lang, title, root) = (escape(&site.config.language), escape(&site.config.title), SHARD_ROOT);
    let mut headings: Vec<(&str, &str)> = Vec::new();
    for l in 0..site.languages.len().max(1) {
        let text = tera.words(l as u8).get(key);
        if !headings.iter().any(|(_, t)| *t == text) {
            headings.push((site.languages.get(l).map_or("", String::as_str), text));
        }
    }
    let plain = headings.iter().map(|(_, t)| escape(t)).collect::<Vec<_>>().join(" · ");
    let heading = match headings.as_slice() {
        [_] => plain.clone(),
        _ => headings
            .iter()
            .enumerate()
            .map(|(l, (code, text))| {
                if l == 0 {
                    escape(text)
                } else {
                    format!("<span lang=\"{}\">{}</span>", escape(code), escape(text))
                }
            })
            .collect::<Vec<_>>()
            .join(" · "),
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<base href=\"{root}\">\n<title>{plain} · {title}</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n</head>\n<body>\n<main class=\"wrap {class}\">\n<h1>{heading}</h1>\n<p><a href=\"./\">{title}</a></p>\n"
    )
}

/// ` lang="CODE"` for a section of note `id` on a shard page when the
/// note is not in the site's default language (whose code the page's
/// `<html lang>` gives); empty otherwise.
fn section_lang(site: &Site, id: NoteId) -> String {
    match site.language(id) {
        0 => String::new(),
        l => site.languages.get(l as usize).map_or(String::new(), |code| format!(" lang=\"{code}\"")),
    }
}

/// Second-hop shard `k` ([`hops_path`]): a small page of its own (no
/// template: every site has it), readable without JavaScript, with one
/// `<section>` per note of the shard that has a second hop: a heading
/// linking the note, then [`crate::graph::second_hops`]'s list; last, the
/// table of the collections its links name ([`crate::graph::hop_collections`]).
fn render_hops(
    site: &Site,
    neighbours: &Neighbours,
    tera: &Compiled,
    shards: &std::sync::OnceLock<Vec<Vec<NoteId>>>,
    k: usize,
) -> Page {
    use crate::html::escape_html as escape;
    use std::fmt::Write as _;
    // Which notes are in the shard: every permalink.
    deps::read(Read::Notes);
    let members = shard_members(site, shards);
    let mut used = std::collections::BTreeSet::new();
    // The file serves every language: its heading in each, each note's
    // section in its own.
    let mut html = shard_page_start(site, tera, "notes_two_links_away", "hops-shard");
    for &id in members.get(k).into_iter().flatten() {
        let permalink = site.permalink(id).as_str();
        let words = tera.words(site.language(id));
        let Some(list) = crate::graph::second_hops(site, neighbours, id, "", &mut used, &graph_words(&words))
        else {
            continue;
        };
        deps::note(Facet::Card, id.index());
        let link = format!("<a href=\"{}\">{}</a>", escape(permalink), escape(&site.note(id).title));
        let _ = write!(
            html,
            "<section id=\"{}\"{}>\n<h2>{}</h2>\n{list}\n</section>\n",
            hops_id(permalink),
            section_lang(site, id),
            with_link(words.get("hops_from"), &link)
        );
    }
    html.push_str(&crate::graph::hop_collections(site, &used));
    html.push_str("\n</main>\n</body>\n</html>\n");
    Page { path: hops_path(k), html, social: None }
}

/// `text` (an interface string) escaped, with its `{title}` replaced by
/// `link` (HTML): "From {title}" with the note's link.
fn with_link(text: &str, link: &str) -> String {
    crate::html::escape_html(text).replace("{title}", link)
}

/// The notes of each shard (the second hops' and the backlinks' share the
/// link previews' sharding), found once, by the first shard rendered.
fn shard_members<'a>(site: &Site, shards: &'a std::sync::OnceLock<Vec<Vec<NoteId>>>) -> &'a [Vec<NoteId>] {
    shards.get_or_init(|| {
        let count = reading::shard_count(site.notes.len());
        let mut by_shard = vec![Vec::new(); count];
        for id in site.ids() {
            by_shard[reading::shard_of(site.permalink(id).as_str(), count)].push(id);
        }
        by_shard
    })
}

/// Backlinks shard `k` ([`backlinks_path`]): a small page of its own (no
/// template, like [`render_hops`]), readable without JavaScript, with one
/// `<section>` per note of the shard with more than [`BACKLINKS_SHOWN`]
/// backlinks: a heading linking the note, then every backlink as the
/// flagship's `partials/backlinks.html` writes one (the linking note's
/// title, the sentence around the link with the link's text marked).
fn render_backlinks(
    site: &Site,
    graph: &LinkGraph,
    tera: &Compiled,
    shards: &std::sync::OnceLock<Vec<Vec<NoteId>>>,
    k: usize,
) -> Page {
    use crate::html::escape_html as escape;
    use std::fmt::Write as _;
    // Which notes are in the shard: every permalink.
    deps::read(Read::Notes);
    let members = shard_members(site, shards);
    let mut html = shard_page_start(site, tera, "linked_from", "backlinks-shard");
    for &id in members.get(k).into_iter().flatten() {
        let backlinks = graph.backlinks_of(id);
        if backlinks.len() <= BACKLINKS_SHOWN {
            continue;
        }
        deps::note(Facet::Card, id.index());
        let permalink = site.permalink(id).as_str();
        let link = format!("<a href=\"{}\">{}</a>", escape(permalink), escape(&site.note(id).title));
        let _ = write!(
            html,
            "<section id=\"{}\" class=\"backlinks\"{}>\n<h2>{}</h2>\n<ul>\n",
            hops_id(permalink),
            section_lang(site, id),
            with_link(tera.words(site.language(id)).get("backlinks_to"), &link)
        );
        for b in backlinks {
            deps::note(Facet::Card, b.from.index());
            deps::note(Facet::Contexts, b.from.index());
            let context = &scan_of(site.note(b.from), b.part).links[b.link].context;
            let _ = write!(
                html,
                "<li><a href=\"{}\">{}</a>",
                escape(site.permalink(b.from).as_str()),
                escape(&site.note(b.from).title)
            );
            if !context.text().is_empty() {
                let _ = write!(
                    html,
                    "\n<blockquote>{}<mark>{}</mark>{}</blockquote>",
                    escape(context.before()),
                    escape(context.text()),
                    escape(context.after())
                );
            }
            html.push_str("</li>\n");
        }
        html.push_str("</ul>\n</section>\n");
    }
    html.push_str("</main>\n</body>\n</html>\n");
    Page { path: backlinks_path(k), html, social: None }
}

/// `/revise/`: the revision mode's page; its data is [`revise::data_file`].
fn render_revise(site: &Site, tera: &Compiled, views: &Views, l: u8) -> Result<Page, Diagnostic> {
    deps::read(Read::Notes);
    for id in site.ids() {
        deps::note(Facet::Card, id.index());
        deps::note(Facet::Study, id.index());
    }
    let mut notes = revise::notes_to_revise(site);
    let permalink = format!("{}revise/", site.language_path(l));
    // The notes' URLs lead from `revise/`; a language's page is a folder deeper.
    if l > 0 {
        for n in &mut notes {
            n.url.insert_str(0, "../");
        }
    }
    let mut context = base_context(views, &permalink, l);
    context.insert("revise", &serde_json::json!({ "notes": notes, "data": revise::DATA_FILE }));
    let html = render_template(tera, "revise.html", &context, || format!("{TEMPLATES_DIR}/revise.html"))?;
    Ok(Page { path: format!("{permalink}index.html"), html, social: None })
}

/// The permalink of the page listing every correction of the site.
pub const CORRECTIONS: &str = "corrections/";

/// `/corrections/`: every correction callout of the site, grouped by note
/// (in path order), each with its title and body (links relative to the
/// page) and the URL of the callout on its note's page. The template is
/// `corrections.html`; it sees `corrections`, a list of
/// `{ title, permalink, items: [{ title, body, anchor, url }], sources:
/// [{ n, title, publisher, date, url }] }` (the note's sources, numbered as
/// its citations), and
/// `correction_icon`, the callout's icon (SVG).
fn render_corrections(
    site: &Site,
    graph: &LinkGraph,
    tera: &Compiled,
    views: &Views,
    l: u8,
) -> Result<Page, Diagnostic> {
    let permalink = format!("{}{CORRECTIONS}", site.language_path(l));
    let root = Permalink::new(&permalink).path_to_root();
    let bodies = BodyRenderer::new(site, graph, None, &root).with_strings(tera.strings);
    deps::read(Read::Corrections);
    let groups: Vec<serde_json::Value> = site
        .ids()
        .filter(|id| !site.note(*id).scan.corrections.is_empty())
        .map(|id| {
            deps::note(Facet::Card, id.index());
            let note = site.note(id);
            let permalink = site.permalink(id).as_str();
            let items: Vec<serde_json::Value> = note
                .scan
                .corrections
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    bodies.embeds_left.set(body::EMBED_BUDGET);
                    let (title, body) = bodies.correction(id, i);
                    let anchor = c.anchor();
                    let url = bodies.url_to(id, Some(&anchor));
                    serde_json::json!({ "title": title, "body": body, "anchor": anchor, "url": url })
                })
                .collect();
            // The note's sources, numbered as its citations `[n]` are, so
            // the page shows where to check each correction.
            let sources: Vec<serde_json::Value> = (note.front.sources.iter().enumerate())
                .map(|(i, s)| {
                    serde_json::json!({
                        "n": i + 1, "title": s.title, "publisher": s.publisher, "date": s.date, "url": s.url
                    })
                })
                .collect();
            serde_json::json!({ "title": note.title, "permalink": permalink, "items": items, "sources": sources })
        })
        .collect();
    let mut context = base_context(views, &permalink, l);
    context.insert("corrections", &groups);
    context.insert("correction_icon", &crate::callout::icon("correction"));
    let html =
        render_template(tera, "corrections.html", &context, || format!("{TEMPLATES_DIR}/corrections.html"))?;
    Ok(Page { path: format!("{permalink}index.html"), html, social: None })
}

/// `/changes/` (`feed: false`, template `changes.html`) or its Atom feed
/// `changes/atom.xml` (`changes.xml`; language `l`'s notes only, under its
/// path: `hi/changes/atom.xml`): the notes with a known last change,
/// newest first (see [`crate::changes::recent`]; the feed the newest
/// [`crate::changes::FEED_ENTRIES`]). Both see `changes`, a list
/// of `{ note, url, changed, day, source }` (`note` the note's card, `url`
/// absolute, `changed` RFC 3339, `day` its first ten characters, `source`
/// `"git"` or `"front matter"`), and `updated`, the newest date.
fn render_changes(
    site: &Site,
    tera: &Compiled,
    views: &Views,
    record: &crate::changes::Record,
    feed: bool,
    l: u8,
) -> Result<Page, Diagnostic> {
    #[derive(Serialize)]
    struct Entry<'a> {
        note: &'a Value,
        url: String,
        changed: &'a str,
        day: &'a str,
        source: Option<&'static str>,
    }
    deps::read(Read::Changes);
    let by_permalink: HashMap<&str, NoteId> =
        site.ids().map(|id| (site.permalink(id).as_str(), id)).collect();
    let mut recent = crate::changes::recent(record, rfc3339);
    // A language's feed carries its own notes (its readers follow them);
    // the page shows the whole site's, as the graph and revision do.
    if feed && site.languages.len() > 1 {
        recent.retain(|(permalink, _, _)| {
            by_permalink.get(permalink).is_some_and(|id| site.language(*id) == l)
        });
    }
    // The feed carries the newest; the page a few hundred (each card is
    // copied into the template's context: all of them cost a third of a
    // 100,000-note build's memory).
    let shown =
        recent.len().min(if feed { crate::changes::FEED_ENTRIES } else { crate::changes::PAGE_ENTRIES });
    let entries: Vec<Entry> = recent[..shown]
        .iter()
        .filter_map(|(permalink, r, changed)| {
            Some(Entry {
                note: views.card(*by_permalink.get(permalink)?),
                url: absolute_url(site, permalink),
                changed,
                day: changed.get(..10).unwrap_or(changed),
                source: r.source,
            })
        })
        .collect();
    let updated = recent.first().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.2.clone());
    let (name, path) = if feed { ("changes.xml", "atom.xml") } else { ("changes.html", "index.html") };
    let under = site.language_path(l);
    let page = format!("{under}{}", crate::changes::PAGE);
    let mut context = base_context(views, if feed { "changes/atom.xml" } else { &page }, l);
    context.insert("changes", &entries);
    context.insert("changes_total", &recent.len());
    context.insert("updated", &updated);
    let out = render_template(tera, name, &context, || format!("{TEMPLATES_DIR}/{name}"))?;
    Ok(Page { path: format!("{page}{path}"), html: out, social: None })
}

/// `404.html`: GitHub Pages serves it for every missing path, at any depth,
/// so `get_url` gives absolute paths under `base_path` (`/REPO/style.css`).
fn render_not_found(tera: &Compiled, views: &Views, base_path: &str) -> Result<Page, Diagnostic> {
    let mut context = base_context(views, "404.html", 0);
    context.insert("root", base_path);
    let html = render_template(tera, "404.html", &context, || format!("{TEMPLATES_DIR}/404.html"))?;
    Ok(Page { path: "404.html".into(), html, social: None })
}

/// The absolute URL of a permalink (`minerals/lithium/`), from `base_url`.
fn absolute_url(site: &Site, permalink: &str) -> String {
    format!("{}{permalink}", site.config.base_url)
}

/// `sitemap.xml`: every page's absolute URL, with `lastmod` (the day of the
/// note's `updated`, else its `date`) when the page is a dated note.
fn render_sitemap(site: &Site, tera: &Compiled, views: &Views) -> Result<Page, Diagnostic> {
    /// A translation of the entry's page: `hreflang` and URL.
    #[derive(Serialize)]
    struct Alternate {
        lang: String,
        url: String,
    }
    #[derive(Serialize)]
    struct Entry {
        url: String,
        lastmod: Option<String>,
        /// Its page in every language it has, itself included, as Google
        /// documents (<https://developers.google.com/search/docs/specialty/international/localized-versions#sitemap>).
        alternates: Vec<Alternate>,
    }
    deps::read(Read::Notes);
    deps::read(Read::Tags);
    let alternates = |pages: Vec<(u8, String)>| -> Vec<Alternate> {
        pages
            .into_iter()
            .map(|(l, p)| Alternate { lang: site.languages[l as usize].clone(), url: absolute_url(site, &p) })
            .collect()
    };
    let mut entries: Vec<Entry> = site
        .ids()
        .map(|id| {
            deps::note(Facet::Card, id.index());
            let front = &site.note(id).front;
            let pages = site
                .translations(id)
                .iter()
                .map(|t| (site.language(*t), site.permalink(*t).as_str().to_string()));
            Entry {
                url: absolute_url(site, site.permalink(id).as_str()),
                lastmod: front.updated.as_ref().or(front.date.as_ref()).map(|d| d.chars().take(10).collect()),
                alternates: alternates(pages.collect()),
            }
        })
        .collect();
    for l in 0..site.languages.len() as u8 {
        let tags = format!("{}tags/", site.language_path(l));
        entries.push(Entry {
            url: absolute_url(site, &tags),
            lastmod: None,
            alternates: alternates(in_every_language(site, "tags/")),
        });
        if site.homes[l as usize].is_none() {
            let home = site.language_path(l);
            entries.push(Entry { url: absolute_url(site, &home), lastmod: None, alternates: Vec::new() });
        }
    }
    let others = [String::from("graph/"), String::from("revise/"), String::from("changes/")]
        .into_iter()
        .chain((correction_count(site) > 0).then(|| CORRECTIONS.to_string()))
        .chain(site.tags.iter().map(|t| t.permalink.clone()))
        .chain(
            site.collections.iter().filter(|c| !c.notes.is_empty()).map(|c| sheet::permalink(site, c.index)),
        );
    entries.extend(others.map(|p| Entry {
        url: absolute_url(site, &p),
        lastmod: None,
        alternates: Vec::new(),
    }));
    entries.sort_by(|a, b| a.url.cmp(&b.url));
    let mut context = base_context(views, "sitemap.xml", 0);
    context.insert("entries", &entries);
    let xml = render_template(tera, "sitemap.xml", &context, || format!("{TEMPLATES_DIR}/sitemap.xml"))?;
    Ok(Page { path: "sitemap.xml".into(), html: xml, social: None })
}

/// `atom.xml`: the notes with a `date` or `updated`, most recently updated
/// first (ties by title). Notes without either are left out: an Atom entry
/// must say when it was updated, and Lode does not invent a date.
fn render_feed(site: &Site, tera: &Compiled, views: &Views, l: u8) -> Result<Page, Diagnostic> {
    #[derive(Serialize)]
    struct Entry<'a> {
        note: &'a Value,
        url: String,
        updated: String,
        published: Option<String>,
    }
    deps::read(Read::Notes);
    let mut entries: Vec<(Entry, &str)> = site
        .ids()
        .filter(|id| !site.is_multilingual() || site.language(*id) == l)
        .filter_map(|id| {
            deps::note(Facet::Card, id.index());
            let note = site.note(id);
            let last = note.front.updated.as_ref().or(note.front.date.as_ref())?;
            let entry = Entry {
                note: views.card(id),
                url: absolute_url(site, site.permalink(id).as_str()),
                updated: rfc3339(last),
                published: note.front.date.as_deref().map(rfc3339),
            };
            Some((entry, note.title.as_str()))
        })
        .collect();
    entries.sort_by(|(a, a_title), (b, b_title)| b.updated.cmp(&a.updated).then(a_title.cmp(b_title)));
    // The newest, as feeds carry (Jekyll's 10, WordPress's 10): at 100,000
    // dated notes the whole list was a 52 MB feed, the build's peak of memory.
    let entries: Vec<Entry> =
        entries.into_iter().take(crate::changes::FEED_ENTRIES).map(|(e, _)| e).collect();
    // A feed must say when it changed: its newest entry, or the epoch when it has none.
    let updated = entries.first().map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone());
    let path = format!("{}atom.xml", site.language_path(l));
    let mut context = base_context(views, &path, l);
    context.insert("entries", &entries);
    context.insert("updated", &updated);
    let xml = render_template(tera, "atom.xml", &context, || format!("{TEMPLATES_DIR}/atom.xml"))?;
    Ok(Page { path, html: xml, social: None })
}

/// A front matter date (`2025-02-17`, `2025-02-17T10:30:00+05:30`,
/// `2025-02-17 10:30`, YAML's `2025-02-13 00:30:00 +05:30`) as the RFC 3339
/// date-time Atom requires, at the instant written: midnight UTC when no
/// time is given, UTC when the time has no offset (see
/// [`crate::content::FrontDate`]). A value that is no such date (the
/// checks report it) keeps only its first ten characters, at midnight UTC.
pub fn rfc3339(date: &str) -> String {
    match crate::content::FrontDate::parse(date) {
        Ok(d) => d.rfc3339(),
        Err(_) => format!("{}T00:00:00Z", date.chars().take(10).collect::<String>()),
    }
}

/// One diagnostic per template problem, however many pages hit it: a
/// template error repeats on every page the template renders.
fn dedupe(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: Vec<(Diagnostic, usize)> = Vec::new();
    let base = |d: &Diagnostic| d.message.split(" (while rendering").next().unwrap_or("").to_string();
    for d in diagnostics {
        match seen.iter_mut().find(|(s, _)| {
            s.file == d.file && s.line == d.line && s.column == d.column && base(s) == base(&d)
        }) {
            Some((_, n)) => *n += 1,
            None => seen.push((d, 0)),
        }
    }
    seen.into_iter()
        .map(|(mut d, more)| {
            if more > 0 {
                d.message = match d.message.strip_suffix(')') {
                    Some(head) if d.message.contains(" (while rendering ") => {
                        format!("{head} and {more} more page(s))")
                    }
                    _ => format!("{} (in {} pages)", d.message, more + 1),
                };
            }
            d
        })
        .collect()
}

/// Renders `template`; an error names the template's file, line and column
/// when Tera knows them, else the note being rendered.
fn render_template(
    templates: &Compiled,
    template: &str,
    context: &Context,
    note: impl Fn() -> String,
) -> Result<String, Diagnostic> {
    if !templates.tera.contains_template(template) {
        return Err(Diagnostic::whole_file(
            Severity::Error,
            note(),
            format!("template \"{template}\" does not exist"),
        )
        .with_help(format!("create {TEMPLATES_DIR}/{template}, or name an existing template")));
    }
    templates.tera.render(template, context).map_err(|e| {
        let name = match e.kind() {
            tera::ErrorKind::RenderingError(report) => report.filename().to_string(),
            _ => template.to_string(),
        };
        let mut d = match templates.sources.get(&name) {
            Some((file, text)) => template_diagnostic(&e, file, text),
            None => Diagnostic::whole_file(Severity::Error, format!("{TEMPLATES_DIR}/{name}"), e.to_string()),
        };
        d.message = format!("{} (while rendering {})", d.message, note());
        d
    })
}

#[cfg(test)]
mod tests {
    use super::rfc3339;

    /// The first block problem is found: the innermost block left open,
    /// past statements (`{% set x = 1 %}`), comments and what `{% raw %}`
    /// holds; an end tag closing the wrong block; an unknown end tag.
    #[test]
    fn block_problems_are_found_where_they_are() {
        fn problem(t: &str) -> Option<(&str, String, String)> {
            super::block_problem(t).map(|p| (&t[p.span], p.message, p.help))
        }
        assert!(problem("{% if a %}x{% endif %}").is_none());
        assert!(problem("{# {% if %} #}{% raw %}{% if %}{% endraw %}").is_none());
        let (at, message, _) = problem("{% for x in y %}{% set z = 1 %}").unwrap();
        assert_eq!(
            (at, message.as_str()),
            ("{% for x in y %}", "this `{% for %}` is never closed (the template ends inside it)")
        );
        assert_eq!(problem("{% set z %}a").unwrap().0, "{% set z %}");
        assert_eq!(problem("{%- if a -%}").unwrap().0, "{%- if a -%}");
        let (at, message, help) = problem("{% block b %}\n{% if a %}x\n{% endblock %}").unwrap();
        assert_eq!(at, "{% endblock %}");
        assert_eq!(
            message,
            "`{% endblock %}` closes a `{% block %}`, but the `{% if %}` opened on line 2 is still open"
        );
        assert_eq!(help, "add `{% endif %}` before it, where the `if` block ends");
        let (at, message, help) = problem("{% if a %}x{% endfi %}").unwrap();
        assert_eq!(
            (at, message.as_str(), help.as_str()),
            ("{% endfi %}", "unknown tag `{% endfi %}`", "did you mean `{% endif %}`?")
        );
    }

    #[test]
    fn repeated_problems_are_counted_once_with_a_balanced_message() {
        use crate::diagnostics::{Diagnostic, Severity};
        let one = |m: &str| Diagnostic::whole_file(Severity::Error, "content/s/_index.md", m);
        let merged = super::dedupe(vec![one("template \"gone.html\" does not exist"); 3]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].message, "template \"gone.html\" does not exist (in 3 pages)");
        let merged = super::dedupe(vec![
            one("undefined variable (while rendering content/a.md)"),
            one("undefined variable (while rendering content/b.md)"),
        ]);
        assert_eq!(merged[0].message, "undefined variable (while rendering content/a.md and 1 more page(s))");
    }

    #[test]
    fn front_matter_dates_become_rfc3339() {
        assert_eq!(rfc3339("2025-02-17"), "2025-02-17T00:00:00Z");
        assert_eq!(rfc3339("2025-02-17T10:30:00Z"), "2025-02-17T10:30:00Z");
        assert_eq!(rfc3339("2025-02-17 10:30"), "2025-02-17T10:30:00Z");
        assert_eq!(rfc3339("2025-02-17T10:30:05.25+05:30"), "2025-02-17T10:30:05.25+05:30");
        assert_eq!(rfc3339("2025-02-17T07:32:00-08:00"), "2025-02-17T07:32:00-08:00");
        assert_eq!(rfc3339("2025-02-17 after lunch"), "2025-02-17T00:00:00Z");
        assert_eq!(rfc3339("2025-02-17T10:30+5"), "2025-02-17T10:30:00+05:00");
        // YAML's date-time, with spaces: the instant is kept.
        assert_eq!(rfc3339("2025-02-13 00:30:00 +05:30"), "2025-02-13T00:30:00+05:30");
        assert_eq!(rfc3339("2025-02-13 00:30:00.5 -08:00"), "2025-02-13T00:30:00.5-08:00");
        assert_eq!(rfc3339("2025-02-13t00:30:00z"), "2025-02-13T00:30:00Z");
    }
}
