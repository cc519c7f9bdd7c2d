//! A [`Simulation`] compiled once answers the Monte Carlo and any run's trace as the one-shot
//! wrappers do, as often as it is asked, with the caller's overrides and data-law predicate.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::design::Population;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Design, format};
use meridian_sim::{DataLawPredicate, Scenario, SimOptions, Simulation, builtin, simulate, trace_run};

fn reference() -> (Design, Scenario) {
    let catalog = Catalog::builtin().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    let design = format::load_file(&path, catalog).unwrap().design;
    let scenario = builtin("region-outage", &design, catalog).unwrap();
    (design, scenario)
}

#[test]
fn one_compile_gives_the_wrappers_figures_again_and_again() {
    let catalog = Catalog::builtin().unwrap();
    let (design, scenario) = reference();
    let options =
        SimOptions { runs: Some(6), seed: Some(3), horizon: None, threads: 2, ..SimOptions::default() };
    let cancel = AtomicBool::new(false);
    let sim = Simulation::new(&design, catalog, &scenario, &options).unwrap();
    let first = sim.monte_carlo(&|_| {}, &cancel).unwrap().results;
    let again = sim.monte_carlo(&|_| {}, &cancel).unwrap().results;
    assert_eq!(first, again);
    assert_eq!(first, simulate(&design, catalog, &scenario, &options, &|_| {}, &cancel).unwrap().results);
    for run in [0, 5] {
        let trace = sim.trace(run, &cancel).unwrap();
        assert_eq!(trace, trace_run(&design, catalog, &scenario, &options, run, &cancel).unwrap());
        assert_eq!(trace.run, run);
    }
}

#[test]
fn the_overrides_are_applied_once_at_compile() {
    let catalog = Catalog::builtin().unwrap();
    let (design, scenario) = reference();
    let horizon = TimeSpan::from_secs(6 * 3600);
    let options = SimOptions {
        runs: Some(3),
        seed: Some(9),
        horizon: Some(horizon),
        threads: 1,
        ..SimOptions::default()
    };
    let sim = Simulation::new(&design, catalog, &scenario, &options).unwrap();
    assert_eq!((sim.scenario().runs, sim.scenario().seed, sim.scenario().horizon), (3, 9, horizon));
    assert_eq!(sim.scenario().name, scenario.name);
    let r = sim.monte_carlo(&|_| {}, &AtomicBool::new(false)).unwrap().results;
    assert_eq!((r.runs, r.seed, r.design.as_str()), (3, 9, design.name()));
    assert!((r.horizon_s - 6.0 * 3600.0).abs() < 1e-9);
}

/// A predicate that lets every population's data go anywhere.
struct Anywhere;

impl DataLawPredicate for Anywhere {
    fn allowed_jurisdictions(&self, _: &Population) -> Option<Vec<String>> {
        None
    }
}

#[test]
fn the_data_law_predicate_is_compiled_in() {
    let catalog = Catalog::builtin().unwrap();
    let (design, scenario) = reference();
    let options =
        SimOptions { runs: Some(2), seed: Some(1), horizon: None, threads: 1, ..SimOptions::default() };
    let cancel = AtomicBool::new(false);
    let strict = Simulation::new(&design, catalog, &scenario, &options).unwrap();
    let minutes = |s: &Simulation| -> f64 {
        s.monte_carlo(&|_| {}, &cancel).unwrap().results.data_law.values().map(|d| d.minutes_per_run).sum()
    };
    // Under the default law the EU users served from us-east-1 during the outage break it.
    assert!(minutes(&strict) > 0.0);
    let free = Simulation::with_law(&design, catalog, &scenario, &options, &Anywhere).unwrap();
    assert!(minutes(&free).abs() < f64::EPSILON);
}

#[test]
fn a_cancelled_simulation_stops_and_can_run_again() {
    let catalog = Catalog::builtin().unwrap();
    let (design, scenario) = reference();
    let options =
        SimOptions { runs: Some(2), seed: Some(1), horizon: None, threads: 1, ..SimOptions::default() };
    let sim = Simulation::new(&design, catalog, &scenario, &options).unwrap();
    assert!(sim.monte_carlo(&|_| {}, &AtomicBool::new(true)).is_err());
    assert!(sim.monte_carlo(&|_| {}, &AtomicBool::new(false)).is_ok());
}

#[test]
fn progress_is_reported_after_every_run_and_never_goes_back() {
    // Issue 19: a large design's runs take seconds each and a chunk holds up to 128 runs, so
    // progress reported per chunk stayed at 0 for minutes; it is now reported per run.
    let catalog = Catalog::builtin().unwrap();
    let (design, scenario) = reference();
    let options =
        SimOptions { runs: Some(10), seed: Some(3), horizon: None, threads: 2, ..SimOptions::default() };
    let sim = Simulation::new(&design, catalog, &scenario, &options).unwrap();
    let seen = std::sync::Mutex::new(Vec::new());
    sim.monte_carlo(&|p| seen.lock().unwrap().push(p.runs_done), &AtomicBool::new(false)).unwrap();
    let seen = seen.into_inner().unwrap();
    assert!((1..=10).all(|n| seen.contains(&n)), "every run is reported: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "the count never goes back: {seen:?}");
}
