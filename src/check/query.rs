//! A note's ` ```query ` blocks checked against the site: the collection
//! or tag each reads, every field it names (against the collection's
//! `[schema]` and the fields its notes have), and the type of each value
//! it compares with. The syntax was read at scan time ([`crate::query`]);
//! `render::query` runs the queries this passes.

use std::borrow::Cow;

use serde_json::Value as Json;

use crate::content::{FieldType, Note, tag_slug};
use crate::deps::{self, Facet, Read};
use crate::diagnostics::{Diagnostic, Kind};
use crate::query::{self, Literal, Op, Query, Source, Spanned};
use crate::site::{NoteId, Site, fold};

/// What a query reads: a collection or a tag, by its index in the site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// `Site::collections[i]`.
    Collection(usize),
    /// `Site::tags[i]`.
    Tag(usize),
}

/// The front-matter keys a query may name besides `[extra]`'s, with their
/// types: the ones a listing shows of every note.
pub const BUILT_IN: &[(&str, Type)] = &[
    ("title", Type::Text),
    ("summary", Type::Text),
    ("date", Type::Date),
    ("updated", Type::Date),
    ("tags", Type::List),
    ("weight", Type::Number),
];

/// A field's type as a query compares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// Text.
    Text,
    /// A whole or decimal number.
    Number,
    /// `true` or `false`.
    Bool,
    /// A day, `YYYY-MM-DD` (front matter's `date`, `updated`).
    Date,
    /// A list.
    List,
    /// A table.
    Table,
}

impl Type {
    fn of(kind: FieldType) -> Type {
        match kind {
            FieldType::String => Type::Text,
            FieldType::Integer | FieldType::Number => Type::Number,
            FieldType::Boolean => Type::Bool,
            FieldType::List => Type::List,
            FieldType::Table => Type::Table,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Type::Text => "text",
            Type::Number => "a number",
            Type::Bool => "true or false",
            Type::Date => "a date",
            Type::List => "a list",
            Type::Table => "a table",
        }
    }
}

/// The value of field `name` of `note`: its `[extra]` value, else one of
/// the [`BUILT_IN`] keys (`date` as written, `YYYY-MM-DD…`); `None` when
/// it has none. The caller records the read of the note's card.
pub fn value<'a>(note: &'a Note, name: &str) -> Option<Cow<'a, Json>> {
    if let Some(v) = note.front.extra.get(name) {
        return Some(Cow::Borrowed(v));
    }
    let front = &note.front;
    let text = |s: &Option<String>| s.as_ref().map(|s| Cow::Owned(Json::String(s.clone())));
    match name {
        "title" => Some(Cow::Owned(Json::String(note.title.clone()))),
        "summary" => text(&front.summary),
        "date" => text(&front.date),
        "updated" => text(&front.updated),
        "tags" => Some(Cow::Owned(Json::Array(note.tags().iter().cloned().map(Json::String).collect()))),
        "weight" => front.weight.map(|w| Cow::Owned(Json::from(w))),
        _ => None,
    }
}

/// The collection (by folder, `minerals`, or title, folded) or tag (by
/// slug) `source` names; records what it looked at.
pub fn resolve(site: &Site, source: &Source) -> Option<Resolved> {
    match source {
        Source::Collection(name) => {
            deps::read(Read::Notes);
            let by_folder = site.collections.iter().position(|c| c.folder == *name);
            by_folder
                .or_else(|| {
                    site.collections.iter().position(|c| {
                        deps::note(Facet::Card, c.index.index());
                        fold(&site.note(c.index).title) == fold(name)
                    })
                })
                .map(Resolved::Collection)
        }
        Source::Tag(name) => {
            deps::read(Read::Tags);
            // Slugged per segment, as tag pages are (`#a/b` is `a/b`).
            let slug = tag_slug(name);
            site.tags.iter().position(|t| t.slug == slug).map(Resolved::Tag)
        }
    }
}

/// The notes `resolved` holds, in its order (a collection's sort order,
/// a tag's by title, with the notes of every tag under it, as its page
/// lists them and Obsidian counts a parent); records the read of the list.
pub fn notes_of(site: &Site, resolved: Resolved) -> &[NoteId] {
    match resolved {
        Resolved::Collection(c) => {
            deps::read(Read::Members(c as u32));
            &site.collections[c].notes
        }
        Resolved::Tag(t) => {
            deps::read(Read::Tag(t as u32));
            site.tags[t].members()
        }
    }
}

/// The problems of note `id`'s queries whose syntax is right: an unknown
/// collection, tag or field, a value of another type than its field.
pub fn check(site: &Site, id: NoteId, severity: crate::diagnostics::Severity) -> Vec<Diagnostic> {
    let note = site.note(id);
    if note.scan.queries.is_empty() {
        return Vec::new();
    }
    deps::note(Facet::Text, id.index());
    let mut out = Vec::new();
    let mut problem = |span: std::ops::Range<usize>, message: String, help: String| {
        out.push(note.diagnostic_in_body(severity, span, message).with_help(help).with_kind(Kind::Query));
    };
    for block in &note.scan.queries {
        let Ok(q) = &block.query else { continue };
        let Some(resolved) = resolve(site, &q.from.value) else {
            let (message, known): (String, Vec<&str>) = match &q.from.value {
                Source::Collection(name) => (
                    format!("no collection is called `{name}`"),
                    site.collections.iter().map(|c| c.folder.as_str()).collect(),
                ),
                Source::Tag(name) => (
                    format!("no note is tagged `#{name}`"),
                    site.tags.iter().map(|t| t.slug.as_str()).collect(),
                ),
            };
            let (name, hash) = match &q.from.value {
                Source::Collection(n) => (n, ""),
                Source::Tag(n) => (n, "#"),
            };
            let help = match query::nearest(name, known.iter().copied()) {
                Some(near) => format!("did you mean `{hash}{near}`?"),
                None if hash.is_empty() => {
                    format!("a collection is a folder with an `_index.md`; this site has {}", list(&known))
                }
                None => "name a tag some note carries, as written in its `tags`".into(),
            };
            problem(q.from.span.clone(), message, help);
            continue;
        };
        let fields = Fields::of(site, resolved);
        for field in fields_named(q) {
            if fields.type_of(&field.value).is_none() {
                let known = fields.names();
                let help = match query::nearest(&field.value, known.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the notes it reads have {}", list(&known)),
                };
                problem(
                    field.span.clone(),
                    format!("`{}` is no field of the notes of {}", field.value, source_name(q)),
                    help,
                );
            }
        }
        for condition in q.filters.iter().flatten().flatten() {
            let Some((op, lit)) = &condition.test else { continue };
            let Some(ty) = fields.type_of(&condition.field.value) else { continue };
            if let Some((message, help)) = mismatch(&condition.field.value, ty, op.value, &lit.value) {
                problem(lit.span.start.min(op.span.start)..lit.span.end, message, help);
            }
        }
    }
    out
}

