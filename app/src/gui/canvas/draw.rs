//! Painting the canvas: map, regions, the global band, service cards, links and populations.
//!
//! Everything is laid out in canvas units (see `layout.rs`) and painted in screen points through
//! `to_screen`. Shapes outside the view are culled, and labels are dropped at low zoom, so large
//! designs stay fast.

#![allow(clippy::many_single_char_names)] // Geometry reads best with x, y, r, a, b, c.

use egui::emath::TSTransform;
use egui::{
    Align2, Color32, CornerRadius, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, pos2, vec2,
};
use meridian_model::Catalog;
use meridian_model::design::{Link, LinkKindTag, Population, Service};

use super::card_text;
use crate::gui::icons;
use crate::gui::theme::{Palette, size};
use meridian_assess::canvas_layout::Route;
pub use meridian_assess::canvas_layout::link_label;
use meridian_assess::canvas_routes::LABEL_FONT;

/// What a painter needs for one frame.
pub struct Ctx<'a> {
    /// Where to paint.
    pub painter: &'a Painter,
    /// Canvas units to screen points.
    pub to_screen: TSTransform,
    /// The visible part of the canvas, in canvas units.
    pub visible: Rect,
    /// Colours.
    pub pal: Palette,
    /// The catalog, for kinds and regions.
    pub catalog: &'a Catalog,
    /// The rasterised service icons.
    pub icons: icons::Textures,
}

impl Ctx<'_> {
    fn zoom(&self) -> f32 {
        self.to_screen.scaling
    }

    /// Whether text is worth drawing at this zoom.
    pub fn labels(&self) -> bool {
        self.zoom() >= 0.42
    }

    fn font(&self, points: f32) -> FontId {
        FontId::proportional(points * self.zoom())
    }

    fn rect(&self, r: Rect) -> Rect {
        self.to_screen.mul_rect(r)
    }

    fn pos(&self, p: Pos2) -> Pos2 {
        self.to_screen.mul_pos(p)
    }

    fn rounding(&self) -> CornerRadius {
        CornerRadius::same((size::ROUNDING * self.zoom()).clamp(0.0, 255.0) as u8)
    }
}

/// Paints the background: a dot grid (schematic) or nothing (the map paints itself).
pub fn background(c: &Ctx<'_>, screen: Rect, dots: bool) {
    c.painter.rect_filled(screen, 0.0, c.pal.canvas_bg);
    if !dots || c.zoom() < 0.3 {
        return;
    }
    let step = 40.0;
    let v = c.visible;
    let mut x = (v.left() / step).floor() * step;
    let r = (1.2 * c.zoom()).max(0.8);
    while x < v.right() {
        let mut y = (v.top() / step).floor() * step;
        while y < v.bottom() {
            c.painter.circle_filled(c.pos(pos2(x, y)), r, c.pal.grid);
            y += step;
        }
        x += step;
    }
}

/// Paints the world map: coastlines and a 30-degree graticule.
pub fn world_map(c: &Ctx<'_>) {
    let graticule = Stroke::new(1.0, c.pal.grid);
    for lon in (-180..=180).step_by(30) {
        let a = super::layout::project(f64::from(lon), 85.0);
        let b = super::layout::project(f64::from(lon), -85.0);
        c.painter.line_segment([c.pos(a), c.pos(b)], graticule);
    }
    for lat in (-60..=60).step_by(30) {
        let a = super::layout::project(-180.0, f64::from(lat));
        let b = super::layout::project(180.0, f64::from(lat));
        c.painter.line_segment([c.pos(a), c.pos(b)], graticule);
    }
    let coast = Stroke::new(1.4, c.pal.coast);
    for line in super::map::coastlines() {
        let bbox = Rect::from_points(line);
        if !bbox.intersects(c.visible) {
            continue;
        }
        let pts: Vec<Pos2> = line.iter().map(|p| c.pos(*p)).collect();
        c.painter.add(Shape::line(pts, coast));
    }
}

/// What a region container shows in its header.
pub struct RegionHeader<'a> {
    /// Region code, e.g. `us-east-1`.
    pub code: &'a str,
    /// City, e.g. `Northern Virginia`.
    pub city: &'a str,
    /// Jurisdiction badge, e.g. `EU`.
    pub jurisdiction: &'a str,
    /// AZs used.
    pub azs: usize,
}

