//! A review of a design change: what changed in the design ([`DesignDiff`]) and what that does to
//! every figure Meridian assesses, each change judged better, worse or not significant.
//!
//! [`Review::new`] takes two [`Assessment`]s of the same scenario with the same runs and seed
//! (common random numbers: run `i` of both designs draws from the same streams) and each run's
//! figures kept ([`meridian_sim::SimOptions::keep_runs`]). How each figure is judged:
//!
//! - availability (by time and by requests) and downtime: the paired t-test over runs
//!   ([`paired`]), significant when the 95% interval of the mean difference excludes zero and at
//!   least [`paired::MIN_DIFFERING_RUNS`] runs differ;
//! - RTO and RPO percentiles: the two designs' distribution-free 95% intervals of the percentile
//!   must not overlap. Outages do not pair across designs (a change can add or remove them), so
//!   this conservative test uses no pairing;
//! - latency (P50 and P99 in normal operation, per population): a change beyond
//!   [`LATENCY_TOLERANCE_MS`] and [`LATENCY_TOLERANCE_SHARE`] of the earlier value. The latency
//!   model is a fixed network part plus seeded samples of processing time, so what moves it is
//!   the design, not noise; the tolerance keeps sampling wobble out;
//! - monthly cost: exact (the bill has no randomness); the total is worse when it rises by more
//!   than the caller's tolerance, in percent;
//! - data law: static findings and scenario violations that fail (unwaived violations), added or
//!   resolved, matched by rule, data class, entity and crossing link (static) or population and
//!   region (dynamic; the scenario's violations are those of run 0, the same run for both designs).
//!
//! [`Review::fails`] is the exit code's question: a figure of a gating group got worse, or a
//! data-law finding appeared, or a resilience target the earlier design met (or did not state)
//! is missed. The cost breakdown by region and service is shown but does not gate.

pub mod paired;
mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use meridian_model::diff::DesignDiff;
use meridian_sim::SimResults;
use meridian_sim::results::Percentiles;

use crate::assessment::{AssessError, Assessment, Want};
use crate::compare::Better;
use crate::units::{Percent, Seconds, Usd};
use paired::Paired;

/// Smallest latency change, in milliseconds, that counts.
pub const LATENCY_TOLERANCE_MS: f64 = 1.0;
/// Smallest latency change, as a share of the earlier value, that counts.
pub const LATENCY_TOLERANCE_SHARE: f64 = 0.02;

/// Minutes in a year of 365.25 days (the simulator's downtime per year).
const YEAR_MIN: f64 = 365.25 * 24.0 * 60.0;

/// The group a figure belongs to; every group but [`Group::CostBreakdown`] gates the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Availability and downtime.
    Availability,
    /// RTO and RPO.
    Recovery,
    /// Latency per population.
    Latency,
    /// The monthly total.
    Cost,
    /// The monthly cost by region and by service kind.
    CostBreakdown,
}

/// How a figure's change was tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    /// Paired t-test over runs with common random numbers.
    PairedRuns,
    /// The two 95% intervals do not overlap.
    IntervalOverlap,
    /// A change beyond a tolerance.
    Tolerance,
    /// Deterministic figures: any change beyond the tolerance given is real.
    Exact,
}

/// What a figure's change amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Significantly better.
    Better,
    /// Significantly worse.
    Worse,
    /// Different, but within the test's noise or tolerance.
    NotSignificant,
    /// The same value.
    Unchanged,
    /// Measured on one side only (e.g. no outage to recover from before).
    OneSide,
}

/// One assessed figure before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    /// Stable key, e.g. `availability_time` or `latency_p99_ms.eu-users`.
    pub key: String,
    /// Label.
    pub label: String,
    /// Group.
    pub group: Group,
    /// Which way is better.
    pub better: Better,
    /// Value before (`None`: not measured).
    pub before: Option<f64>,
    /// Value after.
    pub after: Option<f64>,
    /// Values as shown.
    pub before_text: String,
    /// Value after as shown.
    pub after_text: String,
    /// The change as shown, with its 95% interval when tested on runs.
    pub change_text: String,
    /// 95% interval of the change, when the test gives one.
    pub change_ci95: Option<[f64; 2]>,
    /// How the change was tested.
    pub test: Test,
    /// The judgement.
    pub verdict: Verdict,
}