/// How a query's source is named in messages: `minerals`, `#china`.
fn source_name(q: &Query) -> String {
    match &q.from.value {
        Source::Collection(n) => format!("`{n}`"),
        Source::Tag(n) => format!("`#{n}`"),
    }
}

fn list(names: &[&str]) -> String {
    match names {
        [] => "none".into(),
        _ if names.len() > 12 => format!("{}, …", names[..12].join(", ")),
        _ => names.join(", "),
    }
}

/// Every field a query names, in order.
fn fields_named(q: &Query) -> Vec<&Spanned<String>> {
    let columns: Vec<&Spanned<String>> = match &q.output {
        query::Output::Table(cols) => cols.iter().map(|c| &c.field).collect(),
        query::Output::List(col) => col.iter().map(|c| &c.field).collect(),
    };
    let wheres = q.filters.iter().flatten().flatten().map(|c| &c.field);
    columns.into_iter().chain(wheres).chain(q.sort.iter().map(|s| &s.field)).collect()
}

/// Why comparing a field of type `ty` with `lit` by `op` cannot hold, as
/// a message and a hint; `None` when it can.
fn mismatch(field: &str, ty: Type, op: Op, lit: &Literal) -> Option<(String, String)> {
    let fits = match (op, ty, lit) {
        (Op::Contains, Type::List, _) => true,
        (Op::Contains, Type::Text, Literal::Text(_) | Literal::Date(_)) => true,
        (Op::Contains, _, _) => false,
        (_, Type::Number, Literal::Number(_)) => true,
        (_, Type::Text | Type::Date, Literal::Text(_) | Literal::Date(_)) => true,
        (Op::Eq | Op::Ne, Type::Bool, Literal::Bool(_)) => true,
        _ => false,
    };
    if fits {
        return None;
    }
    let message = if op == Op::Contains {
        format!("`contains` needs a list or text, and `{field}` is {}", ty.name())
    } else {
        format!("`{field}` is {}, and this compares it with {}", ty.name(), lit.kind())
    };
    let help = match (ty, lit) {
        (Type::Number, Literal::Text(t)) if t.trim().parse::<f64>().is_ok() => {
            format!("write the number unquoted: {} {}", op.as_str(), t.trim())
        }
        (Type::Text, Literal::Number(n)) => {
            format!("write the text in double quotes: {} \"{n}\"", op.as_str())
        }
        (Type::Number, _) => "compare it with a number, unquoted".into(),
        (Type::Text, _) => "compare it with text in double quotes".into(),
        (Type::Date, _) => "compare it with a date written YYYY-MM-DD".into(),
        (Type::Bool, _) => "compare it with `= true` or `= false`, or write the field alone".into(),
        (Type::List, _) => "test a list with `contains`, or write the field alone (it has items)".into(),
        (Type::Table, _) => "a table cannot be compared; name one of its values in another field".into(),
    };
    Some((message, help))
}

/// The fields a source's notes have, with their types: the collection's
/// `[schema]` first, then what the notes' `[extra]` hold (the type of the
/// first value found), then the [`BUILT_IN`] keys.
struct Fields {
    known: Vec<(String, Type)>,
}

impl Fields {
    fn of(site: &Site, resolved: Resolved) -> Fields {
        let mut known: Vec<(String, Type)> = Vec::new();
        if let Resolved::Collection(c) = resolved {
            let index = site.collections[c].index;
            deps::note(Facet::Card, index.index());
            deps::note(Facet::Text, index.index());
            for field in &site.note(index).front.schema {
                known.push((field.name.clone(), Type::of(field.kind)));
            }
        }
        for id in notes_of(site, resolved) {
            deps::note(Facet::Card, id.index());
            let Some(extra) = site.note(*id).front.extra.as_object() else { continue };
            for (key, v) in extra {
                let Some(kind) = FieldType::of(v) else { continue };
                if !known.iter().any(|(k, _)| k == key) {
                    known.push((key.clone(), Type::of(kind)));
                }
            }
        }
        for (name, ty) in BUILT_IN {
            if !known.iter().any(|(k, _)| k == name) {
                known.push((name.to_string(), *ty));
            }
        }
        Fields { known }
    }

    fn type_of(&self, name: &str) -> Option<Type> {
        self.known.iter().find(|(k, _)| k == name).map(|(_, t)| *t)
    }

    fn names(&self) -> Vec<&str> {
        self.known.iter().map(|(k, _)| k.as_str()).collect()
    }
}
