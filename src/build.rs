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

/// The stylesheet written when a site has no `static/style.css` of its own.
pub const DEFAULT_STYLESHEET: &str = include_str!("../static/style.css");

/// The files every site gets, as (output path, text), embedded in the
/// binary: each is written unless the site's `static/` has a file of the
/// same path, which replaces it (as a site's template replaces ours).
pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("style.css", DEFAULT_STYLESHEET),
    ("favicon.svg", include_str!("../static/favicon.svg")),
    // Search: the dialog over the Pagefind index (see `search`).
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
    // Offline reading on request: the "Save for offline" control and the service worker (see `offline`).
    ("offline.js", include_str!("../static/offline.js")),
    ("sw.js", include_str!("../static/sw.js")),
];

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
}

impl BuildOptions {
    /// Options for building the site at `root` with the defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions { root: root.into(), output: None, base_url: None, drafts: false }
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
    /// Pages rendered by this rebuild.
    pub rendered: usize,
    /// Warnings of the whole site.
    pub warnings: Vec<Diagnostic>,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, std::time::Duration)>,
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

/// What about a note other pages show: when it changes, the pages that can
/// show it are rendered again (see `identity_affected`), or every page when
/// the site's shape changed; when only the rest of the note changes, only
/// the pages that show its body or its sentences are.
#[derive(Clone, Debug, PartialEq)]
struct Identity {
    title: String,
    aliases: Vec<String>,
    summary: Option<String>,
    tags: Vec<String>,
    date: Option<String>,
    updated: Option<String>,
    weight: Option<i64>,
    draft: bool,
    template: Option<String>,
    page_template: Option<String>,
    sort_by: Option<String>,
    extra: serde_json::Value,
    events: Vec<(String, String)>,
    headings: Vec<(String, String)>,
    /// Block ids: links from other notes may name them (`[[Note#^id]]`).
    blocks: Vec<String>,
    /// `cards`: a collection's declared card fields make its notes' flashcards.
    cards: crate::content::CardsKey,
    /// A collection's `[schema]`: the site-wide checks read it.
    schema: Vec<crate::content::FieldSchema>,
}

impl Identity {
    fn of(note: &Note) -> Self {
        let f = &note.front;
        Identity {
            title: note.title.clone(),
            aliases: f.aliases.clone(),
            summary: f.summary.clone(),
            tags: f.tags.clone(),
            date: f.date.clone(),
            updated: f.updated.clone(),
            weight: f.weight,
            draft: f.draft,
            template: f.template.clone(),
            page_template: f.page_template.clone(),
            sort_by: f.sort_by.clone(),
            extra: f.extra.clone(),
            events: f.events.iter().map(|e| (e.date.clone(), e.title.clone())).collect(),
            headings: note.scan.headings.iter().map(|h| (h.id.clone(), h.text.clone())).collect(),
            blocks: note.scan.blocks.iter().map(|b| b.id.clone()).collect(),
            cards: f.cards.clone(),
            schema: f.schema.clone(),
        }
    }
}

