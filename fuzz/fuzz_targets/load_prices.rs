//! Fuzzes the price snapshot parser (`--prices`): any bytes must give a value or a located error, never a panic.
//!
//! Run with `cargo +nightly fuzz run load_prices` from the repository root. CI runs the stable fuzz
//! loop of `app/tests/fuzz.rs` instead.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use meridian_model::cost::PriceSnapshot;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = PriceSnapshot::parse(text, Path::new("fuzz.ron"));
    }
});
