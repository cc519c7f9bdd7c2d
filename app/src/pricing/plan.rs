//! The query plan: which `GetProducts` calls yield the prices a snapshot needs.
//!
//! Each [`Spec`] maps one (catalog kind, dimension) of the snapshot to a Price List service code,
//! the server-side `TERM_MATCH` filters that narrow it to a few products, and the usage-type
//! suffix that picks the product among them; [`live`] gives each kind's specs, or the reason it
//! is not refreshed. A [`Query`] is a spec for one region.

use std::collections::BTreeSet;

use meridian_model::ServiceKind;
use meridian_model::cost::PriceService;
use meridian_model::cost::snapshot::SnapshotFile;

/// How one snapshot (kind, dimension) is found in the Price List.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The kind (or inter-region transfer) priced.
    pub kind: PriceService,
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
    ("productFamily", "Compute Instance"),
    ("instanceType", "{type}"),
    ("operatingSystem", "Linux"),
    ("tenancy", "Shared"),
    ("preInstalledSw", "NA"),
    ("capacitystatus", "Used"),
    ("licenseModel", "No License required"),
];
const M: f64 = 1_000_000.0;

/// Whether the live refresh can price a snapshot service, and how.
#[derive(Debug, Clone, Copy)]
pub enum Live {
    /// The (service, dimension) specs the refresh queries.
    Specs(&'static [Spec]),
    /// The service keeps its snapshot entries, for this reason.
    NotRefreshed {
        /// Why, e.g. "a global service".
        reason: &'static str,
    },
}

/// The (service, dimension) specs the live refresh knows how to find for `service`. Global
/// services (Route 53, CloudFront, Global Accelerator, Lambda@Edge) and dimensions with no single
/// Price List product (replicated DynamoDB writes, S3 RTC, backup rates) have none and keep their
/// snapshot entries.
///
/// Where each service code, filter field and value comes from (checked 2026-11-26). "Infracost" is
/// `infracost/infracost` at commit 95ba4f4, whose `internal/resources/aws/<file>.go` queries its
/// copy of the AWS Price List with the same attribute names and values; field names are the Price
/// List's product attributes (`productFamily`, `regionCode`, `usagetype`, ...), which `GetProducts`
/// accepts as `TERM_MATCH` fields (AWS CLI reference, `aws pricing get-products`; AWS Billing User
/// Guide, "Using the AWS Price List Query API").
///
/// | kind | service code | filters | source |
/// |---|---|---|---|
/// | ec2-asg | AmazonEC2 | productFamily Compute Instance, instanceType, operatingSystem Linux, tenancy Shared, preInstalledSw NA, capacitystatus Used, licenseModel No License required; usagetype `BoxUsage:<type>` | Infracost `instance.go` |
/// | ecs-fargate | AmazonECS | productFamily Compute; usagetype `Fargate-vCPU-Hours:perCPU`, `Fargate-GB-Hours` | Infracost `ecs_service.go` |
/// | eks | AmazonEKS | productFamily Compute; usagetype `AmazonEKS-Hours:perCluster` | Infracost `eks_cluster.go` |
/// | lambda | AWSLambda | productFamily Serverless, group AWS-Lambda-Requests / AWS-Lambda-Duration; usagetype `Request`, `Lambda-GB-Second` | Infracost `lambda_function.go` |
/// | api-gateway | AmazonApiGateway | productFamily API Calls; usagetype `ApiGatewayRequest`, `ApiGatewayHttpRequest` | Infracost `api_gateway_rest_api.go`, `apigatewayv2_api.go` |
/// | step-functions | AmazonStates | productFamily AWS Step Functions; usagetype `StateTransition` | Infracost `sfn_state_machine.go` |
/// | alb, nlb | AWSELB | productFamily Load Balancer-Application / Load Balancer-Network; usagetype `LoadBalancerUsage`, `LCUUsage` | Infracost `lb.go` |
/// | nat-gateway | AmazonEC2 | productFamily NAT Gateway; usagetype `NatGateway-Hours`, `NatGateway-Bytes` | Infracost `nat_gateway.go` |
/// | transit-gateway | AmazonVPC | operation TransitGatewayVPC; usagetype `TransitGateway-Hours`, `TransitGateway-Bytes` | Infracost `ec2_transit_gateway_vpc_attachment.go` |
/// | site-to-site-vpn | AmazonVPC | productFamily Cloud Connectivity; usagetype `VPN-Usage-Hours:ipsec.1` | Infracost `vpn_connection.go` (family); the usage type is the one AWS bills Site-to-Site VPN hours under |
/// | sqs | AWSQueueService | productFamily API Request, queueType Standard; usagetype `Requests-RBP` | Infracost `sqs_queue.go` |
/// | sns | AmazonSNS | productFamily API Request; usagetype `Requests-Tier1` | Infracost `sns_topic.go` (FIFO topics use `F-Request-Tier1`) |
/// | eventbridge | AWSEvents | productFamily EventBridge, eventType Custom Event; usagetype `Event-64K-Chunks` | Infracost `cloudwatch_event_bus.go`: partner events share the usage type, so `eventType` is needed |
/// | dynamodb | AmazonDynamoDB | on-demand: productFamily Amazon DynamoDB PayPerRequest Throughput, group DDB-WriteUnits / DDB-ReadUnits; storage: productFamily Database Storage, usagetype `TimedStorage-ByteHrs` (not `IA-TimedStorage-ByteHrs`) | Infracost `dynamodb_table.go` |
/// | aurora | AmazonRDS | databaseEngine Aurora PostgreSQL; instances: productFamily Database Instance, usagetype `InstanceUsage:<type>`; storage: productFamily Database Storage, `Aurora:StorageUsage`; I/O: productFamily System Operation, `Aurora:StorageIOUsage` | Infracost `rds_cluster_instance.go`, `rds_cluster.go` |
/// | rds | AmazonRDS | instances: productFamily Database Instance, databaseEngine PostgreSQL, deploymentOption Single-AZ; storage: productFamily Database Storage, databaseEngine Any, deploymentOption Single-AZ, volumeType General Purpose, usagetype `RDS:GP2-Storage` | Infracost `db_instance.go` |
/// | s3 | AmazonS3 | storage: volumeType Standard, usagetype `TimedStorage-ByteHrs`; requests: usagetype `Requests-Tier1`, `Requests-Tier2` | Infracost `s3_standard_storage_class.go`, `s3_storage_class_helpers.go` |
/// | elasticache | AmazonElastiCache | productFamily Cache Instance, instanceType, cacheEngine Redis / Valkey; usagetype `NodeUsage:<type>` | Infracost `elasticache_cluster.go` (Redis; `Valkey` follows the same title-case naming and was not seen in a copy) |
/// | cloudwatch | AmazonCloudWatch | metrics: usagetype `CW:MetricMonitorUsage`; alarms: productFamily Alarm, alarmType Standard, `CW:AlarmMonitorUsage`; logs: productFamily Data Payload, `DataProcessing-Bytes` | Infracost `cloudwatch_metric_alarm.go`, `cloudwatch_log_group.go`; the metrics usage type as billed (Cost Explorer usage types) |
/// | data-transfer | AWSDataTransfer | productFamily Data Transfer, transferType InterRegion Outbound, fromRegionCode; price per product's `toRegionCode` | Infracost `data_transfer.go`; the `From Region Code` and `To Region Code` columns of the AWSDataTransfer price list (Bjorn248/graphql_aws_pricing_api `SCHEMATA.md`) |
///
/// Every query also filters on `regionCode` (`fromRegionCode` for transfer), the `Region Code`
/// column every regional price list carries (same `SCHEMATA.md`).
pub fn live(service: PriceService) -> Live {
    let kind = match service {
        PriceService::DataTransfer => return Live::Specs(TRANSFER_SPECS),
        PriceService::Kms | PriceService::SecretsManager | PriceService::Vpc => {
            return Live::NotRefreshed { reason: NOT_YET };
        }
        PriceService::Kind(kind) => kind,
    };
    match kind {
        ServiceKind::Ec2Asg => Live::Specs(EC2_ASG_SPECS),
        ServiceKind::EcsFargate => Live::Specs(ECS_FARGATE_SPECS),
        ServiceKind::Eks => Live::Specs(EKS_SPECS),
        ServiceKind::Lambda => Live::Specs(LAMBDA_SPECS),
        ServiceKind::ApiGateway => Live::Specs(API_GATEWAY_SPECS),
        ServiceKind::StepFunctions => Live::Specs(STEP_FUNCTIONS_SPECS),
        ServiceKind::Alb => Live::Specs(ALB_SPECS),
        ServiceKind::Nlb => Live::Specs(NLB_SPECS),
        ServiceKind::NatGateway => Live::Specs(NAT_GATEWAY_SPECS),
        ServiceKind::TransitGateway => Live::Specs(TRANSIT_GATEWAY_SPECS),
        ServiceKind::SiteToSiteVpn => Live::Specs(SITE_TO_SITE_VPN_SPECS),
        ServiceKind::Sqs => Live::Specs(SQS_SPECS),
        ServiceKind::Sns => Live::Specs(SNS_SPECS),
        ServiceKind::EventBridge => Live::Specs(EVENTBRIDGE_SPECS),
        ServiceKind::DynamoDb => Live::Specs(DYNAMODB_SPECS),
        ServiceKind::Aurora => Live::Specs(AURORA_SPECS),
        ServiceKind::Rds => Live::Specs(RDS_SPECS),
        ServiceKind::S3 => Live::Specs(S3_SPECS),
        ServiceKind::ElastiCache => Live::Specs(ELASTICACHE_SPECS),
        ServiceKind::CloudWatch => Live::Specs(CLOUDWATCH_SPECS),
        ServiceKind::Route53
        | ServiceKind::GlobalAccelerator
        | ServiceKind::CloudFront
        | ServiceKind::LambdaEdge => Live::NotRefreshed { reason: GLOBAL },
        ServiceKind::Iam => {
            Live::NotRefreshed { reason: "it is free: the snapshot lists it as having no price" }
        }
        ServiceKind::AwsBackup => {
            Live::NotRefreshed { reason: "its backup rates have no single Price List product per dimension" }
        }
        ServiceKind::AwsConfig
        | ServiceKind::CloudTrail
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::SageMakerEndpoint => Live::NotRefreshed { reason: NOT_YET },
    }
}

/// Why global kinds are not refreshed.
const GLOBAL: &str = "a global service: the refresh reads regional prices only";
/// Why other kinds are not refreshed.
const NOT_YET: &str = "no Price List query is written for it yet";

const EC2_ASG_SPECS: &[Spec] = &[spec(
    kind(ServiceKind::Ec2Asg),
    "instance-hours:{type}",
    "AmazonEC2",
    EC2_LINUX,
    "BoxUsage:{type}",
    1.0,
)];
const ECS_FARGATE_SPECS: &[Spec] = &[
    spec(kind(ServiceKind::EcsFargate), "vcpu-hours", "AmazonECS", COMPUTE, "Fargate-vCPU-Hours:perCPU", 1.0),
    spec(kind(ServiceKind::EcsFargate), "gb-hours", "AmazonECS", COMPUTE, "Fargate-GB-Hours", 1.0),
];
const EKS_SPECS: &[Spec] =
    &[spec(kind(ServiceKind::Eks), "cluster-hours", "AmazonEKS", COMPUTE, "AmazonEKS-Hours:perCluster", 1.0)];
const LAMBDA_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::Lambda),
        "requests",
        "AWSLambda",
        &[("productFamily", "Serverless"), ("group", "AWS-Lambda-Requests")],
        "Request",
        M,
    ),
    spec(
        kind(ServiceKind::Lambda),
        "duration",
        "AWSLambda",
        &[("productFamily", "Serverless"), ("group", "AWS-Lambda-Duration")],
        "Lambda-GB-Second",
        1.0,
    ),
];
const API_GATEWAY_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::ApiGateway),
        "requests-rest",
        "AmazonApiGateway",
        API_CALLS,
        "ApiGatewayRequest",
        M,
    ),
    spec(
        kind(ServiceKind::ApiGateway),
        "requests-http",
        "AmazonApiGateway",
        API_CALLS,
        "ApiGatewayHttpRequest",
        M,
    ),
];
const STEP_FUNCTIONS_SPECS: &[Spec] = &[spec(
    kind(ServiceKind::StepFunctions),
    "state-transitions",
    "AmazonStates",
    &[("productFamily", "AWS Step Functions")],
    "StateTransition",
    1000.0,
)];
const ALB_SPECS: &[Spec] = &[
    spec(kind(ServiceKind::Alb), "hours", "AWSELB", ALB, "LoadBalancerUsage", 1.0),
    spec(kind(ServiceKind::Alb), "lcu-hours", "AWSELB", ALB, "LCUUsage", 1.0),
];
const NLB_SPECS: &[Spec] = &[
    spec(kind(ServiceKind::Nlb), "hours", "AWSELB", NLB, "LoadBalancerUsage", 1.0),
    spec(kind(ServiceKind::Nlb), "nlcu-hours", "AWSELB", NLB, "LCUUsage", 1.0),
];
const NAT_GATEWAY_SPECS: &[Spec] = &[
    spec(kind(ServiceKind::NatGateway), "hours", "AmazonEC2", NAT, "NatGateway-Hours", 1.0),
    spec(kind(ServiceKind::NatGateway), "data-processed", "AmazonEC2", NAT, "NatGateway-Bytes", 1.0),
];
const TRANSIT_GATEWAY_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::TransitGateway),
        "attachment-hours",
        "AmazonVPC",
        TGW_VPC,
        "TransitGateway-Hours",
        1.0,
    ),
    spec(
        kind(ServiceKind::TransitGateway),
        "data-processed",
        "AmazonVPC",
        TGW_VPC,
        "TransitGateway-Bytes",
        1.0,
    ),
];
const SITE_TO_SITE_VPN_SPECS: &[Spec] = &[spec(
    kind(ServiceKind::SiteToSiteVpn),
    "connection-hours",
    "AmazonVPC",
    &[("productFamily", "Cloud Connectivity")],
    "VPN-Usage-Hours:ipsec.1",
    1.0,
)];
const SQS_SPECS: &[Spec] = &[spec(
    kind(ServiceKind::Sqs),
    "requests",
    "AWSQueueService",
    &[("productFamily", "API Request"), ("queueType", "Standard")],
    "Requests-RBP",
    M,
)];
const SNS_SPECS: &[Spec] = &[spec(
    kind(ServiceKind::Sns),
    "publishes",
    "AmazonSNS",
    &[("productFamily", "API Request")],
    "Requests-Tier1",
    M,
)];
const EVENTBRIDGE_SPECS: &[Spec] = &[spec(
    kind(ServiceKind::EventBridge),
    "events",
    "AWSEvents",
    &[("productFamily", "EventBridge"), ("eventType", "Custom Event")],
    "Event-64K-Chunks",
    M,
)];
const DYNAMODB_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::DynamoDb),
        "write-request-units",
        "AmazonDynamoDB",
        &[("productFamily", "Amazon DynamoDB PayPerRequest Throughput"), ("group", "DDB-WriteUnits")],
        "",
        M,
    ),
    spec(
        kind(ServiceKind::DynamoDb),
        "read-request-units",
        "AmazonDynamoDB",
        &[("productFamily", "Amazon DynamoDB PayPerRequest Throughput"), ("group", "DDB-ReadUnits")],
        "",
        M,
    ),
    spec(
        kind(ServiceKind::DynamoDb),
        "storage",
        "AmazonDynamoDB",
        &[("productFamily", "Database Storage")],
        "TimedStorage-ByteHrs",
        1.0,
    ),
];
const AURORA_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::Aurora),
        "instance-hours:{type}",
        "AmazonRDS",
        &[
            ("productFamily", "Database Instance"),
            ("instanceType", "{type}"),
            ("databaseEngine", "Aurora PostgreSQL"),
        ],
        "InstanceUsage:{type}",
        1.0,
    ),
    spec(
        kind(ServiceKind::Aurora),
        "storage",
        "AmazonRDS",
        &[("productFamily", "Database Storage"), ("databaseEngine", "Aurora PostgreSQL")],
        "Aurora:StorageUsage",
        1.0,
    ),
    spec(
        kind(ServiceKind::Aurora),
        "io-requests",
        "AmazonRDS",
        &[("productFamily", "System Operation"), ("databaseEngine", "Aurora PostgreSQL")],
        "Aurora:StorageIOUsage",
        M,
    ),
];
const RDS_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::Rds),
        "instance-hours:{type}",
        "AmazonRDS",
        &[
            ("productFamily", "Database Instance"),
            ("instanceType", "{type}"),
            ("databaseEngine", "PostgreSQL"),
            ("deploymentOption", "Single-AZ"),
        ],
        "InstanceUsage:{type}",
        1.0,
    ),
    spec(
        kind(ServiceKind::Rds),
        "storage",
        "AmazonRDS",
        &[
            ("productFamily", "Database Storage"),
            ("databaseEngine", "Any"),
            ("deploymentOption", "Single-AZ"),
            ("volumeType", "General Purpose"),
        ],
        "RDS:GP2-Storage",
        1.0,
    ),
];
const S3_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::S3),
        "storage",
        "AmazonS3",
        &[("volumeType", "Standard")],
        "TimedStorage-ByteHrs",
        1.0,
    ),
    spec(kind(ServiceKind::S3), "put-requests", "AmazonS3", &[], "Requests-Tier1", 1000.0),
    spec(kind(ServiceKind::S3), "get-requests", "AmazonS3", &[], "Requests-Tier2", 1000.0),
];
const ELASTICACHE_SPECS: &[Spec] = &[
    spec(
        kind(ServiceKind::ElastiCache),
        "node-hours:{type}",
        "AmazonElastiCache",
        &[("productFamily", "Cache Instance"), ("instanceType", "{type}"), ("cacheEngine", "Redis")],
        "NodeUsage:{type}",
        1.0,
    ),
    spec(
        kind(ServiceKind::ElastiCache),
        "node-hours:{type}:valkey",
        "AmazonElastiCache",
        &[("productFamily", "Cache Instance"), ("instanceType", "{type}"), ("cacheEngine", "Valkey")],
        "NodeUsage:{type}",
        1.0,
    ),
];
const CLOUDWATCH_SPECS: &[Spec] = &[
    spec(kind(ServiceKind::CloudWatch), "metrics", "AmazonCloudWatch", &[], "CW:MetricMonitorUsage", 1.0),
    spec(
        kind(ServiceKind::CloudWatch),
        "alarms",
        "AmazonCloudWatch",
        &[("productFamily", "Alarm"), ("alarmType", "Standard")],
        "CW:AlarmMonitorUsage",
        1.0,
    ),
    spec(
        kind(ServiceKind::CloudWatch),
        "logs-ingested",
        "AmazonCloudWatch",
        &[("productFamily", "Data Payload")],
        "DataProcessing-Bytes",
        1.0,
    ),
];
const TRANSFER_SPECS: &[Spec] = &[spec(
    PriceService::DataTransfer,
    "inter-region-out",
    "AWSDataTransfer",
    &[("productFamily", "Data Transfer"), ("transferType", "InterRegion Outbound")],
    "",
    1.0,
)];

