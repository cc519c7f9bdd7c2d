//! Traffic: how the design's user populations load each service, at the average hour.
//!
//! Each population's requests enter at its entry service and follow routing links (split by the
//! router's policy) and dependency links (multiplied by calls per request). The result is, per
//! service, reads and writes per second and the kilobytes they carry, and, per dependency link
//! that crosses regions, the kilobytes each way. It also records where each population's
//! responses leave AWS for the internet: at the first service its routing reaches that is not a
//! router (Route 53 answers DNS and Global Accelerator carries traffic to an endpoint, so the
//! responses leave from the endpoint's region), or at a CloudFront distribution, which sends them
//! from the edge geography nearest the users (its fetches from AWS origins are free). A cache
//! passes on only its misses, as the simulator serves them: CloudFront sends read misses and
//! writes to its origin, ElastiCache calls what it depends on only on a miss (the hit ratio is
//! the design's, else the kind's cited default, `latency::hit_ratio`). This is a
//! steady-state, all-healthy picture: failover traffic is the simulator's business (see
//! `incident.rs`).

use std::collections::BTreeMap;

use super::geography::edge_geography;
use crate::catalog::Catalog;
use crate::design::{Design, FailoverRole, LinkKind, Placement, Population, RoutingPolicy};
use crate::geo::GeoPoint;
use crate::ids::{LinkId, ServiceId};
use crate::kind::ServiceKind;

/// How deep requests are followed; guards against dependency cycles.
const MAX_DEPTH: usize = 16;

/// Load on one service.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Load {
    /// Read requests per second.
    pub reads_per_sec: f64,
    /// Write requests per second.
    pub writes_per_sec: f64,
    /// Kilobytes per second arriving with requests.
    pub in_kb_per_sec: f64,
    /// Kilobytes per second leaving with responses.
    pub out_kb_per_sec: f64,
}

impl Load {
    /// Requests per second, reads and writes.
    pub fn requests_per_sec(&self) -> f64 {
        self.reads_per_sec + self.writes_per_sec
    }

    fn add(&mut self, other: &Load) {
        self.reads_per_sec += other.reads_per_sec;
        self.writes_per_sec += other.writes_per_sec;
        self.in_kb_per_sec += other.in_kb_per_sec;
        self.out_kb_per_sec += other.out_kb_per_sec;
    }

    /// The part of this load a cache with `hit` ratio passes on: read misses and every write,
    /// with the transfer of the requests passed on.
    fn misses(&self, hit: f64) -> Load {
        let total = self.requests_per_sec();
        if hit <= 0.0 || total <= 0.0 {
            return *self;
        }
        let reads = self.reads_per_sec * (1.0 - hit);
        let share = (reads + self.writes_per_sec) / total;
        Load {
            reads_per_sec: reads,
            writes_per_sec: self.writes_per_sec,
            in_kb_per_sec: self.in_kb_per_sec * share,
            out_kb_per_sec: self.out_kb_per_sec * share,
        }
    }

    fn scaled(&self, k: f64) -> Load {
        Load {
            reads_per_sec: self.reads_per_sec * k,
            writes_per_sec: self.writes_per_sec * k,
            in_kb_per_sec: self.in_kb_per_sec * k,
            out_kb_per_sec: self.out_kb_per_sec * k,
        }
    }
}

/// The load on every service and cross-region dependency link.
#[derive(Debug, Clone, Default)]
pub struct Traffic {
    /// Load per service, for services that receive any.
    pub services: BTreeMap<ServiceId, Load>,
    /// Load carried by dependency links whose ends are in different regions.
    pub cross_region: BTreeMap<LinkId, Load>,
    /// Kilobytes per second of responses a regional service sends to the internet.
    pub internet_out: BTreeMap<ServiceId, f64>,
    /// Requests per second and kilobytes per second of responses a CloudFront distribution (or
    /// Lambda@Edge) serves, per CloudFront geography.
    pub edge_out: BTreeMap<ServiceId, BTreeMap<&'static str, Load>>,
}

/// What a service does with responses on their way to users.
enum Exit {
    /// Passes them on: the responses leave from whatever it routes to.
    Router,
    /// Serves them from CloudFront's edge.
    Edge,
    /// Sends them to the internet from its region.
    Origin,
}

