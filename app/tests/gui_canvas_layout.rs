//! Region containers resized by their left and top edges and every corner, waypoints that
//! follow their region when it moves, and the view refitted when the window is resized (fit mode),
//! driven through the real app by position (egui_kittest, no
//! GPU; issue 19, "free layout").

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::{drag, harness_on as harness};

use egui::{Pos2, Vec2, pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::MeridianApp;
use meridian::gui::actions::Action;
use meridian::gui::command::AppCommand;
use meridian_assess::canvas_layout::size;
use meridian_model::design::{RegionSize, Waypoint};
use meridian_model::{Catalog, Command, LinkId, RegionId, ServiceId};

/// A canvas point on screen.
fn on_screen(h: &Harness<'_, MeridianApp>, at: Pos2) -> Pos2 {
    h.state().canvas.to_screen().mul_pos(at)
}

fn undo(h: &mut Harness<'_, MeridianApp>) {
    h.state().commands().send(AppCommand::Run(Action::Undo));
    h.run_steps(2);
}

/// Zoom to fit, as the menu does; the zoom it gives.
fn refit(h: &mut Harness<'_, MeridianApp>) -> f32 {
    h.state().commands().send(AppCommand::Run(Action::ZoomToFit));
    h.run_steps(3);
    h.state().canvas.zoom()
}

/// Where the cards of `region` are on screen.
fn cards_on_screen(h: &mut Harness<'_, MeridianApp>, region: &RegionId) -> Vec<(ServiceId, egui::Rect)> {
    let layout = h.state_mut().canvas_layout();
    let to_screen = h.state().canvas.to_screen();
    h.state()
        .design()
        .services_in(region)
        .map(|s| (s.id.clone(), to_screen.mul_rect(layout.services[&s.id])))
        .collect()
}

fn assert_same_place(before: &[(ServiceId, egui::Rect)], after: &[(ServiceId, egui::Rect)]) {
    assert_eq!(before.len(), after.len());
    for ((id, a), (_, b)) in before.iter().zip(after) {
        assert!((a.min - b.min).length() < 0.5, "{id} moved on screen from {a:?} to {b:?}");
    }
}

#[test]
fn a_region_resized_by_its_left_and_top_edges_and_corners_keeps_its_cards_in_place() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let region = RegionId::new("us-east-1");
    let before = h.state_mut().canvas_layout().regions[&region];
    let cards = cards_on_screen(&mut h, &region);
    let zoom = h.state().canvas.zoom();
    let revision = h.state().editor().revision();
    let want = |v: f32| ((v / 10.0).round() * 10.0) as u32;

    // The top-left corner, 100 units left and 60 up: the container grows by that much, its
    // top-left corner follows the pointer on screen, its cards stay where they are.
    let far = on_screen(&h, before.right_bottom());
    let corner = on_screen(&h, before.left_top()) + vec2(2.0, 2.0);
    let to = corner - vec2(100.0, 60.0) * zoom;
    drag(&mut h, corner, to);
    let size = *h.state().design().region_sizes().get(&region).expect("the region has a size");
    assert_eq!(
        size,
        RegionSize { width: want(before.width() + 100.0), height: want(before.height() + 60.0) }
    );
    assert_eq!(h.state().editor().revision(), revision + 1, "one drag, one command");
    assert_same_place(&cards, &cards_on_screen(&mut h, &region));
    let after = h.state_mut().canvas_layout().regions[&region];
    let screen = h.state().canvas.to_screen().mul_rect(after);
    assert!((screen.left_top() - (to - vec2(2.0, 2.0))).length() < 10.0 * zoom, "{screen:?} vs {to:?}");
    assert!((screen.right_bottom() - far).length() < 1.0, "the far corner stays: {screen:?} {far:?}");
    // Saved: the size and the cards' new spots, in the file's layout section.
    let text = meridian_model::format::to_string(h.state().design(), "").unwrap();
    assert!(text.contains("region_sizes:") && text.contains("cards:"), "{text}");
    let catalog = Catalog::builtin().unwrap();
    let back = meridian_model::format::load_str(&text, std::path::Path::new("x.ron"), catalog).unwrap();
    assert_eq!(back.design.card_spots(), h.state().design().card_spots());

    // Undo: one step back to the automatic layout.
    undo(&mut h);
    assert!(h.state().design().region_sizes().is_empty());
    assert!(h.state().design().card_spots().is_empty());
    assert_eq!(h.state_mut().canvas_layout().regions[&region], before);

    // The left edge dragged far inside stops at the cards' padding: every card stays inside and
    // none moves on screen.
    let cards = cards_on_screen(&mut h, &region);
    let edge = on_screen(&h, before.left_center()) + vec2(2.0, 0.0);
    drag(&mut h, edge, edge + vec2(700.0, 0.0) * zoom);
    let narrow = h.state().design().region_sizes().get(&region).map_or(before.width(), |s| s.width as f32);
    assert!(narrow < before.width() + 10.0, "auto-placed cards already sit at the padding: {narrow}");
    assert_same_place(&cards, &cards_on_screen(&mut h, &region));
    let layout = h.state_mut().canvas_layout();
    for s in h.state().design().services_in(&region) {
        assert!(layout.regions[&region].contains_rect(layout.services[&s.id]), "{} sticks out", s.id);
    }
    if !h.state().design().region_sizes().is_empty() {
        undo(&mut h);
    }

    // The top-right and bottom-left corners.
    let cards = cards_on_screen(&mut h, &region);
    let corner = on_screen(&h, before.right_top()) + vec2(-2.0, 2.0);
    drag(&mut h, corner, corner + vec2(80.0, -50.0) * zoom);
    let size = h.state().design().region_sizes()[&region];
    assert_eq!(size, RegionSize { width: want(before.width() + 80.0), height: want(before.height() + 50.0) });
    assert_same_place(&cards, &cards_on_screen(&mut h, &region));
    undo(&mut h);
    // A left or top drag pans the view by the growth, and undo leaves the view where it is: fit
    // again so that the corner is clear of the canvas's overlays.
    let zoom = refit(&mut h);
    let cards = cards_on_screen(&mut h, &region);
    let corner = on_screen(&h, before.left_bottom()) + vec2(2.0, -2.0);
    drag(&mut h, corner, corner + vec2(-120.0, 70.0) * zoom);
    let size = h.state().design().region_sizes()[&region];
    assert_eq!(
        size,
        RegionSize { width: want(before.width() + 120.0), height: want(before.height() + 70.0) }
    );
    assert_same_place(&cards, &cards_on_screen(&mut h, &region));
    let layout = h.state_mut().canvas_layout();
    for s in h.state().design().services_in(&region) {
        assert!(layout.regions[&region].contains_rect(layout.services[&s.id]), "{} sticks out", s.id);
    }
}

