//! Problems found in the input, located like a compiler locates them.
//!
//! Every stage reports what is wrong with a note, a template or `site.toml` as
//! a [`Diagnostic`]: a severity, the file (relative to the site root, with `/`
//! separators), a 1-based line and column counted in characters on the
//! original file (front matter included), a message and an optional help
//! line. A build collects all of them and prints them together, sorted by
//! file and position, with the offending source line underlined.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{self as cr, Label};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term::{self, termcolor::WriteColor};

use serde::Serialize;

/// How bad a problem is: an error fails the build, a warning is only printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build; nothing is written.
    Error,
    /// Printed, but the build goes on.
    Warning,
}

/// One problem in one input file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root (`content/minerals/lithium.md`).
    pub file: String,
    /// 1-based line of the problem's start.
    pub line: usize,
    /// 1-based column of the problem's start, in characters.
    pub column: usize,
    /// Byte range of the problem in the file (for underlining).
    #[serde(skip)]
    pub span: Range<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when Lode can tell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Other places that explain the problem (the other candidates of an ambiguous link).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// What the problem is about, when the stage that found it said so
    /// (see [`Diagnostic::kind`]).
    #[serde(skip)]
    pub kind: Option<Kind>,
    /// How many problems this one stands for: 1, or the notes a summary
    /// warning counts ("12 notes nothing links to", `[check] orphans =
    /// "summary"`), which the counts by kind add up. In JSON when above 1.
    #[serde(skip_serializing_if = "is_one")]
    pub count: usize,
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// What a problem is about, for counting problems by kind: a build of a
/// vault prints counts by kind rather than thousands of problems, and
/// `--format json` gives each problem's kind (`"kind":"unresolved-link"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Front matter: syntax, a key's type, a question, an event, a schema declaration.
    FrontMatter,
    /// A note that is not UTF-8.
    Encoding,
    /// A file or folder under the content folder that Lode skips (a symbolic link).
    Skipped,
    /// A link, embed or image that matches nothing.
    UnresolvedLink,
    /// A link that two notes match equally well.
    AmbiguousLink,
    /// A link to a heading the note does not have.
    MissingHeading,
    /// A link or embed naming an attachment (`![[pic.png]]`, `[[manual.pdf]]`) no file matches.
    MissingAttachment,
    /// A link to a block id (`[[Note#^id]]`) the note does not have.
    MissingBlock,
    /// A formula (`$…$`, `$$…$$`) that cannot be rendered as MathML.
    Math,
    /// A Mermaid diagram (` ```mermaid `) whose type Mermaid does not know.
    Diagram,
    /// Raw HTML in a note that opens an element and never closes it.
    Html,
    /// A link to a note marked as a draft.
    LinkToDraft,
    /// An embed that would embed its own note.
    EmbedCycle,
    /// A template: syntax, a missing one, a rendering error.
    Template,
    /// A note breaking its collection's `[schema]`.
    Schema,
    /// A note nothing links to.
    OrphanNote,
    /// A note with nothing in it.
    EmptyNote,
    /// A title or alias two notes claim.
    SharedName,
    /// Two notes, or a note and a file Lode writes, with one URL.
    Permalink,
    /// `site.toml` or a command-line option.
    Config,
    /// A malformed flashcard in a note's body, or a declared card field no note fills.
    Cards,
    /// Sources and corrections: a citation `[@id]` naming no source of its
    /// note, a correction callout that gives no source, a `corrected` entry
    /// naming a field `[extra]` does not have.
    Sources,
    /// Front matter that disagrees with its note's text: an `[extra]` value
    /// naming another note that the body never links.
    Consistency,
    /// A ` ```query ` block: its syntax, or a collection, tag or field it
    /// names that the site lacks, or a value of the wrong type.
    Query,
    /// One tag written two ways that share a page (`rare earths` and
    /// `rare-earths`): spellings that differ other than by case.
    TagSpelling,
    /// An image: without alt text, or a file whose size or pixels cannot be read.
    Image,
    /// A translation file (`i18n/<code>.toml`): its syntax, a language
    /// `site.toml` does not declare, a key no template shows.
    Translation,
    /// Anything else (writing the output, the search index).
    Other,
}

impl Kind {
    /// Every kind, in the order of their codes (the catalogue of
    /// `docs/content/troubleshooting/diagnostics.md` has an entry for each).
    pub const ALL: [Kind; 28] = [
        Kind::FrontMatter,
        Kind::Encoding,
        Kind::Skipped,
        Kind::UnresolvedLink,
        Kind::AmbiguousLink,
        Kind::MissingHeading,
        Kind::MissingAttachment,
        Kind::MissingBlock,
        Kind::LinkToDraft,
        Kind::EmbedCycle,
        Kind::Schema,
        Kind::OrphanNote,
        Kind::EmptyNote,
        Kind::SharedName,
        Kind::Permalink,
        Kind::Cards,
        Kind::Sources,
        Kind::Consistency,
        Kind::Query,
        Kind::TagSpelling,
        Kind::Math,
        Kind::Template,
        Kind::Image,
        Kind::Diagram,
        Kind::Html,
        Kind::Config,
        Kind::Translation,
        Kind::Other,
    ];

