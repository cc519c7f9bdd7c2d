//! One region's file: the KMS key, the log bucket, the VPC across the design's AZs, security
//! groups, and each exported service of the region (by kind, in id order).

use hcl::expr::Expression;

use super::expr::{ACCOUNT, PARTITION, alias, tpl, tr};
use super::module::Out;
use super::policy::{Statement, document, tls_only};
use super::refs::key_arn;
use super::{alarms, asg, backup, buckets, compute, data, netops, platform};
use crate::plan::{Plan, is_load_balancer};
use crate::rules;
use meridian_model::ServiceKind;
use meridian_model::design::EntityRef;
use meridian_model::ids::RegionId;

/// Writes the resources of `region`.
pub(super) fn region(plan: &Plan, out: &mut Out, region: &RegionId) {
    out.owner(None);
    key(plan, out, region);
    log_bucket(plan, out, region);
    if plan.needs_vpc(region) {
        network(plan, out, region);
    }
    let services = plan.services_in(region);
    if services.iter().any(|s| is_load_balancer(s.kind)) {
        out.variable(
            &format!("certificate_arn_{}", alias(region)),
            &format!("ARN of an ACM certificate in {region} for the load balancers' TLS listeners"),
            None,
        );
    }
    for s in &services {
        out.owner(Some(EntityRef::Service(s.id.clone())));
        match s.kind {
            ServiceKind::Alb | ServiceKind::Nlb => compute::load_balancer(plan, out, s),
            ServiceKind::EcsFargate => compute::fargate(plan, out, s),
            ServiceKind::Ec2Asg => asg::auto_scaling_group(plan, out, s),
            ServiceKind::Lambda => compute::lambda(plan, out, s),
            ServiceKind::ApiGateway => compute::api(plan, out, s),
            ServiceKind::Sqs | ServiceKind::Sns => data::messaging(plan, out, s),
            ServiceKind::DynamoDb => data::dynamodb(plan, out, s),
            ServiceKind::Aurora => data::aurora(plan, out, s),
            ServiceKind::S3 => buckets::bucket(plan, out, s),
            ServiceKind::ElastiCache => data::cache(plan, out, s),
            ServiceKind::AwsBackup => backup::vault(plan, out, s, region),
            ServiceKind::Eks => platform::eks(plan, out, s),
            ServiceKind::StepFunctions => platform::state_machine(plan, out, s),
            ServiceKind::EventBridge => platform::event_bus(plan, out, s),
            ServiceKind::Rds => platform::rds(plan, out, s),
            ServiceKind::Dms => platform::dms(plan, out, s),
            ServiceKind::SageMakerEndpoint => platform::sagemaker(plan, out, s),
            ServiceKind::TransitGateway => netops::transit_gateway(plan, out, s),
            ServiceKind::NatGateway => netops::nat_gateway(plan, out, s),
            ServiceKind::SiteToSiteVpn => netops::vpn(plan, out, s),
            ServiceKind::CloudWatch => netops::dashboard(plan, out, s),
            ServiceKind::CloudTrail => netops::trail(plan, out, s),
            ServiceKind::AwsConfig => netops::config(plan, out, s),
            ServiceKind::DirectConnect => netops::dx_gateway(plan, out, s),
            // Global: written in `global.tf` (`edge.rs`).
            ServiceKind::CloudFront
            | ServiceKind::GlobalAccelerator
            | ServiceKind::Route53
            | ServiceKind::Iam
            | ServiceKind::LambdaEdge => {}
        }
        out.flush();
    }
    out.owner(None);
    backup::backups(plan, out, region);
    alarms::alarms(plan, out, region);
}

