//! Arguments of `meridian diff` (kept beside the command rather than in `cli.rs`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::cli::RunArgs;

/// How `meridian diff` writes its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A table for a terminal.
    Text,
    /// One JSON document: the structural changes, every figure with its test and verdict, and
    /// the data-law findings added and resolved.
    Json,
    /// A GitHub pull-request comment.
    Markdown,
}

/// Arguments of `meridian diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The design before the change (e.g. `git show main:design.ron > before.ron`).
    #[arg(value_name = "BEFORE")]
    pub before: PathBuf,
    /// The design after the change.
    #[arg(value_name = "AFTER")]
    pub after: PathBuf,
    /// Scenario (run on both designs with the same seed), runs, horizon, seed and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write the review to PATH instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// A rise of the monthly total up to this many percent does not count as worse.
    #[arg(long, default_value_t = 0.0, value_name = "PERCENT", value_parser = tolerance)]
    pub cost_tolerance: f64,
}

fn tolerance(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a percentage of 0 or more")),
    }
}
