//! Markdown: scanning a body for headings and links (phase 1), and rendering
//! it to HTML with links rewritten to permalinks (phase 2).
//!
//! Parsing is pulldown-cmark's (CommonMark plus GitHub's tables, footnotes,
//! strikethrough, task lists and alerts, Obsidian's `[[wikilinks]]` and
//! `$math$`). Before parsing, Obsidian comments (`%%…%%`) outside code and
//! math are blanked out byte for byte, so that a `[[` inside them is no link
//! and every offset still points into the original file; HTML comments are
//! parsed as CommonMark says and left out of the HTML. On the events, Lode
//! adds GFM's extended autolinks and tag filter and Obsidian's
//! `==highlight==` (the `extensions` module).

use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::content::{Note, slugify};
use crate::links::{LinkGraph, Part, Target, scan_of};
use crate::site::{NoteId, Site};

mod extensions;

/// The Markdown extensions Lode enables, for scanning and rendering alike.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
        | Options::ENABLE_WIKILINKS
}

/// What phase 1 learns of a note's body.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    /// Text of the first level-1 heading, used as the title when front matter has none.
    pub first_h1: Option<String>,
    /// Byte range of that heading when it is the body's first block (it is
    /// then not rendered, since the template prints the title).
    pub leading_h1: Option<Range<usize>>,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every internal link and embed, in order.
    pub links: Vec<LinkRef>,
    /// Words in the body's text, for reading time.
    pub words: usize,
}

/// A heading of a note.
#[derive(Clone, Debug, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Its text, without Markdown.
    pub text: String,
    /// Its HTML id: `{#explicit}` if given, else the slug of its text, made unique with `-1`, `-2`…
    pub id: String,
    /// Byte range of the heading line in the body.
    #[serde(skip)]
    pub span: Range<usize>,
    /// Byte offset where its section ends (the next heading of the same or a higher level).
    #[serde(skip)]
    pub section_end: usize,
}

/// How a link was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkKind {
    /// `[[Target]]`, `[[Target|text]]`, `[[Target#Heading]]`, `[[#Heading]]`, `![[Target]]`.
    Wiki,
    /// `[text](relative/path.md#anchor)` or `[text](#anchor)`.
    Markdown,
    /// A relative link or image to a file that is not a note (`![](map.png)`).
    Asset,
}

/// An internal link or embed found in a body.
#[derive(Clone, Debug)]
pub struct LinkRef {
    /// How it was written.
    pub kind: LinkKind,
    /// `![[…]]` (or an image).
    pub embed: bool,
    /// The target as written, before any `#` (empty for `[[#Heading]]`), percent-decoded.
    pub target: String,
    /// The part after `#`, if any.
    pub fragment: Option<String>,
    /// Byte range of the link in the body.
    pub span: Range<usize>,
    /// The sentence around the link, for backlinks.
    pub context: Context,
}

/// The sentence around a link: text before it, its own text, text after it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Context {
    /// Text of the sentence before the link.
    pub before: String,
    /// The link's text.
    pub text: String,
    /// Text of the sentence after the link.
    pub after: String,
}

pub use extensions::strip_comments;

/// Classifies a link or image tag: `Some((kind, embed, destination))` for an
/// internal link that Lode resolves, `None` for an external one.
pub(crate) fn internal_link<'a>(tag: &'a Tag<'_>) -> Option<(LinkKind, bool, &'a str)> {
    let (link_type, dest, embed) = match tag {
        Tag::Link { link_type, dest_url, .. } => (link_type, dest_url.as_ref(), false),
        Tag::Image { link_type, dest_url, .. } => (link_type, dest_url.as_ref(), true),
        _ => return None,
    };
    if matches!(link_type, LinkType::WikiLink { .. }) {
        return Some((LinkKind::Wiki, embed, dest));
    }
    if matches!(link_type, LinkType::Autolink | LinkType::Email) || dest.is_empty() || is_external(dest) {
        return None;
    }
    let path = dest.split('#').next().unwrap_or("");
    if path.is_empty() || path.ends_with(".md") {
        Some((LinkKind::Markdown, embed, dest))
    } else {
        Some((LinkKind::Asset, embed, dest))
    }
}

