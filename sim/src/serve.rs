//! Who serves each population right now: routing, dependencies, capacity, latency and writes.
//!
//! [`Evaluator`] reads the component state and the routers' views and produces, per population, a
//! [`PopState`]: the flows of its traffic (endpoint, share, whether it succeeds, latency parts),
//! and the store its writes land in. It is pure: the same state gives the same result.

use meridian_model::catalog::WriteModel;
use meridian_model::design::{FailoverRole, RoutingPolicy};

pub use crate::state::StateView;
use crate::tables::{CPopulation, Compiled};

/// One part of a population's traffic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow {
    /// Endpoint service, or `None` when the traffic reaches no endpoint (router down).
    pub endpoint: Option<usize>,
    /// Share of the population's traffic, 0 to 1.
    pub share: f64,
    /// Fraction of this share that succeeds, 0 to 1 (after capacity).
    pub ok: f64,
    /// Serving region.
    pub region: Option<usize>,
    /// Network round trip from the users, ms.
    pub network_ms: f64,
    /// Processing on the path (services and their dependencies), ms.
    pub processing_ms: f64,
    /// Store the writes land in first.
    pub write_store: Option<usize>,
    /// Whether the users joined the AWS network at an edge location (a CloudFront or Global
    /// Accelerator router on the way).
    pub edge: bool,
    /// Whether the endpoint answers from its cache (a CloudFront hit): served at the edge.
    pub cached: bool,
    /// Store the reads are served from (the first store reached).
    pub read_store: Option<usize>,
}

/// What a request has passed before the service being routed: the routers' processing, and
/// whether one of them was an edge location.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Via {
    /// Routers' processing so far, ms.
    ms: f64,
    /// Whether the users joined the AWS network at an edge location.
    edge: bool,
}

/// A flow that no endpoint serves yet (its success and latency are filled in later).
fn flow(endpoint: Option<usize>, share: f64, region: Option<usize>, via: Via) -> Flow {
    Flow {
        endpoint,
        share,
        ok: 0.0,
        region,
        network_ms: via.ms,
        processing_ms: 0.0,
        write_store: None,
        edge: via.edge,
        cached: false,
        read_store: None,
    }
}

/// The state of service for one population.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PopState {
    /// Its flows.
    pub flows: Vec<Flow>,
    /// Fraction of its requests served, 0 to 1.
    pub served: f64,
}

impl PopState {
    /// The region serving the largest successful share.
    pub fn main_region(&self) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for f in &self.flows {
            if let Some(r) = f.region {
                let s = f.share * f.ok;
                if s > 0.0 && best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, r));
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// Scratch space and rules for evaluating a state.
#[derive(Debug, Default)]
pub struct Evaluator {
    memo: Vec<u8>,
    memo_current: bool,
    /// Requests per second reaching each endpoint service in the last evaluation.
    pub demand: Vec<f64>,
    /// Per population, its state.
    pub pops: Vec<PopState>,
    /// Write requests per second landing in each store.
    pub store_writes: Vec<f64>,
    /// Read requests per second served by each store.
    pub store_reads: Vec<f64>,
    /// Per service, whether it runs under the state being evaluated.
    up: Vec<bool>,
}

impl Evaluator {
    /// An evaluator sized for `c`.
    pub fn new(c: &Compiled) -> Self {
        Evaluator {
            memo: vec![0; c.services.len()],
            memo_current: false,
            demand: vec![0.0; c.services.len()],
            pops: vec![PopState::default(); c.populations.len()],
            store_writes: vec![0.0; c.services.len()],
            store_reads: vec![0.0; c.services.len()],
            up: Vec::with_capacity(c.services.len()),
        }
    }

    /// Resets the deep-availability memo; call when the state changed.
    pub fn invalidate(&mut self) {
        self.memo.iter_mut().for_each(|m| *m = 0);
    }

    /// Says the memo was filled under exactly the state the next [`Evaluator::evaluate`] sees, so
    /// it keeps what it knows instead of starting over (the world's routers just asked it).
    pub fn memo_is_current(&mut self) {
        self.memo_current = true;
    }

    /// Whether the service itself runs: its region, itself, and at least one instance or AZ.
    #[inline]
    pub fn svc_up(c: &Compiled, st: &StateView<'_>, s: usize) -> bool {
        st.svc_up(c, s)
    }

