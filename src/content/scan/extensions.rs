//! Syntax Lode reads on top of pulldown-cmark's, for notes pasted from
//! Obsidian vaults and GitHub: comments (stripped before parsing), and on the
//! parsed events GFM's extended autolinks and tag filter, and Obsidian's
//! `==highlight==`.
//!
//! [`strip_comments`] works on the text, keeping every byte offset;
//! [`extend`] works on the events of the stripped text, once per scan and
//! once per render, in time linear in the body.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};

use super::options;

/// What a blanked comment that begins a line's content, with more content
/// after it on that line, is written as: an inline HTML tag, so that the
/// content after it is not indented into a code block (four spaces would
/// be). [`extend`] drops it. A valid raw HTML open tag (CommonMark 0.31.2,
/// "Raw HTML") that no HTML block start condition accepts with text after it.
const COMMENT_MARKER: &str = "<c>";

/// Takes HTML comments and Obsidian `%%comments%%` (outside code and math)
/// out of what the Markdown parser sees of `body`, keeping every byte
/// offset (and every newline) where it was: the result has `body`'s length.
///
/// - An HTML comment that pulldown-cmark parses as one (an HTML block that
///   starts with `<!--`, CommonMark 0.31.2 "HTML blocks" start condition 2,
///   or inline raw HTML) is kept, so that the block structure is
///   CommonMark's (`<!-- -->` between two lists ends the first); the
///   renderer leaves it out of the HTML.
/// - Any other comment — `%%…%%` (Obsidian, "Comments"; an unclosed one runs
///   to the end), or an `<!--` whose `-->` lies past the end of its
///   paragraph — is blanked to spaces, so a `[[link]]` inside it is no link.
///   A comment alone on its lines leaves blank lines. One that begins a
///   line's content (after indentation and container markers) with more
///   content after it on its last line starts with the inline tag `<c>`
///   instead, which the renderer drops, so that the content stays a
///   paragraph rather than becoming an indented code block.
pub fn strip_comments(body: &str) -> Cow<'_, str> {
    if !body.contains("%%") && !body.contains("<!--") {
        return Cow::Borrowed(body);
    }
    let protected = protected_ranges(body);
    let bytes = body.as_bytes();
    let mut out = bytes.to_vec();
    let mut comments: Vec<Range<usize>> = Vec::new();
    let mut next = 0; // first protected range that may still lie ahead
    let mut i = 0;
    while i < bytes.len() {
        while next < protected.len() && protected[next].end <= i {
            next += 1;
        }
        if let Some(r) = protected.get(next)
            && r.start <= i
        {
            i = r.end;
            continue;
        }
        let (open, close): (&[u8], &[u8]) = if bytes[i..].starts_with(b"<!--") {
            (b"<!--", b"-->")
        } else if bytes[i..].starts_with(b"%%") {
            (b"%%", b"%%")
        } else {
            // On to the next byte that may open a comment.
            i += 1 + bytes[i + 1..]
                .iter()
                .position(|&b| b == b'<' || b == b'%')
                .unwrap_or(bytes.len() - i - 1);
            continue;
        };
        let search_from = i + open.len();
        let end =
            memchr_find(&bytes[search_from..], close).map_or(bytes.len(), |p| search_from + p + close.len());
        for b in &mut out[i..end] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
        comments.push(i..end);
        i = end;
    }
    mark_line_starts(&mut out, &comments);
    // Only ASCII bytes were written over whole characters, so this is UTF-8.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Byte ranges of `body` that comment stripping leaves alone, in order:
/// code, math, and the HTML comments pulldown-cmark itself recognises.
fn protected_ranges(body: &str) -> Vec<Range<usize>> {
    let mut protected: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_))
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => protected.push(range),
            Event::Start(Tag::HtmlBlock) => {
                let block = &body[range.clone()];
                let at = block.len() - block.trim_start().len();
                if block[at..].starts_with("<!--") {
                    let end = comment_len(&block[at..]).map_or(range.end, |n| range.start + at + n);
                    protected.push(range.start..end);
                }
            }
            Event::InlineHtml(html) if html.starts_with("<!--") => protected.push(range),
            _ => {}
        }
    }
    // Offsets arrive in document order; nested ranges (code in a list) are fine.
    protected.sort_by_key(|r| r.start);
    protected
}

