//! One design under one scenario, measured every way Meridian can: simulated availability and
//! recovery, the monthly bill, the price of an incident and data-law violations.
//!
//! [`assess`] is the single function `meridian compare`, `meridian report` and the designer's
//! compare view call. It reuses the library pieces and adds nothing of its own: the Monte Carlo
//! results come from [`meridian_sim::simulate`]; run 0 is traced once ([`meridian_sim::trace_run`])
//! and that one trace gives both the incident ([`meridian_sim::incident_from_trace`], priced by
//! [`cost::incident_cost`]) and where each population was served ([`meridian_sim::served_record`],
//! checked by [`check_dynamic`]); the bill is [`cost::bill_with`] and the static data-law check is
//! [`check_static`]. An [`Assessment`] serialises to JSON with `serde_json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use meridian_model::compliance::{DynamicReport, Finding, Policy, check_dynamic, check_static};
use meridian_model::cost::{self, CostOptions, Incident, IncidentCost, PriceSnapshot};
use meridian_model::format::{self, LoadError};
use meridian_model::{Catalog, Design};
use meridian_sim::{BUILTIN_NAMES, Progress, Scenario, SimOptions, SimResults, Trace, builtin};
use serde::Serialize;

/// Why a design could not be assessed.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The design or scenario file does not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The scenario is neither built in nor a file.
    #[error("`{0}` is neither a built-in scenario ({names}) nor a scenario file", names = BUILTIN_NAMES.join(", "))]
    UnknownScenario(String),
    /// The simulation failed or was cancelled.
    #[error(transparent)]
    Run(#[from] meridian_sim::RunError),
    /// The incident could not be priced.
    #[error(transparent)]
    Incident(#[from] cost::incident::IncidentError),
    /// The served record of run 0 does not fit the design (an internal error).
    #[error(transparent)]
    Record(#[from] meridian_model::compliance::RecordError),
    /// The embedded price snapshot or a shipped policy pack is broken (an internal error).
    #[error("embedded data is broken: {0}")]
    Embedded(String),
}

impl AssessError {
    /// Whether the error lies in the user's input (a file or a scenario name) rather than in Meridian.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, AssessError::Load(_) | AssessError::UnknownScenario(_))
    }
}

/// What to run and price; the defaults are the scenario's own runs and seed, on-demand prices
/// from the embedded snapshot, and every shipped policy pack.
#[derive(Debug, Clone, Default)]
pub struct AssessOptions {
    /// Overrides of the scenario's runs, seed and horizon, and the worker threads.
    pub sim: SimOptions,
    /// Commitment and billing-month options.
    pub cost: CostOptions,
    /// A price snapshot instead of the embedded one.
    pub prices: Option<PriceSnapshot>,
    /// Data-law policies; every shipped pack when `None`.
    pub policies: Option<Vec<Policy>>,
}

/// The monthly bill in brief.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostSummary {
    /// Total, USD per month.
    pub usd_per_month: f64,
    /// Per region (and `global`), USD per month.
    pub by_region_usd_per_month: BTreeMap<String, f64>,
    /// Per service kind, USD per month.
    pub by_service_usd_per_month: BTreeMap<String, f64>,
    /// Usages the snapshot has no price for (not in the total).
    pub unpriced: usize,
}

/// What an incident costs, from the traced run 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentSummary {
    /// The incident: its duration and the extra capacity and transfer it causes.
    pub incident: Incident,
    /// Its price, line by line.
    pub cost: IncidentCost,
    /// USD per incident.
    pub usd_per_incident: f64,
    /// USD per month at the run's incident rate (0 for scheduled scenarios).
    pub usd_per_month: f64,
}

/// Data-law violations: in the design as drawn and during the scenario's run 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataLawCheck {
    /// Policies checked, by id.
    pub policies: Vec<String>,
    /// Unwaived violations found in the design as drawn.
    pub static_violations: usize,
    /// Unwaived violations that happen during the scenario.
    pub dynamic_violations: usize,
    /// Every static finding (violations, waived violations and notices) with its path.
    pub static_findings: Vec<Finding>,
    /// The dynamic check of run 0.
    pub dynamic: DynamicReport,
}

