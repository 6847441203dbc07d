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

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::callout::{self, Fold};
use crate::content::{Note, slugify};
use crate::links::{Embedded, LinkGraph, Part, Target, scan_of};
use crate::math::{self, Formula};
use crate::site::{NoteId, Site};

pub mod cards;
pub mod citations;
mod extensions;
mod raw_html;

pub use cards::{BodyCard, CardProblem};

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
    /// Every block marked with an id (`^id`), in order of where they start.
    pub blocks: Vec<Block>,
    /// Words in the body's text, for reading time.
    pub words: usize,
    /// Every `$…$` and `$$…$$` formula, rendered, in order (sorted by `span.start`).
    pub math: Vec<Formula>,
    /// Every citation `[@id]` (see [`citations`]), in order.
    pub citations: Vec<citations::Citation>,
    /// Every correction callout (`> [!correction] Title`), in order of where they start.
    pub corrections: Vec<Correction>,
}

/// A correction callout of a body, `> [!correction] Title`: where a note
/// says that its primary source is wrong, what the record shows, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// Byte range of its block quote in the body.
    pub span: Range<usize>,
    /// Its title as written (Markdown; empty when it has none).
    pub title: String,
    /// 1 for the body's first correction, 2 for the next…
    pub n: usize,
    /// The block id marking it (`^msfn-date`), if any.
    pub block_id: Option<String>,
    /// Whether it gives a source: an `http(s)` link (Markdown, autolink or
    /// raw HTML `href`) or a citation `[@id]`.
    pub sourced: bool,
}

impl Correction {
    /// Its HTML id on the note's page: the block id's anchor (`^msfn-date`)
    /// when it has one, else `correction-N`.
    pub fn anchor(&self) -> String {
        match &self.block_id {
            Some(id) => format!("^{id}"),
            None => format!("correction-{}", self.n),
        }
    }
}

/// Whether a link destination is an `http://` or `https://` URL.
pub fn is_web_link(dest: &str) -> bool {
    let head = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
    head.starts_with("https://") || head.starts_with("http://")
}

impl Scan {
    /// The byte range of the body that `anchor` names, for embeds: a
    /// block's (by its HTML id, `^id`), or a heading's section (by the
    /// heading's id), from its line to the next heading of the same or a
    /// higher level.
    pub fn section(&self, anchor: &str) -> Option<Range<usize>> {
        if let Some(id) = anchor.strip_prefix('^')
            && let Some(block) = self.block(id)
        {
            return Some(block.span.clone());
        }
        self.headings.iter().find(|h| h.id == anchor).map(|h| h.span.start..h.section_end)
    }

    /// The block marked `^id` (the first, if two are).
    pub fn block(&self, id: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.id == id)
    }
}

/// A block of a note marked with an id, for links to it (`[[Note#^id]]`)
/// and embeds of it (`![[Note#^id]]`), after Obsidian's block references
/// (<https://help.obsidian.md/links#Link+to+a+block+in+a+note>): ` ^id` at
/// the end of a paragraph or list item marks it; `^id` on a line of its own
/// marks the block before it (a table, a quote, a list, a code block). Ids
/// are Latin letters, digits and dashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The id as written, without the `^`.
    pub id: String,
    /// What kind of block it is.
    pub kind: BlockKind,
    /// Byte range of the block in the body.
    pub span: Range<usize>,
    /// Byte range of the marker (with the space or line break before it, or
    /// the whole paragraph or table row it stands on): not rendered.
    pub marker: Range<usize>,
}

impl Block {
    /// Its HTML id, which is also the URL fragment Obsidian Publish uses:
    /// `^id`. Heading ids never start with `^`, so the two never clash.
    pub fn anchor(&self) -> String {
        format!("^{}", self.id)
    }
}

/// The kinds of Markdown block a block id can mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph.
    Paragraph,
    /// A list item (with any list nested in it).
    Item,
    /// A whole list.
    List,
    /// A table.
    Table,
    /// A block quote or callout.
    Quote,
    /// A code block.
    Code,
    /// A heading.
    Heading,
    /// An HTML block or a footnote definition.
    Other,
}

impl BlockKind {
    fn of(tag: &Tag<'_>) -> Option<BlockKind> {
        Some(match tag {
            Tag::Paragraph => BlockKind::Paragraph,
            Tag::Item => BlockKind::Item,
            Tag::List(_) => BlockKind::List,
            Tag::Table(_) => BlockKind::Table,
            Tag::BlockQuote(_) => BlockKind::Quote,
            Tag::CodeBlock(_) => BlockKind::Code,
            Tag::Heading { .. } => BlockKind::Heading,
            Tag::HtmlBlock | Tag::FootnoteDefinition(_) => BlockKind::Other,
            _ => return None,
        })
    }

    fn of_end(tag: &TagEnd) -> Option<BlockKind> {
        Some(match tag {
            TagEnd::Paragraph => BlockKind::Paragraph,
            TagEnd::Item => BlockKind::Item,
            TagEnd::List(_) => BlockKind::List,
            TagEnd::Table => BlockKind::Table,
            TagEnd::BlockQuote(_) => BlockKind::Quote,
            TagEnd::CodeBlock => BlockKind::Code,
            TagEnd::Heading(_) => BlockKind::Heading,
            TagEnd::HtmlBlock | TagEnd::FootnoteDefinition => BlockKind::Other,
            _ => return None,
        })
    }
}

/// A block open while scanning, for [`BlockFinder`].
struct OpenBlock {
    kind: BlockKind,
    span: Range<usize>,
    /// Blocks finished inside it so far, and the last of them.
    children: usize,
    last_child: Option<(BlockKind, Range<usize>)>,
    /// A list item's own text before any block inside it (a tight list
    /// has no paragraphs), and whether a block inside it ended that text.
    text: Option<Range<usize>>,
    text_done: bool,
    /// A table's last row.
    last_row: Option<Range<usize>>,
}

impl OpenBlock {
    fn new(kind: BlockKind, span: Range<usize>) -> Self {
        OpenBlock { kind, span, children: 0, last_child: None, text: None, text_done: false, last_row: None }
    }
}

/// Finds block ids while [`scan`] walks the events: a stack of the open
/// blocks, the document at its bottom.
struct BlockFinder {
    open: Vec<OpenBlock>,
    found: Vec<Block>,
}

/// A `^id` at the end of a block's text.
struct Marker {
    id: String,
    range: Range<usize>,
    /// On a line of its own (after a line break, or a quote's `>`).
    own_line: bool,
    /// The text holds nothing but the marker.
    alone: bool,
}

