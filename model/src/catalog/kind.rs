//! Kind specifications: what each AWS service kind is, how it fails, and how it maps to infrastructure code.

use serde::{Deserialize, Serialize};

use crate::catalog::recovery::{ConcurrencySpec, PromotionSpec, RestoreSpec, ScalingSpec};
use crate::catalog::source::Cited;
use crate::design::link::{ReplicationMode, RoutingPolicyKind};
use crate::dist::{Dist, FailureSpec};
use crate::kind::ServiceKind;
use crate::time::TimeSpan;

/// The palette group a kind belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    /// DNS, global routing and edge delivery.
    Edge,
    /// Load balancing and network plumbing.
    Networking,
    /// Virtual machines and containers.
    Compute,
    /// Functions and managed APIs.
    Serverless,
    /// Queues, topics, buses and workflows.
    Integration,
    /// Databases.
    Database,
    /// Object storage.
    Storage,
    /// In-memory caches.
    Cache,
    /// Monitoring, audit, backup and migration.
    Management,
    /// Machine learning.
    MachineLearning,
    /// Connections to on-premises networks.
    Hybrid,
}

impl Category {
    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Category::Edge => "Edge & DNS",
            Category::Networking => "Networking",
            Category::Compute => "Compute",
            Category::Serverless => "Serverless",
            Category::Integration => "Integration",
            Category::Database => "Database",
            Category::Storage => "Storage",
            Category::Cache => "Cache",
            Category::Management => "Management",
            Category::MachineLearning => "Machine learning",
            Category::Hybrid => "Hybrid",
        }
    }
}

/// Where a service of a kind lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Scope {
    /// Deployed into one region.
    Regional,
    /// A global service with no home region (Route 53, CloudFront, Global Accelerator, IAM).
    Global,
}

/// How a router shifts traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RouterMechanism {
    /// DNS answers; clients keep a cached answer until its TTL expires.
    Dns,
    /// Anycast addresses; traffic moves without waiting for caches.
    Anycast,
    /// A content delivery network choosing an origin.
    Cdn,
    /// A regional load balancer choosing healthy targets.
    LoadBalancer,
}

/// What a router kind can do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterSpec {
    /// How the router moves traffic.
    pub mechanism: RouterMechanism,
    /// Routing policies it supports.
    pub policies: Vec<RoutingPolicyKind>,
    /// Whether it may route to endpoints in other regions.
    pub cross_region: bool,
    /// Time from an endpoint turning unhealthy until new traffic avoids it, beyond health checking,
    /// e.g. Global Accelerator's shift of new connections.
    pub shift_delay: Cited<TimeSpan>,
}

/// Who may write to a replicated datastore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum WriteModel {
    /// One writer; a replica must be promoted before it accepts writes (Aurora Global Database).
    SingleWriter,
    /// Every replica accepts writes; conflicts resolve last-writer-wins (DynamoDB global tables).
    MultiWriter,
    /// Writes go to the source only and are copied one way (S3 replication).
    OneWay,
}

/// What a datastore kind supports for replication.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatastoreSpec {
    /// Replication family: only stores of the same family replicate to each other.
    pub family: String,
    /// Who may write.
    pub writes: WriteModel,
    /// Replication modes it supports across regions (empty: it does not replicate across regions).
    pub replication: Vec<ReplicationMode>,
    /// Default replication lag.
    pub lag: Cited<Dist>,
    /// How a secondary is promoted to writer across regions (single-writer stores only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<PromotionSpec>,
    /// How a store is restored from a backup into a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<RestoreSpec>,
}

/// What a cache kind (CloudFront, ElastiCache) answers itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSpec {
    /// Default share of read requests answered from the cache, 0 to 1 (a design's
    /// `config.hit_ratio` overrides it); misses and writes go on to what the cache fronts.
    pub hit_ratio: Cited<f64>,
}

/// Default failure behaviour of a kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureDefaults {
    /// The SLA's monthly uptime commitment in percent, when the service has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla_percent: Option<Cited<f64>>,
    /// Time to failure and repair of one service of this kind, as a whole.
    pub spec: Cited<FailureSpec>,
}

/// Mapping of a kind to infrastructure-as-code resource types.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IacMapping {
    /// CloudFormation resource types, e.g. `AWS::DynamoDB::GlobalTable`.
    pub cloudformation: Vec<String>,
    /// Terraform resource types, e.g. `aws_dynamodb_table`.
    pub terraform: Vec<String>,
}

/// Default capacity of one unit of a kind (an instance, task or node).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapacityDefaults {
    /// What one unit is, e.g. `task`, `instance`, `node`.
    pub unit: String,
    /// Requests per second one unit serves at its target utilisation.
    pub requests_per_sec: Cited<f64>,
}

/// What the catalog says about one [`ServiceKind`]: its names, scope and cited behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindSpec {
    /// The kind described (written as its key, e.g. `dynamodb`).
    pub id: ServiceKind,
    /// Display name, e.g. `Amazon DynamoDB`.
    pub name: String,
    /// Short name for cards and icons, e.g. `DynamoDB`.
    pub short: String,
    /// Palette group.
    pub category: Category,
    /// Regional or global.
    pub scope: Scope,
    /// Whether it keeps state that must survive failures.
    pub stateful: bool,
    /// Whether user requests may be routed to it (it can be the target of a routing link).
    pub endpoint: bool,
    /// Present when the kind routes traffic (it can be the source of routing links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub router: Option<RouterSpec>,
    /// Present when the kind stores data (it can take part in replication and backup links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datastore: Option<DatastoreSpec>,
    /// Whether it is a backup vault (the target of backup links).
    #[serde(default)]
    pub backup_vault: bool,
    /// Default failure behaviour.
    pub failure: FailureDefaults,
    /// Processing latency it adds to a request, median, in milliseconds.
    pub latency_ms: Cited<f64>,
    /// Default capacity per unit, for kinds whose capacity scales with a count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<CapacityDefaults>,
    /// How it scales out and in, for compute that scales by units on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<ScalingSpec>,
    /// How its concurrency grows, for functions (AWS Lambda) that scale per request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<ConcurrencySpec>,
    /// Present when the kind is a cache with a hit ratio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheSpec>,
    /// Infrastructure-as-code mapping.
    pub iac: IacMapping,
}

impl KindSpec {
    /// Whether this kind can be the source of a routing link.
    pub fn is_router(&self) -> bool {
        self.router.is_some()
    }

    /// Whether this kind stores data.
    pub fn is_datastore(&self) -> bool {
        self.datastore.is_some()
    }
}
