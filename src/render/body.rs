//! Phase 2 of the Markdown layer: a note's body rendered to HTML, with
//! every internal link rewritten to its target's permalink relative to the
//! page, embeds of notes, sections, blocks and attachments inlined, callouts,
//! citations, flashcards, and heading and block anchors. Phase 1, the scan
//! that loading needs, is [`crate::content::scan`].

use std::ops::Range;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use crate::callout::{self, Fold};
use crate::code;
use crate::config::HighlightTheme;
use crate::content::Note;
use crate::content::scan::tags::InlineTag;
use crate::content::scan::{
    Block, BlockKind, Correction, Footnote, Heading, LinkKind, RenderedCard, Scan, callout_header, cards,
    citations, events, extensions, internal_link, raw_html, strip_comments, wiki_display,
};
use crate::deps::{self, Facet};
use crate::html::escape_html;
use crate::images::split_size;
use crate::links::{Embedded, LinkGraph, Part, Target, scan_of};
use crate::math;
use crate::query;
use crate::site::{NoteId, Site};

use super::{Strings, Words};

/// Inline code longer than this many characters may break across lines
/// (`<code class="long">`); shorter code keeps to one line (style.css): 24
/// characters of code take about 210 px, well inside a 390 px phone's line.
const LONG_CODE: usize = 24;

/// The box a body table is written in: it scrolls sideways by itself (and by
/// keyboard: it takes focus) with a visible cue, like a collection's table;
/// `name` is its accessible name (`table`, in the note's language).
pub fn table_wrap(name: &str) -> String {
    format!(
        "<div class=\"table-wrap\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n",
        escape_html(name)
    )
}

/// A heading's opening tag with its id.
pub(crate) fn heading_open(level: u8, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("<h{level} id=\"{}\">", escape_html(id)),
        None => format!("<h{level}>"),
    }
}

