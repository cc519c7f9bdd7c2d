//! Fuzzes the scenario loader (against the active-active example design): any bytes must give a value or a located error, never a panic.
//!
//! Run with `cargo +nightly fuzz run load_scenario` from the repository root. CI runs the stable fuzz
//! loop of `app/tests/fuzz.rs` instead.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use meridian_model::{Catalog, format};

fuzz_target!(|data: &[u8]| {
    let Ok(catalog) = Catalog::builtin() else { return };
    let Ok(loaded) = format::load_str(include_str!("../../examples/active-active-2region.ron"), Path::new("d.ron"), catalog)
    else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = meridian_sim::load_scenario_str(text, Path::new("fuzz.ron"), &loaded.design);
    }
});
