//! The inventory: every resource an export writes, with what it costs and its cost-relevant
//! attributes, read back from the CloudFormation templates the export produces (so it lists what
//! is written, not what was meant to be). `iac/tests/bill_agrees.rs` checks, for every example and
//! test design, that these resources and the bill's lines describe the same things.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::bundle::{ExportError, ExportOptions, Format, TemplateSyntax};
use crate::names::Names;
use meridian_model::ServiceKind;
use meridian_model::catalog::Catalog;
use meridian_model::cost::footprint::replication_groups;
use meridian_model::design::Design;
use meridian_model::ids::{RegionId, ServiceId};

/// How a resource type is charged for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Charge {
    /// The bill prices it; the text says by which line.
    Billed(&'static str),
    /// AWS charges for it, but the bill does not price it; the text says why.
    NotPriced(&'static str),
    /// AWS does not charge for it.
    Free,
}

/// How each CloudFormation resource type the export writes is charged for. A type missing here
/// makes [`charge`] return `None`, and the inventory test fail, until someone decides.
const CHARGES: &[(&str, Charge)] = &[
    ("AWS::ApiGateway::Deployment", Charge::Free),
    ("AWS::ApiGateway::Method", Charge::Free),
    ("AWS::ApiGateway::Resource", Charge::Free),
    ("AWS::ApiGateway::RestApi", Charge::Billed("the API's requests-rest line")),
    ("AWS::ApiGateway::Stage", Charge::Free),
    ("AWS::ApiGatewayV2::Api", Charge::Billed("the API's requests-http line")),
    ("AWS::AutoScaling::AutoScalingGroup", Charge::Billed("the group's instance-hours line")),
    ("AWS::Backup::BackupPlan", Charge::Billed("the backup links' backup-storage lines")),
    ("AWS::Backup::BackupSelection", Charge::Free),
    ("AWS::Backup::BackupVault", Charge::Billed("the backup links' backup-storage lines")),
    ("AWS::CloudFront::Distribution", Charge::Billed("the distribution's data-out and requests-https lines")),
    ("AWS::CloudFront::OriginAccessControl", Charge::Free),
    (
        "AWS::CloudTrail::Trail",
        Charge::Billed("the trail's management-events line (the first copy of management events is free)"),
    ),
    ("AWS::CloudWatch::Alarm", Charge::Billed("an alarms line of the service it watches")),
    (
        "AWS::CloudWatch::Dashboard",
        Charge::Billed("the dashboards line of each dashboard beyond the account's first three (free)"),
    ),
    ("AWS::Config::ConfigurationRecorder", Charge::Billed("the recorder's configuration-items line")),
    ("AWS::Config::DeliveryChannel", Charge::Free),
    (
        "AWS::DMS::ReplicationInstance",
        Charge::Billed("the instance's instance-hours line (Multi-AZ: the design counts both instances)"),
    ),
    ("AWS::DMS::ReplicationSubnetGroup", Charge::Free),
    ("AWS::DynamoDB::GlobalTable", Charge::Billed("each replica's request, storage and pitr-storage lines")),
    ("AWS::EC2::CustomerGateway", Charge::Free),
    ("AWS::EC2::EIP", Charge::Billed("the NAT gateway's public-ipv4-hours line")),
    ("AWS::EC2::FlowLog", Charge::NotPriced("vended-log delivery depends on connections, not requests")),
    ("AWS::EC2::InternetGateway", Charge::Free),
    ("AWS::EC2::LaunchTemplate", Charge::Free),
    ("AWS::EC2::NatGateway", Charge::Billed("the NAT gateway's hours and data-processed lines")),
    ("AWS::EC2::Route", Charge::Free),
    ("AWS::EC2::RouteTable", Charge::Free),
    ("AWS::EC2::SecurityGroup", Charge::Free),
    ("AWS::EC2::SecurityGroupIngress", Charge::Free),
    ("AWS::EC2::Subnet", Charge::Free),
    ("AWS::EC2::SubnetRouteTableAssociation", Charge::Free),
    ("AWS::EC2::TransitGateway", Charge::Billed("the gateway's data-processed line")),
    ("AWS::EC2::TransitGatewayVpcAttachment", Charge::Billed("the gateway's attachment-hours line")),
    ("AWS::EC2::VPC", Charge::Free),
    ("AWS::EC2::VPCGatewayAttachment", Charge::Free),
    ("AWS::EC2::VPNConnection", Charge::Billed("the connection's connection-hours line")),
    ("AWS::EC2::VPNGateway", Charge::Free),
    ("AWS::EC2::VPNGatewayRoutePropagation", Charge::Free),
    ("AWS::ECS::Cluster", Charge::NotPriced("Container Insights metrics depend on tasks and containers")),
    ("AWS::ECS::Service", Charge::Billed("the service's vcpu-hours and gb-hours lines")),
    ("AWS::ECS::TaskDefinition", Charge::Free),
    ("AWS::EKS::Cluster", Charge::Billed("the cluster's cluster-hours line")),
    (
        "AWS::EKS::FargateProfile",
        Charge::Billed("the cluster's vcpu-hours and gb-hours lines (pods at Fargate's rates)"),
    ),
    ("AWS::ElastiCache::GlobalReplicationGroup", Charge::Free),
    ("AWS::ElastiCache::ReplicationGroup", Charge::Billed("the cache's node-hours line")),
    ("AWS::ElastiCache::SubnetGroup", Charge::Free),
    ("AWS::ElasticLoadBalancingV2::Listener", Charge::Free),
    (
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Charge::Billed("the load balancer's hours, capacity-unit and public-ipv4-hours lines"),
    ),
    ("AWS::ElasticLoadBalancingV2::TargetGroup", Charge::Free),
    ("AWS::Events::EventBus", Charge::Billed("the bus's events line")),
    ("AWS::Events::Rule", Charge::Free),
    ("AWS::GlobalAccelerator::Accelerator", Charge::Billed("the accelerator's accelerator-hours line")),
    ("AWS::GlobalAccelerator::EndpointGroup", Charge::Free),
    ("AWS::GlobalAccelerator::Listener", Charge::Free),
    ("AWS::IAM::InstanceProfile", Charge::Free),
    ("AWS::IAM::Role", Charge::Free),
    ("AWS::KMS::Alias", Charge::Free),
    ("AWS::KMS::Key", Charge::Billed("the region's key-months line")),
    ("AWS::Lambda::Function", Charge::Billed("the function's requests and duration lines")),
    ("AWS::Lambda::EventSourceMapping", Charge::Free),
    ("AWS::Lambda::Permission", Charge::Free),
    ("AWS::Lambda::Version", Charge::Free),
    (
        "AWS::Logs::LogGroup",
        Charge::Billed(
            "the service's logs-ingested and logs-storage lines (volumes assumed in cost::footprint)",
        ),
    ),
    ("AWS::RDS::DBCluster", Charge::Billed("the cluster's storage, I/O, backup-storage and secrets lines")),
    ("AWS::RDS::DBInstance", Charge::Billed("the Aurora cluster's or RDS service's instance-hours line")),
    ("AWS::RDS::DBSubnetGroup", Charge::Free),
    ("AWS::RDS::GlobalCluster", Charge::Free),
    ("AWS::Route53::HealthCheck", Charge::Billed("the zone's health-checks line")),
    ("AWS::Route53::HostedZone", Charge::Billed("the zone's hosted-zones line")),
    ("AWS::Route53::RecordSet", Charge::Free),
    (
        "AWS::S3::Bucket",
        Charge::Billed("the bucket's storage and request lines (the log bucket: not priced)"),
    ),
    ("AWS::S3::BucketPolicy", Charge::Free),
    (
        "AWS::SNS::Topic",
        Charge::Billed("the topic's publishes line (the alarm topic publishes only on alarms)"),
    ),
    ("AWS::SNS::Subscription", Charge::Free),
    ("AWS::SQS::Queue", Charge::Billed("the queue's requests line")),
    ("AWS::SQS::QueuePolicy", Charge::Free),
    ("AWS::SageMaker::Endpoint", Charge::Billed("the endpoint's instance-hours line")),
    ("AWS::SageMaker::EndpointConfig", Charge::Free),
    ("AWS::SageMaker::Model", Charge::Free),
    ("AWS::StepFunctions::StateMachine", Charge::Billed("the state machine's state-transitions line")),
];

/// How resources of a CloudFormation type are charged for, if the export's list decides it.
pub fn charge(resource_type: &str) -> Option<Charge> {
    CHARGES.iter().find(|(t, _)| *t == resource_type).map(|(_, c)| *c)
}

/// One resource the export writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// The region of its template; `None` for the global and cross-region templates.
    pub region: Option<RegionId>,
    /// CloudFormation resource type, e.g. `AWS::KMS::Key`.
    pub resource_type: String,
    /// Logical id in its template (a global table's replicas: the table's id, then `@region`).
    pub logical_id: String,
    /// The design service it belongs to (its logical id starts with the service's); `None` for a
    /// region's shared resources (key, network, log bucket, backup plan, alarm topic).
    pub service: Option<ServiceId>,
    /// Cost-relevant attributes, with parameters resolved to their defaults: `count` (a Multi-AZ
    /// RDS or DMS instance counts its standby),
    /// `instance_type`, `cpu`, `memory_mib`, `retention_days`, `public_ipv4`, `pitr`,
    /// `protocol`, `engine`, `manages_secret`, `rtc_rules`, as the type has them.
    pub attributes: BTreeMap<String, Value>,
}

