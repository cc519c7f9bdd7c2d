//! Property tests: random command sequences keep the invariants, undo restores the start,
//! save then load is identity, and the loader never panics on arbitrary input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::collections::BTreeMap;
use std::path::Path;

use meridian_model::design::{
    Access, Backup, Dependency, EntityRef, FailoverRole, GridCell, HealthCheck, Link, LinkKind, Placement,
    Population, Recovery, Region, Replication, ReplicationMode, Routing, RoutingPolicy, Scaling, Service,
    ServiceConfig, Standby, Waiver, Workload,
};
use meridian_model::geo::{Continent, GeoPoint};
use meridian_model::time::TimeSpan;
use meridian_model::{
    Catalog, Command, Design, Editor, LinkId, PopulationId, RegionId, ServiceId, ServiceKind, apply,
    check_all, format,
};
use proptest::prelude::*;

const REGIONS: [(&str, &[&str]); 4] = [
    ("us-east-1", &["use1-az1", "use1-az2"]),
    ("eu-west-1", &["euw1-az1", "euw1-az2", "euw1-az3"]),
    ("ap-northeast-1", &["apne1-az1", "apne1-az4"]),
    ("mars-north-1", &["mars1-az1"]),
];

/// The services commands draw from: service `s{i}` always has this kind and home region, so that
/// most generated commands are valid and designs grow, while some still collide or break rules.
const SERVICES: [(ServiceKind, Option<usize>); 12] = [
    (ServiceKind::Route53, None),
    (ServiceKind::CloudFront, None),
    (ServiceKind::Alb, Some(0)),
    (ServiceKind::Alb, Some(1)),
    (ServiceKind::EcsFargate, Some(0)),
    (ServiceKind::EcsFargate, Some(1)),
    (ServiceKind::DynamoDb, Some(0)),
    (ServiceKind::DynamoDb, Some(1)),
    (ServiceKind::S3, Some(0)),
    (ServiceKind::S3, Some(1)),
    (ServiceKind::AwsBackup, Some(1)),
    (ServiceKind::Aurora, Some(2)),
];

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

fn region_strategy() -> impl Strategy<Value = Region> {
    (prop_oneof![9 => 0usize..3, 1 => Just(3usize)], 1usize..=3).prop_map(|(i, n)| Region {
        id: RegionId::new(REGIONS[i].0),
        azs: REGIONS[i].1.iter().take(n).map(|s| (*s).to_owned()).collect(),
        failure: None,
    })
}

fn service_strategy() -> impl Strategy<Value = Service> {
    // Mostly the service's own kind and region; sometimes another region, a bad kind or a bad number.
    // Kinds are a closed enum, so a misspelt kind never reaches a command (the loader refuses it:
    // `tests/corpus/bad/unknown-kind.ron`); the bad kind is one of the wrong scope for the placement.
    (
        0..SERVICES.len(),
        prop_oneof![8 => Just(None), 1 => (0..REGIONS.len()).prop_map(Some)],
        prop_oneof![9 => Just(false), 1 => Just(true)],
        0u32..5,
        prop_oneof![9 => (0.0f64..100.0).prop_map(Some), 1 => Just(Some(-1.0)), 1 => Just(None)],
        (prop::option::of(any::<bool>()), prop::option::of(any::<bool>())),
        (prop::option::of(0u32..8), any::<bool>()),
        // A hit ratio, sometimes out of range; kinds that are not caches refuse any.
        prop_oneof![6 => Just(None), 2 => (0.0f64..1.0).prop_map(Some), 1 => Just(Some(1.5))],
    )
        .prop_map(
            |(i, moved, bad_kind, count, storage, (at_rest, in_transit), (max, cold), hit_ratio)| {
                let (kind, home) = SERVICES[i];
                let region = moved.or(home);
                Service {
                    id: ServiceId::new(format!("s{i}")),
                    name: format!("Service {i}"),
                    kind: match (bad_kind, home) {
                        (false, _) => kind,
                        (true, None) => ServiceKind::Alb,
                        (true, Some(_)) => ServiceKind::Route53,
                    },
                    placement: region
                        .map_or(Placement::Global, |r| Placement::Region(RegionId::new(REGIONS[r].0))),
                    config: ServiceConfig {
                        count,
                        storage_gb: storage,
                        encryption_at_rest: at_rest,
                        encryption_in_transit: in_transit,
                        // Scaling is legal only on kinds that scale and up from the count: often refused.
                        scaling: max.map(Scaling::up_to),
                        standby: cold.then_some(Standby::Cold),
                        hit_ratio,
                        ..ServiceConfig::default()
                    },
                    tags: BTreeMap::from([("team".to_owned(), "t".to_owned())]),
                    data_classes: vec!["personal:EU".to_owned()],
                    failure: None,
                    latency_ms: None,
                    deployment_group: None,
                    control_plane: None,
                }
            },
        )
}

