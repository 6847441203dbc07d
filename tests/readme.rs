//! The README and the manual cannot drift: every command they show is
//! found here and run (or, for the test command, found in `.ci/run`, which
//! runs it), and every `lode` command a manual page quotes names a real
//! subcommand and real flags. Nor can the templates page: every function
//! Lode registers in Tera is on it. Nor can the documents for contributors:
//! the test programs, benchmarks and files CONTRIBUTING.md names exist, and
//! the issue forms are well-formed.
//!
//! A command is a line of a ```` ```sh ```` block (its `# comment` cut) or an
//! inline code span that starts with a program name (`lode`, `cargo`,
//! `python3`, `npm`, `apt-get`), in README.md or a page of the manual
//! (`docs/content/**/*.md`, but for the generated reference pages under
//! `docs/content/reference/`, which `tests/manual.rs` checks against the
//! code). The commands run in a copy of the flagship site (or a temporary
//! folder), with `cargo run --release --` replaced by the `lode` binary this
//! test was built with.

mod common;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const README: &str = include_str!("../README.md");
const CI: &str = include_str!("../.ci/run");
const LODE: &str = env!("CARGO_BIN_EXE_lode");

/// How each command of the README and the manual is checked. A command
/// they show that is not listed here fails the test (but for a `lode`
/// command of the manual, which [`every_lode_command_the_manual_quotes_is_real`]
/// checks), and so does a listed one they no longer show.
const COMMANDS: &[(&str, Check)] = &[
    ("cargo run --release -- serve", Check::ServeFlagship),
    ("./test", Check::Ci),
    ("cargo run --release -- build", Check::BuildFlagship),
    ("python3 -m http.server -d public", Check::ServeBuiltFlagship),
    ("cargo install --locked --path .", Check::Install),
    ("lode init my-notes && cd my-notes && lode serve", Check::InitAndServe),
    ("lode build --base-url \"<that URL>/\"", Check::BuildForPages),
    (
        "cargo run --release -- build --base-url https://example.org/REPO/ --output /tmp/site/REPO",
        Check::SubPath,
    ),
    ("python3 -m http.server -d /tmp/site 8000", Check::SubPath),
    ("lode check --format json", Check::JsonProblems),
    ("lode check --format github", Check::GithubProblems),
    ("cargo install --locked lode-notes", Check::Crate),
    // "Installing Lode": a release archive by hand, and the install script
    // (tests/release.rs runs both blocks on an archive of this build).
    ("base=https://github.com/lode-notes/lode/releases/download/v0.1.0", Check::Release),
    ("curl -fLO \"$base/lode-0.1.0-x86_64-unknown-linux-musl.tar.gz\"", Check::Release),
    ("curl -fLO \"$base/lode-0.1.0-x86_64-unknown-linux-musl.tar.gz.sha256\"", Check::Release),
    ("sha256sum -c lode-0.1.0-x86_64-unknown-linux-musl.tar.gz.sha256", Check::Release),
    ("tar -xzf lode-0.1.0-x86_64-unknown-linux-musl.tar.gz", Check::Release),
    ("install lode-0.1.0-x86_64-unknown-linux-musl/lode ~/.local/bin/", Check::Release),
    (
        "curl -fsSL https://raw.githubusercontent.com/lode-notes/lode/v0.1.0/scripts/install-lode.sh \\",
        Check::Release,
    ),
    ("| bash -s -- 0.1.0 ~/.local/bin", Check::Release),
    ("lode build --root ~/Notes", Check::Vault),
    ("lode serve --root ~/Notes", Check::Vault),
    ("lode build --root ~/Notes --output site --base-url https://USER.github.io/REPO/", Check::Vault),
    ("python3 benches/vault_report.py VAULT OUTPUT", Check::Vault),
    (
        "mkdir -p ~/.local/share/bash-completion/completions ~/.zfunc ~/.config/fish/completions ~/.local/share/man/man1",
        Check::Completions,
    ),
    ("lode completions bash > ~/.local/share/bash-completion/completions/lode", Check::Completions),
    ("lode completions zsh > ~/.zfunc/_lode", Check::Completions),
    ("lode completions fish > ~/.config/fish/completions/lode.fish", Check::Completions),
    ("lode man > ~/.local/share/man/man1/lode.1", Check::Completions),
    ("lode completions powershell", Check::Completions),
];