/// A URL with a scheme (`https:`, `mailto:`), protocol-relative, or root-absolute.
fn is_external(dest: &str) -> bool {
    if dest.starts_with('/') {
        return true;
    }
    match dest.find(':') {
        Some(i) => dest[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) && i > 0,
        None => false,
    }
}

/// Decodes `%XX` escapes (`My%20Note.md` → `My Note.md`).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Splits a link destination into target and fragment.
pub(crate) fn split_target(kind: LinkKind, dest: &str) -> (String, Option<String>) {
    let (target, fragment) = match dest.split_once('#') {
        Some((t, f)) => (t, Some(f.to_string())),
        None => (dest, None),
    };
    // In a table cell Obsidian writes `[[Target\|text]]`; the backslash only escapes the pipe.
    let target = if kind == LinkKind::Wiki {
        target.trim().trim_end_matches('\\').to_string()
    } else {
        percent_decode(target)
    };
    (target, fragment.map(|f| if kind == LinkKind::Wiki { f.trim().to_string() } else { percent_decode(&f) }))
}

/// Phase 1: finds headings (with their ids) and internal links (with the
/// sentence around each) in `body`.
pub fn scan(body: &str) -> Scan {
    let text = strip_comments(body);
    let mut scan = Scan::default();
    let mut used_ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut heading: Option<(u8, Option<String>, Range<usize>, String)> = None;
    let mut block = String::new();
    let mut pending: Vec<(usize, usize, usize)> = Vec::new(); // (link index, start, end) in `block`
    let mut open_links: Vec<(usize, usize)> = Vec::new(); // (link index, start in `block`)
    let mut first_block = true;
    let mut replaced_text = false;
    // An HTML block left empty (a comment) is no block: a `# Title` after it still leads.
    let mut empty_html_block = false;
    for (event, range) in extensions::extend(events(&text), &text, body) {
        match &event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    heading_level(*level),
                    id.as_ref().map(|s| s.to_string()),
                    range.clone(),
                    String::new(),
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, span, text)) = heading.take() {
                    let base = explicit.unwrap_or_else(|| slugify(&text));
                    let n = used_ids.entry(base.clone()).or_insert(0);
                    let id = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
                    *n += 1;
                    if level == 1 && scan.first_h1.is_none() {
                        scan.first_h1 = Some(text.trim().to_string());
                        if first_block {
                            scan.leading_h1 = Some(span.clone());
                        }
                    }
                    scan.headings.push(Heading {
                        level,
                        text: text.trim().to_string(),
                        id,
                        span,
                        section_end: 0,
                    });
                }
                flush_context(&mut block, &mut pending, &mut scan.links);
            }
            Event::Start(tag) => {
                if let Some((kind, embed, dest)) = internal_link(tag) {
                    let (target, fragment) = split_target(kind, dest);
                    open_links.push((scan.links.len(), block.len()));
                    if matches!(tag, Tag::Link { link_type: LinkType::WikiLink { has_pothole: false }, .. }) {
                        // Shown as "China › Processing", not as written.
                        let display = wiki_display(&target, fragment.as_deref());
                        if let Some(h) = heading.as_mut() {
                            h.3.push_str(&display);
                        }
                        block.push_str(&display);
                        replaced_text = true;
                    }
                    scan.links.push(LinkRef {
                        kind,
                        embed,
                        target,
                        fragment,
                        span: range.clone(),
                        context: Context::default(),
                    });
                } else if matches!(tag, Tag::Item) {
                    flush_context(&mut block, &mut pending, &mut scan.links);
                } else if matches!(tag, Tag::HtmlBlock) {
                    empty_html_block = true;
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                replaced_text = false;
                if let Some((i, start)) = open_links.pop()
                    && scan.links[i].span.end == range.end
                {
                    pending.push((i, start, block.len()));
                } else if let Some(top) = open_links.pop() {
                    open_links.push(top);
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                flush_context(&mut block, &mut pending, &mut scan.links);
            }
            Event::Text(_) if replaced_text => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some(h) = heading.as_mut() {
                    h.3.push_str(t);
                }
                scan.words += t.split_whitespace().count();
                block.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            Event::Html(_) => empty_html_block = false,
            _ => {}
        }
        let no_block = matches!(event, Event::End(TagEnd::HtmlBlock)) && empty_html_block;
        if matches!(event, Event::End(_)) && open_links.is_empty() && heading.is_none() && !no_block {
            first_block = false;
        }
    }
    flush_context(&mut block, &mut pending, &mut scan.links);
    let ends: Vec<usize> = (0..scan.headings.len())
        .map(|i| {
            let level = scan.headings[i].level;
            scan.headings[i + 1..].iter().find(|h| h.level <= level).map_or(text.len(), |h| h.span.start)
        })
        .collect();
    for (h, end) in scan.headings.iter_mut().zip(ends) {
        h.section_end = end;
    }
    scan
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Gives each link that ended in the current block the sentence around it.
fn flush_context(block: &mut String, pending: &mut Vec<(usize, usize, usize)>, links: &mut [LinkRef]) {
    for (i, start, end) in pending.drain(..) {
        links[i].context = sentence_around(block, start, end);
    }
    block.clear();
}

