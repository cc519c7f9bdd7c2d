//! Data stores of a region's template: DynamoDB global tables, Aurora (global) clusters, S3
//! buckets with replication, ElastiCache, and AWS Backup plans.

use serde_json::{Value, json};

use super::compute::role;
use super::network::{security_group, subnets};
use super::policy::{deny_insecure, public_access_block};
use super::template::{Template, att, import_param, r, sub, tags};
use crate::plan::{Plan, aurora_engine, cache_engine, cache_node_type};
use crate::rules;
use meridian_model::ServiceKind;
use meridian_model::cost::footprint::{AURORA_BACKUP_RETENTION_DAYS, CACHE_SNAPSHOT_RETENTION_DAYS};
use meridian_model::design::Service;
use meridian_model::ids::{RegionId, ServiceId};
use meridian_model::sizing;

/// A DynamoDB global table with a replica per member (declared with the group's primary).
pub(super) fn dynamodb(plan: &Plan, t: &mut Template, s: &Service) {
    let group = plan.group_of(&s.id);
    if group.is_some_and(|g| g.primary != s.id) {
        return; // a replica: declared with its global table in the primary's template
    }
    let members: Vec<&Service> = std::iter::once(s)
        .chain(group.into_iter().flat_map(|g| g.replicas.iter()).filter_map(|m| plan.design.service(m)))
        .collect();
    let replicas: Vec<Value> = members.iter().filter_map(|m| {
        let region = plan.region_of(&m.id)?;
        Some(json!({"Region": region.as_str(), "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true},
            "DeletionProtectionEnabled": true, "Tags": tags(&m.tags)}))
    }).collect();
    let id = plan.names.cfn(s.id.as_str());
    let mut props = json!({
        "TableName": sub(&format!("${{NamePrefix}}-{}", s.id)), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "SSESpecification": {"SSEEnabled": true, "SSEType": "KMS"},
        "Replicas": replicas});
    // Multi-Region strong consistency, with the witness of a two-replica table.
    if let (Some(witness), Some(o)) = (plan.strong_tables.get(&s.id), props.as_object_mut()) {
        o.insert("MultiRegionConsistency".into(), json!("STRONG"));
        if let Some(w) = witness {
            o.insert("GlobalTableWitnesses".into(), json!([{"Region": w.as_str()}]));
        }
    }
    t.add_with(
        &id,
        "AWS::DynamoDB::GlobalTable",
        props,
        json!({"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}),
    );
    t.output(
        &format!("{id}Arn"),
        "Table ARN",
        sub(&format!(
            "arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/${{{id}}}"
        )),
    );
}

/// An Aurora cluster (the global cluster with the group's primary) and its instances.
pub(super) fn aurora(plan: &Plan, t: &mut Template, s: &Service) {
    let region = plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""));
    let id = plan.names.cfn(s.id.as_str());
    let engine = aurora_engine(s);
    let sg = security_group(plan, t, s);
    t.add(&format!("{id}Subnets"), "AWS::RDS::DBSubnetGroup", json!({"DBSubnetGroupDescription": format!("{} subnets", s.id), "SubnetIds": subnets(plan, &region, "Private"), "Tags": tags(&s.tags)}));
    let group = plan.group_of(&s.id);
    let logs = if engine == "aurora-mysql" {
        json!(["audit", "error", "general", "slowquery"])
    } else {
        json!(["postgresql"])
    };
    let mut props = json!({"Engine": engine, "StorageEncrypted": true, "KmsKeyId": att("Key", "Arn"), "DeletionProtection": true,
        "BackupRetentionPeriod": AURORA_BACKUP_RETENTION_DAYS, "CopyTagsToSnapshot": true, "EnableCloudwatchLogsExports": logs, "EnableIAMDatabaseAuthentication": true,
        "DBSubnetGroupName": r(&format!("{id}Subnets")), "VpcSecurityGroupIds": [r(&sg)], "Tags": tags(&s.tags)});
    let Some(o) = props.as_object_mut() else { return };
    match group {
        Some(g) if g.primary == s.id => {
            t.add_with(&format!("{id}Global"), "AWS::RDS::GlobalCluster", json!({
                "GlobalClusterIdentifier": sub(&format!("${{NamePrefix}}-{}", s.id)), "Engine": engine, "StorageEncrypted": true, "DeletionProtection": true}),
                json!({"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}));
            o.insert("GlobalClusterIdentifier".into(), r(&format!("{id}Global")));
        }
        Some(g) => {
            o.insert("GlobalClusterIdentifier".into(), sub(&format!("${{NamePrefix}}-{}", g.primary)));
            if plan.write_forwarding.contains_key(&s.id) {
                o.insert("EnableGlobalWriteForwarding".into(), json!(true));
            }
        }
        None => {}
    }
    if group.is_none_or(|g| g.primary == s.id) {
        o.insert("MasterUsername".into(), json!("app_admin"));
        o.insert("ManageMasterUserPassword".into(), json!(true));
        o.insert("MasterUserSecret".into(), json!({"KmsKeyId": att("Key", "Arn")}));
    }
    t.add_with(
        &id,
        "AWS::RDS::DBCluster",
        props,
        json!({"DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot"}),
    );
    t.param(
        &format!("{id}InstanceClass"),
        &format!("Instance class of {}", s.name),
        Some(sizing::instance_type(s)),
    );
    for n in 1..=s.config.count.max(1) {
        t.add(&format!("{id}Instance{n}"), "AWS::RDS::DBInstance", json!({
            "DBClusterIdentifier": r(&id), "DBInstanceClass": r(&format!("{id}InstanceClass")), "Engine": engine,
            "PubliclyAccessible": false, "AutoMinorVersionUpgrade": true, "EnablePerformanceInsights": true,
            "PerformanceInsightsKMSKeyId": att("Key", "Arn"), "Tags": tags(&s.tags)}));
    }
    t.output(
        &format!("{id}Arn"),
        "Cluster ARN",
        sub(&format!("arn:${{AWS::Partition}}:rds:${{AWS::Region}}:${{AWS::AccountId}}:cluster:${{{id}}}")),
    );
}

/// A private, versioned, KMS-encrypted bucket with access logs and its replication rules.
pub(super) fn bucket(plan: &Plan, t: &mut Template, s: &Service) {
    let id = plan.names.cfn(s.id.as_str());
    let mut props = json!({
        "BucketName": sub(&format!("${{NamePrefix}}-{}-${{AWS::AccountId}}", s.id)),
        "BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": att("Key", "Arn")}, "BucketKeyEnabled": true}]},
        "VersioningConfiguration": {"Status": "Enabled"},
        "PublicAccessBlockConfiguration": public_access_block(),
        "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]},
        "LoggingConfiguration": {"DestinationBucketName": r("LogBucket"), "LogFilePrefix": format!("s3/{}/", s.id)},
        "LifecycleConfiguration": {"Rules": [{"Id": "old-versions", "Status": "Enabled", "NoncurrentVersionExpiration": {"NoncurrentDays": 90}, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}}]},
        "Tags": tags(&s.tags)});
    let rules: Vec<Value> = plan.bucket_replication.iter().filter(|b| b.from == s.id).enumerate().filter_map(|(i, b)| {
        let dest_region = plan.region_of(&b.to)?;
        let mut dest = json!({"Bucket": sub(&format!("arn:${{AWS::Partition}}:s3:::${{NamePrefix}}-{}-${{AWS::AccountId}}", b.to)),
            "EncryptionConfiguration": {"ReplicaKmsKeyID": sub(&format!("arn:${{AWS::Partition}}:kms:{dest_region}:${{AWS::AccountId}}:alias/${{NamePrefix}}"))}});
        if b.rtc
            && let Some(o) = dest.as_object_mut() {
                o.insert("ReplicationTime".into(), json!({"Status": "Enabled", "Time": {"Minutes": 15}}));
                o.insert("Metrics".into(), json!({"Status": "Enabled", "EventThreshold": {"Minutes": 15}}));
            }
        Some(json!({"Id": b.link.as_str(), "Status": "Enabled", "Priority": i + 1, "Filter": {"Prefix": ""},
            "DeleteMarkerReplication": {"Status": "Enabled"}, "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
            "Destination": dest}))
    }).collect();
    if !rules.is_empty() {
        let dests: Vec<Value> = plan
            .bucket_replication
            .iter()
            .filter(|b| b.from == s.id)
            .map(|b| {
                sub(&format!("arn:${{AWS::Partition}}:s3:::${{NamePrefix}}-{}-${{AWS::AccountId}}/*", b.to))
            })
            .collect();
        t.add(&format!("{id}ReplicationRole"), "AWS::IAM::Role", json!({
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
            "Policies": [{"PolicyName": "replication", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"], "Resource": sub(&format!("arn:${{AWS::Partition}}:s3:::${{NamePrefix}}-{}-${{AWS::AccountId}}", s.id))},
                {"Effect": "Allow", "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], "Resource": sub(&format!("arn:${{AWS::Partition}}:s3:::${{NamePrefix}}-{}-${{AWS::AccountId}}/*", s.id))},
                {"Effect": "Allow", "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], "Resource": dests},
                {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], "Resource": "*",
                    "Condition": {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}}}]}}],
            "Tags": tags(&s.tags)}));
        if let Some(o) = props.as_object_mut() {
            o.insert(
                "ReplicationConfiguration".into(),
                json!({"Role": att(&format!("{id}ReplicationRole"), "Arn"), "Rules": rules}),
            );
        }
    }
    t.add_with(
        &id,
        "AWS::S3::Bucket",
        props,
        json!({"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}),
    );
    if let Some(c) = plan.residency_reason(&s.id) {
        for check in &c.supersedes {
            t.skip(&id, check, &format!("{} ({})", c.reason, c.rule));
        }
    }
    let mut statements = vec![deny_insecure(vec![att(&id, "Arn"), sub(&format!("${{{id}.Arn}}/*"))])];
    if rules::behind_cloudfront(plan, &s.id) {
        statements.push(json!({"Sid": "CloudFrontRead", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
            "Resource": sub(&format!("${{{id}.Arn}}/*")),
            "Condition": {"StringLike": {"AWS:SourceArn": sub("arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/*")}}}));
    }
    t.add(
        &format!("{id}Policy"),
        "AWS::S3::BucketPolicy",
        json!({"Bucket": r(&id), "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}),
    );
    t.output(&format!("{id}DomainName"), "Regional domain name", att(&id, "RegionalDomainName"));
}

/// An ElastiCache replication group with encryption at rest and in transit. The primary of a
/// Global Datastore also declares the global replication group (it is created in the primary's
/// region); a secondary joins it by the id the primary's stack outputs, and inherits engine, node
/// type and encryption settings from it (it keeps its own KMS key).
pub(super) fn cache(plan: &Plan, t: &mut Template, s: &Service) {
    let region = plan.region_of(&s.id).cloned().unwrap_or_else(|| RegionId::new(""));
    let id = plan.names.cfn(s.id.as_str());
    let sg = security_group(plan, t, s);
    let group = plan.cache_group_of(&s.id);
    let primary = group.and_then(|g| plan.design.service(&g.primary)).unwrap_or(s);
    let failover = primary.config.count.clamp(1, 6) > 1;
    let count =
        if primary.id == s.id || !failover { s.config.count.clamp(1, 6) } else { s.config.count.clamp(2, 6) };
    t.add(
        &format!("{id}Subnets"),
        "AWS::ElastiCache::SubnetGroup",
        json!({"Description": format!("{} subnets", s.id), "SubnetIds": subnets(plan, &region, "Private")}),
    );
    let mut props = json!({
        "ReplicationGroupDescription": s.name, "NumCacheClusters": count, "KmsKeyId": att("Key", "Arn"),
        "SnapshotRetentionLimit": CACHE_SNAPSHOT_RETENTION_DAYS, "CacheSubnetGroupName": r(&format!("{id}Subnets")),
        "SecurityGroupIds": [r(&sg)], "Tags": tags(&s.tags)});
    let Some(o) = props.as_object_mut() else { return };
    // A secondary gets the primary's Multi-AZ and automatic failover; the template says so.
    o.insert("AutomaticFailoverEnabled".into(), json!(failover));
    o.insert("MultiAZEnabled".into(), json!(failover));
    if primary.id == s.id {
        t.param(&format!("{id}NodeType"), &format!("Node type of {}", s.name), Some(cache_node_type(s)));
        o.insert("Engine".into(), json!(cache_engine(s)));
        o.insert("CacheNodeType".into(), r(&format!("{id}NodeType")));
        o.insert("AtRestEncryptionEnabled".into(), json!(true));
        o.insert("TransitEncryptionEnabled".into(), json!(true));
    } else {
        let global = import_param(plan, primary.id.as_str(), "GlobalId");
        let stack = format!("{}-{}", plan.prefix, plan.region_of(&primary.id).map_or("", |r| r.as_str()));
        t.import(&global, &stack);
        o.insert("GlobalReplicationGroupId".into(), r(&global));
    }
    t.add(&id, "AWS::ElastiCache::ReplicationGroup", props);
    if primary.id != s.id {
        let why =
            format!("inherited from Global Datastore {} (encrypted at rest and in transit)", primary.id);
        t.skip(&id, "CKV_AWS_29", &why);
        t.skip(&id, "CKV_AWS_30", &why);
    } else if let Some(g) = group {
        let members: Vec<&str> = g.replicas.iter().map(ServiceId::as_str).collect();
        t.add(
            &format!("{id}Global"),
            "AWS::ElastiCache::GlobalReplicationGroup",
            json!({
                "GlobalReplicationGroupIdSuffix": sub(&format!("${{NamePrefix}}-{}", s.id)),
                "GlobalReplicationGroupDescription": format!("{} with {}", s.name, members.join(", ")),
                "AutomaticFailoverEnabled": failover,
                "Members": [{"ReplicationGroupId": r(&id), "ReplicationGroupRegion": r("AWS::Region"), "Role": "PRIMARY"}]}),
        );
        t.output(
            &format!("{id}GlobalId"),
            "Global Datastore id (the secondaries' stacks take it as a parameter)",
            att(&format!("{id}Global"), "GlobalReplicationGroupId"),
        );
    }
}

/// The region's backup plan, copies to vaults in other regions, and its selection.
pub(super) fn backups(plan: &Plan, t: &mut Template, region: &RegionId) {
    let links = rules::backup_links(plan, region);
    if links.is_empty() {
        return;
    }
    let local = plan
        .services_in(region)
        .into_iter()
        .find(|s| s.kind == ServiceKind::AwsBackup)
        .map(|s| plan.names.cfn(s.id.as_str()));
    let vault = local.clone().unwrap_or_else(|| "BackupVault".to_owned());
    if local.is_none() {
        t.add(
            "BackupVault",
            "AWS::Backup::BackupVault",
            json!({"BackupVaultName": sub("${NamePrefix}-backups"), "EncryptionKeyArn": att("Key", "Arn")}),
        );
    }
    let mut rules = Vec::new();
    let mut resources = Vec::new();
    for l in &links {
        let (schedule, days) = rules::backup_schedule(l);
        let mut rule = json!({"RuleName": plan.names.cfn(l.id.as_str()), "TargetBackupVault": r(&vault), "ScheduleExpression": schedule,
            "Lifecycle": {"DeleteAfterDays": days}});
        if let (Some(o), Some(tr)) = (rule.as_object_mut(), rules::backup_copy_region(plan, l, region)) {
            o.insert("CopyActions".into(), json!([{"DestinationBackupVaultArn": sub(&format!("arn:${{AWS::Partition}}:backup:{tr}:${{AWS::AccountId}}:backup-vault:${{NamePrefix}}-{}", l.to)), "Lifecycle": {"DeleteAfterDays": days}}]));
        }
        rules.push(rule);
        let from = plan.names.cfn(l.from.as_str());
        let Some(kind) = plan.kind_of(&l.from) else { continue };
        resources.push(match kind {
            ServiceKind::Aurora => sub(&format!("arn:${{AWS::Partition}}:rds:${{AWS::Region}}:${{AWS::AccountId}}:cluster:${{{from}}}")),
            ServiceKind::S3 => att(&from, "Arn"),
            ServiceKind::DynamoDb => sub(&format!("arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/${{NamePrefix}}-{}", rules::table_of(plan, &l.from))),
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
    t.add("BackupPlan", "AWS::Backup::BackupPlan", json!({"BackupPlan": {"BackupPlanName": sub("${NamePrefix}-${AWS::Region}"), "BackupPlanRule": rules}}));
    role(
        t,
        "BackupRole",
        "backup.amazonaws.com",
        &[
            "service-role/AWSBackupServiceRolePolicyForBackup",
            "service-role/AWSBackupServiceRolePolicyForRestores",
        ],
        Vec::new(),
        &plan.common_tags,
    );
    t.add("BackupSelection", "AWS::Backup::BackupSelection", json!({"BackupPlanId": r("BackupPlan"),
        "BackupSelection": {"SelectionName": "design-stores", "IamRoleArn": att("BackupRole", "Arn"), "Resources": resources}}));
}
