//! `meridian bench`: named benchmarks printing `key=value` figures, the headline on the last line.

use std::path::Path;
use std::time::Instant;

use meridian_model::{cost, format, synth, validate};

use crate::cli::{Bench, BenchArgs};
use crate::exit;

/// Runs `meridian bench`.
pub fn run(args: &BenchArgs) -> anyhow::Result<u8> {
    match args.what {
        Bench::Load { services, iterations } => load(services as usize, iterations as usize),
        Bench::Cost { services, iterations } => cost(services as usize, iterations as usize),
    }
}

/// Median of `samples` in milliseconds.
fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Loads and validates a generated design from its text, `iterations` times.
fn load(services: usize, iterations: usize) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let design = synth::generate(catalog, services, 12)?;
    let text = format::to_string(&design, "")?;
    let path = Path::new("generated.ron");
    let mut samples = Vec::with_capacity(iterations);
    let mut warnings = 0;
    for _ in 0..iterations {
        let start = Instant::now();
        let loaded = format::load_str(&text, path, catalog)?;
        warnings = validate::validate(&loaded.design, catalog).len();
        samples.push(start.elapsed().as_secs_f64() * 1e3);
    }
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    println!(
        "regions={} links={} populations={} bytes={} iterations={iterations} warnings={warnings}",
        design.regions().len(),
        design.links().len(),
        design.populations().len(),
        text.len()
    );
    println!("min_ms={min:.2} max_ms={max:.2}");
    println!("services={} ms={:.2}", design.services().len(), median_ms(samples));
    Ok(exit::SUCCESS)
}

/// Recomputes the bill of a generated design `iterations` times.
fn cost(services: usize, iterations: usize) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let prices = super::cost::builtin_prices()?;
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
    println!(
        "regions={} links={} lines={} unpriced={} iterations={iterations} usd_per_month={:.2}",
        design.regions().len(),
        design.links().len(),
        bill.lines.len(),
        bill.unpriced.len(),
        bill.total_usd_per_month
    );
    println!("min_ms={min:.3} max_ms={max:.3}");
    println!("services={} ms={:.3}", design.services().len(), median_ms(samples));
    Ok(exit::SUCCESS)
}
