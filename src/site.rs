//! The index of the whole site, built before any Markdown is rendered:
//! permalinks, the names links may use, collections and tags.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::config::Config;
use crate::content::{Asset, Note, SourcePath, slugify, tag_slug};
use crate::diagnostics::{Diagnostic, Severity};

/// The position of a note in [`Site::notes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct NoteId(pub u32);

impl NoteId {
    /// The index into [`Site::notes`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A page's URL path relative to the site root, without a leading `/` and
/// ending in `/` (`minerals/lithium/`); the home page's is empty. The page
/// is written to `<permalink>index.html`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Permalink(String);

impl Permalink {
    /// Wraps a root-relative path; a missing trailing `/` is added.
    pub fn new(path: &str) -> Self {
        let path = path.trim_start_matches('/');
        if path.is_empty() || path.ends_with('/') {
            Permalink(path.to_string())
        } else {
            Permalink(format!("{path}/"))
        }
    }

    /// The path as text (`minerals/lithium/`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The output file of the page, relative to the output folder.
    pub fn output_file(&self) -> String {
        format!("{}index.html", self.0)
    }

    /// The relative URL from this page back to the site root: `../../` for
    /// `minerals/lithium/`, `` for the home page (mdBook's "path to root").
    pub fn path_to_root(&self) -> String {
        "../".repeat(self.0.matches('/').count())
    }
}

/// A folder with an `_index.md`: its notes are listed on its own page.
#[derive(Debug)]
pub struct Collection {
    /// The `_index.md` note.
    pub index: NoteId,
    /// The folder, relative to `content/` (`minerals`).
    pub folder: String,
    /// The member notes in the collection's sort order.
    pub notes: Vec<NoteId>,
    /// Its language, as its `_index.md`'s ([`SourcePath::language`]): its
    /// notes are the folder's notes in that language.
    pub language: u8,
}

/// A tag and the notes that carry it. Tags nest as in Obsidian: `a/b/c`
/// is a child of `a/b`, a child of `a`; each parent is a tag of its own
/// (with a page) even when no note names it alone.
#[derive(Debug, Serialize)]
pub struct Tag {
    /// The tag as first written (`Battery mineral`, `gs3/Economy`); a
    /// parent no note names alone, as the first child met writes it.
    pub name: String,
    /// Its slug (`battery-mineral`, `gs3/economy`: see
    /// [`crate::content::tag_slug`]); the tag's page is `tags/<slug>/`.
    pub slug: String,
    /// Notes carrying exactly this tag, by title.
    pub notes: Vec<NoteId>,
    /// Notes carrying it or a tag under it, by title, when it has children
    /// (else empty: see [`Tag::members`]).
    all: Vec<NoteId>,
    /// The tag it is under (`a` for `a/b`), by index in [`Site::tags`].
    pub parent: Option<usize>,
    /// The tags right under it, by index in [`Site::tags`], by slug.
    pub children: Vec<usize>,
    /// The language of the notes carrying it: each language has its own
    /// tags (a tag two languages share is one tag in each).
    pub language: u8,
    /// Its page (`tags/<slug>/`, `hi/tags/<slug>/` in another language).
    pub permalink: String,
    /// Where [`Tag::name`] was written: the note, and the index in its
    /// [`Note::tags`] of the tag that wrote it (for a parent no note names
    /// alone, the tag it begins).
    #[serde(skip)]
    pub written: (NoteId, u32),
    /// The other spellings of its slug, each differing from the name and
    /// from every earlier one other than by case (`rare earths` after
    /// `Rare-Earths`; `#lithium` after `#Lithium` is the same spelling), in
    /// the order met; a warning each (`check`).
    #[serde(skip)]
    pub others: Vec<Spelling>,
}

/// One spelling of a tag other than its name (see [`Tag::others`]).
#[derive(Debug)]
pub struct Spelling {
    /// As written (`rare earths`; for a parent, the first segments of the
    /// note's tag).
    pub name: String,
    /// The note, and the index in its [`Note::tags`] of the tag that writes it.
    pub at: (NoteId, u32),
}

impl Tag {
    /// The notes its page lists and its count: those carrying it or any
    /// tag under it, each once, by title. Obsidian's tag pane counts a
    /// parent so, and its search `tag:a` finds `#a/b` too.
    pub fn members(&self) -> &[NoteId] {
        if self.children.is_empty() { &self.notes } else { &self.all }
    }
}

/// Every note with its permalink, the names links may use, collections and tags.
#[derive(Debug)]
pub struct Site {
    /// `site.toml`.
    pub config: Config,
    /// Every note, in path order (shared with the serve cache, which re-parses only edited notes).
    pub notes: Vec<Arc<Note>>,
    /// `permalinks[id]` is the permalink of `notes[id]`.
    pub permalinks: Vec<Permalink>,
    /// Collections (folders with `_index.md`, the home page excluded), by their
    /// index notes' `weight` (none: last), then by folder.
    pub collections: Vec<Collection>,
    /// For each note, the collection it belongs to (as an index into
    /// `collections`). A note in another language whose folder has no
    /// collection in its language has the default language's (it is not
    /// among that collection's `notes`).
    pub collection_of: Vec<Option<usize>>,
    /// Tags by slug.
    pub tags: Vec<Tag>,
    /// `content/_index.md`, if present.
    pub home: Option<NoteId>,
    /// The languages' codes: the default first (`language`), then the
    /// others in code order ([`Config::other_languages`]); a note's
    /// [`SourcePath::language`] indexes it. One code for a site in one language.
    pub languages: Vec<String>,
    /// Each language's home page (`content/_index.md`, `content/_index.hi.md`).
    pub homes: Vec<Option<NoteId>>,
    /// A note's translations by [`SourcePath::base`], in language order;
    /// empty for a site in one language.
    translations: HashMap<String, Vec<NoteId>>,
    /// Lookup tables by [`NameKind`], best kind first.
    names: [Names<NoteId>; 3],
    by_path: HashMap<String, NoteId>,
    /// Non-Markdown files under `content/`, copied as they are.
    assets: Vec<Asset>,
    asset_by_path: HashMap<String, AssetId>,
    asset_names: Names<AssetId>,
    /// Folded names (title, aliases, file stem) of the notes left out as drafts.
    pub draft_names: std::collections::HashSet<String>,
    /// In a lenient site (a vault), the notes whose URL was taken, by another
    /// note or by one of Lode's own pages, with the permalink each wanted;
    /// [`Site::permalink`] gives the one it got (see `make_unique`).
    pub moved: Vec<(NoteId, Permalink)>,
    /// The images among the attachments: sizes and resized copies
    /// ([`crate::images`]), set by the build after indexing.
    pub images: Arc<crate::images::Images>,
}

/// The position of an attachment in [`Site::assets`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetId(pub u32);

impl AssetId {
    /// The index into [`Site::assets`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The kinds of name a wikilink may use for a note, best first. A link is
/// matched against one kind at a time (exactly, then case- and
/// Unicode-insensitively) and the first kind with a match decides, so that a
/// file name always outranks a title or alias: Obsidian resolves links by
/// file name alone (<https://help.obsidian.md/links>); titles and aliases are
/// Lode's additions, so they only count where no file has the name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// The file name without `.md` (`lithium`; a collection's folder name for its `_index.md`).
    Stem,
    /// The front matter's `title` and `aliases`.
    Declared,
    /// A title taken from the first `# heading`, or made from the file name.
    Derived,
}

impl NameKind {
    /// Every kind, best first.
    pub const ALL: [NameKind; 3] = [NameKind::Stem, NameKind::Declared, NameKind::Derived];
}

/// Names of one kind → the things carrying them, as written and folded ([`fold`]).
#[derive(Debug)]
struct Names<T> {
    exact: HashMap<String, Vec<T>>,
    folded: HashMap<String, Vec<T>>,
}

impl<T> Default for Names<T> {
    fn default() -> Self {
        Names { exact: HashMap::new(), folded: HashMap::new() }
    }
}

impl<T: Copy + Ord> Names<T> {
    fn insert(&mut self, name: &str, item: T) {
        if name.is_empty() {
            return;
        }
        for (table, key) in [(&mut self.exact, name.to_string()), (&mut self.folded, fold(name))] {
            let list = table.entry(key).or_default();
            if !list.contains(&item) {
                list.push(item);
            }
        }
    }

