//! Orchestrates a build: every stage in order, then the atomic write.
//!
//! `lode build` writes each page into a fresh temporary folder beside the
//! output folder as soon as it is rendered (so the rendered site is never
//! held in memory whole), and only swaps that folder in for the output once
//! everything succeeded; any failure deletes it and leaves the previous
//! output untouched. `lode serve` keeps its pages in memory instead.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

pub use crate::config::STATIC_DIR;
use crate::config::{CONFIG_FILE, Config, Layout};
use crate::content::{self, CONTENT_DIR, Note, SourcePath};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::graph::Neighbours;
use crate::links::{self, LinkGraph, Part, Target};
pub use crate::output::stage::check_output_dir;
use crate::output::stage::{Sink, staging_dir, staging_parent, swap_in, write_error, write_rest};
use crate::progress::Progress;
use crate::render;
use crate::site::{NoteId, Site};

mod plan;

/// The stylesheet written when a site has no `static/style.css` of its own.
pub const DEFAULT_STYLESHEET: &str = include_str!("../static/style.css");

/// `static/strings.js`: `window.lodeSay`, the page's words for the scripts.
const DEFAULT_STRINGS_JS: &str = include_str!("../static/strings.js");

/// The files every site gets, as (output path, text), embedded in the
/// binary: each is written unless the site's `static/` has a file of the
/// same path, which replaces it (as a site's template replaces ours).
pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("style.css", DEFAULT_STYLESHEET),
    ("favicon.svg", include_str!("../static/favicon.svg")),
    // The page's words for every script below (`window.lodeSay`; see `SPEAKING`).
    ("strings.js", DEFAULT_STRINGS_JS),
    // Search: the dialog over the search index (see `search`).
    ("search.js", include_str!("../static/search.js")),
    // The revision mode at /revise/, its FSRS scheduler, and the study status on every page.
    ("revise.js", include_str!("../static/revise.js")),
    // Marks what changed since the reader's last visit, from `_lode/changes.json`.
    ("changes.js", include_str!("../static/changes.js")),
    ("fsrs.js", include_str!("../static/fsrs.js")),
    ("study.js", include_str!("../static/study.js")),
    // Pan and zoom on /graph/.
    ("graph.js", include_str!("../static/graph.js")),
    // Reader comforts (theme switch, table of contents, heading links) and link previews.
    ("reading.js", include_str!("../static/reading.js")),
    ("preview.js", include_str!("../static/preview.js")),
    // Draws the Mermaid diagrams of the pages that have one (see `code::mermaid`).
    ("diagrams.js", include_str!("../static/diagrams.js")),
    // Offline reading on request: the "Save for offline" control and the service worker (see `offline`).
    ("offline.js", include_str!("../static/offline.js")),
    ("sw.js", include_str!("../static/sw.js")),
];

/// The scripts every page of the built-in templates loads, written also as
/// one file, `lode.js`, in this order (page weight and requests: one
/// `<script>` tag instead of five): each part is the site's own
/// `static/NAME` when it has one, else Lode's. Each is a self-contained
/// function that reads what it needs from the page's `<body>` (or its
/// script tag's `data-shards`), so it runs the same alone or bundled.
pub const BUNDLE: (&str, &[&str]) =
    ("lode.js", &["strings.js", "reading.js", "preview.js", "study.js", "offline.js", "changes.js"]);

/// The scripts written alone that write words of the page's language: each
/// is written with `strings.js` (the one definition of `window.lodeSay`,
/// the first of [`BUNDLE`] too) in front, so that it finds it whatever
/// else a page loads, and in whatever order (`base.html` loads `search.js`
/// before `lode.js`). A site's own copy in `static/` gets it in front too
/// (the site's own `strings.js`, if it has one).
pub const SPEAKING: &[&str] = &["search.js", "graph.js", "revise.js"];

/// What to build, from the command line.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The site root: holds `site.toml`, `content/`, `templates/`, `static/`.
    pub root: PathBuf,
    /// Where to write the site; `root/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    /// Build notes marked `draft = true` too.
    pub drafts: bool,
    /// Where resized copies of images are kept between builds;
    /// [`crate::images::user_cache_dir`] when `None`.
    pub cache: Option<PathBuf>,
    /// Strict mode (`--strict`): a warning fails [`build`] and [`check`] as
    /// an error does (every problem is still reported, and a build writes
    /// nothing), as Hugo's `--panicOnWarning` or a compiler's `-Werror`.
    /// `lode serve` ignores it: it shows warnings and goes on.
    pub strict: bool,
}

impl BuildOptions {
    /// Options for building the site at `root` with the defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            cache: None,
            strict: false,
        }
    }

    /// The folder of the images' resized copies: `cache`, else the user's
    /// cache folder ([`crate::images::user_cache_dir`]). Never in the site
    /// or the vault: a build writes nothing among the author's files.
    pub fn image_cache(&self) -> PathBuf {
        self.cache.clone().unwrap_or_else(crate::images::user_cache_dir)
    }

    /// What the root holds: a Lode site, or a folder of notes (a vault).
    pub fn layout(&self) -> Layout {
        Layout::of(&self.root)
    }

    /// The output folder: `--output`, else `root/public` for a site and
    /// `root/.lode/public` for a vault (see [`Layout::Vault`]).
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| match self.layout() {
            Layout::Site => self.root.join("public"),
            Layout::Vault => self.root.join(crate::config::VAULT_OUTPUT),
        })
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Notes read from `content/` (drafts excluded unless built), without
    /// the home page and collection pages ([`Site::counted_notes`]).
    pub notes: usize,
    /// Other files among the notes (attachments), copied as they are.
    pub assets: usize,
    /// What the root held: a site, or a folder of notes (a vault).
    pub layout: Layout,
    /// HTML pages written.
    pub pages: usize,
    /// Wall time of the whole build, in milliseconds.
    pub millis: u128,
    /// Resized copies of images made by this build ([`crate::images`]).
    pub images_resized: usize,
    /// Resized copies found in the cache from an earlier build.
    pub images_cached: usize,
    /// Social cards rasterized by this build ([`crate::render::social`]).
    pub cards_made: usize,
    /// Social cards found in the cache from an earlier build.
    pub cards_cached: usize,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// The folder written.
    pub output: PathBuf,
    /// Wall time of each stage (writing included), in order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

pub use crate::output::OutputFile;

/// What one (re)build changed.
#[derive(Debug, Default)]
pub struct Update {
    /// Output paths whose contents changed or appeared (`minerals/lithium/index.html`).
    pub changed: Vec<String>,
    /// Output paths that are gone.
    pub removed: Vec<String>,
    /// Every page was rendered (a structural edit, a template or the config changed).
    pub full: bool,
    /// Notes in the site, as [`Site::counted_notes`] counts them.
    pub notes: usize,
    /// Other files among the notes (images, PDFs), copied as they are.
    pub assets: usize,
    /// The output paths of the [`Update::rendered`] pages, in the order the
    /// build lists its outputs: what a rebuild made again, whether or not
    /// its bytes changed (those that did are in [`Update::changed`]).
    pub rendered_paths: Vec<String>,
    /// Resized copies of images this rebuild made, and those it found in
    /// the cache ([`BuildOptions::image_cache`]); both 0 when no attachment changed.
    pub images_resized: usize,
    /// See [`Update::images_resized`].
    pub images_cached: usize,
    /// Social cards this rebuild rasterized ([`crate::render::social`]),
    /// and those of the pages it rendered that it found in the cache.
    pub cards_made: usize,
    /// See [`Update::cards_made`].
    pub cards_cached: usize,
    /// Warnings of the whole site.
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Update {
    /// How many pages this rebuild rendered ([`Update::rendered_paths`]; the
    /// site files of [`render::SITE_FILES`], made by every rebuild, not counted).
    pub fn rendered(&self) -> usize {
        self.rendered_paths.len()
    }
}

/// Wall time per stage of a rebuild.
struct Timings {
    last: Instant,
    stages: Vec<(&'static str, std::time::Duration)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings { last: Instant::now(), stages: Vec::new() }
    }
}

impl Timings {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages.push((stage, now - self.last));
        self.last = now;
    }
}

