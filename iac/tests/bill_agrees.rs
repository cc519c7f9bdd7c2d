//! One truth for the bill and the export: for every example and test design, the resources the
//! export writes (`meridian_iac::inventory`) and the lines of the bill (`cost::bill_with`)
//! describe the same things. Every resource type the export writes is decided (billed, not
//! priced with a reason, or free); every billed resource has its lines, with the quantities and
//! sizes the export writes; every line of the bill belongs to an exported service, a shared
//! regional resource, or a service the export lists as not exported.
//!
//! The designs are exported without data-law policies: a policy makes the export leave
//! replication links out on purpose (and say so), which the bill, knowing no policies, prices.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)] // Tests fail loudly on purpose.

#[allow(dead_code, reason = "the other export tests use the rest of the helpers")]
#[path = "iac/common.rs"]
mod common;

use std::collections::{BTreeMap, BTreeSet};

use meridian_iac::{Charge, ExportOptions, Format, Resource, export, inventory};
use meridian_model::cost::{self, Bill, CostOptions, LineItem, PriceService, PriceSnapshot, footprint};
use meridian_model::sizing;
use meridian_model::{Catalog, Design, ServiceId, ServiceKind, format};

fn load(path: &std::path::Path) -> Design {
    format::load_file(path, Catalog::builtin().unwrap()).unwrap().design
}

fn bill(d: &Design) -> Bill {
    cost::bill_with(
        d,
        Some(Catalog::builtin().unwrap()),
        PriceSnapshot::builtin().unwrap(),
        &CostOptions::default(),
    )
}

fn lines<'a>(
    b: &'a Bill,
    service: &'a ServiceId,
    dimension: &'a str,
) -> impl Iterator<Item = &'a LineItem> + 'a {
    b.lines.iter().filter(move |l| &l.service == service && l.dimension == dimension)
}

fn quantity(b: &Bill, service: &ServiceId, dimension: &str) -> f64 {
    lines(b, service, dimension).filter(|l| l.link.is_none()).map(|l| l.quantity).sum()
}

fn attr(r: &Resource, key: &str) -> serde_json::Value {
    r.attributes.get(key).cloned().unwrap_or(serde_json::Value::Null)
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{what}: {a} != {b}");
}

#[test]
fn every_exported_resource_type_is_decided() {
    for (name, path, _) in common::designs() {
        let d = load(&path);
        for r in inventory(&d, Catalog::builtin().unwrap(), &ExportOptions::default()).unwrap() {
            assert!(
                meridian_iac::inventory::charge(&r.resource_type).is_some(),
                "{name}: the export writes {} ({}), which the inventory does not say how AWS charges for",
                r.resource_type,
                r.logical_id
            );
        }
    }
}

#[test]
fn the_bill_prices_what_the_export_writes() {
    for (name, path, _) in common::designs() {
        agrees(&name, &load(&path));
    }
}

/// Load balancers whose ids clash once sanitised: `q-1` and `q_1` both read `Q1`, so the second
/// gets a hash suffix from the names mapping; `key` reads like the region's KMS key `Key`, so the
/// export renames it in a second round. Every one owns its own resources in the inventory (the
/// names the export used in the end, not the plain mapping, under which the region's key would
/// belong to `key`), and the bill agrees with what is written.
#[test]
fn ids_the_export_renames_own_their_resources_and_agree_with_the_bill() {
    let alb = |id: &str| {
        format!(
            r#"Service(id: "{id}", name: "{id}", kind: "alb", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),"#
        )
    };
    let text = format!(
        r#"Design(version: 1, name: "clashing ids", description: "",
            regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
            services: [{}], links: [], populations: [])"#,
        [alb("q-1"), alb("q_1"), alb("key")].concat()
    );
    let d = format::load_str(&text, std::path::Path::new("clashing-ids.ron"), Catalog::builtin().unwrap())
        .unwrap()
        .design;
    let inv = inventory(&d, Catalog::builtin().unwrap(), &ExportOptions::default()).unwrap();
    for id in ["q-1", "q_1", "key"] {
        let owned: Vec<&str> = inv
            .iter()
            .filter(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer")
            .filter(|r| r.service.as_ref().is_some_and(|s| s.as_str() == id))
            .map(|r| r.logical_id.as_str())
            .collect();
        assert_eq!(owned.len(), 1, "{id} owns load balancers {owned:?}");
    }
    let logical = |r: &Resource| r.logical_id.clone();
    let q: BTreeSet<String> = inv
        .iter()
        .filter(|r| r.resource_type == "AWS::ElasticLoadBalancingV2::LoadBalancer")
        .map(logical)
        .collect();
    assert_eq!(q.len(), 3, "three load balancers of three names: {q:?}");
    for r in inv.iter().filter(|r| r.resource_type == "AWS::KMS::Key") {
        assert_eq!(r.service, None, "the region's key {} belongs to no service", r.logical_id);
    }
    agrees("clashing ids", &d);
}

