//! Four designs priced by hand from public figures: a web tier in one region, a DynamoDB global
//! table in two regions, S3 with cross-region replication (and Replication Time Control), and an
//! Aurora Global Database. Each expected line is written out with the figure it rests on (the
//! AWS price, where it was read, and the arithmetic of the quantity), independently of the
//! snapshot; the bill must have exactly these lines, each within 0.01%, and a total within 1%
//! (they agree exactly).
//!
//! Sources of the prices (the snapshot cites each in full):
//! - `kms`: AWS's price file kms.json (2025-08-28), 'Encryption Key' $1.00 per key-month.
//! - `alb`: Infracost's lb_test golden (2024-07-01), 'Application load balancer 730 hours $16.43'
//!   ($0.0225/h) and '$5.84 per LCU' a month ($0.008 per LCU-hour), us-east-1.
//! - `vpc`: vpc.json (2025-11-04), 'Hourly charge for In use Public IPv4 Addresses' $0.005.
//! - `cw`: cloudwatch.json (2025-09-23): 'Alarm Standard' $0.10, 'Logs Collected Data Ingestion'
//!   $0.50 (us-east-1; $0.57 in eu-west-1), 'Stored Data' $0.03 per GB-month.
//! - `fargate`: ecs.json (2025-10-27), 'perCPU per hour' $0.04048, 'perGB per hour' $0.004445.
//! - `lambda`: lambda.json (2025-10-30), 'Lambda Requests' $0.20 per million, 'Lambda Duration'
//!   $0.0000166667 per GB-second.
//! - `ddb`: dynamodb.json (2025-08-28), on-demand WRU $0.625 per million (eu-west-1: $0.705),
//!   RRU $0.125, storage $0.25 per GB-month ($0.283), PITR $0.20 ($0.22), replicated WRU $0.705
//!   in eu-west-1.
//! - `s3`: s3.json (2025-10-22), Standard first 50 TB $0.023 per GB-month, PUT $0.005 and GET
//!   $0.0004 per 1,000, the same in us-east-1 and us-west-2.
//! - `dto`: Infracost's data_transfer_test golden (2024-09-25): out to the internet from us-east-1
//!   $0.09 a GB for the first 10 TB, $0.085 for the next 40 TB, $0.07 for the next 100 TB; the
//!   first 100 GB a month are free (AWS, quoted by awsnegotiations.com); between regions $0.02.
//! - `aurora`: db.r7g.large Aurora Standard $0.276/h in us-east-1 (Coroot's copy of the Price
//!   List, us-east-2's row), $0.304 in eu-west-1 (half of db.r7g.xlarge); storage $0.10 per
//!   GB-month, I/O $0.20 per million, backup $0.021 per GB-month (Infracost's rds_cluster_test);
//!   Secrets Manager $0.40 per secret-month (Infracost's secretsmanager_secret_test). eu-west-1
//!   has no Aurora storage, I/O or backup price of its own: us-east-1's times eu-west-1's EC2
//!   ratio 0.107/0.096, marked an estimate, as is replicated write I/O ($0.20, an estimate).
//!
//! Quantities: 730 hours, 2,628,000 seconds a month; GB = KB / 1e6; logs 0.5 KB per request
//! kept 365 days (12 months stored); every link and population below is in the design text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)] // Tests fail loudly on purpose.
#![allow(clippy::unreadable_literal)] // Prices are written as AWS publishes them, to be compared by eye.

use std::path::Path;

use meridian_model::cost::{self, Bill, CostOptions, PriceSnapshot};
use meridian_model::{Catalog, Design, format};

/// Seconds in a 730-hour month.
const SECS: f64 = 730.0 * 3600.0;
/// Hours in the month.
const HOURS: f64 = 730.0;
/// eu-west-1's EC2 ratio (m5.large $0.107 over $0.096).
const EUW1: f64 = 1.114583;

/// One expected line: service, dimension, the tier's start (GB) for tiered lines, quantity, unit price.
struct Line(&'static str, &'static str, Option<f64>, f64, f64);

