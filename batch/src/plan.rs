//! The plan file: designs, scenarios, parameter sweeps, runs, seeds and gates, as RON
//! (`docs/batch.md`).
//!
//! [`load_plan`] parses the file and checks every field, pointing each error at its line, column
//! and field path the way design files do; [`crate::Matrix`] then resolves globs and files.

use std::path::Path;

use meridian_model::format::LoadError;
use meridian_model::format::locate;
use meridian_model::time::TimeSpan;
use serde::{Deserialize, Serialize};

use crate::gate::Gate;
use crate::sweep::Sweep;

/// A batch plan as written in its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "Plan", deny_unknown_fields)]
pub struct Plan {
    /// Name shown in reports and JUnit output.
    pub name: String,
    /// Design files or glob patterns, relative to the plan file's folder.
    pub designs: Vec<String>,
    /// Built-in scenario names or scenario files (relative to the plan file's folder).
    pub scenarios: Vec<String>,
    /// Runs per combination instead of each scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs: Option<u32>,
    /// Simulated time per run instead of each scenario's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<TimeSpan>,
    /// Seeds; each is a combination of its own. Empty: each scenario's own seed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seeds: Vec<u64>,
    /// Parameter sweeps; every combination of their values is run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sweeps: Vec<Sweep>,
    /// Policy packs or policy files for the data-law gate. Empty: every shipped pack.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
    /// Gates every combination must pass.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
}

/// Most runs a combination may ask for.
pub const MAX_RUNS: u32 = 10_000_000;
/// Most seeds a plan may list (each is a combination of its own).
pub const MAX_SEEDS: usize = 10_000;
/// Most combinations a plan may expand to.
pub const MAX_COMBINATIONS: u64 = 100_000_000;

/// A problem with one field of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanProblem {
    /// The field path, e.g. `sweeps[1].values`.
    pub field: String,
    /// What is wrong and what would be valid.
    pub message: String,
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> PlanProblem {
    PlanProblem { field: field.into(), message: message.into() }
}