/// The checks of [`the_bill_prices_what_the_export_writes`] on one design.
#[allow(
    clippy::too_many_lines,
    reason = "one check per billed resource type, in one pass over the inventory"
)]
fn agrees(name: &str, d: &Design) {
    let catalog = Catalog::builtin().unwrap();
    let b = bill(d);
    let hours = b.hours_per_month;
    let inv = inventory(d, catalog, &ExportOptions::default()).unwrap();
    let owned = |kind: &'static str| inv.iter().filter(move |r| r.resource_type == kind);
    // One KMS key per region template, one key-months line per region.
    for r in owned("AWS::KMS::Key") {
        let region = r.region.as_ref().unwrap();
        close(
            quantity(&b, &footprint::shared_entity(region.as_str()), "key-months"),
            1.0,
            &format!("{name}: key in {region}"),
        );
    }
    let keys: BTreeSet<&str> =
        b.lines.iter().filter(|l| l.kind == PriceService::Kms).map(|l| l.region.as_str()).collect();
    assert_eq!(keys.len(), owned("AWS::KMS::Key").count(), "{name}: key lines {keys:?}");
    // Alarms: as many in each region as the bill's alarm lines (the CloudWatch kind's own aside).
    let mut written: BTreeMap<String, f64> = BTreeMap::new();
    for r in owned("AWS::CloudWatch::Alarm") {
        *written.entry(r.region.as_ref().unwrap().to_string()).or_default() += 1.0;
    }
    let mut billed: BTreeMap<String, f64> = BTreeMap::new();
    for l in b.lines.iter().filter(|l| l.dimension == "alarms") {
        if d.service(&l.service).is_some_and(|s| s.kind != ServiceKind::CloudWatch) {
            *billed.entry(l.region.to_string()).or_default() += l.quantity;
        }
    }
    assert_eq!(written, billed, "{name}: alarms per region, written vs billed");
    // Log groups: the export's retention, and the bill's ingest and storage lines of their service.
    for r in owned("AWS::Logs::LogGroup") {
        assert_eq!(attr(r, "retention_days"), footprint::LOG_RETENTION_DAYS, "{name}: {}", r.logical_id);
        let s = r.service.as_ref().unwrap();
        let ingested = quantity(&b, s, "logs-ingested");
        let kept = f64::from(footprint::LOG_RETENTION_DAYS) / footprint::DAYS_PER_MONTH;
        close(quantity(&b, s, "logs-storage"), ingested * kept, &format!("{name}: {s} log storage"));
    }
    // Containers, functions and state machines log per request (none without traffic); an EKS
    // cluster's control plane logs whatever the traffic.
    for r in owned("AWS::Logs::LogGroup") {
        let s = r.service.as_ref().unwrap();
        if d.service(s).is_some_and(|x| x.kind == ServiceKind::Eks) {
            close(
                quantity(&b, s, "logs-ingested"),
                footprint::EKS_CONTROL_PLANE_LOG_GB_PER_MONTH,
                &format!("{name}: {s} control-plane logs"),
            );
        }
    }
    // Dashboards: one per CloudWatch service, the account's first three free.
    let dashboards = owned("AWS::CloudWatch::Dashboard").count();
    let billed: f64 = b.lines.iter().filter(|l| l.dimension == "dashboards").map(|l| l.quantity).sum();
    close(
        billed,
        dashboards.saturating_sub(footprint::FREE_DASHBOARDS) as f64,
        &format!("{name}: dashboards"),
    );
    let logged: BTreeSet<&ServiceId> =
        owned("AWS::Logs::LogGroup").filter_map(|r| r.service.as_ref()).collect();
    for l in b.lines.iter().filter(|l| l.dimension.starts_with("logs-")) {
        let kind = d.service(&l.service).map(|s| s.kind);
        if kind != Some(ServiceKind::CloudWatch) {
            assert!(
                logged.contains(&l.service),
                "{name}: {} is billed for logs the export does not keep",
                l.service
            );
        }
    }
    // Load balancers: one each, internet-facing with a public address per subnet.
    for r in owned("AWS::ElasticLoadBalancingV2::LoadBalancer") {
        let s = r.service.as_ref().unwrap();
        close(quantity(&b, s, "hours"), hours, &format!("{name}: {s} hours"));
        let ips = attr(r, "public_ipv4").as_f64().unwrap();
        close(quantity(&b, s, "public-ipv4-hours"), ips * hours, &format!("{name}: {s} public IPv4"));
    }
    // Global tables: a replica with point-in-time recovery for every DynamoDB service.
    let replicas: BTreeSet<&ServiceId> =
        owned("AWS::DynamoDB::GlobalTable").filter_map(|r| r.service.as_ref()).collect();
    for s in d.services().filter(|s| s.kind == ServiceKind::DynamoDb) {
        assert!(replicas.contains(&s.id), "{name}: {} has no replica in the export", s.id);
    }
    for r in owned("AWS::DynamoDB::GlobalTable") {
        assert_eq!(attr(r, "pitr"), true, "{name}: {}", r.logical_id);
        let s = r.service.as_ref().unwrap();
        close(quantity(&b, s, "pitr-storage"), quantity(&b, s, "storage"), &format!("{name}: {s} PITR"));
    }
    // Aurora: retention and the master secret of each cluster; instances and their class.
    for r in owned("AWS::RDS::DBCluster") {
        let s = r.service.as_ref().unwrap();
        assert_eq!(attr(r, "retention_days"), footprint::AURORA_BACKUP_RETENTION_DAYS, "{name}: {s}");
        let secret = quantity(&b, s, "secrets");
        assert_eq!(attr(r, "manages_secret") == true, secret == 1.0, "{name}: {s} secret {secret}");
        let instances: Vec<&Resource> =
            owned("AWS::RDS::DBInstance").filter(|i| i.service.as_ref() == Some(s)).collect();
        for i in &instances {
            let ty = attr(i, "instance_type");
            let dimension = format!("instance-hours:{}", ty.as_str().unwrap());
            close(
                quantity(&b, s, &dimension),
                instances.len() as f64 * hours,
                &format!("{name}: {s} {dimension}"),
            );
        }
    }
    // Containers: the task size Fargate runs, as many tasks as the service desires.
    for r in owned("AWS::ECS::Service") {
        let s = r.service.as_ref().unwrap();
        let count = attr(r, "count").as_f64().unwrap();
        let cpu = attr(r, "cpu").as_f64().unwrap();
        let memory = attr(r, "memory_mib").as_f64().unwrap();
        close(quantity(&b, s, "vcpu-hours"), count * cpu / 1024.0 * hours, &format!("{name}: {s} vCPU"));
        close(quantity(&b, s, "gb-hours"), count * memory / 1024.0 * hours, &format!("{name}: {s} memory"));
    }
    // Functions: the memory the bill's duration is priced at.
    for r in owned("AWS::Lambda::Function") {
        let s = d.service(r.service.as_ref().unwrap()).unwrap();
        assert_eq!(attr(r, "memory_mib"), sizing::lambda_memory_mib(s), "{name}: {}", s.id);
    }
    // APIs: the product the bill prices requests of.
    for r in owned("AWS::ApiGatewayV2::Api").chain(owned("AWS::ApiGateway::RestApi")) {
        let s = r.service.as_ref().unwrap();
        let (written, other) = if attr(r, "protocol") == "HTTP" {
            ("requests-http", "requests-rest")
        } else {
            ("requests-rest", "requests-http")
        };
        assert_eq!(
            lines(&b, s, other).count(),
            0,
            "{name}: {s} is written as {written} but billed as {other}"
        );
        let traffic = b.lines.iter().any(|l| &l.service == s && l.dimension == written);
        let load = d.populations().count() > 0;
        assert!(traffic || !load || quantity(&b, s, written) == 0.0, "{name}: {s}");
    }
    // Caches: node type, engine and node count.
    for r in owned("AWS::ElastiCache::ReplicationGroup") {
        let s = r.service.as_ref().unwrap();
        let svc = d.service(s).unwrap();
        let ty = attr(r, "instance_type");
        let ty = ty.as_str().unwrap_or(sizing::instance_type(svc));
        let engine = attr(r, "engine");
        let engine = engine.as_str().unwrap_or(sizing::cache_engine(svc));
        let dimension =
            if engine == "valkey" { format!("node-hours:{ty}:valkey") } else { format!("node-hours:{ty}") };
        let count = attr(r, "count").as_f64().unwrap();
        close(quantity(&b, s, &dimension), count * hours, &format!("{name}: {s} {dimension}"));
    }
    // Auto Scaling groups: the desired count of the instance type.
    for r in owned("AWS::AutoScaling::AutoScalingGroup") {
        let s = r.service.as_ref().unwrap();
        let dimension = format!("instance-hours:{}", attr(r, "instance_type").as_str().unwrap());
        let count = attr(r, "count").as_f64().unwrap();
        close(quantity(&b, s, &dimension), count * hours, &format!("{name}: {s} {dimension}"));
    }
    // RDS instances (Multi-AZ counts the standby, read replicas one each), DMS replication
    // instances and SageMaker endpoint variants: the instance-hours of their type and count.
    for (kind, ty) in [
        (ServiceKind::Rds, "AWS::RDS::DBInstance"),
        (ServiceKind::Dms, "AWS::DMS::ReplicationInstance"),
        (ServiceKind::SageMakerEndpoint, "AWS::SageMaker::EndpointConfig"),
    ] {
        for s in d.services().filter(|s| s.kind == kind) {
            let mine: Vec<&Resource> = owned(ty).filter(|r| r.service.as_ref() == Some(&s.id)).collect();
            assert!(!mine.is_empty(), "{name}: {} writes no {ty}", s.id);
            let count: f64 = mine.iter().map(|r| attr(r, "count").as_f64().unwrap()).sum();
            for r in &mine {
                assert_eq!(attr(r, "instance_type"), sizing::instance_type(s), "{name}: {}", r.logical_id);
            }
            let dimension = format!("instance-hours:{}", sizing::instance_type(s));
            close(quantity(&b, &s.id, &dimension), count * hours, &format!("{name}: {} {dimension}", s.id));
        }
    }
    // NAT gateways: one gateway and one public address per unit the design counts; EKS: one
    // cluster's hours.
    for s in d.services().filter(|s| s.kind == ServiceKind::NatGateway) {
        let gateways =
            owned("AWS::EC2::NatGateway").filter(|r| r.service.as_ref() == Some(&s.id)).count() as f64;
        let ips = owned("AWS::EC2::EIP").filter(|r| r.service.as_ref() == Some(&s.id)).count() as f64;
        close(quantity(&b, &s.id, "hours"), gateways * hours, &format!("{name}: {} hours", s.id));
        close(quantity(&b, &s.id, "public-ipv4-hours"), ips * hours, &format!("{name}: {} addresses", s.id));
    }
    for s in d.services().filter(|s| s.kind == ServiceKind::Eks) {
        let clusters =
            owned("AWS::EKS::Cluster").filter(|r| r.service.as_ref() == Some(&s.id)).count() as f64;
        close(quantity(&b, &s.id, "cluster-hours"), clusters * hours, &format!("{name}: {} cluster", s.id));
    }
    // Every line belongs to an exported service, a region's shared resources, or a service the
    // export says it leaves out.
    let bundle = export(d, catalog, Format::CloudFormation, &ExportOptions::default()).unwrap();
    let exported: BTreeSet<&ServiceId> = inv.iter().filter_map(|r| r.service.as_ref()).collect();
    for l in &b.lines {
        let shared = d.regions().any(|r| footprint::shared_entity(r.id.as_str()) == l.service);
        let left_out = bundle.warnings.iter().any(|w| w.starts_with(&format!("service {} (kind", l.service)));
        let written = exported.contains(&l.service);
        let kind = d.service(&l.service).map(|s| s.kind);
        // An IAM entity or a backup vault writes nothing of its own where the bill has lines.
        let vault = kind == Some(ServiceKind::AwsBackup);
        assert!(
            shared || left_out || written || vault,
            "{name}: line {} {} belongs to nothing the export writes or leaves out",
            l.service,
            l.dimension
        );
    }
}

