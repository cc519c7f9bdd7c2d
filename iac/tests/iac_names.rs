//! Names in the export: ids whose sanitised forms collide (`q-1`, `q_1`, `Q.1`), read nothing
//! (`..`, `---`) or read like the export's own resources (`key`) are distinct resources in both
//! formats, Terraform's own validator accepts the module, and random sets of ids never share a
//! name. (A clash left after renaming is refused: `lib.rs`'s unit test.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses a few")]
mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use meridian_iac::{ExportBundle, ExportOptions, Format, TemplateSyntax, export};
use meridian_model::{Catalog, Design};
use proptest::prelude::*;

/// The CloudFormation resources of a bundle as (logical id, type), every template.
fn cfn_resources(bundle: &ExportBundle) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in bundle.files.iter().filter(|f| Path::new(&f.path).extension().is_some_and(|e| e == "yaml")) {
        let doc: serde_json::Value = serde_yaml_ng::from_str(&f.contents).unwrap();
        for (id, r) in doc["Resources"].as_object().unwrap() {
            out.push((id.clone(), r["Type"].as_str().unwrap().to_owned()));
        }
    }
    out
}

/// The Terraform resource addresses of a bundle, every `.tf` file, in order (duplicates kept).
fn tf_addresses(bundle: &ExportBundle) -> Vec<String> {
    let mut out = Vec::new();
    for f in bundle.files.iter().filter(|f| Path::new(&f.path).extension().is_some_and(|e| e == "tf")) {
        let body: hcl::Body = hcl::from_str(&f.contents).unwrap();
        for b in body.blocks().filter(|b| b.identifier() == "resource" || b.identifier() == "data") {
            let labels: Vec<&str> = b.labels().iter().map(hcl::BlockLabel::as_str).collect();
            out.push(format!("{}.{}", b.identifier(), labels.join(".")));
        }
    }
    out
}

fn cfn_valid(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

fn tf_valid(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn fixture() -> std::path::PathBuf {
    common::root().join("iac/tests/iac/designs/name-clashes.ron")
}

#[test]
fn colliding_ids_are_distinct_resources_in_both_formats() {
    let cfn = common::export_example(&fixture(), &[], Format::CloudFormation);
    let resources = cfn_resources(&cfn);
    let queues: BTreeSet<&String> =
        resources.iter().filter(|(_, t)| t == "AWS::SQS::Queue").map(|(id, _)| id).collect();
    assert_eq!(queues.len(), 6, "q-1, q_1, Q.1, .., --- and key are six queues: {queues:?}");
    assert!(queues.contains(&"Q1".to_owned()), "Q.1 sorts first and keeps the plain form");
    let buckets = resources.iter().filter(|(_, t)| t == "AWS::S3::Bucket").count();
    assert_eq!(buckets, 2, "the log bucket and logs.us-east-1");
    assert!(
        resources.iter().any(|(id, t)| id == "Key" && t == "AWS::KMS::Key"),
        "the region's key keeps `Key`"
    );
    for (id, _) in &resources {
        assert!(cfn_valid(id), "logical id {id:?}");
    }

    let tf = common::export_example(&fixture(), &[], Format::Terraform);
    let addresses = tf_addresses(&tf);
    let unique: BTreeSet<&String> = addresses.iter().collect();
    assert_eq!(unique.len(), addresses.len(), "an address is written twice: {addresses:?}");
    let queues = addresses.iter().filter(|a| a.starts_with("resource.aws_sqs_queue.")).count();
    assert_eq!(queues, 6);
    let buckets = addresses.iter().filter(|a| a.starts_with("resource.aws_s3_bucket.")).count();
    assert_eq!(buckets, 2);
    for a in &addresses {
        assert!(tf_valid(a.rsplit('.').next().unwrap()), "resource name in {a}");
    }
}

#[test]
fn every_design_exports_with_and_without_its_policies_and_no_address_twice() {
    // Without gdpr-strict, gdpr-eu-residency's table has three regions: two of them watch writes
    // to the third, which once gave two Terraform alarms one address.
    let catalog = Catalog::builtin().unwrap();
    for (name, path, policies) in common::designs() {
        let design = meridian_model::format::load_file(&path, catalog).unwrap().design;
        for policies in [Vec::new(), policies] {
            for format in [Format::CloudFormation, Format::Terraform] {
                let options = ExportOptions { policies: policies.clone(), ..ExportOptions::default() };
                let bundle = export(&design, catalog, format, &options)
                    .unwrap_or_else(|e| panic!("{name} ({} policies): {e}", policies.len()));
                let addresses = tf_addresses(&bundle);
                let unique: BTreeSet<&String> = addresses.iter().collect();
                assert_eq!(unique.len(), addresses.len(), "{name}: an address twice");
            }
        }
    }
}

#[test]
fn terraform_validate_accepts_the_module_of_colliding_ids() {
    let bundle = common::export_example(&fixture(), &[], Format::Terraform);
    let dir = common::write(&bundle);
    let rc = common::terraform_rc();
    let terraform = |args: &[&str]| {
        let out = Command::new("terraform")
            .args(args)
            .current_dir(dir.path())
            .env("TF_CLI_CONFIG_FILE", &rc)
            .env("TF_IN_AUTOMATION", "1")
            .output()
            .expect("terraform 1.11 is in the machine image (toolchain.md)");
        assert!(
            out.status.success(),
            "terraform {args:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    terraform(&["init", "-input=false", "-no-color", "-backend=false"]);
    let out = terraform(&["validate", "-no-color", "-json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true, "{out}");
    assert_eq!(v["error_count"], 0, "{out}");
}

/// A design of SQS queues with `ids` in us-east-1, loaded as a file would be.
fn queues(ids: &BTreeSet<String>) -> Design {
    let services: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                "Service(id: {id:?}, name: \"q\", kind: \"sqs\", placement: Region(\"us-east-1\"), config: ServiceConfig(count: 1))"
            )
        })
        .collect();
    let text = format!(
        "Design(version: 1, name: \"Queues\", regions: [Region(id: \"us-east-1\", azs: [\"use1-az1\"])], services: [{}])",
        services.join(", ")
    );
    let catalog = Catalog::builtin().unwrap();
    meridian_model::format::load_str(&text, Path::new("queues.ron"), catalog).unwrap().design
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn random_ids_are_distinct_queues_with_valid_names(
        ids in prop::collection::btree_set("[qQ1kKeyvpcVPC_.:-]{1,5}", 1..16)
    ) {
        let design = queues(&ids);
        let catalog = Catalog::builtin().unwrap();
        let json = ExportOptions { syntax: TemplateSyntax::Yaml, ..ExportOptions::default() };
        let cfn = export(&design, catalog, Format::CloudFormation, &json).unwrap();
        let resources = cfn_resources(&cfn);
        let queues = resources.iter().filter(|(_, t)| t == "AWS::SQS::Queue").count();
        prop_assert_eq!(queues, ids.len());
        for (id, _) in &resources {
            prop_assert!(cfn_valid(id), "logical id {:?}", id);
        }
        let tf = export(&design, catalog, Format::Terraform, &ExportOptions::default()).unwrap();
        let addresses = tf_addresses(&tf);
        let unique: BTreeSet<&String> = addresses.iter().collect();
        prop_assert_eq!(unique.len(), addresses.len());
        let queues = addresses.iter().filter(|a| a.starts_with("resource.aws_sqs_queue.")).count();
        prop_assert_eq!(queues, ids.len());
        for a in &addresses {
            prop_assert!(tf_valid(a.rsplit('.').next().unwrap()), "{}", a);
        }
    }
}
