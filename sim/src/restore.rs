//! Cold standby: services that are not deployed until an operator fails over to them. Woken, each
//! is deployed with infrastructure as code once the cold services it requires are ready (the
//! application is configured with the restored data stores), and a datastore with a backup in its
//! region is restored from it instead: restore time = the kind's minimum + a draw of its restore
//! time + stored GB / its restore throughput (or the backup link's `restore_time`), then, for kinds
//! AWS documents so, an operator configures the restored store by hand.
//!
//! RPO of a restore is the age of the newest backup when the source store stopped: backups run
//! every `every` from a phase drawn per run, so the age is `(t - phase) mod every`.

use crate::engine::Scheduler;
use crate::phases::{Phase, PhaseTally};
use crate::queue::SimTime;
use crate::recovery::{CRecovery, RecoveryEvent};
use crate::rng::{SimRng, unit};
use crate::world::Event;

/// The state of every cold service of a run.
#[derive(Debug, Clone)]
pub struct ColdStandby {
    /// Per cold entry: whether it is deployed and serving.
    pub ready: Vec<bool>,
    /// Per cold entry: when its deployment or restore will finish (woken, not ready yet).
    starting: Vec<Option<SimTime>>,
    generation: Vec<u32>,
    phase_us: Vec<u64>,
    source_down: Vec<Option<(SimTime, f64)>>,
}

/// What waking cold services recorded: restores' data-loss windows and the writes lost.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Restored {
    /// Age of the restored backup, microseconds, per restore.
    pub rpo_us: Vec<u64>,
    /// Writes lost: the source's write rate times the backup's age.
    pub writes_lost: f64,
}

impl ColdStandby {
    /// Every cold service dormant; backup phases drawn from `rng` (only when a cold store
    /// restores from backups, so designs without one keep their random streams).
    pub fn new(rec: &CRecovery, rng: &mut SimRng) -> Self {
        let phase_us = rec
            .cold
            .iter()
            .map(|c| c.restore.map_or(0, |r| (unit(rng) * r.every_us as f64) as u64))
            .collect();
        let n = rec.cold.len();
        ColdStandby {
            ready: vec![false; n],
            starting: vec![None; n],
            generation: vec![0; n],
            phase_us,
            source_down: vec![None; n],
        }
    }

    /// Follows each restore source: when it stops being up, with its write rate before.
    pub fn observe_sources(
        &mut self,
        rec: &CRecovery,
        up: impl Fn(usize) -> bool,
        writes: &[f64],
        now: SimTime,
    ) {
        for (i, c) in rec.cold.iter().enumerate() {
            let Some(r) = c.restore else { continue };
            match (up(r.source), self.source_down[i]) {
                (false, None) => self.source_down[i] = Some((now, writes[r.source])),
                (true, Some(_)) => self.source_down[i] = None,
                _ => {}
            }
        }
    }

    /// Wakes the cold services among `services`: deployments and restores start now, each after
    /// the cold services it requires. Returns the restores' data loss.
    pub fn wake(
        &mut self,
        rec: &CRecovery,
        services: &[usize],
        rng: &mut SimRng,
        tally: &mut PhaseTally,
        sched: &mut Scheduler<Event>,
    ) -> Restored {
        let now = sched.now();
        let mut out = Restored::default();
        let woken: Vec<usize> = services.iter().filter_map(|&s| rec.cold_of[s]).collect();
        let mut finish: Vec<Option<SimTime>> = vec![None; rec.cold.len()];
        for &i in &woken {
            self.finish_time(rec, i, &woken, &mut finish, rng, &mut out, now, 0);
        }
        for &i in &woken {
            let Some(at) = finish[i] else { continue };
            if self.ready[i] || self.starting[i].is_some() {
                continue;
            }
            self.starting[i] = Some(at);
            self.generation[i] = self.generation[i].wrapping_add(1);
            tally.add(Phase::Restore, at - now);
            sched.after(
                at - now,
                Event::Recovery(RecoveryEvent::Ready { cold: i as u32, generation: self.generation[i] }),
            );
        }
        out
    }

    /// When cold entry `i` will be ready if woken now (memoised in `finish`).
    #[allow(clippy::too_many_arguments)] // A recursion over the wake set with its accumulators.
    fn finish_time(
        &mut self,
        rec: &CRecovery,
        i: usize,
        woken: &[usize],
        finish: &mut [Option<SimTime>],
        rng: &mut SimRng,
        out: &mut Restored,
        now: SimTime,
        depth: u32,
    ) -> SimTime {
        if self.ready[i] {
            return now;
        }
        if let Some(at) = self.starting[i].or(finish[i]) {
            return at;
        }
        let c = &rec.cold[i];
        let mut start = now;
        if depth < 8 {
            for &dep in &c.after {
                if let Some(j) = rec.cold_of[dep].filter(|j| woken.contains(j)) {
                    start = start.max(self.finish_time(rec, j, woken, finish, rng, out, now, depth + 1));
                }
            }
        }
        let took = match c.restore {
            Some(r) => {
                let base = r.override_us.unwrap_or_else(|| {
                    let size_us = r.gb_per_hour.map_or(0.0, |g| r.gb / g * 3.6e9);
                    r.minimum_us + r.time.sample(rng) + size_us.round() as u64
                });
                let setup = if r.manual_setup { rec.operator.response.sample(rng) } else { 0 };
                let (lost_at, rate) = self.source_down[i].unwrap_or((now, 0.0));
                let age = (lost_at + r.every_us - self.phase_us[i] % r.every_us) % r.every_us;
                out.rpo_us.push(age);
                out.writes_lost += rate * age as f64 / 1e6;
                base + setup
            }
            None => rec.operator.deploy.sample(rng),
        };
        let at = start + took;
        finish[i] = Some(at);
        at
    }

    /// A deployment or restore finished: the service runs. `false` when stale.
    pub fn finished(&mut self, i: usize, generation: u32) -> bool {
        if generation != self.generation[i] || self.starting[i].is_none() {
            return false;
        }
        self.starting[i] = None;
        self.ready[i] = true;
        true
    }

    /// The failover that needed `services` is undone: the cold ones among them stop.
    pub fn sleep(&mut self, rec: &CRecovery, services: &[usize]) -> bool {
        let mut changed = false;
        for &s in services {
            if let Some(i) = rec.cold_of[s] {
                changed |= self.ready[i] || self.starting[i].is_some();
                self.ready[i] = false;
                self.starting[i] = None;
                self.generation[i] = self.generation[i].wrapping_add(1);
            }
        }
        changed
    }
}
