//! Usage: what each service consumes in a month, turned into priced line items.
//!
//! Every assumption is a named constant here and is listed in the README's "Cost assumptions".

use super::bill::{CostOptions, LineItem, PriceRef, Tier, Unpriced, price_ref};
use super::groups;
use super::service::PriceService;
use super::shared::{Interner, SharedStr};
use super::snapshot::{PriceSnapshot, Quote};
use super::traffic::{Load, Traffic};
use crate::catalog::{Catalog, WriteModel};
use crate::design::{Design, LinkKind, Placement, RoutingPolicy, Service};
use crate::ids::{LinkId, ServiceId};
use crate::kind::ServiceKind;
use crate::sizing::{self, ApiFlavour};
use crate::time::TimeSpan;

/// DNS queries reaching Route 53 per user request (resolvers cache answers for the record's TTL).
pub const DNS_QUERIES_PER_REQUEST: f64 = 0.01;
/// Requests per new connection at a load balancer (keep-alive).
pub const REQUESTS_PER_CONNECTION: f64 = 10.0;
/// SQS requests per message: send, receive, delete.
pub const SQS_REQUESTS_PER_MESSAGE: f64 = 3.0;
/// Step Functions state transitions per execution.
pub const TRANSITIONS_PER_EXECUTION: f64 = 5.0;
/// Fraction of database reads that miss the buffer cache and cost a storage I/O (Aurora).
pub const AURORA_READ_IO_FRACTION: f64 = 0.1;
/// Fraction of stored data changed per day, for backup growth and cross-region backup copies.
pub const DAILY_CHANGE_FRACTION: f64 = 0.05;
/// Management events a month per additional CloudTrail trail.
pub const TRAIL_EVENTS_PER_MONTH: f64 = 100_000.0;
/// AWS Config configuration items recorded per resource per month (one change a day).
pub const CONFIG_ITEMS_PER_RESOURCE: f64 = 30.0;
pub use crate::sizing::{DEFAULT_TASK_MEMORY_GIB, DEFAULT_TASK_VCPU};
/// Lambda duration in milliseconds when neither the design nor the catalog gives a latency.
pub const DEFAULT_FUNCTION_MS: f64 = 100.0;

pub use crate::sizing::default_instance_type;

/// Dimensions that commitment discounts apply to (capacity, not requests or storage).
fn committable(dimension: &str) -> bool {
    ["instance-hours", "node-hours", "vcpu-hours", "gb-hours", "duration"]
        .iter()
        .any(|p| dimension.starts_with(p))
}

/// Collects priced lines and unpriced usage.
pub(crate) struct Pricer<'a> {
    pub prices: &'a PriceSnapshot,
    pub options: &'a CostOptions,
    pub lines: Vec<LineItem>,
    pub unpriced: Vec<Unpriced>,
    /// Usage of volume-tiered dimensions, priced together per region once every service has
    /// added its own (`tiers::settle`).
    pub tiered: Vec<TieredUse>,
    /// One shared copy of each text the lines repeat.
    pub texts: Interner,
    /// The last region's shared copy: a service's lines follow one another, so most lines are in
    /// the region of the line before (checked by comparing the texts, not looked up again).
    pub last_region: Option<SharedStr>,
    /// The price reference and unit of each (entry, ratio entry, region, commitment factor)
    /// seen, built once: most lines of a bill share a few dozen.
    pub refs: rustc_hash::FxHashMap<RefKey, (PriceRef, SharedStr)>,
    /// The snapshot's quote for each (price service, dimension, region, destination) asked, by
    /// the texts' shared copies: a thousand lines ask a few dozen questions.
    pub quotes: rustc_hash::FxHashMap<QuoteKey, Option<Quote>>,
}

/// What a line's [`PriceRef`] depends on: the entry, the ratio entry, the region (named in an
/// estimate's reason, here by the address of its one shared copy in [`Pricer::texts`]) and the
/// commitment factor with whether it is an estimate.
pub(crate) type RefKey = (usize, Option<usize>, usize, u64, bool);

