//! Catalog-wide defaults: how regions, AZs and the network between regions fail, the speed of
//! light in fibre, the defaults of new links (health checks, DNS TTL, backup schedule) and of
//! recovery.

use serde::{Deserialize, Serialize};

use crate::catalog::recovery::RecoveryDefaults;
use crate::catalog::source::Cited;
use crate::dist::FailureSpec;
use crate::time::TimeSpan;

/// Defaults that apply to every design unless it overrides them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogDefaults {
    /// How a whole region fails (a common cause for everything in it).
    pub region_failure: Cited<FailureSpec>,
    /// How one availability zone fails.
    pub az_failure: Cited<FailureSpec>,
    /// How the network between two regions partitions.
    pub partition_failure: Cited<FailureSpec>,
    /// How one instance, task or node fails (inside a service that has several).
    pub instance_failure: Cited<FailureSpec>,
    /// Speed of light in fibre, in kilometres per millisecond: the fibre bound of a round trip is
    /// great-circle distance x 2 / this (the latency model scales it, `crate::latency`).
    pub fibre_km_per_ms: Cited<f64>,
    /// Default health-check request interval for routers.
    pub health_check_interval: Cited<TimeSpan>,
    /// Default number of consecutive failed checks before an endpoint is unhealthy.
    pub health_check_failure_threshold: Cited<u32>,
    /// Default DNS TTL of health-checked records.
    pub dns_ttl: Cited<TimeSpan>,
    /// Default time between two backups of a backup link.
    pub backup_interval: Cited<TimeSpan>,
    /// Default time a backup link's backups are kept.
    pub backup_retention: Cited<TimeSpan>,
    /// Alarms, operators, record changes and cold deployments.
    pub recovery: RecoveryDefaults,
}

impl CatalogDefaults {
    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![
            ("region_failure", self.region_failure.source.as_str()),
            ("az_failure", self.az_failure.source.as_str()),
            ("partition_failure", self.partition_failure.source.as_str()),
            ("instance_failure", self.instance_failure.source.as_str()),
            ("fibre_km_per_ms", self.fibre_km_per_ms.source.as_str()),
            ("health_check_interval", self.health_check_interval.source.as_str()),
            ("health_check_failure_threshold", self.health_check_failure_threshold.source.as_str()),
            ("dns_ttl", self.dns_ttl.source.as_str()),
            ("backup_interval", self.backup_interval.source.as_str()),
            ("backup_retention", self.backup_retention.source.as_str()),
        ];
        out.extend(self.recovery.citations());
        out
    }
}
