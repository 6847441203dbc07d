//! The command line's manners: a progress bar on a terminal only, and
//! never with `-q`. A terminal is given by util-linux's `script`, which runs
//! the command on a pseudo-terminal and records what it printed there.

mod common;

use std::process::Command;

use common::TestSite;

/// Runs `lode ARGS` on a pseudo-terminal (through `script`) with the
/// progress bar's one-second delay set to 0; returns what the terminal showed.
fn on_a_terminal(site: &TestSite, args: &str) -> String {
    let record = site.root().join("typescript");
    let command = format!("{} {args} --root {}", env!("CARGO_BIN_EXE_lode"), site.root().display());
    let status = Command::new("script")
        .args(["-qec", &command])
        .arg(&record)
        .env("LODE_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        // `script` copies the terminal to its own output too: kept here, so
        // the bar never reaches the output of `cargo test`.
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .output()
        .expect("util-linux's script")
        .status;
    assert!(status.success(), "{command}");
    String::from_utf8_lossy(&std::fs::read(&record).unwrap()).into_owned()
}

fn site() -> TestSite {
    let mut files: Vec<(String, String)> = (0..300)
        .map(|i| (format!("content/n{i}.md"), format!("# Note {i}\n\nSee [[Note {}]].\n", (i + 1) % 300)))
        .collect();
    files.push(("content/_index.md".into(), "# Home\n\n[[Note 0]]\n".into()));
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    TestSite::new(&files)
}

#[test]
fn a_build_on_a_terminal_shows_its_stages_and_clears_them() {
    let site = site();
    let shown = on_a_terminal(&site, "build");
    // The bar samples the stage every 80 ms: a short stage may pass unseen,
    // but rendering 300 notes (debug build) takes long enough to be drawn.
    let stages = ["reading notes", "rendering and writing pages", "indexing for search", "writing files"];
    assert!(stages.iter().any(|s| shown.contains(s)), "the bar names a stage:\n{shown}");
    assert!(shown.contains("\x1b[2K"), "the bar is redrawn and cleared in place");
    assert!(shown.contains("Built 300 notes"), "{shown}");
}

/// The terminal `script` gives a test stays in the test: running this
/// file's terminal test (this test binary, one test) prints no bar, no
/// stage and no summary of the build it ran (they once leaked into the
/// output of `cargo test`).
#[test]
fn the_terminal_tests_print_nothing_of_the_build_to_the_test_output() {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "a_build_on_a_terminal_shows_its_stages_and_clears_them", "--nocapture"])
        .args(["--test-threads", "1"])
        .output()
        .unwrap();
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && shown.contains("1 passed"), "{shown}");
    for leak in ["reading notes", "Built 300 notes", "\r"] {
        assert!(!shown.contains(leak), "{leak:?} in the test output: {shown}");
    }
}

#[test]
fn no_bar_with_quiet_or_off_a_terminal() {
    let site = site();
    let quiet = on_a_terminal(&site, "build -q");
    assert!(!quiet.contains("reading notes"), "{quiet}");
    let piped = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["build", "--root"])
        .arg(site.root())
        .env("LODE_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    assert!(piped.status.success());
    let stderr = String::from_utf8_lossy(&piped.stderr);
    assert!(!stderr.contains("reading notes") && !stderr.contains('\r'), "{stderr}");
}

/// A refused output folder is named as a folder, not as a place at line 1,
/// column 1 of it (the newcomer check saw `= at /:1:1`).
#[test]
fn a_refused_output_folder_is_named_without_a_line_and_column() {
    let site = site();
    let out = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["build", "--output", "/", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to write the site to /"), "{stderr}");
    assert!(stderr.contains("= in /\n"), "{stderr}");
    assert!(!stderr.contains(":1:1"), "{stderr}");
}

/// Output piped into a reader that has gone (`lode build | true`)
/// ends Lode quietly, as other command-line tools end; it panicked with
/// "failed printing to stdout: Broken pipe".
#[test]
fn a_closed_pipe_on_stdout_is_no_panic() {
    let site = site();
    let mut child = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "{stderr}");
}