/// Paints a region container (or the global band, with `header.jurisdiction` empty).
pub fn container(c: &Ctx<'_>, rect: Rect, header: &RegionHeader<'_>, fill: Color32, stroke: Stroke) {
    let r = c.rect(rect);
    c.painter.rect(r, c.rounding(), fill, stroke, StrokeKind::Inside);
    if !c.labels() {
        return;
    }
    let z = c.zoom();
    let pad = size::REGION_PAD * z;
    let mid = r.top() + size::REGION_HEADER * 0.5 * z;
    let code = c.painter.text(
        pos2(r.left() + pad, mid),
        Align2::LEFT_CENTER,
        header.code,
        FontId::proportional(16.0 * z),
        c.pal.text,
    );
    c.painter.text(
        pos2(code.right() + 8.0 * z, mid + 1.0 * z),
        Align2::LEFT_CENTER,
        header.city,
        c.font(12.5),
        c.pal.text_weak,
    );
    let mut right = r.right() - pad;
    if header.azs > 0 {
        let az = c.painter.text(
            pos2(right, mid),
            Align2::RIGHT_CENTER,
            format!("{} AZ", header.azs),
            c.font(12.0),
            c.pal.text_weak,
        );
        right = az.left() - 8.0 * z;
    }
    if !header.jurisdiction.is_empty() {
        let galley = c.painter.layout_no_wrap(header.jurisdiction.to_owned(), c.font(11.5), c.pal.on_accent);
        let badge = Rect::from_min_size(
            pos2(right - galley.size().x - 12.0 * z, mid - galley.size().y / 2.0 - 2.0 * z),
            galley.size() + vec2(12.0 * z, 4.0 * z),
        );
        c.painter.rect_filled(
            badge,
            CornerRadius::same((badge.height() / 2.0) as u8),
            c.pal.jurisdiction(header.jurisdiction),
        );
        c.painter.galley(badge.min + vec2(6.0 * z, 2.0 * z), galley, c.pal.on_accent);
    }
}

/// A short description of a service's key configuration, e.g. `6 × 1 vCPU / 2 GiB`.
pub fn config_summary(s: &Service) -> String {
    let c = &s.config;
    let mut parts = Vec::new();
    match (&c.instance_type, c.vcpu, c.memory_gib) {
        (Some(t), _, _) => parts.push(format!("{} × {t}", c.count)),
        (None, Some(v), Some(m)) => parts.push(format!("{} × {v} vCPU / {m} GiB", c.count)),
        (None, None, Some(m)) => parts.push(format!("{m} GiB")),
        _ if c.count > 1 => parts.push(format!("× {}", c.count)),
        _ if c.count == 0 => parts.push("scaled to 0".to_owned()),
        _ => {}
    }
    if let Some(gb) = c.storage_gb {
        parts.push(if gb >= 1000.0 { format!("{:.1} TB", gb / 1000.0) } else { format!("{gb:.0} GB") });
    }
    if let Some(e) = &c.engine {
        parts.push(e.clone());
    }
    parts.join(" · ")
}

/// How a card is highlighted.
#[allow(clippy::struct_excessive_bools)] // Independent flags, combined freely.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Highlight {
    /// Selected.
    pub selected: bool,
    /// Under the pointer.
    pub hovered: bool,
    /// Has warnings.
    pub warning: bool,
    /// Down in the simulation timeline, or otherwise marked failed.
    pub failed: bool,
}

/// Paints a service card.
pub fn card(c: &Ctx<'_>, rect: Rect, s: &Service, h: Highlight) {
    let r = c.rect(rect);
    let kind = c.catalog.kind(s.kind);
    let accent = c.pal.category(kind.category);
    let stroke = if h.selected {
        c.pal.selected_stroke()
    } else if h.failed {
        Stroke::new(2.0, c.pal.error)
    } else if h.hovered {
        Stroke::new(1.5, c.pal.selection.gamma_multiply(0.7))
    } else {
        Stroke::new(1.0, c.pal.card_stroke)
    };
    if !c.labels() {
        c.painter.rect_filled(r, 2.0, accent.gamma_multiply(0.8));
        if h.selected {
            c.painter.rect_stroke(r, 2.0, stroke, StrokeKind::Outside);
        }
        return;
    }
    let z = c.zoom();
    c.painter.rect(r, c.rounding(), c.pal.card_fill, stroke, StrokeKind::Inside);
    let detail = {
        let k = kind.short.as_str();
        let cfg = config_summary(s);
        if cfg.is_empty() { k.to_owned() } else { format!("{k} · {cfg}") }
    };
    let t = card_text::layout(c.painter, r, z, &s.name, &detail, h.warning, c.pal.text, c.pal.text_weak);
    icons::paint(c.painter, &c.icons, t.icon, kind, &c.pal);
    // Text never leaves its card, whatever the zoom.
    let inside = c.painter.with_clip_rect(r.intersect(c.painter.clip_rect()));
    inside.galley(t.title.0, t.title.1, c.pal.text);
    if let Some((at, g)) = t.detail {
        inside.galley(at, g, c.pal.text_weak);
    }
    if let Some((at, radius)) = t.badge {
        c.painter.circle_filled(at, radius, c.pal.warning);
        c.painter.text(at, Align2::CENTER_CENTER, "!", FontId::proportional(radius * 1.6), c.pal.on_warning);
    }
}

