//! The canvas frame: input (pan, zoom, select, move, connect, drop from the palette) and painting.

use std::collections::BTreeSet;

use egui::emath::TSTransform;
use egui::{Key, PointerButton, Pos2, Rect, Sense, Stroke, StrokeKind, Ui, Vec2, vec2};
use meridian_model::design::{CardSpot, LinkKind, Placement, RoutingPolicy};
use meridian_model::edit::{self, EditError};
use meridian_model::{Catalog, Command, Design, EntityRef, RegionId, ServiceId, ServiceKind};

use super::annotations::{self, AnnotationDrag};
use super::draw::{self, Ctx, Highlight, RegionHeader};
use super::input::CanvasInput;
use super::layout::{Layout, ViewMode, unproject};
use super::resize::{self, Resize};
use super::waypoints::{self, WaypointDrag};
use super::{Canvas, Drag, ZOOM_STEP};
use super::{align, changes, follow};
use crate::gui::command::{AppCommand, CommandSender};
use crate::gui::palette::KindDrag;
use crate::gui::theme::{Palette, size};

/// Shows the canvas filling the rest of `ui`; sends what the user asked for to `commands`.
pub fn canvas_ui(ui: &mut Ui, canvas: &mut Canvas, input: &CanvasInput<'_>, commands: &CommandSender) {
    let rect = ui.available_rect_before_wrap();
    let response = ui.allocate_rect(rect, Sense::click_and_drag());
    let before = std::mem::replace(&mut canvas.last_rect, rect);
    let layout = canvas.layout(input.design, input.catalog, input.revision);
    if canvas.fit_pending {
        let target = canvas.fit_target.take().and_then(|sel| Canvas::selection_bounds(&layout, &sel));
        let least = canvas.least_fit_zoom(target);
        canvas.fit(rect, target.unwrap_or_else(|| canvas.whole_bounds(&layout)), least);
        canvas.fit_pending = false;
        canvas.fitted = Some((target, canvas.to_screen));
    } else {
        canvas.follow_resize(before, rect, &layout);
    }
    let mut out = Vec::new();
    let nudged = nudge_selection(ui, &layout, input, &mut out);
    handle_view_input(ui, canvas, &response, rect, !nudged);
    handle_pointer(ui, canvas, &response, &layout, input, &mut out);
    let dropping = response.dnd_hover_payload::<KindDrag>().is_some();
    if let Some(kind) = response.dnd_release_payload::<KindDrag>()
        && let Some(at) = response.hover_pos()
    {
        let at = canvas.to_screen.inverse().mul_pos(at);
        out.push(add_service_at(input, &layout, kind.0, at));
    }
    let pointer = response.hover_pos().map(|p| canvas.to_screen.inverse().mul_pos(p));
    paint(ui, canvas, rect, &layout, input, pointer, dropping);
    if canvas.minimap
        && let Some(jump) = super::minimap::minimap_ui(ui, rect, &layout, canvas.to_screen, input)
    {
        canvas.centre_on(jump);
    }
    if canvas.legend {
        super::legend::legend_ui(ui, rect);
    }
    for command in out {
        commands.send(command);
    }
}

/// Zoom with Ctrl+scroll or pinch, pan with scroll, arrow keys, or a middle/right drag.
fn handle_view_input(ui: &Ui, canvas: &mut Canvas, response: &egui::Response, rect: Rect, arrows_pan: bool) {
    if response.hovered() {
        let (zoom, scroll) = ui.input(|i| (wheel_zoom(&i.events), i.smooth_scroll_delta));
        if (zoom - 1.0).abs() > f32::EPSILON {
            let at = response.hover_pos().unwrap_or(rect.center());
            canvas.zoom_about(at, zoom);
        }
        if scroll != Vec2::ZERO {
            canvas.pan(scroll);
        }
    }
    if arrows_pan && !ui.ctx().egui_wants_keyboard_input() {
        let step = 14.0;
        let d = ui.input(|i| {
            vec2(
                f32::from(i.key_down(Key::ArrowLeft)) - f32::from(i.key_down(Key::ArrowRight)),
                f32::from(i.key_down(Key::ArrowUp)) - f32::from(i.key_down(Key::ArrowDown)),
            )
        });
        if d != Vec2::ZERO {
            canvas.pan(d * step);
            ui.ctx().request_repaint();
        }
    }
    let pans = response.dragged_by(PointerButton::Middle)
        || response.dragged_by(PointerButton::Secondary)
        || (response.dragged_by(PointerButton::Primary) && matches!(canvas.drag, Some(Drag::Pan)));
    if pans {
        canvas.pan(response.drag_delta());
    }
}

