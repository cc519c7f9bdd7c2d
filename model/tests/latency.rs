//! The latency model against its sources: the measured table (every pair's value, source and
//! date; the pairs without a measurement; symmetry; spot values), the fallback fitted to it and
//! how well it predicts pairs it has not seen, intra-region figures, the user's path for
//! hand-computed cases, and hit ratios.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.
#![allow(clippy::float_cmp)] // Figures copied from the catalog or the model are equal exactly.

use std::collections::BTreeSet;
use std::path::Path;

use meridian_model::catalog::Partition;
use meridian_model::design::Access;
use meridian_model::geo::GeoPoint;
use meridian_model::latency::{
    self, Basis, access_rtt_ms, fit_bands, intra_region_rtt, leave_one_out, measured_pairs, region_rtt,
    user_path,
};
use meridian_model::{Catalog, format};

/// Regions with no public measurement in the dataset: every pair involving one is estimated.
const UNMEASURED: [&str; 6] =
    ["ap-east-2", "ap-southeast-6", "cn-north-1", "cn-northwest-1", "us-gov-west-1", "us-gov-east-1"];

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

fn is_iso_date(s: &str) -> bool {
    s.len() == 10
        && s.chars().enumerate().all(|(i, c)| if i == 4 || i == 7 { c == '-' } else { c.is_ascii_digit() })
}

#[test]
fn every_measured_pair_has_a_value_a_source_and_a_date() {
    let c = catalog();
    let order = |code: &str| c.regions().iter().position(|r| r.code == code).unwrap();
    let mut n = 0;
    for d in &c.latency().inter_region {
        let source =
            c.source(&d.source).unwrap_or_else(|| panic!("dataset cites unknown source {}", d.source));
        assert!(is_iso_date(&source.as_of), "{} has as_of {}", source.id, source.as_of);
        assert!(source.url.starts_with("https://"), "{}", source.url);
        assert!(!d.method.is_empty() && !d.window.is_empty());
        for p in &d.pairs {
            assert!(order(&p.0) < order(&p.1), "{} - {}: write A before B in regions.ron order", p.0, p.1);
            for v in [p.2, p.3] {
                assert!(v.is_finite() && v > 0.0, "{} - {}: {v}", p.0, p.1);
            }
            // The pair's own value, source and date, as every output cites them.
            let (ms, dataset) = c.measured_rtt(&p.0, &p.1).unwrap();
            assert!((ms - p.rtt_ms()).abs() < 1e-12);
            assert_eq!(dataset.source, d.source);
            n += 1;
        }
    }
    // One consistent dataset: cloudping.co's p50 over a year, 496 of the 561 commercial pairs.
    assert_eq!(c.latency().inter_region.len(), 1);
    assert_eq!(c.source("cloudping-p50").unwrap().as_of, "2025-05-29");
    assert_eq!(n, 496);
}

#[test]
fn the_pairs_without_a_measurement_are_listed_and_estimated() {
    let c = catalog();
    let codes: Vec<&str> = c.regions().iter().map(|r| r.code.as_str()).collect();
    let commercial = c.regions().iter().filter(|r| r.partition == Partition::Aws).count();
    assert_eq!((codes.len(), commercial), (38, 34));
    let mut estimated = BTreeSet::new();
    for (i, a) in codes.iter().enumerate() {
        for b in &codes[i + 1..] {
            let rtt = region_rtt(c, a, b).unwrap();
            let unmeasured = UNMEASURED.contains(a) || UNMEASURED.contains(b);
            assert_eq!(rtt.basis == Basis::Estimated, unmeasured, "{a} - {b}");
            assert_eq!(c.measured_rtt(a, b).is_none(), unmeasured, "{a} - {b}");
            if unmeasured {
                estimated.insert((*a, *b));
            }
        }
    }
    // 703 pairs of 38 regions, 496 measured: 207 estimated, 65 of them between commercial regions
    // (every pair with ap-east-2 or ap-southeast-6).
    assert_eq!(estimated.len(), 703 - 496);
    let commercial_estimated = estimated
        .iter()
        .filter(|(a, b)| [a, b].iter().all(|r| c.region(r).unwrap().partition == Partition::Aws))
        .count();
    assert_eq!(commercial_estimated, 65);
}

