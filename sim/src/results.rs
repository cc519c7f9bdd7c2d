//! The results of a scenario: what the CLI prints, `--json` writes, plots draw and the GUI shows.
//!
//! [`Aggregate`] merges runs in run-index order with fixed-size accumulators (Welford means,
//! HDR histograms, timeline bins), so memory does not grow with the number of runs and the
//! result is the same whatever the number of threads.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use meridian_model::targets::Disruption;

use crate::engine::SimError;
use crate::phases::{PhaseTally, RecoveryPhases};
use crate::stats::RunStats;
use crate::tables::Compiled;
use crate::world::histogram;

/// A mean over runs with its 95% confidence interval (normal approximation, 1.96 standard errors;
/// with one run the interval has zero width).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Mean over runs.
    pub mean: f64,
    /// Lower end of the 95% interval.
    pub ci95_low: f64,
    /// Upper end of the 95% interval.
    pub ci95_high: f64,
}

impl Estimate {
    /// Whether `x` lies inside the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.ci95_low <= x && x <= self.ci95_high
    }
}

/// Percentiles of a distribution of durations, in seconds, with 95% confidence intervals.
///
/// A percentile's interval may be open above (too few samples to bound it): its upper end is
/// then infinite, written `null` in JSON.
///
/// The intervals treat the samples as independent: the mean's is 1.96 standard errors, each
/// percentile's spans the order statistics a binomial count of samples below it puts within
/// 95% (distribution-free). With one sample the mean's interval is that sample and each
/// percentile's runs from 0 to unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Percentiles {
    /// Number of samples.
    pub count: u64,
    /// Smallest sample.
    #[serde(default)]
    pub min: f64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Largest sample.
    pub max: f64,
    /// 95% confidence interval of the mean: low, high.
    #[serde(default)]
    pub mean_ci95: [f64; 2],
    /// 95% confidence interval of the median.
    #[serde(default, deserialize_with = "open_interval")]
    pub p50_ci95: [f64; 2],
    /// 95% confidence interval of the 95th percentile.
    #[serde(default, deserialize_with = "open_interval")]
    pub p95_ci95: [f64; 2],
    /// 95% confidence interval of the 99th percentile.
    #[serde(default, deserialize_with = "open_interval")]
    pub p99_ci95: [f64; 2],
}

/// Recovery times of one population, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PopulationRto {
    /// From losing service until half of the share lost is served again.
    pub half_s: Percentiles,
    /// From losing service until the last client is served again.
    pub last_s: Percentiles,
}

/// Recovery times and data-loss windows of the incidents that followed one kind of disruption
/// (attributed by [`crate::cause`]), seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DisruptionRecovery {
    /// Until the last client was back.
    pub rto_s: Percentiles,
    /// Data-loss windows.
    pub rpo_s: Percentiles,
}

/// Availability of one population: the mean over runs with its 95% confidence interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct PopulationAvailability {
    /// Share of the population's requests served.
    pub requests: Estimate,
    /// Share of time the population was fully served.
    pub time: Estimate,
}

/// The figures of one run (kept when [`crate::SimOptions::keep_runs`] is set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct RunFigures {
    /// Run index.
    pub run: u64,
    /// Time-based availability.
    pub availability_time: f64,
    /// Request-based availability.
    pub availability_requests: f64,
    /// Minutes with some population not fully served, weighted by request rate.
    pub downtime_min: f64,
    /// Requests not served.
    pub requests_lost: f64,
    /// Outages (a population losing service).
    pub outages: u64,
    /// Longest recovery until the last client was back, seconds (0 without outages).
    pub rto_max_s: f64,
    /// Longest recovery until half was back, seconds.
    pub rto_half_max_s: f64,
    /// Longest data-loss window, seconds.
    pub rpo_max_s: f64,
    /// Writes lost.
    pub writes_lost: f64,
    /// Conflicting writes.
    pub conflicts: f64,
    /// Reads that may have returned stale data.
    pub stale_reads: f64,
    /// Common-cause failures that started.
    pub common_cause_failures: u32,
    /// Events simulated.
    pub events: u64,
}

