//! The world's recovery machinery: operator-managed links, promotions, scaling, functions'
//! concurrency ramps and cold standby, kept apart from the failure and routing core in `world.rs`.

use crate::concurrency::Ramps;
use crate::engine::Scheduler;
use crate::operator::Operators;
use crate::phases::Phase;
use crate::recovery::{CRecovery, RecoveryEvent};
use crate::restore::ColdStandby;
use crate::rng::SimRng;
use crate::scaling::Scalers;
use crate::serve::{Evaluator, StateView};

use super::{Event, World};

/// A run's recovery state.
#[derive(Debug, Clone)]
pub(super) struct RecoveryRun {
    pub ops: Operators,
    pub scalers: Scalers,
    pub cold: ColdStandby,
    pub ramps: Ramps,
    /// Per service: not running (cold and not deployed, or scaled to zero units).
    pub dormant: Vec<bool>,
    /// Per service: capacity relative to the compiled capacity (scaling services).
    pub cap_factor: Vec<f64>,
    /// Per routing link: the services its operator failover woke.
    pub woken: Vec<Vec<usize>>,
    /// Whether the state change being evaluated is one the operators caused or expect (no alarm).
    pub quiet: bool,
    /// Whether anything scales or stands by cold (the per-update work is skipped otherwise).
    pub dynamic: bool,
}

impl RecoveryRun {
    /// The state at time zero: cold services dormant, scaling services at their minimum.
    pub fn new(rec: &CRecovery, services: usize, routes: usize, rng: &mut SimRng) -> Self {
        let scalers = Scalers::new(rec);
        let mut cap_factor = vec![1.0; services];
        for (k, s) in rec.scalers.iter().enumerate() {
            cap_factor[s.service] = scalers.factor(rec, k);
        }
        RecoveryRun {
            ops: Operators::new(routes),
            scalers,
            cold: ColdStandby::new(rec, rng),
            ramps: Ramps::new(rec),
            dormant: (0..services).map(|s| rec.dormant_at_start(s)).collect(),
            cap_factor,
            woken: vec![Vec::new(); routes],
            quiet: false,
            dynamic: !rec.scalers.is_empty() || !rec.cold.is_empty() || !rec.ramps.is_empty(),
        }
    }

    /// Recomputes service `s`'s dormancy and capacity factor from the cold and scaling state.
    pub fn refresh(&mut self, rec: &CRecovery, s: usize) {
        let cold = rec.cold_of[s].is_some_and(|i| !self.cold.ready[i]);
        let scaled = rec.scaler_of[s].map(|k| (self.scalers.units[k], self.scalers.factor(rec, k)));
        self.dormant[s] = cold || scaled.is_some_and(|(u, _)| u == 0);
        if let Some((_, f)) = scaled {
            self.cap_factor[s] = f;
        }
    }
}

