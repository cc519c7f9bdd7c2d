//! The query plan: which `GetProducts` calls yield the prices a snapshot needs.
//!
//! Each [`Spec`] maps one (catalog kind, dimension) of the snapshot to a Price List service code,
//! the server-side `TERM_MATCH` filters that narrow it to a few products, and the usage-type
//! suffix that picks the product among them. A [`Query`] is a spec for one region.

use std::collections::BTreeSet;

use meridian_model::cost::snapshot::SnapshotFile;

/// The snapshot's service name for inter-region transfer.
pub const DATA_TRANSFER: &str = "data-transfer";

/// How one snapshot (kind, dimension) is found in the Price List.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Catalog kind id (or `data-transfer`).
    pub kind: &'static str,
    /// Snapshot dimension; `{type}` stands for an instance or node type taken from the base snapshot.
    pub dimension: &'static str,
    /// Price List service code.
    pub service_code: &'static str,
    /// Attribute filters besides the region (`{type}` as in `dimension`).
    pub filters: &'static [(&'static str, &'static str)],
    /// The product's `usagetype` must equal this or end with `-` and this (region prefixes vary).
    pub usagetype: &'static str,
    /// Snapshot units per Price List unit (1,000,000 when the API prices one request and the
    /// snapshot a million).
    pub scale: f64,
}

const EC2_LINUX: &[(&str, &str)] = &[
    ("instanceType", "{type}"),
    ("operatingSystem", "Linux"),
    ("tenancy", "Shared"),
    ("preInstalledSw", "NA"),
    ("capacitystatus", "Used"),
    ("licenseModel", "No License required"),
];
const M: f64 = 1_000_000.0;

