//! Deleting, copying and pasting a selection, each as one batch command (one undo step).

use std::collections::{BTreeMap, BTreeSet};

use crate::command::Command;
use crate::design::{Design, EntityRef, Link, Placement, Population, Service};
use crate::ids::{LinkId, PopulationId, RegionId, ServiceId};

use super::unique_id;

/// Services (with the links among them) and populations, copied for pasting.
#[derive(Debug, Clone, Default, PartialEq)]
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

/// The command deleting the selection: links first, then services and populations, then regions
/// (so nothing is removed while something still refers to it); `None` when nothing is selected.
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
            EntityRef::Annotation(id) if design.annotation(id).is_some() => {
                cmds.push(Command::RemoveAnnotation(id.clone()));
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

/// The command pasting `clip` with fresh ids (`api` becomes `api-copy`, then `api-copy-2`; links
/// follow their renamed ends), into region `target` if given (regional services only; their AZ
/// choice is cleared) else where they were, and the entities it creates (to select them).
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
