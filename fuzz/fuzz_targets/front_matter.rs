//! Front matter splitting and parsing, and the body scan, on any text:
//! an error or a note, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lode::content::{SourceFile, SourcePath, parse};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = parse(SourceFile { path: SourcePath::new("fuzz/note.md"), text });
});
