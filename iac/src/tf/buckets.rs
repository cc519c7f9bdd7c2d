//! S3 buckets of a region: the controls every bucket gets (encryption, versioning, public access
//! block, ownership, logging, lifecycle), the bucket policy and replication rules.

use hcl::expr::Expression;
use hcl::{Block, Body};

use super::expr::{ACCOUNT, PARTITION, alias, list, tags, tpl, tr};
use super::module::Out;
use super::policy::{Statement, document, role, tls_only};
use super::refs::{key_arn, region_of};
use crate::plan::Plan;
use crate::rules;
use meridian_model::design::Service;

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
    let name = plan.names.tf(s.id.as_str());
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
    let name = plan.names.tf(s.id.as_str());
    let links: Vec<_> = plan.bucket_replication.iter().filter(|b| b.from == s.id).collect();
    if links.is_empty() {
        return;
    }
    let dests: Vec<Expression> = links
        .iter()
        .map(|b| tpl(&format!("${{aws_s3_bucket.{}.arn}}/*", plan.names.tf(b.to.as_str()))))
        .collect();
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
            .add_attribute(("bucket", tr(&format!("aws_s3_bucket.{}.arn", plan.names.tf(b.to.as_str())))))
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
    depends.extend(
        links.iter().map(|b| tr(&format!("aws_s3_bucket_versioning.{}", plan.names.tf(b.to.as_str())))),
    );
    body = body.add_attribute(("depends_on", list(depends)));
    out.resource("aws_s3_bucket_replication_configuration", &name, body.build());
}
