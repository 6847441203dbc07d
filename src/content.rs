//! Loading the content tree and reading each note's front matter.
//!
//! `load` walks `content/` and returns every Markdown file as a
//! [`SourceFile`] plus every other file as an asset; `parse` splits a source
//! file into front matter and body, reads the known keys, and scans the body
//! for headings and links (see [`scan::scan`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};
use unicode_normalization::UnicodeNormalization;

use crate::diagnostics::{Diagnostic, Kind, LineStarts, Severity};
use scan::Scan;
use spans::Spans;

pub use crate::config::{CONTENT_DIR, Strictness};

pub mod scan;
mod spans;

/// File stem of a collection's archetype (`content/minerals/_archetype.md`):
/// the starting text `lode new` gives that collection's notes. Never built.
pub const ARCHETYPE_STEM: &str = "_archetype";

/// A file's path relative to the content folder, with `/` separators
/// (`minerals/lithium.md`). Never absolute, never containing `..`. It also
/// knows how the file is named to people: relative to the site root
/// (`content/minerals/lithium.md`), or to the vault when the folder of notes
/// is the root itself (see [`crate::config::Layout`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourcePath {
    /// The path relative to the site root.
    shown: String,
    /// Where the path relative to the content folder starts in `shown`.
    start: usize,
    /// Whether the file's stem is `_index` (derived from the path).
    collection_index: bool,
    /// The note's language (see [`SourcePath::in_languages`]): 0 the
    /// default, `i` the site's `i`-th other language.
    language: u8,
    /// The length of the language suffix (`.hi`) at the end of the stem, 0 without one.
    suffix: u8,
}

impl SourcePath {
    /// Wraps a path relative to `content/`; `\` separators become `/`.
    pub fn new(relative: &str) -> Self {
        SourcePath::under(CONTENT_DIR, relative)
    }

    /// Wraps a path relative to the content folder `folder` (relative to
    /// the site root: `content`, or `` for a vault); `\` separators become `/`.
    pub fn under(folder: &str, relative: &str) -> Self {
        let relative = relative.replace('\\', "/");
        let mut path = if folder.is_empty() {
            SourcePath { shown: relative, start: 0, collection_index: false, language: 0, suffix: 0 }
        } else {
            SourcePath {
                shown: format!("{folder}/{relative}"),
                start: folder.len() + 1,
                collection_index: false,
                language: 0,
                suffix: 0,
            }
        };
        path.collection_index = path.stem() == "_index";
        path
    }

    /// The path as text, relative to the content folder.
    pub fn as_str(&self) -> &str {
        &self.shown[self.start..]
    }

    /// The folder part (`minerals` for `minerals/lithium.md`, `` at the top).
    pub fn folder(&self) -> &str {
        self.as_str().rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The file name without its extension and language suffix
    /// (`lithium` for `lithium.md` and, in a site with Hindi, `lithium.hi.md`).
    pub fn stem(&self) -> &str {
        let path = self.as_str();
        let name = path.rsplit_once('/').map_or(path, |(_, name)| name);
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        &stem[..stem.len() - self.suffix as usize]
    }

    /// This path in a site whose other languages are `codes`
    /// ([`crate::config::Config::other_languages`]): a note whose stem ends
    /// in `.<code>` with a declared code (`lithium.hi.md`) is in that
    /// language, and its [`stem`](SourcePath::stem) loses the suffix. An
    /// undeclared suffix (`v1.2.md`, `notes.old.md`) is part of the name.
    pub fn in_languages(mut self, codes: &[String]) -> Self {
        (self.language, self.suffix) = (0, 0);
        if let Some((i, code)) = codes.iter().enumerate().find(|(_, c)| {
            self.stem().strip_suffix(c.as_str()).is_some_and(|rest| rest.len() > 1 && rest.ends_with('.'))
        }) {
            self.language = (i + 1) as u8;
            self.suffix = (code.len() + 1) as u8;
        }
        self.collection_index = self.stem() == "_index";
        self
    }

    /// The note's language: 0 the site's default, `i` its `i`-th other
    /// language ([`SourcePath::in_languages`]).
    pub fn language(&self) -> u8 {
        self.language
    }

    /// The path without `.md` and language suffix (`minerals/lithium` for
    /// `minerals/lithium.hi.md`): what a note and its translations share.
    pub fn base(&self) -> String {
        match self.folder() {
            "" => self.stem().to_string(),
            folder => format!("{folder}/{}", self.stem()),
        }
    }

    /// True for a collection's `_index.md` (any `_index.*`): known from
    /// the start, since it is asked for every candidate of every note's
    /// related notes.
    pub fn is_collection_index(&self) -> bool {
        self.collection_index
    }

    /// The path relative to the site root, for diagnostics
    /// (`content/minerals/lithium.md`; `minerals/lithium.md` in a vault).
    pub fn display(&self) -> String {
        self.shown.clone()
    }
}

impl Serialize for SourcePath {
    /// As the path relative to the content folder.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A Markdown file as read from disk.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path relative to `content/`.
    pub path: SourcePath,
    /// The whole file, front matter included.
    pub text: String,
}

/// A file under `content/` that is not Markdown (an image, a PDF): copied to
/// the same relative path in the output.
#[derive(Clone, Debug)]
pub struct Asset {
    /// Path relative to `content/`.
    pub path: SourcePath,
    /// Path on disk.
    pub source: PathBuf,
}

/// Lists the notes (`.md` files) and assets (every other file) under
/// `content_dir`, sorted by path for reproducible builds. Hidden files and
/// folders (`.obsidian/`, `.trash/`, `.git/`, `.DS_Store`) and
/// `node_modules/` folders are skipped, as Obsidian skips them, and
/// symbolic links with a warning (see [`list_under`]).
///
/// # Errors
/// A diagnostic for a folder that cannot be read.
pub fn list(content_dir: &Path) -> Result<Listing, Vec<Diagnostic>> {
    list_under(content_dir, CONTENT_DIR)
}

/// [`list`] for a content folder shown as `folder` (relative to the site
/// root: `content`, or `` when the folder of notes is the root itself).
///
/// Returns the notes, the attachments, and a warning for each symbolic
/// link skipped. Lode follows no link under the content folder, as Hugo
/// does not: a link could publish files from outside the site (`/etc`) or
/// loop back into its own folder.
///
/// # Errors
/// A diagnostic for a folder that cannot be read.
pub fn list_under(content_dir: &Path, folder: &str) -> Result<Listing, Vec<Diagnostic>> {
    let mut notes = Vec::new();
    let mut assets = Vec::new();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || (name == "node_modules" && e.file_type().is_dir()))
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = if folder.is_empty() { "." } else { folder };
                problems.push(Diagnostic::whole_file(Severity::Error, shown, e.to_string()));
                continue;
            }
        };
        let Ok(relative) = entry.path().strip_prefix(content_dir) else { continue };
        let path = SourcePath::under(folder, &relative.to_string_lossy());
        if entry.path_is_symlink() {
            let mut target =
                std::fs::read_link(entry.path()).map(|t| t.display().to_string()).unwrap_or_default();
            if !entry.path().exists() {
                target.push_str(", which does not exist");
            }
            skipped.push(
                Diagnostic::whole_file(
                    Severity::Warning,
                    path.display(),
                    format!(
                        "skipped: this is a symbolic link (to {target}), and Lode follows no symbolic link among the notes, so that nothing from outside the site is published and no link loops"
                    ),
                )
                .with_help("copy or move the file or folder here instead of linking it, or delete the link")
                .with_kind(Kind::Skipped),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if path.stem() == ARCHETYPE_STEM {
            // A collection's template for `lode new`, not a note.
            continue;
        }
        if entry.path().extension().is_some_and(|e| e == "md") {
            notes.push(path);
        } else {
            assets.push(Asset { path, source: entry.path().to_path_buf() });
        }
    }
    if problems.is_empty() { Ok((notes, assets, skipped)) } else { Err(problems) }
}

/// What [`list_under`] finds: the notes, the attachments, and a warning
/// for each file or folder skipped.
pub type Listing = (Vec<SourcePath>, Vec<Asset>, Vec<Diagnostic>);

/// Reads one note, strictly: a file that is not UTF-8 is an error.
///
/// # Errors
/// A diagnostic naming the file when it cannot be read or is not UTF-8.
pub fn read(content_dir: &Path, path: SourcePath) -> Result<SourceFile, Diagnostic> {
    match read_with(content_dir, path, Strictness::Strict)? {
        (_, Some(error)) => Err(error),
        (file, None) => Ok(file),
    }
}

/// Reads one note. A file that is not UTF-8 is read with U+FFFD for each
/// invalid sequence (see [`crate::diagnostics::source_text`]) and returned
/// with a problem at the first bad byte: a warning when lenient, an error
/// when strict (the build still indexes the note, so the links to it
/// resolve and only the encoding is reported, then fails).
///
/// # Errors
/// A diagnostic naming the file when it cannot be read.
pub fn read_with(
    content_dir: &Path,
    path: SourcePath,
    strictness: Strictness,
) -> Result<(SourceFile, Option<Diagnostic>), Diagnostic> {
    let bytes = std::fs::read(content_dir.join(path.as_str())).map_err(|e| {
        Diagnostic::whole_file(Severity::Error, path.display(), format!("cannot read note: {e}"))
    })?;
    let e = match String::from_utf8(bytes) {
        Ok(text) => {
            let text = crate::diagnostics::normalize_text(text);
            return Ok((SourceFile { path, text }, None));
        }
        Err(e) => e,
    };
    let offset = e.utf8_error().valid_up_to();
    // Everything before the bad byte is valid, so it locates the byte in the
    // decoded text too, shifted by the NULs before it (each became the three
    // bytes of U+FFFD).
    let at = offset + 2 * e.as_bytes()[..offset].iter().filter(|b| **b == 0).count();
    let byte = e.as_bytes()[offset];
    let latin1_next_ascii = e.as_bytes().get(offset + 1).is_none_or(u8::is_ascii);
    let text = crate::diagnostics::source_text(e.into_bytes());
    let mut d = Diagnostic::at(
        strictness.severity(),
        path.display(),
        &text,
        at..at + '\u{FFFD}'.len_utf8(),
        format!("byte 0x{byte:02X} at offset {offset} is not UTF-8"),
    )
    .with_help(match byte {
        // An accented letter in Latin-1 (0xC0–0xFE, U+00C0–U+00FE; Windows-1252
        // agrees there) followed by plain ASCII, as in `caf\xe9 `, rather than
        // a broken UTF-8 sequence: say which letter it is.
        0xC0..=0xFE if byte != 0xD7 && byte != 0xF7 && latin1_next_ascii => format!(
            "0x{byte:02X} is \"{}\" in Latin-1 (ISO 8859-1) and Windows-1252, so the note was probably saved in one of them: save it as UTF-8 (most editors offer \"Save with encoding\")",
            char::from(byte)
        ),
        _ => "save the note as UTF-8 (most editors offer \"Save with encoding\")".to_string(),
    })
    .with_kind(Kind::Encoding);
    if strictness == Strictness::Lenient {
        d.message.push_str(": each invalid byte is read as U+FFFD (�)");
    }
    Ok((SourceFile { path, text }, Some(d)))
}

/// Reads every note under `content_dir` and lists every other file as an asset.
///
/// # Errors
/// A diagnostic for each file that could not be read.
pub fn load(content_dir: &Path) -> Result<(Vec<SourceFile>, Vec<Asset>), Vec<Diagnostic>> {
    let (paths, assets, _skipped) = list(content_dir)?;
    let mut files = Vec::with_capacity(paths.len());
    let mut problems = Vec::new();
    for path in paths {
        match read(content_dir, path) {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() { Ok((files, assets)) } else { Err(problems) }
}

/// One self-test question, from `[[questions]]` in front matter.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    /// The question.
    pub question: String,
    /// The choices, in the order shown.
    pub options: Vec<String>,
    /// The right choice: equal to one of `options`.
    pub answer: String,
    /// Why, in Markdown (wikilinks allowed); may be empty.
    pub explanation: String,
    /// Whether readers see the options in an order of their own (the
    /// default, `true`) or as written (`shuffle = false`, for options whose
    /// order means something, such as "1 only / 1 and 2 only / 1, 2 and 3").
    /// The order itself is `option_order` in the revision module.
    pub shuffle: bool,
    /// Byte offset of this question in the source file, for diagnostics.
    #[serde(skip)]
    pub offset: usize,
}

/// A dated event, from `[[events]]` in front matter, shown on the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; sorts as text.
    pub date: String,
    /// What happened.
    pub title: String,
}

/// The keys Lode knows in front matter. Anything else is kept in
/// [`FrontMatter::properties`].
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "aliases",
    "summary",
    "description",
    "tags",
    "date",
    "updated",
    "weight",
    "draft",
    "template",
    "page_template",
    "sort_by",
    "extra",
    "questions",
    "events",
    "schema",
    "cards",
    "sources",
    "corrected",
];

/// A source a note draws on, from `[[sources]]` (TOML) or a `sources:` list
/// of maps (YAML): what a citation `[@id]` points at and what the note's
/// "Sources" section lists (`<li id="source-ID">`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// `[a-z0-9-]+`; when not written, `s1`, `s2`… by position.
    pub id: String,
    /// What the source is called (required).
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// When: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub date: Option<String>,
    /// Where to read it: an `http://` or `https://` URL.
    pub url: Option<String>,
    /// The claims of the note it supports, as written.
    pub supports: Vec<String>,
}

/// `cards` in front matter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CardsKey {
    /// Not set.
    #[default]
    Unset,
    /// `cards = true` (the whole note is read as flashcards, as a
    /// `#flashcards` tag makes it) or `cards = false` (no card is read, whatever its tags).
    Marked(bool),
    /// `cards = [...]` on a collection's `_index.md`: the `[extra]` fields
    /// of its notes that become flashcards.
    Declared(Vec<DeclaredCard>),
}

/// A field a collection declares card-worthy: `"china_share"` or
/// `{ field = "budget_usd", label = "Budget", unit = "USD" }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredCard {
    /// The `[extra]` key.
    pub field: String,
    /// The card's label; by default the key as the facts box labels it (`china_share` → "China share").
    pub label: String,
    /// A unit written after the value (`USD`), or empty.
    pub unit: String,
    /// Byte offset, in the `_index.md`, of its item in `cards = [...]`
    /// (the `cards` key's line when the item cannot be found).
    pub offset: usize,
}

/// A field's value as a card's back: text, a number, or a list of those;
/// `None` for empty text, an empty list, a boolean or a table.
pub fn card_value(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            items.iter().map(scalar).collect::<Option<Vec<_>>>().map(|v| v.join(", "))
        }
        other => scalar(other),
    }
}

/// The keys a table in `cards = [...]` may hold.
const CARD_KEYS: &[&str] = &["field", "label", "unit"];

/// The type a collection's schema requires of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An array.
    List,
    /// A table.
    Table,
}

impl FieldType {
    /// Every type, in the order the manual lists them.
    pub const ALL: [FieldType; 6] = [
        FieldType::String,
        FieldType::Integer,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::List,
        FieldType::Table,
    ];

    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "string" => FieldType::String,
            "integer" => FieldType::Integer,
            "number" => FieldType::Number,
            "boolean" => FieldType::Boolean,
            "list" => FieldType::List,
            "table" => FieldType::Table,
            _ => return None,
        })
    }

    /// The name used in `_index.md`.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::List => "list",
            FieldType::Table => "table",
        }
    }

    /// The type `value` has, `None` for null. A whole number is an
    /// [`FieldType::Integer`] (which a `number` field accepts too).
    pub fn of(value: &Json) -> Option<Self> {
        Some(match value {
            Json::Null => return None,
            Json::Bool(_) => FieldType::Boolean,
            Json::Number(n) if n.is_i64() || n.is_u64() => FieldType::Integer,
            Json::Number(_) => FieldType::Number,
            Json::String(_) => FieldType::String,
            Json::Array(_) => FieldType::List,
            Json::Object(_) => FieldType::Table,
        })
    }

    /// How a value of this type is written in front matter, for hints:
    /// `a whole number, unquoted`.
    pub fn how_written(self) -> &'static str {
        match self {
            FieldType::String => "text in quotes",
            FieldType::Integer => "a whole number, unquoted",
            FieldType::Number => "a number, unquoted",
            FieldType::Boolean => "`true` or `false`, unquoted",
            FieldType::List => "a list in brackets",
            FieldType::Table => "a table of keys",
        }
    }

    /// `value` written as this type when it is text that reads as one
    /// (`"3"` for an integer: `3`), for a hint that names the author's own
    /// value rather than an example.
    pub fn unquoted(self, value: &Json) -> Option<String> {
        let text = value.as_str()?.trim();
        let fits = match self {
            FieldType::Integer => text.parse::<i64>().is_ok(),
            FieldType::Number => text.parse::<f64>().is_ok_and(f64::is_finite),
            FieldType::Boolean => matches!(text, "true" | "false"),
            _ => false,
        };
        fits.then(|| text.to_string())
    }

    /// Whether `value` has this type.
    pub fn accepts(self, value: &Json) -> bool {
        match self {
            FieldType::String => value.is_string(),
            FieldType::Integer => value.is_i64() || value.is_u64(),
            FieldType::Number => value.is_number(),
            FieldType::Boolean => value.is_boolean(),
            FieldType::List => value.is_array(),
            FieldType::Table => value.is_object(),
        }
    }
}

