//! Flashcards written in a note's body, in the syntax of Obsidian's Spaced
//! Repetition plugin (<https://www.stephenmwangi.com/obsidian-spaced-repetition/flashcards/qanda-cards/>,
//! `…/cloze-cards/`), read only where the author marked the note or a
//! section as cards (the plugin's own rule: a `#flashcards` tag; Lode adds
//! `cards = true` in front matter):
//!
//! - `Question::Answer` on one line: one card; `Question:::Answer`: a card
//!   each way (the reverse card's id ends in `-r`). Several such lines may
//!   form one paragraph; its other lines stay text.
//! - A paragraph whose lines are a front, a line holding only `?` (`??`:
//!   both ways), then a back: one multi-line card (it ends where the
//!   paragraph ends, at a blank line).
//! - In any other paragraph, each `==deletion==` is a cloze card: the
//!   paragraph with that deletion hidden (ids `-c1`, `-c2`… in order).
//!
//! Separators count only in the paragraph's own text, never inside code
//! spans, maths, raw HTML, links or emphasis; cards are read in top-level
//! paragraphs only (a card line in a list, table or block quote is reported).
//!
//! Card ids are stable under edits of the back: `card-` and 8 lowercase hex
//! digits (the low 32 bits of FNV-1a 64) of the front's source text, trimmed
//! (of the whole paragraph for clozes); a repeat on one page gets `-2`, `-3`….
//! Every offset is a byte offset into the body as read.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// A flashcard (or a paragraph of cloze cards) found in a body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BodyCard {
    /// Its id on the page, without the note's permalink: `card-1a2b3c4d`
    /// (a cloze paragraph's cards add `-c1`, `-c2`…, see [`BodyCard::ids`]).
    pub id: String,
    /// Byte offset where the paragraph holding it starts.
    pub paragraph: usize,
    /// Byte range of the card: its line, its lines, or its paragraph.
    pub span: Range<usize>,
    /// Its kind.
    pub shape: Shape,
}

/// The kinds of body card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A front and a back. `sep` is the `::`/`:::` separator or the whole
    /// `?`/`??` line; the front is `span.start..sep.start`, the back
    /// `sep.end..span.end`.
    Basic {
        /// The separator's byte range.
        sep: Range<usize>,
        /// `:::` or `??`: a reverse card too.
        both_ways: bool,
    },
    /// Cloze deletions: the byte offset of each opening `==`, in order.
    Cloze(Vec<usize>),
}

impl BodyCard {
    /// The ids of the cards this stands for in the revision data, in order:
    /// `[id]`, `[id, id-r]` for a card both ways, `[id-c1, id-c2…]` for clozes.
    pub fn ids(&self) -> Vec<String> {
        match &self.shape {
            Shape::Basic { both_ways: false, .. } => vec![self.id.clone()],
            Shape::Basic { both_ways: true, .. } => vec![self.id.clone(), format!("{}-r", self.id)],
            Shape::Cloze(d) => (1..=d.len()).map(|k| format!("{}-c{k}", self.id)).collect(),
        }
    }
}

/// A malformed card: where, what, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardProblem {
    /// Byte range in the body.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

fn card_id(source: &str) -> String {
    format!("card-{:08x}", crate::hash::fnv1a64(source.trim().as_bytes()) & 0xffff_ffff)
}

/// Whether a tag (`flashcards`, `#flashcards/biology`) marks cards.
pub fn is_cards_tag(tag: &str) -> bool {
    let tag = tag.trim().trim_start_matches('#');
    tag.eq_ignore_ascii_case("flashcards")
        || tag.get(..11).is_some_and(|t| t.eq_ignore_ascii_case("flashcards/"))
}

/// Where `#flashcards` tags stand in body text `s` (starting at byte `at`).
fn tags_in(s: &str, at: usize) -> impl Iterator<Item = usize> + '_ {
    s.match_indices('#').filter_map(move |(i, _)| {
        let before_ok = s[..i].chars().next_back().is_none_or(char::is_whitespace);
        let word: String = s[i + 1..].chars().take_while(|c| !c.is_whitespace() && *c != '#').collect();
        (before_ok && is_cards_tag(&word)).then_some(at + i)
    })
}

/// One line of a paragraph: its byte range and its events (indices).
struct Line {
    range: Range<usize>,
    events: Vec<usize>,
}