/// A data-law finding that appeared or went away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingChange {
    /// `static` (the design as drawn) or `scenario` (where the runs served users).
    pub check: &'static str,
    /// `added` or `resolved`.
    pub status: &'static str,
    /// The rule, as `POLICY/RULE`.
    pub rule: String,
    /// Where: the entity, or the population and region.
    pub subject: String,
    /// The finding's sentence.
    pub message: String,
}

/// A design change reviewed: structure, figures and data-law findings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    /// The earlier design's file, as given.
    pub before: String,
    /// The later design's file, as given.
    pub after: String,
    /// Scenario.
    pub scenario: String,
    /// Runs per design.
    pub runs: u32,
    /// Seed (the same for both designs).
    pub seed: u64,
    /// Cost tolerance of the total, percent.
    pub cost_tolerance_percent: f64,
    /// What changed in the design.
    pub structure: DesignDiff,
    /// Every figure, in table order.
    pub figures: Vec<Figure>,
    /// Data-law findings added and resolved.
    pub findings: Vec<FindingChange>,
    /// The resilience targets of either design, met or missed before and after.
    pub targets: Vec<TargetChange>,
}

/// One resilience target before and after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetChange {
    /// What the target is, e.g. `RTO, region`.
    pub target: String,
    /// Its verdict before (`MET`, `MISSED`, `n/a`; empty when the earlier design does not state it).
    pub before: String,
    /// Its verdict after (empty when the later design does not state it).
    pub after: String,
    /// The later design's target and measured figure, or the earlier's when the target was dropped.
    pub detail: String,
    /// `newly missed`, `newly met`, `still missed`, `met` or `not evaluated`.
    pub status: &'static str,
}

impl Review {
    /// Reviews the change from `before` to `after` (assessed with [`Want::COMPARE`], the same
    /// scenario, runs and seed, and per-run figures kept); a rise of the monthly total above
    /// `cost_tolerance_percent` counts as worse.
    pub fn new(
        before: &Assessment,
        after: &Assessment,
        structure: DesignDiff,
        cost_tolerance_percent: f64,
    ) -> Result<Review, AssessError> {
        let (Some(rb), Some(ra), Some(bb), Some(ba)) =
            (&before.results, &after.results, &before.bill, &after.bill)
        else {
            return Err(AssessError::Missing(Want::SIMULATION | Want::BILL));
        };
        let mut figures = availability(rb, ra);
        figures.extend(recovery(rb, ra));
        figures.extend(latency(rb, ra));
        figures.push(exact(
            "usd_per_month",
            "cost per month",
            Group::Cost,
            Some(bb.total_usd_per_month),
            Some(ba.total_usd_per_month),
            cost_tolerance_percent,
        ));
        for (prefix, b, a) in
            [("region", &bb.by_region, &ba.by_region), ("service", &bb.by_service, &ba.by_service)]
        {
            let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for k in keys {
                let (vb, va) = (b.get(k).copied().unwrap_or(0.0), a.get(k).copied().unwrap_or(0.0));
                if (vb - va).abs() >= 0.005 {
                    let label = format!("cost {prefix} {k}");
                    let key = format!("usd_per_month.{prefix}.{k}");
                    figures.push(exact(&key, &label, Group::CostBreakdown, Some(vb), Some(va), 0.0));
                }
            }
        }
        Ok(Review {
            before: before.path.as_ref().map_or_else(|| before.design.clone(), |p| p.display().to_string()),
            after: after.path.as_ref().map_or_else(|| after.design.clone(), |p| p.display().to_string()),
            scenario: after.scenario.clone(),
            runs: after.runs,
            seed: after.seed,
            cost_tolerance_percent,
            structure,
            figures,
            findings: findings(before, after),
            targets: targets(before, after),
        })
    }

