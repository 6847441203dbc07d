//! Phase 1 of the Markdown layer: scanning a body for what loading needs
//! (headings and their ids, links and their sentences, block ids, citations,
//! corrections, maths, flashcards, inline tags), before any link is resolved. Phase 2,
//! rendering a body to HTML with links rewritten to permalinks, is
//! `render::body` (which depends on this module, never the reverse).
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

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::callout;
use crate::content::slugify;
use crate::math::{self, Formula};
use crate::query;

pub mod cards;
pub mod citations;
pub(crate) mod extensions;
pub(crate) mod raw_html;
pub mod tags;
pub mod unclosed;

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
    /// Every footnote (`[^label]`), in the order pulldown-cmark numbers
    /// them (the first reference or definition of each): footnote `i` is
    /// numbered `i + 1`.
    pub footnotes: Vec<Footnote>,
    /// Every inline tag (`#a/b`, see [`tags`]), in order.
    pub tags: Vec<tags::InlineTag>,
    /// How many Mermaid diagrams (` ```mermaid `) the body has.
    pub diagrams: usize,
    /// The diagrams whose type Mermaid does not know (see [`crate::code::mermaid::check`]).
    pub diagram_problems: Vec<crate::code::mermaid::Problem>,
    /// Every ` ```query ` block, read (see [`crate::query`]), in order.
    pub queries: Vec<query::Block>,
    /// Raw HTML elements opened and never closed (see [`unclosed`]), in
    /// the order they were opened: warned about, and closed (or shown as
    /// text) by the renderer so the rest of the page renders.
    pub unclosed_html: Vec<unclosed::Unclosed>,
}

/// The ids the page templates (`templates/`) give their own elements. No
/// heading or footnote of a body takes one: a heading "Main" gets `main-1`
/// (`tests/ids.rs` checks that this list holds every literal `id` of the
/// templates).
pub const TEMPLATE_IDS: &[&str] = &[
    "backlinks-title",
    "changes-since-title",
    "chart-caption",
    "chart-svg-desc",
    "chart-svg-title",
    "collections-title",
    "facts-reference-data",
    "facts-title",
    "local-graph-title",
    "main",
    "related-title",
    "revise",
    "self-test-title",
    "sheet-answers",
    "sheet-figures",
    "sheet-questions",
    "sheet-table",
    "sources-title",
    "table-caption",
    "theme-select",
];

/// Whether the page gives `id` to something other than a heading or a
/// footnote of the body, whatever the note holds: a template's own id
/// ([`TEMPLATE_IDS`]) or a flashcard's (`card-` and 8 hex digits; the
/// cards are found after the scan).
fn reserved(id: &str) -> bool {
    TEMPLATE_IDS.contains(&id)
        || id
            .strip_prefix("card-")
            .is_some_and(|h| h.get(..8).is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())))
}

/// A footnote of a body: `[^label]` references and its `[^label]: …` definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Footnote {
    /// Its label as first written (`notes` in `[^notes]`); labels are
    /// compared ignoring case, as pulldown-cmark matches them.
    pub label: String,
    /// The HTML id of its definition: `fn-` and the label's slug (`fn-notes`).
    pub id: String,
    /// The HTML id of its first reference, which the definition's back link
    /// goes to: `fnref-` and the same slug (`fnref-notes`).
    pub ref_id: String,
    /// Whether the body references it (a definition may stand alone).
    pub referenced: bool,
}

impl Scan {
    /// The footnote labelled `label` (ignoring case) and its number (from 1).
    pub fn footnote(&self, label: &str) -> Option<(usize, &Footnote)> {
        let key = label.to_lowercase();
        self.footnotes
            .iter()
            .enumerate()
            .find(|(_, f)| f.label.to_lowercase() == key)
            .map(|(i, f)| (i + 1, f))
    }

