//! The subcommands, one module each.

mod assess_each;
mod batch;
mod bench;
mod calibrate;
mod check;
mod compare;
mod cost;
mod diff;
mod experiments;
mod export;
mod fmt;
mod import;
mod info;
mod output;
mod picture;
mod pricing;
mod progress;
mod report;
mod simulate;
mod validate;
mod variants;

use anyhow::Context;
use meridian_model::Catalog;

use crate::cli::{Cli, Command};

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    let Some(command) = cli.command else {
        if let Some(file) = &cli.file {
            // Refuse a missing file here, where the error can go to the terminal.
            if !file.exists() {
                return Err(crate::exit::BadInput(format!("{}: error: no such file", file.display())).into());
            }
        }
        #[cfg(feature = "gui")]
        {
            crate::gui::run(cli.file)?;
            return Ok(crate::exit::SUCCESS);
        }
        #[cfg(not(feature = "gui"))]
        return Err(crate::exit::BadInput(
            "this meridian was built without the desktop designer (feature `gui`): give a subcommand, see --help".into(),
        )
        .into());
    };
    match command {
        Command::Validate(args) => validate::run(&args),
        Command::Info(args) => info::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Cost(args) => cost::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Batch(args) => batch::run(&args),
        Command::Merge(args) => batch::merge(&args),
        Command::Export(args) => export::run(&args),
        Command::Pricing(args) => pricing::run(&args),
        Command::Variants(args) => variants::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Import(args) => import::run(&args),
        Command::ExportExperiments(args) => experiments::run(&args),
        Command::Calibrate(args) => calibrate::run(&args),
        Command::ExportPicture(args) => picture::run(&args),
    }
}

/// The embedded catalog; failing to parse it is an internal error.
pub fn catalog() -> anyhow::Result<&'static Catalog> {
    Catalog::builtin().context("the embedded catalog is broken")
}

/// Warns on stderr, naming `file`, when the horizon of `options` (`--horizon`) ends before some of
/// `scenario`'s injections start: those are not simulated.
pub fn warn_unreached(
    file: &std::path::Path,
    scenario: &meridian_sim::Scenario,
    options: &meridian_sim::SimOptions,
) {
    if let Some(w) = options.apply(scenario).unreached_warning() {
        crate::errln!("{}: warning: {w}", file.display());
    }
}

/// The simulator options of `--runs`, `--seed`, `--horizon` and `--threads`; a horizon that does
/// not parse, is zero or is longer than the simulator allows is bad input.
pub fn sim_options(run: &crate::cli::RunArgs) -> anyhow::Result<meridian_sim::SimOptions> {
    use meridian_model::time::TimeSpan;
    let horizon = match &run.horizon {
        Some(text) => {
            let h: TimeSpan = text.parse().map_err(|e| crate::exit::BadInput(format!("--horizon: {e}")))?;
            meridian_sim::scenario::check_horizon(h)
                .map_err(|m| crate::exit::BadInput(format!("--horizon {m}")))?;
            Some(h)
        }
        None => None,
    };
    Ok(meridian_sim::SimOptions {
        runs: run.runs,
        seed: run.seed,
        horizon,
        threads: run.threads,
        keep_runs: false,
    })
}
