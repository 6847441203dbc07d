//! Where each key and value of a note's front matter is written, as the
//! parser reports it: diagnostics point at the key or the value itself,
//! never at a line found again by searching the text.
//!
//! A key is named by its path: `["title"]`, `["extra", "field"]`, or for an
//! item of a list its index, `["questions", "2", "shuffle"]`.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The byte ranges, in the note's file, of one key and its value. For an
/// item of a list the key is the item itself; for a table opened by a
/// header (`[extra]`, `[[questions]]`) the value is the header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The key as written.
    pub key: Range<usize>,
    /// The value as written: a string with its quotes, a list with its brackets.
    pub value: Range<usize>,
}

/// Every key and value of one front-matter block, by path.
#[derive(Debug, Default)]
pub struct Spans {
    places: HashMap<String, Place>,
    /// YAML keys written twice in one map: the path (segments joined with
    /// `.`), the first key's span and the second's. (TOML forbids them: a
    /// syntax error.)
    pub duplicates: Vec<(String, Range<usize>, Range<usize>)>,
}

/// Joins path segments (a key may hold `.`, never this control character).
const SEP: char = '\u{1f}';

fn join(prefix: &str, segment: &str) -> String {
    if prefix.is_empty() { segment.to_string() } else { format!("{prefix}{SEP}{segment}") }
}

impl Spans {
    /// The spans of TOML front matter `source`, which starts at byte `base`
    /// of its file. `None` when it does not parse.
    pub fn toml(source: &str, base: usize) -> Option<Self> {
        let table = DeTable::parse(source).ok()?;
        let mut spans = Spans::default();
        spans.toml_table("", table.get_ref(), base);
        Some(spans)
    }

    /// The key, dotted (`extra.born`), whose value is written at bytes
    /// `value` of TOML front matter `source` (which starts at byte `base` of
    /// its file), read past syntax errors: how an error the TOML parser
    /// reports at a value (an impossible date) names its key.
    pub fn toml_key_of(source: &str, base: usize, value: Range<usize>) -> Option<String> {
        let (table, _) = DeTable::parse_recoverable(source);
        let mut spans = Spans::default();
        spans.toml_table("", table.get_ref(), base);
        let found = spans.places.into_iter().find(|(_, p)| p.value == value)?;
        Some(found.0.replace(SEP, "."))
    }

    fn toml_table(&mut self, prefix: &str, table: &DeTable<'_>, base: usize) {
        for (key, value) in table.iter() {
            let path = join(prefix, key.get_ref());
            let shift = |r: Range<usize>| r.start + base..r.end + base;
            self.places.insert(path.clone(), Place { key: shift(key.span()), value: shift(value.span()) });
            self.toml_value(&path, value, base);
        }
    }

    fn toml_value(&mut self, path: &str, value: &Spanned<DeValue<'_>>, base: usize) {
        match value.get_ref() {
            DeValue::Table(table) => self.toml_table(path, table, base),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let at = item.span().start + base..item.span().end + base;
                    let item_path = join(path, &i.to_string());
                    self.places.insert(item_path.clone(), Place { key: at.clone(), value: at });
                    self.toml_value(&item_path, item, base);
                }
            }
            _ => {}
        }
    }

    /// Where the key at `path` and its value are written.
    pub fn get(&self, path: &[&str]) -> Option<&Place> {
        self.places.get(&path.join(&SEP.to_string()))
    }

    /// The key at `path`.
    pub fn key(&self, path: &[&str]) -> Option<Range<usize>> {
        self.get(path).map(|p| p.key.clone())
    }

    /// The value at `path`.
    pub fn value(&self, path: &[&str]) -> Option<Range<usize>> {
        self.get(path).map(|p| p.value.clone())
    }
}

impl Spans {
    /// The spans of YAML front matter `source`, which starts at byte `base`
    /// of its file, from the events of a YAML parser. `None` when it does
    /// not parse.
    pub fn yaml(source: &str, base: usize) -> Option<Self> {
        // The parser counts characters: the byte at which each one starts.
        let bytes: Vec<usize> = source.char_indices().map(|(i, _)| i).chain([source.len()]).collect();
        let at = |m: saphyr_parser::Marker| base + bytes.get(m.index()).copied().unwrap_or(source.len());
        let mut events = Vec::new();
        for event in saphyr_parser::Parser::new_from_str(source) {
            let (event, span) = event.ok()?;
            events.push((event, at(span.start)..at(span.end)));
        }
        let mut spans = Spans::default();
        let mut walk = YamlWalk { events: events.into_iter().peekable(), spans: &mut spans, depth: 0 };
        // The stream and document start, then the document's one node.
        while walk.events.next_if(|(e, _)| !is_node_start(e)).is_some() {}
        walk.node("")?;
        Some(spans)
    }
}

