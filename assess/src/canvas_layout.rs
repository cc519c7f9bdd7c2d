//! Where everything goes on the canvas, in canvas units, for the schematic and the geographic view.
//!
//! Pure geometry (no GUI dependency): the designer's canvas and the report's design picture
//! (`report::design_svg`) share it.
//!
//! The layout is a pure function of the design (and the view mode), recomputed only when the
//! design changes. Regions are containers with their services as cards in tiers (entry points at the
//! top, compute, integration, data, management at the bottom); global services sit in a band of
//! their own above the regions, and user populations above that (schematic) or where they are
//! (geographic).

use std::collections::BTreeMap;

use emath::{Pos2, Rect, Vec2, pos2, vec2};
use meridian_model::catalog::Category;
use meridian_model::design::{
    FailoverRole, GridCell, Link, LinkKind, Placement, ReplicationMode, RoutingPolicy,
};
use meridian_model::{AnnotationId, Catalog, Design, LinkId, PopulationId, RegionId, ServiceId};

pub use crate::canvas_routes::{LinkLabel, Route};

/// Sizes of canvas elements, in canvas units (one unit is one point at zoom 1).
pub mod size {
    /// Width of a service card.
    pub const CARD_W: f32 = 204.0;
    /// Height of a service card.
    pub const CARD_H: f32 = 58.0;
    /// Gap between cards side by side.
    pub const CARD_GAP: f32 = 14.0;
    /// Gap between tiers of cards (room for link labels).
    pub const TIER_GAP: f32 = 30.0;
    /// Height of a region's header.
    pub const REGION_HEADER: f32 = 42.0;
    /// Padding inside a region container.
    pub const REGION_PAD: f32 = 14.0;
    /// Gap between regions in the schematic grid.
    pub const REGION_GAP: f32 = 90.0;
    /// Radius of a population marker.
    pub const POPULATION_R: f32 = 15.0;
    /// Corner radius of cards and containers.
    pub const ROUNDING: f32 = 8.0;
}

/// Which view the canvas shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// Regions at their real positions on a world map.
    Geographic,
    /// Regions in a grid the user arranges.
    Schematic,
}

/// Canvas units per degree of longitude or latitude on the world map.
pub const MAP_SCALE: f32 = 10.0;

/// Projects a longitude and latitude onto the canvas (equirectangular, north up).
pub fn project(lon: f64, lat: f64) -> Pos2 {
    pos2((lon as f32 + 180.0) * MAP_SCALE, (90.0 - lat as f32) * MAP_SCALE)
}

/// The inverse of [`project`]: longitude and latitude of a canvas point.
pub fn unproject(p: Pos2) -> (f64, f64) {
    let lon = f64::from(p.x / MAP_SCALE - 180.0);
    let lat = f64::from(90.0 - p.y / MAP_SCALE);
    (lon.clamp(-180.0, 180.0), lat.clamp(-90.0, 90.0))
}

/// Positions of every element, in canvas units.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Region containers.
    pub regions: BTreeMap<RegionId, Rect>,
    /// Where each region really is (geographic view only).
    pub region_anchors: BTreeMap<RegionId, Pos2>,
    /// Grid cell of each region (schematic view).
    pub cells: BTreeMap<RegionId, GridCell>,
    /// Service cards.
    pub services: BTreeMap<ServiceId, Rect>,
    /// The band holding global services.
    pub global_band: Rect,
    /// Centres of population markers.
    pub populations: BTreeMap<PopulationId, Pos2>,
    /// Everything, for zoom to fit.
    pub bounds: Rect,
    /// Size of one schematic grid cell (the largest region), for dropping regions into cells.
    pub cell_size: Vec2,
    /// Top left of the schematic grid.
    pub grid_origin: Pos2,
    /// The route of every link between two placed cards, with its label ([`crate::canvas_routes`]).
    pub routes: BTreeMap<LinkId, Route>,
    /// Notes and group boxes (schematic view only; the geographic view shows none).
    pub annotations: BTreeMap<AnnotationId, Rect>,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            regions: BTreeMap::new(),
            region_anchors: BTreeMap::new(),
            cells: BTreeMap::new(),
            services: BTreeMap::new(),
            global_band: Rect::NOTHING,
            populations: BTreeMap::new(),
            bounds: Rect::NOTHING,
            cell_size: Vec2::ZERO,
            grid_origin: Pos2::ZERO,
            routes: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }
}

