//! Terraform files of the experiments: a root module of its own (`versions.tf`, `providers.tf`,
//! `variables.tf`, one `experiments-REGION.tf` per region) with `aws_fis_experiment_template`s and
//! the role they run as.
//!
//! The infrastructure module names what it creates (`${var.name_prefix}-ID`), so targets are found
//! by ARN; Auto Scaling instances by the tag EC2 Auto Scaling puts on every instance it launches,
//! `aws:autoscaling:groupName` (EC2 Auto Scaling User Guide, "Tag Auto Scaling groups and
//! instances", <https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-tagging.html>,
//! as of 2026-12-04); subnets by the design's tag `meridian:design` (the provider's default tags).

use std::collections::{BTreeMap, BTreeSet};

use hcl::expr::{Expression, FuncCall, TemplateExpr, Variable};
use hcl::{Block, Body};
use serde_json::{Value, json};

use super::actions::{Action, SOURCE};
use super::common::{self, DESIGN_TAG, Request, action_name, stop_alarms, target_name};
use super::plan::{Planned, Regional, Select};
use crate::bundle::{ExportError, ExportFile};
use crate::names::snake;
use crate::plan::Plan;
use meridian_model::ids::RegionId;

/// An experiment's template in a region, with its request.
type ForRegion<'a> = (&'a Planned, &'a Regional, &'a Request);

const PARTITION: &str = "${data.aws_partition.current.partition}";
const ACCOUNT: &str = "${data.aws_caller_identity.current.account_id}";

