//! AWS Backup in a region: vaults and the plan that backs up the design's stores.

use hcl::{Block, Body};

use super::expr::{ACCOUNT, PARTITION, alias, list, tags, tpl, tr};
use super::module::Out;
use super::policy::role;
use super::refs::key_arn;
use crate::plan::Plan;
use crate::rules;
use meridian_model::ServiceKind;
use meridian_model::design::Service;
use meridian_model::ids::RegionId;

/// A backup vault of the design, encrypted with the region's key.
pub(super) fn vault(plan: &Plan, out: &mut Out, s: &Service, region: &RegionId) {
    out.resource(
        "aws_backup_vault",
        &plan.names.tf(s.id.as_str()),
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            kms_key_arn = (key_arn(region))
            tags = (tags(&s.tags))
        }),
    );
}

/// The region's backup plan: a rule per backup link, copies to vaults in other regions, and a
/// selection of the stores backed up.
pub(super) fn backups(plan: &Plan, out: &mut Out, region: &RegionId) {
    let links = rules::backup_links(plan, region);
    if links.is_empty() {
        return;
    }
    let r = alias(region);
    let local = plan.services_in(region).into_iter().find(|s| s.kind == ServiceKind::AwsBackup);
    let vault = local.map_or_else(|| format!("backups_{r}"), |v| plan.names.tf(v.id.as_str()));
    if local.is_none() {
        out.resource(
            "aws_backup_vault",
            &vault,
            hcl::body!({
                name = (tpl("${var.name_prefix}-backups"))
                kms_key_arn = (key_arn(region))
            }),
        );
    }
    let mut plan_body =
        Body::builder().add_attribute(("name", tpl(&format!("${{var.name_prefix}}-{region}"))));
    let mut resources = Vec::new();
    for l in &links {
        let (schedule, days) = rules::backup_schedule(l);
        let mut rule = Block::builder("rule")
            .add_attribute(("rule_name", plan.names.cfn(l.id.as_str())))
            .add_attribute(("target_vault_name", tr(&format!("aws_backup_vault.{vault}.name"))))
            .add_attribute(("schedule", schedule))
            .add_block(hcl::block!(lifecycle { delete_after = (days) }));
        if rules::backup_copy_region(plan, l, region).is_some() {
            rule = rule.add_block(hcl::block!(copy_action {
                destination_vault_arn = (tr(&format!("aws_backup_vault.{}.arn", plan.names.tf(l.to.as_str()))))
                lifecycle { delete_after = (days) }
            }));
        }
        plan_body = plan_body.add_block(rule.build());
        let from = plan.names.tf(l.from.as_str());
        let Some(kind) = plan.kind_of(&l.from) else { continue };
        resources.push(match kind {
            ServiceKind::Aurora => tr(&format!("aws_rds_cluster.{from}.arn")),
            ServiceKind::S3 => tr(&format!("aws_s3_bucket.{from}.arn")),
            ServiceKind::DynamoDb => tpl(&format!(
                "arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/${{var.name_prefix}}-{}",
                rules::table_of(plan, &l.from)
            )),
            // The export selects no resource of these kinds for AWS Backup.
            ServiceKind::Alb
            | ServiceKind::ApiGateway
            | ServiceKind::AwsBackup
            | ServiceKind::AwsConfig
            | ServiceKind::CloudFront
            | ServiceKind::CloudTrail
            | ServiceKind::CloudWatch
            | ServiceKind::DirectConnect
            | ServiceKind::Dms
            | ServiceKind::Ec2Asg
            | ServiceKind::EcsFargate
            | ServiceKind::Eks
            | ServiceKind::ElastiCache
            | ServiceKind::EventBridge
            | ServiceKind::GlobalAccelerator
            | ServiceKind::Iam
            | ServiceKind::Lambda
            | ServiceKind::LambdaEdge
            | ServiceKind::NatGateway
            | ServiceKind::Nlb
            | ServiceKind::Rds
            | ServiceKind::Route53
            | ServiceKind::SageMakerEndpoint
            | ServiceKind::SiteToSiteVpn
            | ServiceKind::Sns
            | ServiceKind::Sqs
            | ServiceKind::StepFunctions
            | ServiceKind::TransitGateway => continue,
        });
    }
    out.resource("aws_backup_plan", &r, plan_body.build());
    let role_arn = role(
        out,
        &format!("backup_{r}"),
        "backup.amazonaws.com",
        &[
            "service-role/AWSBackupServiceRolePolicyForBackup",
            "service-role/AWSBackupServiceRolePolicyForRestores",
        ],
        Vec::new(),
        &plan.common_tags,
    );
    out.resource(
        "aws_backup_selection",
        &r,
        hcl::body!({
            name = "design-stores"
            plan_id = (tr(&format!("aws_backup_plan.{r}.id")))
            iam_role_arn = (role_arn)
            resources = (list(resources))
        }),
    );
}