/// A note as last read: parsed, with its problems (errors too: a note whose
/// front matter fails is kept, see [`Note::front_error`]), or the errors of
/// a file that could not be read.
type Parsed = Result<(Arc<Note>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The last good build, kept to patch the next one.
struct Previous {
    site: Site,
    graph: LinkGraph,
    neighbours: Neighbours,
    views: Arc<render::Views>,
}

/// What the outputs of the last good build read ([`plan`]), and the ones
/// kept for reuse: an edit makes again exactly those whose reads changed.
#[derive(Default)]
struct Made {
    /// Pages and site files, by output path (the files are in `Session::files`).
    pages: plan::Memo<String>,
    /// The problems of each whole-site check, by name.
    checks: plan::Memo<Vec<Diagnostic>>,
    /// The problems of each note's own checks, by path.
    note_checks: plan::Memo<Vec<Diagnostic>>,
    /// Each note's questions and flashcards, by path.
    revision: plan::Memo<Arc<crate::render::revise::NoteEntries>>,
    /// Each note's link preview (JSON), by path.
    previews: plan::Memo<String>,
    /// Each note's record of changes, by path, with the permalink and git
    /// date it was made for.
    changes: HashMap<String, ChangeMade>,
    /// The hashes of the notes' texts.
    hashes: plan::HashCache,
    /// Each note page's social card, by page path: its output path
    /// (`_lode/cards/HASH.png`). Cards of pages gone or made without one go.
    cards: HashMap<String, String>,
}

/// A note's entry in the record of changes, with the note, permalink and
/// git date it was made for.
type ChangeMade = (Arc<Note>, String, Option<String>, Arc<crate::changes::Entry>);

/// A site kept in memory between builds: `lode build` runs one rebuild,
/// `lode serve` one per burst of edits. Notes are re-read and re-parsed
/// only when they changed; outputs are made again only when something
/// they read changed ([`plan`]); the last good output stays when a rebuild fails.
pub struct Session {
    options: BuildOptions,
    /// Where the notes, templates and static files are (read once).
    layout: Layout,
    config: Option<Config>,
    templates: Option<Result<render::Templates, Vec<Diagnostic>>>,
    /// How the notes in `notes` were read.
    strictness: Option<content::Strictness>,
    /// The other languages the notes' paths were read with ([`SourcePath::in_languages`]).
    languages: Vec<String>,
    /// Whether the last build found `static/extra.css` (pages link it).
    extra_css: Option<bool>,
    notes: BTreeMap<SourcePath, Parsed>,
    /// [`crate::site::index_fingerprint`] of every parsed note.
    indexed: HashMap<SourcePath, u64>,
    previous: Option<Previous>,
    /// The fingerprints of the last good build's reads.
    fingerprints: Option<plan::Fingerprints>,
    made: Made,
    /// A rebuild started and did not finish: the next one makes everything.
    dirty: bool,
    /// The files under `content/` that are not notes, as last listed.
    assets: Vec<content::Asset>,
    /// A warning for each symbolic link skipped, as last listed.
    skipped: Vec<Diagnostic>,
    /// The images among the attachments, as last read ([`crate::images`]).
    images: Arc<crate::images::Images>,
    /// A warning for each image that could not be read or resized, as last read.
    image_warnings: Vec<Diagnostic>,
    files: BTreeMap<String, OutputFile>,
    /// Overrides the path of `base_url` for `404.html` (`lode serve` serves at `/`).
    served_at: Option<String>,
    /// What a rebuild does with each page it renders.
    pages: Pages,
    /// Where the current stage and its count are published.
    progress: Arc<Progress>,
    /// The notes' last-change dates from git, read again when `HEAD` moves.
    git: crate::changes::GitDates,
    /// What `lode build` needs later of each page it wrote, taken while its
    /// bytes were at hand, so that nothing is read back from the staging
    /// folder: the offline list's size and hash, and the search record.
    written: std::sync::Mutex<HashMap<String, WrittenPage>>,
}

/// What is kept of a page written to the staging folder.
struct WrittenPage {
    /// Its size in bytes and [`crate::offline::content_hash`] (for the offline list).
    size_and_hash: (u64, u64),
    /// Its search record (`None`: search is off, or the page is not indexed).
    record: Option<Arc<crate::search::Record>>,
}

/// A rendered page as the build keeps it: its path and file, and its
/// social card's path and file, if it has one.
type Rendered = (String, OutputFile, Option<(String, OutputFile)>);

/// What a rebuild does with each page as soon as it is rendered.
enum Pages {
    /// Keeps its bytes in [`Session::files`] (`lode serve`).
    Keep,
    /// Writes it into the staging folder (`lode build`).
    Write(Sink),
    /// Drops it: only the problems matter (`lode check`; at 100,000 notes
    /// the pages would fill 2.5 GB).
    Drop,
}

/// What kind of input a changed path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// `site.toml`.
    Config,
    /// A file under `templates/`.
    Template,
    /// A note under `content/`.
    Note,
    /// A file under `static/`, or a non-Markdown file under `content/`.
    Static,
}

impl Session {
    /// A session for the site `options.root`; nothing is read until [`Session::rebuild`].
    pub fn new(options: BuildOptions) -> Self {
        Session {
            layout: options.layout(),
            options,
            config: None,
            templates: None,
            strictness: None,
            languages: Vec::new(),
            extra_css: None,
            notes: BTreeMap::new(),
            indexed: HashMap::new(),
            previous: None,
            fingerprints: None,
            made: Made::default(),
            dirty: false,
            assets: Vec::new(),
            skipped: Vec::new(),
            images: Arc::default(),
            image_warnings: Vec::new(),
            files: BTreeMap::new(),
            served_at: None,
            pages: Pages::Keep,
            progress: Arc::default(),
            git: Default::default(),
            written: Default::default(),
        }
    }

    /// The same session, publishing each rebuild's stage and count of
    /// items done to `progress` (for a progress bar on another thread).
    pub fn with_progress(mut self, progress: Arc<Progress>) -> Self {
        self.progress = progress;
        self
    }

    /// The same session, for a site served at the URL path `path` (`/`)
    /// rather than at the path of `base_url`: `404.html`, whose URLs are
    /// absolute, is built for that path. `lode serve` serves at `/`.
    pub fn served_at(mut self, path: &str) -> Self {
        let mut path = path.to_string();
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        if !path.ends_with('/') {
            path.push('/');
        }
        self.served_at = Some(path);
        self
    }

    /// The URL path the site is served at: the path of `base_url` (`/REPO/`)
    /// unless [`Session::served_at`] said otherwise.
    pub fn base_path(&self, config: &Config) -> String {
        self.served_at.clone().unwrap_or_else(|| config.base_path())
    }

    /// Whether what outputs read is kept for the next rebuild: only when
    /// pages are kept in memory (`lode serve`).
    fn remembers(&self) -> bool {
        matches!(self.pages, Pages::Keep)
    }

    /// The options this session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// What the root holds: a site, or a folder of notes (a vault).
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The folders `lode serve` watches, each with whether to watch it
    /// recursively: the root alone (for `site.toml`) and `content/`,
    /// `templates/` and `static/` for a site; the whole root for a vault.
    pub fn watched(&self) -> Vec<(PathBuf, bool)> {
        let root = &self.options.root;
        match self.layout {
            Layout::Vault => vec![(root.clone(), true)],
            Layout::Site => std::iter::once((root.clone(), false))
                .chain(
                    [CONTENT_DIR, render::TEMPLATES_DIR, STATIC_DIR]
                        .into_iter()
                        .map(|dir| root.join(dir))
                        .filter(|dir| dir.is_dir())
                        .map(|dir| (dir, true)),
                )
                .collect(),
        }
    }

    /// The output of the last good build, by path relative to the output folder.
    pub fn files(&self) -> &BTreeMap<String, OutputFile> {
        &self.files
    }

    /// Whether the last good build's `site.toml` wants a search index
    /// (`[search] enabled`, true unless set to false); see [`crate::search::index`].
    /// The site's other languages, each with a search index of its own.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Whether the last good build's `site.toml` wants a search index
    /// (`[search] enabled`, true unless set to false); see [`crate::search::index`].
    pub fn search_enabled(&self) -> bool {
        self.config.as_ref().is_some_and(|c| c.search.enabled)
    }

