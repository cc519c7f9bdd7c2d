//! Golden summary of the reference example under `region-outage` at a fixed seed: any change to
//! the model's behaviour shows up as a reviewed snapshot diff.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::{Catalog, format};
use meridian_sim::{SimOptions, builtin, simulate, trace_run};

#[test]
fn region_outage_summary_at_seed_1() {
    let catalog = Catalog::builtin().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    let design = format::load_file(&path, catalog).unwrap().design;
    let scenario = builtin("region-outage", &design, catalog).unwrap();
    let opts = SimOptions { runs: Some(10), ..SimOptions::default() };
    let r = simulate(&design, catalog, &scenario, &opts, &|_| {}, &AtomicBool::new(false)).unwrap().results;
    let summary = format!(
        "availability_time {:.6}\navailability_requests {:.6}\nrto_p50_s {:.1}\nrpo_p50_s {:.3}\nrpo_count {}\n\
         writes_lost {:.1}\nconflicts_per_day {:.2}\nlatency_eu_normal_p50_ms {:.1}\nlatency_na_incident_p50_ms {:.1}\n\
         law_eu_minutes {:.1}\nevents {}\n",
        r.availability_time.mean,
        r.availability_requests.mean,
        r.rto_s.p50,
        r.rpo_s.p50,
        r.rpo_s.count,
        r.writes_lost.mean,
        r.conflicts_per_day.mean,
        r.latency["eu-users"].normal.p50_ms,
        r.latency["na-users"].incident.p50_ms,
        r.data_law["eu-users"].minutes_per_run,
        r.events_simulated,
    );
    insta::assert_snapshot!(summary);
}

#[test]
fn trace_shows_who_serves_whom_during_an_outage() {
    let catalog = Catalog::builtin().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    let design = format::load_file(&path, catalog).unwrap().design;
    let scenario = builtin("region-outage", &design, catalog).unwrap();
    let trace =
        trace_run(&design, catalog, &scenario, &SimOptions::default(), 0, &AtomicBool::new(false)).unwrap();
    let at = |h: f64| trace.state_at((h * 3.6e9) as u64).unwrap();
    // Before anything fails, Europe is served from eu-west-1.
    let before = at(0.5);
    assert!(before.down.is_empty());
    assert_eq!(before.populations[0].0, "eu-users");
    assert_eq!(before.populations[0].2, vec!["eu-west-1".to_owned()]);
    // eu-west-1 is down from 1 h to 3 h; after detection and TTL Europe is served from us-east-1.
    let during = at(2.0);
    assert!(during.down.iter().any(|d| format!("{d:?}").contains("eu-west-1")));
    assert_eq!(during.populations[0].2, vec!["us-east-1".to_owned()]);
    assert!(during.populations[0].3, "an incident");
    assert!(trace.change_times().len() >= 4);
}
