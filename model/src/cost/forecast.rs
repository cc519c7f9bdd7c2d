//! The forecast: the monthly bill over the coming months as the workload grows.
//!
//! `workload.growth_percent_per_month` compounds: month `m` (from 1) serves
//! `(1 + growth / 100)^(m - 1)` times today's requests. Each month is a whole bill of the design
//! with its populations' requests scaled so, so volume tiers and free allowances apply to the
//! month's own volume. Capacity stays what the design declares (`count`): the forecast prices the
//! design as drawn, and a design whose traffic outgrows it needs more units, which the simulator's
//! capacity checks show. Storage stays the design's `storage_gb`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::bill::CostOptions;
use super::snapshot::PriceSnapshot;
use crate::catalog::Catalog;
use crate::design::Design;

/// The most months a forecast covers (ten years).
pub const MAX_MONTHS: u32 = 120;

/// One month of a forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthCost {
    /// Month number, 1 for the first (today's traffic).
    pub month: u32,
    /// Requests relative to today's.
    pub traffic_factor: f64,
    /// The month's bill.
    pub total_usd: f64,
    /// The month's bill by service kind (as [`super::Bill::by_service`]).
    pub by_service: BTreeMap<String, f64>,
}

/// The bill month by month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    /// Growth applied, percent a month (the design's workload).
    pub growth_percent_per_month: f64,
    /// The months, first to last.
    pub months: Vec<MonthCost>,
}

impl Forecast {
    /// Sum of the months' bills.
    pub fn total_usd(&self) -> f64 {
        self.months.iter().map(|m| m.total_usd).sum()
    }
}

/// The bill of `design` for each of the next `months` months (at most [`MAX_MONTHS`]).
pub fn forecast(
    design: &Design,
    catalog: Option<&Catalog>,
    prices: &PriceSnapshot,
    options: &CostOptions,
    months: u32,
) -> Forecast {
    let growth = design.workload().growth_percent_per_month;
    // Without growth every month is today's bill: price it once (the designer forecasts on every edit).
    let flat = (growth == 0.0).then(|| {
        let b = super::bill_scaled(design, catalog, prices, options, 1.0);
        (b.total_usd_per_month, b.by_service)
    });
    let months = (1..=months.min(MAX_MONTHS))
        .map(|month| {
            let traffic_factor = (1.0 + growth / 100.0).powf(f64::from(month - 1));
            let (total_usd, by_service) = flat.clone().unwrap_or_else(|| {
                let b = super::bill_scaled(design, catalog, prices, options, traffic_factor);
                (b.total_usd_per_month, b.by_service)
            });
            MonthCost { month, traffic_factor, total_usd, by_service }
        })
        .collect();
    Forecast { growth_percent_per_month: growth, months }
}
