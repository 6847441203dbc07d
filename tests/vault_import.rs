//! Bring your own vault (issue 13): `lode build --root VAULT` and `lode
//! serve --root VAULT` on a folder of notes with no `site.toml` and no
//! `content/` folder (tests/fixtures/vault-frontmatter/). The folder is the
//! content, read leniently as Obsidian reads it; one bad note does not sink
//! it; the output goes to the hidden `VAULT/.lode/public` and nothing else in
//! the vault changes; the problems are summed up by kind on one screen.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

const LODE: &str = env!("CARGO_BIN_EXE_lode");

/// A copy of the fixture vault in a temporary folder (the fixture itself is
/// never built into).
fn vault() -> tempfile::TempDir {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vault-frontmatter");
    let tmp = tempfile::Builder::new().prefix("vault-").tempdir().unwrap();
    common::copy_tree(&from, tmp.path(), |rel| {
        assert!(!rel.starts_with(".lode"), "remove the stray .lode/ folder from the fixture");
        true
    });
    tmp
}

/// Every file under `dir` outside `.lode/`, with its bytes.
fn files_outside_output(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .filter(|rel| !rel.starts_with(".lode"))
        .map(|rel| {
            let bytes = std::fs::read(dir.join(&rel)).unwrap();
            (rel, bytes)
        })
        .collect()
}

fn lode(args: &[&str], root: &Path) -> Output {
    Command::new(LODE).args(args).arg("--root").arg(root).env("NO_COLOR", "1").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn page(vault: &Path, rel: &str) -> Html {
    let path = vault.join(".lode/public").join(rel);
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&html)
}

fn h1(html: &Html) -> String {
    let s = Selector::parse("main h1, h1").unwrap();
    html.select(&s).next().map(|e| e.text().collect::<String>()).unwrap_or_default()
}

fn tags(html: &Html) -> Vec<String> {
    let s = Selector::parse("ul.tags li a").unwrap();
    html.select(&s).map(|e| e.text().collect::<String>()).collect()
}

