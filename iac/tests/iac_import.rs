//! Import: export then import gives back the same design, for every example and for generated
//! designs (a property test), in both formats; hand-written inputs shaped like public samples
//! (nested stacks, conditions, mappings, modules, count and for_each) import with what cannot be
//! resolved statically listed.
//!
//! "The same design" is defined by [`signature`]: ids are not compared (the export keeps no
//! service id, and a DynamoDB replica has no resource of its own to carry one), so each service
//! is compared by its kind, placement and the settings the export writes (count, and for kinds
//! that have them the effective instance type and engine), and each link by its kind, the
//! signatures of its ends and the settings the code carries: routing policy, health check and TTL;
//! replication mode and Replication Time Control; backup interval and retention. A dependency's
//! calls per request and whether it is required are not in infrastructure code and are not
//! compared. The comparison is of multisets, so two services alike in everything count twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files")]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use meridian_iac::import::{Imported, import_cloudformation, import_terraform};
use meridian_iac::{ExportOptions, Format, export};
use meridian_model::catalog::Catalog;
use meridian_model::design::{Design, LinkKind, Service};
use meridian_model::{RegionId, ServiceKind};
use proptest::prelude::*;

/// A service as compared: kind, placement, count, instance type, engine.
fn service_sig(s: &Service) -> String {
    let sized = matches!(s.kind, ServiceKind::ElastiCache | ServiceKind::Aurora | ServiceKind::Rds);
    let it = if sized { meridian_model::sizing::instance_type(s).to_owned() } else { String::new() };
    let engine = match s.kind {
        ServiceKind::ElastiCache => meridian_model::sizing::cache_engine(s).to_owned(),
        _ => String::new(),
    };
    format!("{} {:?} x{} {it} {engine}", s.kind.as_str(), s.placement, s.config.count)
}

/// A health check as compared: interval and failure threshold.
fn hc(h: Option<&meridian_model::design::HealthCheck>) -> String {
    h.map_or_else(|| "none".to_owned(), |h| format!("{}/{}", h.interval, h.failure_threshold))
}

/// Whether the export writes no trace of a link, so no import can read it back: a dependency for
/// which `meridian_iac::calls::untraced` gives a reason (`iac_calls.rs` checks every pair). Such
/// links are left out of the expected design.
fn untraced(d: &Design, l: &meridian_model::design::Link) -> bool {
    let kind = |id| d.service(id).map(|s| s.kind);
    let same = d.region_of(&l.from) == d.region_of(&l.to);
    matches!(l.kind, LinkKind::Dependency(_))
        && kind(&l.from)
            .zip(kind(&l.to))
            .is_some_and(|(f, t)| meridian_iac::calls::untraced(f, t, same).is_some())
}