/// Marks a card or region changed since the version compared with: an outline in the change's
/// colour and a badge in its top left corner (`+` added, `~` changed).
pub fn change_mark(c: &Ctx<'_>, rect: Rect, status: meridian_model::diff::Status) {
    let r = c.rect(rect);
    let color = c.pal.change(status);
    c.painter.rect_stroke(r.expand(3.0), c.rounding(), Stroke::new(2.5, color), StrokeKind::Outside);
    let z = c.zoom().max(0.5);
    let at = pos2(r.left(), r.top());
    c.painter.circle_filled(at, 8.0 * z, color);
    let glyph = match status {
        meridian_model::diff::Status::Added => "+",
        meridian_model::diff::Status::Changed => "~",
        meridian_model::diff::Status::Removed => "-",
    };
    c.painter.text(at, Align2::CENTER_CENTER, glyph, FontId::proportional(12.0 * z), c.pal.on_accent);
}

/// How a link is drawn: its colour and stroke width, by kind, warning and selection.
fn link_stroke(c: &Ctx<'_>, tag: LinkKindTag, selected: bool, warning: bool) -> Stroke {
    let color = if warning {
        c.pal.warning
    } else if selected {
        c.pal.selection
    } else {
        c.pal.link(tag)
    };
    let width = match tag {
        LinkKindTag::Routing => 2.0,
        LinkKindTag::Replication => 1.8,
        _ => 1.3,
    } * c.zoom().clamp(0.6, 1.6)
        + if selected { 1.5 } else { 0.0 };
    Stroke::new(width, color)
}

/// Paints a link along its route: the line (dashed for replication and backup), a dot at the
/// source port and an arrowhead at the target port. Labels are painted by [`link_label_box`].
pub fn link(c: &Ctx<'_>, route: &Route, l: &Link, selected: bool, warning: bool) {
    if !route.bounds.intersects(c.visible) || route.points.len() < 2 {
        return;
    }
    let tag = l.kind.tag();
    let stroke = link_stroke(c, tag, selected, warning);
    let pts: Vec<Pos2> = route.points.iter().map(|p| c.pos(*p)).collect();
    if !c.labels() {
        c.painter.add(Shape::line(pts, stroke));
        return;
    }
    let dashed = matches!(tag, LinkKindTag::Replication | LinkKindTag::Backup);
    if dashed {
        let (dash, gap) = if tag == LinkKindTag::Backup { (2.0, 4.0) } else { (8.0, 5.0) };
        c.painter.extend(Shape::dashed_line(&pts, stroke, dash * c.zoom().max(0.6), gap * c.zoom().max(0.6)));
    } else {
        c.painter.add(Shape::line(pts.clone(), stroke));
    }
    let head = 9.0 * c.zoom().clamp(0.6, 1.4);
    c.painter.circle_filled(pts[0], (head * 0.3).max(2.0), stroke.color);
    // Arrowhead at the target port, pointing into the card.
    let b = pts[pts.len() - 1];
    let dir = route.end_direction();
    let normal = vec2(-dir.y, dir.x);
    c.painter.add(Shape::convex_polygon(
        vec![b, b - dir * head + normal * head * 0.5, b - dir * head - normal * head * 0.5],
        stroke.color,
        Stroke::NONE,
    ));
}

/// Paints a link's label in its box from the layout (clear of cards and other labels); returns
/// the box on screen if it was painted.
pub fn link_label_box(c: &Ctx<'_>, route: &Route, l: &Link, selected: bool, warning: bool) -> Option<Rect> {
    let label = route.label.as_ref()?;
    if !c.labels() || c.zoom() < 0.6 || !label.rect.intersects(c.visible) {
        return None;
    }
    let stroke = link_stroke(c, l.kind.tag(), selected, warning);
    let bg = c.rect(label.rect);
    c.painter.rect(
        bg,
        4.0 * c.zoom(),
        c.pal.canvas_bg.gamma_multiply(0.94),
        Stroke::new(1.0, stroke.color.gamma_multiply(0.5)),
        StrokeKind::Inside,
    );
    c.painter.text(bg.center(), Align2::CENTER_CENTER, &label.text, c.font(LABEL_FONT), stroke.color);
    Some(bg)
}

