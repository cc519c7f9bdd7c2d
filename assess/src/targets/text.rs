//! Targets in words: labels, figures and the text block `meridian simulate` and `compare` print.

use super::{ErrorBudget, Measure, TargetCheck, TargetKind, TargetReport, Unit, Verdict};
use crate::units::{Seconds, Usd};

/// `value` in `unit`, as people read it (`99.95%`, `5 min 00 s`, `180 ms`, `$4,200`).
pub fn figure(unit: Unit, value: f64) -> String {
    match unit {
        Unit::Percent => {
            // Enough decimals to tell 99.99% from 99.999%, no trailing zeros.
            let text = format!("{value:.4}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            format!("{text}%")
        }
        Unit::Seconds => Seconds(value).fine(),
        Unit::Milliseconds if value.is_infinite() => crate::units::UNBOUNDED.to_owned(),
        Unit::Milliseconds => format!("{value:.0} ms"),
        Unit::UsdPerMonth => format!("{}/month", Usd(value)),
    }
}

fn who(p: Option<&meridian_model::ids::PopulationId>) -> String {
    p.map_or_else(|| "all users".to_owned(), ToString::to_string)
}

impl TargetCheck {
    /// What the target is, e.g. `availability (requests), eu-users` or `RTO, region`.
    pub fn label(&self) -> String {
        self.label_with(&who)
    }

    /// [`TargetCheck::label`] with populations named by `name` (the designer shows names, not ids).
    pub fn label_with(&self, name: &dyn Fn(Option<&meridian_model::ids::PopulationId>) -> String) -> String {
        let who = name;
        match self.kind {
            TargetKind::AvailabilityRequests => {
                format!("availability (requests), {}", who(self.population.as_ref()))
            }
            TargetKind::AvailabilityTime => format!("availability (time), {}", who(self.population.as_ref())),
            TargetKind::Rto(d) => format!("RTO, {}", d.label()),
            TargetKind::Rpo(d) => format!("RPO, {}", d.label()),
            TargetKind::LatencyNormal => format!("P99 latency, normal, {}", who(self.population.as_ref())),
            TargetKind::LatencyIncident => {
                format!("P99 latency, incidents, {}", who(self.population.as_ref()))
            }
            TargetKind::MonthlyCost => "monthly cost".to_owned(),
        }
    }

    /// The target with its direction, e.g. `>= 99.95%` or `<= 5 min 00 s`.
    pub fn target_text(&self) -> String {
        let op = if self.kind.higher_is_better() { ">=" } else { "<=" };
        format!("{op} {}", figure(self.unit, self.target))
    }

    /// The measured figure with its interval, or why there is none.
    pub fn measured_text(&self) -> String {
        match (self.measured, self.ci95) {
            (None, _) => self.note.clone(),
            (Some(m), Some([lo, hi])) => {
                format!(
                    "{} (95% CI {} .. {})",
                    figure(self.unit, m),
                    figure(self.unit, lo),
                    figure(self.unit, hi)
                )
            }
            // A recovery target without an interval had no incident to measure: say so, rather
            // than let "measured 0 ms" read as a fast recovery.
            (Some(m), None) if matches!(self.kind, TargetKind::Rto(_) | TargetKind::Rpo(_)) => {
                format!("{} ({})", figure(self.unit, m), self.note)
            }
            (Some(m), None) => figure(self.unit, m),
        }
    }

    /// By how much it is met or missed, e.g. `0.04 points within` or `1 min 10 s over`; with a
    /// warning when the interval crosses the target, or is open because too few incidents or
    /// runs bound it.
    pub fn margin_text(&self) -> String {
        let Some(margin) = self.margin else { return String::new() };
        let amount = match self.unit {
            Unit::Percent => format!("{:.4} points", margin.abs()),
            unit => figure(unit, margin.abs()),
        };
        let side = match (self.verdict, self.kind.higher_is_better()) {
            (Verdict::Met, _) => "within",
            (_, true) => "short",
            (_, false) => "over",
        };
        let open = self.ci95.is_some_and(|[_, hi]| hi.is_infinite());
        let doubt = match (self.certain, open) {
            (true, _) => "",
            // Too few incidents or runs bound the interval on the side that matters.
            (false, true) => "; too few samples to be sure (the 95% CI is open)",
            (false, false) => "; the 95% CI crosses the target",
        };
        format!("{amount} {side}{doubt}")
    }

    /// `MET`, `MISSED` or `n/a`.
    pub fn verdict_text(&self) -> &'static str {
        match self.verdict {
            Verdict::Met => "MET",
            Verdict::Missed => "MISSED",
            Verdict::NotEvaluated => "n/a",
        }
    }
}

impl ErrorBudget {
    /// What the budget is of, e.g. `availability (time), all users`.
    pub fn label(&self) -> String {
        let m = match self.measure {
            Measure::Requests => "requests",
            Measure::Time => "time",
        };
        format!("availability ({m}), {}", who(self.population.as_ref()))
    }

    /// The budget and the burn in one line.
    pub fn text(&self) -> String {
        let [lo, hi] = self.burned_percent_ci95;
        format!(
            "SLO {}: {} per month; the scenario burns {} ({:.1}%, 95% CI {:.1} .. {:.1}%)",
            figure(Unit::Percent, self.slo_percent),
            Seconds(self.budget_minutes_per_month * 60.0).fine(),
            Seconds(self.burned_minutes * 60.0).fine(),
            self.burned_percent,
            lo,
            hi
        )
    }
}

impl TargetReport {
    /// The summary line, e.g. `Targets (scenario region-outage): 5 met, 1 missed, 2 not evaluated`.
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("{} met", self.met()), format!("{} missed", self.missed())];
        if self.not_evaluated() > 0 {
            parts.push(format!("{} not evaluated", self.not_evaluated()));
        }
        format!("Targets (scenario {}): {}", self.scenario, parts.join(", "))
    }

    /// The text block: the summary, one line per target, then the error budgets.
    pub fn text_lines(&self) -> Vec<String> {
        let mut out = vec![self.summary()];
        let width = self.checks.iter().map(|c| c.label().chars().count()).max().unwrap_or(0);
        for c in &self.checks {
            let label = c.label();
            let pad = " ".repeat(width.saturating_sub(label.chars().count()));
            let line = match c.verdict {
                Verdict::NotEvaluated => {
                    format!("  {:<7}{label}{pad}  {}  ({})", c.verdict_text(), c.target_text(), c.note)
                }
                _ => format!(
                    "  {:<7}{label}{pad}  {}  measured {}: {}",
                    c.verdict_text(),
                    c.target_text(),
                    c.measured_text(),
                    c.margin_text()
                ),
            };
            out.push(line);
        }
        if !self.budgets.is_empty() {
            out.push(
                "  error budget per month (730 h; a scenario shorter than a month counted once):".to_owned(),
            );
            let width = self.budgets.iter().map(|b| b.label().chars().count()).max().unwrap_or(0);
            for b in &self.budgets {
                out.push(format!("    {:<width$}  {}", b.label(), b.text()));
            }
        }
        out
    }
}
