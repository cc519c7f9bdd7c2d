//! Tests of the pipeline: the figures of each part, what each want set computes (counted with the
//! `counters` feature of the model and the simulator), and bad input.

use std::path::PathBuf;

use meridian_model::cost::counters::bills;
use meridian_model::time::TimeSpan;
use meridian_sim::counters::compiles;
use meridian_sim::{SimOptions, simulate, trace_run};

use super::*;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples").join(name)
}

fn short() -> AssessOptions<'static> {
    let mut o = AssessOptions::builtin(Want::COMPARE).unwrap();
    o.sim = SimOptions { runs: Some(4), seed: Some(7), horizon: None, threads: 1, ..SimOptions::default() };
    o
}

fn reference() -> (Design, Scenario) {
    let catalog = Catalog::builtin().unwrap();
    let design = format::load_file(&example("active-active-2region.ron"), catalog).unwrap().design;
    let scenario = resolve_scenario("region-outage", &design, catalog).unwrap();
    (design, scenario)
}

/// The assessment of the reference design under `want`, with the compiles and bills it made.
fn counted(want: Want) -> (Assessment, u64, u64) {
    let (design, scenario) = reference();
    let options = AssessOptions { want, ..short() };
    let (c, b) = (compiles(), bills());
    let a =
        assess(&design, Catalog::builtin().unwrap(), &scenario, &options, &|_| {}, &AtomicBool::new(false))
            .unwrap();
    (a, compiles() - c, bills() - b)
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
    let summary = a.cost().unwrap();
    assert!((summary.usd_per_month - bill.total_usd_per_month).abs() < 1e-9);
    assert!(summary.by_region_usd_per_month.contains_key("eu-west-1"));
    assert!(summary.by_region_usd_per_month.contains_key("us-east-1"));
    assert_eq!(a.price_snapshot_date, bill.price_snapshot_date);
    // A region outage moves users to the other region: the incident has a price, and requests
    // are lost only until health checks and DNS move them (about 85 s of each 2 h outage).
    let incident = a.incident.as_ref().unwrap();
    assert!(incident.incident.duration_hours > 0.0);
    assert!(incident.usd_per_incident > 0.0);
    let results = a.results.as_ref().unwrap();
    let served = results.availability_requests.mean;
    assert!(served > 0.99 && served < 1.0, "{served}");
    assert!(results.rto_s.p95 < 120.0, "{:?}", results.rto_s);
    // The EU population served from us-east-1 during the outage of eu-west-1 breaks GDPR packs.
    assert!(a.data_law.dynamic_violations() > 0, "{:?}", a.data_law.dynamic);
    let json = serde_json::to_value(&a).unwrap();
    for key in
        ["design", "path", "scenario", "results", "cost", "incident", "data_law", "price_snapshot_date"]
    {
        assert!(json.get(key).is_some(), "{key} missing");
    }
}

#[test]
fn the_json_keeps_the_keys_of_the_brief_cost_and_adds_the_whole_bill() {
    let (a, _, _) = counted(Want::COMPARE);
    let json = serde_json::to_value(&a).unwrap();
    let bill = a.bill.as_ref().unwrap();
    assert_eq!(json["cost"]["usd_per_month"].as_f64(), Some(bill.total_usd_per_month));
    assert_eq!(json["cost"]["unpriced"].as_u64(), Some(bill.unpriced.len() as u64));
    for key in ["by_region_usd_per_month", "by_service_usd_per_month"] {
        assert!(json["cost"][key].is_object(), "{key}");
    }
    assert_eq!(json["bill"]["lines"].as_array().map(Vec::len), Some(bill.lines.len()));
    assert!(json["bill"]["stale_sources"].is_array());
    for key in ["policies", "static_violations", "dynamic_violations", "static_findings", "dynamic"] {
        assert!(json["data_law"].get(key).is_some(), "data_law.{key} missing");
    }
    for key in ["incident", "cost", "usd_per_incident", "usd_per_month"] {
        assert!(json["incident"].get(key).is_some(), "incident.{key} missing");
    }
    assert!(json.get("trace").is_none() && json.get("timing").is_none(), "neither is deterministic data");
}

