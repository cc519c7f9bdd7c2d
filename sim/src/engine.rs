//! The discrete-event engine: a clock, the future-event list and a model that handles typed events.
//!
//! A [`Model`] reacts to each event and may schedule more through the [`Scheduler`] it is given.
//! [`Engine::step`], [`Engine::step_until`] and [`Engine::run`] advance time; events at equal times
//! are handled in the order they were scheduled. The engine never reads a clock or a global RNG:
//! a run is a pure function of the model's initial state.

use crate::queue::{EventQueue, SimTime};

/// What can stop a simulation early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SimError {
    /// The caller's cancellation flag was set.
    #[error("the simulation was cancelled")]
    Cancelled,
    /// The model asked for an event in the past, which would break causality.
    #[error("an event was scheduled at {at} us, before the current time {now} us")]
    Causality {
        /// Requested time.
        at: SimTime,
        /// Current time.
        now: SimTime,
    },
    /// A bug: something the simulator should never meet.
    #[error("internal simulator error: {0}")]
    Internal(String),
}

/// Where a model schedules events.
#[derive(Debug)]
pub struct Scheduler<E> {
    now: SimTime,
    queue: EventQueue<E>,
}

impl<E> Scheduler<E> {
    /// The current simulated time.
    #[inline]
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Schedules `event` `delay` microseconds from now.
    #[inline]
    pub fn after(&mut self, delay: SimTime, event: E) {
        self.queue.push(self.now.saturating_add(delay), event);
    }

    /// Schedules `event` at absolute time `at`, which must not be in the past.
    pub fn at(&mut self, at: SimTime, event: E) -> Result<(), SimError> {
        if at < self.now {
            return Err(SimError::Causality { at, now: self.now });
        }
        self.queue.push(at, event);
        Ok(())
    }

    /// Number of pending events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }
}

/// A simulated system: its state and how it reacts to events.
pub trait Model {
    /// The event type.
    type Event;

    /// Handles `event` at `sched.now()`.
    fn handle(&mut self, event: Self::Event, sched: &mut Scheduler<Self::Event>) -> Result<(), SimError>;
}

/// A model, its clock and its pending events.
#[derive(Debug)]
pub struct Engine<M: Model> {
    model: M,
    sched: Scheduler<M::Event>,
    handled: u64,
}

impl<M: Model> Engine<M> {
    /// An engine at time zero with no pending events.
    pub fn new(model: M) -> Self {
        Engine { model, sched: Scheduler { now: 0, queue: EventQueue::with_capacity(64) }, handled: 0 }
    }

    /// The scheduler, to seed the first events.
    pub fn scheduler(&mut self) -> &mut Scheduler<M::Event> {
        &mut self.sched
    }

    /// The model and the scheduler at once, to let the model seed its first events.
    pub fn parts(&mut self) -> (&mut M, &mut Scheduler<M::Event>) {
        (&mut self.model, &mut self.sched)
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The model, mutably.
    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    /// Gives the model back.
    pub fn into_model(self) -> M {
        self.model
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.sched.now
    }

    /// Events handled so far.
    pub fn events_handled(&self) -> u64 {
        self.handled
    }

    /// Handles the next event; returns `false` when none is pending.
    pub fn step(&mut self) -> Result<bool, SimError> {
        let Some((time, _seq, event)) = self.sched.queue.pop() else {
            return Ok(false);
        };
        self.sched.now = time;
        self.handled += 1;
        self.model.handle(event, &mut self.sched)?;
        Ok(true)
    }

    /// Handles every event at or before `until`, then sets the clock to `until`.
    pub fn step_until(&mut self, until: SimTime) -> Result<(), SimError> {
        while let Some(t) = self.sched.queue.peek_time() {
            if t > until {
                break;
            }
            self.step()?;
        }
        self.sched.now = self.sched.now.max(until);
        Ok(())
    }

    /// Runs to `until`, checking `cancel` every 65,536 events.
    pub fn run(&mut self, until: SimTime, cancel: &std::sync::atomic::AtomicBool) -> Result<(), SimError> {
        loop {
            for _ in 0..65_536 {
                match self.sched.queue.pop() {
                    Some((t, _seq, event)) if t <= until => {
                        self.sched.now = t;
                        self.handled += 1;
                        self.model.handle(event, &mut self.sched)?;
                    }
                    Some((t, seq, event)) => {
                        // Past the horizon: put it back unchanged.
                        self.sched.queue.push_back(t, seq, event);
                        self.sched.now = self.sched.now.max(until);
                        return Ok(());
                    }
                    None => {
                        self.sched.now = self.sched.now.max(until);
                        return Ok(());
                    }
                }
            }
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(SimError::Cancelled);
            }
        }
    }
}
