//! Strategy variants: each is a valid design that loads back, keeps the workload and populations,
//! and the strategies order by cost on the reference design.

#![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

use std::path::{Path, PathBuf};

use meridian_model::catalog::Catalog;
use meridian_model::cost::{self, CostOptions, PriceSnapshot};
use meridian_model::design::{FailoverRole, Initiation, LinkKind, RoutingPolicy, Standby};
use meridian_model::time::TimeSpan;
use meridian_model::validate::{Severity, validate};
use meridian_model::variants::{Strategy, derive, derive_all};
use meridian_model::{Design, RegionId, ServiceId, check_all, format};

fn examples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .collect();
    files.sort();
    files
}

fn load(path: &Path) -> Design {
    format::load_file(path, Catalog::builtin().unwrap()).unwrap().design
}

fn reference() -> Design {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron"))
}

fn routing_policy(d: &Design, from: &str, to: &str) -> Option<RoutingPolicy> {
    d.links_from(&ServiceId::new(from)).find(|l| l.to.as_str() == to).and_then(|l| match &l.kind {
        LinkKind::Routing(r) => Some(r.policy.clone()),
        _ => None,
    })
}

#[test]
fn every_variant_of_every_example_is_valid_loads_back_and_keeps_the_workload() {
    let catalog = Catalog::builtin().unwrap();
    for path in examples() {
        let original = load(&path);
        let variants = derive_all(&original, catalog).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(variants.len(), Strategy::ALL.len());
        for v in variants {
            let what = format!("{} {}", path.display(), v.strategy.slug());
            check_all(&v.design, catalog).unwrap_or_else(|e| panic!("{what}: {e}"));
            let text = format::to_string(&v.design, "// variant").unwrap();
            let back = format::load_str(&text, Path::new("variant.ron"), catalog)
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .design;
            assert_eq!(back, v.design, "{what}: does not round-trip");
            assert_eq!(v.design.workload(), original.workload(), "{what}");
            let pops: Vec<_> =
                v.design.populations().map(|p| (&p.id, p.requests_per_sec, &p.entry)).collect();
            let orig: Vec<_> = original.populations().map(|p| (&p.id, p.requests_per_sec)).collect();
            assert_eq!(pops.iter().map(|p| (p.0, p.1)).collect::<Vec<_>>(), orig, "{what}");
            // Every population still reaches a service that exists.
            for (id, _, entry) in pops {
                if original.population(id).and_then(|p| p.entry.as_ref()).is_some() {
                    assert!(entry.as_ref().is_some_and(|e| v.design.service(e).is_some()), "{what}: {id}");
                }
            }
            let regions = v.design.regions().count();
            assert_eq!(regions, if v.strategy == Strategy::MultiAz { 1 } else { 2 }, "{what}");
        }
    }
}

#[test]
fn the_reference_variants_are_what_the_strategies_say() {
    let catalog = Catalog::builtin().unwrap();
    let d = reference();
    let v = |s| derive(&d, catalog, s).unwrap();
    // us-east-1 is nearest to the larger population (North America, 1200 requests/s).
    let pl = v(Strategy::PilotLight);
    assert_eq!(pl.primary, RegionId::new("us-east-1"));
    assert_eq!(pl.standby, Some(RegionId::new("eu-west-1")));
    let count = |d: &Design, id: &str| d.service(&ServiceId::new(id)).map(|s| s.config.count);
    // Production carries the peak of everyone: 2100 req/s x 2.5 / 200 per task = 27 tasks.
    assert_eq!(count(&pl.design, "api-use1"), Some(27));
    assert_eq!(count(&pl.design, "api-euw1"), Some(0));
    assert_eq!(
        routing_policy(&pl.design, "dns", "alb-use1"),
        Some(RoutingPolicy::Failover { role: FailoverRole::Primary })
    );
    assert_eq!(
        routing_policy(&pl.design, "dns", "alb-euw1"),
        Some(RoutingPolicy::Failover { role: FailoverRole::Secondary })
    );
    // Warm standby serves the average load at once: 2100 / 200 = 11 tasks.
    assert_eq!(count(&v(Strategy::WarmStandby).design, "api-euw1"), Some(11));
    let aa = v(Strategy::ActiveActive);
    assert_eq!(count(&aa.design, "api-euw1"), Some(27));
    assert_eq!(routing_policy(&aa.design, "dns", "alb-euw1"), Some(RoutingPolicy::Latency));
    // The recovery each strategy needs (issue 14): who fails over, what scales from where.
    let scaling =
        |d: &Design, id: &str| d.service(&ServiceId::new(id)).and_then(|s| s.config.scaling.clone());
    let failover = |d: &Design, to: &str| {
        d.links().find(|l| l.from.as_str() == "dns" && l.to.as_str() == to).and_then(|l| match &l.kind {
            LinkKind::Routing(r) => r.failover,
            _ => None,
        })
    };
    assert_eq!(scaling(&pl.design, "api-euw1").map(|s| s.max), Some(27));
    assert_eq!(failover(&pl.design, "alb-use1"), Some(Initiation::RoutingControl));
    let ws = v(Strategy::WarmStandby).design;
    assert_eq!(scaling(&ws, "api-euw1").map(|s| s.max), Some(27));
    assert_eq!(failover(&ws, "alb-use1"), None);
    assert_eq!(scaling(&aa.design, "api-euw1"), None);
    // Backup and restore (a behaviour change of issue 14): eu-west-1 holds a vault and a cold
    // counterpart of every other service, deployed and restored by an operator's failover; no
    // live replication; daily backups of the table and the bucket.
    let br = v(Strategy::BackupRestore).design;
    let euw1 = RegionId::new("eu-west-1");
    let in_euw1: Vec<(&str, bool)> =
        br.services_in(&euw1).map(|s| (s.id.as_str(), s.config.standby == Some(Standby::Cold))).collect();
    assert_eq!(
        in_euw1,
        [
            ("alb-euw1", true),
            ("api-euw1", true),
            ("assets-euw1", true),
            ("backup-vault-euw1", false),
            ("cache-euw1", true),
            ("orders-euw1", true)
        ]
    );
    assert_eq!(count(&br, "api-euw1"), Some(0));
    assert_eq!(scaling(&br, "api-euw1").map(|s| s.max), Some(27));
    assert_eq!(failover(&br, "alb-use1"), Some(Initiation::Operator));
    assert_eq!(failover(&br, "alb-euw1"), Some(Initiation::Operator));
    assert!(!br.links().any(|l| matches!(l.kind, LinkKind::Replication(_))));
    let backups: Vec<(&str, TimeSpan)> = br
        .links()
        .filter_map(|l| match &l.kind {
            LinkKind::Backup(b) => Some((l.from.as_str(), b.every)),
            _ => None,
        })
        .collect();
    let day = TimeSpan::from_secs(86_400);
    assert_eq!(backups, [("assets-use1", day), ("orders-use1", day)]);
    // Multi-AZ: one region, nothing left of eu-west-1.
    let maz = v(Strategy::MultiAz).design;
    assert!(maz.region(&RegionId::new("eu-west-1")).is_none());
    assert!(
        validate(&maz, catalog)
            .iter()
            .all(|p| p.severity != Severity::Warning || !p.message.contains("failover"))
    );
}

