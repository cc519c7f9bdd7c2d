//! The design: regions, services, links and user populations, held in a petgraph [`StableGraph`].
//!
//! Services are the graph's nodes and links its edges. Graph indices are private: every caller
//! names entities by their domain ids. Reads are public; changes go through [`crate::Command`]s
//! applied by [`crate::apply`], which keeps the invariants listed in `ARCHITECTURE.md`.

mod annotation;
pub(crate) mod entities;
mod id_index;
pub mod link;
mod recovery;
pub mod resilience;

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableGraph};
use petgraph::visit::EdgeRef;

pub use annotation::{Annotation, AnnotationKind, GroupKind};
pub use entities::{
    Access, CardSpot, EntityRef, GridCell, Placement, Population, Region, RegionSize, Service, ServiceConfig,
    Waiver, Waypoint, Workload,
};
pub use link::{
    Backup, Dependency, FailoverRole, HealthCheck, Link, LinkKind, LinkKindTag, Replication, ReplicationMode,
    Routing, RoutingPolicy, RoutingPolicyKind,
};
pub use recovery::{Concurrency, Initiation, Recovery, Scaling, Standby};
pub use resilience::{Deployment, ReadConsistency, Resilience};

use crate::ids::{AnnotationId, LinkId, PopulationId, RegionId, ServiceId};
use crate::targets::Targets;
use id_index::IdIndex;

/// A multi-region architecture.
#[derive(Debug, Clone, Default)]
pub struct Design {
    name: String,
    description: String,
    workload: Workload,
    recovery: Recovery,
    resilience: Resilience,
    targets: Targets,
    regions: BTreeMap<RegionId, Region>,
    graph: StableGraph<Service, Link>,
    service_index: IdIndex<ServiceId, NodeIndex>,
    link_index: IdIndex<LinkId, EdgeIndex>,
    /// Services by region, in id order, so that a region's services are found without a scan.
    region_index: BTreeMap<RegionId, IdIndex<ServiceId, NodeIndex>>,
    /// The link of each kind between two services (the invariants allow one), so that checking a
    /// new link does not scan every link of a router with thousands of routes.
    join_index: BTreeMap<(NodeIndex, NodeIndex, LinkKindTag), EdgeIndex>,
    populations: BTreeMap<PopulationId, Population>,
    layout: BTreeMap<RegionId, GridCell>,
    cards: BTreeMap<ServiceId, CardSpot>,
    region_sizes: BTreeMap<RegionId, RegionSize>,
    waypoints: BTreeMap<LinkId, Vec<Waypoint>>,
    annotations: BTreeMap<AnnotationId, Annotation>,
    waivers: BTreeMap<(String, EntityRef), Waiver>,
}

impl PartialEq for Design {
    /// Two designs are equal when their content is, whatever the history that built them.
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.description == other.description
            && self.workload == other.workload
            && self.recovery == other.recovery
            && self.resilience == other.resilience
            && self.targets == other.targets
            && self.regions == other.regions
            && self.populations == other.populations
            && self.waivers == other.waivers
            && self.services().eq(other.services())
            && self.links().eq(other.links())
            && self.layout == other.layout
            && self.cards == other.cards
            && self.region_sizes == other.region_sizes
            && self.waypoints == other.waypoints
            && self.annotations == other.annotations
    }
}

impl Design {
    /// An empty design with the given name.
    pub fn new(name: impl Into<String>) -> Self {
        Design { name: name.into(), ..Design::default() }
    }

    /// The design's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A free-text description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The workload assumptions.
    pub fn workload(&self) -> &Workload {
        &self.workload
    }

    /// The design-wide recovery settings (alarms, operators, scaling defaults).
    pub fn recovery(&self) -> &Recovery {
        &self.recovery
    }

    /// Repair capacity, common-cause failures and deployment practice.
    pub fn resilience(&self) -> &Resilience {
        &self.resilience
    }