/// A note as last read: parsed with its warnings, or its errors.
type Parsed = Result<(Arc<Note>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// The last good build, kept to tell what an edit touches, and the
/// site-wide data an edit of bodies can often reuse.
struct Previous {
    site: Site,
    graph: LinkGraph,
    neighbours: Neighbours,
    /// Every note's questions and flashcards, by note index (see [`crate::render::revise`]).
    revision: Vec<crate::render::revise::NoteEntries>,
}

/// A site kept in memory between builds: `lode build` runs one rebuild,
/// `lode serve` one per burst of edits. Notes are re-read and re-parsed
/// only when they changed; pages are re-rendered only when an edit can
/// change them; the last good output stays when a rebuild fails.
pub struct Session {
    options: BuildOptions,
    /// Where the notes, templates and static files are (read once).
    layout: Layout,
    config: Option<Config>,
    templates: Option<Result<render::Templates, Vec<Diagnostic>>>,
    /// How the notes in `notes` were read.
    strictness: Option<content::Strictness>,
    notes: BTreeMap<SourcePath, Parsed>,
    previous: Option<Previous>,
    views: Option<Arc<render::Views>>,
    /// Identity of every parsed note, updated as notes are re-parsed.
    identities: HashMap<SourcePath, Identity>,
    /// The note names (folded) each page looked up with `note(name=…)`, and
    /// [`render::TIMELINE_LOOKUP`] if it called `timeline()`, by the page's
    /// `current_path` (a note's permalink).
    lookups: HashMap<String, HashSet<String>>,
    /// A rebuild started and did not finish: the next one renders everything.
    dirty: bool,
    /// Results of the checks that only a structural edit can change.
    structural_checks: Vec<Diagnostic>,
    /// The files under `content/` that are not notes, as last listed.
    assets: Vec<content::Asset>,
    files: BTreeMap<String, OutputFile>,
    /// Overrides the path of `base_url` for `404.html` (`lode serve` serves at `/`).
    served_at: Option<String>,
    /// What a rebuild does with each page it renders.
    pages: Pages,
    /// Where the current stage and its count are published.
    progress: Arc<Progress>,
    /// The notes' last-change dates from git, read again when `HEAD` moves.
    git: crate::changes::GitDates,
}

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
            notes: BTreeMap::new(),
            previous: None,
            views: None,
            identities: HashMap::new(),
            lookups: HashMap::new(),
            dirty: false,
            structural_checks: Vec::new(),
            assets: Vec::new(),
            files: BTreeMap::new(),
            served_at: None,
            pages: Pages::Keep,
            progress: Arc::default(),
            git: Default::default(),
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
            STATIC_DIR => Some(InputKind::Static),
            CONTENT_DIR if rel.extension().is_some_and(|e| e == "md") => Some(InputKind::Note),
            CONTENT_DIR if rel.extension().is_some() => Some(InputKind::Static),
            // A folder under content/ (renamed, deleted): notes may have moved.
            CONTENT_DIR => Some(InputKind::Note),
            _ => None,
        }
    }

    /// Rebuilds after `changed` paths changed (all of them on the first call).
    ///
    /// # Errors
    /// Every error in the site, sorted, with its warnings; the previous
    /// output is kept.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Update, Vec<Diagnostic>> {
        let first = self.previous.is_none();
        let mut timings = Timings::default();
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
                    Layout::Site => Config::load(&root).map_err(|d| vec![d])?,
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
        let content_dir = layout.content_dir(&root);
        let folder = layout.content_folder();
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

        // Read and parse what changed: new notes, edited notes; drop deleted
        // ones. A change of `[front_matter] strict` reads every note again.
        let strictness = config.front_matter.strictness();
        if self.strictness != Some(strictness) {
            self.notes.clear();
            self.strictness = Some(strictness);
        }
        timings.lap("config and templates");
        // Edits of notes Lode already knows need no walk of content/.
        let known = |p: &PathBuf| {
            p.extension().is_some_and(|e| e == "md")
                && p.is_file()
                && p.strip_prefix(&content_dir).is_ok_and(|rel| {
                    self.notes.contains_key(&SourcePath::under(folder, &rel.to_string_lossy()))
                })
        };
        // An attachment added or removed can change where any note's links point.
        let mut assets_moved = false;
        let (paths, assets) = if !first && !changed.is_empty() && changed.iter().all(known) {
            (self.notes.keys().cloned().collect(), self.assets.clone())
        } else {
            let (paths, assets) = content::list_under(&content_dir, folder)?;
            if paths.is_empty() && layout == Layout::Vault {
                return Err(vec![
                    Diagnostic::whole_file(
                        Severity::Error,
                        root.display().to_string(),
                        format!("no notes in {}: no `{CONFIG_FILE}`, no `{CONTENT_DIR}/` folder and no `.md` file", root.display()),
                    )
                    .with_help("run Lode in a site's root or a folder of notes (a vault), or point --root at one"),
                ]);
            }
            assets_moved = !assets.iter().map(|a| &a.path).eq(self.assets.iter().map(|a| &a.path));
            self.assets = assets.clone();
            (paths, assets)
        };
        // Which notes link to a new or deleted attachment is not recorded: render them all.
        full |= assets_moved;
        let edited: HashSet<SourcePath> = changed
            .iter()
            .filter_map(|p| p.strip_prefix(&content_dir).ok())
            .map(|p| SourcePath::under(folder, &p.to_string_lossy()))
            .collect();
        let wanted: HashSet<&SourcePath> = paths.iter().collect();
        let before = self.notes.len();
        self.notes.retain(|p, _| wanted.contains(p));
        let mut structural = self.notes.len() != before;
        let to_read: Vec<SourcePath> = paths
            .iter()
            .filter(|p| first || edited.contains(*p) || !self.notes.contains_key(*p))
            .cloned()
            .collect();
        structural |= to_read.iter().any(|p| !self.notes.contains_key(p));
        let progress = Arc::clone(&self.progress);
        progress.start("reading notes", to_read.len());
        let parsed: Vec<(SourcePath, Parsed)> = to_read
            .into_par_iter()
            .inspect(|_| progress.tick())
            .map(|path| {
                let result = content::read_with(&content_dir, path.clone(), strictness)
                    .map_err(|d| vec![d])
                    .and_then(|(file, unreadable)| {
                        let (note, mut warnings) = content::parse_with(file, strictness)?;
                        warnings.extend(unreadable);
                        Ok((Arc::new(note), warnings))
                    });
                (path, result)
            })
            .collect();
        let reparsed: Vec<SourcePath> = parsed.iter().map(|(p, _)| p.clone()).collect();
        self.notes.extend(parsed);

        timings.lap("read and parse");
        let mut problems: Vec<Diagnostic> = Vec::new();
        let templates = match self.templates.as_ref().expect("templates loaded above") {
            Ok(t) => Some(t),
            Err(errors) => {
                problems.extend(errors.iter().cloned());
                None
            }
        };
        // A lenient site builds a note naming a template it lacks (Zola's and
        // Hugo's `template = "page.html"`) with the default one.
        let lenient = strictness == content::Strictness::Lenient;
        let usable = |note: &Arc<Note>| match templates {
            Some(t) if lenient => without_missing_templates(note, t),
            _ => (Arc::clone(note), Vec::new()),
        };
        let mut notes = Vec::with_capacity(self.notes.len());
        let mut draft_names = HashSet::new();
        for result in self.notes.values() {
            match result {
                Ok((note, warnings)) => {
                    problems.extend(warnings.iter().cloned());
                    let (note, template_warnings) = usable(note);
                    problems.extend(template_warnings);
                    if self.options.drafts || !note.front.draft {
                        notes.push(note);
                    } else {
                        draft_names.extend(crate::site::names_of(&note).map(|(_, n)| crate::site::fold(n)));
                    }
                }
                Err(errors) => problems.extend(errors.iter().cloned()),
            }
        }
        if problems.iter().any(Diagnostic::is_error) {
            return Err(sorted(problems));
        }
        timings.lap("collect");

        // Only re-parsed notes can have a new identity.
        self.identities.retain(|path, _| wanted.contains(path));
        let mut new_identities: Vec<SourcePath> = Vec::new();
        for path in &reparsed {
            if let Some(Ok((note, _))) = self.notes.get(path) {
                let identity = Identity::of(note);
                if self.identities.get(path) != Some(&identity) {
                    new_identities.push(path.clone());
                }
                self.identities.insert(path.clone(), identity);
            }
        }
        structural |= !new_identities.is_empty();
        // What the edited notes linked to before the edit: their "Linked from" changes too.
        let old_targets: Vec<SourcePath> = match &self.previous {
            Some(prev) => reparsed
                .iter()
                .filter_map(|p| prev.site.by_path(p.as_str().trim_end_matches(".md")))
                .flat_map(|id| link_target_paths(&prev.site, &prev.graph, id))
                .collect(),
            None => Vec::new(),
        };
        let patch = !full && !structural && self.previous.is_some();
        // Kept from the previous build when the edit cannot change them.
        let mut kept_neighbours = None;
        let mut kept_revision = None;
        let (site, graph) = if patch {
            // An edit of bodies only: every permalink, name and card stays, so
            // the index is patched and only the edited notes' links re-resolved.
            let Previous { mut site, mut graph, neighbours, revision } =
                self.previous.take().expect("checked above");
            kept_revision = Some(revision);
            site.set_assets(assets);
            let ids: Vec<NoteId> = reparsed
                .iter()
                .filter_map(|path| {
                    let id = site.by_path(path.as_str().trim_end_matches(".md"))?;
                    let Some(Ok((note, _))) = self.notes.get(path) else { return None };
                    site.replace_note(id, usable(note).0);
                    Some(id)
                })
                .collect();
            timings.lap("index");
            let targets = |graph: &LinkGraph| -> Vec<Vec<NoteId>> {
                ids.iter().map(|id| link_target_set(graph, *id)).collect()
            };
            let before = targets(&graph);
            problems.extend(links::update(&site, &mut graph, &ids));
            // The same notes linked: the undirected graph (titles and collections unchanged) is too.
            if targets(&graph) == before {
                kept_neighbours = Some(neighbours);
            }
            (site, graph)
        } else {
            let mut site =
                Site::index(config, notes, assets).map_err(|e| sorted([problems.clone(), e].concat()))?;
            site.draft_names = draft_names;
            timings.lap("index");
            let (graph, link_problems) = links::resolve(&site);
            problems.extend(link_problems);
            (site, graph)
        };
        timings.lap("links");
        if !patch {
            self.structural_checks = crate::check::structural(&site);
        }
        problems.extend(self.structural_checks.iter().cloned());
        problems.extend(crate::check::per_edit(&site, &graph));
        timings.lap("checks");
        if problems.iter().any(Diagnostic::is_error) {
            return Err(sorted(problems));
        }
        // `/graph/` shows every note, their titles and links; `/revise/` and
        // its data every question and flashcard: rendered again only when
        // the edit can change them.
        let site_graph = kept_neighbours.is_none();
        let neighbours = kept_neighbours.unwrap_or_else(|| Neighbours::new(&site, &graph));
        let templates = templates.expect("no template error");
        // A structural edit of notes that keeps every note and permalink
        // (a title, alias, summary, tag or date changed) renders the pages
        // that can show the edited notes; anything else renders every page.
        let mut views = None;
        // The first correction of the site, or its last one gone, changes
        // every page's footer (its link to `/corrections/`).
        let corrections_changed =
            self.views.as_ref().is_some_and(|v| v.has_corrections() != (render::correction_count(&site) > 0));
        let selection = if full || corrections_changed {
            render::Selection::All
        } else if !structural {
            render::Selection::Notes(self.affected(&site, &graph, &neighbours, &reparsed, &old_targets))
        } else {
            let fresh = render::views(&site);
            let listings = self.previous.as_ref().zip(self.views.as_ref()).and_then(|(prev, old_views)| {
                let changed: Vec<NoteId> = new_identities
                    .iter()
                    .filter_map(|p| site.by_path(p.as_str().trim_end_matches(".md")))
                    .collect();
                let mut notes = self.affected(&site, &graph, &neighbours, &reparsed, &old_targets);
                let tags = identity_affected(prev, &site, &graph, &neighbours, &changed, &mut notes)?;
                // Pages that looked up a name the edited notes had or have.
                let mut names: HashSet<String> = HashSet::new();
                for id in &changed {
                    names.extend(names_of(site.note(*id)));
                    if let Some(old) = prev.site.by_path(site.note(*id).path.as_str().trim_end_matches(".md"))
                    {
                        names.extend(names_of(prev.site.note(old)));
                    }
                }
                if !fresh.same_site_view(old_views) {
                    return None;
                }
                if !fresh.same_timeline(old_views) {
                    names.insert(render::TIMELINE_LOOKUP.to_string());
                }
                let by_permalink: HashMap<&str, NoteId> =
                    site.ids().map(|id| (site.permalink(id).as_str(), id)).collect();
                for (page, asked) in &self.lookups {
                    if asked.iter().any(|n| names.contains(n)) {
                        // A page other than a note's (a tag page, 404.html) asked: render everything.
                        notes.insert(*by_permalink.get(page.as_str())?);
                    }
                }
                Some(render::Selection::Listings { notes, tags })
            });
            views = Some(fresh);
            listings.unwrap_or(render::Selection::All)
        };
        let full = matches!(selection, render::Selection::All);
        timings.lap("what changed");
        let (revision, revision_changed) = match (kept_revision, &selection) {
            (Some(mut revision), render::Selection::Notes(_)) => {
                let ids: Vec<NoteId> = reparsed
                    .iter()
                    .filter_map(|p| site.by_path(p.as_str().trim_end_matches(".md")))
                    .collect();
                let mut again: HashSet<NoteId> = ids.iter().copied().collect();
                embedders(&site, &graph, ids, &mut again);
                let changed = regather(&site, &graph, &again, &mut revision);
                (revision, changed)
            }
            // The pages selected are all those that can show the edited
            // notes, their revision entries included (same notes, same ids).
            (None, render::Selection::Listings { notes, .. }) => {
                let mut revision =
                    self.previous.as_mut().map(|p| std::mem::take(&mut p.revision)).unwrap_or_default();
                let changed = regather(&site, &graph, notes, &mut revision);
                (revision, changed)
            }
            _ => (crate::render::revise::gather_all(&site, &graph), true),
        };
        timings.lap("study data");
        let views = match (views, &self.views, full) {
            (Some(views), _, _) => views,
            (None, Some(views), false) => Arc::clone(views),
            _ => render::views(&site),
        };
        let base_path = self.base_path(&site.config);
        let sink = match &self.pages {
            Pages::Write(sink) => Some(sink),
            Pages::Keep | Pages::Drop => None,
        };
        let keep = matches!(self.pages, Pages::Keep);
        let selected = match &selection {
            render::Selection::All => site.notes.len(),
            render::Selection::Notes(ids) => ids.len(),
            render::Selection::Listings { notes, tags } => notes.len() + tags.len(),
        };
        progress
            .start(if sink.is_some() { "rendering and writing pages" } else { "rendering pages" }, selected);
        let emit = |page: render::Page| -> Result<(String, OutputFile), Diagnostic> {
            progress.tick();
            let file = match sink {
                Some(sink) => {
                    sink.write(&page.path, page.html.as_bytes()).map_err(|e| sink.error(&e))?;
                    OutputFile::Written
                }
                None if keep => OutputFile::Bytes(Arc::from(page.html.into_bytes())),
                None => OutputFile::Written,
            };
            Ok((page.path, file))
        };
        // What changed since a reader's last visit (`_lode/changes.json`,
        // `/changes/`): every note's hashes and last change, on every rebuild.
        let paths: Vec<&str> = site.ids().map(|id| site.note(id).path.as_str()).collect();
        let changes = crate::changes::record(&site, self.git.dates(&layout.content_dir(&root), &paths));
        timings.lap("changes");
        let plan = render::Plan {
            selection: &selection,
            neighbours: &neighbours,
            site_graph: full || site_graph,
            revise: full || revision_changed,
            changes: Some(&changes),
        };
        let mut pages = render::render_site(&site, &graph, templates, &plan, &views, &base_path, &emit)
            .map_err(|e| sorted([problems.clone(), e].concat()))?;
        let page = render::Page {
            path: crate::changes::DATA_FILE.into(),
            html: crate::changes::data_file(&changes),
        };
        pages.push(emit(page).map_err(|e| vec![e])?);
        if full || revision_changed {
            let json = crate::render::revise::data_file(&revision).map_err(|e| vec![e])?;
            let page = render::Page { path: crate::render::revise::DATA_FILE.into(), html: json };
            pages.push(emit(page).map_err(|e| vec![e])?);
        }

        timings.lap(if sink.is_some() { "render and write" } else { "render" });
        // Keep what each page looked up, for the next identity edit: a page
        // rendered again replaces its record.
        if full {
            self.lookups.clear();
        } else if let Some(ids) = selection.notes() {
            for id in ids {
                self.lookups.remove(site.permalink(*id).as_str());
            }
        }
        for (page, name) in views.take_lookups() {
            self.lookups.entry(page).or_default().insert(name);
        }
        // Pages may not be overwritten by a static file; the site files
        // (404.html, sitemap.xml, atom.xml) may: a site's own one wins.
        let rendered_paths: HashSet<String> = if full {
            pages
                .iter()
                .map(|(path, _)| path.clone())
                .filter(|p| !render::SITE_FILES.contains(&p.as_str()))
                .collect()
        } else {
            self.files
                .iter()
                .filter(|(k, f)| !matches!(f, OutputFile::Copy(_)) && k.ends_with("index.html"))
                .map(|(k, _)| k.clone())
                .collect()
        };
        let mut files = if full { BTreeMap::new() } else { self.files.clone() };
        let rendered = pages.iter().filter(|(path, _)| !render::SITE_FILES.contains(&path.as_str())).count();
        let mut update = Update {
            full,
            notes: site.counted_notes().count(),
            assets: site.assets().len(),
            rendered,
            ..Update::default()
        };
        for (path, file) in pages {
            if self.files.get(&path) != Some(&file) {
                update.changed.push(path.clone());
            }
            files.insert(path, file);
        }
        timings.lap("collect pages");
        // Link previews depend on each note alone (and on the number of
        // notes, which only a full render changes): rewrite the shards of
        // the notes re-parsed.
        let reparsed_ids: Option<HashSet<NoteId>> = (!full).then(|| {
            reparsed.iter().filter_map(|p| site.by_path(p.as_str().trim_end_matches(".md"))).collect()
        });
        for (path, json) in crate::render::reading::preview_shards(&site, reparsed_ids.as_ref()) {
            let bytes: Arc<[u8]> = Arc::from(json);
            if self.files.get(&path).is_none_or(|old| *old != OutputFile::Bytes(Arc::clone(&bytes))) {
                update.changed.push(path.clone());
            }
            files.insert(path, OutputFile::Bytes(bytes));
        }
        timings.lap("link previews");
        // `static/` and content assets are listed once, for the check and the copy.
        // A vault has no theme folder: its `static/`, if any, is notes.
        let static_dir = (layout == Layout::Site).then(|| root.join(STATIC_DIR));
        let copied = copies(static_dir.as_deref(), &site);
        let collisions: Vec<Diagnostic> = copied
            .iter()
            .filter(|(_, rel)| rendered_paths.contains(rel.as_str()))
            .map(|(source, rel)| {
                let file = source.strip_prefix(&root).unwrap_or(source).to_string_lossy().replace('\\', "/");
                Diagnostic::whole_file(
                    Severity::Error,
                    file,
                    format!("this file would overwrite the generated page {rel}"),
                )
                .with_help("rename or move the file; pages come from notes")
            })
            .collect();
        if !collisions.is_empty() {
            return Err(sorted([problems, collisions].concat()));
        }
        // Copies are listed whole each time: one whose source is gone goes.
        files.retain(|_, f| !matches!(f, OutputFile::Copy(_)));
        for (source, rel) in copied {
            let is_new = !self.files.contains_key(&rel);
            if is_new || changed.iter().any(|c| c == &source || root.join(c) == source) {
                update.changed.push(rel.clone());
            }
            files.insert(rel, OutputFile::Copy(source));
        }
        for (rel, bytes) in extra_files(static_dir.as_deref(), &site.config) {
            files.entry(rel).or_insert(OutputFile::Bytes(Arc::from(bytes)));
        }
        update.removed = self.files.keys().filter(|k| !files.contains_key(*k)).cloned().collect();
        self.files = files;
        timings.lap("output");
        update.timings = timings.stages;
        update.warnings = sorted(problems);
        self.previous = Some(Previous { site, graph, neighbours, revision });
        self.views = Some(views);
        self.dirty = false;
        Ok(update)
    }

    /// The notes whose pages show something of the `edited` notes (whose
    /// titles, headings and cards did not change): the notes themselves,
    /// the notes they link to (their "Linked from" quotes the edited
    /// sentences) before and after the edit, and every note embedding them.
    fn affected(
        &self,
        site: &Site,
        graph: &LinkGraph,
        neighbours: &Neighbours,
        edited: &[SourcePath],
        old_targets: &[SourcePath],
    ) -> HashSet<NoteId> {
        let mut out = HashSet::new();
        let id_of = |path: &SourcePath| site.by_path(path.as_str().trim_end_matches(".md"));
        let mut queue: Vec<NoteId> = Vec::new();
        for path in edited {
            let Some(id) = id_of(path) else { continue };
            out.insert(id);
            queue.push(id);
            out.extend(link_target_paths(site, graph, id).iter().filter_map(id_of));
        }
        out.extend(old_targets.iter().filter_map(id_of));
        // A link added or removed changes the related notes of the notes linking the same target.
        let before: HashSet<&SourcePath> = old_targets.iter().collect();
        let now: Vec<SourcePath> =
            edited.iter().filter_map(id_of).flat_map(|id| link_target_paths(site, graph, id)).collect();
        let now: HashSet<&SourcePath> = now.iter().collect();
        for target in before.symmetric_difference(&now).filter_map(|p| id_of(p)) {
            let linkers = &graph.backlinks[target.index()];
            if linkers.len() <= crate::render::reading::FANOUT_CAP {
                out.extend(linkers.iter().map(|b| b.from));
            }
        }
        // A link added or removed changes the degree of both ends, hence their
        // rank, hence the local graphs that can show them: two hops around each.
        let ends: Vec<NoteId> = before
            .symmetric_difference(&now)
            .filter_map(|p| id_of(p))
            .chain(if before == now { Vec::new() } else { edited.iter().filter_map(id_of).collect() })
            .collect();
        if !ends.is_empty() {
            within_two_hops(neighbours, &ends, &mut out);
        }
        embedders(site, graph, queue, &mut out);
        out
    }
}

