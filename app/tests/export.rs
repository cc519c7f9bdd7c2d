//! `meridian export`: writes templates and DEPLOY.md, refuses a non-empty folder without --force.

#![allow(clippy::unwrap_used, clippy::expect_used)] // Tests fail loudly on purpose.

mod support;

use support::{meridian, stderr, stdout};

#[test]
fn exports_every_example_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cfn");
    let out_s = out.to_string_lossy().into_owned();
    let o = meridian(&[
        "export",
        "examples/active-active-2region.ron",
        "--format",
        "cloudformation",
        "--out",
        &out_s,
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<&str> = doc["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(
        files,
        ["DEPLOY.md", "cross-region.yaml", "global.yaml", "region-eu-west-1.yaml", "region-us-east-1.yaml"]
    );
    for f in files {
        assert!(out.join(f).is_file(), "{f} was not written");
    }
    let again = meridian(&[
        "export",
        "examples/active-active-2region.ron",
        "--format",
        "cloudformation",
        "--out",
        &out_s,
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    let forced = meridian(&[
        "export",
        "examples/active-active-2region.ron",
        "--format",
        "cloudformation",
        "--out",
        &out_s,
        "--force",
        "--template-json",
    ]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(out.join("region-us-east-1.json").is_file());
}

#[test]
fn help_has_example_and_exit_codes() {
    let o = meridian(&["export", "--help"]);
    let text = stdout(&o);
    assert!(text.contains("Example:") && text.contains("Exit codes:"), "{text}");
}

#[test]
fn exports_a_terraform_module_and_warns_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    for example in support::example_files() {
        let name = example.file_stem().unwrap().to_string_lossy().into_owned();
        let out = dir.path().join(&name);
        let o = meridian(&[
            "export",
            &example.to_string_lossy(),
            "--format",
            "terraform",
            "--out",
            &out.to_string_lossy(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        for f in ["versions.tf", "providers.tf", "variables.tf", "outputs.tf", "DEPLOY.md"] {
            assert!(out.join(f).is_file(), "{name}: {f} was not written");
        }
        let deploy = std::fs::read_to_string(out.join("DEPLOY.md")).unwrap();
        assert!(deploy.contains("terraform init"), "{name}: DEPLOY.md has no terraform steps");
        // Every warning in DEPLOY.md is also printed on stderr.
        let section = deploy.split("## Not exported faithfully").nth(1).unwrap();
        let section = section.split("\n## ").next().unwrap();
        for w in section.lines().filter_map(|l| l.strip_prefix("- ")) {
            assert!(stderr(&o).contains(w), "{name}: warning not on stderr: {w}");
        }
    }
}

#[test]
fn template_json_is_refused_for_terraform() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tf").to_string_lossy().into_owned();
    let o = meridian(&[
        "export",
        "examples/active-active-2region.ron",
        "--format",
        "terraform",
        "--template-json",
        "--out",
        &out,
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--template-json"), "{}", stderr(&o));
}
