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
    for file in ["site.toml", ".gitignore", ".github/workflows/pages.yml", "static/extra.css"] {
        assert!(site.join(file).is_file(), "{file} missing");
    }
    // The author owns only what they change: the built-in templates and
    // stylesheet are used as they are, not copied.
    assert!(!site.join("templates").exists(), "init copied the templates");
    assert!(!site.join("static/style.css").exists(), "init copied the stylesheet");
    let workflow = std::fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    // The release's GitHub Action builds it: no Rust toolchain, no compile,
    // no URL of Lode's repository to fill in.
    let action = format!("uses: lode-notes/lode@v{}\n", env!("CARGO_PKG_VERSION"));
    assert!(workflow.contains(&action), "{workflow}");
    // ...nor the step that builds Lode's own manual beside the flagship.
    for absent in ["uses: ./", "cargo", "rust-toolchain", "LODE_GIT", "root: docs", "manual"] {
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
    // Every page links the built-in stylesheet, then the site's extra.css;
    // both are written.
    for (page, root) in [("index.html", ""), ("concepts/photosynthesis/index.html", "../../")] {
        let html =
            scraper::Html::parse_document(&std::fs::read_to_string(site.join("public").join(page)).unwrap());
        let sheets = common::hrefs(&html, "link[rel=stylesheet]");
        assert_eq!(sheets, [format!("{root}style.css"), format!("{root}extra.css")], "{page}");
    }
    assert!(site.join("public/style.css").is_file() && site.join("public/extra.css").is_file());
    // Without extra.css, pages link style.css alone.
    std::fs::remove_file(site.join("static/extra.css")).unwrap();
    assert!(lode(&["build", "--root", "notes"], tmp.path()).status.success());
    let html =
        scraper::Html::parse_document(&std::fs::read_to_string(site.join("public/index.html")).unwrap());
    assert_eq!(common::hrefs(&html, "link[rel=stylesheet]"), ["style.css"]);
    assert!(!site.join("public/extra.css").exists());

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

/// A bad collection name for `lode new` names the site's own collections,
/// never another site's (the flagship's `minerals`), and an empty one says
/// it is empty.
#[test]
fn a_bad_collection_name_lists_the_sites_own_collections() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(lode(&["init", "."], tmp.path()).status.success());
    for bad in ["", "  ", "../outside", "a//b", "."] {
        let out = lode(&["new", bad, "Z"], tmp.path());
        assert_eq!(out.status.code(), Some(1), "{bad:?} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("minerals"), "{bad:?}: a collection of another site: {stderr}");
        assert!(stderr.contains("(the collections: concepts, examples)"), "{bad:?}: {stderr}");
        let empty = bad.trim().is_empty();
        assert_eq!(stderr.contains("the collection name is empty"), empty, "{bad:?}: {stderr}");
        assert_eq!(stderr.contains("is not a collection name"), !empty, "{bad:?}: {stderr}");
    }
    assert!(!tmp.path().join("outside").exists());
    // A site with no collection yet says so, and how to start one.
    std::fs::remove_dir_all(tmp.path().join("content")).unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    let stderr = String::from_utf8_lossy(&lode(&["new", "", "Z"], tmp.path()).stderr).into_owned();
    assert!(stderr.contains("the site has no collection yet"), "{stderr}");
}

/// In the flagship, `lode new` in a collection whose schema requires fields
/// writes a note from its `_archetype.md`, which lists those fields to fill
/// in: `lode check` reports each one left empty (an empty value is none, as
/// Obsidian reads an empty property), and nothing else; filled in, the
/// note builds.
#[test]
fn new_notes_in_the_flagships_schema_collections_ask_for_their_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "templates", "static"] {
        let status = Command::new("cp").arg("-r").arg(repo.join(dir)).arg(tmp.path()).status().unwrap();
        assert!(status.success(), "cp {dir}");
    }
    std::fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).unwrap();
    for (collection, title) in [("minerals", "Scandium"), ("Programmes", "A new mission")] {
        let out = lode(&["new", collection, title], tmp.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = lode(&["check", "--format", "json"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let mut errors: Vec<(String, String)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|p| p.get("severity").is_some_and(|s| s == "error"))
        .map(|p| (p["file"].as_str().unwrap().to_string(), p["message"].as_str().unwrap().to_string()))
        .collect();
    errors.sort();
    let want = [
        ("content/minerals/scandium.md", "group"),
        ("content/programmes/a-new-mission.md", "countries"),
        ("content/programmes/a-new-mission.md", "focus"),
        ("content/programmes/a-new-mission.md", "kind"),
    ];
    assert_eq!(errors.len(), want.len(), "{errors:#?}");
    for ((file, message), (want_file, field)) in errors.iter().zip(want) {
        assert_eq!(file, want_file);
        assert!(
            message.starts_with(&format!("`{field}` is required")) && message.ends_with("leaves it empty"),
            "{message}"
        );
    }
    let fill = |path: &str, from: &[(&str, &str)]| {
        let path = tmp.path().join(path);
        let mut text = std::fs::read_to_string(&path).unwrap();
        for (a, b) in from {
            text = text.replacen(a, b, 1);
        }
        std::fs::write(path, text).unwrap();
    };
    fill("content/minerals/scandium.md", &[("group = \"\"", "group = \"rare earth\"")]);
    fill(
        "content/programmes/a-new-mission.md",
        &[
            ("countries = []", "countries = [\"India\"]"),
            ("kind = \"\"", "kind = \"mission\""),
            ("focus = \"\"", "focus = \"x\""),
        ],
    );
    let out = lode(&["check"], tmp.path());
    let shown = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{shown}");
    assert!(!shown.contains("error:"), "{shown}");
}

/// Every file under `dir`, by relative path, with its bytes.
fn files(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().display().to_string(), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// `lode init --eject` and `lode eject` write copies of every built-in
/// template and the stylesheet; the site builds the same files as without
/// them. `lode eject` replaces nothing without --force.
#[test]
fn eject_writes_the_built_in_theme_and_the_build_is_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(lode(&["init", "plain"], tmp.path()).status.success());
    assert!(lode(&["init", "ejected", "--eject"], tmp.path()).status.success());
    let ejected = tmp.path().join("ejected");
    for (name, text) in lode::render::DEFAULT_TEMPLATES {
        let copy = std::fs::read_to_string(ejected.join("templates").join(name)).unwrap();
        assert_eq!(&copy, text, "{name}");
    }
    assert_eq!(
        std::fs::read_to_string(ejected.join("static/style.css")).unwrap(),
        lode::build::DEFAULT_STYLESHEET
    );
    for site in ["plain", "ejected"] {
        let out = lode(&["build", "--root", site], tmp.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let (plain, copied) = (files(&tmp.path().join("plain/public")), files(&ejected.join("public")));
    assert!(plain.len() > 20);
    assert!(plain == copied, "the ejected theme builds other files");

    // On an existing site: refused while any file exists, naming it; forced, replaced.
    let site = tmp.path().join("plain");
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/note.html"), "{% extends \"lode/note.html\" %}\n").unwrap();
    let out = lode(&["eject", "--root", "plain"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("templates/note.html") && stderr.contains("--force"), "{stderr}");
    assert!(!site.join("templates/base.html").exists(), "a refused eject wrote files");
    assert!(lode(&["eject", "--root", "plain", "--force"], tmp.path()).status.success());
    assert_eq!(
        std::fs::read_to_string(site.join("templates/note.html")).unwrap(),
        std::fs::read_to_string(ejected.join("templates/note.html")).unwrap()
    );
    assert_eq!(lode(&["eject", "--root", "nowhere"], tmp.path()).status.code(), Some(1));
}

/// A site's template may extend the built-in one it replaces
/// (`lode/NAME`) and override one block; a site's `base.html` so extended
/// is what every built-in page template extends.
#[test]
fn a_site_overrides_one_block_of_a_built_in_template() {
    let site = common::TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Lithium]].\n"),
        ("content/minerals/_index.md", "+++\ntitle = \"Minerals\"\n+++\n"),
        (
            "content/minerals/lithium.md",
            "+++\ntitle = \"Lithium\"\n[extra]\nsymbol = \"Li\"\n+++\nA battery metal.\n",
        ),
        (
            "templates/note.html",
            "{% extends \"lode/note.html\" %}\n{% block after_content %}<p class=\"mine\">Also see the shelf.</p>{% endblock %}\n",
        ),
        (
            "templates/base.html",
            "{% extends \"lode/base.html\" %}\n{% block nav_extra %}<li><a class=\"mine\" href=\"{{ get_url(path='about/') }}\">About</a></li>{% endblock %}\n",
        ),
    ]);
    site.build();
    let note = site.page("minerals/lithium/index.html");
    let mine = common::select(&note, ".note-main > p.mine");
    assert_eq!(mine.len(), 1, "the overridden block is on the page");
    // The rest of the built-in note page is there: body, facts, title.
    assert_eq!(common::text(&common::select(&note, ".note-body")[0]), "A battery metal.");
    assert_eq!(common::text(&common::select(&note, ".facts dd")[0]), "Li");
    // The site's base.html reaches the note page (note.html → base.html →
    // lode/base.html) and the others.
    for page in ["minerals/lithium/index.html", "index.html", "tags/index.html"] {
        let html = site.page(page);
        let nav: Vec<String> = common::select(&html, ".site-nav li").iter().map(common::text).collect();
        assert_eq!(nav.iter().filter(|t| *t == "About").count(), 1, "{page}: {nav:?}");
        assert!(nav.contains(&"Tags".to_string()), "{page}: the built-in links stay: {nav:?}");
    }
    assert!(common::select(&site.page("index.html"), "p.mine").is_empty());
}

/// The built-in theme is generic: no "Timeline" menu entry for a note of
/// that title, no "general reference data" mark on a `symbol` (the
/// flagship's own templates add them).
#[test]
fn the_built_in_theme_has_nothing_of_the_flagship() {
    let site = common::TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Lithium]] and [[Timeline]].\n"),
        (
            "content/lithium.md",
            "+++\ntitle = \"Lithium\"\n[extra]\nsymbol = \"Li\"\natomic_number = 3\n+++\nA metal.\n",
        ),
        ("content/timeline.md", "+++\ntitle = \"Timeline\"\n+++\nWhat happened when.\n"),
    ]);
    site.build();
    let note = site.page("lithium/index.html");
    let labels: Vec<String> = common::select(&note, ".facts dt").iter().map(common::text).collect();
    assert_eq!(labels, ["Symbol", "Atomic number"]);
    assert!(common::select(&note, ".facts sup, #facts-reference-data").is_empty());
    let nav: Vec<String> = common::select(&note, ".site-nav li").iter().map(common::text).collect();
    assert!(!nav.contains(&"Timeline".to_string()), "{nav:?}");
}