/// One field of a collection's schema: `[schema.symbol]` with `type`,
/// `required`, `figure`, and how readers see it, `label` and `unit`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSchema {
    /// The field's name in the notes' `[extra]`.
    pub name: String,
    /// The type its value must have.
    pub kind: FieldType,
    /// Whether every note of the collection must have it (an empty string,
    /// list or table counts as none, as Obsidian reads an empty property).
    pub required: bool,
    /// `figure = true`: the field is its notes' key figure, the one number
    /// a note's social card shows (`render::social::figure`).
    pub figure: bool,
    /// What the facts box, link previews and revision cards call it
    /// (`Budget`), instead of the key made readable (`Budget usd`).
    pub label: Option<String>,
    /// Written after a text or number value where it is shown (`US$`,
    /// `tonnes`), as a card field's `unit`.
    pub unit: Option<String>,
}

/// Front matter of a note, with known keys typed.
#[derive(Clone, Debug, Default)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `aliases`: other names links may use.
    pub aliases: Vec<String>,
    /// `summary` (or `description`): one or two sentences for lists and previews.
    pub summary: Option<String>,
    /// `tags`, as written.
    pub tags: Vec<String>,
    /// `date`, as `YYYY-MM-DD` (a time, if given, is kept after it).
    pub date: Option<String>,
    /// `updated`, like `date`.
    pub updated: Option<String>,
    /// `weight`: sort key in collections sorted by weight (lower first).
    pub weight: Option<i64>,
    /// `draft`: built only with `--drafts`.
    pub draft: bool,
    /// `template`: the template that renders this note.
    pub template: Option<String>,
    /// `page_template` (collections only): the template of the collection's notes.
    pub page_template: Option<String>,
    /// `sort_by` (collections only): `title`, `weight` or `date`.
    pub sort_by: Option<String>,
    /// `[schema]` (collections only): the fields every note's `[extra]` must have.
    pub schema: Vec<FieldSchema>,
    /// `[extra]`: free data for templates.
    pub extra: Json,
    /// `[[questions]]`.
    pub questions: Vec<Question>,
    /// `[[events]]`.
    pub events: Vec<Event>,
    /// `cards`: a note's marking, or a collection's declared card fields.
    pub cards: CardsKey,
    /// `[[sources]]`, in order: a citation `[@id]` shows its 1-based position.
    pub sources: Vec<Source>,
    /// `corrected`: `[extra]` field → what the article said before the
    /// correction (the field holds the corrected value).
    pub corrected: std::collections::BTreeMap<String, String>,
    /// Every other key, kept for templates.
    pub properties: Map<String, Json>,
}

impl FrontMatter {
    /// No keys at all: the front matter of a note without any, with an
    /// empty `[extra]`.
    pub fn empty() -> Self {
        FrontMatter { extra: Json::Object(Map::new()), ..FrontMatter::default() }
    }

    /// The ids the note's page gives what this front matter holds: each
    /// question's (`q1`, `q2`…, as `render::revise::question_id` makes
    /// them) and each source's (`source-ID`). The body's headings and
    /// footnotes keep clear of them ([`scan::scan_keeping`]).
    pub fn page_ids(&self) -> Vec<String> {
        let questions = (1..=self.questions.len()).map(|n| format!("q{n}"));
        questions.chain(self.sources.iter().map(|s| format!("source-{}", s.id))).collect()
    }
}

/// A note after its front matter is read and its body scanned.
#[derive(Clone, Debug)]
pub struct Note {
    /// Path relative to `content/`.
    pub path: SourcePath,
    /// The whole file.
    pub text: String,
    /// Byte offset where the Markdown body starts in `text`.
    pub body_start: usize,
    /// The known front-matter keys.
    pub front: FrontMatter,
    /// Title: from front matter, else the first `# heading`, else the file name.
    pub title: String,
    /// Headings and links found in the body.
    pub scan: Scan,
    /// Links found in each question's explanation, in question order.
    pub explanation_scans: Vec<Scan>,
    /// The front matter's `tags` followed by the body's inline tags that add
    /// to them, or empty when they add none; read it through [`Note::tags`].
    pub inline_tags: Vec<String>,
    /// The flashcards written in the body (in marked notes and sections), in order.
    pub cards: Vec<scan::BodyCard>,
    /// The front matter could not be read (an error was reported): the note
    /// is still indexed, under what was read of it, so links to it resolve,
    /// and its body is still checked, so one build reports every problem;
    /// the build then fails before anything is written.
    pub front_error: bool,
    /// Where the lines of `text` start, found with the note's first
    /// diagnostic (see [`Note::diagnostic_in_body`]).
    pub(crate) line_starts: std::sync::OnceLock<LineStarts>,
}

impl Note {
    /// The note's tags: its front matter's `tags`, then the body's inline
    /// tags (`scan.tags`, NFC) that no earlier one names, compared without
    /// case as Obsidian compares tags (`#Economy` is `economy`).
    pub fn tags(&self) -> &[String] {
        if self.inline_tags.is_empty() { &self.front.tags } else { &self.inline_tags }
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// A diagnostic at byte range `span` of the body. The lines of the note
    /// are found once, with its first diagnostic, however many it has.
    pub fn diagnostic_in_body(
        &self,
        severity: Severity,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let shift = self.body_start;
        let lines = self.line_starts.get_or_init(|| LineStarts::new(&self.text));
        Diagnostic::at_line_starts(
            severity,
            self.path.display(),
            &self.text,
            lines,
            span.start + shift..span.end + shift,
            message,
        )
    }
}

/// Byte offset of the top-level `key` in the front matter, as its parser
/// found it (`key = …`, `key: …`, or the name in a `[key]` header), or 0.
pub fn key_offset(note: &Note, key: &str) -> usize {
    key_offset_in(note, None, key).unwrap_or(0)
}

/// Splits `file` into front matter and body, reads the known keys, and
/// scans the body, strictly (see [`parse_with`]).
///
/// Returns the note and its warnings (near-miss keys such as `titel`).
///
/// # Errors
/// Diagnostics at the exact line and column for invalid TOML or YAML, a known
/// key of the wrong type, or a malformed question.
pub fn parse(file: SourceFile) -> Result<(Note, Vec<Diagnostic>), Vec<Diagnostic>> {
    parse_with(file, Strictness::Strict)
}

/// Splits `file` into front matter and body, reads the known keys as
/// `strictness` says, and scans the body.
///
/// Returns the note and its warnings: near-miss keys such as `titel`, and
/// when lenient every problem Obsidian would accept (the value concerned
/// is ignored; front matter that cannot be parsed, or whose closing fence
/// is missing, leaves the note built from its body alone).
///
/// # Errors
/// When strict, diagnostics at the exact line and column for invalid TOML
/// or YAML, an unclosed front matter, a known key of the wrong type, a
/// malformed question, event or `[schema]`. Never when lenient.
pub fn parse_with(
    file: SourceFile,
    strictness: Strictness,
) -> Result<(Note, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (note, problems) = parse_all(file, strictness);
    if note.front_error {
        return Err(problems.into_iter().filter(Diagnostic::is_error).collect());
    }
    Ok((note, problems))
}

/// [`parse_with`] for a build that reports every problem in one run: the
/// note and all its problems, errors included. A note whose front matter
/// fails comes back with [`Note::front_error`] set, what could be read of
/// its front matter (nothing, for a syntax error), and its body scanned (no
/// body when the front matter is never closed), so its links are checked
/// and the links to it resolve.
pub fn parse_all(file: SourceFile, strictness: Strictness) -> (Note, Vec<Diagnostic>) {
    let (note, problems) = parse_front_matter(file, strictness);
    let problems = problems
        .into_iter()
        .map(|d| if d.kind.is_some() { d } else { d.with_kind(Kind::FrontMatter) })
        .collect();
    (note, problems)
}

fn parse_front_matter(file: SourceFile, strictness: Strictness) -> (Note, Vec<Diagnostic>) {
    let SourceFile { path, text } = file;
    let display = path.display();
    let lenient = strictness == Strictness::Lenient;
    let mut warnings = Vec::new();
    let mut front_error = false;
    let block = match split_front_matter(&text) {
        Ok(block) => block,
        Err(Unclosed { fence, open, likely }) => {
            let mut d = match likely {
                Some(line) => {
                    let (open_line, open_column) = crate::diagnostics::line_column(&text, open.start);
                    Diagnostic::at(
                        strictness.severity(),
                        &display,
                        &text,
                        line,
                        format!("this line was probably meant to close the front matter: write `{fence}`"),
                    )
                    .with_related(
                        &display,
                        open_line,
                        open_column,
                        format!("the front matter opened with `{fence}` here"),
                    )
                    .with_help(format!(
                        "the line that closes the front matter holds only `{fence}`, with nothing else on it"
                    ))
                }
                None => Diagnostic::at(
                    strictness.severity(),
                    &display,
                    &text,
                    open,
                    format!("the front matter opened with `{fence}` on line 1 is never closed"),
                )
                .with_help(format!("add a line with only `{fence}` after the last front-matter key")),
            };
            if lenient {
                d.message.push_str(": the whole file is read as the note's body");
            } else {
                // Where the body starts is unknown: the note is indexed
                // (links to it resolve) with no body to check.
                front_error = true;
            }
            warnings.push(d);
            None
        }
    };
    let (front, body_start) = match block {
        None if front_error => (FrontMatter::empty(), text.len()),
        None => (FrontMatter::empty(), 0),
        Some(block) => match block.parse(&display, &text) {
            Ok(raw) => {
                let (front, mut problems) = read_front_matter(raw, &block, &display, &text, strictness);
                problems.extend(block.duplicate_keys(&display, &text, strictness.severity()));
                if problems.iter().any(Diagnostic::is_error) {
                    // The keys that were read stand; the errors fail the
                    // build once every note has been checked, and the
                    // warnings (a misspelt key) are reported in the same run.
                    front_error = true;
                }
                warnings.extend(problems);
                (front, block.body_start(&text))
            }
            Err(d) if !lenient => {
                warnings.push(d);
                front_error = true;
                (FrontMatter::empty(), block.body_start(&text))
            }
            Err(mut d) => {
                // As Obsidian shows such a note: its body, without properties.
                d.severity = Severity::Warning;
                d.message.push_str(": the note is built without its front matter");
                warnings.push(d);
                (FrontMatter::empty(), block.body_start(&text))
            }
        },
    };
    let scan = scan::scan_keeping(&text[body_start..], &front.page_ids());
    let title = front
        .title
        .clone()
        .or_else(|| scan.first_h1.clone().map(nfc))
        .unwrap_or_else(|| nfc(title_from_name(&path)));
    let explanation_scans = explanation_scans(&front, &scan);
    let whole =
        front.cards == CardsKey::Marked(true) || front.tags.iter().any(|t| scan::cards::is_cards_tag(t));
    let unmarked = front.cards == CardsKey::Marked(false);
    let (cards, card_problems) = scan::find_cards(&text[body_start..], &scan, whole, unmarked);
    let tags = note_tags(&front.tags, &scan.tags);
    let note = Note {
        path,
        text,
        body_start,
        front,
        title,
        scan,
        explanation_scans,
        cards,
        inline_tags: tags,
        front_error,
        line_starts: std::sync::OnceLock::new(),
    };
    warnings.extend(math_warnings(&note));
    warnings.extend(note.scan.diagram_problems.iter().map(|p| {
        note.diagnostic_in_body(Severity::Warning, p.span.clone(), p.message.clone())
            .with_help(crate::code::mermaid::help(p))
            .with_kind(Kind::Diagram)
    }));
    warnings.extend(note.scan.unclosed_html.iter().map(|u| {
        let message = if u.closed_at_block_end {
            // A `<pre>` block would have run to the end of the note as text.
            format!(
                "`<{}>` is never closed: Lode closes it at the first blank line, so that the rest of the note shows as Markdown",
                u.name
            )
        } else {
            format!("`<{}>` is never closed: Lode closes it at the end of the note, as a browser would", u.name)
        };
        note.diagnostic_in_body(Severity::Warning, u.span.clone(), message)
            .with_help(format!(
                "add `</{0}>` where the element ends (or write `&lt;{0}>` to show the tag as text)",
                u.name
            ))
            .with_kind(Kind::Html)
    }));
    warnings.extend(query_syntax(&note, strictness.severity()));
    warnings.extend(source_warnings(&note));
    warnings.extend(card_problems.into_iter().map(|p| {
        note.diagnostic_in_body(Severity::Warning, p.span, p.message).with_help(p.help).with_kind(Kind::Cards)
    }));
    (note, warnings)
}

/// A note's tags when its inline tags add to its front matter's (see
/// [`Note::tags`]): `front`, then each of `inline` not named before,
/// compared in lowercase; empty when they add nothing (most notes: no copy
/// of the front matter's list, a few MB at 100,000 notes).
fn note_tags(front: &[String], inline: &[scan::tags::InlineTag]) -> Vec<String> {
    if inline.is_empty() {
        return Vec::new();
    }
    let mut seen: std::collections::HashSet<String> = front.iter().map(|t| t.to_lowercase()).collect();
    let added: Vec<String> = inline
        .iter()
        .map(|tag| nfc(tag.name.clone()))
        .filter(|name| seen.insert(name.to_lowercase()))
        .collect();
    if added.is_empty() {
        return Vec::new();
    }
    front.iter().cloned().chain(added).collect()
}

/// A problem for each mistake in the syntax of the body's ` ```query `
/// blocks, at the word at fault (an error in a site, a warning in a vault,
/// which shows such a block as code); what a query names is checked
/// against the site by `check::query`.
fn query_syntax(note: &Note, severity: Severity) -> Vec<Diagnostic> {
    let problems = note.scan.queries.iter().filter_map(|b| b.query.as_ref().err()).flatten();
    problems
        .map(|p| {
            note.diagnostic_in_body(severity, p.span.clone(), p.message.clone())
                .with_help(p.help.clone())
                .with_kind(Kind::Query)
        })
        .collect()
}

/// A warning for each formula of `note` that cannot be rendered: at the TeX
/// at fault in the body, at the question for one in an explanation.
fn math_warnings(note: &Note) -> Vec<Diagnostic> {
    let help = "the page shows this formula as code; fix the TeX, or, if it is valid TeX that Lode's renderer (math-core) lacks or a macro of your own, write it with the commands math-core knows";
    let body = note.scan.math.iter().filter_map(|f| f.rendered.as_ref().err()).map(|e| {
        note.diagnostic_in_body(
            Severity::Warning,
            e.span.clone(),
            format!("cannot render this formula: {}", e.message),
        )
    });
    let explanations = note.explanation_scans.iter().zip(&note.front.questions).flat_map(|(scan, q)| {
        scan.math.iter().filter_map(|f| f.rendered.as_ref().err()).map(|e| {
            Diagnostic::at(
                Severity::Warning,
                note.path.display(),
                &note.text,
                q.offset..q.offset + 1,
                format!("cannot render a formula of this question's explanation: {}", e.message),
            )
        })
    });
    body.chain(explanations).map(|d| d.with_help(help).with_kind(Kind::Math)).collect()
}

/// A warning for each citation naming no source of `note` (at the id, in
/// the body; at the question for one in an explanation), and for each
/// correction callout that gives no source (at its `[!correction]` line).
fn source_warnings(note: &Note) -> Vec<Diagnostic> {
    let ids: Vec<&str> = note.front.sources.iter().map(|s| s.id.as_str()).collect();
    let help = |id: &str| match ids.as_slice() {
        [] => format!(
            "this note lists no sources: add `[[sources]]` with `id = \"{id}\"` and a `title` to its front matter"
        ),
        known => format!(
            "cite one of this note's sources: {}; or add a `[[sources]]` entry with `id = \"{id}\"`",
            known.iter().map(|k| format!("@{k}")).collect::<Vec<_>>().join(", ")
        ),
    };
    let unknown = |scan: &Scan| -> Vec<(String, std::ops::Range<usize>)> {
        scan.citations
            .iter()
            .flat_map(|c| c.ids.iter())
            .filter(|(id, _)| !ids.contains(&id.as_str()))
            .cloned()
            .collect()
    };
    let mut out: Vec<Diagnostic> = unknown(&note.scan)
        .into_iter()
        .map(|(id, span)| {
            note.diagnostic_in_body(
                Severity::Warning,
                span,
                format!("the citation `@{id}` names no source of this note"),
            )
            .with_help(help(&id))
        })
        .collect();
    for (scan, q) in note.explanation_scans.iter().zip(&note.front.questions) {
        for (id, _) in unknown(scan) {
            out.push(
                Diagnostic::at(
                    Severity::Warning,
                    note.path.display(),
                    &note.text,
                    q.offset..q.offset + 1,
                    format!(
                        "the citation `@{id}` in this question's explanation names no source of this note"
                    ),
                )
                .with_help(help(&id)),
            );
        }
    }
    // A corrected field says the note corrects its source: the correction
    // callout is where the record and its sources are given.
    if !note.front.corrected.is_empty() && note.scan.corrections.is_empty() {
        let at = key_offset(note, "corrected");
        let fields: Vec<&str> = note.front.corrected.keys().map(String::as_str).collect();
        out.push(
            Diagnostic::at(
                Severity::Warning,
                note.path.display(),
                &note.text,
                at..at + "corrected".len(),
                format!(
                    "`corrected` marks {} as corrected, but the note has no correction callout",
                    fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                ),
            )
            .with_help("add `> [!correction] …` to the body saying what the source says, what the record shows and where (a link or [@id]); the facts box links the marker to it"),
        );
    }
    for c in note.scan.corrections.iter().filter(|c| !c.sourced) {
        let line_end = note.body()[c.span.clone()].find('\n').map_or(c.span.end, |i| c.span.start + i);
        out.push(
            note.diagnostic_in_body(Severity::Warning, c.span.start..line_end, "a correction needs its source: add a link or [@id]")
                .with_help("say where the record shows the right fact: a link `[text](https://…)` to an official statement or a report, or a citation `[@id]` of one of the note's `[[sources]]`"),
        );
    }
    out.into_iter().map(|d| d.with_kind(Kind::Sources)).collect()
}

/// `text` in Unicode's composed form (NFC): a title, alias or tag typed in
/// decomposed form (NFD, as macOS file systems and some editors write
/// `e` + U+0301 for `é`) is shown, and matched, as the composed one.
pub(crate) fn nfc(text: String) -> String {
    if unicode_normalization::is_nfc(&text) { text } else { text.nfc().collect() }
}

/// The syntax of a front-matter block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Toml,
    Yaml,
}