/// A question to the snapshot: the price service, then the dimension, region and destination
/// by the addresses of their shared copies in [`Pricer::texts`] (equal texts, equal addresses;
/// the copies live as long as the pricer).
pub(crate) type QuoteKey = (PriceService, usize, usize, usize);

/// The address of a shared text, as a key.
fn addr(s: &SharedStr) -> usize {
    s.as_str().as_ptr() as usize
}

/// A line's texts, each the pricer's shared copy.
struct Texts {
    region: SharedStr,
    dimension: SharedStr,
    to_region: Option<SharedStr>,
}

impl<'a> Pricer<'a> {
    /// An empty pricer for a design of `services` services.
    pub fn new(prices: &'a PriceSnapshot, options: &'a CostOptions, services: usize) -> Self {
        Pricer {
            prices,
            options,
            lines: Vec::with_capacity(services * 5),
            unpriced: Vec::new(),
            tiered: Vec::new(),
            texts: Interner::with_capacity(128),
            last_region: None,
            refs: rustc_hash::FxHashMap::default(),
            quotes: rustc_hash::FxHashMap::default(),
        }
    }
}

/// Usage of a volume-tiered dimension, waiting for the region's total.
#[derive(Debug, Clone)]
pub(crate) struct TieredUse {
    pub service: ServiceId,
    pub kind: PriceService,
    pub price_kind: PriceService,
    pub region: String,
    pub dimension: String,
    pub link: Option<LinkId>,
    pub quantity: f64,
}

/// What a line is for, besides its quantity.
pub(crate) struct Usage<'a> {
    pub service: &'a ServiceId,
    pub kind: PriceService,
    pub price_kind: PriceService,
    pub region: &'a str,
    pub dimension: &'a str,
    pub to_region: Option<&'a str>,
    pub link: Option<&'a LinkId>,
}

