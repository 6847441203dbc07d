//! Mermaid diagrams (` ```mermaid `): the page draws them in the browser with
//! a copy of Mermaid shipped with Lode (`vendor/mermaid/`, written to
//! `_lode/mermaid/` of a site that has a diagram and loaded by
//! `static/diagrams.js` only on pages that have one). No Rust crate draws
//! Mermaid faithfully, so the build does not parse a diagram; it checks
//! what a typo most often breaks: that the diagram's first line names a
//! type Mermaid knows.

use std::ops::Range;

/// The info string's language that makes a fenced block a diagram.
pub const LANG: &str = "mermaid";

/// The script that draws a page's diagrams, relative to the site root
/// (`static/diagrams.js`, one of the files every site gets).
pub const LOADER: &str = "diagrams.js";

/// Where a site that has a diagram gets Mermaid, relative to the site root,
/// with its licence (MIT) beside it: see [`files`].
pub const PATHS: [&str; 2] = ["_lode/mermaid/mermaid.min.js", "_lode/mermaid/LICENSE"];

/// Mermaid's `mermaid.min.js`, gzipped (0.98 MB in the binary for 3.57 MB).
const MERMAID_GZ: &[u8] = include_bytes!("../../vendor/mermaid/mermaid.min.js.gz");

/// The files of [`PATHS`], in order: Mermaid (uncompressed, as a static
/// host serves it) and its licence.
pub fn files() -> [(&'static str, Vec<u8>); 2] {
    let mut js = Vec::with_capacity(3_600_000);
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(MERMAID_GZ), &mut js)
        .expect("the embedded copy of Mermaid is valid gzip (a test reads it)");
    [(PATHS[0], js), (PATHS[1], include_bytes!("../../vendor/mermaid/LICENSE").to_vec())]
}

/// The first word of every diagram type of Mermaid 11
/// (<https://mermaid.js.org/intro/syntax-reference.html>), as its
/// detectors read it (case-sensitive).
pub const TYPES: &[&str] = &[
    "flowchart",
    "flowchart-elk",
    "graph",
    "sequenceDiagram",
    "classDiagram",
    "classDiagram-v2",
    "stateDiagram",
    "stateDiagram-v2",
    "erDiagram",
    "journey",
    "gantt",
    "pie",
    "quadrantChart",
    "requirementDiagram",
    "gitGraph",
    "C4Context",
    "C4Container",
    "C4Component",
    "C4Dynamic",
    "C4Deployment",
    "mindmap",
    "timeline",
    "zenuml",
    "sankey",
    "sankey-beta",
    "xychart",
    "xychart-beta",
    "block",
    "block-beta",
    "packet",
    "packet-beta",
    "kanban",
    "architecture-beta",
    "radar-beta",
    "treemap-beta",
    "info",
];

/// A diagram Mermaid cannot draw: where (a byte range of the `lines` given
/// to [`check`]) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The byte range at fault, in the body's text.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// The type meant, when the word written is a near miss of one
    /// (`flowchar`: `flowchart`), by [`crate::query::nearest`].
    pub near: Option<&'static str>,
}

/// Checks a diagram from its lines, each with the byte offset where it
/// starts in the body (a diagram in a callout or a list has its prefixes cut):
/// the first line that is not blank, a `%%` comment or directive, or in a
/// leading `---` front-matter block must start with a type of [`TYPES`].
/// What follows the type (nodes, arrows, labels) is left to Mermaid, which
/// shows its own error in place of the drawing.
pub fn check<'a>(lines: impl IntoIterator<Item = (usize, &'a str)>, end: usize) -> Option<Problem> {
    let mut front_matter = None;
    for (at, line) in lines {
        let trimmed = line.trim();
        if front_matter == Some(true) {
            front_matter = Some(trimmed != "---");
            continue;
        }
        if trimmed == "---" && front_matter.is_none() {
            front_matter = Some(true);
            continue;
        }
        front_matter = Some(false);
        if trimmed.is_empty() || trimmed.starts_with("%%") {
            continue;
        }
        let word = trimmed.split(|c: char| c.is_whitespace() || c == ';' || c == ':').next().unwrap_or("");
        if TYPES.contains(&word) {
            return None;
        }
        let start = at + (line.len() - line.trim_start().len());
        return Some(Problem {
            span: start..start + word.len().max(1),
            message: format!("`{word}` is not a Mermaid diagram type"),
            near: crate::query::nearest(word, TYPES.iter().copied()),
        });
    }
    Some(Problem { span: end..end + 1, message: "this Mermaid diagram is empty".into(), near: None })
}

/// The help of a [`Problem`]: the nearest type when the word is a near
/// miss of one, else the types there are.
pub fn help(problem: &Problem) -> String {
    if let Some(near) = problem.near {
        return format!(
            "did you mean `{near}`? A diagram starts with its type (https://mermaid.js.org/intro/syntax-reference.html)"
        );
    }
    format!(
        "start the diagram with its type, one of: {} (https://mermaid.js.org/intro/syntax-reference.html)",
        TYPES.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<(usize, &str)> {
        let mut at = 0;
        s.split_inclusive('\n')
            .map(|l| {
                let start = at;
                at += l.len();
                (start, l.trim_end_matches('\n'))
            })
            .collect()
    }

    #[test]
    fn the_embedded_mermaid_unpacks() {
        let [(_, js), (_, licence)] = files();
        assert_eq!(js.len(), 3_572_661);
        assert!(String::from_utf8(licence).unwrap().contains("MIT"));
    }

    #[test]
    fn known_types_pass_after_comments_and_front_matter() {
        assert_eq!(check(lines("graph TD;\nA-->B\n"), 0), None);
        assert_eq!(check(lines("%% a comment\n\n  sequenceDiagram\n"), 0), None);
        assert_eq!(check(lines("---\ntitle: x\n---\nstateDiagram-v2\n"), 0), None);
    }

    #[test]
    fn an_unknown_type_is_named_at_its_word() {
        let p = check(lines("%% c\n  flowchar LR\n"), 100).unwrap();
        assert_eq!((p.span.clone(), p.message.as_str()), (7..15, "`flowchar` is not a Mermaid diagram type"));
        assert_eq!(p.near, Some("flowchart"));
        assert!(help(&p).starts_with("did you mean `flowchart`?"), "{}", help(&p));
        let far = check(lines("nonsense\n"), 9).unwrap();
        assert_eq!(far.near, None);
        assert!(help(&far).contains("one of: flowchart,"), "{}", help(&far));
        assert_eq!(check(lines("sequencediagram\n"), 20).unwrap().near, Some("sequenceDiagram"));
        assert_eq!(check(lines("\n"), 9).unwrap().message, "this Mermaid diagram is empty");
    }
}