fn load(text: &str) -> Design {
    format::load_str(text, Path::new("hand.ron"), Catalog::builtin().unwrap()).unwrap().design
}

fn bill(d: &Design) -> Bill {
    cost::bill(d, PriceSnapshot::builtin().unwrap(), &CostOptions::default())
}

/// The bill has exactly the expected lines (quantity and unit price within 0.01%), and its total
/// is within 1% of the hand total.
fn check(name: &str, b: &Bill, expected: &[Line]) {
    let near = |a: f64, e: f64| (a - e).abs() <= 1e-4 * e.abs().max(1e-9);
    for Line(service, dimension, tier, quantity, price) in expected {
        let found = b.lines.iter().find(|l| {
            l.service.as_str() == *service && l.dimension == *dimension && l.tier.map(|t| t.from_gb) == *tier
        });
        let l = found.unwrap_or_else(|| panic!("{name}: no line {service} {dimension} {tier:?}"));
        assert!(
            near(l.quantity, *quantity),
            "{name}: {service} {dimension}: quantity {} != {quantity}",
            l.quantity
        );
        assert!(
            near(l.unit_price_usd, *price),
            "{name}: {service} {dimension}: price {} != {price}",
            l.unit_price_usd
        );
    }
    let extra: Vec<String> = b
        .lines
        .iter()
        .filter(|l| l.usd_per_month > 0.0)
        .filter(|l| {
            !expected.iter().any(|Line(s, d, t, _, _)| {
                l.service.as_str() == *s && l.dimension == *d && l.tier.map(|x| x.from_gb) == *t
            })
        })
        .map(|l| format!("{} {} {:?} {}", l.service, l.dimension, l.tier, l.usd_per_month))
        .collect();
    assert!(extra.is_empty(), "{name}: lines not priced by hand: {extra:?}");
    let hand: f64 = expected.iter().map(|Line(_, _, _, q, p)| q * p).sum();
    let error = (b.total_usd_per_month - hand).abs() / hand;
    assert!(
        error < 0.01,
        "{name}: bill {} against {hand} by hand ({:.3}%)",
        b.total_usd_per_month,
        error * 100.0
    );
    assert!(error < 1e-9, "{name}: bill {} against {hand} by hand", b.total_usd_per_month);
}

fn design(regions: &str, services: &str, links: &str, population: &str, item_kb: f64) -> String {
    format!(
        r#"Design(version: 1, name: "hand", description: "", workload: Workload(hours_per_month: 730.0, item_kb: {item_kb}),
        regions: [{regions}], services: [{services}], links: [{links}], populations: [{population}])"#
    )
}

const USE1: &str = r#"Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"]),"#;
const EUW1_REGION: &str = r#"Region(id: "eu-west-1", azs: ["euw1-az1", "euw1-az2"]),"#;
const USW2: &str = r#"Region(id: "us-west-2", azs: ["usw2-az1", "usw2-az2"]),"#;

fn users(rps: f64, write_fraction: f64, request_kb: f64, response_kb: f64, entry: &str) -> String {
    format!(
        r#"Population(id: "users", name: "Users", location: GeoPoint(lat: 39.0, lon: -77.5), continent: NorthAmerica,
        requests_per_sec: {rps}, write_fraction: {write_fraction}, request_kb: {request_kb}, response_kb: {response_kb}, entry: "{entry}"),"#
    )
}

