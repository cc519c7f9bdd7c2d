//! Gates: thresholds every combination of a plan must pass, evaluated on its [`Metrics`].

use serde::{Deserialize, Serialize};

use crate::row::{GateResult, Metrics};

/// A threshold on one figure of a combination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Gate {
    /// Request-based availability (mean over runs, requests served over requests sent) at least `min`.
    Availability {
        /// Smallest passing value, from 0 to 1, e.g. 0.9999.
        min: f64,
    },
    /// Time-based availability (mean over runs) at least `min`.
    AvailabilityTime {
        /// Smallest passing value, from 0 to 1.
        min: f64,
    },
    /// 95th percentile of recovery times at most `max_s` seconds (passes when nothing failed).
    RtoP95 {
        /// Largest passing value, seconds.
        max_s: f64,
    },
    /// 95th percentile of data-loss windows at most `max_s` seconds (passes when nothing was lost).
    RpoP95 {
        /// Largest passing value, seconds.
        max_s: f64,
    },
    /// Worst population's 95th-percentile latency in normal operation at most `max_ms`.
    LatencyP95 {
        /// Largest passing value, milliseconds.
        max_ms: f64,
    },
    /// The design's monthly bill (on-demand, embedded price snapshot) at most `max_usd`.
    MonthlyCost {
        /// Largest passing value, USD per month.
        max_usd: f64,
    },
    /// No data-law violation: the static check under the plan's policies has no unwaived
    /// violation, and the simulation served no request and landed no write outside a
    /// population's allowed jurisdictions.
    NoDataLawViolation,
    /// The design's own targets (its `targets` section: SLOs, RTO and RPO, latency, cost
    /// ceiling), evaluated on the combination by `meridian_assess::targets`: passes when none is
    /// missed (targets the scenario does not measure do not count; a design stating no targets
    /// passes).
    DesignTargets,
}

impl Gate {
    /// A short stable name, used as the JUnit test case name, e.g. `availability >= 0.9999`.
    pub fn label(&self) -> String {
        match self {
            Gate::Availability { min } => format!("availability >= {min}"),
            Gate::AvailabilityTime { min } => format!("availability_time >= {min}"),
            Gate::RtoP95 { max_s } => format!("rto_p95_s <= {max_s}"),
            Gate::RpoP95 { max_s } => format!("rpo_p95_s <= {max_s}"),
            Gate::LatencyP95 { max_ms } => format!("latency_p95_ms <= {max_ms}"),
            Gate::MonthlyCost { max_usd } => format!("monthly_cost_usd <= {max_usd}"),
            Gate::NoDataLawViolation => "no data-law violation".into(),
            Gate::DesignTargets => "design targets met".into(),
        }
    }

    /// Checks the threshold; on error returns (field relative to the gate, message).
    pub fn check(&self) -> Result<(), (String, String)> {
        let (field, v, ok, what) = match self {
            Gate::Availability { min } | Gate::AvailabilityTime { min } => {
                ("min", *min, (0.0..=1.0).contains(min), "a fraction from 0 to 1, e.g. 0.9999")
            }
            Gate::RtoP95 { max_s } | Gate::RpoP95 { max_s } => {
                ("max_s", *max_s, max_s.is_finite() && *max_s >= 0.0, "seconds, zero or more")
            }
            Gate::LatencyP95 { max_ms } => {
                ("max_ms", *max_ms, max_ms.is_finite() && *max_ms >= 0.0, "milliseconds, zero or more")
            }
            Gate::MonthlyCost { max_usd } => {
                ("max_usd", *max_usd, max_usd.is_finite() && *max_usd >= 0.0, "USD per month, zero or more")
            }
            Gate::NoDataLawViolation | Gate::DesignTargets => return Ok(()),
        };
        if ok { Ok(()) } else { Err((field.into(), format!("{v} is out of range: must be {what}"))) }
    }

    /// Evaluates the gate on `m`.
    pub fn evaluate(&self, m: &Metrics) -> GateResult {
        let (value, passed, detail) = match self {
            Gate::Availability { min } => {
                let v = m.availability_requests;
                (v, v >= *min, format!("availability (requests) {v:.6}, needs >= {min}"))
            }
            Gate::AvailabilityTime { min } => {
                let v = m.availability_time;
                (v, v >= *min, format!("availability (time) {v:.6}, needs >= {min}"))
            }
            Gate::RtoP95 { max_s } => {
                let v = m.rto_p95_s;
                (
                    v,
                    v <= *max_s,
                    format!("RTO P95 {v:.1} s over {} recoveries, needs <= {max_s} s", m.rto_count),
                )
            }
            Gate::RpoP95 { max_s } => {
                let v = m.rpo_p95_s;
                (v, v <= *max_s, format!("RPO P95 {v:.1} s over {} losses, needs <= {max_s} s", m.rpo_count))
            }
            Gate::LatencyP95 { max_ms } => {
                let v = m.latency_p95_ms;
                (v, v <= *max_ms, format!("worst population's latency P95 {v:.0} ms, needs <= {max_ms} ms"))
            }
            Gate::MonthlyCost { max_usd } => {
                let v = m.monthly_cost_usd;
                (v, v <= *max_usd, format!("monthly cost {v:.2} USD, needs <= {max_usd} USD"))
            }
            Gate::NoDataLawViolation => {
                let outside = m.data_law_requests_per_run + m.data_law_writes_per_run;
                let v = m.static_violations as f64 + outside;
                (
                    v,
                    m.static_violations == 0 && outside == 0.0,
                    format!(
                        "{} static violation(s); {:.0} requests and {:.0} writes per run outside allowed jurisdictions",
                        m.static_violations, m.data_law_requests_per_run, m.data_law_writes_per_run
                    ),
                )
            }
            Gate::DesignTargets => {
                let detail = if m.targets_missed == 0 {
                    format!("{} target(s) stated, none missed", m.targets_stated)
                } else {
                    format!(
                        "{} of {} target(s) missed: {}",
                        m.targets_missed,
                        m.targets_stated,
                        m.targets_missed_detail.join("; ")
                    )
                };
                (m.targets_missed as f64, m.targets_missed == 0, detail)
            }
        };
        GateResult { gate: self.label(), value, passed, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_design_targets_gate_passes_when_none_is_missed_and_names_the_missed_ones() {
        let met = Metrics { targets_stated: 5, ..Metrics::default() };
        let r = Gate::DesignTargets.evaluate(&met);
        assert!(r.passed, "{r:?}");
        assert_eq!(r.detail, "5 target(s) stated, none missed");
        let missed = Metrics {
            targets_stated: 5,
            targets_missed: 1,
            targets_missed_detail: vec!["RTO, region: 9 min, needs <= 5 min".into()],
            ..Metrics::default()
        };
        let r = Gate::DesignTargets.evaluate(&missed);
        assert!(!r.passed);
        assert!((r.value - 1.0).abs() < 1e-12);
        assert!(r.detail.contains("1 of 5 target(s) missed: RTO, region"), "{}", r.detail);
        assert_eq!(Gate::DesignTargets.check(), Ok(()));
    }
}
