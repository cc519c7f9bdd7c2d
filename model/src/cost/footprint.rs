//! The deployment's footprint: what the infrastructure-code export creates around the design's
//! services that costs money, priced so the bill and the export describe the same thing.
//!
//! `meridian export` writes, besides each service's own resources, a KMS key in every region, a
//! log group (kept [`LOG_RETENTION_DAYS`]) for every container service, function, state machine
//! and EKS cluster (its control-plane logs), a dashboard per CloudWatch service, CloudWatch
//! alarms on unhealthy load balancer targets and on replication lag, point-in-time recovery on
//! every DynamoDB table, Aurora clusters keeping [`AURORA_BACKUP_RETENTION_DAYS`] of backups with
//! their master password in Secrets Manager, and internet-facing load balancers with a public IPv4
//! address in each of their subnets. The constants here are the export's settings (it reads
//! them from this module); `iac`'s inventory test checks for every example that the resources the
//! export writes and these lines agree. [`NOT_PRICED`] lists what the export creates that the
//! bill leaves out, with the reason.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use super::groups;
use super::service::PriceService;
use super::usage::{Ctx, DAILY_CHANGE_FRACTION, Pricer, Usage};
use crate::design::{Design, LinkKind, Placement, Service};
use crate::ids::ServiceId;
use crate::kind::ServiceKind;

/// Days the export's log groups keep their events.
pub const LOG_RETENTION_DAYS: u32 = 365;
/// Days of automated backups the export's Aurora clusters keep (the most Aurora allows).
pub const AURORA_BACKUP_RETENTION_DAYS: u32 = 35;
/// Days of daily snapshots the export's ElastiCache replication groups keep.
pub const CACHE_SNAPSHOT_RETENTION_DAYS: u32 = 7;
/// Kilobytes of log events a container task or function writes per request it serves (an
/// assumption: one access-log line and a little application logging).
pub const LOG_KB_PER_REQUEST: f64 = 0.5;
/// Kilobytes of log events a state machine execution writes at the export's level `ALL` without
/// execution data (an assumption: a handful of events of about 0.4 KB, one per state entered and
/// left, for the few states of the export's definition).
pub const STATE_MACHINE_LOG_KB_PER_EXECUTION: f64 = 4.0;
/// GB of control-plane logs an EKS cluster sends each month with the export's five log types
/// (api, audit, authenticator, controllerManager, scheduler) (an assumption: audit logs of a
/// small, steady cluster dominate; busy clusters with many controllers write several times more).
pub const EKS_CONTROL_PLANE_LOG_GB_PER_MONTH: f64 = 5.0;
/// Dashboards an account keeps free each month (AWS's free tier; the snapshot's `dashboards`
/// price, with its source, is for each one beyond these).
pub const FREE_DASHBOARDS: usize = 3;
/// Days in an average month (365 / 12), for storage kept a number of days.
pub const DAYS_PER_MONTH: f64 = 365.0 / 12.0;

/// What the export creates that the bill does not price, and why: (what, why).
pub const NOT_PRICED: [(&str, &str); 9] = [
    (
        "VPC flow logs delivered to the region's log bucket",
        "vended-log delivery is priced per GB of flow records, which depends on connections, not requests",
    ),
    ("the region's access-log bucket", "its size depends on log volume the design does not describe"),
    (
        "ECS Container Insights on every cluster",
        "charged as custom metrics and log events whose number depends on tasks and containers",
    ),
    (
        "X-Ray active tracing on every function",
        "the first 100,000 traces a month are free; sampling keeps most designs there",
    ),
    (
        "ElastiCache snapshots (7 days)",
        "one snapshot per cluster is free; the rest is priced per GB of cache data, which the design does not give",
    ),
    (
        "S3 noncurrent object versions (kept 90 days)",
        "their size depends on how often objects are overwritten",
    ),
    ("KMS requests", "S3 bucket keys and the services' data-key caching keep them to a few thousand a month"),
    ("the SNS topic the alarms notify", "it publishes only when an alarm changes state"),
    (
        "Route 53 alias records, IAM roles, security groups, VPCs, subnets, route tables",
        "they carry no charge",
    ),
];

/// The pseudo-entity shared regional resources (the region's KMS key) are billed to: `(region)`,
/// which no service id can be (ids have no parentheses).
pub fn shared_entity(region: &str) -> ServiceId {
    ServiceId::new(format!("({region})"))
}

/// Lines for everything the export creates around the services.
pub(crate) fn footprint_lines(p: &mut Pricer<'_>, cx: &Ctx<'_>) {
    for r in cx.design.regions() {
        let shared = shared_entity(r.id.as_str());
        let kms = PriceService::Kms;
        let u = Usage {
            service: &shared,
            kind: kms,
            price_kind: kms,
            region: r.id.as_str(),
            dimension: "key-months",
            to_region: None,
            link: None,
        };
        p.push(&u, 1.0);
    }
    for s in cx.design.services() {
        service_footprint(p, cx, s);
    }
    // One dashboard per CloudWatch service; the account's first ones are free (in id order).
    let dashboards: Vec<&Service> = cx
        .design
        .services()
        .filter(|s| {
            s.kind == ServiceKind::CloudWatch && s.config.standby != Some(crate::design::Standby::Cold)
        })
        .collect();
    for s in dashboards.into_iter().skip(FREE_DASHBOARDS) {
        p.push(&Usage { region: "global", ..watch(s, "dashboards") }, 1.0);
    }
    for (s, alarms) in alarms_in(cx.design, &cx.groups.0) {
        p.push(&watch(s, "alarms"), alarms);
    }
}

