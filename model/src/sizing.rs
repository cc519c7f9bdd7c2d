//! How a service runs when deployed: the sizes the design leaves out (instance and node types,
//! task and function sizes, engines) and the sizes AWS accepts. The bill prices these and the
//! infrastructure-code export writes them, so both read them here.

use crate::design::{Design, LinkKind, Service};
use crate::kind::ServiceKind;

/// Fargate task vCPUs when the design gives none.
pub const DEFAULT_TASK_VCPU: f64 = 1.0;
/// Fargate task memory in GiB when the design gives none.
pub const DEFAULT_TASK_MEMORY_GIB: f64 = 2.0;
/// Lambda memory in MiB when the design gives none.
pub const DEFAULT_FUNCTION_MEMORY_MIB: u32 = 512;

/// Default instance or node type per kind, when the design gives none (`None`: the kind is not
/// sized by instance type).
pub fn default_instance_type(kind: ServiceKind) -> Option<&'static str> {
    match kind {
        ServiceKind::Ec2Asg => Some("m7g.large"),
        ServiceKind::Aurora => Some("db.r7g.large"),
        ServiceKind::Rds => Some("db.m7g.large"),
        ServiceKind::ElastiCache => Some("cache.r7g.large"),
        ServiceKind::Dms => Some("dms.t3.medium"),
        ServiceKind::SageMakerEndpoint => Some("ml.m5.large"),
        ServiceKind::Alb
        | ServiceKind::ApiGateway
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::DynamoDb
        | ServiceKind::EcsFargate
        | ServiceKind::Eks
        | ServiceKind::EventBridge
        | ServiceKind::GlobalAccelerator
        | ServiceKind::Iam
        | ServiceKind::Lambda
        | ServiceKind::LambdaEdge
        | ServiceKind::NatGateway
        | ServiceKind::Nlb
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => None,
    }
}

/// Which of a service's configuration fields mean something for its kind: the inspector shows
/// only these (and any other the design sets, so it can be cleared). Count, storage, capacity
/// and hit ratio follow the catalog's `KindSpec` (capacity per unit, datastore, cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // One flag per field of `ServiceConfig`.
pub struct ConfigFields {
    /// An instance or node type (the kind has a default one).
    pub instance_type: bool,
    /// An engine (Aurora and RDS engines, ElastiCache's, API Gateway's `rest`).
    pub engine: bool,
    /// vCPU per task.
    pub vcpu: bool,
    /// Memory per task or function.
    pub memory: bool,
}

/// The configuration fields that apply to `kind` (what the cost model and the export read).
pub fn config_fields(kind: ServiceKind) -> ConfigFields {
    let instance_type = default_instance_type(kind).is_some();
    let (engine, vcpu, memory) = match kind {
        ServiceKind::Aurora | ServiceKind::Rds | ServiceKind::ElastiCache | ServiceKind::ApiGateway => {
            (true, false, false)
        }
        ServiceKind::EcsFargate => (false, true, true),
        ServiceKind::Lambda | ServiceKind::LambdaEdge => (false, false, true),
        ServiceKind::Alb
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::DynamoDb
        | ServiceKind::Ec2Asg
        | ServiceKind::Eks
        | ServiceKind::EventBridge
        | ServiceKind::GlobalAccelerator
        | ServiceKind::Iam
        | ServiceKind::NatGateway
        | ServiceKind::Nlb
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => (false, false, false),
    };
    ConfigFields { instance_type, engine, vcpu, memory }
}

/// The instance or node type of `s`: the design's, else the kind's default (empty when the kind
/// has none).
pub fn instance_type(s: &Service) -> &str {
    s.config.instance_type.as_deref().or(default_instance_type(s.kind)).unwrap_or_default()
}

/// The cache engine of an ElastiCache service: the design's, else Valkey.
pub fn cache_engine(s: &Service) -> &str {
    s.config.engine.as_deref().unwrap_or("valkey")
}

/// Which API Gateway product a service is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiFlavour {
    /// An HTTP API (API Gateway v2): the default.
    Http,
    /// A REST API (API Gateway v1): `engine: "rest"`.
    Rest,
}

/// The API Gateway product of `s`: a REST API when the design says `engine: "rest"`, else an HTTP
/// API (what the export writes unless told otherwise, and the cheaper product).
pub fn api_flavour(s: &Service) -> ApiFlavour {
    if s.config.engine.as_deref() == Some("rest") { ApiFlavour::Rest } else { ApiFlavour::Http }
}

/// A Fargate task's size as Fargate accepts it: (CPU units, memory MiB), the smallest at or above
/// the design's vCPU and memory (defaults [`DEFAULT_TASK_VCPU`], [`DEFAULT_TASK_MEMORY_GIB`]).
/// Source: "Task size", Amazon ECS Developer Guide, task definition parameters for Fargate
/// (CPU 256 to 16384 units, memory per CPU in 512 MiB or 1 GiB steps).
pub fn fargate_size(s: &Service) -> (u32, u32) {
    let vcpu = s.config.vcpu.unwrap_or(DEFAULT_TASK_VCPU);
    let cpu = [256, 512, 1024, 2048, 4096, 8192, 16384]
        .into_iter()
        .find(|c| f64::from(*c) >= vcpu * 1024.0)
        .unwrap_or(16384);
    let want = (s.config.memory_gib.unwrap_or(DEFAULT_TASK_MEMORY_GIB) * 1024.0).ceil() as u32;
    let memory = match cpu {
        256 => [512, 1024, 2048].into_iter().find(|m| *m >= want).unwrap_or(2048),
        512 => want.div_ceil(1024).clamp(1, 4) * 1024,
        _ => (want.div_ceil(1024) * 1024).clamp(2 * cpu, 8 * cpu.min(4096) * if cpu > 4096 { 2 } else { 1 }),
    };
    (cpu, memory)
}

/// A Lambda function's memory in MiB as Lambda accepts it (128 to 10,240), from the design's
/// `memory_gib` (default [`DEFAULT_FUNCTION_MEMORY_MIB`]).
pub fn lambda_memory_mib(s: &Service) -> u32 {
    s.config.memory_gib.map_or(DEFAULT_FUNCTION_MEMORY_MIB, |g| ((g * 1024.0) as u32).clamp(128, 10240))
}

/// The nodes an ElastiCache service runs: its `count`, 1 to 6 (a replication group's primary and
/// up to five replicas); a Global Datastore secondary runs at least 2 when its primary has
/// replicas, because it inherits the primary's automatic failover, which needs a replica.
pub fn cache_nodes(design: &Design, s: &Service) -> u32 {
    let primary_has_replicas = design.links_to(&s.id).any(|l| {
        matches!(l.kind, LinkKind::Replication(_))
            && design
                .service(&l.from)
                .is_some_and(|p| p.kind == ServiceKind::ElastiCache && p.config.count > 1)
    });
    if primary_has_replicas { s.config.count.clamp(2, 6) } else { s.config.count.clamp(1, 6) }
}