/// Adds to `out` the notes embedding any of `queue`, transitively: an embed
/// shows the embedded body. A note whose question's explanation embeds one
/// shows it too, but only on its own page (an embed shows no questions).
fn embedders(site: &Site, graph: &LinkGraph, mut queue: Vec<NoteId>, out: &mut HashSet<NoteId>) {
    let mut visited: HashSet<NoteId> = queue.iter().copied().collect();
    while let Some(id) = queue.pop() {
        // One backlink per linking note, whichever of its texts links first.
        for b in &graph.backlinks[id.index()] {
            let from = site.note(b.from);
            let embeds = |part: Part| {
                links::scan_of(from, part)
                    .links
                    .iter()
                    .zip(graph.targets(b.from, part))
                    .any(|(l, t)| l.embed && matches!(t, Some(Target::Note { id: to, .. }) if *to == id))
            };
            if embeds(Part::Body) {
                if visited.insert(b.from) {
                    out.insert(b.from);
                    queue.push(b.from);
                }
            } else if (0..from.explanation_scans.len()).any(|q| embeds(Part::Explanation(q))) {
                out.insert(b.from);
            }
        }
    }
}

/// Adds to `out` every note within two links of `ids` (and `ids`): the
/// notes whose local graph can show them.
fn within_two_hops(nb: &crate::graph::Neighbours, ids: &[NoteId], out: &mut HashSet<NoteId>) {
    for id in ids {
        out.insert(*id);
        for n in nb.of(*id) {
            out.insert(*n);
            out.extend(nb.of(*n).iter().copied());
        }
    }
}

