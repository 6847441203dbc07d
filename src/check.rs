//! Site-wide checks that need the whole index: collection schemas, orphan
//! and empty notes, titles and aliases claimed by two notes.
//!
//! They run on every build and on `lode check`; all but schema violations
//! are warnings. Each check records what it reads ([`crate::deps`]), so
//! that `lode serve` runs again only the checks an edit can change: the
//! site-wide ones ([`SITE_CHECKS`]) whole, the others note by note
//! ([`note_checks`]).

use std::collections::HashMap;

pub mod query;

use crate::config::CheckReport;
use crate::content::{self, FieldType};
use crate::deps::{self, Facet, Read};
use crate::diagnostics::{Diagnostic, Kind, Severity};
use crate::links::LinkGraph;
use crate::site::{NameKind, NoteId, Site, fold};

/// A check of the whole site: its name and the function that runs it.
pub type SiteCheck = (&'static str, fn(&Site, &LinkGraph) -> Vec<Diagnostic>);

/// The checks that compare notes with each other: collection schemas,
/// declared card fields, names claimed twice, tags spelled two ways,
/// moved permalinks, and the
/// one-line summaries of orphan and empty notes (`[check]` in `site.toml`).
pub const SITE_CHECKS: [SiteCheck; 7] = [
    ("schemas", |site, _| schemas(site)),
    ("declared cards", |site, _| declared_cards(site)),
    ("names claimed twice", |site, _| names_claimed_twice(site)),
    ("tag spellings", |site, _| tag_spellings(site)),
    ("moved permalinks", |site, _| moved_permalinks(site)),
    ("orphan notes summary", orphans_summary),
    ("empty notes summary", |site, _| empty_summary(site)),
];

/// Every problem the site-wide checks find.
pub fn check(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = SITE_CHECKS.iter().flat_map(|(_, check)| check(site, graph)).collect();
    out.extend(site.ids().flat_map(|id| note_checks(site, graph, id)));
    out
}

/// A warning for each note of a vault written at another URL than its
/// name gives, because another note or one of Lode's pages has that URL.
fn moved_permalinks(site: &Site) -> Vec<Diagnostic> {
    deps::read(Read::Notes);
    site.moved
        .iter()
        .map(|(id, wanted)| {
            let holder = site.ids().find(|other| site.permalink(*other) == wanted);
            let by = match holder {
                Some(other) => site.note(other).path.display(),
                None => "one of Lode's own pages".to_string(),
            };
            let note = site.note(*id);
            Diagnostic::whole_file(
                Severity::Warning,
                note.path.display(),
                format!(
                    "this note's URL /{} is taken by {by}; it is written to /{} instead",
                    wanted.as_str(),
                    site.permalink(*id).as_str()
                ),
            )
            .with_help("rename one of the two files to choose its URL: URLs come from file and folder names")
            .with_kind(Kind::Permalink)
        })
        .collect()
}

/// `a` or `an` before a type's name (`an integer`, `a string`).
fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// The checks of note `id` alone: an orphan, an empty note (each when
/// `[check]` says `"each"`), `[extra]` values naming notes its text never
/// links, its ` ```query ` blocks against the site.
pub fn note_checks(site: &Site, graph: &LinkGraph, id: NoteId) -> Vec<Diagnostic> {
    // Checked only when listed one by one: a summary is a site-wide check,
    // and a check not run records no reads for the note's rebuilds.
    let check = &site.config.check;
    let mut out = Vec::new();
    if check.orphans == CheckReport::Each {
        out.extend(orphan(site, graph, id));
    }
    if check.empty == CheckReport::Each {
        out.extend(empty_note(site, id));
    }
    out.extend(unlinked_names(site, graph, id));
    out.extend(query::check(site, id, site.config.front_matter.strictness().severity()));
    out.extend(images_without_alt(site, graph, id));
    out
}

/// A warning for each image in the note's body without alt text, at the
/// image: a screen reader then reads out the file name, or nothing. An
/// Obsidian embed gives its alt text after `|` (`![[map.png|A map]]`,
/// `![[map.png|A map|300]]`: Obsidian reads a last part that is a number as
/// the width, the rest as alt text), a Markdown image between its brackets.
fn images_without_alt(site: &Site, graph: &LinkGraph, id: NoteId) -> Vec<Diagnostic> {
    deps::note(Facet::Text, id.index());
    deps::note(Facet::Links, id.index());
    let note = site.note(id);
    let body = note.body();
    let targets = graph.targets(id, crate::links::Part::Body);
    let mut out = Vec::new();
    for (link, target) in note.scan.links.iter().zip(targets) {
        let Some(crate::links::Target::Asset(path)) = target else { continue };
        if !link.embed || link.kind == content::scan::LinkKind::Html || !crate::images::is_image(path) {
            continue;
        }
        let source = body.get(link.span.clone()).unwrap_or("");
        let wiki = link.kind == content::scan::LinkKind::Wiki;
        let alt =
            if wiki && !source.contains('|') { "" } else { crate::images::split_size(link.context.text()).0 };
        if !alt.trim().is_empty() {
            continue;
        }
        let name = path.rsplit('/').next().unwrap_or(path);
        let (message, help) = if wiki {
            let size = crate::images::split_size(source.trim_start_matches("![[").trim_end_matches("]]")).1;
            let size = match size {
                Some((w, Some(h))) => format!("|{w}x{h}"),
                Some((w, None)) => format!("|{w}"),
                None => String::new(),
            };
            (
                format!("image ![[{name}]] has no alt text: a screen reader reads its file name"),
                format!("say what the image shows after a `|`: `![[{name}|what it shows{size}]]`"),
            )
        } else {
            (
                format!("image {name} has no alt text: a screen reader skips it"),
                format!("say what the image shows between the brackets: `![what it shows]({name})`"),
            )
        };
        out.push(
            note.diagnostic_in_body(Severity::Warning, link.span.clone(), message)
                .with_help(help)
                .with_kind(Kind::Image),
        );
    }
    out
}

/// The one note a name resolves to as a `[[wikilink]]` would: by file
/// name, then front-matter title or alias, then derived title, each
/// exactly and then folded. `None` when no note or several have it.
fn note_named(site: &Site, name: &str) -> Option<NoteId> {
    deps::read(Read::Name(fold(name)));
    for kind in crate::site::NameKind::ALL {
        for found in [site.named(kind, name), site.named_folded(kind, name)] {
            match found {
                [] => {}
                [one] => return Some(*one),
                _ => return None,
            }
        }
    }
    None
}

/// A warning for each `[extra]` string value (or list item) that is
/// exactly the name of another note when the note's body never links that
/// note: a field that the text does not bear out (`programmes = ["TRUST"]`
/// on a note that never mentions TRUST) is shown as fact in the facts box
/// and on cards. At the value in the front matter.
fn unlinked_names(site: &Site, graph: &LinkGraph, id: NoteId) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    deps::note(Facet::Text, id.index());
    deps::note(Facet::Links, id.index());
    {
        let note = site.note(id);
        let Some(extra) = note.front.extra.as_object() else { return out };
        let linked: std::collections::HashSet<NoteId> = graph
            .targets(id, crate::links::Part::Body)
            .iter()
            .flatten()
            .filter_map(|t| match t {
                crate::links::Target::Note { id, .. } => Some(*id),
                _ => None,
            })
            // A link whose anchor is broken (`[[Note#^missing]]`) still
            // names the note: its own error says what is wrong with it.
            .chain(
                (note.scan.links.iter().zip(graph.targets(id, crate::links::Part::Body)))
                    .filter(|(_, t)| t.is_none())
                    .filter_map(|(l, _)| note_named(site, l.target.trim())),
            )
            .collect();
        for (key, value) in extra {
            let names: Vec<&str> = match value {
                serde_json::Value::String(s) => vec![s.as_str()],
                serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
                _ => continue,
            };
            for name in names {
                let name = name.trim();
                if name.is_empty() {
                    continue;
                }
                let Some(other) = note_named(site, name) else { continue };
                if other == id || linked.contains(&other) {
                    continue;
                }
                let at = content::extra_value_offset(note, key, name);
                out.push(
                    Diagnostic::at(
                        Severity::Warning,
                        note.path.display(),
                        &note.text,
                        at..at + name.len(),
                        format!("`[extra] {key}` names {name}, but the text never links it: link it or fix the field"),
                    )
                    .with_help(format!(
                        "if the note is about {name}, say so in its text with a link `[[{name}]]`; if not, remove \"{name}\" from `{key}`: the facts box and the cards show it as a fact of this note"
                    ))
                    .with_kind(Kind::Consistency),
                );
            }
        }
    }
    out
}