/// Every (kind, dimension) the live refresh knows how to find. Global services (Route 53,
/// CloudFront, Global Accelerator, Lambda@Edge) and dimensions with no single Price List product
/// (replicated DynamoDB writes, S3 RTC, backup rates) are not listed and keep their snapshot entries.
pub const SPECS: &[Spec] = &[
    spec("ec2-asg", "instance-hours:{type}", "AmazonEC2", EC2_LINUX, "BoxUsage:{type}", 1.0),
    spec("ecs-fargate", "vcpu-hours", "AmazonECS", &[], "Fargate-vCPU-Hours:perCPU", 1.0),
    spec("ecs-fargate", "gb-hours", "AmazonECS", &[], "Fargate-GB-Hours", 1.0),
    spec("eks", "cluster-hours", "AmazonEKS", &[], "AmazonEKS-Hours:perCluster", 1.0),
    spec("lambda", "requests", "AWSLambda", &[("group", "AWS-Lambda-Requests")], "Request", M),
    spec("lambda", "duration", "AWSLambda", &[("group", "AWS-Lambda-Duration")], "Lambda-GB-Second", 1.0),
    spec("api-gateway", "requests-rest", "AmazonApiGateway", &[], "ApiGatewayRequest", M),
    spec("api-gateway", "requests-http", "AmazonApiGateway", &[], "ApiGatewayHttpRequest", M),
    spec("step-functions", "state-transitions", "AmazonStates", &[], "StateTransition", 1000.0),
    spec(
        "alb",
        "hours",
        "AWSELB",
        &[("productFamily", "Load Balancer-Application")],
        "LoadBalancerUsage",
        1.0,
    ),
    spec("alb", "lcu-hours", "AWSELB", &[("productFamily", "Load Balancer-Application")], "LCUUsage", 1.0),
    spec("nlb", "hours", "AWSELB", &[("productFamily", "Load Balancer-Network")], "LoadBalancerUsage", 1.0),
    spec("nlb", "nlcu-hours", "AWSELB", &[("productFamily", "Load Balancer-Network")], "LCUUsage", 1.0),
    spec("nat-gateway", "hours", "AmazonEC2", &[("productFamily", "NAT Gateway")], "NatGateway-Hours", 1.0),
    spec(
        "nat-gateway",
        "data-processed",
        "AmazonEC2",
        &[("productFamily", "NAT Gateway")],
        "NatGateway-Bytes",
        1.0,
    ),
    spec("transit-gateway", "attachment-hours", "AmazonVPC", &[], "TransitGateway-Hours", 1.0),
    spec("transit-gateway", "data-processed", "AmazonVPC", &[], "TransitGateway-Bytes", 1.0),
    spec("site-to-site-vpn", "connection-hours", "AmazonVPC", &[], "VPN-Usage-Hours:ipsec.1", 1.0),
    spec("sqs", "requests", "AWSQueueService", &[], "Requests-RBP", M),
    spec("sns", "publishes", "AmazonSNS", &[], "Requests-Tier1", M),
    spec("eventbridge", "events", "AWSEvents", &[], "Event-64K-Chunks", M),
    spec("dynamodb", "write-request-units", "AmazonDynamoDB", &[], "WriteRequestUnits", M),
    spec("dynamodb", "read-request-units", "AmazonDynamoDB", &[], "ReadRequestUnits", M),
    spec(
        "dynamodb",
        "storage",
        "AmazonDynamoDB",
        &[("productFamily", "Database Storage")],
        "TimedStorage-ByteHrs",
        1.0,
    ),
    spec(
        "aurora",
        "instance-hours:{type}",
        "AmazonRDS",
        &[("instanceType", "{type}"), ("databaseEngine", "Aurora PostgreSQL")],
        "InstanceUsage:{type}",
        1.0,
    ),
    spec(
        "aurora",
        "storage",
        "AmazonRDS",
        &[("databaseEngine", "Aurora PostgreSQL")],
        "Aurora:StorageUsage",
        1.0,
    ),
    spec(
        "aurora",
        "io-requests",
        "AmazonRDS",
        &[("databaseEngine", "Aurora PostgreSQL")],
        "Aurora:StorageIOUsage",
        M,
    ),
    spec(
        "rds",
        "instance-hours:{type}",
        "AmazonRDS",
        &[("instanceType", "{type}"), ("databaseEngine", "PostgreSQL"), ("deploymentOption", "Single-AZ")],
        "InstanceUsage:{type}",
        1.0,
    ),
    spec(
        "rds",
        "storage",
        "AmazonRDS",
        &[("databaseEngine", "PostgreSQL"), ("deploymentOption", "Single-AZ")],
        "RDS:GP2-Storage",
        1.0,
    ),
    spec("s3", "storage", "AmazonS3", &[("volumeType", "Standard")], "TimedStorage-ByteHrs", 1.0),
    spec("s3", "put-requests", "AmazonS3", &[], "Requests-Tier1", 1000.0),
    spec("s3", "get-requests", "AmazonS3", &[], "Requests-Tier2", 1000.0),
    spec(
        "elasticache",
        "node-hours:{type}",
        "AmazonElastiCache",
        &[("instanceType", "{type}"), ("cacheEngine", "Redis")],
        "NodeUsage:{type}",
        1.0,
    ),
    spec(
        "elasticache",
        "node-hours:{type}:valkey",
        "AmazonElastiCache",
        &[("instanceType", "{type}"), ("cacheEngine", "Valkey")],
        "NodeUsage:{type}",
        1.0,
    ),
    spec("cloudwatch", "metrics", "AmazonCloudWatch", &[], "CW:MetricMonitorUsage", 1.0),
    spec("cloudwatch", "alarms", "AmazonCloudWatch", &[], "CW:AlarmMonitorUsage", 1.0),
    spec("cloudwatch", "logs-ingested", "AmazonCloudWatch", &[], "DataProcessing-Bytes", 1.0),
    spec(
        DATA_TRANSFER,
        "inter-region-out",
        "AWSDataTransfer",
        &[("transferType", "InterRegion Outbound")],
        "",
        1.0,
    ),
];