impl Pricer<'_> {
    /// A line of `quantity` units of `u`, at the snapshot's price for its region.
    pub fn push(&mut self, u: &Usage<'_>, quantity: f64) {
        if !(quantity.is_finite() && quantity > 0.0) {
            return;
        }
        let texts = self.texts_of(u);
        let key: QuoteKey = (
            u.price_kind,
            addr(&texts.dimension),
            addr(&texts.region),
            texts.to_region.as_ref().map_or(0, addr),
        );
        let quote = if let Some(q) = self.quotes.get(&key) {
            *q
        } else {
            let q = match u.to_region {
                Some(to) => self.prices.quote_to(u.price_kind, u.dimension, u.region, to),
                None => self.prices.quote(u.price_kind, u.dimension, u.region),
            };
            self.quotes.insert(key, q);
            q
        };
        let Some(q) = quote else {
            self.unpriced(u, quantity);
            return;
        };
        self.push_texts(u, texts, quantity, &q, None);
    }

    /// The shared copies of `u`'s texts.
    fn texts_of(&mut self, u: &Usage<'_>) -> Texts {
        let region = match &self.last_region {
            Some(r) if r.as_str() == u.region => r.clone(),
            _ => {
                let r = self.texts.get(u.region);
                self.last_region = Some(r.clone());
                r
            }
        };
        Texts {
            region,
            dimension: self.texts.get(u.dimension),
            to_region: u.to_region.map(|t| self.texts.get(t)),
        }
    }

    /// Usage of a volume-tiered dimension: priced with the rest of its region's volume at the end.
    pub fn push_tiered(&mut self, u: &Usage<'_>, quantity: f64) {
        if !(quantity.is_finite() && quantity > 0.0) {
            return;
        }
        self.tiered.push(TieredUse {
            service: u.service.clone(),
            kind: u.kind,
            price_kind: u.price_kind,
            region: u.region.to_owned(),
            dimension: u.dimension.to_owned(),
            link: u.link.cloned(),
            quantity,
        });
    }

    /// Records usage the snapshot has no price for.
    pub fn unpriced(&mut self, u: &Usage<'_>, quantity: f64) {
        self.unpriced.push(Unpriced {
            service: u.service.clone(),
            kind: u.price_kind,
            region: u.region.to_owned(),
            dimension: u.dimension.to_owned(),
            quantity,
        });
    }

    /// A line at a given quote (and, for tiered prices, its tier).
    pub fn push_quote(&mut self, u: &Usage<'_>, quantity: f64, q: &Quote, tier: Option<Tier>) {
        let texts = self.texts_of(u);
        self.push_texts(u, texts, quantity, q, tier);
    }

    /// [`Pricer::push_quote`] with `u`'s texts already shared.
    fn push_texts(&mut self, u: &Usage<'_>, texts: Texts, quantity: f64, q: &Quote, tier: Option<Tier>) {
        let (factor, factor_estimate) = match self.options.commitment.term() {
            Some(term) if committable(u.dimension) => u
                .price_kind
                .kind()
                .and_then(|k| self.prices.commitment(k, term))
                .map_or((1.0, false), |c| (c.factor, c.basis == super::snapshot::Basis::Estimate)),
            _ => (1.0, false),
        };
        let unit_price_usd = q.usd * factor;
        let Texts { region, dimension, to_region } = texts;
        let key: RefKey = (q.entry, q.ratio_entry, addr(&region), factor.to_bits(), factor_estimate);
        let (price, unit) = if let Some((r, unit)) = self.refs.get(&key) {
            (r.clone(), unit.clone())
        } else {
            let r = price_ref(self.prices, &mut self.texts, q, u.region, factor, factor_estimate);
            let unit = self.texts.get(&self.prices.entry(q.entry).unit);
            self.refs.insert(key, (r.clone(), unit.clone()));
            (r, unit)
        };
        self.lines.push(LineItem {
            service: u.service.clone(),
            kind: u.kind,
            region,
            dimension,
            quantity,
            unit,
            unit_price_usd,
            usd_per_month: quantity * unit_price_usd,
            link: u.link.cloned(),
            to_region,
            tier,
            price,
        });
    }
}

/// Everything the per-service rules need.
pub(crate) struct Ctx<'a> {
    pub design: &'a Design,
    pub catalog: Option<&'a Catalog>,
    pub traffic: &'a Traffic,
    /// The traffic's load per service, hashed: the bill looks every service up, often more than
    /// once, and never iterates.
    pub loads: rustc_hash::FxHashMap<&'a ServiceId, Load>,
    pub hours: f64,
    pub item_kb: f64,
    /// Stored GB per service, replicas included (`footprint::stored`).
    pub stored: rustc_hash::FxHashMap<&'a ServiceId, f64>,
    /// Services of one kind joined by replication links (`groups::same_kind_checked`).
    pub groups: &'a groups::Groups,
}

impl Ctx<'_> {
    fn secs(&self) -> f64 {
        self.hours * 3600.0
    }

    /// The load on `service` (zero when it receives none), as [`Traffic::load`].
    pub fn load(&self, service: &ServiceId) -> Load {
        self.loads.get(service).copied().unwrap_or_default()
    }

    /// GB `s` stores: its `storage_gb`, or, for a replica that gives none, its group's.
    pub fn stored_gb(&self, s: &Service) -> f64 {
        self.stored.get(&s.id).copied().unwrap_or(0.0)
    }

    /// Gigabytes a month for a rate in KB per second.
    fn gb(&self, kb_per_sec: f64) -> f64 {
        kb_per_sec * self.secs() / 1e6
    }
}

fn region_of(s: &Service) -> &str {
    match &s.placement {
        Placement::Region(r) => r.as_str(),
        Placement::Global => "global",
    }
}

