//! Fenced code blocks, a leaf: the fence's info string (language, line
//! numbers, marked lines), syntax highlighting at build time, and the check
//! of a Mermaid diagram's type (`mermaid`).
//!
//! Highlighting uses syntect's Sublime Text grammars, but writes none of
//! their scopes: each scope is mapped to one of a dozen short token classes
//! ([`TOKEN_CLASSES`], `<span class="hl-k">` for a keyword), whose colours
//! the stylesheet gives for light, dark and print (`static/style.css`,
//! "Code"). The page stays small and a site's theme is CSS alone.

use std::fmt::Write as _;
use std::ops::RangeInclusive;
use std::str::FromStr;
use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSettings};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::html::push_escaped;

pub mod mermaid;

/// What a fence's info string asks for: ` ```rust {2,4-5} `,
/// ` ```rust,linenos,hl_lines=2 4-5 `.
///
/// Two spellings, on purpose: Zola's (`lang,linenos,linenostart=N,hl_lines=2 4-5`,
/// <https://www.getzola.org/documentation/content/syntax-highlighting/>),
/// and braces after the language as VitePress, Docusaurus and Hugo write
/// them (`{2,4-5}`, `{linenos}`, `{linenos=true,linenostart=5}`). An
/// attribute Lode does not know is ignored, so the code shows as written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fence<'a> {
    /// The language as written (`rust`), `None` when the info string names none.
    pub lang: Option<&'a str>,
    /// Whether lines are numbered.
    pub linenos: bool,
    /// The number of the first line (1 unless `linenostart=N`).
    pub start: usize,
    /// The lines marked, numbered from `start`.
    pub marked: Vec<RangeInclusive<usize>>,
}

impl Fence<'_> {
    /// Whether line `n` (numbered from [`Fence::start`]) is marked.
    pub fn is_marked(&self, n: usize) -> bool {
        self.marked.iter().any(|r| r.contains(&n))
    }
}

/// Reads a fence's info string (see [`Fence`]).
pub fn parse_fence(info: &str) -> Fence<'_> {
    let info = info.trim();
    let end = info.find(|c: char| c.is_whitespace() || c == ',' || c == '{').unwrap_or(info.len());
    let lang = Some(&info[..end]).filter(|l| !l.is_empty());
    let mut fence = Fence { lang, linenos: false, start: 1, marked: Vec::new() };
    let rest = info[end..].replace(['{', '}'], ",");
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v.trim().trim_matches(['"', '[', ']']))),
            None => (part, None),
        };
        match (key, value) {
            ("linenos", None) => fence.linenos = true,
            ("linenos", Some(v)) => fence.linenos = v != "false",
            ("linenostart", Some(v)) => {
                if let Ok(n) = v.parse() {
                    fence.start = n;
                }
            }
            ("hl_lines", Some(v)) => fence.marked.extend(line_ranges(v).unwrap_or_default()),
            _ => fence.marked.extend(line_ranges(part).unwrap_or_default()),
        }
    }
    fence
}

/// `2 4-5` (spaces or `"`s between) as line ranges; `None` when a part is not one.
fn line_ranges(s: &str) -> Option<Vec<RangeInclusive<usize>>> {
    s.split(|c: char| c.is_whitespace() || matches!(c, '"' | '[' | ']'))
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('-') {
            Some((a, b)) => Some(a.trim().parse().ok()?..=b.trim().parse().ok()?),
            None => p.parse().ok().map(|n| n..=n),
        })
        .collect()
}

