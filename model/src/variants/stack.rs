//! The rules of each strategy as commands: which regions stay, what the standby region runs, and
//! how routing, replication and backup links change. Each phase reads the design as the previous
//! phases left it and applies its commands through [`apply`], so every step is checked.

use crate::catalog::RouterMechanism;
use crate::catalog::{Catalog, Category};
use crate::check::CommandError;
use crate::command::{Command, apply};
use crate::design::{
    Backup, Design, FailoverRole, Initiation, Link, LinkKind, Placement, Replication, ReplicationMode,
    Routing, RoutingPolicy, RoutingPolicyKind, Scaling, Service, Standby,
};
use crate::edit::{default_backup, default_health_check};
use crate::ids::{LinkId, RegionId, ServiceId};

use super::Strategy;
use super::plan::{Plan, fresh_link_id, in_region, is_compute, mirror_id, short_code};

/// Applies the rules of `strategy` to `d` (a copy of the original design).
pub(super) fn build(
    plan: &Plan,
    d: &mut Design,
    catalog: &Catalog,
    strategy: Strategy,
) -> Result<(), CommandError> {
    let run = |d: &mut Design, commands: Vec<Command>| -> Result<(), CommandError> {
        for c in commands {
            apply(d, catalog, c)?;
        }
        Ok(())
    };
    run(d, move_entries(plan, d))?;
    run(d, drop_regions(plan, d, strategy))?;
    run(d, size_primary(plan, d, catalog))?;
    match strategy {
        Strategy::MultiAz => {}
        Strategy::BackupRestore | Strategy::PilotLight | Strategy::WarmStandby | Strategy::ActiveActive => {
            let stack: Vec<Service> =
                plan.template.iter().filter_map(|t| standby_service(plan, d, catalog, t, strategy)).collect();
            let keep: Vec<ServiceId> = stack.iter().map(|s| s.id.clone()).collect();
            run(d, clear_standby(plan, d, &keep))?;
            let upserts = stack
                .into_iter()
                .map(|s| {
                    if d.service(&s.id).is_some() {
                        Command::UpdateService(s)
                    } else {
                        Command::AddService(s)
                    }
                })
                .collect();
            run(d, upserts)?;
            run(d, mirror_links(plan, d))?;
            if strategy == Strategy::BackupRestore {
                run(d, drop_replication(plan, d))?;
                run(d, vault_and_backups(plan, d, catalog))?;
            } else {
                run(d, replication(plan, d, catalog, strategy))?;
            }
        }
    }
    run(d, global_routing(plan, d, catalog, strategy))?;
    Ok(())
}

/// The description of the variant: what it is and where it came from.
pub(super) fn description(plan: &Plan, original: &Design, strategy: Strategy) -> String {
    let (p, s) = (&plan.primary, &plan.standby);
    let what = match strategy {
        Strategy::MultiAz => format!("Everything in {p}, spread over its AZs; no second region."),
        Strategy::BackupRestore => format!(
            "{p} serves; its datastores are backed up daily to an AWS Backup vault in {s}, where a cold stack is deployed and restored by an operator after a disaster; operator-initiated DNS failover."
        ),
        Strategy::PilotLight => format!(
            "{p} serves; in {s} the datastores are live replicas and compute is at zero units, switched on by an operator; failover by Route 53 ARC routing controls."
        ),
        Strategy::WarmStandby => format!(
            "{p} serves; {s} runs a scaled-down copy sized for average load that scales out to peak; automatic Route 53 failover."
        ),
        Strategy::ActiveActive => {
            format!("{p} and {s} both serve, each sized for the peak of every population; latency routing.")
        }
    };
    format!("{what} Derived from \"{}\" by meridian variants (rules: docs/strategies.md).", original.name())
}

/// Populations that enter at a regional service outside the primary region enter at its primary
/// counterpart instead (their region may be removed, and passive strategies serve from the primary).
fn move_entries(plan: &Plan, d: &Design) -> Vec<Command> {
    let mut out = Vec::new();
    for p in d.populations() {
        let Some(entry) = p.entry.as_ref().and_then(|e| d.service(e)) else { continue };
        let Some(region) = entry.placement.region() else { continue };
        if region == &plan.primary {
            continue;
        }
        if let Some(t) = plan.template.iter().find(|t| mirror_id(&t.id, &plan.primary, region) == entry.id) {
            let mut moved = p.clone();
            moved.entry = Some(t.id.clone());
            out.push(Command::UpdatePopulation(moved));
        }
    }
    out
}