/// The length of the HTML comment `html` starts with (`<!-->`, `<!--->`, or
/// `<!--` up to the first `-->`, CommonMark 0.31.2 "HTML comment"), `None`
/// when it is not closed.
fn comment_len(html: &str) -> Option<usize> {
    let after = html.strip_prefix("<!--")?;
    if after.starts_with('>') {
        Some(5)
    } else if after.starts_with("->") {
        Some(6)
    } else {
        after.find("-->").map(|i| 4 + i + 3)
    }
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Writes [`COMMENT_MARKER`] over the start of each blanked comment's last
/// line (`comments` in order) when that line has content after the comment
/// and nothing but indentation and container markers before it. Only the
/// first comment ending on a line can qualify, so each line is read once.
fn mark_line_starts(out: &mut [u8], comments: &[Range<usize>]) {
    let (mut line_start, mut scanned) = (0, 0);
    let mut seen_line = None;
    for comment in comments {
        if let Some(n) = out[scanned..comment.end].iter().rposition(|&b| b == b'\n') {
            line_start = scanned + n + 1;
        }
        scanned = comment.end;
        if seen_line == Some(line_start) {
            continue;
        }
        seen_line = Some(line_start);
        let segment = comment.start.max(line_start)..comment.end;
        if segment.len() < COMMENT_MARKER.len() || !opens_line(&out[line_start..segment.start]) {
            continue;
        }
        let content_after =
            out[comment.end..].iter().take_while(|&&b| b != b'\n').any(|b| !b.is_ascii_whitespace());
        if content_after {
            out[segment.start..segment.start + COMMENT_MARKER.len()]
                .copy_from_slice(COMMENT_MARKER.as_bytes());
        }
    }
}

/// Whether `prefix`, the start of a line, holds nothing but whitespace and
/// container markers (`>`, `-`, `+`, `*`, `1.`, `1)`), so that what follows
/// it begins the line's content (CommonMark 0.31.2, "Container blocks").
fn opens_line(prefix: &[u8]) -> bool {
    let mut i = 0;
    let space = |i: usize| prefix.get(i).is_some_and(|b| *b == b' ' || *b == b'\t');
    loop {
        while space(i) {
            i += 1;
        }
        match prefix.get(i) {
            None => return true,
            Some(b'>') => i += 1,
            Some(b'-' | b'+' | b'*') if space(i + 1) => i += 1,
            Some(b'0'..=b'9') => {
                let digits = prefix[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let delimiter = prefix.get(i + digits).is_some_and(|b| *b == b'.' || *b == b')');
                if digits > 9 || !delimiter || !space(i + digits + 1) {
                    return false;
                }
                i += digits + 1;
            }
            Some(_) => return false,
        }
    }
}

/// The events of a body with Lode's inline extensions applied:
///
/// - adjacent text events merged into one;
/// - `==text==` (Obsidian, "Highlighting") wrapped in `<mark>`: a run of
///   exactly two `=` opens when the next character is no whitespace and
///   closes when the previous one is no whitespace, pairing within one
///   block and one inline element, outside code and image descriptions;
/// - `www.…`, `http(s)://…`, `ftp://…` and e-mail addresses made links (GFM
///   0.29, "Autolinks (extension)"), outside code, links, images and raw
///   `<a>` elements;
/// - in raw HTML, comments and comment markers dropped, and the `<` of the
///   tags GFM disallows escaped (GFM 0.29, "Disallowed Raw HTML
///   (extension)").
///
/// `text` is the stripped body the events were parsed from, `source` the
/// body before stripping (the same length): together they tell a comment
/// marker from a `<c>` tag written in the note.
/// Inline maths whose closing `$` is followed by a digit, given back as the
/// text it was written as: Pandoc's rule for `$…$` (its manual,
/// "tex_math_dollars"), which pulldown-cmark does not apply, so that prices
/// (`a pen costs $2, a book$10`) stay prose instead of one formula.
fn prices_as_text<'a>(events: Vec<(Event<'a>, Range<usize>)>, text: &str) -> Vec<(Event<'a>, Range<usize>)> {
    let before_digit = |event: &Event<'_>, range: &Range<usize>| {
        matches!(event, Event::InlineMath(_))
            && text.as_bytes().get(range.end).is_some_and(u8::is_ascii_digit)
    };
    if !events.iter().any(|(event, range)| before_digit(event, range)) {
        return events;
    }
    events
        .into_iter()
        .map(|(event, range)| match before_digit(&event, &range) {
            true => (Event::Text(CowStr::from(text[range.clone()].to_string())), range),
            false => (event, range),
        })
        .collect()
}

