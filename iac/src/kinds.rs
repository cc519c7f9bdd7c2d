//! The one mapping between service kinds and the infrastructure-code resources that are them, used
//! by the export (which resource a kind's service becomes) and by the import (which kind a
//! resource is read as).
//!
//! Each kind names its *primary* resource: the one resource that is the service (the load
//! balancer, not its listeners; the table, not its alarms). Supporting resources the export writes
//! around a service (roles, log groups, alarms, security groups, subnets) are not listed: they
//! belong to the service they serve, and an import reads them as that service's settings.
//!
//! Some primary types are shared by more than one kind (an Application and a Network Load
//! Balancer are both `AWS::ElasticLoadBalancingV2::LoadBalancer`; a Lambda@Edge function is an
//! ordinary Lambda function that CloudFront associates). [`kinds_for_cloudformation`] and
//! [`kinds_for_terraform`] return every candidate, in table order; the reader tells them apart by
//! the resource's properties (`Type: network`, the distribution's association).

use meridian_model::ServiceKind;

/// The resources that are one kind's service, in both formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindResources {
    /// The kind.
    pub kind: ServiceKind,
    /// The CloudFormation type of the primary resource; `None` when CloudFormation has no
    /// resource type for it (the service is ordered, not declared).
    pub cloudformation: Option<&'static str>,
    /// Further CloudFormation types read as this kind (an older or alternative flavour).
    pub cloudformation_also: &'static [&'static str],
    /// The Terraform `hashicorp/aws` resource type of the primary resource; `None` when the
    /// provider has none.
    pub terraform: Option<&'static str>,
    /// Further Terraform resource types read as this kind.
    pub terraform_also: &'static [&'static str],
}

const fn row(
    kind: ServiceKind,
    cloudformation: Option<&'static str>,
    terraform: Option<&'static str>,
) -> KindResources {
    KindResources { kind, cloudformation, cloudformation_also: &[], terraform, terraform_also: &[] }
}

/// Every kind's resources, one row per kind in [`ServiceKind::ALL`] order.
pub const KIND_RESOURCES: [KindResources; 31] = [
    row(ServiceKind::Alb, Some("AWS::ElasticLoadBalancingV2::LoadBalancer"), Some("aws_lb")),
    KindResources {
        kind: ServiceKind::ApiGateway,
        cloudformation: Some("AWS::ApiGateway::RestApi"),
        cloudformation_also: &["AWS::ApiGatewayV2::Api"],
        terraform: Some("aws_api_gateway_rest_api"),
        terraform_also: &["aws_apigatewayv2_api"],
    },
    KindResources {
        kind: ServiceKind::Aurora,
        cloudformation: Some("AWS::RDS::DBCluster"),
        cloudformation_also: &["AWS::RDS::GlobalCluster"],
        terraform: Some("aws_rds_cluster"),
        terraform_also: &["aws_rds_global_cluster"],
    },
    // The vault is the service (every backup service writes one); the region's plan exists only
    // when backup links point at the vault, so it is read as the kind too, not written as it.
    KindResources {
        kind: ServiceKind::AwsBackup,
        cloudformation: Some("AWS::Backup::BackupVault"),
        cloudformation_also: &["AWS::Backup::BackupPlan"],
        terraform: Some("aws_backup_vault"),
        terraform_also: &["aws_backup_plan"],
    },
    row(
        ServiceKind::AwsConfig,
        Some("AWS::Config::ConfigurationRecorder"),
        Some("aws_config_configuration_recorder"),
    ),
    row(ServiceKind::CloudFront, Some("AWS::CloudFront::Distribution"), Some("aws_cloudfront_distribution")),
    row(ServiceKind::CloudTrail, Some("AWS::CloudTrail::Trail"), Some("aws_cloudtrail")),
    row(ServiceKind::CloudWatch, Some("AWS::CloudWatch::Dashboard"), Some("aws_cloudwatch_dashboard")),
    // Connections are ordered from AWS or a partner, not declared; the gateway they attach to is.
    row(ServiceKind::DirectConnect, None, Some("aws_dx_gateway")),
    row(ServiceKind::Dms, Some("AWS::DMS::ReplicationInstance"), Some("aws_dms_replication_instance")),
    KindResources {
        kind: ServiceKind::DynamoDb,
        cloudformation: Some("AWS::DynamoDB::GlobalTable"),
        cloudformation_also: &["AWS::DynamoDB::Table"],
        terraform: Some("aws_dynamodb_table"),
        terraform_also: &[],
    },
    row(ServiceKind::Ec2Asg, Some("AWS::AutoScaling::AutoScalingGroup"), Some("aws_autoscaling_group")),
    row(ServiceKind::EcsFargate, Some("AWS::ECS::Service"), Some("aws_ecs_service")),
    row(ServiceKind::Eks, Some("AWS::EKS::Cluster"), Some("aws_eks_cluster")),
    KindResources {
        kind: ServiceKind::ElastiCache,
        cloudformation: Some("AWS::ElastiCache::ReplicationGroup"),
        cloudformation_also: &["AWS::ElastiCache::GlobalReplicationGroup"],
        terraform: Some("aws_elasticache_replication_group"),
        terraform_also: &["aws_elasticache_global_replication_group"],
    },
    row(ServiceKind::EventBridge, Some("AWS::Events::EventBus"), Some("aws_cloudwatch_event_bus")),
    row(
        ServiceKind::GlobalAccelerator,
        Some("AWS::GlobalAccelerator::Accelerator"),
        Some("aws_globalaccelerator_accelerator"),
    ),
    // Only roles a design draws as a service; the roles the export writes for other services
    // belong to those services.
    row(ServiceKind::Iam, Some("AWS::IAM::Role"), Some("aws_iam_role")),
    row(ServiceKind::Lambda, Some("AWS::Lambda::Function"), Some("aws_lambda_function")),
    // A Lambda function a CloudFront distribution associates (viewer or origin events).
    row(ServiceKind::LambdaEdge, Some("AWS::Lambda::Function"), Some("aws_lambda_function")),
    row(ServiceKind::NatGateway, Some("AWS::EC2::NatGateway"), Some("aws_nat_gateway")),
    // A load balancer of `Type: network` (`load_balancer_type = "network"`).
    row(ServiceKind::Nlb, Some("AWS::ElasticLoadBalancingV2::LoadBalancer"), Some("aws_lb")),
    // A single-instance or Multi-AZ database that is not part of an Aurora cluster.
    row(ServiceKind::Rds, Some("AWS::RDS::DBInstance"), Some("aws_db_instance")),
    row(ServiceKind::Route53, Some("AWS::Route53::HostedZone"), Some("aws_route53_zone")),
    row(ServiceKind::S3, Some("AWS::S3::Bucket"), Some("aws_s3_bucket")),
    row(ServiceKind::SageMakerEndpoint, Some("AWS::SageMaker::Endpoint"), Some("aws_sagemaker_endpoint")),
    row(ServiceKind::SiteToSiteVpn, Some("AWS::EC2::VPNConnection"), Some("aws_vpn_connection")),
    row(ServiceKind::Sns, Some("AWS::SNS::Topic"), Some("aws_sns_topic")),
    row(ServiceKind::Sqs, Some("AWS::SQS::Queue"), Some("aws_sqs_queue")),
    row(ServiceKind::StepFunctions, Some("AWS::StepFunctions::StateMachine"), Some("aws_sfn_state_machine")),
    row(ServiceKind::TransitGateway, Some("AWS::EC2::TransitGateway"), Some("aws_ec2_transit_gateway")),
];