/// Card offsets of each region and the region's size.
type Arranged = BTreeMap<RegionId, (Vec<(ServiceId, Vec2)>, Vec2)>;

fn tier(category: Category) -> usize {
    match category {
        Category::Edge | Category::Networking | Category::Hybrid => 0,
        Category::Compute | Category::Serverless | Category::MachineLearning => 1,
        Category::Integration => 2,
        Category::Database | Category::Storage | Category::Cache => 3,
        Category::Management => 4,
    }
}

const MAX_PER_ROW: usize = 3;

/// Card offsets inside a region (relative to its top left) and the region's size: hand-placed
/// cards at their spots, the others in tiers by category (entry points at the top), each in the
/// next slot that no hand-placed card takes.
fn arrange_region(design: &Design, catalog: &Catalog, region: &RegionId) -> (Vec<(ServiceId, Vec2)>, Vec2) {
    let spots = design.card_spots();
    let card = vec2(size::CARD_W, size::CARD_H);
    let mut out = Vec::new();
    let mut taken: Vec<Rect> = Vec::new();
    let mut tiers: [Vec<&ServiceId>; 5] = Default::default();
    for s in design.services_in(region) {
        if let Some(spot) = spots.get(&s.id) {
            let offset = vec2(spot.x.max(0) as f32, (spot.y as f32).max(size::REGION_HEADER));
            out.push((s.id.clone(), offset));
            taken.push(Rect::from_min_size(offset.to_pos2(), card).expand(size::CARD_GAP / 2.0 - 0.5));
        } else {
            tiers[tier(catalog.kind(s.kind).category)].push(&s.id);
        }
    }
    let mut y = size::REGION_HEADER;
    for ids in tiers.iter().filter(|t| !t.is_empty()) {
        let mut col = 0;
        for id in ids {
            let offset = loop {
                if col == MAX_PER_ROW {
                    col = 0;
                    y += size::CARD_H + size::TIER_GAP;
                }
                let x = size::REGION_PAD + col as f32 * (size::CARD_W + size::CARD_GAP);
                col += 1;
                let slot = Rect::from_min_size(pos2(x, y), card);
                if !taken.iter().any(|t| t.intersects(slot)) {
                    break vec2(x, y);
                }
            };
            out.push(((*id).clone(), offset));
        }
        y += size::CARD_H + size::TIER_GAP;
    }
    let right = out.iter().map(|(_, o)| o.x + size::CARD_W).fold(0.0, f32::max);
    let bottom =
        out.iter().map(|(_, o)| o.y + size::CARD_H).fold(size::REGION_HEADER + size::CARD_H, f32::max);
    let width = (right + size::REGION_PAD).max(2.0 * size::REGION_PAD + 2.0 * size::CARD_W + size::CARD_GAP);
    (out, vec2(width, bottom + size::REGION_PAD))
}

/// The smallest size `region`'s container can take: what its cards need, whatever size it was
/// given by hand (the limit of resizing it by its edges).
pub fn region_min_size(design: &Design, catalog: &Catalog, region: &RegionId) -> Vec2 {
    arrange_region(design, catalog, region).1
}

impl Layout {
    /// Computes the layout of `design` for `mode`.
    pub fn compute(design: &Design, catalog: &Catalog, mode: ViewMode) -> Layout {
        let mut layout = Layout::default();
        let arranged: Arranged = design
            .regions()
            .map(|r| {
                let (cards, needed) = arrange_region(design, catalog, &r.id);
                // A size given by hand, never below what the cards need.
                let given = design
                    .region_sizes()
                    .get(&r.id)
                    .map_or(Vec2::ZERO, |s| vec2(s.width as f32, s.height as f32));
                (r.id.clone(), (cards, needed.max(given)))
            })
            .collect();
        match mode {
            ViewMode::Schematic => layout.place_schematic(design, catalog, &arranged),
            ViewMode::Geographic => layout.place_geographic(design, catalog, &arranged),
        }
        for (rid, (cards, _)) in &arranged {
            let origin = layout.regions[rid].min;
            for (sid, offset) in cards {
                layout.services.insert(
                    sid.clone(),
                    Rect::from_min_size(origin + *offset, vec2(size::CARD_W, size::CARD_H)),
                );
            }
        }
        layout.place_global_band(design, mode);
        layout.place_populations(design, mode);
        // Waypoints are points of the schematic view; the geographic view routes every link itself.
        let none = BTreeMap::new();
        let waypoints = if mode == ViewMode::Schematic { design.waypoints() } else { &none };
        layout.routes = crate::canvas_routes::route_links(design, &layout.services, waypoints, |l| {
            link_label(l, design.region_of(&l.from) != design.region_of(&l.to))
        });
        if mode == ViewMode::Schematic {
            layout.annotations = crate::canvas_annotations::rects(design);
        }
        layout.bounds = layout.compute_bounds(mode);
        layout
    }

