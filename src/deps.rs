//! What a page read while it rendered: the recorder behind incremental
//! rebuilds. A leaf: it uses no other module.
//!
//! Every output (a note's page, a listing, a sheet, the revision data, a
//! site-wide check) is produced inside [`capture`], and the accessors that
//! hand out site data (a note's card, its body, its links, its backlinks,
//! its neighbours in the link graph, a collection's notes, a tag's notes, a
//! name looked up by `note(name=…)`, …) call [`read`] with what they gave.
//! `build::plan` turns the reads into stable keys, fingerprints each of
//! them on every rebuild, and renders again exactly the outputs one of whose
//! reads changed. Nothing else decides what an edit can change.
//!
//! Reads are kept per thread: an output is produced on one thread, from
//! start to end (the renderers do not fork inside a page).

use std::cell::RefCell;

/// A part of a note that outputs read separately, so that an edit of one
/// part renders again only the outputs that read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Facet {
    /// The whole source file: body, headings, blocks, questions, the
    /// sentences around its links. Read by its own page and by any output
    /// that shows its body or its sentences.
    Text,
    /// What a listing shows of it, its card: title, permalink, summary,
    /// tags, dates, `[extra]`, its collection's title, and every other
    /// front-matter key.
    Card,
    /// Its questions and flashcards (front matter and the body's cards).
    Study,
    /// The sentences around its links ("Linked from" on the pages it links to).
    Contexts,
    /// Where its links point (body and explanations), as resolved.
    Links,
    /// Which notes link to it (its backlinks).
    Linkers,
    /// The notes it is linked with either way (its local graph's ring), as a set.
    Neighbours,
    /// Its neighbours in its collection's order (the pager).
    Pager,
}

/// One thing an output read. As recorded, `I` is this build's index (a
/// `NoteId`'s, a collection's in `Site::collections`, a tag's in
/// `Site::tags`) and `N` a folded name; `build::plan` turns both into keys
/// that outlive the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read<I = u32, N = String> {
    /// A part of a note.
    Note(Facet, I),
    /// The notes of a collection, in order.
    Members(I),
    /// The notes carrying a tag, in order.
    Tag(I),
    /// The notes a folded name finds (`note(name=…)`, a check): one, several or none.
    Name(N),
    /// Which notes the site has, their paths and permalinks, and its home page.
    Notes,
    /// What every page sees of the site: `site.toml`, the collections'
    /// titles and counts, the counts of notes, tags and corrections.
    Site,
    /// The tags: names, slugs and counts.
    Tags,
    /// Every dated event (`timeline()`).
    Timeline,
    /// The record of the notes' last changes (`/changes/`).
    Changes,
    /// Which notes have correction callouts (`/corrections/`).
    Corrections,
}

