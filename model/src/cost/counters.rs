//! Per-thread counts of bills built, so that a test can prove a pipeline prices a design once
//! (feature `counters`; never on in the binary).
//!
//! Counts are per thread because tests run in parallel: a test reads [`bills`] before and after
//! the work it measures, on the thread that does it.

use std::cell::Cell;

thread_local! {
    static BILLS: Cell<u64> = const { Cell::new(0) };
}

/// Bills built on this thread so far (by [`bill_with`](super::bill_with), which [`bill`](super::bill()) calls).
pub fn bills() -> u64 {
    BILLS.with(Cell::get)
}

/// Counts one bill on this thread.
pub(crate) fn count_bill() {
    BILLS.with(|c| c.set(c.get() + 1));
}
