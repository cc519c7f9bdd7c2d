//! Recovery times of one population: from the moment it stops being fully served until half of
//! what it lost is served again ("half back") and until it is fully served again ("last client
//! back").
//!
//! The served share is piecewise constant between events, except while DNS caches expire: then
//! each slice holds the slice's mean, which for a linear ramp is the value at the slice's
//! midpoint. The clock therefore reads the served share as a polyline through those midpoints
//! and finds where it crosses the half-way mark, which is exact for a uniform cache expiry.

use crate::queue::SimTime;

/// Served shares at or above this count as fully served.
pub const FULL: f64 = 1.0 - 1e-9;

/// One finished outage of a population, in microseconds from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutageSample {
    /// Population index.
    pub pop: u32,
    /// Until half of the share lost at the worst moment was served again.
    pub half_us: u64,
    /// Until the population was fully served again (the last client back).
    pub last_us: u64,
}

/// The recovery clock of one population.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutageClock {
    start: Option<SimTime>,
    worst: f64,
    half_at: Option<f64>,
    served: f64,
    point: (f64, f64),
    ramp: bool,
}

impl Default for OutageClock {
    fn default() -> Self {
        OutageClock { start: None, worst: 1.0, half_at: None, served: 1.0, point: (0.0, 1.0), ramp: false }
    }
}

impl OutageClock {
    /// Whether an outage is running.
    pub fn in_outage(&self) -> bool {
        self.start.is_some()
    }

    /// The served share became `served` at `now`; `ramp_mid` is the midpoint of the slice when
    /// the value is the mean of a DNS ramp slice. Returns the outage when it ends here.
    pub fn observe(
        &mut self,
        now: SimTime,
        served: f64,
        ramp_mid: Option<f64>,
        pop: u32,
    ) -> Option<OutageSample> {
        let t = now as f64;
        // The polyline: a held value ends at `now`; a ramp value sits at its slice's midpoint.
        let prev_end = if self.ramp { self.point } else { (t, self.served) };
        let new_point = (ramp_mid.unwrap_or(t), served);
        let interpolate = self.ramp || ramp_mid.is_some();
        let mut done = None;
        match self.start {
            None => {
                if served < FULL {
                    self.start = Some(now);
                    self.worst = served;
                    self.half_at = None;
                }
            }
            Some(start) => {
                if served < self.worst - 1e-12 {
                    self.worst = served;
                    self.half_at = None;
                } else if self.half_at.is_none() {
                    let target = 1.0 - (1.0 - self.worst) / 2.0;
                    if served >= target - 1e-12 {
                        let (t0, v0) = prev_end;
                        let (t1, v1) = new_point;
                        self.half_at = Some(if interpolate && v1 > v0 && t1 > t0 {
                            (t0 + (target - v0) / (v1 - v0) * (t1 - t0)).clamp(t0, t1)
                        } else {
                            t
                        });
                    }
                }
                if served >= FULL {
                    let half = self.half_at.unwrap_or(t).max(start as f64);
                    done = Some(OutageSample {
                        pop,
                        half_us: (half - start as f64).round() as u64,
                        last_us: now - start,
                    });
                    self.start = None;
                }
            }
        }
        self.served = served;
        self.point = new_point;
        self.ramp = ramp_mid.is_some();
        done
    }

    /// The outage still running at the horizon, censored there.
    pub fn censor(&self, horizon: SimTime, pop: u32) -> Option<OutageSample> {
        let start = self.start?;
        let half = self.half_at.map_or(horizon, |h| (h.round() as u64).min(horizon));
        Some(OutageSample {
            pop,
            half_us: half.saturating_sub(start),
            last_us: horizon.saturating_sub(start),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_outage_is_back_at_once() {
        let mut c = OutageClock::default();
        assert!(c.observe(10, 0.0, None, 0).is_none());
        let s = c.observe(50, 1.0, None, 0).unwrap();
        assert_eq!((s.half_us, s.last_us), (40, 40));
        assert!(!c.in_outage());
    }

    #[test]
    fn a_linear_ramp_is_half_back_at_its_middle() {
        // Down at 0; the DNS change at 100; caches expire uniformly over 80 (four slices of 20).
        let mut c = OutageClock::default();
        c.observe(0, 0.0, None, 3);
        for (i, mid) in [110.0, 130.0, 150.0, 170.0].into_iter().enumerate() {
            let served = (mid - 100.0) / 80.0;
            assert!(c.observe(100 + 20 * i as u64, served, Some(mid), 3).is_none());
        }
        let s = c.observe(180, 1.0, None, 3).unwrap();
        assert_eq!(s, OutageSample { pop: 3, half_us: 140, last_us: 180 });
    }

    #[test]
    fn half_back_is_measured_from_the_worst_share_lost() {
        // Half the traffic lost, then a ramp back: half back when 75% is served.
        let mut c = OutageClock::default();
        c.observe(0, 0.5, None, 0);
        c.observe(100, 0.5 + 0.5 * 0.125, Some(110.0), 0);
        c.observe(120, 0.5 + 0.5 * 0.375, Some(130.0), 0);
        c.observe(140, 0.5 + 0.5 * 0.625, Some(150.0), 0);
        let s = c.observe(180, 1.0, None, 0).unwrap();
        assert_eq!(s.half_us, 140);
        // Censored at the horizon.
        let mut c = OutageClock::default();
        c.observe(10, 0.2, None, 1);
        assert_eq!(c.censor(100, 1), Some(OutageSample { pop: 1, half_us: 90, last_us: 90 }));
    }
}
