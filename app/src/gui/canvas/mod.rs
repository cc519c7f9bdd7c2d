//! The canvas: a custom pan-and-zoom view painted with egui's `Painter`, in which regions are
//! containers, services cards, links curves and user populations markers.
//!
//! The canvas reads the design and sends commands (edits to apply, selection changes, messages)
//! to the app's queue; it never changes the design itself.

mod align;
mod annotations;
pub mod card_text;
mod changes;
pub mod draw;
mod follow;
mod input;
mod interact;
pub use meridian_assess::canvas_layout as layout;
mod legend;
pub mod map;
mod minimap;
mod resize;
mod waypoints;

use egui::emath::TSTransform;
use egui::{Pos2, Rect, Vec2};
use std::sync::Arc;

use std::collections::BTreeSet;

use meridian_model::{Catalog, Design, EntityRef, ServiceId};

pub use changes::RemovedLink;
pub use layout::{Layout, ViewMode};

/// A drag in progress.
#[derive(Debug, Clone)]
enum Drag {
    /// Panning the view.
    Pan,
    /// Moving the selected services, a region or a population.
    Move { what: EntityRef, grab: Pos2, now: Pos2 },
    /// Selecting with a rubber band.
    Band { start: Pos2, now: Pos2 },
    /// Drawing a new link from a service.
    Connect { from: ServiceId, now: Pos2 },
    /// Resizing a region by an edge or a corner.
    Resize(resize::Resize),
    /// Adding or moving a waypoint of a link.
    Waypoint(waypoints::WaypointDrag),
    /// Moving or resizing a note or group box.
    Annotation(annotations::AnnotationDrag),
}

/// The canvas's own state: view mode, pan and zoom, the drag in progress, and a cached layout.
pub struct Canvas {
    /// Which view is shown.
    pub mode: ViewMode,
    /// Whether the minimap is shown.
    pub minimap: bool,
    /// Whether the legend is shown.
    pub legend: bool,
    /// Canvas units to screen points.
    to_screen: TSTransform,
    /// Zoom to fit on the next frame.
    fit_pending: bool,
    /// What to fit then: the selection given, or everything.
    fit_target: Option<BTreeSet<EntityRef>>,
    /// The least zoom of a whole-design fit in the schematic view: the readable
    /// [`SCHEMATIC_FIT_MIN_ZOOM`] when a design is opened or the view switched; an explicit Zoom
    /// to fit shows the whole design at any zoom, as draw.io's Fit does.
    fit_least: f32,
    drag: Option<Drag>,
    cache: Option<(u64, ViewMode, Arc<Layout>)>,
    /// The screen rectangle of the canvas in the last frame.
    last_rect: Rect,
    /// Fit mode (draw.io's "fit"): after a fit, what was fitted (the selection's bounds, or `None`
    /// for the whole design) and the view that gave. While the view is still that one (the user
    /// has not zoomed or panned since), a change of the canvas's size fits again; otherwise the
    /// view keeps its centre.
    fitted: Option<(Option<Rect>, TSTransform)>,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            mode: ViewMode::Schematic,
            minimap: true,
            legend: false,
            to_screen: TSTransform::IDENTITY,
            fit_pending: true,
            fit_target: None,
            fit_least: SCHEMATIC_FIT_MIN_ZOOM,
            drag: None,
            cache: None,
            last_rect: Rect::NOTHING,
            fitted: None,
        }
    }
}

/// Zoom limits.
const ZOOM_MIN: f32 = 0.05;
const ZOOM_MAX: f32 = 4.0;
/// The ratio of one zoom step: a notch of the mouse wheel with Ctrl, or Zoom in / Zoom out.
pub const ZOOM_STEP: f32 = 1.25;
/// The least zoom a fit of the whole geographic view goes to: card titles are drawn from 42%
/// (`draw`), so a design spread over continents is fitted readable and centred, the rest a pan
/// away (the minimap shows where), rather than fitted as colour blocks.
pub const GEOGRAPHIC_FIT_MIN_ZOOM: f32 = 0.45;
/// The least zoom the first fit of the whole schematic view goes to (a design opened, the view
/// switched; `fit_least`). At a laptop's 1280x800 the canvas
/// left between the side panels is about 740x500 points and the bundled examples fitted at 44-52%,
/// cards 90 points wide with their titles cut to a few letters; at 50% a card is 102x29 points and
/// its title (9 points on up to two lines, `card_text`) reads, the design starts at its left edge (`fit`) and the rest is a pan away (the
/// minimap shows where), as draw.io and Cloudcraft do. At 1600x1000 and larger the examples fit
/// above it, unchanged.
pub const SCHEMATIC_FIT_MIN_ZOOM: f32 = 0.5;

