//! Decisions both writers share, so CloudFormation and Terraform say the same thing: who may call
//! a service, health-check timings, backup schedules, what a compute service may do to its
//! dependencies, DNS names and continent codes.

use meridian_model::ServiceKind;
use meridian_model::design::{Link, LinkKind, Service};
use meridian_model::geo::Continent;
use meridian_model::ids::{RegionId, ServiceId};

use super::names::{Names, pascal, snake};
use super::plan::Plan;

/// The TLS policy of load balancer listeners (TLS 1.3 and 1.2 only).
pub const TLS_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/// Days log groups keep their events (the bill prices the same retention).
pub use meridian_model::cost::footprint::LOG_RETENTION_DAYS;
/// Placeholder function code, replaced by the user's own (see DEPLOY.md).
pub const PLACEHOLDER_CODE: &str = "def handler(event, context):\n    # Deploy the function's code over this placeholder (see DEPLOY.md).\n    return {\"statusCode\": 503, \"body\": \"not deployed yet\"}\n";

/// Services in the same region that call `s` (load balancers, containers, functions), for its
/// security group's ingress rules; sorted, no duplicates.
pub fn callers(plan: &Plan, s: &Service) -> Vec<ServiceId> {
    let mut callers: Vec<_> = plan
        .design
        .links_to(&s.id)
        .filter(|l| matches!(l.kind, LinkKind::Dependency(_) | LinkKind::Routing(_)))
        .filter(|l| plan.region_of(&l.from) == plan.region_of(&s.id) && plan.exported.contains(&l.from))
        .filter(|l| plan.kind_of(&l.from).is_some_and(calls_from_vpc))
        .map(|l| l.from.clone())
        .collect();
    callers.sort();
    callers.dedup();
    callers
}

/// Whether services of `kind` call others from inside the VPC (so security groups admit them).
fn calls_from_vpc(kind: ServiceKind) -> bool {
    match kind {
        ServiceKind::Alb
        | ServiceKind::Nlb
        | ServiceKind::EcsFargate
        | ServiceKind::Ec2Asg
        | ServiceKind::Lambda => true,
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
        | ServiceKind::Eks
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
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => false,
    }
}

/// A load balancer target group's port and target type for a target of `kind`: containers and
/// instances listen on 8080 (instances registered by id), anything else on 443 by IP.
pub fn target_group(kind: ServiceKind) -> (u16, &'static str) {
    match kind {
        ServiceKind::EcsFargate => (8080, "ip"),
        ServiceKind::Ec2Asg => (8080, "instance"),
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
        | ServiceKind::TransitGateway => (443, "ip"),
    }
}

/// A load balancer target group's health check of a routing link: (interval secs, threshold).
pub fn target_health(link: &Link) -> (u64, u32) {
    let LinkKind::Routing(routing) = &link.kind else { return (30, 3) };
    routing.health_check.as_ref().map_or((30, 3), |h| {
        ((h.interval.as_micros() / 1_000_000).clamp(5, 300), h.failure_threshold.clamp(2, 10))
    })
}

/// A DNS or accelerator health check's interval: 10 s (fast) or 30 s (standard).
pub fn edge_interval_secs(interval_micros: u64) -> u32 {
    if interval_micros <= 10_000_000 { 10 } else { 30 }
}

/// Backup links from exported stores in `region` that no residency rule drops.
pub fn backup_links<'a>(plan: &Plan<'a>, region: &RegionId) -> Vec<&'a Link> {
    plan.design
        .links()
        .filter(|l| {
            matches!(l.kind, LinkKind::Backup(_))
                && plan.region_of(&l.from) == Some(region)
                && !plan.dropped.contains_key(&l.id)
                && plan.exported.contains(&l.from)
        })
        .collect()
}

