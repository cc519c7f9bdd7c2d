//! Databases and messaging of a region: queues and topics, DynamoDB global tables, Aurora
//! (global) clusters and ElastiCache.

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::expr::{list, tags, tpl, tr};
use super::module::Out;
use super::policy::{document, tls_only};
use super::refs::{SubnetGroup, key_arn, private_subnet_group, region_of, security_group};
use crate::plan::{Plan, aurora_engine, cache_engine, cache_node_type};
use meridian_model::ServiceKind;
use meridian_model::cost::footprint::{AURORA_BACKUP_RETENTION_DAYS, CACHE_SNAPSHOT_RETENTION_DAYS};
use meridian_model::design::Service;
use meridian_model::sizing;

/// An SQS queue (with a TLS-only policy) or an SNS topic, encrypted with the region's key.
pub(super) fn messaging(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    if s.kind == ServiceKind::Sns {
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
    let name = plan.names.tf(s.id.as_str());
    let replicas: Vec<Block> = group
        .into_iter()
        .flat_map(|g| g.replicas.iter())
        .filter_map(|m| plan.region_of(m))
        .map(|r| {
            // Provider 5.100's `replica` block has no `deletion_protection_enabled` (`terraform
            // validate` refuses it); the table's own setting protects the table.
            hcl::block!(replica {
                region_name = (r.as_str())
                point_in_time_recovery = true
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
    let name = plan.names.tf(s.id.as_str());
    let engine = aurora_engine(s);
    let sg = security_group(plan, out, s);
    private_subnet_group(plan, out, s, SubnetGroup::Db);
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
        .add_attribute(("backup_retention_period", AURORA_BACKUP_RETENTION_DAYS))
        .add_attribute(("copy_tags_to_snapshot", true))
        .add_attribute(("enabled_cloudwatch_logs_exports", list(logs)))
        .add_attribute(("iam_database_authentication_enabled", true))
        .add_attribute(("db_subnet_group_name", tr(&format!("aws_db_subnet_group.{name}.name"))))
        .add_attribute(("vpc_security_group_ids", list(vec![sg])))
        .add_attribute(("skip_final_snapshot", false))
        .add_attribute(("final_snapshot_identifier", tpl(&format!("${{var.name_prefix}}-{}-final", s.id))));
    if let Some(g) = group {
        let global = plan.names.tf(g.primary.as_str());
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
            if plan.write_forwarding.contains_key(&s.id) {
                body = body.add_attribute(("enable_global_write_forwarding", true));
            }
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
        Some(sizing::instance_type(s)),
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

/// An ElastiCache replication group with encryption at rest and in transit. The primary of a
/// Global Datastore also declares `aws_elasticache_global_replication_group` on its region's
/// provider; a secondary sets `global_replication_group_id` and leaves out what it inherits (engine,
/// node type, encryption flags: the provider rejects them on a secondary), keeping its own KMS key.
/// Its Multi-AZ and automatic failover are the primary's (ElastiCache applies the primary's; saying
/// so keeps the provider's `false` defaults from showing a difference on every plan).
pub(super) fn cache(plan: &Plan, out: &mut Out, s: &Service) {
    let region = region_of(plan, s);
    let name = plan.names.tf(s.id.as_str());
    let sg = security_group(plan, out, s);
    let group = plan.cache_group_of(&s.id);
    let primary = group.and_then(|g| plan.design.service(&g.primary)).unwrap_or(s);
    let failover = primary.config.count.clamp(1, 6) > 1;
    let count =
        if primary.id == s.id || !failover { s.config.count.clamp(1, 6) } else { s.config.count.clamp(2, 6) };
    private_subnet_group(plan, out, s, SubnetGroup::Cache);
    let id = tpl(&format!("${{var.name_prefix}}-{}", s.id));
    let subnet_group = tr(&format!("aws_elasticache_subnet_group.{name}.name"));
    if primary.id != s.id {
        let global = plan.names.tf(primary.id.as_str());
        out.resource(
            "aws_elasticache_replication_group",
            &name,
            hcl::body!({
                replication_group_id = (id)
                description = (s.name.as_str())
                global_replication_group_id = (tr(&format!(
                    "aws_elasticache_global_replication_group.{global}.global_replication_group_id"
                )))
                num_cache_clusters = (count)
                automatic_failover_enabled = (failover)
                multi_az_enabled = (failover)
                kms_key_id = (key_arn(&region))
                snapshot_retention_limit = (CACHE_SNAPSHOT_RETENTION_DAYS)
                subnet_group_name = (subnet_group)
                security_group_ids = [(sg)]
                tags = (tags(&s.tags))
            }),
        );
        let why =
            format!("inherited from Global Datastore {} (encrypted at rest and in transit)", primary.id);
        out.skip("aws_elasticache_replication_group", &name, "CKV_AWS_29", &why);
        out.skip("aws_elasticache_replication_group", &name, "CKV_AWS_30", &why);
        return;
    }
    out.variable(&format!("{name}_node_type"), &format!("Node type of {}", s.name), Some(cache_node_type(s)));
    out.resource(
        "aws_elasticache_replication_group",
        &name,
        hcl::body!({
            replication_group_id = (id)
            description = (s.name.as_str())
            engine = (cache_engine(s))
            node_type = (tr(&format!("var.{name}_node_type")))
            num_cache_clusters = (count)
            automatic_failover_enabled = (failover)
            multi_az_enabled = (failover)
            at_rest_encryption_enabled = true
            transit_encryption_enabled = true
            kms_key_id = (key_arn(&region))
            snapshot_retention_limit = (CACHE_SNAPSHOT_RETENTION_DAYS)
            subnet_group_name = (subnet_group)
            security_group_ids = [(sg)]
            tags = (tags(&s.tags))
        }),
    );
    let Some(g) = group else { return };
    let members: Vec<&str> = g.replicas.iter().map(meridian_model::ids::ServiceId::as_str).collect();
    out.resource(
        "aws_elasticache_global_replication_group",
        &name,
        hcl::body!({
            global_replication_group_id_suffix = (tpl(&format!("${{var.name_prefix}}-{}", s.id)))
            global_replication_group_description = (format!("{} with {}", s.name, members.join(", ")))
            primary_replication_group_id = (tr(&format!("aws_elasticache_replication_group.{name}.id")))
        }),
    );
    out.output(
        &format!("{name}_global_id"),
        "Global Datastore id",
        tr(&format!("aws_elasticache_global_replication_group.{name}.global_replication_group_id")),
    );
}
