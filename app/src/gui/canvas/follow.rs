//! Waypoints that follow their region: when a command changes where regions or their cards are
//! (a region moved to another grid cell, a region resized by its left or top edge), each waypoint
//! lying inside a region's container moves as that region's cards do. A link between two regions
//! has its waypoints move with the region each one lies in; waypoints in the gaps between regions
//! stay where they are. The waypoint changes join the command in one batch: one undo step.

use std::collections::BTreeMap;

use egui::{Vec2, pos2};
use meridian_model::design::Waypoint;
use meridian_model::{Catalog, Command, Design, RegionId};

use super::layout::{Layout, ViewMode};

/// `cmd` with the waypoint changes that keep every waypoint with its region (`cmd` alone when no
/// waypoint moves, or when the command would be refused: the refusal then comes when it is applied).
pub fn with_waypoints(design: &Design, catalog: &Catalog, old: &Layout, cmd: Command) -> Command {
    if design.waypoints().is_empty() {
        return cmd;
    }
    let mut after = design.clone();
    if meridian_model::apply(&mut after, catalog, cmd.clone()).is_err() {
        return cmd;
    }
    let new = Layout::compute(&after, catalog, ViewMode::Schematic);
    let shifts: BTreeMap<&RegionId, Vec2> = old
        .regions
        .iter()
        .filter_map(|(id, rect)| {
            let moved = new.regions.get(id)?;
            // As the cards move (a region's origin can move while its cards stay), else as the box.
            let card = design
                .services_in(id)
                .find_map(|s| Some(new.services.get(&s.id)?.min - old.services.get(&s.id)?.min));
            Some((id, card.unwrap_or(moved.min - rect.min)))
        })
        .collect();
    let mut routes = Vec::new();
    for (link, points) in design.waypoints() {
        let moved: Vec<Waypoint> = points
            .iter()
            .map(|w| {
                #[allow(clippy::cast_precision_loss)]
                let at = pos2(w.x as f32, w.y as f32);
                let shift =
                    old.regions.iter().find(|(_, r)| r.contains(at)).and_then(|(id, _)| shifts.get(id));
                #[allow(clippy::cast_possible_truncation)]
                shift.map_or(*w, |d| Waypoint { x: w.x + d.x.round() as i32, y: w.y + d.y.round() as i32 })
            })
            .collect();
        if moved != *points {
            routes.push(Command::SetWaypoints(link.clone(), moved));
        }
    }
    if routes.is_empty() {
        return cmd;
    }
    let mut all = match cmd {
        Command::Batch(all) => all,
        one => vec![one],
    };
    all.extend(routes);
    Command::Batch(all)
}
