//! The problems list: the model's warnings about the design; clicking one selects its entity.

use std::collections::BTreeSet;

use egui::{RichText, Ui};
use meridian_model::validate::Severity;

use super::command::AppCommand;
use super::context::ViewContext;
use super::theme::Palette;

/// Shows the problems of the design; a click selects the problem's entity.
pub fn problems_ui(ui: &mut Ui, view: &ViewContext<'_>) {
    let problems = &view.analysis.problems;
    let pal = Palette::of(ui.visuals());
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if problems.is_empty() {
            ui.label(RichText::new("No problems found.").weak());
        } else {
            ui.label(
                RichText::new("! warning, its entity drawn in the warning colour on the canvas · i notice · click to select")
                    .weak()
                    .small(),
            );
        }
        for p in problems {
            let (icon, color) = match p.severity {
                Severity::Warning => ("!", pal.warning),
                Severity::Info => ("i", pal.text_weak),
            };
            let text = format!("{icon}  {}: {}", p.entity, p.message);
            let label = egui::Label::new(RichText::new(text).color(color)).sense(egui::Sense::click()).wrap();
            if ui.add(label).clicked() {
                view.send(AppCommand::Select(BTreeSet::from([p.entity.clone()])));
            }
        }
    });
}
