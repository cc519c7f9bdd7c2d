//! The built-in scenarios, built for a given design by name.
//!
//! - `region-outage`: each region in turn is down for 2 h (at 1 h, 7 h, ...; 6 h per region).
//! - `az-outage`: each AZ in turn is down for 1 h (4 h per AZ).
//! - `partition`: the network between each pair of regions is cut for 30 min (3 h per pair).
//! - `random-year`: a year of random failures of everything, 1,000 Monte Carlo runs.
//! - `gdpr-failover`: each region holding data of a population restricted to its jurisdiction
//!   (by the default data-law predicate) is down in turn for 2 h: where do those users go?
//! - `primary-outage`: the primary region (the one nearest the most requests, the region every
//!   strategy variant serves from) is down for 4 h at the peak hour's traffic (each population's
//!   rate times the workload's `peak_to_average`): the disaster-recovery comparison of
//!   `docs/strategies.md`, where a standby that must scale out to the peak shows it.
//!
//! The scheduled scenarios turn random failures off and use 100 runs (20 for AZs and partitions)
//! so health-check timing and replication lag are sampled.

use meridian_model::Design;
use meridian_model::catalog::Catalog;
use meridian_model::time::TimeSpan;
use meridian_model::variants::primary_region;

use crate::datalaw::{DataLawPredicate, DefaultDataLaw};
use crate::scenario::{Injection, Processes, Scenario, Target, TrafficOverride};

/// Names of the built-in scenarios.
pub const BUILTIN_NAMES: [&str; 6] =
    ["region-outage", "az-outage", "partition", "random-year", "gdpr-failover", "primary-outage"];

fn scheduled(name: &str, targets: Vec<Target>, slot: TimeSpan, down: TimeSpan, runs: u32) -> Scenario {
    let slot_us = slot.as_micros();
    let injections: Vec<Injection> = targets
        .into_iter()
        .enumerate()
        .map(|(i, target)| Injection {
            target,
            at: TimeSpan::from_micros(i as u64 * slot_us + 3_600_000_000),
            duration: down,
        })
        .collect();
    let slots = injections.len().max(1) as u64;
    Scenario {
        name: name.to_owned(),
        horizon: TimeSpan::from_micros(slots * slot_us),
        runs,
        seed: 1,
        random_failures: Processes::NONE,
        injections,
        failure_overrides: Vec::new(),
        traffic: Vec::new(),
        instant_failover: false,
    }
}

/// The built-in scenario `name` for `design`, or `None` for an unknown name.
pub fn builtin(name: &str, design: &Design, catalog: &Catalog) -> Option<Scenario> {
    let regions: Vec<String> = design.regions().map(|r| r.id.to_string()).collect();
    let h = |n: u64| TimeSpan::from_secs(n * 3600);
    match name {
        "region-outage" => {
            Some(scheduled(name, regions.into_iter().map(Target::Region).collect(), h(6), h(2), 100))
        }
        "az-outage" => {
            let azs = design.regions().flat_map(|r| r.azs.iter().cloned()).map(Target::Az).collect();
            Some(scheduled(name, azs, h(4), h(1), 20))
        }
        "partition" => {
            let mut pairs = Vec::new();
            for (i, a) in regions.iter().enumerate() {
                for b in &regions[i + 1..] {
                    pairs.push(Target::Partition(a.clone(), b.clone()));
                }
            }
            Some(scheduled(name, pairs, h(3), TimeSpan::from_secs(1800), 20))
        }
        "random-year" => Some(Scenario {
            name: name.to_owned(),
            horizon: TimeSpan::YEAR,
            runs: 1000,
            seed: 1,
            random_failures: Processes::default(),
            injections: Vec::new(),
            failure_overrides: Vec::new(),
            traffic: Vec::new(),
            instant_failover: false,
        }),
        "gdpr-failover" => {
            let law = DefaultDataLaw;
            let allowed: Vec<String> =
                design.populations().filter_map(|p| law.allowed_jurisdictions(p)).flatten().collect();
            let mut targets: Vec<Target> = regions
                .iter()
                .filter(|r| catalog.region(r).is_some_and(|info| allowed.contains(&info.jurisdiction)))
                .cloned()
                .map(Target::Region)
                .collect();
            if targets.is_empty() {
                targets = regions.into_iter().map(Target::Region).collect();
            }
            Some(scheduled(name, targets, h(6), h(2), 100))
        }
        "primary-outage" => Some(primary_outage(design, catalog)),
        _ => None,
    }
}

/// `primary-outage`: the primary region down from 1 h for 4 h of a 12 h horizon, every
/// population at its peak rate, 200 runs (operator response, restores and launches are drawn).
fn primary_outage(design: &Design, catalog: &Catalog) -> Scenario {
    let h = |n: u64| TimeSpan::from_secs(n * 3600);
    let peak = design.workload().peak_to_average.max(1.0);
    Scenario {
        name: "primary-outage".to_owned(),
        horizon: h(12),
        runs: 200,
        seed: 1,
        random_failures: Processes::NONE,
        injections: primary_region(design, catalog)
            .map(|r| Injection { target: Target::Region(r.to_string()), at: h(1), duration: h(4) })
            .into_iter()
            .collect(),
        failure_overrides: Vec::new(),
        traffic: design
            .populations()
            .map(|p| TrafficOverride {
                population: p.id.to_string(),
                requests_per_sec: Some(p.requests_per_sec * peak),
                write_fraction: None,
            })
            .collect(),
        instant_failover: false,
    }
}
