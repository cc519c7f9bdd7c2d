//! One design under one scenario, measured every way Meridian can: simulated availability and
//! recovery, the monthly bill, the price of an incident and data-law violations.
//!
//! [`assess`] is the one pipeline every caller uses (`meridian compare`, `report`, `simulate`,
//! `check --scenario`, batch runs, and the designer's simulation panel, compare view and report
//! dialog), each asking for the parts it shows with a [`Want`] set. It compiles the design for the
//! simulator at most once ([`meridian_sim::Simulation`]) and builds the bill at most once; run 0 is
//! traced once for both the incident and the dynamic data-law check. Prices and policies are
//! borrowed from [`AssessOptions`], never cloned or read again per design.
//!
//! An [`Assessment`] keeps what was asked for in full (the bill with its line items, unpriced
//! usage and stale sources; the static report with its waivers; the trace) and serialises to JSON
//! with `serde_json`: `cost` is the bill's brief view ([`CostSummary`]), `bill` the whole bill.

mod error;
mod pipeline;
mod want;

use std::collections::BTreeMap;
use std::path::PathBuf;

use meridian_model::compliance::{DynamicReport, Finding, Report};
use meridian_model::cost::{Bill, Forecast, Incident, IncidentCost};
use meridian_sim::{SimResults, Timing, Trace};

use crate::targets::TargetReport;
use serde::{Serialize, Serializer};

pub use error::AssessError;
pub use pipeline::{AssessOptions, assess, assess_file, builtin_policies, builtin_prices, resolve_scenario};
pub use want::Want;

/// Months an assessment projects the bill over ([`Want::FORECAST`]).
pub const FORECAST_MONTHS: u32 = 12;

/// One design assessed under one scenario: the parts in [`Assessment::want`] are `Some`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// Design name.
    pub design: String,
    /// The design file, when it came from one.
    pub path: Option<PathBuf>,
    /// Scenario name.
    pub scenario: String,
    /// Runs of the scenario (after the caller's override), simulated when the Monte Carlo is wanted.
    pub runs: u32,
    /// Seed of the scenario (after the caller's override).
    pub seed: u64,
    /// The parts computed: those asked for and those they imply ([`Want::implied`]).
    pub want: Want,
    /// The simulation results (availability, downtime, RTO, RPO, latency, conflicts, data law).
    pub results: Option<SimResults>,
    /// Wall-clock figures of the Monte Carlo runs (not deterministic, not serialised).
    pub timing: Option<Timing>,
    /// The timeline of run 0 (not serialised).
    pub trace: Option<Trace>,
    /// The monthly bill, in full, with sources older than the price age flagged.
    pub bill: Option<Bill>,
    /// The bill over the next [`FORECAST_MONTHS`] months as the workload grows.
    pub forecast: Option<Forecast>,
    /// The incident of run 0 and its price.
    pub incident: Option<IncidentSummary>,
    /// Data-law checks.
    pub data_law: DataLawCheck,
    /// The design's resilience targets evaluated ([`crate::targets::evaluate`]), when the design
    /// states any and the simulation or the bill was wanted.
    pub targets: Option<TargetReport>,
    /// Date of the price snapshot, `YYYY-MM-DD`.
    pub price_snapshot_date: String,
}

impl Assessment {
    /// The bill in brief, when it was wanted.
    pub fn cost(&self) -> Option<CostSummary<'_>> {
        self.bill.as_ref().map(CostSummary::of)
    }

    /// The bill's total, USD per month, when it was wanted.
    pub fn usd_per_month(&self) -> Option<f64> {
        self.bill.as_ref().map(|b| b.total_usd_per_month)
    }

    /// Targets missed (0 when the design states none).
    pub fn targets_missed(&self) -> usize {
        self.targets.as_ref().map_or(0, TargetReport::missed)
    }
}

/// The monthly bill in brief: a view of an assessment's [`Bill`], as compare and the report's
/// summary show it (and as the `cost` key of an assessment's JSON).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostSummary<'a> {
    /// Total, USD per month.
    pub usd_per_month: f64,
    /// Per region (and `global`), USD per month.
    pub by_region_usd_per_month: &'a BTreeMap<String, f64>,
    /// Per service kind, USD per month.
    pub by_service_usd_per_month: &'a BTreeMap<String, f64>,
    /// Usages the snapshot has no price for (not in the total).
    pub unpriced: usize,
}

