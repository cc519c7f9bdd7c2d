//! Data and messaging of a region: queues and topics, DynamoDB global tables, Aurora (global)
//! clusters, S3 buckets with their controls and replication, ElastiCache, and AWS Backup.

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::network::{key_arn, region_of, security_group, subnets};
use super::policy::{Statement, document, role, tls_only};
use super::{ACCOUNT, Out, PARTITION, alias, ident, list, tags, tpl, tr};
use crate::design::Service;
use crate::iac::plan::{Plan, aurora_engine};
use crate::iac::rules;
use crate::ids::RegionId;

/// An SQS queue (with a TLS-only policy) or an SNS topic, encrypted with the region's key.
pub(super) fn messaging(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = ident(s.id.as_str());
    if s.kind == "sns" {
        out.resource(
            "aws_sns_topic",
            &name,
            hcl::body!({
                name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
                kms_master_key_id = (key_arn(&region))
                tags = (tags(&s.tags))
            }),
        );
        out.output(&format!("{name}_arn"), "Topic ARN", tr(&format!("aws_sns_topic.{name}.arn")));
        return;
    }
    out.resource(
        "aws_sqs_queue",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            kms_master_key_id = (key_arn(&region))
            tags = (tags(&s.tags))
        }),
    );
    let arn = tr(&format!("aws_sqs_queue.{name}.arn"));
    let policy = document(out, &format!("{name}_queue"), vec![tls_only("sqs:*", vec![arn.clone()])]);
    out.resource(
        "aws_sqs_queue_policy",
        &name,
        hcl::body!({
            queue_url = (tr(&format!("aws_sqs_queue.{name}.id")))
            policy = (policy)
        }),
    );
    out.output(&format!("{name}_arn"), "Queue ARN", arn);
}

/// A DynamoDB table with a replica in each member's region (declared with the group's primary).
pub(super) fn dynamodb(plan: &Plan, out: &mut Out, s: &Service) {
    let group = plan.group_of(&s.id);
    if group.is_some_and(|g| g.primary != s.id) {
        return; // a replica: declared with its global table in the primary's region
    }
    let name = ident(s.id.as_str());
    let replicas: Vec<Block> = group
        .into_iter()
        .flat_map(|g| g.replicas.iter())
        .filter_map(|m| plan.region_of(m))
        .map(|r| {
            hcl::block!(replica {
                region_name = (r.as_str())
                point_in_time_recovery = true
                deletion_protection_enabled = true
                propagate_tags = true
            })
        })
        .collect();
    let body = Body::builder()
        .add_attribute(("name", tpl(&format!("${{var.name_prefix}}-{}", s.id))))
        .add_attribute(("billing_mode", "PAY_PER_REQUEST"))
        .add_attribute(("hash_key", "pk"))
        .add_attribute(("range_key", "sk"))
        .add_attribute(("stream_enabled", true))
        .add_attribute(("stream_view_type", "NEW_AND_OLD_IMAGES"))
        .add_attribute(("deletion_protection_enabled", true))
        .add_block(hcl::block!(attribute { name = "pk" type = "S" }))
        .add_block(hcl::block!(attribute { name = "sk" type = "S" }))
        .add_block(hcl::block!(server_side_encryption { enabled = true }))
        .add_block(hcl::block!(point_in_time_recovery { enabled = true }))
        .add_blocks(replicas)
        .add_attribute(("tags", tags(&s.tags)))
        .add_block(hcl::block!(lifecycle { prevent_destroy = true }))
        .build();
    out.resource("aws_dynamodb_table", &name, body);
    out.output(&format!("{name}_arn"), "Table ARN", tr(&format!("aws_dynamodb_table.{name}.arn")));
}

