//! The facts every strategy is derived from: which region is primary, which is the standby, how
//! ids are mirrored into the standby, and how many units each tier needs.

use std::collections::BTreeMap;

use crate::catalog::{Catalog, Category};
use crate::design::{Design, Placement, Region, Service};
use crate::ids::{LinkId, RegionId, ServiceId};

use super::VariantError;

/// The primary and standby regions of a design and the sizes of its compute tiers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    /// The region that serves everything in the passive strategies.
    pub primary: RegionId,
    /// The second region (recovery region, or second active region).
    pub standby: RegionId,
    /// The standby region as a design region (its AZs), when it is not in the design yet.
    pub new_standby: Option<Region>,
    /// Services of the primary region, the template of every stack.
    pub template: Vec<Service>,
    /// Requests per second of every population together.
    pub total_rps: f64,
    /// Ratio of peak to average traffic.
    pub peak_to_average: f64,
    /// Units of each compute service of the template in the original design, all regions together.
    pub original_units: BTreeMap<ServiceId, u32>,
    /// The id of each template service's standby counterpart, unique in the design.
    pub standby_ids: BTreeMap<ServiceId, ServiceId>,
}

impl Plan {
    /// Chooses the regions of `design`: the primary is the region nearest to the most requests per
    /// second; the standby is the design's next region by the same measure, or else the catalog
    /// region nearest to the primary in the same jurisdiction.
    pub fn new(design: &Design, catalog: &Catalog) -> Result<Plan, VariantError> {
        let ranked = ranked_regions(design, catalog);
        let primary = ranked.first().cloned().ok_or(VariantError::NoRegion)?;
        let (standby, new_standby) = if let Some(r) = ranked.get(1) {
            (r.clone(), None)
        } else {
            let region = nearest_sibling(catalog, &primary)?;
            (region.id.clone(), Some(region))
        };
        let template: Vec<Service> = design.services_in(&primary).cloned().collect();
        let mut original_units = BTreeMap::new();
        for t in &template {
            if is_compute(catalog, t) {
                let units: u32 = design
                    .regions()
                    .filter_map(|r| design.service(&mirror_id(&t.id, &primary, &r.id)))
                    .filter(|s| s.kind == t.kind)
                    .map(|s| s.config.count)
                    .sum();
                original_units.insert(t.id.clone(), units.max(t.config.count));
            }
        }
        let standby_ids = counterpart_ids(design, &template, &primary, &standby);
        Ok(Plan {
            standby_ids,
            primary,
            standby,
            new_standby,
            template,
            total_rps: design.populations().map(|p| p.requests_per_sec).sum(),
            peak_to_average: design.workload().peak_to_average.max(1.0),
            original_units,
        })
    }

    /// The id of the standby counterpart of a primary service.
    pub fn standby_id(&self, id: &ServiceId) -> ServiceId {
        self.standby_ids.get(id).cloned().unwrap_or_else(|| mirror_id(id, &self.primary, &self.standby))
    }

    /// Units a compute service needs to carry every population at peak, and at least what the
    /// original design ran of it in all regions together.
    pub fn peak_units(&self, catalog: &Catalog, s: &Service) -> u32 {
        let original = self.original_units.get(&s.id).copied().unwrap_or(s.config.count);
        units_for(catalog, s, self.total_rps * self.peak_to_average).max(original).max(1)
    }

    /// Units a compute service needs to carry every population at the average rate.
    pub fn average_units(&self, catalog: &Catalog, s: &Service) -> u32 {
        units_for(catalog, s, self.total_rps).max(1)
    }
}