/// The multiset of service and link signatures of a design.
fn signature(d: &Design) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let sig =
        |id: &meridian_model::ServiceId| -> String { d.service(id).map(service_sig).unwrap_or_default() };
    for s in d.services() {
        *out.entry(format!("service {}", service_sig(s))).or_insert(0) += 1;
    }
    // A DynamoDB global table is one group of replicas, whichever links the design drew among
    // them: compared as the group.
    let ddb = |l: &&meridian_model::design::Link| {
        matches!(l.kind, LinkKind::Replication(_))
            && d.service(&l.from).is_some_and(|s| s.kind == ServiceKind::DynamoDb)
    };
    let mut group: BTreeMap<String, String> = BTreeMap::new();
    let find = |g: &BTreeMap<String, String>, mut x: String| {
        while let Some(p) = g.get(&x).filter(|p| **p != x) {
            x = p.clone();
        }
        x
    };
    for l in d.links().filter(ddb) {
        let (a, b) = (find(&group, l.from.to_string()), find(&group, l.to.to_string()));
        group.entry(a.clone()).or_insert_with(|| a.clone());
        group.insert(b, a);
    }
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in group.keys().cloned().collect::<Vec<_>>() {
        let root = find(&group, id.clone());
        tables.entry(root).or_default().push(sig(&meridian_model::ServiceId::new(id)));
    }
    for l in d.links().filter(ddb) {
        if let LinkKind::Replication(r) = &l.kind {
            let root = find(&group, l.from.to_string());
            if let Some(t) = tables.get_mut(&root) {
                t.push(format!("mode {:?}", r.mode));
            }
        }
    }
    for mut members in tables.into_values() {
        members.sort();
        members.dedup();
        *out.entry(format!("global table {members:?}")).or_insert(0) += 1;
    }
    for l in d.links().filter(|l| !untraced(d, l) && !ddb(l)) {
        let from_kind = d.service(&l.from).map(|s| s.kind);
        let lb = matches!(from_kind, Some(ServiceKind::Alb | ServiceKind::Nlb));
        let settings = match &l.kind {
            // CloudFront fails over an origin group on status codes: no health check in the code.
            LinkKind::Routing(r) if from_kind == Some(ServiceKind::CloudFront) => {
                format!("routing {:?}", r.policy)
            }
            // A load balancer forwards to a target group whether the design calls it routing or a
            // dependency; the group's health check is the routing link's.
            LinkKind::Routing(r) if lb => {
                format!("forward hc={}", hc(r.health_check.as_ref()))
            }
            LinkKind::Dependency(_) if lb => "forward".to_owned(),
            LinkKind::Routing(r) => format!(
                "routing {:?} hc={} ttl={}",
                r.policy,
                hc(r.health_check.as_ref()),
                r.ttl.map_or_else(|| "none".to_owned(), |t| t.to_string())
            ),
            LinkKind::Replication(r) => format!("replication {:?} rtc={}", r.mode, r.rtc),
            LinkKind::Backup(b) => format!("backup every={} keep={}", b.every, b.retention),
            LinkKind::Dependency(_) => "dependency".to_owned(),
        };
        *out.entry(format!("link {settings}: {} -> {}", sig(&l.from), sig(&l.to))).or_insert(0) += 1;
    }
    out
}

/// What one side has more of than the other.
fn difference(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, n) in a {
        let m = b.get(k).copied().unwrap_or(0);
        for _ in m..*n {
            out.push(k.clone());
        }
    }
    out
}

/// Exports `design` in `format` into a temporary folder and imports it back.
fn round_trip(design: &Design, format: Format) -> (Imported, tempfile::TempDir) {
    let catalog = Catalog::builtin().unwrap();
    let bundle = export(design, catalog, format, &ExportOptions::default()).unwrap();
    let dir = common::write(&bundle);
    let imported = common::import_back(&bundle, dir.path(), format);
    (imported, dir)
}

/// Checks the round trip of `design`; `known` lists the links the export writes no trace of.
fn check(name: &str, design: &Design, format: Format, known_missing: &[&str]) {
    let (imported, _dir) = round_trip(design, format);
    let (want, mut got) = (signature(design), signature(&imported.design));
    // A load balancer's dependency comes back as a route with the group's health check.
    for (k, n) in want.iter().filter(|(k, _)| k.starts_with("link forward: ")) {
        let tail = &k["link forward: ".len()..];
        let mut left = *n;
        let with_hc: Vec<String> =
            got.keys().filter(|g| g.starts_with("link forward hc=") && g.ends_with(tail)).cloned().collect();
        for g in with_hc {
            let take = got.get(&g).copied().unwrap_or(0).min(left);
            left -= take;
            if let Some(c) = got.get_mut(&g) {
                *c -= take;
            }
            *got.entry(k.clone()).or_insert(0) += take;
        }
    }
    got.retain(|_, n| *n > 0);
    let missing = difference(&want, &got);
    let extra = difference(&got, &want);
    let unexplained: Vec<&String> =
        missing.iter().filter(|m| !known_missing.iter().any(|k| m.contains(k))).collect();
    assert!(
        unexplained.is_empty() && extra.is_empty(),
        "{name} ({format:?}): missing {unexplained:#?}\nextra {extra:#?}\nskipped {:#?}",
        imported.skipped
    );
    assert_eq!(missing.len(), known_missing.len(), "{name} ({format:?}): known gaps changed: {missing:#?}");
    // The imported design is written and loads back through the model.
    let text = meridian_model::format::to_string(&imported.design, &imported.header("test")).unwrap();
    meridian_model::format::load_str(&text, Path::new("imported.ron"), Catalog::builtin().unwrap()).unwrap();
}