#[test]
fn a_web_tier_in_one_region() {
    // An ALB to two Fargate tasks (1 vCPU, 2 GB) that use a 50 GB DynamoDB table; 100 requests a
    // second, 10% writes, 2 KB in and 20 KB out each.
    let d = load(&design(
        USE1,
        r#"Service(id: "lb", name: "lb", kind: "alb", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
           Service(id: "web", name: "web", kind: "ecs-fargate", placement: Region("us-east-1"), config: ServiceConfig(count: 2, vcpu: 1.0, memory_gib: 2.0)),
           Service(id: "orders", name: "orders", kind: "dynamodb", placement: Region("us-east-1"), config: ServiceConfig(count: 1, storage_gb: 50.0)),"#,
        r#"Link(id: "lb-web", from: "lb", to: "web", kind: Routing(policy: Weighted(weight: 1))),
           Link(id: "web-orders", from: "web", to: "orders", kind: Dependency(calls_per_request: 1.0, required: true)),"#,
        &users(100.0, 0.1, 2.0, 20.0, "lb"),
        1.0,
    ));
    let requests = 100.0 * SECS; // 262.8 million a month
    let out_gb = requests * 20.0 / 1e6; // 5,256 GB to the internet
    let logs_gb = requests * 0.5 / 1e6; // 131.4 GB of logs
    check(
        "web tier",
        &bill(&d),
        &[
            Line("(us-east-1)", "key-months", None, 1.0, 1.0), // kms
            Line("lb", "hours", None, HOURS, 0.0225),          // alb: 730 h
            // alb: LCUs are the largest of 7.92 GB/h processed ((2 + 20) KB x 100/s x 3600 / 1e6),
            // 0.4 new connections/s over 25, 0.1 rule evaluations: 7.92 x 730 LCU-hours.
            Line("lb", "lcu-hours", None, 7.92 * HOURS, 0.008),
            Line("lb", "public-ipv4-hours", None, 2.0 * HOURS, 0.005), // vpc: a node per AZ, 2 AZs
            Line("lb", "alarms", None, 1.0, 0.10),                     // cw: unhealthy targets of lb-web
            Line("lb", "internet-out:free", Some(0.0), 100.0, 0.0),    // dto: the free 100 GB
            Line("lb", "internet-out", Some(0.0), out_gb - 100.0, 0.09), // dto: 5,156 GB in the first tier
            Line("web", "vcpu-hours", None, 2.0 * HOURS, 0.04048),     // fargate: 2 tasks x 1 vCPU
            Line("web", "gb-hours", None, 2.0 * 2.0 * HOURS, 0.004445), // fargate: 2 tasks x 2 GB
            Line("web", "logs-ingested", None, logs_gb, 0.50),         // cw
            Line("web", "logs-storage", None, logs_gb * 12.0, 0.03),   // cw: 12 months kept
            Line("orders", "write-request-units", None, 10.0 * SECS / 1e6, 0.625), // ddb: 1 KB items, 1 WRU
            Line("orders", "read-request-units", None, 90.0 * SECS / 1e6 * 0.5, 0.125), // ddb: 0.5 RRU each
            Line("orders", "storage", None, 50.0, 0.25),               // ddb
            Line("orders", "pitr-storage", None, 50.0, 0.20),          // ddb: the export turns PITR on
        ],
    );
}

