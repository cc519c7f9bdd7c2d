//! Parameter sweeps: how one value of a swept parameter edits a design, through model commands.
//!
//! Each sweep names a parameter and its values; every combination of the plan's sweeps' values
//! is run. A value edits the design by one [`Command::Batch`] of `UpdateLink` / `UpdateService`
//! commands applied with [`meridian_model::apply`], so a swept design obeys the same invariants
//! as one edited in the designer. A value that touches nothing in a design (no health-checked
//! routing link, no DNS router, no service of the kind) leaves it unchanged; rows report how
//! many entities each combination edited.

use meridian_model::catalog::RouterMechanism;
use meridian_model::design::LinkKind;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, CommandError, Design, ServiceKind, apply};
use serde::{Deserialize, Serialize};

/// Largest count a service-count sweep may set.
pub const MAX_COUNT: u32 = meridian_model::MAX_COUNT;

/// A swept parameter and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Sweep {
    /// The `interval` of every routing link's health check (links without one are left alone).
    HealthCheckInterval {
        /// Intervals, e.g. `["10s", "30s"]`.
        values: Vec<TimeSpan>,
    },
    /// The `ttl` of every routing link whose router is DNS-based (Route 53).
    DnsTtl {
        /// TTLs, e.g. `["30s", "60s", "300s"]`.
        values: Vec<TimeSpan>,
    },
    /// The `count` (instances, tasks or nodes: replicas) of every service of the listed kinds.
    /// A `capacity_rps` the design sets is scaled by `new count / old count`.
    ServiceCount {
        /// Service kinds, written as their keys, e.g. `["ecs-fargate"]` (a misspelt key is refused
        /// where it is written, with the closest kind).
        kinds: Vec<ServiceKind>,
        /// Counts, e.g. `[2, 3]`.
        values: Vec<u32>,
    },
}

impl Sweep {
    /// The parameter's name in rows and reports.
    pub fn name(&self) -> &'static str {
        match self {
            Sweep::HealthCheckInterval { .. } => "health_check_interval",
            Sweep::DnsTtl { .. } => "dns_ttl",
            Sweep::ServiceCount { .. } => "service_count",
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            Sweep::HealthCheckInterval { values } | Sweep::DnsTtl { values } => values.len(),
            Sweep::ServiceCount { values, .. } => values.len(),
        }
    }

    /// Whether the sweep has no value (refused by [`Sweep::check`]).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Value `i` as text, e.g. `30s` or `3`.
    pub fn label(&self, i: usize) -> String {
        match self {
            Sweep::HealthCheckInterval { values } | Sweep::DnsTtl { values } => {
                values.get(i).map(ToString::to_string).unwrap_or_default()
            }
            Sweep::ServiceCount { values, .. } => values.get(i).map(ToString::to_string).unwrap_or_default(),
        }
    }

    /// Checks the values; on error returns (field relative to the sweep, message).
    pub fn check(&self) -> Result<(), (String, String)> {
        if self.is_empty() {
            return Err(("values".into(), "list at least one value".into()));
        }
        let labels: Vec<String> = (0..self.len()).map(|i| self.label(i)).collect();
        let mut seen = std::collections::BTreeSet::new();
        for (i, l) in labels.iter().enumerate() {
            if !seen.insert(l) {
                return Err((format!("values[{i}]"), format!("{l} is listed twice")));
            }
        }
        match self {
            Sweep::HealthCheckInterval { values } | Sweep::DnsTtl { values } => {
                if let Some(i) = values.iter().position(|v| *v == TimeSpan::ZERO) {
                    return Err((format!("values[{i}]"), "must be longer than zero".into()));
                }
            }
            Sweep::ServiceCount { kinds, values } => {
                if kinds.is_empty() {
                    return Err((
                        "kinds".into(),
                        format!("list at least one catalog kind, e.g. \"{}\"", ServiceKind::EcsFargate),
                    ));
                }
                if let Some(i) = values.iter().position(|v| !(1..=MAX_COUNT).contains(v)) {
                    return Err((format!("values[{i}]"), format!("must be from 1 to {MAX_COUNT}")));
                }
            }
        }
        Ok(())
    }

    /// The commands that set value `i` in `design` (empty when nothing applies).
    pub fn commands(&self, i: usize, design: &Design, catalog: &Catalog) -> Vec<Command> {
        let mut out = Vec::new();
        match self {
            Sweep::HealthCheckInterval { values } => {
                let Some(v) = values.get(i) else { return out };
                for link in design.links() {
                    if let LinkKind::Routing(r) = &link.kind
                        && let Some(hc) = &r.health_check
                        && hc.interval != *v
                    {
                        let mut l = link.clone();
                        if let LinkKind::Routing(r) = &mut l.kind
                            && let Some(hc) = &mut r.health_check
                        {
                            hc.interval = *v;
                        }
                        out.push(Command::UpdateLink(l));
                    }
                }
            }
            Sweep::DnsTtl { values } => {
                let Some(v) = values.get(i) else { return out };
                for link in design.links() {
                    let dns = design
                        .service(&link.from)
                        .and_then(|s| catalog.kind(s.kind).router.as_ref())
                        .is_some_and(|r| r.mechanism == RouterMechanism::Dns);
                    if let LinkKind::Routing(r) = &link.kind
                        && dns
                        && r.ttl != Some(*v)
                    {
                        let mut l = link.clone();
                        if let LinkKind::Routing(r) = &mut l.kind {
                            r.ttl = Some(*v);
                        }
                        out.push(Command::UpdateLink(l));
                    }
                }
            }
            Sweep::ServiceCount { kinds, values } => {
                let Some(&v) = values.get(i) else { return out };
                for s in design.services() {
                    if kinds.contains(&s.kind) && s.config.count != v {
                        let mut s = s.clone();
                        if let Some(rps) = s.config.capacity_rps {
                            s.config.capacity_rps =
                                Some(rps * f64::from(v) / f64::from(s.config.count.max(1)));
                        }
                        s.config.count = v;
                        out.push(Command::UpdateService(s));
                    }
                }
            }
        }
        out
    }
}

/// `design` with value `choice[k]` of `sweeps[k]` applied for every sweep; returns the design and
/// the number of entities edited.
pub fn apply_sweeps(
    design: &Design,
    catalog: &Catalog,
    sweeps: &[Sweep],
    choice: &[usize],
) -> Result<(Design, u32), CommandError> {
    let mut d = design.clone();
    let mut edits = 0u32;
    for (sweep, &i) in sweeps.iter().zip(choice) {
        let cmds = sweep.commands(i, &d, catalog);
        if cmds.is_empty() {
            continue;
        }
        edits += cmds.len() as u32;
        apply(&mut d, catalog, Command::Batch(cmds))?;
    }
    Ok((d, edits))
}
