//! In-process build benchmark: `cargo bench --bench build`.
//!
//! For each size in `LODE_BENCH_NOTES` (comma-separated, default `1000`),
//! writes a synthetic corpus (see `corpus.rs`) into a temporary folder, then
//! runs `lode::build::build` on it `LODE_BENCH_RUNS` times (default 5) after
//! one untimed warm-up build, and prints the wall time per build (min and
//! median) and notes per second (at the median). Every build writes the whole
//! site, replacing the previous output as a user's rebuild does.
//!
//! ```sh
//! LODE_BENCH_NOTES=1000,10000 LODE_BENCH_RUNS=3 cargo bench --bench build
//! ```

#[path = "corpus.rs"]
mod corpus;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use lode::build::{BuildOptions, build};

fn main() -> ExitCode {
    let sizes = match env_list("LODE_BENCH_NOTES", "1000") {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    let runs = match env_list("LODE_BENCH_RUNS", "5").map(|r| r.first().copied().unwrap_or(5).max(1)) {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    println!(
        "{:>8} {:>8} {:>9} {:>5} {:>10} {:>10} {:>10} {:>10}",
        "notes", "pages", "gen ms", "runs", "first ms", "min ms", "median ms", "notes/s"
    );
    for notes in sizes {
        let dir = match tempfile::Builder::new().prefix("lode-bench-").tempdir() {
            Ok(d) => d,
            Err(e) => return fail(&format!("cannot create a temporary folder: {e}")),
        };
        let root = dir.path().join("site");
        let start = Instant::now();
        if let Err(e) = corpus::generate(&root, notes) {
            return fail(&format!("cannot generate the corpus: {e}"));
        }
        let generated = start.elapsed();
        let options = BuildOptions { output: Some(dir.path().join("public")), ..BuildOptions::new(&root) };

        let mut times = Vec::with_capacity(runs + 1);
        let mut pages = 0;
        for _ in 0..=runs {
            let start = Instant::now();
            match build(&options) {
                Ok(report) => pages = report.pages,
                Err(problems) => {
                    for p in problems.iter().take(10) {
                        eprintln!("{}:{}:{}: {}", p.file, p.line, p.column, p.message);
                    }
                    return fail(&format!(
                        "the {notes}-note corpus failed to build ({} problems)",
                        problems.len()
                    ));
                }
            }
            times.push(start.elapsed());
        }
        let first = times.remove(0);
        times.sort();
        let min = times[0];
        let median = times[times.len() / 2];
        println!(
            "{:>8} {:>8} {:>9} {:>5} {:>10} {:>10} {:>10} {:>10.0}",
            notes,
            pages,
            millis(generated),
            runs,
            millis(first),
            millis(min),
            millis(median),
            notes as f64 / median.as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}

/// A comma-separated list of counts from the environment (`_` allowed as a digit separator).
fn env_list(name: &str, default: &str) -> Result<Vec<usize>, String> {
    let value = std::env::var(name).unwrap_or_else(|_| default.to_string());
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.replace('_', "").parse().map_err(|_| format!("{name}: `{s}` is not a count")))
        .collect()
}

fn millis(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn fail(message: &str) -> ExitCode {
    eprintln!("bench: {message}");
    ExitCode::FAILURE
}
