//! The `lode` command line.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{CommandFactory, Parser};
use lode::build::{self, BuildOptions};
use lode::cli::{Cli, Command, Format, ReportArgs};
use lode::config::Layout;
use lode::diagnostics::{self, Diagnostic};

/// mimalloc instead of the system allocator: measured in `benches/README.md`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use lode::progress::Progress;

fn main() -> ExitCode {
    restore_sigpipe();
    no_transparent_huge_pages();
    let cli = Cli::parse();
    match cli.command {
        Command::Build { site, output, base_url, report } => {
            let options = BuildOptions {
                output,
                base_url,
                drafts: site.drafts,
                strict: report.strict,
                ..BuildOptions::new(&site.root)
            };
            let show = !report.quiet && report.format == Format::Human;
            let brief = brief(&options, &report);
            match with_progress_bar(show, |progress| build::build_with_progress(&options, progress)) {
                Ok(done) => {
                    let vault = (done.layout == Layout::Vault).then_some((done.notes, done.assets));
                    if succeeded(&site.root, &done.warnings, &report, brief, vault) {
                        println!(
                            "{} ({})",
                            lode::progress::built_summary(done.notes, done.pages, done.millis),
                            done.output.display()
                        );
                        if report.verbose {
                            if done.images_resized + done.images_cached > 0 {
                                println!(
                                    "Images: {} resized copies made, {} from the cache ({})",
                                    done.images_resized,
                                    done.images_cached,
                                    options.image_cache().display()
                                );
                            }
                            if done.cards_made + done.cards_cached > 0 {
                                println!(
                                    "Social cards: {} drawn, {} from the cache ({})",
                                    done.cards_made,
                                    done.cards_cached,
                                    options.image_cache().join(lode::render::social::CACHE_DIR).display()
                                );
                            }
                            print_timings(&done.timings);
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(problems) => failed(
                    &site.root,
                    &problems,
                    &report,
                    brief,
                    &format!(
                        "Build failed{}; the previous output, if any, was left as it was.",
                        strict_cause(&problems)
                    ),
                ),
            }
        }
        Command::Check { site, report } => {
            let options =
                BuildOptions { drafts: site.drafts, strict: report.strict, ..BuildOptions::new(&site.root) };
            let brief = brief(&options, &report);
            match build::check(&options) {
                Ok(done) => {
                    let vault = (options.layout() == Layout::Vault).then_some((done.notes, done.assets));
                    if succeeded(&site.root, &done.warnings, &report, brief, vault) {
                        println!(
                            "Checked {} notes: no errors, {} warning(s).",
                            done.notes,
                            done.warnings.len()
                        );
                        if report.verbose {
                            print_timings(&done.timings);
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(problems) => failed(
                    &site.root,
                    &problems,
                    &report,
                    brief,
                    &format!("Check failed{}.", strict_cause(&problems)),
                ),
            }
        }
        Command::Init { dir, force, eject } => match lode::scaffold::init(&dir, force, eject) {
            Ok(files) => {
                println!("Created a notes site in {} ({} files).", dir.display(), files.len());
                println!("Next: cd {} && lode serve", dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => error(e),
        },
        Command::New { collection, title, root } => {
            match lode::scaffold::new_note(&root, &collection, &title) {
                Ok(note) => {
                    for warning in &note.warnings {
                        eprintln!("warning: {warning}");
                    }
                    println!("{}", note.path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => error(e),
            }
        }
        Command::Eject { root, force } => match lode::scaffold::eject(&root, force) {
            Ok(files) => {
                println!(
                    "Wrote {} files: the built-in templates under templates/ and static/style.css. Change them as you like; delete one to use the built-in again.",
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => error(e),
        },
        Command::Serve { site, port, bind, open } => {
            let build = BuildOptions { drafts: site.drafts, ..BuildOptions::new(site.root) };
            let options = lode::serve::ServeOptions { build, bind, port, open, debounce_ms: 15 };
            match lode::serve::serve(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => error(format!("{e:#}")),
            }
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "lode", &mut std::io::stdout().lock());
            ExitCode::SUCCESS
        }
        Command::Man => match man_page(&mut std::io::stdout().lock()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => error(e),
        },
    }
}

/// `lode man`: the one manual page lode(1), in roff, for every command, as
/// ripgrep and fd ship theirs (rather than git's and cargo's page per
/// subcommand: Lode has seven, and one `lode man > …/lode.1` installs
/// them all). clap_mangen renders the NAME, SYNOPSIS, DESCRIPTION and
/// OPTIONS of `lode` from the same definitions as `--help`; then COMMANDS
/// holds, for each command, a subsection with its synopsis, description,
/// options and example (clap_mangen's section headings dropped, as the
/// subsection's name says what they are), and EXAMPLES and VERSION close it.
fn man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    use clap_mangen::roff::{Roff, roman};

    /// A command's `after_help` examples (the indented lines) as a roff
    /// example block, without the "Example:" line.
    fn examples(roff: &mut Roff, cmd: &clap::Command) {
        let text = cmd.get_after_help().map(|h| h.to_string()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().filter(|l| l.starts_with(' ')).map(str::trim).collect();
        if lines.is_empty() {
            return;
        }
        roff.control("PP", []).control("EX", []);
        for line in lines {
            roff.text([roman(line)]);
        }
        roff.control("EE", []);
    }

    let mut cmd = Cli::command();
    cmd.build();
    let top = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    top.render_title(&mut page)?;
    top.render_name_section(&mut page)?;
    top.render_synopsis_section(&mut page)?;
    top.render_description_section(&mut page)?;
    top.render_options_section(&mut page)?;
    let mut commands = Roff::new();
    commands.control("SH", ["COMMANDS"]);
    commands.to_writer(&mut page)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        let mut heading = Roff::new();
        heading.control("SS", [name]);
        heading.to_writer(&mut page)?;
        let man = clap_mangen::Man::new(sub.clone());
        let mut parts = Vec::new();
        man.render_synopsis_section(&mut parts)?;
        man.render_description_section(&mut parts)?;
        man.render_options_section(&mut parts)?;
        let mut example = Roff::new();
        examples(&mut example, sub);
        example.to_writer(&mut parts)?;
        for line in String::from_utf8_lossy(&parts).lines() {
            // Each part begins with its own heading: a paragraph break instead.
            let line = if line.starts_with(".SH ") { ".PP" } else { line };
            page.extend_from_slice(line.as_bytes());
            page.push(b'\n');
        }
    }
    let mut closing = Roff::new();
    closing.control("SH", ["EXAMPLES"]);
    examples(&mut closing, &cmd);
    closing.to_writer(&mut page)?;
    top.render_version_section(&mut page)?;
    // Each rendered part starts with roff's two-line apostrophe preamble:
    // keep the first. Characters beyond ASCII are written as groff's and
    // mandoc's `\[uXXXX]` (the help's `…` as `...`), so that the page reads
    // the same in any locale.
    let page = String::from_utf8_lossy(&page);
    let mut seen = std::collections::HashSet::new();
    for line in page.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if preamble && !seen.insert(line) {
            continue;
        }
        let mut ascii = String::with_capacity(line.len());
        for c in line.chars() {
            if c.is_ascii() {
                ascii.push(c);
            } else if c == '…' {
                // groff's ASCII output has no glyph for it.
                ascii.push_str("...");
            } else {
                ascii.push_str(&format!("\\[u{:04X}]", u32::from(c)));
            }
        }
        writeln!(out, "{ascii}")?;
    }
    Ok(())
}

/// A failure that is not about the site's input (no diagnostics to show).
/// Runs `work`, and when it takes longer than a second draws a progress
/// bar of its stages on stderr: only on a terminal, and never with `-q` or
/// `--format json` or `github` (`show` false). The bar is cleared when the work ends.
/// `LODE_PROGRESS_DELAY_MS` replaces the second (the tests set it to 0).
fn with_progress_bar<T>(show: bool, work: impl FnOnce(Arc<Progress>) -> T) -> T {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

    let progress = Arc::new(Progress::default());
    if !show || !std::io::stderr().is_terminal() {
        return work(progress);
    }
    let delay = std::env::var("LODE_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis);
    let done = Arc::new(AtomicBool::new(false));
    let drawer = {
        let (progress, done) = (Arc::clone(&progress), Arc::clone(&done));
        std::thread::spawn(move || {
            let started = Instant::now();
            while started.elapsed() < delay {
                if done.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let counted = ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len}")
                .expect("a valid template")
                .progress_chars("=> ");
            let spinning = ProgressStyle::with_template("{msg:>28} {spinner}").expect("a valid template");
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
                .with_style(spinning.clone());
            while !done.load(Ordering::Relaxed) {
                let (stage, items, total) = progress.get();
                bar.set_message(stage);
                if total > 0 {
                    bar.set_style(counted.clone());
                    bar.set_length(total as u64);
                    bar.set_position(items.min(total) as u64);
                } else {
                    bar.set_style(spinning.clone());
                    bar.tick();
                }
                std::thread::sleep(Duration::from_millis(80));
            }
            bar.finish_and_clear();
        })
    };
    let result = work(progress);
    done.store(true, Ordering::Relaxed);
    let _ = drawer.join();
    result
}

/// Why a run with no error failed: `--strict` and its warnings
/// (` (--strict: 2 warnings)`); empty when there is an error.
fn strict_cause(problems: &[Diagnostic]) -> String {
    if problems.iter().any(Diagnostic::is_error) {
        return String::new();
    }
    let n = problems.len();
    format!(" (--strict: {n} warning{}, no errors)", if n == 1 { "" } else { "s" })
}

fn error(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {e}");
    ExitCode::FAILURE
}

fn print_timings(timings: &[(&'static str, std::time::Duration)]) {
    for (stage, time) in timings {
        println!("  {stage:<22} {:>8.1} ms", time.as_secs_f64() * 1000.0);
    }
}

fn failed(root: &Path, problems: &[Diagnostic], report: &ReportArgs, brief: bool, summary: &str) -> ExitCode {
    print_diagnostics(root, problems, report, brief, true);
    if report.format == Format::Human {
        eprintln!("{summary}");
    }
    ExitCode::FAILURE
}

/// A run that passed: its warnings printed as [`print_diagnostics`] does,
/// then, for a vault (`Some((notes, attachments))`), its summary. True when
/// the caller goes on with the lines for people (not `--quiet`, not a
/// machine format).
fn succeeded(
    root: &Path,
    warnings: &[Diagnostic],
    report: &ReportArgs,
    brief: bool,
    vault: Option<(usize, usize)>,
) -> bool {
    print_diagnostics(root, warnings, report, brief, false);
    let people = !report.quiet && report.format == Format::Human;
    if let (true, Some((notes, assets))) = (people, vault) {
        println!("{}", vault_summary(root, notes, assets, warnings));
    }
    people
}

/// Problems go to standard error for people (coloured on a terminal unless
/// `NO_COLOR` is set), or to standard output as JSON lines (with a closing
/// summary, even for no problems: its `strict` from `report`, and `failed`)
/// or GitHub workflow commands. `brief`: errors in full, warnings counted by
/// kind (for people only).
fn print_diagnostics(root: &Path, problems: &[Diagnostic], report: &ReportArgs, brief: bool, failed: bool) {
    let format = report.format;
    let outcome = diagnostics::Outcome { strict: report.strict, failed };
    if problems.is_empty() && format != Format::Json {
        return;
    }
    match format {
        Format::Json => {
            let _ = diagnostics::emit_json(&mut std::io::stdout().lock(), root, problems, outcome);
        }
        Format::Github => {
            let _ = diagnostics::emit_github(&mut std::io::stdout().lock(), root, problems);
        }
        Format::Human if brief => diagnostics::print_brief_to_stderr(root, problems),
        Format::Human => diagnostics::print_to_stderr(root, problems),
    }
}

/// Whether warnings are printed counted by kind rather than one by one: for
/// a vault (a folder of notes without `site.toml`), whose first build may
/// well find thousands, unless `-v` asks for every one.
fn brief(options: &BuildOptions, report: &ReportArgs) -> bool {
    options.layout() == Layout::Vault && !report.verbose
}

/// What a build found in a vault, on one line: `Vault "notes" (no
/// site.toml, read as Obsidian reads it): 312 notes, 48 attachments; 27
/// warnings: 20 unresolved links, 5 missing headings, 2 front matter`. The
/// folder's name is quoted, so that a folder named `vault` reads well.
fn vault_summary(root: &Path, notes: usize, assets: usize, warnings: &[Diagnostic]) -> String {
    let name = std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    let problems = diagnostics::counts(warnings, diagnostics::Severity::Warning)
        .unwrap_or_else(|| "no warnings".to_string());
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "Vault \"{name}\" (no site.toml, read as Obsidian reads it): {}, {}; {problems}",
        count(notes, "note", "notes"),
        count(assets, "attachment", "attachments")
    )
}

/// Rust ignores SIGPIPE, so printing to a closed pipe (`lode check -v |
/// head`) is an error that `println!` turns into a panic. Like other Unix
/// command-line tools, Lode takes the default action instead: it ends
/// quietly when the reader of its output has gone. Printing happens after
/// a build's atomic swap, so no output folder is left half-written.
#[allow(unsafe_code, reason = "signal is a system call")]
fn restore_sigpipe() {
    #[cfg(target_os = "linux")]
    // SAFETY: called first thing in `main`, before any other thread exists;
    // SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Turns transparent huge pages off for this process (Linux's
/// `prctl(PR_SET_THP_DISABLE)`; a child would inherit it, and Lode starts none). With them,
/// each first touch of memory the allocators ask huge pages for faults in
/// and zeroes 2 MiB, and the kernel may compact memory to find it: on
/// 10,000 generated notes on a 2-core Debian machine a build spent 10–12 s
/// of system time in those faults (`clear_page_erms` under
/// `do_huge_pmd_anonymous_page` in `perf`), and turning them off made it
/// 0.66× the wall time with search and 0.62× without, for the same user
/// time (see `benches/README.md`). A failure (an old kernel) changes nothing.
#[allow(unsafe_code, reason = "prctl is a system call")]
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integer arguments and only
    // sets a flag of this process; its result is not needed.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The binary's first step sets the flag (read back with PR_GET_THP_DISABLE).
    #[cfg(target_os = "linux")]
    #[test]
    #[allow(unsafe_code, reason = "prctl is a system call")]
    fn transparent_huge_pages_are_turned_off() {
        no_transparent_huge_pages();
        // SAFETY: PR_GET_THP_DISABLE reads a flag of this process.
        let flag = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        assert_eq!(flag, 1);
    }

    /// clap's own check of the definitions (conflicting names, defaults
    /// that are not possible values…), which `lode man` and the
    /// completions are generated from.
    #[test]
    fn the_command_line_definitions_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_vault_summary_quotes_the_folders_name() {
        let dir = std::env::temp_dir().join(format!("lode-summary-{}", std::process::id())).join("vault");
        std::fs::create_dir_all(&dir).unwrap();
        let line = vault_summary(&dir, 2, 1, &[]);
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
        assert_eq!(
            line,
            "Vault \"vault\" (no site.toml, read as Obsidian reads it): 2 notes, 1 attachment; no warnings"
        );
    }
}