/// Where a front-matter block lies in its file.
struct Block {
    syntax: Syntax,
    /// Byte range of the block's contents (between the fences).
    inner: std::ops::Range<usize>,
}

/// A front-matter block that is opened and never closed.
struct Unclosed {
    /// The opening fence, `+++` or `---`.
    fence: &'static str,
    /// Its byte range in the file (after a BOM).
    open: std::ops::Range<usize>,
    /// The first line that was probably meant to close it (`--`, `++`,
    /// `—-`, `--- end`), as its byte range without the line end.
    likely: Option<std::ops::Range<usize>>,
}

/// The byte offset just after the line that closes `text`'s front matter
/// ([`split_front_matter`]'s block: `+++` or `---` on the first line),
/// where the body starts; `None` without a closed block.
pub(crate) fn front_matter_end(text: &str) -> Option<usize> {
    let block = split_front_matter(text).ok()??;
    let fence_line = &text[block.inner.end..];
    Some(block.inner.end + fence_line.find('\n').map_or(fence_line.len(), |i| i + 1))
}

/// Finds a `+++` (TOML) or `---` (YAML) block opening on the file's first
/// line (after an optional UTF-8 BOM). `Err` when it is never closed.
fn split_front_matter(text: &str) -> Result<Option<Block>, Unclosed> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line = text_no_bom.split('\n').next().unwrap_or("").trim_end();
    let (syntax, fence) = match first_line {
        "+++" => (Syntax::Toml, "+++"),
        "---" => (Syntax::Yaml, "---"),
        _ => return Ok(None),
    };
    let mut unclosed = Unclosed { fence, open: bom..bom + fence.len(), likely: None };
    let Some(first_line_end) = text_no_bom.find('\n') else { return Err(unclosed) };
    let inner_start = bom + first_line_end + 1;
    let mut offset = inner_start;
    for line in text[inner_start..].split_inclusive('\n') {
        let written = line.trim_end();
        if written == fence {
            return Ok(Some(Block { syntax, inner: inner_start..offset }));
        }
        if unclosed.likely.is_none() && looks_like_a_closing_fence(written, fence) {
            unclosed.likely = Some(offset..offset + written.len());
        }
        offset += line.len();
    }
    Err(unclosed)
}

/// Whether `line` of an unclosed block was probably meant to close it:
/// the fence's character two or four times or more (`--`, `++++`), dashes
/// mixed with the dashes editors substitute (`—-`, `–-`), or the fence
/// followed by other text (`--- end`).
fn looks_like_a_closing_fence(line: &str, fence: &str) -> bool {
    let mark = if fence == "+++" { '+' } else { '-' };
    let dash = |c: char| c == mark || (mark == '-' && matches!(c, '—' | '–'));
    let all_marks = !line.is_empty() && line.chars().all(dash);
    let count = line.chars().count();
    (all_marks && count >= 2 && line != fence)
        || (line.len() > fence.len() && line.starts_with(fence) && !line[fence.len()..].starts_with(mark))
}

impl Block {
    /// Where each key and value of the block is written, as its parser
    /// reports it. `None` when it does not parse.
    fn spans(&self, text: &str) -> Option<Spans> {
        match self.syntax {
            Syntax::Toml => Spans::toml(&text[self.inner.clone()], self.inner.start),
            Syntax::Yaml => Spans::yaml(&text[self.inner.clone()], self.inner.start),
        }
    }

    /// Where the body starts: after the closing fence's line.
    fn body_start(&self, text: &str) -> usize {
        let close = self.inner.end;
        text[close..].find('\n').map_or(text.len(), |i| close + i + 1)
    }

    /// A problem for each YAML key written twice in one map, at the second
    /// (YAML parsers that accept it keep the last value and drop the first
    /// without a word; Obsidian refuses such properties). Found by a cheap
    /// scan for a key repeated at one indentation first, so that only a
    /// block with a candidate is parsed again for positions.
    fn duplicate_keys(&self, display: &str, text: &str, severity: Severity) -> Vec<Diagnostic> {
        if self.syntax != Syntax::Yaml {
            return Vec::new();
        }
        let source = &text[self.inner.clone()];
        // A key seen twice in what looks like one map: the keys at one
        // indentation since the last line less indented, or since the list
        // item that opened the map (`- title: A` then `- title: B` is two
        // maps). Only a block with a candidate is parsed again (the parse
        // tells); YAML questions, a list of maps, need no parse.
        let mut open: Vec<(usize, &str)> = Vec::new();
        let candidate = source.lines().any(|l| {
            let item = l.trim_start_matches(' ').starts_with('-');
            let rest = l.trim_start_matches([' ', '-']);
            let indent = l.len() - rest.len();
            let Some((key, _)) =
                rest.split_once(':').filter(|(k, _)| !k.is_empty() && !rest.starts_with('#'))
            else {
                return false;
            };
            open.retain(|(i, _)| if item { *i < indent } else { *i <= indent });
            let key = key.trim_end();
            let twice = open.contains(&(indent, key));
            open.push((indent, key));
            twice
        });
        if !candidate {
            return Vec::new();
        }
        let Some(spans) = Spans::yaml(source, self.inner.start) else { return Vec::new() };
        spans
            .duplicates
            .into_iter()
            .map(|(key, first, second)| {
                let (line, column) = crate::diagnostics::line_column(text, first.start);
                Diagnostic::at(
                    severity,
                    display,
                    text,
                    second,
                    format!("`{key}` is written twice in the front matter (first on line {line})"),
                )
                .with_related(display, line, column, "written first here")
                .with_help("keep one of the two: YAML allows a key once per map, and which one would win is not defined")
            })
            .collect()
    }

    /// Parses the block into a JSON map (TOML datetimes become strings).
    fn parse(&self, display: &str, text: &str) -> Result<Map<String, Json>, Diagnostic> {
        let source = &text[self.inner.clone()];
        let value = match self.syntax {
            Syntax::Toml => match source.parse::<toml::Table>() {
                Ok(table) => toml_to_json(toml::Value::Table(table)),
                Err(e) => {
                    let span = e.span().unwrap_or(0..0);
                    let span = span.start + self.inner.start..span.end + self.inner.start;
                    // An impossible date is a TOML syntax error: say which
                    // key holds it and what is wrong with it.
                    let written = text.get(span.clone()).unwrap_or("");
                    if let Err(DateError::Impossible(why)) = FrontDate::parse(written)
                        && let Some(key) = Spans::toml_key_of(source, self.inner.start, span.clone())
                    {
                        return Err(Diagnostic::at(
                            Severity::Error,
                            display,
                            text,
                            span,
                            format!("`{key} = {written}`: {why}"),
                        )
                        .with_help(DATE_FORMS));
                    }
                    if e.message().contains("duplicate key") && !written.is_empty() {
                        // The first of the two: the nearest line above that
                        // sets the same key (in the same table, most likely).
                        let key = written.trim().trim_matches(['"', '\'']);
                        let first = text[self.inner.start..span.start]
                            .lines()
                            .enumerate()
                            .filter(|(_, l)| {
                                l.trim_start()
                                    .strip_prefix(written.trim())
                                    .is_some_and(|r| r.trim_start().starts_with('='))
                            })
                            .last()
                            .map(|(i, _)| text[..self.inner.start].matches('\n').count() + 1 + i);
                        let mut d = Diagnostic::at(
                            Severity::Error,
                            display,
                            text,
                            span,
                            match first {
                                Some(line) => format!(
                                    "`{key}` is written twice in the front matter (first on line {line})"
                                ),
                                None => format!("`{key}` is written twice in the front matter"),
                            },
                        )
                        .with_help("keep one of the two: TOML allows a key once per table");
                        if let Some(line) = first {
                            d = d.with_related(display, line, 1, "written first here");
                        }
                        return Err(d);
                    }
                    return Err(Diagnostic::at(
                        Severity::Error,
                        display,
                        text,
                        span,
                        format!("invalid TOML front matter: {}", e.message().trim()),
                    )
                    .with_help(
                        "front matter between `+++` lines is TOML: `key = \"value\"`, strings in quotes",
                    ));
                }
            },
            Syntax::Yaml => match serde_norway::from_str::<Json>(source) {
                Ok(Json::Null) => Json::Object(Map::new()),
                Ok(value) => value,
                Err(e) => {
                    let offset = e.location().map_or(0, |l| l.index()) + self.inner.start;
                    // The parser counts lines from the front matter's first
                    // line and says where the construct it was in began
                    // ("…, while parsing a flow sequence at line 1 column 8"):
                    // that start becomes a related location in file lines.
                    let full = e.to_string();
                    let (problem, context) = match full.split_once(", while parsing ") {
                        Some((problem, context)) => (problem, Some(context)),
                        None => (full.as_str(), None),
                    };
                    let problem = problem.split(" at line ").next().unwrap_or(problem);
                    if let Some(tab) = tab_indent_near(text, self.inner.clone(), offset) {
                        return Err(Diagnostic::at(
                            Severity::Error,
                            display,
                            text,
                            tab..tab + 1,
                            "invalid YAML front matter: this line is indented with a tab: indent with spaces",
                        )
                        .with_help("YAML does not allow tabs in indentation: replace the tab with spaces (as many as the line should be indented, e.g. two per level)"));
                    }
                    // The parser reads an unclosed quote to the block's end and
                    // reports there: point at the quote instead.
                    if problem.contains("end of stream")
                        && let Some(quote) = unclosed_yaml_quote(text, self.inner.clone())
                    {
                        return Err(Diagnostic::at(
                            Severity::Error,
                            display,
                            text,
                            quote..quote + 1,
                            "invalid YAML front matter: this quote is never closed",
                        )
                        .with_help("end the value with the same quote (`title: \"Tin\"`), or write it without quotes"));
                    }
                    let mut d = Diagnostic::at(
                        Severity::Error,
                        display,
                        text,
                        offset..offset + 1,
                        format!("invalid YAML front matter: {problem}"),
                    )
                    .with_help("front matter between `---` lines is YAML: `key: value`");
                    let first_line = text[..self.inner.start].matches('\n').count() + 1;
                    if let Some((what, at)) = context.and_then(|c| c.split_once(" at line ")) {
                        let mut numbers = at.split(" column ").map(|n| n.trim().parse::<usize>());
                        if let (Some(Ok(line)), Some(Ok(column))) = (numbers.next(), numbers.next()) {
                            d = d.with_related(
                                display,
                                (first_line + line).saturating_sub(1),
                                column,
                                format!("{what} that starts here"),
                            );
                        }
                    }
                    return Err(d);
                }
            },
        };
        match value {
            Json::Object(map) => Ok(map),
            _ => Err(Diagnostic::at(
                Severity::Error,
                display,
                text,
                self.inner.clone(),
                "front matter must be a table of keys",
            )),
        }
    }
}

/// The offset of the tab in the indentation of the line of `offset`, or of
/// the line before it (where a YAML parser that stopped at a line's start
/// found the tab), within the block `inner`.
fn tab_indent_near(text: &str, inner: std::ops::Range<usize>, offset: usize) -> Option<usize> {
    let offset = offset.clamp(inner.start, inner.end);
    let line_start =
        |at: usize| text[inner.start..at].rfind('\n').map_or(inner.start, |i| inner.start + i + 1);
    let this = line_start(offset);
    let before = (this > inner.start).then(|| line_start(this - 1));
    [Some(this), before].into_iter().flatten().find_map(|start| {
        let line = &text[start..inner.end];
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        line[..indent].find('\t').map(|i| start + i)
    })
}

