//! Fuzzes the design loader: any bytes must give a design or a located error, never a panic.
//!
//! Run with `cargo +nightly fuzz run load_design` from the repository root. CI runs the
//! stable proptest `loader_never_panics_*` tests in `model/tests/properties.rs` instead.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use meridian_model::{Catalog, format};

fuzz_target!(|data: &[u8]| {
    if let Ok(catalog) = Catalog::builtin() {
        let _ = format::load_bytes(data, Path::new("fuzz.ron"), catalog);
    }
});
