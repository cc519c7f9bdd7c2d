//! A plan resolved against the file system: design globs expanded, scenario and policy files
//! loaded, every sweep value tried on every design, and the combinations numbered.
//!
//! Combination order: designs (each pattern's matches sorted, in plan order), then scenarios,
//! then sweep values (the first sweep varies slowest), then seeds. Combination `i` belongs to
//! shard `i mod N` of N, so shards are balanced whatever the designs cost.

use std::path::{Path, PathBuf};

use meridian_model::compliance::Policy;
use meridian_model::format::{self, LoadError};
use meridian_model::{Catalog, Design};
use meridian_sim::{BUILTIN_NAMES, Scenario, builtin, load_scenario_file};
use sha2::{Digest, Sha256};

use crate::error::BatchError;
use crate::plan::{MAX_COMBINATIONS, Plan, load_plan, position};
use crate::sweep::apply_sweeps;

/// A design of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesignEntry {
    /// Path relative to the plan's folder, `/`-separated, as shown in rows.
    pub rel: String,
    /// Path to open.
    pub path: PathBuf,
}

/// A scenario of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioRef {
    /// A built-in scenario, by name.
    Builtin(String),
    /// A scenario file: as written in the plan, and the path to open.
    File(String, PathBuf),
}

impl ScenarioRef {
    /// As written in the plan.
    pub fn label(&self) -> &str {
        match self {
            ScenarioRef::Builtin(n) | ScenarioRef::File(n, _) => n,
        }
    }

    /// The scenario for `design`.
    pub fn resolve(&self, design: &Design, catalog: &Catalog) -> Result<Scenario, LoadError> {
        match self {
            ScenarioRef::Builtin(name) => builtin(name, design, catalog).ok_or_else(|| LoadError {
                file: PathBuf::from(name),
                line: 0,
                col: 0,
                message: "not a built-in scenario".into(),
                field: None,
            }),
            ScenarioRef::File(_, path) => load_scenario_file(path, design),
        }
    }
}

/// One combination, by position in each dimension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Combination {
    /// Index in the plan.
    pub index: u64,
    /// Design.
    pub design: usize,
    /// Scenario.
    pub scenario: usize,
    /// Value index of each sweep.
    pub choice: Vec<usize>,
    /// Seed (`None`: the scenario's own).
    pub seed: Option<u64>,
}

/// A plan resolved and checked.
#[derive(Debug)]
pub struct Matrix {
    /// The plan.
    pub plan: Plan,
    /// The plan file.
    pub plan_path: PathBuf,
    /// Designs in order.
    pub designs: Vec<DesignEntry>,
    /// Scenarios in order.
    pub scenarios: Vec<ScenarioRef>,
    /// Policies of the data-law gate.
    pub policies: Vec<Policy>,
    /// SHA-256 of the plan, every design, scenario and policy file, and Meridian's version.
    pub fingerprint: String,
}

fn plan_error(path: &Path, text: &str, field: &str, message: String) -> BatchError {
    let (line, col) = position(text, field);
    BatchError::Load(LoadError { file: path.to_owned(), line, col, message, field: Some(field.to_owned()) })
}

/// Where the files a plan names may be: its folder, with symbolic links followed.
struct Confined {
    /// The plan's folder, canonical.
    root: PathBuf,
}

impl Confined {
    fn new(base: &Path) -> Result<Confined, BatchError> {
        let dir = if base.as_os_str().is_empty() { Path::new(".") } else { base };
        let root = dir.canonicalize().map_err(|e| BatchError::io(dir, e))?;
        Ok(Confined { root })
    }

    /// Whether `p` (a file found from the plan) is inside the plan's folder once symbolic links
    /// are followed.
    fn holds(&self, p: &Path) -> bool {
        p.canonicalize().is_ok_and(|c| c.starts_with(&self.root))
    }
}