    /// Figures of gating groups that got significantly worse.
    pub fn worse(&self) -> impl Iterator<Item = &Figure> + '_ {
        self.figures.iter().filter(|f| f.group != Group::CostBreakdown && f.verdict == Verdict::Worse)
    }

    /// Figures of gating groups that got significantly better.
    pub fn better(&self) -> impl Iterator<Item = &Figure> + '_ {
        self.figures.iter().filter(|f| f.group != Group::CostBreakdown && f.verdict == Verdict::Better)
    }

    /// Data-law findings that appeared.
    pub fn new_findings(&self) -> impl Iterator<Item = &FindingChange> + '_ {
        self.findings.iter().filter(|f| f.status == "added")
    }

    /// Targets the later design misses and the earlier one did not.
    pub fn newly_missed(&self) -> impl Iterator<Item = &TargetChange> + '_ {
        self.targets.iter().filter(|t| t.status == "newly missed")
    }

    /// Whether the change makes things worse: a gating figure is significantly worse, a
    /// data-law finding appeared or a target is newly missed (`meridian diff` exits 1).
    pub fn fails(&self) -> bool {
        self.worse().next().is_some()
            || self.new_findings().next().is_some()
            || self.newly_missed().next().is_some()
    }
}

fn availability(rb: &SimResults, ra: &SimResults) -> Vec<Figure> {
    let runs = |r: &SimResults, f: fn(&meridian_sim::results::RunFigures) -> f64| -> Vec<f64> {
        r.per_run.iter().map(f).collect()
    };
    let time = Paired::of(&runs(rb, |r| r.availability_time), &runs(ra, |r| r.availability_time));
    let requests = Paired::of(&runs(rb, |r| r.availability_requests), &runs(ra, |r| r.availability_requests));
    // Downtime per year is (1 - availability by time) x a year: its paired change is the
    // availability's, negated and scaled.
    let downtime = Paired {
        mean: -time.mean * YEAR_MIN,
        ci95: [-time.ci95[1] * YEAR_MIN, -time.ci95[0] * YEAR_MIN],
        ..time
    };
    let pct = |v: f64| Percent(v).to_string();
    let pp = |v: f64| format!("{:+.4} pp", v * 100.0);
    let min = |v: f64| format!("{v:.1} min");
    let dmin = |v: f64| format!("{v:+.1} min");
    vec![
        paired_figure(
            ("availability_time", "availability (time)", Better::Higher),
            rb.availability_time.mean,
            ra.availability_time.mean,
            time,
            (&pct, &pp),
        ),
        paired_figure(
            ("availability_requests", "availability (requests)", Better::Higher),
            rb.availability_requests.mean,
            ra.availability_requests.mean,
            requests,
            (&pct, &pp),
        ),
        paired_figure(
            ("downtime_min_per_year", "downtime per year", Better::Lower),
            rb.downtime_min_per_year.mean,
            ra.downtime_min_per_year.mean,
            downtime,
            (&min, &dmin),
        ),
    ]
}

type Fmt<'a> = &'a dyn Fn(f64) -> String;

fn paired_figure(
    (key, label, better): (&str, &str, Better),
    before: f64,
    after: f64,
    p: Paired,
    (value, change): (Fmt<'_>, Fmt<'_>),
) -> Figure {
    let verdict = if p.differing == 0 && (before - after).abs() < 1e-15 {
        Verdict::Unchanged
    } else if p.significant() {
        direction(better, p.mean)
    } else {
        Verdict::NotSignificant
    };
    let change_text = if p.n > 1 {
        format!("{} (95% CI {} to {})", change(after - before), change(p.ci95[0]), change(p.ci95[1]))
    } else {
        change(after - before)
    };
    Figure {
        key: key.to_owned(),
        label: label.to_owned(),
        group: Group::Availability,
        better,
        before: Some(before),
        after: Some(after),
        before_text: value(before),
        after_text: value(after),
        change_text,
        change_ci95: Some(p.ci95),
        test: Test::PairedRuns,
        verdict,
    }
}

/// Better or worse for a change of sign `delta`.
fn direction(better: Better, delta: f64) -> Verdict {
    match (better, delta > 0.0) {
        (Better::Higher, true) | (Better::Lower, false) => Verdict::Better,
        (Better::Neither, _) => Verdict::NotSignificant,
        _ => Verdict::Worse,
    }
}