/// Capacity lines of a service running `units` units for `hours` hours (also used for incidents).
pub(crate) fn capacity_lines(p: &mut Pricer<'_>, s: &Service, units: f64, hours: f64) {
    let region = region_of(s);
    let kind = PriceService::Kind(s.kind);
    let u = |dimension: &'static str| Usage {
        service: &s.id,
        kind,
        price_kind: kind,
        region,
        dimension,
        to_region: None,
        link: None,
    };
    let instance_type = || sizing::instance_type(s);
    match s.kind {
        ServiceKind::Ec2Asg
        | ServiceKind::Aurora
        | ServiceKind::Rds
        | ServiceKind::Dms
        | ServiceKind::SageMakerEndpoint => {
            let dimension = format!("instance-hours:{}", instance_type());
            p.push(&Usage { dimension: &dimension, ..u("") }, units * hours);
        }
        ServiceKind::ElastiCache => {
            let ty = instance_type();
            let valkey = sizing::cache_engine(s) == "valkey";
            let dimension =
                if valkey { format!("node-hours:{ty}:valkey") } else { format!("node-hours:{ty}") };
            p.push(&Usage { dimension: &dimension, ..u("") }, units * hours);
        }
        ServiceKind::EcsFargate | ServiceKind::Eks => {
            // EKS pods on Fargate are billed at Fargate's rates, for the task size Fargate runs.
            let fargate = PriceService::Kind(ServiceKind::EcsFargate);
            let (cpu, memory_mib) = sizing::fargate_size(s);
            let vcpu = f64::from(cpu) / 1024.0;
            let mem = f64::from(memory_mib) / 1024.0;
            p.push(&Usage { price_kind: fargate, ..u("vcpu-hours") }, units * vcpu * hours);
            p.push(&Usage { price_kind: fargate, ..u("gb-hours") }, units * mem * hours);
        }
        ServiceKind::Alb | ServiceKind::Nlb | ServiceKind::NatGateway => p.push(&u("hours"), units * hours),
        ServiceKind::TransitGateway => p.push(&u("attachment-hours"), units * hours),
        ServiceKind::SiteToSiteVpn => p.push(&u("connection-hours"), units * hours),
        ServiceKind::DirectConnect => p.push(&u("port-hours"), units * hours),
        ServiceKind::GlobalAccelerator => p.push(&u("accelerator-hours"), units * hours),
        // Billed by use alone, with no charge per unit of capacity.
        ServiceKind::ApiGateway
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DynamoDb
        | ServiceKind::EventBridge
        | ServiceKind::Iam
        | ServiceKind::Lambda
        | ServiceKind::LambdaEdge
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions => {}
    }
}

