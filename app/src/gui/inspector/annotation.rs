//! The inspector of a note or group box: its kind, its text (a note's several lines, a box's
//! one-line title), and its place and size on the canvas. Each edit is one `UpdateAnnotation`.

use egui::Ui;
use meridian_model::Command;
use meridian_model::design::{Annotation, AnnotationKind};

use super::{FieldEdit, Form, heading};

/// The fields of annotation `a`.
pub(super) fn annotation_form(ui: &mut Ui, f: &mut Form<'_>, a: &Annotation) {
    let what = match a.kind {
        AnnotationKind::Note => "Note",
        AnnotationKind::Group(_) => "Group box",
    };
    heading(ui, what, &format!("{} · drawn on the schematic canvas; not part of the architecture", a.id));
    let key = |field: &str| format!("annotation:{}:{field}", a.id);
    let with = |change: &dyn Fn(&mut Annotation)| {
        let mut next = a.clone();
        change(&mut next);
        Command::UpdateAnnotation(next)
    };

    let l = ui.label("Kind");
    let mut chosen = a.kind;
    egui::ComboBox::from_id_salt(key("kind"))
        .selected_text(kind_text(a.kind))
        .show_ui(ui, |ui| {
            for k in AnnotationKind::ALL {
                ui.selectable_value(&mut chosen, k, kind_text(k));
            }
        })
        .response
        .labelled_by(l.id);
    if chosen != a.kind {
        // A box's title is one line: a note's line breaks become spaces, and it is cut to fit.
        let text = if chosen.multiline() {
            a.text.clone()
        } else {
            let one: String = a.text.split_whitespace().collect::<Vec<_>>().join(" ");
            one.chars().take(chosen.max_chars()).collect()
        };
        f.edits.push(FieldEdit {
            command: with(&|n: &mut Annotation| {
                n.kind = chosen;
                n.text.clone_from(&text);
            }),
            key: key("kind"),
        });
    }
    f.error(ui, &key("kind"));

    if a.kind.multiline() {
        let l = ui.label("Text");
        let k = key("text");
        let buf = f.state.buffers.entry(k.clone()).or_insert_with(|| a.text.clone());
        let resp = ui
            .add(egui::TextEdit::multiline(buf).desired_rows(4).desired_width(f32::INFINITY))
            .labelled_by(l.id);
        if resp.changed() {
            let text = buf.clone();
            f.edits.push(FieldEdit {
                command: with(&|n: &mut Annotation| n.text.clone_from(&text)),
                key: k.clone(),
            });
        } else if !resp.has_focus() && *buf != a.text && !f.state.errors.contains_key(&k) {
            a.text.clone_into(buf);
        }
        f.error(ui, &k);
    } else {
        f.text(ui, &key("text"), "Title", &a.text, |v| with(&|n: &mut Annotation| n.text.clone_from(&v)));
    }

    let max = f64::from(Annotation::MAX_COORD);
    let side = f64::from(Annotation::MIN_SIDE)..=f64::from(Annotation::MAX_SIDE);
    // The parsed values are inside their ranges (within i32).
    f.number(ui, &key("x"), "Left (canvas units)", f64::from(a.x), -max..=max, "", |v| {
        with(&|n: &mut Annotation| n.x = v.round() as i32)
    });
    f.number(ui, &key("y"), "Top (canvas units)", f64::from(a.y), -max..=max, "", |v| {
        with(&|n: &mut Annotation| n.y = v.round() as i32)
    });
    f.whole(ui, &key("width"), "Width (canvas units)", a.width, side.clone(), "", |v| {
        with(&|n: &mut Annotation| n.width = v)
    });
    f.whole(ui, &key("height"), "Height (canvas units)", a.height, side, "", |v| {
        with(&|n: &mut Annotation| n.height = v)
    });
}

/// A kind as the inspector offers it: `Note`, `Box: VPC`, ...
fn kind_text(k: AnnotationKind) -> String {
    match k {
        AnnotationKind::Note => "Note".to_owned(),
        AnnotationKind::Group(_) => format!("Box: {}", k.label()),
    }
}
