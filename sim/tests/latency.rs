//! The latency model inside the simulator: the compiled round trips are the model's
//! (`meridian_model::latency`), users at a region's location pay their access network, a
//! CloudFront hit is answered at the edge and only misses load the origin, and an ElastiCache
//! cache passes on only its misses.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.
#![allow(clippy::float_cmp)] // Figures copied from the catalog or the model are equal exactly.

use std::path::Path;

use meridian_model::latency::{self, region_rtt};
use meridian_model::{Catalog, Design, ServiceKind, format};
use meridian_sim::compile::{Compiled, compile};
use meridian_sim::serve::{Evaluator, PopState, StateView};
use meridian_sim::{DefaultDataLaw, builtin};

fn load(text: &str) -> Design {
    format::load_str(text, Path::new("test.ron"), Catalog::builtin().unwrap())
        .unwrap_or_else(|e| panic!("{e}"))
        .design
}

fn compiled(design: &Design) -> Compiled {
    let catalog = Catalog::builtin().unwrap();
    let scenario = builtin("random-year", design, catalog).unwrap();
    compile(design, catalog, &scenario, &DefaultDataLaw).unwrap()
}

/// Every population's state with everything up and every endpoint looking healthy.
fn evaluate(c: &Compiled) -> Vec<PopState> {
    let down = vec![false; c.components.len()];
    let view_ok = vec![true; c.routes.len()];
    let writer: Vec<usize> = c.groups.iter().map(|g| g.initial_writer).collect();
    // Nothing dormant and every service at its compiled capacity (none of these designs has a
    // cold standby or scales).
    let dormant = vec![false; c.services.len()];
    let cap_factor = vec![1.0; c.services.len()];
    let mut e = Evaluator::new(c);
    e.evaluate(c, &StateView::new(&down, &view_ok, &writer, &dormant, &cap_factor));
    e.pops
}

fn kind_ms(kind: ServiceKind) -> f64 {
    Catalog::builtin().unwrap().kind(kind).latency_ms.value
}

/// Users in Frankfurt enter at CloudFront, which fronts an ALB and two Fargate tasks in
/// us-east-1 that can take 30 requests per second.
fn cdn_design(hit_ratio: &str) -> Design {
    load(&format!(
        r#"Design(version: 1, name: "cdn", regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
    services: [
        Service(id: "alb", name: "ALB", kind: "alb", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "api", name: "API", kind: "ecs-fargate", placement: Region("us-east-1"), config: ServiceConfig(count: 2, capacity_rps: 30.0)),
        Service(id: "cdn", name: "CDN", kind: "cloudfront", placement: Global, config: ServiceConfig(count: 1{hit_ratio})),
    ],
    links: [
        Link(id: "cdn-alb", from: "cdn", to: "alb", kind: Routing(policy: Failover(role: Primary))),
        Link(id: "alb-api", from: "alb", to: "api", kind: Routing(policy: Weighted(weight: 1))),
    ],
    populations: [
        Population(id: "eu", name: "Europe", location: GeoPoint(lat: 50.1, lon: 8.7), continent: Europe,
            requests_per_sec: 100.0, write_fraction: 0.1, request_kb: 1.0, response_kb: 10.0, entry: "cdn"),
    ],
)"#
    ))
}

#[test]
fn compiled_round_trips_are_the_latency_models() {
    let catalog = Catalog::builtin().unwrap();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-3region-aurora.ron"),
    )
    .unwrap();
    let design = load(&text);
    let c = compiled(&design);
    let n = c.regions.len();
    for (a, ra) in c.regions.iter().enumerate() {
        for (b, rb) in c.regions.iter().enumerate() {
            assert_eq!(c.rtt_regions_ms(a, b), region_rtt(catalog, &ra.id, &rb.id).unwrap().ms);
        }
    }
    assert_eq!(c.region_rtt_ms.len(), n * n);
    // Each population's compiled path is the one `meridian info` prints (through the edge: the
    // entry is Global Accelerator).
    for (p, cp) in design.populations().zip(&c.populations) {
        for path in latency::population_paths(&design, catalog, p) {
            let r = c.regions.iter().position(|x| x.id == path.region).unwrap();
            assert!((cp.network_ms(r, true) - path.total_ms()).abs() < 1e-12, "{} to {}", p.id, path.region);
        }
    }
    assert!(c.estimated_round_trips.is_empty());
}

