//! Which FIS actions reproduce a fault, on which targets, in which regions; or why none can.
//!
//! An experiment template acts in its own region, so a fault becomes one template per region it
//! touches (a partition: one on each side). Targets are named by what the infrastructure export
//! writes (`Select`); each format writer turns a selection into tags, ARNs or parameters.

use meridian_model::ServiceKind;
use meridian_model::ids::{RegionId, ServiceId};

use super::actions::{Action, iso_duration};
use crate::plan::Plan;

/// A fault of a scenario, as the experiments see it (the simulator's injection targets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Everything in a region.
    Region(RegionId),
    /// An availability zone, by AZ id.
    Az(String),
    /// A service as a whole.
    Service(ServiceId),
    /// The network between two regions.
    Partition(RegionId, RegionId),
    /// A bad change reaching a deployment group.
    Deployment(String),
    /// A region's control plane.
    ControlPlane(String),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Region(r) => write!(f, "region {r} down"),
            Fault::Az(a) => write!(f, "AZ {a} down"),
            Fault::Service(s) => write!(f, "service {s} down"),
            Fault::Partition(a, b) => write!(f, "network between {a} and {b} cut"),
            Fault::Deployment(g) => write!(f, "bad change to deployment group {g}"),
            Fault::ControlPlane(r) => write!(f, "control plane of {r} down"),
        }
    }
}

/// What an action targets, in the export's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Select {
    /// The design's subnets in the template's region, in one AZ when given.
    Subnets {
        /// AZ id.
        az: Option<String>,
    },
    /// The running instances of an EC2 Auto Scaling group.
    AsgInstances(ServiceId),
    /// The tasks of an ECS service.
    Tasks(ServiceId),
    /// An Aurora cluster.
    Aurora(ServiceId),
    /// An ElastiCache replication group, in one AZ.
    Cache {
        /// The service.
        service: ServiceId,
        /// AZ id whose nodes lose power.
        az: String,
    },
    /// A DynamoDB global table's replica in the template's region (named after the group's primary).
    Table {
        /// The replica's service.
        service: ServiceId,
        /// The group's primary, whose id names the table.
        primary: ServiceId,
    },
}

/// One action of an experiment.
#[derive(Debug, Clone)]
pub struct Step {
    /// The FIS action.
    pub action: Action,
    /// Its target.
    pub select: Select,
    /// Action parameters, e.g. `duration`.
    pub params: Vec<(String, String)>,
}

/// The part of an experiment in one region: one experiment template.
#[derive(Debug, Clone)]
pub struct Regional {
    /// The region.
    pub region: RegionId,
    /// The actions, started together.
    pub steps: Vec<Step>,
}

/// An experiment: a fault reproduced by templates in one or more regions.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Experiment name (unique in the output).
    pub name: String,
    /// The fault.
    pub fault: Fault,
    /// Duration of the fault, seconds.
    pub duration_s: u64,
    /// One template per region.
    pub regions: Vec<Regional>,
    /// How the experiment differs from the simulated fault.
    pub notes: Vec<String>,
}

fn step(action: Action, select: Select, params: &[(&str, String)]) -> Step {
    Step { action, select, params: params.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect() }
}

/// Plans the experiment reproducing `fault` for `duration_s`; `Err` says why FIS cannot.
pub fn plan_fault(plan: &Plan, name: &str, fault: &Fault, duration_s: u64) -> Result<Planned, String> {
    let d = iso_duration(duration_s);
    let mut notes = Vec::new();
    if duration_s > super::actions::MAX_DURATION_S {
        notes
            .push(format!("FIS actions last at most 12 h: the {} h fault is cut to 12 h", duration_s / 3600));
    }
    let design = plan.design;
    let regions = match fault {
        Fault::Region(r) => {
            notes.push(format!(
                "FIS has no action that takes a region down: every subnet of the design in {r} loses all traffic \
                 (aws:network:disrupt-connectivity, scope all), which stops what runs in the VPC; regional services \
                 outside it (DynamoDB, S3, SQS, SNS, Lambda outside a VPC) keep serving"
            ));
            vec![Regional {
                region: r.clone(),
                steps: vec![step(
                    Action::DisruptSubnets,
                    Select::Subnets { az: None },
                    &[("duration", d), ("scope", "all".into())],
                )],
            }]
        }
        Fault::Az(az) => {
            let Some(region) = design.regions().find(|r| r.azs.iter().any(|a| a == az)) else {
                return Err(format!("AZ {az} is in no region of the design"));
            };
            notes.push(
                "as the FIS scenario library's AZ Availability: Power Interruption: the AZ's subnets lose all traffic, \
                 Aurora clusters fail over, ElastiCache nodes in the AZ lose power; instances and tasks in the AZ are cut \
                 off rather than stopped, and every Aurora cluster of the region fails over (FIS cannot select the clusters \
                 whose writer is in the AZ)"
                    .into(),
            );
            let mut steps = vec![step(
                Action::DisruptSubnets,
                Select::Subnets { az: Some(az.clone()) },
                &[("duration", d.clone()), ("scope", "all".into())],
            )];
            for s in plan.services_in(&region.id) {
                match s.kind {
                    ServiceKind::Aurora => {
                        steps.push(step(Action::FailoverAurora, Select::Aurora(s.id.clone()), &[]));
                    }
                    ServiceKind::ElastiCache => steps.push(step(
                        Action::CacheAzPower,
                        Select::Cache { service: s.id.clone(), az: az.clone() },
                        &[("duration", d.clone())],
                    )),
                    _ => {}
                }
            }
            vec![Regional { region: region.id.clone(), steps }]
        }
        Fault::Partition(a, b) => {
            notes.push(
                "two templates, one in each region, each cutting its subnets' traffic to the other region \
                 (cross-region connectivity scenario): start both together; traffic between managed regional \
                 services (DynamoDB or Aurora replication) is not cut"
                    .to_owned(),
            );
            vec![
                Regional {
                    region: a.clone(),
                    steps: vec![step(
                        Action::DisruptCrossRegion,
                        Select::Subnets { az: None },
                        &[("duration", d.clone()), ("region", b.to_string())],
                    )],
                },
                Regional {
                    region: b.clone(),
                    steps: vec![step(
                        Action::DisruptCrossRegion,
                        Select::Subnets { az: None },
                        &[("duration", d), ("region", a.to_string())],
                    )],
                },
            ]
        }
        Fault::Service(id) => vec![service(plan, id, &d, &mut notes)?],
        Fault::Deployment(g) => {
            return Err(format!(
                "a bad change to deployment group {g} is reproduced by deploying a faulty version through your pipeline, not by FIS"
            ));
        }
        Fault::ControlPlane(r) => {
            return Err(format!(
                "FIS cannot take the control plane of {r} down (its API fault actions inject errors into EC2 calls of one IAM role only)"
            ));
        }
    };
    Ok(Planned { name: name.to_owned(), fault: fault.clone(), duration_s, regions, notes })
}

