//! Notes and group boxes on the designer's canvas (issue 19, "annotations"), driven through the
//! real app by accessible labels and positions (egui_kittest, no GPU): created from the toolbar,
//! edited in the inspector (text and kind), moved and resized by dragging, deleted with Delete,
//! every step undone, saved and reopened, included in zoom to fit and in the design picture.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod gui_support;

use gui_support::{ctrl, drag, example, harness, harness_on};
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
