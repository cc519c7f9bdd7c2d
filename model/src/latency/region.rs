//! Round trips between two regions and inside one: measured where the catalog has a figure,
//! else the cited general figure (inside a region) or the fitted fallback (between regions).

use serde::{Deserialize, Serialize};

use crate::Catalog;
use crate::catalog::DistanceBand;
use crate::geo::GeoPoint;

/// Where a round trip comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Measured for this pair or region (source and date in the catalog).
    Measured,
    /// The cited general figure: a region without its own intra-region measurement.
    General,
    /// No measurement: the fibre bound times the factor fitted to measured pairs of similar
    /// distance. Every output marks it.
    Estimated,
}

impl Basis {
    /// A word for displays: `measured`, `general figure` or `estimated`.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Measured => "measured",
            Basis::General => "general figure",
            Basis::Estimated => "estimated",
        }
    }
}

/// A round trip in milliseconds and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Rtt {
    /// Milliseconds.
    pub ms: f64,
    /// Where the figure comes from.
    pub basis: Basis,
}

/// The fibre bound of a round trip over `km` great-circle kilometres: `km x 2 / fibre speed`.
pub fn fibre_bound_ms(catalog: &Catalog, km: f64) -> f64 {
    km * 2.0 / catalog.defaults().fibre_km_per_ms.value
}

/// The factor of the band `km` falls in (bands ascending from 0 km; 1 when there are none).
pub fn band_factor(bands: &[DistanceBand], km: f64) -> f64 {
    bands.iter().take_while(|b| b.from_km <= km).last().map_or(1.0, |b| b.factor)
}

/// The fallback round trip between two points on the AWS network: the fibre bound times the
/// factor fitted to measured pairs of similar distance.
pub fn estimate_rtt(catalog: &Catalog, a: &GeoPoint, b: &GeoPoint) -> f64 {
    let km = a.distance_km(b);
    fibre_bound_ms(catalog, km) * band_factor(&catalog.latency().fallback.bands.value, km)
}

/// The round trip between two services in `region`: its own measured figure, else the general one.
pub fn intra_region_rtt(catalog: &Catalog, region: &str) -> Rtt {
    let intra = &catalog.latency().intra_region;
    match intra.regions.iter().find(|r| r.region == region) {
        Some(r) => Rtt { ms: r.rtt_ms.value, basis: Basis::Measured },
        None => Rtt { ms: intra.general.value, basis: Basis::General },
    }
}

/// The round trip between services in regions `a` and `b` (inside the region when they are the
/// same); `None` when the catalog does not know a region.
pub fn region_rtt(catalog: &Catalog, a: &str, b: &str) -> Option<Rtt> {
    if a == b {
        return catalog.region(a).map(|_| intra_region_rtt(catalog, a));
    }
    if let Some((ms, _)) = catalog.measured_rtt(a, b) {
        return Some(Rtt { ms, basis: Basis::Measured });
    }
    let (ra, rb) = (catalog.region(a)?, catalog.region(b)?);
    Some(Rtt { ms: estimate_rtt(catalog, &ra.location, &rb.location), basis: Basis::Estimated })
}
