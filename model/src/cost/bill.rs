//! The bill: line items and their totals by region, service kind, cost tag and entity.

use std::collections::BTreeMap;

use serde::Serialize;

use super::service::PriceService;
use super::shared::{Interner, SharedStr};
use super::snapshot::{Basis, PriceSnapshot, Quote, Term};
use crate::ids::{LinkId, ServiceId};

/// Which prices to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Commitment {
    /// On-demand list prices.
    #[default]
    None,
    /// One-year Savings Plans / reservations where the snapshot lists a factor.
    OneYear,
    /// Three-year Savings Plans / reservations where the snapshot lists a factor.
    ThreeYear,
}

impl Commitment {
    /// The snapshot term, if any.
    pub fn term(self) -> Option<Term> {
        match self {
            Commitment::None => None,
            Commitment::OneYear => Some(Term::OneYear),
            Commitment::ThreeYear => Some(Term::ThreeYear),
        }
    }

    /// A display name: `none`, `1y`, `3y`.
    pub fn label(self) -> &'static str {
        match self {
            Commitment::None => "none",
            Commitment::OneYear => "1y",
            Commitment::ThreeYear => "3y",
        }
    }
}

/// Options of a bill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostOptions {
    /// Commitment discounts to apply.
    pub commitment: Commitment,
    /// Hours in the month; the design's workload value when `None` (730 by default).
    pub hours_per_month: Option<f64>,
    /// Prices read longer ago than this many days are reported as stale.
    pub max_price_age_days: i64,
}

impl Default for CostOptions {
    fn default() -> Self {
        CostOptions { commitment: Commitment::None, hours_per_month: None, max_price_age_days: 180 }
    }
}

/// Where a line's unit price comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceRef {
    /// Index of the snapshot entry (`prices[i]` in the snapshot file).
    pub entry: usize,
    /// Key of the source the entry cites.
    pub source: SharedStr,
    /// Date that source was read.
    pub as_of: SharedStr,
    /// The entry's basis, or `Derived` when a regional ratio or commitment factor was applied.
    pub basis: Basis,
    /// Whether the figure rests on an estimate: an estimated entry or commitment factor, or a
    /// us-east-1 price scaled by a regional ratio because the region has no entry of its own.
    pub estimate: bool,
    /// Why the figure is an estimate, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate_reason: Option<SharedStr>,
    /// Regional ratio applied (1 when none).
    pub ratio: f64,
    /// Commitment factor applied (1 when none).
    pub commitment_factor: f64,
}

/// One line of the bill: `usd_per_month = quantity * unit_price_usd`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineItem {
    /// The service the cost belongs to.
    pub service: ServiceId,
    /// Its kind, or `data-transfer` for inter-region transfer.
    pub kind: PriceService,
    /// Region code, or `global`.
    pub region: SharedStr,
    /// Usage dimension, e.g. `vcpu-hours`, `inter-region-out`.
    pub dimension: SharedStr,
    /// Units used in a month.
    pub quantity: f64,
    /// The unit, e.g. `vCPU-hour`, `GB`.
    pub unit: SharedStr,
    /// USD per unit, after regional ratio and commitment factor.
    pub unit_price_usd: f64,
    /// USD per month.
    pub usd_per_month: f64,
    /// The link that causes the cost (replication, dependency, backup), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<LinkId>,
    /// For inter-region transfer: the destination region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_region: Option<SharedStr>,
    /// For volume-tiered prices: the tier of the month's volume this line's quantity falls in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Where the unit price comes from.
    pub price: PriceRef,
}

/// A volume tier: from and to, in GB (or GB-months) a month across the region (or, for a free
/// allowance, the account).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tier {
    /// Where the tier starts.
    pub from_gb: f64,
    /// Where it ends; `None` for the last tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_gb: Option<f64>,
}

impl std::fmt::Display for Tier {
    /// `0-10 TB`, `50-500 TB`, `over 150 TB`, `0-100 GB`: TB (1,024 GB) when both ends are whole TB.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tb = |gb: f64| gb / 1024.0;
        let whole = |gb: f64| gb > 0.0 && (tb(gb) - tb(gb).round()).abs() < 1e-9;
        match self.to_gb {
            Some(to) if whole(to) && (self.from_gb == 0.0 || whole(self.from_gb)) => {
                write!(f, "{}-{} TB", tb(self.from_gb), tb(to))
            }
            Some(to) => write!(f, "{}-{} GB", self.from_gb, to),
            None if whole(self.from_gb) => write!(f, "over {} TB", tb(self.from_gb)),
            None => write!(f, "over {} GB", self.from_gb),
        }
    }
}