    /// Fraction of a service's units running (1 for services not counted in units).
    #[inline]
    pub fn capacity_fraction(c: &Compiled, st: &StateView<'_>, s: usize) -> f64 {
        st.capacity_fraction(c, s)
    }

    /// Whether two services can talk: same region, global, or the network between them is up.
    #[inline]
    pub fn reachable(c: &Compiled, st: &StateView<'_>, a: usize, b: usize) -> bool {
        st.reachable(c, a, b)
    }

    /// Deep availability: the service runs, its required dependencies are reachable and available,
    /// and a router has an available endpoint it would send traffic to.
    pub fn avail(&mut self, c: &Compiled, st: &StateView<'_>, s: usize) -> bool {
        match self.memo[s] {
            1 | 2 => return true,
            3 => return false,
            _ => {}
        }
        self.memo[s] = 1;
        let mut ok = Self::svc_up(c, st, s);
        if ok {
            for k in 0..c.services[s].deps.len() {
                let (d, _, required) = c.services[s].deps[k];
                if required && !(Self::reachable(c, st, s, d) && self.avail(c, st, d)) {
                    ok = false;
                    break;
                }
            }
        }
        if ok && !c.services[s].routes.is_empty() {
            let routes = &c.services[s].routes;
            let any_view = routes.iter().any(|&r| st.view_ok[r]);
            ok = false;
            for k in 0..routes.len() {
                let r = c.services[s].routes[k];
                if (st.view_ok[r] || !any_view) && self.avail(c, st, c.routes[r].to) {
                    ok = true;
                    break;
                }
            }
        }
        self.memo[s] = if ok { 2 } else { 3 };
        ok
    }

    /// Evaluates every population under `st`.
    pub fn evaluate(&mut self, c: &Compiled, st: &StateView<'_>) {
        self.evaluate_mixed(c, st, &[], &|_, _| 1.0);
    }

    /// Evaluates every population when clients hold different DNS answers: `views[k]` is the
    /// routers' view behind answer `k` and `share(k, p)` the share of population `p` holding it
    /// (no views: everyone holds `st`'s). Capacity is shared by the mixture.
    pub fn evaluate_mixed(
        &mut self,
        c: &Compiled,
        st: &StateView<'_>,
        views: &[Vec<bool>],
        share: &dyn Fn(usize, usize) -> f64,
    ) {
        self.demand.iter_mut().for_each(|d| *d = 0.0);
        self.store_writes.iter_mut().for_each(|d| *d = 0.0);
        self.store_reads.iter_mut().for_each(|d| *d = 0.0);
        let mut pops = std::mem::take(&mut self.pops);
        for ps in &mut pops {
            ps.flows.clear();
        }
        let memo_current = std::mem::take(&mut self.memo_current);
        // Whether each service runs does not depend on the routers' views: once for every view.
        let mut up = std::mem::take(&mut self.up);
        up.clear();
        up.extend((0..c.services.len()).map(|s| st.svc_up(c, s)));
        for k in 0..views.len().max(1) {
            if !(memo_current && views.is_empty()) {
                self.invalidate();
            }
            let view =
                StateView { view_ok: views.get(k).map_or(st.view_ok, Vec::as_slice), up: Some(&up), ..*st };
            for (pi, (p, ps)) in c.populations.iter().zip(pops.iter_mut()).enumerate() {
                let w = if views.is_empty() { 1.0 } else { share(k, pi) };
                if w <= 0.0 {
                    continue;
                }
                let start = ps.flows.len();
                match p.entry {
                    Some(e) => Self::route(c, &view, p, e, w, Via::default(), &mut ps.flows, 0),
                    None => ps.flows.push(flow(None, w, None, Via::default())),
                }
                for f in &mut ps.flows[start..] {
                    if let Some(e) = f.endpoint {
                        self.demand[e] += p.rate * f.share;
                        self.fill(c, &view, p, e, f);
                    }
                }
            }
        }
        for (p, ps) in c.populations.iter().zip(pops.iter_mut()) {
            let mut served = 0.0;
            for f in &mut ps.flows {
                if let Some(e) = f.endpoint {
                    if let Some(cap) = c.services[e].capacity_rps {
                        let have = cap * st.cap_factor[e] * Self::capacity_fraction(c, st, e);
                        let want = self.demand[e];
                        if want > have {
                            f.ok *= if want > 0.0 { have / want } else { 1.0 };
                        }
                    }
                    if let Some(w) = f.write_store {
                        self.store_writes[w] += p.rate * p.write_fraction * f.share * f.ok;
                    }
                    if let Some(r) = f.read_store {
                        self.store_reads[r] += p.rate * (1.0 - p.write_fraction) * f.share * f.ok;
                    }
                }
                served += f.share * f.ok;
            }
            ps.served = served.clamp(0.0, 1.0);
        }
        self.pops = pops;
        self.up = up;
    }