#[test]
fn a_vault_builds_into_a_hidden_folder_and_is_otherwise_untouched() {
    let vault = vault();
    let before = files_outside_output(vault.path());
    let out = lode(&["build"], vault.path());
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "exit {:?}\n{stdout}\n{stderr}", out.status);
    assert_eq!(files_outside_output(vault.path()), before, "the build changed the vault outside .lode/");
    let public = vault.path().join(".lode/public");
    assert!(public.join("index.html").is_file());
    assert!(stdout.contains(&format!("({})", public.display())), "{stdout}");

    // Pages for the good notes, and for the bad ones (built as Obsidian shows them).
    let physics = page(vault.path(), "physics/physics/index.html");
    assert_eq!(h1(&physics), "Physics");
    assert_eq!(tags(&physics), ["#physics"], "`tags: physics` is a one-item list");
    let lithium = page(vault.path(), "lithium/index.html");
    assert_eq!(tags(&lithium), ["#metal", "#battery"], "a leading # is dropped");
    assert!(
        lithium.html().contains("href=\"../physics/physics/\""),
        "[[Phys]] resolves through `aliases: Phys`"
    );
    assert!(tags(&page(vault.path(), "empty-values/index.html")).is_empty());
    assert_eq!(tags(&page(vault.path(), "numbers-in-tags/index.html")), ["#2024", "#physics"]);
    let zola = page(vault.path(), "zola-post/index.html");
    assert_eq!(h1(&zola), "A Zola post");
    assert_eq!(tags(&zola), ["#rust", "#ssg"], "Zola's [taxonomies] tags");
    let broken = page(vault.path(), "broken-yaml/index.html");
    assert_eq!(h1(&broken), "Broken yaml", "no front matter: the title is the file name");
    assert!(broken.html().contains("its body still is"));
    assert!(page(vault.path(), "latin1/index.html").html().contains("caf\u{FFFD} cr\u{FFFD}me"));
    let template = page(vault.path(), "templates/daily-note/index.html");
    assert_eq!(h1(&template), "{{date}}", "a vault's templates/ folder holds notes, not Tera templates");
    assert!(public.join("attachments/diagram.png").is_file(), "attachments are copied");

    // Hidden folders and node_modules are not content.
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&public).unwrap().to_string_lossy().into_owned();
        for never in ["obsidian", "hidden-note", "trash", "deleted-note", "node_modules", "some-package"] {
            assert!(!rel.contains(never), "{rel} was built");
        }
        if entry.file_type().is_file() && rel.ends_with(".html") {
            let html = std::fs::read_to_string(entry.path()).unwrap();
            assert!(!html.contains("never built"), "{rel} shows a note of a hidden folder");
        }
    }

    // One screen: a summary line, then one line per kind with the first of its kind.
    let summary = stdout.lines().find(|l| l.starts_with("Vault ")).unwrap_or_else(|| panic!("{stdout}"));
    // The five orphans are one summary line (`[check] orphans = "summary"`,
    // the default), counted as the five notes it names.
    assert!(summary.contains("8 notes, 1 attachment; 12 warnings: "), "{summary}");
    for count in [
        "5 orphan notes",
        "3 front matter",
        "1 note not UTF-8",
        "1 unresolved link",
        "1 missing heading",
        "1 template",
    ] {
        assert!(summary.contains(count), "{count} in {summary}");
    }
    assert!(stderr.lines().count() <= 8, "more than one screen:\n{stderr}");
    for first in [
        "1 note not UTF-8   Latin1.md:3:29: byte 0x",
        "1 unresolved link  Numbers in tags.md:10:59: link [[Nowhere]] matches no note",
        "1 missing heading  Zola post.md:14:31: link [[Lithium#Missing section]]",
        "1 template         Zola post.md:4:1: template \"page.html\" does not exist",
    ] {
        assert!(stderr.contains(first), "{first}\nin:\n{stderr}");
    }

    // `-v` lists every problem, with its source line.
    let verbose = text(&lode(&["build", "-v"], vault.path()).stderr);
    assert_eq!(
        verbose.matches("warning[L0302]: 5 notes nothing links to (orphan notes): this one, ").count(),
        1,
        "{verbose}"
    );
    assert!(verbose.contains("┌─ Numbers in tags.md:6:5"), "{verbose}");
    assert!(verbose.contains("0 error(s), 8 warning(s)"), "{verbose}");
}

