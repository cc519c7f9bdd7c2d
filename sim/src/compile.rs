//! Compiles a design, the catalog and a scenario into dense, index-based tables for the engine.
//!
//! Everything the event loop touches is a `Vec` indexed by `usize`; domain ids stay here only as
//! names for results and traces. Nothing from the design's graph (no `NodeIndex`) is used.

use meridian_model::catalog::{RouterMechanism, WriteModel};
use meridian_model::design::{LinkKind, ReadConsistency, ReplicationMode, RoutingPolicy};
use meridian_model::dist::FailureSpec;
use meridian_model::geo::{Continent, GeoPoint};
use meridian_model::latency::{self, PairRtt};
use meridian_model::{Catalog, Design};

use crate::common_cause::{CDeploymentGroup, ControlPlane};
use crate::datalaw::DataLawPredicate;
use crate::dns::ClientCaching;
use crate::recovery::{CRecovery, compile_recovery};
use crate::rng::Sampler;
use crate::scenario::{Scenario, Target};

/// Failure and repair samplers of one component, or none when its random process is off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Process {
    /// Time to failure.
    pub ttf: Sampler,
    /// Time to repair.
    pub ttr: Sampler,
}

impl Process {
    fn new(spec: &FailureSpec) -> Self {
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

/// Compiles `design` under `scenario`, with `law` deciding where each population may go.
// One pass over each entity kind in file order; splitting it would only pass the tables around.
#[allow(clippy::too_many_lines, clippy::similar_names)]
pub fn compile(
    design: &Design,
    catalog: &Catalog,
    scenario: &Scenario,
    law: &dyn DataLawPredicate,
) -> Result<Compiled, CompileError> {
    #[cfg(feature = "counters")]
    crate::counters::count_compile();
    let d = catalog.defaults();
    let on = scenario.random_failures;
    let over = |t: &Target| scenario.failure_overrides.iter().rev().find(|o| &o.target == t).map(|o| o.spec);
    let mut components = Vec::new();
    let mut push = |kind, name: String, spec: Option<FailureSpec>| {
        components.push(Component { kind, name, process: spec.as_ref().map(Process::new), crewed: false });
        components.len() - 1
    };

    let mut regions = Vec::new();
    let mut azs = Vec::new();
    for (ri, r) in design.regions().enumerate() {
        let info =
            catalog.region(r.id.as_str()).ok_or_else(|| CompileError::Unknown(format!("region {}", r.id)))?;
        let spec = over(&Target::Region(r.id.to_string())).or(r.failure).unwrap_or(d.region_failure.value);
        let component =
            push(ComponentKind::Region(ri), format!("region {}", r.id), on.regions.then_some(spec));
        regions.push(CRegion {
            id: r.id.to_string(),
            jurisdiction: info.jurisdiction.clone(),
            location: info.location,
            component,
        });
        for az in &r.azs {
            let spec = over(&Target::Az(az.clone())).unwrap_or(d.az_failure.value);
            let ai = azs.len();
            let component = push(ComponentKind::Az(ai), format!("AZ {az}"), on.azs.then_some(spec));
            azs.push(CAz { id: az.clone(), region: ri, component });
        }
    }
    // Issue 14: witness regions of strongly consistent tables that hold no service of the design.
    let strong_tables = meridian_model::consistency::strong_tables(design);
    if let Some((t, why)) = strong_tables.iter().find_map(|t| t.refusal().map(|w| (t, w))) {
        let entity = t.links.first().map_or_else(String::new, |l| format!("link {l}"));
        return Err(CompileError::Refused { entity, why });
    }
    for w in strong_tables.iter().filter_map(|t| t.witness.as_ref()) {
        if regions.iter().any(|r: &CRegion| r.id == w.as_str()) {
            continue;
        }
        let info = catalog.region(w.as_str()).ok_or_else(|| CompileError::Unknown(format!("region {w}")))?;
        let spec = over(&Target::Region(w.to_string())).unwrap_or(d.region_failure.value);
        let ri = regions.len();
        let component =
            push(ComponentKind::Region(ri), format!("region {w} (witness)"), on.regions.then_some(spec));
        regions.push(CRegion {
            id: w.to_string(),
            jurisdiction: info.jurisdiction.clone(),
            location: info.location,
            component,
        });
    }
    let nr = regions.len();
    let mut partitions = Vec::new();
    for a in 0..nr {
        for b in a + 1..nr {
            let t = Target::Partition(regions[a].id.clone(), regions[b].id.clone());
            let t2 = Target::Partition(regions[b].id.clone(), regions[a].id.clone());
            let spec = over(&t).or_else(|| over(&t2)).unwrap_or(d.partition_failure.value);
            let name = format!("network {} - {}", regions[a].id, regions[b].id);
            let pi = partitions.len();
            let component = push(ComponentKind::Partition(pi), name, on.partitions.then_some(spec));
            partitions.push((a, b, component));
        }
    }
    let region_ix = |id: &str| regions.iter().position(|r| r.id == id);

    let service_ids: Vec<String> = design.services().map(|s| s.id.to_string()).collect();
    let service_ix = |id: &str| service_ids.binary_search_by(|s| s.as_str().cmp(id)).ok();
    let mut services = Vec::new();
    let mut instances = Vec::new();
    for (si, s) in design.services().enumerate() {
        let kind = catalog.kind(s.kind);
        let region = s.placement.region().and_then(|r| region_ix(r.as_str()));
        let spec = over(&Target::Service(s.id.to_string())).or(s.failure).unwrap_or(kind.failure.spec.value);
        let component =
            push(ComponentKind::Service(si), format!("service {}", s.id), on.services.then_some(spec));
        let svc_azs: Vec<usize> = match region {
            Some(r) => {
                let names: Vec<&String> = if s.config.azs.is_empty() {
                    design.regions().nth(r).map(|x| x.azs.iter().collect()).unwrap_or_default()
                } else {
                    s.config.azs.iter().collect()
                };
                names.iter().filter_map(|n| azs.iter().position(|a| &&a.id == n)).collect()
            }
            None => Vec::new(),
        };
        let mut inst = Vec::new();
        let capacity_rps = s.config.capacity_rps.or_else(|| {
            kind.capacity.as_ref().map(|c| c.requests_per_sec.value * f64::from(s.config.count.max(1)))
        });
        if kind.capacity.is_some() {
            let ispec = over(&Target::Instances(s.id.to_string())).unwrap_or(d.instance_failure.value);
            for k in 0..s.config.count.max(1) as usize {
                let az = (!svc_azs.is_empty()).then(|| svc_azs[k % svc_azs.len()]);
                let ii = instances.len();
                let component = push(
                    ComponentKind::Instance(ii),
                    format!("instance {}#{}", s.id, k + 1),
                    on.instances.then_some(ispec),
                );
                instances.push(CInstance { service: si, az, component });
                inst.push(ii);
            }
        }
        let items =
            s.config.storage_gb.map_or(1e6, |gb| (gb * 1e6 / design.workload().item_kb.max(1e-3)).max(1.0));
        services.push(CService {
            id: s.id.to_string(),
            region,
            component,
            latency_ms: s.latency_ms.unwrap_or(kind.latency_ms.value),
            azs: svc_azs,
            instances: inst,
            capacity_rps,
            deps: Vec::new(),
            routes: Vec::new(),
            router: kind
                .router
                .as_ref()
                .map(|r| CRouter { mechanism: r.mechanism, shift_delay_us: r.shift_delay.value.as_micros() }),
            store: kind.datastore.as_ref().map(|ds| CStore {
                writes: ds.writes,
                group: None,
                items,
                read_wait: None,
            }),
            hit_ratio: latency::hit_ratio(catalog, s).unwrap_or(0.0),
            edge: latency::enters_at_edge(kind),
            control_plane: None,
        });
    }

    let mut routes = Vec::new();
    let mut repl: Vec<(usize, usize, ReplicationMode, Sampler, f64)> = Vec::new();
    for l in design.links() {
        let (Some(from), Some(to)) = (service_ix(l.from.as_str()), service_ix(l.to.as_str())) else {
            continue;
        };
        match &l.kind {
            LinkKind::Dependency(dep) => services[from].deps.push((to, dep.calls_per_request, dep.required)),
            LinkKind::Routing(r) => {
                let router = services[from]
                    .router
                    .unwrap_or(CRouter { mechanism: RouterMechanism::LoadBalancer, shift_delay_us: 0 });
                let health_check = match (&r.health_check, router.mechanism) {
                    (Some(hc), _) => Some((hc.interval.as_micros().max(1), hc.failure_threshold.max(1))),
                    (None, RouterMechanism::Dns) => None,
                    (None, _) => Some((
                        d.health_check_interval.value.as_micros().max(1),
                        d.health_check_failure_threshold.value.max(1),
                    )),
                };
                let dns_ttl_us = (router.mechanism == RouterMechanism::Dns)
                    .then(|| r.ttl.unwrap_or(d.dns_ttl.value).as_micros());
                services[from].routes.push(routes.len());
                routes.push(CRoute {
                    id: l.id.to_string(),
                    from,
                    to,
                    policy: r.policy.clone(),
                    health_check,
                    follow_us: router.shift_delay_us,
                    dns_ttl_us,
                });
            }
            LinkKind::Replication(r) => {
                let kind = design.service(&l.from).and_then(|s| catalog.kind(s.kind).datastore.clone());
                // Issue 14: S3 Replication Time Control has its own (cited) lag.
                let rtc = r.rtc.then_some(catalog.resilience().s3_rtc_lag.value);
                let dist = r.lag.or(rtc).or_else(|| kind.as_ref().map(|k| k.lag.value));
                let (lag, mean) =
                    dist.map_or((Sampler::Fixed(0.0), 0.0), |dd| (Sampler::new(&dd), dd.mean_secs()));
                repl.push((from, to, r.mode, lag, mean));
                if let (Some(level), Some(st)) = (r.write_forwarding, services[to].store.as_mut()) {
                    st.read_wait = Some((level, mean * 1e3));
                }
            }
            LinkKind::Backup(_) => {}
        }
    }

    let mut groups = build_groups(design, catalog, &mut services, &repl);
    crate::consistency::mark_strong(&mut groups, &services, &regions, &strong_tables);
    let populations = design
        .populations()
        .map(|p| {
            let t = scenario.traffic.iter().rev().find(|t| t.population == p.id.as_str());
            CPopulation {
                id: p.id.to_string(),
                location: p.location,
                continent: p.continent,
                rate: t.and_then(|t| t.requests_per_sec).unwrap_or(p.requests_per_sec),
                write_fraction: t.and_then(|t| t.write_fraction).unwrap_or(p.write_fraction),
                entry: p.entry.as_ref().and_then(|e| service_ix(e.as_str())),
                allowed: law.allowed_jurisdictions(p),
                internet_ms: user_paths(catalog, p, &regions, false),
                edge_path_ms: user_paths(catalog, p, &regions, true),
                to_edge_ms: latency::user_to_edge(catalog, &p.location, p.access)
                    .map_or_else(|| latency::access_rtt_ms(catalog, p.access), |e| e.total_ms()),
                caching: p.dns_sticky_share.map_or(ClientCaching::HONOUR_TTL, |q| ClientCaching {
                    sticky_share: q,
                    sticky_hold_us: p
                        .dns_sticky_hold
                        .unwrap_or(catalog.resilience().dns_sticky_hold.value)
                        .as_micros() as f64,
                }),
            }
        })
        .collect();

    // Issue 14: deployment groups with their common-cause failures, and control planes.
    let control_planes =
        crate::common_cause::control_planes(design, &regions, &mut services, &mut components);
    let common = crate::common_cause::deployment_groups(
        design,
        catalog,
        scenario,
        &regions,
        &services,
        &mut components,
    );
    let crews = design.resilience().repair_crews;
    if crews.is_some() {
        for comp in &mut components {
            comp.crewed = matches!(comp.kind, ComponentKind::Service(_) | ComponentKind::CommonCause(_));
        }
    }

    let mut injections = Vec::new();
    for inj in &scenario.injections {
        let c = match &inj.target {
            Target::Region(r) => region_ix(r).map(|i| regions[i].component),
            Target::Az(a) => azs.iter().find(|x| &x.id == a).map(|x| x.component),
            Target::Service(s) => service_ix(s).map(|i| services[i].component),
            Target::Instances(_) => None,
            Target::Deployment(g) => common.iter().find(|x| &x.name == g).map(|x| x.component),
            Target::ControlPlane(r) => {
                control_planes.iter().find(|x| &x.region_code == r).map(|x| x.component)
            }
            Target::Partition(a, b) => match (region_ix(a), region_ix(b)) {
                (Some(a), Some(b)) => {
                    partitions.iter().find(|p| (p.0, p.1) == (a.min(b), a.max(b))).map(|p| p.2)
                }
                _ => None,
            },
        };
        if let Some(c) = c {
            let start = inj.at.as_micros();
            injections.push((c, start, start.saturating_add(inj.duration.as_micros())));
        }
    }

    let intra = catalog.latency().intra_region.general.value;
    let mut region_rtt_ms = vec![intra; nr * nr];
    for a in 0..nr {
        for b in 0..nr {
            if let Some(rtt) = latency::region_rtt(catalog, &regions[a].id, &regions[b].id) {
                region_rtt_ms[a * nr + b] = rtt.ms;
            }
        }
    }
    let mut compiled = Compiled {
        components,
        regions,
        azs,
        partitions,
        services,
        instances,
        routes,
        groups,
        populations,
        injections,
        intra_region_rtt_ms: intra,
        region_rtt_ms,
        estimated_round_trips: latency::estimated_round_trips(design, catalog),
        instant_failover: scenario.instant_failover,
        horizon_us: scenario.horizon.as_micros(),
        deployment_groups: common,
        control_planes,
        repair_crews: crews,
        change_detection: Sampler::new(&catalog.resilience().change_detection.value),
        recovery: CRecovery::none(),
    };
    compiled.recovery = compile_recovery(design, catalog, &compiled);
    Ok(compiled)
}

/// The round trip from population `p` to each of `regions` (`latency::user_path`), ms.
fn user_paths(
    catalog: &Catalog,
    p: &meridian_model::design::Population,
    regions: &[CRegion],
    via_edge: bool,
) -> Vec<f64> {
    regions
        .iter()
        .map(|r| {
            latency::user_path(catalog, &p.location, p.access, &r.id, via_edge).map_or(0.0, |u| u.total_ms())
        })
        .collect()
}

/// Joins stores linked by replication into groups (union-find over the links, members in id order).
fn build_groups(
    design: &Design,
    catalog: &Catalog,
    services: &mut [CService],
    repl: &[(usize, usize, ReplicationMode, Sampler, f64)],
) -> Vec<CGroup> {
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let n = services.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for &(a, b, ..) in repl {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: Vec<CGroup> = Vec::new();
    let mut root_group: Vec<Option<usize>> = vec![None; n];
    let involved: Vec<bool> = (0..n).map(|i| repl.iter().any(|r| r.0 == i || r.1 == i)).collect();
    for i in 0..n {
        if !involved[i] {
            continue;
        }
        let root = find(&mut parent, i);
        let g = if let Some(g) = root_group[root] {
            g
        } else {
            {
                let writes = services[i].store.as_ref().map_or(WriteModel::OneWay, |s| s.writes);
                let promotion_us = design
                    .services()
                    .nth(i)
                    .and_then(|s| catalog.kind(s.kind).datastore.as_ref())
                    .and_then(|ds| ds.promotion.as_ref())
                    .map_or(0, |p| (p.time.value.mean_secs() * 1e6).round() as u64);
                groups.push(CGroup {
                    members: Vec::new(),
                    writes,
                    initial_writer: i,
                    links: Vec::new(),
                    promotion_us,
                    strong: false,
                    witness: None,
                });
                root_group[root] = Some(groups.len() - 1);
                groups.len() - 1
            }
        };
        groups[g].members.push(i);
        if let Some(st) = services[i].store.as_mut() {
            st.group = Some(g);
        }
    }
    for &(from, to, mode, lag, lag_mean_s) in repl {
        if let Some(g) = services[from].store.as_ref().and_then(|s| s.group) {
            groups[g].links.push(CReplica { from, to, mode, lag, lag_mean_s });
        }
    }
    // The initial writer of a single-writer group is the member no replication link points to.
    for g in &mut groups {
        if let Some(&w) = g.members.iter().find(|&&m| g.links.iter().all(|l| l.to != m)) {
            g.initial_writer = w;
        }
    }
    groups
}
