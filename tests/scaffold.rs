//! `lode init` makes a site that builds at once; `lode new` adds a note.

mod common;

use std::process::Command;

fn lode(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn init_makes_a_site_that_builds_and_links_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = lode(&["init", "notes"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let site = tmp.path().join("notes");
    for file in
        ["site.toml", ".gitignore", ".github/workflows/pages.yml", "templates/base.html", "static/style.css"]
    {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    // The release's GitHub Action builds it: no Rust toolchain, no compile,
    // no URL of Lode's repository to fill in.
    let action = format!("uses: lode-notes/lode@v{}\n", env!("CARGO_PKG_VERSION"));
    assert!(workflow.contains(&action), "{workflow}");
    for absent in ["uses: ./", "cargo", "rust-toolchain", "LODE_GIT"] {
        assert!(!workflow.contains(absent), "{absent} in the init workflow:\n{workflow}");
    }
    assert!(workflow.contains("actions/deploy-pages") && workflow.contains("include-hidden-files: true"));
    let out = lode(&["build", "--root", "notes"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "no warnings: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (problems, checked) = common::check_all_links(&site.join("public"));
    assert!(problems.is_empty(), "{problems:?}");
    assert!(checked > 20);
    let html = std::fs::read_to_string(site.join("public/concepts/photosynthesis/index.html")).unwrap();
    assert!(html.contains("callout-tip") && html.contains("Show answer"));

    // A second init refuses the now non-empty folder, unless forced.
    let again = lode(&["init", "notes"], tmp.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));
    assert!(lode(&["init", "notes", "--force"], tmp.path()).status.success());

    // A file where the site needs a folder stops init before it writes
    // anything, naming the file; so does a file given as the site's folder.
    std::fs::create_dir(tmp.path().join("withstuff")).unwrap();
    std::fs::write(tmp.path().join("withstuff/content"), "mine").unwrap();
    let blocked = lode(&["init", "withstuff", "--force"], tmp.path());
    assert_eq!(blocked.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&blocked.stderr);
    assert!(
        stderr.contains("withstuff/content is in the way") && stderr.contains("needs a folder"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("withstuff")).unwrap().collect();
    assert_eq!(left.len(), 1, "init wrote part of a site: {left:?}");
    std::fs::write(tmp.path().join("afile"), "x").unwrap();
    let stderr = String::from_utf8_lossy(&lode(&["init", "afile"], tmp.path()).stderr).to_string();
    assert!(stderr.contains("afile is in the way"), "{stderr}");
}

#[test]
fn new_writes_a_note_from_the_archetype_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(lode(&["init", "."], tmp.path()).status.success());
    for bad in ["", "  ", "Line\nbreak"] {
        let out = lode(&["new", "examples", bad], tmp.path());
        assert_eq!(out.status.code(), Some(1), "{bad:?} was accepted");
        assert!(String::from_utf8_lossy(&out.stderr).contains("is not a note title"));
    }
    let out = lode(&["new", "examples", "Stomata \"pores\""], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(path.ends_with("content/examples/stomata-pores.md"), "{path}");
    let text = std::fs::read_to_string(tmp.path().join("content/examples/stomata-pores.md")).unwrap();
    assert!(text.contains("title = \"Stomata \\\"pores\\\"\""), "{text}");
    assert!(text.contains("Photosynthesis"), "the archetype's text is used");
    let again = lode(&["new", "examples", "Stomata \"pores\""], tmp.path());
    assert_eq!(again.status.code(), Some(1));
    // The new note builds (it links to an existing note; the archetype is not a page).
    let out = lode(&["build"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("public/examples/stomata-pores/index.html").is_file());
    assert!(!tmp.path().join("public/examples/archetype").exists());
    let out = lode(&["new", "concepts", "Osmosis"], tmp.path());
    let text = std::fs::read_to_string(tmp.path().join(String::from_utf8_lossy(&out.stdout).trim())).unwrap();
    assert!(text.starts_with("+++\ntitle = \"Osmosis\""), "default archetype: {text}");
    assert_eq!(lode(&["new", "../outside", "X"], tmp.path()).status.code(), Some(1));
}

/// In the flagship, `lode new` in a collection whose schema requires fields
/// writes a note that builds at once: its `_archetype.md` holds those
/// fields, to be filled in (without one, the new note failed the build).
#[test]
fn new_notes_in_the_flagships_schema_collections_build_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "templates", "static"] {
        let status = Command::new("cp").arg("-r").arg(repo.join(dir)).arg(tmp.path()).status().unwrap();
        assert!(status.success(), "cp {dir}");
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    for (collection, title) in [("minerals", "Scandium"), ("programmes", "A new mission")] {
        let out = lode(&["new", collection, title], tmp.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = lode(&["check"], tmp.path());
    let shown = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{shown}");
    assert!(!shown.contains("error:"), "{shown}");
}
