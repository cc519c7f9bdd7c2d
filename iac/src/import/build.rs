//! From resources to a design: which resources are services (through [`crate::kinds`]), which
//! support a service, which make links, and the settings the design models.

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::catalog::Catalog;
use meridian_model::design::{Design, LinkKind, Placement, Replication, ReplicationMode};
use meridian_model::edit::{add_region, new_service, unique_id};
use meridian_model::{Command, ServiceId, ServiceKind, apply};
use serde_json::Value;

use super::input::Skipped;
use super::resource::{RawResource, Source, as_text, field, kebab, list, refs_in, texts_in};
use super::settings::read_settings;

mod deps;
mod links;
use crate::kinds::{kinds_for_cloudformation, kinds_for_terraform};

/// What the builder made of the resources.
pub(crate) struct Built {
    pub design: Design,
    pub skipped: Vec<Skipped>,
    /// Supporting resources read as part of a service or a link.
    pub supporting: usize,
}

/// Types that are not services themselves but make links between services.
const LINK_TYPES: &[&str] = &[
    "AWS::RDS::GlobalCluster",
    "aws_rds_global_cluster",
    "AWS::ElastiCache::GlobalReplicationGroup",
    "aws_elasticache_global_replication_group",
];

/// Type prefixes of resources that support a service (networking, security, observability, the
/// pieces of a load balancer, a DNS record, a backup) and are read as its settings or links.
const SUPPORTING: &[&str] = &[
    "AWS::EC2::",
    "AWS::IAM::",
    "AWS::KMS::",
    "AWS::Logs::",
    "AWS::CloudWatch::Alarm",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ECS::Cluster",
    "AWS::ECS::TaskDefinition",
    "AWS::S3::BucketPolicy",
    "AWS::ElastiCache::SubnetGroup",
    "AWS::ElastiCache::ParameterGroup",
    "AWS::RDS::DBSubnetGroup",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBClusterParameterGroup",
    "AWS::RDS::DBParameterGroup",
    "AWS::Route53::RecordSet",
    "AWS::Route53::HealthCheck",
    "AWS::CloudFront::OriginAccessControl",
    "AWS::CloudFront::CachePolicy",
    "AWS::Backup::",
    "AWS::Lambda::Permission",
    "AWS::Lambda::EventSourceMapping",
    "AWS::Lambda::Version",
    "AWS::Lambda::Alias",
    "AWS::ApiGateway::",
    "AWS::ApiGatewayV2::",
    "AWS::ApplicationAutoScaling::",
    "AWS::AutoScaling::ScalingPolicy",
    "AWS::AutoScaling::LaunchConfiguration",
    "AWS::SNS::Subscription",
    "AWS::SNS::TopicPolicy",
    "AWS::SQS::QueuePolicy",
    "AWS::GlobalAccelerator::Listener",
    "AWS::GlobalAccelerator::EndpointGroup",
    "AWS::Events::Rule",
    "AWS::EKS::Nodegroup",
    "aws_eks_node_group",
    "AWS::SecretsManager::",
    "AWS::CertificateManager::",
    "aws_vpc",
    "aws_subnet",
    "aws_security_group",
    "aws_default_security_group",
    "aws_vpc_security_group_",
    "aws_iam_",
    "aws_kms_",
    "aws_cloudwatch_log_group",
    "aws_cloudwatch_metric_alarm",
    "aws_lb_listener",
    "aws_lb_target_group",
    "aws_ecs_cluster",
    "aws_ecs_task_definition",
    "aws_s3_bucket_",
    "aws_elasticache_subnet_group",
    "aws_elasticache_parameter_group",
    "aws_db_subnet_group",
    "aws_rds_cluster_instance",
    "aws_rds_cluster_parameter_group",
    "aws_db_parameter_group",
    "aws_route53_record",
    "aws_route53_health_check",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_cache_policy",
    "aws_backup_vault",
    "aws_backup_selection",
    "aws_lambda_permission",
    "aws_lambda_event_source_mapping",
    "aws_lambda_alias",
    "aws_api_gateway_",
    "aws_apigatewayv2_",
    "aws_appautoscaling_",
    "aws_autoscaling_policy",
    "aws_launch_template",
    "aws_sns_topic_subscription",
    "aws_sns_topic_policy",
    "aws_sqs_queue_policy",
    "aws_globalaccelerator_listener",
    "aws_globalaccelerator_endpoint_group",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
    "aws_secretsmanager_",
    "aws_acm_",
    "aws_internet_gateway",
    "aws_route_table",
    "aws_route",
    "aws_flow_log",
    "aws_eip",
    "aws_network_acl",
    "aws_main_route_table_association",
    "data.",
];

