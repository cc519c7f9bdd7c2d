//! Hit ratios: the share of read requests a cache (CloudFront, ElastiCache) answers itself.
//! Misses and writes go on to what the cache fronts: CloudFront's origins, or the cache's own
//! dependency links (read-through). The simulator and the cost model read the same figure.

use crate::Catalog;
use crate::design::Service;

/// The hit ratio of `service`: its `config.hit_ratio`, else its kind's default; `None` for kinds
/// that are not caches.
pub fn hit_ratio(catalog: &Catalog, service: &Service) -> Option<f64> {
    let cache = catalog.kind(service.kind).cache.as_ref()?;
    Some(service.config.hit_ratio.unwrap_or(cache.hit_ratio.value))
}