/// A backup link's schedule (a cron expression) and retention in days.
pub fn backup_schedule(link: &Link) -> (String, u64) {
    let LinkKind::Backup(b) = &link.kind else { return ("cron(0 5 * * ? *)".to_owned(), 1) };
    let hours = (b.every.as_micros() / 3_600_000_000).clamp(1, 24);
    let schedule =
        if hours >= 24 { "cron(0 5 * * ? *)".to_owned() } else { format!("cron(0 0/{hours} * * ? *)") };
    (schedule, (b.retention.as_micros() / 86_400_000_000).max(1))
}

/// The region a backup link copies to, when it copies to a vault in another region.
pub fn backup_copy_region(plan: &Plan, link: &Link, region: &RegionId) -> Option<RegionId> {
    let to = plan.region_of(&link.to)?;
    (to != region && plan.kind_of(&link.to) == Some(ServiceKind::AwsBackup)).then(|| to.clone())
}

/// What a compute service may do to one of its dependencies.
pub struct Access<'a> {
    /// The dependency link.
    pub link: &'a Link,
    /// The dependency.
    pub target: &'a Service,
    /// IAM actions allowed.
    pub actions: Vec<&'static str>,
    /// Whether the target encrypts with the region's KMS key (the caller needs kms:Decrypt too).
    pub needs_key: bool,
}

/// The dependencies `s` calls that the export grants access to, with the actions.
pub fn access<'a>(plan: &Plan<'a>, s: &Service) -> Vec<Access<'a>> {
    let mut out = Vec::new();
    for l in plan.design.links_from(&s.id).filter(|l| matches!(l.kind, LinkKind::Dependency(_))) {
        let Some(target) = plan.design.service(&l.to) else { continue };
        let same = plan.region_of(&l.to) == plan.region_of(&s.id);
        let actions = match target.kind {
            ServiceKind::DynamoDb => vec![
                "dynamodb:GetItem",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:Query",
                "dynamodb:BatchGetItem",
                "dynamodb:BatchWriteItem",
            ],
            ServiceKind::S3 => vec!["s3:GetObject", "s3:PutObject"],
            ServiceKind::Sqs if same => {
                vec!["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
            }
            ServiceKind::Sns if same => vec!["sns:Publish"],
            // Calls into the region's functions, state machines, event buses and endpoints (see
            // `calls::trace`; another region's are not granted).
            ServiceKind::Lambda if same => vec!["lambda:InvokeFunction"],
            ServiceKind::StepFunctions if same => vec!["states:StartExecution"],
            ServiceKind::EventBridge if same => vec!["events:PutEvents"],
            ServiceKind::SageMakerEndpoint if same => vec!["sagemaker:InvokeEndpoint"],
            ServiceKind::Aurora if same && plan.group_of(&l.to).is_none_or(|g| g.primary == l.to) => {
                vec!["rds-db:connect"]
            }
            // Queues, topics and databases in another region (and Aurora secondaries) are not
            // granted; the other kinds are not called with IAM-authorised data-plane actions.
            ServiceKind::Sqs
            | ServiceKind::Sns
            | ServiceKind::Aurora
            | ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::AwsBackup
            | ServiceKind::AwsConfig
            | ServiceKind::CloudFront
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
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
            | ServiceKind::StepFunctions
            | ServiceKind::TransitGateway => continue,
        };
        let needs_key = encrypts_with_region_key(target.kind);
        out.push(Access { link: l, target, actions, needs_key });
    }
    out
}

/// Whether the export encrypts a service of `kind` with its region's KMS key (so callers need
/// `kms:Decrypt` too).
fn encrypts_with_region_key(kind: ServiceKind) -> bool {
    match kind {
        ServiceKind::S3 | ServiceKind::Sqs | ServiceKind::Sns => true,
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
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => false,
    }
}

/// The DynamoDB table name's suffix a member of a global table uses (the primary's id).
pub fn table_of<'a>(plan: &'a Plan, service: &'a ServiceId) -> &'a str {
    plan.group_of(service).map_or(service.as_str(), |g| g.primary.as_str())
}

/// A Route 53 record name: the service's name when it is a domain name, else `app.<zone>`.
pub fn record_name(s: &Service) -> String {
    if s.name.contains('.') && !s.name.contains(' ') { s.name.clone() } else { format!("app.{}", zone_of(s)) }
}