/// Every line of one service: capacity, then usage from its load.
#[allow(clippy::too_many_lines, reason = "one match arm per service kind, every kind listed")]
pub(crate) fn service_lines(p: &mut Pricer<'_>, cx: &Ctx<'_>, s: &Service) {
    let region = region_of(s);
    let kind = PriceService::Kind(s.kind);
    let load = cx.load(&s.id);
    let u = |dimension: &'static str| Usage {
        service: &s.id,
        kind,
        price_kind: kind,
        region,
        dimension,
        to_region: None,
        link: None,
    };
    let count = f64::from(s.config.count);
    // A Global Datastore secondary runs the nodes the export gives it (see `sizing::cache_nodes`).
    let units =
        if s.kind == ServiceKind::ElastiCache { f64::from(sizing::cache_nodes(cx.design, s)) } else { count };
    capacity_lines(p, s, units, cx.hours);
    let requests = load.requests_per_sec() * cx.secs();
    let storage = cx.stored_gb(s);
    let writes = load.writes_per_sec * cx.secs();
    let reads = load.reads_per_sec * cx.secs();
    match s.kind {
        ServiceKind::Route53 => route53_lines(p, cx, s, &load),
        ServiceKind::GlobalAccelerator => {
            p.push(&u("dt-premium"), cx.gb(load.in_kb_per_sec.max(load.out_kb_per_sec)));
        }
        ServiceKind::Lambda | ServiceKind::LambdaEdge => {
            let ms = s
                .latency_ms
                .or_else(|| cx.catalog.map(|c| c.kind(s.kind).latency_ms.value))
                .filter(|ms| *ms > 0.0)
                .unwrap_or(DEFAULT_FUNCTION_MS);
            let mem = f64::from(sizing::lambda_memory_mib(s)) / 1024.0;
            p.push(&u("requests"), requests / 1e6);
            p.push(&u("duration"), requests * ms / 1000.0 * mem);
        }
        ServiceKind::ApiGateway => {
            let dim = match sizing::api_flavour(s) {
                ApiFlavour::Http => "requests-http",
                ApiFlavour::Rest => "requests-rest",
            };
            p.push(&u(dim), requests / 1e6);
        }
        ServiceKind::StepFunctions => {
            p.push(&u("state-transitions"), requests * TRANSITIONS_PER_EXECUTION / 1e3);
        }
        ServiceKind::Sqs => p.push(&u("requests"), requests * SQS_REQUESTS_PER_MESSAGE / 1e6),
        ServiceKind::Sns => p.push(&u("publishes"), requests / 1e6),
        ServiceKind::EventBridge => p.push(&u("events"), requests / 1e6),
        ServiceKind::Alb => {
            let gb_per_hour = (load.in_kb_per_sec + load.out_kb_per_sec) * 3600.0 / 1e6;
            let rps = load.requests_per_sec();
            let lcu = gb_per_hour.max(rps / REQUESTS_PER_CONNECTION / 25.0).max(rps / 1000.0);
            p.push(&u("lcu-hours"), lcu * cx.hours);
        }
        ServiceKind::Nlb => {
            let gb_per_hour = (load.in_kb_per_sec + load.out_kb_per_sec) * 3600.0 / 1e6;
            let nlcu = gb_per_hour.max(load.requests_per_sec() / REQUESTS_PER_CONNECTION / 800.0);
            p.push(&u("nlcu-hours"), nlcu * cx.hours);
        }
        ServiceKind::NatGateway => {
            p.push(&u("data-processed"), cx.gb(load.in_kb_per_sec + load.out_kb_per_sec));
            // Each NAT gateway holds an Elastic IP address, charged as a public IPv4 address.
            let vpc = PriceService::Vpc;
            p.push(&Usage { kind: vpc, price_kind: vpc, ..u("public-ipv4-hours") }, count * cx.hours);
        }
        ServiceKind::TransitGateway => {
            p.push(&u("data-processed"), cx.gb(load.in_kb_per_sec + load.out_kb_per_sec));
        }
        ServiceKind::DirectConnect => p.push(&u("data-out"), cx.gb(load.out_kb_per_sec)),
        ServiceKind::DynamoDb => {
            let wru = cx.item_kb.ceil().max(1.0);
            let rru = (cx.item_kb / 4.0).ceil().max(1.0) * 0.5;
            p.push(&u("write-request-units"), writes * wru / 1e6);
            p.push(&u("read-request-units"), reads * rru / 1e6);
            p.push(&u("storage"), storage);
        }
        ServiceKind::Aurora => {
            let io = reads * AURORA_READ_IO_FRACTION + writes * (cx.item_kb / 4.0).ceil().max(1.0);
            p.push(&u("storage"), storage);
            p.push(&u("io-requests"), io / 1e6);
        }
        ServiceKind::Rds => p.push(&u("storage"), storage),
        ServiceKind::S3 => {
            p.push_tiered(&u("storage"), storage);
            p.push(&u("put-requests"), writes / 1e3);
            p.push(&u("get-requests"), reads / 1e3);
        }
        ServiceKind::CloudWatch => {
            p.push(&u("alarms"), count);
            p.push(&u("metrics"), count);
            p.push(&u("logs-ingested"), storage);
        }
        ServiceKind::CloudTrail => {
            p.push(&u("management-events"), (count - 1.0).max(0.0) * TRAIL_EVENTS_PER_MONTH / 1e5);
        }
        ServiceKind::AwsConfig => {
            let resources = match &s.placement {
                Placement::Region(r) => cx.design.services_in(r).count() as f64,
                Placement::Global => 0.0,
            };
            p.push(&u("configuration-items"), resources * CONFIG_ITEMS_PER_RESOURCE);
        }
        ServiceKind::Eks => p.push(&u("cluster-hours"), cx.hours),
        // Capacity alone (above), or, for a backup vault, the backups its links bring (link_lines);
        // CloudFront is priced per edge geography from the responses it serves (egress_lines).
        ServiceKind::AwsBackup
        | ServiceKind::CloudFront
        | ServiceKind::Dms
        | ServiceKind::Ec2Asg
        | ServiceKind::EcsFargate
        | ServiceKind::ElastiCache
        | ServiceKind::Iam
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn => {}
    }
    egress_lines(p, cx, s);
}

