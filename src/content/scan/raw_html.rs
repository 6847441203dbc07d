//! Relative URLs in a note's raw HTML (`<img src="pic.png">`, `<a
//! href="Other.md#Part">`): found in phase 1 as links of their own
//! ([`super::LinkKind::Html`]), so that they are resolved, reported and
//! backlinked as Markdown links are, and rewritten in phase 2 to the
//! page-relative URL of their target (a note is written one folder deeper
//! than its file, so a URL kept as written would miss by a folder).
//!
//! The scanner reads start tags after the HTML standard's tokenizer
//! (<https://html.spec.whatwg.org/multipage/parsing.html#tokenization>),
//! simplified: comments, declarations, processing instructions, CDATA and
//! end tags are skipped, and in start tags the values of `src`, `href`,
//! `poster` and `srcset` are taken. It only ever replaces such a value, so
//! what it does not understand is left as written. An HTML block arrives
//! line by line: [`Scanner`] carries where a line ended (inside a tag, a
//! comment…) to the next, so a tag written over several lines is read too.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Context, LinkKind, LinkRef, is_external, split_target};

/// Where the scanner stands at the end of a chunk of HTML.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum State {
    /// Between tags.
    #[default]
    Data,
    /// Inside a start tag, between attributes.
    Tag,
    /// After an attribute name, before any `=`.
    AfterName(Option<Attr>),
    /// After `name=`, before the value.
    BeforeValue(Option<Attr>),
    /// Inside a quoted value (split over lines: not read).
    Value(u8),
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside `<![CDATA[ … ]]>`.
    Cdata,
    /// Inside an end tag, a declaration or a processing instruction, up to `>`.
    Bogus,
}

/// The attributes whose values are URLs Lode rewrites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attr {
    /// `src`, `href`, `poster`: one URL.
    Url,
    /// `srcset`: URLs with width or density descriptors.
    Srcset,
}

impl Attr {
    fn of(name: &str) -> Option<Attr> {
        if ["src", "href", "poster"].iter().any(|n| name.eq_ignore_ascii_case(n)) {
            Some(Attr::Url)
        } else if name.eq_ignore_ascii_case("srcset") {
            Some(Attr::Srcset)
        } else {
            None
        }
    }
}

/// A URL found in an attribute value.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    /// Its bytes in the chunk, as written (entities undecoded).
    pub at: Range<usize>,
    /// The value was written without quotes.
    pub unquoted: bool,
}

/// A relative URL of a raw HTML chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawUrl {
    /// Its bytes in the event's HTML.
    pub at: Range<usize>,
    /// Its bytes in the body (for diagnostics, and to match scan and render).
    pub span: Range<usize>,
    /// The URL, character references decoded and whitespace trimmed.
    pub url: String,
    /// The value was written without quotes.
    pub unquoted: bool,
}

impl RawUrl {
    /// The link it makes.
    pub(crate) fn link(&self) -> LinkRef {
        let (target, fragment) = split_target(LinkKind::Html, &self.url);
        LinkRef {
            kind: LinkKind::Html,
            embed: false,
            target,
            fragment,
            span: self.span.clone(),
            // No sentence: a backlink from raw HTML is listed without one.
            context: Context::default(),
        }
    }
}

/// Reads the raw HTML events of one text, in order, carrying the state of
/// an HTML block from one line to the next.
#[derive(Debug, Default)]
pub(crate) struct Scanner {
    state: State,
    /// Images open: their descriptions are written as text, not HTML.
    images: usize,
}

