//! DNS caches: after a DNS router's answer changes, each population's clients pick the new answer
//! up as their cached answers expire, so traffic moves gradually instead of all at once.
//!
//! A client that holds a cached answer fetched it at a random moment, so the time left on its
//! cache when the record changes is uniform over the TTL (a renewal argument): a share
//! `min(1, age / TTL)` of TTL-honouring clients has the new answer `age` after the change. An
//! optional share of clients ignores the TTL and holds the old answer for the TTL plus an
//! exponential extra time (the two-point fit to Flavel et al. 2014 in the catalog); the last
//! [`STRAGGLER_SHARE`] of a population is counted back when the rest is.
//!
//! [`DnsCaches`] keeps the answers clients may still hold (cohorts: the routers' views from the
//! moment each answer was current) and the share of each population holding each one. Shares
//! are held constant between slice boundaries (half the TTL, then halvings of the sticky
//! tail) at their exact average over the slice, so requests served and lost integrate the ramp
//! exactly while the engine still sees a piecewise-constant state.

use crate::engine::Scheduler;
use crate::queue::SimTime;

/// Below this share of a population still holding an old answer, the population counts as back.
pub const STRAGGLER_SHARE: f64 = 1e-3;

/// Slices of the TTL over which the uniform expiry is stepped. Requests served and the half-back
/// time are exact for any number (the mean of a linear ramp over a slice is its midpoint value);
/// more slices only refine capacity sharing during the ramp, at one event each.
const TTL_SLICES: u32 = 2;

/// How a population's clients hold DNS answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClientCaching {
    /// Share of clients that hold answers longer than the TTL, 0 to 1.
    pub sticky_share: f64,
    /// Mean extra time those clients hold an answer beyond the TTL, in microseconds.
    pub sticky_hold_us: f64,
}

impl ClientCaching {
    /// Clients that all honour the TTL.
    pub const HONOUR_TTL: ClientCaching = ClientCaching { sticky_share: 0.0, sticky_hold_us: 0.0 };

    fn sticky(&self) -> bool {
        self.sticky_share > STRAGGLER_SHARE && self.sticky_hold_us > 0.0
    }

    /// Age (microseconds after the change) from which every client counts as having the new answer.
    pub fn settle_age(&self, ttl: f64) -> f64 {
        if self.sticky() {
            ttl + self.sticky_hold_us * (self.sticky_share / STRAGGLER_SHARE).ln()
        } else {
            ttl
        }
    }

    /// Share of the population that has the new answer `age` microseconds after the change.
    pub fn progress(&self, age: f64, ttl: f64) -> f64 {
        if age <= 0.0 {
            return 0.0;
        }
        if age >= self.settle_age(ttl) {
            return 1.0;
        }
        let uniform = if ttl > 0.0 { (age / ttl).min(1.0) } else { 1.0 };
        if !self.sticky() {
            return uniform;
        }
        let q = self.sticky_share;
        let tail = if age < ttl { 0.0 } else { 1.0 - (-(age - ttl) / self.sticky_hold_us).exp() };
        (1.0 - q) * uniform + q * tail
    }

    /// Integral of [`ClientCaching::progress`] over ages `0..age`, in share x microseconds.
    fn integral(&self, age: f64, ttl: f64) -> f64 {
        if age <= 0.0 {
            return 0.0;
        }
        let settle = self.settle_age(ttl);
        if age > settle {
            return self.integral(settle, ttl) + (age - settle);
        }
        let uniform = if ttl <= 0.0 {
            age
        } else if age <= ttl {
            age * age / (2.0 * ttl)
        } else {
            ttl / 2.0 + (age - ttl)
        };
        if !self.sticky() {
            return uniform;
        }
        let (q, m) = (self.sticky_share, self.sticky_hold_us);
        let tail = if age <= ttl { 0.0 } else { (age - ttl) - m * (1.0 - (-(age - ttl) / m).exp()) };
        (1.0 - q) * uniform + q * tail
    }

    /// Mean share with the new answer over ages `a0..a1` (the progress at `a0` when they are equal).
    pub fn mean_progress(&self, a0: f64, a1: f64, ttl: f64) -> f64 {
        if a1 - a0 <= 1e-9 {
            return self.progress(a0, ttl);
        }
        ((self.integral(a1, ttl) - self.integral(a0, ttl)) / (a1 - a0)).clamp(0.0, 1.0)
    }