/// A heading's closing tag, after a link to the heading itself (`anchor`:
/// its id and text; the text names the link for screen readers, in
/// `words`' `link_to_section`, and `reading.js` copies the link's URL when
/// it is clicked).
pub(crate) fn heading_close(level: u8, anchor: Option<(&str, &str)>, words: &Words) -> String {
    match anchor {
        Some((id, text)) => format!(
            " <a class=\"heading-anchor\" data-pagefind-ignore href=\"#{}\" aria-label=\"{}\">#</a></h{level}>\n",
            escape_html(id),
            escape_html(&words.fill("link_to_section", &[("heading", text)]))
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
    /// Whether this page has its diagrams' loader already (`diagrams.js`,
    /// written after the page's first diagram only: see [`BodyRenderer::new`]).
    pub diagrams_loaded: std::cell::Cell<bool>,
    /// The interface strings of the words it writes (a heading anchor's
    /// label, a table's name…), each in the language of the note whose
    /// body it renders; Lode's English unless [`BodyRenderer::with_strings`].
    pub strings: &'a Strings,
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

impl<'a> BodyRenderer<'a> {
    /// A renderer for one page (`page`, or `None` for a page that is no
    /// note's, `root` its path to the site root): everything it renders is
    /// that page's, so it writes the diagrams' loader once, after the first
    /// diagram of its body, embeds or explanations.
    pub fn new(site: &'a Site, graph: &'a LinkGraph, page: Option<NoteId>, root: &'a str) -> Self {
        BodyRenderer {
            site,
            graph,
            page,
            root,
            embeds_left: std::cell::Cell::new(EMBED_BUDGET),
            diagrams_loaded: std::cell::Cell::new(false),
            strings: super::builtin_strings(),
        }
    }

    /// This renderer writing its words from the site's `strings`.
    pub fn with_strings(self, strings: &'a Strings) -> Self {
        BodyRenderer { strings, ..self }
    }

    /// The interface strings in note `id`'s language.
    fn words(&self, id: NoteId) -> Words<'a> {
        super::note_words(self.strings, self.site, id)
    }

    /// The name of callout type `kind` in note `id`'s language (Obsidian's
    /// types), else as written ([`callout::default_title`]).
    fn callout_name(&self, id: NoteId, kind: &str) -> String {
        callout::name_key(kind)
            .and_then(|key| self.words(id).lookup(&key).map(str::to_string))
            .unwrap_or_else(|| callout::default_title(kind))
    }

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
        deps::note(Facet::Card, id.index());
        if anchor.is_some() {
            deps::note(Facet::Text, id.index());
        }
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
            // Its size and resized copies, when Lode could read it (`crate::images`).
            Media::Image if let Some(image) = self.site.images.get(path) => {
                let title = if title.is_empty() {
                    String::new()
                } else {
                    format!(" title=\"{}\"", escape_html(title))
                };
                crate::images::picture(image, &|p| self.asset_url(p, None), &url, &alt, &title, size)
            }
            Media::Image => {
                format!("<img src=\"{url}\" alt=\"{alt}\"{attrs} loading=\"lazy\" decoding=\"async\">")
            }
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
        // An explanation, or the cards alone (`record` given), show the
        // note's study part (front matter and cards); a body shows all its text.
        let study = record.is_some() || matches!(part, Part::Explanation(_));
        deps::note(if study { Facet::Study } else { Facet::Text }, id.index());
        deps::note(Facet::Links, id.index());
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
        // Ids go on the note's own page: not in an embed or an explanation.
        let own_page = top_level && part == Part::Body;
        // The footnotes referenced so far (by number: the first reference
        // takes the id) and the definitions open, with their back link's target.
        let mut referenced: Vec<usize> = Vec::new();
        let mut footnotes: Vec<Option<&Footnote>> = Vec::new();
        let mut embed_paragraph = false;
        // Block ids: the anchors go on the page's own blocks only (an embed
        // would repeat them), the markers are shown nowhere.
        let marks = BlockMarks::new(scan, top_level && part == Part::Body);
        let mut wrappers: Vec<usize> = Vec::new(); // end events of the blocks wrapped in a <div id>
        let mut table = TableCells::default();
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
            // A wrapped block closes right after its end event, before what
            // is inserted after it (a card opening in the next paragraph).
            while wrappers.last().is_some_and(|end| *end < i) {
                wrappers.pop();
                output.push(html("</div>\n".into()));
            }
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
                        output.push(html(heading_close(level, anchor, &self.words(id))));
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
                    output.push(html(format!(
                        "<div class=\"callout callout-key\" role=\"note\"><p class=\"callout-title\" data-pagefind-ignore>{}</p>\n",
                        escape_html(self.words(id).get("key_fact"))
                    )));
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
                        &self.callout_name(id, header.kind),
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
                    let trimmed = rest.trim_start();
                    let start = range.start.max(end) + (rest.len() - trimmed.len());
                    // A `#tag` in the title is a tag, as Obsidian's reading
                    // view shows it (the title is inline Markdown) and its
                    // tag index counts it: a link to its page, as in the body.
                    if visible
                        && part == Part::Body
                        && trimmed.contains('#')
                        && text.get(start..range.end) == Some(trimmed)
                    {
                        self.tag_links(&text, &(start..range.end), &scan.tags, &mut output);
                    } else if !trimmed.is_empty() {
                        output.push(Event::Text(CowStr::from(trimmed.to_string())));
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
                    output.push(html(callout::open(
                        kind,
                        &self.callout_name(id, kind),
                        None,
                        Fold::No,
                        false,
                        None,
                    )));
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
                            output.push(inline_html(format!(
                                "<span class=\"broken-link\" title=\"{}\">",
                                escape_html(self.words(id).get("broken_link"))
                            )));
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
                // Footnotes take the ids the scan gave them (`fn-x`, `fnref-x`),
                // on the note's own page only: an embed or an explanation
                // shows their numbers without ids, which would repeat.
                Event::FootnoteReference(label) if visible => {
                    let (n, footnote) = scan.footnote(label).map_or((0, None), |(n, f)| (n, Some(f)));
                    output.push(inline_html(match footnote.filter(|_| own_page) {
                        Some(f) => {
                            let id = match referenced.contains(&n) {
                                true => String::new(),
                                false => format!(" id=\"{}\"", escape_html(&f.ref_id)),
                            };
                            referenced.push(n);
                            format!(
                                "<sup class=\"footnote-reference\"{id}><a href=\"#{}\">{n}</a></sup>",
                                escape_html(&f.id)
                            )
                        }
                        None => format!("<sup class=\"footnote-reference\">{n}</sup>"),
                    }));
                }
                Event::Start(Tag::FootnoteDefinition(label)) if visible => {
                    let (n, footnote) = scan.footnote(label).map_or((0, None), |(n, f)| (n, Some(f)));
                    let footnote = footnote.filter(|_| own_page);
                    let id = footnote.map(|f| format!(" id=\"{}\"", escape_html(&f.id))).unwrap_or_default();
                    output.push(html(format!(
                        "<div class=\"footnote-definition\"{id}><sup class=\"footnote-definition-label\">{n}</sup>"
                    )));
                    footnotes.push(footnote.filter(|f| f.referenced));
                }
                Event::End(TagEnd::FootnoteDefinition) if visible => {
                    let back = match footnotes.pop().flatten() {
                        Some(f) => format!(
                            "<a class=\"footnote-backref\" data-pagefind-ignore href=\"#{}\" aria-label=\"{}\">↩</a>",
                            escape_html(&f.ref_id),
                            escape_html(self.words(id).get("back_to_the_text"))
                        ),
                        None => String::new(),
                    };
                    // The back link ends the definition's last paragraph, as
                    // GitHub places it, rather than standing on a line of its own.
                    let at = output.len()
                        - usize::from(matches!(output.last(), Some(Event::End(TagEnd::Paragraph))));
                    if !back.is_empty() {
                        output.insert(at, html(format!(" {back}")));
                    }
                    output.push(html("</div>\n".to_string()));
                }
                // A ` ```query ` block shows its result, run now; one whose
                // syntax is wrong stays code (its error fails the build).
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                    if visible
                        && part == Part::Body
                        && query::is_query_info(info)
                        && let Some(Ok(q)) = note
                            .scan
                            .queries
                            .iter()
                            .find(|b| b.span.start == range.start)
                            .map(|b| &b.query) =>
                {
                    i = end_of(&evs, i - 1) + 1;
                    output.push(html(crate::render::query::html(self.site, q, &self.words(id), |to| {
                        self.url_to(to, None)
                    })));
                }
                // Code blocks are highlighted (`crate::code`), in callouts,
                // lists and embeds alike; a Mermaid block is a diagram.
                Event::Start(Tag::CodeBlock(kind)) if visible => {
                    let end = end_of(&evs, i - 1);
                    let code: String = evs[i..end]
                        .iter()
                        .filter_map(|(e, _)| match e {
                            Event::Text(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    i = end + 1;
                    let info = match kind {
                        CodeBlockKind::Fenced(info) => info.as_ref(),
                        CodeBlockKind::Indented => "",
                    };
                    output.push(html(self.code_block(info, &code)));
                }
                // A table scrolls sideways in its own box, as a collection's
                // comparison table does, never the page (style.css: .table-wrap).
                Event::Start(Tag::Table(aligns)) if visible => {
                    output.push(html(table_wrap(self.words(id).get("table"))));
                    table = TableCells { aligns: aligns.clone(), ..TableCells::default() };
                    output.push(event.clone());
                }
                Event::Start(Tag::TableHead) if visible => {
                    table.head = true;
                    output.push(event.clone());
                }
                Event::End(TagEnd::TableHead) if visible => {
                    table.head = false;
                    output.push(event.clone());
                }
                Event::Start(Tag::TableRow) if visible => {
                    table.column = 0;
                    output.push(event.clone());
                }
                Event::Start(Tag::TableCell) if visible => output.push(html(table.open())),
                Event::End(TagEnd::TableCell) if visible => {
                    output.push(html(if table.head { "</th>" } else { "</td>" }.into()));
                    table.column += 1;
                }
                Event::End(TagEnd::Table) if visible => {
                    output.push(event.clone());
                    output.push(html("</div>\n".into()));
                }
                // Inline `#tags` of a body are links to their tag pages
                // (found at scan time, `content::scan::tags`, so never in
                // code, maths, HTML or a link's text).
                Event::Text(t)
                    if visible
                        && part == Part::Body
                        && !scan.tags.is_empty()
                        && t.contains('#')
                        && text.get(range.clone()) == Some(&**t) =>
                {
                    self.tag_links(&text, range, &scan.tags, &mut output)
                }
                // Inline code keeps to one line (`--force` never splits at
                // its hyphen: style.css), unless it is too long for a
                // phone's line: then it may break (`class="long"`).
                Event::Code(code) if visible && code.chars().count() > LONG_CODE => output.push(
                    Event::InlineHtml(format!("<code class=\"long\">{}</code>", escape_html(code)).into()),
                ),
                _ if visible => output.push(event.clone()),
                _ => {}
            }
        }
        for _ in wrappers {
            output.push(html("</div>\n".into()));
        }
        // The elements raw HTML opened and never closed (warned about at
        // scan time) are closed here, at the end of what is rendered, as a
        // browser closes them at the end of their parent: the page's own
        // closing tags after the body stay the page's.
        for u in
            scan.unclosed_html.iter().rev().filter(|u| visible_at(u.span.start) && !u.closed_at_block_end)
        {
            output.push(html(format!("</{}>\n", u.name)));
        }
        if let Some(record) = record {
            record.extend(cards::rendered(&note.cards, &written, &output));
        }
        pulldown_cmark::html::push_html(out, output.into_iter());
    }

    /// A code block's HTML: highlighted as `[markdown] highlight_theme`
    /// says (see [`code::push_html`]), or, for ` ```mermaid `, the
    /// diagram's source in `<pre class="mermaid">` (what a reader without
    /// JavaScript sees) and, after the page's first, the script that draws
    /// them (`diagrams.js`, which loads the site's copy of Mermaid; a page
    /// without a diagram loads neither).
    fn code_block(&self, info: &str, code: &str) -> String {
        let mut out = String::with_capacity(code.len() * 2 + 64);
        if code::parse_fence(info).lang == Some(code::mermaid::LANG) {
            out.push_str("<pre class=\"mermaid\">");
            crate::html::push_escaped(&mut out, code);
            out.push_str("</pre>\n");
            if !self.diagrams_loaded.replace(true) {
                out.push_str("<script defer src=\"");
                crate::html::push_escaped(&mut out, self.root);
                out.push_str(code::mermaid::LOADER);
                out.push_str("\"></script>\n");
            }
            return out;
        }
        let highlight = self.site.config.markdown.highlight_theme != HighlightTheme::None;
        code::push_html(&mut out, info, code, highlight);
        out
    }

    /// The text of `text` at `range` (as written) into `output`, each of
    /// `tags` within it a link to its tag's page (`tags/SLUG/`, page-relative,
    /// as Obsidian's reading view and Quartz's `a.tag-link` show them; its
    /// slug as the tag pages make it, [`crate::content::tag_slug`]). The
    /// page exists: the tag is one of the note's ([`Note::tags`]).
    fn tag_links(&self, text: &str, range: &Range<usize>, tags: &[InlineTag], output: &mut Vec<Event<'_>>) {
        let first = tags.partition_point(|t| t.span.start < range.start);
        let mut done = range.start;
        for tag in tags[first..].iter().take_while(|t| t.span.end <= range.end) {
            if done < tag.span.start {
                output.push(Event::Text(CowStr::from(text[done..tag.span.start].to_string())));
            }
            let slug = crate::content::tag_slug(&crate::content::nfc(tag.name.clone()));
            output.push(inline_html(format!(
                "<a class=\"tag-link\" href=\"{}tags/{}/\">{}</a>",
                escape_html(self.root),
                escape_html(&slug),
                escape_html(&text[tag.span.clone()])
            )));
            done = tag.span.end;
        }
        if done < range.end {
            output.push(Event::Text(CowStr::from(text[done..range.end].to_string())));
        }
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
                    let words = self.words(id);
                    format!(
                        "<span class=\"card-both\" data-pagefind-ignore title=\"{}\">⇄ {}</span>",
                        escape_html(words.get("both_ways_title")),
                        escape_html(words.get("both_ways"))
                    )
                } else {
                    String::new()
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
        deps::note(Facet::Card, to.index());
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

/// Characters percent-encoded in a path segment of a URL: those of a
/// fragment ([`FRAGMENT`]), those that would end the segment or start a
/// query (`/`, `?`), the sub-delimiters a server may read (`&`, `'`, `+`,
/// `;`, `=`), and `:` (a first segment with one would read as a scheme).
/// Non-ASCII characters are always encoded.
const PATH_SEGMENT: &AsciiSet =
    &FRAGMENT.add(b'&').add(b'\'').add(b'+').add(b'/').add(b':').add(b';').add(b'=').add(b'?');

/// An element id as the `#fragment` of an `href`, percent-encoded with
/// [`FRAGMENT`]: `^ncmm-date` → `%5Encmm-date`.
pub fn fragment(id: &str) -> String {
    utf8_percent_encode(id, FRAGMENT).to_string()
}

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

/// Where the body renderer is in a GFM table, to write its cells: a column's
/// alignment (GFM's `:--`, `:-:`, `--:`) as the class `c` (centred) or `r`
/// (right) that `style.css` aligns, rather than pulldown-cmark's
/// `style="text-align: …"` on every cell (page weight: a sixth of the
/// bytes of a figures table); left, the stylesheet's default, as nothing.
#[derive(Default)]
struct TableCells {
    aligns: Vec<pulldown_cmark::Alignment>,
    head: bool,
    column: usize,
}

impl TableCells {
    /// The opening tag of the next cell (`<th>` in the head, `<td>` below).
    fn open(&self) -> String {
        use pulldown_cmark::Alignment;
        let tag = if self.head { "th" } else { "td" };
        match self.aligns.get(self.column) {
            Some(Alignment::Center) => format!("<{tag} class=\"c\">"),
            Some(Alignment::Right) => format!("<{tag} class=\"r\">"),
            _ => format!("<{tag}>"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