/// The folded names `note(name=…)` finds a note by ([`crate::site::names_of`]).
fn names_of(note: &Note) -> Vec<String> {
    crate::site::names_of(note).map(|(_, n)| crate::site::fold(n)).collect()
}

/// The pages an identity edit of the `changed` notes (title, aliases,
/// summary, tags, dates, headings, `[extra]`) can change, beyond the notes
/// [`Session::affected`] found, added to `notes`; returns the tags whose
/// pages to render, by index. `None` when the edit changed what every page
/// shows or the shape of the site (a note or permalink came or went, a
/// collection or home page changed, a tag appeared, vanished or was
/// renamed): then every page is rendered.
///
/// The pages that can show a note's identity: its own, the notes it links
/// to and that link to it ("Linked from", link titles) and their embedders,
/// its neighbours in its collection's order (the pager) and every note
/// whose place in that order moved, its collection's page, its tags'
/// pages, the notes that may list it among their related notes (sharing a
/// tag or a link target under the fan-out cap), the local graphs within two
/// links of it (labels, and the rank order by degree then title), and the
/// home page. Notes whose resolved links changed (a name came or went)
/// count as edited. Pages that look it up by name are added by the caller.
fn identity_affected(
    prev: &Previous,
    site: &Site,
    graph: &LinkGraph,
    neighbours: &Neighbours,
    changed: &[NoteId],
    notes: &mut HashSet<NoteId>,
) -> Option<std::collections::BTreeSet<usize>> {
    let (old, old_graph) = (&prev.site, &prev.graph);
    let same_shape = old.notes.len() == site.notes.len()
        && site
            .ids()
            .all(|id| old.permalink(id) == site.permalink(id) && old.note(id).path == site.note(id).path)
        && old.home == site.home
        && old.collection_of == site.collection_of
        && old.collections.len() == site.collections.len()
        && old.collections.iter().zip(&site.collections).all(|(a, b)| a.index == b.index)
        && old.tags.len() == site.tags.len()
        && old.tags.iter().zip(&site.tags).all(|(a, b)| a.name == b.name && a.slug == b.slug);
    let listing = |id: &NoteId| site.home == Some(*id) || site.note(*id).path.is_collection_index();
    if !same_shape || changed.iter().any(listing) {
        return None;
    }
    let cap = crate::render::reading::FANOUT_CAP;
    // Notes whose links now resolve elsewhere: edited as far as their readers see.
    let relinked: Vec<NoteId> = site
        .ids()
        .filter(|id| {
            let i = id.index();
            graph.body[i] != old_graph.body[i] || graph.explanations[i] != old_graph.explanations[i]
        })
        .collect();
    let mut moved: Vec<NoteId> = changed.to_vec();
    moved.extend(&relinked);
    for id in &moved {
        notes.insert(*id);
        for g in [old_graph, graph] {
            notes.extend(g.backlinks[id.index()].iter().map(|b| b.from));
            for t in link_target_ids(g, *id) {
                notes.insert(t);
                // Notes sharing a link target may list it as related.
                for g2 in [old_graph, graph] {
                    let linkers = &g2.backlinks[t.index()];
                    if linkers.len() <= cap {
                        notes.extend(linkers.iter().map(|b| b.from));
                    }
                }
            }
        }
    }
    let mut tags = std::collections::BTreeSet::new();
    for id in changed {
        // Its tags' pages, and the notes sharing a tag (they may list it as related).
        for (t, (a, b)) in old.tags.iter().zip(&site.tags).enumerate() {
            if a.notes.contains(id) || b.notes.contains(id) {
                tags.insert(t);
                if a.notes.len() <= cap || b.notes.len() <= cap {
                    notes.extend(a.notes.iter().chain(&b.notes));
                }
            }
        }
        // The pager: neighbours before and after, and every note whose neighbours changed.
        if let Some(c) = site.collection_of[id.index()] {
            let (a, b) = (&old.collections[c].notes, &site.collections[c].notes);
            notes.insert(site.collections[c].index);
            if a != b {
                let around = |list: &[NoteId], n: NoteId| {
                    let pos = list.iter().position(|x| *x == n);
                    pos.map(|p| (p.checked_sub(1).map(|q| list[q]), list.get(p + 1).copied()))
                };
                let moved_in_order = b.iter().filter(|n| around(a, **n) != around(b, **n));
                notes.extend(moved_in_order.copied().collect::<Vec<_>>());
            }
            for list in [a, b] {
                if let Some(p) = list.iter().position(|x| x == id) {
                    notes.extend(p.checked_sub(1).map(|q| list[q]));
                    notes.extend(list.get(p + 1).copied());
                }
            }
        }
    }
    notes.extend(site.home);
    // Local graphs within two links, before and after.
    within_two_hops(&prev.neighbours, &moved, notes);
    within_two_hops(neighbours, &moved, notes);
    let queue: Vec<NoteId> = notes.iter().copied().collect();
    embedders(site, graph, queue.clone(), notes);
    embedders(old, old_graph, queue, notes);
    Some(tags)
}