    fn exact(&self, name: &str) -> &[T] {
        self.exact.get(name).map_or(&[], Vec::as_slice)
    }

    fn folded(&self, name: &str) -> &[T] {
        self.folded.get(&fold(name)).map_or(&[], Vec::as_slice)
    }
}

/// Case- and Unicode-normalisation-insensitive form of a name.
pub fn fold(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    name.nfc().flat_map(char::to_lowercase).collect()
}

impl Site {
    /// Indexes `notes`: permalinks, lookup names, collections, tags.
    ///
    /// # Errors
    /// An error for every two notes that would write the same permalink, naming both files.
    pub fn index(config: Config, notes: Vec<Arc<Note>>, assets: Vec<Asset>) -> Result<Site, Vec<Diagnostic>> {
        let (site, errors) = Site::index_all(config, notes, assets);
        if errors.is_empty() { Ok(site) } else { Err(errors) }
    }

    /// [`Site::index`] for a build that reports every problem in one run:
    /// the site and the permalink errors. Each clashing note after the first
    /// is indexed at a free permalink (`tin-2/`), as a lenient site writes
    /// it, so links and checks still run; the errors fail the build.
    pub fn index_all(config: Config, notes: Vec<Arc<Note>>, assets: Vec<Asset>) -> (Site, Vec<Diagnostic>) {
        let languages: Vec<String> =
            std::iter::once(config.language.clone()).chain(config.other_languages()).collect();
        let mut permalinks: Vec<Permalink> = notes.iter().map(|n| permalink_of(n, &languages)).collect();
        let moved = if config.front_matter.strict { Vec::new() } else { make_unique(&mut permalinks) };
        let mut errors = Vec::new();
        let mut seen: HashMap<&Permalink, usize> = HashMap::new();
        for (i, p) in permalinks.iter().enumerate() {
            if let Some(&first) = seen.get(p) {
                errors.push(
                    Diagnostic::whole_file(
                        Severity::Error,
                        notes[i].path.display(),
                        format!(
                            "this note and {} would both be written to /{}",
                            notes[first].path.display(),
                            p.as_str()
                        ),
                    )
                    .with_help("rename one of the two files: URLs come from file and folder names"),
                );
            } else {
                seen.insert(p, i);
            }
        }
        for (i, p) in permalinks.iter().enumerate() {
            let lang = notes[i].path.language() as usize;
            let own = match lang {
                0 => p.as_str(),
                _ => {
                    p.as_str().strip_prefix(&languages[lang]).and_then(|p| p.strip_prefix('/')).unwrap_or("")
                }
            };
            let other_language =
                languages[1..].iter().find(|code| lang == 0 && own.starts_with(&format!("{code}/")));
            if let Some(code) = other_language {
                errors.push(
                    Diagnostic::whole_file(
                        Severity::Error,
                        notes[i].path.display(),
                        format!("this note would be written to /{}, which Lode keeps for the pages in `{code}`", p.as_str()),
                    )
                    .with_help(format!("rename the folder `{code}`: notes in that language are named `NAME.{code}.md` beside the others")),
                );
            } else if let Some(reserved) = reserved_by(&Permalink::new(own)).filter(|_| !own.is_empty()) {
                errors.push(
                    Diagnostic::whole_file(
                        Severity::Error,
                        notes[i].path.display(),
                        format!(
                            "this note would be written to /{}, which Lode keeps for {reserved}",
                            p.as_str()
                        ),
                    )
                    .with_help("rename the file or its folder: URLs come from file and folder names"),
                );
            }
        }
        if !errors.is_empty() {
            make_unique(&mut permalinks);
        }

        let mut names: [Names<NoteId>; 3] = Default::default();
        let mut by_path = HashMap::new();
        for (i, note) in notes.iter().enumerate() {
            let id = NoteId(i as u32);
            let path = note.path.as_str();
            by_path.insert(path.trim_end_matches(".md").to_string(), id);
            for (kind, name) in names_of(note) {
                names[kind as usize].insert(name, id);
            }
        }

        let mut homes = vec![None; languages.len()];
        for (i, n) in notes.iter().enumerate() {
            if n.path.is_collection_index() && n.path.folder().is_empty() {
                homes[n.path.language() as usize].get_or_insert(NoteId(i as u32));
            }
        }
        let home = homes[0];
        let mut translations: HashMap<String, Vec<NoteId>> = HashMap::new();
        if languages.len() > 1 {
            for (i, n) in notes.iter().enumerate() {
                translations.entry(n.path.base()).or_default().push(NoteId(i as u32));
            }
            translations.retain(|_, ids| ids.len() > 1);
            for ids in translations.values_mut() {
                ids.sort_by_key(|id| notes[id.index()].path.language());
            }
        }
        let (collections, collection_of) = collect(&notes);
        let tags = collect_tags(&notes, &languages);
        let site = Site {
            config,
            notes,
            permalinks,
            collections,
            collection_of,
            tags,
            home,
            languages,
            homes,
            translations,
            names,
            by_path,
            assets: Vec::new(),
            asset_by_path: HashMap::new(),
            asset_names: Names::default(),
            draft_names: Default::default(),
            moved,
            images: Default::default(),
        }
        .with_assets(assets);
        (site, errors)
    }

