//! From resources to a design: which resources are services (through [`crate::kinds`]), which
//! support a service, which make links, and the settings the design models.

use std::collections::{BTreeMap, BTreeSet};

use meridian_model::catalog::Catalog;
use meridian_model::design::{
    Backup, Design, FailoverRole, HealthCheck, Link, LinkKind, Placement, Replication, ReplicationMode,
    RoutingPolicy,
};
use meridian_model::edit::{add_region, link::default_link, new_service, unique_id};
use meridian_model::time::TimeSpan;
use meridian_model::{Command, LinkId, ServiceId, ServiceKind, apply};
use serde_json::Value;

use super::Skipped;
use super::resource::{
    RawResource, Source, as_f64, as_ref, as_text, as_u32, field, kebab, list, refs_in, texts_in,
};
use super::settings::read_settings;
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
            ids: BTreeMap::new(),
            skipped: Vec::new(),
            supporting_count: 0,
            linked: BTreeSet::new(),
            replicas: BTreeMap::new(),
        };
        for i in 0..n {
            let mut refs = Vec::new();
            refs_in(&b.res[i].props, &mut refs);
            let targets: BTreeSet<usize> =
                refs.iter().filter_map(|r| b.lookup(r)).filter(|j| *j != i).collect();
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
        let mut shared: BTreeSet<usize> = BTreeSet::new();
        loop {
            for i in 0..self.res.len() {
                self.owner[i] = self.kind[i].is_some().then_some(i);
            }
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
                        || ty.contains("iam")
                        || ty.contains("SecurityGroup")
                        || ty.contains("security_group");
                    // A part of one service (a cluster's instance, a node group) names it.
                    let part = PARTS.contains(&ty);
                    let to = if part {
                        self.out_refs[i].iter().find(|j| self.kind[**j].is_some()).copied()
                    } else if attachable {
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
                if !changed {
                    break;
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
        self.supporting_count = (0..self.res.len())
            .filter(|i| {
                self.kind[*i].is_none() && !self.skipped.iter().any(|s| s.address == self.res[*i].address)
            })
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
            if self.kind[i] == Some(ServiceKind::AwsBackup) {
                if let Some(v) = self.copy_vault(i) {
                    let (region, name) = (self.res[v].region.clone(), self.res[v].name.clone());
                    self.res[i].region = region;
                    self.res[i].name = name;
                }
            }
        }
        for i in 0..self.res.len() {
            let Some(kind) = self.kind[i] else { continue };
            if self.catalog.kind(kind).scope == meridian_model::catalog::Scope::Regional {
                match &self.res[i].region {
                    Some(r) => {
                        regions.insert(r.clone());
                    }
                    None => {
                        self.skipped.push(Skipped::new(&self.res[i].address, "no target region: pass --region or name the template after its region, or set the provider's region"));
                        self.kind[i] = None;
                    }
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
        s.name = tag(&self.res[i].props, "Name").unwrap_or_else(|| self.res[i].address.clone());
        for (k, v) in tags(&self.res[i].props) {
            if !k.starts_with("meridian:") && k != "Name" {
                s.tags.insert(k, v);
            }
        }
        let supporting: Vec<&RawResource> = (0..self.res.len())
            .filter(|j| self.owner[*j] == Some(i) && *j != i)
            .map(|j| &self.res[j])
            .collect();
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

    fn links(&mut self, design: &mut Design) {
        for i in 0..self.res.len() {
            let ty = self.res[i].ty.clone();
            let p = self.res[i].props.clone();
            let address = self.res[i].address.clone();
            match ty.as_str() {
                "AWS::Route53::RecordSet" | "aws_route53_record" => self.record(design, i, &p),
                "AWS::ElasticLoadBalancingV2::Listener" | "aws_lb_listener" => {
                    self.listener(design, &p, &address)
                }
                "AWS::CloudFront::Distribution" | "aws_cloudfront_distribution" => {
                    self.distribution(design, i, &p)
                }
                "AWS::GlobalAccelerator::EndpointGroup" | "aws_globalaccelerator_endpoint_group" => {
                    self.endpoint_group(design, &p, &address)
                }
                "AWS::S3::Bucket" => {
                    let rules = field(&p, &["ReplicationConfiguration"]).and_then(|r| field(r, &["Rules"]));
                    for rule in list(rules) {
                        self.s3_rule(design, i, rule, &address);
                    }
                }
                "aws_s3_bucket_replication_configuration" => {
                    if let Some(src) = self.service_at(field(&p, &["bucket"])).first().copied() {
                        for rule in list(field(&p, &["rule"])) {
                            self.s3_rule(design, src, rule, &address);
                        }
                    }
                }
                "AWS::RDS::GlobalCluster" | "aws_rds_global_cluster" => {
                    self.global_cluster(design, i, &p, &address)
                }
                "AWS::ElastiCache::GlobalReplicationGroup" => self.global_cache(design, &p, &address),
                "aws_elasticache_global_replication_group" => self.global_cache_tf(design, i, &p, &address),
                "AWS::Backup::BackupSelection" | "aws_backup_selection" => self.backup(design, &p, &address),
                "AWS::Lambda::EventSourceMapping" | "aws_lambda_event_source_mapping" => {
                    let from = self.service_at(field(&p, &["EventSourceArn", "event_source_arn"]));
                    let to = self.service_at(field(&p, &["FunctionName", "function_name"]));
                    if let (Some(f), Some(t)) = (from.first(), to.first()) {
                        self.default_between(design, *f, *t, &address);
                    }
                }
                "AWS::SNS::Subscription" | "aws_sns_topic_subscription" => {
                    let from = self.service_at(field(&p, &["TopicArn", "topic_arn"]));
                    let to = self.service_at(field(&p, &["Endpoint", "endpoint"]));
                    if let (Some(f), Some(t)) = (from.first(), to.first()) {
                        self.default_between(design, *f, *t, &address);
                    }
                }
                _ => {}
            }
        }
        self.dependencies(design);
    }

    /// A link of the catalog's default kind between two services, once.
    fn default_between(&mut self, design: &mut Design, from: usize, to: usize, address: &str) {
        if from == to || self.linked.contains(&(from, to)) {
            return;
        }
        let (Some(f), Some(t)) = (self.ids.get(&from).cloned(), self.ids.get(&to).cloned()) else { return };
        let (Some(fs), Some(ts)) = (design.service(&f), design.service(&t)) else { return };
        let kind = default_link(self.catalog, self.catalog.kind(fs.kind), self.catalog.kind(ts.kind));
        self.linked.insert((from, to));
        self.push_link(design, &f, &t, kind, address);
    }

    fn push_link(
        &mut self,
        design: &mut Design,
        from: &ServiceId,
        to: &ServiceId,
        kind: LinkKind,
        address: &str,
    ) {
        let id =
            LinkId::new(unique_id(&format!("{from}-to-{to}"), |x| design.link(&LinkId::new(x)).is_some()));
        let link = Link { id, from: from.clone(), to: to.clone(), kind };
        if let Err(e) = apply(design, self.catalog, Command::AddLink(link)) {
            self.skipped.push(Skipped::new(address, format!("link {from} -> {to} not kept: {e}")));
        }
        if let (Some(a), Some(b)) = (self.index_of(from), self.index_of(to)) {
            self.linked.insert((a, b));
        }
    }

    fn index_of(&self, id: &ServiceId) -> Option<usize> {
        self.ids.iter().find(|(_, v)| *v == id).map(|(k, _)| *k)
    }

    /// A routing link, its policy and checks read from the code.
    fn route(
        &mut self,
        design: &mut Design,
        from: usize,
        to: usize,
        policy: Option<RoutingPolicy>,
        hc: Option<Option<HealthCheck>>,
        ttl: Option<TimeSpan>,
        address: &str,
    ) {
        if from == to || self.linked.contains(&(from, to)) {
            return;
        }
        let (Some(f), Some(t)) = (self.ids.get(&from).cloned(), self.ids.get(&to).cloned()) else { return };
        let (Some(fs), Some(ts)) = (design.service(&f), design.service(&t)) else { return };
        let mut kind = default_link(self.catalog, self.catalog.kind(fs.kind), self.catalog.kind(ts.kind));
        if let LinkKind::Routing(r) = &mut kind {
            if let Some(p) = policy {
                r.policy = p;
            }
            if let Some(h) = hc {
                r.health_check = h;
            }
            if ttl.is_some() && r.ttl.is_some() {
                r.ttl = ttl;
            }
        }
        self.push_link(design, &f, &t, kind, address);
    }

    fn record(&mut self, design: &mut Design, _i: usize, p: &Value) {
        let address = self.res[_i].address.clone();
        let Some(zone) = self.service_at(field(p, &["HostedZoneId", "zone_id"])).first().copied() else {
            return;
        };
        let targets = self.service_at(field(p, &["ResourceRecords", "records", "AliasTarget", "alias"]));
        let Some(target) = targets.first().copied() else {
            self.skipped.push(Skipped::new(&address, "record's target is not a resource of the input"));
            return;
        };
        let policy = if let Some(role) = field(p, &["Failover"])
            .or_else(|| field(p, &["failover_routing_policy"]).and_then(|f| field(f, &["type"])))
            .and_then(as_text)
        {
            Some(RoutingPolicy::Failover {
                role: if role.eq_ignore_ascii_case("SECONDARY") {
                    FailoverRole::Secondary
                } else {
                    FailoverRole::Primary
                },
            })
        } else if let Some(w) = field(p, &["Weight"])
            .or_else(|| field(p, &["weighted_routing_policy"]).and_then(|f| field(f, &["weight"])))
            .and_then(as_u32)
        {
            Some(RoutingPolicy::Weighted { weight: w })
        } else if field(p, &["Region", "latency_routing_policy"]).is_some() {
            Some(RoutingPolicy::Latency)
        } else if field(p, &["GeoLocation", "geolocation_routing_policy"]).is_some() {
            Some(RoutingPolicy::Geolocation { continents: Vec::new() })
        } else {
            None
        };
        let hc_res =
            field(p, &["HealthCheckId", "health_check_id"]).and_then(as_ref).and_then(|r| self.lookup(r));
        let hc = hc_res.map(|h| {
            let hp = &self.res[h].props;
            let cfg = field(hp, &["HealthCheckConfig"]).unwrap_or(hp);
            let interval =
                field(cfg, &["RequestInterval", "request_interval"]).and_then(as_f64).unwrap_or(30.0);
            let threshold =
                field(cfg, &["FailureThreshold", "failure_threshold"]).and_then(as_u32).unwrap_or(3);
            HealthCheck { interval: TimeSpan::from_secs_f64(interval), failure_threshold: threshold }
        });
        let ttl = field(p, &["TTL", "ttl"]).and_then(as_f64).map(TimeSpan::from_secs_f64);
        self.route(design, zone, target, policy, Some(hc), ttl, &address);
    }

    /// Target groups a listener forwards to, with their weights.
    fn listener(&mut self, design: &mut Design, p: &Value, address: &str) {
        let Some(lb) = self.service_at(field(p, &["LoadBalancerArn", "load_balancer_arn"])).first().copied()
        else {
            return;
        };
        let mut groups: Vec<(String, Option<u32>)> = Vec::new();
        for action in list(field(p, &["DefaultActions", "default_action"])) {
            if let Some(r) = field(action, &["TargetGroupArn", "target_group_arn"]).and_then(as_ref) {
                groups.push((r.to_owned(), None));
            }
            let fwd = field(action, &["ForwardConfig", "forward"]);
            for tg in list(fwd.and_then(|f| field(f, &["TargetGroups", "target_group"]))) {
                if let Some(r) = field(tg, &["TargetGroupArn", "arn"]).and_then(as_ref) {
                    groups.push((r.to_owned(), field(tg, &["Weight", "weight"]).and_then(as_u32)));
                }
            }
        }
        for (g, weight) in groups {
            let Some(tg) = self.lookup(&g) else { continue };
            let tp = self.res[tg].props.clone();
            let hcv = field(&tp, &["health_check"]).unwrap_or(&tp);
            let interval = field(hcv, &["HealthCheckIntervalSeconds", "interval"]).and_then(as_f64);
            let threshold = field(hcv, &["UnhealthyThresholdCount", "unhealthy_threshold"]).and_then(as_u32);
            let hc = match (interval, threshold) {
                (None, None) => None,
                (i, t) => Some(Some(HealthCheck {
                    interval: TimeSpan::from_secs_f64(i.unwrap_or(30.0)),
                    failure_threshold: t.unwrap_or(2),
                })),
            };
            // Targets: services that name the group, the group's own targets, attachments.
            let mut targets: Vec<usize> = self.in_refs[tg]
                .iter()
                .filter_map(|j| {
                    self.service_of(*j).filter(|_| {
                        !self.ty(*j).contains("Listener")
                            && !self.ty(*j).contains("listener")
                            && !self.ty(*j).contains("Alarm")
                            && !self.ty(*j).contains("alarm")
                    })
                })
                .collect();
            targets.extend(self.service_at(field(&tp, &["Targets"])));
            for j in self.in_refs[tg].clone() {
                if self.ty(j) == "aws_lb_target_group_attachment" {
                    targets.extend(self.service_at(field(&self.res[j].props.clone(), &["target_id"])));
                }
            }
            targets.sort_unstable();
            targets.dedup();
            targets.retain(|t| *t != lb);
            if targets.is_empty() {
                let tg_address = self.res[tg].address.clone();
                self.skipped.push(Skipped::new(
                    &tg_address,
                    "target group has no targets in the code (registered outside it): no routing link",
                ));
            }
            for t in targets {
                let policy = Some(RoutingPolicy::Weighted { weight: weight.unwrap_or(1) });
                self.route(design, lb, t, policy, hc.clone(), None, address);
            }
        }
    }

    fn distribution(&mut self, design: &mut Design, i: usize, p: &Value) {
        let address = self.res[i].address.clone();
        let Some(cdn) = self.service_of(i) else { return };
        let cfg = field(p, &["DistributionConfig"]).unwrap_or(p);
        let origins = list(field(cfg, &["Origins", "origin"]));
        let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
        for o in &origins {
            let id = field(o, &["Id", "origin_id"]).and_then(as_text).unwrap_or_default().to_owned();
            let target =
                self.service_at(field(o, &["DomainName", "domain_name"])).first().copied().or_else(|| {
                    field(o, &["DomainName", "domain_name"]).and_then(as_text).and_then(|t| self.by_name(t))
                });
            match target {
                Some(t) => {
                    by_id.insert(id, t);
                }
                None => self.skipped.push(Skipped::new(
                    &address,
                    format!("origin {id}'s domain is not a resource of the input"),
                )),
            }
        }
        let groups = field(cfg, &["OriginGroups"])
            .and_then(|g| field(g, &["Items"]))
            .map_or_else(|| list(field(cfg, &["origin_group"])), |g| list(Some(g)));
        for g in groups {
            let members: Vec<String> = field(g, &["Members"]).and_then(|m| field(m, &["Items"])).map_or_else(
                || {
                    list(field(g, &["member"]))
                        .iter()
                        .filter_map(|m| field(m, &["origin_id"]).and_then(as_text).map(str::to_owned))
                        .collect()
                },
                |m| {
                    list(Some(m))
                        .iter()
                        .filter_map(|x| field(x, &["OriginId"]).and_then(as_text).map(str::to_owned))
                        .collect()
                },
            );
            for (n, m) in members.iter().enumerate() {
                if let Some(t) = by_id.get(m).copied() {
                    let role = if n == 0 { FailoverRole::Primary } else { FailoverRole::Secondary };
                    self.route(design, cdn, t, Some(RoutingPolicy::Failover { role }), None, None, &address);
                }
            }
        }
        for t in by_id.into_values() {
            self.default_between(design, cdn, t, &address);
        }
        // Lambda@Edge associations.
        let mut refs = Vec::new();
        refs_in(cfg, &mut refs);
        let edges: Vec<usize> = refs
            .iter()
            .filter_map(|r| self.lookup(r))
            .filter(|j| self.kind[*j] == Some(ServiceKind::LambdaEdge))
            .filter_map(|j| self.service_of(j))
            .collect();
        for e in edges {
            self.default_between(design, cdn, e, &address);
        }
    }

    fn endpoint_group(&mut self, design: &mut Design, p: &Value, address: &str) {
        let listener =
            field(p, &["ListenerArn", "listener_arn"]).and_then(as_ref).and_then(|r| self.lookup(r));
        let Some(acc) = listener.and_then(|l| {
            self.service_at(field(&self.res[l].props.clone(), &["AcceleratorArn", "accelerator_arn"]))
                .first()
                .copied()
        }) else {
            return;
        };
        let interval =
            field(p, &["HealthCheckIntervalSeconds", "health_check_interval_seconds"]).and_then(as_f64);
        let threshold = field(p, &["ThresholdCount", "threshold_count"]).and_then(as_u32);
        let hc = interval.map(|i| {
            Some(HealthCheck {
                interval: TimeSpan::from_secs_f64(i),
                failure_threshold: threshold.unwrap_or(3),
            })
        });
        for e in list(field(p, &["EndpointConfigurations", "endpoint_configuration"])) {
            let weight = field(e, &["Weight", "weight"]).and_then(as_u32);
            if let Some(t) = self.service_at(field(e, &["EndpointId", "endpoint_id"])).first().copied() {
                // Endpoint groups are chosen by latency (the catalog's default); a weight shares
                // traffic among the endpoints of one group.
                let _ = weight;
                self.route(design, acc, t, None, hc.clone(), None, address);
            }
        }
    }

    fn s3_rule(&mut self, design: &mut Design, src: usize, rule: &Value, address: &str) {
        let dest = field(rule, &["Destination", "destination"]);
        let bucket = dest.and_then(|d| field(d, &["Bucket", "bucket"]));
        let target = self
            .service_at(bucket)
            .first()
            .copied()
            .or_else(|| bucket.and_then(as_text).and_then(|t| self.by_name(t)));
        let Some(t) = target else {
            self.skipped.push(Skipped::new(address, "replication destination is not a bucket of the input"));
            return;
        };
        let rtc = dest
            .and_then(|d| field(d, &["ReplicationTime", "replication_time"]))
            .and_then(|r| field(r, &["Status", "status"]))
            .and_then(as_text)
            == Some("Enabled");
        let (Some(f), Some(to)) = (self.ids.get(&src).cloned(), self.ids.get(&t).cloned()) else { return };
        if self.linked.contains(&(src, t)) {
            return;
        }
        let mut r = Replication::new(ReplicationMode::Async);
        r.rtc = rtc;
        self.push_link(design, &f, &to, LinkKind::Replication(r), address);
    }

    fn global_cluster(&mut self, design: &mut Design, i: usize, p: &Value, address: &str) {
        // Members name the global cluster by reference, or by its identifier (from another template).
        let name = field(p, &["GlobalClusterIdentifier", "global_cluster_identifier"])
            .and_then(as_text)
            .map(str::to_owned);
        let mut members: Vec<usize> =
            self.in_refs[i].iter().copied().filter(|j| self.kind[*j] == Some(ServiceKind::Aurora)).collect();
        if let Some(n) = &name {
            members.extend((0..self.res.len()).filter(|j| {
                self.kind[*j] == Some(ServiceKind::Aurora)
                    && field(&self.res[*j].props, &["GlobalClusterIdentifier", "global_cluster_identifier"])
                        .and_then(as_text)
                        == Some(n.as_str())
            }));
        }
        members.sort_unstable();
        members.dedup();
        // The primary: named by the global cluster, else the member holding the credentials.
        let creds = |m: &usize| {
            field(
                &self.res[*m].props,
                &[
                    "MasterUsername",
                    "ManageMasterUserPassword",
                    "master_username",
                    "manage_master_user_password",
                ],
            )
            .is_some()
        };
        let primary = self
            .service_at(field(p, &["SourceDBClusterIdentifier", "source_db_cluster_identifier"]))
            .first()
            .copied()
            .or_else(|| members.iter().copied().find(creds));
        let Some(primary) = primary else {
            if !members.is_empty() {
                self.skipped.push(Skipped::new(address, "global cluster: no member is the primary (no source cluster, no member with credentials)"));
            }
            return;
        };
        for m in members.into_iter().filter(|m| *m != primary) {
            let (Some(f), Some(t)) = (self.ids.get(&primary).cloned(), self.ids.get(&m).cloned()) else {
                continue;
            };
            self.push_link(
                design,
                &f,
                &t,
                LinkKind::Replication(Replication::new(ReplicationMode::Async)),
                address,
            );
        }
    }

    fn global_cache(&mut self, design: &mut Design, p: &Value, address: &str) {
        let mut primary = None;
        let mut secondaries = Vec::new();
        for m in list(field(p, &["Members"])) {
            let s = self.service_at(field(m, &["ReplicationGroupId"])).first().copied();
            if field(m, &["Role"]).and_then(as_text) == Some("PRIMARY") {
                primary = s
            } else {
                secondaries.extend(s)
            }
        }
        if let Some(pr) = primary {
            for s in secondaries {
                let (Some(f), Some(t)) = (self.ids.get(&pr).cloned(), self.ids.get(&s).cloned()) else {
                    continue;
                };
                self.push_link(
                    design,
                    &f,
                    &t,
                    LinkKind::Replication(Replication::new(ReplicationMode::Async)),
                    address,
                );
            }
        }
    }

    fn global_cache_tf(&mut self, design: &mut Design, i: usize, p: &Value, address: &str) {
        let Some(pr) = self.service_at(field(p, &["primary_replication_group_id"])).first().copied() else {
            return;
        };
        for m in self.in_refs[i].clone() {
            if self.kind[m] == Some(ServiceKind::ElastiCache) && m != pr {
                let (Some(f), Some(t)) = (self.ids.get(&pr).cloned(), self.ids.get(&m).cloned()) else {
                    continue;
                };
                self.push_link(
                    design,
                    &f,
                    &t,
                    LinkKind::Replication(Replication::new(ReplicationMode::Async)),
                    address,
                );
            }
        }
    }

    fn backup(&mut self, design: &mut Design, p: &Value, address: &str) {
        let sel = field(p, &["BackupSelection"]).unwrap_or(p);
        let Some(plan_i) =
            field(p, &["BackupPlanId", "plan_id"]).and_then(as_ref).and_then(|r| self.lookup(r))
        else {
            return;
        };
        let Some(vault) = self.service_of(plan_i) else { return };
        let plan = self.res[plan_i].props.clone();
        let rule = field(&plan, &["BackupPlan"])
            .and_then(|b| field(b, &["BackupPlanRule"]))
            .or_else(|| field(&plan, &["rule"]));
        let rule = rule
            .map(|r| list(Some(r)).first().copied().cloned().unwrap_or(Value::Null))
            .unwrap_or(Value::Null);
        let every =
            field(&rule, &["ScheduleExpression", "schedule"]).and_then(as_text).and_then(schedule_interval);
        let retention = field(&rule, &["Lifecycle", "lifecycle"])
            .and_then(|l| field(l, &["DeleteAfterDays", "delete_after"]))
            .and_then(as_f64);
        let mut stores = self.service_at(field(sel, &["Resources", "resources"]));
        stores.extend(
            list(field(sel, &["Resources", "resources"]))
                .iter()
                .filter_map(|t| as_text(t))
                .filter_map(|t| self.by_name(t)),
        );
        stores.sort_unstable();
        stores.dedup();
        let defaults = meridian_model::edit::link::default_backup(self.catalog);
        for s in stores {
            let (Some(f), Some(t)) = (self.ids.get(&s).cloned(), self.ids.get(&vault).cloned()) else {
                continue;
            };
            let b = Backup {
                every: every.unwrap_or(defaults.every),
                retention: retention.map_or(defaults.retention, |d| TimeSpan::from_secs_f64(d * 86_400.0)),
                restore_time: None,
            };
            self.push_link(design, &f, &t, LinkKind::Backup(b), address);
        }
    }

    /// The service whose resource name appears in `text` (an ARN or a name built from parameters).
    fn by_name(&self, text: &str) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for (i, _) in &self.ids {
            for key in [
                "BucketName",
                "TableName",
                "QueueName",
                "TopicName",
                "FunctionName",
                "ReplicationGroupId",
                "DBClusterIdentifier",
                "DBInstanceIdentifier",
                "bucket",
                "name",
                "function_name",
                "replication_group_id",
                "cluster_identifier",
                "identifier",
            ] {
                let Some(name) = self.res[*i].props.get(key).and_then(as_text) else { continue };
                if name.len() < 4 {
                    continue;
                }
                if let Some(at) = text.find(name) {
                    let next = text[at + name.len()..].chars().next();
                    if next.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                        && best.is_none_or(|(l, _)| name.len() > l)
                    {
                        best = Some((name.len(), *i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }

    /// Dependencies: a service whose own properties or IAM policies name another service, and a
    /// security group that admits another service's group.
    fn dependencies(&mut self, design: &mut Design) {
        let services: Vec<usize> = self.ids.keys().copied().collect();
        for a in services {
            let mut targets: Vec<usize> = Vec::new();
            let mut replica_targets: Vec<ServiceId> = Vec::new();
            let parts: Vec<usize> = (0..self.res.len()).filter(|j| self.owner[*j] == Some(a)).collect();
            for j in parts {
                let ty = self.ty(j).to_owned();
                let iam = ty.contains("IAM") || ty.contains("iam");
                let sg = ty.contains("SecurityGroup") || ty.contains("security_group");
                if j == a || iam {
                    let mut texts = Vec::new();
                    texts_in(&self.res[j].props, &mut texts);
                    if iam {
                        for t in texts.iter().filter(|t| t.contains(':')) {
                            let Some(x) = self.by_name(t) else { continue };
                            let replica = self
                                .replicas
                                .iter()
                                .find(|((table, r), _)| *table == x && t.contains(&format!(":{r}:")))
                                .map(|(_, id)| id.clone());
                            match replica {
                                Some(id) => replica_targets.push(id),
                                None => targets.push(x),
                            }
                        }
                    }
                    let mut refs = Vec::new();
                    refs_in(&self.res[j].props, &mut refs);
                    targets.extend(
                        refs.iter()
                            .filter_map(|r| self.lookup(r))
                            .filter(|x| self.kind[*x].is_some())
                            .filter_map(|x| self.service_of(x)),
                    );
                }
                if sg {
                    // Ingress from another service's group: that service calls this one.
                    let ingress = field(&self.res[j].props, &["SecurityGroupIngress", "ingress"]);
                    let mut refs = Vec::new();
                    for rule in list(ingress) {
                        refs_in(rule, &mut refs);
                    }
                    if ty == "AWS::EC2::SecurityGroupIngress"
                        || ty == "aws_vpc_security_group_ingress_rule"
                        || ty == "aws_security_group_rule"
                    {
                        refs_in(
                            field(
                                &self.res[j].props,
                                &[
                                    "SourceSecurityGroupId",
                                    "referenced_security_group_id",
                                    "source_security_group_id",
                                ],
                            )
                            .unwrap_or(&Value::Null),
                            &mut refs,
                        );
                        let into =
                            self.service_at(field(&self.res[j].props, &["GroupId", "security_group_id"]));
                        if into.first() != Some(&a) {
                            continue;
                        }
                    }
                    let callers: Vec<usize> = refs
                        .iter()
                        .filter_map(|r| self.lookup(r))
                        .filter_map(|x| self.service_of(x))
                        .collect();
                    for c in callers {
                        if c != a && !self.linked.contains(&(a, c)) {
                            self.default_between(design, c, a, &self.res[j].address.clone());
                        }
                    }
                }
            }
            replica_targets.sort();
            replica_targets.dedup();
            for id in replica_targets {
                let (Some(f), Some(fs), Some(ts)) = (
                    self.ids.get(&a).cloned(),
                    self.ids.get(&a).and_then(|x| design.service(x)),
                    design.service(&id),
                ) else {
                    continue;
                };
                if design.link_joining(&f, &id, meridian_model::design::LinkKindTag::Dependency).is_some() {
                    continue;
                }
                let kind = default_link(self.catalog, self.catalog.kind(fs.kind), self.catalog.kind(ts.kind));
                let addr = self.res[a].address.clone();
                self.push_link(design, &f, &id, kind, &addr);
            }
            targets.sort_unstable();
            targets.dedup();
            for t in targets {
                if t != a && !self.linked.contains(&(t, a)) {
                    let addr = self.res[a].address.clone();
                    self.default_between(design, a, t, &addr);
                }
            }
        }
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
    if let (Some(o), Some(r)) = (own.and_then(|o| short(o.as_str())), short(region)) {
        if let Some(stem) = primary.strip_suffix(&o) {
            return format!("{stem}{r}");
        }
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

/// The interval of an AWS Backup schedule: `rate(N unit)`, or a cron expression's hour field
/// (`*` hourly, `*/N` every N hours, a fixed hour daily).
pub(crate) fn schedule_interval(s: &str) -> Option<TimeSpan> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix("rate(").and_then(|x| x.strip_suffix(')')) {
        let (n, unit) = inner.split_once(' ')?;
        let n: u64 = n.parse().ok()?;
        let secs = match unit.trim_end_matches('s') {
            "minute" => 60,
            "hour" => 3600,
            "day" => 86_400,
            _ => return None,
        };
        return Some(TimeSpan::from_secs(n * secs));
    }
    let inner = s.strip_prefix("cron(")?.strip_suffix(')')?;
    let fields: Vec<&str> = inner.split_whitespace().collect();
    let hour = *fields.get(1)?;
    let day = *fields.get(2)?;
    if day != "*" && day != "?" {
        return None;
    }
    if hour == "*" {
        Some(TimeSpan::HOUR)
    } else if let Some(n) = hour.strip_prefix("*/").or_else(|| hour.strip_prefix("0/")) {
        n.parse::<u64>().ok().map(|n| TimeSpan::from_secs(n * 3600))
    } else if hour.contains(',') {
        let n = hour.split(',').count() as u64;
        (24 % n == 0).then(|| TimeSpan::from_secs(24 / n * 3600))
    } else {
        hour.parse::<u64>().ok().map(|_| TimeSpan::from_secs(86_400))
    }
}