#[test]
fn a_global_table_in_two_regions() {
    // A function in us-east-1 (512 MB, 50 ms) writes and reads a 100 GB table replicated to
    // eu-west-1 as a global table; 50 requests a second, half of them writes, 0.5 KB responses.
    let d = load(&design(
        &[USE1, EUW1_REGION].concat(),
        r#"Service(id: "fn", name: "fn", kind: "lambda", placement: Region("us-east-1"), config: ServiceConfig(count: 1), latency_ms: 50.0),
           Service(id: "t-use1", name: "t", kind: "dynamodb", placement: Region("us-east-1"), config: ServiceConfig(count: 1, storage_gb: 100.0)),
           Service(id: "t-euw1", name: "t", kind: "dynamodb", placement: Region("eu-west-1"), config: ServiceConfig(count: 1)),"#,
        r#"Link(id: "fn-t", from: "fn", to: "t-use1", kind: Dependency(calls_per_request: 1.0, required: true)),
           Link(id: "gt", from: "t-use1", to: "t-euw1", kind: Replication(mode: Async)),"#,
        &users(50.0, 0.5, 1.0, 0.5, "fn"),
        1.0,
    ));
    let requests = 50.0 * SECS; // 131.4 million
    let writes_m = 25.0 * SECS / 1e6; // 65.7 million writes of 1 KB
    let logs_gb = requests * 0.5 / 1e6;
    check(
        "global table",
        &bill(&d),
        &[
            Line("(us-east-1)", "key-months", None, 1.0, 1.0), // kms, a key per region
            Line("(eu-west-1)", "key-months", None, 1.0, 1.0),
            Line("fn", "requests", None, requests / 1e6, 0.20), // lambda
            // lambda: 131.4 million x 0.05 s x 0.5 GB
            Line("fn", "duration", None, requests * 0.05 * 0.5, 0.000_016_666_7),
            Line("fn", "logs-ingested", None, logs_gb, 0.50),
            Line("fn", "logs-storage", None, logs_gb * 12.0, 0.03),
            Line("fn", "internet-out:free", Some(0.0), requests * 0.5 / 1e6, 0.0), // dto: 65.7 GB, all free
            Line("t-use1", "write-request-units", None, writes_m, 0.625),
            Line("t-use1", "read-request-units", None, writes_m * 0.5, 0.125),
            Line("t-use1", "storage", None, 100.0, 0.25),
            Line("t-use1", "pitr-storage", None, 100.0, 0.20),
            Line("t-use1", "alarms", None, 1.0, 0.10), // cw: replication lag to eu-west-1
            Line("t-use1", "inter-region-out", None, writes_m * 1e6 / 1e6, 0.02), // dto: 65.7 GB to the replica
            // ddb: every write is replicated, billed in the replica's region; the replica holds the
            // whole table (100 GB) with point-in-time recovery.
            Line("t-euw1", "replicated-write-units", None, writes_m, 0.705),
            Line("t-euw1", "storage", None, 100.0, 0.283),
            Line("t-euw1", "pitr-storage", None, 100.0, 0.22),
            Line("t-euw1", "alarms", None, 1.0, 0.10), // cw: replication lag to us-east-1
        ],
    );
}

#[test]
fn s3_with_replication() {
    // A 2,000 GB bucket in us-east-1 serving 200 requests a second of 100 KB objects (1% writes of
    // 1 KB), replicated with Replication Time Control to us-west-2.
    let d = load(&design(
        &[USE1, USW2].concat(),
        r#"Service(id: "site", name: "site", kind: "s3", placement: Region("us-east-1"), config: ServiceConfig(count: 1, storage_gb: 2000.0)),
           Service(id: "copy", name: "copy", kind: "s3", placement: Region("us-west-2"), config: ServiceConfig(count: 1)),"#,
        r#"Link(id: "crr", from: "site", to: "copy", kind: Replication(mode: Async, rtc: true)),"#,
        &users(200.0, 0.01, 1.0, 100.0, "site"),
        1.0,
    ));
    let out_gb = 200.0 * 100.0 * SECS / 1e6; // 52,560 GB out
    let put_k = 2.0 * SECS / 1e3; // 5,256 thousand PUTs
    let replicated_gb = 2.0 * 1.0 * SECS / 1e6; // 5.256 GB
    check(
        "s3 replication",
        &bill(&d),
        &[
            Line("(us-east-1)", "key-months", None, 1.0, 1.0),
            Line("(us-west-2)", "key-months", None, 1.0, 1.0),
            Line("site", "storage", Some(0.0), 2000.0, 0.023), // s3: first 50 TB
            Line("site", "put-requests", None, put_k, 0.005),
            Line("site", "get-requests", None, 198.0 * SECS / 1e3, 0.0004),
            // dto: 52,560 GB: 100 free, then 10,240 GB at $0.09, 40,960 at $0.085, 1,260 at $0.07.
            Line("site", "internet-out:free", Some(0.0), 100.0, 0.0),
            Line("site", "internet-out", Some(0.0), 10_240.0, 0.09),
            Line("site", "internet-out", Some(10_240.0), 40_960.0, 0.085),
            Line("site", "internet-out", Some(51_200.0), out_gb - 100.0 - 51_200.0, 0.07),
            Line("site", "inter-region-out", None, replicated_gb, 0.02), // dto: replicated bytes
            // Replication Time Control: $0.015 a GB, an estimate (no copy of AWS's figure found).
            Line("site", "rtc", None, replicated_gb, 0.015),
            Line("site", "alarms", None, 1.0, 0.10), // cw: replication lag of the RTC rule
            Line("copy", "put-requests", None, put_k, 0.005), // s3: the replica's PUTs
            Line("copy", "storage", Some(0.0), 2000.0, 0.023), // s3: the replica holds the 2,000 GB too
        ],
    );
}

