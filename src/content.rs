//! Loading the content tree and reading each note's front matter.
//!
//! `load` walks `content/` and returns every Markdown file as a
//! [`SourceFile`] plus every other file as an asset; `parse` splits a source
//! file into front matter and body, reads the known keys, and scans the body
//! for headings and links (see [`crate::markdown::scan`]).

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::diagnostics::{Diagnostic, Severity};
use crate::markdown::{self, Scan};

/// The folder of the notes, at the site root.
pub const CONTENT_DIR: &str = "content";

/// File stem of a collection's archetype (`content/minerals/_archetype.md`):
/// the starting text `lode new` gives that collection's notes. Never built.
pub const ARCHETYPE_STEM: &str = "_archetype";

/// A file's path relative to `content/`, with `/` separators
/// (`minerals/lithium.md`). Never absolute, never containing `..`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SourcePath(String);

impl SourcePath {
    /// Wraps a path relative to `content/`; `\` separators become `/`.
    pub fn new(relative: &str) -> Self {
        SourcePath(relative.replace('\\', "/"))
    }

    /// The path as text, relative to `content/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folder part (`minerals` for `minerals/lithium.md`, `` at the top).
    pub fn folder(&self) -> &str {
        self.0.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// The file name without its extension (`lithium`).
    pub fn stem(&self) -> &str {
        let name = self.0.rsplit_once('/').map_or(self.0.as_str(), |(_, name)| name);
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// True for a collection's `_index.md`.
    pub fn is_collection_index(&self) -> bool {
        self.stem() == "_index"
    }

    /// The path relative to the site root, for diagnostics (`content/minerals/lithium.md`).
    pub fn display(&self) -> String {
        format!("{CONTENT_DIR}/{}", self.0)
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
/// folders (`.obsidian/`, `.DS_Store`) are skipped.
///
/// # Errors
/// A diagnostic for a folder that cannot be read.
pub fn list(content_dir: &Path) -> Result<(Vec<SourcePath>, Vec<Asset>), Vec<Diagnostic>> {
    let mut notes = Vec::new();
    let mut assets = Vec::new();
    let mut problems = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(Diagnostic::whole_file(Severity::Error, CONTENT_DIR, e.to_string()));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(content_dir) else { continue };
        let path = SourcePath::new(&relative.to_string_lossy());
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
    if problems.is_empty() { Ok((notes, assets)) } else { Err(problems) }
}

/// Reads one note.
///
/// # Errors
/// A diagnostic naming the file when it cannot be read or is not UTF-8.
pub fn read(content_dir: &Path, path: SourcePath) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(content_dir.join(path.as_str())).map_err(|e| {
        Diagnostic::whole_file(Severity::Error, path.display(), format!("cannot read note: {e}"))
    })?;
    String::from_utf8(bytes)
        .map(|text| SourceFile { path: path.clone(), text: replace_nul(normalize_line_ends(text)) })
        .map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            // Everything before the bad byte is valid, so it locates the byte.
            let lossy = String::from_utf8_lossy(e.as_bytes());
            if let Some(prefix) = lossy.get(..offset) {
                let (line, column) = crate::diagnostics::line_column(prefix, offset);
                return Diagnostic::at(
                    Severity::Error,
                    path.display(),
                    &lossy,
                    offset..offset + 1,
                    format!("not UTF-8 text: invalid byte at byte {offset} (line {line}, column {column})"),
                )
                .with_help("save the note as UTF-8 (most editors offer \"Save with encoding\")");
            }
            Diagnostic::whole_file(
                Severity::Error,
                path.display(),
                format!("not UTF-8 text: invalid byte at byte {offset}"),
            )
            .with_help("save the note as UTF-8 (most editors offer \"Save with encoding\")")
        })
}

/// Turns lone carriage returns (old Mac line ends) into `\n`, byte for byte,
/// so lines count the same for CommonMark and for diagnostics. `\r\n` stays.
/// U+0000 replaced by U+FFFD, as CommonMark requires ("Insecure
/// characters", spec 0.31.2 §2.3), so that no NUL reaches a page.
fn replace_nul(text: String) -> String {
    if text.contains('\0') { text.replace('\0', "\u{FFFD}") } else { text }
}

fn normalize_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

/// Reads every note under `content_dir` and lists every other file as an asset.
///
/// # Errors
/// A diagnostic for each file that could not be read.
pub fn load(content_dir: &Path) -> Result<(Vec<SourceFile>, Vec<Asset>), Vec<Diagnostic>> {
    let (paths, assets) = list(content_dir)?;
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
];

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

/// One field of a collection's schema: `[schema.symbol]` with `type` and `required`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSchema {
    /// The field's name in the notes' `[extra]`.
    pub name: String,
    /// The type its value must have.
    pub kind: FieldType,
    /// Whether every note of the collection must have it.
    pub required: bool,
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
    /// Every other key, kept for templates.
    pub properties: Map<String, Json>,
}

