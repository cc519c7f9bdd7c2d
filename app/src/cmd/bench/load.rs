//! `meridian bench load`: load, validate and place the warnings of a generated design, as
//! `meridian validate` does, from its text in memory; optionally at a second size, for the
//! scaling exponent, with the simulator's events/s of the same run as the machine's reference.

use std::path::Path;
use std::time::Instant;

use meridian_model::catalog::Catalog;
use meridian_model::format;
use meridian_model::synth::{self, Shape};
use meridian_model::validate;
use meridian_sim::reference::{ReferenceParams, run_reference};

use crate::cli::LoadShape;
use crate::exit;

/// The simulated time of the reference run: a tenth of `bench sim`'s default, about a second.
const REFERENCE_HORIZON: f64 = 5e6;

/// Times of one load, in milliseconds: parse, build and map (where each entity is written),
/// validate, place every warning in the text (a look-up each).
#[derive(Debug, Clone, Copy)]
struct Stages {
    load: f64,
    validate: f64,
    place: f64,
}

impl Stages {
    fn total_ms(&self) -> f64 {
        self.load + self.validate + self.place
    }
}

/// One size measured: what was generated and the median of each stage.
struct Measured {
    services: usize,
    regions: usize,
    links: usize,
    bytes: usize,
    warnings: usize,
    median: Stages,
    min_ms: f64,
    max_ms: f64,
}

/// Runs `meridian bench load`.
pub fn run(
    services: usize,
    iterations: usize,
    shape: LoadShape,
    scale_to: Option<usize>,
) -> anyhow::Result<u8> {
    let catalog = crate::cmd::catalog()?;
    let shape = match shape {
        LoadShape::Spread => Shape::Spread { max_regions: 12 },
        LoadShape::TwoRegions => Shape::TwoRegions,
    };
    let small = measure(catalog, services, shape, iterations)?;
    crate::outln!(
        "shape={} regions={} links={} bytes={} iterations={iterations} warnings={}",
        shape.name(),
        small.regions,
        small.links,
        small.bytes,
        small.warnings
    );
    print_stages(&small);
    if let Some(large) = scale_to {
        let reference = reference_events_per_s()?;
        // Fewer repetitions of the large size keep the run short; the median still holds.
        let big = measure(catalog, large, shape, iterations.clamp(1, 5))?;
        print_stages(&big);
        let size_ratio = big.services as f64 / small.services.max(1) as f64;
        let ratio = big.median.total_ms() / small.median.total_ms().max(1e-9);
        crate::outln!(
            "reference_events_per_s={reference:.0} size_ratio={size_ratio:.1} time_ratio={ratio:.1} exponent={:.2}",
            ratio.ln() / size_ratio.ln()
        );
    }
    crate::outln!("services={} ms={:.2}", small.services, small.median.total_ms());
    Ok(exit::SUCCESS)
}

fn print_stages(m: &Measured) {
    crate::outln!(
        "services={} load_ms={:.2} validate_ms={:.2} place_ms={:.2} min_ms={:.2} max_ms={:.2} total_ms={:.2}",
        m.services,
        m.median.load,
        m.median.validate,
        m.median.place,
        m.min_ms,
        m.max_ms,
        m.median.total_ms()
    );
}

fn measure(catalog: &Catalog, services: usize, shape: Shape, iterations: usize) -> anyhow::Result<Measured> {
    let design = synth::generate_shaped(catalog, services, shape)?;
    let text = format::to_string(&design, "")?;
    let path = Path::new("generated.ron");
    let mut samples: Vec<Stages> = Vec::with_capacity(iterations);
    let mut warnings = 0;
    for _ in 0..iterations {
        // As `meridian validate` does: the loader finds where each entity is written as it reads.
        let start = Instant::now();
        let (loaded, map) = format::load_mapped(&text, path, catalog)?;
        let loaded_at = Instant::now();
        let problems = validate::validate(&loaded.design, catalog);
        let validated_at = Instant::now();
        let mut lines = 0usize;
        for p in &problems {
            lines += map.as_ref().map_or(0, |m| m.position(&p.entity, p.field.as_deref()).line);
        }
        let placed_at = Instant::now();
        drop(loaded);
        std::hint::black_box(lines);
        warnings = problems.len();
        samples.push(Stages {
            load: (loaded_at - start).as_secs_f64() * 1e3,
            validate: (validated_at - loaded_at).as_secs_f64() * 1e3,
            place: (placed_at - validated_at).as_secs_f64() * 1e3,
        });
    }
    let totals: Vec<f64> = samples.iter().map(Stages::total_ms).collect();
    let min_ms = totals.iter().copied().fold(f64::INFINITY, f64::min);
    let max_ms = totals.iter().copied().fold(0.0, f64::max);
    let median = |f: fn(&Stages) -> f64| super::median_ms(samples.iter().map(f).collect());
    Ok(Measured {
        services: design.services().len(),
        regions: design.regions().len(),
        links: design.links().len(),
        bytes: text.len(),
        warnings,
        median: Stages {
            load: median(|s| s.load),
            validate: median(|s| s.validate),
            place: median(|s| s.place),
        },
        min_ms,
        max_ms,
    })
}

/// Events per second of the simulator's reference model (`bench sim` with a shorter horizon).
pub(super) fn reference_events_per_s() -> anyhow::Result<f64> {
    let p = ReferenceParams {
        components: 50,
        mttf: 99.0,
        mttr: 1.0,
        rate: 1.0,
        horizon: REFERENCE_HORIZON,
        seed: 1,
    };
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    let out = run_reference(&p, &cancel)?;
    Ok(out.events as f64 / start.elapsed().as_secs_f64())
}
