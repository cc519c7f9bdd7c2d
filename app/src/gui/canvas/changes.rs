//! The Changes overlay on the canvas (View > Changes since saved…, or compare with a file): links
//! and populations added or changed since the compared version are haloed and badged in the
//! theme's change colours, and links it had that are gone are drawn as dashed ghosts between
//! their ends while both ends are still on the canvas (otherwise the Changes window lists them).
//! Regions and services are outlined by `draw::change_mark`. Each mark carries an accessible
//! label ("Link a → b added", "Removed link x: a → b"), so tests and screen readers find it.

use egui::{Align2, FontId, Pos2, Rect, Sense, Shape, Stroke, Ui, vec2};
use meridian_model::design::{Link, Population};
use meridian_model::diff::Status;
use meridian_model::{LinkId, ServiceId};

use super::draw::Ctx;
use super::layout::{Layout, Route};

/// A link of the compared design that the edited design no longer has, by its ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedLink {
    /// Its id.
    pub id: LinkId,
    /// The service it started from.
    pub from: ServiceId,
    /// The service it went to.
    pub to: ServiceId,
}

fn glyph(status: Status) -> &'static str {
    match status {
        Status::Added => "+",
        Status::Changed => "~",
        Status::Removed => "−",
    }
}

/// A badge at `at` (screen) with an accessible `label`.
fn badge(ui: &Ui, c: &Ctx<'_>, at: Pos2, status: Status, label: &str) {
    let z = c.to_screen.scaling.clamp(0.5, 1.4);
    let r = 8.0 * z;
    c.painter.circle_filled(at, r, c.pal.change(status));
    c.painter.text(at, Align2::CENTER_CENTER, glyph(status), FontId::proportional(12.0 * z), c.pal.on_accent);
    let rect = Rect::from_center_size(at, vec2(2.0 * r, 2.0 * r));
    let resp = ui.interact(rect, ui.scope_id().with(("change-mark", label)), Sense::hover());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, label));
}

/// The point halfway along a polyline.
fn midpoint(points: &[Pos2]) -> Option<Pos2> {
    let total: f32 = points.windows(2).map(|w| w[0].distance(w[1])).sum();
    let mut left = total / 2.0;
    for w in points.windows(2) {
        let d = w[0].distance(w[1]);
        if d >= left && d > 0.0 {
            return Some(w[0] + (w[1] - w[0]) * (left / d));
        }
        left -= d;
    }
    points.first().copied()
}

/// Haloes link `l`, added or changed, along its `route` (under the cards; [`badges`] badges it
/// above them).
pub fn link(c: &Ctx<'_>, route: &Route, status: Status) {
    let pts: Vec<Pos2> = route.points.iter().map(|p| c.to_screen.mul_pos(*p)).collect();
    if pts.len() < 2 {
        return;
    }
    let width = 7.0 * c.to_screen.scaling.clamp(0.6, 1.6);
    c.painter.add(Shape::line(pts, Stroke::new(width, c.pal.change(status).gamma_multiply(0.35))));
}

/// Badges every added or changed link at the middle of its route, and every removed link whose
/// ends are on the canvas at the middle of its ghost: drawn after the cards, so none hides one.
pub fn badges<'a>(
    ui: &Ui,
    c: &Ctx<'_>,
    layout: &Layout,
    links: impl Iterator<Item = (&'a Link, Status)>,
    removed: &[RemovedLink],
) {
    for (l, status) in links {
        let Some(route) = layout.routes.get(&l.id) else { continue };
        let pts: Vec<Pos2> = route.points.iter().map(|p| c.to_screen.mul_pos(*p)).collect();
        if let Some(mid) = midpoint(&pts) {
            badge(ui, c, mid, status, &format!("Link {} → {} {}", l.from, l.to, status.label()));
        }
    }
    for r in removed {
        if let Some((from, to)) = ghost_ends(c, layout, r) {
            let label = format!("Removed link {}: {} → {}", r.id, r.from, r.to);
            badge(ui, c, from.lerp(to, 0.5), Status::Removed, &label);
        }
    }
}

/// Where a removed link's ghost runs on screen: from the edge of one end's card to the edge of
/// the other's, along the line between their centres; `None` when an end is gone.
fn ghost_ends(c: &Ctx<'_>, layout: &Layout, r: &RemovedLink) -> Option<(Pos2, Pos2)> {
    let (a, b) = (layout.services.get(&r.from)?, layout.services.get(&r.to)?);
    let (a, b) = (c.to_screen.mul_rect(*a), c.to_screen.mul_rect(*b));
    Some((clip(a, b.center()), clip(b, a.center())))
}

/// Draws each removed link whose two ends are still on the canvas as a dashed ghost.
pub fn removed_links(c: &Ctx<'_>, layout: &Layout, removed: &[RemovedLink]) {
    let z = c.to_screen.scaling.clamp(0.6, 1.6);
    let stroke = Stroke::new(2.0 * z, c.pal.change(Status::Removed));
    for r in removed {
        if let Some((from, to)) = ghost_ends(c, layout, r) {
            c.painter.extend(Shape::dashed_line(&[from, to], stroke, 6.0 * z, 5.0 * z));
        }
    }
}

/// Where the segment from `rect`'s centre towards `toward` leaves `rect`.
fn clip(rect: Rect, toward: Pos2) -> Pos2 {
    let c = rect.center();
    let d = toward - c;
    if d.length() <= f32::EPSILON {
        return c;
    }
    let tx = if d.x.abs() > f32::EPSILON { rect.width() / 2.0 / d.x.abs() } else { f32::INFINITY };
    let ty = if d.y.abs() > f32::EPSILON { rect.height() / 2.0 / d.y.abs() } else { f32::INFINITY };
    c + d * tx.min(ty).min(1.0)
}

/// Marks population `p`, added or changed, at `at` (canvas units): a ring and a badge.
pub fn population(ui: &Ui, c: &Ctx<'_>, at: Pos2, p: &Population, status: Status) {
    let centre = c.to_screen.mul_pos(at);
    let z = c.to_screen.scaling.clamp(0.35, 1.6);
    let r = crate::gui::theme::size::POPULATION_R * z;
    c.painter.circle_stroke(centre, r + 5.0, Stroke::new(2.5, c.pal.change(status)));
    badge(ui, c, centre + vec2(r, -r), status, &format!("Population {} {}", p.name, status.label()));
}

#[cfg(test)]
mod tests {
    use egui::pos2;

    use super::*;

    #[test]
    fn the_middle_of_a_bent_route_and_the_edge_of_a_card() {
        let pts = [pos2(0.0, 0.0), pos2(10.0, 0.0), pos2(10.0, 10.0)];
        assert_eq!(midpoint(&pts), Some(pos2(10.0, 0.0)));
        let card = Rect::from_center_size(pos2(0.0, 0.0), vec2(20.0, 10.0));
        assert_eq!(clip(card, pos2(100.0, 0.0)), pos2(10.0, 0.0));
        assert_eq!(clip(card, pos2(0.0, -50.0)), pos2(0.0, -5.0));
    }
}