impl Scanner {
    /// Follows `event` (at `range` of `text`, the comment-stripped body);
    /// for raw HTML outside image descriptions, the relative URLs it holds.
    pub(crate) fn feed(&mut self, event: &Event<'_>, range: &Range<usize>, text: &str) -> Vec<RawUrl> {
        match event {
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => self.state = State::Data,
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            Event::Html(html) if self.images == 0 => return relative(html, range, text, &mut self.state),
            Event::InlineHtml(html) if self.images == 0 => {
                return relative(html, range, text, &mut State::Data);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Follows raw HTML the renderer meets, whatever it is inside (the
    /// renderer skips some events): its relative URLs, to be matched with
    /// the scan's links by their spans.
    pub(crate) fn render(&mut self, event: &Event<'_>, range: &Range<usize>, text: &str) -> Vec<RawUrl> {
        match event {
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => self.state = State::Data,
            Event::Html(html) => return relative(html, range, text, &mut self.state),
            Event::InlineHtml(html) => return relative(html, range, text, &mut State::Data),
            _ => {}
        }
        Vec::new()
    }
}

/// The relative URLs of `html`, the raw HTML event at `range` of `text`,
/// with their spans in `text`. A URL whose place in `text` is not certain
/// (the event's HTML differs from `text`, where a comment was dropped, and
/// the URL's bytes are not found in order) is left out.
fn relative(html: &str, range: &Range<usize>, text: &str, state: &mut State) -> Vec<RawUrl> {
    if !html.contains(['<', '=']) && *state == State::Data {
        return Vec::new();
    }
    let source = text.get(range.clone()).unwrap_or("");
    let verbatim = source == html;
    let mut searched = 0;
    let mut out = Vec::new();
    for found in attribute_urls(html, state) {
        let raw = &html[found.at.clone()];
        let Some(url) = decode(raw) else { continue };
        let url = url.trim_matches(|c: char| c.is_ascii_whitespace());
        if url.is_empty() || url.starts_with(['#', '?']) || is_external(url) {
            continue;
        }
        let start = if verbatim {
            found.at.start
        } else {
            match source[searched..].find(raw) {
                Some(i) => searched + i,
                None => continue,
            }
        };
        searched = start + raw.len();
        out.push(RawUrl {
            at: found.at.clone(),
            span: range.start + start..range.start + start + raw.len(),
            url: url.to_string(),
            unquoted: found.unquoted,
        });
    }
    out
}

/// The URL attribute values in `html`, starting in `state`, which is left
/// where the chunk ends.
fn attribute_urls(html: &str, state: &mut State) -> Vec<Found> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    while i < b.len() {
        match *state {
            State::Data => match html[i..].find('<') {
                None => i = b.len(),
                Some(n) => {
                    i += n + 1;
                    let rest = &html[i..];
                    if rest.starts_with("!--") {
                        i += 3;
                        *state = State::Comment;
                    } else if rest.starts_with("![CDATA[") {
                        i += 8;
                        *state = State::Cdata;
                    } else if rest.starts_with(['!', '?', '/']) {
                        *state = State::Bogus;
                    } else if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                        i += rest
                            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
                            .unwrap_or(rest.len());
                        *state = State::Tag;
                    }
                }
            },
            State::Comment | State::Cdata | State::Bogus => {
                let end = match *state {
                    State::Comment => "-->",
                    State::Cdata => "]]>",
                    _ => ">",
                };
                match html[i..].find(end) {
                    Some(n) => {
                        i += n + end.len();
                        *state = State::Data;
                    }
                    None => i = b.len(),
                }
            }
            State::Tag => {
                if space(b[i]) || b[i] == b'/' {
                    i += 1;
                } else if b[i] == b'>' {
                    i += 1;
                    *state = State::Data;
                } else {
                    // An attribute name: up to a space, `/`, `>` or `=` (not as its first character).
                    let start = i;
                    i += 1;
                    while i < b.len() && !space(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
                        i += 1;
                    }
                    *state = State::AfterName(Attr::of(&html[start..i]));
                }
            }
            State::AfterName(attr) => {
                if space(b[i]) {
                    i += 1;
                } else if b[i] == b'=' {
                    i += 1;
                    *state = State::BeforeValue(attr);
                } else {
                    *state = State::Tag;
                }
            }
            State::BeforeValue(attr) => {
                if space(b[i]) {
                    i += 1;
                    continue;
                }
                let (value, after, unquoted) = match b[i] {
                    b'>' => {
                        // `name=>`: an empty value, and the tag ends.
                        *state = State::Tag;
                        continue;
                    }
                    q @ (b'"' | b'\'') => match html[i + 1..].find(q as char) {
                        Some(n) => (i + 1..i + 1 + n, i + 2 + n, false),
                        None => {
                            *state = State::Value(q);
                            i = b.len();
                            continue;
                        }
                    },
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(b.len(), |n| i + n);
                        (i..end, end, true)
                    }
                };
                match attr {
                    Some(Attr::Url) => out.push(Found { at: value, unquoted }),
                    Some(Attr::Srcset) => out.extend(
                        srcset(&html[value.clone()])
                            .into_iter()
                            .map(|r| Found { at: value.start + r.start..value.start + r.end, unquoted }),
                    ),
                    None => {}
                }
                i = after;
                *state = State::Tag;
            }
            State::Value(q) => match html[i..].find(q as char) {
                Some(n) => {
                    i += n + 1;
                    *state = State::Tag;
                }
                None => i = b.len(),
            },
        }
    }
    out
}

/// The URLs of a `srcset` value (`a.png 1x, b.png 2x`), read as the HTML
/// standard says ("parse a srcset attribute": a URL runs to whitespace, or
/// ends at commas), when it is simple: no character references, each URL
/// with at most one width (`300w`) or density (`1.5x`) descriptor. Else none.
fn srcset(value: &str) -> Vec<Range<usize>> {
    if value.contains('&') {
        return Vec::new();
    }
    let b = value.as_bytes();
    let space = |c: u8| c.is_ascii_whitespace();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < b.len() && (space(b[i]) || b[i] == b',') {
            i += 1;
        }
        if i == b.len() {
            return out;
        }
        let start = i;
        while i < b.len() && !space(b[i]) {
            i += 1;
        }
        let url = value[start..i].trim_end_matches(',');
        out.push(start..start + url.len());
        if url.len() < i - start {
            continue;
        }
        let end = value[i..].find(',').map_or(b.len(), |n| i + n);
        let descriptor = value[i..end].trim();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        let density = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let simple = descriptor.is_empty()
            || descriptor.strip_suffix('w').is_some_and(digits)
            || descriptor.strip_suffix('x').is_some_and(density);
        if !simple {
            return Vec::new();
        }
        i = end;
    }
}