fn routing(policy: RoutingPolicy, ttl: bool) -> LinkKind {
    LinkKind::Routing(Routing {
        policy,
        health_check: Some(HealthCheck { interval: TimeSpan::from_secs(10), failure_threshold: 3 }),
        ttl: ttl.then_some(TimeSpan::from_secs(60)),
        failover: None,
    })
}

/// Link templates (from, to, kind): most are legal once their services exist; the last few never are.
fn link_templates() -> Vec<(usize, usize, LinkKind)> {
    let dep = |c| LinkKind::Dependency(Dependency { calls_per_request: c, required: true });
    let repl = |rtc| LinkKind::Replication(Replication { rtc, ..Replication::new(ReplicationMode::Async) });
    vec![
        (0, 2, routing(RoutingPolicy::Latency, true)),
        (0, 3, routing(RoutingPolicy::Latency, true)),
        (2, 4, routing(RoutingPolicy::Weighted { weight: 1 }, false)),
        (3, 5, routing(RoutingPolicy::Weighted { weight: 1 }, false)),
        (1, 8, routing(RoutingPolicy::Failover { role: FailoverRole::Primary }, false)),
        (1, 9, routing(RoutingPolicy::Failover { role: FailoverRole::Secondary }, false)),
        (4, 6, dep(1.5)),
        (5, 7, dep(1.5)),
        (4, 8, dep(0.1)),
        (6, 7, repl(false)),
        (8, 9, repl(true)),
        (
            6,
            10,
            LinkKind::Backup(Backup {
                every: TimeSpan::HOUR,
                retention: TimeSpan::YEAR,
                restore_time: Some(TimeSpan::HOUR),
            }),
        ),
        (7, 11, repl(false)),
        (4, 4, dep(1.0)),
        (2, 5, routing(RoutingPolicy::Weighted { weight: 1 }, false)),
        (4, 6, dep(-1.0)),
        (2, 4, routing(RoutingPolicy::Latency, true)),
    ]
}

fn link_strategy() -> impl Strategy<Value = Link> {
    let templates = link_templates();
    let n = templates.len();
    (0..n, prop_oneof![9 => Just(None), 1 => (0usize..4).prop_map(Some)]).prop_map(move |(t, id)| {
        let (from, to, kind) = templates[t].clone();
        Link {
            id: LinkId::new(format!("l{}", id.unwrap_or(t))),
            from: ServiceId::new(format!("s{from}")),
            to: ServiceId::new(format!("s{to}")),
            kind,
        }
    })
}

