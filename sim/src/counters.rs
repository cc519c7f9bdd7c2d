//! Per-thread counts of the simulator's expensive steps, so that a test can prove a pipeline
//! compiles a design once (feature `counters`; never on in the binary).
//!
//! Counts are per thread because tests run in parallel: a test reads [`compiles`] before and
//! after the work it measures, on the thread that does it ([`compile`](crate::compile::compile)
//! runs on the caller's thread, never on the worker pool).

use std::cell::Cell;

thread_local! {
    static COMPILES: Cell<u64> = const { Cell::new(0) };
}

/// Designs compiled on this thread so far.
pub fn compiles() -> u64 {
    COMPILES.with(Cell::get)
}

/// Counts one compile on this thread.
pub(crate) fn count_compile() {
    COMPILES.with(|c| c.set(c.get() + 1));
}
