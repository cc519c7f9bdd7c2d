//! CloudFormation templates of the experiments: one per region, holding the region's
//! `AWS::FIS::ExperimentTemplate`s and the role they run as.
//!
//! Targets are found by the tags a stack of `meridian export` carries: the design's tag
//! `meridian:design` (a stack tag of every stack in `DEPLOY.md`) and the tag CloudFormation puts on
//! every resource it creates, `aws:cloudformation:logical-id`, whose value is the logical id the
//! export gave the resource (CloudFormation User Guide, "Resource tagging",
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html>,
//! as of 2026-12-04). DynamoDB tables are named (`NamePrefix-ID`), so they are found by ARN. ECS
//! tasks are found by their cluster and service, whose names CloudFormation generates: the
//! template takes them as parameters, as it takes the ARNs of the alarms to stop on.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::actions::{Action, SOURCE};
use super::common::{self, DESIGN_TAG, Request, action_name, stop_alarms, target_name};
use super::plan::{Planned, Regional, Select};
use crate::bundle::{ExportError, ExportFile};
use crate::plan::Plan;
use meridian_model::ids::RegionId;

/// The template of `region`, holding `experiments` (each with its request).
pub fn template(
    plan: &Plan,
    region: &RegionId,
    experiments: &[(&Planned, &Regional, &Request)],
) -> Result<ExportFile, ExportError> {
    let design_tag = plan.common_tags.get(DESIGN_TAG).cloned().unwrap_or_default();
    let mut params = Map::new();
    params.insert(
        "NamePrefix".into(),
        json!({"Type": "String", "Default": plan.prefix, "Description": "The name prefix the infrastructure stacks were deployed with"}),
    );
    let alarms = stop_alarms(plan, region);
    for a in &alarms {
        params.insert(
            format!("{}Arn", a.cfn_id),
            json!({"Type": "String", "AllowedPattern": "^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:[0-9]{12}:alarm:.+$",
                "Description": format!("ARN of alarm {} ({}) of the region's infrastructure stack", a.cfn_id, a.about)}),
        );
    }
    let mut resources = Map::new();
    let mut used: BTreeSet<Action> = BTreeSet::new();
    for (p, r, req) in experiments {
        let mut targets = Map::new();
        let mut actions = Map::new();
        for (i, st) in r.steps.iter().enumerate() {
            used.insert(st.action);
            let tname = target_name(&plan.names, &st.select);
            targets.insert(tname.clone(), target(plan, st.action, &st.select, &design_tag, &mut params));
            let mut a = json!({"ActionId": st.action.id(), "Targets": {st.action.target_key(): tname}});
            if !st.params.is_empty()
                && let Some(o) = a.as_object_mut()
            {
                o.insert(
                    "Parameters".into(),
                    Value::Object(st.params.iter().map(|(k, v)| (k.clone(), json!(v))).collect()),
                );
            }
            actions.insert(action_name(i, st.action), a);
        }
        let stops: Vec<Value> = if alarms.is_empty() {
            vec![json!({"Source": "none"})]
        } else {
            alarms.iter().map(|a| json!({"Source": "aws:cloudwatch:alarm", "Value": {"Ref": format!("{}Arn", a.cfn_id)}})).collect()
        };
        resources.insert(
            logical(&p.name),
            json!({"Type": "AWS::FIS::ExperimentTemplate", "Properties": {
                "Description": common::description(&design_tag, p, &req.hypothesis),
                "RoleArn": {"Fn::GetAtt": ["ExperimentRole", "Arn"]},
                "StopConditions": stops, "Targets": targets, "Actions": actions,
                "Tags": {"Name": {"Fn::Sub": format!("${{NamePrefix}}-{}", p.name)}, "meridian:experiment": p.name, DESIGN_TAG: design_tag}}}),
        );
    }
    resources.insert("ExperimentRole".into(), role(&used, &design_tag));
    let outputs: Map<String, Value> = experiments
        .iter()
        .map(|(p, _, _)| {
            (format!("{}Id", logical(&p.name)), json!({"Description": format!("Experiment template of {}: aws fis start-experiment --experiment-template-id", p.name), "Value": {"Ref": logical(&p.name)}}))
        })
        .collect();
    let doc = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("Meridian chaos experiments (AWS FIS) for design {design_tag} in {region}; FIS actions per {SOURCE}"),
        "Parameters": params, "Resources": resources, "Outputs": outputs});
    let text = serde_yaml_ng::to_string(&doc).map_err(|e| ExportError::internal("experiment template", e))?;
    Ok(ExportFile::text(format!("experiments-{region}.yaml"), text))
}

