//! Incremental planning: what a rebuild must produce again, from what each
//! output read last time ([`crate::deps`]) and what changed since.
//!
//! Every output (a page, a check, a note's revision entries, a note's link
//! preview) is produced inside [`deps::capture`]; its reads are stored here
//! as [`Dep`]s, keyed by what outlives a build (a note's path, a tag's
//! slug, a folded name), not by this build's indices. Each rebuild
//! fingerprints every [`Dep`] of the site ([`Fingerprints::of`], linear in
//! notes and links) and compares with the last build's: an output is
//! produced again exactly when one of its reads changed, or when it is new.
//! There is no rule here about which page shows what: only the recorders
//! in the renderers and checks say what they read.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::content::Note;
use crate::deps::{Facet, Read};
use crate::graph::Neighbours;
use crate::hash::{Fnv, FnvBuild, fnv1a64};
use crate::links::{LinkGraph, Part, Target};
use crate::render::Views;
use crate::site::{NoteId, Site, fold};

/// A read that outlives the build it was made in: [`Read`] with notes
/// and collections named by FNV-1a 64 of their path (a collection's
/// `_index.md`'s), tags by that of their slug, names by that of the
/// folded name.
pub type Dep = Read<u64, u64>;

/// The key of a note, collection, name or output: FNV-1a 64 of its text.
pub fn key(text: &str) -> u64 {
    fnv1a64(text.as_bytes())
}

/// A hasher's result for one value.
fn hash_of(value: impl Hash) -> u64 {
    let mut h = Fnv::default();
    value.hash(&mut h);
    h.finish()
}

/// The keys of this build's notes, by index.
pub struct Keys(Vec<u64>);

impl Keys {
    /// The key of every note of `site`.
    pub fn of(site: &Site) -> Keys {
        Keys(site.notes.iter().map(|n| key(n.path.as_str())).collect())
    }

    /// The key of note `id`.
    pub fn note(&self, id: NoteId) -> u64 {
        self.0[id.index()]
    }

    /// Forgets the outputs in `memo` of notes that are gone (when it holds
    /// more than there are notes).
    pub fn forget_gone<V>(&self, memo: &mut Memo<V>) {
        if memo.len() > self.0.len() {
            let here: HashSet<u64, FnvBuild> = self.0.iter().copied().collect();
            memo.retain(|k| here.contains(&k));
        }
    }

    /// `reads` (made while rendering `site`) as [`Dep`]s. A read whose
    /// index `site` does not have is left out: it can only come from work
    /// of another build that ran on the same thread while the output was
    /// made (see [`crate::deps::capture`]), not from the output itself.
    pub fn deps(&self, site: &Site, reads: &[Read]) -> Vec<Dep> {
        let mut deps: Vec<Dep> = reads
            .iter()
            .filter_map(|r| {
                Some(match r {
                    Read::Note(facet, i) => Dep::Note(*facet, *self.0.get(*i as usize)?),
                    Read::Members(c) => Dep::Members(self.note(site.collections.get(*c as usize)?.index)),
                    Read::Tag(t) => Dep::Tag(key(&site.tags.get(*t as usize)?.slug)),
                    Read::Name(name) => Dep::Name(key(name)),
                    Read::Notes => Dep::Notes,
                    Read::Site => Dep::Site,
                    Read::Tags => Dep::Tags,
                    Read::Timeline => Dep::Timeline,
                    Read::Changes => Dep::Changes,
                    Read::Corrections => Dep::Corrections,
                })
            })
            .collect();
        deps.sort_unstable();
        deps.dedup();
        deps
    }
}

/// Hashes of one parsed note, computed once per parse (the note is shared
/// between rebuilds until it is read again).
#[derive(Clone, Copy)]
struct NoteHashes {
    /// The whole file.
    text: u64,
    /// The front matter.
    front: u64,
    /// The front matter and the body's flashcards.
    study: u64,
    /// The sentences around its links, body and explanations.
    contexts: u64,
}