/// Links of the examples the export writes no trace of: a Network Load Balancer's target group
/// in front of an API Gateway (its IP targets are registered outside the template). The import
/// lists each such group as skipped.
const KNOWN: &[(&str, &[&str])] = &[(
    "active-active-3region-aurora",
    &["link forward hc=10s/3: nlb", "link forward hc=10s/3: nlb", "link forward hc=10s/3: nlb"],
)];

#[test]
fn every_example_round_trips_in_both_formats() {
    let catalog = Catalog::builtin().unwrap();
    for (name, path, _) in common::examples() {
        let design = meridian_model::format::load_file(&path, catalog).unwrap().design;
        let known = KNOWN.iter().find(|(n, _)| *n == name).map_or(&[][..], |(_, k)| k);
        for format in [Format::CloudFormation, Format::Terraform] {
            check(&name, &design, format, known);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn generated_designs_round_trip(services in 4usize..28, regions in 1usize..4, terraform in any::<bool>()) {
        let catalog = Catalog::builtin().unwrap();
        let design = meridian_model::synth::generate(catalog, services, regions).unwrap();
        let format = if terraform { Format::Terraform } else { Format::CloudFormation };
        check(&format!("generated {services}/{regions}"), &design, format, &[]);
    }
}

fn fixture(path: &str) -> PathBuf {
    common::root().join("iac/tests/import").join(path)
}

fn skipped_text(i: &Imported) -> String {
    use std::fmt::Write as _;
    i.skipped.iter().fold(String::new(), |mut out, s| {
        let _ = writeln!(out, "{}: {}", s.address, s.reason);
        out
    })
}

#[test]
fn cloudformation_sample_shapes_import_with_what_is_unresolved_listed() {
    let catalog = Catalog::builtin().unwrap();
    let region = RegionId::new("eu-west-1");
    let i = import_cloudformation(&[fixture("cfn/web-stack.yaml")], Some(&region), catalog).unwrap();
    let d = &i.design;
    let kinds: Vec<&str> = d.services().map(|s| s.kind.as_str()).collect();
    let skipped = skipped_text(&i);
    // Mappings + FindInMap give the instance type; the parameter's default gives the count.
    let asg = d
        .services()
        .find(|s| s.kind == ServiceKind::Ec2Asg)
        .unwrap_or_else(|| panic!("an ASG in {kinds:?}\n{skipped}"));
    assert_eq!(asg.config.count, 3, "{skipped}");
    assert_eq!(asg.config.instance_type.as_deref(), Some("m7g.large"));
    // The nested stack's database (local TemplateURL) is read, with its own parameters.
    let db = d.services().find(|s| s.kind == ServiceKind::Rds).expect("the nested stack's database");
    assert_eq!(db.config.instance_type.as_deref(), Some("db.r6g.large"));
    // Fn::If on a condition that holds (a parameter's default) keeps the Multi-AZ cache's count.
    let cache = d.services().find(|s| s.kind == ServiceKind::ElastiCache).expect("the cache");
    assert_eq!(cache.config.count, 2);
    // The load balancer routes to the group through its listener, with the group's health check.
    let alb = d.services().find(|s| s.kind == ServiceKind::Alb).unwrap();
    let route = d.links_from(&alb.id).find(|l| l.to == asg.id).expect("ALB routes to the ASG");
    let LinkKind::Routing(r) = &route.kind else { panic!("not routing") };
    assert_eq!(r.health_check.as_ref().map(|h| h.failure_threshold), Some(5));
    // Not understood: listed with the reason, never dropped.
    assert!(skipped.contains("AWS::WAFv2::WebACL is not a service kind"), "{skipped}");
    assert!(
        skipped.contains("AlertTopic: condition HasAlertEmail cannot be decided statically"),
        "{skipped}"
    );
    assert!(skipped.contains("https://"), "{skipped}");
    assert!(d.region(&region).is_some());
}

#[test]
fn terraform_module_shapes_import_with_what_is_unresolved_listed() {
    let catalog = Catalog::builtin().unwrap();
    let i = import_terraform(&fixture("tf"), catalog).unwrap();
    let d = &i.design;
    let skipped = skipped_text(&i);
    let regions: Vec<String> = d.regions().map(|r| r.id.to_string()).collect();
    assert_eq!(regions, ["eu-central-1", "eu-west-1"], "{skipped}");
    // count = 2 over a literal: two queues; for_each over a map: one bucket per key, and the replica.
    assert_eq!(d.services().filter(|s| s.kind == ServiceKind::Sqs).count(), 2, "{skipped}");
    assert_eq!(d.services().filter(|s| s.kind == ServiceKind::S3).count(), 3, "{skipped}");
    // The local module's service, in the region of the provider passed to it, sized from a variable default.
    let svc = d.services().find(|s| s.kind == ServiceKind::EcsFargate).expect("the module's ECS service");
    assert_eq!(svc.placement.region().map(RegionId::as_str), Some("eu-central-1"));
    assert_eq!(svc.config.count, 4);
    // S3 replication from a for_each bucket to the replica in the other region, with RTC.
    assert!(d.links().any(|l| matches!(&l.kind, LinkKind::Replication(r) if r.rtc)), "{skipped}");
    // Listed: a registry module, for_each over a data source, an unknown resource type.
    assert!(
        skipped.contains("module.vpc: module source `terraform-aws-modules/vpc/aws` is not a local path"),
        "{skipped}"
    );
    assert!(
        skipped.contains("aws_sqs_queue.per_az: for_each over a value not known statically"),
        "{skipped}"
    );
    assert!(
        skipped.contains("aws_wafv2_web_acl.edge: resource type aws_wafv2_web_acl is not a service kind"),
        "{skipped}"
    );
}

#[test]
fn a_broken_template_is_an_error_naming_file_and_line() {
    let catalog = Catalog::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.yaml");
    std::fs::write(&p, "Resources:\n  A:\n    Type: [unclosed\n").unwrap();
    let e = import_cloudformation(&[p], None, catalog).unwrap_err().to_string();
    assert!(e.contains("bad.yaml:"), "{e}");
}

#[test]
fn module_count_for_each_and_dynamic_blocks_expand_where_static() {
    let catalog = Catalog::builtin().unwrap();
    let i = import_terraform(&fixture("tf-modules"), catalog).unwrap();
    let d = &i.design;
    let skipped = skipped_text(&i);
    // Two module calls from for_each over a literal set, two from count over a variable's default.
    assert_eq!(d.services().filter(|s| s.kind == ServiceKind::Sqs).count(), 4, "{skipped}");
    // The table's dynamic replicas: a copy in each replica region, replicated from the table.
    let mut tables: Vec<String> = d
        .services()
        .filter(|s| s.kind == ServiceKind::DynamoDb)
        .filter_map(|s| s.placement.region().map(ToString::to_string))
        .collect();
    tables.sort();
    assert_eq!(tables, ["eu-central-1", "eu-north-1", "eu-west-1"], "{skipped}");
    assert_eq!(d.links().filter(|l| matches!(l.kind, LinkKind::Replication(_))).count(), 2, "{skipped}");
    // What is not static is listed by address, with why.
    assert!(
        skipped.contains("module.per_subscriber: for_each over a value not known statically"),
        "{skipped}"
    );
    assert!(
        skipped.contains("aws_security_group.web: dynamic block egress not expanded: for_each over a value not known statically"),
        "{skipped}"
    );
    assert!(!skipped.contains("dynamic block ingress"), "{skipped}");
    assert!(!skipped.contains("module.queue"), "{skipped}");
}
