//! CloudWatch alarms of a region's template: replication lag of global tables, Aurora secondaries
//! and RTC bucket rules, and unhealthy load balancer targets, all notifying a KMS-encrypted topic.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::template::{Template, att, r, sub};
use crate::plan::Plan;
use crate::rules::{self, Lag, LagAlarm, alarm};
use meridian_model::ServiceKind;
use meridian_model::design::{EntityRef, Link, Service};
use meridian_model::ids::{RegionId, ServiceId};

/// The alarms of a region, by the service each watches, added right after that service's
/// resources (so that a template split while built keeps an alarm with what it reads).
pub(super) struct RegionAlarms<'a> {
    lags: BTreeMap<ServiceId, Vec<LagAlarm>>,
    groups: BTreeMap<ServiceId, Vec<(&'a Service, &'a Link)>>,
}

impl<'a> RegionAlarms<'a> {
    /// The alarms of `region`.
    pub(super) fn new(plan: &Plan<'a>, region: &RegionId) -> Self {
        let mut lags: BTreeMap<ServiceId, Vec<LagAlarm>> = BTreeMap::new();
        for a in rules::lag_alarms(plan).into_iter().filter(|a| &a.region == region) {
            let watched = match &a.watch {
                Lag::Table { table, .. } => table.clone(),
                Lag::Aurora { cluster } => cluster.clone(),
                Lag::Bucket { from, .. } => from.clone(),
            };
            lags.entry(watched).or_default().push(a);
        }
        let mut groups: BTreeMap<ServiceId, Vec<(&Service, &Link)>> = BTreeMap::new();
        for (lb, l) in rules::target_groups(plan, region) {
            groups.entry(lb.id.clone()).or_default().push((lb, l));
        }
        RegionAlarms { lags, groups }
    }

    /// Adds the topic the alarms notify, when the region has anything to watch.
    pub(super) fn topic(&self, t: &mut Template) {
        if self.lags.is_empty() && self.groups.is_empty() {
            return;
        }
        t.add("AlarmTopic", "AWS::SNS::Topic", json!({"KmsMasterKeyId": r("Key")}));
        t.output("AlarmTopicArn", "Topic the alarms notify: subscribe your on-call to it", r("AlarmTopic"));
    }

    /// Adds the alarms watching `service`; the owner of the template is `service` after.
    pub(super) fn service(&mut self, plan: &Plan, t: &mut Template, service: &ServiceId) {
        let lags = self.lags.remove(service).unwrap_or_default();
        let groups = self.groups.remove(service).unwrap_or_default();
        add_alarms(plan, t, lags, groups);
        t.owner = Some(EntityRef::Service(service.clone()));
    }

    /// Adds the alarms whose service was not added (none, when every watched service is in the
    /// region).
    pub(super) fn rest(&mut self, plan: &Plan, t: &mut Template) {
        let lags = std::mem::take(&mut self.lags).into_values().flatten().collect();
        let groups = std::mem::take(&mut self.groups).into_values().flatten().collect();
        add_alarms(plan, t, lags, groups);
        t.owner = None;
    }
}

fn add_alarms(plan: &Plan, t: &mut Template, lags: Vec<LagAlarm>, groups: Vec<(&Service, &Link)>) {
    for a in lags {
        t.owner = Some(match &a.watch {
            Lag::Table { table, .. } => EntityRef::Service(table.clone()),
            Lag::Aurora { cluster } => EntityRef::Service(cluster.clone()),
            Lag::Bucket { rule, .. } => EntityRef::Link(rule.clone()),
        });
        let (namespace, metric, threshold, dimensions) = match &a.watch {
            Lag::Table { table, receiving, .. } => (
                "AWS/DynamoDB",
                "ReplicationLatency",
                alarm::TABLE_LAG_MS,
                json!([{"Name": "TableName", "Value": sub(&format!("${{NamePrefix}}-{table}"))},
                    {"Name": "ReceivingRegion", "Value": receiving.as_str()}]),
            ),
            Lag::Aurora { cluster } => (
                "AWS/RDS",
                "AuroraGlobalDBReplicationLag",
                alarm::AURORA_LAG_MS,
                json!([{"Name": "DBClusterIdentifier", "Value": r(&plan.names.cfn(cluster.as_str()))}]),
            ),
            Lag::Bucket { rule, from, to } => (
                "AWS/S3",
                "ReplicationLatency",
                alarm::BUCKET_LAG_SECS,
                json!([{"Name": "SourceBucket", "Value": r(&plan.names.cfn(from.as_str()))},
                    {"Name": "DestinationBucket", "Value": sub(&format!("${{NamePrefix}}-{to}-${{AWS::AccountId}}"))},
                    {"Name": "RuleId", "Value": rule.as_str()}]),
            ),
        };
        add(
            t,
            &a.cfn_name(&plan.names),
            &format!("Replication lag of {}", a.id),
            namespace,
            metric,
            "Average",
            threshold,
            dimensions,
        );
    }
    for (lb, l) in groups {
        t.owner = Some(EntityRef::Service(lb.id.clone()));
        let id = plan.names.cfn(lb.id.as_str());
        let tg = format!("{id}To{}", plan.names.cfn(l.to.as_str()));
        let namespace = if lb.kind == ServiceKind::Alb { "AWS/ApplicationELB" } else { "AWS/NetworkELB" };
        add(
            t,
            &format!("{tg}Unhealthy"),
            &format!("Unhealthy targets behind {} ({})", lb.id, l.id),
            namespace,
            "UnHealthyHostCount",
            "Maximum",
            0,
            json!([{"Name": "TargetGroup", "Value": att(&tg, "TargetGroupFullName")}, {"Name": "LoadBalancer", "Value": att(&id, "LoadBalancerFullName")}]),
        );
    }
}

#[allow(clippy::too_many_arguments, reason = "one alarm's fields, named at the call")]
#[allow(clippy::needless_pass_by_value, reason = "json! reads its arguments by reference")]
fn add(
    t: &mut Template,
    id: &str,
    description: &str,
    namespace: &str,
    metric: &str,
    statistic: &str,
    threshold: u32,
    dimensions: Value,
) {
    t.add(id, "AWS::CloudWatch::Alarm", json!({
        "AlarmDescription": description, "Namespace": namespace, "MetricName": metric, "Dimensions": dimensions,
        "Statistic": statistic, "Period": alarm::PERIOD_SECS, "EvaluationPeriods": alarm::EVALUATION_PERIODS,
        "Threshold": threshold, "ComparisonOperator": "GreaterThanThreshold", "TreatMissingData": "notBreaching",
        "AlarmActions": [r("AlarmTopic")], "OKActions": [r("AlarmTopic")]}));
}
