//! Terraform runs the export against a local moto server (`iac/tests/iac/moto_terraform.py`, which
//! starts and stops `moto_server` and points every provider of the module at it through a
//! `moto_override.tf`, without editing the export): `terraform plan` succeeds offline for every
//! example, and `terraform apply` of the reference example (`examples/active-active-2region.ron`)
//! creates on moto every resource of the types moto implements (the script lists the types, and
//! which resources it leaves out and why); the state then matches what moto holds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses a few")]
mod common;

use std::process::Command;
use std::time::Instant;

use meridian_iac::Format;

fn run(dir: &std::path::Path, apply: bool) -> String {
    let mut cmd = Command::new(common::tool("python"));
    cmd.arg(common::root().join("iac/tests/iac/moto_terraform.py")).arg(common::terraform_rc()).arg(dir);
    if apply {
        cmd.arg("--apply");
    }
    let out = cmd.output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{}: moto run failed:\n{text}", dir.display());
    text
}

#[test]
fn terraform_plan_succeeds_on_moto_for_every_example() {
    let started = Instant::now();
    for (name, path, policies) in common::examples() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        let dir = common::write(&bundle);
        let text = run(dir.path(), false);
        assert!(text.contains("plan: "), "{name}: {text}");
        eprintln!("{name}: {}", text.lines().next().unwrap_or_default());
    }
    eprintln!("terraform plan of every example on moto took {:.1?}", started.elapsed());
}

#[test]
fn terraform_apply_deploys_the_reference_example_to_moto() {
    let path = common::root().join("examples/active-active-2region.ron");
    let bundle = common::export_example(&path, &[], Format::Terraform);
    let dir = common::write(&bundle);
    let text = run(dir.path(), true);
    let applied = text.lines().find(|l| l.starts_with("applied ")).unwrap_or_default();
    for needle in ["aws_kms_key.", "aws_vpc.", "aws_lb.", "aws_s3_bucket.", "aws_ecs_cluster."] {
        assert!(applied.contains(needle), "nothing of {needle} was applied:\n{text}");
    }
    eprintln!("{text}");
}
