//! Routing a link by hand in the schematic view: dragging a link's line adds a waypoint where it is
//! dropped, dragging a waypoint moves it, double-clicking one removes it. Each finished gesture is
//! one `SetWaypoints` command, so one undo step; the layout routes the link through its waypoints.

use egui::{Painter, Pos2, Rect, Stroke, Vec2, pos2};
use meridian_model::design::Waypoint;
use meridian_model::{Command, Design, LinkId};

use super::layout::{Layout, Route};

/// How near a waypoint a press grabs it, in screen points.
const GRAB: f32 = 7.0;

/// The canvas grid waypoints snap to, in canvas units.
const GRID: f32 = 10.0;

/// A waypoint being placed or moved: the link, the waypoint's index in the link's list, whether
/// it is a new one inserted there, and where the pointer was pressed and is now (canvas units).
#[derive(Debug, Clone)]
pub struct WaypointDrag {
    /// The link routed.
    pub link: LinkId,
    /// The index of the waypoint in the link's list (after insertion for a new one).
    pub index: usize,
    /// Whether the drag adds a waypoint (rather than moving one).
    pub insert: bool,
    /// Where the drag started.
    pub grab: Pos2,
    /// Where the pointer is.
    pub now: Pos2,
}

fn at(w: Waypoint) -> Pos2 {
    pos2(w.x as f32, w.y as f32)
}

/// The point `p` on the grid, as a waypoint.
fn snapped(p: Pos2) -> Waypoint {
    // Canvas coordinates are far inside i32.
    #[allow(clippy::cast_possible_truncation)]
    let snap = |v: f32| ((v / GRID).round() * GRID) as i32;
    Waypoint { x: snap(p.x), y: snap(p.y) }
}

/// The waypoint under `p` (canvas units), as its link and index.
pub fn waypoint_at(design: &Design, p: Pos2, zoom: f32) -> Option<(LinkId, usize)> {
    let reach = GRAB / zoom;
    design.waypoints().iter().find_map(|(link, points)| {
        points.iter().position(|w| at(*w).distance(p) <= reach).map(|i| (link.clone(), i))
    })
}

/// How far along `route` the point nearest `p` lies, in canvas units from the source.
fn along(route: &Route, point: Pos2) -> f32 {
    let mut walked = 0.0;
    let mut best = (f32::INFINITY, 0.0);
    for seg in route.points.windows(2) {
        let (start, end) = (seg[0], seg[1]);
        let len = start.distance(end);
        let t =
            if len > 0.0 { ((point - start).dot(end - start) / (len * len)).clamp(0.0, 1.0) } else { 0.0 };
        let off = point.distance(start + (end - start) * t);
        if off < best.0 {
            best = (off, walked + t * len);
        }
        walked += len;
    }
    best.1
}

impl WaypointDrag {
    /// A drag on `link`'s line from `p`: a new waypoint, in the list where the line was grabbed.
    pub fn insert(design: &Design, layout: &Layout, link: LinkId, p: Pos2) -> Option<WaypointDrag> {
        let route = layout.routes.get(&link)?;
        let grabbed = along(route, p);
        let points = design.waypoints().get(&link).map_or(&[][..], Vec::as_slice);
        let index = points.iter().take_while(|w| along(route, at(**w)) <= grabbed).count();
        Some(WaypointDrag { link, index, insert: true, grab: p, now: p })
    }

    /// A drag of the existing waypoint `index` of `link` from `p`.
    pub fn moving(link: LinkId, index: usize, p: Pos2) -> WaypointDrag {
        WaypointDrag { link, index, insert: false, grab: p, now: p }
    }

    /// Where the waypoint lands if the drag ends now.
    fn landing(&self, design: &Design) -> Waypoint {
        let from = if self.insert {
            self.grab
        } else {
            design.waypoints().get(&self.link).and_then(|p| p.get(self.index)).map_or(self.grab, |w| at(*w))
        };
        snapped(from + (self.now - self.grab))
    }

    /// The link's waypoints if the drag ends now.
    fn points(&self, design: &Design) -> Vec<Waypoint> {
        let mut points = design.waypoints().get(&self.link).cloned().unwrap_or_default();
        let landing = self.landing(design);
        if self.insert {
            points.insert(self.index.min(points.len()), landing);
        } else if let Some(w) = points.get_mut(self.index) {
            *w = landing;
        }
        points
    }

    /// The command the finished drag sends: `None` for a press without a move.
    pub fn command(&self, design: &Design) -> Option<Command> {
        (self.grab.distance(self.now) >= 4.0)
            .then(|| Command::SetWaypoints(self.link.clone(), self.points(design)))
    }

    /// Draws where the waypoint would land, joined to its neighbours on the route.
    pub fn paint(
        &self,
        painter: &Painter,
        design: &Design,
        layout: &Layout,
        to_screen: impl Fn(Pos2) -> Pos2,
        stroke: Stroke,
    ) {
        let Some(route) = layout.routes.get(&self.link) else { return };
        let points = self.points(design);
        let (Some(first), Some(last)) = (route.points.first(), route.points.last()) else { return };
        let landing = at(points[self.index.min(points.len().saturating_sub(1))]);
        let before = self.index.checked_sub(1).and_then(|i| points.get(i)).map_or(*first, |w| at(*w));
        let after = points.get(self.index + 1).map_or(*last, |w| at(*w));
        let line = [to_screen(before), to_screen(landing), to_screen(after)];
        painter.extend(egui::Shape::dashed_line(&line, stroke, 5.0, 4.0));
        handle(painter, to_screen(landing), stroke);
    }
}

/// Draws the waypoints of `link` as small squares (the selected link's handles).
pub fn paint_handles(
    painter: &Painter,
    design: &Design,
    link: &LinkId,
    to_screen: impl Fn(Pos2) -> Pos2,
    stroke: Stroke,
) {
    for w in design.waypoints().get(link).map_or(&[][..], Vec::as_slice) {
        handle(painter, to_screen(at(*w)), stroke);
    }
}

fn handle(painter: &Painter, centre: Pos2, stroke: Stroke) {
    let r = Rect::from_center_size(centre, Vec2::splat(8.0));
    painter.rect_filled(r, 1.0, stroke.color);
    painter.rect_stroke(r.expand(1.5), 1.0, Stroke::new(1.0, stroke.color), egui::StrokeKind::Outside);
}

/// The command a double-click on a waypoint sends: the link without it.
pub fn remove(design: &Design, link: &LinkId, index: usize) -> Option<Command> {
    let mut points = design.waypoints().get(link)?.clone();
    (index < points.len()).then(|| {
        points.remove(index);
        Command::SetWaypoints(link.clone(), points)
    })
}