    /// Gives every heading and footnote its id, unique on the note's page:
    /// one slugger owns them all. The template's ids and the cards'
    /// (`reserved`), the ids in `taken` (the front matter's: see
    /// [`scan_keeping`]), the block ids and the corrections' ids come first
    /// and are never taken; then the footnotes (`fn-` and the label's
    /// slug), then the headings in order (`{#explicit}` or the slug of the
    /// text). A taken id gets `-1`, `-2`… (`## Main` → `main-1`).
    fn assign_ids(&mut self, taken: &[String]) {
        let mut used: std::collections::HashSet<String> = self.blocks.iter().map(Block::anchor).collect();
        used.extend(taken.iter().cloned());
        used.extend(self.corrections.iter().map(Correction::anchor));
        let claim = |base: String, used: &mut std::collections::HashSet<String>| {
            let free =
                |id: &str, used: &std::collections::HashSet<String>| !used.contains(id) && !reserved(id);
            let id = match free(&base, used) {
                true => base,
                false => (1..).map(|n| format!("{base}-{n}")).find(|id| free(id, used)).unwrap_or_default(),
            };
            used.insert(id.clone());
            id
        };
        for f in &mut self.footnotes {
            // `fn-x` and `fnref-x` are claimed together, so both are free.
            let slug = slugify(&f.label);
            let (mut n, mut suffix) = (0, String::new());
            while [format!("fn-{slug}{suffix}"), format!("fnref-{slug}{suffix}")]
                .iter()
                .any(|id| used.contains(id) || reserved(id))
            {
                n += 1;
                suffix = format!("-{n}");
            }
            f.id = claim(format!("fn-{slug}{suffix}"), &mut used);
            f.ref_id = claim(format!("fnref-{slug}{suffix}"), &mut used);
        }
        for h in &mut self.headings {
            h.id = claim(std::mem::take(&mut h.id), &mut used);
        }
    }
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
    pub(crate) fn of(tag: &Tag<'_>) -> Option<BlockKind> {
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
    /// Its HTML id: `{#explicit}` if given, else the slug of its text, made
    /// unique on the page with `-1`, `-2`… (see `Scan::assign_ids`).
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

/// The sentence around a link: text before it, its own text, text after it,
/// held as one string (every link of a site has one: at 100,000 notes two
/// strings fewer a link are 50 MB). Templates see a map of `before`, `text`
/// and `after`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Context {
    /// `before`, `text` and `after`, joined.
    joined: Box<str>,
    /// Where `text` starts in `joined`, and where `after` does.
    text_at: u32,
    after_at: u32,
}

impl Context {
    /// A context of these three parts.
    pub fn new(before: &str, text: &str, after: &str) -> Context {
        let joined: Box<str> = [before, text, after].concat().into();
        // A part longer than 4 GiB cannot come from a note Lode reads.
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Context { text_at: at(before.len()), after_at: at(before.len() + text.len()), joined }
    }

    /// Text of the sentence before the link.
    pub fn before(&self) -> &str {
        &self.joined[..self.text_at as usize]
    }

    /// The link's text.
    pub fn text(&self) -> &str {
        &self.joined[self.text_at as usize..self.after_at as usize]
    }

    /// Text of the sentence after the link.
    pub fn after(&self) -> &str {
        &self.joined[self.after_at as usize..]
    }
}

impl Serialize for Context {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut map = serializer.serialize_struct("Context", 3)?;
        map.serialize_field("before", self.before())?;
        map.serialize_field("text", self.text())?;
        map.serialize_field("after", self.after())?;
        map.end()
    }
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
    scan_keeping(body, &[])
}

