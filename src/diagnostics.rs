//! Problems found in the input, located like a compiler locates them.
//!
//! Every stage reports what is wrong with a note, a template or `site.toml` as
//! a [`Diagnostic`]: a severity, the file (relative to the site root, with `/`
//! separators), a 1-based line and column counted in characters on the
//! original file (front matter included), a message and an optional help
//! line. A build collects all of them and prints them together, sorted by
//! file and position, with the offending source line underlined.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use codespan_reporting::diagnostic::{self as cr, Label};
use codespan_reporting::files::SimpleFiles;
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
        let start = floor_char_boundary(text, span.start.min(text.len()));
        let end = floor_char_boundary(text, span.end.clamp(start, text.len()));
        let (line, column) = line_column(text, start);
        Diagnostic {
            severity,
            file: file.into(),
            line,
            column,
            span: start..end,
            message: message.into(),
            help: None,
            related: Vec::new(),
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

/// Prints each diagnostic as one line of JSON (`{"severity":"error","file":…,"line":…,"column":…,"message":…}`),
/// for editors and CI.
pub fn emit_json(out: &mut dyn std::io::Write, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    for d in diagnostics {
        writeln!(out, "{}", serde_json::to_string(d).map_err(std::io::Error::other)?)?;
    }
    Ok(())
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
/// Sources are read from `root.join(diagnostic.file)`; a file that can no
/// longer be read is printed without its source line.
pub fn emit<W: WriteColor>(out: &mut W, root: &Path, diagnostics: &[Diagnostic]) -> std::io::Result<()> {
    let config = term::Config::default();
    let mut files = SimpleFiles::new();
    for d in diagnostics {
        let source = std::fs::read_to_string(root.join(&d.file)).unwrap_or_default();
        let id = files.add(d.file.clone(), source);
        let severity = match d.severity {
            Severity::Error => cr::Severity::Error,
            Severity::Warning => cr::Severity::Warning,
        };
        let mut report = cr::Diagnostic::new(severity).with_message(&d.message);
        let source = files.get(id).map(|f| f.source().as_str()).unwrap_or("");
        let line_len =
            source[..d.span.start.min(source.len())].rfind('\n').map_or(0, |i| i + 1).min(source.len());
        let line_len = source[line_len..].split('\n').next().map_or(0, str::len);
        if source.len() >= d.span.end && !source.is_empty() && line_len <= MAX_SNIPPET_LINE {
            report = report.with_labels(vec![Label::primary(id, d.span.clone())]);
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
            if let Some(line) = source.lines().nth(d.line.saturating_sub(1)) {
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
