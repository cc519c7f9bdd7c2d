//! The outputs `outputs.rs` does not cover: `batch --json`/`--junit`/`--emit`, `merge --out`/
//! `--junit`, `export --out` on a file, `--plots` on a file, `report --out` and `compare --chart`
//! in a missing folder. Each gives exit code 2 and one message naming the path; the batch and
//! simulation outputs are refused before the runs (issue 18, item 6: exit codes follow the README).

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use support::{meridian, stderr, stdout};

const DESIGN: &str = "examples/warm-standby.ron";
const PLAN: &str = "examples/batch/plan.ron";

/// Runs `args`, expects exit code 2 and a message naming `path`; returns how long it took.
fn refused(args: &[&str], path: &Path) -> Duration {
    let started = Instant::now();
    let out = meridian(args);
    let took = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: exit code; stderr: {err}");
    assert!(!err.contains("internal error") && !err.contains("panicked"), "{args:?}: {err}");
    let shown = path.to_str().unwrap();
    assert!(err.contains(&format!("{shown}: error: ")), "{args:?}: the message names {shown}: {err}");
    took
}

/// A folder holding a regular file `file`: `file/x` cannot be created by anyone, root included.
fn blocked() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("file");
    std::fs::write(&file, "not a folder").unwrap();
    (dir, file)
}

#[test]
fn batch_json_and_junit_that_cannot_be_written_are_refused_before_the_runs() {
    let (d, file) = blocked();
    let results = d.path().join("results");
    let r = results.to_str().unwrap();
    let json = file.join("report.json");
    refused(&["batch", PLAN, "--out", r, "--json", json.to_str().unwrap()], &json);
    let junit = d.path().join("no-such-folder").join("junit.xml");
    refused(&["batch", PLAN, "--out", r, "--junit", junit.to_str().unwrap()], &junit);
    // Before: the whole plan ran, then the report failed. Now nothing ran.
    assert!(!results.exists(), "no results written");
    // A folder where the report goes.
    refused(&["batch", PLAN, "--out", r, "--json", d.path().to_str().unwrap()], d.path());
}

#[test]
fn batch_emit_into_a_file_is_refused_and_writes_nothing() {
    let (_d, file) = blocked();
    let out = file.join("k8s");
    let o = out.to_str().unwrap();
    refused(
        &["batch", PLAN, "--emit", "kubernetes", "--shards", "2", "--image", "meridian:1", "--out", o],
        &out,
    );
    refused(
        &[
            "batch",
            PLAN,
            "--emit",
            "kubernetes",
            "--shards",
            "2",
            "--image",
            "meridian:1",
            "--out",
            file.to_str().unwrap(),
        ],
        &file,
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

#[test]
fn merge_outputs_that_cannot_be_written_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results");
    let o = meridian(&["batch", PLAN, "--out", results.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    let r = results.to_str().unwrap();
    let (_d, file) = blocked();
    let json = file.join("report.json");
    refused(&["merge", r, "--out", json.to_str().unwrap()], &json);
    let ok = tmp.path().join("report.json");
    let junit = file.join("junit.xml");
    refused(&["merge", r, "--out", ok.to_str().unwrap(), "--junit", junit.to_str().unwrap()], &junit);
    assert!(!ok.exists(), "nothing written when one output is refused");
    assert!(stdout(&meridian(&["merge", r, "--out", ok.to_str().unwrap()])).contains("combination(s)"));
}

#[test]
fn export_and_plots_onto_a_file_are_refused() {
    let (_d, file) = blocked();
    let f = file.to_str().unwrap();
    refused(&["export", DESIGN, "--format", "terraform", "--out", f], &file);
    refused(&["simulate", DESIGN, "--runs", "2", "--horizon", "1d", "--plots", f], &file);
    refused(&["variants", DESIGN, "--out", f], &file);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}

#[test]
fn single_file_outputs_in_a_missing_folder_are_refused_before_the_work() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder");
    let html = missing.join("report.html");
    refused(&["report", DESIGN, "--runs", "2", "--horizon", "1d", "--out", html.to_str().unwrap()], &html);
    let chart = missing.join("frontier.svg");
    refused(
        &[
            "compare",
            DESIGN,
            "examples/pilot-light.ron",
            "--runs",
            "2",
            "--horizon",
            "1d",
            "--chart",
            chart.to_str().unwrap(),
        ],
        &chart,
    );
    let json = missing.join("sim.json");
    // A long simulation is refused at once, not after its runs.
    let took = refused(
        &["simulate", DESIGN, "--runs", "10000000", "--horizon", "100y", "--json", json.to_str().unwrap()],
        &json,
    );
    assert!(took < Duration::from_secs(20), "refused before the runs: took {took:?}");
    let csv = missing.join("runs.csv");
    refused(
        &["simulate", DESIGN, "--runs", "2", "--horizon", "1d", "--runs-csv", csv.to_str().unwrap()],
        &csv,
    );
    assert!(!missing.exists());
}