fn recovery(rb: &SimResults, ra: &SimResults) -> Vec<Figure> {
    type Pick = fn(&Percentiles) -> (f64, [f64; 2]);
    let p50: Pick = |p| (p.p50, p.p50_ci95);
    let p95: Pick = |p| (p.p95, p.p95_ci95);
    let rows: [(&str, &str, &Percentiles, &Percentiles, Pick); 4] = [
        ("rto_p50_s", "RTO P50", &rb.rto_s, &ra.rto_s, p50),
        ("rto_p95_s", "RTO P95", &rb.rto_s, &ra.rto_s, p95),
        ("rpo_p50_s", "RPO P50", &rb.rpo_s, &ra.rpo_s, p50),
        ("rpo_p95_s", "RPO P95", &rb.rpo_s, &ra.rpo_s, p95),
    ];
    rows.into_iter()
        .map(|(key, label, b, a, pick)| {
            let side = |p: &Percentiles| (p.count > 0).then(|| pick(p));
            let (sb, sa) = (side(b), side(a));
            let text =
                |s: Option<(f64, [f64; 2])>| s.map_or_else(|| "none".to_owned(), |(v, _)| Seconds(v).fine());
            let (verdict, change_text) = match (sb, sa) {
                (Some((vb, cb)), Some((va, ca))) => {
                    let delta = va - vb;
                    let sign = if delta < 0.0 { "-" } else { "+" };
                    let change = format!("{sign}{}", Seconds(delta.abs()).fine());
                    if (delta).abs() < 1e-9 {
                        (Verdict::Unchanged, change)
                    } else if cb[1] < ca[0] || ca[1] < cb[0] {
                        (direction(Better::Lower, delta), change)
                    } else {
                        (Verdict::NotSignificant, change)
                    }
                }
                (None, None) => (Verdict::Unchanged, "-".to_owned()),
                _ => (Verdict::OneSide, "-".to_owned()),
            };
            Figure {
                key: key.to_owned(),
                label: label.to_owned(),
                group: Group::Recovery,
                better: Better::Lower,
                before: sb.map(|s| s.0),
                after: sa.map(|s| s.0),
                before_text: text(sb),
                after_text: text(sa),
                change_text,
                change_ci95: None,
                test: Test::IntervalOverlap,
                verdict,
            }
        })
        .collect()
}

fn latency(rb: &SimResults, ra: &SimResults) -> Vec<Figure> {
    let pops: BTreeSet<&String> = rb.latency.keys().chain(ra.latency.keys()).collect();
    let mut out = Vec::new();
    for p in pops {
        for (q, label) in [("p50", "P50"), ("p99", "P99")] {
            let value = |r: &SimResults| {
                r.latency
                    .get(p)
                    .filter(|l| l.normal.requests > 0)
                    .map(|l| if q == "p50" { l.normal.p50_ms } else { l.normal.p99_ms })
            };
            let (b, a) = (value(rb), value(ra));
            let verdict = match (b, a) {
                (Some(b), Some(a)) => {
                    let d = a - b;
                    if d.abs() < 1e-9 {
                        Verdict::Unchanged
                    } else if d.abs() > LATENCY_TOLERANCE_MS && d.abs() > LATENCY_TOLERANCE_SHARE * b.abs() {
                        direction(Better::Lower, d)
                    } else {
                        Verdict::NotSignificant
                    }
                }
                (None, None) => Verdict::Unchanged,
                _ => Verdict::OneSide,
            };
            let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.0} ms"));
            let change_text = match (b, a) {
                (Some(b), Some(a)) => format!("{:+.1} ms", a - b),
                _ => "-".to_owned(),
            };
            out.push(Figure {
                key: format!("latency_{q}_ms.{p}"),
                label: format!("latency {label} {p}"),
                group: Group::Latency,
                better: Better::Lower,
                before: b,
                after: a,
                before_text: ms(b),
                after_text: ms(a),
                change_text,
                change_ci95: None,
                test: Test::Tolerance,
                verdict,
            });
        }
    }
    out
}

