//! Maths: the TeX of `$…$` and `$$…$$` rendered at build time as MathML
//! Core (<https://www.w3.org/TR/mathml-core/>), which current browsers lay
//! out themselves, with no JavaScript and no web font.
//!
//! pulldown-cmark finds the formulas (its `ENABLE_MATH`, the syntax Obsidian
//! uses); the `math-core` crate turns each into a `<math>` element. Each
//! formula is rendered once, while its note is scanned
//! (`content::scan::scan`): the result is kept in the note's
//! `content::scan::Scan` for the renderer, and a formula that cannot be
//! rendered becomes a warning at its file, line and column (see
//! `content::parse`), and is shown as code.

use std::ops::Range;
use std::sync::OnceLock;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};

use crate::html::push_escaped;

/// One formula of a body, rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    /// Byte range of the formula in the body, its dollar signs included.
    pub span: Range<usize>,
    /// `$$…$$` (a block) rather than `$…$` (inline).
    pub display: bool,
    /// The `<math>…</math>` element, or why the TeX cannot be rendered.
    pub rendered: Result<String, MathError>,
}

/// Why a formula cannot be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MathError {
    /// Byte range, in the body, of the TeX at fault (the formula's start when
    /// it cannot be told).
    pub span: Range<usize>,
    /// What is wrong, in one sentence (math-core's words).
    pub message: String,
}

/// Formulas whose TeX has more commands, braces and scripts than this are
/// rendered on a thread of their own with a stack sized for them: math-core
/// parses recursively, one level per nested group or command argument, and
/// a thousand levels were measured to fit in the 2 MiB stack of a worker
/// thread (deps built with `opt-level = 1`); this keeps a wide margin.
const NESTING_ON_THIS_STACK: usize = 100;
/// Past this many, a formula is not rendered at all (it would need a stack
/// of hundreds of megabytes; no real formula comes near).
const NESTING_MAX: usize = 20_000;
/// Stack per possible level of nesting on a formula's own thread: several
/// times what one level was measured to take (about 3 KiB unoptimised).
const STACK_PER_LEVEL: usize = 16 * 1024;

fn converter() -> &'static LatexToMathML {
    static CONVERTER: OnceLock<LatexToMathML> = OnceLock::new();
    // No macros are given, so the configuration cannot fail to parse.
    // `allow_unreliable_rendering` admits `\widetilde`, `\widecheck` and
    // `\utilde`: maths vaults use them (MathJax, which Obsidian uses, has
    // them), and a stretched accent that a browser draws a little short
    // beats a warning and raw TeX.
    let config = MathCoreConfig { allow_unreliable_rendering: true, ..MathCoreConfig::default() };
    CONVERTER.get_or_init(|| LatexToMathML::new(config).unwrap_or_default())
}

/// Renders the formula `tex` (the text between the dollar signs), found at
/// byte range `span` of `source` (the body it comes from), as MathML.
///
/// # Errors
/// A [`MathError`] at the offending part of the TeX when math-core cannot
/// parse it (an unknown command, an unclosed group…), or when it is nested
/// too deeply to render safely.
pub fn formula(source: &str, span: Range<usize>, tex: &str, display: bool) -> Formula {
    let rendered = to_mathml(tex, display).map_err(|(at, message)| {
        let start = source_offset(source, &span, tex, at.start);
        MathError { span: start..start + (at.end - at.start).max(1), message }
    });
    Formula { span, display, rendered }
}

/// `tex` as a `<math>` element (`display="block"` for a display formula), or
/// the byte range in `tex` of what is wrong with a message.
fn to_mathml(tex: &str, display: bool) -> Result<String, (Range<usize>, String)> {
    let mode = if display { MathDisplay::Block } else { MathDisplay::Inline };
    let levels = tex.bytes().filter(|b| matches!(b, b'\\' | b'{' | b'[' | b'^' | b'_')).count();
    let convert = move || {
        converter()
            .convert_with_local_state(tex, mode)
            .map(|result| result.mathml)
            .map_err(|e| (e.0.clone(), e.to_string()))
    };
    if levels <= NESTING_ON_THIS_STACK {
        // A panic in math-core is its bug, not the note's: report, don't crash.
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(convert))
            .unwrap_or_else(|_| Err((0..0, crashed())));
    }
    if levels > NESTING_MAX {
        return Err((
            0..0,
            format!("the formula is too long to render ({levels} commands, braces and scripts)"),
        ));
    }
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("lode-math".into())
            .stack_size(1024 * 1024 + levels * STACK_PER_LEVEL)
            .spawn_scoped(scope, convert)
            .map_err(|e| (0..0, format!("cannot start a thread to render the formula: {e}")))?
            .join()
            .unwrap_or_else(|_| Err((0..0, crashed())))
    })
}