/// The offset in `text` of the first quote opening a YAML value (after
/// `key: ` or a list's `- `) in the front matter block `inner` that no
/// matching quote closes before the block's end (YAML 1.2: a `"…"` scalar
/// escapes a quote as `\"`, a `'…'` scalar as `''`; both may span lines).
fn unclosed_yaml_quote(text: &str, inner: std::ops::Range<usize>) -> Option<usize> {
    let block = &text[inner.clone()];
    let mut line_start = 0;
    while line_start < block.len() {
        let line_end = block[line_start..].find('\n').map_or(block.len(), |i| line_start + i + 1);
        let line = &block[line_start..line_end];
        let trimmed = line.trim_start();
        let value = match trimmed.strip_prefix("- ") {
            Some(rest) => Some(rest),
            None => line.find(": ").map(|i| &line[i + 2..]),
        };
        let quoted = value.map(str::trim_start).filter(|v| v.starts_with(['"', '\'']));
        let Some(v) = quoted else {
            line_start = line_end;
            continue;
        };
        let open = line_start + (line.len() - v.len());
        let quote = block.as_bytes()[open];
        let rest = &block.as_bytes()[open + 1..];
        let mut i = 0;
        let mut close = None;
        while i < rest.len() {
            match rest[i] {
                b'\\' if quote == b'"' => i += 1,
                b'\'' if quote == b'\'' && rest.get(i + 1) == Some(&b'\'') => i += 1,
                b if b == quote => {
                    close = Some(open + 1 + i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let Some(close) = close else { return Some(inner.start + open) };
        // Go on after the closing quote's line.
        line_start = block[close..].find('\n').map_or(block.len(), |i| close + i + 1);
    }
    None
}

/// Byte offset, in `note`'s file, of `key` in `table` (`None`: a top-level
/// key; `Some("extra")`: a key of `[extra]`), as the parser found it.
pub fn key_offset_in(note: &Note, table: Option<&str>, key: &str) -> Option<usize> {
    let path: Vec<&str> = table.into_iter().chain([key]).collect();
    note_spans(note)?.key(&path).map(|k| k.start)
}

/// Byte range, in `note`'s file, of the value of `key` in `table` (as
/// [`key_offset_in`]), quotes included, as the parser found it.
pub fn value_span_in(note: &Note, table: Option<&str>, key: &str) -> Option<std::ops::Range<usize>> {
    let path: Vec<&str> = table.into_iter().chain([key]).collect();
    note_spans(note)?.value(&path)
}

/// Byte range, in `note`'s file, of tag `index` of [`Note::tags`] as
/// written: its value in the front matter's `tags` list (quotes included;
/// the whole value, or the key, when the parser gives no item's place), or
/// the inline `#tag` in the body that first writes it.
pub fn tag_span(note: &Note, index: usize) -> std::ops::Range<usize> {
    let front = note.front.tags.len();
    if index >= front
        && let Some(name) = note.tags().get(index)
    {
        let same = |t: &scan::tags::InlineTag| {
            let written = nfc(t.name.clone());
            written.chars().flat_map(char::to_lowercase).eq(name.chars().flat_map(char::to_lowercase))
        };
        if let Some(t) = note.scan.tags.iter().find(|t| same(t)) {
            return note.body_start + t.span.start..note.body_start + t.span.end;
        }
    }
    let spans = note_spans(note);
    let item =
        spans.as_ref().and_then(|s| s.value(&["tags", &index.to_string()]).or_else(|| s.value(&["tags"])));
    item.or_else(|| spans.as_ref().and_then(|s| s.key(&["tags"]))).unwrap_or(0..1)
}

/// Byte offset, in `note`'s file, of the start of the string value of the
/// `n`-th `key` inside `table` (just after its opening quote), e.g. a
/// question's `explanation`. `None` when it cannot be found.
pub fn string_value_offset(note: &Note, table: &str, key: &str, n: usize) -> Option<usize> {
    let spans = note_spans(note)?;
    let value = (0..)
        .map_while(|i| spans.get(&[table, &i.to_string()]).map(|_| i))
        .filter_map(|i| spans.value(&[table, &i.to_string(), key]))
        .nth(n)?;
    let written = &note.text[value.clone()];
    let quotes = ["\"\"\"", "'''", "\"", "'"].into_iter().find(|q| written.starts_with(q));
    let mut at = value.start + quotes.map_or(0, str::len);
    // A multi-line string drops the newline right after its opening quotes.
    if quotes.is_some_and(|q| q.len() == 3) {
        let rest = &note.text[at..];
        at += if rest.starts_with("\r\n") { 2 } else { usize::from(rest.starts_with('\n')) };
    }
    Some(at)
}

/// Byte offset, in `note`'s file, of `value` written in the `[extra]`
/// field `key` (a string, or an item of a list): the text just inside its
/// quotes, or as written unquoted in YAML. The field's key when the value
/// cannot be found; 0 without front matter.
pub fn extra_value_offset(note: &Note, key: &str, value: &str) -> usize {
    let Some(spans) = note_spans(note) else { return 0 };
    let Some(field) = spans.get(&["extra", key]) else {
        return key_offset_in(note, None, "extra").unwrap_or(0);
    };
    // The string itself, or the item of the list that holds `value`.
    let items = note.front.extra.get(key).and_then(Json::as_array);
    let item = items
        .and_then(|items| items.iter().position(|v| v.as_str().is_some_and(|s| s.contains(value))))
        .and_then(|i| spans.value(&["extra", key, &i.to_string()]));
    let within = item.unwrap_or(field.value.clone());
    note.text[within.clone()].find(value).map_or(field.key.start, |at| within.start + at)
}

/// The parser's spans of `note`'s front matter, parsed again: they are
/// wanted for a diagnostic only.
fn note_spans(note: &Note) -> Option<Spans> {
    split_front_matter(&note.text).ok().flatten()?.spans(&note.text)
}

fn toml_to_json(value: toml::Value) -> Json {
    match value {
        toml::Value::String(s) => Json::String(s),
        toml::Value::Integer(i) => Json::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number),
        toml::Value::Boolean(b) => Json::Bool(b),
        toml::Value::Datetime(d) => Json::String(d.to_string()),
        toml::Value::Array(items) => Json::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => {
            Json::Object(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// What reading one note's front matter needs to locate and word its problems.
struct Reading<'a> {
    block: &'a Block,
    display: &'a str,
    text: &'a str,
    strictness: Strictness,
    /// Where each key and value is written, found with the first problem.
    spans: std::cell::OnceCell<Option<Spans>>,
}

impl Reading<'_> {
    /// The parser's spans of the block.
    fn spans(&self) -> Option<&Spans> {
        self.spans.get_or_init(|| self.block.spans(self.text)).as_ref()
    }

    /// Where the key at `path` and its value are written; when the parser
    /// gives no place for it (an item of a one-value list), its nearest
    /// enclosing key's; the block's start when there is none.
    fn place(&self, path: &[&str]) -> spans::Place {
        let start = self.block.inner.start;
        let none = spans::Place { key: start..start, value: start..start };
        let Some(spans) = self.spans() else { return none };
        (1..=path.len()).rev().find_map(|n| spans.get(&path[..n])).cloned().unwrap_or(none)
    }

    /// The part of `span` on its first line.
    fn first_line(&self, span: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let line = &self.text[span.clone()];
        let line = line.split('\n').next().unwrap_or(line).trim_end_matches('\r');
        span.start..span.start + line.len()
    }

    /// The key at `path` (see [`Reading::place`]).
    fn key_at(&self, path: &[&str]) -> std::ops::Range<usize> {
        self.place(path).key
    }

    /// The value at `path` (see [`Reading::place`]).
    fn value_at(&self, path: &[&str]) -> std::ops::Range<usize> {
        self.place(path).value
    }

    /// A problem Obsidian would accept: an error when strict; when lenient,
    /// a warning saying that the value is ignored.
    fn problem(&self, span: std::ops::Range<usize>, message: String, help: String) -> Diagnostic {
        let mut d = Diagnostic::at(self.strictness.severity(), self.display, self.text, span, message)
            .with_help(help);
        if self.strictness == Strictness::Lenient {
            d.message.push_str(": the value is ignored");
        }
        d
    }

    /// YAML `tags: water, rain`: one string that reads as a list. It is
    /// split at its commas as Obsidian splits it (`tags`, the split string),
    /// with a warning at the value suggesting the list form.
    fn comma_string_tags(&self, tags: &[&str]) -> Diagnostic {
        let at = self.first_line(self.value_at(&["tags"]));
        let written = self.text[at.clone()].trim_end();
        let tags: Vec<&str> = tags
            .iter()
            .map(|t| t.trim())
            .map(|t| t.strip_prefix('#').unwrap_or(t))
            .filter(|t| !t.is_empty())
            .collect();
        Diagnostic::at(
            Severity::Warning,
            self.display,
            self.text,
            at.start..at.start + written.len(),
            format!(
                "`tags: {written}` is one string, split at its commas into {} tags: write the list `tags: [{}]`",
                tags.len(),
                tags.join(", ")
            ),
        )
        .with_help("a YAML list says each tag on its own, as Obsidian's properties write it: `tags: [a, b]`, or one `- tag` per line")
    }

    /// `key` does not hold the type Lode reads it as.
    fn wrong_type(&self, key: &str, expected: &str) -> Diagnostic {
        self.wrong_type_at(&[key], key, expected)
    }

    /// `key` does not hold the type Lode reads it as, at its value at
    /// `path` (the key's own, or an item of its list).
    fn wrong_type_at(&self, path: &[&str], key: &str, expected: &str) -> Diagnostic {
        self.problem(
            self.first_line(self.value_at(path)),
            format!("`{key}` must be {expected}"),
            format!("write `{key}` as {expected}, or remove it"),
        )
    }

    /// The value of `key` when it has the type Lode reads it as; none when
    /// it is absent or empty (`key:`), and a problem (see
    /// [`Reading::wrong_type`]) when it is `expected` but holds another type.
    fn typed<T>(
        &self,
        key: &str,
        field: Field<T>,
        expected: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        match field {
            Field::Typed(value) => Some(value),
            Field::Absent | Field::Empty => None,
            Field::Wrong(_) => {
                problems.push(self.wrong_type(key, expected));
                None
            }
        }
    }

    /// `aliases` or `tags`, as Obsidian reads a list property: one value is
    /// a one-item list, empty items are none, `tags` given as one string
    /// are split at commas and spaces and lose a leading `#`. When lenient,
    /// numbers and booleans are read as text and maps or lists are dropped
    /// with a warning at their item; when strict, any item that is not text
    /// is an error.
    fn list(&self, key: &str, field: Field<Vec<Json>>, problems: &mut Vec<Diagnostic>) -> Vec<String> {
        let lenient = self.strictness == Strictness::Lenient;
        let (items, one_string) = match field {
            Field::Typed(items) => (items, false),
            Field::Absent | Field::Empty => return Vec::new(),
            Field::Wrong(one) => {
                let is_string = one.is_string();
                (vec![one], is_string)
            }
        };
        let mut out = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let text = match item {
                Json::Null => continue,
                Json::String(s) => s,
                Json::Number(n) if lenient => n.to_string(),
                Json::Bool(b) if lenient => b.to_string(),
                Json::Array(_) | Json::Object(_) if lenient => {
                    let what = if item.is_object() { "a map" } else { "a list" };
                    let at = self.value_at(&[key, &i.to_string()]).start;
                    problems.push(
                        Diagnostic::at(
                            Severity::Warning,
                            self.display,
                            self.text,
                            at..at + 1,
                            format!("item {} of `{key}` is {what}, not text: it is ignored", i + 1),
                        )
                        .with_help(format!("write each item of `{key}` as text, e.g. `- physics`")),
                    );
                    continue;
                }
                _ => {
                    // At the item that is not text.
                    problems.push(self.wrong_type_at(&[key, &i.to_string()], key, "a list of strings"));
                    return Vec::new();
                }
            };
            if key != "tags" {
                // Stray spaces are no part of a name (`" Li "` is `Li`).
                if !text.trim().is_empty() {
                    out.push(text.trim().to_string());
                }
                continue;
            }
            let tags: Vec<&str> = if one_string {
                text.split(|c: char| c == ',' || c.is_whitespace()).collect()
            } else {
                vec![text.as_str()]
            };
            if one_string && text.contains(',') && self.block.syntax == Syntax::Yaml {
                problems.push(self.comma_string_tags(&tags));
            }
            out.extend(
                tags.into_iter()
                    .map(|t| t.trim())
                    .map(|t| t.strip_prefix('#').unwrap_or(t))
                    .filter(|t| !t.is_empty())
                    .map(str::to_string),
            );
        }
        out
    }
}

/// A known front-matter key as it was written: absent, written empty
/// (`key:` in YAML), of the type Lode reads it as, or of another type.
///
/// Its `Deserialize` never fails: a value of the wrong type is kept as
/// written, so that every wrong key of a block is reported at once (at its
/// span, from `content/spans.rs`) and a lenient read goes on without it.
#[derive(Clone, Debug, Default)]
enum Field<T> {
    /// The key is not written.
    #[default]
    Absent,
    /// The key is written without a value (YAML's `null`).
    Empty,
    /// The value, of the type Lode reads the key as.
    Typed(T),
    /// The value as written, of another type.
    Wrong(Json),
}

impl<T: serde::de::DeserializeOwned> Field<T> {
    /// `value` read as a `T`, or kept as it is when it is not one.
    fn of(value: Json) -> Self {
        if value.is_null() {
            return Field::Empty;
        }
        match T::deserialize(&value) {
            Ok(typed) => Field::Typed(typed),
            Err(_) => Field::Wrong(value),
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Json::deserialize(deserializer).map(Field::of)
    }
}

/// `cards`: a note's marking, or a collection's list of card fields.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum CardsValue {
    /// `cards = true` or `false`.
    Marked(bool),
    /// `cards = [...]`: field names, or tables with `field`, `label`, `unit`.
    Listed(Vec<Json>),
}

/// The known keys of a front-matter block, each as written (see [`Field`]),
/// and every other key in `properties`, in the order written. `description`
/// is one of those: it is read for `summary` when there is none, as Zola
/// and Obsidian's publishers write it, and stays a property otherwise.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Keys {
    title: Field<String>,
    summary: Field<String>,
    template: Field<String>,
    page_template: Field<String>,
    sort_by: Field<String>,
    schema: Field<Map<String, Json>>,
    date: Field<String>,
    updated: Field<String>,
    /// Read item by item as Obsidian reads a list property: one value is a
    /// one-item list (`Wrong` holds it).
    aliases: Field<Vec<Json>>,
    /// Like `aliases`.
    tags: Field<Vec<Json>>,
    weight: Field<i64>,
    draft: Field<bool>,
    extra: Field<Map<String, Json>>,
    events: Field<Vec<Json>>,
    cards: Field<CardsValue>,
    sources: Field<Vec<Json>>,
    corrected: Field<Map<String, Json>>,
    questions: Field<Vec<Json>>,
    /// Every other key.
    #[serde(flatten)]
    properties: Map<String, Json>,
}

/// `value` read as the table `T` (its keys as written, see [`Field`]);
/// `None` when it is not a table (a list would otherwise fill a struct's
/// fields by position).
fn table<T: serde::de::DeserializeOwned>(value: Json) -> Option<T> {
    if !value.is_object() {
        return None;
    }
    T::deserialize(value).ok()
}

/// A field of `[schema]`: `[schema.NAME]` with `type`, `required` and `figure`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SchemaSpec {
    #[serde(rename = "type")]
    kind: Field<String>,
    required: Field<bool>,
    figure: Field<bool>,
    label: Field<String>,
    unit: Field<String>,
    /// Keys a schema field does not have (warned about: a misspelt
    /// `requried` would otherwise leave the field optional without a word).
    #[serde(flatten)]
    other: Map<String, Json>,
}

/// The keys of a `[schema]` field ([`SchemaSpec`]).
const SCHEMA_KEYS: &[&str] = &["type", "required", "figure", "label", "unit"];

/// An item of `[[events]]`; other keys are not read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EventItem {
    date: Field<String>,
    title: Field<String>,
}

/// An item of `[[sources]]` ([`SOURCE_KEYS`]), and its other keys.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SourceItem {
    id: Field<String>,
    title: Field<String>,
    publisher: Field<String>,
    date: Field<String>,
    url: Field<String>,
    supports: Field<Vec<String>>,
    /// Keys a source does not have (warned about).
    #[serde(flatten)]
    other: Map<String, Json>,
}

/// An item of `[[questions]]` ([`QUESTION_KEYS`]), and its other keys.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QuestionItem {
    question: Field<String>,
    options: Field<Vec<Json>>,
    answer: Field<String>,
    explanation: Field<String>,
    shuffle: Field<bool>,
    /// Keys a question does not have (warned about).
    #[serde(flatten)]
    other: Map<String, Json>,
}