impl<'a> CostSummary<'a> {
    /// The brief view of `bill`.
    pub fn of(bill: &'a Bill) -> CostSummary<'a> {
        CostSummary {
            usd_per_month: bill.total_usd_per_month,
            by_region_usd_per_month: &bill.by_region,
            by_service_usd_per_month: &bill.by_service,
            unpriced: bill.unpriced.len(),
        }
    }
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

/// Data-law checks: on the design as drawn and on where run 0 served each population, each when
/// wanted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataLawCheck {
    /// Policies checked, by id.
    pub policies: Vec<String>,
    /// The static check: every finding (violations, waived violations, notices) with its path,
    /// and the waivers.
    pub static_report: Option<Report>,
    /// The dynamic check of run 0.
    pub dynamic: Option<DynamicReport>,
}

impl DataLawCheck {
    /// Unwaived violations in the design as drawn (0 when not checked).
    pub fn static_violations(&self) -> usize {
        self.static_report.as_ref().map_or(0, |r| r.failures().count())
    }

    /// Unwaived violations that happen during the scenario (0 when not checked).
    pub fn dynamic_violations(&self) -> usize {
        self.dynamic.as_ref().map_or(0, |d| d.violations.iter().filter(|v| v.waiver.is_none()).count())
    }

    /// Static and dynamic unwaived violations together (of the checks that were made).
    pub fn violations(&self) -> usize {
        self.static_violations() + self.dynamic_violations()
    }

    /// Every static finding with its path (empty when not checked).
    pub fn static_findings(&self) -> &[Finding] {
        self.static_report.as_ref().map_or(&[], |r| &r.findings)
    }

    /// Whether neither check was made.
    pub fn is_empty(&self) -> bool {
        self.static_report.is_none() && self.dynamic.is_none()
    }
}

/// The JSON of a [`DataLawCheck`]: the keys it had when both checks always ran, each check's
/// keys present when it was made.
#[derive(Serialize)]
struct DataLawJson<'a> {
    policies: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    static_violations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dynamic_violations: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    static_findings: Option<&'a [Finding]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dynamic: Option<&'a DynamicReport>,
}

impl Serialize for DataLawCheck {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DataLawJson {
            policies: &self.policies,
            static_violations: self.static_report.as_ref().map(|_| self.static_violations()),
            dynamic_violations: self.dynamic.as_ref().map(|_| self.dynamic_violations()),
            static_findings: self.static_report.as_ref().map(|r| r.findings.as_slice()),
            dynamic: self.dynamic.as_ref(),
        }
        .serialize(s)
    }
}

/// The JSON of an [`Assessment`]: its keys from before the want set (`cost` is the bill in brief)
/// plus `bill` and `forecast`, each part present when it was wanted.
#[derive(Serialize)]
struct AssessmentJson<'a> {
    design: &'a str,
    path: &'a Option<PathBuf>,
    scenario: &'a str,
    runs: u32,
    seed: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<&'a SimResults>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cost: Option<CostSummary<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bill: Option<&'a Bill>,
    #[serde(skip_serializing_if = "Option::is_none")]
    forecast: Option<&'a Forecast>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incident: Option<&'a IncidentSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_law: Option<&'a DataLawCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    targets: Option<&'a TargetReport>,
    price_snapshot_date: &'a str,
}

impl Serialize for Assessment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        AssessmentJson {
            design: &self.design,
            path: &self.path,
            scenario: &self.scenario,
            runs: self.runs,
            seed: self.seed,
            results: self.results.as_ref(),
            cost: self.cost(),
            bill: self.bill.as_ref(),
            forecast: self.forecast.as_ref(),
            incident: self.incident.as_ref(),
            data_law: (!self.data_law.is_empty()).then_some(&self.data_law),
            targets: self.targets.as_ref(),
            price_snapshot_date: &self.price_snapshot_date,
        }
        .serialize(s)
    }
}
