//! Notes and group boxes on the schematic canvas: painted (boxes translucent and titled behind the
//! cards, notes as sticky notes above them), picked, moved by dragging and resized by their right
//! edge, bottom edge or corner; a finished drag is one `UpdateAnnotation`, so one undo step.
//! Geometry, colours and text wrapping are [`meridian_assess::canvas_annotations`]'s, which the
//! design picture uses too.

use std::collections::BTreeSet;

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, Vec2, vec2};
use meridian_assess::canvas_annotations::{
    self as geo, FONT, GROUP_FILL_ALPHA, LINE_H, PAD, annotation_at, rect_of,
};
use meridian_model::design::{Annotation, AnnotationKind};
use meridian_model::{AnnotationId, Command, Design, EntityRef};

use super::draw::Ctx;
use super::layout::Layout;
use super::resize::Edges;
use crate::gui::theme::Palette;

/// How near an annotation's edge a press grabs it, in screen points.
const EDGE_GRAB: f32 = 6.0;
/// The grid annotations snap to, in canvas units (the cards' grid).
const GRID: f32 = 10.0;

/// A drag of an annotation in progress: moving it, or resizing it by some of its edges.
#[derive(Debug, Clone)]
pub struct AnnotationDrag {
    /// The annotation dragged.
    pub id: AnnotationId,
    /// `None`: moving; else the edges that follow the pointer.
    pub edges: Option<Edges>,
    /// The annotation when the drag started.
    pub start: Rect,
    /// Where the drag started (canvas units).
    pub grab: Pos2,
    /// Where the pointer is (canvas units).
    pub now: Pos2,
}

/// The annotation edge (or corner) under `at`, if a press there resizes an annotation.
pub fn edge_at(design: &Design, at: Pos2, zoom: f32) -> Option<(AnnotationId, Edges)> {
    let tol = EDGE_GRAB / zoom;
    design
        .annotations()
        .filter_map(|a| {
            let r = rect_of(a);
            let within_y = at.y >= r.top() - tol && at.y <= r.bottom() + tol;
            let within_x = at.x >= r.left() - tol && at.x <= r.right() + tol;
            let near = |edge: f32, v: f32| (v - edge).abs() <= tol;
            let edges = Edges {
                left: within_y && near(r.left(), at.x),
                right: within_y && near(r.right(), at.x),
                top: within_x && near(r.top(), at.y),
                bottom: within_x && near(r.bottom(), at.y),
            };
            // A side shorter than twice the grab zone: the right and bottom edges win.
            let edges = Edges { left: edges.left && !edges.right, top: edges.top && !edges.bottom, ..edges };
            (edges.left || edges.right || edges.top || edges.bottom).then(|| (a.id.clone(), edges))
        })
        // The last in id order is drawn on top.
        .last()
}

/// The annotation a click at `at` picks (a note anywhere, a box by its title strip).
pub fn pick(design: &Design, at: Pos2) -> Option<EntityRef> {
    annotation_at(design, at).map(|a| EntityRef::Annotation(a.id.clone()))
}

impl AnnotationDrag {
    /// The drag a press at `at` starts: resizing by an edge, else moving the annotation under it.
    pub fn start(design: &Design, at: Pos2, zoom: f32) -> Option<AnnotationDrag> {
        let (id, edges) = match edge_at(design, at, zoom) {
            Some((id, edges)) => (id, Some(edges)),
            None => (annotation_at(design, at)?.id.clone(), None),
        };
        let start = rect_of(design.annotation(&id)?);
        Some(AnnotationDrag { id, edges, start, grab: at, now: at })
    }

    /// The annotation's rectangle if the drag ended now, on the grid; a resize never goes below
    /// [`Annotation::MIN_SIDE`], and the edges not dragged stay where they are.
    pub fn rect(&self) -> Rect {
        let d = self.now - self.grab;
        let snap = |v: f32| (v / GRID).round() * GRID;
        match self.edges {
            None => Rect::from_min_size(
                egui::pos2(snap(self.start.min.x + d.x), snap(self.start.min.y + d.y)),
                self.start.size(),
            ),
            Some(edges) => {
                let least = Annotation::MIN_SIDE as f32;
                let from = self.start;
                let (mut left, mut top) = (from.left(), from.top());
                let (mut width, mut height) = (from.width(), from.height());
                if edges.right {
                    width = snap(from.width() + d.x).max(least);
                } else if edges.left {
                    width = snap(from.width() - d.x).max(least);
                    left = from.right() - width;
                }
                if edges.bottom {
                    height = snap(from.height() + d.y).max(least);
                } else if edges.top {
                    height = snap(from.height() - d.y).max(least);
                    top = from.bottom() - height;
                }
                Rect::from_min_size(egui::pos2(left, top), vec2(width, height))
            }
        }
    }