    /// Places regions in the schematic grid: hand-placed ones in their cells, the rest west to east.
    fn place_schematic(&mut self, design: &Design, catalog: &Catalog, arranged: &Arranged) {
        let mut auto: Vec<&RegionId> =
            arranged.keys().filter(|r| !design.layout().contains_key(*r)).collect();
        auto.sort_by(|a, b| {
            let lon = |r: &RegionId| catalog.region(r.as_str()).map_or(0.0, |i| i.location.lon);
            lon(a).total_cmp(&lon(b)).then_with(|| a.cmp(b))
        });
        let n = arranged.len().max(1);
        let columns = if n <= 4 { n } else { (n as f64).sqrt().ceil() as usize };
        let mut taken: Vec<GridCell> = design.layout().values().copied().collect();
        let mut next = 0usize;
        for r in auto {
            let cell = loop {
                let c = GridCell { col: (next % columns) as u16, row: (next / columns) as u16 };
                next += 1;
                if !taken.contains(&c) {
                    break c;
                }
            };
            taken.push(cell);
            self.cells.insert(r.clone(), cell);
        }
        for (r, c) in design.layout() {
            self.cells.insert(r.clone(), *c);
        }
        // Column widths and row heights from the regions in them.
        let mut col_w: BTreeMap<u16, f32> = BTreeMap::new();
        let mut row_h: BTreeMap<u16, f32> = BTreeMap::new();
        for (r, c) in &self.cells {
            let sz = arranged[r].1;
            let w = col_w.entry(c.col).or_default();
            *w = w.max(sz.x);
            let h = row_h.entry(c.row).or_default();
            *h = h.max(sz.y);
        }
        let max_col = col_w.keys().max().copied().unwrap_or(0);
        let max_row = row_h.keys().max().copied().unwrap_or(0);
        let default_w = 2.0 * size::REGION_PAD + 2.0 * size::CARD_W + size::CARD_GAP;
        let default_h = size::REGION_HEADER + size::CARD_H + size::REGION_PAD;
        let xs: Vec<f32> = (0..=max_col + 1)
            .scan(0.0, |x, c| {
                let here = *x;
                *x += col_w.get(&c).copied().unwrap_or(default_w) + size::REGION_GAP;
                Some(here)
            })
            .collect();
        let ys: Vec<f32> = (0..=max_row + 1)
            .scan(0.0, |y, r| {
                let here = *y;
                *y += row_h.get(&r).copied().unwrap_or(default_h) + size::REGION_GAP;
                Some(here)
            })
            .collect();
        for (r, c) in &self.cells {
            let sz = arranged[r].1;
            self.regions
                .insert(r.clone(), Rect::from_min_size(pos2(xs[c.col as usize], ys[c.row as usize]), sz));
        }
        self.grid_origin = Pos2::ZERO;
        self.cell_size = vec2(
            col_w.values().copied().fold(default_w, f32::max),
            row_h.values().copied().fold(default_h, f32::max),
        );
    }

    /// Places regions near their real location, pushed apart so that no two containers overlap.
    fn place_geographic(&mut self, design: &Design, catalog: &Catalog, arranged: &Arranged) {
        let mut rects: Vec<(RegionId, Rect)> = Vec::new();
        for (r, (_, sz)) in arranged {
            let anchor =
                catalog.region(r.as_str()).map_or(Pos2::ZERO, |i| project(i.location.lon, i.location.lat));
            self.region_anchors.insert(r.clone(), anchor);
            // Start with the container just above its location.
            rects.push((r.clone(), Rect::from_center_size(anchor - vec2(0.0, sz.y * 0.5 + 40.0), *sz)));
        }
        // Population markers stay where the users are; containers keep clear of them.
        let markers: Vec<Rect> = design
            .populations()
            .map(|p| Rect::from_center_size(project(p.location.lon, p.location.lat), vec2(160.0, 90.0)))
            .collect();
        separate(&mut rects, &markers, 24.0);
        self.regions.extend(rects);
    }

