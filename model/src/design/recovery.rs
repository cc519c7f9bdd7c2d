//! How a design recovers: who starts a failover or a promotion, which services stand by cold,
//! how compute scales, and the design-wide settings of alarms, operators and scaling.
//!
//! Every field is optional in files; an absent value is the catalog's default
//! (`assets/catalog/defaults.ron` and the kind's entry in `services.ron`).

use serde::{Deserialize, Serialize};

use crate::dist::Dist;
use crate::time::TimeSpan;

/// Who starts a failover (on a routing link) or a promotion (on a replication link).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Initiation {
    /// Health checks or automation react with no person involved: routers follow their health
    /// checks; a promotion is started by automation when its alarm fires.
    Automatic,
    /// An alarm pages a person, who decides and runs the runbook: a DNS record change (a Route 53
    /// control-plane edit), a promotion, the deployment of a cold standby.
    Operator,
    /// Like `Operator`, but the switch is a Route 53 Application Recovery Controller routing
    /// control: a data-plane change that takes effect without a record edit (Route 53 only).
    RoutingControl,
}

impl Initiation {
    /// Every initiation, in the order menus list them.
    pub const ALL: [Initiation; 3] =
        [Initiation::Automatic, Initiation::Operator, Initiation::RoutingControl];

    /// A display name.
    pub fn label(self) -> &'static str {
        match self {
            Initiation::Automatic => "automatic",
            Initiation::Operator => "operator",
            Initiation::RoutingControl => "ARC routing control",
        }
    }

    /// Whether a person decides (after an alarm and the operator's response time).
    pub fn by_operator(self) -> bool {
        self != Initiation::Automatic
    }
}

/// How a service stands by in its region until a failover needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Standby {
    /// Not deployed: when an operator fails over to it, it is deployed (infrastructure as code)
    /// and, for a datastore, restored from the newest backup in a vault of its region.
    Cold,
}

/// Target-tracking scaling of a compute service between its `count` (the minimum) and `max`.
///
/// Absent settings are the design's ([`Recovery`]) or else the kind's catalog defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scaling {
    /// Most units the service scales out to (an Auto Scaling group's `MaxSize`, an ECS service's
    /// `MaxCapacity`; AWS requires one).
    pub max: u32,
    /// Most units one scaling action adds or removes (no limit when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_step: Option<u32>,
    /// Time after a scale-out before the next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_out_cooldown: Option<TimeSpan>,
    /// Time after a scale-in before the next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_in_cooldown: Option<TimeSpan>,
    /// Time from a scaling decision until a new unit serves (launch, start, health checks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launch: Option<Dist>,
}

impl Scaling {
    /// Scaling up to `max` units with every other setting from the design or the catalog.
    pub fn up_to(max: u32) -> Self {
        Scaling { max, max_step: None, scale_out_cooldown: None, scale_in_cooldown: None, launch: None }
    }
}

/// A function's concurrency controls (AWS Lambda): both absent means the function may use the
/// account's unreserved concurrency and starts each ramp from what it needs at the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concurrency {
    /// Reserved concurrency: the most environments the function may use, kept for it alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reserved: Option<u32>,
    /// Provisioned concurrency: environments kept initialised whatever the load (a ramp starts
    /// from here at the least).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned: Option<u32>,
}

/// Design-wide recovery settings; each absent value is the catalog's default.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// Period of the CloudWatch alarms that page operators.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_period: Option<TimeSpan>,
    /// Consecutive breaching periods before such an alarm fires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alarm_evaluation_periods: Option<u32>,
    /// Time from an alarm to the operator's action: acknowledge, decide, run the runbook.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_response: Option<Dist>,
    /// Time to deploy a cold standby service with infrastructure as code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deploy_time: Option<Dist>,
    /// Default time after a scale-out before the next one, for every scaling service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_out_cooldown: Option<TimeSpan>,
    /// Default time after a scale-in before the next one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_in_cooldown: Option<TimeSpan>,
    /// Default most units one scaling action adds or removes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_step: Option<u32>,
    /// The account's Lambda concurrency quota in each region, when raised above the catalog's
    /// default (AWS raises it on request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda_concurrency_quota: Option<u32>,
}

impl Recovery {
    /// Whether every setting is the catalog's (nothing to write in a file).
    pub fn is_default(&self) -> bool {
        *self == Recovery::default()
    }
}
