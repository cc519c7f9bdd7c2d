//! Prices found by the live refresh, merged into a base snapshot: matching entries are replaced,
//! new (region) entries added next to their kind, everything else kept as it was.

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::cost::Date;
use meridian_model::cost::snapshot::{Basis, PriceEntry, PriceSource, SnapshotFile};

use super::plan::Query;
use super::translate::Found;

/// The source key of prices read from the API on `today`.
pub fn source_id(today: Date) -> String {
    format!("aws-price-list-api-{today}")
}

/// The base with every found price in it, dated `today`. Per-destination results (inter-region
/// transfer) become one entry at the most common rate plus pair entries (`to_region`) for the
/// regions the snapshot knows whose rate differs.
pub fn merge(base: &SnapshotFile, results: &[(Query, Vec<Found>)], today: Date) -> SnapshotFile {
    let mut file = base.clone();
    let source = source_id(today);
    if !file.sources.iter().any(|s| s.id == source) {
        file.sources.push(PriceSource {
            id: source.clone(),
            title: "AWS Price List Query API (GetProducts, on-demand terms)".to_owned(),
            url: "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html"
                .to_owned(),
            as_of: today.to_string(),
        });
    }
    // A snapshot is dated by its newest source: today, unless the base holds a later one (a clock
    // behind the base's author's).
    let newest = file.sources.iter().filter_map(|s| Date::parse(&s.as_of)).max().unwrap_or(today);
    file.as_of = newest.max(today).to_string();
    let known: BTreeSet<String> = base
        .ratios
        .iter()
        .map(|r| r.region.clone())
        .chain(base.prices.iter().map(|p| p.region.clone()))
        .chain(results.iter().map(|(q, _)| q.region.clone()))
        .collect();
    for (q, found) in results {
        let entry = |to_region: Option<String>, usd: f64, note: String| PriceEntry {
            service: q.kind,
            dimension: q.dimension.clone(),
            unit: q.unit.clone(),
            region: q.region.clone(),
            to_region,
            tier_from_gb: None,
            tier_to_gb: None,
            usd,
            basis: Basis::Read,
            source: source.clone(),
            note: Some(note),
        };
        if q.by_destination {
            let same =
                |p: &PriceEntry| p.service == q.kind && p.dimension == q.dimension && p.region == q.region;
            let at = file.prices.iter().position(same);
            file.prices.retain(|p| !same(p));
            let mut new = Vec::new();
            if let Some((usd, count, note)) = most_common(found) {
                new.push(entry(
                    None,
                    usd,
                    format!("Rate to {count} of {} destination regions; for example {note}", found.len()),
                ));
                for f in found.iter().filter(|f| (f.usd - usd).abs() > 1e-12) {
                    if let Some(to) = f.to_region.as_ref().filter(|t| known.contains(*t)) {
                        new.push(entry(Some(to.clone()), f.usd, f.note.clone()));
                    }
                }
            }
            let at = at.unwrap_or_else(|| insertion_point(&file.prices, q));
            let tail = file.prices.split_off(at);
            file.prices.extend(new);
            file.prices.extend(tail);
        } else if let Some(f) = found.first() {
            let e = entry(None, f.usd, f.note.clone());
            // A tiered dimension's first tier is the on-demand price the refresh reads.
            let existing = file.prices.iter().position(|p| {
                p.service == q.kind
                    && p.dimension == q.dimension
                    && p.region == q.region
                    && p.to_region.is_none()
                    && p.tier_from_gb.is_none_or(|t| t == 0.0)
            });
            if let Some(i) = existing {
                let tiers = (file.prices[i].tier_from_gb, file.prices[i].tier_to_gb);
                file.prices[i] = PriceEntry { tier_from_gb: tiers.0, tier_to_gb: tiers.1, ..e };
            } else {
                let at = insertion_point(&file.prices, q);
                file.prices.insert(at, e);
            }
        }
    }
    file
}

/// After the last entry of the same kind and dimension, else of the same kind, else at the end.
fn insertion_point(prices: &[PriceEntry], q: &Query) -> usize {
    let last = |f: &dyn Fn(&PriceEntry) -> bool| prices.iter().rposition(f).map(|i| i + 1);
    last(&|p| p.service == q.kind && p.dimension == q.dimension)
        .or_else(|| last(&|p| p.service == q.kind))
        .unwrap_or(prices.len())
}