    /// Ages at which the stepped shares change: halves of the TTL, then halvings of the
    /// sticky tail, then the settling age.
    pub fn slice_ages(&self, ttl: f64) -> Vec<f64> {
        let mut out: Vec<f64> =
            (1..=TTL_SLICES).map(|i| ttl * f64::from(i) / f64::from(TTL_SLICES)).collect();
        if self.sticky() {
            let settle = self.settle_age(ttl);
            let step = self.sticky_hold_us * std::f64::consts::LN_2;
            let mut a = ttl + step;
            while a < settle {
                out.push(a);
                a += step;
            }
            out.push(settle);
        }
        out.retain(|a| *a > 0.0);
        out
    }
}

/// An answer clients may still hold: the routers' views from the moment it became current.
#[derive(Debug, Clone, PartialEq)]
struct Cohort {
    since: SimTime,
    ttl_us: f64,
    view: Vec<bool>,
}

/// The answers held in the populations' caches and who holds which.
#[derive(Debug, Clone, PartialEq)]
pub struct DnsCaches {
    cohorts: Vec<Cohort>,
    pending: Vec<SimTime>,
    shares: Vec<f64>,
    pops: usize,
    next: Option<SimTime>,
}

impl DnsCaches {
    /// Caches for `pops` populations that all hold the answer of `view` (the routers' views at the start).
    pub fn new(view: &[bool], pops: usize) -> Self {
        DnsCaches {
            cohorts: vec![Cohort { since: 0, ttl_us: 0.0, view: view.to_vec() }],
            pending: Vec::new(),
            shares: vec![1.0; pops],
            pops,
            next: None,
        }
    }

    /// Whether some population still holds an older answer (the state is a mixture).
    pub fn mixed(&self) -> bool {
        self.cohorts.len() > 1
    }

