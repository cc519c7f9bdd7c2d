//! Notes and group boxes on the designer's canvas (issue 19, "annotations"), driven through the
//! real app by accessible labels and positions (egui_kittest, no GPU): created from the toolbar,
//! edited in the inspector (text and kind), moved and resized by dragging, deleted with Delete,
//! every step undone, saved and reopened, included in zoom to fit and in the design picture.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::{ctrl, drag, example, harness, harness_on, painted};
use std::collections::BTreeSet;

use egui::{Key, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use meridian::gui::MeridianApp;
use meridian::gui::actions::Action;
use meridian::gui::command::AppCommand;
use meridian_model::design::{Annotation, AnnotationKind, GroupKind};
use meridian_model::{AnnotationId, EntityRef};

/// A canvas point on screen.
fn on_screen(h: &Harness<'_, MeridianApp>, at: Pos2) -> Pos2 {
    h.state().canvas.to_screen().mul_pos(at)
}

fn undo(h: &mut Harness<'_, MeridianApp>) {
    h.state().commands().send(AppCommand::Run(Action::Undo));
    h.run_steps(2);
}

fn annotation(h: &Harness<'_, MeridianApp>, id: &str) -> Option<Annotation> {
    h.state().design().annotation(&AnnotationId::new(id)).cloned()
}

#[test]
fn a_note_is_created_edited_moved_resized_deleted_and_every_step_undone() {
    let mut h = harness_on("active-active-2region.ron", vec2(1600.0, 1000.0));

    // The toolbar's "+ Note": a note in the middle of the view, selected, shown in the inspector.
    h.get_by_label("+ Note").click();
    h.run_steps(3);
    let note = annotation(&h, "note").expect("a note was added");
    assert_eq!(note.kind, AnnotationKind::Note);
    let id = EntityRef::Annotation(note.id.clone());
    assert_eq!(h.state().selection(), &BTreeSet::from([id.clone()]));
    let view = h.state().canvas.visible().expect("a view");
    assert!(view.contains(egui::pos2(note.x as f32, note.y as f32)), "{note:?} out of {view:?}");
    h.get_by_label("Note: Note");

    // Edit its text in the inspector: the canvas label follows.
    let field = h.get_by_label("Text");
    field.focus();
    ctrl(&h, Key::A);
    h.get_by_label("Text").type_text("Failover is manual");
    h.run_steps(3);
    assert_eq!(annotation(&h, "note").unwrap().text, "Failover is manual");
    h.get_by_label("Note: Failover is manual");
    // Escape leaves the field; the canvas takes the keys again.
    h.key_press(Key::Escape);
    h.run_steps(2);
    h.state_mut().select(BTreeSet::from([id.clone()]));
    h.run_steps(2);

    // Drag it by its body: it moves by the drag, on the 10-unit grid, in one command.
    let zoom = h.state().canvas.zoom();
    let before = annotation(&h, "note").unwrap();
    let revision = h.state().editor().revision();
    let from = on_screen(&h, egui::pos2(before.x as f32 + 60.0, before.y as f32 + 60.0));
    drag(&mut h, from, from + vec2(120.0, 80.0) * zoom);
    let moved = annotation(&h, "note").unwrap();
    assert_eq!((moved.x, moved.y), (before.x + 120, before.y + 80), "{moved:?}");
    assert_eq!((moved.width, moved.height), (before.width, before.height));
    assert_eq!(h.state().editor().revision(), revision + 1, "one drag, one command");

    // Drag its bottom-right corner: it grows.
    let corner = on_screen(
        &h,
        egui::pos2((moved.x + moved.width as i32) as f32, (moved.y + moved.height as i32) as f32),
    ) - vec2(2.0, 2.0);
    drag(&mut h, corner, corner + vec2(100.0, 60.0) * zoom);
    let resized = annotation(&h, "note").unwrap();
    assert_eq!((resized.x, resized.y), (moved.x, moved.y), "the top left stays");
    assert_eq!((resized.width, resized.height), (moved.width + 100, moved.height + 60));

    // Delete removes it.
    h.state_mut().select(BTreeSet::from([id.clone()]));
    h.run_steps(1);
    h.key_press(Key::Delete);
    h.run_steps(2);
    assert!(annotation(&h, "note").is_none());

    // Undo, a step each: back, smaller, where it was, its old text, gone.
    undo(&mut h);
    assert_eq!(annotation(&h, "note").as_ref(), Some(&resized));
    undo(&mut h);
    assert_eq!(annotation(&h, "note").as_ref(), Some(&moved));
    undo(&mut h);
    assert_eq!(annotation(&h, "note").as_ref(), Some(&before));
    undo(&mut h);
    assert_eq!(annotation(&h, "note").unwrap().text, "Note");
    undo(&mut h);
    assert!(annotation(&h, "note").is_none());
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Y);
    h.run_steps(2);
    assert_eq!(annotation(&h, "note").unwrap().text, "Note", "redo brings it back");
}

