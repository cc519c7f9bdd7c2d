//! [`PriceService`]: what a price in the snapshot is for, a service kind or one of the charges
//! that belong to no kind (data transfer, and the KMS keys, secrets and public IPv4 addresses a
//! deployment of the design creates).

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
    /// Data sent out of a region (to another region or to the internet), billed at the source.
    DataTransfer,
    /// AWS KMS: the customer managed key the export creates in every region.
    Kms,
    /// AWS Secrets Manager: the secret holding an Aurora cluster's master password.
    SecretsManager,
    /// Amazon VPC charges of no kind of their own: public IPv4 addresses.
    Vpc,
}

impl PriceService {
    /// The key written in the snapshot, e.g. `dynamodb` or `data-transfer`.
    pub const fn as_str(self) -> &'static str {
        match self {
            PriceService::Kind(k) => k.as_str(),
            PriceService::DataTransfer => "data-transfer",
            PriceService::Kms => "kms",
            PriceService::SecretsManager => "secrets-manager",
            PriceService::Vpc => "vpc",
        }
    }

    /// Every price service that is not a kind, in key order.
    pub const OTHERS: [PriceService; 4] =
        [PriceService::DataTransfer, PriceService::Kms, PriceService::SecretsManager, PriceService::Vpc];

    /// The service kind, when the price is a kind's.
    pub const fn kind(self) -> Option<ServiceKind> {
        match self {
            PriceService::Kind(k) => Some(k),
            PriceService::DataTransfer
            | PriceService::Kms
            | PriceService::SecretsManager
            | PriceService::Vpc => None,
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
        match PriceService::OTHERS.into_iter().find(|s| s.as_str() == key) {
            Some(s) => Ok(s),
            None => key.parse().map(PriceService::Kind),
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
                f.write_str("a service kind such as \"dynamodb\", or \"data-transfer\", \"kms\", \"secrets-manager\" or \"vpc\"")
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
        let all: Vec<PriceService> =
            ServiceKind::ALL.into_iter().map(PriceService::Kind).chain(PriceService::OTHERS).collect();
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
