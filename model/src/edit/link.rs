//! The link a connection makes, and the defaults of new links.
//!
//! Health checks, the DNS TTL and the backup schedule come from the catalog's cited defaults
//! ([`crate::catalog::CatalogDefaults`]), so a link drawn in the designer, a twin added by a
//! strategy variant and a generated design's route all start from the same figures.

use crate::catalog::{Catalog, KindSpec, RouterMechanism};
use crate::command::Command;
use crate::design::{
    Backup, Dependency, Design, FailoverRole, HealthCheck, Link, LinkKind, Replication, ReplicationMode,
    Routing, RoutingPolicy, RoutingPolicyKind,
};
use crate::ids::{LinkId, ServiceId};

use super::{EditError, unique_id};

/// The health check a new routing link gets: the catalog's default interval and failure threshold.
pub fn default_health_check(catalog: &Catalog) -> HealthCheck {
    let d = catalog.defaults();
    HealthCheck {
        interval: d.health_check_interval.value,
        failure_threshold: d.health_check_failure_threshold.value,
    }
}

/// The schedule a new backup link gets: the catalog's default interval and retention; its
/// restore time is derived from the store's kind and size (the catalog's restore figures).
pub fn default_backup(catalog: &Catalog) -> Backup {
    let d = catalog.defaults();
    Backup { every: d.backup_interval.value, retention: d.backup_retention.value, restore_time: None }
}

/// The link a service of kind `from` makes to one of kind `to`: routing from a router (latency
/// routing when it offers it, else weighted, else failover as primary; health-checked, with the
/// default TTL when the router is DNS), a backup from a store into a vault, replication between
/// stores of one family, otherwise a required dependency of one call per request. The model
/// refuses illegal ones when the link is applied, with a reason.
pub fn default_link(catalog: &Catalog, from: &KindSpec, to: &KindSpec) -> LinkKind {
    if let Some(router) = &from.router {
        let policy = if router.policies.contains(&RoutingPolicyKind::Latency) {
            RoutingPolicy::Latency
        } else if router.policies.contains(&RoutingPolicyKind::Weighted) {
            RoutingPolicy::Weighted { weight: 1 }
        } else {
            RoutingPolicy::Failover { role: FailoverRole::Primary }
        };
        let dns = router.mechanism == RouterMechanism::Dns;
        return LinkKind::Routing(Routing {
            policy,
            health_check: Some(default_health_check(catalog)),
            ttl: dns.then_some(catalog.defaults().dns_ttl.value),
            failover: None,
        });
    }
    if to.backup_vault && from.is_datastore() {
        return LinkKind::Backup(default_backup(catalog));
    }
    match (&from.datastore, &to.datastore) {
        (Some(a), Some(b)) if a.family == b.family => {
            LinkKind::Replication(Replication::new(ReplicationMode::Async))
        }
        _ => LinkKind::Dependency(Dependency { calls_per_request: 1.0, required: true }),
    }
}

/// The command linking service `from` to service `to` with [`default_link`], under an id unique
/// in the design (`from-to-to`).
pub fn connect(
    design: &Design,
    catalog: &Catalog,
    from: &ServiceId,
    to: &ServiceId,
) -> Result<Command, EditError> {
    let (Some(a), Some(b)) = (design.service(from), design.service(to)) else {
        return Err(EditError::NotServices);
    };
    let kind = default_link(catalog, catalog.kind(a.kind), catalog.kind(b.kind));
    let id = unique_id(&format!("{from}-to-{to}"), |id| design.link(&LinkId::new(id)).is_some());
    Ok(Command::AddLink(Link { id: LinkId::new(id), from: from.clone(), to: to.clone(), kind }))
}
