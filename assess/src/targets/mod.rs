//! Resilience targets evaluated: each target of a design's `targets` section
//! ([`meridian_model::targets`]) met or missed under one scenario, by how much, with the
//! simulator's 95% confidence interval, and the error budget each availability SLO allows per
//! month with the share of it the scenario burns.
//!
//! [`evaluate`] is the one evaluation every caller uses: the assessment pipeline
//! ([`crate::assessment::Assessment::targets`]), so `meridian simulate`, `compare`, `report`,
//! batch gates and the designer all read the same verdicts.
//!
//! How each figure is compared (documented in `docs/file-format.md`, "Targets"):
//! - availability: the availability of a month holding the scenario once (a scenario shorter
//!   than a month) or of its average month (a longer one), the mean over runs, against the SLO
//!   (per population, or all users together); missed exactly when the scenario burns more than
//!   the month's error budget;
//! - RTO: the P95 of the recovery time until the last client is back, and RPO the P95 of the
//!   data-loss window, against the target for the disruption the scenario exercises. In a
//!   scenario mixing kinds of disruption (an AZ and a region injected, or random failures of
//!   everything), each incident is attributed to the kind of the failure that set it off
//!   ([`meridian_sim::cause`]) and each kind's targets are held to its own incidents;
//! - latency: the P99 of the population's requests in normal operation and during incidents,
//!   as the median over runs of each run's P99, with the distribution-free interval of that
//!   median (the runs are the independent samples; requests within a run are not);
//! - cost: the bill's monthly total against the ceiling.
//!
//! A verdict is *certain* when the whole confidence interval lies on its side of the target.

mod budget;
mod scenario;
mod text;

use meridian_model::Design;
use meridian_model::ids::PopulationId;
use meridian_model::targets::Disruption;
use meridian_sim::results::Percentiles;
use meridian_sim::{Estimate, Scenario, SimResults};
use serde::Serialize;

pub use budget::{ErrorBudget, Measure};
pub use scenario::disruptions;
pub use text::figure;

/// What a target is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "disruption")]
pub enum TargetKind {
    /// Percent of requests served.
    AvailabilityRequests,
    /// Percent of time fully served.
    AvailabilityTime,
    /// Recovery time for a kind of disruption.
    Rto(Disruption),
    /// Data-loss window for a kind of disruption.
    Rpo(Disruption),
    /// P99 latency in normal operation.
    LatencyNormal,
    /// P99 latency during incidents.
    LatencyIncident,
    /// The monthly bill.
    MonthlyCost,
}

impl TargetKind {
    /// Whether a larger measured value is better (availability) rather than worse.
    pub fn higher_is_better(self) -> bool {
        matches!(self, TargetKind::AvailabilityRequests | TargetKind::AvailabilityTime)
    }

    /// The unit of the target and measured values.
    pub fn unit(self) -> Unit {
        match self {
            TargetKind::AvailabilityRequests | TargetKind::AvailabilityTime => Unit::Percent,
            TargetKind::Rto(_) | TargetKind::Rpo(_) => Unit::Seconds,
            TargetKind::LatencyNormal | TargetKind::LatencyIncident => Unit::Milliseconds,
            TargetKind::MonthlyCost => Unit::UsdPerMonth,
        }
    }
}

/// The unit of a target's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Percent (`99.95`).
    Percent,
    /// Seconds.
    Seconds,
    /// Milliseconds.
    Milliseconds,
    /// US dollars per month.
    UsdPerMonth,
}

/// The outcome of one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The measured figure is within the target.
    Met,
    /// The measured figure is outside the target.
    Missed,
    /// The scenario does not measure this target (see [`TargetCheck::note`]).
    NotEvaluated,
}

/// One target against what was measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetCheck {
    /// What the target is about.
    #[serde(flatten)]
    pub kind: TargetKind,
    /// The population it is promised to (`None`: all users, or not per population).
    pub population: Option<PopulationId>,
    /// The target, in [`TargetCheck::unit`].
    pub target: f64,
    /// The unit of `target`, `measured`, `ci95` and `margin`.
    pub unit: Unit,
    /// The measured figure (`None` when not evaluated).
    pub measured: Option<f64>,
    /// The 95% confidence interval of the measured figure, when the simulator gives one.
    pub ci95: Option<[f64; 2]>,
    /// Met, missed or not evaluated.
    pub verdict: Verdict,
    /// How far within the target the figure is: positive when met, negative when missed.
    pub margin: Option<f64>,
    /// Whether the whole confidence interval lies on the verdict's side of the target (always
    /// true for figures without an interval).
    pub certain: bool,
    /// Why it was not evaluated, or what the figure is (e.g. `P95 of 200 recoveries`).
    pub note: String,
}