#[test]
fn json_gives_every_problem_with_its_file_line_column_and_kind() {
    let vault = vault();
    let out = lode(&["check", "--format", "json"], vault.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut problems: Vec<serde_json::Value> =
        text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let summary = problems.pop().expect("a closing summary");
    assert_eq!(
        summary,
        serde_json::json!({ "summary": { "errors": 0, "warnings": 8, "strict": false, "failed": false } })
    );
    let find = |file: &str, line: u64, column: u64| {
        problems
            .iter()
            .find(|p| p["file"] == file && p["line"] == line && p["column"] == column)
            .unwrap_or_else(|| panic!("nothing at {file}:{line}:{column} in {problems:#?}"))
    };
    let map = find("Numbers in tags.md", 6, 5);
    assert_eq!((&map["severity"], &map["kind"]), (&"warning".into(), &"front-matter".into()));
    assert!(map["message"].as_str().unwrap().contains("item 3 of `tags` is a map"), "{map}");
    let yaml = find("Broken yaml.md", 4, 1);
    assert!(yaml["message"].as_str().unwrap().ends_with("the note is built without its front matter"));
    assert_eq!(find("Latin1.md", 3, 29)["kind"], "encoding");
    assert!(
        find("Zola post.md", 5, 10)["message"].as_str().unwrap().contains("`weight` must be a whole number")
    );
    assert_eq!(find("Zola post.md", 14, 31)["kind"], "missing-heading");
    assert_eq!(find("Numbers in tags.md", 10, 59)["kind"], "unresolved-link");
    assert_eq!(problems.len(), 8, "the five orphans are one summary line");
    assert!(problems.iter().all(|p| p["severity"] == "warning"));
    assert!(!vault.path().join(".lode").exists(), "`lode check` writes nothing");
}

/// The same notes in a Lode site (`site.toml`, `content/`) are strict by
/// default: each bad note is an error again, and nothing is written.
#[test]
fn in_a_strict_site_the_same_notes_are_errors() {
    let vault = vault();
    let site = tempfile::tempdir().unwrap();
    std::fs::write(site.path().join("site.toml"), "title = \"Strict\"\n[links]\nlevel = \"warning\"\n")
        .unwrap();
    std::fs::rename(vault.path(), site.path().join("content")).unwrap();
    let out = lode(&["build", "--format", "json"], site.path());
    assert_eq!(out.status.code(), Some(1));
    let errors: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|p| p["severity"] == "error")
        .map(|p| format!("{}:{}:{}", p["file"].as_str().unwrap(), p["line"], p["column"]))
        .collect();
    for at in [
        "content/Latin1.md:3:29",
        "content/Broken yaml.md:4:1",
        "content/Numbers in tags.md:4:5",
        "content/Zola post.md:5:10",
    ] {
        assert!(errors.iter().any(|e| e == at), "no error at {at}: {errors:?}");
    }
    assert!(!site.path().join("public").exists());
}

