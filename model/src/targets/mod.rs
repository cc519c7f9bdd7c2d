//! Resilience targets: what the team behind a design promises (availability SLOs per population,
//! RTO and RPO per kind of disruption, P99 latency per population, a monthly cost ceiling), stated
//! in the design file's `targets` section and checked against the simulator's and the bill's
//! figures by `meridian_assess::targets`.
//!
//! Percentages are written as percentages (`99.95`, not `0.9995`); durations as in the rest of
//! the file (`"15m"`); latencies in milliseconds; the ceiling in USD per month. Every part is
//! optional; a design without targets leaves the section out.

mod check;

use serde::{Deserialize, Serialize};

use crate::ids::PopulationId;
use crate::time::TimeSpan;

pub(crate) use check::targets as check_targets;

/// The design's resilience targets. An empty `Targets` (the default) states nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Availability SLOs, per population or for all users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub availability: Vec<AvailabilityTarget>,
    /// RTO and RPO per kind of disruption.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<RecoveryTarget>,
    /// P99 latency per population, in normal operation and during incidents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub latency: Vec<LatencyTarget>,
    /// The most the design may cost, USD per month (the bill at the snapshot's prices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_cost_ceiling_usd: Option<f64>,
}

impl Targets {
    /// Whether nothing is stated (the section is left out of files).
    pub fn is_empty(&self) -> bool {
        *self == Targets::default()
    }

    /// How many targets are stated: each availability, RTO, RPO and latency figure and the
    /// ceiling count once.
    pub fn count(&self) -> usize {
        let some = |b: bool| usize::from(b);
        self.availability.iter().map(|a| some(a.requests.is_some()) + some(a.time.is_some())).sum::<usize>()
            + self.recovery.iter().map(|r| some(r.rto.is_some()) + some(r.rpo.is_some())).sum::<usize>()
            + self
                .latency
                .iter()
                .map(|l| some(l.normal_p99_ms.is_some()) + some(l.incident_p99_ms.is_some()))
                .sum::<usize>()
            + some(self.monthly_cost_ceiling_usd.is_some())
    }

    /// Whether any target names `population`.
    pub fn names_population(&self, population: &PopulationId) -> bool {
        self.availability.iter().any(|a| a.population.as_ref() == Some(population))
            || self.latency.iter().any(|l| &l.population == population)
    }

    /// These targets without those naming `population` (what is left when it is removed).
    #[must_use]
    pub fn without_population(&self, population: &PopulationId) -> Targets {
        Targets {
            availability: self
                .availability
                .iter()
                .filter(|a| a.population.as_ref() != Some(population))
                .cloned()
                .collect(),
            recovery: self.recovery.clone(),
            latency: self.latency.iter().filter(|l| &l.population != population).cloned().collect(),
            monthly_cost_ceiling_usd: self.monthly_cost_ceiling_usd,
        }
    }

    /// The recovery target for `disruption`, if one is stated.
    pub fn recovery_for(&self, disruption: Disruption) -> Option<&RecoveryTarget> {
        self.recovery.iter().find(|r| r.disruption == disruption)
    }
}

/// An availability SLO: the share of requests served, or of time fully served, over a month.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvailabilityTarget {
    /// The population it is promised to; absent: all users together (request-weighted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<PopulationId>,
    /// Percent of requests served, e.g. `99.95`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<f64>,
    /// Percent of time fully served, e.g. `99.9`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<f64>,
}

/// RTO and RPO promised for one kind of disruption.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryTarget {
    /// The kind of disruption.
    pub disruption: Disruption,
    /// Longest time until every client is served again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rto: Option<TimeSpan>,
    /// Longest window of writes that may be lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo: Option<TimeSpan>,
}

/// A kind of disruption, as AWS Resilience Hub names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Disruption {
    /// A service (or its instances) fails.
    Service,
    /// An availability zone fails.
    Az,
    /// A whole region fails (or its control plane).
    Region,
    /// The network between two regions fails.
    InterRegionNetwork,
    /// A common cause: a bad change reaching every member of a deployment group.
    CommonCause,
}

impl Disruption {
    /// Every kind, in the order targets are shown.
    pub const ALL: [Disruption; 5] = [
        Disruption::Service,
        Disruption::Az,
        Disruption::Region,
        Disruption::InterRegionNetwork,
        Disruption::CommonCause,
    ];

    /// The key in files (`Region`, `InterRegionNetwork`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Disruption::Service => "Service",
            Disruption::Az => "Az",
            Disruption::Region => "Region",
            Disruption::InterRegionNetwork => "InterRegionNetwork",
            Disruption::CommonCause => "CommonCause",
        }
    }

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Disruption::Service => "service",
            Disruption::Az => "AZ",
            Disruption::Region => "region",
            Disruption::InterRegionNetwork => "inter-region network",
            Disruption::CommonCause => "common cause",
        }
    }
}

/// P99 latency promised to one population.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyTarget {
    /// The population.
    pub population: PopulationId,
    /// P99 in normal operation, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_p99_ms: Option<f64>,
    /// P99 while an incident is under way, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_p99_ms: Option<f64>,
}
