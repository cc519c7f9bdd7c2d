//! The record of where each population was served over a traced run, in the form the data-law
//! check reads (`meridian_model::compliance::ScenarioRecord`).
//!
//! Each frame of the trace says which regions served each population and what share of its
//! requests was served. Requests in a frame are the population's rate times the frame's length
//! times that share, split evenly over the serving regions; writes are the write fraction of them.
//! Writes are recorded in the region that served the request (true for multi-writer stores; for a
//! single-writer store the write travels on to its writer region, which the static check's
//! replication paths already cover). Consecutive frames with the same serving region are merged.

use std::collections::BTreeMap;

use meridian_model::compliance::{ScenarioRecord, ServedInterval};
use meridian_model::time::TimeSpan;
use meridian_model::{Design, PopulationId, RegionId};

use crate::trace::Trace;

/// The served intervals of `trace` for `design`, labelled `scenario`.
pub fn served_record(trace: &Trace, design: &Design, scenario: &str) -> ScenarioRecord {
    // Open interval per (population, region): start, requests, writes; closed when the region stops serving.
    let mut open: BTreeMap<(usize, usize), (u64, f64, f64)> = BTreeMap::new();
    let mut served = Vec::new();
    let close = |key: (usize, usize), end: u64, acc: (u64, f64, f64), served: &mut Vec<ServedInterval>| {
        let (start, requests, writes) = acc;
        if end > start {
            served.push(ServedInterval {
                population: PopulationId::new(trace.populations[key.0].clone()),
                region: RegionId::new(trace.regions[key.1].clone()),
                start: TimeSpan::from_micros(start),
                end: TimeSpan::from_micros(end),
                requests: requests.round() as u64,
                writes: writes.round() as u64,
            });
        }
    };
    for (i, frame) in trace.frames.iter().enumerate() {
        let end = trace.frames.get(i + 1).map_or(trace.horizon_us, |f| f.t_us).max(frame.t_us);
        let secs = (end - frame.t_us) as f64 / 1e6;
        let mut now: BTreeMap<(usize, usize), (f64, f64)> = BTreeMap::new();
        for (p, regions) in frame.serving_regions.iter().enumerate() {
            let Some(pop) =
                trace.populations.get(p).and_then(|id| design.population(&PopulationId::new(id.clone())))
            else {
                continue;
            };
            let share = frame.served.get(p).copied().unwrap_or(0.0);
            if regions.is_empty() || share <= 0.0 {
                continue;
            }
            let requests = pop.requests_per_sec * secs * share / regions.len() as f64;
            for &r in regions {
                now.insert((p, r), (requests, requests * pop.write_fraction));
            }
        }
        // Close intervals whose region stopped serving; extend or open the others.
        let stopped: Vec<(usize, usize)> = open.keys().filter(|k| !now.contains_key(k)).copied().collect();
        for key in stopped {
            if let Some(acc) = open.remove(&key) {
                close(key, frame.t_us, acc, &mut served);
            }
        }
        for (key, (requests, writes)) in now {
            let acc = open.entry(key).or_insert((frame.t_us, 0.0, 0.0));
            acc.1 += requests;
            acc.2 += writes;
        }
    }
    for (key, acc) in std::mem::take(&mut open) {
        close(key, trace.horizon_us, acc, &mut served);
    }
    served.sort_by(|a, b| (&a.population, &a.region, a.start).cmp(&(&b.population, &b.region, b.start)));
    ScenarioRecord { scenario: scenario.to_owned(), served }
}