#[test]
fn waypoints_move_with_their_region_when_it_moves_in_one_undo_step() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let layout = h.state_mut().canvas_layout();
    let (west, east) = (RegionId::new("us-east-1"), RegionId::new("eu-west-1"));
    let (w, e) = (layout.regions[&west], layout.regions[&east]);
    assert!(w.left() < e.left(), "us-east-1 is west of eu-west-1");
    // A waypoint inside each region and one in the gap between them.
    let inner = LinkId::new("api-orders-use1");
    let across = LinkId::new("orders-global-table");
    let grid = |v: f32| ((v / 10.0).round() * 10.0) as i32;
    let in_west = Waypoint { x: grid(w.center().x), y: grid(w.bottom() - 20.0) };
    let gap = Waypoint { x: grid(f32::midpoint(w.right(), e.left())), y: grid(w.center().y) };
    let in_east = Waypoint { x: grid(e.center().x), y: grid(e.bottom() - 20.0) };
    for (link, points) in [(&inner, vec![in_west]), (&across, vec![in_west, gap, in_east])] {
        h.state().commands().send(AppCommand::Apply(Command::SetWaypoints(link.clone(), points)));
        h.run_steps(2);
    }
    let revision = h.state().editor().revision();

    // Drag us-east-1 by its header, where no link passes (a press on a link bends it), into
    // eu-west-1's cell: they swap.
    let routes: Vec<_> = layout.routes.values().cloned().collect();
    let header_y = w.top() + size::REGION_HEADER / 2.0;
    let grab_x = (1..60)
        .map(|k| w.left() + 10.0 * k as f32)
        .find(|gx| routes.iter().all(|r| r.distance(pos2(*gx, header_y)) > 20.0))
        .expect("a free spot in the header");
    let from = on_screen(&h, pos2(grab_x, header_y));
    let to = on_screen(&h, pos2(e.left() + (grab_x - w.left()), header_y));
    drag(&mut h, from, to);
    assert_eq!(h.state().editor().revision(), revision + 1, "the move and the waypoints: one command");
    let layout = h.state_mut().canvas_layout();
    let (w2, e2) = (layout.regions[&west], layout.regions[&east]);
    assert!(w2.left() > e2.left(), "the regions swapped: {w2:?} {e2:?}");
    let shift = |before: egui::Rect, after: egui::Rect, p: Waypoint| {
        let d: Vec2 = after.min - before.min;
        Waypoint { x: p.x + d.x.round() as i32, y: p.y + d.y.round() as i32 }
    };
    let wp = h.state().design().waypoints().clone();
    assert_eq!(wp[&inner], vec![shift(w, w2, in_west)], "a waypoint inside a region moves with it");
    assert_eq!(
        wp[&across],
        vec![shift(w, w2, in_west), gap, shift(e, e2, in_east)],
        "between two regions each waypoint moves with the region it lies in; the gap's stays"
    );
    // The route still passes through its waypoints.
    let route = layout.routes[&inner].clone();
    let p = wp[&inner][0];
    assert!(route.distance(pos2(p.x as f32, p.y as f32)) < 0.5, "{route:?}");

    // One undo: the regions and the waypoints are back.
    undo(&mut h);
    assert_eq!(h.state().design().waypoints()[&inner], vec![in_west]);
    assert_eq!(h.state().design().waypoints()[&across], vec![in_west, gap, in_east]);
    assert_eq!(h.state_mut().canvas_layout().regions[&west], w);
}

