//! Generated designs of any size, for benchmarks and scale tests.
//!
//! The shape follows the reference active-active design: per region a load balancer, a container
//! service, a cache, a queue and a table, with tables replicated between neighbouring regions and
//! one Route 53 router in front. Generation is deterministic.
//!
//! [`Shape`] says how the cells are spread: over many regions (the original benchmark, where every
//! region holds few services), or in two regions as real designs are ([`Shape::TwoRegions`]: every
//! table also backed up to a vault in its region, caches on one node, and the users' data classed
//! as EU personal data, so validation, compliance and cost all have work on every service).

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

/// The two regions of [`Shape::TwoRegions`].
const TWO_REGIONS: [&str; 2] = ["eu-west-1", "eu-central-1"];

/// How a generated design is spread over regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Cells spread evenly over up to this many regions (the first in catalog order).
    Spread {
        /// The most regions used.
        max_regions: usize,
    },
    /// Every cell in Ireland and Frankfurt, tables replicated between them and backed up to a
    /// vault in their region, caches on one node (a warning each), the users' data EU personal
    /// data: the shape of real large designs.
    TwoRegions,
}

impl Shape {
    /// The shape's name on the command line (`spread`, `two-regions`).
    pub fn name(self) -> &'static str {
        match self {
            Shape::Spread { .. } => "spread",
            Shape::TwoRegions => "two-regions",
        }
    }
}

/// Builds a design with about `services` services spread over up to `max_regions` regions.
pub fn generate(catalog: &Catalog, services: usize, max_regions: usize) -> Result<Design, CommandError> {
    generate_shaped(catalog, services, Shape::Spread { max_regions })
}

/// Builds a design with about `services` services (exactly that many when there are enough for
/// the router, the vaults and a cell) in the given shape.
pub fn generate_shaped(catalog: &Catalog, services: usize, shape: Shape) -> Result<Design, CommandError> {
    let mut design = Design::new(format!("Generated design with {services} services"));
    let usable = |r: &&crate::catalog::RegionInfo| {
        r.partition == crate::catalog::Partition::Aws && r.az_count() >= 3 && !r.opt_in
    };
    let regions: Vec<_> = match shape {
        Shape::Spread { max_regions } => {
            catalog.regions().iter().filter(usable).take(max_regions.max(1)).collect()
        }
        Shape::TwoRegions => catalog
            .regions()
            .iter()
            .filter(|r| TWO_REGIONS.contains(&r.code.as_str()))
            .filter(usable)
            .collect(),
    };
    let vaults = shape == Shape::TwoRegions;
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
    let vault_count = if vaults { regions.len() } else { 0 };
    let per_region = services.saturating_sub(1 + vault_count).div_ceil(regions.len().max(1));
    let mut links = Vec::new();
    let mut made = 1 + vault_count;
    for (ri, r) in regions.iter().enumerate() {
        let region = RegionId::new(r.code.clone());
        let vault = ServiceId::new(format!("vault-{}", r.code));
        if vaults {
            let kind = ServiceKind::AwsBackup;
            cmds.push(Command::AddService(service(&vault, kind, Placement::Region(region.clone()), 1)));
        }
        let mut i = 0;
        while i < per_region && made < services {
            let (kind, mut count) = REGIONAL[i % REGIONAL.len()];
            // Real designs have warnings: here every cache runs on one node.
            if vaults && kind == ServiceKind::ElastiCache {
                count = 1;
            }
            let cell = i / REGIONAL.len();
            let id = ServiceId::new(format!("{kind}-{}-{cell}", r.code));
            cmds.push(Command::AddService(service(&id, kind, Placement::Region(region.clone()), count)));
            made += 1;
            let prev = ri.checked_sub(1).map(|p| regions[p].code.as_str());
            links.extend(links_of(catalog, kind, &r.code, cell, prev, &router, &id));
            if vaults && kind == ServiceKind::DynamoDb {
                let backup = default_link(catalog, catalog.kind(kind), catalog.kind(ServiceKind::AwsBackup));
                links.push(link(format!("backup-{code}-{cell}", code = r.code), &id, &vault, backup));
            }
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
        location: if vaults { GeoPoint { lat: 50.1, lon: 8.7 } } else { GeoPoint { lat: 45.0, lon: -30.0 } },
        country: vaults.then(|| "DE".to_owned()),
        continent: if vaults { Continent::Europe } else { Continent::NorthAmerica },
        requests_per_sec: 1000.0,
        write_fraction: 0.1,
        request_kb: 2.0,
        response_kb: 20.0,
        data_classes: if vaults { vec!["personal:EU".to_owned()] } else { Vec::new() },
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