/// Labels and units of a collection's `[schema]` name the facts box's rows
/// and the link previews' facts; a field without them keeps its key made
/// readable, and a declared card field's own label wins.
#[test]
fn schema_labels_and_units_name_the_facts() {
    let site = common::TestSite::new(&[
        (
            "content/programmes/_index.md",
            "+++\ntitle = \"Programmes\"\n[schema]\nbudget_usd = { type = \"string\", label = \"Budget\", unit = \"US$\" }\nstaff = { type = \"integer\", unit = \"people\" }\nkind_of = { type = \"string\" }\n+++\n",
        ),
        (
            "content/programmes/mission.md",
            "+++\ntitle = \"Mission\"\n[extra]\nbudget_usd = \"4 billion\"\nstaff = 12\nkind_of = \"Fund\"\n+++\nA mission.\n",
        ),
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n[[Mission]]\n"),
    ]);
    site.build();
    let note = site.page("programmes/mission/index.html");
    let rows: Vec<(String, String)> = common::select(&note, ".facts .fact")
        .iter()
        .map(|row| {
            let cell = |css: &str| {
                common::text(&row.select(&scraper::Selector::parse(css).unwrap()).next().unwrap())
            };
            (cell("dt"), cell("dd"))
        })
        .collect();
    let want = [("Budget", "4 billion US$"), ("Staff", "12 people"), ("Kind of", "Fund")];
    assert_eq!(rows, want.map(|(a, b)| (a.to_string(), b.to_string())));
    let shard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.output().join("_lode/previews/0.json")).unwrap())
            .unwrap();
    assert_eq!(
        shard["programmes/mission/"]["facts"],
        serde_json::json!([["Budget", "4 billion US$"], ["Staff", "12 people"], ["Kind of", "Fund"]])
    );
}

