//! Error budgets: what an availability SLO allows per month, and how much of it a scenario burns.
//!
//! The budget of an SLO of `s` percent is `1 - s/100` of a month (730 hours) of time or of
//! requests. A scenario's burn is its unavailability over `min(horizon, month)`: a scenario
//! shorter than a month (one region outage) is taken to happen once in the month, a longer one
//! (a random year) burns its average month. **Modelling assumption**, stated in
//! `docs/file-format.md`.

use meridian_model::ids::PopulationId;
use meridian_model::targets::Targets;
use meridian_model::time::TimeSpan;
use meridian_sim::{Estimate, SimResults};
use serde::Serialize;

/// What an availability SLO counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Requests served.
    Requests,
    /// Time fully served.
    Time,
}

/// The monthly error budget of one availability SLO and what a scenario burns of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorBudget {
    /// The population (`None`: all users).
    pub population: Option<PopulationId>,
    /// Requests or time.
    pub measure: Measure,
    /// The SLO, percent.
    pub slo_percent: f64,
    /// The budget: minutes of full outage per month (for requests, the minutes of a month's
    /// requests that may fail).
    pub budget_minutes_per_month: f64,
    /// Minutes of the budget the scenario burns in a month.
    pub burned_minutes: f64,
    /// The burn as a percentage of the budget (above 100: the SLO is missed).
    pub burned_percent: f64,
    /// 95% confidence interval of `burned_percent`.
    pub burned_percent_ci95: [f64; 2],
}

fn month_minutes() -> f64 {
    TimeSpan::MONTH.as_secs_f64() / 60.0
}

/// The share of a month a scenario of `horizon_s` seconds stands for: its horizon over a month,
/// at most 1.
pub(super) fn window_share(horizon_s: f64) -> f64 {
    (horizon_s / 60.0 / month_minutes()).clamp(0.0, 1.0)
}

/// One budget: `slo` percent against the availability estimate `a` over `horizon_s`.
pub(super) fn budget(
    population: Option<PopulationId>,
    measure: Measure,
    slo: f64,
    a: &Estimate,
    horizon_s: f64,
) -> ErrorBudget {
    let month = month_minutes();
    let budget = (1.0 - slo / 100.0) * month;
    let window = (horizon_s / 60.0).min(month);
    let burned = |avail: f64| (1.0 - avail.min(1.0)).max(0.0) * window;
    let percent = |minutes: f64| if budget > 0.0 { minutes / budget * 100.0 } else { 0.0 };
    let minutes = burned(a.mean);
    ErrorBudget {
        population,
        measure,
        slo_percent: slo,
        budget_minutes_per_month: budget,
        burned_minutes: minutes,
        burned_percent: percent(minutes),
        burned_percent_ci95: [percent(burned(a.ci95_high)), percent(burned(a.ci95_low))],
    }
}

/// The budget of every availability SLO in `targets` against `r`.
pub(super) fn budgets(targets: &Targets, r: &SimResults) -> Vec<ErrorBudget> {
    let mut out = Vec::new();
    for t in &targets.availability {
        let figures = match &t.population {
            None => Some((r.availability_requests, r.availability_time)),
            Some(p) => r.availability_by_population.get(p.as_str()).map(|x| (x.requests, x.time)),
        };
        let Some((req, time)) = figures else { continue };
        if let Some(slo) = t.requests {
            out.push(budget(t.population.clone(), Measure::Requests, slo, &req, r.horizon_s));
        }
        if let Some(slo) = t.time {
            out.push(budget(t.population.clone(), Measure::Time, slo, &time, r.horizon_s));
        }
    }
    out
}
