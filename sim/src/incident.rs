//! What an incident in a traced run adds to the bill, as the cost model's plain description
//! (`meridian_model::cost::Incident`): the cost model prices it without knowing the simulator.
//!
//! Normal operation is the serving of the run's first frame. While a population is served by a
//! region that did not serve it normally, that region carries extra load: each of its services
//! with a capacity per unit scales up in proportion (extra units = its count times the moved load
//! over the region's normal load; a region with no normal load, such as a pilot light, needs the
//! moved load divided by the kind's capacity per unit). Writes that land in the surviving region
//! are copied back along its replication links when the failed region returns: that is the extra
//! cross-region transfer. Durations and counts come from the traced run; with random failures the
//! run's incident rate gives incidents per month, with scheduled injections only the cost per
//! incident is meaningful (incidents per month is then 0).

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::cost::{ExtraCapacity, ExtraTransfer, Incident};
use meridian_model::design::LinkKind;
use meridian_model::{Catalog, Design, PopulationId, RegionId, ServiceId};

use crate::scenario::Scenario;
use crate::trace::Trace;

/// The incident of `trace` (run of `scenario` on `design`) as extra capacity and transfer.
pub fn incident_from_trace(
    trace: &Trace,
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
) -> Incident {
    let rate = |p: usize| {
        trace
            .populations
            .get(p)
            .and_then(|id| design.population(&PopulationId::new(id.clone())))
            .map_or((0.0, 0.0), |pop| (pop.requests_per_sec, pop.write_fraction))
    };
    let Some(first) = trace.frames.first() else { return empty(scenario) };
    let normal: Vec<BTreeSet<usize>> =
        first.serving_regions.iter().map(|rs| rs.iter().copied().collect()).collect();
    // Normal load per region.
    let mut normal_load: BTreeMap<usize, f64> = BTreeMap::new();
    for (p, rs) in first.serving_regions.iter().enumerate() {
        let share = first.served.get(p).copied().unwrap_or(0.0);
        for &r in rs {
            *normal_load.entry(r).or_default() += rate(p).0 * share / rs.len() as f64;
        }
    }
    // Moved load per region, integrated over incident frames (request-seconds), and moved writes.
    let mut moved: BTreeMap<usize, f64> = BTreeMap::new();
    let mut moved_writes: BTreeMap<usize, f64> = BTreeMap::new();
    let mut incident_secs = 0.0;
    let mut periods = 0usize;
    let mut in_incident = false;
    for (i, f) in trace.frames.iter().enumerate() {
        let end = trace.frames.get(i + 1).map_or(trace.horizon_us, |n| n.t_us).max(f.t_us);
        let secs = (end - f.t_us) as f64 / 1e6;
        let mut any = false;
        for (p, rs) in f.serving_regions.iter().enumerate() {
            let share = f.served.get(p).copied().unwrap_or(0.0);
            for &r in rs {
                if normal.get(p).is_some_and(|n| !n.contains(&r)) {
                    any = true;
                    let (rps, writes) = rate(p);
                    let load = rps * share / rs.len() as f64;
                    *moved.entry(r).or_default() += load * secs;
                    *moved_writes.entry(r).or_default() += load * writes * secs;
                }
            }
        }
        if any {
            incident_secs += secs;
            if !in_incident {
                periods += 1;
            }
        }
        in_incident = any;
    }
    if incident_secs <= 0.0 {
        return empty(scenario);
    }
    let mut extra_capacity = Vec::new();
    let mut extra_transfer = Vec::new();
    for (r, request_secs) in &moved {
        let Some(region) = trace.regions.get(*r).map(|c| RegionId::new(c.clone())) else { continue };
        let avg_moved_rps = request_secs / incident_secs;
        let normal_rps = normal_load.get(r).copied().unwrap_or(0.0);
        for s in design.services_in(&region) {
            let Some(cap) = catalog.kind(s.kind).capacity.as_ref() else { continue };
            let units = if normal_rps > 0.0 && s.config.count > 0 {
                f64::from(s.config.count) * avg_moved_rps / normal_rps
            } else if cap.requests_per_sec.value > 0.0 {
                avg_moved_rps / cap.requests_per_sec.value
            } else {
                0.0
            };
            if units > 0.0 {
                extra_capacity.push(ExtraCapacity { service: s.id.clone(), extra_units: units });
            }
        }
        // Writes taken here are copied back along replication links when the other side returns.
        // Per incident: the run's moved writes spread over its incident periods.
        let writes = moved_writes.get(r).copied().unwrap_or(0.0) / periods.max(1) as f64;
        let gb = writes * design.workload().item_kb / 1e6;
        for s in design.services_in(&region) {
            for l in design.links_from(&s.id).chain(design.links_to(&s.id)) {
                if !matches!(l.kind, LinkKind::Replication(_)) {
                    continue;
                }
                let other: &ServiceId = if l.from == s.id { &l.to } else { &l.from };
                if let Some(to) = design.region_of(other).filter(|to| **to != region) {
                    extra_transfer.push(ExtraTransfer { service: s.id.clone(), to_region: to.clone(), gb });
                }
            }
        }
    }
    let periods = periods.max(1) as f64;
    let horizon_hours = trace.horizon_us as f64 / 3.6e9;
    let random = scenario.injections.is_empty();
    Incident {
        name: scenario.name.clone(),
        duration_hours: incident_secs / 3600.0 / periods,
        incidents_per_month: if random && horizon_hours > 0.0 {
            periods * 730.0 / horizon_hours
        } else {
            0.0
        },
        extra_capacity,
        extra_transfer,
    }
}

fn empty(scenario: &Scenario) -> Incident {
    Incident {
        name: scenario.name.clone(),
        duration_hours: 0.0,
        incidents_per_month: 0.0,
        extra_capacity: Vec::new(),
        extra_transfer: Vec::new(),
    }
}