impl DataLawCheck {
    /// Static and dynamic unwaived violations together.
    pub fn violations(&self) -> usize {
        self.static_violations + self.dynamic_violations
    }
}

/// One design assessed under one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Design name.
    pub design: String,
    /// The design file, when it came from one.
    pub path: Option<PathBuf>,
    /// Scenario name.
    pub scenario: String,
    /// Runs simulated.
    pub runs: u32,
    /// Seed used.
    pub seed: u64,
    /// The simulation results (availability, downtime, RTO, RPO, latency, conflicts, data law).
    pub results: SimResults,
    /// The monthly bill.
    pub cost: CostSummary,
    /// The incident of run 0 and its price.
    pub incident: IncidentSummary,
    /// Data-law violations.
    pub data_law: DataLawCheck,
    /// Date of the price snapshot, `YYYY-MM-DD`.
    pub price_snapshot_date: String,
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

/// The incident of `trace` (run 0 of `scenario` under `options`) and its price.
pub fn price_incident(
    trace: &Trace,
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &SimOptions,
    prices: &PriceSnapshot,
    cost_options: &CostOptions,
) -> Result<(Incident, IncidentCost), AssessError> {
    let incident = meridian_sim::incident_from_trace(trace, design, catalog, &options.apply(scenario));
    let cost = cost::incident_cost(design, prices, cost_options, &incident)?;
    Ok((incident, cost))
}

/// The data-law violations of `trace` (a run of the scenario named `scenario`) under `policies`.
pub fn dynamic_check(
    trace: &Trace,
    design: &Design,
    catalog: &Catalog,
    scenario: &str,
    policies: &[Policy],
) -> Result<DynamicReport, AssessError> {
    let record = meridian_sim::served_record(trace, design, scenario);
    Ok(check_dynamic(design, catalog, policies, &[record])?)
}

/// The embedded price snapshot.
pub fn builtin_prices() -> Result<&'static PriceSnapshot, AssessError> {
    PriceSnapshot::builtin().map_err(|e| AssessError::Embedded(format!("price snapshot: {e}")))
}

/// Every shipped data-law policy pack.
pub fn builtin_policies() -> Result<Vec<Policy>, AssessError> {
    Policy::packs().map_err(|e| AssessError::Embedded(format!("policy pack: {e}")))
}

/// Assesses `design` under `scenario`: simulates it (reporting `progress`, stopping when `cancel`
/// is set), traces run 0 for the incident and the dynamic data-law check, and prices it.
pub fn assess(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    options: &AssessOptions,
    progress: &(dyn Fn(Progress) + Sync),
    cancel: &AtomicBool,
) -> Result<Assessment, AssessError> {
    let prices = match &options.prices {
        Some(p) => p,
        None => builtin_prices()?,
    };
    let own_policies;
    let policies = if let Some(p) = &options.policies {
        p
    } else {
        own_policies = builtin_policies()?;
        &own_policies
    };
    let outcome = meridian_sim::simulate(design, catalog, scenario, &options.sim, progress, cancel)?;
    let trace = meridian_sim::trace_run(design, catalog, scenario, &options.sim, 0, cancel)?;
    let (incident, incident_cost) =
        price_incident(&trace, design, catalog, scenario, &options.sim, prices, &options.cost)?;
    let dynamic = dynamic_check(&trace, design, catalog, &scenario.name, policies)?;
    let report = check_static(design, catalog, policies);
    let bill = cost::bill_with(design, Some(catalog), prices, &options.cost);
    let results = outcome.results;
    Ok(Assessment {
        design: design.name().to_owned(),
        path: None,
        scenario: results.scenario.clone(),
        runs: results.runs,
        seed: results.seed,
        cost: CostSummary {
            usd_per_month: bill.total_usd_per_month,
            by_region_usd_per_month: bill.by_region.clone(),
            by_service_usd_per_month: bill.by_service.clone(),
            unpriced: bill.unpriced.len(),
        },
        incident: IncidentSummary {
            usd_per_incident: incident_cost.usd_per_incident,
            usd_per_month: incident_cost.usd_per_month,
            incident,
            cost: incident_cost,
        },
        data_law: DataLawCheck {
            policies: report.policies.clone(),
            static_violations: report.failures().count(),
            dynamic_violations: dynamic.violations.iter().filter(|v| v.waiver.is_none()).count(),
            static_findings: report.findings,
            dynamic,
        },
        price_snapshot_date: bill.price_snapshot_date,
        results,
    })
}

