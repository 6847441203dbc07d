//! Writing the built site safely: the output folder is checked before
//! anything is written (never the site's own folders, never a folder of
//! someone else's files), pages go into a staging folder beside it as they
//! are rendered (a file that did not change is hard-linked from the previous
//! output), and the staging folder is swapped in whole, so a failed build
//! leaves the previous output as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Layout, STATIC_DIR};
use crate::content::CONTENT_DIR;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::OutputFile;
use crate::progress::Progress;

/// A staging folder pages are written into as they are rendered.
pub(crate) struct Sink {
    /// The staging folder (later renamed to the output folder).
    pub(crate) dir: PathBuf,
    /// The output folder (named in error messages).
    pub(crate) output: PathBuf,
    /// The previous output, if any: a file whose bytes did not change is
    /// hard-linked from it instead of written again, so it keeps its
    /// modification time and deploys see only what changed.
    pub(crate) previous: Option<PathBuf>,
}

impl Sink {
    /// Writes `bytes` to `rel` under the staging folder, in one `write`,
    /// or links the previous output's identical file.
    /// A folder missing from [`Sink::make_dirs`]'s is made here.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(previous) = &self.previous {
            let old = previous.join(rel);
            let same = std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
                && std::fs::read(&old).is_ok_and(|old| old == bytes);
            if same && std::fs::hard_link(&old, &path).is_ok() {
                return Ok(());
            }
        }
        match std::fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p)?;
                }
                std::fs::write(path, bytes)
            }
            written => written,
        }
    }

    /// Makes the folders of the files at `rels` (paths under the staging
    /// folder, `/`-separated) one by one, parents first, before the pages
    /// are written in parallel. Made while writing, each page's folder was
    /// a `mkdir` racing the others in the same parent: at 10,000 notes on a
    /// disk, 1.6 s of 11,044 calls under `strace -c`, where
    /// `benches/floor.rs` makes the same folders once.
    pub(crate) fn make_dirs<'a>(&self, rels: impl IntoIterator<Item = &'a str>) -> std::io::Result<()> {
        let mut dirs = std::collections::BTreeSet::new();
        for rel in rels {
            let mut path = rel;
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break;
                }
                path = parent;
            }
        }
        // A parent is a prefix of its children, so it sorts first.
        for dir in dirs {
            match std::fs::create_dir(self.dir.join(dir)) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// A write failure as a diagnostic on the output folder.
    pub(crate) fn error(&self, e: &std::io::Error) -> Diagnostic {
        write_error(&self.output, e)
    }
}

/// A failure to write the site, as a diagnostic on the output folder.
pub(crate) fn write_error(output: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::whole_file(
        Severity::Error,
        output.display().to_string(),
        format!("cannot write the site: {e}"),
    )
    .with_help("check that the output folder's parent exists and is writable")
}

/// Refuses output folders whose replacement could destroy something:
/// `/`, the site root or any folder holding it, `content/`, `templates/`,
/// `static/` or anything inside them (for a vault: any folder among its
/// notes that is not hidden), an existing file, and an existing
/// non-empty folder that is not a previous Lode output: one without both
/// the `.nojekyll` file and the `_lode/` folder every build writes (a
/// `.nojekyll` alone is common in GitHub Pages repositories), or one
/// holding a `.git` folder. Paths are compared after resolving symlinks, so
/// a link cannot smuggle the site's own folders past the check.
///
/// # Errors
/// A diagnostic naming the refused folder and why.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let layout = Layout::of(root);
    let out = resolve(output);
    let root = resolve(root);
    let refuse = |why: &str| {
        Err(Diagnostic::whole_file(
            Severity::Error,
            output.display().to_string(),
            format!("refusing to write the site to {}: {why}", out.display()),
        )
        .with_help(
            "leave out --output to build into `public/` (the default), or pass --output with a new or empty folder outside content/, templates/ and static/",
        ))
    };
    let sources = match layout {
        Layout::Site => {
            vec![root.join(CONTENT_DIR), root.join(crate::render::TEMPLATES_DIR), root.join(STATIC_DIR)]
        }
        Layout::Vault => Vec::new(),
    };
    if out.parent().is_none() || root.starts_with(&out) {
        return refuse("building replaces that folder, and it holds the site");
    }
    // Lode never lists hidden folders, so the default `.lode/public` is safe.
    let among_notes = out
        .strip_prefix(&root)
        .is_ok_and(|inside| !inside.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')));
    if layout == Layout::Vault && among_notes {
        return refuse("it lies among the vault's notes, and every file there is read as one").map_err(|d| {
            d.with_help(format!(
                "leave out --output to build into a hidden folder of the vault (the default, {}), or pass --output with a folder outside it",
                crate::config::VAULT_OUTPUT
            ))
        });
    }
    if let Some(source) = sources.iter().find(|s| s.starts_with(&out) || out.starts_with(s)) {
        let name = source.file_name().map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let why = if *source == out {
            format!("it is the site's `{name}/` folder")
        } else if out.starts_with(source) {
            format!("it lies inside the site's `{name}/` folder")
        } else {
            format!("it holds the site's `{name}/` folder")
        };
        return refuse(&why);
    }
    if out.exists() && !out.is_dir() {
        return refuse("it is a file").map_err(|d| {
            d.with_help(
                "pass --output with a folder (a new one is made), or move the file away if it is in the way",
            )
        });
    }
    // A lone `.nojekyll` (what `rm -r out/*` leaves) holds nothing to lose.
    let non_empty =
        std::fs::read_dir(&out).map(|d| d.flatten().any(|e| e.file_name() != ".nojekyll")).unwrap_or(false);
    let lode_output = out.join(".nojekyll").is_file() && out.join("_lode").is_dir();
    if non_empty && out.join(".git").exists() {
        return refuse("it is a Git repository (it holds `.git`), and building replaces the folder")
            .map_err(|d| {
                d.with_help("pass --output with a folder of its own, such as `public/` (the default), and publish that folder")
            });
    }
    if non_empty && !lode_output {
        return refuse(
            "it is a folder with files that Lode did not write (a Lode output always has `.nojekyll` and `_lode/`)",
        )
        .map_err(|d| {
            d.with_help("pick a new or empty folder with --output; or move those files elsewhere or delete the folder, then build again")
        });
    }
    Ok(())
}

