//! Unit tests of the editing rules: each builds commands on a small design and applies them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)] // Tests fail loudly on purpose.

use std::collections::BTreeSet;

use super::*;
use crate::command::apply;
use crate::design::{EntityRef, LinkKind, RoutingPolicy};
use crate::geo::Continent;
use crate::ids::LinkId;
use crate::time::TimeSpan;

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

fn run(design: &mut Design, cmd: Command) {
    apply(design, catalog(), cmd).unwrap();
}

/// Two regions with a router, load balancers, containers, tables and a vault.
fn design() -> Design {
    let c = catalog();
    let mut d = Design::new("test");
    for code in ["us-east-1", "eu-west-1"] {
        run(&mut d, add_region(c, code).unwrap());
    }
    let use1 = RegionId::new("us-east-1");
    let euw1 = RegionId::new("eu-west-1");
    for (kind, region) in [
        (ServiceKind::Route53, None),
        (ServiceKind::GlobalAccelerator, None),
        (ServiceKind::Alb, Some(&use1)),
        (ServiceKind::EcsFargate, Some(&use1)),
        (ServiceKind::DynamoDb, Some(&use1)),
        (ServiceKind::DynamoDb, Some(&euw1)),
        (ServiceKind::AwsBackup, Some(&euw1)),
        (ServiceKind::S3, Some(&use1)),
    ] {
        let (cmd, _) = add_service(&d, c, kind, region).unwrap();
        run(&mut d, cmd);
    }
    d
}

/// Applies the link a drag from `from` to `to` makes.
fn join(d: &mut Design, from: &str, to: &str) {
    let cmd = connect(d, catalog(), &id(from), &id(to)).unwrap();
    run(d, cmd);
}

fn id(s: &str) -> ServiceId {
    ServiceId::new(s)
}

#[test]
fn unique_ids_count_up_from_two() {
    assert_eq!(unique_id("api", |_| false), "api");
    let taken = ["api", "api-2"];
    assert_eq!(unique_id("api", |c| taken.contains(&c)), "api-3");
}

#[test]
fn a_new_service_is_named_after_its_kind_and_region() {
    let d = design();
    let s = d.service(&id("ecs-fargate-use1")).expect("id from the kind and the first AZ's prefix");
    assert_eq!(s.name, "ECS Fargate (Northern Virginia)");
    assert_eq!(s.config.count, 2, "capacity scales with a count");
    let table = d.service(&id("dynamodb-euw1")).unwrap();
    assert_eq!(table.config.count, 1, "no capacity per unit");
    let dns = d.service(&id("route53-global")).unwrap();
    assert_eq!((dns.name.as_str(), &dns.placement), ("Route 53", &Placement::Global));
    let again =
        new_service(&d, catalog(), ServiceKind::DynamoDb, Placement::Region(RegionId::new("eu-west-1")));
    assert_eq!(again.id, id("dynamodb-euw1-2"), "ids stay unique");
}

#[test]
fn a_regional_kind_needs_a_region_and_a_global_one_ignores_it() {
    let d = design();
    let err = add_service(&d, catalog(), ServiceKind::Alb, None).unwrap_err();
    assert_eq!(err, EditError::NeedsRegion { short: "ALB".into() });
    let (cmd, new) =
        add_service(&d, catalog(), ServiceKind::CloudFront, Some(&RegionId::new("us-east-1"))).unwrap();
    let Command::AddService(s) = cmd else { panic!("an AddService command") };
    assert_eq!((s.id, s.placement), (new, Placement::Global));
}

#[test]
fn a_new_region_takes_its_first_three_azs() {
    let Command::AddRegion(r) = add_region(catalog(), "us-east-1").unwrap() else { panic!() };
    assert_eq!(r.azs, ["use1-az1", "use1-az2", "use1-az3"]);
    assert_eq!(add_region(catalog(), "eu-wset-1").unwrap_err(), EditError::UnknownRegion("eu-wset-1".into()));
}

#[test]
fn a_new_population_takes_the_continent_of_its_place_and_enters_at_a_router() {
    let mut d = design();
    let (cmd, first) = add_population(&d, catalog(), GeoPoint { lat: 50.1, lon: 8.7 });
    run(&mut d, cmd);
    let p = d.population(&first).unwrap();
    assert_eq!(first.as_str(), "users");
    assert_eq!((p.continent, p.name.as_str()), (Continent::Europe, "Users (Europe)"));
    assert_eq!(p.entry, Some(id("global-accelerator-global")), "the first global router, by id");
    assert_eq!(p.requests_per_sec, POPULATION_REQUESTS_PER_SEC);
    let (cmd, second) = add_population(&d, catalog(), GeoPoint { lat: -33.9, lon: 151.2 });
    run(&mut d, cmd);
    assert_eq!(second.as_str(), "users-2");
    assert_eq!(d.population(&second).unwrap().continent, Continent::Oceania);
    let (Command::AddPopulation(p), _) =
        add_population(&Design::new("empty"), catalog(), GeoPoint { lat: 0.0, lon: 0.0 })
    else {
        panic!()
    };
    assert_eq!(p.entry, None, "nothing to enter at");
}

