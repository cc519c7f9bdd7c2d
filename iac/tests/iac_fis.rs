//! Chaos experiments (`meridian_iac::fis`) for every example and test fixture: every fault the
//! design offers (each region, AZ, service and pair of regions) becomes experiment templates that
//! cfn-lint passes with 0 errors and `terraform validate` accepts with the mirrored AWS provider;
//! the role grants exactly the permissions of the actions used; targets use the names and tags
//! the infrastructure export writes; faults FIS cannot reproduce are listed with a reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses a few")]
mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use meridian_iac::fis::{self, Action, Experiments, Fault, MAX_DESCRIPTION, Request};
use meridian_iac::{ExportBundle, Format};
use meridian_model::Catalog;

/// Every fault a design offers, one request each.
fn requests(path: &Path) -> Vec<Request> {
    let catalog = Catalog::builtin().unwrap();
    let design = meridian_model::format::load_file(path, catalog).unwrap().design;
    let mut faults = Vec::new();
    let regions: Vec<_> = design.regions().map(|r| r.id.clone()).collect();
    for r in design.regions() {
        faults.push(Fault::Region(r.id.clone()));
        faults.extend(r.azs.iter().map(|a| Fault::Az(a.clone())));
    }
    for (i, a) in regions.iter().enumerate() {
        faults.extend(regions[i + 1..].iter().map(|b| Fault::Partition(a.clone(), b.clone())));
    }
    faults.extend(design.services().map(|s| Fault::Service(s.id.clone())));
    faults.push(Fault::Deployment("api".into()));
    faults.push(Fault::ControlPlane("us-east-1".into()));
    faults
        .into_iter()
        .enumerate()
        .map(|(i, fault)| Request {
            name: format!("{}-x", i + 1),
            fault,
            duration_s: 3600,
            hypothesis: "RTO P50 85.3 s, P95 2 min 10 s; requests lost P50 1200 (P95 4000); RPO P95 1.2 s (simulated, 100 runs)".into(),
        })
        .collect()
}

fn experiments(path: &Path, format: Format) -> Experiments {
    let catalog = Catalog::builtin().unwrap();
    let design = meridian_model::format::load_file(path, catalog).unwrap().design;
    fis::experiments(&design, catalog, &requests(path), format).unwrap()
}

fn write(e: &Experiments) -> tempfile::TempDir {
    common::write(&ExportBundle { files: e.files.clone(), warnings: Vec::new(), skipped_checks: Vec::new() })
}

#[test]
fn cfn_lint_finds_no_errors_in_the_experiments_of_every_design() {
    for (name, path, _) in common::designs() {
        let e = experiments(&path, Format::CloudFormation);
        assert!(!e.planned.is_empty(), "{name}: no experiment");
        let dir = write(&e);
        let templates: Vec<_> = e.files.iter().map(|f| dir.path().join(&f.path)).collect();
        let regions = common::regions(&path);
        common::assert_cfn_lint_clean(&name, &regions, &templates);
    }
}