fn population_strategy() -> impl Strategy<Value = Population> {
    (
        0u8..3,
        prop_oneof![9 => 0.0f64..1.0, 1 => Just(1.5)],
        prop::option::of(0usize..4),
        prop_oneof![9 => -90.0f64..90.0, 1 => Just(f64::NAN)],
        prop::option::of(prop::sample::select(Access::ALL.to_vec())),
    )
        .prop_map(|(id, writes, entry, lat, access)| Population {
            id: PopulationId::new(format!("p{id}")),
            name: format!("Population {id}"),
            location: GeoPoint { lat, lon: 0.0 },
            country: None,
            continent: Continent::Europe,
            requests_per_sec: 100.0,
            write_fraction: writes,
            request_kb: 1.0,
            response_kb: 10.0,
            data_classes: vec!["personal:EU".to_owned()],
            entry: entry.map(|e| ServiceId::new(format!("s{e}"))),
            access,
            dns_sticky_share: None,
            dns_sticky_hold: None,
        })
}

/// Waivers on services, links and populations that may or may not exist, sometimes malformed.
fn waiver_strategy() -> impl Strategy<Value = Waiver> {
    (
        prop_oneof![4 => Just("gdpr-strict/eu-residency"), 1 => Just("ccpa/inventory"), 1 => Just("no-slash")],
        prop_oneof![
            3 => (0..SERVICES.len()).prop_map(|i| EntityRef::Service(ServiceId::new(format!("s{i}")))),
            1 => (0usize..17).prop_map(|i| EntityRef::Link(LinkId::new(format!("l{i}")))),
            1 => (0u8..3).prop_map(|i| EntityRef::Population(PopulationId::new(format!("p{i}")))),
            1 => (0..REGIONS.len()).prop_map(|i| EntityRef::Region(RegionId::new(REGIONS[i].0))),
        ],
        prop_oneof![9 => Just("approved by the DPO"), 1 => Just("")],
    )
        .prop_map(|(rule, entity, why)| Waiver { rule: rule.into(), entity, justification: why.into() })
}

/// The regions first, so that later commands have somewhere to place services; then random commands.
fn script_strategy() -> impl Strategy<Value = Vec<Command>> {
    prop::collection::vec(command_strategy(), 20..100).prop_map(|random| {
        let setup = REGIONS[..3].iter().map(|(id, azs)| {
            Command::AddRegion(Region {
                id: RegionId::new(*id),
                azs: azs.iter().map(|s| (*s).to_owned()).collect(),
                failure: None,
            })
        });
        setup.chain(random).collect()
    })
}

