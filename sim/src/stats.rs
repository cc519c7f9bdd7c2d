//! The statistics of one run: fixed-size accumulators filled interval by interval.

use hdrhistogram::Histogram;
use meridian_model::targets::Disruption;
use rand_distr::{Distribution, StandardNormal};

use crate::engine::SimError;
use crate::outage::OutageSample;
use crate::phases::PhaseTally;
use crate::queue::SimTime;
use crate::rng::SimRng;
use crate::serve::PopState;
use crate::tables::Compiled;

/// Requests of one population on one path, for the latency distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PathBucket {
    /// Population index.
    pub pop: usize,
    /// During an incident.
    pub incident: bool,
    /// Network part, ms.
    pub network_ms: f64,
    /// Processing part, ms.
    pub processing_ms: f64,
    /// Successful requests on this path.
    pub requests: f64,
}

/// Latency samples drawn per path bucket at the end of a run.
const SAMPLES_PER_PATH: u32 = 64;
/// Spread of processing time around its median (log-standard deviation); an assumption.
const PROCESSING_SIGMA: f64 = 0.35;

/// Data-law figures of one population in one run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LawTally {
    /// Minutes with requests served or writes landing outside the allowed jurisdictions.
    pub minutes: f64,
    /// Requests served outside.
    pub requests: f64,
    /// Writes landing outside (first write or a replica).
    pub writes: f64,
}

/// Everything one run measured.
#[derive(Debug, Clone)]
pub struct RunStats {
    /// Events handled.
    pub events: u64,
    /// Rate-weighted time every population was fully served (requests/s x s).
    pub up_weighted: f64,
    /// Rate-weighted time (requests/s x s).
    pub demand_weighted: f64,
    /// Requests sent.
    pub requests: f64,
    /// Requests served.
    pub served: f64,
    /// Per population: (requests sent, requests served, seconds fully served).
    pub pop_served: Vec<(f64, f64, f64)>,
    /// Seconds of the run covered so far (the denominator of each population's time share).
    pub covered_s: f64,
    /// RTO samples (until the last client is back), microseconds.
    pub rto_us: Vec<u64>,
    /// Outages with both recovery times, per population.
    pub outages: Vec<OutageSample>,
    /// Time failures waited for a repair crew, microseconds.
    pub repair_waits_us: Vec<u64>,
    /// Common-cause failures that started.
    pub common_cause_events: u32,
    /// Regions a staggered bad change reached beyond the first, summed.
    pub common_cause_extra_waves: u32,
    /// Reads that may have returned stale data (eventually consistent replicas).
    pub stale_reads: f64,
    /// Reads served by datastores.
    pub store_reads: f64,
    /// RPO samples, microseconds.
    pub rpo_us: Vec<u64>,
    /// RTO samples (until the last client is back) of incidents whose cause is known, by the
    /// kind of disruption they followed ([`crate::cause`]), microseconds.
    pub rto_by_cause: Vec<(Disruption, u64)>,
    /// RPO samples whose cause is known, by kind of disruption, microseconds.
    pub rpo_by_cause: Vec<(Disruption, u64)>,
    /// Writes lost.
    pub writes_lost: f64,
    /// Conflicting writes (multi-writer stores).
    pub conflicts: f64,
    /// Data law per population.
    pub law: Vec<LawTally>,
    /// Path buckets.
    pub paths: Vec<PathBucket>,
    /// Latency samples drawn from the path buckets at the end of the run:
    /// (population, incident, microseconds, weight).
    pub latency_samples: Vec<(usize, bool, u64, u64)>,
    /// Timeline bins: requests sent.
    pub bin_requests: Vec<f64>,
    /// Timeline bins: requests served.
    pub bin_served: Vec<f64>,
    /// Timeline bins: data-law minutes per population.
    pub bin_law_minutes: Vec<Vec<f64>>,
    /// Where recovery time went (detection, decision, switch, restore, scale-out, promotion).
    pub phases: PhaseTally,
    bin_us: u64,
}

impl RunStats {
    /// Empty statistics for `c` with `bins` timeline bins.
    pub fn new(c: &Compiled, bins: usize) -> Self {
        let bins = bins.max(1);
        RunStats {
            events: 0,
            up_weighted: 0.0,
            demand_weighted: 0.0,
            requests: 0.0,
            served: 0.0,
            pop_served: vec![(0.0, 0.0, 0.0); c.populations.len()],
            covered_s: 0.0,
            rto_us: Vec::new(),
            outages: Vec::new(),
            repair_waits_us: Vec::new(),
            common_cause_events: 0,
            common_cause_extra_waves: 0,
            stale_reads: 0.0,
            store_reads: 0.0,
            rpo_us: Vec::new(),
            rto_by_cause: Vec::new(),
            rpo_by_cause: Vec::new(),
            writes_lost: 0.0,
            conflicts: 0.0,
            law: vec![LawTally::default(); c.populations.len()],
            paths: Vec::new(),
            latency_samples: Vec::new(),
            bin_requests: vec![0.0; bins],
            bin_served: vec![0.0; bins],
            bin_law_minutes: vec![vec![0.0; bins]; c.populations.len()],
            phases: PhaseTally::default(),
            bin_us: c.horizon_us.div_ceil(bins as u64).max(1),
        }
    }

