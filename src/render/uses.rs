//! Which costly views the templates use, so a build computes only those
//! (issue 19: work in proportion to use).
//!
//! Tera 2 does not expose what a template reads, so the templates' sources
//! are scanned: the words (runs of letters, digits and `_`) inside their
//! tags, `{{ … }}`, `{% … %}` and `{# … #}` (string literals and comments
//! included, text outside tags not), in the templates reachable from those
//! a build renders. A view is used when its word appears there: `graph`
//! (`page.graph`, and the site graph of `/graph/`), `backlinks`, `related`,
//! `facts`, `questions`, a revision sheet's `figures` and `items`, a note's social card (`og_image`); the link previews when `preview`, `previews` or
//! `preview_shards` does (`preview.js`, the script that fetches them, is
//! loaded by a template); the revision data (`_lode/revise.json`) when
//! `revise` or `study` does (`revise.js`, `study.js`, a link to
//! `revise/`). A word in a comment counts, so a template that reads a
//! view by a computed name can say so: `{# uses: related #}`. The scan may
//! see a use where there is none (the word in an unrelated string), never
//! the reverse, except for a view reached by a name built at render time
//! and not written anywhere.
//!
//! The templates rendered are the site's own (all of them) and the
//! built-in ones outside `partials/`; a template reaches every template
//! whose name its tags hold as a string literal (`extends`, `include`,
//! `import`). A built-in partial a site's templates never name is not
//! scanned, nor a built-in template a site's own replaces (kept as
//! `lode/NAME`) unless one names it.
//!
//! The uses change only when the templates do, and a template's change
//! makes everything again (`build::Session::rebuild`), so what an
//! incremental rebuild keeps was made with the same uses.

use std::collections::{HashMap, HashSet};

/// The costly views and files the templates use; each `false` one is
/// skipped by the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uses {
    /// `page.graph` (a note's local graph, a list graph.js paints, and the second hop's shared
    /// files, `_lode/hops/`) and `graph` on `/graph/` (the site graph).
    pub graph: bool,
    /// `page.backlinks`, each with the sentence that links (and the shared
    /// files of long lists, `_lode/backlinks/`).
    pub backlinks: bool,
    /// `page.related`.
    pub related: bool,
    /// `page.facts`.
    pub facts: bool,
    /// `page.questions` (explanations rendered as Markdown).
    pub questions: bool,
    /// A collection's revision sheet's `figures` and `items` (every
    /// member's key facts, questions and flashcards).
    pub sheet: bool,
    /// The link previews' shards, `_lode/previews/<k>.json`.
    pub previews: bool,
    /// The revision data, `_lode/revise.json`.
    pub revision: bool,
    /// `page.og_image`: a note's social card (`render::social`), drawn
    /// and rasterized only for templates that show it.
    pub social: bool,
}

impl Uses {
    /// Every view: what a build makes when it cannot tell.
    pub const ALL: Uses = Uses {
        graph: true,
        backlinks: true,
        related: true,
        facts: true,
        questions: true,
        sheet: true,
        previews: true,
        revision: true,
        social: true,
    };

    /// The uses of these templates, name → (file, text), where a file
    /// beginning with `(built-in)` is one of Lode's own.
    pub fn of(sources: &HashMap<String, (String, String)>) -> Uses {
        let words: HashMap<&str, HashSet<&str>> =
            sources.iter().map(|(name, (_, text))| (name.as_str(), tag_words(text))).collect();
        let mut todo: Vec<&str> = sources
            .iter()
            .filter(|(name, (file, _))| {
                !file.starts_with("(built-in)")
                    || !(name.starts_with("partials/") || name.starts_with(super::BUILTIN_PREFIX))
            })
            .map(|(name, _)| name.as_str())
            .collect();
        let mut seen: HashSet<&str> = todo.iter().copied().collect();
        let mut used: HashSet<&str> = HashSet::new();
        while let Some(name) = todo.pop() {
            for string in tag_strings(&sources[name].1) {
                if let Some((other, _)) = sources.get_key_value(string)
                    && seen.insert(other.as_str())
                {
                    todo.push(other.as_str());
                }
            }
            used.extend(&words[name]);
        }
        let any = |names: &[&str]| names.iter().any(|n| used.contains(n));
        Uses {
            graph: any(&["graph"]),
            backlinks: any(&["backlinks"]),
            related: any(&["related"]),
            facts: any(&["facts"]),
            questions: any(&["questions"]),
            sheet: any(&["figures", "items"]),
            previews: any(&["preview", "previews", "preview_shards"]),
            revision: any(&["revise", "study"]),
            social: any(&["og_image"]),
        }
    }
}

/// The insides of a template's tags (`{{ … }}`, `{% … %}`, `{# … #}`).
fn tags(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find('{')?;
            let close = match rest.as_bytes().get(start + 1) {
                Some(b'{') => "}}",
                Some(b'%') => "%}",
                Some(b'#') => "#}",
                _ => {
                    rest = &rest[start + 1..];
                    continue;
                }
            };
            let inner = &rest[start + 2..];
            let end = inner.find(close).unwrap_or(inner.len());
            rest = &inner[(end + 2).min(inner.len())..];
            return Some(&inner[..end]);
        }
    })
}

/// The words inside a template's tags.
fn tag_words(text: &str) -> HashSet<&str> {
    tags(text)
        .flat_map(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The string literals inside a template's tags (`"…"`, `'…'`, `` `…` ``).
fn tag_strings(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for tag in tags(text) {
        let mut rest = tag;
        while let Some(start) = rest.find(['"', '\'', '`']) {
            let quote = rest[start..].chars().next().expect("found");
            let inner = &rest[start + 1..];
            let Some(end) = inner.find(quote) else { break };
            found.push(&inner[..end]);
            rest = &inner[end + 1..];
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::Uses;
    use std::collections::HashMap;

    fn sources(list: &[(&str, bool, &str)]) -> HashMap<String, (String, String)> {
        list.iter()
            .map(|(name, builtin, text)| {
                let file = if *builtin { format!("(built-in) {name}") } else { format!("templates/{name}") };
                (name.to_string(), (file, text.to_string()))
            })
            .collect()
    }

    /// Words outside tags do not count; words in tags, strings and
    /// comments do; a built-in partial counts only when a template names it.
    #[test]
    fn views_are_used_when_reachable_templates_name_them() {
        let none = Uses::of(&sources(&[
            ("note.html", false, "<h1>Graph, related, backlinks</h1>{{ page.title }}"),
            ("partials/graph.html", true, "{{ page.graph.list }}{{ page.related }}"),
        ]));
        assert_eq!(
            none,
            Uses {
                graph: false,
                backlinks: false,
                related: false,
                facts: false,
                questions: false,
                sheet: false,
                previews: false,
                revision: false,
                social: false
            }
        );
        let some = Uses::of(&sources(&[
            ("note.html", false, "{% include \"partials/graph.html\" %}{# uses: backlinks #}"),
            ("partials/graph.html", true, "{{ page.graph.list }}"),
            ("base.html", false, "<script src=\"{{ get_url(path='preview.js') }}\"></script>"),
        ]));
        assert!(some.graph && some.backlinks && some.previews);
        assert!(!some.related && !some.revision && !some.facts && !some.questions && !some.sheet);
        let sheet =
            Uses::of(&sources(&[("sheet.html", false, "{% for i in items %}{{ i.question }}{% endfor %}")]));
        assert!(sheet.sheet && !sheet.questions);
    }
}
