//! The design picture: the schematic canvas as SVG, for the report.
//!
//! Positions come from the designer's own layout ([`crate::canvas_layout::Layout`], schematic
//! view), so the picture matches what the architect drew: regions as containers in their grid
//! cells, services as cards (kind and name) in tiers, global services in a band above, user
//! populations above that, and links along their orthogonal routes
//! ([`crate::canvas_routes`], the canvas's own) styled by kind, with a legend below. Notes and
//! group boxes are drawn as the canvas draws them (`annotations_svg.rs`).

use std::fmt::Write as _;

use emath::{Pos2, Rect, pos2, vec2};
use meridian_model::catalog::Category;
use meridian_model::design::LinkKindTag;
use meridian_model::{Catalog, Design};

use super::svg::{Svg, clip};
use crate::canvas_layout::{Layout, ViewMode, size};
use crate::canvas_routes::LABEL_FONT;
use crate::units::palette;

/// Height of the legend strip under the picture, in canvas units.
const LEGEND_H: f32 = 78.0;
/// The legend needs this much width; narrower designs are widened to it.
const LEGEND_W: f32 = 1180.0;
/// Characters of a service name that fit on a card at the card font size, beside the icon.
const CARD_CHARS: usize = 18;
/// Characters of the kind line that fit beside the icon.
const KIND_CHARS: usize = 21;
/// Side of a card's AWS icon, in canvas units.
const ICON: f32 = 34.0;

/// The style sheet before the links' strokes.
const CSS_HEAD: &str = concat!(
    "text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Ubuntu,sans-serif}",
    ".region{fill:#eaf0f8;stroke:#788ca6;stroke-width:1.5}",
    ".global{fill:#f3eefb;stroke:#9a88c0;stroke-width:1.5;stroke-dasharray:7 5}",
    ".card{fill:#fff;stroke:#b0bac8;stroke-width:1.2}",
    ".tile{fill:#f3f0fc}",
    ".hdr{font-size:19px;font-weight:600;fill:#1c2026}",
    ".sub{font-size:14px;fill:#5a6474}",
    ".name{font-size:15px;font-weight:600;fill:#1c2026}",
    ".kind{font-size:13px;fill:#5a6474}",
    ".l{fill:none}",
);

/// The style sheet after the links' strokes.
const CSS_TAIL: &str = concat!(
    ".lbl{font-size:11px;fill:#2a3038}",
    ".lblbg{fill:#fff;fill-opacity:.92}",
    ".pop{fill:#be2896}",
    ".popline{fill:none;stroke:#be2896;stroke-width:1.4;stroke-dasharray:4 4}",
    ".legend{fill:#fff;stroke:#d0d6de}",
    ".legendbg{fill:#fff}",
    ".lt{font-size:15px;fill:#2a3038}",
);

/// The picture's style sheet: each link kind is stroked in its palette colour.
fn css() -> String {
    let mut css = String::from(CSS_HEAD);
    for (k, style) in [
        (LinkKindTag::Routing, "stroke-width:2.2"),
        (LinkKindTag::Dependency, "stroke-width:1.5"),
        (LinkKindTag::Replication, "stroke-width:2;stroke-dasharray:9 5"),
        (LinkKindTag::Backup, "stroke-width:2;stroke-dasharray:2 4"),
    ] {
        let _ = write!(css, ".{}{{stroke:{};{style}}}", k.label(), link_color(k));
        let _ = write!(css, ".port.{}{{fill:{};stroke:none}}", k.label(), link_color(k));
    }
    css.push_str(CSS_TAIL);
    css.push_str(super::annotations_svg::CSS);
    css
}

/// The colour of a link kind (the palette's, as the designer's light theme).
fn link_color(kind: LinkKindTag) -> String {
    palette::link(kind).hex()
}

/// The colour of a service category (the palette's, as the designer's).
fn category_color(c: Category) -> String {
    palette::category(c).hex()
}

const KINDS: [LinkKindTag; 4] =
    [LinkKindTag::Routing, LinkKindTag::Dependency, LinkKindTag::Replication, LinkKindTag::Backup];

/// The design as a standalone `<svg>` element that scales to the width of its container.
pub fn design_svg(design: &Design, catalog: &Catalog) -> String {
    design_svg_in(design, catalog, None)
}

