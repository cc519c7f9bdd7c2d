//! Links read from the resources that make them: Route 53 records and health checks, listeners
//! and target groups, CloudFront origins, Global Accelerator endpoint groups, S3 replication
//! rules, Aurora global clusters, ElastiCache global datastores, backup selections, event source
//! mappings and topic subscriptions.

use meridian_model::design::{
    Backup, Design, FailoverRole, HealthCheck, Link, LinkKind, Replication, ReplicationMode, RoutingPolicy,
};
use meridian_model::edit::link::default_link;
use meridian_model::edit::unique_id;
use meridian_model::time::TimeSpan;
use meridian_model::{Command, LinkId, ServiceId, ServiceKind, apply};
use serde_json::Value;
use std::collections::BTreeMap;

use super::Builder;
use crate::import::input::Skipped;
use crate::import::resource::{as_f64, as_ref, as_text, as_u32, field, list, refs_in};

/// What the code says about a route; what it leaves out takes the catalog's default link.
struct Route {
    /// The routing policy, when the code states one.
    policy: Option<RoutingPolicy>,
    /// The health check.
    health: Health,
    /// The DNS TTL (DNS routers only).
    ttl: Option<TimeSpan>,
}

/// A route's health check as read.
#[derive(Clone)]
enum Health {
    /// Not stated: the catalog's default.
    Default,
    /// Stated: this check, or none.
    Read(Option<HealthCheck>),
}

impl Builder<'_> {
    pub(super) fn links(&mut self, design: &mut Design) {
        for i in 0..self.res.len() {
            let ty = self.res[i].ty.clone();
            let p = self.res[i].props.clone();
            let address = self.res[i].address.clone();
            match ty.as_str() {
                "AWS::Route53::RecordSet" | "aws_route53_record" => self.record(design, i, &p),
                "AWS::ElasticLoadBalancingV2::Listener" | "aws_lb_listener" => {
                    self.listener(design, &p, &address);
                }
                "AWS::CloudFront::Distribution" | "aws_cloudfront_distribution" => {
                    self.distribution(design, i, &p);
                }
                "AWS::GlobalAccelerator::EndpointGroup" | "aws_globalaccelerator_endpoint_group" => {
                    self.endpoint_group(design, &p, &address);
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
                    self.global_cluster(design, i, &p, &address);
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
                // An event bus rule's targets (Terraform writes each target as a resource).
                "AWS::Events::Rule" | "aws_cloudwatch_event_target" => {
                    let from = self.service_at(field(&p, &["EventBusName", "event_bus_name"]));
                    let mut to = self.service_at(field(&p, &["arn"]));
                    for target in list(field(&p, &["Targets"])) {
                        to.extend(self.service_at(field(target, &["Arn"])));
                    }
                    if let Some(f) = from.first() {
                        for t in to {
                            self.default_between(design, *f, t, &address);
                        }
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
    pub(super) fn default_between(&mut self, design: &mut Design, from: usize, to: usize, address: &str) {
        if from == to || self.linked.contains(&(from, to)) {
            return;
        }
        let (Some(f), Some(t)) = (self.ids.get(&from).cloned(), self.ids.get(&to).cloned()) else { return };
        let (Some(fs), Some(ts)) = (design.service(&f), design.service(&t)) else { return };
        let kind = default_link(self.catalog, self.catalog.kind(fs.kind), self.catalog.kind(ts.kind));
        self.linked.insert((from, to));
        self.push_link(design, &f, &t, kind, address);
    }

    pub(super) fn push_link(
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
    fn route(&mut self, design: &mut Design, from: usize, to: usize, spec: Route, address: &str) {
        let Route { policy, health, ttl } = spec;
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
            if let Health::Read(h) = health {
                r.health_check = h;
            }
            if ttl.is_some() && r.ttl.is_some() {
                r.ttl = ttl;
            }
        }
        self.push_link(design, &f, &t, kind, address);
    }

    fn record(&mut self, design: &mut Design, i: usize, p: &Value) {
        let address = self.res[i].address.clone();
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
        self.route(design, zone, target, Route { policy, health: Health::Read(hc), ttl }, &address);
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
            // A group without health-check settings has AWS's defaults (30 s, 2 failures).
            let health = match (interval, threshold) {
                (None, None) => Health::Default,
                (i, t) => Health::Read(Some(HealthCheck {
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
                self.route(design, lb, t, Route { policy, health: health.clone(), ttl: None }, address);
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
                    let spec = Route {
                        policy: Some(RoutingPolicy::Failover { role }),
                        health: Health::Default,
                        ttl: None,
                    };
                    self.route(design, cdn, t, spec, &address);
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
        let health = interval.map_or(Health::Default, |i| {
            Health::Read(Some(HealthCheck {
                interval: TimeSpan::from_secs_f64(i),
                failure_threshold: threshold.unwrap_or(3),
            }))
        });
        for e in list(field(p, &["EndpointConfigurations", "endpoint_configuration"])) {
            let weight = field(e, &["Weight", "weight"]).and_then(as_u32);
            if let Some(t) = self.service_at(field(e, &["EndpointId", "endpoint_id"])).first().copied() {
                // Endpoint groups are chosen by latency (the catalog's default); a weight shares
                // traffic among the endpoints of one group.
                let _ = weight;
                self.route(
                    design,
                    acc,
                    t,
                    Route { policy: None, health: health.clone(), ttl: None },
                    address,
                );
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
                primary = s;
            } else {
                secondaries.extend(s);
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
        let rule =
            rule.map_or(Value::Null, |r| list(Some(r)).first().copied().cloned().unwrap_or(Value::Null));
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
