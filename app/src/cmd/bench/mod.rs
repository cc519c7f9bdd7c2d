//! `meridian bench`: named benchmarks printing `key=value` figures, the headline on the last line.

mod batch;
mod export;
#[cfg(feature = "gui")]
mod gui;
mod load;

use std::path::Path;
use std::time::Instant;

use meridian_model::{cost, format, synth};
use meridian_sim::reference::{ReferenceParams, run_reference};
use meridian_sim::{SimOptions, builtin, simulate};

use crate::cli::{Bench, BenchArgs};
use crate::exit;

/// Runs `meridian bench`.
pub fn run(args: &BenchArgs) -> anyhow::Result<u8> {
    match args.what {
        Bench::Load { services, iterations, shape, scale_to } => {
            load::run(services as usize, iterations as usize, shape, scale_to.map(|n| n as usize))
        }
        #[cfg(feature = "gui")]
        Bench::Gui { services, frames } => gui::run(services as usize, frames as usize),
        Bench::Cost { services, iterations } => cost(services as usize, iterations as usize),
        Bench::Sim { components, mttf, mttr, rate, horizon, seed } => {
            sim(&ReferenceParams { components: components as usize, mttf, mttr, rate, horizon, seed })
        }
        Bench::Batch { designs, scenarios, runs, ref horizon } => {
            batch::run(designs, scenarios, runs, horizon.as_deref())
        }
        Bench::Export { services, format } => export::run(services as usize, format),
        Bench::Montecarlo { runs, ref design, ref scenario, threads } => {
            montecarlo(runs, design, scenario, threads)
        }
    }
}

/// Median of `samples` (in whatever unit they are).
pub(super) fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Recomputes the bill of a generated design `iterations` times.
fn cost(services: usize, iterations: usize) -> anyhow::Result<u8> {
    let catalog = crate::cmd::catalog()?;
    let prices = crate::cmd::cost::builtin_prices()?;
    let design = synth::generate(catalog, services, 12)?;
    let options = cost::CostOptions::default();
    let mut samples = Vec::with_capacity(iterations);
    let mut bill = cost::bill_with(&design, Some(catalog), prices, &options);
    for _ in 0..iterations {
        let start = Instant::now();
        bill = cost::bill_with(&design, Some(catalog), prices, &options);
        samples.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    let reference = reference_events_per_s()?;
    crate::outln!(
        "regions={} links={} lines={} unpriced={} iterations={iterations} usd_per_month={:.2}",
        design.regions().len(),
        design.links().len(),
        bill.lines.len(),
        bill.unpriced.len(),
        bill.total_usd_per_month
    );
    crate::outln!("min_ms={min:.3} max_ms={max:.3} reference_events_per_s={reference:.0}");
    crate::outln!("services={} ms={:.3}", design.services().len(), median_ms(samples));
    Ok(exit::SUCCESS)
}

/// The speed of this machine in the same run, for comparing `bench cost` figures taken on
/// different machines or under different loads: the simulator's reference model (`bench sim`'s
/// defaults) over a hundredth of its horizon, about a million events, in events per second.
fn reference_events_per_s() -> anyhow::Result<f64> {
    let p = ReferenceParams { components: 50, mttf: 99.0, mttr: 1.0, rate: 1.0, horizon: 5e5, seed: 1 };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    let out = run_reference(&p, &cancel)?;
    Ok(out.events as f64 / start.elapsed().as_secs_f64())
}

/// Runs the simulator's reference model through the real engine.
/// The most events `bench sim` may be asked for: 100 times the defaults' (minutes, not hours, at
/// the reference speed of about 16 million events a second).
const MAX_REFERENCE_EVENTS: f64 = 1e10;

/// The events a reference run is expected to handle: the requests, and a failure and a repair per
/// component per mean cycle.
fn expected_events(p: &ReferenceParams) -> f64 {
    p.horizon * (p.rate + 2.0 * p.components as f64 / (p.mttf + p.mttr))
}

fn sim(p: &ReferenceParams) -> anyhow::Result<u8> {
    for (name, v) in [("mttf", p.mttf), ("mttr", p.mttr), ("rate", p.rate), ("horizon", p.horizon)] {
        if !(v.is_finite() && v > 0.0) {
            return Err(exit::BadInput(format!("--{name} must be a positive number, not {v}")).into());
        }
    }
    let events = expected_events(p);
    if events.is_nan() || events > MAX_REFERENCE_EVENTS {
        return Err(exit::BadInput(format!(
            "--horizon {} with --components {}, --mttf {}, --mttr {} and --rate {} is about {events:.1e} events; \
             at most {MAX_REFERENCE_EVENTS:.0e} (the defaults are about 1e8)",
            p.horizon, p.components, p.mttf, p.mttr, p.rate
        ))
        .into());
    }
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    let out = run_reference(p, &cancel)?;
    let wall = start.elapsed().as_secs_f64();
    crate::outln!(
        "components={} mttf={} mttr={} rate={} horizon={} seed={}",
        p.components,
        p.mttf,
        p.mttr,
        p.rate,
        p.horizon,
        p.seed
    );
    crate::outln!(
        "requests={} request_success={:.6} availability_theory={:.6} wall_s={wall:.3}",
        out.requests,
        out.requests_ok as f64 / out.requests.max(1) as f64,
        p.mttf / (p.mttf + p.mttr)
    );
    crate::outln!(
        "events={} events_per_s={:.0} availability={:.6}",
        out.events,
        out.events as f64 / wall,
        out.availability
    );
    Ok(exit::SUCCESS)
}

/// Runs a built-in scenario on a design for many runs and reports the throughput.
fn montecarlo(runs: u32, design: &Path, scenario: &str, threads: usize) -> anyhow::Result<u8> {
    let catalog = crate::cmd::catalog()?;
    let loaded = format::load_file(design, catalog)?;
    let scen = builtin(scenario, &loaded.design, catalog)
        .ok_or_else(|| exit::BadInput(format!("`{scenario}` is not a built-in scenario")))?;
    let options = SimOptions { runs: Some(runs), threads, ..SimOptions::default() };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let out = simulate(&loaded.design, catalog, &scen, &options, &|_| {}, &cancel)?;
    let r = &out.results;
    crate::outln!(
        "design={} scenario={} horizon_s={} threads={} events={} events_per_s={:.0}",
        design.display(),
        scenario,
        r.horizon_s,
        out.timing.threads,
        r.events_simulated,
        out.timing.events_per_s
    );
    crate::outln!(
        "availability_time={:.7} downtime_min_per_year={:.2}",
        r.availability_time.mean,
        r.downtime_min_per_year.mean
    );
    crate::outln!(
        "runs={runs} seconds={:.3} runs_per_s={:.1}",
        out.timing.wall_s,
        f64::from(runs) / out.timing.wall_s
    );
    Ok(exit::SUCCESS)
}
