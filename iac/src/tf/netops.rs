//! Networking and operations services of a region's file: transit gateways, NAT gateways,
//! Site-to-Site VPN, CloudWatch dashboards, CloudTrail trails, AWS Config recorders and Direct
//! Connect gateways, as the CloudFormation export writes them (`cfn/netops.rs`; CloudFormation
//! has no Direct Connect gateway).

use hcl::expr::Expression;

use super::expr::{ACCOUNT, PARTITION, alias, tags, tpl, tr};
use super::module::Out;
use super::policy::{Statement, role};
use super::refs::{key_arn, region_of, subnets};
use crate::kind_rules::{CONFIG_PREFIX, TRAIL_PREFIX, dashboard_body, first_nat, region_has};
use crate::plan::Plan;
use meridian_model::ServiceKind;
use meridian_model::design::Service;
use meridian_model::ids::RegionId;

/// A transit gateway attached to the private subnets of the region's VPC.
pub(super) fn transit_gateway(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    out.resource(
        "aws_ec2_transit_gateway",
        &name,
        hcl::body!({
            description = (format!("{} ({})", s.name, s.id))
            auto_accept_shared_attachments = "disable"
            default_route_table_association = "enable"
            default_route_table_propagation = "enable"
            dns_support = "enable"
            vpn_ecmp_support = "enable"
            tags = (tags(&s.tags))
        }),
    );
    out.resource(
        "aws_ec2_transit_gateway_vpc_attachment",
        &name,
        hcl::body!({
            transit_gateway_id = (tr(&format!("aws_ec2_transit_gateway.{name}.id")))
            vpc_id = (tr(&format!("aws_vpc.{}.id", alias(&region))))
            subnet_ids = (subnets(plan, &region, "private"))
            tags = (tags(&s.tags))
        }),
    );
    out.output(
        &format!("{name}_id"),
        "Transit gateway id",
        tr(&format!("aws_ec2_transit_gateway.{name}.id")),
    );
}

/// NAT gateways with their Elastic IPs over the public subnets; the region's first carries the
/// private route table's default route.
pub(super) fn nat_gateway(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let r = alias(&region);
    let name = plan.names.tf(s.id.as_str());
    let zones = plan.design.region(&region).map_or(1, |x| x.azs.len().max(1));
    for n in 1..=s.config.count.max(1) as usize {
        out.resource(
            "aws_eip",
            &format!("{name}_{n}"),
            hcl::body!({
                domain = "vpc"
                tags = (tags(&s.tags))
            }),
        );
        out.resource(
            "aws_nat_gateway",
            &format!("{name}_{n}"),
            hcl::body!({
                allocation_id = (tr(&format!("aws_eip.{name}_{n}.id")))
                subnet_id = (tr(&format!("aws_subnet.{r}_public_{}.id", (n - 1) % zones + 1)))
                tags = (tags(&s.tags))
                depends_on = [(tr(&format!("aws_internet_gateway.{r}")))]
            }),
        );
    }
    if first_nat(plan, s) {
        out.resource(
            "aws_route",
            &name,
            hcl::body!({
                route_table_id = (tr(&format!("aws_route_table.{r}_private.id")))
                destination_cidr_block = "0.0.0.0/0"
                nat_gateway_id = (tr(&format!("aws_nat_gateway.{name}_1.id")))
            }),
        );
    }
}

