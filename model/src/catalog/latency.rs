//! The catalog's network figures: measured round trips between regions and inside them, the
//! fallback fitted to them, the user's internet path (`assets/catalog/latency.ron`), and the edge
//! locations where users enter the AWS network (`assets/catalog/edges.ron`).
//!
//! This module only holds and checks the data; [`crate::latency`] computes with it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::catalog::CatalogError;
use crate::catalog::source::Cited;
use crate::design::Access;
use crate::geo::GeoPoint;

/// Everything `latency.ron` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatencyData {
    /// Measured round trips between regions, by dataset.
    pub inter_region: Vec<PairDataset>,
    /// Round trips between two services in one region.
    pub intra_region: IntraRegion,
    /// The distance formula for region pairs without a measurement.
    pub fallback: Fallback,
    /// The user's path over the public internet.
    pub internet: InternetPath,
}

/// One dataset of measured inter-region round trips: every pair in it shares its source, date
/// (the source's `as_of`) and method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairDataset {
    /// Key of the source in `sources.ron`; its `as_of` is the date of every pair.
    pub source: String,
    /// How the round trips were measured.
    pub method: String,
    /// The period the figures summarise.
    pub window: String,
    /// Regions measured over part of the window only.
    #[serde(default)]
    pub partial_window: Vec<String>,
    /// What the partial window is.
    #[serde(default)]
    pub partial_note: String,
    /// The pairs.
    pub pairs: Vec<MeasuredPair>,
}

/// A measured pair: `(A, B, A to B ms, B to A ms)`, A before B in `regions.ron` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasuredPair(pub String, pub String, pub f64, pub f64);

impl MeasuredPair {
    /// The round trip Meridian uses: the mean of both directions, in milliseconds.
    pub fn rtt_ms(&self) -> f64 {
        f64::midpoint(self.2, self.3)
    }
}

/// Round trips inside a region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntraRegion {
    /// For regions without their own figure.
    pub general: Cited<f64>,
    /// Regions with their own figure.
    pub regions: Vec<RegionRttFigure>,
}

/// One region's own intra-region round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionRttFigure {
    /// Region code.
    pub region: String,
    /// Round trip between two services in it, in milliseconds.
    pub rtt_ms: Cited<f64>,
}

/// The fallback for region pairs without a measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    /// Factors over the fibre bound by distance band, ascending; the first starts at 0 km.
    pub bands: Cited<Vec<DistanceBand>>,
}

/// Pairs at least `from_km` apart (and less than the next band's `from_km`) take `factor` x the
/// fibre bound.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistanceBand {
    /// Where the band starts, great-circle kilometres.
    pub from_km: f64,
    /// Round trip over the fibre bound.
    pub factor: f64,
}

/// How users reach AWS over the public internet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InternetPath {
    /// Internet round trips over the fibre bound.
    pub route_factor: Cited<f64>,
    /// The access type of a population that does not say.
    pub default_access: Access,
    /// Last-mile round trip by access type (every [`Access`] once).
    pub access: Vec<AccessFigure>,
}

/// The last-mile round trip of one access type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessFigure {
    /// The access type.
    pub access: Access,
    /// Its round trip, in milliseconds.
    pub rtt_ms: Cited<f64>,
}

/// Everything `edges.ron` says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgesData {
    /// Key of the source of every edge that names none.
    pub source: String,
    /// The edge locations.
    pub edges: Vec<EdgeLocation>,
}

