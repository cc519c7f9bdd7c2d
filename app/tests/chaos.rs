//! `meridian export-experiments` and `meridian calibrate` end to end on the examples: the game-day
//! scenario's faults become FIS templates and HYPOTHESES.md (a fault FIS cannot reproduce listed
//! with its reason), and a drill's results are judged against the predictions: exit 1 when one is
//! contradicted, 0 when every figure lies within P5..P95, 2 with a located error for a bad file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian, stderr, stdout};

const DESIGN: &str = "examples/active-active-2region.ron";
const SCENARIO: &str = "examples/scenarios/drills/active-active-2region.scenario.ron";

#[test]
fn export_experiments_writes_templates_and_hypotheses() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["cloudformation", "terraform"] {
        let out = dir.path().join(format);
        let out_s = out.to_string_lossy().into_owned();
        let o = meridian(&[
            "export-experiments",
            DESIGN,
            "--scenario",
            SCENARIO,
            "--format",
            format,
            "--out",
            &out_s,
            "--runs",
            "20",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = stdout(&o);
        assert!(
            text.contains(
                "experiment 1-service-api-use1 (service api-use1 down): us-east-1: aws:ecs:stop-task"
            ),
            "{text}"
        );
        assert!(text.contains("not reproduced 7-service-alb-use1"), "{text}");
        let md = std::fs::read_to_string(out.join("HYPOTHESES.md")).unwrap();
        assert!(md.contains("## 6-region-us-east-1: region us-east-1 down"), "{md}");
        assert!(md.contains("- Not reproduced by FIS: FIS has no action that takes alb-use1"), "{md}");
        let ext = if format == "terraform" { "tf" } else { "yaml" };
        let t = std::fs::read_to_string(out.join(format!("experiments-us-east-1.{ext}"))).unwrap();
        // The prediction is the template's hypothesis.
        let hypothesis = md.lines().find(|l| l.starts_with("- Hypothesis: RTO P5")).unwrap();
        assert!(hypothesis.contains("(20 runs)"), "{hypothesis}");
        assert!(t.contains("Hypothesis: RTO P50"), "{t}");
        // The folder is not overwritten without --force.
        let again = meridian(&[
            "export-experiments",
            DESIGN,
            "--scenario",
            SCENARIO,
            "--format",
            format,
            "--out",
            &out_s,
            "--runs",
            "20",
        ]);
        assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    }
}

fn calibrate(json: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("drill.json");
    std::fs::write(&path, json).unwrap();
    let p = path.to_string_lossy().into_owned();
    let o = meridian(&["calibrate", DESIGN, "--observed", &p, "--scenario", SCENARIO, "--runs", "40"]);
    drop(dir);
    o
}

#[test]
fn calibrate_flags_the_parameter_behind_a_contradicted_rto_and_exits_1() {
    let o = meridian(&[
        "calibrate",
        DESIGN,
        "--observed",
        "examples/drills/active-active-2region.observed.json",
        "--runs",
        "40",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("6-region-us-east-1           RTO"), "{text}");
    assert!(text.contains("CONTRADICTED"), "{text}");
    assert!(text.contains("revisit DNS TTL"), "{text}");
}

#[test]
fn calibrate_accepts_observations_within_the_prediction() {
    let o = calibrate(
        r#"{"experiments": [{"name": "1-service-api-use1", "rto_s": 85}, {"name": "4-az-use1-az1", "errors": 0}]}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("0 of 2 figures contradict the model"), "{}", stdout(&o));
}

#[test]
fn calibrate_locates_bad_results() {
    let o = calibrate("{\"experiments\": [\n  {\"name\": \"1-service-api-use1\", \"rto\": 85}\n]}");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("drill.json:2:") && e.contains("unknown field `rto`") && e.contains("experiments[0]"),
        "{e}"
    );
    let o = calibrate("{\"experiments\": [\n  {\"name\": \"1-service-api-use1\",\n   \"rto_s\": -3}\n]}");
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("drill.json:3:") && e.contains("experiments[0].rto_s"), "{e}");
    let o = calibrate(r#"{"experiments": [{"name": "9-nothing", "rto_s": 1}]}"#);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no experiment named 9-nothing"), "{}", stderr(&o));
}

#[test]
fn the_documented_results_file_parses() {
    let doc = std::fs::read_to_string(support::workspace_root().join("docs/calibrate.md")).unwrap();
    let block = doc.split("```json\n").nth(1).unwrap().split("```").next().unwrap();
    let observed =
        meridian_assess::calibrate::parse_observed(block, std::path::Path::new("docs/calibrate.md")).unwrap();
    assert_eq!(observed.experiments.len(), 2);
    assert!(observed.scenario.is_some());
}

#[test]
fn the_readme_excerpt_is_what_export_experiments_writes() {
    let readme = std::fs::read_to_string(support::workspace_root().join("README.md")).unwrap();
    let section = readme.split("## Chaos experiments").nth(1).unwrap();
    let excerpt = section.split("```yaml\n").nth(1).unwrap().split("```").next().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fis");
    let out_s = out.to_string_lossy().into_owned();
    let o = meridian(&[
        "export-experiments",
        DESIGN,
        "--scenario",
        SCENARIO,
        "--format",
        "cloudformation",
        "--out",
        &out_s,
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(out.join("experiments-us-east-1.yaml")).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    let mut at = 0;
    for want in excerpt.lines().filter(|l| l.trim() != "...") {
        let found = lines[at..].iter().position(|l| *l == want);
        let Some(k) = found else { panic!("README excerpt line not in the template (in order): {want}") };
        at += k + 1;
    }
}