/// A CloudWatch line of `s`.
fn watch<'a>(s: &'a Service, dimension: &'a str) -> Usage<'a> {
    let cw = PriceService::Kind(ServiceKind::CloudWatch);
    Usage {
        service: &s.id,
        kind: cw,
        price_kind: cw,
        region: s.placement.region().map_or("global", |r| r.as_str()),
        dimension,
        to_region: None,
        link: None,
    }
}

fn service_footprint(p: &mut Pricer<'_>, cx: &Ctx<'_>, s: &Service) {
    // A cold standby is not deployed until a failover needs it: no logs, backups or secrets yet.
    if s.config.standby == Some(crate::design::Standby::Cold) {
        return;
    }
    let Placement::Region(region) = &s.placement else { return };
    let at = |kind: PriceService, dimension| Usage {
        service: &s.id,
        kind,
        price_kind: kind,
        region: region.as_str(),
        dimension,
        to_region: None,
        link: None,
    };
    match s.kind {
        ServiceKind::Alb | ServiceKind::Nlb => {
            // Internet-facing, with a node and its public address in a public subnet per AZ.
            let azs = cx.design.region(region).map_or(0, |r| r.azs.len()) as f64;
            p.push(&at(PriceService::Vpc, "public-ipv4-hours"), azs * cx.hours);
        }
        ServiceKind::EcsFargate | ServiceKind::Lambda | ServiceKind::StepFunctions => {
            let requests = cx.load(&s.id).requests_per_sec() * cx.hours * 3600.0;
            let kb = if s.kind == ServiceKind::StepFunctions {
                STATE_MACHINE_LOG_KB_PER_EXECUTION
            } else {
                LOG_KB_PER_REQUEST
            };
            logs(p, s, requests * kb / 1e6);
        }
        ServiceKind::Eks => logs(p, s, EKS_CONTROL_PLANE_LOG_GB_PER_MONTH),
        ServiceKind::DynamoDb => p.push(&at(PriceService::Kind(s.kind), "pitr-storage"), cx.stored_gb(s)),
        ServiceKind::Aurora => {
            // Continuous backups beyond one copy of the volume (which is free) are the changes
            // of the retention period.
            let changed = cx.stored_gb(s) * DAILY_CHANGE_FRACTION * f64::from(AURORA_BACKUP_RETENTION_DAYS);
            p.push(&at(PriceService::Kind(s.kind), "backup-storage"), changed);
            if is_writer(cx.design, s) {
                p.push(&at(PriceService::SecretsManager, "secrets"), 1.0);
            }
        }
        ServiceKind::ApiGateway
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::Ec2Asg
        | ServiceKind::ElastiCache
        | ServiceKind::EventBridge
        | ServiceKind::GlobalAccelerator
        | ServiceKind::Iam
        | ServiceKind::LambdaEdge
        | ServiceKind::NatGateway
        | ServiceKind::Rds
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::TransitGateway => {}
    }
}

/// The log lines of `s`'s log group: `ingested_gb` a month, kept for the retention period (a
/// steady month stores that many months of events).
fn logs(p: &mut Pricer<'_>, s: &Service, ingested_gb: f64) {
    p.push(&watch(s, "logs-ingested"), ingested_gb);
    let kept_months = f64::from(LOG_RETENTION_DAYS) / DAYS_PER_MONTH;
    p.push(&watch(s, "logs-storage"), ingested_gb * kept_months);
}

/// Whether an Aurora cluster keeps its own master password: it is not the target of a
/// replication link from another Aurora cluster (a global database's secondaries take the
/// primary's).
fn is_writer(design: &Design, s: &Service) -> bool {
    !design.links_to(&s.id).any(|l| {
        matches!(l.kind, LinkKind::Replication(_))
            && design.service(&l.from).is_some_and(|f| f.kind == ServiceKind::Aurora)
    })
}

/// The alarms the export writes, per service they watch: one per routing link of a load
/// balancer (unhealthy targets), one per other region of a DynamoDB global table (in each
/// member's region), one per Aurora secondary and one per S3 replication rule with Replication
/// Time Control.
pub fn alarms(design: &Design) -> BTreeMap<ServiceId, f64> {
    let groups = groups::same_kind(design);
    alarms_in(design, &groups).into_iter().map(|(s, n)| (s.id.clone(), n)).collect()
}

