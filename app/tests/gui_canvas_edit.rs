//! Drawing on the designer's canvas, driven through the real app by position and accessible
//! labels (egui_kittest, no GPU): regions resized by their edges and corner, kept in the file and
//! undone in one step (issue 19, "free layout"); several services edited at once through the
//! fields they share (issue 19, "selection").

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::{click_at, ctrl, drag, harness_on as harness};
use std::collections::BTreeSet;

use egui::{Event, Key, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::MeridianApp;
use meridian::gui::actions::Action;
use meridian::gui::command::AppCommand;
use meridian_model::design::{RegionSize, Waypoint};
use meridian_model::{Catalog, EntityRef, RegionId, ServiceId};

/// A canvas point on screen.
fn on_screen(h: &Harness<'_, MeridianApp>, at: Pos2) -> Pos2 {
    h.state().canvas.to_screen().mul_pos(at)
}

/// Two primary clicks at `at` in one frame (the harness steps a quarter second per frame, more
/// than a double-click allows between clicks).
fn double_click(h: &mut Harness<'_, MeridianApp>, at: Pos2) {
    h.hover_at(at);
    h.run_steps(1);
    // Queued events run a frame each; raw input goes into the next frame all together.
    for pressed in [true, false, true, false] {
        let e = Event::PointerButton {
            pos: at,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        };
        h.input_mut().events.push(e);
    }
    h.run_steps(2);
}

/// Edit > Undo (Ctrl+Z), sent as the menu does, so that a focused text field does not take it.
fn undo(h: &mut Harness<'_, MeridianApp>) {
    h.state().commands().send(AppCommand::Run(Action::Undo));
    h.run_steps(2);
}

#[test]
fn a_region_resized_by_its_corner_and_edge_keeps_its_size_in_the_file_and_undoes_in_one_step() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let region = RegionId::new("us-east-1");
    let before = h.state_mut().canvas_layout().regions[&region];
    let zoom = h.state().canvas.zoom();
    let revision = h.state().editor().revision();

    // The bottom-right corner, 150 units right and 100 down: the container grows by that much,
    // on the 10-unit grid.
    let corner = on_screen(&h, before.right_bottom()) - vec2(2.0, 2.0);
    drag(&mut h, corner, corner + vec2(150.0, 100.0) * zoom);
    let size = *h.state().design().region_sizes().get(&region).expect("the region has a size");
    let want = |v: f32| ((v / 10.0).round() * 10.0) as u32;
    assert_eq!(
        size,
        RegionSize { width: want(before.width() + 150.0), height: want(before.height() + 100.0) }
    );
    let after = h.state_mut().canvas_layout().regions[&region];
    assert_eq!(after.size(), vec2(size.width as f32, size.height as f32));
    assert_eq!(after.min, before.min, "the top left stays");
    // One drag, one command.
    assert_eq!(h.state().editor().revision(), revision + 1);

    // Saved in the file's layout section and loaded back.
    let text = meridian_model::format::to_string(h.state().design(), "").unwrap();
    assert!(text.contains("region_sizes:"), "{text}");
    let catalog = Catalog::builtin().unwrap();
    let back = meridian_model::format::load_str(&text, std::path::Path::new("x.ron"), catalog).unwrap();
    assert_eq!(back.design.region_sizes(), h.state().design().region_sizes());

    // The right edge alone changes only the width.
    let edge = on_screen(&h, after.right_center()) - vec2(2.0, 0.0);
    drag(&mut h, edge, edge + vec2(-60.0, 80.0) * zoom);
    let narrower = h.state().design().region_sizes()[&region];
    assert_eq!(narrower, RegionSize { width: size.width - 60, height: size.height });

    // Undo: one step per drag.
    undo(&mut h);
    assert_eq!(h.state().design().region_sizes()[&region], size);
    undo(&mut h);
    assert!(h.state().design().region_sizes().is_empty());
    assert_eq!(h.state_mut().canvas_layout().regions[&region], before);
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_eq!(h.state().design().region_sizes()[&region], size);

    // Dragged far inside, the container stops where its cards need it: every card stays inside.
    let layout = h.state_mut().canvas_layout();
    let corner = on_screen(&h, layout.regions[&region].right_bottom()) - vec2(2.0, 2.0);
    drag(&mut h, corner, corner - vec2(900.0, 600.0) * zoom);
    let small = h.state().design().region_sizes()[&region];
    assert!(small.width < size.width && small.height < size.height, "{small:?}");
    let layout = h.state_mut().canvas_layout();
    let container = layout.regions[&region];
    assert_eq!(
        container.size(),
        vec2(small.width as f32, small.height as f32),
        "the size kept is the one drawn"
    );
    for s in h.state().design().services_in(&region) {
        assert!(container.contains_rect(layout.services[&s.id]), "{} sticks out of {container:?}", s.id);
    }
}

