//! Running a plan (or one shard of it): each combination simulated, priced, checked and gated,
//! its row streamed to the results folder as soon as it finishes.
//!
//! Each combination is one assessment ([`meridian_assess::assess`]: the Monte Carlo, the bill and
//! the static data-law check, the same pipeline as `meridian compare`), with the plan's policies
//! and the embedded prices lent to every combination. Combinations run one after another; each
//! one's Monte Carlo runs are spread over the worker threads, so a plan costs what its
//! simulations cost. Memory is that of one combination (one design, one scenario's
//! accumulators), whatever the plan's size.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use meridian_assess::assessment::{AssessError, AssessOptions, Want, assess};
use meridian_model::cost::PriceSnapshot;
use meridian_model::format::LoadError;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Design, format};
use meridian_sim::{Progress, SimOptions, SimResults};

use crate::error::BatchError;
use crate::matrix::{Combination, Matrix};
use crate::row::{Metrics, Row};
use crate::store::{LAYOUT_VERSION, Manifest, ResultsDir};
use crate::sweep::apply_sweeps;

/// Which slice of the plan to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u64,
    /// Shards in all (1: the whole plan).
    pub count: u64,
}

impl Shard {
    /// The whole plan.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };
}

/// Options of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    /// The slice to run.
    pub shard: Shard,
    /// Keep the finished results in the folder and run only the rest.
    pub resume: bool,
    /// Worker threads per simulation (0: one per core).
    pub threads: usize,
}

/// Progress over the whole slice, in simulation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanProgress {
    /// Combinations finished (including those resumed).
    pub combinations_done: u64,
    /// Combinations in the slice.
    pub combinations_total: u64,
    /// Simulation runs finished in this process.
    pub runs_done: u64,
    /// Simulation runs this process has to do.
    pub runs_total: u64,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSummary {
    /// Combinations in the slice.
    pub combinations: u64,
    /// Combinations found finished and kept.
    pub resumed: u64,
    /// Combinations run now.
    pub ran: u64,
}

/// The manifest of `shard` of `m`.
pub fn manifest(m: &Matrix, shard: Shard) -> Manifest {
    Manifest {
        layout: LAYOUT_VERSION,
        plan: m.plan.name.clone(),
        fingerprint: m.fingerprint.clone(),
        combinations: m.total(),
        shard: shard.index,
        shards: shard.count,
    }
}

/// The most simulated time one process may run of a plan (one shard, or the whole plan without
/// `--shard`): 1,000,000 run-years, ten scenarios at their largest
/// ([`meridian_sim::scenario::MAX_RUN_YEARS`]). At about 400 run-years a second on a loaded
/// 2-core machine (release build) that is under an hour; more is split over shards.
pub const MAX_SHARD_RUN_YEARS: u64 = 1_000_000;

/// The most combinations one process may run: 10,000, as many as a plan may list seeds (each
/// costs a design edit, a bill and a static check besides its runs: about 10 to 20 ms on a
/// loaded 2-core machine, so minutes); more are split over shards.
pub const MAX_SHARD_COMBINATIONS: u64 = 10_000;

/// The runs and horizon of combination `c` (after the plan's overrides).
fn work_of(
    m: &Matrix,
    design: &Design,
    catalog: &Catalog,
    c: &Combination,
) -> Result<(u32, TimeSpan), BatchError> {
    if let (Some(runs), Some(horizon)) = (m.plan.runs, m.plan.horizon) {
        return Ok((runs, horizon));
    }
    let s = m.scenarios[c.scenario].resolve(design, catalog)?;
    Ok((m.plan.runs.unwrap_or(s.runs), m.plan.horizon.unwrap_or(s.horizon)))
}

/// The error for a shard over its budget: what it asks for and how to split it, located in the
/// plan file at the field that multiplies the work most: `runs` for simulated time when the
/// plan sets it, else the longest of `seeds`, `sweeps` (their values multiplied) and
/// `scenarios`.
fn over_budget(m: &Matrix, what: &str, shard: Shard, time: bool) -> BatchError {
    let part = if shard.count == 1 {
        "the plan".to_owned()
    } else {
        format!("shard {}/{}", shard.index, shard.count)
    };
    let message = format!(
        "{part} asks for {what}; one process runs at most {MAX_SHARD_COMBINATIONS} combinations and \
         {MAX_SHARD_RUN_YEARS} simulated years: split it over more shards (`--shard K/N`, or `--emit` for a cluster)"
    );
    let plan = &m.plan;
    let sweeps = plan.sweeps.iter().fold(1usize, |n, s| n.saturating_mul(s.len()));
    let field = if time && plan.runs.is_some() {
        "runs"
    } else if plan.seeds.len() >= sweeps.max(plan.scenarios.len()) {
        "seeds"
    } else if sweeps >= plan.scenarios.len() {
        "sweeps"
    } else {
        "scenarios"
    };
    // The plan was read once already (bounded); a failure to read it again leaves the message
    // at the file's start.
    let text = std::fs::read_to_string(&m.plan_path).unwrap_or_default();
    let (line, col) = crate::plan::position(&text, field);
    BatchError::Load(LoadError {
        file: m.plan_path.clone(),
        line,
        col,
        message,
        field: Some(field.to_owned()),
    })
}

