//! The recovery mechanisms against closed forms: restore from backup (time from size and
//! throughput, RPO from the backup schedule), operator-initiated failover (alarm, response, record
//! change or routing control, TTL), promotion (operator or automation, then the promotion's draw),
//! a scale-out ramp with step limits, and a scale-in by steps and cooldowns. Designs and scenarios
//! are ordinary files in `examples/scenarios/theory/`, whose headers derive the expected figures;
//! every mean must lie in its 95% confidence interval at the fixed seed (plus the RTO
//! histogram's 0.1% precision).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use meridian_model::design::{Initiation, LinkKind};
use meridian_model::{Catalog, Command, Design, LinkId, apply, format};
use meridian_sim::{SimOptions, SimResults, load_scenario_file, simulate};

fn theory(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/scenarios/theory").join(name)
}

fn design(name: &str) -> Design {
    format::load_file(&theory(name), Catalog::builtin().unwrap()).unwrap().design
}

fn run(d: &Design, scenario: &str) -> SimResults {
    let catalog = Catalog::builtin().unwrap();
    let s = load_scenario_file(&theory(scenario), d).unwrap();
    simulate(
        d,
        catalog,
        &s,
        &SimOptions { threads: 2, ..SimOptions::default() },
        &|_| {},
        &AtomicBool::new(false),
    )
    .unwrap()
    .results
}

/// Mean and standard deviation of LogNormal(median, sigma), in the median's unit.
fn lognormal(median: f64, sigma: f64) -> (f64, f64) {
    let s2 = sigma * sigma;
    (median * (s2 / 2.0).exp(), median * (s2.exp() * (s2.exp() - 1.0)).sqrt())
}

/// Whether `mean` of `n` samples is within the 95% interval of `want` with standard deviation
/// `sd`, widened by the histograms' relative precision.
fn within(mean: f64, want: f64, sd: f64, n: u64) -> bool {
    (mean - want).abs() <= 1.96 * sd / (n as f64).sqrt() + 1e-3 * want
}

/// Sets who fails over every routing link of `d`.
fn with_failover(mut d: Design, initiation: Initiation) -> Design {
    let catalog = Catalog::builtin().unwrap();
    let links: Vec<_> = d.links().cloned().collect();
    for mut l in links {
        if let LinkKind::Routing(r) = &mut l.kind {
            r.failover = Some(initiation);
            apply(&mut d, catalog, Command::UpdateLink(l)).unwrap();
        }
    }
    d
}

#[test]
fn restore_time_from_size_and_throughput_and_rpo_from_the_schedule() {
    let r = run(&design("restore.ron"), "restore.scenario.ron");
    // RTO = alarm 60 s + response 60 s + (LogNormal(600 s, 0.5) + 2000 GB / 500 GB/h) + deploy 300 s.
    let (draw, sd) = lognormal(600.0, 0.5);
    let want = 60.0 + 60.0 + draw + 4.0 * 3600.0 + 300.0;
    assert_eq!(r.rto_s.count, 1000, "{:?}", r.rto_s);
    assert!(within(r.rto_s.mean, want, sd, 1000), "mean RTO {} vs {want}", r.rto_s.mean);
    assert!(r.rto_s.p50 > 14_820.0 && r.rto_s.p50 < 16_500.0, "{:?}", r.rto_s);
    // RPO = age of the daily backup at the failure: uniform on [0, 86,400 s).
    let day = 86_400.0;
    assert_eq!(r.rpo_s.count, 1000);
    assert!(within(r.rpo_s.mean, day / 2.0, day / 12f64.sqrt(), 1000), "mean RPO {}", r.rpo_s.mean);
    assert!(r.rpo_s.max < day * 1.001);
    // Writes lost = 5 writes/s x the backup's age.
    let lost_sd = 5.0 * day / 12f64.sqrt() / 1000f64.sqrt();
    assert!((r.writes_lost.mean - 5.0 * day / 2.0).abs() < 1.96 * lost_sd, "{:?}", r.writes_lost);
    // The phases: one alarm, one decision, two cold services woken per run.
    let p = r.recovery_phases;
    assert_eq!((p.detection.count, p.decision.count, p.restore.count), (1000, 1000, 2000), "{p:?}");
    assert!((p.detection.mean_s - 60.0).abs() < 1e-6 && (p.decision.mean_s - 60.0).abs() < 1e-6);
}

