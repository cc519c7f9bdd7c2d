//! The catalog of AWS regions, service kinds and network round trips, embedded from `assets/catalog/`.
//!
//! Every figure names a [`Source`] with an as-of date. [`Catalog::builtin`] parses the embedded
//! files once; [`Catalog::check`] proves every citation resolves and that every [`ServiceKind`]
//! has exactly one entry, so [`Catalog::kind`] is total.

mod defaults;
mod kind;
mod latency;
mod recovery;
mod region;
mod resilience;
mod source;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

pub use defaults::CatalogDefaults;
pub use kind::{
    CacheSpec, CapacityDefaults, Category, DatastoreSpec, FailureDefaults, IacMapping, KindSpec,
    RouterMechanism, RouterSpec, Scope, WriteModel,
};
pub use latency::{
    AccessFigure, DistanceBand, EdgeLocation, EdgesData, Fallback, InternetPath, IntraRegion, LatencyData,
    MeasuredPair, PairDataset, RegionRttFigure,
};
pub use recovery::{ConcurrencySpec, PromotionSpec, RecoveryDefaults, RestoreSpec, ScalingSpec};
pub use region::{Partition, RegionInfo};
pub use resilience::{ControlPlaneFact, GlobalDatastoreLimits, RegionSet, ResilienceFacts};
pub use source::{Cited, Source};

use crate::kind::ServiceKind;

/// A problem in the catalog files themselves (a bug in Meridian, caught by its tests).
#[derive(Debug, Clone, thiserror::Error)]
pub enum CatalogError {
    /// A catalog file does not parse.
    #[error("assets/catalog/{file}:{line}:{col}: error: {message}")]
    Parse {
        /// File name within `assets/catalog/`.
        file: &'static str,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        col: usize,
        /// What is wrong.
        message: String,
    },
    /// An entry is inconsistent (duplicate key, missing source, bad figure).
    #[error("assets/catalog/{file}: error: {message}")]
    Invalid {
        /// File name within `assets/catalog/`.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
}

/// The catalog: sources, regions, service kinds, global defaults and network figures.
#[derive(Debug, Clone)]
pub struct Catalog {
    sources: Vec<Source>,
    regions: Vec<RegionInfo>,
    kinds: Vec<KindSpec>,
    defaults: CatalogDefaults,
    latency: LatencyData,
    edges: EdgesData,
    resilience: ResilienceFacts,
    region_index: BTreeMap<String, usize>,
    /// Position in `kinds` of each [`ServiceKind`], indexed by its position in [`ServiceKind::ALL`].
    kind_index: [usize; ServiceKind::ALL.len()],
    /// Measured round trip of each region pair, `[a * regions + b]`: (ms, dataset index).
    pair_index: Vec<Option<(f64, usize)>>,
}

/// The texts of the catalog's files, one field per file of `assets/catalog/`.
#[derive(Debug, Clone, Copy)]
pub struct CatalogTexts<'a> {
    /// `sources.ron`.
    pub sources: &'a str,
    /// `regions.ron`.
    pub regions: &'a str,
    /// `services.ron`.
    pub kinds: &'a str,
    /// `defaults.ron`.
    pub defaults: &'a str,
    /// `latency.ron`.
    pub latency: &'a str,
    /// `edges.ron`.
    pub edges: &'a str,
    /// `resilience.ron`.
    pub resilience: &'a str,
}

