//! Compiles a design, the catalog and a scenario into the dense, index-based tables of
//! [`crate::tables`] for the engine.
//!
//! Nothing from the design's graph (no `NodeIndex`) is used. The table types are re-exported here
//! for callers that compile and read the result.

mod concurrency;
mod recovery;

use meridian_model::catalog::{RouterMechanism, WriteModel};
use meridian_model::design::{LinkKind, ReplicationMode};
use meridian_model::dist::FailureSpec;
use meridian_model::latency;
use meridian_model::{Catalog, Design};

pub use crate::tables::{
    CAz, CDeploymentGroup, CGroup, CInstance, CPopulation, CRegion, CReplica, CRoute, CRouter, CService,
    CStore, CompileError, Compiled, Component, ComponentKind, ControlPlane, Process,
};

use crate::datalaw::DataLawPredicate;
use crate::dns::ClientCaching;
use crate::recovery::CRecovery;
use crate::rng::Sampler;
use crate::scenario::{Scenario, Target};
use recovery::compile_recovery;

/// Compiles `design` under `scenario`, with `law` deciding where each population may go.
// One pass over each entity kind in file order; splitting it would only pass the tables around.
#[allow(clippy::too_many_lines, clippy::similar_names)]
pub fn compile(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    law: &dyn DataLawPredicate,
) -> Result<Compiled, CompileError> {
    #[cfg(feature = "counters")]
    crate::counters::count_compile();
    let d = catalog.defaults();
    let on = scenario.random_failures;
    let over = |t: &Target| scenario.failure_overrides.iter().rev().find(|o| &o.target == t).map(|o| o.spec);
    let mut components = Vec::new();
    let mut push = |kind, name: String, spec: Option<FailureSpec>| {
        components.push(Component { kind, name, process: spec.as_ref().map(Process::new), crewed: false });
        components.len() - 1
    };

    let mut regions = Vec::new();
    let mut azs = Vec::new();
    for (ri, r) in design.regions().enumerate() {
        let info =
            catalog.region(r.id.as_str()).ok_or_else(|| CompileError::Unknown(format!("region {}", r.id)))?;
        let spec = over(&Target::Region(r.id.to_string())).or(r.failure).unwrap_or(d.region_failure.value);
        let component =
            push(ComponentKind::Region(ri), format!("region {}", r.id), on.regions.then_some(spec));
        regions.push(CRegion {
            id: r.id.to_string(),
            jurisdiction: info.jurisdiction.clone(),
            location: info.location,
            component,
        });
        for az in &r.azs {
            let spec = over(&Target::Az(az.clone())).unwrap_or(d.az_failure.value);
            let ai = azs.len();
            let component = push(ComponentKind::Az(ai), format!("AZ {az}"), on.azs.then_some(spec));
            azs.push(CAz { id: az.clone(), region: ri, component });
        }
    }
    // Issue 14: witness regions of strongly consistent tables that hold no service of the design.
    let strong_tables = meridian_model::consistency::strong_tables(design);
    if let Some((t, why)) = strong_tables.iter().find_map(|t| t.refusal().map(|w| (t, w))) {
        let entity = t.links.first().map_or_else(String::new, |l| format!("link {l}"));
        return Err(CompileError::Refused { entity, why });
    }
    for w in strong_tables.iter().filter_map(|t| t.witness.as_ref()) {
        if regions.iter().any(|r: &CRegion| r.id == w.as_str()) {
            continue;
        }
        let info = catalog.region(w.as_str()).ok_or_else(|| CompileError::Unknown(format!("region {w}")))?;
        let spec = over(&Target::Region(w.to_string())).unwrap_or(d.region_failure.value);
        let ri = regions.len();
        let component =
            push(ComponentKind::Region(ri), format!("region {w} (witness)"), on.regions.then_some(spec));
        regions.push(CRegion {
            id: w.to_string(),
            jurisdiction: info.jurisdiction.clone(),
            location: info.location,
            component,
        });
    }
    let nr = regions.len();
    let mut partitions = Vec::new();
    for a in 0..nr {
        for b in a + 1..nr {
            let t = Target::Partition(regions[a].id.clone(), regions[b].id.clone());
            let t2 = Target::Partition(regions[b].id.clone(), regions[a].id.clone());
            let spec = over(&t).or_else(|| over(&t2)).unwrap_or(d.partition_failure.value);
            let name = format!("network {} - {}", regions[a].id, regions[b].id);
            let pi = partitions.len();
            let component = push(ComponentKind::Partition(pi), name, on.partitions.then_some(spec));
            partitions.push((a, b, component));
        }
    }
    let region_ix = |id: &str| regions.iter().position(|r| r.id == id);

    let service_ids: Vec<String> = design.services().map(|s| s.id.to_string()).collect();
    let service_ix = |id: &str| service_ids.binary_search_by(|s| s.as_str().cmp(id)).ok();
    let mut services = Vec::new();
    let mut instances = Vec::new();
    for (si, s) in design.services().enumerate() {
        let kind = catalog.kind(s.kind);
        let region = s.placement.region().and_then(|r| region_ix(r.as_str()));
        let spec = over(&Target::Service(s.id.to_string())).or(s.failure).unwrap_or(kind.failure.spec.value);
        let component =
            push(ComponentKind::Service(si), format!("service {}", s.id), on.services.then_some(spec));
        let svc_azs: Vec<usize> = match region {
            Some(r) => {
                let names: Vec<&String> = if s.config.azs.is_empty() {
                    design.regions().nth(r).map(|x| x.azs.iter().collect()).unwrap_or_default()
                } else {
                    s.config.azs.iter().collect()
                };
                names.iter().filter_map(|n| azs.iter().position(|a| &&a.id == n)).collect()
            }
            None => Vec::new(),
        };
        let mut inst = Vec::new();
        let capacity_rps = s
            .config
            .capacity_rps
            .or_else(|| {
                kind.capacity.as_ref().map(|c| c.requests_per_sec.value * f64::from(s.config.count.max(1)))
            })
            .or_else(|| concurrency::capacity_rps(design, catalog, s));
        if kind.capacity.is_some() {
            let ispec = over(&Target::Instances(s.id.to_string())).unwrap_or(d.instance_failure.value);
            for k in 0..s.config.count.max(1) as usize {
                let az = (!svc_azs.is_empty()).then(|| svc_azs[k % svc_azs.len()]);
                let ii = instances.len();
                let component = push(
                    ComponentKind::Instance(ii),
                    format!("instance {}#{}", s.id, k + 1),
                    on.instances.then_some(ispec),
                );
                instances.push(CInstance { service: si, az, component });
                inst.push(ii);
            }
        }
        let items =
            s.config.storage_gb.map_or(1e6, |gb| (gb * 1e6 / design.workload().item_kb.max(1e-3)).max(1.0));
        services.push(CService {
            id: s.id.to_string(),
            region,
            component,
            latency_ms: s.latency_ms.unwrap_or(kind.latency_ms.value),
            azs: svc_azs,
            instances: inst,
            capacity_rps,
            deps: Vec::new(),
            routes: Vec::new(),
            router: kind
                .router
                .as_ref()
                .map(|r| CRouter { mechanism: r.mechanism, shift_delay_us: r.shift_delay.value.as_micros() }),
            store: kind.datastore.as_ref().map(|ds| CStore {
                writes: ds.writes,
                group: None,
                items,
                read_wait: None,
            }),
            hit_ratio: latency::hit_ratio(catalog, s).unwrap_or(0.0),
            edge: latency::enters_at_edge(kind),
            control_plane: None,
        });
    }

    let mut routes = Vec::new();
    let mut repl: Vec<(usize, usize, ReplicationMode, Sampler, f64)> = Vec::new();
    for l in design.links() {
        let (Some(from), Some(to)) = (service_ix(l.from.as_str()), service_ix(l.to.as_str())) else {
            continue;
        };
        match &l.kind {
            LinkKind::Dependency(dep) => services[from].deps.push((to, dep.calls_per_request, dep.required)),
            LinkKind::Routing(r) => {
                let router = services[from]
                    .router
                    .unwrap_or(CRouter { mechanism: RouterMechanism::LoadBalancer, shift_delay_us: 0 });
                let health_check = match (&r.health_check, router.mechanism) {
                    (Some(hc), _) => Some((hc.interval.as_micros().max(1), hc.failure_threshold.max(1))),
                    (None, RouterMechanism::Dns) => None,
                    (None, _) => Some((
                        d.health_check_interval.value.as_micros().max(1),
                        d.health_check_failure_threshold.value.max(1),
                    )),
                };
                let dns_ttl_us = (router.mechanism == RouterMechanism::Dns)
                    .then(|| r.ttl.unwrap_or(d.dns_ttl.value).as_micros());
                services[from].routes.push(routes.len());
                routes.push(CRoute {
                    id: l.id.to_string(),
                    from,
                    to,
                    policy: r.policy.clone(),
                    health_check,
                    follow_us: router.shift_delay_us,
                    dns_ttl_us,
                });
            }
            LinkKind::Replication(r) => {
                let kind = design.service(&l.from).and_then(|s| catalog.kind(s.kind).datastore.clone());
                // Issue 14: S3 Replication Time Control has its own (cited) lag.
                let rtc = r.rtc.then_some(catalog.resilience().s3_rtc_lag.value);
                let dist = r.lag.or(rtc).or_else(|| kind.as_ref().map(|k| k.lag.value));
                let (lag, mean) =
                    dist.map_or((Sampler::Fixed(0.0), 0.0), |dd| (Sampler::new(&dd), dd.mean_secs()));
                repl.push((from, to, r.mode, lag, mean));
                if let (Some(level), Some(st)) = (r.write_forwarding, services[to].store.as_mut()) {
                    st.read_wait = Some((level, mean * 1e3));
                }
            }
            LinkKind::Backup(_) => {}
        }
    }

    let mut groups = build_groups(design, catalog, &mut services, &repl);
    crate::consistency::mark_strong(&mut groups, &services, &regions, &strong_tables);
    let populations = design
        .populations()
        .map(|p| {
            let t = scenario.traffic.iter().rev().find(|t| t.population == p.id.as_str());
            CPopulation {
                id: p.id.to_string(),
                location: p.location,
                continent: p.continent,
                rate: t.and_then(|t| t.requests_per_sec).unwrap_or(p.requests_per_sec),
                write_fraction: t.and_then(|t| t.write_fraction).unwrap_or(p.write_fraction),
                entry: p.entry.as_ref().and_then(|e| service_ix(e.as_str())),
                allowed: law.allowed_jurisdictions(p),
                internet_ms: user_paths(catalog, p, &regions, false),
                edge_path_ms: user_paths(catalog, p, &regions, true),
                to_edge_ms: latency::user_to_edge(catalog, &p.location, p.access)
                    .map_or_else(|| latency::access_rtt_ms(catalog, p.access), |e| e.total_ms()),
                caching: p.dns_sticky_share.map_or(ClientCaching::HONOUR_TTL, |q| ClientCaching {
                    sticky_share: q,
                    sticky_hold_us: p
                        .dns_sticky_hold
                        .unwrap_or(catalog.resilience().dns_sticky_hold.value)
                        .as_micros() as f64,
                }),
            }
        })
        .collect();

    // Issue 14: deployment groups with their common-cause failures, and control planes.
    let control_planes =
        crate::common_cause::control_planes(design, &regions, &mut services, &mut components);
    let common = crate::common_cause::deployment_groups(
        design,
        catalog,
        scenario,
        &regions,
        &services,
        &mut components,
    );
    let crews = design.resilience().repair_crews;
    if crews.is_some() {
        for comp in &mut components {
            comp.crewed = matches!(comp.kind, ComponentKind::Service(_) | ComponentKind::CommonCause(_));
        }
    }

    let mut injections = Vec::new();
    for inj in &scenario.injections {
        let c = match &inj.target {
            Target::Region(r) => region_ix(r).map(|i| regions[i].component),
            Target::Az(a) => azs.iter().find(|x| &x.id == a).map(|x| x.component),
            Target::Service(s) => service_ix(s).map(|i| services[i].component),
            Target::Instances(_) => None,
            Target::Deployment(g) => common.iter().find(|x| &x.name == g).map(|x| x.component),
            Target::ControlPlane(r) => {
                control_planes.iter().find(|x| &x.region_code == r).map(|x| x.component)
            }
            Target::Partition(a, b) => match (region_ix(a), region_ix(b)) {
                (Some(a), Some(b)) => {
                    partitions.iter().find(|p| (p.0, p.1) == (a.min(b), a.max(b))).map(|p| p.2)
                }
                _ => None,
            },
        };
        if let Some(c) = c {
            let start = inj.at.as_micros();
            injections.push((c, start, start.saturating_add(inj.duration.as_micros())));
        }
    }

    let intra = catalog.latency().intra_region.general.value;
    let mut region_rtt_ms = vec![intra; nr * nr];
    for a in 0..nr {
        for b in 0..nr {
            if let Some(rtt) = latency::region_rtt(catalog, &regions[a].id, &regions[b].id) {
                region_rtt_ms[a * nr + b] = rtt.ms;
            }
        }
    }
    let mut compiled = Compiled {
        components,
        regions,
        azs,
        partitions,
        services,
        instances,
        routes,
        groups,
        populations,
        injections,
        intra_region_rtt_ms: intra,
        region_rtt_ms,
        estimated_round_trips: latency::estimated_round_trips(design, catalog),
        instant_failover: scenario.instant_failover,
        horizon_us: scenario.horizon.as_micros(),
        deployment_groups: common,
        control_planes,
        repair_crews: crews,
        change_detection: Sampler::new(&catalog.resilience().change_detection.value),
        recovery: CRecovery::none(),
    };
    compiled.recovery = compile_recovery(design, catalog, &compiled);
    Ok(compiled)
}

