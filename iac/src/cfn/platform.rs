//! Platform services of a region's template: EKS clusters (pods on Fargate), Step Functions
//! state machines, EventBridge buses, RDS instances, DMS replication instances and SageMaker
//! endpoints, each with its least-privilege role, encryption with the region's key where the
//! service takes one, logging and the design's tags.

use serde_json::{Value, json};

use super::compute::{log_group, role};
use super::network::{security_group, subnets};
use super::template::{Template, att, r, sub, tags};
use crate::kind_rules::{
    EKS_LOG_TYPES, invoked_functions, rds_engine, rds_logs, rds_storage_gib, state_machine_definition,
};
use crate::plan::Plan;
use meridian_model::cost::footprint::AURORA_BACKUP_RETENTION_DAYS;
use meridian_model::design::Service;
use meridian_model::ids::RegionId;
use meridian_model::sizing;

fn region_of(plan: &Plan, s: &Service) -> RegionId {
    plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""))
}

/// An EKS cluster with a private API endpoint, secrets encrypted with the region's key and every
/// control-plane log kept in a log group of the export's retention, and a Fargate profile that
/// runs the `default` namespace's pods (the bill prices the pods at Fargate's rates).
pub(super) fn eks(plan: &Plan, t: &mut Template, s: &Service) {
    let region = region_of(plan, s);
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    role(t, &format!("{id}Role"), "eks.amazonaws.com", &["AmazonEKSClusterPolicy"], Vec::new(), &s.tags);
    role(
        t,
        &format!("{id}PodRole"),
        "eks-fargate-pods.amazonaws.com",
        &["AmazonEKSFargatePodExecutionRolePolicy"],
        Vec::new(),
        &s.tags,
    );
    log_group(t, &format!("{id}Logs"), sub(&format!("/aws/eks/${{NamePrefix}}-{}/cluster", s.id)));
    t.add_with(
        &id,
        "AWS::EKS::Cluster",
        json!({
            "Name": sub(&format!("${{NamePrefix}}-{}", s.id)),
            "RoleArn": att(&format!("{id}Role"), "Arn"),
            "ResourcesVpcConfig": {"SubnetIds": subnets(plan, &region, "Private"), "SecurityGroupIds": [r(&sg)],
                "EndpointPrivateAccess": true, "EndpointPublicAccess": false},
            "EncryptionConfig": [{"Provider": {"KeyArn": att("Key", "Arn")}, "Resources": ["secrets"]}],
            "Logging": {"ClusterLogging": {"EnabledTypes": EKS_LOG_TYPES.iter().map(|ty| json!({"Type": ty})).collect::<Vec<_>>()}},
            "AccessConfig": {"AuthenticationMode": "API"},
            "Tags": tags(&s.tags),
        }),
        json!({"DependsOn": [format!("{id}Logs")]}),
    );
    t.add(
        &format!("{id}Pods"),
        "AWS::EKS::FargateProfile",
        json!({
            "ClusterName": r(&id),
            "PodExecutionRoleArn": att(&format!("{id}PodRole"), "Arn"),
            "Subnets": subnets(plan, &region, "Private"),
            "Selectors": [{"Namespace": "default"}],
            "Tags": tags(&s.tags),
        }),
    );
    t.output(&format!("{id}Arn"), "Cluster ARN", att(&id, "Arn"));
}

