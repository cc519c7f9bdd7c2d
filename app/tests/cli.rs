//! The command-line contract: help on every subcommand, exit codes, and the bench output format.
//! Like every integration test of this package, it runs the binary Cargo built from the current
//! source (`CARGO_BIN_EXE_meridian`); the end-to-end tests beside it share `support/`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

use std::process::{Command, Output};

fn meridian(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_meridian"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for sub in ["validate", "info", "fmt", "bench"] {
        let out = meridian(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub}");
        let help = text(&out.stdout);
        assert!(help.contains("Example:"), "{sub} --help has an example:\n{help}");
        assert!(help.contains("Exit codes:"), "{sub} --help lists exit codes:\n{help}");
    }
    let top = text(&meridian(&["--help"]).stdout);
    assert!(top.contains("2  bad input or usage"), "{top}");
}

#[test]
fn usage_errors_exit_2_once_on_stderr() {
    let out = meridian(&["validate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("required"), "{}", text(&out.stderr));
    let out = meridian(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = meridian(&["bench", "load", "--services", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn deny_warnings_turns_warnings_into_findings() {
    // The pilot-light example has a single-instance standby database, which is a warning.
    let out = meridian(&["validate", "--deny-warnings", "examples/pilot-light.ron"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("warning: service db-usw2"), "{}", text(&out.stderr));
    let out = meridian(&["validate", "--format", "json", "examples/pilot-light.ron"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let w = &v["files"][0]["warnings"][0];
    assert_eq!(w["entity"], "service db-usw2");
    assert!(w["line"].as_u64().unwrap() > 1);
}

#[test]
fn bench_load_prints_key_values_with_the_headline_last() {
    let out = meridian(&["bench", "load", "--services", "300", "--iterations", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("services=300 ms="), "{last}");
    let ms: f64 = last.rsplit('=').next().unwrap().parse().unwrap();
    assert!(ms > 0.0);
}

#[test]
fn fmt_check_reports_a_file_that_is_not_canonical() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.ron");
    std::fs::write(&path, "Design(version: 1, name: \"x\")").unwrap();
    let p = path.to_str().unwrap();
    assert_eq!(meridian(&["fmt", "--check", p]).status.code(), Some(1));
    assert_eq!(meridian(&["fmt", p]).status.code(), Some(0));
    assert_eq!(meridian(&["fmt", "--check", p]).status.code(), Some(0));
    // `fmt` upgrades a version 1 file to the current version.
    assert!(std::fs::read_to_string(&path).unwrap().contains("    version: 2,\n"));
}

#[cfg(feature = "gui")]
#[test]
fn bench_gui_runs_the_real_ui_headless_and_prints_frame_time_last() {
    let out = meridian(&["bench", "gui", "--services", "200", "--frames", "6"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap();
    assert!(last.starts_with("services=200 ms_per_frame="), "{last}");
    assert!(stdout.contains("cold_start_ms="), "{stdout}");
    let first = stdout.lines().next().unwrap();
    let primitives: usize =
        first.split("primitives_max=").nth(1).unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(primitives > 0, "the frame produced meshes: {first}");
}

#[cfg(feature = "gui")]
#[test]
fn opening_a_missing_file_is_bad_input_before_any_window() {
    let out = meridian(&["no/such/design.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/design.ron: error: no such file"), "{}", text(&out.stderr));
}
