//! A ` ```query ` block run at build time: the notes of its collection or
//! tag that meet its `where` lines, in its order, as a table or a list whose
//! first column links each note. The syntax is [`crate::query`]'s; what it
//! names was checked by [`crate::check::query`].
//!
//! Every note it looks at is read through the recorders (the collection's
//! or tag's list, each note's card), so `lode serve` renders the page again
//! when one of them changes, and only then.
//!
//! The result is left out of the search index (`data-pagefind-ignore`): it
//! repeats what the listed notes say, and search finds those notes.

use std::cmp::Ordering;

use serde_json::Value as Json;

use crate::check::query::{Resolved, notes_of, resolve, value};
use crate::deps::{self, Facet};
use crate::html::escape_html;
use crate::query::{self, Column, Output, Query};
use crate::site::{NoteId, Site};

use super::Words;

/// The HTML of query `q` on a page: `url` gives a note's URL relative to
/// that page (`BodyRenderer::url_to`, which records the read of its card);
/// `words` the interface strings of the note's language (the table's name
/// and first column, the sentence of an empty result).
pub fn html(site: &Site, q: &Query, words: &Words, url: impl Fn(NoteId) -> String) -> String {
    let Some(resolved) = resolve(site, &q.from.value) else {
        // Reported by the check, which fails the build; under `serve`'s
        // overlay the page says what is missing.
        return empty(words.get("query_no_source"));
    };
    let notes = run(site, q, resolved);
    if notes.is_empty() {
        return empty(words.get("query_none"));
    }
    let title = |id: NoteId| {
        format!("<a href=\"{}\">{}</a>", escape_html(&url(id)), escape_html(&site.note(id).title))
    };
    let mut out = String::new();
    match &q.output {
        Output::List(column) => {
            out.push_str("<ul class=\"query-list\" data-pagefind-ignore>\n");
            for id in notes {
                out.push_str("<li>");
                out.push_str(&title(id));
                if let Some(c) = column {
                    let v = value(site.note(id), &c.field.value);
                    if let Some(text) = shown(v.as_deref()) {
                        out.push_str(": ");
                        out.push_str(&escape_html(&text));
                    }
                }
                out.push_str("</li>\n");
            }
            out.push_str("</ul>\n");
        }
        Output::Table(columns) => {
            out.push_str(&format!(
                "<div class=\"table-wrap query-table\" role=\"region\" aria-label=\"{}\" tabindex=\"0\" data-pagefind-ignore>\n<table>\n<thead><tr><th scope=\"col\">{}</th>",
                escape_html(words.get("query_results")),
                escape_html(words.get("query_note"))
            ));
            for c in columns {
                out.push_str(&format!("<th scope=\"col\">{}</th>", escape_html(&label(c))));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for id in notes {
                out.push_str(&format!("<tr><th scope=\"row\">{}</th>", title(id)));
                for c in columns {
                    let v = value(site.note(id), &c.field.value);
                    let class =
                        if matches!(v.as_deref(), Some(Json::Number(_))) { " class=\"num\"" } else { "" };
                    let text = shown(v.as_deref());
                    match text {
                        Some(t) => out.push_str(&format!("<td{class}>{}</td>", escape_html(&t))),
                        // As the collection's comparison table shows an empty value.
                        None => out.push_str("<td class=\"none\">–</td>"),
                    }
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n</div>\n");
        }
    }
    out
}

fn empty(text: &str) -> String {
    format!("<p class=\"query-empty\" data-pagefind-ignore>{}</p>\n", escape_html(text))
}

/// The notes `q` shows, in order: those of its source meeting every
/// `where` line, sorted by its keys (stably: ties keep the source's order),
/// cut at its limit. Reads each note's card.
pub fn run(site: &Site, q: &Query, resolved: Resolved) -> Vec<NoteId> {
    let mut found: Vec<NoteId> = notes_of(site, resolved)
        .iter()
        .copied()
        .filter(|id| {
            deps::note(Facet::Card, id.index());
            let note = site.note(*id);
            q.filters.iter().all(|ors| {
                ors.iter().any(|ands| {
                    ands.iter().all(|c| {
                        let v = value(note, &c.field.value);
                        match &c.test {
                            None => query::present(v.as_deref()),
                            Some((op, lit)) => query::holds(v.as_deref(), op.value, &lit.value),
                        }
                    })
                })
            })
        })
        .collect();
    if !q.sort.is_empty() {
        // Each note's keys are made once, not at every comparison.
        let mut keyed: Vec<(Vec<query::SortValue>, NoteId)> = found
            .iter()
            .map(|id| {
                let note = site.note(*id);
                let keys =
                    q.sort.iter().map(|k| query::SortValue::of(value(note, &k.field.value).as_deref()));
                (keys.collect(), *id)
            })
            .collect();
        // Stable: ties keep the source's order.
        keyed.sort_by(|(a, _), (b, _)| {
            (a.iter().zip(b).zip(&q.sort))
                .map(|((x, y), key)| x.order(y, key.descending))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        found = keyed.into_iter().map(|(_, id)| id).collect();
    }
    if let Some(limit) = q.limit {
        found.truncate(limit);
    }
    found
}

/// A column's header: its `as "…"`, else the field's name with `_` as
/// spaces and a capital (`china_share`: "China share").
fn label(column: &Column) -> String {
    if let Some(label) = &column.label {
        return label.clone();
    }
    let words = column.field.value.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A value as a cell shows it: text as written, a number as written in
/// front matter, `Yes`/`No` (as the comparison table), a list's items joined with commas; `None`
/// for a missing or empty one.
fn shown(value: Option<&Json>) -> Option<String> {
    let scalar = |v: &Json| match v {
        Json::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Json::Number(n) => Some(n.to_string()),
        Json::Bool(b) => Some(if *b { "Yes" } else { "No" }.to_string()),
        _ => None,
    };
    match value? {
        Json::Array(items) => {
            let items: Vec<String> = items.iter().filter_map(scalar).collect();
            (!items.is_empty()).then(|| items.join(", "))
        }
        other => scalar(other),
    }
}