impl CatalogTexts<'static> {
    /// The files embedded in this build.
    pub const BUILTIN: CatalogTexts<'static> = CatalogTexts {
        sources: include_str!("../../../assets/catalog/sources.ron"),
        regions: include_str!("../../../assets/catalog/regions.ron"),
        kinds: include_str!("../../../assets/catalog/services.ron"),
        defaults: include_str!("../../../assets/catalog/defaults.ron"),
        latency: include_str!("../../../assets/catalog/latency.ron"),
        edges: include_str!("../../../assets/catalog/edges.ron"),
        resilience: include_str!("../../../assets/catalog/resilience.ron"),
    };
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    sources: Vec<Source>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionsFile {
    regions: Vec<RegionInfo>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindsFile {
    kinds: Vec<KindSpec>,
}

fn parse<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, CatalogError> {
    ron::from_str(text).map_err(|e| CatalogError::Parse {
        file,
        line: e.span.start.line,
        col: e.span.start.col,
        message: e.code.to_string(),
    })
}

impl Catalog {
    /// The catalog embedded in this build, parsed once.
    pub fn builtin() -> Result<&'static Catalog, CatalogError> {
        static BUILTIN: OnceLock<Result<Catalog, CatalogError>> = OnceLock::new();
        BUILTIN.get_or_init(|| Catalog::from_texts(CatalogTexts::BUILTIN)).as_ref().map_err(Clone::clone)
    }

    /// Parses and checks a catalog from the texts of its files.
    pub fn from_texts(texts: CatalogTexts<'_>) -> Result<Catalog, CatalogError> {
        let sources = parse::<SourcesFile>("sources.ron", texts.sources)?.sources;
        let regions = parse::<RegionsFile>("regions.ron", texts.regions)?.regions;
        let kinds = parse::<KindsFile>("services.ron", texts.kinds)?.kinds;
        let defaults = parse::<CatalogDefaults>("defaults.ron", texts.defaults)?;
        let latency = parse::<LatencyData>("latency.ron", texts.latency)?;
        let edges = parse::<EdgesData>("edges.ron", texts.edges)?;
        let resilience = parse::<ResilienceFacts>("resilience.ron", texts.resilience)?;
        let region_index: BTreeMap<String, usize> =
            regions.iter().enumerate().map(|(i, r)| (r.code.clone(), i)).collect();
        let kind_index = index_kinds(&kinds)?;
        let pair_index = latency::index_pairs(&latency, &region_index)?;
        let catalog = Catalog {
            sources,
            regions,
            kinds,
            defaults,
            latency,
            edges,
            resilience,
            region_index,
            kind_index,
            pair_index,
        };
        catalog.check()?;
        Ok(catalog)
    }

    /// Every source cited.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Every region, in catalog order.
    pub fn regions(&self) -> &[RegionInfo] {
        &self.regions
    }

    /// Every service kind's specification, in catalog order (the palette's order).
    pub fn kinds(&self) -> &[KindSpec] {
        &self.kinds
    }

    /// Global defaults (region and AZ failures, network latency model).
    pub fn defaults(&self) -> &CatalogDefaults {
        &self.defaults
    }

    /// Figures of the resilience mechanisms (DNS caching, common causes, consistency modes).
    pub fn resilience(&self) -> &ResilienceFacts {
        &self.resilience
    }

    /// The region with this code.
    pub fn region(&self, code: &str) -> Option<&RegionInfo> {
        self.region_index.get(code).map(|&i| &self.regions[i])
    }

    /// Network figures: measured round trips, the fallback, the user's internet path
    /// (`crate::latency` computes with them).
    pub fn latency(&self) -> &LatencyData {
        &self.latency
    }

    /// Edge locations, where users enter the AWS network through CloudFront or Global Accelerator.
    pub fn edges(&self) -> &EdgesData {
        &self.edges
    }

    /// Whether the catalog has a measured round trip between `code` and any other region.
    pub fn has_measured_pairs(&self, code: &str) -> bool {
        let n = self.regions.len();
        self.region_index
            .get(code)
            .is_some_and(|&i| self.pair_index[i * n..(i + 1) * n].iter().any(Option::is_some))
    }

    /// The measured round trip between two different regions (mean of both directions, ms) and
    /// the dataset it comes from; `None` when the pair has no measurement or a region is unknown.
    pub fn measured_rtt(&self, a: &str, b: &str) -> Option<(f64, &PairDataset)> {
        let (&i, &j) = (self.region_index.get(a)?, self.region_index.get(b)?);
        self.pair_index[i * self.regions.len() + j].map(|(ms, d)| (ms, &self.latency.inter_region[d]))
    }

    /// What the catalog says about `kind` (every kind has an entry: [`Catalog::check`] proves it).
    pub fn kind(&self, kind: ServiceKind) -> &KindSpec {
        &self.kinds[self.kind_index[kind as usize]]
    }

    /// The source with this key.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// The region code closest in spelling to `code`, for "did you mean" hints.
    pub fn suggest_region(&self, code: &str) -> Option<&str> {
        closest(code, self.regions.iter().map(|r| r.code.as_str()))
    }

    /// Checks that keys are unique, every citation resolves, and figures are sane.
    pub fn check(&self) -> Result<(), CatalogError> {
        let invalid = |file, message: String| CatalogError::Invalid { file, message };
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.sources {
            if !seen.insert(s.id.as_str()) {
                return Err(invalid("sources.ron", format!("source `{}` is listed twice", s.id)));
            }
            if !is_iso_date(&s.as_of) {
                return Err(invalid(
                    "sources.ron",
                    format!("source `{}` has as_of `{}`; write YYYY-MM-DD", s.id, s.as_of),
                ));
            }
        }
        if self.region_index.len() != self.regions.len() {
            return Err(invalid("regions.ron", "a region code is listed twice".into()));
        }
        let cite = |file, what: &str, key: &str| {
            if seen.contains(key) {
                Ok(())
            } else {
                Err(invalid(file, format!("{what} cites unknown source `{key}`")))
            }
        };
        for r in &self.regions {
            cite("regions.ron", &r.code, &r.source)?;
            if r.az_ids.is_empty() || r.location.check().is_err() {
                return Err(invalid("regions.ron", format!("{} has no AZs or a bad location", r.code)));
            }
        }
        for k in &self.kinds {
            for (what, key) in kind_citations(k) {
                cite("services.ron", &format!("{}.{what}", k.id), key)?;
            }
            if k.failure.spec.value.time_to_failure.check().is_err()
                || k.failure.spec.value.time_to_repair.check().is_err()
            {
                return Err(invalid("services.ron", format!("{} has a bad failure distribution", k.id)));
            }
        }
        for (what, key) in self.defaults.citations() {
            cite("defaults.ron", what, key)?;
        }
        let r = &self.defaults.recovery;
        for (what, d) in [
            ("recovery.operator_response", &r.operator_response.value),
            ("recovery.dns_change_propagation", &r.dns_change_propagation.value),
            ("recovery.deploy_time", &r.deploy_time.value),
        ] {
            if let Err((field, why)) = d.check() {
                return Err(invalid("defaults.ron", format!("{what}.{field}: {why}")));
            }
        }
        for k in &self.kinds {
            let ds = k.datastore.as_ref();
            let dists = [
                ds.and_then(|d| d.promotion.as_ref()).map(|p| ("datastore.promotion.time", &p.time.value)),
                ds.and_then(|d| d.restore.as_ref()).map(|r| ("datastore.restore.time", &r.time.value)),
                k.scaling.as_ref().map(|s| ("scaling.launch", &s.launch.value)),
            ];
            for (what, d) in dists.into_iter().flatten() {
                if let Err((field, why)) = d.check() {
                    return Err(invalid("services.ron", format!("{}.{what}.{field}: {why}", k.id)));
                }
            }
        }
        for (what, key) in self.resilience.citations() {
            cite("resilience.ron", &what, key)?;
        }
        if let Some(problem) = self.resilience.problems().into_iter().next() {
            return Err(invalid("resilience.ron", problem));
        }
        for set in &self.resilience.mrsc_region_sets.value {
            if let Some(r) = set.regions.iter().find(|r| !self.region_index.contains_key(r.as_str())) {
                return Err(invalid(
                    "resilience.ron",
                    format!("region set {} names unknown region {r}", set.name),
                ));
            }
        }
        for cp in &self.resilience.control_planes {
            if !self.region_index.contains_key(cp.region.value.as_str()) {
                return Err(invalid(
                    "resilience.ron",
                    format!("{} names unknown region {}", cp.kind, cp.region.value),
                ));
            }
        }
        latency::check(&self.latency, &self.edges, &self.region_index, &seen)
    }
}