/// Arrow keys move the selected cards and annotations by a grid step (Shift: five), one undo step
/// per press; returns whether any are selected (then the arrows do not pan).
fn nudge_selection(ui: &Ui, layout: &Layout, input: &CanvasInput<'_>, out: &mut Vec<AppCommand>) -> bool {
    let services: Vec<&ServiceId> = input
        .selection
        .iter()
        .filter_map(|e| if let EntityRef::Service(id) = e { Some(id) } else { None })
        .collect();
    let notes = input.selection.iter().any(|e| matches!(e, EntityRef::Annotation(_)));
    if (services.is_empty() && !notes) || ui.ctx().egui_wants_keyboard_input() {
        return false;
    }
    let (delta, shift) = ui.input(|i| {
        let mut d = Vec2::ZERO;
        for (key, step) in [
            (Key::ArrowLeft, vec2(-1.0, 0.0)),
            (Key::ArrowRight, vec2(1.0, 0.0)),
            (Key::ArrowUp, vec2(0.0, -1.0)),
            (Key::ArrowDown, vec2(0.0, 1.0)),
        ] {
            if i.key_pressed(key) {
                d += step;
            }
        }
        (d, i.modifiers.shift)
    });
    if delta == Vec2::ZERO {
        return true;
    }
    let delta = delta * SNAP * if shift { 5.0 } else { 1.0 };
    let mut cmds: Vec<Command> = services
        .into_iter()
        .filter_map(|id| {
            let region = input.design.region_of(id)?;
            let (card, container) = (layout.services.get(id)?, layout.regions.get(region)?);
            Some(Command::PlaceCard(id.clone(), Some(snap(card.min + delta - container.min))))
        })
        .collect();
    cmds.extend(annotations::nudge(input.design, input.selection, delta));
    if !cmds.is_empty() {
        out.push(AppCommand::Apply(Command::Batch(cmds)));
    }
    true
}

/// The zoom factor of this frame's events: [`ZOOM_STEP`] per notch of the wheel with Ctrl (or
/// Cmd), whatever the platform's scroll speed, and pinch gestures as they come.
fn wheel_zoom(events: &[egui::Event]) -> f32 {
    let mut factor = 1.0;
    for e in events {
        match e {
            egui::Event::MouseWheel { unit, delta, modifiers, .. } if modifiers.command => {
                let notches = match unit {
                    egui::MouseWheelUnit::Line => delta.y,
                    egui::MouseWheelUnit::Page => delta.y * 3.0,
                    // Smooth scrolling (trackpads): a notch per 50 points.
                    egui::MouseWheelUnit::Point => delta.y / 50.0,
                };
                factor *= ZOOM_STEP.powf(notches);
            }
            egui::Event::Zoom(f) => factor *= f,
            _ => {}
        }
    }
    factor
}

/// How near a link's route a click picks it, in screen points.
const LINK_GRAB: f32 = 7.0;

/// What is under a canvas point.
fn hit(layout: &Layout, at: Pos2, zoom: f32, mode: ViewMode) -> Option<EntityRef> {
    let r = size::POPULATION_R / zoom.clamp(0.35, 1.6) * zoom.clamp(0.35, 1.6);
    if let Some((id, _)) = layout.populations.iter().find(|(_, p)| p.distance(at) <= r.max(8.0 / zoom)) {
        return Some(EntityRef::Population(id.clone()));
    }
    if let Some(id) = layout.service_at(at) {
        return Some(EntityRef::Service(id.clone()));
    }
    if let Some(l) = layout.link_at(at, LINK_GRAB / zoom) {
        return Some(EntityRef::Link(l.clone()));
    }
    if let Some(id) = layout.region_at(at) {
        // Regions are picked by their header (the body holds cards); in geographic view anywhere.
        let r = layout.regions[id];
        if mode == ViewMode::Geographic || at.y <= r.top() + size::REGION_HEADER {
            return Some(EntityRef::Region(id.clone()));
        }
        return Some(EntityRef::Region(id.clone()));
    }
    None
}

