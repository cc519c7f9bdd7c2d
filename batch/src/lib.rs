//! Meridian's batch runs: a plan of designs x scenarios x parameter sweeps x seeds, gates on
//! every combination, results streamed to disk so a run can resume, deterministic shards and a
//! merge that reproduces the unsharded result byte for byte, and manifests for running the
//! shards on Kubernetes or AWS Batch.
//!
//! [`plan`] is the file format (`docs/batch.md`); [`Matrix`] resolves it and numbers the
//! combinations; [`sweep`] edits designs through model commands; [`runner`] runs a slice into a
//! results folder ([`store`]); [`report`] and [`junit`] read folders back, merging shards;
//! [`emit`] writes the cluster manifests. Depends on `meridian-model` and `meridian-sim`, never
//! on a GUI crate.

pub mod emit;
mod error;
pub mod gate;
pub mod junit;
pub mod matrix;
pub mod plan;
pub mod report;
pub mod row;
pub mod runner;
pub mod store;
pub mod sweep;
#[cfg(test)]
mod testutil;

pub use error::BatchError;
pub use gate::Gate;
pub use matrix::{Combination, Matrix};
pub use plan::{Plan, load_plan, load_plan_str};
pub use report::{ResultSet, Summary, write_report};
pub use row::{GateResult, Metrics, Row};
pub use runner::{
    MAX_SHARD_COMBINATIONS, MAX_SHARD_RUN_YEARS, PlanProgress, RunOptions, RunSummary, Shard, check_budget,
    run_plan,
};
pub use sweep::Sweep;