/// The module's files for the regions in `by_region`.
pub fn files(
    plan: &Plan,
    by_region: &[(RegionId, Vec<ForRegion<'_>>)],
) -> Result<Vec<ExportFile>, ExportError> {
    let design_tag = plan.common_tags.get(DESIGN_TAG).cloned().unwrap_or_default();
    let mut out = Vec::new();
    let versions = Body::builder()
        .add_block(
            Block::builder("terraform")
                .add_attribute(("required_version", ">= 1.6.0"))
                .add_block(
                    Block::builder("required_providers")
                        .add_attribute((
                            "aws",
                            hcl::expression!({ source = "hashicorp/aws", version = ">= 5.100, < 6.0" }),
                        ))
                        .build(),
                )
                .build(),
        )
        .build();
    out.push(render("versions.tf", &versions)?);
    let mut providers = Body::builder();
    let tags = Expression::Object(
        plan.common_tags
            .iter()
            .map(|(k, v)| (hcl::ObjectKey::from(k.clone()), Expression::from(v.clone())))
            .collect(),
    );
    for (region, _) in by_region {
        providers = providers.add_block(
            Block::builder("provider")
                .add_label("aws")
                .add_attribute(("alias", snake(region.as_str())))
                .add_attribute(("region", region.as_str()))
                .add_block(Block::builder("default_tags").add_attribute(("tags", tags.clone())).build())
                .build(),
        );
    }
    let first = by_region.first().map(|(r, _)| format!("aws.{}", snake(r.as_str())));
    for data in ["aws_partition", "aws_caller_identity"] {
        let mut b = Block::builder("data").add_label(data).add_label("current");
        if let Some(f) = &first {
            b = b.add_attribute(("provider", raw(f)));
        }
        providers = providers.add_block(b.build());
    }
    out.push(render("providers.tf", &providers.build())?);
    let variables = Body::builder()
        .add_block(
            Block::builder("variable")
                .add_label("name_prefix")
                .add_attribute(("description", "The name prefix the infrastructure module was applied with"))
                .add_attribute(("type", raw("string")))
                .add_attribute(("default", plan.prefix.as_str()))
                .build(),
        )
        .build();
    out.push(render("variables.tf", &variables)?);
    for (region, experiments) in by_region {
        out.push(region_file(plan, region, experiments, &design_tag)?);
    }
    Ok(out)
}

/// Lays the file out as `terraform fmt` does (the infrastructure module's formatter).
fn render(path: &str, body: &Body) -> Result<ExportFile, ExportError> {
    let text = crate::tf::fmt::render(body, &BTreeMap::new()).map_err(|e| ExportError::internal(path, e))?;
    Ok(ExportFile::text(path, text))
}

/// An expression written as is (a reference or type).
fn raw(text: &str) -> Expression {
    Expression::Variable(Variable::unchecked(text))
}

/// A quoted template such as `"${var.name_prefix}-x"`.
fn tpl(text: &str) -> Expression {
    Expression::from(TemplateExpr::QuotedString(text.to_owned()))
}

/// A JSON value as an HCL expression; strings with `${` become templates.
fn expr(v: &Value) -> Expression {
    match v {
        Value::String(s) if s.contains("${") => tpl(s),
        Value::Array(a) => Expression::Array(a.iter().map(expr).collect()),
        Value::Object(o) => {
            Expression::Object(o.iter().map(|(k, v)| (hcl::ObjectKey::from(k.clone()), expr(v))).collect())
        }
        other => hcl::to_expression(other).unwrap_or(Expression::Null),
    }
}

fn region_file(
    plan: &Plan,
    region: &RegionId,
    experiments: &[(&Planned, &Regional, &Request)],
    design_tag: &str,
) -> Result<ExportFile, ExportError> {
    let alias = snake(region.as_str());
    let provider = raw(&format!("aws.{alias}"));
    let role = format!("fis_{alias}");
    let alarms = stop_alarms(plan, region);
    let mut body = Body::builder();
    let mut used = BTreeSet::new();
    for (p, r, req) in experiments {
        let mut b = Block::builder("resource")
            .add_label("aws_fis_experiment_template")
            .add_label(format!("{}_{alias}", snake(&p.name)))
            .add_attribute(("provider", provider.clone()))
            .add_attribute(("description", common::description(design_tag, p, &req.hypothesis)))
            .add_attribute(("role_arn", raw(&format!("aws_iam_role.{role}.arn"))));
        if alarms.is_empty() {
            b = b.add_block(Block::builder("stop_condition").add_attribute(("source", "none")).build());
        }
        for a in &alarms {
            b = b.add_block(
                Block::builder("stop_condition")
                    .add_attribute(("source", "aws:cloudwatch:alarm"))
                    .add_attribute((
                        "value",
                        tpl(&format!(
                            "arn:{PARTITION}:cloudwatch:{region}:{ACCOUNT}:alarm:${{var.name_prefix}}-{}",
                            a.tf_name
                        )),
                    ))
                    .build(),
            );
        }
        let mut declared = BTreeSet::new();
        for (i, st) in r.steps.iter().enumerate() {
            used.insert(st.action);
            let tname = target_name(&plan.names, &st.select);
            let mut a = Block::builder("action")
                .add_attribute(("name", action_name(i, st.action)))
                .add_attribute(("action_id", st.action.id()));
            for (k, v) in &st.params {
                a = a.add_block(
                    Block::builder("parameter")
                        .add_attribute(("key", k.as_str()))
                        .add_attribute(("value", v.as_str()))
                        .build(),
                );
            }
            a = a.add_block(
                Block::builder("target")
                    .add_attribute(("key", st.action.target_key()))
                    .add_attribute(("value", tname.as_str()))
                    .build(),
            );
            b = b.add_block(a.build());
            if declared.insert(tname.clone()) {
                b = b.add_block(target(region, st.action, &st.select, &tname, design_tag));
            }
        }
        b = b.add_attribute((
            "tags",
            expr(&json!({"Name": format!("${{var.name_prefix}}-{}", p.name), "meridian:experiment": p.name})),
        ));
        body = body.add_block(b.build());
    }
    body = body.add_block(
        Block::builder("resource")
            .add_label("aws_iam_role")
            .add_label(role.as_str())
            .add_attribute(("provider", provider.clone()))
            .add_attribute(("name", tpl(&format!("${{var.name_prefix}}-fis-{region}"))))
            .add_attribute((
                "description",
                "Role of Meridian's FIS experiments: the permissions of the actions they use",
            ))
            .add_attribute((
                "assume_role_policy",
                jsonencode(&json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "fis.amazonaws.com"}, "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}]})),
            ))
            .build(),
    );
    body = body.add_block(
        Block::builder("resource")
            .add_label("aws_iam_role_policy")
            .add_label(role.as_str())
            .add_attribute(("provider", provider))
            .add_attribute(("name", "fis-actions"))
            .add_attribute(("role", raw(&format!("aws_iam_role.{role}.id"))))
            .add_attribute(("policy", jsonencode(&policy(&used, design_tag, region))))
            .build(),
    );
    let mut file = render(&format!("experiments-{region}.tf"), &body.build())?;
    file.contents = format!(
        "# Meridian chaos experiments (AWS FIS) in {region}; FIS actions per {SOURCE}\n{}",
        file.contents
    );
    Ok(file)
}

fn jsonencode(v: &Value) -> Expression {
    Expression::from(FuncCall::builder(Variable::unchecked("jsonencode")).arg(expr(v)).build())
}

fn target(region: &RegionId, action: Action, select: &Select, name: &str, design_tag: &str) -> Block {
    let mut t = Block::builder("target")
        .add_attribute(("name", name))
        .add_attribute(("resource_type", action.resource_type()))
        .add_attribute(("selection_mode", "ALL"));
    let tag = |k: &str, v: Expression| {
        Block::builder("resource_tag").add_attribute(("key", k)).add_attribute(("value", v)).build()
    };
    // `rest` starts with the ARN's service namespace.
    let arn = |rest: String| Expression::Array(vec![tpl(&format!("arn:{PARTITION}:{rest}"))]);
    match select {
        Select::Subnets { az } => {
            t = t.add_block(tag(DESIGN_TAG, Expression::from(design_tag)));
            if let Some(az) = az {
                t = t.add_block(
                    Block::builder("filter")
                        .add_attribute(("path", "AvailabilityZoneId"))
                        .add_attribute(("values", Expression::Array(vec![Expression::from(az.as_str())])))
                        .build(),
                );
            }
        }
        Select::AsgInstances(s) => {
            t = t.add_block(tag(
                "aws:autoscaling:groupName",
                tpl(&format!("${{var.name_prefix}}-{s}-{region}")),
            ));
            t = t.add_block(
                Block::builder("filter")
                    .add_attribute(("path", "State.Name"))
                    .add_attribute(("values", Expression::Array(vec![Expression::from("running")])))
                    .build(),
            );
        }
        Select::Tasks(s) => {
            let n = format!("${{var.name_prefix}}-{s}");
            t = t.add_attribute(("parameters", expr(&json!({"cluster": n, "service": n}))));
        }
        Select::Aurora(s) => {
            t = t.add_attribute((
                "resource_arns",
                arn(format!("rds:{region}:{ACCOUNT}:cluster:${{var.name_prefix}}-{s}")),
            ));
        }
        Select::Cache { service, az } => {
            t = t
                .add_attribute((
                    "resource_arns",
                    arn(format!(
                        "elasticache:{region}:{ACCOUNT}:replicationgroup:${{var.name_prefix}}-{service}"
                    )),
                ))
                .add_attribute(("parameters", expr(&json!({"availabilityZoneIdentifier": az}))));
        }
        Select::Table { primary, .. } => {
            t = t.add_attribute((
                "resource_arns",
                arn(format!("dynamodb:{region}:{ACCOUNT}:table/${{var.name_prefix}}-{primary}")),
            ));
        }
    }
    t.build()
}

/// The role's policy: exactly the permissions of `used`, changes limited by the design's tag where
/// the service supports it.
fn policy(used: &BTreeSet<Action>, design_tag: &str, region: &RegionId) -> Value {
    let tables = json!(format!("arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/${{var.name_prefix}}-*"));
    let statements = common::role_statements(used, design_tag, &tables);
    json!({"Version": "2012-10-17", "Statement": statements})
}
