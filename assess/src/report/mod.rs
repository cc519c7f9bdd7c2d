//! `meridian report`: one self-contained HTML page about a design: summary, design picture,
//! simulation results with charts, cost breakdown, compliance findings with their paths, and the
//! assumptions with the price snapshot date.
//!
//! Everything is inline (CSS, SVG charts from plotters, the design picture); the page loads
//! nothing, prints without breaking figures or tables, and reads at phone width. Every figure
//! comes from one [`Assessment`] (the function `meridian compare` uses too); the cost section adds
//! the line items of the same bill.

pub mod charts;
pub mod design_svg;
pub mod escape;
pub mod page;
pub mod sections;
pub mod svg;

use std::fmt::Write as _;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::cost::{self, Bill, Date};
use meridian_model::{Catalog, Design};
use meridian_sim::{Progress, Scenario};

use crate::assessment::{self as assess, AssessError, AssessOptions, Assessment};
use crate::charts::ChartError;
use escape::escape;

/// What a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct ReportData<'a> {
    /// The design.
    pub design: &'a Design,
    /// The catalog it was loaded with.
    pub catalog: &'a Catalog,
    /// The design assessed under the scenario: every key figure comes from here.
    pub assessment: &'a Assessment,
    /// The same bill with its line items, tags and stale sources, for the cost breakdown.
    pub bill: &'a Bill,
    /// Sources read longer ago than this are flagged stale.
    pub max_price_age_days: i64,
    /// The day the report is written, `YYYY-MM-DD`.
    pub today: &'a str,
}

/// The section ids and headings, in page order.
pub const SECTIONS: [(&str, &str); 6] = [
    ("summary", "Summary"),
    ("design", "Design"),
    ("simulation", "Simulation results"),
    ("cost", "Cost breakdown"),
    ("compliance", "Compliance findings"),
    ("assumptions", "Assumptions"),
];

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The assessment failed (bad scenario, cancelled, internal).
    #[error(transparent)]
    Assess(#[from] AssessError),
    /// A chart or section could not be drawn (an internal error).
    #[error("the report could not be drawn: {0}")]
    Render(ChartError),
}

/// Assesses `design` under `scenario` and renders its report, the one path `meridian report` and
/// the designer's File > Export report share. `path` is the design's file, shown in the header;
/// prices come from `options.prices` (else the embedded snapshot), sources older than
/// `options.cost.max_price_age_days` are flagged. Returns the page and the assessment.
pub fn assess_and_render(
    design: &Design,
    catalog: &Catalog,
    path: Option<&Path>,
    scenario: &Scenario,
    options: &AssessOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<(String, Assessment), ReportError> {
    let mut assessment = assess::assess(design, catalog, scenario, options, progress, cancel)?;
    assessment.path = path.map(Path::to_owned);
    let prices = match &options.prices {
        Some(p) => p,
        None => assess::builtin_prices()?,
    };
    let today = Date::today();
    let bill = cost::bill_with(design, Some(catalog), prices, &options.cost);
    let bill = cost::with_staleness(bill, prices, options.cost.max_price_age_days, today);
    let today = today.to_string();
    let data = ReportData {
        design,
        catalog,
        assessment: &assessment,
        bill: &bill,
        max_price_age_days: options.cost.max_price_age_days,
        today: &today,
    };
    let html = render(&data).map_err(ReportError::Render)?;
    Ok((html, assessment))
}

/// The whole report as one HTML document.
pub fn render(d: &ReportData<'_>) -> Result<String, ChartError> {
    let a = d.assessment;
    let title = format!("{}: design report", a.design);
    let mut h = String::with_capacity(256 * 1024);
    let _ = write!(
        h,
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="generator" content="meridian {}"><title>{}</title><style>{}</style></head><body><main>"#,
        env!("CARGO_PKG_VERSION"),
        escape(&title),
        page::CSS
    );
    let file = a.path.as_ref().map(|p| format!(" · {}", p.display())).unwrap_or_default();
    let _ = write!(
        h,
        "<header><h1>{}</h1><p>Design report{} · scenario {} · {} runs · seed {} · written {} by meridian {}</p><nav>",
        escape(&a.design),
        escape(&file),
        escape(&a.scenario),
        a.runs,
        a.seed,
        escape(d.today),
        env!("CARGO_PKG_VERSION")
    );
    for (id, heading) in SECTIONS {
        let _ = write!(h, r##"<a href="#{id}">{heading}</a>"##);
    }
    h.push_str("</nav></header>");
    h.push_str(&sections::summary(d));
    h.push_str(&sections::design(d));
    h.push_str(&sections::simulation(d)?);
    h.push_str(&sections::cost(d)?);
    h.push_str(&sections::compliance(d));
    h.push_str(&sections::assumptions(d));
    h.push_str("<footer>Figures are estimates from a model of the design, not measurements of a deployment.</footer></main></body></html>\n");
    Ok(h)
}

#[cfg(test)]
mod tests;
