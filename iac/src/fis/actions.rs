//! The AWS Fault Injection Service actions the experiments use: each action's id, the resource
//! type and target key it acts on, and the IAM permissions its role needs.
//!
//! Source for every action id, target, parameter and permission below: "AWS FIS actions
//! reference", <https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html>,
//! and "Targets for AWS FIS", <https://docs.aws.amazon.com/fis/latest/userguide/targets.html>
//! (both as of 2026-12-04); the RDS permissions as AWS's managed policy
//! `AWSFaultInjectionSimulatorRDSAccess` grants them
//! (<https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSFaultInjectionSimulatorRDSAccess.html>).

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Where the action ids and permissions come from, for generated files.
pub const SOURCE: &str =
    "https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html (as of 2026-12-04)";

/// The longest `duration` FIS accepts for the network and replication-pause actions: 12 hours
/// (FIS actions reference, parameters of `aws:network:disrupt-connectivity`,
/// `aws:network:route-table-disrupt-cross-region-connectivity` and
/// `aws:dynamodb:global-table-pause-replication`).
pub const MAX_DURATION_S: u64 = 12 * 3600;

/// How the experiments find their targets, each with what it rests on (checked against AWS's
/// documentation as of 2026-12-04; the searchable copies of the FIS user guide showed the pages'
/// openings, not every table, and what could not be read is said). `HYPOTHESES.md` lists them.
pub const TARGETING: [(&str, &str); 5] = [
    (
        "EC2 Auto Scaling instances (aws:ec2:stop-instances) are found by the aws:cloudformation:logical-id tag of their group (CloudFormation) or aws:autoscaling:groupName (Terraform), with the design's tag, running ones only",
        "verified: CloudFormation adds aws:cloudformation:stack-name, stack-id and logical-id to Auto Scaling groups and their instances (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-autoscaling-autoscalinggroup-tagproperty.html); Amazon EC2 Auto Scaling tags the instances it launches with aws:autoscaling:groupName (https://docs.aws.amazon.com/autoscaling/ec2/userguide/autoscaling-tagging.html); the export propagates the design's tag at launch",
    ),
    (
        "several resource tags on one target select resources carrying all of them",
        "not confirmed: the target syntax (https://docs.aws.amazon.com/fis/latest/userguide/targets.html) takes a map of tags, and the pages read here do not say whether a resource needs all of them or one; if one sufficed, the design's tag alone would select every instance of the design, so run the experiment once with the option actionsMode skip-all (a target preview: no action runs) and check `aws fis list-experiment-resolved-targets` before the drill",
    ),
    (
        "an AZ's subnets are selected with the filter path AvailabilityZoneId (an AZ id such as use1-az1, stable across accounts, unlike the AZ name)",
        "consistent with the documented rule that a filter's path follows the resource's API description (https://docs.aws.amazon.com/fis/latest/userguide/targets.html, Resource filters) and with DescribeSubnets' Subnet, which has AvailabilityZoneId (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeSubnets.html); no FIS example with this path was found",
    ),
    (
        "ECS tasks (aws:ecs:stop-task) are selected by the resource parameters cluster and service, the names the infrastructure stack outputs, without tags or ARNs",
        "consistent with the targets page's Resource parameters section (https://docs.aws.amazon.com/fis/latest/userguide/targets.html), which identifies aws:ecs:task targets by parameters; its table of parameter names was not readable here, so cluster and service rest on the FIS actions reference (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html); CloudFormation's description of the target type still says a target needs ARNs or tags (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-fis-experimenttemplate-experimenttemplatetarget.md), while cfn-lint (CloudFormation's resource schema) and moto accept parameters alone: a skip-all run confirms the tasks are found",
    ),
    (
        "the templates are well-formed CreateExperimentTemplate requests",
        "tested: iac/tests/iac_fis.rs creates every CloudFormation experiment of the examples and fixtures on moto 5.2 (which implements FIS's template API but checks no action, target or parameter against AWS) and reads each back unchanged",
    ),
];

