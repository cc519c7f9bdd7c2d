//! The fallback fit: for each distance band, the median ratio of measured round trip to fibre
//! bound over the measured pairs in it. The catalog records the fitted factors; a test refits
//! them from the table, and [`leave_one_out`] says how well the formula predicts a pair it has
//! not seen.

use crate::Catalog;
use crate::catalog::DistanceBand;
use crate::latency::region::{band_factor, fibre_bound_ms};

/// A measured pair with its great-circle distance: the input of the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasuredRtt {
    /// First region (catalog order).
    pub a: String,
    /// Second region.
    pub b: String,
    /// Great-circle distance between the regions' catalog locations, km.
    pub km: f64,
    /// Measured round trip (mean of both directions), ms.
    pub rtt_ms: f64,
}

/// Every measured pair of the catalog, in table order, with its distance.
pub fn measured_pairs(catalog: &Catalog) -> Vec<MeasuredRtt> {
    let mut out = Vec::new();
    for d in &catalog.latency().inter_region {
        for p in &d.pairs {
            if let (Some(a), Some(b)) = (catalog.region(&p.0), catalog.region(&p.1)) {
                out.push(MeasuredRtt {
                    a: p.0.clone(),
                    b: p.1.clone(),
                    km: a.location.distance_km(&b.location),
                    rtt_ms: p.rtt_ms(),
                });
            }
        }
    }
    out
}

/// The median of `v` (the mean of the two middle values when the count is even); `None` when empty.
fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { f64::midpoint(v[n / 2 - 1], v[n / 2]) })
}

/// Fits one factor per band starting at each of `from_km` (ascending, the first 0) to `pairs` of
/// (great-circle km, round trip ms): the median of round trip over fibre bound for the pairs in
/// the band. A band without pairs takes the factor of the band before it (1 for the first).
pub fn fit_bands(
    catalog: &Catalog,
    pairs: impl IntoIterator<Item = (f64, f64)>,
    from_km: &[f64],
) -> Vec<DistanceBand> {
    let band_of = |km: f64| from_km.iter().rposition(|&f| f <= km).unwrap_or(0);
    let mut ratios = vec![Vec::new(); from_km.len()];
    for (km, rtt_ms) in pairs {
        let bound = fibre_bound_ms(catalog, km);
        if bound > 0.0 {
            ratios[band_of(km)].push(rtt_ms / bound);
        }
    }
    let mut out: Vec<DistanceBand> = Vec::with_capacity(from_km.len());
    for (i, r) in ratios.iter_mut().enumerate() {
        let factor = median(r).unwrap_or_else(|| out.last().map_or(1.0, |b| b.factor));
        out.push(DistanceBand { from_km: from_km[i], factor });
    }
    out
}

/// For each pair, the fallback formula's round trip fitted without that pair (bands starting at
/// `from_km`): how well the fallback predicts a pair it has not seen.
pub fn leave_one_out(catalog: &Catalog, pairs: &[MeasuredRtt], from_km: &[f64]) -> Vec<f64> {
    (0..pairs.len())
        .map(|i| {
            let rest = pairs.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, p)| (p.km, p.rtt_ms));
            let bands = fit_bands(catalog, rest, from_km);
            fibre_bound_ms(catalog, pairs[i].km) * band_factor(&bands, pairs[i].km)
        })
        .collect()
}