/// A standard state machine invoking the functions the design links it to, logging every event
/// (without execution data) to its log group, with X-Ray tracing.
pub(super) fn state_machine(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    let functions: Vec<(String, String)> = invoked_functions(plan, s)
        .into_iter()
        .map(|f| {
            let name = plan.names.cfn(f.as_str());
            (format!("Invoke{name}"), format!("${{{name}Arn}}"))
        })
        .collect();
    let substitutions: serde_json::Map<String, Value> = invoked_functions(plan, s)
        .into_iter()
        .map(|f| {
            let name = plan.names.cfn(f.as_str());
            (format!("{name}Arn"), att(&name, "Arn"))
        })
        .collect();
    let mut statements = vec![
        // CloudWatch Logs delivery and X-Ray actions take no resource but `*` (Step Functions
        // Developer Guide, "IAM policies for logging to CloudWatch Logs" and "X-Ray").
        json!({"Effect": "Allow", "Action": ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
            "xray:GetSamplingTargets"], "Resource": "*"}),
    ];
    if !substitutions.is_empty() {
        statements.push(json!({"Effect": "Allow", "Action": "lambda:InvokeFunction",
            "Resource": substitutions.values().cloned().collect::<Vec<_>>()}));
    }
    role(t, &format!("{id}Role"), "states.amazonaws.com", &[], statements, &s.tags);
    for check in ["CKV_AWS_111", "CKV_AWS_356"] {
        t.skip(
            &format!("{id}Role"),
            check,
            "CloudWatch Logs delivery and X-Ray actions accept only the resource `*` (Step Functions Developer Guide)",
        );
    }
    log_group(t, &format!("{id}Logs"), sub(&format!("/aws/vendedlogs/states/${{NamePrefix}}-{}", s.id)));
    let definition = state_machine_definition(&functions);
    let mut props = json!({
        "StateMachineName": sub(&format!("${{NamePrefix}}-{}", s.id)),
        "StateMachineType": "STANDARD",
        "RoleArn": att(&format!("{id}Role"), "Arn"),
        "Definition": definition,
        "LoggingConfiguration": {"Level": "ALL", "IncludeExecutionData": false,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": att(&format!("{id}Logs"), "Arn")}}]},
        "TracingConfiguration": {"Enabled": true},
        "Tags": tags(&s.tags),
    });
    if !substitutions.is_empty()
        && let Some(o) = props.as_object_mut()
    {
        o.insert("DefinitionSubstitutions".into(), Value::Object(substitutions));
    }
    t.add(&id, "AWS::StepFunctions::StateMachine", props);
    t.output(&format!("{id}Arn"), "State machine ARN", r(&id));
}

/// A custom event bus encrypted with the region's key.
pub(super) fn event_bus(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    t.add(
        &id,
        "AWS::Events::EventBus",
        json!({"Name": sub(&format!("${{NamePrefix}}-{}", s.id)), "KmsKeyIdentifier": att("Key", "Arn"), "Tags": tags(&s.tags)}),
    );
    t.output(&format!("{id}Arn"), "Event bus ARN", att(&id, "Arn"));
}

/// An RDS instance in private subnets: Multi-AZ when the design counts two or more instances
/// (a primary and its standby, as the bill prices them), with read replicas for the rest;
/// encrypted, with a managed master secret, IAM authentication, deletion protection, backups,
/// log exports and Performance Insights.
pub(super) fn rds(plan: &Plan, t: &mut Template, s: &Service) {
    let region = region_of(plan, s);
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    let engine = rds_engine(s);
    t.add(&format!("{id}Subnets"), "AWS::RDS::DBSubnetGroup", json!({"DBSubnetGroupDescription": format!("{} subnets", s.id), "SubnetIds": subnets(plan, &region, "Private"), "Tags": tags(&s.tags)}));
    let class = sizing::instance_type(s);
    let common = |o: &mut serde_json::Map<String, Value>| {
        for (k, v) in [
            ("DBInstanceClass", json!(class)),
            ("PubliclyAccessible", json!(false)),
            ("AutoMinorVersionUpgrade", json!(true)),
            ("EnablePerformanceInsights", json!(true)),
            ("PerformanceInsightsKMSKeyId", att("Key", "Arn")),
            ("EnableCloudwatchLogsExports", json!(rds_logs(engine))),
            ("EnableIAMDatabaseAuthentication", json!(true)),
            ("CopyTagsToSnapshot", json!(true)),
            ("DeletionProtection", json!(true)),
            ("VPCSecurityGroups", json!([r(&sg)])),
            ("Tags", tags(&s.tags)),
        ] {
            o.insert(k.into(), v);
        }
    };
    let mut props = json!({"Engine": engine, "AllocatedStorage": rds_storage_gib(s).to_string(), "MaxAllocatedStorage": 1000,
        "StorageType": "gp3", "StorageEncrypted": true, "KmsKeyId": att("Key", "Arn"), "MultiAZ": s.config.count >= 2,
        "MasterUsername": "app_admin", "ManageMasterUserPassword": true, "MasterUserSecret": {"KmsKeyId": att("Key", "Arn")},
        "BackupRetentionPeriod": AURORA_BACKUP_RETENTION_DAYS, "DBSubnetGroupName": r(&format!("{id}Subnets"))});
    if let Some(o) = props.as_object_mut() {
        common(o);
    }
    t.add_with(
        &id,
        "AWS::RDS::DBInstance",
        props,
        json!({"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"}),
    );
    for n in 1..=s.config.count.saturating_sub(2) {
        let mut replica = json!({"SourceDBInstanceIdentifier": r(&id)});
        if let Some(o) = replica.as_object_mut() {
            common(o);
        }
        t.add(&format!("{id}Replica{n}"), "AWS::RDS::DBInstance", replica);
    }
    t.output(&format!("{id}Endpoint"), "Instance endpoint", att(&id, "Endpoint.Address"));
}