thread_local! {
    static READS: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Runs `f` and returns what it gave with what it read ([`read`] calls on
/// this thread), sorted, each once. A capture inside another one keeps its
/// reads to itself: on a rayon thread that waits inside a capture, the job
/// it steals meanwhile is another output's (perhaps another site's, when
/// two builds share the pool), and must not add to the waiting one's reads.
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, Vec<Read>) {
    let outer = READS.with(|r| r.borrow_mut().replace(Vec::new()));
    let result = f();
    let mut reads = READS.with(|r| r.replace(outer)).unwrap_or_default();
    reads.sort_unstable();
    reads.dedup();
    (result, reads)
}

/// [`capture`] when `record`, else `f` alone, with no reads: a build that
/// is never made again (`lode build`, `lode check`) keeps no reads, which
/// at 100,000 notes are hundreds of megabytes held until the last page.
///
/// Not recorded, `f` runs [`suspended`]: a job of a build that records
/// nothing may still run inside another build's capture (two builds sharing
/// rayon's pool, as the tests' do), and must not add to it.
pub fn capture_if<R>(record: bool, f: impl FnOnce() -> R) -> (R, Vec<Read>) {
    if record { capture(f) } else { (suspended(f), Vec::new()) }
}

/// Runs `f` with this thread's recording set aside (nothing read in `f`
/// is recorded, except in a capture of its own), then puts it back. For
/// parallel work inside a capture that reads nothing the output shows
/// (the site graph's layout): while the capturing thread waits for the
/// loop's other halves, rayon has it run whatever job it steals meanwhile,
/// perhaps another build's, whose reads are not the output's. Before this,
/// `/graph/` was made again after edits it never read, about one run in
/// five of `tests/query.rs` on 8 threads.
pub fn suspended<R>(f: impl FnOnce() -> R) -> R {
    let outer = READS.with(|r| r.borrow_mut().take());
    let result = f();
    READS.with(|r| *r.borrow_mut() = outer);
    result
}

/// Records that the output being produced read `what` (nothing happens
/// outside [`capture`]).
pub fn read(what: Read) {
    READS.with(|r| {
        if let Some(reads) = r.borrow_mut().as_mut() {
            reads.push(what);
        }
    });
}

/// Whether reads on this thread are being recorded (inside [`capture`]): a
/// loop that only records reads can be skipped when they are not (`lode
/// build` records none).
pub fn capturing() -> bool {
    READS.with(|r| r.borrow().is_some())
}

/// Records a read of `facet` of the note with index `note`.
pub fn note(facet: Facet, note: usize) {
    read(Read::Note(facet, note as u32));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_kept_per_capture_and_a_nested_one_keeps_its_own() {
        note(Facet::Text, 9); // outside any capture: dropped
        let ((_, inner), outer) = capture(|| {
            note(Facet::Card, 2);
            let inner = capture(|| read(Read::Site));
            note(Facet::Card, 2);
            inner
        });
        assert_eq!(inner, vec![Read::Site]);
        assert_eq!(outer, vec![Read::Note(Facet::Card, 2)]);
        assert_eq!(capture(|| ()).1, vec![]);
    }

    #[test]
    fn a_capture_not_recorded_keeps_no_reads() {
        let (answer, reads) = capture_if(false, || {
            note(Facet::Card, 2);
            42
        });
        assert_eq!((answer, reads), (42, vec![]));
        assert_eq!(capture_if(true, || note(Facet::Card, 2)).1, vec![Read::Note(Facet::Card, 2)]);
        assert!(!capturing());
        assert!(!capture_if(false, capturing).0);
        assert!(capture_if(true, capturing).0);
        // Inside another capture, what a capture not recorded reads is not
        // the outer one's either (it was, before `suspended`).
        let (_, outer) = capture(|| capture_if(false, || note(Facet::Card, 2)));
        assert_eq!(outer, vec![]);
        let (inner, outer) = capture(|| suspended(|| capture(|| note(Facet::Text, 1)).1));
        assert_eq!((inner, outer), (vec![Read::Note(Facet::Text, 1)], vec![]));
        assert!(capture(|| suspended(capturing)).1.is_empty() && !capture(|| suspended(capturing)).0);
    }

    /// A rayon thread waiting inside a capture for the other half of a
    /// `join` runs the job queued on it meanwhile (here another build's,
    /// spawned on it): its reads land in the capture unless the loop is
    /// [`suspended`]. Two threads; the other half waits until that job ran.
    #[test]
    fn a_job_run_while_a_capture_waits_adds_nothing_when_suspended() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let spin = |flag: &AtomicBool| {
            let start = std::time::Instant::now();
            while !flag.load(Ordering::Acquire) {
                assert!(start.elapsed() < std::time::Duration::from_secs(20), "the pool never ran the job");
                std::hint::spin_loop();
            }
        };
        let run = |suspend: bool| -> Vec<Read> {
            let started = AtomicBool::new(false);
            let foreign_done = Arc::new(AtomicBool::new(false));
            pool.install(|| {
                let work = || {
                    rayon::join(
                        || {
                            // The other thread has taken the second half.
                            spin(&started);
                            let done = Arc::clone(&foreign_done);
                            rayon::spawn(move || {
                                note(Facet::Text, 7);
                                done.store(true, Ordering::Release);
                            });
                        },
                        || {
                            started.store(true, Ordering::Release);
                            spin(&foreign_done);
                        },
                    )
                };
                capture(|| if suspend { suspended(work) } else { work() }).1
            })
        };
        assert_eq!(run(false), vec![Read::Note(Facet::Text, 7)]);
        assert_eq!(run(true), vec![]);
    }
}