#[test]
fn an_aurora_global_database() {
    // A function in us-east-1 (512 MB, 20 ms) uses an Aurora cluster of two db.r7g.large with
    // 200 GB, a global database with one secondary instance in eu-west-1; 100 requests a second,
    // 20% writes of 4 KB rows, 2 KB responses.
    let d = load(&design(
        &[USE1, EUW1_REGION].concat(),
        r#"Service(id: "fn", name: "fn", kind: "lambda", placement: Region("us-east-1"), config: ServiceConfig(count: 1), latency_ms: 20.0),
           Service(id: "db-use1", name: "db", kind: "aurora", placement: Region("us-east-1"), config: ServiceConfig(count: 2, storage_gb: 200.0)),
           Service(id: "db-euw1", name: "db", kind: "aurora", placement: Region("eu-west-1"), config: ServiceConfig(count: 1)),"#,
        r#"Link(id: "fn-db", from: "fn", to: "db-use1", kind: Dependency(calls_per_request: 1.0, required: true)),
           Link(id: "gdb", from: "db-use1", to: "db-euw1", kind: Replication(mode: Async)),"#,
        &users(100.0, 0.2, 1.0, 2.0, "fn"),
        4.0,
    ));
    let requests = 100.0 * SECS;
    let logs_gb = requests * 0.5 / 1e6;
    let writes_m = 20.0 * SECS / 1e6; // 52.56 million writes of one 4 KB I/O each
    // aurora: 1 I/O per write (4 KB) and 10% of the 80 reads a second miss the cache: 28 I/O a second.
    let io_m = 28.0 * SECS / 1e6;
    // aurora: 35 days of backups kept; 5% of 200 GB changes a day: 350 GB-months beyond the free copy.
    let backup_gb = 200.0 * 0.05 * 35.0;
    check(
        "aurora global database",
        &bill(&d),
        &[
            Line("(us-east-1)", "key-months", None, 1.0, 1.0),
            Line("(eu-west-1)", "key-months", None, 1.0, 1.0),
            Line("fn", "requests", None, requests / 1e6, 0.20),
            Line("fn", "duration", None, requests * 0.02 * 0.5, 0.000_016_666_7),
            Line("fn", "logs-ingested", None, logs_gb, 0.50),
            Line("fn", "logs-storage", None, logs_gb * 12.0, 0.03),
            // dto: 525.6 GB out: 100 free, 425.6 at $0.09.
            Line("fn", "internet-out:free", Some(0.0), 100.0, 0.0),
            Line("fn", "internet-out", Some(0.0), requests * 2.0 / 1e6 - 100.0, 0.09),
            Line("db-use1", "instance-hours:db.r7g.large", None, 2.0 * HOURS, 0.276),
            Line("db-use1", "storage", None, 200.0, 0.10),
            Line("db-use1", "io-requests", None, io_m, 0.20),
            Line("db-use1", "backup-storage", None, backup_gb, 0.021),
            Line("db-use1", "secrets", None, 1.0, 0.40), // the master password the export keeps
            Line("db-use1", "inter-region-out", None, writes_m * 4.0, 0.02), // dto: 210.24 GB of writes
            Line("db-euw1", "instance-hours:db.r7g.large", None, HOURS, 0.304),
            Line("db-euw1", "storage", None, 200.0, 0.10 * EUW1), // estimate: ratio
            Line("db-euw1", "replicated-write-io", None, writes_m, 0.20 * EUW1), // estimate
            Line("db-euw1", "backup-storage", None, backup_gb, 0.021 * EUW1), // estimate: ratio
            Line("db-euw1", "alarms", None, 1.0, 0.10),           // cw: replication lag of the secondary
        ],
    );
}
