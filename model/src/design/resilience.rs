//! How the design's team and its changes behave when things fail: repair capacity, the
//! common-cause share of failures, and how a change reaches the regions.

use serde::{Deserialize, Serialize};

use crate::ids::RegionId;
use crate::time::TimeSpan;

/// Design-level settings of correlated failures and repair. Every field is optional; an empty
/// `Resilience` is what designs without the section mean (no repair limit, the catalog's beta
/// factor, all regions changed at once).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resilience {
    /// How many failures the team can repair at once; the rest wait their turn (absent: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_crews: Option<u32>,
    /// Beta factor: the share of a deployment group's failure rate that hits every member at
    /// once (a bad change, a shared bug), 0 to 1 (absent: the catalog's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common_cause_beta: Option<f64>,
    /// How a change reaches the regions.
    #[serde(default, skip_serializing_if = "Deployment::is_all_at_once")]
    pub deployment: Deployment,
}

impl Resilience {
    /// Whether nothing is set (the section is left out of files).
    pub fn is_default(&self) -> bool {
        *self == Resilience::default()
    }
}

/// How a change (a deployment or a configuration push) reaches the regions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Deployment {
    /// Every region at once: a bad change reaches all of them.
    #[default]
    AllAtOnce,
    /// Region by region, each wave baking before the next: a bad change noticed within the bake
    /// time stops before it reaches the next region.
    Staggered {
        /// Time a wave runs before the next starts (absent: the catalog's default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bake: Option<TimeSpan>,
        /// Regions in the order changes reach them; regions not listed follow in id order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        order: Vec<RegionId>,
    },
}

impl Deployment {
    /// Whether this is [`Deployment::AllAtOnce`].
    pub fn is_all_at_once(&self) -> bool {
        *self == Deployment::AllAtOnce
    }

    /// A display name.
    pub fn label(&self) -> &'static str {
        match self {
            Deployment::AllAtOnce => "all regions at once",
            Deployment::Staggered { .. } => "staggered, region by region",
        }
    }
}

/// How reads at an Aurora secondary that forwards writes see those writes
/// (`aurora_replica_read_consistency`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReadConsistency {
    /// Reads do not wait: they may miss recent writes, even the session's own.
    Eventual,
    /// A session's reads wait until its own forwarded writes have replicated back.
    Session,
    /// Every read waits until the secondary has caught up with the writer.
    Global,
}

impl ReadConsistency {
    /// Every level, in the order the inspector offers them.
    pub const ALL: [ReadConsistency; 3] =
        [ReadConsistency::Eventual, ReadConsistency::Session, ReadConsistency::Global];

    /// The parameter value AWS uses (`EVENTUAL`, `SESSION`, `GLOBAL`).
    pub fn aws_value(self) -> &'static str {
        match self {
            ReadConsistency::Eventual => "EVENTUAL",
            ReadConsistency::Session => "SESSION",
            ReadConsistency::Global => "GLOBAL",
        }
    }
}
