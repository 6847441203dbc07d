//! The parts of a release that can run here: the archive and checksum
//! `scripts/package-release.sh` makes of this test's `lode`, the GitHub
//! Action's installer (`scripts/install-lode.sh`) reading it from a local
//! folder as it reads a GitHub release, the release notes from
//! CHANGELOG.md, the action's default version, and what the crate holds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const LODE: &str = env!("CARGO_BIN_EXE_lode");
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The target the installer asks for on an x86_64 Linux runner; the
/// archive is made of this test's own binary under that name.
const TARGET: &str = "x86_64-unknown-linux-musl";

/// This test's `lode` without its debug information (a tenth of the size:
/// packing the debug build whole took seconds per archive), in `dir`.
fn small_lode(dir: &Path) -> PathBuf {
    let small = dir.join("lode-stripped");
    let stripped = Command::new("strip").arg("-o").arg(&small).arg(LODE).status();
    if !stripped.is_ok_and(|s| s.success()) {
        std::fs::copy(LODE, &small).unwrap();
    }
    small
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn script(name: &str) -> Command {
    let mut command = Command::new("bash");
    command.arg(repo().join("scripts").join(name));
    command
}

fn ok(out: Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Packs `binary` for `target` into `dir`; returns the archive's path.
fn package(target: &str, binary: &Path, dir: &Path) -> PathBuf {
    let printed = ok(script("package-release.sh").arg(target).arg(binary).arg(dir).output().unwrap());
    let archive = printed.lines().next().expect("the archive's path").to_string();
    assert_eq!(printed.lines().nth(1), Some(format!("{archive}.sha256").as_str()), "{printed}");
    PathBuf::from(archive)
}

fn install(base: &Path, version: &str, dest: &Path) -> Output {
    script("install-lode.sh")
        .arg(version)
        .arg(dest)
        .env("LODE_DOWNLOAD_BASE", format!("file://{}", base.display()))
        .env("LODE_TARGET", TARGET)
        .output()
        .unwrap()
}

#[test]
fn the_archive_holds_lode_and_its_papers_verifies_and_installs_through_the_action_script() {
    let tmp = tempfile::tempdir().unwrap();
    // Laid out as a GitHub release's URLs: BASE/download/vVERSION/FILE.
    let base = tmp.path().join("releases");
    let folder = base.join(format!("download/v{VERSION}"));
    let lode = small_lode(tmp.path());
    let archive = package(TARGET, &lode, &folder);
    let name = format!("lode-{VERSION}-{TARGET}");
    assert_eq!(archive, folder.join(format!("{name}.tar.gz")));

    // One folder: the binary (executable), README, changelog, both licences.
    let listing = ok(Command::new("tar").arg("-tvzf").arg(&archive).output().unwrap());
    let entries: BTreeSet<&str> = listing.lines().filter_map(|l| l.split_whitespace().last()).collect();
    let expected: BTreeSet<String> =
        ["", "lode", "README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"]
            .iter()
            .map(|f| format!("{name}/{f}"))
            .collect();
    assert_eq!(entries, expected.iter().map(String::as_str).collect(), "{listing}");
    let binary_line = listing.lines().find(|l| l.ends_with("/lode")).unwrap();
    assert!(binary_line.starts_with("-rwxr-xr-x"), "{binary_line}");
    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    ok(Command::new("tar").arg("-xzf").arg(&archive).arg("-C").arg(&unpacked).output().unwrap());
    for (inside, original) in [("lode", lode.clone()), ("CHANGELOG.md", repo().join("CHANGELOG.md"))] {
        assert!(
            std::fs::read(unpacked.join(&name).join(inside)).unwrap() == std::fs::read(original).unwrap()
        );
    }
    let changelog = std::fs::read_to_string(unpacked.join(&name).join("CHANGELOG.md")).unwrap();
    assert!(changelog.contains(&format!("## [{VERSION}]")), "the changelog has this release's section");

    // The checksum file is `HASH  NAME`, as sha256sum writes and checks it.
    let sums = std::fs::read_to_string(folder.join(format!("{name}.tar.gz.sha256"))).unwrap();
    let (hash, file) = sums.trim_end().split_once("  ").unwrap();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "{sums}");
    assert_eq!(file, format!("{name}.tar.gz"));
    let checked = ok(Command::new("sha256sum")
        .arg("-c")
        .arg(format!("{name}.tar.gz.sha256"))
        .current_dir(&folder)
        .output()
        .unwrap());
    assert!(checked.contains(": OK"), "{checked}");

    // The action's installer: downloads, checks, installs; the installed
    // lode names this version and commit.
    let bin = tmp.path().join("bin");
    let said = ok(install(&base, &format!("v{VERSION}"), &bin));
    assert!(said.contains(&format!("Installed lode {VERSION} ({TARGET})")), "{said}");
    let installed = ok(Command::new(bin.join("lode")).arg("--version").output().unwrap());
    assert_eq!(installed, ok(Command::new(LODE).arg("--version").output().unwrap()));
    assert!(installed.starts_with(&format!("lode {VERSION} (")), "{installed}");
    // Run again (a cache hit): left as it is, nothing downloaded.
    std::fs::remove_dir_all(&base).unwrap();
    let again = ok(install(&base, VERSION, &bin));
    assert!(again.contains("already in"), "{again}");
}

#[test]
fn a_damaged_download_or_a_missing_release_is_refused_and_nothing_installed() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("releases");
    let archive = package(TARGET, &small_lode(tmp.path()), &base.join(format!("download/v{VERSION}")));
    let mut bytes = std::fs::read(&archive).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&archive, bytes).unwrap();

    let bin = tmp.path().join("bin");
    let out = install(&base, VERSION, &bin);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = format!("lode-{VERSION}-{TARGET}.tar.gz");
    assert!(stderr.contains(&format!("error: checksum mismatch for {name}: expected ")), "{stderr}");
    assert!(stderr.contains("nothing was installed") && stderr.contains("help: run again"), "{stderr}");
    assert!(!bin.join("lode").exists() && !bin.exists(), "a damaged archive was installed");

    let out = install(&base, "9.9.9", &bin);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: could not download") && stderr.contains("/download/v9.9.9/lode-9.9.9-"),
        "{stderr}"
    );
    assert!(stderr.contains("help: check that Lode 9.9.9 was released"), "{stderr}");
    let out = install(&base, "nine", &bin);
    assert!(String::from_utf8_lossy(&out.stderr).contains("error: \"nine\" is not a version"));
}

