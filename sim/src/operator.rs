//! Operator-initiated failover: an alarm fires after its evaluation periods, a person responds
//! after a time drawn from the design's response distribution, and switches traffic (a DNS record
//! change, or an Application Recovery Controller routing control); failing away from an endpoint
//! also starts what stands by behind the alternatives (cold deployments, scaled-to-zero compute).
//!
//! The state here is per routing link: the health the alarm last saw and generations that make
//! stale alarms, decisions and switches no-ops when the endpoint changed again meanwhile.

use crate::engine::Scheduler;
use crate::phases::{Phase, PhaseTally};
use crate::queue::SimTime;
use crate::recovery::{CRecovery, RecoveryEvent};
use crate::rng::SimRng;
use crate::tables::CRoute;

/// What an operator's decision asks the world to do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Services to start (cold deployments and scaled-to-zero compute), when failing away.
    pub wake: Vec<usize>,
}

/// The operators' view of every operator-managed routing link.
#[derive(Debug, Clone)]
pub struct Operators {
    target_ok: Vec<bool>,
    generation: Vec<u32>,
    switch_generation: Vec<u32>,
}

impl Operators {
    /// State for `routes` routing links, every endpoint seen as healthy.
    pub fn new(routes: usize) -> Self {
        Operators {
            target_ok: vec![true; routes],
            generation: vec![0; routes],
            switch_generation: vec![0; routes],
        }
    }

    /// The endpoint of operator-managed link `route` is now `ok`. Unless `quiet` (a change the
    /// operators caused or expect, such as a standby starting), a change starts the alarm.
    pub fn on_target(
        &mut self,
        rec: &CRecovery,
        route: usize,
        ok: bool,
        quiet: bool,
        sched: &mut Scheduler<crate::world::Event>,
    ) {
        if self.target_ok[route] == ok {
            return;
        }
        self.target_ok[route] = ok;
        self.generation[route] = self.generation[route].wrapping_add(1);
        if quiet {
            return;
        }
        sched.after(
            rec.operator.alarm_us,
            crate::world::Event::Recovery(RecoveryEvent::Alarm {
                route: route as u32,
                generation: self.generation[route],
                ok,
            }),
        );
    }

    /// The alarm of `route` fires: page the operator. Returns `false` for a stale alarm.
    #[allow(clippy::too_many_arguments)] // The alarm, the random stream, the tally and the scheduler.
    pub fn alarm(
        &mut self,
        rec: &CRecovery,
        route: usize,
        generation: u32,
        ok: bool,
        rng: &mut SimRng,
        tally: &mut PhaseTally,
        sched: &mut Scheduler<crate::world::Event>,
    ) -> bool {
        if generation != self.generation[route] {
            return false;
        }
        let response = rec.operator.response.sample(rng);
        if !ok {
            tally.add(Phase::Detection, rec.operator.alarm_us);
            tally.add(Phase::Decision, response);
        }
        sched.after(
            response,
            crate::world::Event::Recovery(RecoveryEvent::Decide { route: route as u32, generation, ok }),
        );
        true
    }

    /// The operator acts on `route`: switches traffic away from it (or back to it) after the
    /// switch's propagation and the clients' follow-up time (TTL, shift delay); failing away also points
    /// the router's other operator-managed links at their endpoints and wakes what stands by
    /// behind them. `None` for a stale decision.
    #[allow(clippy::too_many_arguments)] // The decision touches every part of the operator's view.
    pub fn decide(
        &mut self,
        rec: &CRecovery,
        route: usize,
        generation: u32,
        ok: bool,
        routes: &[CRoute],
        rng: &mut SimRng,
        tally: &mut PhaseTally,
        sched: &mut Scheduler<crate::world::Event>,
    ) -> Option<Decision> {
        if generation != self.generation[route] {
            return None;
        }
        let r = &rec.routes[route];
        let propagation = r.propagation.map_or(0, |p| p.sample(rng));
        // Clients follow an operator's switch together once the TTL has passed (the standby it
        // woke, or the primary it fails back to, serves everyone from then on).
        let delay = propagation + routes[route].follow_all_us();
        if !ok {
            tally.add(Phase::Switch, delay);
        }
        self.switch(route, ok, delay, sched);
        if ok {
            return Some(Decision::default());
        }
        for &a in &r.alternatives {
            let d = propagation + routes[a].follow_all_us();
            self.switch(a, true, d, sched);
        }
        Some(Decision { wake: r.wakes.clone() })
    }

    fn switch(&mut self, route: usize, ok: bool, delay: SimTime, sched: &mut Scheduler<crate::world::Event>) {
        self.switch_generation[route] = self.switch_generation[route].wrapping_add(1);
        sched.after(
            delay,
            crate::world::Event::Recovery(RecoveryEvent::Switch {
                route: route as u32,
                generation: self.switch_generation[route],
                ok,
            }),
        );
    }

    /// Whether a switch of `route` is the latest one the operators asked for.
    pub fn switch_current(&self, route: usize, generation: u32) -> bool {
        self.switch_generation[route] == generation
    }
}
