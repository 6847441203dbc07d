//! `lode init`, `lode eject` and `lode new`: a working site in one command
//! that owns only what its author changes, copies of the built-in theme on
//! request, and a new note from its collection's archetype or schema.

use std::path::{Path, PathBuf};

use crate::build::{DEFAULT_STYLESHEET, STATIC_DIR};
use crate::config::{CONFIG_FILE, EXTRA_CSS};
use crate::content::{ARCHETYPE_STEM, CONTENT_DIR, FieldSchema, FieldType, slugify};
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
    /// The collection name is empty (or only spaces), with the site's
    /// collections to choose from.
    #[error("the collection name is empty: `lode new COLLECTION TITLE` takes a folder under content/{}", choices(.0))]
    EmptyCollection(Vec<String>),
    /// The collection name is not a plain folder name (`..`, `a//b`, a
    /// backslash), with the site's collections to choose from.
    #[error("\"{}\" is not a collection name: name a folder under content/{}", .0, choices(.1))]
    BadCollection(String, Vec<String>),
    /// The title is empty or holds a line break or another control character.
    #[error("{0:?} is not a note title: write a title on one line, such as \"Photosynthesis\"")]
    BadTitle(String),
    /// The title has no letter or digit, so its slug (the file name and
    /// the permalink) would be empty (`???`).
    #[error(
        "{0:?} has no letter or digit to name the note's file and address by; give a title with letters or digits, such as \"Question marks\""
    )]
    EmptySlug(String),
    /// The archetype is not a valid template.
    #[error("the archetype {0} is not a valid template: {1}")]
    Archetype(PathBuf, String),
    /// Something of the wrong kind sits where the new site needs a folder
    /// or a file; nothing was written.
    #[error(
        "{0} is in the way: the new site needs a {1} there; move or rename it, then run `lode init` again"
    )]
    InTheWay(PathBuf, &'static str),
    /// `lode eject` would replace files the site already has.
    #[error(
        "{} already {}: {}; move {} away, or pass --force to replace {} with the built-in ones",
        if .0.len() == 1 { "this file" } else { "these files" },
        if .0.len() == 1 { "exists" } else { "exist" },
        listed(.0),
        if .0.len() == 1 { "it" } else { "them" },
        if .0.len() == 1 { "it" } else { "them" }
    )]
    WouldReplace(Vec<PathBuf>),
    /// More than one folder of `content/` matches the collection's name
    /// when case is ignored (`Processes/` and `processes/`).
    #[error("{0:?} matches several folders ({1}); name one exactly")]
    AmbiguousCollection(String, String),
    /// No folder of `content/` is the collection (with case ignored): the
    /// name given, the nearest collection's name when it is a near miss, and
    /// every collection's (folders with an `_index.md`, `a/b` for nested ones).
    #[error("{}", no_collection(.0, .1, .2))]
    NoCollection(String, Option<String>, Vec<String>),
    /// Reading or writing failed.
    #[error("{0}: {1}")]
    Io(PathBuf, std::io::Error),
}

/// The site's collections, as the end of a message: `, such as one of
/// these: a, b`, or that it has none yet. Only the site's own: a name from
/// another site (the flagship's `minerals`) would mislead.
fn choices(known: &[String]) -> String {
    match known {
        [] => " (the site has no collection yet: create content/NAME/_index.md with a title)".to_string(),
        _ => format!(" (the collections: {})", known.join(", ")),
    }
}

/// The message of [`ScaffoldError::NoCollection`].
fn no_collection(name: &str, near: &Option<String>, known: &[String]) -> String {
    let near = near.as_ref().map(|n| format!("; did you mean \"{n}\"?")).unwrap_or_default();
    let known = match known {
        [] => " (the site has no collection yet)".to_string(),
        _ => format!(" (the collections: {})", known.join(", ")),
    };
    format!(
        "there is no collection \"{name}\" in content/{near}{known}; to start a new one, create content/{name}/_index.md with a title"
    )
}