/// The resources of `kind`.
pub fn resources(kind: ServiceKind) -> &'static KindResources {
    let at = ServiceKind::ALL.iter().position(|k| *k == kind).unwrap_or_default();
    &KIND_RESOURCES[at]
}

/// Every kind whose primary or further CloudFormation type is `ty`, in table order.
pub fn kinds_for_cloudformation(ty: &str) -> impl Iterator<Item = ServiceKind> + '_ {
    KIND_RESOURCES
        .iter()
        .filter(move |r| r.cloudformation == Some(ty) || r.cloudformation_also.contains(&ty))
        .map(|r| r.kind)
}

/// Every kind whose primary or further Terraform resource type is `ty`, in table order.
pub fn kinds_for_terraform(ty: &str) -> impl Iterator<Item = ServiceKind> + '_ {
    KIND_RESOURCES
        .iter()
        .filter(move |r| r.terraform == Some(ty) || r.terraform_also.contains(&ty))
        .map(|r| r.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_kind_in_order() {
        for (row, kind) in KIND_RESOURCES.iter().zip(ServiceKind::ALL) {
            assert_eq!(row.kind, kind);
            assert_eq!(resources(kind).kind, kind);
        }
    }

    #[test]
    fn every_kind_has_a_resource_in_some_format() {
        for row in &KIND_RESOURCES {
            assert!(
                row.cloudformation.is_some() || row.terraform.is_some(),
                "{:?} has no resource in either format",
                row.kind
            );
        }
    }

    #[test]
    fn shared_types_are_only_the_documented_ones() {
        let shared: Vec<&str> = KIND_RESOURCES
            .iter()
            .filter_map(|r| r.cloudformation)
            .filter(|ty| kinds_for_cloudformation(ty).count() > 1)
            .collect();
        assert_eq!(
            shared,
            [
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
                "AWS::Lambda::Function",
                "AWS::Lambda::Function",
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
            ]
        );
        assert_eq!(
            kinds_for_terraform("aws_apigatewayv2_api").collect::<Vec<_>>(),
            [ServiceKind::ApiGateway]
        );
        assert_eq!(kinds_for_cloudformation("AWS::EC2::VPC").count(), 0);
    }
}