pub(crate) fn extend<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    text: &str,
    source: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    let events = prices_as_text(events, text);
    // Most bodies have no highlight and no autolink: leave their text events be.
    let inline = ["==", "www.", "://", "@"].iter().any(|p| text.contains(p));
    let events = if inline { merge_text(events, text) } else { events };
    let plans = if inline { plan(&events, text) } else { Vec::new() };
    let mut out = Vec::with_capacity(events.len() + plans.len() * 2);
    let mut plans = plans.into_iter().peekable();
    let mut in_comment = false;
    // The spaces a comment marker stood before, to trim off the next text.
    let mut after_marker: Option<usize> = None;
    for (i, (event, range)) in events.into_iter().enumerate() {
        if let Some(k) = after_marker.filter(|k| out.len() > *k) {
            trim_text_start(&mut out[k..]);
            after_marker = None;
        }
        if let Some((_, cuts)) = plans.next_if(|(at, _)| *at == i)
            && let Event::Text(s) = &event
        {
            split_text(s, &range, text, &cuts, &mut out);
            continue;
        }
        match event {
            Event::Start(Tag::HtmlBlock) => {
                in_comment = false;
                out.push((event, range));
            }
            Event::Html(html) => {
                if let Some(html) = filter_html(&html, &range, text, source, &mut in_comment) {
                    out.push((Event::Html(html), range));
                }
            }
            Event::InlineHtml(html) => match filter_html(&html, &range, text, source, &mut false) {
                Some(html) => out.push((Event::InlineHtml(html), range)),
                None if html.as_ref() == COMMENT_MARKER => after_marker = Some(out.len()),
                None => {}
            },
            event => out.push((event, range)),
        }
    }
    if let Some(k) = after_marker {
        trim_text_start(&mut out[k..]);
    }
    out
}

/// Trims the whitespace off the start of the first event of `events` when it is text.
fn trim_text_start(events: &mut [(Event<'_>, Range<usize>)]) {
    if let Some((Event::Text(s), range)) = events.first_mut() {
        let trimmed = s.trim_start();
        if trimmed.len() < s.len() {
            range.start += s.len() - trimmed.len();
            *s = CowStr::from(trimmed.to_string());
        }
    }
}

/// Joins runs of text events (pulldown-cmark splits text at characters that
/// might have been syntax), so that a URL or a `==` pair is seen whole. A
/// backslash-escaped `=` (`\=`, CommonMark 0.31.2, "Backslash escapes"),
/// which pulldown-cmark gives as the first character of a text event
/// starting just after the backslash, stays an event of its own, so that it
/// never opens or closes a highlight.
fn merge_text<'a>(events: Vec<(Event<'a>, Range<usize>)>, text: &str) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::with_capacity(events.len());
    let mut run: Vec<(CowStr<'a>, Range<usize>)> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Text(s) if s.starts_with('=') && escaped_at(text, range.start) => {
                flush_text(&mut run, &mut out);
                out.push((Event::Text("=".into()), range.start..range.start + 1));
                if s.len() > 1 {
                    run.push((s[1..].to_string().into(), range.start + 1..range.end));
                }
            }
            Event::Text(s) => run.push((s, range)),
            event => {
                flush_text(&mut run, &mut out);
                out.push((event, range));
            }
        }
    }
    flush_text(&mut run, &mut out);
    out
}

/// Whether the character at byte `at` of `text` is backslash-escaped: an
/// odd number of backslashes stands just before it.
pub(crate) fn escaped_at(text: &str, at: usize) -> bool {
    text.as_bytes()[..at.min(text.len())].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 1
}

/// Pushes the text events of `run` as one.
fn flush_text<'a>(run: &mut Vec<(CowStr<'a>, Range<usize>)>, out: &mut Vec<(Event<'a>, Range<usize>)>) {
    if run.len() <= 1 {
        out.extend(run.drain(..).map(|(s, r)| (Event::Text(s), r)));
        return;
    }
    let mut joined = String::with_capacity(run.iter().map(|(s, _)| s.len()).sum());
    let range = run[0].1.start..run[run.len() - 1].1.end;
    for (s, _) in run.drain(..) {
        joined.push_str(&s);
    }
    out.push((Event::Text(joined.into()), range));
}

/// A change to a text event, at a byte range of its text.
#[derive(Clone, Debug, PartialEq)]
enum Cut {
    /// `==` opening a highlight.
    MarkOpen(Range<usize>),
    /// `==` closing a highlight.
    MarkClose(Range<usize>),
    /// An extended autolink to `href` (an e-mail address without `mailto:`,
    /// which pulldown-cmark's HTML writer adds for [`LinkType::Email`]).
    Link(Range<usize>, String, LinkType),
}

impl Cut {
    fn range(&self) -> &Range<usize> {
        match self {
            Cut::MarkOpen(r) | Cut::MarkClose(r) | Cut::Link(r, ..) => r,
        }
    }
}