impl World<'_> {
    /// Handles a recovery event; returns whether the state changed (and the world must update).
    pub(super) fn handle_recovery(&mut self, ev: RecoveryEvent, sched: &mut Scheduler<Event>) -> bool {
        let c = self.c;
        let rec = &c.recovery;
        match ev {
            RecoveryEvent::Alarm { route, generation, ok } => {
                self.rec.ops.alarm(
                    rec,
                    route as usize,
                    generation,
                    ok,
                    &mut self.rng,
                    &mut self.stats.phases,
                    sched,
                );
                false
            }
            RecoveryEvent::Decide { route, generation, ok } => {
                let r = route as usize;
                let Some(decision) = self.rec.ops.decide(
                    rec,
                    r,
                    generation,
                    ok,
                    &c.routes,
                    &mut self.rng,
                    &mut self.stats.phases,
                    sched,
                ) else {
                    return false;
                };
                if decision.wake.is_empty() {
                    return false;
                }
                let restored =
                    self.rec.cold.wake(rec, &decision.wake, &mut self.rng, &mut self.stats.phases, sched);
                self.stats.add_rpos(&restored.rpo_us, self.cause_now());
                self.stats.writes_lost += restored.writes_lost;
                for &s in &decision.wake {
                    // Scaled-to-zero compute that is deployed already is switched on now; cold
                    // compute when its deployment finishes.
                    if let Some(k) = rec.scaler_of[s]
                        && rec.cold_of[s].is_none_or(|i| self.rec.cold.ready[i])
                    {
                        self.rec.scalers.kick(rec, k, &mut self.rng, sched);
                    }
                }
                self.rec.woken[r] = decision.wake;
                false
            }
            RecoveryEvent::Switch { route, generation, ok } => {
                let r = route as usize;
                if !self.rec.ops.switch_current(r, generation) {
                    return false;
                }
                let mut changed = self.view_ok[r] != ok;
                self.view_ok[r] = ok;
                if changed && c.routes[r].dns_ttl_us.is_some() {
                    // The switch's delay included the TTL: every client holds the new answer now.
                    self.dns.replace_current(&self.view_ok);
                }
                if ok && !self.rec.woken[r].is_empty() {
                    // Failing back: what the failover started stops again.
                    let woken = std::mem::take(&mut self.rec.woken[r]);
                    if self.rec.cold.sleep(rec, &woken) {
                        for &s in &woken {
                            self.rec.refresh(rec, s);
                        }
                        self.rec.quiet = true;
                        changed = true;
                    }
                }
                changed
            }
            RecoveryEvent::Ready { cold, generation } => {
                let i = cold as usize;
                if !self.rec.cold.finished(i, generation) {
                    return false;
                }
                let s = rec.cold[i].service;
                self.rec.refresh(rec, s);
                if let Some(k) = rec.scaler_of[s] {
                    self.rec.scalers.kick(rec, k, &mut self.rng, sched);
                }
                self.rec.quiet = true;
                true
            }
            RecoveryEvent::ScaleCheck { scaler, generation } => {
                let k = scaler as usize;
                let changed =
                    self.rec.scalers.check(rec, k, generation, &self.eval.demand, &mut self.rng, sched);
                if changed {
                    self.rec.refresh(rec, rec.scalers[k].service);
                    self.rec.quiet = true;
                }
                changed
            }
            RecoveryEvent::RampStep { ramp, generation } => self.ramp_step(ramp as usize, generation, sched),
            RecoveryEvent::Launched { scaler, units } => {
                let k = scaler as usize;
                self.rec.scalers.launched(k, units);
                self.rec.refresh(rec, rec.scalers[k].service);
                self.rec.quiet = true;
                true
            }
        }
    }

    /// A step of function `k`'s concurrency ramp: its capacity factor follows.
    fn ramp_step(&mut self, k: usize, generation: u32, sched: &mut Scheduler<Event>) -> bool {
        let rec = &self.c.recovery;
        let changed = self.rec.ramps.step(rec, k, generation, &mut self.stats.phases, sched);
        if changed {
            self.rec.cap_factor[rec.ramps[k].service] = self.rec.ramps.factor[k];
            self.rec.quiet = true;
        }
        changed
    }

    /// An operator-managed link's endpoint health, seen by its alarm.
    pub(super) fn operator_route(&mut self, r: usize, sched: &mut Scheduler<Event>) {
        let c = self.c;
        let st = state_view!(self);
        let ok = self.eval.avail(c, &st, c.routes[r].to);
        self.rec.ops.on_target(&c.recovery, r, ok, self.rec.quiet, sched);
    }

    /// Time until a lost writer's replica takes writes: the alarm, the operator's response when a
    /// person starts it, then the promotion itself.
    pub(super) fn promotion_delay(&mut self, g: usize) -> u64 {
        let rec = &self.c.recovery;
        let group = rec.groups[g];
        let alarm = rec.operator.alarm_us;
        let response =
            if group.initiation.by_operator() { rec.operator.response.sample(&mut self.rng) } else { 0 };
        let promotion = group.promotion.sample(&mut self.rng);
        let tally = &mut self.stats.phases;
        tally.add(Phase::Detection, alarm);
        if group.initiation.by_operator() {
            tally.add(Phase::Decision, response);
        }
        tally.add(Phase::Promotion, promotion);
        alarm + response + promotion
    }

    /// After an evaluation: scaling alarms and restore sources follow the new state.
    pub(super) fn recovery_observe(&mut self, prev_writes: &[f64], sched: &mut Scheduler<Event>) {
        if !self.rec.dynamic {
            return;
        }
        let c = self.c;
        let now = sched.now();
        let st = state_view!(self);
        self.rec.cold.observe_sources(&c.recovery, |s| Evaluator::svc_up(c, &st, s), prev_writes, now);
        self.rec.scalers.observe(&c.recovery, &self.eval.demand, now, &mut self.stats.phases, sched);
        self.rec.ramps.observe(&c.recovery, &self.eval.demand, now, sched);
    }
}
