//! Generated designs of any size, for benchmarks and scale tests.
//!
//! The shape follows the reference active-active design: per region a load balancer, a container
//! service, a cache, a queue and a table, with tables replicated between neighbouring regions and
//! one Route 53 router in front. Generation is deterministic.

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::design::{
    Dependency, Design, Link, LinkKind, Placement, Population, Region, Service, ServiceConfig,
};
use crate::edit::default_link;
use crate::geo::{Continent, GeoPoint};
use crate::ids::{LinkId, PopulationId, RegionId, ServiceId};
use crate::kind::ServiceKind;
use crate::{Command, CommandError, apply};

/// Kinds generated in every region, in order, with the count of units each gets.
const REGIONAL: [(ServiceKind, u32); 6] = [
    (ServiceKind::Alb, 1),
    (ServiceKind::EcsFargate, 4),
    (ServiceKind::ElastiCache, 2),
    (ServiceKind::Sqs, 1),
    (ServiceKind::Lambda, 1),
    (ServiceKind::DynamoDb, 1),
];
/// The router in front of every region.
const ROUTER: ServiceKind = ServiceKind::Route53;

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
    cmds.push(Command::AddService(service(&router, ROUTER, Placement::Global, 1)));
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
            links.extend(links_of(catalog, kind, &r.code, cell, prev, &router, &id));
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
        access: None,
        dns_sticky_share: None,
        dns_sticky_hold: None,
    }));
    apply(&mut design, catalog, Command::Batch(cmds))?;
    Ok(design)
}

/// The links a generated service of `kind` in cell `cell` of region `code` makes: the router
/// routes to load balancers, tables replicate from the previous region's, and every other
/// service is called by the cell's containers (containers by the load balancer); calls to queues
/// are optional. Routes and replication take the editing rules' defaults ([`default_link`]).
fn links_of(
    catalog: &Catalog,
    kind: ServiceKind,
    code: &str,
    cell: usize,
    prev: Option<&str>,
    router: &ServiceId,
    id: &ServiceId,
) -> Vec<Link> {
    let mut out = Vec::new();
    let default = |from: ServiceKind| default_link(catalog, catalog.kind(from), catalog.kind(kind));
    if kind == ServiceKind::Alb {
        out.push(link(format!("route-{code}-{cell}"), router, id, default(ROUTER)));
    }
    if let (ServiceKind::DynamoDb, Some(prev)) = (kind, prev) {
        let from = ServiceId::new(format!("{kind}-{prev}-{cell}"));
        out.push(link(format!("repl-{code}-{cell}"), &from, id, default(kind)));
    }
    if kind != ServiceKind::Alb {
        let caller = if kind == ServiceKind::EcsFargate { ServiceKind::Alb } else { ServiceKind::EcsFargate };
        out.push(link(
            format!("dep-{kind}-{code}-{cell}"),
            &ServiceId::new(format!("{caller}-{code}-{cell}")),
            id,
            LinkKind::Dependency(Dependency { calls_per_request: 1.0, required: kind != ServiceKind::Sqs }),
        ));
    }
    out
}

fn service(id: &ServiceId, kind: ServiceKind, placement: Placement, count: u32) -> Service {
    Service {
        id: id.clone(),
        name: id.to_string(),
        kind,
        placement,
        config: ServiceConfig { count, ..ServiceConfig::default() },
        tags: BTreeMap::from([("team".to_owned(), "platform".to_owned())]),
        data_classes: Vec::new(),
        failure: None,
        latency_ms: None,
        deployment_group: None,
        control_plane: None,
    }
}

fn link(id: String, from: &ServiceId, to: &ServiceId, kind: LinkKind) -> Link {
    Link { id: LinkId::new(id), from: from.clone(), to: to.clone(), kind }
}