/// [`scan`], the headings' and footnotes' ids keeping clear of `taken`:
/// the ids the note's page gives what its front matter holds (its
/// questions' `q1`…, its sources' `source-ID`), or the ids of the body
/// shown on the same page (for a question's explanation).
pub fn scan_keeping(body: &str, taken: &[String]) -> Scan {
    let text = strip_comments(body);
    let mut scan = Scan::default();
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
    let mut unclosed_html = unclosed::Tracker::default();
    let evs = extensions::extend(events(&text), &text, body);
    scan.citations = citations::find(&text, &evs);
    scan.tags = tags::find(&text, &evs);
    // The block quotes open, each with the correction it is, if one.
    let mut quotes: Vec<Option<usize>> = Vec::new();
    // The lines of the Mermaid diagram being read, with their offsets.
    let mut diagram: Option<Vec<(usize, String)>> = None;
    // The ` ```query ` block open: its range and its lines with their offsets.
    // (`usize::MAX` for a line whose offset is unknown: it is reported at the block.)
    type QueryLines = (Range<usize>, Vec<(String, usize)>);
    let mut query_lines: Option<QueryLines> = None;
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
        unclosed_html.feed(&event, &range, &text);
        for url in raw_html.feed(&event, &range, &text) {
            scan.links.push(url.link());
        }
        match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::code::parse_fence(info).lang == Some(crate::code::mermaid::LANG) =>
            {
                diagram = Some(Vec::new());
            }
            Event::Text(t) if diagram.is_some() => {
                // Each line of the block with where it starts in the text.
                let exact = text.get(range.clone()) == Some(t.as_ref());
                let mut at = 0;
                for line in t.split_inclusive('\n') {
                    let start = if exact { range.start + at } else { range.start };
                    at += line.len();
                    diagram
                        .iter_mut()
                        .for_each(|d| d.push((start, line.trim_end_matches(['\n', '\r']).to_string())));
                }
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if query::is_query_info(info) => {
                query_lines = Some((range.clone(), Vec::new()));
            }
            Event::Text(t) if let Some((_, lines)) = query_lines.as_mut() => {
                // A code block's text is its lines as written (less any
                // container's indentation), so each line's offset is known.
                let mut at = if text.get(range.clone()) == Some(&**t) { range.start } else { usize::MAX };
                for line in t.split_inclusive('\n') {
                    lines.push((line.trim_end_matches(['\n', '\r']).to_string(), at));
                    if at != usize::MAX {
                        at += line.len();
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(lines) = diagram.take() {
                    scan.diagrams += 1;
                    let lines = lines.iter().map(|(at, l)| (*at, l.as_str()));
                    scan.diagram_problems.extend(crate::code::mermaid::check(lines, range.start));
                }
                if let Some((span, lines)) = query_lines.take() {
                    let lines: Vec<(&str, usize)> = lines
                        .iter()
                        .filter(|(l, _)| !l.trim().is_empty())
                        .map(|(l, at)| (l.as_str(), if *at == usize::MAX { span.start } else { *at }))
                        .collect();
                    let query = query::parse(&lines, span.start..span.start + 3);
                    scan.queries.push(query::Block { span, query });
                }
            }
            _ => {}
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
        if let Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) = &event {
            let referenced = matches!(event, Event::FootnoteReference(_));
            let key = label.to_lowercase();
            match scan.footnotes.iter_mut().find(|f| f.label.to_lowercase() == key) {
                Some(f) => f.referenced |= referenced,
                None => scan.footnotes.push(Footnote {
                    label: label.to_string(),
                    id: String::new(),
                    ref_id: String::new(),
                    referenced,
                }),
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
                    // Made unique with the page's other ids by `assign_ids`.
                    let id = explicit.unwrap_or_else(|| slugify(&text));
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
    scan.unclosed_html = unclosed_html.finish();
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
    scan.assign_ids(taken);
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
    Context::new(before.trim_start(), &text[start..end], after.trim_end())
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
///
/// An HTML block opened by a `<pre>` that is never closed would run to
/// the end of the note (CommonMark 0.31.2 "HTML blocks", start condition
/// 1: only `</pre>` ends it), showing the rest of the note as raw text:
/// such a block ends at its first blank line instead, as a `<div>` block
/// does, and is closed there (see [`unclosed::ended_early`]).
pub(crate) fn events(text: &str) -> Vec<(Event<'_>, Range<usize>)> {
    let evs: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, options()).into_offset_iter().collect();
    let mut starts = unclosed::runaway_pre_blocks(&evs, text);
    if starts.is_empty() {
        return evs;
    }
    loop {
        let evs = unclosed::ended_early(text, &starts, |changed| {
            Parser::new_ext(changed, options())
                .into_offset_iter()
                .map(|(e, r)| (e.into_static(), r))
                .collect()
        });
        // A later `<pre>` the first one's block hid may run away in turn.
        let more: Vec<usize> =
            unclosed::runaway_pre_blocks(&evs, text).into_iter().filter(|at| !starts.contains(at)).collect();
        if more.is_empty() {
            return evs;
        }
        starts.extend(more);
        starts.sort_unstable();
    }
}

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

/// The header of the Obsidian callout that the block quote at `range` opens,
/// when its first line is one and `next`, the event after the block quote's
/// start, is the paragraph that begins with the marker (a marker elsewhere,
/// in a table's header row say, makes no callout).
pub(crate) fn callout_header<'a>(
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
        assert!(c.before().starts_with("…words "), "{}", c.before());

        assert!(c.after().ends_with("tail…"), "{}", c.after());
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
    fn scan_finds_links_with_context() {
        let s = scan(
            "# Title\n\nFirst sentence. Lithium is refined in [[China]] mostly. Next one.\n\n## Sub part\n",
        );
        assert_eq!(s.first_h1.as_deref(), Some("Title"));
        assert!(s.leading_h1.is_some());
        assert_eq!(s.links.len(), 1);
        assert_eq!(s.links[0].target, "China");
        assert_eq!(s.links[0].context.before(), "Lithium is refined in ");
        assert_eq!(s.links[0].context.after(), " mostly.");
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