#[test]
fn a_route_is_health_checked_with_the_catalogs_defaults() {
    let mut d = design();
    join(&mut d, "route53-global", "alb-use1");
    let l = d.link(&LinkId::new("route53-global-to-alb-use1")).unwrap();
    let LinkKind::Routing(r) = &l.kind else { panic!("routing from a router: {l:?}") };
    let defaults = catalog().defaults();
    let hc = r.health_check.as_ref().unwrap();
    assert_eq!(hc.interval, defaults.health_check_interval.value);
    assert_eq!(hc.interval, TimeSpan::from_secs(30), "Route 53's default request interval");
    assert_eq!(hc.failure_threshold, 3);
    assert_eq!(r.ttl, Some(defaults.dns_ttl.value), "DNS routers have a TTL");
    assert_eq!(r.policy, RoutingPolicy::Latency);
    join(&mut d, "global-accelerator-global", "alb-use1");
    let l = d.link(&LinkId::new("global-accelerator-global-to-alb-use1")).unwrap();
    let LinkKind::Routing(r) = &l.kind else { panic!() };
    assert_eq!(r.ttl, None, "anycast has no TTL");
    assert_eq!(r.health_check, Some(default_health_check(catalog())));
}

#[test]
fn stores_back_up_into_vaults_replicate_to_their_family_and_the_rest_depends() {
    let mut d = design();
    let kind_of = |d: &Design, from: &str, to: &str| {
        d.link(&LinkId::new(format!("{from}-to-{to}"))).map(|l| l.kind.clone()).unwrap()
    };
    for (from, to) in [
        ("dynamodb-euw1", "aws-backup-euw1"),
        ("dynamodb-use1", "dynamodb-euw1"),
        ("ecs-fargate-use1", "dynamodb-use1"),
    ] {
        join(&mut d, from, to);
    }
    let LinkKind::Backup(b) = kind_of(&d, "dynamodb-euw1", "aws-backup-euw1") else { panic!() };
    assert_eq!(b, default_backup(catalog()));
    // The restore time is derived from the store's kind and size (issue 14), not a fixed default.
    assert_eq!(
        (b.every, b.retention, b.restore_time),
        (TimeSpan::HOUR, TimeSpan::from_secs(35 * 86_400), None)
    );
    assert!(matches!(kind_of(&d, "dynamodb-use1", "dynamodb-euw1"), LinkKind::Replication(_)));
    assert!(matches!(kind_of(&d, "ecs-fargate-use1", "dynamodb-use1"), LinkKind::Dependency(_)));
    // A second drag between the same services gets a fresh id (the model then refuses a duplicate).
    let Command::AddLink(l) = connect(&d, catalog(), &id("ecs-fargate-use1"), &id("dynamodb-use1")).unwrap()
    else {
        panic!()
    };
    assert_eq!(l.id.as_str(), "ecs-fargate-use1-to-dynamodb-use1-2");
    assert_eq!(connect(&d, catalog(), &id("nope"), &id("alb-use1")).unwrap_err(), EditError::NotServices);
}

#[test]
fn delete_removes_links_before_their_services_and_services_before_regions() {
    let mut d = design();
    join(&mut d, "ecs-fargate-use1", "dynamodb-use1");
    let link = LinkId::new("ecs-fargate-use1-to-dynamodb-use1");
    let selection = BTreeSet::from([
        EntityRef::Region(RegionId::new("us-east-1")),
        EntityRef::Service(id("dynamodb-use1")),
        EntityRef::Link(link.clone()),
    ]);
    let Some(Command::Batch(cmds)) = delete(&d, &selection) else { panic!() };
    assert_eq!(
        cmds,
        [
            Command::RemoveLink(link),
            Command::RemoveService(id("dynamodb-use1")),
            Command::RemoveRegion(RegionId::new("us-east-1"))
        ]
    );
    run(&mut d, Command::Batch(cmds));
    assert!(d.region(&RegionId::new("us-east-1")).is_none());
    assert!(delete(&d, &BTreeSet::from([EntityRef::Service(id("gone"))])).is_none());
}

#[test]
fn paste_renames_ids_keeps_links_among_the_copies_and_moves_into_a_region() {
    let mut d = design();
    join(&mut d, "ecs-fargate-use1", "dynamodb-use1");
    join(&mut d, "alb-use1", "ecs-fargate-use1");
    let selection =
        BTreeSet::from([EntityRef::Service(id("ecs-fargate-use1")), EntityRef::Service(id("dynamodb-use1"))]);
    let clip = copy(&d, &selection);
    let (cmd, created) = paste(&d, &clip, None).unwrap();
    run(&mut d, cmd);
    assert_eq!(
        created,
        BTreeSet::from([
            EntityRef::Service(id("dynamodb-use1-copy")),
            EntityRef::Service(id("ecs-fargate-use1-copy"))
        ])
    );
    let copy_link = d.link(&LinkId::new("ecs-fargate-use1-to-dynamodb-use1-copy")).unwrap();
    assert_eq!((&copy_link.from, &copy_link.to), (&id("ecs-fargate-use1-copy"), &id("dynamodb-use1-copy")));
    assert_eq!(d.links_to(&id("ecs-fargate-use1-copy")).count(), 0, "the ALB was not copied, nor its route");
    assert_eq!(d.service(&id("dynamodb-use1-copy")).unwrap().name, "DynamoDB (Northern Virginia) (copy)");
    let euw1 = RegionId::new("eu-west-1");
    let (cmd, _) = paste(&d, &clip, Some(&euw1)).unwrap();
    run(&mut d, cmd);
    let moved = d.service(&id("ecs-fargate-use1-copy-2")).unwrap();
    assert_eq!(moved.placement, Placement::Region(euw1));
    assert!(moved.config.azs.is_empty());
    assert!(paste(&d, &Clipboard::default(), None).is_none());
}
