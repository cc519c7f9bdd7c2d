//! Commands: the one door through which a design changes.
//!
//! [`apply`] checks a [`Command`] against the design's invariants, applies it, and returns the
//! command that undoes it. The CLI, the file loader's tests, the GUI and the property tests all
//! change designs this way, so undo covers everything.

mod annotation;

use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::check::{self, CommandError};
use crate::design::{
    Annotation, CardSpot, Design, EntityRef, GridCell, Link, Population, Recovery, Region, RegionSize,
    Resilience, Service, Waiver, Waypoint, Workload,
};
use crate::ids::{AnnotationId, LinkId, PopulationId, RegionId, ServiceId};
use crate::targets::{Targets, check_targets};

/// A change to a design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Renames the design.
    SetName(String),
    /// Replaces the description.
    SetDescription(String),
    /// Replaces the workload assumptions.
    SetWorkload(Workload),
    /// Replaces the design-wide recovery settings (alarms, operators, scaling defaults).
    SetRecovery(Recovery),
    /// Replaces the repair capacity, common-cause and deployment settings.
    SetResilience(Resilience),
    /// Replaces the resilience targets (SLOs, RTO and RPO, latency, cost ceiling).
    SetTargets(Targets),
    /// Adds a region.
    AddRegion(Region),
    /// Replaces a region's settings (same id).
    UpdateRegion(Region),
    /// Removes a region with every service in it and their links.
    RemoveRegion(RegionId),
    /// Adds a service.
    AddService(Service),
    /// Replaces a service's settings (same id); moving it to another region is allowed.
    UpdateService(Service),
    /// Removes a service and its links; populations entering through it lose their entry.
    RemoveService(ServiceId),
    /// Adds a link.
    AddLink(Link),
    /// Replaces a link (same id).
    UpdateLink(Link),
    /// Removes a link.
    RemoveLink(LinkId),
    /// Adds a user population.
    AddPopulation(Population),
    /// Replaces a population (same id).
    UpdatePopulation(Population),
    /// Removes a population.
    RemovePopulation(PopulationId),
    /// Places a region in a cell of the schematic grid (`None`: back to automatic placement).
    MoveRegion(RegionId, Option<GridCell>),
    /// Places a service card inside its container (`None`: back to automatic placement).
    PlaceCard(ServiceId, Option<CardSpot>),
    /// Gives a region's container a size (`None`: back to the size its cards need).
    ResizeRegion(RegionId, Option<RegionSize>),
    /// Replaces the waypoints a link's route passes through (empty: routed automatically).
    SetWaypoints(LinkId, Vec<Waypoint>),
    /// Adds a note or group box to the canvas.
    AddAnnotation(Annotation),
    /// Replaces an annotation (same id): its text, kind, place or size.
    UpdateAnnotation(Annotation),
    /// Removes an annotation.
    RemoveAnnotation(AnnotationId),
    /// Adds a waiver of a compliance rule on an entity.
    AddWaiver(Waiver),
    /// Replaces a waiver's justification (same rule and entity).
    UpdateWaiver(Waiver),
    /// Removes the waiver of `rule` on `entity`.
    RemoveWaiver {
        /// The rule, as `POLICY/RULE`.
        rule: String,
        /// The entity it was waived on.
        entity: EntityRef,
    },
    /// Several commands applied as one: all of them or none.
    Batch(Vec<Command>),
}

