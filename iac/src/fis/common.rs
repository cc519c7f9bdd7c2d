//! What both experiment writers share: the requests and results, the alarms an experiment stops
//! on, target and action names, the template description. Imports no other file of `fis` but
//! the leaves `actions` and `plan`.

use std::collections::BTreeSet;

use meridian_model::ids::RegionId;
use serde_json::{Value, json};

use super::actions::{Action, Grant, grant};
use super::plan::{Fault, Planned, Select};
use crate::bundle::ExportFile;
use crate::names::Names;
use crate::plan::Plan;
use crate::rules::{self, Lag};

/// The tag the infrastructure export puts on every resource of the design.
pub const DESIGN_TAG: &str = "meridian:design";

/// The statements of the experiment role's policy: exactly the permissions of `used`, changes
/// limited to resources tagged with the design where the service supports it, the replication
/// pauses to the design's tables (`tables`: their ARN pattern, as each format writes it).
pub fn role_statements(used: &BTreeSet<Action>, design_tag: &str, tables: &Value) -> Vec<Value> {
    let Grant { tagged, untagged, tables: pause, read } = grant(used);
    let mut statements = Vec::new();
    if !tagged.is_empty() {
        statements.push(
            json!({"Sid": "ChangeDesignResources", "Effect": "Allow", "Action": tagged, "Resource": "*",
            "Condition": {"StringEquals": {format!("aws:ResourceTag/{DESIGN_TAG}"): design_tag}}}),
        );
    }
    if !untagged.is_empty() {
        statements
            .push(json!({"Sid": "ChangeNetwork", "Effect": "Allow", "Action": untagged, "Resource": "*"}));
    }
    if !pause.is_empty() {
        statements.push(
            json!({"Sid": "PauseTableReplication", "Effect": "Allow", "Action": pause, "Resource": tables}),
        );
    }
    statements.push(json!({"Sid": "Describe", "Effect": "Allow", "Action": read, "Resource": "*"}));
    statements
}

/// The longest description an experiment template takes (FIS `CreateExperimentTemplate`:
/// `description`, length constraint 512, <https://docs.aws.amazon.com/fis/latest/APIReference/API_CreateExperimentTemplate.html>,
/// as of 2026-12-04).
pub const MAX_DESCRIPTION: usize = 512;

/// One experiment to write: a scenario's fault and the hypothesis to state.
#[derive(Debug, Clone)]
pub struct Request {
    /// Experiment name, unique among the requests (letters, digits and `-`).
    pub name: String,
    /// The fault.
    pub fault: Fault,
    /// How long the fault lasts, seconds.
    pub duration_s: u64,
    /// The prediction, one line (goes into the template's description).
    pub hypothesis: String,
}

/// A fault FIS cannot reproduce, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreproduced {
    /// Experiment name.
    pub name: String,
    /// The fault.
    pub fault: Fault,
    /// Why.
    pub reason: String,
}

/// The experiments written.
#[derive(Debug, Clone)]
pub struct Experiments {
    /// Files, in path order.
    pub files: Vec<ExportFile>,
    /// Experiments reproduced, in request order.
    pub planned: Vec<Planned>,
    /// Faults not reproduced, in request order.
    pub unreproduced: Vec<Unreproduced>,
    /// Problems worth telling (a region with no alarm to stop on).
    pub warnings: Vec<String>,
}

/// An alarm of the infrastructure export that experiments in its region stop on.
pub struct StopAlarm {
    /// The alarm's logical id in the region's CloudFormation template.
    pub cfn_id: String,
    /// The alarm's name after the prefix in the Terraform module (`alarm_name`).
    pub tf_name: String,
    /// What it watches.
    pub about: String,
}

/// The alarms the infrastructure export writes in `region`, as both writers name them
/// (`cfn::alarms`, `tf::alarms`).
pub fn stop_alarms(plan: &Plan, region: &RegionId) -> Vec<StopAlarm> {
    let names = &plan.names;
    let mut out: Vec<StopAlarm> = rules::lag_alarms(plan)
        .into_iter()
        .filter(|a| &a.region == region)
        .map(|a| StopAlarm {
            cfn_id: a.cfn_name(names),
            tf_name: a.tf_name(names).replace('_', "-"),
            about: format!(
                "replication lag of {}",
                match &a.watch {
                    Lag::Table { table, .. } => table.to_string(),
                    Lag::Aurora { cluster } => cluster.to_string(),
                    Lag::Bucket { rule, .. } => rule.to_string(),
                }
            ),
        })
        .collect();
    for (lb, l) in rules::target_groups(plan, region) {
        out.push(StopAlarm {
            cfn_id: format!("{}To{}Unhealthy", names.cfn(lb.id.as_str()), names.cfn(l.to.as_str())),
            tf_name: format!("{}_to_{}_unhealthy", names.tf(lb.id.as_str()), names.tf(l.to.as_str()))
                .replace('_', "-"),
            about: format!("unhealthy targets behind {} ({})", lb.id, l.id),
        });
    }
    out
}

/// The name of a target in a template (FIS names: up to 64 characters, no spaces).
pub fn target_name(names: &Names, select: &Select) -> String {
    let n = match select {
        Select::Subnets { az: Some(az) } => format!("subnets-{az}"),
        Select::Subnets { az: None } => "subnets".to_owned(),
        Select::AsgInstances(s) => format!("{}-instances", names.tf(s.as_str())),
        Select::Tasks(s) => format!("{}-tasks", names.tf(s.as_str())),
        Select::Aurora(s) | Select::Cache { service: s, .. } | Select::Table { service: s, .. } => {
            names.tf(s.as_str())
        }
    };
    n.replace('_', "-").chars().take(64).collect()
}

/// The name of an action in a template.
pub fn action_name(i: usize, action: Action) -> String {
    let short = action.id().rsplit(':').next().unwrap_or_default();
    format!("{}-{short}", i + 1).chars().take(64).collect()
}

/// The template's description: what it reproduces and the hypothesis, cut to [`MAX_DESCRIPTION`].
pub fn description(design: &str, p: &Planned, hypothesis: &str) -> String {
    let text = format!(
        "Meridian {design}: {} ({}). Hypothesis: {hypothesis}",
        p.fault,
        meridian_model::time::TimeSpan::from_secs(p.duration_s)
    );
    if text.chars().count() <= MAX_DESCRIPTION {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_DESCRIPTION - 3).collect();
    cut.push_str("...");
    cut
}