/// A collection's `[schema]` holds for every note of the collection's
/// `[extra]`: required fields present, every declared field of its type.
fn schemas(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (c, collection) in site.collections.iter().enumerate() {
        deps::read(Read::Members(c as u32));
        deps::note(Facet::Card, collection.index.index());
        deps::note(Facet::Text, collection.index.index());
        let index = site.note(collection.index);
        let schema = &index.front.schema;
        for id in &collection.notes {
            deps::note(Facet::Card, id.index());
            let note = site.note(*id);
            for field in schema {
                let value = note.front.extra.get(&field.name);
                // An empty value is none, as Obsidian reads an empty property.
                let empty = value.is_some_and(|v| {
                    v.as_str().is_some_and(|s| s.trim().is_empty())
                        || v.as_array().is_some_and(Vec::is_empty)
                        || v.as_object().is_some_and(|o| o.is_empty())
                });
                let (span, message, help) = match value {
                    Some(_) if empty && field.required => {
                        let span =
                            content::value_span_in(note, Some("extra"), &field.name).unwrap_or_else(|| {
                                let at = content::key_offset(note, "extra");
                                at..at + 1
                            });
                        (
                            span,
                            format!(
                                "`{}` is required in [extra] for notes of \"{}\", and this note leaves it empty",
                                field.name, index.title
                            ),
                            format!(
                                "write its value ({}), or make the field optional in [schema.{}] of {}",
                                field.kind.how_written(),
                                field.name,
                                index.path.display()
                            ),
                        )
                    }
                    // A note whose front matter failed has its own error.
                    None if field.required && !note.front_error => {
                        let offset = content::key_offset(note, "title");
                        (
                            offset..offset + 1,
                            format!(
                                "`{}` is required in [extra] for notes of \"{}\", and this note has none",
                                field.name, index.title
                            ),
                            format!(
                                "add `{} = …` ({}) under [extra], or make the field optional in [schema.{}] of {}",
                                field.name,
                                field.kind.how_written(),
                                field.name,
                                index.path.display()
                            ),
                        )
                    }
                    Some(v) if !field.kind.accepts(v) => {
                        let span =
                            content::value_span_in(note, Some("extra"), &field.name).unwrap_or_else(|| {
                                let at = content::key_offset(note, "extra");
                                at..at + 1
                            });
                        let has = FieldType::of(v)
                            .map_or("empty".to_string(), |t| format!("{} {}", article(t.name()), t.name()));
                        (
                            span,
                            format!(
                                "`{}` has the wrong type: it is {has}, and the schema of \"{}\" says {} {}",
                                field.name,
                                index.title,
                                article(field.kind.name()),
                                field.kind.name(),
                            ),
                            match field.kind.unquoted(v) {
                                Some(value) => format!(
                                    "write {value} without quotes, or change the type in [schema.{}] of {}",
                                    field.name,
                                    index.path.display()
                                ),
                                None => format!(
                                    "write `{}` as {}, or change its type in [schema.{}] of {}",
                                    field.name,
                                    field.kind.how_written(),
                                    field.name,
                                    index.path.display()
                                ),
                            },
                        )
                    }
                    _ => continue,
                };
                let declared = content::key_offset_in(index, Some("schema"), &field.name)
                    .unwrap_or_else(|| content::key_offset(index, "schema"));
                let (line, column) = crate::diagnostics::line_column(&index.text, declared);
                out.push(
                    Diagnostic::at(Severity::Error, note.path.display(), &note.text, span, message)
                        .with_help(help)
                        .with_related(index.path.display(), line, column, "the field is declared here")
                        .with_kind(Kind::Schema),
                );
            }
        }
    }
    out
}