/// A run of exactly two `=` in a text event.
struct Run {
    event: usize,
    range: Range<usize>,
    depth: usize,
    pair: Option<Cut>,
}

/// Where the text events need cutting: (event index, cuts in text order), by event index.
fn plan(events: &[(Event<'_>, Range<usize>)], text: &str) -> Vec<(usize, Vec<Cut>)> {
    let mut links_at: Vec<(usize, Vec<Cut>)> = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    // Runs that may still open a highlight, as indices into `runs`.
    let mut openers: Vec<usize> = Vec::new();
    let mut code = 0usize;
    let (mut links, mut images, mut wikilinks, mut anchors) = (0usize, 0usize, 0usize, 0usize);
    let mut depth = 0usize;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(tag) if is_inline(tag) => {
                depth += 1;
                match tag {
                    Tag::Link { link_type: LinkType::WikiLink { .. }, .. } => {
                        links += 1;
                        wikilinks += 1;
                    }
                    Tag::Link { .. } => links += 1,
                    Tag::Image { .. } => images += 1,
                    _ => {}
                }
            }
            Event::End(end) if is_inline_end(*end) => {
                // A `==` inside an element cannot pair with one outside it.
                while openers.last().is_some_and(|&o| runs[o].depth >= depth) {
                    openers.pop();
                }
                depth = depth.saturating_sub(1);
                match end {
                    TagEnd::Link => {
                        links = links.saturating_sub(1);
                        // Links don't nest, so a wikilink is the innermost link open.
                        wikilinks = wikilinks.min(links);
                    }
                    TagEnd::Image => images = images.saturating_sub(1),
                    _ => {}
                }
            }
            Event::Start(_) | Event::End(_) => {
                openers.clear();
                depth = 0;
                anchors = 0;
            }
            Event::InlineHtml(html) => anchors = raw_anchor_depth(html, anchors),
            Event::Text(s) if code == 0 && images == 0 => {
                let mut found = Vec::new();
                if links == 0 && anchors == 0 {
                    found = autolinks(s, links_may_start_at(events, i, text));
                }
                if wikilinks == 0 {
                    let before = boundary_is_space(events.get(i.wrapping_sub(1)).map(|e| &e.0));
                    let after = boundary_is_space(events.get(i + 1).map(|e| &e.0));
                    for (range, can_open, can_close) in highlight_runs(s, before, after, &found) {
                        if can_close && let Some(o) = openers.pop_if(|o| runs[*o].depth == depth) {
                            runs[o].pair = Some(Cut::MarkOpen(runs[o].range.clone()));
                            runs.push(Run {
                                event: i,
                                range: range.clone(),
                                depth,
                                pair: Some(Cut::MarkClose(range)),
                            });
                        } else if can_open {
                            openers.push(runs.len());
                            runs.push(Run { event: i, range, depth, pair: None });
                        }
                    }
                }
                if !found.is_empty() {
                    links_at.push((i, found));
                }
            }
            _ => {}
        }
    }
    // Both lists are in event order: merge them, each event's cuts in text order.
    let mut plans: Vec<(usize, Vec<Cut>)> = Vec::new();
    let paired = runs.into_iter().filter_map(|r| r.pair.map(|p| (r.event, p)));
    let all = links_at.into_iter().flat_map(|(e, cuts)| cuts.into_iter().map(move |c| (e, c)));
    let mut merged: Vec<(usize, Cut)> = paired.chain(all).collect();
    merged.sort_by_key(|(e, c)| (*e, c.range().start));
    for (event, cut) in merged {
        match plans.last_mut() {
            Some((e, cuts)) if *e == event => cuts.push(cut),
            _ => plans.push((event, vec![cut])),
        }
    }
    plans
}

/// Whether `tag` is an inline element (its text continues the line's):
/// emphasis, strong, strikethrough, super- and subscript, links, images.
pub(super) fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// How many raw `<a>` elements are open after inline HTML `html`.
fn raw_anchor_depth(html: &str, depth: usize) -> usize {
    let b = html.as_bytes();
    let name_ends = |at: usize| b.get(at).is_some_and(|c| c.is_ascii_whitespace() || *c == b'>');
    if b.len() > 2 && b[0] == b'<' && b[1].eq_ignore_ascii_case(&b'a') && name_ends(2) {
        depth + 1
    } else if b.len() > 3 && b.starts_with(b"</") && b[2].eq_ignore_ascii_case(&b'a') && name_ends(3) {
        depth.saturating_sub(1)
    } else {
        depth
    }
}