#[test]
fn several_selected_services_edit_their_shared_fields_in_one_undo_step() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let (a, b) = (ServiceId::new("api-euw1"), ServiceId::new("api-use1"));
    // Click one card, Shift+click the other.
    let at_a = h.state_mut().screen_pos(&EntityRef::Service(a.clone())).unwrap();
    let at_b = h.state_mut().screen_pos(&EntityRef::Service(b.clone())).unwrap();
    click_at(&mut h, at_a);
    h.event(Event::ModifiersChanged(Modifiers::SHIFT));
    click_at(&mut h, at_b);
    h.event(Event::ModifiersChanged(Modifiers::NONE));
    h.run_steps(2);
    let want: BTreeSet<EntityRef> = [EntityRef::Service(a.clone()), EntityRef::Service(b.clone())].into();
    assert_eq!(h.state().selection(), &want);
    h.get_by_label("2 selected");

    // Counts 12 and 15: the field shows no value ("mixed") until one is typed.
    let count =
        |h: &Harness<'_, MeridianApp>, id: &ServiceId| h.state().design().service(id).unwrap().config.count;
    assert_eq!((count(&h, &a), count(&h, &b)), (12, 15));
    let field = h.get_by_label("Count (instances, tasks, nodes)");
    assert_eq!(field.value().unwrap_or_default(), "");
    let revision = h.state().editor().revision();
    field.focus();
    h.run_steps(1);
    h.get_by_label("Count (instances, tasks, nodes)").type_text("8");
    h.run_steps(2);
    assert_eq!((count(&h, &a), count(&h, &b)), (8, 8));
    assert_eq!(h.state().editor().revision(), revision + 1, "one command for both");
    // A refused value stays with its reason and changes nothing.
    h.get_by_label("Count (instances, tasks, nodes)").type_text("x");
    h.run_steps(2);
    assert_eq!((count(&h, &a), count(&h, &b)), (8, 8));
    h.get_by_label_contains("is not a number");
    h.key_press(Key::Backspace);
    h.run_steps(2);
    // Undo: both back in one step.
    undo(&mut h);
    assert_eq!((count(&h, &a), count(&h, &b)), (12, 15));

    // A shared tag typed once lands on both; tags they do not share stay as they are.
    let tags_of =
        |h: &Harness<'_, MeridianApp>, id: &ServiceId| h.state().design().service(id).unwrap().tags.clone();
    let (tags_a, tags_b) = (tags_of(&h, &a), tags_of(&h, &b));
    let unshared: Vec<(String, String)> = tags_a
        .iter()
        .filter(|(k, v)| tags_b.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let tags = h.get_by_label("Shared tags (key=value, …)");
    tags.focus();
    h.run_steps(1);
    ctrl(&h, Key::A);
    h.get_by_label("Shared tags (key=value, …)").type_text("team=payments");
    h.run_steps(2);
    for id in [&a, &b] {
        assert_eq!(
            h.state().design().service(id).unwrap().tags.get("team").map(String::as_str),
            Some("payments")
        );
    }
    for (k, v) in unshared {
        assert_eq!(tags_of(&h, &a).get(&k), Some(&v), "{k} kept on one service");
    }
    undo(&mut h);
    assert_eq!((tags_of(&h, &a), tags_of(&h, &b)), (tags_a, tags_b), "one undo step");
}

#[test]
fn a_link_dragged_gets_a_waypoint_its_route_passes_through_moved_removed_and_undone() {
    let mut h = harness("active-active-2region.ron", vec2(1600.0, 1000.0));
    let layout = h.state_mut().canvas_layout();
    let (link, grab) = h
        .state()
        .design()
        .links()
        .find_map(|l| layout.link_pick_point(&l.id).map(|p| (l.id.clone(), p)))
        .expect("a link to grab");
    let zoom = h.state().canvas.zoom();
    let revision = h.state().editor().revision();
    let snap = |v: f32| ((v / 10.0).round() * 10.0) as i32;

    // Drag the line: a waypoint where it is dropped, on the grid; the route passes through it in
    // horizontal and vertical segments.
    let delta = vec2(63.0, 117.0);
    let from = on_screen(&h, grab);
    drag(&mut h, from, from + delta * zoom);
    let first = Waypoint { x: snap(grab.x + delta.x), y: snap(grab.y + delta.y) };
    assert_eq!(h.state().design().waypoints().get(&link), Some(&vec![first]));
    assert_eq!(h.state().editor().revision(), revision + 1, "one drag, one command");
    let route = h.state_mut().canvas_layout().routes[&link].clone();
    let point = egui::pos2(first.x as f32, first.y as f32);
    assert!(route.distance(point) < 0.5, "{route:?} misses {point:?}");
    for w in route.points.windows(2) {
        assert!((w[0].x - w[1].x).abs() < 1e-3 || (w[0].y - w[1].y).abs() < 1e-3, "a slanted segment {w:?}");
    }

    // Drag the waypoint: it moves.
    let from = on_screen(&h, point);
    drag(&mut h, from, from + vec2(40.0, -30.0) * zoom);
    let moved = Waypoint { x: first.x + 40, y: first.y - 30 };
    assert_eq!(h.state().design().waypoints()[&link], vec![moved]);

    // Kept in the file.
    let text = meridian_model::format::to_string(h.state().design(), "").unwrap();
    let catalog = Catalog::builtin().unwrap();
    let back = meridian_model::format::load_str(&text, std::path::Path::new("x.ron"), catalog).unwrap();
    assert_eq!(back.design.waypoints(), h.state().design().waypoints());

    // Double-click: removed, and the link is routed automatically again.
    let at = on_screen(&h, egui::pos2(moved.x as f32, moved.y as f32));
    double_click(&mut h, at);
    assert!(
        h.state().design().waypoints().is_empty(),
        "{:?} {:?}",
        h.state().design().waypoints(),
        h.state().selection()
    );
    assert_eq!(h.state_mut().canvas_layout().routes[&link], layout.routes[&link]);

    // Undo, one step each: back, moved back, gone.
    undo(&mut h);
    assert_eq!(h.state().design().waypoints()[&link], vec![moved]);
    undo(&mut h);
    assert_eq!(h.state().design().waypoints()[&link], vec![first]);
    undo(&mut h);
    assert!(h.state().design().waypoints().is_empty());
}