fn exit_of(kind: ServiceKind) -> Exit {
    match kind {
        ServiceKind::Route53 | ServiceKind::GlobalAccelerator => Exit::Router,
        ServiceKind::CloudFront | ServiceKind::LambdaEdge => Exit::Edge,
        ServiceKind::Alb
        | ServiceKind::ApiGateway
        | ServiceKind::Aurora
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::DynamoDb
        | ServiceKind::Ec2Asg
        | ServiceKind::EcsFargate
        | ServiceKind::Eks
        | ServiceKind::ElastiCache
        | ServiceKind::EventBridge
        | ServiceKind::Iam
        | ServiceKind::Lambda
        | ServiceKind::NatGateway
        | ServiceKind::Nlb
        | ServiceKind::Rds
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => Exit::Origin,
    }
}

impl Traffic {
    /// The load on `service` (zero when it receives none).
    pub fn load(&self, service: &ServiceId) -> Load {
        self.services.get(service).copied().unwrap_or_default()
    }

    /// Follows every population's requests through the design.
    pub fn of(design: &Design, catalog: Option<&Catalog>, item_kb: f64) -> Traffic {
        Traffic::scaled(design, catalog, item_kb, 1.0)
    }

    /// As [`Traffic::of`], with every population's request rate multiplied by `scale`.
    pub fn scaled(design: &Design, catalog: Option<&Catalog>, item_kb: f64, scale: f64) -> Traffic {
        let mut t = Traffic::default();
        for p in design.populations() {
            let Some(entry) = &p.entry else { continue };
            let rps = p.requests_per_sec * scale;
            let load = Load {
                reads_per_sec: rps * (1.0 - p.write_fraction),
                writes_per_sec: rps * p.write_fraction,
                in_kb_per_sec: rps * p.request_kb,
                out_kb_per_sec: rps * p.response_kb,
            };
            let walk = Walk { design, catalog, population: p, item_kb, geography: edge_geography(p) };
            walk.deliver(&mut t, entry, load, 0, true);
        }
        t
    }
}

struct Walk<'a> {
    design: &'a Design,
    catalog: Option<&'a Catalog>,
    population: &'a Population,
    item_kb: f64,
    geography: &'static str,
}

