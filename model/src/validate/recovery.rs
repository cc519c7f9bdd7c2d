//! Warnings about recovery settings that load but cannot work as meant: a cold standby nothing
//! wakes, a cold datastore with no backup in its region to restore from.

use std::collections::BTreeSet;

use crate::catalog::Catalog;
use crate::design::{Design, EntityRef, Initiation, LinkKind, Service, Standby};
use crate::ids::ServiceId;

use super::Problems;

/// Warns about cold or scaled-to-zero services no operator failover starts, and cold datastores
/// with no backup to restore from.
pub(super) fn recovery(out: &mut Problems, design: &Design, catalog: &Catalog) {
    let woken = woken_by_operators(design);
    for s in design.services() {
        let cold = s.config.standby == Some(Standby::Cold);
        let from_zero = s.config.scaling.is_some() && s.config.count == 0;
        if (cold || from_zero) && !woken.contains(&s.id) {
            let what = if cold { "stands by cold" } else { "scales from zero units" };
            out.warn(
                EntityRef::Service(s.id.clone()),
                Some(if cold { "config.standby" } else { "config.count" }),
                format!(
                    "{} {what}, but no routing link an operator fails over (failover: Operator or RoutingControl) leads to it: nothing would start it",
                    s.name
                ),
            );
        }
        if cold && catalog.kind(s.kind).datastore.is_some() && !has_backup(design, s) {
            let region = s.placement.region().map_or("its region".to_owned(), ToString::to_string);
            out.warn(
                EntityRef::Service(s.id.clone()),
                Some("config.standby"),
                format!(
                    "{} stands by cold but no backup of a {} store goes to a vault in {region}: it would start empty",
                    s.name,
                    catalog.kind(s.kind).short
                ),
            );
        }
    }
}

/// Whether a backup link from another store of `cold`'s kind reaches a vault in its region.
fn has_backup(design: &Design, cold: &Service) -> bool {
    design.links().any(|l| {
        matches!(l.kind, LinkKind::Backup(_))
            && design.service(&l.from).is_some_and(|s| s.kind == cold.kind && s.id != cold.id)
            && design.region_of(&l.to).is_some_and(|r| Some(r) == cold.placement.region())
    })
}

/// Services behind the alternatives of operator-managed routing links: what an operator's
/// failover starts (following regional routing links and dependencies, as the simulator does).
fn woken_by_operators(design: &Design) -> BTreeSet<ServiceId> {
    let mut out = BTreeSet::new();
    for l in design.links() {
        let LinkKind::Routing(r) = &l.kind else { continue };
        if !r.failover.is_some_and(Initiation::by_operator) {
            continue;
        }
        for alt in
            design.links_from(&l.from).filter(|a| a.id != l.id && matches!(a.kind, LinkKind::Routing(_)))
        {
            let mut stack = vec![alt.to.clone()];
            while let Some(id) = stack.pop() {
                let Some(s) = design.service(&id) else { continue };
                if s.placement.region().is_none() || !out.insert(id.clone()) {
                    continue;
                }
                for next in design.links_from(&id) {
                    if matches!(next.kind, LinkKind::Routing(_) | LinkKind::Dependency(_)) {
                        stack.push(next.to.clone());
                    }
                }
            }
        }
    }
    out
}