/// Paints a user population marker with its name and rate.
pub fn population(c: &Ctx<'_>, at: Pos2, p: &Population, selected: bool) {
    let centre = c.pos(at);
    let z = c.zoom().clamp(0.35, 1.6);
    let r = size::POPULATION_R * z;
    c.painter.circle_filled(centre, r, c.pal.population);
    if selected {
        c.painter.circle_stroke(centre, r + 3.0, c.pal.selected_stroke());
    }
    // A person: head and shoulders.
    c.painter.circle_filled(centre - vec2(0.0, r * 0.32), r * 0.28, c.pal.on_accent);
    c.painter.add(Shape::convex_polygon(
        vec![
            centre + vec2(-r * 0.5, r * 0.55),
            centre + vec2(-r * 0.35, r * 0.08),
            centre + vec2(r * 0.35, r * 0.08),
            centre + vec2(r * 0.5, r * 0.55),
        ],
        c.pal.on_accent,
        Stroke::NONE,
    ));
    if c.labels() || selected {
        let name = c.painter.text(
            centre + vec2(0.0, r + 4.0),
            Align2::CENTER_TOP,
            &p.name,
            FontId::proportional(13.0 * z),
            c.pal.text,
        );
        c.painter.text(
            pos2(centre.x, name.bottom() + 1.0),
            Align2::CENTER_TOP,
            format!("{:.0} req/s · {:.0}% writes", p.requests_per_sec, p.write_fraction * 100.0),
            FontId::proportional(11.0 * z),
            c.pal.text_weak,
        );
    }
}

/// Paints a line from a population to a card or region it reaches (dashed, in the population
/// colour), around the `obstacles` (containers other than the target's) where it can be.
pub fn population_line(c: &Ctx<'_>, from: Pos2, to: Rect, strong: bool, obstacles: &[Rect]) {
    let path = meridian_assess::canvas_routes::population_path(from, to, obstacles);
    let pts: Vec<Pos2> = path.iter().map(|p| c.pos(*p)).collect();
    let color = if strong { c.pal.population } else { c.pal.population.gamma_multiply(0.35) };
    c.painter.extend(Shape::dashed_line(&pts, Stroke::new(if strong { 1.6 } else { 1.0 }, color), 6.0, 4.0));
    if let Some(end) = pts.last() {
        c.painter.circle_filled(*end, if strong { 3.0 } else { 2.0 }, color);
    }
}

/// The point where the segment from `outside` to the centre of `rect` crosses its edge.
fn clamp_to_rect(rect: Rect, outside: Pos2) -> Option<Pos2> {
    let c = rect.center();
    let d = outside - c;
    if d.x == 0.0 && d.y == 0.0 {
        return None;
    }
    let tx = if d.x.abs() > 0.0 { (rect.width() / 2.0) / d.x.abs() } else { f32::INFINITY };
    let ty = if d.y.abs() > 0.0 { (rect.height() / 2.0) / d.y.abs() } else { f32::INFINITY };
    Some(c + d * tx.min(ty).min(1.0))
}

/// Paints the connection handle on the right edge of a card.
pub fn handle(c: &Ctx<'_>, rect: Rect, hot: bool) {
    let at = c.pos(pos2(rect.right(), rect.center().y));
    let r = if hot { 7.0 } else { 5.5 };
    c.painter.circle(at, r, c.pal.card_fill, Stroke::new(2.0, c.pal.selection));
}

/// The screen position of a card's connection handle and its grab radius, in canvas units.
pub fn handle_pos(rect: Rect) -> (Pos2, f32) {
    (pos2(rect.right(), rect.center().y), 10.0)
}

/// Paints a dot at a region's real location and a leader line to its container (geographic view).
pub fn anchor(c: &Ctx<'_>, anchor: Pos2, container: Rect) {
    let a = c.pos(anchor);
    if let Some(edge) = clamp_to_rect(container, anchor) {
        c.painter.line_segment([a, c.pos(edge)], Stroke::new(1.0, c.pal.region_stroke.gamma_multiply(0.7)));
    }
    c.painter.circle(a, 4.0, c.pal.region_stroke, Stroke::new(1.5, c.pal.canvas_bg));
}
