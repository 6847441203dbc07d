//! One note's body through the Markdown layer (parse and body scan, index,
//! link resolution, body renderer): see `fuzz/markdown_case.rs` for what is
//! asserted besides "no panic"; `tests/fuzz_corpus.rs` runs the same body
//! over `fuzz/corpus/markdown/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../markdown_case.rs"]
mod markdown_case;

fuzz_target!(|data: &[u8]| {
    markdown_case::run(data);
});
