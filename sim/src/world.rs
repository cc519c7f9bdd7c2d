//! The design model as an engine [`Model`]: failures, repairs, injections, health-check
//! detection, promotion, and the statistics of one run.
//!
//! Traffic is simulated as aggregated flows: between two events nothing changes, so each
//! population's requests over the interval are `rate x duration`, split over its flows. Latency
//! is recorded per distinct path with request weights and sampled at the end of the run
//! (see `ARCHITECTURE.md`).

use hdrhistogram::Histogram;
use meridian_model::catalog::WriteModel;
use meridian_model::design::ReplicationMode;
use meridian_model::targets::Disruption;

use crate::blame::Blame;
use crate::common_cause::{Correlated, WaveEvent};
use crate::dns::DnsCaches;
use crate::engine::{Model, Scheduler, SimError};
use crate::outage::OutageClock;
use crate::phases::Phase;
use crate::queue::SimTime;
use crate::recovery::RecoveryEvent;
use crate::repair::RepairCrews;
use crate::rng::{SimRng, unit};
use crate::serve::{Evaluator, PopState, StateView};
use crate::stats::RunStats;
use crate::tables::{Compiled, ComponentKind};
use crate::trace::TraceFrame;

/// The evaluator's view of a world's state ([`StateView::new`] of its fields). A macro rather than
/// a method so that it borrows only those fields: the evaluator and the recovery run's other parts
/// stay free to be borrowed mutably beside it.
macro_rules! state_view {
    ($w:expr) => {
        StateView::new(&$w.down, &$w.view_ok, &$w.writer, &$w.rec.dormant, &$w.rec.cap_factor)
    };
}

mod recovery;

use recovery::RecoveryRun;

/// Events of the design model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A component's random failure.
    Fail(u32),
    /// A component's repair.
    Repair(u32),
    /// An injected failure starts.
    InjectStart(u32),
    /// An injected failure ends.
    InjectEnd(u32),
    /// A router's view of an endpoint changes (after detection and TTL), if still current.
    View {
        /// Routing link.
        route: u32,
        /// Generation; stale when the endpoint changed again since.
        generation: u32,
        /// New view.
        ok: bool,
    },
    /// A replica is promoted to writer, if still needed.
    Promote {
        /// Group.
        group: u32,
        /// Generation.
        generation: u32,
    },
    /// Operators, scaling, concurrency ramps and cold standby (`recovery.rs`, `operator.rs`,
    /// `scaling.rs`, `concurrency.rs`, `restore.rs`).
    Recovery(RecoveryEvent),
    /// A slice boundary of expiring DNS caches: the shares of the answers held change.
    DnsSlice,
    /// A staggered bad change reaches its next wave of regions.
    Wave(WaveEvent),
}

/// A design under simulation.
pub struct World<'a> {
    c: &'a Compiled,
    rng: SimRng,
    random_down: Vec<bool>,
    forced: Vec<u32>,
    down: Vec<bool>,
    view_ok: Vec<bool>,
    target_ok: Vec<bool>,
    generation: Vec<u32>,
    phase_us: Vec<u64>,
    writer: Vec<usize>,
    promo_generation: Vec<u32>,
    promo_pending: Vec<bool>,
    eval: Evaluator,
    store_up: Vec<bool>,
    baseline: Vec<Option<usize>>,
    incident: Vec<bool>,
    rec: RecoveryRun,
    clocks: Vec<OutageClock>,
    dns: DnsCaches,
    cohort_views: Vec<Vec<bool>>,
    caching: Vec<crate::dns::ClientCaching>,
    correlated: Correlated,
    crews: RepairCrews,
    failed_at: Vec<SimTime>,
    /// The failures an incident may be blamed on ([`crate::blame`]).
    blame: Blame,
    /// The cause of each population's running outage.
    outage_cause: Vec<Option<Disruption>>,
    prev_writes: Vec<f64>,
    last_t: SimTime,
    /// Statistics so far.
    pub stats: RunStats,
    /// Frames of the state over time, when tracing.
    pub trace: Option<Vec<TraceFrame>>,
    /// When the trace stopped, having reached its budget.
    pub trace_end: Option<SimTime>,
    /// The frames the trace keeps ([`crate::trace::frame_budget`]).
    trace_budget: usize,
}

