//! One row of results: a combination, its figures and its gates. Rows are what the results file
//! holds, one JSON object a line, and what reports list, in combination order.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The figures of one combination. Deterministic: no wall-clock figure is here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metrics {
    /// Request-based availability, mean over runs.
    pub availability_requests: f64,
    /// Time-based availability, mean over runs.
    pub availability_time: f64,
    /// Downtime in minutes per year, mean.
    pub downtime_min_per_year: f64,
    /// Recoveries measured.
    pub rto_count: u64,
    /// 95th percentile of recovery times, seconds (0 when nothing failed).
    pub rto_p95_s: f64,
    /// Data-loss windows measured.
    pub rpo_count: u64,
    /// 95th percentile of data-loss windows, seconds (0 when nothing was lost).
    pub rpo_p95_s: f64,
    /// Writes lost per run, mean.
    pub writes_lost_per_run: f64,
    /// Conflicting writes per day, mean.
    pub conflicts_per_day: f64,
    /// Worst population's 95th-percentile latency in normal operation, milliseconds.
    pub latency_p95_ms: f64,
    /// Minutes per run with requests or writes outside allowed jurisdictions, summed over populations.
    pub data_law_minutes_per_run: f64,
    /// Requests per run served outside allowed jurisdictions, summed over populations.
    pub data_law_requests_per_run: f64,
    /// Writes per run landing outside allowed jurisdictions, summed over populations.
    pub data_law_writes_per_run: f64,
    /// Unwaived violations of the static data-law check under the plan's policies.
    pub static_violations: u64,
    /// Monthly bill, USD (on-demand, embedded price snapshot).
    pub monthly_cost_usd: f64,
    /// Events simulated in all runs.
    pub events: u64,
    /// The design's own targets evaluated (`meridian_assess::targets`): how many it states.
    #[serde(default)]
    pub targets_stated: u64,
    /// ... and how many of them the combination misses.
    #[serde(default)]
    pub targets_missed: u64,
    /// The missed targets, each as `label: measured, target` (empty when none is missed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets_missed_detail: Vec<String>,
}

/// The outcome of one gate on one combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateResult {
    /// The gate, e.g. `availability >= 0.9999`.
    pub gate: String,
    /// The figure compared.
    pub value: f64,
    /// Whether it passed.
    pub passed: bool,
    /// The comparison in a sentence.
    pub detail: String,
}

/// One combination's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Position in the plan's combination order (0-based).
    pub index: u64,
    /// A readable key: `design | scenario | param=value,... | seed=S`.
    pub key: String,
    /// The design file, relative to the plan's folder, with `/` separators.
    pub design: String,
    /// The design's name.
    pub design_name: String,
    /// The scenario (built-in name or file as written in the plan).
    pub scenario: String,
    /// Swept parameters and their values.
    pub params: BTreeMap<String, String>,
    /// Entities the sweeps edited.
    pub edits: u32,
    /// Seed.
    pub seed: u64,
    /// Runs.
    pub runs: u32,
    /// Simulated time per run, seconds.
    pub horizon_s: f64,
    /// The figures.
    pub metrics: Metrics,
    /// Every gate, in plan order.
    pub gates: Vec<GateResult>,
    /// Whether every gate passed.
    pub passed: bool,
}
