//! The resilience mechanisms against theory: DNS cache expiry, the beta factor, a shared repair
//! crew, staggered deployments, MRSC majorities, control planes and percentile intervals. Each
//! result's 95% confidence interval must contain the theory, at fixed seeds.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.
#![allow(clippy::float_cmp)] // Deterministic cases have exact answers.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use meridian_model::design::{Deployment, Resilience};
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, Design, apply, format};
use meridian_sim::{Scenario, SimOptions, SimResults, load_scenario_file, load_scenario_str, simulate};

fn theory(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/scenarios/theory").join(name)
}

fn design(name: &str) -> Design {
    format::load_file(&theory(name), Catalog::builtin().unwrap()).unwrap().design
}

fn run_on(d: &Design, s: &Scenario) -> SimResults {
    let opts = SimOptions { threads: 2, ..SimOptions::default() };
    simulate(d, Catalog::builtin().unwrap(), s, &opts, &|_| {}, &AtomicBool::new(false)).unwrap().results
}

fn run(design_file: &str, scenario_file: &str) -> SimResults {
    let d = design(design_file);
    let s = load_scenario_file(&theory(scenario_file), &d).unwrap();
    run_on(&d, &s)
}

fn edit(d: &mut Design, c: Command) {
    apply(d, Catalog::builtin().unwrap(), c).unwrap();
}

#[test]
fn dns_caches_expire_uniformly_over_the_ttl() {
    // Detection U(0, 10 s) + 20 s, then the 60 s TTL expires uniformly: last client back after
    // detection + 60 s (mean 85 s), half back after detection + 30 s (mean 55 s).
    let r = run("parallel-regions.ron", "health-check.scenario.ron");
    let users = r.rto_by_population["users"];
    assert_eq!(users.half_s.count, 2000);
    let half_width = 1.96 * (100.0f64 / 12.0).sqrt() / 2000f64.sqrt() + 0.1;
    assert!((users.last_s.mean - 85.0).abs() < half_width, "last {:?}", users.last_s);
    assert!((users.half_s.mean - 55.0).abs() < half_width, "half {:?}", users.half_s);
    assert!(users.half_s.min >= 49.9 && users.half_s.max <= 60.1, "{:?}", users.half_s);
    assert_eq!(r.rto_half_s.count, 2000);
    // Requests lost integrate the ramp: 10 req/s x 55 s on average out of 10 req/s x 4 h.
    let lost = 1.0 - r.availability_requests.mean;
    assert!((lost - 55.0 / 14_400.0).abs() < 1e-4, "{lost}");
}

#[test]
fn sticky_dns_clients_follow_the_fitted_tail() {
    // 10.8% of clients hold the answer for the TTL plus Exp(522 s); the last 0.1% count back at
    // TTL + 522 s x ln(108). Requests lost: detection + 0.892 x 30 s + 0.108 x 60 s + 522 s x
    // (0.108 - 0.001) = detection + 89.09 s.
    let catalog = Catalog::builtin().unwrap();
    let mut d = design("parallel-regions.ron");
    let mut p = d.populations().next().unwrap().clone();
    p.dns_sticky_share = Some(catalog.resilience().dns_sticky_share.value);
    edit(&mut d, Command::UpdatePopulation(p));
    let s = load_scenario_file(&theory("health-check.scenario.ron"), &d).unwrap();
    let r = run_on(&d, &s);
    let detect = 25.0;
    let settle = 60.0 + 522.0 * (0.108f64 / 0.001).ln();
    let last = r.rto_by_population["users"].last_s;
    assert!((last.mean - (detect + settle)).abs() < 0.5 + 2.0, "{last:?} vs {}", detect + settle);
    let lost_s = (1.0 - r.availability_requests.mean) * 14_400.0;
    let want = detect + 0.892 * 30.0 + 0.108 * 60.0 + 522.0 * (0.108 - 0.001);
    assert!((lost_s - want).abs() < 0.5, "{lost_s} vs {want}");
}

