//! End-to-end tests of `meridian check`: the GDPR example is flagged with its whole path and its
//! corrected copy passes, every example gives the verdicts the README explains with every pack,
//! and the SARIF output passes Microsoft's SARIF validator.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{example_files, meridian, stderr, stdout, workspace_root};

const PACKS: [&str; 4] = ["gdpr-strict", "gdpr-adequacy", "data-sovereignty", "ccpa"];

#[test]
fn gdpr_example_is_flagged_with_the_path_through_its_us_replica() {
    let out = meridian(&["check", "examples/gdpr-eu-residency.ron", "--policy", "gdpr-strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("examples/gdpr-eu-residency.ron:111:9: violation: gdpr-strict/eu-residency"),
        "{text}"
    );
    assert!(
        text.contains(
            // The users are near Frankfurt, so latency routing sends them there in normal operation;
            // the global table carries their writes to Ireland, and from there to Virginia.
            "path: population eu-users -[entry]-> dns (global) -[routing dns-euc1]-> alb-euc1 (eu-central-1) \
             -[routing alb-api-euc1]-> api-euc1 (eu-central-1) -[dependency api-customers-euc1]-> customers-euc1 \
             (eu-central-1) -[replication customers-eu, reverse]-> customers-euw1 (eu-west-1) \
             -[replication customers-to-us]-> customers-analytics-use1 (us-east-1)"
        ),
        "{text}"
    );
    assert!(text.contains("crosses out at: link customers-to-us"), "{text}");
}

#[test]
fn corrected_gdpr_example_passes_every_pack() {
    for pack in PACKS {
        let out = meridian(&["check", "examples/gdpr-eu-residency-fixed.ron", "--policy", pack]);
        assert_eq!(out.status.code(), Some(0), "{pack}: {}", stdout(&out));
    }
    let out = meridian(&["check", "examples/gdpr-eu-residency-fixed.ron"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// The verdicts the README's "Data-law compliance" table states: (example, pack, violations).
const VERDICTS: [(&str, &str, usize); 28] = [
    ("active-active-2region", "gdpr-strict", 5),
    ("active-active-2region", "gdpr-adequacy", 1),
    ("active-active-2region", "data-sovereignty", 4),
    ("active-active-2region", "ccpa", 5),
    ("active-active-3region-aurora", "gdpr-strict", 6),
    ("active-active-3region-aurora", "gdpr-adequacy", 0),
    ("active-active-3region-aurora", "data-sovereignty", 8),
    ("active-active-3region-aurora", "ccpa", 5),
    ("gdpr-eu-residency", "gdpr-strict", 1),
    ("gdpr-eu-residency", "gdpr-adequacy", 0),
    ("gdpr-eu-residency", "data-sovereignty", 0),
    ("gdpr-eu-residency", "ccpa", 0),
    ("gdpr-eu-residency-fixed", "gdpr-strict", 0),
    ("gdpr-eu-residency-fixed", "gdpr-adequacy", 0),
    ("gdpr-eu-residency-fixed", "data-sovereignty", 0),
    ("gdpr-eu-residency-fixed", "ccpa", 0),
    ("multi-az-single-region", "gdpr-strict", 5),
    ("multi-az-single-region", "gdpr-adequacy", 0),
    ("multi-az-single-region", "data-sovereignty", 0),
    ("multi-az-single-region", "ccpa", 3),
    ("pilot-light", "gdpr-strict", 0),
    ("pilot-light", "gdpr-adequacy", 0),
    ("pilot-light", "data-sovereignty", 0),
    // Both findings are waived in the example (its header says why): waived findings do not fail.
    ("pilot-light", "ccpa", 0),
    ("warm-standby", "gdpr-strict", 0),
    ("warm-standby", "gdpr-adequacy", 0),
    ("warm-standby", "data-sovereignty", 0),
    ("warm-standby", "ccpa", 2),
];

#[test]
fn every_example_with_every_pack_gives_the_documented_verdict() {
    let examples: Vec<String> =
        example_files().iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    let listed: std::collections::BTreeSet<&str> = VERDICTS.iter().map(|(e, _, _)| *e).collect();
    assert_eq!(examples.iter().map(String::as_str).collect::<std::collections::BTreeSet<_>>(), listed);
    for (example, pack, violations) in VERDICTS {
        let file = format!("examples/{example}.ron");
        let out = meridian(&["check", &file, "--policy", pack, "--format", "json"]);
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let failing = doc["findings"].as_array().unwrap().iter().filter(|f| f["fails"] == true).count();
        assert_eq!(failing, violations, "{example} with {pack}");
        assert_eq!(out.status.code(), Some(i32::from(violations > 0)), "{example} with {pack}");
        assert_eq!(doc["clean"], violations == 0);
    }
}

#[test]
fn unknown_packs_and_bad_policy_files_are_bad_input() {
    let out = meridian(&["check", "examples/pilot-light.ron", "--policy", "gdpr-lax"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`gdpr-lax` is neither a shipped policy pack (gdpr-strict, gdpr-adequacy"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.ron");
    std::fs::write(
        &bad,
        "Policy(\n    id: \"mine\",\n    name: \"Mine\",\n    rules: [\n        Rule(id: \"r\", description: \"d\", kind: Residency(classes: [\"personal:EU\"], allowed: In([\"Atlantis\"]))),\n    ],\n)\n",
    )
    .unwrap();
    let out = meridian(&["check", "examples/pilot-light.ron", "--policy", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with(&format!("{}:5:", bad.display())), "{err}");
    assert!(err.contains("`Atlantis` is not a group") && err.contains("(rules[0].kind.allowed)"), "{err}");
    assert_eq!(err.lines().count(), 1, "one message: {err}");
}

#[test]
fn own_policy_files_and_waivers_work_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("eu-only.ron");
    std::fs::write(
        &policy,
        r#"Policy(id: "mine", name: "Mine", rules: [Rule(id: "eu", description: "EU data in the EU.", kind: Residency(classes: ["personal:EU"], allowed: In(["EU"])))])"#,
    )
    .unwrap();
    let text = std::fs::read_to_string(workspace_root().join("examples/gdpr-eu-residency.ron")).unwrap();
    let waived = text.trim_end().strip_suffix(')').unwrap().to_owned()
        + "    waivers: [\n        Waiver(\n            rule: \"mine/eu\",\n            entity: Service(\"customers-analytics-use1\"),\n            justification: \"Pseudonymised; SCCs signed 2026-02-01 (DPO ticket 42).\",\n        ),\n    ],\n)\n";
    let design = dir.path().join("waived.ron");
    std::fs::write(&design, waived).unwrap();
    let out = meridian(&["check", design.to_str().unwrap(), "--policy", policy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(": waived: mine/eu:"), "{text}");
    assert!(text.contains("waiver: mine/eu on service customers-analytics-use1: Pseudonymised"), "{text}");
    let out = meridian(&["fmt", "--check", design.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "waivers are canonical: {}", stderr(&out));
}

/// The SARIF validator installed by scripts/install-tools.sh.
fn sarif_validator() -> PathBuf {
    let bin = workspace_root().join(".tools/node/node_modules/.bin/sarif-multitool");
    assert!(
        bin.exists(),
        "{} is missing: run scripts/install-tools.sh (scripts/test.sh does) to install @microsoft/sarif-multitool",
        bin.display()
    );
    bin
}

#[test]
fn sarif_output_passes_microsofts_validator_and_points_at_the_offending_line() {
    let validator = sarif_validator();
    let dir = tempfile::tempdir().unwrap();
    for (example, pack, scenario) in [
        ("gdpr-eu-residency", "gdpr-strict", None),
        ("active-active-2region", "gdpr-adequacy", None),
        ("active-active-2region", "gdpr-strict", Some("region-outage")),
    ] {
        let file = format!("examples/{example}.ron");
        let mut args = vec!["check", file.as_str(), "--policy", pack, "--format", "sarif"];
        args.extend(scenario.iter().flat_map(|s| ["--scenario", *s]));
        let out = meridian(&args);
        let example = format!("{example}{}", scenario.map(|s| format!("-{s}")).unwrap_or_default());
        let example = example.as_str();
        assert_eq!(out.status.code(), Some(1));
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["version"], "2.1.0");
        let sarif = dir.path().join(format!("{example}.sarif"));
        std::fs::write(&sarif, &out.stdout).unwrap();
        let report = dir.path().join(format!("{example}.validation.sarif"));
        let run = Command::new(&validator)
            .args(["validate", sarif.to_str().unwrap(), "-o", report.to_str().unwrap()])
            .output()
            .unwrap();
        let validation: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default()).unwrap_or_default();
        let problems: Vec<String> = validation["runs"][0]["results"]
            .as_array()
            .map(|rs| {
                rs.iter()
                    // A result without a level is a warning (SARIF 2.1.0 §3.27.10).
                    .filter(|r| r["level"] == "error" || r["level"] == "warning" || r["level"].is_null())
                    .map(|r| format!("{}: {}", r["ruleId"], r["message"]))
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            run.status.success() && problems.is_empty(),
            "{example}: the SARIF validator found problems: {problems:#?}\n{}{}",
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        );
        if scenario.is_some() {
            let during = doc["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["message"]["text"].as_str().unwrap_or_default().starts_with("During scenario"))
                .count();
            assert!(during > 0, "violations during the scenario are results too");
        }
        if example == "gdpr-eu-residency" {
            let result = &doc["runs"][0]["results"][0];
            assert_eq!(result["ruleId"], "gdpr-strict/eu-residency");
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert_eq!((region["startLine"].as_u64(), region["startColumn"].as_u64()), (Some(111), Some(9)));
            assert_eq!(
                result["relatedLocations"].as_array().unwrap().len(),
                12,
                "the whole path: population, 6 services, 5 links"
            );
        }
    }
}

#[test]
fn a_failover_scenario_finds_violations_that_happen_only_during_the_incident() {
    // Active-active: while eu-west-1 is down for two hours, EU users are served from us-east-1.
    let out = meridian(&[
        "check",
        "examples/active-active-2region.ron",
        "--policy",
        "gdpr-strict",
        "--scenario",
        "region-outage",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let violations = doc["dynamic"]["violations"].as_array().unwrap();
    let routing = violations
        .iter()
        .find(|v| {
            v["rule"] == "gdpr-strict/eu-routing"
                && v["population"] == "eu-users"
                && v["region"] == "us-east-1"
        })
        .expect("EU users served in us-east-1 during the outage");
    let minutes = routing["minutes"].as_f64().unwrap();
    assert!((100.0..=140.0).contains(&minutes), "about the two-hour outage: {minutes}");
    assert!(routing["requests"].as_u64().unwrap() > 0);

    // The EU-only design fails over inside the EU: nothing happens during the incident.
    let out = meridian(&[
        "check",
        "examples/gdpr-eu-residency-fixed.ron",
        "--policy",
        "gdpr-strict",
        "--scenario",
        "region-outage",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["dynamic"]["violations"].as_array().unwrap().len(), 0);
}
