//! `meridian import`: the written design validates, the report lists what was skipped (text on
//! stderr, or `--format json`), and the exit codes follow the README's table.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian, stderr, stdout, workspace_root};

fn s(p: &std::path::Path) -> String {
    p.display().to_string()
}

#[test]
fn an_exported_example_imports_into_a_design_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    let tf = dir.path().join("tf");
    let out = dir.path().join("imported.ron");
    let o = meridian(&[
        "export",
        "examples/active-active-2region.ron",
        "--format",
        "terraform",
        "--out",
        &s(&tf),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = meridian(&["import", "terraform", &s(&tf), "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 regions, 12 services, 14 links"), "{}", stdout(&o));
    let o = meridian(&["validate", &s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    // --out exists: refused without --force.
    let o = meridian(&["import", "terraform", &s(&tf), "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
}

#[test]
fn skipped_resources_are_listed_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("stack.ron");
    let template = workspace_root().join("iac/tests/import/cfn/web-stack.yaml");
    let o =
        meridian(&["import", "cloudformation", &s(&template), "--region", "eu-west-1", "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("warning: skipped WebACL: resource type AWS::WAFv2::WebACL"),
        "{}",
        stderr(&o)
    );
    // The skipped list is also at the top of the design file, which loads.
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("//   WebACL: resource type AWS::WAFv2::WebACL"), "{text}");
    let o = meridian(&["validate", &s(&out)]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));

    let o = meridian(&[
        "import",
        "cloudformation",
        &s(&template),
        "--region",
        "eu-west-1",
        "--out",
        &s(&out),
        "--force",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let skipped = doc["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|x| x["address"] == "MonitoringStack"), "{doc:#}");
    assert_eq!(doc["regions"][0], "eu-west-1");
}

/// A tag the design refuses (the reserved `aws:` prefix, a key the export would write like
/// another) or a Name that is no design name costs that tag or name, listed; the service keeps its
/// other tags and its settings (before: the service lost its settings, then the service itself).
#[test]
fn tags_aws_refuses_are_dropped_one_by_one_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("queue.yaml");
    std::fs::write(
        &template,
        "Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 120\n      Tags:\n\
         \x20       - {Key: Name, Value: \"line\\nbreak\"}\n\
         \x20       - {Key: \"aws:team\", Value: x}\n\
         \x20       - {Key: \"cost;centre\", Value: a}\n\
         \x20       - {Key: \"cost'centre\", Value: b}\n\
         \x20       - {Key: owner, Value: \"O'Brien\"}\n",
    )
    .unwrap();
    let out = dir.path().join("queue.ron");
    let o =
        meridian(&["import", "cloudformation", &s(&template), "--region", "us-east-1", "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for part in [
        "warning: skipped Queue: Name tag not kept: contains the control character",
        "warning: skipped Queue: tag `aws:team` not kept: a tag key may not start with `aws:`",
        "warning: skipped Queue: tag `cost;centre` not kept: tag keys `cost'centre` and `cost;centre` would both be exported as `cost-centre`",
    ] {
        assert!(err.contains(part), "{part:?} missing from\n{err}");
    }
    let design =
        meridian_model::format::load_file(&out, meridian_model::Catalog::builtin().unwrap()).unwrap().design;
    let queue = design.services().next().unwrap();
    assert_eq!(queue.name, "Queue");
    let kept: Vec<(&str, &str)> = queue.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(kept, vec![("cost'centre", "b"), ("owner", "O'Brien")]);
}

#[test]
fn bad_inputs_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "Resources: [\n").unwrap();
    let out = dir.path().join("x.ron");
    let o = meridian(&["import", "cloudformation", &s(&bad), "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.yaml"), "{}", stderr(&o));
    let o = meridian(&["import", "cloudformation", &s(&bad), "--region", "eu-westt-1", "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("eu-westt-1"), "{}", stderr(&o));
    let o = meridian(&["import", "terraform", &s(dir.path()), "--out", &s(&out)]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no .tf files"), "{}", stderr(&o));
    assert!(!out.exists());
}