/// `--root` at a missing folder or at a file: `build`, `check` and `serve`
/// all say so, in the same words, and write nothing.
#[test]
fn a_root_that_is_missing_or_a_file_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "hi\n").unwrap();
    let missing = tmp.path().join("nowhere");
    for (root, what) in [(&file, "is a file, not a folder"), (&missing, "does not exist")] {
        for command in ["build", "check", "serve"] {
            let out = Command::new(env!("CARGO_BIN_EXE_lode"))
                .args(
                    [command, "--port", "0", "--root"]
                        .iter()
                        .filter(|a| command == "serve" || **a != "--port" && **a != "0"),
                )
                .arg(root)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "lode {command}: {stderr}");
            assert!(
                stderr.contains(&format!("the site root {} {what}", root.display())),
                "lode {command}: {stderr}"
            );
        }
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left, ["notes.txt"]);
}

/// `lode --version` names the version and the commit it was built from
/// (build.rs reads it from `.git`; this test asks git).
#[test]
fn version_names_the_commit() {
    let out = Command::new(env!("CARGO_BIN_EXE_lode")).arg("--version").output().unwrap();
    assert!(out.status.success());
    let shown = String::from_utf8_lossy(&out.stdout);
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("git, to know the commit");
    let head = String::from_utf8_lossy(&head.stdout);
    assert_eq!(shown, format!("lode {} (commit {})\n", env!("CARGO_PKG_VERSION"), &head.trim()[..12]));
}

