//! `--format json` and `--format github`, as the `lode` binary prints them
//! for `tests/fixtures/formats/`: a site with one error and one warning.
//! Every line is compared whole, so a changed field, code or escape fails.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const LODE: &str = env!("CARGO_BIN_EXE_lode");
const FIXTURE: &str = "tests/fixtures/formats";

/// `lode ARGS --root ROOT` run in `dir`, without colours.
fn lode(args: &[&str], root: &str, dir: &Path) -> Output {
    Command::new(LODE)
        .args(args)
        .args(["--root", root])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn json_gives_each_problem_its_end_code_and_severity_then_a_summary() {
    let out = lode(&["check", "--format", "json"], FIXTURE, repo());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        stdout_lines(&out),
        [
            r#"{"severity":"error","file":"content/a.md","line":3,"column":15,"message":"link [[Nowhere]] matches no note","help":"check the spelling, or give the target note this name as a title or in `aliases`","kind":"unresolved-link","code":"L0201","end_line":3,"end_column":26}"#,
            r#"{"severity":"warning","file":"content/b.md","line":2,"column":1,"message":"unknown key `titel` looks like a misspelling of `title`","help":"rename it to `title`, or keep it if it is your own property","kind":"front-matter","code":"L0101","end_line":2,"end_column":6}"#,
            r#"{"summary":{"errors":1,"warnings":1,"strict":false,"failed":true}}"#,
        ]
    );
}

#[test]
fn github_prints_one_workflow_command_per_problem() {
    let expected = [
        "::error file=tests/fixtures/formats/content/a.md,line=3,col=15,endLine=3,endColumn=26,title=L0201 unresolved link::link [[Nowhere]] matches no note%0Ahelp: check the spelling, or give the target note this name as a title or in `aliases`",
        "::warning file=tests/fixtures/formats/content/b.md,line=2,col=1,endLine=2,endColumn=6,title=L0101 front matter::unknown key `titel` looks like a misspelling of `title`%0Ahelp: rename it to `title`, or keep it if it is your own property",
    ];
    let out = lode(&["check", "--format", "github"], FIXTURE, repo());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout_lines(&out), expected);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));

    // `lode build` prints the same, paths relative to where it runs.
    let copy = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(copy.path().join("site")).unwrap();
    common::copy_tree(&repo().join(FIXTURE), &copy.path().join("site"), |_| true);
    let out = lode(&["build", "--format", "github"], "site", copy.path());
    assert_eq!(out.status.code(), Some(1));
    let moved: Vec<String> = expected.iter().map(|l| l.replace("tests/fixtures/formats/", "site/")).collect();
    assert_eq!(stdout_lines(&out), moved);
    assert!(!copy.path().join("site/public").exists(), "a failed build writes nothing");
}
