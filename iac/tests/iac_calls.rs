//! Every call the design can draw, exported and imported back: for each (caller kind, callee
//! kind) pair of the catalog (a dependency may join any two services), a two-service design in
//! one region and in two regions is exported in both formats and imported; the link comes back
//! exactly when `meridian_iac::calls::untraced` gives no reason, and is absent when it gives one
//! (so each stated reason is checked to be true, and each written trace to be read back).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::missing_panics_doc)] // Tests fail loudly on purpose.

#[path = "iac/common.rs"]
#[allow(dead_code, reason = "the shared helpers serve several test files")]
mod common;

use std::path::{Path, PathBuf};

use meridian_iac::calls::untraced;
use meridian_iac::import::{import_cloudformation, import_terraform};
use meridian_iac::{ExportOptions, Format, export};
use meridian_model::catalog::Catalog;
use meridian_model::design::{Dependency, Design, Link, LinkKind};
use meridian_model::edit::{add_region, add_service};
use meridian_model::{Command, LinkId, RegionId, ServiceKind, apply};

/// A design of a `from` service calling a `to` service, in one region or (`cross`) two.
fn pair(catalog: &Catalog, from: ServiceKind, to: ServiceKind, cross: bool) -> Design {
    let mut d = Design::new("pair");
    let (a, b) = (RegionId::new("us-east-1"), RegionId::new("us-west-2"));
    for r in [&a, &b] {
        apply(&mut d, catalog, add_region(catalog, r.as_str()).unwrap()).unwrap();
    }
    let (c, f) = add_service(&d, catalog, from, Some(&a)).unwrap();
    apply(&mut d, catalog, c).unwrap();
    let (c, t) = add_service(&d, catalog, to, Some(if cross { &b } else { &a })).unwrap();
    apply(&mut d, catalog, c).unwrap();
    let kind = LinkKind::Dependency(Dependency { calls_per_request: 1.0, required: true });
    apply(&mut d, catalog, Command::AddLink(Link { id: LinkId::new("call"), from: f, to: t, kind })).unwrap();
    d
}

/// Whether the import of `design`'s export in `format` has a link between services of the two kinds.
fn survives(design: &Design, format: Format) -> bool {
    let catalog = Catalog::builtin().unwrap();
    let bundle = export(design, catalog, format, &ExportOptions::default()).unwrap();
    let dir = common::write(&bundle);
    let imported = match format {
        Format::CloudFormation => {
            let mut templates: Vec<PathBuf> = bundle
                .files
                .iter()
                .filter(|f| Path::new(&f.path).extension().is_some_and(|e| e == "yaml"))
                .map(|f| dir.path().join(&f.path))
                .collect();
            templates.sort();
            import_cloudformation(&templates, None, catalog).unwrap()
        }
        Format::Terraform => import_terraform(dir.path(), catalog).unwrap(),
    };
    let kind = |d: &Design, id| d.service(id).map(|s| s.kind);
    let l = design.links().next().unwrap();
    let (fk, tk) = (kind(design, &l.from), kind(design, &l.to));
    let got = &imported.design;
    got.links().any(|m| kind(got, &m.from) == fk && kind(got, &m.to) == tk)
}

#[test]
fn every_call_is_written_and_read_back_or_has_a_true_reason() {
    let catalog = Catalog::builtin().unwrap();
    let mut wrong = Vec::new();
    let mut traced = 0;
    for cross in [false, true] {
        for from in ServiceKind::ALL {
            for to in ServiceKind::ALL {
                let d = pair(catalog, from, to, cross);
                let l = d.links().next().unwrap();
                let same = d.region_of(&l.from) == d.region_of(&l.to);
                let reason = untraced(from, to, same);
                traced += usize::from(reason.is_none());
                for format in [Format::CloudFormation, Format::Terraform] {
                    if survives(&d, format) != reason.is_none() {
                        wrong.push(format!(
                            "{from} -> {to} (same region: {same}, {format:?}): reason {reason:?}"
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{} pairs disagree with calls::untraced:\n{}", wrong.len(), wrong.join("\n"));
    // Functions are invoked by containers, instances, functions, queues, topics, buses, APIs and
    // state machines of their region.
    for from in [
        ServiceKind::Lambda,
        ServiceKind::EcsFargate,
        ServiceKind::Ec2Asg,
        ServiceKind::Sqs,
        ServiceKind::Sns,
        ServiceKind::EventBridge,
        ServiceKind::ApiGateway,
        ServiceKind::StepFunctions,
    ] {
        assert_eq!(untraced(from, ServiceKind::Lambda, true), None, "{from} -> lambda");
    }
    eprintln!("{traced} of {} (caller, callee, same region) cases are written", 2 * 31 * 31);
}
