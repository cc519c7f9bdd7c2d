//! Scenarios: what happens to a design during a simulation, as a RON file (`docs/scenarios.md`).
//!
//! A scenario names a horizon, a number of runs and a seed, which random failure processes are
//! on, scheduled injections ("eu-west-1 down at 1 h for 2 h"), failure-behaviour overrides and
//! traffic overrides. [`load_scenario_str`] parses and checks a file against a design, pointing
//! every error at its line, column and field; [`builtin`](crate::builtin()) builds the named scenarios.

use std::fmt;
use std::path::Path;

use meridian_model::Design;
use meridian_model::dist::FailureSpec;
use meridian_model::format::LoadError;
use meridian_model::format::locate;
use meridian_model::time::TimeSpan;
use serde::{Deserialize, Serialize};

/// A scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Scenario", deny_unknown_fields)]
pub struct Scenario {
    /// Name shown in results.
    pub name: String,
    /// Simulated time per run.
    pub horizon: TimeSpan,
    /// Number of Monte Carlo runs.
    #[serde(default = "one")]
    pub runs: u32,
    /// Seed of run 0's random stream; run `i` uses a stream derived from `(seed, i)`.
    #[serde(default = "one_u64")]
    pub seed: u64,
    /// Which random failure processes run.
    #[serde(default)]
    pub random_failures: Processes,
    /// Failures forced at given times.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub injections: Vec<Injection>,
    /// Failure behaviour overriding the design and the catalog.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failure_overrides: Vec<FailureOverride>,
    /// Traffic overriding the design's populations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traffic: Vec<TrafficOverride>,
    /// Idealised routing: routers see endpoint health at once and clients follow at once
    /// (no health-check detection, TTL or shift delay). For comparison with reliability theory
    /// and to bound what faster detection could buy.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub instant_failover: bool,
}

fn one() -> u32 {
    1
}

fn one_u64() -> u64 {
    1
}

fn yes() -> bool {
    true
}

/// Which random failure processes are on.
// One switch per process is what the file format reads best as.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processes {
    /// Whole-region outages.
    #[serde(default = "yes")]
    pub regions: bool,
    /// Availability-zone outages.
    #[serde(default = "yes")]
    pub azs: bool,
    /// Network partitions between pairs of regions.
    #[serde(default = "yes")]
    pub partitions: bool,
    /// Failures of whole services.
    #[serde(default = "yes")]
    pub services: bool,
    /// Failures of single instances, tasks or nodes.
    #[serde(default = "yes")]
    pub instances: bool,
    /// Common-cause failures of deployment groups (a bad change reaching every member).
    #[serde(default = "yes")]
    pub common_cause: bool,
}

impl Default for Processes {
    fn default() -> Self {
        Processes {
            regions: true,
            azs: true,
            partitions: true,
            services: true,
            instances: true,
            common_cause: true,
        }
    }
}

impl Processes {
    /// Every process off.
    pub const NONE: Processes = Processes {
        regions: false,
        azs: false,
        partitions: false,
        services: false,
        instances: false,
        common_cause: false,
    };
}

/// What fails.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Target {
    /// A region of the design: everything in it.
    Region(String),
    /// An availability zone by AZ id, e.g. `use1-az2`: the instances in it.
    Az(String),
    /// A service as a whole.
    Service(String),
    /// The instances of a service, one by one (only in failure overrides).
    Instances(String),
    /// The network between two regions.
    Partition(String, String),
    /// A common-cause failure of a deployment group: a bad change reaching its members (wave by
    /// wave when the design deploys region by region).
    Deployment(String),
    /// The control plane of a region: repairs and promotions of services that need it wait.
    ControlPlane(String),
}

/// A failure forced at a given time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Injection {
    /// What fails.
    pub target: Target,
    /// When, from the start of the run.
    pub at: TimeSpan,
    /// For how long.
    pub duration: TimeSpan,
}

/// A failure behaviour that replaces the design's or catalog's for one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureOverride {
    /// Whose behaviour.
    pub target: Target,
    /// Time to failure and to repair.
    pub spec: FailureSpec,
}