/// Responses `s` sends to users: data out to the internet from its region, or, for CloudFront,
/// requests and data out per edge geography. Both are volume-tiered.
fn egress_lines(p: &mut Pricer<'_>, cx: &Ctx<'_>, s: &Service) {
    let region = region_of(s);
    if let Some(kb) = cx.traffic.internet_out.get(&s.id) {
        let transfer = PriceService::DataTransfer;
        let u = Usage {
            service: &s.id,
            kind: transfer,
            price_kind: transfer,
            region,
            dimension: "internet-out",
            to_region: None,
            link: None,
        };
        p.push_tiered(&u, cx.gb(*kb));
    }
    let cdn = PriceService::Kind(ServiceKind::CloudFront);
    for (geo, load) in cx.traffic.edge_out.get(&s.id).into_iter().flatten() {
        let requests = format!("requests-https:{geo}");
        let data = format!("data-out:{geo}");
        let u = |dimension| Usage {
            service: &s.id,
            kind: PriceService::Kind(s.kind),
            price_kind: cdn,
            region: "global",
            dimension,
            to_region: None,
            link: None,
        };
        p.push(&u(&requests), load.requests_per_sec() * cx.secs() / 1e4);
        p.push_tiered(&u(&data), cx.gb(load.out_kb_per_sec));
    }
}

fn route53_lines(p: &mut Pricer<'_>, cx: &Ctx<'_>, s: &Service, load: &Load) {
    let kind = PriceService::Kind(s.kind);
    let u = |dimension: &'static str| Usage {
        service: &s.id,
        kind,
        price_kind: kind,
        region: "global",
        dimension,
        to_region: None,
        link: None,
    };
    p.push(&u("hosted-zones"), f64::from(s.config.count.max(1)));
    let mut routes: Vec<_> = cx
        .design
        .links_from(&s.id)
        .filter_map(|l| if let LinkKind::Routing(r) = &l.kind { Some((l.id.clone(), r)) } else { None })
        .collect();
    routes.sort_by(|a, b| a.0.cmp(&b.0));
    let queries = load.requests_per_sec() * cx.secs() * DNS_QUERIES_PER_REQUEST / 1e6;
    let dim = match routes.first().map(|(_, r)| &r.policy) {
        Some(RoutingPolicy::Latency) => "queries-latency",
        Some(RoutingPolicy::Geolocation { .. }) => "queries-geo",
        _ => "queries-standard",
    };
    p.push(&u(dim), queries);
    let checks = routes.iter().filter(|(_, r)| r.health_check.is_some()).count() as f64;
    let fast = routes
        .iter()
        .filter(|(_, r)| r.health_check.as_ref().is_some_and(|h| h.interval < TimeSpan::from_secs(30)))
        .count() as f64;
    p.push(&u("health-checks"), checks);
    p.push(&u("health-check-features"), fast);
}

