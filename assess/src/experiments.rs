//! The simulator's prediction for each fault of a scenario, as the hypothesis of a chaos
//! experiment (`meridian export-experiments`), and `HYPOTHESES.md`.
//!
//! Each injection of the scenario is simulated alone: the scenario with that one injection and no
//! random failures (its failure overrides and traffic kept), with its runs and seed. What a drill
//! measures is the run as a whole, so the figures are per run: RTO is the run's longest recovery
//! until the last client of every population is back, RPO its longest data-loss window, requests
//! lost the requests the design's populations sent and were not served. P5, P50 and P95 are over
//! runs (nearest rank).

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;

use meridian_iac::fis::{Experiments, Fault, Request};
use meridian_model::ids::{RegionId, ServiceId};
use meridian_model::{Catalog, Design};
use meridian_sim::phases::RecoveryPhases;
use meridian_sim::scenario::{Processes, Target};
use meridian_sim::{Scenario, SimOptions};
use serde::Serialize;

use crate::assessment::AssessError;
use crate::units::Seconds;

/// A figure's spread over runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Spread {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Spread {
    /// Nearest-rank percentiles of `values`.
    pub fn of(mut values: Vec<f64>) -> Spread {
        values.retain(|v| v.is_finite());
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            if values.is_empty() {
                return 0.0;
            }
            let rank = (q * values.len() as f64).ceil().max(1.0) as usize;
            values[rank.min(values.len()) - 1]
        };
        Spread { p5: at(0.05), p50: at(0.5), p95: at(0.95) }
    }

    /// Whether `x` lies within P5..P95.
    pub fn contains(&self, x: f64) -> bool {
        self.p5 <= x && x <= self.p95
    }
}

/// The prediction for one fault.
#[derive(Debug, Clone, Serialize)]
pub struct Prediction {
    /// Experiment name: `N-what`, e.g. `2-az-use1-az2` (the scenario's N-th injection).
    pub name: String,
    /// The fault, in words.
    pub fault: String,
    /// When the scenario injects it, seconds from the start of a run.
    pub at_s: u64,
    /// How long it lasts, seconds.
    pub duration_s: u64,
    /// Runs simulated.
    pub runs: u32,
    /// Longest recovery per run until the last client is back, seconds.
    pub rto_s: Spread,
    /// Longest data-loss window per run, seconds.
    pub rpo_s: Spread,
    /// Requests not served per run.
    pub requests_lost: Spread,
    /// Where recovery time went.
    #[serde(skip)]
    pub phases: RecoveryPhases,
}

impl Prediction {
    /// The hypothesis in one line.
    pub fn hypothesis(&self) -> String {
        if self.rto_s.p95 == 0.0 && self.requests_lost.p95 == 0.0 {
            return format!(
                "no client loses service (RTO 0, no request lost in P95 of {} simulated runs); RPO P95 {}",
                self.runs,
                Seconds(self.rpo_s.p95).fine()
            );
        }
        format!(
            "RTO P50 {}, P95 {}; requests lost P50 {:.0} (P95 {:.0}); RPO P95 {} (simulated, {} runs)",
            Seconds(self.rto_s.p50).fine(),
            Seconds(self.rto_s.p95).fine(),
            self.requests_lost.p50,
            self.requests_lost.p95,
            Seconds(self.rpo_s.p95).fine(),
            self.runs
        )
    }
}

/// The experiment fault of an injection target.
pub fn fault_of(target: &Target) -> Fault {
    match target {
        Target::Region(r) => Fault::Region(RegionId::new(r.as_str())),
        Target::Az(a) => Fault::Az(a.clone()),
        Target::Service(s) | Target::Instances(s) => Fault::Service(ServiceId::new(s.as_str())),
        Target::Partition(a, b) => Fault::Partition(RegionId::new(a.as_str()), RegionId::new(b.as_str())),
        Target::Deployment(g) => Fault::Deployment(g.clone()),
        Target::ControlPlane(r) => Fault::ControlPlane(r.clone()),
    }
}

/// The experiment name of the `i`-th injection (0-based).
pub fn experiment_name(i: usize, target: &Target) -> String {
    let what = match target {
        Target::Region(r) => format!("region-{r}"),
        Target::Az(a) => format!("az-{a}"),
        Target::Service(s) | Target::Instances(s) => format!("service-{s}"),
        Target::Partition(a, b) => format!("partition-{a}-{b}"),
        Target::Deployment(g) => format!("deployment-{g}"),
        Target::ControlPlane(r) => format!("control-plane-{r}"),
    };
    let slug: String = what
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    format!("{}-{slug}", i + 1)
}

