//! Calibration: what a drill measured against what the simulator predicted, and which model
//! parameters the difference points at (`meridian calibrate`, `docs/calibrate.md`).
//!
//! A prediction is contradicted when the observed figure lies outside its P5..P95 over runs
//! ([`crate::experiments::Spread`]). A contradicted RTO is laid at the recovery phase that takes
//! the most time in the prediction (detection, operator decision, traffic switch, restore,
//! scale-out, promotion); the parameter behind that phase is named with its cited catalog default
//! and the value that would move the median onto the observation, assuming the phase grows one
//! for one with it (a first-order estimate, said so in the output).

use std::path::Path;

use meridian_model::Catalog;
use meridian_model::format::LoadError;
use meridian_sim::phases::Phase;
use serde::{Deserialize, Serialize};

use crate::experiments::{Prediction, Spread};
use crate::units::Seconds;

/// A drill's results file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observed {
    /// The scenario the experiments came from (a built-in name or a path), used when the command
    /// line names none.
    #[serde(default)]
    pub scenario: Option<String>,
    /// What each experiment measured.
    pub experiments: Vec<ObservedExperiment>,
}

/// What one experiment measured; every figure is optional, at least one is required.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservedExperiment {
    /// The experiment's name as `export-experiments` wrote it (`2-az-use1-az2`).
    pub name: String,
    /// From the fault until the last client was served again, seconds.
    #[serde(default)]
    pub rto_s: Option<f64>,
    /// The data-loss window, seconds.
    #[serde(default)]
    pub rpo_s: Option<f64>,
    /// Requests that failed.
    #[serde(default)]
    pub errors: Option<f64>,
}

/// Parses a results file, locating errors at the line, column and field.
pub fn parse_observed(text: &str, file: &Path) -> Result<Observed, LoadError> {
    let err =
        |line, col, message: String, field| LoadError { file: file.to_owned(), line, col, message, field };
    let mut de = serde_json::Deserializer::from_str(text);
    let observed: Observed = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        err(inner.line(), inner.column(), inner.to_string(), (path != ".").then_some(path))
    })?;
    for (i, x) in observed.experiments.iter().enumerate() {
        let at = |field: &str| locate(text, i, field);
        if x.rto_s.is_none() && x.rpo_s.is_none() && x.errors.is_none() {
            let (l, c) = at("name");
            return Err(err(
                l,
                c,
                "give at least one of rto_s, rpo_s, errors".into(),
                Some(format!("experiments[{i}]")),
            ));
        }
        for (field, v) in [("rto_s", x.rto_s), ("rpo_s", x.rpo_s), ("errors", x.errors)] {
            if let Some(v) = v
                && !(v.is_finite() && v >= 0.0)
            {
                let (l, c) = at(field);
                return Err(err(
                    l,
                    c,
                    format!("must be zero or more, not {v}"),
                    Some(format!("experiments[{i}].{field}")),
                ));
            }
        }
    }
    Ok(observed)
}

/// Line and column of `"field"` in the `i`-th experiment object (the file's `i+1`-th `"name"`
/// key starts it), or (0, 0).
fn locate(text: &str, i: usize, field: &str) -> (usize, usize) {
    let mut starts = text.match_indices("\"name\"").map(|(p, _)| p);
    let Some(start) = starts.nth(i) else { return (0, 0) };
    let end = text[start + 1..].find("\"name\"").map_or(text.len(), |p| start + 1 + p);
    let key = format!("\"{field}\"");
    let pos = text[start..end].find(&key).map_or(start, |p| start + p);
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let col = pos - before.rfind('\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

/// One figure compared.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Experiment name.
    pub experiment: String,
    /// `RTO`, `RPO` or `errors`.
    pub figure: &'static str,
    /// The prediction over runs.
    pub predicted: Spread,
    /// What was measured.
    pub observed: f64,
    /// Whether the observation lies outside P5..P95.
    pub contradicted: bool,
}

/// A model parameter the observations contradict.
#[derive(Debug, Clone, Serialize)]
pub struct Flag {
    /// Experiment name.
    pub experiment: String,
    /// The parameter.
    pub parameter: String,
    /// Why, with the suggested value.
    pub reason: String,
}

/// The comparison of a drill with the predictions.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// Every figure observed.
    pub checks: Vec<Check>,
    /// Parameters to revisit.
    pub flags: Vec<Flag>,
    /// Observed experiments with no prediction (a name `export-experiments` did not write).
    pub unknown: Vec<String>,
}