/// Lines caused by links: replication, cross-region dependencies, backups.
pub(crate) fn link_lines(p: &mut Pricer<'_>, cx: &Ctx<'_>) {
    let secs = cx.secs();
    // Cross-region dependency calls: requests leave the caller's region, responses the callee's.
    for (link_id, load) in &cx.traffic.cross_region {
        let Some(link) = cx.design.link(link_id) else { continue };
        let (Some(a), Some(b)) = (cx.design.region_of(&link.from), cx.design.region_of(&link.to)) else {
            continue;
        };
        transfer(p, &link.from, a.as_str(), b.as_str(), Some(link_id), cx.gb(load.in_kb_per_sec));
        transfer(p, &link.to, b.as_str(), a.as_str(), Some(link_id), cx.gb(load.out_kb_per_sec));
    }
    replication_lines(p, cx, secs);
    for link in cx.design.links() {
        let LinkKind::Backup(b) = &link.kind else { continue };
        let (Some(src), Some(vault)) = (cx.design.service(&link.from), cx.design.service(&link.to)) else {
            continue;
        };
        let storage = cx.stored_gb(src);
        let retention_days = b.retention.as_hours_f64() / 24.0;
        let stored = storage * (1.0 + DAILY_CHANGE_FRACTION * retention_days);
        let vault_region = region_of(vault);
        let own = p.prices.quote(src.kind, "backup-storage", vault_region).is_some();
        let price_kind = PriceService::Kind(if own { src.kind } else { ServiceKind::AwsBackup });
        let dimension = if own { "backup-storage" } else { "warm-storage" };
        p.push(
            &Usage {
                service: &vault.id,
                kind: PriceService::Kind(vault.kind),
                price_kind,
                region: vault_region,
                dimension,
                to_region: None,
                link: Some(&link.id),
            },
            stored,
        );
        let src_region = region_of(src);
        if src_region != vault_region && src_region != "global" && vault_region != "global" {
            let changed = storage * DAILY_CHANGE_FRACTION * cx.hours / 24.0;
            transfer(p, &src.id, src_region, vault_region, Some(&link.id), changed);
        }
    }
}

/// Inter-region transfer of `gb` from `from` to `to`, charged to `service`.
fn transfer(p: &mut Pricer<'_>, service: &ServiceId, from: &str, to: &str, link: Option<&LinkId>, gb: f64) {
    p.push(
        &Usage {
            service,
            kind: PriceService::DataTransfer,
            price_kind: PriceService::DataTransfer,
            region: from,
            dimension: "inter-region-out",
            to_region: Some(to),
            link,
        },
        gb,
    );
}