/// Traffic that replaces a population's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficOverride {
    /// Population id.
    pub population: String,
    /// Requests per second instead of the design's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_sec: Option<f64>,
    /// Write fraction instead of the design's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_fraction: Option<f64>,
}

/// The longest horizon a scenario may ask for: 100,000 years.
pub const MAX_HORIZON: TimeSpan = TimeSpan::from_secs(100_000 * 36_525 * 864);

/// The most simulated time one scenario may ask for, runs x horizon: 100,000 run-years (for
/// example 1,000 runs of 100 years, or one run of 100,000 years). Time grows with it, memory does not:
/// the reference example simulates about 400 run-years per second on a loaded 2-core machine
/// (release build, 2026-12-04), so the largest accepted request takes minutes, not days.
pub const MAX_RUN_YEARS: u64 = 100_000;

/// The most Monte Carlo runs a scenario, the command line or the designer asks for.
pub const MAX_RUNS: u32 = 10_000_000;

/// Checks the simulated time a scenario asks for, `runs` x `horizon`, against [`MAX_RUN_YEARS`].
/// The one rule for every door (command line, scenario files, plans, the designer).
///
/// # Errors
/// The reason, naming the request and the bound.
pub fn check_run_years(runs: u32, horizon: TimeSpan) -> Result<(), String> {
    const YEAR_US: u128 = 36_525 * 864 * 1_000_000;
    let total_us = u128::from(runs) * u128::from(horizon.as_micros());
    if total_us > u128::from(MAX_RUN_YEARS) * YEAR_US {
        let years = total_us / YEAR_US;
        Err(format!(
            "{runs} run(s) of {horizon} is {years} simulated years; at most {MAX_RUN_YEARS} \
             (for example 1000 runs of 100y): lower the runs or the horizon"
        ))
    } else {
        Ok(())
    }
}

/// Checks a horizon (a scenario's, `--horizon`, the designer's simulation panel): longer than
/// zero and at most [`MAX_HORIZON`]. The one rule for every door; the message names no field.
///
/// # Errors
/// The reason, e.g. `must be longer than zero and at most 100000y`.
pub fn check_horizon(horizon: TimeSpan) -> Result<(), String> {
    if horizon == TimeSpan::ZERO || horizon > MAX_HORIZON {
        Err("must be longer than zero and at most 100000y".into())
    } else {
        Ok(())
    }
}

/// A problem in a scenario: the field path and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioProblem {
    /// Field path, e.g. `injections[0].target`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl Scenario {
    /// Checks the scenario against `design`; returns the first problem.
    pub fn check(&self, design: &Design) -> Result<(), ScenarioProblem> {
        let bad = |field: String, message: String| Err(ScenarioProblem { field, message });
        check_horizon(self.horizon).or_else(|m| bad("horizon".into(), m))?;
        meridian_model::check_name(&self.name).or_else(|m| bad("name".into(), m))?;
        if self.runs == 0 || self.runs > MAX_RUNS {
            return bad("runs".into(), format!("must be between 1 and {MAX_RUNS}, not {}", self.runs));
        }
        // The file's own request, located at its runs (before: refused later, naming no file).
        check_run_years(self.runs, self.horizon).or_else(|m| bad("runs".into(), m))?;
        for (i, inj) in self.injections.iter().enumerate() {
            if matches!(inj.target, Target::Instances(_)) {
                return bad(
                    format!("injections[{i}].target"),
                    "inject `Service(..)`, `Region(..)`, `Az(..)` or `Partition(..)`; `Instances` is for failure overrides".into(),
                );
            }
            check_target(&inj.target, design).or_else(|m| bad(format!("injections[{i}].target"), m))?;
            if inj.duration == TimeSpan::ZERO {
                return bad(format!("injections[{i}].duration"), "must be longer than zero".into());
            }
            if inj.at >= self.horizon {
                return bad(
                    format!("injections[{i}].at"),
                    format!(
                        "starts at {}, not before the end of the {} horizon, so it would never happen; \
                         start it earlier or lengthen the horizon",
                        inj.at, self.horizon
                    ),
                );
            }
        }
        for (i, o) in self.failure_overrides.iter().enumerate() {
            if matches!(o.target, Target::Deployment(_) | Target::ControlPlane(_)) {
                return bad(
                    format!("failure_overrides[{i}].target"),
                    "override `Region(..)`, `Az(..)`, `Service(..)`, `Instances(..)` or `Partition(..)`; a deployment group's rate is its beta factor".into(),
                );
            }
            check_target(&o.target, design).or_else(|m| bad(format!("failure_overrides[{i}].target"), m))?;
            if let Err((f, m)) = o.spec.check() {
                return bad(format!("failure_overrides[{i}].spec.{f}"), m);
            }
        }
        for (i, t) in self.traffic.iter().enumerate() {
            if design.populations().all(|p| p.id.as_str() != t.population) {
                return bad(
                    format!("traffic[{i}].population"),
                    format!("population `{}` is not in the design", t.population),
                );
            }
            // The design's bound for a population's rate (`requests_per_sec`, 0 to 1e9).
            if let Some(r) = t.requests_per_sec
                && !(r.is_finite() && (0.0..=1e9).contains(&r))
            {
                return bad(
                    format!("traffic[{i}].requests_per_sec"),
                    if r.abs() >= 1e15 {
                        format!("must be a number from 0 to 1000000000, not {r:e}")
                    } else {
                        format!("must be a number from 0 to 1000000000, not {r}")
                    },
                );
            }
            if let Some(w) = t.write_fraction
                && !(0.0..=1.0).contains(&w)
            {
                return bad(
                    format!("traffic[{i}].write_fraction"),
                    format!("must be between 0 and 1, not {w}"),
                );
            }
        }
        Ok(())
    }
}