impl BlockFinder {
    fn new(len: usize) -> Self {
        BlockFinder { open: vec![OpenBlock::new(BlockKind::Other, 0..len)], found: Vec::new() }
    }

    /// Follows one event; returns the id of a block marked when it ends one.
    fn feed(&mut self, text: &str, event: &Event<'_>, range: &Range<usize>) -> Option<String> {
        match event {
            Event::Start(tag) => match BlockKind::of(tag) {
                Some(kind) => {
                    let found = self.end_item_text(text);
                    self.open.push(OpenBlock::new(kind, range.clone()));
                    found
                }
                None if matches!(tag, Tag::TableHead | Tag::TableRow | Tag::TableCell) => None,
                None => self.extend_item_text(range),
            },
            Event::End(tag) => match BlockKind::of_end(tag) {
                Some(kind) => {
                    let found = if kind == BlockKind::Item { self.end_item_text(text) } else { None };
                    let block = self.open.pop()?;
                    let found = found.or_else(|| match kind {
                        BlockKind::Paragraph => self.paragraph(text, &block),
                        BlockKind::Table => self.table(text, &block),
                        _ => None,
                    });
                    if self.open.is_empty() {
                        // Unbalanced events: never, but do not lose the document.
                        self.open.push(block);
                    } else if let Some(parent) = self.open.last_mut() {
                        parent.children += 1;
                        parent.last_child = Some((kind, block.span));
                    }
                    found
                }
                None if matches!(tag, TagEnd::TableHead | TagEnd::TableRow) => {
                    if let Some(table) = self.open.last_mut() {
                        table.last_row = Some(range.clone());
                    }
                    None
                }
                None if matches!(tag, TagEnd::TableCell) => None,
                None => self.extend_item_text(range),
            },
            _ => self.extend_item_text(range),
        }
    }

    /// Inline content directly in a list item is its text.
    fn extend_item_text(&mut self, range: &Range<usize>) -> Option<String> {
        if let Some(item) = self.open.last_mut()
            && item.kind == BlockKind::Item
            && !item.text_done
        {
            item.text = Some(match &item.text {
                Some(t) => t.start.min(range.start)..t.end.max(range.end),
                None => range.clone(),
            });
        }
        None
    }

    /// A block starts in a list item, or the item ends: its text, if it
    /// ends with ` ^id`, marks the item.
    fn end_item_text(&mut self, text: &str) -> Option<String> {
        let item = self.open.last_mut().filter(|b| b.kind == BlockKind::Item && !b.text_done)?;
        item.text_done = true;
        let item_text = item.text.clone()?;
        // Obsidian also reads a marker ending an item's first line, with
        // more of the item below it (`… ^step-6` above an indented embed,
        // as in its own help vault).
        let first_line = text
            .get(item_text.clone())
            .and_then(|t| t.find('\n'))
            .map(|n| item_text.start..item_text.start + n);
        let marker = find_marker(text, item_text)
            .or_else(|| first_line.and_then(|line| find_marker(text, line)))
            .filter(|m| !m.alone)?;
        let span = item.span.clone();
        self.push(marker, BlockKind::Item, span)
    }

    /// A paragraph ending with ` ^id` marks itself, or the list item it
    /// starts; `^id` alone marks the block before it; `^id` on the last
    /// line of a quote's last paragraph, or ending a callout's title line,
    /// marks the quote.
    fn paragraph(&mut self, text: &str, paragraph: &OpenBlock) -> Option<String> {
        let marker = find_marker(text, paragraph.span.clone())?;
        let parent = self.open.last()?;
        let (kind, span) = if marker.alone {
            let marker = Marker { range: paragraph.span.clone(), ..marker };
            let (kind, span) = parent.last_child.clone()?;
            return self.push(marker, kind, span);
        } else if parent.kind == BlockKind::Item && parent.children == 0 {
            (BlockKind::Item, parent.span.clone())
        } else if parent.kind == BlockKind::Quote
            && parent.children == 0
            && text[paragraph.span.clone()].starts_with("[!")
        {
            // A callout's title line: its paragraph is rendered as the title.
            (BlockKind::Quote, parent.span.clone())
        } else if marker.own_line && parent.kind == BlockKind::Quote && paragraph.span.end == parent.span.end
        {
            (BlockKind::Quote, parent.span.clone())
        } else {
            (BlockKind::Paragraph, paragraph.span.clone())
        };
        self.push(marker, kind, span)
    }

    /// A table whose last row is `^id` alone (the line right after it).
    fn table(&mut self, text: &str, table: &OpenBlock) -> Option<String> {
        let row = table.last_row.clone()?;
        let cells = text.get(row.clone())?.trim().trim_matches(|c: char| c == '|' || c.is_whitespace());
        let id = cells.strip_prefix('^').filter(|id| is_block_id(id))?;
        let marker = Marker { id: id.to_string(), range: row, own_line: true, alone: true };
        self.push(marker, BlockKind::Table, table.span.clone())
    }

    fn push(&mut self, marker: Marker, kind: BlockKind, span: Range<usize>) -> Option<String> {
        let shown = format!("^{}", marker.id);
        self.found.push(Block { id: marker.id, kind, span, marker: marker.range });
        Some(shown)
    }

    /// The blocks found, in order of where they start.
    fn finish(mut self) -> Vec<Block> {
        self.found.sort_by_key(|b| (b.span.start, std::cmp::Reverse(b.span.end)));
        self.found
    }
}

/// The box a body table is written in: it scrolls sideways by itself (and by
/// keyboard: it takes focus) with a visible cue, like a collection's table.
pub const TABLE_WRAP: &str =
    "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table\" tabindex=\"0\">\n";