/// `lode new` finds a collection whose folder differs in case, warns when
/// the folder is no collection, and writes a note listing the schema's
/// fields that `lode check` reports only for its required ones.
#[test]
fn new_matches_the_collection_and_follows_its_schema() {
    let site = common::TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        (
            "content/Processes/_index.md",
            "+++\ntitle = \"Processes\"\n[schema]\nstage = { type = \"string\", required = true, label = \"Stage\" }\nsteps = { type = \"integer\", required = true, unit = \"steps\" }\ninputs = { type = \"list\", required = true }\nrate = { type = \"number\" }\n+++\nAll processes.\n",
        ),
    ]);
    let root = site.root();
    let out = lode(&["new", "processes", "Osmosis"], root);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).is_empty(), "a collection: no warning");
    let folders: Vec<String> = std::fs::read_dir(root.join("content"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.eq_ignore_ascii_case("processes"))
        .collect();
    assert_eq!(folders, ["Processes"], "no second folder beside Processes/");
    let path = root.join("content/Processes/osmosis.md");
    assert!(String::from_utf8_lossy(&out.stdout).trim().ends_with("content/Processes/osmosis.md"));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\nstage = \"\"") && text.contains("\ninputs = []"), "{text}");
    assert!(text.contains("# steps =") && text.contains("# rate ="), "{text}");
    assert!(text.contains("required") && text.contains("Stage") && text.contains("steps"), "{text}");
    // `lode check`: an error for each required field, nothing else about the note's fields.
    let out = lode(&["check", "--format", "json"], root);
    assert_eq!(out.status.code(), Some(1));
    let problems: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|p| p.get("severity").is_some_and(|s| s == "error"))
        .collect();
    let mut named: Vec<&str> = problems
        .iter()
        .map(|p| {
            assert_eq!(p["file"], "content/Processes/osmosis.md", "{p}");
            let message = p["message"].as_str().unwrap();
            ["stage", "steps", "inputs"]
                .into_iter()
                .find(|f| message.starts_with(&format!("`{f}` is required")))
                .unwrap_or(message)
        })
        .collect();
    named.sort();
    assert_eq!(named, ["inputs", "stage", "steps"]);
    // Filled in, it passes.
    let filled = text
        .replace("\nstage = \"\"", "\nstage = \"Diffusion\"")
        .replace("\ninputs = []", "\ninputs = [\"water\"]")
        .replace("# steps =", "steps = 2 #");
    std::fs::write(&path, filled).unwrap();
    let out = lode(&["check"], root);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // No such folder: an error naming the nearest collection and listing them; nothing written.
    let out = lode(&["new", "proceses", "Thing"], root);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no collection \"proceses\""), "{stderr}");
    assert!(stderr.contains("did you mean \"Processes\"?"), "{stderr}");
    assert!(stderr.contains("(the collections: Processes)"), "{stderr}");
    assert!(!root.join("content/proceses").exists(), "no stray folder");
    // A folder that is not a collection: the note, and a warning (exit 0).
    std::fs::create_dir(root.join("content/loose")).unwrap();
    let out = lode(&["new", "loose", "Thing"], root);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("warning: content/loose/ is not a collection"), "{stderr}");
    assert!(stderr.contains("_index.md"), "{stderr}");
    assert!(root.join("content/loose/thing.md").is_file());
    // Nested collections match level by level.
    site.write("content/Processes/Cell/_index.md", "+++\ntitle = \"Cell\"\n+++\nCell processes.\n");
    let out = lode(&["new", "processes/cell", "Mitosis"], root);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(root.join("content/Processes/Cell/mitosis.md").is_file());
}