/// The round trip from population `p` to each of `regions` (`latency::user_path`), ms.
fn user_paths(
    catalog: &Catalog,
    p: &meridian_model::design::Population,
    regions: &[CRegion],
    via_edge: bool,
) -> Vec<f64> {
    regions
        .iter()
        .map(|r| {
            latency::user_path(catalog, &p.location, p.access, &r.id, via_edge).map_or(0.0, |u| u.total_ms())
        })
        .collect()
}

/// Joins stores linked by replication into groups (union-find over the links, members in id order).
fn build_groups(
    design: &Design,
    catalog: &Catalog,
    services: &mut [CService],
    repl: &[(usize, usize, ReplicationMode, Sampler, f64)],
) -> Vec<CGroup> {
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let n = services.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b, ..) in repl {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: Vec<CGroup> = Vec::new();
    let mut root_group: Vec<Option<usize>> = vec![None; n];
    let involved: Vec<bool> = (0..n).map(|i| repl.iter().any(|r| r.0 == i || r.1 == i)).collect();
    for i in 0..n {
        if !involved[i] {
            continue;
        }
        let root = find(&mut parent, i);
        let g = if let Some(g) = root_group[root] {
            g
        } else {
            {
                let writes = services[i].store.as_ref().map_or(WriteModel::OneWay, |s| s.writes);
                let promotion_us = design
                    .services()
                    .nth(i)
                    .and_then(|s| catalog.kind(s.kind).datastore.as_ref())
                    .and_then(|ds| ds.promotion.as_ref())
                    .map_or(0, |p| (p.time.value.mean_secs() * 1e6).round() as u64);
                groups.push(CGroup {
                    members: Vec::new(),
                    writes,
                    initial_writer: i,
                    links: Vec::new(),
                    promotion_us,
                    strong: false,
                    witness: None,
                });
                root_group[root] = Some(groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[g].members.push(i);
        if let Some(st) = services[i].store.as_mut() {
            st.group = Some(g);
        }
    }
    for &(from, to, mode, lag, lag_mean_s) in repl {
        if let Some(g) = services[from].store.as_ref().and_then(|s| s.group) {
            groups[g].links.push(CReplica { from, to, mode, lag, lag_mean_s });
        }
    }
    // The initial writer of a single-writer group is the member no replication link points to.
    for g in &mut groups {
        if let Some(&w) = g.members.iter().find(|&&m| g.links.iter().all(|l| l.to != m)) {
            g.initial_writer = w;
        }
    }
    groups
}
