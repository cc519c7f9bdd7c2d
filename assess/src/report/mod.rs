//! `meridian report`: one self-contained HTML page about a design: summary, design picture,
//! simulation results with charts, cost breakdown, compliance findings with their paths, and the
//! assumptions with the price snapshot date.
//!
//! Everything is inline (CSS, SVG charts from plotters, the design picture); the page loads
//! nothing, prints without breaking figures or tables, and reads at phone width. Every figure
//! comes from one [`Assessment`] (the pipeline `meridian compare` uses too), whose bill keeps its
//! line items for the cost section.

mod annotations_svg;
pub mod charts;
pub mod design_svg;
pub mod escape;
pub mod page;
pub mod sections;
pub mod svg;
pub mod targets_section;

use std::fmt::Write as _;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::cost::{Bill, Forecast};
use meridian_model::{Catalog, Design};
use meridian_sim::{Progress, Scenario, SimResults};

use crate::assessment::{self as assess, AssessError, AssessOptions, Assessment, IncidentSummary, Want};
use crate::charts::ChartError;
use escape::escape;

/// What a report is made from: one assessment with every part the report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportData<'a> {
    /// The design.
    pub design: &'a Design,
    /// The catalog it was loaded with.
    pub catalog: &'a Catalog,
    /// The design assessed under the scenario: every figure comes from here.
    pub assessment: &'a Assessment,
    /// The assessment's simulation results.
    pub results: &'a SimResults,
    /// The assessment's bill with its line items, tags and stale sources.
    pub bill: &'a Bill,
    /// The assessment's forecast of the bill.
    pub forecast: &'a Forecast,
    /// The assessment's incident of run 0.
    pub incident: &'a IncidentSummary,
    /// Sources read longer ago than this are flagged stale.
    pub max_price_age_days: i64,
    /// The day the report is written, `YYYY-MM-DD`.
    pub today: &'a str,
}

impl<'a> ReportData<'a> {
    /// The report of `assessment`, which must hold every part of [`Want::COMPARE`]; `max_price_age_days`
    /// and `today` are those its bill's staleness was measured with.
    pub fn new(
        design: &'a Design,
        catalog: &'a Catalog,
        assessment: &'a Assessment,
        max_price_age_days: i64,
        today: &'a str,
    ) -> Result<ReportData<'a>, AssessError> {
        let missing = Want::COMPARE.difference(assessment.want);
        let (Some(results), Some(bill), Some(forecast), Some(incident), true) = (
            &assessment.results,
            &assessment.bill,
            &assessment.forecast,
            &assessment.incident,
            missing.is_empty(),
        ) else {
            return Err(AssessError::Missing(missing));
        };
        Ok(ReportData {
            design,
            catalog,
            assessment,
            results,
            bill,
            forecast,
            incident,
            max_price_age_days,
            today,
        })
    }
}

/// The section ids and headings, in page order.
pub const SECTIONS: [(&str, &str); 7] = [
    ("summary", "Summary"),
    ("targets", "Targets"),
    ("design", "Design"),
    ("simulation", "Simulation results"),
    ("cost", "Cost breakdown"),
    ("compliance", "Compliance findings"),
    ("assumptions", "Assumptions"),
];

/// Assesses `design` under `scenario` and renders its report, the one path `meridian report` and
/// the designer's File > Export report share: one assessment of every part the report shows
/// (whatever `options.want` says), so the design is compiled once and billed once. `path` is the
/// design's file, shown in the header; sources older than `options.cost.max_price_age_days` on
/// `options.today` are flagged. Returns the page and the assessment.
pub fn assess_and_render(
    design: &Design,
    catalog: &Catalog,
    path: Option<&Path>,
    scenario: &Scenario,
    options: &AssessOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<(String, Assessment), AssessError> {
    let options = AssessOptions { want: Want::COMPARE, ..options.clone() };
    let mut assessment = assess::assess(design, catalog, scenario, &options, progress, cancel)?;
    assessment.path = path.map(Path::to_owned);
    let today = options.today.to_string();
    let data = ReportData::new(design, catalog, &assessment, options.cost.max_price_age_days, &today)?;
    let html = render(&data)?;
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
    h.push_str(&targets_section::targets(d));
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
