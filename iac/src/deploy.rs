//! `DEPLOY.md`: what was generated, the deployment order, what could not be exported faithfully,
//! and which scanner checks are skipped on purpose and why.
//!
//! Text from the design or its policies (names, reasons) is written through
//! [`meridian_model::shell::comment`], so it stays on its own line and cannot start a code block a
//! reader would run; the commands themselves are quoted by the format writers.

use std::fmt::Write as _;

use meridian_model::shell::comment;

use super::plan::Plan;
use crate::bundle::{Format, SkippedCheck};

/// Renders `DEPLOY.md`.
pub(super) fn render(
    plan: &Plan,
    format: Format,
    steps: &[String],
    warnings: &[String],
    skipped: &[SkippedCheck],
) -> String {
    let mut out = String::new();
    let what = match format {
        Format::CloudFormation => "CloudFormation templates",
        Format::Terraform => "a Terraform root module",
    };
    let _ = writeln!(out, "# Deploying {}\n", comment(plan.design.name()));
    let _ = writeln!(
        out,
        "Meridian generated {what} from this design. Regions: {}.\n",
        plan.regions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(
        out,
        "Every resource is encrypted at rest with KMS (a customer managed key per region; DynamoDB uses \
        the AWS managed key `aws/dynamodb`), accepts only TLS, and carries the design's tags. Databases have deletion \
        protection, tables point-in-time recovery, buckets versioning, public access blocks and access logs.\n"
    );
    let _ = writeln!(out, "## Order\n");
    for (n, step) in steps.iter().enumerate() {
        let _ = writeln!(out, "{}. {}\n", n + 1, step.replace('\n', "\n   "));
    }
    let _ = writeln!(out, "## Before production\n");
    let _ = writeln!(
        out,
        "- Container images, function code and the schema of tables (keys `pk` and `sk`) are placeholders: \
        deploy your own over them.\n- Private subnets have no NAT gateway (the design has none): add VPC endpoints (ECR, \
        CloudWatch Logs, S3, DynamoDB) or a NAT gateway so tasks can pull images.\n- Load balancer access logs are not \
        enabled: they need the region's Elastic Load Balancing account in the log bucket's policy.\n"
    );
    if !super::rules::lag_alarms(plan).is_empty()
        || plan.regions.iter().any(|r| !super::rules::target_groups(plan, r).is_empty())
    {
        let topic = match format {
            Format::CloudFormation => "the `AlarmTopicArn` output of each regional stack",
            Format::Terraform => "the `alarm_topic_arn_<region>` outputs",
        };
        let _ = writeln!(
            out,
            "CloudWatch alarms watch replication lag (DynamoDB `ReplicationLatency`, Aurora \
            `AuroraGlobalDBReplicationLag`, S3 `ReplicationLatency` of rules with Replication Time Control) and \
            unhealthy load balancer targets; they notify a KMS-encrypted topic per region ({topic}): subscribe \
            your on-call to it.\n"
        );
    }
    if !plan.constraints.is_empty() {
        let _ = writeln!(out, "## Data residency\n");
        for c in &plan.constraints {
            let _ = writeln!(
                out,
                "- `{}` ({}, {}): replicas only in {}. {}.",
                c.service,
                comment(&c.rule),
                comment(&c.data_class),
                comment(&c.allowed.join(", ")),
                comment(&c.reason)
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Not exported faithfully\n");
    if warnings.is_empty() {
        let _ = writeln!(out, "Nothing: every service and link of the design is in the generated code.\n");
    }
    for w in warnings {
        let _ = writeln!(out, "- {}", comment(w));
    }
    if !warnings.is_empty() {
        let _ = writeln!(out);
    }
    let _ = writeln!(out, "## Scanner checks skipped on purpose\n");
    if skipped.is_empty() {
        let _ = writeln!(out, "None.");
    }
    for s in skipped {
        let _ = writeln!(out, "- `{}` on `{}`: {}.", s.check, s.resource, comment(&s.reason));
    }
    out
}
