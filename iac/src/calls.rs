//! Calls between services: what the export writes so that a dependency link can be made in AWS
//! (and read back by the import), or why it writes nothing for it. Both writers and the import's
//! tests ask this module; it uses no other module of the crate but the plan.
//!
//! A dependency is written as one of:
//! - an IAM statement on the caller's role scoped to the callee's ARN (`rules::access`: functions,
//!   containers and instances calling tables, buckets, queues, topics, Aurora, functions, state
//!   machines, event buses and SageMaker endpoints of their region);
//! - an event source of a function (`triggers`): a queue polled through an event source
//!   mapping (the function's role may receive from the queue), a topic's subscription with the
//!   function's resource policy admitting `sns.amazonaws.com` for that topic, an event bus rule
//!   targeting the function with the resource policy admitting `events.amazonaws.com` for that rule;
//! - a security group ingress rule (callers inside the VPC calling a service in the VPC),
//!   a load balancer's target group, an API Gateway integration, a state machine's task.
//!
//! Everything else is untraced, for the reason [`untraced`] gives.

use meridian_model::ServiceKind;
use meridian_model::design::{Link, LinkKind, Service};

use crate::plan::Plan;

/// How a function of the design is invoked by a service in its region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// A queue's messages, polled by an event source mapping.
    Queue,
    /// A topic's notifications, through a subscription.
    Topic,
    /// An event bus's events, through a rule targeting the function.
    Bus,
}

/// The dependency links into function `s` from a queue, topic or event bus of its region that the
/// export writes as the function's event sources, with the caller and how it invokes.
pub(crate) fn triggers<'a>(plan: &Plan<'a>, s: &Service) -> Vec<(&'a Link, &'a Service, Trigger)> {
    let mut out = Vec::new();
    for l in plan.design.links_to(&s.id).filter(|l| matches!(l.kind, LinkKind::Dependency(_))) {
        if !plan.exported.contains(&l.from) || plan.region_of(&l.from) != plan.region_of(&s.id) {
            continue;
        }
        let Some(caller) = plan.design.service(&l.from) else { continue };
        let trigger = match caller.kind {
            ServiceKind::Sqs => Trigger::Queue,
            ServiceKind::Sns => Trigger::Topic,
            ServiceKind::EventBridge => Trigger::Bus,
            _ => continue,
        };
        out.push((l, caller, trigger));
    }
    out
}

/// Why the export writes no trace of a dependency from a service of kind `from` to one of kind
/// `to` (in the same region when `same_region`), or `None` when it writes one (see the
/// module documentation). `iac/tests/iac_calls.rs` exports every pair in both formats, imports
/// it and checks the link comes back exactly when this is `None`.
pub fn untraced(from: ServiceKind, to: ServiceKind, same_region: bool) -> Option<&'static str> {
    use ServiceKind as K;
    let runs_code = matches!(from, K::Lambda | K::EcsFargate | K::Ec2Asg);
    let in_vpc_target =
        matches!(to, K::Alb | K::Nlb | K::EcsFargate | K::Ec2Asg | K::Aurora | K::Rds | K::ElastiCache);
    let granted = matches!(to, K::DynamoDb | K::S3);
    let granted_here = matches!(
        to,
        K::Sqs | K::Sns | K::Aurora | K::Lambda | K::StepFunctions | K::EventBridge | K::SageMakerEndpoint
    );
    let balancer = matches!(from, K::Alb | K::Nlb);
    match () {
        () if runs_code && granted => None,
        () if runs_code && same_region && (granted_here || in_vpc_target) => None,
        () if balancer && same_region && matches!(to, K::Alb | K::Nlb | K::EcsFargate | K::Ec2Asg) => None,
        () if same_region && from == K::ApiGateway && to == K::Lambda => None,
        () if same_region && from == K::StepFunctions && to == K::Lambda => None,
        () if same_region && matches!(from, K::Sqs | K::Sns | K::EventBridge) && to == K::Lambda => None,
        () if !same_region => Some(
            "a call into another region: security groups, event sources, target groups and integrations \
             do not cross regions, and grants are written only on the from's region's resources",
        ),
        () if runs_code => Some(
            "the to is not called with an IAM-authorised data-plane action nor reached through a \
             security group (a global or network service, an audit or backup service, IAM, a cache \
             or database outside the VPC's ports, a DMS task)",
        ),
        () if balancer => Some("a load balancer forwards only to load balancers, containers and instances"),
        () if matches!(from, K::Sqs | K::Sns | K::EventBridge) => Some(
            "a queue, topic or event bus is written as an event source of functions only; its \
             deliveries to other kinds (topic to queue, bus to state machine) are not written yet",
        ),
        () => Some(
            "the from runs none of the design's code (a datastore, router, network, audit or \
             platform service): what it calls is configuration the export writes for routing, \
             replication and backup links, not for dependencies",
        ),
    }
}