/// The notes a note links to (body and explanations), by id.
fn link_target_ids(graph: &LinkGraph, id: NoteId) -> Vec<NoteId> {
    let parts =
        std::iter::once(Part::Body).chain((0..graph.explanations[id.index()].len()).map(Part::Explanation));
    parts
        .flat_map(|part| graph.targets(id, part).iter())
        .filter_map(|t| match t {
            Some(Target::Note { id, .. }) => Some(*id),
            _ => None,
        })
        .collect()
}

/// The notes a note links to (body and explanations), sorted, each once.
fn link_target_set(graph: &LinkGraph, id: NoteId) -> Vec<NoteId> {
    let mut ids = link_target_ids(graph, id);
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Gathers again the revision entries of the notes `again` (those whose
/// pages an edit can change: their entries show what their pages show),
/// keeping every other note's. Returns whether any entry changed.
fn regather(
    site: &Site,
    graph: &LinkGraph,
    again: &HashSet<NoteId>,
    revision: &mut [crate::render::revise::NoteEntries],
) -> bool {
    let mut changed = false;
    for &id in again {
        let entries = crate::render::revise::gather(site, graph, id);
        if revision[id.index()] != entries {
            revision[id.index()] = entries;
            changed = true;
        }
    }
    changed
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

/// The notes a note links to (body and explanations), by path.
fn link_target_paths(site: &Site, graph: &LinkGraph, id: NoteId) -> Vec<SourcePath> {
    link_target_ids(graph, id).into_iter().map(|t| site.note(t).path.clone()).collect()
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diagnostics);
    diagnostics
}

/// `static_dir` (none for a vault) and the assets among the notes, as
/// (source, output path).
fn copies(static_dir: Option<&Path>, site: &Site) -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = static_dir
        .into_iter()
        .flat_map(|dir| walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().map(move |e| (dir, e)))
        .filter_map(|(dir, e)| e.ok().map(|e| (dir, e)))
        .filter(|(_, e)| e.file_type().is_file())
        .filter_map(|(dir, e)| {
            let rel = e.path().strip_prefix(dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((e.path().to_path_buf(), rel))
        })
        .collect();
    out.extend(site.assets().iter().map(|a| (a.source.clone(), a.path.as_str().to_string())));
    out
}

/// The files written besides pages and copies (a copy of the same name wins):
/// `.nojekyll`, so GitHub Pages publishes the folder as it is; the default
/// files of [`DEFAULT_STATIC`] the site does not replace; `robots.txt` naming the
/// sitemap; `CNAME` when `site.toml` sets `cname`.
fn extra_files(static_dir: Option<&Path>, config: &Config) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(".nojekyll".to_string(), Vec::new())];
    for (path, text) in DEFAULT_STATIC {
        if !static_dir.is_some_and(|dir| dir.join(path).is_file()) {
            files.push((path.to_string(), text.as_bytes().to_vec()));
        }
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
/// Every problem found, sorted, when any is an error.
pub fn check(options: &BuildOptions) -> Result<Update, Vec<Diagnostic>> {
    check_root(&options.root).map_err(|d| vec![d])?;
    let mut session = Session::new(options.clone());
    session.pages = Pages::Drop;
    session.rebuild(&[])
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
/// Every problem found, sorted; nothing is written then. A write failure is
/// reported as a diagnostic on the output folder.
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
    // The folders the staging folder needs (a vault's `.lode/`) are removed
    // again when the build fails: a failed build leaves nothing behind.
    let parent = staging_parent(&output);
    let missing: Vec<PathBuf> =
        parent.ancestors().take_while(|p| !p.exists()).map(Path::to_path_buf).collect();
    let built = build_into(options, &output, progress);
    if built.is_err() {
        for dir in &missing {
            let _ = std::fs::remove_dir(dir);
        }
    }
    built
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
    let indexing = Instant::now();
    progress.start("indexing for search", 0);
    let search = session
        .search_enabled()
        .then(|| crate::search::index(session.files(), Some(staging.path())))
        .transpose();
    let search = search.map_err(|d| vec![d])?;
    if search.is_some() {
        update.timings.push(("search index", indexing.elapsed()));
    }
    let writing = Instant::now();
    let Pages::Write(sink) = &session.pages else { unreachable!("set above") };
    let mut files = session.files().clone();
    files.extend(search.into_iter().flatten());
    // The list of files a reader may save for offline reading (`lode serve` has none).
    let offline =
        crate::offline::list(&files, Some(staging.path())).map_err(|e| vec![write_error(&output, &e)])?;
    files.insert(crate::offline::LIST_PATH.into(), OutputFile::Bytes(Arc::from(offline)));
    write_rest(sink, &files, &progress)
        .and_then(|()| swap_in(staging, &output))
        .map_err(|e| vec![write_error(&output, &e)])?;
    Ok(BuildReport {
        notes: update.notes,
        assets: update.assets,
        layout: session.layout,
        pages: update.rendered,
        millis: start.elapsed().as_millis(),
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
    let bodies = crate::render::body::BodyRenderer {
        site: &site,
        graph: &graph,
        page: Some(id),
        root: &site.permalink(id).path_to_root(),
        embeds_left: std::cell::Cell::new(crate::render::body::EMBED_BUDGET),
    };
    Ok(bodies.body(id))
}