/// One note and one page are counted in the singular ("Built 1 notes" was printed before).
#[test]
fn a_one_note_build_says_note_not_notes() {
    let site = TestSite::new(&[("site.toml", "title = \"T\"\n"), ("content/only.md", "# Only\n\nText.\n")]);
    let out =
        Command::new(env!("CARGO_BIN_EXE_lode")).args(["build", "--root"]).arg(site.root()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Built 1 note into "), "{stdout}");
}

/// `lode ARGS`' standard output; the command must succeed.
fn lode(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lode")).args(args).output().unwrap();
    assert!(out.status.success(), "lode {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// The commands `lode --help` lists (not `help` itself), read from its
/// output rather than from clap's definitions, which live in the binary.
fn commands() -> Vec<String> {
    let help = lode(&["--help"]);
    let listed = help.split_once("Commands:\n").expect("a command list").1;
    let names: Vec<String> = listed
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|name| name != "help")
        .collect();
    for expected in ["build", "check", "serve", "init", "new", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "`lode --help` lists {expected}: {names:?}");
    }
    names
}

/// The options `lode COMMAND --help` lists (`-q`, `--quiet`, …), or
/// `lode`'s own with no command.
fn options(command: Option<&str>) -> Vec<String> {
    let help = lode(&[command.unwrap_or("--help"), "--help"][usize::from(command.is_none())..]);
    let mut found = Vec::new();
    for line in help.lines().map(str::trim_start).filter(|l| l.starts_with('-')) {
        let flag = |w: &&str| w.trim_start_matches('-').starts_with(|c: char| c.is_ascii_alphabetic());
        for word in line.split([',', ' ']).filter(|w| w.starts_with('-')).filter(flag) {
            found.push(word.to_string());
        }
    }
    assert!(found.iter().any(|f| f == "--help"), "{help}");
    found
}

/// Asks bash for the completions of the command line `words` (the last
/// word being completed), with the script `lode completions bash` prints
/// loaded as bash-completion loads it.
fn bash_complete(words: &[&str]) -> Vec<String> {
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(script.path(), lode(&["completions", "bash"])).unwrap();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let line = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _lode lode {} {}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.path().display(),
        quoted.join(" "),
        words.len() - 1,
        quoted[words.len() - 1],
        quoted[words.len() - 2],
    );
    let out = Command::new("bash").args(["--norc", "-c", &line]).output().unwrap();
    assert!(out.status.success(), "{line}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_every_command_and_every_option_of_each() {
    let offered = bash_complete(&["lode", ""]);
    for command in commands() {
        assert!(offered.contains(&command), "`lode <TAB>` offers {command}: {offered:?}");
        let flags = bash_complete(&["lode", &command, "-"]);
        for option in options(Some(&command)) {
            assert!(flags.contains(&option), "`lode {command} -<TAB>` offers {option}: {flags:?}");
        }
    }
    assert_eq!(bash_complete(&["lode", "b"]), ["build"]);
    let shells = bash_complete(&["lode", "completions", ""]);
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
}

#[test]
fn every_shells_script_names_every_command() {
    let commands = commands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = lode(&["completions", shell]);
        for command in &commands {
            assert!(script.contains(command.as_str()), "{shell}'s script names {command}");
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_lode")).args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "an unknown shell is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: bash"));
}

/// The man page is one roff page that documents every command under its
/// own subsection with every option its `--help` lists, and groff renders
/// it without a warning, in ASCII as in any locale.
#[test]
fn the_man_page_documents_every_command_and_option_and_renders_cleanly() {
    let page = lode(&["man"]);
    assert!(page.is_ascii(), "non-ASCII is written as roff escapes");
    assert!(page.lines().any(|l| l.starts_with(".TH lode 1 ")), "{page}");
    // Roff writes a `-` as `\-`; sections start at `.SH`, subsections at `.SS`.
    let text = page.replace("\\-", "-");
    let section = |start: &str| {
        let from = text.find(&format!("\n{start}\n")).unwrap_or_else(|| panic!("no {start}:\n{page}"));
        let rest = &text[from + start.len() + 2..];
        rest[..rest.find("\n.S").unwrap_or(rest.len())].to_string()
    };
    let top = section(".SH OPTIONS");
    for option in options(None) {
        assert!(top.contains(&format!("\\fB{option}\\fR")), "lode's OPTIONS list {option}:\n{top}");
    }
    for command in commands() {
        let part = section(&format!(".SS \"lode {command}\""));
        assert!(part.contains(&format!("\\fBlode {command}\\fR")), "a synopsis:\n{part}");
        for option in options(Some(&command)) {
            assert!(part.contains(&format!("\\fB{option}\\fR")), "lode {command}: {option}:\n{part}");
        }
    }
    for device in ["ascii", "utf8"] {
        let mut groff = Command::new("groff")
            .args(["-mandoc", &format!("-T{device}"), "-ww"])
            .env("LANG", "C")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("groff (Debian's groff-base; ./test installs it)");
        use std::io::Write;
        groff.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let out = groff.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success() && stderr.is_empty(), "groff -T{device}: {stderr}");
        let shown = String::from_utf8_lossy(&out.stdout);
        assert!(shown.contains("lode serve"), "{shown}");
    }
}

/// Every file under `dir` with its bytes, for comparing an output folder
/// before and after a run.
fn files_of(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

/// `--strict` (Hugo's `--panicOnWarning`, a compiler's `-Werror`): a site
/// whose only problem is a warning passes without it and fails with it,
/// for `check` and for `build`, which prints every problem and leaves the
/// previous output exactly as it was.
#[test]
fn strict_fails_on_a_warning_and_leaves_the_output_as_it_was() {
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nSee [[Linked]].\n"),
        ("content/linked.md", "# Linked\n\nText.\n"),
        ("content/alone.md", "# Alone\n\nNothing links here.\n"),
    ]);
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_lode")).args(args).arg("--root").arg(site.root()).output().unwrap()
    };
    let check = run(&["check"]);
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    assert!(String::from_utf8_lossy(&check.stderr).contains("warning"), "the fixture has a warning");
    let check = run(&["check", "--strict"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("Alone") || stderr.contains("alone.md"), "the warning is printed: {stderr}");
    assert!(stderr.contains("Check failed (--strict: 1 warning, no errors)."), "{stderr}");

    let built = run(&["build"]);
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let before = files_of(&site.output());
    assert!(!before.is_empty());
    // An edit that would change the output: a strict build must not publish it.
    site.write("content/linked.md", "# Linked\n\nChanged text.\n");
    let strict = run(&["build", "--strict"]);
    let stderr = String::from_utf8_lossy(&strict.stderr);
    assert_eq!(strict.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("alone.md"), "{stderr}");
    assert!(
        stderr.contains("Build failed (--strict: 1 warning, no errors); the previous output"),
        "{stderr}"
    );
    assert_eq!(files_of(&site.output()), before, "the output folder is untouched");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("lode") || n.contains("stag"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind: {leftovers:?}");
    // JSON: the problems and the summary, then exit code 1.
    let json = run(&["check", "--strict", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&json.stdout).contains("\"summary\""));
    // Without --strict the same edit is published.
    assert!(run(&["build"]).status.success());
    assert_ne!(files_of(&site.output()), before);
}

/// Every one-line help of the command line (each command's `about`, each
/// option's and argument's help, each value's) follows clap's convention,
/// as cargo's and git's do: no full stop at its end. The longer help of
/// `--help` is prose and keeps its sentences' stops.
#[test]
fn no_one_line_help_ends_with_a_full_stop() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, found: &mut Vec<String>) {
        let mut one_liners: Vec<(String, String)> = Vec::new();
        if let Some(about) = cmd.get_about() {
            one_liners.push((format!("{path}: about"), about.to_string()));
        }
        for arg in cmd.get_arguments() {
            if let Some(help) = arg.get_help() {
                one_liners.push((format!("{path} {}", arg.get_id()), help.to_string()));
            }
            for value in arg.get_possible_values() {
                if let Some(help) = value.get_help() {
                    one_liners
                        .push((format!("{path} {}={}", arg.get_id(), value.get_name()), help.to_string()));
                }
            }
        }
        for (place, text) in one_liners {
            if text.trim_end().ends_with('.') {
                found.push(format!("{place}: {text:?}"));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), found);
        }
    }
    let mut cmd = lode::cli::Cli::command();
    cmd.build();
    let mut found = Vec::new();
    walk(&cmd, "lode", &mut found);
    assert!(found.is_empty(), "one-line help ending with a full stop:\n{}", found.join("\n"));
    // And as printed: the first line of `lode -h`, `lode --help` and each
    // command's (`--help` shows the long help, whose first paragraph is the
    // one-liner of a command with more to say).
    let commands = commands();
    for flag in ["-h", "--help"] {
        let lines = std::iter::once(vec![flag]).chain(commands.iter().map(|c| vec![c.as_str(), flag]));
        for args in lines {
            let help = lode(&args);
            let first = help.lines().next().unwrap_or_default();
            assert!(!first.ends_with('.'), "lode {}: {first:?}", args.join(" "));
        }
    }
}

