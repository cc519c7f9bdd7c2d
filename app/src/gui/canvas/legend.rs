//! The legend: one box in the canvas's top left corner explaining link styles, card colours and
//! badges, shown or hidden with View > Show / hide legend (`L`).

use egui::{Align2, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui, pos2, vec2};
use meridian_model::catalog::Category;
use meridian_model::design::LinkKindTag;

use crate::gui::theme::Palette;

/// Card categories, in the order the legend lists their colours.
const CATEGORIES: [Category; 11] = [
    Category::Edge,
    Category::Networking,
    Category::Compute,
    Category::Serverless,
    Category::Integration,
    Category::Database,
    Category::Storage,
    Category::Cache,
    Category::Management,
    Category::MachineLearning,
    Category::Hybrid,
];

const ROW: f32 = 18.0;
const WIDTH: f32 = 236.0;

/// Where the legend goes in `canvas_rect` (top left).
pub fn area(canvas_rect: Rect) -> Rect {
    let rows = 4.0 + 1.0 + (CATEGORIES.len() as f32 / 2.0).ceil() + 1.0 + 5.0;
    Rect::from_min_size(canvas_rect.min + vec2(12.0, 12.0), vec2(WIDTH, rows * ROW + 20.0))
}

/// Shows the legend in the top left of `canvas_rect`.
pub fn legend_ui(ui: &mut Ui, canvas_rect: Rect) {
    let pal = Palette::of(ui.visuals());
    let rect = area(canvas_rect);
    let response = ui.interact(rect, ui.scope_id().with("legend"), Sense::hover());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Group, true, "Legend"));
    let painter = ui.painter_at(rect);
    painter.rect(
        rect,
        6.0,
        pal.card_fill.gamma_multiply(0.95),
        Stroke::new(1.0, pal.card_stroke),
        StrokeKind::Inside,
    );
    let font = FontId::proportional(12.0);
    let mut y = rect.top() + 10.0 + ROW / 2.0;
    let x = rect.left() + 10.0;
    for (tag, name) in [
        (LinkKindTag::Routing, "routing (DNS, CDN, load balancer)"),
        (LinkKindTag::Dependency, "dependency (calls)"),
        (LinkKindTag::Replication, "replication (dashed)"),
        (LinkKindTag::Backup, "backup (dotted)"),
    ] {
        let stroke = Stroke::new(2.0, pal.link(tag));
        let line = [pos2(x, y), pos2(x + 34.0, y)];
        match tag {
            LinkKindTag::Replication => painter.extend(Shape::dashed_line(&line, stroke, 8.0, 5.0)),
            LinkKindTag::Backup => painter.extend(Shape::dashed_line(&line, stroke, 2.0, 4.0)),
            _ => {
                painter.line_segment(line, stroke);
            }
        }
        arrow(&painter, pos2(x + 40.0, y), stroke.color);
        painter.text(pos2(x + 48.0, y), Align2::LEFT_CENTER, name, font.clone(), pal.text);
        y += ROW;
    }
    painter.text(pos2(x, y), Align2::LEFT_CENTER, "Card colour: category", font.clone(), pal.text_weak);
    y += ROW;
    for pair in CATEGORIES.chunks(2) {
        for (k, c) in pair.iter().enumerate() {
            let cx = x + k as f32 * (WIDTH / 2.0 - 4.0);
            painter.rect_filled(
                Rect::from_center_size(pos2(cx + 6.0, y), vec2(12.0, 12.0)),
                3.0,
                pal.category(*c),
            );
            painter.text(pos2(cx + 18.0, y), Align2::LEFT_CENTER, c.label(), font.clone(), pal.text);
        }
        y += ROW;
    }
    painter.text(pos2(x, y), Align2::LEFT_CENTER, "Badges and outlines", font.clone(), pal.text_weak);
    y += ROW;
    painter.circle_filled(pos2(x + 6.0, y), 6.0, pal.warning);
    painter.text(pos2(x + 6.0, y), Align2::CENTER_CENTER, "!", FontId::proportional(10.0), pal.on_warning);
    painter.text(
        pos2(x + 18.0, y),
        Align2::LEFT_CENTER,
        "a problem or a data-law finding",
        font.clone(),
        pal.text,
    );
    y += ROW;
    painter.rect_stroke(
        Rect::from_center_size(pos2(x + 6.0, y), vec2(12.0, 12.0)),
        2.0,
        Stroke::new(2.0, pal.error),
        StrokeKind::Inside,
    );
    painter.text(
        pos2(x + 18.0, y),
        Align2::LEFT_CENTER,
        "down at the timeline's moment",
        font.clone(),
        pal.text,
    );
    y += ROW;
    painter.rect_filled(
        Rect::from_center_size(pos2(x + 9.0, y), vec2(18.0, 12.0)),
        6.0,
        pal.jurisdiction("EU"),
    );
    painter.text(pos2(x + 24.0, y), Align2::LEFT_CENTER, "jurisdiction of a region", font.clone(), pal.text);
    y += ROW;
    for (k, (color, glyph)) in [(pal.added, "+"), (pal.changed, "~")].into_iter().enumerate() {
        let at = pos2(x + 6.0 + k as f32 * 18.0, y);
        painter.circle_filled(at, 7.0, color);
        painter.text(at, Align2::CENTER_CENTER, glyph, FontId::proportional(11.0), pal.on_accent);
    }
    painter.text(
        pos2(x + 42.0, y),
        Align2::LEFT_CENTER,
        "added / changed (View > Changes)",
        font.clone(),
        pal.text,
    );
    y += ROW;
    // A removed link: a dashed ghost between its ends, badged.
    let ghost = [pos2(x, y), pos2(x + 34.0, y)];
    painter.extend(Shape::dashed_line(&ghost, Stroke::new(2.0, pal.removed), 6.0, 5.0));
    painter.circle_filled(pos2(x + 17.0, y), 6.0, pal.removed);
    painter.text(pos2(x + 17.0, y), Align2::CENTER_CENTER, "−", FontId::proportional(10.0), pal.on_accent);
    painter.text(pos2(x + 42.0, y), Align2::LEFT_CENTER, "removed link (View > Changes)", font, pal.text);
}

fn arrow(painter: &egui::Painter, tip: Pos2, color: egui::Color32) {
    painter.add(Shape::convex_polygon(
        vec![tip, tip + vec2(-8.0, -4.0), tip + vec2(-8.0, 4.0)],
        color,
        Stroke::NONE,
    ));
}