#[test]
fn a_group_box_changes_kind_and_title_in_the_inspector_and_is_kept_through_save_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annotated.ron");
    let mut h = harness_on("active-active-2region.ron", vec2(1600.0, 1000.0));
    h.get_by_label("+ Box").click();
    h.run_steps(3);
    let vpc = annotation(&h, "vpc").expect("a box was added");
    assert_eq!(vpc.kind, AnnotationKind::Group(GroupKind::Vpc));
    h.get_by_label("Box VPC");

    // Kind: Team, from the inspector's list.
    h.get_by_label("Kind").click();
    h.run_steps(2);
    h.get_by_label("Box: Team").click();
    h.run_steps(3);
    assert_eq!(annotation(&h, "vpc").unwrap().kind, AnnotationKind::Group(GroupKind::Team));

    // Title: one line.
    h.get_by_label("Title").focus();
    h.get_by_label("Title").type_text("Payments");
    h.run_steps(3);
    assert_eq!(annotation(&h, "vpc").unwrap().text, "Payments");
    h.get_by_label("Box Team · Payments");
    h.key_press(Key::Escape);
    h.run_steps(2);

    // Its title strip picks it: a click there selects the box, not the region under it.
    let boxed = annotation(&h, "vpc").unwrap();
    h.state_mut().select(BTreeSet::new());
    h.run_steps(1);
    let strip = on_screen(&h, egui::pos2(boxed.x as f32 + 150.0, boxed.y as f32 + 12.0));
    gui_support::click_at(&mut h, strip);
    assert_eq!(h.state().selection(), &BTreeSet::from([EntityRef::Annotation(boxed.id.clone())]));

    // Zoom to fit includes it: moved far to the right, it is in view after Fit.
    let mut far = boxed.clone();
    far.x += 4000;
    h.state().commands().send(AppCommand::Apply(meridian_model::Command::UpdateAnnotation(far.clone())));
    h.run_steps(2);
    h.get_by_label("Fit").click();
    h.run_steps(4);
    let view = h.state().canvas.visible().unwrap();
    assert!(view.contains(egui::pos2((far.x + far.width as i32) as f32, far.y as f32)), "{view:?}");

    // Drawn in the design picture (the report's and the export's renderer).
    let svg = meridian_assess::report::design_svg::design_svg(
        h.state().design(),
        meridian_model::Catalog::builtin().unwrap(),
    );
    assert!(svg.contains("Team · Payments"), "the title is in the picture");

    // Saved and reopened: the same annotations.
    assert!(h.state_mut().save_to(&path), "{:?}", h.state().message());
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("kind: Group(Team)"), "{text}");
    let h2 = harness(Some(path.clone()));
    let mine: Vec<_> = h.state().design().annotations().cloned().collect();
    let theirs: Vec<_> = h2.state().design().annotations().cloned().collect();
    assert_eq!(theirs, mine);
    let _ = example;
}

/// The rectangle of annotation `id` on the canvas (canvas units).
fn rect(h: &Harness<'_, MeridianApp>, id: &str) -> egui::Rect {
    let a = annotation(h, id).unwrap();
    egui::Rect::from_min_size(egui::pos2(a.x as f32, a.y as f32), vec2(a.width as f32, a.height as f32))
}