    fn place_global_band(&mut self, design: &Design, mode: ViewMode) {
        let globals: Vec<&ServiceId> =
            design.services().filter(|s| s.placement == Placement::Global).map(|s| &s.id).collect();
        let regions_box = self.regions.values().fold(Rect::NOTHING, |acc, r| acc.union(*r));
        let regions_box = if regions_box.is_positive() {
            regions_box
        } else {
            Rect::from_min_size(Pos2::ZERO, vec2(size::CARD_W * 2.0, 0.0))
        };
        let n = globals.len().max(1) as f32;
        let width = (n * size::CARD_W + (n - 1.0) * size::CARD_GAP + 2.0 * size::REGION_PAD).max(480.0);
        let height = size::REGION_HEADER + size::CARD_H + size::REGION_PAD;
        let top = match mode {
            ViewMode::Schematic => regions_box.top() - size::REGION_GAP - height,
            ViewMode::Geographic => regions_box.top().min(0.0) - 80.0 - height,
        };
        let band = Rect::from_min_size(pos2(regions_box.center().x - width / 2.0, top), vec2(width, height));
        self.global_band = band;
        let cards_w = globals.len() as f32 * (size::CARD_W + size::CARD_GAP) - size::CARD_GAP;
        let x0 = band.center().x - cards_w / 2.0;
        for (i, id) in globals.into_iter().enumerate() {
            let min = pos2(x0 + i as f32 * (size::CARD_W + size::CARD_GAP), band.top() + size::REGION_HEADER);
            self.services.insert(id.clone(), Rect::from_min_size(min, vec2(size::CARD_W, size::CARD_H)));
        }
    }

    fn place_populations(&mut self, design: &Design, mode: ViewMode) {
        match mode {
            ViewMode::Geographic => {
                for p in design.populations() {
                    self.populations.insert(p.id.clone(), project(p.location.lon, p.location.lat));
                }
            }
            ViewMode::Schematic => {
                // A row above the global band, west to east.
                let mut pops: Vec<_> = design.populations().collect();
                pops.sort_by(|a, b| a.location.lon.total_cmp(&b.location.lon).then_with(|| a.id.cmp(&b.id)));
                let step = 220.0;
                let width = (pops.len().max(1) - 1) as f32 * step;
                let y = self.global_band.top() - 90.0;
                for (i, p) in pops.into_iter().enumerate() {
                    let x = self.global_band.center().x - width / 2.0 + i as f32 * step;
                    self.populations.insert(p.id.clone(), pos2(x, y));
                }
            }
        }
    }

    fn compute_bounds(&self, mode: ViewMode) -> Rect {
        let mut b = self.global_band;
        for r in self.regions.values() {
            b = b.union(*r);
        }
        for p in self.populations.values() {
            b = b.union(Rect::from_center_size(*p, Vec2::splat(size::POPULATION_R * 8.0)));
        }
        for r in self.routes.values().map(|r| &r.bounds).chain(self.annotations.values()) {
            b = b.union(*r);
        }
        if mode == ViewMode::Geographic && !self.regions.is_empty() {
            for a in self.region_anchors.values() {
                b = b.union(Rect::from_center_size(*a, Vec2::splat(20.0)));
            }
        }
        b.expand(40.0)
    }

    /// The region container under `pos`, if any.
    pub fn region_at(&self, pos: Pos2) -> Option<&RegionId> {
        self.regions.iter().find(|(_, r)| r.contains(pos)).map(|(id, _)| id)
    }

