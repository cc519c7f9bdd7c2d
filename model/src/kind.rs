//! [`ServiceKind`]: the closed set of AWS service kinds Meridian knows.
//!
//! A kind is identity, not data: the catalog ([`crate::catalog::KindSpec`]) says what a kind is
//! (cited figures, scope, router and datastore facts); code that behaves differently per kind
//! matches on this enum without a wildcard arm, so adding a variant is a list of compiler errors
//! at every place that must decide something (see "Adding a kind" in `ARCHITECTURE.md`).
//!
//! Files name a kind by its catalog key, e.g. `kind: "dynamodb"`: [`ServiceKind::as_str`] is the
//! one mapping between the two, used by serde both ways. A misspelt key is refused with the
//! closest kind as a suggestion ([`UnknownKind`]).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A kind of AWS service. Variants are declared in the order of their keys, so the derived
/// `Ord` sorts kinds as their keys sort (maps keyed by kind print in key order, as they did when
/// kinds were strings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServiceKind {
    /// Application Load Balancer.
    Alb,
    /// Amazon API Gateway.
    ApiGateway,
    /// Amazon Aurora.
    Aurora,
    /// AWS Backup (a backup vault).
    AwsBackup,
    /// AWS Config.
    AwsConfig,
    /// Amazon CloudFront.
    CloudFront,
    /// AWS CloudTrail.
    CloudTrail,
    /// Amazon CloudWatch.
    CloudWatch,
    /// AWS Direct Connect.
    DirectConnect,
    /// AWS Database Migration Service.
    Dms,
    /// Amazon DynamoDB.
    DynamoDb,
    /// Amazon EC2 in an Auto Scaling group.
    Ec2Asg,
    /// Amazon ECS on AWS Fargate.
    EcsFargate,
    /// Amazon EKS.
    Eks,
    /// Amazon ElastiCache.
    ElastiCache,
    /// Amazon EventBridge.
    EventBridge,
    /// AWS Global Accelerator.
    GlobalAccelerator,
    /// AWS Identity and Access Management.
    Iam,
    /// AWS Lambda.
    Lambda,
    /// Lambda@Edge.
    LambdaEdge,
    /// NAT gateway.
    NatGateway,
    /// Network Load Balancer.
    Nlb,
    /// Amazon RDS.
    Rds,
    /// Amazon Route 53.
    Route53,
    /// Amazon S3.
    S3,
    /// Amazon SageMaker real-time inference endpoint.
    SageMakerEndpoint,
    /// AWS Site-to-Site VPN.
    SiteToSiteVpn,
    /// Amazon SNS.
    Sns,
    /// Amazon SQS.
    Sqs,
    /// AWS Step Functions.
    StepFunctions,
    /// AWS Transit Gateway.
    TransitGateway,
}

impl ServiceKind {
    /// Every kind, in key order.
    pub const ALL: [ServiceKind; 31] = [
        ServiceKind::Alb,
        ServiceKind::ApiGateway,
        ServiceKind::Aurora,
        ServiceKind::AwsBackup,
        ServiceKind::AwsConfig,
        ServiceKind::CloudFront,
        ServiceKind::CloudTrail,
        ServiceKind::CloudWatch,
        ServiceKind::DirectConnect,
        ServiceKind::Dms,
        ServiceKind::DynamoDb,
        ServiceKind::Ec2Asg,
        ServiceKind::EcsFargate,
        ServiceKind::Eks,
        ServiceKind::ElastiCache,
        ServiceKind::EventBridge,
        ServiceKind::GlobalAccelerator,
        ServiceKind::Iam,
        ServiceKind::Lambda,
        ServiceKind::LambdaEdge,
        ServiceKind::NatGateway,
        ServiceKind::Nlb,
        ServiceKind::Rds,
        ServiceKind::Route53,
        ServiceKind::S3,
        ServiceKind::SageMakerEndpoint,
        ServiceKind::SiteToSiteVpn,
        ServiceKind::Sns,
        ServiceKind::Sqs,
        ServiceKind::StepFunctions,
        ServiceKind::TransitGateway,
    ];