/// Each run's figures as CSV: a header line, then one line per run (exact values).
pub fn runs_csv(runs: &[RunFigures]) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "run,availability_time,availability_requests,downtime_min,requests_lost,outages,rto_max_s,rto_half_max_s,rpo_max_s,writes_lost,conflicts,stale_reads,common_cause_failures,events\n",
    );
    for r in runs {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.run,
            r.availability_time,
            r.availability_requests,
            r.downtime_min,
            r.requests_lost,
            r.outages,
            r.rto_max_s,
            r.rto_half_max_s,
            r.rpo_max_s,
            r.writes_lost,
            r.conflicts,
            r.stale_reads,
            r.common_cause_failures,
            r.events
        );
    }
    out
}

/// Latency of one population in one condition, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LatencySummary {
    /// Requests represented.
    pub requests: u64,
    /// Median.
    pub p50_ms: f64,
    /// 95th percentile.
    pub p95_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// The distribution: (latency ms, fraction of requests at or below), 50 points.
    pub cdf: Vec<(f64, f64)>,
    /// Runs with such requests: each gives its own P99, and the runs are the independent
    /// samples the interval below rests on.
    #[serde(default)]
    pub runs: u64,
    /// The median over runs of each run's P99 (the P99 a typical run shows), ms.
    #[serde(default)]
    pub run_p99_ms: f64,
    /// The distribution-free 95% confidence interval of that median: the order statistics of
    /// the runs' P99s a binomial count puts within 95%, as for the recovery times ([`Percentiles`]);
    /// open (0 to unbounded) with 5 runs or fewer.
    #[serde(default, deserialize_with = "open_interval")]
    pub run_p99_ci95_ms: [f64; 2],
}

/// Latency of one population.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PopulationLatency {
    /// In normal operation.
    pub normal: LatencySummary,
    /// During incidents (not fully served, or served from elsewhere than normally).
    pub incident: LatencySummary,
}

/// Data-law figures of one population, means per run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataLawSummary {
    /// Allowed jurisdictions (`None`: unrestricted).
    pub allowed: Option<Vec<String>>,
    /// Minutes with requests served or writes landing outside them.
    pub minutes_per_run: f64,
    /// Requests served outside them.
    pub requests_per_run: f64,
    /// Writes landing outside them (first write or replica).
    pub writes_per_run: f64,
}

/// One bar of a histogram.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Upper bound, seconds.
    pub upper_s: f64,
    /// Samples in the bar.
    pub count: u64,
}

/// Figures over simulated time, in equal bins, averaged over runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timeline {
    /// Bin width, seconds.
    pub bin_s: f64,
    /// Request-based availability per bin.
    pub availability: Vec<f64>,
    /// Data-law minutes per bin, per population.
    pub data_law_minutes: BTreeMap<String, Vec<f64>>,
}

