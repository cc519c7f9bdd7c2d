//! What the canvas reads each frame: the design, the selection, warnings, failures and figures
//! shown on hover. The canvas's frame (`interact`) and the minimap both take it.

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::{Catalog, Design, EntityRef, PopulationId, RegionId, ServiceId};

/// What the canvas shows this frame.
pub struct CanvasInput<'a> {
    /// The design.
    pub design: &'a Design,
    /// The catalog.
    pub catalog: &'a Catalog,
    /// Changes whenever the design does (for the layout cache).
    pub revision: u64,
    /// Selected entities.
    pub selection: &'a BTreeSet<EntityRef>,
    /// Entities with warnings or violations, drawn in the warning colour.
    pub warnings: &'a BTreeSet<EntityRef>,
    /// Entities that are down at the moment the timeline shows.
    pub failed: &'a BTreeSet<EntityRef>,
    /// Monthly cost of each service, shown on hover.
    pub costs: Option<&'a BTreeMap<ServiceId, f64>>,
    /// Where each population is served at the moment the timeline shows.
    pub serving: Option<&'a BTreeMap<PopulationId, Vec<RegionId>>>,
    /// Entities added or changed since the version the Changes window compares with (outlined
    /// and badged in the change colours).
    pub changes: Option<&'a BTreeMap<EntityRef, meridian_model::diff::Status>>,
    /// Links the compared version had that are gone, drawn as ghosts between their ends.
    pub removed_links: &'a [super::RemovedLink],
}
