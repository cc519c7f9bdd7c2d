//! Invariant checks of the recovery settings: scaling and cold standby on services, who starts a
//! failover or a promotion on links, and the design-wide [`Recovery`] settings.

use crate::catalog::{Catalog, KindSpec, RouterMechanism, WriteModel};
use crate::design::{
    Concurrency, EntityRef, Initiation, Placement, Recovery, Replication, Routing, Service, Standby,
};
use crate::dist::Dist;
use crate::time::TimeSpan;

use super::{Checked, fail};

fn dist(entity: &EntityRef, field: &str, d: Option<&Dist>) -> Checked {
    match d.map(Dist::check) {
        Some(Err((f, why))) => fail(entity, format!("{field}.{f}"), why),
        _ => Ok(()),
    }
}

fn positive(entity: &EntityRef, field: &str, t: Option<TimeSpan>) -> Checked {
    if t == Some(TimeSpan::ZERO) { fail(entity, field, "must be longer than zero") } else { Ok(()) }
}

/// Checks a service's scaling and standby settings against its kind.
pub(super) fn service(catalog: &Catalog, e: &EntityRef, s: &Service, kind: &KindSpec) -> Checked {
    if s.config.count > super::MAX_COUNT {
        return fail(
            e,
            "config.count",
            format!(
                "must be at most {} units, not {}; model a larger fleet as several services",
                super::MAX_COUNT,
                s.config.count
            ),
        );
    }
    if let Some(sc) = &s.config.scaling {
        if kind.scaling.is_none() {
            let scaling: Vec<&str> =
                catalog.kinds().iter().filter(|k| k.scaling.is_some()).map(|k| k.short.as_str()).collect();
            return fail(
                e,
                "config.scaling",
                format!(
                    "{} does not scale by units on its own; scaling applies to {}",
                    kind.short,
                    scaling.join(", ")
                ),
            );
        }
        if sc.max > super::MAX_COUNT {
            return fail(
                e,
                "config.scaling.max",
                format!("must be at most {} units, not {}", super::MAX_COUNT, sc.max),
            );
        }
        if sc.max == 0 || sc.max < s.config.count {
            return fail(
                e,
                "config.scaling.max",
                format!(
                    "must be at least 1 and at least the count ({}), the units the service never goes below",
                    s.config.count
                ),
            );
        }
        if sc.max_step == Some(0) {
            return fail(e, "config.scaling.max_step", "must be at least 1 unit per scaling action");
        }
        dist(e, "config.scaling.launch", sc.launch.as_ref())?;
    }
    if let Some(cc) = &s.config.concurrency {
        concurrency(catalog, e, kind, cc)?;
    }
    if s.config.standby == Some(Standby::Cold) && s.placement == Placement::Global {
        return fail(
            e,
            "config.standby",
            "a global service runs everywhere; only a regional service can stand by cold in its region",
        );
    }
    Ok(())
}

/// Checks a function's reserved and provisioned concurrency against its kind: reserved at least
/// 1, provisioned at most reserved. (The account's quota, which bounds both, is the design's: the
/// simulation caps a reservation at it, less what AWS keeps unreserved.)
fn concurrency(catalog: &Catalog, e: &EntityRef, kind: &KindSpec, cc: &Concurrency) -> Checked {
    if kind.concurrency.is_none() {
        let kinds: Vec<&str> =
            catalog.kinds().iter().filter(|k| k.concurrency.is_some()).map(|k| k.short.as_str()).collect();
        return fail(
            e,
            "config.concurrency",
            format!("{} has no concurrency controls; they apply to {}", kind.short, kinds.join(", ")),
        );
    }
    if cc.reserved == Some(0) {
        return fail(e, "config.concurrency.reserved", "must be at least 1 (0 would throttle every request)");
    }
    if let (Some(p), Some(r)) = (cc.provisioned, cc.reserved)
        && p > r
    {
        return fail(
            e,
            "config.concurrency.provisioned",
            format!("must be at most the reserved concurrency ({r})"),
        );
    }
    Ok(())
}

