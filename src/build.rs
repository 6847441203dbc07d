//! Orchestrates a build: every stage in order, then the atomic write.
//!
//! The whole site is rendered in memory, written into a fresh temporary
//! folder beside the output folder, and only then swapped in for it; any
//! failure leaves the previous output untouched.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::{self, Diagnostic, Severity};
use crate::links;
use crate::render::{self, Page};
use crate::site::Site;

/// The folder of files copied to the output as they are, at the site root.
pub const STATIC_DIR: &str = "static";

/// The stylesheet written when a site has no `static/style.css` of its own.
pub const DEFAULT_STYLESHEET: &str = include_str!("../static/style.css");

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

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }
}

/// A site rendered in memory, ready to be written.
#[derive(Debug)]
pub struct RenderedSite {
    /// Every page, with its path relative to the output folder.
    pub pages: Vec<Page>,
    /// Files to copy: (source on disk, path relative to the output folder).
    pub copies: Vec<(PathBuf, String)>,
    /// Files to write that are not pages (default stylesheet, `.nojekyll`).
    pub extra_files: Vec<(String, Vec<u8>)>,
    /// Number of notes read.
    pub notes: usize,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Notes read from `content/` (drafts excluded unless built).
    pub notes: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Wall time of the whole build, in milliseconds.
    pub millis: u128,
    /// Warnings (the build succeeded despite them).
    pub warnings: Vec<Diagnostic>,
    /// The folder written.
    pub output: PathBuf,
}

/// Every stage up to rendering, without writing anything.
///
/// # Errors
/// Every error found (with the warnings found alongside), sorted by file and line.
pub fn render(options: &BuildOptions) -> Result<RenderedSite, Vec<Diagnostic>> {
    let root = &options.root;
    let mut config = Config::load(root).map_err(|d| vec![d])?;
    if let Some(url) = &options.base_url {
        config.base_url = if url.ends_with('/') { url.clone() } else { format!("{url}/") };
    }
    let content_dir = root.join(CONTENT_DIR);
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
    let templates = render::load_templates(root);
    let (files, assets) = content::load(&content_dir)?;
    let parsed: Vec<_> = files.into_par_iter().map(content::parse).collect();
    let mut problems = Vec::new();
    let mut notes = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok((note, warnings)) => {
                problems.extend(warnings);
                if options.drafts || !note.front.draft {
                    notes.push(note);
                }
            }
            Err(errors) => problems.extend(errors),
        }
    }
    let templates = match templates {
        Ok(t) => Some(t),
        Err(errors) => {
            problems.extend(errors);
            None
        }
    };
    if problems.iter().any(Diagnostic::is_error) {
        return Err(sorted(problems));
    }
    let site = Site::index(config, notes, assets).map_err(|e| sorted([problems.clone(), e].concat()))?;
    let (graph, link_problems) = links::resolve(&site);
    problems.extend(link_problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(sorted(problems));
    }
    let templates = templates.expect("templates loaded when no error was found");
    let pages =
        render::render_site(&site, &graph, templates).map_err(|e| sorted([problems.clone(), e].concat()))?;
    Ok(RenderedSite {
        copies: copies(root, &site),
        extra_files: extra_files(root),
        pages,
        notes: site.notes.len(),
        warnings: sorted(problems),
    })
}

fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics::sort(&mut diagnostics);
    diagnostics
}

/// `static/` and the assets under `content/`, as (source, output path).
fn copies(root: &Path, site: &Site) -> Vec<(PathBuf, String)> {
    let static_dir = root.join(STATIC_DIR);
    let mut out: Vec<(PathBuf, String)> = walkdir::WalkDir::new(&static_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&static_dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((e.path().to_path_buf(), rel))
        })
        .collect();
    out.extend(site.assets.iter().map(|a| (a.source.clone(), a.path.as_str().to_string())));
    out
}

fn extra_files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![(".nojekyll".to_string(), Vec::new())];
    if !root.join(STATIC_DIR).join("style.css").is_file() {
        files.push(("style.css".into(), DEFAULT_STYLESHEET.as_bytes().to_vec()));
    }
    files
}

/// Builds the site and writes it to the output folder, atomically.
///
/// # Errors
/// Every problem found, sorted; nothing is written then. A write failure is
/// reported as a diagnostic on the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let output = options.output_dir();
    check_output_dir(&options.root, &output).map_err(|d| vec![d])?;
    let rendered = render(options)?;
    write_atomically(&output, &rendered).map_err(|e| {
        vec![
            Diagnostic::whole_file(
                Severity::Error,
                output.display().to_string(),
                format!("cannot write the site: {e}"),
            )
            .with_help("check that the output folder's parent exists and is writable"),
        ]
    })?;
    Ok(BuildReport {
        notes: rendered.notes,
        pages: rendered.pages.len(),
        millis: start.elapsed().as_millis(),
        warnings: rendered.warnings,
        output,
    })
}

/// Refuses output folders whose replacement would destroy the site itself:
/// `/`, the site root, `content/`, `templates/`, `static/`, or any folder
/// that contains one of them.
///
/// # Errors
/// A diagnostic naming the refused folder.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        normalize(&p)
    };
    let out = abs(output);
    let root = abs(root);
    let protected =
        [root.clone(), root.join(CONTENT_DIR), root.join(render::TEMPLATES_DIR), root.join(STATIC_DIR)];
    if out.parent().is_none() || protected.iter().any(|p| p.starts_with(&out)) {
        return Err(Diagnostic::whole_file(
            Severity::Error,
            output.display().to_string(),
            format!("refusing to write the site to {}: building replaces that folder, and it holds the site's own files", out.display()),
        )
        .with_help("choose an output folder of its own, such as `public/`"));
    }
    Ok(())
}

/// Resolves `.` and `..` without touching the disk.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `site` into a temporary folder beside `output`, then swaps it in.
fn write_atomically(output: &Path, site: &RenderedSite) -> std::io::Result<()> {
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new().prefix(".lode-build-").tempdir_in(&parent)?;
    write_all(staging.path(), site)?;
    let old = if output.exists() {
        let trash = tempfile::Builder::new().prefix(".lode-old-").tempdir_in(&parent)?;
        let trash_path = trash.path().join("public");
        std::fs::rename(output, &trash_path)?;
        Some((trash, trash_path))
    } else {
        None
    };
    if let Err(e) = std::fs::rename(staging.path(), output) {
        if let Some((_, trash_path)) = &old {
            std::fs::rename(trash_path, output)?;
        }
        return Err(e);
    }
    // The staging folder is now the output: don't let its guard delete it.
    let _ = staging.keep();
    drop(old);
    Ok(())
}

fn write_all(dir: &Path, site: &RenderedSite) -> std::io::Result<()> {
    let write = |rel: &str, bytes: &[u8]| -> std::io::Result<()> {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(path, bytes)
    };
    site.copies.par_iter().try_for_each(|(src, rel)| {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(src, path).map(|_| ())
    })?;
    site.extra_files.iter().try_for_each(|(rel, bytes)| write(rel, bytes))?;
    site.pages.par_iter().try_for_each(|page| write(&page.path, page.html.as_bytes()))
}