/// Terraform lookups of the account, partition and region, which every policy may name.
const ACCOUNT_LOOKUPS: &[&str] = &["data.aws_partition", "data.aws_caller_identity", "data.aws_region"];

/// Types that are a part of the one service they name: read as its settings.
const PARTS: &[&str] =
    &["AWS::RDS::DBInstance", "aws_rds_cluster_instance", "AWS::EKS::Nodegroup", "aws_eks_node_group"];

/// Keys under which a reference names a log destination: the bucket is a log bucket.
const LOG_KEYS: &[&str] = &[
    "DestinationBucketName",
    "target_bucket",
    "LogDestination",
    "log_destination",
    "S3BucketName",
    "s3_bucket_name",
];

/// Builds the design.
pub(crate) fn build(resources: Vec<RawResource>, source: Source, name: &str, catalog: &Catalog) -> Built {
    let mut b = Builder::new(resources, source, catalog);
    b.classify();
    b.own();
    let mut design = Design::new(name);
    b.add_regions_and_services(&mut design);
    b.links(&mut design);
    Built { design, skipped: b.skipped, supporting: b.supporting_count }
}

struct Builder<'a> {
    res: Vec<RawResource>,
    source: Source,
    catalog: &'a Catalog,
    by_address: BTreeMap<String, usize>,
    /// For each resource, the resources it references.
    out_refs: Vec<Vec<usize>>,
    /// For each resource, the resources referencing it.
    in_refs: Vec<Vec<usize>>,
    kind: Vec<Option<ServiceKind>>,
    owner: Vec<Option<usize>>,
    /// For each resource, the resources it owns (itself included), in order: `owner` inverted
    /// once, so a service's parts are not found by a scan of every resource (100,000 resources
    /// once took minutes).
    parts: Vec<Vec<usize>>,
    ids: BTreeMap<usize, ServiceId>,
    skipped: Vec<Skipped>,
    supporting_count: usize,
    linked: BTreeSet<(usize, usize)>,
    /// Replicas of DynamoDB global tables: (table, region) to the replica's service.
    replicas: BTreeMap<(usize, String), ServiceId>,
}

impl<'a> Builder<'a> {
    fn new(res: Vec<RawResource>, source: Source, catalog: &'a Catalog) -> Self {
        let by_address: BTreeMap<String, usize> =
            res.iter().enumerate().map(|(i, r)| (r.address.clone(), i)).collect();
        let n = res.len();
        let mut b = Builder {
            res,
            source,
            catalog,
            by_address,
            out_refs: vec![Vec::new(); n],
            in_refs: vec![Vec::new(); n],
            kind: vec![None; n],
            owner: vec![None; n],
            parts: vec![Vec::new(); n],
            ids: BTreeMap::new(),
            skipped: Vec::new(),
            supporting_count: 0,
            linked: BTreeSet::new(),
            replicas: BTreeMap::new(),
        };
        for i in 0..n {
            let mut found = Vec::new();
            refs_in(&b.res[i].props, &mut found);
            let targets: BTreeSet<usize> =
                found.iter().filter_map(|r| b.lookup(r)).filter(|j| *j != i).collect();
            for j in targets {
                b.out_refs[i].push(j);
                b.in_refs[j].push(i);
            }
        }
        b
    }

    /// The resource an address refers to (`aws_lb.web` also finds `aws_lb.web[0]`).
    fn lookup(&self, address: &str) -> Option<usize> {
        if let Some(i) = self.by_address.get(address) {
            return Some(*i);
        }
        let prefix = format!("{address}[");
        self.by_address
            .range(prefix.clone()..)
            .next()
            .filter(|(k, _)| k.starts_with(&prefix))
            .map(|(_, i)| *i)
    }

    fn ty(&self, i: usize) -> &str {
        &self.res[i].ty
    }

    fn candidates(&self, ty: &str) -> Vec<ServiceKind> {
        match self.source {
            Source::CloudFormation => kinds_for_cloudformation(ty).collect(),
            Source::Terraform => kinds_for_terraform(ty).collect(),
        }
    }