    fn with_assets(mut self, assets: Vec<Asset>) -> Self {
        self.set_assets(assets);
        self
    }

    /// Replaces the attachments (after files were added or removed under
    /// `content/`) and indexes them by path and by file name.
    pub fn set_assets(&mut self, assets: Vec<Asset>) {
        self.asset_by_path.clear();
        self.asset_names = Names::default();
        for (i, asset) in assets.iter().enumerate() {
            let id = AssetId(i as u32);
            let path = asset.path.as_str();
            self.asset_by_path.insert(path.to_string(), id);
            self.asset_names.insert(path.rsplit('/').next().unwrap_or(path), id);
        }
        self.assets = assets;
    }

    /// Replaces note `id` with a new version of the same file whose title,
    /// aliases, headings and card are unchanged (an edit of its body), so
    /// that every index entry stays right.
    pub fn replace_note(&mut self, id: NoteId, note: Arc<Note>) {
        debug_assert_eq!(self.notes[id.index()].path, note.path);
        self.notes[id.index()] = note;
    }

    /// The note `id`.
    pub fn note(&self, id: NoteId) -> &Note {
        &self.notes[id.index()]
    }

    /// The permalink of note `id`.
    pub fn permalink(&self, id: NoteId) -> &Permalink {
        &self.permalinks[id.index()]
    }