const COMPUTE: &[(&str, &str)] = &[("productFamily", "Compute")];
const API_CALLS: &[(&str, &str)] = &[("productFamily", "API Calls")];
const ALB: &[(&str, &str)] = &[("productFamily", "Load Balancer-Application")];
const NLB: &[(&str, &str)] = &[("productFamily", "Load Balancer-Network")];
const NAT: &[(&str, &str)] = &[("productFamily", "NAT Gateway")];
const TGW_VPC: &[(&str, &str)] = &[("operation", "TransitGatewayVPC")];

/// A kind's prices, in the specs' tables.
const fn kind(kind: ServiceKind) -> PriceService {
    PriceService::Kind(kind)
}

const fn spec(
    kind: PriceService,
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
    /// The kind (or inter-region transfer) priced.
    pub kind: PriceService,
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

    /// Whether a product's usage type is the one this query wants: equal, or equal after a region
    /// prefix such as `USE2-`, `APN1-` or `EU-` (never after another qualifier: DynamoDB's
    /// `USE1-IA-TimedStorage-ByteHrs` is not `TimedStorage-ByteHrs`).
    pub fn wants_usagetype(&self, usagetype: &str) -> bool {
        self.usagetype.is_empty()
            || usagetype == self.usagetype
            || usagetype
                .strip_suffix(&self.usagetype)
                .and_then(|p| p.strip_suffix('-'))
                .is_some_and(is_usage_region_prefix)
    }
}

