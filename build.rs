//! Cargo's build script (not `src/build.rs`, the pipeline): finds the commit
//! the crate is built from, for `lode --version`, and passes it to the
//! compiler as `LODE_COMMIT`: `commit ` and its first 12 hex digits, or
//! `unknown commit`.
//!
//! In a Git checkout (a worktree included) it reads `.git` as plain files:
//! `HEAD`, then the branch's loose ref or its line in `packed-refs`
//! (the layout git-repository-layout(5) documents). In a crate from
//! crates.io there is no `.git`, but `cargo package` wrote the commit into
//! `.cargo_vcs_info.json` (`{"git": {"sha1": …}}`). No `git` command and no
//! Git library: a build must not depend on either.
//!
//! Cargo runs this again only when one of the files it read changes (each is
//! named with `rerun-if-changed`), so an unchanged checkout does not rebuild.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=build.rs");
    let commit = from_git(&root).or_else(|| from_vcs_info(&root));
    let shown = commit.map_or_else(|| "unknown commit".to_string(), |c| format!("commit {}", &c[..12]));
    println!("cargo:rustc-env=LODE_COMMIT={shown}");
}

/// Records `path` as an input of this script, if it exists (cargo reruns a
/// script on every build when a path it names is missing).
fn watch(path: &Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

/// A full hexadecimal object name, or nothing.
fn object_name(text: &str) -> Option<String> {
    let text = text.trim();
    (text.len() >= 40 && text.bytes().all(|b| b.is_ascii_hexdigit())).then(|| text.to_ascii_lowercase())
}

/// The commit `HEAD` names in the checkout at `root`.
fn from_git(root: &Path) -> Option<String> {
    let dot_git = root.join(".git");
    // A worktree's `.git` is a file: `gitdir: PATH`; its refs are shared
    // with the main repository, named in `commondir`. (A `.git` folder is
    // not watched: cargo would scan every object in it at each build.)
    let git_dir = if dot_git.is_file() {
        watch(&dot_git);
        let text = fs::read_to_string(&dot_git).ok()?;
        let dir = PathBuf::from(text.strip_prefix("gitdir:")?.trim());
        if dir.is_absolute() { dir } else { root.join(dir) }
    } else {
        dot_git
    };
    let common = match fs::read_to_string(git_dir.join("commondir")) {
        Ok(rel) => git_dir.join(rel.trim()),
        Err(_) => git_dir.clone(),
    };
    let head_file = git_dir.join("HEAD");
    watch(&head_file);
    let head = fs::read_to_string(head_file).ok()?;
    let Some(reference) = head.trim().strip_prefix("ref:").map(str::trim) else {
        return object_name(&head); // a detached HEAD holds the commit itself
    };
    for dir in [&git_dir, &common] {
        let loose = dir.join(reference);
        if let Ok(text) = fs::read_to_string(&loose) {
            watch(&loose);
            return object_name(&text);
        }
    }
    // Not loose: packed. A new commit on the branch writes the loose file,
    // in the branch's folder, which is watched for that.
    if let Some(parent) = Path::new(reference).parent() {
        watch(&common.join(parent));
    }
    let packed = common.join("packed-refs");
    watch(&packed);
    fs::read_to_string(packed).ok()?.lines().find_map(|line| {
        let (name, refname) = line.split_once(' ')?;
        (refname.trim() == reference).then(|| object_name(name)).flatten()
    })
}

/// The commit `cargo package` recorded in a packaged crate.
fn from_vcs_info(root: &Path) -> Option<String> {
    let path = root.join(".cargo_vcs_info.json");
    watch(&path);
    let text = fs::read_to_string(path).ok()?;
    // `"sha1": "…"`: the one value of that name in the file.
    let after = text.split_once("\"sha1\"")?.1;
    let value = after.split_once('"')?.1.split_once('"')?.0;
    object_name(value)
}