#[test]
fn operator_failover_is_alarm_response_record_change_and_ttl() {
    let d = design("operator.ron");
    let (response, sd) = lognormal(900.0, 0.7);
    let r = run(&d, "operator.scenario.ron");
    let want = 180.0 + response + 60.0 + 60.0;
    assert_eq!(r.rto_s.count, 2000);
    assert!(within(r.rto_s.mean, want, sd, 2000), "mean RTO {} vs {want}", r.rto_s.mean);
    // A routing control switches in the data plane: no record change.
    let r = run(&with_failover(d.clone(), Initiation::RoutingControl), "operator.scenario.ron");
    let want = 180.0 + response + 60.0;
    assert!(within(r.rto_s.mean, want, sd, 2000), "mean RTO {} vs {want}", r.rto_s.mean);
    // Health checks (the default) are far faster: U(0, 10 s) + 20 s + 60 s would need a health
    // check; without one the record never moves and the outage lasts the whole 4 h.
    let r = run(&with_failover(d, Initiation::Automatic), "operator.scenario.ron");
    assert!((r.rto_s.mean - 4.0 * 3600.0).abs() < 20.0, "{:?}", r.rto_s);
}

#[test]
fn promotion_after_the_alarm_by_an_operator_or_automation() {
    let catalog = Catalog::builtin().unwrap();
    let d = design("promotion.ron");
    let (response, r_sd) = lognormal(900.0, 0.7);
    let (promotion, p_sd) = lognormal(60.0, 0.5);
    let r = run(&d, "operator.scenario.ron");
    let want = 180.0 + response + promotion;
    let sd = (r_sd * r_sd + p_sd * p_sd).sqrt();
    assert_eq!(r.rto_s.count, 2000, "{:?}", r.rto_s);
    assert!(within(r.rto_s.mean, want, sd, 2000), "mean RTO {} vs {want}", r.rto_s.mean);
    assert!((r.recovery_phases.promotion.mean_s - promotion).abs() < 1.96 * p_sd / 2000f64.sqrt() + 0.1);
    // Automation on the alarm: no person.
    let mut auto = d.clone();
    let mut link = auto.link(&LinkId::new("global-db")).unwrap().clone();
    if let LinkKind::Replication(rep) = &mut link.kind {
        rep.promotion = Some(Initiation::Automatic);
    }
    apply(&mut auto, catalog, Command::UpdateLink(link)).unwrap();
    let r = run(&auto, "operator.scenario.ron");
    let want = 180.0 + promotion;
    assert!(within(r.rto_s.mean, want, p_sd, 2000), "mean RTO {} vs {want}", r.rto_s.mean);
    assert_eq!(r.recovery_phases.decision.count, 0);
}

#[test]
fn scale_out_ramp_matches_its_closed_form() {
    let r = run(&design("scaling.ron"), "scaling.scenario.ron");
    // Deterministic: RTO 330 s, 420,000 of 7,200,000 requests lost in every run.
    assert_eq!(r.rto_s.count, 10);
    assert!((r.rto_s.p50 - 330.0).abs() < 0.5 && (r.rto_s.max - 330.0).abs() < 0.5, "{:?}", r.rto_s);
    let lost = 1.0 - r.availability_requests.mean;
    assert!((lost - 420_000.0 / 7_200_000.0).abs() < 1e-9, "{lost}");
    let p = r.recovery_phases.scale_out;
    assert_eq!(p.count, 10);
    assert!((p.mean_s - 330.0).abs() < 1e-6, "{p:?}");
}

