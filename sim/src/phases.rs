//! Where recovery time goes: the phases of each recovery a run went through (detection, the
//! operator's decision, the switch of traffic, restores and deployments, scale-out), per run and
//! summed over runs. The RTO of an outage is at most their sum along its path; the phases show
//! which one to shorten.

use serde::{Deserialize, Serialize};

/// A phase of a recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// From the failure until it is noticed: health checks, or an alarm's evaluation periods.
    Detection,
    /// From the alarm until the operator acts.
    Decision,
    /// From the decision (or detection) until clients follow: record changes and DNS TTLs.
    Switch,
    /// Deploying a cold standby and restoring its data from backups, until it serves.
    Restore,
    /// From load exceeding capacity until capacity carries it again.
    ScaleOut,
    /// Promoting a replica to writer.
    Promotion,
}

impl Phase {
    /// Every phase, in the order a recovery goes through them.
    pub const ALL: [Phase; 6] =
        [Phase::Detection, Phase::Decision, Phase::Switch, Phase::Restore, Phase::ScaleOut, Phase::Promotion];

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Detection => "detection",
            Phase::Decision => "decision",
            Phase::Switch => "traffic switch",
            Phase::Restore => "restore and deploy",
            Phase::ScaleOut => "scale-out",
            Phase::Promotion => "promotion",
        }
    }
}

/// Phase durations measured in one run: count and sum of microseconds per phase.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PhaseTally {
    count: [u64; 6],
    sum_us: [f64; 6],
}

impl PhaseTally {
    /// Records one phase of `us` microseconds.
    pub fn add(&mut self, phase: Phase, us: u64) {
        let i = phase as usize;
        self.count[i] += 1;
        self.sum_us[i] += us as f64;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &PhaseTally) {
        for i in 0..6 {
            self.count[i] += other.count[i];
            self.sum_us[i] += other.sum_us[i];
        }
    }

    /// The summary: count and mean seconds per phase that occurred.
    pub fn summary(&self) -> RecoveryPhases {
        let phase = |p: Phase| {
            let i = p as usize;
            PhaseSummary {
                count: self.count[i],
                mean_s: if self.count[i] > 0 { self.sum_us[i] / self.count[i] as f64 / 1e6 } else { 0.0 },
            }
        };
        RecoveryPhases {
            detection: phase(Phase::Detection),
            decision: phase(Phase::Decision),
            switch: phase(Phase::Switch),
            restore: phase(Phase::Restore),
            scale_out: phase(Phase::ScaleOut),
            promotion: phase(Phase::Promotion),
        }
    }
}

/// One phase over every run: how often it happened and its mean length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseSummary {
    /// Times it happened, all runs together.
    pub count: u64,
    /// Mean length, seconds (0 when it never happened).
    pub mean_s: f64,
}

/// Where recovery time went, over every run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RecoveryPhases {
    /// Health-check detection or alarm evaluation.
    pub detection: PhaseSummary,
    /// Operator response after an alarm.
    pub decision: PhaseSummary,
    /// Record change and clients following (DNS TTL, shift delays).
    pub switch: PhaseSummary,
    /// Deploying cold standbys and restoring their data.
    pub restore: PhaseSummary,
    /// Load above capacity until scale-out carries it.
    pub scale_out: PhaseSummary,
    /// Promotion of a replica to writer.
    pub promotion: PhaseSummary,
}

impl RecoveryPhases {
    /// Each phase with its label, in recovery order.
    pub fn rows(&self) -> [(Phase, PhaseSummary); 6] {
        [
            (Phase::Detection, self.detection),
            (Phase::Decision, self.decision),
            (Phase::Switch, self.switch),
            (Phase::Restore, self.restore),
            (Phase::ScaleOut, self.scale_out),
            (Phase::Promotion, self.promotion),
        ]
    }

    /// Whether any phase was measured.
    pub fn any(&self) -> bool {
        self.rows().iter().any(|(_, s)| s.count > 0)
    }
}
