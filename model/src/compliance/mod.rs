//! Data-law compliance: where each class of data can go, checked against policies as code.
//!
//! Data classes are labels on populations and services (`personal:EU`). [`flow`] follows the data
//! a population writes from its entry service along routing, dependency, replication, backup and
//! CDN links to every place it can reach, keeping the whole path. [`check_static`] evaluates
//! [`Policy`] rules on that reach; [`check_dynamic`] evaluates them on a simulator's record of
//! where each population was served. [`replication_constraints`] tells the infrastructure-code
//! export which stores must not replicate across a boundary, and why. Rules, groups and transfer
//! bases are data in `assets/compliance/`.

mod check;
mod dynamic;
pub mod flow;
mod iac;
pub mod jurisdiction;
pub mod policy;

pub use check::{Finding, Level, Report, check_static};
pub use dynamic::{
    DynamicReport, DynamicViolation, RecordError, ScenarioRecord, ServedInterval, check_dynamic,
};
pub use flow::{DataPath, PathStep, Reach, data_reach};
pub use iac::{ReplicationConstraint, replication_constraints};
pub use jurisdiction::{BasisKind, Jurisdictions, TransferBasis};
pub use policy::{Place, Policy, Rule, RuleKind, RuleKindTag, class_matches};