/// Everything a scenario run measured. Deterministic: no wall-clock figures (see [`Timing`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimResults {
    /// Design name.
    pub design: String,
    /// Scenario name.
    pub scenario: String,
    /// Runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// Simulated time per run, seconds.
    pub horizon_s: f64,
    /// Time-based availability: the share of time every population is fully served, weighted by request rate.
    pub availability_time: Estimate,
    /// Request-based availability: requests served over requests sent.
    pub availability_requests: Estimate,
    /// Downtime in minutes per year (from time-based availability).
    pub downtime_min_per_year: Estimate,
    /// Recovery time: from a population losing service until it is fully served again (the last
    /// client back), seconds.
    pub rto_s: Percentiles,
    /// Recovery time until half of the share a population lost is served again, seconds.
    #[serde(default)]
    pub rto_half_s: Percentiles,
    /// Recovery times per population.
    #[serde(default)]
    pub rto_by_population: BTreeMap<String, PopulationRto>,
    /// Availability per population (by requests and by time).
    #[serde(default)]
    pub availability_by_population: BTreeMap<String, PopulationAvailability>,
    /// Data-loss window when a store taking writes fails, seconds.
    pub rpo_s: Percentiles,
    /// RTO and RPO of the incidents each kind of disruption caused (kinds with none left out).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recovery_by_disruption: BTreeMap<Disruption, DisruptionRecovery>,
    /// RTO histogram.
    pub rto_histogram: Vec<Bucket>,
    /// RPO histogram.
    pub rpo_histogram: Vec<Bucket>,
    /// Writes lost per run.
    pub writes_lost: Estimate,
    /// Conflicting writes per day in multi-writer stores.
    pub conflicts_per_day: Estimate,
    /// Reads per day that may return stale data: eventually consistent replicas read an item
    /// written elsewhere within the replication lag.
    #[serde(default)]
    pub stale_reads_per_day: Estimate,
    /// Share of the reads served by datastores that may be stale.
    #[serde(default)]
    pub stale_read_share: Estimate,
    /// Common-cause failures (bad changes reaching a deployment group) per run.
    #[serde(default)]
    pub common_cause_failures: Estimate,
    /// Regions a staggered bad change reached beyond the first, per common-cause failure.
    #[serde(default)]
    pub common_cause_extra_regions: f64,
    /// Time failures waited for a repair crew, seconds (empty without a crew limit).
    #[serde(default)]
    pub repair_wait_s: Percentiles,
    /// Latency per population.
    pub latency: BTreeMap<String, PopulationLatency>,
    /// Data law per population.
    pub data_law: BTreeMap<String, DataLawSummary>,
    /// Availability and data law over time.
    pub timeline: Timeline,
    /// Where recovery time went: count and mean of each phase (detection, decision, traffic
    /// switch, restore and deploy, scale-out, promotion) over every run.
    #[serde(default)]
    pub recovery_phases: RecoveryPhases,
    /// Events simulated in all runs.
    pub events_simulated: u64,
    /// Round trips the latency figures rest on that have no measurement (estimated from distance).
    #[serde(default)]
    pub estimated_round_trips: Vec<meridian_model::latency::PairRtt>,
    /// Each run's figures, when asked for ([`crate::SimOptions::keep_runs`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub per_run: Vec<RunFigures>,
}

/// Wall-clock figures of a scenario run (not deterministic, so kept out of [`SimResults`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    /// Threads used.
    pub threads: usize,
    /// Wall-clock seconds.
    pub wall_s: f64,
    /// Events per wall-clock second.
    pub events_per_s: f64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    fn add(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    fn estimate(&self) -> Estimate {
        if self.n < 2 {
            return Estimate { mean: self.mean, ci95_low: self.mean, ci95_high: self.mean };
        }
        let se = (self.m2 / (self.n - 1) as f64 / self.n as f64).sqrt();
        Estimate { mean: self.mean, ci95_low: self.mean - 1.96 * se, ci95_high: self.mean + 1.96 * se }
    }
}

/// Merges runs, in index order, into fixed-size accumulators.
pub struct Aggregate {
    seed: u64,
    a_time: Welford,
    a_req: Welford,
    lost: Welford,
    conflicts: Welford,
    stale: Welford,
    stale_share: Welford,
    ccf: Welford,
    ccf_events: u64,
    ccf_waves: u64,
    rto: Histogram<u64>,
    rto_half: Histogram<u64>,
    pop_rto: Vec<(Histogram<u64>, Histogram<u64>)>,
    /// Per population: (requests, time) availability over runs.
    pop_avail: Vec<(Welford, Welford)>,
    repair_wait: Histogram<u64>,
    per_run: Option<Vec<RunFigures>>,
    rpo: Histogram<u64>,
    /// Per kind of disruption, in [`Disruption::ALL`] order: (RTO, RPO).
    by_cause: Vec<(Histogram<u64>, Histogram<u64>)>,
    latency: Vec<(Histogram<u64>, Histogram<u64>)>,
    /// Per population: each run's P99 latency (normal, incident), microseconds.
    run_p99: Vec<(Histogram<u64>, Histogram<u64>)>,
    law: Vec<[f64; 3]>,
    bin_requests: Vec<f64>,
    bin_served: Vec<f64>,
    bin_law: Vec<Vec<f64>>,
    phases: PhaseTally,
    events: u64,
    runs: u64,
}