#[test]
fn an_output_folder_among_the_notes_is_refused_and_an_empty_folder_is_no_vault() {
    let vault = vault();
    let before = files_outside_output(vault.path());
    let among = vault.path().join("site");
    let out = Command::new(LODE)
        .args(["build", "--output"])
        .arg(&among)
        .arg("--root")
        .arg(vault.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("it lies among the vault's notes"), "{}", text(&out.stderr));
    assert_eq!(files_outside_output(vault.path()), before);
    assert!(!vault.path().join(".lode").exists());

    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(LODE)
        .args(["build", "-q", "--output"])
        .arg(elsewhere.path().join("site"))
        .arg("--root")
        .arg(vault.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(elsewhere.path().join("site/lithium/index.html").is_file());
    assert!(!vault.path().join(".lode").exists(), "--output replaces .lode/public");

    let empty = tempfile::tempdir().unwrap();
    let out = lode(&["build"], empty.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no notes in"), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_dir(empty.path()).unwrap().count(),
        0,
        "nothing written into a folder with no notes"
    );
}

#[test]
fn a_vault_is_served_and_rebuilt_on_save() {
    let vault = vault();
    let before = files_outside_output(vault.path());
    let server = common::server::Server::start(vault.path());
    let (status, body) = server.get("/lithium/");
    assert_eq!(status, 200);
    assert!(body.contains("A light metal"));
    assert_eq!(server.get("/templates/daily-note/").0, 200);
    std::fs::write(vault.path().join(".obsidian/workspace.json"), "{}").unwrap();
    std::fs::write(
        vault.path().join("Lithium.md"),
        "---\naliases: Li\ntags:\n---\n# Lithium\n\nEdited in the vault.\n",
    )
    .unwrap();
    server.expect("reload", |d| d.contains("lithium/index.html"));
    assert!(server.get("/lithium/").1.contains("Edited in the vault."));
    drop(server);
    let after = files_outside_output(vault.path());
    let changed: Vec<&PathBuf> = after.keys().filter(|p| before.get(*p) != after.get(*p)).collect();
    assert_eq!(
        changed,
        [Path::new(".obsidian/workspace.json"), Path::new("Lithium.md")],
        "serve wrote into the vault"
    );
    assert!(!vault.path().join(".lode").exists(), "serve keeps its pages in memory");
}

/// Obsidian has no URLs, so two notes of a vault may slugify alike, or take
/// a URL Lode keeps for its own pages: each later one is written at the
/// first free `-2`, `-3`… with a warning, and links find it there. In a
/// strict site the same files stay an error.
#[test]
fn notes_whose_urls_clash_in_a_vault_get_urls_of_their_own() {
    let dir = tempfile::Builder::new().prefix("vault-").tempdir().unwrap();
    let vault = dir.path();
    let write = |rel: &str, text: &str| {
        let path = vault.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("Rose Pine.md", "The plain theme.\n");
    write("Rosé Pine.md", "The accented theme.\n");
    write("RedShift - OLED.md", "Dashes.\n");
    write("RedShift: OLED.md", "A colon.\n");
    write("Graph.md", "A note named like the site's graph page.\n");
    write("Tags/Physics.md", "A folder named like the tag pages.\n");
    write(
        "Index.md",
        "[[Rose Pine]], [[Rosé Pine]], [[RedShift - OLED]], [[RedShift: OLED]], [[Graph]] and [[Physics]].\n",
    );
    let out = lode(&["build"], vault);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for (rel, body) in [
        ("rose-pine/index.html", "The plain theme."),
        ("rose-pine-2/index.html", "The accented theme."),
        ("redshift-oled/index.html", "Dashes."),
        ("redshift-oled-2/index.html", "A colon."),
        ("graph-2/index.html", "named like the site's graph page"),
        ("tags-2/physics/index.html", "named like the tag pages"),
    ] {
        let html = std::fs::read_to_string(vault.join(".lode/public").join(rel)).unwrap();
        assert!(html.contains(body), "{rel}");
    }
    let index = page(vault, "index/index.html");
    let links: Vec<String> = index
        .select(&Selector::parse(".note-body a").unwrap())
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        links,
        [
            "../rose-pine/",
            "../rose-pine-2/",
            "../redshift-oled/",
            "../redshift-oled-2/",
            "../graph-2/",
            "../tags-2/physics/"
        ]
    );
    assert!(stderr.contains("  4 URL clashes  "), "{stderr}");
    let out = lode(&["build", "-v"], vault);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "this note's URL /rose-pine/ is taken by Rose Pine.md; it is written to /rose-pine-2/ instead"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("this note's URL /graph/ is taken by one of Lode's own pages"), "{stderr}");
    assert_eq!(stderr.matches("this note's URL").count(), 4, "{stderr}");

    // A site with a site.toml is strict: the clash is an error to mend.
    write("site.toml", "title = \"Strict\"\n");
    std::fs::create_dir_all(vault.join("content")).unwrap();
    for name in ["Rose Pine.md", "Rosé Pine.md"] {
        std::fs::rename(vault.join(name), vault.join("content").join(name)).unwrap();
    }
    let out = lode(&["check"], vault);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("would both be written to /rose-pine/"), "{}", text(&out.stderr));
}

/// A vault has no `content/` folder: its hints and `--help` do not send the
/// author to one.
#[test]
fn a_vaults_hints_do_not_name_a_content_folder() {
    let dir = tempfile::Builder::new().prefix("vault-").tempdir().unwrap();
    let vault = dir.path();
    for folder in ["a", "b"] {
        std::fs::create_dir_all(vault.join(folder)).unwrap();
        std::fs::write(vault.join(folder).join("pic.png"), b"png").unwrap();
    }
    std::fs::write(vault.join("Note.md"), "![[pic.png]] and ![[missing.png]]\n").unwrap();
    let out = lode(&["check", "-v"], vault);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("matches more than one file") && stderr.contains("matches no file"), "{stderr}");
    assert!(!stderr.contains("content/"), "{stderr}");
    let help = Command::new(LODE).args(["build", "--help"]).output().unwrap();
    assert!(text(&help.stdout).contains("ROOT/.lode/public for a vault"), "{}", text(&help.stdout));
}