const fn spec(
    kind: &'static str,
    dimension: &'static str,
    service_code: &'static str,
    filters: &'static [(&'static str, &'static str)],
    usagetype: &'static str,
    scale: f64,
) -> Spec {
    Spec { kind, dimension, service_code, filters, usagetype, scale }
}

/// One `GetProducts` call (with its pages): a spec made concrete for a region and type.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// Catalog kind id.
    pub kind: String,
    /// Snapshot dimension.
    pub dimension: String,
    /// Snapshot unit (copied from the base entry, so a refreshed entry keeps it).
    pub unit: String,
    /// Region code.
    pub region: String,
    /// Price List service code.
    pub service_code: String,
    /// `TERM_MATCH` filters (field, value), the region filter included.
    pub filters: Vec<(String, String)>,
    /// Required `usagetype` (exact, or after a `-` region prefix); empty for any.
    pub usagetype: String,
    /// Snapshot units per Price List unit.
    pub scale: f64,
    /// Whether prices are per destination region (inter-region transfer).
    pub by_destination: bool,
}

impl Query {
    /// A short description for messages, e.g. `ec2-asg instance-hours:m5.large in eu-west-1`.
    pub fn describe(&self) -> String {
        format!("{} {} in {} (GetProducts {})", self.kind, self.dimension, self.region, self.service_code)
    }

    /// Whether a product's usage type is the one this query wants.
    pub fn wants_usagetype(&self, usagetype: &str) -> bool {
        self.usagetype.is_empty()
            || usagetype == self.usagetype
            || usagetype.strip_suffix(&self.usagetype).is_some_and(|p| p.ends_with('-'))
    }
}

/// The kinds the refresh can query, sorted, for `--services` help and errors.
pub fn known_kinds() -> Vec<&'static str> {
    SPECS.iter().map(|s| s.kind).collect::<BTreeSet<_>>().into_iter().collect()
}

/// The queries for `regions` and `kinds` (every known kind when empty). Dimensions with a
/// `{type}` take their types from the base snapshot's entries for that kind; a dimension the
/// base has no entry for is skipped (there would be no unit to write it in).
pub fn plan(base: &SnapshotFile, regions: &[String], kinds: &[String]) -> Result<Vec<Query>, String> {
    let known = known_kinds();
    if let Some(bad) = kinds.iter().find(|k| !known.contains(&k.as_str())) {
        return Err(format!(
            "--services: `{bad}` is not a kind the live refresh can price; known: {}",
            known.join(", ")
        ));
    }
    if let Some(bad) = regions.iter().find(|r| !is_region_code(r)) {
        return Err(format!("--regions: `{bad}` is not a region code (for example eu-west-1)"));
    }
    let mut out = Vec::new();
    for s in SPECS.iter().filter(|s| kinds.is_empty() || kinds.iter().any(|k| k == s.kind)) {
        for (dimension, ty) in concrete_dimensions(base, s) {
            let Some(unit) = base
                .prices
                .iter()
                .find(|p| p.service == s.kind && p.dimension == dimension)
                .map(|p| p.unit.clone())
            else {
                continue;
            };
            for region in regions {
                let region_field = if s.kind == DATA_TRANSFER { "fromRegionCode" } else { "regionCode" };
                let mut filters = vec![(region_field.to_owned(), region.clone())];
                filters.extend(s.filters.iter().map(|(f, v)| ((*f).to_owned(), v.replace("{type}", &ty))));
                out.push(Query {
                    kind: s.kind.to_owned(),
                    dimension: dimension.clone(),
                    unit: unit.clone(),
                    region: region.clone(),
                    service_code: s.service_code.to_owned(),
                    filters,
                    usagetype: s.usagetype.replace("{type}", &ty),
                    scale: s.scale,
                    by_destination: s.kind == DATA_TRANSFER,
                });
            }
        }
    }
    Ok(out)
}