/// Removes every region but the primary and (when the strategy has one) the standby; adds the
/// standby region when the design has only one.
fn drop_regions(plan: &Plan, d: &Design, strategy: Strategy) -> Vec<Command> {
    let keep = |r: &RegionId| r == &plan.primary || (strategy.uses_standby() && r == &plan.standby);
    let mut out: Vec<Command> =
        d.regions().filter(|r| !keep(&r.id)).map(|r| Command::RemoveRegion(r.id.clone())).collect();
    if strategy.uses_standby()
        && let Some(region) = &plan.new_standby
    {
        out.push(Command::AddRegion(region.clone()));
    }
    out
}

/// The primary region is production: compute sized for the peak of every population, every
/// counted service on at least two units spread over all the region's AZs.
fn size_primary(plan: &Plan, d: &Design, catalog: &Catalog) -> Vec<Command> {
    let spans = d.region(&plan.primary).is_some_and(|r| r.azs.len() >= 2);
    let mut out = Vec::new();
    for t in &plan.template {
        let Some(s) = d.service(&t.id) else { continue };
        let mut s = s.clone();
        let counted = catalog.kind(s.kind).capacity.is_some();
        if is_compute(catalog, &s) {
            s.config.count = plan.peak_units(catalog, t);
        }
        if counted && spans {
            s.config.count = s.config.count.max(2);
            s.config.azs.clear();
        }
        if &s != t {
            out.push(Command::UpdateService(s));
        }
    }
    out
}

/// The standby counterpart of template service `t` under `strategy` (`None`: not mirrored).
fn standby_service(
    plan: &Plan,
    d: &Design,
    catalog: &Catalog,
    t: &Service,
    strategy: Strategy,
) -> Option<Service> {
    let kind = catalog.kind(t.kind);
    if kind.backup_vault {
        return None;
    }
    let primary = d.service(&t.id).unwrap_or(t);
    let id = plan.standby_id(&t.id);
    let existing = d.service(&id).filter(|s| s.kind == t.kind && in_region(s, &plan.standby));
    let mut s = primary.clone();
    s.id = id;
    s.placement = Placement::Region(plan.standby.clone());
    s.config.azs.clear();
    if let Some(e) = existing {
        s.name.clone_from(&e.name);
        s.tags.clone_from(&e.tags);
    } else {
        let city = catalog
            .region(plan.standby.as_str())
            .map_or_else(|| plan.standby.to_string(), |r| r.city.clone());
        let base = match s.name.rfind(" (") {
            Some(i) if s.name.ends_with(')') => s.name[..i].to_owned(),
            _ => s.name.clone(),
        };
        s.name = format!("{base} ({city})");
    }
    let counted = kind.capacity.is_some();
    let compute = is_compute(catalog, t);
    s.config.count = match strategy {
        Strategy::BackupRestore | Strategy::PilotLight if compute => 0,
        Strategy::PilotLight if counted => 1,
        Strategy::WarmStandby if compute => plan.average_units(catalog, t),
        Strategy::WarmStandby if counted => primary.config.count.div_ceil(2).max(1),
        _ => primary.config.count,
    };
    // Standby compute scales out to the production peak: from zero when switched on (pilot
    // light, a restored stack), from its base when traffic arrives (warm standby).
    let scales = compute && kind.scaling.is_some() && strategy != Strategy::ActiveActive;
    s.config.scaling = scales.then(|| Scaling::up_to(plan.peak_units(catalog, t).max(s.config.count)));
    s.config.standby = (strategy == Strategy::BackupRestore).then_some(Standby::Cold);
    if s.config.count == 0 {
        // Capacity given in the design is for the units running; none run.
        s.config.capacity_rps = None;
    }
    Some(s)
}

/// Removes the standby region's services that are not in `keep`.
fn clear_standby(plan: &Plan, d: &Design, keep: &[ServiceId]) -> Vec<Command> {
    d.services_in(&plan.standby)
        .filter(|s| !keep.contains(&s.id))
        .map(|s| Command::RemoveService(s.id.clone()))
        .collect()
}

/// Copies the links between primary services to their standby counterparts, unless the standby
/// already has a link of that kind between them.
fn mirror_links(plan: &Plan, d: &Design) -> Vec<Command> {
    let primary = |id: &ServiceId| d.service(id).is_some_and(|s| in_region(s, &plan.primary));
    let mut out = Vec::new();
    for l in d.links() {
        if !primary(&l.from) || !primary(&l.to) || matches!(l.kind, LinkKind::Backup(_)) {
            continue;
        }
        let (from, to) = (plan.standby_id(&l.from), plan.standby_id(&l.to));
        if d.service(&from).is_none() || d.service(&to).is_none() {
            continue;
        }
        if d.links_from(&from).any(|x| x.to == to && x.kind.tag() == l.kind.tag()) {
            continue;
        }
        let id = fresh_link_id(d, &pending(&out), mirror_link_id(&l.id, plan).as_str());
        out.push(Command::AddLink(Link { id, from, to, kind: l.kind.clone() }));
    }
    out
}

