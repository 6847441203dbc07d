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

/// The key of a note, collection or name: FNV-1a 64 of its text.
fn key(text: &str) -> u64 {
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

    fn note(&self, id: NoteId) -> u64 {
        self.0[id.index()]
    }

    /// `reads` (made while rendering `site`) as [`Dep`]s.
    pub fn deps(&self, site: &Site, reads: &[Read]) -> Vec<Dep> {
        let mut deps: Vec<Dep> = reads
            .iter()
            .map(|r| match r {
                Read::Note(facet, i) => Dep::Note(*facet, self.0[*i as usize]),
                Read::Members(c) => Dep::Members(self.note(site.collections[*c as usize].index)),
                Read::Tag(t) => Dep::Tag(key(&site.tags[*t as usize].slug)),
                Read::Name(name) => Dep::Name(key(name)),
                Read::Notes => Dep::Notes,
                Read::Site => Dep::Site,
                Read::Tags => Dep::Tags,
                Read::Timeline => Dep::Timeline,
                Read::Changes => Dep::Changes,
                Read::Corrections => Dep::Corrections,
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
}

impl NoteHashes {
    fn of(note: &Note) -> NoteHashes {
        let front = fnv1a64(note.text.get(..note.body_start).unwrap_or_default().as_bytes());
        let body = note.body();
        let study = hash_of((
            front,
            note.cards.iter().map(|c| (&c.id, body.get(c.span.clone()))).collect::<Vec<_>>(),
        ));
        NoteHashes { text: fnv1a64(note.text.as_bytes()), front, study }
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

/// The fingerprint of every [`Dep`] of a build.
#[derive(Default)]
pub struct Fingerprints(HashMap<Dep, u64, FnvBuild>);

impl Fingerprints {
    /// Fingerprints every [`Dep`] of `site`. `changes` is the hash of what
    /// `/changes/` lists (see [`crate::changes::recent`]).
    pub fn of(
        site: &Site,
        graph: &LinkGraph,
        nb: &Neighbours,
        views: &Views,
        cache: &mut HashCache,
        changes: u64,
    ) -> Fingerprints {
        cache.retain(site);
        let keys = Keys::of(site);
        let mut map: HashMap<Dep, u64, FnvBuild> =
            HashMap::with_capacity_and_hasher(site.notes.len() * 8, FnvBuild::default());
        let mut corrections = Fnv::default();
        let mut notes = Fnv::default();
        site.home.map(|h| keys.note(h)).hash(&mut notes);
        for id in site.ids() {
            let k = keys.note(id);
            let note = site.note(id);
            let hashes = cache.get(&site.notes[id.index()]);
            let permalink = site.permalink(id).as_str();
            (k, permalink).hash(&mut notes);
            map.insert(Dep::Note(Facet::Text, k), hashes.text);
            map.insert(Dep::Note(Facet::Study, k), hashes.study);
            let collection =
                site.collection_of[id.index()].map(|c| site.note(site.collections[c].index).title.as_str());
            map.insert(
                Dep::Note(Facet::Card, k),
                hash_of((hashes.front, &note.title, permalink, collection)),
            );
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
            map.insert(Dep::Note(Facet::Links, k), links.finish());
            let linkers =
                graph.backlinks[id.index()].iter().map(|b| (keys.note(b.from), part_index(b.part), b.link));
            map.insert(Dep::Note(Facet::Linkers, k), hash_of(linkers.collect::<Vec<_>>()));
            // A set: the sum of its members' mixed keys, and its size.
            let around = nb.of(id);
            let sum = around.iter().fold(0u64, |s, n| s.wrapping_add(hash_of(keys.note(*n))));
            map.insert(Dep::Note(Facet::Neighbours, k), hash_of((sum, around.len())));
            if !note.scan.corrections.is_empty() {
                (k, hashes.text).hash(&mut corrections);
            }
        }
        for c in &site.collections {
            let members: Vec<u64> = c.notes.iter().map(|n| keys.note(*n)).collect();
            for (i, n) in c.notes.iter().enumerate() {
                let prev = i.checked_sub(1).map(|p| members[p]);
                map.insert(Dep::Note(Facet::Pager, keys.note(*n)), hash_of((prev, members.get(i + 1))));
            }
            map.insert(Dep::Members(keys.note(c.index)), hash_of(members));
        }
        let mut tags = Fnv::default();
        for t in &site.tags {
            (&t.name, &t.slug, t.notes.len()).hash(&mut tags);
            let members: Vec<u64> = t.notes.iter().map(|n| keys.note(*n)).collect();
            map.insert(Dep::Tag(key(&t.slug)), hash_of((&t.name, members)));
        }
        // Who claims each folded name, by kind and exact spelling: what a
        // lookup by that name (a link, `note(name=…)`, a check) can find.
        let mut names: HashMap<String, u64> = HashMap::new();
        for id in site.ids() {
            for (kind, name) in crate::site::names_of(site.note(id)) {
                let claim = hash_of((kind as u8, name, keys.note(id)));
                let sum = names.entry(fold(name)).or_default();
                *sum = sum.wrapping_add(claim);
            }
        }
        for name in &site.draft_names {
            let sum = names.entry(name.clone()).or_default();
            *sum = sum.wrapping_add(hash_of("a draft"));
        }
        for (name, claims) in names {
            map.insert(Dep::Name(key(&name)), claims);
        }
        map.insert(Dep::Notes, notes.finish());
        map.insert(Dep::Tags, tags.finish());
        map.insert(Dep::Site, views.site_fingerprint());
        map.insert(Dep::Timeline, views.timeline_fingerprint());
        map.insert(Dep::Changes, changes);
        map.insert(Dep::Corrections, corrections.finish());
        Fingerprints(map)
    }

    /// The [`Dep`]s whose fingerprint differs from `old`'s, or that only one has.
    pub fn changed(&self, old: &Fingerprints) -> HashSet<Dep, FnvBuild> {
        let mut out: HashSet<Dep, FnvBuild> = HashSet::default();
        for (dep, fp) in &self.0 {
            if old.0.get(dep) != Some(fp) {
                out.insert(*dep);
            }
        }
        out.extend(old.0.keys().filter(|d| !self.0.contains_key(*d)));
        out
    }
}

fn part_index(part: Part) -> usize {
    match part {
        Part::Body => 0,
        Part::Explanation(q) => q + 1,
    }
}

/// Outputs made earlier, each with what it read, by a key of the
/// caller's (an output file's path, a check's name, a note's path).
pub struct Memo<K, V>(HashMap<K, (Vec<Dep>, V)>);

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo(HashMap::new())
    }
}

impl<K: Hash + Eq, V> Memo<K, V> {
    /// The output `key` as last made, unless it must be made again: it is
    /// new, or something it read is in `changed` (`None`: everything changed).
    pub fn fresh(&self, key: &K, changed: Option<&HashSet<Dep, FnvBuild>>) -> Option<&V> {
        let (deps, value) = self.0.get(key)?;
        let changed = changed?;
        (!deps.iter().any(|d| changed.contains(d))).then_some(value)
    }

    /// The output `key` as last made, if it was.
    pub fn get(&self, key: &K) -> Option<&V> {
        self.0.get(key).map(|(_, v)| v)
    }

    /// Keeps `value`, made from what `deps` names, as output `key`.
    pub fn insert(&mut self, key: K, deps: Vec<Dep>, value: V) {
        self.0.insert(key, (deps, value));
    }

    /// Forgets every output but those `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&K) -> bool) {
        self.0.retain(|k, _| keep(k));
    }

    /// The outputs kept.
    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.0.keys()
    }
}
