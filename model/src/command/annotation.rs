//! The annotation commands (`AddAnnotation`, `UpdateAnnotation`, `RemoveAnnotation`): a note or
//! group box checked against its bounds, put in or taken out, and the inverse returned.

use crate::check::{CommandError, check_text};
use crate::design::{Annotation, Design, EntityRef};
use crate::ids::{AnnotationId, check_id};

use super::{Command, duplicate, missing};

/// Applies an annotation command (`AddAnnotation`, `UpdateAnnotation`, `RemoveAnnotation`).
pub(super) fn apply(design: &mut Design, command: Command) -> Result<Command, CommandError> {
    match command {
        Command::AddAnnotation(a) => add(design, a),
        Command::UpdateAnnotation(a) => update(design, a),
        Command::RemoveAnnotation(id) => remove(design, id),
        other => Err(CommandError {
            entity: EntityRef::Design,
            field: String::new(),
            message: format!("`{}` is not an annotation command", other.label()),
        }),
    }
}

/// Adds an annotation; the inverse removes it.
fn add(design: &mut Design, a: Annotation) -> Result<Command, CommandError> {
    if design.annotation(&a.id).is_some() {
        return Err(duplicate(EntityRef::Annotation(a.id)));
    }
    check(&a)?;
    if design.annotations().len() >= Annotation::MAX_PER_DESIGN {
        return Err(refuse(
            &a.id,
            "id",
            format!("a design holds at most {} annotations", Annotation::MAX_PER_DESIGN),
        ));
    }
    let id = a.id.clone();
    design.put_annotation(a);
    Ok(Command::RemoveAnnotation(id))
}

/// Replaces an annotation (same id): its text, kind, place or size; the inverse puts the old one back.
fn update(design: &mut Design, a: Annotation) -> Result<Command, CommandError> {
    if design.annotation(&a.id).is_none() {
        return Err(missing(EntityRef::Annotation(a.id)));
    }
    check(&a)?;
    let id = a.id.clone();
    let old = design.put_annotation(a).ok_or_else(|| missing(EntityRef::Annotation(id)))?;
    Ok(Command::UpdateAnnotation(old))
}

/// Removes an annotation; the inverse adds it back.
fn remove(design: &mut Design, id: AnnotationId) -> Result<Command, CommandError> {
    let old = design.take_annotation(&id).ok_or_else(|| missing(EntityRef::Annotation(id)))?;
    Ok(Command::AddAnnotation(old))
}

fn refuse(id: &AnnotationId, field: &str, message: String) -> CommandError {
    CommandError { entity: EntityRef::Annotation(id.clone()), field: field.into(), message }
}

/// The invariants of one annotation: a valid id, text within its kind's bound (one line for a
/// box's title), a size from [`Annotation::MIN_SIDE`] to [`Annotation::MAX_SIDE`] and corners
/// within [`Annotation::MAX_COORD`] of the origin.
fn check(a: &Annotation) -> Result<(), CommandError> {
    check_id(a.id.as_str()).map_err(|e| refuse(&a.id, "id", e.to_string()))?;
    check_text(&a.text, a.kind.max_chars(), a.kind.multiline()).map_err(|why| refuse(&a.id, "text", why))?;
    for (field, v) in [("width", a.width), ("height", a.height)] {
        if !(Annotation::MIN_SIDE..=Annotation::MAX_SIDE).contains(&v) {
            return Err(refuse(
                &a.id,
                field,
                format!(
                    "an annotation's {field} is {v}; it must be from {} to {} canvas units",
                    Annotation::MIN_SIDE,
                    Annotation::MAX_SIDE
                ),
            ));
        }
    }
    let far = |v: i64| v.abs() > i64::from(Annotation::MAX_COORD);
    for (field, start, len) in [("x", a.x, a.width), ("y", a.y, a.height)] {
        if far(i64::from(start)) || far(i64::from(start) + i64::from(len)) {
            return Err(refuse(
                &a.id,
                field,
                format!(
                    "the annotation reaches off the canvas ({field} {start}, {} long): its edges must \
                     be at most {} from the origin",
                    len,
                    Annotation::MAX_COORD
                ),
            ));
        }
    }
    Ok(())
}
