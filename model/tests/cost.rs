//! Cost model tests: small designs priced by hand from the snapshot's own figures (one per family
//! of service kinds), the snapshot's integrity, and the examples' bills adding up.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::cost::{
    self, Bill, Commitment, CostOptions, Date, ExtraCapacity, ExtraTransfer, Incident, PriceService,
    PriceSnapshot,
};
use meridian_model::{Catalog, Design, RegionId, ServiceId, ServiceKind, format};

const HOURS: f64 = 730.0;
const SECS: f64 = HOURS * 3600.0;

fn prices() -> &'static PriceSnapshot {
    PriceSnapshot::builtin().unwrap()
}

/// The snapshot's price for (service, dimension, region), as the test's "hand" reads it.
fn price(service: &str, dimension: &str, region: &str) -> f64 {
    let p = prices();
    let e = p
        .file()
        .prices
        .iter()
        .find(|e| {
            e.service.as_str() == service
                && e.dimension == dimension
                && e.region == region
                && e.to_region.is_none()
        })
        .unwrap_or_else(|| panic!("no entry {service} {dimension} {region}"));
    e.usd
}

fn ratio(region: &str) -> f64 {
    prices().file().ratios.iter().find(|r| r.region == region).unwrap().ratio
}

fn design(services: &str, links: &str, populations: &str) -> Design {
    let text = format!(
        r#"Design(version: 1, name: "t", description: "", workload: Workload(hours_per_month: 730.0, item_kb: 1.0),
        regions: [
            Region(id: "ap-northeast-1", azs: ["apne1-az1", "apne1-az4"]),
            Region(id: "eu-west-1", azs: ["euw1-az1", "euw1-az2"]),
            Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"]),
        ],
        services: [{services}], links: [{links}], populations: [{populations}])"#
    );
    format::load_str(&text, Path::new("test.ron"), Catalog::builtin().unwrap()).unwrap().design
}

fn svc(id: &str, kind: &str, region: Option<&str>, config: &str) -> String {
    let placement = region.map_or("Global".to_owned(), |r| format!("Region(\"{r}\")"));
    format!(
        r#"Service(id: "{id}", name: "{id}", kind: "{kind}", placement: {placement}, config: ServiceConfig({config})),"#
    )
}

fn pop(rps: f64, write_fraction: f64, request_kb: f64, response_kb: f64, entry: &str) -> String {
    format!(
        r#"Population(id: "users", name: "Users", location: GeoPoint(lat: 40.0, lon: -75.0), continent: NorthAmerica,
        requests_per_sec: {rps}, write_fraction: {write_fraction}, request_kb: {request_kb}, response_kb: {response_kb}, entry: "{entry}"),"#
    )
}

fn dep(id: &str, from: &str, to: &str, calls: f64) -> String {
    format!(
        r#"Link(id: "{id}", from: "{from}", to: "{to}", kind: Dependency(calls_per_request: {calls}, required: true)),"#
    )
}

fn on_demand(d: &Design) -> Bill {
    cost::bill(d, prices(), &CostOptions::default())
}