/// The absolute path with symlinks resolved as far as the path exists.
fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let abs = normalize(&abs);
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    resolved.extend(rest.iter().rev());
    resolved
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

/// The folder holding `output`, where its staging folder goes.
pub(crate) fn staging_parent(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A fresh temporary folder beside `output`, on the same file system so
/// that it can be renamed to `output`.
pub(crate) fn staging_dir(output: &Path) -> std::io::Result<tempfile::TempDir> {
    let parent = staging_parent(output);
    std::fs::create_dir_all(&parent)?;
    tempfile::Builder::new().prefix(".lode-build-").tempdir_in(&parent)
}

/// Swaps the fully written `staging` folder in for `output`: the previous
/// output is moved aside first and put back if the rename fails.
pub(crate) fn swap_in(staging: tempfile::TempDir, output: &Path) -> std::io::Result<()> {
    let parent = staging.path().parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
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
    if let Some((trash, trash_path)) = old {
        remove_tree(&trash_path);
        // The guard deletes whatever `remove_tree` left.
        drop(trash);
    }
    Ok(())
}

/// Deletes the folder `dir` and everything in it, the entries two levels
/// down (each note's folder, at `collection/note/`) on all cores. Deleting
/// a previous output of 10,000 notes on ext4 took about a second on one
/// thread. Symbolic links are removed, never followed. Errors are ignored:
/// the caller's guard deletes what is left.
fn remove_tree(dir: &Path) {
    // A link is removed, never followed (its folder is someone else's).
    if !std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_file(dir);
        return;
    }
    let entries = |dir: &Path| -> Vec<(PathBuf, bool)> {
        std::fs::read_dir(dir).map_or_else(
            |_| Vec::new(),
            |read| {
                read.filter_map(Result::ok)
                    .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                    .collect()
            },
        )
    };
    let top = entries(dir);
    let second: Vec<(PathBuf, bool)> =
        top.par_iter().filter(|(_, is_dir)| *is_dir).flat_map_iter(|(path, _)| entries(path)).collect();
    let remove = |(path, is_dir): &(PathBuf, bool)| {
        let _ = if *is_dir { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    };
    second.par_iter().for_each(remove);
    top.par_iter().for_each(remove);
    let _ = std::fs::remove_dir(dir);
}

/// Writes the files not written while rendering (copies, default static
/// files) into the staging folder. A file may replace a page written
/// there (a site's own `404.html`): the page is removed first, so a page
/// hard-linked from the previous output is never written through.
pub(crate) fn write_rest(
    sink: &Sink,
    files: &BTreeMap<String, OutputFile>,
    progress: &Progress,
) -> std::io::Result<()> {
    let files: Vec<(&String, &OutputFile)> =
        files.iter().filter(|(_, f)| !matches!(f, OutputFile::Written)).collect();
    progress.start("writing files", files.len());
    files.par_iter().try_for_each(|(rel, file)| {
        progress.tick();
        let path = sink.dir.join(rel);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        match file {
            OutputFile::Bytes(bytes) => sink.write(rel, bytes),
            OutputFile::Copy(source) => {
                if let Some(p) = path.parent() {
                    std::fs::create_dir_all(p)?;
                }
                std::fs::copy(source, path).map(|_| ())
            }
            OutputFile::Written => Ok(()),
        }
    })
}