/// Obsidian's rule for block ids: Latin letters, digits and dashes.
fn is_block_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The ` ^id` ending the text at `span`: its last word, after a space, a
/// tab or a line break (`x^2` is no marker). Only that word is read.
fn find_marker(text: &str, span: Range<usize>) -> Option<Marker> {
    let source = text.get(span.clone())?.trim_end();
    let mut word =
        source.char_indices().rev().find(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
    // Obsidian also takes a marker written right after an embed or a link
    // (`![[chart.png]]^chart`, as in its own help vault).
    if let Some(caret) = source[word..].rfind("]]^") {
        word += caret + 2;
    }
    let id = source[word..].strip_prefix('^').filter(|id| is_block_id(id))?;
    let before = &source[..word];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let quote_or_space = |c: char| c.is_whitespace() || c == '>';
    let own_line = line.chars().all(quote_or_space);
    let kept = before.trim_end_matches(quote_or_space);
    let start = if own_line { span.start + kept.len() } else { span.start + before.trim_end().len() };
    Some(Marker {
        id: id.to_string(),
        range: start..span.start + source.len(),
        own_line,
        alone: kept.is_empty(),
    })
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
    /// A relative URL in raw HTML (`<img src="map.png">`, `<a href="Other.md">`):
    /// resolved as a Markdown link to the same destination is.
    Html,
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
    // In a table cell Obsidian writes `[[Target\|text]]` (and `[[Target#anchor\|text]]`);
    // the backslash only escapes the pipe.
    let target = if kind == LinkKind::Wiki {
        target.trim().trim_end_matches('\\').to_string()
    } else {
        percent_decode(target)
    };
    let fragment = fragment.map(|f| match kind {
        // `[[Target#^id\|text]]`: the escape ends the fragment, not the target.
        LinkKind::Wiki => f.trim().trim_end_matches('\\').trim_end().to_string(),
        _ => percent_decode(&f),
    });
    (target, fragment)
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
    let mut blocks = BlockFinder::new(text.len());
    // An HTML block left empty (a comment) is no block: a `# Title` after it still leads.
    let mut empty_html_block = false;
    let mut raw_html = raw_html::Scanner::default();
    let evs = extensions::extend(events(&text), &text, body);
    scan.citations = citations::find(&text, &evs);
    // The block quotes open, each with the correction it is, if one.
    let mut quotes: Vec<Option<usize>> = Vec::new();
    for i in 0..evs.len() {
        let (event, range) = evs[i].clone();
        match &event {
            Event::Start(Tag::BlockQuote(_)) => {
                let header = callout_header(&text, &range, evs.get(i + 1))
                    .filter(|h| callout::style_of(h.kind).name == "correction");
                quotes.push(header.map(|h| {
                    scan.corrections.push(Correction {
                        span: range.clone(),
                        title: text[h.title].to_string(),
                        n: scan.corrections.len() + 1,
                        block_id: None,
                        sourced: false,
                    });
                    scan.corrections.len() - 1
                }));
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                quotes.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) if is_web_link(dest_url) => {
                for c in quotes.iter().flatten() {
                    scan.corrections[*c].sourced = true;
                }
            }
            Event::Html(raw) | Event::InlineHtml(raw) if raw.to_ascii_lowercase().contains("href=\"http") => {
                for c in quotes.iter().flatten() {
                    scan.corrections[*c].sourced = true;
                }
            }
            _ => {}
        }
        for url in raw_html.feed(&event, &range, &text) {
            scan.links.push(url.link());
        }
        if let Event::InlineMath(tex) | Event::DisplayMath(tex) = &event {
            let display = matches!(event, Event::DisplayMath(_));
            scan.math.push(math::formula(&text, range.clone(), tex, display));
        }
        if let Some(marker) = blocks.feed(&text, &event, &range) {
            // A backlink's sentence does not quote the marker either.
            let linked_to = pending.iter().map(|p| p.2).max().unwrap_or(0);
            if let Some(cut) = block.trim_end().strip_suffix(marker.as_str()).map(str::len)
                && cut >= linked_to
            {
                block.truncate(cut);
            }
        }
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
    scan.blocks = blocks.finish();
    for c in &mut scan.corrections {
        c.sourced |= scan.citations.iter().any(|cite| c.span.contains(&cite.span.start));
        c.block_id =
            scan.blocks.iter().find(|b| b.kind == BlockKind::Quote && b.span == c.span).map(|b| b.id.clone());
    }
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

pub use crate::html::{escape_html, push_escaped};

/// The flashcards of `body` (see [`cards`]): `whole` when front matter marks
/// the whole note as cards, `unmarked` when it says `cards = false`.
pub fn find_cards(body: &str, scan: &Scan, whole: bool, unmarked: bool) -> (Vec<BodyCard>, Vec<CardProblem>) {
    if unmarked || !(whole || body.contains("#flashcards") || body.contains("#Flashcards")) {
        return (Vec::new(), Vec::new());
    }
    let text = strip_comments(body);
    let evs = extensions::extend(events(&text), &text, body);
    let sections: Vec<(usize, Range<usize>)> =
        scan.headings.iter().map(|h| (h.level as usize, h.span.start..h.section_end)).collect();
    cards::find(&text, &evs, &sections, whole, unmarked)
}

/// A body card rendered for the revision data: its id (without the note's
/// permalink) and its front and back as HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedCard {
    /// `card-1a2b3c4d`, `card-1a2b3c4d-r`, `card-1a2b3c4d-c1`….
    pub id: String,
    /// The front, inline HTML.
    pub front: String,
    /// The back, inline HTML.
    pub back: String,
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
            " <a class=\"heading-anchor\" data-pagefind-ignore href=\"#{}\" aria-label=\"Link to section: {}\">#</a></h{level}>\n",
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
        self.render(id, Part::Body, None, &mut vec![(id, None)], &mut out, None);
        out
    }

    /// The flashcards of note `id`'s body, their fronts and backs rendered
    /// as on its page (links relative to [`BodyRenderer::root`]), in order.
    pub fn cards(&self, id: NoteId) -> Vec<RenderedCard> {
        let mut cards = Vec::new();
        if !self.site.note(id).cards.is_empty() {
            self.render(id, Part::Body, None, &mut vec![(id, None)], &mut String::new(), Some(&mut cards));
        }
        cards
    }

    /// The HTML of a question's explanation, without its paragraph wrapper.
    pub fn explanation(&self, id: NoteId, question: usize) -> String {
        let mut out = String::new();
        self.render(id, Part::Explanation(question), None, &mut vec![(id, None)], &mut out, None);
        let trimmed = out.trim_end();
        match trimmed.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
            Some(inner) if !inner.contains("<p>") => inner.to_string(),
            _ => out,
        }
    }

    /// A citation of note `id`'s sources as HTML: `<sup class="cite">` with
    /// a link `[n]` to each source's item in the note's "Sources" section
    /// (`#source-ID`, on the note's page). `None` when one of its ids names
    /// no source of the note: it then stays as written (and parsing the
    /// note warned).
    fn citation(&self, id: NoteId, citation: &citations::Citation) -> Option<String> {
        let sources = &self.site.note(id).front.sources;
        // The known ids are linked; an unknown one (a warning of its own)
        // stays as written beside them, so one typo hides no other source.
        let (mut links, mut unknown) = (String::new(), Vec::new());
        for (key, _) in &citation.ids {
            match sources.iter().position(|s| s.id == *key) {
                Some(n) => {
                    let href = self.url_to(id, Some(&format!("source-{key}")));
                    links.push_str(&format!("<a href=\"{}\">[{}]</a>", escape_html(&href), n + 1));
                }
                None => unknown.push(format!("@{key}")),
            }
        }
        if links.is_empty() {
            return None;
        }
        let mut out = format!("<sup class=\"cite\">{links}</sup>");
        if !unknown.is_empty() {
            out.push_str(&escape_html(&format!("[{}]", unknown.join("; "))));
        }
        Some(out)
    }

    /// Correction `index` of note `id`'s body (see [`Scan::corrections`])
    /// rendered for a page other than the note's (the `/corrections/`
    /// page): its title and its body as HTML, links relative to
    /// [`BodyRenderer::root`]. Empty strings for a callout without title or body.
    pub fn correction(&self, id: NoteId, index: usize) -> (String, String) {
        let Some(c) = self.site.note(id).scan.corrections.get(index) else { return Default::default() };
        let mut out = String::new();
        // Rendered as an embed of the callout alone: no anchors of the note's page.
        let mut stack = vec![(id, None), (id, Some(c.span.clone()))];
        self.render(id, Part::Body, Some(c.span.clone()), &mut stack, &mut out, None);
        callout::split_rendered(&out).unwrap_or_default()
    }

    /// The URL of a note (and heading) relative to the page.
    /// A link to the heading the title was taken from goes to the page:
    /// that heading is not in the body (the template prints the title).
    pub fn url_to(&self, id: NoteId, anchor: Option<&str>) -> String {
        let anchor = anchor.filter(|a| title_heading(self.site.note(id)).is_none_or(|h| h.id != *a));
        let fragment = anchor.map(|a| format!("#{}", utf8_percent_encode(a, FRAGMENT))).unwrap_or_default();
        if Some(id) == self.page && !fragment.is_empty() {
            return fragment;
        }
        let path = format!("{}{}", self.root, self.site.permalink(id).as_str());
        format!("{}{fragment}", if path.is_empty() { "./" } else { &path })
    }

    /// The URL of the attachment at `path` (relative to `content/`, where it
    /// is copied to in the output) relative to the page, every segment
    /// percent-encoded (`a b&c.png` → `a%20b%26c.png`, `i%20j.png` →
    /// `i%2520j.png`), with the link's `#fragment` (`#page=3`) if any.
    pub fn asset_url(&self, path: &str, fragment: Option<&str>) -> String {
        let mut url = self.root.to_string();
        for (i, segment) in path.split('/').enumerate() {
            if i > 0 {
                url.push('/');
            }
            url.extend(utf8_percent_encode(segment, PATH_SEGMENT));
        }
        if let Some(fragment) = fragment.map(str::trim).filter(|f| !f.is_empty()) {
            url.push('#');
            url.extend(utf8_percent_encode(fragment, FRAGMENT));
        }
        url
    }

    /// An embedded attachment as Obsidian shows it
    /// (<https://help.obsidian.md/embeds>, <https://help.obsidian.md/file-formats>):
    /// an `<img>` for an image, `<audio controls>` or `<video controls>` for
    /// sound and video, and a link for anything else (a PDF). `written` is
    /// the text after `|` (`![[pic.png|A map|300]]`) or a Markdown image's
    /// alt text: a trailing `300` or `300x200` is the width (and height) in
    /// CSS pixels, the rest the alt text (else, when `named`, the file name).
    fn attachment(
        &self,
        path: &str,
        fragment: Option<&str>,
        written: &str,
        title: &str,
        named: bool,
    ) -> String {
        let url = escape_html(&self.asset_url(path, fragment));
        let name = path.rsplit('/').next().unwrap_or(path);
        let (text, size) = split_size(written);
        let alt = escape_html(if text.trim().is_empty() && named { name } else { text.trim() });
        let text = escape_html(if text.trim().is_empty() { name } else { text.trim() });
        let mut attrs = String::new();
        if let Some((width, height)) = size {
            attrs.push_str(&format!(" width=\"{width}\""));
            if let Some(height) = height {
                attrs.push_str(&format!(" height=\"{height}\""));
            }
        }
        if !title.is_empty() {
            attrs.push_str(&format!(" title=\"{}\"", escape_html(title)));
        }
        let fallback = format!("<a href=\"{url}\">{text}</a>");
        match Media::of(name) {
            Media::Image => format!("<img src=\"{url}\" alt=\"{alt}\"{attrs} loading=\"lazy\">"),
            Media::Audio => {
                format!("<audio controls preload=\"metadata\" src=\"{url}\"{attrs}>{fallback}</audio>")
            }
            Media::Video => {
                format!("<video controls preload=\"metadata\" src=\"{url}\"{attrs}>{fallback}</video>")
            }
            Media::Other => format!("<a class=\"internal attachment\" href=\"{url}\"{attrs}>{text}</a>"),
        }
    }

    /// Renders one text of a note into `out`. `section` limits it to a byte
    /// range of the body; `stack` holds what is being embedded (a note, or a
    /// range of its body), outermost first.
    fn render(
        &self,
        id: NoteId,
        part: Part,
        section: Option<Range<usize>>,
        stack: &mut Vec<Embedded>,
        out: &mut String,
        record: Option<&mut Vec<RenderedCard>>,
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
        let evs = citations::weave(&text, evs, &scan.citations, |c| self.citation(id, c));
        let (evs, inserts) = match part {
            Part::Body => cards::weave(&text, evs, &note.cards),
            Part::Explanation(_) => (evs, Vec::new()),
        };
        let visible_at = |at: usize| {
            section.as_ref().is_none_or(|s| s.contains(&at)) && skip.as_ref().is_none_or(|s| !s.contains(&at))
        };
        // Where each card part was written in `output`, for the revision data.
        let mut written: Vec<(cards::Insert, usize)> = Vec::new();
        let mut insert_i = 0;
        let mut output: Vec<Event> = Vec::with_capacity(evs.len());
        let mut closers: Vec<Closer> = Vec::new();
        let mut callouts: Vec<QuoteEnd> = Vec::new();
        let mut key_marker: Option<Range<usize>> = None;
        // The callout whose title line is being rendered: (end of its
        // `[!type]` marker, its fold).
        let mut callout_title: Option<(usize, Fold)> = None;
        let mut heading: Option<(u8, Option<(String, String)>)> = None;
        let (mut link_i, mut heading_i) = (0, 0);
        let mut embed_paragraph = false;
        // Block ids: the anchors go on the page's own blocks only (an embed
        // would repeat them), the markers are shown nowhere.
        let marks = BlockMarks::new(scan, top_level && part == Part::Body);
        let mut wrappers: Vec<usize> = Vec::new(); // end events of the blocks wrapped in a <div id>
        // Raw HTML's links are found by their spans, not counted: events
        // skipped below (an image's description) may hold raw HTML.
        let mut raw_urls = raw_html::Scanner::default();
        let mut html_links: Vec<(usize, usize)> = scan
            .links
            .iter()
            .enumerate()
            .filter(|(_, l)| l.kind == LinkKind::Html)
            .map(|(li, l)| (l.span.start, li))
            .collect();
        html_links.sort_unstable();
        let mut i = 0;
        while i <= evs.len() {
            while let Some(&(at, pos, insert)) = inserts.get(insert_i).filter(|(at, ..)| *at <= i) {
                let _ = at;
                insert_i += 1;
                if visible_at(pos) {
                    written.push((insert, output.len()));
                    if let Some(h) = self.card_html(id, insert, top_level) {
                        output.push(inline_html(h));
                    }
                }
            }
            if i == evs.len() {
                break;
            }
            while wrappers.last().is_some_and(|end| *end < i) {
                wrappers.pop();
                output.push(html("</div>\n".into()));
            }
            let (event, range) = &evs[i];
            i += 1;
            // The links below count Markdown links only: step over raw HTML's.
            while scan
                .links
                .get(link_i)
                .is_some_and(|l| l.kind == LinkKind::Html && l.span.start < range.start)
            {
                link_i += 1;
            }
            let visible = section.as_ref().is_none_or(|s| s.contains(&range.start))
                && skip.as_ref().is_none_or(|s| !s.contains(&range.start));
            // Text ending in a block id marker goes on without it (its range too,
            // for the arms below that read the source).
            let (cut_event, cut_range);
            let (event, range) = match (event, marks.cuts(range)) {
                (Event::Text(t), Some(cut)) => {
                    cut_event = Event::Text(CowStr::from(text_before(&text, range, t, cut)));
                    cut_range = range.start..cut;
                    (&cut_event, &cut_range)
                }
                _ => (event, range),
            };
            if !marks.is_empty() {
                if marks.hides(range) {
                    if matches!(event, Event::Start(_)) {
                        i = end_of(&evs, i - 1) + 1;
                    }
                    continue;
                }
                if visible
                    && let Event::Start(tag) = event
                    && let Some(anchor) = marks.anchor_of(tag, range)
                {
                    let id = escape_html(&anchor.anchor());
                    match anchor.kind {
                        BlockKind::Paragraph => {
                            output.push(html(format!("<p id=\"{id}\">")));
                            continue;
                        }
                        BlockKind::Item => {
                            output.push(html(format!("<li id=\"{id}\">")));
                            continue;
                        }
                        _ => {
                            output.push(html(format!("<div class=\"block\" id=\"{id}\">\n")));
                            wrappers.push(end_of(&evs, i - 1));
                        }
                    }
                }
            }
            let found = raw_urls.render(event, range, &text);
            match event {
                Event::Html(raw) | Event::InlineHtml(raw) if visible && !found.is_empty() => {
                    let rewritten = self.raw_html(raw, &found, scan, &html_links, targets);
                    output.push(match event {
                        Event::Html(_) => html(rewritten),
                        _ => inline_html(rewritten),
                    });
                }
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
                Event::Start(Tag::Paragraph)
                    if visible
                        && is_embed_paragraph(&evs[i..], targets.get(link_i..).unwrap_or_default()) =>
                {
                    embed_paragraph = true
                }
                Event::End(TagEnd::Paragraph) if embed_paragraph => embed_paragraph = false,
                Event::Start(Tag::BlockQuote(None)) if visible && key_fact_marker(&text, range).is_some() => {
                    key_marker = key_fact_marker(&text, range);
                    callouts.push(QuoteEnd::Div);
                    output.push(html(
                        "<div class=\"callout callout-key\" role=\"note\"><p class=\"callout-title\" data-pagefind-ignore>Key fact</p>\n"
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
                Event::Start(Tag::BlockQuote(None))
                    if visible && let Some(header) = callout_header(&text, range, evs.get(i)) =>
                {
                    // Its first paragraph starts with the title line: the
                    // title is rendered in place of that paragraph's opening.
                    i += 1;
                    let custom = !header.title.is_empty();
                    // A correction on its own page gets its id (`correction-N`),
                    // unless a block id gives it one already.
                    let anchor = scan
                        .corrections
                        .iter()
                        .filter(|_| top_level && part == Part::Body)
                        .find(|c| c.span.start == range.start && c.block_id.is_none())
                        .map(Correction::anchor);
                    output.push(html(callout::open(
                        header.kind,
                        header.metadata,
                        header.fold,
                        custom,
                        anchor.as_deref(),
                    )));
                    callouts.push(QuoteEnd::Callout(header.fold, false));
                    callout_title = Some((header.marker.end, header.fold));
                }
                // The marker's text is dropped; the title after it is kept.
                Event::Text(t) if callout_title.is_some_and(|(end, _)| range.start <= end) => {
                    let end = callout_title.map_or(0, |(end, _)| end);
                    // Within the marker, the source is the text (no escapes there).
                    let rest =
                        if range.start == end { t.as_ref() } else { text.get(end..range.end).unwrap_or("") };
                    let rest = rest.trim_start();
                    if !rest.is_empty() {
                        output.push(Event::Text(CowStr::from(rest.to_string())));
                    }
                }
                // The title is the first line: a line break or the end of
                // the paragraph ends it; what follows is the body.
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph)
                    if let Some((_, fold)) = callout_title =>
                {
                    callout_title = None;
                    let paragraph_goes_on = !matches!(event, Event::End(_));
                    let body = paragraph_goes_on
                        || !matches!(evs.get(i), Some((Event::End(TagEnd::BlockQuote(_)), _)));
                    output.push(html(callout::close_title(fold, body).into()));
                    if paragraph_goes_on {
                        output.push(Event::Start(Tag::Paragraph));
                    }
                    if let Some(QuoteEnd::Callout(_, has_body)) = callouts.last_mut() {
                        *has_body = body;
                    }
                }
                Event::Start(Tag::BlockQuote(Some(kind))) if visible => {
                    let kind = callout::gfm_kind(*kind);
                    let body = !matches!(evs.get(i), Some((Event::End(TagEnd::BlockQuote(_)), _)));
                    output.push(html(callout::open(kind, None, Fold::No, false, None)));
                    output.push(html(callout::close_title(Fold::No, body).into()));
                    callouts.push(QuoteEnd::Callout(Fold::No, body));
                }
                Event::Start(Tag::BlockQuote(None)) if visible => {
                    callouts.push(QuoteEnd::Quote);
                    output.push(event.clone());
                }
                Event::End(TagEnd::BlockQuote(_)) if visible => match callouts.pop() {
                    Some(QuoteEnd::Div) => output.push(html("</div>\n".into())),
                    Some(QuoteEnd::Callout(fold, body)) => {
                        output.push(html(callout::close(fold, body).into()))
                    }
                    _ => output.push(event.clone()),
                },
                Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                    let Some((kind, embed, _)) = internal_link(tag) else {
                        // `![250](https://…)`, `![100x145](…)`: an external
                        // image sized as Obsidian sizes it (its alt text is
                        // the size; <https://help.obsidian.md/embeds>).
                        if let Tag::Image { dest_url, title, .. } = tag
                            && visible
                        {
                            let end = skip_to_end(&evs, i);
                            let alt = inner_text(&evs[i..end.saturating_sub(1)]);
                            if let (rest, Some((width, height))) = split_size(&alt) {
                                i = end;
                                let mut img = format!(
                                    "<img src=\"{}\" alt=\"{}\" width=\"{width}\"",
                                    escape_html(dest_url),
                                    escape_html(rest.trim())
                                );
                                if let Some(height) = height {
                                    img.push_str(&format!(" height=\"{height}\""));
                                }
                                if !title.is_empty() {
                                    img.push_str(&format!(" title=\"{}\"", escape_html(title)));
                                }
                                output.push(inline_html(img + ">"));
                                continue;
                            }
                        }
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
                            // Another section of a note being shown is no cycle; the same one is.
                            let shown =
                                (to, anchor.as_deref().and_then(|a| self.site.note(to).scan.section(a)));
                            if stack.contains(&shown) || !embed_paragraph || !within_budget {
                                output.push(inline_html(format!(
                                    "<a class=\"internal embed-link\" href=\"{}\">{}</a>",
                                    escape_html(&href),
                                    escape_html(&display)
                                )));
                            } else {
                                output.push(html(self.embed(shown, anchor.as_deref(), &href, stack)));
                            }
                        }
                        Some(Target::Asset(path)) if embed => {
                            let end = skip_to_end(&evs, i);
                            // `![[pic.png]]` holds its target as text; `![[pic.png|300]]` and `![alt](pic.png)` hold what was written.
                            let written = match tag {
                                Tag::Image {
                                    link_type: LinkType::WikiLink { has_pothole: false }, ..
                                } => String::new(),
                                _ => inner_text(&evs[i..end]),
                            };
                            let title = match tag {
                                Tag::Image { title, .. } => title.as_ref(),
                                _ => "",
                            };
                            i = end;
                            // An empty Markdown alt text says "decorative"; a wiki embed names its file.
                            let named = kind == LinkKind::Wiki;
                            output.push(inline_html(self.attachment(
                                &path,
                                link.fragment.as_deref(),
                                &written,
                                title,
                                named,
                            )));
                        }
                        Some(target) => {
                            let dest = match &target {
                                Target::Note { id: to, anchor } => self.url_to(*to, anchor.as_deref()),
                                Target::Asset(path) => self.asset_url(path, link.fragment.as_deref()),
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
                // Found by position, not counted: embeds skip the events of their link text.
                Event::InlineMath(tex) | Event::DisplayMath(tex) if visible => {
                    match scan.math.binary_search_by_key(&range.start, |f| f.span.start) {
                        Ok(at) => {
                            let mut html = String::new();
                            math::push_html(&mut html, &scan.math[at], tex);
                            output.push(inline_html(html));
                        }
                        Err(_) => output.push(event.clone()),
                    }
                }
                Event::Text(_) if matches!(closers.last(), Some(Closer::Replaced)) => {}
                // A table scrolls sideways in its own box, as a collection's
                // comparison table does, never the page (style.css: .table-wrap).
                Event::Start(Tag::Table(_)) if visible => {
                    output.push(html(TABLE_WRAP.into()));
                    output.push(event.clone());
                }
                Event::End(TagEnd::Table) if visible => {
                    output.push(event.clone());
                    output.push(html("</div>\n".into()));
                }
                _ if visible => output.push(event.clone()),
                _ => {}
            }
        }
        for _ in wrappers {
            output.push(html("</div>\n".into()));
        }
        if let Some(record) = record {
            record.extend(cards::rendered(&note.cards, &written, &output));
        }
        pulldown_cmark::html::push_html(out, output.into_iter());
    }

    /// The HTML written for a part of a body card of note `id` (`None`: nothing).
    /// Ids go on the note's own page only (`top_level`), not on embeds.
    fn card_html(&self, id: NoteId, insert: cards::Insert, top_level: bool) -> Option<String> {
        use cards::Insert;
        let note = self.site.note(id);
        let permalink = self.site.permalink(id).as_str();
        let attrs = |fragment: &str, ids: &[String]| {
            if !top_level {
                return String::new();
            }
            let full: Vec<String> = ids.iter().map(|i| format!("{permalink}#{i}")).collect();
            format!(" id=\"{}\" data-revise-id=\"{}\"", escape_html(fragment), escape_html(&full.join(" ")))
        };
        Some(match insert {
            Insert::Open(n) => {
                let card = &note.cards[n];
                format!(
                    "<details class=\"card\"{}><summary class=\"card-front\">",
                    attrs(&card.id, &card.ids())
                )
            }
            Insert::Middle(n) => {
                let both = matches!(note.cards[n].shape, cards::Shape::Basic { both_ways: true, .. });
                let marker = if both {
                    "<span class=\"card-both\" data-pagefind-ignore title=\"Revised both ways: each side is asked\">⇄ both ways</span>"
                } else {
                    ""
                };
                format!("{marker}</summary><div class=\"card-back\" data-pagefind-ignore>")
            }
            Insert::Close(_) => "</div></details>\n".into(),
            Insert::ParagraphOpen => "<p>".into(),
            Insert::ParagraphClose => "</p>\n".into(),
            Insert::ClozeStart(_) | Insert::ClozeEnd(_) => return None,
            Insert::DeletionOpen(n, d) => {
                let card = &note.cards[n];
                let ids = card.ids();
                let fragment = ids.get(d).cloned().unwrap_or_default();
                let class = if top_level { "cloze card" } else { "cloze" };
                format!(
                    "<mark class=\"{class}\"{} data-pagefind-ignore>",
                    attrs(&fragment, std::slice::from_ref(&fragment))
                )
            }
            Insert::DeletionClose(..) => "</mark>".into(),
        })
    }

    /// The raw HTML `raw` with its relative URLs `found` that resolved
    /// (each the link of `scan` at its span) pointing at their targets from
    /// this page, as Markdown links do; the rest of it as written.
    fn raw_html(
        &self,
        raw: &str,
        found: &[raw_html::RawUrl],
        scan: &Scan,
        html_links: &[(usize, usize)],
        targets: &[Option<Target>],
    ) -> String {
        let mut out = String::with_capacity(raw.len() + 16);
        let mut done = 0;
        for url in found {
            let Ok(at) = html_links.binary_search_by_key(&url.span.start, |(start, _)| *start) else {
                continue;
            };
            let li = html_links[at].1;
            let link = &scan.links[li];
            let dest = match targets.get(li) {
                Some(Some(Target::Note { id, anchor })) if link.span == url.span => {
                    self.url_to(*id, anchor.as_deref())
                }
                Some(Some(Target::Asset(path))) if link.span == url.span => {
                    self.asset_url(path, link.fragment.as_deref())
                }
                _ => continue,
            };
            let dest = escape_html(&dest);
            out.push_str(&raw[done..url.at.start]);
            out.push_str(&if url.unquoted { raw_html::unquoted_value(&dest) } else { dest });
            done = url.at.end;
        }
        out.push_str(&raw[done..]);
        out
    }

    /// An embedded note (or the part of it `shown.1` names, which `anchor`
    /// links to) inlined in a box with a link to it.
    fn embed(&self, shown: Embedded, anchor: Option<&str>, href: &str, stack: &mut Vec<Embedded>) -> String {
        self.embeds_left.set(self.embeds_left.get().saturating_sub(1));
        let (to, section) = shown.clone();
        let note = self.site.note(to);
        let heading = anchor.and_then(|a| note.scan.headings.iter().find(|h| h.id == a));
        let title = match heading {
            Some(h) => format!("{} › {}", note.title, h.text),
            None => note.title.clone(),
        };
        let mut inner = String::new();
        stack.push(shown);
        self.render(to, Part::Body, section, stack, &mut inner, None);
        stack.pop();
        let block = anchor.and_then(|a| a.strip_prefix('^')).and_then(|id| note.scan.block(id));
        if block.is_some_and(|b| b.kind == BlockKind::Item) {
            inner = format!("<ul>\n{inner}</ul>\n");
        }
        format!(
            "<div class=\"embed\"><p class=\"embed-source\"><a class=\"internal\" href=\"{}\">{}</a></p>\n{inner}</div>\n",
            escape_html(href),
            escape_html(&title)
        )
    }
}

/// Characters percent-encoded in a path segment of a URL: those the URL
/// standard does not allow there, `%` itself, those that would end the
/// segment or start a query or fragment, and `:` (a first segment with one
/// would read as a scheme). Non-ASCII characters are always encoded.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// An element id as the `#fragment` of an `href`, percent-encoded with
/// [`FRAGMENT`]: `^ncmm-date` → `%5Encmm-date`.
pub fn fragment(id: &str) -> String {
    utf8_percent_encode(id, FRAGMENT).to_string()
}

/// Characters percent-encoded in a fragment: the URL standard's fragment
/// set, `%`, and the ASCII that RFC 3986 leaves out of a fragment
/// (`#`, `[`, `\`, `]`, `^`, `{`, `|`, `}`), which HTML validators reject.
/// So Obsidian's `#^block-id` is written `#%5Eblock-id`; browsers decode a
/// fragment before looking for its id (HTML, "find a potential indicated
/// element"), so it still reaches `id="^block-id"`.
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// How an embedded attachment is shown, by its extension, after Obsidian's
/// list of accepted file formats (<https://help.obsidian.md/file-formats>).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    Image,
    Audio,
    Video,
    Other,
}

impl Media {
    fn of(name: &str) -> Media {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "avif" | "bmp" | "gif" | "jpeg" | "jpg" | "png" | "svg" | "webp" => Media::Image,
            "flac" | "m4a" | "mp3" | "ogg" | "wav" | "3gp" => Media::Audio,
            // `webm` is on both of Obsidian's lists; a video element plays sound too.
            "mkv" | "mov" | "mp4" | "ogv" | "webm" => Media::Video,
            _ => Media::Other,
        }
    }
}

/// Splits a trailing size off an embed's text: `A map|300x200` →
/// (`A map`, (300, 200)); `300` → (``, (300, none)); `A map` → no size.
fn split_size(text: &str) -> (&str, Option<(u32, Option<u32>)>) {
    let (rest, last) = text.rsplit_once('|').unwrap_or(("", text));
    let last = last.trim();
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<u32>().ok()).flatten();
    let size = match last.split_once(['x', 'X']) {
        // `300x`: a width, the height left to the picture's proportions.
        Some((w, "")) => number(w).map(|w| (w, None)),
        Some((w, h)) => number(w).zip(number(h)).map(|(w, h)| (w, Some(h))),
        None => number(last).map(|w| (w, None)),
    };
    match size {
        Some(size) => (rest, Some(size)),
        None => (text, None),
    }
}

/// The text of a link's or image's inner events (its alt text).
fn inner_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// The block ids of the text being rendered: which events are markers,
/// and which start a block that gets an id.
struct BlockMarks<'s> {
    /// Markers, by start.
    markers: Vec<Range<usize>>,
    /// The blocks given an HTML id (the first of each id), by start.
    anchors: Vec<&'s Block>,
}