/// The sentence of `text` holding `text[start..end]`, cut at `. `, `! `, `? `
/// and at 160 characters on either side.
fn sentence_around(text: &str, start: usize, end: usize) -> Context {
    const MAX: usize = 160;
    // Look no further than a window around the link, so that a paragraph
    // with thousands of links costs time linear in its length.
    const WINDOW: usize = 4 * MAX;
    let mut from = start.saturating_sub(WINDOW);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (end + WINDOW).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    let before = &text[from..start];
    let sentence_start = before
        .rmatch_indices([' ', '\n'])
        .find(|(i, _)| ends_sentence(&before[..*i]))
        .map_or(0, |(i, _)| i + 1);
    let after = &text[end..to];
    let sentence_end = after
        .char_indices()
        .find(|(i, c)| {
            ['.', '!', '?'].contains(c)
                && after[i + 1..].starts_with([' ', '\n'])
                && ends_sentence(&text[from..end + i + 1])
        })
        .map_or(after.len(), |(i, _)| i + 1);
    let mut before = before[sentence_start..].to_string();
    if before.chars().count() > MAX {
        let skip = before.chars().count() - MAX;
        let tail: String = before.chars().skip(skip).collect();
        // Start at a word, not in the middle of one.
        let tail = tail.split_once(' ').map_or(tail.as_str(), |(_, rest)| rest).to_string();
        before = format!("…{tail}");
    }
    let mut after = after[..sentence_end].to_string();
    if after.chars().count() > MAX {
        let head: String = after.chars().take(MAX).collect();
        let head = head.rsplit_once(' ').map_or(head.as_str(), |(keep, _)| keep).to_string();
        after = format!("{head}…");
    }
    Context {
        before: before.trim_start().to_string(),
        text: text[start..end].to_string(),
        after: after.trim_end().to_string(),
    }
}

/// Whether `text` ends a sentence: a `.`, `!` or `?` that does not close an
/// abbreviation (`U.S.`, `e.g.`, `Rs.`, a single initial).
fn ends_sentence(text: &str) -> bool {
    if text.ends_with(['!', '?']) {
        return true;
    }
    let Some(head) = text.strip_suffix('.') else { return false };
    let word = head.rsplit([' ', '\n', '(']).next().unwrap_or("");
    let abbreviation = word.contains('.')
        || word.chars().count() == 1
        || ["e.g", "i.e", "etc", "vs", "Rs", "Dr", "Mr", "Mrs", "Ms", "No", "St", "approx"].contains(&word);
    !abbreviation
}

