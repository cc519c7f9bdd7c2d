//! The plain-data entities of a design: regions, services, user populations and the workload.
//!
//! These are value types with no graph knowledge; [`crate::Design`] holds them and keeps the links.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::design::recovery::{Concurrency, Scaling, Standby};
use crate::dist::FailureSpec;
use crate::geo::{Continent, GeoPoint};
use crate::ids::{PopulationId, RegionId, ServiceId};
use crate::kind::ServiceKind;
use crate::time::TimeSpan;

/// A region used by the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// The AWS region code, which is also the region's identity.
    pub id: RegionId,
    /// AZ ids used, e.g. `["use1-az1", "use1-az2"]`.
    pub azs: Vec<String>,
    /// Overrides the catalog's region failure behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureSpec>,
}

/// Where a service is placed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Placement {
    /// In one region of the design.
    Region(RegionId),
    /// A global service (Route 53, CloudFront, Global Accelerator).
    Global,
}

impl Placement {
    /// The region, for a regional service.
    pub fn region(&self) -> Option<&RegionId> {
        match self {
            Placement::Region(r) => Some(r),
            Placement::Global => None,
        }
    }
}

/// How a service is sized and configured. Fields that do not apply to a kind stay empty.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceConfig {
    /// Instance or node type, e.g. `m7g.large`, `cache.r7g.large`, `db.r6g.xlarge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<String>,
    /// Number of instances, tasks or nodes (1 for managed services that do not count units).
    pub count: u32,
    /// vCPUs per task (Fargate) or memory-sized functions' equivalent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vcpu: Option<f64>,
    /// Memory per task or function, in GiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_gib: Option<f64>,
    /// Storage held, in GB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<f64>,
    /// Database or cache engine, e.g. `aurora-postgresql`, `valkey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<String>,
    /// Requests per second the whole service can serve; derived from count and the catalog when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_rps: Option<f64>,
    /// AZ ids the instances are spread over (empty: every AZ the region uses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub azs: Vec<String>,
    /// Whether stored data is encrypted at rest; absent means yes (see [`ServiceConfig::encrypted_at_rest`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_at_rest: Option<bool>,
    /// Whether the service accepts only encrypted (TLS) connections; absent means yes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_in_transit: Option<bool>,
    /// Target-tracking scaling between `count` and a maximum (compute that scales by units).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scaling: Option<Scaling>,
    /// Reserved and provisioned concurrency (functions that scale per request: AWS Lambda).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<Concurrency>,
    /// How the service stands by until a failover needs it (absent: it runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standby: Option<Standby>,
    /// Share of read requests a cache answers itself, 0 to 1 (CloudFront and ElastiCache only;
    /// absent: the catalog's default for the kind). Misses and writes go on to what it fronts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
}

impl ServiceConfig {
    /// Whether stored data is encrypted at rest. Meridian assumes so unless the design says
    /// `encryption_at_rest: false`: DynamoDB and S3 always encrypt at rest, and a design under a
    /// data-law policy is expected to turn encryption on elsewhere; an exception is written down.
    pub fn encrypted_at_rest(&self) -> bool {
        self.encryption_at_rest.unwrap_or(true)
    }

    /// Whether connections to the service are encrypted (TLS). Assumed unless the design says
    /// `encryption_in_transit: false`.
    pub fn encrypted_in_transit(&self) -> bool {
        self.encryption_in_transit.unwrap_or(true)
    }
}

/// A service placed in a region, or global.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Identity.
    pub id: ServiceId,
    /// Human name, e.g. `Orders API`.
    pub name: String,
    /// The kind of service, written as its catalog key, e.g. `ecs-fargate`.
    pub kind: ServiceKind,
    /// Region or global.
    pub placement: Placement,
    /// Size and configuration.
    #[serde(default)]
    pub config: ServiceConfig,
    /// Tags, including cost tags such as `team` and `environment`.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::format::unique_keys::deserialize"
    )]
    pub tags: BTreeMap<String, String>,
    /// Data classification labels held or processed, e.g. `personal:EU`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<String>,
    /// Overrides the kind's failure behaviour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureSpec>,
    /// Overrides the kind's processing latency, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    /// Services deployed together (the same code and configuration, e.g. one API in every
    /// region) share a deployment group: a common-cause failure hits all of them at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_group: Option<String>,
    /// The region whose control plane changes to this service need (e.g. `us-east-1` for Route 53
    /// records, IAM or CloudFront): while it is down, the service's repairs and promotions wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_plane: Option<RegionId>,
}

/// A group of users in one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Identity.
    pub id: PopulationId,
    /// Human name, e.g. `Europe`.
    pub name: String,
    /// Where the users are (the centre of the population).
    pub location: GeoPoint,
    /// ISO 3166-1 alpha-2 country, when the population is one country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Continent, for geolocation routing.
    pub continent: Continent,
    /// Requests per second at the average hour.
    pub requests_per_sec: f64,
    /// Fraction of requests that write, 0 to 1.
    pub write_fraction: f64,
    /// Average request size in KB.
    pub request_kb: f64,
    /// Average response size in KB.
    pub response_kb: f64,
    /// Data classes the population's requests carry, e.g. `personal:EU`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_classes: Vec<String>,
    /// The service users reach first (a router, CDN or load balancer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<ServiceId>,
    /// How the users reach the internet, for the access (last-mile) round trip; absent: the
    /// catalog's default (fixed broadband).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    /// Share of the users' clients that hold DNS answers longer than the TTL, 0 to 1 (absent:
    /// every client honours the TTL; the catalog cites a measured share).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_sticky_share: Option<f64>,
    /// Mean time those clients hold an answer beyond the TTL (absent: the catalog's default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_sticky_hold: Option<TimeSpan>,
}