impl NoteHashes {
    fn of(note: &Note) -> NoteHashes {
        let front = fnv1a64(note.text.get(..note.body_start).unwrap_or_default().as_bytes());
        let body = note.body();
        let study = hash_of((
            front,
            note.cards.iter().map(|c| (&c.id, body.get(c.span.clone()))).collect::<Vec<_>>(),
        ));
        let mut contexts = Fnv::default();
        for scan in std::iter::once(&note.scan).chain(&note.explanation_scans) {
            for link in &scan.links {
                (link.context.before(), link.context.text(), link.context.after()).hash(&mut contexts);
            }
            u8::MAX.hash(&mut contexts);
        }
        NoteHashes { text: fnv1a64(note.text.as_bytes()), front, study, contexts: contexts.finish() }
    }
}

/// The hashes of the notes last seen, by path, with the note they were
/// computed for (held, so that its address is never another note's).
#[derive(Default)]
pub struct HashCache(HashMap<String, (Arc<Note>, NoteHashes)>);

impl HashCache {
    fn get(&mut self, note: &Arc<Note>) -> NoteHashes {
        match self.0.get(note.path.as_str()) {
            Some((seen, hashes)) if Arc::ptr_eq(seen, note) => *hashes,
            _ => {
                let hashes = NoteHashes::of(note);
                self.0.insert(note.path.as_str().to_string(), (Arc::clone(note), hashes));
                hashes
            }
        }
    }

    /// Forgets the notes `site` no longer has.
    fn retain(&mut self, site: &Site) {
        if self.0.len() > site.notes.len() {
            let paths: HashSet<&str> = site.notes.iter().map(|n| n.path.as_str()).collect();
            self.0.retain(|p, _| paths.contains(p.as_str()));
        }
    }
}

/// The facets of a note, in the order of [`Fingerprints`]' table.
const FACETS: [Facet; 8] = [
    Facet::Text,
    Facet::Card,
    Facet::Study,
    Facet::Contexts,
    Facet::Links,
    Facet::Linkers,
    Facet::Neighbours,
    Facet::Pager,
];

/// Who claims each folded name, by kind and exact spelling: what a lookup
/// by that name (a link, `note(name=…)`, a check) can find. Names are
/// keyed by FNV-1a 64 of the folded name.
type Names = HashMap<u64, u64, FnvBuild>;

/// The fingerprint of every [`Dep`] of a build: a table of each note's
/// facets (by note index, with the notes' keys), the names, and a map of
/// the rest (collections, tags, site-wide reads).
#[derive(Default)]
pub struct Fingerprints {
    keys: Vec<u64>,
    notes: Vec<[u64; FACETS.len()]>,
    names: Arc<Names>,
    other: HashMap<Dep, u64, FnvBuild>,
}