/// A warning, at its item, for each field a collection declares
/// card-worthy (`cards = [...]` in its `_index.md`) that makes no card: no
/// note of the collection has it, its values are yes/no flags, or every
/// note leaves it empty (no card is made of one).
fn declared_cards(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (c, collection) in site.collections.iter().enumerate() {
        deps::note(Facet::Card, collection.index.index());
        let index = site.note(collection.index);
        let content::CardsKey::Declared(fields) = &index.front.cards else { continue };
        deps::read(Read::Members(c as u32));
        for id in &collection.notes {
            deps::note(Facet::Card, id.index());
        }
        for field in fields {
            let offset = field.offset;
            let values: Vec<&serde_json::Value> = collection
                .notes
                .iter()
                .filter_map(|id| site.note(*id).front.extra.get(&field.field))
                .collect();
            let flags = !values.is_empty() && values.iter().all(|v| v.is_boolean());
            let problem = if values.is_empty() {
                format!("no note of \"{}\" has the card field `{}` in its [extra]", index.title, field.field)
            } else if flags {
                format!("the card field `{}` holds yes/no values: they make no flashcards", field.field)
            } else if values.iter().all(|v| content::card_value(v).is_none()) {
                format!(
                    "every note of \"{}\" leaves the card field `{}` empty: empty values make no flashcards",
                    index.title, field.field
                )
            } else {
                continue;
            };
            out.push(
                Diagnostic::at(
                    Severity::Warning,
                    index.path.display(),
                    &index.text,
                    offset..offset + 1,
                    problem,
                )
                .with_help(format!(
                    "remove `{}` from `cards`, or check its spelling against the notes' [extra] keys",
                    field.field
                ))
                .with_kind(Kind::Cards),
            );
        }
    }
    out
}