impl Line {
    /// A line without events yet: its range grows with each one.
    fn empty() -> Self {
        Line { range: Range { start: usize::MAX, end: 0 }, events: Vec::new() }
    }
}

/// A body's events, each with its byte range.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// What to write before the event at an index: (index, byte offset it stands for, what).
pub type Inserts = Vec<(usize, usize, Insert)>;

/// Finds the cards of `text` (a body with comments blanked, see
/// `strip_comments`) from its `events` (with Lode's extensions applied).
/// `whole` says the front matter marks the whole note; `sections` are the
/// body's headings as (level, start, end of section). `unmarked` (front
/// matter `cards = false`) turns every card off.
pub fn find(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    sections: &[(usize, Range<usize>)],
    whole: bool,
    unmarked: bool,
) -> (Vec<BodyCard>, Vec<CardProblem>) {
    let (mut cards, mut problems) = (Vec::new(), Vec::new());
    if unmarked || !(whole || text.contains("#")) {
        return (cards, problems);
    }
    // Marked ranges: a tag before the first heading marks the whole note; in
    // a section, that section (up to the next heading of its level or higher).
    let first_heading = sections.first().map_or(text.len(), |(_, r)| r.start);
    let mut marked: Vec<Range<usize>> = Vec::new();
    if whole {
        marked.push(0..text.len());
    }
    let mut in_code = 0;
    for (event, range) in events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code -= 1,
            Event::Text(t) if in_code == 0 => {
                for at in tags_in(t, range.start) {
                    if at < first_heading {
                        marked.push(0..text.len());
                    } else if let Some((_, r)) = sections.iter().rev().find(|(_, r)| r.start <= at) {
                        marked.push(r.clone());
                    }
                }
            }
            _ => {}
        }
    }
    if marked.is_empty() {
        return (cards, problems);
    }
    let is_marked = |at: usize| marked.iter().any(|r| r.contains(&at));
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut unique = |id: String| {
        let n = seen.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { id } else { format!("{id}-{n}") }
    };
    // Containers open around the current event (lists, quotes, tables…).
    let merged = merge_texts(events.to_vec());
    let events = merged.as_slice();
    let mut containers = 0usize;
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        i += 1;
        match event {
            Event::Start(Tag::Paragraph) if containers == 0 && is_marked(range.start) => {
                let start = i;
                while i < events.len() && !matches!(events[i].0, Event::End(TagEnd::Paragraph)) {
                    i += 1;
                }
                let inner = &events[start..i];
                i += 1;
                paragraph(text, range.start, inner, &mut cards, &mut problems, &mut unique);
            }
            Event::Start(tag) if is_container(tag) => containers += 1,
            Event::End(end) if is_container_end(end) => containers = containers.saturating_sub(1),
            Event::Text(t)
                if containers > 0
                    && is_marked(range.start)
                    && matches!(t.trim(), "?" | "??")
                    && matches!(
                        events.get(i.wrapping_sub(2)),
                        Some((Event::SoftBreak | Event::HardBreak, _))
                    ) =>
            {
                let at = text
                    .get(range.clone())
                    .and_then(|s| s.find('?'))
                    .map_or(range.start, |a| range.start + a);
                problems.push(CardProblem {
                    span: at..at + t.trim().len(),
                    message: "a multi-line card in a list, table or block quote is not read as a card".into(),
                    help: "write the card as a paragraph of its own (front, a `?` line, back, a blank line around it)".into(),
                });
            }
            Event::InlineHtml(h) if containers > 0 && h.as_ref() == "<mark>" && is_marked(range.start) => {
                problems.push(CardProblem {
                    span: range.start..range.start + 2,
                    message:
                        "a cloze in a list, table or block quote is not read as a card (it is a highlight)"
                            .into(),
                    help: "write the cloze in a paragraph of its own, a blank line around it".into(),
                });
            }
            Event::Html(_) if is_marked(range.start) => {
                // `<script>…</script>::x`: the `::` after the line's last tag.
                let mut at = range.start;
                for line in text[range.clone()].split_inclusive('\n') {
                    let after = line.rfind('>').map_or(0, |g| g + 1);
                    if line.trim_start().starts_with('<')
                        && let Some(sep) = line[after..].find("::")
                    {
                        problems.push(raw_html_line(at + after + sep));
                    }
                    at += line.len();
                }
            }
            Event::Text(t) if containers > 0 && is_marked(range.start) => {
                if let Some(at) = t.find("::") {
                    let at = text.get(range.clone()).and_then(|s| s.find("::")).unwrap_or(at);
                    problems.push(CardProblem {
                        span: range.start + at..range.start + at + 2,
                        message: "a card in a list, table or block quote is not read as a card".into(),
                        help: "write the card as a paragraph of its own (`Question::Answer` on its own line, a blank line around it)".into(),
                    });
                }
            }
            _ => {}
        }
    }
    (cards, problems)
}

