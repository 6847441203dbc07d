//! Raw HTML elements a note opens and never closes (`<div>` with no
//! `</div>`, `<details>`), which would otherwise take the rest of the page:
//! the note's later text and the templates' own elements after the body (a
//! `<details>` hides them). `<script>`, `<style>`, `<textarea>` and the
//! other tags GFM's tag filter disallows never get here: the filter shows
//! them as text (`content::scan::extensions`).
//!
//! A small tag reader over the raw HTML events of phase 1, after the HTML
//! standard's tokenizer (start and end tags, comments and declarations
//! skipped), with its tree builder's end-tag rule simplified: an end tag
//! closes the innermost open element of its name and those opened inside it.
//! Void elements (`<br>`, `<img>`), self-closing tags (`<x/>`) and elements
//! whose end tag may be left out (`<p>`, `<li>`, `<td>`…) never count as
//! unclosed. A tag written over several lines is not read.

use std::ops::Range;

use pulldown_cmark::Event;

/// An element opened in raw HTML and never closed in its note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unclosed {
    /// The element's name, lowercase (`div`).
    pub name: String,
    /// The byte range of its start tag in the body's text.
    pub span: Range<usize>,
    /// Closed by Lode at the end of its HTML block (a `<pre>` block that
    /// would have run to the end of the note, see [`ended_early`]), not at
    /// the end of the note.
    pub closed_at_block_end: bool,
}

/// The end tags that end an HTML block opened by `<pre>`, `<script>`,
/// `<style>` or `<textarea>` (CommonMark 0.31.2, "HTML blocks", condition 1).
const RAW_BLOCK_ENDS: &[&str] = &["</pre>", "</script>", "</style>", "</textarea>"];

/// The offsets of the `<` of each `<pre` that opens an HTML block at the
/// top level of `text` (a line's start, up to three spaces in) which runs
/// to the end of the text because no end tag ends it.
pub fn runaway_pre_blocks(evs: &[(Event, Range<usize>)], text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    for (event, range) in evs {
        if !matches!(event, Event::Start(pulldown_cmark::Tag::HtmlBlock)) || range.end < text.trim_end().len()
        {
            continue;
        }
        let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
        let indent = text[line_start..].bytes().take_while(|b| *b == b' ').count();
        let at = line_start + indent;
        let opens_pre = indent <= 3
            && at >= range.start
            && text.get(at..at + 4).is_some_and(|t| t.eq_ignore_ascii_case("<pre"))
            && text[at + 4..].starts_with([' ', '\t', '>', '\n', '\r']);
        let block = text[range.clone()].to_ascii_lowercase();
        if opens_pre && !RAW_BLOCK_ENDS.iter().any(|end| block.contains(end)) {
            found.push(at);
        }
    }
    found
}

/// The events of `text` with each `<pre` at `starts` (from
/// [`runaway_pre_blocks`]) ending its HTML block at the block's first blank
/// line: `parse` reads a copy of `text` in which that `<pre` is spelt
/// `<dir`, a name that opens a block of that kind (condition 6); its events
/// then show the `<pre` as written, and a `</pre>` of no width (which
/// [`Tracker`] does not count as the author's) ends the block.
pub fn ended_early(
    text: &str,
    starts: &[usize],
    parse: impl FnOnce(&str) -> Vec<(Event<'static>, Range<usize>)>,
) -> Vec<(Event<'static>, Range<usize>)> {
    let mut changed = text.as_bytes().to_vec();
    for &at in starts {
        changed[at + 1..at + 4].copy_from_slice(b"dir");
    }
    let changed = String::from_utf8(changed).unwrap_or_else(|_| text.to_string());
    let mut out = Vec::new();
    let mut in_changed_block = false;
    for (event, range) in parse(&changed) {
        let restored = match event {
            Event::Html(raw) if starts.iter().any(|at| range.contains(at)) => {
                in_changed_block = true;
                let mut raw = raw.to_string();
                for &at in starts.iter().filter(|at| range.contains(at)) {
                    let rel = at - range.start;
                    if raw.get(rel..rel + 4).is_some_and(|t| t.eq_ignore_ascii_case("<dir")) {
                        raw.replace_range(rel..rel + 4, &text[at..at + 4]);
                    }
                }
                Event::Html(raw.into())
            }
            Event::End(pulldown_cmark::TagEnd::HtmlBlock) if in_changed_block => {
                in_changed_block = false;
                out.push((Event::Html("</pre>\n".into()), range.end..range.end));
                Event::End(pulldown_cmark::TagEnd::HtmlBlock)
            }
            other => other,
        };
        out.push((restored, range));
    }
    out
}

/// HTML's void elements and those whose end tag may be left out.
const NEVER_UNCLOSED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead", "tbody", "tfoot", "rt", "rp",
    "colgroup", "caption", "html", "head", "body", "c",
];