#[test]
fn strategies_order_by_cost_on_the_reference_design() {
    let catalog = Catalog::builtin().unwrap();
    let prices = PriceSnapshot::builtin().unwrap();
    let costs: Vec<(Strategy, f64)> = derive_all(&reference(), catalog)
        .unwrap()
        .into_iter()
        .map(|v| {
            (
                v.strategy,
                cost::bill_with(&v.design, Some(catalog), prices, &CostOptions::default())
                    .total_usd_per_month,
            )
        })
        .collect();
    for pair in costs.windows(2) {
        assert!(pair[0].1 < pair[1].1, "{costs:?}");
    }
}

#[test]
fn a_one_region_design_gets_a_standby_in_the_same_jurisdiction() {
    let catalog = Catalog::builtin().unwrap();
    let maz = derive(&reference(), catalog, Strategy::MultiAz).unwrap().design;
    let again = derive(&maz, catalog, Strategy::WarmStandby).unwrap();
    let standby = again.standby.unwrap();
    assert_ne!(standby, RegionId::new("us-east-1"));
    let j = |r: &RegionId| catalog.region(r.as_str()).unwrap().jurisdiction.clone();
    assert_eq!(j(&standby), j(&RegionId::new("us-east-1")));
    assert!(again.design.services_in(&standby).count() > 3);
    check_all(&again.design, catalog).unwrap();
}

#[test]
fn derivation_is_deterministic() {
    let catalog = Catalog::builtin().unwrap();
    let d = reference();
    for s in Strategy::ALL {
        let a = format::to_string(&derive(&d, catalog, s).unwrap().design, "").unwrap();
        let b = format::to_string(&derive(&d, catalog, s).unwrap().design, "").unwrap();
        assert_eq!(a, b);
        assert_eq!(Strategy::from_slug(s.slug()), Some(s));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Generated designs of any size and region count: every strategy derives, stays valid,
    /// round-trips through the file format and keeps the workload and populations.
    #[test]
    fn every_strategy_of_a_generated_design_is_valid(services in 1usize..80, regions in 1usize..6) {
        let catalog = Catalog::builtin().unwrap();
        let d = meridian_model::synth::generate(catalog, services, regions).unwrap();
        for v in derive_all(&d, catalog).unwrap() {
            check_all(&v.design, catalog).unwrap();
            let text = format::to_string(&v.design, "").unwrap();
            let back = format::load_str(&text, Path::new("v.ron"), catalog).unwrap().design;
            proptest::prop_assert_eq!(&back, &v.design);
            proptest::prop_assert_eq!(v.design.workload(), d.workload());
            proptest::prop_assert_eq!(v.design.populations().count(), d.populations().count());
            let kept = v.design.regions().count();
            proptest::prop_assert!((1..=2).contains(&kept));
        }
    }
}
