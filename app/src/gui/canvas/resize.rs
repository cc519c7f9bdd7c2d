//! Resizing a region's container by dragging its right edge, bottom edge or bottom-right corner:
//! the grab zones, the size a drag gives (snapped to the grid, never below what the cards need),
//! and the one `ResizeRegion` command sent when the drag ends.

use egui::{CursorIcon, Pos2, Rect, Vec2, vec2};
use meridian_model::design::RegionSize;
use meridian_model::{Catalog, Command, Design, RegionId};

use super::layout::{Layout, region_min_size};

/// How near a region's edge a press grabs it, in screen points.
const EDGE_GRAB: f32 = 6.0;

/// The canvas grid sizes snap to, in canvas units.
const GRID: f32 = 10.0;

/// Which edges of a region a resize moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edges {
    /// The right edge (width).
    pub right: bool,
    /// The bottom edge (height).
    pub bottom: bool,
}

impl Edges {
    /// The mouse cursor that says what a drag here does.
    pub fn cursor(self) -> CursorIcon {
        match (self.right, self.bottom) {
            (true, true) => CursorIcon::ResizeNwSe,
            (true, false) => CursorIcon::ResizeHorizontal,
            _ => CursorIcon::ResizeVertical,
        }
    }
}

/// A resize in progress: the region, the edges it moves, its size when grabbed, the least size
/// its cards need, and where the pointer was pressed and is now (canvas units).
#[derive(Debug, Clone)]
pub struct Resize {
    /// The region resized.
    pub region: RegionId,
    /// The edges that follow the pointer.
    pub edges: Edges,
    /// The container when the drag started.
    pub start: Rect,
    /// The smallest size its cards allow.
    pub min: Vec2,
    /// Where the drag started.
    pub grab: Pos2,
    /// Where the pointer is.
    pub now: Pos2,
}

/// The region edge (or corner) under `at`, if a press there resizes a region.
pub fn edge_at(layout: &Layout, at: Pos2, zoom: f32) -> Option<(RegionId, Edges)> {
    let tol = EDGE_GRAB / zoom;
    layout.regions.iter().find_map(|(id, r)| {
        let within_y = at.y >= r.top() && at.y <= r.bottom() + tol;
        let within_x = at.x >= r.left() && at.x <= r.right() + tol;
        let right = within_y && (at.x - r.right()).abs() <= tol;
        let bottom = within_x && (at.y - r.bottom()).abs() <= tol;
        (right || bottom).then(|| (id.clone(), Edges { right, bottom }))
    })
}

impl Resize {
    /// Starts resizing `region` by `edges` from `at`.
    pub fn start(
        layout: &Layout,
        design: &Design,
        catalog: &Catalog,
        region: RegionId,
        edges: Edges,
        at: Pos2,
    ) -> Option<Resize> {
        let start = *layout.regions.get(&region)?;
        let min = region_min_size(design, catalog, &region);
        Some(Resize { region, edges, start, min, grab: at, now: at })
    }

    /// The container's size if the drag ended now: the moved edges follow the pointer, snapped to
    /// the grid, and never come closer than the cards need.
    pub fn size(&self) -> Vec2 {
        let delta = self.now - self.grab;
        let want = self.start.size()
            + vec2(
                if self.edges.right { delta.x } else { 0.0 },
                if self.edges.bottom { delta.y } else { 0.0 },
            );
        let snap = |v: f32, min: f32| ((v / GRID).round() * GRID).max((min / GRID).ceil() * GRID);
        vec2(snap(want.x, self.min.x), snap(want.y, self.min.y))
    }

    /// The container's outline if the drag ended now (for the ghost drawn while dragging).
    pub fn ghost(&self) -> Rect {
        Rect::from_min_size(self.start.min, self.size())
    }

    /// The command the finished drag sends: `None` when the size did not change.
    pub fn command(&self) -> Option<Command> {
        let size = self.size();
        if (size - self.start.size()).length() < 0.5 {
            return None;
        }
        // Whole grid multiples within `RegionSize::MAX_SIDE` (the model refuses larger sides).
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = RegionSize { width: size.x.max(1.0) as u32, height: size.y.max(1.0) as u32 };
        Some(Command::ResizeRegion(self.region.clone(), Some(size)))
    }
}
