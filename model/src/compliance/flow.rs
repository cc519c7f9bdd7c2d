//! Where data can go: a path search over the design graph.
//!
//! Data enters at a population's entry service (carrying the population's classes) or at a
//! service that declares classes, and flows:
//! - along routing links, router to endpoint (the request), and back from an origin into a CDN
//!   router (the CDN caches what it serves);
//! - along dependency links both ways (the call carries data to the callee, the response back);
//! - along replication links from source to replica, and back too for multi-writer stores;
//! - along backup links from the datastore to the vault.
//!
//! A breadth-first search keeps, for every service reached, the link it was first reached by, so
//! the whole (shortest) path from the population can be rebuilt. Searches are per data class and
//! home, so one search serves every source with the same class and home.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;

use serde::Serialize;

use super::jurisdiction::Jurisdictions;
use crate::catalog::{Catalog, RouterMechanism, WriteModel};
use crate::design::{Design, EntityRef, LinkKind, LinkKindTag, RoutingPolicy};
use crate::ids::{LinkId, PopulationId, RegionId, ServiceId};

/// One step of a data path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PathStep {
    /// The population whose data it is.
    Population(PopulationId),
    /// A service the data reaches, with its region (`None` for global services).
    Service {
        /// The service.
        id: ServiceId,
        /// Its region.
        region: Option<RegionId>,
    },
    /// A link the data crosses.
    Link {
        /// The link.
        id: LinkId,
        /// Its kind.
        kind: LinkKindTag,
        /// Whether the data crosses it against its direction (a response, a CDN fill, a
        /// multi-writer replica writing back).
        reverse: bool,
    },
}

impl PathStep {
    /// The entity of the step.
    pub fn entity(&self) -> EntityRef {
        match self {
            PathStep::Population(p) => EntityRef::Population(p.clone()),
            PathStep::Service { id, .. } => EntityRef::Service(id.clone()),
            PathStep::Link { id, .. } => EntityRef::Link(id.clone()),
        }
    }
}

/// A whole path from where data enters to where it arrives.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct DataPath {
    /// The steps, starting at a population or a service that declares the data.
    pub steps: Vec<PathStep>,
}

impl DataPath {
    /// The last link of the path, if any.
    pub fn last_link(&self) -> Option<(&LinkId, LinkKindTag)> {
        self.steps.iter().rev().find_map(|s| match s {
            PathStep::Link { id, kind, .. } => Some((id, *kind)),
            _ => None,
        })
    }

    /// The path as text: `eu-users -> dns -[dns-euw1 routing]-> alb-euw1 (eu-west-1) -> ...`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for s in &self.steps {
            match s {
                PathStep::Population(p) => {
                    let _ = write!(out, "population {p}");
                }
                PathStep::Service { id, region } => {
                    out.push_str(id.as_str());
                    out.push_str(
                        &region.as_ref().map_or_else(|| " (global)".to_owned(), |r| format!(" ({r})")),
                    );
                }
                PathStep::Link { id, kind, reverse } => {
                    let back = if *reverse { ", reverse" } else { "" };
                    let _ = write!(out, " -[{} {id}{back}]-> ", kind.label());
                }
            }
            if matches!(s, PathStep::Population(_)) {
                out.push_str(" -[entry]-> ");
            }
        }
        out
    }
}

/// Where data of a class comes from and the country and jurisdiction it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Home {
    /// The home jurisdiction or group (`EU`, `US`, `JP`), when known.
    pub jurisdiction: Option<String>,
    /// The home country (ISO 3166-1 alpha-2), when known.
    pub country: Option<String>,
}

impl Home {
    /// The home of `class` written by a population in `country` (if known).
    pub fn of(class: &str, country: Option<&str>, j: &Jurisdictions) -> Home {
        if let Some(c) = country {
            return Home { jurisdiction: Some(j.jurisdiction_of_country(c)), country: Some(c.to_owned()) };
        }
        let Some((_, suffix)) = class.rsplit_once(':') else {
            return Home { jurisdiction: None, country: None };
        };
        let base = suffix.split('-').next().unwrap_or(suffix);
        if j.group(base).is_some() || j.is_multi_country(base) {
            return Home { jurisdiction: Some(base.to_owned()), country: None };
        }
        if let Some(single) = j.jurisdictions.iter().find(|x| x.code == base && x.countries.len() == 1) {
            return Home { jurisdiction: Some(base.to_owned()), country: single.countries.first().cloned() };
        }
        if base.len() == 2 && base.bytes().all(|b| b.is_ascii_uppercase()) {
            return Home {
                jurisdiction: Some(j.jurisdiction_of_country(base)),
                country: Some(base.to_owned()),
            };
        }
        Home { jurisdiction: None, country: None }
    }
}