impl Fingerprints {
    /// Fingerprints every [`Dep`] of `site`. `changes` is the hash of what
    /// `/changes/` lists (see [`crate::changes::recent`]). `names` are the
    /// last build's names when the index was patched (no name can have
    /// changed: see [`crate::site::index_fingerprint`]).
    #[allow(clippy::too_many_arguments)]
    pub fn of(
        site: &Site,
        keys: &Keys,
        graph: &LinkGraph,
        nb: &Neighbours,
        views: &Views,
        cache: &mut HashCache,
        changes: u64,
        names: Option<&Fingerprints>,
    ) -> Fingerprints {
        use rayon::prelude::*;

        cache.retain(site);
        let hashes: Vec<NoteHashes> = site.notes.iter().map(|n| cache.get(n)).collect();
        let mut pager = vec![0u64; site.notes.len()];
        let mut other: HashMap<Dep, u64, FnvBuild> = HashMap::default();
        for c in &site.collections {
            let members: Vec<u64> = c.notes.iter().map(|n| keys.note(*n)).collect();
            for (i, n) in c.notes.iter().enumerate() {
                pager[n.index()] = hash_of((i.checked_sub(1).map(|p| members[p]), members.get(i + 1)));
            }
            other.insert(Dep::Members(keys.note(c.index)), hash_of(members));
        }
        let notes: Vec<[u64; FACETS.len()]> = site
            .ids()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|id| {
                let h = hashes[id.index()];
                let note = site.note(id);
                let collection = site.collection_of[id.index()]
                    .map(|c| site.note(site.collections[c].index).title.as_str());
                // Its tags: the front matter's and the body's inline ones.
                let card =
                    hash_of((h.front, &note.title, site.permalink(id).as_str(), collection, note.tags()));
                let mut links = Fnv::default();
                let parts = std::iter::once(Part::Body)
                    .chain((0..graph.explanations[id.index()].len()).map(Part::Explanation));
                for part in parts {
                    for target in graph.targets(id, part) {
                        match target {
                            None => 0u8.hash(&mut links),
                            Some(Target::Note { id: to, anchor }) => {
                                (1u8, keys.note(*to), anchor).hash(&mut links)
                            }
                            Some(Target::Asset(path)) => (2u8, path).hash(&mut links),
                        }
                    }
                    u8::MAX.hash(&mut links);
                }
                let mut linkers = Fnv::default();
                for b in &graph.backlinks[id.index()] {
                    (keys.note(b.from), part_index(b.part), b.link).hash(&mut linkers);
                }
                // A set: the sum of its members' mixed keys, and its size.
                let around = nb.of(id);
                let sum = around.iter().fold(0u64, |s, n| s.wrapping_add(hash_of(keys.note(*n))));
                let neighbours = hash_of((sum, around.len()));
                [
                    h.text,
                    card,
                    h.study,
                    h.contexts,
                    links.finish(),
                    linkers.finish(),
                    neighbours,
                    pager[id.index()],
                ]
            })
            .collect();
        let mut all = Fnv::default();
        let mut corrections = Fnv::default();
        site.home.map(|h| keys.note(h)).hash(&mut all);
        for id in site.ids() {
            (keys.note(id), site.permalink(id).as_str()).hash(&mut all);
            if !site.note(id).scan.corrections.is_empty() {
                (keys.note(id), hashes[id.index()].text).hash(&mut corrections);
            }
        }
        let mut tags = Fnv::default();
        for t in &site.tags {
            (&t.name, &t.slug, t.members().len()).hash(&mut tags);
            let mut h = Fnv::default();
            t.name.hash(&mut h);
            for n in t.notes.iter().chain(if t.children.is_empty() { &[][..] } else { t.members() }) {
                keys.note(*n).hash(&mut h);
            }
            // A tag's page names its parents and its children with their counts.
            let mut up = t.parent;
            while let Some(p) = up {
                site.tags[p].name.hash(&mut h);
                up = site.tags[p].parent;
            }
            for c in &t.children {
                (&site.tags[*c].name, &site.tags[*c].slug, site.tags[*c].members().len()).hash(&mut h);
            }
            other.insert(Dep::Tag(key(&t.slug)), h.finish());
        }
        let names = match names {
            Some(last) => Arc::clone(&last.names),
            None => Arc::new(names_of(site, keys)),
        };
        other.insert(Dep::Notes, all.finish());
        other.insert(Dep::Tags, tags.finish());
        other.insert(Dep::Site, views.site_fingerprint());
        other.insert(Dep::Timeline, views.timeline_fingerprint());
        other.insert(Dep::Changes, changes);
        other.insert(Dep::Corrections, corrections.finish());
        Fingerprints { keys: keys.0.clone(), notes, names, other }
    }

    /// Every fingerprint, as a map (for comparing builds whose notes differ).
    fn map(&self) -> HashMap<Dep, u64, FnvBuild> {
        let mut map = self.other.clone();
        for (k, row) in self.keys.iter().zip(&self.notes) {
            for (facet, fp) in FACETS.iter().zip(row) {
                map.insert(Dep::Note(*facet, *k), *fp);
            }
        }
        map
    }

    /// The [`Dep`]s whose fingerprint differs from `old`'s, or that only one has.
    pub fn changed(&self, old: &Fingerprints) -> HashSet<Dep, FnvBuild> {
        let mut out: HashSet<Dep, FnvBuild> = HashSet::default();
        let diff = |new: &HashMap<Dep, u64, FnvBuild>,
                    old: &HashMap<Dep, u64, FnvBuild>,
                    out: &mut HashSet<Dep, FnvBuild>| {
            out.extend(new.iter().filter(|(d, fp)| old.get(*d) != Some(*fp)).map(|(d, _)| *d));
            out.extend(old.keys().filter(|d| !new.contains_key(*d)));
        };
        if self.keys == old.keys {
            for ((k, new), old) in self.keys.iter().zip(&self.notes).zip(&old.notes) {
                for ((facet, a), b) in FACETS.iter().zip(new).zip(old) {
                    if a != b {
                        out.insert(Dep::Note(*facet, *k));
                    }
                }
            }
            diff(&self.other, &old.other, &mut out);
        } else {
            diff(&self.map(), &old.map(), &mut out);
        }
        if !Arc::ptr_eq(&self.names, &old.names) {
            out.extend(
                self.names.iter().filter(|(n, c)| old.names.get(*n) != Some(*c)).map(|(n, _)| Dep::Name(*n)),
            );
            out.extend(old.names.keys().filter(|n| !self.names.contains_key(*n)).map(|n| Dep::Name(*n)));
        }
        out
    }
}