impl Command {
    /// A short description for menus and the undo history, e.g. `Add service orders-db`.
    pub fn label(&self) -> String {
        match self {
            Command::SetName(_) => "Rename design".into(),
            Command::SetDescription(_) => "Edit description".into(),
            Command::SetWorkload(_) => "Edit workload".into(),
            Command::SetRecovery(_) => "Edit recovery settings".into(),
            Command::SetResilience(_) => "Edit resilience".into(),
            Command::SetTargets(_) => "Edit targets".into(),
            Command::AddRegion(r) => format!("Add region {}", r.id),
            Command::UpdateRegion(r) => format!("Edit region {}", r.id),
            Command::RemoveRegion(id) => format!("Remove region {id}"),
            Command::AddService(s) => format!("Add service {}", s.id),
            Command::UpdateService(s) => format!("Edit service {}", s.id),
            Command::RemoveService(id) => format!("Remove service {id}"),
            Command::AddLink(l) => format!("Add link {}", l.id),
            Command::UpdateLink(l) => format!("Edit link {}", l.id),
            Command::RemoveLink(id) => format!("Remove link {id}"),
            Command::AddPopulation(p) => format!("Add population {}", p.id),
            Command::UpdatePopulation(p) => format!("Edit population {}", p.id),
            Command::RemovePopulation(id) => format!("Remove population {id}"),
            Command::MoveRegion(id, _) => format!("Move region {id}"),
            Command::PlaceCard(id, _) => format!("Move card {id}"),
            Command::ResizeRegion(id, _) => format!("Resize region {id}"),
            Command::SetWaypoints(id, _) => format!("Route link {id}"),
            Command::AddAnnotation(a) => format!("Add {} {}", a.kind.label().to_lowercase(), a.id),
            Command::UpdateAnnotation(a) => format!("Edit annotation {}", a.id),
            Command::RemoveAnnotation(id) => format!("Remove annotation {id}"),
            Command::AddWaiver(w) => format!("Waive {} on {}", w.rule, w.entity),
            Command::UpdateWaiver(w) => format!("Edit waiver of {} on {}", w.rule, w.entity),
            Command::RemoveWaiver { rule, entity } => format!("Remove waiver of {rule} on {entity}"),
            Command::Batch(cmds) => match cmds.as_slice() {
                [one] => one.label(),
                _ => format!("{} changes", cmds.len()),
            },
        }
    }
}

fn missing(entity: EntityRef) -> CommandError {
    CommandError { message: format!("{entity} is not in the design"), entity, field: "id".into() }
}

fn duplicate(entity: EntityRef) -> CommandError {
    CommandError {
        message: format!("{entity} is already in the design; ids must be unique"),
        entity,
        field: "id".into(),
    }
}

/// Applies `command` to `design` if it keeps every invariant, and returns the command that undoes it.
///
/// A refused command leaves the design unchanged; a [`Command::Batch`] is all or nothing.
#[allow(clippy::too_many_lines)] // One arm per command: the one door reads as one table.
pub fn apply(design: &mut Design, catalog: &Catalog, command: Command) -> Result<Command, CommandError> {
    match command {
        Command::SetName(name) => {
            check::design_text(Some(&name), None).map(|()| Command::SetName(design.set_name(name)))
        }
        Command::SetDescription(text) => check::design_text(None, Some(&text))
            .map(|()| Command::SetDescription(design.set_description(text))),
        Command::SetWorkload(w) => {
            check::workload(&w)?;
            Ok(Command::SetWorkload(design.set_workload(w)))
        }
        Command::SetRecovery(r) => {
            check::recovery_settings(&r)?;
            Ok(Command::SetRecovery(design.set_recovery(r)))
        }
        Command::SetResilience(r) => {
            check::resilience(catalog, &r)?;
            Ok(Command::SetResilience(design.set_resilience(r)))
        }
        Command::SetTargets(t) => {
            check_targets(design, &t)?;
            Ok(Command::SetTargets(design.set_targets(t)))
        }
        Command::AddRegion(r) => {
            if design.region(&r.id).is_some() {
                return Err(duplicate(EntityRef::Region(r.id)));
            }
            check::region(catalog, &r)?;
            let id = r.id.clone();
            design.put_region(r);
            Ok(Command::RemoveRegion(id))
        }
        Command::UpdateRegion(r) => update_region(design, catalog, r),
        Command::RemoveRegion(id) => remove_region(design, catalog, id),
        Command::AddService(s) => {
            if design.service(&s.id).is_some() {
                return Err(duplicate(EntityRef::Service(s.id)));
            }
            check::service(catalog, design, &s)?;
            let id = s.id.clone();
            design.insert_service(s);
            Ok(Command::RemoveService(id))
        }
        Command::UpdateService(s) => update_service(design, catalog, s),
        Command::RemoveService(id) => remove_service(design, &id),
        Command::AddLink(l) => {
            if design.link(&l.id).is_some() {
                return Err(duplicate(EntityRef::Link(l.id)));
            }
            check::link(catalog, design, &l)?;
            let id = l.id.clone();
            design.insert_link(l).map_err(|from| missing(EntityRef::Service(from)))?;
            Ok(Command::RemoveLink(id))
        }
        Command::UpdateLink(l) => {
            if design.link(&l.id).is_none() {
                return Err(missing(EntityRef::Link(l.id)));
            }
            check::link(catalog, design, &l)?;
            let old = design.take_link(&l.id).ok_or_else(|| missing(EntityRef::Link(l.id.clone())))?;
            design.insert_link(l).map_err(|from| missing(EntityRef::Service(from)))?;
            Ok(Command::UpdateLink(old))
        }
        Command::RemoveLink(id) => remove_link(design, id),
        Command::AddPopulation(p) => {
            if design.population(&p.id).is_some() {
                return Err(duplicate(EntityRef::Population(p.id)));
            }
            check::population(design, &p)?;
            let id = p.id.clone();
            design.put_population(p);
            Ok(Command::RemovePopulation(id))
        }
        Command::UpdatePopulation(p) => {
            if design.population(&p.id).is_none() {
                return Err(missing(EntityRef::Population(p.id)));
            }
            check::population(design, &p)?;
            let id = p.id.clone();
            let old = design.put_population(p).ok_or_else(|| missing(EntityRef::Population(id)))?;
            Ok(Command::UpdatePopulation(old))
        }
        Command::RemovePopulation(id) => remove_population(design, id),
        waiver_command
        @ (Command::AddWaiver(_) | Command::UpdateWaiver(_) | Command::RemoveWaiver { .. }) => {
            waiver(design, waiver_command)
        }
        Command::MoveRegion(id, cell) => {
            if design.region(&id).is_none() {
                return Err(missing(EntityRef::Region(id)));
            }
            let old = design.set_cell(&id, cell);
            Ok(Command::MoveRegion(id, old))
        }
        Command::PlaceCard(id, spot) => place_card(design, id, spot),
        Command::ResizeRegion(id, size) => resize_region(design, id, size),
        Command::SetWaypoints(id, points) => set_waypoints(design, id, points),
        annotation_command @ (Command::AddAnnotation(_)
        | Command::UpdateAnnotation(_)
        | Command::RemoveAnnotation(_)) => annotation::apply(design, annotation_command),
        Command::Batch(commands) => batch(design, catalog, commands),
    }
}