/// The first three of `paths`, and how many more.
fn listed(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().take(3).map(|p| p.display().to_string()).collect();
    match paths.len() {
        0..=3 => shown.join(", "),
        n => format!("{} and {} more", shown.join(", "), n - 3),
    }
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
/// changed. The step that builds Lode's own manual (`docs/`) is left out.
pub fn site_workflow() -> String {
    let manual = PAGES_WORKFLOW
        .find("      # Lode's own manual")
        .zip(PAGES_WORKFLOW.find("      - name: Upload public/"));
    let workflow = match manual {
        Some((start, end)) if start < end => {
            format!("{}{}", &PAGES_WORKFLOW[..start], &PAGES_WORKFLOW[end..])
        }
        _ => PAGES_WORKFLOW.to_string(),
    };
    workflow
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
        "title = \"My study notes\"\ndescription = \"Cross-linked revision notes.\"\nbase_url = \"https://example.github.io/notes/\"\nlanguage = \"en\"\nfooter = \"Written with Lode.\"\n\n[links]\nlevel = \"error\"\n\n# Notes nothing links to: \"each\" (a warning per note), \"summary\" (one line), \"off\".\n# Empty notes: the same values; \"each\" by default.\n# See https://lode-notes.github.io/lode/manual/troubleshooting/checks/\n[check]\norphans = \"summary\"\nempty = \"each\"\n\n# A social card (og:image) for each note page, drawn at build time:\n# https://lode-notes.github.io/lode/manual/writing/social-cards/\n[cards]\nenabled = true\n",
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

/// The `static/extra.css` of a new site: empty but for a comment saying
/// what it is for.
pub const EXTRA_CSS_STARTER: &str = "/* Your additions to Lode's built-in stylesheet: every page links this file\n   after style.css, so a rule here wins over the built-in one it repeats.\n   The built-in rules use custom properties you may set instead, e.g.\n   :root { --accent: #8a3ffc; }\n   `lode eject` writes a copy of the whole stylesheet and the templates\n   if you would rather own them (the manual's \"Templates\" page:\n   https://lode-notes.github.io/lode/manual/templates/). */\n";

/// The built-in theme as files of a site: each template under
/// `templates/` and the stylesheet as `static/style.css`, relative paths
/// and texts.
fn theme_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(name, text)| (format!("{TEMPLATES_DIR}/{name}"), text.to_string()))
        .collect();
    files.push((format!("{STATIC_DIR}/style.css"), DEFAULT_STYLESHEET.to_string()));
    files
}