impl Canvas {
    /// The layout for `design` at `revision`, computed once per revision and mode.
    pub fn layout(&mut self, design: &Design, catalog: &Catalog, revision: u64) -> Arc<Layout> {
        match &self.cache {
            Some((rev, mode, layout)) if *rev == revision && *mode == self.mode => Arc::clone(layout),
            _ => {
                let layout = Arc::new(Layout::compute(design, catalog, self.mode));
                self.cache = Some((revision, self.mode, Arc::clone(&layout)));
                layout
            }
        }
    }

    /// Forgets the cached layout (after the design was replaced).
    pub fn invalidate(&mut self) {
        self.cache = None;
    }

    /// Zooms to fit the whole design on the next frame.
    pub fn request_fit(&mut self) {
        self.fit_pending = true;
        self.fit_target = None;
        self.fit_least = ZOOM_MIN;
    }

    /// The first view of a design just opened: fits the whole design on the next frame, in the
    /// schematic view no lower than [`SCHEMATIC_FIT_MIN_ZOOM`] (the rest a pan away).
    pub fn request_first_view(&mut self) {
        self.request_fit();
        self.fit_least = SCHEMATIC_FIT_MIN_ZOOM;
    }

    /// Zooms to fit `selection` on the next frame (the whole design if it is empty).
    pub fn request_fit_to(&mut self, selection: BTreeSet<EntityRef>) {
        self.fit_pending = true;
        self.fit_target = (!selection.is_empty()).then_some(selection);
    }

    /// The canvas area `selection` covers, if any of it is laid out.
    fn selection_bounds(layout: &Layout, selection: &BTreeSet<EntityRef>) -> Option<Rect> {
        let rects = selection.iter().filter_map(|e| match e {
            EntityRef::Service(id) => layout.services.get(id).copied(),
            EntityRef::Region(id) => layout.regions.get(id).copied(),
            EntityRef::Population(id) => {
                layout.populations.get(id).map(|p| Rect::from_center_size(*p, Vec2::splat(120.0)))
            }
            EntityRef::Link(id) => layout.routes.get(id).map(|r| r.bounds),
            EntityRef::Annotation(id) => layout.annotations.get(id).copied(),
            EntityRef::Design => None,
        });
        let bounds = rects.fold(Rect::NOTHING, Rect::union);
        bounds.is_positive().then(|| bounds.expand(60.0))
    }

    /// What a zoom to fit of the whole design shows: everything laid out in the schematic view; in
    /// the geographic view the regions' cards, the global band and the users, not the world the
    /// links' routes and the regions' anchors may reach into.
    fn whole_bounds(&self, layout: &Layout) -> Rect {
        match self.mode {
            ViewMode::Schematic => layout.bounds,
            ViewMode::Geographic => {
                let band = [layout.global_band].into_iter().filter(Rect::is_positive);
                let cards =
                    layout.regions.values().copied().chain(layout.services.values().copied()).chain(band);
                let users =
                    layout.populations.values().map(|p| Rect::from_center_size(*p, Vec2::new(160.0, 90.0)));
                let b = cards.chain(users).fold(Rect::NOTHING, Rect::union);
                if b.is_positive() { b.expand(40.0) } else { layout.bounds }
            }
        }
    }

    /// The least zoom of a fit to `target` (`None`: the whole design).
    fn least_fit_zoom(&self, target: Option<Rect>) -> f32 {
        match (self.mode, target) {
            (ViewMode::Geographic, None) => GEOGRAPHIC_FIT_MIN_ZOOM,
            (ViewMode::Schematic, None) => self.fit_least,
            _ => ZOOM_MIN,
        }
    }

    /// Switches between geographic and schematic view, and fits the new view.
    pub fn toggle_mode(&mut self) {
        self.mode = match self.mode {
            ViewMode::Geographic => ViewMode::Schematic,
            ViewMode::Schematic => ViewMode::Geographic,
        };
        self.fit_pending = true;
        self.fit_least = SCHEMATIC_FIT_MIN_ZOOM;
    }

    /// Zooms by `factor` about the centre of the view.
    pub fn zoom_by(&mut self, factor: f32) {
        let centre = self.last_rect.center();
        self.zoom_about(centre, factor);
    }

    /// The current zoom (screen points per canvas unit).
    pub fn zoom(&self) -> f32 {
        self.to_screen.scaling
    }

    /// The part of the canvas shown in the last frame, in canvas units (`None` before the first).
    pub fn visible(&self) -> Option<Rect> {
        self.last_rect.is_positive().then(|| self.to_screen.inverse().mul_rect(self.last_rect))
    }

    /// Canvas units to screen points.
    pub fn to_screen(&self) -> TSTransform {
        self.to_screen
    }

    /// Where the canvas was on screen in the last frame.
    pub fn screen_rect(&self) -> Rect {
        self.last_rect
    }

    /// Whether the view is still the last zoom to fit (then a resized window fits again).
    pub fn fit_mode(&self) -> bool {
        self.fitted.is_some_and(|(_, view)| view == self.to_screen)
    }