/// A DMS replication instance in private subnets, encrypted with the region's key, Multi-AZ when
/// the design counts two or more instances.
pub(super) fn dms(plan: &Plan, t: &mut Template, s: &Service) {
    let region = region_of(plan, s);
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    t.add(
        &format!("{id}Subnets"),
        "AWS::DMS::ReplicationSubnetGroup",
        json!({"ReplicationSubnetGroupDescription": format!("{} subnets", s.id), "SubnetIds": subnets(plan, &region, "Private"), "Tags": tags(&s.tags)}),
    );
    t.add(
        &id,
        "AWS::DMS::ReplicationInstance",
        json!({
            "ReplicationInstanceClass": sizing::instance_type(s), "AllocatedStorage": 50, "MultiAZ": s.config.count >= 2,
            "PubliclyAccessible": false, "KmsKeyId": att("Key", "Arn"), "AutoMinorVersionUpgrade": true,
            "ReplicationSubnetGroupIdentifier": r(&format!("{id}Subnets")), "VpcSecurityGroupIds": [r(&sg)], "Tags": tags(&s.tags),
        }),
    );
    t.output(&format!("{id}Arn"), "Replication instance ARN", r(&id));
}

/// A SageMaker real-time endpoint: the model (its container image a parameter, network
/// isolation on), an endpoint configuration of the design's instance type and count with its
/// storage encrypted by the region's key, and the endpoint.
pub(super) fn sagemaker(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    t.param(
        &format!("{id}ModelImage"),
        &format!("ECR image URI of the inference container of {}", s.name),
        None,
    );
    let statements = vec![
        json!({"Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            "Resource": sub("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/*")}),
        // ECR's authorization token and CloudWatch metrics take no resource but `*`.
        json!({"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"], "Resource": "*"}),
        json!({"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/sagemaker/*")}),
    ];
    role(t, &format!("{id}Role"), "sagemaker.amazonaws.com", &[], statements, &s.tags);
    for check in ["CKV_AWS_111", "CKV_AWS_356"] {
        t.skip(
            &format!("{id}Role"),
            check,
            "ecr:GetAuthorizationToken and cloudwatch:PutMetricData accept only the resource `*`",
        );
    }
    t.add(
        &format!("{id}Model"),
        "AWS::SageMaker::Model",
        json!({"ExecutionRoleArn": att(&format!("{id}Role"), "Arn"), "PrimaryContainer": {"Image": r(&format!("{id}ModelImage"))},
            "EnableNetworkIsolation": true, "Tags": tags(&s.tags)}),
    );
    t.add(
        &format!("{id}Config"),
        "AWS::SageMaker::EndpointConfig",
        json!({"KmsKeyId": att("Key", "Arn"), "ProductionVariants": [{"VariantName": "primary",
            "ModelName": att(&format!("{id}Model"), "ModelName"), "InstanceType": sizing::instance_type(s),
            "InitialInstanceCount": s.config.count.max(1), "InitialVariantWeight": 1.0}], "Tags": tags(&s.tags)}),
    );
    t.add(
        &id,
        "AWS::SageMaker::Endpoint",
        json!({"EndpointConfigName": att(&format!("{id}Config"), "EndpointConfigName"), "Tags": tags(&s.tags)}),
    );
    t.output(&format!("{id}Arn"), "Endpoint ARN", r(&id));
}
