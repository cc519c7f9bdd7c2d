//! Helpers for the end-to-end command-line tests: where the `meridian` binary and the example
//! designs are, and a way to run the binary and capture what it prints.
//!
//! The tests are integration tests of the `meridian` package, so Cargo builds the binary from the
//! current source before it runs them and names it in `CARGO_BIN_EXE_meridian`: a stale or
//! missing binary cannot be tested.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The `meridian` binary Cargo built from the current source for these tests.
pub fn meridian_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_meridian"))
}

/// Runs `meridian` with `args` from the workspace root.
///
/// # Panics
/// When the process cannot be started.
pub fn meridian(args: &[&str]) -> Output {
    Command::new(meridian_bin())
        .args(args)
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run meridian: {e}"))
}

/// The example design files, sorted.
pub fn example_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace_root().join("examples"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The most address space a bounded run may use: 1 GiB.
pub const MEMORY_LIMIT_BYTES: u64 = 1 << 30;

/// Runs `meridian` with `args` from the workspace root, limited to [`MEMORY_LIMIT_BYTES`] of
/// address space (`prlimit --as`) and 60 seconds (`timeout`): a run that would use more memory
/// aborts and one that hangs is killed, so neither can pass a test expecting exit code 2.
///
/// # Panics
/// When the process cannot be started (`prlimit` and `timeout` are part of util-linux and coreutils).
pub fn meridian_bounded(args: &[&str]) -> Output {
    Command::new("prlimit")
        .arg(format!("--as={MEMORY_LIMIT_BYTES}"))
        .args(["--", "timeout", "-k", "5", "60"])
        .arg(meridian_bin())
        .args(args)
        .current_dir(workspace_root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run prlimit/timeout/meridian: {e}"))
}
