//! Running a scenario on a design: Monte Carlo over runs in parallel, with progress and
//! cancellation, and the timeline of one chosen run.
//!
//! Runs are processed in chunks: a chunk runs in parallel on a rayon pool, then its results are
//! merged in run order. Each run draws from its own stream derived from `(seed, run)`, so the
//! results are bit-identical for any number of threads, and memory is bounded by the chunk.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Design};
use rayon::prelude::*;

use crate::compile::{Compiled, compile};
use crate::datalaw::{DataLawPredicate, DefaultDataLaw};
use crate::engine::{Engine, SimError};
use crate::results::{Aggregate, SimResults, Timing};
use crate::rng::run_stream;
use crate::scenario::Scenario;
use crate::stats::RunStats;
use crate::trace::Trace;
use crate::world::World;

/// Options that override the scenario's own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimOptions {
    /// Number of runs instead of the scenario's.
    pub runs: Option<u32>,
    /// Seed instead of the scenario's.
    pub seed: Option<u64>,
    /// Horizon instead of the scenario's.
    pub horizon: Option<TimeSpan>,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Keep each run's figures in [`SimResults::per_run`].
    pub keep_runs: bool,
}

impl SimOptions {
    /// The scenario with these overrides applied.
    pub fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut s = scenario.clone();
        if let Some(r) = self.runs {
            s.runs = r;
        }
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        if let Some(h) = self.horizon {
            s.horizon = h;
        }
        s
    }
}

/// Progress of a scenario run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Runs finished.
    pub runs_done: u32,
    /// Runs in total.
    pub runs_total: u32,
    /// Events simulated so far.
    pub events: u64,
}

/// Results and timing of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The deterministic results.
    pub results: SimResults,
    /// Wall-clock figures.
    pub timing: Timing,
}

/// Timeline bins in results.
pub const TIMELINE_BINS: usize = 240;
/// Runs per parallel chunk.
const CHUNK: u32 = 128;

/// Why a scenario could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The design cannot be compiled.
    #[error(transparent)]
    Compile(#[from] crate::compile::CompileError),
    /// The simulation stopped.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// The thread pool could not start.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// Why.
        message: String,
    },
}

/// Runs `scenario` on `design` with the default data-law predicate.
pub fn simulate(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Outcome, RunError> {
    simulate_with_law(design, catalog, scenario, options, &DefaultDataLaw, progress, cancel)
}

/// Runs `scenario` on `design`, with `law` deciding where each population's data may go.
pub fn simulate_with_law(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    law: &dyn DataLawPredicate,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Outcome, RunError> {
    let start = Instant::now();
    let scenario = options.apply(scenario);
    let c = compile(design, catalog, &scenario, law)?;
    let threads = if options.threads == 0 { rayon::current_num_threads() } else { options.threads };
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("sim-worker-{i}"))
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Threads { threads, message: e.to_string() })?;
    let mut agg = Aggregate::new(&c, scenario.seed, TIMELINE_BINS)?;
    if options.keep_runs {
        agg.keep_runs();
    }
    let total = scenario.runs;
    let mut done = 0u32;
    while done < total {
        if cancel.load(Ordering::Relaxed) {
            return Err(SimError::Cancelled.into());
        }
        let end = (done + CHUNK.min(total - done)).min(total);
        let chunk: Vec<Result<RunStats, SimError>> = pool.install(|| {
            (done..end)
                .into_par_iter()
                .map(|run| run_one(&c, scenario.seed, u64::from(run), false, cancel).map(|r| r.0))
                .collect()
        });
        for (k, r) in chunk.into_iter().enumerate() {
            agg.add(&c, u64::from(done) + k as u64, &r?)?;
        }
        done = end;
        progress(Progress { runs_done: done, runs_total: total, events: agg.events() });
    }
    let results = agg.finish(&c, design.name(), &scenario.name, total);
    let wall_s = start.elapsed().as_secs_f64();
    let timing = Timing { threads, wall_s, events_per_s: results.events_simulated as f64 / wall_s.max(1e-9) };
    Ok(Outcome { results, timing })
}

/// Simulates one run; returns its statistics and, when `tracing`, its timeline frames.
pub fn run_one(
    c: &Compiled,
    seed: u64,
    run: u64,
    tracing: bool,
    cancel: &AtomicBool,
) -> Result<(RunStats, Option<Vec<crate::trace::TraceFrame>>), SimError> {
    let world = World::new(c, run_stream(seed, run), TIMELINE_BINS, tracing);
    let mut engine = Engine::new(world);
    {
        let (world, sched) = engine.parts();
        world.start(sched)?;
    }
    engine.run(c.horizon_us, cancel)?;
    let events = engine.events_handled();
    let (mut stats, trace) = engine.into_model().finish(c.horizon_us, events);
    stats.sample_latency(&mut run_stream(seed ^ crate::results::LATENCY_SALT, run));
    Ok((stats, trace))
}

/// The timeline of run `run` of `scenario` on `design` (after `options`), for a timeline scrubber.
pub fn trace_run(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    run: u64,
    cancel: &AtomicBool,
) -> Result<Trace, RunError> {
    let scenario = options.apply(scenario);
    let c = compile(design, catalog, &scenario, &DefaultDataLaw)?;
    let (_, frames) = run_one(&c, scenario.seed, run, true, cancel)?;
    Ok(Trace::new(&c, run, frames.unwrap_or_default()))
}