/// Under `lode serve`, adding `static/extra.css` links it from every page,
/// and removing it unlinks it: the files are those of a fresh build.
#[test]
fn under_serve_extra_css_coming_and_going_changes_every_page() {
    let site = common::TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nSee [[Alpha]].\n"),
        ("content/alpha.md", "+++\ntitle = \"Alpha\"\n+++\nBack [[Home]].\n"),
    ]);
    let root = site.root().to_path_buf();
    let mut session = lode::build::Session::new(site.options());
    session.rebuild(&[]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
    let links = |session: &lode::build::Session, page: &str| -> Vec<String> {
        let files = common::snapshot(session);
        let html = &files.iter().find(|(k, _)| k == page).unwrap().1;
        common::hrefs(&scraper::Html::parse_document(&String::from_utf8_lossy(html)), "link[rel=stylesheet]")
    };
    assert_eq!(links(&session, "alpha/index.html"), ["../style.css"]);
    for (present, want) in [(true, vec!["../style.css", "../extra.css"]), (false, vec!["../style.css"])] {
        let path = root.join("static/extra.css");
        if present {
            site.write("static/extra.css", "h1 { color: teal; }\n");
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        session.rebuild(&[path]).unwrap_or_else(|e| panic!("{}", common::list(&e)));
        assert_eq!(links(&session, "alpha/index.html"), want);
        let mut fresh = lode::build::Session::new(site.options());
        fresh.rebuild(&[]).unwrap();
        assert_eq!(common::snapshot(&session), common::snapshot(&fresh), "not the files of a fresh build");
    }
}

/// `lode new` takes the collection as a shell completes its folder
/// (`content/examples/`, `examples/`) and writes into that collection,
/// never a `content/content/…` one; a folder really named `content` under
/// content/ is still that folder.
#[test]
fn new_takes_the_collections_folder_path() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(lode(&["init", "."], tmp.path()).status.success());
    for (collection, title, file) in [
        ("content/examples", "Alpha", "alpha"),
        ("examples/", "Beta", "beta"),
        ("content/examples/", "Gamma", "gamma"),
        ("./content/examples/", "Delta", "delta"),
    ] {
        let out = lode(&["new", collection, title], tmp.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "{collection:?}: {stderr}");
        let written = String::from_utf8_lossy(&out.stdout).trim().to_string();
        assert!(written.ends_with(&format!("content/examples/{file}.md")), "{collection:?}: {written}");
        assert!(tmp.path().join(format!("content/examples/{file}.md")).is_file());
    }
    assert!(!tmp.path().join("content/content").exists(), "no content/content/ folder");
    // A collection named `content` is found by its own name first.
    std::fs::create_dir(tmp.path().join("content/content")).unwrap();
    std::fs::write(tmp.path().join("content/content/_index.md"), "+++\ntitle = \"Content\"\n+++\nAll.\n")
        .unwrap();
    let out = lode(&["new", "content/content", "Epsilon"], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("content/content/epsilon.md").is_file());
}

