//! Networking and operations services of a region's template: transit gateways (attached to
//! the region's VPC), NAT gateways (the private subnets' way out), Site-to-Site VPN connections
//! (a virtual private gateway on the VPC), CloudWatch dashboards, CloudTrail trails and AWS Config
//! recorders (both delivering to the region's log bucket, whose policy and the key's admit them).

use serde_json::{Value, json};

use super::compute::role;
use super::network::{azs, subnets};
use super::template::{Template, att, r, sub, tags};
use crate::kind_rules::{CONFIG_PREFIX, TRAIL_PREFIX, dashboard_body, first_nat, region_has};
use crate::plan::Plan;
use meridian_model::ServiceKind;
use meridian_model::design::Service;
use meridian_model::ids::RegionId;

fn region_of(plan: &Plan, s: &Service) -> RegionId {
    plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""))
}

/// A transit gateway (no automatic acceptance of shared attachments) attached to the private
/// subnets of the region's VPC.
pub(super) fn transit_gateway(plan: &Plan, t: &mut Template, s: &Service) {
    let region = region_of(plan, s);
    let id = plan.names.cfn(s.id.as_str());
    t.add(
        &id,
        "AWS::EC2::TransitGateway",
        json!({"Description": format!("{} ({})", s.name, s.id), "AutoAcceptSharedAttachments": "disable",
            "DefaultRouteTableAssociation": "enable", "DefaultRouteTablePropagation": "enable", "DnsSupport": "enable",
            "VpnEcmpSupport": "enable", "Tags": tags(&s.tags)}),
    );
    t.add(
        &format!("{id}Vpc"),
        "AWS::EC2::TransitGatewayVpcAttachment",
        json!({"TransitGatewayId": r(&id), "VpcId": r("Vpc"), "SubnetIds": subnets(plan, &region, "Private"), "Tags": tags(&s.tags)}),
    );
    t.output(&format!("{id}Id"), "Transit gateway id", r(&id));
}

/// As many NAT gateways as the design counts, each with its Elastic IP, spread over the public
/// subnets; the first NAT service of the region carries the private route table's default route.
pub(super) fn nat_gateway(plan: &Plan, t: &mut Template, s: &Service) {
    let region = region_of(plan, s);
    let id = plan.names.cfn(s.id.as_str());
    let zones = azs(plan, &region).len().max(1);
    for n in 1..=s.config.count.max(1) as usize {
        t.add(&format!("{id}Ip{n}"), "AWS::EC2::EIP", json!({"Domain": "vpc", "Tags": tags(&s.tags)}));
        t.add_with(
            &format!("{id}{n}"),
            "AWS::EC2::NatGateway",
            json!({"AllocationId": att(&format!("{id}Ip{n}"), "AllocationId"),
                "SubnetId": r(&format!("PublicSubnet{}", (n - 1) % zones + 1)), "Tags": tags(&s.tags)}),
            json!({"DependsOn": ["InternetGatewayAttachment"]}),
        );
    }
    if first_nat(plan, s) {
        t.add(
            &format!("{id}Route"),
            "AWS::EC2::Route",
            json!({"RouteTableId": r("PrivateRouteTable"), "DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": r(&format!("{id}1"))}),
        );
    }
}

/// A Site-to-Site VPN: the customer gateway (its address a parameter), a virtual private gateway
/// attached to the VPC with its routes propagated to the private route table, and the connection
/// (BGP-routed).
pub(super) fn vpn(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    t.param(
        &format!("{id}CustomerIp"),
        &format!("Public IPv4 address of the customer gateway device of {}", s.name),
        None,
    );
    t.add(
        &format!("{id}Customer"),
        "AWS::EC2::CustomerGateway",
        json!({"Type": "ipsec.1", "BgpAsn": 65000, "IpAddress": r(&format!("{id}CustomerIp")), "Tags": tags(&s.tags)}),
    );
    t.add(&format!("{id}Gateway"), "AWS::EC2::VPNGateway", json!({"Type": "ipsec.1", "Tags": tags(&s.tags)}));
    t.add(
        &format!("{id}Attachment"),
        "AWS::EC2::VPCGatewayAttachment",
        json!({"VpcId": r("Vpc"), "VpnGatewayId": r(&format!("{id}Gateway"))}),
    );
    t.add_with(
        &format!("{id}Routes"),
        "AWS::EC2::VPNGatewayRoutePropagation",
        json!({"RouteTableIds": [r("PrivateRouteTable")], "VpnGatewayId": r(&format!("{id}Gateway"))}),
        json!({"DependsOn": [format!("{id}Attachment")]}),
    );
    t.add(
        &id,
        "AWS::EC2::VPNConnection",
        json!({"Type": "ipsec.1", "CustomerGatewayId": r(&format!("{id}Customer")), "VpnGatewayId": r(&format!("{id}Gateway")),
            "StaticRoutesOnly": false, "Tags": tags(&s.tags)}),
    );
    t.output(&format!("{id}Id"), "VPN connection id", r(&id));
}

