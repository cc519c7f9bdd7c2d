//! New annotations: a note or a group box of a given kind, centred on a canvas point, with an id
//! no other annotation has.

use crate::command::Command;
use crate::design::{Annotation, AnnotationKind, Design, GroupKind};
use crate::ids::AnnotationId;

use super::unique_id;

/// The grid annotations are placed on, in canvas units (the canvas's own).
const GRID: f32 = 10.0;

/// A new annotation of `kind` centred on `(x, y)` (canvas units of the schematic view), on the
/// 10-unit grid, with the default size of its kind: a note says "Note" until edited, a box has
/// no title (it shows its kind) until given one. The id is the kind's word (`note`, `vpc`,
/// `team`, ...) made unique among the design's annotations.
pub fn new_annotation(design: &Design, kind: AnnotationKind, x: f32, y: f32) -> Annotation {
    let (base, (width, height), text) = match kind {
        AnnotationKind::Note => ("note", Annotation::NOTE_SIZE, "Note"),
        AnnotationKind::Group(g) => (group_word(g), Annotation::GROUP_SIZE, ""),
    };
    let id = unique_id(base, |id| design.annotation(&AnnotationId::new(id)).is_some());
    let limit = (Annotation::MAX_COORD / 2) as f32;
    let corner = |centre: f32, side: u32| {
        let v = if centre.is_finite() { centre.clamp(-limit, limit) } else { 0.0 };
        // Within half the coordinate bound: the cast cannot overflow.
        ((v - side as f32 / 2.0) / GRID).round() as i32 * GRID as i32
    };
    Annotation {
        id: AnnotationId::new(id),
        kind,
        text: text.to_owned(),
        x: corner(x, width),
        y: corner(y, height),
        width,
        height,
    }
}

/// The command adding a new annotation of `kind` centred on `(x, y)` ([`new_annotation`]), and its id.
pub fn add_annotation(design: &Design, kind: AnnotationKind, x: f32, y: f32) -> (Command, AnnotationId) {
    let a = new_annotation(design, kind, x, y);
    let id = a.id.clone();
    (Command::AddAnnotation(a), id)
}

fn group_word(g: GroupKind) -> &'static str {
    match g {
        GroupKind::Vpc => "vpc",
        GroupKind::Subnet => "subnet",
        GroupKind::Account => "account",
        GroupKind::Team => "team",
        GroupKind::Other => "group",
    }
}
