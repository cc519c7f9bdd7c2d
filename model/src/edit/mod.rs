//! Editing rules: what a new service, link, region or user population looks like, and how a
//! selection is deleted, copied and pasted.
//!
//! Each rule reads the design and the catalog and returns [`Command`]s (one [`Command::Batch`]
//! when several entities change, so one user action is one undo step); none changes a design
//! itself: the caller applies the result through [`crate::apply`] or an [`crate::Editor`]. The
//! designer's canvas, inspector and menus, the strategy variants ([`crate::variants`]) and
//! generated designs ([`crate::synth`]) all use these rules, so a link gets the same defaults
//! wherever it is made, and those defaults are the catalog's cited ones ([`link`]).

mod annotation;
mod clipboard;
pub mod link;

use std::collections::BTreeMap;

pub use annotation::{add_annotation, new_annotation};
pub use clipboard::{Clipboard, copy, delete, paste};
pub use link::{connect, default_backup, default_health_check, default_link};

use crate::catalog::{Catalog, Scope};
use crate::command::Command;
use crate::design::{Design, Placement, Population, Region, Service, ServiceConfig};
use crate::geo::{GeoPoint, continent_of};
use crate::ids::{PopulationId, RegionId, ServiceId};
use crate::kind::ServiceKind;

/// A new population's requests per second at the average hour.
pub const POPULATION_REQUESTS_PER_SEC: f64 = 100.0;
/// A new population's fraction of requests that write.
pub const POPULATION_WRITE_FRACTION: f64 = 0.1;
/// A new population's average request size in KB.
pub const POPULATION_REQUEST_KB: f64 = 2.0;
/// A new population's average response size in KB.
pub const POPULATION_RESPONSE_KB: f64 = 20.0;
/// AZs a new region starts with (the first ones of the catalog's list).
pub const NEW_REGION_AZS: usize = 3;

/// Why an edit was refused, in words fit for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// A regional kind was added with no region to put it in.
    #[error("{short} is a regional service: place it in a region")]
    NeedsRegion {
        /// The kind's short name.
        short: String,
    },
    /// An end of a new link is not a service of the design.
    #[error("both ends of a link must be services")]
    NotServices,
    /// The region code is not in the catalog.
    #[error("`{0}` is not an AWS region in the catalog")]
    UnknownRegion(String),
}

/// Back to the automatic layout (for imported or generated designs, or a drawing gone astray):
/// every hand-placed card loses its spot, every hand-placed region its grid cell, every resized
/// region its size and every hand-routed link its waypoints, in one command (one undo step);
/// `None` when nothing was laid out by hand.
pub fn tidy_layout(design: &Design) -> Option<Command> {
    let cards = design.card_spots().keys().map(|id| Command::PlaceCard(id.clone(), None));
    let cells = design.layout().keys().map(|id| Command::MoveRegion(id.clone(), None));
    let sizes = design.region_sizes().keys().map(|id| Command::ResizeRegion(id.clone(), None));
    let routes = design.waypoints().keys().map(|id| Command::SetWaypoints(id.clone(), Vec::new()));
    let cmds: Vec<Command> = cards.chain(cells).chain(sizes).chain(routes).collect();
    (!cmds.is_empty()).then_some(Command::Batch(cmds))
}

/// `base` if `taken` says it is free, else the first free `base-2`, `base-3`, ...
pub fn unique_id(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_owned();
    }
    (2..u32::MAX).map(|n| format!("{base}-{n}")).find(|id| !taken(id)).unwrap_or_else(|| base.to_owned())
}

/// A new service of `kind` at `placement`: an id unique in the design made of the kind and the
/// region's short code (`ecs-fargate-use1`, `route53-global`), the kind's short name with the
/// region's city, and two units for kinds whose capacity scales with a count (one otherwise).
pub fn new_service(design: &Design, catalog: &Catalog, kind: ServiceKind, placement: Placement) -> Service {
    let spec = catalog.kind(kind);
    let (suffix, city) = match &placement {
        Placement::Region(r) => {
            let info = catalog.region(r.as_str());
            (
                info.map_or(r.to_string(), |i| {
                    i.az_ids.first().and_then(|a| a.split('-').next()).unwrap_or(r.as_str()).to_owned()
                }),
                info.map(|i| i.city.clone()),
            )
        }
        Placement::Global => ("global".to_owned(), None),
    };
    let id = unique_id(&format!("{kind}-{suffix}"), |id| design.service(&ServiceId::new(id)).is_some());
    let name = match city {
        Some(city) => format!("{} ({city})", spec.short),
        None => spec.short.clone(),
    };
    let count = if spec.capacity.is_some() { 2 } else { 1 };
    Service {
        id: ServiceId::new(id),
        name,
        kind,
        placement,
        config: ServiceConfig { count, ..ServiceConfig::default() },
        tags: BTreeMap::new(),
        data_classes: Vec::new(),
        failure: None,
        latency_ms: None,
        deployment_group: None,
        control_plane: None,
    }
}

