//! Data-law compliance on hand-built designs: each rule kind, each shipped pack, propagation
//! through every link kind, waivers, replication constraints for the export, and the dynamic
//! check on hand-built simulator records.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::path::Path;

use meridian_model::compliance::{
    Level, Policy, RuleKindTag, ScenarioRecord, ServedInterval, check_dynamic, check_static, data_reach,
    replication_constraints,
};
use meridian_model::design::{EntityRef, Waiver};
use meridian_model::time::TimeSpan;
use meridian_model::{Catalog, Command, Design, Editor, LinkId, PopulationId, RegionId, ServiceId, format};

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

/// EU users behind Route 53 failover (primary Ireland, secondary Virginia). The Irish API writes
/// to a DynamoDB table replicated to Virginia, backed up to a vault in Virginia, and to an S3
/// bucket replicated to Virginia and served through CloudFront; the Virginian API reads an
/// ElastiCache cluster in Frankfurt. `EXTRA` is spliced into the services list.
const LAB: &str = r#"Design(version: 1, name: "lab",
    regions: [
        Region(id: "eu-central-1", azs: ["euc1-az1"]),
        Region(id: "eu-west-1", azs: ["euw1-az1"]),
        Region(id: "us-east-1", azs: ["use1-az1"]),
    ],
    services: [
        Service(id: "dns", name: "dns", kind: "route53", placement: Global, config: ServiceConfig(count: 1)),
        Service(id: "cdn", name: "cdn", kind: "cloudfront", placement: Global, config: ServiceConfig(count: 1)),
        Service(id: "alb-euw1", name: "a", kind: "alb", placement: Region("eu-west-1"), config: ServiceConfig(count: 1)),
        Service(id: "alb-use1", name: "a", kind: "alb", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "api-euw1", name: "a", kind: "ecs-fargate", placement: Region("eu-west-1"), config: ServiceConfig(count: 1)),
        Service(id: "api-use1", name: "a", kind: "ecs-fargate", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "db-euw1", name: "d", kind: "dynamodb", placement: Region("eu-west-1"), config: ServiceConfig(count: 1)),
        Service(id: "db-use1", name: "d", kind: "dynamodb", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "vault-use1", name: "v", kind: "aws-backup", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "bucket-euw1", name: "b", kind: "s3", placement: Region("eu-west-1"), config: ServiceConfig(count: 1)),
        Service(id: "bucket-use1", name: "b", kind: "s3", placement: Region("us-east-1"), config: ServiceConfig(count: 1)),
        Service(id: "cache-euc1", name: "c", kind: "elasticache", placement: Region("eu-central-1"), config: ServiceConfig(count: 1 CACHE_CONFIG)),
    ],
    links: [
        Link(id: "dns-euw1", from: "dns", to: "alb-euw1", kind: Routing(policy: Failover(role: Primary))),
        Link(id: "dns-use1", from: "dns", to: "alb-use1", kind: Routing(policy: Failover(role: Secondary))),
        Link(id: "lb-euw1", from: "alb-euw1", to: "api-euw1", kind: Routing(policy: Weighted(weight: 1))),
        Link(id: "lb-use1", from: "alb-use1", to: "api-use1", kind: Routing(policy: Weighted(weight: 1))),
        Link(id: "api-db", from: "api-euw1", to: "db-euw1", kind: Dependency(calls_per_request: 1.0, required: true)),
        Link(id: "api-bucket", from: "api-euw1", to: "bucket-euw1", kind: Dependency(calls_per_request: 1.0, required: true)),
        Link(id: "api-use1-cache", from: "api-use1", to: "cache-euc1", kind: Dependency(calls_per_request: 1.0, required: true)),
        Link(id: "db-repl", from: "db-euw1", to: "db-use1", kind: Replication(mode: Async)),
        Link(id: "db-backup", from: "db-euw1", to: "vault-use1", kind: Backup(every: "1h", retention: "7d", restore_time: "1h")),
        Link(id: "bucket-repl", from: "bucket-euw1", to: "bucket-use1", kind: Replication(mode: Async)),
        Link(id: "cdn-origin", from: "cdn", to: "bucket-euw1", kind: Routing(policy: Failover(role: Primary))),
    ],
    populations: [
        Population(id: "eu-users", name: "EU", location: (lat: 50.0, lon: 8.0), COUNTRY continent: Europe,
            requests_per_sec: 100.0, write_fraction: 0.5, request_kb: 1.0, response_kb: 1.0,
            data_classes: ["personal:EU"], entry: "dns"),
    ],
    WAIVERS
)"#;