/// Loads the design file at `path`, resolves `scenario` (a built-in name or a scenario file) for
/// it, and assesses it; the assessment records the path.
pub fn assess_file(
    path: &Path,
    catalog: &Catalog,
    scenario: &str,
    options: &AssessOptions,
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
mod tests {
    use super::*;
    use meridian_model::time::TimeSpan;

    fn example(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name)
    }

    fn short() -> AssessOptions {
        AssessOptions {
            sim: SimOptions { runs: Some(4), seed: Some(7), horizon: None, threads: 1, keep_runs: false },
            ..AssessOptions::default()
        }
    }

    #[test]
    fn assesses_the_reference_design_under_a_region_outage() {
        let catalog = Catalog::builtin().unwrap();
        let cancel = AtomicBool::new(false);
        let a = assess_file(
            &example("active-active-2region.ron"),
            catalog,
            "region-outage",
            &short(),
            &|_| {},
            &cancel,
        )
        .unwrap();
        assert_eq!(a.design, "Active-active, two regions");
        assert_eq!((a.scenario.as_str(), a.runs, a.seed), ("region-outage", 4, 7));
        assert!(a.path.as_ref().is_some_and(|p| p.ends_with("active-active-2region.ron")));
        // The bill matches `meridian cost`'s total and splits into the two regions plus global.
        let prices = PriceSnapshot::builtin().unwrap();
        let design = format::load_file(a.path.as_ref().unwrap(), catalog).unwrap().design;
        let bill = cost::bill_with(&design, Some(catalog), prices, &CostOptions::default());
        assert!((a.cost.usd_per_month - bill.total_usd_per_month).abs() < 1e-9);
        assert!(a.cost.by_region_usd_per_month.contains_key("eu-west-1"));
        assert!(a.cost.by_region_usd_per_month.contains_key("us-east-1"));
        assert_eq!(a.price_snapshot_date, bill.price_snapshot_date);
        // A region outage moves users to the other region: the incident has a price, and requests
        // are lost only until health checks and DNS move them (about 85 s of each 2 h outage).
        assert!(a.incident.incident.duration_hours > 0.0);
        assert!(a.incident.usd_per_incident > 0.0);
        let served = a.results.availability_requests.mean;
        assert!(served > 0.99 && served < 1.0, "{served}");
        assert!(a.results.rto_s.p95 < 120.0, "{:?}", a.results.rto_s);
        // The EU population served from us-east-1 during the outage of eu-west-1 breaks GDPR packs.
        assert!(a.data_law.dynamic_violations > 0, "{:?}", a.data_law.dynamic);
        let json = serde_json::to_value(&a).unwrap();
        for key in
            ["design", "path", "scenario", "results", "cost", "incident", "data_law", "price_snapshot_date"]
        {
            assert!(json.get(key).is_some(), "{key} missing");
        }
    }

    #[test]
    fn bad_scenario_and_missing_file_are_bad_input() {
        let catalog = Catalog::builtin().unwrap();
        let cancel = AtomicBool::new(false);
        let e = assess_file(
            &example("active-active-2region.ron"),
            catalog,
            "no-such",
            &short(),
            &|_| {},
            &cancel,
        )
        .unwrap_err();
        assert!(e.is_bad_input() && e.to_string().contains("region-outage"), "{e}");
        let e = assess_file(&example("missing.ron"), catalog, "region-outage", &short(), &|_| {}, &cancel)
            .unwrap_err();
        assert!(e.is_bad_input(), "{e}");
    }

    #[test]
    fn cancelling_stops_the_assessment() {
        let catalog = Catalog::builtin().unwrap();
        let cancel = AtomicBool::new(true);
        let mut options = short();
        options.sim.horizon = Some(TimeSpan::from_secs(24 * 3600));
        let e =
            assess_file(&example("pilot-light.ron"), catalog, "region-outage", &options, &|_| {}, &cancel)
                .unwrap_err();
        assert!(matches!(e, AssessError::Run(_)), "{e}");
    }
}