    /// Decides which resources are services, and of which kind.
    fn classify(&mut self) {
        for i in 0..self.res.len() {
            let ty = self.res[i].ty.clone();
            if LINK_TYPES.contains(&ty.as_str()) {
                continue;
            }
            let kinds = self.candidates(&ty);
            if kinds.is_empty() {
                if !SUPPORTING.iter().any(|p| ty.starts_with(p)) {
                    let why = if ty.is_empty() {
                        "no resource type".to_owned()
                    } else {
                        format!("resource type {ty} is not a service kind Meridian models")
                    };
                    self.skipped.push(Skipped::new(&self.res[i].address, why));
                }
                continue;
            }
            let referrers: Vec<&str> = self.in_refs[i].iter().map(|j| self.ty(*j)).collect();
            let kind = match kinds[0] {
                ServiceKind::Iam if !self.in_refs[i].is_empty() => None,
                // An instance of an Aurora cluster: the cluster's count and class.
                ServiceKind::Rds
                    if field(&self.res[i].props, &["DBClusterIdentifier", "cluster_identifier"])
                        .is_some() =>
                {
                    None
                }
                ServiceKind::S3 if self.is_log_bucket(i) => None,
                ServiceKind::Sns
                    if !referrers.is_empty()
                        && referrers.iter().all(|t| t.contains("Alarm") || t.contains("metric_alarm")) =>
                {
                    None
                }
                ServiceKind::S3
                    if self.in_refs[i].iter().any(|j| {
                        refs_at_keys(&self.res[*j].props, LOG_KEYS).contains(&self.res[i].address.as_str())
                    }) =>
                {
                    None
                }
                // A vault a backup plan writes into is part of that plan, not a service of its own.
                ServiceKind::AwsBackup
                    if (ty == "AWS::Backup::BackupVault" || ty == "aws_backup_vault")
                        && referrers
                            .iter()
                            .any(|t| t.contains("BackupPlan") || t.contains("backup_plan")) =>
                {
                    None
                }
                ServiceKind::Alb | ServiceKind::Nlb => {
                    let t = field(&self.res[i].props, &["Type", "load_balancer_type"])
                        .and_then(as_text)
                        .unwrap_or("application");
                    Some(if t == "network" { ServiceKind::Nlb } else { ServiceKind::Alb })
                }
                ServiceKind::Lambda | ServiceKind::LambdaEdge => {
                    let edge = referrers.iter().any(|t| {
                        t.contains("CloudFront::Distribution") || t.contains("cloudfront_distribution")
                    });
                    Some(if edge { ServiceKind::LambdaEdge } else { ServiceKind::Lambda })
                }
                k => Some(k),
            };
            self.kind[i] = kind;
        }
    }

    /// Gives each supporting resource the service it belongs to. A resource that the parts of
    /// several services reference (a region's KMS key, its VPC) belongs to none: it would
    /// otherwise lend one service the references of all.
    fn own(&mut self) {
        // The account's and partition's lookups are everyone's: a policy naming an ARN through
        // them does not belong to whoever named one first.
        let mut shared: BTreeSet<usize> =
            (0..self.res.len()).filter(|i| ACCOUNT_LOOKUPS.contains(&self.ty(*i))).collect();
        loop {
            for i in 0..self.res.len() {
                self.owner[i] = self.kind[i].is_some().then_some(i);
            }
            // References from owned resources first, to a fixpoint; only then a piece attached
            // to an owned one (so a security group a launch template names belongs to that
            // template's service, not to the service whose group its ingress admits).
            let mut attach = false;
            loop {
                let mut changed = false;
                for i in 0..self.res.len() {
                    if self.owner[i].is_some() || shared.contains(&i) {
                        continue;
                    }
                    // Referenced by a service or by something a service owns.
                    let by = self.owning_refs(i).find_map(|j| self.owner[j]);
                    // Or an IAM or security-group piece attached to an owned one.
                    let ty = self.ty(i);
                    let attachable = ty.contains("IAM")
                        || ty.contains("_iam_")
                        || ty.contains("SecurityGroup")
                        || ty.contains("security_group");
                    // A part of one service (a cluster's instance, a node group) names it.
                    let part = PARTS.contains(&ty);
                    let to = if part {
                        self.out_refs[i].iter().find(|j| self.kind[**j].is_some()).copied()
                    } else if attachable && attach {
                        self.out_refs[i]
                            .iter()
                            .filter(|j| self.kind[**j].is_none())
                            .find_map(|j| self.owner[*j])
                    } else {
                        None
                    };
                    if let Some(o) = by.or(to) {
                        self.owner[i] = Some(o);
                        changed = true;
                    }
                }
                if changed {
                    attach = false;
                } else if attach {
                    break;
                } else {
                    attach = true;
                }
            }
            let before = shared.len();
            for i in 0..self.res.len() {
                if self.kind[i].is_some() {
                    continue;
                }
                let owners: BTreeSet<usize> = self.owning_refs(i).filter_map(|j| self.owner[j]).collect();
                if owners.len() > 1 {
                    shared.insert(i);
                }
            }
            if shared.len() == before {
                break;
            }
        }
        self.parts = vec![Vec::new(); self.res.len()];
        for (j, o) in self.owner.iter().enumerate() {
            if let Some(o) = *o {
                self.parts[o].push(j);
            }
        }
        let skipped: BTreeSet<&str> = self.skipped.iter().map(|s| s.address.as_str()).collect();
        self.supporting_count = (0..self.res.len())
            .filter(|i| self.kind[*i].is_none() && !skipped.contains(self.res[*i].address.as_str()))
            .count();
    }

