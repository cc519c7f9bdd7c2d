//! Platform services of a region's file: EKS clusters (pods on Fargate), Step Functions state
//! machines, EventBridge buses, RDS instances, DMS replication instances and SageMaker
//! endpoints, as the CloudFormation export writes them (`cfn/platform.rs`).

use hcl::Body;
use hcl::expr::Expression;

use super::compute::log_group;
use super::expr::{ACCOUNT, PARTITION, call, list, tags, tpl, tr};
use super::module::Out;
use super::policy::{Statement, role};
use super::refs::{SubnetGroup, key_arn, private_subnet_group, region_of, security_group, subnets};
use crate::kind_rules::{
    EKS_LOG_TYPES, invoked_functions, rds_engine, rds_logs, rds_storage_gib, state_machine_definition,
};
use crate::plan::Plan;
use meridian_model::cost::footprint::AURORA_BACKUP_RETENTION_DAYS;
use meridian_model::design::Service;
use meridian_model::sizing;

/// An EKS cluster (private endpoint, secrets encrypted, every control-plane log kept) and a
/// Fargate profile for the `default` namespace.
pub(super) fn eks(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    let cluster_role =
        role(out, &name, "eks.amazonaws.com", &["AmazonEKSClusterPolicy"], Vec::new(), &s.tags);
    let pod_role = role(
        out,
        &format!("{name}_pods"),
        "eks-fargate-pods.amazonaws.com",
        &["AmazonEKSFargatePodExecutionRolePolicy"],
        Vec::new(),
        &s.tags,
    );
    log_group(out, &name, &tpl(&format!("/aws/eks/${{var.name_prefix}}-{}/cluster", s.id)), s);
    let log_types: Vec<Expression> = EKS_LOG_TYPES.iter().map(|t| Expression::from(*t)).collect();
    out.resource(
        "aws_eks_cluster",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            role_arn = (cluster_role)
            enabled_cluster_log_types = (list(log_types))
            vpc_config {
                subnet_ids = (subnets(plan, &region, "private"))
                security_group_ids = [(sg)]
                endpoint_private_access = true
                endpoint_public_access = false
            }
            encryption_config {
                resources = ["secrets"]
                provider { key_arn = (key_arn(&region)) }
            }
            access_config { authentication_mode = "API" }
            tags = (tags(&s.tags))
            depends_on = [(tr(&format!("aws_cloudwatch_log_group.{name}"))), (tr(&format!("aws_iam_role_policy_attachment.{name}_1")))]
        }),
    );
    out.resource(
        "aws_eks_fargate_profile",
        &name,
        hcl::body!({
            cluster_name = (tr(&format!("aws_eks_cluster.{name}.name")))
            fargate_profile_name = "default"
            pod_execution_role_arn = (pod_role)
            subnet_ids = (subnets(plan, &region, "private"))
            selector { namespace = "default" }
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_arn"), "Cluster ARN", tr(&format!("aws_eks_cluster.{name}.arn")));
}

/// A standard state machine invoking the linked functions, logging to its log group, traced.
pub(super) fn state_machine(plan: &Plan, out: &mut Out, s: &Service) {
    let name = plan.names.tf(s.id.as_str());
    let functions = invoked_functions(plan, s);
    let arns: Vec<Expression> = functions
        .iter()
        .map(|f| tr(&format!("aws_lambda_function.{}.arn", plan.names.tf(f.as_str()))))
        .collect();
    let states: Vec<(String, String)> = functions
        .iter()
        .map(|f| {
            let n = plan.names.tf(f.as_str());
            (format!("Invoke_{n}"), format!("${{aws_lambda_function.{n}.arn}}"))
        })
        .collect();
    let mut statements = vec![
        Statement::allow(
            "LogsAndTraces",
            &[
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
                "xray:GetSamplingRules",
                "xray:GetSamplingTargets",
            ],
        )
        .on_any(),
    ];
    if !arns.is_empty() {
        statements.push(Statement::allow("Invoke", &["lambda:InvokeFunction"]).on(arns));
    }
    let role_arn = role(out, &name, "states.amazonaws.com", &[], statements, &s.tags);
    for check in ["CKV_AWS_111", "CKV_AWS_356"] {
        out.skip_data(
            "aws_iam_policy_document",
            &format!("{name}_access"),
            check,
            "CloudWatch Logs delivery and X-Ray actions accept only the resource `*` (Step Functions Developer Guide)",
        );
    }
    log_group(out, &name, &tpl(&format!("/aws/vendedlogs/states/${{var.name_prefix}}-{}", s.id)), s);
    let definition = call("jsonencode", vec![json_expression(&state_machine_definition(&states))]);
    out.resource(
        "aws_sfn_state_machine",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            type = "STANDARD"
            role_arn = (role_arn)
            definition = (definition)
            logging_configuration {
                level = "ALL"
                include_execution_data = false
                log_destination = (tpl(&format!("${{aws_cloudwatch_log_group.{name}.arn}}:*")))
            }
            tracing_configuration { enabled = true }
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_arn"), "State machine ARN", tr(&format!("aws_sfn_state_machine.{name}.arn")));
}

/// A custom event bus encrypted with the region's key.
pub(super) fn event_bus(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    out.resource(
        "aws_cloudwatch_event_bus",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            kms_key_identifier = (key_arn(&region))
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_arn"), "Event bus ARN", tr(&format!("aws_cloudwatch_event_bus.{name}.arn")));
}

/// An RDS instance (Multi-AZ from two instances, read replicas beyond), as in CloudFormation.
pub(super) fn rds(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    let engine = rds_engine(s);
    private_subnet_group(plan, out, s, SubnetGroup::Db);
    let logs: Vec<Expression> = rds_logs(engine).into_iter().map(Expression::from).collect();
    let common = |b: hcl::BodyBuilder| {
        b.add_attribute(("instance_class", sizing::instance_type(s)))
            .add_attribute(("publicly_accessible", false))
            .add_attribute(("auto_minor_version_upgrade", true))
            .add_attribute(("performance_insights_enabled", true))
            .add_attribute(("performance_insights_kms_key_id", key_arn(&region)))
            .add_attribute(("enabled_cloudwatch_logs_exports", list(logs.clone())))
            .add_attribute(("iam_database_authentication_enabled", true))
            .add_attribute(("copy_tags_to_snapshot", true))
            .add_attribute(("deletion_protection", true))
            .add_attribute(("vpc_security_group_ids", list(vec![sg.clone()])))
            .add_attribute(("tags", tags(&s.tags)))
    };
    let primary = Body::builder()
        .add_attribute(("identifier", tpl(&format!("${{var.name_prefix}}-{}", s.id))))
        .add_attribute(("engine", engine))
        .add_attribute(("allocated_storage", rds_storage_gib(s)))
        .add_attribute(("max_allocated_storage", 1000))
        .add_attribute(("storage_type", "gp3"))
        .add_attribute(("storage_encrypted", true))
        .add_attribute(("kms_key_id", key_arn(&region)))
        .add_attribute(("multi_az", s.config.count >= 2))
        .add_attribute(("username", "app_admin"))
        .add_attribute(("manage_master_user_password", true))
        .add_attribute(("master_user_secret_kms_key_id", key_arn(&region)))
        .add_attribute(("backup_retention_period", AURORA_BACKUP_RETENTION_DAYS))
        .add_attribute(("db_subnet_group_name", tr(&format!("aws_db_subnet_group.{name}.name"))))
        .add_attribute(("skip_final_snapshot", false))
        .add_attribute(("final_snapshot_identifier", tpl(&format!("${{var.name_prefix}}-{}-final", s.id))));
    out.resource("aws_db_instance", &name, common(primary).build());
    let replicas = s.config.count.saturating_sub(2);
    if replicas > 0 {
        let replica = Body::builder()
            .add_attribute(("count", replicas))
            .add_attribute((
                "identifier",
                tpl(&format!("${{var.name_prefix}}-{}-replica-${{count.index + 1}}", s.id)),
            ))
            .add_attribute(("replicate_source_db", tr(&format!("aws_db_instance.{name}.identifier"))))
            .add_attribute(("skip_final_snapshot", true));
        out.resource("aws_db_instance", &format!("{name}_replica"), common(replica).build());
    }
    out.output(
        &format!("{name}_endpoint"),
        "Instance endpoint",
        tr(&format!("aws_db_instance.{name}.address")),
    );
}

/// A DMS replication instance in private subnets, encrypted, Multi-AZ from two instances.
pub(super) fn dms(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    private_subnet_group(plan, out, s, SubnetGroup::Dms);
    out.resource(
        "aws_dms_replication_instance",
        &name,
        hcl::body!({
            replication_instance_id = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            replication_instance_class = (sizing::instance_type(s))
            allocated_storage = 50
            multi_az = (s.config.count >= 2)
            publicly_accessible = false
            kms_key_arn = (key_arn(&region))
            auto_minor_version_upgrade = true
            replication_subnet_group_id = (tr(&format!("aws_dms_replication_subnet_group.{name}.id")))
            vpc_security_group_ids = [(sg)]
            tags = (tags(&s.tags))
        }),
    );
    out.output(
        &format!("{name}_arn"),
        "Replication instance ARN",
        tr(&format!("aws_dms_replication_instance.{name}.replication_instance_arn")),
    );
}

/// A SageMaker model (image a variable, network isolation), endpoint configuration (storage
/// encrypted with the region's key) and endpoint.
pub(super) fn sagemaker(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    out.variable(
        &format!("{name}_model_image"),
        &format!("ECR image URI of the inference container of {}", s.name),
        None,
    );
    let statements = vec![
        Statement::allow(
            "PullImage",
            &["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
        )
        .on(vec![tpl(&format!("arn:{PARTITION}:ecr:{region}:{ACCOUNT}:repository/*"))]),
        Statement::allow("TokenAndMetrics", &["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"])
            .on_any(),
        Statement::allow("Logs", &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"])
            .on(vec![tpl(&format!("arn:{PARTITION}:logs:{region}:{ACCOUNT}:log-group:/aws/sagemaker/*"))]),
    ];
    let role_arn = role(out, &name, "sagemaker.amazonaws.com", &[], statements, &s.tags);
    for check in ["CKV_AWS_111", "CKV_AWS_356"] {
        out.skip_data(
            "aws_iam_policy_document",
            &format!("{name}_access"),
            check,
            "ecr:GetAuthorizationToken and cloudwatch:PutMetricData accept only the resource `*`",
        );
    }
    out.resource(
        "aws_sagemaker_model",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            execution_role_arn = (role_arn)
            enable_network_isolation = true
            primary_container { image = (tr(&format!("var.{name}_model_image"))) }
            tags = (tags(&s.tags))
        }),
    );
    out.resource(
        "aws_sagemaker_endpoint_configuration",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            kms_key_arn = (key_arn(&region))
            production_variants {
                variant_name = "primary"
                model_name = (tr(&format!("aws_sagemaker_model.{name}.name")))
                instance_type = (sizing::instance_type(s))
                initial_instance_count = (s.config.count.max(1))
                initial_variant_weight = 1
            }
            tags = (tags(&s.tags))
        }),
    );
    out.resource(
        "aws_sagemaker_endpoint",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            endpoint_config_name = (tr(&format!("aws_sagemaker_endpoint_configuration.{name}.name")))
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_arn"), "Endpoint ARN", tr(&format!("aws_sagemaker_endpoint.{name}.arn")));
}

/// A JSON value as an HCL expression for `jsonencode`; a string `${a.b.c}` becomes the reference.
fn json_expression(value: &serde_json::Value) -> Expression {
    use serde_json::Value;
    match value {
        Value::Null => Expression::Null,
        Value::Bool(b) => Expression::from(*b),
        Value::Number(n) => {
            n.as_u64().map_or_else(|| Expression::from(n.as_f64().unwrap_or_default()), Expression::from)
        }
        Value::String(text) => match text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
            Some(reference) => tr(reference),
            None => Expression::from(text.as_str()),
        },
        Value::Array(items) => list(items.iter().map(json_expression).collect()),
        Value::Object(map) => Expression::Object(
            map.iter().map(|(k, v)| (hcl::ObjectKey::from(k.as_str()), json_expression(v))).collect(),
        ),
    }
}