/// The design picture of the part of the canvas inside `view` (canvas units of the schematic
/// layout; the designer's current view), or of the whole design when `view` is `None`.
pub fn design_svg_in(design: &Design, catalog: &Catalog, view: Option<Rect>) -> String {
    let layout = Layout::compute(design, catalog, ViewMode::Schematic);
    let mut bounds = view.map_or(layout.bounds, |v| v.intersect(layout.bounds.expand(200.0)));
    if !bounds.is_positive() {
        bounds = layout.bounds;
    }
    if bounds.width() < LEGEND_W {
        bounds = Rect::from_center_size(bounds.center(), vec2(LEGEND_W, bounds.height()));
    }
    let view = (bounds.min.x, bounds.min.y, bounds.width(), bounds.height() + LEGEND_H);
    let mut svg = Svg::new(view, &format!("Design picture of {}", design.name()));
    svg.raw(&markers());
    svg.raw(&icon_symbols(design));
    containers(&mut svg, design, catalog, &layout);
    super::annotations_svg::groups(&mut svg, design);
    links(&mut svg, design, &layout);
    cards(&mut svg, design, catalog, &layout);
    super::annotations_svg::notes(&mut svg, design);
    populations(&mut svg, design, &layout);
    legend(&mut svg, pos2(bounds.min.x, bounds.max.y), bounds.width());
    svg.finish(&css())
}

/// Arrowheads, one per link kind, in the kind's colour.
fn markers() -> String {
    let mut defs = String::from("<defs>");
    for k in KINDS {
        let _ = write!(
            defs,
            r#"<marker id="arrow-{}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{}"/></marker>"#,
            k.label(),
            link_color(k)
        );
    }
    defs.push_str("</defs>");
    defs
}