/// Salt of the latency sampling stream, so it differs from the run's own stream.
pub const LATENCY_SALT: u64 = 0x4C41_5445_4E43_5921;

impl Aggregate {
    /// Empty accumulators for `c`.
    pub fn new(c: &Compiled, seed: u64, bins: usize) -> Result<Self, SimError> {
        let max = c.horizon_us.max(1_000_000) * 2;
        let mut latency = Vec::new();
        let mut pop_rto = Vec::new();
        let mut run_p99 = Vec::new();
        for _ in &c.populations {
            latency.push((histogram(100_000_000)?, histogram(100_000_000)?));
            run_p99.push((histogram(100_000_000)?, histogram(100_000_000)?));
            pop_rto.push((histogram(max)?, histogram(max)?));
        }
        Ok(Aggregate {
            seed,
            a_time: Welford::default(),
            a_req: Welford::default(),
            lost: Welford::default(),
            conflicts: Welford::default(),
            stale: Welford::default(),
            stale_share: Welford::default(),
            ccf: Welford::default(),
            ccf_events: 0,
            ccf_waves: 0,
            rto: histogram(max)?,
            rto_half: histogram(max)?,
            pop_rto,
            pop_avail: vec![(Welford::default(), Welford::default()); c.populations.len()],
            repair_wait: histogram(max)?,
            per_run: None,
            rpo: histogram(max)?,
            by_cause: Disruption::ALL
                .iter()
                .map(|_| Ok((histogram(max)?, histogram(max)?)))
                .collect::<Result<_, SimError>>()?,
            latency,
            run_p99,
            law: vec![[0.0; 3]; c.populations.len()],
            bin_requests: vec![0.0; bins],
            bin_served: vec![0.0; bins],
            bin_law: vec![vec![0.0; bins]; c.populations.len()],
            phases: PhaseTally::default(),
            events: 0,
            runs: 0,
        })
    }

    /// Keeps each run's figures for [`SimResults::per_run`].
    pub fn keep_runs(&mut self) {
        self.per_run.get_or_insert_with(Vec::new);
    }