    /// Follows a change of the canvas's screen rectangle from `before` to `now`: fits again in fit
    /// mode, else keeps the canvas point at the centre of the view at the centre.
    fn follow_resize(&mut self, before: Rect, now: Rect, layout: &Layout) {
        if before == now || !before.is_positive() || !now.is_positive() {
            return;
        }
        match self.fitted {
            Some((target, view)) if view == self.to_screen => {
                let least = self.least_fit_zoom(target);
                self.fit(now, target.unwrap_or_else(|| self.whole_bounds(layout)), least);
                self.fitted = Some((target, self.to_screen));
            }
            _ => self.to_screen.translation += now.center() - before.center(),
        }
    }

    /// Sets pan and zoom directly (benchmarks and tests).
    pub fn set_view(&mut self, to_screen: TSTransform) {
        self.to_screen = to_screen;
        self.fit_pending = false;
    }

    /// Centres the view on a canvas point.
    pub fn centre_on(&mut self, at: Pos2) {
        let screen = self.to_screen.mul_pos(at);
        self.to_screen.translation += self.last_rect.center() - screen;
    }

    fn zoom_about(&mut self, screen_point: Pos2, factor: f32) {
        let new = (self.to_screen.scaling * factor).clamp(ZOOM_MIN, ZOOM_MAX);
        let factor = new / self.to_screen.scaling;
        // Keep the canvas point under `screen_point` fixed.
        self.to_screen = TSTransform::from_translation(screen_point.to_vec2())
            * TSTransform::from_scaling(factor)
            * TSTransform::from_translation(-screen_point.to_vec2())
            * self.to_screen;
    }

    /// Zooms so that `bounds` fills `screen`, apart from the minimap's corner when it is shown:
    /// the design goes either above the minimap or to its left, whichever shows it larger. The
    /// zoom is at least `least`; the design is centred, or in the schematic view, when it does not
    /// fit at that zoom, starts at its left (top) edge.
    fn fit(&mut self, screen: Rect, bounds: Rect, least: f32) {
        if !bounds.is_positive() || !screen.is_positive() {
            return;
        }
        let scale_in = |r: Rect| (r.size() / bounds.size()).min_elem();
        let screen = match minimap::area(screen).filter(|_| self.minimap) {
            Some(m) => {
                let above = Rect::from_min_max(screen.min, egui::pos2(screen.right(), m.top() - 8.0));
                let left = Rect::from_min_max(screen.min, egui::pos2(m.left() - 8.0, screen.bottom()));
                if scale_in(above) >= scale_in(left) { above } else { left }
            }
            None => screen,
        };
        let scale = scale_in(screen).clamp(least.min(1.2), 1.2);
        let mut shift = screen.center().to_vec2() - bounds.center().to_vec2() * scale;
        // The schematic view, too wide or tall at the least zoom, starts at the design's left or
        // top edge (its first region wholly in view, as draw.io opens a diagram) rather than
        // cutting a region on each side; the minimap shows the rest.
        if self.mode == ViewMode::Schematic {
            if bounds.width() * scale > screen.width() {
                shift.x = screen.left() - bounds.left() * scale;
            }
            if bounds.height() * scale > screen.height() {
                shift.y = screen.top() - bounds.top() * scale;
            }
        }
        self.to_screen = TSTransform::from_translation(shift) * TSTransform::from_scaling(scale);
    }

    /// Where a new annotation of `size` goes in the schematic view: free space in the view, clear
    /// of the minimap and legend (`annotations::free_spot`); when the view has none, just right
    /// of the design, and the view zooms to fit both (or, when that would be too small to read,
    /// moves to it). Returns its centre.
    pub fn place_annotation(
        &mut self,
        design: &Design,
        catalog: &Catalog,
        revision: u64,
        size: Vec2,
    ) -> Pos2 {
        let schematic = self.mode == ViewMode::Schematic;
        let layout = if schematic {
            self.layout(design, catalog, revision)
        } else {
            Arc::new(Layout::compute(design, catalog, ViewMode::Schematic))
        };
        let view = self.visible().filter(|_| schematic);
        let from_screen = self.to_screen.inverse();
        let mut avoid = Vec::new();
        if self.minimap
            && let Some(m) = minimap::area(self.last_rect)
        {
            avoid.push(from_screen.mul_rect(m));
        }
        if self.legend {
            avoid.push(from_screen.mul_rect(legend::area(self.last_rect)));
        }
        let (spot, in_view) = annotations::free_spot(&layout, view, &avoid, size);
        if schematic && !in_view {
            // The design and the new annotation in one view while that stays readable; else the
            // view moves to the annotation.
            let whole = layout.bounds.union(spot);
            let scale = (self.last_rect.size() / whole.size()).min_elem();
            if scale >= 0.25 {
                self.request_fit();
            } else {
                self.centre_on(spot.center());
            }
        }
        spot.center()
    }

    fn pan(&mut self, delta: Vec2) {
        self.to_screen.translation += delta;
    }
}

pub use input::CanvasInput;
pub use interact::canvas_ui;
