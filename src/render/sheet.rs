//! Printable revision sheets and the key facts of a note.
//!
//! Every collection gets a sheet at `COLLECTION/sheet/` (see [`permalink`]), rendered from
//! `sheet.html`: the comparison table, each note's key facts, and its
//! questions and flashcards as a numbered list with the answers at the end.
//! The key facts ([`facts`]) are also what a note's facts box shows.

use crate::deps::{self, Facet};
use crate::links::LinkGraph;
use crate::render::body::{BodyRenderer, EMBED_BUDGET};
use crate::site::{NoteId, Site};
use serde::Serialize;

/// The template a sheet is rendered from.
pub const TEMPLATE: &str = "sheet.html";

/// The permalink of the sheet of the collection whose index note is
/// `index` (`minerals/` → `minerals/sheet/`). A note of the author's at that
/// URL keeps it: the sheet takes `sheet-2/` (`-3`…) instead, so a sheet never
/// overwrites a note.
pub fn permalink(site: &Site, index: NoteId) -> String {
    let collection = site.permalink(index).as_str();
    let taken = |p: &str| site.permalinks.iter().any(|q| q.as_str() == p);
    let first = format!("{collection}sheet/");
    if !taken(&first) {
        return first;
    }
    (2..).map(|n| format!("{collection}sheet-{n}/")).find(|p| !taken(p)).unwrap_or(first)
}

/// One row of a key-facts box: an `[extra]` field with a human label.
#[derive(Debug, PartialEq, Serialize)]
pub struct Fact {
    /// The `[extra]` key (`budget_usd`); `year` for a year and month shown together.
    pub key: String,
    /// The label shown (`In USD (article)`).
    pub label: String,
    /// The value: a string, number, boolean or list of names.
    pub value: serde_json::Value,
}

/// Keys of `[extra]` that are drawn elsewhere, never as a fact.
const NOT_FACTS: &[&str] = &["table", "shares_title"];

