//! The revision mode's data: every self-test question and every flashcard
//! of the site, in one JSON file (`_lode/revise.json`) that `/revise/`
//! loads once, rather than inlined in every page.
//!
//! URLs in the file are relative to the file itself; `_lode/` and
//! `revise/` are both one folder deep, so they work unchanged on the page.
//! Flashcards come from a note's key facts: the simple values of its
//! `[extra]` table (those its facts box shows) and its `> [!key]` callouts.

use serde::Serialize;

use crate::links::LinkGraph;
use crate::markdown::{BodyRenderer, EMBED_BUDGET, key_facts};
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
#[derive(Serialize)]
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
#[derive(Serialize)]
pub struct QuestionCard {
    /// Stable id for progress: the note's permalink and the question's number (`minerals/lithium/#q1`).
    pub id: String,
    /// The note it comes from, as an index into [`RevisionData::notes`].
    pub n: usize,
    /// The question.
    pub question: String,
    /// The choices.
    pub options: Vec<String>,
    /// The right choice.
    pub answer: String,
    /// The explanation as HTML, its links relative to `/revise/`.
    pub explanation: String,
}

/// A flashcard: a key fact of a note.
#[derive(Serialize)]
pub struct FlashCard {
    /// Stable id: the note's permalink and the fact's key (`minerals/lithium/#china_share`).
    pub id: String,
    /// The note it comes from, as an index into [`RevisionData::notes`].
    pub n: usize,
    /// The front: "Lithium — China share".
    pub front: String,
    /// The back: the value.
    pub back: String,
}

/// Gathers the questions and flashcards of every note; O(notes + questions).
pub fn gather(site: &Site, graph: &LinkGraph) -> RevisionData {
    let renderer =
        BodyRenderer { site, graph, page: None, root: ROOT, embeds_left: std::cell::Cell::new(EMBED_BUDGET) };
    let mut data = RevisionData { notes: Vec::new(), questions: Vec::new(), cards: Vec::new() };
    for id in site.ids() {
        let note = site.note(id);
        let permalink = site.permalink(id).as_str();
        let n = data.notes.len();
        let before = data.questions.len() + data.cards.len();
        for (q, question) in note.front.questions.iter().enumerate() {
            data.questions.push(QuestionCard {
                id: format!("{permalink}#q{}", q + 1),
                n,
                question: question.question.clone(),
                options: question.options.clone(),
                answer: question.answer.clone(),
                explanation: renderer.explanation(id, q),
            });
        }
        for (key, label, back) in crate::reading::simple_facts(&note.front.extra) {
            data.cards.push(FlashCard {
                id: format!("{permalink}#{key}"),
                n,
                front: format!("{} — {label}", note.title),
                back,
            });
        }
        for (k, fact) in key_facts(note.body()).into_iter().enumerate() {
            let (front, back) = if fact.title.is_empty() {
                (format!("{} — key fact {}", note.title, k + 1), fact.text)
            } else if fact.text.is_empty() {
                (format!("{} — key fact {}", note.title, k + 1), fact.title)
            } else {
                (format!("{} — {}", note.title, fact.title), fact.text)
            };
            data.cards.push(FlashCard { id: format!("{permalink}#key{}", k + 1), n, front, back });
        }
        if data.questions.len() + data.cards.len() > before {
            data.notes.push(source(site, id));
        }
    }
    data
}

fn source(site: &Site, id: NoteId) -> Source {
    let note = site.note(id);
    Source {
        note: note.title.clone(),
        url: format!("{ROOT}{}", site.permalink(id).as_str()),
        collection: site.collection_of[id.index()]
            .map(|c| site.note(site.collections[c].index).title.clone()),
        tags: note.front.tags.clone(),
    }
}

/// The notes with questions, in path order, as (title, URL relative to
/// `/revise/`, number of questions): the page's list without JavaScript.
pub fn notes_with_questions(site: &Site) -> Vec<(String, String, usize)> {
    site.ids()
        .map(|id| (id, site.note(id)))
        .filter(|(_, n)| !n.front.questions.is_empty())
        .map(|(id, n)| {
            (n.title.clone(), format!("{ROOT}{}", site.permalink(id).as_str()), n.front.questions.len())
        })
        .collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn keys_read_like_the_facts_box() {
        let facts = |extra| {
            crate::reading::simple_facts(&extra).map(|(_, label, value)| (label, value)).collect::<Vec<_>>()
        };
        let china = facts(serde_json::json!({ "china_share": "58%" }));
        assert_eq!(china[0].0, "China share");
        let list = facts(serde_json::json!({ "k": ["a", 1, true] }));
        assert_eq!(list.first().map(|(_, v)| v.as_str()), Some("a, 1, Yes"));
        assert_eq!(facts(serde_json::json!({ "k": [{ "a": 1 }] })), vec![]);
    }
}