impl Plan {
    /// Checks the fields that need no file system: counts, ranges, duplicates.
    pub fn check(&self) -> Result<(), PlanProblem> {
        if self.name.trim().is_empty() {
            return Err(problem("name", "must not be empty"));
        }
        meridian_model::check_name(&self.name).map_err(|why| problem("name", why))?;
        if self.designs.is_empty() {
            return Err(problem("designs", "list at least one design file or glob pattern"));
        }
        if self.scenarios.is_empty() {
            return Err(problem(
                "scenarios",
                "list at least one scenario: a built-in name (region-outage, az-outage, partition, random-year, gdpr-failover, primary-outage) or a file",
            ));
        }
        for (i, d) in self.designs.iter().enumerate() {
            check_relative(d).map_err(|why| problem(format!("designs[{i}]"), why))?;
            if !Path::new(d).extension().is_some_and(|e| e.eq_ignore_ascii_case("ron")) {
                return Err(problem(
                    format!("designs[{i}]"),
                    format!("`{d}` does not end in `.ron`; design files and patterns name `.ron` files"),
                ));
            }
        }
        for (i, s) in self.scenarios.iter().enumerate() {
            check_relative(s).map_err(|why| problem(format!("scenarios[{i}]"), why))?;
        }
        for (i, s) in self.policies.iter().enumerate() {
            check_relative(s).map_err(|why| problem(format!("policies[{i}]"), why))?;
        }
        // The same entry twice is a slip (patterns that overlap are not: each file runs once).
        for (field, list) in [("designs", &self.designs), ("policies", &self.policies)] {
            if let Some(i) = (1..list.len()).find(|&i| list[..i].contains(&list[i])) {
                return Err(problem(format!("{field}[{i}]"), format!("`{}` is listed twice", list[i])));
            }
        }
        if let Some(runs) = self.runs
            && !(1..=MAX_RUNS).contains(&runs)
        {
            return Err(problem("runs", format!("must be from 1 to {MAX_RUNS}")));
        }
        if let Some(h) = self.horizon
            && (h == TimeSpan::ZERO || h > meridian_sim::scenario::MAX_HORIZON)
        {
            return Err(problem("horizon", "must be longer than zero and at most 100000y"));
        }
        if self.seeds.len() > MAX_SEEDS {
            return Err(problem(
                "seeds",
                format!("lists {} seeds; at most {MAX_SEEDS} are allowed", self.seeds.len()),
            ));
        }
        // A set, not a scan of the earlier seeds: 10,000 seeds are checked at once.
        let mut seen = std::collections::BTreeSet::new();
        for (i, s) in self.seeds.iter().enumerate() {
            if !seen.insert(s) {
                return Err(problem(format!("seeds[{i}]"), format!("seed {s} is listed twice")));
            }
        }
        for (i, sweep) in self.sweeps.iter().enumerate() {
            sweep.check().map_err(|(field, message)| problem(format!("sweeps[{i}].{field}"), message))?;
            if self.sweeps[..i].iter().any(|s| s.name() == sweep.name()) {
                return Err(problem(
                    format!("sweeps[{i}]"),
                    format!("`{}` is swept twice; list all its values in one sweep", sweep.name()),
                ));
            }
        }
        for (i, gate) in self.gates.iter().enumerate() {
            gate.check().map_err(|(field, message)| {
                let field =
                    if field.is_empty() { format!("gates[{i}]") } else { format!("gates[{i}].{field}") };
                problem(field, message)
            })?;
            if let Some(other) =
                self.gates[..i].iter().find(|g| std::mem::discriminant(*g) == std::mem::discriminant(gate))
            {
                let message = if other == gate {
                    format!("`{}` is listed twice", gate.label())
                } else {
                    format!(
                        "`{}` and `{}` gate the same figure; keep one threshold per figure",
                        other.label(),
                        gate.label()
                    )
                };
                return Err(problem(format!("gates[{i}]"), message));
            }
        }
        Ok(())
    }
}

/// Checks that a design, scenario or policy entry of a plan stays inside the plan's folder: a
/// relative path (or glob pattern) without `..`, so a plan cannot make Meridian read (and quote in
/// an error) a file elsewhere on the machine. Returns why not.
pub fn check_relative(entry: &str) -> Result<(), String> {
    if entry.is_empty() {
        return Err("must not be empty".into());
    }
    if entry.starts_with(['/', '\\', '~']) || Path::new(entry).has_root() || entry.get(1..2) == Some(":") {
        return Err(format!(
            "`{entry}` is an absolute path; name files relative to the plan's folder, inside it"
        ));
    }
    if entry.split(['/', '\\']).any(|c| c == "..") {
        return Err(format!(
            "`{entry}` leaves the plan's folder (`..`); put the plan in a folder that holds its files"
        ));
    }
    Ok(())
}

/// The line and column of `field` in `text`.
pub fn position(text: &str, field: &str) -> (usize, usize) {
    let lc = locate::locate(text, &locate::parse_path(field));
    (lc.line, lc.col)
}

/// Parses and checks a plan from `text`; `path` names the file in messages.
pub fn load_plan_str(text: &str, path: &Path) -> Result<Plan, LoadError> {
    let err = |line, col, message, field| LoadError { file: path.to_owned(), line, col, message, field };
    let plan: Plan = meridian_model::format::parse_ron(text, path, "plan")?;
    plan.check().map_err(|p| {
        let (line, col) = position(text, &p.field);
        err(line, col, p.message, Some(p.field))
    })?;
    Ok(plan)
}

/// Reads the plan file at `path`; returns the plan and its text.
pub fn load_plan(path: &Path) -> Result<(Plan, String), LoadError> {
    let text = meridian_model::format::read_text(path, meridian_model::format::Limit::Plan)?;
    let plan = load_plan_str(&text, path)?;
    Ok((plan, text))
}
