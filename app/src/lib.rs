//! The `meridian` application: the command line (`cli`, `cmd`) and the desktop designer (`gui`).
//!
//! The binary in `main.rs` is a thin wrapper; the library exists so that integration tests and
//! benchmarks can drive the real designer headlessly.

pub mod cli;
pub mod cli_chaos;
pub mod cmd;
pub mod exit;
#[cfg(feature = "gui")]
pub mod gui;
#[cfg(feature = "live-pricing")]
pub mod pricing;
pub mod term;
