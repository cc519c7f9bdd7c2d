//! Cost during incidents: the extra cost of a failure scenario, per incident and per month.
//!
//! The simulator decides what happens in an incident; this module only prices it. An
//! [`Incident`] is a plain description: for how long, how often, which services run extra units
//! (capacity scaled up in surviving regions) and how many extra gigabytes cross regions (traffic
//! failed over to another region's stack, re-replication after recovery).

use serde::{Deserialize, Serialize};

use super::bill::{CostOptions, LineItem, Unpriced};
use super::service::PriceService;
use super::snapshot::PriceSnapshot;
use super::usage::{Pricer, Usage, capacity_lines};
use crate::design::Design;
use crate::ids::{RegionId, ServiceId};

/// Extra units a service runs during the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtraCapacity {
    /// The service scaled up.
    pub service: ServiceId,
    /// Extra instances, tasks or nodes (time-averaged over the incident; may be fractional).
    pub extra_units: f64,
}

/// Extra data sent between regions during the incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtraTransfer {
    /// The service whose region sends the data (it is charged).
    pub service: ServiceId,
    /// Destination region.
    pub to_region: RegionId,
    /// Gigabytes over the whole incident.
    pub gb: f64,
}

/// A failure scenario to price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Name, e.g. `us-east-1 outage`.
    pub name: String,
    /// How long one incident lasts, in hours.
    pub duration_hours: f64,
    /// Expected incidents per month (e.g. from the simulator's failure rate).
    pub incidents_per_month: f64,
    /// Capacity added while it lasts.
    pub extra_capacity: Vec<ExtraCapacity>,
    /// Transfer added while it lasts.
    pub extra_transfer: Vec<ExtraTransfer>,
}

/// The price of an incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IncidentCost {
    /// Lines for one incident (quantities over its duration).
    pub lines: Vec<LineItem>,
    /// Usage the snapshot has no price for.
    pub unpriced: Vec<Unpriced>,
    /// Extra USD per incident.
    pub usd_per_incident: f64,
    /// Extra USD per month: per incident times incidents per month.
    pub usd_per_month: f64,
}

/// Why an incident could not be priced.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IncidentError {
    /// A service id is not in the design.
    #[error("incident `{incident}`: service `{service}` is not in the design")]
    UnknownService {
        /// Incident name.
        incident: String,
        /// The id.
        service: ServiceId,
    },
    /// A figure is negative or not a number.
    #[error("incident `{incident}`: {field} must be a non-negative number, not {value}")]
    BadNumber {
        /// Incident name.
        incident: String,
        /// Which field.
        field: &'static str,
        /// The value.
        value: f64,
    },
}

/// Prices `incident` against `design` with the snapshot's prices.
pub fn incident_cost(
    design: &Design,
    prices: &PriceSnapshot,
    options: &CostOptions,
    incident: &Incident,
) -> Result<IncidentCost, IncidentError> {
    let bad = |field, value: f64| {
        (!(value.is_finite() && value >= 0.0)).then(|| IncidentError::BadNumber {
            incident: incident.name.clone(),
            field,
            value,
        })
    };
    if let Some(e) = bad("duration_hours", incident.duration_hours)
        .or(bad("incidents_per_month", incident.incidents_per_month))
    {
        return Err(e);
    }
    let mut p = Pricer::new(prices, options, 0);
    let unknown = |service: &ServiceId| IncidentError::UnknownService {
        incident: incident.name.clone(),
        service: service.clone(),
    };
    for x in &incident.extra_capacity {
        let s = design.service(&x.service).ok_or_else(|| unknown(&x.service))?;
        if let Some(e) = bad("extra_units", x.extra_units) {
            return Err(e);
        }
        capacity_lines(&mut p, s, x.extra_units, incident.duration_hours);
    }
    for x in &incident.extra_transfer {
        let s = design.service(&x.service).ok_or_else(|| unknown(&x.service))?;
        if let Some(e) = bad("gb", x.gb) {
            return Err(e);
        }
        let from = s.placement.region().map_or("global", RegionId::as_str);
        p.push(
            &Usage {
                service: &s.id,
                kind: PriceService::DataTransfer,
                price_kind: PriceService::DataTransfer,
                region: from,
                dimension: "inter-region-out",
                to_region: Some(x.to_region.as_str()),
                link: None,
            },
            x.gb,
        );
    }
    let usd_per_incident: f64 = p.lines.iter().map(|l| l.usd_per_month).sum();
    Ok(IncidentCost {
        usd_per_month: usd_per_incident * incident.incidents_per_month,
        usd_per_incident,
        lines: p.lines,
        unpriced: p.unpriced,
    })
}