/// The rate most destinations share (the lower rate on a tie), with its count and one note.
fn most_common(found: &[Found]) -> Option<(f64, usize, String)> {
    let mut counts: BTreeMap<u64, (usize, f64, &str)> = BTreeMap::new();
    for f in found {
        let key = (f.usd * 1e9).round() as u64;
        let c = counts.entry(key).or_insert((0, f.usd, f.note.as_str()));
        c.0 += 1;
    }
    let best = counts.values().fold(None::<(usize, f64, &str)>, |acc, &(n, usd, note)| match acc {
        Some((bn, ..)) if bn >= n => acc,
        _ => Some((n, usd, note)),
    })?;
    Some((best.1, best.0, best.2.to_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::float_cmp)]
    use super::*;
    use crate::pricing::plan::plan;
    use meridian_model::ServiceKind;
    use meridian_model::cost::PriceSnapshot;

    fn base() -> SnapshotFile {
        PriceSnapshot::builtin().unwrap().file().clone()
    }

    fn found(to: Option<&str>, usd: f64) -> Found {
        Found { to_region: to.map(str::to_owned), usd, note: format!("note {usd}") }
    }

    #[test]
    fn a_found_price_replaces_its_entry_and_a_new_region_is_added_beside_its_kind() {
        let base = base();
        let today = Date::parse("2026-12-01").unwrap();
        let q = plan(&base, &["us-east-1".into(), "eu-west-2".into()], &["alb".into()]).unwrap();
        let hours: Vec<&Query> = q.iter().filter(|q| q.dimension == "hours").collect();
        let results = vec![
            (hours[0].clone(), vec![found(None, 0.0226)]),
            (hours[1].clone(), vec![found(None, 0.0264)]),
        ];
        let out = merge(&base, &results, today);
        let snap = PriceSnapshot::from_file(out.clone()).unwrap();
        // Dated by its newest source: the base's, which is later than this test's `today`.
        let newest = base.sources.iter().filter_map(|s| Date::parse(&s.as_of)).max().unwrap();
        assert_eq!(out.as_of, newest.max(today).to_string());
        let us = snap.entry(snap.quote(ServiceKind::Alb, "hours", "us-east-1").unwrap().entry);
        assert_eq!(
            (us.usd, us.basis, us.source.as_str()),
            (0.0226, Basis::Read, "aws-price-list-api-2026-12-01")
        );
        let uk = snap.quote(ServiceKind::Alb, "hours", "eu-west-2").unwrap();
        assert_eq!((uk.usd, uk.ratio), (0.0264, 1.0));
        let i =
            out.prices.iter().position(|p| p.region == "eu-west-2" && p.service.as_str() == "alb").unwrap();
        assert_eq!(out.prices[i - 1].service.as_str(), "alb");
        assert_eq!(out.prices.len(), base.prices.len() + 1);
        let untouched: Vec<&PriceEntry> = out.prices.iter().filter(|p| p.service.as_str() != "alb").collect();
        assert_eq!(untouched, base.prices.iter().filter(|p| p.service.as_str() != "alb").collect::<Vec<_>>());
    }

    #[test]
    fn transfer_gets_the_common_rate_and_pairs_for_known_regions_that_differ() {
        let base = base();
        let q = plan(&base, &["us-east-1".into()], &["data-transfer".into()]).unwrap();
        let f = vec![
            found(Some("eu-west-1"), 0.02),
            found(Some("us-east-2"), 0.01),
            found(Some("us-west-2"), 0.02),
            found(Some("mx-central-1"), 0.05),
        ];
        let out = merge(&base, &[(q[0].clone(), f)], Date::parse("2026-12-01").unwrap());
        let rows: Vec<(Option<&str>, f64)> = out
            .prices
            .iter()
            // Inter-region transfer only: the snapshot also prices egress to the internet by tier.
            .filter(|p| {
                p.service.as_str() == "data-transfer"
                    && p.dimension == q[0].dimension
                    && p.region == "us-east-1"
            })
            .map(|p| (p.to_region.as_deref(), p.usd))
            .collect();
        assert_eq!(rows, [(None, 0.02), (Some("us-east-2"), 0.01)]);
        assert!(PriceSnapshot::from_file(out).is_ok());
    }
}
