//! Phase timings of a run (the load's read, parse, merge, assemble; the ranking after the
//! measures), kept when asked for: the CLI's `--timings` turns them on and prints them;
//! nothing is kept otherwise.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);
static KEPT: Mutex<Vec<(&'static str, f64)>> = Mutex::new(Vec::new());

/// Keep phase timings from now on.
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Record that `phase` took the time since `start` (when timings are on).
pub(crate) fn record(phase: &'static str, start: Instant) {
    if ON.load(Ordering::Relaxed) {
        let s = start.elapsed().as_secs_f64();
        KEPT.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((phase, s));
    }
}

/// The phases recorded so far, in order, in seconds; the record is emptied.
pub fn take() -> Vec<(&'static str, f64)> {
    std::mem::take(&mut *KEPT.lock().unwrap_or_else(|e| e.into_inner()))
}
