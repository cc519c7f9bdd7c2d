//! The panels under the canvas: problems, data-law compliance, cost and simulation, as tabs.

pub mod compliance_panel;
pub mod cost_panel;
pub mod sim_panel;

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
