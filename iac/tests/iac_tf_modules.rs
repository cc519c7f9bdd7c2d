//! Terraform regions past the threshold of resources per file (issue 18, scale): a region whose
//! file would declare more than 500 resources is written as a child module
//! `modules/region-<code>/` called from the root's `region-<code>.tf`; references across regions
//! go through the modules' variables and outputs and resolve (`terraform init` + `validate`
//! against the mirrored AWS provider); a warning names the threshold in the export and in
//! DEPLOY.md. Designs under it keep the root module as it was (the examples' snapshots in
//! `iac_terraform.rs` hold their files byte for byte; here, no `modules/` folder).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses few")]
mod common;

use std::process::Output;
use std::sync::OnceLock;

use meridian_iac::{ExportBundle, ExportOptions, Format, export};
use meridian_model::catalog::Catalog;
use meridian_model::edit::add_service;
use meridian_model::synth::{Shape, generate_shaped};
use meridian_model::{ServiceKind, apply};

/// Services in the generated design: two regions of 150 services, about 620 resources each.
const SERVICES: usize = 300;

/// The Terraform export of the generated two-region design, made once.
fn bundle() -> &'static ExportBundle {
    static BUNDLE: OnceLock<ExportBundle> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let catalog = Catalog::builtin().unwrap();
        let design = generate_shaped(catalog, SERVICES, Shape::TwoRegions).unwrap();
        export(&design, catalog, Format::Terraform, &ExportOptions::default()).unwrap()
    })
}

fn file(path: &str) -> &'static str {
    let b = bundle();
    let f = b.files.iter().find(|f| f.path == path);
    let paths: Vec<&str> = b.files.iter().map(|f| f.path.as_str()).collect();
    &f.unwrap_or_else(|| panic!("{path} is not in the export: {paths:?}")).contents
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn each_region_past_the_threshold_is_a_child_module_called_from_the_root() {
    for region in ["eu-west-1", "eu-central-1"] {
        let folder = format!("modules/region-{region}");
        let main = file(&format!("{folder}/main.tf"));
        let resources = main.lines().filter(|l| l.starts_with("resource \"")).count();
        assert!(resources > 500, "{folder}/main.tf holds {resources} resources");
        assert!(main.contains(&format!("provider = aws.{}", region.replace('-', "_"))), "{folder}/main.tf");
        let versions = file(&format!("{folder}/versions.tf"));
        assert!(
            versions.contains(&format!("configuration_aliases = [aws.{}]", region.replace('-', "_"))),
            "{versions}"
        );
        for f in ["variables.tf", "outputs.tf"] {
            file(&format!("{folder}/{f}"));
        }
        let call = file(&format!("region-{region}.tf"));
        let alias = region.replace('-', "_");
        assert!(call.starts_with(&format!("module \"region_{alias}\" {{")), "{call}");
        assert!(
            call.contains(&format!("source = \"./{folder}\"")) || call.contains(&format!("\"./{folder}\"")),
            "{call}"
        );
        assert!(call.contains(&format!("aws.{alias} = aws.{alias}")), "{call}");
        assert!(!call.contains("resource \""), "the root's region file holds only the module call:\n{call}");
        // Root variables and the partition reach the child as its variables.
        assert!(call.contains("name_prefix") && call.contains("var.name_prefix"), "{call}");
        assert!(main.contains("var.data__aws_partition__current__partition"), "{folder}/main.tf");
        // The function packages stay at the root.
        assert!(!main.contains("path.module"), "{folder}/main.tf");
    }
}

#[test]
fn cross_region_references_resolve_through_module_outputs() {
    // Route 53 records in the root's cross-region file read each region's load balancers.
    let cross = file("cross-region.tf");
    let used: Vec<&str> = cross
        .split("module.region_eu_west_1.")
        .skip(1)
        .filter_map(|s| s.split([' ', '\n', ',', ']', '}']).next())
        .collect();
    assert!(!used.is_empty(), "cross-region.tf reads nothing of eu-west-1's module:\n{cross}");
    let outputs = file("modules/region-eu-west-1/outputs.tf");
    for name in &used {
        let name = name.split('.').next().unwrap();
        assert!(outputs.contains(&format!("output \"{name}\" {{")), "output {name} missing:\n{outputs}");
    }
    // The root's outputs read the children's resources the same way.
    assert!(file("outputs.tf").contains("module.region_eu_central_1."), "outputs.tf");
    // No reference in the root names a resource a child declares.
    for f in &bundle().files {
        if std::path::Path::new(&f.path).extension().is_some_and(|e| e == "tf")
            && !f.path.starts_with("modules/")
        {
            assert!(!f.contents.contains("aws_kms_key.eu_west_1"), "{} names a child's resource", f.path);
        }
    }
}

