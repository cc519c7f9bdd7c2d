//! Rows and results folders made up for the unit tests of the store and the report.

use std::collections::BTreeMap;
use std::path::Path;

use crate::row::{GateResult, Metrics, Row};
use crate::store::{LAYOUT_VERSION, Manifest, ResultsDir};

/// A row for combination `index`, with figures that differ from row to row (including floats
/// whose shortest form has many digits) and a failed gate on every third.
pub fn row(index: u64) -> Row {
    let passed = !index.is_multiple_of(3);
    let gate = |name: &str, ok: bool| GateResult {
        gate: name.into(),
        value: index as f64 / 7.0,
        passed: ok,
        detail: format!("{name} on {index}"),
    };
    Row {
        index,
        key: format!("d{} | region-outage | seed={index}", index % 2),
        design: format!("d{}.ron", index % 2),
        design_name: "Test design".into(),
        scenario: "region-outage".into(),
        params: BTreeMap::from([("dns_ttl".to_owned(), format!("{}s", 30 + index))]),
        edits: (index % 4) as u32,
        seed: index,
        runs: 20,
        horizon_s: 86_400.0,
        metrics: Metrics {
            availability_requests: 1.0 - index as f64 * 1.1e-7,
            rto_p95_s: 0.1 + index as f64,
            monthly_cost_usd: 1234.567 * (index + 1) as f64,
            events: index * 1000,
            ..Metrics::default()
        },
        gates: vec![gate("availability >= 0.999", true), gate("rto_p95 <= 5m", passed)],
        passed,
    }
}

/// The manifest of shard `shard` of `shards` of a plan of `combinations`.
pub fn manifest(combinations: u64, shard: u64, shards: u64) -> Manifest {
    Manifest {
        layout: LAYOUT_VERSION,
        plan: "test plan".into(),
        fingerprint: "f1ngerpr1nt".into(),
        combinations,
        shard,
        shards,
    }
}

/// Creates the results folder `dir` for `manifest` holding the rows of `indices`, written by the
/// store's own writer.
pub fn write_folder(dir: &Path, manifest: &Manifest, indices: impl IntoIterator<Item = u64>) {
    let mut out = ResultsDir::open(dir, manifest, false).unwrap();
    for i in indices {
        out.append(&row(i), 0.25).unwrap();
    }
    out.finish().unwrap();
}