impl Calibration {
    /// Whether any prediction is contradicted.
    pub fn contradicted(&self) -> bool {
        self.checks.iter().any(|c| c.contradicted)
    }
}

/// Compares `observed` with `predictions`.
pub fn calibrate(observed: &Observed, predictions: &[Prediction], catalog: &Catalog) -> Calibration {
    let mut cal = Calibration { checks: Vec::new(), flags: Vec::new(), unknown: Vec::new() };
    for x in &observed.experiments {
        let Some(p) = predictions.iter().find(|p| p.name == x.name) else {
            cal.unknown.push(x.name.clone());
            continue;
        };
        for (figure, spread, value) in
            [("RTO", p.rto_s, x.rto_s), ("RPO", p.rpo_s, x.rpo_s), ("errors", p.requests_lost, x.errors)]
        {
            let Some(v) = value else { continue };
            let contradicted = !spread.contains(v);
            cal.checks.push(Check {
                experiment: x.name.clone(),
                figure,
                predicted: spread,
                observed: v,
                contradicted,
            });
            if !contradicted {
                continue;
            }
            match figure {
                "RTO" => cal.flags.push(rto_flag(p, v, catalog)),
                "RPO" => cal.flags.push(Flag {
                    experiment: x.name.clone(),
                    parameter: "replication lag or backup interval".into(),
                    reason: format!(
                        "observed RPO {} outside the predicted {}..{}: the model's replication lag (or, for a restore, the backup interval: catalog default {}) {}",
                        Seconds(v).fine(),
                        Seconds(spread.p5).fine(),
                        Seconds(spread.p95).fine(),
                        Seconds(catalog.defaults().backup_interval.value.as_secs_f64()).fine(),
                        if v > spread.p95 { "is shorter than the system's" } else { "is longer than the system's" }
                    ),
                }),
                _ => cal.flags.push(Flag {
                    experiment: x.name.clone(),
                    parameter: "traffic".into(),
                    reason: format!(
                        "observed {v:.0} errors outside the predicted {:.0}..{:.0}: if the RTO agrees, the drill's request rate differs from the design's populations (set it with a scenario traffic override)",
                        spread.p5, spread.p95
                    ),
                }),
            }
        }
    }
    cal
}