/// The last line of `lode ARGS --format json` on `site`: its summary, and
/// the exit code.
fn json_summary(site: &TestSite, args: &[&str]) -> (serde_json::Value, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(args)
        .args(["--format", "json", "--root"])
        .arg(site.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let last = stdout.lines().last().unwrap_or_else(|| panic!("{args:?}: no output"));
    let line: serde_json::Value = serde_json::from_str(last).unwrap();
    (line["summary"].clone(), out.status.code())
}

/// `--format json`'s closing summary says whether the run failed and
/// whether `--strict` was on, so that a script reading it knows why a run
/// with no error exited 1.
#[test]
fn the_json_summary_says_a_strict_run_failed() {
    // One warning (an orphan note), no error.
    let site = TestSite::new(&[
        ("content/_index.md", "# Home\n\nHome.\n"),
        ("content/alone.md", "# Alone\n\nNothing links here.\n"),
    ]);
    for command in ["build", "check"] {
        let (summary, code) = json_summary(&site, &[command, "--strict"]);
        assert_eq!(code, Some(1), "{command} --strict: {summary}");
        assert_eq!(
            summary,
            serde_json::json!({"errors": 0, "warnings": 1, "strict": true, "failed": true}),
            "{command} --strict"
        );
        let (summary, code) = json_summary(&site, &[command]);
        assert_eq!(code, Some(0), "{command}: {summary}");
        assert_eq!(
            summary,
            serde_json::json!({"errors": 0, "warnings": 1, "strict": false, "failed": false})
        );
    }
    site.write("content/alone.md", "# Alone\n\nA link to [[Nowhere]].\n");
    let (summary, code) = json_summary(&site, &["check"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        (&summary["errors"], &summary["strict"], &summary["failed"]),
        (&1.into(), &false.into(), &true.into())
    );
}
