//! Arguments of the chaos-experiment commands, `export-experiments` and `calibrate` (kept apart
//! from `cli.rs`, which declares them as subcommands).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// Format of `meridian export-experiments`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExperimentFormat {
    /// AWS CloudFormation templates, one per region.
    Cloudformation,
    /// A Terraform root module.
    Terraform,
}

/// Arguments of `meridian export-experiments`.
#[derive(Debug, Args)]
pub struct ExperimentsArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// A built-in scenario or a scenario file whose injections become experiments.
    #[arg(long, value_name = "NAME|PATH")]
    pub scenario: String,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: ExperimentFormat,
    /// The folder to write into (created if missing; must be empty unless --force).
    #[arg(long, value_name = "DIR", default_value = "experiments")]
    pub out: PathBuf,
    /// Overwrite files in a folder that is not empty.
    #[arg(long)]
    pub force: bool,
    /// Runs per prediction instead of the scenario's.
    #[arg(long)]
    pub runs: Option<u32>,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
}

/// Arguments of `meridian calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The design file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The drill's results (JSON, docs/calibrate.md).
    #[arg(long, value_name = "RESULTS.json")]
    pub observed: PathBuf,
    /// The scenario the experiments came from, when the results file names none.
    #[arg(long, value_name = "NAME|PATH")]
    pub scenario: Option<String>,
    /// Runs per prediction instead of the scenario's.
    #[arg(long)]
    pub runs: Option<u32>,
    /// Worker threads (0: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