#[derive(Clone, Copy, Debug, PartialEq)]
enum Check {
    /// Set-up and test commands: `.ci/run` runs them.
    Ci,
    ServeFlagship,
    BuildFlagship,
    ServeBuiltFlagship,
    Install,
    InitAndServe,
    BuildForPages,
    SubPath,
    JsonProblems,
    GithubProblems,
    /// The crate's name and contents (`tests/release.rs` checks the list).
    Crate,
    /// Installing a release: `tests/release.rs` runs the manual's blocks.
    Release,
    /// "Publishing an existing vault" (docs/content/vault.md): build, serve and report on a folder of notes.
    Vault,
    /// "Shell completions and the man page": installed into a home folder, in order.
    Completions,
}

/// The manual's pages (`docs/content/**/*.md`) but the generated ones
/// under `reference/`: each page's path from the repository and its text.
fn manual_pages() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    walk(&repo.join("docs/content"), &mut paths);
    paths.sort();
    let pages: Vec<(String, String)> = paths
        .into_iter()
        .map(|p| (p.strip_prefix(repo).unwrap().display().to_string(), std::fs::read_to_string(&p).unwrap()))
        .filter(|(rel, _)| !rel.starts_with("docs/content/reference/"))
        .collect();
    assert!(pages.len() > 20, "the manual's pages under docs/content/");
    pages
}

/// The README and every manual page, joined: what the user can read.
fn documentation() -> String {
    let mut all = README.to_string();
    for (_, text) in manual_pages() {
        all.push('\n');
        all.push_str(&text);
    }
    all
}

/// Every command `text` shows, in order, without duplicates.
fn commands_in(text: &str) -> Vec<String> {
    const PROGRAMS: &[&str] = &["lode ", "cargo ", "python3 ", "npm ", "apt-get "];
    let mut found: Vec<String> = Vec::new();
    let mut push = |command: String| {
        if !command.is_empty() && !found.contains(&command) {
            found.push(command);
        }
    };
    // The open fence: its backticks and its info string.
    let mut fence: Option<(usize, String)> = None;
    for line in text.lines() {
        let ticks = line.len() - line.trim_start_matches('`').len();
        if ticks >= 3 {
            let rest = line[ticks..].trim();
            match &fence {
                Some((open, _)) if ticks >= *open && rest.is_empty() => fence = None,
                Some(_) => {}
                None => fence = Some((ticks, rest.to_string())),
            }
            continue;
        }
        match fence.as_ref().map(|(_, info)| info.as_str()) {
            Some("sh") => push(line.split(" #").next().unwrap().trim().to_string()),
            Some(_) => {}
            None => {
                for span in line.split('`').skip(1).step_by(2) {
                    // `lode build` alone in prose names a command.
                    let mention = span.starts_with("lode ") && span.split_whitespace().count() == 2;
                    if PROGRAMS.iter().any(|p| span.starts_with(p)) && !mention {
                        push(span.to_string());
                    }
                }
            }
        }
    }
    found
}

/// Every command the README shows, in order, without duplicates.
fn readme_commands() -> Vec<String> {
    commands_in(README)
}

#[test]
fn every_readme_command_is_checked_and_every_check_is_in_the_readme() {
    let listed: Vec<&str> = COMMANDS.iter().map(|(c, _)| *c).collect();
    let shown = readme_commands();
    let unchecked: Vec<&String> = shown.iter().filter(|c| !listed.contains(&c.as_str())).collect();
    assert!(unchecked.is_empty(), "README commands no test runs (add them to COMMANDS): {unchecked:#?}");
    // The manual's commands likewise, but for the `lode` ones, which at
    // least name real subcommands and flags (the test below).
    let mut everywhere = shown.clone();
    for (page, text) in manual_pages() {
        for command in commands_in(&text) {
            let lode = command.starts_with("lode ");
            assert!(
                lode || listed.contains(&command.as_str()),
                "{page}: `{command}`: no test runs it (add it to COMMANDS)"
            );
            everywhere.push(command);
        }
    }
    let stale: Vec<&&str> = listed.iter().filter(|c| !everywhere.iter().any(|s| s == **c)).collect();
    assert!(
        stale.is_empty(),
        "commands checked here that neither the README nor the manual shows: {stale:#?}"
    );
}