/// Adds an annotation of `kind` with the toolbar button `button`; returns its id.
fn add_from_toolbar(h: &mut Harness<'_, MeridianApp>, button: &str) -> String {
    let before: BTreeSet<_> = h.state().design().annotations().map(|a| a.id.clone()).collect();
    h.get_by_label(button).click();
    h.run_steps(3);
    let added: Vec<_> =
        h.state().design().annotations().map(|a| a.id.clone()).filter(|id| !before.contains(id)).collect();
    assert_eq!(added.len(), 1, "{button} adds one annotation");
    added[0].as_str().to_owned()
}

/// Puts annotation `a` on the canvas directly (one command), then fits the view to everything.
fn put(h: &mut Harness<'_, MeridianApp>, a: Annotation) {
    h.state().commands().send(AppCommand::Apply(meridian_model::Command::AddAnnotation(a)));
    h.run_steps(2);
    h.state_mut().canvas.request_fit();
    h.run_steps(3);
}

fn note_at(id: &str, kind: AnnotationKind, x: i32, y: i32, w: u32, hgt: u32) -> Annotation {
    Annotation { id: AnnotationId::new(id), kind, text: id.to_owned(), x, y, width: w, height: hgt }
}

#[test]
fn a_box_resizes_from_its_left_and_top_edges_and_corner_the_opposite_edges_staying() {
    let mut h = harness_on("active-active-2region.ron", vec2(1600.0, 1000.0));
    let id = add_from_toolbar(&mut h, "+ Box");
    let zoom = h.state().canvas.zoom();
    let start = rect(&h, &id);

    // The left edge, dragged 40 units left: wider by 40, the right edge where it was.
    let left = on_screen(&h, egui::pos2(start.left(), start.center().y)) + vec2(2.0, 0.0);
    drag(&mut h, left, left - vec2(40.0, 0.0) * zoom);
    let wider = rect(&h, &id);
    assert_eq!((wider.left(), wider.right()), (start.left() - 40.0, start.right()), "{wider:?}");
    assert_eq!((wider.top(), wider.bottom()), (start.top(), start.bottom()));

    // The top edge, 30 units up: taller, the bottom where it was.
    let top = on_screen(&h, egui::pos2(wider.center().x, wider.top())) + vec2(0.0, 2.0);
    drag(&mut h, top, top - vec2(0.0, 30.0) * zoom);
    let taller = rect(&h, &id);
    assert_eq!((taller.top(), taller.bottom()), (wider.top() - 30.0, wider.bottom()), "{taller:?}");
    assert_eq!((taller.left(), taller.right()), (wider.left(), wider.right()));

    // The top-left corner, 50 right and 20 down: smaller on both sides at once.
    let corner = on_screen(&h, taller.left_top()) + vec2(2.0, 2.0);
    drag(&mut h, corner, corner + vec2(50.0, 20.0) * zoom);
    let smaller = rect(&h, &id);
    assert_eq!(smaller.left_top(), taller.left_top() + vec2(50.0, 20.0), "{smaller:?}");
    assert_eq!(smaller.right_bottom(), taller.right_bottom());

    // Dragged past the right edge, the left edge stops at the least width; the right stays.
    let left = on_screen(&h, egui::pos2(smaller.left(), smaller.center().y)) + vec2(2.0, 0.0);
    drag(&mut h, left, left + vec2(smaller.width() + 200.0, 0.0) * zoom);
    let least = rect(&h, &id);
    assert_eq!(least.size(), vec2(Annotation::MIN_SIDE as f32, smaller.height()));
    assert_eq!(least.right_bottom(), smaller.right_bottom());

    // Each drag one undo step.
    for expected in [smaller, taller, wider, start] {
        undo(&mut h);
        assert_eq!(rect(&h, &id), expected);
    }
}