#[test]
fn terraform_validate_accepts_the_experiments_of_every_design() {
    let mut failures = Vec::new();
    for (name, path, _) in common::designs() {
        let dir = write(&experiments(&path, Format::Terraform));
        let run = |args: &[&str]| common::terraform(dir.path(), args);
        for args in [&["init", "-input=false", "-backend=false", "-no-color"][..], &["validate", "-no-color"]]
        {
            let out = run(args);
            if !out.status.success() {
                failures.push(format!(
                    "{name}: terraform {} failed:\n{}{}",
                    args[0],
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                ));
                break;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The CloudFormation template of a region as JSON.
fn template(e: &Experiments, region: &str) -> serde_json::Value {
    let f = e.files.iter().find(|f| f.path == format!("experiments-{region}.yaml")).unwrap();
    serde_yaml_ng::from_str(&f.contents).unwrap()
}

#[test]
fn the_role_grants_exactly_the_permissions_of_the_actions_used() {
    for (name, path, _) in common::designs() {
        let e = experiments(&path, Format::CloudFormation);
        let regions: BTreeSet<String> =
            e.planned.iter().flat_map(|p| p.regions.iter().map(|r| r.region.to_string())).collect();
        for region in regions {
            let used: BTreeSet<Action> = e
                .planned
                .iter()
                .flat_map(|p| {
                    p.regions
                        .iter()
                        .filter(|r| r.region.as_str() == region)
                        .flat_map(|r| r.steps.iter().map(|s| s.action))
                })
                .collect();
            let mut want: BTreeSet<String> = BTreeSet::new();
            for a in &used {
                let p = a.permissions();
                want.extend(p.change.iter().chain(p.read).map(|s| (*s).to_owned()));
            }
            let t = template(&e, &region);
            let statements = t["Resources"]["ExperimentRole"]["Properties"]["Policies"][0]["PolicyDocument"]
                ["Statement"]
                .as_array()
                .unwrap()
                .clone();
            let granted: BTreeSet<String> = statements
                .iter()
                .flat_map(|s| s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()))
                .collect();
            assert_eq!(granted, want, "{name} {region}");
            let tagged = statements.iter().find(|s| s["Sid"] == "ChangeDesignResources");
            if let Some(s) = tagged {
                assert!(
                    s["Condition"]["StringEquals"]["aws:ResourceTag/meridian:design"].is_string(),
                    "{name}: {s}"
                );
            }
            let role =
                &t["Resources"]["ExperimentRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0];
            assert_eq!(role["Principal"]["Service"], "fis.amazonaws.com");
        }
    }
}

#[test]
fn faults_map_to_the_fis_actions_of_their_kind_and_targets_use_the_exports_names() {
    let path = common::root().join("examples/active-active-2region.ron");
    let e = experiments(&path, Format::CloudFormation);
    let actions_of = |fault: &Fault| -> Vec<&str> {
        let same = |p: &fis::Planned| match (&p.fault, fault) {
            (Fault::Partition(p1, p2), Fault::Partition(q1, q2)) => {
                (p1 == q1 && p2 == q2) || (p1 == q2 && p2 == q1)
            }
            (x, y) => x == y,
        };
        let p = e.planned.iter().find(|p| same(p)).unwrap_or_else(|| panic!("{fault} not planned"));
        p.regions.iter().flat_map(|r| r.steps.iter().map(|s| s.action.id())).collect()
    };
    assert_eq!(actions_of(&Fault::Service("api-use1".into())), ["aws:ecs:stop-task"]);
    assert_eq!(
        actions_of(&Fault::Service("orders-use1".into())),
        ["aws:dynamodb:global-table-pause-replication"]
    );
    assert_eq!(
        actions_of(&Fault::Service("cache-use1".into())),
        ["aws:elasticache:replicationgroup-interrupt-az-power"]
    );
    assert_eq!(
        actions_of(&Fault::Az("use1-az1".into())),
        ["aws:network:disrupt-connectivity", "aws:elasticache:replicationgroup-interrupt-az-power"]
    );
    assert_eq!(
        actions_of(&Fault::Partition("us-east-1".into(), "eu-west-1".into())),
        ["aws:network:route-table-disrupt-cross-region-connectivity"; 2]
    );
    for f in [
        Fault::Service("alb-use1".into()),
        Fault::Deployment("api".into()),
        Fault::ControlPlane("us-east-1".into()),
    ] {
        let u = e.unreproduced.iter().find(|u| u.fault == f).unwrap_or_else(|| panic!("{f} not listed"));
        assert!(u.reason.len() > 20, "{f}: {}", u.reason);
    }
    // The replica's table is named after its global table's primary, as the export names it.
    let t = template(&e, "eu-west-1");
    let text = serde_json::to_string(&t).unwrap();
    assert!(text.contains("table/${NamePrefix}-orders-use1"), "{text}");
    // The stop conditions are the region's alarms, by the logical ids the export gives them.
    let infra = common::export_example(&path, &[], Format::CloudFormation);
    let region = infra.files.iter().find(|f| f.path == "region-eu-west-1.yaml").unwrap();
    let region: serde_json::Value = serde_yaml_ng::from_str(&region.contents).unwrap();
    let params = t["Parameters"].as_object().unwrap();
    let alarms: Vec<&String> = params.keys().filter(|k| k.ends_with("Arn")).collect();
    assert!(!alarms.is_empty());
    for a in alarms {
        let id = a.trim_end_matches("Arn");
        assert_eq!(
            region["Resources"][id]["Type"], "AWS::CloudWatch::Alarm",
            "{id} is no alarm of the export"
        );
    }
    // In Terraform, by the names the module gives its alarms.
    let tf = experiments(&path, Format::Terraform);
    let infra = common::export_example(&path, &[], Format::Terraform);
    let infra_text: String = infra.files.iter().map(|f| f.contents.as_str()).collect();
    let file = tf.files.iter().find(|f| f.path == "experiments-eu-west-1.tf").unwrap();
    let names: Vec<&str> = file
        .contents
        .split(":alarm:${var.name_prefix}-")
        .skip(1)
        .map(|r| r.split('"').next().unwrap())
        .collect();
    assert!(!names.is_empty());
    for n in names {
        assert!(
            infra_text.contains(&format!("\"${{var.name_prefix}}-{n}\"")),
            "alarm {n} is not in the module"
        );
    }
}

#[test]
fn auto_scaling_instances_are_found_by_the_tags_their_group_puts_on_them() {
    let path = common::root().join("iac/tests/iac/designs/web-asg.ron");
    let cfn = experiments(&path, Format::CloudFormation);
    let p = cfn.planned.iter().find(|p| p.fault == Fault::Service("web".into())).unwrap();
    assert_eq!(p.regions[0].steps[0].action.id(), "aws:ec2:stop-instances");
    let t = template(&cfn, "us-east-1");
    let text = serde_json::to_string(&t).unwrap();
    assert!(text.contains(r#""aws:cloudformation:logical-id":"Web""#), "{text}");
    assert!(text.contains(r#""startInstancesAfterDuration":"PT1H""#), "{text}");
    let tf = experiments(&path, Format::Terraform);
    let file = tf.files.iter().find(|f| f.path == "experiments-us-east-1.tf").unwrap();
    assert!(file.contents.contains("\"aws:autoscaling:groupName\""), "{}", file.contents);
    assert!(file.contents.contains("\"${var.name_prefix}-web-us-east-1\""), "{}", file.contents);
}

/// moto (5.2) implements FIS's experiment-template API: every CloudFormation experiment of the
/// reference design and the fixtures is created there (`iac/tests/iac/moto_fis.py`) and reads
/// back with the same actions and targets. moto checks no action or target against AWS's
/// catalogue, so this proves the requests well-formed, not accepted by AWS.
#[test]
fn the_cloudformation_experiments_create_on_moto_and_read_back_unchanged() {
    let python = common::tool("python");
    let script = common::root().join("iac/tests/iac/moto_fis.py");
    for (name, path, _) in common::designs() {
        let e = experiments(&path, Format::CloudFormation);
        let dir = write(&e);
        let out = Command::new(&python).arg(&script).arg(dir.path()).output().unwrap();
        let text =
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{name}: moto FIS deploy failed:\n{text}");
        let created = text.lines().filter(|l| l.starts_with("created ")).count();
        let planned: usize = e.planned.iter().map(|p| p.regions.len()).sum();
        assert_eq!(created, planned, "{name}: one template per planned region:\n{text}");
    }
}

#[test]
fn descriptions_fit_fis_limit_and_carry_the_hypothesis() {
    let path = common::root().join("examples/active-active-2region.ron");
    let catalog = Catalog::builtin().unwrap();
    let design = meridian_model::format::load_file(&path, catalog).unwrap().design;
    let long = Request {
        name: "1-long".into(),
        fault: Fault::Region("us-east-1".into()),
        duration_s: 60,
        hypothesis: "x".repeat(2000),
    };
    let short = Request { name: "2-short".into(), hypothesis: "RTO P50 85.3 s".into(), ..long.clone() };
    let e = fis::experiments(&design, catalog, &[long, short], Format::CloudFormation).unwrap();
    let t = template(&e, "us-east-1");
    let d = |id: &str| t["Resources"][id]["Properties"]["Description"].as_str().unwrap().to_owned();
    assert_eq!(d("Experiment1Long").chars().count(), MAX_DESCRIPTION);
    assert!(d("Experiment2Short").ends_with("Hypothesis: RTO P50 85.3 s"), "{}", d("Experiment2Short"));
}
