//! The latency model applied to a design: the round trips between its regions, and each
//! population's path to the regions its entry can send it to.

use serde::{Deserialize, Serialize};

use crate::Catalog;
use crate::catalog::{KindSpec, RouterMechanism};
use crate::design::{Design, LinkKind, Population};
use crate::ids::ServiceId;
use crate::latency::region::{Basis, region_rtt};
use crate::latency::user::{UserPath, user_path};

/// The round trip between two regions of a design, and where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRtt {
    /// First region (design order).
    pub a: String,
    /// Second region.
    pub b: String,
    /// Round trip, ms.
    pub rtt_ms: f64,
    /// Measured, or estimated by the fallback formula.
    pub basis: Basis,
    /// Key of the catalog source of the figure (for an estimate, of the table it was fitted to).
    pub source: String,
}

/// The round trip of every pair of the design's regions, in design order.
pub fn design_round_trips(design: &Design, catalog: &Catalog) -> Vec<PairRtt> {
    let regions: Vec<&str> = design.regions().map(|r| r.id.as_str()).collect();
    let mut out = Vec::new();
    for (i, a) in regions.iter().enumerate() {
        for b in &regions[i + 1..] {
            let Some(rtt) = region_rtt(catalog, a, b) else { continue };
            let source = match catalog.measured_rtt(a, b) {
                Some((_, d)) => d.source.clone(),
                None => catalog.latency().fallback.bands.source.clone(),
            };
            out.push(PairRtt {
                a: (*a).to_owned(),
                b: (*b).to_owned(),
                rtt_ms: rtt.ms,
                basis: rtt.basis,
                source,
            });
        }
    }
    out
}

/// Every round trip without a measurement that the design's figures rest on: pairs of its
/// regions, and pairs on its populations' edge paths (the region nearest the edge to the serving
/// region). Each pair once, as [`design_round_trips`] writes it (design order, else as found).
pub fn estimated_round_trips(design: &Design, catalog: &Catalog) -> Vec<PairRtt> {
    let mut out: Vec<PairRtt> =
        design_round_trips(design, catalog).into_iter().filter(|p| p.basis == Basis::Estimated).collect();
    for pop in design.populations() {
        for path in population_paths(design, catalog, pop) {
            let Some((a, b)) = path.estimated_pair() else { continue };
            if out.iter().any(|p| (p.a == a && p.b == b) || (p.a == b && p.b == a)) {
                continue;
            }
            if let Some(rtt) = region_rtt(catalog, a, b) {
                out.push(PairRtt {
                    a: a.to_owned(),
                    b: b.to_owned(),
                    rtt_ms: rtt.ms,
                    basis: rtt.basis,
                    source: catalog.latency().fallback.bands.source.clone(),
                });
            }
        }
    }
    out
}

/// Whether users entering at a service of this kind join the AWS network at an edge location
/// (Global Accelerator's anycast, CloudFront), rather than crossing the internet to the region.
pub fn enters_at_edge(kind: &KindSpec) -> bool {
    kind.router.as_ref().is_some_and(|r| match r.mechanism {
        RouterMechanism::Anycast | RouterMechanism::Cdn => true,
        RouterMechanism::Dns | RouterMechanism::LoadBalancer => false,
    })
}

/// The paths from `population` to every region its entry can route it to (following routing
/// links), by region code. Users pass an edge location when a router on the way is CloudFront or
/// Global Accelerator. The simulator's compile step computes the same paths with [`user_path`].
pub fn population_paths(design: &Design, catalog: &Catalog, population: &Population) -> Vec<UserPath> {
    let mut ends: Vec<(String, bool)> = Vec::new();
    if let Some(entry) = &population.entry {
        walk(design, catalog, entry, false, 0, &mut ends);
    }
    ends.sort();
    ends.dedup();
    ends.iter()
        .filter_map(|(region, edge)| {
            user_path(catalog, &population.location, population.access, region, *edge)
        })
        .collect()
}

/// Collects the (region, via edge) of every regional endpoint reachable from `s` by routing links.
fn walk(
    design: &Design,
    catalog: &Catalog,
    s: &ServiceId,
    edge: bool,
    depth: u32,
    out: &mut Vec<(String, bool)>,
) {
    let Some(svc) = design.service(s) else { return };
    let edge = edge || enters_at_edge(catalog.kind(svc.kind));
    let routes: Vec<&ServiceId> =
        design.links_from(s).filter(|l| matches!(l.kind, LinkKind::Routing(_))).map(|l| &l.to).collect();
    if routes.is_empty() || depth > 6 {
        if let Some(r) = svc.placement.region() {
            out.push((r.to_string(), edge));
        }
        return;
    }
    for to in routes {
        walk(design, catalog, to, edge, depth + 1, out);
    }
}