#[test]
fn instant_failover_follows_health_without_health_checks() {
    // common-cause.ron's Route 53 records have no health checks; under instant failover the
    // users are served while either region's service is up. Without it they would not be.
    let mut d = design("common-cause.ron");
    edit(&mut d, Command::SetResilience(Resilience::default()));
    let text = "Scenario(name: \"x\", horizon: \"4h\", runs: 1, \
        random_failures: (regions: false, azs: false, partitions: false, services: false, instances: false, common_cause: false), \
        injections: [Injection(target: Service(\"app-use1\"), at: \"1h\", duration: \"1h\")], instant_failover: INSTANT)";
    let on = load_scenario_str(&text.replace("INSTANT", "true"), Path::new("x.ron"), &d).unwrap();
    let off = load_scenario_str(&text.replace("INSTANT", "false"), Path::new("x.ron"), &d).unwrap();
    assert_eq!(run_on(&d, &on).availability_requests.mean, 1.0);
    let without = run_on(&d, &off).availability_requests.mean;
    assert!((without - (1.0 - 0.5 / 4.0)).abs() < 1e-9, "{without}");
}

#[test]
fn beta_factor_common_cause_matches_its_markov_value() {
    let r = run("common-cause.ron", "common-cause.scenario.ron");
    let ui: f64 = 0.9e-3 / (0.9e-3 + 0.1);
    let uc = 1e-4 / (1e-4 + 0.1);
    let want = (1.0 - uc) * (1.0 - ui * ui);
    assert!((want - 0.998_922).abs() < 1e-6, "{want}");
    assert!(r.availability_time.contains(want), "{:?} vs {want}", r.availability_time);
    // Without the common cause the availability would be 0.999902; the interval excludes it.
    assert!(!r.availability_time.contains(1.0 - (10.0f64 / 1010.0).powi(2)));
    // About 200,000 h x 1e-4 / h = 20 common-cause failures per run.
    assert!(r.common_cause_failures.contains(20.0), "{:?}", r.common_cause_failures);
}

#[test]
fn a_shared_repair_crew_matches_its_markov_value() {
    let mut d = design("common-cause.ron");
    edit(&mut d, Command::SetResilience(Resilience { repair_crews: Some(1), ..Resilience::default() }));
    let s = load_scenario_file(&theory("repair-crew.scenario.ron"), &d).unwrap();
    let r = run_on(&d, &s);
    let x: f64 = 0.1;
    let both_down = 2.0 * x * x / (1.0 + 2.0 * x + 2.0 * x * x);
    assert!((both_down - 0.016_393).abs() < 1e-6);
    assert!(
        r.availability_time.contains(1.0 - both_down),
        "{:?} vs {}",
        r.availability_time,
        1.0 - both_down
    );
    assert!(!r.availability_time.contains(1.0 - (10.0f64 / 110.0).powi(2)), "{:?}", r.availability_time);
    // A failure waits for the crew only when the other is being repaired: the wait is the
    // remaining repair time, Exp(10 h) by memorylessness.
    assert!(r.repair_wait_s.count > 100);
    let ci = r.repair_wait_s.mean_ci95;
    assert!(ci[0] <= 36_000.0 && 36_000.0 <= ci[1], "{:?}", r.repair_wait_s);
}

#[test]
fn a_staggered_deployment_stops_when_the_bad_change_is_noticed() {
    // A bad change at 1 h reaches us-east-1, then us-west-2 one bake (1 h) later unless noticed
    // first: P(noticed after 1 h) = P(LogNormal(15 min, 1.5) > 60 min) = 1 - Phi(ln 4 / 1.5) = 0.1777.
    let mut d = design("common-cause.ron");
    let staggered = Deployment::Staggered { bake: Some(TimeSpan::HOUR), order: Vec::new() };
    edit(&mut d, Command::SetResilience(Resilience { deployment: staggered, ..Resilience::default() }));
    let text = "Scenario(name: \"bad change\", horizon: \"5h\", runs: 4000, seed: 3, \
        random_failures: (regions: false, azs: false, partitions: false, services: false, instances: false, common_cause: false), \
        injections: [Injection(target: Deployment(\"app\"), at: \"1h\", duration: \"2h\")], instant_failover: true)";
    let s = load_scenario_str(text, Path::new("x.ron"), &d).unwrap();
    let r = run_on(&d, &s);
    let p = 0.1777;
    let half = 1.96 * (p * (1.0 - p) / 4000.0f64).sqrt();
    assert!((r.common_cause_extra_regions - p).abs() < half, "{}", r.common_cause_extra_regions);
    // Users lose service only while both regions are down: 2 h to 3 h in those runs.
    let lost = 1.0 - r.availability_time.mean;
    assert!((lost - p / 5.0).abs() < half / 5.0 + 1e-9, "{lost}");
    // All at once, every run loses the hour from 1 h to 3 h... both regions for 2 h.
    edit(&mut d, Command::SetResilience(Resilience::default()));
    let r = run_on(&d, &s);
    assert!((r.common_cause_extra_regions - 0.0).abs() < 1e-12, "reached at once, not in waves");
    assert!((r.availability_time.mean - 0.6).abs() < 1e-9, "{:?}", r.availability_time);
}