/// Writes a small working site into `dir`: `site.toml`, two collections
/// with three cross-linked notes (a callout, a self-test question), an
/// empty `static/extra.css` ([`EXTRA_CSS_STARTER`]), `.gitignore` and the
/// GitHub Pages workflow; the built-in templates and stylesheet are used as
/// they are, and copied into the site only with `eject` (see [`eject`]).
/// Returns the files written.
///
/// # Errors
/// [`ScaffoldError::NotEmpty`] when `dir` holds files and `force` is false;
/// an I/O error naming the file.
pub fn init(dir: &Path, force: bool, eject: bool) -> Result<Vec<PathBuf>, ScaffoldError> {
    let has_files = std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if has_files && !force {
        return Err(ScaffoldError::NotEmpty(dir.to_path_buf()));
    }
    let mut files: Vec<(String, String)> =
        STARTER.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
    files.push((format!("{STATIC_DIR}/{EXTRA_CSS}"), EXTRA_CSS_STARTER.to_string()));
    if eject {
        files.extend(theme_files());
    }
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

/// Writes copies of the built-in templates (`templates/`) and stylesheet
/// (`static/style.css`) into the site at `root`, for an author who wants to
/// own the whole theme (`lode eject`); the site then builds the same pages.
/// Returns the files written.
///
/// # Errors
/// [`ScaffoldError::NoSite`] when `root` has neither `site.toml` nor
/// `content/`; [`ScaffoldError::WouldReplace`], writing nothing, when any
/// of the files exists and `force` is false; an I/O error naming the file.
pub fn eject(root: &Path, force: bool) -> Result<Vec<PathBuf>, ScaffoldError> {
    if !root.join(CONFIG_FILE).is_file() && !root.join(CONTENT_DIR).is_dir() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    let files = theme_files();
    let existing: Vec<PathBuf> = files.iter().map(|(rel, _)| root.join(rel)).filter(|p| p.exists()).collect();
    if !existing.is_empty() && !force {
        return Err(ScaffoldError::WouldReplace(existing));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = root.join(&rel);
        if path.is_dir() {
            return Err(ScaffoldError::InTheWay(path, "file"));
        }
        write_new(&path, &text, true)?;
        written.push(path);
    }
    Ok(written)
}

/// A note written by [`new_note`], and what the author should know.
#[derive(Debug)]
pub struct NewNote {
    /// The file written.
    pub path: PathBuf,
    /// Warnings for the author (the folder is no collection yet), one
    /// sentence each.
    pub warnings: Vec<String>,
}

/// Writes `content/<collection>/<slug>.md` for a note titled `title`, with
/// today's date. The collection is the folder of that name, or else the
/// one whose name differs only in case (`Processes/` for `processes`),
/// level by level. The note comes from the collection's `_archetype.md` (a
/// Tera template seeing `title` and `date`), else from a default that, when
/// the collection's `_index.md` has a `[schema]`, lists every field under
/// `[extra]` with a comment giving its type, label and whether it is
/// required ([`schema_extra`]). A folder without an `_index.md` (not a
/// collection) gets the note and a warning; no folder of that name is an
/// error naming the nearest collection and listing them (a typo would
/// otherwise make a stray folder).
///
/// # Errors
/// When the site or collection name is wrong, the note exists, or the
/// archetype is not a valid template.
pub fn new_note(root: &Path, collection: &str, title: &str) -> Result<NewNote, ScaffoldError> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(ScaffoldError::NoSite(root.to_path_buf()));
    }
    // The folder's path as a shell completes it (`content/examples/`) names
    // the collection too, unless `content/` holds a folder of that name.
    let trimmed = collection.trim_end_matches('/');
    let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
    let collection = match trimmed.strip_prefix(&format!("{CONTENT_DIR}/")) {
        Some(rest) if !content.join(trimmed).is_dir() => rest,
        _ if trimmed.is_empty() => collection,
        _ => trimmed,
    };
    if collection.trim().is_empty() {
        return Err(ScaffoldError::EmptyCollection(collections(&content)));
    }
    let valid = collection.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.contains('\\'));
    if !valid {
        return Err(ScaffoldError::BadCollection(collection.to_string(), collections(&content)));
    }
    if title.trim().is_empty() || title.chars().any(char::is_control) {
        return Err(ScaffoldError::BadTitle(title.to_string()));
    }
    if slug::slugify(title).is_empty() {
        return Err(ScaffoldError::EmptySlug(title.to_string()));
    }
    let folder = find_folder(&content, collection)?;
    if !folder.is_dir() {
        let known = collections(&content);
        let near = crate::query::nearest(collection, known.iter().map(String::as_str)).map(str::to_string);
        return Err(ScaffoldError::NoCollection(collection.to_string(), near, known));
    }
    let mut warnings = Vec::new();
    let index = folder.join("_index.md");
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    if !index.is_file() {
        warnings.push(format!(
            "{}/ is not a collection (it has no _index.md): the note is built, but no collection page lists it; add {} with a title to make one",
            shown(&folder),
            shown(&index)
        ));
    }
    let path = folder.join(format!("{}.md", slugify(title)));
    let archetype = folder.join(format!("{ARCHETYPE_STEM}.md"));
    // The schema's fields follow the default's front matter as they are
    // (not a template: a label may hold braces).
    let (template, extra) = match std::fs::read_to_string(&archetype) {
        Ok(text) => (text, None),
        Err(_) => (
            "+++\ntitle = \"{{ title }}\"\nsummary = \"\"\ntags = []\ndate = {{ date }}\n".to_string(),
            Some(match collection_schema(&index, &shown(&index)) {
                Some((name, fields, problems)) => {
                    warnings.extend(problems);
                    if fields.is_empty() {
                        String::new()
                    } else {
                        schema_extra(&name, &shown(&index), &fields)
                    }
                }
                None => String::new(),
            }),
        ),
    };
    let mut text = render_archetype(&template, title, &today())
        .map_err(|e| ScaffoldError::Archetype(archetype.clone(), e.to_string()))?;
    if let Some(extra) = extra {
        text = format!("{text}{extra}+++\n\n");
    }
    write_new(&path, &text, false)?;
    Ok(NewNote { path, warnings })
}

/// A new note from `template` (an archetype: a Tera template seeing `title`
/// and `date`). In its front matter `title` is escaped for a TOML (or YAML)
/// double-quoted string (`\` and `"`); in its body, Markdown, it is the
/// title as given (`Say "hi"`, not `Say \"hi\"`). A template whose front
/// matter and body cannot be rendered apart (a tag spanning both) is
/// rendered whole, escaped.
fn render_archetype(template: &str, title: &str, date: &str) -> Result<String, tera::Error> {
    let render = |text: &str, title: &str| {
        let mut context = tera::Context::new();
        context.insert("title", title);
        context.insert("date", date);
        tera::Tera::one_off(text, &context, false)
    };
    let escaped = title.replace('\\', "\\\\").replace('"', "\\\"");
    if let Some(split) = crate::content::front_matter_end(template)
        && let (Ok(front), Ok(body)) =
            (render(&template[..split], &escaped), render(&template[split..], title))
    {
        return Ok(front + &body);
    }
    render(template, &escaped)
}

