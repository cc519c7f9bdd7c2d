//! The inspector for several selected services: the fields they share (count, instance type,
//! engine where every kind has one, tags, data classes), each edit applied to all of them as one
//! command, so one undo step. A field whose values differ shows "mixed" until a value is typed.

use std::collections::{BTreeMap, BTreeSet};

use egui::{RichText, Ui};
use meridian_model::design::Service;
use meridian_model::{Catalog, Command, Design, EntityRef};

use super::{FieldEdit, Form, parse_number, parse_tags, split_list};

/// The value several services have for one field: the same one, or different ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Common<T> {
    /// Every service has this value.
    Same(T),
    /// The values differ (shown as "mixed").
    Mixed,
}

impl<T: PartialEq + Clone> Common<T> {
    /// The common value of `values`; `None` when there are none.
    pub fn of(mut values: impl Iterator<Item = T>) -> Option<Common<T>> {
        let first = values.next()?;
        Some(if values.all(|v| v == first) { Common::Same(first) } else { Common::Mixed })
    }
}

/// The services of the selection (other entities ignored), in id order.
pub fn selected_services<'a>(design: &'a Design, selection: &BTreeSet<EntityRef>) -> Vec<&'a Service> {
    selection
        .iter()
        .filter_map(|e| match e {
            EntityRef::Service(id) => design.service(id),
            _ => None,
        })
        .collect()
}

/// One command changing every service of `services` with `change`: a batch, so one undo step.
fn for_all(services: &[&Service], change: &dyn Fn(&mut Service)) -> Command {
    Command::Batch(
        services
            .iter()
            .map(|s| {
                let mut next = (*s).clone();
                change(&mut next);
                Command::UpdateService(next)
            })
            .collect(),
    )
}

/// The fields the selected services share, edited together.
pub fn services_form(ui: &mut Ui, f: &mut Form<'_>, catalog: &Catalog, services: &[&Service]) {
    ui.strong(format!("Shared fields of {} services", services.len()));
    let note = RichText::new("An edit here changes every selected service, in one undo step.").weak().small();
    ui.add(egui::Label::new(note).wrap());
    ui.add_space(4.0);
    let all_apply = |pick: fn(&meridian_model::sizing::ConfigFields) -> bool| {
        services.iter().all(|s| pick(&meridian_model::sizing::config_fields(s.kind)))
    };
    let counts = services.iter().all(|s| {
        catalog.kind(s.kind).capacity.is_some() || meridian_model::sizing::config_fields(s.kind).instance_type
    });
    if counts && let Some(common) = Common::of(services.iter().map(|s| s.config.count)) {
        let max = f64::from(meridian_model::MAX_COUNT);
        let shown = match &common {
            Common::Same(v) => Some(v.to_string()),
            Common::Mixed => None,
        };
        mixed_field(ui, f, "multi:count", "Count (instances, tasks, nodes)", shown, |text| {
            let v = parse_number(&text, &(0.0..=max), true)?;
            // A whole number within 0..=MAX_COUNT, checked by `parse_number`.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let v = v as u32;
            Ok(for_all(services, &|n| n.config.count = v))
        });
    }
    if all_apply(|c| c.instance_type)
        && let Some(common) = Common::of(services.iter().map(|s| s.config.instance_type.clone()))
    {
        let shown = match &common {
            Common::Same(v) => Some(v.clone().unwrap_or_default()),
            Common::Mixed => None,
        };
        mixed_field(ui, f, "multi:instance_type", "Instance type", shown, |text| {
            let v = (!text.trim().is_empty()).then(|| text.trim().to_owned());
            Ok(for_all(services, &|n| n.config.instance_type.clone_from(&v)))
        });
    }
    if all_apply(|c| c.engine)
        && let Some(common) = Common::of(services.iter().map(|s| s.config.engine.clone()))
    {
        let shown = match &common {
            Common::Same(v) => Some(v.clone().unwrap_or_default()),
            Common::Mixed => None,
        };
        mixed_field(ui, f, "multi:engine", "Engine", shown, |text| {
            let v = (!text.trim().is_empty()).then(|| text.trim().to_owned());
            Ok(for_all(services, &|n| n.config.engine.clone_from(&v)))
        });
    }
    tags_field(ui, f, services);
    if let Some(common) = Common::of(services.iter().map(|s| s.data_classes.clone())) {
        let shown = match &common {
            Common::Same(v) => Some(v.join(", ")),
            Common::Mixed => None,
        };
        mixed_field(ui, f, "multi:data_classes", "Data classes (e.g. personal:EU)", shown, |text| {
            let classes = split_list(&text);
            Ok(for_all(services, &|n| n.data_classes.clone_from(&classes)))
        });
    }
}

/// The tags every selected service has with the same value, edited together: a tag typed here is
/// set on all of them, a shared tag deleted here is removed from all; tags only some have stay.
fn tags_field(ui: &mut Ui, f: &mut Form<'_>, services: &[&Service]) {
    let Some(first) = services.first() else { return };
    let shared: BTreeMap<String, String> = first
        .tags
        .iter()
        .filter(|(k, v)| services.iter().all(|s| s.tags.get(*k) == Some(*v)))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let others: BTreeSet<&String> =
        services.iter().flat_map(|s| s.tags.keys()).filter(|k| !shared.contains_key(*k)).collect();
    let text = shared.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    let label = "Shared tags (key=value, …)";
    let l = ui.label(label);
    let typed = f.typed(ui, "multi:tags", l.id, &text, f32::INFINITY);
    if !others.is_empty() {
        let names = others.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ");
        let note = RichText::new(format!("Mixed (kept as they are): {names}")).weak().small();
        ui.add(egui::Label::new(note).wrap());
    }
    if let Some(text) = typed {
        match parse_tags(&text) {
            Ok(new) => {
                f.state.errors.remove("multi:tags");
                let command = for_all(services, &|n| {
                    n.tags.retain(|k, _| !shared.contains_key(k));
                    n.tags.extend(new.iter().map(|(k, v)| (k.clone(), v.clone())));
                });
                f.edits.push(FieldEdit { command, key: "multi:tags".to_owned() });
            }
            Err(reason) => {
                f.state.errors.insert("multi:tags".to_owned(), reason);
            }
        }
    }
    f.error(ui, "multi:tags");
}

/// A text field for a value several services share: `shown` is the common value (`None` when
/// they differ: an empty field with "mixed" as the hint); `parse` turns typed text into the command for all of them,
/// or refuses it with the reason, which stays under the field with the text.
fn mixed_field(
    ui: &mut Ui,
    f: &mut Form<'_>,
    key: &str,
    label: &str,
    shown: Option<String>,
    parse: impl FnOnce(String) -> Result<Command, String>,
) {
    let hint = if shown.is_none() { "mixed" } else { "" };
    let shown = shown.unwrap_or_default();
    let l = ui.label(label);
    let buf = f.state.buffers.entry(key.to_owned()).or_insert_with(|| shown.clone());
    let resp = ui
        .add(egui::TextEdit::singleline(buf).hint_text(hint).desired_width(f32::INFINITY))
        .labelled_by(l.id);
    let typed = resp.changed().then(|| buf.clone());
    if typed.is_none() && !resp.has_focus() && *buf != shown && !f.state.errors.contains_key(key) {
        *buf = shown;
    }
    if let Some(text) = typed {
        match parse(text) {
            Ok(command) => {
                f.state.errors.remove(key);
                f.edits.push(FieldEdit { command, key: key.to_owned() });
            }
            Err(reason) => {
                f.state.errors.insert(key.to_owned(), reason);
            }
        }
    }
    f.error(ui, key);
}
