//! The dynamic check: policies evaluated on a simulator's record of where each population was
//! served and where its writes landed, over time, per scenario.
//!
//! The simulator emits a [`ScenarioRecord`] per scenario: one [`ServedInterval`] per population,
//! region and stretch of time in which the population's requests were served in (or its writes
//! landed in) that region. [`check_dynamic`] finds the violations that happen only during
//! incidents (failover sends EU users to us-east-1, a promoted replica outside the EU takes
//! writes) and counts the minutes, requests and writes affected.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::check::{Verdict, place_verdict};
use super::flow::Home;
use super::jurisdiction::Jurisdictions;
use super::policy::{Policy, RuleKind, RuleKindTag, class_matches};
use crate::catalog::Catalog;
use crate::design::{Design, EntityRef, Waiver};
use crate::ids::{PopulationId, RegionId};
use crate::time::TimeSpan;

/// A stretch of simulated time in which a population was served in, or wrote to, one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServedInterval {
    /// The population.
    pub population: PopulationId,
    /// The region that served its requests or took its writes.
    pub region: RegionId,
    /// Start of the stretch, from the start of the simulation.
    pub start: TimeSpan,
    /// End of the stretch (exclusive).
    pub end: TimeSpan,
    /// Requests of the population served in the region in the stretch.
    pub requests: u64,
    /// Writes of the population that landed in a datastore in the region in the stretch.
    pub writes: u64,
}

/// Everything one scenario recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRecord {
    /// The scenario's name, e.g. `region-outage:eu-west-1`.
    pub scenario: String,
    /// The intervals, in any order.
    pub served: Vec<ServedInterval>,
}

/// A rule broken while a scenario ran, summed over its intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicViolation {
    /// The scenario.
    pub scenario: String,
    /// The rule, as `POLICY/RULE`.
    pub rule: String,
    /// What kind of rule it is.
    pub kind: RuleKindTag,
    /// The data class concerned.
    pub data_class: Option<String>,
    /// The population whose data or requests went out.
    pub population: PopulationId,
    /// Where they went.
    pub region: RegionId,
    /// Minutes of simulated time in which it happened (overlapping intervals counted once).
    pub minutes: f64,
    /// Requests served there in that time.
    pub requests: u64,
    /// Writes that landed there in that time.
    pub writes: u64,
    /// What happened, in a sentence.
    pub message: String,
    /// The waiver accepting it (on the population or the region), if any.
    pub waiver: Option<Waiver>,
}

/// The result of the dynamic check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DynamicReport {
    /// Violations, by scenario, rule, class, population and region.
    pub violations: Vec<DynamicViolation>,
    /// Every waiver of the design.
    pub waivers: Vec<Waiver>,
}

impl DynamicReport {
    /// Whether no violation is left unwaived.
    pub fn is_clean(&self) -> bool {
        self.violations.iter().all(|v| v.waiver.is_some())
    }
}

/// A record that does not fit the design.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("scenario {scenario}, served[{index}]: {message}")]
pub struct RecordError {
    /// The scenario.
    pub scenario: String,
    /// Index of the interval in `served`.
    pub index: usize,
    /// What is wrong.
    pub message: String,
}

/// (scenario, rule, rule kind, class, population, region).
type Key = (String, String, RuleKindTag, String, PopulationId, RegionId);

#[derive(Default)]
struct Sum {
    spans: Vec<(u64, u64)>,
    requests: u64,
    writes: u64,
    message: String,
}