fn line(bill: &Bill, service: &str, dimension: &str) -> f64 {
    let v: Vec<_> =
        bill.lines.iter().filter(|l| l.service.as_str() == service && l.dimension == dimension).collect();
    assert_eq!(v.len(), 1, "{service} {dimension}: {v:?}");
    v[0].usd_per_month
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

#[test]
fn compute_is_priced_by_hand() {
    let d = design(
        &[
            svc("api", "ecs-fargate", Some("us-east-1"), "count: 2, vcpu: 0.5, memory_gib: 1.0"),
            svc("api-tokyo", "ecs-fargate", Some("ap-northeast-1"), "count: 1, vcpu: 1.0, memory_gib: 2.0"),
            svc("vm", "ec2-asg", Some("eu-west-1"), r#"instance_type: "m5.large", count: 3"#),
            svc("lb-tokyo", "alb", Some("ap-northeast-1"), "count: 1"),
        ]
        .concat(),
        "",
        "",
    );
    let bill = on_demand(&d);
    close(
        line(&bill, "api", "vcpu-hours"),
        2.0 * 0.5 * HOURS * price("ecs-fargate", "vcpu-hours", "us-east-1"),
    );
    close(line(&bill, "api", "gb-hours"), 2.0 * 1.0 * HOURS * price("ecs-fargate", "gb-hours", "us-east-1"));
    // Fargate has a Tokyo entry of its own since the snapshot lists regional prices per
    // dimension (it was us-east-1's times Tokyo's EC2 ratio).
    close(
        line(&bill, "api-tokyo", "vcpu-hours"),
        HOURS * price("ecs-fargate", "vcpu-hours", "ap-northeast-1"),
    );
    let l = bill.lines.iter().find(|l| l.service.as_str() == "api-tokyo").unwrap();
    assert!(!l.price.estimate && l.price.ratio == 1.0, "{l:?}");
    // ALB hours have no Tokyo entry: us-east-1 times the region's ratio, derived and an estimate.
    let tokyo = price("alb", "hours", "us-east-1") * ratio("ap-northeast-1");
    close(line(&bill, "lb-tokyo", "hours"), HOURS * tokyo);
    // eu-west-1 m5.large has an entry of its own.
    close(
        line(&bill, "vm", "instance-hours:m5.large"),
        3.0 * HOURS * price("ec2-asg", "instance-hours:m5.large", "eu-west-1"),
    );
    let l = bill.lines.iter().find(|l| l.service.as_str() == "lb-tokyo" && l.dimension == "hours").unwrap();
    assert_eq!(l.price.basis, cost::Basis::Derived);
    assert!(l.price.estimate, "a price scaled by a regional ratio is an estimate");
    assert!(l.price.estimate_reason.as_deref().is_some_and(|r| r.contains("ratio")), "{l:?}");
    // A 3-year commitment multiplies capacity lines by the snapshot's factor.
    let three = cost::bill(
        &d,
        prices(),
        &CostOptions { commitment: Commitment::ThreeYear, ..CostOptions::default() },
    );
    let factor = prices().commitment(ServiceKind::EcsFargate, cost::Term::ThreeYear).unwrap().factor;
    close(line(&three, "api", "vcpu-hours"), line(&bill, "api", "vcpu-hours") * factor);
}

#[test]
fn load_balancers_and_routing_are_priced_by_hand() {
    let d = design(
        &[
            svc("dns", "route53", None, "count: 1"),
            svc("lb", "alb", Some("us-east-1"), "count: 1"),
            svc("lb-eu", "alb", Some("eu-west-1"), "count: 1"),
        ]
        .concat(),
        r#"Link(id: "r1", from: "dns", to: "lb", kind: Routing(policy: Latency, health_check: HealthCheck(interval: "10s", failure_threshold: 3))),
           Link(id: "r2", from: "dns", to: "lb-eu", kind: Routing(policy: Latency, health_check: HealthCheck(interval: "30s", failure_threshold: 3))),"#,
        &pop(100.0, 0.0, 1.0, 9.0, "dns"),
    );
    let bill = on_demand(&d);
    close(line(&bill, "dns", "hosted-zones"), price("route53", "hosted-zones", "global"));
    let queries_m = 100.0 * SECS * 0.01 / 1e6;
    close(line(&bill, "dns", "queries-latency"), queries_m * price("route53", "queries-latency", "global"));
    close(line(&bill, "dns", "health-checks"), 2.0 * price("route53", "health-checks", "global"));
    close(line(&bill, "dns", "health-check-features"), price("route53", "health-check-features", "global"));
    // Users near Philadelphia go to us-east-1: 3.6 GB an hour processed is 3.6 LCU.
    close(line(&bill, "lb", "hours"), HOURS * price("alb", "hours", "us-east-1"));
    close(line(&bill, "lb", "lcu-hours"), 3.6 * HOURS * price("alb", "lcu-hours", "us-east-1"));
    assert!(bill.lines.iter().all(|l| !(l.service.as_str() == "lb-eu" && l.dimension == "lcu-hours")));
}

#[test]
fn replicated_tables_are_priced_by_hand() {
    let d = design(
        &[
            svc("api", "ecs-fargate", Some("us-east-1"), "count: 1"),
            svc("t-use1", "dynamodb", Some("us-east-1"), "count: 1, storage_gb: 10.0"),
            svc("t-euw1", "dynamodb", Some("eu-west-1"), "count: 1"),
        ]
        .concat(),
        &[
            dep("d", "api", "t-use1", 1.0),
            r#"Link(id: "gt", from: "t-use1", to: "t-euw1", kind: Replication(mode: Async)),"#.to_owned(),
        ]
        .concat(),
        &pop(100.0, 0.2, 1.0, 9.0, "api"),
    );
    let bill = on_demand(&d);
    let writes_m = 20.0 * SECS / 1e6;
    let reads_m = 80.0 * SECS / 1e6;
    close(
        line(&bill, "t-use1", "write-request-units"),
        writes_m * price("dynamodb", "write-request-units", "us-east-1"),
    );
    close(
        line(&bill, "t-use1", "read-request-units"),
        reads_m * 0.5 * price("dynamodb", "read-request-units", "us-east-1"),
    );
    close(line(&bill, "t-use1", "storage"), 10.0 * price("dynamodb", "storage", "us-east-1"));
    // Replicated writes are priced in the replica's region (eu-west-1 has an entry of its own).
    let rwru = price("dynamodb", "replicated-write-units", "eu-west-1");
    close(line(&bill, "t-euw1", "replicated-write-units"), writes_m * rwru);
    // Each write (1 KB) crosses to the replica, billed at the source region's rate.
    let dt = prices()
        .quote_to(PriceService::DataTransfer, "inter-region-out", "us-east-1", "eu-west-1")
        .unwrap()
        .usd;
    close(line(&bill, "t-use1", "inter-region-out"), 20.0 * SECS / 1e6 * dt);
}

#[test]
fn storage_caches_queues_and_free_kinds_are_priced_by_hand() {
    let d = design(
        &[
            svc("api", "ecs-fargate", Some("us-east-1"), "count: 1"),
            svc("bucket", "s3", Some("us-east-1"), "count: 1, storage_gb: 1000.0"),
            svc(
                "cache",
                "elasticache",
                Some("us-east-1"),
                r#"instance_type: "cache.r7g.large", count: 2, engine: "valkey""#,
            ),
            svc("queue", "sqs", Some("us-east-1"), "count: 1"),
            svc("roles", "iam", None, "count: 1"),
        ]
        .concat(),
        &[dep("d1", "api", "bucket", 1.0), dep("d2", "api", "queue", 0.1)].concat(),
        &pop(100.0, 0.1, 1.0, 9.0, "api"),
    );
    let bill = on_demand(&d);
    close(line(&bill, "bucket", "storage"), 1000.0 * price("s3", "storage", "us-east-1"));
    close(
        line(&bill, "bucket", "put-requests"),
        10.0 * SECS / 1e3 * price("s3", "put-requests", "us-east-1"),
    );
    close(
        line(&bill, "bucket", "get-requests"),
        90.0 * SECS / 1e3 * price("s3", "get-requests", "us-east-1"),
    );
    close(
        line(&bill, "cache", "node-hours:cache.r7g.large:valkey"),
        2.0 * HOURS * price("elasticache", "node-hours:cache.r7g.large:valkey", "us-east-1"),
    );
    close(line(&bill, "queue", "requests"), 10.0 * SECS * 3.0 / 1e6 * price("sqs", "requests", "us-east-1"));
    assert!(prices().is_free(ServiceKind::Iam));
    assert_eq!(bill.lines_of(&ServiceId::new("roles")).count(), 0);
    assert!(bill.unpriced.is_empty(), "{:?}", bill.unpriced);
}

#[test]
fn an_incident_is_priced_per_incident_and_per_month() {
    let d =
        design(&svc("api", "ecs-fargate", Some("us-east-1"), "count: 2, vcpu: 1.0, memory_gib: 2.0"), "", "");
    let incident = Incident {
        name: "eu-west-1 outage".into(),
        duration_hours: 2.0,
        incidents_per_month: 0.5,
        extra_capacity: vec![ExtraCapacity { service: ServiceId::new("api"), extra_units: 3.0 }],
        extra_transfer: vec![ExtraTransfer {
            service: ServiceId::new("api"),
            to_region: RegionId::new("eu-west-1"),
            gb: 10.0,
        }],
    };
    let c = cost::incident_cost(&d, prices(), &CostOptions::default(), &incident).unwrap();
    let per = 3.0
        * 2.0
        * (price("ecs-fargate", "vcpu-hours", "us-east-1")
            + 2.0 * price("ecs-fargate", "gb-hours", "us-east-1"))
        + 10.0 * price("data-transfer", "inter-region-out", "us-east-1");
    close(c.usd_per_incident, per);
    close(c.usd_per_month, per * 0.5);
    let bad = Incident {
        extra_capacity: vec![ExtraCapacity { service: ServiceId::new("nope"), extra_units: 1.0 }],
        ..incident
    };
    let err = cost::incident_cost(&d, prices(), &CostOptions::default(), &bad).unwrap_err().to_string();
    assert!(err.contains("`nope` is not in the design"), "{err}");
}

#[test]
fn the_snapshot_covers_every_kind_and_required_region() {
    let p = prices();
    for k in Catalog::builtin().unwrap().kinds() {
        assert!(
            p.is_free(k.id) || p.file().prices.iter().any(|e| e.service == PriceService::Kind(k.id)),
            "kind `{}` has no price and is not listed as free",
            k.id
        );
    }
    for r in [
        "us-east-1",
        "us-east-2",
        "us-west-2",
        "eu-west-1",
        "eu-central-1",
        "eu-west-2",
        "ap-northeast-1",
        "ap-southeast-1",
        "ap-southeast-2",
        "ap-south-1",
        "sa-east-1",
        "ca-central-1",
    ] {
        assert!(p.file().ratios.iter().any(|x| x.region == r), "{r} has no regional ratio");
        assert!(
            p.quote(PriceService::DataTransfer, "inter-region-out", r).is_some(),
            "{r} has no inter-region price"
        );
        assert!(p.quote(ServiceKind::EcsFargate, "vcpu-hours", r).is_some(), "{r}");
    }
    for e in &p.file().prices {
        let s = p.source(&e.source).unwrap();
        assert!(Date::parse(&s.as_of).is_some() && s.url.starts_with("https://"), "{}", e.source);
    }
}

#[test]
fn stale_prices_are_flagged() {
    let d = design(&svc("api", "ecs-fargate", Some("us-east-1"), "count: 1"), "", "");
    let bill = on_demand(&d);
    let as_of = prices().as_of();
    assert!(cost::with_staleness(bill.clone(), prices(), 180, as_of).stale_sources.is_empty());
    let later = Date::from_unix_days(Date::parse("1970-01-01").unwrap().days_until(as_of) + 181);
    let stale = cost::with_staleness(bill, prices(), 180, later).stale_sources;
    // Fargate's price (read 2026-11-26) and the region's KMS key (read 2026-12-03, the snapshot's
    // date, since the bill prices the key the export creates).
    let ages: Vec<(&str, i64)> = stale.iter().map(|s| (s.source.as_str(), s.age_days)).collect();
    assert_eq!(ages, [("aws-file-kms", 181), ("fargate-pricing", 188)]);
}

#[test]
fn a_broken_snapshot_says_where() {
    let text = include_str!("../../assets/pricing/snapshot.ron").replacen(
        "source: \"fargate-pricing\"",
        "source: \"nowhere\"",
        1,
    );
    let err = PriceSnapshot::parse(&text, Path::new("p.ron")).unwrap_err().to_string();
    assert!(err.starts_with("p.ron:") && err.contains("cites unknown source `nowhere`"), "{err}");
    let err = PriceSnapshot::parse("(version: 1,", Path::new("p.ron")).unwrap_err().to_string();
    assert!(err.starts_with("p.ron:1:"), "{err}");
}

#[test]
fn a_unit_price_beyond_a_million_dollars_is_refused() {
    // Found from outside (scripts/hostile.py): 1e308 was accepted and made every total infinite.
    let snapshot = include_str!("../../assets/pricing/snapshot.ron");
    let usd = snapshot.find("usd: ").unwrap();
    let end = usd + snapshot[usd..].find(',').unwrap();
    let text = format!("{}usd: 1e308{}", &snapshot[..usd], &snapshot[end..]);
    let err = PriceSnapshot::parse(&text, Path::new("p.ron")).unwrap_err().to_string();
    assert!(err.starts_with("p.ron:") && err.contains("it must be a number from 0 to 1000000"), "{err}");
}

#[test]
fn example_bills_add_up_and_cite_dated_entries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let catalog = Catalog::builtin().unwrap();
    let mut n = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        n += 1;
        let d = format::load_file(&path, catalog).unwrap().design;
        let bill = on_demand(&d);
        let sum: f64 = bill.lines.iter().map(|l| l.usd_per_month).sum();
        close(bill.total_usd_per_month, sum);
        assert!(bill.total_usd_per_month > 0.0, "{}", path.display());
        assert!(bill.unpriced.is_empty(), "{}: {:?}", path.display(), bill.unpriced);
        close(bill.by_region.values().sum(), sum);
        close(bill.by_service.values().sum(), sum);
        for key in ["team", "environment"] {
            close(bill.by_tag[key].values().sum(), sum);
        }
        for l in &bill.lines {
            close(l.usd_per_month, l.quantity * l.unit_price_usd);
            let e = prices().entry(l.price.entry);
            assert_eq!(e.source, l.price.source);
            assert_eq!(prices().source(&e.source).unwrap().as_of, l.price.as_of);
            let expected = prices().entry(l.price.entry).usd * l.price.ratio * l.price.commitment_factor;
            close(l.unit_price_usd, expected);
        }
    }
    assert!(n >= 6);
}

