//! Price List JSON to snapshot prices: parse a `GetProducts` `PriceList` entry (a JSON document in
//! a string) and pick the on-demand USD price a query asks for.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::plan::Query;

/// One product of the Price List with its on-demand price dimensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    /// The SKU.
    pub sku: String,
    /// Product attributes (`usagetype`, `regionCode`, `toRegionCode`, ...).
    pub attributes: BTreeMap<String, String>,
    /// On-demand price dimensions priced in USD, in tier order.
    pub tiers: Vec<Tier>,
}

/// One on-demand price dimension (a tier).
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// The Price List's unit (`Hrs`, `GB-Mo`, `Requests`).
    pub unit: String,
    /// Start of the tier in units (0 for the first).
    pub begin: f64,
    /// USD per unit.
    pub usd: f64,
    /// The rate code.
    pub rate_code: String,
}

#[derive(Deserialize)]
struct RawItem {
    product: RawProduct,
    terms: RawTerms,
}

#[derive(Deserialize)]
struct RawProduct {
    sku: String,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawTerms {
    #[serde(rename = "OnDemand", default)]
    on_demand: BTreeMap<String, RawTerm>,
}

#[derive(Deserialize)]
struct RawTerm {
    #[serde(rename = "priceDimensions")]
    price_dimensions: BTreeMap<String, RawDimension>,
}

#[derive(Deserialize)]
struct RawDimension {
    unit: String,
    #[serde(rename = "beginRange", default)]
    begin_range: Option<String>,
    #[serde(rename = "pricePerUnit")]
    price_per_unit: BTreeMap<String, String>,
    #[serde(rename = "rateCode")]
    rate_code: String,
}

/// Parses one `PriceList` entry. The error says what is wrong (with serde's line and column).
pub fn parse_product(text: &str) -> Result<Product, String> {
    let raw: RawItem = serde_json::from_str(text).map_err(|e| format!("not a Price List product: {e}"))?;
    let mut tiers = Vec::new();
    for term in raw.terms.on_demand.values() {
        for d in term.price_dimensions.values() {
            let Some(usd) = d.price_per_unit.get("USD") else { continue };
            let usd: f64 =
                usd.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| {
                    format!("rate {}: pricePerUnit USD `{usd}` is not a price", d.rate_code)
                })?;
            let begin = match d.begin_range.as_deref() {
                None | Some("") => 0.0,
                Some(b) => b
                    .parse()
                    .map_err(|_| format!("rate {}: beginRange `{b}` is not a number", d.rate_code))?,
            };
            tiers.push(Tier { unit: d.unit.clone(), begin, usd, rate_code: d.rate_code.clone() });
        }
    }
    tiers.sort_by(|a, b| a.begin.total_cmp(&b.begin).then_with(|| a.rate_code.cmp(&b.rate_code)));
    Ok(Product { sku: raw.product.sku, attributes: raw.product.attributes, tiers })
}

/// A price found for a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Destination region for per-destination prices.
    pub to_region: Option<String>,
    /// USD per snapshot unit.
    pub usd: f64,
    /// Where exactly it was read.
    pub note: String,
}

/// What the Price List held for a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// One price (or one per destination).
    Found(Vec<Found>),
    /// No product matched: the filters or the usage type found nothing priced in USD.
    NotFound,
    /// Several matching products with different prices; none is taken.
    Ambiguous(Vec<String>),
}