    /// How a count of this kind reads: `1 unresolved link`, `5 unresolved links`.
    pub fn counted(self, n: usize) -> String {
        let (one, many) = match self {
            Kind::FrontMatter => ("front matter", "front matter"),
            Kind::Encoding => ("note not UTF-8", "notes not UTF-8"),
            Kind::Skipped => ("file skipped", "files skipped"),
            Kind::UnresolvedLink => ("unresolved link", "unresolved links"),
            Kind::AmbiguousLink => ("ambiguous link", "ambiguous links"),
            Kind::MissingHeading => ("missing heading", "missing headings"),
            Kind::MissingAttachment => ("missing attachment", "missing attachments"),
            Kind::MissingBlock => ("missing block", "missing blocks"),
            Kind::Math => ("formula not rendered", "formulas not rendered"),
            Kind::Diagram => ("diagram of no known type", "diagrams of no known type"),
            Kind::Html => ("unclosed HTML element", "unclosed HTML elements"),
            Kind::LinkToDraft => ("link to a draft", "links to drafts"),
            Kind::EmbedCycle => ("embed cycle", "embed cycles"),
            Kind::Template => ("template", "template"),
            Kind::Schema => ("schema violation", "schema violations"),
            Kind::OrphanNote => ("orphan note", "orphan notes"),
            Kind::EmptyNote => ("empty note", "empty notes"),
            Kind::SharedName => ("name claimed twice", "names claimed twice"),
            Kind::Permalink => ("URL clash", "URL clashes"),
            Kind::Config => ("configuration", "configuration"),
            Kind::Cards => ("malformed flashcard", "malformed flashcards"),
            Kind::Sources => ("source problem", "source problems"),
            Kind::Consistency => ("field the text does not bear out", "fields the text does not bear out"),
            Kind::Query => ("query problem", "query problems"),
            Kind::TagSpelling => ("tag spelled two ways", "tags spelled two ways"),
            Kind::Image => ("image problem", "image problems"),
            Kind::Translation => ("translation file problem", "translation file problems"),
            Kind::Other => ("other", "other"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }

    /// The kind's stable code, given by `--format json` (`"code":"L0201"`)
    /// and `--format github` (in each annotation's title), for filtering
    /// and looking a problem up. A code never changes meaning and is never
    /// reused; a new kind takes the next free number of its stage.
    ///
    /// | code  | kind (`"kind"`)      | stage                         |
    /// | ----- | -------------------- | ----------------------------- |
    /// | L0101 | `front-matter`       | parse: front matter           |
    /// | L0102 | `encoding`           | load: a note not UTF-8        |
    /// | L0103 | `skipped`            | list: a symbolic link skipped |
    /// | L0201 | `unresolved-link`    | link                          |
    /// | L0202 | `ambiguous-link`     | link                          |
    /// | L0203 | `missing-heading`    | link                          |
    /// | L0204 | `missing-attachment` | link                          |
    /// | L0205 | `missing-block`      | link                          |
    /// | L0206 | `link-to-draft`      | link                          |
    /// | L0207 | `embed-cycle`        | link                          |
    /// | L0301 | `schema`             | check                         |
    /// | L0302 | `orphan-note`        | check                         |
    /// | L0303 | `empty-note`         | check                         |
    /// | L0304 | `shared-name`        | check                         |
    /// | L0305 | `permalink`          | index and write: URL clashes  |
    /// | L0306 | `cards`              | check: flashcards             |
    /// | L0307 | `sources`            | check: sources, corrections   |
    /// | L0308 | `consistency`        | check: front matter vs. text  |
    /// | L0309 | `query`              | check: ` ```query ` blocks    |
    /// | L0310 | `tag-spelling`       | check: a tag written two ways |
    /// | L0401 | `math`               | render: formulas              |
    /// | L0402 | `template`           | render: templates             |
    /// | L0403 | `image`              | check and render: images      |
    /// | L0404 | `diagram`            | parse: Mermaid diagrams       |
    /// | L0501 | `config`             | config: `site.toml`, options  |
    /// | L0502 | `translation`        | config: `i18n/<code>.toml`    |
    /// | L0901 | `other`              | anything else (writing, search) |
    pub fn code(self) -> &'static str {
        match self {
            Kind::FrontMatter => "L0101",
            Kind::Encoding => "L0102",
            Kind::Skipped => "L0103",
            Kind::UnresolvedLink => "L0201",
            Kind::AmbiguousLink => "L0202",
            Kind::MissingHeading => "L0203",
            Kind::MissingAttachment => "L0204",
            Kind::MissingBlock => "L0205",
            Kind::LinkToDraft => "L0206",
            Kind::EmbedCycle => "L0207",
            Kind::Schema => "L0301",
            Kind::OrphanNote => "L0302",
            Kind::EmptyNote => "L0303",
            Kind::SharedName => "L0304",
            Kind::Permalink => "L0305",
            Kind::Cards => "L0306",
            Kind::Sources => "L0307",
            Kind::Consistency => "L0308",
            Kind::Query => "L0309",
            Kind::TagSpelling => "L0310",
            Kind::Math => "L0401",
            Kind::Template => "L0402",
            Kind::Image => "L0403",
            Kind::Diagram => "L0404",
            Kind::Html => "L0405",
            Kind::Config => "L0501",
            Kind::Translation => "L0502",
            Kind::Other => "L0901",
        }
    }
}

/// Another place a diagnostic refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Related {
    /// The file, relative to the site root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What this place is.
    pub message: String,
}

