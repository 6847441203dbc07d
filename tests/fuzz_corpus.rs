//! The `site` fuzz target's body (`fuzz/site_case.rs`: a site cut from the
//! input, built by `Session::rebuild`) over every input in
//! `fuzz/corpus/site/`, on the stable toolchain, so the corpus stays green
//! without cargo-fuzz.

#[path = "../fuzz/site_case.rs"]
mod site_case;

#[test]
fn site_corpus_builds_without_panics_and_with_located_problems() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/site");
    let mut inputs: Vec<_> =
        std::fs::read_dir(&corpus).expect("fuzz/corpus/site").map(|e| e.expect("entry").path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", corpus.display());
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() }.expect("temp dir");
    for input in &inputs {
        let data = std::fs::read(input).expect("read an input");
        let run = std::panic::catch_unwind(|| site_case::run(dir.path(), &data));
        assert!(run.is_ok(), "{} failed (see the panic above)", input.display());
    }
}