    /// The notes a reader counts, in path order: every note but the home
    /// page and the collection pages (`_index.md`), which are navigation.
    /// The footer, `/graph/` and the command line's "Built N notes" all give
    /// this count, so they agree.
    pub fn counted_notes(&self) -> impl Iterator<Item = NoteId> + '_ {
        self.ids().filter(|id| Some(*id) != self.home && !self.note(*id).path.is_collection_index())
    }

    /// Every note id, in path order.
    pub fn ids(&self) -> impl Iterator<Item = NoteId> + '_ {
        (0..self.notes.len() as u32).map(NoteId)
    }

    /// The note at `path` relative to `content/`, without `.md` (`minerals/lithium`).
    pub fn by_path(&self, path: &str) -> Option<NoteId> {
        self.by_path.get(path).copied()
    }

    /// The note read from `path`, unless it was left out (a draft).
    pub fn id_of(&self, path: &SourcePath) -> Option<NoteId> {
        self.by_path(path.as_str().trim_end_matches(".md"))
    }

    /// Notes whose name of kind `kind` is exactly `name`.
    pub fn named(&self, kind: NameKind, name: &str) -> &[NoteId] {
        self.names[kind as usize].exact(name)
    }

    /// Notes whose name of kind `kind` equals `name` ignoring case and
    /// Unicode normalisation ([`fold`]).
    pub fn named_folded(&self, kind: NameKind, name: &str) -> &[NoteId] {
        self.names[kind as usize].folded(name)
    }

    /// Every file under `content/` that is not a note, in path order.
    pub fn assets(&self) -> &[Asset] {
        &self.assets
    }

    /// The attachment `id`.
    pub fn asset(&self, id: AssetId) -> &Asset {
        &self.assets[id.index()]
    }

    /// The attachment at `path` relative to `content/` (`maps/world.png`), exactly.
    pub fn asset_at(&self, path: &str) -> Option<AssetId> {
        self.asset_by_path.get(path).copied()
    }

    /// Attachments whose file name is `name` (`world.png`): exactly, else
    /// ignoring case and Unicode normalisation.
    pub fn assets_named(&self, name: &str) -> &[AssetId] {
        match self.asset_names.exact(name) {
            [] => self.asset_names.folded(name),
            found => found,
        }
    }

    /// The collection whose folder is `folder`, in language `language`.
    pub fn collection_in(&self, folder: &str, language: u8) -> Option<&Collection> {
        self.collections.iter().find(|c| c.folder == folder && c.language == language)
    }

    /// The language of note `id` (0: the default; see [`Site::languages`]).
    pub fn language(&self, id: NoteId) -> u8 {
        self.note(id).path.language()
    }

    /// Where language `language`'s own pages are, relative to the site
    /// root: `` for the default language, `hi/` for Hindi.
    pub fn language_path(&self, language: u8) -> String {
        match language {
            0 => String::new(),
            l => format!("{}/", self.languages[l as usize]),
        }
    }

    /// Whether the site's notes are in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// Note `id` and its translations (the notes of the same path in the
    /// other languages), in language order; empty when it has none.
    pub fn translations(&self, id: NoteId) -> &[NoteId] {
        if self.translations.is_empty() {
            return &[];
        }
        self.translations.get(&self.note(id).path.base()).map_or(&[], Vec::as_slice)
    }

    /// Whether note `id` is the home page of its language.
    pub fn is_home(&self, id: NoteId) -> bool {
        self.homes.get(self.language(id) as usize) == Some(&Some(id))
    }
}