#[test]
fn mrsc_writes_stop_without_a_majority() {
    for file in ["mrsc.ron", "mrsc-witness.ron"] {
        let r = run(file, "mrsc.scenario.ron");
        assert!((r.availability_requests.mean - 0.9).abs() < 1e-9, "{file}: {:?}", r.availability_requests);
        assert_eq!(r.conflicts_per_day.mean, 0.0, "{file}");
        assert_eq!(r.stale_reads_per_day.mean, 0.0, "{file}");
    }
}

#[test]
fn mrsc_tables_aws_refuses_are_refused() {
    let catalog = Catalog::builtin().unwrap();
    let text = std::fs::read_to_string(theory("mrsc-witness.ron")).unwrap();
    // The witness outside the replicas' region set.
    let bad = text.replace("witness: \"us-west-2\"", "witness: \"eu-west-1\"");
    let err = format::load_str(&bad, Path::new("w.ron"), catalog).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("links[1].kind.witness"), "{err}");
    assert!(err.message.contains("region set"), "{err}");
    assert!(err.line > 0);
    // A replica outside the set.
    let bad = text
        .replace("Region(\"us-east-2\")", "Region(\"eu-west-1\")")
        .replace("use2-az", "euw1-az")
        .replace("\"us-east-2\"", "\"eu-west-1\"");
    let err = format::load_str(&bad, Path::new("w.ron"), catalog).unwrap_err();
    assert!(err.message.contains("region set"), "{err}");
    // Two replicas without a witness load (the design is incomplete), but are neither simulated nor valid.
    let two = text.replace(", witness: \"us-west-2\"", "");
    let d = format::load_str(&two, Path::new("w.ron"), catalog).unwrap().design;
    let problems = meridian_model::validate::validate(&d, catalog);
    assert!(problems.iter().any(|p| p.message.contains("AWS refuses")), "{problems:?}");
    let s = load_scenario_file(&theory("mrsc.scenario.ron"), &d).unwrap();
    let err =
        simulate(&d, catalog, &s, &SimOptions::default(), &|_| {}, &AtomicBool::new(false)).unwrap_err();
    assert!(err.to_string().contains("exactly three regions"), "{err}");
}

#[test]
fn repairs_wait_for_their_control_plane() {
    // The app fails at 2 h (fixed) and its repair takes 30 min, but it needs us-east-1's control
    // plane, which is down from 1 h to 5 h: the app is back at 5 h, not 2.5 h.
    let mut d = design("single-service.ron");
    let mut app = d.services().next().unwrap().clone();
    app.control_plane = Some(meridian_model::RegionId::new("us-east-1"));
    edit(&mut d, Command::UpdateService(app));
    let text = "Scenario(name: \"cp\", horizon: \"6h\", runs: 1, \
        random_failures: (regions: false, azs: false, partitions: false, services: true, instances: false, common_cause: false), \
        failure_overrides: [FailureOverride(target: Service(\"app\"), spec: FailureSpec(time_to_failure: Fixed(value: \"2h\"), time_to_repair: Fixed(value: \"30m\")))], \
        injections: [Injection(target: ControlPlane(\"us-east-1\"), at: \"1h\", duration: \"4h\")])";
    let s = load_scenario_str(text, Path::new("x.ron"), &d).unwrap();
    let r = run_on(&d, &s);
    assert!((r.availability_time.mean - 0.5).abs() < 1e-9, "{:?}", r.availability_time);
    assert!((r.rto_s.max - 3.0 * 3600.0).abs() < 5.0, "{:?}", r.rto_s);
}