/// A CloudWatch dashboard of the region's services.
pub(super) fn dashboard(plan: &Plan, t: &mut Template, s: &Service) {
    let region = region_of(plan, s);
    let id = plan.names.cfn(s.id.as_str());
    t.add(
        &id,
        "AWS::CloudWatch::Dashboard",
        json!({"DashboardName": sub(&format!("${{NamePrefix}}-{}-${{AWS::Region}}", s.id)), "DashboardBody": dashboard_body(plan, &region)}),
    );
}

/// A multi-region trail with log file validation, encrypted with the region's key, delivering to
/// the region's log bucket.
pub(super) fn trail(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    t.add_with(
        &id,
        "AWS::CloudTrail::Trail",
        json!({"TrailName": sub(&format!("${{NamePrefix}}-{}", s.id)), "S3BucketName": r("LogBucket"), "S3KeyPrefix": TRAIL_PREFIX,
            "IsLogging": true, "IsMultiRegionTrail": true, "IncludeGlobalServiceEvents": true, "EnableLogFileValidation": true,
            "KMSKeyId": att("Key", "Arn"), "Tags": tags(&s.tags)}),
        json!({"DependsOn": ["LogBucketPolicy"]}),
    );
    t.output(&format!("{id}Arn"), "Trail ARN", att(&id, "Arn"));
}

/// An AWS Config recorder of every supported resource type, delivering to the region's log bucket.
pub(super) fn config(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    role(
        t,
        &format!("{id}Role"),
        "config.amazonaws.com",
        &["service-role/AWS_ConfigRole"],
        Vec::new(),
        &s.tags,
    );
    t.add(
        &id,
        "AWS::Config::ConfigurationRecorder",
        json!({"RoleARN": att(&format!("{id}Role"), "Arn"),
            "RecordingGroup": {"AllSupported": true, "IncludeGlobalResourceTypes": false}}),
    );
    t.add_with(
        &format!("{id}Delivery"),
        "AWS::Config::DeliveryChannel",
        json!({"S3BucketName": r("LogBucket"), "S3KeyPrefix": CONFIG_PREFIX,
            "ConfigSnapshotDeliveryProperties": {"DeliveryFrequency": "TwentyFour_Hours"}}),
        json!({"DependsOn": ["LogBucketPolicy"]}),
    );
}

/// Statements of the region's key for the services that encrypt with it on their own behalf
/// (CloudTrail, EventBridge) when the region has them.
pub(super) fn key_statements(plan: &Plan, region: &RegionId) -> Vec<Value> {
    let mut out = Vec::new();
    if region_has(plan, region, ServiceKind::CloudTrail) {
        out.push(json!({"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:GenerateDataKey*", "Resource": "*",
            "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": sub("arn:${AWS::Partition}:cloudtrail:*:${AWS::AccountId}:trail/*")}}}));
        out.push(json!({"Sid": "CloudTrailDescribe", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "kms:DescribeKey", "Resource": "*"}));
    }
    if region_has(plan, region, ServiceKind::EventBridge) {
        out.push(
            json!({"Sid": "EventBridge", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceAccount": r("AWS::AccountId")}}}),
        );
    }
    out
}

/// Statements of the region's log bucket policy for CloudTrail and AWS Config deliveries.
pub(super) fn log_bucket_statements(plan: &Plan, region: &RegionId) -> Vec<Value> {
    let mut out = Vec::new();
    for (kind, principal, prefix, sid) in [
        (ServiceKind::CloudTrail, "cloudtrail.amazonaws.com", TRAIL_PREFIX, "CloudTrail"),
        (ServiceKind::AwsConfig, "config.amazonaws.com", CONFIG_PREFIX, "Config"),
    ] {
        if !region_has(plan, region, kind) {
            continue;
        }
        let account = json!({"StringEquals": {"aws:SourceAccount": r("AWS::AccountId")}});
        out.push(json!({"Sid": format!("{sid}Acl"), "Effect": "Allow", "Principal": {"Service": principal},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"], "Resource": att("LogBucket", "Arn"), "Condition": account}));
        out.push(json!({"Sid": format!("{sid}Write"), "Effect": "Allow", "Principal": {"Service": principal}, "Action": "s3:PutObject",
            "Resource": sub(&format!("${{LogBucket.Arn}}/{prefix}/AWSLogs/${{AWS::AccountId}}/*")), "Condition": account}));
    }
    out
}
