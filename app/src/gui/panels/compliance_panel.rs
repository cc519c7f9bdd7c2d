//! The data-law panel: findings of the enabled policy packs, each with its whole path; clicking
//! one selects the offending entity. It updates on every edit.

use std::collections::BTreeSet;

use egui::{RichText, Ui};
use meridian_model::compliance::Level;

use crate::gui::command::AppCommand;
use crate::gui::context::ViewContext;
use crate::gui::theme::Palette;

/// Why compare and the report can count more violations than this tab.
const DYNAMIC_NOTE: &str = "Compare and the report also count violations while a scenario runs (data served from another region during a failover), so their count can be higher.";

/// Shows the findings of the design's data-law report; a click selects the offending entity.
pub fn compliance_ui(ui: &mut Ui, view: &ViewContext<'_>) {
    let (report, policies, enabled) =
        (&view.analysis.report, &view.analysis.policies, &view.analysis.enabled_packs);
    let pal = Palette::of(ui.visuals());
    let violations = report.failures().count();
    // Wrapped: with many policy packs the toggles continue on the next line instead of being cut.
    ui.horizontal_wrapped(|ui| {
        ui.strong(format!("{violations} violations in the design as drawn")).on_hover_text(DYNAMIC_NOTE);
        ui.label(
            RichText::new(format!(
                "{} notices · {} waivers",
                report.findings.len() - violations,
                report.waivers.len()
            ))
            .weak(),
        );
        ui.separator();
        ui.label("Policies");
        for p in policies {
            let mut on = enabled.contains(&p.name);
            if ui.checkbox(&mut on, &p.name).changed() {
                view.send(AppCommand::TogglePack(p.name.clone()));
            }
        }
    });
    ui.label(
        RichText::new(format!(
            "! violation (drawn in the warning colour on the canvas) · i notice · - waived. {DYNAMIC_NOTE}"
        ))
        .weak()
        .small(),
    );
    egui::ScrollArea::vertical().id_salt("findings").auto_shrink([false, false]).show(ui, |ui| {
        if report.findings.is_empty() {
            ui.label(RichText::new("No findings: every enabled policy is satisfied.").weak());
        }
        for f in &report.findings {
            let (icon, color) = match (f.level, f.waiver.is_some()) {
                (_, true) => ("-", pal.text_weak),
                (Level::Violation, false) => ("!", pal.warning),
                (Level::Notice, false) => ("i", pal.text_weak),
            };
            let waived = if f.waiver.is_some() { " (waived)" } else { "" };
            let text = format!("{icon} {}{waived}: {}", f.rule, f.message);
            let resp =
                ui.add(egui::Label::new(RichText::new(text).color(color)).sense(egui::Sense::click()).wrap());
            let resp = resp.on_hover_text(format!("path: {}", f.path.render()));
            if resp.clicked() {
                view.send(AppCommand::Select(BTreeSet::from([f.entity.clone()])));
            }
            ui.add(
                egui::Label::new(RichText::new(format!("    path: {}", f.path.render())).small().weak())
                    .wrap(),
            );
        }
        for w in &report.waivers {
            ui.label(
                RichText::new(format!("waiver: {} on {} — {}", w.rule, w.entity, w.justification)).small(),
            );
        }
    });
}