impl<'s> BlockMarks<'s> {
    fn new(scan: &'s Scan, with_anchors: bool) -> Self {
        let mut markers: Vec<Range<usize>> = scan.blocks.iter().map(|b| b.marker.clone()).collect();
        markers.sort_by_key(|m| m.start);
        // The first block of an id is the one links go to (`Scan::block`).
        let mut seen = std::collections::HashSet::new();
        let anchors = match with_anchors {
            true => scan.blocks.iter().filter(|b| seen.insert(b.id.as_str())).collect(),
            false => Vec::new(),
        };
        BlockMarks { markers, anchors }
    }

    fn is_empty(&self) -> bool {
        self.markers.is_empty()
    }

    /// The event at `range` lies inside a marker.
    fn hides(&self, range: &Range<usize>) -> bool {
        let after = self.markers.partition_point(|m| m.start <= range.start);
        after > 0 && range.end <= self.markers[after - 1].end && range.start < self.markers[after - 1].end
    }

    /// The start of a marker inside the text at `range`, where it is cut.
    fn cuts(&self, range: &Range<usize>) -> Option<usize> {
        let next = self.markers.partition_point(|m| m.start <= range.start);
        self.markers.get(next).map(|m| m.start).filter(|start| *start < range.end)
    }

    /// The block with an id that the start tag `tag` at `range` opens.
    fn anchor_of(&self, tag: &Tag<'_>, range: &Range<usize>) -> Option<&'s Block> {
        let kind = BlockKind::of(tag)?;
        let first = self.anchors.partition_point(|b| b.span.start < range.start);
        self.anchors[first..]
            .iter()
            .take_while(|b| b.span.start == range.start)
            .find(|b| b.kind == kind && b.span == *range)
            .copied()
    }
}

/// The text of the event at `range` before byte `cut` (a block id marker).
fn text_before(text: &str, range: &Range<usize>, event_text: &str, cut: usize) -> String {
    match text.get(range.clone()) {
        // The text as written: cut where the marker starts.
        Some(source) if source == event_text => text[range.start..cut].trim_end().to_string(),
        // Escapes or entities changed it: the marker is still its end.
        _ => event_text.rsplit_once('^').map_or(event_text, |(before, _)| before).trim_end().to_string(),
    }
}

/// The index of the end event matching the start event at `start`.
fn end_of(evs: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, (event, _)) in evs.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    evs.len().saturating_sub(1)
}