/// Notes nothing links to. The home page and collection pages are reached
/// from every page's navigation, so they are never orphans. A note and its
/// translations ([`Site::translations`]) are one note here, as Hugo and Zola
/// treat a page's translations as one page: a link to any of them, from a
/// note that is not one of them, makes none of them an orphan.
fn orphan(site: &Site, graph: &LinkGraph, id: NoteId) -> Option<Diagnostic> {
    deps::read(Read::Notes);
    let linked = |id: NoteId| match site.translations(id) {
        [] => !graph.backlinks_of(id).is_empty(),
        group => group.iter().any(|t| graph.backlinks_of(*t).iter().any(|b| !group.contains(&b.from))),
    };
    Some(id)
        .filter(|id| Some(*id) != site.home && !site.note(*id).path.is_collection_index())
        .filter(|id| !linked(*id))
        .map(|id| {
            deps::note(Facet::Card, id.index());
            let note = site.note(id);
            Diagnostic::whole_file(
                Severity::Warning,
                note.path.display(),
                "no note links here (an orphan note)",
            )
            .with_help(format!(
                "link it from a related note with [[{}]]",
                crate::links::wikilink_name(site, id)
            ))
            .with_kind(Kind::OrphanNote)
        })
}

/// With `[check] orphans = "summary"` (the default): one warning for all
/// the notes nothing links to, at the first (by path), or that note's own
/// warning when it is the only one.
fn orphans_summary(site: &Site, graph: &LinkGraph) -> Vec<Diagnostic> {
    if site.config.check.orphans != CheckReport::Summary {
        return Vec::new();
    }
    let found: Vec<Diagnostic> = site.ids().filter_map(|id| orphan(site, graph, id)).collect();
    summary(found, "notes nothing links to (orphan notes)", "orphans")
}