fn handle_pointer(
    ui: &Ui,
    canvas: &mut Canvas,
    response: &egui::Response,
    layout: &Layout,
    input: &CanvasInput<'_>,
    out: &mut Vec<AppCommand>,
) {
    let from_screen = canvas.to_screen.inverse();
    let zoom = canvas.zoom();
    let shift = ui.input(|i| i.modifiers.shift);
    let space = ui.input(|i| i.key_down(Key::Space));
    if response.drag_started_by(PointerButton::Primary) {
        let origin = ui.input(|i| i.pointer.press_origin()).unwrap_or_default();
        let at = from_screen.mul_pos(origin);
        let schematic = canvas.mode == ViewMode::Schematic && !space;
        let edge = resize::edge_at(layout, at, zoom, canvas.mode == ViewMode::Schematic).filter(|_| !space);
        canvas.drag = if let Some(d) = AnnotationDrag::start(input.design, at, zoom).filter(|_| schematic) {
            // Notes and box titles lie over the regions: they are grabbed first.
            let picked = EntityRef::Annotation(d.id.clone());
            if !input.selection.contains(&picked) {
                out.push(AppCommand::Select(BTreeSet::from([picked])));
            }
            Some(Drag::Annotation(d))
        } else if let Some((region, edges)) = edge {
            Resize::start(layout, input.design, input.catalog, region, edges, at).map(Drag::Resize)
        } else if let Some((link, index)) =
            waypoints::waypoint_at(input.design, at, zoom).filter(|_| schematic)
        {
            Some(Drag::Waypoint(WaypointDrag::moving(link, index, at)))
        } else {
            match start_drag(layout, at, zoom, canvas.mode, space) {
                // Dragging a link's line in the schematic view routes it through a new waypoint.
                Drag::Band { .. }
                    if schematic && let Some(EntityRef::Link(link)) = hit(layout, at, zoom, canvas.mode) =>
                {
                    WaypointDrag::insert(input.design, layout, link, at).map(Drag::Waypoint)
                }
                drag => Some(drag),
            }
        };
        if let Some(Drag::Move { what: what @ EntityRef::Service(_), .. }) = &canvas.drag
            && !input.selection.contains(what)
        {
            out.push(AppCommand::Select(BTreeSet::from([what.clone()])));
        }
    }
    if let Some(p) = response.interact_pointer_pos() {
        let now_at = from_screen.mul_pos(p);
        if let Some(Drag::Move { now, .. } | Drag::Band { now, .. } | Drag::Connect { now, .. }) =
            &mut canvas.drag
        {
            *now = now_at;
        } else if let Some(Drag::Resize(r)) = &mut canvas.drag {
            r.now = now_at;
        } else if let Some(Drag::Waypoint(w)) = &mut canvas.drag {
            w.now = now_at;
        } else if let Some(Drag::Annotation(a)) = &mut canvas.drag {
            a.now = now_at;
        }
    }
    // Over a region's or an annotation's edge, the cursor says it can be resized.
    let schematic = canvas.mode == ViewMode::Schematic;
    if canvas.drag.is_none()
        && let Some(at) = response.hover_pos().map(|p| from_screen.mul_pos(p))
        && let Some(edges) = annotations::edge_at(input.design, at, zoom)
            .filter(|_| schematic)
            .map(|(_, e)| e)
            .or_else(|| resize::edge_at(layout, at, zoom, schematic).map(|(_, e)| e))
    {
        ui.ctx().set_cursor_icon(edges.cursor());
    } else if let Some(Drag::Resize(r)) = &canvas.drag {
        ui.ctx().set_cursor_icon(r.edges.cursor());
    } else if let Some(Drag::Annotation(AnnotationDrag { edges: Some(e), .. })) = &canvas.drag {
        ui.ctx().set_cursor_icon(e.cursor());
    }
    if response.drag_stopped()
        && let Some(drag) = canvas.drag.take()
    {
        // A region grown or shrunk by its left or top edge: its cards get spots shifted by the
        // growth; the view pans by it so that they stay where they are on screen.
        if let Drag::Resize(r) = &drag
            && r.command().is_some()
        {
            canvas.pan(r.origin_shift() * zoom);
        }
        finish_drag(drag, layout, input, (canvas.mode, zoom), out);
    }
    // A double-click on a waypoint removes it.
    if response.double_clicked()
        && canvas.mode == ViewMode::Schematic
        && let Some(p) = response.interact_pointer_pos()
        && let Some((link, index)) = waypoints::waypoint_at(input.design, from_screen.mul_pos(p), zoom)
    {
        out.extend(waypoints::remove(input.design, &link, index).map(AppCommand::Apply));
    }
    if response.clicked() {
        let at = response.interact_pointer_pos().map(|p| from_screen.mul_pos(p));
        let picked = at.and_then(|at| {
            let note = (canvas.mode == ViewMode::Schematic).then(|| annotations::pick(input.design, at));
            note.flatten().or_else(|| hit(layout, at, zoom, canvas.mode))
        });
        let mut selection = if shift { input.selection.clone() } else { BTreeSet::new() };
        if let Some(e) = picked {
            if shift && selection.contains(&e) {
                selection.remove(&e);
            } else {
                selection.insert(e);
            }
        }
        out.push(AppCommand::Select(selection));
    }
}

