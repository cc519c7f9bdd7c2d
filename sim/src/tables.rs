//! The compiled model of a design under a scenario: dense, index-based tables the engine reads.
//!
//! Everything the event loop touches is a `Vec` indexed by `usize`; domain ids stay here only as
//! names for results and traces. [`crate::compile`] builds these tables; every other module only
//! reads them, so this module imports none of the simulator's behaviour (only the leaf tables of
//! recovery, DNS caching and samplers).

use meridian_model::catalog::{RouterMechanism, WriteModel};
use meridian_model::design::{ReadConsistency, ReplicationMode, RoutingPolicy};
use meridian_model::dist::FailureSpec;
use meridian_model::geo::{Continent, GeoPoint};
use meridian_model::latency::PairRtt;

use crate::dns::ClientCaching;
use crate::recovery::CRecovery;
use crate::rng::Sampler;

/// Failure and repair samplers of one component, or none when its random process is off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Process {
    /// Time to failure.
    pub ttf: Sampler,
    /// Time to repair.
    pub ttr: Sampler,
}

impl Process {
    /// The samplers of `spec`.
    pub fn new(spec: &FailureSpec) -> Self {
        Process { ttf: Sampler::new(&spec.time_to_failure), ttr: Sampler::new(&spec.time_to_repair) }
    }
}

/// What a component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    /// A region (index into regions).
    Region(usize),
    /// An AZ (index into azs).
    Az(usize),
    /// The network between two regions (index into partitions).
    Partition(usize),
    /// A service as a whole.
    Service(usize),
    /// One instance (index into instances).
    Instance(usize),
    /// A common-cause failure of a deployment group (index into deployment groups).
    CommonCause(usize),
    /// The control plane of a region (index into control planes).
    ControlPlane(usize),
}

/// Something that can be up or down.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// What it is.
    pub kind: ComponentKind,
    /// Display name, e.g. `region eu-west-1`.
    pub name: String,
    /// Its random failure process, when on.
    pub process: Option<Process>,
    /// Whether the design's repair crews repair it (whole services and common causes).
    pub crewed: bool,
}

/// A region.
#[derive(Debug, Clone, PartialEq)]
pub struct CRegion {
    /// Region code.
    pub id: String,
    /// Jurisdiction code from the catalog.
    pub jurisdiction: String,
    /// Location.
    pub location: GeoPoint,
    /// Component index.
    pub component: usize,
}

/// An availability zone.
#[derive(Debug, Clone, PartialEq)]
pub struct CAz {
    /// AZ id.
    pub id: String,
    /// Region index.
    pub region: usize,
    /// Component index.
    pub component: usize,
}

/// A replicated datastore's behaviour.
#[derive(Debug, Clone, PartialEq)]
pub struct CStore {
    /// Who may write.
    pub writes: WriteModel,
    /// Replication group index, when replicated.
    pub group: Option<usize>,
    /// Items held (for the conflict model).
    pub items: f64,
    /// Aurora write forwarding at this secondary: reads wait for replication at this level,
    /// with this mean lag in milliseconds.
    pub read_wait: Option<(ReadConsistency, f64)>,
}

/// A router's behaviour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CRouter {
    /// How it moves traffic.
    pub mechanism: RouterMechanism,
    /// Shift delay beyond health checking, in microseconds.
    pub shift_delay_us: u64,
}

/// A service.
#[derive(Debug, Clone, PartialEq)]
pub struct CService {
    /// Service id.
    pub id: String,
    /// Region index (`None` for global services).
    pub region: Option<usize>,
    /// Component index of the service as a whole.
    pub component: usize,
    /// Processing latency in milliseconds.
    pub latency_ms: f64,
    /// AZ indices the service runs in.
    pub azs: Vec<usize>,
    /// Instance indices (empty for managed services that are not counted in units).
    pub instances: Vec<usize>,
    /// Total capacity in requests per second, when known.
    pub capacity_rps: Option<f64>,
    /// Dependencies: (target service, calls per request, required).
    pub deps: Vec<(usize, f64, bool)>,
    /// Routing links leaving it (route indices), when it is a router.
    pub routes: Vec<usize>,
    /// Router behaviour.
    pub router: Option<CRouter>,
    /// Datastore behaviour.
    pub store: Option<CStore>,
    /// Share of the read requests reaching it that it answers from its cache (0 for non-caches).
    pub hit_ratio: f64,
    /// Whether users routed through it join the AWS network at an edge location (CloudFront,
    /// Global Accelerator).
    pub edge: bool,
    /// Index into control planes of the one its repairs and promotions need.
    pub control_plane: Option<usize>,
}

