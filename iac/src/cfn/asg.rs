//! EC2 Auto Scaling groups of a region's template: an instance role and profile, a launch template
//! (Amazon Linux 2023 from the public SSM parameter, IMDSv2 only, encrypted EBS, no public IP) and
//! the group over the private subnets, registered with the target groups that route to it.

use serde_json::json;

use super::compute::{dependency_statements, role};
use super::network::{security_group, subnets};
use super::template::{Template, att, r, tags};
use crate::plan::{Plan, al2023_ami_parameter, asg_size, instance_type, is_load_balancer};
use meridian_model::design::{LinkKind, Service};
use meridian_model::ids::RegionId;

/// An Auto Scaling group sized from the service's count, with ELB health checks when a load
/// balancer routes to it.
pub(super) fn auto_scaling_group(plan: &Plan, t: &mut Template, s: &Service) {
    let region = plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""));
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    let itype = instance_type(s);
    t.param_value(
        &format!("{id}ImageId"),
        json!({"Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", "Default": al2023_ami_parameter(itype),
            "Description": format!("Amazon Linux 2023 image of {} (public SSM parameter)", s.name)}),
    );
    t.param(&format!("{id}InstanceType"), &format!("Instance type of {}", s.name), Some(itype));
    role(
        t,
        &format!("{id}Role"),
        "ec2.amazonaws.com",
        &["AmazonSSMManagedInstanceCore"],
        dependency_statements(plan, s),
        &s.tags,
    );
    t.add(&format!("{id}Profile"), "AWS::IAM::InstanceProfile", json!({"Roles": [r(&format!("{id}Role"))]}));
    let tag_list = tags(&s.tags);
    t.add(&format!("{id}LaunchTemplate"), "AWS::EC2::LaunchTemplate", json!({
        "LaunchTemplateData": {
            "ImageId": r(&format!("{id}ImageId")), "InstanceType": r(&format!("{id}InstanceType")),
            "IamInstanceProfile": {"Arn": att(&format!("{id}Profile"), "Arn")},
            "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "required", "HttpPutResponseHopLimit": 1},
            "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": false, "Groups": [r(&sg)], "DeleteOnTermination": true}],
            "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true, "VolumeType": "gp3", "VolumeSize": 30, "DeleteOnTermination": true}}],
            "Monitoring": {"Enabled": true}, "EbsOptimized": true,
            "TagSpecifications": [{"ResourceType": "instance", "Tags": tag_list.clone()}, {"ResourceType": "volume", "Tags": tag_list}]},
        "TagSpecifications": [{"ResourceType": "launch-template", "Tags": tags(&s.tags)}]}));
    let mut groups = Vec::new();
    let mut depends = Vec::new();
    for l in plan.design.links_to(&s.id).filter(|l| {
        matches!(l.kind, LinkKind::Routing(_)) && plan.kind_of(&l.from).is_some_and(is_load_balancer)
    }) {
        groups.push(r(&format!("{}To{id}", plan.names.cfn(l.from.as_str()))));
        depends.push(json!(format!("{}Listener", plan.names.cfn(l.from.as_str()))));
    }
    depends.sort_by_key(ToString::to_string);
    let (min, desired, max) = asg_size(s);
    let group_tags: Vec<_> = s
        .tags
        .iter()
        .map(|(k, v)| json!({"Key": crate::plan::tag_value(k), "Value": crate::plan::tag_value(v), "PropagateAtLaunch": true}))
        .collect();
    t.add_with(&id, "AWS::AutoScaling::AutoScalingGroup", json!({
        "LaunchTemplate": {"LaunchTemplateId": r(&format!("{id}LaunchTemplate")), "Version": att(&format!("{id}LaunchTemplate"), "LatestVersionNumber")},
        "MinSize": min.to_string(), "DesiredCapacity": desired.to_string(), "MaxSize": max.to_string(),
        "VPCZoneIdentifier": subnets(plan, &region, "Private"), "TargetGroupARNs": groups.clone(),
        "HealthCheckType": if groups.is_empty() { "EC2" } else { "ELB" }, "HealthCheckGracePeriod": 300,
        "Tags": group_tags}), json!({"DependsOn": depends}));
    t.output(&format!("{id}Name"), "Auto Scaling group name", r(&id));
}