fn start_drag(layout: &Layout, at: Pos2, zoom: f32, mode: ViewMode, space: bool) -> Drag {
    if space {
        return Drag::Pan;
    }
    // The connection handle of a card wins over the card itself.
    for (id, rect) in &layout.services {
        let (h, r) = draw::handle_pos(*rect);
        if h.distance(at) <= r.max(8.0 / zoom) {
            return Drag::Connect { from: id.clone(), now: at };
        }
    }
    match hit(layout, at, zoom, mode) {
        Some(e @ (EntityRef::Service(_) | EntityRef::Population(_))) => {
            Drag::Move { what: e, grab: at, now: at }
        }
        Some(e @ EntityRef::Region(_)) if mode == ViewMode::Schematic => {
            Drag::Move { what: e, grab: at, now: at }
        }
        _ => Drag::Band { start: at, now: at },
    }
}

fn finish_drag(
    drag: Drag,
    layout: &Layout,
    input: &CanvasInput<'_>,
    (mode, zoom): (ViewMode, f32),
    out: &mut Vec<AppCommand>,
) {
    match drag {
        Drag::Pan => {}
        Drag::Resize(r) => out.extend(
            r.command()
                .map(|c| AppCommand::Apply(follow::with_waypoints(input.design, input.catalog, layout, c))),
        ),
        Drag::Waypoint(w) => out.extend(w.command(input.design).map(AppCommand::Apply)),
        Drag::Annotation(a) => out.extend(a.command(input.design).map(AppCommand::Apply)),
        Drag::Band { start, now } => {
            let band = Rect::from_two_pos(start, now);
            let mut sel: BTreeSet<EntityRef> = layout
                .services
                .iter()
                .filter(|(_, r)| band.intersects(**r))
                .map(|(id, _)| EntityRef::Service(id.clone()))
                .collect();
            sel.extend(
                layout
                    .populations
                    .iter()
                    .filter(|(_, p)| band.contains(**p))
                    .map(|(id, _)| EntityRef::Population(id.clone())),
            );
            // Notes and boxes the band holds whole (a band drawn inside a box selects what is
            // in it, not the box around it); the geographic layout has none.
            sel.extend(
                layout
                    .annotations
                    .iter()
                    .filter(|(_, r)| band.contains_rect(**r))
                    .map(|(id, _)| EntityRef::Annotation(id.clone())),
            );
            out.push(AppCommand::Select(sel));
        }
        Drag::Connect { from, now } => {
            if let Some(to) = layout.service_at(now)
                && *to != from
            {
                out.push(connect(input, &from, to));
            }
        }
        Drag::Move { what, grab, now } => {
            if grab.distance(now) < 4.0 {
                return;
            }
            match what {
                EntityRef::Service(id) => out.extend(move_services(layout, input, &id, (grab, now), zoom)),
                EntityRef::Region(id) => out.extend(move_region(layout, input.design, &id, now).map(|c| {
                    AppCommand::Apply(follow::with_waypoints(input.design, input.catalog, layout, c))
                })),
                EntityRef::Population(id) if mode == ViewMode::Geographic => {
                    if let Some(p) = input.design.population(&id) {
                        let at = layout.populations.get(&id).copied().unwrap_or(now) + (now - grab);
                        let (lon, lat) = unproject(at);
                        let mut p = p.clone();
                        p.location = meridian_model::geo::GeoPoint {
                            lat: (lat * 100.0).round() / 100.0,
                            lon: (lon * 100.0).round() / 100.0,
                        };
                        out.push(AppCommand::Apply(Command::UpdatePopulation(p)));
                    }
                }
                _ => {}
            }
        }
    }
}

/// Moves the selected services by `now - grab`: to the spot they are dropped on (snapped to the
/// grid) inside the region under the pointer, changing their region if it is another one; into
/// the global band (laid out automatically). One drag is one command, so one undo step.
fn move_services(
    layout: &Layout,
    input: &CanvasInput<'_>,
    grabbed: &ServiceId,
    (grab, now): (Pos2, Pos2),
    zoom: f32,
) -> Vec<AppCommand> {
    let target = if layout.global_band.contains(now) {
        Placement::Global
    } else if let Some(r) = layout.region_at(now) {
        Placement::Region(r.clone())
    } else {
        return vec![AppCommand::Tell(
            "Drop services into a region, or global services into the global band.".into(),
        )];
    };
    // Every selected card moves as the grabbed one lands (on the grid, or lined up with a card).
    let moving = |id: &ServiceId| input.selection.contains(&EntityRef::Service(id.clone()));
    let delta = layout.services.get(grabbed).map_or(now - grab, |card| {
        align::shift(align::landing(layout, *card, grab, now, zoom, &moving), *card)
    });
    let mut cmds = Vec::new();
    for e in input.selection {
        let EntityRef::Service(id) = e else { continue };
        let (Some(s), Some(card)) = (input.design.service(id), layout.services.get(id)) else { continue };
        if s.placement != target {
            let mut s = s.clone();
            s.placement = target.clone();
            s.config.azs.clear();
            cmds.push(Command::UpdateService(s));
        }
        let spot = match &target {
            Placement::Region(r) => layout.regions.get(r).map(|c| spot_at(card.min + delta - c.min)),
            Placement::Global => None,
        };
        if input.design.card_spots().get(id) != spot.as_ref() {
            cmds.push(Command::PlaceCard(id.clone(), spot));
        }
    }
    if cmds.is_empty() { Vec::new() } else { vec![AppCommand::Apply(Command::Batch(cmds))] }
}