#[test]
fn percentile_intervals_cover_the_truth() {
    // Last-client RTO under health-check.scenario.ron is uniform on [80 s, 90 s].
    let r = run("parallel-regions.ron", "health-check.scenario.ron");
    let p = r.rto_s;
    for (name, ci, truth) in [
        ("mean", p.mean_ci95, 85.0),
        ("p50", p.p50_ci95, 85.0),
        ("p95", p.p95_ci95, 89.5),
        ("p99", p.p99_ci95, 89.9),
    ] {
        assert!(ci[0] - 0.1 <= truth && truth <= ci[1] + 0.1, "{name}: {ci:?} vs {truth}");
        assert!(ci[1] - ci[0] < 2.0, "{name}: {ci:?}");
    }
    assert!(p.min >= 79.9 && p.max <= 90.1 && p.min < p.mean && p.mean < p.max);
    // Over 20 seeds of 200 runs, the median's interval covers 85 s about 95% of the time.
    let d = design("parallel-regions.ron");
    let mut covered = 0;
    for seed in 0..20u64 {
        let mut s = load_scenario_file(&theory("health-check.scenario.ron"), &d).unwrap();
        s.runs = 200;
        s.seed = seed;
        let ci = run_on(&d, &s).rto_s.p50_ci95;
        covered += u32::from(ci[0] - 0.09 <= 85.0 && 85.0 <= ci[1] + 0.09);
    }
    assert!(covered >= 16, "covered {covered} of 20");
}

#[test]
fn per_run_figures_are_kept_on_request() {
    let d = design("parallel-regions.ron");
    let mut s = load_scenario_file(&theory("health-check.scenario.ron"), &d).unwrap();
    s.runs = 5;
    let opts = SimOptions { threads: 1, keep_runs: true, ..SimOptions::default() };
    let r = simulate(&d, Catalog::builtin().unwrap(), &s, &opts, &|_| {}, &AtomicBool::new(false))
        .unwrap()
        .results;
    assert_eq!(r.per_run.len(), 5);
    assert_eq!(r.per_run.iter().map(|x| x.run).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
    let mean = r.per_run.iter().map(|x| x.availability_time).sum::<f64>() / 5.0;
    assert!((mean - r.availability_time.mean).abs() < 1e-12);
    assert!(r.per_run.iter().all(|x| x.outages == 1 && (80.0..=90.1).contains(&x.rto_max_s)));
    // As CSV: a header and one line per run, with the run's figures.
    let csv = meridian_sim::results::runs_csv(&r.per_run);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[0].starts_with("run,availability_time,"));
    let cols = lines[0].split(',').count();
    assert!(lines.iter().all(|l| l.split(',').count() == cols));
    assert!(lines[3].starts_with(&format!("2,{},", r.per_run[2].availability_time)), "{}", lines[3]);
    // Without the option the results carry none, and JSON leaves the key out.
    let plain = run_on(&d, &s);
    assert!(plain.per_run.is_empty());
    assert!(!serde_json::to_string(&plain).unwrap().contains("\"per_run\""));
}

#[test]
fn a_year_is_a_julian_year() {
    assert_eq!(TimeSpan::YEAR.as_micros(), 31_557_600_000_000);
    let r = run("single-service.ron", "single-service.scenario.ron");
    let want = (1.0 - r.availability_time.mean) * 365.25 * 24.0 * 60.0;
    assert!((r.downtime_min_per_year.mean - want).abs() < 1e-9);
}

/// Two regions, an API in each and a replicated store of `kind`; `link` is the replication
/// link's kind; `pops` the populations.
fn two_region_store(kind: &str, link: &str, pops: &str) -> Design {
    let text = format!(
        "Design(version: 1, name: \"theory\", \
         regions: [Region(id: \"us-east-1\", azs: [\"use1-az1\", \"use1-az2\"]), Region(id: \"us-west-2\", azs: [\"usw2-az1\", \"usw2-az2\"])], \
         services: [\
           Service(id: \"api-use1\", name: \"API east\", kind: \"lambda\", placement: Region(\"us-east-1\"), config: ServiceConfig(count: 1)), \
           Service(id: \"api-usw2\", name: \"API west\", kind: \"lambda\", placement: Region(\"us-west-2\"), config: ServiceConfig(count: 1)), \
           Service(id: \"store-use1\", name: \"Store east\", kind: \"{kind}\", placement: Region(\"us-east-1\"), config: ServiceConfig(count: 1, storage_gb: 0.001)), \
           Service(id: \"store-usw2\", name: \"Store west\", kind: \"{kind}\", placement: Region(\"us-west-2\"), config: ServiceConfig(count: 1, storage_gb: 0.001))], \
         links: [\
           Link(id: \"api-east\", from: \"api-use1\", to: \"store-use1\", kind: Dependency(calls_per_request: 1.0, required: true)), \
           Link(id: \"api-west\", from: \"api-usw2\", to: \"store-usw2\", kind: Dependency(calls_per_request: 1.0, required: true)), \
           Link(id: \"repl\", from: \"store-use1\", to: \"store-usw2\", kind: {link})], \
         populations: [{pops}])"
    );
    format::load_str(&text, Path::new("theory.ron"), Catalog::builtin().unwrap()).unwrap().design
}