#[test]
fn a_resized_window_refits_until_the_user_zooms_then_keeps_the_view_centre() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    h.run_steps(12);
    assert!(h.state().canvas.fit_mode(), "opening a design fits it");
    // Zoom to fit: the whole design at any zoom (opening keeps a readable least zoom instead).
    h.state_mut().canvas.request_fit();
    h.run_steps(3);
    let bounds = h.state_mut().canvas_layout().bounds;
    let zoom = h.state().canvas.zoom();

    // Smaller: fitted again, everything in view.
    h.set_size(vec2(1280.0, 800.0));
    h.run_steps(3);
    assert!(h.state().canvas.fit_mode());
    let visible = h.state().canvas.visible().unwrap();
    assert!(visible.expand(1.0).contains_rect(bounds), "{bounds:?} not in {visible:?}");
    assert!(h.state().canvas.zoom() < zoom, "zoomed out to fit the smaller window");

    // Zoomed by hand: fit mode ends; a resize keeps the canvas point at the centre of the view.
    h.state().commands().send(AppCommand::Run(Action::ZoomIn));
    h.run_steps(2);
    assert!(!h.state().canvas.fit_mode());
    let zoomed = h.state().canvas.zoom();
    let centre = |h: &Harness<'_, MeridianApp>| {
        h.state().canvas.to_screen().inverse().mul_pos(h.state().canvas.screen_rect().center())
    };
    let before = centre(&h);
    h.set_size(vec2(1600.0, 1000.0));
    h.run_steps(3);
    assert!((centre(&h) - before).length() < 0.5, "{:?} vs {before:?}", centre(&h));
    assert!((h.state().canvas.zoom() - zoomed).abs() < 1e-4, "the zoom stays");

    // Zoom to fit: fit mode again.
    h.state().commands().send(AppCommand::Run(Action::ZoomToFit));
    h.run_steps(2);
    assert!(h.state().canvas.fit_mode());
}

/// Runs the Simulation tab's scenario (3 runs) and waits for it.
fn simulate(h: &mut Harness<'_, MeridianApp>) {
    h.state_mut().sim_panel().runs = 3;
    h.state_mut().show_tab(meridian::gui::panels::Tab::Simulation);
    h.run_steps(2);
    h.get_by_label("Run").click();
    h.run_steps(1);
    let started = std::time::Instant::now();
    while h.state_mut().sim_panel().running() {
        assert!(started.elapsed() < std::time::Duration::from_mins(2), "the run finishes");
        std::thread::sleep(std::time::Duration::from_millis(50));
        h.run_steps(1);
    }
    h.run_steps(3);
}