/// Reads the known keys of `raw` (see [`Keys`]), checking their types.
///
/// Returns the front matter and every problem found: errors when strict,
/// and warnings (near-miss keys; when lenient, every value of the wrong
/// type, which is then ignored).
fn read_front_matter(
    raw: Map<String, Json>,
    block: &Block,
    display: &str,
    text: &str,
    strictness: Strictness,
) -> (FrontMatter, Vec<Diagnostic>) {
    let r = Reading { block, display, text, strictness, spans: std::cell::OnceCell::new() };
    let lenient = strictness == Strictness::Lenient;
    let mut problems = Vec::new();
    let mut front = FrontMatter::empty();
    // A `Field` and a map of JSON values read any value: this cannot fail.
    let mut keys = Keys::deserialize(Json::Object(raw)).unwrap_or_default();
    front.title = r.typed("title", keys.title, "a string", &mut problems).map(nfc);
    front.summary = r.typed("summary", keys.summary, "a string", &mut problems);
    if front.summary.is_none()
        && let Some(description) = keys.properties.remove("description")
    {
        front.summary = r.typed("description", Field::of(description), "a string", &mut problems);
    }
    front.template = r.typed("template", keys.template, "a string", &mut problems);
    front.page_template = r.typed("page_template", keys.page_template, "a string", &mut problems);
    front.sort_by = r.typed("sort_by", keys.sort_by, "a string", &mut problems);
    let schema = r.typed("schema", keys.schema, "a table of fields (`[schema.NAME]`)", &mut problems);
    for (name, spec) in schema.unwrap_or_default() {
        let spec: SchemaSpec = table(spec).unwrap_or_default();
        for key in spec.other.keys() {
            let span = r.key_at(&["schema", &name, key]);
            let (message, help) = match crate::query::nearest(key, SCHEMA_KEYS.iter().copied()) {
                Some(near) => (
                    format!(
                        "unknown key `{key}` in schema field `{name}` looks like a misspelling of `{near}`"
                    ),
                    format!("rename it to `{near}`"),
                ),
                None => (
                    format!("unknown key `{key}` in schema field `{name}` is not read"),
                    format!("a schema field reads {}; remove the key", words(SCHEMA_KEYS)),
                ),
            };
            problems
                .push(Diagnostic::at(Severity::Warning, r.display, r.text, span, message).with_help(help));
        }
        let written = match spec.kind {
            Field::Typed(kind) => Some(kind),
            _ => None,
        };
        let kind = written.as_deref().and_then(FieldType::parse);
        let required = matches!(spec.required, Field::Typed(true));
        let text = |field: Field<String>| match field {
            Field::Typed(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
            _ => None,
        };
        let (label, unit) = (text(spec.label), text(spec.unit));
        let figure = matches!(spec.figure, Field::Typed(true));
        match kind {
            Some(kind) => front.schema.push(FieldSchema { name, kind, required, figure, label, unit }),
            None if let Some(written) = written => {
                let types = FieldType::ALL.map(FieldType::name);
                let list = types.map(|t| format!("`{t}`")).join(", ");
                let help = match crate::query::nearest(&written, types) {
                    Some(near) => format!("did you mean `{near}`? A schema field's `type` is one of {list}"),
                    None => format!("a schema field's `type` is one of {list}"),
                };
                problems.push(r.problem(
                    r.value_at(&["schema", &name, "type"]),
                    format!("unknown type `{written}` in schema field `{name}`"),
                    help,
                ))
            }
            None => problems.push(r.problem(
                r.key_at(&["schema", &name]),
                format!("schema field `{name}` needs a `type`"),
                "write `[schema.NAME]` with `type = \"string\"`, \"integer\", \"number\", \"boolean\", \"list\" or \"table\", and `required = true` or `false` (and, if you like, `label` and `unit`)".into(),
            )),
        }
    }
    if let Some(sort) = &front.sort_by
        && !["title", "weight", "date"].contains(&sort.as_str())
    {
        problems.push(r.problem(
            r.value_at(&["sort_by"]),
            format!("unknown sort order `{sort}`"),
            "use `sort_by = \"title\"`, `\"weight\"` or `\"date\"`".into(),
        ));
        if lenient {
            front.sort_by = None;
        }
    }
    for (key, field) in [("date", keys.date), ("updated", keys.updated)] {
        let mut value = r.typed(key, field, "a string", &mut problems);
        if let Some((v, Err(e))) = value.as_deref().map(|v| (v, FrontDate::parse(v))) {
            let at = r.value_at(&[key]);
            let message = match e {
                DateError::NotADate => format!("`{key}` is not a date: `{v}`"),
                DateError::Impossible(why) => {
                    // The value as written (a TOML string with its quotes).
                    let written = r.text.get(r.first_line(at.clone())).filter(|w| !w.is_empty()).unwrap_or(v);
                    match r.block.syntax {
                        Syntax::Toml => format!("`{key} = {written}`: {why}"),
                        Syntax::Yaml => format!("`{key}: {written}`: {why}"),
                    }
                }
            };
            problems.push(r.problem(at, message, DATE_FORMS.into()));
            if lenient {
                value = None;
            }
        }
        if key == "date" { front.date = value } else { front.updated = value }
    }
    let has_tags = !matches!(keys.tags, Field::Absent);
    front.aliases = r.list("aliases", keys.aliases, &mut problems).into_iter().map(nfc).collect();
    front.tags = r.list("tags", keys.tags, &mut problems).into_iter().map(nfc).collect();
    // Zola keeps tags under `[taxonomies]`: read them when there are no `tags`
    // (the table stays a property too).
    if !has_tags
        && let Some(Json::Array(items)) = keys.properties.get("taxonomies").and_then(|t| t.get("tags"))
    {
        front.tags = items
            .iter()
            .filter_map(Json::as_str)
            // As the `tags` key's: stray spaces and a leading `#` dropped, NFC.
            .map(|t| t.trim())
            .map(|t| t.strip_prefix('#').unwrap_or(t))
            .filter(|t| !t.is_empty())
            .map(|t| nfc(t.to_string()))
            .collect();
    }
    front.weight = r.typed("weight", keys.weight, "a whole number", &mut problems);
    front.draft = r.typed("draft", keys.draft, "true or false", &mut problems).unwrap_or(false);
    if let Some(extra) = r.typed("extra", keys.extra, "a table (`[extra]`)", &mut problems) {
        front.extra = Json::Object(extra);
        read_shares(&r, &mut front.extra, &mut problems);
    }
    let events = r.typed("events", keys.events, "an array of tables (`[[events]]`)", &mut problems);
    for (i, item) in events.unwrap_or_default().into_iter().enumerate() {
        let event: EventItem = table(item).unwrap_or_default();
        match (event.date, event.title) {
            (Field::Typed(date), Field::Typed(title)) if is_partial_date(&date) => {
                front.events.push(Event { date, title })
            }
            _ => problems.push(r.problem(
                r.value_at(&["events", &i.to_string()]),
                "an event needs `date` (YYYY, YYYY-MM or YYYY-MM-DD) and `title`".into(),
                "write `[[events]]` then `date = \"2023-09\"` and `title = \"…\"`".into(),
            )),
        }
    }
    let cards = r.typed(
        "cards",
        keys.cards,
        "`true` or `false` (read the body as flashcards), or on a collection's `_index.md` a list of `[extra]` fields",
        &mut problems,
    );
    match cards {
        None => {}
        Some(CardsValue::Marked(b)) => front.cards = CardsKey::Marked(b),
        Some(CardsValue::Listed(items)) if display.ends_with("_index.md") => {
            front.cards = CardsKey::Declared(read_declared_cards(&r, &items, &front.schema, &mut problems));
        }
        Some(CardsValue::Listed(_)) => problems.push(r.problem(
            r.key_at(&["cards"]),
            "a list of card fields belongs in a collection's `_index.md`".into(),
            "move `cards = [...]` to the `_index.md` of this note's folder, or write `cards = true` to read this note's body as flashcards".into(),
        )),
    }
    read_sources(&r, keys.sources, &mut front, &mut problems);
    read_corrected(&r, keys.corrected, &mut front, &mut problems);
    let questions =
        r.typed("questions", keys.questions, "an array of tables (`[[questions]]`)", &mut problems);
    for (i, item) in questions.unwrap_or_default().into_iter().enumerate() {
        let n = i.to_string();
        // Its `[[questions]]` header, or the first line of its YAML map.
        let header = r.first_line(r.value_at(&["questions", &n]));
        let offset = header.start;
        let item: QuestionItem = table(item).unwrap_or_default();
        problems.extend(unknown_item_keys(
            &r,
            &["questions", &n],
            &item.other,
            QUESTION_KEYS,
            "a `[[questions]]` entry",
        ));
        match read_question(item, offset) {
            Ok(q) => front.questions.push(q),
            Err((message, help, Some(key))) => {
                problems.push(r.problem(r.value_at(&["questions", &n, key]), message, help))
            }
            Err((message, help, None)) => problems.push(r.problem(header, message, help)),
        }
    }
    for key in keys.properties.keys() {
        if let Some(known) = near_miss(key) {
            problems.push(
                Diagnostic::at(
                    Severity::Warning,
                    display,
                    text,
                    r.key_at(&[key]),
                    format!("unknown key `{key}` looks like a misspelling of `{known}`"),
                )
                .with_help(format!("rename it to `{known}`, or keep it if it is your own property")),
            );
        }
    }
    front.properties = keys.properties;
    (front, problems)
}

/// `cards = [...]` on a collection's `_index.md`: each item a field name or
/// a table with `field` and optionally `label` and `unit`. A field named
/// twice makes one card (a warning at the second); an item without a field
/// is a problem at its value. A card without a `label` or `unit` takes its
/// field's in the collection's `schema`.
fn read_declared_cards(
    r: &Reading,
    items: &[Json],
    schema: &[FieldSchema],
    problems: &mut Vec<Diagnostic>,
) -> Vec<DeclaredCard> {
    let mut fields: Vec<DeclaredCard> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let n = i.to_string();
        let span = r.value_at(&["cards", &n]);
        let at = span.start..span.start + 1;
        let text_of = |k: &str| item.get(k).and_then(Json::as_str).map(str::to_string);
        let field = item.as_str().map(str::to_string).or_else(|| text_of("field"));
        if let Some(table) = item.as_object() {
            problems.extend(unknown_item_keys(r, &["cards", &n], table, CARD_KEYS, "a card of `cards`"));
        }
        match field.filter(|f| !f.trim().is_empty()) {
            Some(field) if fields.iter().any(|f| f.field == field) => problems.push(
                Diagnostic::at(
                    Severity::Warning,
                    r.display,
                    r.text,
                    at,
                    format!("`{field}` is already in `cards`: only its first item makes a card"),
                )
                .with_help(format!("remove this item, or merge its label and unit into the first `{field}`")),
            ),
            Some(field) => fields.push({
                let declared = schema.iter().find(|f| f.name == field);
                DeclaredCard {
                label: text_of("label")
                    .or_else(|| declared.and_then(|f| f.label.clone()))
                    .unwrap_or_else(|| field_label(&field)),
                unit: text_of("unit").or_else(|| declared.and_then(|f| f.unit.clone())).unwrap_or_default(),
                field,
                offset: at.start,
            }
            }),
            None => problems.push(r.problem(
                at,
                "each item of `cards` must be a field name or a table with `field`".into(),
                "write `cards = [\"china_share\", { field = \"budget_usd\", label = \"Budget\", unit = \"USD\" }]`".into(),
            )),
        }
    }
    fields
}

/// Whether `id` is a source id: `[a-z0-9-]+`.
fn is_source_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether `url` is an absolute `http://` or `https://` URL with a host and
/// no white space (checked by its shape only; nothing is fetched).
pub fn is_web_url(url: &str) -> bool {
    crate::config::is_http_url(url) && !url.contains(char::is_whitespace)
}

/// Keys of an item of `[[extra.shares]]`.
const SHARE_KEYS: &[&str] = &["label", "value", "shown", "text"];

/// The characters of a share's `shown` text that fit beside or inside its
/// bar at any value (the chart is 360 units wide, about 8 a character).
pub const SHARE_SHOWN_MAX: usize = 20;

/// `[[extra.shares]]`, the bar chart's rows (templates/partials/chart.html):
/// each a table with `label` (text), `value` (a number from 0 to 100, per
/// cent) and optionally `shown` (the value in the source's words, "nearly
/// 70%") and `text` (the sentence under the chart). A malformed row is a
/// problem at its value and is dropped, so the chart never draws a bar
/// outside its track; a `shown` longer than [`SHARE_SHOWN_MAX`] characters
/// is a warning (the chart may cut it).
fn read_shares(r: &Reading, extra: &mut Json, problems: &mut Vec<Diagnostic>) {
    let Some(value) = extra.get_mut("shares") else { return };
    let example = "write each row as `[[extra.shares]]` then `label = \"Rare earth production\"`, \
                   `value = 70` (per cent, 0 to 100) and optionally `shown = \"nearly 70%\"`, `text = \"…\"`";
    let Json::Array(items) = value else {
        problems.push(r.problem(
            r.first_line(r.value_at(&["extra", "shares"])),
            "`shares` must be a list of tables, one a bar of the chart".into(),
            example.into(),
        ));
        if let Json::Object(map) = extra {
            map.remove("shares");
        }
        return;
    };
    let mut keep = Vec::new();
    for (i, item) in items.drain(..).enumerate() {
        let n = i.to_string();
        let at = |key: &str| r.first_line(r.value_at(&["extra", "shares", &n, key]));
        let Json::Object(fields) = &item else {
            problems.push(r.problem(
                at(""),
                format!("share {} is not a table with a `label` and a `value`", i + 1),
                example.into(),
            ));
            continue;
        };
        problems.extend(unknown_item_keys(r, &["extra", "shares", &n], fields, SHARE_KEYS, "a share"));
        let mut bad = false;
        match fields.get("label") {
            Some(Json::String(l)) if !l.trim().is_empty() => {}
            _ => {
                bad = true;
                problems.push(r.problem(
                    at("label"),
                    format!("share {} has no `label` (text naming the bar)", i + 1),
                    example.into(),
                ));
            }
        }
        match fields.get("value").map(|v| (v, v.as_f64())) {
            Some((_, Some(v))) if (0.0..=100.0).contains(&v) => {}
            Some((v, Some(_))) => {
                bad = true;
                problems.push(r.problem(
                    at("value"),
                    format!("share {}'s `value` is {v}: a share is a per cent, from 0 to 100", i + 1),
                    "write the per cent the source gives (`value = 70`), and its words in `shown` (`shown = \"nearly 70%\"`)".into(),
                ));
            }
            Some((v, None)) => {
                bad = true;
                problems.push(r.problem(
                    at("value"),
                    format!("share {}'s `value` must be a number, not {v}", i + 1),
                    "write the per cent as a number (`value = 70`) and any words in `shown` (`shown = \"nearly 70%\"`)".into(),
                ));
            }
            None => {
                bad = true;
                problems.push(r.problem(
                    at(""),
                    format!("share {} has no `value` (a per cent, from 0 to 100)", i + 1),
                    example.into(),
                ));
            }
        }
        for key in ["shown", "text"] {
            match fields.get(key) {
                None | Some(Json::String(_)) => {}
                Some(_) => {
                    bad = true;
                    problems.push(r.wrong_type_at(&["extra", "shares", &n, key], key, "text"));
                }
            }
        }
        if let Some(Json::String(shown)) = fields.get("shown")
            && shown.chars().count() > SHARE_SHOWN_MAX
        {
            problems.push(
                Diagnostic::at(
                    Severity::Warning,
                    r.display,
                    r.text,
                    at("shown"),
                    format!(
                        "`shown` is {} characters; a bar has room for about {SHARE_SHOWN_MAX}, so the chart may cut it",
                        shown.chars().count()
                    ),
                )
                .with_help("keep `shown` to the figure in the source's words (\"nearly 70%\") and put the sentence in `text`"),
            );
        }
        if !bad {
            keep.push(item);
        }
    }
    *items = keep;
}

