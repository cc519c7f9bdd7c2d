//! Resizing a region's container by dragging any of its edges or corners (draw.io style): the
//! grab zones, the outline a drag gives (snapped to the grid, never smaller than its cards), and
//! the one command sent when the drag ends.
//!
//! Right and bottom edges change only the size. The left and top edges (schematic view) move the
//! container's origin: its cards stay where they are on screen, so they get spots shifted by the
//! growth, the container gets the new size, and the view pans by the growth, because a region's
//! origin in the schematic grid is its cell's corner (the grid makes room on the dragged side, the
//! mirror of what a right-edge drag does). Waypoints follow their region (`follow.rs`).

use egui::{CursorIcon, Pos2, Rect, Vec2, pos2, vec2};
use meridian_model::design::{CardSpot, RegionSize};
use meridian_model::{Catalog, Command, Design, RegionId, ServiceId};

use super::layout::{Layout, region_min_size, size};

/// How near a region's edge a press grabs it, in screen points.
const EDGE_GRAB: f32 = 6.0;

/// The canvas grid sizes snap to, in canvas units.
const GRID: f32 = 10.0;

/// Which edges of a region a resize moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)] // One flag per edge: a corner is two of them.
pub struct Edges {
    /// The left edge (origin and width).
    pub left: bool,
    /// The right edge (width).
    pub right: bool,
    /// The top edge (origin and height).
    pub top: bool,
    /// The bottom edge (height).
    pub bottom: bool,
}

impl Edges {
    /// The mouse cursor that says what a drag here does.
    pub fn cursor(self) -> CursorIcon {
        let horizontal = self.left || self.right;
        let vertical = self.top || self.bottom;
        match (horizontal, vertical) {
            (true, true) if (self.left && self.top) || (self.right && self.bottom) => CursorIcon::ResizeNwSe,
            (true, true) => CursorIcon::ResizeNeSw,
            (true, false) => CursorIcon::ResizeHorizontal,
            _ => CursorIcon::ResizeVertical,
        }
    }

    fn any(self) -> bool {
        self.left || self.right || self.top || self.bottom
    }
}

/// A resize in progress: the region, the edges it moves, its outline when grabbed, the bounds of
/// its cards, the least size its cards need, and where the pointer was pressed and is now
/// (canvas units).
#[derive(Debug, Clone)]
pub struct Resize {
    /// The region resized.
    pub region: RegionId,
    /// The edges that follow the pointer.
    pub edges: Edges,
    /// The container when the drag started.
    pub start: Rect,
    /// The smallest size its cards allow with its origin where it is.
    pub min: Vec2,
    /// The cards of the region when the drag started, with their canvas rectangles.
    cards: Vec<(ServiceId, Rect)>,
    /// Where the drag started.
    pub grab: Pos2,
    /// Where the pointer is.
    pub now: Pos2,
}

/// The region edge (or corner) under `at`, if a press there resizes a region. The left and top
/// edges count only when `origin_moves` (the schematic view, where a region's origin can move).
pub fn edge_at(layout: &Layout, at: Pos2, zoom: f32, origin_moves: bool) -> Option<(RegionId, Edges)> {
    let tol = EDGE_GRAB / zoom;
    layout.regions.iter().find_map(|(id, r)| {
        let within_y = at.y >= r.top() - tol && at.y <= r.bottom() + tol;
        let within_x = at.x >= r.left() - tol && at.x <= r.right() + tol;
        let near = |edge: f32, v: f32| (v - edge).abs() <= tol;
        let edges = Edges {
            left: origin_moves && within_y && near(r.left(), at.x),
            right: within_y && near(r.right(), at.x),
            top: origin_moves && within_x && near(r.top(), at.y),
            bottom: within_x && near(r.bottom(), at.y),
        };
        edges.any().then(|| (id.clone(), edges))
    })
}

/// Rounds to the grid.
fn snap(v: f32) -> f32 {
    (v / GRID).round() * GRID
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
        let cards = design
            .services_in(&region)
            .filter_map(|s| layout.services.get(&s.id).map(|r| (s.id.clone(), *r)))
            .collect();
        Some(Resize { region, edges, start, min, cards, grab: at, now: at })
    }

    /// The container's outline if the drag ended now: the moved edges follow the pointer, snapped
    /// to the grid, and never come closer to the cards than the layout keeps them (padding, and
    /// the header above the top row), nor make the container smaller than an empty one.
    pub fn ghost(&self) -> Rect {
        let delta = self.now - self.grab;
        let s = self.start;
        let cards = self.cards.iter().fold(Rect::NOTHING, |acc, (_, r)| acc.union(*r));
        let floor_w = 2.0 * size::REGION_PAD + 2.0 * size::CARD_W + size::CARD_GAP;
        let floor_h = size::REGION_HEADER + size::CARD_H + size::REGION_PAD;
        let grid_ceil = |v: f32| (v / GRID).ceil() * GRID;
        let (mut left, mut top, mut width, mut height) = (s.left(), s.top(), s.width(), s.height());
        if self.edges.right {
            width = snap(s.width() + delta.x).max(grid_ceil(self.min.x));
        } else if self.edges.left {
            // The right edge stays; the cards keep their places, with the padding to their left.
            let least = if cards.is_positive() { s.right() - (cards.left() - size::REGION_PAD) } else { 0.0 };
            width = snap(s.width() - delta.x).max(grid_ceil(least.max(floor_w)));
            left = s.right() - width;
        }
        if self.edges.bottom {
            height = snap(s.height() + delta.y).max(grid_ceil(self.min.y));
        } else if self.edges.top {
            let least =
                if cards.is_positive() { s.bottom() - (cards.top() - size::REGION_HEADER) } else { 0.0 };
            height = snap(s.height() - delta.y).max(grid_ceil(least.max(floor_h)));
            top = s.bottom() - height;
        }
        Rect::from_min_size(pos2(left, top), vec2(width, height))
    }

    /// How far the drag moves the container's origin (negative: up or left, the container grows).
    pub fn origin_shift(&self) -> Vec2 {
        self.ghost().min - self.start.min
    }

    /// The command the finished drag sends (`None` when nothing changed): the new size, and when
    /// the origin moved, every card of the region placed where it is now relative to the new
    /// origin, all in one batch (one undo step).
    pub fn command(&self) -> Option<Command> {
        let ghost = self.ghost();
        if (ghost.size() - self.start.size()).length() < 0.5 {
            return None;
        }
        // Whole canvas units within `RegionSize::MAX_SIDE` (the model refuses larger sides).
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let size = RegionSize {
            width: ghost.width().round().max(1.0) as u32,
            height: ghost.height().round().max(1.0) as u32,
        };
        let resize = Command::ResizeRegion(self.region.clone(), Some(size));
        if self.origin_shift() == Vec2::ZERO {
            return Some(resize);
        }
        let mut all = vec![resize];
        for (id, card) in &self.cards {
            let offset = card.min - ghost.min;
            #[allow(clippy::cast_possible_truncation)]
            let spot = CardSpot { x: offset.x.round().max(0.0) as i32, y: offset.y.round() as i32 };
            all.push(Command::PlaceCard(id.clone(), Some(spot)));
        }
        Some(Command::Batch(all))
    }
}