impl Scenario {
    /// The injections that start at or after the end of the horizon, with their index: a horizon
    /// given on the command line or in a plan (shorter than the scenario's own) leaves them out of
    /// the runs. A scenario file where that happens under its own horizon is refused by
    /// [`Scenario::check`].
    pub fn unreached(&self) -> impl Iterator<Item = (usize, &Injection)> {
        self.injections.iter().enumerate().filter(move |(_, inj)| inj.at >= self.horizon)
    }

    /// A warning naming the injections [`Scenario::unreached`] leaves out, or `None`.
    pub fn unreached_warning(&self) -> Option<String> {
        let left: Vec<String> = self
            .unreached()
            .map(|(i, inj)| format!("injections[{i}] ({} at {})", inj.target, inj.at))
            .collect();
        let first = left.first()?;
        let rest = match left.len() {
            1 => String::new(),
            2 => format!(" and {}", left[1]),
            n => format!(" and {} more", n - 1),
        };
        Some(format!(
            "the {} horizon ends before {first}{rest} of scenario `{}` {}: not simulated; lengthen the horizon to include {}",
            self.horizon,
            self.name,
            if left.len() == 1 { "starts" } else { "start" },
            if left.len() == 1 { "it" } else { "them" },
        ))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Region(r) => write!(f, "region {r}"),
            Target::Az(a) => write!(f, "AZ {a}"),
            Target::Service(s) => write!(f, "service {s}"),
            Target::Instances(s) => write!(f, "the instances of {s}"),
            Target::Partition(a, b) => write!(f, "the network between {a} and {b}"),
            Target::Deployment(g) => write!(f, "deployment group {g}"),
            Target::ControlPlane(r) => write!(f, "the control plane of {r}"),
        }
    }
}