fn population(id: &str, entry: &str, rate: f64, write_fraction: f64) -> String {
    format!(
        "Population(id: \"{id}\", name: \"{id}\", location: GeoPoint(lat: 38.9, lon: -77.4), continent: NorthAmerica, \
         requests_per_sec: {rate}, write_fraction: {write_fraction}, request_kb: 1.0, response_kb: 1.0, entry: \"{entry}\")"
    )
}

#[test]
fn s3_replication_time_control_shortens_the_data_loss_window() {
    // us-east-1 fails at 1 h while its bucket takes writes: the RPO is one replication lag. With
    // RTC the catalog's lag is LogNormal(5 s, 1.39): mean 5 exp(1.39^2 / 2) = 13.14 s, P99
    // 5 exp(1.39 x 2.326) = 126.8 s. Plain CRR is LogNormal(2 min, 1.5): mean 369.6 s, 9% beyond 15 min.
    let pops = population("users", "api-use1", 10.0, 0.5);
    let text = "Scenario(name: \"east down\", horizon: \"3h\", runs: 3000, seed: 5, \
        random_failures: (regions: false, azs: false, partitions: false, services: false, instances: false, common_cause: false), \
        injections: [Injection(target: Region(\"us-east-1\"), at: \"1h\", duration: \"1h\")])";
    let rtc = two_region_store("s3", "Replication(mode: Async, rtc: true)", &pops);
    let s = load_scenario_str(text, Path::new("x.ron"), &rtc).unwrap();
    let r = run_on(&rtc, &s).rpo_s;
    assert_eq!(r.count, 3000);
    let ci = r.mean_ci95;
    assert!(ci[0] - 0.05 <= 13.14 && 13.14 <= ci[1] + 0.05, "{r:?}");
    assert!(r.p99_ci95[0] <= 126.8 && 126.8 <= r.p99_ci95[1] + 0.5, "{r:?}");
    let plain = two_region_store("s3", "Replication(mode: Async)", &pops);
    let p = run_on(&plain, &s).rpo_s;
    assert!(p.mean_ci95[0] <= 369.6 && 369.6 <= p.mean_ci95[1], "{p:?}");
    assert!(p.p95 > 900.0 && r.p99 < 900.0, "plain CRR has the 15-minute tail, RTC does not: {p:?}");
}

#[test]
fn stale_reads_follow_their_closed_form() {
    // Writers write 10 items/s in us-east-1; readers read 100/s in us-west-2 from a replica 2 s
    // behind; 1000 items. A read is stale when its item was written elsewhere in the last 2 s:
    // 100 x 10 x 2 / 1000 = 2 stale reads/s, a share of 2%; no conflicts (one region writes).
    let pops = format!(
        "{}, {}",
        population("writers", "api-use1", 10.0, 1.0),
        population("readers", "api-usw2", 100.0, 0.0)
    );
    let d = two_region_store("dynamodb", "Replication(mode: Async, lag: Fixed(value: \"2s\"))", &pops);
    let text = "Scenario(name: \"quiet day\", horizon: \"1d\", runs: 1, \
        random_failures: (regions: false, azs: false, partitions: false, services: false, instances: false, common_cause: false))";
    let s = load_scenario_str(text, Path::new("x.ron"), &d).unwrap();
    let r = run_on(&d, &s);
    assert!((r.stale_reads_per_day.mean - 2.0 * 86_400.0).abs() < 1e-6, "{:?}", r.stale_reads_per_day);
    assert!((r.stale_read_share.mean - 0.02).abs() < 1e-12, "{:?}", r.stale_read_share);
    assert_eq!(r.conflicts_per_day.mean, 0.0);
    // Strongly consistent tables have none (MRSC needs three regions: simulated on mrsc.ron above).
}