/// A city with CloudFront edge locations (Global Accelerator uses a subset of them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeLocation {
    /// City.
    pub city: String,
    /// Country.
    pub country: String,
    /// IATA code of the airport that names the city's points of presence.
    pub iata: String,
    /// The airport's coordinates.
    pub location: GeoPoint,
    /// Source key when it differs from the file's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// How the entry differs from its source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl LatencyData {
    /// Every (field, source key) pair cited.
    pub fn citations(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        for (i, d) in self.inter_region.iter().enumerate() {
            out.push((format!("inter_region[{i}]"), &d.source));
        }
        out.push(("intra_region.general".into(), &self.intra_region.general.source));
        for r in &self.intra_region.regions {
            out.push((format!("intra_region {}", r.region), &r.rtt_ms.source));
        }
        out.push(("fallback.bands".into(), &self.fallback.bands.source));
        out.push(("internet.route_factor".into(), &self.internet.route_factor.source));
        for a in &self.internet.access {
            out.push((format!("internet.access {:?}", a.access), &a.rtt_ms.source));
        }
        out
    }

    /// Checks the figures themselves (regions and sources are checked by the catalog).
    pub fn check_figures(&self) -> Result<(), String> {
        let positive = |what: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(format!("{what} must be a positive number, not {v}"))
            }
        };
        for d in &self.inter_region {
            for p in &d.pairs {
                if p.0 == p.1 {
                    return Err(format!("pair {} - {} joins a region to itself", p.0, p.1));
                }
                positive(&format!("pair {} - {}", p.0, p.1), p.2)?;
                positive(&format!("pair {} - {}", p.0, p.1), p.3)?;
            }
        }
        positive("intra_region.general", self.intra_region.general.value)?;
        let mut seen = BTreeSet::new();
        for r in &self.intra_region.regions {
            positive(&format!("intra_region {}", r.region), r.rtt_ms.value)?;
            if !seen.insert(r.region.as_str()) {
                return Err(format!("intra_region lists {} twice", r.region));
            }
        }
        let bands = &self.fallback.bands.value;
        if bands.first().is_none_or(|b| b.from_km != 0.0) {
            return Err("fallback.bands must start at from_km 0".into());
        }
        for w in bands.windows(2) {
            if w[1].from_km.partial_cmp(&w[0].from_km) != Some(std::cmp::Ordering::Greater) {
                return Err("fallback.bands must be in ascending from_km".into());
            }
        }
        if let Some(b) = bands.iter().find(|b| !(b.factor.is_finite() && b.factor >= 1.0)) {
            return Err(format!(
                "fallback band from {} km has factor {}; it must be at least 1",
                b.from_km, b.factor
            ));
        }
        if !(self.internet.route_factor.value.is_finite() && self.internet.route_factor.value >= 1.0) {
            return Err("internet.route_factor must be at least 1".into());
        }
        for a in Access::ALL {
            match self.internet.access.iter().filter(|f| f.access == a).count() {
                1 => {}
                n => {
                    return Err(format!(
                        "internet.access lists {a:?} {n} times; list every access type once"
                    ));
                }
            }
        }
        for f in &self.internet.access {
            positive(&format!("internet.access {:?}", f.access), f.rtt_ms.value)?;
        }
        Ok(())
    }
}

/// Checks `latency.ron` and `edges.ron` against the catalog's regions and sources, and their figures.
pub(super) fn check(
    latency: &LatencyData,
    edges: &EdgesData,
    regions: &BTreeMap<String, usize>,
    sources: &BTreeSet<&str>,
) -> Result<(), CatalogError> {
    let invalid = |file, message: String| CatalogError::Invalid { file, message };
    for (what, key) in latency.citations() {
        if !sources.contains(key) {
            return Err(invalid("latency.ron", format!("{what} cites unknown source `{key}`")));
        }
    }
    let known = |r: &str| regions.contains_key(r);
    for d in &latency.inter_region {
        if let Some(r) = d.partial_window.iter().find(|r| !known(r)) {
            return Err(invalid("latency.ron", format!("partial_window names unknown region `{r}`")));
        }
    }
    if let Some(r) = latency.intra_region.regions.iter().find(|r| !known(&r.region)) {
        return Err(invalid("latency.ron", format!("intra_region names unknown region `{}`", r.region)));
    }
    latency.check_figures().map_err(|m| invalid("latency.ron", m))?;
    if edges.edges.is_empty() {
        return Err(invalid("edges.ron", "lists no edge location".into()));
    }
    for e in &edges.edges {
        let key = e.source.as_deref().unwrap_or(&edges.source);
        if !sources.contains(key) {
            return Err(invalid("edges.ron", format!("{} cites unknown source `{key}`", e.city)));
        }
        if e.location.check().is_err() {
            return Err(invalid("edges.ron", format!("{} has a bad location", e.city)));
        }
    }
    Ok(())
}

/// The measured round trip of every pair, both ways, `[a * regions + b]` with the dataset's
/// index: each pair once, both regions known.
pub(super) fn index_pairs(
    latency: &LatencyData,
    regions: &BTreeMap<String, usize>,
) -> Result<Vec<Option<(f64, usize)>>, CatalogError> {
    let invalid = |message: String| CatalogError::Invalid { file: "latency.ron", message };
    let n = regions.len();
    let mut index = vec![None; n * n];
    for (di, d) in latency.inter_region.iter().enumerate() {
        for p in &d.pairs {
            let region = |code: &str| {
                regions
                    .get(code)
                    .copied()
                    .ok_or_else(|| invalid(format!("pair names unknown region `{code}`")))
            };
            let (a, b) = (region(&p.0)?, region(&p.1)?);
            if index[a * n + b].is_some() {
                return Err(invalid(format!("pair {} - {} is listed twice", p.0, p.1)));
            }
            index[a * n + b] = Some((p.rtt_ms(), di));
            index[b * n + a] = Some((p.rtt_ms(), di));
        }
    }
    Ok(index)
}
