//! `meridian diff`: review a design change. Both designs are loaded (bad input fails before any
//! simulation), assessed under the same scenario with the same runs and seed and each run's
//! figures kept, then compared by [`meridian_assess::diff::Review`].

use anyhow::Context;
use meridian_assess::assessment::{AssessOptions, Want};
use meridian_assess::diff::Review;
use meridian_model::diff::DesignDiff;

use crate::cli::{DiffArgs, DiffFormat};
use crate::exit;

/// Runs `meridian diff`.
pub fn run(args: &DiffArgs) -> anyhow::Result<u8> {
    if let Some(out) = &args.out {
        super::output::file(out, "--out")?;
    }
    let designs = super::assess_each::load([args.before.as_path(), args.after.as_path()], &args.run)?;
    let mut sim = super::sim_options(&args.run)?;
    sim.keep_runs = true;
    let options = AssessOptions { sim, ..AssessOptions::builtin(Want::COMPARE)? };
    let assessments = super::assess_each::assess(&designs, &options, "reviewing")?;
    let structure = DesignDiff::between(&designs[0].design, &designs[1].design);
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
