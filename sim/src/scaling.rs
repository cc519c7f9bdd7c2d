//! Capacity over time: target-tracking scaling of compute between its minimum (`count`) and its
//! maximum. Load above the running units' capacity for the scale-out alarm's time starts a
//! scale-out (at most `max_step` units, then a cooldown); the new units serve after a launch time
//! drawn per action. Load well below capacity (under 90% of what one unit fewer would carry) for
//! the scale-in alarm's time removes units down to what the load needs. Until the new units
//! serve, requests beyond capacity are shed (`serve.rs`), so RTO and requests lost show it.
//!
//! An operator failing over to a pilot light sets the desired units to the maximum at once
//! ([`Scalers::kick`]): "switching on" the servers, as the DR whitepaper describes it.

use crate::engine::Scheduler;
use crate::phases::{Phase, PhaseTally};
use crate::queue::SimTime;
use crate::recovery::{CRecovery, RecoveryEvent};
use crate::rng::SimRng;
use crate::world::Event;

/// Below this share of what one unit fewer would carry, the load counts as low (the target
/// tracking scale-in alarm's threshold is 90% of the target: `aas-tt-2023`, `lambda-pc-2023`).
const SCALE_IN_THRESHOLD: f64 = 0.9;

/// The units and pending actions of every scaling service.
#[derive(Debug, Clone)]
pub struct Scalers {
    /// Units serving, per scaler.
    pub units: Vec<u32>,
    pending: Vec<u32>,
    over_since: Vec<Option<SimTime>>,
    short_since: Vec<Option<SimTime>>,
    under_since: Vec<Option<SimTime>>,
    check_at: Vec<Option<SimTime>>,
    next_out_at: Vec<SimTime>,
    next_in_at: Vec<SimTime>,
    generation: Vec<u32>,
}

impl Scalers {
    /// Every scaler at its minimum, nothing pending.
    pub fn new(rec: &CRecovery) -> Self {
        let n = rec.scalers.len();
        Scalers {
            units: rec.scalers.iter().map(|s| s.min).collect(),
            pending: vec![0; n],
            over_since: vec![None; n],
            short_since: vec![None; n],
            under_since: vec![None; n],
            check_at: vec![None; n],
            next_out_at: vec![0; n],
            next_in_at: vec![0; n],
            generation: vec![0; n],
        }
    }

    /// Capacity of scaler `k` relative to its service's compiled capacity.
    pub fn factor(&self, rec: &CRecovery, k: usize) -> f64 {
        let s = &rec.scalers[k];
        f64::from(self.units[k]) * s.per_unit_rps / s.compiled_rps
    }

    /// Compares each scaler's demand (requests/s reaching its service) with its capacity after a
    /// state change, and schedules the alarm checks that scale out or in.
    pub fn observe(
        &mut self,
        rec: &CRecovery,
        demand: &[f64],
        now: SimTime,
        tally: &mut PhaseTally,
        sched: &mut Scheduler<Event>,
    ) {
        for (k, s) in rec.scalers.iter().enumerate() {
            let d = demand[s.service];
            let cap = s.per_unit_rps * f64::from(self.units[k]);
            // Shedding: load above the serving units' capacity, for the scale-out phase.
            match (d > cap * (1.0 + 1e-9), self.short_since[k]) {
                (true, None) => self.short_since[k] = Some(now),
                (false, Some(t)) => {
                    tally.add(Phase::ScaleOut, now - t);
                    self.short_since[k] = None;
                }
                _ => {}
            }
            // Scale-out: load above what running and launching units will carry.
            let covered = s.per_unit_rps * f64::from(self.units[k] + self.pending[k]);
            let over = d > covered * (1.0 + 1e-9) && self.units[k] + self.pending[k] < s.max;
            self.over_since[k] = match (over, self.over_since[k]) {
                (true, None) => Some(now),
                (true, t) => t,
                (false, _) => None,
            };
            // Scale-in: load under the threshold of one unit fewer, above the minimum.
            let fewer = s.per_unit_rps * f64::from(self.units[k].saturating_sub(1));
            let under = self.units[k] > s.min && self.pending[k] == 0 && d < fewer * SCALE_IN_THRESHOLD;
            self.under_since[k] = match (under, self.under_since[k]) {
                (true, None) => Some(now),
                (true, t) => t,
                (false, _) => None,
            };
            let due = match (self.over_since[k], self.under_since[k]) {
                (Some(t), _) => Some((t + s.out_after_us).max(self.next_out_at[k])),
                (None, Some(t)) => Some((t + s.in_after_us).max(self.next_in_at[k])),
                (None, None) => None,
            };
            if let Some(at) = due
                && self.check_at[k].is_none_or(|c| c > at)
            {
                self.check_at[k] = Some(at);
                self.generation[k] = self.generation[k].wrapping_add(1);
                sched.after(
                    at.saturating_sub(now),
                    Event::Recovery(RecoveryEvent::ScaleCheck {
                        scaler: k as u32,
                        generation: self.generation[k],
                    }),
                );
            }
        }
    }

    /// A scheduled check of scaler `k`: scales out or in when its alarm has held long enough and
    /// the cooldown is over. Returns whether the units changed.
    pub fn check(
        &mut self,
        rec: &CRecovery,
        k: usize,
        generation: u32,
        demand: &[f64],
        rng: &mut SimRng,
        sched: &mut Scheduler<Event>,
    ) -> bool {
        if generation != self.generation[k] {
            return false;
        }
        self.check_at[k] = None;
        let now = sched.now();
        let s = &rec.scalers[k];
        let d = demand[s.service];
        let needed = ((d / s.per_unit_rps).ceil().min(f64::from(s.max)) as u32).clamp(s.min, s.max);
        if let Some(t) = self.over_since[k]
            && now >= t + s.out_after_us
            && now >= self.next_out_at[k]
        {
            let want = needed.saturating_sub(self.units[k] + self.pending[k]).min(s.max_step);
            if want > 0 {
                self.launch(rec, k, want, rng, sched);
                // The alarm stays in alarm: the next step waits only for the cooldown.
                self.next_out_at[k] = now + s.out_cooldown_us;
            }
            return false;
        }
        if let Some(t) = self.under_since[k]
            && now >= t + s.in_after_us
            && now >= self.next_in_at[k]
        {
            let remove = self.units[k].saturating_sub(needed).min(s.max_step);
            if remove > 0 {
                self.units[k] -= remove;
                self.next_in_at[k] = now + s.in_cooldown_us;
                return true;
            }
        }
        false
    }

    /// An operator starts scaler `k` at its maximum (a pilot light switched on).
    pub fn kick(&mut self, rec: &CRecovery, k: usize, rng: &mut SimRng, sched: &mut Scheduler<Event>) {
        let want = rec.scalers[k].max.saturating_sub(self.units[k] + self.pending[k]);
        if want > 0 {
            self.launch(rec, k, want, rng, sched);
        }
    }

    fn launch(
        &mut self,
        rec: &CRecovery,
        k: usize,
        units: u32,
        rng: &mut SimRng,
        sched: &mut Scheduler<Event>,
    ) {
        self.pending[k] += units;
        sched.after(
            rec.scalers[k].launch.sample(rng),
            Event::Recovery(RecoveryEvent::Launched { scaler: k as u32, units }),
        );
    }

    /// Units launched by scaler `k` start serving.
    pub fn launched(&mut self, k: usize, units: u32) {
        self.pending[k] = self.pending[k].saturating_sub(units);
        self.units[k] += units;
    }
}