/// The hosted zone: the last two labels of the record name, or `example.com`.
pub fn zone_of(s: &Service) -> String {
    if s.name.contains('.') && !s.name.contains(' ') {
        let labels: Vec<&str> = s.name.split('.').collect();
        labels[labels.len().saturating_sub(2)..].join(".")
    } else {
        "example.com".into()
    }
}

/// Route 53's code of a continent.
pub fn continent_code(c: Continent) -> &'static str {
    match c {
        Continent::Africa => "AF",
        Continent::Antarctica => "AN",
        Continent::Asia => "AS",
        Continent::Europe => "EU",
        Continent::NorthAmerica => "NA",
        Continent::Oceania => "OC",
        Continent::SouthAmerica => "SA",
    }
}

/// A Lambda function's memory in MiB from the design (512 when it says nothing), as the bill
/// prices it.
pub use meridian_model::sizing::lambda_memory_mib;

/// Whether a CloudFront distribution reads from a service (its key and bucket admit CloudFront).
pub fn behind_cloudfront(plan: &Plan, s: &ServiceId) -> bool {
    plan.design.links_to(s).any(|l| plan.kind_of(&l.from) == Some(ServiceKind::CloudFront))
}

/// A weighted link's weight capped at `max`, or `default` for other policies.
pub fn weight(link: &Link, max: u32, default: u32) -> u32 {
    match &link.kind {
        LinkKind::Routing(r) => match r.policy {
            meridian_model::design::RoutingPolicy::Weighted { weight } => weight.min(max),
            _ => default,
        },
        _ => default,
    }
}

/// Alarm thresholds and what they watch. Thresholds are design choices, not published figures:
/// a DynamoDB replica a minute behind, an Aurora secondary ten seconds behind, an S3 object not
/// replicated within Replication Time Control's 15 minutes, any unhealthy target for 3 minutes.
pub mod alarm {
    /// DynamoDB `ReplicationLatency` (milliseconds) above which the alarm fires.
    pub const TABLE_LAG_MS: u32 = 60_000;
    /// Aurora `AuroraGlobalDBReplicationLag` (milliseconds) above which the alarm fires.
    pub const AURORA_LAG_MS: u32 = 10_000;
    /// S3 `ReplicationLatency` (seconds) above which the alarm fires: RTC's 15 minutes.
    pub const BUCKET_LAG_SECS: u32 = 900;
    /// Period of every alarm, seconds.
    pub const PERIOD_SECS: u32 = 60;
    /// Periods in breach before an alarm fires.
    pub const EVALUATION_PERIODS: u32 = 3;
}

/// What a replication-lag alarm watches.
pub enum Lag {
    /// A DynamoDB global table (named after the group's primary) replicating to `receiving`.
    Table {
        /// The primary of the global table.
        table: ServiceId,
        /// The region receiving the writes.
        receiving: RegionId,
        /// Whether the table has more than two regions, so that two regions watch writes to the
        /// same receiving region and Terraform names (one module) say which region watches.
        wide: bool,
    },
    /// An Aurora secondary cluster of a global database.
    Aurora {
        /// The secondary cluster.
        cluster: ServiceId,
    },
    /// An S3 replication rule with Replication Time Control (its metrics exist only then).
    Bucket {
        /// The rule (the link).
        rule: meridian_model::ids::LinkId,
        /// Source bucket.
        from: ServiceId,
        /// Destination bucket.
        to: ServiceId,
    },
}

/// A replication-lag alarm: the region it lives in (where the metric is published) and what it
/// watches.
pub struct LagAlarm {
    /// Region of the alarm.
    pub region: RegionId,
    /// A short id for names, e.g. `orders-use1-to-eu-west-1`.
    pub id: String,
    /// What it watches.
    pub watch: Lag,
}