#[test]
fn a_snapshot_written_as_text_reads_back_the_same() {
    let text = prices().to_ron("// copy\n").unwrap();
    let back = PriceSnapshot::parse(&text, Path::new("copy.ron")).unwrap();
    assert_eq!(back.file(), prices().file());
}

#[test]
fn a_cold_standby_costs_nothing_until_deployed() {
    let d = design(
        &[
            svc(
                "db",
                "aurora",
                Some("us-east-1"),
                r#"instance_type: "db.r7g.large", count: 2, storage_gb: 100.0"#,
            ),
            svc(
                "db-cold",
                "aurora",
                Some("eu-west-1"),
                r#"instance_type: "db.r7g.large", count: 2, storage_gb: 100.0, standby: Cold"#,
            ),
        ]
        .concat(),
        "",
        "",
    );
    let bill = on_demand(&d);
    assert!(bill.lines.iter().any(|l| l.service.as_str() == "db"), "the running store is billed");
    assert!(bill.lines.iter().all(|l| l.service.as_str() != "db-cold"), "{:?}", bill.lines);
}

#[test]
fn the_forecast_prices_each_month_as_the_bill_of_the_grown_workload() {
    // 10% a month: month 3 serves 1.21 times today's requests, so its bill is that of the same
    // design drawn with 1.21 times the requests (volume tiers apply to the month's own volume:
    // 2,000 requests a second of 20 KB is about 105 TB out, across three tiers). Without growth
    // every month is today's bill.
    let text = |growth: f64, rps: f64| {
        format!(
            r#"Design(version: 1, name: "t", description: "",
            workload: Workload(hours_per_month: 730.0, item_kb: 1.0, growth_percent_per_month: {growth}),
            regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
            services: [{}{}{}],
            links: [Link(id: "lb-web", from: "lb", to: "web", kind: Routing(policy: Weighted(weight: 1))), {}],
            populations: [{}])"#,
            svc("lb", "alb", Some("us-east-1"), "count: 1"),
            svc("web", "ecs-fargate", Some("us-east-1"), "count: 4"),
            svc("db", "dynamodb", Some("us-east-1"), "count: 1, storage_gb: 100.0"),
            dep("web-db", "web", "db", 1.0),
            pop(rps, 0.1, 2.0, 20.0, "lb"),
        )
    };
    let load =
        |t: String| format::load_str(&t, Path::new("f.ron"), Catalog::builtin().unwrap()).unwrap().design;
    let grown = load(text(10.0, 2000.0));
    let f = cost::forecast(&grown, Some(Catalog::builtin().unwrap()), prices(), &CostOptions::default(), 3);
    assert_eq!(f.months.len(), 3);
    assert_eq!(f.growth_percent_per_month, 10.0);
    close(f.months[0].total_usd, on_demand(&grown).total_usd_per_month);
    close(f.months[2].traffic_factor, 1.21);
    let drawn = load(text(0.0, 2000.0 * 1.21));
    close(f.months[2].total_usd, on_demand(&drawn).total_usd_per_month);
    assert!(f.months.windows(2).all(|w| w[1].total_usd > w[0].total_usd));
    let today = on_demand(&drawn);
    let flat =
        cost::forecast(&drawn, Some(Catalog::builtin().unwrap()), prices(), &CostOptions::default(), 12);
    assert_eq!(flat.months.len(), 12);
    for m in &flat.months {
        assert_eq!(m.traffic_factor, 1.0);
        close(m.total_usd, today.total_usd_per_month);
        assert_eq!(m.by_service, today.by_service);
    }
    close(flat.total_usd(), 12.0 * today.total_usd_per_month);
}