/// Whether the neighbour of a text event counts as whitespace for `==`
/// runs: the start or end of a block, a line break, or nothing.
fn boundary_is_space(event: Option<&Event<'_>>) -> bool {
    match event {
        None | Some(Event::SoftBreak | Event::HardBreak) => true,
        Some(Event::Start(tag)) => !is_inline(tag),
        Some(Event::End(end)) => !is_inline_end(*end),
        Some(_) => false,
    }
}

/// Whether an autolink may start at the beginning of text event `i`: at the
/// start of a block, or after whitespace or `*`, `_`, `~`, `(` in the text.
fn links_may_start_at(events: &[(Event<'_>, Range<usize>)], i: usize, text: &str) -> bool {
    if let Some(Event::Start(tag)) = i.checked_sub(1).map(|p| &events[p].0)
        && !is_inline(tag)
    {
        return true;
    }
    let start = events[i].1.start;
    text.get(..start).and_then(|t| t.chars().next_back()).is_none_or(may_precede_link)
}

/// GFM 0.29, "Autolinks (extension)": extended autolinks "can only come at
/// the beginning of a line, after whitespace, or any of the delimiting
/// characters `*`, `_`, `~`, and `(`".
fn may_precede_link(c: char) -> bool {
    c.is_whitespace() || matches!(c, '*' | '_' | '~' | '(')
}

/// Runs of exactly two `=` in `s` outside the autolinks `links`, with
/// whether each may open and may close a highlight. `before_space` and
/// `after_space`: whether what comes before and after `s` counts as whitespace.
fn highlight_runs(
    s: &str,
    before_space: bool,
    after_space: bool,
    links: &[Cut],
) -> Vec<(Range<usize>, bool, bool)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut links = links.iter().map(Cut::range).peekable();
    let mut i = 0;
    while let Some(p) = s[i..].find("==").map(|p| i + p) {
        let len = b[p..].iter().take_while(|c| **c == b'=').count();
        i = p + len;
        while links.next_if(|l| l.end <= p).is_some() {}
        if len != 2 || links.peek().is_some_and(|l| l.start <= p) {
            continue;
        }
        let prev = s[..p].chars().next_back();
        let next = s[p + 2..].chars().next();
        let can_open = next.map_or(!after_space, |c| !c.is_whitespace());
        let can_close = prev.map_or(!before_space, |c| !c.is_whitespace());
        out.push((p..p + 2, can_open, can_close));
    }
    out
}

/// A domain may be this long at most (a DNS name is at most 253 bytes): it
/// bounds the work on text like `www._www._www._…`.
const MAX_DOMAIN: usize = 253;

/// The extended autolinks in `s` (GFM 0.29, "Autolinks (extension)", as
/// cmark-gfm's `autolink.c` reads it). `start_ok`: whether one may start at
/// the beginning of `s`.
fn autolinks(s: &str, start_ok: bool) -> Vec<Cut> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    if !(s.contains("www.") || s.contains("://") || s.contains('@')) {
        return out;
    }
    let may_start = |at: usize| {
        if at == 0 { start_ok } else { s[..at].chars().next_back().is_some_and(may_precede_link) }
    };
    let mut done = 0; // text before this is linked or passed over
    let mut p = 0;
    while p < b.len() {
        let found = if b[p..].starts_with(b"www.") && may_start(p) {
            www_link(b, p).map(|end| (p, end, format!("http://{}", &s[p..end]), LinkType::Autolink))
        } else if b[p..].starts_with(b"://") {
            url_link(b, p, done)
                .filter(|(start, _)| may_start(*start))
                .map(|(start, end)| (start, end, s[start..end].to_string(), LinkType::Autolink))
        } else if b[p] == b'@' {
            email_link(b, p, done)
                .filter(|(start, _)| may_start(*start))
                .map(|(start, end)| (start, end, s[start..end].to_string(), LinkType::Email))
        } else {
            None
        };
        match found {
            Some((start, end, href, kind)) => {
                out.push(Cut::Link(start..end, href, kind));
                done = end;
                p = end;
            }
            None => p += 1,
        }
    }
    out
}

/// A character of a domain name: alphanumeric, `-`, or any non-ASCII byte.
fn host_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c >= 0x80
}

/// The length of the valid domain at the start of `b` (GFM: segments of
/// alphanumerics, `_` and `-` separated by periods, no `_` in the last
/// two; at least one period unless `allow_short`), or `None`.
fn domain_len(b: &[u8], allow_short: bool) -> Option<usize> {
    let b = &b[..b.len().min(MAX_DOMAIN)];
    if !b.first().is_some_and(|c| host_byte(*c)) {
        return None;
    }
    let (mut periods, mut underscores_last, mut underscores_before) = (0, 0, 0);
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'_' => underscores_last += 1,
            // A period ends the domain unless a domain character follows it.
            b'.' if b.get(i + 1).is_some_and(|c| host_byte(*c) || *c == b'_') => {
                underscores_before = underscores_last;
                underscores_last = 0;
                periods += 1;
            }
            c if host_byte(c) => {}
            _ => break,
        }
        i += 1;
    }
    let ok = underscores_last == 0 && underscores_before == 0 && (allow_short || periods > 0);
    ok.then_some(i)
}