    /// The command the finished drag sends: `None` when nothing moved.
    pub fn command(&self, design: &Design) -> Option<Command> {
        let r = self.rect();
        if (r.min - self.start.min).length() < 0.5 && (r.size() - self.start.size()).length() < 0.5 {
            return None;
        }
        let mut a = design.annotation(&self.id)?.clone();
        // On the grid; the model refuses anything past its bounds with a reason.
        a.x = r.min.x.round() as i32;
        a.y = r.min.y.round() as i32;
        a.width = r.width().round() as u32;
        a.height = r.height().round() as u32;
        Some(Command::UpdateAnnotation(a))
    }

    /// The outline of the annotation where the drag would leave it.
    pub fn paint(&self, c: &Ctx<'_>) {
        c.painter.rect_stroke(
            c.to_screen.mul_rect(self.rect()),
            6.0,
            Stroke::new(2.0, c.pal.selection),
            StrokeKind::Inside,
        );
    }
}

/// The commands moving every selected annotation by `delta` canvas units (an arrow-key nudge):
/// one `UpdateAnnotation` each, sent in one batch with the cards' moves (one undo step).
pub fn nudge(design: &Design, selection: &BTreeSet<EntityRef>, delta: Vec2) -> Vec<Command> {
    selection
        .iter()
        .filter_map(|e| if let EntityRef::Annotation(id) = e { design.annotation(id) } else { None })
        .map(|a| {
            let mut a = a.clone();
            // Grid steps (10 or 50 units): whole numbers; the model refuses a corner past its bounds.
            a.x = a.x.saturating_add(delta.x.round() as i32);
            a.y = a.y.saturating_add(delta.y.round() as i32);
            Command::UpdateAnnotation(a)
        })
        .collect()
}

/// Space kept between a new annotation and what it must not cover, in canvas units.
const CLEARANCE: f32 = 20.0;

/// Where a new annotation of `size` goes: the free spot of `view` nearest the view's centre,
/// covering no region, global band, card, population or other annotation (with
/// [`CLEARANCE`] around it), nor the screen furniture in `avoid` (minimap, legend); spots are
/// tried on a grid, nearest first, ties broken top to bottom then left to right, so the same
/// design and view always give the same spot. With no free spot in view, or no view: just right
/// of everything, level with the top of the design. Returns the rectangle and whether it lies
/// in `view`.
pub fn free_spot(layout: &Layout, view: Option<Rect>, avoid: &[Rect], size: Vec2) -> (Rect, bool) {
    let snap_up = |v: f32| (v / GRID).ceil() * GRID;
    if let Some(view) = view.filter(Rect::is_positive) {
        let inner = view.shrink(CLEARANCE);
        let obstacles: Vec<Rect> = layout
            .regions
            .values()
            .chain(layout.services.values())
            .chain(layout.annotations.values())
            .copied()
            .chain(std::iter::once(layout.global_band).filter(Rect::is_positive))
            .chain(layout.populations.values().map(|p| Rect::from_center_size(*p, Vec2::splat(40.0))))
            .chain(avoid.iter().copied())
            .map(|r| r.expand(CLEARANCE))
            .filter(|r| r.intersects(inner))
            .collect();
        // About 48 columns across the view, on the grid.
        let step = snap_up(inner.width() / 48.0).max(GRID);
        let mut spots = Vec::new();
        let mut y = snap_up(inner.top());
        while y + size.y <= inner.bottom() {
            let mut x = snap_up(inner.left());
            while x + size.x <= inner.right() {
                spots.push(Rect::from_min_size(egui::pos2(x, y), size));
                x += step;
            }
            y += step;
        }
        let centre = view.center();
        spots.sort_by(|a, b| {
            a.center()
                .distance_sq(centre)
                .total_cmp(&b.center().distance_sq(centre))
                .then(a.top().total_cmp(&b.top()))
                .then(a.left().total_cmp(&b.left()))
        });
        if let Some(free) = spots.into_iter().find(|s| !obstacles.iter().any(|o| o.intersects(*s))) {
            return (free, true);
        }
    }
    let b = layout.bounds;
    let at =
        if b.is_positive() { egui::pos2(snap_up(b.right()), snap_up(b.top() + 40.0)) } else { Pos2::ZERO };
    let spot = Rect::from_min_size(at, size);
    (spot, view.is_some_and(|v| v.contains_rect(spot)))
}