    /// Whether bucket `i` receives logs: a reference under a log destination key, or a policy
    /// (on a resource referencing it, or one such resource references) granting a log
    /// delivery service.
    fn is_log_bucket(&self, i: usize) -> bool {
        const LOG_PRINCIPALS: &[&str] = &[
            "logging.s3.amazonaws.com",
            "delivery.logs.amazonaws.com",
            "cloudtrail.amazonaws.com",
            "logdelivery.elasticloadbalancing.amazonaws.com",
        ];
        let address = self.res[i].address.as_str();
        let grants = |j: usize| {
            let mut texts = Vec::new();
            texts_in(&self.res[j].props, &mut texts);
            texts.iter().any(|t| LOG_PRINCIPALS.contains(t))
        };
        self.in_refs[i].iter().any(|j| {
            refs_at_keys(&self.res[*j].props, LOG_KEYS).contains(&address)
                || (self.kind_candidates_empty(*j)
                    && (grants(*j)
                        || self.out_refs[*j].iter().any(|k| self.ty(*k).starts_with("data.") && grants(*k))))
        })
    }

    /// The vault of another region that backup plan `i` copies into (by reference, or by the
    /// vault name in a destination ARN).
    fn copy_vault(&self, i: usize) -> Option<usize> {
        let vault = |j: &usize| {
            ["AWS::Backup::BackupVault", "aws_backup_vault"].contains(&self.ty(*j))
                && self.res[*j].region != self.res[i].region
        };
        if let Some(v) = self.out_refs[i].iter().copied().find(vault) {
            return Some(v);
        }
        let mut texts = Vec::new();
        texts_in(&self.res[i].props, &mut texts);
        let names: Vec<&str> = texts.iter().filter_map(|t| t.split(":backup-vault:").nth(1)).collect();
        (0..self.res.len()).filter(vault).find(|j| {
            field(&self.res[*j].props, &["BackupVaultName", "name"])
                .and_then(as_text)
                .is_some_and(|n| names.contains(&n))
        })
    }

    fn kind_candidates_empty(&self, j: usize) -> bool {
        self.candidates(self.ty(j)).is_empty()
    }

    /// The resources referencing `i` that may own it: a security group named by another
    /// group's rule is admitted by it, not part of it.
    fn owning_refs(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let sg = |t: &str| t.contains("SecurityGroup") || t.contains("security_group");
        let is_sg = sg(self.ty(i));
        self.in_refs[i].iter().copied().filter(move |j| !(is_sg && sg(self.ty(*j))))
    }

