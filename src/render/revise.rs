//! The revision mode's data: every self-test question and every flashcard
//! of the site, in one JSON file (`_lode/revise.json`) that `/revise/`
//! loads once, rather than inlined in every page.
//!
//! URLs in the file are relative to the file itself; `_lode/` and
//! `revise/` are both one folder deep, so they work unchanged on the page.
//! Flashcards come from a note's body (the Spaced Repetition plugin's
//! syntax, in notes and sections marked as cards: `content::scan::cards`) and
//! from the `[extra]` fields its collection's `_index.md` declares
//! card-worthy (`cards = ["china_share", { field = "budget_usd", label =
//! "Budget", unit = "USD" }]`). Key-fact callouts (`> [!key]`) are no cards.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{CardsKey, DeclaredCard, card_value};
use crate::deps::{self, Facet};
use crate::diagnostics::{Diagnostic, Severity};
use crate::links::LinkGraph;
use crate::render::Strings;
use crate::render::body::BodyRenderer;
use crate::site::{NoteId, Site};

/// The output path of the file, relative to the output folder.
pub const DATA_FILE: &str = "_lode/revise.json";

/// The URL from `/revise/` (and from `_lode/`) back to the site root.
const ROOT: &str = "../";

/// The whole file. Each note with questions or cards is described once, in
/// `notes`; questions and cards name it by its index there (`n`).
#[derive(Serialize)]
pub struct RevisionData {
    /// The notes the questions and cards come from.
    pub notes: Vec<Source>,
    /// Every question, note by note in path order.
    pub questions: Vec<QuestionCard>,
    /// Every flashcard, note by note in path order.
    pub cards: Vec<FlashCard>,
}

/// Where a question or card comes from.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Source {
    /// The note's title.
    pub note: String,
    /// Its URL, relative to `/revise/`.
    pub url: String,
    /// Its collection's title, if any.
    pub collection: Option<String>,
    /// Its tags.
    pub tags: Vec<String>,
}

/// A self-test question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QuestionCard {
    /// Stable id for progress: the note's permalink and the question's number (`minerals/lithium/#q1`).
    pub id: String,
    /// The note it comes from, as an index into [`RevisionData::notes`].
    pub n: usize,
    /// The question.
    pub question: String,
    /// The choices, in the order written: `/revise/` orders them for each
    /// reader (see [`option_order`]).
    pub options: Vec<String>,
    /// The right choice.
    pub answer: String,
    /// The explanation as HTML, its links relative to `/revise/`.
    pub explanation: String,
    /// `false` when the author wrote `shuffle = false`: the options are then
    /// shown as written, on the note and in `/revise/`.
    pub shuffle: bool,
}

/// The id of a note's `index`-th question (from 0): the note's permalink and
/// `#q` + its number from 1 (`minerals/lithium/#q1`). Saved progress is kept
/// under it, and the note page gives the question the fragment (`q1`).
pub fn question_id(permalink: &str, index: usize) -> String {
    format!("{permalink}#q{}", index + 1)
}

/// The order a question's options are shown in on its note page, as indices
/// into `options` (a permutation of `0..options.len()`).
///
/// The rule, so that the answer's position says nothing about the answer:
/// options are sorted by [FNV-1a 64](crate::hash::fnv1a64) of the UTF-8
/// bytes of `id` (the question's id, [`question_id`]), a NUL (`"\u{0}"`), and
/// the option's text; equal hashes (only identical texts) keep the written
/// order. The order depends on the question's id and its options, never on
/// the order they were written in, and it is the same on every build. With
/// `shuffle` false (`shuffle = false` in front matter) the written order is
/// kept.
///
/// `/revise/` orders options per reader the same way with the reader's own
/// random seed string prepended to the hashed text, so each reader's order
/// stays the same across reloads (see `static/revise.js`).
pub fn option_order(id: &str, options: &[String], shuffle: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..options.len()).collect();
    if shuffle {
        let key = |option: &str| {
            let mut text = String::with_capacity(id.len() + 1 + option.len());
            text.push_str(id);
            text.push('\u{0}');
            text.push_str(option);
            crate::hash::fnv1a64(text.as_bytes())
        };
        order.sort_by_cached_key(|&i| key(&options[i]));
    }
    order
}