/// The collections under `content`: each folder with an `_index.md`, as a
/// path from `content` with `/` (`minerals`, `processes/cell`), sorted.
fn collections(content: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut folders = vec![content.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "node_modules" || !entry.file_type().is_ok_and(|t| t.is_dir())
            {
                continue;
            }
            let path = entry.path();
            if path.join("_index.md").is_file()
                && let Ok(relative) = path.strip_prefix(content)
            {
                let parts: Vec<String> =
                    relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                found.push(parts.join("/"));
            }
            folders.push(path);
        }
    }
    found.sort();
    found
}

/// The folder under `content` for `collection` (`a/b`), each level the
/// folder of that name if there is one, else the one whose name is the
/// same with case ignored (Unicode lowercase), else the name as given (a
/// new folder).
fn find_folder(content: &Path, collection: &str) -> Result<PathBuf, ScaffoldError> {
    let mut folder = content.to_path_buf();
    for part in collection.split('/') {
        let exact = folder.join(part);
        if exact.is_dir() {
            folder = exact;
            continue;
        }
        let wanted = part.to_lowercase();
        let mut matches: Vec<String> = std::fs::read_dir(&folder)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.to_lowercase() == wanted)
            .collect();
        matches.sort();
        folder = match matches.as_slice() {
            [] => exact,
            [one] => folder.join(one),
            many => {
                return Err(ScaffoldError::AmbiguousCollection(
                    collection.to_string(),
                    many.iter().map(|m| format!("{m}/")).collect::<Vec<_>>().join(", "),
                ));
            }
        };
    }
    Ok(folder)
}

/// The title and `[schema]` fields of the collection whose `_index.md` is
/// `index` (shown as `shown`), when it can be read, and the problems of its
/// `[schema]` as warnings for the author (`FILE:LINE:COLUMN: message (help)`):
/// a field with a misspelt key (`requird`) or an unknown `type` is written
/// as Lode reads it (optional, or left out), so the author is told why.
fn collection_schema(index: &Path, shown: &str) -> Option<(String, Vec<FieldSchema>, Vec<String>)> {
    let text = std::fs::read_to_string(index).ok()?;
    let file = crate::content::SourceFile { path: crate::content::SourcePath::new("_index.md"), text };
    let (note, problems) = crate::content::parse_all(file, crate::content::Strictness::Strict);
    let warnings = problems
        .iter()
        .filter(|d| d.message.contains("schema field"))
        .map(|d| {
            let help = d.help.as_ref().map(|h| format!(" ({h})")).unwrap_or_default();
            format!(
                "{shown}:{}:{}: {}{help}; the new note's [extra] follows the schema as Lode reads it",
                d.line, d.column, d.message
            )
        })
        .collect();
    Some((note.title.clone(), note.front.schema.clone(), warnings))
}

/// The `[extra]` table of a new note of a collection with a schema: every
/// field, required ones first, each with a comment (`# required · integer,
/// a whole number, unquoted · Atomic number`). A required field is written
/// empty where TOML has an empty value of its type (`""`, `[]`, `{}`) and
/// commented out otherwise (a number or boolean); either way `lode check`
/// reports it until the author fills it in: a placeholder that passed (`0`,
/// `false`) would publish a made-up value. Optional fields are commented
/// out. `collection` is the collection's title, `index` its `_index.md`.
pub fn schema_extra(collection: &str, index: &str, fields: &[FieldSchema]) -> String {
    let mut fields: Vec<&FieldSchema> = fields.iter().collect();
    fields.sort_by_key(|f| !f.required);
    let mut out = format!(
        "\n# The fields of \"{collection}\" ([schema] of {index}). `lode check` reports each\n# required one until it has a value; uncomment the others you need.\n[extra]\n"
    );
    for field in fields {
        let empty = match field.kind {
            FieldType::String => Some("\"\""),
            FieldType::List => Some("[]"),
            FieldType::Table => Some("{}"),
            FieldType::Integer | FieldType::Number | FieldType::Boolean => None,
        };
        let mut about = vec![
            if field.required { "required" } else { "optional" }.to_string(),
            format!("{} ({})", field.kind.name(), field.kind.how_written()),
        ];
        about.extend(field.label.clone());
        about.extend(field.unit.as_ref().map(|u| format!("unit: {u}")));
        let key = toml_key(&field.name);
        let line = match empty {
            Some(value) if field.required => format!("{key} = {value}"),
            Some(value) => format!("# {key} = {value}"),
            None => format!("# {key} ="),
        };
        out.push_str(&format!("{line:<28} # {}\n", about.join(" · ")));
    }
    out
}

/// `key` as a TOML key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare { key.to_string() } else { format!("{:?}", key) }
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