/// The spec's dimensions with `{type}` filled from the base snapshot, with the type used.
fn concrete_dimensions(base: &SnapshotFile, s: &Spec) -> Vec<(String, String)> {
    let Some((prefix, suffix)) = s.dimension.split_once("{type}") else {
        return vec![(s.dimension.to_owned(), String::new())];
    };
    let types: BTreeSet<&str> = base
        .prices
        .iter()
        .filter(|p| p.service == s.kind)
        .filter_map(|p| p.dimension.strip_prefix(prefix)?.strip_suffix(suffix))
        .filter(|t| !t.contains(':'))
        .collect();
    types.into_iter().map(|t| (s.dimension.replace("{type}", t), t.to_owned())).collect()
}

/// `us-east-1`, `ap-southeast-2`, `us-gov-west-1`: lowercase words and a number, hyphenated.
fn is_region_code(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::float_cmp)]
    use super::*;
    use meridian_model::cost::PriceSnapshot;

    fn base() -> SnapshotFile {
        PriceSnapshot::builtin().unwrap().file().clone()
    }

    #[test]
    fn instance_types_come_from_the_base_snapshot() {
        let q = plan(&base(), &["eu-west-1".into()], &["ec2-asg".into()]).unwrap();
        let dims: Vec<&str> = q.iter().map(|q| q.dimension.as_str()).collect();
        assert_eq!(dims, ["instance-hours:m5.large", "instance-hours:m7g.large", "instance-hours:t3.medium"]);
        assert!(q[0].filters.contains(&("instanceType".into(), "m5.large".into())));
        assert!(q[0].filters.contains(&("regionCode".into(), "eu-west-1".into())));
        assert_eq!(q[0].usagetype, "BoxUsage:m5.large");
        assert_eq!(q[0].unit, "instance-hour");
    }

    #[test]
    fn valkey_nodes_and_transfer_get_their_own_filters() {
        let q = plan(&base(), &["us-east-1".into()], &["elasticache".into(), DATA_TRANSFER.into()]).unwrap();
        let valkey = q.iter().find(|q| q.dimension == "node-hours:cache.r7g.large:valkey").unwrap();
        assert!(valkey.filters.contains(&("cacheEngine".into(), "Valkey".into())));
        let redis = q.iter().find(|q| q.dimension == "node-hours:cache.r7g.large").unwrap();
        assert!(redis.filters.contains(&("cacheEngine".into(), "Redis".into())));
        let dt = q.iter().find(|q| q.kind == DATA_TRANSFER).unwrap();
        assert!(dt.by_destination && dt.filters.contains(&("fromRegionCode".into(), "us-east-1".into())));
    }

    #[test]
    fn usagetype_matches_with_or_without_a_region_prefix() {
        let q = plan(&base(), &["us-east-1".into()], &["ecs-fargate".into()]).unwrap();
        assert!(q[0].wants_usagetype("USE1-Fargate-vCPU-Hours:perCPU"));
        assert!(q[0].wants_usagetype("Fargate-vCPU-Hours:perCPU"));
        assert!(!q[0].wants_usagetype("USE1-Fargate-ARM-vCPU-Hours:perCPU"));
        assert!(!q[0].wants_usagetype("USE1Fargate-vCPU-Hours:perCPU"));
    }

    #[test]
    fn bad_kinds_and_regions_are_refused_with_the_valid_choices() {
        let e = plan(&base(), &["us-east-1".into()], &["route53".into()]).unwrap_err();
        assert!(e.contains("`route53`") && e.contains("ec2-asg"), "{e}");
        let e = plan(&base(), &["Europe".into()], &[]).unwrap_err();
        assert!(e.contains("`Europe`"), "{e}");
        let all = plan(&base(), &["us-east-1".into()], &[]).unwrap();
        assert!(all.len() > 30, "{}", all.len());
    }
}
