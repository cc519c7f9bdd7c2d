//! Functions' concurrency over time (AWS Lambda). A function needs one execution environment per
//! request in flight: `demand x duration` environments. When its load grows it adds environments at
//! the catalog's documented scaling rate, 1,000 every 10 seconds refilled continuously and not
//! accrued beyond 1,000: a bucket of `burst_units` refilled at `units_per_s`, so a function that
//! has not scaled lately adds up to 1,000 at once, then 100 a second. It stops at its reserved
//! concurrency or the account's unreserved pool; requests beyond the environments it has are
//! throttled meanwhile (`serve.rs` sheds them through the service's capacity factor). When the load
//! falls, environments no longer needed are dropped at once (down to its provisioned concurrency),
//! so a region that takes load again ramps again.
//!
//! Past the burst the ramp is linear; the engine evaluates piecewise-constant states, so the ramp
//! is cut into steps of at most [`STEP_US`], each carrying the ramp's level at the step's midpoint.
//! With the load constant over a step, the requests shed over it are exactly those of the linear
//! ramp: `(c1 - c0 - burst)^2 / (2 x rate x duration)` for a ramp from `c0` to `c1`.

use crate::engine::Scheduler;
use crate::phases::{Phase, PhaseTally};
use crate::queue::SimTime;
use crate::recovery::{CRecovery, RecoveryEvent};
use crate::world::Event;

/// Longest step of a ramp, microseconds.
pub const STEP_US: u64 = 1_000_000;

/// Relative tolerance below which two environment counts are the same.
const EPS: f64 = 1e-9;

/// The environments and ramps of every function with a concurrency model.
#[derive(Debug, Clone)]
pub struct Ramps {
    /// Environments at `since`, per ramp.
    level: Vec<f64>,
    /// When `level` held.
    since: Vec<SimTime>,
    /// Environments the load needs (the ramp's end), at least the floor, at most the maximum.
    target: Vec<f64>,
    /// When the current ramp started (`None`: not ramping; the bucket is empty while ramping).
    started_at: Vec<Option<SimTime>>,
    /// Environments the bucket holds at `filled_since` (while not ramping).
    bucket: Vec<f64>,
    /// When `bucket` held.
    filled_since: Vec<SimTime>,
    /// Capacity relative to the compiled capacity until the next step.
    pub factor: Vec<f64>,
    generation: Vec<u32>,
    /// Whether the first observation (the state at time zero) has been made.
    primed: bool,
}

impl Ramps {
    /// Every function at its provisioned concurrency, nothing ramping.
    pub fn new(rec: &CRecovery) -> Self {
        let n = rec.ramps.len();
        Ramps {
            level: rec.ramps.iter().map(|r| r.floor_units).collect(),
            since: vec![0; n],
            target: rec.ramps.iter().map(|r| r.floor_units).collect(),
            started_at: vec![None; n],
            bucket: rec.ramps.iter().map(|r| r.burst_units).collect(),
            filled_since: vec![0; n],
            factor: vec![1.0; n],
            generation: vec![0; n],
            primed: false,
        }
    }

    /// Environments of ramp `k` at `now`: its level, plus what the ramp added since, up to its end.
    fn level_at(&self, rec: &CRecovery, k: usize, now: SimTime) -> f64 {
        if self.started_at[k].is_none() {
            return self.level[k];
        }
        let added = rec.ramps[k].units_per_s * (now.saturating_sub(self.since[k]) as f64 / 1e6);
        (self.level[k] + added).min(self.target[k])
    }

    /// Environments ramp `k`'s bucket holds at `now` (none while it ramps).
    fn bucket_at(&self, rec: &CRecovery, k: usize, now: SimTime) -> f64 {
        if self.started_at[k].is_some() {
            return 0.0;
        }
        let r = &rec.ramps[k];
        let refilled = r.units_per_s * (now.saturating_sub(self.filled_since[k]) as f64 / 1e6);
        (self.bucket[k] + refilled).min(r.burst_units)
    }

    /// Compares each function's need (`demand x duration`) with its environments after a state
    /// change: a larger need starts (or re-plans) a ramp, a smaller one drops the environments.
    /// At time zero every function has what it needs. A change of capacity is applied by a step
    /// event at once, so the world evaluates it.
    pub fn observe(&mut self, rec: &CRecovery, demand: &[f64], now: SimTime, sched: &mut Scheduler<Event>) {
        for (k, r) in rec.ramps.iter().enumerate() {
            let need = (demand[r.service] * r.duration_s).min(r.max_units).max(r.floor_units);
            if !self.primed {
                (self.level[k], self.target[k], self.since[k]) = (need, need, now);
                continue;
            }
            let cur = self.level_at(rec, k, now);
            let ramping = self.started_at[k].is_some();
            let tol = EPS * need.max(1.0);
            if need > cur + tol {
                if ramping && (need - self.target[k]).abs() <= tol {
                    continue;
                }
                let mut cur = cur;
                if !ramping {
                    // The bucket's environments come at once; a ramp starts only beyond them.
                    let burst = self.bucket_at(rec, k, now);
                    if need <= cur + burst + tol {
                        self.bucket[k] = (burst - (need - cur)).max(0.0);
                        self.filled_since[k] = now;
                        (self.level[k], self.target[k], self.since[k]) = (need, need, now);
                        continue;
                    }
                    cur += burst;
                    self.started_at[k] = Some(now);
                }
                (self.level[k], self.target[k], self.since[k]) = (cur, need, now);
            } else {
                (self.level[k], self.target[k], self.since[k]) = (need, need, now);
                if !ramping {
                    continue;
                }
            }
            self.generation[k] = self.generation[k].wrapping_add(1);
            sched.after(
                0,
                Event::Recovery(RecoveryEvent::RampStep { ramp: k as u32, generation: self.generation[k] }),
            );
        }
        self.primed = true;
    }

    /// A step of ramp `k`: its capacity until the next step (the level at the step's midpoint), or
    /// the end of the ramp. Returns whether the capacity factor changed.
    pub fn step(
        &mut self,
        rec: &CRecovery,
        k: usize,
        generation: u32,
        tally: &mut PhaseTally,
        sched: &mut Scheduler<Event>,
    ) -> bool {
        if generation != self.generation[k] {
            return false;
        }
        let now = sched.now();
        let r = &rec.ramps[k];
        let cur = self.level_at(rec, k, now);
        (self.level[k], self.since[k]) = (cur, now);
        let before = self.factor[k];
        let left = self.target[k] - cur;
        if left <= EPS * self.target[k].max(1.0) || !r.units_per_s.is_finite() {
            self.level[k] = self.target[k];
            if let Some(t) = self.started_at[k].take() {
                tally.add(Phase::ScaleOut, now - t);
                // The bucket refills from empty.
                (self.bucket[k], self.filled_since[k]) = (0.0, now);
            }
            self.factor[k] = 1.0;
            // Factors never exceed 1: below it, the step before limited capacity.
            return before < 1.0;
        }
        let step_us = ((left / r.units_per_s * 1e6).ceil() as u64).clamp(1, STEP_US);
        let mid = cur + r.units_per_s * (step_us as f64 / 1e6) / 2.0;
        self.factor[k] = (mid.min(self.target[k]) / r.max_units).min(1.0);
        sched.after(step_us, Event::Recovery(RecoveryEvent::RampStep { ramp: k as u32, generation }));
        true
    }
}