    /// The link whose route passes within `tolerance` of `pos` (the nearest), or whose label is under it.
    pub fn link_at(&self, pos: Pos2, tolerance: f32) -> Option<&LinkId> {
        self.routes
            .iter()
            .filter(|(_, r)| r.bounds.expand(tolerance).contains(pos))
            .map(|(id, r)| {
                let on_label = r.label.as_ref().is_some_and(|l| l.rect.contains(pos));
                (id, if on_label { 0.0 } else { r.distance(pos) })
            })
            .filter(|(_, d)| *d <= tolerance)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(id, _)| id)
    }

    /// A point on the link's route where a click picks this link (not on a card, a label or
    /// nearer another route), for tests and scripts that aim at links.
    pub fn link_pick_point(&self, id: &LinkId) -> Option<Pos2> {
        let route = self.routes.get(id)?;
        route.points.windows(2).flat_map(|w| [0.5, 0.25, 0.75].map(|t| w[0] + (w[1] - w[0]) * t)).find(|p| {
            self.service_at(*p).is_none()
                && self.routes.iter().all(|(other, r)| {
                    other == id
                        || (r.distance(*p) > 4.0 && !r.label.as_ref().is_some_and(|l| l.rect.contains(*p)))
                })
        })
    }

    /// The service card under `pos`, if any.
    pub fn service_at(&self, pos: Pos2) -> Option<&ServiceId> {
        self.services.iter().find(|(_, r)| r.contains(pos)).map(|(id, _)| id)
    }

    /// The schematic grid cell under `pos`.
    pub fn cell_at(&self, pos: Pos2) -> GridCell {
        let step = self.cell_size + Vec2::splat(size::REGION_GAP);
        let rel = pos - self.grid_origin;
        GridCell {
            col: (rel.x / step.x).floor().clamp(0.0, 50.0) as u16,
            row: (rel.y / step.y).floor().clamp(0.0, 50.0) as u16,
        }
    }
}

/// Pushes rectangles apart until none overlap each other or the fixed `obstacles` (keeping at
/// least `gap` between them).
fn separate(rects: &mut [(RegionId, Rect)], obstacles: &[Rect], gap: f32) {
    for _ in 0..200 {
        let mut moved = false;
        for (_, r) in rects.iter_mut() {
            for o in obstacles {
                let overlap = r.expand(gap / 2.0).intersect(o.expand(gap / 2.0));
                if overlap.is_positive() {
                    moved = true;
                    let d = r.center() - o.center();
                    let push = if overlap.width() < overlap.height() {
                        vec2(overlap.width() * if d.x >= 0.0 { 1.0 } else { -1.0 }, 0.0)
                    } else {
                        vec2(0.0, overlap.height() * if d.y >= 0.0 { 1.0 } else { -1.0 })
                    };
                    *r = r.translate(push);
                }
            }
        }
        for i in 0..rects.len() {
            for j in i + 1..rects.len() {
                let a = rects[i].1.expand(gap / 2.0);
                let b = rects[j].1.expand(gap / 2.0);
                let overlap = a.intersect(b);
                if !overlap.is_positive() {
                    continue;
                }
                moved = true;
                // Push along the axis of least overlap, half each way.
                let d = b.center() - a.center();
                let push = if overlap.width() < overlap.height() {
                    vec2(overlap.width() / 2.0 * d.x.signum().max(0.0).mul_add(2.0, -1.0), 0.0)
                } else {
                    vec2(0.0, overlap.height() / 2.0 * d.y.signum().max(0.0).mul_add(2.0, -1.0))
                };
                rects[i].1 = rects[i].1.translate(-push);
                rects[j].1 = rects[j].1.translate(push);
            }
        }
        if !moved {
            break;
        }
    }
}