/// The subcommands `lode --help` lists, and the long flags of `lode ARGS --help`.
fn help_of(args: &[&str]) -> (BTreeSet<String>, BTreeSet<String>) {
    let out = Command::new(LODE).args(args).arg("--help").output().unwrap();
    assert!(out.status.success(), "lode {args:?} --help");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let subcommands = help
        .split_once("Commands:")
        .map(|(_, rest)| rest.split("\n\n").next().unwrap_or_default())
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(String::from)
        .collect();
    (subcommands, flags(&help))
}

/// Every `lode` command the README or a manual page quotes, inline or in a
/// `sh` block, and every `lode SUB` it mentions, names a real subcommand,
/// and each of its long flags is one that subcommand takes (`lode --version`:
/// the top level's). `lode init my-notes && cd my-notes && lode serve` is
/// two commands, `lode man > FILE` one.
#[test]
fn every_lode_command_the_manual_quotes_is_real() {
    let (subcommands, top_flags) = help_of(&[]);
    assert!(subcommands.contains("build") && subcommands.contains("help"), "{subcommands:?}");
    let mut sources = vec![("README.md".to_string(), README.to_string())];
    sources.extend(manual_pages());
    let mut checked = 0;
    for (page, text) in &sources {
        let mut quoted = commands_in(text);
        // Mentions (`lode build` in prose) too.
        for line in text.lines() {
            for span in line.split('`').skip(1).step_by(2) {
                if span.starts_with("lode ") && span.split_whitespace().count() == 2 {
                    quoted.push(span.to_string());
                }
            }
        }
        for command in quoted {
            for part in command.split(['&', '|', ';', '>']).map(str::trim) {
                let words: Vec<&str> = part.split_whitespace().collect();
                let ["lode", first, ..] = words.as_slice() else { continue };
                let known = if first.starts_with('-') {
                    &top_flags
                } else if *first == "help" {
                    assert!(words.len() == 2, "{page}: `{command}`");
                    continue;
                } else {
                    assert!(
                        subcommands.contains(*first),
                        "{page}: `{command}`: lode has no subcommand `{first}`"
                    );
                    &help_of(&[first]).1
                };
                let unknown: Vec<String> = flags(part).difference(known).cloned().collect();
                assert!(unknown.is_empty(), "{page}: `{command}`: `lode {first}` takes no {unknown:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "the manual quotes lode commands ({checked} checked)");
}

/// Every function (and filter or test) Lode registers in Tera is explained
/// on the manual's templates page, under a heading of its name.
#[test]
fn every_tera_function_is_on_the_templates_page() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = std::fs::read_to_string(repo.join("docs/content/templates/functions.md")).unwrap();
    let mut registered = Vec::new();
    let mut sources = vec![repo.join("src/render.rs")];
    sources.extend(
        std::fs::read_dir(repo.join("src/render"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs")),
    );
    for source in sources {
        let code = std::fs::read_to_string(&source).unwrap();
        for call in ["register_function(\"", "register_filter(\"", "register_test(\""] {
            for rest in code.split(call).skip(1) {
                registered.push(rest.split('"').next().unwrap().to_string());
            }
        }
    }
    assert!(registered.len() >= 4, "the functions Lode registers: {registered:?}");
    for name in &registered {
        assert!(
            page.lines().any(|l| l.trim() == format!("## {name}")),
            "docs/content/templates/functions.md has no section `## {name}` for the Tera function Lode registers"
        );
    }
    // And no section for a function Lode no longer has.
    for line in page.lines().filter_map(|l| l.strip_prefix("## ")) {
        if !line.contains(' ') {
            assert!(
                registered.iter().any(|n| n == line),
                "the templates page explains `{line}`, which Lode does not register"
            );
        }
    }
}

#[test]
fn the_setup_and_test_commands_are_the_ones_ci_runs() {
    for (command, check) in COMMANDS {
        if *check != Check::Ci {
            continue;
        }
        for part in command.split(" && ") {
            let words: Vec<&str> = part.split_whitespace().collect();
            let ran = match words.as_slice() {
                ["apt-get", "install", packages @ ..] => packages.iter().all(|p| {
                    CI.lines().any(|l| l.contains("apt-get install") && l.contains(&format!(" {p}")))
                }),
                _ => CI.lines().any(|l| l.trim_start().starts_with(part)),
            };
            assert!(ran, "`{part}` (README) is not what .ci/run runs");
        }
    }
}

/// Long flags (`--root`) in `text`.
fn flags(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_string)
        .collect()
}

/// The flagship site (content, templates, static files, site.toml) copied
/// into a temporary folder, so commands can write `public/` there.
fn flagship_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    common::copy_tree(repo, tmp.path(), |rel| {
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        ["content", "templates", "static", "site.toml"].contains(&top.as_str())
    });
    tmp
}

/// `command` as a process: `cargo run --release --` becomes this test's
/// `lode`, and `lode` is found first on `PATH`; runs in `dir` through `sh`.
fn shell(command: &str, dir: &Path) -> Command {
    let command = command.replace("cargo run --release --", LODE);
    let bin_dir = Path::new(LODE).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("sh");
    cmd.args(["-c", &command]).current_dir(dir).env("PATH", path).env("NO_COLOR", "1");
    cmd
}

fn run(command: &str, dir: &Path) -> String {
    let out = shell(command, dir).output().unwrap();
    assert!(out.status.success(), "`{command}` failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A server started by `command`, stopped when dropped.
struct Serving {
    child: Child,
    addr: String,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `command` (which must serve HTTP and print its address, as
/// `lode serve` and `python3 -m http.server` do) and reads the address.
fn serve(command: &str, dir: &Path) -> Serving {
    // `exec` the last command, so the server is the process stopped on drop.
    let command = match command.rsplit_once(" && ") {
        Some((before, last)) => format!("{before} && exec {last}"),
        None => format!("exec {command}"),
    };
    let mut child = shell(&command, dir)
        .env("PYTHONUNBUFFERED", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().unwrap_or_else(|| panic!("`{command}` printed no address")).unwrap();
        // lode: "Serving at http://127.0.0.1:1111/"; Python: "Serving HTTP on 0.0.0.0 port 8000 (http://0.0.0.0:8000/) ..."
        if let Some(rest) = line.split("http://").nth(1) {
            let host_port = rest.split('/').next().unwrap().replace("0.0.0.0", "127.0.0.1");
            break host_port;
        }
    };
    std::thread::spawn(move || for _ in lines {});
    Serving { child, addr }
}

fn get(addr: &str, path: &str) -> (u16, String) {
    common::server::http_get(addr, path)
}

#[test]
fn the_first_commands_build_and_serve_the_flagship() {
    let site = flagship_copy();
    let serving = serve("cargo run --release -- serve", site.path());
    let (status, home) = get(&serving.addr, "/");
    assert_eq!(status, 200);
    assert!(home.contains("TRUST"), "the flagship's home page");
    assert_eq!(get(&serving.addr, "/minerals/lithium/").0, 200);
    drop(serving);

    run("cargo run --release -- build", site.path());
    assert!(site.path().join("public/minerals/lithium/index.html").is_file());
    // The README's static server, on a free port rather than 8000.
    let serving = serve("python3 -m http.server -d public 0 --bind 127.0.0.1", site.path());
    let (status, page) = get(&serving.addr, "/minerals/lithium/");
    assert_eq!(status, 200);
    assert!(page.contains("Lithium"));
}

#[test]
fn the_pages_workflow_command_and_the_sub_path_recipe_work() {
    let site = flagship_copy();
    // What the workflow runs, with the URL configure-pages would give.
    let command =
        "lode build --base-url \"<that URL>/\"".replace("<that URL>", "https://someone.github.io/notes");
    run(&command, site.path());
    let home = std::fs::read_to_string(site.path().join("public/index.html")).unwrap();
    assert!(home.contains("<link rel=\"canonical\" href=\"https://someone.github.io/notes/\">"), "{home}");

    // "Trying the sub-path locally", with a temporary folder for /tmp/site.
    let tmp = tempfile::tempdir().unwrap();
    let at = tmp.path().display().to_string();
    run(
        &"cargo run --release -- build --base-url https://example.org/REPO/ --output /tmp/site/REPO"
            .replace("/tmp/site", &at),
        site.path(),
    );
    let serving = serve(
        &"python3 -m http.server -d /tmp/site 8000"
            .replace("/tmp/site", &at)
            .replace(" 8000", " 0 --bind 127.0.0.1"),
        site.path(),
    );
    assert_eq!(get(&serving.addr, "/REPO/").0, 200);
    assert_eq!(get(&serving.addr, "/REPO/style.css").0, 200);
    assert_eq!(get(&serving.addr, "/REPO/minerals/lithium/").0, 200);
}

#[test]
fn a_new_site_from_init_serves_and_takes_a_new_note() {
    let tmp = tempfile::tempdir().unwrap();
    let serving = serve("lode init my-notes && cd my-notes && lode serve", tmp.path());
    let (status, home) = get(&serving.addr, "/");
    assert_eq!(status, 200, "{home}");
    drop(serving);

    // `lode new COLLECTION "Title"` in the new site, then it still builds.
    let site = tmp.path().join("my-notes");
    let collection = std::fs::read_dir(site.join("content"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.path().join("_index.md").is_file())
        .expect("lode init makes a collection")
        .file_name()
        .to_string_lossy()
        .into_owned();
    let printed = run(&format!("lode new {collection} \"Readme Check\""), &site);
    let written = site.join("content").join(&collection).join("readme-check.md");
    assert!(written.is_file(), "{printed}");
    // A new note with no links is an orphan: a warning, not an error.
    run("lode build", &site);
    assert!(site.join(format!("public/{collection}/readme-check/index.html")).is_file());
}

#[test]
fn check_json_prints_one_object_per_problem() {
    let site = flagship_copy();
    std::fs::write(site.path().join("content/broken.md"), "# Broken\n\nSee [[Nowhere at all]].\n").unwrap();
    let out = shell("lode check --format json", site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an unresolved link is an error");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let problems: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}"))).collect();
    let broken = problems
        .iter()
        .find(|p| p["file"] == "content/broken.md" && p["severity"] == "error")
        .expect("the broken link");
    assert_eq!((broken["line"].as_u64(), broken["column"].as_u64()), (Some(3), Some(5)));
    assert_eq!(
        (&broken["end_line"], &broken["end_column"], &broken["code"]),
        (&3.into(), &23.into(), &"L0201".into())
    );
    let summary = &problems.last().unwrap()["summary"];
    assert_eq!(summary["errors"], 1, "the closing summary counts the errors: {summary}");
    assert_eq!(summary["warnings"].as_u64().map(|n| n as usize), Some(problems.len() - 2), "{summary}");
    assert!(broken["message"].as_str().unwrap().contains("Nowhere at all"), "{broken}");
}

#[test]
fn check_github_prints_one_annotation_per_problem() {
    let site = flagship_copy();
    std::fs::write(site.path().join("content/broken.md"), "# Broken\n\nSee [[Nowhere at all]].\n").unwrap();
    let out = shell("lode check --format github", site.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an unresolved link is an error");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let shown = "::error file=content/broken.md,line=3,col=5,endLine=3,endColumn=23,title=L0201 unresolved link::\
                 link [[Nowhere at all]] matches no note%0Ahelp: ";
    assert!(documentation().contains(&format!("{shown}…")), "the manual shows the line as Lode prints it");
    assert!(stdout.lines().any(|l| l.starts_with(shown)), "{stdout}");
}

/// `cargo install --locked --path .` as the README gives it, into a
/// temporary root and this test's own target folder (so nothing compiles
/// twice): the installed `lode` runs.
#[test]
fn cargo_install_from_the_checkout_gives_a_working_lode() {
    let root = tempfile::tempdir().unwrap();
    let target = target_dir();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["install", "--locked", "--path", ".", "--debug", "--offline", "--root"])
        .arg(root.path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let version = Command::new(root.path().join("bin/lode")).arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("lode "));
}

/// The target folder this test binary was built in (`…/target`).
fn target_dir() -> PathBuf {
    // LODE is …/target/debug/lode.
    Path::new(LODE).parent().and_then(Path::parent).unwrap().to_path_buf()
}

/// The workflow `lode init` writes uses the release's action the README
/// names, which runs the README's build command; the crate the README names
/// builds the `lode` command; `lode --version` prints the version (and
/// `tests/cli.rs` checks the commit).
#[test]
fn the_init_workflow_uses_the_release_action_and_the_crate_gives_lode() {
    let tmp = tempfile::tempdir().unwrap();
    run("lode init site", tmp.path());
    let workflow = std::fs::read_to_string(tmp.path().join("site/.github/workflows/pages.yml")).unwrap();
    let action = format!("uses: lode-notes/lode@v{}", env!("CARGO_PKG_VERSION"));
    assert!(workflow.contains(&action), "{workflow}");
    assert!(
        documentation().contains(&format!("`{action}`")),
        "the manual names the action as init writes it"
    );
    let action_yml =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap();
    assert!(
        action_yml.contains("lode build --root \"$LODE_ROOT\" --base-url \"$LODE_BASE_URL\""),
        "{action_yml}"
    );

    let (install, _) =
        COMMANDS.iter().find(|(c, k)| *k == Check::Crate && c.starts_with("cargo install")).unwrap();
    let crate_name = install.rsplit(' ').next().unwrap();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["metadata", "--no-deps", "--offline", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let package = &metadata["packages"][0];
    assert_eq!(package["name"], crate_name);
    let bins: Vec<&str> = package["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"][0] == "bin")
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert_eq!(bins, ["lode"]);

    let version = run("lode --version", tmp.path());
    assert!(version.starts_with(&format!("lode {} (", env!("CARGO_PKG_VERSION"))), "{version}");
}

/// `lode --help` and every subcommand's `--help` end with an example of
/// that command.
#[test]
fn every_help_shows_an_example_of_its_command() {
    for sub in ["", "build", "check", "serve", "init", "new", "completions", "man"] {
        let args: Vec<&str> = [sub, "--help"].into_iter().filter(|a| !a.is_empty()).collect();
        let out = Command::new(LODE).args(&args).output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let examples =
            help.split_once("Example").map(|(_, e)| e).unwrap_or_else(|| panic!("{args:?}: no example"));
        assert!(examples.contains(&format!("lode {sub}").trim().to_string()), "{args:?}: {examples}");
    }
}

#[test]
fn an_existing_vault_builds_serves_and_reports_as_shown() {
    let home = tempfile::tempdir().unwrap();
    let vault = home.path().join("Notes");
    std::fs::create_dir_all(vault.join(".obsidian")).unwrap();
    std::fs::write(vault.join(".obsidian/app.json"), "{}").unwrap();
    std::fs::write(
        vault.join("Ohm's law.md"),
        "---\ntags: physics\naliases:\n---\n# Ohm's law\n\n> [!tip] Remember\n> $V = IR$, see [[Resistance]].\n",
    )
    .unwrap();
    std::fs::write(vault.join("Resistance.md"), "Measured in ohms: $\\Omega$. Back to [[Ohm's law]].\n")
        .unwrap();
    let at_home = |command: &str| command.replace("~/Notes", &vault.display().to_string());

    run(&at_home("lode build --root ~/Notes"), home.path());
    let page = std::fs::read_to_string(vault.join(".lode/public/ohm-s-law/index.html")).unwrap();
    assert!(page.contains("callout-tip") && page.contains("<math"), "{page}");

    let serving = serve(&at_home("lode serve --root ~/Notes"), home.path());
    assert_eq!(get(&serving.addr, "/ohm-s-law/").0, 200);
    drop(serving);

    run(
        &at_home("lode build --root ~/Notes --output site --base-url https://USER.github.io/REPO/"),
        home.path(),
    );
    let home_page = std::fs::read_to_string(home.path().join("site/index.html")).unwrap();
    assert!(home_page.contains("href=\"https://USER.github.io/REPO/\""), "{home_page}");

    let report = run(
        &"python3 benches/vault_report.py VAULT OUTPUT"
            .replace("VAULT", &vault.display().to_string())
            .replace("OUTPUT", &home.path().join("site").display().to_string()),
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert!(report.contains("notes: 2\n"), "{report}");
    assert!(report.contains("callouts: 1 rendered (source has 1;"), "{report}");
    assert!(report.contains("formulas: 2 rendered as MathML, 0 left as TeX"), "{report}");
    assert!(report.contains(", broken: 0"), "{report}");
}

/// The completions and the manual page, installed as the README shows
/// into a fresh home folder: bash completes with them, zsh and fish find
/// theirs where they look, and `man lode` shows the page.
#[test]
fn completions_and_the_man_page_install_as_shown() {
    let home = tempfile::tempdir().unwrap();
    let at_home = |command: &str| {
        let mut cmd = shell(command, home.path());
        cmd.env("HOME", home.path());
        cmd
    };
    let mut powershell = String::new();
    for (command, _) in COMMANDS.iter().filter(|(_, c)| *c == Check::Completions) {
        let out = at_home(command).output().unwrap();
        assert!(out.status.success(), "`{command}`: {}", String::from_utf8_lossy(&out.stderr));
        if command.ends_with("powershell") {
            powershell = String::from_utf8(out.stdout).unwrap();
        }
    }
    assert!(powershell.contains("Register-ArgumentCompleter"), "{powershell}");
    let file = |rel: &str| std::fs::read_to_string(home.path().join(rel)).unwrap();
    assert!(file(".zfunc/_lode").starts_with("#compdef lode"), "zsh's completion function file");
    assert!(file(".config/fish/completions/lode.fish").contains("complete -c lode"));
    let completed = Command::new("bash")
        .args(["--norc", "-c"])
        .arg(
            "source ~/.local/share/bash-completion/completions/lode; \
             COMP_WORDS=(lode ma); COMP_CWORD=1; _lode lode ma lode; echo \"${COMPREPLY[@]}\"",
        )
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&completed.stdout), "man\n");
    // man-db reads ~/.local/share/man for a PATH holding ~/.local/bin.
    std::fs::create_dir_all(home.path().join(".local/bin")).unwrap();
    let path = format!("{}/.local/bin:{}", home.path().display(), std::env::var("PATH").unwrap());
    let found = at_home("man -w lode").env("PATH", &path).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&found.stdout).trim(),
        home.path().join(".local/share/man/man1/lode.1").display().to_string()
    );
    let shown =
        at_home("man lode").env("PATH", &path).env("MANPAGER", "cat").env("LANG", "C").output().unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("lode completions") && shown.contains("--base-url"), "{shown}");
}

/// What the README's `./test` does, run on a copy of it with stand-ins
/// for every program it calls (`id`, `apt-get`, `npm`, `cargo` record their
/// arguments; the others are present or not): it installs only what is
/// missing, only as root (else one line names the command and it stops),
/// runs `npm ci` only when `node_modules` is missing or older than the lock
/// file, and hands its arguments and exit code to `cargo test`.
#[test]
fn the_test_script_installs_what_is_missing_then_runs_cargo_test() {
    let repo = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("test"), repo.path().join("test")).unwrap();
    std::fs::create_dir_all(repo.path().join("tests/a11y")).unwrap();
    let lock = repo.path().join("tests/a11y/package-lock.json");
    std::fs::write(&lock, "{}").unwrap();
    let bin = tempfile::tempdir().unwrap();
    let log = bin.path().join("log");
    let stand_in = |name: &str, body: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = bin.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\necho \"{name} $*\" >> '{}'\n{body}\n", log.display()))
            .unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    let modules = repo.path().join("tests/a11y/node_modules");
    let (mkdir, touch) = (program("mkdir"), program("touch"));
    stand_in("npm", &format!("'{mkdir}' -p '{0}' && '{touch}' '{0}/.package-lock.json'", modules.display()));
    stand_in("apt-get", "");
    stand_in("cargo", "exit 3");
    for present in ["chromedriver", "node", "groff", "man"] {
        stand_in(present, "");
    }
    let bash = program("bash");
    let run = |uid: u32| {
        stand_in("id", &format!("echo {uid}"));
        let _ = std::fs::remove_file(&log);
        let out = Command::new(&bash)
            .args(["./test", "--test", "links", "--", "--test-threads=2"])
            .current_dir(repo.path())
            .env_clear()
            .env("PATH", bin.path())
            .output()
            .unwrap();
        let ran = std::fs::read_to_string(&log).unwrap_or_default();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned(), ran)
    };

    // Not root, chromium and java missing: one line, nothing run.
    let (code, stderr, ran) = run(1000);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "./test: the tests need chromium default-jre-headless: \
         run `sudo apt-get install chromium default-jre-headless`, then ./test again\n"
    );
    assert_eq!(ran, "id -u\n");

    // Root: apt-get installs just those, npm ci fills node_modules, and
    // cargo test gets the arguments; its exit code is the script's.
    let (code, stderr, ran) = run(0);
    assert_eq!(code, Some(3), "{stderr}");
    assert_eq!(
        ran,
        "id -u\napt-get update -qq\napt-get install -y -qq chromium default-jre-headless\n\
         npm ci --prefix tests/a11y --no-audit --no-fund --silent\n\
         cargo test --test links -- --test-threads=2\n"
    );

    // Everything there: straight to cargo test, as any user.
    stand_in("chromium", "");
    stand_in("java", "");
    let (code, _, ran) = run(1000);
    assert_eq!((code, ran.as_str()), (Some(3), "cargo test --test links -- --test-threads=2\n"));

    // A lock file newer than node_modules: npm ci again.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options().write(true).open(&lock).unwrap().set_modified(later).unwrap();
    let (_, _, ran) = run(1000);
    assert!(ran.starts_with("npm ci --prefix tests/a11y "), "{ran}");
}

