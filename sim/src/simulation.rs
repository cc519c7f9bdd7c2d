//! [`Simulation`]: a design and a scenario compiled once, then run as many ways as a caller
//! needs (the Monte Carlo runs, the timeline of one run) on the same tables.
//!
//! Compiling turns the design, the catalog, the scenario (after the caller's overrides) and the
//! data-law predicate into dense tables ([`Compiled`]). Everything a caller asks afterwards reads
//! those tables: [`Simulation::monte_carlo`] runs every run in parallel and merges them in run
//! order; [`Simulation::trace`] replays one run with its timeline. A run of a trace is the same run
//! as in the Monte Carlo (the same `(seed, run)` stream), so the two agree.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use meridian_model::{Catalog, Design};
use rayon::prelude::*;

use crate::compile::compile;
use crate::datalaw::{DataLawPredicate, DefaultDataLaw};
use crate::engine::SimError;
use crate::results::{Aggregate, Timing};
use crate::run::{CHUNK, Outcome, Progress, RunError, SimOptions, TIMELINE_BINS, run_one};
use crate::scenario::Scenario;
use crate::stats::RunStats;
use crate::tables::Compiled;
use crate::trace::Trace;

/// A design under a scenario, compiled once.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    compiled: Compiled,
    scenario: Scenario,
    design: String,
    threads: usize,
    keep_runs: bool,
}

impl Simulation {
    /// Compiles `design` under `scenario` with `options` applied, with the default data-law
    /// predicate ([`DefaultDataLaw`]).
    pub fn new(
        design: &Design,
        catalog: &Catalog,
        scenario: &Scenario,
        options: &SimOptions,
    ) -> Result<Simulation, RunError> {
        Simulation::with_law(design, catalog, scenario, options, &DefaultDataLaw)
    }

    /// Compiles `design` under `scenario` with `options` applied, with `law` deciding where each
    /// population's data may go.
    pub fn with_law(
        design: &Design,
        catalog: &Catalog,
        scenario: &Scenario,
        options: &SimOptions,
        law: &dyn DataLawPredicate,
    ) -> Result<Simulation, RunError> {
        let scenario = options.apply(scenario);
        crate::scenario::check_run_years(scenario.runs, scenario.horizon).map_err(RunError::TooLong)?;
        let compiled = compile(design, catalog, &scenario, law)?;
        Ok(Simulation {
            compiled,
            scenario,
            design: design.name().to_owned(),
            threads: options.threads,
            keep_runs: options.keep_runs,
        })
    }

    /// The scenario as simulated: the caller's runs, seed and horizon applied.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The compiled tables.
    pub fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// Runs every run of the scenario on a pool of worker threads (`sim-worker-N`), reporting
    /// `progress` after each run and stopping when `cancel` is set. The results are
    /// bit-identical for any number of threads; the timing covers the runs, not the compile.
    pub fn monte_carlo(
        &self,
        progress: &(dyn Fn(Progress) + Sync),
        cancel: &AtomicBool,
    ) -> Result<Outcome, RunError> {
        let start = Instant::now();
        let c = &self.compiled;
        let seed = self.scenario.seed;
        // One per core by default, read from the system rather than rayon's global pool (which
        // would start as many threads as RAYON_NUM_THREADS says, 100,000 included); never more
        // threads than runs. Results do not depend on the count.
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let wanted = if self.threads == 0 { cores } else { self.threads };
        let threads = wanted.min(usize::try_from(self.scenario.runs).unwrap_or(usize::MAX)).max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("sim-worker-{i}"))
            .num_threads(threads)
            .build()
            .map_err(|e| RunError::Threads { threads, message: e.to_string() })?;
        let mut agg = Aggregate::new(c, seed, TIMELINE_BINS)?;
        if self.keep_runs {
            agg.keep_runs();
        }
        let total = self.scenario.runs;
        let mut done = 0u32;
        while done < total {
            if cancel.load(Ordering::Relaxed) {
                return Err(SimError::Cancelled.into());
            }
            let end = (done + CHUNK.min(total - done)).min(total);
            // Progress after every run, not only every chunk: a large design's runs take seconds
            // each, and a chunk is up to CHUNK runs. The counter is locked while reporting, so
            // the reported count never goes back.
            let events_before = agg.events();
            let finished = std::sync::Mutex::new(done);
            let chunk: Vec<Result<RunStats, SimError>> = pool.install(|| {
                (done..end)
                    .into_par_iter()
                    .map(|run| {
                        let r = run_one(c, seed, u64::from(run), false, cancel).map(|r| r.0);
                        if let Ok(mut n) = finished.lock() {
                            *n += 1;
                            progress(Progress { runs_done: *n, runs_total: total, events: events_before });
                        }
                        r
                    })
                    .collect()
            });
            for (k, r) in chunk.into_iter().enumerate() {
                agg.add(c, u64::from(done) + k as u64, &r?)?;
            }
            done = end;
            progress(Progress { runs_done: done, runs_total: total, events: agg.events() });
        }
        let results = agg.finish(c, &self.design, &self.scenario.name, total);
        let wall_s = start.elapsed().as_secs_f64();
        let timing =
            Timing { threads, wall_s, events_per_s: results.events_simulated as f64 / wall_s.max(1e-9) };
        Ok(Outcome { results, timing })
    }

    /// The timeline of run `run`, for a timeline scrubber, the incident of a run and the data-law
    /// record of where each population was served.
    pub fn trace(&self, run: u64, cancel: &AtomicBool) -> Result<Trace, RunError> {
        let (_, traced) = run_one(&self.compiled, self.scenario.seed, run, true, cancel)?;
        let (frames, end) = traced.unwrap_or((Vec::new(), self.compiled.horizon_us));
        let mut trace = Trace::new(&self.compiled, run, frames);
        trace.horizon_us = end;
        Ok(trace)
    }
}

/// Runs `scenario` on `design` with the default data-law predicate: [`Simulation::new`], then
/// [`Simulation::monte_carlo`]. Callers that also trace a run build the [`Simulation`] once.
pub fn simulate(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Outcome, RunError> {
    Simulation::new(design, catalog, scenario, options)?.monte_carlo(progress, cancel)
}

/// Runs `scenario` on `design`, with `law` deciding where each population's data may go:
/// [`Simulation::with_law`], then [`Simulation::monte_carlo`].
pub fn simulate_with_law(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    law: &dyn DataLawPredicate,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Outcome, RunError> {
    Simulation::with_law(design, catalog, scenario, options, law)?.monte_carlo(progress, cancel)
}

/// The timeline of run `run` of `scenario` on `design` (after `options`), for a timeline scrubber:
/// [`Simulation::new`], then [`Simulation::trace`].
pub fn trace_run(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    run: u64,
    cancel: &AtomicBool,
) -> Result<Trace, RunError> {
    Simulation::new(design, catalog, scenario, options)?.trace(run, cancel)
}
