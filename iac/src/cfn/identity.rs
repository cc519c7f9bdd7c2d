//! Global services of the global template besides the edge: IAM roles a design draws as a
//! service, and Lambda@Edge functions (created in us-east-1, published as a version CloudFront
//! associates).

use serde_json::json;

use super::template::{Template, att, r, sub, tags};
use crate::kind_rules::ROLE_SESSION_SECONDS;
use crate::plan::Plan;
use crate::rules;
use meridian_model::design::Service;

/// A role the account's principals may assume only with MFA, granting nothing until its users'
/// permissions are attached (a note says so).
pub(super) fn role(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    t.add(
        &id,
        "AWS::IAM::Role",
        json!({"Description": format!("{} ({}), drawn in the design {}", s.name, s.id, crate::plan::tag_value(plan.design.name())),
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")}, "Action": "sts:AssumeRole",
                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]},
            "MaxSessionDuration": ROLE_SESSION_SECONDS, "Tags": tags(&s.tags)}),
    );
    t.output(&format!("{id}Arn"), "Role ARN", att(&id, "Arn"));
}

/// A Lambda@Edge function with placeholder code, its role (Lambda and its edge replicas may
/// assume it; it may write its logs) and a published version.
pub(super) fn edge_function(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    t.add(
        &format!("{id}Role"),
        "AWS::IAM::Role",
        json!({"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com", "edgelambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": sub("arn:${AWS::Partition}:logs:*:${AWS::AccountId}:log-group:/aws/lambda/*")}]}}],
            "Tags": tags(&s.tags)}),
    );
    t.add(
        &id,
        "AWS::Lambda::Function",
        json!({"FunctionName": format!("{}-{}", plan.prefix, s.id), "Runtime": "python3.12", "Handler": "index.handler",
            "Role": att(&format!("{id}Role"), "Arn"), "MemorySize": rules::lambda_memory_mib(s), "Timeout": 5,
            "Code": {"ZipFile": rules::PLACEHOLDER_CODE}, "Tags": tags(&s.tags)}),
    );
    t.skip(&id, "CKV_AWS_117", "Lambda@Edge functions cannot run in a VPC");
    t.add(&format!("{id}Version"), "AWS::Lambda::Version", json!({"FunctionName": r(&id)}));
    t.output(
        &format!("{id}VersionArn"),
        "Function version ARN to associate with CloudFront",
        r(&format!("{id}Version")),
    );
}