/// Removes a population with its waivers and the targets promised to it; undo brings all back.
fn remove_population(design: &mut Design, id: PopulationId) -> Result<Command, CommandError> {
    let p = design.take_population(&id).ok_or_else(|| missing(EntityRef::Population(id.clone())))?;
    // Targets promised to the population go with it; undo brings them back.
    let targets = design.targets().names_population(&id).then(|| {
        let left = design.targets().without_population(&id);
        design.set_targets(left)
    });
    let waivers = design.take_waivers_on(&EntityRef::Population(id));
    let undo = with_waivers(Command::AddPopulation(p), waivers);
    Ok(match targets {
        None => undo,
        Some(old) => match undo {
            Command::Batch(mut all) => {
                all.push(Command::SetTargets(old));
                Command::Batch(all)
            }
            one => Command::Batch(vec![one, Command::SetTargets(old)]),
        },
    })
}

/// Applies a waiver command (`AddWaiver`, `UpdateWaiver`, `RemoveWaiver`).
fn waiver(design: &mut Design, command: Command) -> Result<Command, CommandError> {
    match command {
        Command::AddWaiver(w) => {
            if design.waiver(&w.rule, &w.entity).is_some() {
                return Err(CommandError {
                    message: format!(
                        "{} is already waived on {}; edit that waiver instead",
                        w.rule, w.entity
                    ),
                    entity: w.entity,
                    field: "rule".into(),
                });
            }
            check::waiver(design, &w)?;
            let (rule, entity) = w.key();
            design.put_waiver(w);
            Ok(Command::RemoveWaiver { rule, entity })
        }
        Command::UpdateWaiver(w) => {
            check::waiver(design, &w)?;
            if design.waiver(&w.rule, &w.entity).is_none() {
                return Err(no_waiver(&w.rule, w.entity));
            }
            let old = design.put_waiver(w).ok_or_else(|| no_waiver("", EntityRef::Design))?;
            Ok(Command::UpdateWaiver(old))
        }
        Command::RemoveWaiver { rule, entity } => {
            let w = design.take_waiver(&rule, &entity).ok_or_else(|| no_waiver(&rule, entity))?;
            Ok(Command::AddWaiver(w))
        }
        other => Err(CommandError {
            message: format!("`{}` is not a waiver command", other.label()),
            entity: EntityRef::Design,
            field: "waivers".into(),
        }),
    }
}

