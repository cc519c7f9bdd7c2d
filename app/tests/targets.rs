//! Resilience targets end to end: the reference design meets its targets under a region outage;
//! a design change that breaks one (a ten-minute DNS TTL, to save on DNS queries) makes
//! `simulate` and `compare` say which and exit 1; bad targets are refused at their line.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian, stderr, stdout};

const REFERENCE: &str = "examples/active-active-2region.ron";

/// The reference design with its Route 53 records' TTL raised from one minute to ten.
fn long_ttl(dir: &tempfile::TempDir) -> String {
    let text = std::fs::read_to_string(support::workspace_root().join(REFERENCE)).unwrap();
    assert_eq!(text.matches("ttl: \"1m\"").count(), 2, "the reference design's two DNS records");
    let path = dir.path().join("long-ttl.ron");
    std::fs::write(&path, text.replace("ttl: \"1m\"", "ttl: \"10m\"")).unwrap();
    path.to_string_lossy().into_owned()
}

fn simulate(file: &str, json: bool) -> std::process::Output {
    let mut args = vec!["simulate", file, "--scenario", "region-outage", "--runs", "20"];
    if json {
        args.extend(["--json", "-"]);
    }
    meridian(&args)
}

#[test]
fn the_reference_design_meets_its_region_targets_and_a_long_ttl_misses_the_rto() {
    let out = simulate(REFERENCE, false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("Targets (scenario region-outage): 11 met, 0 missed, 6 not evaluated"), "{text}");
    assert!(text.contains("MET    RTO, region"), "{text}");
    assert!(text.contains("(the scenario disrupts region, not AZ)"), "{text}");
    assert!(text.contains("error budget per month"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let changed = long_ttl(&dir);
    let out = simulate(&changed, false);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "a missed target is a finding: {text}{}", stderr(&out));
    let rto = text.lines().find(|l| l.contains("RTO, region")).unwrap();
    assert!(rto.starts_with("  MISSED "), "{rto}");
    assert!(rto.contains("<= 5 min 00 s") && rto.contains(" over"), "{rto}");

    let out = simulate(&changed, true);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let checks = v["targets"]["checks"].as_array().unwrap();
    let rto = checks.iter().find(|c| c["kind"] == "rto" && c["disruption"] == "Region").unwrap();
    assert_eq!(rto["verdict"], "missed", "{rto}");
    assert!(rto["measured"].as_f64().unwrap() > 300.0, "{rto}");
    assert!(rto["margin"].as_f64().unwrap() < 0.0, "{rto}");
    assert_eq!(rto["ci95"].as_array().unwrap().len(), 2, "{rto}");
    assert!(!v["targets"]["budgets"].as_array().unwrap().is_empty());
}

#[test]
fn compare_shows_targets_missed_per_design_and_exits_1_when_one_misses() {
    let dir = tempfile::tempdir().unwrap();
    let changed = long_ttl(&dir);
    let out = meridian(&["compare", REFERENCE, &changed, "--scenario", "region-outage", "--runs", "10"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    let row = text.lines().find(|l| l.starts_with("targets missed")).unwrap();
    let cells: Vec<&str> = row.split_whitespace().skip(2).collect();
    assert_eq!(cells.first().map(|c| c.trim_end_matches('*')), Some("0"), "{row}");
    assert!(cells.get(1).is_some_and(|c| c != &"0"), "{row}");
    assert!(text.contains("MISSED RTO, region"), "{text}");
    let same = meridian(&["compare", REFERENCE, REFERENCE, "--scenario", "region-outage", "--runs", "5"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
}

#[test]
fn a_target_for_an_unknown_population_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(support::workspace_root().join(REFERENCE)).unwrap();
    let bad = text.replacen("population: \"eu-users\"", "population: \"asia-users\"", 1);
    let path = dir.path().join("bad.ron");
    std::fs::write(&path, &bad).unwrap();
    let line = bad.lines().position(|l| l.contains("asia-users")).unwrap() + 1;
    let out = meridian(&["simulate", path.to_str().unwrap(), "--scenario", "region-outage"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("bad.ron:{line}:")), "{err}");
    assert!(err.contains("targets.availability[1].population"), "{err}");
    assert!(
        err.contains("population `asia-users` is not in the design (populations: eu-users, na-users)"),
        "{err}"
    );
}