/// The command adding a new service of `kind` (see [`new_service`]): global kinds go to the
/// global band, regional ones into `region`; returns the command and the new service's id.
pub fn add_service(
    design: &Design,
    catalog: &Catalog,
    kind: ServiceKind,
    region: Option<&RegionId>,
) -> Result<(Command, ServiceId), EditError> {
    let spec = catalog.kind(kind);
    let placement = match (spec.scope, region) {
        (Scope::Global, _) => Placement::Global,
        (Scope::Regional, Some(r)) => Placement::Region(r.clone()),
        (Scope::Regional, None) => return Err(EditError::NeedsRegion { short: spec.short.clone() }),
    };
    let service = new_service(design, catalog, kind, placement);
    let id = service.id.clone();
    Ok((Command::AddService(service), id))
}

/// The command adding region `code` with its first [`NEW_REGION_AZS`] AZs.
pub fn add_region(catalog: &Catalog, code: &str) -> Result<Command, EditError> {
    let info = catalog.region(code).ok_or_else(|| EditError::UnknownRegion(code.to_owned()))?;
    Ok(Command::AddRegion(Region {
        id: RegionId::new(code),
        azs: info.az_ids.iter().take(NEW_REGION_AZS).cloned().collect(),
        failure: None,
    }))
}

/// The command adding a user population at `location` (with the `POPULATION_*` defaults and the
/// continent of the place), entering at the design's first global router, else its first global
/// service; returns the command and the new population's id.
pub fn add_population(design: &Design, catalog: &Catalog, location: GeoPoint) -> (Command, PopulationId) {
    let id = PopulationId::new(unique_id("users", |c| design.population(&PopulationId::new(c)).is_some()));
    let entry = design
        .global_services()
        .find(|s| catalog.kind(s.kind).is_router())
        .or_else(|| design.global_services().next())
        .map(|s| s.id.clone());
    let continent = continent_of(location);
    // Never two populations with one name: "Users (Europe)", then "Users (Europe) 2".
    let base = format!("Users ({})", continent.label());
    let taken = |n: &str| design.populations().any(|p| p.name == n);
    // At most one name per population is taken, so one of the first n + 1 is free.
    let name = (1..=design.populations().len() + 1)
        .map(|i| if i == 1 { base.clone() } else { format!("{base} {i}") })
        .find(|n| !taken(n))
        .unwrap_or(base);
    let p = Population {
        id: id.clone(),
        name,
        location,
        country: None,
        continent,
        requests_per_sec: POPULATION_REQUESTS_PER_SEC,
        write_fraction: POPULATION_WRITE_FRACTION,
        request_kb: POPULATION_REQUEST_KB,
        response_kb: POPULATION_RESPONSE_KB,
        data_classes: Vec::new(),
        entry,
        access: None,
        dns_sticky_share: None,
        dns_sticky_hold: None,
    };
    (Command::AddPopulation(p), id)
}

/// Where a new user population goes when no map point is given (the schematic view): in the
/// `preferred` region (the selected one), else in the first region of the design on a continent
/// no population is on yet, else in the first region; Frankfurt in an empty design. The point is
/// the region's city, so the population's continent is that region's.
pub fn population_site(design: &Design, catalog: &Catalog, preferred: Option<&RegionId>) -> GeoPoint {
    let site = |r: &RegionId| catalog.region(r.as_str()).map(|i| i.location);
    let covered: Vec<_> = design.populations().map(|p| p.continent).collect();
    preferred
        .and_then(site)
        .or_else(|| {
            design.regions().filter_map(|r| site(&r.id)).find(|at| !covered.contains(&continent_of(*at)))
        })
        .or_else(|| design.regions().find_map(|r| site(&r.id)))
        .unwrap_or(FRANKFURT)
}

/// Frankfurt, where a population goes in a design without regions.
const FRANKFURT: GeoPoint = GeoPoint { lat: 50.1, lon: 8.7 };

#[cfg(test)]
mod tests;