/// One `<symbol>` per AWS icon the design's kinds use ([`crate::icons`]), for the cards' `<use>`.
fn icon_symbols(design: &Design) -> String {
    let kinds: std::collections::BTreeSet<_> = design.services().map(|s| s.kind).collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut defs = String::from("<defs>");
    for kind in kinds {
        let icon = crate::icons::icon(kind);
        let (Some(view_box), Some(body)) = (icon.view_box(), icon.body()) else { continue };
        if seen.insert(icon.file) {
            let _ = write!(defs, r#"<symbol id="{}" viewBox="{view_box}">{body}</symbol>"#, icon.symbol_id());
        }
    }
    defs.push_str("</defs>");
    defs
}

fn containers(svg: &mut Svg, design: &Design, catalog: &Catalog, layout: &Layout) {
    let has_global = design.services().any(|s| s.placement == meridian_model::design::Placement::Global);
    if has_global {
        let b = layout.global_band;
        svg.rect((b.min.x, b.min.y, b.width(), b.height()), size::ROUNDING, "global", None);
        svg.text(b.min.x + size::REGION_PAD, b.min.y + 26.0, "Global services", "hdr", "start");
    }
    for region in design.regions() {
        let Some(r) = layout.regions.get(&region.id) else { continue };
        svg.begin_group(&format!("Region {}", region.id));
        svg.rect((r.min.x, r.min.y, r.width(), r.height()), size::ROUNDING, "region", None);
        let place = catalog.region(region.id.as_str()).map(|i| i.name.clone()).unwrap_or_default();
        svg.text(r.min.x + size::REGION_PAD, r.min.y + 22.0, region.id.as_str(), "hdr", "start");
        let azs = match region.azs.len() {
            0 => String::new(),
            1 => " · 1 AZ".to_owned(),
            n => format!(" · {n} AZs"),
        };
        svg.text(
            r.min.x + size::REGION_PAD,
            r.min.y + 38.0,
            &clip(&format!("{place}{azs}"), 60),
            "sub",
            "start",
        );
        svg.end_group();
    }
}

fn links(svg: &mut Svg, design: &Design, layout: &Layout) {
    for l in design.links() {
        let Some(route) = layout.routes.get(&l.id) else { continue };
        let tag = l.kind.tag();
        let label = route.label.as_ref().map_or(String::new(), |t| format!(" ({})", t.full));
        svg.begin_group(&format!("{} link {}: {} → {}{label}", tag.label(), l.id, l.from, l.to));
        let points: Vec<(f32, f32)> = route.points.iter().map(|p| (p.x, p.y)).collect();
        svg.path(&points, false, &format!("l {}", tag.label()), Some(&format!("arrow-{}", tag.label())));
        if let Some(start) = route.points.first() {
            svg.circle(start.x, start.y, 2.6, &format!("port {}", tag.label()));
        }
        svg.end_group();
    }
    // Labels after every line, so that no line crosses a label.
    for l in design.links() {
        let Some(label) = layout.routes.get(&l.id).and_then(|r| r.label.as_ref()) else { continue };
        let c = label.rect.center();
        if label.shortened() {
            svg.begin_group(&label.full);
        }
        svg.rect(
            (label.rect.min.x, label.rect.min.y, label.rect.width(), label.rect.height()),
            4.0,
            "lblbg",
            None,
        );
        svg.text(c.x, c.y + LABEL_FONT * 0.36, &label.text, "lbl", "middle");
        if label.shortened() {
            svg.end_group();
        }
    }
}

fn cards(svg: &mut Svg, design: &Design, catalog: &Catalog, layout: &Layout) {
    let mut svg_use = String::new();
    for s in design.services() {
        let Some(r) = layout.services.get(&s.id) else { continue };
        let kind = catalog.kind(s.kind);
        let kind_name = &kind.name;
        let color = category_color(kind.category);
        svg.begin_group(&format!("{} ({}), id {}", s.name, kind_name, s.id));
        svg.rect((r.min.x, r.min.y, r.width(), r.height()), size::ROUNDING, "card", None);
        svg.rect((r.min.x, r.min.y, 7.0, r.height()), 3.0, "bar", Some(&format!("fill:{color}")));
        let icon = crate::icons::icon(s.kind);
        let text_x = if icon.body().is_some() {
            let (x, y) = (r.min.x + 14.0, r.center().y - ICON / 2.0);
            if icon.resource {
                svg.rect((x, y, ICON, ICON), 4.0, "tile", None);
            }
            let _ = write!(
                svg_use,
                r##"<use href="#{}" x="{}" y="{}" width="{ICON}" height="{ICON}"/>"##,
                icon.symbol_id(),
                super::svg::num(x),
                super::svg::num(y)
            );
            svg.raw(&std::mem::take(&mut svg_use));
            r.min.x + 14.0 + ICON + 8.0
        } else {
            r.min.x + 16.0
        };
        let count = if s.config.count > 1 { format!(" ×{}", s.config.count) } else { String::new() };
        svg.text(
            text_x,
            r.min.y + 23.0,
            &clip(&format!("{}{count}", kind.short), KIND_CHARS),
            "kind",
            "start",
        );
        svg.text(text_x, r.min.y + 44.0, &clip(&s.name, CARD_CHARS), "name", "start");
        svg.end_group();
    }
}

fn populations(svg: &mut Svg, design: &Design, layout: &Layout) {
    for p in design.populations() {
        let Some(at) = layout.populations.get(&p.id) else { continue };
        if let Some(entry) = p.entry.as_ref().and_then(|e| layout.services.get(e)) {
            let target = pos2(entry.center().x, entry.top());
            let start = *at + vec2(0.0, size::POPULATION_R);
            let bend = ((target.y - start.y) * 0.5).max(20.0);
            let pts = [start, start + vec2(0.0, bend), target - vec2(0.0, bend), target];
            svg.path(&pts.map(|q: Pos2| (q.x, q.y)), true, "popline", None);
        }
        svg.begin_group(&format!("Population {}: {} requests/s", p.name, p.requests_per_sec));
        svg.circle(at.x, at.y, size::POPULATION_R, "pop");
        svg.text(at.x + size::POPULATION_R + 8.0, at.y - 2.0, &clip(&p.name, 28), "name", "start");
        svg.text(
            at.x + size::POPULATION_R + 8.0,
            at.y + 14.0,
            &format!("{} req/s · {:.0}% writes", fmt_rate(p.requests_per_sec), p.write_fraction * 100.0),
            "kind",
            "start",
        );
        svg.end_group();
    }
}

fn fmt_rate(rps: f64) -> String {
    if rps >= 10_000.0 { format!("{:.0}k", rps / 1000.0) } else { format!("{rps:.0}") }
}

/// The legend: one sample of each link style, the population marker and the card colour bar.
fn legend(svg: &mut Svg, top_left: Pos2, width: f32) {
    // A ground of its own, so a cropped view's content below it does not show through.
    svg.rect((top_left.x, top_left.y, width, LEGEND_H), 0.0, "legendbg", None);
    let y = top_left.y + 14.0;
    svg.rect((top_left.x + 20.0, y, width - 40.0, 48.0), 6.0, "legend", None);
    let mut x = top_left.x + 40.0;
    let mid = y + 24.0;
    for k in KINDS {
        svg.path(
            &[(x, mid), (x + 46.0, mid)],
            false,
            &format!("l {}", k.label()),
            Some(&format!("arrow-{}", k.label())),
        );
        svg.text(x + 54.0, mid + 5.0, &format!("{} link", k.label()), "lt", "start");
        x += 200.0;
    }
    svg.circle(x + 8.0, mid, 8.0, "pop");
    svg.text(x + 22.0, mid + 5.0, "user population", "lt", "start");
    x += 170.0;
    svg.rect((x, mid - 10.0, 7.0, 20.0), 2.0, "bar", Some("fill:#285adc"));
    svg.text(x + 14.0, mid + 5.0, "card colour = category", "lt", "start");
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_model::format;

    fn example(name: &str) -> Design {
        let catalog = Catalog::builtin().unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        format::load_file(&path, catalog).unwrap().design
    }

    #[test]
    fn every_region_service_and_population_is_drawn() {
        let catalog = Catalog::builtin().unwrap();
        let design = example("active-active-2region.ron");
        let svg = design_svg(&design, catalog);
        for r in design.regions() {
            assert!(svg.contains(&format!(">{}</text>", r.id)), "region {} missing", r.id);
        }
        for s in design.services() {
            assert!(svg.contains(&format!("id {}</title>", s.id)), "service {} missing", s.id);
        }
        for p in design.populations() {
            assert!(svg.contains(&format!("Population {}:", p.name)), "population {} missing", p.id);
        }
        // Every link and the four legend samples; one line per population with an entry.
        assert_eq!(svg.matches(r#"class="l "#).count(), design.links().len() + 4);
        let pop_lines = design.populations().filter(|p| p.entry.is_some()).count();
        assert_eq!(svg.matches(r#"class="popline""#).count(), pop_lines);
    }

    #[test]
    fn each_link_kind_has_its_own_style_and_arrow() {
        let catalog = Catalog::builtin().unwrap();
        let design = example("active-active-2region.ron");
        let svg = design_svg(&design, catalog);
        for k in KINDS {
            assert!(svg.contains(&format!(r#"<marker id="arrow-{}""#, k.label())));
            assert!(svg.contains(&format!(".{}{{stroke:{}", k.label(), link_color(k))));
        }
        for l in design.links() {
            let class = format!(
                r#"class="l {}" marker-end="url(#arrow-{})""#,
                l.kind.tag().label(),
                l.kind.tag().label()
            );
            assert!(svg.contains(&class), "link {} not drawn as {}", l.id, l.kind.tag().label());
        }
    }

    #[test]
    fn names_with_markup_characters_are_escaped() {
        use meridian_model::{Command, apply};
        let catalog = Catalog::builtin().unwrap();
        let mut design = example("active-active-2region.ron");
        let mut service = design.services().next().unwrap().clone();
        service.name = r#"<b>&"x"</b>"#.into();
        apply(&mut design, catalog, Command::UpdateService(service)).unwrap();
        let svg = design_svg(&design, catalog);
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;"));
    }

    #[test]
    fn the_picture_scales_with_its_view_box() {
        let catalog = Catalog::builtin().unwrap();
        let svg = design_svg(&example("active-active-2region.ron"), catalog);
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
        let head = &svg[..svg.find('>').unwrap()];
        assert!(head.contains("viewBox=") && !head.contains("width=") && !head.contains("height="), "{head}");
    }
}
