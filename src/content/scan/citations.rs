//! Inline citations in Pandoc's syntax
//! (<https://pandoc.org/MANUAL.html#citation-syntax>), in its simplest
//! form: `[@id]`, or several sources at once, `[@id1; @id2]`. Each id names
//! one of the note's `[[sources]]` (see [`crate::content::Source`]); the
//! page shows `<sup class="cite"><a href="#source-ID">[n]</a></sup>`, `n`
//! being the source's 1-based position in the note's list.
//!
//! Citations are read in text only: never in code (spans or blocks), maths,
//! HTML blocks or a link's text, and never after a backslash (`\[@id]` stays
//! as written); text between inline HTML tags is Markdown text, as in Pandoc. Pandoc's prefixes, locators and author suppression
//! (`[see @doe, p. 3]`, `[-@doe]`) are not read: such text stays as written.
//!
//! [`find`] reads them at scan time (byte offsets into the text, so a
//! diagnostic can point at the id); [`weave`] splits the text events around
//! them for the renderer, which writes each one.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// One citation as written: `[@a; @b]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// Byte range of the whole citation, brackets included, in the text scanned.
    pub span: Range<usize>,
    /// Each id cited, in order, with the byte range of its `@id`.
    pub ids: Vec<(String, Range<usize>)>,
}

/// Whether `b` may be part of a citation id: Pandoc's keys start with a
/// letter, a digit or `_`; Lode's source ids are `[a-z0-9-]`, and any id
/// of letters, digits, `_` and `-` is read so that an unknown one can be
/// reported.
fn id_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Reads the citation starting at `at` (a `[`) of `text`, if there is one.
fn citation_at(text: &str, at: usize) -> Option<Citation> {
    let bytes = text.as_bytes();
    let mut i = at + 1;
    let mut ids = Vec::new();
    loop {
        while bytes.get(i).is_some_and(|b| *b == b' ') {
            i += 1;
        }
        if bytes.get(i) != Some(&b'@') {
            return None;
        }
        let start = i;
        i += 1;
        while bytes.get(i).copied().is_some_and(id_byte) {
            i += 1;
        }
        if i == start + 1 {
            return None;
        }
        ids.push((text[start + 1..i].to_string(), start..i));
        while bytes.get(i).is_some_and(|b| *b == b' ') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b';') => i += 1,
            Some(b']') => return Some(Citation { span: at..i + 1, ids }),
            _ => return None,
        }
    }
}

