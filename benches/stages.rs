//! Criterion benchmarks of the product's build, stage by stage:
//! `cargo bench --bench stages`.
//!
//! Generates a corpus of `LODE_BENCH_NOTES` notes (default 1,000; see
//! `corpus.rs`) in a temporary folder (on `/dev/shm` when there is one), then
//! times what `lode build` and `lode serve` run, through the same entry
//! points (`lode::build`), never a pipeline assembled here:
//!
//! | bench | what |
//! | --- | --- |
//! | `cold` | a new `Session`'s first `rebuild`: every note read, parsed, indexed, linked, checked and rendered into memory (`lode serve` at start) |
//! | `body_edit` | `Session::rebuild` after a sentence is appended to one note's body (the file is written outside the timed part) |
//! | `title_edit` | `Session::rebuild` after the most linked note's title changes, the old title kept as an alias (as in `serve_latency.rs`) |
//! | `build` | `lode::build::build`: `cold`, then the search index, the offline list and writing the output folder (unchanged files hard-linked from the previous run's output) |
//!
//! After criterion's lines it prints, for each bench, the median of every
//! stage lap the product measures itself (`Update::timings`,
//! `BuildReport::timings`: the laps `LODE_TIMINGS=1 lode serve` prints) over
//! every run criterion made, warm-up included, and the median number of
//! pages rendered. A lap that occurs twice in one run is summed.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};

use lode::build::{BuildOptions, Session, build};