fn command_strategy() -> impl Strategy<Value = Command> {
    let leaf = prop_oneof![
        2 => region_strategy().prop_map(Command::AddRegion),
        1 => region_strategy().prop_map(Command::UpdateRegion),
        1 => (0..REGIONS.len()).prop_map(|i| Command::RemoveRegion(RegionId::new(REGIONS[i].0))),
        20 => service_strategy().prop_map(Command::AddService),
        2 => service_strategy().prop_map(Command::UpdateService),
        1 => (0..SERVICES.len()).prop_map(|i| Command::RemoveService(ServiceId::new(format!("s{i}")))),
        20 => link_strategy().prop_map(Command::AddLink),
        1 => link_strategy().prop_map(Command::UpdateLink),
        1 => (0usize..17).prop_map(|i| Command::RemoveLink(LinkId::new(format!("l{i}")))),
        2 => population_strategy().prop_map(Command::AddPopulation),
        1 => population_strategy().prop_map(Command::UpdatePopulation),
        1 => (0u8..3).prop_map(|i| Command::RemovePopulation(PopulationId::new(format!("p{i}")))),
        1 => "[a-z ]{0,12}".prop_map(Command::SetName),
        2 => (0..REGIONS.len(), prop::option::of((0u16..3, 0u16..3)))
            .prop_map(|(i, cell)| Command::MoveRegion(RegionId::new(REGIONS[i].0), cell.map(|(col, row)| GridCell { col, row }))),
        3 => waiver_strategy().prop_map(Command::AddWaiver),
        1 => waiver_strategy().prop_map(Command::UpdateWaiver),
        1 => waiver_strategy().prop_map(|w| Command::RemoveWaiver { rule: w.rule, entity: w.entity }),
        1 => (0.0f64..800.0).prop_map(|h| Command::SetWorkload(Workload { hours_per_month: h, ..Workload::default() })),
        1 => (0u32..4, prop::option::of(0u32..4)).prop_map(|(p, step)| Command::SetRecovery(Recovery { alarm_evaluation_periods: Some(p), max_step: step, ..Recovery::default() })),
    ];
    // Batches are all-or-nothing, so keep them rare enough that designs still grow.
    prop_oneof![9 => leaf.clone(), 1 => prop::collection::vec(leaf, 1..4).prop_map(Command::Batch)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every command either applies and keeps the invariants, or is refused and changes nothing.
    #[test]
    fn commands_keep_invariants(commands in script_strategy()) {
        let catalog = catalog();
        let mut design = Design::new("test");
        for cmd in commands {
            let before = design.clone();
            if apply(&mut design, catalog, cmd).is_ok() {
                prop_assert_eq!(check_all(&design, catalog), Ok(()));
            } else {
                prop_assert_eq!(&design, &before);
            }
        }
    }

    /// Undoing everything restores the start; redoing everything restores the end.
    #[test]
    fn undo_all_restores_start(commands in script_strategy()) {
        let catalog = catalog();
        let mut editor = Editor::new(Design::new("test"));
        let start = editor.design().clone();
        for cmd in commands {
            let _ = editor.apply(catalog, cmd);
        }
        let end = editor.design().clone();
        while editor.undo(catalog).unwrap().is_some() {}
        prop_assert_eq!(editor.design(), &start);
        prop_assert!(!editor.is_dirty());
        while editor.redo(catalog).unwrap().is_some() {}
        prop_assert_eq!(editor.design(), &end);
    }

    /// Saving then loading gives the same design, and saving again gives the same text.
    #[test]
    fn save_then_load_is_identity(commands in script_strategy()) {
        let catalog = catalog();
        let mut design = Design::new("round trip");
        for cmd in commands {
            let _ = apply(&mut design, catalog, cmd);
        }
        let text = format::to_string(&design, "// header\n").unwrap();
        let loaded = format::load_str(&text, Path::new("t.ron"), catalog).unwrap();
        prop_assert_eq!(&loaded.design, &design);
        prop_assert_eq!(loaded.header.as_str(), "// header\n");
        prop_assert_eq!(format::to_string(&loaded.design, &loaded.header).unwrap(), text);
    }

    /// The loader never panics on arbitrary text.
    #[test]
    fn loader_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        let _ = format::load_str(&text, Path::new("fuzz.ron"), catalog());
    }

    /// The loader never panics on a damaged real design: truncated, with bytes replaced.
    #[test]
    fn loader_never_panics_on_damaged_designs(cut in 0usize..6000, edits in prop::collection::vec((0usize..6000, any::<u8>()), 0..6)) {
        let mut bytes = include_bytes!("../../examples/active-active-2region.ron").to_vec();
        for (at, b) in edits {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        bytes.truncate(cut.min(bytes.len()));
        let _ = format::load_bytes(&bytes, Path::new("damaged.ron"), catalog());
    }
}

#[test]
fn merged_edits_are_one_undo_step() {
    let catalog = catalog();
    let mut editor = Editor::new(Design::new("a"));
    editor.apply_merged(catalog, Command::SetName("ab".into()), "name").unwrap();
    editor.apply_merged(catalog, Command::SetName("abc".into()), "name").unwrap();
    assert_eq!(editor.design().name(), "abc");
    assert_eq!(editor.undo(catalog).unwrap().as_deref(), Some("Rename design"));
    assert_eq!(editor.design().name(), "a");
    assert!(!editor.is_dirty());
    editor.redo(catalog).unwrap();
    assert_eq!(editor.design().name(), "abc");
    assert!(editor.is_dirty());
    editor.mark_saved();
    editor.undo(catalog).unwrap();
    editor.redo(catalog).unwrap();
    assert!(!editor.is_dirty(), "redo back to the saved state is clean");
}