#[test]
fn a_windows_archive_is_a_zip_with_lode_exe() {
    let tmp = tempfile::tempdir().unwrap();
    let archive = package("x86_64-pc-windows-msvc", &small_lode(tmp.path()), tmp.path());
    let name = format!("lode-{VERSION}-x86_64-pc-windows-msvc");
    assert_eq!(archive, tmp.path().join(format!("{name}.zip")));
    let listing = ok(Command::new("unzip").arg("-Z1").arg(&archive).output().unwrap());
    let entries: BTreeSet<&str> = listing.lines().collect();
    for file in ["lode.exe", "README.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"] {
        assert!(entries.contains(format!("{name}/{file}").as_str()), "{file} missing:\n{listing}");
    }
    assert!(!entries.iter().any(|e| e.ends_with("/lode")), "{listing}");
    ok(Command::new("sha256sum")
        .arg("-c")
        .arg(format!("{name}.zip.sha256"))
        .current_dir(tmp.path())
        .output()
        .unwrap());
}

#[test]
fn release_notes_are_the_versions_changelog_section() {
    let tmp = tempfile::tempdir().unwrap();
    let changelog = tmp.path().join("CHANGELOG.md");
    std::fs::write(
        &changelog,
        "# Changelog\n\n## [Unreleased]\n\n- next\n\n## [1.1.0] - 2027-02-01\n\n### Fixed\n\n- a bug\n\n\
         ## [1.0.0] - 2027-01-01\n\nFirst.\n\n[1.1.0]: https://example.org/1.1.0\n[1.0.0]: https://example.org/1.0.0\n",
    )
    .unwrap();
    let notes = |v: &str| script("release-notes.sh").arg(v).arg(&changelog).output().unwrap();
    assert_eq!(ok(notes("v1.1.0")), "### Fixed\n\n- a bug\n");
    assert_eq!(ok(notes("1.0.0")), "First.\n", "the link definitions are not notes");
    let missing = notes("1.2.0");
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("has no notes for version 1.2.0") && stderr.contains("## [1.2.0] - YYYY-MM-DD"),
        "{stderr}"
    );

    // The repository's own changelog has notes for this version.
    let ours = ok(script("release-notes.sh").arg(VERSION).output().unwrap());
    assert!(ours.contains("### Added"), "{ours}");
}