/// A note after its front matter is read and its body scanned.
#[derive(Debug)]
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
}

impl Note {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// A diagnostic at byte range `span` of the body.
    pub fn diagnostic_in_body(
        &self,
        severity: Severity,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let shift = self.body_start;
        Diagnostic::at(
            severity,
            self.path.display(),
            &self.text,
            span.start + shift..span.end + shift,
            message,
        )
    }
}

/// Byte offset of the front-matter line that sets the top-level `key`
/// (`key = …`, `key: …`, or a `[key]` / `[key.…]` table header), or 0.
pub fn key_offset(note: &Note, key: &str) -> usize {
    key_offset_in(note, None, key).unwrap_or(0)
}

/// Splits `file` into front matter and body, reads the known keys, and scans the body.
///
/// Returns the note and its warnings (near-miss keys such as `titel`).
///
/// # Errors
/// Diagnostics at the exact line and column for invalid TOML or YAML, a known
/// key of the wrong type, or a malformed question.
pub fn parse(file: SourceFile) -> Result<(Note, Vec<Diagnostic>), Vec<Diagnostic>> {
    let SourceFile { path, text } = file;
    let display = path.display();
    let block = split_front_matter(&text).map_err(|fence| {
        vec![
            Diagnostic::at(
                Severity::Error,
                &display,
                &text,
                0..fence.len(),
                format!("the front matter opened with `{fence}` on line 1 is never closed"),
            )
            .with_help(format!("add a line with only `{fence}` after the last front-matter key")),
        ]
    })?;
    let (front, body_start, warnings) = match block {
        None => (FrontMatter { extra: Json::Object(Map::new()), ..FrontMatter::default() }, 0, Vec::new()),
        Some(block) => {
            let raw = block.parse(&display, &text).map_err(|d| vec![d])?;
            read_front_matter(raw, &block, &display, &text)?
        }
    };
    let scan = markdown::scan(&text[body_start..]);
    let title = front
        .title
        .clone()
        .or_else(|| scan.first_h1.clone())
        .unwrap_or_else(|| path.stem().replace(['-', '_'], " "));
    let explanation_scans = front.questions.iter().map(|q| markdown::scan(&q.explanation)).collect();
    let note = Note { path, text, body_start, front, title, scan, explanation_scans };
    let mut warnings = warnings;
    warnings.extend(math_warnings(&note));
    Ok((note, warnings))
}

/// A warning for each formula of `note` that cannot be rendered: at the TeX
/// at fault in the body, at the question for one in an explanation.
fn math_warnings(note: &Note) -> Vec<Diagnostic> {
    let help = "fix the TeX (Lode renders LaTeX maths with math-core); until then the page shows it as code";
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
    body.chain(explanations).map(|d| d.with_help(help)).collect()
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

/// Finds a `+++` (TOML) or `---` (YAML) block opening on the file's first
/// line (after an optional UTF-8 BOM). `Err(fence)` when it is never closed.
fn split_front_matter(text: &str) -> Result<Option<Block>, &'static str> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let bom = text.len() - text_no_bom.len();
    let first_line = text_no_bom.split('\n').next().unwrap_or("").trim_end();
    let (syntax, fence) = match first_line {
        "+++" => (Syntax::Toml, "+++"),
        "---" => (Syntax::Yaml, "---"),
        _ => return Ok(None),
    };
    let Some(first_line_end) = text_no_bom.find('\n') else { return Err(fence) };
    let inner_start = bom + first_line_end + 1;
    let mut offset = inner_start;
    for line in text[inner_start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Ok(Some(Block { syntax, inner: inner_start..offset }));
        }
        offset += line.len();
    }
    Err(fence)
}

