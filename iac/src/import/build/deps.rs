//! Dependencies read from a service's own properties, its IAM policies (references, or ARNs that
//! name another service's resource) and its security groups' rules (a group admitting another
//! service's group).

use meridian_model::ServiceId;
use meridian_model::design::Design;
use meridian_model::edit::link::default_link;
use serde_json::Value;

use super::Builder;
use crate::import::resource::{as_text, field, list, refs_in, texts_in};

impl Builder<'_> {
    /// The service whose resource name appears in `text` (an ARN or a name built from parameters).
    pub(super) fn by_name(&self, text: &str) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for i in self.ids.keys() {
            for key in [
                "BucketName",
                "TableName",
                "QueueName",
                "TopicName",
                "FunctionName",
                "StateMachineName",
                "ReplicationGroupId",
                "DBClusterIdentifier",
                "DBInstanceIdentifier",
                "bucket",
                "name",
                "function_name",
                "replication_group_id",
                "cluster_identifier",
                "identifier",
            ] {
                let Some(name) = self.res[*i].props.get(key).and_then(as_text) else { continue };
                if name.len() < 4 {
                    continue;
                }
                if let Some(at) = text.find(name) {
                    let next = text[at + name.len()..].chars().next();
                    if next.is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                        && best.is_none_or(|(l, _)| name.len() > l)
                    {
                        best = Some((name.len(), *i));
                    }
                }
            }
        }
        best.map(|(_, i)| i)
    }

    /// Dependencies: a service whose own properties or IAM policies name another service, and a
    /// security group that admits another service's group.
    #[allow(
        clippy::too_many_lines,
        reason = "one pass over a service's parts: properties, policies, security groups"
    )]
    pub(super) fn dependencies(&mut self, design: &mut Design) {
        let services: Vec<usize> = self.ids.keys().copied().collect();
        for a in services {
            let mut targets: Vec<usize> = Vec::new();
            let mut replica_targets: Vec<ServiceId> = Vec::new();
            let parts: Vec<usize> = self.parts[a].clone();
            for j in parts {
                let ty = self.ty(j).to_owned();
                let iam = ty.contains("IAM") || ty.contains("_iam_");
                let sg = ty.contains("SecurityGroup") || ty.contains("security_group");
                if j == a || iam {
                    let mut texts = Vec::new();
                    texts_in(&self.res[j].props, &mut texts);
                    if iam {
                        for t in texts.iter().filter(|t| t.contains(':')) {
                            let Some(x) = self.by_name(t) else { continue };
                            let replica = self
                                .replicas
                                .iter()
                                .find(|((table, r), _)| *table == x && t.contains(&format!(":{r}:")))
                                .map(|(_, id)| id.clone());
                            match replica {
                                Some(id) => replica_targets.push(id),
                                None => targets.push(x),
                            }
                        }
                    }
                    let mut refs = Vec::new();
                    refs_in(&self.res[j].props, &mut refs);
                    targets.extend(
                        refs.iter()
                            .filter_map(|r| self.lookup(r))
                            .filter(|x| self.kind[*x].is_some())
                            .filter_map(|x| self.service_of(x)),
                    );
                }
                if sg {
                    // Ingress from another service's group: that service calls this one.
                    let ingress = field(&self.res[j].props, &["SecurityGroupIngress", "ingress"]);
                    let mut refs = Vec::new();
                    for rule in list(ingress) {
                        refs_in(rule, &mut refs);
                    }
                    if ty == "AWS::EC2::SecurityGroupIngress"
                        || ty == "aws_vpc_security_group_ingress_rule"
                        || ty == "aws_security_group_rule"
                    {
                        refs_in(
                            field(
                                &self.res[j].props,
                                &[
                                    "SourceSecurityGroupId",
                                    "referenced_security_group_id",
                                    "source_security_group_id",
                                ],
                            )
                            .unwrap_or(&Value::Null),
                            &mut refs,
                        );
                        let into =
                            self.service_at(field(&self.res[j].props, &["GroupId", "security_group_id"]));
                        if into.first() != Some(&a) {
                            continue;
                        }
                    }
                    let callers: Vec<usize> = refs
                        .iter()
                        .filter_map(|r| self.lookup(r))
                        .filter_map(|x| self.service_of(x))
                        .collect();
                    for c in callers {
                        if c != a && !self.linked.contains(&(a, c)) {
                            self.default_between(design, c, a, &self.res[j].address.clone());
                        }
                    }
                }
            }
            replica_targets.sort();
            replica_targets.dedup();
            for id in replica_targets {
                let (Some(f), Some(fs), Some(ts)) = (
                    self.ids.get(&a).cloned(),
                    self.ids.get(&a).and_then(|x| design.service(x)),
                    design.service(&id),
                ) else {
                    continue;
                };
                if design.link_joining(&f, &id, meridian_model::design::LinkKindTag::Dependency).is_some() {
                    continue;
                }
                let kind = default_link(self.catalog, self.catalog.kind(fs.kind), self.catalog.kind(ts.kind));
                let addr = self.res[a].address.clone();
                self.push_link(design, &f, &id, kind, &addr);
            }
            targets.sort_unstable();
            targets.dedup();
            for t in targets {
                if t != a && !self.linked.contains(&(t, a)) {
                    let addr = self.res[a].address.clone();
                    self.default_between(design, a, t, &addr);
                }
            }
        }
    }
}