#[test]
fn not_priced_resources_are_listed_for_the_reader() {
    // The resource types the export writes but the bill leaves out are in the model's NOT_PRICED
    // list that the README and the report show.
    let listed = footprint::NOT_PRICED.iter().map(|(what, _)| *what).collect::<Vec<_>>().join(" ");
    for (kind, words) in [("AWS::EC2::FlowLog", "flow logs"), ("AWS::ECS::Cluster", "Container Insights")] {
        assert!(matches!(meridian_iac::inventory::charge(kind), Some(Charge::NotPriced(_))), "{kind}");
        assert!(listed.contains(words), "{words} missing from NOT_PRICED: {listed}");
    }
}

/// Five CloudWatch services write five dashboards: the account's first three are free, the bill
/// charges two at the snapshot's dashboard price. A state machine and an EKS cluster log.
#[test]
fn dashboards_beyond_the_free_three_and_platform_logs_are_billed() {
    let svc = |id: &str, kind: &str| {
        format!(
            r#"Service(id: "{id}", name: "{id}", kind: "{kind}", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),"#
        )
    };
    let mut services: Vec<String> = (1..=5).map(|n| svc(&format!("watch-{n}"), "cloudwatch")).collect();
    services.push(svc("flow", "step-functions"));
    services.push(svc("k8s", "eks"));
    let text = format!(
        r#"Design(version: 1, name: "dashboards", description: "",
            regions: [Region(id: "us-east-1", azs: ["use1-az1", "use1-az2"])],
            services: [{}], links: [], populations: [])"#,
        services.concat()
    );
    let d = format::load_str(&text, std::path::Path::new("dashboards.ron"), Catalog::builtin().unwrap())
        .unwrap()
        .design;
    agrees("dashboards", &d);
    let b = bill(&d);
    let dash: Vec<&LineItem> = b.lines.iter().filter(|l| l.dimension == "dashboards").collect();
    assert_eq!(dash.iter().map(|l| l.quantity).sum::<f64>(), 2.0, "{dash:#?}");
    assert!(dash.iter().all(|l| (l.unit_price_usd - 3.0).abs() < 1e-9), "{dash:#?}");
    assert!(quantity(&b, &ServiceId::new("k8s"), "logs-ingested") > 0.0);
    assert!(quantity(&b, &ServiceId::new("k8s"), "logs-storage") > 0.0);
}
