//! The export plan shared by both formats: names (`names`), tags, which replication the compliance rules
//! allow, replication groups, the order regions deploy in, and what cannot be exported faithfully.

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::ServiceKind;
use meridian_model::catalog::Catalog;
use meridian_model::compliance::{Policy, ReplicationConstraint, replication_constraints};
use meridian_model::design::{Design, LinkKind, ReadConsistency, Service};
use meridian_model::ids::{LinkId, RegionId, ServiceId};

use crate::names::Names;

/// Whether the export writes resources for a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// Both writers write the kind's resources.
    Written,
    /// The kind is listed in `DEPLOY.md` and as a warning instead, for this reason.
    NotExported {
        /// Why, as the end of a sentence ("service x (kind k) is not exported: REASON").
        reason: &'static str,
    },
}

/// Whether the export writes `kind` (global kinds in the global stack, the others per region).
/// Every kind is written; what a format cannot declare of a kind (CloudFormation has no Direct
/// Connect resource types; a Lambda@Edge function outside us-east-1) is a warning of that
/// format's writer or of [`Plan::new`], with the reason.
pub fn export_support(kind: ServiceKind) -> Export {
    match kind {
        ServiceKind::Alb
        | ServiceKind::ApiGateway
        | ServiceKind::Aurora
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
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => Export::Written,
    }
}

/// Why a Lambda@Edge function is left out when the global resources deploy outside us-east-1.
pub const LAMBDA_EDGE_REASON: &str = "Lambda@Edge functions must be created in us-east-1, and this design's global resources deploy \
     from us-west-2 (Global Accelerator's API lives there): create the function in a us-east-1 stack";

/// Whether an exported service of `kind` runs inside its region's VPC.
pub fn in_vpc(kind: ServiceKind) -> bool {
    match kind {
        ServiceKind::Alb
        | ServiceKind::Nlb
        | ServiceKind::EcsFargate
        | ServiceKind::Ec2Asg
        | ServiceKind::Lambda
        | ServiceKind::Aurora
        | ServiceKind::ElastiCache
        | ServiceKind::Eks
        | ServiceKind::Rds
        | ServiceKind::Dms
        | ServiceKind::NatGateway
        | ServiceKind::TransitGateway
        | ServiceKind::SiteToSiteVpn => true,
        ServiceKind::ApiGateway
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
        | ServiceKind::LambdaEdge
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions => false,
    }
}

/// Whether `kind` is an Elastic Load Balancing load balancer (target groups, listeners).
pub fn is_load_balancer(kind: ServiceKind) -> bool {
    match kind {
        ServiceKind::Alb | ServiceKind::Nlb => true,
        ServiceKind::ApiGateway
        | ServiceKind::Aurora
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
        | ServiceKind::Rds
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => false,
    }
}

/// The name prefix of generated resources: the design's name in lower case, letters, digits and
/// hyphens, at most 20 characters (so bucket and cluster names stay within AWS limits).
pub fn name_prefix(design_name: &str) -> String {
    let mut out = String::new();
    for c in design_name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 20 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "meridian".to_owned() } else { out }
}

/// Stores kept in step by replication: a DynamoDB global table, an Aurora global database.
#[derive(Debug, Clone)]
pub struct Group {
    /// The writer (Aurora) or the first table (DynamoDB): where the group's resource is declared.
    pub primary: ServiceId,
    /// The other members, in id order.
    pub replicas: Vec<ServiceId>,
}

impl Group {
    /// Whether `service` is the primary or a replica.
    pub fn contains(&self, service: &ServiceId) -> bool {
        &self.primary == service || self.replicas.contains(service)
    }
}

/// The cache node type of an ElastiCache service (`cache.r7g.large` unless the design says otherwise).
pub fn cache_node_type(service: &Service) -> &str {
    meridian_model::sizing::instance_type(service)
}