    /// Adds run `run`; call in increasing run order.
    pub fn add(&mut self, c: &Compiled, run: u64, s: &RunStats) -> Result<(), SimError> {
        self.runs += 1;
        self.events += s.events;
        let a_time = if s.demand_weighted > 0.0 { s.up_weighted / s.demand_weighted } else { 1.0 };
        let a_req = if s.requests > 0.0 { s.served / s.requests } else { 1.0 };
        self.a_time.add(a_time);
        self.a_req.add(a_req);
        for (acc, &(sent, served, up_s)) in self.pop_avail.iter_mut().zip(&s.pop_served) {
            acc.0.add(if sent > 0.0 { served / sent } else { 1.0 });
            acc.1.add(if s.covered_s > 0.0 { up_s / s.covered_s } else { 1.0 });
        }
        self.lost.add(s.writes_lost);
        let days = c.horizon_us as f64 / 86_400e6;
        self.conflicts.add(if days > 0.0 { s.conflicts / days } else { 0.0 });
        self.stale.add(if days > 0.0 { s.stale_reads / days } else { 0.0 });
        self.stale_share.add(if s.store_reads > 0.0 { s.stale_reads / s.store_reads } else { 0.0 });
        self.ccf.add(f64::from(s.common_cause_events));
        self.ccf_events += u64::from(s.common_cause_events);
        self.ccf_waves += u64::from(s.common_cause_extra_waves);
        for &v in &s.rto_us {
            self.rto.saturating_record(v.max(1));
        }
        for o in &s.outages {
            self.rto_half.saturating_record(o.half_us.max(1));
            if let Some((half, last)) = self.pop_rto.get_mut(o.pop as usize) {
                half.saturating_record(o.half_us.max(1));
                last.saturating_record(o.last_us.max(1));
            }
        }
        for &v in &s.repair_waits_us {
            self.repair_wait.saturating_record(v.max(1));
        }
        if let Some(runs) = self.per_run.as_mut() {
            let max_s = |v: &[u64]| v.iter().copied().max().unwrap_or(0) as f64 / 1e6;
            let half: Vec<u64> = s.outages.iter().map(|o| o.half_us).collect();
            runs.push(RunFigures {
                run,
                availability_time: a_time,
                availability_requests: a_req,
                downtime_min: (1.0 - a_time) * c.horizon_us as f64 / 60e6,
                requests_lost: s.requests - s.served,
                outages: s.rto_us.len() as u64,
                rto_max_s: max_s(&s.rto_us),
                rto_half_max_s: max_s(&half),
                rpo_max_s: max_s(&s.rpo_us),
                writes_lost: s.writes_lost,
                conflicts: s.conflicts,
                stale_reads: s.stale_reads,
                common_cause_failures: s.common_cause_events,
                events: s.events,
            });
        }
        for &v in &s.rpo_us {
            self.rpo.saturating_record(v.max(1));
        }
        for &(d, v) in &s.rto_by_cause {
            if let Some((rto, _)) = self.by_cause.get_mut(crate::cause::index(d)) {
                rto.saturating_record(v.max(1));
            }
        }
        for &(d, v) in &s.rpo_by_cause {
            if let Some((_, rpo)) = self.by_cause.get_mut(crate::cause::index(d)) {
                rpo.saturating_record(v.max(1));
            }
        }
        s.record_latency(&mut self.latency)?;
        for ((normal, incident), [n, i]) in self.run_p99.iter_mut().zip(s.run_p99_us(c.populations.len())) {
            if let Some(v) = n {
                normal.saturating_record(v.max(1));
            }
            if let Some(v) = i {
                incident.saturating_record(v.max(1));
            }
        }
        for (acc, l) in self.law.iter_mut().zip(&s.law) {
            acc[0] += l.minutes;
            acc[1] += l.requests;
            acc[2] += l.writes;
        }
        for (acc, v) in self.bin_requests.iter_mut().zip(&s.bin_requests) {
            *acc += v;
        }
        for (acc, v) in self.bin_served.iter_mut().zip(&s.bin_served) {
            *acc += v;
        }
        self.phases.merge(&s.phases);
        for (acc, v) in self.bin_law.iter_mut().zip(&s.bin_law_minutes) {
            for (a, x) in acc.iter_mut().zip(v) {
                *a += x;
            }
        }
        Ok(())
    }

    /// Events merged so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// RTO and RPO of each kind of disruption that caused an incident.
    fn by_disruption(&self) -> BTreeMap<Disruption, DisruptionRecovery> {
        Disruption::ALL
            .into_iter()
            .zip(&self.by_cause)
            .filter(|(_, (rto, rpo))| !rto.is_empty() || !rpo.is_empty())
            .map(|(d, (rto, rpo))| {
                (d, DisruptionRecovery { rto_s: percentiles(rto), rpo_s: percentiles(rpo) })
            })
            .collect()
    }

