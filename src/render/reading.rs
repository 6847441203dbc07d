//! Reading aids computed at build time: related notes, reading time, and
//! the link-preview shards that `preview.js` fetches.
//!
//! Related notes come from the [`LinkGraph`] and the tags: two notes are
//! related when both link to the same note or carry the same tag. Very common
//! link targets and tags say little about a note and would make the work grow
//! with the square of their size, so any target linked from more than
//! [`FANOUT_CAP`] notes, and any tag on more than [`FANOUT_CAP`] notes, is
//! ignored: the cost per note is at most its links and tags times the cap.
//!
//! Previews are written in shards, `_lode/previews/<k>.json`, so a site of
//! `n` notes gets about `n / 32` files, not one per note. `k` is
//! [`shard_of`] the target's permalink: FNV-1a (32-bit) of its UTF-8 bytes
//! modulo [`shard_count`]. `preview.js` computes the same hash from a link's
//! URL, with the count read from its own `<script data-shards>` tag, so
//! links carry no extra attributes and every internal link of a page (body,
//! facts box, backlinks, lists) can be previewed.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};
use serde::Serialize;

use crate::content::scan::{events, strip_comments, wiki_display};
use crate::deps::{self, Facet, Read};
use crate::hash::FnvBuild;
use crate::links::{LinkGraph, Part, Target};
use crate::site::{NoteId, Site};

/// Related notes listed per note, at most.
pub const RELATED_MAX: usize = 5;

/// Link targets linked from more notes than this, and tags on more notes
/// than this, do not make notes related (they would also make the work
/// quadratic in the size of the site).
pub const FANOUT_CAP: usize = 200;

/// Notes per preview shard, on average at least (between 32 and 64).
pub const NOTES_PER_SHARD: usize = 32;

/// The folder of the preview shards in the output.
pub const PREVIEWS_DIR: &str = "_lode/previews";

/// Characters kept of a summary or a section's first paragraph in a preview.
pub const PREVIEW_TEXT_MAX: usize = 240;

/// Characters kept of a fact's value in a preview.
pub const PREVIEW_FACT_MAX: usize = 80;

/// Facts kept per note in a preview.
pub const PREVIEW_FACTS_MAX: usize = 6;

/// Sections kept per note in a preview, at most: the first ones that a link
/// points to ([`linked_anchors`]), in order.
pub const PREVIEW_SECTIONS_MAX: usize = 24;

/// Reading time in whole minutes at 200 words per minute, rounded, at least 1.
pub fn reading_time(words: usize) -> usize {
    ((words + 100) / 200).max(1)
}

/// A note related to another, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    /// The related note.
    pub id: NoteId,
    /// Notes both link to, in the order first found.
    pub links: Vec<NoteId>,
    /// Tags both carry, as indexes into [`Site::tags`].
    pub tags: Vec<usize>,
}

impl Related {
    /// Why it is related, for readers, in `words`' language: "also links
    /// to TRUST and China" (`related_links`), "shares #battery-mineral"
    /// (`related_shares`), or both joined by "; "; two names are joined by
    /// `names_two` ("{a} and {b}"), more by `names_more` ("{a} and {n} more").
    pub fn reason(&self, site: &Site, words: &super::Words) -> String {
        let names = |items: Vec<String>| match items.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [a, b] => words.fill("names_two", &[("a", a), ("b", b)]),
            [a, rest @ ..] => words.fill("names_more", &[("a", a), ("n", &rest.len().to_string())]),
        };
        let mut parts = Vec::new();
        if !self.links.is_empty() {
            let titles = self
                .links
                .iter()
                .map(|l| {
                    deps::note(Facet::Card, l.index());
                    site.note(*l).title.clone()
                })
                .collect();
            parts.push(words.fill("related_links", &[("names", &names(titles))]));
        }
        if !self.tags.is_empty() {
            let tags = self.tags.iter().map(|t| format!("#{}", site.tags[*t].name)).collect();
            parts.push(words.fill("related_shares", &[("names", &names(tags))]));
        }
        parts.join("; ")
    }
}

/// Whether a note is a page of its own kind (home, collection index) rather
/// than a note: such pages are neither related to anything nor listed.
fn is_listing(site: &Site, id: NoteId) -> bool {
    site.home == Some(id) || site.note(id).path.is_collection_index()
}

/// The notes `id` links to, from its body and its questions' explanations.
fn targets_of(graph: &LinkGraph, id: NoteId) -> impl Iterator<Item = NoteId> + '_ {
    let parts =
        std::iter::once(Part::Body).chain((0..graph.explanations[id.index()].len()).map(Part::Explanation));
    parts.flat_map(move |part| graph.targets(id, part).iter()).filter_map(|t| match t {
        Some(Target::Note { id, .. }) => Some(*id),
        _ => None,
    })
}