/// [`alarms`] with the design's replication groups already found (`groups::same_kind`): each
/// service with its count, in id order. Every service is found once, in one pass over the links
/// (none when the design has no Aurora cluster or S3 bucket to look for); the counts are
/// collected as they come and put in id order once at the end (a stable sort, so a service's
/// counts add up in the order they were found).
pub(crate) fn alarms_in<'a>(
    design: &'a Design,
    groups: &'a [(ServiceKind, BTreeSet<ServiceId>)],
) -> Vec<(&'a Service, f64)> {
    let mut found: Vec<(&Service, f64)> = Vec::new();
    let mut add = |s: &'a Service, n: f64| found.push((s, n));
    let mut aurora_or_s3 = false;
    for s in design.services() {
        match s.kind {
            ServiceKind::Alb | ServiceKind::Nlb => {
                let targets =
                    design.links_from(&s.id).filter(|l| matches!(l.kind, LinkKind::Routing(_))).count();
                if targets > 0 {
                    add(s, targets as f64);
                }
            }
            ServiceKind::Aurora | ServiceKind::S3 => aurora_or_s3 = true,
            _ => {}
        }
    }
    for (_, group) in groups.iter().filter(|(k, _)| *k == ServiceKind::DynamoDb) {
        let mut by_region: BTreeMap<&str, &Service> = BTreeMap::new();
        for m in group {
            if let Some(s) = design.service(m)
                && let Some(r) = s.placement.region()
            {
                by_region.entry(r.as_str()).or_insert(s);
            }
        }
        let others = by_region.len().saturating_sub(1) as f64;
        for owner in by_region.values().filter(|_| others > 0.0) {
            add(owner, others);
        }
    }
    if !aurora_or_s3 {
        return in_id_order(found);
    }
    // An Aurora secondary is the target of a replication link from another Aurora cluster (which
    // is then in its group); an S3 replication rule with Replication Time Control has an alarm.
    let mut targets: BTreeSet<&ServiceId> = BTreeSet::new();
    let mut rtc: Vec<&Service> = Vec::new();
    for l in design.links() {
        let LinkKind::Replication(r) = &l.kind else { continue };
        let (Some(from), Some(to)) = (design.service(&l.from), design.service(&l.to)) else { continue };
        match (from.kind, to.kind) {
            (ServiceKind::Aurora, ServiceKind::Aurora) => {
                targets.insert(&l.to);
            }
            (ServiceKind::S3, ServiceKind::S3) if r.rtc => rtc.push(from),
            _ => {}
        }
    }
    for (_, group) in groups.iter().filter(|(k, _)| *k == ServiceKind::Aurora) {
        let primary = group.iter().find(|m| !targets.contains(m)).or_else(|| group.iter().next());
        for m in group.iter().filter(|m| Some(*m) != primary) {
            if let Some(s) = design.service(m) {
                add(s, 1.0);
            }
        }
    }
    for s in rtc {
        add(s, 1.0);
    }
    in_id_order(found)
}

/// Counts found in any order, summed per service (each from 0, in the order found) and put in id
/// order. Most come in id order already (the load balancers' are found walking the services).
fn in_id_order(mut found: Vec<(&Service, f64)>) -> Vec<(&Service, f64)> {
    found
        .sort_by(|a, b| if std::ptr::eq(a.0, b.0) { std::cmp::Ordering::Equal } else { a.0.id.cmp(&b.0.id) });
    let mut out: Vec<(&Service, f64)> = Vec::with_capacity(found.len());
    for (s, n) in found {
        match out.last_mut() {
            Some((last, sum)) if std::ptr::eq(*last, s) => *sum += n,
            _ => out.push((s, 0.0 + n)),
        }
    }
    out
}

/// Services of `kind` joined by replication links between services of that kind, as sets of
/// two or more.
pub fn replication_groups(design: &Design, kind: ServiceKind) -> Vec<BTreeSet<ServiceId>> {
    groups::same_kind(design).into_iter().filter(|(k, _)| *k == kind).map(|(_, g)| g).collect()
}

/// Stored GB per service: the design's `storage_gb`, or, for a member of a replication group of
/// DynamoDB tables, Aurora clusters, S3 buckets or RDS instances that gives none, the largest of its
/// group (a replica holds a full copy). Hashed: the bill looks every service up and never iterates.
pub(crate) fn stored<'a>(
    design: &'a Design,
    groups: &'a [(ServiceKind, BTreeSet<ServiceId>)],
) -> FxHashMap<&'a ServiceId, f64> {
    let mut out: FxHashMap<&ServiceId, f64> =
        FxHashMap::with_capacity_and_hasher(design.services().len(), rustc_hash::FxBuildHasher);
    out.extend(design.services().filter_map(|s| Some((&s.id, s.config.storage_gb?))));
    let holds_data = [ServiceKind::DynamoDb, ServiceKind::Aurora, ServiceKind::S3, ServiceKind::Rds];
    for (_, g) in groups.iter().filter(|(k, _)| holds_data.contains(k)) {
        let most = g.iter().filter_map(|m| out.get(m).copied()).fold(0.0, f64::max);
        for m in g {
            out.entry(m).or_insert(most);
        }
    }
    out
}
