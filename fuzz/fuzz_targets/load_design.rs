//! Fuzzes the design loader: any bytes must give a design or a located error, never a panic.
//!
//! Run with `cargo +nightly fuzz run load_design` from the repository root. CI runs the stable
//! fuzz loop of `app/tests/fuzz.rs` (and the proptest `loader_never_panics_*` tests) instead.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use meridian_model::{Catalog, format};

fuzz_target!(|data: &[u8]| {
    if let Ok(catalog) = Catalog::builtin() {
        let _ = format::load_bytes(data, Path::new("fuzz.ron"), catalog);
    }
});