/// Up to [`RELATED_MAX`] notes related to `id` that it does not link to and
/// that do not link to it, most shared links and tags first, then by title.
/// Home and collection pages are left out on both sides, and so are the
/// note's translations ([`Site::translations`]).
pub fn related(site: &Site, graph: &LinkGraph, id: NoteId) -> Vec<Related> {
    deps::read(Read::Notes);
    if is_listing(site, id) {
        return Vec::new();
    }
    deps::note(Facet::Card, id.index());
    deps::note(Facet::Links, id.index());
    SCORES.with_borrow_mut(|scores| {
        scores.reset(site.notes.len());
        // Linked notes, the note itself and its translations (the same note) are out.
        for other in targets_of(graph, id)
            .chain(graph.backlinks_of(id).iter().map(|b| b.from))
            .chain(std::iter::once(id))
            .chain(site.translations(id).iter().copied())
        {
            scores.exclude(other.index());
        }
        // Each candidate's score first, in a dense table (no list per
        // candidate: they are often hundreds, and only five are shown).
        let mut seen_targets: HashSet<NoteId, FnvBuild> = HashSet::default();
        let mut shared_targets = Vec::new();
        for target in targets_of(graph, id) {
            let linkers = graph.backlinks_of(target);
            if !seen_targets.insert(target) || linkers.len() > FANOUT_CAP {
                continue;
            }
            shared_targets.push(target);
            // Backlinks hold one entry per linking note, so each shares `target` once.
            for b in linkers {
                scores.add(b.from.index());
            }
        }
        let mut shared_tags: Vec<usize> = Vec::new();
        for tag in site.note(id).tags() {
            let slug = crate::content::tag_slug(tag);
            // `Site::tags` is sorted by slug.
            let Ok(t) = site.tags.binary_search_by(|x| x.slug.as_str().cmp(&slug)) else { continue };
            deps::read(Read::Tag(t as u32));
            let carriers = &site.tags[t].notes;
            if carriers.len() > FANOUT_CAP || shared_tags.contains(&t) {
                continue;
            }
            shared_tags.push(t);
            for other in carriers {
                scores.add(other.index());
            }
        }
        let mut list: Vec<(NoteId, u32)> = scores
            .touched
            .iter()
            .map(|&i| (NoteId(i), scores.score[i as usize]))
            // A touched note scored at least one, or is out.
            .filter(|&(other, score)| score != EXCLUDED && !is_listing(site, other))
            .collect();
        // Their titles order them.
        if deps::capturing() {
            for (other, _) in &list {
                deps::note(Facet::Card, other.index());
            }
        }
        let order = |a: &(NoteId, u32), b: &(NoteId, u32)| {
            let (x, y) = (site.note(a.0), site.note(b.0));
            // Two notes may share a title: their paths break the tie, not the map's order.
            b.1.cmp(&a.1).then_with(|| (&x.title, x.path.as_str()).cmp(&(&y.title, y.path.as_str())))
        };
        // The first few of a total order: selected, then only they are sorted.
        if list.len() > RELATED_MAX {
            list.select_nth_unstable_by(RELATED_MAX - 1, order);
            list.truncate(RELATED_MAX);
        }
        list.sort_by(order);
        // Then why, for the few shown: shared links in the order first found, then tags.
        list.into_iter()
            .map(|(other, _)| Related {
                id: other,
                links: shared_targets
                    .iter()
                    .copied()
                    .filter(|&t| graph.backlinks_of(t).iter().any(|b| b.from == other))
                    .collect(),
                tags: shared_tags.iter().copied().filter(|&t| site.tags[t].notes.contains(&other)).collect(),
            })
            .collect()
    })
}

/// A candidate [`related`] may not show (linked, itself, a translation).
const EXCLUDED: u32 = u32::MAX;

/// Each note's score for one call of [`related`], by note index, and the
/// indexes touched, so the next call clears only those.
#[derive(Default)]
struct Scores {
    score: Vec<u32>,
    touched: Vec<u32>,
}

impl Scores {
    fn reset(&mut self, notes: usize) {
        for &i in &self.touched {
            self.score[i as usize] = 0;
        }
        self.touched.clear();
        self.score.resize(notes, 0);
    }

    fn exclude(&mut self, i: usize) {
        if self.score[i] == 0 {
            self.touched.push(i as u32);
        }
        self.score[i] = EXCLUDED;
    }

    fn add(&mut self, i: usize) {
        match self.score[i] {
            EXCLUDED => {}
            0 => {
                self.touched.push(i as u32);
                self.score[i] = 1;
            }
            _ => self.score[i] += 1,
        }
    }
}