/// Every resource the export of `design` writes (CloudFormation, the same resources as the
/// Terraform module), in template then logical-id order.
pub fn inventory(
    design: &Design,
    catalog: &Catalog,
    options: &ExportOptions,
) -> Result<Vec<Resource>, ExportError> {
    let options = ExportOptions { syntax: TemplateSyntax::Json, ..options.clone() };
    // The names the export gave the ids in the end, ids it renamed because a derived name clashed
    // included, so each resource is owned by the id whose name it was written under.
    let (bundle, names) = crate::entry::export_named(design, catalog, Format::CloudFormation, &options)?;
    let mut out = Vec::new();
    for file in &bundle.files {
        let Some(stem) = file.path.strip_suffix(".json") else { continue };
        // The nested stacks of a split template (`region-x.part-2.json`) belong to its region.
        let stem = stem.split_once(".part-").map_or(stem, |(base, _)| base);
        let region = stem.strip_prefix("region-").map(RegionId::new);
        let doc: Value =
            serde_json::from_str(&file.contents).map_err(|e| ExportError::internal(&file.path, e))?;
        let params = doc.get("Parameters").and_then(Value::as_object).cloned().unwrap_or_default();
        let Some(resources) = doc.get("Resources").and_then(Value::as_object) else { continue };
        let owners = owners(design, &names, region.as_ref());
        for (id, r) in resources {
            let resource_type = r.get("Type").and_then(Value::as_str).unwrap_or_default().to_owned();
            if resource_type == "AWS::CloudFormation::Stack" {
                // A split template's parent: its parts are read as files of their own.
                continue;
            }
            let props = r.get("Properties").cloned().unwrap_or(Value::Null);
            let service = owner_of(&owners, id);
            if resource_type == "AWS::DynamoDB::GlobalTable" {
                out.extend(replicas(design, &names, id, &props));
                continue;
            }
            let attributes = attributes(&resource_type, &props, &params, resources);
            out.push(Resource {
                region: region.clone(),
                resource_type,
                logical_id: id.clone(),
                service,
                attributes,
            });
        }
    }
    Ok(out)
}