    fn add_regions_and_services(&mut self, design: &mut Design) {
        let mut regions = BTreeSet::new();
        // A backup plan copying into a vault of another region: the design's vault is that one.
        for i in 0..self.res.len() {
            if self.kind[i] == Some(ServiceKind::AwsBackup)
                && let Some(v) = self.copy_vault(i)
            {
                let (region, name) = (self.res[v].region.clone(), self.res[v].name.clone());
                self.res[i].region = region;
                self.res[i].name = name;
                // The plan stands for the vault it copies into; the vault is not a second service.
                self.kind[v] = None;
            }
        }
        for i in 0..self.res.len() {
            let Some(kind) = self.kind[i] else { continue };
            if self.catalog.kind(kind).scope == meridian_model::catalog::Scope::Regional {
                if let Some(r) = &self.res[i].region {
                    regions.insert(r.clone());
                } else {
                    self.skipped.push(Skipped::new(&self.res[i].address, "no target region: pass --region or name the template after its region, or set the provider's region"));
                    self.kind[i] = None;
                }
            }
        }
        // Replica regions (DynamoDB global tables).
        for i in 0..self.res.len() {
            if self.kind[i] == Some(ServiceKind::DynamoDb) {
                for r in replica_regions(&self.res[i].props) {
                    regions.insert(meridian_model::RegionId::new(r));
                }
            }
        }
        for r in &regions {
            match add_region(self.catalog, r.as_str())
                .map_err(|e| e.to_string())
                .and_then(|c| apply(design, self.catalog, c).map_err(|e| e.to_string()))
            {
                Ok(_) => {}
                Err(e) => self.skipped.push(Skipped::new(&format!("region {r}"), e)),
            }
        }
        for i in 0..self.res.len() {
            let Some(kind) = self.kind[i] else { continue };
            let placement = match self.catalog.kind(kind).scope {
                meridian_model::catalog::Scope::Global => Placement::Global,
                meridian_model::catalog::Scope::Regional => match &self.res[i].region {
                    Some(r) if design.region(r).is_some() => Placement::Region(r.clone()),
                    _ => {
                        self.kind[i] = None;
                        continue;
                    }
                },
            };
            self.add_service(design, i, kind, placement, &kebab(&self.res[i].name));
        }
        // DynamoDB replicas: one service per replica region, replicated from the table.
        for i in 0..self.res.len() {
            if self.kind[i] != Some(ServiceKind::DynamoDb) {
                continue;
            }
            let own = self.res[i].region.clone();
            let strong = field(&self.res[i].props, &["MultiRegionConsistency"]).and_then(as_text)
                == Some("STRONG")
                || list(field(&self.res[i].props, &["replica"]))
                    .iter()
                    .any(|r| field(r, &["consistency_mode"]).and_then(as_text) == Some("STRONG"));
            for r in replica_regions(&self.res[i].props) {
                if own.as_ref().is_some_and(|o| o.as_str() == r) {
                    continue;
                }
                let Some(from) = self.ids.get(&i).cloned() else { continue };
                let region = meridian_model::RegionId::new(&r);
                if design.region(&region).is_none() {
                    continue;
                }
                let mut s =
                    new_service(design, self.catalog, ServiceKind::DynamoDb, Placement::Region(region));
                s.id = ServiceId::new(unique_id(
                    &replica_id(self.catalog, from.as_str(), own.as_ref(), &r),
                    |x| design.service(&ServiceId::new(x)).is_some(),
                ));
                s.name = format!("{} replica in {r}", self.res[i].address);
                if let Some(f) = design.service(&from) {
                    s.config = f.config.clone();
                }
                let to = s.id.clone();
                if apply(design, self.catalog, Command::AddService(s)).is_ok() {
                    self.replicas.insert((i, r.clone()), to.clone());
                    let mode = if strong { ReplicationMode::Sync } else { ReplicationMode::Async };
                    self.push_link(
                        design,
                        &from,
                        &to,
                        LinkKind::Replication(Replication::new(mode)),
                        &self.res[i].address.clone(),
                    );
                }
            }
        }
    }