    /// The answers held, oldest first; the last is current.
    pub fn views(&self) -> impl ExactSizeIterator<Item = &[bool]> + '_ {
        self.cohorts.iter().map(|c| c.view.as_slice())
    }

    /// Share of population `p` holding answer `k` (in [`DnsCaches::views`] order) until the next boundary.
    pub fn share(&self, k: usize, p: usize) -> f64 {
        self.shares[k * self.pops + p]
    }

    /// Whether population `p` is split between answers (its served share is a ramp value).
    pub fn partial(&self, p: usize) -> bool {
        self.mixed() && (0..self.cohorts.len()).all(|k| self.share(k, p) < 1.0)
    }

    /// Every client has `view`'s answer at once (a record with a TTL of zero).
    pub fn replace_current(&mut self, view: &[bool]) {
        self.cohorts.truncate(1);
        if let Some(c) = self.cohorts.first_mut() {
            c.view.clear();
            c.view.extend_from_slice(view);
        }
        self.shares.iter_mut().for_each(|s| *s = 1.0);
    }

    /// The next slice boundary, when the shares change again.
    pub fn next_boundary(&self) -> Option<SimTime> {
        self.next
    }

    /// A DNS answer changed at `now` to the routers' `view` (the record's TTL is `ttl_us`):
    /// schedules the slice boundaries (`slice` is the event that marks one) and returns their count.
    pub fn change<E: Copy>(
        &mut self,
        sched: &mut Scheduler<E>,
        view: &[bool],
        ttl_us: u64,
        caching: &[ClientCaching],
        slice: E,
    ) -> usize {
        let now = sched.now();
        if self.cohorts.last().is_some_and(|c| c.view == view) {
            return 0;
        }
        let ttl = ttl_us as f64;
        // A change within the same microsecond replaces the answer nobody could fetch.
        if self.cohorts.len() > 1 && self.cohorts.last().is_some_and(|c| c.since == now) {
            self.cohorts.pop();
        }
        self.cohorts.push(Cohort { since: now, ttl_us: ttl, view: view.to_vec() });
        let mut added = 0;
        let mut seen: Vec<ClientCaching> = Vec::new();
        for cc in caching {
            if seen.contains(cc) {
                continue;
            }
            seen.push(*cc);
            for age in cc.slice_ages(ttl) {
                let at = now.saturating_add(age.round() as u64).max(now + 1);
                if let Err(i) = self.pending.binary_search(&at) {
                    self.pending.insert(i, at);
                    sched.after(at - now, slice);
                    added += 1;
                }
            }
        }
        added
    }

    /// Recomputes the shares for the slice starting at `now` and forgets answers nobody holds.
    pub fn settle(&mut self, now: SimTime, caching: &[ClientCaching]) {
        let cut = self.pending.partition_point(|&t| t <= now);
        self.pending.drain(..cut);
        self.next = self.pending.first().copied();
        // The oldest answer is gone once every population has settled on the next one.
        while self.cohorts.len() > 1 {
            let c = &self.cohorts[1];
            let age = (now - c.since) as f64;
            if caching.iter().all(|cc| age >= cc.settle_age(c.ttl_us)) {
                self.cohorts.remove(0);
            } else {
                break;
            }
        }
        let n = self.cohorts.len();
        self.shares.clear();
        self.shares.resize(n * self.pops, 0.0);
        if n == 1 {
            self.shares.iter_mut().for_each(|s| *s = 1.0);
            return;
        }
        let end = self.next.unwrap_or(now);
        for (p, cc) in caching.iter().enumerate().take(self.pops) {
            // moved[k]: share that has picked up answer k (answer 0: everyone).
            let mut prev_moved = 1.0;
            for k in 0..n {
                let moved_next = if k + 1 < n {
                    let c = &self.cohorts[k + 1];
                    let (a0, a1) = ((now - c.since) as f64, (end.max(now) - c.since) as f64);
                    cc.mean_progress(a0, a1, c.ttl_us).min(prev_moved)
                } else {
                    0.0
                };
                self.shares[k * self.pops + p] = (prev_moved - moved_next).max(0.0);
                prev_moved = moved_next;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, clippy::unwrap_used)] // The ramp's ends are exact by construction.
mod tests {
    use super::*;

    const TTL: f64 = 60e6;

    #[test]
    fn honouring_clients_move_linearly_over_the_ttl() {
        let cc = ClientCaching::HONOUR_TTL;
        assert_eq!(cc.progress(0.0, TTL), 0.0);
        assert!((cc.progress(15e6, TTL) - 0.25).abs() < 1e-12);
        assert_eq!(cc.progress(TTL, TTL), 1.0);
        // The mean over a slice is the value at its midpoint.
        assert!((cc.mean_progress(0.0, 15e6, TTL) - 0.125).abs() < 1e-12);
        assert!((cc.mean_progress(45e6, 75e6, TTL) - (0.5 * 0.875 + 0.5)).abs() < 1e-12);
        assert_eq!(cc.slice_ages(TTL), vec![30e6, 60e6]);
    }

    #[test]
    fn sticky_clients_follow_the_fit() {
        // The catalog's two-point fit: 10% stale 60 s after a change with a 20 s TTL, 2% after 900 s.
        let cc = ClientCaching { sticky_share: 0.108, sticky_hold_us: 522e6 };
        let stale = |t: f64| 1.0 - cc.progress(t * 1e6, 20e6);
        assert!((stale(60.0) - 0.100).abs() < 0.001, "{}", stale(60.0));
        assert!((stale(900.0) - 0.020).abs() < 0.001, "{}", stale(900.0));
        let settle = cc.settle_age(20e6);
        assert!((stale(settle / 1e6 - 1.0) - STRAGGLER_SHARE).abs() < 1e-5);
        assert_eq!(cc.progress(settle, 20e6), 1.0);
        // The integral is consistent with the pointwise values (midpoint rule on fine steps).
        let (a0, a1) = (10e6, 400e6);
        let n = 20_000;
        let h = (a1 - a0) / f64::from(n);
        let sum: f64 =
            (0..n).map(|i| cc.progress(a0 + (f64::from(i) + 0.5) * h, 20e6)).sum::<f64>() / f64::from(n);
        assert!((cc.mean_progress(a0, a1, 20e6) - sum).abs() < 1e-6);
        let ages = cc.slice_ages(20e6);
        assert_eq!(*ages.last().unwrap(), settle);
        assert!(ages.windows(2).all(|w| w[0] < w[1]));
    }
}