/// Services whose resources may be in a template, as (logical-id prefix, service), longest first.
fn owners(design: &Design, names: &Names, region: Option<&RegionId>) -> Vec<(String, ServiceId)> {
    let mut v: Vec<(String, ServiceId)> = design
        .services()
        .filter(|s| region.is_none_or(|r| s.placement.region() == Some(r)))
        .map(|s| (names.cfn(s.id.as_str()), s.id.clone()))
        .collect();
    v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    v
}

fn owner_of(owners: &[(String, ServiceId)], logical_id: &str) -> Option<ServiceId> {
    owners.iter().find(|(prefix, _)| logical_id.starts_with(prefix.as_str())).map(|(_, s)| s.clone())
}

/// A global table's replicas, one resource each in its own region, owned by the member there.
fn replicas(design: &Design, names: &Names, id: &str, props: &Value) -> Vec<Resource> {
    let groups = replication_groups(design, ServiceKind::DynamoDb);
    let members: Vec<ServiceId> =
        groups.into_iter().find(|g| g.iter().any(|m| names.cfn(m.as_str()) == id)).map_or_else(
            || design.services().filter(|s| names.cfn(s.id.as_str()) == id).map(|s| s.id.clone()).collect(),
            |g| g.into_iter().collect(),
        );
    let list = props.get("Replicas").and_then(Value::as_array).cloned().unwrap_or_default();
    list.iter()
        .filter_map(|rep| {
            let region = RegionId::new(rep.get("Region")?.as_str()?);
            let owner = members.iter().find(|m| design.region_of(m) == Some(&region)).cloned();
            let pitr = rep.pointer("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").cloned();
            let mut attributes = BTreeMap::new();
            attributes.insert("pitr".to_owned(), pitr.unwrap_or(Value::Bool(false)));
            Some(Resource {
                region: Some(region.clone()),
                resource_type: "AWS::DynamoDB::GlobalTable".to_owned(),
                logical_id: format!("{id}@{region}"),
                service: owner,
                attributes,
            })
        })
        .collect()
}

