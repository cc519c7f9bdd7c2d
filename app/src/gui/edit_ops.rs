//! Editing operations on the selection (delete, duplicate, copy and paste) and new entities,
//! each built as one batch command so that it is one undo step.

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::design::{Link, Placement, Population, Region, Service};
use meridian_model::geo::{Continent, GeoPoint};
use meridian_model::{Catalog, Command, Design, EntityRef, LinkId, PopulationId, RegionId, ServiceId};

use super::canvas::unique_id;

/// Services and the links among them, copied for pasting.
#[derive(Debug, Clone, Default)]
pub struct Clipboard {
    services: Vec<Service>,
    links: Vec<Link>,
    populations: Vec<Population>,
}

impl Clipboard {
    /// Whether there is nothing to paste.
    pub fn is_empty(&self) -> bool {
        self.services.is_empty() && self.populations.is_empty()
    }
}

/// The command deleting the selection (links, then services, populations and regions).
pub fn delete(design: &Design, selection: &BTreeSet<EntityRef>) -> Option<Command> {
    let mut cmds = Vec::new();
    for e in selection {
        if let EntityRef::Link(id) = e
            && design.link(id).is_some()
        {
            cmds.push(Command::RemoveLink(id.clone()));
        }
    }
    for e in selection {
        match e {
            EntityRef::Service(id) if design.service(id).is_some() => {
                cmds.push(Command::RemoveService(id.clone()));
            }
            EntityRef::Population(id) if design.population(id).is_some() => {
                cmds.push(Command::RemovePopulation(id.clone()));
            }
            _ => {}
        }
    }
    for e in selection {
        if let EntityRef::Region(id) = e
            && design.region(id).is_some()
        {
            cmds.push(Command::RemoveRegion(id.clone()));
        }
    }
    (!cmds.is_empty()).then_some(Command::Batch(cmds))
}

/// Copies the selected services (with the links among them) and populations.
pub fn copy(design: &Design, selection: &BTreeSet<EntityRef>) -> Clipboard {
    let services: Vec<Service> = selection
        .iter()
        .filter_map(|e| if let EntityRef::Service(id) = e { design.service(id).cloned() } else { None })
        .collect();
    let ids: BTreeSet<&ServiceId> = services.iter().map(|s| &s.id).collect();
    let links = design.links().filter(|l| ids.contains(&l.from) && ids.contains(&l.to)).cloned().collect();
    let populations = selection
        .iter()
        .filter_map(|e| if let EntityRef::Population(id) = e { design.population(id).cloned() } else { None })
        .collect();
    Clipboard { services, links, populations }
}

/// The command pasting `clip` with fresh ids, into `target` region if given (else where they were),
/// and the entities it creates (to select them).
pub fn paste(
    design: &Design,
    clip: &Clipboard,
    target: Option<&RegionId>,
) -> Option<(Command, BTreeSet<EntityRef>)> {
    if clip.is_empty() {
        return None;
    }
    let mut cmds = Vec::new();
    let mut created = BTreeSet::new();
    let mut renamed: BTreeMap<ServiceId, ServiceId> = BTreeMap::new();
    let mut taken: BTreeSet<String> = design.services().map(|s| s.id.to_string()).collect();
    for s in &clip.services {
        let id = unique_id(&format!("{}-copy", s.id), |c| taken.contains(c));
        taken.insert(id.clone());
        let mut n = s.clone();
        n.id = ServiceId::new(id);
        n.name = format!("{} (copy)", s.name);
        if let (Some(r), Placement::Region(_)) = (target, &s.placement) {
            n.placement = Placement::Region(r.clone());
            n.config.azs.clear();
        }
        renamed.insert(s.id.clone(), n.id.clone());
        created.insert(EntityRef::Service(n.id.clone()));
        cmds.push(Command::AddService(n));
    }
    let mut taken_links: BTreeSet<String> = design.links().map(|l| l.id.to_string()).collect();
    for l in &clip.links {
        let (Some(from), Some(to)) = (renamed.get(&l.from), renamed.get(&l.to)) else { continue };
        let id = unique_id(&format!("{}-copy", l.id), |c| taken_links.contains(c));
        taken_links.insert(id.clone());
        cmds.push(Command::AddLink(Link {
            id: LinkId::new(id),
            from: from.clone(),
            to: to.clone(),
            kind: l.kind.clone(),
        }));
    }
    let mut taken_pops: BTreeSet<String> = design.populations().map(|p| p.id.to_string()).collect();
    for p in &clip.populations {
        let id = unique_id(&format!("{}-copy", p.id), |c| taken_pops.contains(c));
        taken_pops.insert(id.clone());
        let mut n = p.clone();
        n.id = PopulationId::new(id);
        n.name = format!("{} (copy)", p.name);
        created.insert(EntityRef::Population(n.id.clone()));
        cmds.push(Command::AddPopulation(n));
    }
    Some((Command::Batch(cmds), created))
}

/// The command adding region `code` with up to three of its AZs.
pub fn add_region(catalog: &Catalog, code: &str) -> Option<Command> {
    let info = catalog.region(code)?;
    Some(Command::AddRegion(Region {
        id: RegionId::new(code),
        azs: info.az_ids.iter().take(3).cloned().collect(),
        failure: None,
    }))
}

/// The command adding a user population at `location`, entering at the design's first global router.
pub fn add_population(design: &Design, catalog: &Catalog, location: GeoPoint) -> (Command, PopulationId) {
    let id = unique_id("users", |c| design.population(&PopulationId::new(c)).is_some());
    let entry = design
        .global_services()
        .find(|s| catalog.kind(&s.kind).is_some_and(|k| k.router.is_some()))
        .or_else(|| design.global_services().next())
        .map(|s| s.id.clone());
    let continent = continent_of(location);
    let p = Population {
        id: PopulationId::new(id.clone()),
        name: format!("Users ({})", continent.label()),
        location,
        country: None,
        continent,
        requests_per_sec: 100.0,
        write_fraction: 0.1,
        request_kb: 2.0,
        response_kb: 20.0,
        data_classes: Vec::new(),
        entry,
    };
    (Command::AddPopulation(p), PopulationId::new(id))
}

/// A rough continent for a point, so a new population starts with a sensible one.
fn continent_of(p: GeoPoint) -> Continent {
    match (p.lat, p.lon) {
        (lat, _) if lat < -60.0 => Continent::Antarctica,
        (lat, lon) if lon < -30.0 && lat >= 12.0 => Continent::NorthAmerica,
        (_, lon) if lon < -30.0 => Continent::SouthAmerica,
        (lat, lon) if lat >= 35.0 && lon < 45.0 => Continent::Europe,
        (lat, lon) if lat < 35.0 && lon < 52.0 && lat > -36.0 && lon > -20.0 => Continent::Africa,
        (lat, lon) if lat < -10.0 && lon > 110.0 => Continent::Oceania,
        _ => Continent::Asia,
    }
}