/// The label of a link, e.g. `latency · hc 10s` or `async · RTC`.
pub fn link_label(link: &Link, cross_region: bool) -> String {
    match &link.kind {
        LinkKind::Replication(r) => {
            let mode = if r.mode == ReplicationMode::Sync { "sync" } else { "async" };
            let lag = r
                .lag
                .map(|l| format!(" · lag ~{}", meridian_model::time::TimeSpan::from_secs_f64(l.mean_secs())));
            format!("{mode}{}{}", lag.unwrap_or_default(), if r.rtc { " · RTC" } else { "" })
        }
        LinkKind::Routing(r) => {
            let policy = match &r.policy {
                RoutingPolicy::Latency => "latency".to_owned(),
                RoutingPolicy::Geolocation { continents } => {
                    format!("geo: {}", continents.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "))
                }
                RoutingPolicy::Failover { role: FailoverRole::Primary } => "failover: primary".to_owned(),
                RoutingPolicy::Failover { role: FailoverRole::Secondary } => "failover: secondary".to_owned(),
                RoutingPolicy::Weighted { weight } => format!("weight {weight}"),
            };
            match &r.health_check {
                Some(hc) => format!("{policy} · hc {}", hc.interval),
                None => policy,
            }
        }
        LinkKind::Backup(b) => format!("backup every {}", b.every),
        LinkKind::Dependency(d) => {
            if cross_region {
                format!("cross-region · {}×", d.calls_per_request)
            } else {
                String::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canvas_routes::{Lanes, strictly_inside};

    fn example(name: &str) -> (Design, &'static meridian_model::Catalog) {
        let catalog = meridian_model::Catalog::builtin().unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name);
        (meridian_model::format::load_file(&path, catalog).unwrap().design, catalog)
    }

    /// Issue 19, defect 2: in the two-region example the replication lines started at the wrong
    /// card, overlapped in one row, crossed cards and had their labels cut.
    #[test]
    fn example_routes_are_orthogonal_clear_of_cards_in_own_lanes_with_whole_labels() {
        for example_name in ["active-active-2region.ron", "pilot-light.ron"] {
            let (design, catalog) = example(example_name);
            let layout = Layout::compute(&design, catalog, ViewMode::Schematic);
            assert_eq!(layout.routes.len(), design.links().len(), "{example_name}: every link is routed");
            let mut labels: Vec<Rect> = Vec::new();
            for l in design.links() {
                let r = &layout.routes[&l.id];
                let (from, to) = (layout.services[&l.from], layout.services[&l.to]);
                let (a, b) = (r.points[0], *r.points.last().unwrap());
                let on_edge = |c: Rect, p: Pos2| c.expand(0.01).contains(p) && !strictly_inside(&c, p);
                assert!(on_edge(from, a), "{}: starts on its source card's edge", l.id);
                assert!(on_edge(to, b), "{}: ends on its target card's edge", l.id);
                for w in r.points.windows(2) {
                    assert!(
                        (w[0].x - w[1].x).abs() < 0.01 || (w[0].y - w[1].y).abs() < 0.01,
                        "{}: orthogonal {:?}",
                        l.id,
                        r.points
                    );
                    for k in 1..40 {
                        let p = w[0] + (w[1] - w[0]) * (k as f32 / 40.0);
                        for (sid, card) in &layout.services {
                            assert!(!strictly_inside(card, p), "{}: crosses card {sid} at {p:?}", l.id);
                        }
                    }
                }
                if let Some(label) = &r.label {
                    assert!(!label.shortened(), "{}: label {:?} shortened", l.id, label.full);
                    for (sid, card) in &layout.services {
                        assert!(!card.intersects(label.rect), "{}: label over card {sid}", l.id);
                    }
                    assert!(!labels.iter().any(|o| o.intersects(label.rect)), "{}: labels overlap", l.id);
                    labels.push(label.rect);
                }
            }
            // No two routes run along the same line for longer than it takes to pass one narrow gap
            // (the 14-unit gap between cards side by side holds one lane).
            let routes: Vec<(&LinkId, &Route)> = layout.routes.iter().collect();
            for (i, (ia, ra)) in routes.iter().enumerate() {
                let mut lanes = Lanes::default();
                lanes.add(&ra.points);
                for (ib, rb) in &routes[i + 1..] {
                    let shared: f32 = rb.points.windows(2).map(|w| exact_shared(&lanes, w[0], w[1])).sum();
                    assert!(shared < 16.0, "{example_name}: {ia} and {ib} share {shared} units of lane");
                }
            }
        }
    }

    /// How long `a`–`b` runs exactly along the lanes (no neighbouring lines).
    fn exact_shared(lanes: &Lanes, a: Pos2, b: Pos2) -> f32 {
        let (horizontal, line, lo, hi) = if (a.y - b.y).abs() < 0.5 {
            (true, a.y, a.x.min(b.x), a.x.max(b.x))
        } else {
            (false, a.x, a.y.min(b.y), a.y.max(b.y))
        };
        lanes
            .0
            .get(&(horizontal, line.round() as i32))
            .map_or(0.0, |spans| spans.iter().map(|(s, e)| (hi.min(*e) - lo.max(*s)).max(0.0)).sum())
    }

    #[test]
    fn projection_round_trips() {
        let p = project(-77.4, 38.9);
        let (lon, lat) = unproject(p);
        assert!((lon + 77.4).abs() < 1e-4 && (lat - 38.9).abs() < 1e-4);
    }

    #[test]
    fn separated_rects_do_not_overlap() {
        let r = |x: f32| Rect::from_min_size(pos2(x, 0.0), vec2(100.0, 50.0));
        let mut rects =
            vec![(RegionId::new("a"), r(0.0)), (RegionId::new("b"), r(10.0)), (RegionId::new("c"), r(20.0))];
        separate(&mut rects, &[], 10.0);
        for i in 0..3 {
            for j in i + 1..3 {
                assert!(!rects[i].1.intersects(rects[j].1), "{rects:?}");
            }
        }
    }
}
