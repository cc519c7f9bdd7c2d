//! Warnings about recovery settings that load but cannot work as meant: a cold standby nothing
//! wakes, a cold datastore with no backup in its region to restore from.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::Catalog;
use crate::design::{Design, EntityRef, Initiation, Link, LinkKind, Service, Standby};
use crate::ids::{LinkId, RegionId, ServiceId};
use crate::kind::ServiceKind;

use super::Problems;

/// Warns about cold or scaled-to-zero services no operator failover starts, and cold datastores
/// with no backup to restore from.
pub(super) fn recovery(out: &mut Problems, design: &Design, catalog: &Catalog) {
    let woken = woken_by_operators(design);
    let backups = backed_up(design);
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
        if cold && catalog.kind(s.kind).datastore.is_some() && !has_backup(&backups, s) {
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

/// The stores whose backups reach a vault, by the store's kind and the vault's region: built
/// once, so that asking for each cold store does not scan every link.
type Backups<'d> = BTreeMap<(ServiceKind, &'d RegionId), BTreeSet<&'d ServiceId>>;

fn backed_up(design: &Design) -> Backups<'_> {
    let mut out: Backups<'_> = BTreeMap::new();
    for l in design.links().filter(|l| matches!(l.kind, LinkKind::Backup(_))) {
        if let (Some(from), Some(region)) = (design.service(&l.from), design.region_of(&l.to)) {
            out.entry((from.kind, region)).or_default().insert(&from.id);
        }
    }
    out
}

/// Whether a backup link from another store of `cold`'s kind reaches a vault in its region.
fn has_backup(backups: &Backups<'_>, cold: &Service) -> bool {
    let Some(region) = cold.placement.region() else { return false };
    backups.get(&(cold.kind, region)).is_some_and(|from| from.iter().any(|s| **s != cold.id))
}

/// Services behind the alternatives of operator-managed routing links: what an operator's
/// failover starts (following regional routing links and dependencies, as the simulator does).
///
/// The alternatives of an operated link are the other routes of its router, so a router with two
/// operated links offers every route and one with a single operated link every route but that one:
/// each router is read once, however many routes it has.
fn woken_by_operators(design: &Design) -> BTreeSet<ServiceId> {
    let mut by_router: BTreeMap<&ServiceId, (Vec<&Link>, Vec<&LinkId>)> = BTreeMap::new();
    for l in design.links() {
        let LinkKind::Routing(r) = &l.kind else { continue };
        let (routes, operated) = by_router.entry(&l.from).or_default();
        routes.push(l);
        if r.failover.is_some_and(Initiation::by_operator) {
            operated.push(&l.id);
        }
    }
    let mut stack: Vec<&ServiceId> = Vec::new();
    for (routes, operated) in by_router.values() {
        match operated.as_slice() {
            [] => {}
            [only] => stack.extend(routes.iter().filter(|l| l.id != **only).map(|l| &l.to)),
            _ => stack.extend(routes.iter().map(|l| &l.to)),
        }
    }
    let mut out = BTreeSet::new();
    while let Some(id) = stack.pop() {
        let Some(s) = design.service(id) else { continue };
        if s.placement.region().is_none() || !out.insert(id.clone()) {
            continue;
        }
        for next in design.links_from(id) {
            if matches!(next.kind, LinkKind::Routing(_) | LinkKind::Dependency(_)) {
                stack.push(&next.to);
            }
        }
    }
    out
}
