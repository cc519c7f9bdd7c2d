//! Annotations (`AddAnnotation`, `UpdateAnnotation`, `RemoveAnnotation`, the file's `annotations`
//! section): applied and undone, refused past their bounds with the field named, untouched by
//! removing or moving regions, kept through a save and a load, located in a bad file, listed by
//! the diff, and absent from files that have none.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::design::{Annotation, AnnotationKind, GridCell, GroupKind};
use meridian_model::diff::{DesignDiff, Section, Status};
use meridian_model::edit::{self, add_annotation};
use meridian_model::format::{load_str, to_string};
use meridian_model::{AnnotationId, Command, Design, EntityRef, RegionId, apply};

mod support;

use support::{catalog, reference};

/// The reference design with a VPC box and a note.
fn annotated() -> (Design, Annotation, Annotation) {
    let mut d = reference();
    let mut vpc = edit::new_annotation(&d, AnnotationKind::Group(GroupKind::Vpc), 400.0, 300.0);
    vpc.text = "Production VPC".into();
    apply(&mut d, catalog(), Command::AddAnnotation(vpc.clone())).expect("adds the box");
    let (cmd, note_id) = add_annotation(&d, AnnotationKind::Note, 1000.0, 50.0);
    apply(&mut d, catalog(), cmd).expect("adds the note");
    let note = d.annotation(&note_id).cloned().expect("the note is in");
    (d, vpc, note)
}

#[test]
fn new_annotations_get_unique_ids_grid_corners_and_their_kinds_default_size() {
    let (d, vpc, note) = annotated();
    assert_eq!(vpc.id.as_str(), "vpc");
    assert_eq!(note.id.as_str(), "note");
    assert_eq!((vpc.width, vpc.height), Annotation::GROUP_SIZE);
    assert_eq!((note.width, note.height), Annotation::NOTE_SIZE);
    assert_eq!((vpc.x, vpc.y), (160, 140), "centred on (400, 300) on the 10-unit grid");
    assert_eq!(note.text, "Note");
    let again = edit::new_annotation(&d, AnnotationKind::Group(GroupKind::Vpc), 0.0, 0.0);
    assert_eq!(again.id.as_str(), "vpc-2");
    assert!(d.contains(&EntityRef::Annotation(vpc.id.clone())));
}

#[test]
fn annotations_are_added_edited_moved_resized_removed_and_undone() {
    let before = reference();
    let (mut d, vpc, note) = annotated();
    let annotated = d.clone();
    // Edit the text and kind, move and resize: each one command whose inverse restores it.
    let mut edited = vpc.clone();
    edited.kind = AnnotationKind::Group(GroupKind::Team);
    edited.text = "Payments team".into();
    edited.x += 50;
    edited.width += 100;
    let undo = apply(&mut d, catalog(), Command::UpdateAnnotation(edited.clone())).expect("edits");
    assert_eq!(d.annotation(&vpc.id), Some(&edited));
    assert_eq!(undo, Command::UpdateAnnotation(vpc.clone()));
    apply(&mut d, catalog(), undo).expect("undoes");
    assert_eq!(d, annotated);

    // Deleting the selection removes the annotation; undo brings it back.
    let selection = [EntityRef::Annotation(note.id.clone())].into();
    let delete = edit::delete(&d, &selection).expect("something to delete");
    let undo = apply(&mut d, catalog(), delete).expect("deletes");
    assert!(d.annotation(&note.id).is_none());
    apply(&mut d, catalog(), undo).expect("undoes");
    assert_eq!(d, annotated);

    // Remove both: back to the design without annotations.
    for id in [vpc.id.clone(), note.id.clone()] {
        apply(&mut d, catalog(), Command::RemoveAnnotation(id)).expect("removes");
    }
    assert_eq!(d, before);
    let err = apply(&mut d, catalog(), Command::RemoveAnnotation(note.id.clone())).unwrap_err();
    assert!(err.message.contains("not in the design"), "{err}");
    let err = apply(&mut d, catalog(), Command::UpdateAnnotation(note)).unwrap_err();
    assert!(err.message.contains("not in the design"), "{err}");
}