/// An FIS action the experiments generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// `aws:ec2:stop-instances` (with `startInstancesAfterDuration`).
    StopInstances,
    /// `aws:ecs:stop-task`.
    StopTasks,
    /// `aws:network:disrupt-connectivity` (scope `all`): a network ACL denying all traffic of
    /// the target subnets, as the scenario library's AZ Availability: Power Interruption does.
    DisruptSubnets,
    /// `aws:network:route-table-disrupt-cross-region-connectivity`: the cross-region
    /// connectivity scenario's cut of traffic from the subnets to another region.
    DisruptCrossRegion,
    /// `aws:rds:failover-db-cluster`.
    FailoverAurora,
    /// `aws:elasticache:replicationgroup-interrupt-az-power`.
    CacheAzPower,
    /// `aws:dynamodb:global-table-pause-replication`.
    PauseTableReplication,
}

/// IAM permissions of an action: those that change resources (granted with a condition on the
/// design's tag where the service supports `aws:ResourceTag`) and the read-only ones.
pub struct Permissions {
    /// Actions that change resources.
    pub change: &'static [&'static str],
    /// Whether `change` may be limited by `aws:ResourceTag/meridian:design`.
    pub by_tag: bool,
    /// Read-only actions (granted on `*`: describe calls take no resource ARN).
    pub read: &'static [&'static str],
}

impl Action {
    /// The FIS action id.
    pub fn id(self) -> &'static str {
        match self {
            Action::StopInstances => "aws:ec2:stop-instances",
            Action::StopTasks => "aws:ecs:stop-task",
            Action::DisruptSubnets => "aws:network:disrupt-connectivity",
            Action::DisruptCrossRegion => "aws:network:route-table-disrupt-cross-region-connectivity",
            Action::FailoverAurora => "aws:rds:failover-db-cluster",
            Action::CacheAzPower => "aws:elasticache:replicationgroup-interrupt-az-power",
            Action::PauseTableReplication => "aws:dynamodb:global-table-pause-replication",
        }
    }

    /// The key of the action's target (`"Instances"` in `targets: { Instances: ... }`).
    pub fn target_key(self) -> &'static str {
        match self {
            Action::StopInstances => "Instances",
            Action::StopTasks => "Tasks",
            Action::DisruptSubnets | Action::DisruptCrossRegion => "Subnets",
            Action::FailoverAurora => "Clusters",
            Action::CacheAzPower => "ReplicationGroups",
            Action::PauseTableReplication => "Tables",
        }
    }

    /// The FIS resource type of the target.
    pub fn resource_type(self) -> &'static str {
        match self {
            Action::StopInstances => "aws:ec2:instance",
            Action::StopTasks => "aws:ecs:task",
            Action::DisruptSubnets | Action::DisruptCrossRegion => "aws:ec2:subnet",
            Action::FailoverAurora => "aws:rds:cluster",
            Action::CacheAzPower => "aws:elasticache:replicationgroup",
            Action::PauseTableReplication => "aws:dynamodb:global-table",
        }
    }

    /// The permissions the experiment role needs for the action.
    pub fn permissions(self) -> Permissions {
        match self {
            Action::StopInstances => Permissions {
                // kms:CreateGrant: restarting instances whose volumes are encrypted with the
                // export's customer managed key.
                change: &["ec2:StartInstances", "ec2:StopInstances", "kms:CreateGrant"],
                by_tag: true,
                read: &["ec2:DescribeInstances"],
            },
            Action::StopTasks => Permissions {
                change: &["ecs:StopTask"],
                by_tag: true,
                read: &["ecs:DescribeTasks", "ecs:ListTasks"],
            },
            Action::DisruptSubnets => Permissions {
                change: &[
                    "ec2:CreateNetworkAcl",
                    "ec2:CreateNetworkAclEntry",
                    "ec2:CreateTags",
                    "ec2:DeleteNetworkAcl",
                    "ec2:ReplaceNetworkAclAssociation",
                ],
                by_tag: false,
                read: &[
                    "ec2:DescribeManagedPrefixLists",
                    "ec2:DescribeNetworkAcls",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcs",
                    "ec2:GetManagedPrefixListEntries",
                ],
            },
            Action::DisruptCrossRegion => Permissions {
                change: &[
                    "ec2:AssociateRouteTable",
                    "ec2:CreateManagedPrefixList",
                    "ec2:CreateNetworkInterface",
                    "ec2:CreateRoute",
                    "ec2:CreateRouteTable",
                    "ec2:CreateTags",
                    "ec2:DeleteManagedPrefixList",
                    "ec2:DeleteNetworkInterface",
                    "ec2:DeleteRouteTable",
                    "ec2:DisassociateRouteTable",
                    "ec2:ModifyManagedPrefixList",
                    "ec2:ModifyVpcEndpoint",
                    "ec2:ReplaceRouteTableAssociation",
                ],
                by_tag: false,
                read: &[
                    "ec2:DescribeManagedPrefixLists",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeRouteTables",
                    "ec2:DescribeSubnets",
                    "ec2:DescribeVpcPeeringConnections",
                    "ec2:DescribeVpcs",
                    "ec2:GetManagedPrefixListEntries",
                ],
            },
            Action::FailoverAurora => Permissions {
                change: &["rds:FailoverDBCluster"],
                by_tag: true,
                read: &["rds:DescribeDBClusters", "tag:GetResources"],
            },
            Action::CacheAzPower => Permissions {
                change: &["elasticache:InterruptClusterAzPower"],
                by_tag: false,
                read: &["elasticache:DescribeReplicationGroups", "tag:GetResources"],
            },
            Action::PauseTableReplication => Permissions {
                change: &[
                    "dynamodb:DeleteResourcePolicy",
                    "dynamodb:GetResourcePolicy",
                    "dynamodb:PutResourcePolicy",
                ],
                by_tag: false,
                read: &["dynamodb:DescribeTable", "tag:GetResources"],
            },
        }
    }
}