    /// The kind of input `path` (absolute, or relative to the root) is, or
    /// `None` for a file Lode does not read.
    pub fn classify(&self, path: &Path) -> Option<InputKind> {
        let rel = path.strip_prefix(&self.options.root).unwrap_or(path);
        if self.layout == Layout::Vault {
            // Every file is a note or an attachment, except in the folders
            // `content::list` skips (`.obsidian/`, `.lode/`, `node_modules/`).
            let skipped = rel.components().any(|c| {
                let name = c.as_os_str().to_string_lossy();
                name.starts_with('.') || name == "node_modules"
            });
            return match rel.extension() {
                _ if skipped || rel.as_os_str().is_empty() => None,
                Some(e) if e == "md" => Some(InputKind::Note),
                Some(_) => Some(InputKind::Static),
                None => Some(InputKind::Note),
            };
        }
        let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
        let first = parts.next()?;
        match first.as_ref() {
            CONFIG_FILE => Some(InputKind::Config),
            render::TEMPLATES_DIR => Some(InputKind::Template),
            // Translation files are read with the templates.
            render::I18N_DIR => Some(InputKind::Template),
            STATIC_DIR => Some(InputKind::Static),
            CONTENT_DIR if rel.extension().is_some_and(|e| e == "md") => Some(InputKind::Note),
            CONTENT_DIR if rel.extension().is_some() => Some(InputKind::Static),
            // A folder under content/ (renamed, deleted): notes may have moved.
            CONTENT_DIR => Some(InputKind::Note),
            _ => None,
        }
    }
}

/// What [`Session::prepare`] found: the configuration to build with, and
/// whether everything must be made again.
struct Prepared {
    config: Config,
    content_dir: PathBuf,
    full: bool,
}

/// What [`Session::read_notes`] found.
struct Read {
    /// The attachments under `content/`.
    assets: Vec<content::Asset>,
    /// The notes read again.
    reparsed: Vec<SourcePath>,
    /// A note or an attachment came or went.
    moved: bool,
}

/// The notes to build, and the folded names of the drafts left out.
type Collected = (Vec<Arc<Note>>, HashSet<String>);

/// The index of a rebuild.
struct Indexed {
    /// The last build's index, patched.
    patched: bool,
    site: Site,
    graph: LinkGraph,
    neighbours: Neighbours,
    views: Arc<render::Views>,
}