/// Checks the budget of one process ([`MAX_SHARD_COMBINATIONS`], [`MAX_SHARD_RUN_YEARS`]) over
/// the combinations of `shard`, before anything is written or run (cheap: scenarios are built,
/// not run; counting stops at the first total over the budget). `--emit` checks shard 0, the
/// largest.
///
/// # Errors
/// The budget exceeded, located in the plan; a design or scenario that does not load.
pub fn check_budget(m: &Matrix, catalog: &Catalog, shard: Shard) -> Result<(), BatchError> {
    const YEAR_US: u128 = 36_525 * 864 * 1_000_000;
    let count = m.shard_indices(shard.index, shard.count).count() as u64;
    if count > MAX_SHARD_COMBINATIONS {
        return Err(over_budget(m, &format!("{count} combinations"), shard, false));
    }
    let mut cache = DesignCache { index: None, design: None };
    let mut simulated_us = 0u128;
    for i in m.shard_indices(shard.index, shard.count) {
        let c = m.combination(i);
        let design = cache.get(m, catalog, c.design)?;
        let (runs, horizon) = work_of(m, design, catalog, &c)?;
        simulated_us += u128::from(runs) * u128::from(horizon.as_micros());
        if simulated_us > u128::from(MAX_SHARD_RUN_YEARS) * YEAR_US {
            let years = simulated_us / YEAR_US;
            return Err(over_budget(
                m,
                &format!("at least {years} simulated years (runs x horizon)"),
                shard,
                true,
            ));
        }
    }
    Ok(())
}

/// Caches the last design loaded: combinations of one design are adjacent in an unsharded plan.
struct DesignCache {
    index: Option<usize>,
    design: Option<Design>,
}

impl DesignCache {
    fn get(&mut self, m: &Matrix, catalog: &Catalog, i: usize) -> Result<&Design, BatchError> {
        if self.index != Some(i) || self.design.is_none() {
            let d = format::load_file(&m.designs[i].path, catalog)?.design;
            self.design = Some(d);
            self.index = Some(i);
        }
        self.design.as_ref().ok_or_else(|| BatchError::Input("design cache is empty".into()))
    }
}

