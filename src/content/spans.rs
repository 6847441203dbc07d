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