/// An attribute value with its character references decoded: the five
/// the HTML escapers write and numeric ones. `None` when it holds another
/// (a named reference Lode does not know: the value is left as written).
fn decode(raw: &str) -> Option<String> {
    if !raw.contains('&') {
        return Some(raw.to_string());
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';')?;
        let name = &rest[1..end];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = match name.strip_prefix('#')? {
                    hex if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok()?,
                    dec => dec.parse().ok()?,
                };
                char::from_u32(n).filter(|c| *c != '\0')?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A new value for an attribute written without quotes: as it is when it
/// may stand unquoted, else in double quotes. (`value` is escaped.)
pub(crate) fn unquoted_value(value: &str) -> String {
    if !value.is_empty() && !value.contains(|c: char| c.is_ascii_whitespace() || "\"'=<>`".contains(c)) {
        value.to_string()
    } else {
        format!("\"{value}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(html: &str) -> Vec<&str> {
        attribute_urls(html, &mut State::Data).into_iter().map(|f| &html[f.at]).collect()
    }

    #[test]
    fn url_attributes_are_found_in_start_tags_only() {
        assert_eq!(
            values(r#"<img src="a.png" alt='x' width=300><a href='b.md#c' title="href=no">t</a>"#),
            ["a.png", "b.md#c"]
        );
        assert_eq!(
            values("<video poster=p.jpg SRC=v.mp4 controls><source src=\"s.webm\">"),
            ["p.jpg", "v.mp4", "s.webm"]
        );
        assert_eq!(
            values("<!-- <img src=\"x.png\"> --><![CDATA[<a href=y>]]></a href=z><p data-src=\"q\">"),
            Vec::<&str>::new()
        );
        assert_eq!(values("<img srcset=\"a.png 1x, b.png 2x\" src = 'c.png'>"), ["a.png", "b.png", "c.png"]);
        assert_eq!(
            values("<img srcset=\"a.png?x=1,2 1x,b.png, c.png 300w,d.png,e.png\">"),
            ["a.png?x=1,2", "b.png", "c.png", "d.png,e.png"]
        );
        assert_eq!(values("<img srcset=\"a.png (min-width: 3px)\">"), Vec::<&str>::new());
        assert_eq!(values("text < 3 and <b>bold</b> <img src=\"un"), Vec::<&str>::new());
    }

    #[test]
    fn a_tag_over_several_lines_is_followed() {
        let mut state = State::Data;
        assert!(attribute_urls("<img\n", &mut state).is_empty());
        assert_eq!(state, State::Tag);
        let line = "  alt=\"a\" src=\"pic.png\">\n";
        let found = attribute_urls(line, &mut state);
        assert_eq!(found.iter().map(|f| &line[f.at.clone()]).collect::<Vec<_>>(), ["pic.png"]);
        assert_eq!(state, State::Data);
        attribute_urls("<!-- <img src=\"x.png\">\n", &mut state);
        assert_eq!(state, State::Comment);
        assert!(attribute_urls("<img src=\"y.png\"> -->\n", &mut state).is_empty());
    }

    #[test]
    fn only_relative_urls_are_taken_with_their_spans() {
        let text = "x <img src=\"./p%20q.png\"> <a href=\"https://e.org\"> <a href=\"#top\"> <a href=\"/r\"> \
                    <a href=\"mailto:a@b\"> <img src=\"data:image/png;base64,AA\"> <a href=\"//h/x\"> <a href=\"a.md?x=1&amp;y\">";
        let urls: Vec<(String, &str)> = relative(&text[2..], &(2..text.len()), text, &mut State::Data)
            .into_iter()
            .map(|u| (u.url, &text[u.span]))
            .collect();
        assert_eq!(urls, [("./p%20q.png".into(), "./p%20q.png"), ("a.md?x=1&y".into(), "a.md?x=1&amp;y")]);
    }

    #[test]
    fn the_scan_records_them_in_order_among_markdown_links_but_not_in_image_descriptions() {
        let body =
            "<img src=\"a.png\">\n\n[x](b.md) <a href='c.md#h'>c</a> ![d <img src=\"e.png\">](f.png)\n";
        let scan = super::super::scan(body);
        let links: Vec<(LinkKind, &str, Option<&str>, &str)> = scan
            .links
            .iter()
            .map(|l| (l.kind, l.target.as_str(), l.fragment.as_deref(), &body[l.span.clone()]))
            .collect();
        assert_eq!(
            links,
            [
                (LinkKind::Html, "a.png", None, "a.png"),
                (LinkKind::Markdown, "b.md", None, "[x](b.md)"),
                (LinkKind::Html, "c.md", Some("h"), "c.md#h"),
                (LinkKind::Asset, "f.png", None, "![d <img src=\"e.png\">](f.png)"),
            ]
        );
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(decode("a&amp;b&#47;c&#x2F;d").as_deref(), Some("a&b/c/d"));
        assert_eq!(decode("a&nbsp;b"), None);
        assert_eq!(unquoted_value("a/b.png"), "a/b.png");
        assert_eq!(unquoted_value("a/b.png#x=1"), "\"a/b.png#x=1\"");
    }
}
