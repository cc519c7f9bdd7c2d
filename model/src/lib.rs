//! Meridian's design model.
//!
//! A [`Design`] holds regions, services, links and user populations. It changes only through
//! [`Command`]s applied by [`apply`] (or an [`Editor`], which adds undo and redo), which keep the
//! invariants described in `ARCHITECTURE.md`. [`Catalog`] describes AWS regions and service kinds
//! with cited figures; [`mod@format`] reads and writes design files; [`validate`] lists problems a
//! valid design may still have. This crate knows nothing of the GUI or the simulator.

pub mod catalog;
mod check;
mod command;
pub mod compliance;
pub mod consistency;
pub mod cost;
pub mod design;
pub mod diff;
pub mod dist;
pub mod edit;
pub mod format;
pub mod geo;
mod history;
pub mod ids;
pub mod kind;
pub mod latency;
pub mod numbers;
pub mod shell;
pub mod sizing;
pub mod synth;
pub mod tags;
pub mod targets;
mod text;
pub mod time;
pub mod validate;
pub mod variants;

pub use catalog::Catalog;
pub use check::{
    CommandError, MAX_COUNT, MAX_LABELS, MAX_NAME_CHARS, MAX_TAG_KEY_CHARS, MAX_TAG_VALUE_CHARS, MAX_TAGS,
    MAX_TEXT_CHARS, check_all, check_name, check_text,
};
pub use command::{Command, apply};
pub use design::{Design, EntityRef};
pub use history::{DesignStamp, Editor};
pub use ids::{AnnotationId, LinkId, PopulationId, RegionId, ServiceId};
pub use kind::ServiceKind;