/// A paragraph holding nothing but wiki embeds (and line breaks between
/// them), at least one of them of a note: those become blocks, so it is no
/// paragraph. Attachments alone (`![[pic.png]]`) stay in a paragraph.
/// `targets` are the resolved links from the paragraph's first one on.
fn is_embed_paragraph(rest: &[(Event<'_>, Range<usize>)], targets: &[Option<Target>]) -> bool {
    let mut depth = 0;
    let mut notes = 0;
    let mut link = 0;
    for (event, _) in rest {
        match event {
            Event::End(TagEnd::Paragraph) => return notes > 0,
            Event::Start(tag @ Tag::Image { link_type, .. })
                if depth > 0 || matches!(link_type, LinkType::WikiLink { .. }) =>
            {
                if depth == 0 && matches!(targets.get(link), Some(Some(Target::Note { .. }))) {
                    notes += 1;
                }
                link += usize::from(internal_link(tag).is_some());
                depth += 1;
            }
            Event::Start(tag @ Tag::Link { .. }) if depth > 0 => {
                link += usize::from(internal_link(tag).is_some())
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
/// quote at `range` starts with it (a box on the page; no flashcard).
pub fn key_fact_marker(text: &str, range: &Range<usize>) -> Option<Range<usize>> {
    let source = text.get(range.clone())?;
    let line = source.lines().next()?;
    let after_quote = line.trim_start().strip_prefix('>')?;
    let offset = range.start + (line.len() - after_quote.trim_start().len());
    let marker = text.get(offset..offset + KEY_MARKER.len())?;
    marker.eq_ignore_ascii_case(KEY_MARKER).then(|| offset..offset + KEY_MARKER.len())
}

const KEY_MARKER: &str = "[!key]";

/// How to close a block quote opened in the output.
enum QuoteEnd {
    /// A plain block quote: emit the original end event.
    Quote,
    /// A key-fact box: close its `<div>`.
    Div,
    /// A callout that folds or not, with a body or without.
    Callout(Fold, bool),
}

/// The header of the Obsidian callout that the block quote at `range` opens,
/// when its first line is one and `next`, the event after the block quote's
/// start, is the paragraph that begins with the marker (a marker elsewhere,
/// in a table's header row say, makes no callout).
fn callout_header<'a>(
    text: &'a str,
    range: &Range<usize>,
    next: Option<&(Event<'_>, Range<usize>)>,
) -> Option<callout::Header<'a>> {
    let header = callout::header(text, range)?;
    match next {
        Some((Event::Start(Tag::Paragraph), p)) if p.start == header.marker.start => Some(header),
        _ => None,
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
    fn block_ids_mark_paragraphs_items_tables_and_quotes() {
        let body = "Para one ^p1\n\n- item a ^i1\n- item b\n  - nested ^n1\n\n| a | b |\n|---|---|\n| 1 | 2 |\n^t1\n\n\
                    > quote\n^q1\n\n> quote2\n\n^q2\n\n1. loose\n\n   second para ^l2\n\ntext x^2 and ^bad_id\n\n\
                    - loose item ^l1\n\n  more\n\n```\ncode ^c0\n```\n\n^c1\n";
        let s = scan(body);
        let found: Vec<(&str, BlockKind, &str, &str)> = s
            .blocks
            .iter()
            .map(|b| (b.id.as_str(), b.kind, body[b.span.clone()].trim_end(), &body[b.marker.clone()]))
            .collect();
        assert_eq!(
            found,
            vec![
                ("p1", BlockKind::Paragraph, "Para one ^p1", " ^p1"),
                ("i1", BlockKind::Item, "- item a ^i1", " ^i1"),
                ("n1", BlockKind::Item, "- nested ^n1", " ^n1"),
                ("t1", BlockKind::Table, "| a | b |\n|---|---|\n| 1 | 2 |\n^t1", "^t1\n"),
                ("q1", BlockKind::Quote, "> quote\n^q1", "\n^q1"),
                ("q2", BlockKind::Quote, "> quote2", "^q2\n"),
                ("l2", BlockKind::Paragraph, "second para ^l2", " ^l2"),
                ("l1", BlockKind::Item, "- loose item ^l1\n\n  more", " ^l1"),
                ("c1", BlockKind::Code, "```\ncode ^c0\n```", "^c1\n"),
            ]
        );
        assert!(s.block("bad_id").is_none() && s.block("c0").is_none());
        assert_eq!(s.section("^p1"), Some(0..13));
    }

    #[test]
    fn embed_sizes_are_split_from_the_alt_text() {
        assert_eq!(split_size("300"), ("", Some((300, None))));
        assert_eq!(split_size("300x200"), ("", Some((300, Some(200)))));
        assert_eq!(split_size("A map|300x200"), ("A map", Some((300, Some(200)))));
        assert_eq!(split_size("A map"), ("A map", None));
        assert_eq!(split_size("x200"), ("x200", None));
        assert_eq!(split_size("300x"), ("", Some((300, None))));
        assert_eq!(split_size("a|b"), ("a|b", None));
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