#[test]
fn arrow_keys_nudge_selected_annotations_with_cards_in_one_undo_step() {
    let mut h = harness_on("active-active-2region.ron", vec2(1600.0, 1000.0));
    let note = add_from_toolbar(&mut h, "+ Note");
    let boxed = add_from_toolbar(&mut h, "+ Box");
    let card = meridian_model::ServiceId::new("api-use1");
    let (n0, b0) = (rect(&h, &note), rect(&h, &boxed));
    let selection = BTreeSet::from([
        EntityRef::Annotation(AnnotationId::new(&note)),
        EntityRef::Annotation(AnnotationId::new(&boxed)),
        EntityRef::Service(card.clone()),
    ]);
    h.state_mut().select(selection);
    // The inspector settles its width (the canvas keeps its centre when that changes).
    h.run_steps(4);
    let card0 = h.state_mut().canvas_layout().services[&card];
    let view = h.state().canvas.to_screen();
    let revision = h.state().editor().revision();

    h.key_press(Key::ArrowRight);
    h.run_steps(2);
    assert_eq!(rect(&h, &note), n0.translate(vec2(10.0, 0.0)));
    assert_eq!(rect(&h, &boxed), b0.translate(vec2(10.0, 0.0)));
    // The card moves right onto the grid (its automatic spot may be off it).
    let card1 = h.state_mut().canvas_layout().services[&card];
    assert!(card1.left() > card0.left() && card1.left() <= card0.left() + 10.0, "{card0:?} to {card1:?}");
    assert_eq!(card1.left_top().y.to_bits(), card0.left_top().y.to_bits(), "level as before");
    assert_eq!(h.state().editor().revision(), revision + 1, "one press, one command");
    assert_eq!(h.state().canvas.to_screen(), view, "the arrows move the selection, not the view");

    h.key_press_modifiers(egui::Modifiers::SHIFT, Key::ArrowUp);
    h.run_steps(2);
    assert_eq!(rect(&h, &note), n0.translate(vec2(10.0, -50.0)), "Shift: five grid steps");
    assert_eq!(rect(&h, &boxed), b0.translate(vec2(10.0, -50.0)));

    undo(&mut h);
    assert_eq!(rect(&h, &note), n0.translate(vec2(10.0, 0.0)));
    undo(&mut h);
    assert_eq!((rect(&h, &note), rect(&h, &boxed)), (n0, b0));
    assert_eq!(h.state_mut().canvas_layout().services[&card], card0);

    // An annotation alone is nudged too.
    h.state_mut().select(BTreeSet::from([EntityRef::Annotation(AnnotationId::new(&note))]));
    h.run_steps(1);
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(rect(&h, &note), n0.translate(vec2(0.0, 10.0)));
    assert_eq!(rect(&h, &boxed), b0);
}

#[test]
fn a_rubber_band_selects_the_annotations_it_holds_whole() {
    let mut h = harness_on("active-active-2region.ron", vec2(1600.0, 1000.0));
    let bounds = h.state_mut().canvas_layout().bounds;
    let (x, y) = ((bounds.right() as i32 / 10) * 10 + 200, (bounds.top() as i32 / 10) * 10 + 100);
    put(&mut h, note_at("team-box", AnnotationKind::Group(GroupKind::Team), x, y, 600, 400));
    put(&mut h, note_at("inner-note", AnnotationKind::Note, x + 100, y + 120, 220, 120));
    let (team, inner) = (rect(&h, "team-box"), rect(&h, "inner-note"));

    // A band inside the box, around the note: the note only.
    let from = on_screen(&h, inner.left_top() - vec2(30.0, 30.0));
    let to = on_screen(&h, inner.right_bottom() + vec2(30.0, 30.0));
    drag(&mut h, from, to);
    assert_eq!(
        h.state().selection(),
        &BTreeSet::from([EntityRef::Annotation(AnnotationId::new("inner-note"))])
    );

    // A band around the whole box: both.
    let from = on_screen(&h, team.left_top() - vec2(30.0, 30.0));
    let to = on_screen(&h, team.right_bottom() + vec2(30.0, 30.0));
    drag(&mut h, from, to);
    assert_eq!(
        h.state().selection(),
        &BTreeSet::from([
            EntityRef::Annotation(AnnotationId::new("inner-note")),
            EntityRef::Annotation(AnnotationId::new("team-box")),
        ])
    );
}

