//! Figures of the simulator's resilience mechanisms (`assets/catalog/resilience.ron`): DNS client
//! caching, common-cause failures and deployment practice, repair capacity, single-region
//! control planes, and consistency modes (DynamoDB multi-Region strong consistency, S3
//! Replication Time Control).

use serde::{Deserialize, Serialize};

use crate::catalog::source::Cited;
use crate::dist::Dist;
use crate::kind::ServiceKind;
use crate::time::TimeSpan;

/// A set of regions within which AWS allows one DynamoDB global table with multi-Region strong
/// consistency (its replicas and its witness).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionSet {
    /// The set's name, e.g. `US`.
    pub name: String,
    /// Region codes in the set.
    pub regions: Vec<String>,
}

/// What an ElastiCache Global Datastore accepts: its primary's engine and node type, and how
/// many secondary regions it replicates to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlobalDatastoreLimits {
    /// Engines a Global Datastore runs (`valkey`, `redis`).
    pub engines: Vec<String>,
    /// Node families it runs on (`r7g` of `cache.r7g.large`), in size large and above.
    pub families: Vec<String>,
    /// Node sizes below large that it refuses (`micro`, `small`, `medium`).
    pub refused_sizes: Vec<String>,
    /// Secondary regions at most.
    pub max_secondaries: u32,
}

impl GlobalDatastoreLimits {
    /// Why a Global Datastore refuses a primary of `engine` on `node_type`, if it does.
    pub fn refusal(&self, engine: &str, node_type: &str) -> Option<String> {
        if !self.engines.iter().any(|e| e == engine) {
            return Some(format!("a Global Datastore runs {}, not {engine}", self.engines.join(" or ")));
        }
        let mut parts = node_type.split('.');
        let family = parts.nth(1).unwrap_or_default();
        let size = parts.next().unwrap_or_default();
        if !self.families.iter().any(|f| f == family)
            || size.is_empty()
            || self.refused_sizes.iter().any(|s| s == size)
        {
            return Some(format!(
                "node type {node_type} cannot join a Global Datastore (families {}, size large and above)",
                self.families.join(", ")
            ));
        }
        None
    }
}

/// A kind whose control plane lives in one region (its data plane may be global).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlPlaneFact {
    /// The kind.
    pub kind: ServiceKind,
    /// The region of its control plane, and the source saying so.
    pub region: Cited<String>,
}

/// The cited figures the resilience mechanisms use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResilienceFacts {
    /// Share of clients that hold DNS answers beyond the TTL (used when a population turns sticky clients on).
    pub dns_sticky_share: Cited<f64>,
    /// Mean extra time those clients hold an answer.
    pub dns_sticky_hold: Cited<TimeSpan>,
    /// Beta factor of a deployment group when the design does not set one.
    pub common_cause_beta: Cited<f64>,
    /// Time until a bad change is noticed (and a staggered rollout stops).
    pub change_detection: Cited<Dist>,
    /// Bake time of a staggered deployment when the design does not set one.
    pub bake_time: Cited<TimeSpan>,
    /// Repair crews the designer suggests (a design without a setting has no limit).
    pub repair_crews: Cited<u32>,
    /// Kinds with a single-region control plane.
    pub control_planes: Vec<ControlPlaneFact>,
    /// Region sets of DynamoDB multi-Region strong consistency.
    pub mrsc_region_sets: Cited<Vec<RegionSet>>,
    /// Replication lag of S3 buckets with Replication Time Control.
    pub s3_rtc_lag: Cited<Dist>,
    /// What an ElastiCache Global Datastore accepts.
    pub global_datastore: Cited<GlobalDatastoreLimits>,
}

impl ResilienceFacts {
    /// The MRSC region set containing `region`, if any.
    pub fn mrsc_region_set(&self, region: &str) -> Option<&RegionSet> {
        self.mrsc_region_sets.value.iter().find(|s| s.regions.iter().any(|r| r == region))
    }

    /// The single-region control plane of `kind`, if it has one.
    pub fn control_plane(&self, kind: ServiceKind) -> Option<&Cited<String>> {
        self.control_planes.iter().find(|c| c.kind == kind).map(|c| &c.region)
    }

    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(String, &str)> {
        let mut out = vec![
            ("dns_sticky_share".to_owned(), self.dns_sticky_share.source.as_str()),
            ("dns_sticky_hold".to_owned(), self.dns_sticky_hold.source.as_str()),
            ("common_cause_beta".to_owned(), self.common_cause_beta.source.as_str()),
            ("change_detection".to_owned(), self.change_detection.source.as_str()),
            ("bake_time".to_owned(), self.bake_time.source.as_str()),
            ("repair_crews".to_owned(), self.repair_crews.source.as_str()),
            ("mrsc_region_sets".to_owned(), self.mrsc_region_sets.source.as_str()),
            ("s3_rtc_lag".to_owned(), self.s3_rtc_lag.source.as_str()),
            ("global_datastore".to_owned(), self.global_datastore.source.as_str()),
        ];
        for c in &self.control_planes {
            out.push((format!("control_planes.{}", c.kind), c.region.source.as_str()));
        }
        out
    }

    /// Figures out of range, as messages (empty when all are sane).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (name, v) in [
            ("dns_sticky_share", self.dns_sticky_share.value),
            ("common_cause_beta", self.common_cause_beta.value),
        ] {
            if !(0.0..1.0).contains(&v) {
                out.push(format!("{name} must be from 0 to below 1, not {v}"));
            }
        }
        for (name, d) in
            [("change_detection", &self.change_detection.value), ("s3_rtc_lag", &self.s3_rtc_lag.value)]
        {
            if let Err((f, why)) = d.check() {
                out.push(format!("{name}.{f}: {why}"));
            }
        }
        if self.repair_crews.value == 0 {
            out.push("repair_crews must be at least 1".into());
        }
        out
    }
}