/// The citations in `text` (a body or an explanation, comments blanked)
/// given its events: in runs of text outside code blocks, links, images and
/// maths; a run is a sequence of text events that touch each other.
pub fn find(text: &str, events: &[(Event<'_>, Range<usize>)]) -> Vec<Citation> {
    let mut found = Vec::new();
    let mut hidden = 0usize; // code blocks, links, images, metadata blocks open
    let mut run: Option<Range<usize>> = None;
    let flush = |run: &mut Option<Range<usize>>, found: &mut Vec<Citation>| {
        let Some(r) = run.take() else { return };
        let Some(source) = text.get(r.clone()) else { return };
        let mut from = 0;
        while let Some(open) = source[from..].find("[@").map(|i| from + i) {
            let escaped = text[..r.start + open].bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1;
            let citation = if escaped { None } else { citation_at(text, r.start + open) };
            match citation.filter(|c| c.span.end <= r.end) {
                Some(c) => {
                    from = c.span.end - r.start;
                    found.push(c);
                }
                None => from = open + 1,
            }
        }
    };
    for (event, range) in events {
        match event {
            Event::Start(
                Tag::CodeBlock(_) | Tag::Link { .. } | Tag::Image { .. } | Tag::MetadataBlock(_),
            ) => {
                flush(&mut run, &mut found);
                hidden += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Link | TagEnd::Image | TagEnd::MetadataBlock(_)) => {
                flush(&mut run, &mut found);
                hidden = hidden.saturating_sub(1);
            }
            Event::Text(_) if hidden == 0 => match &mut run {
                Some(r) if r.end == range.start => r.end = range.end,
                _ => {
                    flush(&mut run, &mut found);
                    run = Some(range.clone());
                }
            },
            _ => flush(&mut run, &mut found),
        }
    }
    flush(&mut run, &mut found);
    found
}

/// Splits the text events of `events` around `citations` (sorted, from
/// [`find`] on the same text): each citation becomes one inline HTML event,
/// `write(citation)`, at its span, and the text around it stays text with
/// its own range. A citation `write` gives `None` for stays as written.
/// Text whose event does not hold its source byte for byte (an entity, an
/// escape) is never split; a citation never holds one.
pub fn weave<'a>(
    text: &str,
    events: Vec<(Event<'a>, Range<usize>)>,
    citations: &[Citation],
    write: impl Fn(&Citation) -> Option<String>,
) -> Vec<(Event<'a>, Range<usize>)> {
    if citations.is_empty() {
        return events;
    }
    let written: Vec<Option<String>> = citations.iter().map(&write).collect();
    let mut out = Vec::with_capacity(events.len() + 2 * citations.len());
    for (event, range) in events {
        let Event::Text(t) = &event else {
            out.push((event, range));
            continue;
        };
        let verbatim = text.get(range.clone()) == Some(t.as_ref());
        let first = citations.partition_point(|c| c.span.end <= range.start);
        let touching: Vec<usize> =
            (first..citations.len()).take_while(|&c| citations[c].span.start < range.end).collect();
        if !verbatim || touching.iter().all(|&c| written[c].is_none()) {
            out.push((event, range));
            continue;
        }
        let mut at = range.start;
        for c in touching {
            let Some(html) = &written[c] else { continue };
            let span = &citations[c].span;
            if span.start > at {
                out.push((Event::Text(CowStr::from(text[at..span.start].to_string())), at..span.start));
            }
            if span.start >= range.start {
                out.push((Event::InlineHtml(CowStr::from(html.clone())), span.clone()));
            }
            at = span.end.min(range.end).max(at);
        }
        if at < range.end {
            out.push((Event::Text(CowStr::from(text[at..range.end].to_string())), at..range.end));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(text: &str) -> Vec<Vec<String>> {
        let evs = crate::content::scan::events(text);
        find(text, &evs).into_iter().map(|c| c.ids.into_iter().map(|(id, _)| id).collect()).collect()
    }

    #[test]
    fn pandoc_citations_are_read_in_text_only() {
        assert_eq!(cites("A claim [@pib]. Two [@a; @b-2]."), vec![vec!["pib"], vec!["a", "b-2"]]);
        assert_eq!(cites("*x [@a]* and **[@b]**"), vec![vec!["a"], vec!["b"]]);
        // Text between inline HTML tags is Markdown text, as in Pandoc; an HTML block is not.
        assert_eq!(cites("<span>[@a]</span>"), vec![vec!["a"]]);
        let none = [
            "`[@a]`",
            "```\n[@a]\n```",
            "[see [@a]](https://example.org)",
            "\\[@a]",
            "<div>\n[@a]\n</div>",
            "$[@a]$",
            "[@]",
            "[@a, p. 3]",
            "[see @a]",
            "email@example.org [x]",
        ];
        for text in none {
            assert!(cites(text).is_empty(), "{text:?}: {:?}", cites(text));
        }
    }

    #[test]
    fn ids_keep_their_byte_ranges() {
        let text = "é [@one;@two]";
        let evs = crate::content::scan::events(text);
        let found = find(text, &evs);
        assert_eq!(&text[found[0].span.clone()], "[@one;@two]");
        assert_eq!(&text[found[0].ids[1].1.clone()], "@two");
    }

    #[test]
    fn weaving_splits_text_around_each_citation() {
        let text = "a [@x] b [@y] c";
        let evs = crate::content::scan::events(text);
        let found = find(text, &evs);
        let woven = weave(text, evs, &found, |c| (c.ids[0].0 == "x").then(|| "<sup>1</sup>".to_string()));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, woven.into_iter().map(|(e, _)| e));
        assert_eq!(html, "<p>a <sup>1</sup> b [@y] c</p>\n");
    }
}
