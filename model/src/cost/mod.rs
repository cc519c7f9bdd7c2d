//! The cost model: a design's monthly bill from its workload and an offline price snapshot.
//!
//! [`bill()`] is a pure function of a design, a [`PriceSnapshot`] and [`CostOptions`]: it follows
//! the populations' requests through the design ([`traffic`]), turns what each service and link
//! uses into line items priced from the snapshot ([`usage`]), and adds them up ([`Bill`]). Every
//! line's unit price points at a dated, cited snapshot entry. [`incident`] prices the extra
//! capacity and transfer of a failure scenario. This module knows nothing of the simulator.

mod bill;
#[cfg(feature = "counters")]
pub mod counters;
pub mod date;
pub mod footprint;
pub mod forecast;
pub mod geography;
mod groups;
pub mod incident;
mod order;
pub mod service;
mod shared;
pub mod snapshot;
mod tiers;
pub mod traffic;
pub mod usage;

use std::collections::BTreeMap;

pub use bill::{Bill, Commitment, CostOptions, LineItem, PriceRef, StaleSource, Tier, Unpriced};
pub use date::Date;
pub use footprint::shared_entity;
pub use forecast::{Forecast, MonthCost, forecast};
pub use incident::{ExtraCapacity, ExtraTransfer, Incident, IncidentCost, incident_cost};
pub use service::PriceService;
pub use shared::SharedStr;
pub use snapshot::{Basis, PriceSnapshot, SnapshotError, Term};

use crate::catalog::Catalog;
use crate::design::Design;
use traffic::Traffic;
use usage::{Ctx, Pricer};

/// Tag keys every bill totals by, whether or not a service carries them.
pub const COST_TAGS: [&str; 2] = ["team", "environment"];

/// The monthly bill of `design` (with the built-in catalog for routing and datastore facts).
pub fn bill(design: &Design, prices: &PriceSnapshot, options: &CostOptions) -> Bill {
    bill_with(design, Catalog::builtin().ok(), prices, options)
}

/// The monthly bill of `design`, with an explicit catalog. Without one, latency routing cannot find
/// the nearest region (the first endpoint wins) and replication is treated as one-way.
pub fn bill_with(
    design: &Design,
    catalog: Option<&Catalog>,
    prices: &PriceSnapshot,
    options: &CostOptions,
) -> Bill {
    #[cfg(feature = "counters")]
    counters::count_bill();
    bill_scaled(design, catalog, prices, options, 1.0)
}

/// The bill with every population's requests multiplied by `traffic_scale` (the forecast's months).
pub(crate) fn bill_scaled(
    design: &Design,
    catalog: Option<&Catalog>,
    prices: &PriceSnapshot,
    options: &CostOptions,
    traffic_scale: f64,
) -> Bill {
    let workload = design.workload();
    let hours = options.hours_per_month.unwrap_or(workload.hours_per_month);
    let traffic = Traffic::scaled(design, catalog, workload.item_kb, traffic_scale);
    let groups = groups::same_kind_checked(design);
    let stored = footprint::stored(design, &groups.0);
    let mut loads =
        rustc_hash::FxHashMap::with_capacity_and_hasher(traffic.services.len(), rustc_hash::FxBuildHasher);
    loads.extend(traffic.services.iter().map(|(id, load)| (id, *load)));
    let cx = Ctx {
        design,
        catalog,
        traffic: &traffic,
        loads,
        hours,
        item_kb: workload.item_kb,
        stored,
        groups: &groups,
    };
    let mut p = Pricer::new(prices, options, design.services().len());
    for s in design.services() {
        // A cold standby is not deployed until a failover needs it: nothing to pay for meanwhile.
        if s.config.standby == Some(crate::design::Standby::Cold) {
            continue;
        }
        usage::service_lines(&mut p, &cx, s);
    }
    usage::link_lines(&mut p, &cx);
    footprint::footprint_lines(&mut p, &cx);
    tiers::settle(&mut p);
    let Pricer { lines, unpriced, .. } = p;
    totals(design, prices, options, order::sorted(design, lines), unpriced, hours)
}