impl Session {
    /// Rebuilds after `changed` paths changed (all of them on the first call).
    ///
    /// # Errors
    /// Every error in the site, sorted, with its warnings; the previous
    /// output is kept.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let mut timings = Timings::default();
        let prepared = self.prepare(changed)?;
        timings.lap("config and templates");
        let read = self.read_notes(changed, &prepared)?;
        timings.lap("read and parse");
        // Pages show each image's size and copies: when they change, every page is made again.
        let (images_changed, resized) = self.update_images(changed, &read);
        let full = prepared.full || images_changed;
        timings.lap("images");
        let mut problems = self.skipped.clone();
        problems.extend(self.image_warnings.iter().cloned());
        // The translation files' warnings (nothing to do without one).
        if let (Some(Ok(templates)), Some(config)) = (&self.templates, &self.config) {
            problems.extend(templates.string_warnings(config));
        }
        let (notes, draft_names) = self.collect_notes(&mut problems);
        timings.lap("collect");
        let indexed =
            self.index(prepared.config, notes, draft_names, &read, full, &mut problems, &mut timings);
        let Indexed { patched, mut site, graph, neighbours, views } = indexed;
        site.images = Arc::clone(&self.images);
        let changes = self.changes_record(&site, &prepared.content_dir);
        timings.lap("changes");
        let keys = plan::Keys::of(&site);
        // Only a session that rebuilds again (`lode serve`) compares them.
        let fingerprints = self.remembers().then(|| {
            plan::Fingerprints::of(
                &site,
                &keys,
                &graph,
                &neighbours,
                &views,
                &mut self.made.hashes,
                changes_fingerprint(&changes),
                self.fingerprints.as_ref().filter(|_| patched),
            )
        });
        let changed_deps = match (&self.fingerprints, &fingerprints, full) {
            (Some(old), Some(new), false) => Some(new.changed(old)),
            _ => None,
        };
        let changed_deps = changed_deps.as_ref();
        timings.lap("what changed");
        problems.extend(self.run_checks(&site, &graph, &keys, changed_deps));
        timings.lap("checks");
        if problems.iter().any(Diagnostic::is_error) {
            return Err(sorted(problems));
        }
        // What the templates use (`render::uses`); they changed only in a
        // full rebuild, so what an incremental one keeps was made alike.
        let uses =
            self.templates.as_ref().and_then(|t| t.as_ref().ok()).map_or(render::Uses::ALL, |t| t.uses());
        let revision = if uses.revision {
            self.revision_data(&site, &graph, &keys, changed_deps)?
        } else {
            self.made.revision = plan::Memo::default();
            None
        };
        timings.lap("study data");
        let base_path = self.base_path(&site.config);
        let inputs = render::Inputs {
            neighbours: &neighbours,
            views: &views,
            base_path: &base_path,
            changes: &changes,
            hop_shards: Default::default(),
        };
        let (mut files, mut update) = self.render(&site, &graph, &keys, &inputs, changed_deps, &problems)?;
        if let Some(json) = revision {
            update.changed.push(crate::render::revise::DATA_FILE.into());
            files.insert(
                crate::render::revise::DATA_FILE.into(),
                OutputFile::Bytes(Arc::from(json.into_bytes())),
            );
        }
        let data = crate::changes::data_file(&changes).into_bytes();
        // Nothing after the pages reads the record (`lode build`: 158 MB at 100,000 notes).
        drop(changes);
        self.put(&mut files, &mut update, crate::changes::DATA_FILE, data);
        timings.lap(if matches!(self.pages, Pages::Write(_)) { "render and write" } else { "render" });
        if uses.previews {
            self.previews(&site, &graph, &keys, changed_deps, &mut files, &mut update);
        } else {
            self.made.previews = plan::Memo::default();
        }
        timings.lap("link previews");
        // Notes edited in place change no copy, no default file and no
        // page's path: the last build's stand.
        let notes_only =
            !full && !read.moved && changed.iter().all(|p| self.classify(p) == Some(InputKind::Note));
        if !notes_only {
            self.copies(&site, changed, &mut files, &mut update)
                .map_err(|e| sorted([problems.clone(), e].concat()))?;
        }
        self.diagram_files(&site, &mut files, &mut update);
        update.removed = self.files.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
        update.full = full;
        update.notes = site.counted_notes().count();
        update.assets = site.assets().len();
        (update.images_resized, update.images_cached) = resized;
        self.files = files;
        timings.lap("output");
        update.timings = timings.stages;
        problems.append(&mut update.warnings);
        update.warnings = sorted(problems);
        self.previous = Some(Previous { site, graph, neighbours, views });
        self.fingerprints = fingerprints;
        self.dirty = false;
        Ok(update)
    }

    /// Reads the images among the attachments again when an attachment
    /// changed (or first), and makes the copies the cache lacks (not for
    /// `lode check`, which writes nothing). Whether pages would show them
    /// otherwise than the last build did, and (copies resized, copies found
    /// in the cache) by this rebuild.
    fn update_images(&mut self, changed: &[PathBuf], read: &Read) -> (bool, (usize, usize)) {
        let first = self.previous.is_none();
        let touched = first
            || self.dirty
            || read.moved
            || changed.iter().any(|p| self.classify(p) != Some(InputKind::Note));
        if !touched {
            return (false, (0, 0));
        }
        let root = &self.options.root;
        let (mut images, mut warnings) = crate::images::Images::scan(&read.assets, &self.images, root);
        if !matches!(self.pages, Pages::Drop) {
            warnings.extend(images.make(&self.options.image_cache(), root, &read.assets));
        }
        let counts = (images.resized, images.cached);
        let changed = *self.images != images;
        self.images = Arc::new(images);
        self.image_warnings = warnings;
        (changed, counts)
    }

    /// Loads `site.toml` and the templates when they changed (or first);
    /// `full` when either did, the first time, or after a failed rebuild.
    fn prepare(&mut self, changed: &[PathBuf]) -> Result<Prepared, Vec<Diagnostic>> {
        let first = self.previous.is_none();
        let kinds: Vec<Option<InputKind>> = changed.iter().map(|p| self.classify(p)).collect();
        let has = |k: InputKind| kinds.contains(&Some(k));
        let mut full = first || self.dirty;
        self.dirty = true;
        if first || has(InputKind::Config) || self.config.is_none() {
            self.config = None;
            full = true;
        }
        let layout = self.layout;
        if first || has(InputKind::Template) || self.templates.is_none() {
            self.templates = Some(match layout {
                Layout::Site => render::load_templates(&self.options.root),
                Layout::Vault => Ok(render::builtin_templates()),
            });
            full = true;
        }
        let root = self.options.root.clone();
        let mut config = match &self.config {
            Some(c) => c.clone(),
            None => {
                let c = match layout {
                    Layout::Site => Config::load(&root)?,
                    Layout::Vault => Config::vault(&root),
                };
                self.config = Some(c.clone());
                c
            }
        };
        if let Some(url) = &self.options.base_url {
            crate::config::check_base_url(url).map_err(|why| {
                vec![
                    Diagnostic::whole_file(
                        Severity::Error,
                        "--base-url",
                        why.replace("`base_url`", "`--base-url`"),
                    )
                    .with_help(
                        "pass the URL the site is published at, e.g. --base-url https://user.github.io/repo/",
                    ),
                ]
            })?;
            config.base_url = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
        }
        // `static/extra.css` coming or going changes every page's <head>.
        config.extra_css =
            layout == Layout::Site && root.join(STATIC_DIR).join(crate::config::EXTRA_CSS).is_file();
        if self.extra_css != Some(config.extra_css) {
            self.extra_css = Some(config.extra_css);
            full = true;
        }
        let content_dir = layout.content_dir(&root);
        if !content_dir.is_dir() {
            return Err(vec![
                Diagnostic::whole_file(
                    Severity::Error,
                    CONTENT_DIR,
                    format!("no `{CONTENT_DIR}/` folder in {}", root.display()),
                )
                .with_help("run Lode in a site's root, or point --root at one"),
            ]);
        }
        // A change of `[front_matter] strict` reads every note again.
        let strictness = config.front_matter.strictness();
        if self.strictness != Some(strictness) {
            self.notes.clear();
            self.strictness = Some(strictness);
        }
        // So does a change of the languages: they are part of the notes' paths.
        let languages = config.other_languages();
        if self.languages != languages {
            self.notes.clear();
            self.indexed.clear();
            self.languages = languages;
        }
        Ok(Prepared { config, content_dir, full })
    }

    /// Reads and parses what changed: new notes, edited notes; drops deleted ones.
    fn read_notes(&mut self, changed: &[PathBuf], prepared: &Prepared) -> Result<Read, Vec<Diagnostic>> {
        let (content_dir, folder, root) =
            (&prepared.content_dir, self.layout.content_folder(), &self.options.root);
        let first = self.previous.is_none();
        // Edits of notes Lode already knows need no walk of content/.
        let known = |p: &PathBuf| {
            p.extension().is_some_and(|e| e == "md")
                && p.is_file()
                && p.strip_prefix(content_dir).is_ok_and(|rel| {
                    self.notes.contains_key(
                        &SourcePath::under(folder, &rel.to_string_lossy()).in_languages(&self.languages),
                    )
                })
        };
        let mut moved = false;
        let only_known = !first && !changed.is_empty() && changed.iter().all(known);
        let (paths, assets): (Vec<SourcePath>, _) = if only_known {
            (Vec::new(), self.assets.clone())
        } else {
            let (paths, assets, skipped) = content::list_under(content_dir, folder)?;
            let paths: Vec<SourcePath> = match self.languages.is_empty() {
                true => paths,
                false => paths.into_iter().map(|p| p.in_languages(&self.languages)).collect(),
            };
            self.skipped = skipped;
            if paths.is_empty() && self.layout == Layout::Vault {
                return Err(vec![
                    Diagnostic::whole_file(
                        Severity::Error,
                        root.display().to_string(),
                        format!("no notes in {}: no `{CONFIG_FILE}`, no `{CONTENT_DIR}/` folder and no `.md` file", root.display()),
                    )
                    .with_help("run Lode in a site's root or a folder of notes (a vault), or point --root at one"),
                ]);
            }
            moved = !assets.iter().map(|a| &a.path).eq(self.assets.iter().map(|a| &a.path));
            self.assets = assets.clone();
            (paths, assets)
        };
        let edited: HashSet<SourcePath> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(content_dir).ok())
            .map(|p| SourcePath::under(folder, &p.to_string_lossy()).in_languages(&self.languages))
            .collect();
        let to_read: Vec<SourcePath> = if only_known {
            // The notes are those known: read the edited ones again.
            edited.into_iter().collect()
        } else {
            let wanted: HashSet<&SourcePath> = paths.iter().collect();
            let before = self.notes.len();
            self.notes.retain(|p, _| wanted.contains(p));
            self.indexed.retain(|p, _| wanted.contains(p));
            moved |= self.notes.len() != before;
            paths
                .iter()
                .filter(|p| first || edited.contains(*p) || !self.notes.contains_key(*p))
                .cloned()
                .collect()
        };
        moved |= to_read.iter().any(|p| !self.notes.contains_key(p));
        let strictness = self.strictness.unwrap_or_default();
        let progress = Arc::clone(&self.progress);
        progress.start("reading notes", to_read.len());
        let parsed: Vec<(SourcePath, Parsed)> = to_read
            .into_par_iter()
            .inspect(|_| progress.tick())
            .map(|path| {
                let result = content::read_with(content_dir, path.clone(), strictness)
                    .map_err(|d| vec![d])
                    .map(|(file, unreadable)| {
                        let (note, mut problems) = content::parse_all(file, strictness);
                        problems.extend(unreadable);
                        (Arc::new(note), problems)
                    });
                (path, result)
            })
            .collect();
        let reparsed: Vec<SourcePath> = parsed.iter().map(|(p, _)| p.clone()).collect();
        self.notes.extend(parsed);
        Ok(Read { assets, reparsed, moved })
    }

    /// The notes to build, with the folded names of the drafts left out;
    /// their warnings and errors go to `problems`.
    fn collect_notes(&self, problems: &mut Vec<Diagnostic>) -> Collected {
        let templates = match self.templates.as_ref().expect("templates loaded by prepare") {
            Ok(t) => Some(t),
            Err(errors) => {
                problems.extend(errors.iter().cloned());
                None
            }
        };
        // A lenient site builds a note naming a template it lacks (Zola's and
        // Hugo's `template = "page.html"`) with the default one.
        let lenient = self.strictness == Some(content::Strictness::Lenient);
        let mut notes = Vec::with_capacity(self.notes.len());
        let mut draft_names = HashSet::new();
        for result in self.notes.values() {
            match result {
                Ok((note, warnings)) => {
                    problems.extend(warnings.iter().cloned());
                    let note = match templates {
                        Some(t) if lenient => {
                            let (note, template_warnings) = without_missing_templates(note, t);
                            problems.extend(template_warnings);
                            note
                        }
                        _ => Arc::clone(note),
                    };
                    if self.options.drafts || !note.front.draft {
                        notes.push(note);
                    } else {
                        draft_names.extend(crate::site::names_of(&note).map(|(_, n)| crate::site::fold(n)));
                    }
                }
                Err(errors) => problems.extend(errors.iter().cloned()),
            }
        }
        // Errors so far (front matter, templates) fail the build after the
        // index, the links and the checks have found every other problem.
        (notes, draft_names)
    }

    /// Indexes the notes and resolves their links. When no note or
    /// attachment came or went and no edited note changed what the index
    /// reads of it ([`crate::site::index_fingerprint`]), the last index is
    /// patched: the edited notes replaced, their links alone resolved again.
    #[allow(clippy::too_many_arguments)]
    fn index(
        &mut self,
        config: Config,
        notes: Vec<Arc<Note>>,
        draft_names: HashSet<String>,
        read: &Read,
        full: bool,
        problems: &mut Vec<Diagnostic>,
        timings: &mut Timings,
    ) -> Indexed {
        let mut same_index = !full && !read.moved;
        for path in &read.reparsed {
            let Some(Ok((note, _))) = self.notes.get(path) else { continue };
            let fingerprint = crate::site::index_fingerprint(note);
            same_index &= self.indexed.insert(path.clone(), fingerprint) == Some(fingerprint);
        }
        let previous = if same_index { self.previous.take() } else { None };
        let Some(Previous { mut site, mut graph, neighbours, views, .. }) = previous else {
            let (mut site, clashes) = Site::index_all(config, notes, read.assets.clone());
            problems.extend(clashes);
            site.draft_names = draft_names;
            timings.lap("index");
            let (graph, link_problems) = links::resolve(&site);
            problems.extend(link_problems);
            let neighbours = Neighbours::new(&site, &graph);
            timings.lap("links");
            let views = render::views(&site);
            timings.lap("views");
            return Indexed { patched: false, site, graph, neighbours, views };
        };
        // The notes are the same, in the same order: replace the edited ones.
        let by_path: HashMap<&str, &Arc<Note>> = notes.iter().map(|n| (n.path.as_str(), n)).collect();
        let ids: Vec<NoteId> = read
            .reparsed
            .iter()
            .filter_map(|path| {
                let id = site.by_path(path.as_str().trim_end_matches(".md"))?;
                site.replace_note(id, Arc::clone(by_path.get(path.as_str())?));
                Some(id)
            })
            .collect();
        site.config = config;
        timings.lap("index");
        let before: Vec<Vec<NoteId>> = ids.iter().map(|id| link_target_set(&graph, *id)).collect();
        problems.extend(links::update(&site, &mut graph, &ids));
        let after: Vec<Vec<NoteId>> = ids.iter().map(|id| link_target_set(&graph, *id)).collect();
        let neighbours = if before == after { neighbours } else { Neighbours::new(&site, &graph) };
        timings.lap("links");
        let views = views.update(&site, &ids);
        timings.lap("views");
        Indexed { patched: true, site, graph, neighbours, views }
    }

    /// The record of the notes' last changes, each note's made again only
    /// when the note, its permalink or its date from git changed.
    fn changes_record(&mut self, site: &Site, content_dir: &Path) -> crate::changes::Record {
        let paths: Vec<&str> = site.ids().map(|id| site.note(id).path.as_str()).collect();
        // Only a session that rebuilds again (`lode serve`) reuses them.
        let remember = self.remembers();
        let git = self.git.dates(content_dir, &paths);
        let kept = &mut self.made.changes;
        kept.retain(|path, _| site.by_path(path.trim_end_matches(".md")).is_some());
        // Each note's entry hashes its whole text and each section: made on
        // all cores (78 ms on one at 10,000 notes), the kept ones reused.
        let entries: Vec<(Arc<crate::changes::Entry>, bool)> = site
            .ids()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|&id| {
                let note = &site.notes[id.index()];
                let date = git.get(note.path.as_str());
                let fresh = kept.get(note.path.as_str()).filter(|(n, p, d, _)| {
                    Arc::ptr_eq(n, note) && p == site.permalink(id).as_str() && d.as_ref() == date
                });
                match fresh {
                    Some((.., r)) => (Arc::clone(r), false),
                    None => (Arc::new(crate::changes::entry(site, id, git)), true),
                }
            })
            .collect();
        let mut record = crate::changes::Record::new();
        for (id, (r, made)) in site.ids().zip(entries) {
            let note = &site.notes[id.index()];
            let permalink = site.permalink(id).as_str();
            if remember && made {
                let date = git.get(note.path.as_str()).cloned();
                kept.insert(
                    note.path.as_str().to_string(),
                    (Arc::clone(note), permalink.to_string(), date, Arc::clone(&r)),
                );
            }
            record.insert(permalink.to_string(), r);
        }
        record
    }

    /// Runs the checks whose reads changed; keeps the others' problems.
    fn run_checks(
        &mut self,
        site: &Site,
        graph: &LinkGraph,
        keys: &plan::Keys,
        changed: Option<&HashSet<plan::Dep, crate::hash::FnvBuild>>,
    ) -> Vec<Diagnostic> {
        let remember = self.remembers();
        let mut out = Vec::new();
        let stale = self.made.checks.stale(changed);
        for (name, check) in crate::check::SITE_CHECKS {
            let key = plan::key(name);
            if self.made.checks.fresh(key, &stale).is_none() {
                let (problems, reads) = crate::deps::capture_if(remember, || check(site, graph));
                self.made.checks.insert(key, recorded(remember, keys, site, &reads), problems);
            }
            out.extend(self.made.checks.get(key).into_iter().flatten().cloned());
        }
        let made = &mut self.made.note_checks;
        let stale = made.stale(changed);
        let stale: Vec<NoteId> =
            site.ids().filter(|id| made.fresh(keys.note(*id), &stale).is_none()).collect();
        let again: Vec<(NoteId, Vec<Diagnostic>, Vec<crate::deps::Read>)> = stale
            .into_par_iter()
            .map(|id| {
                let (problems, reads) =
                    crate::deps::capture_if(remember, || crate::check::note_checks(site, graph, id));
                (id, problems, reads)
            })
            .collect();
        for (id, problems, reads) in again {
            made.insert(keys.note(id), recorded(remember, keys, site, &reads), problems);
        }
        keys.forget_gone(made);
        for id in site.ids() {
            out.extend(made.get(keys.note(id)).into_iter().flatten().cloned());
        }
        out
    }

    /// Gathers again the questions and flashcards of the notes whose reads
    /// changed; returns the revision data's JSON when any note's changed
    /// (or the notes did), else `None`.
    fn revision_data(
        &mut self,
        site: &Site,
        graph: &LinkGraph,
        keys: &plan::Keys,
        changed: Option<&HashSet<plan::Dep, crate::hash::FnvBuild>>,
    ) -> Result<Option<String>, Vec<Diagnostic>> {
        let remember = self.remembers();
        // Lode's words in the explanations (a table's name, a footnote's
        // link) in each note's language.
        let strings = loaded_strings(&self.templates);
        let made = &mut self.made.revision;
        let stale = made.stale(changed);
        let stale: Vec<NoteId> =
            site.ids().filter(|id| made.fresh(keys.note(*id), &stale).is_none()).collect();
        let again: Vec<_> = stale
            .into_par_iter()
            .map(|id| {
                (
                    id,
                    crate::deps::capture_if(remember, || {
                        crate::render::revise::gather(site, graph, strings, id)
                    }),
                )
            })
            .collect();
        let before = made.len();
        keys.forget_gone(made);
        let mut any = before != made.len() || changed.is_none_or(|c| c.contains(&plan::Dep::Notes));
        for (id, (entries, reads)) in again {
            any |= made.get(keys.note(id)).is_none_or(|old| **old != entries);
            made.insert(keys.note(id), recorded(remember, keys, site, &reads), Arc::new(entries));
        }
        if !any {
            return Ok(None);
        }
        let entries: Vec<Arc<crate::render::revise::NoteEntries>> =
            site.ids().filter_map(|id| made.get(keys.note(id)).cloned()).collect();
        crate::render::revise::data_file(&entries).map(Some).map_err(|e| vec![e])
    }

    /// Renders the outputs whose reads changed, and the new ones; returns
    /// the output files so far and the update, pages counted.
    fn render(
        &mut self,
        site: &Site,
        graph: &LinkGraph,
        keys: &plan::Keys,
        inputs: &render::Inputs,
        changed: Option<&HashSet<plan::Dep, crate::hash::FnvBuild>>,
        problems: &[Diagnostic],
    ) -> Result<(BTreeMap<String, OutputFile>, Update), Vec<Diagnostic>> {
        let templates = self.templates.as_ref().and_then(|t| t.as_ref().ok()).expect("no template error");
        let outputs = render::outputs(site, inputs.views, templates.uses());
        let exists: HashSet<u64, crate::hash::FnvBuild> =
            outputs.iter().map(|(_, path)| plan::key(path)).collect();
        // Everything is made again when nothing can be kept.
        let mut files = if changed.is_some() { self.files.clone() } else { BTreeMap::new() };
        // Pages no longer made go.
        for key in self.made.pages.keys().filter(|k| !exists.contains(k)) {
            files.remove(self.made.pages.get(key).expect("listed"));
        }
        self.made.pages.retain(|k| exists.contains(&k));
        let stale = self.made.pages.stale(changed);
        let (selected, paths): (Vec<render::Output>, Vec<&str>) = outputs
            .iter()
            .filter(|(_, path)| self.made.pages.fresh(plan::key(path), &stale).is_none())
            .map(|(o, p)| (*o, p.as_str()))
            .unzip();
        let sink = match &self.pages {
            Pages::Write(sink) => Some(sink),
            Pages::Keep | Pages::Drop => None,
        };
        if let Some(sink) = sink {
            sink.make_dirs(paths.iter().copied()).map_err(|e| vec![sink.error(&e)])?;
        }
        let keep = matches!(self.pages, Pages::Keep);
        let progress = Arc::clone(&self.progress);
        let search = self.search_enabled();
        let written = &self.written;
        progress.start(
            if sink.is_some() { "rendering and writing pages" } else { "rendering pages" },
            selected.len(),
        );
        let card_cache = self.options.image_cache().join(crate::render::social::CACHE_DIR);
        let (cards_made, cards_cached) = (AtomicUsize::new(0), AtomicUsize::new(0));
        // Cards the cache could not keep, and the first reason: one warning.
        let (cards_unsaved, unsaved_why) = (AtomicUsize::new(0), std::sync::Mutex::new(None::<String>));
        // A page's social card: rasterized here, on the thread that rendered
        // the page, unless the cache has it (none for `lode check`).
        let card_file = |card: &crate::render::social::Card| -> Result<OutputFile, Diagnostic> {
            use crate::render::social::{Png, make};
            let png = make(&card_cache, card).map_err(|e| {
                Diagnostic::whole_file(
                    Severity::Error,
                    card.template.clone(),
                    format!("the social card of {} is not an SVG that can be drawn: {e}", card.note),
                )
                .with_help(
                    "make the template give one <svg> element, or set `[cards] enabled = false` in site.toml",
                )
            })?;
            let counter = if matches!(png, Png::Cached(_)) { &cards_cached } else { &cards_made };
            counter.fetch_add(1, Ordering::Relaxed);
            Ok(match png {
                Png::Cached(path) | Png::Made(path) => OutputFile::Copy(path),
                Png::Unsaved(bytes, why) => {
                    cards_unsaved.fetch_add(1, Ordering::Relaxed);
                    unsaved_why.lock().unwrap_or_else(|e| e.into_inner()).get_or_insert(why);
                    OutputFile::Bytes(Arc::from(bytes))
                }
            })
        };
        let emit = |page: render::Page| -> Result<Rendered, Diagnostic> {
            progress.tick();
            let card = match (&page.social, &self.pages) {
                (Some(card), Pages::Write(_) | Pages::Keep) => Some((card.path.clone(), card_file(card)?)),
                _ => None,
            };
            let file = match sink {
                Some(sink) => {
                    let bytes = page.html.as_bytes();
                    sink.write(&page.path, bytes).map_err(|e| sink.error(&e))?;
                    let record =
                        search.then(|| crate::search::record_of(&page.path, bytes)).flatten().map(Arc::new);
                    let size_and_hash = (bytes.len() as u64, crate::offline::content_hash(bytes));
                    written
                        .lock()
                        .expect("no panic while locked")
                        .insert(page.path.clone(), WrittenPage { size_and_hash, record });
                    OutputFile::Written
                }
                None if keep => OutputFile::Bytes(Arc::from(page.html.into_bytes())),
                None => OutputFile::Written,
            };
            Ok((page.path, file, card))
        };
        let pages = render::render_site(site, graph, templates, inputs, &selected, self.remembers(), &emit)
            .map_err(|e| sorted([problems.to_vec(), e].concat()))?;
        let remember = self.remembers();
        let rendered_paths: Vec<String> =
            paths.iter().filter(|p| !render::SITE_FILES.contains(p)).map(|p| p.to_string()).collect();
        let mut update = Update { rendered_paths, ..Update::default() };
        let cards = &mut self.made.cards;
        cards.retain(|page, _| exists.contains(&plan::key(page)));
        for ((path, file, card), reads) in pages {
            match card {
                Some((card_path, card_file)) => {
                    if self.files.get(&card_path) != Some(&card_file) {
                        update.changed.push(card_path.clone());
                    }
                    files.insert(card_path.clone(), card_file);
                    cards.insert(path.clone(), card_path);
                }
                None => drop(cards.remove(&path)),
            }
            if remember {
                self.made.pages.insert(
                    plan::key(&path),
                    recorded(remember, keys, site, &reads),
                    path.clone(),
                );
            }
            if self.files.get(&path) != Some(&file) {
                update.changed.push(path.clone());
            }
            files.insert(path, file);
        }
        // The cards no page names any more go.
        let named: HashSet<&str> = cards.values().map(String::as_str).collect();
        files.retain(|path, _| {
            !path.starts_with(crate::render::social::OUTPUT_DIR) || named.contains(path.as_str())
        });
        update.cards_made = cards_made.into_inner();
        update.cards_cached = cards_cached.into_inner();
        let unsaved = cards_unsaved.into_inner();
        if let Some(why) = unsaved_why.into_inner().unwrap_or_else(|e| e.into_inner()) {
            let s = if unsaved == 1 { "" } else { "s" };
            update.warnings.push(
                Diagnostic::whole_file(
                    Severity::Warning,
                    card_cache.display().to_string(),
                    format!("{unsaved} social card{s} could not be kept in the cache folder ({why}): written to the output, but drawn again on every build"),
                )
                .with_help("make the folder writable, or set LODE_CACHE_DIR to a writable folder")
                .with_kind(crate::diagnostics::Kind::Other),
            );
        }
        Ok((files, update))
    }

    /// Puts `bytes` at `path` among `files`, noting it in `update` when it changed.
    fn put(&self, files: &mut BTreeMap<String, OutputFile>, update: &mut Update, path: &str, bytes: Vec<u8>) {
        let file = OutputFile::Bytes(Arc::from(bytes));
        if self.files.get(path) != Some(&file) {
            update.changed.push(path.to_string());
        }
        files.insert(path.to_string(), file);
    }

    /// The link previews of the notes whose reads changed, and the shards
    /// holding them, written again.
    fn previews(
        &mut self,
        site: &Site,
        graph: &LinkGraph,
        keys: &plan::Keys,
        changed: Option<&HashSet<plan::Dep, crate::hash::FnvBuild>>,
        files: &mut BTreeMap<String, OutputFile>,
        update: &mut Update,
    ) {
        use crate::render::reading::{shard_count, shard_json, shard_of, shard_path};
        let count = shard_count(site.notes.len());
        let shard = |id: NoteId| shard_of(site.permalink(id).as_str(), count);
        let path_of = |id: NoteId| keys.note(id);
        let remember = self.remembers();
        let mut made = std::mem::take(&mut self.made.previews);
        let stale = made.stale(changed);
        let stale: Vec<NoteId> = site.ids().filter(|id| made.fresh(path_of(*id), &stale).is_none()).collect();
        let linked = crate::render::reading::linked_anchors(graph);
        // Lode's words in a preview ("Date", "Yes") in the note's language.
        let strings = loaded_strings(&self.templates);
        let again: Vec<_> = stale
            .into_par_iter()
            .map(|id| {
                let json = || crate::render::reading::preview_json(site, graph, &linked, strings, id);
                (id, crate::deps::capture_if(remember, json))
            })
            .collect();
        drop(linked);
        if !remember {
            // `lode build`: each note's preview goes into its shard and none
            // is kept; a shard's go as it is made (at 100,000 notes the
            // previews were held twice, 256 MB, at the build's peak).
            let mut shards: Vec<Vec<(&str, String)>> = vec![Vec::new(); count];
            for (id, (json, _)) in again {
                shards[shard(id)].push((site.permalink(id).as_str(), json));
            }
            files.retain(|path, _| !path.starts_with(crate::render::reading::PREVIEWS_DIR));
            for (k, list) in shards.into_iter().enumerate() {
                let bytes = shard_json(list.iter().map(|(p, json)| (*p, json.as_str())));
                drop(list);
                self.put(files, update, &shard_path(k), bytes);
            }
            self.made.previews = plan::Memo::default();
            return;
        }
        // A note gone, or the count of shards changed: every shard again.
        let before = made.len();
        keys.forget_gone(&mut made);
        let all = before != made.len() || changed.is_none_or(|c| c.contains(&plan::Dep::Notes));
        let mut dirty: HashSet<usize> = HashSet::new();
        for (id, (json, reads)) in again {
            dirty.insert(shard(id));
            made.insert(path_of(id), recorded(remember, keys, site, &reads), json);
        }
        if all {
            files.retain(|path, _| !path.starts_with(crate::render::reading::PREVIEWS_DIR));
            dirty.extend(0..count);
        }
        let mut shards: Vec<Vec<(&str, &str)>> = vec![Vec::new(); count];
        for id in site.ids() {
            if dirty.contains(&shard(id))
                && let Some(json) = made.get(path_of(id))
            {
                shards[shard(id)].push((site.permalink(id).as_str(), json.as_str()));
            }
        }
        let mut dirty: Vec<usize> = dirty.into_iter().collect();
        dirty.sort_unstable();
        for k in dirty {
            let bytes = shard_json(std::mem::take(&mut shards[k]));
            self.put(files, update, &shard_path(k), bytes);
        }
        drop(shards);
        self.made.previews = made;
    }

    /// `static/` and the attachments, copied; the default files. A copy may
    /// replace a site file (`404.html`…), never a page.
    ///
    /// # Errors
    /// A file that would overwrite a page.
    fn copies(
        &self,
        site: &Site,
        changed: &[PathBuf],
        files: &mut BTreeMap<String, OutputFile>,
        update: &mut Update,
    ) -> Result<(), Vec<Diagnostic>> {
        let root = &self.options.root;
        // A vault has no theme folder: its `static/`, if any, is notes.
        let static_dir = (self.layout == Layout::Site).then(|| root.join(STATIC_DIR));
        let copied = copies(static_dir.as_deref(), site, &self.options.image_cache());
        let collisions: Vec<Diagnostic> = copied
            .iter()
            .filter(|(_, rel)| {
                rel.ends_with("index.html")
                    && files.get(rel).is_some_and(|f| !matches!(f, OutputFile::Copy(_)))
            })
            .map(|(source, rel)| {
                let file = source.strip_prefix(root).unwrap_or(source).to_string_lossy().replace('\\', "/");
                Diagnostic::whole_file(
                    Severity::Error,
                    file,
                    format!("this file would overwrite the generated page {rel}"),
                )
                .with_help("rename or move the file; pages come from notes")
            })
            .collect();
        if !collisions.is_empty() {
            return Err(collisions);
        }
        // Copies are listed whole each time: one whose source is gone goes
        // (social cards, copied from their cache, are the pages').
        files.retain(|rel, f| {
            !matches!(f, OutputFile::Copy(_)) || rel.starts_with(crate::render::social::OUTPUT_DIR)
        });
        for (source, rel) in copied {
            let is_new = !self.files.contains_key(&rel);
            if is_new || changed.iter().any(|c| c == &source || root.join(c) == source) {
                update.changed.push(rel.clone());
            }
            files.insert(rel, OutputFile::Copy(source));
        }
        for (rel, bytes) in extra_files(static_dir.as_deref(), &site.config) {
            if !matches!(files.get(&rel), Some(OutputFile::Copy(_))) {
                self.put(files, update, &rel, bytes);
            }
        }
        Ok(())
    }

    /// Mermaid (`code::mermaid::files`), written only for a site that has a
    /// diagram (3.6 MB: no other site's output, nor a reader's offline copy
    /// of it, carries it), and gone with the last diagram. Run on every
    /// rebuild: an edited note may add or remove the site's only diagram.
    fn diagram_files(&self, site: &Site, files: &mut BTreeMap<String, OutputFile>, update: &mut Update) {
        use crate::code::mermaid;
        // A diagram in a body, or in a question's explanation only (drawn
        // on its note's page and the revision sheets).
        let diagrams = site.ids().any(|id| {
            let note = site.note(id);
            note.scan.diagrams > 0 || note.explanation_scans.iter().any(|s| s.diagrams > 0)
        });
        if !diagrams {
            mermaid::PATHS.iter().for_each(|rel| drop(files.remove(*rel)));
        } else if mermaid::PATHS.iter().any(|rel| !files.contains_key(*rel)) {
            for (rel, bytes) in mermaid::files() {
                if !files.contains_key(rel) {
                    self.put(files, update, rel, bytes);
                }
            }
        }
    }
}