/// The design's regions, the one nearest to the most requests per second first (each population
/// counts towards its nearest region), then by most services, then by id.
pub(crate) fn ranked_regions(design: &Design, catalog: &Catalog) -> Vec<RegionId> {
    let mut near: BTreeMap<RegionId, f64> = design.regions().map(|r| (r.id.clone(), 0.0)).collect();
    for p in design.populations() {
        let nearest = design
            .regions()
            .filter_map(|r| {
                catalog.region(r.id.as_str()).map(|info| (r, p.location.distance_km(&info.location)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((r, _)) = nearest {
            *near.entry(r.id.clone()).or_default() += p.requests_per_sec;
        }
    }
    let regional = |r: &RegionId| design.services_in(r).count();
    let mut ranked: Vec<(RegionId, f64)> = near.into_iter().collect();
    // Most requests first, then most services, then by id (BTreeMap order is kept by a stable sort).
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(regional(&b.0).cmp(&regional(&a.0))));
    ranked.into_iter().map(|(r, _)| r).collect()
}

/// Counterpart ids: the mirrored id, unless another service already holds it (one that is not
/// the same kind in the standby region) or another template service mirrors to it; then `-dr`,
/// `-dr2`, ... is appended.
fn counterpart_ids(
    design: &Design,
    template: &[Service],
    primary: &RegionId,
    standby: &RegionId,
) -> BTreeMap<ServiceId, ServiceId> {
    let mut out = BTreeMap::new();
    let mut taken: Vec<ServiceId> = Vec::new();
    for t in template {
        let base = mirror_id(&t.id, primary, standby);
        let usable = |id: &ServiceId, taken: &[ServiceId]| {
            !taken.contains(id)
                && design.service(id).is_none_or(|s| s.kind == t.kind && in_region(s, standby))
        };
        let mut id = base.clone();
        let mut n = 1;
        while !usable(&id, &taken) {
            id = ServiceId::new(if n == 1 { format!("{base}-dr") } else { format!("{base}-dr{n}") });
            n += 1;
        }
        taken.push(id.clone());
        out.insert(t.id.clone(), id);
    }
    out
}

/// A link id not in `design` nor in `pending`: `base`, else `base-2`, `base-3`, ...
pub(crate) fn fresh_link_id(design: &Design, pending: &[LinkId], base: &str) -> LinkId {
    let free = |id: &LinkId| design.link(id).is_none() && !pending.contains(id);
    let mut id = LinkId::new(base);
    let mut n = 2;
    while !free(&id) {
        id = LinkId::new(format!("{base}-{n}"));
        n += 1;
    }
    id
}

/// Whether a service is compute whose capacity scales with its count (instances, tasks, nodes).
pub(crate) fn is_compute(catalog: &Catalog, s: &Service) -> bool {
    let k = catalog.kind(s.kind);
    k.category == Category::Compute && k.capacity.is_some()
}

fn units_for(catalog: &Catalog, s: &Service, rps: f64) -> u32 {
    let per_unit = match s.config.capacity_rps {
        Some(total) if s.config.count > 0 => total / f64::from(s.config.count),
        _ => catalog.kind(s.kind).capacity.as_ref().map_or(0.0, |c| c.requests_per_sec.value),
    };
    if per_unit <= 0.0 || !rps.is_finite() {
        return 1;
    }
    // A design holds at most a few million requests per second; the ratio fits in u32.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let units = (rps / per_unit).ceil().min(f64::from(u32::MAX)) as u32;
    units
}

/// The short code of a region as ids use it: `us-east-1` is `use1`, `ap-southeast-2` is `apse2`.
pub(crate) fn short_code(region: &RegionId) -> String {
    let mut out = String::new();
    for part in region.as_str().split('-') {
        let word = match part {
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            "central" => "c",
            "northeast" => "ne",
            "northwest" => "nw",
            "southeast" => "se",
            "southwest" => "sw",
            "gov" => "gov",
            w if w.chars().all(|c| c.is_ascii_digit()) || w.len() <= 2 => w,
            w => &w[..1],
        };
        out.push_str(word);
    }
    out
}

/// The id of `id` (a service of region `from`) moved to region `to`: a trailing `-<from code>` is
/// replaced by `-<to code>`, otherwise `-<to code>` is appended.
pub(crate) fn mirror_id(id: &ServiceId, from: &RegionId, to: &RegionId) -> ServiceId {
    if from == to {
        return id.clone();
    }
    let suffix = format!("-{}", short_code(from));
    let base = id.as_str().strip_suffix(&suffix).unwrap_or(id.as_str());
    ServiceId::new(format!("{base}-{}", short_code(to)))
}

/// The catalog region nearest to `primary` in its jurisdiction and partition (not opt-in), with
/// its first three AZs.
fn nearest_sibling(catalog: &Catalog, primary: &RegionId) -> Result<Region, VariantError> {
    let info =
        catalog.region(primary.as_str()).ok_or_else(|| VariantError::NoStandby(primary.to_string()))?;
    catalog
        .regions()
        .iter()
        .filter(|r| {
            r.code != info.code
                && r.jurisdiction == info.jurisdiction
                && r.partition == info.partition
                && !r.opt_in
                && r.az_ids.len() >= 2
        })
        .min_by(|a, b| {
            info.location.distance_km(&a.location).total_cmp(&info.location.distance_km(&b.location))
        })
        .map(|r| Region {
            id: RegionId::new(r.code.clone()),
            azs: r.az_ids.iter().take(3).cloned().collect(),
            failure: None,
        })
        .ok_or_else(|| VariantError::NoStandby(primary.to_string()))
}

/// Whether a service is regional in `region`.
pub(crate) fn in_region(s: &Service, region: &RegionId) -> bool {
    matches!(&s.placement, Placement::Region(r) if r == region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_codes_follow_the_usual_abbreviations() {
        let code = |r: &str| short_code(&RegionId::new(r));
        assert_eq!(code("us-east-1"), "use1");
        assert_eq!(code("eu-west-1"), "euw1");
        assert_eq!(code("ap-southeast-2"), "apse2");
        assert_eq!(code("ap-south-1"), "aps1");
        assert_eq!(code("eu-central-2"), "euc2");
    }

    #[test]
    fn mirrored_ids_swap_the_region_suffix() {
        let (a, b) = (RegionId::new("us-east-1"), RegionId::new("eu-west-1"));
        assert_eq!(mirror_id(&ServiceId::new("api-use1"), &a, &b).as_str(), "api-euw1");
        assert_eq!(mirror_id(&ServiceId::new("db"), &a, &b).as_str(), "db-euw1");
        assert_eq!(mirror_id(&ServiceId::new("db"), &a, &a).as_str(), "db");
    }
}
