//! The subcommands, one module each.

mod bench;
mod fmt;
mod info;
mod plots;
mod simulate;
mod validate;

use anyhow::Context;
use meridian_model::Catalog;

use crate::cli::{Cli, Command};

/// Runs the parsed command line; returns the exit code.
pub fn run(cli: Cli) -> anyhow::Result<u8> {
    match cli.command {
        Command::Validate(args) => validate::run(&args),
        Command::Info(args) => info::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Simulate(args) => simulate::run(&args),
    }
}

/// The embedded catalog; failing to parse it is an internal error.
pub fn catalog() -> anyhow::Result<&'static Catalog> {
    Catalog::builtin().context("the embedded catalog is broken")
}