/// Replication: replicated writes at each replica, and the bytes shipped between regions.
#[allow(clippy::too_many_lines, reason = "the replica's charges match every service kind")]
fn replication_lines(p: &mut Pricer<'_>, cx: &Ctx<'_>, secs: f64) {
    // Multi-writer stores form groups where every replica receives every other replica's writes.
    let multi_writer = |link: &crate::design::Link| {
        let from = cx.design.service(&link.from);
        let model = from.and_then(|f| cx.catalog.and_then(|c| c.kind(f.kind).datastore.as_ref()));
        model.map(|d| d.writes) == Some(WriteModel::MultiWriter)
    };
    let mut one_way: Vec<(&crate::design::Link, bool)> = Vec::new();
    for link in cx.design.links() {
        let LinkKind::Replication(r) = &link.kind else { continue };
        if cx.design.service(&link.from).is_some() && !multi_writer(link) {
            one_way.push((link, r.rtc));
        }
    }
    let per_write_units = cx.item_kb.ceil().max(1.0);
    // The groups were found once for the bill; found again only for a design with replication
    // between kinds (which validation refuses).
    let is_multi_writer = |k: ServiceKind| {
        cx.catalog.and_then(|c| c.kind(k).datastore.as_ref()).map(|d| d.writes)
            == Some(WriteModel::MultiWriter)
    };
    let joined;
    let groups = if let Some(groups) = cx.groups.of_kinds(is_multi_writer) {
        groups
    } else {
        joined = groups::join(cx.design, multi_writer);
        joined.iter().collect()
    };
    for members in groups {
        // Each member's service, looked up once (not once per other member).
        let services: Vec<Option<&Service>> = members.iter().map(|m| cx.design.service(m)).collect();
        let writes: Vec<f64> = members.iter().map(|m| cx.load(m).writes_per_sec).collect();
        for (i, id) in members.iter().enumerate() {
            let Some(s) = services[i] else { continue };
            let region = region_of(s);
            let others: f64 = writes.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, w)| w).sum();
            p.push(
                &Usage {
                    service: id,
                    kind: PriceService::Kind(s.kind),
                    price_kind: PriceService::Kind(s.kind),
                    region,
                    dimension: "replicated-write-units",
                    to_region: None,
                    link: None,
                },
                others * secs * per_write_units / 1e6,
            );
            let own_gb = cx.gb(writes[i] * cx.item_kb);
            for (_, other) in members.iter().zip(&services).filter(|(m, _)| *m != id) {
                if let Some(to) = other.and_then(|o| o.placement.region()) {
                    transfer(p, id, region, to.as_str(), None, own_gb);
                }
            }
        }
    }
    for (link, rtc) in one_way {
        let (Some(from), Some(to)) = (cx.design.service(&link.from), cx.design.service(&link.to)) else {
            continue;
        };
        let writes = cx.load(&from.id).writes_per_sec;
        let gb = cx.gb(writes * cx.item_kb);
        let (fr, tr) = (region_of(from), region_of(to));
        let at_replica = |dimension| Usage {
            service: &to.id,
            kind: PriceService::Kind(to.kind),
            price_kind: PriceService::Kind(to.kind),
            region: tr,
            dimension,
            to_region: None,
            link: Some(&link.id),
        };
        match from.kind {
            ServiceKind::Aurora => p.push(
                &at_replica("replicated-write-io"),
                writes * secs * (cx.item_kb / 4.0).ceil().max(1.0) / 1e6,
            ),
            ServiceKind::S3 => {
                p.push(&at_replica("put-requests"), writes * secs / 1e3);
                if rtc {
                    let u = Usage { service: &from.id, region: fr, dimension: "rtc", ..at_replica("rtc") };
                    let kind = PriceService::Kind(from.kind);
                    p.push(&Usage { kind, price_kind: kind, ..u }, gb);
                }
            }
            // Replicated writes cost nothing beyond the transfer (or, for multi-writer stores,
            // are priced per group above).
            ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::AwsBackup
            | ServiceKind::AwsConfig
            | ServiceKind::CloudFront
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
            | ServiceKind::DynamoDb
            | ServiceKind::Ec2Asg
            | ServiceKind::EcsFargate
            | ServiceKind::Eks
            | ServiceKind::ElastiCache
            | ServiceKind::EventBridge
            | ServiceKind::GlobalAccelerator
            | ServiceKind::Iam
            | ServiceKind::Lambda
            | ServiceKind::LambdaEdge
            | ServiceKind::NatGateway
            | ServiceKind::Nlb
            | ServiceKind::Rds
            | ServiceKind::Route53
            | ServiceKind::SageMakerEndpoint
            | ServiceKind::SiteToSiteVpn
            | ServiceKind::Sns
            | ServiceKind::Sqs
            | ServiceKind::StepFunctions
            | ServiceKind::TransitGateway => {}
        }
        if fr != tr {
            transfer(p, &from.id, fr, tr, Some(&link.id), gb);
        }
    }
}