    /// The results.
    pub fn finish(&self, c: &Compiled, design: &str, scenario: &str, runs: u32) -> SimResults {
        let n = self.runs.max(1) as f64;
        let year_min = 365.25 * 24.0 * 60.0;
        let at = self.a_time.estimate();
        let latency = c
            .populations
            .iter()
            .zip(self.latency.iter().zip(&self.run_p99))
            .map(|(p, ((n, i), (rn, ri)))| {
                let (normal, incident) = (latency_summary(n, rn), latency_summary(i, ri));
                (p.id.clone(), PopulationLatency { normal, incident })
            })
            .collect();
        let data_law = c
            .populations
            .iter()
            .zip(&self.law)
            .map(|(p, l)| {
                (
                    p.id.clone(),
                    DataLawSummary {
                        allowed: p.allowed.clone(),
                        minutes_per_run: l[0] / n,
                        requests_per_run: l[1] / n,
                        writes_per_run: l[2] / n,
                    },
                )
            })
            .collect();
        let bins = self.bin_requests.len().max(1);
        SimResults {
            design: design.to_owned(),
            scenario: scenario.to_owned(),
            runs,
            seed: self.seed,
            horizon_s: c.horizon_us as f64 / 1e6,
            availability_time: at,
            availability_requests: self.a_req.estimate(),
            downtime_min_per_year: Estimate {
                mean: (1.0 - at.mean) * year_min,
                ci95_low: (1.0 - at.ci95_high) * year_min,
                ci95_high: (1.0 - at.ci95_low) * year_min,
            },
            rto_s: percentiles(&self.rto),
            rto_half_s: percentiles(&self.rto_half),
            rto_by_population: c
                .populations
                .iter()
                .zip(&self.pop_rto)
                .map(|(p, (h, l))| {
                    (p.id.clone(), PopulationRto { half_s: percentiles(h), last_s: percentiles(l) })
                })
                .collect(),
            availability_by_population: c
                .populations
                .iter()
                .zip(&self.pop_avail)
                .map(|(p, (r, t))| {
                    (p.id.clone(), PopulationAvailability { requests: r.estimate(), time: t.estimate() })
                })
                .collect(),
            rpo_s: percentiles(&self.rpo),
            recovery_by_disruption: self.by_disruption(),
            rto_histogram: buckets(&self.rto),
            rpo_histogram: buckets(&self.rpo),
            writes_lost: self.lost.estimate(),
            conflicts_per_day: self.conflicts.estimate(),
            stale_reads_per_day: self.stale.estimate(),
            stale_read_share: self.stale_share.estimate(),
            common_cause_failures: self.ccf.estimate(),
            common_cause_extra_regions: if self.ccf_events > 0 {
                self.ccf_waves as f64 / self.ccf_events as f64
            } else {
                0.0
            },
            repair_wait_s: percentiles(&self.repair_wait),
            latency,
            data_law,
            timeline: Timeline {
                bin_s: c.horizon_us as f64 / 1e6 / bins as f64,
                availability: self
                    .bin_requests
                    .iter()
                    .zip(&self.bin_served)
                    .map(|(r, s)| if *r > 0.0 { s / r } else { 1.0 })
                    .collect(),
                data_law_minutes: c
                    .populations
                    .iter()
                    .zip(&self.bin_law)
                    .map(|(p, v)| (p.id.clone(), v.iter().map(|x| x / n).collect()))
                    .collect(),
            },
            recovery_phases: self.phases.summary(),
            events_simulated: self.events,
            estimated_round_trips: c.estimated_round_trips.clone(),
            per_run: self.per_run.clone().unwrap_or_default(),
        }
    }
}

/// Percentiles of the durations in `h` (microseconds), in seconds, with their intervals.
pub fn percentiles(h: &Histogram<u64>) -> Percentiles {
    if h.is_empty() {
        return Percentiles::default();
    }
    let n = h.len();
    let at = |q: f64| h.value_at_quantile(q) as f64 / 1e6;
    let mean = h.mean() / 1e6;
    let se = if n > 1 { h.stdev() / 1e6 / (n as f64).sqrt() } else { 0.0 };
    Percentiles {
        count: n,
        min: h.min() as f64 / 1e6,
        mean,
        p50: at(0.5),
        p95: at(0.95),
        p99: at(0.99),
        max: h.max() as f64 / 1e6,
        mean_ci95: [mean - 1.96 * se, mean + 1.96 * se],
        p50_ci95: quantile_ci(h, 0.5),
        p95_ci95: quantile_ci(h, 0.95),
        p99_ci95: quantile_ci(h, 0.99),
    }
}