/// The services the refresh can query, in key order, for `--services` help and errors.
pub fn known_kinds() -> Vec<PriceService> {
    let mut all: Vec<PriceService> =
        ServiceKind::ALL.into_iter().map(PriceService::Kind).chain(PriceService::OTHERS).collect();
    all.sort();
    all.retain(|s| matches!(live(*s), Live::Specs(_)));
    all
}

/// The queries for `regions` and `kinds` (every known kind when empty). Dimensions with a
/// `{type}` take their types from the base snapshot's entries for that kind; a dimension the
/// base has no entry for is skipped (there would be no unit to write it in).
pub fn plan(base: &SnapshotFile, regions: &[String], kinds: &[String]) -> Result<Vec<Query>, String> {
    let known = known_kinds();
    let mut wanted = Vec::new();
    for k in kinds {
        match k.parse::<PriceService>() {
            Ok(s) if known.contains(&s) => wanted.push(s),
            _ => {
                let names: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
                return Err(format!(
                    "--services: `{k}` is not a kind the live refresh can price; known: {}",
                    names.join(", ")
                ));
            }
        }
    }
    if let Some(bad) = regions.iter().find(|r| !is_region_code(r)) {
        return Err(format!("--regions: `{bad}` is not a region code (for example eu-west-1)"));
    }
    let mut out = Vec::new();
    let services = if wanted.is_empty() { known } else { wanted };
    let specs = services.into_iter().flat_map(|s| match live(s) {
        Live::Specs(specs) => specs,
        Live::NotRefreshed { .. } => &[],
    });
    for s in specs {
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
                let by_destination = s.kind == PriceService::DataTransfer;
                let region_field = if by_destination { "fromRegionCode" } else { "regionCode" };
                let mut filters = vec![(region_field.to_owned(), region.clone())];
                filters.extend(s.filters.iter().map(|(f, v)| ((*f).to_owned(), v.replace("{type}", &ty))));
                out.push(Query {
                    kind: s.kind,
                    dimension: dimension.clone(),
                    unit: unit.clone(),
                    region: region.clone(),
                    service_code: s.service_code.to_owned(),
                    filters,
                    usagetype: s.usagetype.replace("{type}", &ty),
                    scale: s.scale,
                    by_destination,
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

/// A usage-type region prefix: upper-case letters and a number (`USE1`, `APS3`, `UGW1`), or `EU`,
/// which older Ireland usage types carry (`EU-BoxUsage:m5.large`).
fn is_usage_region_prefix(p: &str) -> bool {
    let letters = p.bytes().take_while(u8::is_ascii_uppercase).count();
    p == "EU" || (letters >= 2 && letters < p.len() && p.bytes().skip(letters).all(|b| b.is_ascii_digit()))
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

    /// The snapshot's key of inter-region transfer, as `--services` takes it.
    const DATA_TRANSFER: &str = "data-transfer";

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
        let dt = q.iter().find(|q| q.kind.as_str() == DATA_TRANSFER).unwrap();
        assert!(dt.by_destination && dt.filters.contains(&("fromRegionCode".into(), "us-east-1".into())));
    }

    #[test]
    fn usagetype_matches_with_or_without_a_region_prefix() {
        let q = plan(&base(), &["us-east-1".into()], &["ecs-fargate".into()]).unwrap();
        assert!(q[0].wants_usagetype("USE1-Fargate-vCPU-Hours:perCPU"));
        assert!(q[0].wants_usagetype("Fargate-vCPU-Hours:perCPU"));
        assert!(!q[0].wants_usagetype("USE1-Fargate-ARM-vCPU-Hours:perCPU"));
        assert!(!q[0].wants_usagetype("USE1Fargate-vCPU-Hours:perCPU"));
        assert!(q[0].wants_usagetype("EU-Fargate-vCPU-Hours:perCPU"));
        let ddb = plan(&base(), &["us-east-1".into()], &["dynamodb".into()]).unwrap();
        let storage = ddb.iter().find(|q| q.dimension == "storage").unwrap();
        assert!(storage.wants_usagetype("USE2-TimedStorage-ByteHrs"));
        assert!(!storage.wants_usagetype("USE1-IA-TimedStorage-ByteHrs"));
        assert!(!storage.wants_usagetype("IA-TimedStorage-ByteHrs"));
    }

    #[test]
    fn filters_pin_the_product_family_and_the_verified_attributes() {
        let q = plan(&base(), &["us-east-2".into()], &[]).unwrap();
        let find =
            |kind: &str, dim: &str| q.iter().find(|q| q.kind.as_str() == kind && q.dimension == dim).unwrap();
        let has = |q: &Query, f: &str, v: &str| q.filters.iter().any(|(a, b)| a == f && b == v);
        let wru = find("dynamodb", "write-request-units");
        assert!(has(wru, "group", "DDB-WriteUnits") && wru.usagetype.is_empty());
        assert!(has(find("eventbridge", "events"), "eventType", "Custom Event"));
        let storage = find("rds", "storage");
        assert!(has(storage, "databaseEngine", "Any") && has(storage, "volumeType", "General Purpose"));
        assert!(has(find("transit-gateway", "attachment-hours"), "operation", "TransitGatewayVPC"));
        assert!(has(find("sqs", "requests"), "queueType", "Standard"));
        let dt = find(DATA_TRANSFER, "inter-region-out");
        assert!(has(dt, "fromRegionCode", "us-east-2") && has(dt, "transferType", "InterRegion Outbound"));
        assert!(q.iter().filter(|q| q.kind.as_str() != DATA_TRANSFER).all(|q| has(
            q,
            "regionCode",
            "us-east-2"
        )));
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