impl<'a> World<'a> {
    /// A world at time zero, with everything up.
    pub fn new(c: &'a Compiled, mut rng: SimRng, bins: usize, tracing: bool) -> Self {
        let n = c.components.len();
        let phase_us = c
            .routes
            .iter()
            .map(|r| r.health_check.map_or(0, |(i, _)| (unit(&mut rng) * i as f64) as u64))
            .collect();
        let rec = RecoveryRun::new(&c.recovery, c.services.len(), c.routes.len(), &mut rng);
        World {
            c,
            rng,
            random_down: vec![false; n],
            forced: vec![0; n],
            down: vec![false; n],
            view_ok: vec![true; c.routes.len()],
            target_ok: vec![true; c.routes.len()],
            generation: vec![0; c.routes.len()],
            phase_us,
            writer: c.groups.iter().map(|g| g.initial_writer).collect(),
            promo_generation: vec![0; c.groups.len()],
            promo_pending: vec![false; c.groups.len()],
            eval: Evaluator::new(c),
            store_up: vec![true; c.services.len()],
            baseline: vec![None; c.populations.len()],
            incident: vec![false; c.populations.len()],
            rec,
            prev_writes: Vec::with_capacity(c.services.len()),
            clocks: vec![OutageClock::default(); c.populations.len()],
            dns: DnsCaches::new(&vec![true; c.routes.len()], c.populations.len()),
            cohort_views: Vec::new(),
            caching: c.populations.iter().map(|p| p.caching).collect(),
            correlated: Correlated::new(c.deployment_groups.len(), c.control_planes.len()),
            crews: RepairCrews::new(c.repair_crews),
            failed_at: vec![0; n],
            blame: Blame::default(),
            outage_cause: vec![None; c.populations.len()],
            last_t: 0,
            stats: RunStats::new(c, bins),
            trace: tracing.then(Vec::new),
            trace_end: None,
            trace_budget: crate::trace::frame_budget(c),
        }
    }

    /// Schedules the first failures and the injections, and evaluates the starting state.
    pub fn start(&mut self, sched: &mut Scheduler<Event>) -> Result<(), SimError> {
        for (i, comp) in self.c.components.iter().enumerate() {
            if let Some(p) = comp.process {
                sched.after(p.ttf.sample(&mut self.rng), Event::Fail(i as u32));
            }
        }
        for &(comp, start, end) in &self.c.injections {
            sched.at(start, Event::InjectStart(comp as u32))?;
            sched.at(end, Event::InjectEnd(comp as u32))?;
        }
        // What stands by at the start is expected to be down: no operator alarm for it.
        self.rec.quiet = true;
        self.update(sched);
        for (b, ps) in self.baseline.iter_mut().zip(&self.eval.pops) {
            *b = ps.main_region();
        }
        self.incident.iter_mut().for_each(|i| *i = false);
        if let Some(t) = self.trace.as_mut()
            && let Some(f) = t.last_mut()
        {
            f.incident = vec![false; self.c.populations.len()];
        }
        Ok(())
    }

    /// Closes the last interval at `horizon` and returns the run's statistics and, when tracing,
    /// the frames and the time they cover until (the horizon, or where the trace became full).
    pub fn finish(mut self, horizon: SimTime, events: u64) -> (RunStats, Option<crate::trace::Traced>) {
        self.accumulate(horizon);
        for (p, clock) in self.clocks.iter().enumerate() {
            if let Some(o) = clock.censor(horizon, p as u32) {
                self.stats.add_outage(o, self.outage_cause[p]);
            }
        }
        self.stats.events = events;
        self.stats.common_cause_events = self.correlated.events;
        self.stats.common_cause_extra_waves = self.correlated.extra_waves;
        let end = self.trace_end.unwrap_or(horizon);
        (self.stats, self.trace.map(|t| (t, end)))
    }