/// The release workflow refuses a tag that action.yml's default version does
/// not name; this test keeps them together before a tag is ever pushed.
#[test]
fn the_actions_default_version_is_the_crates() {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let after = action.split_once("\n  version:\n").expect("a version input").1;
    let default = after.lines().find_map(|l| l.trim().strip_prefix("default:")).unwrap();
    assert_eq!(default.trim().trim_matches('"'), VERSION);
}

/// The crate holds what building `lode` needs and nothing else: every file
/// the sources embed, none of the flagship, tests, benches or fuzz corpora.
#[test]
fn the_crate_holds_the_sources_and_what_they_embed_only() {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["package", "--list", "--offline", "--allow-dirty"])
        .current_dir(repo())
        .output()
        .unwrap();
    let listed = ok(out);
    let files: BTreeSet<&str> = listed.lines().collect();
    let allowed = ["src/", "templates/", "static/", "vendor/", "i18n/"];
    let top = [
        ".cargo_vcs_info.json",
        ".github/workflows/pages.yml",
        "Cargo.lock",
        "Cargo.toml",
        "Cargo.toml.orig",
        "build.rs",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
    ];
    for file in &files {
        assert!(allowed.iter().any(|a| file.starts_with(a)) || top.contains(file), "{file} in the crate");
    }
    for needed in ["src/main.rs", "build.rs", "LICENSE-APACHE", "README.md", "CHANGELOG.md"] {
        assert!(files.contains(needed), "{needed} missing from the crate");
    }
    // Every include_str!/include_bytes! of src/ names a file in the crate.
    let mut embedded = 0;
    for entry in walk(&repo().join("src")) {
        let text = std::fs::read_to_string(&entry).unwrap();
        for piece in text.split("include_").skip(1) {
            let Some(rest) = piece.strip_prefix("str!(\"").or_else(|| piece.strip_prefix("bytes!(\"")) else {
                continue;
            };
            let rel = &rest[..rest.find('"').unwrap()];
            let path = entry.parent().unwrap().join(rel);
            let path = std::fs::canonicalize(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let inside = path.strip_prefix(std::fs::canonicalize(repo()).unwrap()).unwrap();
            assert!(
                files.contains(inside.to_str().unwrap()),
                "{} embeds {}, not in the crate",
                entry.display(),
                inside.display()
            );
            embedded += 1;
        }
    }
    assert!(embedded > 30, "found {embedded} embedded files");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// The `run: |` blocks of action.yml's steps, in order (the action's own
/// shell code, which actionlint does not run).
fn action_scripts() -> Vec<String> {
    let action = std::fs::read_to_string(repo().join("action.yml")).unwrap();
    let mut scripts = Vec::new();
    let mut lines = action.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() != "run: |" {
            continue;
        }
        let indent = line.find("run:").unwrap() + 2;
        let mut body = String::new();
        while let Some(next) = lines.peek() {
            if !next.is_empty() && next.len() - next.trim_start().len() < indent {
                break;
            }
            body.push_str(next.get(indent..).unwrap_or(""));
            body.push('\n');
            lines.next();
        }
        scripts.push(body);
    }
    scripts
}