fn crashed() -> String {
    "the TeX renderer failed on this formula".to_string()
}

/// Byte offset in `source` of byte `at` of `tex`, the content of the
/// formula at `span`. The content is usually verbatim in the source; a
/// display formula over several lines of a block quote or a list loses each
/// line's `>` or indentation, so the line holding `at` is looked up instead.
fn source_offset(source: &str, span: &Range<usize>, tex: &str, at: usize) -> usize {
    let Some(written) = source.get(span.clone()) else { return span.start };
    let at = at.min(tex.len());
    if let Some(i) = written.find(tex) {
        return span.start + i + at;
    }
    let line_start = tex[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = tex[at..].find('\n').map_or(tex.len(), |i| at + i);
    let mut from = 0;
    for _ in 0..tex[..line_start].matches('\n').count() {
        match written[from..].find('\n') {
            Some(i) => from += i + 1,
            None => return span.start,
        }
    }
    match written[from..].find(&tex[line_start..line_end]) {
        Some(i) => span.start + from + i + (at - line_start),
        None => span.start,
    }
}

/// The HTML of a formula: its MathML, or its TeX as written in a
/// `<code class="math-error">` when it cannot be rendered.
pub fn push_html(out: &mut String, formula: &Formula, tex: &str) {
    match &formula.rendered {
        Ok(mathml) => out.push_str(mathml),
        Err(e) => {
            let dollars = if formula.display { "$$" } else { "$" };
            out.push_str("<code class=\"math-error\" title=\"");
            push_escaped(out, &e.message);
            out.push_str("\">");
            push_escaped(out, dollars);
            push_escaped(out, tex);
            push_escaped(out, dollars);
            out.push_str("</code>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(source: &str, display: bool) -> Formula {
        let d = if display { 2 } else { 1 };
        formula(source, 0..source.len(), &source[d..source.len() - d], display)
    }

    #[test]
    fn formulas_become_mathml() {
        let f = render(r"$\frac{a}{b}$", false);
        assert_eq!(f.rendered, Ok("<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>".to_string()));
        let f = render(r"$$\sqrt{x}$$", true);
        assert!(f.rendered.unwrap().starts_with("<math display=\"block\"><msqrt>"));
    }

    #[test]
    fn errors_point_into_the_source() {
        let source = r"$x + \nosuch{y}$";
        let e = render(source, false).rendered.unwrap_err();
        assert_eq!(&source[e.span.clone()], r"\nosuch");
        assert!(e.message.contains("nosuch"), "{}", e.message);

        // A display formula in a block quote: its lines lost their `> `.
        let source = "> $$\n> a \\\\\n> \\bad\n> $$";
        let tex = "\na \\\\\n\\bad\n";
        let e = formula(source, 2..source.len(), tex, true).rendered.unwrap_err();
        assert_eq!(&source[e.span.start..e.span.start + 4], "\\bad");
    }

    #[test]
    fn deep_nesting_is_rendered_or_refused_without_overflowing() {
        let deep = format!("${}x{}$", r"\sqrt{".repeat(3000), "}".repeat(3000));
        assert!(render(&deep, false).rendered.is_ok());
        let deeper = format!("${}x$", r"\hat".repeat(NESTING_MAX + 1));
        let e = render(&deeper, false).rendered.unwrap_err();
        assert!(e.message.contains("too long"), "{}", e.message);
    }

    #[test]
    fn a_bad_formula_is_shown_as_code() {
        let f = render(r"$a<\nosuch$", false);
        let mut html = String::new();
        push_html(&mut html, &f, r"a<\nosuch");
        assert!(html.starts_with("<code class=\"math-error\" title=\"Unknown command"), "{html}");
        assert!(html.ends_with(r#"">$a&lt;\nosuch$</code>"#), "{html}");
    }
}
