//! The panels under the canvas: problems, data-law compliance, cost and simulation, as tabs.
//! They read the view context and send what the user asked for to the command queue.

pub mod compliance_panel;
pub mod cost_panel;
pub mod sim_panel;

use egui::Ui;

use super::context::ViewContext;
use super::problems::problems_ui;
use super::theme::Palette;
use compliance_panel::compliance_ui;
use cost_panel::cost_ui;
use sim_panel::{SimPanel, sim_ui};

/// Which tab of the bottom panel is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Model warnings.
    #[default]
    Problems,
    /// Data-law findings.
    Compliance,
    /// The monthly bill.
    Cost,
    /// Scenarios and results.
    Simulation,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 4] = [Tab::Problems, Tab::Compliance, Tab::Cost, Tab::Simulation];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Problems => "Problems",
            Tab::Compliance => "Data law",
            Tab::Cost => "Cost",
            Tab::Simulation => "Simulation",
        }
    }
}

/// The tab strip with the message line, and the tab shown.
pub fn bottom_panel_ui(ui: &mut Ui, view: &ViewContext<'_>, tab: &mut Tab, sim: &mut SimPanel) {
    let analysis = view.analysis;
    ui.horizontal_wrapped(|ui| {
        for t in Tab::ALL {
            let label = match t {
                Tab::Problems => format!("Problems ({})", analysis.problems.len()),
                Tab::Compliance => format!("Data law ({})", analysis.report.failures().count()),
                Tab::Cost => match &analysis.bill {
                    Ok(b) => format!("Cost (${:.0}/mo)", b.total_usd_per_month),
                    Err(_) => "Cost".to_owned(),
                },
                Tab::Simulation => t.label().to_owned(),
            };
            ui.selectable_value(tab, t, label);
        }
        if let Some(m) = view.message {
            ui.separator();
            ui.label(egui::RichText::new(m).color(Palette::of(ui.visuals()).warning));
        }
    });
    ui.separator();
    // Every tab draws inside the panel's height, scrolling what does not fit, so the panel keeps
    // the height the user gave it whichever tab is shown (content never makes it grow).
    let body = ui.available_rect_before_wrap();
    ui.scope_builder(egui::UiBuilder::new().max_rect(body), |ui| {
        ui.set_clip_rect(body.intersect(ui.clip_rect()));
        match tab {
            Tab::Problems => problems_ui(ui, view),
            Tab::Compliance => compliance_ui(ui, view),
            Tab::Cost => scrolled(ui, "cost-tab", |ui| cost_ui(ui, view)),
            Tab::Simulation => scrolled(ui, "sim-tab", |ui| sim_ui(ui, view, sim)),
        }
    });
    ui.allocate_rect(body, egui::Sense::hover());
}

/// A tab's body in a scroll area filling the panel.
fn scrolled(ui: &mut Ui, id: &str, body: impl FnOnce(&mut Ui)) {
    egui::ScrollArea::vertical().id_salt(id).auto_shrink([false, false]).show(ui, body);
}