#[test]
fn the_pipeline_gives_the_figures_of_the_separate_steps() {
    let (design, scenario) = reference();
    let catalog = Catalog::builtin().unwrap();
    let options = short();
    let cancel = AtomicBool::new(false);
    let a = assess(&design, catalog, &scenario, &options, &|_| {}, &cancel).unwrap();
    // The Monte Carlo and the trace are those of `simulate` and `trace_run`, bit for bit.
    let alone = simulate(&design, catalog, &scenario, &options.sim, &|_| {}, &cancel).unwrap();
    assert_eq!(a.results.as_ref(), Some(&alone.results));
    let trace = trace_run(&design, catalog, &scenario, &options.sim, 0, &cancel).unwrap();
    assert_eq!(a.trace.as_ref(), Some(&trace));
    // The incident is the traced run's, priced as `meridian simulate` priced it.
    let incident = meridian_sim::incident_from_trace(&trace, &design, catalog, &options.sim.apply(&scenario));
    let priced = cost::incident_cost(&design, options.prices, &CostOptions::default(), &incident).unwrap();
    let summary = a.incident.as_ref().unwrap();
    assert_eq!((&summary.incident, &summary.cost), (&incident, &priced));
    // The static check and the bill are the model's.
    let report = check_static(&design, catalog, options.policies);
    assert_eq!(a.data_law.static_report.as_ref(), Some(&report));
    let bill = cost::bill_with(&design, Some(catalog), options.prices, &CostOptions::default());
    let bill = cost::with_staleness(bill, options.prices, 180, options.today);
    assert_eq!(a.bill.as_ref(), Some(&bill));
}

#[test]
fn the_whole_assessment_compiles_the_design_once_and_bills_it_once() {
    let (a, compiled, billed) = counted(Want::COMPARE);
    assert_eq!((compiled, billed), (1, 1));
    assert_eq!(a.want, Want::all());
    assert!(a.results.is_some() && a.trace.is_some() && a.incident.is_some() && a.bill.is_some());
    assert!(a.data_law.static_report.is_some() && a.data_law.dynamic.is_some());
}

#[test]
fn asking_for_the_bill_alone_does_not_simulate() {
    let (a, compiled, billed) = counted(Want::BILL);
    assert_eq!((compiled, billed), (0, 1));
    assert_eq!(a.want, Want::BILL);
    assert!(a.bill.is_some());
    assert!(a.results.is_none() && a.timing.is_none() && a.trace.is_none() && a.incident.is_none());
    assert!(a.data_law.static_report.is_none() && a.data_law.dynamic.is_none());
    // The scenario's own figures still name what would be simulated.
    assert_eq!((a.scenario.as_str(), a.runs, a.seed), ("region-outage", 4, 7));
    let json = serde_json::to_value(&a).unwrap();
    assert!(json.get("results").is_none() && json.get("data_law").is_none() && json.get("cost").is_some());
}

#[test]
fn asking_for_the_incident_traces_run_0_without_the_monte_carlo_or_the_bill() {
    let (a, compiled, billed) = counted(Want::INCIDENT);
    assert_eq!((compiled, billed), (1, 0));
    assert_eq!(a.want, Want::INCIDENT | Want::TRACE);
    assert!(a.trace.is_some() && a.incident.is_some());
    assert!(a.results.is_none() && a.bill.is_none() && a.data_law.dynamic.is_none());
}

#[test]
fn asking_for_the_dynamic_check_traces_run_0_and_checks_no_static_law() {
    let (a, compiled, _) = counted(Want::DYNAMIC_LAW);
    assert_eq!(compiled, 1);
    assert_eq!(a.want, Want::DYNAMIC_LAW | Want::TRACE);
    assert!(a.trace.is_some() && a.data_law.dynamic.is_some() && a.data_law.static_report.is_none());
    assert!(a.data_law.dynamic_violations() > 0);
    assert_eq!(a.data_law.static_violations(), 0, "not checked");
    assert!(a.results.is_none() && a.incident.is_none());
}

#[test]
fn the_simulation_and_the_trace_share_one_compile() {
    let (a, compiled, billed) = counted(Want::SIMULATION | Want::TRACE);
    assert_eq!((compiled, billed), (1, 0));
    assert!(a.results.is_some() && a.timing.is_some() && a.trace.is_some());
}

#[test]
fn the_static_check_alone_neither_simulates_nor_bills() {
    let (a, compiled, billed) = counted(Want::STATIC_LAW);
    assert_eq!((compiled, billed), (0, 0));
    assert!(a.data_law.static_report.is_some());
    let json = serde_json::to_value(&a).unwrap();
    assert!(json["data_law"].get("static_violations").is_some());
    assert!(json["data_law"].get("dynamic").is_none(), "not checked, so not shown as clean");
}

#[test]
fn bad_scenario_and_missing_file_are_bad_input() {
    let catalog = Catalog::builtin().unwrap();
    let cancel = AtomicBool::new(false);
    let e =
        assess_file(&example("active-active-2region.ron"), catalog, "no-such", &short(), &|_| {}, &cancel)
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
    let e = assess_file(&example("pilot-light.ron"), catalog, "region-outage", &options, &|_| {}, &cancel)
        .unwrap_err();
    assert!(matches!(e, AssessError::Run(_)), "{e}");
    assert!(!e.is_bad_input());
}

#[test]
fn the_shipped_policies_are_read_once() {
    let a = builtin_policies().unwrap();
    let b = builtin_policies().unwrap();
    assert!(!a.is_empty());
    assert!(std::ptr::eq(a, b), "the same parsed packs, not a second parse");
}