thread_local! {
    /// One table per rendering thread, reused note after note.
    static SCORES: std::cell::RefCell<Scores> = std::cell::RefCell::default();
}

/// How many preview shards a site of `notes` notes gets: one per
/// [`NOTES_PER_SHARD`] notes, at least one.
pub fn shard_count(notes: usize) -> usize {
    (notes / NOTES_PER_SHARD).max(1)
}

/// The shard holding the preview of the note at `permalink`
/// (`minerals/lithium/`): FNV-1a (32-bit) of its bytes modulo `count`.
/// `static/preview.js` computes the same.
pub fn shard_of(permalink: &str, count: usize) -> usize {
    let hash = permalink.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    hash as usize % count.max(1)
}

/// What a popover shows of a note. An empty part is left out of the JSON
/// (`preview.js` reads a missing one as none).
#[derive(Serialize)]
struct Preview<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection: Option<&'a str>,
    /// The summary, else the body's first paragraph, cut at [`PREVIEW_TEXT_MAX`] characters.
    #[serde(skip_serializing_if = "String::is_empty")]
    summary: String,
    /// (label, value) of the simple values of `[extra]`, as the facts box shows them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    facts: Vec<(String, String)>,
    /// Heading id → (heading text, the section's first paragraph), for the
    /// headings some link points to.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    sections: BTreeMap<&'a str, (&'a str, String)>,
}

/// The ids of the headings and blocks of each note that some link points
/// to (`[[Note#Heading]]`, `[text](note.md#heading)`, in a body or a
/// question's explanation, the note's own `[[#Heading]]` included), by note
/// index, sorted. A preview is only ever opened from a link, so only these
/// sections need an excerpt (at 10,000 notes of `benches/corpus.rs`, the
/// excerpts of every section were 9.3 of the shards' 12.9 MB).
pub fn linked_anchors(graph: &LinkGraph) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = vec![Vec::new(); graph.body.len()];
    let all = graph.body.iter().chain(graph.explanations.iter().flatten());
    for target in all.flatten() {
        if let Some(Target::Note { id, anchor: Some(anchor) }) = target {
            out[id.index()].push(anchor.as_str());
        }
    }
    for anchors in &mut out {
        anchors.sort_unstable();
        anchors.dedup();
    }
    out
}

/// The preview of note `id` as JSON (an object: title, collection,
/// summary, facts, sections; the empty ones left out), recorded as read
/// from the note's card, text and its collection's labels, and, for which
/// of its sections are linked (`linked`, from [`linked_anchors`]), from
/// its own links and those of every note linking to it (a note that starts
/// linking to it changes its backlinks). Lode's own words in it (a fact's
/// "Date", "Yes") come from `strings` in the note's language.
pub fn preview_json(
    site: &Site,
    graph: &LinkGraph,
    linked: &[Vec<&str>],
    strings: &super::Strings,
    id: NoteId,
) -> String {
    deps::note(Facet::Card, id.index());
    deps::note(Facet::Text, id.index());
    if deps::capturing() {
        deps::note(Facet::Links, id.index());
        for b in graph.backlinks_of(id) {
            deps::note(Facet::Links, b.from.index());
        }
    }
    let linked = linked.get(id.index()).map_or(&[][..], Vec::as_slice);
    let words = super::note_words(strings, site, id);
    serde_json::to_string(&preview(site, id, linked, &words)).unwrap_or_else(|_| "{}".into())
}

/// The output path of preview shard `k` (`_lode/previews/3.json`).
pub fn shard_path(k: usize) -> String {
    format!("{PREVIEWS_DIR}/{k}.json")
}

/// One shard's bytes: a JSON object from permalink to the note's preview
/// ([`preview_json`]), permalinks in order.
pub fn shard_json<'a>(previews: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    let mut sorted: Vec<(&str, &str)> = previews.into_iter().collect();
    sorted.sort_unstable_by_key(|(permalink, _)| *permalink);
    let mut out = String::from("{");
    for (i, (permalink, json)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(permalink).unwrap_or_default());
        out.push(':');
        out.push_str(json);
    }
    out.push('}');
    out.into_bytes()
}