/// Every (field, source key) pair a kind cites.
fn kind_citations(k: &KindSpec) -> Vec<(&'static str, &str)> {
    let mut out =
        vec![("failure.spec", k.failure.spec.source.as_str()), ("latency_ms", k.latency_ms.source.as_str())];
    if let Some(sla) = &k.failure.sla_percent {
        out.push(("failure.sla_percent", &sla.source));
    }
    if let Some(r) = &k.router {
        out.push(("router.shift_delay", &r.shift_delay.source));
    }
    if let Some(d) = &k.datastore {
        out.push(("datastore.lag", &d.lag.source));
        if let Some(p) = &d.promotion {
            out.push(("datastore.promotion.time", &p.time.source));
            out.push(("datastore.promotion.automatable", &p.automatable.source));
        }
        if let Some(r) = &d.restore {
            out.extend(r.citations());
        }
    }
    if let Some(s) = &k.scaling {
        out.extend(s.citations());
    }
    if let Some(c) = &k.concurrency {
        out.extend(c.citations());
    }
    if let Some(c) = &k.capacity {
        out.push(("capacity.requests_per_sec", &c.requests_per_sec.source));
    }
    if let Some(c) = &k.cache {
        out.push(("cache.hit_ratio", &c.hit_ratio.source));
    }
    out
}

