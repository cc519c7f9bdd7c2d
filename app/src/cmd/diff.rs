//! `meridian diff`: review a design change. Both designs are loaded (bad input fails before any
//! simulation), assessed under the same scenario with the same runs and seed and each run's
//! figures kept, then compared by [`meridian_assess::diff::Review`].

use std::sync::atomic::AtomicBool;

use anyhow::Context;
use meridian_assess::assessment::{AssessOptions, Assessment, Want};
use meridian_assess::diff::Review;
use meridian_model::diff::DesignDiff;
use meridian_sim::Progress;

use crate::cli::{DiffArgs, DiffFormat};
use crate::exit;

/// Runs `meridian diff`.
pub fn run(args: &DiffArgs) -> anyhow::Result<u8> {
    let catalog = super::catalog()?;
    let mut designs = Vec::new();
    for path in [&args.before, &args.after] {
        let loaded = meridian_model::format::load_file(path, catalog)?;
        let scenario =
            meridian_assess::assessment::resolve_scenario(&args.run.scenario, &loaded.design, catalog)?;
        designs.push((path, scenario, loaded.design));
    }
    let mut sim = super::sim_options(&args.run)?;
    sim.keep_runs = true;
    let options = AssessOptions { sim, ..AssessOptions::builtin(Want::COMPARE)? };
    let total: u64 = designs.iter().map(|(_, s, _)| u64::from(options.sim.apply(s).runs)).sum();
    let bar = super::progress::Bar::new(total, "reviewing");
    let cancel = AtomicBool::new(false);
    let mut assessments: Vec<Assessment> = Vec::new();
    let mut done_before = 0u64;
    for (path, scenario, design) in &designs {
        bar.indicator.set_message(path.display().to_string());
        let progress = |p: Progress| {
            bar.show_if_slow();
            bar.indicator.set_position(done_before + u64::from(p.runs_done));
        };
        let mut a =
            meridian_assess::assessment::assess(design, catalog, scenario, &options, &progress, &cancel)?;
        a.path = Some((*path).clone());
        done_before += u64::from(a.runs);
        assessments.push(a);
    }
    bar.indicator.finish_and_clear();
    let structure = DesignDiff::between(&designs[0].2, &designs[1].2);
    let review = Review::new(&assessments[0], &assessments[1], structure, args.cost_tolerance)?;
    let text = match args.format {
        DiffFormat::Text => review.to_text(),
        DiffFormat::Markdown => review.to_markdown(),
        DiffFormat::Json => format!("{}\n", serde_json::to_string_pretty(&review)?),
    };
    match &args.out {
        Some(out) => meridian_model::format::write_atomic(out, text.as_bytes(), false)
            .with_context(|| format!("cannot write {}", out.display()))?,
        None => crate::out!("{text}"),
    }
    Ok(if review.fails() { exit::FINDINGS } else { exit::SUCCESS })
}