    /// Follows routers from `s`, splitting `share` among the endpoints they choose.
    // Each routing policy is a few lines; together they read best in one place.
    #[allow(clippy::too_many_arguments, clippy::too_many_lines)]
    fn route(
        c: &Compiled,
        st: &StateView<'_>,
        p: &CPopulation,
        s: usize,
        share: f64,
        via: Via,
        out: &mut Vec<Flow>,
        depth: u32,
    ) {
        let svc = &c.services[s];
        let edge = via.edge || svc.edge;
        if svc.routes.is_empty() || depth > 6 {
            out.push(flow(Some(s), share, svc.region, Via { ms: via.ms, edge }));
            return;
        }
        let here = Via { ms: via.ms + svc.latency_ms, edge };
        if !Self::svc_up(c, st, s) {
            out.push(flow(None, share, svc.region, here));
            return;
        }
        // A caching router (CloudFront) answers its hits at the edge; misses and writes go on.
        let hit = svc.hit_ratio * (1.0 - p.write_fraction);
        let share = if hit > 0.0 {
            out.push(Flow { cached: true, ..flow(Some(s), share * hit, None, Via { ms: via.ms, edge }) });
            share * (1.0 - hit)
        } else {
            share
        };
        let any_view = svc.routes.iter().any(|&r| st.view_ok[r]);
        let cand = |r: usize| st.view_ok[r] || !any_view;
        // Failover records: the primary while it looks healthy, else the secondary. (Each policy
        // walks the router's links in order without collecting them: this runs for every flow of
        // every evaluation.)
        let failover = |r: &usize| matches!(c.routes[*r].policy, RoutingPolicy::Failover { .. });
        if svc.routes.iter().any(failover) {
            let role = |r: usize| match c.routes[r].policy {
                RoutingPolicy::Failover { role } => role,
                _ => FailoverRole::Secondary,
            };
            let records = || svc.routes.iter().copied().filter(failover);
            let pick = records()
                .find(|&r| role(r) == FailoverRole::Primary && cand(r))
                .or_else(|| records().find(|&r| role(r) == FailoverRole::Secondary && cand(r)))
                .or_else(|| records().find(|&r| role(r) == FailoverRole::Primary))
                .or_else(|| records().next());
            if let Some(pick) = pick {
                Self::route(c, st, p, c.routes[pick].to, share, here, out, depth + 1);
            }
            return;
        }
        let weight = |r: usize| match c.routes[r].policy {
            RoutingPolicy::Weighted { weight } if cand(r) => Some(weight),
            _ => None,
        };
        let (mut weighted, mut total) = (0_usize, 0_u32);
        for w in svc.routes.iter().filter_map(|&r| weight(r)) {
            weighted += 1;
            total += w;
        }
        if weighted > 0 {
            for &r in &svc.routes {
                let Some(w) = weight(r) else { continue };
                let part = if total == 0 { 1.0 / weighted as f64 } else { f64::from(w) / f64::from(total) };
                Self::route(c, st, p, c.routes[r].to, share * part, here, out, depth + 1);
            }
            return;
        }
        let geo = |r: &usize, any: bool| {
            cand(*r)
                && matches!(&c.routes[*r].policy, RoutingPolicy::Geolocation { continents }
                    if (any && continents.is_empty()) || (!any && continents.contains(&p.continent)))
        };
        let pick = if let Some(r) = svc
            .routes
            .iter()
            .copied()
            .find(|r| geo(r, false))
            .or_else(|| svc.routes.iter().copied().find(|r| geo(r, true)))
        {
            Some(r)
        } else {
            // Latency: the candidate closest to the users.
            let mut best: Option<(f64, usize)> = None;
            for &r in &svc.routes {
                if !cand(r) || matches!(c.routes[r].policy, RoutingPolicy::Geolocation { .. }) {
                    continue;
                }
                let to = c.routes[r].to;
                let rtt = c.services[to].region.map_or(0.0, |reg| p.network_ms(reg, here.edge));
                if best.is_none_or(|(b, _)| rtt < b) {
                    best = Some((rtt, r));
                }
            }
            best.map(|b| b.1)
        };
        match pick {
            Some(r) => Self::route(c, st, p, c.routes[r].to, share, here, out, depth + 1),
            None => out.push(flow(None, share, svc.region, here)),
        }
    }

