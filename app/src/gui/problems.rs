//! The problems list: the model's warnings about the design; clicking one selects its entity.

use egui::{RichText, Ui};
use meridian_model::EntityRef;
use meridian_model::validate::{Problem, Severity};

use super::theme::Palette;

/// Shows the problems; returns the entity the user clicked.
pub fn problems_ui(ui: &mut Ui, problems: &[Problem]) -> Option<EntityRef> {
    let pal = Palette::of(ui.visuals());
    let mut clicked = None;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if problems.is_empty() {
            ui.label(RichText::new("No problems found.").weak());
        }
        for p in problems {
            let (icon, color) = match p.severity {
                Severity::Warning => ("!", pal.warning),
                Severity::Info => ("i", pal.text_weak),
            };
            let text = format!("{icon}  {}: {}", p.entity, p.message);
            if ui.add(egui::Button::new(RichText::new(text).color(color)).frame(false)).clicked() {
                clicked = Some(p.entity.clone());
            }
        }
    });
    clicked
}