/// A flashcard: one written in a note's body, or a declared `[extra]` field.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlashCard {
    /// Stable id: the note's permalink and the card's (`minerals/lithium/#card-1a2b3c4d`,
    /// `…#card-1a2b3c4d-r` for a reverse card, `…-c1` for a cloze deletion,
    /// `…#field-china_share` for a declared field).
    pub id: String,
    /// The note it comes from, as an index into [`RevisionData::notes`].
    pub n: usize,
    /// The front as HTML (links relative to `/revise/`): "Lithium: China share".
    pub front: String,
    /// The back as HTML.
    pub back: String,
}

/// One note's part of the file: its questions and flashcards (numbered
/// `n = 0` until [`assemble`] numbers them), kept by `lode serve` between
/// rebuilds so that an edit gathers only the notes it can change.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteEntries {
    source: Source,
    questions: Vec<QuestionCard>,
    cards: Vec<FlashCard>,
}

/// Gathers the questions and flashcards of every note, by note index; O(notes + questions).
pub fn gather_all(site: &Site, graph: &LinkGraph, strings: &Strings) -> Vec<NoteEntries> {
    site.ids().collect::<Vec<_>>().into_par_iter().map(|id| gather(site, graph, strings, id)).collect()
}

/// Gathers one note's questions and flashcards. Each note's explanations
/// get their own embed budget, as a page does, so a note's entries depend
/// on no other note's. Lode's own words in the explanations (a table's
/// name, a footnote's link) come from `strings`, in the note's language.
pub fn gather(site: &Site, graph: &LinkGraph, strings: &Strings, id: NoteId) -> NoteEntries {
    deps::note(Facet::Study, id.index());
    deps::note(Facet::Card, id.index());
    let renderer = BodyRenderer::new(site, graph, None, ROOT).with_strings(strings);
    let note = site.note(id);
    let permalink = site.permalink(id).as_str();
    let questions = (note.front.questions.iter().enumerate())
        .map(|(q, question)| QuestionCard {
            id: question_id(permalink, q),
            n: 0,
            question: question.question.clone(),
            options: question.options.clone(),
            answer: question.answer.clone(),
            explanation: renderer.explanation(id, q),
            shuffle: question.shuffle,
        })
        .collect();
    let mut cards: Vec<FlashCard> = (renderer.cards(id).into_iter())
        .map(|c| FlashCard { id: format!("{permalink}#{}", c.id), n: 0, front: c.front, back: c.back })
        .collect();
    for (declared, back) in declared_cards(site, id) {
        cards.push(FlashCard {
            id: format!("{permalink}#field-{}", declared.field),
            n: 0,
            front: crate::html::escape_html(&format!("{}: {}", note.title, declared.label)),
            back: crate::html::escape_html(&back),
        });
    }
    NoteEntries { source: source(site, id), questions, cards }
}

/// The whole file from every note's entries, in note order: the notes
/// without questions or cards left out, the others numbered.
pub fn assemble<E: std::borrow::Borrow<NoteEntries>>(entries: &[E]) -> RevisionData {
    let mut data = RevisionData { notes: Vec::new(), questions: Vec::new(), cards: Vec::new() };
    for e in entries.iter().map(E::borrow).filter(|e| !e.questions.is_empty() || !e.cards.is_empty()) {
        let n = data.notes.len();
        data.notes.push(e.source.clone());
        data.questions.extend(e.questions.iter().map(|q| QuestionCard { n, ..q.clone() }));
        data.cards.extend(e.cards.iter().map(|c| FlashCard { n, ..c.clone() }));
    }
    data
}

/// The bytes of [`DATA_FILE`] for every note's entries.
///
/// # Errors
/// A serialization failure, as a diagnostic on the file.
pub fn data_file<E: std::borrow::Borrow<NoteEntries>>(entries: &[E]) -> Result<String, Diagnostic> {
    serde_json::to_string(&assemble(entries)).map_err(|e| {
        Diagnostic::whole_file(Severity::Error, DATA_FILE, format!("cannot write the revision data: {e}"))
    })
}