/// The token classes written, each for the TextMate scopes that select it
/// (the most specific selector wins, as in a TextMate theme). A class is
/// written `hl-` and its letter; an empty class leaves the text uncoloured
/// (operators, which would otherwise take a keyword's colour).
pub const TOKEN_CLASSES: &[(&str, &str)] = &[
    ("comment, punctuation.definition.comment", "c"),
    ("keyword, storage, variable.language", "k"),
    ("keyword.operator, punctuation", ""),
    ("string, punctuation.definition.string, constant.character, markup.raw", "s"),
    ("constant.character.escape, constant.other.placeholder", "e"),
    (
        "constant.numeric, constant.numeric punctuation, constant.language, support.constant, constant.other",
        "n",
    ),
    ("entity.name.function, support.function, variable.function", "f"),
    (
        "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, entity.name.trait, \
         entity.other.inherited-class, support.type, support.class, storage.type.primitive",
        "t",
    ),
    ("entity.name.tag, entity.other.attribute-name, meta.attribute", "a"),
    ("support.macro, entity.name.macro, meta.preprocessor", "m"),
    ("markup.heading, entity.name.section", "h"),
    ("markup.inserted", "i"),
    ("markup.deleted", "d"),
];

/// The grammars and the class-mapping theme, made once, on the first code
/// block with a language: a site without one never pays for them.
struct Highlighting {
    syntaxes: SyntaxSet,
    theme: Theme,
}

fn highlighting() -> &'static Highlighting {
    static CELL: OnceLock<Highlighting> = OnceLock::new();
    CELL.get_or_init(|| {
        // The class index (1-based, 0: none) is carried as the red channel.
        let scopes = TOKEN_CLASSES
            .iter()
            .enumerate()
            .filter_map(|(i, (selectors, _))| {
                Some(ThemeItem {
                    scope: ScopeSelectors::from_str(selectors).ok()?,
                    style: StyleModifier {
                        foreground: Some(Color { r: i as u8 + 1, g: 0, b: 0, a: 0xff }),
                        background: None,
                        font_style: None,
                    },
                })
            })
            .collect();
        let settings = ThemeSettings {
            foreground: Some(Color { r: 0, g: 0, b: 0, a: 0xff }),
            ..ThemeSettings::default()
        };
        Highlighting {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            theme: Theme { name: None, author: None, settings, scopes },
        }
    })
}

/// Whether a grammar knows `lang` (a name or file extension: `rust`, `rs`,
/// `Python`, `py`), without loading the grammars for an empty one.
pub fn knows(lang: &str) -> bool {
    !lang.is_empty() && highlighting().syntaxes.find_syntax_by_token(lang).is_some()
}

/// Appends the HTML of a fenced or indented code block to `out`:
/// `<pre><code class="language-rust">`, its text escaped and, when
/// `highlight` and a grammar knows the language, split into
/// `<span class="hl-X">` tokens ([`TOKEN_CLASSES`]). An unknown language
/// or none is plain text, never an error. Line numbers and marked lines
/// ([`Fence`]) wrap each line in `<span class="line">` (`line mark` when
/// marked); the numbers are CSS counters (`pre.linenos`), so they are in no
/// copied selection and no search index.
pub fn push_html(out: &mut String, info: &str, code: &str, highlight: bool) {
    let fence = parse_fence(info);
    let lines = fence.linenos || !fence.marked.is_empty();
    out.push_str("<pre");
    if fence.linenos {
        out.push_str(" class=\"linenos\"");
        if fence.start != 1 {
            let _ = write!(out, " style=\"counter-reset: line {}\"", fence.start.saturating_sub(1));
        }
    }
    out.push_str("><code");
    if let Some(lang) = fence.lang {
        out.push_str(" class=\"language-");
        push_escaped(out, lang);
        out.push('"');
    }
    out.push('>');
    let grammar = fence
        .lang
        .filter(|_| highlight)
        .and_then(|l| highlighting().syntaxes.find_syntax_by_token(l).map(|s| (highlighting(), s)));
    let mut highlighter = grammar.map(|(h, s)| HighlightLines::new(s, &h.theme));
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        let text = line.strip_suffix('\n').unwrap_or(line);
        if lines {
            out.push_str(if fence.is_marked(fence.start + i) {
                "<span class=\"line mark\">"
            } else {
                "<span class=\"line\">"
            });
        }
        let tokens = highlighter
            .as_mut()
            .zip(grammar)
            .and_then(|(h, (g, _))| h.highlight_line(line, &g.syntaxes).ok());
        match tokens {
            Some(tokens) => push_tokens(out, &tokens, text.len()),
            None => push_escaped(out, text),
        }
        if lines {
            out.push_str("</span>");
        }
        if line.len() > text.len() {
            out.push('\n');
        }
    }
    out.push_str("</code></pre>\n");
}

