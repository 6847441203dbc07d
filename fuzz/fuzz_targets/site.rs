//! A small generated site through the product's build: the input is cut into
//! up to four notes, written into a folder and built by `Session::rebuild`,
//! as `lode serve` builds. See `fuzz/site_case.rs` for what is asserted
//! besides "no panic"; `tests/fuzz_corpus.rs` runs the same body over
//! `fuzz/corpus/site/`.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../site_case.rs"]
mod site_case;

/// One folder per fuzzing process, on tmpfs when there is one; each input
/// replaces the last one's notes.
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let shm = std::path::Path::new("/dev/shm");
        let base = if shm.is_dir() { shm.to_path_buf() } else { std::env::temp_dir() };
        let root = base.join(format!("lode-fuzz-site-{}", std::process::id()));
        std::fs::create_dir_all(&root).expect("create the fuzz site's folder");
        root
    })
}

fuzz_target!(|data: &[u8]| site_case::run(root(), data));
