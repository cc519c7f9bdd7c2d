//! Consistency modes of replicated stores: DynamoDB global tables with multi-Region strong
//! consistency (MRSC, `mode: Sync` on their replication links) and their witnesses.
//!
//! What AWS refuses of a single link (a witness outside the table's region set, a strongly
//! consistent table mixed with an eventually consistent one, more than three regions) is an
//! invariant checked by [`crate::apply`]; that an MRSC table spans *exactly* three regions can
//! only be judged on the finished design, so [`StrongTable::refusal`] says why AWS would refuse it
//! and the validator, the simulator and the export ask it.

use std::collections::BTreeSet;

use crate::design::{Design, LinkKind, Replication, ReplicationMode};
use crate::ids::{LinkId, RegionId, ServiceId};
use crate::kind::ServiceKind;

/// The replication links and stores connected to `start` through DynamoDB replication links,
/// leaving out the link `skip` (the one being checked).
pub fn dynamodb_group<'a>(
    design: &'a Design,
    start: &[&ServiceId],
    skip: Option<&LinkId>,
) -> (BTreeSet<ServiceId>, Vec<(&'a LinkId, &'a Replication)>) {
    let mut members: BTreeSet<ServiceId> = start.iter().map(|s| (*s).clone()).collect();
    let mut links: Vec<(&LinkId, &Replication)> = Vec::new();
    let mut seen: BTreeSet<&LinkId> = BTreeSet::new();
    let mut queue: Vec<ServiceId> = members.iter().cloned().collect();
    while let Some(s) = queue.pop() {
        for l in design.links_from(&s).chain(design.links_to(&s)) {
            let LinkKind::Replication(r) = &l.kind else { continue };
            if Some(&l.id) == skip || seen.contains(&l.id) {
                continue;
            }
            let is_table =
                |id: &ServiceId| design.service(id).is_some_and(|x| x.kind == ServiceKind::DynamoDb);
            if !is_table(&l.from) || !is_table(&l.to) {
                continue;
            }
            seen.insert(&l.id);
            links.push((&l.id, r));
            for end in [&l.from, &l.to] {
                if members.insert(end.clone()) {
                    queue.push(end.clone());
                }
            }
        }
    }
    links.sort_by(|a, b| a.0.cmp(b.0));
    (members, links)
}

/// A DynamoDB global table with multi-Region strong consistency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StrongTable {
    /// Its replicas, in id order.
    pub members: Vec<ServiceId>,
    /// The regions of its replicas, in member order.
    pub regions: Vec<RegionId>,
    /// Its witness region, when it has two replicas and a witness.
    pub witness: Option<RegionId>,
    /// Its replication links, in id order.
    pub links: Vec<LinkId>,
}

impl StrongTable {
    /// Regions the table spans: replicas and witness.
    pub fn span(&self) -> usize {
        self.regions.len() + usize::from(self.witness.is_some())
    }

    /// Why AWS would refuse this table, if it would: MRSC needs exactly three regions.
    pub fn refusal(&self) -> Option<String> {
        match (self.regions.len(), &self.witness) {
            (3, None) | (2, Some(_)) => None,
            (n, None) => Some(format!(
                "a global table with multi-Region strong consistency spans exactly three regions, but {} has {n} replica{}: add {} or a witness region",
                self.members.first().map_or("", ServiceId::as_str),
                if n == 1 { "" } else { "s" },
                if n < 3 { "a replica" } else { "fewer replicas" },
            )),
            (n, Some(w)) => Some(format!(
                "a global table with multi-Region strong consistency has three replicas, or two and a witness; {} has {n} replica{} and witness {w}",
                self.members.first().map_or("", ServiceId::as_str),
                if n == 1 { "" } else { "s" },
            )),
        }
    }
}

/// Every DynamoDB global table of `design` whose replication links are `Sync` (MRSC), in the
/// order of their first member's id.
pub fn strong_tables(design: &Design) -> Vec<StrongTable> {
    let mut seen: BTreeSet<ServiceId> = BTreeSet::new();
    let mut out = Vec::new();
    for s in design.services().filter(|s| s.kind == ServiceKind::DynamoDb) {
        if seen.contains(&s.id) {
            continue;
        }
        let (members, links) = dynamodb_group(design, &[&s.id], None);
        seen.extend(members.iter().cloned());
        if links.is_empty() || links.iter().any(|(_, r)| r.mode != ReplicationMode::Sync) {
            continue;
        }
        let members: Vec<ServiceId> = members.into_iter().collect();
        let regions = members.iter().filter_map(|m| design.region_of(m).cloned()).collect();
        let witness = links.iter().find_map(|(_, r)| r.witness.clone());
        out.push(StrongTable {
            members,
            regions,
            witness,
            links: links.iter().map(|(id, _)| (*id).clone()).collect(),
        });
    }
    out
}