/// An Aurora cluster (the global cluster with the group's primary) and its instances.
pub(super) fn aurora(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = ident(s.id.as_str());
    let engine = aurora_engine(s);
    let sg = security_group(plan, out, s);
    out.resource(
        "aws_db_subnet_group",
        &name,
        hcl::body!({
            name_prefix = (format!("{}-", s.id))
            description = (format!("{} subnets", s.id))
            subnet_ids = (subnets(plan, &region, "private"))
            tags = (tags(&s.tags))
        }),
    );
    let group = plan.group_of(&s.id);
    let logs: Vec<Expression> = if engine == "aurora-mysql" {
        ["audit", "error", "general", "slowquery"].into_iter().map(Expression::from).collect()
    } else {
        vec![Expression::from("postgresql")]
    };
    let mut body = Body::builder()
        .add_attribute(("cluster_identifier", tpl(&format!("${{var.name_prefix}}-{}", s.id))))
        .add_attribute(("engine", engine))
        .add_attribute(("storage_encrypted", true))
        .add_attribute(("kms_key_id", key_arn(&region)))
        .add_attribute(("deletion_protection", true))
        .add_attribute(("backup_retention_period", 35))
        .add_attribute(("copy_tags_to_snapshot", true))
        .add_attribute(("enabled_cloudwatch_logs_exports", list(logs)))
        .add_attribute(("iam_database_authentication_enabled", true))
        .add_attribute(("db_subnet_group_name", tr(&format!("aws_db_subnet_group.{name}.name"))))
        .add_attribute(("vpc_security_group_ids", list(vec![sg])))
        .add_attribute(("skip_final_snapshot", false))
        .add_attribute(("final_snapshot_identifier", tpl(&format!("${{var.name_prefix}}-{}-final", s.id))));
    if let Some(g) = group {
        let global = ident(g.primary.as_str());
        if g.primary == s.id {
            out.resource(
                "aws_rds_global_cluster",
                &name,
                hcl::body!({
                    global_cluster_identifier = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
                    engine = (engine)
                    storage_encrypted = true
                    deletion_protection = true
                    lifecycle { prevent_destroy = true }
                }),
            );
        }
        body = body
            .add_attribute(("global_cluster_identifier", tr(&format!("aws_rds_global_cluster.{global}.id"))));
        if g.primary != s.id {
            body = body
                .add_attribute(("depends_on", list(vec![tr(&format!("aws_rds_cluster_instance.{global}"))])));
        }
    }
    if group.is_none_or(|g| g.primary == s.id) {
        body = body
            .add_attribute(("master_username", "app_admin"))
            .add_attribute(("manage_master_user_password", true))
            .add_attribute(("master_user_secret_kms_key_id", key_arn(&region)));
    }
    out.resource("aws_rds_cluster", &name, body.add_attribute(("tags", tags(&s.tags))).build());
    out.variable(
        &format!("{name}_instance_class"),
        &format!("Instance class of {}", s.name),
        Some(s.config.instance_type.as_deref().unwrap_or("db.r6g.large")),
    );
    out.resource(
        "aws_rds_cluster_instance",
        &name,
        hcl::body!({
            count = (s.config.count.max(1))
            identifier = (tpl(&format!("${{var.name_prefix}}-{}-${{count.index + 1}}", s.id)))
            cluster_identifier = (tr(&format!("aws_rds_cluster.{name}.id")))
            instance_class = (tr(&format!("var.{name}_instance_class")))
            engine = (tr(&format!("aws_rds_cluster.{name}.engine")))
            publicly_accessible = false
            auto_minor_version_upgrade = true
            performance_insights_enabled = true
            performance_insights_kms_key_id = (key_arn(&region))
            tags = (tags(&s.tags))
        }),
    );
    out.output(&format!("{name}_arn"), "Cluster ARN", tr(&format!("aws_rds_cluster.{name}.arn")));
}

/// Versioning, encryption, public access block, object ownership, access logging and lifecycle
/// of the bucket `aws_s3_bucket.<name>`. `kms` is the key for SSE-KMS (SSE-S3 without one).
pub(super) fn bucket_controls(
    out: &mut Out,
    name: &str,
    kms: Option<Expression>,
    logging: Option<(Expression, String)>,
    lifecycle: Body,
) {
    let bucket = tr(&format!("aws_s3_bucket.{name}.id"));
    let sse = match kms {
        Some(key) => hcl::block!(rule {
            apply_server_side_encryption_by_default {
                sse_algorithm = "aws:kms"
                kms_master_key_id = (key)
            }
            bucket_key_enabled = true
        }),
        None => hcl::block!(rule {
            apply_server_side_encryption_by_default { sse_algorithm = "AES256" }
        }),
    };
    out.resource(
        "aws_s3_bucket_server_side_encryption_configuration",
        name,
        Body::builder().add_attribute(("bucket", bucket.clone())).add_block(sse).build(),
    );
    out.resource(
        "aws_s3_bucket_versioning",
        name,
        hcl::body!({
            bucket = (bucket.clone())
            versioning_configuration { status = "Enabled" }
        }),
    );
    out.resource(
        "aws_s3_bucket_public_access_block",
        name,
        hcl::body!({
            bucket = (bucket.clone())
            block_public_acls = true
            block_public_policy = true
            ignore_public_acls = true
            restrict_public_buckets = true
        }),
    );
    out.resource(
        "aws_s3_bucket_ownership_controls",
        name,
        hcl::body!({
            bucket = (bucket.clone())
            rule { object_ownership = "BucketOwnerEnforced" }
        }),
    );
    if let Some((target, prefix)) = logging {
        out.resource(
            "aws_s3_bucket_logging",
            name,
            hcl::body!({
                bucket = (bucket.clone())
                target_bucket = (target)
                target_prefix = (prefix)
            }),
        );
    }
    out.resource(
        "aws_s3_bucket_lifecycle_configuration",
        name,
        Body::builder().add_attribute(("bucket", bucket)).add_structures(lifecycle).build(),
    );
}