/// With `[check] empty = "summary"`: one warning for all the empty notes,
/// at the first (by path), or that note's own warning when it is the only one.
fn empty_summary(site: &Site) -> Vec<Diagnostic> {
    if site.config.check.empty != CheckReport::Summary {
        return Vec::new();
    }
    let found: Vec<Diagnostic> = site.ids().filter_map(|id| empty_note(site, id)).collect();
    summary(found, "empty notes", "empty")
}

/// How many notes a summary names before "and N more".
const SUMMARY_NAMES: usize = 3;

/// `found` (one warning per note) as one warning at the first note by
/// path: "N `what`: this one, B, C and K more", with help naming the
/// `[check] key` values. Zero or one warning is returned as it is.
fn summary(mut found: Vec<Diagnostic>, what: &str, key: &str) -> Vec<Diagnostic> {
    if found.len() < 2 {
        return found;
    }
    found.sort_by(|a, b| a.file.cmp(&b.file));
    let count = found.len();
    let others: Vec<&str> = found[1..].iter().take(SUMMARY_NAMES - 1).map(|d| d.file.as_str()).collect();
    let rest = count - 1 - others.len();
    let mut names = format!("this one, {}", others.join(", "));
    if rest > 0 {
        names.push_str(&format!(" and {rest} more"));
    } else if let Some(last) = names.rfind(", ") {
        names.replace_range(last..last + 2, " and ");
    }
    let mut first = found.swap_remove(0);
    first.message = format!("{count} {what}: {names}");
    first.count = count;
    let list =
        format!("set `[check] {key} = \"each\"` in site.toml to list each one, or `\"off\"` not to check");
    first.help = Some(match first.help.take() {
        Some(own) => format!("{own}; {list}"),
        None => list,
    });
    vec![first]
}

/// Notes with no text, no links, no questions and no data (a note of
/// links alone, an index, is not empty).
fn empty_note(site: &Site, id: NoteId) -> Option<Diagnostic> {
    deps::note(Facet::Text, id.index());
    Some(site.note(id))
        .filter(|n| {
            n.scan.words == 0
                && !n.front_error
                && n.scan.links.is_empty()
                && n.front.questions.is_empty()
                && n.front.extra.as_object().is_none_or(|m| m.is_empty())
                && !n.path.is_collection_index()
                && n.front.template.is_none()
        })
        .map(|n| {
            Diagnostic::whole_file(Severity::Warning, n.path.display(), "this note is empty")
                .with_help("write its body, or delete the file")
                .with_kind(Kind::EmptyNote)
        })
}