#[test]
fn caches_pass_on_only_their_misses() {
    // CloudFront with a 0.8 hit ratio in front of a load balancer: read hits are answered at the
    // edge; read misses and every write reach the origin, with their share of the transfer.
    let d = design(
        &[
            svc("cdn", "cloudfront", None, "count: 1, hit_ratio: 0.8"),
            svc("lb", "alb", Some("us-east-1"), "count: 1"),
            svc("app", "lambda", Some("us-east-1"), "count: 1"),
            svc("cache", "elasticache", Some("us-east-1"), "count: 1, hit_ratio: 0.75"),
            svc("db", "dynamodb", Some("us-east-1"), "count: 1"),
        ]
        .concat(),
        &[
            r#"Link(id: "origin", from: "cdn", to: "lb", kind: Routing(policy: Failover(role: Primary), health_check: HealthCheck(interval: "10s", failure_threshold: 3))),"#,
            r#"Link(id: "lb-app", from: "lb", to: "app", kind: Routing(policy: Weighted(weight: 1))),"#,
            &dep("app-cache", "app", "cache", 2.0),
            &dep("cache-db", "cache", "db", 1.0),
        ]
        .concat(),
        &pop(100.0, 0.1, 1.0, 9.0, "cdn"),
    );
    let catalog = Catalog::builtin().unwrap();
    let t = cost::traffic::Traffic::of(&d, Some(catalog), 1.0);
    let cdn = t.load(&ServiceId::new("cdn"));
    close(cdn.reads_per_sec, 90.0);
    let lb = t.load(&ServiceId::new("lb"));
    close(lb.reads_per_sec, 90.0 * 0.2);
    close(lb.writes_per_sec, 10.0);
    // 28 of 100 requests go on: 28 % of the request and response kilobytes.
    close(lb.in_kb_per_sec, 28.0);
    close(lb.out_kb_per_sec, 28.0 * 9.0);
    // The app calls the cache twice per request; the cache calls the table on a quarter of them.
    let cache = t.load(&ServiceId::new("cache"));
    close(cache.requests_per_sec(), 56.0);
    let db = t.load(&ServiceId::new("db"));
    close(db.requests_per_sec(), 56.0 * 0.25);
    // Without a catalog nothing is known about caching: every request goes on.
    let blind = cost::traffic::Traffic::of(&d, None, 1.0);
    close(blind.load(&ServiceId::new("lb")).requests_per_sec(), 100.0);
}
