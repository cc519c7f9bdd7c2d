//! Running a scenario on a design: the options, progress and outcome of a run, and one run of
//! the engine ([`run_one`]). [`crate::Simulation`] drives the runs; [`crate::simulate`] and
//! [`crate::trace_run`] are thin wrappers over it for callers that need one thing once.
//!
//! Runs are processed in chunks: a chunk runs in parallel on a rayon pool, then its results are
//! merged in run order. Each run draws from its own stream derived from `(seed, run)`, so the
//! results are bit-identical for any number of threads, and memory is bounded by the chunk.

use std::sync::atomic::AtomicBool;

use meridian_model::time::TimeSpan;

use crate::engine::{Engine, SimError};
use crate::results::{SimResults, Timing};
use crate::rng::run_stream;
use crate::scenario::Scenario;
use crate::stats::RunStats;
use crate::tables::Compiled;
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
pub(crate) const CHUNK: u32 = 128;

/// Why a scenario could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The design cannot be compiled.
    #[error(transparent)]
    Compile(#[from] crate::tables::CompileError),
    /// The simulation stopped.
    #[error(transparent)]
    Sim(#[from] SimError),
    /// More simulated time than [`crate::scenario::MAX_RUN_YEARS`] was asked for.
    #[error("{0}")]
    TooLong(String),
    /// The thread pool could not start.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// Why.
        message: String,
    },
}

impl RunError {
    /// Whether the design itself is at fault (something AWS refuses to build), not the program.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, RunError::Compile(crate::tables::CompileError::Refused { .. }) | RunError::TooLong(_))
    }
}

/// Simulates one run; returns its statistics and, when `tracing`, its timeline frames and the
/// time they cover until (the horizon, or earlier when the trace reached its bound).
pub fn run_one(
    c: &Compiled,
    seed: u64,
    run: u64,
    tracing: bool,
    cancel: &AtomicBool,
) -> Result<(RunStats, Option<crate::trace::Traced>), SimError> {
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
