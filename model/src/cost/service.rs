//! [`PriceService`]: what a price in the snapshot is for, a service kind or one of the charges
//! that belong to no kind (inter-region data transfer).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kind::{ServiceKind, UnknownKind};

/// What a price is for: written in the snapshot as a kind's key or `data-transfer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PriceService {
    /// A service kind's own prices.
    Kind(ServiceKind),
    /// Data sent from one region to another, billed at the source region.
    DataTransfer,
}

impl PriceService {
    /// The key written in the snapshot, e.g. `dynamodb` or `data-transfer`.
    pub const fn as_str(self) -> &'static str {
        match self {
            PriceService::Kind(k) => k.as_str(),
            PriceService::DataTransfer => "data-transfer",
        }
    }

    /// The service kind, when the price is a kind's.
    pub const fn kind(self) -> Option<ServiceKind> {
        match self {
            PriceService::Kind(k) => Some(k),
            PriceService::DataTransfer => None,
        }
    }
}

impl From<ServiceKind> for PriceService {
    fn from(kind: ServiceKind) -> Self {
        PriceService::Kind(kind)
    }
}

/// Ordered by key, as the snapshot's and the bill's keys were ordered when they were strings.
impl Ord for PriceService {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for PriceService {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for PriceService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for PriceService {
    type Err = UnknownKind;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        if key == PriceService::DataTransfer.as_str() {
            Ok(PriceService::DataTransfer)
        } else {
            key.parse().map(PriceService::Kind)
        }
    }
}

impl Serialize for PriceService {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PriceService {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Key;
        impl serde::de::Visitor<'_> for Key {
            type Value = PriceService;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a service kind such as \"dynamodb\", or \"data-transfer\"")
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<PriceService, E> {
                key.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Key)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_round_trip_and_order_as_text() {
        let all: Vec<PriceService> = ServiceKind::ALL
            .into_iter()
            .map(PriceService::Kind)
            .chain([PriceService::DataTransfer])
            .collect();
        for s in &all {
            assert_eq!(s.as_str().parse::<PriceService>().unwrap(), *s);
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(serde_json::from_str::<PriceService>(&json).unwrap(), *s);
        }
        let mut by_enum = all.clone();
        by_enum.sort();
        let mut by_key = all;
        by_key.sort_by_key(|s| s.as_str());
        assert_eq!(by_enum, by_key);
        assert!("data-transfr".parse::<PriceService>().is_err());
    }
}
