//! CloudFormation export of every example and test fixture (`iac/designs/`): snapshots, cfn-lint
//! with 0 errors, the checkov checks the README lists, and a deploy smoke test of the examples on a
//! local moto_server.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses most")]
mod common;

use std::collections::BTreeSet;
use std::process::Command;

use meridian_iac::Format;

#[test]
fn snapshots_of_every_example() {
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::CloudFormation);
        for f in &bundle.files {
            insta::assert_snapshot!(format!("cfn-{name}-{}", f.path), &f.contents);
        }
    }
}

#[test]
fn cfn_lint_finds_no_errors() {
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::CloudFormation);
        let dir = common::write(&bundle);
        let mut regions = common::regions(&path);
        regions.extend(["us-east-1".to_owned(), "us-west-2".to_owned()]);
        regions.sort();
        regions.dedup();
        let templates: Vec<_> = bundle
            .files
            .iter()
            .filter(|f| std::path::Path::new(&f.path).extension().is_some_and(|e| e == "yaml"))
            .map(|f| dir.path().join(&f.path))
            .collect();
        common::assert_cfn_lint_clean(&name, &regions, &templates);
    }
}

#[test]
fn checkov_checks_listed_in_readme_pass() {
    let listed = common::readme_checks("cloudformation");
    let mut passed_somewhere = BTreeSet::new();
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::CloudFormation);
        let dir = common::write(&bundle);
        let report = common::checkov(dir.path(), "cloudformation");
        let summary = &report["summary"];
        assert_eq!(summary["parsing_errors"], 0, "{name}: checkov could not parse the export");
        for f in report["results"]["failed_checks"].as_array().unwrap() {
            let id = f["check_id"].as_str().unwrap();
            assert!(!listed.iter().any(|l| l == id), "{name}: {id} fails on {}", f["resource"]);
        }
        for p in report["results"]["passed_checks"].as_array().unwrap() {
            passed_somewhere.insert(p["check_id"].as_str().unwrap().to_owned());
        }
    }
    for id in listed {
        assert!(
            passed_somewhere.contains(&id),
            "README lists {id}, which checkov never evaluates on the exports"
        );
    }
}