/// A private, versioned, KMS-encrypted bucket with access logs and its replication rules.
pub(super) fn bucket(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let r = alias(&region);
    let name = ident(s.id.as_str());
    out.resource(
        "aws_s3_bucket",
        &name,
        hcl::body!({
            bucket = (tpl(&format!("${{var.name_prefix}}-{}-{ACCOUNT}", s.id)))
            tags = (tags(&s.tags))
            lifecycle { prevent_destroy = true }
        }),
    );
    if let Some(c) = plan.residency_reason(&s.id) {
        for check in &c.supersedes {
            out.skip("aws_s3_bucket", &name, check, &format!("{} ({})", c.reason, c.rule));
        }
    }
    bucket_controls(
        out,
        &name,
        Some(key_arn(&region)),
        Some((tr(&format!("aws_s3_bucket.logs_{r}.id")), format!("s3/{}/", s.id))),
        hcl::body!({
            rule {
                id = "old-versions"
                status = "Enabled"
                filter {}
                noncurrent_version_expiration { noncurrent_days = 90 }
                abort_incomplete_multipart_upload { days_after_initiation = 7 }
            }
        }),
    );
    replication(plan, out, s);
    let arn = tr(&format!("aws_s3_bucket.{name}.arn"));
    let objects = tpl(&format!("${{aws_s3_bucket.{name}.arn}}/*"));
    let mut statements = vec![tls_only("s3:*", vec![arn, objects.clone()])];
    if rules::behind_cloudfront(plan, &s.id) {
        statements.push(
            Statement::allow("CloudFrontRead", &["s3:GetObject"])
                .on(vec![objects])
                .by("Service", vec![Expression::from("cloudfront.amazonaws.com")])
                .when(
                    "StringLike",
                    "AWS:SourceArn",
                    vec![tpl(&format!("arn:{PARTITION}:cloudfront::{ACCOUNT}:distribution/*"))],
                ),
        );
    }
    let policy = document(out, &format!("{name}_bucket"), statements);
    out.resource(
        "aws_s3_bucket_policy",
        &name,
        hcl::body!({
            bucket = (tr(&format!("aws_s3_bucket.{name}.id")))
            policy = (policy)
        }),
    );
    out.output(
        &format!("{name}_domain_name"),
        "Regional domain name",
        tr(&format!("aws_s3_bucket.{name}.bucket_regional_domain_name")),
    );
}