/// The preview of note `id`, with the excerpts of the sections whose id is
/// in `linked` (sorted), Lode's words from `words`.
fn preview<'a>(site: &'a Site, id: NoteId, linked: &[&str], words: &super::Words) -> Preview<'a> {
    let note = site.note(id);
    let text = strip_comments(note.body());
    let summary = match &note.front.summary {
        Some(s) => cut(s, PREVIEW_TEXT_MAX),
        None => {
            let start = note.scan.leading_h1.as_ref().map_or(0, |h1| h1.end);
            first_paragraph(&text, start..text.len())
        }
    };
    let sections = note
        .scan
        .headings
        .iter()
        .filter(|h| h.level >= 2 && linked.binary_search(&h.id.as_str()).is_ok())
        .take(PREVIEW_SECTIONS_MAX)
        .map(|h| (h.id.as_str(), (h.text.as_str(), first_paragraph(&text, h.span.end..h.section_end))))
        .collect();
    Preview {
        title: &note.title,
        collection: site.collection_of[id.index()]
            .map(|c| site.note(site.collections[c].index).title.as_str()),
        summary,
        facts: facts(site, id, words),
        sections,
    }
}

/// The preview's facts: the facts box's, with its labels and units
/// ([`crate::render::sheet::facts`]), values cut at [`PREVIEW_FACT_MAX`].
/// Lode's words among them ("Date", "Yes") are `words`, the note's language's.
fn facts(site: &Site, id: NoteId, words: &super::Words) -> Vec<(String, String)> {
    crate::render::sheet::facts(site, id, words)
        .into_iter()
        .map(|fact| {
            let value = match fact.value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Bool(b) => words.get(if b { "yes" } else { "no" }).to_string(),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            (fact.label, cut(&value, PREVIEW_FACT_MAX))
        })
        .take(PREVIEW_FACTS_MAX)
        .collect()
}

/// The text of the first block with text in `text[range]` (headings skipped),
/// wikilinks shown as they are rendered, cut at [`PREVIEW_TEXT_MAX`] characters.
fn first_paragraph(text: &str, range: Range<usize>) -> String {
    let Some(slice) = text.get(range) else { return String::new() };
    let mut out = String::new();
    let (mut skipping, mut replaced) = (false, false);
    let mut cells = 0;
    for (event, _) in events(slice) {
        match event {
            // A ```query block is no text of the note: its source is not
            // what the page shows, and its result is other notes' data.
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if crate::query::is_query_info(&info) =>
            {
                skipping = true
            }
            Event::End(TagEnd::CodeBlock) if skipping => skipping = false,
            Event::Start(Tag::Heading { .. } | Tag::TableHead) => skipping = true,
            Event::End(TagEnd::Heading(_) | TagEnd::TableHead) => skipping = false,
            _ if skipping => {}
            // A table reads as "cell: cell; cell: cell".
            Event::Start(Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) => {
                if cells > 0 {
                    out.push_str(": ");
                }
                cells += 1;
            }
            Event::End(TagEnd::TableRow) => out.push_str("; "),
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole: false },
                dest_url,
                ..
            }) => {
                let (target, fragment) =
                    crate::content::scan::split_target(crate::content::scan::LinkKind::Wiki, &dest_url);
                out.push_str(&wiki_display(&target, fragment.as_deref()));
                replaced = true;
            }
            Event::End(TagEnd::Link) => replaced = false,
            Event::Text(_) if replaced => {}
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::CodeBlock | TagEnd::Table)
                if !out.trim().is_empty() =>
            {
                break;
            }
            _ => {}
        }
        if out.len() > 4 * PREVIEW_TEXT_MAX {
            break;
        }
    }
    cut(out.trim().trim_end_matches(';'), PREVIEW_TEXT_MAX)
}

/// `text` cut at a word boundary to at most `max` characters, with "…" when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max - 1).collect();
    let head = head.rsplit_once(' ').map_or(head.as_str(), |(keep, _)| keep);
    format!("{}…", head.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_skips_a_query_block() {
        let text = "```query\nlist\nfrom minerals\n```\n\nThe first words.\n";
        assert_eq!(first_paragraph(text, 0..text.len()), "The first words.");
        let code = "```rust\nfn main() {}\n```\n";
        assert_eq!(first_paragraph(code, 0..code.len()), "fn main() {}");
    }

    #[test]
    fn reading_time_rounds_at_200_words_per_minute() {
        assert_eq!(reading_time(0), 1);
        assert_eq!(reading_time(299), 1);
        assert_eq!(reading_time(300), 2);
        assert_eq!(reading_time(1000), 5);
    }

    #[test]
    fn shards_are_fnv1a_of_the_permalink() {
        // FNV-1a 32 of "a" is 0xe40c292c.
        assert_eq!(shard_of("a", usize::MAX), 0xe40c_292c);
        assert_eq!(shard_count(10), 1);
        assert_eq!(shard_count(64), 2);
        assert_eq!(shard_count(100_000), 3125);
    }

    #[test]
    fn texts_are_cut_at_words() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("one two three four", 10), "one two…");
        assert_eq!(crate::content::field_label("atomic_number"), "Atomic number");
    }
}