/// `sources`: an array of tables (`[[sources]]`, a YAML list of maps), each
/// with `title` and optionally `id`, `publisher`, `date`, `url`, `supports`.
/// A malformed item is a problem at its line (its field's line when one
/// field is at fault) and is left out.
fn read_sources(
    r: &Reading,
    field: Field<Vec<Json>>,
    front: &mut FrontMatter,
    problems: &mut Vec<Diagnostic>,
) {
    let expected =
        "a list of tables (`[[sources]]` with `title = \"…\"`; YAML: `sources:` then `- title: …`)";
    let Some(items) = r.typed("sources", field, expected, problems) else { return };
    let example = "write each source as `[[sources]]` then `id = \"pib-2025\"`, `title = \"…\"`, \
                   `publisher = \"…\"`, `date = \"2025-01-29\"`, `url = \"https://…\"`, `supports = [\"…\"]` \
                   (YAML: `- id: pib-2025` and `title: …` under `sources:`)";
    for (i, item) in items.into_iter().enumerate() {
        let n = i.to_string();
        let item_at = r.value_at(&["sources", &n]).start;
        let Some(fields) = table::<SourceItem>(item) else {
            problems.push(r.problem(
                item_at..item_at + 1,
                format!("source {} is not a table with a `title`", i + 1),
                example.into(),
            ));
            continue;
        };
        problems.extend(unknown_item_keys(r, &["sources", &n], &fields.other, SOURCE_KEYS, "a source"));
        // At the field's value.
        let field_span = |name: &str| r.value_at(&["sources", &n, name]);
        // At the field's key, or at the item for a missing field (`None`).
        let mut bad = |name: Option<&str>, message: String, help: String| {
            let span = name.map_or(item_at..item_at + 1, field_span);
            problems.push(r.problem(span, message, help));
        };
        // Text, trimmed; none when absent, empty or blank; `Err` holds a
        // value of another type.
        let text = |f: Field<String>| match f {
            Field::Typed(s) if !s.trim().is_empty() => Some(Ok(s.trim().to_string())),
            Field::Typed(_) | Field::Absent | Field::Empty => None,
            Field::Wrong(other) => Some(Err(other)),
        };
        // A bad item is left out, but every field of it is checked, so all of
        // its problems are reported at once.
        let mut keep = true;
        let title = match text(fields.title) {
            Some(Ok(t)) => t,
            Some(Err(_)) => {
                bad(Some("title"), format!("the `title` of source {} must be text", i + 1), example.into());
                keep = false;
                String::new()
            }
            None => {
                bad(None, format!("source {} has no `title`", i + 1), example.into());
                keep = false;
                String::new()
            }
        };
        let id = match text(fields.id) {
            None => format!("s{}", i + 1),
            Some(Ok(id)) if is_source_id(&id) => id,
            Some(Ok(id)) => {
                bad(
                    Some("id"),
                    format!("source id `{id}` may hold only lower-case letters, digits and `-`"),
                    format!("write it as `id = \"{}\"`", slugify(&id)),
                );
                keep = false;
                format!("s{}", i + 1)
            }
            Some(Err(v)) => {
                bad(Some("id"), format!("source id `{v}` must be text"), "write `id = \"pib-2025\"`".into());
                keep = false;
                format!("s{}", i + 1)
            }
        };
        if let Some(earlier) = front.sources.iter().position(|s| s.id == id) {
            bad(
                Some("id"),
                format!("source id `{id}` is used twice (source {} and source {})", earlier + 1, i + 1),
                "give each source of a note its own `id`: citations `[@id]` name one".into(),
            );
            keep = false;
        }
        let publisher = match text(fields.publisher) {
            Some(Ok(p)) => Some(p),
            None => None,
            Some(Err(_)) => {
                bad(
                    Some("publisher"),
                    format!("the `publisher` of source `{id}` must be text"),
                    example.into(),
                );
                None
            }
        };
        let date = match fields.date {
            Field::Absent | Field::Empty => None,
            Field::Typed(d)
                if is_partial_date(d.get(..10).unwrap_or(&d)) && (d.len() <= 10 || is_date(&d)) =>
            {
                Some(d.chars().take(10).collect())
            }
            Field::Wrong(Json::Number(n)) if is_partial_date(&n.to_string()) => Some(n.to_string()),
            written => {
                let shown = match written {
                    Field::Typed(d) => d,
                    Field::Wrong(other) => other.to_string(),
                    Field::Absent | Field::Empty => String::new(),
                };
                bad(Some("date"),
                    format!("the `date` of source `{id}` is not a date: `{shown}`"),
                    "write `date = 2025-01-29` (or the text \"2025-01\" or \"2025\" when only the month or year is known)".into(),
                );
                None
            }
        };
        let url = match text(fields.url) {
            None => None,
            Some(Ok(u)) if is_web_url(&u) => Some(u),
            Some(Ok(u)) => {
                bad(
                    Some("url"),
                    format!("the `url` of source `{id}` is not an http(s) URL: `{u}`"),
                    "write the whole address, starting with `https://` (or `http://`)".into(),
                );
                None
            }
            Some(Err(v)) => {
                bad(
                    Some("url"),
                    format!("the `url` of source `{id}` must be text, not `{v}`"),
                    example.into(),
                );
                None
            }
        };
        let supports = match fields.supports {
            Field::Absent | Field::Empty => Vec::new(),
            Field::Wrong(Json::String(s)) if !s.trim().is_empty() => vec![s],
            Field::Typed(claims) => claims.into_iter().filter(|c| !c.trim().is_empty()).collect(),
            Field::Wrong(_) => {
                bad(
                    Some("supports"),
                    format!("`supports` of source `{id}` must be a list of claims (text)"),
                    "write `supports = [\"India joined the MSFN in September 2024\"]`".into(),
                );
                Vec::new()
            }
        };
        if keep {
            front.sources.push(Source { id, title, publisher, date, url, supports });
        }
    }
}

/// `corrected`: a table of `[extra]` field → what the article said. A
/// field that is not in `[extra]` is a warning at its key, in both modes.
fn read_corrected(
    r: &Reading,
    field: Field<Map<String, Json>>,
    front: &mut FrontMatter,
    problems: &mut Vec<Diagnostic>,
) {
    let expected =
        "a table of `[extra]` fields and what the article said (`[corrected]` then `field = \"…\"`)";
    let Some(fields) = r.typed("corrected", field, expected, problems) else { return };
    for (field, said) in fields {
        let span = r.key_at(&["corrected", &field]);
        let Some(said) = said.as_str().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()) else {
            problems.push(r.problem(
                r.value_at(&["corrected", &field]),
                format!("`corrected.{field}` must be text, not empty: what the article said"),
                format!("write `{field} = \"…\"` under `[corrected]`, quoting the article's wording"),
            ));
            continue;
        };
        if front.extra.get(&field).is_none() {
            let known: Vec<&str> =
                front.extra.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
            problems.push(
                Diagnostic::at(
                    Severity::Warning,
                    r.display,
                    r.text,
                    span,
                    format!("`corrected` names the field `{field}`, which `[extra]` does not have"),
                )
                .with_help(if known.is_empty() {
                    format!(
                        "add `{field}` to `[extra]` with the corrected value, or remove it from `corrected`"
                    )
                } else {
                    format!(
                        "name one of the `[extra]` fields ({}), or add `{field}` to `[extra]`",
                        known.join(", ")
                    )
                })
                .with_kind(Kind::Sources),
            );
            continue;
        }
        front.corrected.insert(field, said);
    }
}

/// A question of `[[questions]]`, or what is wrong with it: (message, help,
/// the key at fault when the problem is one key's value).
fn read_question(
    item: QuestionItem,
    offset: usize,
) -> Result<Question, (String, String, Option<&'static str>)> {
    // A text field; one of another type is taken as missing.
    let field = |f: Field<String>| match f {
        Field::Typed(text) => Some(text),
        _ => None,
    };
    let question = field(item.question).ok_or_else(|| {
        ("a question needs `question` (text)".to_string(), "add `question = \"…\"`".to_string(), None)
    })?;
    let options: Vec<String> = match item.options {
        Field::Typed(options) => options.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    if options.len() < 2 {
        return Err((
            format!("question \"{question}\" needs at least two `options`"),
            "add `options = [\"…\", \"…\", \"…\", \"…\"]`".into(),
            None,
        ));
    }
    let answer = field(item.answer).ok_or_else(|| {
        (
            format!("question \"{question}\" has no `answer`"),
            "add `answer = \"…\"`, equal to one of the options".to_string(),
            None,
        )
    })?;
    if !options.contains(&answer) {
        return Err((
            format!("the answer \"{answer}\" of question \"{question}\" is not among its options"),
            format!(
                "make `answer` equal one of: {}",
                options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")
            ),
            Some("answer"),
        ));
    }
    let shuffle = match item.shuffle {
        Field::Absent | Field::Empty => true,
        Field::Typed(b) => b,
        Field::Wrong(other) => {
            return Err((
                format!("`shuffle` of question \"{question}\" must be true or false, not `{other}`"),
                "write `shuffle = false` (YAML: `shuffle: false`) to show the options in the order written, \
                 or remove the key to let each reader see them in an order of their own"
                    .into(),
                Some("shuffle"),
            ));
        }
    };
    Ok(Question {
        question,
        options,
        answer,
        explanation: field(item.explanation).unwrap_or_default(),
        shuffle,
        offset,
    })
}

/// An `[extra]` key as the facts box labels it: `atomic_number` →
/// "Atomic number", as Tera's `replace` then `capitalize` do.
pub fn field_label(key: &str) -> String {
    let words = key.replace('_', " ").to_lowercase();
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `YYYY-MM-DD` naming a real day, optionally followed by a time of day
/// Lode reads (see [`FrontDate::parse`]).
fn is_date(s: &str) -> bool {
    FrontDate::parse(s).is_ok()
}

/// What the hint of a date diagnostic says: the forms Lode reads.
const DATE_FORMS: &str = "write a date as YYYY-MM-DD (`2025-02-17`, a YAML or TOML date), or a date-time as RFC 3339 (`2025-02-17T10:30:00+05:30`; without an offset it is UTC)";

/// A front-matter `date` or `updated` as Lode reads it: a day, and maybe a
/// time of day with its offset from UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrontDate {
    /// The day, as written (a day of the Gregorian calendar).
    pub day: time::Date,
    /// The time of day, if one is written.
    pub time: Option<time::Time>,
    /// The offset from UTC written after the time; `None` reads as UTC.
    pub offset: Option<time::UtcOffset>,
}

/// Why a front-matter value is not a [`FrontDate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// It does not start `YYYY-MM-DD`: it is not written as a date at all.
    NotADate,
    /// It is written as a date but names no real day or time; the text says
    /// what is wrong ("February 2025 has 28 days").
    Impossible(String),
}

impl FrontDate {
    /// Reads `YYYY-MM-DD`, optionally followed by `T` (or spaces, as YAML
    /// writes it) and a time `HH:MM[:SS[.fraction]]`, then optionally (after
    /// spaces, in YAML) `Z` or an offset `±HH[:MM]`. TOML's dates and
    /// date-times reach Lode in this form too.
    pub fn parse(s: &str) -> Result<Self, DateError> {
        let b = s.as_bytes();
        let shape = b.len() >= 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b[..10].iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
            && (b.len() == 10 || matches!(b[10], b'T' | b't' | b' ' | b'\t'));
        if !shape {
            return Err(DateError::NotADate);
        }
        let number = |r: std::ops::Range<usize>| s[r].parse::<u8>().unwrap_or(u8::MAX);
        let year: i32 = s[..4].parse().map_err(|_| DateError::NotADate)?;
        let (month, day) = (number(5..7), number(8..10));
        let impossible = |why: String| Err(DateError::Impossible(why));
        let Ok(month) = time::Month::try_from(month) else {
            return impossible(format!("there is no month {month:02}: months run from 01 to 12"));
        };
        let days = time::util::days_in_month(month, year);
        let Ok(date) = time::Date::from_calendar_date(year, month, day) else {
            return impossible(if day == 0 {
                "there is no day 00: days start at 01".to_string()
            } else {
                format!("{month} {year} has {days} days")
            });
        };
        let rest = s[10..].trim_start_matches(['T', 't', ' ', '\t']);
        if rest.is_empty() {
            return if s.len() == 10 {
                Ok(FrontDate { day: date, time: None, offset: None })
            } else {
                impossible(format!("`{}` is followed by no time", &s[..10]))
            };
        }
        let (time, offset) = read_time(rest).map_err(DateError::Impossible)?;
        Ok(FrontDate { day: date, time: Some(time), offset })
    }

    /// As the RFC 3339 date-time Atom requires: midnight UTC when no time
    /// is written, UTC when no offset is.
    pub fn rfc3339(&self) -> String {
        let time = self.time.unwrap_or(time::Time::MIDNIGHT);
        let nanos = time.nanosecond();
        let fraction = if nanos == 0 {
            String::new()
        } else {
            format!(".{}", format!("{nanos:09}").trim_end_matches('0'))
        };
        let offset = match self.offset.filter(|o| !o.is_utc()) {
            None => "Z".to_string(),
            Some(o) => {
                let sign = if o.is_negative() { '-' } else { '+' };
                format!(
                    "{sign}{:02}:{:02}",
                    o.whole_hours().unsigned_abs(),
                    o.minutes_past_hour().unsigned_abs()
                )
            }
        };
        let (h, m, sec) = time.as_hms();
        format!("{}T{h:02}:{m:02}:{sec:02}{fraction}{offset}", self.day)
    }
}

/// Reads `HH:MM[:SS[.fraction]]` and an optional offset (`Z`, `±HH[:MM]`,
/// `±HHMM`, after optional spaces); the error says what is wrong.
fn read_time(text: &str) -> Result<(time::Time, Option<time::UtcOffset>), String> {
    let end = text.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(text.len());
    let (clock, offset) = text.split_at(end);
    let not_a_time = || format!("`{text}` is not a time of day HH:MM or HH:MM:SS");
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (hms, f),
        Some(_) => return Err(not_a_time()),
        None => (clock, ""),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let two_digits = |p: &&str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if !matches!(parts.len(), 2 | 3)
        || !parts.iter().all(two_digits)
        || parts[1..].iter().any(|p| p.len() != 2)
    {
        return Err(not_a_time());
    }
    let n = |i: usize| parts.get(i).map_or(0, |p| p.parse::<u8>().unwrap_or(u8::MAX));
    let (hour, minute, second) = (n(0), n(1), n(2));
    let nanos: u32 = format!("{:0<9}", &fraction[..fraction.len().min(9)]).parse().unwrap_or(0);
    let time = time::Time::from_hms_nano(hour, minute, second, nanos).map_err(|_| {
        if hour > 23 {
            format!("there is no hour {hour}: hours run from 00 to 23")
        } else if minute > 59 {
            format!("there is no minute {minute}: minutes run from 00 to 59")
        } else {
            format!("there is no second {second}: seconds run from 00 to 59")
        }
    })?;
    let offset = offset.trim_start_matches([' ', '\t']);
    let offset = match offset {
        "" => None,
        "Z" | "z" => Some(time::UtcOffset::UTC),
        o => Some(read_offset(o).ok_or_else(|| {
            format!("`{o}` is not an offset from UTC: write `Z`, or `+05:30` after the time")
        })??),
    };
    Ok((time, offset))
}

/// Reads `±H`, `±HH`, `±HH:MM` or `±HHMM`: `None` when it is not written so,
/// an error when it is but is out of range.
fn read_offset(o: &str) -> Option<Result<time::UtcOffset, String>> {
    let sign: i8 = match o.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = o[1..].replace(':', "");
    if !digits.bytes().all(|b| b.is_ascii_digit()) || o[1..].matches(':').count() > 1 {
        return None;
    }
    let (h, m) = match (digits.len(), o[1..].find(':')) {
        (1 | 2, None) => (&digits[..], "0"),
        (4, None) | (4, Some(2)) => (&digits[..2], &digits[2..]),
        _ => return None,
    };
    let (h, m): (i8, i8) = (h.parse().ok()?, m.parse().ok()?);
    Some(
        time::UtcOffset::from_hms(sign * h, sign * m, 0)
            .ok()
            .filter(|_| m < 60 && h < 24)
            .ok_or_else(|| format!("there is no offset `{o}`: offsets run from -23:59 to +23:59")),
    )
}

/// Whether `month` names a month (01–12), as the `time` crate's calendar says.
fn real_month(month: &str) -> bool {
    month.parse::<u8>().is_ok_and(|m| time::Month::try_from(m).is_ok())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_partial_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && real_month(m),
        [_, _, _] => is_date(s),
        _ => false,
    }
}

/// The known key that `key` is probably a misspelling of, if any.
fn near_miss(key: &str) -> Option<&'static str> {
    near_miss_in(key, KNOWN_KEYS)
}

/// The keys of a `[[questions]]` entry.
const QUESTION_KEYS: &[&str] = &["question", "options", "answer", "explanation", "shuffle"];