/// Where `name` is on this process's `PATH`.
fn program(name: &str) -> String {
    let path = std::env::var("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{name} on PATH"))
        .display()
        .to_string()
}

/// CONTRIBUTING.md names only test programs, benchmarks and files that
/// exist (`--test NAME`, `--bench NAME`, relative links).
#[test]
fn contributing_names_only_what_exists() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(repo.join("CONTRIBUTING.md")).unwrap();
    let manifest = std::fs::read_to_string(repo.join("Cargo.toml")).unwrap();
    let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == '`').collect();
    let mut named = 0;
    for pair in words.windows(2) {
        match pair {
            ["--test", name] => assert!(repo.join(format!("tests/{name}.rs")).is_file(), "--test {name}"),
            ["--bench", name] => {
                assert!(manifest.contains(&format!("name = \"{name}\"")), "--bench {name}")
            }
            _ => continue,
        }
        named += 1;
    }
    assert!(named >= 4, "CONTRIBUTING.md names test programs and benchmarks");
    for link in text.split("](").skip(1).filter_map(|rest| rest.split(')').next()) {
        let file = link.split('#').next().unwrap();
        assert!(file.starts_with("http") || repo.join(file).exists(), "CONTRIBUTING.md links to {link}");
    }
}

/// The issue forms (`.github/ISSUE_TEMPLATE/*.yml`) follow GitHub's
/// syntax for issue forms: a name, a description and a body of elements of
/// the five types, each input with a label and a unique id, markdown with a
/// value, dropdowns and checkboxes with options; and the pull request
/// template exists.
#[test]
fn the_issue_forms_are_well_formed() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(repo.join(".github/pull_request_template.md").is_file());
    let mut forms = 0;
    for entry in std::fs::read_dir(repo.join(".github/ISSUE_TEMPLATE")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yml") || path.ends_with("config.yml") {
            continue;
        }
        forms += 1;
        let form: serde_json::Value = serde_norway::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{e}"));
        let at = path.display();
        for key in ["name", "description"] {
            assert!(form[key].as_str().is_some_and(|v| !v.is_empty()), "{at}: {key}");
        }
        let body = form["body"].as_array().unwrap_or_else(|| panic!("{at}: a body list"));
        let (mut ids, mut labels) = (BTreeSet::new(), BTreeSet::new());
        for element in body {
            let kind = element["type"].as_str().unwrap_or_default();
            let attributes = &element["attributes"];
            match kind {
                "markdown" => {
                    assert!(attributes["value"].is_string(), "{at}: markdown needs a value");
                    assert!(element.get("validations").is_none(), "{at}: markdown takes no validations");
                    continue;
                }
                "input" | "textarea" | "dropdown" | "checkboxes" => {}
                _ => panic!("{at}: unknown element type {kind:?}"),
            }
            let label = attributes["label"].as_str().unwrap_or_else(|| panic!("{at}: {kind} needs a label"));
            assert!(labels.insert(label), "{at}: label {label:?} twice");
            if let Some(id) = element.get("id") {
                let id = id.as_str().unwrap();
                assert!(
                    id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                    "{at}: id {id}"
                );
                assert!(ids.insert(id), "{at}: id {id} twice");
            }
            if kind == "dropdown" || kind == "checkboxes" {
                let options =
                    attributes["options"].as_array().unwrap_or_else(|| panic!("{at}: {label}: options"));
                assert!(!options.is_empty(), "{at}: {label}: options");
                if kind == "checkboxes" {
                    assert!(
                        options.iter().all(|o| o["label"].is_string()),
                        "{at}: {label}: each option a label"
                    );
                }
            }
        }
    }
    assert!(forms >= 2, "a bug form and a feature form");
}