/// The engine of an ElastiCache service (`valkey` unless the design says otherwise).
pub use meridian_model::sizing::cache_engine;

/// Whether ElastiCache can make a Global Datastore of `group` (one member per region, and the
/// catalog's limits, `resilience.ron` `global_datastore`, which loading a design already
/// enforces); also notes on what the secondaries inherit from the primary instead of what the
/// design says.
fn global_datastore_check(
    catalog: &Catalog,
    design: &Design,
    group: &Group,
) -> (Option<String>, Vec<String>) {
    let limits = &catalog.resilience().global_datastore.value;
    let Some(primary) = design.service(&group.primary) else {
        return (Some("its primary is unknown".into()), Vec::new());
    };
    let members: Vec<&Service> =
        std::iter::once(primary).chain(group.replicas.iter().filter_map(|m| design.service(m))).collect();
    let regions: BTreeSet<Option<&RegionId>> = members.iter().map(|m| m.placement.region()).collect();
    if regions.len() != members.len() || regions.contains(&None) {
        return (Some("a Global Datastore needs its caches in different regions".into()), Vec::new());
    }
    if group.replicas.len() > limits.max_secondaries as usize {
        return (
            Some(format!(
                "a Global Datastore replicates to at most {} other regions",
                limits.max_secondaries
            )),
            Vec::new(),
        );
    }
    let engine = cache_engine(primary);
    let node = cache_node_type(primary);
    if let Some(why) = limits.refusal(engine, node) {
        return (Some(format!("{why}: {}", primary.id)), Vec::new());
    }
    let mut notes: Vec<String> = members
        .iter()
        .skip(1)
        .filter(|m| cache_node_type(m) != node || cache_engine(m) != engine)
        .map(|m| {
            format!(
                "service {} joins the Global Datastore of {}: it runs the primary's {engine} on {node}, not \
                 the design's {} on {} (members share engine and node type)",
                m.id,
                primary.id,
                cache_engine(m),
                cache_node_type(m)
            )
        })
        .collect();
    if primary.config.count > 1 {
        notes.extend(members.iter().skip(1).filter(|m| m.config.count < 2).map(|m| {
            format!(
                "service {} gets 2 nodes, not {}: it inherits automatic failover from {}, which needs a replica",
                m.id, m.config.count, primary.id
            )
        }));
    }
    (None, notes)
}

/// One S3 replication rule.
#[derive(Debug, Clone)]
pub struct BucketReplication {
    /// The link.
    pub link: LinkId,
    /// Source bucket.
    pub from: ServiceId,
    /// Destination bucket.
    pub to: ServiceId,
    /// Replication Time Control.
    pub rtc: bool,
}

/// Everything both writers need to know about the design.
pub struct Plan<'a> {
    /// The design.
    pub design: &'a Design,
    /// Default name prefix (a parameter / variable in the output).
    pub prefix: String,
    /// Regions in deployment order.
    pub regions: Vec<RegionId>,
    /// Services written, by id.
    pub exported: BTreeSet<ServiceId>,
    /// DynamoDB global tables and Aurora global databases.
    pub groups: Vec<Group>,
    /// ElastiCache Global Datastores: the primary replication group and its secondaries.
    pub caches: Vec<Group>,
    /// S3 replication rules kept.
    pub bucket_replication: Vec<BucketReplication>,
    /// The compliance constraints in force.
    pub constraints: Vec<ReplicationConstraint>,
    /// Replication or backup links left out because a residency rule forbids them, with the reason.
    pub dropped: BTreeMap<LinkId, String>,
    /// The names of the design's ids in the generated code.
    pub names: Names,
    /// Tags every resource gets (the provider's or the stack's default tags).
    pub common_tags: BTreeMap<String, String>,
    /// Problems found while planning.
    pub warnings: Vec<String>,
    /// DynamoDB global tables with multi-Region strong consistency, by their group's primary,
    /// with their witness region when they have two replicas.
    pub strong_tables: BTreeMap<ServiceId, Option<RegionId>>,
    /// Aurora secondaries that forward writes, with the read consistency they declare.
    pub write_forwarding: BTreeMap<ServiceId, ReadConsistency>,
}

