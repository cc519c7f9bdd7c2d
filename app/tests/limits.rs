//! Every value a user can give has a bound checked at the door: files that are not regular files
//! or are too large, and options out of range, are refused with exit code 2 and one message naming
//! the file or the option, without hanging and within 1 GiB of memory (issue 18, item 3).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian_bounded, stderr, stdout};

const DESIGN: &str = "examples/active-active-2region.ron";

/// Asserts `out` is a refusal with exit code 2 and one line of stderr containing `needle`.
fn refused(out: &std::process::Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "exit code; stderr: {err}");
    assert!(stdout(out).is_empty() || !stdout(out).contains("panicked"), "stdout: {}", stdout(out));
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn dev_zero_is_refused_as_every_kind_of_input_without_reading_it() {
    // Before: /dev/zero was read without limit (24 GB before the kernel killed the process).
    let not_regular = "/dev/zero: error: is not a regular file";
    refused(&meridian_bounded(&["validate", "/dev/zero"]), not_regular);
    refused(&meridian_bounded(&["simulate", DESIGN, "--scenario", "/dev/zero"]), not_regular);
    refused(&meridian_bounded(&["check", DESIGN, "--policy", "/dev/zero"]), not_regular);
    refused(&meridian_bounded(&["cost", DESIGN, "--prices", "/dev/zero"]), not_regular);
    refused(&meridian_bounded(&["batch", "/dev/zero"]), not_regular);
}

#[test]
fn a_fifo_given_as_a_design_or_a_scenario_is_refused_without_hanging() {
    // Before: opening a FIFO blocked until a writer came, so `validate` hung.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("design.ron");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let f = fifo.to_str().unwrap();
    refused(&meridian_bounded(&["validate", f]), "is not a regular file");
    refused(&meridian_bounded(&["simulate", DESIGN, "--scenario", f]), "is not a regular file");
}

#[test]
fn a_folder_given_as_a_scenario_or_a_price_snapshot_is_refused() {
    refused(
        &meridian_bounded(&["simulate", DESIGN, "--scenario", "examples"]),
        "examples: error: is a folder",
    );
    refused(&meridian_bounded(&["cost", DESIGN, "--prices", "examples"]), "examples: error: is a folder");
}

#[test]
fn a_scenario_over_its_size_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge-scenario.ron");
    std::fs::File::create(&path).unwrap().set_len(50 * 1000 * 1000).unwrap();
    refused(
        &meridian_bounded(&["simulate", DESIGN, "--scenario", path.to_str().unwrap()]),
        "the file is 50.0 MB; scenario files are at most 1 MB",
    );
}

#[test]
fn threads_have_an_upper_bound() {
    // Before: any usize was accepted and handed to the thread pool.
    let out = meridian_bounded(&["simulate", DESIGN, "--threads", "100000", "--runs", "1"]);
    refused(&out, "--threads");
    assert!(stderr(&out).contains("0..=1024"), "{}", stderr(&out));
}

#[test]
fn a_zero_time_to_failure_in_a_scenario_override_is_refused_as_in_designs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.ron");
    std::fs::write(
        &path,
        "Scenario(name: \"zero\", horizon: \"1d\", runs: 1, seed: 1, failure_overrides: [\n    \
         FailureOverride(target: Service(\"api-euw1\"), spec: FailureSpec(time_to_failure: Fixed(value: \"0s\"), time_to_repair: Fixed(value: \"1m\"))),\n])\n",
    )
    .unwrap();
    let out = meridian_bounded(&["simulate", DESIGN, "--scenario", path.to_str().unwrap()]);
    refused(&out, "the mean time to failure must be at least 1m");
    assert!(stderr(&out).contains("failure_overrides[0].spec.time_to_failure.value"), "{}", stderr(&out));
}

/// Simulated time is bounded as runs x horizon (100,000 run-years), at every door that runs a
/// scenario. Before: `--horizon 100000y` with the scenario's 1,000 runs was accepted and ran for
/// days (not finished after 25 minutes in a release build).
#[test]
fn more_simulated_time_than_the_bound_is_refused_before_anything_runs() {
    let started = std::time::Instant::now();
    let out = meridian_bounded(&["simulate", DESIGN, "--horizon", "100000y"]);
    refused(&out, "is 100000000 simulated years; at most 100000");
    let out = meridian_bounded(&["simulate", DESIGN, "--horizon", "101y", "--runs", "1000"]);
    refused(&out, "1000 run(s) of 101y is 101000 simulated years");
    let out = meridian_bounded(&["compare", DESIGN, DESIGN, "--horizon", "1000y", "--runs", "101"]);
    refused(&out, "at most 100000");
    assert!(started.elapsed() < std::time::Duration::from_mins(1), "refused at once");
    // At the bound itself the request is accepted (a short one: 1 run of 1 day is far inside).
    let ok = meridian_bounded(&["simulate", DESIGN, "--horizon", "1d", "--runs", "1"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}