    /// Records a finished (or censored) outage that followed a disruption of kind `cause`.
    pub fn add_outage(&mut self, o: OutageSample, cause: Option<Disruption>) {
        self.rto_us.push(o.last_us);
        if let Some(d) = cause {
            self.rto_by_cause.push((d, o.last_us));
        }
        self.outages.push(o);
    }

    /// Records data-loss windows that followed a disruption of kind `cause`.
    pub fn add_rpos(&mut self, us: &[u64], cause: Option<Disruption>) {
        for &v in us {
            self.add_rpo(v, cause);
        }
    }

    /// Records a data-loss window of `us` that followed a disruption of kind `cause`.
    pub fn add_rpo(&mut self, us: u64, cause: Option<Disruption>) {
        self.rpo_us.push(us);
        if let Some(d) = cause {
            self.rpo_by_cause.push((d, us));
        }
    }

    /// Adds `[t0, t1)` under the state `pops`.
    // One pass over the interval's figures; the arguments are the evaluator's tables.
    #[allow(clippy::too_many_arguments)]
    pub fn add_interval(
        &mut self,
        c: &Compiled,
        t0: SimTime,
        t1: SimTime,
        pops: &[PopState],
        incident: &[bool],
        store_writes: &[f64],
        store_reads: &[f64],
    ) {
        let dt = (t1 - t0) as f64 / 1e6;
        let mut total_rate = 0.0;
        let mut served_rate = 0.0;
        self.covered_s += dt;
        for (p, (pop, ps)) in c.populations.iter().zip(pops).enumerate() {
            let req = pop.rate * dt;
            total_rate += pop.rate;
            served_rate += pop.rate * ps.served;
            self.requests += req;
            self.served += req * ps.served;
            self.demand_weighted += pop.rate * dt;
            let up = ps.served >= 1.0 - 1e-9;
            if up {
                self.up_weighted += pop.rate * dt;
            }
            if let Some(acc) = self.pop_served.get_mut(p) {
                acc.0 += req;
                acc.1 += req * ps.served;
                if up {
                    acc.2 += dt;
                }
            }
            for f in &ps.flows {
                let n = req * f.share * f.ok;
                if n <= 0.0 || f.endpoint.is_none() {
                    continue;
                }
                self.add_path(p, incident[p], f.network_ms, f.processing_ms, n);
            }
            if let Some(allowed) = &pop.allowed {
                let outside =
                    |r: Option<usize>| r.is_some_and(|r| !allowed.contains(&c.regions[r].jurisdiction));
                let out_share: f64 =
                    ps.flows.iter().filter(|f| outside(f.region)).map(|f| f.share * f.ok).sum();
                let writes_out = pop.write_fraction > 0.0
                    && ps.flows.iter().any(|f| {
                        f.ok > 0.0
                            && f.write_store.is_some_and(|w| {
                                outside(c.services[w].region)
                                    || c.services[w].store.as_ref().and_then(|s| s.group).is_some_and(|g| {
                                        c.groups[g].members.iter().any(|&m| outside(c.services[m].region))
                                    })
                            })
                    });
                if out_share > 0.0 || writes_out {
                    self.law[p].minutes += dt / 60.0;
                    self.add_bins(t0, t1, |s, b, frac| s.bin_law_minutes[p][b] += frac * dt / 60.0);
                }
                self.law[p].requests += req * out_share;
                if writes_out {
                    self.law[p].writes += req * pop.write_fraction * ps.served;
                }
            }
        }
        self.add_bins(t0, t1, |s, b, frac| {
            s.bin_requests[b] += total_rate * dt * frac;
            s.bin_served[b] += served_rate * dt * frac;
        });
        // Conflicts: writes to one item in two regions within the replication lag of each other,
        // with writes spread evenly over the items. Stale reads: a read at one replica of an item
        // written at another within the lag. Strongly consistent tables have neither.
        self.store_reads += store_reads.iter().sum::<f64>() * dt;
        for g in &c.groups {
            if g.strong {
                continue;
            }
            let lag: f64 = g.links.iter().map(|l| l.lag_mean_s).fold(0.0, f64::max);
            let items = |s: usize| c.services[s].store.as_ref().map_or(1e6, |st| st.items);
            for &b in &g.members {
                if store_reads[b] <= 0.0 {
                    continue;
                }
                let elsewhere: f64 = g.members.iter().filter(|&&a| a != b).map(|&a| store_writes[a]).sum();
                self.stale_reads += store_reads[b] * elsewhere * lag / items(b) * dt;
            }
            if g.writes != meridian_model::catalog::WriteModel::MultiWriter {
                continue;
            }
            for (i, &a) in g.members.iter().enumerate() {
                for &b in &g.members[i + 1..] {
                    self.conflicts += store_writes[a] * store_writes[b] * 2.0 * lag / items(a) * dt;
                }
            }
        }
    }