#[test]
fn annotations_past_their_bounds_are_refused_naming_the_field() {
    let (d, vpc, note) = annotated();
    let dup = apply(&mut d.clone(), catalog(), Command::AddAnnotation(vpc.clone())).unwrap_err();
    assert_eq!((dup.field.as_str(), dup.entity.clone()), ("id", EntityRef::Annotation(vpc.id.clone())));
    assert!(dup.message.contains("unique"), "{dup}");
    let cases: Vec<(Annotation, &str, &str)> = vec![
        (Annotation { width: Annotation::MIN_SIDE - 1, ..vpc.clone() }, "width", "from 40"),
        (Annotation { height: Annotation::MAX_SIDE + 1, ..note.clone() }, "height", "100000"),
        (Annotation { x: Annotation::MAX_COORD, ..vpc.clone() }, "x", "off the canvas"),
        (Annotation { y: -Annotation::MAX_COORD - 1, ..note.clone() }, "y", "off the canvas"),
        (
            Annotation { text: "x".repeat(Annotation::MAX_TITLE_CHARS + 1), ..vpc.clone() },
            "text",
            "at most 200",
        ),
        (Annotation { text: "two\nlines".into(), ..vpc.clone() }, "text", "control character"),
        (Annotation { text: "\u{1b}[31m".into(), ..note.clone() }, "text", "control character"),
        (
            Annotation { text: "n".repeat(Annotation::MAX_NOTE_CHARS + 1), ..note.clone() },
            "text",
            "at most 2000",
        ),
        (Annotation { id: AnnotationId::new("bad id"), ..note.clone() }, "id", "ids may use"),
    ];
    for (bad, field, says) in cases {
        let mut copy = d.clone();
        let cmd = if bad.id.as_str() == "bad id" {
            Command::AddAnnotation(bad)
        } else {
            Command::UpdateAnnotation(bad)
        };
        let err = apply(&mut copy, catalog(), cmd).unwrap_err();
        assert_eq!(err.field, field, "{err}");
        assert!(err.message.contains(says), "{field}: {err}");
        assert_eq!(copy, d, "a refused annotation changes nothing");
    }
    // A note may hold several lines; the largest allowed values pass.
    let long = Annotation { text: "a\nb\tc".into(), width: Annotation::MAX_SIDE, ..note };
    apply(&mut d.clone(), catalog(), Command::UpdateAnnotation(long)).expect("a multi-line note");
}

#[test]
fn removing_or_moving_regions_leaves_annotations_where_they_were_drawn() {
    let (d, vpc, note) = annotated();
    let region = RegionId::new("eu-west-1");
    for cmd in [
        Command::RemoveRegion(region.clone()),
        Command::MoveRegion(region.clone(), Some(GridCell { col: 3, row: 2 })),
    ] {
        let mut copy = d.clone();
        let undo = apply(&mut copy, catalog(), cmd).expect("applies");
        assert_eq!(copy.annotation(&vpc.id), Some(&vpc));
        assert_eq!(copy.annotation(&note.id), Some(&note));
        apply(&mut copy, catalog(), undo).expect("undoes");
        assert_eq!(copy, d);
    }
}

#[test]
fn annotations_survive_a_save_and_a_load_are_located_when_bad_and_listed_by_the_diff() {
    let (d, vpc, note) = annotated();
    let text = to_string(&d, "").expect("writes");
    assert!(text.contains("annotations: ["), "{text}");
    assert!(text.contains("kind: Group(Vpc)"), "{text}");
    let back = load_str(&text, Path::new("annotated.ron"), catalog()).expect("reloads").design;
    assert_eq!(back, d);
    assert_eq!(to_string(&back, "").expect("writes"), text, "a second save is byte-identical");

    // A note's text with a control character: refused at the annotation's field.
    let bad = text.replace("text: \"Note\"", "text: \"Note\\u{7}\"");
    assert_ne!(bad, text);
    let err = load_str(&bad, Path::new("bad.ron"), catalog()).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("annotations[0].text"), "ids in order, note before vpc: {err}");
    let line = bad.lines().position(|l| l.contains("Note\\u{7}")).expect("the bad line") + 1;
    assert_eq!(err.line, line, "{err}");
    // An unknown group kind: refused by the parser, naming the field.
    let bad = text.replace("Group(Vpc)", "Group(Vnet)");
    let err = load_str(&bad, Path::new("bad.ron"), catalog()).unwrap_err();
    assert!(err.field.as_deref().unwrap_or_default().starts_with("annotations[1].kind"), "{err}");

    let diff = DesignDiff::between(&reference(), &d);
    assert_eq!(diff.count(Section::Annotations, Status::Added), 2, "{diff:?}");
    let mut moved = d.clone();
    apply(&mut moved, catalog(), Command::UpdateAnnotation(Annotation { x: note.x + 20, ..note.clone() }))
        .expect("moves");
    let diff = DesignDiff::between(&d, &moved);
    let change = diff.changes.iter().find(|c| c.id == note.id.as_str()).expect("the note changed");
    assert_eq!(change.status, Status::Changed);
    assert_eq!(change.fields.len(), 1, "{change:?}");
    assert_eq!(change.fields[0].field, "x");
    assert!(diff.summary().contains("1 annotation changed"), "{}", diff.summary());
    assert!(DesignDiff::between(&d, &reference()).summary().contains("2 annotations removed"));
    let _ = vpc;
}

#[test]
fn a_design_without_annotations_writes_no_annotations_section() {
    let d = reference();
    let text = to_string(&d, "").expect("writes");
    assert!(!text.contains("annotations"), "no empty section");
}

#[test]
fn the_documented_annotations_load() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/file-format.md"))
        .expect("reads the format documentation");
    let section = doc.split("### Annotations").nth(1).expect("the section exists");
    let block = section.split("```ron\n").nth(1).and_then(|b| b.split("```").next()).expect("an example");
    let text = format!("Design(version: 2, name: \"doc\", {block})");
    let d = load_str(&text, Path::new("docs/file-format.md"), catalog()).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<AnnotationKind> = d.design.annotations().map(|a| a.kind).collect();
    assert_eq!(kinds, [AnnotationKind::Note, AnnotationKind::Group(GroupKind::Vpc)]);
    assert!(d.design.annotations().next().is_some_and(|a| a.text.contains('\n')));
}
