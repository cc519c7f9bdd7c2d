//! Where a dragged card lands: on the 10-unit grid inside the container under the pointer, unless
//! one of its edges or its centre comes within a few screen points of another card's (draw.io's
//! alignment snap); then it lines up exactly with that card, and the painter draws a guide.
//! Cards laid out automatically sit off the grid (their padding is 14 units), so without this a
//! dragged card could never be lined up with them.

use egui::{Pos2, Rect, Vec2, vec2};
use meridian_model::ServiceId;

use super::layout::{Layout, size};

/// How near (in screen points) an edge or centre must come to another card's to snap to it.
const ALIGN_GRAB: f32 = 6.0;

/// The grid cards snap to, in canvas units.
pub const SNAP: f32 = 10.0;

/// The smallest correction that lines one of `mine` up with one of `theirs`, if any is within `tol`.
fn nearest(mine: [f32; 3], theirs: [f32; 3], tol: f32, best: &mut Option<f32>) {
    for a in mine {
        for b in theirs {
            let d = b - a;
            if d.abs() <= tol && best.is_none_or(|x| d.abs() < x.abs()) {
                *best = Some(d);
            }
        }
    }
}

/// Where the card `card` grabbed at `grab` lands when dropped at `now`, at zoom `zoom`: its
/// container's top left plus the snapped offset (kept below the header and off the left edge),
/// lined up with a card `moving` does not name when one is near enough.
pub fn landing(
    layout: &Layout,
    card: Rect,
    grab: Pos2,
    now: Pos2,
    zoom: f32,
    moving: &dyn Fn(&ServiceId) -> bool,
) -> Rect {
    let moved = card.translate(now - grab);
    let Some(container) = layout.region_at(now).and_then(|r| layout.regions.get(r)) else { return moved };
    let grid = |v: f32| (v / SNAP).round() * SNAP;
    let offset = moved.min - container.min;
    let mut ghost = Rect::from_min_size(container.min + vec2(grid(offset.x), grid(offset.y)), card.size());
    let tol = ALIGN_GRAB / zoom.max(0.01);
    let (mut dx, mut dy) = (None, None);
    for (id, o) in &layout.services {
        if moving(id) || !container.intersects(*o) {
            continue;
        }
        nearest(
            [moved.left(), moved.center().x, moved.right()],
            [o.left(), o.center().x, o.right()],
            tol,
            &mut dx,
        );
        nearest(
            [moved.top(), moved.center().y, moved.bottom()],
            [o.top(), o.center().y, o.bottom()],
            tol,
            &mut dy,
        );
    }
    if let Some(d) = dx {
        ghost = ghost.translate(vec2(moved.left() + d - ghost.left(), 0.0));
    }
    if let Some(d) = dy {
        ghost = ghost.translate(vec2(0.0, moved.top() + d - ghost.top()));
    }
    // Inside the container, below its header.
    let min = container.min + vec2(0.0, size::REGION_HEADER);
    ghost.translate(vec2((min.x - ghost.left()).max(0.0), (min.y - ghost.top()).max(0.0)))
}

/// How far a drop moves the cards: the grabbed card's landing minus where it is.
pub fn shift(landing: Rect, card: Rect) -> Vec2 {
    landing.min - card.min
}