/// An archetype's body is Markdown: the title goes in as written there, and
/// escaped only inside the front matter's TOML string.
#[test]
fn new_writes_the_title_as_written_in_the_archetypes_body() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(lode(&["init", "."], tmp.path()).status.success());
    let out = lode(&["new", "examples", r#"Say "hi" \o/"#], tmp.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(tmp.path().join("content/examples/say-hi-o.md")).unwrap();
    assert!(text.contains(r#"title = "Say \"hi\" \\o/""#), "{text}");
    assert!(text.contains(r#"Write about Say "hi" \o/ here"#), "{text}");
    assert!(lode(&["build"], tmp.path()).status.success());
    let html = std::fs::read_to_string(tmp.path().join("public/examples/say-hi-o/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let h1 = doc.select(&scraper::Selector::parse("h1").unwrap()).next().unwrap().text().collect::<String>();
    assert_eq!(h1.trim(), r#"Say "hi" \o/"#);
}

/// A title with no letter or digit has an empty slug: `lode new` refuses it
/// with a way out, and writes nothing (not `_.md`).
#[test]
fn new_refuses_a_title_without_letters_or_digits() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(lode(&["init", "."], tmp.path()).status.success());
    let before: Vec<_> = std::fs::read_dir(tmp.path().join("content/examples")).unwrap().collect();
    for title in ["???", "—", "!!"] {
        let out = lode(&["new", "examples", title], tmp.path());
        assert_eq!(out.status.code(), Some(1), "{title:?} was accepted");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("give a title with letters or digits"), "{title:?}: {stderr}");
    }
    let after: Vec<_> = std::fs::read_dir(tmp.path().join("content/examples")).unwrap().collect();
    assert_eq!(before.len(), after.len(), "nothing written");
    assert!(!tmp.path().join("content/examples/_.md").exists());
}

/// A `[schema]` field Lode cannot read as written (a misspelt `requird`, an
/// unknown `type`) makes `lode new` say so, rather than silently write the
/// field as optional or leave it out.
#[test]
fn new_warns_about_schema_fields_it_cannot_read() {
    let site = common::TestSite::new(&[
        ("content/_index.md", "+++\ntitle = \"Home\"\n+++\nHome.\n"),
        (
            "content/parts/_index.md",
            "+++\ntitle = \"Parts\"\n[schema]\nsize = { type = \"integer\", requird = true }\nkind = { type = \"strng\" }\n[schema.mass]\ntype = \"number\"\nrequird = true\n+++\nAll parts.\n",
        ),
    ]);
    let out = lode(&["new", "parts", "Bolt"], site.root());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 3, "{stderr}");
    assert!(
        warnings[0].starts_with(
            "warning: content/parts/_index.md:4:28: unknown key `requird` in schema field `size`"
        ),
        "{stderr}"
    );
    assert!(
        warnings[1].starts_with(
            "warning: content/parts/_index.md:5:17: unknown type `strng` in schema field `kind`"
        ),
        "{stderr}"
    );
    assert!(
        warnings[2].starts_with(
            "warning: content/parts/_index.md:8:1: unknown key `requird` in schema field `mass`"
        ),
        "{stderr}"
    );
    assert!(
        warnings.iter().all(|w| w.ends_with("the new note's [extra] follows the schema as Lode reads it")),
        "{stderr}"
    );
}
