//! Compiles functions' concurrency (AWS Lambda): the most environments each may use, its
//! capacity from that and its duration, and the ramp its load grows along.

use meridian_model::design::Service;
use meridian_model::{Catalog, Design};

use crate::recovery::CRamp;
use crate::tables::Compiled;

/// The most environments function `s` may use: its reserved concurrency (at most the account's
/// quota, the design's or else the catalog's, less the `unreserved_minimum` AWS keeps), else the
/// quota less every reservation of the functions in its region. `None` for kinds without a
/// concurrency model.
pub(super) fn max_units(design: &Design, catalog: &Catalog, s: &Service) -> Option<f64> {
    let spec = catalog.kind(s.kind).concurrency.as_ref()?;
    let quota = design.recovery().lambda_concurrency_quota.unwrap_or(spec.account_quota.value);
    let reservable = quota.saturating_sub(spec.unreserved_minimum.value).max(1);
    let units = if let Some(own) = s.config.concurrency.and_then(|c| c.reserved) {
        own.min(reservable)
    } else {
        let reserved: u32 = design
            .services()
            .filter(|o| o.kind == s.kind && o.placement.region() == s.placement.region())
            .filter_map(|o| o.config.concurrency.and_then(|c| c.reserved))
            .sum();
        quota.saturating_sub(reserved).max(spec.unreserved_minimum.value.min(quota))
    };
    Some(f64::from(units))
}

/// Seconds one request holds one of function `s`'s environments: its latency.
fn duration_s(catalog: &Catalog, s: &Service) -> f64 {
    s.latency_ms.unwrap_or(catalog.kind(s.kind).latency_ms.value) / 1e3
}

/// Function `s`'s capacity in requests per second: environments over duration (`None` for kinds
/// without a concurrency model, or a duration of zero).
pub(super) fn capacity_rps(design: &Design, catalog: &Catalog, s: &Service) -> Option<f64> {
    let d = duration_s(catalog, s);
    max_units(design, catalog, s).filter(|_| d > 0.0).map(|u| u / d)
}

/// The ramps of every function of `design` with a concurrency model and a compiled capacity from
/// it (a capacity the design states itself is taken as is: no ramp).
pub(super) fn ramps(design: &Design, catalog: &Catalog, c: &Compiled) -> Vec<CRamp> {
    design
        .services()
        .enumerate()
        .filter(|(_, s)| s.config.capacity_rps.is_none())
        .filter_map(|(si, s)| {
            let spec = catalog.kind(s.kind).concurrency.as_ref()?;
            let max_units = max_units(design, catalog, s)?;
            c.services.get(si)?.capacity_rps?;
            let provisioned = s.config.concurrency.and_then(|cc| cc.provisioned).unwrap_or(0);
            Some(CRamp {
                service: si,
                max_units,
                floor_units: f64::from(provisioned).min(max_units),
                duration_s: duration_s(catalog, s),
                burst_units: f64::from(spec.ramp_units.value),
                units_per_s: spec.units_per_sec(),
            })
        })
        .collect()
}