pub use align::SNAP;

/// A card's offset in its container as a spot, kept below the header and off the left edge.
fn spot_at(offset: Vec2) -> CardSpot {
    #[allow(clippy::cast_possible_truncation)]
    CardSpot { x: offset.x.round().max(0.0) as i32, y: offset.y.round().max(size::REGION_HEADER) as i32 }
}

/// A card's offset in its container, snapped to the grid and kept below the header.
fn snap(offset: Vec2) -> CardSpot {
    let x = (offset.x / SNAP).round() * SNAP;
    let y = ((offset.y / SNAP).round() * SNAP).max(size::REGION_HEADER);
    CardSpot { x: x.max(0.0) as i32, y: y as i32 }
}

/// Moves a region to the grid cell under `at`, swapping with the region there; pins every region
/// to its cell so that nothing else moves.
fn move_region(layout: &Layout, design: &Design, id: &RegionId, at: Pos2) -> Option<Command> {
    let from = layout.cells.get(id).copied()?;
    let to = layout.cell_at(at);
    if to == from {
        return None;
    }
    let mut cmds = Vec::new();
    for (r, cell) in &layout.cells {
        let cell = if r == id {
            to
        } else if *cell == to {
            from
        } else {
            *cell
        };
        if design.layout().get(r) != Some(&cell) {
            cmds.push(Command::MoveRegion(r.clone(), Some(cell)));
        }
    }
    Some(Command::Batch(cmds))
}

/// Adds a service of `kind` in the region (or global band) under `at`.
pub fn add_service_at(input: &CanvasInput<'_>, layout: &Layout, kind: ServiceKind, at: Pos2) -> AppCommand {
    match edit::add_service(input.design, input.catalog, kind, layout.region_at(at)) {
        Ok((cmd, _)) => AppCommand::Apply(cmd),
        Err(EditError::NeedsRegion { short }) => {
            AppCommand::Tell(format!("{short} is a regional service: drop it into a region."))
        }
        Err(e) => AppCommand::Tell(e.to_string()),
    }
}

/// The link a drag from `from` to `to` makes ([`edit::connect`]); the model refuses illegal ones
/// with a reason when the link is applied.
pub fn connect(input: &CanvasInput<'_>, from: &ServiceId, to: &ServiceId) -> AppCommand {
    match edit::connect(input.design, input.catalog, from, to) {
        Ok(cmd) => AppCommand::Apply(cmd),
        Err(EditError::NotServices) => AppCommand::Tell("Both ends of a link must be services.".into()),
        Err(e) => AppCommand::Tell(e.to_string()),
    }
}

