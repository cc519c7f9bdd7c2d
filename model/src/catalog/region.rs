//! AWS regions as the catalog lists them.

use serde::{Deserialize, Serialize};

use crate::geo::{Continent, GeoPoint};

/// The AWS partition a region belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Partition {
    /// The commercial partition (`aws`).
    Aws,
    /// AWS China (`aws-cn`), operated separately.
    AwsCn,
    /// AWS GovCloud (US) (`aws-us-gov`).
    AwsUsGov,
}

/// One AWS region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionInfo {
    /// Region code, e.g. `eu-west-1`.
    pub code: String,
    /// AWS's display name, e.g. `Europe (Ireland)`.
    pub name: String,
    /// City or metro area the region serves from.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Jurisdiction code for data law, e.g. `EU`, `UK`, `US`, `CH`; groups are defined by compliance rules.
    pub jurisdiction: String,
    /// Continent, for geolocation routing.
    pub continent: Continent,
    /// Partition.
    pub partition: Partition,
    /// Approximate location of the region.
    pub location: GeoPoint,
    /// The region's AZ ids, e.g. `use1-az1`; AWS skips numbers in a few regions.
    pub az_ids: Vec<String>,
    /// Year the region launched.
    pub launched: u16,
    /// Whether the region must be enabled (opted in) before use.
    pub opt_in: bool,
    /// Key of the [`crate::catalog::Source`] for these facts.
    pub source: String,
}

impl RegionInfo {
    /// Number of availability zones.
    pub fn az_count(&self) -> usize {
        self.az_ids.len()
    }

    /// Whether `az` is one of this region's AZ ids.
    pub fn has_az(&self, az: &str) -> bool {
        self.az_ids.iter().any(|a| a == az)
    }
}
