//! Replication groups: services joined, directly or through others, by replication links.
//!
//! The bill needs them several times (replicated writes of multi-writer stores, a replica's
//! stored data, the export's alarms), so they are found once per bill with a union-find over the
//! links, in time linear in the number of links (the bill of a 1,000-service design stays under a
//! millisecond).

use std::collections::BTreeSet;

use rustc_hash::FxHashMap as HashMap;

use crate::design::{Design, Link, LinkKind};
use crate::ids::ServiceId;
use crate::kind::ServiceKind;

/// The sets of services joined by the replication links `joins` accepts, each set in id order and
/// the sets in order of their first member. A link from a service to itself makes a set of one.
pub(crate) fn join(design: &Design, joins: impl Fn(&Link) -> bool) -> Vec<BTreeSet<ServiceId>> {
    let mut index: HashMap<&ServiceId, usize> = HashMap::default();
    let mut ids: Vec<&ServiceId> = Vec::new();
    let mut parent: Vec<usize> = Vec::new();
    for l in design.links().filter(|l| matches!(l.kind, LinkKind::Replication(_)) && joins(l)) {
        let mut ends = [0, 0];
        for (end, id) in ends.iter_mut().zip([&l.from, &l.to]) {
            *end = *index.entry(id).or_insert_with(|| {
                ids.push(id);
                parent.push(parent.len());
                parent.len() - 1
            });
        }
        let (a, b) = (root(&mut parent, ends[0]), root(&mut parent, ends[1]));
        if a != b {
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut by_root: HashMap<usize, BTreeSet<ServiceId>> = HashMap::default();
    for (i, id) in ids.iter().enumerate() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().insert((*id).clone());
    }
    let mut sets: Vec<BTreeSet<ServiceId>> = by_root.into_values().collect();
    sets.sort();
    sets
}

/// The root of `i`'s tree, halving the path on the way.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Groups of services of one kind joined by replication links between services of that kind,
/// with the kind.
pub(crate) fn same_kind(design: &Design) -> Vec<(ServiceKind, BTreeSet<ServiceId>)> {
    same_kind_checked(design).0
}

/// [`same_kind`], and whether every replication link joined two services of one kind (as
/// validation requires). When it did, the groups joined by any rule that looks only at a link's
/// source kind are these groups of the kinds it accepts ([`Groups::of_kinds`]), with no second
/// pass over the links.
pub(crate) fn same_kind_checked(design: &Design) -> Groups {
    let kind = |id: &ServiceId| design.service(id).map(|s| s.kind);
    let refused = std::cell::Cell::new(0usize);
    let sets = join(design, |l| {
        let from = kind(&l.from);
        let same = from.is_some() && from == kind(&l.to);
        refused.set(refused.get() + usize::from(!same));
        same
    })
    .into_iter()
    .filter_map(|g| Some((kind(g.first()?)?, g)))
    .collect();
    Groups(sets, refused.get() == 0)
}

/// The design's same-kind replication groups, and whether every replication link was between
/// two existing services of one kind.
pub(crate) struct Groups(pub Vec<(ServiceKind, BTreeSet<ServiceId>)>, pub bool);

impl Groups {
    /// The groups [`join`] would find with a rule that accepts a replication link when its
    /// source is of a kind `accepts` takes, when every replication link joins one kind: then a
    /// link's source kind is its group's kind, so they are the same-kind groups of those kinds,
    /// the same sets in the same order. `None` otherwise (find them from the links).
    pub fn of_kinds(&self, accepts: impl Fn(ServiceKind) -> bool) -> Option<Vec<&BTreeSet<ServiceId>>> {
        self.1.then(|| self.0.iter().filter(|(k, _)| accepts(*k)).map(|(_, g)| g).collect())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Tests fail loudly on purpose.

    use super::*;
    use crate::Catalog;

    fn design() -> Design {
        let service = |id: &str, kind: &str, region: &str| {
            format!(
                r#"Service(id: "{id}", name: "{id}", kind: "{kind}", placement: Region("{region}"), config: ServiceConfig(count: 1)),"#
            )
        };
        let services = [
            service("a", "s3", "us-east-1"),
            service("b", "s3", "us-west-2"),
            service("c", "s3", "eu-west-1"),
            service("d", "s3", "us-east-1"),
            service("e", "dynamodb", "us-east-1"),
            service("f", "dynamodb", "eu-west-1"),
        ]
        .concat();
        let text = format!(
            r#"Design(version: 1, name: "g", description: "", regions: [
                Region(id: "us-east-1", azs: ["use1-az1"]), Region(id: "us-west-2", azs: ["usw2-az1"]),
                Region(id: "eu-west-1", azs: ["euw1-az1"])],
            services: [{services}],
            links: [
                Link(id: "r1", from: "a", to: "b", kind: Replication(mode: Async)),
                Link(id: "r2", from: "c", to: "b", kind: Replication(mode: Async)),
                Link(id: "r3", from: "e", to: "f", kind: Replication(mode: Async)),
                Link(id: "d1", from: "d", to: "a", kind: Dependency(calls_per_request: 1.0, required: true)),
            ], populations: [])"#
        );
        crate::format::load_str(&text, std::path::Path::new("g.ron"), Catalog::builtin().unwrap())
            .unwrap()
            .design
    }

    fn names(groups: &[BTreeSet<ServiceId>]) -> Vec<Vec<&str>> {
        groups.iter().map(|g| g.iter().map(ServiceId::as_str).collect()).collect()
    }

    #[test]
    fn links_into_one_service_join_and_other_links_do_not() {
        let d = design();
        // a->b and c->b make one group; the dependency d->a joins nothing.
        assert_eq!(names(&join(&d, |_| true)), [vec!["a", "b", "c"], vec!["e", "f"]]);
        assert_eq!(names(&join(&d, |l| l.id.as_str() != "r2")), [vec!["a", "b"], vec!["e", "f"]]);
        // With their kind (validation refuses replication between kinds).
        let same = same_kind(&d);
        let kinds: Vec<(ServiceKind, Vec<&str>)> =
            same.iter().map(|(k, g)| (*k, g.iter().map(ServiceId::as_str).collect())).collect();
        assert_eq!(kinds, [(ServiceKind::S3, vec!["a", "b", "c"]), (ServiceKind::DynamoDb, vec!["e", "f"])]);
    }
}