/// Runs `options.shard` of `m` into `dir`; `progress` is called as simulation runs finish.
pub fn run_plan(
    m: &Matrix,
    catalog: &Catalog,
    dir: &Path,
    options: &RunOptions,
    progress: &(dyn Fn(PlanProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<RunSummary, BatchError> {
    let shard = options.shard;
    if shard.count == 0 || shard.index >= shard.count {
        return Err(BatchError::Input(format!(
            "shard {}/{} does not exist: K must be from 0 to N-1",
            shard.index, shard.count
        )));
    }
    check_budget(m, catalog, shard)?;
    let mut out = ResultsDir::open(dir, &manifest(m, shard), options.resume)?;
    let done: std::collections::BTreeSet<u64> = out.done().iter().copied().collect();
    let todo: Vec<u64> = m.shard_indices(shard.index, shard.count).filter(|i| !done.contains(i)).collect();
    let prices = PriceSnapshot::builtin().map_err(|e| BatchError::Prices(e.to_string()))?;
    let mut cache = DesignCache { index: None, design: None };
    // Count the runs ahead for the progress bar (cheap: scenarios are built, not run).
    let mut runs_total = 0u64;
    for &i in &todo {
        let c = m.combination(i);
        let design = cache.get(m, catalog, c.design)?;
        runs_total += u64::from(work_of(m, design, catalog, &c)?.0);
    }
    let combinations_total = done.len() as u64 + todo.len() as u64;
    let mut state =
        PlanProgress { combinations_done: done.len() as u64, combinations_total, runs_done: 0, runs_total };
    progress(state);
    for &i in &todo {
        let started = Instant::now();
        let c = m.combination(i);
        let base = state.runs_done;
        let on_runs = |p: Progress| {
            progress(PlanProgress { runs_done: base + u64::from(p.runs_done), ..state });
        };
        let design = cache.get(m, catalog, c.design)?;
        let row = run_combination(m, catalog, prices, design, &c, options.threads, &on_runs, cancel)?;
        out.append(&row, started.elapsed().as_secs_f64())?;
        state.runs_done = base + u64::from(row.runs);
        state.combinations_done += 1;
        progress(state);
    }
    out.finish()?;
    Ok(RunSummary { combinations: combinations_total, resumed: done.len() as u64, ran: todo.len() as u64 })
}

/// The row key of `c`.
pub fn key(m: &Matrix, c: &Combination) -> String {
    let mut k = format!("{} | {}", m.designs[c.design].rel, m.scenarios[c.scenario].label());
    if !m.plan.sweeps.is_empty() {
        let params: Vec<String> = m
            .plan
            .sweeps
            .iter()
            .zip(&c.choice)
            .map(|(s, &v)| format!("{}={}", s.name(), s.label(v)))
            .collect();
        k.push_str(" | ");
        k.push_str(&params.join(","));
    }
    if let Some(seed) = c.seed {
        k.push_str(" | seed=");
        k.push_str(&seed.to_string());
    }
    k
}

/// Simulates, prices, checks and gates one combination.
#[allow(clippy::too_many_arguments)]
pub fn run_combination(
    m: &Matrix,
    catalog: &Catalog,
    prices: &PriceSnapshot,
    design: &Design,
    c: &Combination,
    threads: usize,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Row, BatchError> {
    let key = key(m, c);
    let (swept, edits) = apply_sweeps(design, catalog, &m.plan.sweeps, &c.choice)
        .map_err(|e| BatchError::Sweep { index: c.index, message: e.to_string() })?;
    let scenario = m.scenarios[c.scenario].resolve(&swept, catalog)?;
    let want = Want::SIMULATION | Want::BILL | Want::STATIC_LAW;
    let options = AssessOptions {
        sim: SimOptions {
            runs: m.plan.runs,
            seed: c.seed,
            horizon: m.plan.horizon,
            threads,
            keep_runs: false,
        },
        ..AssessOptions::new(want, prices, &m.policies)
    };
    let failed = |source| BatchError::Assess { index: c.index, key: key.clone(), source };
    let a = assess(&swept, catalog, &scenario, &options, progress, cancel).map_err(failed)?;
    let (Some(r), Some(bill)) = (&a.results, &a.bill) else {
        return Err(failed(AssessError::Missing(want)));
    };
    let mut metrics = metrics(r, a.data_law.static_violations() as u64, bill.total_usd_per_month);
    if let Some(t) = &a.targets {
        metrics.targets_stated = t.checks.len() as u64;
        metrics.targets_missed = t.missed() as u64;
        metrics.targets_missed_detail = t
            .checks
            .iter()
            .filter(|c| c.missed())
            .map(|c| format!("{}: {}, needs {}", c.label(), c.measured_text(), c.target_text()))
            .collect();
    }
    let gates: Vec<_> = m.plan.gates.iter().map(|g| g.evaluate(&metrics)).collect();
    let params: BTreeMap<String, String> =
        m.plan.sweeps.iter().zip(&c.choice).map(|(s, &v)| (s.name().to_owned(), s.label(v))).collect();
    Ok(Row {
        index: c.index,
        key,
        design: m.designs[c.design].rel.clone(),
        design_name: swept.name().to_owned(),
        scenario: m.scenarios[c.scenario].label().to_owned(),
        params,
        edits,
        seed: r.seed,
        runs: r.runs,
        horizon_s: r.horizon_s,
        passed: gates.iter().all(|g| g.passed),
        metrics,
        gates,
    })
}

/// The figures of a row from simulation results, the static check and the bill.
pub fn metrics(r: &SimResults, static_violations: u64, monthly_cost_usd: f64) -> Metrics {
    let latency_p95_ms = r.latency.values().map(|l| l.normal.p95_ms).fold(0.0, f64::max);
    Metrics {
        availability_requests: r.availability_requests.mean,
        availability_time: r.availability_time.mean,
        downtime_min_per_year: r.downtime_min_per_year.mean,
        rto_count: r.rto_s.count,
        rto_p95_s: r.rto_s.p95,
        rpo_count: r.rpo_s.count,
        rpo_p95_s: r.rpo_s.p95,
        writes_lost_per_run: r.writes_lost.mean,
        conflicts_per_day: r.conflicts_per_day.mean,
        latency_p95_ms,
        data_law_minutes_per_run: r.data_law.values().map(|d| d.minutes_per_run).sum(),
        data_law_requests_per_run: r.data_law.values().map(|d| d.requests_per_run).sum(),
        data_law_writes_per_run: r.data_law.values().map(|d| d.writes_per_run).sum(),
        static_violations,
        monthly_cost_usd,
        events: r.events_simulated,
        ..Metrics::default()
    }
}