/// Usage the snapshot has no price for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unpriced {
    /// The service.
    pub service: ServiceId,
    /// Pricing key looked up.
    pub kind: PriceService,
    /// Region looked up.
    pub region: String,
    /// Dimension looked up.
    pub dimension: String,
    /// Units that went unpriced.
    pub quantity: f64,
}

/// A source read longer ago than the configured age.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaleSource {
    /// Source key.
    pub source: String,
    /// When it was read.
    pub as_of: String,
    /// Days since.
    pub age_days: i64,
}

/// A design's monthly bill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bill {
    /// Sum of every line.
    pub total_usd_per_month: f64,
    /// The price snapshot's date.
    pub price_snapshot_date: String,
    /// Commitment option used.
    pub commitment: Commitment,
    /// Hours in the month used.
    pub hours_per_month: f64,
    /// Total by region code (`global` for global services).
    pub by_region: BTreeMap<String, f64>,
    /// Total by service kind (`data-transfer` for inter-region transfer).
    pub by_service: BTreeMap<String, f64>,
    /// Total by tag key, then tag value (`(untagged)` for services without the key). Always holds
    /// `team` and `environment`; each key's values add up to the total.
    pub by_tag: BTreeMap<String, BTreeMap<String, f64>>,
    /// Total by service id.
    pub by_entity: BTreeMap<ServiceId, f64>,
    /// Lines resting on an estimated figure.
    pub estimate_lines: usize,
    /// Sources used that are older than the configured age (empty when `today` was not given).
    pub stale_sources: Vec<StaleSource>,
    /// Usage with no price in the snapshot.
    pub unpriced: Vec<Unpriced>,
    /// The line items, by service id, then kind, region and dimension.
    pub lines: Vec<LineItem>,
}

impl Bill {
    /// Monthly cost of one service (its own lines, including transfer it sends).
    pub fn service_usd_per_month(&self, service: &ServiceId) -> f64 {
        self.by_entity.get(service).copied().unwrap_or(0.0)
    }

    /// The lines of one service.
    pub fn lines_of<'a>(&'a self, service: &'a ServiceId) -> impl Iterator<Item = &'a LineItem> + 'a {
        self.lines.iter().filter(move |l| &l.service == service)
    }

    /// The `n` most expensive lines, most expensive first.
    pub fn top_lines(&self, n: usize) -> Vec<&LineItem> {
        let mut v: Vec<_> = self.lines.iter().collect();
        v.sort_by(|a, b| b.usd_per_month.total_cmp(&a.usd_per_month));
        v.truncate(n);
        v
    }
}

/// Builds a [`PriceRef`] for a quote under a commitment factor, its texts from `texts`. A price
/// scaled by a regional ratio is an estimate whatever the ratio's own basis: a region's EC2 price
/// level says little about another service's (NAT gateways cost 2.07 times us-east-1's in
/// sa-east-1 where EC2 costs 1.59 times; Lambda costs the same everywhere).
pub(crate) fn price_ref(
    prices: &PriceSnapshot,
    texts: &mut Interner,
    q: &Quote,
    region: &str,
    factor: f64,
    factor_estimate: bool,
) -> PriceRef {
    let e = prices.entry(q.entry);
    let basis = if q.ratio_entry.is_some() || factor < 1.0 { Basis::Derived } else { e.basis };
    let reason = if let Some(r) = q.ratio_entry {
        Some(texts.get(&format!(
            "{region} has no {} {} price of its own: us-east-1's times {region}'s EC2 price ratio {}",
            e.service,
            e.dimension,
            prices.ratio(r).ratio
        )))
    } else if e.basis == Basis::Estimate || is_derived_estimate(e) {
        Some(texts.get(&format!("the snapshot's {} {} price is an estimate", e.service, e.dimension)))
    } else if factor_estimate {
        Some(texts.get("the commitment factor is an estimate"))
    } else {
        None
    };
    PriceRef {
        entry: q.entry,
        source: texts.get(&e.source),
        as_of: texts.get(prices.entry_source(q.entry).map_or("", |s| s.as_of.as_str())),
        basis,
        estimate: reason.is_some(),
        estimate_reason: reason,
        ratio: q.ratio,
        commitment_factor: factor,
    }
}

/// A derived entry whose note says it inherits an estimate.
fn is_derived_estimate(e: &super::snapshot::PriceEntry) -> bool {
    e.basis == Basis::Derived && e.note.as_deref().is_some_and(|n| n.contains("Estimate"))
}
