//! "What changed since your last visit": the record `static/changes.js`
//! compares with what a reader saw last time, and the dates `/changes/`
//! lists.
//!
//! Every build writes [`DATA_FILE`]: for each note (by permalink) an FNV-1a
//! hash of its file, a hash of each section's text (by heading id: from the
//! heading to the next heading of any level, so an edit under a sub-heading
//! marks that sub-heading alone), and the day it last changed. That day
//! comes from the site's git history when the site is in a git repository
//! (the last commit on the first-parent line that changed the note's file,
//! read with `gix`), else from the note's front-matter `updated` or `date`.
//! A shallow clone, a missing parent, or no repository at all only means
//! fewer dates from git, never a failed build.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::hash::fnv1a64;
use crate::site::{NoteId, Site};

/// Where the record goes in the output (read by `static/changes.js`).
pub const DATA_FILE: &str = "_lode/changes.json";

/// The permalink of the page listing recent changes (its feed is `changes/atom.xml`).
pub const PAGE: &str = "changes/";

/// How many entries `changes/atom.xml` and the site's `atom.xml` carry, newest first.
pub const FEED_ENTRIES: usize = 50;

/// How many notes `/changes/` lists, newest first: MediaWiki's "Recent
/// changes" shows at most 500 a page too. Every note stays reachable from its
/// collection's list; the page says how many it leaves out. At 100,000 dated
/// notes the whole list was a 21 MB page, and a third of a build's memory.
pub const PAGE_ENTRIES: usize = 500;

/// How many commits the history walk reads at most: enough for years of a
/// site's life, and a bound on the time a huge repository can take.
const MAX_COMMITS: usize = 20_000;

/// What the build records of one note.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NoteRecord {
    /// The note's title (for the browser's "Changed since your last visit" list).
    pub title: String,
    /// FNV-1a 64 of the whole file, as 16 hex digits.
    pub hash: String,
    /// Heading id → FNV-1a 64 of its section's text, in the order of the note.
    pub sections: serde_json::Map<String, serde_json::Value>,
    /// When it last changed: an RFC 3339 date-time from git, else the
    /// front matter's `updated` or `date` as written; `None` when unknown.
    pub changed: Option<String>,
    /// Where `changed` came from: `"git"` or `"front matter"`.
    pub source: Option<&'static str>,
}

/// A note's record and its JSON in [`DATA_FILE`], made once per change of the note.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The record.
    pub record: NoteRecord,
    /// `record` as JSON.
    pub json: String,
}

/// The whole record, by permalink (sorted, so the file is the same on every build).
pub type Record = BTreeMap<String, Arc<Entry>>;

fn hex(bytes: &[u8]) -> String {
    format!("{:016x}", fnv1a64(bytes))
}

/// What the record holds of note `id`, with its JSON.
pub fn entry(site: &Site, id: NoteId, git: &HashMap<String, String>) -> Entry {
    let record = record_note(site, id, git);
    let json = serde_json::to_string(&record).unwrap_or_else(|_| "{}".into());
    Entry { record, json }
}

/// What the record holds of note `id` (see [`Record`]), before it is serialized.
pub fn record_note(site: &Site, id: NoteId, git: &HashMap<String, String>) -> NoteRecord {
    let note = site.note(id);
    let body = note.body();
    let sections = note
        .scan
        .headings
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let end = note.scan.headings.get(i + 1).map_or(body.len(), |next| next.span.start);
            let text = body.get(h.span.start..end.max(h.span.start)).unwrap_or_default();
            (h.id.clone(), serde_json::Value::String(hex(text.as_bytes())))
        })
        .collect();
    let (changed, source) = match git.get(note.path.as_str()) {
        Some(date) => (Some(date.clone()), Some("git")),
        None => match note.front.updated.as_ref().or(note.front.date.as_ref()) {
            Some(date) => (Some(date.clone()), Some("front matter")),
            None => (None, None),
        },
    };
    NoteRecord { title: note.title.clone(), hash: hex(note.text.as_bytes()), sections, changed, source }
}

/// The record as the JSON of [`DATA_FILE`]: `{"version": 1, "notes":
/// {permalink: {…}}}`, from each note's JSON as made ([`Entry::json`]).
pub fn data_file(record: &Record) -> String {
    let mut out = String::with_capacity(record.values().map(|e| e.json.len() + 64).sum::<usize>() + 32);
    out.push_str("{\"version\":1,\"notes\":{");
    for (i, (permalink, entry)) in record.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(permalink).unwrap_or_default());
        out.push(':');
        out.push_str(&entry.json);
    }
    out.push_str("}}");
    out
}

/// The notes with a date, most recently changed first (ties by permalink):
/// what `/changes/` and its feed list, with `changed` made RFC 3339 by
/// `rfc3339` (front-matter dates are written many ways).
pub fn recent(record: &Record, rfc3339: fn(&str) -> String) -> Vec<(&str, &NoteRecord, String)> {
    let mut dated: Vec<(&str, &NoteRecord, String)> = record
        .iter()
        .filter_map(|(p, e)| Some((p.as_str(), &e.record, rfc3339(e.record.changed.as_deref()?))))
        .collect();
    dated.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)));
    dated
}