#[test]
fn round_trips_are_symmetric_and_spot_values_match_the_source() {
    let c = catalog();
    for a in c.regions() {
        for b in c.regions() {
            let (ab, ba) =
                (region_rtt(c, &a.code, &b.code).unwrap(), region_rtt(c, &b.code, &a.code).unwrap());
            assert_eq!(ab, ba, "{} - {}", a.code, b.code);
        }
    }
    // cloudping p50, one year to 2025-05-29: 69.56 / 69.64 ms and 227.08 / 227.63 ms.
    let use1_euw1 = region_rtt(c, "us-east-1", "eu-west-1").unwrap();
    assert_eq!(use1_euw1.basis, Basis::Measured);
    assert!((use1_euw1.ms - 69.6).abs() < 0.05, "{use1_euw1:?}");
    let euc1_apne1 = region_rtt(c, "eu-central-1", "ap-northeast-1").unwrap();
    assert!((euc1_apne1.ms - 227.35).abs() < 0.05, "{euc1_apne1:?}");
    // The largest direction asymmetry is kept in the file and averaged: 41.3 and 49.9 ms.
    assert!((region_rtt(c, "eu-central-2", "il-central-1").unwrap().ms - 45.6).abs() < 1e-9);
    assert!(region_rtt(c, "us-east-1", "nowhere-1").is_none());
}

#[test]
fn measured_pairs_are_within_15_percent_of_their_p50() {
    // The acceptance measure: at least 90% of region pairs within 15% of the measured p50. The
    // model uses the measurement itself wherever there is one, so every measured pair is exact.
    let c = catalog();
    let pairs = measured_pairs(c);
    let within = pairs
        .iter()
        .filter(|p| {
            let m = region_rtt(c, &p.a, &p.b).unwrap().ms;
            (m - p.rtt_ms).abs() <= 0.15 * p.rtt_ms
        })
        .count();
    assert_eq!(within, pairs.len());
    assert!(within * 10 >= pairs.len() * 9);
}

#[test]
fn the_fallback_factors_are_the_fit_of_the_table() {
    let c = catalog();
    let bands = &c.latency().fallback.bands.value;
    let from: Vec<f64> = bands.iter().map(|b| b.from_km).collect();
    assert_eq!(from, [0.0, 1000.0, 3000.0, 6000.0, 10000.0]);
    let fit = fit_bands(c, measured_pairs(c).iter().map(|p| (p.km, p.rtt_ms)), &from);
    for (stored, fitted) in bands.iter().zip(&fit) {
        assert!(
            (stored.factor - fitted.factor).abs() < 5e-4,
            "band from {} km: catalog {} but the table fits {}",
            stored.from_km,
            stored.factor,
            fitted.factor
        );
    }
    // An estimate is the fibre bound times its band's factor: ap-east-2 (Taipei) to ap-east-1
    // (Hong Kong) is 801.7 km, bound 8.017 ms, x 2.853 (under 1000 km) = 22.87 ms.
    let tpe = region_rtt(c, "ap-east-2", "ap-east-1").unwrap();
    let km = c.region("ap-east-2").unwrap().location.distance_km(&c.region("ap-east-1").unwrap().location);
    assert!((km - 801.7).abs() < 0.1, "{km}");
    assert_eq!(tpe.basis, Basis::Estimated);
    assert!((tpe.ms - km * 2.0 / 200.0 * 2.853).abs() < 1e-9, "{tpe:?}");
}

#[test]
fn the_fallback_predicts_pairs_it_has_not_seen() {
    // Leave each measured pair out, refit, and predict it: the honest measure of the formula the
    // pairs without data get. Recorded in docs/latency.md and latency.ron; the test keeps them true.
    let c = catalog();
    let pairs = measured_pairs(c);
    let from: Vec<f64> = c.latency().fallback.bands.value.iter().map(|b| b.from_km).collect();
    let predicted = leave_one_out(c, &pairs, &from);
    let mut errors: Vec<f64> =
        pairs.iter().zip(&predicted).map(|(p, q)| (q - p.rtt_ms).abs() / p.rtt_ms).collect();
    let within = errors.iter().filter(|e| **e <= 0.15).count();
    errors.sort_by(f64::total_cmp);
    let median = f64::midpoint(errors[errors.len() / 2 - 1], errors[errors.len() / 2]);
    eprintln!("fallback, leave-one-out: {within} of {} within 15%, median error {median:.3}", pairs.len());
    assert_eq!(within, 266);
    assert!((median - 0.135).abs() < 0.0005, "{median}");
    // One factor for every distance (the old model's kind of formula) does worse.
    let single = leave_one_out(c, &pairs, &[0.0]);
    let single_within =
        pairs.iter().zip(&single).filter(|(p, q)| (**q - p.rtt_ms).abs() <= 0.15 * p.rtt_ms).count();
    eprintln!("one factor for every distance: {single_within} of {} within 15%", pairs.len());
    assert!(single_within < within, "{single_within} vs {within}");
}