impl<'a> Plan<'a> {
    /// Plans the export of `design` under `policies`; the ids in `renamed` get hashed names
    /// (see [`Names`]).
    #[allow(clippy::too_many_lines, reason = "one planning pass; the replication match lists every kind")]
    pub fn new(
        design: &'a Design,
        catalog: &'a Catalog,
        policies: &[Policy],
        renamed: &BTreeSet<String>,
    ) -> Self {
        let mut warnings = Vec::new();
        let constraints = replication_constraints(design, catalog, policies);
        let mut dropped = BTreeMap::new();
        for c in &constraints {
            for l in &c.crossing_links {
                dropped
                    .entry(l.clone())
                    .or_insert_with(|| format!("link {l} is left out: {} ({})", c.reason, c.rule));
            }
        }
        warnings.extend(dropped.values().cloned());
        let mut exported = BTreeSet::new();
        for s in design.services() {
            let edge_elsewhere = s.kind == ServiceKind::LambdaEdge
                && design.global_services().any(|g| g.kind == ServiceKind::GlobalAccelerator);
            let support = if edge_elsewhere {
                Export::NotExported { reason: LAMBDA_EDGE_REASON }
            } else {
                export_support(s.kind)
            };
            if let Export::NotExported { reason } = support {
                let types = catalog.kind(s.kind).iac.cloudformation.join(", ");
                warnings.push(format!(
                    "service {} (kind {}) is not exported: {reason}; add its resources by hand ({})",
                    s.id,
                    s.kind,
                    if types.is_empty() {
                        "it has no CloudFormation resource types".to_owned()
                    } else {
                        types
                    }
                ));
            } else {
                exported.insert(s.id.clone());
            }
        }
        warnings.extend(crate::notes::kind_notes(design, &exported));
        let kept = |kind: &LinkKind, id: &LinkId| {
            matches!(kind, LinkKind::Replication(_)) && !dropped.contains_key(id)
        };
        let mut groups = Vec::new();
        for family in [ServiceKind::DynamoDb, ServiceKind::Aurora] {
            groups.extend(groups_of(design, family, &kept));
        }
        let mut caches = Vec::new();
        let mut cache_problems: BTreeMap<ServiceId, String> = BTreeMap::new();
        for g in
            groups_of(design, ServiceKind::ElastiCache, &kept).into_iter().filter(|g| !g.replicas.is_empty())
        {
            let (problem, notes) = global_datastore_check(catalog, design, &g);
            warnings.extend(notes);
            match problem {
                None => caches.push(g),
                Some(why) => {
                    for m in std::iter::once(&g.primary).chain(&g.replicas) {
                        cache_problems.insert(m.clone(), why.clone());
                    }
                }
            }
        }
        let mut bucket_replication = Vec::new();
        for l in design.links() {
            let (Some(a), Some(b)) = (design.service(&l.from), design.service(&l.to)) else { continue };
            let LinkKind::Replication(r) = &l.kind else { continue };
            if dropped.contains_key(&l.id) {
                continue;
            }
            match a.kind {
                ServiceKind::S3 => {
                    if b.kind == ServiceKind::S3 {
                        bucket_replication.push(BucketReplication {
                            link: l.id.clone(),
                            from: a.id.clone(),
                            to: b.id.clone(),
                            rtc: r.rtc,
                        });
                    }
                }
                ServiceKind::ElastiCache => {
                    if caches.iter().any(|g| g.contains(&a.id) && g.contains(&b.id)) {
                        continue;
                    }
                    warnings.push(format!(
                        "link {} (ElastiCache replication) is not exported{}: create the Global Datastore \
                         (AWS::ElastiCache::GlobalReplicationGroup, or aws_elasticache_global_replication_group \
                         in Terraform) from the two replication groups by hand",
                        l.id,
                        cache_problems.get(&a.id).map(|w| format!(" ({w})")).unwrap_or_default()
                    ));
                }
                // DynamoDB and Aurora replication is written from `groups`; the other kinds do
                // not replicate across regions.
                ServiceKind::Alb
                | ServiceKind::ApiGateway
                | ServiceKind::Aurora
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
        }
        let (strong_tables, write_forwarding) = consistency_modes(design, &groups, &dropped);
        for (secondary, level) in &write_forwarding {
            warnings.push(format!(
                "Aurora cluster {secondary} forwards writes with {} read consistency: set `aurora_replica_read_consistency` \
                 (Aurora MySQL; its counterpart on Aurora PostgreSQL) to {} in the cluster's parameter group or per session; \
                 the export turns write forwarding on but writes no parameter group",
                level.aws_value(),
                level.aws_value()
            ));
        }
        let regions = deploy_order(design, &groups, &caches, &bucket_replication, &mut warnings);
        let common_tags = common_tags(design);
        Plan {
            design,
            prefix: name_prefix(design.name()),
            regions,
            exported,
            groups,
            caches,
            bucket_replication,
            constraints,
            dropped,
            names: Names::new(design, renamed),
            common_tags,
            warnings,
            strong_tables,
            write_forwarding,
        }
    }

    /// Exported services in `region`, in id order.
    pub fn services_in(&self, region: &RegionId) -> Vec<&'a Service> {
        let mut v: Vec<&Service> = self
            .design
            .services()
            .filter(|s| s.placement.region() == Some(region))
            .filter(|s| self.exported.contains(&s.id))
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Exported global services, in id order.
    pub fn global_services(&self) -> Vec<&'a Service> {
        let mut v: Vec<&Service> =
            self.design.global_services().filter(|s| self.exported.contains(&s.id)).collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Whether `region` needs a VPC.
    pub fn needs_vpc(&self, region: &RegionId) -> bool {
        self.services_in(region).iter().any(|s| in_vpc(s.kind))
    }

    /// The group `service` belongs to, if any.
    pub fn group_of(&self, service: &ServiceId) -> Option<&Group> {
        self.groups.iter().find(|g| &g.primary == service || g.replicas.contains(service))
    }

    /// The Global Datastore `service` belongs to, if any.
    pub fn cache_group_of(&self, service: &ServiceId) -> Option<&Group> {
        self.caches.iter().find(|g| g.contains(service))
    }

    /// The region of a service (global services have none).
    pub fn region_of(&self, service: &ServiceId) -> Option<&RegionId> {
        self.design.region_of(service)
    }

    /// The reason a residency rule gives for keeping `service` where it is, if one does.
    pub fn residency_reason(&self, service: &ServiceId) -> Option<&ReplicationConstraint> {
        self.constraints.iter().find(|c| &c.service == service)
    }

    /// A service's kind, or `None` when the service is not in the design.
    pub fn kind_of(&self, service: &ServiceId) -> Option<ServiceKind> {
        self.design.service(service).map(|s| s.kind)
    }

    /// The region the global and cross-region pieces deploy from: us-west-2 when the design has
    /// Global Accelerator (its API lives there), else us-east-1 (Route 53 and CloudFront are global).
    pub fn home_region(&self) -> String {
        if self.global_services().iter().any(|s| s.kind == ServiceKind::GlobalAccelerator) {
            "us-west-2".into()
        } else {
            "us-east-1".into()
        }
    }

    /// The region's index in the design (for non-overlapping VPC address ranges).
    pub fn region_index(&self, region: &RegionId) -> usize {
        self.design.regions().position(|r| &r.id == region).unwrap_or(0)
    }
}

/// Replication components of `kind`: connected by kept replication links.
/// The consistency modes the design declares on the groups exported: strongly consistent
/// DynamoDB global tables (by the group's primary) and Aurora secondaries forwarding writes.
fn consistency_modes(
    design: &Design,
    groups: &[Group],
    dropped: &BTreeMap<LinkId, String>,
) -> (BTreeMap<ServiceId, Option<RegionId>>, BTreeMap<ServiceId, ReadConsistency>) {
    let mut strong = BTreeMap::new();
    for t in meridian_model::consistency::strong_tables(design) {
        if t.refusal().is_some() || t.links.iter().any(|l| dropped.contains_key(l)) {
            continue;
        }
        if let Some(g) = groups.iter().find(|g| t.members.iter().any(|m| g.contains(m))) {
            strong.insert(g.primary.clone(), t.witness.clone());
        }
    }
    let mut forwarding = BTreeMap::new();
    for l in design.links() {
        if let LinkKind::Replication(r) = &l.kind
            && let Some(level) = r.write_forwarding
            && !dropped.contains_key(&l.id)
            && groups.iter().any(|g| g.contains(&l.to) && g.primary != l.to)
        {
            forwarding.insert(l.to.clone(), level);
        }
    }
    (strong, forwarding)
}

fn groups_of(design: &Design, kind: ServiceKind, kept: &dyn Fn(&LinkKind, &LinkId) -> bool) -> Vec<Group> {
    let members: BTreeSet<ServiceId> =
        design.services().filter(|s| s.kind == kind).map(|s| s.id.clone()).collect();
    let mut component: BTreeMap<ServiceId, ServiceId> =
        members.iter().map(|m| (m.clone(), m.clone())).collect();
    let root = |c: &BTreeMap<ServiceId, ServiceId>, mut x: ServiceId| {
        while let Some(p) = c.get(&x).filter(|p| **p != x) {
            x = p.clone();
        }
        x
    };
    let mut targets = BTreeSet::new();
    for l in design
        .links()
        .filter(|l| kept(&l.kind, &l.id) && members.contains(&l.from) && members.contains(&l.to))
    {
        targets.insert(l.to.clone());
        let (a, b) = (root(&component, l.from.clone()), root(&component, l.to.clone()));
        if a != b {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            component.insert(hi, lo);
        }
    }
    let mut by_root: BTreeMap<ServiceId, Vec<ServiceId>> = BTreeMap::new();
    for m in &members {
        by_root.entry(root(&component, m.clone())).or_default().push(m.clone());
    }
    by_root
        .into_values()
        .map(|all| {
            let primary = all.iter().find(|m| !targets.contains(*m)).unwrap_or(&all[0]).clone();
            let replicas = all.into_iter().filter(|m| *m != primary).collect();
            Group { primary, replicas }
        })
        .collect()
}

/// Regions in an order where each stack finds what it needs: an Aurora primary or a Global
/// Datastore's primary before its secondaries, an S3 destination bucket before the bucket replicating to it. Ties by region id.
fn deploy_order(
    design: &Design,
    groups: &[Group],
    caches: &[Group],
    buckets: &[BucketReplication],
    warnings: &mut Vec<String>,
) -> Vec<RegionId> {
    let mut before: BTreeSet<(RegionId, RegionId)> = BTreeSet::new();
    let region = |s: &ServiceId| design.region_of(s).cloned();
    let aurora =
        groups.iter().filter(|g| design.service(&g.primary).is_some_and(|s| s.kind == ServiceKind::Aurora));
    for g in aurora.chain(caches) {
        for r in &g.replicas {
            if let (Some(a), Some(b)) = (region(&g.primary), region(r)) {
                before.insert((a, b));
            }
        }
    }
    for b in buckets {
        if let (Some(src), Some(dst)) = (region(&b.from), region(&b.to)) {
            before.insert((dst, src));
        }
    }
    before.retain(|(a, b)| a != b);
    let mut left: Vec<RegionId> = design.regions().map(|r| r.id.clone()).collect();
    let mut order = Vec::new();
    while !left.is_empty() {
        let free = left.iter().position(|r| !before.iter().any(|(a, b)| b == r && left.contains(a)));
        let i = free.unwrap_or_else(|| {
            warnings.push(format!(
                "the regions' dependencies form a cycle at {}: deploy its stack, then update it after the others",
                left[0]
            ));
            0
        });
        order.push(left.remove(i));
    }
    order
}

/// Tags every service of the design shares, plus `meridian:design`.
fn common_tags(design: &Design) -> BTreeMap<String, String> {
    let mut services = design.services();
    let mut common: BTreeMap<String, String> = services.next().map(|s| s.tags.clone()).unwrap_or_default();
    for s in services {
        common.retain(|k, v| s.tags.get(k) == Some(v));
    }
    common.insert("meridian:design".into(), tag_value(design.name()));
    common
}

/// A tag key or value as AWS services generally accept it (the one rule, in the model).
pub use meridian_model::tags::aws_text as tag_value;

/// The port a service listens on, for security groups.
pub fn port_of(service: &Service) -> Option<u16> {
    match service.kind {
        ServiceKind::Alb | ServiceKind::Nlb => Some(443),
        ServiceKind::EcsFargate | ServiceKind::Ec2Asg => Some(8080),
        ServiceKind::Aurora | ServiceKind::Rds => {
            Some(if service.config.engine.as_deref().is_some_and(|e| e.contains("mysql")) {
                3306
            } else {
                5432
            })
        }
        ServiceKind::ElastiCache => Some(6379),
        // Reached through AWS APIs, or not in a VPC: no security-group port.
        ServiceKind::ApiGateway
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::DynamoDb
        | ServiceKind::Eks
        | ServiceKind::EventBridge
        | ServiceKind::GlobalAccelerator
        | ServiceKind::Iam
        | ServiceKind::Lambda
        | ServiceKind::LambdaEdge
        | ServiceKind::NatGateway
        | ServiceKind::Route53
        | ServiceKind::S3
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => None,
    }
}

/// The EC2 instance type of an Auto Scaling group (`m7g.large` unless the design says otherwise,
/// as the cost model assumes).
pub fn instance_type(service: &Service) -> &str {
    meridian_model::sizing::instance_type(service)
}

/// The public SSM parameter holding the latest Amazon Linux 2023 image for an instance type:
/// arm64 for Graviton families (a `g` after the generation digit: m7g, c7gn, r6gd), else x86_64.
/// Source: "Query for the latest Amazon Linux AMI IDs using Systems Manager Parameter Store",
/// <https://docs.aws.amazon.com/linux/al2023/ug/ec2.html> (as of 2026-11-26).
pub fn al2023_ami_parameter(instance_type: &str) -> String {
    let family = instance_type.split('.').next().unwrap_or_default();
    let suffix = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = suffix.trim_start_matches(|c: char| c.is_ascii_digit());
    let arch = if suffix.contains('g') { "arm64" } else { "x86_64" };
    format!("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}")
}

/// An Auto Scaling group's (minimum, desired, maximum) size: the design's count is both the floor
/// and the usual size; the maximum is twice that, room to scale out and to replace instances.
pub fn asg_size(service: &Service) -> (u32, u32, u32) {
    let count = service.config.count.max(1);
    (count, count, count * 2)
}

/// The Aurora engine of a service (`aurora-postgresql` unless the design says otherwise).
pub fn aurora_engine(service: &Service) -> &str {
    match service.config.engine.as_deref() {
        Some(e) if e.contains("mysql") => "aurora-mysql",
        _ => "aurora-postgresql",
    }
}

/// Fargate task size (CPU units, memory MiB) nearest above the design's vCPU and memory that
/// Fargate accepts, as the bill prices it.
pub use meridian_model::sizing::fargate_size;