    /// The kind's key in files and in the catalog, e.g. `dynamodb`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Alb => "alb",
            ServiceKind::ApiGateway => "api-gateway",
            ServiceKind::Aurora => "aurora",
            ServiceKind::AwsBackup => "aws-backup",
            ServiceKind::AwsConfig => "aws-config",
            ServiceKind::CloudFront => "cloudfront",
            ServiceKind::CloudTrail => "cloudtrail",
            ServiceKind::CloudWatch => "cloudwatch",
            ServiceKind::DirectConnect => "direct-connect",
            ServiceKind::Dms => "dms",
            ServiceKind::DynamoDb => "dynamodb",
            ServiceKind::Ec2Asg => "ec2-asg",
            ServiceKind::EcsFargate => "ecs-fargate",
            ServiceKind::Eks => "eks",
            ServiceKind::ElastiCache => "elasticache",
            ServiceKind::EventBridge => "eventbridge",
            ServiceKind::GlobalAccelerator => "global-accelerator",
            ServiceKind::Iam => "iam",
            ServiceKind::Lambda => "lambda",
            ServiceKind::LambdaEdge => "lambda-edge",
            ServiceKind::NatGateway => "nat-gateway",
            ServiceKind::Nlb => "nlb",
            ServiceKind::Rds => "rds",
            ServiceKind::Route53 => "route53",
            ServiceKind::S3 => "s3",
            ServiceKind::SageMakerEndpoint => "sagemaker-endpoint",
            ServiceKind::SiteToSiteVpn => "site-to-site-vpn",
            ServiceKind::Sns => "sns",
            ServiceKind::Sqs => "sqs",
            ServiceKind::StepFunctions => "step-functions",
            ServiceKind::TransitGateway => "transit-gateway",
        }
    }

    /// The kind whose key is closest in spelling to `key`, if it is close enough to be a typo.
    pub fn suggest(key: &str) -> Option<ServiceKind> {
        ServiceKind::ALL
            .into_iter()
            .map(|k| (strsim::damerau_levenshtein(key, k.as_str()), k))
            .filter(|(d, k)| *d <= (k.as_str().len() / 3).max(2))
            .min_by_key(|(d, _)| *d)
            .map(|(_, k)| k)
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A key that names no [`ServiceKind`], with the closest kind when one is close.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` is not a service kind in the catalog{}", did_you_mean(*.suggestion))]
pub struct UnknownKind {
    /// The key as written.
    pub key: String,
    /// The kind it is probably a typo of.
    pub suggestion: Option<ServiceKind>,
}

fn did_you_mean(suggestion: Option<ServiceKind>) -> String {
    suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default()
}

impl FromStr for ServiceKind {
    type Err = UnknownKind;

    fn from_str(key: &str) -> Result<Self, Self::Err> {
        ServiceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == key)
            .ok_or_else(|| UnknownKind { key: key.to_owned(), suggestion: ServiceKind::suggest(key) })
    }
}

impl Serialize for ServiceKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServiceKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Key;
        impl serde::de::Visitor<'_> for Key {
            type Value = ServiceKind;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a service kind such as \"dynamodb\"")
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<ServiceKind, E> {
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
    fn keys_round_trip_and_sort_as_the_enum_does() {
        for k in ServiceKind::ALL {
            assert_eq!(k.as_str().parse::<ServiceKind>(), Ok(k));
        }
        let keys: Vec<&str> = ServiceKind::ALL.iter().map(|k| k.as_str()).collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(keys, sorted, "ALL is in key order, without duplicates");
        assert!(ServiceKind::ALL.windows(2).all(|w| w[0] < w[1]), "declaration order is key order");
    }

    #[test]
    fn a_misspelt_key_suggests_the_closest_kind() {
        let e = "dynamodbb".parse::<ServiceKind>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "`dynamodbb` is not a service kind in the catalog; did you mean `dynamodb`?"
        );
        let e = "zzzzzzzzzz".parse::<ServiceKind>().unwrap_err();
        assert_eq!(e.to_string(), "`zzzzzzzzzz` is not a service kind in the catalog");
    }

    #[test]
    fn display_writes_the_key_and_honours_width() {
        assert_eq!(format!("[{:<6}]", ServiceKind::S3), "[s3    ]");
    }

    #[test]
    fn serde_writes_the_key() {
        let json = serde_json::to_string(&ServiceKind::EcsFargate).unwrap();
        assert_eq!(json, "\"ecs-fargate\"");
        assert_eq!(serde_json::from_str::<ServiceKind>(&json).unwrap(), ServiceKind::EcsFargate);
        let ron: ServiceKind = ron::from_str("\"route53\"").unwrap();
        assert_eq!(ron, ServiceKind::Route53);
        assert!(ron::from_str::<ServiceKind>("\"route54\"").unwrap_err().to_string().contains("route53"));
    }
}
