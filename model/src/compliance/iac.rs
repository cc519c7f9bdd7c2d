//! What the infrastructure-code export must know: which stores must not replicate across a
//! boundary, and why.
//!
//! Generic security scanners ask for cross-region replication of every bucket (checkov's
//! `CKV_AWS_144`); a residency rule forbids it for a bucket of EU personal data replicated out of
//! the EU. The export uses these constraints to leave such replication out and to record, next to
//! a skip of the scanner's check, the rule that wins and the reason.

use std::collections::BTreeSet;

use serde::Serialize;

use super::flow::Reach;
use super::jurisdiction::Jurisdictions;
use super::policy::{Place, Policy, RuleKind, class_matches};
use crate::catalog::Catalog;
use crate::design::{Design, LinkKind};
use crate::ids::{LinkId, ServiceId};
use crate::kind::ServiceKind;

/// Scanner checks a residency rule wins over for a store of `kind`: (check id, what it asks).
pub fn superseded_checks(kind: ServiceKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ServiceKind::S3 => &[("CKV_AWS_144", "S3 buckets have cross-region replication enabled")],
        // No scanner check asks these kinds to replicate across regions.
        ServiceKind::Alb
        | ServiceKind::ApiGateway
        | ServiceKind::Aurora
        | ServiceKind::AwsBackup
        | ServiceKind::AwsConfig
        | ServiceKind::CloudFront
        | ServiceKind::CloudTrail
        | ServiceKind::CloudWatch
        | ServiceKind::DirectConnect
        | ServiceKind::Dms
        | ServiceKind::DynamoDb
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
        | ServiceKind::TransitGateway => &[],
    }
}

/// A store that must not replicate outside a set of jurisdictions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplicationConstraint {
    /// The store.
    pub service: ServiceId,
    /// The rule, as `POLICY/RULE`.
    pub rule: String,
    /// The data class that binds it.
    pub data_class: String,
    /// Jurisdiction or country codes replicas may be in.
    pub allowed: Vec<String>,
    /// Scanner checks this rule wins over for this store (e.g. `CKV_AWS_144` for S3).
    pub supersedes: Vec<String>,
    /// Replication links of the design that already leave the allowed place (violations).
    pub crossing_links: Vec<LinkId>,
    /// Why, in a sentence fit for a comment in generated code.
    pub reason: String,
}

/// The replication constraints `policies` put on the stores of `design`, by service then rule.
pub fn replication_constraints(
    design: &Design,
    catalog: &Catalog,
    policies: &[Policy],
) -> Vec<ReplicationConstraint> {
    let Ok(j) = Jurisdictions::builtin() else { return Vec::new() };
    let reach = Reach::of(design, catalog, j);
    let mut out = Vec::new();
    for policy in policies {
        for rule in &policy.rules {
            let (RuleKind::Residency { classes, allowed: place }
            | RuleKind::BackupsAndLogs { classes, allowed: place }) = &rule.kind
            else {
                continue;
            };
            for flow in reach.flows.iter().filter(|f| classes.iter().any(|p| class_matches(p, &f.class))) {
                let allowed: BTreeSet<String> = match place {
                    Place::In(names) => j.expand(names),
                    Place::HomeJurisdiction => match &flow.home.jurisdiction {
                        Some(h) => j.expand([h]),
                        None => continue,
                    },
                    Place::HomeCountry => match &flow.home.country {
                        Some(c) => BTreeSet::from([c.clone()]),
                        None => continue,
                    },
                };
                let inside = |id: &ServiceId| {
                    design
                        .region_of(id)
                        .and_then(|r| catalog.region(r.as_str()))
                        .is_some_and(|r| allowed.contains(&r.jurisdiction) || allowed.contains(&r.country))
                };
                for id in flow.services() {
                    let Some(s) = design.service(id) else { continue };
                    let is_store = catalog.kind(s.kind).datastore.is_some();
                    if !is_store || !inside(id) {
                        continue;
                    }
                    let crossing_links: Vec<LinkId> = design
                        .links_from(id)
                        .filter(|l| {
                            matches!(l.kind, LinkKind::Replication(_) | LinkKind::Backup(_)) && !inside(&l.to)
                        })
                        .map(|l| l.id.clone())
                        .collect::<BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    let supersedes: Vec<String> =
                        superseded_checks(s.kind).iter().map(|(check, _)| (*check).to_owned()).collect();
                    let allowed: Vec<String> = allowed.iter().cloned().collect();
                    let reason = format!(
                        "{} holds {} data, which {} keeps in {}; replicas elsewhere would break it{}",
                        id,
                        flow.class,
                        policy.rule_name(rule),
                        allowed.join(", "),
                        if supersedes.is_empty() {
                            String::new()
                        } else {
                            format!(", so the residency rule wins over {}", supersedes.join(", "))
                        }
                    );
                    out.push(ReplicationConstraint {
                        service: id.clone(),
                        rule: policy.rule_name(rule),
                        data_class: flow.class.clone(),
                        allowed,
                        supersedes,
                        crossing_links,
                        reason,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| (&a.service, &a.rule, &a.data_class).cmp(&(&b.service, &b.rule, &b.data_class)));
    out.dedup_by(|a, b| (&a.service, &a.rule, &a.data_class) == (&b.service, &b.rule, &b.data_class));
    out
}