/// The distribution-free 95% interval of quantile `q`: the order statistics at ranks
/// `n q -/+ 1.96 sqrt(n q (1 - q))` (normal approximation of the binomial count below it).
///
/// When a rank falls outside `1..=n`, the extreme sample still bounds that side if the exact
/// binomial tail allows it: the largest sample lies above the quantile with probability
/// `1 - q^n`, the smallest below it with `1 - (1 - q)^n`; at 97.5% or more it is the bound.
/// Otherwise no sample is far enough out and the interval is open on that side: its lower end
/// is 0 (no duration is shorter), its upper end [`f64::INFINITY`] ("unbounded": three
/// incidents cannot say how long a P95 recovery may be). Clamping to the extreme sample
/// instead would claim a certainty a handful of incidents cannot give.
fn quantile_ci(h: &Histogram<u64>, q: f64) -> [f64; 2] {
    let n = h.len() as f64;
    let half = 1.96 * (n * q * (1.0 - q)).sqrt();
    let (lo, hi) = ((n * q - half).floor(), (n * q + half).ceil() + 1.0);
    // The value at 1-based rank j is the quantile just below j / n.
    let value = |j: f64| h.value_at_quantile((j - 0.5) / n) as f64 / 1e6;
    let tail_ok = |p: f64| 1.0 - p.powf(n) >= 0.975;
    let low = if lo >= 1.0 {
        value(lo)
    } else if tail_ok(1.0 - q) {
        value(1.0)
    } else {
        0.0
    };
    let high = if hi <= n {
        value(hi)
    } else if tail_ok(q) {
        value(n)
    } else {
        f64::INFINITY
    };
    [low, high]
}

/// Reads an interval whose upper end may be `null` (unbounded, see [`quantile_ci`]): JSON has no
/// infinity, so `serde_json` writes it as `null`.
fn open_interval<'de, D: serde::Deserializer<'de>>(d: D) -> Result<[f64; 2], D::Error> {
    let [lo, hi] = <[Option<f64>; 2]>::deserialize(d)?;
    Ok([lo.unwrap_or(0.0), hi.unwrap_or(f64::INFINITY)])
}

/// About 30 log-spaced bars between the smallest and largest sample.
fn buckets(h: &Histogram<u64>) -> Vec<Bucket> {
    if h.is_empty() {
        return Vec::new();
    }
    let lo = (h.min().max(1) as f64).ln();
    let hi = (h.max().max(2) as f64).ln();
    let n = 30;
    let mut out = Vec::with_capacity(n);
    let mut prev = 0u64;
    for k in 1..=n {
        let upper = if k == n { h.max() } else { (lo + (hi - lo) * k as f64 / n as f64).exp() as u64 };
        let below = h
            .iter_recorded()
            .filter(|v| v.value_iterated_to() <= upper)
            .map(|v| v.count_at_value())
            .sum::<u64>();
        out.push(Bucket { upper_s: upper as f64 / 1e6, count: below.saturating_sub(prev) });
        prev = below;
    }
    out
}