/// The last-change dates git knows for a site's notes, kept between
/// rebuilds of `lode serve` and read again only when `HEAD` moves.
#[derive(Default)]
pub struct GitDates {
    /// The commit the dates were read at, and the dates by note path
    /// (relative to `content/`).
    read: Option<(String, HashMap<String, String>)>,
}

impl GitDates {
    /// The dates of the notes at `paths` (relative to `content_dir`), from
    /// the history of the git repository `content_dir` is in; empty when it
    /// is in none, or its `HEAD` has no commit.
    pub fn dates(&mut self, content_dir: &Path, paths: &[&str]) -> &HashMap<String, String> {
        let head = gix::discover(content_dir)
            .ok()
            .and_then(|repo| repo.head_id().ok().map(|id| id.detach().to_string()));
        let stale = match (&self.read, &head) {
            (Some((at, _)), Some(head)) => at != head,
            (None, Some(_)) => true,
            (_, None) => {
                self.read = None;
                false
            }
        };
        if stale {
            let dates = last_changes(content_dir, paths).unwrap_or_default();
            self.read = Some((head.unwrap_or_default(), dates));
        }
        static EMPTY: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
        match &self.read {
            Some((_, dates)) => dates,
            None => EMPTY.get_or_init(HashMap::new),
        }
    }
}

/// Walks the first-parent history from `HEAD`, newest first: a note's date
/// is the committer time of the first commit whose tree has a different
/// blob at the note's path than its parent's (or whose parent is missing:
/// the root commit, or a shallow clone's boundary). Trees are compared from
/// the content folder down, skipping every subtree whose id did not change,
/// so a commit costs what it changed, not the size of the site.
fn last_changes(content_dir: &Path, paths: &[&str]) -> Option<HashMap<String, String>> {
    let repo = gix::discover(content_dir).ok()?;
    let workdir = repo.workdir()?;
    let content = std::fs::canonicalize(content_dir).ok()?;
    let prefix = content.strip_prefix(std::fs::canonicalize(workdir).ok()?).ok()?.to_path_buf();
    let mut left: std::collections::HashSet<&str> = paths.iter().copied().collect();
    let mut found = HashMap::new();
    let mut commit = repo.head_commit().ok()?;
    // The id of the content folder's tree in a commit's tree.
    let content_tree = |tree: gix::Tree<'_>| -> Option<gix::ObjectId> {
        if prefix.as_os_str().is_empty() {
            return Some(tree.id);
        }
        tree.lookup_entry_by_path(&prefix)
            .ok()
            .flatten()
            .filter(|e| e.mode().is_tree())
            .map(|e| e.object_id())
    };
    let mut changed = Vec::new();
    for _ in 0..MAX_COMMITS {
        if left.is_empty() {
            break;
        }
        let now = commit.tree().ok().and_then(content_tree);
        let parent =
            commit.parent_ids().next().and_then(|id| id.object().ok()).and_then(|o| o.try_into_commit().ok());
        let before = parent.as_ref().and_then(|p| p.tree().ok()).and_then(content_tree);
        if let Some(now) = now.filter(|now| Some(*now) != before) {
            changed.clear();
            changed_blobs(&repo, now, before, "", &mut changed);
            let when = commit.time().ok().map(|t| rfc3339_utc(t.seconds));
            for path in &changed {
                if let (Some(when), true) = (&when, left.remove(path.as_str())) {
                    found.insert(path.clone(), when.clone());
                }
            }
        }
        match parent {
            Some(p) => commit = p,
            None => break,
        }
    }
    Some(found)
}

/// The paths (under `base`) of the blobs in tree `now` that tree `before`
/// lacks or holds with other contents, descending only into subtrees whose
/// ids differ. Unreadable objects are skipped.
fn changed_blobs(
    repo: &gix::Repository,
    now: gix::ObjectId,
    before: Option<gix::ObjectId>,
    base: &str,
    out: &mut Vec<String>,
) {
    if Some(now) == before {
        return;
    }
    let entries = |id: gix::ObjectId| -> Vec<(String, gix::ObjectId, bool)> {
        let Ok(tree) = repo.find_tree(id) else { return Vec::new() };
        tree.iter()
            .filter_map(Result::ok)
            .map(|e| (e.filename().to_string(), e.oid().to_owned(), e.mode().is_tree()))
            .collect()
    };
    let old: HashMap<String, (gix::ObjectId, bool)> =
        before.map(entries).unwrap_or_default().into_iter().map(|(n, id, t)| (n, (id, t))).collect();
    for (name, id, is_tree) in entries(now) {
        let path = if base.is_empty() { name.clone() } else { format!("{base}/{name}") };
        let was = old.get(&name).filter(|(_, t)| *t == is_tree).map(|(id, _)| *id);
        if is_tree {
            changed_blobs(repo, id, was, &path, out);
        } else if was != Some(id) {
            out.push(path);
        }
    }
}

/// Seconds since the Unix epoch as an RFC 3339 date-time in UTC.
fn rfc3339_utc(seconds: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(seconds) {
        Ok(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Err(_) => "1970-01-01T00:00:00Z".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::rfc3339_utc;

    #[test]
    fn formats_unix_time_in_utc() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_736_078_400), "2025-01-05T12:00:00Z");
    }
}