impl Diagnostic {
    /// A problem at byte range `span` of `text`, the full contents of `file`.
    ///
    /// Line and column are computed from `span.start`; a span past the end of
    /// `text` is clamped to it.
    pub fn at(
        severity: Severity,
        file: impl Into<String>,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::located(severity, file, text, span, message, |start| line_column(text, start))
    }

    /// [`Diagnostic::at`] with the line starts of `text` already known: for
    /// many problems in one big file (a note with thousands of broken
    /// links), each found in O(log lines) rather than by counting lines
    /// from the top of the file again.
    pub fn at_line_starts(
        severity: Severity,
        file: impl Into<String>,
        text: &str,
        lines: &LineStarts,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::located(severity, file, text, span, message, |start| lines.line_column(text, start))
    }

    fn located(
        severity: Severity,
        file: impl Into<String>,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
        line_column: impl FnOnce(usize) -> (usize, usize),
    ) -> Self {
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let (line, column) = line_column(start);
        Diagnostic {
            severity,
            file: file.into(),
            line,
            column,
            span: start..end,
            message: message.into(),
            help: None,
            related: Vec::new(),
            kind: None,
            count: 1,
        }
    }

    /// A problem with a whole file, or one whose position is unknown (line 1, column 1).
    pub fn whole_file(severity: Severity, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.into(),
            line: 1,
            column: 1,
            span: 0..0,
            message: message.into(),
            help: None,
            related: Vec::new(),
            kind: None,
            count: 1,
        }
    }

    /// Adds another place the problem refers to.
    pub fn with_related(
        mut self,
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        self.related.push(Related { file: file.into(), line, column, message: message.into() });
        self
    }

    /// Adds a line telling how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Says what the problem is about.
    pub fn with_kind(mut self, kind: Kind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// What the problem is about: the kind its stage gave it, else one read
    /// from where it is and what it says (the link, template and
    /// permalink stages give none yet).
    pub fn kind(&self) -> Kind {
        if let Some(kind) = self.kind {
            return kind;
        }
        let m = self.message.as_str();
        if m.contains("matches no note") {
            Kind::UnresolvedLink
        } else if m.contains("points to a draft") {
            Kind::LinkToDraft
        } else if m.contains("matches more than one note") {
            Kind::AmbiguousLink
        } else if m.contains("the note has no heading") {
            Kind::MissingHeading
        } else if m.contains("would embed this note in itself") {
            Kind::EmbedCycle
        } else if m.contains("would both be written to") || m.contains("which Lode keeps for") {
            Kind::Permalink
        } else if self.file.starts_with("templates/")
            || self.file.starts_with("(built-in)")
            || m.starts_with("template \"")
        {
            Kind::Template
        } else if self.file == "site.toml" || self.file.starts_with("--") {
            Kind::Config
        } else if self.file.starts_with("i18n/") {
            Kind::Translation
        } else {
            Kind::Other
        }
    }

    /// True for [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:column: error: message`, the form editors and CI logs link.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}:{}: {level}: {}", self.file, self.line, self.column, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Prints diagnostics to standard error for people: coloured only when
/// standard error is a terminal and `NO_COLOR` is not set
/// (<https://no-color.org>). Prints nothing for an empty list.
pub fn print_to_stderr(root: &Path, diagnostics: &[Diagnostic]) {
    use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
    use std::io::IsTerminal;
    if diagnostics.is_empty() {
        return;
    }
    let color = std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal();
    let choice = if color { ColorChoice::Auto } else { ColorChoice::Never };
    let _ = emit(&mut StandardStream::stderr(choice), root, diagnostics);
}

/// Where each diagnostic ends, as 1-based `(line, column)`: the line and
/// column just after its last character (exclusive, as in LSP and SARIF;
/// a span's closing line break is not counted). A diagnostic with an
/// empty span, or whose file can no longer be read or no longer holds its
/// span, ends where it starts. Each file is read once, as [`emit`] reads it.
pub fn ends(root: &Path, diagnostics: &[Diagnostic]) -> Vec<(usize, usize)> {
    let mut sources: HashMap<&str, (String, LineStarts)> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let start = (d.line, d.column);
            if d.span.is_empty() {
                return start;
            }
            let (source, lines) = sources.entry(d.file.as_str()).or_insert_with(|| {
                let source = read_source(root, &d.file);
                let lines = LineStarts::new(&source);
                (source, lines)
            });
            let Some(text) = source.get(d.span.clone()) else {
                return start;
            };
            let end = d.span.end - (text.len() - text.trim_end_matches(['\n', '\r']).len());
            let end = lines.line_column(source, end);
            end.max(start)
        })
        .collect()
}