fn no_waiver(rule: &str, entity: EntityRef) -> CommandError {
    CommandError { message: format!("{rule} is not waived on {entity}"), entity, field: "rule".into() }
}

/// `undo`, followed by re-adding `waivers` that were removed with their entity.
fn with_waivers(undo: Command, waivers: Vec<Waiver>) -> Command {
    if waivers.is_empty() {
        return undo;
    }
    let mut all = vec![undo];
    all.extend(waivers.into_iter().map(Command::AddWaiver));
    Command::Batch(all)
}

fn update_region(design: &mut Design, catalog: &Catalog, r: Region) -> Result<Command, CommandError> {
    let Some(old) = design.region(&r.id).cloned() else {
        return Err(missing(EntityRef::Region(r.id)));
    };
    check::region(catalog, &r)?;
    let id = r.id.clone();
    design.put_region(r);
    // Services in the region must still fit its AZs.
    let broken = design.services_in(&id).find_map(|s| check::service(catalog, design, s).err());
    if let Some(err) = broken {
        design.put_region(old);
        return Err(err);
    }
    Ok(Command::UpdateRegion(old))
}

fn remove_region(design: &mut Design, catalog: &Catalog, id: RegionId) -> Result<Command, CommandError> {
    if design.region(&id).is_none() {
        return Err(missing(EntityRef::Region(id)));
    }
    let in_region: Vec<ServiceId> = design.services_in(&id).map(|s| s.id.clone()).collect();
    let mut undo = Vec::new();
    for sid in in_region {
        undo.push(apply(design, catalog, Command::RemoveService(sid))?);
    }
    if let Some(cell) = design.set_cell(&id, None) {
        undo.push(Command::MoveRegion(id.clone(), Some(cell)));
    }
    if let Some(size) = design.set_region_size(&id, None) {
        undo.push(Command::ResizeRegion(id.clone(), Some(size)));
    }
    undo.extend(design.take_waivers_on(&EntityRef::Region(id.clone())).into_iter().map(Command::AddWaiver));
    let region = design.take_region(&id).ok_or_else(|| missing(EntityRef::Region(id.clone())))?;
    undo.push(Command::AddRegion(region));
    undo.reverse();
    Ok(Command::Batch(undo))
}

fn update_service(design: &mut Design, catalog: &Catalog, s: Service) -> Result<Command, CommandError> {
    if design.service(&s.id).is_none() {
        return Err(missing(EntityRef::Service(s.id)));
    }
    check::service(catalog, design, &s)?;
    let id = s.id.clone();
    let old = design.replace_service(s).ok_or_else(|| missing(EntityRef::Service(id.clone())))?;
    // Links touching the service must still hold with its new kind or region.
    let touching: Vec<Link> = design.links_from(&id).chain(design.links_to(&id)).cloned().collect();
    if let Some(err) = touching.iter().find_map(|l| check::link(catalog, design, l).err()) {
        design.replace_service(old);
        return Err(err);
    }
    Ok(Command::UpdateService(old))
}

/// Places a card (`PlaceCard`); the inverse puts it back where it was.
fn place_card(design: &mut Design, id: ServiceId, spot: Option<CardSpot>) -> Result<Command, CommandError> {
    if design.service(&id).is_none() {
        return Err(missing(EntityRef::Service(id)));
    }
    let old = design.set_card_spot(&id, spot);
    Ok(Command::PlaceCard(id, old))
}