/// A property, with `{"Ref": parameter}` resolved to the parameter's default.
fn resolved(value: Option<&Value>, params: &Map<String, Value>) -> Option<Value> {
    let v = value?;
    match v.get("Ref").and_then(Value::as_str) {
        Some(p) => params.get(p).and_then(|p| p.get("Default")).cloned(),
        None => Some(v.clone()),
    }
}

fn attributes(
    resource_type: &str,
    props: &Value,
    params: &Map<String, Value>,
    resources: &Map<String, Value>,
) -> BTreeMap<String, Value> {
    let mut a = BTreeMap::new();
    let mut put = |k: &str, v: Option<Value>| {
        if let Some(v) = v {
            a.insert(k.to_owned(), v);
        }
    };
    let get = |path: &str| props.pointer(path).cloned();
    match resource_type {
        "AWS::Logs::LogGroup" => put("retention_days", get("/RetentionInDays")),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            put("type", get("/Type"));
            let public = get("/Scheme").as_ref().and_then(Value::as_str) == Some("internet-facing");
            let subnets = props.get("Subnets").and_then(Value::as_array).map_or(0, Vec::len);
            put("public_ipv4", Some(Value::from(if public { subnets } else { 0 })));
        }
        "AWS::ECS::Service" => {
            put("count", get("/DesiredCount"));
            let task =
                props.pointer("/TaskDefinition/Ref").and_then(Value::as_str).and_then(|t| resources.get(t));
            let size = |k: &str| {
                task.and_then(|t| t.pointer(&format!("/Properties/{k}")))
                    .and_then(Value::as_str)
                    .and_then(|v| v.parse::<u64>().ok())
                    .map(Value::from)
            };
            put("cpu", size("Cpu"));
            put("memory_mib", size("Memory"));
        }
        "AWS::Lambda::Function" => put("memory_mib", get("/MemorySize")),
        "AWS::ApiGatewayV2::Api" => put("protocol", get("/ProtocolType")),
        "AWS::ApiGateway::RestApi" => put("protocol", Some(Value::from("REST"))),
        "AWS::RDS::DBCluster" => {
            put("retention_days", get("/BackupRetentionPeriod"));
            put("engine", get("/Engine"));
            put("manages_secret", Some(get("/ManageMasterUserPassword").unwrap_or(Value::Bool(false))));
        }
        "AWS::RDS::DBInstance" => {
            put("instance_type", resolved(props.get("DBInstanceClass"), params));
            put("cluster", props.pointer("/DBClusterIdentifier/Ref").cloned());
            // A Multi-AZ instance runs a standby: AWS bills two instances.
            put("count", Some(Value::from(if get("/MultiAZ") == Some(Value::Bool(true)) { 2 } else { 1 })));
        }
        "AWS::DMS::ReplicationInstance" => {
            put("instance_type", resolved(props.get("ReplicationInstanceClass"), params));
            put("count", Some(Value::from(if get("/MultiAZ") == Some(Value::Bool(true)) { 2 } else { 1 })));
        }
        "AWS::SageMaker::EndpointConfig" => {
            put("instance_type", get("/ProductionVariants/0/InstanceType"));
            put("count", get("/ProductionVariants/0/InitialInstanceCount"));
        }
        "AWS::ElastiCache::ReplicationGroup" => {
            put("count", get("/NumCacheClusters"));
            put("instance_type", resolved(props.get("CacheNodeType"), params));
            put("engine", get("/Engine"));
            put("retention_days", get("/SnapshotRetentionLimit"));
        }
        "AWS::AutoScaling::AutoScalingGroup" => {
            put(
                "count",
                get("/DesiredCapacity")
                    .and_then(|v| v.as_str().and_then(|s| s.parse::<u64>().ok()).map(Value::from)),
            );
            let template = props.pointer("/LaunchTemplate/LaunchTemplateId/Ref").and_then(Value::as_str);
            let ty = template
                .and_then(|t| resources.get(t))
                .and_then(|t| resolved(t.pointer("/Properties/LaunchTemplateData/InstanceType"), params));
            put("instance_type", ty);
        }
        "AWS::S3::Bucket" => {
            let rules = props.pointer("/ReplicationConfiguration/Rules").and_then(Value::as_array);
            let rtc = rules.map_or(0, |r| {
                r.iter().filter(|x| x.pointer("/Destination/ReplicationTime").is_some()).count()
            });
            put("replication_rules", Some(Value::from(rules.map_or(0, Vec::len))));
            put("rtc_rules", Some(Value::from(rtc)));
        }
        "AWS::Route53::HealthCheck" => put("interval_secs", get("/HealthCheckConfig/RequestInterval")),
        _ => {}
    }
    a
}