    fn add_bins(&mut self, t0: SimTime, t1: SimTime, mut f: impl FnMut(&mut Self, usize, f64)) {
        let len = (t1 - t0) as f64;
        if len <= 0.0 {
            return;
        }
        let nb = self.bin_requests.len();
        let mut t = t0;
        while t < t1 {
            let b = ((t / self.bin_us) as usize).min(nb - 1);
            let end = if b == nb - 1 { t1 } else { ((b as u64 + 1) * self.bin_us).min(t1) };
            f(self, b, (end - t) as f64 / len);
            t = end;
        }
    }

    fn add_path(&mut self, pop: usize, incident: bool, network_ms: f64, processing_ms: f64, n: f64) {
        if let Some(b) = self.paths.iter_mut().find(|b| {
            b.pop == pop
                && b.incident == incident
                && b.network_ms.to_bits() == network_ms.to_bits()
                && b.processing_ms.to_bits() == processing_ms.to_bits()
        }) {
            b.requests += n;
        } else if self.paths.len() < 4096 {
            self.paths.push(PathBucket { pop, incident, network_ms, processing_ms, requests: n });
        }
    }

    /// Draws latency samples for every path bucket, weighted by its requests.
    pub fn sample_latency(&mut self, rng: &mut SimRng) {
        self.latency_samples.clear();
        for b in &self.paths {
            let weight = (b.requests / f64::from(SAMPLES_PER_PATH)).round().max(1.0) as u64;
            for _ in 0..SAMPLES_PER_PATH {
                let z: f64 = StandardNormal.sample(rng);
                let ms = b.network_ms + b.processing_ms * (PROCESSING_SIGMA * z).exp();
                let us = (ms * 1e3).round().clamp(1.0, 1e8) as u64;
                self.latency_samples.push((b.pop, b.incident, us, weight));
            }
        }
    }

    /// This run's P99 latency of each population in normal operation and during incidents, in
    /// microseconds (`None` where the run had no such request): the smallest sampled latency at
    /// or below which 99% of the represented requests lie.
    pub fn run_p99_us(&self, populations: usize) -> Vec<[Option<u64>; 2]> {
        let mut by: Vec<[Vec<(u64, u64)>; 2]> = vec![[Vec::new(), Vec::new()]; populations];
        for &(pop, incident, us, weight) in &self.latency_samples {
            if let Some(pair) = by.get_mut(pop) {
                pair[usize::from(incident)].push((us, weight));
            }
        }
        by.into_iter().map(|[n, i]| [weighted_quantile(n, 0.99), weighted_quantile(i, 0.99)]).collect()
    }

    /// Records the latency samples into `hists` (per population: normal, incident).
    pub fn record_latency(&self, hists: &mut [(Histogram<u64>, Histogram<u64>)]) -> Result<(), SimError> {
        for &(pop, incident, us, weight) in &self.latency_samples {
            let Some(pair) = hists.get_mut(pop) else { continue };
            let h = if incident { &mut pair.1 } else { &mut pair.0 };
            h.record_n(us, weight).map_err(|e| SimError::Internal(e.to_string()))?;
        }
        Ok(())
    }
}

/// The smallest value with at least `q` of the total weight at or below it.
fn weighted_quantile(mut samples: Vec<(u64, u64)>, q: f64) -> Option<u64> {
    samples.sort_unstable();
    let total: u64 = samples.iter().map(|s| s.1).sum();
    let need = (q * total as f64).ceil().max(1.0) as u64;
    let mut seen = 0;
    for (v, w) in samples {
        seen += w;
        if seen >= need {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::weighted_quantile;

    #[test]
    fn the_weighted_p99_is_where_99_percent_of_the_weight_is_reached() {
        // 990 requests at 10 ms, 9 at 50 ms, 1 at 900 ms: 99% (990) are at 10 ms.
        let s = vec![(50_000, 9), (10_000, 990), (900_000, 1)];
        assert_eq!(weighted_quantile(s.clone(), 0.99), Some(10_000));
        // One more slow request moves the 990th-of-1001 past the fast ones.
        let mut t = s;
        t.push((50_000, 2));
        assert_eq!(weighted_quantile(t, 0.99), Some(50_000));
        assert_eq!(weighted_quantile(Vec::new(), 0.99), None);
    }
}