    fn view(&self) -> StateView<'_> {
        state_view!(self)
    }

    /// Adds the interval `[last_t, now)` under the current state to the statistics.
    fn accumulate(&mut self, now: SimTime) {
        if now <= self.last_t {
            return;
        }
        let (t0, t1) = (self.last_t, now);
        self.last_t = now;
        let c = self.c;
        let e = &self.eval;
        self.stats.add_interval(c, t0, t1, &e.pops, &self.incident, &e.store_writes, &e.store_reads);
    }

    /// Re-evaluates after a change: router health, promotion, who serves whom, and the metrics.
    fn update(&mut self, sched: &mut Scheduler<Event>) {
        let now = sched.now();
        self.accumulate(now);
        let c = self.c;
        for i in 0..self.down.len() {
            self.down[i] = self.random_down[i] || self.forced[i] > 0;
        }
        // Common causes take their deployment group's members down, wave by wave.
        if !c.deployment_groups.is_empty() {
            let (groups, services, detect) = (&c.deployment_groups, &c.services, &c.change_detection);
            self.correlated.apply(
                groups,
                services,
                detect,
                &mut self.down,
                sched,
                &mut self.rng,
                Event::Wave,
            );
        }
        // Routers' views: endpoint health as seen after detection and client follow-up.
        for _round in 0..8 {
            self.eval.invalidate();
            let mut changed = false;
            for r in 0..c.routes.len() {
                let route = &c.routes[r];
                if !c.instant_failover && c.recovery.routes[r].initiation.by_operator() {
                    self.operator_route(r, sched);
                    continue;
                }
                // Without health checks a router keeps sending traffic, unless failover is idealised.
                let (interval, threshold) = match route.health_check {
                    Some(hc) => hc,
                    None if c.instant_failover => (1, 1),
                    None => continue,
                };
                let st = state_view!(self);
                let ok = self.eval.avail(c, &st, route.to);
                if ok == self.target_ok[r] {
                    continue;
                }
                self.target_ok[r] = ok;
                self.generation[r] = self.generation[r].wrapping_add(1);
                if c.instant_failover {
                    if self.view_ok[r] != ok {
                        self.view_ok[r] = ok;
                        changed = true;
                    }
                } else if self.view_ok[r] != ok {
                    // The first check after `now`, then threshold - 1 more, then clients follow.
                    let phase = self.phase_us[r];
                    let first =
                        if now < phase { phase } else { phase + ((now - phase) / interval + 1) * interval };
                    let detected = first + u64::from(threshold - 1) * interval;
                    let at = detected + route.follow_us;
                    if !ok {
                        self.stats.phases.add(Phase::Detection, detected - now);
                        self.stats.phases.add(Phase::Switch, route.follow_all_us());
                    }
                    sched
                        .after(at - now, Event::View { route: r as u32, generation: self.generation[r], ok });
                }
            }
            if !changed {
                // Nothing the routers see changed in this round: the memo holds this state.
                self.eval.memo_is_current();
                break;
            }
        }
        // Single-writer groups: promote a replica when the writer is lost.
        for g in 0..c.groups.len() {
            if c.groups[g].writes != WriteModel::SingleWriter {
                continue;
            }
            let up = Evaluator::svc_up(c, &self.view(), self.writer[g]);
            if !up && !self.promo_pending[g] {
                self.promo_pending[g] = true;
                self.promo_generation[g] = self.promo_generation[g].wrapping_add(1);
                let delay = self.promotion_delay(g);
                sched.after(delay, Event::Promote { group: g as u32, generation: self.promo_generation[g] });
            } else if up && self.promo_pending[g] {
                self.promo_pending[g] = false;
                self.promo_generation[g] = self.promo_generation[g].wrapping_add(1);
            }
        }
        // The writes before this change (a buffer reused across events).
        let mut prev_writes = std::mem::take(&mut self.prev_writes);
        prev_writes.clone_from(&self.eval.store_writes);
        self.dns.settle(now, &self.caching);
        self.evaluate_state();
        self.record_data_loss(&prev_writes);
        self.record_outages(now);
        self.recovery_observe(&prev_writes, sched);
        self.prev_writes = prev_writes;
        self.rec.quiet = false;
        if let Some(trace) = self.trace.as_mut() {
            if trace.len() < self.trace_budget {
                trace.push(TraceFrame::capture(c, now, &self.down, &self.eval.pops, &self.incident));
            } else if self.trace_end.is_none() {
                // The trace is full: it ends here, so its memory does not grow with the horizon.
                self.trace_end = Some(now);
            }
        }
    }

    /// Evaluates who is served now; while clients hold different DNS answers, each answer's
    /// share of every population is evaluated with the routers' views behind it.
    fn evaluate_state(&mut self) {
        let c = self.c;
        let st = state_view!(self);
        if self.dns.mixed() {
            // Clients hold different answers: each answer's DNS views with the current others.
            self.cohort_views.resize_with(self.dns.views().len(), Vec::new);
            for (v, held) in self.cohort_views.iter_mut().zip(self.dns.views()) {
                v.clear();
                v.extend(
                    c.routes
                        .iter()
                        .enumerate()
                        .map(|(r, route)| if route.dns_ttl_us.is_some() { held[r] } else { self.view_ok[r] }),
                );
            }
            let n = self.dns.views().len();
            let dns = &self.dns;
            self.eval.evaluate_mixed(c, &st, &self.cohort_views[..n], &|k, p| dns.share(k, p));
        } else {
            self.eval.evaluate(c, &st);
        }
    }

    /// Routing link `r`'s view changed: when its router is DNS, clients pick the new answer up as
    /// their cached answers expire (all at once with a zero TTL or idealised failover).
    fn dns_answer_changed(&mut self, r: usize, sched: &mut Scheduler<Event>) {
        if let Some(ttl) = self.c.routes[r].dns_ttl_us.filter(|&t| t > 0 && !self.c.instant_failover) {
            self.dns.change(sched, &self.view_ok, ttl, &self.caching, Event::DnsSlice);
        } else if self.c.routes[r].dns_ttl_us.is_some() {
            self.dns.replace_current(&self.view_ok);
        }
    }

    /// RPO: a store that was taking writes stops; the writes inside the replication lag are lost.
    fn record_data_loss(&mut self, prev_writes: &[f64]) {
        let c = self.c;
        for (s, &writes) in prev_writes.iter().enumerate().take(c.services.len()) {
            let Some(store) = &c.services[s].store else { continue };
            let up = Evaluator::svc_up(c, &self.view(), s);
            let was = std::mem::replace(&mut self.store_up[s], up);
            if !was || up || writes <= 0.0 {
                continue;
            }
            let Some(g) = store.group else { continue };
            let group = &c.groups[g];
            let multi = group.writes == WriteModel::MultiWriter;
            let mut lost_s: Option<f64> = None;
            for l in &group.links {
                if l.from == s || (multi && l.to == s) {
                    let lag = match l.mode {
                        ReplicationMode::Sync => 0.0,
                        ReplicationMode::Async => l.lag.sample_f64(&mut self.rng) / 1e6,
                    };
                    lost_s = Some(lost_s.map_or(lag, |x: f64| x.min(lag)));
                }
            }
            if let Some(lag) = lost_s {
                self.stats.add_rpo((lag * 1e6).round() as u64, self.cause_now());
                self.stats.writes_lost += writes * lag;
            }
        }
    }

    /// Component `i` started failing: it may be blamed for the incidents that follow.
    fn blame_start(&mut self, i: usize) {
        let kind = crate::cause::disruption_of(self.c.components[i].kind);
        let (random_down, forced) = (&self.random_down, &self.forced);
        self.blame.start(i, kind, |k| random_down[k] || forced[k] > 0);
    }

    /// The kind of disruption an incident beginning now is blamed on.
    pub(crate) fn cause_now(&self) -> Option<Disruption> {
        let (random_down, forced) = (&self.random_down, &self.forced);
        self.blame.now(|k| random_down[k] || forced[k] > 0)
    }

    /// RTO and incidents: when a population stops being fully served, when half of what it lost
    /// is served again, and when all of it is.
    fn record_outages(&mut self, now: SimTime) {
        let mid = self.dns.next_boundary().map(|nb| f64::midpoint(now as f64, nb as f64));
        for (p, ps) in self.eval.pops.iter().enumerate() {
            let ramp = if self.dns.partial(p) { mid } else { None };
            let was = self.clocks[p].in_outage();
            let ended = self.clocks[p].observe(now, ps.served, ramp, p as u32);
            if !was && self.clocks[p].in_outage() {
                let (random_down, forced) = (&self.random_down, &self.forced);
                self.outage_cause[p] = self.blame.now(|k| random_down[k] || forced[k] > 0);
            }
            if let Some(o) = ended {
                self.stats.add_outage(o, self.outage_cause[p]);
            }
            let full = ps.served >= crate::outage::FULL;
            self.incident[p] = !full || ps.main_region() != self.baseline[p];
        }
    }

    /// A repair of component `i` is done: it comes back unless its control plane is down, and a
    /// crew moves on to the next failure waiting.
    fn repair(&mut self, i: usize, sched: &mut Scheduler<Event>) {
        let c = self.c;
        if c.components[i].crewed
            && let Some(next) = self.crews.done()
            && let Some(p) = c.components[next as usize].process
        {
            let waited = sched.now() - self.failed_at[next as usize];
            self.stats.repair_waits_us.push(waited);
            sched.after(p.ttr.sample(&mut self.rng), Event::Repair(next));
        }
        if let Some(cp) = self.control_plane_of(i)
            && !self.correlated.control_plane_up(cp)
        {
            self.correlated.block_repair(cp, i as u32);
            return;
        }
        self.random_down[i] = false;
        if let Some(p) = c.components[i].process {
            sched.after(p.ttf.sample(&mut self.rng), Event::Fail(i as u32));
        }
    }

    /// The control plane a component's repair needs: its service's (for instances too).
    fn control_plane_of(&self, i: usize) -> Option<usize> {
        let c = self.c;
        match c.components[i].kind {
            ComponentKind::Service(s) => c.services[s].control_plane,
            ComponentKind::Instance(k) => c.services[c.instances[k].service].control_plane,
            _ => None,
        }
    }

    /// Control planes that came back release the repairs and promotions waiting for them.
    fn release_control_planes(&mut self, sched: &mut Scheduler<Event>) {
        let c = self.c;
        if c.control_planes.is_empty() {
            return;
        }
        let (random_down, forced) = (&self.random_down, &self.forced);
        let (repairs, promotions) =
            self.correlated
                .refresh_control_planes(&c.control_planes, &c.regions, |k| random_down[k] || forced[k] > 0);
        for i in repairs {
            let i = i as usize;
            self.random_down[i] = false;
            if let Some(p) = c.components[i].process {
                sched.after(p.ttf.sample(&mut self.rng), Event::Fail(i as u32));
            }
        }
        for g in promotions {
            if self.promo_pending[g as usize] {
                sched.after(0, Event::Promote { group: g, generation: self.promo_generation[g as usize] });
            }
        }
    }

    /// Per-population state now (for tests and traces).
    pub fn populations(&self) -> &[PopState] {
        &self.eval.pops
    }
}