/// How a `lode build` or `lode check` run ended, for the closing summary
/// of [`emit_json`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Whether `--strict` was given (a warning fails the run).
    pub strict: bool,
    /// Whether the run failed (exit code 1).
    pub failed: bool,
}

/// Prints each diagnostic as one line of JSON, for editors and CI:
///
/// ```json
/// {"severity":"error","file":"content/a.md","line":3,"column":15,"message":"…","help":"…","kind":"unresolved-link","code":"L0201","end_line":3,"end_column":26}
/// ```
///
/// `help` and `related` appear when there are some; `kind` and `code` are
/// the problem's [`Kind`] and its stable [`Kind::code`]; `end_line` and
/// `end_column` are where it ends ([`ends`]). A last line counts them all
/// and says how the run ended, printed even when there are no problems:
/// `{"summary":{"errors":0,"warnings":1,"strict":true,"failed":true}}`.
/// `strict` is whether `--strict` was given; `failed` whether the run
/// failed (exit code 1): an error, or with `strict` a warning. Sources are
/// read from `root` for the ends.
pub fn emit_json(
    out: &mut dyn std::io::Write,
    root: &Path,
    diagnostics: &[Diagnostic],
    outcome: Outcome,
) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        #[serde(flatten)]
        diagnostic: &'a Diagnostic,
        kind: Kind,
        code: &'static str,
        end_line: usize,
        end_column: usize,
    }
    #[derive(Serialize)]
    struct Counts {
        errors: usize,
        warnings: usize,
        strict: bool,
        failed: bool,
    }
    #[derive(Serialize)]
    struct Summary {
        summary: Counts,
    }
    for (d, (end_line, end_column)) in diagnostics.iter().zip(ends(root, diagnostics)) {
        let kind = d.kind();
        let line = Line { diagnostic: d, kind, code: kind.code(), end_line, end_column };
        writeln!(out, "{}", serde_json::to_string(&line).map_err(std::io::Error::other)?)?;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    let Outcome { strict, failed } = outcome;
    let summary = Summary { summary: Counts { errors, warnings, strict, failed } };
    writeln!(out, "{}", serde_json::to_string(&summary).map_err(std::io::Error::other)?)?;
    Ok(())
}

/// Prints each diagnostic as a GitHub Actions workflow command, so that a
/// pull request shows it as an annotation on the line:
///
/// ```text
/// ::error file=content/a.md,line=3,col=15,endLine=3,endColumn=26,title=L0201 unresolved link::link [[Nowhere]] matches no note%0Ahelp: …
/// ```
///
/// (`::warning` for a warning). The file is `root` joined to the
/// diagnostic's, relative to where Lode runs (GitHub wants paths from the
/// repository's root); an absolute root is made relative to
/// `GITHUB_WORKSPACE` when it lies under it. `col` and `endColumn` are given
/// only when the problem starts and ends on one line, as GitHub allows.
/// Messages and properties are escaped as GitHub's "Workflow commands for
/// GitHub Actions" says (`%`, CR and LF in both; `:` and `,` in properties).
pub fn emit_github(
    out: &mut dyn std::io::Write,
    root: &Path,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let workspace = std::env::var_os("GITHUB_WORKSPACE").map(std::path::PathBuf::from);
    github_commands(out, root, diagnostics, workspace.as_deref())
}