fn exact(
    key: &str,
    label: &str,
    group: Group,
    b: Option<f64>,
    a: Option<f64>,
    tolerance_percent: f64,
) -> Figure {
    let (vb, va) = (b.unwrap_or(0.0), a.unwrap_or(0.0));
    let d = va - vb;
    let verdict = if d.abs() < 0.005 {
        Verdict::Unchanged
    } else if d > 0.0 && d <= vb.abs() * tolerance_percent / 100.0 {
        Verdict::NotSignificant
    } else {
        direction(Better::Lower, d)
    };
    let sign = if d < 0.0 { "-" } else { "+" };
    let share = if vb.abs() > 0.0 { format!(" ({:+.1}%)", d / vb * 100.0) } else { String::new() };
    Figure {
        key: key.to_owned(),
        label: label.to_owned(),
        group,
        better: Better::Lower,
        before: b,
        after: a,
        before_text: Usd(vb).to_string(),
        after_text: Usd(va).to_string(),
        change_text: format!("{sign}{}{share}", Usd(d.abs())),
        change_ci95: None,
        test: Test::Exact,
        verdict,
    }
}

fn findings(before: &Assessment, after: &Assessment) -> Vec<FindingChange> {
    type Key = (String, String);
    let stat = |a: &Assessment| -> BTreeMap<Key, String> {
        a.data_law
            .static_findings()
            .iter()
            .filter(|f| f.fails())
            .map(|f| {
                let mut subject = f.entity.to_string();
                if let Some(c) = &f.data_class {
                    subject = format!("{subject} ({c})");
                }
                if let Some(l) = &f.crossing {
                    subject = format!("{subject} via link {l}");
                }
                ((f.rule.clone(), subject), f.message.clone())
            })
            .collect()
    };
    let dynamic = |a: &Assessment| -> BTreeMap<Key, String> {
        a.data_law
            .dynamic
            .iter()
            .flat_map(|d| &d.violations)
            .filter(|v| v.waiver.is_none())
            .map(|v| {
                let class = v.data_class.as_deref().map(|c| format!(" ({c})")).unwrap_or_default();
                (
                    (v.rule.clone(), format!("population {} in {}{class}", v.population, v.region)),
                    v.message.clone(),
                )
            })
            .collect()
    };
    let mut out = Vec::new();
    for (check, b, a) in
        [("static", stat(before), stat(after)), ("scenario", dynamic(before), dynamic(after))]
    {
        for ((rule, subject), message) in &a {
            if !b.contains_key(&(rule.clone(), subject.clone())) {
                out.push(FindingChange {
                    check,
                    status: "added",
                    rule: rule.clone(),
                    subject: subject.clone(),
                    message: message.clone(),
                });
            }
        }
        for ((rule, subject), message) in &b {
            if !a.contains_key(&(rule.clone(), subject.clone())) {
                out.push(FindingChange {
                    check,
                    status: "resolved",
                    rule: rule.clone(),
                    subject: subject.clone(),
                    message: message.clone(),
                });
            }
        }
    }
    out
}

/// The targets of both designs by label, paired: a target missed after and not before is newly
/// missed; one met after and missed before is newly met.
fn targets(before: &Assessment, after: &Assessment) -> Vec<TargetChange> {
    use crate::targets::{TargetCheck, Verdict as T};
    let checks = |a: &Assessment| -> Vec<TargetCheck> {
        a.targets.as_ref().map(|r| r.checks.clone()).unwrap_or_default()
    };
    let (b, a) = (checks(before), checks(after));
    let mut labels: Vec<String> = a.iter().map(TargetCheck::label).collect();
    for c in &b {
        if !labels.contains(&c.label()) {
            labels.push(c.label());
        }
    }
    labels
        .into_iter()
        .map(|label| {
            let find = |v: &[TargetCheck]| v.iter().find(|c| c.label() == label).cloned();
            let (cb, ca) = (find(&b), find(&a));
            let verdict =
                |c: &Option<TargetCheck>| c.as_ref().map_or(String::new(), |c| c.verdict_text().to_owned());
            let status = match (cb.as_ref().map(|c| c.verdict), ca.as_ref().map(|c| c.verdict)) {
                (b, Some(T::Missed)) if b != Some(T::Missed) => "newly missed",
                (Some(T::Missed), Some(T::Met)) => "newly met",
                (_, Some(T::Missed)) => "still missed",
                (_, Some(T::Met)) => "met",
                _ => "not evaluated",
            };
            let detail = ca
                .as_ref()
                .or(cb.as_ref())
                .map_or(String::new(), |c| format!("{}: {}", c.target_text(), c.measured_text()));
            TargetChange { target: label, before: verdict(&cb), after: verdict(&ca), detail, status }
        })
        .collect()
}