/// Reads the raw HTML events of one body in order; [`Tracker::finish`]
/// gives what stayed open.
#[derive(Debug, Default)]
pub struct Tracker {
    open: Vec<Unclosed>,
    /// The runaway `<pre>`s Lode closed at the end of their blocks.
    closed_early: Vec<Unclosed>,
}

impl Tracker {
    /// Reads `event` (at `range` of `text`) when it is raw HTML. An event
    /// of no width is one Lode added ([`ended_early`]), not the author's.
    pub fn feed(&mut self, event: &Event, range: &Range<usize>, text: &str) {
        let raw = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => raw.as_ref(),
            _ => return,
        };
        // Where `raw` is in the text (a line inside a block quote or a list
        // comes without its markers).
        let written = text.get(range.clone()).unwrap_or("");
        let base = range.start + written.find(raw).unwrap_or(0);
        let bytes = raw.as_bytes();
        let mut i = 0;
        while let Some(lt) = raw[i..].find('<').map(|at| i + at) {
            i = lt + 1;
            let Some(&next) = bytes.get(i) else { break };
            if next == b'!' || next == b'?' {
                let end = if raw[i..].starts_with("!--") { "-->" } else { ">" };
                i = raw[i..].find(end).map_or(raw.len(), |at| i + at + end.len());
                continue;
            }
            let closing = next == b'/';
            let start = if closing { i + 1 } else { i };
            let name_len =
                raw[start..].bytes().take_while(|b| b.is_ascii_alphanumeric() || *b == b'-').count();
            if name_len == 0 || !bytes[start].is_ascii_alphabetic() {
                continue;
            }
            let Some(gt) = tag_end(&raw[start + name_len..]).map(|at| start + name_len + at) else { break };
            let name = raw[start..start + name_len].to_ascii_lowercase();
            i = gt + 1;
            if closing && range.is_empty() {
                // Lode's own `</pre>` (see [`ended_early`]): the `<pre>` is
                // still the author's unclosed one, closed early.
                if let Some(at) = self.open.iter().rposition(|o| o.name == name) {
                    let mut open = self.open.remove(at);
                    open.closed_at_block_end = true;
                    self.closed_early.push(open);
                }
            } else if closing {
                if let Some(at) = self.open.iter().rposition(|o| o.name == name) {
                    self.open.truncate(at);
                }
            } else if !(NEVER_UNCLOSED.contains(&name.as_str()) || raw[..gt].ends_with('/')) {
                self.open.push(Unclosed { name, span: base + lt..base + gt + 1, closed_at_block_end: false });
            }
        }
    }

    /// The elements still open, in the order they were opened.
    pub fn finish(mut self) -> Vec<Unclosed> {
        self.open.append(&mut self.closed_early);
        self.open.sort_by_key(|u| u.span.start);
        self.open
    }
}

/// Where the `>` ending a tag is in `rest` (after its name), past quoted
/// attribute values; `None` when the tag does not end there.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (at, b) in rest.bytes().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return Some(at),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unclosed(body: &str) -> Vec<(String, &str)> {
        let mut tracker = Tracker::default();
        for (event, range) in pulldown_cmark::Parser::new(body).into_offset_iter() {
            tracker.feed(&event, &range, body);
        }
        tracker.finish().into_iter().map(|u| (u.name.clone(), &body[u.span])).collect()
    }

    #[test]
    fn only_what_is_never_closed_counts() {
        assert_eq!(unclosed("<div class=\"a\">\n\nText\n\n</div>\n"), []);
        assert_eq!(unclosed("<div>\n\nText *em*\n"), [("div".to_string(), "<div>")]);
        assert_eq!(
            unclosed("A <span title=\"a>b\">x, <br> and <img src=a.png/>\n"),
            [("span".to_string(), "<span title=\"a>b\">")]
        );
        assert_eq!(unclosed("<p>one\n<ul><li>a</ul>\n<!-- <div> -->\n"), []);
        assert_eq!(
            unclosed("<details><summary>S</summary>\n\nBody\n"),
            [("details".to_string(), "<details>")]
        );
        assert_eq!(unclosed("<section><div>\n\n</section>\n"), []);
        assert_eq!(unclosed("> <div>\n> quoted\n"), [("div".to_string(), "<div>")]);
    }
}
