//! A region's network: the VPC across the design's AZs, subnets and routes, and the security
//! group of each service in it.

use serde_json::{Value, json};

use super::template::{Template, att, r, tags};
use crate::plan::{Plan, is_load_balancer, port_of};
use crate::rules;
use meridian_model::design::Service;
use meridian_model::ids::RegionId;

/// The VPC, its flow log, internet gateway, route tables and a public and private subnet per AZ.
pub(super) fn network(plan: &Plan, t: &mut Template, region: &RegionId) {
    let i = plan.region_index(region);
    t.add("Vpc", "AWS::EC2::VPC", json!({"CidrBlock": format!("10.{i}.0.0/16"), "EnableDnsSupport": true, "EnableDnsHostnames": true, "Tags": tags(&plan.common_tags)}));
    t.add("VpcFlowLog", "AWS::EC2::FlowLog", json!({"ResourceId": r("Vpc"), "ResourceType": "VPC", "TrafficType": "ALL", "LogDestinationType": "s3", "LogDestination": att("LogBucket", "Arn")}));
    t.add("VpcDefaultSecurityGroupClosed", "AWS::EC2::SecurityGroupIngress", json!({
        "GroupId": att("Vpc", "DefaultSecurityGroup"), "IpProtocol": "-1", "SourceSecurityGroupId": att("Vpc", "DefaultSecurityGroup"),
        "Description": "the default group admits only itself"}));
    t.add("InternetGateway", "AWS::EC2::InternetGateway", json!({"Tags": tags(&plan.common_tags)}));
    t.add(
        "InternetGatewayAttachment",
        "AWS::EC2::VPCGatewayAttachment",
        json!({"VpcId": r("Vpc"), "InternetGatewayId": r("InternetGateway")}),
    );
    t.add(
        "PublicRouteTable",
        "AWS::EC2::RouteTable",
        json!({"VpcId": r("Vpc"), "Tags": tags(&plan.common_tags)}),
    );
    t.add_with("PublicDefaultRoute", "AWS::EC2::Route", json!({"RouteTableId": r("PublicRouteTable"), "DestinationCidrBlock": "0.0.0.0/0", "GatewayId": r("InternetGateway")}), json!({"DependsOn": "InternetGatewayAttachment"}));
    t.add(
        "PrivateRouteTable",
        "AWS::EC2::RouteTable",
        json!({"VpcId": r("Vpc"), "Tags": tags(&plan.common_tags)}),
    );
    for (n, az) in azs(plan, region).iter().enumerate() {
        for (tier, offset, public) in [("Public", 0, true), ("Private", 100, false)] {
            let id = format!("{tier}Subnet{}", n + 1);
            t.add(&id, "AWS::EC2::Subnet", json!({
                "VpcId": r("Vpc"), "AvailabilityZoneId": az, "CidrBlock": format!("10.{i}.{}.0/24", offset + n),
                "MapPublicIpOnLaunch": false, "Tags": tags(&plan.common_tags)}));
            t.add(&format!("{id}Routes"), "AWS::EC2::SubnetRouteTableAssociation", json!({
                "SubnetId": r(&id), "RouteTableId": r(if public { "PublicRouteTable" } else { "PrivateRouteTable" })}));
        }
    }
}

/// The AZ ids of a region.
pub(super) fn azs(plan: &Plan, region: &RegionId) -> Vec<String> {
    plan.design.region(region).map(|r| r.azs.clone()).unwrap_or_default()
}

/// The subnets of a tier (`Public` or `Private`) in `region`.
pub(super) fn subnets(plan: &Plan, region: &RegionId, tier: &str) -> Value {
    Value::Array((1..=azs(plan, region).len()).map(|n| r(&format!("{tier}Subnet{n}"))).collect())
}

/// Declares the security group of `s` (ingress from its callers on its port); returns its id.
pub(super) fn security_group(plan: &Plan, t: &mut Template, s: &Service) -> String {
    let id = format!("{}SecurityGroup", plan.names.cfn(s.id.as_str()));
    let mut ingress = Vec::new();
    if let Some(port) = port_of(s) {
        if is_load_balancer(s.kind) {
            ingress.push(json!({"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": "0.0.0.0/0", "Description": "HTTPS from users"}));
        }
        for c in rules::callers(plan, s) {
            ingress.push(json!({"IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                "SourceSecurityGroupId": r(&format!("{}SecurityGroup", plan.names.cfn(c.as_str()))), "Description": format!("from {c}")}));
        }
    }
    t.add(&id, "AWS::EC2::SecurityGroup", json!({
        "GroupDescription": format!("{} ({})", s.name, s.id), "VpcId": r("Vpc"), "SecurityGroupIngress": ingress,
        "SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 0, "ToPort": 65535, "CidrIp": "0.0.0.0/0", "Description": "outbound TCP"}],
        "Tags": tags(&s.tags)}));
    id
}