/// [`emit_github`] with the workspace given.
fn github_commands(
    out: &mut dyn std::io::Write,
    root: &Path,
    diagnostics: &[Diagnostic],
    workspace: Option<&Path>,
) -> std::io::Result<()> {
    for (d, (end_line, end_column)) in diagnostics.iter().zip(ends(root, diagnostics)) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = github_path(root, &d.file, workspace);
        let mut properties = vec![("file", file), ("line", d.line.to_string())];
        if end_line == d.line {
            properties.push(("col", d.column.to_string()));
        }
        properties.push(("endLine", end_line.to_string()));
        if end_line == d.line {
            properties.push(("endColumn", end_column.to_string()));
        }
        let kind = d.kind();
        properties.push(("title", format!("{} {}", kind.code(), kind.counted(1).trim_start_matches("1 "))));
        let properties: Vec<String> =
            properties.iter().map(|(name, value)| format!("{name}={}", escape_property(value))).collect();
        let mut message = d.message.clone();
        for r in &d.related {
            message.push_str(&format!("\n{}: {}:{}:{}", r.message, r.file, r.line, r.column));
        }
        if let Some(help) = &d.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        writeln!(out, "::{command} {}::{}", properties.join(","), escape_data(&message))?;
    }
    Ok(())
}

/// `root/file` with `/` separators and no `.` parts, relative to
/// `workspace` when it is absolute and under it.
fn github_path(root: &Path, file: &str, workspace: Option<&Path>) -> String {
    let path = root.join(file);
    let path = match workspace {
        Some(workspace) if path.is_absolute() => path.strip_prefix(workspace).unwrap_or(&path).to_path_buf(),
        _ => path,
    };
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let joined = parts.join("/");
    // An absolute path's root component is "/" itself: no "//" at the start.
    joined.strip_prefix("//").map_or(joined.clone(), |rest| format!("/{rest}"))
}

/// A workflow command's message, escaped: `%`, CR and LF.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped: as [`escape_data`], and `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// The warnings (or errors) of `diagnostics` counted by kind, most first:
/// `27 warnings: 20 unresolved links, 5 missing headings, 2 front matter`.
/// `None` when there are none.
pub fn counts(diagnostics: &[Diagnostic], severity: Severity) -> Option<String> {
    let by_kind = by_kind(diagnostics, severity);
    let total: usize = by_kind.iter().map(|(_, all)| counted(all)).sum();
    if total == 0 {
        return None;
    }
    let what = match (severity, total) {
        (Severity::Error, 1) => "error",
        (Severity::Error, _) => "errors",
        (Severity::Warning, 1) => "warning",
        (Severity::Warning, _) => "warnings",
    };
    let kinds: Vec<String> = by_kind.iter().map(|(kind, all)| kind.counted(counted(all))).collect();
    Some(format!("{total} {what}: {}", kinds.join(", ")))
}

/// How many problems `all` stand for (see [`Diagnostic::count`]).
fn counted(all: &[&Diagnostic]) -> usize {
    all.iter().map(|d| d.count).sum()
}

/// The diagnostics of `severity` grouped by kind, the biggest group first
/// (ties in [`Kind`] order), each group in the order given.
fn by_kind(diagnostics: &[Diagnostic], severity: Severity) -> Vec<(Kind, Vec<&Diagnostic>)> {
    let mut groups: HashMap<Kind, Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.severity == severity) {
        groups.entry(d.kind()).or_default().push(d);
    }
    let mut groups: Vec<(Kind, Vec<&Diagnostic>)> = groups.into_iter().collect();
    groups.sort_by(|(ka, a), (kb, b)| counted(b).cmp(&counted(a)).then(ka.cmp(kb)));
    groups
}

/// Prints errors in full (as [`print_to_stderr`]) and warnings as one line
/// per kind, with its count and the first of its kind:
///
/// ```text
/// 27 warnings by kind (the first of each; -v lists them all):
///   20 unresolved links  b.md:3:5: link [[X]] matches no note
///    7 orphan notes      a.md:1:1: no note links here (an orphan note)
/// ```
///
/// For a vault, whose thousands of warnings would fill the terminal.
pub fn print_brief_to_stderr(root: &Path, diagnostics: &[Diagnostic]) {
    let errors: Vec<Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    print_to_stderr(root, &errors);
    let groups = by_kind(diagnostics, Severity::Warning);
    if groups.is_empty() {
        return;
    }
    let total: usize = groups.iter().map(|(_, all)| counted(all)).sum();
    let mut text = format!(
        "{total} warning(s) by kind (the first of each; -v lists them all, --format json as JSON):\n"
    );
    let labels: Vec<String> = groups.iter().map(|(kind, all)| kind.counted(counted(all))).collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (label, (_, all)) in labels.iter().zip(&groups) {
        let first = all[0];
        text.push_str(&format!(
            "  {label:<width$}  {}:{}:{}: {}\n",
            first.file, first.line, first.column, first.message
        ));
    }
    eprint!("{text}");
}

/// The text of `file` (relative to `root`) for showing and locating its
/// problems, as [`source_text`] reads it; empty when it cannot be read or
/// is a symbolic link: Lode skips those, and what one points at
/// (`/etc/passwd`) is no text of the site to show.
fn read_source(root: &Path, file: &str) -> String {
    let path = root.join(file);
    if path.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
        return String::new();
    }
    std::fs::read(&path).map(source_text).unwrap_or_default()
}

