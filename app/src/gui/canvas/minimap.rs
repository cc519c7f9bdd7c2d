//! The minimap: an overview of the whole design in the canvas's corner, with the visible part
//! outlined. Clicking or dragging in it moves the view there.

use egui::emath::TSTransform;
use egui::{Pos2, Rect, Sense, Stroke, StrokeKind, Ui, vec2};

use super::input::CanvasInput;
use super::layout::Layout;
use crate::gui::theme::Palette;

/// Size of the minimap in points.
const SIZE: egui::Vec2 = vec2(170.0, 105.0);

/// Where the minimap goes in `canvas_rect` (bottom right), or `None` when the canvas is too narrow
/// for one. Zoom to fit keeps the design out of this corner.
pub fn area(canvas_rect: Rect) -> Option<Rect> {
    (canvas_rect.width() >= 500.0 && canvas_rect.height() >= SIZE.y * 2.5)
        .then(|| Rect::from_min_size(canvas_rect.max - SIZE - vec2(MARGIN, MARGIN), SIZE))
}

/// Space kept between the minimap and the canvas's edges.
const MARGIN: f32 = 12.0;

/// Shows the minimap in the bottom right of `canvas_rect`; returns the canvas point to centre on.
pub fn minimap_ui(
    ui: &mut Ui,
    canvas_rect: Rect,
    layout: &Layout,
    to_screen: TSTransform,
    input: &CanvasInput<'_>,
) -> Option<Pos2> {
    let bounds = layout.bounds;
    let rect = area(canvas_rect)?;
    if !bounds.is_positive() {
        return None;
    }
    let pal = Palette::of(ui.visuals());
    let painter = ui.painter_at(rect);
    painter.rect(
        rect,
        6.0,
        pal.card_fill.gamma_multiply(0.92),
        Stroke::new(1.0, pal.card_stroke),
        StrokeKind::Inside,
    );
    let inner = rect.shrink(6.0);
    let scale = (inner.size() / bounds.size()).min_elem();
    let map = TSTransform::from_translation(inner.center().to_vec2() - bounds.center().to_vec2() * scale)
        * TSTransform::from_scaling(scale);
    for r in layout.regions.values() {
        painter.rect_filled(map.mul_rect(*r), 2.0, pal.region_stroke.gamma_multiply(0.35));
    }
    painter.rect_filled(map.mul_rect(layout.global_band), 2.0, pal.region_stroke.gamma_multiply(0.25));
    // Individual cards only while they are few enough to tell apart in the minimap.
    let cards = if layout.services.len() <= 1500 { layout.services.iter().collect() } else { Vec::new() };
    for (id, r) in cards {
        let e = meridian_model::EntityRef::Service(id.clone());
        let color = if input.selection.contains(&e) { pal.selection } else { pal.text_weak };
        painter.rect_filled(map.mul_rect(*r), 0.0, color);
    }
    // Group boxes as outlines, notes as their paper (the schematic layout only has them).
    for (id, r) in &layout.annotations {
        let Some(a) = input.design.annotation(id) else { continue };
        let mut colour = pal.annotation(a.kind);
        if input.selection.contains(&meridian_model::EntityRef::Annotation(id.clone())) {
            colour = pal.selection;
        }
        let r = map.mul_rect(*r);
        if a.kind == meridian_model::design::AnnotationKind::Note {
            painter.rect_filled(r, 1.0, colour);
        } else {
            painter.rect_stroke(r, 1.0, Stroke::new(1.0, colour), StrokeKind::Inside);
        }
    }
    for p in layout.populations.values() {
        painter.circle_filled(map.mul_pos(*p), 2.5, pal.population);
    }
    let view = to_screen.inverse().mul_rect(canvas_rect);
    painter.rect_stroke(
        map.mul_rect(view).intersect(inner.expand(2.0)),
        1.0,
        Stroke::new(1.5, pal.selection),
        StrokeKind::Inside,
    );
    let response = ui.interact(rect, ui.scope_id().with("minimap"), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Minimap"));
    let response = response.on_hover_text("Overview: click or drag to move the view");
    if response.clicked() || response.dragged() {
        return response.interact_pointer_pos().map(|p| map.inverse().mul_pos(p));
    }
    None
}
