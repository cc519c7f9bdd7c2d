//! Edge locations: where a user entering at CloudFront or Global Accelerator joins the AWS
//! network, and the backbone from there to a region.

use serde::{Deserialize, Serialize};

use crate::Catalog;
use crate::catalog::{EdgeLocation, Partition};
use crate::geo::GeoPoint;
use crate::latency::region::{Rtt, estimate_rtt, region_rtt};

/// The backbone leg of a user's path, from an edge location to the serving region.
///
/// The edge joins the measured table at the region nearest it that has measurements (`via`), by
/// the fallback formula over that short distance; from there the table's round trip to the
/// serving region applies. When the serving region is at least as near the edge, the formula
/// goes straight to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeHop {
    /// IATA code of the edge, e.g. `FRA`.
    pub edge: String,
    /// Its city.
    pub city: String,
    /// Where the backbone joins the table: the region nearest the edge with measurements, or the
    /// serving region itself.
    pub via_region: String,
    /// Edge to `via_region`, by the fallback formula, ms.
    pub to_via_ms: f64,
    /// `via_region` to the serving region, when they differ.
    pub onward: Option<Rtt>,
}

impl EdgeHop {
    /// The backbone round trip, ms.
    pub fn ms(&self) -> f64 {
        self.to_via_ms + self.onward.map_or(0.0, |r| r.ms)
    }
}

/// The edge location nearest `at` (`None` only for a catalog without edges, which its check refuses).
pub fn nearest_edge<'c>(catalog: &'c Catalog, at: &GeoPoint) -> Option<&'c EdgeLocation> {
    catalog
        .edges()
        .edges
        .iter()
        .min_by(|a, b| at.distance_km(&a.location).total_cmp(&at.distance_km(&b.location)))
}

/// The backbone from `edge` to `region`; `None` when the catalog does not know the region.
pub fn backbone_rtt(catalog: &Catalog, edge: &EdgeLocation, region: &str) -> Option<EdgeHop> {
    let target = catalog.region(region)?;
    let direct_km = edge.location.distance_km(&target.location);
    let via = catalog
        .regions()
        .iter()
        .filter(|r| r.partition == Partition::Aws && r.code != region && catalog.has_measured_pairs(&r.code))
        .map(|r| (edge.location.distance_km(&r.location), r))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(km, _)| *km < direct_km);
    let hop = |via_region: &str, to_via_ms: f64, onward: Option<Rtt>| EdgeHop {
        edge: edge.iata.clone(),
        city: edge.city.clone(),
        via_region: via_region.to_owned(),
        to_via_ms,
        onward,
    };
    Some(match via {
        Some((_, v)) => hop(
            &v.code,
            estimate_rtt(catalog, &edge.location, &v.location),
            region_rtt(catalog, &v.code, region),
        ),
        None => hop(region, estimate_rtt(catalog, &edge.location, &target.location), None),
    })
}