/// The keys of the months' names in the interface strings, January first.
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The key facts of note `id`: every simple value of its `[extra]` (not
/// maps, lists of tables, or `table` and `shares_title`), in order, with
/// empty strings and empty lists left out. Each is labelled, first found: the
/// label its collection declares for the field as a card, the field's
/// `label` in the collection's `[schema]`, the label of the collection's
/// table column (a trailing `*` dropped), else the key with `_` as spaces,
/// capitalized; a text or number value gets its declared card's `unit`,
/// else its schema field's. `year` and `month` (1–12) together become one
/// fact, `year`, labelled "Date" and shown as "September 2024" (`date`,
/// `month_year` and the month's name, `september`, in `words`: the page's
/// language).
pub fn facts(site: &Site, id: NoteId, words: &super::Words) -> Vec<Fact> {
    deps::note(Facet::Card, id.index());
    let note = site.note(id);
    let Some(extra) = note.front.extra.as_object() else { return Vec::new() };
    let index = site.collection_of[id.index()].map(|c| {
        // Its declared card fields and table columns label the facts.
        deps::note(Facet::Card, site.collections[c].index.index());
        site.note(site.collections[c].index)
    });
    let card = |key: &str| -> Option<&crate::content::DeclaredCard> {
        match &index?.front.cards {
            crate::content::CardsKey::Declared(fields) => fields.iter().find(|d| d.field == key),
            _ => None,
        }
    };
    let schema = |key: &str| index?.front.schema.iter().find(|f| f.name == key);
    let declared = |key: &str| -> Option<String> {
        let index = index?;
        card(key).map(|d| d.label.clone()).or_else(|| schema(key)?.label.clone()).or_else(|| {
            let table = index.front.extra.get("table")?.as_array()?;
            let column = table.iter().find(|c| c.get("key").and_then(|k| k.as_str()) == Some(key))?;
            Some(column.get("label")?.as_str()?.trim_end_matches('*').trim().to_string())
        })
    };
    // A declared card's unit, else the schema's.
    let unit = |key: &str| -> Option<&str> {
        card(key).map(|d| d.unit.as_str()).filter(|u| !u.is_empty()).or_else(|| schema(key)?.unit.as_deref())
    };
    // Its name (`September`) from the `time` crate's calendar.
    let month = extra
        .get("month")
        .and_then(serde_json::Value::as_u64)
        .and_then(|m| time::Month::try_from(u8::try_from(m).ok()?).ok());
    let year = extra.get("year").and_then(serde_json::Value::as_i64);
    let mut out = Vec::new();
    for (key, value) in extra {
        let simple = match value {
            serde_json::Value::Object(_) | serde_json::Value::Null => false,
            serde_json::Value::Array(items) => !items.is_empty() && !items.iter().any(|i| i.is_object()),
            serde_json::Value::String(s) => !s.trim().is_empty(),
            _ => true,
        };
        if !simple || NOT_FACTS.contains(&key.as_str()) {
            continue;
        }
        match (key.as_str(), year, month) {
            ("month", Some(_), Some(_)) => continue,
            ("year", Some(y), Some(m)) => out.push(Fact {
                key: key.clone(),
                label: words.get("date").into(),
                value: words
                    .fill(
                        "month_year",
                        &[("month", words.get(MONTHS[m as usize - 1])), ("year", &y.to_string())],
                    )
                    .into(),
            }),
            _ => out.push(Fact {
                key: key.clone(),
                label: declared(key).unwrap_or_else(|| humanize(key)),
                value: match (unit(key), value) {
                    (Some(unit), serde_json::Value::String(_) | serde_json::Value::Number(_)) => {
                        format!("{} {unit}", value.as_str().map_or_else(|| value.to_string(), str::to_string))
                            .into()
                    }
                    _ => value.clone(),
                },
            }),
        }
    }
    out
}

/// `budget_usd` → `Budget usd`; `atomic_number` → `Atomic number`.
fn humanize(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// A question or flashcard on a sheet, with its answer.
#[derive(Debug, Serialize)]
pub struct Item {
    /// The note's title.
    pub note: String,
    /// The question, or the card's front, as HTML.
    pub question: String,
    /// A question's choices, in the order its note page shows them (empty for a card).
    pub options: Vec<String>,
    /// The answer as HTML: the right choice, or the card's back.
    pub answer: String,
    /// A question's explanation as HTML (empty for a card).
    pub explanation: String,
}

/// A note's key facts on a sheet.
#[derive(Debug, Serialize)]
pub struct NoteFacts {
    /// The note's title.
    pub title: String,
    /// Its permalink.
    pub permalink: String,
    /// Its facts ([`facts`]).
    pub facts: Vec<Fact>,
}

/// What a sheet shows of the notes `ids`, their links relative to `root`
/// (the sheet's path to the site root): each note's key facts but those
/// whose key is in `shown` (the comparison table's columns; notes with none
/// left out) and its questions and flashcards, note by note; what Lode
/// writes into their text in the site's `strings`.
pub fn gather(
    site: &Site,
    graph: &LinkGraph,
    strings: &super::Strings,
    ids: &[NoteId],
    shown: &[&str],
    root: &str,
) -> (Vec<NoteFacts>, Vec<Item>) {
    let mut figures = Vec::new();
    let mut items = Vec::new();
    // One renderer for the sheet: its diagrams' loader is written once.
    let renderer = BodyRenderer::new(site, graph, None, root).with_strings(strings);
    for &id in ids {
        // Each note's explanations get their own embed budget, as on its page.
        renderer.embeds_left.set(EMBED_BUDGET);
        deps::note(Facet::Study, id.index());
        let note = site.note(id);
        let mut facts = facts(site, id, &super::note_words(strings, site, id));
        facts.retain(|f| !shown.contains(&f.key.as_str()));
        if !facts.is_empty() {
            figures.push(NoteFacts {
                title: note.title.clone(),
                permalink: site.permalink(id).as_str().to_string(),
                facts,
            });
        }
        let permalink = site.permalink(id).as_str();
        for (q, question) in note.front.questions.iter().enumerate() {
            let revise_id = crate::render::revise::question_id(permalink, q);
            items.push(Item {
                note: note.title.clone(),
                question: crate::html::escape_html(&question.question),
                options: crate::render::revise::option_order(&revise_id, &question.options, question.shuffle)
                    .into_iter()
                    .map(|i| crate::html::escape_html(&question.options[i]))
                    .collect(),
                answer: crate::html::escape_html(&question.answer),
                explanation: renderer.explanation(id, q),
            });
        }
        for card in renderer.cards(id) {
            items.push(Item {
                note: note.title.clone(),
                question: card.front,
                options: Vec::new(),
                answer: card.back,
                explanation: String::new(),
            });
        }
        for (declared, back) in crate::render::revise::declared_cards(site, id) {
            items.push(Item {
                note: note.title.clone(),
                question: crate::html::escape_html(&declared.label),
                options: Vec::new(),
                answer: crate::html::escape_html(&back),
                explanation: String::new(),
            });
        }
    }
    (figures, items)
}