impl TargetCheck {
    /// Whether the target was missed.
    pub fn missed(&self) -> bool {
        self.verdict == Verdict::Missed
    }

    fn judged(
        kind: TargetKind,
        population: Option<PopulationId>,
        target: f64,
        measured: f64,
        ci95: Option<[f64; 2]>,
        note: String,
    ) -> TargetCheck {
        let better = kind.higher_is_better();
        let margin = if better { measured - target } else { target - measured };
        let verdict = if margin >= 0.0 { Verdict::Met } else { Verdict::Missed };
        let certain = ci95.is_none_or(|[lo, hi]| match (verdict, better) {
            (Verdict::Met, true) => lo >= target,
            (Verdict::Met, false) => hi <= target,
            (_, true) => hi < target,
            (_, false) => lo > target,
        });
        TargetCheck {
            kind,
            population,
            target,
            unit: kind.unit(),
            measured: Some(measured),
            ci95,
            verdict,
            margin: Some(margin),
            certain,
            note,
        }
    }

    fn unevaluated(
        kind: TargetKind,
        population: Option<PopulationId>,
        target: f64,
        why: String,
    ) -> TargetCheck {
        TargetCheck {
            kind,
            population,
            target,
            unit: kind.unit(),
            measured: None,
            ci95: None,
            verdict: Verdict::NotEvaluated,
            margin: None,
            certain: false,
            note: why,
        }
    }
}

/// A design's targets evaluated under one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetReport {
    /// The scenario.
    pub scenario: String,
    /// The kinds of disruption the scenario exercises.
    pub disruptions: Vec<Disruption>,
    /// Every target, in the order of the design's `targets` section.
    pub checks: Vec<TargetCheck>,
    /// The error budget of each availability SLO and what the scenario burns of it.
    pub budgets: Vec<ErrorBudget>,
}

impl TargetReport {
    /// Targets missed.
    pub fn missed(&self) -> usize {
        self.checks.iter().filter(|c| c.missed()).count()
    }

    /// Targets met.
    pub fn met(&self) -> usize {
        self.checks.iter().filter(|c| c.verdict == Verdict::Met).count()
    }

    /// Targets the scenario does not measure.
    pub fn not_evaluated(&self) -> usize {
        self.checks.iter().filter(|c| c.verdict == Verdict::NotEvaluated).count()
    }

    /// Whether the design states no targets.
    pub fn is_empty(&self) -> bool {
        self.checks.is_empty()
    }
}

/// The availability of a month holding the scenario's horizon once, in percent with its
/// interval: the scenario's unavailability over `min(horizon, month)` spread over the month (see
/// [`budget`]), so a 12-hour scenario of forced outages is held to a monthly SLO as one incident
/// in the month, and a year of random failures as its average month.
fn monthly_percent(e: &Estimate, horizon_s: f64) -> (f64, [f64; 2]) {
    let share = budget::window_share(horizon_s);
    let month = |a: f64| (1.0 - (1.0 - a.min(1.0)).max(0.0) * share) * 100.0;
    (month(e.mean), [month(e.ci95_low), month(e.ci95_high)])
}

fn list(kinds: &[Disruption]) -> String {
    kinds.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ")
}

fn p95(p: &Percentiles) -> (f64, Option<[f64; 2]>) {
    if p.count == 0 { (0.0, None) } else { (p.p95, Some(p.p95_ci95)) }
}