/// The end of a `www.` autolink starting at `start`.
fn www_link(b: &[u8], start: usize) -> Option<usize> {
    let domain = domain_len(&b[start..], false)?;
    let end = link_end(b, start, start + domain);
    (end > start + 4).then_some(end)
}

/// The start and end of an `http://`, `https://` or `ftp://` autolink whose
/// `://` is at `colon` (its scheme no earlier than `floor`).
fn url_link(b: &[u8], colon: usize, floor: usize) -> Option<(usize, usize)> {
    let letters = b[floor..colon].iter().rev().take_while(|c| c.is_ascii_alphabetic()).take(6).count();
    let start = colon - letters;
    let scheme = &b[start..colon];
    let known = ["http", "https", "ftp"].iter().any(|k| scheme.eq_ignore_ascii_case(k.as_bytes()));
    if !known {
        return None;
    }
    let domain = domain_len(&b[colon + 3..], true)?;
    let end = link_end(b, start, colon + 3 + domain);
    (end > colon + 3).then_some((start, end))
}

/// The start and end of an e-mail autolink whose `@` is at `at` (its local
/// part no earlier than `floor`): `[A-Za-z0-9.+_-]+@` then alphanumeric
/// segments with `-` and `_`, at least one period, ending in a letter.
fn email_link(b: &[u8], at: usize, floor: usize) -> Option<(usize, usize)> {
    let local =
        b[floor..at].iter().rev().take_while(|c| c.is_ascii_alphanumeric() || b".+-_".contains(c)).count();
    // Part of a URL's path (`http://host/a@b.c`), not an address.
    if local == 0 || (at - local > floor && b[at - local - 1] == b'/') {
        return None;
    }
    let mut periods = 0;
    let mut end = at + 1;
    while end < b.len() {
        match b[end] {
            c if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' => {}
            b'.' if b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) => periods += 1,
            _ => break,
        }
        end += 1;
    }
    if end - at < 2 || periods == 0 || !b[end - 1].is_ascii_alphabetic() {
        return None;
    }
    Some((at - local, end))
}

/// Where a link whose domain ends at `domain_end` ends: at the next
/// whitespace or `<`, less trailing punctuation (`?!.,:*_~'"`), unmatched
/// closing parentheses and a trailing entity-like `&name;` (GFM 0.29,
/// "extended autolink path validation").
fn link_end(b: &[u8], start: usize, domain_end: usize) -> usize {
    let mut end =
        domain_end + b[domain_end..].iter().take_while(|c| !c.is_ascii_whitespace() && **c != b'<').count();
    let (mut open, mut close) = (0usize, 0usize);
    for &c in &b[start..end] {
        match c {
            b'(' => open += 1,
            b')' => close += 1,
            _ => {}
        }
    }
    while end > start {
        match b[end - 1] {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b';' => {
                let name = b[start..end - 1].iter().rev().take_while(|c| c.is_ascii_alphanumeric()).count();
                let amp = end - 1 - name;
                if name > 0 && amp > start && b[amp - 1] == b'&' {
                    end = amp - 1;
                } else {
                    end -= 1;
                }
            }
            b')' if close > open => {
                close -= 1;
                end -= 1;
            }
            _ => break,
        }
    }
    end
}

/// Emits text event `s` (at `range` of `text`) cut up by `cuts`.
fn split_text<'a>(
    s: &str,
    range: &Range<usize>,
    text: &str,
    cuts: &[Cut],
    out: &mut Vec<(Event<'a>, Range<usize>)>,
) {
    // Offsets into `s` are offsets into the body only when `s` is a verbatim slice of it.
    let verbatim = text.get(range.clone()) == Some(s);
    let at =
        |r: Range<usize>| if verbatim { range.start + r.start..range.start + r.end } else { range.clone() };
    let mut done = 0;
    for cut in cuts {
        let r = cut.range().clone();
        if r.start < done {
            continue;
        }
        if r.start > done {
            out.push((Event::Text(s[done..r.start].to_string().into()), at(done..r.start)));
        }
        match cut {
            Cut::MarkOpen(_) => out.push((Event::InlineHtml("<mark>".into()), at(r.clone()))),
            Cut::MarkClose(_) => out.push((Event::InlineHtml("</mark>".into()), at(r.clone()))),
            Cut::Link(_, href, link_type) => {
                let tag = Tag::Link {
                    link_type: *link_type,
                    dest_url: href.clone().into(),
                    title: "".into(),
                    id: "".into(),
                };
                out.push((Event::Start(tag), at(r.clone())));
                out.push((Event::Text(s[r.clone()].to_string().into()), at(r.clone())));
                out.push((Event::End(TagEnd::Link), at(r.clone())));
            }
        }
        done = r.end;
    }
    if done < s.len() {
        out.push((Event::Text(s[done..].to_string().into()), at(done..s.len())));
    }
}