/// The keys of a `[[sources]]` entry.
const SOURCE_KEYS: &[&str] = &["id", "title", "publisher", "date", "url", "supports"];

/// A warning for each key of a table item that Lode does not read (a
/// `[[sources]]` or `[[questions]]` entry, a share of `[[extra.shares]]`, a
/// table in `cards`), at the key in the item's own lines (`item` is the
/// item's path, e.g. `["sources", "0"]`), naming a near miss when there is
/// one: a misspelt key would otherwise be dropped without a word. `what`
/// names the item in the message ("a source").
fn unknown_item_keys(
    r: &Reading,
    item: &[&str],
    fields: &serde_json::Map<String, Json>,
    known: &[&'static str],
    what: &str,
) -> Vec<Diagnostic> {
    fields
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|key| {
            let path: Vec<&str> = item.iter().copied().chain([key.as_str()]).collect();
            let span = r.key_at(&path);
            let (message, help) = match near_miss_in(key, known) {
                Some(near) => (
                    format!("unknown key `{key}` in {what} looks like a misspelling of `{near}`"),
                    format!("rename it to `{near}`"),
                ),
                None => (
                    format!("unknown key `{key}` in {what} is not read"),
                    format!("{what} reads {}", words(known)),
                ),
            };
            Diagnostic::at(Severity::Warning, r.display, r.text, span, message).with_help(help)
        })
        .collect()
}

