//! Global services of `global.tf` besides the edge: IAM roles a design draws as a service and
//! Lambda@Edge functions, as the CloudFormation export writes them (`cfn/identity.rs`).

use hcl::expr::Expression;

use super::expr::{ACCOUNT, PARTITION, call, tags, tpl, tr};
use super::module::Out;
use super::policy::{Statement, document};
use crate::kind_rules::ROLE_SESSION_SECONDS;
use crate::plan::Plan;
use crate::rules;
use meridian_model::design::Service;

/// A role the account's principals may assume only with MFA, granting nothing yet.
pub(super) fn role(plan: &Plan, out: &mut Out, s: &Service) {
    let name = plan.names.tf(s.id.as_str());
    let trust = document(
        out,
        &format!("{name}_assume"),
        vec![
            Statement::allow("", &["sts:AssumeRole"])
                .by("AWS", vec![tpl(&format!("arn:{PARTITION}:iam::{ACCOUNT}:root"))])
                .when("Bool", "aws:MultiFactorAuthPresent", vec![Expression::from("true")]),
        ],
    );
    out.resource(
        "aws_iam_role",
        &name,
        hcl::body!({
            description = (format!("{} ({}), drawn in the design {}", s.name, s.id, crate::plan::tag_value(plan.design.name())))
            assume_role_policy = (trust)
            max_session_duration = (ROLE_SESSION_SECONDS)
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_arn"), "Role ARN", tr(&format!("aws_iam_role.{name}.arn")));
}

/// A Lambda@Edge function (placeholder package, published), its role and log permissions.
pub(super) fn edge_function(plan: &Plan, out: &mut Out, s: &Service) {
    let name = plan.names.tf(s.id.as_str());
    let trust = document(
        out,
        &format!("{name}_assume"),
        vec![Statement::allow("", &["sts:AssumeRole"]).by(
            "Service",
            vec![Expression::from("lambda.amazonaws.com"), Expression::from("edgelambda.amazonaws.com")],
        )],
    );
    out.resource(
        "aws_iam_role",
        &name,
        hcl::body!({
            assume_role_policy = (trust)
            tags = (tags(&s.tags))
        }),
    );
    let logs = document(
        out,
        &format!("{name}_access"),
        vec![
            Statement::allow("Logs", &["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"])
                .on(vec![tpl(&format!("arn:{PARTITION}:logs:*:{ACCOUNT}:log-group:/aws/lambda/*"))]),
        ],
    );
    out.resource(
        "aws_iam_role_policy",
        &format!("{name}_access"),
        hcl::body!({
            name = "logs"
            role = (tr(&format!("aws_iam_role.{name}.id")))
            policy = (logs)
        }),
    );
    let package = tpl(&format!("${{path.module}}/{}", out.package(&name)));
    out.resource(
        "aws_lambda_function",
        &name,
        hcl::body!({
            function_name = (format!("{}-{}", plan.prefix, s.id))
            runtime = "python3.12"
            handler = "index.handler"
            role = (tr(&format!("aws_iam_role.{name}.arn")))
            filename = (package.clone())
            source_code_hash = (call("filebase64sha256", vec![package]))
            memory_size = (rules::lambda_memory_mib(s))
            timeout = 5
            publish = true
            tags = (tags(&s.tags))
        }),
    );
    out.skip("aws_lambda_function", &name, "CKV_AWS_117", "Lambda@Edge functions cannot run in a VPC");
    out.skip("aws_lambda_function", &name, "CKV_AWS_50", "Lambda@Edge does not support X-Ray active tracing");
    out.output(
        &format!("{name}_version_arn"),
        "Function version ARN to associate with CloudFront",
        tr(&format!("aws_lambda_function.{name}.qualified_arn")),
    );
}