/// Picks the query's price from the products of all pages: products of the wanted usage type,
/// their first tier with a non-zero price (free tiers are never deducted), times the query's scale.
pub fn select(query: &Query, products: &[Product]) -> Selection {
    let mut by_destination: BTreeMap<String, Vec<(f64, String)>> = BTreeMap::new();
    for p in products {
        let usagetype = p.attributes.get("usagetype").map_or("", String::as_str);
        if !query.wants_usagetype(usagetype) {
            continue;
        }
        let Some(tier) = p.tiers.iter().find(|t| t.usd > 0.0).or_else(|| p.tiers.first()) else {
            continue;
        };
        let to = if query.by_destination {
            match p.attributes.get("toRegionCode") {
                Some(t) if !t.is_empty() => t.clone(),
                _ => continue,
            }
        } else {
            String::new()
        };
        let scaled = if (query.scale - 1.0).abs() < f64::EPSILON {
            String::new()
        } else {
            format!(", times {} per {}", query.scale, query.unit)
        };
        let note = format!(
            "AWS Price List Query API, GetProducts {}: sku {}, usagetype {usagetype}, rate code {}, ${} per {}{}{scaled}.",
            query.service_code,
            p.sku,
            tier.rate_code,
            tier.usd,
            tier.unit,
            if tier.begin > 0.0 { format!(" from {} {}", tier.begin, tier.unit) } else { String::new() },
        );
        by_destination.entry(to).or_default().push((tier.usd * query.scale, note));
    }
    if by_destination.is_empty() {
        return Selection::NotFound;
    }
    let mut found = Vec::new();
    for (to, mut candidates) in by_destination {
        candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let (lo, hi) = (candidates[0].0, candidates[candidates.len() - 1].0);
        if (hi - lo).abs() > 1e-12 * hi.abs().max(1.0) {
            return Selection::Ambiguous(candidates.into_iter().map(|(_, n)| n).collect());
        }
        let (usd, note) = candidates.swap_remove(0);
        found.push(Found { to_region: (!to.is_empty()).then_some(to), usd, note });
    }
    Selection::Found(found)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::float_cmp)]
    use super::*;

    fn item(sku: &str, usagetype: &str, tiers: &[(&str, &str)]) -> String {
        let dims: Vec<String> = tiers
            .iter()
            .enumerate()
            .map(|(i, (begin, usd))| {
                format!(
                    r#""{sku}.T.{i}":{{"unit":"Requests","beginRange":"{begin}","endRange":"Inf","pricePerUnit":{{"USD":"{usd}"}},"rateCode":"{sku}.T.{i}","appliesTo":[],"description":"x"}}"#
                )
            })
            .collect();
        format!(
            r#"{{"product":{{"productFamily":"API Request","attributes":{{"usagetype":"{usagetype}","regionCode":"eu-west-1"}},"sku":"{sku}"}},"serviceCode":"AWSQueueService","terms":{{"OnDemand":{{"{sku}.T":{{"priceDimensions":{{{}}},"sku":"{sku}","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"T","termAttributes":{{}}}}}}}},"version":"1","publicationDate":"2026-11-01T00:00:00Z"}}"#,
            dims.join(",")
        )
    }

    fn sqs_query() -> Query {
        Query {
            kind: meridian_model::ServiceKind::Sqs.into(),
            dimension: "requests".into(),
            unit: "million requests".into(),
            region: "eu-west-1".into(),
            service_code: "AWSQueueService".into(),
            filters: vec![],
            usagetype: "Requests-RBP".into(),
            scale: 1_000_000.0,
            by_destination: false,
        }
    }

    #[test]
    fn the_first_paid_tier_is_taken_and_scaled_to_the_snapshot_unit() {
        let p = parse_product(&item(
            "ABC",
            "EU-Requests-RBP",
            &[("0", "0.0000000000"), ("1000000", "0.0000004000")],
        ))
        .unwrap();
        let other = parse_product(&item("DEF", "EU-Requests-FIFO-RBP", &[("0", "0.0000005000")])).unwrap();
        let Selection::Found(f) = select(&sqs_query(), &[other, p]) else { panic!() };
        assert_eq!(f.len(), 1);
        assert!((f[0].usd - 0.40).abs() < 1e-9, "{}", f[0].usd);
        assert!(
            f[0].note.contains("sku ABC") && f[0].note.contains("from 1000000 Requests"),
            "{}",
            f[0].note
        );
    }

    #[test]
    fn no_match_and_conflicting_matches_are_not_prices() {
        let other = parse_product(&item("DEF", "EU-Requests-FIFO-RBP", &[("0", "0.0000005")])).unwrap();
        assert_eq!(select(&sqs_query(), &[other]), Selection::NotFound);
        let a = parse_product(&item("A", "EU-Requests-RBP", &[("0", "0.0000004")])).unwrap();
        let b = parse_product(&item("B", "EU-Requests-RBP", &[("0", "0.0000005")])).unwrap();
        assert!(matches!(select(&sqs_query(), &[a, b]), Selection::Ambiguous(n) if n.len() == 2));
    }

    #[test]
    fn malformed_entries_say_what_is_wrong() {
        assert!(parse_product("{\"product\":").unwrap_err().contains("not a Price List product"));
        let e = parse_product(&item("A", "EU-Requests-RBP", &[("0", "cheap")])).unwrap_err();
        assert!(e.contains("`cheap`") && e.contains("A.T.0"), "{e}");
        assert!(parse_product(r#"{"product":{"sku":"A"}}"#).unwrap_err().contains("terms"));
    }
}