#[test]
fn intra_region_round_trips_are_per_region_where_measured() {
    let c = catalog();
    let use1 = intra_region_rtt(c, "us-east-1");
    assert_eq!((use1.ms, use1.basis), (0.95, Basis::Measured));
    assert_eq!(region_rtt(c, "us-east-1", "us-east-1"), Some(use1));
    let aps2 = intra_region_rtt(c, "ap-south-2");
    assert_eq!((aps2.ms, aps2.basis), (1.0, Basis::General));
    assert_eq!(c.latency().intra_region.regions.len(), 15);
}

#[test]
fn a_users_path_for_hand_computed_cases() {
    let c = catalog();
    // Fixed broadband 10 ms (Ookla global median); internet = fibre bound x 2.1.
    assert_eq!(access_rtt_ms(c, None), 10.0);
    assert_eq!(access_rtt_ms(c, Some(Access::Mobile)), 28.0);
    assert_eq!(access_rtt_ms(c, Some(Access::Dsl)), 26.7);
    // Users standing at a region's location no longer get 0 ms: they still cross their access network.
    let at_use1 = c.region("us-east-1").unwrap().location;
    let here = user_path(c, &at_use1, None, "us-east-1", false).unwrap();
    assert!((here.total_ms() - 10.0).abs() < 1e-12, "{here:?}");
    // Frankfurt (50.1, 8.7) to eu-west-1 (Dublin, 53.3, -6.3): 1,090.8 km, bound 10.908 ms,
    // internet 2.1 x 10.908 = 22.907 ms, + 10 ms access = 32.907 ms.
    let frankfurt = GeoPoint { lat: 50.1, lon: 8.7 };
    let euw1 = user_path(c, &frankfurt, None, "eu-west-1", false).unwrap();
    assert!((euw1.total_ms() - 32.907).abs() < 0.001, "{euw1:?}");
    assert!(euw1.edge.is_none());
    // On mobile: 28 ms access instead of 10.
    let mobile = user_path(c, &frankfurt, Some(Access::Mobile), "eu-west-1", false).unwrap();
    assert!((mobile.total_ms() - euw1.total_ms() - 18.0).abs() < 1e-9);
    // Frankfurt to us-east-1 (38.9, -77.4) over the internet: 6,555.5 km, 10 + 2.1 x 65.555 = 147.666 ms.
    let internet = user_path(c, &frankfurt, None, "us-east-1", false).unwrap();
    assert!((internet.total_ms() - 147.666).abs() < 0.001, "{internet:?}");
    // Through Global Accelerator or CloudFront: the internet to the nearest edge (FRA airport,
    // 50.0365, 8.5613: 12.16 km, 2.1 x 0.1216 = 0.255 ms), the backbone to the region nearest that
    // edge with measurements (eu-central-1, 12.16 km again, x 2.853 = 0.347 ms), then the measured
    // eu-central-1 - us-east-1 p50 (93.1 and 92.6 ms: 92.85 ms): 10 + 0.2554 + 0.3469 + 92.85 = 103.452 ms.
    let edge = user_path(c, &frankfurt, None, "us-east-1", true).unwrap();
    let hop = edge.edge.as_ref().unwrap();
    assert_eq!((hop.edge.as_str(), hop.via_region.as_str()), ("FRA", "eu-central-1"));
    assert_eq!(hop.onward.unwrap().basis, Basis::Measured);
    assert!((edge.total_ms() - 103.452).abs() < 0.001, "{edge:?}");
    assert!(edge.estimated_pair().is_none());
    // A serving region without measurements marks the path: Frankfurt to ap-east-2 (Taipei) by
    // edge joins the table at eu-central-1, and eu-central-1 - ap-east-2 is estimated.
    let taipei = user_path(c, &frankfurt, None, "ap-east-2", true).unwrap();
    assert_eq!(taipei.estimated_pair(), Some(("eu-central-1", "ap-east-2")));
}

