//! What `meridian compare` and `meridian diff` share: load every design and resolve the scenario
//! for each before any simulation starts (so bad input fails at once, exit code 2), then assess
//! them one after the other under one progress bar.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use meridian_assess::assessment::{AssessOptions, Assessment};
use meridian_model::Design;
use meridian_sim::{Progress, Scenario};

use crate::cli::RunArgs;

/// A design read from its file, with the scenario it is assessed under.
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// The scenario `--scenario` names, resolved for this design.
    pub scenario: Scenario,
    /// The design.
    pub design: Design,
}

/// Loads each of `paths` and resolves `run.scenario` for it.
pub fn load<'a>(paths: impl IntoIterator<Item = &'a Path>, run: &RunArgs) -> anyhow::Result<Vec<Loaded>> {
    let catalog = super::catalog()?;
    let mut designs = Vec::new();
    for path in paths {
        let loaded = meridian_model::format::load_file(path, catalog)?;
        let scenario = meridian_assess::assessment::resolve_scenario(&run.scenario, &loaded.design, catalog)?;
        designs.push(Loaded { path: path.to_owned(), scenario, design: loaded.design });
    }
    Ok(designs)
}

/// Assesses each design with `options`, in order, under one progress bar labelled `verb`.
pub fn assess(designs: &[Loaded], options: &AssessOptions, verb: &str) -> anyhow::Result<Vec<Assessment>> {
    let catalog = super::catalog()?;
    let total: u64 = designs.iter().map(|d| u64::from(options.sim.apply(&d.scenario).runs)).sum();
    for d in designs {
        super::warn_unreached(&d.path, &d.scenario, &options.sim);
    }
    let bar = super::progress::Bar::new(total, verb);
    let cancel = AtomicBool::new(false);
    let mut assessments = Vec::new();
    let mut done_before = 0u64;
    for d in designs {
        bar.indicator.set_message(d.path.display().to_string());
        let progress = |p: Progress| {
            bar.show_if_slow();
            bar.indicator.set_position(done_before + u64::from(p.runs_done));
        };
        let mut a = meridian_assess::assessment::assess(
            &d.design,
            catalog,
            &d.scenario,
            options,
            &progress,
            &cancel,
        )?;
        a.path = Some(d.path.clone());
        done_before += u64::from(a.runs);
        assessments.push(a);
    }
    bar.indicator.finish_and_clear();
    Ok(assessments)
}