/// A title or alias that two notes of one language claim: links by that
/// name are ambiguous unless the same folder or a path settles them. A
/// translation may keep its original's title (`TRUST`, `Lithium`): links
/// resolve in their own language first, so that is no clash.
fn names_claimed_twice(site: &Site) -> Vec<Diagnostic> {
    let mut claims: HashMap<(u8, String), Vec<(NoteId, &str)>> = HashMap::new();
    deps::read(Read::Notes);
    for id in site.ids() {
        deps::note(Facet::Card, id.index());
        let note = site.note(id);
        // Titles and aliases (declared or derived); file names are not claims.
        let mut names: Vec<&str> =
            crate::site::names_of(note).filter(|(kind, _)| *kind != NameKind::Stem).map(|(_, n)| n).collect();
        // A note's own names that differ only in case (`Aliases`, alias
        // `aliases`) are one claim, not a clash with itself.
        names.sort_by_cached_key(|name| fold(name));
        names.dedup_by(|a, b| fold(a) == fold(b));
        for name in names {
            claims.entry((site.language(id), fold(name))).or_default().push((id, name));
        }
    }
    let mut out = Vec::new();
    let mut clashes: Vec<_> = claims.into_values().filter(|c| c.len() > 1).collect();
    clashes.sort_by_key(|c| c[0].0);
    for clash in clashes {
        let (first, name) = clash[0];
        let note = site.note(first);
        let others: Vec<String> = clash[1..].iter().map(|(id, _)| site.note(*id).path.display()).collect();
        let at = |id: NoteId, name: &str| {
            let n = site.note(id);
            let key = if n.title == name { "title" } else { "aliases" };
            content::key_offset(n, key)
        };
        let offset = at(first, name);
        let mut d = Diagnostic::at(
            Severity::Warning,
            note.path.display(),
            &note.text,
            offset..offset + 1,
            format!("the name \"{name}\" is also claimed by {}", first_few(&others)),
        )
        .with_help("links by this name pick the note in the same or nearest folder; give one note another title or alias to avoid surprises")
        .with_kind(Kind::SharedName);
        for (id, other_name) in &clash[1..] {
            let other = site.note(*id);
            let (line, column) = crate::diagnostics::line_column(&other.text, at(*id, other_name));
            d = d.with_related(other.path.display(), line, column, "also claimed here");
        }
        out.push(d);
    }
    out
}

/// A warning at each spelling of a tag that differs from its first other
/// than by case (`rare earths` after `Rare-Earths`, `Économie` after
/// `economie`): both are one tag with one page, named as first written,
/// which the other spelling may not expect. Obsidian compares tags without
/// case (its help vault, "Tags"), so `#Lithium` and `#lithium` are one
/// spelling and no warning.
fn tag_spellings(site: &Site) -> Vec<Diagnostic> {
    // The tags' spellings change only with a note's tags, part of its card.
    deps::read(Read::Notes);
    for id in site.ids() {
        deps::note(Facet::Card, id.index());
    }
    let mut out = Vec::new();
    for tag in site.tags.iter().filter(|t| !t.others.is_empty()) {
        let (first, index) = tag.written;
        deps::note(Facet::Text, first.index());
        let first_note = site.note(first);
        let first_at = content::tag_span(first_note, index as usize);
        let (line, column) = crate::diagnostics::line_column(&first_note.text, first_at.start);
        let first_place = format!("{}:{line}:{column}", first_note.path.display());
        for other in &tag.others {
            let (id, index) = other.at;
            deps::note(Facet::Text, id.index());
            let note = site.note(id);
            let d = Diagnostic::at(
                Severity::Warning,
                note.path.display(),
                &note.text,
                content::tag_span(note, index as usize),
                format!(
                    "the tag #{} shares its page /tags/{}/ with #{}, first written at {first_place}",
                    other.name, tag.slug, tag.name
                ),
            )
            .with_help(format!(
                "write the tag one way in every note, e.g. #{}: Obsidian ignores only case, and would count two tags",
                tag.name
            ))
            .with_kind(Kind::TagSpelling)
            .with_related(first_note.path.display(), line, column, "first written here");
            out.push(d);
        }
    }
    out
}

/// At most three names, then how many more: `a, b, c and 18 more` (the
/// diagnostic's related places list every one).
fn first_few(names: &[String]) -> String {
    const SHOWN: usize = 3;
    match names.len() {
        n if n <= SHOWN => names.join(", "),
        n => format!("{} and {} more", names[..SHOWN].join(", "), n - SHOWN),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lists_of_claimants_are_cut_to_three() {
        let names: Vec<String> = (1..=5).map(|i| format!("n{i}.md")).collect();
        assert_eq!(super::first_few(&names[..2]), "n1.md, n2.md");
        assert_eq!(super::first_few(&names[..3]), "n1.md, n2.md, n3.md");
        assert_eq!(super::first_few(&names), "n1.md, n2.md, n3.md and 2 more");
    }
}
