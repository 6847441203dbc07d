//! Save-to-reload latency of `lode serve`: `cargo bench --bench serve_latency`.
//!
//! Starts the release `lode serve` on a free port against a site, opens the
//! live-reload event stream as a browser does, then 30 times (or
//! `LODE_BENCH_EDITS`) rewrites one note's body and measures the time from
//! the write to the `reload` event naming that note's page. Prints p50, p95
//! and max in milliseconds for the flagship site (a copy of this
//! repository's) and for each generated size in `LODE_BENCH_NOTES`
//! (default `1000,10000`). The watcher's debounce (15 ms) is included, as a
//! user feels it.

#[path = "corpus.rs"]
#[allow(dead_code)]
mod corpus;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `lode serve` on `root`; returns it and the address it listens on.
fn start(root: &Path) -> (Server, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lode"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start lode serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let addr = loop {
        let line = lines.next().expect("lode serve printed its address").expect("utf-8");
        if let Some(rest) = line.strip_prefix("Serving at http://") {
            break rest.trim_end_matches('/').split('/').next().unwrap_or_default().to_string();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));
    (Server(child), addr)
}

/// The `data:` lines of `reload` events, as they arrive.
fn reloads(addr: &str) -> Receiver<(Instant, String)> {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET /__lode/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").expect("request");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && event == "reload"
                && tx.send((Instant::now(), data.to_string())).is_err()
            {
                break;
            }
        }
    });
    rx
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Edits `note` (relative to the root) `edits` times; returns latencies in ms.
fn measure(root: &Path, note: &str, page: &str, edits: usize) -> Vec<f64> {
    let (_server, addr) = start(root);
    let events = reloads(&addr);
    std::thread::sleep(Duration::from_millis(300));
    let path = root.join(note);
    let original = std::fs::read_to_string(&path).expect("read note");
    let mut out = Vec::new();
    for i in 0..edits {
        // Past the burst window, so each edit is a lone save.
        std::thread::sleep(Duration::from_millis(350));
        while events.try_recv().is_ok() {}
        let start = Instant::now();
        std::fs::write(&path, format!("{original}\nEdit number {i} for the latency benchmark.\n"))
            .expect("write");
        let deadline = start + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match events.recv_timeout(left) {
                Ok((at, data)) if data.contains(page) || data.contains("\"all\":true") => {
                    out.push(at.duration_since(start).as_secs_f64() * 1000.0);
                    break;
                }
                Ok(_) => continue,
                Err(_) => panic!("no reload for edit {i} within 30 s"),
            }
        }
    }
    std::fs::write(&path, original).expect("restore");
    out
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let rel = entry.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

fn report(name: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    println!(
        "{name:>10} {:>6} {:>8.1} {:>8.1} {:>8.1}",
        ms.len(),
        percentile(&ms, 0.5),
        percentile(&ms, 0.95),
        ms.last().copied().unwrap_or(0.0)
    );
}

fn main() {
    let edits: usize = std::env::var("LODE_BENCH_EDITS").ok().and_then(|v| v.parse().ok()).unwrap_or(30);
    let sizes: Vec<usize> = std::env::var("LODE_BENCH_NOTES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("{:>10} {:>6} {:>8} {:>8} {:>8}", "site", "edits", "p50 ms", "p95 ms", "max ms");

    let flagship = tempfile::tempdir().expect("temp dir");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for part in ["content", "templates", "static"] {
        copy_dir(&repo.join(part), &flagship.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), flagship.path().join("site.toml")).expect("site.toml");
    report(
        "flagship",
        measure(flagship.path(), "content/minerals/lithium.md", "minerals/lithium/index.html", edits),
    );

    for notes in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        corpus::generate(dir.path(), notes).expect("corpus");
        // The first note of the first collection: any note will do.
        let note = walkdir::WalkDir::new(dir.path().join("content"))
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "_index.md")
            .expect("a note")
            .into_path();
        let rel = note.strip_prefix(dir.path()).expect("inside").to_string_lossy().to_string();
        let page = format!("{}/index.html", rel.trim_start_matches("content/").trim_end_matches(".md"));
        report(&notes.to_string(), measure(dir.path(), &rel, &page, edits));
    }
}