/// The tokens of one line (their text up to `len` bytes: the line without
/// its newline), runs of one class in one `<span>`.
fn push_tokens(out: &mut String, tokens: &[(syntect::highlighting::Style, &str)], len: usize) {
    let class_of = |style: &syntect::highlighting::Style| {
        TOKEN_CLASSES
            .get(usize::from(style.foreground.r).wrapping_sub(1))
            .map(|(_, c)| *c)
            .filter(|c| !c.is_empty())
    };
    let mut at = 0;
    let mut open: Option<&str> = None;
    for (i, (style, piece)) in tokens.iter().enumerate() {
        let piece = &piece[..piece.len().min(len.saturating_sub(at))];
        at += piece.len();
        if piece.is_empty() {
            continue;
        }
        // Blanks take no colour: they stay in a run only between two of its tokens.
        let class = if piece.trim().is_empty() {
            let next =
                tokens[i + 1..].iter().find(|(_, p)| !p.trim().is_empty()).and_then(|(s, _)| class_of(s));
            open.filter(|o| Some(*o) == next)
        } else {
            class_of(style)
        };
        if class != open {
            if open.is_some() {
                out.push_str("</span>");
            }
            if let Some(c) = class {
                let _ = write!(out, "<span class=\"hl-{c}\">");
            }
            open = class;
        }
        push_escaped(out, piece);
    }
    if open.is_some() {
        out.push_str("</span>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_in_zola_and_brace_spellings() {
        let f = parse_fence("rust {2,4-5}");
        assert_eq!((f.lang, f.linenos, f.marked.clone()), (Some("rust"), false, vec![2..=2, 4..=5]));
        assert!(f.is_marked(4) && !f.is_marked(3));
        let f = parse_fence("rust,linenos,hl_lines=1 3-4,linenostart=10");
        assert_eq!((f.lang, f.linenos, f.start, f.marked), (Some("rust"), true, 10, vec![1..=1, 3..=4]));
        let f = parse_fence("py {linenos=true, hl_lines=[2,\"4-5\"]}");
        assert_eq!((f.lang, f.linenos, f.marked), (Some("py"), true, vec![2..=2, 4..=5]));
        let f = parse_fence("{linenos}");
        assert_eq!((f.lang, f.linenos), (None, true));
        assert_eq!(parse_fence("").lang, None);
        // Unknown attributes are ignored.
        assert_eq!(parse_fence("rust {title=\"main.rs\"}").marked, vec![]);
    }

    #[test]
    fn tokens_take_classes_and_unknown_languages_stay_plain() {
        let mut out = String::new();
        push_html(&mut out, "rust", "fn main() { let s = \"<x>\"; } // hi\n", true);
        assert!(out.starts_with("<pre><code class=\"language-rust\">"), "{out}");
        assert!(out.contains("<span class=\"hl-k\">fn</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-s\">&quot;&lt;x&gt;&quot;</span>"), "{out}");
        assert!(out.contains("<span class=\"hl-c\">// hi</span>\n</code>"), "{out}");
        let mut plain = String::new();
        push_html(&mut plain, "nosuchlang", "a < b\n", true);
        assert_eq!(plain, "<pre><code class=\"language-nosuchlang\">a &lt; b\n</code></pre>\n");
        let mut off = String::new();
        push_html(&mut off, "rust", "fn x\n", false);
        assert_eq!(off, "<pre><code class=\"language-rust\">fn x\n</code></pre>\n");
    }

    #[test]
    fn numbered_and_marked_lines_are_wrapped() {
        let mut out = String::new();
        push_html(&mut out, "text {linenos,2}", "a\nb\nc", true);
        assert_eq!(
            out,
            "<pre class=\"linenos\"><code class=\"language-text\"><span class=\"line\">a</span>\n<span class=\"line mark\">b</span>\n<span class=\"line\">c</span></code></pre>\n"
        );
    }
}