/// The text of an input file as Lode reads it and counts offsets in, from
/// its bytes: a sequence that is not UTF-8 becomes U+FFFD (as
/// `String::from_utf8_lossy` and browsers decode it), then [`normalize_text`].
/// [`emit`] reads every file this way, so its spans are those the stages
/// computed on the note's text.
pub fn source_text(bytes: Vec<u8>) -> String {
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    normalize_text(text)
}

/// Turns lone carriage returns (old Mac line ends) into `\n`, byte for byte,
/// so lines count the same for CommonMark and for diagnostics (`\r\n`
/// stays), and U+0000 into U+FFFD, as CommonMark requires ("Insecure
/// characters", spec 0.31.2 §2.3), so that no NUL reaches a page.
pub fn normalize_text(text: String) -> String {
    let text = if text.contains('\0') { text.replace('\0', "\u{FFFD}") } else { text };
    if !text.contains('\r') {
        return text;
    }
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Byte offsets where the lines of a text start (the first is 0), to find
/// the line and column of many offsets in one text: 8 bytes a line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineStarts(Vec<usize>);

impl LineStarts {
    /// The line starts of `text` (lines end at `\n`).
    pub fn new(text: &str) -> Self {
        let ends = text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1);
        LineStarts(std::iter::once(0).chain(ends).collect())
    }

    /// As [`line_column`], for the text these are the line starts of.
    pub fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.0.partition_point(|start| *start <= offset).max(1);
        let start = self.0.get(line - 1).copied().unwrap_or(0).min(offset);
        let before = &text[start..offset];
        // A byte-order mark is no character of the first line.
        let before = before.strip_prefix('\u{feff}').unwrap_or(before);
        (line, before.chars().count() + 1)
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, offset.min(text.len()))];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    // A byte-order mark is no character of the first line.
    let line_text = before[line_start..].strip_prefix('\u{feff}').unwrap_or(&before[line_start..]);
    (line, line_text.chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Sorts diagnostics by file, line and column, errors first on a tie.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity).cmp(&(&b.file, b.line, b.column, b.severity))
    });
}

/// Lines longer than this (in bytes) are shown as an excerpt around the column.
const MAX_SNIPPET_LINE: usize = 240;

