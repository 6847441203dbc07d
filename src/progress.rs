//! How far a build has got, for a progress bar drawn by another thread.
//!
//! The builder names each stage as it starts, with the number of items it
//! will handle (0 when it cannot tell), and counts items as they are done;
//! a reporter (the `lode` command's progress bar) reads the three values
//! whenever it likes. Updates are relaxed atomics: a reader may see a count
//! from just before or after a stage change, which a progress bar tolerates.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A build's current stage and its count of items done out of a total.
#[derive(Debug, Default)]
pub struct Progress {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Starts `stage` ("rendering pages") with `total` items (0: unknown).
    pub fn start(&self, stage: &'static str, total: usize) {
        *self.stage.lock().unwrap_or_else(|e| e.into_inner()) = stage;
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    /// Counts one more item of the current stage as done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// The current stage (empty before the first), items done, and total
    /// (0: unknown).
    pub fn get(&self) -> (&'static str, usize, usize) {
        let stage = *self.stage.lock().unwrap_or_else(|e| e.into_inner());
        (stage, self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }
}

/// The line a finished build prints: "Built 1 note into 3 pages in 12 ms",
/// with each count's noun in the singular for 1 (`lode build`, `lode serve`).
pub fn built_summary(notes: usize, pages: usize, millis: u128) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    format!("Built {notes} note{} into {pages} page{} in {millis} ms", s(notes), s(pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_stage_resets_the_count() {
        let p = Progress::default();
        assert_eq!(p.get(), ("", 0, 0));
        p.start("reading notes", 3);
        p.tick();
        p.tick();
        assert_eq!(p.get(), ("reading notes", 2, 3));
        p.start("rendering pages", 10);
        assert_eq!(p.get(), ("rendering pages", 0, 10));
    }
}