#[test]
fn scale_in_by_steps_and_cooldowns_then_the_ramp_again() {
    let r = run(&design("scaling.ron"), "scale-in.scenario.ron");
    // Deterministic: two outages per run, 330 s and 3,930 s; 8,040,000 of 21,600,000 requests lost.
    assert_eq!(r.rto_s.count, 20, "{:?}", r.rto_s);
    assert!((r.rto_s.mean - 2130.0).abs() < 2.0, "mean of 330 and 3,930 s: {:?}", r.rto_s);
    assert!((r.rto_s.max - 3930.0).abs() < 4.0, "{:?}", r.rto_s);
    let lost = 1.0 - r.availability_requests.mean;
    assert!((lost - 8_040_000.0 / 21_600_000.0).abs() < 1e-9, "{lost}");
    let p = r.recovery_phases.scale_out;
    assert_eq!(p.count, 20);
    assert!((p.mean_s - 330.0).abs() < 1e-6, "{p:?}");
}

/// `lambda-ramp.ron` with the concurrency controls `cc` on both functions.
fn lambda_with(cc: meridian_model::design::Concurrency) -> Design {
    let catalog = Catalog::builtin().unwrap();
    let mut d = design("lambda-ramp.ron");
    let services: Vec<_> = d.services().filter(|s| s.id.as_str().starts_with("fn-")).cloned().collect();
    for mut s in services {
        s.config.concurrency = Some(cc);
        apply(&mut d, catalog, Command::UpdateService(s)).unwrap();
    }
    d
}

#[test]
fn lambda_concurrency_ramp_sheds_its_closed_form() {
    let r = run(&design("lambda-ramp.ron"), "lambda-ramp.scenario.ron");
    // Deterministic: two ramps of 500 environments at 100 a second past the 1,000 added at once,
    // each shedding 500^2 / (2 x 100 x 0.2) = 6,250 requests and lasting 5 s.
    let lost = (1.0 - r.availability_requests.mean) * 15_000.0 * 3600.0;
    assert!((lost - 12_500.0).abs() < 1.0, "{lost} requests lost");
    assert_eq!(r.rto_s.count, 8, "{:?}", r.rto_s);
    assert!((r.rto_s.mean - 5.0).abs() < 0.01, "{:?}", r.rto_s);
    let p = r.recovery_phases.scale_out;
    assert_eq!(p.count, 8, "{p:?}");
    assert!((p.mean_s - 5.0).abs() < 1e-3, "{p:?}");
}

#[test]
fn lambda_ramp_within_the_burst_sheds_nothing() {
    // The same takeover at a tenth of the load: 150 more environments, inside the 1,000 at once.
    let catalog = Catalog::builtin().unwrap();
    let mut d = design("lambda-ramp.ron");
    let mut users = d.populations().next().unwrap().clone();
    users.requests_per_sec = 1500.0;
    apply(&mut d, catalog, Command::UpdatePopulation(users)).unwrap();
    let r = run(&d, "lambda-ramp.scenario.ron");
    assert!(r.availability_requests.mean > 1.0 - 1e-12, "{:?}", r.availability_requests);
    assert_eq!(r.rto_s.count, 0, "{:?}", r.rto_s);
}

#[test]
fn lambda_provisioned_concurrency_removes_the_ramp() {
    let cc = meridian_model::design::Concurrency { reserved: None, provisioned: Some(3000) };
    let r = run(&lambda_with(cc), "lambda-ramp.scenario.ron");
    assert!(r.availability_requests.mean > 1.0 - 1e-12, "{:?}", r.availability_requests);
    assert_eq!(r.rto_s.count, 0, "{:?}", r.rto_s);
}

#[test]
fn lambda_reserved_concurrency_caps_the_takeover() {
    let cc = meridian_model::design::Concurrency { reserved: Some(2000), provisioned: None };
    let r = run(&lambda_with(cc), "lambda-ramp.scenario.ron");
    // us-east-1 reaches its 2,000 at once (500 more, inside the burst) and throttles
    // (3,000 - 2,000) / 0.2 = 5,000 req/s for the 1,800 s outage: 9,000,000; us-west-2's return
    // ramps 0 -> 1,500 as before: 6,250. Per run 9,006,250 requests lost.
    let lost = (1.0 - r.availability_requests.mean) * 15_000.0 * 3600.0;
    assert!((lost - 9_006_250.0).abs() < 10.0, "{lost} requests lost");
}