fn check_target(target: &Target, design: &Design) -> Result<(), String> {
    let region = |id: &str| {
        if design.regions().any(|r| r.id.as_str() == id) {
            Ok(())
        } else {
            let known: Vec<&str> = design.regions().map(|r| r.id.as_str()).collect();
            Err(format!("region `{id}` is not in the design (it has {})", known.join(", ")))
        }
    };
    let service = |id: &str| {
        if design.services().any(|s| s.id.as_str() == id) {
            Ok(())
        } else {
            Err(format!("service `{id}` is not in the design"))
        }
    };
    match target {
        Target::Region(r) => region(r),
        Target::Az(az) => {
            if design.regions().any(|r| r.azs.iter().any(|a| a == az)) {
                Ok(())
            } else {
                Err(format!("AZ `{az}` is not used by any region of the design"))
            }
        }
        Target::Service(s) | Target::Instances(s) => service(s),
        Target::Partition(a, b) => {
            region(a)?;
            region(b)?;
            if a == b { Err("a partition needs two different regions".into()) } else { Ok(()) }
        }
        Target::Deployment(g) => {
            if design.services().any(|s| s.deployment_group.as_deref() == Some(g.as_str())) {
                Ok(())
            } else {
                let mut groups: Vec<&str> =
                    design.services().filter_map(|s| s.deployment_group.as_deref()).collect();
                groups.sort_unstable();
                groups.dedup();
                Err(format!(
                    "no service is in deployment group `{g}` ({})",
                    if groups.is_empty() {
                        "the design declares none".to_owned()
                    } else {
                        format!("groups: {}", groups.join(", "))
                    }
                ))
            }
        }
        Target::ControlPlane(r) => {
            if design.services().any(|s| s.control_plane.as_ref().is_some_and(|c| c.as_str() == r)) {
                Ok(())
            } else {
                Err(format!("no service declares control_plane `{r}`, so its control plane affects nothing"))
            }
        }
    }
}

/// Parses and checks a scenario from `text`; `path` names the file in messages.
pub fn load_scenario_str(text: &str, path: &Path, design: &Design) -> Result<Scenario, LoadError> {
    let err = |line, col, message, field| LoadError { file: path.to_owned(), line, col, message, field };
    let scenario: Scenario = meridian_model::format::parse_ron(text, path, "scenario")?;
    scenario.check(design).map_err(|p| {
        let lc = locate::locate(text, &locate::parse_path(&p.field));
        err(lc.line, lc.col, p.message, Some(p.field))
    })?;
    Ok(scenario)
}

/// Reads and checks the scenario file at `path`.
pub fn load_scenario_file(path: &Path, design: &Design) -> Result<Scenario, LoadError> {
    let text = meridian_model::format::read_text(path, meridian_model::format::Limit::Scenario)?;
    load_scenario_str(&text, path, design)
}

/// Writes a scenario as RON text.
pub fn scenario_to_string(scenario: &Scenario) -> Result<String, ron::Error> {
    ron::ser::to_string_pretty(scenario, ron::ser::PrettyConfig::default().struct_names(true))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

    use super::*;

    fn with(at_hours: &[u64], horizon_hours: u64) -> Scenario {
        let h = |n: u64| TimeSpan::from_secs(n * 3600);
        Scenario {
            name: "s".into(),
            horizon: h(horizon_hours),
            injections: at_hours
                .iter()
                .map(|&a| Injection { target: Target::Region("us-east-1".into()), at: h(a), duration: h(1) })
                .collect(),
            runs: 1,
            seed: 1,
            random_failures: Processes::NONE,
            failure_overrides: Vec::new(),
            traffic: Vec::new(),
            instant_failover: false,
        }
    }

    #[test]
    fn injections_from_the_end_of_the_horizon_on_are_unreached_and_named() {
        assert_eq!(with(&[1, 5], 6).unreached_warning(), None);
        let one = with(&[1, 6], 6);
        assert_eq!(one.unreached().map(|(i, _)| i).collect::<Vec<_>>(), vec![1]);
        assert_eq!(
            one.unreached_warning().unwrap(),
            "the 6h horizon ends before injections[1] (region us-east-1 at 6h) of scenario `s` starts: \
             not simulated; lengthen the horizon to include it"
        );
        assert!(with(&[1, 7, 8], 6).unreached_warning().unwrap().contains(
            "injections[1] (region us-east-1 at 7h) and injections[2] (region us-east-1 at 8h) of scenario `s` start: not simulated; lengthen the horizon to include them"
        ));
        assert!(
            with(&[7, 8, 9, 10], 6)
                .unreached_warning()
                .unwrap()
                .contains("injections[0] (region us-east-1 at 7h) and 3 more")
        );
    }

    #[test]
    fn targets_read_as_words() {
        assert_eq!(Target::Partition("a".into(), "b".into()).to_string(), "the network between a and b");
        assert_eq!(Target::Az("use1-az1".into()).to_string(), "AZ use1-az1");
        assert_eq!(Target::Service("api".into()).to_string(), "service api");
    }
}