impl Model for World<'_> {
    type Event = Event;

    fn handle(&mut self, event: Event, sched: &mut Scheduler<Event>) -> Result<(), SimError> {
        match event {
            Event::Fail(i) => {
                let i = i as usize;
                self.random_down[i] = true;
                self.blame_start(i);
                self.failed_at[i] = sched.now();
                if let Some(p) = self.c.components[i].process
                    && (!self.c.components[i].crewed || self.crews.fail(i as u32))
                {
                    sched.after(p.ttr.sample(&mut self.rng), Event::Repair(i as u32));
                }
            }
            Event::Repair(i) => self.repair(i as usize, sched),
            Event::InjectStart(i) => {
                self.forced[i as usize] += 1;
                self.blame_start(i as usize);
            }
            Event::InjectEnd(i) => self.forced[i as usize] = self.forced[i as usize].saturating_sub(1),
            Event::View { route, generation, ok } => {
                let r = route as usize;
                if generation != self.generation[r] || self.view_ok[r] == ok {
                    return Ok(());
                }
                self.view_ok[r] = ok;
                self.dns_answer_changed(r, sched);
            }
            Event::Recovery(ev) => {
                if !self.handle_recovery(ev, sched) {
                    return Ok(());
                }
            }
            Event::Promote { group, generation } => {
                let g = group as usize;
                if generation != self.promo_generation[g] || !self.promo_pending[g] {
                    return Ok(());
                }
                let c = self.c;
                let candidate =
                    c.groups[g].members.iter().copied().find(|&m| Evaluator::svc_up(c, &self.view(), m));
                // A promotion needs the promoted store's control plane.
                if let Some(cp) = candidate.and_then(|m| c.services[m].control_plane)
                    && !self.correlated.control_plane_up(cp)
                {
                    self.correlated.block_promotion(cp, group);
                    return Ok(());
                }
                self.promo_pending[g] = false;
                if let Some(m) = candidate {
                    self.writer[g] = m;
                }
            }
            Event::DnsSlice => {}
            Event::Wave(w) => {
                if !self.correlated.wave(w) {
                    return Ok(());
                }
                let component = self.c.deployment_groups[w.group as usize].component;
                let (random_down, forced) = (&self.random_down, &self.forced);
                self.blame.start(component, Disruption::CommonCause, |k| random_down[k] || forced[k] > 0);
            }
        }
        self.release_control_planes(sched);
        self.update(sched);
        Ok(())
    }
}

/// A fresh histogram of microseconds from 1 us to `max_us`, at 3 significant figures.
pub fn histogram(max_us: u64) -> Result<Histogram<u64>, SimError> {
    Histogram::new_with_bounds(1, max_us.max(2), 3).map_err(|e| SimError::Internal(e.to_string()))
}