/// Every name a link or a template's `note(name=…)` may find `note` by,
/// with its kind, best first: its file name without `.md` (for a
/// collection's `_index.md`, its folder's name; the home page has none),
/// then its front matter's `title`, else its derived title, then its
/// `aliases`. The one list of a note's names: the index, `note(name=…)`,
/// the names of drafts and the checks all read it.
pub fn names_of(note: &Note) -> impl Iterator<Item = (NameKind, &str)> {
    let stem = Some(stem_of(note)).filter(|stem| !stem.is_empty()).map(|stem| (NameKind::Stem, stem));
    let title = match &note.front.title {
        Some(title) => (NameKind::Declared, title.as_str()),
        None => (NameKind::Derived, note.title.as_str()),
    };
    let aliases = note.front.aliases.iter().map(|alias| (NameKind::Declared, alias.as_str()));
    stem.into_iter().chain(std::iter::once(title)).chain(aliases)
}

/// FNV-1a 64 of what [`Site::index`] and link resolution read of a note:
/// its names ([`names_of`]), what orders its collection (`sort_by`,
/// `weight`, `date`, title), its tags, and the headings and block ids
/// links may point at. An edit that keeps it lets a rebuild patch the
/// index and re-resolve only the edited notes' links
/// ([`Site::replace_note`], then `links::update`).
pub fn index_fingerprint(note: &Note) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::Fnv::default();
    for (kind, name) in names_of(note) {
        (kind as u8, name).hash(&mut h);
    }
    let f = &note.front;
    (&f.sort_by, f.weight, &f.date, &note.title, note.tags(), f.draft).hash(&mut h);
    for heading in &note.scan.headings {
        (&heading.id, &heading.text).hash(&mut h);
    }
    for block in &note.scan.blocks {
        block.id.hash(&mut h);
    }
    h.finish()
}