/// Resizes a region's container (`ResizeRegion`); the inverse gives it its old size back.
fn resize_region(
    design: &mut Design,
    id: RegionId,
    size: Option<RegionSize>,
) -> Result<Command, CommandError> {
    if design.region(&id).is_none() {
        return Err(missing(EntityRef::Region(id)));
    }
    if let Some(s) = size {
        for (field, v) in [("width", s.width), ("height", s.height)] {
            if v == 0 || v > RegionSize::MAX_SIDE {
                return Err(CommandError {
                    message: format!(
                        "a region's {field} is {v}; it must be from 1 to {} canvas units",
                        RegionSize::MAX_SIDE
                    ),
                    entity: EntityRef::Region(id),
                    field: field.into(),
                });
            }
        }
    }
    let old = design.set_region_size(&id, size);
    Ok(Command::ResizeRegion(id, old))
}

/// Removes a link with its waivers and waypoints; undo brings all back.
fn remove_link(design: &mut Design, id: LinkId) -> Result<Command, CommandError> {
    let link = design.take_link(&id).ok_or_else(|| missing(EntityRef::Link(id.clone())))?;
    let points = design.set_waypoints(&id, Vec::new());
    let undo = with_waivers(Command::AddLink(link), design.take_waivers_on(&EntityRef::Link(id.clone())));
    Ok(if points.is_empty() { undo } else { Command::Batch(vec![undo, Command::SetWaypoints(id, points)]) })
}

/// Replaces a link's waypoints (`SetWaypoints`); the inverse puts the old ones back.
fn set_waypoints(design: &mut Design, id: LinkId, points: Vec<Waypoint>) -> Result<Command, CommandError> {
    if design.link(&id).is_none() {
        return Err(missing(EntityRef::Link(id)));
    }
    let refuse = |message: String| CommandError {
        message,
        entity: EntityRef::Link(id.clone()),
        field: "waypoints".into(),
    };
    if points.len() > Waypoint::MAX_PER_LINK {
        return Err(refuse(format!(
            "a link has at most {} waypoints; this one would have {}",
            Waypoint::MAX_PER_LINK,
            points.len()
        )));
    }
    if let Some(p) =
        points.iter().find(|p| p.x.abs() > Waypoint::MAX_COORD || p.y.abs() > Waypoint::MAX_COORD)
    {
        return Err(refuse(format!(
            "waypoint ({}, {}) is off the canvas: coordinates are at most {} from the origin",
            p.x,
            p.y,
            Waypoint::MAX_COORD
        )));
    }
    let old = design.set_waypoints(&id, points);
    Ok(Command::SetWaypoints(id, old))
}

fn remove_service(design: &mut Design, id: &ServiceId) -> Result<Command, CommandError> {
    let (service, links) = design.take_service(id).ok_or_else(|| missing(EntityRef::Service(id.clone())))?;
    let mut undo = vec![Command::AddService(service)];
    if let Some(spot) = design.set_card_spot(id, None) {
        undo.push(Command::PlaceCard(id.clone(), Some(spot)));
    }
    let link_ids: Vec<EntityRef> = links.iter().map(|l| EntityRef::Link(l.id.clone())).collect();
    let routed: Vec<Command> = links
        .iter()
        .filter_map(|l| {
            let points = design.set_waypoints(&l.id, Vec::new());
            (!points.is_empty()).then(|| Command::SetWaypoints(l.id.clone(), points))
        })
        .collect();
    undo.extend(links.into_iter().map(Command::AddLink));
    undo.extend(routed);
    for p in design.populations_mut() {
        if p.entry.as_ref() == Some(id) {
            undo.push(Command::UpdatePopulation(p.clone()));
            p.entry = None;
        }
    }
    // Waivers go with their entity: the service and the links removed with it.
    for entity in std::iter::once(EntityRef::Service(id.clone())).chain(link_ids) {
        undo.extend(design.take_waivers_on(&entity).into_iter().map(Command::AddWaiver));
    }
    Ok(Command::Batch(undo))
}

fn batch(design: &mut Design, catalog: &Catalog, commands: Vec<Command>) -> Result<Command, CommandError> {
    let mut undo: Vec<Command> = Vec::with_capacity(commands.len());
    for cmd in commands {
        match apply(design, catalog, cmd) {
            Ok(inverse) => undo.push(inverse),
            Err(err) => {
                // Roll back what was applied, newest first; inverses of applied commands always apply.
                for inverse in undo.into_iter().rev() {
                    let _ = apply(design, catalog, inverse);
                }
                return Err(err);
            }
        }
    }
    undo.reverse();
    Ok(Command::Batch(undo))
}