/// `[[China#Figures]]` is shown as "China › Figures", `[[#Figures]]` as "Figures".
pub(crate) fn wiki_display(target: &str, fragment: Option<&str>) -> String {
    match (target.is_empty(), fragment.filter(|f| !f.trim().is_empty())) {
        (true, Some(f)) => f.to_string(),
        (false, Some(f)) => format!("{target} › {f}"),
        _ => target.to_string(),
    }
}

/// Collects `text`'s events with their byte ranges.
pub(crate) fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    Parser::new_ext(text, options()).into_offset_iter().collect()
}

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out` HTML-escaped, as [`escape_html`] does, without a
/// string of its own.
pub fn push_escaped(out: &mut String, text: &str) {
    pulldown_cmark_escape::escape_html(&mut *out, text).ok();
}

/// A heading's opening tag with its id.
pub(crate) fn heading_open(level: u8, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("<h{level} id=\"{}\">", escape_html(id)),
        None => format!("<h{level}>"),
    }
}

/// A heading's closing tag, after a link to the heading itself (`anchor`:
/// its id and text; the text names the link for screen readers, and
/// `reading.js` copies the link's URL when it is clicked).
pub(crate) fn heading_close(level: u8, anchor: Option<(&str, &str)>) -> String {
    match anchor {
        Some((id, text)) => format!(
            " <a class=\"heading-anchor\" href=\"#{}\" aria-label=\"Link to section: {}\">#</a></h{level}>\n",
            escape_html(id),
            escape_html(text)
        ),
        None => format!("</h{level}>\n"),
    }
}

/// Turns an owned string into an HTML event.
pub(crate) fn html(s: String) -> Event<'static> {
    Event::Html(CowStr::from(s))
}

/// Inline HTML (inside a paragraph).
pub(crate) fn inline_html(s: String) -> Event<'static> {
    Event::InlineHtml(CowStr::from(s))
}

/// The heading `note`'s title was taken from, when the body is rendered
/// without it: its leading `# Title`, unless front matter gives another title.
pub fn title_heading(note: &Note) -> Option<&Heading> {
    let span = note.scan.leading_h1.as_ref()?;
    let same = note.front.title.is_none() || note.front.title.as_deref() == note.scan.first_h1.as_deref();
    note.scan.headings.first().filter(|h| same && h.span == *span)
}

/// Phase 2: renders note bodies to HTML, with every internal link pointing
/// at its target's permalink, relative to the page being rendered.
pub struct BodyRenderer<'a> {
    /// The indexed site.
    pub site: &'a Site,
    /// Resolved links.
    pub graph: &'a LinkGraph,
    /// The page being rendered: links to it become bare `#anchor`s.
    pub page: Option<NoteId>,
    /// Relative URL from the page to the site root (`../../`).
    pub root: &'a str,
    /// Embeds this page may still inline; past it, embeds become plain links,
    /// so that notes embedding each other many times over stay small.
    pub embeds_left: std::cell::Cell<usize>,
}

/// How deep embeds nest before the innermost become plain links.
pub const MAX_EMBED_DEPTH: usize = 4;
/// How many embeds one page inlines at most.
pub const EMBED_BUDGET: usize = 64;

/// How to close a link or image opened in the output.
enum Closer {
    /// Emit the original end event.
    Keep,
    /// A wikilink whose text was replaced: skip its text, then close the link.
    Replaced,
    /// A broken link rendered as `<span>`.
    Span,
}