#[test]
fn users_at_a_regions_location_pay_their_access_network() {
    // The old model gave 0 ms here; now the fixed-broadband access round trip (10 ms) remains.
    let design = load(
        r#"Design(version: 1, name: "here", regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
    services: [Service(id: "app", name: "App", kind: "lambda", placement: Region("us-east-1"), config: ServiceConfig(count: 1))],
    populations: [
        Population(id: "here", name: "Here", location: GeoPoint(lat: 38.9, lon: -77.4), continent: NorthAmerica,
            requests_per_sec: 10.0, write_fraction: 0.0, request_kb: 1.0, response_kb: 1.0, entry: "app"),
        Population(id: "mobile", name: "Mobile", location: GeoPoint(lat: 38.9, lon: -77.4), continent: NorthAmerica,
            requests_per_sec: 10.0, write_fraction: 0.0, request_kb: 1.0, response_kb: 1.0, entry: "app", access: Mobile),
    ],
)"#,
    );
    let pops = evaluate(&compiled(&design));
    assert!((pops[0].flows[0].network_ms - 10.0).abs() < 1e-12, "{:?}", pops[0].flows);
    assert!((pops[1].flows[0].network_ms - 28.0).abs() < 1e-12, "{:?}", pops[1].flows);
}

#[test]
fn a_cloudfront_hit_is_answered_at_the_edge_and_only_misses_load_the_origin() {
    let (cf, alb, fargate) =
        (kind_ms(ServiceKind::CloudFront), kind_ms(ServiceKind::Alb), kind_ms(ServiceKind::EcsFargate));
    // Users to the FRA edge: 10 ms access + 0.2554 ms internet; on to us-east-1 over the backbone:
    // 103.452 ms in all (model/tests/latency.rs computes it by hand).
    let to_edge = 10.0 + 0.255_351;
    let to_origin = 103.452;

    // Hit ratio 0.9 of reads; 10% of requests write, and writes always go on: 0.9 x 0.9 = 0.81 hit.
    let pops = evaluate(&compiled(&cdn_design(", hit_ratio: 0.9")));
    let flows = &pops[0].flows;
    assert_eq!(flows.len(), 2, "{flows:?}");
    let (hit, miss) = (&flows[0], &flows[1]);
    assert!(hit.cached && hit.region.is_none());
    assert!((hit.share - 0.81).abs() < 1e-12 && hit.ok == 1.0);
    assert!((hit.network_ms - to_edge).abs() < 1e-3, "{hit:?}");
    assert_eq!(hit.processing_ms, cf);
    assert!(!miss.cached && miss.edge);
    assert!((miss.share - 0.19).abs() < 1e-12);
    assert!((miss.network_ms - (cf + alb + to_origin)).abs() < 1e-3, "{miss:?}");
    assert_eq!(miss.processing_ms, fargate);
    // 19 req/s reach the origin, within its 30: everything is served.
    assert!((pops[0].served - 1.0).abs() < 1e-12);

    // No caching: every request crosses to the origin, and 100 req/s exceed its 30.
    let pops = evaluate(&compiled(&cdn_design(", hit_ratio: 0.0")));
    let flows = &pops[0].flows;
    assert_eq!(flows.len(), 1);
    assert!((flows[0].network_ms - (cf + alb + to_origin)).abs() < 1e-3);
    assert!((pops[0].served - 0.3).abs() < 1e-12, "{}", pops[0].served);

    // Without a value the catalog's default (0.58, an assumption) applies.
    let pops = evaluate(&compiled(&cdn_design("")));
    assert!((pops[0].flows[0].share - 0.58 * 0.9).abs() < 1e-12);
}

#[test]
fn an_elasticache_cache_passes_on_only_its_misses() {
    let design = |hit: &str| {
        load(&format!(
            r#"Design(version: 1, name: "cache", regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
    services: [
        Service(id: "app", name: "App", kind: "lambda", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "cache", name: "Cache", kind: "elasticache", placement: Region("us-east-1"), config: ServiceConfig(count: 2{hit})),
        Service(id: "db", name: "DB", kind: "dynamodb", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
    ],
    links: [
        Link(id: "app-cache", from: "app", to: "cache", kind: Dependency(calls_per_request: 1.0, required: true)),
        Link(id: "cache-db", from: "cache", to: "db", kind: Dependency(calls_per_request: 1.0, required: true)),
    ],
    populations: [
        Population(id: "u", name: "Users", location: GeoPoint(lat: 38.9, lon: -77.4), continent: NorthAmerica,
            requests_per_sec: 10.0, write_fraction: 0.0, request_kb: 1.0, response_kb: 1.0, entry: "app"),
    ],
)"#
        ))
    };
    let (app, cache, db) =
        (kind_ms(ServiceKind::Lambda), kind_ms(ServiceKind::ElastiCache), kind_ms(ServiceKind::DynamoDb));
    let intra = 0.95; // us-east-1, measured between AZs (imaoka-inter-az).
    let processing = |hit: &str| evaluate(&compiled(&design(hit)))[0].flows[0].processing_ms;
    // Read-through: app -> cache always; the cache -> db hop for the misses only.
    let want = |h: f64| app + intra + cache + (1.0 - h) * (intra + db);
    assert!((processing(", hit_ratio: 0.0") - want(0.0)).abs() < 1e-9);
    assert!((processing(", hit_ratio: 0.8") - want(0.8)).abs() < 1e-9);
    assert!((processing("") - want(0.8)).abs() < 1e-9, "the catalog default is 0.8");
    assert!(processing(", hit_ratio: 1.0") < processing(", hit_ratio: 0.5"));
}