/// The position of each kind's entry, indexed by the kind's position in [`ServiceKind::ALL`]:
/// every kind must have exactly one entry (an entry naming no kind does not parse).
fn index_kinds(kinds: &[KindSpec]) -> Result<[usize; ServiceKind::ALL.len()], CatalogError> {
    let mut index = [usize::MAX; ServiceKind::ALL.len()];
    for (i, k) in kinds.iter().enumerate() {
        if index[k.id as usize] != usize::MAX {
            return Err(CatalogError::Invalid {
                file: "services.ron",
                message: format!("kind `{}` is listed twice", k.id),
            });
        }
        index[k.id as usize] = i;
    }
    if let Some(missing) = ServiceKind::ALL.into_iter().find(|k| index[*k as usize] == usize::MAX) {
        return Err(CatalogError::Invalid {
            file: "services.ron",
            message: format!(
                "kind `{missing}` ({missing:?}) has no entry; describe it here or remove the variant"
            ),
        });
    }
    Ok(index)
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The candidate closest to `wanted` by edit distance, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (strsim::damerau_levenshtein(wanted, c), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_parses_and_cites() {
        let c = Catalog::builtin().unwrap();
        assert!(c.regions().len() >= 30, "every commercial region is listed");
        assert!(c.kinds().len() >= 25);
        assert_eq!(c.region("eu-west-1").unwrap().jurisdiction, "EU");
        assert_eq!(c.suggest_region("eu-west-11"), Some("eu-west-1"));
        assert_eq!(ServiceKind::suggest("dynamo"), Some(ServiceKind::DynamoDb));
        assert_eq!(ServiceKind::suggest("zzzzzzzzzz"), None);
    }

    /// The catalog with `id: "dms"` in services.ron replaced by `id: "{replacement}"`.
    fn with_dms_as(replacement: &str) -> Result<Catalog, CatalogError> {
        let services = CatalogTexts::BUILTIN.kinds;
        assert!(services.contains("id: \"dms\""));
        let kinds = services.replace("id: \"dms\"", &format!("id: \"{replacement}\""));
        Catalog::from_texts(CatalogTexts { kinds: &kinds, ..CatalogTexts::BUILTIN })
    }

    #[test]
    fn every_kind_has_exactly_one_entry_and_every_entry_names_a_kind() {
        let c = Catalog::builtin().unwrap();
        assert_eq!(c.kinds().len(), ServiceKind::ALL.len());
        for k in ServiceKind::ALL {
            assert_eq!(c.kind(k).id, k);
        }
        // An entry naming no kind does not parse, and says which kind it may mean.
        let err = with_dms_as("dmz").unwrap_err().to_string();
        assert!(
            err.starts_with("assets/catalog/services.ron:") && err.contains("did you mean `dms`"),
            "{err}"
        );
        // A kind listed twice leaves another without an entry: both are refused.
        let err = with_dms_as("rds").unwrap_err().to_string();
        assert!(err.contains("kind `rds` is listed twice"), "{err}");
        let without_dms: Vec<KindSpec> =
            c.kinds().iter().filter(|k| k.id != ServiceKind::Dms).cloned().collect();
        let err = index_kinds(&without_dms).unwrap_err().to_string();
        assert!(err.contains("kind `dms` (Dms) has no entry"), "{err}");
    }

    #[test]
    fn az_ids_follow_the_prefix() {
        let c = Catalog::builtin().unwrap();
        let r = c.region("us-east-1").unwrap();
        assert!(r.has_az("use1-az1"));
        assert!(!r.has_az("use1-az99"));
        assert!(!r.has_az("euw1-az1"));
        // AWS skips az3 in Canada (Central).
        let ca = c.region("ca-central-1").unwrap();
        assert!(ca.has_az("cac1-az4") && !ca.has_az("cac1-az3"));
    }
}