    /// The resilience targets the design promises (empty when none are stated).
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// Regions in id order.
    pub fn regions(&self) -> impl ExactSizeIterator<Item = &Region> + '_ {
        self.regions.values()
    }

    /// The region with this id.
    pub fn region(&self, id: &RegionId) -> Option<&Region> {
        self.regions.get(id)
    }

    /// Services in id order.
    pub fn services(&self) -> impl ExactSizeIterator<Item = &Service> + '_ {
        self.service_index.values().map(|&ix| &self.graph[ix])
    }

    /// The service with this id.
    pub fn service(&self, id: &ServiceId) -> Option<&Service> {
        self.service_index.get(id).map(|&ix| &self.graph[ix])
    }

    /// Services placed in `region`, in id order.
    pub fn services_in<'a>(&'a self, region: &'a RegionId) -> impl Iterator<Item = &'a Service> + 'a {
        self.region_index.get(region).into_iter().flat_map(|m| m.values().map(|&ix| &self.graph[ix]))
    }

    /// How many services are placed in `region`.
    pub fn service_count_in(&self, region: &RegionId) -> usize {
        self.region_index.get(region).map_or(0, IdIndex::len)
    }

    /// Global services, in id order.
    pub fn global_services(&self) -> impl Iterator<Item = &Service> + '_ {
        self.services().filter(|s| s.placement == Placement::Global)
    }

    /// Links in id order.
    pub fn links(&self) -> impl ExactSizeIterator<Item = &Link> + '_ {
        self.link_index.values().map(|&ix| &self.graph[ix])
    }

    /// The link with this id.
    pub fn link(&self, id: &LinkId) -> Option<&Link> {
        self.link_index.get(id).map(|&ix| &self.graph[ix])
    }

    /// The link of kind `tag` from `from` to `to`, if there is one (there is at most one).
    pub fn link_joining(&self, from: &ServiceId, to: &ServiceId, tag: LinkKindTag) -> Option<&Link> {
        let (&a, &b) = (self.service_index.get(from)?, self.service_index.get(to)?);
        self.join_index.get(&(a, b, tag)).map(|&e| &self.graph[e])
    }

    /// Links leaving `service`, in no particular order.
    pub fn links_from(&self, service: &ServiceId) -> impl Iterator<Item = &Link> + '_ {
        self.edges_at(service, Direction::Outgoing)
    }

    /// Links arriving at `service`, in no particular order.
    pub fn links_to(&self, service: &ServiceId) -> impl Iterator<Item = &Link> + '_ {
        self.edges_at(service, Direction::Incoming)
    }

    fn edges_at(&self, service: &ServiceId, dir: Direction) -> impl Iterator<Item = &Link> + '_ {
        self.service_index
            .get(service)
            .into_iter()
            .flat_map(move |&ix| self.graph.edges_directed(ix, dir).map(|e| e.weight()))
    }

    /// User populations in id order.
    pub fn populations(&self) -> impl ExactSizeIterator<Item = &Population> + '_ {
        self.populations.values()
    }

    /// The population with this id.
    pub fn population(&self, id: &PopulationId) -> Option<&Population> {
        self.populations.get(id)
    }

    /// Where regions are arranged in the schematic view; regions not listed are placed automatically.
    pub fn layout(&self) -> &BTreeMap<RegionId, GridCell> {
        &self.layout
    }

    /// Service cards placed by hand inside their container, by service id.
    pub fn card_spots(&self) -> &BTreeMap<ServiceId, CardSpot> {
        &self.cards
    }

    /// Region containers resized by hand, by region id; the others take the size their cards need.
    pub fn region_sizes(&self) -> &BTreeMap<RegionId, RegionSize> {
        &self.region_sizes
    }

    /// The waypoints of links routed by hand, by link id (links not listed are routed automatically).
    pub fn waypoints(&self) -> &BTreeMap<LinkId, Vec<Waypoint>> {
        &self.waypoints
    }

    /// Notes and group boxes on the schematic canvas, in id order.
    pub fn annotations(&self) -> impl ExactSizeIterator<Item = &Annotation> + '_ {
        self.annotations.values()
    }

    /// The annotation with this id.
    pub fn annotation(&self, id: &AnnotationId) -> Option<&Annotation> {
        self.annotations.get(id)
    }

    /// Waivers of compliance rules, ordered by rule and then entity.
    pub fn waivers(&self) -> impl ExactSizeIterator<Item = &Waiver> + '_ {
        self.waivers.values()
    }

    /// The waiver of `rule` on `entity`, if there is one.
    pub fn waiver(&self, rule: &str, entity: &EntityRef) -> Option<&Waiver> {
        self.waivers.get(&(rule.to_owned(), entity.clone()))
    }

    /// The region a service is in (`None` for global services and unknown ids).
    pub fn region_of(&self, service: &ServiceId) -> Option<&RegionId> {
        self.service(service).and_then(|s| s.placement.region())
    }

    /// Whether an entity with this reference exists.
    pub fn contains(&self, entity: &EntityRef) -> bool {
        match entity {
            EntityRef::Design => true,
            EntityRef::Region(id) => self.regions.contains_key(id),
            EntityRef::Service(id) => self.service_index.contains_key(id),
            EntityRef::Link(id) => self.link_index.contains_key(id),
            EntityRef::Population(id) => self.populations.contains_key(id),
            EntityRef::Annotation(id) => self.annotations.contains_key(id),
        }
    }

    // Mutations, for `command::apply` only. They keep the indices consistent but check nothing else.

    pub(crate) fn set_name(&mut self, name: String) -> String {
        std::mem::replace(&mut self.name, name)
    }

    pub(crate) fn set_description(&mut self, description: String) -> String {
        std::mem::replace(&mut self.description, description)
    }

    pub(crate) fn set_workload(&mut self, workload: Workload) -> Workload {
        std::mem::replace(&mut self.workload, workload)
    }

    pub(crate) fn set_recovery(&mut self, recovery: Recovery) -> Recovery {
        std::mem::replace(&mut self.recovery, recovery)
    }

    pub(crate) fn set_resilience(&mut self, resilience: Resilience) -> Resilience {
        std::mem::replace(&mut self.resilience, resilience)
    }

    pub(crate) fn set_targets(&mut self, targets: Targets) -> Targets {
        std::mem::replace(&mut self.targets, targets)
    }

    pub(crate) fn put_region(&mut self, region: Region) -> Option<Region> {
        self.regions.insert(region.id.clone(), region)
    }

    pub(crate) fn take_region(&mut self, id: &RegionId) -> Option<Region> {
        self.regions.remove(id)
    }

    /// Makes room for `services` more services and `links` more links, so that loading a large
    /// design does not copy its graph each time a vector doubles.
    pub(crate) fn reserve(&mut self, services: usize, links: usize) {
        self.graph.reserve_exact_nodes(services);
        self.graph.reserve_exact_edges(links);
        self.service_index.reserve(services);
        self.link_index.reserve(links);
    }

    pub(crate) fn insert_service(&mut self, service: Service) {
        let id = service.id.clone();
        let region = service.placement.region().cloned();
        let ix = self.graph.add_node(service);
        if let Some(r) = region {
            self.region_index.entry(r).or_default().insert(id.clone(), ix);
        }
        self.service_index.insert(id, ix);
    }

    pub(crate) fn replace_service(&mut self, service: Service) -> Option<Service> {
        let ix = *self.service_index.get(&service.id)?;
        let id = service.id.clone();
        let region = service.placement.region().cloned();
        let old = std::mem::replace(&mut self.graph[ix], service);
        self.unindex_region(&old);
        if let Some(r) = region {
            self.region_index.entry(r).or_default().insert(id, ix);
        }
        Some(old)
    }

    fn unindex_region(&mut self, service: &Service) {
        if let Some(r) = service.placement.region()
            && let Some(m) = self.region_index.get_mut(r)
        {
            m.remove(&service.id);
            if m.len() == 0 {
                self.region_index.remove(r);
            }
        }
    }

    /// Forgets edge `e` (about to be removed) in the index of joins.
    fn unindex_join(&mut self, e: EdgeIndex) {
        if let (Some((a, b)), Some(link)) = (self.graph.edge_endpoints(e), self.graph.edge_weight(e)) {
            let key = (a, b, link.kind.tag());
            if self.join_index.get(&key) == Some(&e) {
                self.join_index.remove(&key);
            }
        }
    }

    /// Removes a service and every link touching it; returns both.
    pub(crate) fn take_service(&mut self, id: &ServiceId) -> Option<(Service, Vec<Link>)> {
        let ix = self.service_index.remove(id)?;
        let edges: Vec<EdgeIndex> = self
            .graph
            .edges_directed(ix, Direction::Outgoing)
            .chain(self.graph.edges_directed(ix, Direction::Incoming))
            .map(|e| e.id())
            .collect();
        let mut links = Vec::with_capacity(edges.len());
        for e in edges {
            self.unindex_join(e);
            if let Some(link) = self.graph.remove_edge(e) {
                self.link_index.remove(&link.id);
                links.push(link);
            }
        }
        links.sort_by(|a, b| a.id.cmp(&b.id));
        links.dedup_by(|a, b| a.id == b.id);
        let service = self.graph.remove_node(ix)?;
        self.unindex_region(&service);
        Some((service, links))
    }

    /// Adds a link whose endpoints exist; returns the id of a missing endpoint otherwise.
    pub(crate) fn insert_link(&mut self, link: Link) -> Result<(), ServiceId> {
        let (Some(&a), Some(&b)) = (self.service_index.get(&link.from), self.service_index.get(&link.to))
        else {
            return Err(if self.service_index.contains_key(&link.from) { link.to } else { link.from });
        };
        let id = link.id.clone();
        let tag = link.kind.tag();
        let ix = self.graph.add_edge(a, b, link);
        self.link_index.insert(id, ix);
        self.join_index.insert((a, b, tag), ix);
        Ok(())
    }

    pub(crate) fn take_link(&mut self, id: &LinkId) -> Option<Link> {
        let ix = self.link_index.remove(id)?;
        self.unindex_join(ix);
        self.graph.remove_edge(ix)
    }

    pub(crate) fn put_population(&mut self, population: Population) -> Option<Population> {
        self.populations.insert(population.id.clone(), population)
    }

    pub(crate) fn take_population(&mut self, id: &PopulationId) -> Option<Population> {
        self.populations.remove(id)
    }

    pub(crate) fn set_cell(&mut self, region: &RegionId, cell: Option<GridCell>) -> Option<GridCell> {
        match cell {
            Some(c) => self.layout.insert(region.clone(), c),
            None => self.layout.remove(region),
        }
    }

    pub(crate) fn set_region_size(
        &mut self,
        region: &RegionId,
        size: Option<RegionSize>,
    ) -> Option<RegionSize> {
        match size {
            Some(s) => self.region_sizes.insert(region.clone(), s),
            None => self.region_sizes.remove(region),
        }
    }

    /// Puts an annotation in (replacing the one with its id) and returns the one replaced.
    pub(crate) fn put_annotation(&mut self, a: Annotation) -> Option<Annotation> {
        self.annotations.insert(a.id.clone(), a)
    }

    pub(crate) fn take_annotation(&mut self, id: &AnnotationId) -> Option<Annotation> {
        self.annotations.remove(id)
    }

    /// Replaces a link's waypoints (none: routed automatically) and returns the old ones.
    pub(crate) fn set_waypoints(&mut self, link: &LinkId, points: Vec<Waypoint>) -> Vec<Waypoint> {
        if points.is_empty() {
            self.waypoints.remove(link).unwrap_or_default()
        } else {
            self.waypoints.insert(link.clone(), points).unwrap_or_default()
        }
    }

    pub(crate) fn set_card_spot(&mut self, service: &ServiceId, spot: Option<CardSpot>) -> Option<CardSpot> {
        match spot {
            Some(s) => self.cards.insert(service.clone(), s),
            None => self.cards.remove(service),
        }
    }

    pub(crate) fn put_waiver(&mut self, waiver: Waiver) -> Option<Waiver> {
        self.waivers.insert(waiver.key(), waiver)
    }

    pub(crate) fn take_waiver(&mut self, rule: &str, entity: &EntityRef) -> Option<Waiver> {
        self.waivers.remove(&(rule.to_owned(), entity.clone()))
    }

    /// Removes every waiver on `entity`; returns them in key order.
    pub(crate) fn take_waivers_on(&mut self, entity: &EntityRef) -> Vec<Waiver> {
        let keys: Vec<(String, EntityRef)> =
            self.waivers.keys().filter(|(_, e)| e == entity).cloned().collect();
        keys.iter().filter_map(|k| self.waivers.remove(k)).collect()
    }

    pub(crate) fn populations_mut(&mut self) -> impl Iterator<Item = &mut Population> + '_ {
        self.populations.values_mut()
    }
}