fn color32(kind: AnnotationKind, pal: &Palette) -> Color32 {
    pal.annotation(kind)
}

/// Paints the group boxes (before the links and cards, which go over them).
pub fn paint_groups(
    ui: &Ui,
    c: &Ctx<'_>,
    design: &Design,
    selection: &std::collections::BTreeSet<EntityRef>,
) {
    let zoom = c.to_screen.scaling;
    for a in design.annotations().filter(|a| a.kind != AnnotationKind::Note) {
        let r = rect_of(a);
        if !r.intersects(c.visible) {
            continue;
        }
        let colour = color32(a.kind, &c.pal);
        let selected = selection.contains(&EntityRef::Annotation(a.id.clone()));
        let screen = c.to_screen.mul_rect(r);
        c.painter.rect_filled(screen, 10.0 * zoom, colour.gamma_multiply(GROUP_FILL_ALPHA));
        let stroke = if selected { c.pal.selected_stroke() } else { Stroke::new(1.8, colour) };
        let outline = egui::Shape::dashed_line(
            &[
                screen.left_top(),
                screen.right_top(),
                screen.right_bottom(),
                screen.left_bottom(),
                screen.left_top(),
            ],
            stroke,
            10.0 * zoom.max(0.3),
            5.0 * zoom.max(0.3),
        );
        if selected {
            c.painter.rect_stroke(screen, 10.0 * zoom, stroke, StrokeKind::Inside);
        } else {
            c.painter.extend(outline);
        }
        let strip = c.to_screen.mul_rect(geo::grab_area(a.kind, r));
        if c.labels() {
            let title = geo::group_title(a);
            let font = FontId::proportional(FONT * zoom);
            let galley = c.painter.layout_no_wrap(title.clone(), font, colour);
            let clip = c.painter.with_clip_rect(strip.shrink(2.0).intersect(c.painter.clip_rect()));
            let y = strip.center().y - galley.size().y / 2.0;
            clip.galley(egui::pos2(strip.left() + PAD * zoom, y), galley, colour);
            label(ui, strip, &a.id, &format!("Box {title}"));
        }
    }
}

/// Paints the notes (after the cards, which they cover).
pub fn paint_notes(ui: &Ui, c: &Ctx<'_>, design: &Design, selection: &std::collections::BTreeSet<EntityRef>) {
    let zoom = c.to_screen.scaling;
    for a in design.annotations().filter(|a| a.kind == AnnotationKind::Note) {
        let r = rect_of(a);
        if !r.intersects(c.visible) {
            continue;
        }
        let screen = c.to_screen.mul_rect(r);
        let paper = color32(a.kind, &c.pal);
        let (ink, edge, shadow) = c.pal.note_ink();
        // A soft shadow, then the paper.
        c.painter.rect_filled(screen.translate(vec2(2.0, 3.0)), 4.0 * zoom, shadow);
        c.painter.rect_filled(screen, 4.0 * zoom, paper);
        let selected = selection.contains(&EntityRef::Annotation(a.id.clone()));
        let stroke = if selected { c.pal.selected_stroke() } else { edge };
        c.painter.rect_stroke(screen, 4.0 * zoom, stroke, StrokeKind::Inside);
        if c.labels() {
            let lines = geo::wrap(&a.text, geo::chars_in(r.width()), geo::lines_in(r.height()));
            let font = FontId::proportional(FONT * zoom);
            let clip = c.painter.with_clip_rect(screen.intersect(c.painter.clip_rect()));
            for (i, line) in lines.iter().enumerate() {
                let at = r.min + vec2(PAD, PAD + i as f32 * LINE_H);
                clip.text(c.to_screen.mul_pos(at), Align2::LEFT_TOP, line, font.clone(), ink);
            }
            label(ui, screen, &a.id, &format!("Note: {}", a.text.lines().next().unwrap_or_default()));
        }
    }
}

/// An accessible label over an annotation, so tests and screen readers find it.
fn label(ui: &Ui, screen: Rect, id: &AnnotationId, name: &str) {
    let resp = ui.interact(screen, ui.scope_id().with(("annotation", id.as_str())), Sense::hover());
    resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
}