impl Walk<'_> {
    /// Delivers `load` to `service`; `to_users` when the service's responses still have to reach
    /// the population over the internet (it was reached by routing from the entry).
    fn deliver(&self, t: &mut Traffic, service: &ServiceId, load: Load, depth: usize, to_users: bool) {
        if depth > MAX_DEPTH || load.requests_per_sec() <= 0.0 {
            return;
        }
        if let Some(l) = t.services.get_mut(service) {
            l.add(&load);
        } else {
            // Added to zero, as `entry().or_default()` would (no clone of the id per visit).
            let mut l = Load::default();
            l.add(&load);
            t.services.insert(service.clone(), l);
        }
        let mut onward = false;
        // The service, looked up once for its exit, its cache and its region.
        let svc = self.design.service(service);
        if to_users && let Some(s) = svc {
            match (exit_of(s.kind), &s.placement) {
                (Exit::Router, _) => onward = true,
                (Exit::Edge, _) => {
                    t.edge_out
                        .entry(service.clone())
                        .or_default()
                        .entry(self.geography)
                        .or_default()
                        .add(&load);
                }
                (Exit::Origin, Placement::Region(_)) => {
                    *t.internet_out.entry(service.clone()).or_default() += load.out_kb_per_sec;
                }
                (Exit::Origin, Placement::Global) => {}
            }
        }
        let mut links: Vec<_> = self.design.links_from(service).collect();
        links.sort_by(|a, b| a.id.cmp(&b.id));
        let routes: Vec<_> = links
            .iter()
            .filter_map(|l| if let LinkKind::Routing(r) = &l.kind { Some((*l, r)) } else { None })
            .collect();
        // A cache passes on only its misses, as the simulator serves them (`sim::serve`): a
        // caching router (CloudFront) answers read hits at the edge and sends misses and writes
        // to its origin; a cache a service calls (ElastiCache) calls its own dependencies only
        // on a miss.
        let hit = self.hit_ratio(svc);
        let misses = load.misses(hit);
        for (link, share) in self.split(&routes) {
            self.deliver(t, &link.to, misses.scaled(share), depth + 1, onward);
        }
        for link in &links {
            let LinkKind::Dependency(dep) = &link.kind else { continue };
            let calls = load.requests_per_sec() * dep.calls_per_request * (1.0 - hit);
            let write_share = if load.requests_per_sec() > 0.0 {
                load.writes_per_sec / load.requests_per_sec()
            } else {
                0.0
            };
            let call = Load {
                reads_per_sec: calls * (1.0 - write_share),
                writes_per_sec: calls * write_share,
                in_kb_per_sec: calls * self.item_kb,
                out_kb_per_sec: calls * self.item_kb,
            };
            // `link.from` is `service`, a link out of it.
            let (a, b) = (svc.and_then(|s| s.placement.region()), self.design.region_of(&link.to));
            if let (Some(a), Some(b)) = (a, b)
                && a != b
            {
                t.cross_region.entry(link.id.clone()).or_default().add(&call);
            }
            self.deliver(t, &link.to, call, depth + 1, false);
        }
    }

    /// The share of requests `service` answers from its cache (the design's hit ratio, else the
    /// kind's cited default; 0 for a kind that caches nothing or without a catalog).
    fn hit_ratio(&self, service: Option<&crate::design::Service>) -> f64 {
        let Some(catalog) = self.catalog else { return 0.0 };
        service.and_then(|s| crate::latency::hit_ratio(catalog, s)).unwrap_or(0.0)
    }

    /// The endpoints a router sends this population to, with their shares (summing to 1).
    fn split<'l>(
        &self,
        routes: &[(&'l crate::design::Link, &crate::design::Routing)],
    ) -> Vec<(&'l crate::design::Link, f64)> {
        let Some((_, first)) = routes.first() else { return Vec::new() };
        let even = |set: Vec<&'l crate::design::Link>| {
            let n = set.len() as f64;
            set.into_iter().map(|l| (l, 1.0 / n)).collect::<Vec<_>>()
        };
        match &first.policy {
            RoutingPolicy::Latency => {
                let here = self.population.location;
                // Each endpoint's distance worked out once (not once per comparison); the first of
                // equally near endpoints wins, as `min_by` keeps it.
                let nearest = routes
                    .iter()
                    .map(|(l, _)| (*l, self.distance(&here, &l.to)))
                    .min_by(|a, b| a.1.total_cmp(&b.1));
                nearest.map(|(l, _)| vec![(l, 1.0)]).unwrap_or_default()
            }
            RoutingPolicy::Geolocation { .. } => {
                let continent = self.population.continent;
                let matching = |want_default: bool| -> Vec<&'l crate::design::Link> {
                    routes
                        .iter()
                        .filter(|(_, r)| match &r.policy {
                            RoutingPolicy::Geolocation { continents } => {
                                if want_default {
                                    continents.is_empty()
                                } else {
                                    continents.contains(&continent)
                                }
                            }
                            _ => false,
                        })
                        .map(|(l, _)| *l)
                        .collect()
                };
                let mut set = matching(false);
                if set.is_empty() {
                    set = matching(true);
                }
                if set.is_empty() {
                    set = routes.iter().map(|(l, _)| *l).collect();
                }
                even(set)
            }
            RoutingPolicy::Failover { .. } => {
                let primaries: Vec<_> = routes
                    .iter()
                    .filter(|(_, r)| {
                        matches!(r.policy, RoutingPolicy::Failover { role: FailoverRole::Primary })
                    })
                    .map(|(l, _)| *l)
                    .collect();
                if primaries.is_empty() {
                    even(routes.iter().map(|(l, _)| *l).collect())
                } else {
                    even(primaries)
                }
            }
            RoutingPolicy::Weighted { .. } => {
                let weight = |r: &crate::design::Routing| match r.policy {
                    RoutingPolicy::Weighted { weight } => f64::from(weight),
                    _ => 0.0,
                };
                let total: f64 = routes.iter().map(|(_, r)| weight(r)).sum();
                if total <= 0.0 {
                    even(routes.iter().map(|(l, _)| *l).collect())
                } else {
                    routes.iter().map(|(l, r)| (*l, weight(r) / total)).collect()
                }
            }
        }
    }

    /// Distance from the population to the region of `service` (0 for global services).
    fn distance(&self, from: &GeoPoint, service: &ServiceId) -> f64 {
        self.design
            .region_of(service)
            .and_then(|r| self.catalog.and_then(|c| c.region(r.as_str())))
            .map_or(0.0, |info| from.distance_km(&info.location))
    }
}