/// One instance, task or node.
#[derive(Debug, Clone, PartialEq)]
pub struct CInstance {
    /// Service index.
    pub service: usize,
    /// AZ index.
    pub az: Option<usize>,
    /// Component index.
    pub component: usize,
}

/// A routing link.
#[derive(Debug, Clone, PartialEq)]
pub struct CRoute {
    /// Link id.
    pub id: String,
    /// Router service.
    pub from: usize,
    /// Endpoint service.
    pub to: usize,
    /// Policy.
    pub policy: RoutingPolicy,
    /// Health check `(interval us, failure threshold)`, when the router checks this endpoint.
    pub health_check: Option<(u64, u32)>,
    /// Time after detection until the router's answer changes (its shift delay), in microseconds.
    pub follow_us: u64,
    /// The record's TTL when the router answers by DNS: clients' caches then expire over it.
    pub dns_ttl_us: Option<u64>,
}

impl CRoute {
    /// Time after detection until the last client honouring the TTL follows: the shift delay,
    /// then the record's TTL for DNS (cached answers expire over it).
    pub fn follow_all_us(&self) -> u64 {
        self.follow_us + self.dns_ttl_us.unwrap_or(0)
    }
}

/// A replication link inside a group.
#[derive(Debug, Clone, PartialEq)]
pub struct CReplica {
    /// Source store.
    pub from: usize,
    /// Replica store.
    pub to: usize,
    /// Sync or async.
    pub mode: ReplicationMode,
    /// Lag distribution.
    pub lag: Sampler,
    /// Mean lag in seconds.
    pub lag_mean_s: f64,
}

/// A replication group: stores joined by replication links.
#[derive(Debug, Clone, PartialEq)]
pub struct CGroup {
    /// Member stores, in service-id order.
    pub members: Vec<usize>,
    /// Who may write.
    pub writes: WriteModel,
    /// The writer at the start (single-writer groups).
    pub initial_writer: usize,
    /// Replication links.
    pub links: Vec<CReplica>,
    /// Mean promotion time, in microseconds (the draws are `recovery.rs`'s).
    pub promotion_us: u64,
    /// DynamoDB multi-Region strong consistency: writes need a majority of the regions.
    pub strong: bool,
    /// The witness region of a strongly consistent table with two replicas (index into regions).
    pub witness: Option<usize>,
}

/// A user population.
#[derive(Debug, Clone, PartialEq)]
pub struct CPopulation {
    /// Population id.
    pub id: String,
    /// Location.
    pub location: GeoPoint,
    /// Continent.
    pub continent: Continent,
    /// Requests per second.
    pub rate: f64,
    /// Fraction of requests that write.
    pub write_fraction: f64,
    /// Entry service.
    pub entry: Option<usize>,
    /// Jurisdictions where its requests and data may go (`None`: anywhere).
    pub allowed: Option<Vec<String>>,
    /// Round trip to each region over the internet, ms (`latency::user_path`), by region index.
    pub internet_ms: Vec<f64>,
    /// Round trip to each region through the nearest edge location and the AWS backbone, ms.
    pub edge_path_ms: Vec<f64>,
    /// Round trip to the nearest edge location, ms (answers from CloudFront's cache, global endpoints).
    pub to_edge_ms: f64,
    /// How its clients hold DNS answers.
    pub caching: ClientCaching,
}

