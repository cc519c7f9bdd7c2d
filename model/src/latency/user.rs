//! The user's path: access (last mile), then the public internet to the serving region, or to
//! the nearest edge location and on over the AWS backbone.

use serde::{Deserialize, Serialize};

use crate::Catalog;
use crate::design::Access;
use crate::geo::GeoPoint;
use crate::latency::edge::{EdgeHop, backbone_rtt, nearest_edge};
use crate::latency::region::{Basis, fibre_bound_ms};

/// A population's round trip to the region that serves it, part by part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPath {
    /// The serving region.
    pub region: String,
    /// The access (last-mile) round trip, ms.
    pub access_ms: f64,
    /// The public internet: fibre bound x the internet route factor to the region, or to the edge
    /// location when there is one, ms.
    pub internet_ms: f64,
    /// The edge location and backbone, when the user enters at CloudFront or Global Accelerator.
    pub edge: Option<EdgeHop>,
}

impl UserPath {
    /// The whole round trip, ms.
    pub fn total_ms(&self) -> f64 {
        self.access_ms + self.internet_ms + self.edge.as_ref().map_or(0.0, EdgeHop::ms)
    }

    /// The region pair on the path whose round trip is estimated (no measurement), if any.
    pub fn estimated_pair(&self) -> Option<(&str, &str)> {
        let e = self.edge.as_ref()?;
        e.onward
            .filter(|r| r.basis == Basis::Estimated)
            .map(|_| (e.via_region.as_str(), self.region.as_str()))
    }
}

/// Where a user meets the AWS network at an edge location: the round trip to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EdgeReach {
    /// IATA code of the nearest edge.
    pub edge: String,
    /// Its city.
    pub city: String,
    /// The access round trip, ms.
    pub access_ms: f64,
    /// Internet round trip to the edge, ms.
    pub internet_ms: f64,
}

impl EdgeReach {
    /// The whole round trip to the edge, ms.
    pub fn total_ms(&self) -> f64 {
        self.access_ms + self.internet_ms
    }
}

/// The access round trip of `access` (the catalog's default access type when `None`), ms.
pub fn access_rtt_ms(catalog: &Catalog, access: Option<Access>) -> f64 {
    let internet = &catalog.latency().internet;
    let access = access.unwrap_or(internet.default_access);
    internet.access.iter().find(|a| a.access == access).map_or(0.0, |a| a.rtt_ms.value)
}

/// Internet round trip over `km` great-circle kilometres, ms.
fn internet_ms(catalog: &Catalog, km: f64) -> f64 {
    fibre_bound_ms(catalog, km) * catalog.latency().internet.route_factor.value
}

/// The round trip from users at `at` with `access` to the nearest edge location.
pub fn user_to_edge(catalog: &Catalog, at: &GeoPoint, access: Option<Access>) -> Option<EdgeReach> {
    let edge = nearest_edge(catalog, at)?;
    Some(EdgeReach {
        edge: edge.iata.clone(),
        city: edge.city.clone(),
        access_ms: access_rtt_ms(catalog, access),
        internet_ms: internet_ms(catalog, at.distance_km(&edge.location)),
    })
}

/// The path from users at `at` with `access` to `region`: over the internet all the way, or,
/// `via_edge`, to the nearest edge location and on over the AWS backbone. `None` when the
/// catalog does not know the region.
pub fn user_path(
    catalog: &Catalog,
    at: &GeoPoint,
    access: Option<Access>,
    region: &str,
    via_edge: bool,
) -> Option<UserPath> {
    let info = catalog.region(region)?;
    let access_ms = access_rtt_ms(catalog, access);
    if via_edge && let Some(edge) = nearest_edge(catalog, at) {
        return Some(UserPath {
            region: region.to_owned(),
            access_ms,
            internet_ms: internet_ms(catalog, at.distance_km(&edge.location)),
            edge: backbone_rtt(catalog, edge, region),
        });
    }
    Some(UserPath {
        region: region.to_owned(),
        access_ms,
        internet_ms: internet_ms(catalog, at.distance_km(&info.location)),
        edge: None,
    })
}
