//! What the catalog says about recovery: how long restores, promotions, launches and operators
//! take, the scaling defaults of the kinds that scale, and how functions' concurrency grows.
//! Every figure is [`Cited`].

use serde::{Deserialize, Serialize};

use crate::catalog::source::Cited;
use crate::dist::Dist;
use crate::time::TimeSpan;

/// How a datastore of a kind is restored from a backup into a new store.
///
/// Restore time = `minimum` + a draw of `time` + stored GB / `gb_per_hour`; when `manual_setup`
/// is true an operator must then configure the restored store by hand (one more operator response)
/// before it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestoreSpec {
    /// Time every restore takes at least, whatever the size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<Cited<TimeSpan>>,
    /// The part of the restore time that does not depend on the size.
    pub time: Cited<Dist>,
    /// Data restored per hour, when the restore time grows with the size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gb_per_hour: Option<Cited<f64>>,
    /// Whether the restored store needs manual configuration before it serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_setup: Option<Cited<bool>>,
}

impl RestoreSpec {
    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("restore.time", self.time.source.as_str())];
        if let Some(m) = &self.minimum {
            out.push(("restore.minimum", &m.source));
        }
        if let Some(g) = &self.gb_per_hour {
            out.push(("restore.gb_per_hour", &g.source));
        }
        if let Some(m) = &self.manual_setup {
            out.push(("restore.manual_setup", &m.source));
        }
        out
    }

    /// Whether an operator configures the restored store before it serves.
    pub fn needs_manual_setup(&self) -> bool {
        self.manual_setup.as_ref().is_some_and(|m| m.value)
    }
}

/// How a secondary of a single-writer kind is promoted to writer across regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PromotionSpec {
    /// Time from the start of the promotion until the new writer takes writes.
    pub time: Cited<Dist>,
    /// Whether automation may start it (`false`: AWS documents the cross-region promotion as a
    /// manual operation, so a design must leave it to an operator).
    pub automatable: Cited<bool>,
}

/// How compute of a kind scales out and in (target tracking).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScalingSpec {
    /// Time from a scaling decision until a new unit serves.
    pub launch: Cited<Dist>,
    /// Time load must stay above capacity before a scale-out starts (the alarm's datapoints).
    pub scale_out_after: Cited<TimeSpan>,
    /// Time load must stay well below capacity before a scale-in starts.
    pub scale_in_after: Cited<TimeSpan>,
    /// Default time after a scale-out before the next one.
    pub scale_out_cooldown: Cited<TimeSpan>,
    /// Default time after a scale-in before the next one.
    pub scale_in_cooldown: Cited<TimeSpan>,
}

impl ScalingSpec {
    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("scaling.launch", self.launch.source.as_str()),
            ("scaling.scale_out_after", self.scale_out_after.source.as_str()),
            ("scaling.scale_in_after", self.scale_in_after.source.as_str()),
            ("scaling.scale_out_cooldown", self.scale_out_cooldown.source.as_str()),
            ("scaling.scale_in_cooldown", self.scale_in_cooldown.source.as_str()),
        ]
    }
}

/// How a function kind's concurrency grows (AWS Lambda): each function adds at most
/// `ramp_units` execution environments every `ramp_every` (refilled continuously), up to the
/// account's regional concurrency quota. One environment serves one request at a time, so a
/// function needs `requests per second x duration` environments; requests beyond the environments
/// it has are throttled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcurrencySpec {
    /// Environments one function may add per `ramp_every`.
    pub ramp_units: Cited<u32>,
    /// The period of `ramp_units`.
    pub ramp_every: Cited<TimeSpan>,
    /// The account's default concurrency quota in a region, shared by its functions.
    pub account_quota: Cited<u32>,
    /// Concurrency AWS keeps unreserved in a region (reservations may not take it).
    pub unreserved_minimum: Cited<u32>,
}

impl ConcurrencySpec {
    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("concurrency.ramp_units", self.ramp_units.source.as_str()),
            ("concurrency.ramp_every", self.ramp_every.source.as_str()),
            ("concurrency.account_quota", self.account_quota.source.as_str()),
            ("concurrency.unreserved_minimum", self.unreserved_minimum.source.as_str()),
        ]
    }

    /// Environments a function may add per second (the documented rate, refilled continuously).
    pub fn units_per_sec(&self) -> f64 {
        let every_s = self.ramp_every.value.as_micros() as f64 / 1e6;
        if every_s > 0.0 { f64::from(self.ramp_units.value) / every_s } else { f64::INFINITY }
    }
}

/// Catalog-wide recovery defaults: alarms, operators, DNS record changes, cold deployments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryDefaults {
    /// Period of the CloudWatch alarms that page operators.
    pub alarm_period: Cited<TimeSpan>,
    /// Consecutive breaching periods before such an alarm fires.
    pub alarm_evaluation_periods: Cited<u32>,
    /// Time from an alarm to the operator's action.
    pub operator_response: Cited<Dist>,
    /// Time for a Route 53 record change (a control-plane edit) to reach every name server.
    pub dns_change_propagation: Cited<Dist>,
    /// Time to deploy a cold standby service with infrastructure as code.
    pub deploy_time: Cited<Dist>,
    /// Time between backups in the backup-and-restore strategy variant.
    pub strategy_backup_interval: Cited<TimeSpan>,
}

impl RecoveryDefaults {
    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("recovery.alarm_period", self.alarm_period.source.as_str()),
            ("recovery.alarm_evaluation_periods", self.alarm_evaluation_periods.source.as_str()),
            ("recovery.operator_response", self.operator_response.source.as_str()),
            ("recovery.dns_change_propagation", self.dns_change_propagation.source.as_str()),
            ("recovery.deploy_time", self.deploy_time.source.as_str()),
            ("recovery.strategy_backup_interval", self.strategy_backup_interval.source.as_str()),
        ]
    }

    /// Time from a change until the alarm fires: evaluation periods x period.
    pub fn alarm_delay(&self) -> TimeSpan {
        TimeSpan::from_micros(
            self.alarm_period
                .value
                .as_micros()
                .saturating_mul(u64::from(self.alarm_evaluation_periods.value)),
        )
    }
}