/// The bill with the snapshot's sources checked for age against `today`.
pub fn with_staleness(mut bill: Bill, prices: &PriceSnapshot, max_age_days: i64, today: Date) -> Bill {
    let used: std::collections::BTreeSet<&str> = bill.lines.iter().map(|l| l.price.source.as_str()).collect();
    bill.stale_sources = used
        .into_iter()
        .filter_map(|id| {
            let d = prices.source_date(id)?;
            let age = d.days_until(today);
            (age > max_age_days).then(|| StaleSource {
                source: id.to_owned(),
                as_of: d.to_string(),
                age_days: age,
            })
        })
        .collect();
    bill
}

fn totals(
    design: &Design,
    prices: &PriceSnapshot,
    options: &CostOptions,
    lines: Vec<LineItem>,
    unpriced: Vec<Unpriced>,
    hours: f64,
) -> Bill {
    // Sums in line order, each starting from 0 (as `entry().or_default()` would), keyed by borrowed
    // strings while summing; the lines come sorted by service, so a service's lines are one run.
    // Regions and kinds are a dozen or two: a short list searched from the last hit beats an
    // ordered map (a line's region text is the bill's one shared copy, so equal texts are
    // usually one pointer).
    let mut by_region: Vec<(&str, f64)> = Vec::new();
    let mut by_service: Vec<(PriceService, f64)> = Vec::new();
    let mut entities: Vec<(&crate::ids::ServiceId, f64)> = Vec::new();
    let mut total = 0.0;
    let mut estimate_lines = 0;
    for l in &lines {
        total += l.usd_per_month;
        let region = l.region.as_str();
        match by_region.iter_mut().rev().find(|(r, _)| std::ptr::eq(*r, region) || *r == region) {
            Some((_, sum)) => *sum += l.usd_per_month,
            None => by_region.push((region, 0.0 + l.usd_per_month)),
        }
        match by_service.iter_mut().rev().find(|(k, _)| *k == l.kind) {
            Some((_, sum)) => *sum += l.usd_per_month,
            None => by_service.push((l.kind, 0.0 + l.usd_per_month)),
        }
        match entities.last_mut() {
            Some((id, sum)) if *id == &l.service => *sum += l.usd_per_month,
            _ => entities.push((&l.service, 0.0 + l.usd_per_month)),
        }
        estimate_lines += usize::from(l.price.estimate);
    }
    let by_region: BTreeMap<String, f64> = by_region.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let by_service: BTreeMap<String, f64> =
        by_service.into_iter().map(|(k, v)| (k.as_str().to_owned(), v)).collect();
    let by_entity: BTreeMap<crate::ids::ServiceId, f64> =
        entities.iter().map(|(id, usd)| ((*id).clone(), *usd)).collect();
    // Borrowed while collected: most services repeat the same few keys.
    let mut keys: std::collections::BTreeSet<&str> = COST_TAGS.into_iter().collect();
    for s in design.services() {
        keys.extend(s.tags.keys().map(String::as_str));
    }
    // Each entity's service, found once rather than once per tag key: entities and services both
    // come in id order, so one walk along the services finds them all. Most entities are the next
    // service, whose id is the one the lines share (equal without reading the text).
    let mut services = design.services().peekable();
    let owners: Vec<(Option<&crate::design::Service>, f64)> = by_entity
        .iter()
        .map(|(id, usd)| {
            loop {
                match services.peek() {
                    Some(s) if s.id == *id => break (services.next(), *usd),
                    Some(s) if s.id < *id => {
                        services.next();
                    }
                    _ => break (None, *usd),
                }
            }
        })
        .collect();
    let mut by_tag: BTreeMap<String, BTreeMap<String, f64>> = BTreeMap::new();
    for key in keys {
        let per_value = by_tag.entry(key.to_owned()).or_default();
        for (service, usd) in &owners {
            let value = service.and_then(|s| s.tags.get(key)).map_or("(untagged)", String::as_str);
            match per_value.get_mut(value) {
                Some(sum) => *sum += usd,
                None => {
                    per_value.insert(value.to_owned(), *usd);
                }
            }
        }
    }
    Bill {
        total_usd_per_month: total,
        price_snapshot_date: prices.as_of().to_string(),
        commitment: options.commitment,
        hours_per_month: hours,
        by_region,
        by_service,
        by_tag,
        by_entity,
        estimate_lines,
        stale_sources: Vec::new(),
        unpriced,
        lines,
    }
}