/// Prints every diagnostic with its source line and a caret, then a count.
///
/// Sources are read from `root.join(diagnostic.file)` once per file, however
/// many diagnostics it has (see [`source_text`]), so memory grows with the
/// files plus the problems, never with problems × file size; a file that
/// can no longer be read is printed without its source line.
pub fn emit<W: WriteColor>(out: &mut W, root: &Path, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    // Each file's id, and the length of the byte-order mark it starts with.
    let mut ids: HashMap<&str, (usize, usize)> = HashMap::new();
    for d in diagnostics {
        let (id, bom) = *ids.entry(d.file.as_str()).or_insert_with(|| {
            let mut source = read_source(root, &d.file);
            // A byte-order mark is no character: neither shown in the source
            // line nor counted in the column the snippet prints (the
            // diagnostic's own line and column do not count it either).
            let bom = if source.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
            source.drain(..bom);
            (files.add(d.file.clone(), source), bom)
        });
        let span = d.span.start.saturating_sub(bom)..d.span.end.saturating_sub(bom);
        let severity = match d.severity {
            Severity::Error => cr::Severity::Error,
            Severity::Warning => cr::Severity::Warning,
        };
        // `error[L0201]: …`, as rustc shows its codes: the code finds the
        // kind's entry in docs/content/troubleshooting/diagnostics.md.
        let mut report = cr::Diagnostic::new(severity).with_code(d.kind().code()).with_message(&d.message);
        let source = files.get(id).map(|f| f.source().as_str()).unwrap_or("");
        let line_len =
            source[..span.start.min(source.len())].rfind('\n').map_or(0, |i| i + 1).min(source.len());
        let line_len = source[line_len..].split('\n').next().map_or(0, str::len);
        if source.len() >= span.end && !source.is_empty() && line_len <= MAX_SNIPPET_LINE {
            report = report.with_labels(vec![Label::primary(id, span)]);
        } else {
            // No source, or a line too long to print whole: name the place and
            // show the text around the column.
            // A problem with a folder or a whole file that has no text
            // (`--output /`) has no line to name: say which, not "1:1".
            let whole = source.is_empty() && d.span.is_empty() && (d.line, d.column) == (1, 1);
            let mut note = if whole {
                format!("in {}", d.file)
            } else {
                format!("at {}:{}:{}", d.file, d.line, d.column)
            };
            // The line from the file's table of line starts, not by counting
            // lines again for every diagnostic.
            let line = Files::line_range(&files, id, d.line.saturating_sub(1))
                .ok()
                .and_then(|range| source.get(range))
                .map(|line| line.trim_end_matches(['\n', '\r']));
            if let Some(line) = line.filter(|_| !source.is_empty()) {
                let chars: Vec<char> = line.chars().collect();
                let from = d.column.saturating_sub(1).saturating_sub(40);
                let excerpt: String = chars.iter().skip(from).take(100).collect();
                note.push_str(&format!(
                    "\n  …{excerpt}…\n   {}^",
                    " ".repeat(d.column.saturating_sub(1) - from)
                ));
            }
            report = report.with_notes(vec![note]);
        }
        let mut notes: Vec<String> =
            d.related.iter().map(|r| format!("{}: {}:{}:{}", r.message, r.file, r.line, r.column)).collect();
        if let Some(help) = &d.help {
            notes.push(format!("help: {help}"));
        }
        if !notes.is_empty() {
            report = report.with_notes(notes);
        }
        term::emit_to_write_style(out, &config, &files, &report)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        writeln!(out, "{errors} error(s), {warnings} warning(s)")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use codespan_reporting::term::termcolor::NoColor;

    /// Many problems in one big file print each its own place and source
    /// line, in order, whether the line is short (a snippet with a caret) or
    /// too long to print whole (an excerpt around the column).
    #[test]
    fn many_problems_in_one_big_file_each_show_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let long = "x".repeat(MAX_SNIPPET_LINE + 60);
        let text: String = (1..=3000)
            .map(|i| {
                if i % 3 == 0 {
                    format!("{long} long {i} [[gone]]\n")
                } else {
                    format!("line {i} [[gone]]\n")
                }
            })
            .collect();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/big.md"), &text).unwrap();
        let mut offset = 0;
        let mut diagnostics = Vec::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            let at = offset + line.find("[[").unwrap();
            if i % 3 != 1 {
                diagnostics.push(Diagnostic::at(
                    Severity::Warning,
                    "content/big.md",
                    &text,
                    at..at + 8,
                    format!("problem {}", i + 1),
                ));
            }
            offset += line.len();
        }
        assert_eq!(diagnostics.len(), 2000);
        let mut out = NoColor::new(Vec::new());
        emit(&mut out, dir.path(), &diagnostics).unwrap();
        let printed = String::from_utf8(out.into_inner()).unwrap();
        let mut rest = printed.as_str();
        for d in &diagnostics {
            let line = d.line;
            let header = format!("warning[L0901]: problem {line}\n");
            let at = rest.find(&header).unwrap_or_else(|| panic!("{header} missing, or out of order"));
            rest = &rest[at + header.len()..];
            let next = rest.find("warning[L0901]: problem").unwrap_or(rest.len());
            let block = &rest[..next];
            if line % 3 == 0 {
                assert!(block.contains(&format!("at content/big.md:{line}:{}", d.column)), "{block}");
                assert!(block.contains(&format!(" long {line} [[gone]]…")), "{block}");
            } else {
                assert!(block.contains(&format!("content/big.md:{line}:{}", d.column)), "{block}");
                assert!(block.contains(&format!("{line} │ line {line} [[gone]]")), "{block}");
                assert!(block.contains("^^^^^^^^"), "{block}");
            }
        }
        assert!(printed.ends_with("0 error(s), 2000 warning(s)\n"));
    }

    #[test]
    fn problems_are_counted_by_kind_most_first() {
        let at = |file: &str, message: &str| Diagnostic::whole_file(Severity::Warning, file, message);
        let problems = vec![
            at("a.md", "link [[X]] matches no note"),
            at("b.md", "bad").with_kind(Kind::FrontMatter),
            at("c.md", "link [[Y]] matches no note"),
            at("c.md", "link [[A#B]]: the note has no heading \"B\""),
            Diagnostic::whole_file(Severity::Error, "site.toml", "wrong"),
        ];
        assert_eq!(
            counts(&problems, Severity::Warning).as_deref(),
            Some("4 warnings: 2 unresolved links, 1 front matter, 1 missing heading")
        );
        assert_eq!(counts(&problems, Severity::Error).as_deref(), Some("1 error: 1 configuration"));
        assert_eq!(counts(&problems[..0], Severity::Warning), None);
    }

    /// Every kind has its own code, [`Kind::ALL`] lists every kind in code
    /// order (the match below fails to compile when a kind is added and not
    /// placed), and the codes are the catalogue's.
    #[test]
    fn each_kind_has_its_own_stable_code() {
        use Kind::*;
        let place = |k: Kind| match k {
            FrontMatter => 0,
            Encoding => 1,
            Skipped => 2,
            UnresolvedLink => 3,
            AmbiguousLink => 4,
            MissingHeading => 5,
            MissingAttachment => 6,
            MissingBlock => 7,
            LinkToDraft => 8,
            EmbedCycle => 9,
            Schema => 10,
            OrphanNote => 11,
            EmptyNote => 12,
            SharedName => 13,
            Permalink => 14,
            Cards => 15,
            Sources => 16,
            Consistency => 17,
            Query => 18,
            TagSpelling => 19,
            Math => 20,
            Template => 21,
            Image => 22,
            Diagram => 23,
            Html => 24,
            Config => 25,
            Translation => 26,
            Other => 27,
        };
        for (i, kind) in Kind::ALL.iter().enumerate() {
            assert_eq!(place(*kind), i, "{kind:?}");
        }
        let codes: Vec<&str> = Kind::ALL.iter().map(|k| k.code()).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "codes unique and in order: {codes:?}");
        assert_eq!((UnresolvedLink.code(), FrontMatter.code(), Other.code()), ("L0201", "L0101", "L0901"));
    }

    /// GitHub's escapes: `%`, CR, LF in the message, and `:` `,` as well in
    /// properties; a problem over several lines gives no columns; help and
    /// related places follow the message on lines of their own.
    #[test]
    fn github_commands_are_escaped_and_span_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site/content")).unwrap();
        let text = "one\ntwo three\nfour\n";
        std::fs::write(dir.path().join("site/content/a, b:c.md"), text).unwrap();
        let d = Diagnostic::at(Severity::Warning, "content/a, b:c.md", text, 8..16, "50% done\r\nnext")
            .with_help("a: b, c")
            .with_related("content/x.md", 2, 3, "the other");
        let mut out = Vec::new();
        github_commands(&mut out, &dir.path().join("site"), &[d], Some(dir.path())).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=site/content/a%2C b%3Ac.md,line=2,endLine=3,title=L0901 other::\
             50%25 done%0D%0Anext%0Athe other: content/x.md:2:3%0Ahelp: a: b, c\n"
        );
        assert_eq!(escape_property("a%b\r\n:,"), "a%25b%0D%0A%3A%2C");
        assert_eq!(
            github_path(Path::new("/ws/site"), "content/a.md", Some(Path::new("/ws"))),
            "site/content/a.md"
        );
        assert_eq!(
            github_path(Path::new("/elsewhere"), "content/a.md", Some(Path::new("/ws"))),
            "/elsewhere/content/a.md"
        );
    }

    /// A file that starts with a byte-order mark prints the line and column
    /// JSON gives, the BOM not echoed and the caret under the link.
    #[test]
    fn a_byte_order_mark_is_neither_shown_nor_counted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        let text = "\u{feff}See [[Nowhere]].\n";
        std::fs::write(dir.path().join("content/a.md"), text).unwrap();
        let d =
            Diagnostic::at(Severity::Error, "content/a.md", text, 7..18, "link [[Nowhere]] matches no note");
        assert_eq!((d.line, d.column), (1, 5));
        let mut out = NoColor::new(Vec::new());
        emit(&mut out, dir.path(), &[d]).unwrap();
        let printed = String::from_utf8(out.into_inner()).unwrap();
        assert!(printed.starts_with("error[L0201]: link [[Nowhere]] matches no note\n"), "{printed}");
        assert!(printed.contains("┌─ content/a.md:1:5\n"), "{printed}");
        assert!(printed.contains("1 │ See [[Nowhere]].\n  │     ^^^^^^^^^^^\n"), "{printed}");
        assert!(!printed.contains('\u{feff}'), "{printed}");
    }

    /// A problem about a symbolic link shows no line of what it points at.
    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_never_read_for_its_source_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "root:x:0:0\n").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), dir.path().join("content/pw.md")).unwrap();
        let d = Diagnostic::whole_file(Severity::Warning, "content/pw.md", "skipped: a symbolic link");
        let mut out = NoColor::new(Vec::new());
        emit(&mut out, dir.path(), &[d]).unwrap();
        let printed = String::from_utf8(out.into_inner()).unwrap();
        assert!(printed.contains("content/pw.md") && !printed.contains("root:x"), "{printed}");
    }

    #[test]
    fn line_starts_find_the_same_line_and_column_as_counting() {
        let text = "\u{feff}ab\nçé\n\n\u{1F600}x\r\nlast";
        let lines = LineStarts::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(lines.line_column(text, offset), line_column(text, offset), "at {offset}");
        }
    }

    #[test]
    fn source_text_decodes_like_the_notes_are_read() {
        assert_eq!(source_text(b"a\rb\r\nc\0".to_vec()), "a\nb\r\nc\u{FFFD}");
        assert_eq!(source_text(b"ab \xFF\xFE\n".to_vec()), "ab \u{FFFD}\u{FFFD}\n");
    }
}