#[allow(clippy::too_many_lines)] // One painting pass, in drawing order; splitting it hides the order.
fn paint(
    ui: &mut Ui,
    canvas: &Canvas,
    rect: Rect,
    layout: &Layout,
    input: &CanvasInput<'_>,
    pointer: Option<Pos2>,
    dropping: bool,
) {
    let canvas_painter = ui.painter_at(rect);
    let pal = Palette::of(ui.visuals());
    let pal = if canvas.mode == ViewMode::Geographic { pal.over_map() } else { pal };
    let to_screen: TSTransform = canvas.to_screen;
    let visible = to_screen.inverse().mul_rect(rect);
    let icons = crate::gui::icons::Textures::of(ui.ctx());
    let c = Ctx { painter: &canvas_painter, to_screen, visible, pal, catalog: input.catalog, icons };
    draw::background(&c, rect, canvas.mode == ViewMode::Schematic);
    if canvas.mode == ViewMode::Geographic {
        draw::world_map(&c);
    }
    let design = input.design;
    let drop_region = (dropping
        || matches!(canvas.drag, Some(Drag::Move { what: EntityRef::Service(_), .. })))
    .then(|| pointer.and_then(|p| layout.region_at(p)))
    .flatten();

    // Global band and regions.
    if layout.global_band.intersects(visible) {
        let header =
            RegionHeader { code: "Global", city: "services with no home region", jurisdiction: "", azs: 0 };
        let hot = dropping && pointer.is_some_and(|p| layout.global_band.contains(p));
        let stroke = if hot { pal.selected_stroke() } else { Stroke::new(1.0, pal.region_stroke) };
        draw::container(&c, layout.global_band, &header, pal.global_fill, stroke);
    }
    for (id, r) in &layout.regions {
        if canvas.mode == ViewMode::Geographic
            && let Some(a) = layout.region_anchors.get(id)
        {
            draw::anchor(&c, *a, *r);
        }
        if !r.intersects(visible) {
            continue;
        }
        let info = input.catalog.region(id.as_str());
        let e = EntityRef::Region(id.clone());
        let stroke = if input.selection.contains(&e) || drop_region == Some(id) {
            pal.selected_stroke()
        } else if input.failed.contains(&e) {
            Stroke::new(2.5, pal.error)
        } else if input.warnings.contains(&e) {
            Stroke::new(2.0, pal.warning)
        } else {
            Stroke::new(1.2, pal.region_stroke)
        };
        let header = RegionHeader {
            code: id.as_str(),
            city: info.map_or("", |i| i.city.as_str()),
            jurisdiction: info.map_or("", |i| i.jurisdiction.as_str()),
            azs: design.region(id).map_or(0, |r| r.azs.len()),
        };
        let fill = if input.failed.contains(&e) { pal.error.gamma_multiply(0.12) } else { pal.region_fill };
        draw::container(&c, *r, &header, fill, stroke);
        if let Some(status) = input.changes.and_then(|m| m.get(&e)) {
            draw::change_mark(&c, *r, *status);
        }
    }

    // Group boxes: over the region fills, under the links and cards.
    if canvas.mode == ViewMode::Schematic {
        annotations::paint_groups(ui, &c, design, input.selection);
    }

    // Links along their routes: above the region fills, under the cards, labels above the lines.
    // At overview zoom a link inside a region is a few pixels long: only links between regions show.
    let overview = c.to_screen.scaling < 0.25;
    let mut shown = Vec::new();
    for l in design.links() {
        let Some(route) = layout.routes.get(&l.id) else { continue };
        if !route.bounds.intersects(visible) {
            continue;
        }
        if overview && design.region_of(&l.from) == design.region_of(&l.to) {
            continue;
        }
        let e = EntityRef::Link(l.id.clone());
        let (selected, warning) = (input.selection.contains(&e), input.warnings.contains(&e));
        draw::link(&c, route, l, selected, warning);
        if let Some(status) = input.changes.and_then(|m| m.get(&e)) {
            changes::link(&c, route, *status);
        }
        shown.push((l, route, selected, warning));
    }
    changes::removed_links(&c, layout, input.removed_links);
    for (l, route, selected, warning) in shown {
        if let Some(bg) = draw::link_label_box(&c, route, l, selected, warning)
            && let Some(label) = &route.label
        {
            let resp = ui.interact(bg, ui.scope_id().with(("link-label", l.id.as_str())), Sense::hover());
            let name = format!("Link {} → {}: {}", l.from, l.to, label.full);
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
            if label.shortened() {
                resp.on_hover_text(label.full.clone());
            }
        }
    }

    // Populations and where they enter; during a simulated incident, where they are served.
    for p in design.populations() {
        let Some(at) = layout.populations.get(&p.id) else { continue };
        if let Some(serving) = input.serving.and_then(|s| s.get(&p.id)) {
            for region in serving {
                if let Some(r) = layout.regions.get(region) {
                    draw::population_line(&c, *at, *r, true, &containers_apart_from(layout, *r));
                }
            }
            continue;
        }
        if let Some(entry) = p.entry.as_ref().and_then(|e| layout.services.get(e)) {
            draw::population_line(&c, *at, *entry, true, &containers_apart_from(layout, *entry));
        }
        if canvas.mode == ViewMode::Geographic {
            for (region, strong) in served_regions(design, input.catalog, p) {
                if let Some(r) = layout.regions.get(&region) {
                    draw::population_line(&c, *at, *r, strong, &containers_apart_from(layout, *r));
                }
            }
        }
    }

    // Cards, with accessible labels so tests and screen readers find them.
    let interactive = c.labels();
    for s in design.services() {
        let Some(r) = layout.services.get(&s.id) else { continue };
        if !r.intersects(visible) {
            continue;
        }
        let e = EntityRef::Service(s.id.clone());
        let hovered = pointer.is_some_and(|p| r.contains(p));
        let h = Highlight {
            selected: input.selection.contains(&e),
            hovered,
            warning: input.warnings.contains(&e),
            failed: input.failed.contains(&e),
        };
        draw::card(&c, *r, s, h);
        if let Some(status) = input.changes.and_then(|m| m.get(&e)) {
            draw::change_mark(&c, *r, *status);
        }
        if interactive {
            if hovered || h.selected {
                let hot = pointer.is_some_and(|p| draw::handle_pos(*r).0.distance(p) <= 10.0);
                draw::handle(&c, *r, hot);
            }
            let resp = ui.interact(
                to_screen.mul_rect(*r),
                ui.scope_id().with(("card", s.id.as_str())),
                Sense::hover(),
            );
            let label = format!("Service {}", s.name);
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if let Some(cost) = input.costs.and_then(|c| c.get(&s.id)) {
                resp.on_hover_text(format!("{} · ${cost:.2} per month", s.name));
            }
        }
    }
    // Notes: above the cards.
    if canvas.mode == ViewMode::Schematic {
        annotations::paint_notes(ui, &c, design, input.selection);
    }
    if let Some(marks) = input.changes {
        let links = design.links().filter_map(|l| marks.get(&EntityRef::Link(l.id.clone())).map(|s| (l, *s)));
        changes::badges(ui, &c, layout, links, input.removed_links);
    }
    for p in design.populations() {
        let Some(at) = layout.populations.get(&p.id) else { continue };
        let hovered = pointer.is_some_and(|ptr| {
            ptr.distance(*at) <= size::POPULATION_R * 1.5 / c.to_screen.scaling.clamp(0.35, 1.6)
        });
        if hovered {
            // Where this population's data can reach, by data class.
            let reach = meridian_model::compliance::data_reach(design, input.catalog, &p.id);
            let reached: BTreeSet<&ServiceId> = reach.values().flat_map(|m| m.keys()).collect();
            for id in reached {
                if let Some(r) = layout.services.get(id) {
                    canvas_painter.rect_stroke(
                        to_screen.mul_rect(r.expand(4.0)),
                        8.0,
                        Stroke::new(2.5, pal.population),
                        StrokeKind::Outside,
                    );
                    draw::population_line(&c, *at, *r, false, &containers_apart_from(layout, *r));
                }
            }
            let classes: Vec<&String> = reach.keys().collect();
            egui::Tooltip::always_open(
                ui.ctx().clone(),
                ui.layer_id(),
                ui.scope_id().with("reach"),
                egui::PopupAnchor::Pointer,
            )
            .show(|ui| {
                ui.label(format!(
                    "{}: data ({}) can reach the outlined services",
                    p.name,
                    classes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                ));
                // The round trips the simulator uses for this population (latency model).
                for path in meridian_model::latency::population_paths(design, input.catalog, p) {
                    ui.label(format!("to {}: {}", path.region, meridian_assess::network::path_text(&path)));
                }
            });
        }
        let e = EntityRef::Population(p.id.clone());
        draw::population(&c, *at, p, input.selection.contains(&e));
        if let Some(status) = input.changes.and_then(|m| m.get(&e)) {
            changes::population(ui, &c, *at, p, *status);
        }
    }

    // The waypoints of the selected links, as handles to drag or double-click.
    if canvas.mode == ViewMode::Schematic {
        for e in input.selection {
            if let EntityRef::Link(link) = e {
                waypoints::paint_handles(
                    &canvas_painter,
                    design,
                    link,
                    |p| to_screen.mul_pos(p),
                    Stroke::new(1.5, pal.selection),
                );
            }
        }
    }

    // The drag in progress.
    match &canvas.drag {
        Some(Drag::Band { start, now }) => {
            let band = to_screen.mul_rect(Rect::from_two_pos(*start, *now));
            canvas_painter.rect(
                band,
                2.0,
                pal.selection.gamma_multiply(0.08),
                Stroke::new(1.0, pal.selection),
                StrokeKind::Inside,
            );
        }
        Some(Drag::Connect { from, now }) => {
            if let Some(r) = layout.services.get(from) {
                let a = to_screen.mul_pos(draw::handle_pos(*r).0);
                canvas_painter.line_segment([a, to_screen.mul_pos(*now)], Stroke::new(2.0, pal.selection));
            }
        }
        Some(Drag::Move { what: EntityRef::Service(grabbed), grab, now }) => {
            let zoom = to_screen.scaling;
            let moving = |id: &ServiceId| input.selection.contains(&EntityRef::Service(id.clone()));
            let delta = layout.services.get(grabbed).map_or(*now - *grab, |card| {
                align::shift(align::landing(layout, *card, *grab, *now, zoom, &moving), *card)
            });
            for e in input.selection {
                if let EntityRef::Service(id) = e
                    && let Some(r) = layout.services.get(id)
                {
                    canvas_painter.rect_stroke(
                        to_screen.mul_rect(r.translate(delta)),
                        6.0,
                        Stroke::new(1.5, pal.selection),
                        StrokeKind::Inside,
                    );
                }
            }
            // Alignment guides: edges and centres of the grabbed card level with other cards.
            if let Some(r) = layout.services.get(grabbed) {
                let ghost = r.translate(delta);
                let guide = Stroke::new(1.0, pal.selection.gamma_multiply(0.8));
                for (other_id, o) in &layout.services {
                    if input.selection.contains(&EntityRef::Service(other_id.clone()))
                        || !o.intersects(visible)
                    {
                        continue;
                    }
                    for (a, b) in [
                        (ghost.left(), o.left()),
                        (ghost.center().x, o.center().x),
                        (ghost.right(), o.right()),
                    ] {
                        if (a - b).abs() < 0.5 {
                            let (y0, y1) = (ghost.top().min(o.top()), ghost.bottom().max(o.bottom()));
                            let line =
                                [to_screen.mul_pos(egui::pos2(a, y0)), to_screen.mul_pos(egui::pos2(a, y1))];
                            canvas_painter.extend(egui::Shape::dashed_line(&line, guide, 5.0, 4.0));
                        }
                    }
                    for (a, b) in [
                        (ghost.top(), o.top()),
                        (ghost.center().y, o.center().y),
                        (ghost.bottom(), o.bottom()),
                    ] {
                        if (a - b).abs() < 0.5 {
                            let (x0, x1) = (ghost.left().min(o.left()), ghost.right().max(o.right()));
                            let line =
                                [to_screen.mul_pos(egui::pos2(x0, a)), to_screen.mul_pos(egui::pos2(x1, a))];
                            canvas_painter.extend(egui::Shape::dashed_line(&line, guide, 5.0, 4.0));
                        }
                    }
                }
            }
        }
        Some(Drag::Waypoint(w)) => {
            w.paint(
                &canvas_painter,
                design,
                layout,
                |p| to_screen.mul_pos(p),
                Stroke::new(1.5, pal.selection),
            );
        }
        Some(Drag::Annotation(a)) => a.paint(&c),
        Some(Drag::Resize(r)) => {
            canvas_painter.rect_stroke(
                to_screen.mul_rect(r.ghost()),
                8.0,
                Stroke::new(2.0, pal.selection),
                StrokeKind::Inside,
            );
        }
        Some(Drag::Move { what: EntityRef::Region(id), grab, now }) => {
            if let Some(r) = layout.regions.get(id) {
                let ghost = to_screen.mul_rect(r.translate(*now - *grab));
                canvas_painter.rect_stroke(ghost, 8.0, Stroke::new(2.0, pal.selection), StrokeKind::Inside);
            }
        }
        _ => {}
    }

    if design.regions().len() == 0 && design.services().len() == 0 {
        canvas_painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "An empty design.\nAdd a region (Edit > Add region…, Ctrl+Shift+R),\nthen drag service kinds from the palette into it.",
            egui::FontId::proportional(16.0),
            pal.text_weak,
        );
    }
}

