//! Decisions both writers make the same way for the platform, networking and operations kinds
//! (`cfn/platform.rs`, `cfn/netops.rs` and their Terraform counterparts): what a state machine
//! invokes, an RDS instance's engine, logs and storage, which NAT gateway carries the default
//! route, a dashboard's body, where audit logs are delivered.

use serde_json::{Value, json};

use crate::plan::Plan;
use meridian_model::ServiceKind;
use meridian_model::design::Service;
use meridian_model::ids::{RegionId, ServiceId};

/// The EKS control-plane log types, every one turned on.
pub(crate) const EKS_LOG_TYPES: [&str; 5] =
    ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/// The functions of `s`'s region it calls, in link order (what a state machine invokes).
pub(crate) fn invoked_functions<'a>(plan: &'a Plan, s: &'a Service) -> Vec<&'a ServiceId> {
    plan.design
        .links_from(&s.id)
        .filter(|l| {
            plan.kind_of(&l.to) == Some(ServiceKind::Lambda) && plan.region_of(&l.to) == plan.region_of(&s.id)
        })
        .filter(|l| plan.exported.contains(&l.to))
        .map(|l| &l.to)
        .collect()
}

/// The Amazon States Language definition of a state machine that invokes `functions` in turn
/// (each given by its substitution name), or passes its input through when there are none.
pub(crate) fn state_machine_definition(functions: &[(String, String)]) -> Value {
    if functions.is_empty() {
        return json!({"Comment": "No function linked in the design: passes its input through", "StartAt": "Start",
            "States": {"Start": {"Type": "Pass", "End": true}}});
    }
    let mut states = serde_json::Map::new();
    for (i, (state, arn)) in functions.iter().enumerate() {
        let mut task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": arn, "Payload.$": "$"}, "OutputPath": "$.Payload",
            "Retry": [{"ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
                "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2.0}]});
        if let Some(o) = task.as_object_mut() {
            match functions.get(i + 1) {
                Some((next, _)) => o.insert("Next".into(), json!(next)),
                None => o.insert("End".into(), json!(true)),
            };
        }
        states.insert(state.clone(), task);
    }
    json!({"Comment": "Invokes the design's linked functions in turn", "StartAt": functions[0].0, "States": states})
}

/// The engine of an RDS service (`postgres` unless the design names a MySQL or MariaDB engine).
pub(crate) fn rds_engine(s: &Service) -> &'static str {
    match s.config.engine.as_deref() {
        Some(e) if e.contains("mariadb") => "mariadb",
        Some(e) if e.contains("mysql") => "mysql",
        _ => "postgres",
    }
}

/// The log types an RDS engine exports to CloudWatch Logs.
pub(crate) fn rds_logs(engine: &str) -> Vec<&'static str> {
    if engine == "postgres" {
        vec!["postgresql", "upgrade"]
    } else {
        vec!["audit", "error", "general", "slowquery"]
    }
}

/// Allocated storage of an RDS instance: the design's storage, at least the 20 GiB gp3 minimum.
pub(crate) fn rds_storage_gib(s: &Service) -> u32 {
    (s.config.storage_gb.unwrap_or(20.0).ceil() as u32).max(20)
}

/// The key prefix of CloudTrail's and AWS Config's deliveries in the log bucket.
pub(crate) const TRAIL_PREFIX: &str = "trail";

/// See [`TRAIL_PREFIX`].
pub(crate) const CONFIG_PREFIX: &str = "config";

/// Whether `s` is the first NAT gateway service of its region (the one the private subnets'
/// default route goes through).
pub(crate) fn first_nat(plan: &Plan, s: &Service) -> bool {
    plan.region_of(&s.id)
        .and_then(|region| plan.services_in(region).into_iter().find(|x| x.kind == ServiceKind::NatGateway))
        .is_some_and(|first| first.id == s.id)
}

/// The body of a region's dashboard: a note naming the design's services in the region.
pub(crate) fn dashboard_body(plan: &Plan, region: &RegionId) -> String {
    let services: Vec<String> =
        plan.services_in(region).iter().map(|x| format!("{} ({}, {})", x.name, x.id, x.kind)).collect();
    json!({"widgets": [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 6,
        "properties": {"markdown": format!("# {} in {region}\n\n{}", plan.design.name(), services.iter().map(|x| format!("- {x}")).collect::<Vec<_>>().join("\n"))}}]})
    .to_string()
}

/// Whether the region's services include a kind.
pub(crate) fn region_has(plan: &Plan, region: &RegionId, kind: ServiceKind) -> bool {
    plan.services_in(region).iter().any(|s| s.kind == kind)
}

/// The longest session a role drawn as a service grants, in seconds (one hour, IAM's default).
pub(crate) const ROLE_SESSION_SECONDS: u32 = 3600;