fn key(plan: &Plan, out: &mut Out, region: &RegionId) {
    let r = alias(region);
    let cdn = plan.services_in(region).iter().any(|s| rules::behind_cloudfront(plan, &s.id));
    let mut statements = vec![
        Statement::allow("AccountAdmin", &["kms:*"])
            .on_any()
            .by("AWS", vec![tpl(&format!("arn:{PARTITION}:iam::{ACCOUNT}:root"))]),
        Statement::allow(
            "CloudWatchLogs",
            &["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        )
        .on_any()
        .by("Service", vec![Expression::from(format!("logs.{region}.amazonaws.com"))])
        .when(
            "ArnLike",
            "kms:EncryptionContext:aws:logs:arn",
            vec![tpl(&format!("arn:{PARTITION}:logs:{region}:{ACCOUNT}:*"))],
        ),
    ];
    if cdn {
        statements.push(
            Statement::allow("CloudFrontOrigins", &["kms:Decrypt", "kms:GenerateDataKey*"])
                .on_any()
                .by("Service", vec![Expression::from("cloudfront.amazonaws.com")])
                .when(
                    "StringLike",
                    "AWS:SourceArn",
                    vec![tpl(&format!("arn:{PARTITION}:cloudfront::{ACCOUNT}:distribution/*"))],
                ),
        );
    }
    statements.extend(netops::key_statements(plan, region));
    let policy = document(out, &format!("key_{r}"), statements);
    for check in ["CKV_AWS_109", "CKV_AWS_111", "CKV_AWS_356"] {
        out.skip_data(
            "aws_iam_policy_document",
            &format!("key_{r}"),
            check,
            "in a key policy the resource `*` is the key itself; principals and conditions limit who may use it",
        );
    }
    out.resource(
        "aws_kms_key",
        &r,
        hcl::body!({
            description = (tpl("${var.name_prefix}: encryption at rest"))
            enable_key_rotation = true
            deletion_window_in_days = 30
            policy = (policy)
            lifecycle { prevent_destroy = true }
        }),
    );
    out.resource(
        "aws_kms_alias",
        &r,
        hcl::body!({
            name = (tpl("alias/${var.name_prefix}"))
            target_key_id = (tr(&format!("aws_kms_key.{r}.key_id")))
        }),
    );
    out.output(&format!("key_arn_{r}"), &format!("KMS key for data at rest in {region}"), key_arn(region));
}

fn log_bucket(plan: &Plan, out: &mut Out, region: &RegionId) {
    let r = alias(region);
    let name = format!("logs_{r}");
    out.resource(
        "aws_s3_bucket",
        &name,
        hcl::body!({
            bucket = (tpl(&format!("${{var.name_prefix}}-logs-{region}-{ACCOUNT}")))
            lifecycle { prevent_destroy = true }
        }),
    );
    out.skip(
        "aws_s3_bucket",
        &name,
        "CKV_AWS_18",
        "this is the access-log bucket; logging it to itself would loop",
    );
    out.skip(
        "aws_s3_bucket",
        &name,
        "CKV_AWS_145",
        "S3 server access logs can be delivered only to buckets encrypted with SSE-S3",
    );
    out.skip("aws_s3_bucket", &name, "CKV_AWS_144", "access logs stay in the region they describe");
    buckets::bucket_controls(
        out,
        &name,
        None,
        None,
        hcl::body!({
            rule {
                id = "expire-logs"
                status = "Enabled"
                filter {}
                expiration { days = 400 }
                noncurrent_version_expiration { noncurrent_days = 30 }
                abort_incomplete_multipart_upload { days_after_initiation = 7 }
            }
        }),
    );
    let arn = tr(&format!("aws_s3_bucket.{name}.arn"));
    let objects = tpl(&format!("${{aws_s3_bucket.{name}.arn}}/*"));
    let account = vec![tr("data.aws_caller_identity.current.account_id")];
    let policy = document(
        out,
        &name,
        vec![
            tls_only("s3:*", vec![arn.clone(), objects.clone()]),
            Statement::allow("ServerAccessLogs", &["s3:PutObject"])
                .on(vec![objects])
                .by("Service", vec![Expression::from("logging.s3.amazonaws.com")])
                .when("StringEquals", "aws:SourceAccount", account.clone()),
            Statement::allow("FlowLogsWrite", &["s3:PutObject"])
                .on(vec![tpl(&format!("${{aws_s3_bucket.{name}.arn}}/AWSLogs/{ACCOUNT}/*"))])
                .by("Service", vec![Expression::from("delivery.logs.amazonaws.com")])
                .when("StringEquals", "aws:SourceAccount", account.clone()),
            Statement::allow("FlowLogsAcl", &["s3:GetBucketAcl"])
                .on(vec![arn])
                .by("Service", vec![Expression::from("delivery.logs.amazonaws.com")])
                .when("StringEquals", "aws:SourceAccount", account),
        ]
        .into_iter()
        .chain(netops::log_bucket_statements(plan, region))
        .collect(),
    );
    out.resource(
        "aws_s3_bucket_policy",
        &name,
        hcl::body!({
            bucket = (tr(&format!("aws_s3_bucket.{name}.id")))
            policy = (policy)
        }),
    );
}

fn network(plan: &Plan, out: &mut Out, region: &RegionId) {
    let r = alias(region);
    let i = plan.region_index(region);
    let vpc = tr(&format!("aws_vpc.{r}.id"));
    out.resource(
        "aws_vpc",
        &r,
        hcl::body!({
            cidr_block = (format!("10.{i}.0.0/16"))
            enable_dns_support = true
            enable_dns_hostnames = true
        }),
    );
    out.resource(
        "aws_flow_log",
        &r,
        hcl::body!({
            vpc_id = (vpc.clone())
            traffic_type = "ALL"
            log_destination_type = "s3"
            log_destination = (tr(&format!("aws_s3_bucket.logs_{r}.arn")))
        }),
    );
    out.resource("aws_default_security_group", &r, hcl::body!({ vpc_id = (vpc.clone()) }));
    out.resource("aws_internet_gateway", &r, hcl::body!({ vpc_id = (vpc.clone()) }));
    out.resource(
        "aws_route_table",
        &format!("{r}_public"),
        hcl::body!({
            vpc_id = (vpc.clone())
            route {
                cidr_block = "0.0.0.0/0"
                gateway_id = (tr(&format!("aws_internet_gateway.{r}.id")))
            }
        }),
    );
    out.resource("aws_route_table", &format!("{r}_private"), hcl::body!({ vpc_id = (vpc.clone()) }));
    let azs = plan.design.region(region).map(|x| x.azs.clone()).unwrap_or_default();
    for (n, az) in azs.iter().enumerate() {
        for (tier, offset) in [("public", 0), ("private", 100)] {
            let id = format!("{r}_{tier}_{}", n + 1);
            out.resource(
                "aws_subnet",
                &id,
                hcl::body!({
                    vpc_id = (vpc.clone())
                    availability_zone_id = (az.as_str())
                    cidr_block = (format!("10.{i}.{}.0/24", offset + n))
                    map_public_ip_on_launch = false
                }),
            );
            out.resource(
                "aws_route_table_association",
                &id,
                hcl::body!({
                    subnet_id = (tr(&format!("aws_subnet.{id}.id")))
                    route_table_id = (tr(&format!("aws_route_table.{r}_{tier}.id")))
                }),
            );
        }
    }
}