#[test]
fn mrsc_writes_pay_the_round_trip_to_the_nearest_other_region_up() {
    // Users write half their requests in us-east-1. With MRSC a write waits for the nearest other
    // region of the table that is up: us-east-2 while it is, else us-west-2. The same table
    // eventually consistent (Async) writes locally, so processing differs by exactly
    // write fraction x that round trip.
    use meridian_sim::compile::compile;
    use meridian_sim::serve::{Evaluator, StateView};
    let catalog = Catalog::builtin().unwrap();
    let strong = design("mrsc.ron");
    let text = std::fs::read_to_string(theory("mrsc.ron")).unwrap().replace("mode: Sync", "mode: Async");
    let eventual = format::load_str(&text, Path::new("async.ron"), catalog).unwrap().design;
    let s = load_scenario_file(&theory("mrsc.scenario.ron"), &strong).unwrap();
    let processing = |d: &Design, down_region: Option<&str>| {
        let c = compile(d, catalog, &s, &meridian_sim::DefaultDataLaw).unwrap();
        let mut down = vec![false; c.components.len()];
        if let Some(code) = down_region {
            down[c.regions.iter().find(|r| r.id == code).unwrap().component] = true;
        }
        let view_ok = vec![true; c.routes.len()];
        let writer: Vec<usize> = c.groups.iter().map(|g| g.initial_writer).collect();
        // Nothing stands by cold or scales in these designs: all running at compiled capacity.
        let (dormant, cap_factor) = (vec![false; c.services.len()], vec![1.0; c.services.len()]);
        let mut e = Evaluator::new(&c);
        let st = StateView::new(&down, &view_ok, &writer, &dormant, &cap_factor);
        e.evaluate(&c, &st);
        let rtt = |a: &str, b: &str| {
            let ix = |code: &str| c.regions.iter().position(|r| r.id == code).unwrap();
            c.rtt_regions_ms(ix(a), ix(b))
        };
        (
            e.pops[0].flows[0].processing_ms,
            e.pops[0].served,
            rtt("us-east-1", "us-east-2"),
            rtt("us-east-1", "us-west-2"),
        )
    };
    let (base, _, ohio_ms, oregon_ms) = processing(&eventual, None);
    assert!(ohio_ms < oregon_ms, "Ohio is nearer to Virginia than Oregon");
    let (mrsc, served, ..) = processing(&strong, None);
    assert!((mrsc - base - 0.5 * ohio_ms).abs() < 1e-9, "{mrsc} - {base} vs {ohio_ms}");
    assert_eq!(served, 1.0);
    // Ohio down: the write goes to Oregon for its majority.
    let (base, ..) = processing(&eventual, Some("us-east-2"));
    let (mrsc, served, ..) = processing(&strong, Some("us-east-2"));
    assert!((mrsc - base - 0.5 * oregon_ms).abs() < 1e-9, "{mrsc} - {base} vs {oregon_ms}");
    assert_eq!(served, 1.0);
}

#[test]
fn aurora_write_forwarding_reads_wait_as_their_consistency_level_says() {
    // Users in us-west-2 read and write (30% writes) through the Aurora secondary there; the
    // writer is in us-east-1 and replication lags a fixed 1 s. Reads wait for it always (Global),
    // after the session's own writes (Session: a share equal to the write fraction) or never
    // (Eventual): processing grows by (1 - w) x 1000 ms, (1 - w) x w x 1000 ms, or nothing.
    use meridian_sim::compile::compile;
    use meridian_sim::serve::{Evaluator, StateView};
    let catalog = Catalog::builtin().unwrap();
    let pops = population("users", "api-usw2", 10.0, 0.3);
    let processing = |level: &str| {
        let link = format!("Replication(mode: Async, lag: Fixed(value: \"1s\"){level})");
        let d = two_region_store("aurora", &link, &pops);
        let text = "Scenario(name: \"quiet\", horizon: \"1h\", runs: 1)";
        let s = load_scenario_str(text, Path::new("x.ron"), &d).unwrap();
        let c = compile(&d, catalog, &s, &meridian_sim::DefaultDataLaw).unwrap();
        let down = vec![false; c.components.len()];
        let view_ok = vec![true; c.routes.len()];
        let writer: Vec<usize> = c.groups.iter().map(|g| g.initial_writer).collect();
        // Nothing stands by cold or scales in these designs: all running at compiled capacity.
        let (dormant, cap_factor) = (vec![false; c.services.len()], vec![1.0; c.services.len()]);
        let mut e = Evaluator::new(&c);
        let st = StateView::new(&down, &view_ok, &writer, &dormant, &cap_factor);
        e.evaluate(&c, &st);
        e.pops[0].flows[0].processing_ms
    };
    let none = processing("");
    assert!((processing(", write_forwarding: Eventual") - none).abs() < 1e-9);
    assert!((processing(", write_forwarding: Session") - none - 0.7 * 0.3 * 1000.0).abs() < 1e-9);
    assert!((processing(", write_forwarding: Global") - none - 0.7 * 1000.0).abs() < 1e-9);
}
