//! CloudWatch alarms of a region's file: replication lag of global tables, Aurora secondaries and
//! RTC bucket rules, and unhealthy load balancer targets, all notifying a KMS-encrypted topic.

use hcl::expr::Expression;

use super::expr::{alias, list, tpl, tr};
use super::module::Out;
use super::refs::key_arn;
use crate::plan::Plan;
use crate::rules::{self, Lag, alarm};
use meridian_model::ServiceKind;
use meridian_model::design::EntityRef;
use meridian_model::ids::RegionId;

/// Adds the alarms of `region` and their topic, when the region has anything to watch.
pub(super) fn alarms(plan: &Plan, out: &mut Out, region: &RegionId) {
    let lags: Vec<_> = rules::lag_alarms(plan).into_iter().filter(|a| &a.region == region).collect();
    let groups = rules::target_groups(plan, region);
    if lags.is_empty() && groups.is_empty() {
        return;
    }
    let r = alias(region);
    let topic = format!("alarms_{r}");
    out.resource(
        "aws_sns_topic",
        &topic,
        hcl::body!({
            name = (tpl(&format!("${{var.name_prefix}}-alarms-{region}")))
            kms_master_key_id = (key_arn(region))
        }),
    );
    out.output(
        &format!("alarm_topic_arn_{r}"),
        "Topic the alarms notify: subscribe your on-call to it",
        tr(&format!("aws_sns_topic.{topic}.arn")),
    );
    let topic = tr(&format!("aws_sns_topic.{topic}.arn"));
    for a in lags {
        out.owner(Some(match &a.watch {
            Lag::Table { table, .. } => EntityRef::Service(table.clone()),
            Lag::Aurora { cluster } => EntityRef::Service(cluster.clone()),
            Lag::Bucket { rule, .. } => EntityRef::Link(rule.clone()),
        }));
        let (namespace, metric, threshold, dimensions) = match &a.watch {
            Lag::Table { table, receiving, .. } => (
                "AWS/DynamoDB",
                "ReplicationLatency",
                alarm::TABLE_LAG_MS,
                hcl::expression!({
                    TableName = (tpl(&format!("${{var.name_prefix}}-{table}")))
                    ReceivingRegion = (receiving.as_str())
                }),
            ),
            Lag::Aurora { cluster } => (
                "AWS/RDS",
                "AuroraGlobalDBReplicationLag",
                alarm::AURORA_LAG_MS,
                hcl::expression!({
                    DBClusterIdentifier = (tr(&format!(
                        "aws_rds_cluster.{}.cluster_identifier",
                        plan.names.tf(cluster.as_str())
                    )))
                }),
            ),
            Lag::Bucket { rule, from, to } => (
                "AWS/S3",
                "ReplicationLatency",
                alarm::BUCKET_LAG_SECS,
                hcl::expression!({
                    SourceBucket = (tr(&format!("aws_s3_bucket.{}.bucket", plan.names.tf(from.as_str()))))
                    DestinationBucket = (tr(&format!("aws_s3_bucket.{}.bucket", plan.names.tf(to.as_str()))))
                    RuleId = (rule.as_str())
                }),
            ),
        };
        let alarm = Alarm { namespace, metric, statistic: "Average", threshold, dimensions };
        add(out, &a.tf_name(&plan.names), &format!("Replication lag of {}", a.id), &alarm, &topic);
    }
    for (lb, l) in groups {
        out.owner(Some(EntityRef::Service(lb.id.clone())));
        let name = plan.names.tf(lb.id.as_str());
        let tg = format!("{name}_to_{}", plan.names.tf(l.to.as_str()));
        let alarm = Alarm {
            namespace: if lb.kind == ServiceKind::Alb { "AWS/ApplicationELB" } else { "AWS/NetworkELB" },
            metric: "UnHealthyHostCount",
            statistic: "Maximum",
            threshold: 0,
            dimensions: hcl::expression!({
                TargetGroup = (tr(&format!("aws_lb_target_group.{tg}.arn_suffix")))
                LoadBalancer = (tr(&format!("aws_lb.{name}.arn_suffix")))
            }),
        };
        add(
            out,
            &format!("{tg}_unhealthy"),
            &format!("Unhealthy targets behind {} ({})", lb.id, l.id),
            &alarm,
            &topic,
        );
    }
    out.owner(None);
}

/// What one alarm watches.
struct Alarm {
    namespace: &'static str,
    metric: &'static str,
    statistic: &'static str,
    threshold: u32,
    dimensions: Expression,
}

fn add(out: &mut Out, name: &str, description: &str, a: &Alarm, topic: &Expression) {
    out.resource(
        "aws_cloudwatch_metric_alarm",
        name,
        hcl::body!({
            alarm_name = (tpl(&format!("${{var.name_prefix}}-{}", name.replace('_', "-"))))
            alarm_description = (description)
            namespace = (a.namespace)
            metric_name = (a.metric)
            dimensions = (a.dimensions.clone())
            statistic = (a.statistic)
            period = (alarm::PERIOD_SECS)
            evaluation_periods = (alarm::EVALUATION_PERIODS)
            threshold = (a.threshold)
            comparison_operator = "GreaterThanThreshold"
            treat_missing_data = "notBreaching"
            alarm_actions = (list(vec![topic.clone()]))
            ok_actions = (list(vec![topic.clone()]))
        }),
    );
}