/// `keys` quoted as code and listed in words: "`a`, `b` and `c`".
fn words(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The key of `known` that `key` is probably a misspelling of, if any
/// (Damerau–Levenshtein distance 1, or 2 for keys longer than 5 bytes).
fn near_miss_in(key: &str, known: &[&'static str]) -> Option<&'static str> {
    known
        .iter()
        .copied()
        .filter(|known| *known != key)
        .map(|known| (known, strsim::damerau_levenshtein(key, known)))
        .filter(|(known, d)| *d <= if known.len() > 5 { 2 } else { 1 })
        .min_by_key(|(_, d)| *d)
        .map(|(known, _)| known)
}

/// The scans of the questions' explanations, shown on the note's page with
/// its body: their ids keep clear of the body's, the front matter's and
/// each other's.
fn explanation_scans(front: &FrontMatter, body: &scan::Scan) -> Vec<scan::Scan> {
    let mut taken = front.page_ids();
    taken.extend(body.headings.iter().map(|h| h.id.clone()));
    taken.extend(body.footnotes.iter().flat_map(|f| [f.id.clone(), f.ref_id.clone()]));
    let mut scans = Vec::new();
    for q in &front.questions {
        let scan = scan::scan_keeping(&q.explanation, &taken);
        taken.extend(scan.headings.iter().map(|h| h.id.clone()));
        taken.extend(scan.footnotes.iter().flat_map(|f| [f.id.clone(), f.ref_id.clone()]));
        scans.push(scan);
    }
    scans
}

/// The title of a note with none in its front matter and no `# heading`:
/// its file name with `-` and `_` read as spaces (`rare-earths.md` → "rare
/// earths"); for a collection's `_index.md`, its folder's name (Zola's and
/// Hugo's sections have such files too), and "Home" for the home page.
fn title_from_name(path: &SourcePath) -> String {
    let name = match path.is_collection_index() {
        true => path.folder().rsplit('/').next().filter(|f| !f.is_empty()).unwrap_or("Home"),
        false => path.stem(),
    };
    name.replace(['-', '_'], " ").trim().to_string()
}

/// The slug of `text`: lowercase ASCII words joined by `-`, non-Latin
/// letters transliterated (`"Rare earths (REE)"` → `rare-earths-ree`).
/// One function serves permalinks, heading ids and tags (a tag through
/// [`tag_slug`], one segment at a time).
pub fn slugify(text: &str) -> String {
    // Most file names are slugs already: skip the transliteration then.
    let is_slug = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--");
    if is_slug {
        return text.to_string();
    }
    let s = slug::slugify(text);
    if s.is_empty() { "_".into() } else { s }
}

/// The slug of tag `name`, its page being `tags/<slug>/`: each of its
/// `/`-separated segments slugged with [`slugify`] (so lowercase: tags are
/// case-insensitive, as in Obsidian) and joined by `/`, empty segments left
/// out (`Gs3/Economy` → `gs3/economy`, `a//b/` → `a/b`), so that a nested
/// tag's page is under its parent's (`tags/gs3/economy/`). A name with no
/// segment at all (`/`) is `_`.
pub fn tag_slug(name: &str) -> String {
    if !name.contains('/') {
        return slugify(name.trim());
    }
    let slug: Vec<String> = name.split('/').map(str::trim).filter(|s| !s.is_empty()).map(slugify).collect();
    if slug.is_empty() { "_".into() } else { slug.join("/") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_tag_is_slugged_per_segment() {
        assert_eq!(tag_slug("Gs3/Economy/Rare earths"), "gs3/economy/rare-earths");
        assert_eq!(tag_slug("a//b/"), "a/b");
        assert_eq!(tag_slug("Battery mineral"), "battery-mineral");
        assert_eq!(tag_slug("/"), "_");
    }

    fn note(text: &str, strictness: Strictness) -> Result<(Note, Vec<Diagnostic>), Vec<Diagnostic>> {
        parse_with(SourceFile { path: SourcePath::new("a.md"), text: text.to_string() }, strictness)
    }

    /// A YAML key written twice: an error when strict; when lenient a
    /// warning, and the last value stands (as YAML parsers that accept it
    /// do). A key repeated in another map, or a list item, is no duplicate.
    #[test]
    fn a_yaml_key_written_twice_is_reported() {
        let text = "---\ntitle: A\ntags: [x]\ntitle: Bee\n---\nBody.\n";
        let errors = note(text, Strictness::Strict).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].line, errors[0].column), (4, 1));
        assert_eq!(errors[0].related[0].line, 2);
        let (lenient, warnings) = note(text, Strictness::Lenient).unwrap();
        assert_eq!(lenient.title, "Bee");
        assert!(warnings.iter().any(|w| w.message.starts_with("`title` is written twice")), "{warnings:?}");
        let fine = "---\ntitle: A\nextra:\n  title: B\nlist:\n- title: C\n- title: D\n---\n";
        assert!(note(fine, Strictness::Strict).is_ok());
        let nested = "---\nextra:\n  a: 1\n  a: 2\n---\n";
        let errors = note(nested, Strictness::Strict).unwrap_err();
        assert_eq!(errors[0].message, "`extra.a` is written twice in the front matter (first on line 3)");
    }

    fn both(text: &str) -> Vec<(Note, Vec<Diagnostic>)> {
        [Strictness::Strict, Strictness::Lenient]
            .into_iter()
            .map(|s| note(text, s).unwrap_or_else(|e| panic!("{s:?}: {e:?}")))
            .collect()
    }

    #[test]
    fn an_empty_value_is_no_value_in_both_modes() {
        let text = "---\ntitle:\ntags:\naliases:\n  -\n  - \ndescription:\ndate:\nweight:\ndraft:\nextra:\nmine:\n---\n# Heading\n";
        for (note, warnings) in both(text) {
            assert!(warnings.is_empty(), "{warnings:?}");
            let f = &note.front;
            assert_eq!(note.title, "Heading");
            assert!(f.tags.is_empty() && f.aliases.is_empty());
            assert_eq!((&f.summary, &f.date, f.weight, f.draft), (&None, &None, None, false));
            assert_eq!(f.extra, Json::Object(Map::new()));
            assert_eq!(f.properties.get("mine"), Some(&Json::Null), "kept as written");
        }
    }

    #[test]
    fn one_value_is_a_one_item_list_and_tags_are_read_as_obsidian_reads_them() {
        let text = "---\ntags: physics, '#optics'  waves\naliases: Li, the light metal\n---\n";
        for (note, _) in both(text) {
            assert_eq!(note.front.tags, ["physics", "'#optics'", "waves"]);
            assert_eq!(note.front.aliases, ["Li, the light metal"], "aliases are never split");
        }
        let text = "---\ntags:\n  - \"#physics\"\n  - rare earths\n  -\naliases: Li\n---\n";
        for (note, _) in both(text) {
            assert_eq!(note.front.tags, ["physics", "rare earths"], "list items are kept whole");
            assert_eq!(note.front.aliases, ["Li"]);
        }
        let toml = "+++\ntags = \"#physics\"\n[taxonomies]\ncategories = [\"x\"]\n+++\n";
        assert_eq!(both(toml)[0].0.front.tags, ["physics"]);
    }

    #[test]
    fn zola_taxonomies_give_the_tags_when_there_are_none() {
        let text = "+++\ntitle = \"Post\"\ntemplate = \"page.html\"\n[taxonomies]\ntags = [\"rust\", \"ssg\"]\n[extra]\nlang = \"en\"\n+++\nBody.\n";
        for (note, _) in both(text) {
            assert_eq!(note.front.tags, ["rust", "ssg"]);
            assert!(note.front.properties.contains_key("taxonomies"));
        }
    }

    #[test]
    fn numbers_in_lists_are_text_when_lenient_and_an_error_when_strict() {
        let text = "---\ntags: [2024, true, physics]\naliases: 42\n---\n";
        let errors = note(text, Strictness::Strict).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(errors[0].message.contains("`aliases` must be a list of strings"), "{errors:?}");
        let (lenient, warnings) = note(text, Strictness::Lenient).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(lenient.front.tags, ["2024", "true", "physics"]);
        assert_eq!(lenient.front.aliases, ["42"]);
    }

    #[test]
    fn a_map_in_tags_is_dropped_with_a_warning_at_its_line_when_lenient() {
        let text = "---\ntitle: A\ntags:\n- physics\n- name: optics\n  level: 2\n- chemistry\n---\n";
        let (note, warnings) = note(text, Strictness::Lenient).unwrap();
        assert_eq!(note.front.tags, ["physics", "chemistry"]);
        assert_eq!(warnings.len(), 1);
        let w = &warnings[0];
        assert_eq!((w.severity, w.line, w.column), (Severity::Warning, 5, 3));
        assert!(w.message.contains("item 2 of `tags` is a map"), "{}", w.message);
    }

    #[test]
    fn a_wrong_type_is_a_warning_and_ignored_when_lenient() {
        let text = "---\ntitle: 1984\nweight: heavy\ndraft: yes\ndate: soon\nextra: 3\n---\n# Orwell\n";
        let errors = note(text, Strictness::Strict).unwrap_err();
        assert_eq!(errors.len(), 5, "{errors:?}");
        let (note, warnings) = note(text, Strictness::Lenient).unwrap();
        assert_eq!(warnings.len(), 5);
        assert!(warnings.iter().all(|w| w.message.ends_with(": the value is ignored")));
        let mut lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
        lines.sort_unstable();
        assert_eq!(lines, [2, 3, 4, 5, 6]);
        let f = &note.front;
        assert_eq!((note.title.as_str(), f.weight, f.draft, &f.date), ("Orwell", None, false, &None));
        assert!(!f.properties.contains_key("weight"), "an ignored value is not moved elsewhere");
    }

    #[test]
    fn unparseable_front_matter_leaves_the_body_when_lenient() {
        let text = "---\ntitle: A\ntags: [one, two\n---\nBody with [[B]].\n";
        assert!(note(text, Strictness::Strict).is_err());
        let (note, warnings) = note(text, Strictness::Lenient).unwrap();
        assert_eq!(note.body(), "Body with [[B]].\n");
        assert_eq!(note.title, "a");
        assert_eq!(note.scan.links.len(), 1);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.ends_with("the note is built without its front matter"));
        assert_eq!(warnings[0].severity, Severity::Warning);

        let unclosed = "---\ntitle: A\nBody.\n";
        assert!(super::parse(SourceFile { path: SourcePath::new("a.md"), text: unclosed.into() }).is_err());
        let (note, warnings) = parse_with(
            SourceFile { path: SourcePath::new("a.md"), text: unclosed.into() },
            Strictness::Lenient,
        )
        .unwrap();
        assert_eq!(note.body(), unclosed);
        assert_eq!((warnings[0].line, warnings[0].severity), (1, Severity::Warning));
    }

    /// Titles, aliases and tags typed in decomposed Unicode (NFD: `e` and
    /// U+0301) are read in the composed form (NFC), as file names are.
    #[test]
    fn titles_aliases_and_tags_are_read_in_nfc() {
        let text = "---\ntitle: Cafe\u{301}\naliases: [Ame\u{301}lie]\ntags: [re\u{301}sume\u{301}]\n---\n";
        let (n, _) = note(text, Strictness::Strict).unwrap();
        assert_eq!(n.title, "Caf\u{e9}");
        assert_eq!(n.front.title.as_deref(), Some("Caf\u{e9}"));
        assert_eq!(n.front.aliases, ["Am\u{e9}lie"]);
        assert_eq!(n.front.tags, ["r\u{e9}sum\u{e9}"]);
        let (n, _) = note("# Nai\u{308}ve\n", Strictness::Strict).unwrap();
        assert_eq!(n.title, "Na\u{ef}ve");
    }

    /// A syntax error keeps its parser's words, located once in file lines:
    /// no "at line …" left in the message, which the location already gives.
    #[test]
    fn syntax_errors_are_located_in_file_lines_once() {
        for (text, line, column, words) in [
            ("---\ntitle: A\nsummary: x: y\n---\n", 3, 11, "mapping values are not allowed"),
            ("\u{feff}---\n\ntitle: A\nsummary: x: y\n---\n", 4, 11, "mapping values are not allowed"),
            ("---\nlist:\n  - a\n - b\n---\n", 4, 2, "did not find expected key"),
            ("+++\ntitle = \"A\"\ntitle = \"B\"\n+++\n", 3, 1, "`title` is written twice"),
        ] {
            let problems = note(text, Strictness::Strict).unwrap_err();
            let d = &problems[0];
            assert_eq!((d.line, d.column), (line, column), "{text:?}: {d:?}");
            assert!(d.message.contains(words), "{d:?}");
            assert!(!d.message.contains(" at line "), "{d:?}");
            assert!(!d.message.contains("column"), "{d:?}");
        }
    }

    /// An unclosed block points at the line that was probably meant to
    /// close it, after a BOM too, and says what to write.
    #[test]
    fn an_unclosed_block_points_at_the_likely_closing_line() {
        let problems = note("\u{feff}---\ntitle: A\n- -\n--\nBody.\n---x\n", Strictness::Strict).unwrap_err();
        let d = &problems[0];
        assert_eq!((d.line, d.column), (4, 1));
        assert_eq!(d.message, "this line was probably meant to close the front matter: write `---`");
        assert_eq!((d.related[0].line, d.related[0].column), (1, 1));
        let problems = note("\u{feff}+++\ntitle = \"A\"\nBody.\n", Strictness::Strict).unwrap_err();
        assert_eq!((problems[0].line, problems[0].column, problems[0].span.clone()), (1, 1, 3..6));
        for (line, fence) in [
            ("++", "+++"),
            ("++++", "+++"),
            ("+++ x", "+++"),
            ("—-", "---"),
            ("–—", "---"),
            ("--- end", "---"),
        ] {
            assert!(looks_like_a_closing_fence(line, fence), "{line}");
        }
        for (line, fence) in [("-", "---"), ("- item", "---"), ("--", "+++"), ("a --", "---"), ("", "---")] {
            assert!(!looks_like_a_closing_fence(line, fence), "{line}");
        }
    }

    /// Whatever is wrong with a note's front matter, a lenient read gives a
    /// note and warnings: every note of the broken fixture sites.
    #[test]
    fn a_lenient_read_never_fails() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
        let mut read = 0;
        for entry in walkdir::WalkDir::new(&fixtures).into_iter().map(Result::unwrap) {
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            let text = crate::diagnostics::source_text(std::fs::read(entry.path()).unwrap());
            let file = SourceFile { path: SourcePath::new("a.md"), text };
            let (_, warnings) = parse_with(file, Strictness::Lenient)
                .unwrap_or_else(|e| panic!("{}: {e:?}", entry.path().display()));
            assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
            read += 1;
        }
        assert!(read > 40, "{read} notes read");
    }

    #[test]
    fn a_file_that_is_not_utf8_is_read_lossily_when_lenient() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.md"), b"# A\n\0x \xFF\xFE y\n").unwrap();
        let strict = read(dir.path(), SourcePath::new("a.md")).unwrap_err();
        assert_eq!((strict.severity, strict.line, strict.column), (Severity::Error, 2, 4));
        // The offset counts the file's bytes (the NUL is one), not the decoded text's.
        assert_eq!(strict.message, "byte 0xFF at offset 7 is not UTF-8");
        let (file, warning) = read_with(dir.path(), SourcePath::new("a.md"), Strictness::Lenient).unwrap();
        assert_eq!(file.text, "# A\n\u{FFFD}x \u{FFFD}\u{FFFD} y\n");
        let w = warning.unwrap();
        assert_eq!((w.severity, w.line, w.column), (Severity::Warning, 2, 4));
        assert_eq!(&file.text[w.span.clone()], "\u{FFFD}");
    }

    /// Every problem of `text` (as `path`) as (line, column, message).
    fn located(path: &str, text: &str, strictness: Strictness) -> Vec<(usize, usize, String)> {
        let file = SourceFile { path: SourcePath::new(path), text: text.to_string() };
        let problems = match parse_with(file, strictness) {
            Ok((_, warnings)) => warnings,
            Err(errors) => errors,
        };
        problems.into_iter().map(|d| (d.line, d.column, d.message)).collect()
    }

    /// Asserts that `text` has a problem starting with `message` at `line`:`column`.
    fn assert_at(path: &str, text: &str, strictness: Strictness, message: &str, line: usize, column: usize) {
        let all = located(path, text, strictness);
        let found: Vec<_> = all.iter().filter(|(_, _, m)| m.starts_with(message)).collect();
        assert!(
            found.iter().any(|(l, c, _)| (*l, *c) == (line, column)),
            "`{message}` expected at {line}:{column}; problems: {all:?}"
        );
    }

    #[test]
    fn a_key_written_earlier_inside_a_string_is_not_taken_for_the_key() {
        // The parser knows `weight = 3` on line 3 is text of `summary`.
        let text = "+++\nsummary = \"\"\"\nweight = 3\n\"\"\"\nweight = \"heavy\"\n+++\nBody\n";
        assert_at("a.md", text, Strictness::Strict, "`weight` must be a whole number", 5, 10);
        let text = "+++\n[[questions]]\nquestion = \"Does shuffle = true mix them?\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\nshuffle = \"yes\"\n+++\n";
        assert_at("a.md", text, Strictness::Strict, "`shuffle` of question", 6, 11);
        let text = "+++\ntitle = \"t\"\n[extra]\nnote = \"\"\"\nbudget = 1\n\"\"\"\nbudget = 5\n+++\n";
        let (note, _) = note(text, Strictness::Strict).unwrap();
        let at = key_offset_in(&note, Some("extra"), "budget").unwrap();
        assert_eq!(crate::diagnostics::line_column(text, at), (7, 1));
    }

    #[test]
    fn each_front_matter_problem_is_at_the_key_or_value_the_parser_found() {
        let strict = Strictness::Strict;
        let lenient = Strictness::Lenient;
        // A value of the wrong type, an unknown sort order, a date that is no date: at the value.
        assert_at("a.md", "+++\ntitle =   3\n+++\n", strict, "`title` must be a string", 2, 11);
        assert_at("a.md", "+++\nsort_by = \"size\"\n+++\n", strict, "unknown sort order", 2, 11);
        assert_at(
            "a.md",
            "+++\ndate = \"2025-02-30\"\n+++\n",
            strict,
            "`date = \"2025-02-30\"`: February 2025 has 28 days",
            2,
            8,
        );
        assert_at("a.md", "+++\ndraft = \"no\"\n+++\n", lenient, "`draft` must be true or false", 2, 9);
        // A misspelt key: at the key.
        assert_at(
            "a.md",
            "+++\ntitle = \"titel = x\"\n titel = \"y\"\n+++\n",
            strict,
            "unknown key `titel`",
            3,
            2,
        );
        // A schema field without a type: at its name in the header.
        assert_at(
            "_index.md",
            "+++\n[schema.budget]\nrequired = true\n+++\n",
            strict,
            "schema field `budget`",
            2,
            9,
        );
        // The n-th event: at its header.
        let events = "+++\n[[events]]\ndate = \"2024\"\ntitle = \"a\"\n\n[[events]]\ntitle = \"b\"\n+++\n";
        assert_at("a.md", events, strict, "an event needs", 6, 1);
        // A key of the n-th question, and a question's missing answer.
        let questions = "+++\n[[questions]]\nquestion = \"explaination = is misspelt\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\n\n[[questions]]\nquestion = \"q\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\n  explaination = \"x\"\n+++\n";
        assert_at("a.md", questions, strict, "unknown key `explaination` in a `[[questions]]`", 11, 3);
        let unanswered = "+++\n[[questions]]\nquestion = \"q\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\n\n[[questions]]\nquestion = \"r\"\noptions = [\"a\", \"b\"]\n+++\n";
        assert_at("a.md", unanswered, strict, "question \"r\" has no `answer`", 7, 1);
        // Inline questions: at the item.
        let inline = "+++\nquestions = [ { question = \"q\", options = [\"a\"] } ]\n+++\n";
        assert_at("a.md", inline, strict, "question \"q\" needs at least two", 2, 15);
        // A source's field: at its value; an unknown key of a source: at the key.
        let sources = "+++\n[[sources]]\ntitle = \"url = here\"\nurl = \"ftp://x\"\n+++\n";
        assert_at("a.md", sources, strict, "the `url` of source `s1` is not an http(s) URL", 4, 7);
        let sources = "+++\n[[sources]]\ntitle = \"publsher = x\"\n\npublsher = \"p\"\n+++\n";
        assert_at("a.md", sources, strict, "unknown key `publsher` in a source", 5, 1);
        // A corrected field `[extra]` lacks: at its key; an empty one: at its value.
        let corrected = "+++\n[extra]\nshare = 1\n[corrected]\nshare = \"\"\nbudget = \"2\"\n+++\n> [!correction] [x](https://a.example)\n";
        assert_at("a.md", corrected, lenient, "`corrected` names the field `budget`", 6, 1);
        assert_at("a.md", corrected, lenient, "`corrected.share` must be text", 5, 9);
        // A card of a collection's `cards`: at the item, its unknown key at the key.
        let cards = "+++\ncards = [\"a\", { field = \"b\", lable = \"B\" }, \"a\"]\n+++\n";
        assert_at("_index.md", cards, strict, "unknown key `lable` in a card", 2, 30);
        assert_at("_index.md", cards, strict, "`a` is already in `cards`", 2, 45);
        // An item of `tags` that is a map, when lenient: at the item.
        assert_at(
            "a.md",
            "+++\ntags = [\"a\", { b = 1 }]\n+++\n",
            lenient,
            "item 2 of `tags` is a map",
            2,
            14,
        );
        // `corrected` without a correction callout: at the key.
        let uncalled = "+++\n[extra]\nshare = 1\n# corrected\n[corrected]\nshare = \"2\"\n+++\nBody\n";
        assert_at("a.md", uncalled, strict, "`corrected` marks", 5, 2);
    }

    #[test]
    fn a_question_explanation_starts_after_its_quotes() {
        let text = "+++\n[[questions]]\nquestion = \"q\"\noptions = [\"a\", \"b\"]\nanswer = \"a\"\nexplanation = \"\"\"\nSee [[b]].\"\"\"\n+++\n";
        let (note, _) = note(text, Strictness::Strict).unwrap();
        let at = string_value_offset(&note, "questions", "explanation", 0).unwrap();
        assert!(text[at..].starts_with("See [[b]]"), "{:?}", &text[at..]);
    }

    #[test]
    fn yaml_problems_are_at_the_key_or_value_the_parser_found() {
        let strict = Strictness::Strict;
        let lenient = Strictness::Lenient;
        // A key written earlier inside a (block) string.
        let text = "---\nsummary: |\n  weight: 3\nweight: heavy\n---\n";
        assert_at("a.md", text, strict, "`weight` must be a whole number", 4, 9);
        assert_at("a.md", "---\ntitle:   [1]\n---\n", strict, "`title` must be a string", 2, 10);
        assert_at(
            "a.md",
            "---\ndate: \"2025-02-30\"\n---\n",
            strict,
            "`date: \"2025-02-30\"`: February 2025 has 28 days",
            2,
            7,
        );
        assert_at("a.md", "---\ntitle: 'titel: x'\ntitel: y\n---\n", strict, "unknown key `titel`", 3, 1);
        let questions = "---\nquestions:\n  - question: \"shuffle: on?\"\n    options: [a, b]\n    answer: a\n    shuffle: maybe\n---\n";
        assert_at("a.md", questions, strict, "`shuffle` of question", 6, 14);
        let questions = "---\nquestions:\n  - question: q\n    options: [a, b]\n    answer: a\n  - question: r\n    options: [a, b]\n    explaination: x\n    answer: a\n---\n";
        assert_at("a.md", questions, strict, "unknown key `explaination`", 8, 5);
        let unanswered = "---\nquestions:\n  - question: q\n    options: [a, b]\n    answer: a\n  - question: r\n    options: [a, b]\n---\n";
        assert_at("a.md", unanswered, strict, "question \"r\" has no `answer`", 6, 5);
        let sources = "---\nsources:\n  - title: \"url: x\"\n    url: ftp://x\n---\n";
        assert_at("a.md", sources, strict, "the `url` of source `s1`", 4, 10);
        assert_at("a.md", "---\ntags:\n  - a\n  - {b: 1}\n---\n", lenient, "item 2 of `tags` is a map", 4, 5);
        let cards = "---\ncards:\n  - a\n  - field: b\n    lable: B\n---\n";
        assert_at("_index.md", cards, strict, "unknown key `lable` in a card", 5, 5);
        let corrected = "---\nextra:\n  share: 1\n# corrected\ncorrected:\n  budget: \"2\"\n---\n> [!correction] [x](https://a.example)\n";
        assert_at("a.md", corrected, lenient, "`corrected` names the field `budget`", 6, 3);
    }

    #[test]
    fn a_yaml_key_written_earlier_inside_a_block_string_is_not_taken_for_the_key() {
        let text = "---\nextra:\n  note: |\n    budget: 1\n  budget: 5\n---\n";
        let (note, _) = note(text, Strictness::Strict).unwrap();
        let at = key_offset_in(&note, Some("extra"), "budget").unwrap();
        assert_eq!(crate::diagnostics::line_column(text, at), (5, 3));
    }

    #[test]
    fn every_known_key_but_description_is_a_field_of_keys() {
        // `description` is read for `summary` only when there is none, so it
        // stays a property otherwise; every other known key is typed.
        let all: Map<String, Json> = KNOWN_KEYS.iter().map(|k| (k.to_string(), Json::from(1))).collect();
        let keys = Keys::deserialize(Json::Object(all)).unwrap();
        assert_eq!(keys.properties.keys().collect::<Vec<_>>(), ["description"]);
        assert!(matches!(keys.weight, Field::Typed(1)));
        assert!(matches!(keys.title, Field::Wrong(Json::Number(_))));
    }

    /// One function warns about the unknown keys of every list of tables
    /// (sources, questions, shares, cards), so a share's misspelt key names
    /// its near miss too.
    #[test]
    fn an_unknown_key_of_a_share_names_its_near_miss() {
        let text = "+++\ntitle = \"A\"\n[[extra.shares]]\nlable = \"Mining\"\nvalue = 70\ncolour = \"red\"\n+++\nBody.\n";
        // Lenient: the share without a `label` is a warning, not an error.
        let (_, warnings) = note(text, Strictness::Lenient).unwrap();
        let found: Vec<_> =
            warnings.iter().map(|w| (w.line, w.column, w.message.as_str(), w.help.as_deref())).collect();
        assert_eq!(
            found[..2],
            [
                (
                    4,
                    1,
                    "unknown key `lable` in a share looks like a misspelling of `label`",
                    Some("rename it to `label`")
                ),
                (
                    6,
                    1,
                    "unknown key `colour` in a share is not read",
                    Some("a share reads `label`, `value`, `shown` and `text`")
                ),
            ]
        );
    }

    /// Items are deserialized into structs only when they are tables: serde
    /// would fill a struct from a list by position.
    #[test]
    fn an_item_written_as_a_list_is_not_read_as_a_table() {
        let text = "+++\nevents = [[\"2023-09\", \"Launch\"]]\n[schema.x]\nrequired = true\n+++\n";
        let problems = note(text, Strictness::Strict).unwrap_err();
        let messages: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "schema field `x` needs a `type`",
                "an event needs `date` (YYYY, YYYY-MM or YYYY-MM-DD) and `title`"
            ]
        );
        let (note, _) = note(text, Strictness::Lenient).unwrap();
        assert!(note.front.events.is_empty() && note.front.schema.is_empty());
    }

    #[test]
    fn a_wrong_key_keeps_its_value_and_the_others_are_still_read() {
        let raw =
            serde_json::json!({"title": ["a"], "weight": "3", "tags": null, "draft": true, "mine": {"x": 1}});
        let keys = Keys::deserialize(raw).unwrap();
        assert!(matches!(keys.title, Field::Wrong(Json::Array(_))));
        assert!(matches!(keys.weight, Field::Wrong(Json::String(ref s)) if s == "3"));
        assert!(matches!(keys.tags, Field::Empty));
        assert!(matches!(keys.aliases, Field::Absent));
        assert!(matches!(keys.draft, Field::Typed(true)));
        assert_eq!(keys.properties.get("mine"), Some(&serde_json::json!({"x": 1})));
    }

    #[test]
    fn an_impossible_date_says_what_is_wrong() {
        let why = |s: &str| match FrontDate::parse(s) {
            Err(DateError::Impossible(why)) => why,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(why("2025-02-30"), "February 2025 has 28 days");
        assert_eq!(why("2024-02-30"), "February 2024 has 29 days");
        assert_eq!(why("2025-04-31"), "April 2025 has 30 days");
        assert_eq!(why("2025-00-10"), "there is no month 00: months run from 01 to 12");
        assert_eq!(why("2025-03-00"), "there is no day 00: days start at 01");
        assert_eq!(why("2025-03-01T10:60"), "there is no minute 60: minutes run from 00 to 59");
        assert_eq!(
            why("2025-03-01 10:00 +24:00"),
            "there is no offset `+24:00`: offsets run from -23:59 to +23:59"
        );
        assert_eq!(FrontDate::parse("soon"), Err(DateError::NotADate));
        let at = FrontDate::parse("2025-02-13 00:30:00 +05:30").unwrap();
        assert_eq!(at.offset, time::UtcOffset::from_hms(5, 30, 0).ok());
        assert_eq!(at.rfc3339(), "2025-02-13T00:30:00+05:30");
    }

    #[test]
    fn dates_are_days_of_the_calendar_and_urls_are_http_with_a_host() {
        for day in ["2024-02-29", "2000-02-29", "2025-12-31", "2025-01-29T10:00:00Z", "2025-01-29 10:00"] {
            assert!(is_date(day), "{day}");
        }
        for not in [
            "2025-02-29",
            "1900-02-29",
            "2025-13-01",
            "2025-04-31",
            "2025-00-10",
            "2025-1-10",
            "soon",
            "2025-02-17 after lunch",
            "2025-02-17T24:00:00",
            "2025-02-17T10:30:00+5:3",
        ] {
            assert!(!is_date(not), "{not}");
        }
        for partial in ["2025", "2025-02", "2024-02-29"] {
            assert!(is_partial_date(partial), "{partial}");
        }
        for not in ["2025-13", "25", "2025-02-30", "2025-2"] {
            assert!(!is_partial_date(not), "{not}");
        }
        for url in ["https://pib.gov.in/x?y#z", "http://localhost:1111", "HTTPS://EXAMPLE.ORG"] {
            assert!(is_web_url(url), "{url}");
        }
        for not in [
            "www.pib.gov.in",
            "https://",
            "https://:80/",
            "https://.example",
            "ftp://x",
            "https:x.org",
            "http://a b",
        ] {
            assert!(!is_web_url(not), "{not}");
        }
    }
}