/// The parameter behind the phase that takes the most recovery time, and the value that would
/// move the median RTO onto `observed`.
fn rto_flag(p: &Prediction, observed: f64, catalog: &Catalog) -> Flag {
    let delta = observed - p.rto_s.p50;
    let rows = p.phases.rows();
    let main = rows
        .iter()
        .filter(|(_, s)| s.count > 0)
        .max_by(|a, b| (a.1.mean_s * a.1.count as f64).total_cmp(&(b.1.mean_s * b.1.count as f64)));
    let d = catalog.defaults();
    let dir = if delta > 0.0 { "more slowly" } else { "faster" };
    let (parameter, reason) = match main {
        None => (
            "fault reproduction".to_owned(),
            format!(
                "observed RTO {} but the model predicts no recovery to time (no outage): check that the experiment reproduced the simulated fault (HYPOTHESES.md notes)",
                Seconds(observed).fine()
            ),
        ),
        Some((phase, s)) => {
            let target = (s.mean_s + delta).max(0.0);
            let factor = if s.mean_s > 0.0 { target / s.mean_s } else { 1.0 };
            let (parameter, suggested) = match phase {
                Phase::Detection => {
                    let interval = d.health_check_interval.value.as_secs_f64();
                    (
                        format!(
                            "health-check interval x failure threshold (catalog default {} x {})",
                            Seconds(interval).fine(),
                            d.health_check_failure_threshold.value
                        ),
                        format!("an interval of {} at the same threshold", Seconds(interval * factor).fine()),
                    )
                }
                Phase::Decision => {
                    let mean = d.recovery.operator_response.value.mean_secs();
                    (
                        "operator response time".to_owned(),
                        format!("a mean response of {}", Seconds((mean + delta).max(0.0)).fine()),
                    )
                }
                Phase::Switch => {
                    let ttl = d.dns_ttl.value.as_secs_f64();
                    ("DNS TTL".to_owned(), format!("a TTL of {}", Seconds((ttl + delta).max(0.0)).fine()))
                }
                Phase::ScaleOut => (
                    "scale-out time (alarm and launch)".to_owned(),
                    format!("a scale-out of {}", Seconds(target).fine()),
                ),
                Phase::Restore => {
                    let mean = d.recovery.deploy_time.value.mean_secs();
                    (
                        "deploy and restore time".to_owned(),
                        format!("a deploy and restore of {}", Seconds((mean + delta).max(0.0)).fine()),
                    )
                }
                Phase::Promotion => {
                    ("promotion time".to_owned(), format!("a promotion of {}", Seconds(target).fine()))
                }
            };
            (
                parameter,
                format!(
                    "observed RTO {} outside the predicted {}..{} (P50 {}): the system recovers {} than modelled; {} takes most of the predicted recovery ({} on average), so {} would match (first-order estimate)",
                    Seconds(observed).fine(),
                    Seconds(p.rto_s.p5).fine(),
                    Seconds(p.rto_s.p95).fine(),
                    Seconds(p.rto_s.p50).fine(),
                    dir,
                    phase.label(),
                    Seconds(s.mean_s).fine(),
                    suggested
                ),
            )
        }
    };
    Flag { experiment: p.name.clone(), parameter, reason }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use meridian_sim::phases::{PhaseSummary, RecoveryPhases};

    use super::*;

    fn prediction(phases: RecoveryPhases) -> Prediction {
        Prediction {
            name: "1-x".into(),
            fault: "x".into(),
            at_s: 0,
            duration_s: 60,
            runs: 20,
            rto_s: Spread::of((80..100).map(f64::from).collect()),
            rpo_s: Spread::default(),
            requests_lost: Spread::of(vec![10.0, 20.0]),
            phases,
        }
    }

    #[test]
    fn spreads_are_nearest_rank() {
        let s = Spread::of((1..=100).map(f64::from).collect());
        assert_eq!((s.p5, s.p50, s.p95), (5.0, 50.0, 95.0));
        assert!(s.contains(5.0) && s.contains(95.0) && !s.contains(96.0));
    }

    #[test]
    fn a_slow_detection_points_at_the_health_check_interval() {
        let catalog = Catalog::builtin().unwrap();
        let phases = RecoveryPhases {
            detection: PhaseSummary { count: 20, mean_s: 60.0 },
            switch: PhaseSummary { count: 20, mean_s: 25.0 },
            ..RecoveryPhases::default()
        };
        let observed = Observed {
            scenario: None,
            experiments: vec![ObservedExperiment {
                name: "1-x".into(),
                rto_s: Some(150.0),
                rpo_s: None,
                errors: Some(15.0),
            }],
        };
        let cal = calibrate(&observed, &[prediction(phases)], catalog);
        assert!(cal.contradicted());
        assert_eq!(cal.checks.len(), 2);
        assert!(!cal.checks[1].contradicted, "errors within 10..20");
        assert_eq!(cal.flags.len(), 1);
        assert!(cal.flags[0].parameter.starts_with("health-check interval"), "{:?}", cal.flags);
        // Detection must grow from 60 s by 150 - P50 (89 s): x (60 + 61) / 60 of the interval.
        let interval = catalog.defaults().health_check_interval.value.as_secs_f64();
        let want = Seconds(interval * (60.0 + 61.0) / 60.0).fine();
        assert!(cal.flags[0].reason.contains(&want), "{} lacks {want}", cal.flags[0].reason);
    }

    #[test]
    fn observations_within_the_spread_contradict_nothing() {
        let observed = Observed {
            scenario: None,
            experiments: vec![ObservedExperiment {
                name: "1-x".into(),
                rto_s: Some(85.0),
                rpo_s: Some(0.0),
                errors: None,
            }],
        };
        let cal = calibrate(&observed, &[prediction(RecoveryPhases::default())], Catalog::builtin().unwrap());
        assert!(!cal.contradicted() && cal.flags.is_empty());
    }

    #[test]
    fn results_errors_name_line_column_and_field() {
        let e =
            parse_observed("{\"experiments\": [\n {\"name\": \"a\"}\n]}", Path::new("r.json")).unwrap_err();
        assert_eq!((e.line, e.field.as_deref()), (2, Some("experiments[0]")));
        let e =
            parse_observed("{\"experiments\": [{\"name\": \"a\", \"rto_s\": \"1\"}]}", Path::new("r.json"))
                .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("experiments[0].rto_s"), "{e}");
    }
}
