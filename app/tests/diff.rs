//! `meridian diff` end to end on the reference design and edited copies: the structural changes
//! by id and field, figures judged with their tests, targets newly missed, exit codes (0 nothing
//! worse, 1 worse, a new data-law violation or a target newly missed, 2 bad input), the three formats and `--out`; and the example CI workflow
//! parses as YAML and names commands that exist.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::Path;

use serde_json::Value;
use support::{meridian, stderr, stdout, workspace_root};

const REFERENCE: &str = "examples/active-active-2region.ron";
const EDITED: &str = "examples/review/active-active-2region-edited.ron";

fn json(args: &[&str]) -> (Option<i32>, Value) {
    let out = meridian(args);
    let doc = serde_json::from_str(&stdout(&out)).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), doc)
}

fn figure<'a>(doc: &'a Value, key: &str) -> &'a Value {
    doc["figures"].as_array().unwrap().iter().find(|f| f["key"] == key).unwrap_or_else(|| panic!("no {key}"))
}

/// The reference design with `from` replaced by `to` (each must occur), written into `dir`.
fn edited(dir: &Path, name: &str, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(workspace_root().join(REFERENCE)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn a_design_against_itself_changes_nothing_and_exits_0() {
    let (code, doc) = json(&["diff", REFERENCE, REFERENCE, "--runs", "20", "--format", "json"]);
    assert_eq!(code, Some(0));
    assert!(doc["structure"]["changes"].as_array().unwrap().is_empty());
    for f in doc["figures"].as_array().unwrap() {
        assert_eq!(f["verdict"], "unchanged", "{f}");
    }
    assert!(doc["findings"].as_array().unwrap().is_empty());
}

#[test]
fn slower_failover_is_significantly_worse_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    // The reference promises recovery from a region outage within 5 minutes.
    // Only the DNS records change: checks every 30 s and a 5-minute TTL.
    let edits = [("ttl: \"1m\"", "ttl: \"5m\""), ("interval: \"10s\"", "interval: \"30s\"")];
    let after = edited(dir.path(), "ttl.ron", &edits);
    let args = ["diff", REFERENCE, &after, "--scenario", "region-outage", "--runs", "40", "--format", "json"];
    let (code, doc) = json(&args);
    // The target is met before and missed after.
    let t = doc["targets"].as_array().unwrap().iter().find(|t| t["target"] == "RTO, region").unwrap();
    assert_eq!(
        (t["target"].as_str(), t["status"].as_str()),
        (Some("RTO, region"), Some("newly missed")),
        "{t}"
    );
    assert_eq!((t["before"].as_str(), t["after"].as_str()), (Some("MET"), Some("MISSED")), "{t}");
    assert_eq!(code, Some(1), "{doc}");
    let changes = doc["structure"]["changes"].as_array().unwrap();
    let link = changes.iter().find(|c| c["id"] == "dns-use1").unwrap();
    assert_eq!(link["status"], "changed");
    let ttl = link["fields"].as_array().unwrap().iter().find(|f| f["field"] == "kind.ttl").unwrap();
    assert_eq!((ttl["before"].as_str(), ttl["after"].as_str()), (Some("1m"), Some("5m")));
    // Every run is an outage of the primary region, so recovery pairs run by run.
    let rto = figure(&doc, "rto_p50_s");
    assert_eq!(rto["verdict"], "worse", "{rto}");
    assert!(rto["after"].as_f64().unwrap() > rto["before"].as_f64().unwrap() + 120.0, "{rto}");
    let down = figure(&doc, "downtime_min_per_year");
    assert_eq!(
        (down["verdict"].as_str(), down["test"].as_str()),
        (Some("worse"), Some("paired_runs")),
        "{down}"
    );
    let ci = down["change_ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() > 0.0, "{down}");
    // Health checks are priced by their interval: the bill moves, exactly.
    assert_eq!(figure(&doc, "usd_per_month")["test"], "exact");
}

#[test]
fn the_edited_example_reads_as_a_pull_request_comment() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("comment.md");
    let out = meridian(&[
        "diff",
        REFERENCE,
        EDITED,
        "--runs",
        "30",
        "--format",
        "markdown",
        "--out",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let md = std::fs::read_to_string(&out_path).unwrap();
    assert!(md.starts_with("### 🔴 Meridian: this change makes the design worse\n"), "{md}");
    assert!(md.contains("| Figure | Before | After | Change | |"), "{md}");
    assert!(md.contains("| ~ | service **api-use1** Orders API (Virginia) (ecs-fargate, us-east-1) | config.count | 15 | 12 |"), "{md}");
    assert!(md.contains("<details><summary>Design changes (settings changed, 1 service changed, 2 links changed)</summary>"), "{md}");
    assert!(md.contains("| cost per month | $20,623 | $20,513 | -$110 (-0.5%) | 🟢 better |"), "{md}");
    // Twelve tasks cannot carry North America's peak: its writes spill into the EU.
    assert!(
        md.contains("| 🔴 added | data-sovereignty/country-residency | population na-users in eu-west-1"),
        "{md}"
    );
    assert_eq!(md.matches("<details>").count(), md.matches("</details>").count());
    // The text form says the same.
    let text = meridian(&["diff", REFERENCE, EDITED, "--runs", "30"]);
    assert_eq!(text.status.code(), Some(1));
    let text = stdout(&text);
    assert!(text.contains("  ~ service api-use1: Orders API (Virginia) (ecs-fargate, us-east-1)\n      config.count: 15 -> 12\n"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("WORSE: "), "{text}");
}

#[test]
fn added_and_removed_entities_are_listed_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let after = edited(dir.path(), "renamed.ron", &[("\"eu-users\"", "\"europe\"")]);
    let (_, doc) = json(&["diff", REFERENCE, &after, "--runs", "5", "--format", "json"]);
    let changes = doc["structure"]["changes"].as_array().unwrap();
    let status =
        |id: &str| changes.iter().find(|c| c["id"] == id).map(|c| c["status"].as_str().unwrap().to_owned());
    assert_eq!(status("europe").as_deref(), Some("added"));
    assert_eq!(status("eu-users").as_deref(), Some("removed"));
    // The targets that name the population follow it: the settings change too.
    assert_eq!(status("design").as_deref(), Some("changed"));
    assert_eq!(changes.len(), 3, "{changes:?}");
}

#[test]
fn bad_input_exits_2() {
    let out = meridian(&["diff", REFERENCE, "no-such.ron"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such.ron"), "{}", stderr(&out));
    let out = meridian(&["diff", REFERENCE, REFERENCE, "--scenario", "no-such-scenario"]);
    assert_eq!(out.status.code(), Some(2));
    let out = meridian(&["diff", REFERENCE, REFERENCE, "--cost-tolerance", "-3"]);
    assert_eq!(out.status.code(), Some(2));
    let out = meridian(&["diff", REFERENCE, REFERENCE, "--format", "html"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_ci_workflow_parses_and_runs_commands_that_exist() {
    let text = std::fs::read_to_string(workspace_root().join("docs/ci-github-actions.yml")).unwrap();
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let steps = doc["jobs"]["review"]["steps"].as_sequence().unwrap();
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let script = runs.join("\n");
    assert!(script.contains("git show \"${BASE}:${DESIGN}\" > before.ron"), "{script}");
    let mut seen = 0;
    for line in script.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first() == Some(&"meridian") {
            seen += 1;
            // The subcommand exists and every option the line gives is one it accepts.
            let help = meridian(&[words[1], "--help"]);
            assert_eq!(help.status.code(), Some(0), "{line}");
            let help = stdout(&help);
            for w in words.iter().filter(|w| w.starts_with("--")) {
                assert!(help.contains(*w), "`{w}` of `{line}` is not an option of meridian {}", words[1]);
            }
            assert!(words.contains(&"markdown"), "{line}");
        }
    }
    assert_eq!(seen, 1, "{script}");
    // The build step builds the binary the later steps call.
    assert!(script.contains("cargo build --release --locked -p meridian --no-default-features"), "{script}");
}
