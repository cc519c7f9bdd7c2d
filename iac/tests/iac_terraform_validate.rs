//! `terraform init` and `terraform validate` on the Terraform export of every example and test
//! fixture (`iac/designs/`), with the real `hashicorp/aws` provider from the machine's filesystem
//! mirror: only the provider's schema sees an unsupported argument or a missing required one,
//! which parsing the HCL cannot. Nothing is downloaded: `.tools/terraform.rc` (written by
//! scripts/install-tools.sh) installs providers from the mirror only, so a module that needs any
//! provider besides the mirrored `aws` fails `init`. Terraform and the mirror are part of CI's
//! machine, so their absence fails the test rather than skipping it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files; this one uses a few")]
mod common;

use std::process::Output;
use std::time::Instant;

use meridian_iac::Format;

/// The AWS provider version the export is validated against (the mirror's; README and DEPLOY.md
/// state it).
const VALIDATED_AWS_PROVIDER: &str = "5.100.0";

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn terraform_validate_accepts_every_design_with_the_mirrored_aws_provider() {
    let version = common::terraform(&common::root(), &["version", "-json"]);
    assert!(version.status.success(), "terraform version failed:\n{}", text(&version));
    let started = Instant::now();
    let mut failures = Vec::new();
    let designs = common::designs();
    for (name, path, policies) in &designs {
        let bundle = common::export_example(path, policies, Format::Terraform);
        let dir = common::write(&bundle);
        let init = common::terraform(dir.path(), &["init", "-input=false", "-backend=false", "-no-color"]);
        if !init.status.success() {
            failures.push(format!("{name}: terraform init failed:\n{}", text(&init)));
            continue;
        }
        let lock = std::fs::read_to_string(dir.path().join(".terraform.lock.hcl")).unwrap();
        assert!(
            lock.contains(&format!("version     = \"{VALIDATED_AWS_PROVIDER}\"")),
            "{name}: init did not select the mirrored aws provider {VALIDATED_AWS_PROVIDER}:\n{lock}"
        );
        let providers = lock.matches("provider \"").count();
        assert_eq!(providers, 1, "{name}: the module needs providers besides aws:\n{lock}");
        let validate = common::terraform(dir.path(), &["validate", "-no-color"]);
        if !validate.status.success() {
            failures.push(format!("{name}: terraform validate failed:\n{}", text(&validate)));
        }
    }
    eprintln!("terraform init + validate of {} designs took {:.1?}", designs.len(), started.elapsed());
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The range `versions.tf` claims starts at the validated release and stops before 6.0, whose
/// schemas differ; README and every `DEPLOY.md` state it and the validated version.
#[test]
fn the_claimed_provider_range_is_the_validated_one_and_is_stated() {
    let range = ">= 5.100, < 6.0";
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(readme.contains(&format!("`{range}`")), "README does not state the provider range {range}");
    assert!(readme.contains(&format!("validated against {VALIDATED_AWS_PROVIDER}")));
    for (name, path, policies) in common::designs() {
        let bundle = common::export_example(&path, &policies, Format::Terraform);
        let file = |p: &str| &bundle.files.iter().find(|f| f.path == p).unwrap().contents;
        let versions = hcl_edit::parser::parse_body(file("versions.tf")).unwrap();
        let text = versions.to_string();
        assert!(
            text.contains(&format!("version = \"{range}\"")),
            "{name}: versions.tf claims another range:\n{text}"
        );
        assert_eq!(text.matches("source").count(), 1, "{name}: a provider besides aws:\n{text}");
        let deploy = file("DEPLOY.md").split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            deploy.contains(&format!("`{range}`"))
                && deploy.contains(&format!("against {VALIDATED_AWS_PROVIDER}")),
            "{name}: DEPLOY.md does not state the provider range and the validated version"
        );
    }
}