fn mirror_link_id(id: &LinkId, plan: &Plan) -> LinkId {
    let mirrored = mirror_id(&ServiceId::new(id.as_str()), &plan.primary, &plan.standby);
    LinkId::new(mirrored.as_str())
}

/// Every replicating primary datastore replicates to its standby counterpart, primary to standby
/// (the primary is the writer of single-writer groups). Links the other way are turned round.
fn replication(plan: &Plan, d: &Design, catalog: &Catalog, strategy: Strategy) -> Vec<Command> {
    let mut out = Vec::new();
    for t in &plan.template {
        let Some(ds) = catalog.kind(t.kind).datastore.as_ref() else { continue };
        if ds.replication.is_empty() {
            continue;
        }
        let c = plan.standby_id(&t.id);
        if d.service(&c).is_none() {
            continue;
        }
        let forward = d.links_from(&t.id).find(|l| l.to == c && matches!(l.kind, LinkKind::Replication(_)));
        if forward.is_some() {
            continue;
        }
        let backward = d.links_from(&c).find(|l| l.to == t.id && matches!(l.kind, LinkKind::Replication(_)));
        let (id, kind) = if let Some(l) = backward {
            out.push(Command::RemoveLink(l.id.clone()));
            (l.id.clone(), l.kind.clone())
        } else {
            let mode = if ds.replication.contains(&ReplicationMode::Async) {
                ReplicationMode::Async
            } else {
                ds.replication[0]
            };
            (
                fresh_link_id(d, &pending(&out), &format!("{}-to-{}", t.id, short_code(&plan.standby))),
                LinkKind::Replication(Replication::new(mode)),
            )
        };
        let kind = match (kind, promotion(ds, strategy)) {
            (LinkKind::Replication(r), Some(p)) => {
                LinkKind::Replication(Replication { promotion: Some(p), ..r })
            }
            (kind, _) => kind,
        };
        out.push(Command::AddLink(Link { id, from: t.id.clone(), to: c, kind }));
    }
    out
}

/// Backup and restore keeps no live copy: replication links between the primary and the standby
/// region go (the cold standby is restored from backups instead).
fn drop_replication(plan: &Plan, d: &Design) -> Vec<Command> {
    let standby = |id: &ServiceId| d.service(id).is_some_and(|s| in_region(s, &plan.standby));
    d.links()
        .filter(|l| matches!(l.kind, LinkKind::Replication(_)) && (standby(&l.from) || standby(&l.to)))
        .map(|l| Command::RemoveLink(l.id.clone()))
        .collect()
}

/// Backup and restore: an AWS Backup vault in the standby region and a daily backup (the catalog's
/// `strategy_backup_interval`) of every primary datastore that keeps data (caches excepted) to
/// it; the cold counterparts are restored from these, in a time derived from their kind and size.
fn vault_and_backups(plan: &Plan, d: &Design, catalog: &Catalog) -> Vec<Command> {
    let Some(vault_kind) = catalog.kinds().iter().find(|k| k.backup_vault) else { return Vec::new() };
    let code = short_code(&plan.standby);
    let is_vault = |s: &Service| s.kind == vault_kind.id && in_region(s, &plan.standby);
    let mut vault = ServiceId::new(format!("backup-vault-{code}"));
    let mut n = 2;
    while d.service(&vault).is_some_and(|s| !is_vault(s)) {
        vault = ServiceId::new(format!("backup-vault-{code}-{n}"));
        n += 1;
    }
    let city =
        catalog.region(plan.standby.as_str()).map_or_else(|| plan.standby.to_string(), |r| r.city.clone());
    let mut out = Vec::new();
    if d.service(&vault).is_none() {
        out.push(Command::AddService(Service {
            id: vault.clone(),
            name: format!("Backup vault ({city})"),
            kind: vault_kind.id,
            placement: Placement::Region(plan.standby.clone()),
            config: crate::design::ServiceConfig { count: 1, ..Default::default() },
            tags: std::collections::BTreeMap::new(),
            data_classes: Vec::new(),
            failure: None,
            latency_ms: None,
            deployment_group: None,
            control_plane: None,
        }));
    }
    for t in &plan.template {
        let kind = catalog.kind(t.kind);
        if kind.datastore.is_none() || kind.category == Category::Cache || !kind.stateful {
            continue;
        }
        if d.links_from(&t.id).any(|l| l.to == vault) {
            continue;
        }
        let id = fresh_link_id(d, &pending(&out), &format!("backup-{}", t.id));
        let every = catalog.defaults().recovery.strategy_backup_interval.value;
        out.push(Command::AddLink(Link {
            id,
            from: t.id.clone(),
            to: vault.clone(),
            kind: LinkKind::Backup(Backup { every, ..default_backup(catalog) }),
        }));
    }
    out
}