/// How a population reaches the internet: its access network, which sets the last-mile round
/// trip the latency model adds to every request (figures in `assets/catalog/latency.ron`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Access {
    /// Fixed broadband of any technology (the global median).
    Fixed,
    /// Mobile networks.
    Mobile,
    /// Fibre to the home.
    Fibre,
    /// Cable (DOCSIS).
    Cable,
    /// DSL.
    Dsl,
}

impl Access {
    /// Every access type, in the order menus list them.
    pub const ALL: [Access; 5] = [Access::Fixed, Access::Mobile, Access::Fibre, Access::Cable, Access::Dsl];

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Access::Fixed => "Fixed broadband",
            Access::Mobile => "Mobile",
            Access::Fibre => "Fibre",
            Access::Cable => "Cable",
            Access::Dsl => "DSL",
        }
    }
}

/// Assumptions the cost model and the simulator share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Hours in a billing month (AWS uses 730).
    pub hours_per_month: f64,
    /// Expected traffic growth per month, in percent.
    #[serde(default)]
    pub growth_percent_per_month: f64,
    /// Ratio of the peak hour's traffic to the average hour's.
    #[serde(default = "one")]
    pub peak_to_average: f64,
    /// Average size of one stored item or row written, in KB.
    #[serde(default = "one")]
    pub item_kb: f64,
}

fn one() -> f64 {
    1.0
}

impl Default for Workload {
    fn default() -> Self {
        Workload { hours_per_month: 730.0, growth_percent_per_month: 0.0, peak_to_average: 1.0, item_kb: 1.0 }
    }
}

/// A cell of the schematic grid that regions are arranged in: column and row from the top left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GridCell {
    /// Column, from 0 at the left.
    pub col: u16,
    /// Row, from 0 at the top.
    pub row: u16,
}

/// Where a service card was placed by hand inside its container (region or global band): canvas
/// units from the container's top left, on the canvas's 10-unit grid, so that the file stays
/// stable in diffs. Cards without one are laid out automatically (tiers by category).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct CardSpot {
    /// Distance from the container's left edge.
    pub x: i32,
    /// Distance from the container's top edge.
    pub y: i32,
}

/// The size a region's container was given by hand (dragging its edges), in canvas units on the
/// canvas's 10-unit grid. The container is never smaller than its cards need: a size below that
/// is a minimum the layout raises, so that adding a card never hides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RegionSize {
    /// Width of the container.
    pub width: u32,
    /// Height of the container, header included.
    pub height: u32,
}

impl RegionSize {
    /// The largest side a region may be given, in canvas units.
    pub const MAX_SIDE: u32 = 100_000;
}

/// A point a link's route passes through, placed by hand by dragging the link: canvas units of the
/// schematic view, on the canvas's 10-unit grid. The route runs from its source card through its
/// waypoints in order to its target card, in horizontal and vertical segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Waypoint {
    /// Distance from the canvas's origin, rightwards.
    pub x: i32,
    /// Distance from the canvas's origin, downwards.
    pub y: i32,
}

impl Waypoint {
    /// The most waypoints one link may have.
    pub const MAX_PER_LINK: usize = 32;
    /// The largest distance of a waypoint from the canvas's origin, in canvas units.
    pub const MAX_COORD: i32 = 1_000_000;
}

/// A recorded decision to accept a finding of a compliance rule on one entity.
///
/// Waivers live in the design file so that the justification travels with the design and is
/// reviewed like code; every compliance report lists them. The pair (`rule`, `entity`) is the
/// waiver's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The rule waived, as `POLICY/RULE`, e.g. `gdpr-strict/eu-residency`.
    pub rule: String,
    /// The entity the rule is waived on.
    pub entity: EntityRef,
    /// Why the finding is accepted, and by whom.
    pub justification: String,
}

impl Waiver {
    /// The waiver's identity: the rule and the entity.
    pub fn key(&self) -> (String, EntityRef) {
        (self.rule.clone(), self.entity.clone())
    }
}

/// Which entity something refers to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EntityRef {
    /// The design as a whole (name, workload).
    Design,
    /// A region.
    Region(RegionId),
    /// A service.
    Service(ServiceId),
    /// A link.
    Link(crate::ids::LinkId),
    /// A population.
    Population(PopulationId),
    /// An annotation on the canvas (a note or a group box).
    Annotation(crate::ids::AnnotationId),
}

impl std::fmt::Display for EntityRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntityRef::Design => f.write_str("design"),
            EntityRef::Region(id) => write!(f, "region {id}"),
            EntityRef::Service(id) => write!(f, "service {id}"),
            EntityRef::Link(id) => write!(f, "link {id}"),
            EntityRef::Population(id) => write!(f, "population {id}"),
            EntityRef::Annotation(id) => write!(f, "annotation {id}"),
        }
    }
}