/// GFM 0.29, "Disallowed Raw HTML (extension)": tags whose `<` is escaped.
const DISALLOWED_TAGS: [&str; 9] =
    ["title", "textarea", "style", "xmp", "iframe", "noembed", "noframes", "script", "plaintext"];

/// Raw HTML at `range` of `text` as Lode writes it: comment markers and
/// comments dropped (`in_comment`: whether a comment is open from an
/// earlier line of the same HTML block), disallowed tags escaped. `None`
/// when nothing is left of it.
fn filter_html<'a>(
    html: &CowStr<'a>,
    range: &Range<usize>,
    text: &str,
    source: &str,
    in_comment: &mut bool,
) -> Option<CowStr<'a>> {
    if !*in_comment && !html.contains('<') {
        return Some(html.clone());
    }
    let mut s: Cow<'_, str> = Cow::Borrowed(html.as_ref());
    if s.contains(COMMENT_MARKER) && text.get(range.clone()) == Some(html.as_ref()) {
        s = Cow::Owned(without_markers(&s, range.start, source));
    }
    let s = drop_comments(&s, in_comment);
    let s = escape_disallowed(&s);
    if s == html.as_ref() {
        return Some(html.clone());
    }
    (!s.trim().is_empty()).then(|| CowStr::from(s.into_owned()))
}

/// `html` (found at byte `offset` of the body) without the comment markers
/// [`strip_comments`] wrote: the `<c>`s that are not in `source`.
fn without_markers(html: &str, offset: usize, source: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    for (i, _) in html.match_indices(COMMENT_MARKER) {
        let at = offset + i;
        if source.get(at..at + COMMENT_MARKER.len()) != Some(COMMENT_MARKER) {
            out.push_str(&html[done..i]);
            done = i + COMMENT_MARKER.len();
        }
    }
    out.push_str(&html[done..]);
    out
}

/// `html` without its HTML comments; `in_comment` carries an open comment
/// from one line of an HTML block to the next.
fn drop_comments<'s>(html: &'s str, in_comment: &mut bool) -> Cow<'s, str> {
    if !*in_comment && !html.contains("<!--") {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_comment = false;
                }
                None => break,
            }
        }
        match rest.find("<!--") {
            Some(i) => {
                out.push_str(&rest[..i]);
                match comment_len(&rest[i..]) {
                    Some(n) => rest = &rest[i + n..],
                    None => {
                        *in_comment = true;
                        break;
                    }
                }
            }
            None => {
                out.push_str(rest);
                break;
            }
        }
    }
    Cow::Owned(out)
}

