//! `meridian variants` and `meridian compare` end to end: the five strategies written, valid and
//! in a sensible order by cost and availability; the table, its best marks and its JSON; the
//! frontier chart; exit codes for bad input.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{meridian, stderr, stdout};

const STRATEGIES: [&str; 5] = ["multi-az", "backup-restore", "pilot-light", "warm-standby", "active-active"];

fn variants(dir: &Path) -> Vec<String> {
    let out = meridian(&["variants", "examples/active-active-2region.ron", "--out", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    STRATEGIES.iter().map(|s| dir.join(format!("{s}.ron")).to_string_lossy().into_owned()).collect()
}

fn row<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["rows"].as_array().unwrap().iter().find(|r| r["key"] == key).unwrap_or_else(|| panic!("no row {key}"))
}

fn values(doc: &Value, key: &str) -> Vec<f64> {
    row(doc, key)["values"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect()
}

#[test]
fn variants_writes_five_valid_designs_and_refuses_to_overwrite_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let files = variants(dir.path());
    for f in &files {
        let out = meridian(&["validate", f]);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
        let out = meridian(&["fmt", "--check", f]);
        assert_eq!(out.status.code(), Some(0), "{f} is not canonical: {}", stderr(&out));
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.starts_with("// "), "{f} has no explanation on top");
    }
    let out =
        meridian(&["variants", "examples/active-active-2region.ron", "--out", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    let out = meridian(&[
        "variants",
        "examples/active-active-2region.ron",
        "--out",
        dir.path().to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for s in STRATEGIES {
        assert!(stdout(&out).contains(&format!("{s}.ron")), "{}", stdout(&out));
    }
    assert!(!dir.path().join("pilot-light.ron.bak").exists());
}

#[test]
fn compare_orders_the_strategies_by_cost_and_availability_under_a_region_outage() {
    let dir = tempfile::tempdir().unwrap();
    let files = variants(dir.path());
    let chart = dir.path().join("frontier.svg");
    let mut args = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--scenario", "region-outage", "--runs", "3", "--seed", "5", "--json"]);
    args.extend(["--chart", chart.to_str().unwrap()]);
    let out = meridian(&args);
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    // The variants keep the reference design's targets; the cheaper strategies miss its
    // five-minute region RTO, which is a finding (exit 1), as a violation is for `check`.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let missed = values(&doc, "targets_missed");
    assert!(missed[0] > 0.0 && missed[4] == 0.0, "{missed:?}");
    assert_eq!(doc["scenario"], "region-outage");
    assert_eq!(doc["runs"], 3);
    let headers: Vec<&str> =
        doc["columns"].as_array().unwrap().iter().map(|c| c["header"].as_str().unwrap()).collect();
    assert_eq!(headers, STRATEGIES);
    assert_eq!(doc["assessments"].as_array().unwrap().len(), 5);
    for r in doc["rows"].as_array().unwrap() {
        assert_eq!(r["values"].as_array().unwrap().len(), 5, "{r}");
        assert_eq!(r["text"].as_array().unwrap().len(), 5, "{r}");
        assert!(r["best"].is_array(), "{r}");
    }
    // Cost: every strategy costs more than the one before.
    let cost = values(&doc, "usd_per_month");
    assert!(cost.windows(2).all(|w| w[0] < w[1]), "{cost:?}");
    assert_eq!(row(&doc, "usd_per_month")["best"], serde_json::json!([0]));
    // Availability: no second region serves nothing while the region is down; a pilot light
    // serves a little (one unit); warm standby and active-active serve everyone after failover.
    let served = values(&doc, "availability_requests");
    let [maz, br, pl, ws, aa] = served[..] else { panic!("{served:?}") };
    assert!(maz <= br && br < pl && pl < ws, "{served:?}");
    assert!(pl < aa, "{served:?}");
    let down = values(&doc, "downtime_min_per_year");
    assert!(down[3] < down[2] / 10.0 && down[4] < down[2] / 10.0, "{down:?}");
    // Only active-active writes in two regions at once all the time. Since DNS caches expire over
    // the TTL (issue 14), a pilot light's or warm standby's clients are split between the regions
    // while they fail over and back, so their global tables see a few conflicts then.
    let conflicts = values(&doc, "conflicts_per_day");
    assert!(conflicts[4] > 0.0 && conflicts[..2].iter().all(|c| *c == 0.0), "{conflicts:?}");
    assert!(conflicts[2..4].iter().all(|c| *c < conflicts[4] / 100.0), "{conflicts:?}");
    // The best downtime is marked on warm standby or active-active.
    let best = row(&doc, "downtime_min_per_year")["best"].as_array().unwrap().clone();
    assert!(best.iter().all(|b| b == 3 || b == 4) && !best.is_empty(), "{best:?}");
    let svg = std::fs::read_to_string(&chart).unwrap();
    for s in STRATEGIES {
        assert!(svg.contains(s), "{s} missing from the chart");
    }
}

// The snapshot changed on purpose with the recovery mechanisms (issue 14): the pilot light's
// failover is operator-initiated (20 min instead of the 60 s health-check failover) and the warm
// standby scales out from three tasks to nine (4 min), so the two no longer tie.
#[test]
fn the_compare_table_marks_the_best_of_each_row() {
    let out = meridian(&[
        "compare",
        "examples/pilot-light.ron",
        "examples/warm-standby.ron",
        "examples/multi-az-single-region.ron",
        "--scenario",
        "region-outage",
        "--runs",
        "2",
        "--seed",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "no escape codes when stdout is not a terminal");
    // Issue 14 moved these figures on purpose: a year is 365.25 days (downtime per year), and DNS
    // caches expire over the TTL, so clients come back gradually (availability, latency P99).
    insta::assert_snapshot!(text);
}

#[test]
fn compare_writes_a_png_chart() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("f.png");
    let out = meridian(&[
        "compare",
        "examples/pilot-light.ron",
        "examples/warm-standby.ron",
        "--runs",
        "1",
        "--chart",
        png.to_str().unwrap(),
    ]);
    // Exit 1 when warm standby misses one of its targets in its single run, 0 otherwise.
    let missed = stdout(&out).lines().any(|l| l.starts_with("  MISSED "));
    assert_eq!(out.status.code(), Some(i32::from(missed)), "{}", stderr(&out));
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
    assert!(stdout(&out).contains("Frontier chart:"));
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    let two = ["examples/pilot-light.ron", "examples/warm-standby.ron"];
    let cases: [(Vec<&str>, &str); 6] = [
        (vec!["compare", two[0], "examples/no-such.ron"], "no-such.ron"),
        (vec!["compare", two[0], two[1], "--scenario", "no-such-scenario"], "region-outage"),
        (vec!["compare", two[0], two[1], "--chart", "chart.gif"], ".svg or .png"),
        (vec!["compare", two[0]], "required"),
        (vec!["compare", two[0], two[1], "--horizon", "0s"], "--horizon"),
        (vec!["variants", "examples/no-such.ron", "--out", "target/never"], "no-such.ron"),
    ];
    for (args, needle) in cases {
        let out = meridian(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(needle), "{args:?}: {}", stderr(&out));
    }
}