/// A note's file name without `.md`; for a collection's `_index.md`, its folder's name.
fn stem_of(note: &Note) -> &str {
    if note.path.is_collection_index() {
        note.path.folder().rsplit('/').next().unwrap_or("")
    } else {
        note.path.stem()
    }
}

/// Permalinks Lode writes pages of its own at, and what for: a note there
/// would be overwritten (or overwrite them), so it is an error.
const RESERVED: &[(&str, &str)] = &[
    ("tags/", "the list of tags and the tag pages"),
    ("graph/", "the graph of the whole site"),
    ("revise/", "the revision mode"),
    ("corrections/", "the list of corrections"),
    ("changes/", "the list of recent changes"),
    ("_lode/", "its shared data files"),
];

/// What a reserved permalink (or a folder under one, for tags) is kept for.
fn reserved_by(p: &Permalink) -> Option<&'static str> {
    RESERVED
        .iter()
        .find(|(r, _)| {
            p.as_str() == *r
                || (!["graph/", "revise/", "corrections/", "changes/"].contains(r)
                    && p.as_str().starts_with(r))
        })
        .map(|(_, what)| *what)
}

/// Gives every note of a lenient site (a vault) a URL of its own. Obsidian
/// has no URLs, so two notes whose names slugify alike (`Rosé Pine.md` and
/// `Rose Pine.md`, `A: B.md` and `A - B.md`) or a note named like one of
/// Lode's pages (`Tags.md`, a `Graph/` folder) are normal in a vault. The
/// first note in path order keeps the permalink; each later one gets the
/// first free `-2`, `-3`… added to its last segment (to its first segment
/// when that is a reserved one, so a whole `tags/` folder moves together).
/// Returns each moved note with the permalink it wanted.
fn make_unique(permalinks: &mut [Permalink]) -> Vec<(NoteId, Permalink)> {
    let mut taken: std::collections::HashSet<Permalink> = permalinks.iter().cloned().collect();
    let mut kept: std::collections::HashSet<Permalink> = std::collections::HashSet::new();
    let mut moved = Vec::new();
    for (i, permalink) in permalinks.iter_mut().enumerate() {
        let reserved = reserved_by(permalink).is_some();
        if permalink.as_str().is_empty() || (!reserved && kept.insert(permalink.clone())) {
            continue;
        }
        let segments: Vec<&str> = permalink.as_str().trim_end_matches('/').split('/').collect();
        let at = if reserved { 0 } else { segments.len() - 1 };
        let free = (2..)
            .map(|n| {
                let mut s: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
                s[at] = format!("{}-{n}", s[at]);
                Permalink::new(&s.join("/"))
            })
            .find(|p| !taken.contains(p) && reserved_by(p).is_none())
            .expect("a free permalink");
        taken.insert(free.clone());
        kept.insert(free.clone());
        moved.push((NoteId(i as u32), std::mem::replace(permalink, free)));
    }
    moved
}

