//! A scenario mixing two kinds of disruption: each incident is attributed to the kind of the
//! failure that set it off (`meridian_sim::cause`), so each kind's RTO and RPO can be held to its
//! own target.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use meridian_model::targets::Disruption;
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, format};
use meridian_sim::scenario::{Injection, Processes, Target};
use meridian_sim::{Scenario, SimOptions, SimResults, simulate};

fn run(injections: Vec<Injection>) -> SimResults {
    let catalog = Catalog::builtin().unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron");
    let d = format::load_file(&path, catalog).unwrap().design;
    let s = Scenario {
        name: "mixed".into(),
        horizon: TimeSpan::from_secs(8 * 3600),
        runs: 40,
        seed: 7,
        random_failures: Processes::NONE,
        injections,
        failure_overrides: Vec::new(),
        traffic: Vec::new(),
        instant_failover: false,
    };
    let options = SimOptions { threads: 2, ..SimOptions::default() };
    simulate(&d, catalog, &s, &options, &|_| {}, &AtomicBool::new(false)).unwrap().results
}

fn at(target: Target, from_h: u64, minutes: u64) -> Injection {
    Injection { target, at: TimeSpan::from_secs(from_h * 3600), duration: TimeSpan::from_secs(minutes * 60) }
}

#[test]
fn a_region_and_a_service_failure_are_each_held_to_their_own_incidents() {
    // us-east-1 goes down for an hour; later the EU API (no second copy in its region) for 20 min.
    let region = at(Target::Region("us-east-1".into()), 1, 60);
    let service = at(Target::Service("api-euw1".into()), 5, 20);
    let mixed = run(vec![region.clone(), service.clone()]);
    let by = &mixed.recovery_by_disruption;
    let (r, s) = (
        by.get(&Disruption::Region).expect("region incidents"),
        by.get(&Disruption::Service).expect("service incidents"),
    );
    // Every incident follows one of the two failures: the kinds' counts add up to all of them.
    assert_eq!(r.rto_s.count + s.rto_s.count, mixed.rto_s.count, "{by:?}");
    assert!(by.keys().all(|d| matches!(d, Disruption::Region | Disruption::Service)), "{by:?}");
    // Each kind alone gives the incidents the mix attributes to it: as many, as long.
    for (alone, part) in [(run(vec![region]), r), (run(vec![service]), s)] {
        assert_eq!(alone.rto_s.count, part.rto_s.count);
        assert!(
            (alone.rto_s.p50 - part.rto_s.p50).abs() <= 0.05 * alone.rto_s.p50.max(1.0),
            "{alone:?} {part:?}"
        );
    }
}
