//! Warnings about the calls a request makes: a loop of required calls (a service that, through
//! routing and required dependencies, ends up calling itself) and a service that should serve
//! requests but runs no units.

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
use rustc_hash::FxHashMap;

use crate::catalog::Catalog;
use crate::design::{Design, EntityRef, LinkKind};
use crate::ids::ServiceId;

use super::Problems;

/// The graph of calls between services: routing links, and dependencies (only the required ones
/// when `required_only`), with the id of the link each edge stands for.
fn call_graph(design: &Design, required_only: bool) -> DiGraph<&ServiceId, &crate::ids::LinkId> {
    let mut graph = DiGraph::<&ServiceId, &crate::ids::LinkId>::with_capacity(
        design.services().len(),
        design.links().len(),
    );
    // Hashed, not ordered: the look-ups of 100,000 services' links in an ordered map of ids
    // were most of the time to validate such a design (nodes are still added in id order).
    let mut nodes = FxHashMap::default();
    nodes.reserve(design.services().len());
    for s in design.services() {
        nodes.insert(&s.id, graph.add_node(&s.id));
    }
    for l in design.links() {
        let calls = match &l.kind {
            LinkKind::Routing(_) => true,
            LinkKind::Dependency(d) => d.required || !required_only,
            LinkKind::Replication(_) | LinkKind::Backup(_) => false,
        };
        if let (true, Some(a), Some(b)) = (calls, nodes.get(&l.from), nodes.get(&l.to)) {
            graph.add_edge(*a, *b, &l.id);
        }
    }
    graph
}

/// Whether a request can come back to a service it passed through, by routing links and any
/// dependencies (optional ones too: the traffic model follows them all).
pub(super) fn has_call_loop(design: &Design) -> bool {
    let graph = call_graph(design, false);
    tarjan_scc(&graph).iter().any(|c| c.len() > 1 || c.iter().any(|n| graph.contains_edge(*n, *n)))
}

/// Warns once per loop of required calls (routing links and required dependencies), on the loop's
/// first link in id order, naming the services in the loop.
pub(super) fn call_loops(out: &mut Problems, design: &Design) {
    let graph = call_graph(design, true);
    for component in tarjan_scc(&graph) {
        let looped = component.len() > 1 || component.iter().any(|n| graph.contains_edge(*n, *n));
        if !looped {
            continue;
        }
        let Some(first) = graph
            .edge_indices()
            .filter(|e| {
                graph
                    .edge_endpoints(*e)
                    .is_some_and(|(a, b)| component.contains(&a) && component.contains(&b))
            })
            .map(|e| graph[e])
            .min()
        else {
            continue;
        };
        let mut names: Vec<String> = component
            .iter()
            .map(|n| design.service(graph[*n]).map_or_else(|| graph[*n].to_string(), |s| s.name.clone()))
            .collect();
        names.sort();
        out.warn(
            EntityRef::Link(first.clone()),
            None,
            format!(
                "required dependency loop through {}: a request would call itself, and none of them can start or recover before the others; remove a link or make a dependency optional",
                names.join(", ")
            ),
        );
    }
}

/// Warns about a service whose capacity is its units when it runs none and nothing scales or
/// deploys it (count 0 without scaling or a cold standby): it serves no requests.
pub(super) fn idle_services(out: &mut Problems, design: &Design, catalog: &Catalog) {
    for s in design.services() {
        let scales = s.config.scaling.as_ref().is_some_and(|sc| sc.max > 0);
        if catalog.kind(s.kind).capacity.is_none()
            || s.config.count > 0
            || scales
            || s.config.standby.is_some()
        {
            continue;
        }
        let place = s.placement.region().map_or_else(String::new, |r| format!(" in {r}"));
        out.warn(
            EntityRef::Service(s.id.clone()),
            Some("config.count"),
            format!(
                "{} runs 0 units and nothing scales it out: it serves no requests{place}; set a count or scaling",
                s.name
            ),
        );
    }
}
