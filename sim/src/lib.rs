//! Meridian's discrete-event simulator: outages, failover, replication, latency and data-law
//! scenarios on a design, with Monte Carlo over many runs.
//!
//! The engine ([`engine`], [`queue`]) runs typed events in `(time, sequence)` order on integer
//! microseconds. [`compile`] turns a design, the catalog and a [`Scenario`] into dense tables;
//! [`world`] is the design as an engine model; a [`Simulation`] holds those tables, compiled once,
//! and runs the Monte Carlo ([`Simulation::monte_carlo`]: runs in parallel, merged into
//! [`SimResults`], with a progress callback and a cancellation flag) and the timeline of one run
//! ([`Simulation::trace`], for a scrubber) on them. [`simulate`] and [`trace_run`] are thin
//! wrappers for callers that need one of the two. This crate knows nothing of any GUI.

pub mod blame;
mod builtin;
pub mod cause;
pub mod common_cause;
pub mod compile;
pub mod concurrency;
pub mod consistency;
#[cfg(feature = "counters")]
pub mod counters;
pub mod datalaw;
pub mod dns;
pub mod engine;
pub mod incident;
pub mod operator;
pub mod outage;
pub mod phases;
pub mod queue;
pub mod recovery;
pub mod reference;
pub mod repair;
pub mod restore;
pub mod results;
pub mod rng;
pub mod run;
pub mod scaling;
pub mod scenario;
pub mod serve;
pub mod served;
pub mod simulation;
pub mod state;
pub mod stats;
pub mod tables;
pub mod trace;
pub mod world;

pub use builtin::{BUILTIN_NAMES, builtin};
pub use datalaw::{DataLawPredicate, DefaultDataLaw};
pub use engine::{Engine, Model, Scheduler, SimError};
pub use incident::incident_from_trace;
pub use results::{Estimate, SimResults, Timing};
pub use run::{Outcome, Progress, RunError, SimOptions};
pub use scenario::{Scenario, load_scenario_file, load_scenario_str};
pub use served::served_record;
pub use simulation::{Simulation, simulate, simulate_with_law, trace_run};
pub use trace::{StateAt, Trace};
