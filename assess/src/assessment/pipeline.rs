//! The assessment pipeline: [`assess`] computes the parts of an [`Assessment`] a [`Want`] set asks
//! for, each once, from one [`Simulation`] and one bill.
//!
//! Order of work: compile the design for the simulator (only if a Monte Carlo or a trace is
//! wanted); run the Monte Carlo (progress, cancel); trace run 0 on the same compiled tables; read
//! the incident ([`meridian_sim::incident_from_trace`], priced by [`cost::incident_cost`]) and
//! where each population was served ([`meridian_sim::served_record`], checked by
//! [`check_dynamic`]) from that one trace; check the policies on the design as drawn
//! ([`check_static`]); build the bill ([`cost::bill_with`], with stale sources flagged by
//! [`cost::with_staleness`]).

use std::path::Path;
use std::sync::{OnceLock, atomic::AtomicBool};

use meridian_model::compliance::{Policy, check_dynamic, check_static};
use meridian_model::cost::{self, CostOptions, Date, PriceSnapshot};
use meridian_model::format;
use meridian_model::{Catalog, Design};
use meridian_sim::{Progress, Scenario, SimOptions, Simulation, builtin};

use super::{AssessError, Assessment, DataLawCheck, IncidentSummary, Want};

/// What to compute and with what: the parts wanted, the simulator's overrides, the bill's
/// options, and the prices and policies, borrowed so that assessing many designs reads them once.
#[derive(Debug, Clone)]
pub struct AssessOptions<'a> {
    /// The parts to compute.
    pub want: Want,
    /// Overrides of the scenario's runs, seed and horizon, and the worker threads.
    pub sim: SimOptions,
    /// Commitment, billing-month and price-age options.
    pub cost: CostOptions,
    /// The prices of the bill and the incident.
    pub prices: &'a PriceSnapshot,
    /// The data-law policies of the static and dynamic checks.
    pub policies: &'a [Policy],
    /// The day the price sources' age is measured on.
    pub today: Date,
}

impl<'a> AssessOptions<'a> {
    /// `want` with `prices` and `policies`, the scenario's own runs and seed, on-demand prices,
    /// and today's date for the price age.
    pub fn new(want: Want, prices: &'a PriceSnapshot, policies: &'a [Policy]) -> AssessOptions<'a> {
        AssessOptions {
            want,
            sim: SimOptions::default(),
            cost: CostOptions::default(),
            prices,
            policies,
            today: Date::today(),
        }
    }
}

impl AssessOptions<'static> {
    /// `want` with the embedded price snapshot and every shipped policy pack (each read once per
    /// process).
    pub fn builtin(want: Want) -> Result<AssessOptions<'static>, AssessError> {
        Ok(AssessOptions::new(want, builtin_prices()?, builtin_policies()?))
    }
}

/// A built-in scenario by name, or a scenario file by path, for `design`.
pub fn resolve_scenario(name: &str, design: &Design, catalog: &Catalog) -> Result<Scenario, AssessError> {
    if let Some(s) = builtin(name, design, catalog) {
        return Ok(s);
    }
    let path = Path::new(name);
    if !path.exists() {
        return Err(AssessError::UnknownScenario(name.to_owned()));
    }
    Ok(meridian_sim::load_scenario_file(path, design)?)
}

/// The embedded price snapshot.
pub fn builtin_prices() -> Result<&'static PriceSnapshot, AssessError> {
    PriceSnapshot::builtin().map_err(|e| AssessError::Embedded(format!("price snapshot: {e}")))
}

/// Every shipped data-law policy pack, parsed once per process.
pub fn builtin_policies() -> Result<&'static [Policy], AssessError> {
    static PACKS: OnceLock<Result<Vec<Policy>, String>> = OnceLock::new();
    PACKS
        .get_or_init(|| Policy::packs().map_err(|e| e.to_string()))
        .as_deref()
        .map_err(|e| AssessError::Embedded(format!("policy pack: {e}")))
}

/// Assesses `design` under `scenario`, computing the parts `options.want` asks for (and those
/// they imply): the Monte Carlo runs (reporting `progress`, stopping when `cancel` is set), the
/// trace of run 0, the incident and its price, the dynamic and static data-law checks, the bill.
pub fn assess(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &AssessOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Assessment, AssessError> {
    let want = options.want.implied();
    let simulation =
        if want.simulates() { Some(Simulation::new(design, catalog, scenario, &options.sim)?) } else { None };
    let applied;
    let scenario = if let Some(s) = &simulation {
        s.scenario()
    } else {
        applied = options.sim.apply(scenario);
        &applied
    };
    let outcome = match &simulation {
        Some(s) if want.contains(Want::SIMULATION) => Some(s.monte_carlo(progress, cancel)?),
        _ => None,
    };
    let trace = match &simulation {
        Some(s) if want.contains(Want::TRACE) => Some(s.trace(0, cancel)?),
        _ => None,
    };
    let incident = match &trace {
        Some(t) if want.contains(Want::INCIDENT) => {
            let incident = meridian_sim::incident_from_trace(t, design, catalog, scenario);
            let cost = cost::incident_cost(design, options.prices, &options.cost, &incident)?;
            Some(IncidentSummary {
                usd_per_incident: cost.usd_per_incident,
                usd_per_month: cost.usd_per_month,
                incident,
                cost,
            })
        }
        _ => None,
    };
    let dynamic = match &trace {
        Some(t) if want.contains(Want::DYNAMIC_LAW) => {
            let record = meridian_sim::served_record(t, design, &scenario.name);
            Some(check_dynamic(design, catalog, options.policies, &[record])?)
        }
        _ => None,
    };
    let static_report =
        want.contains(Want::STATIC_LAW).then(|| check_static(design, catalog, options.policies));
    let bill = want.contains(Want::BILL).then(|| {
        let bill = cost::bill_with(design, Some(catalog), options.prices, &options.cost);
        cost::with_staleness(bill, options.prices, options.cost.max_price_age_days, options.today)
    });
    let forecast = want.contains(Want::FORECAST).then(|| {
        cost::forecast(design, Some(catalog), options.prices, &options.cost, super::FORECAST_MONTHS)
    });
    let (results, timing) = outcome.map(|o| (o.results, o.timing)).unzip();
    let targets = (!design.targets().is_empty() && (results.is_some() || bill.is_some())).then(|| {
        crate::targets::evaluate(
            design,
            scenario,
            results.as_ref(),
            bill.as_ref().map(|b| b.total_usd_per_month),
        )
    });
    Ok(Assessment {
        design: design.name().to_owned(),
        path: None,
        scenario: scenario.name.clone(),
        runs: scenario.runs,
        seed: scenario.seed,
        want,
        results,
        timing,
        trace,
        bill,
        forecast,
        incident,
        data_law: DataLawCheck {
            policies: options.policies.iter().map(|p| p.id.clone()).collect(),
            static_report,
            dynamic,
        },
        targets,
        price_snapshot_date: options.prices.as_of().to_string(),
    })
}

/// Loads the design file at `path`, resolves `scenario` (a built-in name or a scenario file) for
/// it, and assesses it; the assessment records the path.
pub fn assess_file(
    path: &Path,
    catalog: &Catalog,
    scenario: &str,
    options: &AssessOptions<'_>,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Assessment, AssessError> {
    let loaded = format::load_file(path, catalog)?;
    let scenario = resolve_scenario(scenario, &loaded.design, catalog)?;
    let mut a = assess(&loaded.design, catalog, &scenario, options, progress, cancel)?;
    a.path = Some(path.to_owned());
    Ok(a)
}

#[cfg(test)]
mod tests;
