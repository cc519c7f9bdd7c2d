//! The settings a design models, read from a service's resource and the resources that support
//! it: counts, instance and node types, engines, task and function sizes, capacity modes.

use meridian_model::ServiceKind;
use meridian_model::design::ServiceConfig;
use serde_json::Value;

use super::resource::{RawResource, as_f64, as_text, as_u32, field, unresolved_why};

/// Reads `kind`'s settings from `res` and its supporting resources into `config`; returns a
/// warning for each setting present but not known statically.
#[allow(clippy::too_many_lines, reason = "one match arm per service kind, every kind listed")]
pub(crate) fn read_settings(
    config: &mut ServiceConfig,
    kind: ServiceKind,
    res: &RawResource,
    supporting: &[&RawResource],
) -> Vec<String> {
    let mut warnings = Vec::new();
    let p = &res.props;
    let mut num = |v: Option<&Value>, what: &str| -> Option<u32> {
        let v = v?;
        let n = as_u32(v);
        if n.is_none() {
            warnings.push(format!(
                "{what} not known statically ({})",
                unresolved_why(v).map_or_else(|| v.to_string(), str::to_owned)
            ));
        }
        n
    };
    let text = |v: Option<&Value>| v.and_then(as_text).filter(|t| !t.contains("${")).map(str::to_owned);
    match kind {
        ServiceKind::EcsFargate => {
            if let Some(n) = num(field(p, &["DesiredCount", "desired_count"]), "DesiredCount") {
                config.count = n;
            }
            if let Some(task) =
                of_type(supporting, &["AWS::ECS::TaskDefinition", "aws_ecs_task_definition"]).next()
            {
                if let Some(cpu) = field(task, &["Cpu", "cpu"]).and_then(as_f64) {
                    config.vcpu = Some(cpu / 1024.0);
                }
                if let Some(mem) = field(task, &["Memory", "memory"]).and_then(as_f64) {
                    config.memory_gib = Some(mem / 1024.0);
                }
            }
        }
        ServiceKind::Ec2Asg => {
            let desired = field(p, &["DesiredCapacity", "desired_capacity"])
                .or_else(|| field(p, &["MinSize", "min_size"]));
            if let Some(n) = num(desired, "DesiredCapacity") {
                config.count = n;
            }
            let lt = of_type(supporting, &["AWS::EC2::LaunchTemplate", "aws_launch_template"]).next();
            let it = lt.and_then(|l| {
                field(l, &["LaunchTemplateData"])
                    .map_or_else(|| field(l, &["instance_type"]), |d| field(d, &["InstanceType"]))
            });
            if let Some(t) = text(it) {
                config.instance_type = Some(t);
            }
        }
        ServiceKind::ElastiCache => {
            if let Some(n) = num(field(p, &["NumCacheClusters", "num_cache_clusters"]), "NumCacheClusters") {
                config.count = n;
            }
            if let Some(t) = text(field(p, &["CacheNodeType", "node_type"])) {
                config.instance_type = Some(t);
            }
            if let Some(e) = text(field(p, &["Engine", "engine"])) {
                config.engine = Some(e);
            }
        }
        ServiceKind::Aurora => {
            let instances: Vec<&Value> =
                of_type(supporting, &["AWS::RDS::DBInstance", "aws_rds_cluster_instance"]).collect();
            if !instances.is_empty() {
                config.count = u32::try_from(instances.len()).unwrap_or(u32::MAX);
            }
            if let Some(t) =
                instances.iter().find_map(|i| text(field(i, &["DBInstanceClass", "instance_class"])))
            {
                config.instance_type = Some(t);
            }
            if let Some(e) = text(field(p, &["Engine", "engine"])) {
                config.engine = Some(e);
            }
        }
        ServiceKind::Rds => {
            if let Some(t) = text(field(p, &["DBInstanceClass", "instance_class"])) {
                config.instance_type = Some(t);
            }
            if let Some(e) = text(field(p, &["Engine", "engine"])) {
                config.engine = Some(e);
            }
            if let Some(gb) = field(p, &["AllocatedStorage", "allocated_storage"]).and_then(as_f64) {
                config.storage_gb = Some(gb);
            }
        }
        ServiceKind::Lambda | ServiceKind::LambdaEdge => {
            if let Some(mb) = field(p, &["MemorySize", "memory_size"]).and_then(as_f64) {
                config.memory_gib = Some(mb / 1024.0);
            }
        }
        ServiceKind::Eks => {
            let nodes = of_type(supporting, &["AWS::EKS::Nodegroup", "aws_eks_node_group"]).next();
            if let Some(sc) = nodes.and_then(|n| field(n, &["ScalingConfig", "scaling_config"]))
                && let Some(n) = num(field(sc, &["DesiredSize", "desired_size"]), "DesiredSize")
            {
                config.count = n;
            }
        }
        ServiceKind::Dms | ServiceKind::SageMakerEndpoint => {
            if let Some(t) = text(field(p, &["ReplicationInstanceClass", "replication_instance_class"])) {
                config.instance_type = Some(t);
            }
        }
        ServiceKind::Alb
        | ServiceKind::ApiGateway
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::DynamoDb
        | ServiceKind::EventBridge
        | ServiceKind::GlobalAccelerator
        | ServiceKind::Iam
        | ServiceKind::NatGateway
        | ServiceKind::Nlb
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => {}
    }
    warnings
}

/// The properties of the supporting resources of the given types.
fn of_type<'a>(supporting: &'a [&'a RawResource], ty: &'a [&'a str]) -> impl Iterator<Item = &'a Value> + 'a {
    supporting.iter().filter(move |s| ty.contains(&s.ty.as_str())).map(|s| &s.props)
}