/// Where one data class, from one home, can reach.
#[derive(Debug, Clone)]
pub struct Flow {
    /// The data-class label.
    pub class: String,
    /// Its home.
    pub home: Home,
    /// For every service reached, how it was first reached.
    pred: BTreeMap<ServiceId, Pred>,
    regions: BTreeMap<ServiceId, Option<RegionId>>,
}

#[derive(Debug, Clone)]
enum Pred {
    Population(PopulationId),
    Declared,
    Via { from: ServiceId, link: LinkId, kind: LinkKindTag, reverse: bool },
}

impl Flow {
    /// The services reached, in id order.
    pub fn services(&self) -> impl Iterator<Item = &ServiceId> + '_ {
        self.pred.keys()
    }

    /// Whether `service` is reached.
    pub fn reaches(&self, service: &ServiceId) -> bool {
        self.pred.contains_key(service)
    }

    /// The population the data came from on the path to `service` (`None` if a service declared it).
    pub fn origin_population(&self, service: &ServiceId) -> Option<&PopulationId> {
        let mut at = service;
        loop {
            match self.pred.get(at)? {
                Pred::Population(p) => return Some(p),
                Pred::Declared => return None,
                Pred::Via { from, .. } => at = from,
            }
        }
    }

    /// The whole path from where the data entered to `service`.
    pub fn path_to(&self, service: &ServiceId) -> Option<DataPath> {
        let mut steps = Vec::new();
        let mut at = service.clone();
        // A path is at most as long as the number of services reached.
        for _ in 0..=self.pred.len() {
            steps
                .push(PathStep::Service { id: at.clone(), region: self.regions.get(&at).cloned().flatten() });
            match self.pred.get(&at)? {
                Pred::Population(p) => {
                    steps.push(PathStep::Population(p.clone()));
                    break;
                }
                Pred::Declared => break,
                Pred::Via { from, link, kind, reverse } => {
                    steps.push(PathStep::Link { id: link.clone(), kind: *kind, reverse: *reverse });
                    at = from.clone();
                }
            }
        }
        steps.reverse();
        Some(DataPath { steps })
    }
}

/// Everywhere each data class of a design can reach.
#[derive(Debug, Clone)]
pub struct Reach {
    /// One flow per (class, home), ordered by class and home.
    pub flows: Vec<Flow>,
}

/// A directed hop data can take.
#[derive(Debug, Clone)]
struct Hop {
    to: ServiceId,
    link: LinkId,
    kind: LinkKindTag,
    reverse: bool,
}

/// The hops data can take from each service, ordered by link id for deterministic paths.
fn hops(design: &Design, catalog: &Catalog, routing_only: bool) -> BTreeMap<ServiceId, Vec<Hop>> {
    let mut out: BTreeMap<ServiceId, Vec<Hop>> = BTreeMap::new();
    let mut add = |from: &ServiceId, to: &ServiceId, link: &LinkId, kind: LinkKindTag, reverse: bool| {
        out.entry(from.clone()).or_default().push(Hop { to: to.clone(), link: link.clone(), kind, reverse });
    };
    let kind_of = |id: &ServiceId| design.service(id).map(|s| catalog.kind(s.kind));
    for l in design.links() {
        let tag = l.kind.tag();
        match &l.kind {
            LinkKind::Routing(_) => {
                add(&l.from, &l.to, &l.id, tag, false);
                let cdn = kind_of(&l.from)
                    .and_then(|k| k.router.as_ref())
                    .is_some_and(|r| r.mechanism == RouterMechanism::Cdn);
                if cdn && !routing_only {
                    add(&l.to, &l.from, &l.id, tag, true);
                }
            }
            _ if routing_only => {}
            LinkKind::Dependency(_) => {
                add(&l.from, &l.to, &l.id, tag, false);
                add(&l.to, &l.from, &l.id, tag, true);
            }
            LinkKind::Replication(_) => {
                add(&l.from, &l.to, &l.id, tag, false);
                let multi = kind_of(&l.from)
                    .and_then(|k| k.datastore.as_ref())
                    .is_some_and(|d| d.writes == WriteModel::MultiWriter);
                if multi {
                    add(&l.to, &l.from, &l.id, tag, true);
                }
            }
            LinkKind::Backup(_) => add(&l.from, &l.to, &l.id, tag, false),
        }
    }
    for v in out.values_mut() {
        v.sort_by(|a, b| a.link.cmp(&b.link).then(a.reverse.cmp(&b.reverse)));
    }
    out
}