/// The experiment of a service-down fault, by the service's kind.
fn service(plan: &Plan, id: &ServiceId, d: &str, notes: &mut Vec<String>) -> Result<Regional, String> {
    let Some(s) = plan.design.service(id) else { return Err(format!("service {id} is not in the design")) };
    if !plan.exported.contains(id) {
        return Err(format!(
            "service {id} (kind {}) is not written by `meridian export`, so there is nothing to target",
            s.kind
        ));
    }
    let Some(region) = plan.region_of(id).cloned() else {
        return Err(format!("service {id} is global ({}): FIS acts on regional resources", s.kind));
    };
    let cannot = |why: &str| Err(format!("FIS has no action that takes {} ({}) down: {why}", id, s.kind));
    let one = |action, select, params: &[(&str, String)]| {
        Ok(Regional { region: region.clone(), steps: vec![step(action, select, params)] })
    };
    match s.kind {
        ServiceKind::Ec2Asg => {
            notes.push("every running instance is stopped and restarted after the duration; the Auto Scaling group may replace them sooner".into());
            one(
                Action::StopInstances,
                Select::AsgInstances(id.clone()),
                &[("startInstancesAfterDuration", d.to_owned())],
            )
        }
        ServiceKind::EcsFargate => {
            notes.push("every task is stopped once; ECS starts replacements at once, so the outage lasts as long as they take to start, not the scenario's duration".into());
            one(Action::StopTasks, Select::Tasks(id.clone()), &[])
        }
        ServiceKind::Aurora => {
            notes.push("a writer failover inside the cluster, not a cluster outage: it tests the clients' reconnection".into());
            one(Action::FailoverAurora, Select::Aurora(id.clone()), &[])
        }
        ServiceKind::ElastiCache => {
            let Some(az) = plan.design.region(&region).and_then(|r| r.azs.first().cloned()) else {
                return cannot("its region has no AZ");
            };
            notes.push(format!("the nodes in {az} (the region's first AZ, where the primary is placed first) lose power; a replica elsewhere takes over"));
            one(
                Action::CacheAzPower,
                Select::Cache { service: id.clone(), az },
                &[("duration", d.to_owned())],
            )
        }
        ServiceKind::DynamoDb => match plan.group_of(id) {
            Some(g) => {
                notes.push("FIS cannot make a table unavailable: replication to and from this replica pauses instead, which tests replication lag and RPO, not failover".into());
                one(
                    Action::PauseTableReplication,
                    Select::Table { service: id.clone(), primary: g.primary.clone() },
                    &[("duration", d.to_owned())],
                )
            }
            None => cannot("it is not a global table, and FIS pauses only global tables' replication"),
        },
        ServiceKind::Lambda => cannot(
            "its invocation faults need the FIS Lambda extension layer and an S3 configuration the export does not write",
        ),
        ServiceKind::Alb | ServiceKind::Nlb => {
            cannot("cut its targets instead (a Service fault on what it routes to)")
        }
        ServiceKind::Eks => {
            cannot("its pod and node actions need a Kubernetes service account the export does not write")
        }
        ServiceKind::Rds => cannot(
            "aws:rds:reboot-db-instances reboots its instances for seconds, not an outage of the service",
        ),
        ServiceKind::S3 => {
            cannot("aws:s3:bucket-pause-replication pauses replication only; the bucket stays available")
        }
        ServiceKind::ApiGateway
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::EventBridge
        | ServiceKind::GlobalAccelerator
        | ServiceKind::Iam
        | ServiceKind::LambdaEdge
        | ServiceKind::NatGateway
        | ServiceKind::Route53
        | ServiceKind::SageMakerEndpoint
        | ServiceKind::SiteToSiteVpn
        | ServiceKind::Sns
        | ServiceKind::Sqs
        | ServiceKind::StepFunctions
        | ServiceKind::TransitGateway => cannot("FIS offers no fault action for this kind"),
    }
}