/// The replication rules of bucket `s`, with Replication Time Control where the design asks.
fn replication(plan: &Plan, out: &mut Out, s: &Service) {
    let name = ident(s.id.as_str());
    let links: Vec<_> = plan.bucket_replication.iter().filter(|b| b.from == s.id).collect();
    if links.is_empty() {
        return;
    }
    let dests: Vec<Expression> =
        links.iter().map(|b| tpl(&format!("${{aws_s3_bucket.{}.arn}}/*", ident(b.to.as_str())))).collect();
    let role_arn =
        role(
            out,
            &format!("{name}_replication"),
            "s3.amazonaws.com",
            &[],
            vec![
                Statement::allow("Source", &["s3:GetReplicationConfiguration", "s3:ListBucket"])
                    .on(vec![tr(&format!("aws_s3_bucket.{name}.arn"))]),
                Statement::allow(
                    "SourceObjects",
                    &[
                        "s3:GetObjectVersionForReplication",
                        "s3:GetObjectVersionAcl",
                        "s3:GetObjectVersionTagging",
                    ],
                )
                .on(vec![tpl(&format!("${{aws_s3_bucket.{name}.arn}}/*"))]),
                Statement::allow(
                    "Destinations",
                    &["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
                )
                .on(dests),
                Statement::allow("Keys", &["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"])
                    .on_any()
                    .when("StringLike", "kms:ViaService", vec![Expression::from("s3.*.amazonaws.com")]),
            ],
            &s.tags,
        );
    let mut body = Body::builder()
        .add_attribute(("bucket", tr(&format!("aws_s3_bucket.{name}.id"))))
        .add_attribute(("role", role_arn));
    for (i, b) in links.iter().enumerate() {
        let Some(dest_region) = plan.region_of(&b.to) else { continue };
        let mut dest = Block::builder("destination")
            .add_attribute(("bucket", tr(&format!("aws_s3_bucket.{}.arn", ident(b.to.as_str())))))
            .add_block(hcl::block!(encryption_configuration { replica_kms_key_id = (key_arn(dest_region)) }));
        if b.rtc {
            dest = dest
                .add_block(hcl::block!(replication_time {
                    status = "Enabled"
                    time { minutes = 15 }
                }))
                .add_block(hcl::block!(metrics {
                    status = "Enabled"
                    event_threshold { minutes = 15 }
                }));
        }
        body = body.add_block(
            Block::builder("rule")
                .add_attribute(("id", b.link.as_str()))
                .add_attribute(("status", "Enabled"))
                .add_attribute(("priority", i + 1))
                .add_block(hcl::block!(filter { prefix = "" }))
                .add_block(hcl::block!(delete_marker_replication { status = "Enabled" }))
                .add_block(hcl::block!(source_selection_criteria {
                    sse_kms_encrypted_objects { status = "Enabled" }
                }))
                .add_block(dest.build())
                .build(),
        );
    }
    let mut depends = vec![tr(&format!("aws_s3_bucket_versioning.{name}"))];
    depends.extend(links.iter().map(|b| tr(&format!("aws_s3_bucket_versioning.{}", ident(b.to.as_str())))));
    body = body.add_attribute(("depends_on", list(depends)));
    out.resource("aws_s3_bucket_replication_configuration", &name, body.build());
}

/// An ElastiCache replication group with encryption at rest and in transit.
pub(super) fn cache(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = ident(s.id.as_str());
    let sg = security_group(plan, out, s);
    let count = s.config.count.clamp(1, 6);
    out.variable(
        &format!("{name}_node_type"),
        &format!("Node type of {}", s.name),
        Some(s.config.instance_type.as_deref().unwrap_or("cache.r7g.large")),
    );
    out.resource(
        "aws_elasticache_subnet_group",
        &name,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            description = (format!("{} subnets", s.id))
            subnet_ids = (subnets(plan, &region, "private"))
        }),
    );
    out.resource(
        "aws_elasticache_replication_group",
        &name,
        hcl::body!({
            replication_group_id = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            description = (s.name.as_str())
            engine = (s.config.engine.as_deref().unwrap_or("valkey"))
            node_type = (tr(&format!("var.{name}_node_type")))
            num_cache_clusters = (count)
            automatic_failover_enabled = (count > 1)
            multi_az_enabled = (count > 1)
            at_rest_encryption_enabled = true
            transit_encryption_enabled = true
            kms_key_id = (key_arn(&region))
            snapshot_retention_limit = 7
            subnet_group_name = (tr(&format!("aws_elasticache_subnet_group.{name}.name")))
            security_group_ids = [(sg)]
            tags = (tags(&s.tags))
        }),
    );
}

/// A backup vault of the design, encrypted with the region's key.
pub(super) fn vault(out: &mut Out, s: &Service, region: &RegionId) {
    out.resource(
        "aws_backup_vault",
        &ident(s.id.as_str()),
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
    let local = plan.services_in(region).into_iter().find(|s| s.kind == "aws-backup");
    let vault = local.map_or_else(|| format!("backups_{r}"), |v| ident(v.id.as_str()));
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
            .add_attribute(("rule_name", crate::iac::plan::pascal(l.id.as_str())))
            .add_attribute(("target_vault_name", tr(&format!("aws_backup_vault.{vault}.name"))))
            .add_attribute(("schedule", schedule))
            .add_block(hcl::block!(lifecycle { delete_after = (days) }));
        if rules::backup_copy_region(plan, l, region).is_some() {
            rule = rule.add_block(hcl::block!(copy_action {
                destination_vault_arn = (tr(&format!("aws_backup_vault.{}.arn", ident(l.to.as_str()))))
                lifecycle { delete_after = (days) }
            }));
        }
        plan_body = plan_body.add_block(rule.build());
        let from = ident(l.from.as_str());
        resources.push(match plan.kind_of(&l.from) {
            "aurora" => tr(&format!("aws_rds_cluster.{from}.arn")),
            "s3" => tr(&format!("aws_s3_bucket.{from}.arn")),
            _ => tpl(&format!(
                "arn:{PARTITION}:dynamodb:{region}:{ACCOUNT}:table/${{var.name_prefix}}-{}",
                rules::table_of(plan, &l.from)
            )),
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