/// Whether `event` starts a node (a scalar, a list, a map or an alias).
fn is_node_start(event: &saphyr_parser::Event<'_>) -> bool {
    use saphyr_parser::Event;
    matches!(event, Event::Scalar(..) | Event::SequenceStart(..) | Event::MappingStart(..) | Event::Alias(_))
}

/// A walk over a YAML document's events that records where each node is.
struct YamlWalk<'s, I: Iterator> {
    events: std::iter::Peekable<I>,
    spans: &'s mut Spans,
    /// How many lists and maps the walk is inside.
    depth: usize,
}

/// As deep as lists and maps may nest (serde_norway's own limit): deeper
/// front matter has no spans rather than overflowing the stack.
const MAX_DEPTH: usize = 128;

impl<'i, I: Iterator<Item = (saphyr_parser::Event<'i>, Range<usize>)>> YamlWalk<'_, I> {
    /// Reads one node whose path is `path` and returns where its value is
    /// written: a scalar as written (with its quotes), a list or map from
    /// its start to the end of its last item.
    fn node(&mut self, path: &str) -> Option<Range<usize>> {
        use saphyr_parser::Event;
        let (event, span) = self.events.next()?;
        let nested = matches!(event, Event::SequenceStart(..) | Event::MappingStart(..));
        if !nested {
            return matches!(event, Event::Scalar(..) | Event::Alias(_)).then_some(span);
        }
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let found = self.collection(path, event, span);
        self.depth -= 1;
        found
    }

    /// Reads the items of a list or the entries of a map that `event` starts.
    fn collection(
        &mut self,
        path: &str,
        event: saphyr_parser::Event<'i>,
        span: Range<usize>,
    ) -> Option<Range<usize>> {
        use saphyr_parser::Event;
        match event {
            Event::SequenceStart(..) => {
                let mut end = span.end;
                let mut i = 0;
                while self.events.next_if(|(e, _)| *e == Event::SequenceEnd).is_none() {
                    let item_path = join(path, &i.to_string());
                    let item = self.node(&item_path)?;
                    end = end.max(item.end);
                    self.spans.places.insert(item_path, Place { key: item.clone(), value: item });
                    i += 1;
                }
                Some(span.start..end)
            }
            Event::MappingStart(..) => {
                let mut end = span.end;
                while self.events.next_if(|(e, _)| *e == Event::MappingEnd).is_none() {
                    let (key, key_span) = match self.events.peek()? {
                        (Event::Scalar(key, ..), key_span) => (key.to_string(), key_span.clone()),
                        // A key that is a list or a map names nothing Lode reads.
                        _ => (String::new(), 0..0),
                    };
                    // (A key that is a list or a map is walked under a path no key has.)
                    self.node(&join(path, "\0"))?;
                    let value_path = join(path, &key);
                    let value = self.node(&value_path)?;
                    end = end.max(value.end);
                    if !key.is_empty()
                        && let Some(first) = self
                            .spans
                            .places
                            .insert(value_path.clone(), Place { key: key_span.clone(), value })
                    {
                        self.spans.duplicates.push((value_path.replace(SEP, "."), first.key, key_span));
                    }
                }
                Some(span.start..end)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_spans_are_byte_ranges_of_the_file_after_any_multibyte_text() {
        let source = "title: \"Ünïcödé\"\nextra:\n  note: é\n  list: [a, 'b']\n";
        let spans = Spans::yaml(source, 4).unwrap();
        let at = |r: Range<usize>| &source[r.start - 4..r.end - 4];
        assert_eq!(at(spans.key(&["title"]).unwrap()), "title");
        assert_eq!(at(spans.value(&["title"]).unwrap()), "\"Ünïcödé\"");
        assert_eq!(at(spans.key(&["extra", "note"]).unwrap()), "note");
        assert_eq!(at(spans.value(&["extra", "list", "1"]).unwrap()), "'b'");
    }

    #[test]
    fn nesting_deeper_than_serde_norway_reads_has_no_spans_and_no_overflow() {
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(Spans::yaml(&deep, 0).is_none());
        assert!(Spans::yaml("a: [[1]]\n", 0).is_some());
    }
}
