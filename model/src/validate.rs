//! Problems a valid design may still have: things that work but probably are not what the
//! architect meant (a population that reaches nothing, a datastore with no copy elsewhere, a cold
//! standby nothing starts, a loop of required calls, a service that runs no units or cannot serve
//! its load with nothing down).
//!
//! Invariants are enforced by [`crate::apply`]; these are warnings for the problems list and
//! `meridian validate`.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalog::{Catalog, Category, KindSpec};
use crate::design::{Design, EntityRef, FailoverRole, Initiation, LinkKind, Routing, RoutingPolicy, Service};
use crate::ids::RegionId;

mod calls;
mod capacity;
mod recovery;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Probably a mistake.
    Warning,
}

/// One problem, naming the entity and field it is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// How serious it is.
    pub severity: Severity,
    /// The entity concerned.
    pub entity: EntityRef,
    /// The field concerned, when there is one.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

/// Lists the problems of `design`, ordered by entity.
pub fn validate(design: &Design, catalog: &Catalog) -> Vec<Problem> {
    let mut out = Problems(Vec::new());
    for r in design.regions() {
        if design.services_in(&r.id).next().is_none() {
            out.warn(EntityRef::Region(r.id.clone()), None, format!("region {} has no services", r.id));
        }
    }
    for s in design.services() {
        let kind = catalog.kind(s.kind);
        if kind.router.as_ref().is_some_and(|r| r.cross_region) {
            router(&mut out, design, s);
        }
        if let Some(region) = s.placement.region() {
            regional(&mut out, design, s, kind, region);
        }
        tags(&mut out, s);
    }
    recovery::recovery(&mut out, design, catalog);
    // A loop of required calls is a loop of calls: a design without the latter (nearly every one)
    // needs no second graph for the former.
    let looped = calls::has_call_loop(design);
    if looped {
        calls::call_loops(&mut out, design);
    }
    calls::idle_services(&mut out, design, catalog);
    capacity::over_capacity(&mut out, design, catalog, looped);
    for t in crate::consistency::strong_tables(design) {
        if let (Some(why), Some(link)) = (t.refusal(), t.links.first()) {
            out.warn(EntityRef::Link(link.clone()), Some("kind.mode"), format!("AWS refuses this: {why}"));
        }
    }
    for p in design.populations() {
        if p.entry.is_none() {
            out.warn(
                EntityRef::Population(p.id.clone()),
                Some("entry"),
                format!("{} has no entry service, so its users reach nothing", p.name),
            );
        }
    }
    let mut out = out.0;
    out.sort_by(|a, b| a.entity.cmp(&b.entity));
    out
}

struct Problems(Vec<Problem>);

impl Problems {
    fn warn(&mut self, entity: EntityRef, field: Option<&str>, message: String) {
        self.0.push(Problem {
            severity: Severity::Warning,
            entity,
            field: field.map(str::to_owned),
            message,
        });
    }
}

/// Tags holding characters some AWS services refuse: the export writes `-` for them, so the
/// deployed tag differs from the design's (see [`crate::tags`]).
fn tags(out: &mut Problems, s: &Service) {
    for (key, value) in &s.tags {
        let refused = crate::tags::refused_chars(&format!("{key}{value}"));
        if refused.is_empty() {
            continue;
        }
        let chars: Vec<String> = refused.iter().map(char::to_string).collect();
        out.warn(
            EntityRef::Service(s.id.clone()),
            Some(&crate::tags::field(key)),
            format!(
                "tag `{key}` holds {} {}, which not every AWS service takes in tags ({}); the export \
                 writes `-` for {}",
                if refused.len() == 1 { "the character" } else { "the characters" },
                chars.join(" "),
                crate::tags::ACCEPTED,
                if refused.len() == 1 { "it" } else { "each" },
            ),
        );
    }
}

/// Problems of a global router: no routes, mixed policies, failover without one primary,
/// several endpoints without health checks, weights that add up to nothing.
fn router(out: &mut Problems, design: &Design, s: &Service) {
    let e = EntityRef::Service(s.id.clone());
    let routes: Vec<&Routing> = design
        .links_from(&s.id)
        .filter_map(|l| match &l.kind {
            LinkKind::Routing(r) => Some(r),
            _ => None,
        })
        .collect();
    if routes.is_empty() && design.populations().any(|p| p.entry.as_ref() == Some(&s.id)) {
        out.warn(e, None, format!("{} receives users but routes them nowhere; add routing links", s.name));
        return;
    }
    let policies: BTreeSet<_> = routes.iter().map(|r| r.policy.kind().label()).collect();
    if policies.len() > 1 {
        out.warn(
            e.clone(),
            None,
            format!("{} mixes routing policies; a Route 53 record set uses one", s.name),
        );
    }
    let primaries =
        routes.iter().filter(|r| r.policy == RoutingPolicy::Failover { role: FailoverRole::Primary }).count();
    if policies.len() == 1 && policies.contains("failover") && primaries != 1 {
        out.warn(
            e.clone(),
            None,
            format!("failover routing needs exactly one primary; {} has {primaries}", s.name),
        );
    }
    // Health checks move traffic unless an operator does (`failover: Operator` or `RoutingControl`).
    let unwatched =
        |r: &&Routing| r.health_check.is_none() && !r.failover.is_some_and(Initiation::by_operator);
    if routes.len() > 1 && routes.iter().any(unwatched) {
        out.warn(
            e.clone(),
            None,
            format!(
                "{} routes to several endpoints but not all are health-checked: failover will not happen",
                s.name
            ),
        );
    }
    let weights: Vec<u32> = routes
        .iter()
        .filter_map(|r| match r.policy {
            RoutingPolicy::Weighted { weight } => Some(weight),
            _ => None,
        })
        .collect();
    if !weights.is_empty() && weights.iter().all(|w| *w == 0) {
        out.warn(e, None, format!("every weighted route from {} has weight 0: it serves no traffic", s.name));
    }
}

/// Problems of a regional service: a single AZ or unit, a datastore with no copy elsewhere.
fn regional(out: &mut Problems, design: &Design, s: &Service, kind: &KindSpec, region: &RegionId) {
    let e = EntityRef::Service(s.id.clone());
    let azs = if s.config.azs.is_empty() {
        design.region(region).map_or(0, |r| r.azs.len())
    } else {
        s.config.azs.len()
    };
    if kind.capacity.is_some() && s.config.count > 0 && (s.config.count <= 1 || azs <= 1) {
        out.warn(
            e.clone(),
            Some("config.count"),
            format!("{} runs in a single AZ or on one unit: an AZ outage stops it", s.name),
        );
    }
    let multi_region = design.regions().len() > 1;
    if multi_region && kind.is_datastore() && kind.category != Category::Cache {
        let protected = design
            .links_from(&s.id)
            .chain(design.links_to(&s.id))
            .any(|l| matches!(l.kind, LinkKind::Replication(_) | LinkKind::Backup(_)));
        if !protected {
            out.warn(
                e,
                None,
                format!(
                    "{} has no replica or backup in another region: its data is lost or unreachable if {region} fails",
                    s.name
                ),
            );
        }
    }
}