impl BodyRenderer<'_> {
    /// The HTML of note `id`'s body (its leading `# Title` left out when it is the title).
    pub fn body(&self, id: NoteId) -> String {
        let mut out = String::new();
        self.render(id, Part::Body, None, &mut vec![id], &mut out);
        out
    }

    /// The HTML of a question's explanation, without its paragraph wrapper.
    pub fn explanation(&self, id: NoteId, question: usize) -> String {
        let mut out = String::new();
        self.render(id, Part::Explanation(question), None, &mut vec![id], &mut out);
        let trimmed = out.trim_end();
        match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => out,
        }
    }

    /// The URL of a note (and heading) relative to the page.
    /// A link to the heading the title was taken from goes to the page:
    /// that heading is not in the body (the template prints the title).
    pub fn url_to(&self, id: NoteId, anchor: Option<&str>) -> String {
        let anchor = anchor.filter(|a| title_heading(self.site.note(id)).is_none_or(|h| h.id != *a));
        let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
        if Some(id) == self.page && !fragment.is_empty() {
            return fragment;
        }
        let path = format!("{}{}", self.root, self.site.permalink(id).as_str());
        format!("{}{fragment}", if path.is_empty() { "./" } else { &path })
    }

    /// Renders one text of a note into `out`. `section` limits it to a byte
    /// range of the body; `stack` holds the notes being embedded, outermost first.
    fn render(
        &self,
        id: NoteId,
        part: Part,
        section: Option<Range<usize>>,
        stack: &mut Vec<NoteId>,
        out: &mut String,
    ) {
        let note = self.site.note(id);
        let source = match part {
            Part::Body => note.body(),
            Part::Explanation(q) => note.front.questions[q].explanation.as_str(),
        };
        let text = strip_comments(source);
        let scan = scan_of(note, part);
        let targets = self.graph.targets(id, part);
        let top_level = stack.len() == 1;
        let skip = match (&section, part) {
            (None, Part::Body) => title_heading(note).map(|h| h.span.clone()),
            _ => None,
        };
        let evs = extensions::extend(events(&text), &text, source);
        let mut output: Vec<Event> = Vec::with_capacity(evs.len());
        let mut closers: Vec<Closer> = Vec::new();
        let mut callouts: Vec<bool> = Vec::new();
        let mut key_marker: Option<Range<usize>> = None;
        let mut heading: Option<(u8, Option<(String, String)>)> = None;
        let (mut link_i, mut heading_i) = (0, 0);
        let mut embed_paragraph = false;
        let mut i = 0;
        while i < evs.len() {
            let (event, range) = &evs[i];
            i += 1;
            let visible = section.as_ref().is_none_or(|s| s.contains(&range.start))
                && skip.as_ref().is_none_or(|s| !s.contains(&range.start));
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    let anchor = scan
                        .headings
                        .get(heading_i)
                        .filter(|_| top_level)
                        .map(|h| (h.id.clone(), h.text.clone()));
                    heading_i += 1;
                    if visible {
                        output.push(html(heading_open(
                            *level as u8,
                            anchor.as_ref().map(|(id, _)| id.as_str()),
                        )));
                        heading = Some((*level as u8, anchor));
                    }
                }
                Event::End(TagEnd::Heading(_)) if visible => {
                    if let Some((level, anchor)) = heading.take() {
                        let anchor = anchor.as_ref().map(|(id, text)| (id.as_str(), text.as_str()));
                        output.push(html(heading_close(level, anchor)));
                    }
                }
                Event::Start(Tag::Paragraph) if visible && is_embed_paragraph(&evs[i..]) => {
                    embed_paragraph = true
                }
                Event::End(TagEnd::Paragraph) if embed_paragraph => embed_paragraph = false,
                Event::Start(Tag::BlockQuote(None)) if visible && key_fact_marker(&text, range).is_some() => {
                    key_marker = key_fact_marker(&text, range);
                    callouts.push(true);
                    output.push(html(
                        "<div class=\"callout callout-key\" role=\"note\"><p class=\"callout-title\">Key fact</p>\n"
                            .into(),
                    ));
                }
                // The `[!key]` marker's text is dropped; what follows it on the line is kept.
                Event::Text(_) if key_marker.as_ref().is_some_and(|m| range.start < m.end) => {
                    let end = key_marker.as_ref().map_or(0, |m| m.end);
                    if range.end >= end {
                        key_marker = None;
                        let rest = text[end..range.end].trim_start();
                        if !rest.is_empty() {
                            output.push(Event::Text(CowStr::from(rest.to_string())));
                        }
                    }
                }
                Event::Start(Tag::BlockQuote(kind)) if visible => {
                    callouts.push(kind.is_some());
                    match kind {
                        Some(kind) => {
                            let (class, label) = callout_names(*kind);
                            output.push(html(format!(
                                "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{label}</p>\n"
                            )));
                        }
                        None => output.push(event.clone()),
                    }
                }
                Event::End(TagEnd::BlockQuote(_)) if visible => match callouts.pop() {
                    Some(true) => output.push(html("</div>\n".into())),
                    _ => output.push(event.clone()),
                },
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    let Some((kind, embed, _)) = internal_link(tag) else {
                        closers.push(Closer::Keep);
                        if visible {
                            output.push(event.clone());
                        }
                        continue;
                    };
                    let li = link_i;
                    link_i += 1;
                    if !visible {
                        closers.push(Closer::Keep);
                        continue;
                    }
                    let link = &scan.links[li];
                    let target = targets.get(li).cloned().flatten();
                    let display = wiki_display(&link.target, link.fragment.as_deref());
                    // `[[Lithium|]]` has a pipe but no text: show the target instead.
                    let piped =
                        matches!(tag, Tag::Link { link_type: LinkType::WikiLink { has_pothole: true }, .. })
                            && evs[i..]
                                .iter()
                                .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Link)))
                                .any(|(e, _)| !matches!(e, Event::Text(t) if t.trim().is_empty()));
                    match target {
                        Some(Target::Note { id: to, anchor }) if kind == LinkKind::Wiki && embed => {
                            i = skip_to_end(&evs, i);
                            let href = self.url_to(to, anchor.as_deref());
                            let within_budget = stack.len() <= MAX_EMBED_DEPTH && self.embeds_left.get() > 0;
                            if stack.contains(&to) || !embed_paragraph || !within_budget {
                                output.push(inline_html(format!(
                                    "<a class=\"internal embed-link\" href=\"{}\">{}</a>",
                                    escape_html(&href),
                                    escape_html(&display)
                                )));
                            } else {
                                output.push(html(self.embed(to, anchor.as_deref(), &href, stack)));
                            }
                        }
                        Some(Target::Asset(path)) if kind == LinkKind::Wiki => {
                            i = skip_to_end(&evs, i);
                            let src = escape_html(&format!("{}{path}", self.root));
                            let alt = escape_html(path.rsplit('/').next().unwrap_or(&path));
                            output.push(inline_html(if embed {
                                format!("<img src=\"{src}\" alt=\"{alt}\" loading=\"lazy\">")
                            } else {
                                format!("<a href=\"{src}\">{}</a>", escape_html(&display))
                            }));
                        }
                        Some(target) => {
                            let dest = match &target {
                                Target::Note { id: to, anchor } => self.url_to(*to, anchor.as_deref()),
                                Target::Asset(path) => format!("{}{path}", self.root),
                            };
                            output.push(Event::Start(retarget(tag, dest)));
                            if kind == LinkKind::Wiki && !piped {
                                output.push(Event::Text(CowStr::from(display)));
                                closers.push(Closer::Replaced);
                            } else {
                                closers.push(Closer::Keep);
                            }
                        }
                        None if embed && kind == LinkKind::Wiki => {
                            i = skip_to_end(&evs, i);
                            output.push(inline_html(format!(
                                "<span class=\"broken-link\">{}</span>",
                                escape_html(&display)
                            )));
                        }
                        None => {
                            output.push(inline_html(
                                "<span class=\"broken-link\" title=\"This link does not resolve\">".into(),
                            ));
                            if kind == LinkKind::Wiki && !piped {
                                output.push(Event::Text(CowStr::from(display)));
                                skip_text_until_end(&evs, &mut i);
                            }
                            closers.push(Closer::Span);
                        }
                    }
                }
                Event::End(TagEnd::Link | TagEnd::Image) => match closers.pop() {
                    Some(Closer::Span) => output.push(inline_html("</span>".into())),
                    _ if !visible => {}
                    _ => output.push(event.clone()),
                },
                Event::Text(_) if matches!(closers.last(), Some(Closer::Replaced)) => {}
                _ if visible => output.push(event.clone()),
                _ => {}
            }
        }
        pulldown_cmark::html::push_html(out, output.into_iter());
    }

    /// An embedded note (or one of its sections) inlined in a box with a link to it.
    fn embed(&self, to: NoteId, anchor: Option<&str>, href: &str, stack: &mut Vec<NoteId>) -> String {
        self.embeds_left.set(self.embeds_left.get().saturating_sub(1));
        let note = self.site.note(to);
        let heading = anchor.and_then(|a| note.scan.headings.iter().find(|h| h.id == a));
        let title = match heading {
            Some(h) => format!("{} › {}", note.title, h.text),
            None => note.title.clone(),
        };
        let mut inner = String::new();
        stack.push(to);
        self.render(to, Part::Body, heading.map(|h| h.span.start..h.section_end), stack, &mut inner);
        stack.pop();
        format!(
            "<div class=\"embed\"><p class=\"embed-source\"><a class=\"internal\" href=\"{}\">{}</a></p>\n{inner}</div>\n",
            escape_html(href),
            escape_html(&title)
        )
    }
}