impl Block {
    /// Where the body starts: after the closing fence's line.
    fn body_start(&self, text: &str) -> usize {
        let close = self.inner.end;
        text[close..].find('\n').map_or(text.len(), |i| close + i + 1)
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

    /// Byte offset of the line defining the top-level `key` (its `n`-th
    /// occurrence for arrays of tables, or the `n`-th item of an inline
    /// array or YAML list of tables), else of the block's start.
    fn key_offset(&self, text: &str, key: &str, n: usize) -> usize {
        let inner = &text[self.inner.clone()];
        if let Some(at) = locate(inner, self.syntax == Syntax::Yaml, None, key, n) {
            return self.inner.start + at;
        }
        // `questions = [ {…}, {…} ]` or a YAML list: the n-th item, found by
        // its first field, which every item of a list of tables shares.
        let field = key.trim_end_matches('s');
        let mut seen = 0;
        let mut offset = 0;
        for line in inner.split_inclusive('\n') {
            let t = line.trim_start();
            let item = t.trim_start_matches(['-', '{', '[', ' ']);
            if item.strip_prefix(field).is_some_and(|r| r.trim_start().starts_with(['=', ':'])) {
                if seen == n {
                    return self.inner.start + offset + (line.len() - t.len());
                }
                seen += 1;
            }
            offset += line.len();
        }
        self.inner.start
    }
}

/// Byte offset in a front-matter block `inner` of the line setting `key` —
/// at the top level when `table` is `None`, else inside `table` (TOML
/// `[table]` / `table.key`, YAML keys indented under `table:`); for
/// `[[key]]` arrays of tables, the `n`-th header.
fn locate(inner: &str, yaml: bool, table: Option<&str>, key: &str, n: usize) -> Option<usize> {
    let mut offset = 0;
    let mut seen = 0;
    let mut current: Option<String> = None;
    for line in inner.split_inclusive('\n') {
        let t = line.trim_start();
        let indented = t.len() != line.len();
        let sets = |rest: Option<&str>, sep: char| rest.is_some_and(|r| r.trim_start().starts_with(sep));
        let hit = if yaml {
            if !indented && !t.trim().is_empty() && !t.starts_with('#') {
                current = t.split(':').next().map(|k| k.trim().to_string());
            }
            match table {
                None => !indented && t.strip_prefix(key).is_some_and(|r| r.starts_with(':')),
                Some(tb) => {
                    indented
                        && current.as_deref() == Some(tb)
                        && t.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
                }
            }
        } else if let Some(header) = t.strip_prefix('[') {
            let name = header.trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string();
            // `[key]`, `[key.sub]` or `[[key]]` opens the top-level key's table.
            let header_hit = table.is_none() && (name == key || name.starts_with(&format!("{key}.")));
            current = Some(name);
            header_hit
        } else {
            match table {
                None => current.is_none() && sets(t.strip_prefix(key), '='),
                Some(tb) => {
                    (current.as_deref() == Some(tb) && sets(t.strip_prefix(key), '='))
                        || (current.is_none()
                            && t.strip_prefix(tb)
                                .and_then(|r| r.strip_prefix('.'))
                                .is_some_and(|r| sets(r.strip_prefix(key), '=')))
                }
            }
        };
        if hit {
            if seen == n {
                return Some(offset + (line.len() - t.len()));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// Byte offset, in `note`'s file, of the front-matter line setting `key` in
/// `table` (`None`: a top-level key; `Some("extra")`: a key of `[extra]`).
pub fn key_offset_in(note: &Note, table: Option<&str>, key: &str) -> Option<usize> {
    let (start, yaml) = front_matter_inner(note)?;
    let inner = &note.text[start..note.body_start];
    locate(inner, yaml, table, key, 0).map(|at| start + at)
}

/// Byte offset, in `note`'s file, of the start of the string value of the
/// `n`-th `key` inside `table` (just after its opening quote), e.g. a
/// question's `explanation`. `None` when it cannot be found.
pub fn string_value_offset(note: &Note, table: &str, key: &str, n: usize) -> Option<usize> {
    let (start, yaml) = front_matter_inner(note)?;
    let inner = &note.text[start..note.body_start];
    let line_at = start + locate(inner, yaml, Some(table), key, n)?;
    let line = note.text[line_at..].split('\n').next()?;
    let after_key = line.find(['=', ':'])? + 1;
    let quote = line[after_key..].find(['"', '\''])?;
    Some(line_at + after_key + quote + 1)
}

/// Where `note`'s front matter starts (after the opening fence) and whether it is YAML.
fn front_matter_inner(note: &Note) -> Option<(usize, bool)> {
    let text = &note.text[..note.body_start];
    let no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let yaml = no_bom.starts_with("---");
    if !yaml && !no_bom.starts_with("+++") {
        return None;
    }
    let first_line_end = text.find('\n')? + 1;
    Some((first_line_end, yaml))
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

/// Reads the known keys out of `raw`, checking their types.
fn read_front_matter(
    mut raw: Map<String, Json>,
    block: &Block,
    display: &str,
    text: &str,
) -> Result<(FrontMatter, usize, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let at = |key: &str, n: usize| {
        let o = block.key_offset(text, key, n);
        o..o + key.len()
    };
    let type_error = |key: &str, expected: &str| {
        Diagnostic::at(Severity::Error, display, text, at(key, 0), format!("`{key}` must be {expected}"))
            .with_help(format!("write `{key}` as {expected}, or remove it"))
    };
    let mut front = FrontMatter::default();
    let string =
        |raw: &mut Map<String, Json>, key: &str, errors: &mut Vec<Diagnostic>| match raw.remove(key)? {
            Json::String(s) => Some(s),
            _ => {
                errors.push(type_error(key, "a string"));
                None
            }
        };
    front.title = string(&mut raw, "title", &mut errors);
    front.summary = string(&mut raw, "summary", &mut errors);
    if front.summary.is_none() {
        front.summary = string(&mut raw, "description", &mut errors);
    }
    front.template = string(&mut raw, "template", &mut errors);
    front.page_template = string(&mut raw, "page_template", &mut errors);
    front.sort_by = string(&mut raw, "sort_by", &mut errors);
    match raw.remove("schema") {
        None => {}
        Some(Json::Object(fields)) => {
            for (name, spec) in fields {
                let kind = spec.get("type").and_then(Json::as_str).and_then(FieldType::parse);
                let required = spec.get("required").and_then(Json::as_bool).unwrap_or(false);
                match kind {
                    Some(kind) => front.schema.push(FieldSchema { name, kind, required }),
                    None => errors.push(
                        Diagnostic::at(Severity::Error, display, text, at(&format!("schema.{name}"), 0), format!("schema field `{name}` needs a `type`"))
                            .with_help("write `[schema.NAME]` with `type = \"string\"`, \"integer\", \"number\", \"boolean\", \"list\" or \"table\", and `required = true` or `false`"),
                    ),
                }
            }
        }
        Some(_) => errors.push(type_error("schema", "a table of fields (`[schema.NAME]`)")),
    }
    if let Some(sort) = &front.sort_by
        && !["title", "weight", "date"].contains(&sort.as_str())
    {
        errors.push(
            Diagnostic::at(
                Severity::Error,
                display,
                text,
                at("sort_by", 0),
                format!("unknown sort order `{sort}`"),
            )
            .with_help("use `sort_by = \"title\"`, `\"weight\"` or `\"date\"`"),
        );
    }
    for key in ["date", "updated"] {
        let value = string(&mut raw, key, &mut errors);
        if let Some(v) = &value
            && !is_date(v)
        {
            errors.push(
                Diagnostic::at(
                    Severity::Error,
                    display,
                    text,
                    at(key, 0),
                    format!("`{key}` is not a date: `{v}`"),
                )
                .with_help("write dates as YYYY-MM-DD, e.g. 2025-02-17"),
            );
        }
        if key == "date" { front.date = value } else { front.updated = value }
    }
    for key in ["aliases", "tags"] {
        let list = match raw.remove(key) {
            None => Vec::new(),
            Some(Json::String(s)) => vec![s],
            Some(Json::Array(items)) if items.iter().all(Json::is_string) => {
                items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect()
            }
            Some(_) => {
                errors.push(type_error(key, "a list of strings"));
                Vec::new()
            }
        };
        if key == "aliases" { front.aliases = list } else { front.tags = list }
    }
    match raw.remove("weight") {
        None => {}
        Some(Json::Number(n)) if n.is_i64() => front.weight = n.as_i64(),
        Some(_) => errors.push(type_error("weight", "a whole number")),
    }
    match raw.remove("draft") {
        None => {}
        Some(Json::Bool(b)) => front.draft = b,
        Some(_) => errors.push(type_error("draft", "true or false")),
    }
    match raw.remove("extra") {
        None => front.extra = Json::Object(Map::new()),
        Some(v @ Json::Object(_)) => front.extra = v,
        Some(_) => errors.push(type_error("extra", "a table (`[extra]`)")),
    }
    match raw.remove("events") {
        None => {}
        Some(Json::Array(items)) => {
            for (i, item) in items.into_iter().enumerate() {
                let date = item.get("date").and_then(Json::as_str).map(str::to_string);
                let title = item.get("title").and_then(Json::as_str).map(str::to_string);
                match (date, title) {
                    (Some(date), Some(title)) if is_partial_date(&date) => {
                        front.events.push(Event { date, title })
                    }
                    _ => errors.push(
                        Diagnostic::at(
                            Severity::Error,
                            display,
                            text,
                            at("events", i),
                            "an event needs `date` (YYYY, YYYY-MM or YYYY-MM-DD) and `title`",
                        )
                        .with_help("write `[[events]]` then `date = \"2023-09\"` and `title = \"…\"`"),
                    ),
                }
            }
        }
        Some(_) => errors.push(type_error("events", "an array of tables (`[[events]]`)")),
    }
    match raw.remove("questions") {
        None => {}
        Some(Json::Array(items)) => {
            for (i, item) in items.into_iter().enumerate() {
                let offset = block.key_offset(text, "questions", i);
                match read_question(&item, offset) {
                    Ok(q) => front.questions.push(q),
                    Err((message, help)) => errors.push(
                        Diagnostic::at(
                            Severity::Error,
                            display,
                            text,
                            offset..offset + "[[questions]]".len(),
                            message,
                        )
                        .with_help(help),
                    ),
                }
            }
        }
        Some(_) => errors.push(type_error("questions", "an array of tables (`[[questions]]`)")),
    }
    for key in raw.keys() {
        if let Some(known) = near_miss(key) {
            warnings.push(
                Diagnostic::at(
                    Severity::Warning,
                    display,
                    text,
                    at(key, 0),
                    format!("unknown key `{key}` looks like a misspelling of `{known}`"),
                )
                .with_help(format!("rename it to `{known}`, or keep it if it is your own property")),
            );
        }
    }
    front.properties = raw;
    if errors.is_empty() { Ok((front, block.body_start(text), warnings)) } else { Err(errors) }
}

fn read_question(item: &Json, offset: usize) -> Result<Question, (String, String)> {
    let field = |k: &str| item.get(k).and_then(Json::as_str).map(str::to_string);
    let question = field("question").ok_or_else(|| {
        ("a question needs `question` (text)".to_string(), "add `question = \"…\"`".to_string())
    })?;
    let options: Vec<String> = item
        .get("options")
        .and_then(Json::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    if options.len() < 2 {
        return Err((
            format!("question \"{question}\" needs at least two `options`"),
            "add `options = [\"…\", \"…\", \"…\", \"…\"]`".into(),
        ));
    }
    let answer = field("answer").ok_or_else(|| {
        (
            format!("question \"{question}\" has no `answer`"),
            "add `answer = \"…\"`, equal to one of the options".to_string(),
        )
    })?;
    if !options.contains(&answer) {
        return Err((
            format!("the answer \"{answer}\" of question \"{question}\" is not among its options"),
            format!(
                "make `answer` equal one of: {}",
                options.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(Question { question, options, answer, explanation: field("explanation").unwrap_or_default(), offset })
}

/// `YYYY-MM-DD` naming a real day, optionally followed by a time (`T…` or ` …`).
fn is_date(s: &str) -> bool {
    let day = s.get(..10).unwrap_or("");
    let b = day.as_bytes();
    let shape = day.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (s.len() == 10 || s[10..].starts_with(['T', ' ']));
    shape && real_day(&day[..4], &day[5..7], Some(&day[8..10]))
}

/// Whether year, month (1–12) and day (1 to the month's length, leap years
/// counted) name a day of the Gregorian calendar.
fn real_day(year: &str, month: &str, day: Option<&str>) -> bool {
    let (Ok(y), Ok(m)) = (year.parse::<u32>(), month.parse::<u32>()) else { return false };
    if !(1..=12).contains(&m) {
        return false;
    }
    let Some(day) = day else { return true };
    let Ok(d) = day.parse::<u32>() else { return false };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (1..=days).contains(&d)
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn is_partial_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && real_day(y, m, None),
        [_, _, _] => is_date(s),
        _ => false,
    }
}

/// The known key that `key` is probably a misspelling of, if any.
fn near_miss(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .copied()
        .filter(|known| *known != key)
        .map(|known| (known, strsim::damerau_levenshtein(key, known)))
        .filter(|(known, d)| *d <= if known.len() > 5 { 2 } else { 1 })
        .min_by_key(|(_, d)| *d)
        .map(|(known, _)| known)
}

/// The slug of `text`: lowercase ASCII words joined by `-`, non-Latin
/// letters transliterated (`"Rare earths (REE)"` → `rare-earths-ree`).
/// One function serves permalinks, heading ids and tags.
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
