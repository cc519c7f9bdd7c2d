//! The engine handles events in `(time, sequence)` order, whatever order they were scheduled in.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::sync::atomic::AtomicBool;

use meridian_sim::engine::{Engine, Model, Scheduler, SimError};
use proptest::prelude::*;

/// Records each event as it is handled; an event may schedule one follow-up.
struct Recorder {
    seen: Vec<(u64, u32)>,
    follow: Vec<(u32, u64)>,
}

impl Model for Recorder {
    type Event = u32;

    fn handle(&mut self, ev: u32, sched: &mut Scheduler<u32>) -> Result<(), SimError> {
        self.seen.push((sched.now(), ev));
        if let Some(&(_, delay)) = self.follow.iter().find(|f| f.0 == ev) {
            sched.after(delay, ev + 1_000_000);
        }
        Ok(())
    }
}

proptest! {
    #[test]
    fn events_come_out_in_time_then_sequence_order(
        times in prop::collection::vec(0u64..50, 1..200),
        follow in prop::collection::vec((0u32..200, 0u64..20), 0..20),
    ) {
        let mut engine = Engine::new(Recorder { seen: Vec::new(), follow });
        for (i, &t) in times.iter().enumerate() {
            engine.scheduler().after(t, i as u32);
        }
        engine.run(1_000, &AtomicBool::new(false)).unwrap();
        let seen = &engine.model().seen;
        // Time never goes back.
        prop_assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0));
        // Initial events at equal times keep their scheduling order.
        let initial: Vec<(u64, u32)> = seen.iter().copied().filter(|e| e.1 < 1_000_000).collect();
        let mut want: Vec<(u64, u32)> = times.iter().enumerate().map(|(i, &t)| (t, i as u32)).collect();
        want.sort_unstable();
        prop_assert_eq!(initial, want);
    }
}

#[test]
fn step_until_stops_at_the_boundary() {
    let mut engine = Engine::new(Recorder { seen: Vec::new(), follow: Vec::new() });
    for t in [5u32, 10, 15] {
        engine.scheduler().after(u64::from(t), t);
    }
    engine.step_until(10).unwrap();
    assert_eq!(engine.model().seen, vec![(5, 5), (10, 10)]);
    assert_eq!(engine.now(), 10);
    assert!(engine.step().unwrap());
    assert!(!engine.step().unwrap());
}

#[test]
fn cancellation_stops_a_run() {
    let mut engine = Engine::new(Recorder { seen: Vec::new(), follow: vec![] });
    for t in 0..100_000 {
        engine.scheduler().after(t, 1);
    }
    assert_eq!(engine.run(1_000_000, &AtomicBool::new(true)), Err(SimError::Cancelled));
}
