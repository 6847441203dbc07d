//! The physical floor of a build: `cargo bench --bench floor -- SITE OUTPUT`.
//!
//! Given a site (a corpus from `corpus.rs`) and a folder holding its built
//! output, measures what no generator can avoid, one step at a time:
//!
//! 1. **read**: walking `SITE/content` and reading every file (bytes, ms);
//! 2. **parse**: pulldown-cmark alone (tables, footnotes, the same options as
//!    Lode) turning every note body into HTML, on one core (MB/s);
//! 3. **create**: writing the same output files with the same bytes into a
//!    fresh folder beside `OUTPUT`, `OUTPUT.floor` (folders made once, files
//!    written in parallel with one buffered write each), after a `sync`.
//!
//! The output's bytes are read into memory first, so step 3 times only the
//! creation. Put SITE and OUTPUT on the file system to measure (tmpfs or disk).
//!
//! The copy is kept: delete it once the runs you compare are over. On ext4
//! without a journal (this project's machines), creating a file skips every
//! inode of its block group deleted in the last minute (six if its inode
//! table block is still dirty), reading each one's inode table block
//! (`recently_deleted` in `fs/ext4/ialloc.c`): deleting 11,000 files before
//! the next timed build added 2.5 s of system time to it, and more each
//! round as deletions piled up.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;

fn files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let [site, output] = args.as_slice() else {
        eprintln!("usage: cargo bench --bench floor -- SITE OUTPUT");
        return;
    };
    let (site, output) = (Path::new(site), Path::new(output));

    // 1. Read every input byte (walk included).
    let start = Instant::now();
    let inputs: Vec<String> =
        files(&site.join("content")).iter().map(|p| std::fs::read_to_string(p).expect("read note")).collect();
    let read = start.elapsed();
    let in_bytes: usize = inputs.iter().map(String::len).sum();
    println!(
        "read    {:>7} files {:>12} bytes {:>9.1} ms",
        inputs.len(),
        in_bytes,
        read.as_secs_f64() * 1000.0
    );

    // 2. pulldown-cmark over every body, one core.
    let bodies: Vec<&str> =
        inputs.iter().map(|t| t.splitn(3, "+++\n").nth(2).unwrap_or(t.as_str())).collect();
    let body_bytes: usize = bodies.iter().map(|b| b.len()).sum();
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH);
    let start = Instant::now();
    let mut out = String::new();
    let mut html_bytes = 0;
    for body in &bodies {
        out.clear();
        html::push_html(&mut out, Parser::new_ext(body, options));
        html_bytes += out.len();
    }
    let parse = start.elapsed();
    println!(
        "parse   {:>7} notes {:>12} bytes {:>9.1} ms  ({:.0} MB/s on one core, {html_bytes} bytes of HTML)",
        bodies.len(),
        body_bytes,
        parse.as_secs_f64() * 1000.0,
        body_bytes as f64 / parse.as_secs_f64() / 1e6
    );

    // 3. Create the output files again, from memory.
    let outputs: Vec<(PathBuf, Vec<u8>)> = files(output)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read output");
            (p.strip_prefix(output).expect("inside").to_path_buf(), bytes)
        })
        .collect();
    let out_bytes: usize = outputs.iter().map(|(_, b)| b.len()).sum();
    let mut copy = output.as_os_str().to_owned();
    copy.push(".floor");
    let copy = PathBuf::from(copy);
    if copy.exists() {
        eprintln!(
            "floor: {} exists; delete it first (a minute before timing anything on ext4)",
            copy.display()
        );
        std::process::exit(2);
    }
    // Nothing of earlier writes left to write back while the copy is timed.
    let _ = std::process::Command::new("sync").status();
    let start = Instant::now();
    let mut dirs: Vec<PathBuf> =
        outputs.iter().filter_map(|(p, _)| p.parent().map(|d| copy.join(d))).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    outputs.par_iter().for_each(|(rel, bytes)| {
        let mut f = std::io::BufWriter::new(std::fs::File::create(copy.join(rel)).expect("create"));
        f.write_all(bytes).expect("write");
        f.flush().expect("flush");
    });
    let create = start.elapsed();
    println!(
        "create  {:>7} files {:>12} bytes {:>9.1} ms  ({} folders)",
        outputs.len(),
        out_bytes,
        create.as_secs_f64() * 1000.0,
        dirs.len()
    );
    println!("kept    {}", copy.display());
}