#[test]
fn a_warning_names_the_threshold_in_the_export_and_deploy_md() {
    let warnings: Vec<&String> = bundle().warnings.iter().filter(|w| w.contains("modules/region-")).collect();
    assert_eq!(warnings.len(), 2, "{:?}", bundle().warnings);
    for w in &warnings {
        assert!(w.contains("exceed the 500 resources per file"), "{w}");
        assert!(w.contains("HashiCorp publishes no limit"), "{w}");
    }
    let deploy = file("DEPLOY.md");
    assert!(deploy.contains("exceed the 500 resources per file"), "{deploy}");
}

#[test]
fn a_design_under_the_threshold_has_no_child_module() {
    let catalog = Catalog::builtin().unwrap();
    let design = generate_shaped(catalog, 20, Shape::TwoRegions).unwrap();
    let b = export(&design, catalog, Format::Terraform, &ExportOptions::default()).unwrap();
    assert!(
        b.files.iter().all(|f| !f.path.starts_with("modules/")),
        "{:?}",
        b.files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert!(
        b.files.iter().any(|f| f.path == "region-eu-west-1.tf"
            && f.contents.contains("resource \"aws_kms_key\" \"eu_west_1\""))
    );
    assert!(b.warnings.iter().all(|w| !w.contains("resources per file")), "{:?}", b.warnings);
}

#[test]
fn terraform_validate_accepts_the_child_modules() {
    let dir = common::write(bundle());
    let init = common::terraform(dir.path(), &["init", "-input=false", "-backend=false", "-no-color"]);
    assert!(init.status.success(), "terraform init failed:\n{}", text(&init));
    let validate = common::terraform(dir.path(), &["validate", "-no-color"]);
    assert!(validate.status.success(), "terraform validate failed:\n{}", text(&validate));
}

/// An example with `extra` queues added in each of its regions, exported to Terraform.
fn padded(example: &str, extra: usize) -> ExportBundle {
    let catalog = Catalog::builtin().unwrap();
    let path = common::root().join("examples").join(example);
    let mut design = meridian_model::format::load_file(&path, catalog).unwrap().design;
    let regions: Vec<_> = design.regions().map(|r| r.id.clone()).collect();
    for region in &regions {
        for _ in 0..extra {
            let (cmd, _) = add_service(&design, catalog, ServiceKind::Sqs, Some(region)).unwrap();
            apply(&mut design, catalog, cmd).unwrap();
        }
    }
    export(&design, catalog, Format::Terraform, &ExportOptions::default()).unwrap()
}

/// Every `module.region_X.NAME` the root passes to another child names an output of module X.
fn assert_child_references_resolve(b: &ExportBundle) -> usize {
    let get = |p: &str| b.files.iter().find(|f| f.path == p).map(|f| f.contents.as_str());
    let mut across = 0;
    for f in b.files.iter().filter(|f| f.path.starts_with("region-") && f.contents.starts_with("module \"")) {
        for rest in f.contents.split("module.region_").skip(1) {
            let (module, rest) = rest.split_once('.').unwrap();
            let output: String =
                rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let folder = format!("modules/region-{}", module.replace('_', "-"));
            let outputs =
                get(&format!("{folder}/outputs.tf")).unwrap_or_else(|| panic!("{folder}/outputs.tf missing"));
            assert!(
                outputs.contains(&format!("output \"{output}\" {{")),
                "{}: {output} is no output of {folder}",
                f.path
            );
            across += 1;
        }
    }
    across
}

/// Examples padded past the threshold in every region: an Aurora secondary waits for the primary's
/// instance in another child (`depends_on` through a variable set from the other module's output),
/// buckets replicate into another child's bucket; `terraform validate` accepts both.
#[test]
fn references_between_regions_of_examples_resolve_through_modules() {
    for example in ["active-active-3region-aurora.ron", "warm-standby.ron"] {
        let b = padded(example, 250);
        let modules = b.files.iter().filter(|f| f.path.ends_with("/main.tf")).count();
        assert!(modules >= 2, "{example}: {modules} child modules");
        let across = assert_child_references_resolve(&b);
        assert!(across > 0, "{example}: no child reads another child's resource");
        let dir = common::write(&b);
        let init = common::terraform(dir.path(), &["init", "-input=false", "-backend=false", "-no-color"]);
        assert!(init.status.success(), "{example}: terraform init failed:\n{}", text(&init));
        let validate = common::terraform(dir.path(), &["validate", "-no-color"]);
        assert!(validate.status.success(), "{example}: terraform validate failed:\n{}", text(&validate));
    }
}