/// Simulates each injection of `scenario` alone on `design`.
pub fn predict(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    threads: usize,
) -> Result<Vec<Prediction>, AssessError> {
    let cancel = AtomicBool::new(false);
    let mut out = Vec::new();
    for (i, inj) in scenario.injections.iter().enumerate() {
        let mut one = scenario.clone();
        one.random_failures = Processes::NONE;
        one.injections = vec![inj.clone()];
        let options = SimOptions { keep_runs: true, threads, ..SimOptions::default() };
        let outcome = meridian_sim::simulate(design, catalog, &one, &options, &|_| {}, &cancel)?;
        let r = &outcome.results;
        let runs = &r.per_run;
        out.push(Prediction {
            name: experiment_name(i, &inj.target),
            fault: fault_of(&inj.target).to_string(),
            at_s: inj.at.as_secs_f64().round() as u64,
            duration_s: inj.duration.as_secs_f64().round() as u64,
            runs: r.runs,
            rto_s: Spread::of(runs.iter().map(|x| x.rto_max_s).collect()),
            rpo_s: Spread::of(runs.iter().map(|x| x.rpo_max_s).collect()),
            requests_lost: Spread::of(runs.iter().map(|x| x.requests_lost).collect()),
            phases: r.recovery_phases,
        });
    }
    Ok(out)
}

/// The requests of the experiments, one per prediction.
pub fn requests(scenario: &Scenario, predictions: &[Prediction]) -> Vec<Request> {
    scenario
        .injections
        .iter()
        .zip(predictions)
        .map(|(inj, p)| Request {
            name: p.name.clone(),
            fault: fault_of(&inj.target),
            duration_s: p.duration_s,
            hypothesis: p.hypothesis(),
        })
        .collect()
}

/// `HYPOTHESES.md`: per experiment, what it reproduces and how, the prediction, and how to report
/// what the drill measured to `meridian calibrate`.
pub fn hypotheses_md(
    design: &str,
    scenario: &str,
    predictions: &[Prediction],
    written: &Experiments,
) -> String {
    let mut md = format!(
        "# Chaos experiments: {design}, scenario {scenario}\n\n\
         Each fault of the scenario was simulated alone (no random failures); the hypothesis is the \
         simulator's prediction per run: RTO until the last client of every population is back, \
         requests lost, RPO. Start an experiment with `aws fis start-experiment --experiment-template-id ID` \
         (the templates' ids are outputs of the stacks, or `terraform state show`), measure, and compare with \
         `meridian calibrate` (`docs/calibrate.md`).\n"
    );
    for p in predictions {
        let _ = write!(md, "\n## {}: {}\n\n", p.name, p.fault);
        let _ = writeln!(
            md,
            "- Scenario: at {} for {}.",
            Seconds(p.at_s as f64).fine(),
            Seconds(p.duration_s as f64).fine()
        );
        let _ = writeln!(
            md,
            "- Hypothesis: RTO P5 {} / P50 {} / P95 {}; requests lost P5 {:.0} / P50 {:.0} / P95 {:.0}; RPO P50 {} / P95 {} ({} runs).",
            Seconds(p.rto_s.p5).fine(),
            Seconds(p.rto_s.p50).fine(),
            Seconds(p.rto_s.p95).fine(),
            p.requests_lost.p5,
            p.requests_lost.p50,
            p.requests_lost.p95,
            Seconds(p.rpo_s.p50).fine(),
            Seconds(p.rpo_s.p95).fine(),
            p.runs
        );
        if let Some(planned) = written.planned.iter().find(|x| x.name == p.name) {
            for r in &planned.regions {
                let actions: Vec<&str> = r.steps.iter().map(|s| s.action.id()).collect();
                let _ = writeln!(md, "- FIS in {}: {}.", r.region, actions.join(", "));
            }
            for n in &planned.notes {
                let _ = writeln!(md, "- Differs from the simulation: {n}.");
            }
        }
        if let Some(u) = written.unreproduced.iter().find(|x| x.name == p.name) {
            let _ = writeln!(md, "- Not reproduced by FIS: {}.", u.reason);
        }
    }
    md.push_str("\n## How the experiments find their targets\n\n");
    for (what, evidence) in meridian_iac::fis::TARGETING {
        let _ = writeln!(md, "- {what}: {evidence}.");
    }
    md.push_str("\n## Reporting the drill\n\n```json\n{\n  \"experiments\": [\n");
    let rows: Vec<String> = predictions
        .iter()
        .filter(|p| written.planned.iter().any(|x| x.name == p.name))
        .map(|p| format!("    {{ \"name\": \"{}\", \"rto_s\": 0, \"rpo_s\": 0, \"errors\": 0 }}", p.name))
        .collect();
    md.push_str(&rows.join(",\n"));
    md.push_str("\n  ]\n}\n```\n");
    md
}
