//! Links between services: replication, dependency, routing and backup.

use serde::{Deserialize, Serialize};

use crate::design::recovery::Initiation;
use crate::design::resilience::ReadConsistency;
use crate::dist::Dist;
use crate::geo::Continent;
use crate::ids::{LinkId, RegionId, ServiceId};
use crate::time::TimeSpan;

/// A directed link from one service to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Identity.
    pub id: LinkId,
    /// Source: the caller, the replication source, the router, or the datastore backed up.
    pub from: ServiceId,
    /// Target: the callee, the replica, the routed endpoint, or the backup vault.
    pub to: ServiceId,
    /// What the link is.
    pub kind: LinkKind,
}

/// The kinds of link, each with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LinkKind {
    /// Datastore to datastore of the same family.
    Replication(Replication),
    /// A service calls another, possibly in another region.
    Dependency(Dependency),
    /// A router sends user traffic to an endpoint.
    Routing(Routing),
    /// A datastore is backed up to a vault, possibly in another region.
    Backup(Backup),
}

/// The kind of a link without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum LinkKindTag {
    /// See [`LinkKind::Replication`].
    Replication,
    /// See [`LinkKind::Dependency`].
    Dependency,
    /// See [`LinkKind::Routing`].
    Routing,
    /// See [`LinkKind::Backup`].
    Backup,
}

impl LinkKind {
    /// The kind without parameters.
    pub fn tag(&self) -> LinkKindTag {
        match self {
            LinkKind::Replication(_) => LinkKindTag::Replication,
            LinkKind::Dependency(_) => LinkKindTag::Dependency,
            LinkKind::Routing(_) => LinkKindTag::Routing,
            LinkKind::Backup(_) => LinkKindTag::Backup,
        }
    }
}

impl LinkKindTag {
    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            LinkKindTag::Replication => "replication",
            LinkKindTag::Dependency => "dependency",
            LinkKindTag::Routing => "routing",
            LinkKindTag::Backup => "backup",
        }
    }
}

/// Synchronous or asynchronous replication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReplicationMode {
    /// The write completes only when the replica has it: no data loss, higher write latency.
    Sync,
    /// The replica catches up after the write completes: writes inside the lag window can be lost.
    Async,
}

/// Parameters of a replication link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replication {
    /// Sync or async.
    pub mode: ReplicationMode,
    /// Replication lag; the catalog's default for the store when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lag: Option<Dist>,
    /// S3 Replication Time Control (99.99% of objects within 15 minutes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub rtc: bool,
    /// Who promotes the replica when the writer is lost (single-writer stores; absent: an operator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotion: Option<Initiation>,
    /// The witness region of a DynamoDB global table with multi-Region strong consistency
    /// (`mode: Sync`) and two replicas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness: Option<RegionId>,
    /// Aurora Global Database: the secondary (`to`) forwards writes to the writer, and its reads
    /// see them at this consistency level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_forwarding: Option<ReadConsistency>,
}

impl Replication {
    /// Replication in `mode` with the catalog's lag and nothing else set.
    pub fn new(mode: ReplicationMode) -> Self {
        Replication { mode, lag: None, rtc: false, promotion: None, witness: None, write_forwarding: None }
    }
}

/// Parameters of a dependency link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dependency {
    /// Calls made to the target per request the source serves.
    pub calls_per_request: f64,
    /// Whether the source fails when the target is unavailable (a hard dependency).
    pub required: bool,
}

/// How a router picks among its endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RoutingPolicy {
    /// Lowest latency from the user.
    Latency,
    /// By the user's location; an empty list is the default record.
    Geolocation {
        /// Continents this endpoint serves.
        continents: Vec<Continent>,
    },
    /// Active-passive failover.
    Failover {
        /// Primary or secondary.
        role: FailoverRole,
    },
    /// A share of traffic proportional to the weight.
    Weighted {
        /// Relative weight (0 to 255 in Route 53).
        weight: u32,
    },
}

/// The kind of a routing policy without its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RoutingPolicyKind {
    /// See [`RoutingPolicy::Latency`].
    Latency,
    /// See [`RoutingPolicy::Geolocation`].
    Geolocation,
    /// See [`RoutingPolicy::Failover`].
    Failover,
    /// See [`RoutingPolicy::Weighted`].
    Weighted,
}

impl RoutingPolicy {
    /// The policy without parameters.
    pub fn kind(&self) -> RoutingPolicyKind {
        match self {
            RoutingPolicy::Latency => RoutingPolicyKind::Latency,
            RoutingPolicy::Geolocation { .. } => RoutingPolicyKind::Geolocation,
            RoutingPolicy::Failover { .. } => RoutingPolicyKind::Failover,
            RoutingPolicy::Weighted { .. } => RoutingPolicyKind::Weighted,
        }
    }
}

impl RoutingPolicyKind {
    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            RoutingPolicyKind::Latency => "latency",
            RoutingPolicyKind::Geolocation => "geolocation",
            RoutingPolicyKind::Failover => "failover",
            RoutingPolicyKind::Weighted => "weighted",
        }
    }
}

/// Primary or secondary in failover routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FailoverRole {
    /// Serves while healthy.
    Primary,
    /// Serves while the primary is unhealthy.
    Secondary,
}

/// Health checking of a routed endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Request interval: Route 53 offers 10 s or 30 s.
    pub interval: TimeSpan,
    /// Consecutive failed checks before the endpoint is unhealthy.
    pub failure_threshold: u32,
}

/// Parameters of a routing link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Routing {
    /// Routing policy of this record.
    pub policy: RoutingPolicy,
    /// Health check, if the endpoint is health-checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    /// DNS TTL of the record (DNS routers only); the catalog default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<TimeSpan>,
    /// Who moves traffic off this endpoint when it fails and back when it returns (absent:
    /// automatic, by its health check).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover: Option<Initiation>,
}

/// Parameters of a backup link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Backup {
    /// Time between backups (the worst-case data loss when restoring from backup).
    pub every: TimeSpan,
    /// How long backups are kept.
    pub retention: TimeSpan,
    /// Time to restore from the backup; derived from the store's kind and size when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_time: Option<TimeSpan>,
}