    fn add_service(
        &mut self,
        design: &mut Design,
        i: usize,
        kind: ServiceKind,
        placement: Placement,
        base: &str,
    ) {
        let mut s = new_service(design, self.catalog, kind, placement);
        s.id = ServiceId::new(unique_id(base, |x| design.service(&ServiceId::new(x)).is_some()));
        s.name = match tag(&self.res[i].props, "Name") {
            Some(name) => match meridian_model::check_name(&name) {
                Ok(()) => name,
                Err(why) => {
                    self.skipped
                        .push(Skipped::new(&self.res[i].address, format!("Name tag not kept: {why}")));
                    self.res[i].address.clone()
                }
            },
            None => self.res[i].address.clone(),
        };
        // Tag by tag, so one AWS's rules refuse (`aws:` keys in a copied plan, two keys the export
        // would write alike) costs that tag, not the service's settings.
        for (k, v) in tags(&self.res[i].props) {
            if k.starts_with("meridian:") || k == "Name" {
                continue;
            }
            s.tags.insert(k.clone(), v);
            if let Err((_, why)) = meridian_model::tags::check(&s.tags) {
                s.tags.remove(&k);
                self.skipped.push(Skipped::new(&self.res[i].address, format!("tag `{k}` not kept: {why}")));
            }
        }
        let supporting: Vec<&RawResource> =
            self.parts[i].iter().filter(|&&j| j != i).map(|&j| &self.res[j]).collect();
        let warnings = read_settings(&mut s.config, kind, &self.res[i], &supporting);
        for w in warnings {
            self.skipped.push(Skipped::new(&self.res[i].address, w));
        }
        let id = s.id.clone();
        let fallback = s.clone();
        match apply(design, self.catalog, Command::AddService(s)) {
            Ok(_) => {
                self.ids.insert(i, id);
            }
            Err(e) => {
                // The settings read broke an invariant: keep the service with the defaults.
                let mut d = fallback;
                d.config = new_service(design, self.catalog, kind, d.placement.clone()).config;
                self.skipped.push(Skipped::new(&self.res[i].address, format!("settings not kept: {e}")));
                if apply(design, self.catalog, Command::AddService(d)).is_ok() {
                    self.ids.insert(i, id);
                }
            }
        }
    }

    /// The service a resource is or belongs to.
    fn service_of(&self, i: usize) -> Option<usize> {
        self.owner[i].filter(|o| self.ids.contains_key(o))
    }

    fn service_at(&self, v: Option<&Value>) -> Vec<usize> {
        let mut refs = Vec::new();
        if let Some(v) = v {
            refs_in(v, &mut refs);
        }
        refs.iter().filter_map(|r| self.lookup(r)).filter_map(|j| self.service_of(j)).collect()
    }
}

/// The id of a replica in `region` of the table `primary` in `own`: the primary's id with its
/// region's short code replaced (`orders-use1` in eu-west-1 is `orders-euw1`), else the
/// primary's id and the region.
fn replica_id(
    catalog: &Catalog,
    primary: &str,
    own: Option<&meridian_model::RegionId>,
    region: &str,
) -> String {
    let short = |code: &str| {
        catalog
            .region(code)
            .and_then(|i| i.az_ids.first())
            .and_then(|a| a.split('-').next())
            .map(str::to_owned)
    };
    if let (Some(o), Some(r)) = (own.and_then(|o| short(o.as_str())), short(region))
        && let Some(stem) = primary.strip_suffix(&o)
    {
        return format!("{stem}{r}");
    }
    format!("{primary}-{region}")
}

/// Regions of a DynamoDB global table's replicas (CloudFormation `Replicas`, Terraform `replica`).
fn replica_regions(p: &Value) -> Vec<String> {
    let mut out: Vec<String> = list(field(p, &["Replicas"]))
        .iter()
        .filter_map(|r| field(r, &["Region"]).and_then(as_text).map(str::to_owned))
        .collect();
    out.extend(
        list(p.get("replica"))
            .iter()
            .filter_map(|r| field(r, &["region_name"]).and_then(as_text).map(str::to_owned)),
    );
    out
}

/// References found under any of `keys`, anywhere in `v`.
fn refs_at_keys<'a>(v: &'a Value, keys: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if keys.contains(&k.as_str()) {
                    refs_in(x, &mut out);
                } else {
                    out.extend(refs_at_keys(x, keys));
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| out.extend(refs_at_keys(x, keys))),
        _ => {}
    }
    out
}

/// A resource's tags (CloudFormation `Tags` list or map, Terraform `tags` map).
fn tags(p: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    match p.get("Tags").or_else(|| p.get("tags")).or_else(|| p.get("HostedZoneTags")) {
        Some(Value::Array(items)) => {
            for t in items {
                if let (Some(k), Some(v)) = (t.get("Key").and_then(as_text), t.get("Value").and_then(as_text))
                {
                    out.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        Some(Value::Object(m)) => {
            for (k, v) in m {
                if let Some(v) = as_text(v) {
                    out.insert(k.clone(), v.to_owned());
                }
            }
        }
        _ => {}
    }
    out
}

fn tag(p: &Value, key: &str) -> Option<String> {
    tags(p).remove(key)
}