/// `minerals/lithium.md` → `minerals/lithium/`; `minerals/_index.md` → `minerals/`.
/// Every segment is slugified, so retitling a note never changes its URL.
/// A note in another language is under its code: `minerals/lithium.hi.md` → `hi/minerals/lithium/`.
fn permalink_of(note: &Arc<Note>, languages: &[String]) -> Permalink {
    let folder = note.path.folder();
    let code = match note.path.language() {
        0 => None,
        l => Some(languages[l as usize].clone()),
    };
    let mut segments: Vec<String> =
        code.into_iter().chain(folder.split('/').filter(|s| !s.is_empty()).map(slugify)).collect();
    if !note.path.is_collection_index() {
        segments.push(slugify(note.path.stem()));
    }
    Permalink::new(&segments.join("/"))
}

fn collect(notes: &[Arc<Note>]) -> (Vec<Collection>, Vec<Option<usize>>) {
    let mut collections: Vec<Collection> = notes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.path.is_collection_index() && !n.path.folder().is_empty())
        .map(|(i, n)| Collection {
            index: NoteId(i as u32),
            folder: n.path.folder().to_string(),
            notes: Vec::new(),
            language: n.path.language(),
        })
        .collect();
    // In the order of their index notes' `weight` (none: last), then of
    // their folders, as Zola orders sections and Hugo menus.
    collections.sort_by_key(|c| notes[c.index.index()].front.weight.unwrap_or(i64::MAX));
    let folder_index: HashMap<(&str, u8), usize> =
        collections.iter().enumerate().map(|(i, c)| ((c.folder.as_str(), c.language), i)).collect();
    let mut collection_of = vec![None; notes.len()];
    let mut members: Vec<Vec<NoteId>> = vec![Vec::new(); collections.len()];
    for (i, note) in notes.iter().enumerate() {
        if note.path.is_collection_index() {
            continue;
        }
        // The nearest ancestor folder that is a collection.
        let mut folder = note.path.folder();
        loop {
            if let Some(&c) = folder_index.get(&(folder, note.path.language())) {
                members[c].push(NoteId(i as u32));
                collection_of[i] = Some(c);
                break;
            }
            match folder.rsplit_once('/') {
                Some((parent, _)) => folder = parent,
                None => break,
            }
        }
    }
    // A note in another language whose folder has no collection in that
    // language (no `_index.hi.md`) falls back, as Hugo and Zola do, to the
    // default language's: its breadcrumb, menu and graph group are the
    // default-language page's. It is not one of that collection's notes
    // (listed on its page, in its pager): those are the default language's.
    for (i, note) in notes.iter().enumerate() {
        if collection_of[i].is_some() || note.path.is_collection_index() || note.path.language() == 0 {
            continue;
        }
        let mut folder = note.path.folder();
        loop {
            if let Some(&c) = folder_index.get(&(folder, 0)) {
                collection_of[i] = Some(c);
                break;
            }
            match folder.rsplit_once('/') {
                Some((parent, _)) => folder = parent,
                None => break,
            }
        }
    }
    drop(folder_index);
    for (c, notes) in collections.iter_mut().zip(members) {
        c.notes = notes;
    }
    for c in &mut collections {
        let sort_by = notes[c.index.index()].front.sort_by.as_deref().unwrap_or("weight");
        let title_key = |id: &NoteId| notes[id.index()].title.to_lowercase();
        match sort_by {
            "title" => c.notes.sort_by_cached_key(title_key),
            "date" => c.notes.sort_by_cached_key(|id| {
                let d = notes[id.index()].front.date.clone().unwrap_or_default();
                (std::cmp::Reverse(d), title_key(id))
            }),
            _ => c
                .notes
                .sort_by_cached_key(|id| (notes[id.index()].front.weight.unwrap_or(i64::MAX), title_key(id))),
        }
    }
    (collections, collection_of)
}