/// The fields of note `id` that its collection declares card-worthy, with
/// each one's back: the value (a list's items joined by ", ") and its unit,
/// then, for a field the note's `corrected` names, "(corrected; the
/// article: …)" with what the article said.
/// Empty text, empty lists, yes/no flags and tables make no card.
pub fn declared_cards(site: &Site, id: NoteId) -> Vec<(&DeclaredCard, String)> {
    deps::note(Facet::Card, id.index());
    let Some(collection) = site.collection_of[id.index()] else { return Vec::new() };
    deps::note(Facet::Card, site.collections[collection].index.index());
    let index = site.note(site.collections[collection].index);
    let CardsKey::Declared(fields) = &index.front.cards else { return Vec::new() };
    let front = &site.note(id).front;
    fields
        .iter()
        .filter_map(|f| {
            let value = card_value(front.extra.get(&f.field)?)?;
            let back = if f.unit.is_empty() { value } else { format!("{value} {}", f.unit) };
            // A corrected field's card never shows the corrected value alone.
            let back = match front.corrected.get(&f.field) {
                Some(said) => format!("{back} (corrected; the article: {said})"),
                None => back,
            };
            Some((f, back))
        })
        .collect()
}

fn source(site: &Site, id: NoteId) -> Source {
    deps::note(Facet::Card, id.index());
    let note = site.note(id);
    Source {
        note: note.title.clone(),
        url: format!("{ROOT}{}", site.permalink(id).as_str()),
        collection: site.collection_of[id.index()]
            .map(|c| site.note(site.collections[c].index).title.clone()),
        tags: note.tags().to_vec(),
    }
}

/// A note in `/revise/`'s list without JavaScript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListedNote {
    /// The note's title.
    pub title: String,
    /// Its URL, relative to `/revise/`.
    pub url: String,
    /// How many self-test questions it has.
    pub questions: usize,
    /// How many flashcards it makes: body cards (a card both ways counts
    /// twice, a cloze paragraph once per deletion) and declared `[extra]`
    /// fields, as in the revision data.
    pub cards: usize,
}

/// The notes with questions or flashcards, in path order: the page's list
/// without JavaScript (a note with cards only, such as a glossary, too).
pub fn notes_to_revise(site: &Site) -> Vec<ListedNote> {
    site.ids()
        .filter_map(|id| {
            let n = site.note(id);
            let cards = n.cards.iter().map(|c| c.ids().len()).sum::<usize>() + declared_cards(site, id).len();
            (!n.front.questions.is_empty() || cards > 0).then(|| ListedNote {
                title: n.title.clone(),
                url: format!("{ROOT}{}", site.permalink(id).as_str()),
                questions: n.front.questions.len(),
                cards,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{option_order, question_id};
    use serde_json::json;

    #[test]
    fn options_are_sorted_by_the_hash_of_id_and_text() {
        let options: Vec<String> = ["Copper", "Gold", "Tin", "Lead"].map(String::from).to_vec();
        let id = question_id("soft/tin/", 0);
        assert_eq!(id, "soft/tin/#q1");
        let order = option_order(&id, &options, true);
        let hash = |o: &str| crate::hash::fnv1a64(format!("{id}\0{o}").as_bytes());
        let mut expected: Vec<usize> = (0..4).collect();
        expected.sort_by_key(|&i| hash(&options[i]));
        assert_eq!(order, expected);
        // The written order does not matter; `shuffle = false` keeps it.
        let reversed: Vec<String> = options.iter().rev().cloned().collect();
        let names =
            |o: &[String], order: Vec<usize>| order.into_iter().map(|i| o[i].clone()).collect::<Vec<_>>();
        assert_eq!(names(&reversed, option_order(&id, &reversed, true)), names(&options, order));
        assert_eq!(option_order(&id, &options, false), [0, 1, 2, 3]);
    }

    #[test]
    fn declared_values_skip_empties_and_flags() {
        assert_eq!(super::card_value(&json!("58%")), Some("58%".into()));
        assert_eq!(super::card_value(&json!(675)), Some("675".into()));
        assert_eq!(super::card_value(&json!(["a", 1])), Some("a, 1".into()));
        for v in
            [json!(""), json!("  "), json!([]), json!(true), json!([true]), json!({ "a": 1 }), json!(null)]
        {
            assert_eq!(super::card_value(&v), None, "{v}");
        }
    }
}