/// One run's stage laps, in order, and the pages it rendered.
type Run = (Vec<(&'static str, Duration)>, usize);

fn body_edit(original: &str, i: usize) -> String {
    format!("{original}\nEdit number {i} for the stages benchmark.\n")
}

/// Renames the note (`Title` → `Title (edit i)`), keeping `Title` as an alias.
fn title_edit(original: &str, i: usize) -> String {
    let line = original.lines().find(|l| l.starts_with("title = ")).expect("a title line");
    let title = line.trim_start_matches("title = ");
    original.replacen(
        line,
        &format!("title = \"{} (edit {i})\"\naliases = [{title}]", title.trim_matches('"')),
        1,
    )
}

/// The notes under `content/` (not `_index.md`), sorted: path and text.
fn notes(root: &Path) -> Vec<(PathBuf, String)> {
    walkdir::WalkDir::new(root.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "_index.md")
        .map(|e| (e.path().to_path_buf(), std::fs::read_to_string(e.path()).expect("read a note")))
        .collect()
}

/// The note whose title the most notes link to (`[[Title`).
fn most_linked(notes: &[(PathBuf, String)]) -> &(PathBuf, String) {
    let mut links: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (_, text) in notes {
        for link in text.split("[[").skip(1) {
            *links.entry(link.split([']', '|', '#']).next().unwrap_or("")).or_default() += 1;
        }
    }
    let title = |text: &str| {
        let line = text.lines().find(|l| l.starts_with("title = ")).unwrap_or("");
        line.trim_start_matches("title = ").trim_matches('"').to_string()
    };
    notes
        .iter()
        .max_by_key(|(_, text)| links.get(title(text).as_str()).copied().unwrap_or(0))
        .expect("a note")
}

/// Times `session.rebuild` after `edit` rewrote `note`, `iters` times; the
/// note's original text is put back (and rebuilt, untimed) at the end.
fn edits(
    session: &mut Session,
    note: &(PathBuf, String),
    edit: fn(&str, usize) -> String,
    iters: u64,
    runs: &mut Vec<Run>,
) -> Duration {
    let (path, original) = note;
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let i = runs.len() + 1;
        std::fs::write(path, edit(original, i)).expect("edit a note");
        let start = Instant::now();
        let update = session.rebuild(std::slice::from_ref(path)).expect("the edited site builds");
        total += start.elapsed();
        let rendered = update.rendered();
        runs.push((update.timings, rendered));
    }
    std::fs::write(path, original).expect("restore a note");
    session.rebuild(std::slice::from_ref(path)).expect("the restored site builds");
    total
}

/// For each lap name (in order of first appearance), the median over `runs`
/// (the upper middle one of an even count); a lap twice in a run is summed.
fn medians(runs: &[Run]) -> Vec<(&'static str, Duration)> {
    let mut order: Vec<&'static str> = Vec::new();
    let mut laps: std::collections::HashMap<&'static str, Vec<Duration>> = std::collections::HashMap::new();
    for (timings, _) in runs {
        let mut summed: Vec<(&'static str, Duration)> = Vec::new();
        for &(stage, d) in timings {
            match summed.iter_mut().find(|(s, _)| *s == stage) {
                Some((_, total)) => *total += d,
                None => summed.push((stage, d)),
            }
        }
        for (stage, d) in summed {
            if !order.contains(&stage) {
                order.push(stage);
            }
            laps.entry(stage).or_default().push(d);
        }
    }
    order
        .into_iter()
        .map(|stage| {
            let mut ds = laps.remove(stage).unwrap_or_default();
            ds.sort();
            (stage, ds[ds.len() / 2])
        })
        .collect()
}

fn print_laps(group: &str, bench: &str, runs: &[Run]) {
    if runs.is_empty() {
        return;
    }
    let mut rendered: Vec<usize> = runs.iter().map(|(_, r)| *r).collect();
    rendered.sort_unstable();
    println!(
        "{group}/{bench}: median stage laps over {} runs, {} pages rendered",
        runs.len(),
        rendered[rendered.len() / 2]
    );
    let laps = medians(runs);
    for (stage, d) in &laps {
        println!("  {stage:<22} {:>9.2} ms", d.as_secs_f64() * 1000.0);
    }
    let sum: Duration = laps.iter().map(|(_, d)| *d).sum();
    println!("  {:<22} {:>9.2} ms", "(sum of medians)", sum.as_secs_f64() * 1000.0);
}

fn stages(c: &mut Criterion) {
    let notes_wanted: usize =
        std::env::var("LODE_BENCH_NOTES").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let shm = Path::new("/dev/shm");
    let builder = tempfile::Builder::new().prefix("lode-stages-").clone();
    let dir = if shm.is_dir() { builder.tempdir_in(shm) } else { builder.tempdir() }.expect("temp dir");
    let root = dir.path().join("site");
    corpus::generate(&root, notes_wanted).expect("corpus");
    let options = BuildOptions::new(&root);
    let notes = notes(&root);
    let body_note = notes.first().expect("a note").clone();
    let title_note = most_linked(&notes).clone();

    let name = format!("stages/{notes_wanted}");
    let mut group = c.benchmark_group(&name);
    group.sample_size(10).sampling_mode(SamplingMode::Flat).warm_up_time(Duration::from_secs(1));

    let mut cold: Vec<Run> = Vec::new();
    group.bench_function("cold", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let mut session = Session::new(options.clone());
                let update = session.rebuild(&[]).expect("the corpus builds");
                total += start.elapsed();
                let rendered = update.rendered();
                cold.push((update.timings, rendered));
            }
            total
        })
    });

    let mut session = Session::new(options.clone());
    session.rebuild(&[]).expect("the corpus builds");
    let mut body: Vec<Run> = Vec::new();
    group.bench_function("body_edit", |b| {
        b.iter_custom(|iters| edits(&mut session, &body_note, body_edit, iters, &mut body))
    });
    let mut title: Vec<Run> = Vec::new();
    group.bench_function("title_edit", |b| {
        b.iter_custom(|iters| edits(&mut session, &title_note, title_edit, iters, &mut title))
    });

    let mut built: Vec<Run> = Vec::new();
    let output = BuildOptions { output: Some(dir.path().join("out")), ..options.clone() };
    group.bench_function("build", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let report = build(&output).expect("the corpus builds");
                total += start.elapsed();
                built.push((report.timings, report.pages));
            }
            total
        })
    });
    group.finish();

    for (bench, runs) in [("cold", &cold), ("body_edit", &body), ("title_edit", &title), ("build", &built)] {
        print_laps(&name, bench, runs);
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