#[test]
fn regional_stacks_deploy_on_moto() {
    let python = common::tool("python");
    let script = common::root().join("iac/tests/iac/moto_deploy.py");
    for (name, path, policies) in common::examples() {
        let bundle = common::export_example(&path, &policies, Format::CloudFormation);
        let dir = common::write(&bundle);
        let out = Command::new(&python).arg(&script).arg(dir.path()).output().unwrap();
        assert!(
            out.status.success(),
            "{name}: moto deploy failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn residency_rule_removes_the_replica_it_forbids_and_says_so() {
    let path = common::root().join("examples/gdpr-eu-residency.ron");
    let strict = meridian_model::compliance::Policy::pack("gdpr-strict").unwrap().unwrap();
    let bundle = common::export_example(&path, &[strict], Format::CloudFormation);
    assert!(
        bundle
            .warnings
            .iter()
            .any(|w| w.contains("customers-to-us") && w.contains("gdpr-strict/eu-residency")),
        "{:?}",
        bundle.warnings
    );
    let deploy = bundle.files.iter().find(|f| f.path == "DEPLOY.md").unwrap();
    assert!(deploy.contents.contains("customers-to-us is left out"));
    for f in bundle.files.iter().filter(|f| f.path.starts_with("region-eu")) {
        assert!(!f.contents.contains("Region: us-east-1"), "{} still replicates to us-east-1", f.path);
    }
    let unconstrained = common::export_example(&path, &[], Format::CloudFormation);
    let euw1 = unconstrained.files.iter().find(|f| f.path == "region-eu-west-1.yaml").unwrap();
    assert!(
        euw1.contents.contains("Region: us-east-1"),
        "without the policy the design's replica is exported"
    );
}

#[test]
fn replication_lag_and_target_health_have_alarms() {
    common::assert_lag_alarms(Format::CloudFormation, |r| format!("region-{r}.yaml"));
}

#[test]
fn elasticache_replication_becomes_a_global_datastore() {
    use serde_json::Value;
    let path = common::root().join("iac/tests/iac/designs/global-cache.ron");
    let catalog = meridian_model::Catalog::builtin().unwrap();
    let design = meridian_model::format::load_file(&path, catalog).unwrap().design;
    let options = meridian_iac::ExportOptions {
        syntax: meridian_iac::TemplateSyntax::Json,
        ..meridian_iac::ExportOptions::default()
    };
    let bundle = meridian_iac::export(&design, catalog, Format::CloudFormation, &options).unwrap();
    assert_eq!(
        bundle.warnings,
        [
            "service cache-euw1 gets 2 nodes, not 1: it inherits automatic failover from cache-use1, which needs a replica"
        ],
        "the link is exported; the changed node count is said"
    );
    let template = |region: &str| -> Value {
        let f = bundle.files.iter().find(|f| f.path == format!("region-{region}.json")).unwrap();
        serde_json::from_str(&f.contents).unwrap()
    };
    let (primary, secondary) = (template("us-east-1"), template("eu-west-1"));
    let global = &primary["Resources"]["CacheUse1Global"];
    assert_eq!(global["Type"], "AWS::ElastiCache::GlobalReplicationGroup");
    let member = &global["Properties"]["Members"][0];
    assert_eq!(member["ReplicationGroupId"]["Ref"], "CacheUse1");
    assert_eq!(member["Role"], "PRIMARY");
    let p = &primary["Resources"]["CacheUse1"]["Properties"];
    assert_eq!(p["AtRestEncryptionEnabled"], true);
    assert_eq!(p["TransitEncryptionEnabled"], true);
    assert_eq!(p["KmsKeyId"]["Fn::GetAtt"][0], "Key");
    assert_eq!(
        primary["Outputs"]["CacheUse1GlobalId"]["Value"]["Fn::GetAtt"],
        serde_json::json!(["CacheUse1Global", "GlobalReplicationGroupId"])
    );
    let s = &secondary["Resources"]["CacheEuw1"]["Properties"];
    assert_eq!(s["GlobalReplicationGroupId"]["Ref"], "CacheUse1GlobalId");
    assert!(secondary["Parameters"]["CacheUse1GlobalId"].get("Default").is_none());
    for inherited in ["Engine", "CacheNodeType", "AtRestEncryptionEnabled", "TransitEncryptionEnabled"] {
        assert!(s.get(inherited).is_none(), "the secondary sets {inherited}, which it inherits");
    }
    assert_eq!(s["KmsKeyId"]["Fn::GetAtt"][0], "Key", "the secondary keeps its own region's key");
    assert_eq!(
        s["NumCacheClusters"], 2,
        "the primary fails over automatically, so the secondary needs two nodes"
    );
    let deploy = bundle.files.iter().find(|f| f.path == "DEPLOY.md").unwrap().contents.as_str();
    let (use1, euw1) =
        (deploy.find("**Region us-east-1**").unwrap(), deploy.find("**Region eu-west-1**").unwrap());
    assert!(use1 < euw1, "the primary's region deploys first:\n{deploy}");
    assert!(deploy.contains("CacheUse1GlobalId=<output CacheUse1GlobalId of stack global-cache-us-east-1>"));
    assert!(deploy.contains("`CKV_AWS_29` on `CacheEuw1`"));
}

/// What a Global Datastore refuses (a node type or engine it does not run) is refused when the
/// design is loaded, at the link, with the reason and its catalog source, rather than exported.
#[test]
fn caches_a_global_datastore_cannot_hold_are_refused_with_the_reason() {
    let path = common::root().join("iac/tests/iac/designs/global-cache.ron");
    let original = std::fs::read_to_string(&path).unwrap();
    let catalog = meridian_model::Catalog::builtin().unwrap();
    for (from, to, words) in [
        ("cache.r7g.large", "cache.t4g.medium", "node type cache.t4g.medium cannot join a Global Datastore"),
        ("cache.r7g.large", "cache.r7g.medium", "size large and above"),
    ] {
        let text = original.replace(from, to);
        let err = meridian_model::format::load_str(&text, &path, catalog).unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("AWS refuses this") && shown.contains(words), "{shown}");
        assert!(shown.contains("elasticache-gds-prereqs"), "the refusal cites its source: {shown}");
        assert!(err.line > 0 && err.field.as_deref().is_some_and(|f| f.ends_with("from")), "{err:?}");
    }
    assert!(meridian_model::format::load_str(&original, &path, catalog).is_ok());
}

#[test]
fn auto_scaling_group_behind_its_load_balancer() {
    use serde_json::{Value, json};
    let path = common::root().join("iac/tests/iac/designs/web-asg.ron");
    let catalog = meridian_model::Catalog::builtin().unwrap();
    let design = meridian_model::format::load_file(&path, catalog).unwrap().design;
    let options = meridian_iac::ExportOptions {
        syntax: meridian_iac::TemplateSyntax::Json,
        ..meridian_iac::ExportOptions::default()
    };
    let bundle = meridian_iac::export(&design, catalog, Format::CloudFormation, &options).unwrap();
    assert!(bundle.warnings.is_empty(), "{:?}", bundle.warnings);
    let f = bundle.files.iter().find(|f| f.path == "region-us-east-1.json").unwrap();
    let t: Value = serde_json::from_str(&f.contents).unwrap();
    let res = &t["Resources"];
    let image = &t["Parameters"]["WebImageId"];
    assert_eq!(image["Type"], "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>");
    assert_eq!(image["Default"], "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    let data = &res["WebLaunchTemplate"]["Properties"]["LaunchTemplateData"];
    assert_eq!(data["ImageId"]["Ref"], "WebImageId");
    assert_eq!(data["MetadataOptions"]["HttpTokens"], "required");
    assert_eq!(data["NetworkInterfaces"][0]["AssociatePublicIpAddress"], false);
    assert_eq!(data["NetworkInterfaces"][0]["Groups"], json!([{"Ref": "WebSecurityGroup"}]));
    assert_eq!(data["BlockDeviceMappings"][0]["Ebs"]["Encrypted"], true);
    assert_eq!(data["IamInstanceProfile"]["Arn"]["Fn::GetAtt"][0], "WebProfile");
    assert_eq!(res["WebProfile"]["Properties"]["Roles"], json!([{"Ref": "WebRole"}]));
    let role = &res["WebRole"]["Properties"];
    assert_eq!(role["ManagedPolicyArns"].as_array().unwrap().len(), 1);
    let statements = role["Policies"][0]["PolicyDocument"]["Statement"].as_array().unwrap();
    assert!(statements.iter().all(|s| s["Sid"].as_str().unwrap().starts_with("WebOrders")), "{statements:?}");
    let asg = &res["Web"];
    assert_eq!(asg["Type"], "AWS::AutoScaling::AutoScalingGroup");
    let p = &asg["Properties"];
    assert_eq!(
        (&p["MinSize"], &p["DesiredCapacity"], &p["MaxSize"]),
        (&json!("3"), &json!("3"), &json!("6"))
    );
    assert_eq!(
        p["VPCZoneIdentifier"],
        json!([{"Ref": "PrivateSubnet1"}, {"Ref": "PrivateSubnet2"}, {"Ref": "PrivateSubnet3"}])
    );
    assert_eq!(p["TargetGroupARNs"], json!([{"Ref": "AlbToWeb"}]));
    assert_eq!(p["HealthCheckType"], "ELB");
    assert_eq!(asg["DependsOn"], json!(["AlbListener"]));
    let tg = &res["AlbToWeb"]["Properties"];
    assert_eq!((&tg["TargetType"], &tg["Port"]), (&json!("instance"), &json!(8080)));
    let ingress = res["WebSecurityGroup"]["Properties"]["SecurityGroupIngress"].as_array().unwrap();
    assert_eq!(ingress.len(), 1, "open only to the load balancer: {ingress:?}");
    assert_eq!(ingress[0]["SourceSecurityGroupId"]["Ref"], "AlbSecurityGroup");
    assert_eq!(ingress[0]["FromPort"], 8080);
}

#[test]
fn consistency_modes_are_written_as_declared() {
    let path = common::root().join("iac/tests/iac/designs/consistency-modes.ron");
    let bundle = common::export_example(&path, &[], Format::CloudFormation);
    let all: String = bundle.files.iter().map(|f| f.contents.as_str()).collect();
    assert!(all.contains("MultiRegionConsistency: STRONG"), "{all}");
    assert!(all.contains("GlobalTableWitnesses:") && all.contains("Region: us-west-2"), "{all}");
    assert_eq!(all.matches("EnableGlobalWriteForwarding: true").count(), 1, "only the secondary forwards");
    assert!(
        bundle.warnings.iter().any(|w| w.contains("db-use2") && w.contains("SESSION")),
        "{:?}",
        bundle.warnings
    );
    assert!(!bundle.warnings.iter().any(|w| w.contains("multi-Region strong")), "{:?}", bundle.warnings);
}

#[test]
fn reserved_concurrency_is_written_as_declared() {
    use meridian_iac::{ExportOptions, export};
    use meridian_model::{Catalog, Command, ServiceId, apply, design::Concurrency, format};
    let catalog = Catalog::builtin().unwrap();
    let path = common::root().join("examples/active-active-3region-aurora.ron");
    let mut design = format::load_file(&path, catalog).unwrap().design;
    let mut f = design.service(&ServiceId::new("fn-use1")).unwrap().clone();
    f.config.concurrency = Some(Concurrency { reserved: Some(400), provisioned: None });
    apply(&mut design, catalog, Command::UpdateService(f)).unwrap();
    let text = |format| {
        let bundle = export(&design, catalog, format, &ExportOptions::default()).unwrap();
        bundle.files.iter().map(|f| f.contents.clone()).collect::<String>()
    };
    let cfn = text(Format::CloudFormation);
    assert_eq!(cfn.matches("ReservedConcurrentExecutions: 400").count(), 1, "only fn-use1 reserves");
    let tf = text(Format::Terraform);
    let lines: Vec<&str> = tf.lines().filter(|l| l.contains("reserved_concurrent_executions")).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].trim_end().ends_with("= 400"), "{lines:?}");
}