/// Why `text` (a file a plan names as a design) is not a design file, without quoting it: a plan's
/// glob may match any `.ron` file, and its contents are not the plan's to show.
fn not_a_design(text: &[u8]) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"//") {
            rest = rest.iter().position(|&c| c == b'\n').map_or(&[][..], |n| &rest[n..]);
        } else if rest.starts_with(b"#![") {
            rest = rest.iter().position(|&c| c == b']').map_or(&[][..], |n| &rest[n + 1..]);
        } else {
            break;
        }
    }
    let rest = rest.strip_prefix(b"Design").unwrap_or(b"");
    !rest.trim_ascii_start().starts_with(b"(")
}

fn rel_string(p: &Path, base: &Path) -> String {
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

impl Matrix {
    /// Loads the plan at `path` and resolves it.
    // One pass over the plan's fields in order, each with its error; splitting it scatters the hashing.
    #[allow(clippy::too_many_lines)]
    pub fn load(path: &Path, catalog: &Catalog) -> Result<Matrix, BatchError> {
        let (plan, text) = load_plan(path)?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let confined = Confined::new(&base)?;
        let outside = |field: &str, entry: &str, p: &Path| {
            plan_error(
                path,
                &text,
                field,
                format!(
                    "`{entry}` leads to `{}`, outside the plan's folder (a symbolic link); \
                     plans read only files inside their folder",
                    rel_string(p, &base)
                ),
            )
        };
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION").as_bytes());
        hash.update([0]);
        hash.update(text.as_bytes());
        let mut designs: Vec<DesignEntry> = Vec::new();
        // The plan field each design came from, for its errors.
        let mut design_fields: Vec<String> = Vec::new();
        for (i, pattern) in plan.designs.iter().enumerate() {
            let field = format!("designs[{i}]");
            let full = base.join(pattern);
            let full_text = full.to_string_lossy().into_owned();
            let paths = glob::glob(&full_text)
                .map_err(|e| plan_error(path, &text, &field, format!("bad glob pattern: {e}")))?;
            let mut found: Vec<PathBuf> = paths.filter_map(Result::ok).filter(|p| p.is_file()).collect();
            found.sort();
            if found.is_empty() {
                return Err(plan_error(path, &text, &field, format!("`{pattern}` matches no design file")));
            }
            for p in found {
                if !confined.holds(&p) {
                    return Err(outside(&field, pattern, &p));
                }
                let rel = rel_string(&p, &base);
                if !designs.iter().any(|d| d.rel == rel) {
                    designs.push(DesignEntry { rel, path: p });
                    design_fields.push(field.clone());
                }
            }
        }
        let mut scenarios = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for (i, s) in plan.scenarios.iter().enumerate() {
            if !seen.insert(s) {
                return Err(plan_error(
                    path,
                    &text,
                    &format!("scenarios[{i}]"),
                    format!("`{s}` is listed twice"),
                ));
            }
            if BUILTIN_NAMES.contains(&s.as_str()) {
                scenarios.push(ScenarioRef::Builtin(s.clone()));
            } else {
                let p = base.join(s);
                if !p.is_file() {
                    return Err(plan_error(
                        path,
                        &text,
                        &format!("scenarios[{i}]"),
                        format!(
                            "`{s}` is neither a built-in scenario ({}) nor a scenario file",
                            BUILTIN_NAMES.join(", ")
                        ),
                    ));
                }
                if !confined.holds(&p) {
                    return Err(outside(&format!("scenarios[{i}]"), s, &p));
                }
                scenarios.push(ScenarioRef::File(s.clone(), p));
            }
        }
        let mut policies = Vec::new();
        for (i, name) in plan.policies.iter().enumerate() {
            let policy = if let Some(p) = Policy::pack(name) {
                p?
            } else {
                {
                    let p = base.join(name);
                    if !p.is_file() {
                        return Err(plan_error(
                            path,
                            &text,
                            &format!("policies[{i}]"),
                            format!("`{name}` is neither a shipped policy pack nor a policy file"),
                        ));
                    }
                    if !confined.holds(&p) {
                        return Err(outside(&format!("policies[{i}]"), name, &p));
                    }
                    let policy_text = format::read_text(&p, format::Limit::Policy)?;
                    hash.update(policy_text.as_bytes());
                    Policy::from_str(&policy_text, &p)?
                }
            };
            policies.push(policy);
        }
        if policies.is_empty() {
            policies = Policy::packs()?;
        }
        // Every design loads, every scenario fits it, every sweep value applies to it.
        for (d, field) in designs.iter().zip(&design_fields) {
            let bytes = format::read_bytes(&d.path, format::Limit::Design)?;
            if not_a_design(&bytes) {
                return Err(plan_error(
                    path,
                    &text,
                    field,
                    format!("`{}` is not a design file: it does not start with `Design(`", d.rel),
                ));
            }
            hash.update(d.rel.as_bytes());
            hash.update([0]);
            hash.update(&bytes);
            let design = format::load_bytes(&bytes, &d.path, catalog)?.design;
            for s in &scenarios {
                s.resolve(&design, catalog)?;
            }
            for (k, sweep) in plan.sweeps.iter().enumerate() {
                for v in 0..sweep.len() {
                    let mut choice = vec![0; plan.sweeps.len()];
                    choice[k] = v;
                    let one = [sweep.clone()];
                    apply_sweeps(&design, catalog, &one, &choice[k..=k]).map_err(|e| {
                        plan_error(
                            path,
                            &text,
                            &format!("sweeps[{k}].values[{v}]"),
                            format!("cannot apply {}={} to {}: {e}", sweep.name(), sweep.label(v), d.rel),
                        )
                    })?;
                }
            }
        }
        for s in &scenarios {
            if let ScenarioRef::File(_, p) = s {
                hash.update(format::read_bytes(p, format::Limit::Scenario)?);
            }
        }
        let fingerprint = hash.finalize().iter().fold(String::new(), |mut acc, b| {
            use std::fmt::Write as _;
            let _ = write!(acc, "{b:02x}");
            acc
        });
        let m = Matrix { plan, plan_path: path.to_owned(), designs, scenarios, policies, fingerprint };
        if m.total_checked().is_none() {
            return Err(plan_error(
                path,
                &text,
                "designs",
                format!("the plan expands to more than {MAX_COMBINATIONS} combinations"),
            ));
        }
        Ok(m)
    }

    fn total_checked(&self) -> Option<u64> {
        let mut n = self.designs.len() as u64;
        n = n.checked_mul(self.scenarios.len() as u64)?;
        for s in &self.plan.sweeps {
            n = n.checked_mul(s.len() as u64)?;
        }
        n = n.checked_mul(self.plan.seeds.len().max(1) as u64)?;
        (n <= MAX_COMBINATIONS).then_some(n)
    }

    /// Number of combinations.
    pub fn total(&self) -> u64 {
        self.total_checked().unwrap_or(0)
    }

    /// Combination `index` (mixed-radix decoding; nothing is stored per combination).
    pub fn combination(&self, index: u64) -> Combination {
        let mut rest = index;
        let seeds = self.plan.seeds.len().max(1) as u64;
        let seed_i = (rest % seeds) as usize;
        rest /= seeds;
        let mut choice = vec![0; self.plan.sweeps.len()];
        for (k, s) in self.plan.sweeps.iter().enumerate().rev() {
            let n = s.len() as u64;
            choice[k] = (rest % n) as usize;
            rest /= n;
        }
        let scenario = (rest % self.scenarios.len() as u64) as usize;
        rest /= self.scenarios.len() as u64;
        Combination {
            index,
            design: rest as usize,
            scenario,
            choice,
            seed: self.plan.seeds.get(seed_i).copied(),
        }
    }

    /// The combinations of shard `shard` (0-based) of `shards`, in order.
    pub fn shard_indices(&self, shard: u64, shards: u64) -> impl Iterator<Item = u64> + use<> {
        (shard..self.total()).step_by(shards.max(1) as usize)
    }
}

/// How many of `total` combinations shard `shard` of `shards` holds.
pub fn shard_len(total: u64, shard: u64, shards: u64) -> u64 {
    if shard >= total { 0 } else { (total - shard).div_ceil(shards) }
}

#[cfg(test)]
mod tests;