/// The latency of all sampled requests in `h`, and the runs' P99s in `runs` (microseconds).
fn latency_summary(h: &Histogram<u64>, runs: &Histogram<u64>) -> LatencySummary {
    if h.is_empty() {
        return LatencySummary::default();
    }
    // In seconds from `percentiles`, so x 1000 for milliseconds.
    let per_run = percentiles(runs);
    let q = |x: f64| h.value_at_quantile(x) as f64 / 1e3;
    LatencySummary {
        requests: h.len(),
        p50_ms: q(0.5),
        p95_ms: q(0.95),
        p99_ms: q(0.99),
        cdf: (0..=49)
            .map(|k| {
                let f = f64::from(k) / 49.0 * 0.999;
                (q(f), f)
            })
            .collect(),
        runs: per_run.count,
        run_p99_ms: per_run.p50 * 1e3,
        run_p99_ci95_ms: [per_run.p50_ci95[0] * 1e3, per_run.p50_ci95[1] * 1e3],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_twenty_runs_p99s_has_the_order_statistic_interval() {
        // Twenty runs whose P99s are 1, 2, ..., 20 ms. The median's 95% interval: ranks
        // 10 -/+ 1.96 sqrt(20 x 0.25) = 10 -/+ 4.38, so floor(5.62) = 5 and ceil(14.38) + 1 = 16.
        let mut runs = crate::world::histogram(100_000_000).expect("histogram");
        let mut all = crate::world::histogram(100_000_000).expect("histogram");
        for ms in 1..=20u64 {
            runs.record(ms * 1000).expect("record");
            all.record(ms * 1000).expect("record");
        }
        let s = latency_summary(&all, &runs);
        assert_eq!(s.runs, 20);
        assert!((s.run_p99_ms - 10.0).abs() < 0.01, "{}", s.run_p99_ms);
        assert!((s.run_p99_ci95_ms[0] - 5.0).abs() < 0.01, "{:?}", s.run_p99_ci95_ms);
        assert!((s.run_p99_ci95_ms[1] - 16.0).abs() < 0.02, "{:?}", s.run_p99_ci95_ms);
    }

    fn histogram_of(seconds: &[u64]) -> Histogram<u64> {
        let mut h = crate::world::histogram(100_000_000_000).expect("histogram");
        for s in seconds {
            h.record(s * 1_000_000).expect("record");
        }
        h
    }

    #[test]
    fn a_p95_from_three_incidents_is_unbounded_above() {
        // Ranks for n = 3, q = 0.95: 2.85 -/+ 1.96 sqrt(0.1425) = 2.85 -/+ 0.74, so floor(2.11) = 2
        // and ceil(3.59) + 1 = 5 > 3, and the largest of three lies above the P95 with probability
        // 1 - 0.95^3 = 0.14 only: no sample bounds the P95 from above.
        let p = percentiles(&histogram_of(&[600, 660, 720]));
        assert!((p.p95_ci95[0] - 660.0).abs() < 1.0, "{:?}", p.p95_ci95);
        assert!(p.p95_ci95[1].is_infinite(), "{:?}", p.p95_ci95);
        // One sample: every percentile's interval is open on both sides.
        let one = percentiles(&histogram_of(&[600]));
        assert!(one.p50_ci95[0].abs() < 1e-12, "{:?}", one.p50_ci95);
        assert!(one.p50_ci95[1].is_infinite());
    }

    #[test]
    fn enough_incidents_bound_the_p95() {
        // 100 samples 1..=100 s: ranks 95 -/+ 1.96 sqrt(4.75) = 95 -/+ 4.27, so 90 and 101 > 100;
        // the largest sample is above the P95 with probability 1 - 0.95^100 = 0.994, so it bounds
        // it. 50 samples: 1 - 0.95^50 = 0.92 < 0.975, open. 200 samples (190 -/+ 6.04: 183 and
        // 198) are bounded by inner ranks.
        let hundred: Vec<u64> = (1..=100).collect();
        let p = percentiles(&histogram_of(&hundred));
        assert!(
            (p.p95_ci95[0] - 90.0).abs() < 1.0 && (p.p95_ci95[1] - 100.0).abs() < 1.0,
            "{:?}",
            p.p95_ci95
        );
        let fifty: Vec<u64> = (1..=50).collect();
        assert!(percentiles(&histogram_of(&fifty)).p95_ci95[1].is_infinite());
        let two_hundred: Vec<u64> = (1..=200).collect();
        let p = percentiles(&histogram_of(&two_hundred));
        assert!((p.p95_ci95[0] - 183.0).abs() < 1.0, "{:?}", p.p95_ci95);
        assert!((p.p95_ci95[1] - 198.0).abs() < 1.0, "{:?}", p.p95_ci95);
    }

    #[test]
    fn an_open_interval_survives_json() {
        let p = percentiles(&histogram_of(&[600, 660, 720]));
        let text = serde_json::to_string(&p).expect("json");
        assert!(text.contains("\"p95_ci95\":[660.0,null]") || text.contains("null]"), "{text}");
        let back: Percentiles = serde_json::from_str(&text).expect("read back");
        assert!(back.p95_ci95[1].is_infinite());
        assert_eq!(back.p95_ci95[0].to_bits(), p.p95_ci95[0].to_bits());
    }
}