/// Global routers (Route 53, CloudFront, Global Accelerator) route to the primary endpoint and
/// its standby counterpart: latency routing in active-active, failover (primary, secondary) in
/// the passive strategies; a router that lacks the policy keeps failover or its first policy.
fn global_routing(plan: &Plan, d: &Design, catalog: &Catalog, strategy: Strategy) -> Vec<Command> {
    let mut out = Vec::new();
    for g in d.global_services() {
        let Some(router) = catalog.kind(g.kind).router.as_ref() else { continue };
        let supports = |p: RoutingPolicyKind| router.policies.contains(&p);
        for l in d.links_from(&g.id) {
            let LinkKind::Routing(r) = &l.kind else { continue };
            if !d.service(&l.to).is_some_and(|s| in_region(s, &plan.primary)) {
                continue;
            }
            let twin = plan.standby_id(&l.to);
            let standby_link =
                d.links_from(&g.id).find(|x| x.to == twin && matches!(x.kind, LinkKind::Routing(_))).cloned();
            let has_twin = d.service(&twin).is_some();
            let (primary_policy, standby_policy) = match strategy {
                Strategy::ActiveActive if supports(RoutingPolicyKind::Latency) => {
                    (RoutingPolicy::Latency, RoutingPolicy::Latency)
                }
                _ if supports(RoutingPolicyKind::Failover) => (
                    RoutingPolicy::Failover { role: FailoverRole::Primary },
                    RoutingPolicy::Failover { role: FailoverRole::Secondary },
                ),
                _ => (r.policy.clone(), r.policy.clone()),
            };
            let single = !has_twin;
            let health = r.health_check.clone().or_else(|| (!single).then(|| default_health_check(catalog)));
            let primary_policy = if single && r.policy.kind() != RoutingPolicyKind::Failover {
                r.policy.clone()
            } else {
                primary_policy
            };
            let failover = if single { r.failover } else { initiation(router.mechanism, strategy) };
            let routing = |policy: RoutingPolicy| Routing {
                policy,
                health_check: health.clone(),
                ttl: r.ttl,
                failover,
            };
            let updated = Link { kind: LinkKind::Routing(routing(primary_policy)), ..l.clone() };
            if updated != *l {
                out.push(Command::UpdateLink(updated));
            }
            if !has_twin {
                continue;
            }
            let twin_link = match standby_link {
                Some(x) => Link { kind: LinkKind::Routing(routing(standby_policy)), ..x },
                None => Link {
                    id: fresh_link_id(d, &pending(&out), mirror_link_id(&l.id, plan).as_str()),
                    from: g.id.clone(),
                    to: twin,
                    kind: LinkKind::Routing(routing(standby_policy)),
                },
            };
            match d.link(&twin_link.id) {
                Some(existing) if existing == &twin_link => {}
                Some(_) => out.push(Command::UpdateLink(twin_link)),
                None => out.push(Command::AddLink(twin_link)),
            }
        }
    }
    out
}

/// Who fails a global router over to the standby: an operator's DNS record change for backup and
/// restore (the stack is restored first), an Application Recovery Controller routing control for
/// a pilot light on Route 53 (an operator elsewhere: the compute must be switched on), health
/// checks for warm standby and active-active.
fn initiation(mechanism: RouterMechanism, strategy: Strategy) -> Option<Initiation> {
    match strategy {
        Strategy::PilotLight if mechanism == RouterMechanism::Dns => Some(Initiation::RoutingControl),
        Strategy::BackupRestore | Strategy::PilotLight => Some(Initiation::Operator),
        Strategy::MultiAz | Strategy::WarmStandby | Strategy::ActiveActive => None,
    }
}

/// Who promotes a single-writer store's replica: automation on the alarm where AWS allows it for
/// warm standby and active-active (the stack serves at once, the writer must follow), an operator
/// otherwise (the default).
fn promotion(ds: &crate::catalog::DatastoreSpec, strategy: Strategy) -> Option<Initiation> {
    let automatable = ds.promotion.as_ref().is_some_and(|p| p.automatable.value);
    match strategy {
        Strategy::WarmStandby | Strategy::ActiveActive if automatable => Some(Initiation::Automatic),
        _ => None,
    }
}

/// Ids of the links `commands` add, so that later ids in the same phase do not repeat them.
fn pending(commands: &[Command]) -> Vec<LinkId> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::AddLink(l) => Some(l.id.clone()),
            _ => None,
        })
        .collect()
}
