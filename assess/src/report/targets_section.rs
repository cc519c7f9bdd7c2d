//! The report's Targets section: each of the design's resilience targets met or missed, by how
//! much, with the confidence interval, and the error budgets (from [`crate::targets`]).

use super::ReportData;
use super::escape::escape;
use super::page::{Cell, Table, data};
use crate::targets::Verdict;

/// The Targets section (a sentence when the design states none).
pub fn targets(d: &ReportData<'_>) -> String {
    let mut h = String::from(r#"<section id="targets"><h2>Targets</h2>"#);
    let Some(t) = &d.assessment.targets else {
        h.push_str(
            "<p>The design states no targets. Add a <code>targets</code> section (docs/file-format.md, \
             \"Targets\") to have availability, RTO and RPO, latency and cost checked here.</p></section>",
        );
        return h;
    };
    h.push_str("<p>");
    h.push_str(&escape(&t.summary()));
    h.push_str(".</p>");
    let mut table = Table::new(&["", "target", "#measured", "95% CI", "verdict", "by how much"]);
    for (i, c) in t.checks.iter().enumerate() {
        let verdict = match c.verdict {
            Verdict::Met => r#"<span class="tag waived">met</span>"#.to_owned(),
            Verdict::Missed => r#"<span class="tag violation">missed</span>"#.to_owned(),
            Verdict::NotEvaluated => r#"<span class="tag notice">not evaluated</span>"#.to_owned(),
        };
        let measured = c.measured.map_or_else(
            || Cell::Text(c.note.clone()),
            |m| Cell::Html(data(&format!("target.{i}"), m, &crate::targets::figure(c.unit, m))),
        );
        let ci = c.ci95.map_or_else(
            || "-".to_owned(),
            |[lo, hi]| {
                format!("{} to {}", crate::targets::figure(c.unit, lo), crate::targets::figure(c.unit, hi))
            },
        );
        table.row(vec![
            Cell::Text(c.label()),
            Cell::Text(c.target_text()),
            measured,
            Cell::Num(ci),
            Cell::Html(verdict),
            Cell::Text(c.margin_text()),
        ]);
    }
    h.push_str(&table.finish());
    if !t.budgets.is_empty() {
        h.push_str(
            "<h3>Error budgets</h3><p>Per month of 730 hours; a scenario shorter than a month is counted once \
             in the month (a modelling assumption).</p>",
        );
        let mut table =
            Table::new(&["", "#SLO", "#budget per month", "#burned", "#share of budget", "95% CI"]);
        for (i, b) in t.budgets.iter().enumerate() {
            let [lo, hi] = b.burned_percent_ci95;
            table.row(vec![
                Cell::Text(b.label()),
                Cell::Num(crate::targets::figure(crate::targets::Unit::Percent, b.slo_percent)),
                Cell::Num(crate::units::Seconds(b.budget_minutes_per_month * 60.0).fine()),
                Cell::Num(crate::units::Seconds(b.burned_minutes * 60.0).fine()),
                Cell::Html(data(
                    &format!("budget.{i}"),
                    b.burned_percent,
                    &format!("{:.1}%", b.burned_percent),
                )),
                Cell::Num(format!("{lo:.1}% to {hi:.1}%")),
            ]);
        }
        h.push_str(&table.finish());
    }
    h.push_str("</section>");
    h
}
