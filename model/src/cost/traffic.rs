//! Traffic: how the design's user populations load each service, at the average hour.
//!
//! Each population's requests enter at its entry service and follow routing links (split by the
//! router's policy) and dependency links (multiplied by calls per request). The result is, per
//! service, reads and writes per second and the kilobytes they carry, and, per dependency link
//! that crosses regions, the kilobytes each way. This is a steady-state, all-healthy picture:
//! failover traffic is the simulator's business (see `incident.rs`).

use std::collections::BTreeMap;

use crate::catalog::Catalog;
use crate::design::{Design, FailoverRole, LinkKind, Population, RoutingPolicy};
use crate::geo::GeoPoint;
use crate::ids::{LinkId, ServiceId};

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
}

impl Traffic {
    /// The load on `service` (zero when it receives none).
    pub fn load(&self, service: &ServiceId) -> Load {
        self.services.get(service).copied().unwrap_or_default()
    }

    /// Follows every population's requests through the design.
    pub fn of(design: &Design, catalog: Option<&Catalog>, item_kb: f64) -> Traffic {
        let mut t = Traffic::default();
        for p in design.populations() {
            let Some(entry) = &p.entry else { continue };
            let load = Load {
                reads_per_sec: p.requests_per_sec * (1.0 - p.write_fraction),
                writes_per_sec: p.requests_per_sec * p.write_fraction,
                in_kb_per_sec: p.requests_per_sec * p.request_kb,
                out_kb_per_sec: p.requests_per_sec * p.response_kb,
            };
            let walk = Walk { design, catalog, population: p, item_kb };
            walk.deliver(&mut t, entry, load, 0);
        }
        t
    }
}

struct Walk<'a> {
    design: &'a Design,
    catalog: Option<&'a Catalog>,
    population: &'a Population,
    item_kb: f64,
}

impl Walk<'_> {
    fn deliver(&self, t: &mut Traffic, service: &ServiceId, load: Load, depth: usize) {
        if depth > MAX_DEPTH || load.requests_per_sec() <= 0.0 {
            return;
        }
        t.services.entry(service.clone()).or_default().add(&load);
        let mut links: Vec<_> = self.design.links_from(service).collect();
        links.sort_by(|a, b| a.id.cmp(&b.id));
        let routes: Vec<_> = links
            .iter()
            .filter_map(|l| if let LinkKind::Routing(r) = &l.kind { Some((*l, r)) } else { None })
            .collect();
        for (link, share) in self.split(&routes) {
            self.deliver(t, &link.to, load.scaled(share), depth + 1);
        }
        for link in &links {
            let LinkKind::Dependency(dep) = &link.kind else { continue };
            let calls = load.requests_per_sec() * dep.calls_per_request;
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
            let (a, b) = (self.design.region_of(&link.from), self.design.region_of(&link.to));
            if let (Some(a), Some(b)) = (a, b)
                && a != b
            {
                t.cross_region.entry(link.id.clone()).or_default().add(&call);
            }
            self.deliver(t, &link.to, call, depth + 1);
        }
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
                let nearest = routes
                    .iter()
                    .min_by(|a, b| self.distance(&here, &a.0.to).total_cmp(&self.distance(&here, &b.0.to)));
                nearest.map(|(l, _)| vec![(*l, 1.0)]).unwrap_or_default()
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
