//! The reference model of the simulator benchmark, run through the real [`Engine`].
//!
//! N components fail after Exp(MTTF) and are repaired after Exp(MTTR); one Poisson request
//! stream of rate `rate` hits a uniformly chosen component and succeeds if it is up. Each failure,
//! repair and request is one event. `scripts/bench/simpy_reference.py` is the same model in
//! SimPy. One time unit is one second (a million engine microseconds).

use std::sync::atomic::AtomicBool;

use crate::engine::{Engine, Model, Scheduler, SimError};
use crate::queue::SimTime;
use crate::rng::{SimRng, index, run_stream};
use rand_distr::{Distribution, Exp1};

/// Parameters of the reference model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceParams {
    /// Number of components.
    pub components: usize,
    /// Mean time to failure, in time units.
    pub mttf: f64,
    /// Mean time to repair, in time units.
    pub mttr: f64,
    /// Request rate per time unit.
    pub rate: f64,
    /// Simulated time, in time units.
    pub horizon: f64,
    /// Seed.
    pub seed: u64,
}

/// What a reference run measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceOutcome {
    /// Failures, repairs and requests handled.
    pub events: u64,
    /// Requests that found their component up.
    pub requests_ok: u64,
    /// Requests made.
    pub requests: u64,
    /// Time-average availability over all components.
    pub availability: f64,
}

/// Events of the reference model.
#[derive(Debug, Clone, Copy)]
pub enum RefEvent {
    /// Component fails.
    Fail(u32),
    /// Component is repaired.
    Repair(u32),
    /// A request arrives.
    Request,
}

const UNIT: f64 = 1e6;

struct RefModel {
    rng: SimRng,
    up: Vec<bool>,
    down_since: Vec<SimTime>,
    downtime: Vec<SimTime>,
    mttf: f64,
    mttr: f64,
    mean_gap: f64,
    requests: u64,
    ok: u64,
}

impl RefModel {
    #[inline]
    fn exp(&mut self, mean: f64) -> SimTime {
        let e: f64 = Exp1.sample(&mut self.rng);
        ((e * mean) as SimTime).max(1)
    }
}

impl Model for RefModel {
    type Event = RefEvent;

    #[inline]
    fn handle(&mut self, event: RefEvent, sched: &mut Scheduler<RefEvent>) -> Result<(), SimError> {
        match event {
            RefEvent::Fail(i) => {
                self.up[i as usize] = false;
                self.down_since[i as usize] = sched.now();
                let d = self.exp(self.mttr);
                sched.after(d, RefEvent::Repair(i));
            }
            RefEvent::Repair(i) => {
                self.up[i as usize] = true;
                self.downtime[i as usize] += sched.now() - self.down_since[i as usize];
                let d = self.exp(self.mttf);
                sched.after(d, RefEvent::Fail(i));
            }
            RefEvent::Request => {
                self.requests += 1;
                let c = index(&mut self.rng, self.up.len());
                self.ok += u64::from(self.up[c]);
                let d = self.exp(self.mean_gap);
                sched.after(d, RefEvent::Request);
            }
        }
        Ok(())
    }
}

/// Runs the reference model.
pub fn run_reference(p: &ReferenceParams, cancel: &AtomicBool) -> Result<ReferenceOutcome, SimError> {
    let n = p.components.max(1);
    let mut model = RefModel {
        rng: run_stream(p.seed, 0),
        up: vec![true; n],
        down_since: vec![0; n],
        downtime: vec![0; n],
        mttf: p.mttf * UNIT,
        mttr: p.mttr * UNIT,
        mean_gap: UNIT / p.rate,
        requests: 0,
        ok: 0,
    };
    let first: Vec<SimTime> = (0..n).map(|_| model.exp(model.mttf)).collect();
    let first_req = model.exp(model.mean_gap);
    let horizon = (p.horizon * UNIT) as SimTime;
    let mut engine = Engine::new(model);
    for (i, t) in first.into_iter().enumerate() {
        engine.scheduler().after(t, RefEvent::Fail(i as u32));
    }
    engine.scheduler().after(first_req, RefEvent::Request);
    engine.run(horizon, cancel)?;
    let events = engine.events_handled();
    let m = engine.into_model();
    let mut down: u128 = 0;
    for i in 0..n {
        let mut d = m.downtime[i];
        if !m.up[i] {
            d += horizon - m.down_since[i];
        }
        down += u128::from(d);
    }
    let availability = 1.0 - down as f64 / (n as f64 * horizon as f64);
    Ok(ReferenceOutcome { events, requests_ok: m.ok, requests: m.requests, availability })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn availability_matches_theory() {
        let p = ReferenceParams { components: 50, mttf: 99.0, mttr: 1.0, rate: 1.0, horizon: 2e5, seed: 1 };
        let out = run_reference(&p, &AtomicBool::new(false)).unwrap();
        assert!((out.availability - 0.99).abs() < 0.002, "{}", out.availability);
        assert!(out.events > 200_000);
    }
}