/// `html` with the `<` of every disallowed tag (opening or closing) written `&lt;`.
fn escape_disallowed(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let disallowed = |at: usize| {
        let name_at = if b.get(at + 1) == Some(&b'/') { at + 2 } else { at + 1 };
        DISALLOWED_TAGS.iter().any(|tag| {
            let end = name_at + tag.len();
            b.get(name_at..end).is_some_and(|n| n.eq_ignore_ascii_case(tag.as_bytes()))
                && match b.get(end) {
                    Some(c) if c.is_ascii_whitespace() || *c == b'>' => true,
                    Some(b'/') => b.get(end + 1) == Some(&b'>'),
                    _ => false,
                }
        })
    };
    let mut out = String::new();
    let mut done = 0;
    for (i, _) in html.match_indices('<') {
        if disallowed(i) {
            out.push_str(&html[done..i]);
            out.push_str("&lt;");
            done = i + 1;
        }
    }
    if done == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[done..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(body: &str) -> String {
        let text = strip_comments(body);
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            extend(super::super::events(&text), &text, body).into_iter().map(|(e, _)| e),
        );
        html
    }

    #[test]
    fn a_comment_starting_a_line_leaves_a_paragraph() {
        assert_eq!(render("%% todo %%Text\n"), "<p>Text</p>\n");
        assert_eq!(render("> %% todo %%Quoted\n"), "<blockquote>\n<p>Quoted</p>\n</blockquote>\n");
        assert_eq!(render("- %% todo %%Item\n"), "<ul>\n<li>Item</li>\n</ul>\n");
        assert_eq!(render("%% a\nlong one %%Text\n"), "<p>Text</p>\n");
        // A `<c>` written in the note is the note's.
        assert_eq!(render("a <c>b</c>\n"), "<p>a <c>b</c></p>\n");
    }

    #[test]
    fn html_comments_keep_commonmark_block_structure_and_are_dropped() {
        assert_eq!(render("<!-- todo -->Text\n"), "Text\n");
        assert_eq!(render("- a\n\n<!-- -->\n\n- b\n"), "<ul>\n<li>a</li>\n</ul>\n<ul>\n<li>b</li>\n</ul>\n");
        assert_eq!(render("a <!-- x\ny --> b\n"), "<p>a  b</p>\n");
        assert_eq!(render("<!--\n[[x]]\n\n%% y\n-->\n\nText\n"), "<p>Text</p>\n");
        assert_eq!(render("a <!-- open\n\nb --> c\n"), "<p>a</p>\n<p>c</p>\n");
    }

    #[test]
    fn disallowed_tags_are_escaped_in_blocks_and_inline() {
        assert_eq!(render("<title>\n"), "&lt;title>\n");
        assert_eq!(render("a <SCRIPT src=x> <b> </style>\n"), "<p>a &lt;SCRIPT src=x> <b> &lt;/style></p>\n");
        assert_eq!(render("<titles> <title/>\n"), "<p><titles> &lt;title/></p>\n");
    }

    #[test]
    fn highlights_pair_within_one_element() {
        assert_eq!(render("==a *b* c==\n"), "<p><mark>a <em>b</em> c</mark></p>\n");
        assert_eq!(render("==a *b== c*\n"), "<p>==a <em>b== c</em></p>\n");
        assert_eq!(render("a == b == c\n"), "<p>a == b == c</p>\n");
        assert_eq!(render("x ===y=== ==z==\n"), "<p>x ===y=== <mark>z</mark></p>\n");
        assert_eq!(render("==a\n\nb==\n"), "<p>==a</p>\n<p>b==</p>\n");
        assert_eq!(render("`==a==` ==b==\n"), "<p><code>==a==</code> <mark>b</mark></p>\n");
        assert_eq!(render("```\n==a==\n```\n"), "<pre><code>==a==\n</code></pre>\n");
        assert_eq!(render("![==a==](p.png)\n"), "<p><img src=\"p.png\" alt=\"==a==\" /></p>\n");
    }

    #[test]
    fn autolinks_follow_gfm() {
        assert_eq!(
            render("(see www.a.org/x_(y)).\n"),
            "<p>(see <a href=\"http://www.a.org/x_(y)\">www.a.org/x_(y)</a>).</p>\n"
        );
        assert_eq!(render("x www.a_b.org\n"), "<p>x www.a_b.org</p>\n");
        assert_eq!(render("awww.a.org\n"), "<p>awww.a.org</p>\n");
        assert_eq!(
            render("**https://a.org/?q=1&amp;**\n"),
            "<p><strong><a href=\"https://a.org/?q=1&amp;\">https://a.org/?q=1&amp;</a></strong></p>\n"
        );
        // Not after whitespace or a delimiter.
        assert_eq!(render("mailto:x@y.org\n"), "<p>mailto:x@y.org</p>\n");
        assert_eq!(render("to a.b+c@d.e.\n"), "<p>to <a href=\"mailto:a.b+c@d.e\">a.b+c@d.e</a>.</p>\n");
        assert_eq!(
            render("[a](b) www.c.org <a href=x>www.d.org</a>\n"),
            "<p><a href=\"b\">a</a> <a href=\"http://www.c.org\">www.c.org</a> <a href=x>www.d.org</a></p>\n"
        );
    }

    #[test]
    fn adversarial_text_stays_linear() {
        let long = "www._".repeat(40_000)
            + &"a@".repeat(40_000)
            + &"==a== www.b.org ".repeat(20_000)
            + &"[a".repeat(50_000)
            + &" %%a%%".repeat(40_000)
            + "\n"
            + &"%%a%%".repeat(40_000);
        let start = std::time::Instant::now();
        let html = render(&long);
        assert_eq!(html.matches("<mark>a</mark> <a href=\"http://www.b.org\">").count(), 20_000);
        assert!(start.elapsed() < std::time::Duration::from_secs(5), "{:?}", start.elapsed());
    }
}