fn lab(country: &str, cache_config: &str, waivers: &str) -> Design {
    let text =
        LAB.replace("COUNTRY", country).replace(" CACHE_CONFIG", cache_config).replace("WAIVERS", waivers);
    format::load_str(&text, Path::new("lab.ron"), catalog()).unwrap().design
}

fn policy(rules: &str) -> Policy {
    let text = format!(r#"Policy(id: "t", name: "test", rules: [{rules}])"#);
    Policy::from_str(&text, Path::new("t.ron")).unwrap()
}

fn offenders(design: &Design, p: &Policy, level: Level) -> Vec<String> {
    check_static(design, catalog(), std::slice::from_ref(p))
        .findings
        .iter()
        .filter(|f| f.level == level)
        .map(|f| f.entity.to_string())
        .collect()
}

#[test]
fn residency_follows_every_link_kind() {
    let d = lab("", "", "");
    let p = policy(
        r#"Rule(id: "r", description: "d", kind: Residency(classes: ["personal:EU"], allowed: In(["EEA"])))"#,
    );
    let report = check_static(&d, catalog(), std::slice::from_ref(&p));
    let by_entity =
        |id: &str| report.findings.iter().find(|f| f.entity == EntityRef::Service(ServiceId::new(id)));
    // Replication, backup, S3 replication, the CDN filled from its origin, and a dependency
    // reached over the failover route: every store outside the EEA is found, nothing inside.
    let mut offending: Vec<String> = report.findings.iter().map(|f| f.entity.to_string()).collect();
    offending.sort();
    assert_eq!(
        offending,
        ["service bucket-use1", "service cdn", "service db-use1", "service vault-use1"],
        "{report:#?}"
    );
    let db = by_entity("db-use1").unwrap();
    assert_eq!(db.kind, RuleKindTag::Residency);
    assert_eq!(db.crossing, Some(LinkId::new("db-repl")));
    assert_eq!(db.region, Some(RegionId::new("us-east-1")));
    assert_eq!(
        db.path.render(),
        "population eu-users -[entry]-> dns (global) -[routing dns-euw1]-> alb-euw1 (eu-west-1) \
         -[routing lb-euw1]-> api-euw1 (eu-west-1) -[dependency api-db]-> db-euw1 (eu-west-1) \
         -[replication db-repl]-> db-use1 (us-east-1)"
    );
    assert_eq!(by_entity("vault-use1").unwrap().path.last_link().unwrap().0.as_str(), "db-backup");
    assert_eq!(by_entity("bucket-use1").unwrap().crossing, Some(LinkId::new("bucket-repl")));
    let cdn = by_entity("cdn").unwrap();
    assert!(
        cdn.path.render().ends_with("-[routing cdn-origin, reverse]-> cdn (global)"),
        "{}",
        cdn.path.render()
    );
    assert!(cdn.message.contains("global service"));
    // The Frankfurt cache is reached only over the failover route to Virginia and back: in the EEA, fine.
    assert!(by_entity("cache-euc1").is_none());
    assert!(!report.is_clean());
}

#[test]
fn data_reach_for_map_hover_lists_every_service_with_its_path() {
    let d = lab("", "", "");
    let reach = data_reach(&d, catalog(), &PopulationId::new("eu-users"));
    let eu = &reach["personal:EU"];
    for s in [
        "dns",
        "alb-euw1",
        "api-euw1",
        "db-euw1",
        "db-use1",
        "vault-use1",
        "bucket-use1",
        "cdn",
        "cache-euc1",
    ] {
        assert!(eu.contains_key(&ServiceId::new(s)), "{s} missing from {:?}", eu.keys().collect::<Vec<_>>());
    }
    // The Frankfurt cache is reached over the secondary route, through Virginia.
    assert!(eu[&ServiceId::new("cache-euc1")].render().contains("dns-use1"));
    assert!(data_reach(&d, catalog(), &PopulationId::new("nobody")).is_empty());
}

#[test]
fn transfer_needs_a_basis_and_names_conditions() {
    let d = lab("", "", "");
    let adequacy_only = policy(
        r#"Rule(id: "t", description: "d", kind: Transfer(classes: ["personal:*"], within: ["EEA"], accept: [Adequacy]))"#,
    );
    let v = offenders(&d, &adequacy_only, Level::Violation);
    assert!(v.contains(&"service db-use1".to_owned()) && v.contains(&"service alb-use1".to_owned()), "{v:?}");
    assert!(v.contains(&"service cdn".to_owned()), "a CDN keeps data at edges worldwide: {v:?}");
    let with_dpf = policy(
        r#"Rule(id: "t", description: "d", kind: Transfer(classes: ["personal:*"], within: ["EEA"], accept: [Adequacy, Framework]))"#,
    );
    let v = offenders(&d, &with_dpf, Level::Violation);
    assert_eq!(v, ["service cdn"]);
    let notices = check_static(&d, catalog(), std::slice::from_ref(&with_dpf));
    let n =
        notices.findings.iter().find(|f| f.entity == EntityRef::Service(ServiceId::new("db-use1"))).unwrap();
    assert_eq!(n.level, Level::Notice);
    assert!(n.message.contains("certified"), "{}", n.message);
    // Frankfurt is in the EEA: moving from the US back into the EU is no transfer out.
    assert!(!notices.findings.iter().any(|f| f.entity == EntityRef::Service(ServiceId::new("cache-euc1"))));
}

#[test]
fn encryption_rule_flags_unencrypted_services_the_data_reaches() {
    let p = policy(
        r#"Rule(id: "e", description: "d", kind: Encryption(classes: ["personal:EU"], at_rest: true, in_transit: true))"#,
    );
    assert!(offenders(&lab("", "", ""), &p, Level::Violation).is_empty(), "encrypted by default");
    let d = lab("", ", encryption_at_rest: false, encryption_in_transit: false", "");
    assert_eq!(offenders(&d, &p, Level::Violation), ["service cache-euc1"]);
    let report = check_static(&d, catalog(), std::slice::from_ref(&p));
    assert!(
        report.findings[0].message.contains("at rest") && report.findings[0].message.contains("in transit")
    );
    let rest_only = policy(
        r#"Rule(id: "e", description: "d", kind: Encryption(classes: ["personal:EU"], at_rest: false, in_transit: true))"#,
    );
    let d = lab("", ", encryption_at_rest: false", "");
    assert!(offenders(&d, &rest_only, Level::Violation).is_empty());
}

#[test]
fn routing_rule_separates_normal_operation_from_failover() {
    let d = lab("", "", "");
    let normal = policy(
        r#"Rule(id: "n", description: "d", kind: Routing(classes: ["personal:EU"], allowed: In(["EEA"]), during_failover: false))"#,
    );
    assert!(offenders(&d, &normal, Level::Violation).is_empty());
    let failover = policy(
        r#"Rule(id: "f", description: "d", kind: Routing(populations: ["eu-users"], allowed: In(["EEA"]), during_failover: true))"#,
    );
    let report = check_static(&d, catalog(), std::slice::from_ref(&failover));
    let v: Vec<_> = report.failures().collect();
    assert_eq!(v.len(), 1, "{report:#?}");
    assert_eq!(v[0].entity, EntityRef::Link(LinkId::new("dns-use1")));
    assert!(v[0].message.contains("during failover"));
}

#[test]
fn backups_and_logs_rule_looks_only_at_backups_and_logs() {
    let d = lab("", "", "");
    let p = policy(
        r#"Rule(id: "b", description: "d", kind: BackupsAndLogs(classes: ["personal:EU"], allowed: In(["EU"])))"#,
    );
    assert_eq!(offenders(&d, &p, Level::Violation), ["service vault-use1"]);
}

#[test]
fn inventory_rule_wants_every_store_to_declare_the_class() {
    let d = lab("", "", "");
    let p = policy(r#"Rule(id: "i", description: "d", kind: Inventory(classes: ["personal:EU"]))"#);
    let v = offenders(&d, &p, Level::Violation);
    assert!(
        v.contains(&"service db-euw1".to_owned()) && v.contains(&"service vault-use1".to_owned()),
        "{v:?}"
    );
    let report = check_static(&d, catalog(), std::slice::from_ref(&p));
    let list = report.findings.iter().find(|f| f.level == Level::Notice).unwrap();
    assert!(list.message.contains("us-east-1 (bucket-use1, db-use1, vault-use1)"), "{}", list.message);
}

#[test]
fn home_country_comes_from_the_population() {
    let p = policy(
        r#"Rule(id: "c", description: "d", kind: Residency(classes: ["personal:*"], allowed: HomeCountry))"#,
    );
    // Without a country the home of `personal:EU` is unknown: a notice, not a pass or a violation.
    let d = lab("", "", "");
    assert!(offenders(&d, &p, Level::Violation).is_empty());
    assert_eq!(offenders(&d, &p, Level::Notice), ["population eu-users"]);
    // Irish users: everything outside Ireland is flagged, Ireland itself is fine.
    let d = lab(r#"country: "IE","#, "", "");
    let v = offenders(&d, &p, Level::Violation);
    assert!(v.contains(&"service db-use1".to_owned()) && !v.contains(&"service db-euw1".to_owned()), "{v:?}");
    let home_j = policy(
        r#"Rule(id: "j", description: "d", kind: Residency(classes: ["personal:*"], allowed: HomeJurisdiction))"#,
    );
    assert!(!offenders(&d, &home_j, Level::Violation).contains(&"service cache-euc1".to_owned()));
}

#[test]
fn shipped_packs_give_the_expected_verdicts_on_the_lab() {
    let d = lab("", "", "");
    let verdict = |name: &str| {
        let p = Policy::pack(name).unwrap().unwrap();
        let r = check_static(&d, catalog(), &[p]);
        (r.failures().count(), r.findings.iter().filter(|f| f.level == Level::Notice).count())
    };
    // gdpr-strict: four stores outside the EEA plus the failover route.
    assert_eq!(verdict("gdpr-strict"), (5, 0));
    // gdpr-adequacy: only the CDN has no basis; the US stores rely on the DPF (notices).
    let (v, n) = verdict("gdpr-adequacy");
    assert_eq!(v, 1);
    assert!(n >= 3);
    // data-sovereignty: no country on the population, so only notices.
    let (v, n) = verdict("data-sovereignty");
    assert_eq!((v, n > 0), (0, true));
    // ccpa: no US data in the lab, nothing to say.
    assert_eq!(verdict("ccpa"), (0, 0));
}

#[test]
fn waivers_accept_findings_are_reported_and_undo_with_their_entity() {
    let waivers = r#"waivers: [Waiver(rule: "t/r", entity: Service("db-use1"), justification: "SCCs signed 2026-01-10, DPO approval #12")],"#;
    let d = lab("", "", waivers);
    let p = policy(
        r#"Rule(id: "r", description: "d", kind: Residency(classes: ["personal:EU"], allowed: In(["EEA"])))"#,
    );
    let report = check_static(&d, catalog(), std::slice::from_ref(&p));
    let db =
        report.findings.iter().find(|f| f.entity == EntityRef::Service(ServiceId::new("db-use1"))).unwrap();
    assert!(!db.fails());
    assert!(db.waiver.as_ref().unwrap().justification.contains("SCCs"));
    assert_eq!(report.waivers.len(), 1);
    assert_eq!(report.unused_waivers().count(), 0);
    assert_eq!(report.failures().count(), 3);

    // Waivers round-trip through the file and go with their entity, and undo brings both back.
    let text = format::to_string(&d, "").unwrap();
    assert!(text.contains("waivers: ["));
    assert_eq!(format::load_str(&text, Path::new("x.ron"), catalog()).unwrap().design, d);
    let mut ed = Editor::new(d.clone());
    ed.apply(catalog(), Command::RemoveService(ServiceId::new("db-use1"))).unwrap();
    assert_eq!(ed.design().waivers().len(), 0);
    ed.undo(catalog()).unwrap();
    assert_eq!(ed.design(), &d);

    // Waivers change only through commands, which check them.
    let mut ed = Editor::new(d.clone());
    let w = |rule: &str, id: &str, why: &str| Waiver {
        rule: rule.into(),
        entity: EntityRef::Service(ServiceId::new(id)),
        justification: why.into(),
    };
    assert!(ed.apply(catalog(), Command::AddWaiver(w("t/r", "nope", "x"))).is_err());
    assert!(ed.apply(catalog(), Command::AddWaiver(w("no-slash", "db-euw1", "x"))).is_err());
    assert!(ed.apply(catalog(), Command::AddWaiver(w("t/r", "db-euw1", "  "))).is_err());
    assert!(ed.apply(catalog(), Command::AddWaiver(w("t/r", "db-use1", "again"))).is_err());
    ed.apply(catalog(), Command::UpdateWaiver(w("t/r", "db-use1", "new reason"))).unwrap();
    assert_eq!(ed.design().waivers().next().unwrap().justification, "new reason");
    ed.undo(catalog()).unwrap();
    assert_eq!(ed.design(), &d);

    // A bad waiver in a file points at its line.
    let bad =
        lab_text_error(r#"waivers: [Waiver(rule: "t/r", entity: Service("ghost"), justification: "x")],"#);
    assert_eq!(bad.field.as_deref(), Some("waivers[0].entity"), "{bad}");
}

fn lab_text_error(waivers: &str) -> format::LoadError {
    let text = LAB.replace("COUNTRY", "").replace(" CACHE_CONFIG", "").replace("WAIVERS", waivers);
    format::load_str(&text, Path::new("lab.ron"), catalog()).unwrap_err()
}

#[test]
fn replication_constraints_tell_the_export_what_not_to_replicate() {
    let d = lab("", "", "");
    let strict = Policy::pack("gdpr-strict").unwrap().unwrap();
    let c = replication_constraints(&d, catalog(), &[strict]);
    let bucket = c.iter().find(|c| c.service.as_str() == "bucket-euw1").unwrap();
    assert_eq!(bucket.supersedes, ["CKV_AWS_144"]);
    assert_eq!(bucket.crossing_links, [LinkId::new("bucket-repl")]);
    assert!(bucket.allowed.contains(&"EU".to_owned()) && !bucket.allowed.contains(&"US".to_owned()));
    assert!(bucket.reason.contains("wins over CKV_AWS_144"), "{}", bucket.reason);
    let db = c.iter().find(|c| c.service.as_str() == "db-euw1").unwrap();
    assert!(db.supersedes.is_empty());
    assert_eq!(db.crossing_links, [LinkId::new("db-backup"), LinkId::new("db-repl")]);
    assert!(
        !c.iter().any(|c| c.service.as_str() == "db-use1"),
        "stores already outside are violations, not constraints"
    );
}

fn interval(region: &str, start_min: u64, end_min: u64, requests: u64, writes: u64) -> ServedInterval {
    ServedInterval {
        population: PopulationId::new("eu-users"),
        region: RegionId::new(region),
        start: TimeSpan::from_secs(start_min * 60),
        end: TimeSpan::from_secs(end_min * 60),
        requests,
        writes,
    }
}

#[test]
fn dynamic_check_counts_minutes_requests_and_writes_per_scenario() {
    let d = lab("", "", "");
    let strict = Policy::pack("gdpr-strict").unwrap().unwrap();
    let records = vec![
        ScenarioRecord {
            scenario: "normal".into(),
            served: vec![interval("eu-west-1", 0, 60, 360_000, 180_000)],
        },
        ScenarioRecord {
            scenario: "region-outage:eu-west-1".into(),
            served: vec![
                interval("eu-west-1", 0, 10, 60_000, 30_000),
                // Route 53 fails over to Virginia for 12 minutes, in two overlapping records.
                interval("us-east-1", 10, 20, 60_000, 30_000),
                interval("us-east-1", 15, 22, 1_000, 0),
                interval("eu-west-1", 22, 60, 228_000, 114_000),
            ],
        },
    ];
    let report = check_dynamic(&d, catalog(), &[strict], &records).unwrap();
    assert!(!report.is_clean());
    assert!(report.violations.iter().all(|v| v.scenario == "region-outage:eu-west-1"), "{report:#?}");
    let routing = report.violations.iter().find(|v| v.kind == RuleKindTag::Routing).unwrap();
    assert_eq!((routing.requests, routing.writes), (61_000, 30_000));
    assert!((routing.minutes - 12.0).abs() < 1e-9, "{}", routing.minutes);
    assert_eq!(routing.region.as_str(), "us-east-1");
    let residency = report.violations.iter().find(|v| v.kind == RuleKindTag::Residency).unwrap();
    // Only the interval with writes counts for residency.
    assert!((residency.minutes - 10.0).abs() < 1e-9);
    assert_eq!(residency.writes, 30_000);
    assert_eq!(report.violations.len(), 2);

    // The adequacy pack accepts the US under the DPF; a region with no basis is a violation.
    let adequacy = Policy::pack("gdpr-adequacy").unwrap().unwrap();
    assert!(check_dynamic(&d, catalog(), std::slice::from_ref(&adequacy), &records).unwrap().is_clean());
    let sg =
        vec![ScenarioRecord { scenario: "s".into(), served: vec![interval("ap-southeast-1", 0, 5, 10, 1)] }];
    let r = check_dynamic(&d, catalog(), std::slice::from_ref(&adequacy), &sg).unwrap();
    assert_eq!(r.violations.len(), 1);
    assert_eq!(r.violations[0].kind, RuleKindTag::Transfer);

    // A waiver on the population accepts it; records that do not fit the design are refused.
    let waived = lab(
        "",
        "",
        r#"waivers: [Waiver(rule: "gdpr-adequacy/eu-transfers", entity: Population("eu-users"), justification: "BCRs")],"#,
    );
    assert!(check_dynamic(&waived, catalog(), std::slice::from_ref(&adequacy), &sg).unwrap().is_clean());
    let mut bad = sg.clone();
    bad[0].served[0].population = PopulationId::new("ghosts");
    let err = check_dynamic(&d, catalog(), &[adequacy], &bad).unwrap_err();
    assert!(err.to_string().contains("served[0]") && err.to_string().contains("ghosts"), "{err}");

    // The record is plain serde data the simulator can write and tests can read.
    let json = serde_json_roundtrip(&records);
    assert_eq!(json, records);
}

fn serde_json_roundtrip(records: &[ScenarioRecord]) -> Vec<ScenarioRecord> {
    let text = ron::to_string(records).unwrap();
    ron::from_str(&text).unwrap()
}