/// Who claims each folded name of `site` (see [`Names`]); drafts claim theirs too.
fn names_of(site: &Site, keys: &Keys) -> Names {
    let mut names = Names::default();
    for id in site.ids() {
        for (kind, name) in crate::site::names_of(site.note(id)) {
            let claim = hash_of((kind as u8, name, keys.note(id)));
            let sum = names.entry(key(&fold(name))).or_default();
            *sum = sum.wrapping_add(claim);
        }
    }
    for name in &site.draft_names {
        let sum = names.entry(key(name)).or_default();
        *sum = sum.wrapping_add(hash_of("a draft"));
    }
    names
}

fn part_index(part: Part) -> usize {
    match part {
        Part::Body => 0,
        Part::Explanation(q) => q + 1,
    }
}

/// Outputs made earlier, each with what it read, by a key of the
/// caller's (FNV-1a 64 of an output file's path, of a check's name, a
/// note's key), and for each [`Dep`] the outputs that read it.
pub struct Memo<V> {
    made: HashMap<u64, (Vec<Dep>, V), FnvBuild>,
    /// The outputs that read each dep. It may name an output that no
    /// longer reads it, or is gone: that output is only made again for nothing.
    readers: HashMap<Dep, Vec<u64>, FnvBuild>,
}

/// The outputs of a [`Memo`] to make again: `None` for all of them.
pub type Stale = Option<HashSet<u64, FnvBuild>>;

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Memo { made: HashMap::default(), readers: HashMap::default() }
    }
}

impl<V> Memo<V> {
    /// The outputs that read something in `changed` (`None`: everything
    /// changed, and the memo is emptied).
    pub fn stale(&mut self, changed: Option<&HashSet<Dep, FnvBuild>>) -> Stale {
        let Some(changed) = changed else {
            self.made.clear();
            self.readers.clear();
            return None;
        };
        Some(changed.iter().filter_map(|d| self.readers.get(d)).flatten().copied().collect())
    }

    /// The output `key` as last made, unless it is new or `stale`.
    pub fn fresh(&self, key: u64, stale: &Stale) -> Option<&V> {
        let (_, value) = self.made.get(&key)?;
        stale.as_ref().is_some_and(|s| !s.contains(&key)).then_some(value)
    }

    /// The output `key` as last made, if it was.
    pub fn get(&self, key: u64) -> Option<&V> {
        self.made.get(&key).map(|(_, v)| v)
    }

    /// Keeps `value`, made from what `deps` (sorted) names, as output `key`.
    pub fn insert(&mut self, key: u64, deps: Vec<Dep>, value: V) {
        let old = self.made.get(&key).map(|(d, _)| d.as_slice()).unwrap_or_default();
        for dep in &deps {
            if old.binary_search(dep).is_err() {
                self.readers.entry(*dep).or_default().push(key);
            }
        }
        self.made.insert(key, (deps, value));
    }

    /// Forgets every output but those `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(u64) -> bool) {
        self.made.retain(|k, _| keep(*k));
    }

    /// The outputs kept.
    pub fn keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.made.keys().copied()
    }

    /// How many outputs are kept.
    pub fn len(&self) -> usize {
        self.made.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::content::{SourceFile, SourcePath};

    #[test]
    fn a_read_of_a_note_this_build_lacks_is_left_out() {
        // On a shared rayon pool, a thread waiting inside one build's capture
        // can run a job of another build: its indices are not this site's.
        let file = SourceFile { path: SourcePath::new("a.md"), text: "# A\n".into() };
        let (note, _) = crate::content::parse(file).expect("a note");
        let site = Site::index(Config::default(), vec![Arc::new(note)], Vec::new()).expect("a site");
        let keys = Keys::of(&site);
        let reads = [Read::Note(Facet::Card, 0), Read::Note(Facet::Card, 2), Read::Members(5), Read::Tag(3)];
        assert_eq!(keys.deps(&site, &reads), vec![Dep::Note(Facet::Card, key("a.md"))]);
    }
}
