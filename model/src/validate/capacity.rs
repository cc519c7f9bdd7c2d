//! Services that cannot serve the load the design sends them with nothing down.
//!
//! The simulator refuses what a service's units cannot serve (a unit serves the design's
//! `capacity_rps` share, else the kind's cited default, an assumption the catalog marks as such).
//! A design whose steady, all-healthy load already exceeds that shows an availability far below
//! anything a failure explains (a bundled example once showed 53% with no failure at all), so the
//! problems list says so before a simulation is run, with the figures.

use super::Problems;
use crate::catalog::Catalog;
use crate::cost::traffic::Traffic;
use crate::design::{Design, EntityRef};
use crate::numbers::thousands;

/// The smallest excess over capacity reported: the traffic model and the simulator's routing
/// agree on where requests go, but rounding of shares should not raise a warning.
const TOLERANCE: f64 = 1e-6;

/// Warns about every service whose average load, all healthy, exceeds what its units can serve
/// (its scaling maximum, when it scales). `looped`: whether calls loop
/// ([`super::calls::has_call_loop`]).
pub(super) fn over_capacity(out: &mut Problems, design: &Design, catalog: &Catalog, looped: bool) {
    // A loop of calls multiplies the traffic model's load up to its depth bound: the figures would
    // mean nothing, and the loop is warned about itself (`calls::call_loops`).
    if design.populations().next().is_none() || looped {
        return;
    }
    let traffic = Traffic::of(design, Some(catalog), design.workload().item_kb);
    for s in design.services() {
        let Some(spec) = catalog.kind(s.kind).capacity.as_ref() else { continue };
        if s.config.standby.is_some() {
            continue;
        }
        let load = traffic.load(&s.id).requests_per_sec();
        let count = s.config.count;
        if load <= 0.0 || count == 0 {
            continue;
        }
        let per_unit = match s.config.capacity_rps {
            Some(total) => total / f64::from(count),
            None => spec.requests_per_sec.value,
        };
        let max_units = s.config.scaling.as_ref().map_or(count, |sc| sc.max.max(count));
        let capacity = per_unit * f64::from(max_units);
        if load <= capacity * (1.0 + TOLERANCE) {
            continue;
        }
        let refused = 100.0 * (1.0 - capacity / load);
        let plural = if max_units == 1 { "" } else { "s" };
        let units = if max_units == count {
            format!("its {count} {unit}{plural}", unit = spec.unit)
        } else {
            format!("its scaling maximum of {max_units} {unit}{plural}", unit = spec.unit)
        };
        let each = match s.config.capacity_rps {
            Some(_) => "as its capacity_rps states".to_owned(),
            None => format!(
                "{} requests/s each, the catalog's assumption for {}",
                fmt_rate(per_unit),
                catalog.kind(s.kind).name
            ),
        };
        let needed = (load / per_unit).ceil();
        out.warn(
            EntityRef::Service(s.id.clone()),
            Some(if s.config.scaling.is_some() { "config.scaling.max" } else { "config.count" }),
            format!(
                "{} receives about {} requests/s with nothing down, but {units} serve at most {} ({each}): \
                 about {refused:.0}% of its requests are refused before any failure; run at least {needed:.0}, \
                 or state the capacity a load test measured (capacity_rps)",
                s.name,
                fmt_rate(load),
                fmt_rate(capacity),
            ),
        );
    }
}

/// A rate as the message shows it: whole numbers with thousands separators, small ones to one
/// decimal.
fn fmt_rate(x: f64) -> String {
    if x >= 100.0 { thousands(x) } else { format!("{x:.1}") }
}