/// The permissions of a set of actions, grouped as the role grants them.
#[derive(Default)]
pub struct Grant {
    /// Changes limited to resources carrying the design's tag.
    pub tagged: BTreeSet<&'static str>,
    /// Changes on any resource (the network actions create their own ACLs and route tables).
    pub untagged: BTreeSet<&'static str>,
    /// Changes limited to the design's DynamoDB tables by ARN.
    pub tables: BTreeSet<&'static str>,
    /// Read-only calls.
    pub read: BTreeSet<&'static str>,
}

/// What a role running `used` needs.
pub fn grant(used: &BTreeSet<Action>) -> Grant {
    let mut g = Grant::default();
    for a in used {
        let p = a.permissions();
        for c in p.change {
            if p.by_tag {
                g.tagged.insert(*c);
            } else if *a == Action::PauseTableReplication {
                g.tables.insert(*c);
            } else {
                g.untagged.insert(*c);
            }
        }
        g.read.extend(p.read.iter().copied());
    }
    g
}

/// An ISO 8601 duration as FIS parameters take it (`PT1H30M`, `PT45S`), at most
/// [`MAX_DURATION_S`].
pub fn iso_duration(seconds: u64) -> String {
    let s = seconds.clamp(1, MAX_DURATION_S);
    let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60);
    let mut out = String::from("PT");
    if h > 0 {
        let _ = write!(out, "{h}H");
    }
    if m > 0 {
        let _ = write!(out, "{m}M");
    }
    if sec > 0 {
        let _ = write!(out, "{sec}S");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601_and_clamped() {
        assert_eq!(iso_duration(7200), "PT2H");
        assert_eq!(iso_duration(5430), "PT1H30M30S");
        assert_eq!(iso_duration(45), "PT45S");
        assert_eq!(iso_duration(30 * 3600), "PT12H");
    }
}