/// A CloudFormation logical id from an experiment name: `az-use1-az2` as `ExperimentAzUse1Az2`.
fn logical(name: &str) -> String {
    let mut out = String::from("Experiment");
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let mut cs = part.chars();
        if let Some(c) = cs.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    out
}

/// The design's tag and the resource's logical id: CloudFormation tags Auto Scaling groups and
/// their instances with `aws:cloudformation:logical-id` (see [`super::TARGETING`] for the page).
fn by_logical_id(design_tag: &str, id: &str) -> Value {
    json!({DESIGN_TAG: design_tag, "aws:cloudformation:logical-id": id})
}

fn target(
    plan: &Plan,
    action: Action,
    select: &Select,
    design_tag: &str,
    params: &mut Map<String, Value>,
) -> Value {
    let mut t = json!({"ResourceType": action.resource_type(), "SelectionMode": "ALL"});
    let Some(o) = t.as_object_mut() else { return t };
    let names = &plan.names;
    match select {
        Select::Subnets { az } => {
            o.insert("ResourceTags".into(), json!({DESIGN_TAG: design_tag}));
            // The path follows DescribeSubnets' Subnet.AvailabilityZoneId ([`super::TARGETING`]).
            if let Some(az) = az {
                o.insert("Filters".into(), json!([{"Path": "AvailabilityZoneId", "Values": [az]}]));
            }
        }
        Select::AsgInstances(s) => {
            o.insert("ResourceTags".into(), by_logical_id(design_tag, &names.cfn(s.as_str())));
            o.insert("Filters".into(), json!([{"Path": "State.Name", "Values": ["running"]}]));
        }
        // Resource parameters, not tags: see [`super::TARGETING`] for what this rests on.
        Select::Tasks(s) => {
            let id = names.cfn(s.as_str());
            for (p, what, res) in
                [("Cluster", "cluster", format!("{id}Cluster")), ("Service", "service", id.clone())]
            {
                params.insert(
                    format!("{id}{p}Name"),
                    json!({"Type": "String", "MinLength": 1, "Description": format!(
                        "Name of the ECS {what} of {s}: the physical id of resource {res} of the region's infrastructure stack")}),
                );
            }
            o.insert(
                "Parameters".into(),
                json!({"cluster": {"Ref": format!("{id}ClusterName")}, "service": {"Ref": format!("{id}ServiceName")}}),
            );
        }
        Select::Aurora(s) => {
            o.insert("ResourceTags".into(), by_logical_id(design_tag, &names.cfn(s.as_str())));
        }
        Select::Cache { service, az } => {
            o.insert("ResourceTags".into(), by_logical_id(design_tag, &names.cfn(service.as_str())));
            o.insert("Parameters".into(), json!({"availabilityZoneIdentifier": az}));
        }
        Select::Table { primary, .. } => {
            o.insert(
                "ResourceArns".into(),
                json!([{"Fn::Sub": format!("arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/${{NamePrefix}}-{primary}")}]),
            );
        }
    }
    t
}

/// The role the region's experiments run as: exactly the permissions of the actions they use,
/// changes limited to resources tagged with the design where the service supports it.
fn role(used: &BTreeSet<Action>, design_tag: &str) -> Value {
    let tables = json!({"Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${NamePrefix}-*"});
    let statements = common::role_statements(used, design_tag, &tables);
    json!({"Type": "AWS::IAM::Role", "Properties": {
        "Description": "Role of Meridian's FIS experiments: the permissions of the actions they use",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "fis.amazonaws.com"}, "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}}}]},
        "Policies": [{"PolicyName": "fis-actions", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
        "Tags": [{"Key": DESIGN_TAG, "Value": design_tag}]}})
}