impl LagAlarm {
    /// The alarm's CloudFormation logical id: `OrdersUse1ToEuWest1LagAlarm`.
    pub fn cfn_name(&self, names: &Names) -> String {
        match &self.watch {
            Lag::Table { table, receiving, .. } => {
                format!("{}To{}LagAlarm", names.cfn(table.as_str()), pascal(receiving.as_str()))
            }
            Lag::Aurora { cluster } => format!("{}LagAlarm", names.cfn(cluster.as_str())),
            Lag::Bucket { rule, .. } => format!("{}LagAlarm", names.cfn(rule.as_str())),
        }
    }

    /// The alarm's Terraform resource name: `orders_use1_to_eu_west_1_lag`, or with the watching
    /// region first (`orders_use1_eu_central_1_to_us_east_1_lag`) for a table of three regions
    /// or more (the CloudFormation names live in one region's template each).
    pub fn tf_name(&self, names: &Names) -> String {
        match &self.watch {
            Lag::Table { table, receiving, wide: false } => {
                format!("{}_to_{}_lag", names.tf(table.as_str()), snake(receiving.as_str()))
            }
            Lag::Table { table, receiving, wide: true } => format!(
                "{}_{}_to_{}_lag",
                names.tf(table.as_str()),
                snake(self.region.as_str()),
                snake(receiving.as_str())
            ),
            Lag::Aurora { cluster } => format!("{}_lag", names.tf(cluster.as_str())),
            Lag::Bucket { rule, .. } => format!("{}_lag", names.tf(rule.as_str())),
        }
    }
}

/// Replication-lag alarms of the exported design, in region then id order.
pub fn lag_alarms(plan: &Plan) -> Vec<LagAlarm> {
    let mut out = Vec::new();
    for g in &plan.groups {
        let Some(home) = plan.region_of(&g.primary) else { continue };
        let Some(kind) = plan.kind_of(&g.primary) else { continue };
        match kind {
            ServiceKind::DynamoDb => {
                let regions: Vec<&RegionId> = std::iter::once(home)
                    .chain(g.replicas.iter().filter_map(|r| plan.region_of(r)))
                    .collect();
                for from in &regions {
                    for receiving in regions.iter().filter(|r| *r != from) {
                        out.push(LagAlarm {
                            region: (*from).clone(),
                            id: format!("{}-to-{receiving}", g.primary),
                            watch: Lag::Table {
                                table: g.primary.clone(),
                                receiving: (*receiving).clone(),
                                wide: regions.len() > 2,
                            },
                        });
                    }
                }
            }
            ServiceKind::Aurora => {
                for r in &g.replicas {
                    let Some(region) = plan.region_of(r) else { continue };
                    out.push(LagAlarm {
                        region: region.clone(),
                        id: r.to_string(),
                        watch: Lag::Aurora { cluster: r.clone() },
                    });
                }
            }
            // Groups are DynamoDB global tables and Aurora global databases only.
            ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::AwsBackup
            | ServiceKind::AwsConfig
            | ServiceKind::CloudFront
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
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
            | ServiceKind::TransitGateway => {}
        }
    }
    for b in plan.bucket_replication.iter().filter(|b| b.rtc) {
        let Some(region) = plan.region_of(&b.from) else { continue };
        out.push(LagAlarm {
            region: region.clone(),
            id: b.link.to_string(),
            watch: Lag::Bucket { rule: b.link.clone(), from: b.from.clone(), to: b.to.clone() },
        });
    }
    out.sort_by(|a, b| (&a.region, &a.id).cmp(&(&b.region, &b.id)));
    out.dedup_by(|a, b| a.region == b.region && a.id == b.id);
    out
}

/// Target groups of the load balancers in `region`, as (load balancer, target) of each routing
/// link, in link order: each gets an alarm on unhealthy targets.
pub fn target_groups<'a>(plan: &Plan<'a>, region: &RegionId) -> Vec<(&'a Service, &'a Link)> {
    let mut out = Vec::new();
    for lb in plan.services_in(region).into_iter().filter(|s| super::plan::is_load_balancer(s.kind)) {
        for l in plan.design.links_from(&lb.id).filter(|l| matches!(l.kind, LinkKind::Routing(_))) {
            out.push((lb, l));
        }
    }
    out
}