/// Evaluates `design`'s targets under `scenario`: the availability, recovery and latency targets
/// against `results` (when the scenario was simulated), the cost ceiling against
/// `usd_per_month` (when the bill was built). A target whose figure is missing is
/// [`Verdict::NotEvaluated`], with the reason.
#[allow(clippy::too_many_lines, reason = "one block per kind of target, in the order the file states them")]
pub fn evaluate(
    design: &Design,
    scenario: &Scenario,
    results: Option<&SimResults>,
    usd_per_month: Option<f64>,
) -> TargetReport {
    let targets = design.targets();
    let kinds = disruptions(scenario);
    let mut checks = Vec::new();
    let not_simulated = || "the scenario was not simulated".to_owned();
    for a in &targets.availability {
        let who = a.population.clone();
        let figures = results.and_then(|r| match &who {
            None => Some((r.availability_requests, r.availability_time)),
            Some(p) => r.availability_by_population.get(p.as_str()).map(|x| (x.requests, x.time)),
        });
        for (kind, slo, pick) in
            [(TargetKind::AvailabilityRequests, a.requests, 0), (TargetKind::AvailabilityTime, a.time, 1)]
        {
            let Some(slo) = slo else { continue };
            checks.push(match figures {
                Some(f) => {
                    let (runs, horizon_s) = results.map_or((0, 0.0), |r| (r.runs, r.horizon_s));
                    let (m, ci) = monthly_percent(if pick == 0 { &f.0 } else { &f.1 }, horizon_s);
                    let note = if budget::window_share(horizon_s) < 1.0 {
                        format!("a month with the scenario once, mean of {runs} run(s)")
                    } else {
                        format!("the average month, mean of {runs} run(s)")
                    };
                    TargetCheck::judged(kind, who.clone(), slo, m, Some(ci), note)
                }
                None => TargetCheck::unevaluated(kind, who.clone(), slo, not_simulated()),
            });
        }
    }
    for r in &targets.recovery {
        for (kind, target, figure) in [
            (TargetKind::Rto(r.disruption), r.rto, results.map(|x| &x.rto_s)),
            (TargetKind::Rpo(r.disruption), r.rpo, results.map(|x| &x.rpo_s)),
        ] {
            let Some(target) = target else { continue };
            let target = target.as_secs_f64();
            let check = match figure {
                None => TargetCheck::unevaluated(kind, None, target, not_simulated()),
                Some(_) if kinds.is_empty() => {
                    TargetCheck::unevaluated(kind, None, target, "the scenario disrupts nothing".into())
                }
                Some(_) if !kinds.contains(&r.disruption) => TargetCheck::unevaluated(
                    kind,
                    None,
                    target,
                    format!("the scenario disrupts {}, not {}", list(&kinds), r.disruption.label()),
                ),
                Some(p) => {
                    // One kind: every incident followed it. Several: the incidents attributed
                    // to this kind (`meridian_sim::cause`).
                    let (p, of) = if kinds.len() == 1 {
                        (*p, String::new())
                    } else {
                        let by = results.and_then(|x| x.recovery_by_disruption.get(&r.disruption));
                        let p = by.map_or_else(Percentiles::default, |b| {
                            if matches!(kind, TargetKind::Rto(_)) { b.rto_s } else { b.rpo_s }
                        });
                        (
                            p,
                            format!(
                                " from {} disruptions (the scenario mixes {})",
                                r.disruption.label(),
                                list(&kinds)
                            ),
                        )
                    };
                    let (m, ci) = p95(&p);
                    let note = if p.count == 0 {
                        let runs = results.map_or(0, |x| x.runs);
                        // RTO: no outage followed this kind; RPO: none of them lost data.
                        if matches!(kind, TargetKind::Rto(_)) {
                            format!("no {} incident in {runs} run(s)", r.disruption.label())
                        } else {
                            format!("no data lost to {} incidents in {runs} run(s)", r.disruption.label())
                        }
                    } else {
                        format!("P95 of {} recoveries{of}", p.count)
                    };
                    TargetCheck::judged(kind, None, target, m, ci, note)
                }
            };
            checks.push(check);
        }
    }
    for l in &targets.latency {
        let who = Some(l.population.clone());
        let lat = results.and_then(|r| r.latency.get(l.population.as_str()));
        for (kind, target, incident) in [
            (TargetKind::LatencyNormal, l.normal_p99_ms, false),
            (TargetKind::LatencyIncident, l.incident_p99_ms, true),
        ] {
            let Some(target) = target else { continue };
            let summary = lat.map(|x| if incident { &x.incident } else { &x.normal });
            checks.push(match summary {
                None => TargetCheck::unevaluated(kind, who.clone(), target, not_simulated()),
                Some(s) if s.requests == 0 => TargetCheck::unevaluated(
                    kind,
                    who.clone(),
                    target,
                    if incident { "no request met an incident" } else { "no request in normal operation" }
                        .into(),
                ),
                // Results written before runs were counted: the pooled P99, without an interval.
                Some(s) if s.runs == 0 => TargetCheck::judged(
                    kind,
                    who.clone(),
                    target,
                    s.p99_ms,
                    None,
                    format!("P99 of {} sampled requests", s.requests),
                ),
                Some(s) => TargetCheck::judged(
                    kind,
                    who.clone(),
                    target,
                    s.run_p99_ms,
                    Some(s.run_p99_ci95_ms),
                    format!("median over {} run(s) of each run's P99", s.runs),
                ),
            });
        }
    }
    if let Some(ceiling) = targets.monthly_cost_ceiling_usd {
        checks.push(match usd_per_month {
            Some(usd) => {
                TargetCheck::judged(TargetKind::MonthlyCost, None, ceiling, usd, None, "the bill".into())
            }
            None => TargetCheck::unevaluated(
                TargetKind::MonthlyCost,
                None,
                ceiling,
                "the bill was not built".into(),
            ),
        });
    }
    let budgets = results.map(|r| budget::budgets(targets, r)).unwrap_or_default();
    TargetReport { scenario: scenario.name.clone(), disruptions: kinds, checks, budgets }
}

#[cfg(test)]
mod tests;