/// A customer gateway (address a variable), a virtual private gateway on the VPC with route
/// propagation to the private route table, and the BGP-routed connection.
pub(super) fn vpn(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let r = alias(&region);
    let name = plan.names.tf(s.id.as_str());
    out.variable(
        &format!("{name}_customer_ip"),
        &format!("Public IPv4 address of the customer gateway device of {}", s.name),
        None,
    );
    out.resource(
        "aws_customer_gateway",
        &name,
        hcl::body!({
            type = "ipsec.1"
            bgp_asn = 65000
            ip_address = (tr(&format!("var.{name}_customer_ip")))
            tags = (tags(&s.tags))
        }),
    );
    out.resource(
        "aws_vpn_gateway",
        &name,
        hcl::body!({
            vpc_id = (tr(&format!("aws_vpc.{r}.id")))
            tags = (tags(&s.tags))
        }),
    );
    out.resource(
        "aws_vpn_gateway_route_propagation",
        &name,
        hcl::body!({
            vpn_gateway_id = (tr(&format!("aws_vpn_gateway.{name}.id")))
            route_table_id = (tr(&format!("aws_route_table.{r}_private.id")))
        }),
    );
    out.resource(
        "aws_vpn_connection",
        &name,
        hcl::body!({
            type = "ipsec.1"
            customer_gateway_id = (tr(&format!("aws_customer_gateway.{name}.id")))
            vpn_gateway_id = (tr(&format!("aws_vpn_gateway.{name}.id")))
            static_routes_only = false
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_id"), "VPN connection id", tr(&format!("aws_vpn_connection.{name}.id")));
}

/// A dashboard of the region's services.
pub(super) fn dashboard(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    out.resource(
        "aws_cloudwatch_dashboard",
        &name,
        hcl::body!({
            dashboard_name = (tpl(&format!("${{var.name_prefix}}-{}-{region}", s.id)))
            dashboard_body = (dashboard_body(plan, &region))
        }),
    );
}

/// A multi-region trail with log file validation, encrypted, delivering to the log bucket.
pub(super) fn trail(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let r = alias(&region);
    let name = plan.names.tf(s.id.as_str());
    out.resource(
        "aws_cloudtrail",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            s3_bucket_name = (tr(&format!("aws_s3_bucket.logs_{r}.id")))
            s3_key_prefix = (TRAIL_PREFIX)
            enable_logging = true
            is_multi_region_trail = true
            include_global_service_events = true
            enable_log_file_validation = true
            kms_key_id = (key_arn(&region))
            tags = (tags(&s.tags))
            depends_on = [(tr(&format!("aws_s3_bucket_policy.logs_{r}")))]
        }),
    );
    out.output(&format!("{name}_arn"), "Trail ARN", tr(&format!("aws_cloudtrail.{name}.arn")));
}

/// An AWS Config recorder of every supported type, its delivery channel to the log bucket, and
/// its status (recording).
pub(super) fn config(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let r = alias(&region);
    let name = plan.names.tf(s.id.as_str());
    let role_arn =
        role(out, &name, "config.amazonaws.com", &["service-role/AWS_ConfigRole"], Vec::new(), &s.tags);
    out.resource(
        "aws_config_configuration_recorder",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            role_arn = (role_arn)
            recording_group {
                all_supported = true
                include_global_resource_types = false
            }
        }),
    );
    out.resource(
        "aws_config_delivery_channel",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            s3_bucket_name = (tr(&format!("aws_s3_bucket.logs_{r}.id")))
            s3_key_prefix = (CONFIG_PREFIX)
            snapshot_delivery_properties { delivery_frequency = "TwentyFour_Hours" }
            depends_on = [(tr(&format!("aws_config_configuration_recorder.{name}"))), (tr(&format!("aws_s3_bucket_policy.logs_{r}")))]
        }),
    );
    out.resource(
        "aws_config_configuration_recorder_status",
        &name,
        hcl::body!({
            name = (tr(&format!("aws_config_configuration_recorder.{name}.name")))
            is_enabled = true
            depends_on = [(tr(&format!("aws_config_delivery_channel.{name}")))]
        }),
    );
}

/// The Direct Connect gateway the ordered connections attach to (Amazon's side ASN 64512, the
/// first private ASN; change it if your network uses it).
pub(super) fn dx_gateway(plan: &Plan, out: &mut Out, s: &Service) {
    let name = plan.names.tf(s.id.as_str());
    out.resource(
        "aws_dx_gateway",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            amazon_side_asn = "64512"
        }),
    );
    out.output(&format!("{name}_id"), "Direct Connect gateway id", tr(&format!("aws_dx_gateway.{name}.id")));
}

/// Statements of the region's key for CloudTrail and EventBridge, when the region has them.
pub(super) fn key_statements(plan: &Plan, region: &RegionId) -> Vec<Statement> {
    let mut out = Vec::new();
    let account = vec![tr("data.aws_caller_identity.current.account_id")];
    if region_has(plan, region, ServiceKind::CloudTrail) {
        let trail = Expression::from("cloudtrail.amazonaws.com");
        out.push(
            Statement::allow("CloudTrailEncrypt", &["kms:GenerateDataKey*"])
                .on_any()
                .by("Service", vec![trail.clone()])
                .when(
                    "StringLike",
                    "kms:EncryptionContext:aws:cloudtrail:arn",
                    vec![tpl(&format!("arn:{PARTITION}:cloudtrail:*:{ACCOUNT}:trail/*"))],
                ),
        );
        out.push(
            Statement::allow("CloudTrailDescribe", &["kms:DescribeKey"]).on_any().by("Service", vec![trail]),
        );
    }
    if region_has(plan, region, ServiceKind::EventBridge) {
        out.push(
            Statement::allow("EventBridge", &["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"])
                .on_any()
                .by("Service", vec![Expression::from("events.amazonaws.com")])
                .when("StringEquals", "aws:SourceAccount", account),
        );
    }
    out
}

/// Statements of the region's log bucket policy for CloudTrail and AWS Config deliveries.
pub(super) fn log_bucket_statements(plan: &Plan, region: &RegionId) -> Vec<Statement> {
    let mut out = Vec::new();
    let bucket = format!("aws_s3_bucket.logs_{}", alias(region));
    for (kind, principal, prefix, sid) in [
        (ServiceKind::CloudTrail, "cloudtrail.amazonaws.com", TRAIL_PREFIX, "CloudTrail"),
        (ServiceKind::AwsConfig, "config.amazonaws.com", CONFIG_PREFIX, "Config"),
    ] {
        if !region_has(plan, region, kind) {
            continue;
        }
        let account = vec![tr("data.aws_caller_identity.current.account_id")];
        out.push(
            Statement::allow(&format!("{sid}Acl"), &["s3:GetBucketAcl", "s3:ListBucket"])
                .on(vec![tr(&format!("{bucket}.arn"))])
                .by("Service", vec![Expression::from(principal)])
                .when("StringEquals", "aws:SourceAccount", account.clone()),
        );
        out.push(
            Statement::allow(&format!("{sid}Write"), &["s3:PutObject"])
                .on(vec![tpl(&format!("${{{bucket}.arn}}/{prefix}/AWSLogs/{ACCOUNT}/*"))])
                .by("Service", vec![Expression::from(principal)])
                .when("StringEquals", "aws:SourceAccount", account),
        );
    }
    out
}