/// `reads` as kept for the next rebuild: none when there is none (`lode
/// build` and `lode check` rebuild once).
fn recorded(remember: bool, keys: &plan::Keys, site: &Site, reads: &[crate::deps::Read]) -> Vec<plan::Dep> {
    if remember { keys.deps(site, reads) } else { Vec::new() }
}

/// FNV-1a 64 of what `/changes/` lists of the record: each note's
/// permalink, last change and its source (not its hashes).
fn changes_fingerprint(record: &crate::changes::Record) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::hash::Fnv::default();
    for (permalink, r) in record {
        (permalink, &r.record.changed, r.record.source).hash(&mut h);
    }
    h.finish()
}

/// The notes a note links to (body and explanations), sorted, each once.
fn link_target_set(graph: &LinkGraph, id: NoteId) -> Vec<NoteId> {
    let parts =
        std::iter::once(Part::Body).chain((0..graph.explanations[id.index()].len()).map(Part::Explanation));
    let mut ids: Vec<NoteId> = parts
        .flat_map(|part| graph.targets(id, part).iter())
        .filter_map(|t| match t {
            Some(Target::Note { id, .. }) => Some(*id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The interface strings of the loaded templates (Lode's English before
/// they load or when they failed). A changed translation file is a template
/// change, which rebuilds everything (`Session::prepare`), so what is made
/// from these needs no recorded read of them.
fn loaded_strings(templates: &Option<Result<render::Templates, Vec<Diagnostic>>>) -> &render::Strings {
    match templates {
        Some(Ok(templates)) => templates.strings(),
        _ => render::builtin_strings(),
    }
}

/// `note` without the `template` or `page_template` it names when the site
/// has no such template, with a warning at each key; `note` itself when it
/// names none or only existing ones.
fn without_missing_templates(
    note: &Arc<Note>,
    templates: &render::Templates,
) -> (Arc<Note>, Vec<Diagnostic>) {
    let mut front = None;
    let mut warnings = Vec::new();
    for key in ["template", "page_template"] {
        let named = if key == "template" { &note.front.template } else { &note.front.page_template };
        let Some(name) = named.as_ref().filter(|name| !templates.contains(name)) else { continue };
        let at = content::key_offset(note, key);
        warnings.push(
            Diagnostic::at(
                Severity::Warning,
                note.path.display(),
                &note.text,
                at..at + key.len(),
                format!("template \"{name}\" does not exist: the default template is used"),
            )
            .with_help(format!("create {}/{name}, or remove `{key}`", render::TEMPLATES_DIR))
            .with_kind(diagnostics::Kind::Template),
        );
        let front = front.get_or_insert_with(|| note.front.clone());
        if key == "template" { front.template = None } else { front.page_template = None }
    }
    match front {
        Some(front) => (Arc::new(Note { front, ..Note::clone(note) }), warnings),
        None => (Arc::clone(note), warnings),
    }
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diagnostics);
    diagnostics
}

/// `static_dir` (none for a vault) and the assets among the notes, as
/// (source, output path).
fn copies(static_dir: Option<&Path>, site: &Site, cache: &Path) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = static_dir
        .into_iter()
        .flat_map(|dir| walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().map(move |e| (dir, e)))
        .filter_map(|(dir, e)| e.ok().map(|e| (dir, e)))
        .filter(|(_, e)| e.file_type().is_file())
        .filter_map(|(dir, e)| {
            let rel = e.path().strip_prefix(dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((e.path().to_path_buf(), rel))
        })
        // Written by `extra_files`, with `strings.js` in front.
        .filter(|(_, rel)| !SPEAKING.contains(&rel.as_str()))
        .collect();
    out.extend(site.assets().iter().map(|a| (a.source.clone(), a.path.as_str().to_string())));
    // The images' resized copies, from the cache (`BuildOptions::image_cache`).
    out.extend(site.images.outputs(cache));
    out
}

/// The files written besides pages and copies (a copy of the same name wins):
/// `.nojekyll`, so GitHub Pages publishes the folder as it is; the default
/// files of [`DEFAULT_STATIC`] the site does not replace, and the [`BUNDLE`]
/// of the site's or default scripts; `robots.txt` naming the
/// sitemap; `CNAME` when `site.toml` sets `cname`.
fn extra_files(static_dir: Option<&Path>, config: &Config) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(".nojekyll".to_string(), Vec::new())];
    let own = |path: &str| static_dir.and_then(|dir| std::fs::read(dir.join(path)).ok());
    for (path, text) in DEFAULT_STATIC {
        if SPEAKING.contains(path) {
            let mut bytes = own("strings.js").unwrap_or_else(|| DEFAULT_STRINGS_JS.as_bytes().to_vec());
            bytes.push(b'\n');
            bytes.extend(own(path).unwrap_or_else(|| text.as_bytes().to_vec()));
            files.push((path.to_string(), bytes));
        } else if !static_dir.is_some_and(|dir| dir.join(path).is_file()) {
            files.push((path.to_string(), text.as_bytes().to_vec()));
        }
    }
    let (bundle, parts) = BUNDLE;
    if !static_dir.is_some_and(|dir| dir.join(bundle).is_file()) {
        let mut joined = Vec::new();
        for part in parts {
            let own = own(part);
            let default =
                DEFAULT_STATIC.iter().find(|(path, _)| path == part).map(|(_, text)| text.as_bytes());
            joined.extend_from_slice(own.as_deref().or(default).unwrap_or_default());
            joined.extend_from_slice(b"\n");
        }
        files.push((bundle.to_string(), joined));
    }
    if !static_dir.is_some_and(|dir| dir.join(crate::offline::MANIFEST_PATH).is_file()) {
        files.push((crate::offline::MANIFEST_PATH.into(), crate::offline::web_manifest(config)));
    }
    let robots = format!("User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n", config.base_url);
    files.push(("robots.txt".into(), robots.into_bytes()));
    if let Some(domain) = &config.cname {
        files.push(("CNAME".into(), format!("{domain}\n").into_bytes()));
    }
    files
}

/// Runs every check of a build (front matter, links, embeds, questions,
/// permalinks, schemas, templates) without writing anything.
///
/// Returns the rebuild's summary: warnings, notes checked, time per stage.
///
/// # Errors
/// Every problem found, sorted, when any is an error (or, with
/// [`BuildOptions::strict`], when there is any problem at all).
pub fn check(options: &BuildOptions) -> Result<Update, Vec<Diagnostic>> {
    check_root(&options.root).map_err(|d| vec![d])?;
    let mut session = Session::new(options.clone());
    session.pages = Pages::Drop;
    let update = session.rebuild(&[])?;
    match options.strict && !update.warnings.is_empty() {
        true => Err(update.warnings),
        false => Ok(update),
    }
}

/// That `root` (`--root`) is a folder: `build`, `check` and `serve` give the
/// same error for a missing one or a file, before anything else is read.
///
/// # Errors
/// A diagnostic on `--root` naming the path and what it is.
pub fn check_root(root: &Path) -> Result<(), Diagnostic> {
    let problem = match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => return Ok(()),
        Ok(_) => format!("{} is a file, not a folder", root.display()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => format!("{} does not exist", root.display()),
        Err(e) => format!("cannot open {}: {e}", root.display()),
    };
    Err(Diagnostic::whole_file(Severity::Error, "--root", format!("the site root {problem}")).with_help(
        "point --root at a site's folder (the one with site.toml) or at a folder of notes (a vault)",
    ))
}

/// Builds the site and writes it to the output folder, atomically.
///
/// # Errors
/// Every problem found, sorted, when any is an error (or, with
/// [`BuildOptions::strict`], when there is any problem at all); nothing is
/// written then. A write failure is reported as a diagnostic on the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    build_with_progress(options, Arc::default())
}

/// [`build`], publishing each stage and its count of items done to
/// `progress` as it goes (the `lode` command draws a progress bar from it).
///
/// # Errors
/// As [`build`].
pub fn build_with_progress(
    options: &BuildOptions,
    progress: Arc<Progress>,
) -> Result<BuildReport, Vec<Diagnostic>> {
    check_root(&options.root).map_err(|d| vec![d])?;
    let output = options.output_dir();
    check_output_dir(&options.root, &output).map_err(|d| vec![d])?;
    let given = output;
    let output = written_to(&given);
    // The folders the staging folder needs (a vault's `.lode/`) are removed
    // again when the build fails: a failed build leaves nothing behind.
    let parent = staging_parent(&output);
    let missing: Vec<PathBuf> =
        parent.ancestors().take_while(|p| !p.exists()).map(Path::to_path_buf).collect();
    let mut built = build_into(options, &output, progress);
    if built.is_err() {
        for dir in &missing {
            let _ = std::fs::remove_dir(dir);
        }
    }
    if let Ok(report) = &mut built {
        report.output = given;
    }
    built
}

/// The folder a build replaces: `output` itself, or the folder it links to
/// when it is a symbolic link (a web server's folder, say), so that the
/// link stays and the folder it names gets the new build. Before, the link
/// was replaced by a folder of its own, and what it named was left stale.
/// A link to nothing is left as given (the swap then reports the error).
fn written_to(output: &Path) -> PathBuf {
    match std::fs::symlink_metadata(output) {
        Ok(meta) if meta.file_type().is_symlink() => {
            std::fs::canonicalize(output).ok().filter(|p| p.is_dir()).unwrap_or_else(|| output.to_path_buf())
        }
        _ => output.to_path_buf(),
    }
}

/// Gives the memory freed so far back to the system. mimalloc (the `lode`
/// binary's allocator) keeps freed pages for reuse by the thread that freed
/// them; the search index, made next on other threads and in other sizes,
/// reused almost none of a dropped session's, so the build's peak was the
/// two together (10,000 notes: 277 MiB, 179 after this).
#[allow(unsafe_code, reason = "mi_collect is a C function of the allocator")]
fn return_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers and has no preconditions; where
    // mimalloc is not the global allocator (the tests) its heaps are empty.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// [`build_with_progress`] once the output folder is known to be safe.
fn build_into(
    options: &BuildOptions,
    output: &Path,
    progress: Arc<Progress>,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let output = output.to_path_buf();
    // Pages go into the staging folder as they are rendered; dropping it
    // (on any error below) deletes it.
    let staging = staging_dir(&output).map_err(|e| vec![write_error(&output, &e)])?;
    let mut session = Session::new(options.clone()).with_progress(Arc::clone(&progress));
    session.pages = Pages::Write(Sink {
        dir: staging.path().to_path_buf(),
        output: output.clone(),
        previous: output.is_dir().then(|| output.clone()),
    });
    let mut update = session.rebuild(&[])?;
    if options.strict && !update.warnings.is_empty() {
        // Strict: the warnings fail the build before anything is swapped
        // in (the staging folder goes when dropped).
        return Err(std::mem::take(&mut update.warnings));
    }
    let indexing = Instant::now();
    progress.start("indexing for search", 0);
    let mut written = std::mem::take(&mut *session.written.lock().expect("no panic while locked"));
    let (search_enabled, layout) = (session.search_enabled(), session.layout);
    let languages = std::mem::take(&mut session.languages);
    let files = std::mem::take(&mut session.files);
    let Pages::Write(sink) = std::mem::replace(&mut session.pages, Pages::Drop) else {
        unreachable!("set above")
    };
    // Nothing below reads the session: its notes, views and records go
    // before the search index is made (at 100,000 notes 1.5 GB of 3.4).
    drop(session);
    return_freed_memory();
    // The records leave `written` for the index, and go with it: nothing
    // after it needs them (tens of megabytes at 10,000 notes).
    let records: HashMap<String, Option<Arc<crate::search::Record>>> =
        written.iter_mut().map(|(path, w)| (path.clone(), w.record.take())).collect();
    // The index's files go into the staging folder as they are made.
    let put = |path: &str, bytes: Vec<u8>| sink.write(path, &bytes).map(|()| OutputFile::Written);
    let search = search_enabled
        .then(|| crate::search::index(&files, Some(staging.path()), records, &put, &languages))
        .transpose();
    let search = search.map_err(|d| vec![d])?;
    if search.is_some() {
        update.timings.push(("search index", indexing.elapsed()));
    }
    let writing = Instant::now();
    let mut files = files;
    files.extend(search.into_iter().flatten());
    // The list of files a reader may save for offline reading (`lode serve` has none).
    let offline = crate::offline::list(&files, Some(staging.path()), &|path| {
        written.get(path).map(|w| w.size_and_hash)
    })
    .map_err(|e| vec![write_error(&output, &e)])?;
    files.insert(crate::offline::LIST_PATH.into(), OutputFile::Bytes(Arc::from(offline)));
    write_rest(&sink, &files, &progress)
        .and_then(|()| swap_in(staging, &output))
        .map_err(|e| vec![write_error(&output, &e)])?;
    Ok(BuildReport {
        notes: update.notes,
        assets: update.assets,
        layout,
        pages: update.rendered(),
        millis: start.elapsed().as_millis(),
        images_resized: update.images_resized,
        images_cached: update.images_cached,
        cards_made: update.cards_made,
        cards_cached: update.cards_cached,
        warnings: std::mem::take(&mut update.warnings),
        output,
        timings: {
            update.timings.push(("write", writing.elapsed()));
            update.timings
        },
    })
}

/// Renders one Markdown `body` (`\n` line ends, no front matter) to HTML as
/// the body of the only note of a site would be: comments stripped, links
/// resolved against that one-note site (so `[[Other]]` and `[x](other.md)`
/// render as broken links, `[[#Heading]]` as `#heading`), headings given ids
/// and anchor links. Nothing is lifted out as the page title: a leading
/// `# Heading` is rendered like any other heading. For tests and tools that
/// compare Lode's Markdown with other renderers (the CommonMark spec suite).
///
/// # Errors
/// None in practice: one note at the home page's permalink collides with nothing.
pub fn render_markdown(body: &str) -> Result<String, Vec<Diagnostic>> {
    // An empty TOML block, so a body starting with `---` is not taken for front matter.
    let text = format!("+++\n+++\n{body}");
    let (mut note, _) = content::parse(content::SourceFile { path: SourcePath::new("_index.md"), text })?;
    note.scan.leading_h1 = None;
    let site = Site::index(Config::default(), vec![Arc::new(note)], Vec::new())?;
    let (graph, _) = links::resolve(&site);
    let id = NoteId(0);
    let root = site.permalink(id).path_to_root();
    let bodies = crate::render::body::BodyRenderer::new(&site, &graph, Some(id), &root);
    Ok(bodies.body(id))
}