impl CPopulation {
    /// Network round trip from the users to `region`, through an edge location when `via_edge`.
    pub fn network_ms(&self, region: usize, via_edge: bool) -> f64 {
        if via_edge { self.edge_path_ms[region] } else { self.internet_ms[region] }
    }
}

/// The compiled model of a design under a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    /// Everything that fails.
    pub components: Vec<Component>,
    /// Regions.
    pub regions: Vec<CRegion>,
    /// AZs.
    pub azs: Vec<CAz>,
    /// Region pairs `(a, b)`, `a < b`, with their component.
    pub partitions: Vec<(usize, usize, usize)>,
    /// Services.
    pub services: Vec<CService>,
    /// Instances.
    pub instances: Vec<CInstance>,
    /// Routing links.
    pub routes: Vec<CRoute>,
    /// Replication groups.
    pub groups: Vec<CGroup>,
    /// Populations.
    pub populations: Vec<CPopulation>,
    /// Scheduled injections: (component, start us, end us).
    pub injections: Vec<(usize, u64, u64)>,
    /// Round trip between a global service and a regional one's region or another global one, ms
    /// (the catalog's general intra-region figure).
    pub intra_region_rtt_ms: f64,
    /// Round trips between regions (inside the region on the diagonal), ms, `rtt[a * R + b]`,
    /// from `latency::region_rtt`.
    pub region_rtt_ms: Vec<f64>,
    /// The round trips without a measurement the figures rest on (`latency::estimated_round_trips`).
    pub estimated_round_trips: Vec<PairRtt>,
    /// Whether routers follow health at once.
    pub instant_failover: bool,
    /// Horizon in microseconds.
    pub horizon_us: u64,
    /// Operators, promotions, scaling and cold standby (`recovery.rs`).
    pub recovery: CRecovery,
    /// Deployment groups (services deployed together) and their common-cause failures.
    pub deployment_groups: Vec<CDeploymentGroup>,
    /// Control planes that services' repairs and promotions need.
    pub control_planes: Vec<ControlPlane>,
    /// Failures the team repairs at once (`None`: no limit).
    pub repair_crews: Option<u32>,
    /// Time until a bad change is noticed (a staggered rollout stops then).
    pub change_detection: Sampler,
}

/// Why a design cannot be simulated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The design names something the catalog does not know (the loader should have caught it).
    #[error("{0} is not in the catalog")]
    Unknown(String),
    /// The design holds something AWS refuses to build, so simulating it would mislead.
    #[error("{entity}: AWS refuses this: {why}")]
    Refused {
        /// The entity concerned.
        entity: String,
        /// Why.
        why: String,
    },
}

impl Compiled {
    /// Round trip between two regions (intra-region when equal), in milliseconds.
    pub fn rtt_regions_ms(&self, a: usize, b: usize) -> f64 {
        self.region_rtt_ms[a * self.regions.len() + b]
    }

    /// Partition component between two regions, if they differ.
    pub fn partition_between(&self, a: usize, b: usize) -> Option<usize> {
        if a == b {
            return None;
        }
        let (a, b) = (a.min(b), a.max(b));
        self.partitions.iter().find(|p| p.0 == a && p.1 == b).map(|p| p.2)
    }
}

/// A deployment group: services deployed together, and their common-cause failure.
#[derive(Debug, Clone, PartialEq)]
pub struct CDeploymentGroup {
    /// The group's name.
    pub name: String,
    /// Component of the common-cause failure.
    pub component: usize,
    /// Members: (service index, wave the change reaches it in).
    pub members: Vec<(usize, u32)>,
    /// Waves (distinct regions, in deployment order).
    pub waves: u32,
    /// Time between waves (`None`: every wave at once).
    pub bake_us: Option<u64>,
}

/// The control plane of one region.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlPlane {
    /// Region code.
    pub region_code: String,
    /// Index of the region among the simulated ones, when the design has it.
    pub region: Option<usize>,
    /// Component (failed only by injections).
    pub component: usize,
}