/// The containers (regions and the global band) that do not hold `target`: population lines go
/// around them so that they cross no card.
fn containers_apart_from(layout: &Layout, target: Rect) -> Vec<Rect> {
    let band = layout.global_band.is_positive().then_some(layout.global_band);
    layout.regions.values().copied().chain(band).filter(|r| !r.contains(target.center())).collect()
}

/// The regions a population's entry router can send it to, the usual one (nearest, or the
/// failover primary) marked strong.
fn served_regions(
    design: &Design,
    catalog: &Catalog,
    p: &meridian_model::design::Population,
) -> Vec<(RegionId, bool)> {
    let Some(entry) = &p.entry else { return Vec::new() };
    let mut targets: Vec<(RegionId, f64, bool)> = Vec::new();
    let mut visit = vec![entry.clone()];
    let mut seen = BTreeSet::new();
    while let Some(s) = visit.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        if let Some(r) = design.region_of(&s) {
            let d = catalog.region(r.as_str()).map_or(f64::MAX, |i| i.location.distance_km(&p.location));
            targets.push((r.clone(), d, false));
            continue;
        }
        for l in design.links_from(&s) {
            if let LinkKind::Routing(rt) = &l.kind {
                if rt.policy
                    != (RoutingPolicy::Failover { role: meridian_model::design::FailoverRole::Secondary })
                {
                    visit.push(l.to.clone());
                } else if let Some(r) = design.region_of(&l.to) {
                    targets.push((r.clone(), f64::MAX, false));
                }
            }
        }
    }
    if let Some(best) = targets.iter_mut().filter(|t| t.1 < f64::MAX).min_by(|a, b| a.1.total_cmp(&b.1)) {
        best.2 = true;
    }
    targets.sort_by(|a, b| a.0.cmp(&b.0));
    targets.dedup_by(|a, b| {
        if a.0 == b.0 {
            b.2 |= a.2;
            true
        } else {
            false
        }
    });
    targets.into_iter().map(|(r, _, strong)| (r, strong)).collect()
}
