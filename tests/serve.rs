//! `lode serve` end to end: a real server process on a free port, a real
//! event stream, real file edits.

mod common;

use std::time::{Duration, Instant};

use common::TestSite;
use common::server::{Server, subscribe};

fn site() -> TestSite {
    TestSite::new(&[
        ("content/_index.md", "# Home\n\n[[Lithium]] and [[China]].\n"),
        ("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nRefined in [[China]].\n"),
        ("content/china.md", "# China\n\nRefines lithium.\n"),
        ("static/extra.css", "body { color: red }\n"),
    ])
}

/// Waits until `path` is served with a body containing `needle`.
fn served_with(server: &Server, path: &str, needle: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = server.get(path);
        if status == 200 && body.contains(needle) {
            return;
        }
        assert!(Instant::now() < deadline, "{path} never contained {needle:?}; last status {status}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Each file is served with its registered media type, over HTTP: the Atom
/// feeds as `application/atom+xml` (not `text/xml`, which feed readers and
/// browsers treat as a generic document), the sitemap as XML, the web app
/// manifest, SVG, JSON and WebAssembly as theirs.
#[test]
fn feeds_manifests_and_other_files_are_served_with_their_media_types() {
    let site = site();
    site.write("static/module.wasm", "\0asm");
    site.write("static/data.json", "{}");
    let server = Server::start(site.root());
    for (path, mime) in [
        ("/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/changes/atom.xml", "application/atom+xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/manifest.webmanifest", "application/manifest+json; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/module.wasm", "application/wasm"),
    ] {
        let (status, head, _) = server.get_with_head(path);
        assert_eq!(status, 200, "{path}");
        let content_type = head.lines().find(|l| l.starts_with("content-type:")).unwrap_or_default();
        assert_eq!(content_type.trim_start_matches("content-type:").trim(), mime, "{path}");
    }
}

/// Text is served with its charset, as GitHub Pages serves it: a page
/// without `; charset=utf-8` is read by some browsers in their locale's
/// encoding until its `<meta charset>` is parsed.
#[test]
fn text_is_served_as_utf8() {
    let site = site();
    let server = Server::start(site.root());
    for (path, mime) in [("/lithium/", "text/html"), ("/extra.css", "text/css"), ("/sitemap.xml", "xml")] {
        let (status, head, _) = server.get_with_head(path);
        assert_eq!(status, 200, "{path}");
        let content_type = head.lines().find(|l| l.starts_with("content-type:")).unwrap_or_default();
        assert!(
            content_type.contains(mime) && content_type.contains("charset=utf-8"),
            "{path}: {content_type}"
        );
    }
}

#[test]
fn an_edit_is_served_and_reloads_its_page() {
    let site = site();
    let server = Server::start(site.root());
    let (status, body) = server.get("/lithium/");
    assert_eq!(status, 200);
    assert!(body.contains("/__lode/live.js"), "live-reload script injected while serving");
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nRefined mostly in [[China]] today.\n");
    let data = server.expect("reload", |d| d.contains("lithium/index.html"));
    assert!(data.contains("\"all\":false"), "an edit of the body is not a full rebuild: {data}");
    served_with(&server, "/lithium/", "mostly in");
    // China's "Linked from" quotes the new sentence.
    served_with(&server, "/china/", "Refined mostly in");
}

#[test]
fn a_rebuild_prints_only_the_warnings_the_last_build_did_not_have() {
    let site = site();
    // An orphan: one warning from the first build on.
    site.write("content/cobalt.md", "# Cobalt\n\nMined in Congo.\n");
    let log = site.dir.path().join("serve-stderr.txt");
    let server = Server::start_with_stderr(site.root(), std::fs::File::create(&log).expect("log"));
    let orphan_lines = || std::fs::read_to_string(&log).expect("log").matches("warning[L0302]").count();
    assert_eq!(orphan_lines(), 1, "the first build prints its warning");
    // An edit that changes no warning: the reload comes after the printing.
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nRefined mostly in [[China]].\n");
    server.expect("reload", |d| d.contains("lithium/index.html"));
    let printed = std::fs::read_to_string(&log).expect("log");
    assert_eq!(orphan_lines(), 1, "the unchanged warning is not printed again:\n{printed}");
    assert!(printed.contains("1 warning(s) as in the last build, not repeated"), "{printed}");
    // A warning that changes is printed: the orphan's own line becomes a summary of two.
    site.write("content/nickel.md", "# Nickel\n\nMined in Indonesia.\n");
    server.expect("reload", |d| d.contains("nickel/index.html"));
    let printed = std::fs::read_to_string(&log).expect("log");
    assert_eq!(orphan_lines(), 2, "the changed warning is printed:\n{printed}");
}

#[test]
fn a_save_by_rename_is_one_edit() {
    let site = site();
    let server = Server::start(site.root());
    let tmp = site.root().join("content/.lithium.md.tmp");
    std::fs::write(&tmp, "+++\ntitle = \"Lithium\"\n+++\nSaved atomically; see [[China]].\n").unwrap();
    std::fs::rename(&tmp, site.root().join("content/lithium.md")).unwrap();
    server.expect("reload", |d| d.contains("lithium/index.html"));
    served_with(&server, "/lithium/", "Saved atomically");
    // Watching goes on after the rename.
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nAnd again; see [[China]].\n");
    served_with(&server, "/lithium/", "And again");
}

/// The build number of a `warnings` event's data.
fn build_of(data: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(data).unwrap();
    value["build"].as_u64().unwrap()
}

#[test]
fn every_atomic_save_is_one_rebuild() {
    let site = site();
    let server = Server::start(site.root());
    let content = site.root().join("content");
    let note = content.join("lithium.md");
    // The pauses stand for the editor's own work between its steps (vim
    // and JetBrains fsync each file); nothing waits on the server by time.
    let step = || std::thread::sleep(Duration::from_millis(60));
    let mut seen = Vec::new();
    for i in 0..6 {
        let text = format!("+++\ntitle = \"Lithium\"\n+++\nSave {i}, see [[China]].\n");
        if i % 2 == 0 {
            // vim (backupcopy=no): the note is renamed to its backup, written anew, the backup deleted.
            std::fs::rename(&note, content.join("lithium.md~")).unwrap();
            step();
            std::fs::write(&note, &text).unwrap();
            step();
            std::fs::remove_file(content.join("lithium.md~")).unwrap();
        } else {
            // JetBrains: a temporary file, the note moved aside, the temporary renamed over it.
            let tmp = content.join("lithium.md___jb_tmp___");
            let old = content.join("lithium.md___jb_old___");
            std::fs::write(&tmp, &text).unwrap();
            step();
            std::fs::rename(&note, &old).unwrap();
            step();
            std::fs::rename(&tmp, &note).unwrap();
            std::fs::remove_file(&old).unwrap();
        }
        let needle = format!("Save {i},");
        seen.extend(server.events_until("reload", |d| d.contains("lithium/index.html")));
        served_with(&server, "/lithium/", &needle);
    }
    // A last, plain edit elsewhere: any late second rebuild of a save comes before its events.
    site.write("content/china.md", "# China\n\nRefines most lithium.\n");
    seen.extend(server.events_until("reload", |d| d.contains("china/index.html")));
    let builds: Vec<u64> =
        seen.iter().filter(|(e, _)| e == "warnings").map(|(_, d)| build_of(d)).filter(|b| *b > 0).collect();
    assert_eq!(builds, (1..=7).collect::<Vec<u64>>(), "6 atomic saves and one edit; events: {seen:?}");
    // No rebuild saw a save half done (the note missing: [[Lithium]] broken).
    assert!(!seen.iter().any(|(e, _)| e == "failed"), "{seen:?}");
}

#[test]
fn warnings_reach_the_browser() {
    let site = site();
    let server = Server::start(site.root());
    // The first build's warnings come on connecting: none here.
    let first = server.expect("warnings", |_| true);
    assert!(first.contains("\"diagnostics\":[]") && build_of(&first) == 0, "{first}");
    // A new empty note.
    site.write("content/blank.md", "");
    let data = server.expect("warnings", |d| d.contains("content/blank.md"));
    assert!(data.contains("content/blank.md:1:1: warning: this note is empty"), "{data}");
    // A note emptied while serving.
    site.write("content/china.md", "");
    let data = server.expect("warnings", |d| d.contains("content/china.md"));
    assert!(data.contains("content/china.md:1:1: warning: this note is empty"), "{data}");
    // A misspelt key that would silently drop the summary.
    site.write(
        "content/lithium.md",
        "+++\ntitle = \"Lithium\"\nsumary = \"Light\"\n+++\nRefined in [[China]].\n",
    );
    let data = server.expect("warnings", |d| d.contains("sumary"));
    assert!(data.contains("content/lithium.md:3:1: warning:"), "{data}");
    // With an error too, the failure lists the error first (the warning after it).
    // (In a file after the warning's by name: sorted by file, it came last.)
    site.write("content/zinc.md", "# Zinc\n\nSee [[Nowhere]].\n");
    let failed = server.expect("failed", |_| true);
    let error = failed.find(": error: link [[Nowhere]]").expect("the error");
    let warning = failed.find("sumary").expect("the warning");
    assert!(error < warning, "{failed}");
    std::fs::remove_file(site.root().join("content/zinc.md")).unwrap();
    server.expect("warnings", |d| d.contains("sumary"));
    // A page opened now is told the current warnings.
    let late = subscribe(&server.addr);
    let mut current = None;
    while let Ok((event, data)) = late.recv_timeout(Duration::from_secs(5)) {
        if event == "warnings" {
            current = Some(data);
            break;
        }
    }
    let current = current.expect("a page opened later gets the warnings");
    assert!(current.contains("sumary") && current.contains("content/blank.md"), "{current}");
}

#[test]
fn notes_created_deleted_and_renamed_are_followed() {
    let site = site();
    let server = Server::start(site.root());
    site.write("content/cobalt.md", "# Cobalt\n\nAlso [[China]].\n");
    served_with(&server, "/cobalt/", "Also");
    std::fs::remove_file(site.root().join("content/cobalt.md")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.get("/cobalt/").0 != 404 {
        assert!(Instant::now() < deadline, "deleted note still served");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::fs::rename(site.root().join("content/china.md"), site.root().join("content/prc.md")).unwrap();
    served_with(&server, "/prc/", "Refines lithium");
    assert_eq!(server.get("/china/").0, 404);
    // A folder renamed wholesale.
    site.write("content/old/tin.md", "# Tin\n");
    served_with(&server, "/old/tin/", "Tin");
    std::fs::rename(site.root().join("content/old"), site.root().join("content/new")).unwrap();
    served_with(&server, "/new/tin/", "Tin");
    assert_eq!(server.get("/old/tin/").0, 404);
}

#[test]
fn a_broken_note_keeps_the_last_good_site_and_shows_the_overlay_until_fixed() {
    let site = site();
    let server = Server::start(site.root());
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nBroken [[Nowhere]] link.\n");
    let data = server.expect("failed", |_| true);
    assert!(data.contains("content/lithium.md:4:8"), "diagnostics carry file:line:col: {data}");
    let (status, body) = server.get("/lithium/");
    assert_eq!(status, 200);
    assert!(body.contains("Refined in"), "the last good page is still served");
    // A page opened now gets the overlay too.
    let late = subscribe(&server.addr);
    let mut got_failed = false;
    while let Ok((event, _)) = late.recv_timeout(Duration::from_secs(5)) {
        if event == "failed" {
            got_failed = true;
            break;
        }
    }
    assert!(got_failed);
    site.write("content/lithium.md", "+++\ntitle = \"Lithium\"\n+++\nFixed, see [[China]].\n");
    server.expect("ok", |_| true);
    let reload = server.expect("reload", |_| true);
    assert!(
        reload.contains("lithium/index.html") && reload.contains("\"all\":false"),
        "only changed pages reload: {reload}"
    );
    served_with(&server, "/lithium/", "Fixed, see");
}

#[test]
fn a_burst_of_edits_gives_few_rebuilds() {
    let site = site();
    let server = Server::start(site.root());
    for i in 0..100 {
        site.write(
            "content/lithium.md",
            &format!("+++\ntitle = \"Lithium\"\n+++\nVersion {i} of [[China]].\n"),
        );
    }
    served_with(&server, "/lithium/", "Version 99 of");
    let reloads = server.drain(Duration::from_millis(600)).into_iter().filter(|(e, _)| e == "reload").count();
    assert!(reloads <= 10, "100 quick saves gave {reloads} reloads");
}

#[test]
fn a_stylesheet_edit_swaps_css_without_a_reload() {
    let site = site();
    let server = Server::start(site.root());
    site.write("static/extra.css", "body { color: blue }\n");
    let data = server.expect("css", |_| true);
    assert!(data.contains("extra.css"));
    served_with(&server, "/extra.css", "blue");
}

#[test]
fn requests_never_leave_the_site() {
    let site = site();
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "TOP-SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(secret.path(), site.root().join("static/leak.txt")).unwrap();
    let server = Server::start(site.root());
    for path in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2fsite.toml",
        "/..%2f..%2fetc/passwd",
        "//etc/passwd",
        "/static/../../site.toml",
        "/leak.txt",
        "/content/lithium.md",
    ] {
        let (status, body) = server.get(path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP-SECRET") && !body.contains("base_url"), "{path} leaked a file");
    }
    assert_eq!(server.get("/nowhere/deep/").0, 404);
}

#[test]
fn incremental_rebuilds_agree_with_a_full_build() {
    let site = site();
    let server = Server::start(site.root());
    site.write(
        "content/lithium.md",
        "+++\ntitle = \"Lithium\"\ntags = [\"battery\"]\n+++\nNow in [[China#China]].\n",
    );
    served_with(&server, "/lithium/", "Now in");
    site.write("content/china.md", "# China\n\nRefines most lithium.\n\n## Figures\n\n58%.\n");
    served_with(&server, "/china/", "58%");
    site.write("content/cobalt.md", "# Cobalt\n\n![[China#Figures]]\n");
    served_with(&server, "/cobalt/", "58%");
    site.write("content/china.md", "# China\n\nRefines most lithium.\n\n## Figures\n\n60%.\n");
    served_with(&server, "/cobalt/", "60%");
    // A body edit that moves a link: the old target's "Linked from" loses it.
    site.write(
        "content/lithium.md",
        "+++\ntitle = \"Lithium\"\ntags = [\"battery\"]\n+++\nNow mined for [[Cobalt]].\n",
    );
    served_with(&server, "/cobalt/", "Now mined for");

    let out = tempfile::tempdir().unwrap();
    let options = lode::build::BuildOptions { output: Some(out.path().join("public")), ..site.options() };
    lode::build::build(&options).unwrap();
    let script = "<script src=\"/__lode/live.js\" defer></script>\n";
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(out.path().join("public")).into_iter().filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(out.path().join("public"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // The search index is refreshed in the background after the reload;
        // tests/browser_search.rs checks that it follows edits.
        if rel.starts_with(&format!("{}/", lode::search::SEARCH_DIR)) {
            continue;
        }
        // The list of files to save for offline reading is a full build's
        // only: without it no service worker works under serve (tests/browser_offline.rs).
        if rel == lode::offline::LIST_PATH {
            assert_eq!(server.get(&format!("/{rel}")).0, 404, "serve has no offline list");
            continue;
        }
        // A social card (a PNG) is named by its content's hash, which the
        // pages compared here name: it is served, under the same name.
        if rel.starts_with(lode::render::social::OUTPUT_DIR) {
            assert_eq!(server.get(&format!("/{rel}")).0, 200, "{rel}");
            compared += 1;
            continue;
        }
        let built = std::fs::read_to_string(entry.path()).unwrap();
        // The last rebuild may still be swapping in: wait (10 s at most)
        // for the served file to settle on the build's, not a fixed time.
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, served) = server.get(&format!("/{rel}"));
            if status == 200 && served.replace(script, "") == built {
                break;
            }
            if Instant::now() >= deadline {
                assert_eq!(status, 200, "{rel}");
                assert_eq!(served.replace(script, ""), built, "{rel} differs between serve and build");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        compared += 1;
    }
    assert!(compared >= 8, "{compared}");
}
