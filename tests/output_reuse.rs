//! `lode build` over an existing output: pages are written as they are
//! rendered into a staging folder, unchanged files are kept (same inode,
//! same modification time) and a failed build leaves the output untouched.

mod common;

use std::os::unix::fs::MetadataExt;

use common::TestSite;

fn inode(site: &TestSite, path: &str) -> u64 {
    std::fs::metadata(site.output().join(path)).expect("output file").ino()
}

/// The `.lode-*` folders (staging, old outputs) beside the output folder.
fn lode_folders_beside(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.output().parent().expect("parent"))
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".lode-"))
        .collect()
}

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Alpha]] and [[Beta]].\n"),
        ("content/alpha.md", "+++\ntitle = \"Alpha\"\n+++\nAlpha body.\n"),
        ("content/beta.md", "+++\ntitle = \"Beta\"\n+++\nBeta body.\n"),
        ("static/notes.txt", "a static file\n"),
    ])
}

#[test]
fn a_rebuild_keeps_the_files_whose_bytes_did_not_change() {
    let site = site();
    site.build();
    let (alpha, beta, static_file) =
        (inode(&site, "alpha/index.html"), inode(&site, "beta/index.html"), inode(&site, "notes.txt"));
    site.write("content/beta.md", "+++\ntitle = \"Beta\"\n+++\nBeta body, edited.\n");
    site.build();
    assert_eq!(inode(&site, "alpha/index.html"), alpha, "an unchanged page is kept, not rewritten");
    assert_ne!(inode(&site, "beta/index.html"), beta, "the edited page is written anew");
    let beta_html = std::fs::read_to_string(site.output().join("beta/index.html")).expect("beta");
    assert!(beta_html.contains("Beta body, edited."), "the new page has the new text");
    // Copies are copied again (their source may have changed in place).
    assert_ne!(inode(&site, "notes.txt"), static_file);
    assert_eq!(std::fs::read_to_string(site.output().join("notes.txt")).expect("copy"), "a static file\n");
}

#[test]
fn a_site_file_replacing_a_page_never_writes_into_the_previous_output() {
    let site = site();
    site.build();
    let kept = site.dir.path().join("kept-404.html");
    std::fs::hard_link(site.output().join("404.html"), &kept).expect("link");
    let rendered = std::fs::read_to_string(&kept).expect("404");
    // The site's own 404.html replaces the rendered one (a page linked from the previous output).
    site.write("static/404.html", "<p>our own not-found page</p>\n");
    site.build();
    assert_eq!(
        std::fs::read_to_string(site.output().join("404.html")).expect("404"),
        "<p>our own not-found page</p>\n"
    );
    assert_eq!(
        std::fs::read_to_string(&kept).expect("kept"),
        rendered,
        "the old file was not written through"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_and_no_staging_folder() {
    let site = site();
    site.build();
    let before = std::fs::read_to_string(site.output().join("alpha/index.html")).expect("alpha");
    site.write("templates/note.html", "{% if %}\n");
    site.build_err();
    assert_eq!(std::fs::read_to_string(site.output().join("alpha/index.html")).expect("alpha"), before);
    let leftovers = lode_folders_beside(&site);
    assert!(leftovers.is_empty(), "staging folders left behind: {leftovers:?}");
}

#[test]
fn a_rebuild_deletes_the_previous_output_whole_and_follows_no_link_in_it() {
    let site = site();
    site.build();
    // Something outside the output, linked from inside it (two levels down,
    // where the old output is deleted on all cores, and at its top).
    let outside = site.dir.path().join("outside");
    std::fs::create_dir_all(outside.join("keep")).expect("outside");
    std::fs::write(outside.join("keep/precious.txt"), "not the site's\n").expect("precious");
    std::os::unix::fs::symlink(&outside, site.output().join("alpha/link")).expect("link");
    std::os::unix::fs::symlink(&outside, site.output().join("top-link")).expect("link");
    std::fs::remove_file(site.root().join("content/beta.md")).expect("remove beta");
    site.write("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Alpha]].\n");
    site.build();
    assert!(!site.output().join("beta").exists(), "the removed note's folder went with the old output");
    assert!(!site.output().join("top-link").exists() && !site.output().join("alpha/link").exists());
    assert_eq!(
        std::fs::read_to_string(outside.join("keep/precious.txt")).expect("still there"),
        "not the site's\n",
        "a link in the old output was removed, not followed"
    );
    let leftovers = lode_folders_beside(&site);
    assert!(leftovers.is_empty(), "old outputs left behind: {leftovers:?}");
}

#[test]
fn an_output_linking_to_an_earlier_build_stays_a_link_and_its_folder_gets_the_new_build() {
    let site = site();
    site.build();
    // A web server's folder name, say, linking to the build (outside the site).
    let elsewhere = tempfile::tempdir().expect("temp");
    let link = elsewhere.path().join("www");
    std::os::unix::fs::symlink(site.output(), &link).expect("link");
    site.write("content/alpha.md", "+++\ntitle = \"Alpha\"\n+++\nAlpha body, built through the link.\n");
    let report =
        lode::build::build(&lode::build::BuildOptions { output: Some(link.clone()), ..site.options() })
            .unwrap_or_else(|e| panic!("build through the link: {e:?}"));
    assert_eq!(report.output, link, "the summary names the folder as given");
    assert!(
        std::fs::symlink_metadata(&link).expect("link").file_type().is_symlink(),
        "the link stays a link"
    );
    let alpha = std::fs::read_to_string(site.output().join("alpha/index.html"))
        .expect("the linked folder holds the build");
    assert!(alpha.contains("built through the link"), "the folder it names has the new build");
    assert!(site.output().join("beta/index.html").is_file(), "and all of it");
    assert!(lode_folders_beside(&site).is_empty(), "nothing left beside it");
}
