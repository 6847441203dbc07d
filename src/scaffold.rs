//! `lode init` and `lode new`: a working site in one command, and a new note
//! from its collection's archetype.

use std::path::{Path, PathBuf};

use crate::build::{DEFAULT_STYLESHEET, STATIC_DIR};
use crate::content::{ARCHETYPE_STEM, CONTENT_DIR, slugify};
use crate::render::{DEFAULT_TEMPLATES, TEMPLATES_DIR};

/// What can go wrong when scaffolding.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The folder for a new site already holds files.
    #[error("{0} is not empty; choose an empty folder, or pass --force to write over files of the same name")]
    NotEmpty(PathBuf),
    /// The note to create exists.
    #[error("{0} already exists; pick another title, or edit that note")]
    Exists(PathBuf),
    /// `lode new` outside a site.
    #[error("no {CONTENT_DIR}/ folder in {0}; run `lode new` in a site's root, or pass --root")]
    NoSite(PathBuf),
    /// The collection name is not a plain folder name.
    #[error("\"{0}\" is not a collection name: use a folder name such as `minerals`")]
    BadCollection(String),
    /// The title is empty or holds a line break or another control character.
    #[error("{0:?} is not a note title: write a title on one line, such as \"Photosynthesis\"")]
    BadTitle(String),
    /// The archetype is not a valid template.
    #[error("the archetype {0} is not a valid template: {1}")]
    Archetype(PathBuf, String),
    /// Something of the wrong kind sits where the new site needs a folder
    /// or a file; nothing was written.
    #[error(
        "{0} is in the way: the new site needs a {1} there; move or rename it, then run `lode init` again"
    )]
    InTheWay(PathBuf, &'static str),
    /// Reading or writing failed.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The GitHub Pages workflow of this repository, which builds with Lode's
/// GitHub Action in this checkout (`uses: ./`, `action.yml`).
pub const PAGES_WORKFLOW: &str = include_str!("../.github/workflows/pages.yml");

/// Where Lode's GitHub Action is published: `owner/repository` on GitHub,
/// whose release tags (`vX.Y.Z`) name both the action and its binaries.
pub const ACTION: &str = "lode-notes/lode";

/// The same workflow for a site made by `lode init`: the same steps, with
/// the GitHub Action of the release that made the site
/// (`lode-notes/lode@vVERSION`, this binary's version) instead of a checkout's
/// own, so the site builds with the Lode it was made with until the tag is
/// changed.
pub fn site_workflow() -> String {
    PAGES_WORKFLOW
        .replace(
            "      # Lode's GitHub Action (action.yml):",
            "      # Lode's GitHub Action, of the Lode release that made this site:",
        )
        .replace("        uses: ./\n", &format!("        uses: {ACTION}@v{}\n", env!("CARGO_PKG_VERSION")))
}

/// The notes of a new site: two collections, three cross-linked notes, a
/// callout and a self-test question.
const STARTER: &[(&str, &str)] = &[
    (
        "site.toml",
        "title = \"My study notes\"\ndescription = \"Cross-linked revision notes.\"\nbase_url = \"https://example.github.io/notes/\"\nlanguage = \"en\"\nfooter = \"Written with Lode.\"\n\n[links]\nlevel = \"error\"\n\n# Notes nothing links to: \"each\" (a warning per note), \"summary\" (one line), \"off\".\n# Empty notes: the same values; \"each\" by default. See README, Checks.\n[check]\norphans = \"summary\"\nempty = \"each\"\n",
    ),
    (
        "content/_index.md",
        "+++\ntitle = \"My study notes\"\nsummary = \"Start here.\"\n+++\n\nThese notes are split into [[Concepts]] and [[Examples]]. Begin with [[Photosynthesis]].\n",
    ),
    (
        "content/concepts/_index.md",
        "+++\ntitle = \"Concepts\"\nsummary = \"The ideas, one note each.\"\nsort_by = \"title\"\n+++\n\nOne note per idea. Back to the [[Examples]].\n",
    ),
    (
        "content/concepts/photosynthesis.md",
        "+++\ntitle = \"Photosynthesis\"\nsummary = \"How plants turn light into sugar.\"\ntags = [\"biology\"]\n\n[extra]\norganelle = \"Chloroplast\"\n\n[[questions]]\nquestion = \"Where in the cell does photosynthesis happen?\"\noptions = [\"Nucleus\", \"Chloroplast\", \"Ribosome\", \"Mitochondrion\"]\nanswer = \"Chloroplast\"\nexplanation = \"The [[Chloroplast]] holds the pigments that catch light.\"\n+++\n\nPlants use light to make sugar in the [[Chloroplast]]. See [[Leaf cells]] for where it happens.\n\n> [!TIP]\n> Remember the inputs: light, water and carbon dioxide.\n",
    ),
    (
        "content/concepts/chloroplast.md",
        "+++\ntitle = \"Chloroplast\"\nsummary = \"The organelle where photosynthesis happens.\"\ntags = [\"biology\", \"cell\"]\n+++\n\nThe chloroplast is where [[Photosynthesis]] takes place.\n",
    ),
    (
        "content/examples/_index.md",
        "+++\ntitle = \"Examples\"\nsummary = \"Worked examples.\"\n+++\n\nExamples of the [[Concepts]].\n",
    ),
    (
        "content/examples/leaf-cells.md",
        "+++\ntitle = \"Leaf cells\"\nsummary = \"Why leaves are green.\"\ntags = [\"biology\"]\n+++\n\nLeaf cells are packed with [[Chloroplast|chloroplasts]], the site of [[Photosynthesis]].\n",
    ),
    (
        "content/examples/_archetype.md",
        "+++\ntitle = \"{{ title }}\"\nsummary = \"\"\ntags = []\ndate = {{ date }}\n+++\n\nWrite about {{ title }} here, and link related notes with [[Photosynthesis]]-style wikilinks.\n",
    ),
    (".gitignore", "/public\n/.lode/\n"),
];

/// Writes a small working site into `dir`: `site.toml`, two collections
/// with three cross-linked notes (a callout, a self-test question), the
/// built-in templates and stylesheet, `.gitignore` and the GitHub Pages
/// workflow. Returns the files written.
///
/// # Errors
/// [`ScaffoldError::NotEmpty`] when `dir` holds files and `force` is false;
/// an I/O error naming the file.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, ScaffoldError> {
    let has_files = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if has_files && !force {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    let mut files: Vec<(String, String)> =
        STARTER.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    files.extend(
        DEFAULT_TEMPLATES.iter().map(|(name, text)| (format!("{TEMPLATES_DIR}/{name}"), text.to_string())),
    );
    files.push((format!("{STATIC_DIR}/style.css"), DEFAULT_STYLESHEET.to_string()));
    files.push((".github/workflows/pages.yml".into(), site_workflow()));
    // Everything in the way is found before anything is written: a failed
    // init leaves no half-made site.
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::InTheWay(dir.to_path_buf(), "folder"));
    }
    for (rel, _) in &files {
        let path = dir.join(rel);
        for folder in path.ancestors().skip(1).take_while(|a| *a != dir) {
            if folder.exists() && !folder.is_dir() {
                return Err(ScaffoldError::InTheWay(folder.to_path_buf(), "folder"));
            }
        }
        if path.is_dir() {
            return Err(ScaffoldError::InTheWay(path, "file"));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        write_new(&path, &text, true)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `content/<collection>/<slug>.md` for a note titled `title`, from
/// the collection's `_archetype.md` (a Tera template seeing `title` and
/// `date`) or a default, with today's date. Returns the path written.
///
/// # Errors
/// When the site or collection name is wrong, the note exists, or the
/// archetype is not a valid template.
pub fn new_note(root: &Path, collection: &str, title: &str) -> Result<PathBuf, ScaffoldError> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let valid = collection.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'));
    if !valid {
        return Err(ScaffoldError::BadCollection(collection.to_string()));
    }
    if title.trim().is_empty() || title.chars().any(char::is_control) {
        return Err(ScaffoldError::BadTitle(title.to_string()));
    }
    let folder = content.join(collection);
    let path = folder.join(format!("{}.md", slugify(title)));
    let archetype = folder.join(format!("{ARCHETYPE_STEM}.md"));
    let template = match std::fs::read_to_string(&archetype) {
        Ok(text) => text,
        Err(_) => {
            "+++\ntitle = \"{{ title }}\"\nsummary = \"\"\ntags = []\ndate = {{ date }}\n+++\n\n".to_string()
        }
    };
    let mut context = tera::Context::new();
    // TOML basic strings: escape what would end or break the string.
    context.insert("title", &title.replace('\\', "\\\\").replace('"', "\\\""));
    context.insert("date", &today());
    let text = tera::Tera::one_off(&template, &context, false)
        .map_err(|e| ScaffoldError::Archetype(archetype.clone(), e.to_string()))?;
    write_new(&path, &text, false)?;
    Ok(path)
}

/// Today's date in UTC, `YYYY-MM-DD`.
fn today() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!("{:04}-{:02}-{:02}", now.year(), u8::from(now.month()), now.day())
}

fn write_new(path: &Path, text: &str, overwrite: bool) -> Result<(), ScaffoldError> {
    if !overwrite && path.exists() {
        return Err(ScaffoldError::Exists(path.to_path_buf()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| ScaffoldError::Io(parent.to_path_buf(), e))?;
    }
    std::fs::write(path, text).map_err(|e| ScaffoldError::Io(path.to_path_buf(), e))
}
