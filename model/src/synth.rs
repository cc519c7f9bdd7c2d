//! Generated designs of any size, for benchmarks and scale tests.
//!
//! The shape follows the reference active-active design: per region a load balancer, a container
//! service, a cache, a queue and a table, with tables replicated between neighbouring regions and
//! one Route 53 router in front. Generation is deterministic.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::design::{
    Dependency, Design, HealthCheck, Link, LinkKind, Placement, Population, Region, Replication,
    ReplicationMode, Routing, RoutingPolicy, Service, ServiceConfig,
};
use crate::geo::{Continent, GeoPoint};
use crate::ids::{LinkId, PopulationId, RegionId, ServiceId};
use crate::time::TimeSpan;
use crate::{Command, CommandError, apply};

/// Kinds generated in every region, in order, with the count of units each gets.
const REGIONAL: [(&str, u32); 6] =
    [("alb", 1), ("ecs-fargate", 4), ("elasticache", 2), ("sqs", 1), ("lambda", 1), ("dynamodb", 1)];

/// Builds a design with about `services` services spread over up to `max_regions` regions.
pub fn generate(catalog: &Catalog, services: usize, max_regions: usize) -> Result<Design, CommandError> {
    let mut design = Design::new(format!("Generated design with {services} services"));
    let regions: Vec<_> = catalog
        .regions()
        .iter()
        .filter(|r| r.partition == crate::catalog::Partition::Aws && r.az_count() >= 3 && !r.opt_in)
        .take(max_regions.max(1))
        .collect();
    let mut cmds = Vec::new();
    for r in &regions {
        cmds.push(Command::AddRegion(Region {
            id: RegionId::new(r.code.clone()),
            azs: r.az_ids.iter().take(3).cloned().collect(),
            failure: None,
        }));
    }
    let router = ServiceId::new("dns");
    cmds.push(Command::AddService(service(&router, "route53", Placement::Global, 1)));
    let per_region = services.saturating_sub(1).div_ceil(regions.len().max(1));
    let mut links = Vec::new();
    let mut made = 1;
    for (ri, r) in regions.iter().enumerate() {
        let region = RegionId::new(r.code.clone());
        let mut i = 0;
        while i < per_region && made < services {
            let (kind, count) = REGIONAL[i % REGIONAL.len()];
            let cell = i / REGIONAL.len();
            let id = ServiceId::new(format!("{kind}-{}-{cell}", r.code));
            cmds.push(Command::AddService(service(&id, kind, Placement::Region(region.clone()), count)));
            made += 1;
            let prev = ri.checked_sub(1).map(|p| regions[p].code.as_str());
            links.extend(links_of(kind, &r.code, cell, prev, &router, &id));
            i += 1;
        }
    }
    let existing: std::collections::BTreeSet<ServiceId> = cmds
        .iter()
        .filter_map(|c| if let Command::AddService(s) = c { Some(s.id.clone()) } else { None })
        .collect();
    cmds.extend(
        links
            .into_iter()
            .filter(|l| existing.contains(&l.from) && existing.contains(&l.to))
            .map(Command::AddLink),
    );
    cmds.push(Command::AddPopulation(Population {
        id: PopulationId::new("users"),
        name: "Users".into(),
        location: GeoPoint { lat: 45.0, lon: -30.0 },
        country: None,
        continent: Continent::NorthAmerica,
        requests_per_sec: 1000.0,
        write_fraction: 0.1,
        request_kb: 2.0,
        response_kb: 20.0,
        data_classes: Vec::new(),
        entry: Some(router),
    }));
    apply(&mut design, catalog, Command::Batch(cmds))?;
    Ok(design)
}

/// The links a generated service of `kind` in cell `cell` of region `code` makes.
fn links_of(
    kind: &str,
    code: &str,
    cell: usize,
    prev: Option<&str>,
    router: &ServiceId,
    id: &ServiceId,
) -> Vec<Link> {
    let mut out = Vec::new();
    match (kind, prev) {
        ("alb", _) => out.push(link(
            format!("route-{code}-{cell}"),
            router,
            id,
            LinkKind::Routing(Routing {
                policy: RoutingPolicy::Latency,
                health_check: Some(HealthCheck { interval: TimeSpan::from_secs(30), failure_threshold: 3 }),
                ttl: None,
            }),
        )),
        ("dynamodb", Some(prev)) => out.push(link(
            format!("repl-{code}-{cell}"),
            &ServiceId::new(format!("dynamodb-{prev}-{cell}")),
            id,
            LinkKind::Replication(Replication { mode: ReplicationMode::Async, lag: None, rtc: false }),
        )),
        _ => {}
    }
    if kind != "alb" {
        let caller = if kind == "ecs-fargate" { "alb" } else { "ecs-fargate" };
        out.push(link(
            format!("dep-{kind}-{code}-{cell}"),
            &ServiceId::new(format!("{caller}-{code}-{cell}")),
            id,
            LinkKind::Dependency(Dependency { calls_per_request: 1.0, required: kind != "sqs" }),
        ));
    }
    out
}

fn service(id: &ServiceId, kind: &str, placement: Placement, count: u32) -> Service {
    Service {
        id: id.clone(),
        name: id.to_string(),
        kind: kind.into(),
        placement,
        config: ServiceConfig { count, ..ServiceConfig::default() },
        tags: BTreeMap::from([("team".to_owned(), "platform".to_owned())]),
        data_classes: Vec::new(),
        failure: None,
        latency_ms: None,
    }
}

fn link(id: String, from: &ServiceId, to: &ServiceId, kind: LinkKind) -> Link {
    Link { id: LinkId::new(id), from: from.clone(), to: to.clone(), kind }
}