    /// Fills a flow's success, latency and write store for endpoint `e`.
    // Short names follow the rest of this module (c: compiled, st: state, p: population, f: flow).
    #[allow(clippy::many_single_char_names)]
    fn fill(&mut self, c: &Compiled, st: &StateView<'_>, p: &CPopulation, e: usize, f: &mut Flow) {
        if f.cached {
            // Answered at the edge: the users' path to it and the cache lookup.
            f.network_ms += p.to_edge_ms;
            f.processing_ms = c.services[e].latency_ms;
            f.ok = f64::from(u8::from(Self::svc_up(c, st, e)));
            return;
        }
        let region = c.services[e].region;
        f.region = region;
        f.network_ms += region.map_or(p.to_edge_ms, |r| p.network_ms(r, f.edge));
        f.processing_ms = Self::processing_ms(c, st, e, 0);
        let read_ok = self.avail(c, st, e);
        let mut write_ok = true;
        if let Some((caller, store)) = Self::first_store(c, e, 0) {
            let group = c.services[store].store.as_ref().and_then(|s| s.group).map(|g| &c.groups[g]);
            let target = match c.services[store].store.as_ref().and_then(|s| s.group) {
                Some(g) if c.groups[g].writes == WriteModel::SingleWriter => st.writer[g],
                _ => store,
            };
            f.write_store = Some(target);
            f.read_store = Some(store);
            write_ok = Self::svc_up(c, st, target) && Self::reachable(c, st, caller, target);
            if let (Some(a), Some(b)) = (c.services[caller].region, c.services[target].region)
                && a != b
            {
                f.processing_ms += p.write_fraction * c.rtt_regions_ms(a, b);
            }
            // Issue 14: strongly consistent tables replicate each write to another region first.
            if let Some(g) = group.filter(|g| g.strong) {
                match crate::consistency::strong_write_rtt_ms(c, st, g, target) {
                    Some(rtt) => f.processing_ms += p.write_fraction * rtt,
                    None => write_ok = false,
                }
            }
            f.processing_ms +=
                (1.0 - p.write_fraction) * crate::consistency::read_wait_ms(c, store, p.write_fraction);
        }
        f.ok = if read_ok {
            (1.0 - p.write_fraction) + p.write_fraction * f64::from(u8::from(write_ok))
        } else {
            0.0
        };
    }

    /// Processing time of a service and the dependencies it calls, in ms.
    fn processing_ms(c: &Compiled, st: &StateView<'_>, s: usize, depth: u32) -> f64 {
        let svc = &c.services[s];
        let mut ms = svc.latency_ms;
        if depth > 6 {
            return ms;
        }
        // A cache (ElastiCache) passes on only its misses.
        let on = 1.0 - svc.hit_ratio;
        for &(d, calls, _) in &svc.deps {
            if Self::svc_up(c, st, d) && Self::reachable(c, st, s, d) {
                let rtt = match (svc.region, c.services[d].region) {
                    (Some(a), Some(b)) => c.rtt_regions_ms(a, b),
                    (Some(r), None) | (None, Some(r)) => c.rtt_regions_ms(r, r),
                    (None, None) => c.intra_region_rtt_ms,
                };
                ms += on * calls * (rtt + Self::processing_ms(c, st, d, depth + 1));
            }
        }
        ms
    }

    /// The first datastore reached through required dependencies, with the service calling it.
    fn first_store(c: &Compiled, s: usize, depth: u32) -> Option<(usize, usize)> {
        if depth > 6 {
            return None;
        }
        for &(d, _, required) in &c.services[s].deps {
            if required && c.services[d].store.is_some() {
                return Some((s, d));
            }
        }
        c.services[s].deps.iter().filter(|x| x.2).find_map(|&(d, _, _)| Self::first_store(c, d, depth + 1))
    }
}