#[test]
fn a_design_lists_its_estimated_round_trips_and_its_populations_paths() {
    let c = catalog();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-3region-aurora.ron"),
    )
    .unwrap();
    let design = format::load_str(&text, Path::new("aurora.ron"), c).unwrap().design;
    let pairs = latency::design_round_trips(&design, c);
    assert_eq!(pairs.len(), 3);
    assert!(pairs.iter().all(|p| p.basis == Basis::Measured && p.source == "cloudping-p50"));
    assert!(latency::estimated_round_trips(&design, c).is_empty());
    // Every population enters at Global Accelerator: each path passes an edge location.
    for p in design.populations() {
        let paths = latency::population_paths(&design, c, p);
        assert_eq!(paths.len(), 3, "{}", p.id);
        assert!(paths.iter().all(|u| u.edge.is_some()));
    }
    // Moving eu-west-1's role to Taipei would rest on estimates: ap-east-2 has no measurement.
    let moved = text.replace("eu-west-1", "ap-east-2").replace("euw1-az", "ape2-az").replace("euw1", "ape2");
    let design = format::load_str(&moved, Path::new("moved.ron"), c).unwrap().design;
    let estimated = latency::estimated_round_trips(&design, c);
    assert!(
        estimated.iter().any(|p| (p.a.as_str(), p.b.as_str()) == ("ap-east-2", "ap-northeast-1")
            || (p.a.as_str(), p.b.as_str()) == ("ap-northeast-1", "ap-east-2")),
        "{estimated:?}"
    );
    assert!(estimated.iter().all(|p| p.basis == Basis::Estimated));
}

#[test]
fn hit_ratios_default_from_the_catalog_and_the_design_overrides_them() {
    let c = catalog();
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/active-active-2region.ron"),
    )
    .unwrap();
    let design = format::load_str(&text, Path::new("a.ron"), c).unwrap().design;
    let by_id = |id: &str| design.services().find(|s| s.id.as_str() == id).unwrap();
    // CloudFront: 0.58 (derived from Facebook's edge caches; an assumption); ElastiCache 0.8.
    assert_eq!(latency::hit_ratio(c, by_id("cdn")), Some(0.58));
    assert_eq!(latency::hit_ratio(c, by_id("cache-euw1")), Some(0.8));
    assert_eq!(latency::hit_ratio(c, by_id("alb-euw1")), None);
    // A design value wins; a value out of range or on a kind that is no cache is refused, located.
    let cdn = |value: &str| {
        text.replace(
            "kind: \"cloudfront\",\n            placement: Global,\n            config: ServiceConfig(\n                count: 1,",
            &format!("kind: \"cloudfront\",\n            placement: Global,\n            config: ServiceConfig(\n                count: 1,\n                hit_ratio: {value},"),
        )
    };
    let design = format::load_str(&cdn("0.95"), Path::new("a.ron"), c).unwrap().design;
    assert_eq!(
        latency::hit_ratio(c, design.services().find(|s| s.id.as_str() == "cdn").unwrap()),
        Some(0.95)
    );
    let err = format::load_str(&cdn("1.5"), Path::new("a.ron"), c).unwrap_err().to_string();
    assert!(err.contains("hit_ratio") && err.contains("from 0 to 1"), "{err}");
    let alb = text.replacen(
        "kind: \"alb\",\n            placement: Region(\"eu-west-1\"),\n            config: ServiceConfig(\n                count: 1,",
        "kind: \"alb\",\n            placement: Region(\"eu-west-1\"),\n            config: ServiceConfig(\n                count: 1,\n                hit_ratio: 0.5,",
        1,
    );
    let err = format::load_str(&alb, Path::new("a.ron"), c).unwrap_err().to_string();
    assert!(err.contains("not a cache"), "{err}");
}

#[test]
fn a_damaged_latency_file_is_refused_with_the_reason() {
    use meridian_model::catalog::CatalogTexts;
    let base = CatalogTexts::BUILTIN.latency;
    let load = |latency: &str| Catalog::from_texts(CatalogTexts { latency, ..CatalogTexts::BUILTIN });
    let pair = "(\"us-east-1\", \"us-east-2\", 14.7, 16.1),";
    assert!(base.contains(pair));
    let cases = [
        (base.replacen(pair, "(\"us-east-1\", \"us-east-9\", 14.7, 16.1),", 1), "unknown region `us-east-9`"),
        (
            base.replacen(pair, &format!("{pair}\n(\"us-east-2\", \"us-east-1\", 1.0, 1.0),"), 1),
            "listed twice",
        ),
        (base.replacen(pair, "(\"us-east-1\", \"us-east-2\", -1.0, 16.1),", 1), "positive number"),
        (base.replacen("source: \"cloudping-p50\",", "source: \"nowhere\",", 1), "unknown source `nowhere`"),
        (base.replacen("(from_km: 1000.0,", "(from_km: 100000.0,", 1), "ascending"),
        (base.replacen("(access: Dsl,", "(access: Cable,", 1), "lists Cable 2 times"),
    ];
    for (text, why) in cases {
        let err = load(&text).unwrap_err().to_string();
        assert!(err.starts_with("assets/catalog/latency.ron") && err.contains(why), "{why}: {err}");
    }
    assert!(load(base).is_ok());
}