/// Grows `pred` breadth-first from `seeds` over `hops`, recording the order services are reached.
fn grow(
    pred: &mut BTreeMap<ServiceId, Pred>,
    order: &mut Vec<ServiceId>,
    seeds: Vec<ServiceId>,
    hops: &BTreeMap<ServiceId, Vec<Hop>>,
) {
    let mut queue: VecDeque<ServiceId> = seeds.into();
    while let Some(at) = queue.pop_front() {
        for h in hops.get(&at).map(Vec::as_slice).unwrap_or_default() {
            if !pred.contains_key(&h.to) {
                let via =
                    Pred::Via { from: at.clone(), link: h.link.clone(), kind: h.kind, reverse: h.reverse };
                pred.insert(h.to.clone(), via);
                order.push(h.to.clone());
                queue.push_back(h.to.clone());
            }
        }
    }
}

/// Searches from the given starts (service, how it was reached), in order of preference, so each
/// path shown is the most telling: first what each population reaches in normal operation, then
/// what it reaches over failover routes too, then what services declaring the class reach.
fn search(
    design: &Design,
    catalog: &Catalog,
    hops: &BTreeMap<ServiceId, Vec<Hop>>,
    starts: Vec<(ServiceId, Pred)>,
    class: String,
    home: Home,
) -> Flow {
    let mut pred: BTreeMap<ServiceId, Pred> = BTreeMap::new();
    let mut order = Vec::new();
    let (from_people, declared): (Vec<_>, Vec<_>) =
        starts.into_iter().partition(|(_, p)| matches!(p, Pred::Population(_)));
    let add = |pred: &mut BTreeMap<ServiceId, Pred>, order: &mut Vec<ServiceId>, s: ServiceId, p: Pred| {
        if design.service(&s).is_some() && !pred.contains_key(&s) {
            pred.insert(s.clone(), p);
            order.push(s.clone());
            Some(s)
        } else {
            None
        }
    };
    for (s, p) in from_people {
        let population = match &p {
            Pred::Population(id) => design.population(id),
            _ => None,
        };
        let Some(seed) = add(&mut pred, &mut order, s, p) else { continue };
        match population {
            Some(pop) => {
                let mut normal = hops.clone();
                for list in normal.values_mut() {
                    normal_endpoints(design, catalog, pop, list);
                }
                grow(&mut pred, &mut order, vec![seed], &normal);
            }
            None => grow(&mut pred, &mut order, vec![seed], hops),
        }
    }
    let reached = order.clone();
    grow(&mut pred, &mut order, reached, hops);
    let seeds: Vec<ServiceId> =
        declared.into_iter().filter_map(|(s, p)| add(&mut pred, &mut order, s, p)).collect();
    grow(&mut pred, &mut order, seeds, hops);
    let regions = pred.keys().map(|s| (s.clone(), design.region_of(s).cloned())).collect();
    Flow { class, home, pred, regions }
}

impl Reach {
    /// Follows every data class of `design` from every population and declaring service.
    pub fn of(design: &Design, catalog: &Catalog, j: &Jurisdictions) -> Reach {
        let hops = hops(design, catalog, false);
        let mut starts: BTreeMap<(String, Home), Vec<(ServiceId, Pred)>> = BTreeMap::new();
        for p in design.populations() {
            let Some(entry) = &p.entry else { continue };
            for c in &p.data_classes {
                let home = Home::of(c, p.country.as_deref(), j);
                starts
                    .entry((c.clone(), home))
                    .or_default()
                    .push((entry.clone(), Pred::Population(p.id.clone())));
            }
        }
        for s in design.services() {
            for c in &s.data_classes {
                let home = Home::of(c, None, j);
                starts.entry((c.clone(), home)).or_default().push((s.id.clone(), Pred::Declared));
            }
        }
        let flows = starts
            .into_iter()
            .map(|((class, home), st)| search(design, catalog, &hops, st, class, home))
            .collect();
        Reach { flows }
    }
}