/// Checks who starts a routing link's failover.
pub(super) fn routing(e: &EntityRef, router_short: &str, mechanism: RouterMechanism, r: &Routing) -> Checked {
    if r.failover == Some(Initiation::RoutingControl) && mechanism != RouterMechanism::Dns {
        return fail(
            e,
            "kind.failover",
            format!(
                "Application Recovery Controller routing controls switch Route 53 records; {router_short} is not DNS-based (use Operator)"
            ),
        );
    }
    Ok(())
}

/// Checks who starts a replica's promotion.
pub(super) fn replication(e: &EntityRef, from: &KindSpec, r: &Replication) -> Checked {
    let Some(initiation) = r.promotion else { return Ok(()) };
    let Some(ds) = &from.datastore else { return Ok(()) };
    let Some(promotion) = ds.promotion.as_ref().filter(|_| ds.writes == WriteModel::SingleWriter) else {
        return fail(
            e,
            "kind.promotion",
            format!("{} has no replica to promote: every replica takes writes or none does", from.short),
        );
    };
    match initiation {
        Initiation::RoutingControl => fail(
            e,
            "kind.promotion",
            "routing controls switch traffic, not writers: a promotion is Automatic or by an Operator",
        ),
        Initiation::Automatic if !promotion.automatable.value => fail(
            e,
            "kind.promotion",
            format!(
                "{} does not promote a replica in another region automatically (AWS documents it as a manual operation); use Operator",
                from.short
            ),
        ),
        _ => Ok(()),
    }
}

/// Checks a backup link's restore-time override.
pub(super) fn restore_time(e: &EntityRef, t: Option<TimeSpan>) -> Checked {
    positive(e, "kind.restore_time", t)
}

/// Checks the design-wide recovery settings.
pub(crate) fn settings(r: &Recovery) -> Checked {
    let e = EntityRef::Design;
    positive(&e, "recovery.alarm_period", r.alarm_period)?;
    if let Some(n) = r.alarm_evaluation_periods
        && !(1..=100).contains(&n)
    {
        return fail(&e, "recovery.alarm_evaluation_periods", format!("must be from 1 to 100, not {n}"));
    }
    dist(&e, "recovery.operator_response", r.operator_response.as_ref())?;
    dist(&e, "recovery.deploy_time", r.deploy_time.as_ref())?;
    if r.max_step == Some(0) {
        return fail(&e, "recovery.max_step", "must be at least 1 unit per scaling action");
    }
    if r.lambda_concurrency_quota == Some(0) {
        return fail(&e, "recovery.lambda_concurrency_quota", "must be at least 1 concurrent execution");
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::Design;
    use crate::edit::new_service;
    use crate::ids::RegionId;
    use crate::kind::ServiceKind;

    /// Checks a new service of `kind` with the concurrency controls `cc`.
    fn check(kind: ServiceKind, cc: Concurrency) -> Checked {
        let catalog = Catalog::builtin().unwrap();
        let placement = Placement::Region(RegionId::new("us-east-1"));
        let mut s = new_service(&Design::default(), catalog, kind, placement);
        s.config.concurrency = Some(cc);
        let e = EntityRef::Service(s.id.clone());
        service(catalog, &e, &s, catalog.kind(kind))
    }

    #[test]
    fn concurrency_controls_are_for_functions_and_provisioned_stays_within_reserved() {
        let cc = |reserved, provisioned| Concurrency { reserved, provisioned };
        assert!(check(ServiceKind::Lambda, cc(Some(400), Some(100))).is_ok());
        assert!(check(ServiceKind::Lambda, cc(None, Some(100))).is_ok());
        assert!(check(ServiceKind::Lambda, cc(Some(0), None)).is_err(), "reserved 0 throttles everything");
        assert!(check(ServiceKind::Lambda, cc(Some(100), Some(200))).is_err(), "provisioned above reserved");
        assert!(check(ServiceKind::EcsFargate, cc(Some(100), None)).is_err(), "not a function");
    }
}
