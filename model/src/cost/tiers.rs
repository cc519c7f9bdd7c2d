//! Volume tiers: usage of a tiered dimension (data transfer out to the internet, S3 Standard
//! storage, CloudFront data out) is priced once the month's volume of its region is known.
//!
//! AWS prices these by the month's total in a region (a CloudFront geography), not per resource:
//! the first 10 TB out of eu-west-1 cost $0.09 a GB whichever instance or load balancer sent
//! them. The services of a region fill its tiers in service id order, so each line's quantity is
//! the part of one service's volume that fell in one tier, and the lines add up to the tiered
//! price of the total. An account-wide free allowance (the first 100 GB a month out to the
//! internet, the first TB a month out of CloudFront) is taken first, across regions in region
//! code order, as lines of the dimension `<family>:free` at $0.

use std::collections::BTreeMap;

use super::bill::Tier;
use super::service::PriceService;
use super::usage::{Pricer, TieredUse, Usage};

/// Prices every usage collected with [`Pricer::push_tiered`].
pub(crate) fn settle(p: &mut Pricer<'_>) {
    let mut uses = std::mem::take(&mut p.tiered);
    uses.sort_by(|a, b| {
        (a.price_kind, &a.dimension, &a.region, &a.service, &a.link).cmp(&(
            b.price_kind,
            &b.dimension,
            &b.region,
            &b.service,
            &b.link,
        ))
    });
    // The free allowance left, per (price service, dimension family).
    let mut free_left: BTreeMap<(PriceService, String), f64> = BTreeMap::new();
    let mut start = 0;
    while start < uses.len() {
        let first = &uses[start];
        let end = start
            + uses[start..]
                .iter()
                .take_while(|u| {
                    u.price_kind == first.price_kind
                        && u.dimension == first.dimension
                        && u.region == first.region
                })
                .count();
        settle_region(p, &uses[start..end], &mut free_left);
        start = end;
    }
}

/// Prices the uses of one (service, dimension, region), which share its tiers.
fn settle_region(
    p: &mut Pricer<'_>,
    uses: &[TieredUse],
    free_left: &mut BTreeMap<(PriceService, String), f64>,
) {
    let Some(first) = uses.first() else { return };
    let family = first.dimension.split(':').next().unwrap_or_default().to_owned();
    let tiers = p.prices.tiers(first.price_kind, &first.dimension, &first.region);
    let free = p.prices.free_allowance(first.price_kind, &family);
    let free_dimension = format!("{family}:free");
    let mut volume = 0.0;
    for t in uses {
        let u = Usage {
            service: &t.service,
            kind: t.kind,
            price_kind: t.price_kind,
            region: &t.region,
            dimension: &t.dimension,
            to_region: None,
            link: t.link.as_ref(),
        };
        if tiers.is_empty() {
            p.unpriced(&u, t.quantity);
            continue;
        }
        let mut left = t.quantity;
        if let Some((amount, entry)) = free {
            let allowance = free_left.entry((first.price_kind, family.clone())).or_insert(amount);
            let take = left.min(*allowance);
            if take > 0.0 {
                let q = p.prices.quote_entry(entry);
                let tier = Some(Tier { from_gb: 0.0, to_gb: Some(amount) });
                p.push_quote(&Usage { dimension: &free_dimension, ..u }, take, &q, tier);
                *allowance -= take;
                left -= take;
            }
        }
        for tier in &tiers {
            if left <= 0.0 {
                break;
            }
            let end = tier.to_gb.unwrap_or(f64::INFINITY);
            if volume >= end {
                continue;
            }
            let take = left.min(end - volume);
            p.push_quote(&u, take, &tier.quote, Some(Tier { from_gb: tier.from_gb, to_gb: tier.to_gb }));
            volume += take;
            left -= take;
        }
    }
}