/// Where the data a population writes can reach, for every class it carries (for map hover).
///
/// Returns, per class label, every service reached with the whole path. A population without an
/// entry or without data classes reaches nothing; one without classes is still followed under the
/// label `(unlabelled)`, so hovering shows where its requests go.
pub fn data_reach(
    design: &Design,
    catalog: &Catalog,
    population: &PopulationId,
) -> BTreeMap<String, BTreeMap<ServiceId, DataPath>> {
    let mut out = BTreeMap::new();
    let Some(p) = design.population(population) else { return out };
    let Some(entry) = &p.entry else { return out };
    let hops = hops(design, catalog, false);
    let unlabelled = ["(unlabelled)".to_owned()];
    let classes: &[String] = if p.data_classes.is_empty() { &unlabelled } else { &p.data_classes };
    for c in classes {
        let home = Home { jurisdiction: None, country: None };
        let flow = search(
            design,
            catalog,
            &hops,
            vec![(entry.clone(), Pred::Population(p.id.clone()))],
            c.clone(),
            home,
        );
        let paths = flow.services().filter_map(|s| Some((s.clone(), flow.path_to(s)?))).collect();
        out.insert(c.clone(), paths);
    }
    out
}

/// The services a population is served by, following routing links from its entry: in normal
/// operation only the endpoints a router would pick for it, or every endpoint with `failover`.
pub fn served_by(
    design: &Design,
    catalog: &Catalog,
    population: &PopulationId,
    failover: bool,
) -> BTreeMap<ServiceId, DataPath> {
    let Some(p) = design.population(population) else { return BTreeMap::new() };
    let Some(entry) = &p.entry else { return BTreeMap::new() };
    let mut hops = hops(design, catalog, true);
    if !failover {
        for list in hops.values_mut() {
            normal_endpoints(design, catalog, p, list);
        }
    }
    let mut pred = BTreeMap::from([(entry.clone(), Pred::Population(p.id.clone()))]);
    grow(&mut pred, &mut Vec::new(), vec![entry.clone()], &hops);
    let regions = pred.keys().map(|s| (s.clone(), design.region_of(s).cloned())).collect();
    let flow = Flow { class: String::new(), home: Home { jurisdiction: None, country: None }, pred, regions };
    flow.services().filter_map(|s| Some((s.clone(), flow.path_to(s)?))).collect()
}

/// Keeps the routing hops a router takes for `p` when everything is healthy.
fn normal_endpoints(design: &Design, catalog: &Catalog, p: &crate::design::Population, list: &mut Vec<Hop>) {
    let distance = |s: &ServiceId| {
        design
            .region_of(s)
            .and_then(|r| catalog.region(r.as_str()))
            .map_or(0.0, |r| p.location.distance_km(&r.location))
    };
    let policy = |h: &Hop| match design.link(&h.link).map(|l| &l.kind) {
        Some(LinkKind::Routing(r)) => Some(r.policy.clone()),
        _ => None,
    };
    let nearest = list
        .iter()
        .filter(|h| matches!(policy(h), Some(RoutingPolicy::Latency)))
        .map(|h| distance(&h.to))
        .fold(f64::INFINITY, f64::min);
    let geo_match = list.iter().any(
        |h| matches!(policy(h), Some(RoutingPolicy::Geolocation { continents }) if continents.contains(&p.continent)),
    );
    list.retain(|h| match policy(h) {
        _ if h.kind != LinkKindTag::Routing || h.reverse => true,
        Some(RoutingPolicy::Latency) => distance(&h.to) <= nearest,
        Some(RoutingPolicy::Geolocation { continents }) => {
            if geo_match {
                continents.contains(&p.continent)
            } else {
                continents.is_empty()
            }
        }
        Some(RoutingPolicy::Failover { role }) => role == crate::design::FailoverRole::Primary,
        Some(RoutingPolicy::Weighted { weight }) => weight > 0,
        None => false,
    });
}