#[test]
fn every_simulation_figure_fits_its_column_at_1280x800_and_1600x1000() {
    for size in [vec2(1280.0, 800.0), vec2(1600.0, 1000.0)] {
        let mut h = harness("active-active-2region.ron", size);
        simulate(&mut h);
        // The figures' "Scenario" key (the run controls above have a "Scenario" label too).
        let key = h
            .get_all_by_label("Scenario")
            .map(|n| n.rect())
            .max_by(|a, b| a.top().total_cmp(&b.top()))
            .unwrap();
        let chart = h.get_by_label_contains("Share of requests within a latency").rect();
        assert!(chart.left() > key.right(), "the chart stands beside the figures at {size:?}");
        // Every label of the figures column (keys and values) ends before the chart's column.
        let mut figures = 0;
        for node in h.query_all_by_label_contains("") {
            let r = node.rect();
            if r.left() >= key.left() - 1.0 && r.left() < chart.left() && r.top() >= key.top() - 1.0 {
                figures += 1;
                let text = format!("{node:?}");
                assert!(
                    r.right() <= chart.left() - 4.0,
                    "{text:?} runs to {} past {} at {size:?}",
                    r.right(),
                    chart.left()
                );
            }
        }
        assert!(figures > 10, "the figures were found ({figures})");
        // The scenario's value is there in full, horizon and seed included.
        // (Spaces inside a figure do not break: they are no-break spaces.)
        h.get_by_label_contains("3\u{a0}runs\u{a0}of\u{a0}12.0\u{a0}h\u{a0}· seed\u{a0}1");
    }
}

#[test]
fn a_dragged_card_lines_up_with_a_card_near_it_off_the_grid() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let region = RegionId::new("us-east-1");
    let layout = h.state_mut().canvas_layout();
    let container = layout.regions[&region];
    let zoom = h.state().canvas.zoom();
    assert!(zoom < 1.4, "three units are within the snap distance at zoom {zoom}");
    // Two cards of the region in different columns; automatic cards sit off the 10-unit grid.
    let cards: Vec<(ServiceId, egui::Rect)> =
        h.state().design().services_in(&region).map(|s| (s.id.clone(), layout.services[&s.id])).collect();
    let (a, ra, rb) = cards
        .iter()
        .find_map(|(a, ra)| {
            let (_, rb) = cards.iter().find(|(_, rb)| (rb.left() - ra.left()).abs() > 100.0)?;
            Some((a.clone(), *ra, *rb))
        })
        .expect("cards in two columns");
    assert!(((rb.left() - container.left()) % 10.0).abs() > 0.5, "the automatic column is off the grid");
    // Dropped three units right of the other card's column: it lines up with it exactly.
    let grab = on_screen(&h, ra.center());
    drag(&mut h, grab, grab + vec2(rb.left() + 3.0 - ra.left(), 0.0) * zoom);
    let spot = h.state().design().card_spots()[&a];
    assert_eq!(spot.x, (rb.left() - container.left()).round() as i32, "lined up, not on the grid");
    let moved = h.state_mut().canvas_layout().services[&a];
    assert!((moved.left() - rb.left()).abs() < 0.01);
}

#[test]
fn tidy_layout_clears_every_hand_placement_in_one_undo_step() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let region = RegionId::new("us-east-1");
    let design = h.state().design().clone();
    let link = design.links().next().unwrap().id.clone();
    let service = design.services_in(&region).next().unwrap().id.clone();
    for cmd in [
        Command::ResizeRegion(region.clone(), Some(RegionSize { width: 900, height: 700 })),
        Command::MoveRegion(region.clone(), Some(meridian_model::design::GridCell { col: 3, row: 1 })),
        Command::PlaceCard(service, Some(meridian_model::design::CardSpot { x: 300, y: 400 })),
        Command::SetWaypoints(link, vec![Waypoint { x: 100, y: 100 }]),
    ] {
        h.state().commands().send(AppCommand::Apply(cmd));
        h.run_steps(2);
    }
    let placed = h.state().design().clone();
    let revision = h.state().editor().revision();
    h.state().commands().send(AppCommand::Run(Action::TidyLayout));
    h.run_steps(2);
    let d = h.state().design();
    assert!(d.region_sizes().is_empty() && d.layout().is_empty(), "sizes and cells cleared");
    assert!(d.card_spots().is_empty() && d.waypoints().is_empty(), "spots and waypoints cleared");
    assert_eq!(h.state().editor().revision(), revision + 1, "one command");
    undo(&mut h);
    let d = h.state().design();
    assert_eq!(d.region_sizes(), placed.region_sizes());
    assert_eq!(d.layout(), placed.layout());
    assert_eq!(d.card_spots(), placed.card_spots());
    assert_eq!(d.waypoints(), placed.waypoints());
}