/// The site's tags by language, then slug, each parent of a nested tag
/// included, each named as first written in its language (notes in order, a
/// note's front matter before its body), with the other spellings of its slug.
fn collect_tags(notes: &[Arc<Note>], languages: &[String]) -> Vec<Tag> {
    let mut tags: BTreeMap<(u8, String), Tag> = BTreeMap::new();
    let mut slugs: HashMap<&str, String> = HashMap::new();
    // The (language, spelling) pairs met: each is spelled once.
    let mut met: HashSet<(u8, &str)> = HashSet::new();
    // Each spelling met: a tag new under its slug, or its name written
    // otherwise than any before (compared once per distinct spelling).
    let spell =
        |tags: &mut BTreeMap<(u8, String), Tag>, slug: &str, name: &str, at: (NoteId, u32), language: u8| {
            let key = (language, slug.to_string());
            let Some(tag) = tags.get_mut(&key) else {
                let tag = Tag {
                    name: name.to_string(),
                    slug: slug.to_string(),
                    notes: Vec::new(),
                    all: Vec::new(),
                    parent: None,
                    children: Vec::new(),
                    language,
                    permalink: match language {
                        0 => format!("tags/{slug}/"),
                        l => format!("{}/tags/{slug}/", languages[l as usize]),
                    },
                    written: at,
                    others: Vec::new(),
                };
                tags.insert(key, tag);
                return;
            };
            let same = |other: &str| {
                name.chars().flat_map(char::to_lowercase).eq(other.chars().flat_map(char::to_lowercase))
            };
            if !same(&tag.name) && !tag.others.iter().any(|o| same(&o.name)) {
                tag.others.push(Spelling { name: name.to_string(), at });
            }
        };
    for (i, note) in notes.iter().enumerate() {
        let lang = note.path.language();
        for (t, name) in note.tags().iter().enumerate() {
            let at = (NoteId(i as u32), t as u32);
            let slug = slugs.entry(name.as_str()).or_insert_with(|| tag_slug(name));
            if met.insert((lang, name.as_str())) {
                if slug.contains('/') {
                    // Its parents, each as this name writes it (`A/b` makes `A`).
                    let segments: Vec<&str> =
                        name.split('/').map(str::trim).filter(|s| !s.is_empty()).collect();
                    for (k, (end, _)) in slug.match_indices('/').enumerate() {
                        spell(&mut tags, &slug[..end], &segments[..=k].join("/"), at, lang);
                    }
                }
                spell(&mut tags, slug, name, at, lang);
            }
            let tag =
                tags.get_mut(&(lang, slug.clone())).expect("spelled above, for this name or an earlier one");
            if tag.notes.last() != Some(&NoteId(i as u32)) {
                tag.notes.push(NoteId(i as u32));
            }
        }
    }
    let mut tags: Vec<Tag> = tags.into_values().collect();
    let by_title = |id: &NoteId| (notes[id.index()].title.to_lowercase(), *id);
    for tag in &mut tags {
        tag.notes.sort_by_cached_key(by_title);
    }
    // Parents and children; then each parent's members, deepest first.
    let mut nested = Vec::new();
    for t in 0..tags.len() {
        if let Some((up, _)) = tags[t].slug.rsplit_once('/') {
            let key = (tags[t].language, up);
            let p = tags
                .binary_search_by(|x| (x.language, x.slug.as_str()).cmp(&key))
                .expect("parents are added above");
            tags[t].parent = Some(p);
            tags[p].children.push(t);
            nested.push(t);
        }
    }
    nested.sort_by_key(|t| std::cmp::Reverse(tags[*t].slug.matches('/').count()));
    for t in nested {
        let p = tags[t].parent.expect("nested");
        let mut all = std::mem::take(&mut tags[p].all);
        if all.is_empty() {
            all.extend_from_slice(&tags[p].notes);
        }
        all.extend_from_slice(tags[t].members());
        tags[p].all = all;
    }
    for tag in &mut tags {
        if !tag.children.is_empty() {
            tag.all.sort_by_cached_key(by_title);
            tag.all.dedup();
        }
    }
    tags
}