/// The action's three steps run as GitHub runs them (bash, the step's env,
/// GITHUB_OUTPUT and GITHUB_PATH files), on a site `lode init` made, with the
/// release read from a local folder: lode is installed into the tool cache
/// and builds the site for the URL given.
#[test]
fn the_actions_steps_install_lode_and_build_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().join("releases");
    package(TARGET, &small_lode(tmp.path()), &base.join(format!("download/v{VERSION}")));
    ok(Command::new(LODE).args(["init", "site"]).current_dir(tmp.path()).output().unwrap());
    let (output, path_file, tools) =
        (tmp.path().join("output"), tmp.path().join("path"), tmp.path().join("tools"));
    std::fs::write(&output, "").unwrap();
    std::fs::write(&path_file, "").unwrap();
    let scripts = action_scripts();
    assert_eq!(scripts.len(), 3, "{scripts:?}");
    let outputs = || -> Vec<(String, String)> {
        std::fs::read_to_string(&output)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect()
    };
    let step = |script: &str, env: &[(&str, String)]| {
        let extra_path = std::fs::read_to_string(&path_file).unwrap().lines().collect::<Vec<_>>().join(":");
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .current_dir(tmp.path())
            .env("GITHUB_ACTION_PATH", repo())
            .env("GITHUB_OUTPUT", &output)
            .env("GITHUB_PATH", &path_file)
            .env("RUNNER_TOOL_CACHE", &tools)
            .env("LODE_DOWNLOAD_BASE", format!("file://{}", base.display()))
            .env("LODE_TARGET", TARGET)
            .env("PATH", format!("{extra_path}:/usr/bin:/bin"));
        for (k, v) in env {
            command.env(k, v);
        }
        ok(command.output().unwrap())
    };
    step(&scripts[0], &[("LODE_VERSION", format!("v{VERSION}"))]);
    let resolved = outputs();
    let get = |key: &str| resolved.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap();
    assert_eq!((get("version"), get("target")), (VERSION.to_string(), TARGET.to_string()));
    let dir = tools.join("lode").join(VERSION);
    assert_eq!(get("dir"), dir.display().to_string());
    step(
        &scripts[1],
        &[("LODE_VERSION", get("version")), ("LODE_DIR", get("dir")), ("LODE_TARGET", get("target"))],
    );
    assert!(dir.join("lode").is_file());
    assert_eq!(std::fs::read_to_string(&path_file).unwrap().trim(), dir.display().to_string());
    let built = step(
        &scripts[2],
        &[
            ("LODE_ROOT", "site".to_string()),
            ("LODE_ARGS", "--drafts".to_string()),
            ("LODE_BASE_URL", "https://someone.github.io/notes/".to_string()),
        ],
    );
    assert!(built.starts_with(&format!("lode {VERSION} (")), "{built}");
    let home = std::fs::read_to_string(tmp.path().join("site/public/index.html")).unwrap();
    assert!(home.contains("<link rel=\"canonical\" href=\"https://someone.github.io/notes/\">"), "{home}");
}

/// The `sh` block of the manual's "Installing Lode" page that contains
/// `needle`, its lines joined as written.
fn installing_block(needle: &str) -> String {
    let page = std::fs::read_to_string(repo().join("docs/content/getting-started/installing.md")).unwrap();
    page.split("```sh\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().unwrap())
        .find(|block| block.contains(needle))
        .unwrap_or_else(|| panic!("installing.md: no sh block with `{needle}`"))
        .to_string()
}

#[test]
fn the_manuals_install_steps_work_on_a_release_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let releases = tmp.path().join("releases");
    let lode = small_lode(tmp.path());
    package(TARGET, &lode, &releases.join(format!("download/v{VERSION}")));
    let home = tmp.path().join("home");
    std::fs::create_dir_all(home.join(".local/bin")).unwrap();
    let github = "https://github.com/lode-notes/lode/releases";
    let run = |block: &str| {
        // The manual's version is this crate's, so the steps name real files.
        assert!(block.contains(VERSION), "installing.md quotes release {VERSION}:\n{block}");
        let work = tempfile::tempdir().unwrap();
        let script = block.replace(github, &format!("file://{}", releases.display())).replace(
            &format!("https://raw.githubusercontent.com/lode-notes/lode/v{VERSION}/scripts/"),
            &format!("file://{}/scripts/", repo().display()),
        );
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .current_dir(work.path())
            .env("HOME", &home)
            .env("LODE_DOWNLOAD_BASE", format!("file://{}", releases.display()))
            .env("LODE_TARGET", TARGET)
            .output()
            .unwrap();
        let said = ok(out);
        let installed = home.join(".local/bin/lode");
        let version = ok(Command::new(&installed).arg("--version").output().unwrap());
        assert!(version.starts_with(&format!("lode {VERSION} (")), "{version}");
        std::fs::remove_file(installed).unwrap();
        said
    };
    // By hand: download, check (sha256sum prints OK), unpack, install.
    let said = run(&installing_block("sha256sum -c"));
    assert!(said.contains(": OK"), "{said}");
    // The install script, fetched and piped into bash.
    run(&installing_block("install-lode.sh"));
}
