//! How round trips read: one line per region pair, region and user path, shared by
//! `meridian info`, the designer's inspector and hover, and the report, so the latency model's
//! figures and their basis (measured, general figure, estimated) read the same everywhere.

use meridian_model::numbers::thousands;
use std::fmt::Write as _;

use meridian_model::Catalog;
use meridian_model::latency::{Basis, PairRtt, UserPath, band_factor, fibre_bound_ms, intra_region_rtt};

/// Where a catalog source was read: `key, YYYY-MM-DD`.
fn cited(catalog: &Catalog, key: &str) -> String {
    catalog.source(key).map_or_else(|| key.to_owned(), |s| format!("{key}, {}", s.as_of))
}

/// A region pair: `69.6 ms, measured (cloudping-p50, 2025-05-29)`, or for a pair without a
/// measurement `190.2 ms, ESTIMATED (no measurement: fibre bound 95.1 ms for 9,512 km x 2.00)`.
pub fn pair_text(catalog: &Catalog, p: &PairRtt) -> String {
    match p.basis {
        Basis::Estimated => {
            let km = match (catalog.region(&p.a), catalog.region(&p.b)) {
                (Some(a), Some(b)) => a.location.distance_km(&b.location),
                _ => 0.0,
            };
            format!(
                "{:.1} ms, ESTIMATED (no measurement: fibre bound {:.1} ms for {} km x {:.2})",
                p.rtt_ms,
                fibre_bound_ms(catalog, km),
                thousands(km),
                band_factor(&catalog.latency().fallback.bands.value, km)
            )
        }
        Basis::Measured | Basis::General => {
            format!("{:.1} ms, {} ({})", p.rtt_ms, p.basis.label(), cited(catalog, &p.source))
        }
    }
}

/// A region's own round trip between two services: `0.95 ms, measured (imaoka-inter-az, 2019-06-16)`.
pub fn intra_text(catalog: &Catalog, region: &str) -> String {
    let rtt = intra_region_rtt(catalog, region);
    let intra = &catalog.latency().intra_region;
    let source = intra
        .regions
        .iter()
        .find(|r| r.region == region)
        .map_or(intra.general.source.as_str(), |r| r.rtt_ms.source.as_str());
    format!("{:.2} ms, {} ({})", rtt.ms, rtt.basis.label(), cited(catalog, source))
}

/// A user's path: `146.1 ms = access 10.0 + internet 136.1`, or through an edge
/// `103.4 ms = access 10.0 + internet 0.3 to FRA (Frankfurt) + backbone 93.1 via eu-central-1`,
/// ending in `, ESTIMATED ap-east-1 - ap-east-2` when a pair on it has no measurement.
pub fn path_text(p: &UserPath) -> String {
    let mut s = format!("{:.1} ms = access {:.1} + internet {:.1}", p.total_ms(), p.access_ms, p.internet_ms);
    if let Some(e) = &p.edge {
        let _ = write!(s, " to {} ({}) + backbone {:.1}", e.edge, e.city, e.ms());
        if e.via_region != p.region {
            let _ = write!(s, " via {}", e.via_region);
        }
    }
    if let Some((a, b)) = p.estimated_pair() {
        let _ = write!(s, ", ESTIMATED {a} - {b}");
    }
    s
}
