//! `meridian simulate` end to end: every built-in scenario on every example design, JSON output,
//! determinism across thread counts, plots, and clear errors for bad scenarios.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{example_files, meridian, stderr, stdout};

#[test]
fn every_builtin_scenario_runs_on_every_example() {
    for file in example_files() {
        let f = file.to_string_lossy().into_owned();
        for scenario in meridian_sim::BUILTIN_NAMES {
            let out = meridian(&[
                "simulate",
                &f,
                "--scenario",
                scenario,
                "--runs",
                "2",
                "--horizon",
                "2d",
                "--json",
                "-",
            ]);
            let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
            // Exit 1 only for a missed target of the design's own targets.
            let missed =
                v["targets"]["checks"].as_array().is_some_and(|c| c.iter().any(|c| c["verdict"] == "missed"));
            let expected = i32::from(missed);
            assert_eq!(out.status.code(), Some(expected), "{f} {scenario}: {}", stderr(&out));
            let a = v["availability_requests"]["mean"].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&a), "{f} {scenario}: {a}");
            assert!(v["events_simulated"].as_u64().unwrap() > 0, "{f} {scenario}");
        }
    }
}

#[test]
fn json_is_identical_at_one_and_two_threads() {
    let run = |threads: &str| {
        let out = meridian(&[
            "simulate",
            "examples/active-active-2region.ron",
            "--scenario",
            "random-year",
            "--runs",
            "8",
            "--horizon",
            "30d",
            "--seed",
            "42",
            "--threads",
            threads,
            "--json",
            "-",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let mut v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        // Wall-clock figures are the only part allowed to differ.
        v.as_object_mut().unwrap().remove("timing");
        serde_json::to_string(&v).unwrap()
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn region_outage_fails_over_and_plots_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_string_lossy().into_owned();
    let out = meridian(&[
        "simulate",
        "examples/active-active-2region.ron",
        "--scenario",
        "region-outage",
        "--runs",
        "4",
        "--plots",
        &d,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("availability (time)") && text.contains("RTO"), "{text}");
    for name in ["availability", "rto", "rpo", "latency-cdf", "data-law"] {
        for ext in ["png", "svg"] {
            let p = dir.path().join(format!("{name}.{ext}"));
            assert!(std::fs::metadata(&p).is_ok_and(|m| m.len() > 1000), "{}", p.display());
        }
    }
}

/// A `--horizon` shorter than the scenario's schedule says which injections it leaves out (before:
/// `region-outage --horizon 6h` measured one region's outage of two and said nothing); a horizon
/// that holds them all says nothing. `compare` and `diff` warn the same way, per design.
#[test]
fn a_horizon_that_leaves_injections_out_is_a_warning() {
    let design = "examples/active-active-2region.ron";
    let out =
        meridian(&["simulate", design, "--scenario", "region-outage", "--runs", "2", "--horizon", "6h"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).trim(),
        "examples/active-active-2region.ron: warning: the 6h horizon ends before injections[1] (region \
         us-east-1 at 7h) of scenario `region-outage` starts: not simulated; lengthen the horizon to include it"
    );
    let out =
        meridian(&["simulate", design, "--scenario", "region-outage", "--runs", "2", "--horizon", "7h1s"]);
    assert!(out.status.success() && !stderr(&out).contains("warning"), "{}", stderr(&out));
    let out = meridian(&[
        "compare",
        design,
        "examples/pilot-light.ron",
        "--scenario",
        "az-outage",
        "--runs",
        "2",
        "--horizon",
        "4h",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let warned: Vec<&str> =
        err.lines().filter(|l| l.contains("warning: the 4h horizon ends before")).collect();
    assert_eq!(warned.len(), 2, "{err}");
    assert!(
        warned[1].starts_with("examples/pilot-light.ron: ") && warned[1].contains("and 4 more"),
        "{}",
        warned[1]
    );
}

#[test]
fn bad_scenario_file_points_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.ron");
    std::fs::write(
        &p,
        "Scenario(\n    name: \"x\",\n    horizon: \"1h\",\n    injections: [\n        Injection(target: Region(\"mars-1\"), at: \"1m\", duration: \"1m\"),\n    ],\n)\n",
    )
    .unwrap();
    let out =
        meridian(&["simulate", "examples/active-active-2region.ron", "--scenario", &p.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("bad.ron:5:") && err.contains("mars-1") && err.contains("injections[0].target"),
        "{err}"
    );
    let out = meridian(&["simulate", "examples/active-active-2region.ron", "--scenario", "no-such"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("region-outage"));
}

#[test]
fn bench_sim_prints_the_headline_last() {
    let out = meridian(&["bench", "sim", "--horizon", "20000"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("events=") && last.contains("events_per_s=") && last.contains("availability=0.9"),
        "{last}"
    );
}

#[test]
fn per_run_figures_go_to_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("runs.csv");
    let json = dir.path().join("out.json");
    let out = meridian(&[
        "simulate",
        "examples/active-active-2region.ron",
        "--scenario",
        "region-outage",
        "--runs",
        "3",
        "--runs-csv",
        &csv.to_string_lossy(),
        "--json",
        &json.to_string_lossy(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("RTO, half back") && text.contains("CI"), "{text}");
    let csv = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("run,availability_time,"), "{csv}");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(v["per_run"].as_array().unwrap().len(), 3);
    assert!(v["rto_s"]["p50_ci95"].as_array().is_some_and(|a| a.len() == 2));
    assert!(v["rto_by_population"].as_object().is_some_and(|m| !m.is_empty()));
}

#[test]
fn a_design_aws_refuses_is_bad_input() {
    // A strongly consistent global table of two replicas and no witness: AWS refuses it, so the
    // simulator does too, and says why (exit 2, not an internal error).
    let file = support::workspace_root().join("examples/scenarios/theory/mrsc-witness.ron");
    let text = std::fs::read_to_string(file).unwrap().replace(", witness: \"us-west-2\"", "");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("two.ron");
    std::fs::write(&p, text).unwrap();
    let out = meridian(&["simulate", &p.to_string_lossy(), "--scenario", "region-outage", "--runs", "1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("AWS refuses") && stderr(&out).contains("exactly three regions"));
}