/// Evaluates `policies` on what the simulator recorded.
///
/// Rules that can break during incidents are evaluated: `Residency` on writes landing outside the
/// allowed place, `Transfer` on requests or writes in a jurisdiction without a basis, and `Routing`
/// with `during_failover` on requests served outside. Encryption, inventory, backups and
/// normal-operation routing do not change during incidents and are left to the static check.
pub fn check_dynamic(
    design: &Design,
    catalog: &Catalog,
    policies: &[Policy],
    records: &[ScenarioRecord],
) -> Result<DynamicReport, RecordError> {
    let j = Jurisdictions::builtin().map_err(|e| RecordError {
        scenario: String::new(),
        index: 0,
        message: format!("internal error: {e}"),
    })?;
    let mut sums: BTreeMap<Key, Sum> = BTreeMap::new();
    for rec in records {
        for (index, iv) in rec.served.iter().enumerate() {
            let bad = |message: String| RecordError { scenario: rec.scenario.clone(), index, message };
            let p = design
                .population(&iv.population)
                .ok_or_else(|| bad(format!("population {} is not in the design", iv.population)))?;
            let region = catalog
                .region(iv.region.as_str())
                .ok_or_else(|| bad(format!("region {} is not in the catalog", iv.region)))?;
            if iv.end < iv.start {
                return Err(bad("the interval ends before it starts".into()));
            }
            for policy in policies {
                for rule in &policy.rules {
                    let classes = rule.kind.classes();
                    let class =
                        p.data_classes.iter().find(|c| classes.iter().any(|pat| class_matches(pat, c)));
                    let named = matches!(&rule.kind, RuleKind::Routing { populations, .. } if populations.iter().any(|n| n == p.id.as_str()));
                    let Some(class) = class.cloned().or_else(|| named.then(String::new)) else { continue };
                    let home = Home::of(&class, p.country.as_deref(), j);
                    let outside = |place| match place_verdict(j, place, &home, Some(region)) {
                        Verdict::Outside(w) => Some(w),
                        _ => None,
                    };
                    let hit = match &rule.kind {
                        RuleKind::Residency { allowed, .. } if iv.writes > 0 => {
                            outside(allowed).map(|w| format!("writes of {} land in {w}", p.id))
                        }
                        RuleKind::Routing { allowed, during_failover: true, .. } if iv.requests > 0 => {
                            outside(allowed).map(|w| format!("{} is served in {w}", p.id))
                        }
                        RuleKind::Transfer { within, accept, .. } if iv.requests + iv.writes > 0 => {
                            let inside = j.expand(within);
                            let free = inside.contains(&region.jurisdiction)
                                || inside.contains(&region.country)
                                || home.jurisdiction.as_deref() == Some(region.jurisdiction.as_str())
                                || j.bases(within, &region.jurisdiction, accept).next().is_some();
                            (!free).then(|| {
                                format!(
                                    "{} data of {} is processed in {} ({}) with no transfer basis this policy accepts",
                                    class, p.id, region.code, region.jurisdiction
                                )
                            })
                        }
                        _ => None,
                    };
                    let Some(message) = hit else { continue };
                    let key = (
                        rec.scenario.clone(),
                        policy.rule_name(rule),
                        rule.kind.tag(),
                        class,
                        p.id.clone(),
                        iv.region.clone(),
                    );
                    let sum = sums.entry(key).or_default();
                    sum.spans.push((iv.start.as_micros(), iv.end.as_micros()));
                    sum.requests += iv.requests;
                    sum.writes += iv.writes;
                    sum.message = message;
                }
            }
        }
    }
    let violations = sums
        .into_iter()
        .map(|((scenario, rule, kind, class, population, region), sum)| {
            let waiver = design
                .waiver(&rule, &EntityRef::Population(population.clone()))
                .or_else(|| design.waiver(&rule, &EntityRef::Region(region.clone())))
                .cloned();
            DynamicViolation {
                minutes: union_micros(sum.spans) as f64 / 60e6,
                scenario,
                rule,
                kind,
                data_class: (!class.is_empty()).then_some(class),
                population,
                region,
                requests: sum.requests,
                writes: sum.writes,
                message: sum.message,
                waiver,
            }
        })
        .collect();
    Ok(DynamicReport { violations, waivers: design.waivers().cloned().collect() })
}

/// Total length of the union of half-open spans, in microseconds.
fn union_micros(mut spans: Vec<(u64, u64)>) -> u64 {
    spans.sort_unstable();
    let mut total = 0;
    let mut current: Option<(u64, u64)> = None;
    for (s, e) in spans {
        current = match current {
            Some((cs, ce)) if s <= ce => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    total + current.map_or(0, |(s, e)| e - s)
}

#[cfg(test)]
mod tests {
    use super::union_micros;

    #[test]
    fn overlapping_spans_count_once() {
        assert_eq!(union_micros(vec![(0, 10), (5, 15), (20, 30)]), 25);
        assert_eq!(union_micros(vec![]), 0);
        assert_eq!(union_micros(vec![(3, 3)]), 0);
    }
}