/// A paragraph holding nothing but wiki embeds (and line breaks between them).
fn is_embed_paragraph(rest: &[(Event<'_>, Range<usize>)]) -> bool {
    let mut depth = 0;
    let mut embeds = 0;
    for (event, _) in rest {
        match event {
            Event::End(TagEnd::Paragraph) => return embeds > 0,
            Event::Start(Tag::Image { link_type: LinkType::WikiLink { .. }, .. }) => {
                depth += 1;
                embeds += 1;
            }
            Event::End(TagEnd::Image) => depth -= 1,
            _ if depth > 0 => {}
            Event::SoftBreak | Event::HardBreak => {}
            Event::Text(t) if t.trim().is_empty() => {}
            _ => return false,
        }
    }
    false
}

/// The index just past the end event matching the link or image opened before `i`.
fn skip_to_end(evs: &[(Event<'_>, Range<usize>)], mut i: usize) -> usize {
    let mut depth = 1;
    while i < evs.len() {
        match evs[i].0 {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Link | TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// Moves `i` past the text of the current link, up to (not past) its end event.
fn skip_text_until_end(evs: &[(Event<'_>, Range<usize>)], i: &mut usize) {
    while *i < evs.len() && matches!(evs[*i].0, Event::Text(_)) {
        *i += 1;
    }
}

/// The same link or image tag with a new destination.
fn retarget<'a>(tag: &Tag<'a>, dest: String) -> Tag<'a> {
    match tag {
        Tag::Image { title, id, .. } => Tag::Image {
            link_type: LinkType::Inline,
            dest_url: dest.into(),
            title: title.clone(),
            id: id.clone(),
        },
        Tag::Link { title, id, .. } => Tag::Link {
            link_type: LinkType::Inline,
            dest_url: dest.into(),
            title: title.clone(),
            id: id.clone(),
        },
        other => other.clone(),
    }
}

/// The marker of a key-fact callout, written `> [!key]` (any case) at the
/// start of a plain block quote: its byte range in `text`, when the block
/// quote at `range` starts with it. Key facts become flashcards in `/revise/`.
pub fn key_fact_marker(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let source = text.get(range.clone())?;
    let line = source.lines().next()?;
    let after_quote = line.trim_start().strip_prefix('>')?;
    let offset = range.start + (line.len() - after_quote.trim_start().len());
    let marker = text.get(offset..offset + KEY_MARKER.len())?;
    marker.eq_ignore_ascii_case(KEY_MARKER).then(|| offset..offset + KEY_MARKER.len())
}

const KEY_MARKER: &str = "[!key]";

/// A key fact of a note: a `> [!key] Title` callout, as plain text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFact {
    /// The text after the marker on its line (may be empty).
    pub title: String,
    /// The rest of the callout, its paragraphs joined by spaces.
    pub text: String,
}

/// Every key-fact callout of a body, in order (comments and code ignored).
pub fn key_facts(body: &str) -> Vec<KeyFact> {
    // Most bodies have no callout: don't parse them (`/revise/`'s data asks
    // for every note's key facts on every rebuild).
    let has_marker = body
        .match_indices("[!")
        .any(|(i, _)| body.get(i..i + KEY_MARKER.len()).is_some_and(|m| m.eq_ignore_ascii_case(KEY_MARKER)));
    if !has_marker {
        return Vec::new();
    }
    let text = strip_comments(body);
    let mut out = Vec::new();
    let evs = events(&text);
    let mut i = 0;
    while i < evs.len() {
        let (event, range) = &evs[i];
        i += 1;
        let Event::Start(Tag::BlockQuote(None)) = event else { continue };
        let Some(marker) = key_fact_marker(&text, range) else { continue };
        let line_end = text[marker.end..].find('\n').map_or(range.end, |n| marker.end + n).min(range.end);
        let title = text[marker.end..line_end].trim().to_string();
        let mut body = String::new();
        let mut depth = 1;
        while i < evs.len() && depth > 0 {
            let (event, r) = &evs[i];
            i += 1;
            match event {
                Event::Start(Tag::BlockQuote(_)) => depth += 1,
                Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
                Event::Text(t) | Event::Code(t) if r.start >= line_end => body.push_str(t),
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item)
                    if !body.is_empty() && !body.ends_with(' ') =>
                {
                    body.push(' ')
                }
                _ => {}
            }
        }
        out.push(KeyFact { title, text: body.trim().to_string() });
    }
    out
}

/// CSS class and label of a GitHub alert kind.
fn callout_names(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_but_code_is_kept() {
        let body = "a %% [[x]] %% b `%% [[y]] %%` <!-- [[z]] --> c";
        let out = strip_comments(body);
        assert_eq!(out.len(), body.len());
        assert!(!out.contains("[[x]]"));
        assert!(out.contains("`%% [[y]] %%`"));
        // Parsed as raw HTML, so no link either.
        assert!(out.contains("<!-- [[z]] -->"));
        assert!(scan(body).links.is_empty());
    }

    #[test]
    fn long_contexts_are_cut_at_word_boundaries() {
        let before = "words ".repeat(60);
        let text = format!("{before}LINK{}", " tail".repeat(60));
        let start = before.len();
        let c = sentence_around(&text, start, start + 4);
        assert!(c.before.starts_with("…words "), "{}", c.before);

        assert!(c.after.ends_with("tail…"), "{}", c.after);
    }

    #[test]
    fn scan_finds_links_with_context() {
        let s = scan(
            "# Title\n\nFirst sentence. Lithium is refined in [[China]] mostly. Next one.\n\n## Sub part\n",
        );
        assert_eq!(s.first_h1.as_deref(), Some("Title"));
        assert!(s.leading_h1.is_some());
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.links[0].target, "China");
        assert_eq!(s.links[0].context.before, "Lithium is refined in ");
        assert_eq!(s.links[0].context.after, " mostly.");
        assert_eq!(s.headings[1].id, "sub-part");
    }

    #[test]
    fn a_comment_before_the_first_heading_leaves_it_leading() {
        assert!(scan("<!-- draft -->\n# Title\n\nBody.\n").leading_h1.is_some());
        assert!(scan("%% draft %%\n# Title\n\nBody.\n").leading_h1.is_some());
        assert!(scan("<div>x</div>\n\n# Title\n").leading_h1.is_none());
    }

    #[test]
    fn a_heading_made_of_a_link_takes_the_link_text() {
        let s =
            scan("## [[China#Processing]]\n\n## [[China|Shown]]\n\n## [Text](other.md)\n\n## ==Key== idea\n");
        let texts: Vec<&str> = s.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["China › Processing", "Shown", "Text", "Key idea"]);
        assert_eq!(s.headings[0].id, "china-processing");
    }
}