/// Reads one marked top-level paragraph starting at `start` whose inline events are `inner`.
fn paragraph(
    text: &str,
    start: usize,
    inner: &[(Event<'_>, Range<usize>)],
    cards: &mut Vec<BodyCard>,
    problems: &mut Vec<CardProblem>,
    unique: &mut impl FnMut(String) -> String,
) {
    // Lines, split at the breaks between inline elements.
    let mut lines: Vec<Line> = Vec::new();
    let mut depth = 0usize;
    let mut current = Line::empty();
    for (k, (event, range)) in inner.iter().enumerate() {
        match event {
            Event::SoftBreak | Event::HardBreak if depth == 0 => {
                lines.push(std::mem::replace(&mut current, Line::empty()));
                continue;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        current.range.start = current.range.start.min(range.start);
        current.range.end = current.range.end.max(range.end);
        current.events.push(k);
    }
    lines.push(current);
    lines.retain(|l| !l.events.is_empty());
    let Some(end) = lines.last().map(|l| l.range.end) else { return };
    // A separator line: `?` or `??` alone.
    let seps: Vec<usize> =
        (0..lines.len()).filter(|&n| matches!(text[lines[n].range.clone()].trim(), "?" | "??")).collect();
    if let Some(&n) = seps.first() {
        let sep = lines[n].range.clone();
        let both_ways = text[sep.clone()].trim() == "??";
        let mark = text[sep.clone()].trim();
        if n == 0 || n + 1 == lines.len() {
            let side = if n == 0 { "front" } else { "back" };
            problems.push(CardProblem {
                span: sep,
                message: format!("this `{mark}` card separator has no {side}"),
                help: "write the front on the lines above the separator and the back on the lines below it, with no blank line between".into(),
            });
            return;
        }
        if let Some(&second) = seps.get(1) {
            problems.push(CardProblem {
                span: lines[second].range.clone(),
                message: "a multi-line card has one `?` separator; this is a second".into(),
                help: "leave a blank line between two cards".into(),
            });
            return;
        }
        let id = unique(card_id(&text[start..sep.start]));
        cards.push(BodyCard {
            id,
            paragraph: start,
            span: start..end,
            shape: Shape::Basic { sep, both_ways },
        });
        return;
    }
    // Single-line cards: a `::` or `:::` in the paragraph's own text.
    let mut found = false;
    for line in &lines {
        let sep = line.events.iter().find_map(|&k| match &inner[k] {
            (Event::Text(_), r) if is_top(inner, k) => {
                text.get(r.clone()).and_then(|s| s.find("::")).map(|at| r.start + at)
            }
            _ => None,
        });
        let Some(at) = sep else {
            // A line starting with raw HTML whose `::` comes after its last tag.
            if let Some(&first) = line.events.first()
                && matches!(inner[first].0, Event::InlineHtml(_))
                && let Some(last) =
                    line.events.iter().rposition(|&k| matches!(inner[k].0, Event::InlineHtml(_)))
            {
                let after = line.events[last + 1..].iter().find_map(|&k| match &inner[k] {
                    (Event::Text(_), r) => {
                        text.get(r.clone()).and_then(|s| s.find("::")).map(|at| r.start + at)
                    }
                    _ => None,
                });
                problems.extend(after.map(raw_html_line));
            }
            continue;
        };
        found = true;
        let both_ways = text[at..].starts_with(":::");
        let sep = at..at + if both_ways { 3 } else { 2 };
        let (front, back) = (text[line.range.start..sep.start].trim(), text[sep.end..line.range.end].trim());
        if front.is_empty() || back.is_empty() {
            let side = if front.is_empty() { "question (before" } else { "answer (after" };
            let mark = &text[sep.clone()];
            problems.push(CardProblem {
                span: sep,
                message: format!("this card has no {side} `{mark}`)"),
                help: format!("write `Question{mark}Answer` on one line, both sides filled"),
            });
            continue;
        }
        let id = unique(card_id(front));
        cards.push(BodyCard {
            id,
            paragraph: start,
            span: line.range.clone(),
            shape: Shape::Basic { sep, both_ways },
        });
    }
    if found {
        return;
    }
    // Clozes: the paragraph's highlights.
    let opens: Vec<usize> = inner
        .iter()
        .filter(|(e, _)| matches!(e, Event::InlineHtml(h) if h.as_ref() == "<mark>"))
        .map(|(_, r)| r.start)
        .collect();
    // Pieces of one text event cut up by escapes or entities share its range: each `==` is told once.
    let mut unclosed: Vec<usize> = Vec::new();
    for (k, (event, range)) in inner.iter().enumerate() {
        if let Event::Text(t) = event
            && is_top(inner, k)
            && let Some(s) = text.get(range.clone())
        {
            // A piece of text that entities or escapes changed (the range is
            // its whole source, paired `==` included): its own `==` runs,
            // found in the source by what follows them.
            let runs = if s == t.as_ref() {
                opening_runs(text, range.start, s)
            } else {
                opening_runs(t, 0, t)
                    .into_iter()
                    .map(|a| {
                        let end = (a + 12..=t.len().min(a + 16))
                            .find(|&e| t.is_char_boundary(e))
                            .unwrap_or(t.len());
                        s.find(&t[a..end.min(t.len())]).map_or(range.start, |p| range.start + p)
                    })
                    .collect()
            };
            for at in runs {
                if !unclosed.contains(&at) {
                    unclosed.push(at);
                    problems.push(CardProblem {
                        span: at..at + 2,
                        message: "this `==` opens a cloze deletion that is never closed".into(),
                        help: "close it with `==` in the same paragraph (`==text==`), or escape it as `\\==`"
                            .into(),
                    });
                }
            }
        }
    }
    if !opens.is_empty() {
        let id = unique(card_id(&text[start..end]));
        cards.push(BodyCard { id, paragraph: start, span: start..end, shape: Shape::Cloze(opens) });
    }
}

/// Byte offsets (in `text`) of the runs of exactly two `=` in `s` (the
/// slice of `text` at `start`) followed by no whitespace: `==` that would
/// open a cloze. A backslash-escaped `=` (`\\=`) is text, never part of a run.
fn opening_runs(text: &str, start: usize, s: &str) -> Vec<usize> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'=' || super::extensions::escaped_at(text, start + i) {
            i += 1;
            continue;
        }
        let len = b[i..].iter().take_while(|c| **c == b'=').count();
        let next = s[i + len..].chars().next();
        if len == 2 && next.is_some_and(|c| !c.is_whitespace()) {
            out.push(start + i);
        }
        i += len;
    }
    out
}

/// The problem of a `::` at byte `at` on a line that starts with raw HTML.
fn raw_html_line(at: usize) -> CardProblem {
    CardProblem {
        span: at..at + 2,
        message: "a line that starts with raw HTML is not read as a card".into(),
        help: "start the card's line with its text (HTML may follow the question), or write it as a paragraph without raw HTML".into(),
    }
}

/// Block containers: in them, cards are not read.
fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::List(_)
            | Tag::Item
            | Tag::BlockQuote(_)
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
}

fn is_container_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

/// Joins adjacent text events (pulldown-cmark may split text at punctuation),
/// so that a `::` is never cut in two.
fn merge_texts(events: Vec<(Event<'_>, Range<usize>)>) -> Vec<(Event<'_>, Range<usize>)> {
    let mut out: Vec<(Event<'_>, Range<usize>)> = Vec::with_capacity(events.len());
    for (event, range) in events {
        if let (Event::Text(t), Some((Event::Text(prev), prev_range))) = (&event, out.last_mut())
            && prev_range.end == range.start
        {
            *prev = CowStr::from(format!("{prev}{t}"));
            prev_range.end = range.end;
            continue;
        }
        out.push((event, range));
    }
    out
}

/// Whether event `k` of a paragraph's `inner` events sits outside every
/// inline element, raw HTML elements (`<span>…</span>`) and highlights included.
fn is_top(inner: &[(Event<'_>, Range<usize>)], k: usize) -> bool {
    let mut depth = 0isize;
    for (event, _) in &inner[..k] {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::InlineHtml(h) => depth += html_depth(h),
            _ => {}
        }
    }
    depth == 0
}

/// How an inline HTML tag changes the element depth: +1 for an opening
/// tag, -1 for a closing one, 0 for a void or self-closed element or a comment.
fn html_depth(tag: &str) -> isize {
    const VOID: &[&str] =
        &["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
    if tag.starts_with("</") {
        return -1;
    }
    let name: String = tag.trim_start_matches('<').chars().take_while(char::is_ascii_alphanumeric).collect();
    let void = VOID.iter().any(|v| v.eq_ignore_ascii_case(&name));
    if name.is_empty() || void || tag.trim_end().ends_with("/>") { 0 } else { 1 }
}

/// HTML the renderer writes around a body card's parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Insert {
    /// Before a card's front (the card's index in the note's cards).
    Open(usize),
    /// Between its front and its back.
    Middle(usize),
    /// After its back.
    Close(usize),
    /// A paragraph of text lines between cards opens…
    ParagraphOpen,
    /// …and closes.
    ParagraphClose,
    /// A cloze paragraph's text starts (writes nothing).
    ClozeStart(usize),
    /// …ends (writes nothing).
    ClozeEnd(usize),
    /// A deletion (card, deletion) opens.
    DeletionOpen(usize, usize),
    /// …and closes.
    DeletionClose(usize, usize),
}

/// Rewrites a body's events for its `cards`: the paragraphs holding cards
/// lose their `<p>`, separators and `?` lines are dropped, and text is split
/// at separators. Returns the events and what to write before the event at
/// each index (with the byte offset it stands for).
pub fn weave<'a>(
    text: &str,
    events: Vec<(Event<'a>, Range<usize>)>,
    cards: &[BodyCard],
) -> (Events<'a>, Inserts) {
    if cards.is_empty() {
        return (events, Vec::new());
    }
    let events = merge_texts(events);
    let mut out = Vec::with_capacity(events.len() + cards.len() * 2);
    let mut inserts = Vec::new();
    let mut iter = events.into_iter().peekable();
    let mut k = 0; // the first card not yet reached
    while let Some((event, range)) = iter.next() {
        let para = matches!(event, Event::Start(Tag::Paragraph))
            .then(|| cards[k..].iter().position(|c| c.paragraph == range.start))
            .flatten()
            .map(|p| p + k);
        let Some(first) = para else {
            out.push((event, range));
            continue;
        };
        let last = cards[first..].iter().take_while(|c| c.paragraph == range.start).count() + first;
        k = last;
        let start = range.start;
        if let Shape::Cloze(opens) = &cards[first].shape {
            out.push((event, range));
            inserts.push((out.len(), start, Insert::ClozeStart(first)));
            let mut d = 0;
            let mut depth_of_open = Vec::new();
            for (event, range) in iter.by_ref() {
                match &event {
                    Event::End(TagEnd::Paragraph) => {
                        inserts.push((out.len(), start, Insert::ClozeEnd(first)));
                        out.push((event, range));
                        break;
                    }
                    Event::InlineHtml(h) if h.as_ref() == "<mark>" && opens.contains(&range.start) => {
                        inserts.push((out.len(), start, Insert::DeletionOpen(first, d)));
                        depth_of_open.push(d);
                        d += 1;
                    }
                    Event::InlineHtml(h) if h.as_ref() == "</mark>" && !depth_of_open.is_empty() => {
                        let open = depth_of_open.pop().unwrap_or(0);
                        inserts.push((out.len(), start, Insert::DeletionClose(first, open)));
                    }
                    _ => out.push((event, range)),
                }
            }
            continue;
        }
        // A paragraph of basic cards (and text lines between them).
        #[derive(PartialEq, Clone, Copy)]
        enum Region {
            Text,
            Front(usize),
            Back(usize),
            Drop,
        }
        let region_of = |at: usize| {
            for (n, c) in cards[first..last].iter().enumerate() {
                let Shape::Basic { sep, .. } = &c.shape else { continue };
                // The sides without the whitespace (line breaks too) around the separator.
                let front_end = c.span.start + text[c.span.start..sep.start].trim_end().len();
                let back_start = c.span.end - text[sep.end..c.span.end].trim_start().len();
                if (c.span.start..front_end).contains(&at) {
                    return Region::Front(first + n);
                }
                if (back_start..c.span.end).contains(&at) {
                    return Region::Back(first + n);
                }
                if c.span.contains(&at) || sep.contains(&at) {
                    return Region::Drop;
                }
            }
            Region::Text
        };
        let mut region = Region::Text;
        let mut past = None; // the card whose separator the last text passed
        let mut open = false; // a text paragraph is open
        let mut breaks: Vec<(Event<'a>, Range<usize>)> = Vec::new();
        let close =
            |region: Region, out: &[(Event<'a>, Range<usize>)], inserts: &mut Vec<_>, open: &mut bool| {
                match region {
                    Region::Back(n) => inserts.push((out.len(), start, Insert::Close(n))),
                    // A front left for anything but its back (a back with no events of its
                    // own) still closes, so the page's elements stay nested.
                    Region::Front(n) => {
                        inserts.push((out.len(), start, Insert::Middle(n)));
                        inserts.push((out.len(), start, Insert::Close(n)));
                    }
                    Region::Text if *open => {
                        inserts.push((out.len(), start, Insert::ParagraphClose));
                        *open = false;
                    }
                    _ => {}
                }
            };
        for (event, range) in iter.by_ref() {
            if matches!(event, Event::End(TagEnd::Paragraph)) {
                close(region, &out, &mut inserts, &mut open);
                break;
            }
            // Text holding a separator is split around it.
            let holds_sep =
                matches!(event, Event::Text(_)).then(|| holds_separator(&range, &cards[first..last]));
            let pieces: Vec<(Event<'a>, Range<usize>)> = match &event {
                Event::Text(t) => split_at_separators(text, t, &range, &cards[first..last]),
                _ => vec![(event, range)],
            };
            for (event, range) in pieces {
                let now = match region_of(range.start) {
                    // Past its separator, a card's events are its back, even when escapes or
                    // entities gave them the range of their whole text (which starts in the front).
                    Region::Front(n) if past == Some(n) => Region::Back(n),
                    now => now,
                };
                if now == Region::Drop {
                    continue;
                }
                if now == Region::Text && matches!(event, Event::SoftBreak | Event::HardBreak) {
                    breaks.push((event, range));
                    continue;
                }
                if now != region {
                    // A front runs on into its own back; any other region is closed.
                    if !matches!((region, now), (Region::Front(a), Region::Back(b)) if a == b) {
                        close(region, &out, &mut inserts, &mut open);
                    }
                    breaks.clear();
                    match now {
                        Region::Front(n) => inserts.push((out.len(), start, Insert::Open(n))),
                        Region::Back(n) => {
                            if region != Region::Front(n) {
                                inserts.push((out.len(), start, Insert::Open(n)));
                            }
                            inserts.push((out.len(), start, Insert::Middle(n)));
                        }
                        Region::Text => {
                            inserts.push((out.len(), start, Insert::ParagraphOpen));
                            open = true;
                        }
                        Region::Drop => {}
                    }
                    region = now;
                } else {
                    out.append(&mut breaks);
                }
                out.push((event, range));
            }
            if let Some(Some(n)) = holds_sep {
                past = Some(first + n);
            }
        }
    }
    (out, inserts)
}

/// Which of `cards` has its separator inside text at `range` (the index in `cards`).
fn holds_separator(range: &Range<usize>, cards: &[BodyCard]) -> Option<usize> {
    cards.iter().position(
        |c| matches!(&c.shape, Shape::Basic { sep, .. } if range.start <= sep.start && sep.end <= range.end),
    )
}

/// Text event `t` at `range`, cut around the separators of `cards` it
/// holds, each side trimmed towards the separator.
fn split_at_separators<'a>(
    text: &str,
    t: &CowStr<'a>,
    range: &Range<usize>,
    cards: &[BodyCard],
) -> Vec<(Event<'a>, Range<usize>)> {
    let sep = cards.iter().find_map(|c| match &c.shape {
        Shape::Basic { sep, .. }
            if range.start <= sep.start && sep.end <= range.end && text[sep.clone()].starts_with("::") =>
        {
            Some(sep.clone())
        }
        _ => None,
    });
    let Some(sep) = sep else { return vec![(Event::Text(t.clone()), range.clone())] };
    let mark = &text[sep.clone()];
    // The text as written, or (when escapes or entities changed it, and its
    // range is that of its whole source text) the first separator in it, if any.
    let at = if text.get(range.clone()) == Some(t.as_ref()) {
        sep.start - range.start
    } else if let Some(at) = t.find(mark) {
        at
    } else {
        return vec![(Event::Text(t.clone()), range.clone())];
    };
    let (left, right) = (t[..at].trim_end(), t.get(at + mark.len()..).unwrap_or("").trim_start());
    let mut out = Vec::new();
    if !left.is_empty() {
        out.push((Event::Text(CowStr::from(left.to_string())), range.start..sep.start));
    }
    if !right.is_empty() {
        let start = range.end - text[sep.end..range.end].trim_start().len();
        out.push((Event::Text(CowStr::from(right.to_string())), start..range.end));
    }
    out
}

/// The revision data's cards of a body: each card's front and back as
/// HTML, cut out of the body's rendered events `output`, where `written`
/// says at which index each [`Insert`] was written.
///
/// A cloze paragraph is rendered once, with a placeholder where each
/// deletion opens and closes; each of its cards is then spliced from those
/// pieces, so the work is linear in the size of what is written.
pub fn rendered(
    cards: &[BodyCard],
    written: &[(Insert, usize)],
    output: &[Event<'_>],
) -> Vec<super::RenderedCard> {
    let mut at: HashMap<Insert, usize> = HashMap::with_capacity(written.len());
    // Each cloze card's deletion marks, in the order written: (index, opens, deletion).
    let mut marks: HashMap<usize, Vec<(usize, bool, usize)>> = HashMap::new();
    for &(insert, p) in written {
        at.entry(insert).or_insert(p);
        match insert {
            Insert::DeletionOpen(m, d) => marks.entry(m).or_default().push((p, true, d)),
            Insert::DeletionClose(m, d) => marks.entry(m).or_default().push((p, false, d)),
            _ => {}
        }
    }
    let html = |events: &[Event<'_>]| {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, events.iter().cloned());
        s.trim().to_string()
    };
    let mut out = Vec::new();
    for (n, card) in cards.iter().enumerate() {
        match &card.shape {
            Shape::Basic { both_ways, .. } => {
                let (Some(&open), Some(&middle), Some(&close)) =
                    (at.get(&Insert::Open(n)), at.get(&Insert::Middle(n)), at.get(&Insert::Close(n)))
                else {
                    continue;
                };
                let front = html(output.get(open + 1..middle).unwrap_or_default());
                let back = html(output.get(middle + 1..close).unwrap_or_default());
                if *both_ways {
                    out.push(super::RenderedCard {
                        id: card.id.clone(),
                        front: front.clone(),
                        back: back.clone(),
                    });
                    out.push(super::RenderedCard { id: format!("{}-r", card.id), front: back, back: front });
                } else {
                    out.push(super::RenderedCard { id: card.id.clone(), front, back });
                }
            }
            Shape::Cloze(opens) => {
                let (Some(&start), Some(&end)) =
                    (at.get(&Insert::ClozeStart(n)), at.get(&Insert::ClozeEnd(n)))
                else {
                    continue;
                };
                let mut marks = marks.remove(&n).unwrap_or_default();
                marks.retain(|(p, ..)| (start..=end).contains(p));
                marks.sort_by_key(|(p, ..)| *p);
                // The paragraph once, a placeholder in place of the HTML each mark wrote.
                const PLACEHOLDER: &str = "\u{1}lode-cloze\u{1}";
                let mut events = Vec::with_capacity(end.saturating_sub(start) + marks.len());
                let mut next = marks.iter().peekable();
                for (k, event) in output.iter().enumerate().take(end).skip(start) {
                    let mut marked = false;
                    while next.next_if(|(p, ..)| *p == k).is_some() {
                        events.push(Event::InlineHtml(PLACEHOLDER.into()));
                        marked = true;
                    }
                    if !marked {
                        events.push(event.clone());
                    }
                }
                events.extend(next.map(|_| Event::InlineHtml(PLACEHOLDER.into())));
                let mut whole = String::new();
                pulldown_cmark::html::push_html(&mut whole, events.into_iter());
                // Piece `m` comes before mark `m`; the last piece after every mark.
                let pieces: Vec<&str> = whole.split(PLACEHOLDER).collect();
                if pieces.len() != marks.len() + 1 {
                    continue;
                }
                for (d, id) in (0..opens.len()).zip(card.ids()) {
                    let (mut front, mut back) = (String::new(), String::new());
                    let mut hidden = false;
                    for (m, piece) in pieces.iter().enumerate() {
                        if !hidden {
                            front.push_str(piece);
                        }
                        back.push_str(piece);
                        match marks.get(m) {
                            Some(&(_, true, j)) if j == d => {
                                front.push_str("<span class=\"cloze-blank\">[…]</span>");
                                back.push_str("<mark class=\"cloze\">");
                                hidden = true;
                            }
                            Some(&(_, false, j)) if j == d => {
                                back.push_str("</mark>");
                                hidden = false;
                            }
                            _ => {}
                        }
                    }
                    out.push(super::RenderedCard {
                        id,
                        front: front.trim().to_string(),
                        back: back.trim().to_string(),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cards of `body` read as a whole marked note: (id, shape, front, back) as source text.
    fn cards(body: &str) -> (Vec<(String, String, String)>, Vec<String>) {
        let scan = crate::content::scan::scan(body);
        let (found, problems) = crate::content::scan::find_cards(body, &scan, true, false);
        let sides = found
            .iter()
            .map(|c| match &c.shape {
                Shape::Basic { sep, .. } => (
                    c.ids().join(" "),
                    body[c.span.start..sep.start].trim().to_string(),
                    body[sep.end..c.span.end].trim().to_string(),
                ),
                Shape::Cloze(opens) => {
                    (c.ids().join(" "), format!("{} deletions", opens.len()), String::new())
                }
            })
            .collect();
        (sides, problems.into_iter().map(|p| p.message).collect())
    }

    #[test]
    fn ids_are_fnv1a_of_the_front_and_repeats_are_numbered() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c: its low 32 bits.
        assert_eq!(card_id(" a "), "card-8601ec8c");
        let (found, _) = cards("a::1\na::2\nb:::c\n");
        let ids: Vec<&str> = found.iter().map(|c| c.0.as_str()).collect();
        assert_eq!(ids, ["card-8601ec8c", "card-8601ec8c-2", &format!("{0} {0}-r", card_id("b"))]);
        assert_eq!((found[2].1.as_str(), found[2].2.as_str()), ("b", "c"));
    }

    #[test]
    fn separators_count_only_in_the_paragraphs_own_text() {
        let (found, problems) = cards("`a::b` and [x::y](https://e.org) and *p::q*\n\n<span>h::i</span>\n");
        assert!(found.is_empty() && problems.is_empty(), "{found:?} {problems:?}");
        // A multi-line card takes the whole paragraph; `::` inside it is text.
        let (found, _) = cards("Front line one\nline two::not a card\n??\nBack\n");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "Front line one\nline two::not a card");
        assert!(found[0].0.ends_with("-r"));
    }

    #[test]
    fn malformed_cards_are_problems_and_no_cards() {
        let (found, problems) = cards("Q::\n\n:::A\n\nfront\n?\nback\n?\nmore\n");
        assert!(found.is_empty(), "{found:?}");
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[2].contains("second"), "{problems:?}");
    }

    #[test]
    fn an_escaped_equals_sign_is_text_and_an_unclosed_one_is_told_once() {
        for body in
            ["Escaped \\==not a cloze== here.\n", "Double \\==\\== here.\n", "Tom &amp; Jerry ==a== b.\n"]
        {
            let (found, problems) = cards(body);
            assert!(problems.is_empty(), "{body:?}: {problems:?}");
            assert_eq!(found.len(), usize::from(body.starts_with("Tom")), "{body:?}: {found:?}");
        }
        let (_, problems) = cards("Tom &amp; ==Jerry \\== b.\n");
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn unmarked_notes_have_no_cards() {
        let body = "Q::A\n\n==x==\n";
        let scan = crate::content::scan::scan(body);
        assert!(crate::content::scan::find_cards(body, &scan, false, false).0.is_empty());
        let tagged = "#flashcards\n\nQ::A\n";
        let scan = crate::content::scan::scan(tagged);
        assert_eq!(crate::content::scan::find_cards(tagged, &scan, false, false).0.len(), 1);
        assert!(crate::content::scan::find_cards(tagged, &scan, false, true).0.is_empty());
        assert!(
            is_cards_tag("#flashcards/biology") && is_cards_tag("Flashcards") && !is_cards_tag("flashcardsx")
        );
    }
}