#[test]
fn the_minimap_shows_notes_and_boxes() {
    let mut h = harness_on("active-active-2region.ron", vec2(1600.0, 1000.0));
    let bounds = h.state_mut().canvas_layout().bounds;
    let (x, y) = ((bounds.right() as i32 / 10) * 10 + 400, (bounds.top() as i32 / 10) * 10);
    put(&mut h, note_at("far-note", AnnotationKind::Note, x, y, 300, 200));
    put(&mut h, note_at("far-box", AnnotationKind::Group(GroupKind::Account), x, y + 400, 600, 300));
    h.run_steps(2);
    let minimap = h.get_by_label("Minimap").rect();
    let pal = meridian::gui::theme::Palette::of(&h.ctx.global_style().visuals);
    let (paper, outline) =
        (pal.annotation(AnnotationKind::Note), pal.annotation(AnnotationKind::Group(GroupKind::Account)));
    let shapes = painted(&h);
    let inside = |r: egui::Rect| minimap.contains_rect(r);
    let note = shapes.iter().any(|s| matches!(s, egui::Shape::Rect(r) if r.fill == paper && inside(r.rect)));
    let group = shapes.iter().any(|s| {
        matches!(s, egui::Shape::Rect(r) if r.stroke.color == outline && r.stroke.width > 0.0 && inside(r.rect))
    });
    assert!(note, "the note's paper is painted in the minimap {minimap:?}");
    assert!(group, "the box's outline is painted in the minimap");
    // Where the design's right part is: the annotations lie right of every region in it too.
    let note_in_map = shapes
        .iter()
        .filter_map(|s| if let egui::Shape::Rect(r) = s { Some(r) } else { None })
        .find(|r| r.fill == paper && inside(r.rect))
        .unwrap();
    assert!(note_in_map.rect.center().x > minimap.center().x, "{:?} in {minimap:?}", note_in_map.rect);
}

#[test]
fn new_notes_and_boxes_go_in_free_space_in_view_and_always_the_same_place() {
    for size in [vec2(1600.0, 1000.0), vec2(1280.0, 800.0)] {
        let mut h = harness_on("active-active-3region-aurora.ron", size);
        let boxed = add_from_toolbar(&mut h, "+ Box");
        let note = add_from_toolbar(&mut h, "+ Note");
        h.run_steps(2);
        let layout = h.state_mut().canvas_layout();
        let view = h.state().canvas.visible().unwrap();
        let minimap = h.get_by_label("Minimap").rect();
        for id in [&boxed, &note] {
            let r = rect(&h, id);
            assert!(view.contains_rect(r), "{id} {r:?} is in view {view:?}");
            let covered: Vec<String> = layout
                .regions
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .chain(layout.services.iter().map(|(k, v)| (k.to_string(), *v)))
                .chain(std::iter::once(("global band".to_owned(), layout.global_band)))
                .filter(|(_, v)| v.intersects(r))
                .map(|(k, _)| k)
                .collect();
            assert!(covered.is_empty(), "{id} at {size:?} covers {covered:?}");
            let on_screen = h.state().canvas.to_screen().mul_rect(r);
            assert!(!on_screen.intersects(minimap), "{id} is under the minimap");
        }
        assert!(!rect(&h, &boxed).intersects(rect(&h, &note)), "the note is not on the box");

        // The same design and view: the same spot.
        let first = rect(&h, &note);
        undo(&mut h);
        let again = add_from_toolbar(&mut h, "+ Note");
        assert_eq!(rect(&h, &again), first);
    }
}

#[test]
fn with_no_free_space_in_view_a_new_box_goes_beside_the_design_and_the_view_follows() {
    let mut h = harness_on("active-active-2region.ron", vec2(1280.0, 800.0));
    // Zoomed in on one card: the view is all region.
    let card = EntityRef::Service(meridian_model::ServiceId::new("api-use1"));
    h.state_mut().select(BTreeSet::from([card]));
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::SHIFT, Key::F);
    h.run_steps(3);
    for _ in 0..3 {
        h.state().commands().send(AppCommand::Run(Action::ZoomIn));
        h.run_steps(1);
    }
    h.run_steps(2);
    let view = h.state().canvas.visible().unwrap();
    assert!(view.width() < 480.0 && view.height() < 320.0, "the view is smaller than a box: {view:?}");
    let before = h.state_mut().canvas_layout();
    let id = add_from_toolbar(&mut h, "+ Box");
    h.run_steps(2);
    let r = rect(&h, &id);
    assert!(r.left() >= before.bounds.right() - 1.0, "{r:?} right of {:?}", before.bounds);
    let view = h.state().canvas.visible().unwrap();
    assert!(view.contains(r.center()), "the view moved to the new box: {view:?}, {r:?}");
}
